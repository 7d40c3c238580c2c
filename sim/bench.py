"""`sim bench`: time the engine on a generated population, and print what it measured.

The work timed is the peers' comparable work (issue 6): one month of a population under the
baseline and under a reform with a benefit cap and sanctions (the kombinerad law of March
2027: bidragstak and aktivitetskrav), then weighted poverty, child poverty and cost for
both. Each part is timed separately:

* ``seconds_build``: generating the population (states and incomes, uncalibrated: the
  calibration is timed by benchmarks/bench_population.py) and building the month's inputs;
* ``seconds_compile``: loading (or, the first time, compiling) the numba kernels, once per
  process, like an import, by computing 20 generated households; not in
  ``ns_per_household``;
* ``seconds_compute``: the engine for both laws (``months=12``: the four scenarios' years);
* ``seconds_metrics``: poverty rate, child poverty rate and FS cost for both, on the month's
  disposable income per consumption unit (×12 as the annual figure), from household arrays
  weighted by persons (by children 0-17 for child poverty);
* ``ns_per_household``: (compute + metrics) per household;
* ``peak_rss_mb``: the process's peak resident memory.

The population is generated in parts of at most :data:`PART_DWELLINGS` dwellings, each an
ordinary generated population from its own child seed of ``seed`` (one part: the seed's own
stream, as ``generate`` alone would draw it). Each part's month inputs are built and
computed under both laws (or its year under each scenario), and only what the metrics need is kept, so memory stays
bounded however many households are asked for. Design weights are those of the union of
the parts: each stratum's population count over its sample count in all parts together.

With ``months=12`` the compute part of each part is instead the full-year month loop
(``sim.simulate.run_year``: six lead-in months and the twelve of 2027, with take-up, the
aktivitetskrav, the jobbpremie and each scenario's behaviour) of the four main scenarios
(:data:`FULL_YEAR_SCENARIOS`, the issue's full-year goal), after today's norm top-ups (in
``seconds_build``); the metrics are on each household's annual disposable income and FS.
"""

from __future__ import annotations

import datetime as dt
import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from sim import metrics as m
from sim.engine import compute_laws
from sim.entities import Households, Persons
from sim.errors import SimInputError
from sim.population.generate import DISADVANTAGE_BY_TYPE, generate
from sim.projection import project_population
from sim.scenarios import load_scenario

REFORM = "kombinerad"
#: The scenarios of the full-year bench (``months=12``): the four main ones.
FULL_YEAR_SCENARIOS = ("baseline", "bidragstak", "aktivitetskrav", "kombinerad")
YEAR = 2027
#: Dwellings generated at a time (about 0.5 GB while a part is built for one month).
PART_DWELLINGS = 100_000
#: Sampling strata of the generator (dwelling type × disadvantage class).
STRATA = DISADVANTAGE_BY_TYPE.size


