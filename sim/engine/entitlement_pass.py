"""Försörjningsstöd of one law for the households' FS state, household by household in one pass.

The engine's last step (:func:`sim.engine.pipeline.compute_cases`), per household:

1. the jobbstimulans (SoL (2025:400) 12 kap. 8 §,
   :func:`sim.rules.jobbstimulans.jobbstimulans_applies` and ``jobbstimulans_disregard``):
   where it applies, a share of the adults' net earnings is not counted;
2. the counted income (12 kap. 1 §): the adults' net earnings less that disregard, then their
   other net income, the children's counted earnings and other income, barnbidrag (with
   flerbarnstillägg), underhållsstöd, bostadsbidrag and its tilläggsbidrag, added in this order;
3. the municipal amount above the norm still granted
   (:func:`sim.rules.bidragstak.counted_norm_topup`);
4. the entitlement, ``max(0, riksnorm + top-up + skäliga kostnader − counted income)``
   (12 kap. 1 and 7 §§, :func:`sim.rules.forsorjningsstod.forsorjningsstod`);
5. what is paid (where the household takes it up) and the disposable income with it.

Compiled (numba), because in numpy this was about 25 passes over the households for each law
and scenario, a seventh of the engine's time (docs/performance.md). The operations are
numpy's, in numpy's order, so the numbers are the same: ``tests/test_entitlements.py``
compares every array with the rules' numpy functions, which stay the readable statement of
the law. A change to one of those rules is made here too; the test fails until it is.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numba
import numpy as np

from sim.engine.chunks import default_chunks, readonly
from sim.rules.bidragstak import topup_kept_factor


class Entitlements(NamedTuple):
    """Household arrays of the step (SEK/month, ``jobbstimulans_applies`` True/False)."""

    jobbstimulans_applies: np.ndarray
    jobbstimulans_disregard: np.ndarray
    counted_income: np.ndarray
    norm_topup: np.ndarray
    fs_entitlement: np.ndarray
    forsorjningsstod: np.ndarray
    disposable_income: np.ndarray


#: The incomes counted after the adults' net earnings less the jobbstimulans, in the order
#: they are added (the keyword arguments of :func:`entitlements`).
COUNTED_AFTER_EARNINGS = (
    "net_other_adults",
    "counted_child",
    "child_other_income",
    "barnbidrag_total",
    "underhallsstod",
    "bostadsbidrag",
    "tillaggsbidrag",
)


def entitlements(
    *,
    riksnorm: np.ndarray,
    norm_topup: np.ndarray,
    skaliga_kostnader: np.ndarray,
    net_earnings_adults: np.ndarray,
    net_other_adults: np.ndarray,
    counted_child: np.ndarray,
    child_other_income: np.ndarray,
    barnbidrag_total: np.ndarray,
    underhallsstod: np.ndarray,
    bostadsbidrag: np.ndarray,
    tillaggsbidrag: np.ndarray,
    disposable_before_fs: np.ndarray,
    months_on_fs: np.ndarray,
    jobbstimulans_months_used: np.ndarray,
    takes_up_fs: np.ndarray,
    jobbstimulans: Any,
    bidragstak: Any,
    bidragstak_assumptions: Any,
    threads: int | None = None,
) -> Entitlements:
    """The step for household arrays of one length (see the module docstring).

    ``riksnorm``: the norm as the law sets it (after the bidragstak's changes);
    ``norm_topup``: today's amount above the norm (before the bidragstak);
    ``disposable_before_fs``: net income and benefits without försörjningsstöd;
    ``jobbstimulans``, ``bidragstak``: the law's sections; ``bidragstak_assumptions``: the
    assumptions' bidragstak section. ``threads``: how many of numba's threads share the
    households, a contiguous range each (default:
    :func:`sim.engine.chunks.default_chunks`); the numbers are the same.

    >>> from types import SimpleNamespace as P
    >>> one = lambda *values: np.array(values, dtype=float)
    >>> zero = one(0.0, 0.0)
    >>> e = entitlements(riksnorm=one(5000, 5000), norm_topup=one(0, 1000),
    ...     skaliga_kostnader=one(6000, 6000), net_earnings_adults=one(8000, 0),
    ...     net_other_adults=zero, counted_child=zero, child_other_income=zero,
    ...     barnbidrag_total=zero, underhallsstod=zero, bostadsbidrag=one(0, 500),
    ...     tillaggsbidrag=zero, disposable_before_fs=one(8000, 500), months_on_fs=one(6, 1),
    ...     jobbstimulans_months_used=zero, takes_up_fs=np.array([True, False]),
    ...     jobbstimulans=P(required_months=6, duration_months=24, disregarded_share=0.25),
    ...     bidragstak=P(no_topups=0.0), bidragstak_assumptions=P(topup_kept_share=0.2))
    >>> e.jobbstimulans_disregard.tolist(), e.counted_income.tolist(), e.fs_entitlement.tolist()
    ([2000.0, 0.0], [6000.0, 500.0], [5000.0, 11500.0])
    >>> e.forsorjningsstod.tolist(), e.disposable_income.tolist()
    ([5000.0, 0.0], [13000.0, 500.0])
    """
    arrays = (
        riksnorm,
        norm_topup,
        skaliga_kostnader,
        net_earnings_adults,
        net_other_adults,
        counted_child,
        child_other_income,
        barnbidrag_total,
        underhallsstod,
        bostadsbidrag,
        tillaggsbidrag,
        disposable_before_fs,
        months_on_fs,
        jobbstimulans_months_used,
        takes_up_fs,
    )
    n = riksnorm.size
    if any(values.shape != (n,) for values in arrays):
        raise ValueError("entitlements: every array must have the households' length")
    p = jobbstimulans
    scalars = (
        float(p.required_months),
        float(p.duration_months),
        float(p.disregarded_share),
        float(topup_kept_factor(p=bidragstak, a=bidragstak_assumptions)),
    )
    threads = min(default_chunks() if threads is None else threads, n)
    arrays = readonly(arrays)  # one compiled version
    if threads > 1:
        bounds = readonly(np.linspace(0, n, threads + 1).astype(np.int64))
        return Entitlements(*_entitlements_on_threads(bounds, arrays, scalars))
    return Entitlements(*_entitlements(arrays, scalars))


@numba.njit(cache=True, nogil=True)
def _outputs(n):  # pragma: no cover
    """The arrays of :class:`Entitlements`, in its order."""
    return (
        np.empty(n, dtype=np.bool_),
        np.empty(n),
        np.empty(n),
        np.empty(n),
        np.empty(n),
        np.empty(n),
        np.empty(n),
    )


@numba.njit(cache=True, nogil=True)
def _entitlements(arrays, scalars):  # pragma: no cover
    """All households on this thread."""
    out = _outputs(arrays[0].size)
    _households(0, arrays[0].size, arrays, scalars, out)
    return out


@numba.njit(cache=True, nogil=True, parallel=True)
def _entitlements_on_threads(bounds, arrays, scalars):  # pragma: no cover
    """The households ``bounds[c]:bounds[c + 1]`` on thread ``c``."""
    out = _outputs(arrays[0].size)
    for c in numba.prange(bounds.size - 1):
        _households(bounds[c], bounds[c + 1], arrays, scalars, out)
    return out


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _households(start, end, arrays, scalars, out):  # pragma: no cover - compiled; tested
    """Households ``start:end``: ``arrays`` and ``scalars`` as :func:`entitlements` passes
    them, ``out`` from :func:`_outputs`."""
    (
        riksnorm,
        norm_topup,
        skaliga_kostnader,
        net_earnings_adults,
        net_other_adults,
        counted_child,
        child_other_income,
        barnbidrag_total,
        underhallsstod,
        bostadsbidrag,
        tillaggsbidrag,
        disposable_before_fs,
        months_on_fs,
        months_used,
        takes_up_fs,
    ) = arrays
    required_months, duration_months, disregarded_share, topup_factor = scalars
    applies, disregard, counted, topup, entitlement, paid, disposable = out
    for i in range(start, end):
        used = months_used[i]
        applies_i = ((used > 0) | (months_on_fs[i] >= required_months)) & (used < duration_months)
        applies[i] = applies_i
        earnings = net_earnings_adults[i]
        disregard_i = disregarded_share * earnings if applies_i else 0.0
        disregard[i] = disregard_i
        income = earnings - disregard_i
        income += net_other_adults[i]
        income += counted_child[i]
        income += child_other_income[i]
        income += barnbidrag_total[i]
        income += underhallsstod[i]
        income += bostadsbidrag[i]
        income += tillaggsbidrag[i]
        counted[i] = income
        topup_i = norm_topup[i] * topup_factor
        topup[i] = topup_i
        need = riksnorm[i] + topup_i + skaliga_kostnader[i] - income
        # np.maximum(0.0, need): the second operand where they compare equal (-0.0), NaN kept.
        entitled = 0.0 if need < 0.0 else need
        entitlement[i] = entitled
        paid_i = entitled if takes_up_fs[i] else 0.0
        paid[i] = paid_i
        disposable[i] = disposable_before_fs[i] + paid_i
