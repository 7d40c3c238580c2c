"""The output folder of `sim run` and `sim report`: files, headline numbers, self-containment."""

from __future__ import annotations

import html
import json
import re
import shutil
import zipfile

import polars as pl
import pytest
from committed_output import english_folder, run_folder, sim

from sim.charts import all_charts
from sim.errors import SimInputError
from sim.report import HEADLINE, PUBLIC_COST_CHANGE, format_value, headline


@pytest.fixture(scope="module")
def folder():
    return run_folder()


def test_every_file_of_the_output_folder(folder):
    for name in (
        "results.parquet",
        "results.csv",
        "results.xlsx",
        "results_excel.csv",
        "summary.md",
        "report.html",
        "manifest.json",
        "population.json",
    ):
        assert (folder / name).is_file() and (folder / name).stat().st_size > 0, name
    for name in all_charts():
        for suffix in ("png", "svg"):
            assert (folder / "charts" / f"{name}.{suffix}").stat().st_size > 0, name
    # No temporary folder is left beside the output.
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.")]


def test_csv_and_xlsx_hold_the_parquet_table(folder):
    table = pl.read_parquet(folder / "results.parquet")
    assert table.columns == ["scenario", "metric", "group", "value", "low", "high"]
    assert pl.read_csv(folder / "results.csv").shape == table.shape
    with zipfile.ZipFile(folder / "results.xlsx") as workbook:
        names = workbook.namelist()
        book = workbook.read("xl/workbook.xml").decode()
        sheet = workbook.read("xl/worksheets/sheet2.xml").decode()
    # The summary first, then the whole long table, then the definitions (tests/test_spreadsheets.py).
    assert 'name="Sammanfattning"' in book and 'name="Alla resultat"' in book
    assert "xl/worksheets/sheet3.xml" in names
    assert sheet.count("<row ") == table.height + 1  # header + rows


def test_manifest_records_what_the_run_used(folder):
    manifest = json.loads((folder / "manifest.json").read_text())
    names = ["baseline", "bidragstak", "aktivitetskrav", "kombinerad"]
    assert [s["name"] for s in manifest["scenarios"]] == names
    assert set(manifest["law_digest"]) == set(names)
    assert all(len(d) == 64 for d in manifest["law_digest"].values())
    assert len(manifest["population_manifest_sha256"]) == 64
    assert manifest["population_name"] == "population-2024"
    assert manifest["population_files_sha256"]
    assert manifest["assumption_sets"]["bidragstak"] == "central"
    assert len(manifest["assumptions_digest"]) == 64
    assert manifest["command"][1:3] == ["run", "--out"]
    assert manifest["lang"] == "sv"
    assert manifest["seed"] == 1 and manifest["year"] == 2027


