"""`sim run` end to end on a small population: the output folder and its guarantees."""

from __future__ import annotations

import json
import subprocess
import sys

import polars as pl
import pytest

from sim.runs import METRICS


def sim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def run_dir(small_population_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    run = sim(
        "run",
        "--scenarios",
        "baseline,bidragstak,aktivitetskrav,kombinerad",
        "--year",
        "2027",
        "--population",
        str(small_population_dir),
        "--out",
        str(out),
    )
    assert run.returncode == 0, run.stderr
    return out


def test_output_folder_has_the_tidy_table(run_dir):
    for name in ("results.parquet", "results.csv", "manifest.json"):
        assert (run_dir / name).is_file(), name
    table = pl.read_parquet(run_dir / "results.parquet")
    assert table.columns == ["scenario", "metric", "group", "value", "low", "high"]
    assert pl.read_csv(run_dir / "results.csv").shape == table.shape
    scenarios = set(table["scenario"])
    assert {
        "baseline",
        "bidragstak",
        "aktivitetskrav",
        "kombinerad",
        "kombinerad/statisk",
    } <= scenarios
    for scenario in ("baseline", "bidragstak", "aktivitetskrav", "kombinerad"):
        metrics = set(table.filter(pl.col("scenario") == scenario)["metric"])
        assert set(METRICS) <= metrics, scenario


def test_the_reforms_move_the_numbers_the_right_way(run_dir):
    table = pl.read_parquet(run_dir / "results.parquet")

    def value(scenario, metric):
        return table.filter((pl.col("scenario") == scenario) & (pl.col("metric") == metric))[
            "value"
        ][0]

    assert value("bidragstak", "fs_paid_sek_year") < value("baseline", "fs_paid_sek_year")
    assert value("bidragstak", "households_with_lower_fs") > 0
    assert value("baseline", "households_with_lower_fs") == 0
    assert value("baseline", "persons_covered_aktivitetskrav") == 0
    assert value("aktivitetskrav", "persons_covered_aktivitetskrav") > 0
    assert value("kombinerad", "jobbpremie_paid_sek_year") > 0
    assert 0 < value("baseline", "poverty_rate") < 1


def test_manifest_records_what_was_run(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["year"] == 2027 and manifest["seed"] == 5
    assert [s["name"] for s in manifest["scenarios"]] == [
        "baseline",
        "bidragstak",
        "aktivitetskrav",
        "kombinerad",
    ]
    assert set(manifest["law_digest"]) == {"baseline", "bidragstak", "aktivitetskrav", "kombinerad"}


def test_existing_folder_is_not_overwritten(run_dir, small_population_dir):
    before = (run_dir / "results.csv").read_bytes()
    run = sim(
        "run",
        "--scenarios",
        "bidragstak",
        "--population",
        str(small_population_dir),
        "--out",
        str(run_dir),
    )
    assert run.returncode == 2 and "--force" in run.stderr
    assert (run_dir / "results.csv").read_bytes() == before


def test_same_seed_gives_byte_identical_results(small_population_dir, tmp_path):
    outs = []
    for name in ("a", "b"):
        run = sim(
            "run",
            "--scenarios",
            "kombinerad",
            "--population",
            str(small_population_dir),
            "--out",
            str(tmp_path / name),
        )
        assert run.returncode == 0, run.stderr
        outs.append((tmp_path / name / "results.csv").read_bytes())
    assert outs[0] == outs[1]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--year", "2031"], "outside"),
        (["--scenarios", "utopia"], "unknown scenario 'utopia'"),
        (["--scenarios", ","], "names no scenario"),
    ],
)
def test_bad_run_input(small_population_dir, tmp_path, args, fragment):
    out = tmp_path / "out"
    run = sim("run", "--population", str(small_population_dir), "--out", str(out), *args)
    assert run.returncode == 2
    assert fragment in run.stderr and "Traceback" not in run.stderr
    assert len([line for line in run.stderr.splitlines() if line.startswith("sim: error")]) == 1
    assert not out.exists()
    assert not list(tmp_path.glob(".out.*"))


def test_missing_population_folder(tmp_path):
    run = sim("run", "--population", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert run.returncode == 2 and "not a population folder" in run.stderr
