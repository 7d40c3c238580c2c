"""Hostile input (issue 19): every case is one line on stderr, exit code 2, no traceback and
nothing written — not the output, not a temporary folder, and never a byte of the inputs.

The CLI is called in-process through its real entry point (:func:`sim.cli.main`), with the
working directory a fresh folder, so that "nothing written" is checked on the whole folder.
The Python API's cases check that the library's own error (:class:`SimInputError`, a
``ValueError``) is raised with a message naming the argument.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import sim
from sim.cli import main
from sim.common.errors import SimInputError
from sim.population.build import build_population

# --- helpers ----------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder below ``folder`` (hidden ones too) with its SHA-256."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "dir"
        for p in sorted(folder.rglob("*"))
    }


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """``sim <argv>`` in this process: exit code, stdout, stderr."""
    capsys.readouterr()
    try:
        main(list(argv))
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(capsys, where: Path, *argv: str, message: str, keep: Path | None = None):
    """``sim <argv>`` run in ``where`` exits 2 with one line containing ``message`` and
    leaves ``where`` (and ``keep``, an input elsewhere) exactly as they were."""
    before = tree(where)
    kept = tree(keep) if keep is not None else None
    code, out, err = cli(capsys, *argv)
    lines = err.splitlines()
    assert code == 2, (code, err)
    assert len(lines) == 1, err
    assert lines[0].startswith("sim: error: "), err
    assert message in lines[0], lines[0]
    assert "Traceback" not in err
    assert tree(where) == before, "something was written"
    if keep is not None:
        assert tree(keep) == kept, "an input was touched"


@pytest.fixture(scope="module")
def population(tmp_path_factory) -> Path:
    """A small calibrated population (2 000 dwellings: 1 000 cannot meet the monthly
    margins of issue 18), written by the real build."""
    out = tmp_path_factory.mktemp("reliability") / "pop"
    build_population(year=2024, n_households=2000, seed=3, out_dir=out)
    return out


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- sim household: amounts, counts and dates (kind: household) --------------------------

HOUSEHOLD = [
    (["--earnings", "1e12"], "above the bound"),
    (["--earnings", "1e308"], "above the bound"),
    (["--earnings", "nan"], "non-negative amount"),
    (["--earnings", "inf"], "non-negative amount"),
    (["--earnings", "-1"], "non-negative amount"),
    (["--earnings", "1000001"], "above the bound"),
    (["--adults", "2", "--earnings", "20000,1e15"], "above the bound"),
    (["--housing-cost", "1e308"], "above the bound"),
    (["--housing-cost", "nan"], "non-negative amount"),
    (["--housing-cost", "-5"], "non-negative amount"),
    (["--housing-cost", "200001"], "above the bound"),
    (["--arbetsresor", "1e308"], "above the bound"),
    (["--arbetsresor", "50001"], "above the bound"),
    (["--hushallsel", "inf"], "non-negative amount"),
    (["--hemforsakring", "nan"], "non-negative amount"),
    (["--fack-akassa", "-1"], "non-negative amount"),
    (["--norm-topup", "1e9"], "above the bound"),
    (["--other-income", "a_kassa=1e12"], "above the bound"),
    (["--other-income", "pension=nan"], "non-negative amount"),
    (["--earnings", "600000", "--other-income", "a_kassa=600000"], "together are above"),
    (["--months-on-fs", "100000"], "at most"),
    (["--months-on-fs", "-1"], "non-negative"),
    (["--jobbstimulans-months-used", "5000"], "at most"),
    (["--housing-limit-factor", "nan"], "housing_limit_factor"),
    (["--adults", "3"], "adults must be 1 or 2"),
    (["--child-ages", "3.5"], "whole years"),
]

DATES = [
    "2026-02-30",
    "2027-04-31",
    "2026-13",
    "2026-00",
    "20x6-01",
    "2026/01",
    "2026-01-01-01",
    "",
    "1800-01",
]


@pytest.mark.parametrize(("flags", "message"), HOUSEHOLD)
def test_household_amounts_and_counts(capsys, here, flags, message):
    assert_refused(capsys, here, "household", "--date", "2027-01", *flags, message=message)


@pytest.mark.parametrize("date", DATES)
def test_household_dates(capsys, here, date):
    assert_refused(capsys, here, "household", "--date", date, message="date")


# --- scenario files (kind: scenario file) -------------------------------------------------

SCENARIO_HEAD = (
    "name: x\ndescription: test\nbase: baseline\nchanges:\n  bidragstak.fourth_child_rule:\n"
)
SCENARIOS = [
    ("    2027-02-30: {set: 1, status: assumption, source: x}\n", "is not a real date"),
    ("    2027-13-01: {set: 1, status: assumption, source: x}\n", "is not a real date"),
    ("    2027-06: {set: 1, status: assumption, source: x}\n", "is not a date"),
    (
        "    2027-06-01: {set: 1, status: assumption, source: x}\n"
        "    2027-01-01: {set: 0, status: assumption, source: x}\n",
        "increasing order",
    ),
    (
        "    2027-01-01: {set: 1, status: assumption, source: x}\n"
        "    2027-01-01: {set: 0, status: assumption, source: x}\n",
        "duplicate key",
    ),
]


@pytest.mark.parametrize(("body", "message"), SCENARIOS)
def test_scenario_file_dates(capsys, tmp_path, monkeypatch, population, body, message):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "x.yaml").write_text(SCENARIO_HEAD + body)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    scenario = str(inputs / "x.yaml")
    assert_refused(
        capsys, work, "household", "--date", "2027-03", "--scenario", scenario, message=message
    )
    assert_refused(
        capsys,
        work,
        "run",
        "--scenarios",
        f"baseline,{scenario}",
        "--population",
        str(population),
        "--out",
        "out",
        message=message,
        keep=population,
    )


# --- sizes, seeds, replications, workers (kind: size) ------------------------------------

SIZES = [
    (["population", "--out", "p", "--households", str(10**15)], "at most"),
    (["population", "--out", "p", "--households", "0"], "must be positive"),
    (["population", "--out", "p", "--households", "1e15"], "valid integer"),
    (["population", "--out", "p", "--seed", "-1"], "non-negative"),
    (["population", "--out", "p", "--seed", str(2**64)], "at most"),
    (["sweep", "--out", "s", "--replications", str(10**12)], "at most"),
    (["sweep", "--out", "s", "--replications", "0"], "must be positive"),
    (["sweep", "--out", "s", "--replications", "1e12"], "valid integer"),
    (["sweep", "--out", "s", "--households", str(10**12)], "at most"),
    (["sweep", "--out", "s", "--workers", "100000"], "at most"),
    (["sweep", "--out", "s", "--seed", "-3"], "non-negative"),
    (["bench", "--households", str(10**15)], "at most"),
    (["bench", "--households", "100", "--workers", "0"], "--workers must be at least 1"),
    (["run", "--out", "r", "--seed", "-1"], "non-negative"),
    (["run", "--out", "r", "--year", "1999", "--scenarios", "baseline"], "year 1999"),
]


@pytest.mark.parametrize(("argv", "message"), SIZES)
def test_sizes_seeds_replications(capsys, here, argv, message):
    assert_refused(capsys, here, *argv, message=message)


# --- output paths, found before any work (kind: output path) -----------------------------


def _paths(here: Path, population: Path) -> list[tuple[list[str], str]]:
    (here / "a_file").write_text("not a folder")
    long_name = "x" * 250
    return [
        (["run", "--out", "a_file", "--force"], "is not a folder"),
        (["run", "--out", "a_file/out"], "which is a file"),
        (["run", "--out", "a_file/deeper/out"], "which is a file"),
        (["run", "--out", long_name], "too long"),
        (["run", "--out", "/".join(["d" * 200] * 25)], "too long"),
        (["run", "--out", "x", "--lang", "xx"], "unknown language"),
        (["run", "--out", ""], "empty"),
        (["population", "--out", "a_file", "--force"], "is not a folder"),
        (["population", "--out", "a_file/pop"], "which is a file"),
        (["population", "--out", long_name], "too long"),
        (["sweep", "--out", "a_file/s"], "which is a file"),
        (["sweep", "--out", "s", "--lang", "xx"], "unknown language"),
        (["report", "--from", "a_file"], "no such output folder"),
        (["report", "--from", "nowhere", "--lang", "xx"], "unknown language"),
    ]


def test_output_paths_refused_before_work(capsys, here, population):
    cases = _paths(here, population)
    for argv, message in cases:
        if argv[0] == "run":
            argv = [*argv, "--population", str(population), "--scenarios", "baseline"]
        assert_refused(capsys, here, *argv, message=message, keep=population)
    assert len(cases) == 14


def test_output_existing_needs_force(capsys, here, population):
    (here / "out").mkdir()
    (here / "out" / "mine.txt").write_text("keep")
    assert_refused(
        capsys,
        here,
        *("run", "--out", "out", "--population", str(population), "--scenarios", "baseline"),
        message="use --force",
        keep=population,
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_output_unwritable(capsys, here, population):
    locked = here / "locked"
    locked.mkdir(mode=0o555)
    assert_refused(
        capsys,
        here,
        *("run", "--out", "locked/out", "--population", str(population), "--scenarios", "baseline"),
        message="not writable",
        keep=population,
    )


# --- an output may never be, contain or lie inside an input (kind: overlap) --------------


def test_run_never_touches_its_population(capsys, tmp_path, monkeypatch, population):
    """Whatever the paths, the population folder keeps every byte (the data-loss bug)."""
    copy = tmp_path / "data" / "pop"
    shutil.copytree(population, copy)
    monkeypatch.chdir(tmp_path)
    profile = tmp_path / "profile.yaml"
    profile.write_text("name: x\n")
    cases = [
        ["--out", str(copy), "--force"],
        ["--out", str(copy / "results")],
        ["--out", str(copy / "a" / "b"), "--force"],
        ["--out", str(copy.parent), "--force"],
        ["--out", str(tmp_path), "--force"],
        ["--out", "data/pop/../pop", "--force"],
        ["--out", str(profile), "--force", "--kommun-profile", str(profile)],
    ]
    for flags in cases:
        assert_refused(
            capsys,
            tmp_path,
            *("run", "--population", str(copy), "--scenarios", "baseline", *flags),
            message="overlaps the input",
        )
    link = tmp_path / "link"
    link.symlink_to(copy)
    assert_refused(
        capsys,
        tmp_path,
        *("run", "--population", str(copy), "--scenarios", "baseline", "--out", "link", "--force"),
        message="overlaps the input",
    )
    assert tree(copy) == tree(population)


def test_sweep_and_population_never_overlap_their_inputs(capsys, tmp_path, monkeypatch, population):
    copy = tmp_path / "pop"
    shutil.copytree(population, copy)
    monkeypatch.chdir(tmp_path)
    for argv in (
        ["sweep", "--population", str(copy), "--out", str(copy), "--force"],
        ["sweep", "--population", str(copy), "--out", str(copy / "s")],
        ["sweep", "--population", str(copy), "--out", str(copy / "s"), "--resume"],
    ):
        assert_refused(capsys, tmp_path, *argv, message="overlaps the input")
    assert tree(copy) == tree(population)


# --- population folders (kind: population) ------------------------------------------------


def _rewrite(folder: Path, table: str, change) -> None:
    """Rewrite ``table`` with ``change`` and record its new hash (only the schema or the
    weights are then wrong, not the manifest)."""
    path = folder / f"{table}.parquet"
    change(pl.read_parquet(path)).write_parquet(path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _nan_weight(frame: pl.DataFrame) -> pl.DataFrame:
    weight = frame["weight"].to_numpy().copy()
    weight[0] = np.nan
    return frame.with_columns(pl.Series("weight", weight))


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


POPULATION_DAMAGE = {
    "altered parquet": (lambda f: _flip_byte(f / "persons.parquet"), "altered since"),
    "altered report": (lambda f: _flip_byte(f / "summary.json"), "altered since"),
    "missing table": (lambda f: (f / "households.parquet").unlink(), "missing"),
    "NaN weight": (lambda f: _rewrite(f, "households", _nan_weight), "weights are NaN"),
    "negative weight": (
        lambda f: _rewrite(f, "persons", lambda t: t.with_columns(-pl.col("weight"))),
        "negative",
    ),
    "missing column": (
        lambda f: _rewrite(f, "persons", lambda t: t.drop("age")),
        "'age' is missing",
    ),
    "wrong type": (
        lambda f: _rewrite(f, "persons", lambda t: t.with_columns(pl.col("age").cast(pl.Float64))),
        "expected int64",
    ),
    "not parquet": (lambda f: _replace_text(f, "dwellings.parquet"), "not a readable parquet"),
    "no hashes": (lambda f: _drop_key(f, "files"), "no file hashes"),
    "no seed": (lambda f: _drop_key(f, "seed"), "no seed"),
}


def _replace_text(folder: Path, name: str) -> None:
    (folder / name).write_text("not parquet")
    _rehash(folder, name)


def _rehash(folder: Path, name: str) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))


def _drop_key(folder: Path, key: str) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest[key]
    (folder / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("damage", sorted(POPULATION_DAMAGE))
def test_population_verified_before_a_run(capsys, tmp_path, monkeypatch, population, damage):
    copy = tmp_path / "pop"
    shutil.copytree(population, copy)
    spoil, message = POPULATION_DAMAGE[damage]
    spoil(copy)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert_refused(
        capsys,
        work,
        *("run", "--population", str(copy), "--scenarios", "baseline", "--out", "out"),
        message=message,
        keep=copy,
    )
    with pytest.raises(SimInputError, match=re.escape(message)):
        sim.run(["baseline"], population=copy)


# --- the Python API (kind: API) -----------------------------------------------------------

API = [
    ({"adults": True}, "adults"),
    ({"adults": "2"}, "adults must be the whole number"),
    ({"adults": 2.0}, "adults"),
    ({"child_ages": "3,7"}, "child_ages must be a list"),
    ({"child_ages": [3.5]}, "whole years"),
    ({"child_ages": 3}, "child_ages must be a list"),
    ({"adult_ages": ["35"]}, "whole years"),
    ({"housing_cost": "9000"}, "housing_cost must be a number"),
    ({"housing_cost": None}, "housing_cost must be a number"),
    ({"housing_cost": float("nan")}, "non-negative"),
    ({"earnings": [float("inf")]}, "non-negative"),
    ({"earnings": "25000"}, "earnings must be a list"),
    ({"earnings": [1e12]}, "above the bound"),
    ({"other_income": "a_kassa=1"}, "other_income must be a mapping"),
    ({"other_income": {"a_kassa": "1"}}, "must be a number"),
    ({"other_income": {1: 5.0}}, "names must be texts"),
    ({"other_income": {"a_kassa": True}}, "must be a number"),
    ({"months_on_fs": 1.5}, "whole number"),
    ({"preschool_lunch": "yes"}, "True or False"),
    ({"arbetsresor": 1e308}, "above the bound"),
    ({"date": None}, "date must be"),
    ({"date": 202601}, "date must be"),
    ({"date": "2026-02-30"}, "not a month"),
    ({"scenario": None}, "scenario must be"),
]


@pytest.mark.parametrize(("arguments", "message"), API)
def test_python_api_raises_the_documented_error(arguments, message):
    arguments = {"date": "2027-01", **arguments}
    with pytest.raises(SimInputError, match=message):
        sim.household(**arguments)


def test_the_bounds_themselves_are_accepted():
    """The bounds refuse nothing a real household has: each amount at its bound computes."""
    at_bound = sim.household(
        date="2027-01",
        adults=2,
        earnings=[1_000_000, 0],
        other_income={"a_kassa.2": 1_000_000},
        housing_cost=200_000,
        arbetsresor=50_000,
    )
    assert at_bound["forsorjningsstod"] == 0.0
    typical = sim.household(date="2027-01", adults=1, housing_cost=9_000)
    assert typical["forsorjningsstod"] > 0


RUN_API = [
    ({"year": "2027"}, "year must be a whole number"),
    ({"year": 2027.0}, "year must be a whole number"),
    ({"seed": -1}, "non-negative"),
    ({"seed": 1.5}, "whole number"),
    ({"scenarios": [None]}, "scenarios must be a list"),
    ({"population": 5}, "population must be a folder"),
]


@pytest.mark.parametrize(("arguments", "message"), RUN_API)
def test_python_run_raises_the_documented_error(population, arguments, message):
    arguments = {"scenarios": ["baseline"], "population": population, **arguments}
    with pytest.raises(SimInputError, match=message):
        sim.run(**arguments)
