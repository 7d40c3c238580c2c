"""`sim bench`: time the engine on a generated population, and print what it measured.

The work timed is the peers' comparable work (issue 6): one month of a population under the
baseline and under a reform with a benefit cap and sanctions (the kombinerad law of March
2027: bidragstak and aktivitetskrav), then weighted poverty, child poverty and cost for
both. Each part is timed separately:

* ``seconds_build``: generating the population (states and incomes, uncalibrated: the
  calibration is timed by benchmarks/bench_population.py), building the month's inputs
  (``months=12``: today's norm top-ups) and keeping the households' counts for the metrics;
* ``seconds_compile``: loading (or, the first time, compiling) the numba kernels, once per
  process, like an import, by computing 20 generated households; not in
  ``ns_per_household``;
* ``seconds_compute``: the engine for both laws (``months=12``: the four scenarios' years);
* ``seconds_metrics``: poverty rate, child poverty rate and FS cost for both, on the month's
  disposable income per consumption unit (×12 as the annual figure), from household arrays
  weighted by persons (by children 0-17 for child poverty);
* ``ns_per_household``: (compute + metrics) per household;
* ``peak_rss_mb``: the process's peak resident memory (with workers: this process's and
  every worker's peak added, a bound on what was in use at once).

The population is generated in parts of at most :data:`PART_DWELLINGS` dwellings, each an
ordinary generated population from its own child seed of ``seed`` (one part: the seed's own
stream, as ``generate`` alone would draw it). Each part's month inputs are built and
computed under both laws (or its year under each scenario), and only what the metrics need
is kept, so memory stays bounded however many households are asked for. Design weights are
those of the union of the parts: each stratum's population count over its sample count in
all parts together.

With ``months=12`` the compute part of each part is instead the full-year month loop
(``sim.simulation.year.run_years``: six lead-in months and the twelve of 2027, with take-up, the
aktivitetskrav, the jobbpremie and each scenario's behaviour) of the four main scenarios
together (:data:`FULL_YEAR_SCENARIOS`, the issue's full-year goal); the metrics are on each
household's annual disposable income and FS.

With ``workers=N`` the parts run on a local Dask cluster of N processes: first every part
is built and kept by the worker that built it, then each is computed there.
``seconds_build`` and ``seconds_compute`` are the wall times of these two phases (the
compute phase includes sending each part's annual figures back), ``seconds_compile`` the
slowest worker's kernel load. The figures are the in-process ones: the same parts from the
same streams.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from sim.common.errors import SimInputError
from sim.common.validate import check_households, check_seed, check_workers
from sim.engine.entities import Households, Persons
from sim.engine.pipeline import compute_laws
from sim.metrics import statistics as m
from sim.population.generator import DISADVANTAGE_BY_TYPE, generate
from sim.population.projection import project_population
from sim.population.tables import Population
from sim.scenarios.scenario import load_scenario
from sim.simulation.year import norm_topups, run_years

REFORM = "kombinerad"
#: The scenarios of the full-year bench (``months=12``): the four main ones.
FULL_YEAR_SCENARIOS = ("baseline", "bidragstak", "aktivitetskrav", "kombinerad")
YEAR = 2027
#: Dwellings generated at a time (about 0.5 GB while a part is built for one month).
PART_DWELLINGS = 100_000
#: Sampling strata of the generator (dwelling type × disadvantage class).
STRATA = DISADVANTAGE_BY_TYPE.size


def bench(
    *,
    n_households: int,
    seed: int,
    months: int = 1,
    workers: int | None = None,
    part_dwellings: int = PART_DWELLINGS,
) -> dict[str, Any]:
    """Measure; see the module docstring for what each number is."""
    if months not in (1, 12):
        raise SimInputError(f"--months must be 1 or 12, not {months}")
    check_households(n_households, "--households")
    check_seed(seed)
    check_workers(workers)
    total_start = time.perf_counter()
    if months == 1:
        names = ("baseline", REFORM)
        when = dt.date(YEAR, 3, 1)
        work = _Work(
            prepare=_march_inputs,
            compute=functools.partial(_march, params=[law.resolve(when) for law in _laws()]),
        )
    else:
        names = FULL_YEAR_SCENARIOS
        work = _Work(
            prepare=functools.partial(_with_topups, seed=seed),
            compute=functools.partial(_year, seed=seed),
        )
    parts = _plan_parts(n_households=n_households, seed=seed, part_dwellings=part_dwellings)
    if workers is None:
        seconds_compile = _load_compiled_kernels()
        timings, outcomes = _in_process(parts, work)
        peak_rss_mb = _peak_rss_mb()
    else:
        timings, outcomes, seconds_compile, peak_rss_mb = _on_local_cluster(parts, work, workers)
    data = _joined(outcomes, n_laws=len(names))

    start = time.perf_counter()
    n_persons = data["n_persons"]
    w_hh = data["weight"]
    fs_costs = [m.weighted_total(fs, w_hh) for fs in data["paid"]]
    # Household arrays weighted by persons (× children 0-17 for child poverty): the same
    # shares of persons as person-level arrays (sim.metrics.statistics' conventions). They are written
    # into arrays no longer needed (two laws' FS, then the household weights): a fresh
    # array of 50 MB costs tens of milliseconds of page faults.
    w_persons = np.multiply(w_hh, n_persons, out=data["paid"][0])
    w_children = np.multiply(w_hh, data["n_children_0_17"], out=data["paid"][1])
    units = m.consumption_units_from_counts(
        n_adults=data["n_adults"],
        n_children=data["n_children"],
        has_partner=data["is_cohabiting"],
        out=w_hh,
    )
    figures = []
    for income, fs_cost in zip(data["incomes"], fs_costs, strict=True):
        standard = np.divide(income, units, out=income)  # income is not needed after
        line = m.poverty_line(standard, w_persons, share=0.6)
        figures.append(
            {
                "poverty_rate": m.poverty_rate(standard, w_persons, line=line),
                "child_poverty_rate": m.poverty_rate(standard, w_children, line=line),
                "fs_cost_sek_year": fs_cost,
            }
        )
    seconds_metrics = time.perf_counter() - start
    n = units.size
    seconds_compute = timings["compute"]
    return {
        "n_households": int(n),
        "n_persons": int(n_persons.sum()),
        "months": months,
        "reform": REFORM,
        "scenarios": list(names),
        "workers": workers,
        "seconds_build": round(timings["build"], 3),
        "seconds_compile": round(seconds_compile, 3),
        "seconds_compute": round(seconds_compute, 3),
        "seconds_metrics": round(seconds_metrics, 3),
        "seconds_total": round(time.perf_counter() - total_start, 3),
        "ns_per_household": round((seconds_compute + seconds_metrics) / n * 1e9, 1),
        "peak_rss_mb": round(max(peak_rss_mb, _peak_rss_mb()), 1),
        "results": dict(zip(names, figures, strict=True)),
    }


def _load_compiled_kernels() -> float:
    """Seconds to load the compiled kernels (numba) by calling each once on a few values:
    the engine's on a few generated households, the metrics' (selection, sums, consumption
    units) on a ramp and ones."""
    start = time.perf_counter()
    population = project_population(
        generate(n_households=20, year=2024, rng=np.random.default_rng(0)), YEAR
    )
    persons, households = population.month_inputs(3, np.zeros(population.n_households))
    compute_laws(persons, households, [law.resolve(dt.date(YEAR, 3, 1)) for law in _laws()])
    n = 2 * m._COMPILED_FROM
    ramp, ones = np.arange(n, dtype=np.float64), np.ones(n)
    m.poverty_rate(ramp, ones, line=m.weighted_median(ramp, ones))
    counts = np.ones(n, dtype=np.int8)  # the counts' type in _build_part
    m.consumption_units_from_counts(
        n_adults=counts, n_children=counts, has_partner=np.zeros(n, dtype=bool)
    )
    return time.perf_counter() - start


def _peak_rss_mb() -> float:
    """This process's peak resident memory, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _laws() -> list[Any]:
    return [load_scenario(name).law(YEAR) for name in ("baseline", REFORM)]


