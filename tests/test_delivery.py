"""Delivering the aktivitetskrav: worked example, national = sum of län, funding key."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import polars as pl
import pytest

from sim.runs import read_population, run_scenarios
from sim.scenarios.scenario import load_scenario
from sim.simulation.delivery import WEEKS_PER_MONTH, delivery, funding_shares


def _one_household_year(**arrays):
    """A scenario year of one household with weight 1 under the aktivitetskrav (2027)."""
    zeros = np.zeros((1, 12))
    fields = {
        "required_hours": zeros,
        "n_covered": zeros,
        "n_newly_covered": zeros,
        "n_sanctioned": zeros,
        "childcare_preschool_children": zeros,
        "childcare_fritidshem_children": zeros,
    }
    fields.update(arrays)
    population = SimpleNamespace(n_households=1, households=pl.DataFrame({"weight": [1.0]}))
    return SimpleNamespace(
        year=2027, population=population, definition=load_scenario("aktivitetskrav"), **fields
    )


def test_worked_example_single_parent_in_full_time_activity():
    """A single parent covered all year at 40 h a week with one child aged 3 and one aged 8,
    newly covered in January, one refusal in June. Expected values from the documented
    formulas and the central assumptions (sim/law/assumptions/aktivitetskrav.yaml):

    * places: 40 / 40 = 1 a month; activity cost 12 × 9 000 = 108 000 kr;
    * förskola: (40 + 5 travel − 15 guaranteed, skollagen 8 kap. 6 §) = 30 h a week,
      × 52 = 1 560 h a year, × 130 kr = 202 800 kr;
    * fritidshem: 15 h a week × (40/40) × 52 = 780 h, × 80 kr = 62 400 kr;
    * casework: plan 4 h + 12 follow-ups × 1.5 h + 1 sanction × 3 h = 25 h, × 600 kr = 15 000 kr.
    """
    ones = np.ones((1, 12))
    first = np.zeros((1, 12))
    first[0, 0] = 1
    june = np.zeros((1, 12))
    june[0, 5] = 1
    run = _one_household_year(
        required_hours=40 * ones,
        n_covered=ones,
        n_newly_covered=first,
        n_sanctioned=june,
        childcare_preschool_children=ones,
        childcare_fritidshem_children=ones,
    )
    d = delivery(run)
    assert d.places[0] == pytest.approx(np.ones(12))
    assert d.activity_hours[0].sum() == pytest.approx(40 * 52)
    assert d.activity_cost_sek_year[0] == pytest.approx(108_000)
    assert d.childcare_hours[0].sum() == pytest.approx(1_560 + 780)
    assert d.childcare_cost_sek_year[0] == pytest.approx(202_800 + 62_400)
    assert d.casework_hours[0].sum() == pytest.approx(25)
    assert d.casework_cost_sek_year[0] == pytest.approx(15_000)
    assert d.casework_fte[0] == pytest.approx(25 / 12 / 110)
    # The whole country's funding (2 002 + 260 mkr in 2027, in force all year).
    assert d.funding_sek_year[0] == pytest.approx(2_262_000_000)
    assert d.funding_gap_sek_year[0] == pytest.approx(d.cost_sek_year[0] - 2_262_000_000)


def test_part_time_activity_needs_fewer_childcare_hours():
    """At 20 h a week the förskola child needs 20 + 5 − 15 = 10 h a week, the fritidshem
    child 15 × 20/40 = 7.5 h."""
    ones = np.ones((1, 12))
    run = _one_household_year(
        required_hours=20 * ones,
        n_covered=ones,
        childcare_preschool_children=ones,
        childcare_fritidshem_children=ones,
    )
    d = delivery(run)
    assert d.childcare_hours[0, 0] == pytest.approx((10 + 7.5) * WEEKS_PER_MONTH)


def test_funding_shares_sum_to_one_and_mix_the_keys():
    inhabitants = np.array([100.0, 300.0])
    recipients = np.array([30.0, 10.0])
    assert funding_shares(inhabitants, recipients, recipient_weight=0).tolist() == [0.25, 0.75]
    assert funding_shares(inhabitants, recipients, recipient_weight=1).tolist() == [0.75, 0.25]
    assert funding_shares(inhabitants, recipients, recipient_weight=0.3).sum() == pytest.approx(1)


@pytest.fixture(scope="module")
def table():
    population, seed = read_population(None)
    return run_scenarios(["kombinerad"], year=2027, population=population, seed=seed).table()


ADDITIVE = (
    "households",
    "fs_households_year",
    "fs_paid_sek_year",
    "inhabitants",
    "aktivitetskrav_covered_month",
    "activity_places_month",
    "activity_cost_sek_year",
    "childcare_cost_sek_year",
    "casework_cost_sek_year",
    "delivery_cost_sek_year",
    "delivery_state_funding_sek_year",
    "delivery_funding_gap_sek_year",
)


@pytest.mark.parametrize("breakdown", ["län", "kommungrupp", "skr_kommungrupp"])
def test_the_national_sum_of_per_group_results_is_the_national_result(table, breakdown):
    for scenario in ("baseline", "kombinerad"):
        rows = table.filter(pl.col("scenario") == scenario)
        for metric in ADDITIVE:
            groups = rows.filter(
                (pl.col("metric") == metric) & pl.col("group").str.starts_with(f"{breakdown}:")
            )
            assert (
                groups.height == {"län": 21, "kommungrupp": 3, "skr_kommungrupp": 9}[breakdown]
            ), metric
            national = rows.filter((pl.col("metric") == metric) & (pl.col("group") == "all"))
            if national.height == 0:  # households and inhabitants: the sum over groups
                continue
            assert math.isclose(
                groups["value"].sum(), national["value"].item(), rel_tol=1e-9, abs_tol=1e-3
            ), (scenario, metric)
        # Honest precision: every cell says how many sampled recipient households it has,
        # and they sum to the sampled recipients of the country.
        sampled = rows.filter(
            (pl.col("metric") == "sampled_recipient_households")
            & pl.col("group").str.starts_with(f"{breakdown}:")
        )
        flags = rows.filter(
            (pl.col("metric") == "low_precision") & pl.col("group").str.starts_with(f"{breakdown}:")
        )
        assert sampled.height == groups.height and flags.height == groups.height
        assert ((sampled["value"] < 30) == (flags["value"] == 1)).all()
        shares = rows.filter(
            (pl.col("metric") == "funding_key_share")
            & pl.col("group").str.starts_with(f"{breakdown}:")
        )
        assert shares["value"].sum() == pytest.approx(1.0)


def test_baseline_delivers_nothing_and_the_reform_does(table):
    def value(scenario, metric):
        return table.filter(
            (pl.col("scenario") == scenario)
            & (pl.col("metric") == metric)
            & (pl.col("group") == "all")
        )["value"].item()

    for metric in ("delivery_cost_sek_year", "delivery_state_funding_sek_year", "casework_fte"):
        assert value("baseline", metric) == 0
        assert value("kombinerad", metric) > 0
    assert value("kombinerad", "delivery_state_funding_sek_year") == pytest.approx(2_262_000_000)
    # Plans are made for persons newly covered: no more plans than person-months covered.
    covered_months = 12 * value("kombinerad", "aktivitetskrav_covered_month")
    assert 0 < value("kombinerad", "individual_plans_year") <= covered_months
    assert value("kombinerad", "municipal_cost_sek_year") == pytest.approx(
        value("kombinerad", "fs_paid_sek_year")
        + value("kombinerad", "delivery_cost_sek_year")
        - value("kombinerad", "delivery_state_funding_sek_year")
    )
