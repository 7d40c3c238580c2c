"""``sim population`` on bad input: one line on stderr, exit code 2, nothing left behind."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run_cli(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", "population", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--households", "0"], "must be positive"),
        (["--households", "-5"], "must be positive"),
        (["--year", "1999"], "year 1999 is not supported"),
        (["--seed", "-1"], "seed must be a non-negative integer"),
    ],
)
def test_bad_input_prints_one_line_and_exits_2(tmp_path, flags, message):
    out = tmp_path / "pop"
    done = run_cli("--out", str(out), *flags, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("sim: error: ") and message in lines[0], lines[0]
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary folder either


def test_existing_folder_without_force(tmp_path):
    out = tmp_path / "pop"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    done = run_cli("--out", str(out), "--households", "100", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "exists" in lines[0] and "--force" in lines[0], done.stderr
    assert (out / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pop"]