def bench(*, n_households: int, seed: int, months: int = 1) -> dict[str, Any]:
    """Measure; see the module docstring for what each number is."""
    if months not in (1, 12):
        raise SimInputError(f"--months must be 1 or 12, not {months}")
    if n_households <= 0:
        raise SimInputError(f"--households must be positive, not {n_households}")
    total_start = time.perf_counter()
    seconds_compile = _load_compiled_kernels()
    if months == 1:
        names = ("baseline", REFORM)
        timings, data = _one_month(n_households=n_households, seed=seed)
    else:
        names = FULL_YEAR_SCENARIOS
        timings, data = _full_year(n_households=n_households, seed=seed)

    start = time.perf_counter()
    n_persons = data["n_persons"]
    units = m.consumption_units_from_counts(
        n_adults=data["n_adults"], n_children=data["n_children"], has_partner=data["is_cohabiting"]
    )
    # Household-level arrays with weights × persons (× children 0-17 for child poverty):
    # the same shares of persons as person-level arrays (sim.metrics' conventions).
    w_hh = data["weight"]
    w_persons = w_hh * n_persons
    w_children = w_hh * data["n_children_0_17"]
    figures = []
    for income, fs in zip(data["incomes"], data["paid"], strict=True):
        standard = np.divide(income, units, out=income)  # income is not needed after
        line = m.poverty_line(standard, w_persons, share=0.6)
        figures.append(
            {
                "poverty_rate": m.poverty_rate(standard, w_persons, line=line),
                "child_poverty_rate": m.poverty_rate(standard, w_children, line=line),
                "fs_cost_sek_year": m.weighted_total(fs, w_hh),
            }
        )
    seconds_metrics = time.perf_counter() - start
    n = w_hh.size
    seconds_compute = timings["compute"]
    return {
        "n_households": int(n),
        "n_persons": int(n_persons.sum()),
        "months": months,
        "reform": REFORM,
        "scenarios": list(names),
        "seconds_build": round(timings["build"], 3),
        "seconds_compile": round(seconds_compile, 3),
        "seconds_compute": round(seconds_compute, 3),
        "seconds_metrics": round(seconds_metrics, 3),
        "seconds_total": round(time.perf_counter() - total_start, 3),
        "ns_per_household": round((seconds_compute + seconds_metrics) / n * 1e9, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "results": dict(zip(names, figures, strict=True)),
    }


def _load_compiled_kernels() -> float:
    """Seconds to load the compiled kernels (numba) by calling each once on a few values:
    the engine's on a few generated households, the metrics' (selection, sums) on a ramp."""
    start = time.perf_counter()
    population = project_population(
        generate(n_households=20, year=2024, rng=np.random.default_rng(0)), YEAR
    )
    persons, households = population.month_inputs(3, np.zeros(population.n_households))
    compute_laws(persons, households, [law.resolve(dt.date(YEAR, 3, 1)) for law in _laws()])
    n = 2 * m._COMPILED_FROM
    ramp, ones = np.arange(n, dtype=np.float64), np.ones(n)
    m.poverty_rate(ramp, ones, line=m.weighted_median(ramp, ones))
    return time.perf_counter() - start


def _laws() -> list[Any]:
    return [load_scenario(name).law(YEAR) for name in ("baseline", REFORM)]


#: What a part's computation returns: each law's annual disposable income and FS per
#: household, and the March inputs (for the households' counts in the metrics).
_PartResult = tuple[list[tuple[np.ndarray, np.ndarray]], Persons, Households]


def _one_month(*, n_households: int, seed: int) -> tuple[dict[str, float], dict[str, Any]]:
    """March under both laws, part by part; keep what the metrics need."""
    when = dt.date(YEAR, 3, 1)
    params = [law.resolve(when) for law in _laws()]

    def month(population: Any, timings: dict[str, float]) -> _PartResult:
        start = time.perf_counter()
        persons, households = population.month_inputs(3, np.zeros(population.n_households))
        timings["build"] += time.perf_counter() - start
        start = time.perf_counter()
        results = compute_laws(persons, households, params, check=False)
        kept = [(r.disposable_income * 12, r.forsorjningsstod * 12) for r in results]
        timings["compute"] += time.perf_counter() - start
        return kept, persons, households

    return _by_parts(n_households=n_households, seed=seed, n_laws=len(params), compute=month)


def _full_year(*, n_households: int, seed: int) -> tuple[dict[str, float], dict[str, Any]]:
    """The year of each of the four main scenarios (``run_year``, with the lead-in months
    and the behaviour of each scenario's assumption set), part by part; keep each
    household's annual disposable income and FS."""
    from sim.simulate import norm_topups, run_year

    scenarios = [load_scenario(name) for name in FULL_YEAR_SCENARIOS]

    def year(population: Any, timings: dict[str, float]) -> _PartResult:
        start = time.perf_counter()
        # A modelled state of today, as sim.run computes it once for all scenarios.
        topups = norm_topups(population, scenarios[0].assumptions(), year=YEAR, seed=seed)
        persons, households = population.month_inputs(3, np.zeros(population.n_households))
        timings["build"] += time.perf_counter() - start
        start = time.perf_counter()
        kept = []
        for scenario in scenarios:
            run = run_year(population, scenario, year=YEAR, seed=seed, topups=topups)
            kept.append((run.disposable_income.sum(axis=1), run.forsorjningsstod.sum(axis=1)))
            del run
        timings["compute"] += time.perf_counter() - start
        return kept, persons, households

    return _by_parts(n_households=n_households, seed=seed, n_laws=len(scenarios), compute=year)


def _by_parts(
    *,
    n_households: int,
    seed: int,
    n_laws: int,
    compute: Callable[[Any, dict[str, float]], _PartResult],
) -> tuple[dict[str, float], dict[str, Any]]:
    """Generate the population part by part; ``compute(population, timings)`` returns each
    law's annual disposable income and FS per household and the March inputs (adding its
    own timings); keep those and what the metrics need of the households."""
    n_parts = -(-n_households // PART_DWELLINGS)
    sizes = [len(part) for part in np.array_split(np.arange(n_households), n_parts)]
    rng = np.random.default_rng(seed)
    streams = [rng] if n_parts == 1 else rng.spawn(n_parts)
    timings = {"build": 0.0, "compute": 0.0}
    total_count = np.zeros(STRATA, dtype=np.int64)
    kept: dict[str, list[np.ndarray]] = {}

    def keep(name: str, value: np.ndarray) -> None:
        kept.setdefault(name, []).append(value)

    for size, stream in zip(sizes, streams, strict=True):
        start = time.perf_counter()
        population = project_population(generate(n_households=size, year=2024, rng=stream), YEAR)
        timings["build"] += time.perf_counter() - start
        annual, persons, households = compute(population, timings)
        for i, (income, paid) in enumerate(annual):
            keep(f"income{i}", income)
            keep(f"paid{i}", paid)
        idx, is_child, n = persons.household_idx, persons.is_child, households.n
        keep("n_persons", np.bincount(idx, minlength=n).astype(np.int8))
        keep("n_adults", np.bincount(idx[~is_child], minlength=n).astype(np.int8))
        keep("n_children", np.bincount(idx[is_child], minlength=n).astype(np.int8))
        keep("is_cohabiting", households.is_cohabiting)
        keep("n_children_0_17", _children_0_17(persons, n))
        stratum = population.dwellings["stratum"].to_numpy()
        dwelling = population.households["dwelling_idx"].to_numpy()
        part_count = np.bincount(stratum, minlength=STRATA)
        total_count += part_count
        keep("stratum", stratum[dwelling])
        keep("part_count", part_count[stratum[dwelling]].astype(np.int32))
        keep("weight", population.households["weight"].to_numpy())
        del population, persons, households, annual

    # One name at a time, each part's arrays freed as soon as they are joined.
    data = {name: np.concatenate(kept.pop(name)) for name in list(kept)}
    if n_parts > 1:
        # A dwelling's weight is its stratum's population over the stratum's sample count:
        # in the union of the parts, the part's weight × its count / the total count.
        data["weight"] = data["weight"] * data["part_count"] / total_count[data["stratum"]]
    data["incomes"] = [data.pop(f"income{i}") for i in range(n_laws)]
    data["paid"] = [data.pop(f"paid{i}") for i in range(n_laws)]
    return timings, data


def _children_0_17(persons: Any, n_households: int) -> np.ndarray:
    """Children 0-17 per household (the child-poverty weights' count)."""
    is_child_0_17 = persons.is_child & (persons.age <= 17)
    return np.bincount(persons.household_idx[is_child_0_17], minlength=n_households).astype(np.int8)
