"""Län and municipality groups: the draw, the per-län targets, and the committed population."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from sim.common.errors import SimInputError
from sim.population.geography import lan_aligned_targets, lan_table
from sim.runs import DEFAULT_POPULATION, read_population


def test_the_21_lan_in_lanskod_order():
    codes = [lan.code for lan in lan_table()]
    assert len(codes) == 21
    assert codes == sorted(codes)
    assert codes[0] == "01" and codes[-1] == "25"


def test_place_dwellings_is_deterministic_and_consistent_with_the_skr_list():
    from sim.population.geography import place_dwellings
    from sim.population.kommuner import KOMMUNGRUPPER, kommun_table

    group = np.repeat(np.array([0, 1, 2]), 20_000)
    a = place_dwellings(group, np.random.default_rng(5))
    b = place_dwellings(group, np.random.default_rng(5))
    assert all(np.array_equal(a[k], b[k]) for k in a)
    table = kommun_table()
    codes = [lan.code for lan in lan_table()]
    kommun = a["kommun"]
    # Each dwelling's kommun is of its main group; its län and kommungrupp are the kommun's.
    assert all(table[k].main_group == g for k, g in zip(kommun, group, strict=True))
    assert np.array_equal(a["lan"], [codes.index(table[k].lan_code) for k in kommun])
    assert np.array_equal(a["kommungrupp"], [KOMMUNGRUPPER.index(table[k].group) for k in kommun])
    # The design-weight correction undoes the oversampling of small län: the weighted
    # share of each kommun within its group is its share of the group's inhabitants.
    inhabitants = np.array([k.inhabitants for k in table], dtype=float)
    malmo = next(i for i, k in enumerate(table) if k.code == "1280")
    in_a = group == 0
    share = a["_kommun_correction"][in_a & (kommun == malmo)].sum() / in_a.sum()
    main = np.array([k.main_group for k in table])
    assert share == pytest.approx(inhabitants[malmo] / inhabitants[main == 0].sum(), rel=0.05)
    gotland = next(i for i, k in enumerate(table) if k.code == "0980")
    assert (a["_kommun_correction"][kommun == gotland] < 1).all()


def test_population_lan_targets_sum_to_the_national_total():
    targets = lan_aligned_targets(2024, 10_000_000.0)
    inhabitants = [t for t in targets if t.target.id.startswith("scb_population_lan:")]
    assert len(inhabitants) == 21
    assert math.isclose(sum(t.value for t in inhabitants), 10_000_000.0, rel_tol=1e-12)
    # SCB's 2024 inhabitants of Stockholms län (the sum of its kommuner), as a share.
    stockholm = next(t for t in inhabitants if t.target.id == "scb_population_lan:01")
    assert stockholm.target.value == 2_473_307
    assert stockholm.value == pytest.approx(10_000_000 * 2_473_307 / 10_587_710, rel=1e-12)


def test_group_targets_sum_to_the_national_total():
    from sim.population.geography import group_aligned_targets

    targets = group_aligned_targets(2024, 10_000_000.0)
    assert [t.target.id.partition(":")[2] for t in targets] == [
        "A1", "A2", "B3", "B4", "B5", "C6", "C7", "C8", "C9"
    ]  # fmt: skip
    assert math.isclose(sum(t.value for t in targets), 10_000_000.0, rel_tol=1e-12)


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
    # Gotland's published FS figures: FS paid is a margin (its dwellings are oversampled);
    # its annual count is compared, the mean monthly caseload being the län's margin.
    assert lan_rows["fs_paid_lan:09"]["use"] == "margin" and lan_rows["fs_paid_lan:09"]["met"]
    gotland = lan_rows["fs_households_lan:09"]
    assert gotland["use"] == "check" and "mean monthly caseload is the margin" in gotland["note"]
    assert lan_rows["fs_households_mean_month_lan:09"]["use"] == "margin"
    population, _ = read_population(None)
    w = population.dwellings["weight"].to_numpy()
    lan = population.dwellings["lan"].to_numpy()
    persons = np.bincount(population.persons["dwelling_idx"].to_numpy(), minlength=w.size)
    per_lan = np.bincount(lan, weights=w * persons, minlength=21)
    assert math.isclose(per_lan.sum(), (w * persons).sum(), rel_tol=1e-12)
    assert (per_lan > 0).all()


def test_a_larger_population_calibrates_gotlands_published_fs_figures(tmp_path):
    """With 100 000 dwellings Gotland's FS paid and mean monthly caseload are margins, met
    within ±5 %; its annual count is compared (the mean month is the län's margin)."""
    from sim.population.build import make_population
    from sim.population.calibration_report import report_rows
    from sim.population.summary import summarise

    calibrated = make_population(year=2024, n_households=100_000, seed=3)
    rows = {
        r["id"]: r
        for r in report_rows(calibrated, summarise(calibrated.population))
        if r["id"].endswith(":09")
    }
    for id_ in ("fs_paid_lan:09", "fs_households_mean_month_lan:09"):
        assert rows[id_]["use"] == "margin", rows[id_]["note"]
        assert rows[id_]["met"] and abs(rows[id_]["error"]) <= 0.05
    assert rows["fs_households_lan:09"]["use"] == "check"
    assert rows["fs_households_lan:09"]["achieved"] > 0


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
