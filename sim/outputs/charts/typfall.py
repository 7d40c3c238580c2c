"""The typfall chart: what each part of a reform does to the total support of the
government's typfall household (docs/reforms.md §2.1.1), drawn from the comparison the
caller computed (:func:`sim.calculator.typfall.typfall_comparison`, carried by
:attr:`sim.outputs.charts.context.ChartContext.typfall`); no chart runs the household
calculator itself."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from sim.catalogue.labels import text as _t
from sim.common.errors import SimInputError
from sim.outputs.charts.context import ChartContext
from sim.outputs.charts.frame import new_figure, thousands_axis
from sim.outputs.charts.style import BAND_COLOURS, COLOURS, VALUE_SIZE, run_colour, styled
from sim.outputs.formatting import kronor, unbroken_number
from sim.outputs.names import path_title, scenario_name

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@styled
def typfall_waterfall(
    table: pl.DataFrame | None = None,
    *,
    lang: str = "sv",
    context: ChartContext | None = None,
) -> Figure:
    """How each reform part changes the total support of the typfall household.

    The household of docs/reforms.md §2.1.1: a couple aged 38 and 40 without income,
    children 3, 6, 9, 12 and 15, housing cost 16 180 kr (reasonable-housing level × 1.4),
    in September of the run's year, under current rules and a reform (``kombinerad`` in an
    output folder). ``context.typfall`` carries the comparison, computed by the caller with
    :func:`sim.calculator.typfall.typfall_comparison`, which adds the scenario's changes one
    parameter at a time (so the steps add up to the change).
    Total support = FS + barnbidrag + bostadsbidrag + underhållsstöd + jobbpremie.
    ``table`` is not used (accepted so every chart has the same signature).
    """
    comparison = context.typfall if context is not None else None
    if comparison is None:
        raise SimInputError(
            "the typfall chart draws ChartContext.typfall, the typfall household's comparison "
            "(sim.calculator.typfall.typfall_comparison); none was given"
        )
    year = comparison.reform.date.year
    scenario = comparison.reform.scenario
    before = comparison.baseline["total_support"]
    after = comparison.reform["total_support"]
    steps = [e for e in comparison.effects if abs(e.total_support) >= 0.5]
    idle = [e.path for e in comparison.effects if abs(e.total_support) < 0.5]

    note = ""
    if idle:
        note = (
            _t(lang, "Utan effekt för detta hushåll: ", "No effect on this household: ")
            + ", ".join(
                path_title(p, lang).lower() if lang == "sv" else path_title(p, lang) for p in idle
            )
            + "."
        )
    change = after - before
    amount = unbroken_number(abs(change), 0, lang)
    fig, (ax,) = new_figure(
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
        + [path_title(e.path, lang) for e in steps]
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
            kronor(unbroken_number(change, 0, lang, signed=True), lang),
            ha="center",
            va="bottom",
            fontsize=VALUE_SIZE,
        )
        level += change
    ax.plot([x[-2] + 0.3, x[-1] - 0.3], [level, level], color="#888888", linewidth=0.8)
    ax.bar(x[-1], after, color=run_colour(scenario), width=0.6)
    for xi, value in ((x[0], before), (x[-1], after)):
        ax.text(
            xi,
            value + before * 0.015,
            kronor(unbroken_number(value, 0, lang), lang),
            ha="center",
            va="bottom",
            fontsize=VALUE_SIZE,
            fontweight="bold",
        )
    ax.set_xticks(x, [textwrap.fill(n, 16, break_long_words=False) for n in names], fontsize=11)
    ax.set_ylim(0, before * 1.12)
    ax.set_ylabel(_t(lang, "Kronor per månad", "SEK per month"))
    thousands_axis(ax, "y", lang)
    ax.grid(axis="y")
    return fig
