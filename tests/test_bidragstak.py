"""The bidragstak's structure: its readings never raise FS, the official modernised table
replaces the cut assumptions, the calibration pins hold, the comparison with the government."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.bidragstak_calibration import TYPFALL, TYPFALL_SD, calibrate, model_change
from sim.engine.pipeline import compute
from sim.engine.random_inputs import random_month
from sim.engine.riksnorm_pass import riksnorms
from sim.law.assumptions import default_assumptions
from sim.law.parameters import law_dir, load_law
from sim.rules.bidragstak import FourthChildOrder
from sim.scenarios.scenario import load_scenario

CUTS = (
    "norm_cut_single_adult",
    "norm_cut_cohabiting_adults",
    "norm_cut_children",
    "norm_cut_common",
)


def _state(households, rng):
    n = households.n
    return dataclasses.replace(
        households,
        norm_topup=np.where(rng.random(n) < 0.3, 800.0, 0.0),
        months_on_fs=rng.integers(0, 8, n).astype(np.float64),
        takes_up_fs=np.ones(n, dtype=bool),
    )


def _assumptions(variant: str, order: int):
    base = default_assumptions()
    values = {
        f"bidragstak.{name}": base.assumption(f"bidragstak.{name}").variant(variant)
        for name in CUTS
    }
    values["bidragstak.fourth_child_order"] = float(order)
    return base.with_values(values)


@pytest.mark.parametrize("order", list(FourthChildOrder))
@pytest.mark.parametrize("variant", ["low", "central", "high"])
@pytest.mark.parametrize("scenario", ["bidragstak", "kombinerad", "sou2025_modell_b"])
def test_the_bidragstak_never_raises_any_households_fs(order, variant, scenario):
    """Under every reading of the fourth-child rule and every end of the cuts' ranges, no
    household gets more FS than under current law (the design's property), in the
    half-phased and the full months."""
    assumptions = _assumptions(variant, order)
    baseline, reform = load_scenario("baseline").law(2027), load_scenario(scenario).law(2027)
    rng = np.random.default_rng(int(order) * 10 + len(variant))
    persons, households = random_month(3_000, rng=rng)
    households = _state(households, rng)
    assert (np.bincount(persons.household_idx[persons.is_child]) >= 4).sum() > 20
    for month in (dt.date(2027, 3, 1), dt.date(2027, 9, 1)):
        before = compute(persons, households, baseline.resolve(month), assumptions)
        after = compute(persons, households, reform.resolve(month), assumptions)
        assert np.all(after.forsorjningsstod <= before.forsorjningsstod + 1e-9)
        assert np.all(after.riksnorm <= before.riksnorm + 1e-9)


def test_the_phase_in_is_an_assumption_a_sweep_can_draw():
    """scenarios/bidragstak.yaml takes the first half-year's phase from the assumption
    bidragstak.fourth_child_phase_first_half_2027: an override (a sweep's draw) reaches the law."""
    reform = load_scenario("bidragstak")
    march, september = dt.date(2027, 3, 1), dt.date(2027, 9, 1)
    assert reform.law(2027).resolve(march).bidragstak.fourth_child_phase == 0.5
    path = "bidragstak.fourth_child_phase_first_half_2027"
    drawn = dataclasses.replace(reform, assumption_values={**reform.assumption_values, path: 0.2})
    assert drawn.law(2027).resolve(march).bidragstak.fourth_child_phase == 0.2
    assert drawn.law(2027).resolve(september).bidragstak.fourth_child_phase == 1.0


def test_the_readings_differ_where_children_of_different_costs_are_reduced():
    """The three readings are three rules: on large families with children of unequal
    costs the most-expensive reading takes the most, birth order the least."""
    persons, households = random_month(3_000, rng=np.random.default_rng(5))
    law = load_scenario("bidragstak").law(2027).resolve(dt.date(2027, 9, 1))
    taken = {
        order: compute(
            persons, households, law, _assumptions("central", order)
        ).fourth_child_reduction.sum()
        for order in FourthChildOrder
    }
    assert (
        taken[FourthChildOrder.MOST_EXPENSIVE]
        > taken[FourthChildOrder.AVERAGE]
        > taken[FourthChildOrder.BIRTH_ORDER]
        > 0
    )


def _law_with_official_2027_table(tmp_path: Path) -> Path:
    """A copy of the law files with a made-up official modernised table for 2027."""
    folder = tmp_path / "params"
    shutil.copytree(law_dir(), folder)
    path = folder / "riksnorm.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    new = dt.date(2027, 1, 1)
    source = {
        "reference": "made-up official modernised riksnorm 2027 (test)",
        "url": "https://www.regeringen.se/",
        "evidence": "law",
    }
    tables = {
        "personal_cost_child": {
            "age_from": [0, 1, 3, 4, 7, 11, 15, 19],
            "with_lunch": [2500, 2800, 2500, 2800, 3500, 4000, 4500, 4600],
            "without_lunch": [2300, 2600, 2300, 2500, 3500, 4000, 4500, 4600],
        },
        "adult_single": 3700,
        "adults_cohabiting": 6600,
        "common_cost": {
            "n_persons": [1, 2, 3, 4, 5, 6, 7],
            "amount": [1100, 1200, 1500, 1700, 1900, 2100, 2300],
        },
    }
    for name, value in tables.items():
        data["parameters"][name]["values"][new] = {"value": value, **source}
    data["parameters"]["modernised"]["values"][new] = {"value": 1, **source}
    data["valid_until"] = dt.date(2027, 12, 31)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def test_the_official_modernised_table_replaces_the_cut_assumptions(tmp_path):
    law = load_law(_law_with_official_2027_table(tmp_path))
    month = dt.date(2027, 9, 1)
    reform = load_scenario("bidragstak", law=law).law(2027, law=law).resolve(month)
    baseline = load_scenario("baseline", law=law).law(2027, law=law).resolve(month)
    assert reform.riksnorm_modernised.published == 1.0
    persons, households = random_month(2_000, rng=np.random.default_rng(3))
    central = default_assumptions()
    doubled = central.with_values(
        {f"bidragstak.{n}": 2 * central.assumption(f"bidragstak.{n}").value for n in CUTS}
    )
    a = compute(persons, households, reform, central)
    b = compute(persons, households, reform, doubled)
    for name, values in a.household_fields().items():
        assert np.array_equal(values, getattr(b, name)), name
    assert not a.modernisation_reduction.any()
    # The reform's norm is the official table (where the fourth-child rule does not reach).
    table = riksnorms(
        household_idx=persons.household_idx,
        age=persons.age,
        is_child=persons.is_child,
        has_preschool_lunch=persons.has_preschool_lunch,
        is_cohabiting=households.is_cohabiting,
        p=reform.riksnorm_modernised,
    ).total
    small = a.fourth_child_reduction == 0
    assert np.array_equal(a.riksnorm[small], table[small])
    # The baseline keeps current law: the 2026 table projected, as without the file.
    default = load_scenario("baseline").law(2027).resolve(month)
    assert baseline.riksnorm == default.riksnorm
    plain = compute(persons, households, default, central)
    assert np.array_equal(compute(persons, households, baseline, central).riksnorm, plain.riksnorm)
    # Without the table, the cuts do apply.
    cut = load_scenario("bidragstak").law(2027).resolve(month)
    assert not np.array_equal(
        compute(persons, households, cut, central).riksnorm,
        compute(persons, households, cut, doubled).riksnorm,
    )


def test_a_modernised_marker_without_its_tables_is_refused(tmp_path):
    folder = _law_with_official_2027_table(tmp_path)
    path = folder / "riksnorm.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["parameters"]["adult_single"]["values"][dt.date(2027, 1, 1)]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    from sim.common.errors import SimInputError

    with pytest.raises(SimInputError, match="adult_single needs a value from 2027-01-01"):
        load_law(folder)


def test_the_calibration_pins_reproduce_every_public_typfall_within_150_kr():
    """The central assumptions reproduce each government typfall (the fit's targets)."""
    a = default_assumptions()
    cuts = {name: a.assumption(f"bidragstak.{name}").value for name in CUTS}
    order = int(a.bidragstak.fourth_child_order)
    for typfall in TYPFALL:
        change = model_change(typfall, cuts, order)
        assert abs(change - typfall.target_change) <= TYPFALL_SD, typfall.name


def test_the_assumption_file_holds_the_calibrations_values():
    """sim/law/assumptions/bidragstak.yaml holds what sim.bidragstak_calibration fits (rounded
    to 4 decimals): a change of the typfall or the model is followed by a new fit."""
    calibration = calibrate()
    a = default_assumptions()
    for name in CUTS:
        item = a.assumption(f"bidragstak.{name}")
        low, high = calibration.ranges[name]
        assert item.value == round(calibration.central.cuts[name], 4), name
        assert (item.low, item.high) == (round(low, 4), round(high, 4)), name
    assert a.bidragstak.fourth_child_order == int(calibration.central.order)
    # The fit discriminates: the central reading fits far better than the others.
    objectives = sorted(f.objective for f in calibration.fits)
    assert objectives[0] < 1 < objectives[1]


def test_a_riksnorm_file_without_the_marker_is_current_law(tmp_path):
    """A law folder from before the marker (a user's copy) still runs: no modernised
    table, the cuts apply."""
    folder = tmp_path / "params"
    shutil.copytree(law_dir(), folder)
    path = folder / "riksnorm.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["parameters"]["modernised"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    law = load_law(folder)
    month = dt.date(2027, 9, 1)
    reform = load_scenario("bidragstak", law=law).law(2027, law=law).resolve(month)
    assert reform.riksnorm_modernised.published == 0.0
    persons, households = random_month(500, rng=np.random.default_rng(4))
    result = compute(persons, households, reform, default_assumptions())
    assert result.modernisation_reduction.sum() > 0
