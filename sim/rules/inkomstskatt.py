"""Inkomstskatt: an approximation of the final income tax on earnings and taxable benefits.

Inkomstskattelagen (1999:1229): kommunal and statlig inkomstskatt on beskattningsbar
förvärvsinkomst (65 kap. 3-5 §§) after grundavdrag (63 kap. 3 and 3 a §§), allmän
pensionsavgift with its full skattereduktion (67 kap. 4 §), jobbskatteavdrag (67 kap.
5-7 §§) and skattereduktion för förvärvsinkomster (67 kap. 46-47 §§), reductions taken in
the order of 67 kap. 2 §. Everyone pays the national average kommunal rate. The method,
sources, simplifications and a comparison with Skatteverket's tables are in docs/tax.md.

Each step is a scalar compiled (numba) function of one person's amounts and the year's law
as a :class:`TaxLaw` (:func:`tax_law`). The engine's pass over the persons
(:mod:`sim.engine.net_income_pass`) calls :func:`monthly_tax` with a :class:`TaxSchedule`, the law
with its grundavdrag and jobbskatteavdrag computed once per 100 kr, and :func:`income_tax` is
the same function over arrays.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import numpy as np

from sim.common.jit import jit
from sim.rules.tables import columns


class Brackets(NamedTuple):
    """An amount in prisbasbelopp by income bracket, as IL states it: in the bracket that
    starts at ``income_from_pbb``, ``base_pbb`` + ``slope`` × (income − ``anchor_pbb``), in
    PBB ("X prisbasbelopp ökat med Y procent av ..." the income, or of its part above a
    bound; ``anchor_pbb`` says which)."""

    income_from_pbb: tuple[float, ...]
    base_pbb: tuple[float, ...]
    slope: tuple[float, ...]
    anchor_pbb: tuple[float, ...]


class Avtrappning(NamedTuple):
    """A reduction of ``rate`` × the income above the bound ``income_from_pbb`` of its
    bracket (a rate of 0: none)."""

    income_from_pbb: tuple[float, ...]
    rate: tuple[float, ...]


class TaxLaw(NamedTuple):
    """One year's inkomstskatt as the compiled rules read it (SEK/year where an amount)."""

    prisbasbelopp: float
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
    grundavdrag: Brackets
    grundavdrag_tillagg: Brackets
    jobbskatteavdrag: Brackets
    jobbskatteavdrag_avtrappning: Avtrappning
    jobbskatteavdrag_aldre: Brackets
    jobbskatteavdrag_aldre_avtrappning: Avtrappning


@functools.lru_cache(maxsize=16)
def tax_law(p: Any) -> TaxLaw:
    """The :class:`TaxLaw` of the law section ``p`` (``params.inkomstskatt``)."""

    def amounts(name: str) -> Brackets:
        return Brackets(*columns(getattr(p, name), "base_pbb", "slope", "anchor_pbb"))

    def avtrappning(name: str) -> Avtrappning:
        return Avtrappning(*columns(getattr(p, name), "rate"))

    return TaxLaw(
        prisbasbelopp=float(p.prisbasbelopp),
        step=float(p.rounding_step),
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
        grundavdrag=amounts("grundavdrag"),
        grundavdrag_tillagg=amounts("grundavdrag_tillagg"),
        jobbskatteavdrag=amounts("jobbskatteavdrag"),
        jobbskatteavdrag_avtrappning=avtrappning("jobbskatteavdrag_avtrappning"),
        jobbskatteavdrag_aldre=amounts("jobbskatteavdrag_aldre"),
        jobbskatteavdrag_aldre_avtrappning=avtrappning("jobbskatteavdrag_aldre_avtrappning"),
    )


# Compiled with error_model="numpy": divisions as numpy's (IEEE, no Python zero check per
# division); the divisors are the prisbasbelopp and the rounding step.
@jit(inline="always")
def _round6(x: float) -> float:
    """``np.round(x, 6)``: numpy multiplies by 10**6, rounds half to even and divides."""
    return np.rint(x * 1e6) / 1e6


