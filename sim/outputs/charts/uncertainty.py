"""The charts of a sweep (``sim sweep``, :mod:`sim.uncertainty`): the headline metrics and the
reforms' effects with their 10th–90th percentile as whiskers (:data:`BAND_CHARTS`), and a grid
sweep's fan of each metric over the values of the assumption it set (:func:`grid_fan`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from sim.catalogue.labels import text as _t
from sim.outputs.charts.context import ChartContext, replications_text
from sim.outputs.charts.frame import (
    legend_patch,
    legend_top,
    new_figure,
    thousands_axis,
)
from sim.outputs.charts.style import (
    VALUE_SIZE,
    run_colour,
    styled,
)
from sim.outputs.formatting import pp_decimals, unbroken_number
from sim.outputs.names import path_title, scenario_name
from sim.outputs.results_lookup import (
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
        value = metric_value(table, run, metric) * scale
        if not np.isfinite(value):
            continue
        band = metric_band(table, run, metric)
        low, high = (band[0] * scale, band[1] * scale) if band else (value, value)
        colour = run_colour(run, runs)
        ax.errorbar(
            value,
            yi,
            xerr=[[max(value - low, 0.0)], [max(high - value, 0.0)]],
            fmt="o",
            color=colour,
            markersize=6,
            capsize=4,
            elinewidth=2.2,
            markerfacecolor="white" if is_static(run) else colour,
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
            unbroken_number(value, decimals, lang, signed=signed),
            va="center",
            ha="left",
            fontsize=VALUE_SIZE - 1,
        )
    ax.set_xlim(left - span * 0.06, right + span * 0.5)
    ax.set_ylim(-0.6, len(runs) - 0.4)
    ticks = 2 if span < 0.6 else 1 if span < 6 else 0
    thousands_axis(ax, "x", lang, decimals=ticks, nbins=4)
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
    fig, axes = new_figure(title, subtitle, context, lang, ncols=2, nrows=2)
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


def banded_finding(table: pl.DataFrame, lang: str = "sv", *, effect: bool) -> str:
    """The finding of the whisker charts: the reform (with behaviour) whose median child
    poverty differs most from the baseline's, with its 10th–90th percentile. ``effect``:
    ``table`` is a differences table (the change itself, :func:`effect_bands`); else a
    sweep's summary (levels, :func:`headline_bands`)."""
    metric = "child_poverty_rate"
    runs = reform_runs(table)
    if effect:
        changes = {r: 100 * metric_value(table, r, metric) for r in runs}
    else:
        base = metric_value(table, "baseline", metric)
        changes = {r: 100 * (metric_value(table, r, metric) - base) for r in runs}
    found = largest(changes)
    if found is None:
        return _t(
            lang, "Huvudresultat med osäkerhetsintervall", "Headline results with uncertainty"
        )
    run, change = found
    band = metric_band(table, run, metric)
    if effect:
        decimals = pp_decimals(list(changes.values()))
        amount = unbroken_number(abs(change), decimals, lang)
        interval = ""
        if band:
            low, high = 100 * band[0], 100 * band[1]
            if low * high > 0:  # one sign: the interval as magnitudes
                ends = sorted((abs(low), abs(high)))
                interval = f" ({unbroken_number(ends[0], decimals, lang)}–{unbroken_number(ends[1], decimals, lang)})"
            else:
                interval = (
                    f" ({unbroken_number(low, decimals, lang, signed=True)} {_t(lang, 'till', 'to')} "
                    f"{unbroken_number(high, decimals, lang, signed=True)})"
                )
        return _t(
            lang,
            f"{scenario_name(run, lang)}: barnfattigdomen {'ökar' if change > 0 else 'minskar'} med "
            f"{amount} procentenheter{interval}",
            f"{scenario_name(run, lang)}: child poverty {'rises' if change > 0 else 'falls'} by "
            f"{amount} percentage points{interval}",
        )
    level = unbroken_number(100 * metric_value(table, run, metric), 1, lang)
    interval = (
        f" ({unbroken_number(100 * band[0], 1, lang)}–{unbroken_number(100 * band[1], 1, lang)}\u00a0%)"
        if band
        else ""
    )
    base = unbroken_number(100 * metric_value(table, "baseline", metric), 1, lang)
    return _t(
        lang,
        f"{scenario_name(run, lang)}: barnfattigdom {level}\u00a0%{interval} mot {base}\u00a0% med nuvarande regler",
        f"{scenario_name(run, lang)}: child poverty {level}\u00a0%{interval} against {base}\u00a0% under current rules",
    )


