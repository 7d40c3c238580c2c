"""Delivering the aktivitetskrav: what municipalities must provide, what it costs, and the
state's money against it (issue 7).

For every month of a scenario year, from the year loop's household-month arrays
(:class:`sim.simulation.year.ScenarioYear`):

* **activities**: adults covered; required activity hours (weekly hours × 52/12); full-time
  places needed (weekly hours / the full-time hours); cost = places × cost per full-time
  place and month (assumption; a profile's cost per hour × full time × 52/12);
* **förskola and fritidshem**: children 1-5 and 6-12 in households where an adult is covered
  and no adult is at home (every adult covered or in paid work). Skollagen (2010:800)
  8 kap. 6 § gives children of job-seeking parents förskola for at least 15 hours a week;
  14 kap. 5 § gives fritidshem only as the parents' work or studies need. The extra hours a
  week are the covered adults' mean activity hours plus travel, less the guaranteed 15, for
  a förskola child; the assumed fritidshem hours, scaled by the activity's share of full
  time, for a fritidshem child;
* **casework**: an individual plan for every person newly covered (SoL 12 kap. 4 a-6 a §§
  as reported: the socialnämnd draws up a plan), a follow-up per covered person and month,
  and a decision per sanction; hours × cost per hour, and full-time caseworkers;
* **state funding**: the activities (1 001 / 2 002 / 2 002 mkr, 2026-2028) and the extended
  förskola/fritidshem (130 / 260 / 260 mkr), in months when the requirement is in force
  (regeringen.se, Sep 2025; ``sim/law/params/aktivitetskrav.yaml``).

The **funding key** (how the national money is shared between municipalities) is not
published; it is an assumption (``aktivitetskrav.funding_key_recipient_weight``): a share
:math:`a` of the money follows the recipient households, the rest the inhabitants, so a
group's share is :math:`(1 - a)\\,\\text{inhabitants share} + a\\,\\text{recipients share}`.
The central :math:`a = 0` is how changes in municipal duties are usually financed (the
finansieringsprincipen: the generella statsbidraget, equal kronor per inhabitant).

Every quantity is additive over households, so the per-län and per-group results sum to
the national ones (tested).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np

from sim.simulation.year import ScenarioYear

#: Weeks per month (52 weeks over 12 months).
WEEKS_PER_MONTH = 52 / 12


@dataclasses.dataclass(frozen=True)
class Delivery:
    """What delivering the aktivitetskrav takes, per group (rows) and month (columns).

    Arrays are (k, 12), weighted persons, hours or places; the ``*_sek_year`` arrays are
    (k,). ``funding_share`` is each group's share of the national funding (sums to one
    over groups that make up the country).
    """

    covered: np.ndarray
    activity_hours: np.ndarray
    places: np.ndarray
    newly_covered: np.ndarray
    sanction_decisions: np.ndarray
    preschool_children: np.ndarray
    fritidshem_children: np.ndarray
    childcare_hours: np.ndarray
    casework_hours: np.ndarray
    activity_cost_sek_year: np.ndarray
    childcare_cost_sek_year: np.ndarray
    casework_cost_sek_year: np.ndarray
    activity_funding_sek_year: np.ndarray
    childcare_funding_sek_year: np.ndarray
    casework_fte: np.ndarray

    @property
    def cost_sek_year(self) -> np.ndarray:
        """Activities + förskola/fritidshem + casework."""
        return (
            self.activity_cost_sek_year + self.childcare_cost_sek_year + self.casework_cost_sek_year
        )

    @property
    def funding_sek_year(self) -> np.ndarray:
        return self.activity_funding_sek_year + self.childcare_funding_sek_year

    @property
    def funding_gap_sek_year(self) -> np.ndarray:
        """Cost less state funding: positive is a gap the municipalities pay, negative a surplus."""
        return self.cost_sek_year - self.funding_sek_year


def _law_by_month(run: ScenarioYear) -> list[Any]:
    """The aktivitetskrav parameters of months 1..12 of the run's year."""
    law = run.definition.law(run.year)
    return [law.resolve(dt.date(run.year, month, 1)).aktivitetskrav for month in range(1, 13)]


def national_funding(run: ScenarioYear) -> tuple[float, float]:
    """State funding paid in the year for activities and for förskola/fritidshem, SEK:
    each yearly amount in the months the requirement is in force."""
    months = _law_by_month(run)
    activities = sum(p.in_force * p.state_funding_sek_year / 12 for p in months)
    childcare = sum(p.in_force * p.childcare_state_funding_sek_year / 12 for p in months)
    return float(activities), float(childcare)


def funding_shares(
    inhabitants: np.ndarray, recipients: np.ndarray, *, recipient_weight: float
) -> np.ndarray:
    """Each group's share of the national funding (see the module docstring).

    >>> funding_shares(np.array([3.0, 1.0]), np.array([1.0, 1.0]), recipient_weight=0.5).tolist()
    [0.625, 0.375]
    """
    return (1 - recipient_weight) * inhabitants / inhabitants.sum() + (
        recipient_weight * recipients / recipients.sum()
    )


