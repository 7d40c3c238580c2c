"""A first run that talks (issue 20): progress, the compile stage, the terminal summary,
``sim --version``, and the install split of the Makefile."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from sim.cli import main
from sim.common.progress import RunProgress, Step, month_label
from sim.engine.chunks import readonly
from sim.metrics.results import METRIC_INFO
from sim.outputs.run_summary import run_summary

ROOT = Path(__file__).resolve().parent.parent


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """``sim <argv>`` in this process: exit code, stdout, stderr."""
    try:
        main(list(argv))
        code = 0
    except SystemExit as stop:
        code = stop.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- sim --version ------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_prints_the_package_version_and_the_commit(flag):
    done = subprocess.run(
        [sys.executable, "-m", "sim", flag], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    match = re.fullmatch(r"sim (\S+)(?: \(git ([0-9a-f]{7})\))?\n", done.stdout)
    assert match, done.stdout
    assert match[1] == version("sim")
    head = subprocess.run(
        ["git", "rev-parse", "--short=7", "HEAD"], capture_output=True, text=True, cwd=ROOT
    )
    if head.returncode == 0:  # in a git checkout the commit is shown, and is HEAD
        assert match[2] == head.stdout.strip()


# --- progress -----------------------------------------------------------------------------


def test_plain_progress_is_one_short_swedish_line_per_stage_and_month():
    stream = io.StringIO()  # not a terminal
    with RunProgress(stream=stream) as progress:
        progress(Step("prepare", year=2027))
        for done, month in enumerate(range(-5, 13), start=1):
            progress(
                Step(
                    "months",
                    label=month_label(2027, month),
                    done=done,
                    total=18,
                    year=2027,
                    runs=10,
                )
            )
        progress(Step("charts"))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 + 18 + 1 + 1
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert lines[0].endswith("förbereder 2027")
    assert lines[9].endswith("simulerar 2027 (10 körningar): 2027-03 (9/18)")
    assert lines[1].endswith("2026-07 (1/18)") and lines[18].endswith("2027-12 (18/18)")
    assert lines[19].endswith("ritar diagram")
    assert re.fullmatch(r"klart på \d+ s", lines[-1])
    assert "\x1b" not in stream.getvalue()  # no terminal codes in a log


def test_progress_in_english():
    stream = io.StringIO()
    with RunProgress(lang="en", stream=stream) as progress:
        progress(Step("compile", seconds=60))
        progress(Step("report"))
    lines = stream.getvalue().splitlines()
    assert lines[0].endswith("compiling the model (first run only, about 60 s)")
    assert lines[1].endswith("writing the report")
    assert lines[2].startswith("done in ")


def test_a_held_first_stage_is_not_written_if_it_fails():
    stream = io.StringIO()
    with pytest.raises(ValueError), RunProgress(stream=stream, hold_first=True) as progress:
        progress(Step("population"))
        raise ValueError("bad input")
    assert stream.getvalue() == ""
    stream = io.StringIO()
    with RunProgress(stream=stream, hold_first=True) as progress:
        progress(Step("population"))
        progress(Step("prepare", year=2027))
    lines = stream.getvalue().splitlines()
    assert lines[0].endswith("läser befolkningen") and lines[1].endswith("förbereder 2027")


def test_progress_on_a_terminal_draws_bars_and_a_line_per_stage():
    stream = io.StringIO()
    with RunProgress(stream=stream, live=True) as progress:
        progress(Step("months", label="2027-03", done=9, total=18, year=2027, runs=4))
        progress(Step("charts"))
    text = stream.getvalue()
    assert "✓ simulerar 2027 (4 körningar)" in text and "✓ ritar diagram" in text
    assert "klart på" in text


def test_run_years_ticks_every_month_and_the_python_api_is_quiet(capsys):
    from sim.runs import DEFAULT_POPULATION, read_population, run_scenarios

    population, seed = read_population(DEFAULT_POPULATION)
    steps: list[str] = []
    run_scenarios(
        ["bidragstak"], year=2027, population=population, seed=seed, progress=steps.append
    )
    months = [s for s in steps if isinstance(s, Step) and s.stage == "months"]
    assert [s.label for s in months] == [month_label(2027, m) for m in range(-5, 13)]
    assert [s.done for s in months] == list(range(1, 19)) and {s.total for s in months} == {18}
    assert steps[0] == "prepare" and all(len(s) < 40 for s in steps)
    run_scenarios(["bidragstak"], year=2027, population=population, seed=seed)
    assert capsys.readouterr() == ("", "")


# --- the compile stage --------------------------------------------------------------------


def test_the_cache_is_cold_in_an_empty_cache_dir_and_warm_once_compiled(tmp_path):
    """numba's cache index, read by sim.precompile.is_cold: with NUMBA_CACHE_DIR empty every
    probe is missing; after one kernel has run it is found (the other probes dropped)."""
    script = textwrap.dedent(
        """
        import numpy as np
        import sim.precompile as pc
        cold = pc.is_cold()
        pc._PROBES = (("sim.engine.chunks", "_chunk_bounds"),)
        pc._PROBES_THREADS = pc._PROBES_ONE_THREAD = ()
        before = pc.is_cold()
        from sim.engine.chunks import chunk_bounds
        chunk_bounds(np.array([0, 0, 1]), 2)
        print(cold, before, pc.is_cold())
        """
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "False"]
    assert list((tmp_path / "cache").rglob("*_chunk_bounds*.nbi"))


def test_sim_compile_names_the_stage_when_the_cache_is_cold(capsys, monkeypatch):
    import sim.precompile as pc

    calls = []
    monkeypatch.setattr(pc, "is_cold", lambda: True)
    monkeypatch.setattr(pc, "precompile", lambda: calls.append(1) or 0.0)
    code, out, err = cli(capsys, "compile")
    assert code == 0 and calls == [1]
    expected = f"kompilerar modellen (endast första körningen, ca {pc.EXPECTED_SECONDS} s)"
    assert expected in err
    monkeypatch.setattr(pc, "is_cold", lambda: False)
    code, out, err = cli(capsys, "compile", "--lang", "en")
    assert code == 0 and calls == [1] and "already compiled" in err


def test_the_kernels_compile_one_version_each():
    """The cause of most of the first run's compiling: read-only and writable arrays of
    the same dtype are two types to numba. The kernels' inputs are passed read-only."""
    from sim.engine.chunks import _chunk_bounds, chunk_bounds

    idx = np.array([0, 0, 1, 1, 2])
    frozen = idx.copy()
    frozen.flags.writeable = False
    chunk_bounds(idx, 2)
    chunk_bounds(frozen, 2)
    assert len(_chunk_bounds.signatures) == 1
    assert all(a.mutable is False for a in _chunk_bounds.signatures[0][:1])
    view = readonly((idx, (idx, 2.0)))
    assert not view[0].flags.writeable and not view[1][0].flags.writeable
    assert idx.flags.writeable and view[1][1] == 2.0
    assert np.shares_memory(view[0], idx)  # a view, not a copy


