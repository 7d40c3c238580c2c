"""Unit tests of sim.metrics.statistics on toy populations computed by hand, plus properties.

The main toy population: five households (dwellings) with

    household              A     B     C     D     E
    economic standard     220   300   500    80   700   (SEK/year, small for hand sums)
    household weight        1     2     1     0     3
    persons                 2     3     3     3     2
    person weight = w·p     2     6     3     0     6   total 17, half 8.5
    children 0-17           1     1     0     2     0
    child weight            1     2     0     0     0   total 3

Sorted by standard (D has weight 0 and is ignored): A 220 (cum 2), B 300 (cum 8), C 500 (cum 11),
E 700 (cum 17). The lower median is the first value where the cumulative weight reaches 8.5:
C, 500. Lines: 60 % = 300 (B sits exactly on it), 50 % = 250, 40 % = 200.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.metrics import statistics as metrics
from sim.metrics import units_from_counts, weighted_selection, weighted_sums
from sim.metrics.statistics import (
    CHANGE_BANDS,
    SCB_SCALE,
    ConsumptionScale,
    absolute_poverty_rate,
    by_group,
    change_bands,
    consumption_units,
    consumption_units_from_counts,
    deciles,
    gini,
    loss_per_child,
    poverty_gap,
    poverty_gap_among_poor,
    poverty_line,
    poverty_rate,
    share,
    weighted_count,
    weighted_median,
    weighted_quantile,
    weighted_total,
)

COMMITTED_POPULATION = Path(__file__).resolve().parent.parent / "data/synthetic/population-2024"

STANDARD = np.array([220.0, 300.0, 500.0, 80.0, 700.0])
HH_WEIGHT = np.array([1.0, 2.0, 1.0, 0.0, 3.0])
PERSONS = np.array([2, 3, 3, 3, 2])
CHILDREN = np.array([1, 1, 0, 2, 0])
PERSON_WEIGHT = HH_WEIGHT * PERSONS  # [2, 6, 3, 0, 6]
CHILD_WEIGHT = HH_WEIGHT * CHILDREN  # [1, 2, 0, 0, 0]


def reference_lower_quantile(values, weights, q):
    """The definition, written independently: sort, cumulate, first index reaching q·W."""
    keep = weights > 0
    v, w = values[keep], weights[keep]
    order = np.argsort(v, kind="stable")
    cumulative = np.cumsum(w[order])
    for i, c in enumerate(cumulative):
        if c >= q * cumulative[-1]:
            return v[order][i]
    return v[order][-1]


# --------------------------------------------------------------------------------------------
# Weighted median and quantiles


def test_median_of_the_five_households():
    # Cumulative person weight 2, 8, 11, 17 at 220, 300, 500, 700: reaches 8.5 at 500.
    assert weighted_median(STANDARD, PERSON_WEIGHT) == 500.0


def test_median_at_exactly_half_is_the_lower_value():
    # Weights 2, 1, 1, 4 (total 8, half 4): cumulative 2, 3, 4 reaches 4 exactly at 3;
    # the lower median is 3 (not the midpoint 3.5, not the upper 4).
    assert weighted_median([1.0, 2.0, 3.0, 4.0], [2.0, 1.0, 1.0, 4.0]) == 3.0
    # Unweighted even count: 1, 2, 3, 4 -> 2.
    assert weighted_median([4.0, 3.0, 2.0, 1.0], [1.0, 1.0, 1.0, 1.0]) == 2.0


def test_median_with_ties_at_the_median():
    # Values 1, 5, 5, 5, 9 (unsorted input), weights 1: cumulative 1, 2, 3 reaches 2.5 at 5.
    assert weighted_median([5.0, 9.0, 5.0, 1.0, 5.0], [1.0, 1.0, 1.0, 1.0, 1.0]) == 5.0
    # Tie carrying the half: weights 3, 1, 1, 3 over 1, 2, 2, 3 (total 8, half 4):
    # cumulative 3 at 1, 5 at 2 -> 2.
    assert weighted_median([2.0, 1.0, 3.0, 2.0], [1.0, 3.0, 3.0, 1.0]) == 2.0


def test_median_ignores_zero_weights():
    # The zero-weight 80 (household D) would be the median if weights were counted per row.
    assert weighted_median([80.0, 80.0, 80.0, 1.0, 2.0], [0.0, 0.0, 0.0, 1.0, 1.0]) == 1.0
    # A heavy zero-weight value at the extreme is never the result of q = 0 or 1.
    assert weighted_quantile([-5.0, 1.0, 2.0, 99.0], [0.0, 1.0, 1.0, 0.0], 0.0) == 1.0
    assert weighted_quantile([-5.0, 1.0, 2.0, 99.0], [0.0, 1.0, 1.0, 0.0], 1.0) == 2.0


def test_median_all_equal_values():
    assert weighted_median([7.0, 7.0, 7.0], [1.0, 0.0, 5.0]) == 7.0


def test_median_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no observation has positive weight"):
        weighted_median([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="no observation has positive weight"):
        weighted_median(np.array([]), np.array([]))


def test_quantiles_of_the_five_households():
    # Person weights 2, 6, 3, 6 at 220, 300, 500, 700 (cumulative 2, 8, 11, 17).
    # q·17: 0.05 -> 0.85 and 0.1 -> 1.7 reached at 220; 0.2 -> 3.4 and 0.45 -> 7.65 at 300;
    # 0.5 -> 8.5 at 500; 0.7 -> 11.9 at 700; q = 0 the smallest, q = 1 the largest.
    for q, expected in [(0.05, 220), (0.1, 220), (0.2, 300), (0.45, 300), (0.5, 500), (0.7, 700)]:
        assert weighted_quantile(STANDARD, PERSON_WEIGHT, q) == expected
    assert list(weighted_quantile(STANDARD, PERSON_WEIGHT, [0.0, 0.2, 0.5, 0.7, 1.0])) == [
        220,
        300,
        500,
        700,
        700,
    ]


def test_quantile_rejects_bad_input():
    with pytest.raises(ValueError, match=r"q must lie in \[0, 1\]"):
        weighted_quantile([1.0], [1.0], 1.5)
    with pytest.raises(ValueError, match="non-negative"):
        weighted_median([1.0, 2.0], [1.0, -1.0])
    with pytest.raises(ValueError, match="NaN"):
        weighted_median([1.0, np.nan], [1.0, 1.0])
    with pytest.raises(ValueError, match="equal length"):
        weighted_median([1.0, 2.0], [1.0])


def test_median_equals_summary_module():
    from sim.population.summary import weighted_median as summary_median

    rng = np.random.default_rng(3)
    values = rng.integers(0, 50, 5000).astype(float)
    weights = rng.integers(1, 7, 5000).astype(float)
    assert weighted_median(values, weights) == summary_median(values, weights)


def test_selection_path_on_a_large_population_with_ties():
    # Far above the sort cutoff, heavy ties and many zero weights: selection == definition.
    rng = np.random.default_rng(11)
    values = rng.integers(0, 200, 100_000).astype(float)
    weights = rng.integers(0, 4, 100_000).astype(float)
    for q in (0.0, 0.1, 0.5, 0.77, 1.0):
        assert weighted_quantile(values, weights, q) == reference_lower_quantile(values, weights, q)


# --------------------------------------------------------------------------------------------
# Consumption units


def test_consumption_units_by_hand():
    # Single: 1.00. Single parent, 3 children: 1.00 + 0.52 + 0.42 + 0.42 = 2.36.
    # Couple, 1 child: 1.00 + 0.51 + 0.52 = 2.03. Two adults not a couple: 1.00 + 0.60 = 1.60.
    # Couple + adult child (20+) + 2 children: 1.00 + 0.51 + 0.60 + 0.52 + 0.42 = 3.05.
    # Empty household: 0.
    units = consumption_units_from_counts(
        n_adults=[1, 1, 2, 2, 3, 0],
        n_children=[0, 3, 1, 0, 2, 0],
        has_partner=[False, False, True, False, True, False],
    )
    np.testing.assert_allclose(units, [1.00, 2.36, 2.03, 1.60, 3.05, 0.0], rtol=0, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int8])
def test_consumption_units_of_unsigned_counts(dtype):
    # A single adult without children is 1.00 unit whatever the counts' type: a count of 0
    # less 1 must not wrap around (the formula's path, few households).
    units = consumption_units_from_counts(
        n_adults=np.array([1, 2, 1], dtype=dtype),
        n_children=np.array([0, 1, 2], dtype=dtype),
        has_partner=[False, True, False],
    )
    np.testing.assert_allclose(units, [1.00, 2.03, 1.94], rtol=0, atol=1e-12)


def test_consumption_units_from_persons_ignores_order():
    # Household 0: child, partner, first adult, child (any order) -> 1.00 + 0.51 + 0.52 + 0.42.
    # Household 1: two adults, no partner -> 1.60. Household 2: nobody -> 0.
    units = consumption_units(
        household_idx=[1, 0, 0, 1, 0, 0],
        is_child=[False, True, False, False, False, True],
        is_partner=[False, False, True, False, False, False],
        n_households=3,
    )
    np.testing.assert_allclose(units, [2.45, 1.60, 0.0], rtol=0, atol=1e-12)


def test_consumption_units_other_scale():
    square_root_ish = ConsumptionScale(
        first_adult=1.0, partner=0.5, other_adult=0.5, first_child=0.3, other_child=0.3
    )
    units = consumption_units_from_counts(
        n_adults=[2], n_children=[2], has_partner=[True], scale=square_root_ish
    )
    np.testing.assert_allclose(units, [2.1], rtol=0, atol=1e-12)
    assert SCB_SCALE.partner == 0.51


def test_consumption_units_rejects_impossible_households():
    with pytest.raises(ValueError, match="household 1 has children but no adult"):
        consumption_units_from_counts(n_adults=[1, 0], n_children=[0, 1], has_partner=[0, 0])
    with pytest.raises(ValueError, match="partner needs a second adult"):
        consumption_units_from_counts(n_adults=[1], n_children=[0], has_partner=[True])
    with pytest.raises(ValueError, match="more than one partner"):
        consumption_units(
            household_idx=[0, 0, 0],
            is_child=[False, False, False],
            is_partner=[False, True, True],
            n_households=1,
        )
    with pytest.raises(ValueError, match="a child cannot be a partner"):
        consumption_units(
            household_idx=[0, 0], is_child=[False, True], is_partner=[False, True], n_households=1
        )
    with pytest.raises(ValueError, match="exceeds n_households"):
        consumption_units(
            household_idx=[0, 2], is_child=[False, False], is_partner=[False, False], n_households=2
        )


def test_consumption_units_match_summary_on_the_committed_population():
    # The economic standard of sim.population.summary recomputed with metrics: the dwelling
    # is the household and the partner is the cohabiting partner of the dwelling's first unit.
    from sim.population.summary import economic_standard
    from sim.population.tables import Population

    population = Population.read(COMMITTED_POPULATION)
    p, hh = population.persons, population.households
    idx = p["household_idx"].to_numpy()
    is_child = p["is_child"].to_numpy()
    # Rank of each adult within its unit (persons are sorted by unit).
    adult = (~is_child).astype(np.int64)
    cum = np.cumsum(adult)
    first_row = np.searchsorted(idx, idx, side="left")
    adult_rank = cum - cum[first_row] + adult[first_row] - 1
    is_partner = (
        ~is_child
        & (adult_rank == 1)
        & hh["is_cohabiting"].to_numpy()[idx]
        & (hh["unit_role"].to_numpy()[idx] == 0)
    )
    n_dw = population.dwellings.height
    units = consumption_units(
        household_idx=p["dwelling_idx"].to_numpy(),
        is_child=is_child,
        is_partner=is_partner,
        n_households=n_dw,
    )
    income = np.bincount(
        hh["dwelling_idx"].to_numpy(),
        weights=population.household_months_array("disposable_income").sum(axis=1),
        minlength=n_dw,
    )
    standard, persons = economic_standard(population)
    # Same units summed in another order: equal to rounding of the last bit.
    np.testing.assert_allclose(income / units, standard, rtol=1e-12, atol=0)

    from sim.population.summary import gini as summary_gini
    from sim.population.summary import weighted_median as summary_median

    w = population.dwellings["weight"].to_numpy() * persons
    assert weighted_median(standard, w) == summary_median(standard, w)
    assert gini(standard, w) == pytest.approx(summary_gini(standard, w), rel=1e-12, abs=0)


# --------------------------------------------------------------------------------------------
# Poverty


def test_poverty_lines_of_the_five_households():
    assert poverty_line(STANDARD, PERSON_WEIGHT) == pytest.approx(300.0, rel=1e-15)
    assert poverty_line(STANDARD, PERSON_WEIGHT, share=0.5) == 250.0
    assert poverty_line(STANDARD, PERSON_WEIGHT, share=0.4) == 200.0
    with pytest.raises(ValueError, match="share must be positive"):
        poverty_line(STANDARD, PERSON_WEIGHT, share=0.0)


def test_poverty_rate_of_the_five_households():
    # 60 % line 300: only A (220, 2 persons) is below; B (300, 6 person weight) is exactly
    # on the line and not poor; D (80) has weight 0. Rate 2/17.
    assert poverty_rate(STANDARD, PERSON_WEIGHT, line=300.0) == 2 / 17
    # 50 % line 250: A -> 2/17. 40 % line 200: nobody -> 0.
    assert poverty_rate(STANDARD, PERSON_WEIGHT, line=250.0) == 2 / 17
    assert poverty_rate(STANDARD, PERSON_WEIGHT, line=200.0) == 0.0
    # Just above the line B counts: (2 + 6) / 17.
    assert poverty_rate(STANDARD, PERSON_WEIGHT, line=300.5) == 8 / 17


def test_child_poverty_two_ways():
    # Child weights 1 (A), 2 (B): at the 60 % line only A's child is poor: 1/3.
    assert poverty_rate(STANDARD, CHILD_WEIGHT, line=300.0) == 1 / 3
    # The same from person-level arrays with a mask: persons of A..E, children 0-17 marked.
    person_standard = np.repeat(STANDARD, PERSONS)
    person_weight = np.repeat(HH_WEIGHT, PERSONS)
    is_child_0_17 = np.concatenate(
        [np.arange(n) < c for n, c in zip(PERSONS, CHILDREN, strict=True)]
    )
    assert poverty_rate(person_standard, person_weight, line=300.0, within=is_child_0_17) == 1 / 3
    assert poverty_rate(person_standard, person_weight, line=300.0) == 2 / 17


def test_fixed_line_variant():
    # A reform lowers A to 150 and B to 280 and raises E: the scenario's own median is still
    # C (500), but with the baseline line held fixed the rate is compared on the same line.
    reform = np.array([150.0, 280.0, 500.0, 80.0, 900.0])
    baseline_line = poverty_line(STANDARD, PERSON_WEIGHT)
    assert poverty_rate(reform, PERSON_WEIGHT, line=baseline_line) == 8 / 17


def test_poverty_rate_empty_group_is_nan():
    nobody = np.zeros(5, dtype=bool)
    assert np.isnan(poverty_rate(STANDARD, PERSON_WEIGHT, line=300.0, within=nobody))
    assert np.isnan(poverty_rate(STANDARD, np.zeros(5), line=300.0))
    with pytest.raises(ValueError, match="within must be a boolean array of length 5"):
        poverty_rate(STANDARD, PERSON_WEIGHT, line=300.0, within=[1, 0, 0, 0, 0])


def test_poverty_gap_of_the_five_households():
    # Line 300: A's shortfall (300 - 220) / 300 = 4/15 with weight 2; everybody else 0.
    # FGT1 = 2 · (4/15) / 17 = 8/255. Among the poor: 4/15.
    assert poverty_gap(STANDARD, PERSON_WEIGHT, line=300.0) == pytest.approx(8 / 255, rel=1e-15)
    assert poverty_gap_among_poor(STANDARD, PERSON_WEIGHT, line=300.0) == pytest.approx(
        4 / 15, rel=1e-15
    )
    # Line 600: A 380/600, B 300/600, C 100/600 with weights 2, 6, 3:
    # (760 + 1800 + 300) / 600 = 2860/600 over 17 persons; over the 11 poor persons.
    assert poverty_gap(STANDARD, PERSON_WEIGHT, line=600.0) == pytest.approx(
        2860 / 600 / 17, rel=1e-15
    )
    assert poverty_gap_among_poor(STANDARD, PERSON_WEIGHT, line=600.0) == pytest.approx(
        2860 / 600 / 11, rel=1e-15
    )


def test_poverty_gap_censors_negative_standard_and_handles_nobody_poor():
    # A standard of -100 counts as 0: shortfall 1, not 4/3. Weights 1, 1 -> (1 + 0) / 2.
    assert poverty_gap([-100.0, 500.0], [1.0, 1.0], line=300.0) == 0.5
    assert poverty_gap([400.0, 500.0], [1.0, 1.0], line=300.0) == 0.0
    assert np.isnan(poverty_gap_among_poor([400.0, 500.0], [1.0, 1.0], line=300.0))
    assert np.isnan(poverty_gap([400.0], [0.0], line=300.0))
    with pytest.raises(ValueError, match="line must be positive"):
        poverty_gap([1.0], [1.0], line=0.0)


def test_absolute_poverty_rate_of_the_five_households():
    # Annual income vs riksnorm + reasonable housing per household, person weights 2,6,3,0,6:
    # A 90 < 100 poor; B 150 == 150 not poor (strict); C 200 < 210 poor; D weight 0;
    # E 400 >= 300. Rate (2 + 3) / 17.
    income = np.array([90.0, 150.0, 200.0, 10.0, 400.0])
    threshold = np.array([100.0, 150.0, 210.0, 100.0, 300.0])
    assert absolute_poverty_rate(income, threshold, PERSON_WEIGHT) == 5 / 17
    # Persons in households with children (A, B; person weights 2, 6): A poor -> 2/8.
    with_children = CHILDREN > 0
    assert absolute_poverty_rate(income, threshold, PERSON_WEIGHT, within=with_children) == 2 / 8
    # Children 0-17 themselves (child weights 1, 2): A's child -> 1/3.
    assert absolute_poverty_rate(income, threshold, CHILD_WEIGHT) == 1 / 3
    assert np.isnan(absolute_poverty_rate(income, threshold, np.zeros(5)))


# --------------------------------------------------------------------------------------------
# Gini


def test_gini_by_hand():
    # Values 0, 10, 20 with weights 1, 2, 1 (shares 1/4, 1/2, 1/4), mean 10. Mean absolute
    # difference over ordered pairs: 2 · (1/8·10 + 1/16·20 + 1/8·10) = 7.5; G = 7.5 / 20.
    # A zero-weight 1000 changes nothing.
    assert gini([0.0, 10.0, 20.0, 1000.0], [1.0, 2.0, 1.0, 0.0]) == pytest.approx(0.375, 1e-15)
    # One person has everything among four equal weights: (n - 1) / n = 0.75.
    assert gini([0.0, 0.0, 0.0, 8.0], [1.0, 1.0, 1.0, 1.0]) == pytest.approx(0.75, rel=1e-15)


def test_gini_equal_values_and_errors():
    assert gini([5.0, 5.0, 5.0], [1.0, 2.0, 0.0]) == 0.0
    assert gini([0.0, 0.0], [1.0, 1.0]) == 0.0
    assert gini([3.0, 100.0], [1.0, 0.0]) == 0.0
    with pytest.raises(ValueError, match="no observation has positive weight"):
        gini([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="weighted mean must be positive"):
        gini([-5.0, 1.0], [1.0, 1.0])


def test_gini_equals_summary_module():
    from sim.population.summary import gini as summary_gini

    rng = np.random.default_rng(5)
    values = rng.lognormal(12, 0.7, 3000)
    weights = rng.uniform(0.5, 4.0, 3000)
    assert gini(values, weights) == pytest.approx(summary_gini(values, weights), rel=1e-12, abs=0)


# --------------------------------------------------------------------------------------------
# Money and caseload


def test_totals_counts_and_shares():
    # FS paid per year by the five households, household weights 1, 2, 1, 0, 3:
    # 1·12000 + 2·0 + 1·6000 + 0·99999 + 3·1000 = 21000.
    fs = np.array([12000.0, 0.0, 6000.0, 99999.0, 1000.0])
    assert weighted_total(fs, HH_WEIGHT) == 21000.0
    assert weighted_total(fs, HH_WEIGHT) / 12 == 1750.0
    # Households with FS: A, C, E (D has weight 0): 1 + 1 + 3 = 5.
    assert weighted_count(fs > 0, HH_WEIGHT) == 5.0
    # Long-term (10-12 months) among recipients; months 12, 0, 3, 12, 10 -> A and E: 4/5.
    months = np.array([12, 0, 3, 12, 10])
    assert share(months >= 10, HH_WEIGHT, within=months > 0) == 4 / 5
    assert share(months >= 10, HH_WEIGHT) == 4 / 7
    # Children in households with FS: child weights 1 (A), 0 (C), 0 (E) -> 1.
    assert weighted_count(fs > 0, CHILD_WEIGHT) == 1.0


def test_totals_of_nothing():
    assert weighted_total(np.array([]), np.array([])) == 0.0
    assert weighted_count(np.zeros(3, dtype=bool), np.ones(3)) == 0.0
    assert np.isnan(share(np.ones(3, dtype=bool), np.ones(3), within=np.zeros(3, dtype=bool)))
    with pytest.raises(ValueError, match="mask must be a boolean array"):
        weighted_count([1, 0, 1], np.ones(3))


# --------------------------------------------------------------------------------------------
# Distribution


def test_change_bands_edges():
    change = [-1000.01, -1000.0, -100.01, -100.0, 0.0, 100.0, 100.01, 1000.0, 1000.01]
    assert change_bands(change).tolist() == [0, 1, 1, 2, 2, 2, 3, 3, 4]
    assert CHANGE_BANDS[0] == "large_loss" and CHANGE_BANDS[4] == "large_gain"
    # Other edges, including an "unchanged" band that is one point.
    assert change_bands([-2.0, -1.0, 0.0, 0.5, 3.0], edges=(-1.0, 0.0, 0.0, 2.0)).tolist() == [
        0,
        1,
        2,
        3,
        4,
    ]
    with pytest.raises(ValueError, match="a < b <= c < d"):
        change_bands([0.0], edges=(1.0, 0.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="without NaN"):
        change_bands([np.nan])
    assert change_bands(np.array([])).tolist() == []


def test_winners_and_losers_shares():
    # Monthly change of A..E, household weights 1, 2, 1, 0, 3 (total 7):
    # A -1500 large loss; B -50 unchanged; C 400 small gain; D -9999 (weight 0); E -300 small.
    change = np.array([-1500.0, -50.0, 400.0, -9999.0, -300.0])
    bands = change_bands(change)
    assert bands.tolist() == [0, 2, 3, 0, 1]
    stats = by_group(np.ones(5), HH_WEIGHT, bands, len(CHANGE_BANDS))
    assert stats.weight.tolist() == [1.0, 3.0, 2.0, 1.0, 0.0]
    assert (stats.weight / HH_WEIGHT.sum()).tolist() == [1 / 7, 3 / 7, 2 / 7, 1 / 7, 0.0]


def test_by_group_sums_and_means():
    # Groups (number of children, capped at 2) of A..E: 1, 1, 0, 2, 0.
    # Group 0: C (400, w 1) and E (-300, w 3): total 400 - 900 = -500, weight 4, mean -125.
    # Group 1: A (-1500, w 1), B (-50, w 2): total -1600, weight 3, mean -1600/3.
    # Group 2: D only, weight 0: total 0, mean nan. Group 3 (unused): nan.
    change = np.array([-1500.0, -50.0, 400.0, -9999.0, -300.0])
    stats = by_group(change, HH_WEIGHT, np.minimum(CHILDREN, 2), 4)
    assert stats.weight.tolist() == [4.0, 3.0, 0.0, 0.0]
    assert stats.total.tolist() == [-500.0, -1600.0, 0.0, 0.0]
    assert stats.mean[0] == -125.0 and stats.mean[1] == -1600 / 3
    assert np.isnan(stats.mean[2]) and np.isnan(stats.mean[3])
    only_b = np.array([False, True, False, False, False])
    assert by_group(change, HH_WEIGHT, CHILDREN, 3, within=only_b).total.tolist() == [
        0.0,
        -100.0,
        0.0,
    ]
    with pytest.raises(ValueError, match=r"group codes must lie in 0\.\.1"):
        by_group(change, HH_WEIGHT, CHILDREN, 2)
    with pytest.raises(ValueError, match="integer codes"):
        by_group(change, HH_WEIGHT, CHILDREN.astype(float), 3)


def test_deciles_by_hand():
    # Ten persons, values 1..10, weight 1 each: cuts at 1, 2, ..., 9 -> deciles 1..10.
    assert deciles(np.arange(1.0, 11.0), np.ones(10)).tolist() == list(range(1, 11))
    # The five households (person weights 2, 6, 3, 0, 6; cumulative 2, 8, 11, 17): cuts at
    # q·17 = 1.7 -> 220; 3.4, 5.1, 6.8 -> 300; 8.5, 10.2 -> 500; 11.9, 13.6, 15.3 -> 700.
    # A 220 is above no cut: decile 1. B 300 is above one cut (220; equal to three): decile 2.
    # C 500 is above four: decile 5. E 700 above six: decile 7. D 80 (weight 0): decile 1.
    assert deciles(STANDARD, PERSON_WEIGHT).tolist() == [1, 2, 5, 1, 7]
    # All equal: everybody in decile 1.
    assert deciles(np.full(4, 3.0), np.ones(4)).tolist() == [1, 1, 1, 1]
    with pytest.raises(ValueError, match="no observation has positive weight"):
        deciles(STANDARD, np.zeros(5))


def test_loss_per_child_by_hand():
    # Monthly change of A..E with children 1, 1, 0, 2, 0 and household weights 1, 2, 1, 0, 3:
    # A loses 600 (1 child, w 1), B loses 300 (1 child, w 2), C loses 100 but has no
    # children, D loses (weight 0), E gains. Σ w·loss = 600 + 600 = 1200 over Σ w·children =
    # 1 + 2 = 3 children: 400 per child.
    change = np.array([-600.0, -300.0, -100.0, -1000.0, 50.0])
    assert loss_per_child(change, CHILDREN, HH_WEIGHT) == 400.0
    # With min_loss 400 only A counts: 600 / 1.
    assert loss_per_child(change, CHILDREN, HH_WEIGHT, min_loss=400.0) == 600.0
    # A household of 2 children losing 1000 with weight 3 and one of 1 child losing 100:
    # (3000 + 100) / (6 + 1) = 3100 / 7.
    assert loss_per_child([-1000.0, -100.0], [2, 1], [3.0, 1.0]) == 3100 / 7
    # Nobody with children loses: nan.
    assert np.isnan(loss_per_child([100.0, -5.0], [1, 0], [1.0, 1.0]))
    # A loss exactly at min_loss does not count (strict).
    assert np.isnan(loss_per_child([-100.0], [1], [1.0], min_loss=100.0))


# --------------------------------------------------------------------------------------------
# Properties

int_weights = st.lists(st.integers(0, 6), min_size=1, max_size=300)


@st.composite
def values_and_int_weights(draw, min_size=1):
    weights = draw(st.lists(st.integers(0, 6), min_size=min_size, max_size=300))
    values = draw(
        st.lists(st.integers(-50, 50), min_size=len(weights), max_size=len(weights))
        | st.lists(
            st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False),
            min_size=len(weights),
            max_size=len(weights),
        )
    )
    assume(sum(weights) > 0)
    return np.array(values, dtype=float), np.array(weights, dtype=float)


@settings(max_examples=300, deadline=None)
@given(data=values_and_int_weights(), q=st.floats(0.0, 1.0))
def test_selection_equals_the_sorted_cumsum_definition(data, q):
    values, weights = data
    assert weighted_median(values, weights) == reference_lower_quantile(values, weights, 0.5)
    assert weighted_quantile(values, weights, q) == reference_lower_quantile(values, weights, q)
    assert weighted_quantile(values, weights, np.array([q]))[0] == reference_lower_quantile(
        values, weights, q
    )


@settings(max_examples=200, deadline=None)
@given(
    # Survey weights: 0 or at least 1e-3 (a subnormal q·W would round to 0).
    weights=st.lists(st.just(0.0) | st.floats(1e-3, 1e3), min_size=1, max_size=300),
    seed=st.integers(0, 2**32 - 1),
    q=st.floats(0.0, 1.0),
)
def test_quantile_with_fractional_weights_meets_the_definition(weights, seed, q):
    # With fractional weights the definition holds up to rounding of the partial sums:
    # W(v < x) < q·W and W(v <= x) >= q·W, each within 1e-9 of the total.
    w = np.array(weights)
    assume(w.sum() > 0)
    values = np.random.default_rng(seed).integers(0, 40, w.size).astype(float)
    x = weighted_quantile(values, w, q)
    assert w[x == values].sum() > 0
    total = w.sum()
    slack = 1e-9 * total
    if q > 0:
        assert w[values < x].sum() < q * total + slack
    assert w[values <= x].sum() >= q * total - slack


@settings(max_examples=200, deadline=None)
@given(data=values_and_int_weights(), line=st.floats(-1e6, 1e6), k=st.integers(-3, 3))
def test_poverty_rate_is_a_share_and_scale_free(data, line, k):
    values, weights = data
    rate = poverty_rate(values, weights, line=line)
    assert 0.0 <= rate <= 1.0
    # Scaling every weight by a power of two is exact in floating point: same rate, line, gap.
    scaled = weights * 2.0**k
    assert poverty_rate(values, scaled, line=line) == rate
    assert weighted_median(values, scaled) == weighted_median(values, weights)
    # Any other factor: equal up to rounding.
    assert poverty_rate(values, weights * 3.7, line=line) == pytest.approx(rate, rel=1e-12)
    if line > 0:
        gap = poverty_gap(values, weights, line=line)
        assert 0.0 <= gap <= rate + 1e-12
        assert poverty_gap(values, weights * 3.7, line=line) == pytest.approx(
            gap, rel=1e-12, abs=1e-15
        )


@settings(max_examples=200, deadline=None)
@given(data=values_and_int_weights())
def test_gini_is_in_unit_interval_and_matches_pairwise_formula(data):
    values, weights = data
    values = np.abs(values)
    keep = weights > 0
    if values[keep].min() == values[keep].max():
        assert gini(values, weights) == 0.0
        return
    g = gini(values, weights)
    assert 0.0 <= g < 1.0
    f = weights / weights.sum()
    mean = np.dot(f, values)
    pairwise = np.sum(f[:, None] * f[None, :] * np.abs(values[:, None] - values[None, :]))
    assert g == pytest.approx(pairwise / (2 * mean), rel=1e-9, abs=1e-12)
    assert gini(values, weights * 5.3) == pytest.approx(g, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(value=st.floats(0.0, 1e9), weights=int_weights)
def test_gini_of_equal_values_is_zero(value, weights):
    assume(sum(weights) > 0)
    assert gini(np.full(len(weights), value), np.array(weights, dtype=float)) == 0.0


@settings(max_examples=200, deadline=None)
@given(data=values_and_int_weights())
def test_deciles_are_monotone_and_reach_their_quantile(data):
    values, weights = data
    codes = deciles(values, weights)
    assert codes.min() >= 1 and codes.max() <= 10
    order = np.argsort(values, kind="stable")
    assert (np.diff(codes[order]) >= 0).all()
    total = weights.sum()
    for d in range(1, 10):
        # Lower quantile: at least d/10 of the weight is at or below the d-th cut.
        assert weights[codes <= d].sum() >= d / 10 * total


@settings(max_examples=200, deadline=None)
@given(change=st.lists(st.floats(-5000, 5000), max_size=50))
def test_change_bands_match_their_definition(change):
    x = np.array(change)
    expected = np.select(
        [x < -1000, x < -100, x <= 100, x <= 1000], [0, 1, 2, 3], default=4
    ).astype(np.int64)
    assert (change_bands(x) == expected).all()


@settings(max_examples=100, deadline=None)
@given(data=values_and_int_weights(), n_groups=st.integers(1, 5), seed=st.integers(0, 1000))
def test_by_group_matches_a_loop(data, n_groups, seed):
    values, weights = data
    groups = np.random.default_rng(seed).integers(0, n_groups, values.size)
    stats = by_group(values, weights, groups, n_groups)
    for g in range(n_groups):
        in_g = groups == g
        assert stats.weight[g] == weights[in_g].sum()
        assert stats.total[g] == pytest.approx(np.dot(weights[in_g], values[in_g]), abs=1e-6)
    assert stats.total.sum() == pytest.approx(weighted_total(values, weights), abs=1e-6)


def _imported_modules(module) -> set[str]:
    tree = ast.parse(Path(module.__file__).read_text())
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        f"{node.module}.{alias.name}"
        if node.module in ("sim", metrics.__package__)
        else node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_module_imports_only_numpy():
    # Metrics see numpy arrays only (design §3): no frame library, nothing of the model
    # except the compiled selection, which sees the same arrays and imports numba only.
    assert _imported_modules(metrics) <= {
        "__future__",
        "dataclasses",
        "functools",
        "typing",
        "numpy",
        "numpy.typing",
        "sim.metrics.units_from_counts",
        "sim.metrics.weighted_selection",
        "sim.metrics.weighted_sums",
    }
    for compiled in (weighted_selection, weighted_sums, units_from_counts):
        assert _imported_modules(compiled) <= {"__future__", "typing", "numpy", "numba"}


def _many(seed: int, n: int = 200_000) -> tuple[np.ndarray, np.ndarray]:
    """Values and whole-number weights (every partial sum exact), enough for the compiled
    paths."""
    assert n >= metrics._COMPILED_FROM
    rng = np.random.default_rng(seed)
    values = rng.integers(-5_000, 400_000, n).astype(np.float64)
    weights = rng.integers(0, 300, n).astype(np.float64)
    return values, weights


def test_compiled_sums_of_many_values_equal_the_definitions():
    values, weights = _many(1)
    line = float(np.median(values))
    # Whole numbers: every sum is exact, in any order, so the results must be equal.
    assert metrics.poverty_rate(values, weights, line=line) == (
        weights[values < line].sum() / weights.sum()
    )
    assert metrics.weighted_total(values, weights) == float(np.dot(values, weights))
    within = np.arange(values.size) % 3 == 0
    assert metrics.poverty_rate(values, weights, line=line, within=within) == (
        weights[within & (values < line)].sum() / weights[within].sum()
    )
    # A bad weight outside the group is still refused: the full weights are checked.
    bad = weights.copy()
    bad[1] = -1.0
    assert not within[1]
    with pytest.raises(ValueError, match="weights must be finite and non-negative"):
        metrics.poverty_rate(values, bad, line=line, within=within)

    def sorted_median(v, w):
        positive = w > 0  # weight 0 takes no part
        order = np.argsort(v[positive], kind="stable")
        cumulative = np.cumsum(w[positive][order])
        return v[positive][order][np.searchsorted(cumulative, cumulative[-1] / 2)]

    # Some weights 0 (filtered first), and all positive (the total from the one pass).
    assert not (weights > 0).all()
    for w in (weights, weights + 1.0):
        assert metrics.weighted_median(values, w) == sorted_median(values, w)


@pytest.mark.parametrize("bad", ["nan value", "negative weight", "infinite weight", "nan weight"])
@pytest.mark.parametrize(
    "call",
    [
        lambda v, w: metrics.poverty_rate(v, w, line=1000.0),
        lambda v, w: metrics.weighted_total(v, w),
        lambda v, w: metrics.weighted_median(v, w),
    ],
    ids=["poverty_rate", "weighted_total", "weighted_median"],
)
def test_compiled_sums_refuse_bad_input_like_numpy(bad, call):
    values, weights = _many(2)
    weights += 1.0
    where = 123_456
    if bad == "nan value":
        values[where] = np.nan
        message = "values contain NaN"
    else:
        weights[where] = {"negative weight": -1.0, "infinite weight": np.inf}.get(bad, np.nan)
        message = "weights must be finite and non-negative"
    with pytest.raises(ValueError, match=message):
        call(values, weights)


@pytest.mark.parametrize("q", [0.001, 0.1, 0.5, 0.9, 1.0])
def test_selection_of_many_values_meets_the_sorted_definition(q):
    # 300 000 values take the compiled, sampled-bracket path; integer weights make every partial sum
    # exact, so selection and the sorted definition must agree exactly.
    rng = np.random.default_rng(6)
    values = rng.lognormal(12.0, 0.7, 300_000).round(0)
    weights = rng.integers(1, 400, values.size).astype(float)
    expected = metrics._sorted_lower_quantiles(values, weights, np.array([q]))[0]
    assert weighted_quantile(values, weights, q) == expected


def test_selection_with_few_distinct_values_meets_the_sorted_definition():
    # Ties everywhere: the bracket cannot shrink, the quickselect takes over.
    rng = np.random.default_rng(7)
    values = rng.integers(0, 3, 300_000).astype(float)
    weights = rng.integers(1, 10, values.size).astype(float)
    for q in (0.2, 0.5, 0.8):
        expected = metrics._sorted_lower_quantiles(values, weights, np.array([q]))[0]
        assert weighted_quantile(values, weights, q) == expected


def test_quickselect_meets_the_sorted_definition():
    # The fallback when a sample's bracket misses the quantile, checked on its own.
    rng = np.random.default_rng(8)
    values = rng.normal(0.0, 1.0, 200_000).round(3)
    weights = rng.integers(1, 50, values.size).astype(float)
    for q in (0.05, 0.5, 0.95):
        expected = metrics._sorted_lower_quantiles(values, weights, np.array([q]))[0]
        target = q * weights.sum()
        assert (
            weighted_selection._weighted_quickselect(values.copy(), weights.copy(), target)
            == expected
        )


def test_consumption_units_of_many_households_are_the_formula():
    # From 4 096 households the units are looked up per (adults, children, partner).
    rng = np.random.default_rng(9)
    n = 20_000
    adults = rng.integers(1, 3, n).astype(np.int8)
    children = rng.integers(0, 9, n)
    partner = (adults == 2) & (rng.random(n) < 0.7)
    few = [
        consumption_units_from_counts(n_adults=[a], n_children=[c], has_partner=[p])[0]
        for a, c, p in zip(adults[:300], children[:300], partner[:300], strict=True)
    ]
    many = consumption_units_from_counts(n_adults=adults, n_children=children, has_partner=partner)
    assert np.array_equal(many[:300], np.array(few))
    assert np.array_equal(
        many,
        metrics._units(adults.astype(np.int64), children, partner, metrics.SCB_SCALE),
    )


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint8])
def test_consumption_units_of_very_many_households_are_the_formula(dtype):
    # From _COMPILED_FROM households the checks and the lookup are one compiled pass
    # (sim.metrics.units_from_counts); counts beyond the table take the formula.
    rng = np.random.default_rng(10)
    n = 2 * metrics._COMPILED_FROM
    adults = rng.integers(0, 4, n).astype(dtype)
    children = np.where(adults > 0, rng.integers(0, 12, n), 0).astype(dtype)
    partner = (adults >= 2) & (rng.random(n) < 0.7)
    formula = metrics._units(adults.astype(np.int64), children.astype(np.int64), partner, SCB_SCALE)
    many = consumption_units_from_counts(n_adults=adults, n_children=children, has_partner=partner)
    assert np.array_equal(many, formula)
    max_children = metrics._TABLE_CHILDREN
    assert units_from_counts.units_from_counts(
        adults,
        children,
        partner,
        metrics._units_table(SCB_SCALE),
        metrics._TABLE_ADULTS,
        max_children,
        np.empty(n),
    )
    children[-1] = max_children + 1  # beyond the table
    adults[-1] = 1
    beyond = consumption_units_from_counts(
        n_adults=adults, n_children=children, has_partner=partner
    )
    assert beyond[-1] == 1.0 + 0.52 + 0.42 * max_children
    assert np.array_equal(beyond[:-1], formula[:-1])


@pytest.mark.parametrize(
    ("row", "adults", "children", "partner", "message"),
    [
        (-1, 0, 1, False, "household 131071 has children but no adult"),
        (-1, 1, 0, True, "partner needs a second adult"),
        (5, -1, 0, False, "counts must be non-negative"),
    ],
)
def test_consumption_units_of_very_many_households_are_checked(
    row, adults, children, partner, message
):
    n = 2 * metrics._COMPILED_FROM
    counts = {
        "n_adults": np.ones(n, dtype=np.int64),
        "n_children": np.ones(n, dtype=np.int64),
        "has_partner": np.zeros(n, dtype=bool),
    }
    counts["n_adults"][row], counts["n_children"][row] = adults, children
    counts["has_partner"][row] = partner
    with pytest.raises(ValueError, match=message):
        consumption_units_from_counts(**counts)


@pytest.mark.parametrize("n", [300, 20_000, 100_000])  # formula, lookup, compiled lookup
def test_consumption_units_written_into_out_are_the_same(n):
    rng = np.random.default_rng(n)
    adults = rng.integers(1, 4, n).astype(np.int8)
    children = rng.integers(0, 5, n).astype(np.int8)
    partner = (adults >= 2) & (rng.random(n) < 0.6)
    counts = dict(n_adults=adults, n_children=children, has_partner=partner)
    out = np.full(n, np.nan)
    returned = consumption_units_from_counts(**counts, out=out)
    assert returned is out
    assert np.array_equal(out, consumption_units_from_counts(**counts))
