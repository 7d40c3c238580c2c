"""Aktivitetskrav (prop. 2025/26:207; SoL (2025:400) 12 kap. 4 a-6 a §§ as reported).

From FS for October 2026, anyone who has received försörjningsstöd for at least three
consecutive months must take part in activities, full time as the main rule and reduced for
part-time work, unless exempt: under 18; 18-20 in grundskola or gymnasieskola; in full-time
occupation; at or above the riktålder för pension; with sjukpenning, sjukersättning or
certain other social-insurance benefits (modelled: föräldrapenning); in a full-time
Arbetsförmedlingen programme (aktivitetsstöd) or the etableringsprogram; sick with a
läkarintyg. A refusal without godtagbart skäl means försörjningsstöd "ska vägras eller
sättas ned"; the size is an assumption.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def is_exempt(
    *,
    age: np.ndarray,
    is_child: np.ndarray,
    is_in_school: np.ndarray,
    earnings: np.ndarray,
    sjukpenning: np.ndarray,
    sjukersattning: np.ndarray,
    aktivitetsstod: np.ndarray,
    etableringsersattning: np.ndarray,
    foraldrapenning: np.ndarray,
    is_sick_certified: np.ndarray,
    p: Any,
) -> np.ndarray:
    """True for persons the requirement may not be placed on.

    >>> from types import SimpleNamespace as P
    >>> p = P(min_age=18, school_age_limit=21, pension_age=67, full_time_earnings=22000)
    >>> z = np.zeros(4)
    >>> is_exempt(age=np.array([30, 30, 68, 19]), is_child=np.array([False, False, False, True]),
    ...     is_in_school=np.array([False, False, False, True]), earnings=np.array([0, 25000, 0, 0]),
    ...     sjukpenning=z, sjukersattning=z, aktivitetsstod=z, etableringsersattning=z,
    ...     foraldrapenning=z, is_sick_certified=np.zeros(4, bool), p=p).tolist()
    [False, True, True, True]
    """
    return (
        is_child
        | (age < p.min_age)
        | (is_in_school & (age < p.school_age_limit))
        | (age >= p.pension_age)
        | (earnings >= p.full_time_earnings)
        | (sjukpenning > 0)
        | (sjukersattning > 0)
        | (aktivitetsstod > 0)
        | (etableringsersattning > 0)
        | (foraldrapenning > 0)
        | is_sick_certified
    )


def persons_exempt(persons: Any, *, is_sick_certified: np.ndarray, p: Any) -> np.ndarray:
    """:func:`is_exempt` for :class:`sim.engine.entities.Persons` (the one place that maps its fields)."""
    return is_exempt(
        age=persons.age,
        is_child=persons.is_child,
        is_in_school=persons.is_in_school,
        earnings=persons.earnings_gross,
        sjukpenning=persons.sjukpenning,
        sjukersattning=persons.sjukersattning,
        aktivitetsstod=persons.aktivitetsstod,
        etableringsersattning=persons.etableringsersattning,
        foraldrapenning=persons.foraldrapenning,
        is_sick_certified=is_sick_certified,
        p=p,
    )


def is_covered(
    *, months_on_fs: np.ndarray, on_fs: np.ndarray, exempt: np.ndarray, p: Any
) -> np.ndarray:
    """True for persons the requirement applies to this month.

    ``months_on_fs``: the household's consecutive months with FS before this month;
    ``on_fs``: the household applies for FS this month.

    >>> from types import SimpleNamespace as P
    >>> is_covered(months_on_fs=np.array([2, 3, 3, 5]), on_fs=np.array([True, True, True, False]),
    ...     exempt=np.array([False, False, True, False]), p=P(in_force=1.0, required_months=3)).tolist()
    [False, True, False, False]
    """
    return (p.in_force > 0) & (months_on_fs >= p.required_months) & on_fs & ~exempt


def required_hours_week(
    *, earnings: np.ndarray, covered: np.ndarray, full_time_hours: float, full_time_earnings: float
) -> np.ndarray:
    """Hours of activity a week: full time, reduced in proportion to part-time earnings.

    >>> required_hours_week(earnings=np.array([0.0, 11000.0, 5000.0]),
    ...     covered=np.array([True, True, False]), full_time_hours=40, full_time_earnings=22000).tolist()
    [40.0, 20.0, 0.0]
    """
    share = np.clip(1.0 - earnings / full_time_earnings, 0.0, 1.0)
    return np.where(covered, full_time_hours * share, 0.0)


def sanction(*, fs: np.ndarray, has_refusal: np.ndarray, sanction_share: float) -> np.ndarray:
    """FS withheld from households where a covered adult refused, SEK/month.

    >>> sanction(fs=np.array([8000.0, 8000.0]), has_refusal=np.array([True, False]),
    ...     sanction_share=0.25).tolist()
    [2000.0, 0.0]
    """
    return np.where(has_refusal, sanction_share * fs, 0.0)


#: Förskola from age 1 until förskoleklass (skollagen 8 kap. 3-4 §§), fritidshem from
#: förskoleklass until the spring term of the year the child turns 13 (14 kap. 3 §):
#: ages on whole years.
PRESCHOOL_AGES = (1, 5)
FRITIDSHEM_AGES = (6, 12)


def households_needing_childcare(
    *,
    household_idx: np.ndarray,
    is_child: np.ndarray,
    covered: np.ndarray,
    earnings: np.ndarray,
    n_households: int,
) -> np.ndarray:
    """Households whose children need förskola/fritidshem because of the requirement: an
    adult is covered and no adult is at home (every adult covered or in paid work).

    >>> households_needing_childcare(household_idx=np.array([0, 0, 0, 1, 1, 1]),
    ...     is_child=np.array([False, False, True, False, False, True]),
    ...     covered=np.array([True, False, False, True, False, False]),
    ...     earnings=np.array([0, 9000, 0, 0, 0, 0.0]), n_households=2).tolist()
    [True, False]
    """
    at_home = ~is_child & ~covered & (earnings <= 0)
    has_covered = np.zeros(n_households, dtype=bool)
    has_covered[household_idx[covered]] = True
    has_adult_at_home = np.zeros(n_households, dtype=bool)
    has_adult_at_home[household_idx[at_home]] = True
    return has_covered & ~has_adult_at_home


def children_aged(
    *,
    household_idx: np.ndarray,
    age: np.ndarray,
    is_child: np.ndarray,
    ages: tuple[int, int],
    n_households: int,
) -> np.ndarray:
    """Children per household aged ``ages[0]``..``ages[1]`` (inclusive).

    >>> children_aged(household_idx=np.array([0, 0, 1]), age=np.array([3, 7, 2]),
    ...     is_child=np.array([True, True, True]), ages=(1, 5), n_households=2).tolist()
    [1.0, 1.0]
    """
    in_range = is_child & (age >= ages[0]) & (age <= ages[1])
    return np.bincount(household_idx, weights=in_range, minlength=n_households)