# --- the terminal summary -----------------------------------------------------------------


def _table() -> pl.DataFrame:
    rows = []
    values = {
        "baseline": {
            "fs_paid_sek_year": 11_937_011_384.0,
            "fs_households_year": 148_600.4,
            "fs_children_year": 123_963.0,
            "poverty_rate": 0.142,
            "child_poverty_rate": 0.229,
            "households_with_lower_fs": 0.0,
        },
        "bidragstak/statisk": {
            "fs_paid_sek_year": 10_856_688_998.0,
            "fs_households_year": 142_213.0,
            "fs_children_year": 114_835.0,
            "poverty_rate": 0.143,
            "child_poverty_rate": 0.2305,
            "households_with_lower_fs": 148_600.0,
            "persons_sanctioned": 0.0,
        },
    }
    for scenario, metrics in values.items():
        for metric, value in metrics.items():
            rows.append((scenario, metric, "all", value, None, None))
    rows.append(("baseline", "fs_paid_sek_year", "decil:3", 1.0, None, None))
    schema = ["scenario", "metric", "group", "value", "low", "high"]
    return pl.DataFrame(rows, schema=schema, orient="row")


def test_summary_in_swedish_has_units_full_names_and_no_internal_names():
    text = run_summary(_table(), year=2027, out="out/2027")
    assert "Huvudresultat 2027" in text
    assert "Bidragstak (statisk)" in text and "Nuvarande regler" in text
    assert "Utbetalt försörjningsstöd: −1 080 mkr/år (−9,1 %)" in text
    assert "Utbetalt försörjningsstöd: 11 937 mkr/år" in text
    assert "Hushåll med försörjningsstöd under året: 148 600 hushåll" in text  # whole
    # Changes in percentage points with two decimals, as the charts show them.
    assert "Barnfattigdom (0-17, under 60 %): +0,15 procentenheter" in text
    assert "Relativ fattigdom (under 60 % av medianen): 14,2 %" in text
    assert "Hushåll med lägre försörjningsstöd: 148 600 hushåll" in text
    assert "Personer med sanktion" not in text  # zero: not shown
    assert str(Path("out/2027/report.html")) in text
    for key in METRIC_INFO:
        assert key not in text, key
    assert "/statisk" not in text and "baseline" not in text and "0.000" not in text


def test_summary_in_english():
    text = run_summary(_table(), year=2027, out="out", lang="en")
    assert "Benefit cap (static)" in text and "Current rules" in text
    # The house number format (sim.outputs.formatting.format_number): a real minus sign in both languages.
    assert "Försörjningsstöd paid: −1,080 SEK m/year (−9.1 %)" in text
    assert "+0.15 percentage points" in text and "Report: " in text


def test_sim_run_prints_progress_lines_and_the_summary(capsys, tmp_path, small_population_dir):
    out = tmp_path / "out"
    code, stdout, stderr = cli(
        capsys,
        "run",
        "--scenarios",
        "bidragstak",
        "--population",
        str(small_population_dir),
        "--out",
        str(out),
    )
    assert code == 0, stderr
    lines = stderr.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    for stage in ("läser befolkningen", "förbereder 2027", "ritar diagram", "skriver rapporten"):
        assert any(line.endswith(stage) for line in lines), stage
    assert any(line.endswith("): 2027-03 (9/18)") for line in lines), stderr
    assert "Bidragstak (statisk)" in stdout and "mkr/år" in stdout
    assert f"Rapport: {out / 'report.html'}" in stdout
    for key in METRIC_INFO:
        assert key not in stdout, key


def test_bad_input_is_still_one_line(capsys, tmp_path, small_population_dir):
    code, _, err = cli(
        capsys,
        "run",
        "--year",
        "1999",
        "--population",
        str(small_population_dir),
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 2 and len(err.splitlines()) == 1 and "year 1999" in err
    assert not (tmp_path / "out").exists()


# --- the install split --------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_run_installs_the_runtime_only_and_make_test_the_dev_tools():
    def commands(target: str) -> str:
        done = subprocess.run(
            ["make", "-n", "-B", target], capture_output=True, text=True, cwd=ROOT, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run = commands("run")
    assert "pip install --quiet -c constraints.txt -e .\n" in run and ".[dev]" not in run
    assert "sim compile" in run and "a few minutes the first time" in run
    test = commands("test")
    assert "pip install --quiet -c constraints.txt -e '.[dev]'" in test and "pytest" in test