@styled
def headline_bands(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Poverty, child poverty, FS paid and public cost (group ``all``) per run with their
    uncertainty: the median (``value``) as a dot and the 10th–90th percentile over the
    replications of ``sim sweep`` (``low``–``high``) as a whisker. Static runs have hollow dots.
    """
    runs = run_labels(table)
    return _band_figure(
        table,
        runs,
        banded_finding(table, lang, effect=False),
        _t(
            lang,
            f"Punkt: median, linje: 10:e–90:e percentilen {replications_text(context, lang)}. "
            "Fattigdom: disponibel inkomst per konsumtionsenhet under 60 % av medianen. "
            "Ofylld punkt: statisk beräkning.",
            f"Dot: median, line: 10th–90th percentile {replications_text(context, lang)}. "
            "Poverty: disposable income per consumption unit below 60 % of the median. "
            "Hollow dot: static run.",
        ),
        context,
        lang,
        effect=False,
    )


@styled
def effect_bands(
    differences: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """The reforms' effects against current rules with their uncertainty: ``differences``
    is the table of :func:`sim.uncertainty.bands.differences` (scenario − baseline taken within each
    replication); the median as a dot, the 10th–90th percentile as a whisker. Poverty in
    percentage points, money in million kronor a year."""
    runs = run_labels(differences, baseline=False)
    return _band_figure(
        differences,
        runs,
        banded_finding(differences, lang, effect=True),
        _t(
            lang,
            "Skillnad reform − nuvarande regler inom varje replikering (samma befolkning och antaganden). "
            f"Punkt: median, linje: 10:e–90:e percentilen {replications_text(context, lang)}. "
            "Ofylld punkt: statisk beräkning.",
            "Difference reform − current rules within each replication (same population and assumptions). "
            f"Dot: median, line: 10th–90th percentile {replications_text(context, lang)}. "
            "Hollow dot: static run.",
        ),
        context,
        lang,
        effect=True,
    )


@styled
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
    runs = run_labels(table, baseline=not effect, static=False)
    name = path_title(path, lang)
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
    fig, axes = new_figure(title, subtitle, context, lang, ncols=2, nrows=2, legend_rows=1)
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
            colour = run_colour(run, runs)
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
            grid_values,
            [unbroken_number(v, _grid_decimals(grid_values), lang) for v in grid_values],
        )
        ticks = 2 if effect and scale == 100.0 else decimals
        thousands_axis(ax, "y", lang, decimals=ticks, nbins=4)
        ax.grid(axis="y")
    handles = [legend_patch(run_colour(r, runs)) for r in runs]
    legend_top(fig, handles, [scenario_name(r, lang) for r in runs], ncols=len(runs))
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
        decimals = pp_decimals([low, high])
        return _t(
            lang,
            f"{scenario_name(run, lang)}: barnfattigdomen ändras med {unbroken_number(low, decimals, lang, signed=True)} "
            f"till {unbroken_number(high, decimals, lang, signed=True)} p.e.",
            f"{scenario_name(run, lang)}: child poverty changes by {unbroken_number(low, decimals, lang, signed=True)} "
            f"to {unbroken_number(high, decimals, lang, signed=True)} pp",
        )
    return _t(
        lang,
        f"{scenario_name(run, lang)}: barnfattigdom {unbroken_number(low, 1, lang)}–{unbroken_number(high, 1, lang)}\u00a0%",
        f"{scenario_name(run, lang)}: child poverty {unbroken_number(low, 1, lang)}–{unbroken_number(high, 1, lang)}\u00a0%",
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
