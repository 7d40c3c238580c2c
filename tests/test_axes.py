"""Household axes (sim.calculator.axes): every point is the household calculator's household, computed
in one engine call per law."""

from __future__ import annotations

import dataclasses

import numpy as np
import polars as pl
import pytest

import sim.calculator.axes
from sim.calculator.axes import COLUMNS, Axis, household_axis, parse_axis, work_incentives
from sim.calculator.household import HouseholdSpec, calculate
from sim.common.errors import SimInputError

SINGLE_PARENT = HouseholdSpec(
    adults=1, adult_ages=(34,), child_ages=(4, 8), housing_cost=8000, months_on_fs=6
)
COUPLE = HouseholdSpec(
    adults=2,
    adult_ages=(38, 40),
    child_ages=(3, 6, 9, 12, 15),
    housing_cost=16180,
    housing_limit_factor=1.4,
    earnings=(12000.0, 0.0),
    jobbpremie_eligible=True,
)

#: The frame's columns and the household calculator's amounts they are.
SAME_AS = {
    "income_tax": ("income_tax",),
    "net_earnings": ("net_earnings",),
    "net_other_income": ("net_other_income",),
    "barnbidrag": ("barnbidrag",),
    "underhallsstod": ("underhallsstod",),
    "bostadsbidrag": ("bostadsbidrag", "tillaggsbidrag"),
    "jobbstimulans_disregard": ("jobbstimulans_disregard",),
    "forsorjningsstod": ("forsorjningsstod",),
    "jobbpremie": ("jobbpremie",),
    "disposable_income": ("disposable_income",),
    "gross_earnings": (),
}


def _at_point(spec: HouseholdSpec, axis: Axis, value: float) -> HouseholdSpec:
    earnings = list(spec.checked().earnings)
    if axis.variable == "earnings":
        earnings[0] = value
    elif axis.variable == "earnings2":
        earnings[1] = value
    elif axis.variable == "hours":
        earnings[0] = value * axis.wage * 52 / 12
    else:
        return dataclasses.replace(spec, housing_cost=value)
    return dataclasses.replace(spec, earnings=tuple(earnings))


@pytest.mark.parametrize(
    ("spec", "axis", "date", "scenario"),
    [
        (SINGLE_PARENT, Axis("earnings", 0, 40000, 10000), "2026-03", "baseline"),
        (SINGLE_PARENT, Axis("hours", 0, 40, 20, wage=160.0), "2027-09", "kombinerad"),
        (COUPLE, Axis("earnings2", 0, 30000, 15000), "2027-09", "kombinerad"),
        (COUPLE, Axis("housing_cost", 9000, 21000, 6000), "2027-09", "bidragstak"),
    ],
    ids=["earnings", "hours", "earnings2", "housing_cost"],
)
def test_every_point_is_the_household_calculator(spec, axis, date, scenario):
    frame = household_axis(spec, axis, date=date, scenario=scenario)
    assert frame.columns == list(COLUMNS)
    names = ["baseline"] if scenario == "baseline" else ["baseline", scenario]
    assert frame["scenario"].unique(maintain_order=True).to_list() == names
    for row in frame.iter_rows(named=True):
        calc = calculate(_at_point(spec, axis, row["value"]), date=date, scenario=row["scenario"])
        for column, keys in SAME_AS.items():
            if column == "gross_earnings":
                assert row[column] == sum(_at_point(spec, axis, row["value"]).checked().earnings)
                continue
            expected = calc[keys[0]] + (calc[keys[1]] if len(keys) > 1 else 0.0)
            assert row[column] == expected, (column, row["value"], row["scenario"])


def test_ptr_and_emtr_are_those_of_the_household_calculator():
    """PTR = 1 − (D(E) − D(0)) / E and EMTR = 1 − (D(E + 100) − D(E)) / 100, with D from
    sim.calculator.household.calculate for the same household."""
    frame = household_axis(SINGLE_PARENT, "earnings=10000:30000:10000", date="2026-03")
    for row in frame.iter_rows(named=True):
        e = row["value"]
        d = {
            x: calculate(_at_point(SINGLE_PARENT, Axis("earnings", 0, 0, 1), x), date="2026-03")[
                "disposable_income"
            ]
            for x in (0.0, e, e + 100)
        }
        assert row["disposable_income_out_of_work"] == d[0.0]
        assert row["ptr"] == 1 - (d[e] - d[0.0]) / e
        assert row["emtr"] == 1 - (d[e + 100] - d[e]) / 100


