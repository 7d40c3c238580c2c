"""Compile the model's kernels before the first run: ``sim compile``, ``python -m sim.precompile``.

The engine's passes are numba kernels compiled the first time they run and cached next to
the sources (``sim/__pycache__``, or ``NUMBA_CACHE_DIR``), which a fresh clone does not
have: its first ``sim run`` would spend most of its time compiling, inside its first month.
:func:`precompile` runs the four main scenarios (and the bidragstak's parts) for 2027 on the
committed population, as ``make run`` does, and one household as the report's typfall
chart does, which compiles every kernel a run uses and only those, in the versions a run
uses (the kernels take their inputs read-only, :func:`sim.household_chunks.readonly`);
the numbers are thrown away. ``make run`` calls it once after installing, and
``sim run`` calls it as its named first stage when :func:`is_cold` says the cache lacks a
kernel.
"""

from __future__ import annotations

import time

#: About how long compiling takes on a cold cache, seconds, shown in the stage's name so
#: that a first run is not taken for hung (measured on this project's 2-core machine
#: shared with other work: 61 s in a cold `sim run`, 75-110 s for `sim compile` under
#: heavy load; 125 s to the first month before the kernels took read-only inputs).
EXPECTED_SECONDS = 60

#: Kernels every run compiles (the passes' inner loops), and those it compiles with
#: several threads or with one (:func:`sim.household_chunks.default_chunks`): if one of
#: them has no compiled version in the cache for its present source, the cache is cold (a
#: fresh clone, another NUMBA_CACHE_DIR, or a kernel's module edited since).
_PROBES = (
    ("sim.benefits", "_add_persons"),
    ("sim.benefits", "_households"),
    ("sim.riksnorms", "_add_persons"),
    ("sim.riksnorms", "_households"),
    ("sim.entitlements", "_costs"),
    ("sim.entitlements", "_households"),
    ("sim.fourth_child", "_fourth_child"),
    ("sim.net_incomes", "_add_persons"),
    ("sim.gross_incomes", "_add_persons"),
    ("sim.household_chunks", "_chunk_bounds"),
    ("sim.population.receipt", "_take_up_pass"),
)
_PROBES_THREADS = (
    ("sim.benefits", "_benefits_on_threads"),
    ("sim.riksnorms", "_riksnorms_on_threads"),
)
_PROBES_ONE_THREAD = (
    ("sim.benefits", "_benefits"),
    ("sim.riksnorms", "_riksnorms"),
)

#: The warm-up's year, and the dwellings of the population it generates where the
#: committed one is missing (enough that every pass splits into chunks).
_WARMUP_YEAR = 2027
_WARMUP_DWELLINGS = 5_000


def is_cold() -> bool:
    """Whether some kernel a run needs has no compiled version in numba's cache.

    Reads the kernels' cache index files (numba's own check: an index written for an
    older version of the source counts as missing). Where the index cannot be read the
    answer is True: compiling again only loads from the cache what is there.
    """
    import importlib

    from sim.household_chunks import default_chunks

    probes = _PROBES + (_PROBES_THREADS if default_chunks() > 1 else _PROBES_ONE_THREAD)
    for module_name, kernel in probes:
        dispatcher = getattr(importlib.import_module(module_name), kernel)
        try:
            if not dispatcher._cache._cache_file._load_index():
                return True
        except Exception:  # numba's internals moved: assume cold
            return True
    return False


def precompile() -> float:
    """Compile (or load from the cache) every kernel of a ``sim run``; the seconds it took."""
    from sim.run import DEFAULT_POPULATION, read_population, run_scenarios

    start = time.perf_counter()
    if (DEFAULT_POPULATION / "manifest.json").is_file():
        population, seed = read_population(DEFAULT_POPULATION)
    else:  # an installed package without the repository's data/
        import numpy as np

        from sim.population.generate import generate
        from sim.population.receipt import simulate_receipt

        gen_seq, receipt_seq = np.random.SeedSequence(1).spawn(2)
        population = generate(
            n_households=_WARMUP_DWELLINGS, year=2024, rng=np.random.default_rng(gen_seq)
        )
        population = simulate_receipt(population, rng=np.random.default_rng(receipt_seq))
        seed = 1
    run_scenarios(
        ["bidragstak", "aktivitetskrav", "kombinerad"],
        year=_WARMUP_YEAR,
        population=population,
        seed=seed,
    )
    # One household, as the report's typfall chart computes it: the passes' one-thread
    # versions (a handful of persons is one chunk).
    from sim.household import HouseholdSpec, compare

    spec = HouseholdSpec(adults=2, child_ages=(3, 6, 9, 12, 15), housing_cost=9000.0)
    compare(spec, date=f"{_WARMUP_YEAR}-09", scenario="kombinerad")
    return time.perf_counter() - start


if __name__ == "__main__":  # pragma: no cover - python -m sim.precompile: sim compile
    from sim.cli import main

    main(["compile"])
