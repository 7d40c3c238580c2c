"""Run scenarios on one population and collect the results as one tidy table.

:func:`run_scenarios` always runs the baseline first, then each scenario with its own
assumption set and, for behavioural sets, also statically (set ``none``, labelled
``<name>/statisk``), all with the same seed. :func:`results_table` turns the runs into
rows ``scenario, metric, group, value``. :func:`write_results` writes the output folder
atomically.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from sim import __version__
from sim.common.errors import SimInputError
from sim.common.progress import Step
from sim.common.safe_write import output_folder, pause_point
from sim.law.projection import LAST_YEAR
from sim.metrics.government_comparison import PART_SCENARIOS, comparison_rows, has_bidragstak
from sim.metrics.results import results_table
from sim.outputs.spreadsheets import context_of
from sim.population.projection import project_population
from sim.population.tables import Population
from sim.scenarios.scenario import Scenario, load_scenario
from sim.simulation.year import ScenarioYear, norm_topups, run_years

if TYPE_CHECKING:
    from sim.municipal.profile import KommunProfile

#: The committed example population (data/synthetic/), the default of ``sim run``.
DEFAULT_POPULATION = (
    Path(__file__).resolve().parent.parent / "data" / "synthetic" / "population-2024"
)

#: The headline metrics every scenario has in group ``all`` (issue 4's minimum), with units.
METRICS = {
    "fs_paid_sek_year": "SEK/year",
    "fs_households_year": "households",
    "fs_children_year": "persons",
    "households_with_lower_fs": "households",
    "households_fourth_child_rule": "households",
    "persons_covered_aktivitetskrav": "persons",
    "persons_sanctioned": "persons",
    "jobbpremie_paid_sek_year": "SEK/year",
    "poverty_rate": "share",
    "child_poverty_rate": "share",
}


@dataclasses.dataclass(frozen=True)
class RunResult:
    """All runs of one ``sim run``: the baseline first."""

    year: int
    seed: int
    runs: tuple[ScenarioYear, ...]
    scenarios: tuple[Scenario, ...]
    profile: KommunProfile | None = None
    #: The bidragstak's parts run alone and statically (sim.metrics.government_comparison), and
    #: the label of the reform's static run they are compared under; empty without it.
    part_runs: tuple[ScenarioYear, ...] = ()
    bidragstak_label: str | None = None
    #: For a kommun's run: what the re-weighted population reproduces (inhabitants, mean
    #: monthly caseload of the data year) and the sampled recipient households behind it.
    kommun_check: dict[str, float] | None = None

    def table(self) -> pl.DataFrame:
        """Every metric of every run (:func:`sim.metrics.results.results_table`), computed once,
        with the comparison with the government's figures under the bidragstak's static run."""
        return self._table

    @functools.cached_property
    def _table(self) -> pl.DataFrame:
        table = results_table(self.runs, profile=self.profile)
        if not self.part_runs:
            return table
        whole = next(run for run in self.runs if run.label == self.bidragstak_label)
        rows = [
            {
                "scenario": self.bidragstak_label,
                "metric": metric,
                "group": group,
                "value": float(value),
                "low": None,
                "high": None,
            }
            for metric, group, value in comparison_rows(
                self.runs[0], whole, self.part_runs, self.year
            )
        ]
        return pl.concat([table, pl.DataFrame(rows, schema=table.schema)])


def read_population(path: str | Path | None) -> tuple[Population, int]:
    """The population at ``path`` (default: the committed one) and its recorded seed.

    Verified first (:mod:`sim.population.verify`): every file against the SHA-256 in its
    manifest, each table's columns and types, and the weights (no NaN, none negative)."""
    from sim.population.verify import verify_files, verify_schema, verify_weights

    folder = Path(path) if path is not None else DEFAULT_POPULATION
    manifest_path = folder / "manifest.json"
    if not folder.is_dir() and list(folder.parent.glob(f".{folder.name}.old-*")):
        raise SimInputError(
            f"{folder}: missing; a run died while replacing it (its old copy is beside it); "
            "any `sim population --out` to it puts the old folder back first"
        )
    if not folder.is_dir() or not manifest_path.is_file():
        raise SimInputError(
            f"{folder}: not a population folder (no manifest.json); make one with `sim population`"
        )
    try:
        manifest = json.loads(manifest_path.read_text())
        seed = int(manifest["seed"])
    except (ValueError, KeyError, TypeError):
        raise SimInputError(f"{manifest_path}: unreadable manifest (no seed)") from None
    verify_files(folder, manifest)
    verify_schema(folder)
    try:
        population = Population.read(folder)
    except SimInputError:
        raise
    except Exception as error:  # a damaged parquet file, a missing column
        raise SimInputError(
            f"{folder}: cannot read the population ({type(error).__name__}: {error})"
        ) from None
    verify_weights(
        folder,
        {
            name: getattr(population, name)["weight"].to_numpy()
            for name in ("dwellings", "households", "persons")
        },
    )
    return population, seed


