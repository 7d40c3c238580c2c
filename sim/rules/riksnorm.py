"""Riksnormen: the norm part of försörjningsstöd.

SoL (2025:400) 12 kap. 7 § första stycket 1 and socialtjänstförordning (2025:468)
12 kap. 2-3 §§: the riksnorm of a household is the sum of the personal costs of all its
members and the common household cost for its size. Households of more than seven persons
add, per extra member, the difference between the costs for seven and six persons (3 §).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.rules.households import household_count, household_sum, once_per_count


def personal_cost_children(
    *, age: np.ndarray, has_preschool_lunch: np.ndarray, is_child: np.ndarray, p: Any
) -> np.ndarray:
    """Personal cost of each hemmavarande child or skolungdom (0 for adults), SEK/month.

    Children 0-6 who eat lunch in förskola five days a week take the lower "utan lunch"
    amount (SoF (2025:468) 12 kap. 2 §, first table).

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).riksnorm
    >>> personal_cost_children(age=np.array([5, 5, 12, 40]),
    ...     has_preschool_lunch=np.array([False, True, False, False]),
    ...     is_child=np.array([True, True, True, False]), p=p).tolist()
    [3060.0, 2720.0, 4390.0, 0.0]
    """
    cost = np.zeros(np.shape(age))
    children = np.flatnonzero(is_child)
    cost[children] = child_personal_cost(
        age=age[children], has_preschool_lunch=has_preschool_lunch[children], p=p
    )
    return cost


def child_personal_cost(*, age: np.ndarray, has_preschool_lunch: np.ndarray, p: Any) -> np.ndarray:
    """:func:`personal_cost_children` for children only (every row a child), SEK/month.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).riksnorm
    >>> child_personal_cost(age=np.array([5, 5, 12]),
    ...     has_preschool_lunch=np.array([False, True, False]), p=p).tolist()
    [3060.0, 2720.0, 4390.0]
    """
    table = p.personal_cost_child
    return np.where(
        has_preschool_lunch,
        table.lookup("without_lunch", age),
        table.lookup("with_lunch", age),
    )


def personal_cost_adults(*, n_adults: np.ndarray, is_cohabiting: np.ndarray, p: Any) -> np.ndarray:
    """Personal cost of the household's adults: "sambo" for a couple, else "ensamstående".

    A biståndshushåll has one adult, or two who are married or sambo (see
    sim.engine.entities.validate), so the sambo amount covers both.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).riksnorm
    >>> personal_cost_adults(n_adults=np.array([1, 2]), is_cohabiting=np.array([False, True]), p=p).tolist()
    [3940.0, 7100.0]
    """
    return np.where(is_cohabiting, p.adults_cohabiting, p.adult_single * n_adults)


def common_cost(*, n_persons: np.ndarray, p: Any) -> np.ndarray:
    """Gemensamma hushållskostnader by household size, with the 12 kap. 3 § step above 7.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).riksnorm
    >>> common_cost(n_persons=np.array([1, 2, 7, 8, 10]), p=p).tolist()
    [1280.0, 1410.0, 2830.0, 3020.0, 3400.0]
    """
    table = p.common_cost
    sizes = table["n_persons"]
    amounts = table["amount"]
    largest = sizes[-1]
    step = amounts[-1] - amounts[-2]

    def cost(n: np.ndarray) -> np.ndarray:
        # A whole-number bound keeps the counts integers.
        return (
            table.lookup("amount", np.minimum(n, int(largest))) + np.maximum(n - largest, 0) * step
        )

    return once_per_count(n_persons, cost)


def riksnorm(
    *,
    household_idx: np.ndarray,
    age: np.ndarray,
    is_child: np.ndarray,
    has_preschool_lunch: np.ndarray,
    is_cohabiting: np.ndarray,
    p: Any,
    child_cost_factor: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Riksnorm per household and its parts, SEK/month.

    ``child_cost_factor`` scales each child's personal cost (the bidragstak's fourth-child
    rule); None means 1. Returns ``personal_children``, ``personal_adults``, ``common`` and
    ``total``.
    """
    n_households = len(is_cohabiting)
    children = personal_cost_children(
        age=age, has_preschool_lunch=has_preschool_lunch, is_child=is_child, p=p
    )
    if child_cost_factor is not None:
        children = children * child_cost_factor
    personal_children = household_sum(
        children, household_idx=household_idx, n_households=n_households
    )
    n_persons = np.bincount(household_idx, minlength=n_households)
    n_adults = household_count(~is_child, household_idx=household_idx, n_households=n_households)
    personal_adults = personal_cost_adults(n_adults=n_adults, is_cohabiting=is_cohabiting, p=p)
    common = common_cost(n_persons=n_persons, p=p)
    return {
        "personal_children": personal_children,
        "personal_adults": personal_adults,
        "common": common,
        "total": personal_children + personal_adults + common,
    }
