"""Charts of a results table: one house style, Swedish labels by default, English on request.

Every chart function takes the tidy results table (``scenario, metric, group, value, low,
high``, see :mod:`sim.metrics.results`) and returns a :class:`matplotlib.figure.Figure` — except
:func:`typfall_waterfall`, which computes its household with :func:`sim.calculator.household.compare`.
Each figure has a title, a subtitle with the unit and the definition, a source line
("Källa: sim <version>, egna beräkningar; population …") and the assumption set of the runs.
Where the table has an uncertainty band (``low``/``high``) it is drawn as an error bar.

The figures are 16:9 (9.6 × 5.4 in): :func:`save_chart` writes a slide-ready PNG at 200 dpi
(1920 × 1080 px) and a print-ready SVG with the text kept as text. Figures are drawn on an
Agg canvas created inside each function, never through pyplot's global state, so importing
this module changes nothing. The font is DejaVu Sans (bundled with matplotlib: å, ä, ö and
the minus sign render everywhere).

Which runs a chart shows: the baseline and each reform with its behaviour assumption set,
and where it helps the reading (child poverty, cost, caseload) also the static run
(``<scenario>/statisk``, no behaviour) beside it.
"""

from __future__ import annotations

import dataclasses
import functools
import textwrap
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from sim.catalogue import labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Figure size in inches (16:9) and the PNG resolution: 1920 × 1080 pixels.
FIGSIZE = (9.6, 5.4)
PNG_DPI = 200

#: Font sizes in points at the figure's size. The PNG is 1920 × 1080 at 200 dpi, so a point
#: is 2.78 pixels: a footnote of 11 pt is 31 px tall (a capital about 22 px), as large as
#: 11 pt text on a 9.6-inch-wide page and readable when the slide fills a 1080p projector.
TITLE_SIZE = 16
SUBTITLE_SIZE = 12
FOOTER_SIZE = 11
TICK_SIZE = 12
VALUE_SIZE = 11.5

#: The house style (rcParams applied while a chart is drawn and saved).
STYLE: dict[str, Any] = {
    # A fixed salt for the ids in SVG files (matplotlib draws them at random otherwise):
    # two identical runs give identical bytes.
    "svg.hashsalt": "sim",
    "font.family": "DejaVu Sans",
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 12,
    "axes.labelcolor": "#333333",
    "axes.edgecolor": "#888888",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "axes.grid": False,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "xtick.labelsize": TICK_SIZE,
    "ytick.labelsize": TICK_SIZE,
    "legend.frameon": False,
    "legend.fontsize": 12,
    "svg.fonttype": "none",
    "axes.unicode_minus": True,
}

