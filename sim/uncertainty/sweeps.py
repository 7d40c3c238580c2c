"""Replications and sweeps: bands on every metric from population seeds, calibration noise and
assumption ranges, run in-process or on a Dask cluster.

A sweep of ``n`` replications is fixed by one seed. Replication ``r`` takes the ``r``-th child
of ``SeedSequence(seed)`` (``SeedSequence(seed, spawn_key=(r,))``) and splits it into four
streams, so each replication is the same whatever else is in the sweep and wherever it runs:

1. **population** -- a seed for a freshly built and calibrated population of ``n_households``
   dwellings (:func:`sim.population.build.make_population`); the run uses the same seed, so
   take-up follows the population's own stream, as ``sim run`` does. With a fixed population
   (``population_path``) only the run seed (take-up and behaviour draws) varies;
2. **calibration** -- every calibration margin of ``sim/population/targets.csv`` is multiplied
   by ``exp(sd * z)``, ``z`` standard normal (a lognormal factor with median 1), ``sd`` from
   :data:`TARGET_SD` (register totals 2 %, earlier years' values used for 2024 3 %, a figure
   quoted in a statement 10 %) or else by the row's evidence code (:data:`RELATIVE_SD`: 2 %
   for primary statistics, 5 % for secondary). The perturbed copy is written to a temporary
   file and the population's design weights are calibrated to it
   (:func:`~sim.population.build.calibrate_population`, which gives the same weights as a
   build with that ``targets_path``). Targets the calibration cannot meet together (as when
   the recipients' months and the full-year count move apart) are drawn again from the same
   stream, at most :data:`MAX_CALIBRATION_DRAWS` times; the draw used is recorded;
3. **assumptions** -- every numeric model assumption with a range is drawn from the
   triangular distribution on ``[low, high]`` with its mode at the central value, and applied
   to every scenario, the baseline included, through ``Scenario.assumption_values`` (a
   reading, such as which children the bidragstak's fourth-child rule reaches, is drawn as a
   code: :func:`draw_reading`; a value
   the scenario itself fixes wins). Assumptions the run cannot take this way are listed in the
   manifest as not varied, with the reason (:func:`drawable_assumptions`). A grid
   (``grid=(path, values)``) sets one assumption to each value in turn instead of drawing it;
4. **run** -- the run seed for a fixed population.

:func:`run_replication` (module level, so Dask workers import it) runs the scenarios of one
replication and returns its tidy table (``replication, scenario, metric, group, value``);
the caller writes it as ``replications/rep-00037.parquet`` (temporary file, then rename, so a
half-written file never counts). :func:`summarise` takes, for every ``(scenario, metric,
group)``, the median into ``value`` and the 10th and 90th percentiles into ``low`` and
``high`` (linear interpolation between order statistics, numpy's default; NaN values, such as
a share of an empty group, are left out). :func:`run_sweep` does all of it and writes
``results.parquet``, ``results.csv``, ``results.xlsx``, ``results_excel.csv`` (the last two
for Excel, :mod:`sim.outputs.spreadsheets`) and ``manifest.json``; with ``resume`` it skips the
replications already on disk.

Execution: in-process by default; ``workers=N`` starts a local Dask cluster (processes, one
thread each, BLAS/polars threads set to 1); ``scheduler="tcp://host:8786"`` uses an existing
one. A task runs the same code on the same seeds wherever it runs, so a distributed sweep gives
the same numbers as an in-process one (tests/test_uncertainty.py). A dead worker (after Dask's
own retries), a lost scheduler or a failed replication stops the sweep with
:class:`SweepStopped`, whose message says how many replications were kept and to rerun with
``--resume``.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import json
import math
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from sim import __version__
from sim.common.cluster import start_local_cluster
from sim.common.errors import SimInputError
from sim.common.safe_write import check_target, writer_lock
from sim.common.validate import (
    check_households,
    check_lang,
    check_replications,
    check_seed,
    check_workers,
)
from sim.law.assumptions import default_assumptions
from sim.law.parameters import Table
from sim.law.projection import LAST_YEAR
from sim.population.tables import Population
from sim.population.targets import COLUMNS, aligned_targets, default_targets_path, load_targets

if TYPE_CHECKING:
    from sim.municipal.profile import KommunProfile

#: What a replication may vary.
VARY_CHOICES = ("population", "calibration", "assumptions")
#: Relative standard deviation of a calibration target, by target id: official register
#: totals 2 %; values of an earlier year used for 2024 3 %; a figure quoted in a statement 10 %.
TARGET_SD = {
    "fs_households": 0.02,
    "fs_paid": 0.02,
    "fs_households_full_year": 0.10,
    "fs_months_per_household": 0.03,
    "fs_longterm_share_recipients": 0.03,
}
#: Otherwise by the first letter of the row's evidence code (P: primary statistics, such as
#: SCB's household and person counts and Socialstyrelsen's recipient types; S: secondary);
#: anything else 10 %.
RELATIVE_SD = {"P": 0.02, "S": 0.05}
OTHER_RELATIVE_SD = 0.10
#: Noise draws tried per replication before giving up: targets the model cannot meet
#: together (calibration infeasible within the weight bounds) are drawn again.
MAX_CALIBRATION_DRAWS = 10
#: Percentiles written into ``low``, ``value`` and ``high``.
PERCENTILES = (10.0, 50.0, 90.0)
TABLE_COLUMNS = ("scenario", "metric", "group", "value", "low", "high")
REPLICATION_DIR = "replications"
PLAN_FILE = "plan.json"


class SweepStopped(SimInputError):
    """The sweep could not finish (a dead worker, a lost scheduler, a failed replication);
    the replications already finished are kept on disk. One line, exit code 2 at the CLI."""


@dataclasses.dataclass(frozen=True)
class SweepSpec:
    """What a sweep runs: everything that, with the seed, fixes every replication."""

    scenarios: tuple[str, ...]
    year: int
    n_replications: int
    seed: int
    vary: tuple[str, ...] = VARY_CHOICES
    n_households: int | None = None
    population_path: str | None = None
    grid: tuple[str, tuple[float, ...]] | None = None
    kommun_profile: KommunProfile | None = None


@dataclasses.dataclass(frozen=True)
class Replication:
    """The draws of one replication (recorded in the manifest)."""

    index: int
    population_seed: int | None
    run_seed: int | None
    seed: int
    perturb_targets: bool
    assumption_values: Mapping[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "population_seed": self.population_seed,
            "run_seed": self.run_seed,
            "assumption_values": dict(self.assumption_values),
        }


@dataclasses.dataclass(frozen=True)
class SweepResult:
    """A finished sweep: the summary table and where it was written."""

    out: Path
    table: pl.DataFrame
    n_run: int
    n_resumed: int
    seconds: float


# --- the draws ----------------------------------------------------------------------------


def drawable_assumptions() -> tuple[dict[str, tuple[float, float, float]], dict[str, str]]:
    """Numeric assumptions that replications draw, ``path -> (low, central, high)``, and the
    ones left at their central value, ``path -> reason``."""
    base = default_assumptions()
    drawn: dict[str, tuple[float, float, float]] = {}
    kept: dict[str, str] = {}
    for concept, group in sorted(base.items.items()):
        for name, item in sorted(group.items()):
            path = f"{concept}.{name}"
            if isinstance(item.value, Table):
                kept[path] = "a table: no range (a separate scale assumption varies it, if any)"
            elif item.low is None or item.high is None or not item.low < item.high:
                kept[path] = "no range"
            else:
                try:
                    base.with_values({path: item.low})
                    base.with_values({path: item.high})
                except SimInputError as error:
                    kept[path] = f"its range is rejected as an override ({error})"
                    continue
                drawn[path] = (item.low, float(item.value), item.high)
    return drawn, kept


def reading_assumptions() -> frozenset[str]:
    """The assumptions that are readings (unit ``reading``): codes, drawn as codes."""
    base = default_assumptions()
    return frozenset(
        f"{concept}.{name}"
        for concept, group in base.items.items()
        for name, item in group.items()
        if item.unit == "reading"
    )


def draw_reading(rng: np.random.Generator, first: float, central: float, last: float) -> float:
    """A reading's code: the central reading with probability 1/2, each other code with an
    equal share of the rest (the central reading is the one the evidence favours; the
    others are not ruled out).

    >>> rng = np.random.default_rng(0)
    >>> sorted({draw_reading(rng, 0.0, 0.0, 2.0) for _ in range(50)})
    [0.0, 1.0, 2.0]
    """
    others = [float(code) for code in range(int(first), int(last) + 1) if code != central]
    if not others or rng.random() < 0.5:
        return float(central)
    return others[int(rng.integers(len(others)))]


def calibration_sds(targets_path: str | Path | None = None) -> dict[str, float]:
    """Target key -> relative SD, for every row used as a calibration margin."""
    targets = aligned_targets(load_targets(targets_path), 2024)
    return {
        t.target.key: TARGET_SD.get(
            t.target.id, RELATIVE_SD.get(t.target.evidence.strip()[:1], OTHER_RELATIVE_SD)
        )
        for t in targets
        if t.use == "margin"
    }


def target_factors(seed: int, index: int, draw: int = 0) -> dict[str, float]:
    """Target key -> factor ``exp(sd * z)`` of noise draw ``draw`` of replication ``index``."""
    sds = calibration_sds()
    stream = np.random.SeedSequence(seed, spawn_key=(index,)).spawn(4)[1]
    z = np.random.default_rng(stream).standard_normal((draw + 1, len(sds)))[draw]
    return {key: math.exp(sd * zi) for (key, sd), zi in zip(sds.items(), z, strict=True)}


def plan_replications(spec: SweepSpec, *, fixed_seed: int | None = None) -> list[Replication]:
    """The draws of every replication of ``spec`` (see the module docstring).

    ``fixed_seed`` is the recorded seed of the fixed population: the run seed when the
    population is not varied (take-up then follows the population's own stream)."""
    drawn, _ = drawable_assumptions()
    readings = reading_assumptions()
    if spec.grid is not None:
        drawn.pop(spec.grid[0], None)
    fixed_population = spec.population_path is not None
    out = []
    for index in range(spec.n_replications):
        child = np.random.SeedSequence(spec.seed, spawn_key=(index,))
        pop_ss, _, ass_ss, run_ss = child.spawn(4)  # the second: target_factors
        population_seed = run_seed = None
        if not fixed_population:
            population_seed = _int_seed(pop_ss) if "population" in spec.vary else spec.seed
        elif "population" in spec.vary:
            run_seed = _int_seed(run_ss)
        else:
            run_seed = spec.seed if fixed_seed is None else fixed_seed
        values: dict[str, float] = {}
        if "assumptions" in spec.vary:
            rng = np.random.default_rng(ass_ss)
            for path, (low, mode, high) in drawn.items():
                if path in readings:
                    values[path] = draw_reading(rng, low, mode, high)
                else:
                    values[path] = float(rng.triangular(low, mode, high))
        if spec.grid is not None:
            path, grid_values = spec.grid
            values[path] = grid_values[index % len(grid_values)]
        perturb = "calibration" in spec.vary
        out.append(Replication(index, population_seed, run_seed, spec.seed, perturb, values))
    return out


def _int_seed(seq: np.random.SeedSequence) -> int:
    return int(seq.generate_state(1, dtype=np.uint32)[0])


# --- one replication ----------------------------------------------------------------------


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
    from sim.common.memory import keep_freed_memory
    from sim.population.build import make_population

    keep_freed_memory()  # in a Dask worker too, whose malloc returns freed memory at once
    if population is None:
        if replication.population_seed is None:
            raise SimInputError("a replication without a population seed needs a population")
        population = make_population(
            year=2024,
            n_households=spec.n_households or _committed_size(),
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
    from sim.population.build import calibrate_population

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
    from sim.runs import run_scenarios

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


def _committed_size() -> int:
    from sim.runs import DEFAULT_POPULATION

    manifest = json.loads((DEFAULT_POPULATION / "manifest.json").read_text())
    return int(manifest["n_households_sampled"])


# --- the summary --------------------------------------------------------------------------


def summarise(tables: Iterable[pl.DataFrame], *, grid: bool = False) -> pl.DataFrame:
    """Median and 10th/90th percentiles over replications of every (scenario, metric, group).

    Rows keep the order in which they first appear (replications in index order). With
    ``grid`` the table is grouped by ``grid_value`` as well, which becomes its first column.
    """
    frames = sorted(tables, key=lambda t: int(t["replication"][0]))
    if not frames:
        raise SimInputError("no replications to summarise")
    keys = (["grid_value"] if grid else []) + ["scenario", "metric", "group"]
    both = pl.concat(frames, how="vertical").filter(pl.col("value").is_not_nan())
    low, mid, high = (p / 100 for p in PERCENTILES)
    summary = both.group_by(keys, maintain_order=True).agg(
        pl.col("value").quantile(mid, interpolation="linear").alias("value"),
        pl.col("value").quantile(low, interpolation="linear").alias("low"),
        pl.col("value").quantile(high, interpolation="linear").alias("high"),
    )
    return summary.select(*keys, "value", "low", "high")


#: Metrics :func:`headline` prints, with how to show them.
HEADLINE = {
    "poverty_rate": ("poverty", 100.0, "%"),
    "child_poverty_rate": ("child poverty", 100.0, "%"),
    "fs_paid_sek_year": ("FS paid", 1e-9, "bn SEK"),
    "public_cost_sek_year": ("public cost", 1e-9, "bn SEK"),
}


def headline(table: pl.DataFrame) -> str:
    """Poverty, child poverty, FS paid and public cost (group ``all``) as ``median [p10, p90]``
    per scenario (and per grid value of a grid sweep), for the terminal."""
    rows = table.filter((pl.col("group") == "all") & pl.col("metric").is_in(list(HEADLINE)))
    if "grid_value" not in rows.columns:
        rows = rows.with_columns(grid_value=pl.lit(None, dtype=pl.Float64))
    lines = []
    for grid_value in rows["grid_value"].unique(maintain_order=True):
        at = rows.filter(pl.col("grid_value").eq_missing(grid_value))
        for scenario in at["scenario"].unique(maintain_order=True):
            cells = []
            for metric, (label, factor, unit) in HEADLINE.items():
                hit = at.filter((pl.col("scenario") == scenario) & (pl.col("metric") == metric))
                if hit.height:
                    v, lo, hi = (hit[c][0] * factor for c in ("value", "low", "high"))
                    cells.append(f"{label} {v:.2f} [{lo:.2f}, {hi:.2f}] {unit}")
            name = scenario if grid_value is None else f"{scenario} (grid {grid_value:g})"
            lines.append(f"{name:<24}" + "; ".join(cells))
    return "\n".join(lines)


def differences(tables: Iterable[pl.DataFrame], *, grid: bool = False) -> pl.DataFrame:
    """Like :func:`summarise`, of each scenario's difference from the baseline *within* a
    replication (scenario − baseline, same metric and group). The runs of one replication
    share their population and random numbers, so this band is the band of the reform's
    effect; the difference of two level bands would overstate it."""
    keys = (["grid_value"] if grid else []) + ["metric", "group"]
    out = []
    for table in tables:
        base = table.filter(pl.col("scenario") == "baseline").select(
            *keys, pl.col("value").alias("baseline")
        )
        other = table.filter(pl.col("scenario") != "baseline")
        joined = other.join(base, on=keys, how="inner", maintain_order="left")
        if joined.height:
            out.append(joined.with_columns(pl.col("value") - pl.col("baseline")).drop("baseline"))
    if not out:  # the baseline alone: no effects
        columns = (["grid_value"] if grid else []) + list(TABLE_COLUMNS)
        schema = {
            c: pl.Float64 if c in ("grid_value", "value", "low", "high") else pl.String
            for c in columns
        }
        return pl.DataFrame(schema=schema)
    return summarise(out, grid=grid)


# --- the sweep ----------------------------------------------------------------------------


def validate(spec: SweepSpec) -> None:
    """Reject a bad sweep before any work: one clear line (:class:`SimInputError`)."""
    from sim.scenarios.scenario import load_scenario

    check_replications(spec.n_replications)
    check_seed(spec.seed)
    if not 2024 <= spec.year <= LAST_YEAR:
        raise SimInputError(f"year {spec.year} is outside 2024-{LAST_YEAR}")
    if not spec.scenarios:
        raise SimInputError("--scenarios names no scenario")
    unknown = [v for v in spec.vary if v not in VARY_CHOICES]
    if unknown:
        raise SimInputError(
            f"--vary: unknown {unknown[0]!r}; use some of {', '.join(VARY_CHOICES)}"
        )
    if spec.n_households is not None and spec.population_path is not None:
        raise SimInputError("give --households or --population, not both")
    if spec.n_households is not None:
        check_households(spec.n_households, "--households")
    scenarios = [load_scenario(name) for name in spec.scenarios]
    if spec.grid is not None:
        path, values = spec.grid
        if not values:
            raise SimInputError(f"--grid {path}: no values")
        base = default_assumptions()
        for value in values:
            base.with_values({path: value})
        fixing = [s.name for s in scenarios if path in s.assumption_values]
        if fixing:
            raise SimInputError(f"--grid {path}: scenario {fixing[0]} fixes this assumption")


def parse_grid(text: str) -> tuple[str, tuple[float, ...]]:
    """The value of ``--grid``: an assumption path and the values it takes in turn.

    >>> parse_grid("bidragstak.norm_cut_children=0.1,0.15,0.2")
    ('bidragstak.norm_cut_children', (0.1, 0.15, 0.2))
    """
    path, sep, values = text.partition("=")
    try:
        numbers = tuple(float(v) for v in values.split(",") if v.strip())
    except ValueError:
        numbers = ()
    if not sep or not path.strip() or not numbers:
        raise SimInputError(f"--grid {text!r}: expected PATH=v1,v2,... with numbers")
    return path.strip(), numbers


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    resume: bool = False,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    command: Sequence[str] | None = None,
    task: Callable[..., pl.DataFrame] = run_replication,
    lang: str = "sv",
    report: bool = True,
) -> SweepResult:
    """Run (or, with ``resume``, finish) the sweep ``spec`` into the folder ``out``.

    Execution is in-process unless ``workers`` (a local Dask cluster of that many processes),
    ``scheduler`` (the address of a running one) or ``client`` (a ``dask.distributed.Client``)
    is given. Every replication's table is written to ``out/replications/`` as soon as it
    arrives; the summary, ``results.parquet``/``.csv``, ``differences.parquet``/``.csv``,
    ``results.xlsx``, ``results_excel.csv`` and ``manifest.json`` at the end. With ``report`` (the default) the report of the sweep
    follows in ``lang``: ``summary.md``, ``report.html`` and ``charts/``, with the bands in
    the tables and the whisker charts (:func:`sim.outputs.report_files.write_report_files`); a grid sweep
    gets the fan chart of its grid instead (:func:`sim.outputs.charts_uncertainty.grid_fan`).
    ``task`` replaces :func:`run_replication` (tests use it to kill a worker).
    """
    out = Path(out)
    check_lang(lang)
    validate(spec)
    from sim.outputs.provenance import git_revision, results_digests, run_date

    revision = git_revision()  # of the code the replications run, read before they start
    if sum(x is not None for x in (workers, scheduler, client)) > 1:
        raise SimInputError("give --workers or --scheduler, not both")
    check_workers(workers)
    population = None
    if spec.population_path is not None:
        from sim.runs import read_population

        population, fixed_seed = read_population(spec.population_path)
    else:
        fixed_seed = None
    replications = plan_replications(spec, fixed_seed=fixed_seed)
    plan = _plan_document(spec, replications)
    folder = out / REPLICATION_DIR
    check_target(out, force=True, inputs=[spec.population_path])  # a file, unwritable, ...
    if out.exists():
        if resume:
            _check_resumable(out, plan)
        elif not force:
            raise SimInputError(f"{out} exists; use --resume to continue it or --force to replace")
        elif not out.is_dir():
            raise SimInputError(f"{out} exists and is not a folder")
    done = {r.index for r in replications if resume and _is_complete(folder, r.index)}
    pending = [r for r in replications if r.index not in done]
    distributed = workers is not None or scheduler is not None or client is not None
    executor = None
    if pending and distributed:
        executor = _Distributed(workers=workers, scheduler=scheduler, client=client)

    out.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(out):  # one sweep at a time in a folder (sim.common.safe_write)
        started = time.perf_counter()
        total = len(replications)
        finished = len(done)

        def keep(index: int, table: pl.DataFrame) -> None:
            nonlocal finished
            _write_replication(folder, index, table)
            finished += 1
            if progress is not None:
                elapsed = time.perf_counter() - started
                progress(f"{finished}/{total} replications (r{index} done, {elapsed:.0f} s)")

        try:
            if out.exists() and not resume:
                shutil.rmtree(out)
            folder.mkdir(parents=True, exist_ok=True)
            _write_json(out / PLAN_FILE, plan)
            if progress is not None and done:
                progress(f"{finished}/{total} replications already in {out}")
            if executor is None:
                for replication in pending:
                    try:
                        table = task(spec, replication, population)
                    except SimInputError as error:
                        what = f"replication {replication.index} failed: {error}"
                        raise _stopped(what, out, total) from None
                    keep(replication.index, table)
            else:
                executor.run(spec, pending, population, task, keep, out=out, total=total)
        finally:
            if executor is not None:
                executor.close()
        seconds = time.perf_counter() - started

        tables = [pl.read_parquet(_replication_file(folder, r.index)) for r in replications]
        if spec.grid is not None:
            grid_values = {r.index: r.assumption_values[spec.grid[0]] for r in replications}
            tables = [
                t.with_columns(pl.lit(grid_values[int(t["replication"][0])]).alias("grid_value"))
                for t in tables
            ]
        table = summarise(tables, grid=spec.grid is not None)
        draws = {int(t["replication"][0]): int(t["calibration_draw"][0]) for t in tables}
        for entry in plan["replications"]:
            if draws[entry["index"]] >= 0:
                entry["calibration_draw"] = draws[entry["index"]]
                entry["target_factors"] = target_factors(
                    spec.seed, entry["index"], entry["calibration_draw"]
                )
        manifest = {
            **plan,
            "scenarios": _scenario_entries(spec),  # as sim run writes them, for sim report
            "runs": list(table["scenario"].unique(maintain_order=True)),
            "version": __version__,
            "git_revision": revision,
            "execution": {
                "mode": _mode(workers, scheduler, client),
                "replications_run": len(pending),
                "replications_resumed": len(done),
                "seconds": round(seconds, 1),
            },
            "population_name": Path(spec.population_path).name
            if spec.population_path
            else _built_name(spec.n_households or _committed_size(), lang),
            "command": list(command) if command is not None else None,
            "kommun_profile": spec.kommun_profile.record() if spec.kommun_profile else None,
            "lang": lang,
            "created": run_date().isoformat(),
        }
        _write_atomic(out / "results.parquet", lambda p: table.write_parquet(p))
        _write_atomic(out / "results.csv", lambda p: table.write_csv(p, float_precision=6))
        change = differences(tables, grid=spec.grid is not None)
        _write_atomic(out / "differences.parquet", lambda p: change.write_parquet(p))
        _write_atomic(out / "differences.csv", lambda p: change.write_csv(p, float_precision=6))
        _write_spreadsheets(out, table, change, spec, manifest, lang=lang)
        manifest["results_sha256"] = results_digests(out)  # checked by `sim report --from`
        _write_json(out / "manifest.json", manifest)
        if report:
            _write_report(out, table, change, manifest, lang=lang, grid=spec.grid is not None)
        return SweepResult(out, table, len(pending), len(done), seconds)


def _write_spreadsheets(
    out: Path,
    table: pl.DataFrame,
    change: pl.DataFrame,
    spec: SweepSpec,
    manifest: Mapping[str, Any],
    *,
    lang: str,
) -> None:
    """``results.xlsx`` (summary with the bands, long table, definitions, the effects) and
    ``results_excel.csv`` in ``lang`` (:mod:`sim.outputs.spreadsheets`), dated 1 January of the
    simulated year so that a rerun gives the same bytes."""
    from sim.outputs.spreadsheets import EXCEL_CSV, context_of, write_excel_csv, write_workbook

    context = context_of(
        year=spec.year,
        population=manifest.get("population_name"),
        seed=spec.seed,
        version=__version__,
        n_replications=spec.n_replications,
        grid_path=spec.grid[0] if spec.grid else None,
    )
    _write_atomic(
        out / "results.xlsx",
        lambda p: write_workbook(
            p,
            table,
            created=dt.datetime(spec.year, 1, 1),
            lang=lang,
            context=context,
            differences=change,
        ),
    )
    _write_atomic(out / EXCEL_CSV, lambda p: write_excel_csv(p, table, lang=lang))


def _built_name(n_households: int, lang: str) -> str:
    """The population of a sweep that builds one per replication, as the charts name it."""
    from sim.outputs.formatting import format_number

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
    grid: bool,
) -> None:
    """The report of a finished sweep into ``out``: charts first, then the texts."""
    from sim.calculator.typfall import typfall_comparison
    from sim.outputs.chart_context import ChartContext
    from sim.outputs.chart_style import save_chart
    from sim.outputs.charts_uncertainty import grid_fan
    from sim.outputs.report_files import write_report_files

    if not grid:
        typfall = typfall_comparison(int(manifest["year"]))
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