def run_scenarios(
    names: Sequence[str | Path | Scenario],
    *,
    year: int,
    population: Population,
    seed: int,
    assumption_values: Mapping[str, float] | None = None,
    profile: KommunProfile | None = None,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """Run the baseline and ``names`` for ``year`` on ``population`` with ``seed``.

    ``assumption_values`` (path -> value) are applied to every scenario, the baseline
    included, under each scenario's own overrides (a replication's draws, a sweep's grid).
    ``profile``: a municipality's profile; the population is re-weighted to it first and
    its own costs become assumption values (under any given ``assumption_values``).
    """
    from sim.common.validate import check_integer, check_seed

    check_integer("year", year, low=1900, high=2100)
    check_seed(seed)
    if isinstance(names, str | Path) or not all(
        isinstance(n, str | Path | Scenario) for n in names
    ):
        raise SimInputError(f"scenarios must be a list of names or files, not {names!r}")
    if not isinstance(population, Population):
        raise SimInputError(f"population must be a Population, not {type(population).__name__}")
    check_year(population, year)
    kommun_check = None
    if profile is not None:
        from sim.municipal.profile import reweight_to_profile

        population = reweight_to_profile(population, profile)
        kommun_check = _kommun_check(population, profile)
        full_time = (assumption_values or {}).get(
            "aktivitetskrav.full_time_hours_week",
            load_scenario("baseline").assumptions().aktivitetskrav.full_time_hours_week,
        )
        assumption_values = {**profile.assumption_values(full_time), **(assumption_values or {})}
    scenarios = [load_scenario("baseline")]
    for name in names:
        # A name, a file, or a Scenario already built (a sim.Reform's).
        scenario = name if isinstance(name, Scenario) else load_scenario(name)
        if scenario.name not in {s.name for s in scenarios}:
            scenarios.append(scenario)
    if assumption_values:
        scenarios = [
            dataclasses.replace(s, assumption_values={**assumption_values, **s.assumption_values})
            for s in scenarios
        ]
    if progress is not None:
        progress(Step("prepare", year=year))
    # Project once for all runs (run_years returns a population already in its year as is),
    # with the baseline's assumptions: every run then starts from the same population.
    population = project_population(population, year, scenarios[0].assumptions())
    topups = norm_topups(population, scenarios[0].assumptions(), year=year, seed=seed)
    # Every scenario at its own assumption set and, when that is behavioural, statically.
    jobs = [
        (scenario, assumption_set)
        for scenario in scenarios
        for assumption_set in [scenario.assumption_set]
        + (["none"] if scenario.assumption_set != "none" else [])
    ]
    # The bidragstak's parts alone, statically, for the comparison with the government's
    # budget line (sim.metrics.government_comparison), once, beside the first scenario that has it.
    reform = next((s for s in scenarios[1:] if has_bidragstak(s, year)), None)
    n_main = len(jobs)
    if reform is not None:
        for name in PART_SCENARIOS:
            # The reform's assumption values (the run's given ones are already in them).
            part = load_scenario(name)
            values = {**part.assumption_values, **reform.assumption_values}
            jobs.append((dataclasses.replace(part, assumption_values=values), "none"))
    years = run_years(
        population,
        [scenario for scenario, _ in jobs],
        year=year,
        seed=seed,
        assumption_sets=[assumption_set for _, assumption_set in jobs],
        topups=topups,
        progress=progress,
    )
    runs = [
        dataclasses.replace(
            run,
            static_beside_behaviour=assumption_set == "none" and scenario.assumption_set != "none",
        )
        for (scenario, assumption_set), run in zip(jobs, years, strict=True)
    ]
    return RunResult(
        year=year,
        seed=seed,
        runs=tuple(runs[:n_main]),
        scenarios=tuple(scenarios),
        profile=profile,
        part_runs=tuple(runs[n_main:]),
        bidragstak_label=None if reform is None else _static_label(reform),
        kommun_check=kommun_check,
    )


def check_year(population: Population, year: int) -> None:
    """Refuse a ``year`` the population cannot run: before its data year or after the last
    projected year (:data:`sim.law.projection.LAST_YEAR`)."""
    if not population.year <= year <= LAST_YEAR:
        raise SimInputError(
            f"year {year} is outside {population.year}-{LAST_YEAR} "
            f"(the population's data year to the last projected year)"
        )


def _static_label(scenario: Scenario) -> str:
    """The label of ``scenario``'s static run (:attr:`ScenarioYear.label`)."""
    return scenario.name if scenario.assumption_set == "none" else f"{scenario.name}/statisk"


def _kommun_check(population: Population, profile: KommunProfile) -> dict[str, float]:
    """The re-weighted population's inhabitants and mean monthly caseload (data year), and
    for a kommun of the official list the sampled recipient households behind its run."""
    from sim.municipal.profile import profile_margins

    weights = population.dwellings["weight"].to_numpy()
    columns = profile_margins(population)
    check = {
        "invanare": float(weights @ columns["invanare"]),
        "manadshushall": float(weights @ columns["manadshushall"]),
    }
    if profile.kommunkod is not None:
        from sim.municipal.official import MIN_SAMPLED_RECIPIENTS, sampled_recipients

        in_group, in_kommun = sampled_recipients(population, profile)
        check["sampled_recipients_group"] = in_group
        check["sampled_recipients_kommun"] = in_kommun
        check["min_sampled_recipients"] = MIN_SAMPLED_RECIPIENTS
        check["low_precision"] = in_group < MIN_SAMPLED_RECIPIENTS
    return check


def write_results(
    result: RunResult,
    out: str | Path,
    *,
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
    calibration report), ``summary.md``, ``report.html`` and ``charts/*.png|svg``.

    The folder is written under the output contract of :mod:`sim.common.safe_write` (checked
    before any work, one writer, written beside and swapped in whole): a failure leaves
    nothing behind, and an existing ``out`` is replaced only with ``force``. ``out`` may not
    overlap the population folder, the profile or a scenario file given as a path.
    ``manifest.json`` records the SHA-256 of the result tables (``results_sha256``), which
    ``sim report --from`` checks.

    ``progress`` (optional) is called at each stage: the table, the files, the charts, the
    report (:class:`sim.common.progress.Step` ``table``, ``files``, ``charts``, ``report``).
    """
    from sim.outputs.report import (
        POPULATION_FILE,
        assumptions_digest,
        population_record,
        write_report_files,
    )

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
            "population_manifest_sha256": _sha256(population_path / "manifest.json")
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
            tmp, table, manifest, lang=lang, population=population, progress=progress
        )
    return out


#: The tables of an output folder whose SHA-256 the manifest records (``results_sha256``).
RESULT_FILES = (
    "results.parquet",
    "results.csv",
    "results.xlsx",
    "results_excel.csv",
    "differences.parquet",
    "differences.csv",
)


def results_digests(folder: Path) -> dict[str, str]:
    """SHA-256 of each result table present in ``folder`` (for the manifest)."""
    return {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
        for name in RESULT_FILES
        if (folder / name).is_file()
    }


def output_inputs(result: RunResult) -> list[Path]:
    """The files a run read that an output folder must not overlap: scenario files given
    by path (not the packaged ones) and the municipality's profile."""
    packaged = Path(__file__).resolve().parent.parent / "scenarios"
    paths = [
        Path(s.source_file)
        for s in result.scenarios
        if s.source_file and packaged not in Path(s.source_file).resolve().parents
    ]
    if result.profile is not None and result.profile.source_file:
        paths.append(Path(result.profile.source_file))
    return paths


def run_date() -> dt.date:
    """The date of the run for ``manifest.json`` (the one value that varies between two
    identical runs): today, or the date of ``SOURCE_DATE_EPOCH`` when set (the
    reproducible-builds convention) so that a rerun can reproduce even the manifest."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise SimInputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time") from None
    return dt.date.today()


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
    from sim.outputs.spreadsheets import EXCEL_CSV, write_excel_csv, write_workbook

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


def _sha256(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def git_revision() -> str | None:
    """The checked-out commit of the code, or None outside a git checkout."""
    import subprocess

    try:
        run = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if run.returncode != 0:
        return None
    return run.stdout.strip() or None