#: Each law's annual disposable income and FS per household.
_Annual = list[tuple[np.ndarray, np.ndarray]]


@dataclasses.dataclass(frozen=True)
class _Work:
    """What is done with each part: ``prepare(population)`` (timed with the build) returns
    what ``compute`` needs and the March inputs (for the households' counts in the
    metrics); ``compute(prepared)`` (timed as compute) returns each law's annual figures.
    Module-level functions and partials: a Dask worker receives them pickled."""

    prepare: Callable[[Population], tuple[Any, Persons, Households]]
    compute: Callable[[Any], _Annual]


def _march_inputs(population: Population) -> tuple[Any, Persons, Households]:
    persons, households = population.month_inputs(3, np.zeros(population.n_households))
    return (persons, households), persons, households


def _march(prepared: tuple[Persons, Households], *, params: list[Any]) -> _Annual:
    """March under both laws, as annual figures."""
    results = compute_laws(*prepared, params, check=False)
    return [(r.disposable_income * 12, r.forsorjningsstod * 12) for r in results]


def _with_topups(population: Population, *, seed: int) -> tuple[Any, Persons, Households]:
    # Today's top-ups: a modelled state of today, as sim.run computes it once for all runs.
    scenario = load_scenario(FULL_YEAR_SCENARIOS[0])
    topups = norm_topups(population, scenario.assumptions(), year=YEAR, seed=seed)
    persons, households = population.month_inputs(3, np.zeros(population.n_households))
    return (population, topups), persons, households


