"""Inkomstskatt: an approximation of the final income tax on earnings and taxable benefits.

Inkomstskattelagen (1999:1229): kommunal and statlig inkomstskatt on beskattningsbar
förvärvsinkomst (65 kap. 3-5 §§) after grundavdrag (63 kap. 3 and 3 a §§), allmän
pensionsavgift with its full skattereduktion (67 kap. 4 §), jobbskatteavdrag (67 kap.
5-7 §§) and skattereduktion för förvärvsinkomster (67 kap. 46-47 §§), reductions taken in
the order of 67 kap. 2 §. Everyone pays the national average kommunal rate. The method,
sources, simplifications and a comparison with Skatteverket's tables are in docs/tax.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from sim.params import Table


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

    >>> from sim.params import default_law; import datetime as dt
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

    >>> from sim.params import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).inkomstskatt
    >>> jobbskatteavdrag(arbetsinkomst=np.array([420_000.0]), grundavdrag_sek=np.array([22_000.0]),
    ...     is_older=np.array([False]), p=p).round(0).tolist()
    [46176.0]
    """
    pbb = p.prisbasbelopp
    step = p.rounding_step
    amount = np.zeros(np.shape(arbetsinkomst))
    # Each person gets one of the two formulas; compute each only where it applies (and
    # once per hundred kronor of arbetsinkomst, see _once_per_step).
    young = np.flatnonzero((arbetsinkomst > 0) & ~is_older)
    ay = arbetsinkomst[young]
    formula = _once_per_step(lambda a: _pbb_formula(p.jobbskatteavdrag, a / pbb) * pbb, ay, step)
    avtrappning = _once_per_step(
        lambda a: _above(p.jobbskatteavdrag_avtrappning, a / pbb, pbb), ay, step
    )
    amount[young] = (formula - grundavdrag_sek[young]) * p.kommunal_rate - avtrappning
    older = np.flatnonzero((arbetsinkomst > 0) & is_older)
    amount[older] = _once_per_step(
        lambda a: (
            _pbb_formula(p.jobbskatteavdrag_aldre, a / pbb) * pbb
            - _above(p.jobbskatteavdrag_aldre_avtrappning, a / pbb, pbb)
        ),
        arbetsinkomst[older],
        step,
    )
    return np.maximum(amount, 0.0)


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

    >>> from sim.params import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).inkomstskatt
    >>> income_tax(earnings=np.array([0.0, 35_000, 0]), taxable_benefits=np.array([0.0, 0, 20_000]),
    ...     age=np.array([40, 40, 70]), p=p).round(0).tolist()
    [0.0, 6766.0, 3156.0]
    """
    step = p.rounding_step
    pbb = p.prisbasbelopp
    earnings_year = np.maximum(np.asarray(earnings, dtype=np.float64), 0.0) * 12.0
    benefits_year = np.maximum(np.asarray(taxable_benefits, dtype=np.float64), 0.0) * 12.0
    is_older = np.asarray(age) >= p.older_age_from

    # Rounding down before the formulas mirrors how Skatteverket computes its tables; the
    # round(…, 6) guards against 12 × 35 000.0 landing a hair below a hundred.
    ffi = np.floor(np.round(earnings_year + benefits_year, 6) / step) * step
    arbetsinkomst = np.floor(np.round(earnings_year, 6) / step) * step
    # Grundavdrag depends only on FFI (whole hundreds) and age: computed once per hundred.
    ga = _once_per_step(
        lambda a: grundavdrag(ffi=a, is_older=np.zeros(a.size, dtype=bool), p=p), ffi, step
    )
    older = np.flatnonzero(is_older)
    ga[older] = _once_per_step(
        lambda a: grundavdrag(ffi=a, is_older=np.ones(a.size, dtype=bool), p=p), ffi[older], step
    )
    bfi = np.floor(np.round(np.maximum(ffi - ga, 0.0), 6) / step) * step

    kommunal = bfi * p.kommunal_rate
    statlig = p.statlig_rate * np.maximum(bfi - p.skiktgrans, 0.0)

    # Simplification: benefits of people 66+ are taken to be pension (no avgift); for
    # younger people they are taken to be pensionsgrundande (a-kassa, sjukpenning,
    # aktivitetsstöd are). The avgift's cap at 8,07 inkomstbasbelopp and its rounding to
    # hundreds are left out: they only matter where the reduction offsets the avgift anyway.
    fee_base = earnings_year + np.where(is_older, 0.0, benefits_year)
    fee = np.where(
        fee_base >= p.allman_pensionsavgift_threshold_pbb * pbb,
        p.allman_pensionsavgift_rate * fee_base,
        0.0,
    )

    jsa = jobbskatteavdrag(arbetsinkomst=arbetsinkomst, grundavdrag_sek=ga, is_older=is_older, p=p)
    fi_reduction = p.forvarvsinkomst_reduktion_rate * np.clip(
        bfi - p.forvarvsinkomst_reduktion_lower,
        0.0,
        p.forvarvsinkomst_reduktion_upper - p.forvarvsinkomst_reduktion_lower,
    )

    # IL 67 kap. 2 §: each reduction only uses what the earlier ones left. The pension
    # reduction is charged to the kommunal tax first; while there is statlig tax the
    # kommunal tax is far larger than all the reductions, so the split never binds.
    pension_reduction = np.minimum(fee, kommunal + statlig)
    kommunal_left = np.maximum(kommunal - pension_reduction, 0.0)
    jsa_used = np.minimum(jsa, kommunal_left)
    fi_used = np.minimum(fi_reduction, kommunal_left - jsa_used)

    annual = kommunal + statlig + fee - pension_reduction - jsa_used - fi_used
    return np.maximum(annual, 0.0) / 12.0
