"""Charts of a results table: one house style, Swedish labels by default, English on request.

Every chart function takes the tidy results table (``scenario, metric, group, value, low,
high``, see :mod:`sim.results`) and returns a :class:`matplotlib.figure.Figure` — except
:func:`typfall_waterfall`, which computes its household with :func:`sim.household.compare`.
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

from sim import labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Figure size in inches (16:9) and the PNG resolution: 1920 × 1080 pixels.
FIGSIZE = (9.6, 5.4)
PNG_DPI = 200

#: The house style (rcParams applied while a chart is drawn and saved).
STYLE: dict[str, Any] = {
    # A fixed salt for the ids in SVG files (matplotlib draws them at random otherwise):
    # two identical runs give identical bytes.
    "svg.hashsalt": "sim",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
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
    "legend.frameon": False,
    "legend.fontsize": 9,
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

#: Short labels of the reform parameters a scenario switches (the waterfall's steps).
RULE_LABELS = {
    "bidragstak.modernised_riksnorm": ("Sänkt riksnorm", "Lower riksnorm"),
    "bidragstak.fourth_child_rule": ("Lägre norm från 4:e barnet", "Lower norm from 4th child"),
    "bidragstak.no_topups": ("Inga tillägg utöver normen", "No top-ups above the norm"),
    "bidragstak.fourth_child_phase": ("Infasning 4:e barnet", "Phase-in, 4th child"),
    "aktivitetskrav.in_force": ("Aktivitetskrav", "Activity requirement"),
    "aktivitetskrav.state_funding_sek_year": ("Statsbidrag aktiviteter", "State activity funding"),
    "jobbpremie.in_force": ("Jobbpremie", "Job premium"),
}

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
    behavioural run used (the ``/statisk`` runs use ``none``).
    """

    version: str = ""
    population: str = ""
    seed: int | None = None
    year: int = 2027
    assumption_sets: Mapping[str, str] = dataclasses.field(default_factory=dict)
    replications: int | None = None
    varied: tuple[str, ...] = ()

    @classmethod
    def from_manifest(cls, manifest: Mapping[str, Any]) -> ChartContext:
        """The context recorded in an output folder's ``manifest.json``."""
        population = (
            manifest.get("population_name") or Path(str(manifest.get("population") or "")).name
        )
        profile = manifest.get("kommun_profile")
        if profile:
            population = f"{population} → {profile.get('namn', '')}"
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
        )


def _version() -> str:
    from sim import __version__

    return __version__


def _t(lang: str, sv: str, en: str) -> str:
    return labels.text(lang, sv, en)


def scenario_name(label: str, lang: str = "sv", *, newline: bool = False) -> str:
    """The display name of a run label (:func:`sim.labels.scenario`)."""
    return labels.scenario(label, lang, newline=newline)


def group_label(label: str, lang: str = "sv") -> str:
    """A group of the table (``kind:value``) in the chart's language (:func:`sim.labels.group`)."""
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
    from sim.report import format_number

    return format_number(value, decimals=decimals, lang=lang, signed=signed)


def _source_lines(context: ChartContext | None, lang: str, extra: str = "") -> str:
    ctx = context or ChartContext(version=_version())
    population = ctx.population or _t(lang, "okänd", "unknown")
    seed = f", seed {ctx.seed}" if ctx.seed is not None else ""
    if ctx.replications:
        seed += _t(
            lang, f", {ctx.replications} replikeringar", f", {ctx.replications} replications"
        )
    source = _t(
        lang,
        f"Källa: sim {ctx.version or _version()}, egna beräkningar; syntetisk population {population}{seed}; år {ctx.year}.",
        f"Source: sim {ctx.version or _version()}, own calculations; synthetic population {population}{seed}; year {ctx.year}.",
    )
    sets = {}
    for name, chosen in ctx.assumption_sets.items():
        if name != "baseline":
            sets.setdefault(chosen, []).append(scenario_name(name, lang))
    if sets:
        parts = "; ".join(f"{', '.join(names)}: {chosen}" for chosen, names in sets.items())
        assumptions = _t(
            lang,
            f"Antagandeuppsättning för beteende: {parts}; (statisk) = inga beteendeeffekter.",
            f"Behaviour assumption set: {parts}; (static) = no behavioural response.",
        )
    else:
        assumptions = _t(
            lang,
            "Antagandeuppsättning: se rapportens manifest.",
            "Assumption set: see the report's manifest.",
        )
    lines = [source, assumptions]
    if extra:
        lines.append(extra)
    return "\n".join(textwrap.fill(line, 175) for line in lines)


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
) -> tuple[Figure, list[Axes]]:
    """A 16:9 figure with header (title, subtitle, room for a legend) and footer (source,
    assumptions); the axes fill the space between them (constrained layout)."""
    from sim.figure import SimFigure

    fig = SimFigure(figsize=FIGSIZE, layout="constrained")
    footer = _source_lines(context, lang, note)
    n_footer = footer.count("\n") + 1
    subtitle = textwrap.fill(subtitle, 118)
    n_sub = subtitle.count("\n") + 1
    top = 1 - (0.095 + 0.036 * n_sub) - 0.045 * legend_rows
    bottom = 0.03 + 0.027 * n_footer
    fig.get_layout_engine().set(rect=(0.0, bottom, 1.0, top - bottom), w_pad=0.08, h_pad=0.05)
    fig.sim_plot_top = top
    fig.text(0.012, 0.975, title, fontsize=15, fontweight="bold", va="top", ha="left")
    fig.text(0.012, 0.91, subtitle, fontsize=10, color="#444444", va="top", ha="left")
    fig.text(0.012, 0.012, footer, fontsize=7.5, color="#555555", va="bottom", ha="left")
    axes = fig.subplots(nrows, ncols, squeeze=False, width_ratios=width_ratios)
    return fig, list(axes.ravel())


