"""Regenerate the generated parts of the documentation (``make docs``).

* ``docs/cli.md``: every command and flag, from the command line's own help
  (:mod:`sim.cli_reference`);
* ``docs/img/*.png``: the README's charts and two printed pages of the report, from a real
  ``sim run`` of the README's command on the committed population: the charts are copied
  from its ``charts/`` folder, the pages are rendered from ``report.pdf`` printed by
  headless Chromium (:mod:`sim.outputs.report.pdf`) with poppler's ``pdftoppm``.

Run it after a change that moves a chart or the report, and commit the images.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "img"
#: The charts the README shows.
CHARTS = ("change_by_household.png", "child_poverty.png")
#: Printed pages the README shows, each found by a text on it: ``file name -> text``.
PAGES = {
    "report_page_headline.png": "Huvudresultat",
    "report_page_lan.png": "Per län, scenario",
}


def _page_with(pdf: Path, text: str) -> int:
    """The first page of ``pdf`` whose text contains ``text``."""
    from sim.outputs.report.pdf import pdf_pages

    for page in range(1, pdf_pages(pdf) + 1):
        words = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if text in " ".join(words.split()):
            return page
    raise SystemExit(f"docs/refresh.py: no page of {pdf} has {text!r}")


def main() -> int:
    from sim import cli_reference
    from sim.outputs.report.pdf import print_pdf

    cli_reference.main([])
    with tempfile.TemporaryDirectory(prefix="sim-docs-") as tmp:
        out = Path(tmp) / "2027"
        subprocess.run(
            [sys.executable, "-m", "sim", "run", "--year", "2027", "--out", str(out)],
            check=True,
        )
        for name in CHARTS:
            shutil.copyfile(out / "charts" / name, IMAGES / name)
        pdf = print_pdf(out / "report.html")
        for name, text in PAGES.items():
            page = _page_with(pdf, text)
            stem = Path(tmp) / "page"
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile"]
                + [str(pdf), str(stem)],
                check=True,
            )
            shutil.copyfile(stem.with_suffix(".png"), IMAGES / name)
    for name in (*CHARTS, *PAGES):
        print(f"wrote {IMAGES / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
