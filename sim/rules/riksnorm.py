"""Riksnormen: the norm part of försörjningsstöd.

SoL (2025:400) 12 kap. 7 § första stycket 1 and socialtjänstförordning (2025:468)
12 kap. 2-3 §§: the riksnorm of a household is the sum of the personal costs of all its
members and the common household cost for its size. Households of more than seven persons
add, per extra member, the difference between the costs for seven and six persons (3 §).

Compiled functions of one child and one household (:mod:`sim.common.jit`) reading the law as a
:class:`RiksnormLaw`; :mod:`sim.engine.riksnorm_pass` adds them up for every household.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from sim.common.jit import jit
from sim.rules.tables import columns, lookup


class RiksnormLaw(NamedTuple):
    """SoF 12 kap. 2-3 §§ as the compiled rules read them (:func:`riksnorm_law`)."""

    #: A child's personal cost by age (2 §, first table): bounds, with lunch at home and
    #: "utan lunch" (lunch in förskola).
    child_age_from: tuple[float, ...]
    child_with_lunch: tuple[float, ...]
    child_without_lunch: tuple[float, ...]
    adult_single: float
    adults_cohabiting: float
    #: Gemensamma hushållskostnader by household size (2 §, second table): bounds, amounts.
    common_n_persons: tuple[float, ...]
    common_amount: tuple[float, ...]


@functools.lru_cache(maxsize=16)
def riksnorm_law(p: Any) -> RiksnormLaw:
    """A riksnorm section of the law (``riksnorm`` or ``riksnorm_modernised``) as a
    :class:`RiksnormLaw` (cached by the section)."""
    age_from, with_lunch, without_lunch = columns(
        p.personal_cost_child, "with_lunch", "without_lunch"
    )
    n_persons, amount = columns(p.common_cost, "amount")
    return RiksnormLaw(
        child_age_from=age_from,
        child_with_lunch=with_lunch,
        child_without_lunch=without_lunch,
        adult_single=float(p.adult_single),
        adults_cohabiting=float(p.adults_cohabiting),
        common_n_persons=n_persons,
        common_amount=amount,
    )


@jit(inline="always")
def child_personal_cost(
    age: float, has_preschool_lunch: bool, law: RiksnormLaw
) -> float:  # pragma: no cover
    """Personal cost of a hemmavarande child or skolungdom by age, SEK/month (SoF 12:2).

    Children 0-6 who eat lunch in förskola five days a week take the lower "utan lunch"
    amount (the first table of 12 kap. 2 §).

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = riksnorm_law(default_law().resolve(dt.date(2026, 1, 1)).riksnorm)
    >>> child_personal_cost(5.0, False, law), child_personal_cost(5.0, True, law)
    (3060.0, 2720.0)
    >>> child_personal_cost(12.0, False, law)
    4390.0
    """
    if has_preschool_lunch:
        return lookup(law.child_age_from, law.child_without_lunch, age)
    return lookup(law.child_age_from, law.child_with_lunch, age)


@jit(inline="always")
def personal_cost_adults(
    n_adults: int, is_cohabiting: bool, law: RiksnormLaw
) -> float:  # pragma: no cover
    """Personal cost of the household's adults (SoF 12:2): "sambo" for a couple, else
    "ensamstående" per adult, SEK/month.

    A biståndshushåll has one adult, or two who are married or sambo (see
    sim.engine.entities.validate), so the sambo amount covers both.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = riksnorm_law(default_law().resolve(dt.date(2026, 1, 1)).riksnorm)
    >>> personal_cost_adults(1, False, law), personal_cost_adults(2, True, law)
    (3940.0, 7100.0)
    """
    if is_cohabiting:
        return law.adults_cohabiting
    return law.adult_single * n_adults


@jit(inline="always")
def common_cost(n_persons: int, law: RiksnormLaw) -> float:  # pragma: no cover
    """Gemensamma hushållskostnader by household size, SEK/month (SoF 12:2), with the
    12 kap. 3 § step for each member above the table's largest size (seven): the cost of
    seven less that of six.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = riksnorm_law(default_law().resolve(dt.date(2026, 1, 1)).riksnorm)
    >>> [common_cost(n, law) for n in (1, 2, 7, 8, 10)]
    [1280.0, 1410.0, 2830.0, 3020.0, 3400.0]
    """
    sizes, amounts = law.common_n_persons, law.common_amount
    largest = sizes[len(sizes) - 1]
    step = amounts[len(amounts) - 1] - amounts[len(amounts) - 2]
    above = n_persons - largest
    return lookup(sizes, amounts, min(n_persons, int(largest))) + max(above, 0.0) * step
