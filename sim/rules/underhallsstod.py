"""Underhållsstöd (SFB (2010:110) 18 kap.).

Paid by Försäkringskassan to the resident parent when the other parent does not pay
underhållsbidrag; the full amount depends on the child's age (18:20). Whether a child
receives it is an input (``receives_underhallsstod``). The reduction for the child's own
income (18:30) is not modelled.

A compiled function of one child (:mod:`sim.common.jit`) reading the law as an
:class:`UnderhallsstodLaw`; :mod:`sim.engine.benefits_pass` adds it up for every household.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from sim.common.jit import jit
from sim.rules.tables import columns, lookup


class UnderhallsstodLaw(NamedTuple):
    """18 kap. as the compiled rule reads it (:func:`underhallsstod_law`)."""

    age_limit: float
    #: The full amount by the child's age (18:20): bracket bounds and amounts.
    amount_age_from: tuple[float, ...]
    amount: tuple[float, ...]


@functools.lru_cache(maxsize=16)
def underhallsstod_law(p: Any) -> UnderhallsstodLaw:
    """The law's ``underhallsstod`` section as an :class:`UnderhallsstodLaw` (cached)."""
    age_from, amount = columns(p.amount, "amount")
    return UnderhallsstodLaw(age_limit=float(p.age_limit), amount_age_from=age_from, amount=amount)


@jit(inline="always")
def underhallsstod(
    age: float, receives_underhallsstod: bool, law: UnderhallsstodLaw
) -> float:  # pragma: no cover
    """Underhållsstöd for one child, SEK/month: the full amount for its age (18:20) if it is
    paid for the child and the child is under the age limit, else 0.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = underhallsstod_law(default_law().resolve(dt.date(2026, 1, 1)).underhallsstod)
    >>> [underhallsstod(age, True, law) for age in (3.0, 7.0, 15.0, 20.0)]
    [1673.0, 1823.0, 2223.0, 0.0]
    >>> underhallsstod(3.0, False, law)
    0.0
    """
    if receives_underhallsstod and age < law.age_limit:
        return lookup(law.amount_age_from, law.amount, age)
    return 0.0
