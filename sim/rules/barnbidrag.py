"""Barnbidrag, studiebidrag and flerbarnstillägg (SFB (2010:110) 15 kap.).

Allmänt barnbidrag is paid per child up to the quarter the child turns 16 (15:3); förlängt
barnbidrag (15:5) or CSN's studiebidrag (same amount) while the child is in school up to
the spring of the year it turns 20. Flerbarnstillägg (15:8) depends on the number of
children with barnbidrag or studiebidrag (15:9). All children of the household are counted
together, as for spouses and for sambos with a joint child (15:12). Simplifications: whole
years of age instead of quarters; studiebidrag paid in every month, not ten of twelve.

The rules are compiled functions of one child or one household (:mod:`sim.common.jit`), reading
the law as a :class:`BarnbidragLaw`; :mod:`sim.engine.benefits_pass` runs them for every household.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from sim.common.jit import jit
from sim.rules.tables import columns, lookup


class BarnbidragLaw(NamedTuple):
    """15 kap. as the compiled rules read it (:func:`barnbidrag_law`)."""

    age_limit: float
    studiebidrag_age_limit: float
    amount_per_child: float
    #: Flerbarnstillägg by the child's rank (15:8): bracket bounds and marginal amounts.
    flerbarnstillagg_rank_from: tuple[float, ...]
    flerbarnstillagg_supplement: tuple[float, ...]


@functools.lru_cache(maxsize=16)
def barnbidrag_law(p: Any) -> BarnbidragLaw:
    """The law's ``barnbidrag`` section as a :class:`BarnbidragLaw` (cached by the section)."""
    rank_from, supplement = columns(p.flerbarnstillagg, "supplement")
    return BarnbidragLaw(
        age_limit=float(p.age_limit),
        studiebidrag_age_limit=float(p.studiebidrag_age_limit),
        amount_per_child=float(p.amount_per_child),
        flerbarnstillagg_rank_from=rank_from,
        flerbarnstillagg_supplement=supplement,
    )


@jit(inline="always")
def is_barnbidrag_child(
    age: float, is_in_school: bool, law: BarnbidragLaw
) -> bool:  # pragma: no cover
    """Whether a child has allmänt barnbidrag (under 16, 15:3) or förlängt barnbidrag or
    studiebidrag (in school, under 20: 15:5, studiestödslagen (1999:1395) 2 kap. 4 §).

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = barnbidrag_law(default_law().resolve(dt.date(2026, 1, 1)).barnbidrag)
    >>> is_barnbidrag_child(15.0, False, law), is_barnbidrag_child(17.0, False, law)
    (True, False)
    >>> is_barnbidrag_child(17.0, True, law), is_barnbidrag_child(20.0, True, law)
    (True, False)
    """
    return age < law.age_limit or (is_in_school and age < law.studiebidrag_age_limit)


@jit(inline="always")
def barnbidrag(n_children: int, law: BarnbidragLaw) -> float:  # pragma: no cover
    """Barnbidrag (incl. studiebidrag) of a household with ``n_children`` children with it,
    SEK/month (15:3: the amount per child).

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> barnbidrag(3, barnbidrag_law(default_law().resolve(dt.date(2026, 1, 1)).barnbidrag))
    3750.0
    """
    return n_children * law.amount_per_child


@jit(inline="always")
def flerbarnstillagg(n_children: int, law: BarnbidragLaw) -> float:  # pragma: no cover
    """Flerbarnstillägg of a household with ``n_children`` children with barnbidrag or
    studiebidrag, SEK/month (15:8-9): the marginal amounts of the ranks 1 to ``n_children``
    added up.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = barnbidrag_law(default_law().resolve(dt.date(2026, 1, 1)).barnbidrag)
    >>> [flerbarnstillagg(n, law) for n in range(7)]
    [0.0, 0.0, 150.0, 730.0, 1740.0, 2990.0, 4240.0]
    """
    total = 0.0
    for rank in range(1, n_children + 1):
        total += lookup(law.flerbarnstillagg_rank_from, law.flerbarnstillagg_supplement, rank)
    return total
