"""The output folder of ``sim run``: the result tables, the workbook, the manifest, the
population's record, the report and its charts (every file is described in docs/outputs.md).

:func:`write_results` writes it from a :class:`sim.runs.RunResult`, atomically (the output
contract of :mod:`sim.common.safe_write`).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from sim import __version__
from sim.common.errors import SimInputError
from sim.common.progress import Step
from sim.common.safe_write import output_folder, pause_point
from sim.outputs.provenance import (
    assumptions_digest,
    file_sha256,
    git_revision,
    results_digests,
    run_date,
)
from sim.outputs.report.files import POPULATION_FILE, write_report_files
from sim.outputs.spreadsheets import EXCEL_CSV, context_of, write_excel_csv, write_workbook
from sim.scenarios.scenario import scenarios_dir

if TYPE_CHECKING:
    from sim.calculator.household import HouseholdComparison
    from sim.runs import RunResult


def write_results(
    result: RunResult,
    out: str | Path,
    *,
    typfall: HouseholdComparison,
    force: bool = False,
    population_path: Path | None = None,
    command: Sequence[str] | None = None,
    lang: str = "sv",
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the output folder ``out`` (every file is described in docs/outputs.md).

    ``results.parquet``, ``results.csv`` (the tidy table of :func:`sim.metrics.results.results_table`),
    ``results.xlsx`` and ``results_excel.csv`` (the same for Excel, in ``lang``: a summary
    sheet, the long table and the definitions; :mod:`sim.outputs.spreadsheets`),
    ``manifest.json``, ``population.json`` (the population's manifest, summary and
    calibration report), ``summary.md``, ``report.html`` and ``charts/*.png|svg``. ``typfall``
    is the typfall household's comparison in the run's year that the typfall chart draws
    (:func:`sim.calculator.typfall.typfall_comparison`, computed by the caller).

    The folder is written under the output contract of :mod:`sim.common.safe_write` (checked
    before any work, one writer, written beside and swapped in whole): a failure leaves
    nothing behind, and an existing ``out`` is replaced only with ``force``. ``out`` may not
    overlap the population folder, the profile or a scenario file given as a path.
    ``manifest.json`` records the SHA-256 of the result tables (``results_sha256``), which
    ``sim report --from`` checks.

    ``progress`` (optional) is called at each stage: the table, the files, the charts, the
    report (:class:`sim.common.progress.Step` ``table``, ``files``, ``charts``, ``report``).
    """
    out = Path(out)
    if lang not in ("sv", "en"):
        raise SimInputError(f"unknown language {lang!r}; use sv or en")
    inputs = [population_path, *output_inputs(result)]
    with output_folder(out, force=force, inputs=inputs) as writer:
        tmp = writer.tmp
        if progress is not None:
            progress(Step("table"))
        table = result.table()
        if progress is not None:
            progress(Step("files"))
        table.write_parquet(tmp / "results.parquet")
        pause_point("writing")
        table.write_csv(tmp / "results.csv", float_precision=6)
        population = population_record(population_path)
        _write_spreadsheets(
            table,
            tmp,
            created=result_date(result),
            lang=lang,
            context=context_of(
                year=result.year,
                population=_population_name(population_path, result),
                seed=result.seed,
                version=__version__,
            ),
        )
        population_manifest = (population or {}).get("manifest", {})
        manifest = {
            "version": __version__,
            "git_revision": git_revision(),
            "year": result.year,
            "seed": result.seed,
            "scenarios": [
                {
                    "name": s.name,
                    "file": Path(s.source_file).name,
                    "assumption_set": s.assumption_set,
                }
                for s in result.scenarios
            ],
            "runs": [run.label for run in result.runs],
            "assumption_sets": {s.name: s.assumption_set for s in result.scenarios},
            "assumption_overrides": {s.name: dict(s.assumption_values) for s in result.scenarios},
            "assumptions_digest": assumptions_digest(),
            "law_digest": {s.name: s.law(result.year).digest() for s in result.scenarios},
            "population": str(population_path) if population_path else None,
            "population_name": population_path.name if population_path else None,
            "population_year": population_manifest.get("year"),
            "population_seed": population_manifest.get("seed"),
            "population_manifest_sha256": file_sha256(population_path / "manifest.json")
            if population_path
            else None,
            "population_files_sha256": population_manifest.get("files"),
            "kommun_profile": result.profile.record() if result.profile else None,
            "kommun_check": result.kommun_check,
            "command": list(command) if command is not None else sys.argv,
            "lang": lang,
            "created": run_date().isoformat(),
            "results_sha256": results_digests(tmp),
        }
        (tmp / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        )
        if population is not None:
            (tmp / POPULATION_FILE).write_text(
                json.dumps(population, indent=2, ensure_ascii=False) + "\n"
            )
        if result.profile is not None and result.profile.source_file:
            shutil.copyfile(result.profile.source_file, tmp / "kommun_profile.yaml")
        write_report_files(
            tmp,
            table,
            manifest,
            typfall=typfall,
            lang=lang,
            population=population,
            progress=progress,
        )
    return out


def output_inputs(result: RunResult) -> list[Path]:
    """The files a run read that an output folder must not overlap: scenario files given
    by path (not the packaged ones) and the municipality's profile."""
    packaged = scenarios_dir()
    paths = [
        Path(s.source_file)
        for s in result.scenarios
        if s.source_file and packaged not in Path(s.source_file).resolve().parents
    ]
    if result.profile is not None and result.profile.source_file:
        paths.append(Path(result.profile.source_file))
    return paths


def result_date(result: RunResult) -> dt.datetime:
    """The date written into the workbook's properties: 1 January of the simulated year.

    Derived from the inputs, not the clock, so that two identical runs give identical bytes
    (the run's calendar date is only in ``manifest.json``, ``created``)."""
    return dt.datetime(result.year, 1, 1)


def _write_spreadsheets(
    table: pl.DataFrame,
    folder: Path,
    *,
    created: dt.datetime,
    lang: str,
    context: Mapping[str, object],
    differences: pl.DataFrame | None = None,
) -> None:
    """``results.xlsx`` (summary, long table, definitions; :mod:`sim.outputs.spreadsheets`) and
    ``results_excel.csv`` (for Swedish Excel) in ``lang``; the workbook's creation date is
    ``created`` (xlsxwriter would write the clock's)."""
    write_workbook(
        folder / "results.xlsx",
        table,
        created=created,
        lang=lang,
        context=context,
        differences=differences,
    )
    write_excel_csv(folder / EXCEL_CSV, table, lang=lang)


def _population_name(population_path: Path | None, result: RunResult) -> str | None:
    """The population as the workbook's title names it: its folder, and the kommun."""
    name = population_path.name if population_path is not None else None
    if result.profile is not None:
        kommun = result.profile.namn
        if kommun:
            return f"{name}, {kommun}" if name else str(kommun)
    return name


def population_record(population_path: Path | None) -> dict[str, Any] | None:
    """The population's manifest, summary and calibration report (for ``population.json``)."""
    if population_path is None:
        return None
    record: dict[str, Any] = {"path": str(population_path)}
    for key, name in (
        ("manifest", "manifest.json"),
        ("summary", "summary.json"),
        ("calibration", "calibration_report.json"),
    ):
        path = Path(population_path) / name
        if path.is_file():
            record[key] = json.loads(path.read_text())
    return record
