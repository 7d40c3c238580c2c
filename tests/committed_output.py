"""One `sim run` on the committed population per test session, shared by the tests of the
charts, the report and the API (a helper module, not a test file)."""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import sys
import tempfile
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
def run_folder() -> Path:
    """`sim run` of the four main scenarios for 2027 (Swedish report). Its time is a
    benchmark, not a test: see docs/performance.md."""
    out = _root() / "run-sv"
    done = sim("run", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


@functools.cache
def english_folder() -> Path:
    """A copy of :func:`run_folder` whose report was rebuilt in English."""
    out = _root() / "run-en"
    shutil.copytree(run_folder(), out)
    done = sim("report", "--from", str(out), "--lang", "en", "--force")
    assert done.returncode == 0, done.stderr
    return out
