"""The spreadsheets of the output folder, opened as a municipal officer's Excel opens them:
``results.xlsx`` with openpyxl and pandas, ``results_excel.csv`` byte by byte."""

from __future__ import annotations

import datetime as dt
import json
import math

import openpyxl
import pandas as pd
import polars as pl
import pytest
from committed_output import run_folder

from sim.catalogue import labels
from sim.outputs.report.headline import HEADLINE, PUBLIC_COST_CHANGE
from sim.outputs.spreadsheets import (
    EXCEL_CSV,
    context_of,
    read_excel_csv,
    sheet_names,
    write_excel_csv,
    write_workbook,
)

#: The summary sheet's title rows come first; its header is the fifth row.
HEADER_ROW = 5


@pytest.fixture(scope="module")
def folder():
    return run_folder()


@pytest.fixture(scope="module")
def table(folder):
    return pl.read_parquet(folder / "results.parquet")


@pytest.fixture(scope="module")
def book(folder):
    return openpyxl.load_workbook(folder / "results.xlsx")


def _rows(sheet):
    """The summary's rows below the header: metric label -> the row's cells."""
    return {
        row[0].value: row
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
        if row[0].value and row[1].value
    }


def test_sheet_names_and_title(book, folder):
    assert book.sheetnames == ["Sammanfattning", "Alla resultat", "Definitioner"]
    summary = book["Sammanfattning"]
    manifest = json.loads((folder / "manifest.json").read_text())
    title = summary["A1"].value
    assert str(manifest["year"]) in title and "resultat" in title
    subtitle = summary["A2"].value
    assert manifest["population_name"] in subtitle and manifest["version"] in subtitle
    assert f"frö {manifest['seed']}" in subtitle


def test_summary_header_is_swedish_with_one_column_per_run(book, table):
    summary = book["Sammanfattning"]
    header = [c.value for c in summary[HEADER_ROW]]
    runs = list(dict.fromkeys(table["scenario"].to_list()))
    assert header == ["Mått", "Enhet", *(labels.scenario(r, "sv") for r in runs)]
    assert "Nuvarande regler" in header and "Bidragstak (statisk)" in header
    assert not any(run in header for run in runs if labels.scenario(run, "sv") != run)


def test_summary_rows_are_the_headline_then_the_whole_population(book, table):
    summary = book["Sammanfattning"]
    labels_shown = [
        c.value for c in summary["A"][HEADER_ROW:] if c.value and summary.cell(c.row, 2).value
    ]
    headline = [labels.metric(m) for m in (*HEADLINE, PUBLIC_COST_CHANGE)]
    assert labels_shown[: len(headline)] == headline
    every_all = set(table.filter(pl.col("group") == "all")["metric"])
    assert {labels.metric(m) for m in every_all} <= set(labels_shown)


def test_summary_formats_and_units(book):
    rows = _rows(book["Sammanfattning"])
    money = rows[labels.metric("fs_paid_sek_year")]
    share = rows[labels.metric("child_poverty_rate")]
    count = rows[labels.metric("fs_households_year")]
    change = rows[labels.metric(PUBLIC_COST_CHANGE)]
    assert money[1].value == "mkr per år" and money[2].number_format == "#,##0"
    assert share[1].value == "andel" and share[2].number_format == "0.0 %"
    assert count[1].value == "hushåll" and count[2].number_format == "#,##0"
    assert change[3].number_format.startswith("+#,##0;")


