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
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from sim import __version__
from sim.errors import SimInputError
from sim.population.generate import Population
from sim.projection import LAST_YEAR, project_population
from sim.results import results_table
from sim.scenarios import Scenario, load_scenario
from sim.simulate import ScenarioYear, norm_topups, run_years

if TYPE_CHECKING:
    from sim.kommun_profile import KommunProfile

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
    #: For a kommun's run: what the re-weighted population reproduces (inhabitants, mean
    #: monthly caseload of the data year) and the sampled recipient households behind it.
    kommun_check: dict[str, float] | None = None

    def table(self) -> pl.DataFrame:
        """Every metric of every run (:func:`sim.results.results_table`), computed once."""
        return self._table

    @functools.cached_property
    def _table(self) -> pl.DataFrame:
        return results_table(self.runs, profile=self.profile)


def read_population(path: str | Path | None) -> tuple[Population, int]:
    """The population at ``path`` (default: the committed one) and its recorded seed."""
    folder = Path(path) if path is not None else DEFAULT_POPULATION
    manifest_path = folder / "manifest.json"
    if not folder.is_dir() or not manifest_path.is_file():
        raise SimInputError(
            f"{folder}: not a population folder (no manifest.json); make one with `sim population`"
        )
    try:
        manifest = json.loads(manifest_path.read_text())
        seed = int(manifest["seed"])
    except (ValueError, KeyError, TypeError):
        raise SimInputError(f"{manifest_path}: unreadable manifest (no seed)") from None
    try:
        population = Population.read(folder)
    except SimInputError:
        raise
    except Exception as error:  # a damaged parquet file, a missing column
        raise SimInputError(
            f"{folder}: cannot read the population ({type(error).__name__}: {error})"
        ) from None
    return population, seed


def run_scenarios(
    names: Sequence[str | Path],
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
    if not population.year <= year <= LAST_YEAR:
        raise SimInputError(
            f"year {year} is outside {population.year}-{LAST_YEAR} "
            f"(the population's data year to the last projected year)"
        )
    kommun_check = None
    if profile is not None:
        from sim.kommun_profile import reweight_to_profile

        population = reweight_to_profile(population, profile)
        kommun_check = _kommun_check(population, profile)
        full_time = (assumption_values or {}).get(
            "aktivitetskrav.full_time_hours_week",
            load_scenario("baseline").assumptions().aktivitetskrav.full_time_hours_week,
        )
        assumption_values = {**profile.assumption_values(full_time), **(assumption_values or {})}
    scenarios = [load_scenario("baseline")]
    for name in names:
        scenario = load_scenario(name)
        if scenario.name not in {s.name for s in scenarios}:
            scenarios.append(scenario)
    if assumption_values:
        scenarios = [
            dataclasses.replace(s, assumption_values={**assumption_values, **s.assumption_values})
            for s in scenarios
        ]
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
        runs=tuple(runs),
        scenarios=tuple(scenarios),
        profile=profile,
        kommun_check=kommun_check,
    )


def _kommun_check(population: Population, profile: KommunProfile) -> dict[str, float]:
    """The re-weighted population's inhabitants and mean monthly caseload (data year), and
    for a kommun of the official list the sampled recipient households behind its run."""
    from sim.kommun_profile import profile_margins

    weights = population.dwellings["weight"].to_numpy()
    columns = profile_margins(population)
    check = {
        "invanare": float(weights @ columns["invanare"]),
        "manadshushall": float(weights @ columns["manadshushall"]),
    }
    if profile.kommunkod is not None:
        from sim.kommun_official import MIN_SAMPLED_RECIPIENTS, sampled_recipients

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
) -> Path:
    """Write the output folder ``out`` (every file is described in docs/outputs.md).

    ``results.parquet``, ``results.csv``, ``results.xlsx`` (the tidy table of
    :func:`sim.results.results_table`; the workbook has a second sheet of metric definitions),
    ``manifest.json``, ``population.json`` (the population's manifest, summary and
    calibration report), ``summary.md``, ``report.html`` and ``charts/*.png|svg``.

    Everything is written into a temporary folder beside ``out`` and renamed into place:
    a failure leaves nothing behind, and an existing ``out`` is replaced only with ``force``.
    """
    from sim.report import (
        POPULATION_FILE,
        assumptions_digest,
        population_record,
        write_report_files,
    )

    out = Path(out)
    if out.exists() and not force:
        raise SimInputError(f"{out} exists; use --force to overwrite it")
    if lang not in ("sv", "en"):
        raise SimInputError(f"unknown language {lang!r}; use sv or en")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        table = result.table()
        table.write_parquet(tmp / "results.parquet")
        table.write_csv(tmp / "results.csv", float_precision=6)
        _write_xlsx(table, tmp / "results.xlsx")
        population = population_record(population_path)
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
            "created": dt.date.today().isoformat(),
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
        write_report_files(tmp, table, manifest, lang=lang, population=population)
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _write_xlsx(table: pl.DataFrame, path: Path) -> None:
    """The tidy table (sheet ``results``) and the metric definitions (sheet ``metrics``)."""
    from sim.results import METRIC_INFO

    definitions = pl.DataFrame(
        [
            {"metric": metric, "unit": unit, "label_sv": sv, "label_en": en}
            for metric, (unit, sv, en) in METRIC_INFO.items()
        ]
    )
    import xlsxwriter

    with xlsxwriter.Workbook(path) as workbook:
        table.write_excel(workbook, worksheet="results", autofit=True, float_precision=6)
        definitions.write_excel(workbook, worksheet="metrics", autofit=True)


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


def describe(table: pl.DataFrame) -> str:
    """The headline metrics as a wide text summary, scenarios as columns (for the terminal)."""
    headline = table.filter((pl.col("group") == "all") & pl.col("metric").is_in(list(METRICS)))
    wide = headline.pivot(on="scenario", index="metric", values="value")
    lines = []
    columns = [c for c in wide.columns if c != "metric"]
    lines.append(f"{'metric':<32}" + "".join(f"{c[:18]:>20}" for c in columns))
    for row in wide.iter_rows(named=True):
        cells = []
        for c in columns:
            v = row[c]
            cells.append(f"{v:>20.3f}" if abs(v) < 10 else f"{v:>20,.0f}".replace(",", " "))
        lines.append(f"{row['metric']:<32}" + "".join(cells))
    return "\n".join(lines)
