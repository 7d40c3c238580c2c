"""Benchmark: one month of the engine on N random households (not a timed test).

    .venv/bin/python benchmarks/bench_engine.py --households 1000000

Prints JSON with the time to build the inputs, the best of ``--repeat`` engine runs, and
peak memory. The issue's goal: one month for 1 000 000 households in under 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import time

import numpy as np

from sim.engine.pipeline import compute
from sim.engine.random_inputs import random_month
from sim.law.parameters import default_law


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    params = default_law().resolve(dt.date(2026, 3, 1))
    start = time.perf_counter()
    persons, households = random_month(args.households, rng=np.random.default_rng(args.seed))
    seconds_build = time.perf_counter() - start
    timings = []
    timings_unchecked = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = compute(persons, households, params)
        timings.append(time.perf_counter() - start)
        start = time.perf_counter()
        compute(persons, households, params, check=False)
        timings_unchecked.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "n_households": households.n,
                "n_persons": persons.n,
                "seconds_build": round(seconds_build, 3),
                "seconds_compute_best": round(min(timings), 3),
                "seconds_compute_unchecked_best": round(min(timings_unchecked), 3),
                "ns_per_household": round(min(timings) / households.n * 1e9, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "fs_paid_sek_month": round(float(result.forsorjningsstod.sum())),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