def _legend_top(fig: Figure, handles: list, labels: list[str], ncols: int) -> None:
    """A legend above the plot area, right-aligned under the subtitle."""
    fig.legend(
        handles,
        labels,
        loc="lower right",
        bbox_to_anchor=(0.99, fig.sim_plot_top + 0.005),
        ncols=ncols,
        fontsize=9,
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


@_styled
def child_poverty(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Child poverty (``child_poverty_rate``, group ``all``) per run, with the change
    against the baseline in percentage points."""
    runs = _runs(table)
    values = [100 * _value(table, r, "child_poverty_rate") for r in runs]
    base = values[0] if runs and runs[0] == "baseline" else float("nan")
    fig, (ax,) = _figure(
        _t(lang, "Barnfattigdom per scenario", "Child poverty by scenario"),
        _t(
            lang,
            "Andel barn 0–17 år (%) i hushåll med disponibel inkomst per konsumtionsenhet under 60 % av medianen (årsinkomst). "
            "Förändring mot nuvarande regler i procentenheter (p.e.).",
            "Share of children 0–17 (%) in households with disposable income per consumption unit below 60 % of the median (annual). "
            "Change against current rules in percentage points (pp).",
        ),
        context,
        lang,
        note=_band_note(table, lang),
    )
    y = np.arange(len(runs))[::-1]
    colours = [_colour(r, runs) for r in runs]
    bars = ax.barh(y, values, color=colours, height=0.62)
    for bar, run in zip(bars, runs, strict=True):
        if _is_static(run):
            bar.set_alpha(0.45)
            bar.set_hatch("//")
    _error_bars(ax, table, runs, "child_poverty_rate", y, horizontal=True, scale=100)
    top = max(values) if values else 1.0
    for yi, value, run in zip(y, values, runs, strict=True):
        text = f"{_number(value, 1, lang)} %"
        if run != "baseline" and np.isfinite(base):
            unit = _t(lang, "p.e.", "pp")
            text += f"  ({_number(value - base, 1, lang, signed=True)} {unit})"
        ax.text(value + top * 0.01, yi, text, va="center", ha="left", fontsize=9.5)
    ax.set_yticks(y, [scenario_name(r, lang) for r in runs])
    ax.set_xlim(0, top * 1.3)
    ax.set_xlabel(_t(lang, "Procent av alla barn 0–17 år", "Per cent of all children 0–17"))
    _thousands_axis(ax, "x", lang)
    ax.grid(axis="x")
    return fig


@_styled
def fs_cost(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Public cost per run split municipality/state, million kronor a year:
    ``municipal_cost_sek_year`` (FS paid + delivering the aktivitetskrav − state funding)
    and ``state_cost_sek_year`` (jobbpremie + state funding of the aktivitetskrav)."""
    runs = _runs(table)
    municipal = np.array([_value(table, r, "municipal_cost_sek_year") for r in runs]) / 1e6
    state = np.array([_value(table, r, "state_cost_sek_year") for r in runs]) / 1e6
    fig, (ax,) = _figure(
        _t(lang, "Offentlig kostnad per scenario", "Public cost by scenario"),
        _t(
            lang,
            "Miljoner kronor per år. Kommunerna: utbetalt försörjningsstöd + aktivitetskravet "
            "(aktiviteter, barnomsorg, handläggning) − statsbidrag. Staten: jobbpremie + statsbidrag.",
            "SEK million a year. Municipalities: försörjningsstöd paid + the activity requirement "
            "(activities, childcare, casework) − state funding. State: jobbpremie + state funding.",
        ),
        context,
        lang,
        legend_rows=1,
        note=_band_note(table, lang),
    )
    x = np.arange(len(runs))
    ax.bar(
        x,
        municipal,
        color=MUNICIPAL_COLOUR,
        width=0.62,
    )
    ax.bar(
        x,
        state,
        bottom=municipal,
        color=STATE_COLOUR,
        width=0.62,
    )
    total = municipal + state
    for xi, value in zip(x, total, strict=True):
        ax.text(
            xi,
            value + total.max() * 0.015,
            f"{_number(value, 0, lang)}",
            ha="center",
            va="bottom",
            fontsize=9,
        )
    _error_bars(ax, table, runs, "public_cost_sek_year", x, horizontal=False, scale=1e-6)
    ax.set_xticks(x, [scenario_name(r, lang, newline=True) for r in runs])
    ax.set_ylim(0, total.max() * 1.12 if len(total) else 1)
    ax.set_ylabel(_t(lang, "Miljoner kronor per år", "SEK million a year"))
    _thousands_axis(ax, "y", lang)
    ax.grid(axis="y")
    handles = [_patch(MUNICIPAL_COLOUR), _patch(STATE_COLOUR)]
    labels = [_t(lang, "Kommuner", "Municipalities"), _t(lang, "Staten", "State")]
    _legend_top(fig, handles, labels, ncols=2)
    return fig


@_styled
def change_by_household(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Mean change of disposable income per month among households with FS in the baseline
    (``mean_change_recipients_sek_month``), by household type and by number of children."""
    runs = _runs(table, baseline=False, static=False)
    fig, axes = _figure(
        _t(
            lang,
            "Genomsnittlig förändring per hushåll och månad",
            "Average change per household and month",
        ),
        _t(
            lang,
            "Kronor per månad, disponibel inkomst jämfört med nuvarande regler; medel över hushåll med "
            "försörjningsstöd under nuvarande regler (mean_change_recipients_sek_month).",
            "SEK per month, disposable income against current rules; mean over households with "
            "försörjningsstöd under current rules (mean_change_recipients_sek_month).",
        ),
        context,
        lang,
        legend_rows=1,
        ncols=2,
        width_ratios=(1.25, 1.0),
    )
    metric = "mean_change_recipients_sek_month"
    panels = (
        ("hushållstyp:", _t(lang, "Efter hushållstyp", "By household type")),
        ("antal_barn:", _t(lang, "Efter antal barn", "By number of children")),
    )
    for ax, (prefix, title) in zip(axes, panels, strict=True):
        groups = _groups(table, metric, prefix)
        _grouped_barh(ax, table, runs, metric, groups, lang)
        ax.set_title(title)
        ax.set_xlabel(_t(lang, "Kronor per månad", "SEK per month"))
        if prefix == "antal_barn:":
            ax.set_ylabel(_t(lang, "Antal barn", "Number of children"))
    handles = [_patch(_colour(r, runs)) for r in runs]
    _legend_top(fig, handles, [scenario_name(r, lang) for r in runs], ncols=len(runs))
    return fig


@_styled
def change_bands(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Winners and losers: households with FS in the baseline or the reform by the change of
    their disposable income per month (``households_change_band``), in five bands."""
    runs = _runs(table, baseline=False)
    bands = _groups(table, "households_change_band", "förändring:")
    fig, (ax,) = _figure(
        _t(lang, "Vinnare och förlorare", "Winners and losers"),
        _t(
            lang,
            "Tusental hushåll med försörjningsstöd under nuvarande regler eller reformen, efter förändring av disponibel "
            "inkomst per månad: stor förlust mer än 1\u00a0000\u00a0kr, liten förlust 100–1\u00a0000\u00a0kr, oförändrad ±100\u00a0kr.",
            "Thousands of households with försörjningsstöd under current rules or the reform, by change of disposable "
            "income per month: large loss more than SEK\u00a01,000, small loss SEK\u00a0100–1,000, unchanged ±100.",
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
                    fontsize=9,
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
        _t(lang, "Förändring efter inkomstdecil", "Change by income decile"),
        _t(
            lang,
            "Kronor per hushåll och månad, medel över alla hushåll i decilen (mean_change_sek_month). Decil av "
            "ekonomisk standard (disponibel inkomst per konsumtionsenhet) under nuvarande regler; 1 = lägst.",
            "SEK per household and month, mean over all households in the decile (mean_change_sek_month). Decile "
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


@_styled
def monthly_caseload(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Households with FS paid in each month of the year (``fs_households_month``)."""
    runs = _runs(table)
    groups = _groups(table, "fs_households_month", "månad:")
    fig, (ax,) = _figure(
        _t(
            lang,
            "Hushåll med försörjningsstöd månad för månad",
            "Households with FS month by month",
        ),
        _t(
            lang,
            "Tusental hushåll med utbetalt försörjningsstöd i månaden. Streckat: statisk beräkning (utan beteendeeffekter).",
            "Thousand households with försörjningsstöd paid in the month. Dashed: static (no behavioural response).",
        ),
        context,
        lang,
        legend_rows=2,
    )
    x = np.arange(1, len(groups) + 1)
    handles, labels = [], []
    for run in runs:
        values = np.array([_value(table, run, "fs_households_month", g) for g in groups]) / 1e3
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
    ax.set_ylim(bottom=0)
    _thousands_axis(ax, "y", lang)
    ax.grid(axis="y")
    # Column-major legend: the baseline alone, then each reform above its static run.
    from matplotlib.lines import Line2D

    if runs and runs[0] == "baseline":
        handles.insert(1, Line2D([], [], alpha=0))
        labels.insert(1, "")
    _legend_top(fig, handles, labels, ncols=(len(handles) + 1) // 2)
    return fig


@_styled
def loss_per_child(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Distribution of the loss per child among children in households that lose.

    Each child carries an equal share of its household's loss of disposable income per
    month; the percentiles (10, 25, 50, 75, 90) are over children (rows
    ``loss_per_child_sek_month`` with groups ``percentil:<p>``, written by
    :func:`sim.results.results_table` from the runs); the diamond is the mean (group ``all``).
    Without the percentile rows only the mean is drawn.
    """
    runs = _runs(table, baseline=False)
    metric = "loss_per_child_sek_month"
    fig, (ax,) = _figure(
        _t(lang, "Förlust per barn", "Loss per child"),
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
        if np.isfinite(mean):
            ax.plot(mean, yi, marker="D", color="white", markeredgecolor="black", markersize=6)
            top = max(top, mean)
    ax.set_yticks(y, [scenario_name(r, lang) for r in runs])
    ax.set_xlim(0, top * 1.08 if top > 0 else 1)
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
    in September of the run's year; computed with :func:`sim.household.compare`, which adds
    the scenario's changes one parameter at a time (so the steps add up to the change).
    Total support = FS + barnbidrag + bostadsbidrag + underhållsstöd + jobbpremie.
    ``table`` is not used (accepted so every chart has the same signature).
    """
    from sim.household import HouseholdSpec, compare

    year = context.year if context else 2027
    comparison = compare(
        HouseholdSpec(**TYPFALL), date=f"{year}-{TYPFALL_MONTH:02d}", scenario=scenario
    )
    before = comparison.baseline["total_support"]
    after = comparison.reform["total_support"]
    steps = [e for e in comparison.effects if abs(e.total_support) >= 0.5]
    idle = [e.path for e in comparison.effects if abs(e.total_support) < 0.5]

    def rule(path: str) -> str:
        sv, en = RULE_LABELS.get(path, (path, path))
        return _t(lang, sv, en)

    note = ""
    if idle:
        note = (
            _t(lang, "Utan effekt för detta hushåll: ", "No effect on this household: ")
            + ", ".join(rule(p).lower() if lang == "sv" else rule(p) for p in idle)
            + "."
        )
    fig, (ax,) = _figure(
        _t(
            lang,
            f"Typfallet: sammanboende med fem barn, {scenario_name(scenario, lang).lower()}",
            f"The typical case: couple with five children, {scenario_name(scenario, lang).lower()}",
        ),
        _t(
            lang,
            f"Totalt stöd, kronor per månad, september {year}: försörjningsstöd + barnbidrag + bostadsbidrag. "
            "Vuxna 38 och 40 år utan inkomst, barn 3, 6, 9, 12 och 15 år, hyra 16\u00a0180\u00a0kr (regeringens typfall, docs/reforms.md §2.1.1).",
            f"Total support, SEK per month, September {year}: försörjningsstöd + child benefit + housing allowance. "
            "Adults 38 and 40 without income, children 3, 6, 9, 12 and 15, rent SEK 16,180 (the government's typical case, docs/reforms.md §2.1.1).",
        ),
        context,
        lang,
        note=note,
    )
    labels = (
        [scenario_name("baseline", lang)]
        + [rule(e.path) for e in steps]
        + [scenario_name(scenario, lang)]
    )
    x = np.arange(len(labels))
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
            f"{_number(change, 0, lang, signed=True)} kr",
            ha="center",
            va="bottom",
            fontsize=10,
        )
        level += change
    ax.plot([x[-2] + 0.3, x[-1] - 0.3], [level, level], color="#888888", linewidth=0.8)
    ax.bar(x[-1], after, color=_colour(scenario), width=0.6)
    for xi, value in ((x[0], before), (x[-1], after)):
        ax.text(
            xi,
            value + before * 0.015,
            f"{_number(value, 0, lang)} kr",
            ha="center",
            va="bottom",
            fontsize=10,
            fontweight="bold",
        )
    ax.set_xticks(x, labels)
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
            fontsize=8.5,
        )
    ax.set_xlim(left - span * 0.06, right + span * 0.42)
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
        ax.set_title(_t(lang, *(effect_title if effect else level_title)), fontsize=10)
        if i % 2 == 0:
            ax.set_yticks(y, [scenario_name(r, lang) for r in runs])
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
        _t(lang, "Huvudresultat med osäkerhetsintervall", "Headline results with uncertainty"),
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
    is the table of :func:`sim.uncertainty.differences` (scenario − baseline taken within each
    replication); the median as a dot, the 10th–90th percentile as a whisker. Poverty in
    percentage points, money in million kronor a year."""
    runs = _runs(differences, baseline=False)
    return _band_figure(
        differences,
        runs,
        _t(
            lang,
            "Reformernas effekt mot nuvarande regler, med osäkerhetsintervall",
            "Effect of the reforms against current rules, with uncertainty",
        ),
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
    title = _t(
        lang,
        f"{'Reformernas effekt' if effect else 'Huvudresultat'} efter antagandet {path}",
        f"{'Effect of the reforms' if effect else 'Headline results'} by the assumption {path}",
    )
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
        ax.set_title(_t(lang, *(effect_title if effect else level_title)), fontsize=10)
        ax.set_xticks(
            grid_values, [_number(v, _grid_decimals(grid_values), lang) for v in grid_values]
        )
        ticks = 2 if effect and scale == 100.0 else decimals
        _thousands_axis(ax, "y", lang, decimals=ticks, nbins=4)
        ax.grid(axis="y")
    handles = [_patch(_colour(r, runs)) for r in runs]
    _legend_top(fig, handles, [scenario_name(r, lang) for r in runs], ncols=len(runs))
    return fig


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


def _grouped_barh(
    ax: Axes,
    table: pl.DataFrame,
    runs: Sequence[str],
    metric: str,
    groups: Sequence[str],
    lang: str,
) -> None:
    y = np.arange(len(groups))[::-1]
    height = 0.8 / max(len(runs), 1)
    for i, run in enumerate(runs):
        values = [_value(table, run, metric, g) for g in groups]
        ax.barh(y + 0.4 - height * (i + 0.5), values, height=height, color=_colour(run, runs))
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_yticks(y, [group_label(g, lang) for g in groups])
    ax.use_sticky_edges = False
    ax.margins(x=0.04)
    _thousands_axis(ax, "x", lang, nbins=5)
    ax.grid(axis="x")


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
    """:data:`CHARTS` and the municipal view's charts (:mod:`sim.charts_municipal`)."""
    from sim.charts_municipal import MUNICIPAL_CHARTS

    return {**CHARTS, **MUNICIPAL_CHARTS}


def render(
    name: str,
    table: pl.DataFrame,
    *,
    lang: str = "sv",
    context: ChartContext | None = None,
) -> Figure:
    """Draw chart ``name`` of :data:`CHARTS` in the house style."""
    import matplotlib

    charts = all_charts()
    if name not in charts:
        from sim.errors import SimInputError

        raise SimInputError(f"unknown chart {name!r}; charts: {', '.join(charts)}")
    with matplotlib.rc_context(STYLE):
        return charts[name](table, lang=lang, context=context)


def render_all(
    table: pl.DataFrame,
    folder: str | Path,
    *,
    lang: str = "sv",
    context: ChartContext | None = None,
) -> dict[str, tuple[Path, Path]]:
    """Draw every chart and write its PNG and SVG into ``folder``; name -> (png, svg)."""
    written = {}
    for name in all_charts():
        fig = render(name, table, lang=lang, context=context)
        written[name] = save_chart(fig, folder, name)
    return written