def headline_cells(page: str) -> dict[tuple[str, str], str]:
    """The first table of the report as (row label, column header) -> cell text."""
    first = re.search(r"<table>(.*?)</table>", page, re.S).group(1)
    header = [html.unescape(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", first)]
    cells = {}
    for row in re.findall(r"<tr>(.*?)</tr>", first.split("</thead>")[1]):
        values = [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for column, value in zip(header[1:], values[1:], strict=True):
            cells[values[0], column] = value
    return cells


def test_report_and_summary_show_every_headline_number_of_results_csv(folder):
    """Each headline value of results.csv, formatted by format_value, sits in its cell."""
    from sim.charts import scenario_name
    from sim.report import metric_label

    page = (folder / "report.html").read_text()
    summary = (folder / "summary.md").read_text()
    cells = headline_cells(page)
    csv = pl.read_csv(folder / "results.csv")
    rows = csv.filter((pl.col("group") == "all") & pl.col("metric").is_in(HEADLINE))
    scenarios = csv["scenario"].unique().to_list()
    assert rows.height == len(HEADLINE) * len(scenarios) == 70
    for row in rows.iter_rows(named=True):
        text = format_value(row["metric"], row["value"])
        label, column = metric_label(row["metric"]), scenario_name(row["scenario"])
        assert cells[label, column] == text, (row, text)
        summary_row = next(line for line in summary.splitlines() if line.startswith(f"| {label} |"))
        header = next(line for line in summary.splitlines() if line.startswith("| Mått |"))
        columns = [c.strip() for c in header.strip("|").split("|")]
        values = [c.strip() for c in summary_row.strip("|").split("|")]
        assert values[columns.index(column)] == text
    base = rows.filter(
        (pl.col("scenario") == "baseline") & (pl.col("metric") == "public_cost_sek_year")
    )["value"][0]
    for row in rows.filter(pl.col("metric") == "public_cost_sek_year").iter_rows(named=True):
        change = format_value(PUBLIC_COST_CHANGE, row["value"] - base, signed=True)
        assert cells[metric_label(PUBLIC_COST_CHANGE), scenario_name(row["scenario"])] == change


def test_report_is_self_contained(folder):
    page = (folder / "report.html").read_text()
    sources = re.findall(r'\ssrc="([^"]*)"', page)
    assert len(sources) == len(all_charts())
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    assert "<link" not in page and "<script" not in page and "url(" not in page
    assert "@import" not in page
    for href in re.findall(r'href="([^"]*)"', page):
        assert href.startswith(("#", "https://", "http://")), href
    # Links are only to sources: inside the comparison with the government's figures (its
    # two sources) and the assumption, law and calibration sections.
    first_external = page.find('href="http')
    assert first_external > page.find('id="regeringen"') > 0
    government = page[page.find('id="regeringen"') : page.find('id="diagram"')]
    assert len(re.findall(r'href="http', government)) == 2
    after_government = page[page.find('id="diagram"') :]
    assert after_government.find('href="http') > after_government.find('id="antaganden"') > 0


def test_report_has_method_assumptions_sources_calibration_manifest(folder):
    page = (folder / "report.html").read_text()
    for anchor in ("metod", "antaganden", "kallor", "kalibrering", "manifest"):
        assert f'id="{anchor}"' in page
    assert "bidragstak.norm_cut_children" in page  # an assumption with its range
    assert "riksnorm." in page and ("SoL" in page or "SFS" in page)  # law with references
    assert "mål uppfyllda inom sin tolerans" in page
    assert '"law_digest"' in page


def test_formatting():
    assert format_value("fs_paid_sek_year", 9_306_720_766.0) == "9 307 mkr"
    assert format_value("fs_paid_sek_year", -2_498_000_000.0, signed=True) == "−2 498 mkr"
    assert format_value("child_poverty_rate", 0.3055) == "30,6 %"
    assert format_value("child_poverty_rate", 0.3055, lang="en") == "30.6%"
    assert format_value("persons_sanctioned", 19_040.3) == "19 000"
    assert format_value("persons_sanctioned", 940.3) == "940"
    assert format_value("mean_change_sek_month", -1234.4) == "−1 234 kr"


def test_headline_in_english(folder):
    header, rows = headline(pl.read_parquet(folder / "results.parquet"), "en")
    assert header[:3] == ["Measure", "Current rules", "Benefit cap"]
    assert rows[0][0] == "Försörjningsstöd paid" and rows[0][1].startswith("SEK ")


def test_sim_report_rebuilds_in_english_without_recomputing(folder):
    english = english_folder()
    assert (english / "results.parquet").read_bytes() == (folder / "results.parquet").read_bytes()
    assert (english / "manifest.json").read_bytes() == (folder / "manifest.json").read_bytes()
    page = (english / "report.html").read_text()
    assert '<html lang="en">' in page and "Headline results" in page
    assert "Child poverty by scenario" in (english / "charts" / "child_poverty.svg").read_text()
    assert "| Measure |" in (english / "summary.md").read_text()
    assert not [p for p in english.iterdir() if p.name.startswith(".")]


def test_sim_report_refuses_without_force_and_bad_folders(folder, tmp_path):
    done = sim("report", "--from", str(folder))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--force" in done.stderr
    done = sim("report", "--from", str(tmp_path / "missing"))
    assert done.returncode == 2 and "no such output folder" in done.stderr
    assert "Traceback" not in done.stderr
    (tmp_path / "empty").mkdir()
    done = sim("report", "--from", str(tmp_path / "empty"))
    assert done.returncode == 2 and "missing results.parquet" in done.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "results.parquet").write_text("not parquet")
    (bad / "manifest.json").write_text('{"year": 2027}')
    done = sim("report", "--from", str(bad))
    assert done.returncode == 2 and "cannot read" in done.stderr
    done = sim("report", "--from", str(folder), "--lang", "de", "--force")
    assert done.returncode == 2 and "unknown language" in done.stderr


def test_sim_run_does_not_overwrite_without_force(folder):
    before = (folder / "report.html").stat().st_mtime_ns
    done = sim("run", "--out", str(folder))
    assert done.returncode == 2 and "--force" in done.stderr
    assert (folder / "report.html").stat().st_mtime_ns == before


def test_a_failing_report_leaves_no_output_folder(tmp_path, monkeypatch):
    """Atomic: an error while drawing leaves neither the folder nor a temporary one."""
    import sim
    import sim.charts

    results = sim.run(["baseline", "bidragstak"])

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(sim.charts, "render_all", broken)
    with pytest.raises(RuntimeError):
        results.report(tmp_path / "out")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(SimInputError, match="unknown language"):
        results.report(tmp_path / "out", lang="fi")


@pytest.mark.parametrize(
    "manifest",
    [
        '{"year": 2027, "scenarios": 5}',
        '{"year": 2027, "scenarios": [{"x": 1}]}',
        '{"year": "x"}',
        "garbage",
    ],
)
def test_sim_report_refuses_a_damaged_manifest(folder, tmp_path, manifest):
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(folder / "results.parquet", copy / "results.parquet")
    (copy / "manifest.json").write_text(manifest)
    done = sim("report", "--from", str(copy), "--force")
    assert done.returncode == 2
    assert "unreadable manifest" in done.stderr and "Traceback" not in done.stderr


def test_the_comparison_with_the_government_holds_together(folder):
    """The section "Jämförelse med regeringens beräkningar": the whole reform's static
    saving from the part runs' module equals the one from the main table (two code paths),
    every part saves, reading B is parts 2 and 3, and the budget line of 2027 is beside it."""
    table = pl.read_parquet(folder / "results.parquet").filter(
        pl.col("group").is_in(["all"])
        | pl.col("group").str.starts_with("del:")
        | pl.col("group").str.starts_with("läsning:")
    )

    def value(scenario, metric, group="all"):
        rows = table.filter(
            (pl.col("scenario") == scenario)
            & (pl.col("metric") == metric)
            & (pl.col("group") == group)
        )
        assert rows.height == 1, (scenario, metric, group)
        return rows["value"][0]

    reform = "bidragstak/statisk"
    whole = value(reform, "static_saving_sek_year", "del:hela bidragstaket")
    paid = value("baseline", "fs_paid_sek_year") - value(reform, "fs_paid_sek_year")
    assert whole == pytest.approx(paid, rel=1e-12)
    parts = [
        value(reform, "static_saving_sek_year", group)
        for group in ("del:moderniserad riksnorm", "del:fjärde barnet", "del:riksnormen som tak")
    ]
    assert all(p > 0 for p in parts)
    assert value(reform, "static_saving_reading_sek_year", "läsning:B") == pytest.approx(
        parts[1] + parts[2], rel=1e-12
    )
    assert value(reform, "government_saving_sek_year") == 170e6
    # Counts: a mean month never exceeds the year's count.
    for name in ("households_lower_fs", "persons_fourth_child_rule", "children_fourth_child_rule"):
        assert 0 < value(reform, f"{name}_month_mean") <= value(reform, f"{name}_year")
    page = (folder / "report.html").read_text()
    assert 'id="regeringen"' in page and "Läsning B" in page and "−170 mkr 2027" in page
    assert "## Jämförelse med regeringens beräkningar" in (folder / "summary.md").read_text()
