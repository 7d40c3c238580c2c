"""Bidragstaket (prop. 2025/26:201, from 2027-01-01) and the SOU 2025:15 alternatives.

Three parts, each behind a switch in sim/params/bidragstak.yaml:

1. *Modernised riksnorm*: the norm is built on a lower reference value. Its 2027 amounts are
   not public; it is modelled as one proportional cut of every riksnorm amount
   (:func:`modernised_norm_factor`), an assumption calibrated to the government's typfall
   (docs/reforms.md).
2. *Fourth-child rule*: the personal cost of the fourth and later children is reduced by
   75 % (couples) or 40 % (single parents), phased in during 2027
   (:func:`fourth_child_factor`). Which child is "the fourth" is not public; the children
   are ranked from the oldest, so the youngest are the fourth and later (birth order).
3. *No amounts above the norm* "som huvudregel": municipal top-ups for särskilda skäl are
   no longer given, except an assumed share of exceptions (:func:`counted_norm_topup`).

SOU 2025:15 model A caps all benefits at 80 % of what the household would have at a
22 000 kr wage (:func:`sou_cap_reduction`); model B halves the personal cost from the
fourth child (the fourth-child rule with 50 %/50 %).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.rules.households import rank_within_household


def modernised_norm_factor(*, p: Any, a: Any) -> float:
    """Factor on every riksnorm amount: 1 − cut where the modernised norm applies, else 1."""
    return 1.0 - a.riksnorm_cut * p.modernised_riksnorm


def child_rank(*, household_idx: np.ndarray, age: np.ndarray, is_child: np.ndarray) -> np.ndarray:
    """Rank of each child in its household, oldest first (1, 2, ...); 0 for adults.

    >>> child_rank(household_idx=np.array([0, 0, 0, 0]), age=np.array([40, 3, 9, 6]),
    ...     is_child=np.array([False, True, True, True])).tolist()
    [0, 3, 1, 2]
    """
    return rank_within_household(household_idx=household_idx, order_key=-age, mask=is_child)


def fourth_child_factor(*, rank: np.ndarray, is_single_parent: np.ndarray, p: Any) -> np.ndarray:
    """Factor on each child's personal cost under the fourth-child rule (1 if not affected).

    >>> from types import SimpleNamespace as P
    >>> p = P(fourth_child_rule=1.0, fourth_child_rank=4, fourth_child_reduction_couple=0.75,
    ...       fourth_child_reduction_single=0.40, fourth_child_phase=1.0)
    >>> fourth_child_factor(rank=np.array([0, 3, 4, 5, 4]),
    ...     is_single_parent=np.array([False, False, False, False, True]), p=p).tolist()
    [1.0, 1.0, 0.25, 0.25, 0.6]
    """
    reduction = np.where(
        is_single_parent, p.fourth_child_reduction_single, p.fourth_child_reduction_couple
    )
    affected = rank >= p.fourth_child_rank
    return np.where(affected, 1.0 - reduction * p.fourth_child_phase * p.fourth_child_rule, 1.0)


def counted_norm_topup(*, norm_topup: np.ndarray, p: Any, a: Any) -> np.ndarray:
    """Municipal amount above the norm that is still granted.

    Where part 3 applies only the exceptions remain: ``topup_kept_share`` of it.

    >>> from types import SimpleNamespace as P
    >>> counted_norm_topup(norm_topup=np.array([500.0]), p=P(no_topups=1.0),
    ...     a=P(topup_kept_share=0.2)).tolist()
    [100.0]
    """
    return norm_topup * topup_kept_factor(p=p, a=a)


def topup_kept_factor(*, p: Any, a: Any) -> float:
    """The share of today's amount above the norm still granted: all of it without part 3,
    ``topup_kept_share`` (the exceptions) where it applies, in between while it phases in.

    >>> from types import SimpleNamespace as P
    >>> topup_kept_factor(p=P(no_topups=0.5), a=P(topup_kept_share=0.2))
    0.6
    """
    return (1.0 - p.no_topups) + p.no_topups * a.topup_kept_share


def sou_cap_reduction(
    *, benefits: np.ndarray, reference_total: np.ndarray, fs: np.ndarray, p: Any
) -> np.ndarray:
    """SOU 2025:15 model A: the cut of FS that keeps benefits within the cap.

    ``benefits``: all transfers the household receives (net); ``reference_total``: its
    disposable income with one adult at the reference wage. The excess over
    ``sou_cap_share × reference_total`` is taken from FS, never more than FS.

    >>> from types import SimpleNamespace as P
    >>> sou_cap_reduction(benefits=np.array([30000.0, 10000.0]), reference_total=np.array([30000.0, 30000.0]),
    ...     fs=np.array([20000.0, 5000.0]), p=P(sou_cap=1.0, sou_cap_share=0.8)).tolist()
    [6000.0, 0.0]
    """
    excess = np.maximum(0.0, benefits - p.sou_cap_share * reference_total)
    return np.minimum(fs, excess) * p.sou_cap