#: Colours (Okabe-Ito, colour-blind safe) per scenario; static runs use a lighter tint.
COLOURS = {
    "baseline": "#7a7a7a",
    "bidragstak": "#0072B2",
    "aktivitetskrav": "#E69F00",
    "kombinerad": "#D55E00",
    "jobbpremie": "#009E73",
    "sou2025_modell_a": "#56B4E9",
    "sou2025_modell_b": "#CC79A7",
}
_FALLBACK_COLOURS = ("#009E73", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
MUNICIPAL_COLOUR = "#0072B2"
STATE_COLOUR = "#E69F00"
BAND_COLOURS = ("#B2182B", "#EF8A62", "#D9D9D9", "#67A9CF", "#2166AC")

MONTHS = {
    "sv": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

#: The typfall household of docs/reforms.md §2.1.1 (the government's "sammanboende + 5 barn").
TYPFALL = {
    "adults": 2,
    "adult_ages": (38, 40),
    "child_ages": (3, 6, 9, 12, 15),
    "housing_cost": 16_180.0,
    "housing_limit_factor": 1.4,
}
TYPFALL_MONTH = 9


@dataclasses.dataclass(frozen=True)
class ChartContext:
    """What the source line names: code version, population, seed, year, assumption sets.

    ``assumption_sets`` maps each scenario name to the behaviour assumption set its
    behavioural run used (the ``/statisk`` runs use ``none``). ``population_year`` is the
    year the population was calibrated to (its official statistics), ``area`` the
    municipality a profile re-weighted it to.
    """

    version: str = ""
    population: str = ""
    seed: int | None = None
    year: int = 2027
    assumption_sets: Mapping[str, str] = dataclasses.field(default_factory=dict)
    replications: int | None = None
    varied: tuple[str, ...] = ()
    population_year: int | None = None
    area: str = ""

    @classmethod
    def from_manifest(cls, manifest: Mapping[str, Any]) -> ChartContext:
        """The context recorded in an output folder's ``manifest.json``."""
        population = (
            manifest.get("population_name") or Path(str(manifest.get("population") or "")).name
        )
        profile = manifest.get("kommun_profile") or {}
        year = manifest.get("population_year")
        return cls(
            version=str(manifest.get("version", "")),
            population=population,
            seed=manifest.get("seed"),
            year=int(manifest.get("year", 2027)),
            assumption_sets={
                s["name"]: s.get("assumption_set", "") for s in manifest.get("scenarios", [])
            },
            replications=manifest.get("n_replications"),
            varied=tuple(manifest.get("vary") or ()),
            population_year=int(year) if year is not None else None,
            area=str(profile.get("namn", "") or ""),
        )


def _version() -> str:
    from sim import __version__

    return __version__


def _t(lang: str, sv: str, en: str) -> str:
    return labels.text(lang, sv, en)


def scenario_name(label: str, lang: str = "sv", *, newline: bool = False) -> str:
    """The display name of a run label (:func:`sim.catalogue.labels.scenario`)."""
    return labels.scenario(label, lang, newline=newline)


def group_label(label: str, lang: str = "sv") -> str:
    """A group of the table (``kind:value``) in the chart's language (:func:`sim.catalogue.labels.group`)."""
    return labels.group(label, lang)


def _colour(label: str, order: Sequence[str] = ()) -> str:
    name = label.partition("/")[0]
    if name in COLOURS:
        return COLOURS[name]
    others = [n for n in dict.fromkeys(o.partition("/")[0] for o in order) if n not in COLOURS]
    i = others.index(name) if name in others else 0
    return _FALLBACK_COLOURS[i % len(_FALLBACK_COLOURS)]


def _is_static(label: str) -> bool:
    return label.endswith("/statisk")


# ---------------------------------------------------------------------------- table access


def _runs(table: pl.DataFrame, *, baseline: bool = True, static: bool = True) -> list[str]:
    """Run labels in table order: baseline first, each static run right after its reform."""
    labels = list(dict.fromkeys(table["scenario"].to_list()))
    behavioural = [x for x in labels if not _is_static(x) and x != "baseline"]
    out = ["baseline"] if baseline and "baseline" in labels else []
    for label in behavioural:
        out.append(label)
        if static and f"{label}/statisk" in labels:
            out.append(f"{label}/statisk")
    return out


def _value(table: pl.DataFrame, scenario: str, metric: str, group: str = "all") -> float:
    row = table.filter(
        (pl.col("scenario") == scenario) & (pl.col("metric") == metric) & (pl.col("group") == group)
    )
    return float(row["value"][0]) if row.height else float("nan")


def _band(
    table: pl.DataFrame, scenario: str, metric: str, group: str = "all"
) -> tuple[float, float] | None:
    row = table.filter(
        (pl.col("scenario") == scenario) & (pl.col("metric") == metric) & (pl.col("group") == group)
    )
    if not row.height or row["low"][0] is None or row["high"][0] is None:
        return None
    return float(row["low"][0]), float(row["high"][0])


def _groups(table: pl.DataFrame, metric: str, prefix: str) -> list[str]:
    rows = table.filter((pl.col("metric") == metric) & pl.col("group").str.starts_with(prefix))
    return list(dict.fromkeys(rows["group"].to_list()))


def _has_bands(table: pl.DataFrame) -> bool:
    return bool(table["low"].drop_nulls().len())


# ----------------------------------------------------------------------------- the frame


def _number(value: float, decimals: int = 0, lang: str = "sv", signed: bool = False) -> str:
    """A number in the house format (:func:`sim.outputs.report.format_number`) with a no-break space
    between the thousands, so a wrapped title never splits ``7 159`` over two lines."""
    from sim.outputs.report import format_number

    return format_number(value, decimals=decimals, lang=lang, signed=signed).replace(" ", "\u00a0")


def _round_count(value: float) -> float:
    """A count of households as a title says it: to hundreds from 10 000, to tens from
    1 000, else whole (a municipality's 137 is not "100")."""
    size = abs(value)
    return round(value, -2 if size >= 10_000 else -1 if size >= 1_000 else 0)


def _kronor(amount: str, lang: str) -> str:
    """An amount with its currency: ``8 204 kr`` (sv), ``SEK 8,204`` (en)."""
    return _t(lang, f"{amount} kr", f"SEK {amount}")


def _pp_decimals(changes: Sequence[float]) -> int:
    """Decimals of a change in percentage points: two while every change is below one
    point (tenths would write +0,14 and +0,06 both as +0,1), else one."""
    finite = [abs(c) for c in changes if np.isfinite(c)]
    return 2 if not finite or max(finite) < 1.0 else 1


def _reforms(table: pl.DataFrame) -> list[str]:
    """The behavioural runs of the reforms (no baseline, no static runs), in table order."""
    return _runs(table, baseline=False, static=False)


def _largest(values: Mapping[str, float]) -> tuple[str, float] | None:
    """The key with the largest absolute finite value (the first of equals), or None."""
    finite = [(k, v) for k, v in values.items() if np.isfinite(v)]
    if not finite:
        return None
    return max(finite, key=lambda kv: abs(kv[1]))


#: Left margin of the header and footer, as a fraction of the figure's width.
MARGIN_X = 0.012


def _wrap(text: str, size: float, *, bold: bool = False, width: float = 0.975) -> str:
    """``text`` wrapped to ``width`` of the figure at ``size`` points (DejaVu Sans is about
    0.50 em a character in Swedish prose, 0.61 in bold; measured on the charts, with a
    margin); each line of ``text`` separately."""
    chars = int(width * FIGSIZE[0] * 72 / (size * (0.62 if bold else 0.53)))
    return "\n".join(
        textwrap.fill(line, chars, break_on_hyphens=False) for line in text.split("\n")
    )


def source_text(context: ChartContext | None, lang: str) -> str:
    """The source in words: who computed what on which population, calibrated to which
    official statistics (never a file name or a path)::

        Källa: egna beräkningar med sim 0.1.0 på syntetisk befolkning (2024, frö 1), år 2027;
        Socialstyrelsen (ekonomiskt bistånd 2024); SCB (befolkning, hushåll, ekonomisk standard).
    """
    ctx = context or ChartContext(version=_version())
    version = ctx.version or _version()
    year = ctx.population_year
    if year is None and ctx.population[-4:].isdigit():
        year = int(ctx.population[-4:])
    inside = [str(year)] if year else []
    if ctx.seed is not None:
        inside.append(_t(lang, f"frö {ctx.seed}", f"seed {ctx.seed}"))
    if ctx.replications:
        inside.append(
            _t(lang, f"{ctx.replications} replikeringar", f"{ctx.replications} replications")
        )
    population = _t(lang, "syntetisk befolkning", "a synthetic population")
    if inside:
        population += f" ({', '.join(inside)})"
    if ctx.area:
        population += _t(lang, f" omviktad till {ctx.area}", f" re-weighted to {ctx.area}")
    bistand = f" {year}" if year else ""
    return _t(
        lang,
        f"Källa: egna beräkningar med sim {version} på {population}, år {ctx.year}; "
        f"Socialstyrelsen (ekonomiskt bistånd{bistand}); SCB (befolkning, hushåll, ekonomisk standard).",
        f"Source: own calculations with sim {version} on {population}, year {ctx.year}; "
        f"Socialstyrelsen (social assistance{bistand}); Statistics Sweden (population, "
        "households, economic standard).",
    )


def _source_lines(context: ChartContext | None, lang: str, extra: str = "") -> str:
    ctx = context or ChartContext(version=_version())
    sets: dict[str, list[str]] = {}
    for name, chosen in ctx.assumption_sets.items():
        if name != "baseline":
            sets.setdefault(chosen, []).append(scenario_name(name, lang))
    if sets:
        parts = "; ".join(
            f"{labels.assumption_set(chosen, lang)} ({', '.join(names)})"
            for chosen, names in sets.items()
        )
        assumptions = _t(
            lang,
            f"Beteende: antagandeuppsättning {parts}; statisk = utan beteendeeffekter.",
            f"Behaviour: assumption set {parts}; static = no behavioural response.",
        )
    else:
        assumptions = _t(
            lang,
            "Antagandeuppsättning: se rapportens manifest.",
            "Assumption set: see the report's manifest.",
        )
    lines = [f"{source_text(ctx, lang)} {assumptions}"]
    if extra:
        lines.append(extra)
    return _wrap("\n".join(lines), FOOTER_SIZE)


def _figure(
    title: str,
    subtitle: str,
    context: ChartContext | None,
    lang: str,
    *,
    ncols: int = 1,
    note: str = "",
    width_ratios: Sequence[float] | None = None,
    legend_rows: int = 0,
    nrows: int = 1,
    footer: str | None = None,
    sharey: bool = False,
) -> tuple[Figure, list[Axes]]:
    """A 16:9 figure with header (title, subtitle, room for a legend) and footer (source,
    assumptions, ``note``); the axes fill the space between them (constrained layout).

    The header and footer are measured, not guessed: each block is placed below the one
    above it by its drawn height, so a title or a footnote of two lines moves the plot
    instead of running into it. The title, subtitle and footer carry the SVG ids
    ``sim-title``, ``sim-subtitle`` and ``sim-source`` (tests read them). ``footer``
    replaces the source line of a results table (the household charts have their own)."""
    from sim.outputs.figure import SimFigure

    fig = SimFigure(figsize=FIGSIZE, layout="constrained")
    renderer = fig.canvas.get_renderer()

    def height(artist) -> float:
        return artist.get_window_extent(renderer).height / fig.bbox.height

    y = 0.978
    heading = fig.text(
        MARGIN_X,
        y,
        _wrap(title, TITLE_SIZE, bold=True),
        fontsize=TITLE_SIZE,
        fontweight="bold",
        va="top",
        ha="left",
        gid="sim-title",
    )
    y -= height(heading) + 0.016
    sub = fig.text(
        MARGIN_X,
        y,
        _wrap(subtitle, SUBTITLE_SIZE),
        fontsize=SUBTITLE_SIZE,
        color="#444444",
        va="top",
        ha="left",
        gid="sim-subtitle",
    )
    top = y - height(sub) - 0.018 - 0.052 * legend_rows
    text = footer if footer is not None else _source_lines(context, lang, note)
    foot = fig.text(
        MARGIN_X,
        0.012,
        text,
        fontsize=FOOTER_SIZE,
        color="#555555",
        va="bottom",
        ha="left",
        linespacing=1.25,
        gid="sim-source",
    )
    bottom = 0.012 + height(foot) + 0.018
    fig.get_layout_engine().set(rect=(0.0, bottom, 1.0, top - bottom), w_pad=0.08, h_pad=0.05)
    fig.sim_plot_top = top
    fig.sim_plot_bottom = bottom
    axes = fig.subplots(nrows, ncols, squeeze=False, width_ratios=width_ratios, sharey=sharey)
    return fig, list(axes.ravel())


def _legend_top(fig: Figure, handles: list, labels: list[str], ncols: int) -> None:
    """A legend above the plot area, right-aligned under the subtitle."""
    fig.legend(
        handles,
        labels,
        loc="lower right",
        bbox_to_anchor=(0.99, fig.sim_plot_top + 0.005),
        ncols=ncols,
        fontsize=12,
        handlelength=1.4,
        columnspacing=1.2,
    )


def _thousands_axis(
    ax: Axes, axis: str, lang: str, decimals: int = 0, nbins: int | str = "auto"
) -> None:
    """Tick labels in the house number format; ``nbins`` caps the number of ticks."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: _number(v, decimals, lang)))
    target.set_major_locator(MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))


# ------------------------------------------------------------------------------- charts


def _styled(function: Callable[..., Figure]) -> Callable[..., Figure]:
    """Draw inside the house style (rcParams are read when artists are created)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        import matplotlib

        with matplotlib.rc_context(STYLE):
            return function(*args, **kwargs)

    return wrapper


#: The two panels of :func:`child_poverty`: metric, (sv, en) panel title, (sv, en) noun of
#: the title's finding.
POVERTY_PANELS = (
    (
        "child_poverty_rate",
        ("Barnfattigdom (barn 0–17 år)", "Child poverty (children 0–17)"),
        ("barnfattigdomen", "child poverty"),
    ),
    (
        "poverty_rate",
        ("Fattigdom (alla personer)", "Poverty (all persons)"),
        ("fattigdomen", "poverty"),
    ),
)


def _change_rows(
    table: pl.DataFrame,
    differences: pl.DataFrame | None,
    runs: Sequence[str],
    metric: str,
) -> list[tuple[str, float, tuple[float, float] | None]]:
    """Per run: the change against the baseline in percentage points and its band.

    With a sweep's ``differences`` (scenario − baseline within each replication) the
    change is its median and the band its 10th–90th percentile; without it the change is
    the difference of the two runs' values and there is no band (the difference of two
    level bands would overstate the band of the change)."""
    rows = []
    base = _value(table, "baseline", metric)
    for run in runs:
        band = None
        if differences is not None and differences.height:
            change = 100 * _value(differences, run, metric)
            found = _band(differences, run, metric)
            if found is not None:
                band = (100 * found[0], 100 * found[1])
        else:
            change = 100 * (_value(table, run, metric) - base)
        rows.append((run, change, band))
    return rows


def poverty_finding(
    table: pl.DataFrame,
    lang: str = "sv",
    *,
    differences: pl.DataFrame | None = None,
    metric: str = "child_poverty_rate",
) -> str:
    """The finding of :func:`child_poverty` as its title: the reform (with behaviour) that
    changes ``metric`` most, and by how much, in percentage points.

    ``Bidragstak: barnfattigdomen ökar med 0,14 procentenheter``"""
    noun = next(n for m, _, n in POVERTY_PANELS if m == metric)
    rows = _change_rows(table, differences, _reforms(table), metric)
    decimals = _pp_decimals([c for _, c, _ in rows])
    found = _largest({run: change for run, change, _ in rows})
    sv_noun, en_noun = noun
    if found is None or round(found[1], decimals) == 0:
        return _t(
            lang,
            f"Ingen reform ändrar {sv_noun} med {_number(10**-decimals, decimals, lang)} procentenheter eller mer",
            f"No reform changes {en_noun} by {_number(10**-decimals, decimals, lang)} percentage points or more",
        )
    run, change = found
    amount = _number(abs(change), decimals, lang)
    return _t(
        lang,
        f"{scenario_name(run, lang)}: {sv_noun} {'ökar' if change > 0 else 'minskar'} med {amount} procentenheter",
        f"{scenario_name(run, lang)}: {en_noun} {'rises' if change > 0 else 'falls'} by {amount} percentage points",
    )


@_styled
def child_poverty(
    table: pl.DataFrame,
    *,
    lang: str = "sv",
    context: ChartContext | None = None,
    differences: pl.DataFrame | None = None,
) -> Figure:
    """The change in child poverty and in poverty against the baseline, in percentage
    points (``child_poverty_rate`` and ``poverty_rate``, group ``all``): one point per
    reform run (hollow: static), a zero line and the value beside each point.

    With a sweep's ``differences`` (:func:`sim.uncertainty.sweeps.differences`) the point is the
    median change and a line its 10th–90th percentile over the replications; a single run
    has points without bands and says so in the footnote. The title is the finding
    (:func:`poverty_finding`); the baseline's levels are in the panel titles."""
    runs = _runs(table, baseline=False)
    banded = differences is not None and _has_bands(differences)
    if banded:
        note = _t(
            lang,
            f"Linje: 10:e–90:e percentilen av förändringen {_replications_text(context, lang)}, "
            "tagen inom varje replikering (samma befolkning i reform och nuvarande regler).",
            f"Line: 10th–90th percentile of the change {_replications_text(context, lang)}, "
            "taken within each replication (the same population under the reform and current rules).",
        )
    elif _has_bands(table):
        note = _t(
            lang,
            "Förändringen (skillnaden mellan medianerna) visas utan osäkerhetsintervall här; "
            "intervallen finns i diagrammet över reformernas effekt med osäkerhetsintervall.",
            "The change (the difference of the medians) is shown without its band here; the bands "
            "are in the chart of the reforms' effect with uncertainty.",
        )
    else:
        note = _t(
            lang,
            "Punkterna är en körning utan osäkerhetsintervall (kör sim sweep).",
            "The points are one run without uncertainty bands (run sim sweep).",
        )
    fig, axes = _figure(
        poverty_finding(table, lang, differences=differences if banded else None),
        _t(
            lang,
            "Förändring mot nuvarande regler i procentenheter (p.e.) av andelen i hushåll med disponibel "
            "inkomst per konsumtionsenhet under 60 % av medianen (årsinkomst). Ofylld punkt: statisk beräkning.",
            "Change against current rules in percentage points (pp) of the share in households with disposable "
            "income per consumption unit below 60 % of the median (annual). Hollow dot: static run.",
        ),
        context,
        lang,
        ncols=2,
        note=note,
    )
    rows_by_panel = [
        _change_rows(table, differences if banded else None, runs, metric)
        for metric, _, _ in POVERTY_PANELS
    ]
    decimals = _pp_decimals([c for rows in rows_by_panel for _, c, _ in rows])
    unit = _t(lang, "p.e.", "pp")
    y = np.arange(len(runs))[::-1]
    # One scale for both panels, so a point's distance from zero compares across them.
    spread = [
        x
        for rows in rows_by_panel
        for _, change, band in rows
        for x in ((change,) + (band or ()))
        if np.isfinite(x)
    ]
    left, right = min(spread + [0.0]), max(spread + [0.0])
    span = (right - left) or 1.0
    for i, (ax, rows, (metric, panel, _)) in enumerate(
        zip(axes, rows_by_panel, POVERTY_PANELS, strict=True)
    ):
        ends = []
        for yi, (run, change, band) in zip(y, rows, strict=True):
            if not np.isfinite(change):
                continue
            low, high = band if band else (change, change)
            colour = _colour(run, runs)
            ax.errorbar(
                change,
                yi,
                xerr=[[max(change - low, 0.0)], [max(high - change, 0.0)]] if band else None,
                fmt="o",
                color=colour,
                markersize=9,
                capsize=5,
                elinewidth=2.4,
                markerfacecolor="white" if _is_static(run) else colour,
                markeredgewidth=2,
            )
            ends.append((yi, min(low, change), max(high, change), change))
        ax.axvline(0, color="#444444", linewidth=1.0)
        for yi, _low, high, change in ends:
            ax.text(
                max(high, 0.0) + span * 0.04,
                yi,
                f"{_number(change, decimals, lang, signed=True)} {unit}",
                va="center",
                ha="left",
                fontsize=VALUE_SIZE,
            )
        ax.set_xlim(left - span * 0.08, right + span * 0.55)
        ax.set_ylim(-0.6, len(runs) - 0.4)
        base = 100 * _value(table, "baseline", metric)
        level = _t(lang, "nuvarande regler", "current rules") + f": {_number(base, 1, lang)} %"
        ax.set_title(f"{_t(lang, *panel)}\n{level}", fontsize=13, linespacing=1.3)
        ax.set_xlabel(_t(lang, "Procentenheter", "Percentage points"))
        _thousands_axis(ax, "x", lang, decimals=decimals if span < 0.5 else 1, nbins=4)
        ax.grid(axis="x")
        ax.set_yticks(y, [scenario_name(r, lang) for r in runs] if i == 0 else [])
    return fig


def _money_change(value: float, lang: str, unit: tuple[str, str]) -> str:
    """``ökar med 1 234 mkr per år`` / ``rises by SEK 1,234 m a year`` (value in the unit)."""
    amount = _number(abs(value), 0, lang)
    sv_unit, en_unit = unit
    if value >= 0:
        return _t(lang, f"ökar med {amount} {sv_unit}", f"rises by {en_unit.format(amount)}")
    return _t(lang, f"minskar med {amount} {sv_unit}", f"falls by {en_unit.format(amount)}")


def cost_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`fs_cost`: the reform (with behaviour) that changes the public
    cost most, and by how much a year (``public_cost_sek_year`` against the baseline)."""
    base = _value(table, "baseline", "public_cost_sek_year")
    changes = {r: (_value(table, r, "public_cost_sek_year") - base) / 1e6 for r in _reforms(table)}
    found = _largest(changes)
    if found is None:
        total = _number(base / 1e6, 0, lang)
        return _t(
            lang,
            f"Den offentliga kostnaden: {total} mkr per år",
            f"The public cost: SEK {total} m a year",
        )
    run, change = found
    text = _money_change(change, lang, ("mkr per år", "SEK {} m a year"))
    return _t(
        lang,
        f"{scenario_name(run, lang)}: den offentliga kostnaden {text}",
        f"{scenario_name(run, lang)}: the public cost {text}",
    )


@_styled
def fs_cost(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Public cost per run split municipality/state, million kronor a year:
    ``municipal_cost_sek_year`` (FS paid + delivering the aktivitetskrav − state funding)
    and ``state_cost_sek_year`` (jobbpremie + state funding of the aktivitetskrav). Over each
    bar its total and its change against the baseline; inside, each part where it is tall
    enough to hold its number. The title is the finding (:func:`cost_finding`)."""
    runs = _runs(table)
    municipal = np.array([_value(table, r, "municipal_cost_sek_year") for r in runs]) / 1e6
    state = np.array([_value(table, r, "state_cost_sek_year") for r in runs]) / 1e6
    fig, (ax,) = _figure(
        cost_finding(table, lang),
        _t(
            lang,
            "Miljoner kronor per år; över stapeln totalt och (förändring mot nuvarande regler). Kommunerna: "
            "försörjningsstöd + aktivitetskravet − statsbidrag; staten: jobbpremie + statsbidrag.",
            "SEK million a year; above each bar the total and (change against current rules). Municipalities: "
            "försörjningsstöd + the activity requirement − state funding; state: jobbpremie + state funding.",
        ),
        context,
        lang,
        legend_rows=1,
        note=_band_note(table, lang),
    )
    x = np.arange(len(runs))
    ax.bar(x, municipal, color=MUNICIPAL_COLOUR, width=0.66)
    ax.bar(x, state, bottom=municipal, color=STATE_COLOUR, width=0.66)
    total = municipal + state
    top = float(np.nanmax(total)) if len(total) else 1.0
    base = total[0] if runs and runs[0] == "baseline" else float("nan")
    for xi, run, value, own, paid in zip(x, runs, total, municipal, state, strict=True):
        text = _number(value, 0, lang)
        if run != "baseline" and np.isfinite(base):
            text += f"\n({_number(value - base, 0, lang, signed=True)})"
        ax.text(
            xi,
            value + top * 0.015,
            text,
            ha="center",
            va="bottom",
            fontsize=VALUE_SIZE,
            linespacing=1.15,
        )
        for start, height in ((0.0, own), (own, paid)):
            if height >= top * 0.09:
                ax.text(
                    xi,
                    start + height / 2,
                    _number(height, 0, lang),
                    ha="center",
                    va="center",
                    fontsize=10.5,
                    color="white",
                )
    _error_bars(ax, table, runs, "public_cost_sek_year", x, horizontal=False, scale=1e-6)
    ax.set_xticks(x, [scenario_name(r, lang, newline=True) for r in runs], fontsize=11)
    ax.set_ylim(0, top * 1.2 if len(total) else 1)
    ax.set_ylabel(_t(lang, "Miljoner kronor per år", "SEK million a year"))
    _thousands_axis(ax, "y", lang, nbins=5)
    ax.grid(axis="y")
    handles = [_patch(MUNICIPAL_COLOUR), _patch(STATE_COLOUR)]
    names = [_t(lang, "Kommuner", "Municipalities"), _t(lang, "Staten", "State")]
    _legend_top(fig, handles, names, ncols=2)
    return fig


def _with_households(group: str, lang: str) -> str:
    """A group of households as a title names it: ``hushåll med 4 barn eller fler``."""
    kind, _, value = group.partition(":")
    if kind == "antal_barn":
        if value == "0":
            return _t(lang, "hushåll utan barn", "households without children")
        return _t(lang, "hushåll med ", "households with ") + group_label(group, lang)
    return group_label(group, lang)


def household_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`change_by_household`: the largest mean loss (or, without any
    loss, the largest gain) of a household type or number of children, and under which
    reform (``mean_change_recipients_sek_month``)."""
    metric = "mean_change_recipients_sek_month"
    cells = {
        (run, group): _value(table, run, metric, group)
        for run in _reforms(table)
        for prefix in ("hushållstyp:", "antal_barn:")
        for group in _groups(table, metric, prefix)
    }
    finite = {k: v for k, v in cells.items() if np.isfinite(v)}
    if not finite:
        return _t(lang, "Förändring per hushåll och månad", "Change per household and month")
    (run, group), value = min(finite.items(), key=lambda kv: kv[1])
    who = _with_households(group, lang)
    amount = _number(abs(value), 0, lang)
    if round(value) < 0:
        return _t(
            lang,
            f"{scenario_name(run, lang)}: {who} förlorar mest, {amount}\u00a0kr\u00a0i\u00a0månaden",
            f"{scenario_name(run, lang)}: {who} lose most, SEK\u00a0{amount} a month",
        )
    (run, group), value = max(finite.items(), key=lambda kv: kv[1])
    return _t(
        lang,
        f"Ingen grupp förlorar i genomsnitt; mest vinner {_with_households(group, lang)} "
        f"med {scenario_name(run, lang)}, {_number(value, 0, lang)} kr i månaden",
        f"No group loses on average; {_with_households(group, lang)} gain most with "
        f"{scenario_name(run, lang)}, SEK {_number(value, 0, lang)} a month",
    )


@_styled
def change_by_household(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Mean change of disposable income per month among households with FS in the baseline
    (``mean_change_recipients_sek_month``), by household type and by number of children:
    one panel per reform (with behaviour) on one scale, each bar with its value. The title
    is the finding (:func:`household_finding`)."""
    runs = _reforms(table)
    metric = "mean_change_recipients_sek_month"
    types = _groups(table, metric, "hushållstyp:")
    children = _groups(table, metric, "antal_barn:")
    groups = types + children
    fig, axes = _figure(
        household_finding(table, lang),
        _t(
            lang,
            "Genomsnittlig förändring av disponibel inkomst mot nuvarande regler, kronor per hushåll och månad, "
            "bland hushåll med försörjningsstöd under nuvarande regler; efter hushållstyp och antal barn.",
            "Mean change of disposable income against current rules, SEK per household and month, among "
            "households with försörjningsstöd under current rules; by household type and number of children.",
        ),
        context,
        lang,
        ncols=max(len(runs), 1),
    )
    # The two kinds of group one under the other, a gap between them.
    y = -np.array(
        [i for i in range(len(types))] + [len(types) + 0.6 + i for i in range(len(children))]
    )
    values = np.array([[_value(table, r, metric, g) for g in groups] for r in runs]).reshape(
        len(runs), len(groups)
    )
    finite = values[np.isfinite(values)]
    low = min(float(finite.min()), 0.0) if finite.size else -1.0
    high = max(float(finite.max()), 0.0) if finite.size else 1.0
    span = (high - low) or 1.0
    for i, (ax, run) in enumerate(zip(axes, runs, strict=False)):
        colour = _colour(run, runs)
        ax.barh(y, values[i], height=0.72, color=colour)
        for yi, value in zip(y, values[i], strict=True):
            if not np.isfinite(value):
                continue
            ax.text(
                value + (span * 0.02 if value >= 0 else -span * 0.02),
                yi,
                _number(value, 0, lang),
                ha="left" if value >= 0 else "right",
                va="center",
                fontsize=VALUE_SIZE - 0.5,
            )
        ax.axvline(0, color="#444444", linewidth=0.8)
        if types and children:
            ax.axhline(-(len(types) - 0.2), color="#bbbbbb", linewidth=0.8)
        ax.set_xlim(low - (span * 0.62 if low < 0 else span * 0.05), high + span * 0.5)
        ax.set_ylim(y.min() - 0.6, 0.6)
        ax.set_title(scenario_name(run, lang), color=colour)
        ax.set_yticks(y, [group_label(g, lang) for g in groups] if i == 0 else [])
        ax.set_xlabel(_t(lang, "Kronor per månad", "SEK per month"))
        _thousands_axis(ax, "x", lang, nbins=3)
        ax.grid(axis="x")
    if not runs:
        axes[0].set_axis_off()
    return fig


def bands_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`change_bands`: the reform (with behaviour) under which most
    households lose more than 1 000 kr a month (``households_change_band``)."""
    group = "förändring:stor förlust"
    counts = {r: _value(table, r, "households_change_band", group) for r in _reforms(table)}
    found = _largest(counts)
    if found is None or _round_count(found[1]) == 0:
        return _t(
            lang,
            "Vinnare och förlorare: ingen reform ger stora förluster",
            "Winners and losers: no reform brings large losses",
        )
    run, count = found
    amount = _number(_round_count(count), 0, lang)
    return _t(
        lang,
        f"{scenario_name(run, lang)}: {amount} hushåll förlorar mer än 1\u00a0000\u00a0kr i månaden",
        f"{scenario_name(run, lang)}: {amount} households lose more than SEK\u00a01,000 a month",
    )


@_styled
def change_bands(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Winners and losers: households with FS in the baseline or the reform by the change of
    their disposable income per month (``households_change_band``), in five bands."""
    runs = _runs(table, baseline=False)
    bands = _groups(table, "households_change_band", "förändring:")
    fig, (ax,) = _figure(
        bands_finding(table, lang),
        _t(
            lang,
            "Tusental hushåll med försörjningsstöd under nuvarande regler eller reformen, efter förändring av disponibel "
            "inkomst per månad: stor förlust över 1\u00a0000\u00a0kr, liten 100–1\u00a0000\u00a0kr, oförändrad ±100\u00a0kr.",
            "Thousands of households with försörjningsstöd under current rules or the reform, by change of disposable "
            "income per month: large loss over SEK\u00a01,000, small SEK\u00a0100–1,000, unchanged ±100.",
        ),
        context,
        lang,
        legend_rows=1,
    )
    y = np.arange(len(runs))[::-1]
    counts = np.array(
        [[_value(table, r, "households_change_band", b) / 1e3 for b in bands] for r in runs]
    ).reshape(len(runs), len(bands))  # (0, n) for a run of the baseline alone
    totals = counts.sum(axis=1) if len(runs) else np.array([1.0])
    left = np.zeros(len(runs))
    for j in range(len(bands)):
        colour = BAND_COLOURS[j % len(BAND_COLOURS)]
        ax.barh(
            y, counts[:, j], left=left, color=colour, height=0.62, edgecolor="white", linewidth=0.6
        )
        for yi, start, width in zip(y, left, counts[:, j], strict=True):
            if width >= 0.07 * totals.max():
                dark = j in (0, 4)
                ax.text(
                    start + width / 2,
                    yi,
                    _number(width, 0, lang),
                    ha="center",
                    va="center",
                    fontsize=VALUE_SIZE - 0.5,
                    color="white" if dark else "#222222",
                )
        left += counts[:, j]
    ax.set_yticks(y, [scenario_name(r, lang) for r in runs])
    ax.set_xlabel(_t(lang, "Tusental hushåll", "Thousand households"))
    _thousands_axis(ax, "x", lang)
    ax.grid(axis="x")
    handles = [_patch(BAND_COLOURS[j % len(BAND_COLOURS)]) for j in range(len(bands))]
    labels = [group_label(b, lang) for b in bands]
    _legend_top(fig, handles, labels, ncols=len(bands))
    return fig


def decile_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`change_by_decile`: the decile and reform with the largest mean
    loss per household (``mean_change_sek_month``)."""
    metric = "mean_change_sek_month"
    cells = {
        (r, g): _value(table, r, metric, g)
        for r in _reforms(table)
        for g in _groups(table, metric, "decil:")
    }
    finite = {k: v for k, v in cells.items() if np.isfinite(v)}
    if not finite or round(min(finite.values())) >= 0:
        return _t(lang, "Förändring efter inkomstdecil", "Change by income decile")
    (run, group), value = min(finite.items(), key=lambda kv: kv[1])
    decile = group.partition(":")[2]
    amount = _number(abs(value), 0, lang)
    return _t(
        lang,
        f"{scenario_name(run, lang)}: decil {decile} förlorar mest, {amount}\u00a0kr per hushåll och månad",
        f"{scenario_name(run, lang)}: decile {decile} loses most, SEK\u00a0{amount} per household a month",
    )


@_styled
def change_by_decile(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Mean change of disposable income per household and month by decile of the baseline's
    economic standard (``mean_change_sek_month``, all households of the decile)."""
    runs = _runs(table, baseline=False, static=False)
    metric = "mean_change_sek_month"
    groups = _groups(table, metric, "decil:")
    fig, (ax,) = _figure(
        decile_finding(table, lang),
        _t(
            lang,
            "Kronor per hushåll och månad, medel över alla hushåll i decilen. Decil av "
            "ekonomisk standard (disponibel inkomst per konsumtionsenhet) under nuvarande regler; 1 = lägst.",
            "SEK per household and month, mean over all households in the decile. Decile "
            "of economic standard (disposable income per consumption unit) under current rules; 1 = lowest.",
        ),
        context,
        lang,
        legend_rows=1,
    )
    x = np.arange(len(groups))
    width = 0.8 / max(len(runs), 1)
    for i, run in enumerate(runs):
        values = [_value(table, run, metric, g) for g in groups]
        ax.bar(x - 0.4 + width * (i + 0.5), values, width=width, color=_colour(run, runs))
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.set_xticks(x, [g.partition(":")[2] for g in groups])
    ax.set_xlabel(_t(lang, "Decil (1 = lägst inkomst)", "Decile (1 = lowest income)"))
    ax.set_ylabel(_t(lang, "Kronor per månad", "SEK per month"))
    _thousands_axis(ax, "y", lang)
    ax.grid(axis="y")
    handles = [_patch(_colour(r, runs)) for r in runs]
    _legend_top(fig, handles, [scenario_name(r, lang) for r in runs], ncols=len(runs))
    return fig


def caseload_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`monthly_caseload`: the reform (with behaviour) that changes the
    number of households with FS most in December, against the baseline
    (``fs_households_month``, group ``månad:12`` or the last month of the table)."""
    months = _groups(table, "fs_households_month", "månad:")
    if not months:
        return _t(lang, "Hushåll med försörjningsstöd", "Households with FS")
    last = months[-1]
    base = _value(table, "baseline", "fs_households_month", last)
    found = _largest(
        {r: _value(table, r, "fs_households_month", last) - base for r in _reforms(table)}
    )
    month = group_label(last, lang)
    if found is None or _round_count(found[1]) == 0:
        return _t(
            lang,
            f"Hushåll med försörjningsstöd: ingen reform ändrar antalet i {month}",
            f"Households with FS: no reform changes their number in {month}",
        )
    run, change = found
    amount = _number(_round_count(abs(change)), 0, lang)
    more_sv, more_en = ("fler", "more") if change > 0 else ("färre", "fewer")
    return _t(
        lang,
        f"{scenario_name(run, lang)}: {amount} {more_sv} hushåll med försörjningsstöd i {month}",
        f"{scenario_name(run, lang)}: {amount} {more_en} households with FS in {month}",
    )


@_styled
def monthly_caseload(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Households with FS paid in each month of the year (``fs_households_month``)."""
    runs = _runs(table)
    groups = _groups(table, "fs_households_month", "månad:")
    fig, (ax,) = _figure(
        caseload_finding(table, lang),
        _t(
            lang,
            "Tusental hushåll med utbetalt försörjningsstöd i månaden; vid linjens slut värdet i årets sista månad. "
            "Streckat: statisk beräkning (utan beteendeeffekter). Axeln börjar inte på noll.",
            "Thousand households with försörjningsstöd paid in the month; at each line's end the value of the "
            "year's last month. Dashed: static (no behavioural response). The axis does not start at zero.",
        ),
        context,
        lang,
        legend_rows=2,
    )
    x = np.arange(1, len(groups) + 1)
    handles, labels = [], []
    ends = []
    for run in runs:
        values = np.array([_value(table, run, "fs_households_month", g) for g in groups]) / 1e3
        if len(values) and not _is_static(run):
            ends.append((values[-1], _number(values[-1], 1, lang), _colour(run, runs)))
        (line,) = ax.plot(
            x,
            values,
            color=_colour(run, runs),
            linestyle="--" if _is_static(run) else "-",
            linewidth=1.4 if _is_static(run) else 2.4,
            marker=None if _is_static(run) else "o",
            markersize=3.5,
        )
        handles.append(line)
        labels.append(scenario_name(run, lang))
    ax.set_xticks(
        x, [MONTHS[lang if lang in MONTHS else "sv"][int(g.partition(":")[2]) - 1] for g in groups]
    )
    ax.set_ylabel(_t(lang, "Tusental hushåll", "Thousand households"))
    _fit_y(ax)
    _end_labels(ax, x[-1] if len(x) else 0, ends)
    _thousands_axis(ax, "y", lang)
    ax.grid(axis="y")
    # Column-major legend: the baseline alone, then each reform above its static run.
    from matplotlib.lines import Line2D

    if runs and runs[0] == "baseline":
        handles.insert(1, Line2D([], [], alpha=0))
        labels.insert(1, "")
    _legend_top(fig, handles, labels, ncols=(len(handles) + 1) // 2)
    return fig


def loss_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`loss_per_child`: the reform (with behaviour) with the largest
    median loss per child (``loss_per_child_sek_month``, ``percentil:50``; the mean without
    the percentiles)."""
    metric = "loss_per_child_sek_month"
    medians = {r: _value(table, r, metric, "percentil:50") for r in _reforms(table)}
    word_sv, word_en = "i median", "median"
    if not any(np.isfinite(v) for v in medians.values()):
        medians = {r: _value(table, r, metric) for r in _reforms(table)}
        word_sv, word_en = "i genomsnitt", "mean"
    found = _largest(medians)
    if found is None:
        return _t(lang, "Förlust per barn", "Loss per child")
    run, value = found
    amount = _number(value, 0, lang)
    return _t(
        lang,
        f"{scenario_name(run, lang)}: förlusten per barn är {word_sv} {amount}\u00a0kr i månaden",
        f"{scenario_name(run, lang)}: the {word_en} loss per child is SEK\u00a0{amount} a month",
    )


@_styled
def loss_per_child(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Distribution of the loss per child among children in households that lose.

    Each child carries an equal share of its household's loss of disposable income per
    month; the percentiles (10, 25, 50, 75, 90) are over children (rows
    ``loss_per_child_sek_month`` with groups ``percentil:<p>``, written by
    :func:`sim.metrics.results.results_table` from the runs); the diamond is the mean (group ``all``).
    Without the percentile rows only the mean is drawn.
    """
    runs = _runs(table, baseline=False)
    metric = "loss_per_child_sek_month"
    fig, (ax,) = _figure(
        loss_finding(table, lang),
        _t(
            lang,
            "Kronor per barn och månad bland barn i hushåll som förlorar mer än 0,50 kr; hushållets förlust av disponibel "
            "inkomst delad lika på barnen. Staplar: 25–75:e percentilen, linje: 10–90:e, streck: median, romb: medel.",
            "SEK per child and month among children in households losing more than SEK 0.50; the household's loss of "
            "disposable income shared equally between its children. Bars: 25th–75th percentile, line: 10th–90th, tick: median, diamond: mean.",
        ),
        context,
        lang,
    )
    y = np.arange(len(runs))[::-1]
    top = 0.0
    ends = []
    for yi, run in zip(y, runs, strict=True):
        colour = _colour(run, runs)
        p = {q: _value(table, run, metric, f"percentil:{q}") for q in (10, 25, 50, 75, 90)}
        mean = _value(table, run, metric)
        alpha = 0.45 if _is_static(run) else 1.0
        if all(np.isfinite(v) for v in p.values()):
            ax.plot([p[10], p[90]], [yi, yi], color=colour, linewidth=1.6, alpha=alpha)
            ax.barh(yi, p[75] - p[25], left=p[25], height=0.5, color=colour, alpha=alpha)
            ax.plot([p[50], p[50]], [yi - 0.25, yi + 0.25], color="black", linewidth=2)
            top = max(top, p[90])
            ends.append((yi, max(p[90], mean if np.isfinite(mean) else 0.0), p[50], "median"))
        elif np.isfinite(mean):
            ends.append((yi, mean, mean, "mean"))
        if np.isfinite(mean):
            ax.plot(mean, yi, marker="D", color="white", markeredgecolor="black", markersize=7)
            top = max(top, mean)
    # The median (the mean without percentiles) beside each row, the number a text quotes.
    for yi, end, value, kind in ends:
        word = _t(lang, "median", "median") if kind == "median" else _t(lang, "medel", "mean")
        amount = _t(
            lang, f"{_number(value, 0, lang)}\u00a0kr", f"SEK\u00a0{_number(value, 0, lang)}"
        )
        ax.text(
            end + top * 0.015,
            yi,
            f"{word} {amount}",
            va="center",
            ha="left",
            fontsize=VALUE_SIZE - 0.5,
        )
    ax.set_yticks(y, [scenario_name(r, lang) for r in runs])
    ax.set_xlim(0, top * 1.3 if top > 0 else 1)
    ax.set_xlabel(_t(lang, "Kronor per barn och månad", "SEK per child and month"))
    _thousands_axis(ax, "x", lang)
    ax.grid(axis="x")
    return fig


@_styled
def typfall_waterfall(
    table: pl.DataFrame | None = None,
    *,
    lang: str = "sv",
    context: ChartContext | None = None,
    scenario: str = "kombinerad",
) -> Figure:
    """How each reform part changes the total support of the typfall household.

    The household of docs/reforms.md §2.1.1: a couple aged 38 and 40 without income,
    children 3, 6, 9, 12 and 15, housing cost 16 180 kr (reasonable-housing level × 1.4),
    in September of the run's year; computed with :func:`sim.calculator.household.compare`, which adds
    the scenario's changes one parameter at a time (so the steps add up to the change).
    Total support = FS + barnbidrag + bostadsbidrag + underhållsstöd + jobbpremie.
    ``table`` is not used (accepted so every chart has the same signature).
    """
    from sim.calculator.household import HouseholdSpec, compare

    year = context.year if context else 2027
    comparison = compare(
        HouseholdSpec(**TYPFALL), date=f"{year}-{TYPFALL_MONTH:02d}", scenario=scenario
    )
    before = comparison.baseline["total_support"]
    after = comparison.reform["total_support"]
    steps = [e for e in comparison.effects if abs(e.total_support) >= 0.5]
    idle = [e.path for e in comparison.effects if abs(e.total_support) < 0.5]

    def rule(path: str) -> str:
        try:
            return labels.law_title(path, lang)
        except KeyError:
            return path  # a user's parameter without a title in its file

    note = ""
    if idle:
        note = (
            _t(lang, "Utan effekt för detta hushåll: ", "No effect on this household: ")
            + ", ".join(rule(p).lower() if lang == "sv" else rule(p) for p in idle)
            + "."
        )
    change = after - before
    amount = _number(abs(change), 0, lang)
    fig, (ax,) = _figure(
        _t(
            lang,
            f"{scenario_name(scenario, lang)}: sammanboende med fem barn får {amount}\u00a0kr "
            f"{'mindre' if change < 0 else 'mer'} i månaden",
            f"{scenario_name(scenario, lang)}: a couple with five children gets SEK\u00a0{amount} "
            f"{'less' if change < 0 else 'more'} a month",
        ),
        _t(
            lang,
            f"Typfallet. Totalt stöd, kronor per månad, september {year}: försörjningsstöd + barnbidrag + bostadsbidrag. "
            "Vuxna 38 och 40 år utan inkomst, barn 3, 6, 9, 12 och 15 år, hyra 16\u00a0180\u00a0kr "
            "(regeringens typfall, återgivet av TT i september 2025).",
            f"The typical case. Total support, SEK per month, September {year}: försörjningsstöd + child benefit + "
            "housing allowance. Adults 38 and 40 without income, children 3, 6, 9, 12 and 15, rent SEK 16,180 "
            "(the government's typical case, as reported by TT in September 2025).",
        ),
        context,
        lang,
        note=note,
    )
    names = (
        [scenario_name("baseline", lang)]
        + [rule(e.path) for e in steps]
        + [scenario_name(scenario, lang)]
    )
    x = np.arange(len(names))
    ax.bar(x[0], before, color=COLOURS["baseline"], width=0.6)
    level = before
    for i, effect in enumerate(steps, start=1):
        change = effect.total_support
        colour = BAND_COLOURS[0] if change < 0 else BAND_COLOURS[4]
        ax.bar(x[i], abs(change), bottom=min(level, level + change), color=colour, width=0.6)
        ax.plot([x[i - 1] + 0.3, x[i] - 0.3], [level, level], color="#888888", linewidth=0.8)
        ax.text(
            x[i],
            max(level, level + change) + before * 0.015,
            _kronor(_number(change, 0, lang, signed=True), lang),
            ha="center",
            va="bottom",
            fontsize=VALUE_SIZE,
        )
        level += change
    ax.plot([x[-2] + 0.3, x[-1] - 0.3], [level, level], color="#888888", linewidth=0.8)
    ax.bar(x[-1], after, color=_colour(scenario), width=0.6)
    for xi, value in ((x[0], before), (x[-1], after)):
        ax.text(
            xi,
            value + before * 0.015,
            _kronor(_number(value, 0, lang), lang),
            ha="center",
            va="bottom",
            fontsize=VALUE_SIZE,
            fontweight="bold",
        )
    ax.set_xticks(x, [textwrap.fill(n, 16, break_long_words=False) for n in names], fontsize=11)
    ax.set_ylim(0, before * 1.12)
    ax.set_ylabel(_t(lang, "Kronor per månad", "SEK per month"))
    _thousands_axis(ax, "y", lang)
    ax.grid(axis="y")
    return fig


#: Every chart: file name -> function. The order is the report's.
CHARTS: dict[str, Callable[..., Figure]] = {
    "child_poverty": child_poverty,
    "fs_cost": fs_cost,
    "change_by_household": change_by_household,
    "change_bands": change_bands,
    "change_by_decile": change_by_decile,
    "monthly_caseload": monthly_caseload,
    "typfall_waterfall": typfall_waterfall,
    "loss_per_child": loss_per_child,
}


# ---------------------------------------------------------------------- uncertainty charts

#: The panels of the whisker charts: metric, scale to the axis unit, decimals of the axis and
#: value labels, (sv, en) panel title of the level chart, (sv, en) of the effect chart.
BAND_PANELS = (
    (
        "poverty_rate",
        100.0,
        1,
        ("Fattigdom, % av personer", "Poverty, % of persons"),
        ("Fattigdom, procentenheter", "Poverty, percentage points"),
    ),
    (
        "child_poverty_rate",
        100.0,
        1,
        ("Barnfattigdom, % av barn 0–17", "Child poverty, % of children 0–17"),
        ("Barnfattigdom, procentenheter", "Child poverty, percentage points"),
    ),
    (
        "fs_paid_sek_year",
        1e-6,
        0,
        ("Utbetalt försörjningsstöd, mkr/år", "Försörjningsstöd paid, SEK m/year"),
        ("Utbetalt försörjningsstöd, mkr/år", "Försörjningsstöd paid, SEK m/year"),
    ),
    (
        "public_cost_sek_year",
        1e-6,
        0,
        ("Offentlig kostnad, mkr/år", "Public cost, SEK m/year"),
        ("Offentlig kostnad, mkr/år", "Public cost, SEK m/year"),
    ),
)


def _whiskers(
    ax: Axes,
    table: pl.DataFrame,
    runs: Sequence[str],
    metric: str,
    scale: float,
    decimals: int,
    lang: str,
    *,
    signed: bool,
) -> None:
    """One row per run: the median as a dot, the 10th–90th percentile as a whisker with caps
    (an ``errorbar``), the median's value written to the right of the whisker."""
    y = np.arange(len(runs))[::-1]
    ends = []
    for yi, run in zip(y, runs, strict=True):
        value = _value(table, run, metric) * scale
        if not np.isfinite(value):
            continue
        band = _band(table, run, metric)
        low, high = (band[0] * scale, band[1] * scale) if band else (value, value)
        colour = _colour(run, runs)
        ax.errorbar(
            value,
            yi,
            xerr=[[max(value - low, 0.0)], [max(high - value, 0.0)]],
            fmt="o",
            color=colour,
            markersize=6,
            capsize=4,
            elinewidth=2.2,
            markerfacecolor="white" if _is_static(run) else colour,
            markeredgewidth=1.6,
        )
        ends.append((yi, min(low, value), max(high, value), value))
    if not ends:
        return
    left = min(e[1] for e in ends)
    right = max(e[2] for e in ends)
    if signed:
        left, right = min(left, 0.0), max(right, 0.0)
        ax.axvline(0, color="#444444", linewidth=0.8)
    span = (right - left) or max(abs(right), 1.0)
    for yi, _low, high, value in ends:
        ax.text(
            high + span * 0.04,
            yi,
            _number(value, decimals, lang, signed=signed),
            va="center",
            ha="left",
            fontsize=VALUE_SIZE - 1,
        )
    ax.set_xlim(left - span * 0.06, right + span * 0.5)
    ax.set_ylim(-0.6, len(runs) - 0.4)
    ticks = 2 if span < 0.6 else 1 if span < 6 else 0
    _thousands_axis(ax, "x", lang, decimals=ticks, nbins=4)
    ax.grid(axis="x")


def _band_figure(
    table: pl.DataFrame,
    runs: Sequence[str],
    title: str,
    subtitle: str,
    context: ChartContext | None,
    lang: str,
    *,
    effect: bool,
) -> Figure:
    fig, axes = _figure(title, subtitle, context, lang, ncols=2, nrows=2)
    y = np.arange(len(runs))[::-1]
    for i, (ax, panel) in enumerate(zip(axes, BAND_PANELS, strict=True)):
        metric, scale, decimals, level_title, effect_title = panel
        if effect and scale == 100.0:
            decimals += 1  # effects on poverty are tenths of a percentage point
        _whiskers(ax, table, runs, metric, scale, decimals, lang, signed=effect)
        ax.set_title(_t(lang, *(effect_title if effect else level_title)), fontsize=12.5)
        if i % 2 == 0:
            ax.set_yticks(y, [scenario_name(r, lang) for r in runs], fontsize=10.5)
        else:
            ax.set_yticks(y, [])
    return fig


def varied_text(varied: Sequence[str], lang: str = "sv") -> str:
    """What the replications varied, in words: ``nytt befolkningsurval och kalibreringsbrus``."""
    words = [labels.varied(v, lang) for v in varied]
    if not words:
        return _t(lang, "endast slumptal", "random numbers only")
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + _t(lang, " och ", " and ") + words[-1]


def _replications_text(context: ChartContext | None, lang: str) -> str:
    n = context.replications if context and context.replications else None
    text = _t(
        lang,
        f"över {n} replikeringar" if n else "över replikeringarna",
        f"over {n} replications" if n else "over the replications",
    )
    if context and context.varied:
        text += f" ({varied_text(context.varied, lang)})"
    return text


def banded_finding(table: pl.DataFrame, lang: str = "sv", *, effect: bool) -> str:
    """The finding of the whisker charts: the reform (with behaviour) whose median child
    poverty differs most from the baseline's, with its 10th–90th percentile. ``effect``:
    ``table`` is a differences table (the change itself, :func:`effect_bands`); else a
    sweep's summary (levels, :func:`headline_bands`)."""
    metric = "child_poverty_rate"
    runs = _reforms(table)
    if effect:
        changes = {r: 100 * _value(table, r, metric) for r in runs}
    else:
        base = _value(table, "baseline", metric)
        changes = {r: 100 * (_value(table, r, metric) - base) for r in runs}
    found = _largest(changes)
    if found is None:
        return _t(
            lang, "Huvudresultat med osäkerhetsintervall", "Headline results with uncertainty"
        )
    run, change = found
    band = _band(table, run, metric)
    if effect:
        decimals = _pp_decimals(list(changes.values()))
        amount = _number(abs(change), decimals, lang)
        interval = ""
        if band:
            low, high = 100 * band[0], 100 * band[1]
            if low * high > 0:  # one sign: the interval as magnitudes
                ends = sorted((abs(low), abs(high)))
                interval = (
                    f" ({_number(ends[0], decimals, lang)}–{_number(ends[1], decimals, lang)})"
                )
            else:
                interval = (
                    f" ({_number(low, decimals, lang, signed=True)} {_t(lang, 'till', 'to')} "
                    f"{_number(high, decimals, lang, signed=True)})"
                )
        return _t(
            lang,
            f"{scenario_name(run, lang)}: barnfattigdomen {'ökar' if change > 0 else 'minskar'} med "
            f"{amount} procentenheter{interval}",
            f"{scenario_name(run, lang)}: child poverty {'rises' if change > 0 else 'falls'} by "
            f"{amount} percentage points{interval}",
        )
    level = _number(100 * _value(table, run, metric), 1, lang)
    interval = (
        f" ({_number(100 * band[0], 1, lang)}–{_number(100 * band[1], 1, lang)}\u00a0%)"
        if band
        else ""
    )
    base = _number(100 * _value(table, "baseline", metric), 1, lang)
    return _t(
        lang,
        f"{scenario_name(run, lang)}: barnfattigdom {level}\u00a0%{interval} mot {base}\u00a0% med nuvarande regler",
        f"{scenario_name(run, lang)}: child poverty {level}\u00a0%{interval} against {base}\u00a0% under current rules",
    )


def assumption_title(path: str, lang: str = "sv") -> str:
    """An assumption's or a parameter's title from its YAML file (:func:`sim.catalogue.labels.law_title`);
    its path only while the file has no title (a user's own, or before the titles land)."""
    try:
        return labels.law_title(path, lang)
    except KeyError:
        return path


@_styled
def headline_bands(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Poverty, child poverty, FS paid and public cost (group ``all``) per run with their
    uncertainty: the median (``value``) as a dot and the 10th–90th percentile over the
    replications of ``sim sweep`` (``low``–``high``) as a whisker. Static runs have hollow dots.
    """
    runs = _runs(table)
    return _band_figure(
        table,
        runs,
        banded_finding(table, lang, effect=False),
        _t(
            lang,
            f"Punkt: median, linje: 10:e–90:e percentilen {_replications_text(context, lang)}. "
            "Fattigdom: disponibel inkomst per konsumtionsenhet under 60 % av medianen. "
            "Ofylld punkt: statisk beräkning.",
            f"Dot: median, line: 10th–90th percentile {_replications_text(context, lang)}. "
            "Poverty: disposable income per consumption unit below 60 % of the median. "
            "Hollow dot: static run.",
        ),
        context,
        lang,
        effect=False,
    )


@_styled
def effect_bands(
    differences: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """The reforms' effects against current rules with their uncertainty: ``differences``
    is the table of :func:`sim.uncertainty.sweeps.differences` (scenario − baseline taken within each
    replication); the median as a dot, the 10th–90th percentile as a whisker. Poverty in
    percentage points, money in million kronor a year."""
    runs = _runs(differences, baseline=False)
    return _band_figure(
        differences,
        runs,
        banded_finding(differences, lang, effect=True),
        _t(
            lang,
            "Skillnad reform − nuvarande regler inom varje replikering (samma befolkning och antaganden). "
            f"Punkt: median, linje: 10:e–90:e percentilen {_replications_text(context, lang)}. "
            "Ofylld punkt: statisk beräkning.",
            "Difference reform − current rules within each replication (same population and assumptions). "
            f"Dot: median, line: 10th–90th percentile {_replications_text(context, lang)}. "
            "Hollow dot: static run.",
        ),
        context,
        lang,
        effect=True,
    )


@_styled
def grid_fan(
    table: pl.DataFrame,
    path: str,
    *,
    lang: str = "sv",
    context: ChartContext | None = None,
    effect: bool = False,
) -> Figure:
    """A grid sweep's headline metrics against the value of the assumption ``path`` it set:
    per run a line through the medians at each grid value and a shaded fan from the 10th to
    the 90th percentile of the replications at that value. ``table`` is the summary of a
    ``--grid`` sweep (``grid_value`` first); with ``effect`` it is its differences table
    (scenario − baseline within each replication). Static runs are left out for legibility
    (they are in the table)."""
    runs = _runs(table, baseline=not effect, static=False)
    name = assumption_title(path, lang)
    title = _t(
        lang,
        f"{'Reformernas effekt' if effect else 'Huvudresultat'} efter antagandet {name}",
        f"{'Effect of the reforms' if effect else 'Headline results'} by the assumption {name}",
    )
    found = _grid_finding(table, runs, effect=effect, lang=lang)
    if found:
        title = found + _t(lang, f", beroende på {name}", f", depending on {name}")
    subtitle = _t(
        lang,
        "Linje: median, fält: 10:e–90:e percentilen av replikeringarna vid varje värde"
        f"{' (skillnad mot nuvarande regler inom varje replikering)' if effect else ''}. "
        "Övriga källor varierar som sim sweep --vary anger.",
        "Line: median, band: 10th–90th percentile of the replications at each value"
        f"{' (difference from current rules within each replication)' if effect else ''}. "
        "Other sources vary as sim sweep --vary says.",
    )
    fig, axes = _figure(title, subtitle, context, lang, ncols=2, nrows=2, legend_rows=1)
    grid_values = sorted(set(table["grid_value"].to_list()))
    for ax, panel in zip(axes, BAND_PANELS, strict=True):
        metric, scale, decimals, level_title, effect_title = panel
        for run in runs:
            rows = table.filter(
                (pl.col("scenario") == run)
                & (pl.col("metric") == metric)
                & (pl.col("group") == "all")
            ).sort("grid_value")
            if not rows.height:
                continue
            x = rows["grid_value"].to_numpy()
            colour = _colour(run, runs)
            ax.fill_between(
                x,
                rows["low"].to_numpy() * scale,
                rows["high"].to_numpy() * scale,
                color=colour,
                alpha=0.18,
                linewidth=0,
            )
            ax.plot(x, rows["value"].to_numpy() * scale, color=colour, marker="o", markersize=4)
        if effect:
            ax.axhline(0, color="#444444", linewidth=0.8)
        ax.set_title(_t(lang, *(effect_title if effect else level_title)), fontsize=12.5)
        ax.set_xticks(
            grid_values, [_number(v, _grid_decimals(grid_values), lang) for v in grid_values]
        )
        ticks = 2 if effect and scale == 100.0 else decimals
        _thousands_axis(ax, "y", lang, decimals=ticks, nbins=4)
        ax.grid(axis="y")
    handles = [_patch(_colour(r, runs)) for r in runs]
    _legend_top(fig, handles, [scenario_name(r, lang) for r in runs], ncols=len(runs))
    return fig


def _grid_finding(table: pl.DataFrame, runs: Sequence[str], *, effect: bool, lang: str) -> str:
    """What a grid sweep shows for child poverty: the range of the median over the grid's
    values, for the reform whose range is widest (``Kombinerad: barnfattigdomen 22,9–23,4 %``).
    Empty without reforms."""
    metric = "child_poverty_rate"
    spans = {}
    for run in runs:
        if run == "baseline":
            continue
        values = table.filter(
            (pl.col("scenario") == run) & (pl.col("metric") == metric) & (pl.col("group") == "all")
        )["value"].to_numpy()
        values = values[np.isfinite(values)] * 100
        if values.size:
            spans[run] = (float(values.min()), float(values.max()))
    if not spans:
        return ""
    run, (low, high) = max(spans.items(), key=lambda kv: kv[1][1] - kv[1][0])
    if effect:
        decimals = _pp_decimals([low, high])
        return _t(
            lang,
            f"{scenario_name(run, lang)}: barnfattigdomen ändras med {_number(low, decimals, lang, signed=True)} "
            f"till {_number(high, decimals, lang, signed=True)} p.e.",
            f"{scenario_name(run, lang)}: child poverty changes by {_number(low, decimals, lang, signed=True)} "
            f"to {_number(high, decimals, lang, signed=True)} pp",
        )
    return _t(
        lang,
        f"{scenario_name(run, lang)}: barnfattigdom {_number(low, 1, lang)}–{_number(high, 1, lang)}\u00a0%",
        f"{scenario_name(run, lang)}: child poverty {_number(low, 1, lang)}–{_number(high, 1, lang)}\u00a0%",
    )


def _grid_decimals(values: Sequence[float]) -> int:
    """Fewest decimals (up to 4) that write every grid value exactly."""
    for decimals in range(5):
        if all(abs(round(v, decimals) - v) < 1e-12 for v in values):
            return decimals
    return 4


#: The uncertainty charts of a sweep: file name -> function. ``headline_bands`` takes the
#: results table, ``effect_bands`` the differences table.
BAND_CHARTS: dict[str, Callable[..., Figure]] = {
    "headline_bands": headline_bands,
    "effect_bands": effect_bands,
}


def render_bands(
    table: pl.DataFrame,
    differences: pl.DataFrame | None,
    folder: str | Path,
    *,
    lang: str = "sv",
    context: ChartContext | None = None,
) -> dict[str, tuple[Path, Path]]:
    """Draw the charts of :data:`BAND_CHARTS` whose table has bands (``low``/``high``) and
    write their PNG and SVG into ``folder``; name -> (png, svg). Nothing without bands."""
    import matplotlib

    written = {}
    sources = {"headline_bands": table, "effect_bands": differences}
    for name, function in BAND_CHARTS.items():
        source = sources[name]
        if source is None or not source.height or not _has_bands(source):
            continue
        with matplotlib.rc_context(STYLE):
            fig = function(source, lang=lang, context=context)
        written[name] = save_chart(fig, folder, name)
    return written


# ------------------------------------------------------------------------------ helpers


def _fit_y(ax: Axes, *, include: Sequence[float] = ()) -> None:
    """A line chart's y range fitted to its lines (and ``include``) with a margin, instead
    of from zero: the change between the lines is what the chart shows."""
    ys = [y for line in ax.get_lines() for y in np.asarray(line.get_ydata(), float)]
    ys = [y for y in list(ys) + list(include) if np.isfinite(y)]
    if not ys:
        return
    low, high = min(ys), max(ys)
    pad = (high - low) * 0.12 or max(abs(high), 1.0) * 0.05
    ax.set_ylim(max(low - pad, 0.0) if low >= 0 else low - pad, high + pad)
    ax.set_xlim(right=ax.get_xlim()[1] + 0.9)


def _end_labels(ax: Axes, x: float, ends: Sequence[tuple[float, str, str]]) -> None:
    """Each ``(y, text, colour)`` written right of ``x``, moved apart vertically so no two
    labels touch (at least one label height between them, in data units)."""
    if not ends:
        return
    bottom, top = ax.get_ylim()
    axes_px = ax.get_window_extent().height or 1.0
    fig_px = ax.figure.bbox.height
    # A label of VALUE_SIZE points in data units (1.3 line heights apart).
    gap = (top - bottom) * (VALUE_SIZE * 1.3 / 72 * ax.figure.dpi) / max(axes_px, fig_px * 0.3)
    placed: list[float] = []
    for y, text, colour in sorted(ends, key=lambda e: e[0]):
        at = max(y, placed[-1] + gap) if placed else y
        placed.append(at)
        ax.text(x + 0.15, at, text, color=colour, fontsize=VALUE_SIZE, va="center", ha="left")


def _patch(colour: str):
    from matplotlib.patches import Patch

    return Patch(facecolor=colour)


def _band_note(table: pl.DataFrame, lang: str) -> str:
    if _has_bands(table):
        return _t(
            lang,
            "Felstaplar: osäkerhetsintervall (low–high) från replikeringar.",
            "Error bars: uncertainty band (low–high) from replications.",
        )
    return _t(
        lang,
        "Ingen osäkerhetsberäkning i denna körning (osäkerhetsintervall: sim sweep).",
        "No uncertainty computed in this run (uncertainty bands: sim sweep).",
    )


def _error_bars(
    ax: Axes,
    table: pl.DataFrame,
    runs: Sequence[str],
    metric: str,
    positions: np.ndarray,
    *,
    horizontal: bool,
    scale: float,
) -> None:
    for pos, run in zip(positions, runs, strict=True):
        band = _band(table, run, metric)
        if band is None:
            continue
        value = _value(table, run, metric) * scale
        low, high = band[0] * scale, band[1] * scale
        err = [[max(value - low, 0)], [max(high - value, 0)]]
        if horizontal:
            ax.errorbar(value, pos, xerr=err, color="black", capsize=3, linewidth=1)
        else:
            ax.errorbar(pos, value, yerr=err, color="black", capsize=3, linewidth=1)


def save_chart(fig: Figure, folder: str | Path, name: str) -> tuple[Path, Path]:
    """Write ``<name>.png`` (200 dpi, 1920 × 1080) and ``<name>.svg`` into ``folder``."""
    import matplotlib

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    with matplotlib.rc_context(STYLE):
        fig.savefig(png, dpi=PNG_DPI, metadata={"Software": None})
        # The layout is fixed by the first save; the SVG reuses it instead of redoing it.
        engine = fig.get_layout_engine()
        fig.set_layout_engine("none")
        fig.savefig(svg, metadata={"Date": None})
        fig.set_layout_engine(engine)
    return png, svg


def all_charts() -> dict[str, Callable[..., Figure]]:
    """:data:`CHARTS` and the municipal view's charts (:mod:`sim.outputs.charts_municipal`)."""
    from sim.outputs.charts_municipal import MUNICIPAL_CHARTS

    return {**CHARTS, **MUNICIPAL_CHARTS}


def render(
    name: str,
    table: pl.DataFrame,
    *,
    lang: str = "sv",
    context: ChartContext | None = None,
    differences: pl.DataFrame | None = None,
) -> Figure:
    """Draw chart ``name`` of :data:`CHARTS` in the house style. A sweep's ``differences``
    go to the charts that draw the band of a change (:func:`child_poverty`)."""
    import inspect

    import matplotlib

    charts = all_charts()
    if name not in charts:
        from sim.common.errors import SimInputError

        raise SimInputError(f"unknown chart {name!r}; charts: {', '.join(charts)}")
    extra = {}
    if differences is not None and "differences" in inspect.signature(charts[name]).parameters:
        extra["differences"] = differences
    with matplotlib.rc_context(STYLE):
        return charts[name](table, lang=lang, context=context, **extra)


def render_all(
    table: pl.DataFrame,
    folder: str | Path,
    *,
    lang: str = "sv",
    context: ChartContext | None = None,
    differences: pl.DataFrame | None = None,
) -> dict[str, tuple[Path, Path]]:
    """Draw every chart and write its PNG and SVG into ``folder``; name -> (png, svg)."""
    written = {}
    for name in all_charts():
        fig = render(name, table, lang=lang, context=context, differences=differences)
        written[name] = save_chart(fig, folder, name)
    return written
