"""Benchmark: a full simulated year of the four main scenarios on a large population.

    .venv/bin/python benchmarks/bench_run.py --households 1000000 --year 2027

Builds (or reads, with --population) a population, then times `run_scenarios` for
baseline, bidragstak, aktivitetskrav and kombinerad with behaviour (the static companion
runs of the behavioural scenarios are timed separately). Prints JSON. The issue's goal: the
four main scenarios on 1 000 000 households in under 60 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from sim.population.build import build_population
from sim.population.projection import project_population
from sim.runs import read_population
from sim.scenarios.scenario import load_scenario
from sim.simulation.year import norm_topups, run_year

MAIN = ("baseline", "bidragstak", "aktivitetskrav", "kombinerad")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--population", type=Path, default=None)
    args = parser.parse_args()

    start = time.perf_counter()
    if args.population is None:
        folder = Path(tempfile.mkdtemp()) / "pop"
        build_population(year=2024, n_households=args.households, seed=args.seed, out_dir=folder)
    else:
        folder = args.population
    seconds_population = time.perf_counter() - start
    population, seed = read_population(folder)
    # As run_scenarios does: project once, so every run shares the converted month columns.
    population = project_population(population, args.year)
    scenarios = [load_scenario(name) for name in MAIN]
    topups = norm_topups(population, scenarios[0].assumptions(), year=args.year, seed=seed)
    timings = {}
    for scenario in scenarios:
        start = time.perf_counter()
        run_year(population, scenario, year=args.year, seed=seed, topups=topups)
        timings[scenario.name] = round(time.perf_counter() - start, 2)
    static = {}
    for scenario in scenarios[1:]:
        start = time.perf_counter()
        run_year(
            population, scenario, year=args.year, seed=seed, assumption_set="none", topups=topups
        )
        static[scenario.name] = round(time.perf_counter() - start, 2)
    print(
        json.dumps(
            {
                "n_households": population.n_households,
                "n_persons": population.persons.height,
                "seconds_population": round(seconds_population, 1),
                "seconds_per_scenario": timings,
                "seconds_four_main": round(sum(timings.values()), 1),
                "seconds_static_companions": static,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
