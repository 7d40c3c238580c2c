"""The output folder of `sim run` and `sim report`: files, headline numbers, self-containment."""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import zipfile

import polars as pl
import pytest
from committed_output import english_folder, run_folder, sim

from sim.common.errors import SimInputError
from sim.outputs.charts.rendering import all_charts
from sim.outputs.formatting import format_value
from sim.outputs.report.headline import HEADLINE, PUBLIC_COST_CHANGE, headline


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
    from sim.outputs.names import metric_label, scenario_name

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
    # The charts are embedded as SVG (vector, a tenth of the PNGs' bytes), and an embedded
    # SVG loads nothing either.
    assert all(s.startswith("data:image/svg+xml;base64,") for s in sources)
    for source in sources:
        svg = base64.b64decode(source.partition(",")[2]).decode()
        assert "<svg" in svg and "<script" not in svg and "url(http" not in svg
        assert not re.search(r'href="(?!#)', svg), "an SVG refers to another file"
    assert "<link" not in page and "<script" not in page and "url(" not in page
    assert "@import" not in page
    # The one local link is to the folder's own manifest.json (a link, not a load).
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs.count("manifest.json") == 1
    for href in hrefs:
        assert href.startswith(("#", "https://", "http://")) or href == "manifest.json", href
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
    for anchor in ("metod", "antaganden", "kallor", "kalibrering", "kallforteckning", "manifest"):
        assert f'id="{anchor}"' in page
    assert "bidragstak.norm_cut_children" in page  # an assumption with its range
    assert "riksnorm." in page and ("SoL" in page or "SFS" in page)  # law with references
    assert "mål uppfyllda inom sin tolerans" in page


def test_the_manifest_is_a_short_table_with_a_link_to_manifest_json(folder):
    """What made the results, one fact a row (hashes shortened), the files with their sizes
    and hashes, and a link to the whole record; no raw JSON."""
    page = (folder / "report.html").read_text()
    manifest = json.loads((folder / "manifest.json").read_text())
    section = page[page.index('id="manifest"') :]
    assert "<pre" not in page and '"law_digest"' not in page and "{" not in section
    tables = re.findall(r"<table[^>]*>(.*?)</table>", section, re.S)
    assert len(tables) == 2
    facts = {
        html.unescape(re.sub(r"<[^>]+>", "", cells[0])): html.unescape(cells[1])
        for cells in (re.findall(r"<td[^>]*>(.*?)</td>", row) for row in tables[0].split("<tr>"))
        if len(cells) == 2
    }
    assert facts["Version"] == f"sim {manifest['version']}"
    assert facts["Git-commit"] == manifest["git_revision"][:12]
    assert facts["Skapad"] == manifest["created"]
    assert facts["Frö"] == "1" and facts["År"] == "2027"
    assert facts["Befolkning"].startswith("population-2024 (dataår 2024, frö 1, manifest ")
    assert facts["Scenarier (antagandeuppsättning)"].startswith(
        "Nuvarande regler (baseline.yaml, inga (statisk)); Bidragstak (bidragstak.yaml, central)"
    )
    for name, digest in manifest["law_digest"].items():
        assert digest[:12] in section and digest not in section, name
    for name, digest in manifest["results_sha256"].items():
        row = next(r for r in tables[1].split("<tr>") if f"<td>{name}</td>" in r)
        size = (folder / name).stat().st_size
        assert digest[:12] in row and (" kB" in row or " MB" in row), (name, size)
    assert '<a href="manifest.json">manifest.json</a>' in section


def test_the_report_is_under_a_megabyte(folder):
    """`make run`'s report, charts included, stays small enough to mail (it was 2.1 MB with
    the charts as 1920 × 1080 PNG)."""
    assert (folder / "report.html").stat().st_size < 1_000_000


def _visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_swedish_government_comparison_has_no_code_names(folder):
    """No group codes (``del:``, ``läsning:``) or parameter paths in the Swedish text of the
    comparison with the government, in the report and the summary."""
    page = (folder / "report.html").read_text()
    section = _visible_text(page[page.index('id="regeringen"') : page.index('id="diagram"')])
    summary = (folder / "summary.md").read_text()
    summary = summary[summary.index("## Jämförelse") :]
    summary = summary[: summary.index("\n## ", 5) if "\n## " in summary[5:] else None]
    for text in (section, summary):
        assert "Del 1: moderniserad riksnorm" in text and "Läsning B" in text
        for code in ("del:", "läsning:", "fourth_child_order", "bidragstak."):
            assert code not in text, code
        assert not re.findall(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)


def test_swedish_report_names_scenarios_assumption_sets_and_evidence_in_swedish(folder):
    page = (folder / "report.html").read_text()
    law = _visible_text(page[page.index('id="kallor"') : page.index('id="kalibrering"')])
    # Headings name the scenario by its title, not its file name.
    assert "<h3>Bidragstak: " in page and "<h3>bidragstak:" not in page
    for word in (">proposal<", ">assumption<", ">set<", ">scale<", ">secondary<", ">government<"):
        assert word not in page, word
    assert "sekundär källa" in law and "förslag" in law and "antagande" in law
    assumptions = page[page.index('id="antaganden"') : page.index('id="kallor"')]
    assert "<td>inga (statisk)</td>" in assumptions and "<th>Lågt</th>" in assumptions