def _scenario_entries(spec: SweepSpec) -> list[dict[str, str]]:
    from sim.scenarios.scenario import load_scenario

    names = ["baseline", *(n for n in spec.scenarios if n != "baseline")]
    scenarios = [load_scenario(name) for name in names]
    return [
        {"name": s.name, "file": Path(s.source_file).name, "assumption_set": s.assumption_set}
        for s in scenarios
    ]


def _mode(workers: int | None, scheduler: str | None, client: Any) -> str:
    if workers is not None:
        return f"dask, local cluster of {workers} worker processes"
    if scheduler is not None:
        return f"dask, scheduler {scheduler}"
    return "dask, given client" if client is not None else "in-process"


class _Distributed:
    """Runs replications on a Dask cluster: a local one, an existing one, or a given client."""

    def __init__(self, *, workers: int | None, scheduler: str | None, client: Any) -> None:
        from distributed import Client

        self.cluster = None
        self.own_client = client is None
        if client is not None:
            self.client = client
        elif workers is not None:
            self.cluster, self.client = start_local_cluster(workers)
        else:
            try:
                self.client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError, ValueError) as error:
                raise SimInputError(
                    f"cannot reach the Dask scheduler {scheduler} ({type(error).__name__}: {error})"
                ) from None

    def run(
        self,
        spec: SweepSpec,
        pending: Sequence[Replication],
        population: Population | None,
        task: Callable[..., pl.DataFrame],
        keep: Callable[[int, pl.DataFrame], None],
        *,
        out: Path,
        total: int,
    ) -> None:
        from distributed import as_completed

        client = self.client
        index_of = {}
        try:
            shared = client.scatter(population, broadcast=True) if population is not None else None
            # Keys unique to this sweep: a key an earlier sweep on the same cluster released
            # may still be being forgotten by the scheduler, which would cancel the new task.
            run_token = uuid.uuid4().hex
            futures = []
            for replication in pending:
                future = client.submit(
                    task,
                    spec,
                    replication,
                    shared,
                    key=f"sim-sweep-{spec.seed}-r{replication.index}-{run_token}",
                    pure=False,
                )
                index_of[future.key] = replication.index
                futures.append(future)
            for future in as_completed(futures):
                index = index_of[future.key]
                if future.status != "finished":
                    _raise_task_error(future, index, client, out, total)
                keep(index, future.result())
        except SweepStopped:
            raise
        except Exception as error:  # the scheduler or the connection is gone
            raise _stopped(_describe(error), out, total) from None

    def close(self) -> None:
        for thing in (self.client if self.own_client else None, self.cluster):
            if thing is None:
                continue
            with contextlib.suppress(Exception):  # a cluster that is already gone
                thing.close()


