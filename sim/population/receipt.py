"""Months of försörjningsstöd: the engine run month by month, with take-up.

Receipt is not drawn: for each month (six lead-in months, then January..December) the
engine computes every household's entitlement from its incomes that month; a household
receives försörjningsstöd when it is entitled **and takes it up**. ``months_on_fs``
(consecutive months with FS before the month) and ``jobbstimulans_months_used`` are carried
from month to month, so spells, months of receipt and long-term receipt emerge.

Take-up model (a modelled household state; evidence in ``docs/population.md``):

* savings first: an entitled household not on FS whose savings (``liquid_assets_sek``)
  cover the month's entitlement lives on them and does not apply (SoL 4 kap. 1 §: bistånd
  only when the need cannot be met in another way; the engine has no assets);
* a household that received FS last month and is still entitled keeps claiming with
  probability :data:`P_CONTINUE` a month (recipients rarely stop while still in need);
* an entitled household not on FS last month claims when its persistent propensity
  (``takeup_propensity``, uniform, re-drawn with probability :data:`P_REDRAW` a month)
  is below ``P_CLAIM_MAX * (1 - exp(-entitlement / CLAIM_SCALE_SEK))``: small
  entitlements are often left unclaimed, large ones usually claimed. This gives
  non-take-up of roughly 40-50 % of entitled household-months, as in Nordic registers
  (Bargain et al., IZA DP 3004).

The stored ``takes_up_fs`` of a month is that decision (``False`` where not entitled);
scenario runs reuse it through :meth:`Population.month_inputs`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

import numba
import numpy as np
import polars as pl

from sim.engine.chunks import readonly
from sim.population.tables import MONTHS, Population

#: Monthly probability that a recipient who is still entitled keeps claiming.
P_CONTINUE = 0.95
#: Highest claim probability for a new spell (very large entitlements).
P_CLAIM_MAX = 0.55
#: Entitlement (SEK/month) at which the claim probability is 63 % of its maximum.
CLAIM_SCALE_SEK = 4_000.0
#: Progress lines: after which month, what text.
_PROGRESS_AT = {0: "lead-in months -5..0 done", 6: "months 1-6 done", 12: "months 7-12 done"}
#: Monthly probability that a household's take-up propensity is drawn anew.
P_REDRAW = 0.10


@dataclasses.dataclass(frozen=True)
class ReceiptYear:
    """Household x month arrays (months 1..12) from :func:`simulate_receipt`."""

    fs_entitlement: np.ndarray
    forsorjningsstod: np.ndarray
    takes_up_fs: np.ndarray
    months_on_fs: np.ndarray
    disposable_income: np.ndarray

    def table(self) -> pl.DataFrame:
        """Month-major long table (all households for month 1, then 2, ...)."""
        n, n_months = self.forsorjningsstod.shape
        return pl.DataFrame(
            {
                "household_idx": np.tile(np.arange(n, dtype=np.int64), n_months),
                "month": np.repeat(np.arange(1, n_months + 1, dtype=np.int8), n),
                "takes_up_fs": self.takes_up_fs.T.ravel(),
                "fs_entitlement": self.fs_entitlement.T.ravel(),
                "forsorjningsstod": self.forsorjningsstod.T.ravel(),
                "months_on_fs": self.months_on_fs.T.ravel().astype(np.int16),
                "disposable_income": self.disposable_income.T.ravel(),
            }
        )


class TakeUpStart(NamedTuple):
    """The take-up model's state at the start of month -5, per household."""

    propensity: np.ndarray
    assets: np.ndarray
    months_on_fs: np.ndarray
    jobbstimulans_months_used: np.ndarray


#: The household columns :func:`simulate_receipt` writes with the state reached at the
#: start of month -5 after the history months (read by :func:`take_up_start`).
START_COLUMNS = {
    "months_on_fs": "months_on_fs_start",
    "jobbstimulans_months_used": "jobbstimulans_months_used_start",
}


def take_up_start(population: Population) -> TakeUpStart:
    """The take-up model's state at the start of month -5: each household's propensity,
    savings, consecutive months on FS and jobbstimulans months used (zeros for a
    population built without the history months, generator version 3 or older)."""
    h = population.households
    n = population.n_households
    propensity = h["takeup_propensity"].to_numpy().copy()
    if "liquid_assets_sek" in h.columns:
        assets = h["liquid_assets_sek"].to_numpy().astype(np.float64)
    else:
        assets = np.zeros(n)
    carried = {
        name: h[column].to_numpy().astype(np.float64) if column in h.columns else np.zeros(n)
        for name, column in START_COLUMNS.items()
    }
    return TakeUpStart(propensity, assets, **carried)


