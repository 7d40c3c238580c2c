"""One replication of a sweep: its population (built, or the fixed one recalibrated to
perturbed targets) and its scenario runs, as a tidy table.

:func:`run_replication` is at module level so that Dask workers import it; it returns the
table ``replication, calibration_draw, scenario, metric, group, value``, which the sweep
writes as ``replications/rep-00037.parquet``."""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from sim.common.errors import SimInputError
from sim.common.memory import keep_freed_memory
from sim.population.build import calibrate_population, make_population
from sim.population.tables import Population
from sim.population.targets import COLUMNS, default_targets_path
from sim.runs import DEFAULT_POPULATION, run_scenarios
from sim.uncertainty.draws import MAX_CALIBRATION_DRAWS, Replication, target_factors
from sim.uncertainty.spec import SweepSpec


def run_replication(
    spec: SweepSpec, replication: Replication, population: Population | None = None
) -> pl.DataFrame:
    """Run the scenarios of one replication; its tidy table with columns ``replication,
    calibration_draw, scenario, metric, group, value``.

    ``population`` is the fixed population when ``spec.population_path`` is given (passed in,
    so a worker on another machine needs no access to the file); otherwise one is built from
    the replication's population seed. With calibration noise its weights are recalibrated
    to perturbed targets (noise draw ``calibration_draw``: the first whose targets the
    calibration can meet). Deterministic given ``spec``, ``replication`` and ``population``.
    """
    keep_freed_memory()  # in a Dask worker too, whose malloc returns freed memory at once
    if population is None:
        if replication.population_seed is None:
            raise SimInputError("a replication without a population seed needs a population")
        population = make_population(
            year=2024,
            n_households=spec.n_households or committed_size(),
            seed=replication.population_seed,
        ).population
        seed = replication.population_seed
    else:
        if replication.run_seed is None:
            raise SimInputError("a replication on a fixed population needs a run seed")
        seed = replication.run_seed
    draw = -1
    if replication.perturb_targets:
        population, draw = _recalibrate(population, replication)
    # RunResult.table(): the results table with the bidragstak's comparison rows.
    table = (
        _run(spec, replication, population, seed)
        .table()
        .select("scenario", "metric", "group", "value")
    )
    return table.select(
        pl.lit(replication.index, dtype=pl.Int64).alias("replication"),
        pl.lit(draw, dtype=pl.Int64).alias("calibration_draw"),
        pl.all(),
    )


def _recalibrate(population: Population, replication: Replication) -> tuple[Population, int]:
    """The population calibrated to the first noise draw of the targets it can meet."""
    with tempfile.TemporaryDirectory(prefix="sim-sweep-") as tmp:
        path = Path(tmp) / "targets.csv"
        for draw in range(MAX_CALIBRATION_DRAWS):
            write_perturbed_targets(target_factors(replication.seed, replication.index, draw), path)
            try:
                return calibrate_population(population, targets_path=path).population, draw
            except SimInputError:
                continue
    raise SimInputError(
        f"the calibration met none of {MAX_CALIBRATION_DRAWS} noise draws of the targets"
    )


def _run(spec: SweepSpec, replication: Replication, population: Population, seed: int) -> Any:
    """``sim.runs.run_scenarios`` with the replication's assumption values on every scenario
    (a :class:`sim.runs.RunResult`)."""
    result = run_scenarios(
        spec.scenarios,
        year=spec.year,
        population=population,
        seed=seed,
        assumption_values=replication.assumption_values,
        profile=spec.kommun_profile,
    )
    return result


def write_perturbed_targets(factors: Mapping[str, float], path: Path) -> Path:
    """A copy of the packaged targets file with each row ``key`` multiplied by its factor."""
    source = default_targets_path()
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        key = f"{row['id']}@{row['year']}" if row["year"] else row["id"]
        if key in factors:
            row["value"] = repr(float(row["value"]) * factors[key])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def committed_size() -> int:
    manifest = json.loads((DEFAULT_POPULATION / "manifest.json").read_text())
    return int(manifest["n_households_sampled"])
