"""One `sim run` on the committed population per test session, shared by the tests of the
charts, the report and the API (a helper module, not a test file)."""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def sim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, timeout=600
    )


@functools.cache
def _root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="sim-output-tests-"))
    atexit.register(shutil.rmtree, root, True)
    return root


@functools.cache
def run_folder() -> tuple[Path, float]:
    """`sim run` of the four main scenarios for 2027 (Swedish report): folder, seconds."""
    out = _root() / "run-sv"
    start = time.perf_counter()
    done = sim("run", "--out", str(out))
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    return out, seconds


@functools.cache
def english_folder() -> tuple[Path, float]:
    """A copy of :func:`run_folder` whose report was rebuilt in English: folder, seconds."""
    source, _ = run_folder()
    out = _root() / "run-en"
    shutil.copytree(source, out)
    start = time.perf_counter()
    done = sim("report", "--from", str(out), "--lang", "en", "--force")
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    return out, seconds