def _raise_task_error(future: Any, index: int, client: Any, out: Path, total: int) -> None:
    if future.status == "cancelled" and client.status != "running":
        raise _stopped(f"lost the Dask scheduler (client status: {client.status})", out, total)
    try:
        error = future.exception()
    except Exception as lost:  # the result can no longer be fetched
        error = lost
    if type(error).__name__ == "KilledWorker":
        what = f"a worker died running replication {index} (KilledWorker)"
    elif isinstance(error, SimInputError):
        what = f"replication {index} failed: {error}"
    elif future.status == "cancelled":
        # Dask gives a cancelled future no exception (None): say what cancels a task.
        reason = (
            _describe(error)
            if error is not None
            else "no reason given; the usual causes are workers that keep dying "
            "(out of memory, killed) or a cluster being shut down"
        )
        what = f"replication {index} was cancelled by the Dask scheduler ({reason})"
    else:
        what = f"replication {index} failed: {type(error).__name__}: {error}"
    raise _stopped(what, out, total)


def _describe(error: BaseException) -> str:
    name = type(error).__name__
    text = " ".join(str(error).split())
    if name in ("CommClosedError", "StreamClosedError", "CancelledError", "FutureCancelledError"):
        return f"lost the Dask scheduler ({name}{': ' + text if text else ''})"
    if isinstance(error, OSError | TimeoutError):
        return f"lost the Dask scheduler (connection: {name}: {text})"
    return f"{name}: {text}"


