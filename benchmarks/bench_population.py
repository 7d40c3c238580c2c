"""Benchmark: generate + simulate receipt + calibrate a population of N dwellings.

Usage: ``.venv/bin/python benchmarks/bench_population.py [N]`` (default 1 000 000).
Prints JSON with the wall-clock seconds of each step (``*_s``), the CPU seconds of this
process (``*_cpu_s``, less sensitive to other work on the machine) and the load average
at the end (other processes competing for the two cores inflate the wall-clock figures).
"""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np

from sim.population.build import calibrate_population
from sim.population.generator import generate
from sim.population.receipt import simulate_receipt


def main(n: int) -> dict[str, float]:
    """Time the three steps for ``n`` sampled dwellings."""
    root = np.random.SeedSequence(1)
    gen_seq, receipt_seq = root.spawn(2)
    t0, c0 = time.perf_counter(), time.process_time()
    population = generate(n_households=n, year=2024, rng=np.random.default_rng(gen_seq))
    t1, c1 = time.perf_counter(), time.process_time()
    population = simulate_receipt(population, rng=np.random.default_rng(receipt_seq))
    t2, c2 = time.perf_counter(), time.process_time()
    calibrated = calibrate_population(population)
    t3, c3 = time.perf_counter(), time.process_time()
    return {
        "dwellings": n,
        "households": population.n_households,
        "persons": population.persons.height,
        "generate_s": round(t1 - t0, 2),
        "receipt_engine_18_months_s": round(t2 - t1, 2),
        "calibrate_s": round(t3 - t2, 2),
        "total_s": round(t3 - t0, 2),
        "generate_cpu_s": round(c1 - c0, 2),
        "receipt_cpu_s": round(c2 - c1, 2),
        "calibrate_cpu_s": round(c3 - c2, 2),
        "total_cpu_s": round(c3 - c0, 2),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "line_rounds": calibrated.line_rounds,
        "calibration_iterations": calibrated.result.iterations,
        "converged": calibrated.result.converged,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000), indent=2))
