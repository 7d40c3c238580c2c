"""Försörjningsstöd of one law for the households' FS state, household by household in one pass.

The engine's last steps (:func:`sim.engine.pipeline.compute_cases`): compiled (numba) drivers that
call the rules for each household in the law's order.

:func:`reasonable_costs`, once per month (the same for every law and scenario):

1. the skäliga kostnader (SoL (2025:400) 12 kap. 7 § första stycket 2,
   :mod:`sim.rules.skaliga_kostnader`): housing up to its assumed reasonable level, and the
   other costs.

:func:`entitlements`, once per law and scenario (it reads the households' FS state):

2. the jobbstimulans (12 kap. 8 §, :mod:`sim.rules.jobbstimulans`): where it applies, a
   share of the adults' net earnings is not counted;
3. the counted income (12 kap. 1 §, :func:`sim.rules.forsorjningsstod.counted_income`):
   the incomes of :data:`sim.rules.forsorjningsstod.COUNTED_INCOME`, less that disregard;
4. the municipal amount above the norm still granted
   (:func:`sim.rules.bidragstak.counted_norm_topup`);
5. the entitlement, ``max(0, riksnorm + top-up + skäliga kostnader − counted income)``
   (12 kap. 1 and 7 §§, :func:`sim.rules.forsorjningsstod.forsorjningsstod`);
6. what is paid (where the household takes it up) and the disposable income with it.

The households run in contiguous ranges on threads (:mod:`sim.engine.chunks`), with the
same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from sim.common.jit import jit
from sim.engine.chunks import CHUNKS_PER_THREAD, run_on_threads, shared_chunks
from sim.engine.entities import Households
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
    skaliga_kostnader,
)


class Costs(NamedTuple):
    """Household arrays of :func:`reasonable_costs` (SEK/month)."""

    housing_limit: np.ndarray
    housing_counted: np.ndarray
    reasonable_costs: np.ndarray


def reasonable_costs(
    households: Households,
    *,
    n_persons: np.ndarray,
    limits: HousingLimits,
    threads: int | None = None,
) -> Costs:
    """The skäliga kostnader of the households (step 1 of the module docstring).

    ``n_persons``: the persons of each household; ``limits``:
    :func:`sim.rules.skaliga_kostnader.housing_limits` of the assumptions; ``threads`` as
    for :func:`entitlements`.

    >>> from sim.law.assumptions import default_assumptions
    >>> from sim.engine.entities import households_from_columns
    >>> from sim.rules.skaliga_kostnader import housing_limits
    >>> households = households_from_columns(is_cohabiting=[False, False],
    ...     housing_cost=[7000, 5000], hushallsel=[350, 350], hemforsakring=[150, 150])
    >>> costs = reasonable_costs(households, n_persons=np.array([1, 1]),
    ...     limits=housing_limits(default_assumptions().skaliga_kostnader))
    >>> costs.housing_counted.tolist(), costs.reasonable_costs.tolist()
    ([5500.0, 5000.0], [6000.0, 5500.0])
    """
    inputs = (
        n_persons,
        households.housing_cost,
        households.housing_limit_factor,
        households.hushallsel,
        households.hemforsakring,
        households.arbetsresor,
        households.fack_akassa,
    )
    out = Costs(*(np.empty(households.n) for _ in Costs._fields))
    bounds = _ranges(households, inputs, threads)
    return run_on_threads(_costs, bounds, (inputs, limits), out, threads)


@jit
def _costs(start, end, inputs, limits, out):
    """Households ``start:end`` of :func:`reasonable_costs`."""
    n_persons, cost, factor, hushallsel, hemforsakring, arbetsresor, fack_akassa = inputs
    limit_out, housing_out, costs_out = out  # unpacked once (see _households)
    for h in range(start, end):
        limit = housing_limit(n_persons[h], factor[h], limits)
        housing = housing_counted(cost[h], limit)
        limit_out[h] = limit
        housing_out[h] = housing
        costs_out[h] = skaliga_kostnader(
            housing, hushallsel[h], hemforsakring[h], arbetsresor[h], fack_akassa[h]
        )


class FsLaw(NamedTuple):
    """The law and the assumptions of :func:`entitlements`, as the compiled rules read them."""

    jobbstimulans: JobbstimulansLaw
    topup_kept_factor: float


def fs_law(*, jobbstimulans: Any, bidragstak: Any, bidragstak_assumptions: Any) -> FsLaw:
    """The :class:`FsLaw` of the law sections ``jobbstimulans`` and ``bidragstak`` and the
    assumptions' ``bidragstak`` section."""
    return FsLaw(
        jobbstimulans=jobbstimulans_law(jobbstimulans),
        topup_kept_factor=float(topup_kept_factor(p=bidragstak, a=bidragstak_assumptions)),
    )


