"""Jobbstimulans, the "särskild beräkningsregel" of SoL (2025:400) 12 kap. 8 §.

For a person who has had försörjningsstöd six months in a row, 25 % of income from
employment is not counted, for two years; then six months in a row are needed again. It
does not apply to children's and school youths' earnings (those follow 12 kap. 9 §).
Applied to net pay, as municipal systems do (law.md §1.1: the gross/net question is [U]).
Eligibility is tracked per household: the months of receipt are the household's.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sim.common.jit import jit


class JobbstimulansLaw(NamedTuple):
    """The rule's parameters as the compiled rules read them (months, and a share)."""

    required_months: float
    duration_months: float
    disregarded_share: float


def jobbstimulans_law(p: Any) -> JobbstimulansLaw:
    """The :class:`JobbstimulansLaw` of the law section ``p`` (``params.jobbstimulans``)."""
    return JobbstimulansLaw(
        required_months=float(p.required_months),
        duration_months=float(p.duration_months),
        disregarded_share=float(p.disregarded_share),
    )


@jit
def jobbstimulans_applies(
    months_on_fs: float, jobbstimulans_months_used: float, law: JobbstimulansLaw
) -> bool:
    """Whether the rule applies to the household this month (12 kap. 8 §).

    It starts after ``required_months`` consecutive months with FS and then runs for
    ``duration_months`` (counted in ``jobbstimulans_months_used``).

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = jobbstimulans_law(default_law().resolve(dt.date(2026, 1, 1)).jobbstimulans)
    >>> [jobbstimulans_applies(months, used, law) for months, used in [(5, 0), (6, 0), (0, 10), (30, 24)]]
    [False, True, True, False]
    """
    started = jobbstimulans_months_used > 0 or months_on_fs >= law.required_months
    return started and jobbstimulans_months_used < law.duration_months


@jit
def jobbstimulans_disregard(
    net_earnings_adults: float, applies: bool, law: JobbstimulansLaw
) -> float:
    """The part of the adults' net earnings that is not counted, SEK/month (12 kap. 8 §).

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = jobbstimulans_law(default_law().resolve(dt.date(2026, 1, 1)).jobbstimulans)
    >>> jobbstimulans_disregard(8000.0, True, law), jobbstimulans_disregard(8000.0, False, law)
    (2000.0, 0.0)
    """
    return law.disregarded_share * net_earnings_adults if applies else 0.0