def test_summary_values_equal_the_results_table(book, table):
    summary = book["Sammanfattning"]
    header = [c.value for c in summary[HEADER_ROW]]
    rows = _rows(summary)
    runs = list(dict.fromkeys(table["scenario"].to_list()))
    values = {
        (r["scenario"], r["metric"]): r["value"]
        for r in table.filter(pl.col("group") == "all").iter_rows(named=True)
    }
    checked = 0
    for (run, metric), value in values.items():
        cell = rows[labels.metric(metric)][header.index(labels.scenario(run, "sv"))]
        expected = value / 1e6 if labels.metric_unit(metric) == "SEK/year" else value
        if value is None or math.isnan(value):
            assert cell.value is None
        else:
            assert cell.value == pytest.approx(expected, rel=1e-12, abs=1e-12), (run, metric)
            checked += 1
    assert checked > 100
    base = values["baseline", "public_cost_sek_year"]
    change = rows[labels.metric(PUBLIC_COST_CHANGE)]
    for run in runs:
        expected = (values[run, "public_cost_sek_year"] - base) / 1e6
        assert change[header.index(labels.scenario(run, "sv"))].value == pytest.approx(expected)


def test_frozen_panes(book):
    assert book["Sammanfattning"].freeze_panes == f"B{HEADER_ROW + 1}"
    assert book["Alla resultat"].freeze_panes == "A2"
    assert book["Definitioner"].freeze_panes == "A2"


def test_column_widths_fit_the_labels(book):
    summary = book["Sammanfattning"]
    longest = max(len(c.value) for c in summary["A"][HEADER_ROW:] if c.value)
    assert summary.column_dimensions["A"].width >= min(longest, 60)
    for letter in "CDE":
        assert summary.column_dimensions[letter].width >= 12


def test_long_sheet_has_swedish_headers_and_formats_by_unit(book, table):
    sheet = book["Alla resultat"]
    header = [c.value for c in sheet[1]]
    assert header == [
        "Scenario",
        "Mått",
        "Grupp",
        "Enhet",
        "Värde",
        "Lägre",
        "Övre",
        "scenario (kod)",
        "mått (kod)",
        "grupp (kod)",
    ]
    assert sheet.max_row == table.height + 1
    formats = {}
    for row in sheet.iter_rows(min_row=2, values_only=False):
        formats.setdefault(row[8].value, row[4].number_format)
    assert formats["fs_paid_sek_year"] == "#,##0"
    assert formats["child_poverty_rate"] == "0.0 %"
    assert formats["fs_households_year"] == "#,##0"
    assert "#,##0.000000" not in set(formats.values())
    assert sheet.auto_filter.ref == f"A1:J{table.height + 1}"


def test_pandas_reads_the_workbook(folder, table):
    frame = pd.read_excel(folder / "results.xlsx", sheet_name="Alla resultat")
    assert frame.shape == (table.height, 10)
    assert frame["Värde"].astype(float).sum() == pytest.approx(
        table["value"].fill_nan(None).sum(), rel=1e-9
    )
    assert list(pd.read_excel(folder / "results.xlsx", sheet_name=None)) == list(sheet_names("sv"))


