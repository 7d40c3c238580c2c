"""The output contract under faults (issue 19): SIGKILL while writing and while swapping,
two writers at once, leftovers of dead runs, folder modes, the results digest of
``sim report --from``, byte-identical reruns, and the sweep's message when Dask cancels.

Writers are real ``sim`` processes stopped at an exact point by the test hook of
:mod:`sim.common.safe_write` (``SIM_TEST_PAUSE_AT``) and then killed with SIGKILL; after each kill
the target must hold the old folder or the new one, whole (every file as its manifest
says), and the next writer must clean up what the dead one left.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from sim.common.errors import SimInputError
from sim.common.safe_write import output_folder, writer_lock
from sim.population.build import build_population
from sim.population.verify import verify_files
from sim.runs import read_population

POPULATION_ARGS = ("--households", "2000", "--year", "2024")


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with its SHA-256 (folders as "dir")."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "dir"
        for p in sorted(folder.rglob("*"))
    }


def leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


def start_paused(argv: list[str], point: str, flag: Path, **env: str) -> subprocess.Popen:
    """Start ``sim <argv>`` and wait until it stops at ``point`` (it writes ``flag``)."""
    environment = {
        **os.environ,
        "SIM_TEST_PAUSE_AT": point,
        "SIM_TEST_PAUSE_FILE": str(flag),
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", *argv],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while not flag.exists():
        if process.poll() is not None:
            raise AssertionError(f"the writer ended before {point}: {process.stderr.read()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the writer never reached {point}")
        time.sleep(0.1)
    assert int(flag.read_text()) == process.pid
    return process


def kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL


def sim(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *argv], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def assert_whole_population(folder: Path, seed: int) -> None:
    """``folder`` is a complete population of ``seed``: every file as its manifest says."""
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["seed"] == seed
    verify_files(folder, manifest)


@pytest.fixture(scope="module")
def old_population(tmp_path_factory) -> Path:
    """The folder already at the target before each write: a population of seed 3."""
    out = tmp_path_factory.mktemp("old") / "pop"
    build_population(year=2024, n_households=2000, seed=3, out_dir=out)
    return out


@pytest.fixture
def target(tmp_path, old_population) -> Path:
    target = tmp_path / "pop"
    shutil.copytree(old_population, target)
    return target


def clean_with_a_failing_writer(target: Path) -> list[str]:
    """Take the lock as the next writer does (which cleans up), then fail: returns what
    was cleaned; the target itself stays as it is."""
    with pytest.raises(RuntimeError), output_folder(target, force=True) as writer:
        cleaned = writer.cleaned
        raise RuntimeError("stop before writing")
    return cleaned


# --- SIGKILL ------------------------------------------------------------------------------


def test_kill_while_writing_keeps_the_old_folder(tmp_path, target):
    old = tree(target)
    writer = start_paused(
        ["population", "--out", str(target), *POPULATION_ARGS, "--seed", "4", "--force"],
        "writing",
        tmp_path / "flag",
    )
    kill(writer)
    assert tree(target) == old  # the old folder, whole
    # The dead run's half-written folder, and its lock file (no longer locked).
    assert leftovers(target) == [".pop.lock", f".pop.tmp-{writer.pid}"]
    cleaned = clean_with_a_failing_writer(target)
    assert cleaned == [
        f"removed {target.parent / f'.pop.tmp-{writer.pid}'} (left by a run that died)"
    ]
    assert leftovers(target) == []
    assert tree(target) == old


def test_kill_while_swapping_gives_the_new_folder(tmp_path, target):
    """On Linux the swap is one atomic exchange: killed just after it, the target is the
    new folder, whole, and the old one waits beside to be deleted by the next writer."""
    writer = start_paused(
        ["population", "--out", str(target), *POPULATION_ARGS, "--seed", "4", "--force"],
        "swap",
        tmp_path / "flag",
    )
    kill(writer)
    assert_whole_population(target, seed=4)
    assert leftovers(target) == [".pop.lock", f".pop.tmp-{writer.pid}"]  # tmp: the old folder
    assert_whole_population(target.parent / f".pop.tmp-{writer.pid}", seed=3)
    clean_with_a_failing_writer(target)
    assert leftovers(target) == []
    assert_whole_population(target, seed=4)


def test_kill_between_the_two_renames_restores_the_old_folder(tmp_path, target):
    """The portable swap (old aside, new in): killed between the renames, the next writer
    puts the old folder back whole and deletes the new one."""
    old = tree(target)
    writer = start_paused(
        ["population", "--out", str(target), *POPULATION_ARGS, "--seed", "4", "--force"],
        "swap",
        tmp_path / "flag",
        SIM_TEST_NO_EXCHANGE="1",
    )
    kill(writer)
    assert not target.exists()
    assert leftovers(target) == [".pop.lock", f".pop.old-{writer.pid}", f".pop.tmp-{writer.pid}"]
    with pytest.raises(SimInputError, match="a run died while replacing it"):
        read_population(target)  # a reader meanwhile is told what happened
    cleaned = clean_with_a_failing_writer(target)
    assert any(line.startswith(f"restored {target}") for line in cleaned), cleaned
    assert tree(target) == old
    assert leftovers(target) == []


def test_the_portable_swap_completes(tmp_path, monkeypatch):
    """Without the exchange the write still ends with the new folder and no leftovers."""
    monkeypatch.setenv("SIM_TEST_NO_EXCHANGE", "1")
    target = tmp_path / "out"
    for text in ("old", "new"):
        with output_folder(target, force=True) as writer:
            (writer.tmp / "a.txt").write_text(text)
    assert (target / "a.txt").read_text() == "new"
    assert leftovers(target) == []


# --- two writers --------------------------------------------------------------------------


def test_a_second_writer_is_refused_with_one_line(tmp_path, target):
    old = tree(target)
    first = start_paused(
        ["population", "--out", str(target), *POPULATION_ARGS, "--seed", "4", "--force"],
        "writing",
        tmp_path / "flag",
    )
    try:
        second = sim("population", "--out", str(target), *POPULATION_ARGS, "--seed", "5", "--force")
        assert second.returncode == 2
        lines = second.stderr.splitlines()
        assert len(lines) == 1, second.stderr
        assert f"is being written by another sim process (pid {first.pid})" in lines[0]
        assert "Traceback" not in second.stderr
        assert tree(target) == old  # the refused writer wrote nothing
        assert leftovers(target) == [".pop.lock", f".pop.tmp-{first.pid}"]
    finally:
        kill(first)
    # The kernel dropped the dead writer's lock: the next writer goes ahead.
    assert clean_with_a_failing_writer(target)
    assert tree(target) == old


def test_the_lock_is_held_for_the_whole_write(tmp_path):
    target = tmp_path / "out"
    with (
        writer_lock(target),
        pytest.raises(SimInputError, match="being written by another sim process"),
        output_folder(target),
    ):
        pass
    assert not target.exists()
    with output_folder(target) as writer:
        (writer.tmp / "a.txt").write_text("a")
    assert (target / "a.txt").read_text() == "a"
    assert leftovers(target) == []  # the lock file is gone too


# --- folder modes -------------------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o755), (0o027, 0o750), (0o002, 0o775)])
def test_folder_modes_follow_the_umask(tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        target = tmp_path / "new" / "out"
        with output_folder(target) as writer:
            (writer.tmp / "charts").mkdir()
    finally:
        os.umask(previous)
    assert (target.stat().st_mode & 0o777) == mode
    assert ((target / "charts").stat().st_mode & 0o777) == mode
    assert ((tmp_path / "new").stat().st_mode & 0o777) == mode


def test_a_symlinked_target_is_written_where_it_points(tmp_path):
    real = tmp_path / "real"
    with output_folder(real) as writer:
        (writer.tmp / "a.txt").write_text("old")
    link = tmp_path / "link"
    link.symlink_to(real)
    with output_folder(link, force=True) as writer:
        (writer.tmp / "a.txt").write_text("new")
    assert link.is_symlink() and (link / "a.txt").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_a_failed_write_leaves_nothing(tmp_path):
    target = tmp_path / "out"
    with pytest.raises(ZeroDivisionError), output_folder(target) as writer:
        (writer.tmp / "half.txt").write_text("half")
        1 / 0  # noqa: B018
    assert list(tmp_path.iterdir()) == []


# --- sim run: byte-identical, killed, report digest ----------------------------------------


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, old_population) -> tuple[Path, Path]:
    """``sim run`` of the baseline alone (the run that crashed in the change-bands chart),
    moved aside so that a second run can write to the same path: (folder, out path)."""
    root = tmp_path_factory.mktemp("runs")
    out = root / "out"
    done = sim(
        "run",
        *("--scenarios", "baseline", "--population", str(old_population), "--out", str(out)),
        cwd=root,
    )
    assert done.returncode == 0, done.stderr
    first = root / "first"
    out.rename(first)
    return first, out


def test_two_identical_runs_give_identical_bytes(first_run, old_population):
    """Every file byte for byte; in manifest.json only the run's date may differ (it is the
    one value that must vary, documented in docs/outputs.md)."""
    first, out = first_run
    done = sim(
        "run",
        *("--scenarios", "baseline", "--population", str(old_population), "--out", str(out)),
        cwd=out.parent,
    )
    assert done.returncode == 0, done.stderr
    a, b = tree(first), tree(out)
    assert sorted(a) == sorted(b)
    assert any(name.endswith(".svg") for name in a) and "results.xlsx" in a
    different = sorted(name for name in a if a[name] != b[name])
    assert different in ([], ["manifest.json"]), different
    manifest_a = json.loads((first / "manifest.json").read_text())
    manifest_b = json.loads((out / "manifest.json").read_text())
    manifest_a.pop("created")
    manifest_b.pop("created")
    assert manifest_a == manifest_b
    shutil.rmtree(out)


def test_source_date_epoch_fixes_the_manifest_date(tmp_path, monkeypatch):
    from sim.outputs.provenance import run_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert run_date().isoformat() == "2026-09-21"


def test_kill_while_writing_a_run_keeps_the_old_results(tmp_path, first_run, old_population):
    out = tmp_path / "out"
    shutil.copytree(first_run[0], out)
    old = tree(out)
    population = tree(old_population)
    writer = start_paused(
        [
            *("run", "--scenarios", "baseline", "--population", str(old_population)),
            *("--out", str(out), "--force", "--lang", "en"),
        ],
        "writing",
        tmp_path / "flag",
    )
    kill(writer)
    assert tree(out) == old
    assert tree(old_population) == population


def cli_in_process(capsys, *argv: str) -> tuple[int, str]:
    """``sim <argv>`` through its entry point in this process: exit code and stderr."""
    from sim.cli import main

    capsys.readouterr()
    try:
        main(list(argv))
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    return code, capsys.readouterr().err


def test_report_from_checks_the_results_digest(tmp_path, capsys, first_run):
    folder = tmp_path / "out"
    shutil.copytree(first_run[0], folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["results_sha256"]) == {
        "results.parquet",
        "results.csv",
        "results.xlsx",
        "results_excel.csv",
    }
    rebuilt = sim("report", "--from", str(folder), "--force", "--lang", "en")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert leftovers(folder) == []
    for name in (
        "results.parquet",
        "results.csv",
        "results.xlsx",
        "results_excel.csv",
        "manifest.json",
    ):
        assert tree(folder)[name] == tree(first_run[0])[name]
    assert 'lang="en"' in (folder / "report.html").read_text()
    # Altered as a user would: a value changed, the file still readable.
    alterations = {
        "results.csv": lambda p: p.write_text(p.read_text().replace("baseline", "basline", 1)),
        "results.parquet": lambda p: (
            pl.read_parquet(p).with_columns(pl.col("value") * 1.01).write_parquet(p)
        ),
        "results.xlsx": lambda p: p.write_bytes(p.read_bytes() + b"\0"),
        "results_excel.csv": lambda p: p.write_bytes(p.read_bytes().replace(b";", b",", 1)),
    }
    for name, alter in alterations.items():
        path = folder / name
        alter(path)
        before = tree(folder)
        code, err = cli_in_process(capsys, "report", "--from", str(folder), "--force")
        assert code == 2
        lines = err.splitlines()
        assert len(lines) == 1 and f"{name}: altered since the run" in lines[0], err
        assert tree(folder) == before
        shutil.copyfile(first_run[0] / name, path)


# --- the sweep when Dask cancels a replication ---------------------------------------------


def test_sweep_cancelled_replication_reads_clearly(tmp_path):
    """Dask gives a cancelled future no exception: the message says what happened instead
    of "cancelled: NoneType: None"."""
    from distributed import Client

    from sim.uncertainty.dask_executor import task_failure
    from sim.uncertainty.spec import SweepStopped
    from sim.uncertainty.sweep import sweep_stopped

    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as c:
        future = c.submit(time.sleep, 3, pure=False)
        future.cancel()
        deadline = time.monotonic() + 30
        while future.status != "cancelled" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert future.status == "cancelled"
        assert future.exception() is None  # what produced "NoneType: None"
        with pytest.raises(SweepStopped) as stopped:
            raise sweep_stopped(task_failure(future, 7, c), tmp_path, 10)
    message = str(stopped.value)
    assert message.startswith("sweep stopped: replication 7 was cancelled by the Dask scheduler")
    assert "workers that keep dying" in message and "NoneType" not in message
    assert message.endswith(
        "0 of 10 replications kept in " + str(tmp_path) + "; rerun with --resume"
    )
