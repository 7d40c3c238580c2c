"""Charts of the municipal view (docs/municipal.md): delivering the aktivitetskrav.

Same house style, frame and file formats as :mod:`sim.charts` (its helpers draw the title,
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

from sim.charts import (
    MONTHS,
    ChartContext,
    _colour,
    _figure,
    _groups,
    _legend_top,
    _number,
    _patch,
    _runs,
    _styled,
    _t,
    _thousands_axis,
    _value,
    scenario_name,
)

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
        for r in _runs(table, baseline=False, static=False)
        if _value(table, r, "delivery_cost_sek_year") > 0
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


@_styled
def delivery_gap_by_lan(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Funding gap per inhabitant by län (``delivery_funding_gap_sek_year`` / ``inhabitants``,
    group ``län:…``) for the first run with the aktivitetskrav, ranked largest first."""
    runs = delivering_runs(table)
    run = runs[0] if runs else None
    fig, (ax,) = _figure(
        _t(
            lang,
            "Finansieringsgap för aktivitetskravet per län",
            "Funding gap of the activity requirement by county",
        ),
        _t(
            lang,
            "Kronor per invånare och år: kostnad för aktiviteter, förskola/fritidshem och "
            "handläggning minus statens ersättning (fördelad per invånare). "
            + (f"Scenario: {scenario_name(run, lang)}." if run else ""),
            "SEK per inhabitant a year: cost of activities, förskola/fritidshem and casework "
            "less the state funding (shared per inhabitant). "
            + (f"Scenario: {scenario_name(run, lang)}." if run else ""),
        ),
        context,
        lang,
        note=_t(
            lang,
            "Län med få hushåll i urvalet har stor slumposäkerhet (docs/municipal.md).",
            "Counties with few sampled households carry large sampling noise (docs/municipal.md).",
        ),
    )
    if run is None:
        _nothing_to_show(ax, lang)
        return fig
    groups = _groups(table, "delivery_funding_gap_sek_year", "län:")
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
    gap = np.array([_value(table, run, "delivery_funding_gap_sek_year", g) for g in groups])
    people = np.array([_value(table, run, "inhabitants", g) for g in groups])
    per_inhabitant = np.where(people > 0, gap / np.maximum(people, 1), 0.0)
    order = np.argsort(per_inhabitant)  # smallest at the bottom: largest gap on top
    y = np.arange(len(groups))
    values = per_inhabitant[order]
    ax.barh(y, values, color=_colour(run), height=0.72)
    span = max(np.abs(values).max(), 1.0)
    for yi, value in zip(y, values, strict=True):
        # Right of the bar, or right of the zero line for a surplus (left of it are the
        # län names).
        ax.text(
            max(value, 0) + span * 0.01,
            yi,
            _number(value, 0, lang),
            va="center",
            ha="left",
            fontsize=7.5,
        )
    ax.set_yticks(y, [groups[i].partition(":")[2] for i in order], fontsize=7.5)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_xlim(min(values.min() * 1.15, 0), max(values.max() * 1.15, 0) or 1)
    ax.set_xlabel(_t(lang, "Kronor per invånare och år", "SEK per inhabitant a year"))
    _thousands_axis(ax, "x", lang, nbins=6)
    ax.grid(axis="x")
    return fig


