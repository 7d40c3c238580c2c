"""Does work pay for the adults on FS? The population's participation and marginal effective
tax rates, by household type and number of children, under each scenario.

A static calculation on one month of a population projected to the year: the households
that were paid försörjningsstöd in that month of the population's data year (its take-up
model, :mod:`sim.population.receipt`; every entitled household if the population has no
months of receipt), are entitled to it in that month of the year under current law, and
have an adult without earnings. That adult (the first in row order) takes a job at each of :func:`default_wages`;
taking it ends the benefits of their former state, as a move into work does in the
population run (:func:`sim.simulation.year.with_work`: a-kassa, aktivitetsstöd, sjukpenning,
föräldrapenning, etableringsersättning). Everyone else in the household is unchanged.

Per household (definitions: :mod:`sim.incentives.tax_rates`): ``ptr = 1 − (D_in − D_out) / wage``
and ``emtr = 1 − (D_in(wage + step) − D_in(wage)) / step``, with D the disposable income
including jobbpremie. Two variants of the FS history: ``jobbstimulans`` False (fewer than six
months on FS: every krona of net pay is counted) and True (six months: 25 % of net pay not
counted, SoL (2025:400) 12 kap. 8 §). The job taker is assumed to meet the jobbpremie's
condition (FS every month July-December 2025) where ``jobbpremie_eligible`` is set, an
upper bound of the premium's effect. Simplifications, stated: no municipal amounts above the
norm (norm top-ups), no behaviour, no aktivitetskrav sanctions; the population is projected
with the baseline's assumptions.

:func:`household_rates` gives one row per household, scenario, variant and wage;
:func:`summarise` the weighted rows by group (``group_kind``: ``alla``, ``hushållstyp``,
``antal_barn``): households (weighted), mean and median PTR, the number and share of
households whose PTR is at least a threshold (work at that wage adds at most
``1 − threshold`` of it), and the median EMTR. No uncertainty bands: one population, no
replications.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from sim.common.errors import SimInputError
from sim.engine.entities import Households, Persons, select_households
from sim.engine.pipeline import compute
from sim.incentives.tax_rates import (
    DEFAULT_EMTR_STEP,
    effective_marginal_tax_rate,
    participation_tax_rate,
)
from sim.metrics import statistics as metrics
from sim.metrics.results import CHILDREN_LABELS, HOUSEHOLD_TYPE_LABELS
from sim.population.projection import project_population
from sim.population.summary import household_type_codes
from sim.rules import jobbpremie
from sim.scenarios.scenario import Scenario, load_scenario
from sim.simulation.year import with_work

#: PTR at or above which "work pays little": the job adds at most 20 % of its gross wage.
DEFAULT_THRESHOLD = 0.8


def default_wages(scenario: Scenario, year: int) -> dict[str, float]:
    """The wages of the entry jobs, SEK/month, each from a documented source:

    ``heltid``: 22 000 kr, the reference wage of SOU 2025:15 model A
    (``bidragstak.sou_cap_reference_wage``, sim/law/params/bidragstak.yaml); ``deltid``: half of
    it; ``ingångslön``: the assumed entry wage of a move into work (``behaviour.entry_wage``,
    sim/law/assumptions/behaviour.yaml, central value 18 000 kr).
    """
    p = scenario.law(year).resolve(dt.date(year, 1, 1)).bidragstak
    full = float(p.sou_cap_reference_wage)
    entry = float(scenario.assumptions().at("central")["behaviour"].entry_wage)
    return {"deltid": full / 2, "ingångslön": entry, "heltid": full}


def household_rates(
    population: Any,
    *,
    scenarios: Sequence[str | Scenario] = ("baseline", "kombinerad"),
    year: int = 2027,
    month: int = 9,
    wages: Mapping[str, float] | None = None,
    emtr_step: float = DEFAULT_EMTR_STEP,
    jobbpremie_eligible: bool = True,
) -> pl.DataFrame:
    """One row per selected household, scenario, jobbstimulans variant and wage (see the
    module docstring): ``household_idx`` (the population's), ``weight``, ``hushållstyp``,
    ``antal_barn``, ``scenario``, ``jobbstimulans``, ``wage_label``, ``wage``,
    ``disposable_out_of_work``, ``disposable_in_work``, ``fs_out_of_work``, ``fs_in_work``,
    ``net_earnings_out_of_work``, ``net_earnings_in_work`` (the adults'),
    ``jobbpremie_in_work``, ``ptr``, ``emtr`` (SEK/month; rates as shares).
    """
    if not 1 <= month <= 12:
        raise SimInputError(f"month must be 1-12, not {month}")
    chosen = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    baseline = load_scenario("baseline")
    wages = dict(wages) if wages is not None else default_wages(baseline, year)
    for label, wage in wages.items():
        if not np.isfinite(wage) or wage <= 0:
            raise SimInputError(f"wage {label!r} must be a positive amount, not {wage}")
    if not np.isfinite(emtr_step) or not emtr_step > 0:
        raise SimInputError(f"the EMTR step must be a positive amount, not {emtr_step}")
    assumptions = baseline.assumptions()
    if population.year == year:
        pop = population
    else:
        pop = project_population(population, year, assumptions)
    when = dt.date(year, month, 1)
    n = pop.n_households
    persons, households = pop.month_inputs(month, np.zeros(n), takes_up_fs=np.ones(n, dtype=bool))
    entitled = compute(persons, households, baseline.law(year).resolve(when), assumptions)
    no_earnings = ~persons.is_child & (persons.earnings_gross == 0)
    has_taker = np.bincount(persons.household_idx, weights=no_earnings, minlength=n) > 0
    on_fs = entitled.fs_entitlement > 0
    if population.household_months is not None:  # paid FS in the month of the data year
        months = population.household_months
        paid = months.filter(pl.col("month") == month).sort("household_idx")
        on_fs &= paid["forsorjningsstod"].to_numpy() > 0
    rows = np.flatnonzero(on_fs & has_taker)
    if not rows.size:
        raise SimInputError("no household entitled to FS with an adult out of work")
    sel_persons, sel_households = select_households(persons, households, rows)
    candidates = np.flatnonzero(~sel_persons.is_child & (sel_persons.earnings_gross == 0))
    _, first = np.unique(sel_persons.household_idx[candidates], return_index=True)
    is_taker = np.zeros(sel_persons.n, dtype=bool)
    is_taker[candidates[first]] = True

    weight = pop.households["weight"].to_numpy()[rows]
    n_children = np.bincount(persons.household_idx, weights=persons.is_child, minlength=n)
    base = {
        "household_idx": rows,
        "weight": weight,
        "hushållstyp": np.asarray(HOUSEHOLD_TYPE_LABELS)[household_type_codes(pop)[rows]],
        "antal_barn": np.asarray(CHILDREN_LABELS)[np.minimum(n_children[rows], 4).astype(int)],
    }
    frames = []
    for scenario in chosen:
        params = scenario.law(year).resolve(when)
        own = scenario.assumptions()
        for jobbstimulans in (False, True):
            state = dataclasses.replace(
                sel_households,
                months_on_fs=np.full(rows.size, 6.0 if jobbstimulans else 0.0),
                jobbstimulans_months_used=np.zeros(rows.size),
                norm_topup=np.zeros(rows.size),
            )
            out = _disposable(sel_persons, state, params, own, is_taker & jobbpremie_eligible)
            for label, wage in wages.items():
                at = _in_work(sel_persons, state, params, own, is_taker, wage, jobbpremie_eligible)
                step = _in_work(
                    sel_persons, state, params, own, is_taker, wage + emtr_step, jobbpremie_eligible
                )
                frames.append(
                    pl.DataFrame(
                        {
                            **base,
                            "scenario": [scenario.name] * rows.size,
                            "jobbstimulans": np.full(rows.size, jobbstimulans),
                            "wage_label": [label] * rows.size,
                            "wage": np.full(rows.size, float(wage)),
                            "disposable_out_of_work": out["disposable"],
                            "disposable_in_work": at["disposable"],
                            "fs_out_of_work": out["forsorjningsstod"],
                            "fs_in_work": at["forsorjningsstod"],
                            "net_earnings_out_of_work": out["net_earnings"],
                            "net_earnings_in_work": at["net_earnings"],
                            "jobbpremie_in_work": at["jobbpremie"],
                            "ptr": participation_tax_rate(
                                disposable_in_work=at["disposable"],
                                disposable_out_of_work=out["disposable"],
                                gross_earnings=np.full(rows.size, float(wage)),
                            ),
                            "emtr": effective_marginal_tax_rate(
                                disposable=at["disposable"],
                                disposable_after_step=step["disposable"],
                                step=emtr_step,
                            ),
                        }
                    )
                )
    return pl.concat(frames)


def _in_work(
    persons: Persons,
    households: Households,
    params: Any,
    assumptions: Any,
    is_taker: np.ndarray,
    wage: float,
    eligible: bool,
) -> dict[str, np.ndarray]:
    working = with_work(persons, is_taker, wage)
    return _disposable(working, households, params, assumptions, is_taker & eligible)


def _disposable(
    persons: Persons, households: Households, params: Any, assumptions: Any, eligible: np.ndarray
) -> dict[str, np.ndarray]:
    """Disposable income with jobbpremie, FS paid, the adults' net earnings and the
    jobbpremie, per household (one engine call)."""
    r = compute(persons, households, params, assumptions, check=False)
    premium = jobbpremie.jobbpremie(
        earnings=persons.earnings_gross,
        is_eligible=eligible,
        household_has_fs=(r.forsorjningsstod > 0)[persons.household_idx],
        months_used=np.zeros(persons.n),
        p=params.jobbpremie,
    )
    per_household = np.bincount(persons.household_idx, weights=premium, minlength=households.n)
    return {
        "disposable": r.disposable_income + per_household,
        "forsorjningsstod": r.forsorjningsstod,
        "net_earnings": r.net_earnings,
        "jobbpremie": per_household,
    }


def summarise(rates: pl.DataFrame, *, threshold: float = DEFAULT_THRESHOLD) -> pl.DataFrame:
    """Weighted rows of :func:`household_rates` by group: columns ``scenario``,
    ``jobbstimulans``, ``wage_label``, ``wage``, ``group_kind`` (``alla``, ``hushållstyp``,
    ``antal_barn``), ``group``, ``metric``, ``value``. Metrics: ``households`` (weighted),
    ``ptr_mean``, ``ptr_median`` (lower weighted median, :func:`sim.metrics.statistics.weighted_median`),
    ``households_ptr_at_least`` and ``share_ptr_at_least`` (PTR ≥ ``threshold``),
    ``emtr_median`` (a median: where the jobbpremie starts within the step the EMTR is a
    large negative number, which a mean would be dominated by); the threshold used is in the column ``threshold``.
    """
    keys = ["scenario", "jobbstimulans", "wage_label", "wage"]
    out = []
    for kind, column in (
        ("alla", None),
        ("hushållstyp", "hushållstyp"),
        ("antal_barn", "antal_barn"),
    ):
        by = keys + ([column] if column else [])
        for group_keys, part in rates.group_by(by, maintain_order=True):
            w = part["weight"].to_numpy()
            ptr = part["ptr"].to_numpy()
            high = ptr >= threshold
            values = {
                "households": float(w.sum()),
                "ptr_mean": float(np.average(ptr, weights=w)),
                "ptr_median": float(metrics.weighted_median(ptr, w)),
                "households_ptr_at_least": float(w[high].sum()),
                "share_ptr_at_least": metrics.share(high, w),
                "emtr_median": float(metrics.weighted_median(part["emtr"].to_numpy(), w)),
            }
            group = "alla" if column is None else str(group_keys[-1])
            for metric, value in values.items():
                out.append(
                    {
                        **dict(zip(keys, group_keys[:4], strict=True)),
                        "group_kind": kind,
                        "group": group,
                        "metric": metric,
                        "value": value,
                        "threshold": threshold,
                    }
                )
    return pl.DataFrame(out)
