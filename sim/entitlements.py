"""Försörjningsstöd of one law for the households' FS state, household by household in one pass.

The engine's last step (:func:`sim.engine.compute_cases`): a compiled (numba) driver that
calls the rules for each household in the law's order:

1. the skäliga kostnader (SoL (2025:400) 12 kap. 7 § första stycket 2,
   :mod:`sim.rules.skaliga_kostnader`): housing up to its assumed reasonable level, and the
   other costs;
2. the jobbstimulans (12 kap. 8 §, :mod:`sim.rules.jobbstimulans`): where it applies, a
   share of the adults' net earnings is not counted;
3. the counted income (12 kap. 1 §, :func:`sim.rules.forsorjningsstod.counted_income`):
   the incomes of :data:`sim.rules.forsorjningsstod.COUNTED_INCOME`, less that disregard;
4. the municipal amount above the norm still granted
   (:func:`sim.rules.bidragstak.counted_norm_topup`);
5. the entitlement, ``max(0, riksnorm + top-up + skäliga kostnader − counted income)``
   (12 kap. 1 and 7 §§, :func:`sim.rules.forsorjningsstod.forsorjningsstod`);
6. what is paid (where the household takes it up) and the disposable income with it.

The households run in contiguous ranges on threads (:mod:`sim.household_chunks`), with the
same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numba
import numpy as np

from sim.entities import Households
from sim.household_chunks import default_chunks, run_on_threads
from sim.rules.bidragstak import counted_norm_topup, topup_kept_factor
from sim.rules.forsorjningsstod import COUNTED_INCOME, counted_income, forsorjningsstod
from sim.rules.jobbstimulans import (
    JobbstimulansLaw,
    jobbstimulans_applies,
    jobbstimulans_disregard,
    jobbstimulans_law,
)
from sim.rules.skaliga_kostnader import (
    HousingLimits,
    housing_counted,
    housing_limit,
    housing_limits,
    skaliga_kostnader,
)


class FsLaw(NamedTuple):
    """The law and the assumptions of the step, as the compiled rules read them."""

    jobbstimulans: JobbstimulansLaw
    topup_kept_factor: float
    housing_limits: HousingLimits


def fs_law(*, jobbstimulans: Any, bidragstak: Any, assumptions: Any) -> FsLaw:
    """The :class:`FsLaw` of the law sections ``jobbstimulans`` and ``bidragstak`` and the
    assumptions (:class:`sim.assumptions.Assumptions`)."""
    return FsLaw(
        jobbstimulans=jobbstimulans_law(jobbstimulans),
        topup_kept_factor=float(topup_kept_factor(p=bidragstak, a=assumptions.bidragstak)),
        housing_limits=housing_limits(assumptions.skaliga_kostnader),
    )


class Entitlements(NamedTuple):
    """Household arrays of the step (SEK/month, ``jobbstimulans_applies`` True/False)."""

    housing_limit: np.ndarray
    housing_counted: np.ndarray
    reasonable_costs: np.ndarray
    jobbstimulans_applies: np.ndarray
    jobbstimulans_disregard: np.ndarray
    counted_income: np.ndarray
    norm_topup: np.ndarray
    fs_entitlement: np.ndarray
    forsorjningsstod: np.ndarray
    disposable_income: np.ndarray


def entitlements(
    households: Households,
    *,
    riksnorm: np.ndarray,
    n_persons: np.ndarray,
    incomes: Mapping[str, np.ndarray],
    disposable_before_fs: np.ndarray,
    law: FsLaw,
    threads: int | None = None,
) -> Entitlements:
    """The step for the households (see the module docstring), SEK/month.

    ``households``: their costs and FS state (``norm_topup`` is today's amount above the
    norm, before the bidragstak); ``riksnorm``: the norm as the law sets it (after the
    bidragstak's changes); ``n_persons``: the persons of each household; ``incomes``: the
    household arrays of :data:`sim.rules.forsorjningsstod.COUNTED_INCOME` by name (more
    may be given); ``disposable_before_fs``: net income and benefits without
    försörjningsstöd; ``law``: :func:`fs_law`. ``threads``: how many threads share the
    households, a contiguous range each (default:
    :func:`sim.household_chunks.default_chunks`); the numbers are the same.

    >>> from sim.assumptions import default_assumptions
    >>> from sim.entities import households_from_columns
    >>> from sim.params import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 3, 1))
    >>> one = lambda *values: np.array(values, dtype=float)
    >>> households = households_from_columns(is_cohabiting=[False, False],
    ...     housing_cost=[5500, 5000], hushallsel=[350, 350], hemforsakring=[150, 150],
    ...     norm_topup=[0, 1000], months_on_fs=[6, 1], takes_up_fs=[True, False])
    >>> incomes = dict.fromkeys(COUNTED_INCOME, one(0, 0))
    >>> incomes.update(net_earnings_adults=one(8000, 0), bostadsbidrag=one(0, 500))
    >>> law = fs_law(jobbstimulans=p.jobbstimulans, bidragstak=p.bidragstak,
    ...     assumptions=default_assumptions())
    >>> e = entitlements(households, riksnorm=one(5000, 5000), n_persons=np.array([1, 1]),
    ...     incomes=incomes, disposable_before_fs=one(8000, 500), law=law)
    >>> e.reasonable_costs.tolist(), e.jobbstimulans_disregard.tolist(), e.counted_income.tolist()
    ([6000.0, 5500.0], [2000.0, 0.0], [6000.0, 500.0])
    >>> e.fs_entitlement.tolist(), e.forsorjningsstod.tolist(), e.disposable_income.tolist()
    ([5000.0, 11000.0], [5000.0, 0.0], [13000.0, 500.0])
    """
    n = households.n
    counted = tuple(incomes[name] for name in COUNTED_INCOME)
    inputs = (
        riksnorm,
        n_persons,
        households.housing_cost,
        households.housing_limit_factor,
        households.hushallsel,
        households.hemforsakring,
        households.arbetsresor,
        households.fack_akassa,
        households.norm_topup,
        households.months_on_fs,
        households.jobbstimulans_months_used,
        households.takes_up_fs,
        disposable_before_fs,
    )
    if any(np.shape(values) != (n,) for values in (*inputs, *counted)):
        raise ValueError("entitlements: every array must have the households' length")
    out = Entitlements(
        *(
            np.empty(n, dtype=np.bool_) if name == "jobbstimulans_applies" else np.empty(n)
            for name in Entitlements._fields
        )
    )
    threads = max(1, min(default_chunks() if threads is None else threads, n))
    bounds = np.linspace(0, n, threads + 1).astype(np.int64)
    return run_on_threads(_households, bounds, (inputs, counted, law), out)


@numba.njit(cache=True, nogil=True)
def _households(start, end, inputs, incomes, law, out):
    """Households ``start:end``: ``inputs`` and ``incomes`` as :func:`entitlements` passes
    them, their results into ``out``."""
    (
        riksnorm,
        n_persons,
        housing_cost,
        housing_limit_factor,
        hushallsel,
        hemforsakring,
        arbetsresor,
        fack_akassa,
        norm_topup,
        months_on_fs,
        months_used,
        takes_up_fs,
        disposable_before_fs,
    ) = inputs
    for h in range(start, end):
        limit = housing_limit(n_persons[h], housing_limit_factor[h], law.housing_limits)
        housing = housing_counted(housing_cost[h], limit)
        costs = skaliga_kostnader(
            housing, hushallsel[h], hemforsakring[h], arbetsresor[h], fack_akassa[h]
        )
        applies = jobbstimulans_applies(months_on_fs[h], months_used[h], law.jobbstimulans)
        # COUNTED_INCOME[0]: the adults' net earnings, which the jobbstimulans reads.
        disregard = jobbstimulans_disregard(incomes[0][h], applies, law.jobbstimulans)
        income = counted_income(incomes, h, disregard)
        topup = counted_norm_topup(norm_topup[h], law.topup_kept_factor)
        entitlement = forsorjningsstod(riksnorm[h], topup, costs, income)
        paid = entitlement if takes_up_fs[h] else 0.0
        out.housing_limit[h] = limit
        out.housing_counted[h] = housing
        out.reasonable_costs[h] = costs
        out.jobbstimulans_applies[h] = applies
        out.jobbstimulans_disregard[h] = disregard
        out.counted_income[h] = income
        out.norm_topup[h] = topup
        out.fs_entitlement[h] = entitlement
        out.forsorjningsstod[h] = paid
        out.disposable_income[h] = disposable_before_fs[h] + paid
