"""Benchmark: generate + simulate receipt + calibrate a population of N dwellings.

Usage: ``.venv/bin/python benchmarks/bench_population.py [N]`` (default 1 000 000).
Prints JSON with the seconds of each step.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from sim.population.build import calibrate_population
from sim.population.generate import generate
from sim.population.receipt import simulate_receipt


def main(n: int) -> dict[str, float]:
    """Time the three steps for ``n`` sampled dwellings."""
    root = np.random.SeedSequence(1)
    gen_seq, receipt_seq = root.spawn(2)
    t0 = time.perf_counter()
    population = generate(n_households=n, year=2024, rng=np.random.default_rng(gen_seq))
    t1 = time.perf_counter()
    population = simulate_receipt(population, rng=np.random.default_rng(receipt_seq))
    t2 = time.perf_counter()
    calibrated = calibrate_population(population)
    t3 = time.perf_counter()
    return {
        "dwellings": n,
        "households": population.n_households,
        "persons": population.persons.height,
        "generate_s": round(t1 - t0, 2),
        "receipt_engine_18_months_s": round(t2 - t1, 2),
        "calibrate_s": round(t3 - t2, 2),
        "total_s": round(t3 - t0, 2),
        "calibration_iterations": calibrated.result.iterations,
        "converged": calibrated.result.converged,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000), indent=2))
