"""Compile the model's kernels before the first run: ``sim compile``, ``python -m sim.precompile``.

The engine's passes are numba kernels compiled the first time they run and cached next to
the sources (``sim/*/__pycache__``, or ``NUMBA_CACHE_DIR``), which a fresh clone does not
have: its first ``sim run`` would spend most of its time compiling, inside its first month.
:func:`precompile` runs the four main scenarios (and the bidragstak's parts) for 2027 on the
committed population, as ``make run`` does, and the typfall household for the report's
typfall chart (:func:`sim.calculator.typfall.typfall_comparison`), which compiles every kernel a run uses and only those, in the versions a run
uses (the kernels take their inputs read-only, :func:`sim.engine.chunks.readonly`);
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

#: Kernels every run compiles (the passes' inner loops; the same on one thread or several,
#: :func:`sim.engine.chunks.run_on_threads`): if one of them has no compiled version in the cache for its present sources (:func:`sim.common.jit.is_cached`:
#: its own module and, for a :func:`sim.common.jit.jit` kernel, ``sim/rules/``), the cache is cold (a
#: fresh clone, another NUMBA_CACHE_DIR, or a kernel's module or a rule edited since).
_PROBES = (
    ("sim.engine.benefits_pass", "_benefits"),
    ("sim.engine.riksnorm_pass", "_riksnorms"),
    ("sim.engine.fourth_child_pass", "_fourth_child"),
    ("sim.engine.entitlement_pass", "_costs"),
    ("sim.engine.entitlement_pass", "_households"),
    ("sim.engine.net_income_pass", "_add_persons"),
    ("sim.engine.gross_income_pass", "_add_persons"),
    ("sim.engine.chunks", "_chunk_bounds"),
    ("sim.engine.chunks", "_household_starts"),
    ("sim.population.receipt", "_take_up_pass"),
)

#: The warm-up's year, and the dwellings of the population it generates where the
#: committed one is missing (enough that every pass splits into chunks).
_WARMUP_YEAR = 2027
_WARMUP_DWELLINGS = 5_000


def is_cold() -> bool:
    """Whether some kernel a run needs has no compiled version in numba's cache.

    Reads the kernels' cache index files (:func:`sim.common.jit.is_cached`, numba's own check: an
    index written for older sources counts as missing, as numba will compile it again).
    Where an index cannot be read the answer is True: compiling again only loads from the
    cache what is there.
    """
    import importlib

    from sim.common.jit import is_cached

    return not all(
        is_cached(getattr(importlib.import_module(module_name), kernel))
        for module_name, kernel in _PROBES
    )


def precompile() -> float:
    """Compile (or load from the cache) every kernel of a ``sim run``; the seconds it took."""
    from sim.runs import DEFAULT_POPULATION, read_population, run_scenarios

    start = time.perf_counter()
    if (DEFAULT_POPULATION / "manifest.json").is_file():
        population, seed = read_population(DEFAULT_POPULATION)
    else:  # an installed package without the repository's data/
        import numpy as np

        from sim.population.generator import generate
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
    # The typfall household, as sim run computes it for the report: the passes' one-thread
    # versions (a handful of persons is one chunk).
    from sim.calculator.typfall import typfall_comparison

    typfall_comparison(_WARMUP_YEAR, "kombinerad")
    return time.perf_counter() - start


if __name__ == "__main__":  # pragma: no cover - python -m sim.precompile: sim compile
    from sim.cli import main

    main(["compile"])
