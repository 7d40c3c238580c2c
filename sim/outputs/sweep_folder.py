"""The folder of a finished sweep (``sim sweep``, :mod:`sim.uncertainty.sweep`): the bands
(``results.parquet``/``.csv``), the effects against the baseline (``differences.*``), the
workbook for Excel, ``manifest.json`` with the tables' digests, and the report: the run's
report with the bands (:func:`sim.outputs.report.files.write_report_files`), or for a grid
sweep the fan charts of its grid (:func:`sim.outputs.charts.uncertainty.grid_fan`). Each
file is written under a temporary name and renamed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from sim import __version__
from sim.common.safe_write import write_file
from sim.outputs.charts.context import ChartContext
from sim.outputs.charts.style import save_chart
from sim.outputs.charts.uncertainty import grid_fan
from sim.outputs.formatting import format_number
from sim.outputs.provenance import results_digests
from sim.outputs.report.files import write_report_files
from sim.outputs.spreadsheets import EXCEL_CSV, context_of, write_excel_csv, write_workbook

if TYPE_CHECKING:
    from sim.calculator.household import HouseholdComparison


def write_sweep_folder(
    out: Path,
    table: pl.DataFrame,
    differences: pl.DataFrame,
    manifest: Mapping[str, Any],
    *,
    lang: str,
    report: bool,
    typfall: HouseholdComparison | None,
) -> None:
    """Write a finished sweep's tables, workbook, manifest and (with ``report``) report into
    ``out``. ``table`` is the summary with its bands, ``differences`` the effects within
    replications; ``manifest`` the sweep's record (its plan, ``year``, ``seed``,
    ``n_replications``, ``grid``, ``population_name``), to which the tables' SHA-256 are
    added (``results_sha256``, checked by ``sim report --from``). ``typfall`` is the typfall
    household's comparison the report's typfall chart draws
    (:func:`sim.calculator.typfall.typfall_comparison`); a grid sweep draws only its fans."""
    write_file(out / "results.parquet", lambda p: table.write_parquet(p))
    write_file(out / "results.csv", lambda p: table.write_csv(p, float_precision=6))
    write_file(out / "differences.parquet", lambda p: differences.write_parquet(p))
    write_file(out / "differences.csv", lambda p: differences.write_csv(p, float_precision=6))
    _write_spreadsheets(out, table, differences, manifest, lang=lang)
    manifest = {**manifest, "results_sha256": results_digests(out)}
    write_json(out / "manifest.json", manifest)
    if report:
        _write_report(out, table, differences, manifest, lang=lang, typfall=typfall)


def _write_spreadsheets(
    out: Path,
    table: pl.DataFrame,
    change: pl.DataFrame,
    manifest: Mapping[str, Any],
    *,
    lang: str,
) -> None:
    """``results.xlsx`` (summary with the bands, long table, definitions, the effects) and
    ``results_excel.csv`` in ``lang`` (:mod:`sim.outputs.spreadsheets`), dated 1 January of the
    simulated year so that a rerun gives the same bytes."""
    grid = manifest.get("grid")
    year = int(manifest["year"])
    context = context_of(
        year=year,
        population=manifest.get("population_name"),
        seed=manifest["seed"],
        version=__version__,
        n_replications=manifest["n_replications"],
        grid_path=grid["path"] if grid else None,
    )
    write_file(
        out / "results.xlsx",
        lambda p: write_workbook(
            p,
            table,
            created=dt.datetime(year, 1, 1),
            lang=lang,
            context=context,
            differences=change,
        ),
    )
    write_file(out / EXCEL_CSV, lambda p: write_excel_csv(p, table, lang=lang))


def built_population_name(n_households: int, lang: str) -> str:
    """The population of a sweep that builds one per replication, as the charts name it."""
    n = format_number(n_households, lang=lang)
    return (
        f"ny för varje replikering, {n} bostäder"
        if lang == "sv"
        else (f"new for each replication, {n} dwellings")
    )


def _write_report(
    out: Path,
    table: pl.DataFrame,
    change: pl.DataFrame,
    manifest: Mapping[str, Any],
    *,
    lang: str,
    typfall: HouseholdComparison | None,
) -> None:
    """The report of a finished sweep into ``out``: charts first, then the texts."""
    if not manifest.get("grid"):
        if typfall is None:
            raise ValueError("a sweep's report needs the typfall household's comparison")
        write_report_files(out, table, manifest, typfall=typfall, lang=lang, differences=change)
        return
    context = ChartContext.from_manifest(manifest)
    path = manifest["grid"]["path"]
    save_chart(grid_fan(table, path, lang=lang, context=context), out / "charts", "grid_fan")
    if change.height:  # a sweep of the baseline alone has no effects
        save_chart(
            grid_fan(change, path, lang=lang, context=context, effect=True),
            out / "charts",
            "grid_fan_effects",
        )


def write_json(path: Path, document: Mapping[str, Any]) -> None:
    """``document`` as indented UTF-8 JSON at ``path``, atomically (:func:`sim.common.safe_write.write_file`)."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    write_file(path, lambda p: p.write_text(text))
