"""Persons split into contiguous chunks at household boundaries, for kernels run on threads.

The compiled passes of the engine run their persons (:mod:`sim.gross_incomes`,
:mod:`sim.net_incomes`) or households (:mod:`sim.entitlements`) in chunks on several threads:
Python threads sharing the chunks (:func:`run_on_threads`, kernels compiled ``nogil``), or
numba's ``prange`` (:func:`run_in_chunks`, :mod:`sim.benefits`, :mod:`sim.riksnorms`). A
chunk never splits a household, so every household sum is still added by one thread, over
its persons in their order, starting from 0.0: the numbers are the same, bit for bit, for
any number of chunks. That needs persons grouped by household (``household_idx``
non-decreasing, as ``Population.month_inputs`` gives them); otherwise there is one chunk.

How many threads: :func:`default_chunks`, numba's thread count (``NUMBA_NUM_THREADS`` or
``numba.set_num_threads``; the machine's cores by default; one in the Dask workers of
:mod:`sim.cluster`, which run one task per core), and one unless numba's threading layer is
OpenMP or TBB. The third layer numba may fall back to (workqueue) ends the process if two
Python threads start ``prange`` kernels at once, which a library user's threads may do.
"""

from __future__ import annotations

import functools
import itertools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numba
import numpy as np


def readonly(values: Any) -> Any:
    """``values`` with every array in it (in tuples too) as a read-only view, the rest as is.

    numba compiles a kernel once per type of its arguments, and a read-only array (polars'
    columns, the cached law tables) is another type than a writable one of the same dtype:
    the same kernel, called once with each, compiled twice (each a ``.N.nbc`` file of the
    cache). The kernels' inputs always passed read-only, each kernel has one version: the
    first run compiles half as much, and the numbers are the same (a view, no copy).

    >>> a = np.zeros(2)
    >>> b, (c, n) = readonly((a, (a, 3)))
    >>> b.flags.writeable, c.flags.writeable, n, a.flags.writeable
    (False, False, 3, True)
    """
    if isinstance(values, np.ndarray):
        if not values.flags.writeable:
            return values
        view = values.view()
        view.flags.writeable = False
        return view
    if type(values) is tuple:
        return tuple(readonly(v) for v in values)
    return values


def chunk_bounds(household_idx: np.ndarray, n_chunks: int) -> np.ndarray:
    """Start and end rows of up to ``n_chunks`` chunks of about equal size, none splitting a
    household: ``bounds[c]:bounds[c + 1]`` is chunk ``c`` (int64, first 0, last the number
    of persons). One chunk (``[0, n]``) if the persons are not grouped by household.

    >>> chunk_bounds(np.array([0, 0, 1, 1, 1, 2, 3, 3]), 2)
    array([0, 5, 8])
    >>> chunk_bounds(np.array([0, 1, 0]), 2)  # not grouped: one chunk
    array([0, 3])
    """
    if n_chunks < 1:
        raise ValueError(f"chunk_bounds: n_chunks must be at least 1, not {n_chunks}")
    return _chunk_bounds(readonly(np.ascontiguousarray(household_idx)), n_chunks)


