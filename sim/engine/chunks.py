"""Persons split into contiguous chunks at household boundaries, for kernels run on threads.

The compiled passes of the engine run on several threads, Python threads running kernels
compiled ``nogil``. The person passes (:mod:`sim.engine.gross_income_pass`,
:mod:`sim.engine.net_income_pass`) and the household pass of :mod:`sim.engine.entitlement_pass`
share their chunks among the threads (:func:`run_on_threads`); the passes household by
household (:mod:`sim.engine.benefits_pass`, :mod:`sim.engine.riksnorm_pass`,
:mod:`sim.engine.fourth_child_pass`) find each household's persons with :func:`by_household`
and run their households in as many ranges (:func:`in_household_ranges`). A chunk never
splits a household, so every household sum is still added by one thread, over its persons
in their order, starting from 0.0: the numbers are the same, bit for bit, for any number of
chunks. That needs persons grouped by household (``household_idx`` non-decreasing, as
``Population.month_inputs`` gives them); otherwise there is one chunk.

How many threads: :func:`default_chunks`, numba's thread count (``NUMBA_NUM_THREADS`` or
``numba.set_num_threads``; the machine's cores by default; one in the Dask workers of
:mod:`sim.common.cluster`, which run one task per core). The threads are Python's and the
kernels run without the GIL, so numba's threading layer plays no part: no pass uses
numba's ``prange``.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numba
import numpy as np

from sim.common.jit import jit


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
    """How many threads the passes run on: numba's thread count (see the module docstring)."""
    return numba.get_num_threads()


def by_household(
    household_idx: np.ndarray, n_households: int, arrays: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Where each household's persons are, for a pass household by household: ``starts``
    (household ``h``'s persons are rows ``starts[h]:starts[h + 1]``, int64) and the person
    ``arrays`` with the persons grouped by household. Grouped persons (``household_idx``
    non-decreasing, as ``Population.month_inputs`` gives them) are left as they are; others
    are sorted by household, stably, so each household's persons keep their order (and its
    sums the numbers of ``np.bincount``).

    >>> starts, (age,) = by_household(np.array([1, 0, 1]), 3, (np.array([30.0, 40.0, 5.0]),))
    >>> starts.tolist(), age.tolist()
    ([0, 1, 3, 3], [40.0, 30.0, 5.0])
    >>> by_household(np.array([0, 3]), 3, ())
    Traceback (most recent call last):
    ValueError: a person's household_idx points outside the households
    """
    starts, status = _household_starts(readonly(np.ascontiguousarray(household_idx)), n_households)
    if status == _OUTSIDE:
        raise ValueError("a person's household_idx points outside the households")
    if status == _NOT_GROUPED:
        order = np.argsort(household_idx, kind="stable")
        arrays = tuple(values[order] for values in arrays)
    return starts, arrays


_GROUPED, _NOT_GROUPED, _OUTSIDE = 0, 1, 2


@jit
def _household_starts(household_idx, n_households):  # pragma: no cover
    """The households' first rows (as if grouped) and whether the persons are grouped."""
    starts = np.zeros(n_households + 1, dtype=np.int64)
    status = _GROUPED
    previous = 0
    for i in range(household_idx.size):
        h = household_idx[i]
        if h < 0 or h >= n_households:  # compiled code does not check an index itself
            return starts, _OUTSIDE
        if h < previous:
            status = _NOT_GROUPED
        previous = h
        starts[h + 1] += 1
    for h in range(n_households):
        starts[h + 1] += starts[h]
    return starts, status


def in_household_ranges(
    kernel: Callable[..., None],
    n_households: int,
    inputs: tuple[Any, ...],
    outputs: tuple[np.ndarray, ...],
    chunks: Chunks = None,
) -> None:
    """``kernel(first, last, *inputs, outputs)`` for ranges of households that together
    are ``0:n_households``, one range per chunk (:data:`Chunks`: as many as the persons'
    chunks), shared by the threads of :func:`run_on_threads`.

    ``kernel`` is compiled without the GIL (:func:`sim.common.jit.jit`) and writes only its own
    households' rows of ``outputs``: the numbers are the same for any number of ranges.
    Python threads, not numba's ``prange``: numba does not compile a ``prange`` over
    records that hold tuples (the laws' tables), and an error in a range is raised here.
    ``inputs`` are passed read-only (:func:`readonly`).
    """
    n_ranges = max(1, min(_count_chunks(chunks), n_households))
    inputs = readonly(inputs)
    if n_ranges == 1:
        kernel(0, n_households, *inputs, outputs)
        return
    bounds = np.linspace(0, n_households, n_ranges + 1).astype(np.int64)
    run_on_threads(kernel, bounds, inputs, outputs)


def _count_chunks(chunks: Chunks) -> int:
    """How many chunks ``chunks`` stands for (see :data:`Chunks`)."""
    if chunks is None:
        return default_chunks()
    if isinstance(chunks, int | np.integer):
        return int(chunks)
    return len(chunks) - 1