def whole_funding_share(run: ScenarioYear, baseline: ScenarioYear) -> float:
    """The run's share of the national funding: 1 for the country; for a municipality's
    re-weighted population (dwellings carry ``national_weight``), its inhabitants and the
    baseline's recipient households against the national ones, mixed by the key."""
    pop = run.population
    if "national_weight" not in pop.dwellings.columns:
        return 1.0
    n_dw = pop.dwellings.height
    persons = np.bincount(pop.persons["dwelling_idx"].to_numpy(), minlength=n_dw)
    recipients = np.bincount(
        pop.households["dwelling_idx"].to_numpy(),
        weights=(baseline.forsorjningsstod > 0).any(axis=1),
        minlength=n_dw,
    )
    own, national = pop.dwellings["weight"].to_numpy(), pop.dwellings["national_weight"].to_numpy()
    key = run.definition.assumptions().aktivitetskrav.funding_key_recipient_weight
    return float(
        (1 - key) * (own @ persons) / (national @ persons)
        + key * (own @ recipients) / max(national @ recipients, 1e-9)
    )


def delivery(
    run: ScenarioYear,
    *,
    codes: np.ndarray | None = None,
    k: int = 1,
    funding_share: np.ndarray | None = None,
) -> Delivery:
    """What the aktivitetskrav of ``run`` takes, by household group.

    Args:
        run: a scenario year.
        codes: group code (0..k-1) of every household; default: one group, the country.
        k: the number of groups.
        funding_share: each group's share of the national funding (default: the whole
            country's, ``[1.0]``; required for k > 1).

    A municipality's own costs per hour reach this function as the run's assumption values
    (:meth:`sim.municipal.profile.KommunProfile.assumption_values`).
    """
    n = run.population.n_households
    codes = np.zeros(n, dtype=np.int64) if codes is None else codes
    if funding_share is None:
        if k != 1:
            raise ValueError("funding_share is required for more than one group")
        funding_share = np.ones(1)
    w = run.population.households["weight"].to_numpy()
    a = run.definition.assumptions().aktivitetskrav

    def monthly(values: np.ndarray) -> np.ndarray:
        """Weighted sums (k, 12) of a household x month array."""
        out = np.empty((k, 12))
        for month in range(12):
            out[:, month] = np.bincount(codes, weights=w * values[:, month], minlength=k)
        return out

    hours_week = run.required_hours
    with np.errstate(divide="ignore", invalid="ignore"):
        hours_per_covered = np.where(run.n_covered > 0, hours_week / run.n_covered, 0.0)
    guaranteed = np.array([p.preschool_hours_week_guaranteed for p in _law_by_month(run)])
    preschool_extra = np.maximum(hours_per_covered + a.travel_hours_week - guaranteed, 0.0)
    fritidshem_extra = a.fritidshem_hours_week * hours_per_covered / a.full_time_hours_week

    covered = monthly(run.n_covered)
    weekly_hours = monthly(hours_week)
    activity_hours = weekly_hours * WEEKS_PER_MONTH
    places = weekly_hours / a.full_time_hours_week
    preschool_hours = monthly(run.childcare_preschool_children * preschool_extra) * WEEKS_PER_MONTH
    fritidshem_hours = (
        monthly(run.childcare_fritidshem_children * fritidshem_extra) * WEEKS_PER_MONTH
    )
    newly = monthly(run.n_newly_covered)
    sanctions = monthly(run.n_sanctioned)
    casework_hours = (
        newly * a.plan_hours + covered * a.followup_hours_month + sanctions * a.sanction_hours
    )
    activity_cost = places.sum(axis=1) * a.cost_per_place_month
    activities, childcare = national_funding(run)
    return Delivery(
        covered=covered,
        activity_hours=activity_hours,
        places=places,
        newly_covered=newly,
        sanction_decisions=sanctions,
        preschool_children=monthly(run.childcare_preschool_children),
        fritidshem_children=monthly(run.childcare_fritidshem_children),
        childcare_hours=preschool_hours + fritidshem_hours,
        casework_hours=casework_hours,
        activity_cost_sek_year=activity_cost,
        childcare_cost_sek_year=(
            preschool_hours.sum(axis=1) * a.preschool_cost_per_hour
            + fritidshem_hours.sum(axis=1) * a.fritidshem_cost_per_hour
        ),
        casework_cost_sek_year=casework_hours.sum(axis=1) * a.casework_cost_per_hour,
        activity_funding_sek_year=activities * funding_share,
        childcare_funding_sek_year=childcare * funding_share,
        casework_fte=casework_hours.mean(axis=1) / a.casework_hours_per_fte_month,
    )