def _year(prepared: tuple[Population, np.ndarray], *, seed: int) -> _Annual:
    """The four main scenarios' year together (``run_years``), as annual sums."""
    population, topups = prepared
    scenarios = [load_scenario(name) for name in FULL_YEAR_SCENARIOS]
    runs = run_years(population, scenarios, year=YEAR, seed=seed, topups=topups)
    return [(run.disposable_income.sum(axis=1), run.forsorjningsstod.sum(axis=1)) for run in runs]


def _plan_parts(
    *, n_households: int, seed: int, part_dwellings: int
) -> list[tuple[int, np.random.Generator]]:
    """Each part's dwellings and random stream (one part: the seed's own stream)."""
    n_parts = -(-n_households // part_dwellings)
    sizes = [len(part) for part in np.array_split(np.arange(n_households), n_parts)]
    rng = np.random.default_rng(seed)
    streams = [rng] if n_parts == 1 else rng.spawn(n_parts)
    return list(zip(sizes, streams, strict=True))


def _build_part(
    size: int, stream: np.random.Generator, work: _Work
) -> tuple[Any, dict[str, np.ndarray]]:
    """Generate a part, prepare it, and keep what the metrics need of its households."""
    population = project_population(generate(n_households=size, year=2024, rng=stream), YEAR)
    prepared, persons, households = work.prepare(population)
    idx, is_child, n = persons.household_idx, persons.is_child, households.n
    stratum = population.dwellings["stratum"].to_numpy()
    dwelling = population.households["dwelling_idx"].to_numpy()
    part_count = np.bincount(stratum, minlength=STRATA)
    kept = {
        "n_persons": np.bincount(idx, minlength=n).astype(np.int8),
        "n_adults": np.bincount(idx[~is_child], minlength=n).astype(np.int8),
        "n_children": np.bincount(idx[is_child], minlength=n).astype(np.int8),
        "is_cohabiting": households.is_cohabiting,
        "n_children_0_17": _children_0_17(persons, n),
        "stratum": stratum[dwelling],
        "part_count": part_count[stratum[dwelling]].astype(np.int32),
        "weight": population.households["weight"].to_numpy(),
        "count_by_stratum": part_count,
    }
    return prepared, kept


def _in_process(
    parts: list[tuple[int, np.random.Generator]], work: _Work
) -> tuple[dict[str, float], list[tuple[dict[str, np.ndarray], _Annual]]]:
    """Part by part in this process: build, then compute, each part freed before the next."""
    timings = {"build": 0.0, "compute": 0.0}
    outcomes = []
    for size, stream in parts:
        start = time.perf_counter()
        prepared, kept = _build_part(size, stream, work)
        timings["build"] += time.perf_counter() - start
        start = time.perf_counter()
        annual = work.compute(prepared)
        timings["compute"] += time.perf_counter() - start
        del prepared
        outcomes.append((kept, annual))
    return timings, outcomes


def _on_local_cluster(
    parts: list[tuple[int, np.random.Generator]], work: _Work, workers: int
) -> tuple[dict[str, float], list[tuple[dict[str, np.ndarray], _Annual]], float, float]:
    """On a local Dask cluster of ``workers`` processes: every part built (and kept by its
    worker), then every part computed where it was built; the two phases' wall times.
    Also the slowest worker's kernel load and the peak memory of this process and the
    workers together (MB)."""
    import dask
    import distributed  # noqa: F401 - its configuration first, then the change below

    from sim.common.cluster import start_local_cluster

    # Each part stays on the worker that built it (no stealing: a part is 100-200 MB),
    # and no memory limit pauses or spills a worker.
    with dask.config.set({"distributed.scheduler.work-stealing": False}):
        cluster, client = start_local_cluster(workers, memory_limit=0)
    try:
        seconds_compile = max(client.run(_load_compiled_kernels).values())
        start = time.perf_counter()
        built = [
            client.submit(_build_part, size, stream, work, pure=False) for size, stream in parts
        ]
        kept = client.gather([client.submit(_second, part, pure=False) for part in built])
        build = time.perf_counter() - start
        start = time.perf_counter()
        computed = [client.submit(_compute_built, part, work, pure=False) for part in built]
        del built  # each part is freed once computed
        annual = client.gather(computed)
        compute = time.perf_counter() - start
        peak = _peak_rss_mb() + sum(client.run(_peak_rss_mb).values())
    finally:
        client.close()
        cluster.close()
    return (
        {"build": build, "compute": compute},
        list(zip(kept, annual, strict=True)),
        seconds_compile,
        peak,
    )


def _second(pair: tuple[Any, Any]) -> Any:
    return pair[1]


def _compute_built(part: tuple[Any, dict[str, np.ndarray]], work: _Work) -> _Annual:
    return work.compute(part[0])


def _joined(
    outcomes: list[tuple[dict[str, np.ndarray], _Annual]], *, n_laws: int
) -> dict[str, Any]:
    """The parts' arrays joined; design weights of the union of the parts."""
    n_parts = len(outcomes)
    total_count = sum(kept["count_by_stratum"] for kept, _ in outcomes)
    columns: dict[str, list[np.ndarray]] = {}
    for kept, annual in outcomes:
        for name, values in kept.items():
            if name != "count_by_stratum":
                columns.setdefault(name, []).append(values)
        for i, (income, paid) in enumerate(annual):
            columns.setdefault(f"income{i}", []).append(income)
            columns.setdefault(f"paid{i}", []).append(paid)
    outcomes.clear()  # each part's arrays freed as soon as they are joined
    data = {name: np.concatenate(columns.pop(name)) for name in list(columns)}
    if n_parts > 1:
        # A dwelling's weight is its stratum's population over the stratum's sample count:
        # in the union of the parts, the part's weight × its count / the total count.
        data["weight"] = data["weight"] * data["part_count"] / total_count[data["stratum"]]
    data["incomes"] = [data.pop(f"income{i}") for i in range(n_laws)]
    data["paid"] = [data.pop(f"paid{i}") for i in range(n_laws)]
    return data


def _children_0_17(persons: Any, n_households: int) -> np.ndarray:
    """Children 0-17 per household (the child-poverty weights' count)."""
    is_child_0_17 = persons.is_child & (persons.age <= 17)
    return np.bincount(persons.household_idx[is_child_0_17], minlength=n_households).astype(np.int8)