@numba.njit(cache=True, nogil=True)
def _chunk_bounds(household_idx, n_chunks):  # pragma: no cover
    n = household_idx.size
    grouped = True
    for i in range(1, n):
        if household_idx[i] < household_idx[i - 1]:
            grouped = False
            break
    if not grouped or n_chunks == 1 or n == 0:
        return np.array([0, n], dtype=np.int64)
    bounds = [0]
    for c in range(1, n_chunks):
        start = max(n * c // n_chunks, bounds[-1])
        while 0 < start < n and household_idx[start] == household_idx[start - 1]:
            start += 1  # to the first person of the next household
        if start > bounds[-1] and start < n:
            bounds.append(start)
    bounds.append(n)
    return np.array(bounds, dtype=np.int64)


#: What a compiled pass accepts as its persons' chunks: how many at most (None:
#: :func:`default_chunks`), or the chunks themselves, as :func:`chunk_bounds` gave them for
#: these persons (computed once for the engine's several passes over the same persons).
Chunks = int | np.ndarray | None


def bounds_of(household_idx: np.ndarray, chunks: Chunks) -> np.ndarray:
    """The chunks' bounds (see :data:`Chunks`). Given bounds are checked for what can be
    checked without a pass over the persons: from 0 to the number of persons, increasing,
    and a new household at each inner bound.

    >>> idx = np.array([0, 0, 1, 1, 1, 2, 3, 3])
    >>> bounds_of(idx, 2), bounds_of(idx, np.array([0, 5, 8]))
    (array([0, 5, 8]), array([0, 5, 8]))
    >>> bounds_of(idx, np.array([0, 4, 8]))
    Traceback (most recent call last):
    ValueError: chunk bounds [0 4 8] do not split these persons between households
    """
    if chunks is None or isinstance(chunks, int | np.integer):
        return chunk_bounds(household_idx, default_chunks() if chunks is None else int(chunks))
    bounds = np.asarray(chunks)
    inner = bounds[1:-1]
    if not (
        bounds.dtype == np.int64
        and bounds.ndim == 1
        and bounds.size >= 2
        and bounds[0] == 0
        and bounds[-1] == household_idx.size
        and (np.diff(bounds) > 0).all()
        and (household_idx[inner] != household_idx[inner - 1]).all()
    ):
        raise ValueError(f"chunk bounds {bounds} do not split these persons between households")
    return bounds


def run_in_chunks(
    serial: Callable[..., Any],
    in_chunks: Callable[..., tuple[Any, np.ndarray]],
    household_idx: np.ndarray,
    arguments: tuple[Any, ...],
    chunks: Chunks = None,
) -> Any:
    """``in_chunks(bounds, *arguments)`` where the persons split into several chunks
    (:data:`Chunks`), else ``serial(*arguments)``.

    ``in_chunks`` returns its outputs and whether each chunk finished: numba drops an
    exception raised on one of its threads, so a chunk that raised makes the persons run
    again in ``serial``, on this thread, which raises the same error with its message.
    """
    bounds = bounds_of(household_idx, chunks)
    arguments = readonly(arguments)
    if bounds.size > 2:
        out, done = in_chunks(readonly(bounds), *arguments)
        if done.all():
            return out
    return serial(*arguments)


def run_on_threads(
    kernel: Callable[..., None],
    bounds: np.ndarray,
    arguments: tuple[Any, ...],
    out: Any,
    threads: int | None = None,
) -> Any:
    """``kernel(bounds[c], bounds[c + 1], *arguments, out)`` for every chunk ``c``, shared
    by this thread and ``threads − 1`` threads of a pool (default: :func:`default_chunks`,
    at most one a chunk), and ``out``.

    The kernel is compiled with ``nogil=True``, so the chunks run at once; it writes its
    rows' results into ``out`` (arrays the caller made), and chunks that never share a
    household (or a row) give the numbers of one chunk. Each thread takes the next chunk
    not yet taken until none is left, so a thread the machine starts late (a sleeping
    core wakes slowly on a virtual machine) leaves its chunks to the others, and the
    caller returns once every chunk is done, whether the helpers ever started or not.
    Unlike numba's ``prange``,
    threads take kernels whose law records hold tuples, and an error raised in a chunk
    reaches the caller as it is.
    """
    arguments = readonly(arguments)
    n_chunks = bounds.size - 1
    threads = max(1, min(default_chunks() if threads is None else threads, n_chunks))
    chunks = itertools.count()  # next() is atomic under the GIL
    finished = itertools.count(1)
    all_finished = threading.Event()
    errors: list[BaseException] = []

    def work() -> None:
        for c in chunks:
            if c >= n_chunks:
                return
            try:
                kernel(bounds[c], bounds[c + 1], *arguments, out)
            except BaseException as error:  # raised below, on the caller's thread
                errors.append(error)
            if next(finished) == n_chunks:
                all_finished.set()

    # A helper the machine starts only after every chunk was taken finds none left and
    # touches nothing: the caller waits for the chunks, not for the helpers.
    for _ in range(threads - 1):
        _thread_pool(threads - 1).submit(work)
    work()
    all_finished.wait()
    if errors:
        raise errors[0]
    return out


def shared_chunks() -> int:
    """How many chunks the persons or households of a pass on threads split into: a few a
    thread (:data:`CHUNKS_PER_THREAD`, see :func:`run_on_threads`), one on one thread."""
    threads = default_chunks()
    return 1 if threads == 1 else CHUNKS_PER_THREAD * threads


#: Chunks a thread of :func:`run_on_threads`, so that threads started late leave their work
#: to the others.
CHUNKS_PER_THREAD = 4


_POOLS: dict[tuple[int, int], ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def _thread_pool(workers: int) -> ThreadPoolExecutor:
    """A pool of ``workers`` threads, made once per process (a forked child makes its own:
    threads do not survive a fork)."""
    key = (os.getpid(), workers)
    with _POOLS_LOCK:
        if key not in _POOLS:
            _POOLS[key] = ThreadPoolExecutor(workers, thread_name_prefix="sim-chunks")
        return _POOLS[key]


def default_chunks() -> int:
    """numba's thread count where its threading layer is safe for threads (see the module
    docstring), else 1."""
    threads = numba.get_num_threads()
    return threads if threads > 1 and _thread_safe_layer() else 1


@functools.cache
def _thread_safe_layer() -> bool:
    """Whether numba's threading layer, chosen at the first parallel kernel, is OpenMP or
    TBB (both allow kernels started from several Python threads at once)."""
    _first_parallel_kernel(np.zeros(2))
    return numba.threading_layer() in ("omp", "tbb")


@numba.njit(cache=True, parallel=True)
def _first_parallel_kernel(values):  # pragma: no cover
    total = 0.0
    for i in numba.prange(values.size):
        total += values[i]
    return total