@_styled
def delivery_cost_vs_funding(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Per run with the aktivitetskrav: cost by part (stacked) beside the state funding,
    million kronor a year (group ``all``: the country, or the profile's municipality)."""
    runs = delivering_runs(table)
    fig, (ax,) = _figure(
        _t(
            lang,
            "Kostnad för att genomföra aktivitetskravet och statens ersättning",
            "Cost of delivering the activity requirement and the state funding",
        ),
        _t(
            lang,
            "Miljoner kronor per år. Vänster stapel: kommunernas kostnad per del; höger: "
            "statens ersättning (aktiviteter och förskola/fritidshem).",
            "SEK million a year. Left bar: the municipalities' cost by part; right: the "
            "state funding (activities and förskola/fritidshem).",
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
    for metric, part, _label in parts:
        values = np.array([_value(table, r, metric) for r in runs]) / 1e6
        ax.bar(x - width / 2, values, width, bottom=bottom, color=PART_COLOURS[part])
        bottom += values
    funding = np.array([_value(table, r, "delivery_state_funding_sek_year") for r in runs]) / 1e6
    ax.bar(x + width / 2, funding, width, color=FUNDING_COLOUR)
    top = max(bottom.max(), funding.max(), 1.0)
    for xi, cost, paid in zip(x, bottom, funding, strict=True):
        ax.text(xi - width / 2, cost + top * 0.015, _number(cost, 0, lang), ha="center", fontsize=9)
        ax.text(xi + width / 2, paid + top * 0.015, _number(paid, 0, lang), ha="center", fontsize=9)
        gap = _t(lang, "Gap", "Gap") + f": {_number(cost - paid, 0, lang, signed=True)}"
        ax.text(xi, top * 1.1, gap, ha="center", fontsize=9.5, fontweight="bold")
    ax.set_xticks(x, [scenario_name(r, lang) for r in runs])
    ax.set_ylim(0, top * 1.22)
    ax.set_ylabel(_t(lang, "Miljoner kronor per år", "SEK million a year"))
    _thousands_axis(ax, "y", lang)
    ax.grid(axis="y")
    handles = [_patch(PART_COLOURS[p]) for _, p, _ in parts] + [_patch(FUNDING_COLOUR)]
    labels = [label for _, _, label in parts] + [_t(lang, "Statens ersättning", "State funding")]
    _legend_top(fig, handles, labels, ncols=4)
    return fig


@_styled
def activity_places_by_month(
    table: pl.DataFrame, *, lang: str = "sv", context: ChartContext | None = None
) -> Figure:
    """Full-time activity places needed in each month (``activity_places_month`` by
    ``månad:…``) per run with the aktivitetskrav; the places available when the table
    comes from a municipality's profile (``activity_places_available``)."""
    runs = delivering_runs(table)
    fig, (ax,) = _figure(
        _t(
            lang, "Aktivitetsplatser som behövs, månad för månad", "Activity places needed by month"
        ),
        _t(
            lang,
            "Heltidsplatser: de krävda aktivitetstimmarna delade med heltid (40 timmar i veckan).",
            "Full-time places: the required activity hours divided by full time (40 hours a week).",
        ),
        context,
        lang,
        legend_rows=1,
    )
    if not runs:
        _nothing_to_show(ax, lang)
        return fig
    groups = _groups(table, "activity_places_month", "månad:")
    x = np.arange(1, len(groups) + 1)
    handles, labels = [], []
    for run in runs:
        values = np.array([_value(table, run, "activity_places_month", g) for g in groups])
        (line,) = ax.plot(
            x, values, color=_colour(run, runs), linewidth=2.4, marker="o", markersize=3.5
        )
        handles.append(line)
        labels.append(scenario_name(run, lang))
    available = _value(table, runs[0], "activity_places_available")
    if np.isfinite(available):
        line = ax.axhline(available, color="#333333", linestyle="--", linewidth=1.4)
        handles.append(line)
        labels.append(_t(lang, "Platser som kommunen har", "Places the municipality has"))
    ax.set_xticks(x, [MONTHS[lang][int(g.partition(":")[2]) - 1] for g in groups])
    ax.set_ylim(bottom=0)
    ax.set_ylabel(_t(lang, "Heltidsplatser", "Full-time places"))
    _thousands_axis(ax, "y", lang)
    ax.grid(axis="y")
    _legend_top(fig, handles, labels, ncols=len(handles))
    return fig


#: The municipal charts: file name -> function, in the report's order.
MUNICIPAL_CHARTS = {
    "delivery_cost_vs_funding": delivery_cost_vs_funding,
    "delivery_gap_by_lan": delivery_gap_by_lan,
    "activity_places_by_month": activity_places_by_month,
}
