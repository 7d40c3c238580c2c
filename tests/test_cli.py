"""The command line as a user meets it: real processes, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def sim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, timeout=120
    )


def test_household_text_walks_the_calculation_with_sources():
    run = sim(
        "household",
        "--date",
        "2026-03",
        "--adults",
        "2",
        "--child-ages",
        "3,7,12",
        "--housing-cost",
        "8000",
    )
    assert run.returncode == 0, run.stderr
    assert "Riksnorm" in run.stdout and "Försörjningsstöd" in run.stdout
    assert "SFS 2025:1046" in run.stdout
    assert "https://" in run.stdout


def test_household_json_has_the_documented_keys():
    run = sim(
        "household", "--date", "2026-03", "--child-ages", "4", "--housing-cost", "6000", "--json"
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data) == {"date", "household", "units", "baseline"}
    amounts = data["baseline"]["amounts"]
    for key in (
        "riksnorm",
        "reasonable_costs",
        "counted_income",
        "net_earnings",
        "barnbidrag",
        "bostadsbidrag",
        "underhallsstod",
        "forsorjningsstod",
        "disposable_income",
    ):
        assert key in amounts and data["units"][key] == "SEK/month", key
    assert amounts["riksnorm"] == 3940 + 3060 + 1410
    assert all("url" in source for source in data["baseline"]["sources"].values())


def test_other_income_for_the_second_adult():
    run = sim(
        "household",
        "--date",
        "2026-03",
        "--adults",
        "2",
        "--other-income",
        "a_kassa.2=9000",
        "--json",
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["baseline"]["amounts"]["gross_income"] == 9000


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--adults", "0"], "adults must be 1 or 2"),
        (["--adults", "x"], "--adults"),
        (["--adult-ages", "-1"], "adult age -1"),
        (["--child-ages", "-1"], "child age -1"),
        (["--child-ages", ",".join(["4"] * 200)], "200 children"),
        (["--child-ages", "four"], "child ages"),
        (["--earnings", "lots"], "earnings"),
        (["--other-income", "lottery=5"], "unknown income 'lottery'"),
        (["--other-income", "a_kassa"], "name=amount"),
        (["--housing-cost", "-5"], "housing_cost"),
        (["--scenario", "utopia"], "unknown scenario"),
        (["--bogus"], "No such option"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(args, fragment):
    run = sim("household", "--date", "2026-03", *args)
    assert run.returncode == 2, (run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert fragment in lines[0]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("date", ["2029-03", "2019-01", "2026-13", "March"])
def test_bad_dates_give_one_line_and_exit_2(date):
    run = sim("household", "--date", date)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr


def test_examples_print_a_table():
    run = sim("examples")
    assert run.returncode == 0, run.stderr
    assert "Sambor, 5 barn" in run.stdout