@jit(inline="always")
def pbb_amount(table: Brackets, income_pbb: float) -> float:
    """The amount of ``table`` (PBB) for an income of ``income_pbb`` (PBB): the formula of
    the last bracket whose lower bound the income reaches (of the first below it)."""
    # The formula of each bracket reached, in order (not the bracket's row, then its
    # formula): with every row's place in the tuple known, the compiled loop reads no row
    # by a run-time index, four times faster.
    amount = table.base_pbb[0] + table.slope[0] * (income_pbb - table.anchor_pbb[0])
    for k in range(1, len(table.income_from_pbb)):
        if income_pbb >= table.income_from_pbb[k]:
            amount = table.base_pbb[k] + table.slope[k] * (income_pbb - table.anchor_pbb[k])
    return amount


@jit(inline="always")
def avtrappning(table: Avtrappning, income_pbb: float, pbb: float) -> float:
    """The avtrappning (SEK/year) of ``table`` for an income of ``income_pbb`` (PBB)."""
    amount = table.rate[0] * max(income_pbb - table.income_from_pbb[0], 0.0) * pbb
    for k in range(1, len(table.income_from_pbb)):
        if income_pbb >= table.income_from_pbb[k]:
            amount = table.rate[k] * max(income_pbb - table.income_from_pbb[k], 0.0) * pbb
    return amount


@jit(inline="always")
def grundavdrag(ffi: float, is_older: bool, law: TaxLaw) -> float:
    """Grundavdrag (SEK/year) for a fastställd förvärvsinkomst ``ffi`` (SEK/year).

    IL 63 kap. 3 §, plus the särskilt belopp of 63 kap. 3 a § for those who had turned 66
    at the start of the year (``is_older``). Rounded up to whole hundreds and never more
    than the income.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = tax_law(default_law().resolve(dt.date(2026, 1, 1)).inkomstskatt)
    >>> [grundavdrag(ffi, older, law) for ffi, older in
    ...     [(0.0, False), (20_000, False), (170_000, False), (600_000, False), (600_000, True)]]
    [0.0, 20000.0, 45600.0, 17400.0, 179100.0]
    """
    pbb = law.prisbasbelopp
    x = ffi / pbb
    amount = pbb_amount(law.grundavdrag, x)
    if is_older:
        amount += pbb_amount(law.grundavdrag_tillagg, x)
    rounded = np.ceil(_round6(amount * pbb) / law.step) * law.step
    return min(rounded, max(ffi, 0.0))


@jit(inline="always")
def beskattningsbar(ffi: float, grundavdrag_sek: float, law: TaxLaw) -> float:
    """Beskattningsbar förvärvsinkomst (SEK/year): the fastställd förvärvsinkomst less the
    grundavdrag, rounded down to whole hundreds."""
    return np.floor(_round6(max(ffi - grundavdrag_sek, 0.0)) / law.step) * law.step


@jit(inline="always")
def jobbskatteavdrag(
    arbetsinkomst: float, grundavdrag_sek: float, is_older: bool, law: TaxLaw
) -> float:
    """Jobbskatteavdrag (SEK/year) before it is limited to the tax (IL 67 kap. 6-7 §§).

    Under 66: (amount − grundavdrag) × kommunal rate, less any avtrappning (6 §). 66 or
    older at the start of the year: a flat amount of the arbetsinkomst, not tied to the
    kommunal rate, less any avtrappning (7 §). Never negative; none without arbetsinkomst.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = tax_law(default_law().resolve(dt.date(2026, 1, 1)).inkomstskatt)
    >>> round(jobbskatteavdrag(420_000.0, 22_000.0, False, law))
    46176
    """
    if not arbetsinkomst > 0:
        return 0.0
    pbb = law.prisbasbelopp
    x = arbetsinkomst / pbb
    if is_older:
        amount = pbb_amount(law.jobbskatteavdrag_aldre, x) * pbb - avtrappning(
            law.jobbskatteavdrag_aldre_avtrappning, x, pbb
        )
    else:
        amount = (
            pbb_amount(law.jobbskatteavdrag, x) * pbb - grundavdrag_sek
        ) * law.kommunal_rate - avtrappning(law.jobbskatteavdrag_avtrappning, x, pbb)
    return max(amount, 0.0)


