"""A local Dask cluster of worker processes (``sim sweep --workers``, ``sim bench --workers``).

One thread per worker, and one thread each for BLAS, OpenMP, numba's parallel kernels
(:mod:`sim.engine.chunks`) and polars inside it, so that N workers use N cores; the
workers' logs are silenced (a failure reaches the caller as an error of its task); the
dashboard takes any free port. Each worker keeps freed memory for reuse
(:func:`sim.common.memory.keep_freed_memory`) from its start.
"""

from __future__ import annotations

import logging
from typing import Any

#: Environment of Dask worker processes: one thread each for BLAS, OpenMP, numba and polars.
WORKER_ENV = {
    "OMP_NUM_THREADS": "1",
    "NUMBA_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "POLARS_MAX_THREADS": "1",
}


def start_local_cluster(workers: int, **options: Any) -> tuple[Any, Any]:
    """``(cluster, client)``: a ``distributed.LocalCluster`` of ``workers`` processes and a
    client connected to it; ``options`` go to ``LocalCluster`` (e.g. ``memory_limit``).
    The caller closes both."""
    from distributed import Client, LocalCluster

    from sim.common.memory import keep_freed_memory

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.CRITICAL,
        env=WORKER_ENV,
        **options,
    )
    try:
        client = Client(cluster)
        client.run(keep_freed_memory)
    except BaseException:
        cluster.close()
        raise
    return cluster, client
