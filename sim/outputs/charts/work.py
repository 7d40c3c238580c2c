"""The chart "Lönar det sig att arbeta?": a household's disposable income and its parts
against gross earnings, the baseline and a reform side by side.

:func:`work_pays` takes the frame of :func:`sim.calculator.axes.household_axis` and returns a
:class:`matplotlib.figure.Figure` (one panel per scenario, the same scales): stacked areas of
net earnings, other net income, barnbidrag, underhållsstöd, bostadsbidrag, försörjningsstöd
and jobbpremie, and the disposable income as a line over them; :func:`work_incentive_rates`
draws the participation and marginal effective tax rates of the same frame. Swedish labels
by default, English with ``lang="en"``; drawn on an Agg canvas in the house style of
:mod:`sim.outputs.charts.run` (no pyplot state, nothing happens on import). A figure returned as a
notebook cell's value is shown by Jupyter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from sim import __version__
from sim.catalogue import labels
from sim.catalogue.labels import text as _t
from sim.outputs.charts.frame import new_figure, thousands_axis
from sim.outputs.charts.style import FOOTER_SIZE, run_colour, styled, wrap_to_figure
from sim.outputs.formatting import unbroken_number
from sim.outputs.names import scenario_name

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The stacked parts of the disposable income: column, (sv, en) label, colour (Okabe-Ito).
PARTS = (
    ("net_earnings", ("Lön efter skatt", "Net earnings"), "#0072B2"),
    ("net_other", ("Andra inkomster efter skatt", "Other net income"), "#999999"),
    ("barnbidrag", ("Barnbidrag", "Child benefit"), "#009E73"),
    ("underhallsstod", ("Underhållsstöd", "Maintenance support"), "#56B4E9"),
    ("bostadsbidrag", ("Bostadsbidrag", "Housing allowance"), "#E69F00"),
    ("forsorjningsstod", ("Försörjningsstöd", "Social assistance (FS)"), "#D55E00"),
    ("jobbpremie", ("Jobbpremie", "Job premium"), "#CC79A7"),
)


def _x(frame: pl.DataFrame, lang: str) -> tuple[str, str]:
    """The x column and its label: gross earnings, or the housing cost on a housing axis."""
    if frame["axis"][0] == "housing_cost":
        return "value", _t(lang, "Boendekostnad, kr/mån", "Housing cost, SEK/month")
    who = _t(lang, "vuxen 2", "adult 2") if frame["axis"][0] == "earnings2" else ""
    label = _t(lang, "Bruttolön", "Gross earnings") + (f" ({who})" if who else "")
    return "worker_gross_earnings", label + _t(lang, ", kr/mån", ", SEK/month")


def _footer(frame: pl.DataFrame, lang: str) -> str:
    jobbstimulans = int(frame["months_on_fs"][0]) >= 6
    text = _t(
        lang,
        f"Källa: egna beräkningar med sim {__version__} (hushållsberäkningen). "
        f"{frame['month'][0]}; {int(frame['months_on_fs'][0])} månader med försörjningsstöd före månaden "
        + (
            "(jobbstimulans: 25 % av nettolönen räknas inte, SoL 12 kap. 8 §). "
            if jobbstimulans
            else "(ingen jobbstimulans, den gäller efter sex månader, SoL 12 kap. 8 §). "
        )
        + "Disponibel inkomst = nettoinkomster + barnbidrag + underhållsstöd + bostadsbidrag "
        "+ försörjningsstöd + jobbpremie. Beteende och aktivitetskravets sanktioner ingår inte.",
        f"Source: own calculations with sim {__version__} (the household calculator). "
        f"{frame['month'][0]}; {int(frame['months_on_fs'][0])} months on FS before the month "
        + (
            "(jobbstimulans: 25% of net earnings not counted, SoL 12:8). "
            if jobbstimulans
            else "(no jobbstimulans; it applies after six months, SoL 12:8). "
        )
        + "Disposable income = net incomes + child benefit + maintenance support + housing "
        "allowance + FS + job premium. Behaviour and activity-requirement sanctions not included.",
    )
    return wrap_to_figure(text, FOOTER_SIZE)


def _frame_figure(title: str, subtitle: str, footer: str, ncols: int):
    """The house frame of :func:`sim.outputs.charts.frame.new_figure` (measured header and footer, 11 pt
    footnotes) with a legend row and panels that share their y axis."""
    fig, axes = new_figure(
        title, subtitle, None, "sv", ncols=ncols, legend_rows=1, footer=footer, sharey=True
    )
    return fig, axes, fig.sim_plot_top


@styled
def work_pays(frame: pl.DataFrame, *, lang: str = "sv", household: str = "") -> Figure:
    """Disposable income and its parts against gross earnings, one panel per scenario.

    ``frame``: :func:`sim.calculator.axes.household_axis`'s rows (one or more scenarios);
    ``household``: a short description printed in the subtitle.
    """
    x_column, x_label = _x(frame, lang)
    scenarios = frame["scenario"].unique(maintain_order=True).to_list()
    title = _t(lang, "Lönar det sig att arbeta?", "Does work pay?")
    subtitle = _t(
        lang,
        "Disponibel inkomst och dess delar, kronor per månad"
        + (f": {household}" if household else ""),
        "Disposable income and its parts, SEK per month" + (f": {household}" if household else ""),
    )
    fig, axes, top = _frame_figure(title, subtitle, _footer(frame, lang), len(scenarios))
    handles: list = []
    labels: list[str] = []
    for ax, name in zip(axes, scenarios, strict=True):
        rows = frame.filter(pl.col("scenario") == name).sort(x_column)
        x = rows[x_column].to_numpy()
        parts = {
            "net_other": (rows["net_other_income"] + rows["net_income_children"]).to_numpy(),
            **{c: rows[c].to_numpy() for c, _, _ in PARTS if c in rows.columns},
        }
        shown = [(c, label, colour) for c, label, colour in PARTS if parts[c].any()]
        stacks = ax.stackplot(
            x,
            *[parts[c] for c, _, _ in shown],
            colors=[colour for _, _, colour in shown],
            alpha=0.85,
            linewidth=0,
        )
        (line,) = ax.plot(x, rows["disposable_income"].to_numpy(), color="#000000", linewidth=1.8)
        for (_, label, _), patch in zip(shown, stacks, strict=True):
            text = _t(lang, *label)
            if text not in labels:
                labels.append(text)
                handles.append(patch)
        ax.set_title(scenario_name(name, lang), color=run_colour(name))
        ax.set_xlabel(x_label)
        ax.grid(axis="y")
        thousands_axis(ax, "x", lang, nbins=6)
        thousands_axis(ax, "y", lang)
        ax.set_xlim(float(x.min()), float(x.max()))
    handles.append(line)
    labels.append(_t(lang, "Disponibel inkomst", "Disposable income"))
    axes[0].set_ylabel(_t(lang, "Kronor per månad", "SEK per month"))
    fig.legend(
        handles,
        labels,
        loc="lower right",
        bbox_to_anchor=(0.99, top + 0.005),
        ncols=min(len(labels), 8),
        fontsize=10,
        handlelength=1.2,
        columnspacing=1.0,
    )
    return fig


@styled
def work_incentive_rates(frame: pl.DataFrame, *, lang: str = "sv", household: str = "") -> Figure:
    """The participation tax rate and the marginal effective tax rate along the axis, each
    scenario a line (definitions: :mod:`sim.incentives.tax_rates`)."""
    x_column, x_label = _x(frame, lang)
    step = unbroken_number(float(frame["emtr_step"][0]), 0, lang)
    title = _t(lang, "Hur mycket av lönen behåller hushållet?", "How much of the wage is kept?")
    subtitle = _t(
        lang,
        "Deltagandeskatt (PTR): andel av bruttolönen som försvinner i skatt och lägre bidrag "
        f"när personen börjar arbeta; marginaleffekt (EMTR): andel av {step} kr mer i lön"
        + (f". {household}" if household else ""),
        "Participation tax rate (PTR): share of gross earnings lost to tax and lower benefits "
        f"on taking the job; marginal effective tax rate (EMTR): share of SEK {step} more lost"
        + (f". {household}" if household else ""),
    )
    fig, axes, top = _frame_figure(title, subtitle, _footer(frame, lang), 2)
    for ax, column, name in zip(
        axes,
        ("ptr", "emtr"),
        (_t(lang, "Deltagandeskatt (PTR)", "PTR"), _t(lang, "Marginaleffekt (EMTR)", "EMTR")),
        strict=True,
    ):
        for scenario in frame["scenario"].unique(maintain_order=True).to_list():
            rows = frame.filter(pl.col("scenario") == scenario).sort(x_column)
            ax.plot(
                rows[x_column].to_numpy(),
                100 * rows[column].to_numpy(),
                color=run_colour(scenario),
                linewidth=1.6,
                label=scenario_name(scenario, lang),
                drawstyle="steps-post" if column == "emtr" else "default",
            )
        ax.axhline(100, color="#888888", linewidth=0.8, linestyle="--")
        ax.set_title(name)
        ax.set_xlabel(x_label)
        ax.grid(axis="y")
        thousands_axis(ax, "x", lang, nbins=6)
    axes[0].set_ylabel(_t(lang, "Procent", "Per cent"))
    axes[0].legend(loc="lower left")
    return fig


@styled
def population_ptr(
    summary: pl.DataFrame, *, lang: str = "sv", jobbstimulans: bool = False
) -> Figure:
    """Median PTR of the adults on FS taking a job, by household type, one panel per wage,
    each scenario a bar (``summary``: :func:`sim.incentives.population.summarise`)."""
    rows = summary.filter(
        (pl.col("group_kind") == "hushållstyp")
        & (pl.col("metric") == "ptr_median")
        & (pl.col("jobbstimulans") == jobbstimulans)
    )
    wages = rows.select("wage_label", "wage").unique(maintain_order=True).sort("wage")
    scenarios = rows["scenario"].unique(maintain_order=True).to_list()
    groups = rows["group"].unique(maintain_order=True).sort().to_list()
    state = _t(
        lang,
        "med jobbstimulans (sex månader med FS)" if jobbstimulans else "utan jobbstimulans",
        "with jobbstimulans (six months on FS)" if jobbstimulans else "without jobbstimulans",
    )
    title = _t(lang, "Lönar det sig att ta ett jobb?", "Does taking a job pay?")
    subtitle = _t(
        lang,
        f"Deltagandeskatt (PTR), median bland hushåll med försörjningsstöd, {state}",
        f"Participation tax rate (PTR), median among households on FS, {state}",
    )
    footer = wrap_to_figure(
        _t(
            lang,
            f"Källa: egna beräkningar med sim {__version__} på befolkningen, statiskt: hushåll med "
            "försörjningsstöd i månaden där en vuxen utan arbete tar jobbet; PTR = 1 − (disponibel "
            "inkomst i arbete − utan arbete) / bruttolön. Jobbpremien antas sökbar. Inga beteendeeffekter.",
            f"Source: own calculations with sim {__version__} on the population, static: households on FS "
            "in the month where an adult out of work takes the job; PTR = 1 − (disposable income in "
            "work − out of work) / gross wage. Job premium assumed claimable. No behaviour.",
        ),
        FOOTER_SIZE,
    )
    fig, axes, top = _frame_figure(title, subtitle, footer, wages.height)
    y = np.arange(len(groups))
    height = 0.8 / max(len(scenarios), 1)
    for ax, (label, wage) in zip(axes, wages.iter_rows(), strict=True):
        for i, name in enumerate(scenarios):
            part = rows.filter((pl.col("scenario") == name) & (pl.col("wage_label") == label))
            values = dict(zip(part["group"], part["value"], strict=True))
            ax.barh(
                y + (i - (len(scenarios) - 1) / 2) * height,
                [100 * values.get(g, np.nan) for g in groups],
                height=height,
                color=run_colour(name),
                label=scenario_name(name, lang),
            )
        ax.axvline(100, color="#888888", linewidth=0.8, linestyle="--")
        ax.set_title(f"{unbroken_number(wage, 0, lang)} " + _t(lang, "kr/mån", "SEK/month"))
        ax.set_xlim(
            min(0.0, 100 * float(rows["value"].min())), max(110.0, 105 * float(rows["value"].max()))
        )
        ax.set_xlabel(_t(lang, "Procent av bruttolönen", "Per cent of the gross wage"))
        ax.grid(axis="x")
    axes[0].set_yticks(y, [labels.group_value("hushållstyp", g, lang) for g in groups])
    axes[0].invert_yaxis()
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(
        handles, names, loc="lower right", bbox_to_anchor=(0.99, top + 0.005), ncols=len(names)
    )
    return fig
