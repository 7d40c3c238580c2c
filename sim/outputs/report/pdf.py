"""``report.html`` printed to ``report.pdf`` (A4) by headless Chromium, and a check that no
table of the printed report is cut off.

The report's print stylesheet (``sim/outputs/templates/report.css``, ``@media print``) lays every
table out within the width of an A4 page; this module prints the page exactly as a reader's
"print to PDF" would (Chromium's own print path, no header and footer) and measures the
result with poppler (``pdftotext -bbox``, ``pdfinfo``)::

    python -m sim.outputs.report.pdf out/2027            # writes out/2027/report.pdf
    python -m sim.outputs.report.pdf out/2027 --check    # and checks that nothing is clipped

Chromium is found as ``chromium`` (Debian), ``chromium-browser`` or ``google-chrome`` on the
``PATH``, or given by ``SIM_CHROMIUM``. It is started with a fresh profile in a temporary
folder and without any network service of its own (this project's machines have no
network; neither should printing a local file need one).
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sim.common.errors import SimInputError

#: A4 in PostScript points (1/72 inch), as poppler reports a page.
A4_POINTS = (595.28, 841.89)
#: The page margins of the print stylesheet (``@page``), in millimetres: top, right,
#: bottom, left. The check measures against the box they leave.
PAGE_MARGINS_MM = (16.0, 14.0, 18.0, 14.0)
#: Chromium's flags for printing a local file on a machine without network.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
)


def find_chromium() -> str | None:
    """The Chromium executable: ``SIM_CHROMIUM``, else the first of the usual names on the
    ``PATH``; ``None`` when there is none."""
    given = os.environ.get("SIM_CHROMIUM")
    if given:
        return given if shutil.which(given) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html_path: str | Path, pdf_path: str | Path | None = None, *, timeout=180) -> Path:
    """Print ``html_path`` to ``pdf_path`` (default: beside it, ``.pdf``) with headless
    Chromium; one clear :class:`SimInputError` when Chromium is missing or fails."""
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise SimInputError(f"{html_path}: no such report")
    pdf_path = Path(pdf_path) if pdf_path is not None else html_path.with_suffix(".pdf")
    chromium = find_chromium()
    if chromium is None:
        raise SimInputError(
            "no Chromium found (install it: apt-get install -y chromium, or set SIM_CHROMIUM)"
        )
    pdf_path = pdf_path.resolve()
    tmp_pdf = pdf_path.with_name(f".{pdf_path.name}.{os.getpid()}.tmp")
    with tempfile.TemporaryDirectory(prefix="sim-chromium-") as profile:
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={tmp_pdf}",
            html_path.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, cwd=profile
            )
        except subprocess.TimeoutExpired:
            tmp_pdf.unlink(missing_ok=True)
            raise SimInputError(f"Chromium did not print {html_path} in {timeout} s") from None
        if done.returncode != 0 or not tmp_pdf.is_file() or tmp_pdf.stat().st_size == 0:
            tmp_pdf.unlink(missing_ok=True)
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise SimInputError(f"Chromium failed to print {html_path}: {last}")
    os.replace(tmp_pdf, pdf_path)
    return pdf_path


# ------------------------------------------------------------------------------ checking


@dataclasses.dataclass(frozen=True)
class Word:
    """A word of the PDF and its box in points from the page's top left corner."""

    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


@dataclasses.dataclass(frozen=True)
class PrintCheck:
    """What :func:`check_pdf` found: pages, size of a page, the words outside the content
    box (clipped or spilling over the margin) and the table cells missing from the text."""

    pages: int
    page_size: tuple[float, float]
    outside: tuple[Word, ...]
    missing: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.outside and not self.missing and self.is_a4

    @property
    def is_a4(self) -> bool:
        return all(abs(a - b) < 2 for a, b in zip(self.page_size, A4_POINTS, strict=True))

    def describe(self) -> str:
        lines = [
            f"{self.pages} pages of {self.page_size[0]:.0f} × {self.page_size[1]:.0f} pt"
            + ("" if self.is_a4 else " (not A4)")
        ]
        for word in self.outside[:10]:
            lines.append(
                f"page {word.page}: {word.text!r} at x {word.x_min:.0f}–{word.x_max:.0f} pt, "
                f"outside the content box"
            )
        if len(self.outside) > 10:
            lines.append(f"... {len(self.outside) - 10} more words outside")
        for cell in self.missing[:10]:
            lines.append(f"table cell not in the printed text (cut off): {cell!r}")
        if len(self.missing) > 10:
            lines.append(f"... {len(self.missing) - 10} more cells missing")
        return "\n".join(lines)


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise SimInputError(f"no {tool} (install poppler-utils: apt-get install -y poppler-utils)")
    return found