def test_the_source_list_marks_every_secondary_source(folder):
    """Every law value in force in the year has its URL in the source list, marked
    "(sekundär källa)" exactly when the value rests on a secondary source (``evidence:
    secondary``, or ``derived`` from such a value of the same parameter and URL); and the
    government comparison's news source is marked."""
    from sim.metrics.government_comparison import BUDGET_URL, PERSONS_URL
    from sim.scenarios.scenario import load_scenario

    page = (folder / "report.html").read_text()
    section = page[page.index('id="kallforteckning"') : page.index('id="manifest"')]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    listed = set()
    for item in items:
        url = re.search(r'href="([^"]*)"', item)
        if url:
            listed.add((html.unescape(url.group(1)), "(sekundär källa)" in item))
    law = load_scenario("baseline").law(2027)
    cited = set()
    for parameter in law:
        if parameter.path.startswith("riksnorm_modernised."):
            continue
        values = parameter.values
        for i, entry in enumerate(values):
            if entry.start.isoformat() > "2027-12-31":
                continue
            if i + 1 < len(values) and values[i + 1].start.isoformat() <= "2027-01-01":
                continue
            secondary = entry.evidence == "secondary" or (
                entry.evidence == "derived"
                and any(
                    e.evidence == "secondary" and e.url == entry.url and e.start < entry.start
                    for e in values
                )
            )
            cited.add((entry.url, secondary))
    assert any(secondary for _, secondary in cited), "the law of 2027 rests on secondary sources"
    assert cited <= listed, cited - listed
    assert (PERSONS_URL, True) in listed and (BUDGET_URL, False) in listed
    assert (BUDGET_URL, True) not in listed
    marked = section.count("(sekundär källa)")
    assert marked == sum(secondary for _, secondary in listed)
    assert f"{marked} av {len(items)} är sekundära källor" in section


def test_print_stylesheet_fits_a4(folder):
    """The print rules are there (the PDF check, tests/test_report_pdf.py, measures them)."""
    page = (folder / "report.html").read_text()
    style = page[page.index("<style>") : page.index("</style>")]
    print_rules = style[style.index("@media print") :]
    assert "@page{size:A4;" in style
    for rule in (
        ".wide{overflow:visible}",
        "thead{display:table-header-group}",
        "tr,td,th{break-inside:avoid}",
        "figure img{max-width:100%",
        "h2{",
    ):
        assert rule in print_rules, rule


def test_bilingual_fields_are_used_when_the_yaml_has_them():
    """The report reads ``title``/``descriptions`` {sv, en} of a parameter, assumption or
    scenario where its file has them and falls back to ``description`` (one language)
    before."""
    import types

    from sim.outputs.report.law import _described, _titled

    old = types.SimpleNamespace(description="Personal cost of a child", path="x.y")
    new = types.SimpleNamespace(
        description="Personal cost of a child",
        descriptions={"sv": "Personlig kostnad för ett barn", "en": "Personal cost of a child"},
        title={"sv": "Barnets kostnad", "en": "The child's cost"},
        path="x.y",
    )
    assert _described(old, "sv") == "Personal cost of a child"
    assert _described(new, "sv") == "Personlig kostnad för ett barn"
    assert _described(new, "en") == "Personal cost of a child"
    assert _titled(new, "sv") == "Barnets kostnad" and _titled(new, "en") == "The child's cost"
    assert _titled(old, "sv") is None


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
    chart = (english / "charts" / "child_poverty.svg").read_text()
    assert "child poverty" in chart and "percentage points" in chart  # the finding, in English
    assert "barnfattigdom" not in chart.lower()
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
    import sim.outputs.report.files

    results = sim.run(["baseline", "bidragstak"])

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(sim.outputs.report.files, "render_all", broken)
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


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_law_table_and_source_list_cite_each_reference_in_the_reports_language(lang):
    """A current-law value whose reference is bilingual shows the text of the report's
    language in the law table and the source list, never the other one."""
    from sim.law.parameters import default_law
    from sim.outputs.report.law import law_section
    from sim.outputs.report.sources import Sources

    other = "en" if lang == "sv" else "sv"
    sources = Sources(lang)
    section = law_section({"year": 2026, "scenarios": [{"name": "baseline"}]}, lang, sources)
    table = [b for b in section["blocks"] if b.get("table") is not None][-1]["table"]
    cited = {str(row[5]) for row in table.rows}
    listed = {text for item in sources.listed() for text in item["texts"]}
    law = default_law()
    bilingual = [
        entry
        for parameter in law
        for entry in parameter.values
        if entry.start.year <= 2026 and entry.references["sv"] != entry.references["en"]
    ]
    in_force = [e for e in bilingual if e.reference_text(lang) in cited]
    assert len(in_force) >= 20
    for entry in in_force:
        assert entry.reference_text(lang) in listed
    assert not {e.reference_text(other) for e in bilingual} & (cited | listed)
    if lang == "sv":
        assert "Gällande rätt; reformen gäller från 2027-01-01 (prop. 2025/26:201)" in cited
        assert "SFB 2 kap. 10 a-c §§ (riktålder 67 år från 2026)" in cited
