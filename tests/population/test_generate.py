"""Tests of the synthetic population: structure, determinism, calibration, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from sim.common.errors import SimInputError
from sim.engine.entities import validate
from sim.population.build import build_population
from sim.population.generator import generate
from sim.population.tables import MONTHS

SIZE = 20_000


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("pop") / "p"
    return build_population(year=2024, n_households=SIZE, seed=7, out_dir=out)


def test_structure_and_every_month_validates():
    pop = generate(n_households=3_000, year=2024, rng=np.random.default_rng(3))
    p = pop.persons
    idx = p["household_idx"].to_numpy()
    adults = np.bincount(idx, weights=~p["is_child"].to_numpy(), minlength=pop.n_households)
    assert adults.min() >= 1 and adults.max() <= 2
    age = p["age"].to_numpy()
    assert age.min() >= 0 and age.max() <= 100
    assert (age[~p["is_child"].to_numpy()] >= 18).all()
    for month in MONTHS:
        persons, households = pop.month_inputs(month, np.zeros(pop.n_households))
        validate(persons, households)


def test_same_seed_gives_identical_files(tmp_path, built):
    again = build_population(year=2024, n_households=SIZE, seed=7, out_dir=tmp_path / "p")
    for path in built.out_dir.iterdir():
        assert (again.out_dir / path.name).read_bytes() == path.read_bytes(), path.name


def test_different_seed_differs():
    a = generate(n_households=500, year=2024, rng=np.random.default_rng(1))
    b = generate(n_households=500, year=2024, rng=np.random.default_rng(2))
    assert not a.persons.equals(b.persons)


def test_calibration_meets_the_tolerances_of_issue_3(built):
    rows = {(r["id"], r["year"]): r for r in built.report}
    rel = {
        ("fs_households", 2024): 0.02,
        ("fs_paid", 2024): 0.03,
        ("fs_longterm_share_recipients", 2020): 0.10,
        ("fs_months_per_household", 2020): 0.10,
    }
    for key, tolerance in rel.items():
        assert abs(rows[key]["error"]) <= tolerance, key
    for (id_, _year), row in rows.items():
        if id_.startswith("scb_hh_"):
            assert abs(row["error"]) <= 0.02, id_
        if id_.startswith("fs_hh_type_") and id_ != "fs_hh_type_total_18_64":
            assert abs(row["error"]) <= 0.02, id_  # absolute, share points
    assert abs(rows[("scb_low_economic_standard", 2024)]["error"]) <= 0.01
    report = json.loads((built.out_dir / "calibration_report.json").read_text())
    assert report["weights"]["converged"] is True
    assert report["weights"]["weight_ratio_min"] >= 0.2 - 1e-9
    assert report["weights"]["weight_ratio_max"] <= 5.0 + 1e-9


def test_every_target_row_is_reported(built):
    """Every national row; per län its inhabitants, FS households, FS paid and mean
    monthly caseload; the twelve national months; per kommungrupp its inhabitants and mean
    monthly caseload."""
    import csv

    from sim.population.geography import lan_table
    from sim.population.targets import default_targets_path

    with default_targets_path().open() as handle:
        n_rows = sum(1 for _ in csv.DictReader(handle))
    from sim.population.kommuner import KOMMUNGRUPPER

    # Per kommungrupp: inhabitants and mean monthly caseload.
    assert len(built.report) == n_rows + 4 * len(lan_table()) + 12 + 2 * len(KOMMUNGRUPPER)
    for group in KOMMUNGRUPPER:
        for id_ in ("scb_population_kommungrupp", "fs_households_mean_month_kommungrupp"):
            assert sum(r["id"] == f"{id_}:{group}" for r in built.report) == 1, (id_, group)
    for month in range(1, 13):
        assert sum(r["id"] == f"fs_households_month:{month:02d}" for r in built.report) == 1
    for lan in lan_table():
        ids = (
            "scb_population_lan",
            "fs_households_lan",
            "fs_paid_lan",
            "fs_households_mean_month_lan",
        )
        for id_ in ids:
            assert sum(r["id"] == f"{id_}:{lan.code}" for r in built.report) == 1, (id_, lan)
    assert all(r["use"] != "none" or r["note"] for r in built.report)


def test_summary_has_the_required_keys(built):
    summary = json.loads((built.out_dir / "summary.json").read_text())
    for key in (
        "households",
        "persons",
        "children",
        "fs_households_year",
        "fs_adults_year",
        "fs_children_year",
        "fs_households_by_month",
        "fs_longterm_share",
        "fs_months_per_household",
        "fs_paid_sek_year",
        "fs_adults_foreign_born_share",
        "low_economic_standard_rate",
        "child_low_economic_standard_rate",
        "median_economic_standard",
    ):
        assert key in summary
    assert len(summary["fs_households_by_month"]) == 12


@pytest.mark.parametrize("size", [0, -5])
def test_bad_size(size, tmp_path):
    with pytest.raises(SimInputError, match="positive"):
        build_population(year=2024, n_households=size, seed=1, out_dir=tmp_path / "x")


def test_unsupported_year(tmp_path):
    with pytest.raises(SimInputError, match="not supported|aligned only"):
        build_population(year=1999, n_households=100, seed=1, out_dir=tmp_path / "x")


def test_unreadable_targets_file(tmp_path):
    with pytest.raises(SimInputError, match="cannot read"):
        build_population(
            year=2024,
            n_households=100,
            seed=1,
            out_dir=tmp_path / "x",
            targets_path=tmp_path / "missing.csv",
        )
    assert not (tmp_path / "x").exists()


def test_existing_output_is_not_overwritten(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(SimInputError, match="exists"):
        build_population(year=2024, n_households=100, seed=1, out_dir=tmp_path / "x")


def test_infeasible_target_is_an_error(tmp_path):
    source = tmp_path / "t.csv"
    from sim.population.targets import default_targets_path

    text = (
        default_targets_path()
        .read_text()
        .replace(
            "fs_households,2024,Households that received ekonomiskt bistånd at some point in the "
            "year,145456",
            "fs_households,2024,Households that received ekonomiskt bistånd at some "
            "point in the year,4000000",
        )
    )
    source.write_text(text)
    with pytest.raises(SimInputError):
        build_population(
            year=2024, n_households=2_000, seed=1, out_dir=tmp_path / "x", targets_path=source
        )
    assert not (tmp_path / "x").exists()
