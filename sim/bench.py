"""`sim bench`: time the engine on a generated population, and print what it measured.

The work timed is the peers' comparable work (issue 6): one month of a population under the
baseline and under a reform with a benefit cap and sanctions (the kombinerad law of March
2027: bidragstak and aktivitetskrav), then weighted poverty, child poverty and cost for
both. Each part is timed separately:

* ``seconds_build``: generating the population (states and incomes, uncalibrated: the
  calibration is timed by benchmarks/bench_population.py) and building the month's inputs;
* ``seconds_compute``: the engine for both laws;
* ``seconds_metrics``: poverty rate, child poverty rate and FS cost for both, on the month's
  disposable income per consumption unit (×12 as the annual figure);
* ``ns_per_household``: (compute + metrics) per household;
* ``peak_rss_mb``: the process's peak resident memory.

With ``months=12`` the compute part is the full-year month loop (``sim.simulate.run_year``)
for both scenarios instead of one month.
"""

from __future__ import annotations

import datetime as dt
import resource
import time
from typing import Any

import numpy as np

from sim import metrics as m
from sim.engine import compute
from sim.errors import SimInputError
from sim.population.generate import generate
from sim.scenarios import load_scenario

REFORM = "kombinerad"
YEAR = 2027


def bench(*, n_households: int, seed: int, months: int = 1) -> dict[str, Any]:
    """Measure; see the module docstring for what each number is."""
    if months not in (1, 12):
        raise SimInputError(f"--months must be 1 or 12, not {months}")
    if n_households <= 0:
        raise SimInputError(f"--households must be positive, not {n_households}")
    total_start = time.perf_counter()
    start = time.perf_counter()
    population = generate(n_households=n_households, year=2024, rng=np.random.default_rng(seed))
    from sim.projection import project_population

    population = project_population(population, YEAR)
    persons, households = population.month_inputs(3, np.zeros(population.n_households))
    seconds_build = time.perf_counter() - start

    laws = [load_scenario(name).law(YEAR) for name in ("baseline", REFORM)]
    when = dt.date(YEAR, 3, 1)
    start = time.perf_counter()
    if months == 1:
        results = [compute(persons, households, law.resolve(when), check=False) for law in laws]
        incomes = [r.disposable_income * 12 for r in results]
        paid = [r.forsorjningsstod * 12 for r in results]
    else:
        from sim.simulate import run_year

        runs = [
            run_year(population, load_scenario(name), year=YEAR, seed=seed)
            for name in ("baseline", REFORM)
        ]
        incomes = [r.disposable_income.sum(axis=1) for r in runs]
        paid = [r.forsorjningsstod.sum(axis=1) for r in runs]
    seconds_compute = time.perf_counter() - start

    start = time.perf_counter()
    idx = persons.household_idx
    n = households.n
    is_child = persons.is_child
    n_adults = np.bincount(idx, weights=~is_child, minlength=n)
    n_children = np.bincount(idx, weights=is_child, minlength=n)
    units = m.consumption_units_from_counts(
        n_adults=n_adults, n_children=n_children, has_partner=households.is_cohabiting
    )
    w_hh = population.households["weight"].to_numpy()
    w_p = w_hh[idx]
    child017 = is_child & (persons.age <= 17)
    figures = []
    for income, fs in zip(incomes, paid, strict=True):
        standard = (income / units)[idx]
        line = m.poverty_line(standard, w_p, share=0.6)
        figures.append(
            {
                "poverty_rate": m.poverty_rate(standard, w_p, line=line),
                "child_poverty_rate": m.poverty_rate(standard, w_p, line=line, within=child017),
                "fs_cost_sek_year": m.weighted_total(fs, w_hh),
            }
        )
    seconds_metrics = time.perf_counter() - start
    return {
        "n_households": int(n),
        "n_persons": int(persons.n),
        "months": months,
        "reform": REFORM,
        "seconds_build": round(seconds_build, 3),
        "seconds_compute": round(seconds_compute, 3),
        "seconds_metrics": round(seconds_metrics, 3),
        "seconds_total": round(time.perf_counter() - total_start, 3),
        "ns_per_household": round((seconds_compute + seconds_metrics) / n * 1e9, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "results": {"baseline": figures[0], REFORM: figures[1]},
    }
