"""Benchmark of a household axis (:func:`sim.calculator.axes.household_axis`): one engine call per law.

The government's typfall couple with five children along ``earnings=0:49500:500`` (100
points) under the baseline and kombinerad: 2 engine calls on 300 households each (the
points, their EMTR steps and the out-of-work rows). Prints one JSON line: the first call
(loading the law and numba's cached compiled code), the median of ``--repeat`` warm calls,
the number of engine calls and households per call, and for comparison the household
calculator (:func:`sim.calculator.household.calculate`) run once per point for one law.

    .venv/bin/python benchmarks/bench_axis.py
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import sim.calculator.axes
    from sim.calculator.household import HouseholdSpec, calculate

    spec = HouseholdSpec(
        adults=2,
        adult_ages=(38, 40),
        child_ages=(3, 6, 9, 12, 15),
        housing_cost=16_180,
        housing_limit_factor=1.4,
        months_on_fs=6,
        jobbpremie_eligible=True,
    )
    calls: list[int] = []
    real = sim.calculator.axes.compute

    def counting(persons, households, params, assumptions):
        calls.append(households.n)
        return real(persons, households, params, assumptions)

    sim.calculator.axes.compute = counting

    def axis() -> float:
        start = time.perf_counter()
        sim.calculator.axes.household_axis(
            spec, "earnings=0:49500:500", date="2027-09", scenario="kombinerad"
        )
        return time.perf_counter() - start

    first = axis()
    n_calls, per_call = len(calls), calls[:]
    warm = [axis() for _ in range(args.repeat)]
    start = time.perf_counter()
    for k in range(100):
        calculate(
            dataclasses.replace(spec, earnings=(500.0 * k, 0.0)),
            date="2027-09",
            scenario="baseline",
        )
    loop = time.perf_counter() - start
    print(
        json.dumps(
            {
                "points": 100,
                "laws": 2,
                "engine_calls": n_calls,
                "households_per_call": per_call,
                "first_call_s": round(first, 3),
                "warm_median_s": round(statistics.median(warm), 4),
                "calculate_per_point_one_law_s": round(loop, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