class TakeUpDraws(NamedTuple):
    """One month's random numbers of the take-up model, per household (:func:`take_up_draws`)."""

    redraw: np.ndarray
    fresh_propensity: np.ndarray
    keeps: np.ndarray


def take_up_draws(rng: np.random.Generator, n: int) -> TakeUpDraws:
    """Three uniform numbers per household: whether the propensity is drawn anew, the new
    propensity, whether a recipient keeps claiming. Scenarios run from the same generator
    share them (common random numbers), whatever their entitlements."""
    redraw = rng.random(n) < P_REDRAW
    fresh_propensity = rng.random(n)
    keeps = rng.random(n) < P_CONTINUE
    return TakeUpDraws(redraw, fresh_propensity, keeps)


def take_up_step(
    *,
    entitlement: np.ndarray,
    months_on_fs: np.ndarray,
    propensity: np.ndarray,
    assets: np.ndarray,
    draws: TakeUpDraws,
    claim_factor: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One month of the take-up model: ``(takes_up, propensity, assets)`` for next month
    (new arrays; the inputs are not changed).

    ``draws``: the month's :func:`take_up_draws`. ``claim_factor`` scales the probability
    of claiming a new spell (a deterrent such as the aktivitetskrav's fewer applications is
    below 1).

    Per household: the propensity is drawn anew where ``draws.redraw``. An entitled
    household (entitlement > 0) on FS last month keeps claiming where ``draws.keeps``.
    One not on FS last month lives on its savings first (SoL 4 kap. 1 §: bistånd only
    where the need cannot be met in another way) while they cover the entitlement, and
    otherwise starts a spell: it claims with a probability rising with the entitlement.
    A household that takes up FS has used its savings (zero). One pass over the
    households (:func:`_take_up_pass`), then the claim probability for the households
    that can start a spell only.

    >>> draws = TakeUpDraws(redraw=np.array([False, True, False, False]),
    ...     fresh_propensity=np.array([0.9, 0.0, 0.9, 0.9]), keeps=np.ones(4, bool))
    >>> takes_up, propensity, assets = take_up_step(entitlement=np.array([5000.0, 9000, 3000, 0]),
    ...     months_on_fs=np.array([2.0, 0, 0, 0]), propensity=np.array([0.5, 0.6, 0.1, 0.1]),
    ...     assets=np.array([100.0, 0, 4000, 0]), draws=draws)
    >>> takes_up.tolist(), propensity.tolist(), assets.tolist()
    ([True, True, False, False], [0.5, 0.0, 0.1, 0.1], [0.0, 0.0, 1000.0, 0.0])
    """
    arrays = (
        entitlement,
        months_on_fs,
        propensity,
        assets,
        draws.redraw,
        draws.fresh_propensity,
        draws.keeps,
    )
    if any(values.shape != entitlement.shape or values.ndim != 1 for values in arrays):
        raise ValueError("take_up_step: every array must have the households' length")
    # Read-only inputs: one compiled version (sim.engine.chunks.readonly).
    takes_up, propensity, assets, new_spell = _take_up_pass(*readonly(arrays))
    claims = (
        propensity[new_spell]
        < P_CLAIM_MAX * (1.0 - np.exp(-entitlement[new_spell] / CLAIM_SCALE_SEK)) * claim_factor
    )
    claimed = new_spell[claims]
    takes_up[claimed] = True
    assets[claimed] = 0.0
    return takes_up, propensity, assets


@numba.njit(cache=True, nogil=True)
def _take_up_pass(
    entitlement, months_on_fs, propensity, assets, redraw, fresh_propensity, keeps
):  # pragma: no cover - compiled; tests/population/test_receipt.py checks it against numpy
    """:func:`take_up_step` but the claims of new spells: takes up (those keeping a spell),
    propensity, savings, and the rows of the households that can start a spell (entitled,
    not on FS last month, savings short of the entitlement), in order."""
    n = entitlement.size
    takes_up = np.zeros(n, dtype=np.bool_)
    new_propensity = np.empty(n)
    new_assets = np.empty(n)
    new_spell = np.empty(n, dtype=np.int64)
    n_new = 0
    for i in range(n):
        new_propensity[i] = fresh_propensity[i] if redraw[i] else propensity[i]
        owed = entitlement[i]
        savings = assets[i]
        months = months_on_fs[i]
        if owed > 0:
            if months > 0:
                if keeps[i]:
                    takes_up[i] = True
                    savings = 0.0
            elif months == 0:
                if savings >= owed:
                    savings = savings - owed
                else:
                    new_spell[n_new] = i
                    n_new += 1
        new_assets[i] = savings
    return takes_up, new_propensity, new_assets, new_spell[:n_new]


def simulate_receipt(
    population: Population,
    *,
    rng: np.random.Generator,
    params_for_month: Callable[[int], object] | None = None,
    compute: Callable | None = None,
    progress: Callable[[str], None] | None = None,
) -> Population:
    """Run the engine over the lead-in and the twelve months; return the population with
    :attr:`Population.household_months` filled.

    Args:
        population: from :func:`sim.population.generator.generate`.
        rng: randomness of the take-up decisions (continuation and propensity re-draws)
            of months -5..12; the history months before them draw from a child of it.
        params_for_month: month (1..12) -> resolved law; default
            ``default_law().resolve(date(year, month, 1))``. Lead-in months use January's law.
        compute: the engine (default :func:`sim.engine.pipeline.compute`).
        progress: called with a short text after the lead-in, after June and after
            December (three lines).
    """
    if compute is None:
        from sim.engine.pipeline import compute as engine_compute

        compute = engine_compute
    if params_for_month is None:
        from sim.law.parameters import default_law

        law = default_law()

        def params_for_month(month: int) -> object:
            return law.resolve(dt.date(population.year, month, 1))

    n = population.n_households
    # Nobody is on FS at the start of the history; by month -5 the spells are as in a
    # steady year (docs/population.md, "A stationary year").
    propensity, assets, _, _ = take_up_start(population)
    savings_drawn = assets.copy()
    months_on_fs = np.zeros(n)
    js_used = np.zeros(n)
    start: dict[str, np.ndarray] = {}
    # The history draws from a child stream, so months -5..12 draw from ``rng`` as a
    # scenario run does from the same seed (it starts at month -5 from the stored state).
    history_rng = rng.spawn(1)[0]
    out = {
        name: np.zeros((n, 12))
        for name in ("fs_entitlement", "forsorjningsstod", "months_on_fs", "disposable_income")
    }
    takes_up_out = np.zeros((n, 12), dtype=bool)
    always = np.ones(n, dtype=bool)
    for month in population.months:
        if month == MONTHS[0]:
            # The drawn savings are the cross-section of a month: households off FS hold
            # them at month -5, those on FS have used theirs.
            assets = np.where(months_on_fs > 0, 0.0, savings_drawn)
            start = {
                "takeup_propensity": propensity.copy(),
                "liquid_assets_sek": assets.copy(),
                START_COLUMNS["months_on_fs"]: months_on_fs.copy(),
                START_COLUMNS["jobbstimulans_months_used"]: js_used.copy(),
            }
        params = params_for_month(max(month, 1))
        persons, households = population.month_inputs(
            month, months_on_fs, takes_up_fs=always, jobbstimulans_months_used=js_used
        )
        result = compute(persons, households, params, check=month == population.months[0])
        entitlement = result.fs_entitlement
        takes_up, propensity, assets = take_up_step(
            entitlement=entitlement,
            months_on_fs=months_on_fs,
            propensity=propensity,
            assets=assets,
            draws=take_up_draws(rng if month >= MONTHS[0] else history_rng, n),
        )
        paid = np.where(takes_up, entitlement, 0.0)
        if month >= 1:
            i = month - 1
            out["fs_entitlement"][:, i] = entitlement
            out["forsorjningsstod"][:, i] = paid
            out["months_on_fs"][:, i] = months_on_fs
            out["disposable_income"][:, i] = (
                result.disposable_income - result.forsorjningsstod + paid
            )
            takes_up_out[:, i] = takes_up
        js_used = js_used + (result.jobbstimulans_applies & (paid > 0))
        months_on_fs = np.where(paid > 0, months_on_fs + 1, 0.0)
        if progress is not None and month in _PROGRESS_AT:
            progress(_PROGRESS_AT[month])
    year = ReceiptYear(takes_up_fs=takes_up_out, **out)
    households = population.households.with_columns(
        pl.Series(name, values) for name, values in start.items()
    )
    return dataclasses.replace(
        population.without_history(), households=households, household_months=year.table()
    )
