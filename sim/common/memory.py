"""Keep freed memory for reuse: glibc malloc settings for numpy's large temporaries.

numpy allocates and frees arrays of a few hundred kB to tens of MB many times a month of
simulation. With glibc's defaults such blocks may be returned to the system when freed and
faulted in again, page by page, when the next array of that size is allocated; Dask's
worker processes make this much worse (they start with ``MALLOC_TRIM_THRESHOLD_=65536``,
which returns freed memory almost at once). Measured on the committed population, three
reforms and the baseline for 2027 (docs/performance.md): 3.7 s with these settings,
11.7 s under Dask's setting (2.9 million page faults instead of 0.14 million), 4.6 s with
glibc's defaults; peak memory the same (600 MB).

:func:`keep_freed_memory` sets, through ``mallopt``, a fixed mmap threshold of 32 MB (the
largest glibc allows; arrays below it come from the heap and are reused) and a trim
threshold of 1 GB. It is called by the command line and by sweep replications, not on
import: a library user's process keeps its own allocator settings unless asked.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

#: mallopt parameters (glibc <malloc.h>).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
#: The largest fixed mmap threshold glibc accepts on 64-bit systems (32 MB).
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 1 << 30


@functools.cache
def keep_freed_memory() -> bool:
    """Apply the settings (once per process); False where there is no glibc ``mallopt``."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
