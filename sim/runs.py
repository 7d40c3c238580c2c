"""Run scenarios on one population and collect the results as one tidy table.

:func:`read_population` reads (and verifies) a population folder. :func:`run_scenarios`
always runs the baseline first, then each scenario with its own assumption set and, for
behavioural sets, also statically (set ``none``, labelled ``<name>/statisk``), all with the
same seed; the :class:`RunResult` it returns turns the runs into rows ``scenario, metric,
group, value`` (:meth:`RunResult.table`). Writing the output folder of ``sim run`` is
:func:`sim.outputs.run_folder.write_results`.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import polars as pl

from sim.common.errors import SimInputError
from sim.common.progress import Step
from sim.common.validate import check_integer, check_seed
from sim.law.projection import LAST_YEAR
from sim.metrics.government_comparison import PART_SCENARIOS, comparison_rows, has_bidragstak
from sim.metrics.results import results_table
from sim.municipal.official import MIN_SAMPLED_RECIPIENTS, sampled_recipients
from sim.municipal.profile import KommunProfile, profile_margins, reweight_to_profile
from sim.population.projection import project_population
from sim.population.tables import Population
from sim.population.verify import verify_files, verify_schema, verify_weights
from sim.scenarios.scenario import Scenario, load_scenario
from sim.simulation.year import ScenarioYear, norm_topups, run_years

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
    weights = population.dwellings["weight"].to_numpy()
    columns = profile_margins(population)
    check = {
        "invanare": float(weights @ columns["invanare"]),
        "manadshushall": float(weights @ columns["manadshushall"]),
    }
    if profile.kommunkod is not None:
        in_group, in_kommun = sampled_recipients(population, profile)
        check["sampled_recipients_group"] = in_group
        check["sampled_recipients_kommun"] = in_kommun
        check["min_sampled_recipients"] = MIN_SAMPLED_RECIPIENTS
        check["low_precision"] = in_group < MIN_SAMPLED_RECIPIENTS
    return check
