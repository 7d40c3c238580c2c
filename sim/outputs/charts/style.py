"""The house style of every chart: sizes, fonts, colours, the style the figures are drawn in,
and the files a figure is saved to.


The figures are 16:9 (9.6 × 5.4 in): :func:`save_chart` writes a slide-ready PNG at 200 dpi
(1920 × 1080 px) and a print-ready SVG with the text kept as text. The font is DejaVu Sans
(bundled with matplotlib: å, ä, ö and the minus sign render everywhere). matplotlib is
imported when a chart is drawn or saved, not when this module is (``import sim`` and the
command line's start stay light).
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure


#: Figure size in inches (16:9) and the PNG resolution: 1920 × 1080 pixels.
FIGSIZE = (9.6, 5.4)


PNG_DPI = 200


#: Font sizes in points at the figure's size. The PNG is 1920 × 1080 at 200 dpi, so a point
#: is 2.78 pixels: a footnote of 11 pt is 31 px tall (a capital about 22 px), as large as
#: 11 pt text on a 9.6-inch-wide page and readable when the slide fills a 1080p projector.
TITLE_SIZE = 16


SUBTITLE_SIZE = 12


FOOTER_SIZE = 11


TICK_SIZE = 12


VALUE_SIZE = 11.5


#: The house style (rcParams applied while a chart is drawn and saved).
STYLE: dict[str, Any] = {
    # A fixed salt for the ids in SVG files (matplotlib draws them at random otherwise):
    # two identical runs give identical bytes.
    "svg.hashsalt": "sim",
    "font.family": "DejaVu Sans",
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 12,
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
    "xtick.labelsize": TICK_SIZE,
    "ytick.labelsize": TICK_SIZE,
    "legend.frameon": False,
    "legend.fontsize": 12,
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


MONTHS = {
    "sv": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def run_colour(label: str, order: Sequence[str] = ()) -> str:
    name = label.partition("/")[0]
    if name in COLOURS:
        return COLOURS[name]
    others = [n for n in dict.fromkeys(o.partition("/")[0] for o in order) if n not in COLOURS]
    i = others.index(name) if name in others else 0
    return _FALLBACK_COLOURS[i % len(_FALLBACK_COLOURS)]


def styled(function: Callable[..., Figure]) -> Callable[..., Figure]:
    """Draw inside the house style (rcParams are read when artists are created)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        import matplotlib

        with matplotlib.rc_context(STYLE):
            return function(*args, **kwargs)

    return wrapper


def wrap_to_figure(text: str, size: float, *, bold: bool = False, width: float = 0.975) -> str:
    """``text`` wrapped to ``width`` of the figure at ``size`` points (DejaVu Sans is about
    0.50 em a character in Swedish prose, 0.61 in bold; measured on the charts, with a
    margin); each line of ``text`` separately."""
    chars = int(width * FIGSIZE[0] * 72 / (size * (0.62 if bold else 0.53)))
    return "\n".join(
        textwrap.fill(line, chars, break_on_hyphens=False) for line in text.split("\n")
    )


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
