"""`sim bench`: what it prints, that its figures are the model's, and bad input.

Timings are not tested (benchmarks are measured, docs/performance.md); the figures the bench
computes are, against the same month computed directly with person-level arrays.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sim.bench import FULL_YEAR_SCENARIOS, PART_DWELLINGS, REFORM, YEAR, bench
from sim.engine.pipeline import compute
from sim.metrics import statistics as m
from sim.population.generator import generate
from sim.population.projection import project_population
from sim.scenarios.scenario import load_scenario
from sim.simulation.year import norm_topups, run_year

FIELDS = {
    "n_households",
    "n_persons",
    "months",
    "reform",
    "scenarios",
    "workers",
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


def person_level_figures(
    population, annual: dict[str, tuple[np.ndarray, np.ndarray]]
) -> dict[str, dict[str, float]]:
    """The bench's figures person by person, from each law's annual disposable income and FS
    per household; households' members and children 0-17 as in March 2027."""
    persons, households = population.month_inputs(3, np.zeros(population.n_households))
    weight = population.households["weight"].to_numpy()
    person_weight = weight[persons.household_idx]
    is_child_0_17 = persons.is_child & (persons.age <= 17)
    n = households.n
    units = m.consumption_units_from_counts(
        n_adults=np.bincount(persons.household_idx[~persons.is_child], minlength=n),
        n_children=np.bincount(persons.household_idx[persons.is_child], minlength=n),
        has_partner=households.is_cohabiting,
    )
    figures = {}
    for name, (income, fs) in annual.items():
        standard = (income / units)[persons.household_idx]
        line = m.poverty_line(standard, person_weight)
        figures[name] = {
            "poverty_rate": m.poverty_rate(standard, person_weight, line=line),
            "child_poverty_rate": m.poverty_rate(
                standard, person_weight, line=line, within=is_child_0_17
            ),
            "fs_cost_sek_year": m.weighted_total(fs, weight),
        }
    return figures


def generated(n_dwellings: int, seed: int):
    return project_population(
        generate(n_households=n_dwellings, year=2024, rng=np.random.default_rng(seed)), YEAR
    )


def direct_figures(n_dwellings: int, seed: int) -> dict[str, dict[str, float]]:
    """March 2027 of one generated population, person by person, without the bench."""
    population = generated(n_dwellings, seed)
    persons, households = population.month_inputs(3, np.zeros(population.n_households))
    annual = {}
    for name in ("baseline", REFORM):
        law = load_scenario(name).law(YEAR).resolve(dt.date(YEAR, 3, 1))
        r = compute(persons, households, law)
        annual[name] = (r.disposable_income * 12, r.forsorjningsstod * 12)
    return person_level_figures(population, annual)


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
    # The printed seconds are rounded to 1 ms each, ns_per_household from the exact ones.
    rounding = (2 * 0.0005 / out["n_households"]) * 1e9 + 0.05
    assert out["ns_per_household"] == pytest.approx(
        seconds / out["n_households"] * 1e9, rel=0, abs=rounding
    )
    for figures in out["results"].values():
        assert 0 < figures["child_poverty_rate"] < 1
        assert 0 < figures["poverty_rate"] < figures["child_poverty_rate"]
        # Sweden pays 10-15 bn kr a year; a sample of 102 000 dwellings is weighted up.
        assert 5e9 < figures["fs_cost_sek_year"] < 30e9


def test_full_year_gives_the_figures_of_the_four_years_run_directly():
    n_dwellings, seed = 1_500, 1
    out = bench(n_households=n_dwellings, seed=seed, months=12)
    assert out["months"] == 12 and out["scenarios"] == list(FULL_YEAR_SCENARIOS)
    population = generated(n_dwellings, seed)
    scenarios = [load_scenario(name) for name in FULL_YEAR_SCENARIOS]
    topups = norm_topups(population, scenarios[0].assumptions(), year=YEAR, seed=seed)
    annual = {}
    for scenario in scenarios:
        run = run_year(population, scenario, year=YEAR, seed=seed, topups=topups)
        annual[scenario.name] = (
            run.disposable_income.sum(axis=1),
            run.forsorjningsstod.sum(axis=1),
        )
    expected = person_level_figures(population, annual)
    for name, figures in expected.items():
        for metric, value in figures.items():
            assert out["results"][name][metric] == pytest.approx(value, rel=1e-12), (name, metric)
    costs = {name: f["fs_cost_sek_year"] for name, f in out["results"].items()}
    assert costs["kombinerad"] < costs["baseline"] and costs["bidragstak"] < costs["baseline"]


@pytest.mark.parametrize("months", [1, 12])
def test_workers_give_the_in_process_figures(months):
    # Three parts on a local Dask cluster of two workers: the same parts from the same
    # streams, so the same figures to the last digit.
    kwargs = {"n_households": 2_500, "seed": 3, "months": months, "part_dwellings": 1_000}
    in_process = bench(**kwargs)
    on_workers = bench(**kwargs, workers=2)
    assert in_process["workers"] is None and on_workers["workers"] == 2
    assert on_workers["results"] == in_process["results"]
    assert on_workers["n_households"] == in_process["n_households"] > 2_500


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--households", "0"], "--households must be positive"),
        (["--months", "3"], "--months must be 1 or 12"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--households", "many"], "--households"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(args, fragment):
    run = sim("bench", *args)
    assert run.returncode == 2, (run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert fragment in lines[0]


def test_part_benchmark_script_prints_its_figures():
    # benchmarks/bench_part.py compares versions by hand; it must keep running as the API moves.
    script = Path(__file__).parents[1] / "benchmarks" / "bench_part.py"
    run = subprocess.run(
        [sys.executable, str(script), "--dwellings", "500", "--repeat", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["n_persons"] > out["n_households"] > 500
    for key in ("ns_per_household_both_laws", "ns_per_household_baseline"):
        assert 0 < out[key]["min"] <= out[key]["median"]