def pdf_words(pdf_path: str | Path) -> tuple[tuple[float, float], list[Word]]:
    """The page size and every word of ``pdf_path`` with its box (``pdftotext -bbox``)."""
    done = subprocess.run(
        [_poppler("pdftotext"), "-bbox", str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    words = []
    size = (0.0, 0.0)
    page = 0
    for line in done.stdout.splitlines():
        line = line.strip()
        if line.startswith("<page "):
            page += 1
            w = float(re.search(r'width="([\d.]+)"', line).group(1))
            h = float(re.search(r'height="([\d.]+)"', line).group(1))
            size = (w, h)
        elif line.startswith("<word "):
            box = {k: float(v) for k, v in re.findall(r'(\w+)="([\d.\-]+)"', line)}
            text = html.unescape(re.search(r">(.*)</word>", line).group(1))
            words.append(Word(page, text, box["xMin"], box["yMin"], box["xMax"], box["yMax"]))
    return size, words


def pdf_text(pdf_path: str | Path) -> str:
    """The text of ``pdf_path`` in the order it is drawn (``pdftotext -raw``: a table cell's
    lines stay together, not interleaved with the next cell's as in reading order)."""
    done = subprocess.run(
        [_poppler("pdftotext"), "-raw", str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def pdf_pages(pdf_path: str | Path) -> int:
    """The number of pages of ``pdf_path`` (``pdfinfo``)."""
    done = subprocess.run(
        [_poppler("pdfinfo"), str(pdf_path)], capture_output=True, text=True, check=True
    )
    return int(re.search(r"^Pages:\s+(\d+)", done.stdout, re.M).group(1))


def table_cells(page: str) -> list[str]:
    """The text of every cell (``<td>``) of every table of a report, as the reader sees it
    (tags removed, entities resolved, white space collapsed)."""
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]


def _squeezed(text: str) -> str:
    return "".join(text.split())


def check_pdf(
    pdf_path: str | Path, cells: Sequence[str] = (), *, tolerance_pt: float = 1.5
) -> PrintCheck:
    """Whether the printed report fits its pages: every word lies inside the content box of
    an A4 page (the ``@page`` margins of :data:`PAGE_MARGINS_MM`, with ``tolerance_pt``), and
    every one of ``cells`` (:func:`table_cells` of the HTML) is found in the PDF's text
    (white space ignored). A
    table wider than the page is caught either way: Chromium clips it at the content edge
    (its cells go missing) or lets it spill into the margin (its words lie outside)."""
    size, words = pdf_words(pdf_path)
    mm = 72 / 25.4
    top, right, bottom, left = (m * mm for m in PAGE_MARGINS_MM)
    x_lo, x_hi = left - tolerance_pt, size[0] - right + tolerance_pt
    y_lo, y_hi = top - tolerance_pt, size[1] - bottom + tolerance_pt
    outside = tuple(
        w for w in words if w.x_min < x_lo or w.x_max > x_hi or w.y_min < y_lo or w.y_max > y_hi
    )
    # Chromium draws a table cell by cell, so a cell's words are consecutive in the text
    # stream, also where the cell wraps (a line may break inside a long word, a URL or a
    # path: the comparison ignores white space).
    text = _squeezed(pdf_text(pdf_path))
    missing = tuple(dict.fromkeys(c for c in cells if _squeezed(c) not in text))
    return PrintCheck(pdf_pages(pdf_path), size, outside, missing)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sim.outputs.report.pdf", description="Print report.html to report.pdf (A4)."
    )
    parser.add_argument("folder", help="output folder of `sim run` (or a report.html)")
    parser.add_argument("--out", help="the PDF to write (default: report.pdf beside it)")
    parser.add_argument(
        "--check", action="store_true", help="check that no table is cut off (needs poppler)"
    )
    args = parser.parse_args(argv)
    source = Path(args.folder)
    page = source / "report.html" if source.is_dir() else source
    try:
        pdf = print_pdf(page, args.out)
        print(f"wrote {pdf}")
        if args.check:
            result = check_pdf(pdf, table_cells(page.read_text()))
            print(result.describe())
            if not result.ok:
                print("the printed report does not fit its pages", file=sys.stderr)
                return 1
    except SimInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
