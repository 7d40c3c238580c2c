"""Län and municipality groups: the draw, the per-län targets, and the committed population."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from sim.errors import SimInputError
from sim.population.geography import (
    draw_lan,
    lan_aligned_targets,
    lan_given_group,
    lan_population_shares,
    lan_table,
    lan_targets_path,
)
from sim.population.targets import load_targets
from sim.run import DEFAULT_POPULATION, read_population


def test_the_21_lan_in_lanskod_order():
    codes = [lan.code for lan in lan_table()]
    assert len(codes) == 21
    assert codes == sorted(codes)
    assert codes[0] == "01" and codes[-1] == "25"


def test_lan_given_group_is_a_distribution_and_matches_the_population_shares():
    p = lan_given_group()
    assert p.shape == (3, 21)
    assert np.allclose(p.sum(axis=1), 1.0)
    # Gotland is in group C only; Stockholm mostly in group A.
    gotland = [lan.code for lan in lan_table()].index("09")
    assert p[0, gotland] == 0 and p[1, gotland] == 0 and p[2, gotland] > 0
    assert p[0, 0] > 0.5
    # Mixing the rows by each group's population share gives back the län shares.
    shares = np.array([lan.group_shares for lan in lan_table()])
    group_share = lan_population_shares() @ shares
    assert np.allclose(group_share @ p, lan_population_shares())


def test_draw_lan_is_deterministic_and_respects_the_group():
    group = np.repeat(np.array([0, 1, 2]), 20_000)
    a = draw_lan(group, np.random.default_rng(5))
    b = draw_lan(group, np.random.default_rng(5))
    assert np.array_equal(a, b)
    gotland = [lan.code for lan in lan_table()].index("09")
    assert not (a[group != 2] == gotland).any()
    assert (a[group == 2] == gotland).any()
    # Frequencies follow P(län | group) (20 000 draws: within 1.5 points).
    for g in range(3):
        freq = np.bincount(a[group == g], minlength=21) / 20_000
        assert np.abs(freq - lan_given_group()[g]).max() < 0.015


def test_population_lan_targets_sum_to_the_national_total():
    targets = lan_aligned_targets(2024, 10_000_000.0)
    inhabitants = [t for t in targets if t.target.id.startswith("scb_population_lan:")]
    assert len(inhabitants) == 21
    assert math.isclose(sum(t.value for t in inhabitants), 10_000_000.0, rel_tol=1e-12)
    # Published 2024 figures are used as they are.
    stockholm = next(t for t in inhabitants if t.target.id == "scb_population_lan:01")
    published = next(
        t
        for t in load_targets(lan_targets_path())
        if t.id == "scb_population_lan" and t.scope == "Stockholms län" and t.year == 2024
    )
    assert stockholm.value == published.value and stockholm.use == "margin"


def test_fs_targets_only_where_a_figure_of_the_year_is_published():
    targets = lan_aligned_targets(2024, 10_000_000.0)
    fs = {t.target.id: t for t in targets if t.target.id.startswith("fs_")}
    assert fs["fs_households_lan:09"].use == "margin"
    assert fs["fs_households_lan:09"].value == 880
    assert fs["fs_paid_lan:09"].value == 55_646_000
    # Södermanland has 2020 figures only: reported, not filled in.
    assert fs["fs_households_lan:04"].use == "none"
    assert "2020" in fs["fs_households_lan:04"].reason
    assert math.isnan(fs["fs_households_lan:04"].value)


def test_committed_population_meets_every_lan_margin():
    report = json.loads((DEFAULT_POPULATION / "calibration_report.json").read_text())
    lan_rows = {r["id"]: r for r in report["targets"] if ":" in r["id"]}
    margins = [r for r in lan_rows.values() if r["use"] == "margin"]
    assert {r["id"] for r in margins} >= {f"scb_population_lan:{lan.code}" for lan in lan_table()}
    for row in margins:
        assert row["met"], row["id"]
        assert abs(row["error"]) <= 0.05
    # Gotland's published FS figures: too few sampled recipients in 20 000 dwellings to be a
    # margin, so they are compared (with the reason) instead.
    gotland = lan_rows["fs_households_lan:09"]
    assert gotland["use"] == "check" and "sampled recipient units" in gotland["note"]
    assert gotland["achieved"] > 0
    population, _ = read_population(None)
    w = population.dwellings["weight"].to_numpy()
    lan = population.dwellings["lan"].to_numpy()
    persons = np.bincount(population.persons["dwelling_idx"].to_numpy(), minlength=w.size)
    per_lan = np.bincount(lan, weights=w * persons, minlength=21)
    assert math.isclose(per_lan.sum(), (w * persons).sum(), rel_tol=1e-12)
    assert (per_lan > 0).all()


def test_a_larger_population_calibrates_gotlands_published_fs_figures(tmp_path):
    """With enough sampled recipients (100 000 dwellings) the Gotland figures are margins,
    met within ±5 %."""
    from sim.population.build import make_population
    from sim.population.report import report_rows
    from sim.population.summary import summarise

    calibrated = make_population(year=2024, n_households=100_000, seed=3)
    rows = {
        r["id"]: r
        for r in report_rows(calibrated, summarise(calibrated.population))
        if r["id"].endswith(":09")
    }
    for id_ in ("fs_households_lan:09", "fs_paid_lan:09"):
        assert rows[id_]["use"] == "margin", rows[id_]["note"]
        assert rows[id_]["met"] and abs(rows[id_]["error"]) <= 0.05


def test_a_population_without_lan_is_a_clear_error():
    from sim.population.geography import lan_of_dwellings

    population, _ = read_population(None)
    old = population.__class__(
        year=population.year,
        dwellings=population.dwellings.drop("lan"),
        households=population.households,
        persons=population.persons,
        person_months=population.person_months,
    )
    with pytest.raises(SimInputError, match="rebuild it"):
        lan_of_dwellings(old)
