"""The report's files in an output folder: :func:`write_report_files` writes ``charts/``,
``summary.md`` and ``report.html``; :func:`rebuild_report` does it again for an existing output
folder (``sim report``) from ``results.parquet`` and ``manifest.json`` alone, without
recomputation, once its result tables are checked against the manifest's digests."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from sim.catalogue.labels import text as _t
from sim.common.errors import SimInputError
from sim.common.progress import Step
from sim.common.safe_write import output_folder
from sim.metrics.results import SCHEMA
from sim.outputs.charts.context import ChartContext
from sim.outputs.charts.rendering import render_all, render_bands
from sim.outputs.provenance import check_results_digest
from sim.outputs.report.html import report_html
from sim.outputs.report.summary import summary_markdown

if TYPE_CHECKING:
    from sim.calculator.household import HouseholdComparison

#: Files of the output folder written by the report (``sim report`` replaces these).
REPORT_FILES = ("summary.md", "report.html", "charts")


#: The report printed to PDF (``python -m sim.outputs.report.pdf``): made from ``report.html``, so
#: ``sim report`` removes a stale one.
PDF_FILE = "report.pdf"
#: The population's calibration, copied into the output folder at run time.
POPULATION_FILE = "population.json"
#: A sweep's effects against the baseline, taken within replications (sim.uncertainty).
DIFFERENCES_FILE = "differences.parquet"


def write_report_files(
    folder: str | Path,
    table: pl.DataFrame,
    manifest: Mapping[str, Any],
    *,
    typfall: HouseholdComparison,
    lang: str = "sv",
    population: Mapping[str, Any] | None = None,
    differences: pl.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Write ``charts/``, ``summary.md`` and ``report.html`` into ``folder``.

    ``typfall`` is the typfall household's comparison in the run's year, which the typfall
    chart draws (computed by the caller: :func:`sim.calculator.typfall.typfall_comparison`).
    A sweep passes its ``differences`` (effects within replications); with bands the
    whisker charts (:func:`sim.outputs.charts.rendering.render_bands`) are drawn as well. ``progress``
    (optional) is called before the charts and before the report."""
    if progress is not None:
        progress(Step("charts"))

    _t(lang, "", "")
    folder = Path(folder)
    context = ChartContext.from_manifest(manifest, typfall=typfall)
    charts = render_all(
        table, folder / "charts", lang=lang, context=context, differences=differences
    )
    charts.update(render_bands(table, differences, folder / "charts", lang=lang, context=context))
    if progress is not None:
        progress(Step("report"))
    (folder / "summary.md").write_text(summary_markdown(table, manifest, lang, differences))
    # The charts are embedded as SVG: vector graphics print sharp and keep the report small
    # (about a tenth of the 1920 × 1080 PNGs, which stay in charts/ for slides).
    svgs = {name: svg for name, (_png, svg) in charts.items()}
    files = {
        p.name: p.stat().st_size
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name not in ("report.html", "manifest.json", PDF_FILE)
    }
    (folder / "report.html").write_text(
        report_html(
            table,
            manifest,
            svgs,
            lang=lang,
            population=population,
            differences=differences,
            files=files,
        )
    )


def read_output_folder(folder: str | Path) -> tuple[pl.DataFrame, dict[str, Any]]:
    """``results.parquet`` and ``manifest.json`` of an output folder, or one clear error."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SimInputError(f"{folder}: no such output folder")
    missing = [n for n in ("results.parquet", "manifest.json") if not (folder / n).is_file()]
    if missing:
        raise SimInputError(
            f"{folder}: not an output folder of `sim run` (missing {', '.join(missing)})"
        )
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        if not isinstance(manifest, dict) or not isinstance(manifest.get("year"), int):
            raise ValueError("no year")
        scenarios = manifest.get("scenarios", [])
        if not isinstance(scenarios, list) or not all(
            isinstance(s, dict) and isinstance(s.get("name"), str) for s in scenarios
        ):
            raise ValueError("'scenarios' must be a list of {name, ...}")
    except ValueError as error:
        raise SimInputError(f"{folder / 'manifest.json'}: unreadable manifest ({error})") from None
    check_results_digest(folder, manifest)
    try:
        table = pl.read_parquet(folder / "results.parquet")
    except Exception as error:  # a damaged parquet file
        raise SimInputError(
            f"{folder / 'results.parquet'}: cannot read ({type(error).__name__})"
        ) from None
    if table.columns != list(SCHEMA):
        raise SimInputError(
            f"{folder / 'results.parquet'}: columns {table.columns} are not {list(SCHEMA)}"
        )
    return table, manifest


def read_differences(folder: str | Path) -> pl.DataFrame | None:
    """A sweep's ``differences.parquet`` (effects within replications), if the folder has one."""
    path = Path(folder) / DIFFERENCES_FILE
    if not path.is_file():
        return None
    try:
        table = pl.read_parquet(path)
    except Exception as error:  # a damaged parquet file
        raise SimInputError(f"{path}: cannot read ({type(error).__name__})") from None
    if table.columns != list(SCHEMA):
        raise SimInputError(f"{path}: columns {table.columns} are not {list(SCHEMA)}")
    return table


def rebuild_report(
    folder: str | Path,
    *,
    typfall_for: Callable[[int], HouseholdComparison],
    lang: str = "sv",
    force: bool = False,
) -> Path:
    """Rebuild ``summary.md``, ``report.html`` and ``charts/`` of an output folder from its
    ``results.parquet`` and ``manifest.json`` (no recomputation; only the typfall chart's
    household is computed again, by ``typfall_for(year)``, the caller's
    :func:`sim.calculator.typfall.typfall_comparison`). Existing report files are replaced only with
    ``force``. The results are checked first against the digests in the manifest
    (:func:`check_results_digest`); the folder is then rebuilt beside and swapped in whole
    under the output contract of :mod:`sim.common.safe_write`."""
    _t(lang, "", "")
    folder = Path(folder)
    table, manifest = read_output_folder(folder)
    existing = [n for n in REPORT_FILES if (folder / n).exists()]
    if existing and not force:
        raise SimInputError(
            f"{folder} already has {', '.join(existing)}; use --force to rebuild them"
        )
    population = None
    if (folder / POPULATION_FILE).is_file():
        population = json.loads((folder / POPULATION_FILE).read_text())
    differences = read_differences(folder)
    typfall = typfall_for(int(manifest["year"]))
    # The whole folder is rebuilt beside (hard links to the unchanged files) and swapped in:
    # a kill leaves the old folder or the new one, never a mix of old and new charts.
    with output_folder(folder, force=True, what="--from", seed_from=folder) as writer:
        for name in (*REPORT_FILES, PDF_FILE):
            stale = writer.tmp / name
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink(missing_ok=True)
        write_report_files(
            writer.tmp,
            table,
            manifest,
            typfall=typfall,
            lang=lang,
            population=population,
            differences=differences,
        )
    return folder
