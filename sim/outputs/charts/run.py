"""The charts of a run: one house style (:mod:`sim.outputs.charts.style`), Swedish labels by
default, English on request.


Every chart function takes the tidy results table (``scenario, metric, group, value, low,
high``, see :mod:`sim.metrics.results`) and returns a :class:`matplotlib.figure.Figure`; the
typfall chart (:mod:`sim.outputs.charts.typfall`) draws the household comparison its context
carries. Each figure has a title that states its finding, a subtitle with the unit and the
definition, a source line ("Källa: sim <version>, egna beräkningar; population …",
:mod:`sim.outputs.charts.context`) and the assumption set of the runs. Where the table has an
uncertainty band (``low``/``high``) it is drawn as an error bar.


Which runs a chart shows: the baseline and each reform with its behaviour assumption set,
and where it helps the reading (child poverty, cost, caseload) also the static run
(``<scenario>/statisk``, no behaviour) beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from sim.catalogue.labels import text as _t
from sim.outputs.charts.context import ChartContext, replications_text
from sim.outputs.charts.frame import (
    end_labels,
    fit_y,
    legend_patch,
    legend_top,
    new_figure,
    thousands_axis,
)
from sim.outputs.charts.style import (
    BAND_COLOURS,
    MONTHS,
    MUNICIPAL_COLOUR,
    STATE_COLOUR,
    VALUE_SIZE,
    run_colour,
    styled,
)
from sim.outputs.formatting import pp_decimals, round_count, unbroken_number
from sim.outputs.names import group_label, scenario_name
from sim.outputs.results_lookup import (
    groups_of,
    has_bands,
    is_static,
    largest,
    metric_band,
    metric_value,
    reform_runs,
    run_labels,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


from sim.outputs.charts.typfall import typfall_waterfall

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
    base = metric_value(table, "baseline", metric)
    for run in runs:
        band = None
        if differences is not None and differences.height:
            change = 100 * metric_value(differences, run, metric)
            found = metric_band(differences, run, metric)
            if found is not None:
                band = (100 * found[0], 100 * found[1])
        else:
            change = 100 * (metric_value(table, run, metric) - base)
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
    rows = _change_rows(table, differences, reform_runs(table), metric)
    decimals = pp_decimals([c for _, c, _ in rows])
    found = largest({run: change for run, change, _ in rows})
    sv_noun, en_noun = noun
    if found is None or round(found[1], decimals) == 0:
        return _t(
            lang,
            f"Ingen reform ändrar {sv_noun} med {unbroken_number(10**-decimals, decimals, lang)} procentenheter eller mer",
            f"No reform changes {en_noun} by {unbroken_number(10**-decimals, decimals, lang)} percentage points or more",
        )
    run, change = found
    amount = unbroken_number(abs(change), decimals, lang)
    return _t(
        lang,
        f"{scenario_name(run, lang)}: {sv_noun} {'ökar' if change > 0 else 'minskar'} med {amount} procentenheter",
        f"{scenario_name(run, lang)}: {en_noun} {'rises' if change > 0 else 'falls'} by {amount} percentage points",
    )


@styled
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

    With a sweep's ``differences`` (:func:`sim.uncertainty.bands.differences`) the point is the
    median change and a line its 10th–90th percentile over the replications; a single run
    has points without bands and says so in the footnote. The title is the finding
    (:func:`poverty_finding`); the baseline's levels are in the panel titles."""
    runs = run_labels(table, baseline=False)
    banded = differences is not None and has_bands(differences)
    if banded:
        note = _t(
            lang,
            f"Linje: 10:e–90:e percentilen av förändringen {replications_text(context, lang)}, "
            "tagen inom varje replikering (samma befolkning i reform och nuvarande regler).",
            f"Line: 10th–90th percentile of the change {replications_text(context, lang)}, "
            "taken within each replication (the same population under the reform and current rules).",
        )
    elif has_bands(table):
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
    fig, axes = new_figure(
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
    decimals = pp_decimals([c for rows in rows_by_panel for _, c, _ in rows])
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
            colour = run_colour(run, runs)
            ax.errorbar(
                change,
                yi,
                xerr=[[max(change - low, 0.0)], [max(high - change, 0.0)]] if band else None,
                fmt="o",
                color=colour,
                markersize=9,
                capsize=5,
                elinewidth=2.4,
                markerfacecolor="white" if is_static(run) else colour,
                markeredgewidth=2,
            )
            ends.append((yi, min(low, change), max(high, change), change))
        ax.axvline(0, color="#444444", linewidth=1.0)
        for yi, _low, high, change in ends:
            ax.text(
                max(high, 0.0) + span * 0.04,
                yi,
                f"{unbroken_number(change, decimals, lang, signed=True)} {unit}",
                va="center",
                ha="left",
                fontsize=VALUE_SIZE,
            )
        ax.set_xlim(left - span * 0.08, right + span * 0.55)
        ax.set_ylim(-0.6, len(runs) - 0.4)
        base = 100 * metric_value(table, "baseline", metric)
        level = (
            _t(lang, "nuvarande regler", "current rules") + f": {unbroken_number(base, 1, lang)} %"
        )
        ax.set_title(f"{_t(lang, *panel)}\n{level}", fontsize=13, linespacing=1.3)
        ax.set_xlabel(_t(lang, "Procentenheter", "Percentage points"))
        thousands_axis(ax, "x", lang, decimals=decimals if span < 0.5 else 1, nbins=4)
        ax.grid(axis="x")
        ax.set_yticks(y, [scenario_name(r, lang) for r in runs] if i == 0 else [])
    return fig


def _money_change(value: float, lang: str, unit: tuple[str, str]) -> str:
    """``ökar med 1 234 mkr per år`` / ``rises by SEK 1,234 m a year`` (value in the unit)."""
    amount = unbroken_number(abs(value), 0, lang)
    sv_unit, en_unit = unit
    if value >= 0:
        return _t(lang, f"ökar med {amount} {sv_unit}", f"rises by {en_unit.format(amount)}")
    return _t(lang, f"minskar med {amount} {sv_unit}", f"falls by {en_unit.format(amount)}")


def cost_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`fs_cost`: the reform (with behaviour) that changes the public
    cost most, and by how much a year (``public_cost_sek_year`` against the baseline)."""
    base = metric_value(table, "baseline", "public_cost_sek_year")
    changes = {
        r: (metric_value(table, r, "public_cost_sek_year") - base) / 1e6 for r in reform_runs(table)
    }
    found = largest(changes)
    if found is None:
        total = unbroken_number(base / 1e6, 0, lang)
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


@styled
def fs_cost(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Public cost per run split municipality/state, million kronor a year:
    ``municipal_cost_sek_year`` (FS paid + delivering the aktivitetskrav − state funding)
    and ``state_cost_sek_year`` (jobbpremie + state funding of the aktivitetskrav). Over each
    bar its total and its change against the baseline; inside, each part where it is tall
    enough to hold its number. The title is the finding (:func:`cost_finding`)."""
    runs = run_labels(table)
    municipal = np.array([metric_value(table, r, "municipal_cost_sek_year") for r in runs]) / 1e6
    state = np.array([metric_value(table, r, "state_cost_sek_year") for r in runs]) / 1e6
    fig, (ax,) = new_figure(
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
        text = unbroken_number(value, 0, lang)
        if run != "baseline" and np.isfinite(base):
            text += f"\n({unbroken_number(value - base, 0, lang, signed=True)})"
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
                    unbroken_number(height, 0, lang),
                    ha="center",
                    va="center",
                    fontsize=10.5,
                    color="white",
                )
    _error_bars(ax, table, runs, "public_cost_sek_year", x, horizontal=False, scale=1e-6)
    ax.set_xticks(x, [scenario_name(r, lang, newline=True) for r in runs], fontsize=11)
    ax.set_ylim(0, top * 1.2 if len(total) else 1)
    ax.set_ylabel(_t(lang, "Miljoner kronor per år", "SEK million a year"))
    thousands_axis(ax, "y", lang, nbins=5)
    ax.grid(axis="y")
    handles = [legend_patch(MUNICIPAL_COLOUR), legend_patch(STATE_COLOUR)]
    names = [_t(lang, "Kommuner", "Municipalities"), _t(lang, "Staten", "State")]
    legend_top(fig, handles, names, ncols=2)
    return fig


def _band_note(table: pl.DataFrame, lang: str) -> str:
    if has_bands(table):
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
        band = metric_band(table, run, metric)
        if band is None:
            continue
        value = metric_value(table, run, metric) * scale
        low, high = band[0] * scale, band[1] * scale
        err = [[max(value - low, 0)], [max(high - value, 0)]]
        if horizontal:
            ax.errorbar(value, pos, xerr=err, color="black", capsize=3, linewidth=1)
        else:
            ax.errorbar(pos, value, yerr=err, color="black", capsize=3, linewidth=1)


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
        (run, group): metric_value(table, run, metric, group)
        for run in reform_runs(table)
        for prefix in ("hushållstyp:", "antal_barn:")
        for group in groups_of(table, metric, prefix)
    }
    finite = {k: v for k, v in cells.items() if np.isfinite(v)}
    if not finite:
        return _t(lang, "Förändring per hushåll och månad", "Change per household and month")
    (run, group), value = min(finite.items(), key=lambda kv: kv[1])
    who = _with_households(group, lang)
    amount = unbroken_number(abs(value), 0, lang)
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
        f"med {scenario_name(run, lang)}, {unbroken_number(value, 0, lang)} kr i månaden",
        f"No group loses on average; {_with_households(group, lang)} gain most with "
        f"{scenario_name(run, lang)}, SEK {unbroken_number(value, 0, lang)} a month",
    )


