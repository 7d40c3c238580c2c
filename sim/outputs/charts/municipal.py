"""Charts of the municipal view (docs/municipal.md): delivering the aktivitetskrav.

Same house style, frame and file formats as :mod:`sim.outputs.charts.run` (:mod:`sim.outputs.charts.frame` draw the title,
subtitle, legend and source line). Three charts, map-free:

* :func:`delivery_gap_by_lan`: the funding gap per inhabitant in each län, ranked;
* :func:`delivery_cost_vs_funding`: the cost of delivering the requirement by part
  (activities, förskola/fritidshem, casework) beside the state funding, per run;
* :func:`activity_places_by_month`: full-time activity places needed month by month, with
  the places a municipality has when a profile was run.

Runs without the aktivitetskrav have nothing to show: the charts then say so in the plot
instead of drawing empty axes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from sim.catalogue.labels import text as _t
from sim.outputs.charts.context import ChartContext
from sim.outputs.charts.frame import (
    end_labels,
    fit_y,
    legend_patch,
    legend_top,
    new_figure,
    thousands_axis,
)
from sim.outputs.charts.style import FIGSIZE, MONTHS, PNG_DPI, VALUE_SIZE, run_colour, styled
from sim.outputs.formatting import unbroken_number
from sim.outputs.names import group_label, scenario_name
from sim.outputs.results_lookup import groups_of, metric_value, run_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Colours of the cost parts and of the funding.
PART_COLOURS = {"activity": "#0072B2", "childcare": "#56B4E9", "casework": "#CC79A7"}
FUNDING_COLOUR = "#009E73"


def delivering_runs(table: pl.DataFrame) -> list[str]:
    """Behavioural runs whose aktivitetskrav costs something, in table order."""
    return [
        r
        for r in run_labels(table, baseline=False, static=False)
        if metric_value(table, r, "delivery_cost_sek_year") > 0
    ]


def _nothing_to_show(ax: Axes, lang: str, text: tuple[str, str] | None = None) -> None:
    sv, en = text or (
        "Ingen körning med aktivitetskrav i tabellen.",
        "No run with the activity requirement in the table.",
    )
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        _t(lang, sv, en),
        ha="center",
        va="center",
        fontsize=12,
        color="#555555",
        transform=ax.transAxes,
    )


def _per_inhabitant(table: pl.DataFrame, run: str) -> dict[str, float]:
    """The funding gap per inhabitant and year in each län (group ``län:…``) of ``run``."""
    out = {}
    for group in groups_of(table, "delivery_funding_gap_sek_year", "län:"):
        gap = metric_value(table, run, "delivery_funding_gap_sek_year", group)
        people = metric_value(table, run, "inhabitants", group)
        out[group] = gap / people if people > 0 else 0.0
    return out


def gap_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`delivery_gap_by_lan`: the län with the largest funding gap per
    inhabitant, and how large (the first run with the aktivitetskrav)."""
    runs = delivering_runs(table)
    per = _per_inhabitant(table, runs[0]) if runs else {}
    if not per:
        return _t(
            lang,
            "Finansieringsgap för aktivitetskravet per län",
            "Funding gap of the activity requirement by county",
        )
    group, value = max(per.items(), key=lambda kv: kv[1])
    amount = unbroken_number(value, 0, lang)
    lan = group.partition(":")[2]
    return _t(
        lang,
        f"{lan}: störst ofinansierad kostnad, {amount}\u00a0kr per invånare",
        f"{lan}: the largest unfunded cost, SEK\u00a0{amount} per inhabitant",
    )


