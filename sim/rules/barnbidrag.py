"""Barnbidrag, studiebidrag and flerbarnstillägg (SFB (2010:110) 15 kap.).

Allmänt barnbidrag is paid per child up to the quarter the child turns 16 (15:3); förlängt
barnbidrag (15:5) or CSN's studiebidrag (same amount) while the child is in school up to
the spring of the year it turns 20. Flerbarnstillägg (15:8) depends on the number of
children with barnbidrag or studiebidrag (15:9). All children of the household are counted
together, as for spouses and for sambos with a joint child (15:12). Simplifications: whole
years of age instead of quarters; studiebidrag paid in every month, not ten of twelve.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.rules.households import household_count


def is_barnbidrag_child(
    *, age: np.ndarray, is_child: np.ndarray, is_in_school: np.ndarray, p: Any
) -> np.ndarray:
    """True for a child with allmänt or förlängt barnbidrag or studiebidrag."""
    young = age < p.age_limit
    in_school = is_in_school & (age < p.studiebidrag_age_limit)
    return is_child & (young | in_school)


def flerbarnstillagg_for_count(n_children: np.ndarray, *, p: Any) -> np.ndarray:
    """Flerbarnstillägg for a household with this many children with barnbidrag (15:8).

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).barnbidrag
    >>> flerbarnstillagg_for_count(np.array([0, 1, 2, 3, 4, 5, 6]), p=p).tolist()
    [0.0, 0.0, 150.0, 730.0, 1740.0, 2990.0, 4240.0]
    """
    largest = int(np.max(n_children, initial=0))
    ranks = np.arange(1, largest + 1)
    cumulative = np.r_[0.0, np.cumsum(p.flerbarnstillagg.lookup("supplement", ranks))]
    return cumulative[n_children]


def barnbidrag(
    *,
    household_idx: np.ndarray,
    age: np.ndarray,
    is_child: np.ndarray,
    is_in_school: np.ndarray,
    n_households: int,
    p: Any,
) -> dict[str, np.ndarray]:
    """Barnbidrag (incl. studiebidrag) and flerbarnstillägg per household, SEK/month.

    Returns ``n_children`` (with barnbidrag), ``barnbidrag``, ``flerbarnstillagg``, ``total``.
    """
    eligible = is_barnbidrag_child(age=age, is_child=is_child, is_in_school=is_in_school, p=p)
    n_children = household_count(eligible, household_idx=household_idx, n_households=n_households)
    amount = n_children * p.amount_per_child
    supplement = flerbarnstillagg_for_count(n_children, p=p)
    return {
        "n_children": n_children,
        "barnbidrag": amount,
        "flerbarnstillagg": supplement,
        "total": amount + supplement,
    }