@styled
def change_by_household(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Mean change of disposable income per month among households with FS in the baseline
    (``mean_change_recipients_sek_month``), by household type and by number of children:
    one panel per reform (with behaviour) on one scale, each bar with its value. The title
    is the finding (:func:`household_finding`)."""
    runs = reform_runs(table)
    metric = "mean_change_recipients_sek_month"
    types = groups_of(table, metric, "hushållstyp:")
    children = groups_of(table, metric, "antal_barn:")
    groups = types + children
    fig, axes = new_figure(
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
    values = np.array([[metric_value(table, r, metric, g) for g in groups] for r in runs]).reshape(
        len(runs), len(groups)
    )
    finite = values[np.isfinite(values)]
    low = min(float(finite.min()), 0.0) if finite.size else -1.0
    high = max(float(finite.max()), 0.0) if finite.size else 1.0
    span = (high - low) or 1.0
    for i, (ax, run) in enumerate(zip(axes, runs, strict=False)):
        colour = run_colour(run, runs)
        ax.barh(y, values[i], height=0.72, color=colour)
        for yi, value in zip(y, values[i], strict=True):
            if not np.isfinite(value):
                continue
            ax.text(
                value + (span * 0.02 if value >= 0 else -span * 0.02),
                yi,
                unbroken_number(value, 0, lang),
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
        thousands_axis(ax, "x", lang, nbins=3)
        ax.grid(axis="x")
    if not runs:
        axes[0].set_axis_off()
    return fig


def bands_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`change_bands`: the reform (with behaviour) under which most
    households lose more than 1 000 kr a month (``households_change_band``)."""
    group = "förändring:stor förlust"
    counts = {
        r: metric_value(table, r, "households_change_band", group) for r in reform_runs(table)
    }
    found = largest(counts)
    if found is None or round_count(found[1]) == 0:
        return _t(
            lang,
            "Vinnare och förlorare: ingen reform ger stora förluster",
            "Winners and losers: no reform brings large losses",
        )
    run, count = found
    amount = unbroken_number(round_count(count), 0, lang)
    return _t(
        lang,
        f"{scenario_name(run, lang)}: {amount} hushåll förlorar mer än 1\u00a0000\u00a0kr i månaden",
        f"{scenario_name(run, lang)}: {amount} households lose more than SEK\u00a01,000 a month",
    )


@styled
def change_bands(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Winners and losers: households with FS in the baseline or the reform by the change of
    their disposable income per month (``households_change_band``), in five bands."""
    runs = run_labels(table, baseline=False)
    bands = groups_of(table, "households_change_band", "förändring:")
    fig, (ax,) = new_figure(
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
        [[metric_value(table, r, "households_change_band", b) / 1e3 for b in bands] for r in runs]
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
                    unbroken_number(width, 0, lang),
                    ha="center",
                    va="center",
                    fontsize=VALUE_SIZE - 0.5,
                    color="white" if dark else "#222222",
                )
        left += counts[:, j]
    ax.set_yticks(y, [scenario_name(r, lang) for r in runs])
    ax.set_xlabel(_t(lang, "Tusental hushåll", "Thousand households"))
    thousands_axis(ax, "x", lang)
    ax.grid(axis="x")
    handles = [legend_patch(BAND_COLOURS[j % len(BAND_COLOURS)]) for j in range(len(bands))]
    labels = [group_label(b, lang) for b in bands]
    legend_top(fig, handles, labels, ncols=len(bands))
    return fig


def decile_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`change_by_decile`: the decile and reform with the largest mean
    loss per household (``mean_change_sek_month``)."""
    metric = "mean_change_sek_month"
    cells = {
        (r, g): metric_value(table, r, metric, g)
        for r in reform_runs(table)
        for g in groups_of(table, metric, "decil:")
    }
    finite = {k: v for k, v in cells.items() if np.isfinite(v)}
    if not finite or round(min(finite.values())) >= 0:
        return _t(lang, "Förändring efter inkomstdecil", "Change by income decile")
    (run, group), value = min(finite.items(), key=lambda kv: kv[1])
    decile = group.partition(":")[2]
    amount = unbroken_number(abs(value), 0, lang)
    return _t(
        lang,
        f"{scenario_name(run, lang)}: decil {decile} förlorar mest, {amount}\u00a0kr per hushåll och månad",
        f"{scenario_name(run, lang)}: decile {decile} loses most, SEK\u00a0{amount} per household a month",
    )


@styled
def change_by_decile(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Mean change of disposable income per household and month by decile of the baseline's
    economic standard (``mean_change_sek_month``, all households of the decile)."""
    runs = run_labels(table, baseline=False, static=False)
    metric = "mean_change_sek_month"
    groups = groups_of(table, metric, "decil:")
    fig, (ax,) = new_figure(
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
        values = [metric_value(table, run, metric, g) for g in groups]
        ax.bar(x - 0.4 + width * (i + 0.5), values, width=width, color=run_colour(run, runs))
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.set_xticks(x, [g.partition(":")[2] for g in groups])
    ax.set_xlabel(_t(lang, "Decil (1 = lägst inkomst)", "Decile (1 = lowest income)"))
    ax.set_ylabel(_t(lang, "Kronor per månad", "SEK per month"))
    thousands_axis(ax, "y", lang)
    ax.grid(axis="y")
    handles = [legend_patch(run_colour(r, runs)) for r in runs]
    legend_top(fig, handles, [scenario_name(r, lang) for r in runs], ncols=len(runs))
    return fig


def caseload_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`monthly_caseload`: the reform (with behaviour) that changes the
    number of households with FS most in December, against the baseline
    (``fs_households_month``, group ``månad:12`` or the last month of the table)."""
    months = groups_of(table, "fs_households_month", "månad:")
    if not months:
        return _t(lang, "Hushåll med försörjningsstöd", "Households with FS")
    last = months[-1]
    base = metric_value(table, "baseline", "fs_households_month", last)
    found = largest(
        {r: metric_value(table, r, "fs_households_month", last) - base for r in reform_runs(table)}
    )
    month = group_label(last, lang)
    if found is None or round_count(found[1]) == 0:
        return _t(
            lang,
            f"Hushåll med försörjningsstöd: ingen reform ändrar antalet i {month}",
            f"Households with FS: no reform changes their number in {month}",
        )
    run, change = found
    amount = unbroken_number(round_count(abs(change)), 0, lang)
    more_sv, more_en = ("fler", "more") if change > 0 else ("färre", "fewer")
    return _t(
        lang,
        f"{scenario_name(run, lang)}: {amount} {more_sv} hushåll med försörjningsstöd i {month}",
        f"{scenario_name(run, lang)}: {amount} {more_en} households with FS in {month}",
    )


@styled
def monthly_caseload(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Households with FS paid in each month of the year (``fs_households_month``)."""
    runs = run_labels(table)
    groups = groups_of(table, "fs_households_month", "månad:")
    fig, (ax,) = new_figure(
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
        values = (
            np.array([metric_value(table, run, "fs_households_month", g) for g in groups]) / 1e3
        )
        if len(values) and not is_static(run):
            ends.append((values[-1], unbroken_number(values[-1], 1, lang), run_colour(run, runs)))
        (line,) = ax.plot(
            x,
            values,
            color=run_colour(run, runs),
            linestyle="--" if is_static(run) else "-",
            linewidth=1.4 if is_static(run) else 2.4,
            marker=None if is_static(run) else "o",
            markersize=3.5,
        )
        handles.append(line)
        labels.append(scenario_name(run, lang))
    ax.set_xticks(
        x, [MONTHS[lang if lang in MONTHS else "sv"][int(g.partition(":")[2]) - 1] for g in groups]
    )
    ax.set_ylabel(_t(lang, "Tusental hushåll", "Thousand households"))
    fit_y(ax)
    end_labels(ax, x[-1] if len(x) else 0, ends)
    thousands_axis(ax, "y", lang)
    ax.grid(axis="y")
    # Column-major legend: the baseline alone, then each reform above its static run.
    from matplotlib.lines import Line2D

    if runs and runs[0] == "baseline":
        handles.insert(1, Line2D([], [], alpha=0))
        labels.insert(1, "")
    legend_top(fig, handles, labels, ncols=(len(handles) + 1) // 2)
    return fig


def loss_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`loss_per_child`: the reform (with behaviour) with the largest
    median loss per child (``loss_per_child_sek_month``, ``percentil:50``; the mean without
    the percentiles)."""
    metric = "loss_per_child_sek_month"
    medians = {r: metric_value(table, r, metric, "percentil:50") for r in reform_runs(table)}
    word_sv, word_en = "i median", "median"
    if not any(np.isfinite(v) for v in medians.values()):
        medians = {r: metric_value(table, r, metric) for r in reform_runs(table)}
        word_sv, word_en = "i genomsnitt", "mean"
    found = largest(medians)
    if found is None:
        return _t(lang, "Förlust per barn", "Loss per child")
    run, value = found
    amount = unbroken_number(value, 0, lang)
    return _t(
        lang,
        f"{scenario_name(run, lang)}: förlusten per barn är {word_sv} {amount}\u00a0kr i månaden",
        f"{scenario_name(run, lang)}: the {word_en} loss per child is SEK\u00a0{amount} a month",
    )


@styled
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
    runs = run_labels(table, baseline=False)
    metric = "loss_per_child_sek_month"
    fig, (ax,) = new_figure(
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
        colour = run_colour(run, runs)
        p = {q: metric_value(table, run, metric, f"percentil:{q}") for q in (10, 25, 50, 75, 90)}
        mean = metric_value(table, run, metric)
        alpha = 0.45 if is_static(run) else 1.0
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
            lang,
            f"{unbroken_number(value, 0, lang)}\u00a0kr",
            f"SEK\u00a0{unbroken_number(value, 0, lang)}",
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
    thousands_axis(ax, "x", lang)
    ax.grid(axis="x")
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
