"""The frame of every chart: a 16:9 figure with a header (title, subtitle, room for a legend)
and a footer (the source line), axes in the house number format, and labels kept apart.


Figures are drawn on an Agg canvas created inside each function (:class:`sim.outputs.charts.figure.SimFigure`),
never through pyplot's global state, so drawing a chart changes no global matplotlib setting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from sim.outputs.charts.context import ChartContext, source_lines
from sim.outputs.charts.style import (
    FIGSIZE,
    FOOTER_SIZE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    VALUE_SIZE,
    wrap_to_figure,
)
from sim.outputs.formatting import unbroken_number

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


#: Left margin of the header and footer, as a fraction of the figure's width.
MARGIN_X = 0.012


def new_figure(
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
    # Imported here, as matplotlib is everywhere in sim/outputs: when a chart is drawn, not
    # when a module is imported (sim.outputs.charts.figure imports matplotlib at its top).
    from sim.outputs.charts.figure import SimFigure

    fig = SimFigure(figsize=FIGSIZE, layout="constrained")
    renderer = fig.canvas.get_renderer()

    def height(artist) -> float:
        return artist.get_window_extent(renderer).height / fig.bbox.height

    y = 0.978
    heading = fig.text(
        MARGIN_X,
        y,
        wrap_to_figure(title, TITLE_SIZE, bold=True),
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
        wrap_to_figure(subtitle, SUBTITLE_SIZE),
        fontsize=SUBTITLE_SIZE,
        color="#444444",
        va="top",
        ha="left",
        gid="sim-subtitle",
    )
    top = y - height(sub) - 0.018 - 0.052 * legend_rows
    text = footer if footer is not None else source_lines(context, lang, note)
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


def legend_top(fig: Figure, handles: list, labels: list[str], ncols: int) -> None:
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


def thousands_axis(
    ax: Axes, axis: str, lang: str, decimals: int = 0, nbins: int | str = "auto"
) -> None:
    """Tick labels in the house number format; ``nbins`` caps the number of ticks."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: unbroken_number(v, decimals, lang)))
    target.set_major_locator(MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))


def fit_y(ax: Axes, *, include: Sequence[float] = ()) -> None:
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


def end_labels(ax: Axes, x: float, ends: Sequence[tuple[float, str, str]]) -> None:
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


def legend_patch(colour: str):
    from matplotlib.patches import Patch

    return Patch(facecolor=colour)
