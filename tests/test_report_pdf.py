"""The report printed to PDF by real (headless) Chromium: A4, and no table cut off.

Skipped, with the reason, only where Chromium or poppler (pdftotext, pdfinfo) is missing;
CI installs both (.ci/run)."""

from __future__ import annotations

import re
import shutil

import pytest
from committed_output import run_folder

from sim.outputs.report.pdf import check_pdf, find_chromium, print_pdf, table_cells

pytestmark = [
    pytest.mark.skipif(
        find_chromium() is None,
        reason="no Chromium on the PATH (apt-get install -y chromium, or set SIM_CHROMIUM)",
    ),
    pytest.mark.skipif(
        shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
        reason="no poppler-utils (apt-get install -y poppler-utils)",
    ),
]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """`sim run`'s report and its PDF: (html text, check)."""
    page = (run_folder() / "report.html").read_text()
    pdf = print_pdf(run_folder() / "report.html", tmp_path_factory.mktemp("pdf") / "report.pdf")
    return page, check_pdf(pdf, table_cells(page))


def test_the_printed_report_is_a4_and_no_table_is_cut_off(printed):
    page, check = printed
    cells = table_cells(page)
    assert len(cells) > 1000  # every table: headline to the law's values and the manifest
    assert check.is_a4, check.describe()
    assert not check.missing, check.describe()
    assert not check.outside, check.describe()
    # Every section on its own pages, but not a page per table row.
    assert 15 <= check.pages <= 60, check.describe()


def test_the_check_fails_on_a_report_without_the_print_stylesheet(printed, tmp_path):
    """The check can fail: the same report with the stylesheet as it was before the print
    rules (wide tables scrolling in a 1100 px column) loses the right-hand columns of the
    headline and per-län tables in print."""
    page, _ = printed
    old = re.sub(r"/\* Print:.*?(?=</style>)", "", page, flags=re.S)
    assert "@media print" not in old and ".wide{overflow-x:auto}" in old
    (tmp_path / "report.html").write_text(old)
    check = check_pdf(print_pdf(tmp_path / "report.html"), table_cells(old))
    assert not check.ok
    assert check.missing, check.describe()  # columns clipped away
    headline = re.search(r"<table>(.*?)</table>", old, re.S).group(1)
    last_column = table_cells(f"<table>{headline}</table>")[7::8]
    assert set(last_column) & set(check.missing), check.describe()
