"""`sim bench`: what it prints, that its figures are the model's, and bad input.

Timings are not tested (benchmarks are measured, docs/performance.md); the figures the bench
computes are, against the same month computed directly with person-level arrays.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import numpy as np
import pytest

from sim import metrics as m
from sim.bench import PART_DWELLINGS, REFORM, YEAR, bench
from sim.engine import compute
from sim.population.generate import generate
from sim.projection import project_population
from sim.scenarios import load_scenario

FIELDS = {
    "n_households",
    "n_persons",
    "months",
    "reform",
    "seconds_build",
    "seconds_compile",
    "seconds_compute",
    "seconds_metrics",
    "seconds_total",
    "ns_per_household",
    "peak_rss_mb",
    "results",
}


def sim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, timeout=300
    )


def direct_figures(n_dwellings: int, seed: int) -> dict[str, dict[str, float]]:
    """March 2027 of one generated population, person by person, without the bench."""
    population = project_population(
        generate(n_households=n_dwellings, year=2024, rng=np.random.default_rng(seed)), YEAR
    )
    persons, households = population.month_inputs(3, np.zeros(population.n_households))
    weight = population.households["weight"].to_numpy()
    person_weight = weight[persons.household_idx]
    is_child_0_17 = persons.is_child & (persons.age <= 17)
    figures = {}
    for name in ("baseline", REFORM):
        law = load_scenario(name).law(YEAR).resolve(dt.date(YEAR, 3, 1))
        r = compute(persons, households, law)
        units = m.consumption_units_from_counts(
            n_adults=r.n_adults, n_children=r.n_children, has_partner=households.is_cohabiting
        )
        standard = (r.disposable_income * 12 / units)[persons.household_idx]
        line = m.poverty_line(standard, person_weight)
        figures[name] = {
            "poverty_rate": m.poverty_rate(standard, person_weight, line=line),
            "child_poverty_rate": m.poverty_rate(
                standard, person_weight, line=line, within=is_child_0_17
            ),
            "fs_cost_sek_year": m.weighted_total(r.forsorjningsstod * 12, weight),
        }
    return figures


def test_one_part_gives_the_figures_of_the_month_computed_directly():
    # One part is exactly the population `generate` draws; the bench's household-level
    # metrics (weights × persons, × children 0-17) must give the person-level figures.
    n_dwellings = 4_000
    out = bench(n_households=n_dwellings, seed=5)
    assert set(out) == FIELDS
    expected = direct_figures(n_dwellings, seed=5)
    for name, figures in expected.items():
        for metric, value in figures.items():
            assert out["results"][name][metric] == pytest.approx(value, rel=1e-12), (name, metric)
    # The reform (bidragstak and sanctions) pays less försörjningsstöd.
    assert (
        out["results"][REFORM]["fs_cost_sek_year"] < out["results"]["baseline"]["fs_cost_sek_year"]
    )


def test_cli_prints_json_for_several_parts():
    # Two parts: the weights are those of the union of the parts.
    run = sim("bench", "--households", str(PART_DWELLINGS + 2_000), "--seed", "2", "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert set(out) == FIELDS
    assert out["n_persons"] > out["n_households"] > PART_DWELLINGS
    seconds = out["seconds_compute"] + out["seconds_metrics"]
    assert out["ns_per_household"] == pytest.approx(
        seconds / out["n_households"] * 1e9, rel=0.01, abs=5
    )
    for figures in out["results"].values():
        assert 0 < figures["child_poverty_rate"] < 1
        assert 0 < figures["poverty_rate"] < figures["child_poverty_rate"]
        # Sweden pays 10-15 bn kr a year; a sample of 102 000 dwellings is weighted up.
        assert 5e9 < figures["fs_cost_sek_year"] < 30e9


def test_full_year_runs():
    out = bench(n_households=1_500, seed=1, months=12)
    assert out["months"] == 12
    assert out["results"]["baseline"]["fs_cost_sek_year"] > 0


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--households", "0"], "--households must be positive"),
        (["--months", "3"], "--months must be 1 or 12"),
        (["--households", "many"], "--households"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(args, fragment):
    run = sim("bench", *args)
    assert run.returncode == 2, (run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert fragment in lines[0]