def test_the_parts_add_up_to_the_disposable_income():
    frame = household_axis(COUPLE, "earnings=0:60000:2500", date="2027-09", scenario="kombinerad")
    parts = (
        "net_earnings",
        "net_other_income",
        "net_income_children",
        "barnbidrag",
        "underhallsstod",
        "bostadsbidrag",
        "forsorjningsstod",
        "jobbpremie",
    )
    total = frame.select(pl.sum_horizontal(parts)).to_series().to_numpy()
    np.testing.assert_allclose(total, frame["disposable_income"].to_numpy(), rtol=1e-12)
    # The jobbpremie is paid in kombinerad where the household has no FS, never in baseline.
    reform = frame.filter(pl.col("scenario") == "kombinerad")
    assert (reform.filter(pl.col("forsorjningsstod") == 0)["jobbpremie"] > 0).all()
    assert (frame.filter(pl.col("scenario") == "baseline")["jobbpremie"] == 0).all()


def test_one_engine_call_per_law_on_every_point(monkeypatch):
    calls = []
    real = sim.calculator.axes.compute

    def counting(persons, households, params, assumptions):
        calls.append(households.n)
        return real(persons, households, params, assumptions)

    monkeypatch.setattr(sim.calculator.axes, "compute", counting)
    frame = household_axis(COUPLE, "earnings=0:49500:500", date="2027-09", scenario="kombinerad")
    assert frame.height == 200
    assert calls == [300, 300]  # 100 points, their EMTR steps and out of work; two laws


def test_hours_axis_is_earnings_at_the_wage():
    frame = household_axis(HouseholdSpec(), "hours=0:40:10", date="2026-03", wage=150.0)
    expected = [0.0, 6500.0, 13000.0, 19500.0, 26000.0]  # h × 150 × 52 / 12
    assert frame["worker_gross_earnings"].to_list() == expected


def test_work_incentives_at_one_wage():
    frame = work_incentives(COUPLE, gross=20000, adult=2, date="2027-09", scenario="kombinerad")
    assert frame.height == 2
    assert frame["worker_gross_earnings"].to_list() == [20000.0, 20000.0]
    # Adult 1's 12 000 kr stay in both states; only adult 2's job is taken away.
    assert (frame["gross_earnings"] == 32000.0).all()


@pytest.mark.parametrize(
    ("text", "wage", "message"),
    [
        ("earning=0:100:10", None, "did you mean 'earnings'"),
        ("earnings=0:100", None, "NAME=START:STOP:STEP"),
        ("earnings=0:100:0", None, "step must be positive"),
        ("earnings=100:0:10", None, "below its start"),
        ("earnings=-10:100:10", None, "non-negative"),
        ("hours=0:40:1", None, "hourly wage"),
        ("hours=0:200:1", 150.0, "at most 168"),
        ("earnings=0:100:10", 150.0, "only for an hours axis"),
        ("earnings=0:1e9:1", None, "points; at most"),
    ],
)
def test_bad_axis_is_one_clear_error(text, wage, message):
    with pytest.raises(SimInputError, match=message):
        parse_axis(text, wage=wage)


def test_earnings2_needs_two_adults():
    with pytest.raises(SimInputError, match="two adults"):
        household_axis(HouseholdSpec(), "earnings2=0:100:10", date="2026-03")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_work_pays_chart_has_a_panel_per_scenario(lang):
    from sim.outputs.charts.work import work_incentive_rates, work_pays

    frame = household_axis(COUPLE, "earnings=0:40000:10000", date="2027-09", scenario="kombinerad")
    fig = work_pays(frame, lang=lang, household="test")
    texts = [t.get_text() for t in fig.texts]
    assert texts[0] == ("Lönar det sig att arbeta?" if lang == "sv" else "Does work pay?")
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == (
        ["Nuvarande regler", "Kombinerad"] if lang == "sv" else ["Current rules", "Combined"]
    )
    # The disposable-income line is the frame's, point by point.
    line = fig.axes[1].get_lines()[0]
    reform = frame.filter(pl.col("scenario") == "kombinerad")
    assert line.get_ydata().tolist() == reform["disposable_income"].to_list()
    assert len(work_incentive_rates(frame, lang=lang).axes) == 2


def test_chart_language_is_checked():
    from sim.outputs.charts.work import work_pays

    frame = household_axis(HouseholdSpec(), "earnings=0:1000:500", date="2026-03")
    with pytest.raises(SimInputError, match="unknown language"):
        work_pays(frame, lang="de")


def test_python_api_speaks_the_same_axis():
    import sim

    frame = sim.household_axis(date="2026-03", axis="earnings=0:10000:5000", housing_cost=5000)
    assert frame["forsorjningsstod"].round(2).to_list() == [10720.0, 6070.0, 1786.47]
    rates = sim.work_incentives(date="2026-03", gross=5000, housing_cost=5000)
    assert rates["ptr"].to_list() == frame["ptr"].to_list()[1:2]
    with pytest.raises(SimInputError, match="did you mean 'child_ages'"):
        sim.household_axis(date="2026-03", axis="earnings=0:1:1", child_age=(3,))
