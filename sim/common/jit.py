"""The decorator of the model's compiled code, with a numba cache that follows the rules' sources.

Every compiled function of the model is decorated with :func:`jit`: ``numba.njit`` with
``cache=True`` (machine code kept on disk between processes, ``sim/*/__pycache__`` or
``NUMBA_CACHE_DIR``), ``nogil=True`` (so that Python threads run kernels at once:
:func:`sim.engine.chunks.in_household_ranges`) and ``error_model="numpy"`` (a division
is IEEE's, without Python's check for zero).

Why not ``numba.njit(cache=True)`` itself: numba keeps a function's machine code until *its
own* source file changes (the file, its modification time and size: the "stamp" of its
cache index). A kernel that calls a rule of another file (``sim/engine/benefits_pass.py`` calling
``sim/rules/barnbidrag.py``) holds the rule's code compiled into its own, so after an edit
of the rule alone the next process would load the old rule from the cache and compute the
old law, silently. :func:`jit` adds to each function's stamp a digest of the sources of
``sim/rules/`` (:func:`rules_digest`): an edit of any rule makes every cached function of
the model stale, and numba compiles it again. The model keeps to one convention that makes
this enough: compiled code calls compiled code only of its own module and of ``sim/rules/``
(``tests/test_jit.py`` checks it). Only the model's functions are affected: numba's
settings, ``NUMBA_CACHE_DIR`` and other packages' caches are left as they are, and a stale
index is overwritten in place (no directories pile up).

:func:`is_cached` says whether a function has machine code in the cache for its present
sources, by numba's own check of the index and this stamp; ``sim.precompile.is_cold`` asks
it.

Importing this module defines things and nothing else. The digest is computed at the first
decoration (reading the files of ``sim/rules/``; nothing is written) and kept for the
process: a rule edited while a process runs reaches it only in the next process, as with
numba itself. With ``NUMBA_DISABLE_JIT=1`` the decorator returns the Python function.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba
from numba.core.caching import NullCache
from numba.core.dispatcher import Dispatcher

#: The package whose sources every compiled function's cache depends on.
RULES_PACKAGE = "sim.rules"


def jit(function: Callable | None = None, /, **options: Any) -> Any:
    """``numba.njit`` for the model (see the module docstring): ``@jit`` or ``@jit(inline=
    "always")``; ``options`` go to numba (``nogil`` and ``error_model`` may be overridden,
    ``cache`` is always on, so the function must be defined in a source file).
    """

    def decorate(f: Callable) -> Any:
        settings = {"nogil": True, "error_model": "numpy", **options, "cache": True}
        compiled = numba.njit(**settings)(f)
        if isinstance(compiled, Dispatcher):  # not with NUMBA_DISABLE_JIT
            _follow_rules(compiled)
        return compiled

    return decorate if function is None else decorate(function)


@functools.cache
def rules_digest() -> str:
    """A digest of the sources of :data:`RULES_PACKAGE` (every ``.py`` file in it, by path
    and content), hex."""
    spec = importlib.util.find_spec(RULES_PACKAGE)
    folders = list(spec.submodule_search_locations or ()) if spec else []
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.py")):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _follow_rules(dispatcher: Dispatcher) -> None:
    """Add :func:`rules_digest` to the stamp of ``dispatcher``'s cache index."""
    try:
        cache_file = dispatcher._cache._cache_file
        cache_file._source_stamp = (cache_file._source_stamp, rules_digest())
    except AttributeError:  # numba's internals moved
        warnings.warn(
            f"sim.common.jit: cannot stamp numba's cache of {dispatcher.py_func.__qualname__}; "
            "it is compiled without a cache",
            RuntimeWarning,
            stacklevel=3,
        )
        dispatcher._cache = NullCache()


def follows_rules(function: Any) -> bool:
    """Whether ``function``'s cache is stamped with :func:`rules_digest` (a :func:`jit`
    function; True for a Python function, which has no cache)."""
    if not isinstance(function, Dispatcher):
        return True
    stamp = getattr(getattr(function._cache, "_cache_file", None), "_source_stamp", None)
    return isinstance(stamp, tuple) and len(stamp) == 2 and stamp[1] == rules_digest()


def is_cached(function: Any) -> bool:
    """Whether ``function`` has machine code in numba's cache for its present sources (its
    own file and, for a :func:`jit` function, ``sim/rules/``). True for a Python function
    (``NUMBA_DISABLE_JIT``: nothing to compile); False where the index cannot be read."""
    if not isinstance(function, Dispatcher):
        return True
    try:
        return bool(function._cache._cache_file._load_index())
    except Exception:  # numba's internals moved: take it as not cached
        return False
