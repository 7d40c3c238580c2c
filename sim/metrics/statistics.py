"""Weighted metrics of a simulated population: functions of (values, weights).

Every function takes 1-D numpy arrays aligned to one entity (persons, households or dwellings)
and that entity's weights, and returns plain floats or arrays. Nothing here knows about
polars, scenarios or the population's columns; the caller picks the entity and the weights,
and the docstring of each function states the exact definition.

Conventions shared by all functions:

* **Weights** are finite and non-negative. An observation with weight 0 takes no part in any
  statistic (it is never chosen as a median, never counted as poor) but, where a function
  returns one code per observation (:func:`deciles`, :func:`change_bands`), it still gets one.
* **Values** may not be NaN (a ``ValueError`` names the function).
* **Person rates from household arrays.** The poverty measures are *shares of persons*. Pass
  either person-level arrays (each person carries the economic standard of their household)
  with person weights, or household-level arrays with weights ``household weight × persons``;
  both give the same number. Children 0-17: pass ``within=is_child_0_17`` with person-level
  arrays, or household-level weights ``household weight × children 0-17``.
* **Empty populations.** A *rate, share or mean* whose denominator weight is 0 (an empty
  group of a breakdown, a mask that selects nobody) is ``nan``, as in
  ``sim.population.summary``; a *location statistic* (median, quantile, poverty line, Gini,
  deciles) of a population without positive weight raises ``ValueError``, since nothing
  downstream can use it. Sums over nothing are 0.
* **Cost.** Everything is O(n) except :func:`gini`, :func:`deciles` and
  :func:`weighted_quantile` with several ``q`` (one O(n log n) sort each).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from sim.metrics.weighted_sums import WeightedSums

# ---------------------------------------------------------------------------------------------
# Checks


def _values_weights(
    name: str, values: ArrayLike, weights: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Float64 1-D copies-or-views of ``values`` and ``weights``, checked."""
    v, w = _arrays(name, values, weights)
    _check(name, v, w)
    return v, w


