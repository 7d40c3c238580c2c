"""Benchmark: the engine on one part of `sim bench`, repeated, for comparing two versions.

    .venv/bin/python benchmarks/bench_part.py --dwellings 100000 --repeat 60

Generates one part as `sim bench` does (March 2027, the baseline and the kombinerad law),
then times `compute_laws` on it ``--repeat`` times: both laws, and the baseline alone (the
difference is what the kombinerad law adds once the steps it shares are computed). Prints JSON with
the minimum and the median in ns per household. On a shared machine the minimum is the
figure to compare between two versions, run alternately.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

import numpy as np

from sim.bench import REFORM, YEAR
from sim.common.memory import keep_freed_memory
from sim.engine import pipeline as engine
from sim.population.generator import generate
from sim.population.projection import project_population
from sim.scenarios.scenario import load_scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dwellings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    keep_freed_memory()

    population = project_population(
        generate(n_households=args.dwellings, year=2024, rng=np.random.default_rng(args.seed)),
        YEAR,
    )
    persons, households = population.month_inputs(3, np.zeros(population.n_households))
    laws = [
        load_scenario(name).law(YEAR).resolve(dt.date(YEAR, 3, 1)) for name in ("baseline", REFORM)
    ]
    n = households.n

    def timed(run) -> dict[str, float]:
        run()  # load the kernels, build the tax tables
        seconds = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            run()
            seconds.append(time.perf_counter() - start)
        per_household = np.array(seconds) / n * 1e9
        return {
            "min": round(float(per_household.min()), 1),
            "median": round(float(np.median(per_household)), 1),
        }

    both = timed(lambda: engine.compute_laws(persons, households, laws, check=False))
    baseline = timed(lambda: engine.compute_laws(persons, households, laws[:1], check=False))
    print(
        json.dumps(
            {
                "n_households": n,
                "n_persons": persons.n,
                "repeat": args.repeat,
                "ns_per_household_both_laws": both,
                "ns_per_household_baseline": baseline,
                # What the reform adds once the shared steps are done (difference of minima).
                "ns_per_household_reform_added": round(both["min"] - baseline["min"], 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
