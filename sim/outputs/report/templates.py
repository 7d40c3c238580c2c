"""The report's templates and the plain data they draw.


Python builds plain data (a section: its anchor, title, template and blocks; a table: its
header, rows and caption), the jinja2 templates of ``sim/outputs/templates/`` render it with
autoescape on: a text is always escaped, only a ``Markup`` (a link built here) is not."""

from __future__ import annotations

import base64
import dataclasses
import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2


@functools.cache
def _environment() -> jinja2.Environment:
    """The templates of ``sim/outputs/templates/`` (read once), autoescaping every value."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("sim.outputs", "templates"),
        # HTML is escaped; summary.md is Markdown (its texts are the same plain strings).
        autoescape=lambda name: name is None or not name.endswith(".md.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(name: str, **context: Any) -> str:
    """Render the template ``sim/outputs/templates/<name>`` with ``context``."""
    return _environment().get_template(name).render(**context)


def render_section(section: Mapping[str, Any]) -> str:
    """One section of the report alone (its heading and ``sections/<template>``)."""
    return render_template("section.html.j2", s=section)


@dataclasses.dataclass(frozen=True)
class Table:
    """A table as the templates draw it: ``header`` (texts) and ``rows`` of cells (a text,
    escaped, or a :class:`markupsafe.Markup` link). ``numeric``: the columns after the first
    are numbers (right-aligned, never broken in print). ``css``: the table's classes
    (``wide-table``: many columns, a smaller font in print; ``banded``: numbers with bands,
    which may break between value and band in print)."""

    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    numeric: bool = True
    css: str = ""
    caption: str = ""
    #: Columns whose cells never break (dates, numbers in a text table).
    nowrap: tuple[int, ...] = ()


def block(kind: str, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, **fields}


def paragraph(text: str, css: str = "") -> dict[str, Any]:
    return block("p", text=text, css=css)


def report_section(anchor: str, title: str, template: str = "blocks.html.j2", **data: Any) -> dict:
    return {"id": anchor, "title": title, "template": template, **data}


def embedded_figure(name: str, image: str | Path, caption: str) -> dict[str, str]:
    """A chart for the templates: its file embedded as a data URI (SVG or PNG)."""
    path = Path(image)
    kind = "svg+xml" if path.suffix == ".svg" else "png"
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return {"name": name, "caption": caption, "src": f"data:image/{kind};base64,{data}"}


def figure_html(name: str, image: str | Path, caption: str) -> str:
    """A chart embedded as a data URI (SVG or PNG by its file), captioned with its files."""
    return (
        _environment()
        .get_template("macros.html.j2")
        .module.figure(embedded_figure(name, image, caption))
    )


def numeric_table_html(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table with a label column and right-aligned number columns (scrolls when wide on
    screen; fits the page in print)."""
    return str(_environment().get_template("macros.html.j2").module.table(Table(header, rows)))


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" + "---:|" * (len(header) - 1)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]
