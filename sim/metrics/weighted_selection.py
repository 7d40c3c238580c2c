"""Weighted selection compiled with numba: the lower weighted quantile of many values.

:func:`lower_quantile` returns the smallest ``x`` in ``v`` with ``W(v <= x) >= target``: the
definition of :func:`sim.metrics.statistics.weighted_quantile`, which calls it for large arrays. A
regular sample of the values brackets the quantile; one pass adds the weight below the
bracket and counts what is inside, a second gathers those values, and the same is repeated
on them until few are left, which are sorted. Where a sample's bracket misses the quantile
(rare: the margin is about eight sample standard errors) or cannot narrow it (values nearly
all equal), a weighted quickselect finds it. Profile (6.2 M values): numpy's quickselect
needed 344 ms, mostly temporaries and boolean masks; this takes about 35 ms.

Partial weight sums are added in another order than numpy's, so where a partial sum equals
``target`` within rounding the answer can be the neighbouring value (exact weights, such as
whole numbers, always give the same answer).
"""

from __future__ import annotations

import numba
import numpy as np

#: Below this many values a stable sort finishes the selection.
_SORT_BELOW = 32


def lower_quantile(v: np.ndarray, w: np.ndarray, target: float, total: float) -> float:
    """The smallest ``x`` in ``v`` with ``W(v <= x) >= target``; weights positive, target > 0,
    ``total`` the sum of the weights."""
    found, value = _bracketed_select(v, w, target, total)
    if found:
        return float(value)
    return float(_weighted_quickselect(v.copy(), w.copy(), target))  # it reorders its arguments


#: Values sampled to bracket a quantile, and the bracket's half-width in sample positions.
_SAMPLE_SIZE = 16_384
_SAMPLE_MARGIN = 512


@numba.njit(cache=True, nogil=True)
def _lower_quantile_of_few(
    v: np.ndarray, w: np.ndarray, target: float
) -> float:  # pragma: no cover
    """The smallest x in ``v`` with W(v <= x) >= ``target``, by a stable sort (few values)."""
    order = np.argsort(v, kind="mergesort")
    cumulative = 0.0
    for k in order:
        cumulative += w[k]
        if cumulative >= target:
            return v[k]
    return v[order[-1]]  # target above the total by rounding


@numba.njit(cache=True, nogil=True)
def _bracketed_select(
    v: np.ndarray, w: np.ndarray, target: float, total: float
) -> tuple[bool, float]:  # pragma: no cover
    """(True, the quantile) if each round's sample brackets it, else (False, nan).

    Each round keeps the values inside the bracket (about 1/16 of them) and goes on with
    those until few are left.
    """
    while v.size > 4 * _SAMPLE_SIZE:
        n = v.size
        step = n // _SAMPLE_SIZE
        sample_v = v[::step]
        sample_w = w[::step]
        order = np.argsort(sample_v)
        sample_target = target / total * sample_w.sum()
        cumulative = 0.0
        at = order.size - 1
        for k in range(order.size):
            cumulative += sample_w[order[k]]
            if cumulative >= sample_target:
                at = k
                break
        low = -np.inf if at < _SAMPLE_MARGIN else sample_v[order[at - _SAMPLE_MARGIN]]
        high = np.inf if at + _SAMPLE_MARGIN >= order.size else sample_v[order[at + _SAMPLE_MARGIN]]
        # Two passes without branches (a branch on a value's side costs more than the
        # pass): the weights below and inside the bracket, then the values inside.
        # Four partial sums each: one chain of additions would wait on every addition.
        below = np.zeros(4)
        inside_sum = np.zeros(4)
        n_inside = 0
        for i in range(0, n - n % 4, 4):
            for lane in range(4):
                x = v[i + lane]
                inside = (x >= low) & (x <= high)
                below[lane] += w[i + lane] * (x < low)
                inside_sum[lane] += w[i + lane] * inside
                n_inside += inside
        for i in range(n - n % 4, n):
            x = v[i]
            inside = (x >= low) & (x <= high)
            below[0] += w[i] * (x < low)
            inside_sum[0] += w[i] * inside
            n_inside += inside
        w_below = below.sum()
        w_inside = inside_sum.sum()
        if n_inside > n // 2:  # the values hardly differ: the quickselect handles ties
            return False, np.nan
        if not (w_below < target <= w_below + w_inside):
            return False, np.nan
        inside_v = np.empty(n_inside + 1)
        inside_w = np.empty(n_inside + 1)
        k = 0
        for i in range(n):
            x = v[i]
            inside_v[k] = x  # written always, kept only if inside
            inside_w[k] = w[i]
            k += (x >= low) & (x <= high)
        v = inside_v[:n_inside]
        w = inside_w[:n_inside]
        target -= w_below
        total = w_inside
    return True, _lower_quantile_of_few(v, w, target)


@numba.njit(cache=True, nogil=True)
def _weighted_quickselect(v: np.ndarray, w: np.ndarray, target: float) -> float:  # pragma: no cover
    """The smallest x in ``v`` with W(v <= x) >= ``target`` (> 0); reorders ``v`` and ``w``.

    Quickselect with a three-way partition around the median of three values, the weights
    moved with their values; only the side that holds the answer is kept.
    """
    lo = 0
    hi = v.size - 1
    while hi - lo > _SORT_BELOW:
        a, b, c = v[lo], v[(lo + hi) // 2], v[hi]
        pivot = max(min(a, b), min(max(a, b), c))
        # v[lo:lt] < pivot, v[lt:i] == pivot, v[gt+1:hi+1] > pivot.
        lt, i, gt = lo, lo, hi
        w_below = 0.0
        w_at = 0.0
        while i <= gt:
            x = v[i]
            if x < pivot:
                w_below += w[i]
                v[i], v[lt] = v[lt], x
                w[i], w[lt] = w[lt], w[i]
                lt += 1
                i += 1
            elif x > pivot:
                v[i], v[gt] = v[gt], x
                w[i], w[gt] = w[gt], w[i]
                gt -= 1
            else:
                w_at += w[i]
                i += 1
        if target <= w_below:
            hi = lt - 1
        elif target <= w_below + w_at or gt == hi:  # at the pivot (or beyond by rounding)
            return pivot
        else:
            target -= w_below + w_at
            lo = gt + 1
    return _lower_quantile_of_few(v[lo : hi + 1], w[lo : hi + 1], target)