def test_definitions_sheet(book):
    sheet = book["Definitioner"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("mått (kod)", "Enhet", "Benämning på svenska", "Benämning på engelska")
    by_key = {r[0]: r for r in rows[1:]}
    assert by_key["fs_paid_sek_year"] == (
        "fs_paid_sek_year",
        "kr per år",
        labels.metric("fs_paid_sek_year", "sv"),
        labels.metric("fs_paid_sek_year", "en"),
    )
    assert set(by_key) == set(labels.metric_keys())


def test_excel_csv_opens_in_swedish_excel(folder, table):
    raw = (folder / EXCEL_CSV).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark
    text = raw[3:].decode("utf-8")
    lines = text.splitlines()
    assert lines[0].split(";") == [
        "Scenario",
        "Mått",
        "Grupp",
        "Enhet",
        "Värde",
        "Lägre",
        "Övre",
        "scenario (kod)",
        "mått (kod)",
        "grupp (kod)",
    ]
    assert len(lines) == table.height + 1
    first = lines[1].split(";")
    assert first[0] == "Nuvarande regler" and first[3] == "kr per år"
    assert "," in first[4] and "." not in first[4]  # decimal comma, no thousands mark
    assert "Försörjningsstöd" in text or "försörjningsstöd" in text
    back = read_excel_csv(folder / EXCEL_CSV)
    assert back["mått (kod)"].to_list() == table["metric"].to_list()
    expected = table["value"].fill_nan(None).to_list()
    for got, want in zip(back["Värde"].to_list(), expected, strict=True):
        assert (got is None and want is None) or got == pytest.approx(want, abs=1e-6)


def test_excel_csv_round_trips_swedish_letters(tmp_path):
    table = pl.DataFrame(
        {
            "scenario": ["baseline"],
            "metric": ["fs_paid_sek_year"],
            "group": ["hushållstyp:ensamstående kvinna med barn"],
            "value": [1234567.5],
            "low": [None],
            "high": [None],
        },
        schema_overrides={"low": pl.Float64, "high": pl.Float64},
    )
    path = tmp_path / EXCEL_CSV
    write_excel_csv(path, table)
    text = path.read_bytes()[3:].decode("utf-8")
    assert "Hushållstyp: ensamstående kvinna med barn" in text
    assert "Utbetalt försörjningsstöd;" in text
    assert ";1234567,500000;;;" in text
    assert read_excel_csv(path)["grupp (kod)"][0] == "hushållstyp:ensamstående kvinna med barn"


def test_english_workbook(tmp_path, table):
    path = tmp_path / "results.xlsx"
    context = context_of(year=2027, population="population-2024", seed=1, version="x")
    write_workbook(path, table, created=dt.datetime(2027, 1, 1), lang="en", context=context)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "All results", "Definitions"]
    header = [c.value for c in book["Summary"][HEADER_ROW]]
    assert header[:3] == ["Measure", "Unit", labels.scenario("baseline", "en")]
    assert _rows(book["Summary"])[labels.metric("fs_paid_sek_year", "en")][1].value == (
        "SEK m a year"
    )
    assert [c.value for c in book["All results"][1]][:5] == [
        "Scenario",
        "Measure",
        "Group",
        "Unit",
        "Value",
    ]
    again = tmp_path / "again.xlsx"
    write_workbook(again, table, created=dt.datetime(2027, 1, 1), lang="en", context=context)
    assert again.read_bytes() == path.read_bytes()


def test_a_table_with_bands_gets_lower_and_upper_columns(tmp_path):
    table = pl.DataFrame(
        {
            "scenario": ["baseline", "bidragstak", "baseline", "bidragstak"],
            "metric": ["poverty_rate", "poverty_rate", "fs_paid_sek_year", "fs_paid_sek_year"],
            "group": ["all"] * 4,
            "value": [0.14, 0.15, 11.9e9, 10.6e9],
            "low": [0.13, 0.14, 11.5e9, 10.1e9],
            "high": [0.15, 0.16, 12.3e9, 11.0e9],
        }
    )
    path = tmp_path / "results.xlsx"
    write_workbook(path, table, created=dt.datetime(2027, 1, 1), context={"year": 2027})
    summary = openpyxl.load_workbook(path)["Sammanfattning"]
    header = [c.value for c in summary[HEADER_ROW]]
    assert header == [
        "Mått",
        "Enhet",
        "Nuvarande regler",
        "Nuvarande regler: lägre",
        "Nuvarande regler: övre",
        "Bidragstak",
        "Bidragstak: lägre",
        "Bidragstak: övre",
    ]
    poverty = _rows(summary)[labels.metric("poverty_rate")]
    assert [c.value for c in poverty[2:]] == [0.14, 0.13, 0.15, 0.15, 0.14, 0.16]
    assert all(c.number_format == "0.0 %" for c in poverty[2:])
    money = _rows(summary)[labels.metric("fs_paid_sek_year")]
    assert [c.value for c in money[2:5]] == pytest.approx([11900, 11500, 12300])


def test_the_manifest_hashes_the_spreadsheets(folder):
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {"results.xlsx", EXCEL_CSV} <= set(manifest["results_sha256"])