@styled
def delivery_gap_by_lan(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Funding gap per inhabitant by län (``delivery_funding_gap_sek_year`` / ``inhabitants``,
    group ``län:…``) for the first run with the aktivitetskrav, ranked largest first."""
    runs = delivering_runs(table)
    run = runs[0] if runs else None
    fig, (ax,) = new_figure(
        gap_finding(table, lang),
        _t(
            lang,
            "Kronor per invånare och år: aktiviteter, förskola/fritidshem och handläggning minus "
            "statens ersättning"
            + (f" ({scenario_name(run, lang)}). " if run else ". ")
            + "Län med få hushåll i urvalet har stor slumposäkerhet.",
            "SEK per inhabitant a year: activities, förskola/fritidshem and casework less the "
            "state funding"
            + (f" ({scenario_name(run, lang)}). " if run else ". ")
            + "Counties with few sampled households carry large sampling noise.",
        ),
        context,
        lang,
    )
    if run is None:
        _nothing_to_show(ax, lang)
        return fig
    groups = groups_of(table, "delivery_funding_gap_sek_year", "län:")
    if not groups:
        _nothing_to_show(
            ax,
            lang,
            (
                "Ingen länsfördelning i denna körning (en kommuns profil).",
                "No breakdown by county in this run (a municipality's profile).",
            ),
        )
        return fig
    gap = np.array([metric_value(table, run, "delivery_funding_gap_sek_year", g) for g in groups])
    people = np.array([metric_value(table, run, "inhabitants", g) for g in groups])
    per_inhabitant = np.where(people > 0, gap / np.maximum(people, 1), 0.0)
    order = np.argsort(per_inhabitant)  # smallest at the bottom: largest gap on top
    # 10 pt names while the rows are tall enough (1.25 line heights of 2.78 px a point at
    # 200 dpi), down to 9.5 pt for a header that leaves less room.
    row_px = (fig.sim_plot_top - fig.sim_plot_bottom) * FIGSIZE[1] * PNG_DPI / len(groups)
    size = max(9.5, min(10.0, row_px * 0.97 / (1.25 * PNG_DPI / 72)))
    y = np.arange(len(groups))
    values = per_inhabitant[order]
    ax.barh(y, values, color=run_colour(run), height=0.72)
    span = max(np.abs(values).max(), 1.0)
    for yi, value in zip(y, values, strict=True):
        # Right of the bar, or right of the zero line for a surplus (left of it are the
        # län names).
        ax.text(
            max(value, 0) + span * 0.01,
            yi,
            unbroken_number(value, 0, lang),
            va="center",
            ha="left",
            fontsize=size,
        )
    ax.set_yticks(y, [groups[i].partition(":")[2] for i in order], fontsize=size)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_xlim(min(values.min() * 1.15, 0), max(values.max() * 1.15, 0) or 1)
    ax.set_ylim(-0.6, len(groups) - 0.4)
    # Every bar carries its number: no x axis, so the 21 rows get its height.
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)
    return fig


def funding_finding(
    table: pl.DataFrame, lang: str = "sv", *, one_municipality: bool = False
) -> str:
    """The finding of :func:`delivery_cost_vs_funding`: how much more (or less) delivering
    the aktivitetskrav costs than the state pays, for the first run with it
    (``delivery_cost_sek_year`` − ``delivery_state_funding_sek_year``, group ``all``)."""
    runs = delivering_runs(table)
    if not runs:
        return _t(
            lang,
            "Kostnad för att genomföra aktivitetskravet och statens ersättning",
            "Cost of delivering the activity requirement and the state funding",
        )
    run = runs[0]
    gap = (
        metric_value(table, run, "delivery_cost_sek_year")
        - metric_value(table, run, "delivery_state_funding_sek_year")
    ) / 1e6
    amount = unbroken_number(abs(gap), _mkr_decimals(abs(gap)), lang)
    who = scenario_name(run, lang)
    sv_whom, en_whom = (
        ("kommunen", "the municipality")
        if one_municipality
        else (
            "kommunerna",
            "the municipalities",
        )
    )
    if gap >= 0:
        return _t(
            lang,
            f"{who}: ofinansierat för {sv_whom} {amount}\u00a0mkr per år",
            f"{who}: SEK\u00a0{amount} m a year unfunded for {en_whom}",
        )
    return _t(
        lang,
        f"{who}: staten ersätter {amount}\u00a0mkr per år mer än det kostar {sv_whom}",
        f"{who}: the state pays SEK\u00a0{amount} m a year more than it costs {en_whom}",
    )


def _mkr_decimals(top: float) -> int:
    """Decimals of million kronor: one below 100 mkr (a municipality's sums), else none."""
    return 1 if top < 100 else 0


@styled
def delivery_cost_vs_funding(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Per run with the aktivitetskrav: cost by part (stacked) beside the state funding,
    million kronor a year (group ``all``: the country, or the profile's municipality)."""
    runs = delivering_runs(table)
    one = bool(context and context.area)
    fig, (ax,) = new_figure(
        funding_finding(table, lang, one_municipality=one),
        _t(
            lang,
            "Kostnad för att genomföra aktivitetskravet och statens ersättning, miljoner kronor per år. Vänster "
            f"stapel: {'kommunens' if one else 'kommunernas'} kostnad per del; höger: statens ersättning "
            "(aktiviteter och förskola/fritidshem).",
            "Cost of delivering the activity requirement and the state funding, SEK million a year. Left bar: "
            f"{'the municipality' if one else 'the municipalities'}' cost by part; right: the state funding "
            "(activities and förskola/fritidshem).",
        ),
        context,
        lang,
        legend_rows=1,
    )
    if not runs:
        _nothing_to_show(ax, lang)
        return fig
    parts = (
        ("activity_cost_sek_year", "activity", _t(lang, "Aktiviteter", "Activities")),
        (
            "childcare_cost_sek_year",
            "childcare",
            _t(lang, "Förskola/fritidshem", "Förskola/fritidshem"),
        ),
        ("casework_cost_sek_year", "casework", _t(lang, "Handläggning", "Casework")),
    )
    x = np.arange(len(runs))
    width = 0.36
    bottom = np.zeros(len(runs))
    segments = []
    for metric, part, _label in parts:
        values = np.array([metric_value(table, r, metric) for r in runs]) / 1e6
        ax.bar(x - width / 2, values, width, bottom=bottom, color=PART_COLOURS[part])
        segments.append((bottom.copy(), values, part))
        bottom += values
    funding = (
        np.array([metric_value(table, r, "delivery_state_funding_sek_year") for r in runs]) / 1e6
    )
    ax.bar(x + width / 2, funding, width, color=FUNDING_COLOUR)
    top = max(bottom.max(), funding.max(), 1.0)
    decimals = _mkr_decimals(top)
    for start, values, part in segments:
        for xi, low, value in zip(x, start, values, strict=True):
            if value >= top * 0.1:  # the part's number inside it, where it fits
                ax.text(
                    xi - width / 2,
                    low + value / 2,
                    unbroken_number(value, decimals, lang),
                    ha="center",
                    va="center",
                    fontsize=VALUE_SIZE - 1,
                    color="white" if part != "childcare" else "#111111",
                )
    for xi, cost, paid in zip(x, bottom, funding, strict=True):
        for at, value in ((xi - width / 2, cost), (xi + width / 2, paid)):
            ax.text(
                at,
                value + top * 0.015,
                unbroken_number(value, decimals, lang),
                ha="center",
                fontsize=VALUE_SIZE,
                fontweight="bold",
            )
        shortfall = cost - paid
        gap = _t(
            lang,
            f"{'Ofinansierat' if shortfall >= 0 else 'Överskott'}: "
            f"{unbroken_number(abs(shortfall), decimals, lang)}\u00a0mkr",
            f"{'Unfunded' if shortfall >= 0 else 'Surplus'}: "
            f"SEK\u00a0{unbroken_number(abs(shortfall), decimals, lang)}\u00a0m",
        )
        ax.text(xi, top * 1.14, gap, ha="center", fontsize=VALUE_SIZE + 0.5, fontweight="bold")
    ax.set_xticks(x, [scenario_name(r, lang) for r in runs])
    ax.set_ylim(0, top * 1.26)
    ax.set_ylabel(_t(lang, "Miljoner kronor per år", "SEK million a year"))
    thousands_axis(ax, "y", lang)
    ax.grid(axis="y")
    handles = [legend_patch(PART_COLOURS[p]) for _, p, _ in parts] + [legend_patch(FUNDING_COLOUR)]
    labels = [label for _, _, label in parts] + [_t(lang, "Statens ersättning", "State funding")]
    legend_top(fig, handles, labels, ncols=4)
    return fig


def places_finding(table: pl.DataFrame, lang: str = "sv") -> str:
    """The finding of :func:`activity_places_by_month`: the most full-time places the first
    run with the aktivitetskrav needs in a month, which month, and (with a profile) how many
    the municipality lacks then."""
    runs = delivering_runs(table)
    groups = groups_of(table, "activity_places_month", "månad:")
    if not runs or not groups:
        return _t(lang, "Aktivitetsplatser som behövs", "Activity places needed")
    run = runs[0]
    need = {g: metric_value(table, run, "activity_places_month", g) for g in groups}
    group, most = max(need.items(), key=lambda kv: kv[1])
    month = group_label(group, lang)
    amount = unbroken_number(most, 0, lang)
    available = metric_value(table, run, "activity_places_available")
    text = _t(
        lang,
        f"{scenario_name(run, lang)}: som mest {amount} heltidsplatser i aktivitet ({month})",
        f"{scenario_name(run, lang)}: at most {amount} full-time activity places ({month})",
    )
    if np.isfinite(available) and most > available:
        text += _t(
            lang,
            f", {unbroken_number(most - available, 0, lang)} fler än kommunen har",
            f", {unbroken_number(most - available, 0, lang)} more than the municipality has",
        )
    return text


@styled
def activity_places_by_month(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Full-time activity places needed in each month (``activity_places_month`` by
    ``månad:…``) per run with the aktivitetskrav; the places available when the table
    comes from a municipality's profile (``activity_places_available``)."""
    runs = delivering_runs(table)
    fig, (ax,) = new_figure(
        places_finding(table, lang),
        _t(
            lang,
            "Aktivitetsplatser som behövs, månad för månad. Heltidsplatser: de krävda aktivitetstimmarna "
            "delade med heltid (40 timmar i veckan); vid linjens slut årets sista månad. Axeln börjar inte på noll.",
            "Activity places needed by month. Full-time places: the required activity hours divided by full "
            "time (40 hours a week); at each line's end the year's last month. The axis does not start at zero.",
        ),
        context,
        lang,
        legend_rows=1,
    )
    if not runs:
        _nothing_to_show(ax, lang)
        return fig
    groups = groups_of(table, "activity_places_month", "månad:")
    x = np.arange(1, len(groups) + 1)
    handles, labels = [], []
    ends = []
    for run in runs:
        values = np.array([metric_value(table, run, "activity_places_month", g) for g in groups])
        (line,) = ax.plot(
            x, values, color=run_colour(run, runs), linewidth=2.6, marker="o", markersize=4.5
        )
        handles.append(line)
        labels.append(scenario_name(run, lang))
        if len(values):
            ends.append((values[-1], unbroken_number(values[-1], 0, lang), run_colour(run, runs)))
    available = metric_value(table, runs[0], "activity_places_available")
    if np.isfinite(available):
        line = ax.axhline(available, color="#333333", linestyle="--", linewidth=1.4)
        handles.append(line)
        labels.append(_t(lang, "Platser som kommunen har", "Places the municipality has"))
    ax.set_xticks(x, [MONTHS[lang][int(g.partition(":")[2]) - 1] for g in groups])
    fit_y(ax, include=[available] if np.isfinite(available) else [])
    end_labels(ax, x[-1] if len(x) else 0, ends)
    ax.set_ylabel(_t(lang, "Heltidsplatser", "Full-time places"))
    thousands_axis(ax, "y", lang)
    ax.grid(axis="y")
    legend_top(fig, handles, labels, ncols=len(handles))
    return fig


#: The municipal charts: file name -> function, in the report's order.
MUNICIPAL_CHARTS = {
    "delivery_cost_vs_funding": delivery_cost_vs_funding,
    "delivery_gap_by_lan": delivery_gap_by_lan,
    "activity_places_by_month": activity_places_by_month,
}
