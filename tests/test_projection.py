"""The projection takes the run's assumption values: uprating.price_change_scale reaches the
projected law (riksnorm) and population, and its central value changes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from sim.law.assumptions import default_assumptions
from sim.law.parameters import default_law
from sim.law.projection import change_factor, project_law
from sim.population.projection import project_population
from sim.runs import read_population
from sim.scenarios.scenario import load_scenario

SCALE = "uprating.price_change_scale"


def _adult_single(tree, year):
    return tree.resolve(dt.date(year, 1, 1)).riksnorm.adult_single


def test_price_scale_reaches_the_projected_riksnorm():
    central = project_law(default_law(), 2027)
    doubled = project_law(default_law(), 2027, default_assumptions().with_values({SCALE: 2.0}))
    assert _adult_single(doubled, 2026) == _adult_single(central, 2026)  # law years untouched
    table = default_assumptions().uprating.price_change
    change = float(table.lookup("change", 2027))
    before = _adult_single(central, 2026)
    assert _adult_single(central, 2027) == round(before * (1 + change) / 10) * 10
    assert _adult_single(doubled, 2027) == round(before * (1 + 2 * change) / 10) * 10
    assert _adult_single(doubled, 2027) > _adult_single(central, 2027)


def test_the_central_value_reproduces_the_packaged_projection():
    explicit = default_assumptions().with_values({SCALE: 1.0})
    assert change_factor("price", 2027, explicit) == change_factor("price", 2027)
    assert project_law(default_law(), 2028, explicit).digest() == (
        project_law(default_law(), 2028).digest()
    )


def test_a_scenario_projects_its_law_with_its_own_assumptions():
    baseline = load_scenario("baseline")
    high = dataclasses.replace(baseline, assumption_values={SCALE: 1.5})
    assert _adult_single(high.law(2027), 2027) > _adult_single(baseline.law(2027), 2027)
    assert high.law(2026).digest() == baseline.law(2026).digest()


def test_price_scale_reaches_the_projected_population():
    population, _ = read_population(None)
    central = project_population(population, 2027)
    high = project_population(population, 2027, default_assumptions().with_values({SCALE: 1.5}))
    ratio = (
        high.households["housing_cost"].to_numpy() / central.households["housing_cost"].to_numpy()
    )
    table = default_assumptions().uprating.price_change
    expected = np.prod([1 + 1.5 * float(table.lookup("change", y)) for y in (2025, 2026, 2027)])
    expected /= np.prod([1 + float(table.lookup("change", y)) for y in (2025, 2026, 2027)])
    finite = np.isfinite(ratio)
    assert finite.any()
    assert ratio[finite] == pytest.approx(expected, rel=1e-12)
    # earnings follow wages, not prices: untouched by the price scale
    assert high.person_months["earnings_gross"].equals(central.person_months["earnings_gross"])


def test_reasonable_housing_limits_follow_prices_like_the_rents():
    """The limit table is of 2024's level; carried to 2027 it rises with prices, as the
    housing costs do (and as the household calculator already did), so a household whose
    rent was at its limit in 2024 is still at it in 2027."""
    from sim.law.projection import cumulative_factor, housing_limit_uprating

    population, _ = read_population(None)
    projected = project_population(population, 2027)
    ratio = (
        projected.households["housing_limit_factor"].to_numpy()
        / population.households["housing_limit_factor"].to_numpy()
    )
    assert np.allclose(ratio, housing_limit_uprating(2027))
    rents = (
        projected.households["housing_cost"].to_numpy()
        / population.households["housing_cost"].to_numpy()
    )
    price = cumulative_factor("price", 2024, 2027)
    assert np.allclose(rents[np.isfinite(rents)], price)
    assert housing_limit_uprating(2027) == pytest.approx(price)
