"""Every chart by name (:func:`all_charts`: the run's, the municipal view's) drawn in the
house style and written as PNG and SVG into an output folder's ``charts/``; a sweep's
whisker charts where its tables have bands (:func:`render_bands`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from sim.common.errors import SimInputError
from sim.outputs.charts.context import ChartContext
from sim.outputs.charts.municipal import MUNICIPAL_CHARTS
from sim.outputs.charts.run import CHARTS
from sim.outputs.charts.style import STYLE, save_chart
from sim.outputs.charts.uncertainty import BAND_CHARTS
from sim.outputs.results_lookup import has_bands

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def all_charts() -> dict[str, Callable[..., Figure]]:
    """:data:`sim.outputs.charts.run.CHARTS` and the municipal view's charts (:mod:`sim.outputs.charts.municipal`)."""
    return {**CHARTS, **MUNICIPAL_CHARTS}


def render(
    name: str,
    table: pl.DataFrame,
    *,
    lang: str = "sv",
    context: ChartContext | None = None,
    differences: pl.DataFrame | None = None,
) -> Figure:
    """Draw chart ``name`` of :func:`all_charts` in the house style. A sweep's ``differences``
    go to the charts that draw the band of a change (:func:`sim.outputs.charts.run.child_poverty`)."""

    import matplotlib

    charts = all_charts()
    if name not in charts:
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
        if source is None or not source.height or not has_bands(source):
            continue
        with matplotlib.rc_context(STYLE):
            fig = function(source, lang=lang, context=context)
        written[name] = save_chart(fig, folder, name)
    return written
