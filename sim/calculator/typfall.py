"""The typfall household: the government's "sammanboende + 5 barn" (docs/reforms.md §2.1.1),
under current rules and a reform, rule by rule, for the report's typfall chart
(:mod:`sim.outputs.charts.typfall`, which draws what :func:`typfall_comparison` computes)."""

from __future__ import annotations

from sim.calculator.household import HouseholdComparison, HouseholdSpec, compare

#: The typfall household of docs/reforms.md §2.1.1: a couple aged 38 and 40 without income,
#: children 3, 6, 9, 12 and 15, housing cost 16 180 kr (reasonable-housing level × 1.4).
TYPFALL = HouseholdSpec(
    adults=2,
    adult_ages=(38, 40),
    child_ages=(3, 6, 9, 12, 15),
    housing_cost=16_180.0,
    housing_limit_factor=1.4,
)
#: The month of the year it is computed in (September, as the chart says).
TYPFALL_MONTH = 9


def typfall_comparison(year: int, scenario: str = "kombinerad") -> HouseholdComparison:
    """The typfall household in September of ``year`` under current rules and ``scenario``,
    with the scenario's changes added one parameter at a time
    (:func:`sim.calculator.household.compare`: the steps add up to the change).

    >>> comparison = typfall_comparison(2027, "bidragstak")
    >>> round(comparison.baseline["total_support"]), round(comparison.reform["total_support"])
    (46500, 38296)
    """
    return compare(TYPFALL, date=f"{year}-{TYPFALL_MONTH:02d}", scenario=scenario)