@jit(inline="always")
def annual_tax(
    earnings_year: float, benefits_year: float, is_older: bool, law: TaxLaw, by_step: np.ndarray
) -> float:
    """Income tax (SEK/year) on non-negative annual earnings and taxable benefits.

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
       statlig tax), then jobbskatteavdrag (of the arbetsinkomst, the earnings rounded down
       to hundreds) and skattereduktion för förvärvsinkomster (against kommunal tax only).
       None can make the tax negative.
    """
    step = law.step
    # Rounding down before the formulas mirrors how Skatteverket computes its tables; the
    # rounding to 1e-6 guards against 12 × 35 000.0 landing a hair below a hundred.
    ffi_steps = np.floor(_round6(earnings_year + benefits_year) / step)
    ffi = ffi_steps * step
    # Grundavdrag, beskattningsbar förvärvsinkomst and, for earnings only, the
    # jobbskatteavdrag: computed once per step (TaxSchedule.by_step), read in one place.
    in_steps = ffi_steps < by_step.shape[1]
    older, k = (1 if is_older else 0), (int(ffi_steps) if in_steps else 0)
    ga, bfi, jsa_of_ffi = by_step[older, k, 0], by_step[older, k, 1], by_step[older, k, 2]
    if not in_steps:
        ga = grundavdrag(ffi, is_older, law)
        bfi = beskattningsbar(ffi, ga, law)
    kommunal = bfi * law.kommunal_rate
    statlig = law.statlig_rate * max(bfi - law.skiktgrans, 0.0)

    # Simplification: benefits of people 66+ are taken to be pension (no avgift); for
    # younger people they are taken to be pensionsgrundande (a-kassa, sjukpenning,
    # aktivitetsstöd are). The avgift's cap at 8,07 inkomstbasbelopp and its rounding to
    # hundreds are left out: they only matter where the reduction offsets the avgift anyway.
    fee_base = earnings_year + (0.0 if is_older else benefits_year)
    fee = law.fee_rate * fee_base if fee_base >= law.fee_threshold else 0.0

    if not earnings_year > 0:
        jsa = 0.0
    elif benefits_year == 0.0 and in_steps:
        jsa = jsa_of_ffi  # without benefits the arbetsinkomst is the ffi (x + 0.0 == x)
    else:
        arbetsinkomst = (
            ffi if benefits_year == 0.0 else np.floor(_round6(earnings_year) / step) * step
        )
        jsa = jobbskatteavdrag(arbetsinkomst, ga, is_older, law)
    fi_reduction = law.reduction_rate * min(
        max(bfi - law.reduction_lower, 0.0), law.reduction_width
    )

    # IL 67 kap. 2 §: each reduction only uses what the earlier ones left. The pension
    # reduction is charged to the kommunal tax first; while there is statlig tax the
    # kommunal tax is far larger than all the reductions, so the split never binds.
    pension_reduction = min(fee, kommunal + statlig)
    kommunal_left = max(kommunal - pension_reduction, 0.0)
    jsa_used = min(jsa, kommunal_left)
    fi_used = min(fi_reduction, kommunal_left - jsa_used)
    return kommunal + statlig + fee - pension_reduction - jsa_used - fi_used


@jit(inline="always")
def monthly_tax(
    earnings: float, taxable_benefits: float, age: float, law: TaxLaw, by_step: np.ndarray
) -> float:
    """Monthly income tax (SEK/month) of a person with these monthly gross incomes.

    ``earnings`` is gross employment income (arbetsinkomst, gives jobbskatteavdrag);
    ``taxable_benefits`` is other taxable income (a-kassa, sjukpenning, aktivitetsstöd,
    pension ...); ``age`` is the age in whole years **at the start of the income year**
    (1 January), which is how IL 63 kap. 3 a § and 67 kap. 7 § draw the line at 66. The
    monthly amounts are annualised (× 12) as if the month lasted all year, the annual tax
    (:func:`annual_tax`) is computed and divided by 12.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law, by_step = tax_schedule(default_law().resolve(dt.date(2026, 1, 1)).inkomstskatt)
    >>> [round(monthly_tax(e, b, age, law, by_step)) for e, b, age in
    ...     [(0.0, 0.0, 40), (35_000, 0, 40), (0, 20_000, 70)]]
    [0, 6766, 3156]
    """
    is_older = age >= law.older_age_from
    annual = annual_tax(
        max(earnings, 0.0) * 12.0, max(taxable_benefits, 0.0) * 12.0, is_older, law, by_step
    )
    return max(annual, 0.0) / 12.0