class Entitlements(NamedTuple):
    """Household arrays of :func:`entitlements` (SEK/month, ``jobbstimulans_applies``
    True/False)."""

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
    reasonable_costs: np.ndarray,
    incomes: Mapping[str, np.ndarray],
    disposable_before_fs: np.ndarray,
    law: FsLaw,
    threads: int | None = None,
) -> Entitlements:
    """Försörjningsstöd of the households (steps 2-6 of the module docstring), SEK/month.

    ``households``: their FS state (``norm_topup`` is today's amount above the norm, before
    the bidragstak); ``riksnorm``: the norm as the law sets it (after the bidragstak's
    changes); ``reasonable_costs``: :func:`reasonable_costs`; ``incomes``: the household
    arrays of :data:`sim.rules.forsorjningsstod.COUNTED_INCOME` by name (more may be
    given); ``disposable_before_fs``: net income and benefits without försörjningsstöd;
    ``law``: :func:`fs_law`. ``threads``: how many threads share the households, in
    contiguous ranges (default: :func:`sim.engine.chunks.default_chunks`); the numbers
    are the same.

    >>> from types import SimpleNamespace as P
    >>> from sim.engine.entities import households_from_columns
    >>> one = lambda *values: np.array(values, dtype=float)
    >>> households = households_from_columns(is_cohabiting=[False, False],
    ...     norm_topup=[0, 1000], months_on_fs=[6, 1], takes_up_fs=[True, False])
    >>> incomes = dict.fromkeys(COUNTED_INCOME, one(0, 0))
    >>> incomes.update(net_earnings_adults=one(8000, 0), bostadsbidrag=one(0, 500))
    >>> law = fs_law(jobbstimulans=P(required_months=6, duration_months=24,
    ...     disregarded_share=0.25), bidragstak=P(no_topups=0.0),
    ...     bidragstak_assumptions=P(topup_kept_share=0.2))
    >>> e = entitlements(households, riksnorm=one(5000, 5000), reasonable_costs=one(6000, 6000),
    ...     incomes=incomes, disposable_before_fs=one(8000, 500), law=law)
    >>> e.jobbstimulans_disregard.tolist(), e.counted_income.tolist(), e.fs_entitlement.tolist()
    ([2000.0, 0.0], [6000.0, 500.0], [5000.0, 11500.0])
    >>> e.forsorjningsstod.tolist(), e.disposable_income.tolist()
    ([5000.0, 0.0], [13000.0, 500.0])
    """
    inputs = (
        riksnorm,
        reasonable_costs,
        households.norm_topup,
        households.months_on_fs,
        households.jobbstimulans_months_used,
        households.takes_up_fs,
        disposable_before_fs,
    )
    counted = tuple(incomes[name] for name in COUNTED_INCOME)
    n = households.n
    out = Entitlements(np.empty(n, dtype=np.bool_), *(np.empty(n) for _ in range(6)))
    bounds = _ranges(households, (*inputs, *counted), threads)
    return run_on_threads(_households, bounds, (inputs, counted, law), out, threads)


def _ranges(households: Households, arrays: tuple[np.ndarray, ...], threads: int | None):
    """The bounds of the contiguous ranges of the households that ``threads`` share
    (:func:`sim.engine.chunks.shared_chunks`), after checking that every array has
    their length."""
    n = households.n
    if any(np.shape(values) != (n,) for values in arrays):
        raise ValueError("entitlements: every array must have the households' length")
    chunks = shared_chunks() if threads is None else threads * CHUNKS_PER_THREAD
    return np.linspace(0, n, max(1, min(chunks, n)) + 1).astype(np.int64)


@jit
def _households(start, end, inputs, incomes, law, out):
    """Households ``start:end`` of :func:`entitlements`: ``inputs`` and ``incomes`` as it
    passes them, their results into ``out``."""
    (
        riksnorm,
        costs,
        norm_topup,
        months_on_fs,
        months_used,
        takes_up_fs,
        disposable_before_fs,
    ) = inputs
    # Unpacked once: an array read from the tuple inside the loop costs a reference count.
    (
        applies_out,
        disregard_out,
        counted_out,
        topup_out,
        entitlement_out,
        paid_out,
        disposable_out,
    ) = out
    for h in range(start, end):
        applies = jobbstimulans_applies(months_on_fs[h], months_used[h], law.jobbstimulans)
        # COUNTED_INCOME[0]: the adults' net earnings, which the jobbstimulans reads.
        disregard = jobbstimulans_disregard(incomes[0][h], applies, law.jobbstimulans)
        income = counted_income(incomes, h, disregard)
        topup = counted_norm_topup(norm_topup[h], law.topup_kept_factor)
        entitlement = forsorjningsstod(riksnorm[h], topup, costs[h], income)
        paid = entitlement if takes_up_fs[h] else 0.0
        applies_out[h] = applies
        disregard_out[h] = disregard
        counted_out[h] = income
        topup_out[h] = topup
        entitlement_out[h] = entitlement
        paid_out[h] = paid
        disposable_out[h] = disposable_before_fs[h] + paid
