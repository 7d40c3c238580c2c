"""The figure every chart returns: a matplotlib Figure that shows itself in Jupyter.

The charts draw on an Agg canvas of their own, never through pyplot (no global state), so
IPython's pyplot hooks do not know them; :meth:`SimFigure._repr_png_` is the rich display
IPython looks for, so a chart returned as a cell's value is drawn, with or without
``%matplotlib inline``.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


class SimFigure(Figure):
    """A :class:`matplotlib.figure.Figure` on its own Agg canvas, displayed as PNG."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        FigureCanvasAgg(self)

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png")
        return buffer.getvalue()