def _arrays(name: str, values: ArrayLike, weights: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Float64 1-D copies-or-views of ``values`` and ``weights`` of equal length (not checked)."""
    v = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if v.ndim != 1 or w.ndim != 1 or v.shape != w.shape:
        raise ValueError(
            f"{name}: values and weights must be 1-D arrays of equal length, "
            f"got shapes {v.shape} and {w.shape}"
        )
    return v, w


def _check(name: str, v: np.ndarray, w: np.ndarray) -> None:
    """Raise if a value is NaN or a weight is negative or not finite."""
    # Fast checks first (reductions, no temporaries): a sum is NaN if any value is, and
    # non-negative weights with a finite sum are all finite. The exact checks decide.
    if np.isnan(v.sum()) and np.isnan(v).any():
        raise ValueError(f"{name}: values contain NaN")
    fast_ok = w.size == 0 or (w.min() >= 0 and np.isfinite(w.sum()))
    if not fast_ok and (not np.isfinite(w).all() or (w < 0).any()):
        raise ValueError(f"{name}: weights must be finite and non-negative")


def _checked_sums(name: str, v: np.ndarray, w: np.ndarray, line: float = np.nan) -> WeightedSums:
    """:class:`~sim.metrics.weighted_sums.WeightedSums` of many values (at least
    :data:`_COMPILED_FROM`): the checks of :func:`_check` and the sums in one compiled pass."""
    from sim.metrics import weighted_sums  # numba takes about half a second to load

    sums = weighted_sums.weighted_sums(v, w, line)
    if sums.has_nan_value:
        raise ValueError(f"{name}: values contain NaN")
    if sums.has_bad_weight:
        raise ValueError(f"{name}: weights must be finite and non-negative")
    return sums


def _mask(name: str, mask: ArrayLike | None, n: int, what: str = "within") -> np.ndarray | None:
    if mask is None:
        return None
    m = np.asarray(mask)
    if m.dtype != np.bool_ or m.shape != (n,):
        raise ValueError(f"{name}: {what} must be a boolean array of length {n}")
    return m


def _restrict(w: np.ndarray, within: np.ndarray | None) -> np.ndarray:
    return w if within is None else np.where(within, w, 0.0)


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator > 0 else float("nan")


# ---------------------------------------------------------------------------------------------
# Quantiles

#: Below this many observations the selection finishes with a sort (cheaper than more passes).
_SELECT_CUTOFF = 32


def weighted_quantile(
    values: ArrayLike, weights: ArrayLike, q: float | ArrayLike
) -> float | np.ndarray:
    """Lower weighted quantile: the smallest value ``x`` with ``W(values <= x) >= q * W``.

    ``W(...)`` is the total weight of the observations satisfying the condition and ``W`` the
    total weight; observations with weight 0 are ignored, so the result is always the value of
    an observation with positive weight. ``q = 0`` gives the smallest such value, ``q = 1``
    the largest. No interpolation: the result is one of the values. This is the definition of
    ``sim.population.summary.weighted_median`` (``q = 0.5``) extended to any ``q``.

    A scalar ``q`` is found by weighted selection in O(n) (``np.partition`` on the
    count-median, keeping the side that holds the quantile); an array of ``q`` is answered
    from one O(n log n) sort, the documented fallback. Both compare partial weight sums with
    ``q * W``; they agree exactly when those sums are exact (e.g. integer weights), and for
    fractional weights can differ only when a partial sum equals ``q * W`` within rounding.

    Raises ``ValueError`` if no observation has positive weight or ``q`` is outside [0, 1].

    >>> weighted_quantile([10.0, 20.0, 30.0, 40.0], [1.0, 1.0, 1.0, 1.0], 0.25)
    10.0
    >>> weighted_quantile([10.0, 20.0, 30.0, 40.0], [1.0, 1.0, 1.0, 1.0], [0.0, 0.26, 1.0])
    array([10., 20., 40.])
    """
    v, w = _arrays("weighted_quantile", values, weights)
    qs = np.asarray(q, dtype=np.float64)
    if np.isnan(qs).any() or (qs < 0).any() or (qs > 1).any():
        raise ValueError(f"weighted_quantile: q must lie in [0, 1], got {q!r}")
    if qs.ndim == 0 and v.size >= _COMPILED_FROM:
        # One compiled pass checks, adds the weights and finds whether all are positive.
        sums = _checked_sums("weighted_quantile", v, w)
        if sums.all_weights_positive:
            return _select_lower_quantile(v, w, float(qs), total=sums.total_weight)
    else:
        _check("weighted_quantile", v, w)
    positive = w > 0
    if positive.size == 0 or not positive.all():  # else the arrays as they are
        if not positive.any():
            raise ValueError("weighted_quantile: no observation has positive weight")
        v, w = v[positive], w[positive]
    if qs.ndim == 0:
        return _select_lower_quantile(v, w, float(qs))
    return _sorted_lower_quantiles(v, w, qs)


def weighted_median(values: ArrayLike, weights: ArrayLike) -> float:
    """Lower weighted median: the smallest value ``x`` with ``W(values <= x) >= W / 2``.

    Same definition as ``sim.population.summary.weighted_median`` (there: the first sorted
    value at which the cumulative weight reaches half the total). Observations with weight 0
    are ignored; a tie at exactly half the weight gives the lower of the two middle values.
    O(n) by weighted selection; see :func:`weighted_quantile`. Raises ``ValueError`` if no
    observation has positive weight.

    >>> weighted_median([1.0, 2.0, 3.0], [1.0, 1.0, 2.0])
    2.0
    >>> weighted_median([1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0])  # exactly half at 2
    2.0
    """
    return float(weighted_quantile(values, weights, 0.5))


#: From this many values on, selection is compiled (numpy needs many passes per round).
_COMPILED_FROM = 65_536


def _select_lower_quantile(
    v: np.ndarray, w: np.ndarray, q: float, *, total: float | None = None
) -> float:
    """Weighted quickselect on positive weights; see :func:`weighted_quantile`.

    ``total`` is ``w``'s sum if already known. From :data:`_COMPILED_FROM` values on, the
    compiled selection of :mod:`sim.metrics.weighted_selection` (imported then: numba takes about
    half a second to load).
    """
    total = w.sum() if total is None else total
    target = q * total
    if target <= 0.0:
        return float(v.min())
    if v.size >= _COMPILED_FROM:
        from sim.metrics import weighted_selection

        return weighted_selection.lower_quantile(v, w, target, total)
    # Invariant: the answer is the smallest x in v with W(v <= x) >= target, and target > 0.
    while v.size > _SELECT_CUTOFF:
        k = v.size // 2
        pivot = np.partition(v, k)[k]
        below = v < pivot
        w_of_below = w[below]
        w_below = w_of_below.sum()
        if target <= w_below:
            # The answer lies strictly below the pivot; |below| <= n/2.
            v, w = v[below], w_of_below
            continue
        at = v == pivot
        w_upto = w_below + w[at].sum()
        if target <= w_upto:
            return float(pivot)
        above = v > pivot  # neither below nor at: values are never NaN here
        if not above.any():  # target exceeds the total only by rounding
            return float(pivot)
        target -= w_upto
        v, w = v[above], w[above]
    order = np.argsort(v, kind="stable")
    cumulative = np.cumsum(w[order])
    at = min(int(np.searchsorted(cumulative, target, side="left")), v.size - 1)
    return float(v[order][at])


def _sorted_lower_quantiles(v: np.ndarray, w: np.ndarray, qs: np.ndarray) -> np.ndarray:
    """The O(n log n) fallback: one sort, cumulative weights, ``searchsorted`` (left)."""
    order = np.argsort(v, kind="stable")
    cumulative = np.cumsum(w[order])
    at = np.searchsorted(cumulative, qs * cumulative[-1], side="left")
    # q = 1 can land one past the end when q * total rounds above the last partial sum.
    return v[order][np.minimum(at, v.size - 1)]


# ---------------------------------------------------------------------------------------------
# Consumption units (SCB scale)


@dataclasses.dataclass(frozen=True)
class ConsumptionScale:
    """Weights of an equivalence scale by role in the household."""

    first_adult: float
    partner: float
    other_adult: float
    first_child: float
    other_child: float


#: SCB's consumption-unit scale (reference/targets.csv, rows ``scale_*``): first adult 1.00,
#: cohabiting partner 0.51, each further adult 0.60, first child 0.52, each further child 0.42;
#: children are the household's children 0-19 living at home (SCB, ekonomisk standard).
SCB_SCALE = ConsumptionScale(
    first_adult=1.00, partner=0.51, other_adult=0.60, first_child=0.52, other_child=0.42
)


def consumption_units_from_counts(
    *,
    n_adults: ArrayLike,
    n_children: ArrayLike,
    has_partner: ArrayLike,
    scale: ConsumptionScale = SCB_SCALE,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Consumption units of each household from its counts of adults and children.

    ``units = first_adult + partner·has_partner + other_adult·(n_adults − 1 − has_partner)
    + first_child·[n_children ≥ 1] + other_child·(n_children − 1)⁺``; ``has_partner`` marks a
    cohabiting couple at the head of the household (the partner is one of the ``n_adults``).
    On the SCB scale a couple with two children has 1.00 + 0.51 + 0.52 + 0.42 = 2.45 units.
    A household with no adults has 0 units unless it has children, which is an error.
    ``out``, a float64 array of the households' length, receives the units if given (an
    array no longer needed: a fresh array of millions of values costs page faults).

    >>> consumption_units_from_counts(n_adults=[1, 2, 3], n_children=[0, 2, 1],
    ...                               has_partner=[False, True, True])
    array([1.  , 2.45, 2.63])
    """
    adults = np.asarray(n_adults)
    children = np.asarray(n_children)
    partner = np.asarray(has_partner, dtype=bool)
    if not (adults.shape == children.shape == partner.shape) or adults.ndim != 1:
        raise ValueError("consumption_units_from_counts: arrays must be 1-D of equal length")
    if (
        adults.size >= _COMPILED_FROM
        and adults.dtype.kind in "iu"
        and children.dtype.kind in "iu"
        and (out is None or (out.dtype == np.float64 and out.shape == adults.shape))
    ):
        # Checks and lookup in one compiled pass (sim.metrics.units_from_counts), imported here:
        # numba takes about half a second to load.
        from sim.metrics import units_from_counts as compiled

        units = np.empty(adults.size) if out is None else out
        table = (_units_table(scale), _TABLE_ADULTS, _TABLE_CHILDREN)
        if compiled.units_from_counts(adults, children, partner, *table, units):
            return units
    if (adults < 0).any() or (children < 0).any():
        raise ValueError("consumption_units_from_counts: counts must be non-negative")
    if (partner & (adults < 2)).any():
        raise ValueError("consumption_units_from_counts: a partner needs a second adult")
    if ((adults == 0) & (children > 0)).any():
        bad = int(np.flatnonzero((adults == 0) & (children > 0))[0])
        raise ValueError(
            f"consumption_units_from_counts: household {bad} has children but no adult"
        )
    # Many households, few distinct (adults, children, partner): the formula is computed
    # once for each combination and looked up (the same numbers, element by element).
    if (
        adults.size >= 4096
        and adults.dtype.kind in "iu"
        and children.dtype.kind in "iu"
        and int(adults.max()) <= _TABLE_ADULTS
        and int(children.max()) <= _TABLE_CHILDREN
    ):
        key = adults.astype(np.int16)
        key *= _TABLE_CHILDREN + 1
        key += children
        key *= 2
        key += partner
        return np.take(_units_table(scale), key, out=out)
    units = _units(adults, children, partner, scale)
    if out is None:
        return units
    out[...] = units
    return out


#: The households :func:`_units_table` covers: 0.._TABLE_ADULTS adults, 0.._TABLE_CHILDREN
#: children.
_TABLE_ADULTS = 15
_TABLE_CHILDREN = 31


@functools.cache
def _units_table(scale: ConsumptionScale) -> np.ndarray:
    """:func:`_units` of every (adults, children, partner) up to the table's counts, at
    ``(adults × (_TABLE_CHILDREN + 1) + children) × 2 + partner``."""
    entry = np.arange((_TABLE_ADULTS + 1) * (_TABLE_CHILDREN + 1) * 2)
    pair = entry // 2
    table = _units(
        pair // (_TABLE_CHILDREN + 1), pair % (_TABLE_CHILDREN + 1), entry % 2 == 1, scale
    )
    table.flags.writeable = False  # cached: shared by every call with this scale
    return table


def _units(
    adults: np.ndarray, children: np.ndarray, partner: np.ndarray, scale: ConsumptionScale
) -> np.ndarray:
    """The formula of :func:`consumption_units_from_counts`, element by element."""
    # Signed: ``0 - 1`` of unsigned counts would wrap around to the type's largest value.
    adults = adults.astype(np.int64, copy=False)
    children = children.astype(np.int64, copy=False)
    return (
        scale.first_adult * (adults >= 1)
        + scale.partner * partner
        + scale.other_adult * np.maximum(adults - 1 - partner, 0)
        + scale.first_child * (children >= 1)
        + scale.other_child * np.maximum(children - 1, 0)
    )


def consumption_units(
    *,
    household_idx: ArrayLike,
    is_child: ArrayLike,
    is_partner: ArrayLike,
    n_households: int,
    scale: ConsumptionScale = SCB_SCALE,
) -> np.ndarray:
    """Consumption units per household from per-person roles (SCB scale by default).

    Each household's first adult counts 1.00, the cohabiting partner of the first adult
    (``is_partner``, at most one per household) 0.51, each further adult 0.60, the first
    child 0.52 and each further child 0.42. ``is_child`` must mark SCB's children: children
    0-19 living at home. The order of persons does not matter, only the counts; a household
    with no persons has 0 units. For SCB's *ekonomisk standard* the household is the dwelling
    (all units living together), so pass ``dwelling_idx`` and mark only the partner of the
    dwelling's first unit, as ``sim.population.summary.economic_standard`` does.

    >>> consumption_units(household_idx=[0, 0, 0, 0, 1, 1], is_child=[0, 0, 1, 1, 0, 1],
    ...                   is_partner=[0, 1, 0, 0, 0, 0], n_households=2)
    array([2.45, 1.52])
    """
    idx = np.asarray(household_idx)
    child = np.asarray(is_child).astype(bool)
    partner = np.asarray(is_partner).astype(bool)
    if not (idx.shape == child.shape == partner.shape) or idx.ndim != 1:
        raise ValueError("consumption_units: person arrays must be 1-D of equal length")
    if (partner & child).any():
        raise ValueError("consumption_units: a child cannot be a partner")
    n_children = np.bincount(idx, weights=child, minlength=n_households).astype(np.int64)
    n_adults = np.bincount(idx, weights=~child, minlength=n_households).astype(np.int64)
    n_partners = np.bincount(idx, weights=partner, minlength=n_households).astype(np.int64)
    if n_children.size != n_households:
        raise ValueError(f"consumption_units: household_idx exceeds n_households={n_households}")
    if (n_partners > 1).any():
        raise ValueError("consumption_units: more than one partner in a household")
    return consumption_units_from_counts(
        n_adults=n_adults, n_children=n_children, has_partner=n_partners == 1, scale=scale
    )


# ---------------------------------------------------------------------------------------------
# Poverty


def poverty_line(standard: ArrayLike, person_weights: ArrayLike, *, share: float = 0.6) -> float:
    """``share`` × the lower weighted median of economic standard over persons.

    The relative poverty line (*låg ekonomisk standard*): 60 % by default, 50 % and 40 % by
    ``share``. For a fixed-line variant compute the line once on the baseline and pass it to
    :func:`poverty_rate` for every scenario. Raises ``ValueError`` if no positive weight.

    >>> poverty_line([100.0, 200.0, 300.0], [1.0, 1.0, 1.0], share=0.5)
    100.0
    """
    if not share > 0:
        raise ValueError(f"poverty_line: share must be positive, got {share}")
    return share * weighted_median(standard, person_weights)


def poverty_rate(
    standard: ArrayLike,
    person_weights: ArrayLike,
    *,
    line: float,
    within: ArrayLike | None = None,
) -> float:
    """Share of persons whose economic standard is strictly below ``line``.

    ``W(standard < line and within) / W(within)``: a person exactly at the line is not poor.
    ``within`` restricts numerator and denominator (e.g. children 0-17); see the module
    docstring for household-level arrays. ``nan`` if ``W(within)`` is 0.

    >>> poverty_rate([50.0, 100.0, 200.0], [1.0, 1.0, 2.0], line=100.0)
    0.25
    """
    v, w = _arrays("poverty_rate", standard, person_weights)
    mask = _mask("poverty_rate", within, v.size)
    if v.size >= _COMPILED_FROM:
        if mask is None:  # checked and summed in one pass
            sums = _checked_sums("poverty_rate", v, w, line)
        else:  # the full weights checked, the restricted ones summed
            _check("poverty_rate", v, w)
            sums = _checked_sums("poverty_rate", v, _restrict(w, mask), line)
        return _ratio(sums.weight_below, sums.total_weight)
    _check("poverty_rate", v, w)
    w = _restrict(w, mask)
    return _ratio(float(w[v < line].sum()), w.sum())


def poverty_gap(
    standard: ArrayLike,
    person_weights: ArrayLike,
    *,
    line: float,
    within: ArrayLike | None = None,
) -> float:
    """Poverty gap index (FGT1): the mean relative shortfall over all persons.

    ``Σ w·s / Σ w`` with ``s = (line − max(x, 0)) / line`` for ``x < line`` and 0 otherwise:
    a standard below zero counts as zero, so ``s`` lies in [0, 1]; the denominator is every
    person (poor or not) in ``within``. ``line`` must be positive; ``nan`` if ``W(within)``
    is 0.

    >>> poverty_gap([50.0, 100.0, 200.0, -10.0], [1.0, 1.0, 2.0, 0.0], line=100.0)
    0.125
    """
    v, w = _values_weights("poverty_gap", standard, person_weights)
    w = _restrict(w, _mask("poverty_gap", within, v.size))
    return _ratio(np.dot(w, _shortfall("poverty_gap", v, line)), w.sum())


def poverty_gap_among_poor(
    standard: ArrayLike,
    person_weights: ArrayLike,
    *,
    line: float,
    within: ArrayLike | None = None,
) -> float:
    """Mean relative shortfall among the poor (income-gap ratio = FGT1 / poverty rate).

    ``Σ w·s / Σ w`` over persons with ``x < line`` (and in ``within``), ``s`` as in
    :func:`poverty_gap`. ``nan`` if nobody is poor.

    >>> poverty_gap_among_poor([50.0, 100.0, 200.0], [1.0, 1.0, 2.0], line=100.0)
    0.5
    """
    v, w = _values_weights("poverty_gap_among_poor", standard, person_weights)
    w = _restrict(w, _mask("poverty_gap_among_poor", within, v.size))
    poor = v < line
    return _ratio(
        np.dot(w[poor], _shortfall("poverty_gap_among_poor", v[poor], line)), w[poor].sum()
    )


def _shortfall(name: str, v: np.ndarray, line: float) -> np.ndarray:
    if not (np.isfinite(line) and line > 0):
        raise ValueError(f"{name}: line must be positive and finite, got {line}")
    poor = v < line
    shortfall = np.zeros_like(v)
    # Only the poor: for them the ratio lies in (0, 1] and cannot overflow.
    shortfall[poor] = (line - np.maximum(v[poor], 0.0)) / line
    return shortfall


def absolute_poverty_rate(
    income: ArrayLike,
    threshold: ArrayLike,
    weights: ArrayLike,
    *,
    within: ArrayLike | None = None,
) -> float:
    """Share (by ``weights``) of observations whose income is strictly below their own threshold.

    ``W(income < threshold and within) / W(within)``, with a household-specific
    ``threshold`` (riksnorm plus reasonable housing cost, same period as ``income``); income
    equal to the threshold is not poor. With household arrays and weights ``household weight
    × persons`` it is a share of persons. ``nan`` if ``W(within)`` is 0.

    >>> absolute_poverty_rate([9.0, 10.0, 30.0], [10.0, 10.0, 20.0], [1.0, 1.0, 2.0])
    0.25
    """
    v, w = _values_weights("absolute_poverty_rate", income, weights)
    t, _ = _values_weights("absolute_poverty_rate", threshold, weights)
    w = _restrict(w, _mask("absolute_poverty_rate", within, v.size))
    return _ratio(w[v < t].sum(), w.sum())


# ---------------------------------------------------------------------------------------------
# Inequality


def gini(values: ArrayLike, weights: ArrayLike) -> float:
    """Weighted Gini coefficient: twice the area between the diagonal and the Lorenz curve.

    The Lorenz curve joins the points (cumulative weight share, cumulative value share) of the
    observations sorted by value with straight lines, which equals
    ``Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ)`` (pairs of an observation with itself included,
    so ``n`` equal-weight observations give at most ``(n − 1) / n``). Same formula as
    ``sim.population.summary.gini``; ties may be in any order. 0 when all positive-weight
    values are equal (also all zero). Negative values are allowed but then the result may
    exceed 1; raises ``ValueError`` if the weighted mean is not positive (and the values are
    not all equal) or no observation has positive weight. O(n log n).

    >>> gini([0.0, 0.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0])
    0.75
    """
    v, w = _values_weights("gini", values, weights)
    positive = w > 0
    if not positive.any():
        raise ValueError("gini: no observation has positive weight")
    v, w = v[positive], w[positive]
    if v.min() == v.max():
        return 0.0
    if not np.dot(v, w) > 0:
        raise ValueError("gini: the weighted mean must be positive")
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    cum_w = np.cumsum(w) / w.sum()
    cum_v = np.cumsum(v * w)
    cum_v /= cum_v[-1]
    previous = np.r_[0.0, cum_v[:-1]]
    return float(1.0 - np.dot(np.diff(np.r_[0.0, cum_w]), cum_v + previous))


# ---------------------------------------------------------------------------------------------
# Money and caseload


def weighted_total(values: ArrayLike, weights: ArrayLike) -> float:
    """``Σ w·x``: e.g. FS paid per year from each household's annual FS (0 if empty).

    >>> weighted_total([100.0, 0.0, 50.0], [2.0, 5.0, 1.0])
    250.0
    """
    v, w = _arrays("weighted_total", values, weights)
    if v.size >= _COMPILED_FROM:
        return float(_checked_sums("weighted_total", v, w).weighted_total)
    _check("weighted_total", v, w)
    return float(np.dot(v, w))


def weighted_count(mask: ArrayLike, weights: ArrayLike) -> float:
    """``Σ w`` over ``mask``: e.g. households with FS in the year (0 if nobody).

    >>> weighted_count([True, False, True], [2.0, 5.0, 1.5])
    3.5
    """
    w = np.asarray(weights, dtype=np.float64)
    _values_weights("weighted_count", np.zeros_like(w), w)
    m = _mask("weighted_count", mask, w.size, "mask")
    return float(w[m].sum())


def share(mask: ArrayLike, weights: ArrayLike, *, within: ArrayLike | None = None) -> float:
    """``W(mask and within) / W(within)``: e.g. the long-term share of recipients.

    ``nan`` if ``W(within)`` is 0.

    >>> share([True, True, False], [1.0, 2.0, 1.0], within=[True, False, True])
    0.5
    """
    w = np.asarray(weights, dtype=np.float64)
    _values_weights("share", np.zeros_like(w), w)
    m = _mask("share", mask, w.size, "mask")
    w = _restrict(w, _mask("share", within, w.size))
    return _ratio(w[m].sum(), w.sum())


# ---------------------------------------------------------------------------------------------
# Distribution

#: Names of the five bands of :func:`change_bands`, by code 0..4.
CHANGE_BANDS = ("large_loss", "small_loss", "unchanged", "small_gain", "large_gain")

#: Default band edges of :func:`change_bands`, SEK per month.
CHANGE_BAND_EDGES = (-1000.0, -100.0, 100.0, 1000.0)


def change_bands(
    change: ArrayLike, *, edges: tuple[float, float, float, float] = CHANGE_BAND_EDGES
) -> np.ndarray:
    """Band code 0..4 (names in :data:`CHANGE_BANDS`) of each change, e.g. SEK per month.

    With ``edges = (a, b, c, d)``, ``a < b <= c < d``:
    0 large loss ``x < a``; 1 small loss ``a <= x < b``; 2 unchanged ``b <= x <= c``;
    3 small gain ``c < x <= d``; 4 large gain ``x > d``. An edge belongs to the band nearer
    "unchanged": with the defaults −100 and +100 are unchanged, −1000 is a small loss and
    +1000 a small gain.

    >>> change_bands([-1500.0, -1000.0, -100.0, 0.0, 100.0, 100.5, 1000.0, 2000.0])
    array([0, 1, 2, 2, 2, 3, 3, 4])
    """
    x = np.asarray(change, dtype=np.float64)
    if x.ndim != 1 or np.isnan(x).any():
        raise ValueError("change_bands: change must be a 1-D array without NaN")
    a, b, c, d = (float(e) for e in edges)
    if not a < b <= c < d:
        raise ValueError(f"change_bands: edges must satisfy a < b <= c < d, got {edges}")
    low = np.searchsorted(np.array([a, b]), x, side="right")  # edges <= x
    high = np.searchsorted(np.array([c, d]), x, side="left")  # edges < x
    return (low + high).astype(np.int64)


class GroupStats(NamedTuple):
    """Per-group weight, weighted total and weighted mean (``nan`` where the weight is 0)."""

    weight: np.ndarray
    total: np.ndarray
    mean: np.ndarray


def by_group(
    values: ArrayLike,
    weights: ArrayLike,
    groups: ArrayLike,
    n_groups: int,
    *,
    within: ArrayLike | None = None,
) -> GroupStats:
    """Weighted totals and means of ``values`` by integer group code 0..n_groups-1.

    For each group g: ``weight[g] = Σ w``, ``total[g] = Σ w·x``, ``mean[g] = total / weight``
    over observations with ``groups == g`` (and in ``within``); ``mean`` is ``nan`` for a
    group without weight. Codes outside 0..n_groups-1 raise ``ValueError``.

    >>> s = by_group([10.0, 20.0, 30.0], [1.0, 1.0, 2.0], [0, 1, 1], 3)
    >>> s.total, s.mean
    (array([10., 80.,  0.]), array([10.        , 26.66666667,         nan]))
    """
    v, w = _values_weights("by_group", values, weights)
    w = _restrict(w, _mask("by_group", within, v.size))
    g = np.asarray(groups)
    if g.shape != v.shape or not np.issubdtype(g.dtype, np.integer):
        raise ValueError("by_group: groups must be integer codes aligned to values")
    if g.size and (g.min() < 0 or g.max() >= n_groups):
        raise ValueError(f"by_group: group codes must lie in 0..{n_groups - 1}")
    weight = np.bincount(g, weights=w, minlength=n_groups)
    total = np.bincount(g, weights=w * v, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(weight > 0, total / np.where(weight > 0, weight, 1.0), np.nan)
    return GroupStats(weight=weight, total=total, mean=mean)


def deciles(standard: ArrayLike, person_weights: ArrayLike) -> np.ndarray:
    """Decile code 1..10 of each observation's (baseline) economic standard among persons.

    The cut points are the lower weighted quantiles ``c_k`` (:func:`weighted_quantile`) at
    ``q = k/10``, k = 1..9, and the decile is ``1 + #{k : x > c_k}``: a value equal to a cut
    point belongs to the lower decile, so tied values always share a decile and, with ties or
    lumpy weights, deciles hold only roughly 10 % of the weight each. Observations with weight
    0 also get the decile of their value. One O(n log n) sort. Raises ``ValueError`` if no
    positive weight.

    >>> deciles(np.arange(1.0, 11.0), np.ones(10))
    array([ 1,  2,  3,  4,  5,  6,  7,  8,  9, 10])
    """
    v, w = _values_weights("deciles", standard, person_weights)
    cuts = weighted_quantile(v, w, np.arange(1, 10) / 10)
    return (np.searchsorted(cuts, v, side="left") + 1).astype(np.int64)


def loss_per_child(
    change: ArrayLike,
    n_children: ArrayLike,
    weights: ArrayLike,
    *,
    min_loss: float = 0.0,
) -> float:
    """Mean loss per child (positive number, e.g. SEK per month) among households that lose.

    Over households with ``n_children >= 1`` and a loss ``-change > min_loss``:
    ``Σ w·(−change) / Σ w·n_children``, i.e. each child carries an equal share of its
    household's loss and the mean is over children (household weight × children). ``weights``
    are household weights; ``nan`` if no such household.

    >>> loss_per_child([-600.0, -100.0, -500.0, 200.0], [2, 1, 0, 3], [1.0, 2.0, 1.0, 1.0])
    200.0
    """
    x, w = _values_weights("loss_per_child", change, weights)
    n, _ = _values_weights("loss_per_child", n_children, weights)
    if (n < 0).any():
        raise ValueError("loss_per_child: n_children must be non-negative")
    hit = (n >= 1) & (-x > min_loss)
    return _ratio(np.dot(w[hit], -x[hit]), np.dot(w[hit], n[hit]))