def _stopped(what: str, out: Path, total: int) -> SweepStopped:
    kept = sum(1 for _ in (out / REPLICATION_DIR).glob("rep-*.parquet"))
    return SweepStopped(
        f"sweep stopped: {what}; {kept} of {total} replications kept in {out}; rerun with --resume"
    )


# --- files --------------------------------------------------------------------------------


def _replication_file(folder: Path, index: int) -> Path:
    return folder / f"rep-{index:05d}.parquet"


def _write_replication(folder: Path, index: int, table: pl.DataFrame) -> None:
    _write_atomic(_replication_file(folder, index), lambda p: table.write_parquet(p))


def _is_complete(folder: Path, index: int) -> bool:
    """A replication counts when its file reads back with its own index."""
    path = _replication_file(folder, index)
    if not path.is_file():
        return False
    try:
        replication = pl.read_parquet(path, columns=["replication"])["replication"]
    except Exception:  # a damaged file: run the replication again
        return False
    return replication.len() > 0 and bool((replication == index).all())


def _write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_json(path: Path, document: Mapping[str, Any]) -> None:
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    _write_atomic(path, lambda p: p.write_text(text))


def _plan_document(spec: SweepSpec, replications: Sequence[Replication]) -> dict[str, Any]:
    drawn, kept = drawable_assumptions()
    varied = "assumptions" in spec.vary
    return {
        "kind": "sim sweep",
        "seed": spec.seed,
        "n_replications": spec.n_replications,
        "scenarios": list(spec.scenarios),
        "year": spec.year,
        "vary": list(spec.vary),
        "population": spec.population_path
        or f"built per replication, {spec.n_households or _committed_size()} dwellings",
        "grid": {"path": spec.grid[0], "values": list(spec.grid[1])} if spec.grid else None,
        "kommun_profile": spec.kommun_profile.record() if spec.kommun_profile else None,
        "summary": {
            "value": f"percentile {PERCENTILES[1]:g}",
            "low": f"percentile {PERCENTILES[0]:g}",
            "high": f"percentile {PERCENTILES[2]:g}",
            "interpolation": "linear",
        },
        "calibration_noise": {
            "distribution": "factor exp(sd * z), z ~ N(0, 1), on every calibration margin",
            "relative_sd": calibration_sds(),
            "redraws": f"a draw the calibration cannot meet is drawn again, at most "
            f"{MAX_CALIBRATION_DRAWS} draws",
        }
        if "calibration" in spec.vary
        else None,
        "assumption_draws": {
            "distribution": "triangular(low, central, high)",
            "drawn": {p: list(v) for p, v in drawn.items()} if varied else {},
            "not_varied": kept,
        },
        "replications": [r.to_dict() for r in replications],
    }


def _check_resumable(out: Path, plan: Mapping[str, Any]) -> None:
    """``out`` holds the same sweep: every setting equal; more replications may be asked for
    (replication ``r`` does not depend on how many there are)."""
    plan_path = out / PLAN_FILE
    try:
        before = json.loads(plan_path.read_text())
    except (OSError, ValueError):
        raise SimInputError(f"{out}: not a sweep folder (no readable {PLAN_FILE})") from None
    now = json.loads(json.dumps(plan))
    same = ("n_replications", "replications")
    differing = sorted(
        k for k in set(now) | set(before) if k not in same and before.get(k) != now.get(k)
    )
    old = before.get("replications", [])
    if not differing and now["replications"][: len(old)] != old:
        differing = ["replications"]
    if differing:
        raise SimInputError(
            f"{out} holds a different sweep ({', '.join(differing)} differ); "
            "use the same options to resume, or --force to replace it"
        )