@jit(inline="always")
def earnings_share(earnings: float, taxable_benefits: float) -> float:
    """The share of a person's income tax that falls on the earnings (the rest on the
    taxable benefits): a model convention, the tax shared in proportion to the incomes.

    >>> earnings_share(30_000.0, 10_000.0), earnings_share(0.0, 0.0)
    (0.75, 0.0)
    """
    # The same numbers as earnings / (earnings + benefits), without a division where it is
    # 1 or 0.
    if not earnings + taxable_benefits > 0:
        return 0.0
    if taxable_benefits == 0.0:
        return 1.0
    if earnings == 0.0:
        return 0.0
    return earnings / (earnings + taxable_benefits)


#: Steps of :attr:`TaxSchedule.by_step`: fastställd förvärvsinkomst up to 3.3 M kr a year
#: (above it the amounts are computed).
BY_STEP_SIZE = 2**15


class TaxSchedule(NamedTuple):
    """The law of a year (:class:`TaxLaw`) and ``by_step``: :func:`grundavdrag`,
    :func:`beskattningsbar` and :func:`jobbskatteavdrag` (of an arbetsinkomst equal to the
    ffi: earnings only) of every fastställd förvärvsinkomst in whole steps (hundreds) from
    0 to :data:`BY_STEP_SIZE` steps, ``by_step[older, step, column]`` (under 66 and from
    66; the three in that order).

    The ffi is rounded down to whole hundreds, so a person's amounts are entries: computed
    once per step by the functions themselves, the same numbers, and more than half the
    tax's time (their six divisions a person) saved. (One array, not six: numba counts a
    reference to each array a record holds, in the loop.)"""

    law: TaxLaw
    by_step: np.ndarray


@functools.lru_cache(maxsize=16)
def tax_schedule(p: Any) -> TaxSchedule:
    """The :class:`TaxSchedule` of the law section ``p`` (``params.inkomstskatt``)."""
    law = tax_law(p)
    by_step = _by_step(BY_STEP_SIZE, law)
    by_step.flags.writeable = False  # shared by every caller of the cache
    return TaxSchedule(law, by_step)


@jit
def _by_step(n_steps, law):
    """The array ``by_step`` of :class:`TaxSchedule`."""
    out = np.empty((2, n_steps, 3))
    for k in range(n_steps):
        ffi = k * law.step
        for older in range(2):
            ga = grundavdrag(ffi, older == 1, law)
            out[older, k, 0] = ga
            out[older, k, 1] = beskattningsbar(ffi, ga, law)
            out[older, k, 2] = jobbskatteavdrag(ffi, ga, older == 1, law)
    return out


def income_tax(
    *, earnings: np.ndarray, taxable_benefits: np.ndarray, age: np.ndarray, p: Any
) -> np.ndarray:
    """:func:`monthly_tax` of each person (SEK/month), for the law section ``p``
    (``params.inkomstskatt``).

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).inkomstskatt
    >>> income_tax(earnings=np.array([0.0, 35_000, 0]), taxable_benefits=np.array([0.0, 0, 20_000]),
    ...     age=np.array([40, 40, 70]), p=p).round(0).tolist()
    [0.0, 6766.0, 3156.0]
    """
    arrays = np.broadcast_arrays(earnings, taxable_benefits, age)
    flat = (np.ravel(a).astype(np.float64) for a in arrays)
    return _monthly_taxes(*flat, tax_schedule(p)).reshape(arrays[0].shape)


@jit
def _monthly_taxes(earnings, taxable_benefits, age, schedule):
    law, by_step = schedule  # unpacked once: an array read from a tuple is counted
    out = np.empty(earnings.size)
    for i in range(earnings.size):
        out[i] = monthly_tax(earnings[i], taxable_benefits[i], age[i], law, by_step)
    return out
