"""Inkomstskatt: an approximation of the final income tax on earnings and taxable benefits.

Inkomstskattelagen (1999:1229): kommunal and statlig inkomstskatt on beskattningsbar
förvärvsinkomst (65 kap. 3-5 §§) after grundavdrag (63 kap. 3 and 3 a §§), allmän
pensionsavgift with its full skattereduktion (67 kap. 4 §), jobbskatteavdrag (67 kap.
5-7 §§) and skattereduktion för förvärvsinkomster (67 kap. 46-47 §§), reductions taken in
the order of 67 kap. 2 §. Everyone pays the national average kommunal rate. The method,
sources, simplifications and a comparison with Skatteverket's tables are in docs/tax.md.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numba
import numpy as np

from sim.common.errors import SimInputError
from sim.law.parameters import Table


def _pbb_formula(table: Table, income_pbb: np.ndarray) -> np.ndarray:
    """Piecewise-linear amount in PBB: base_pbb + slope × (income − anchor_pbb) of the bracket.

    The law states each bracket as "X prisbasbelopp ökat med Y procent av ..." (of the
    income, or of the part above a bound); ``anchor_pbb`` says which.
    """
    i = table.bracket(income_pbb)
    return table.at("base_pbb", i) + table.at("slope", i) * (income_pbb - table.at("anchor_pbb", i))


def _above(table: Table, income_pbb: np.ndarray, pbb: float) -> np.ndarray:
    """SEK avtrappning: rate × (income − bound) of the bracket, 0 in a bracket with rate 0."""
    i = table.bracket(income_pbb)
    return table.at("rate", i) * np.maximum(income_pbb - table.at("income_from_pbb", i), 0.0) * pbb


def grundavdrag(*, ffi: np.ndarray, is_older: np.ndarray, p: Any) -> np.ndarray:
    """Grundavdrag (SEK/year) for a fastställd förvärvsinkomst ``ffi`` (SEK/year).

    IL 63 kap. 3 §, plus the särskilt belopp of 63 kap. 3 a § for those who had turned 66
    at the start of the year (``is_older``). Rounded up to whole hundreds and never more
    than the income.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).inkomstskatt
    >>> grundavdrag(ffi=np.array([0.0, 20_000, 170_000, 600_000, 600_000]),
    ...     is_older=np.array([False, False, False, False, True]), p=p).tolist()
    [0.0, 20000.0, 45600.0, 17400.0, 179100.0]
    """
    pbb = p.prisbasbelopp
    x = ffi / pbb
    amount = _pbb_formula(p.grundavdrag, x)
    older = np.flatnonzero(is_older)
    amount[older] += _pbb_formula(p.grundavdrag_tillagg, x[older])
    step = p.rounding_step
    rounded = np.ceil(np.round(amount * pbb, 6) / step) * step
    return np.minimum(rounded, np.maximum(ffi, 0.0))


def _once_per_step(
    f: Callable[[np.ndarray], np.ndarray], amounts: np.ndarray, step: float
) -> np.ndarray:
    """``f(amounts)`` for SEK amounts in whole ``step``s, computed once per step.

    Amounts rounded to hundreds take few distinct values: ``f`` (elementwise) is computed for
    every step from 0 to the largest amount and each amount's value looked up, the same
    numbers at a fraction of the work. Computed directly for few amounts, amounts not in
    whole steps, or more steps than amounts.
    """
    if amounts.size < 1024:
        return f(amounts)
    steps = amounts / step
    k = steps.astype(np.intp)
    largest = int(k.max())
    if largest >= amounts.size or k.min() < 0 or not np.array_equal(k, steps):
        return f(amounts)
    return f(np.arange(largest + 1, dtype=np.float64) * step)[k]


def jobbskatteavdrag(
    *, arbetsinkomst: np.ndarray, grundavdrag_sek: np.ndarray, is_older: np.ndarray, p: Any
) -> np.ndarray:
    """Jobbskatteavdrag (SEK/year) before it is limited to the tax (IL 67 kap. 7 §).

    Under 66: (amount − grundavdrag) × kommunal rate, less any avtrappning. 66 or older at
    the start of the year: a flat amount of the arbetsinkomst, not tied to the kommunal
    rate. Never negative.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).inkomstskatt
    >>> jobbskatteavdrag(arbetsinkomst=np.array([420_000.0]), grundavdrag_sek=np.array([22_000.0]),
    ...     is_older=np.array([False]), p=p).round(0).tolist()
    [46176.0]
    """
    step = p.rounding_step
    amount = np.zeros(np.shape(arbetsinkomst))
    # Each person gets one of the two formulas; compute each only where it applies (and
    # once per hundred kronor of arbetsinkomst, see _once_per_step).
    young = np.flatnonzero((arbetsinkomst > 0) & ~is_older)
    ay = arbetsinkomst[young]
    formula = _once_per_step(lambda a: _jsa_formula(a, p), ay, step)
    avtrappning = _once_per_step(lambda a: _jsa_avtrappning(a, p), ay, step)
    amount[young] = (formula - grundavdrag_sek[young]) * p.kommunal_rate - avtrappning
    older = np.flatnonzero((arbetsinkomst > 0) & is_older)
    amount[older] = _once_per_step(lambda a: _jsa_older(a, p), arbetsinkomst[older], step)
    return np.maximum(amount, 0.0)


def _jsa_formula(arbetsinkomst: np.ndarray, p: Any) -> np.ndarray:
    """The amount of IL 67 kap. 6 § (under 66) from which the grundavdrag is taken, SEK/year."""
    pbb = p.prisbasbelopp
    return _pbb_formula(p.jobbskatteavdrag, arbetsinkomst / pbb) * pbb


def _jsa_avtrappning(arbetsinkomst: np.ndarray, p: Any) -> np.ndarray:
    """The avtrappning of the jobbskatteavdrag under 66 (IL 67 kap. 6 §), SEK/year."""
    pbb = p.prisbasbelopp
    return _above(p.jobbskatteavdrag_avtrappning, arbetsinkomst / pbb, pbb)


def _jsa_older(arbetsinkomst: np.ndarray, p: Any) -> np.ndarray:
    """The jobbskatteavdrag from 66 (IL 67 kap. 7 §) after its avtrappning, SEK/year."""
    pbb = p.prisbasbelopp
    return _pbb_formula(p.jobbskatteavdrag_aldre, arbetsinkomst / pbb) * pbb - _above(
        p.jobbskatteavdrag_aldre_avtrappning, arbetsinkomst / pbb, pbb
    )


def income_tax(
    *, earnings: np.ndarray, taxable_benefits: np.ndarray, age: np.ndarray, p: Any
) -> np.ndarray:
    """Monthly income tax (SEK/month) for persons with these monthly gross incomes.

    ``earnings`` is gross employment income (arbetsinkomst, gives jobbskatteavdrag);
    ``taxable_benefits`` is other taxable income (a-kassa, sjukpenning, aktivitetsstöd,
    pension ...); ``age`` is the age in whole years **at the start of the income year**
    (1 January), which is how IL 63 kap. 3 a § and 67 kap. 7 § draw the line at 66.

    The monthly amounts are annualised (× 12) as if the month lasted all year, the annual
    tax is computed and divided by 12:

    1. fastställd förvärvsinkomst (FFI) = earnings + benefits, rounded down to hundreds;
       grundavdrag (IL 63 kap. 3, 3 a §§) from FFI; beskattningsbar förvärvsinkomst
       (BFI) = FFI − grundavdrag, rounded down to hundreds;
    2. kommunal tax = BFI × the national average kommunal rate; statlig tax = 20 % of BFI
       above the skiktgräns (IL 65 kap. 3-5 §§);
    3. allmän pensionsavgift = 7 % of pensionsgrundande income (earnings, plus benefits for
       those under 66; treated as pension, which carries no avgift, for those 66+), none
       below 42,3 % of PBB. The skattereduktion for it equals the avgift (IL 67 kap. 4 §),
       so the avgift is a net zero whenever the tax covers it; only at low incomes, where
       it does not, is part of the avgift actually paid;
    4. reductions in the order of IL 67 kap. 2 §: pensionsavgift (against kommunal +
       statlig tax), then jobbskatteavdrag and skattereduktion för förvärvsinkomster
       (against kommunal tax only). None can make the tax negative.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).inkomstskatt
    >>> income_tax(earnings=np.array([0.0, 35_000, 0]), taxable_benefits=np.array([0.0, 0, 20_000]),
    ...     age=np.array([40, 40, 70]), p=p).round(0).tolist()
    [0.0, 6766.0, 3156.0]
    """
    arrays = np.broadcast_arrays(earnings, taxable_benefits, age)
    shape = arrays[0].shape
    earnings, taxable_benefits, age = (np.ravel(a).astype(np.float64, copy=False) for a in arrays)
    if earnings.size == 0:
        return np.zeros(shape)
    with np.errstate(over="ignore"):  # an absurd income becomes inf, refused just below
        largest = 12.0 * (np.maximum(earnings, 0.0) + np.maximum(taxable_benefits, 0.0)).max()
    schedule = tax_schedule(p, largest)
    return _monthly_tax(earnings, taxable_benefits, age, schedule).reshape(shape)


#: Tables of a schedule cover at least this many hundreds (3.3 M kr a year), and a power of
#: two of them, so that one schedule serves every month and part of a run.
_SCHEDULE_MIN_STEPS = 2**15


#: The largest annual income the tables may cover (2^22 hundreds, 419 M kr a year: tables of
#: 32 MB each); the household calculator's bounds keep a person far below (12 M kr).
MAX_TABLE_SEK_YEAR = 2**22 * 100.0


class TaxSchedule(NamedTuple):
    """The law of one year as :func:`annual_tax` reads it: scalars, and tables by 100 kr.

    The tables hold the grundavdrag by fastställd förvärvsinkomst and the jobbskatteavdrag's
    parts by arbetsinkomst, in whole ``step``s (hundreds) from 0 up to the largest income:
    both incomes are rounded down to hundreds before the formulas (IL 63 kap. and 67 kap.),
    so a person's amount is a table entry, computed by :func:`grundavdrag` and the
    jobbskatteavdrag's formulas themselves.
    """

    step: float
    older_age_from: float
    kommunal_rate: float
    statlig_rate: float
    skiktgrans: float
    fee_rate: float
    fee_threshold: float
    reduction_rate: float
    reduction_lower: float
    reduction_width: float
    grundavdrag: np.ndarray
    grundavdrag_older: np.ndarray
    beskattningsbar: np.ndarray
    beskattningsbar_older: np.ndarray
    jsa_formula: np.ndarray
    jsa_avtrappning: np.ndarray
    jsa_older: np.ndarray


def tax_schedule(p: Any, largest_sek_year: float) -> TaxSchedule:
    """The :class:`TaxSchedule` of ``p`` for incomes up to ``largest_sek_year``.

    Its tables are cached by the law's parameters (the last few used).
    """
    if not math.isfinite(largest_sek_year) or largest_sek_year > MAX_TABLE_SEK_YEAR:
        # The engine's own guard for incomes that reach it past the edge's bounds
        # (sim.common.validate): the tables would grow with the income.
        raise SimInputError(
            f"an income of {largest_sek_year:.4g} kr/year is beyond the tax tables "
            f"(at most {MAX_TABLE_SEK_YEAR:.4g})"
        )
    # One entry more than the largest step: rounding to 1e-6 can lift an income by a hair.
    needed = int(largest_sek_year // p.rounding_step) + 2
    return _cached_schedule(p, max(_SCHEDULE_MIN_STEPS, 1 << (needed - 1).bit_length()))


@functools.lru_cache(maxsize=8)
def _cached_schedule(p: Any, n_steps: int) -> TaxSchedule:
    step = p.rounding_step
    amounts = np.arange(n_steps, dtype=np.float64) * step
    ga = grundavdrag(ffi=amounts, is_older=np.zeros(amounts.size, dtype=bool), p=p)
    ga_older = grundavdrag(ffi=amounts, is_older=np.ones(amounts.size, dtype=bool), p=p)
    schedule = TaxSchedule(
        step=float(step),
        older_age_from=float(p.older_age_from),
        kommunal_rate=float(p.kommunal_rate),
        statlig_rate=float(p.statlig_rate),
        skiktgrans=float(p.skiktgrans),
        fee_rate=float(p.allman_pensionsavgift_rate),
        fee_threshold=float(p.allman_pensionsavgift_threshold_pbb * p.prisbasbelopp),
        reduction_rate=float(p.forvarvsinkomst_reduktion_rate),
        reduction_lower=float(p.forvarvsinkomst_reduktion_lower),
        reduction_width=float(
            p.forvarvsinkomst_reduktion_upper - p.forvarvsinkomst_reduktion_lower
        ),
        grundavdrag=ga,
        grundavdrag_older=ga_older,
        beskattningsbar=_beskattningsbar(amounts, ga, step),
        beskattningsbar_older=_beskattningsbar(amounts, ga_older, step),
        jsa_formula=_jsa_formula(amounts, p),
        jsa_avtrappning=_jsa_avtrappning(amounts, p),
        jsa_older=_jsa_older(amounts, p),
    )
    for value in schedule:
        if isinstance(value, np.ndarray):
            value.flags.writeable = False  # shared by every caller of the cache
    return schedule


def _beskattningsbar(ffi: np.ndarray, ga: np.ndarray, step: float) -> np.ndarray:
    """Beskattningsbar förvärvsinkomst for each ffi of a table: ffi less the grundavdrag,
    rounded down to whole ``step``s, as :func:`income_tax` computes it."""
    return np.floor(np.round(np.maximum(ffi - ga, 0.0), 6) / step) * step


# Compiled with error_model="numpy": divisions as numpy's (IEEE, no Python zero check per
# division); the divisors are constants and the law's rounding step.
@numba.njit(cache=True, nogil=True, inline="always", error_model="numpy")
def _round6(x: float) -> float:  # pragma: no cover
    """``np.round(x, 6)``: numpy multiplies by 10**6, rounds half to even and divides."""
    return np.rint(x * 1e6) / 1e6


@numba.njit(cache=True, nogil=True, inline="always", error_model="numpy")
def annual_tax(
    earnings_year: float, benefits_year: float, is_older: bool, s: TaxSchedule
) -> float:  # pragma: no cover
    """Income tax (SEK/year) on non-negative annual earnings and taxable benefits.

    The steps of :func:`income_tax`, for one person (compiled; the engine calls it for
    every taxpayer in its pass over persons).
    """
    step = s.step
    # Rounding down before the formulas mirrors how Skatteverket computes its tables; the
    # rounding to 1e-6 guards against 12 × 35 000.0 landing a hair below a hundred.
    ffi_steps = np.floor(_round6(earnings_year + benefits_year) / step)
    k = int(ffi_steps)  # the table entry of ffi (whole steps: ffi / step is exact)
    if k >= s.grundavdrag.size:  # the caller's schedule is too short: never read beyond it
        raise ValueError("income above the tax schedule's tables")
    # Both depend on ffi alone: table entries, computed by the numpy formulas.
    if is_older:
        ga, bfi = s.grundavdrag_older[k], s.beskattningsbar_older[k]
    else:
        ga, bfi = s.grundavdrag[k], s.beskattningsbar[k]

    kommunal = bfi * s.kommunal_rate
    statlig = s.statlig_rate * max(bfi - s.skiktgrans, 0.0)

    # Simplification: benefits of people 66+ are taken to be pension (no avgift); for
    # younger people they are taken to be pensionsgrundande (a-kassa, sjukpenning,
    # aktivitetsstöd are). The avgift's cap at 8,07 inkomstbasbelopp and its rounding to
    # hundreds are left out: they only matter where the reduction offsets the avgift anyway.
    fee_base = earnings_year + (0.0 if is_older else benefits_year)
    fee = s.fee_rate * fee_base if fee_base >= s.fee_threshold else 0.0

    # Jobbskatteavdrag (IL 67 kap. 6-7 §§): under 66 (amount − grundavdrag) × kommunal
    # rate less the avtrappning, from 66 a flat amount; never negative.
    jsa = 0.0
    if earnings_year > 0:
        # Without benefits the arbetsinkomst is the ffi itself (x + 0.0 == x): no division.
        arbetsinkomst_steps = (
            ffi_steps if benefits_year == 0.0 else np.floor(_round6(earnings_year) / step)
        )
    else:
        arbetsinkomst_steps = 0.0
    if arbetsinkomst_steps > 0:
        j = int(arbetsinkomst_steps)
        if is_older:
            jsa = s.jsa_older[j]
        else:
            jsa = (s.jsa_formula[j] - ga) * s.kommunal_rate - s.jsa_avtrappning[j]
        jsa = max(jsa, 0.0)
    fi_reduction = s.reduction_rate * min(max(bfi - s.reduction_lower, 0.0), s.reduction_width)

    # IL 67 kap. 2 §: each reduction only uses what the earlier ones left. The pension
    # reduction is charged to the kommunal tax first; while there is statlig tax the
    # kommunal tax is far larger than all the reductions, so the split never binds.
    pension_reduction = min(fee, kommunal + statlig)
    kommunal_left = max(kommunal - pension_reduction, 0.0)
    jsa_used = min(jsa, kommunal_left)
    fi_used = min(fi_reduction, kommunal_left - jsa_used)
    return kommunal + statlig + fee - pension_reduction - jsa_used - fi_used


@numba.njit(cache=True, nogil=True, inline="always", error_model="numpy")
def monthly_tax(
    earnings: float, taxable_benefits: float, age: float, s: TaxSchedule
) -> float:  # pragma: no cover
    """Monthly income tax of one person (see :func:`income_tax`)."""
    is_older = age >= s.older_age_from
    annual = annual_tax(max(earnings, 0.0) * 12.0, max(taxable_benefits, 0.0) * 12.0, is_older, s)
    return max(annual, 0.0) / 12.0


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _monthly_tax(
    earnings: np.ndarray, taxable_benefits: np.ndarray, age: np.ndarray, s: TaxSchedule
) -> np.ndarray:  # pragma: no cover
    out = np.empty(earnings.size)
    for i in range(earnings.size):
        out[i] = monthly_tax(earnings[i], taxable_benefits[i], age[i], s)
    return out
