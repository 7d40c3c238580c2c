"""A calendar year of one scenario on a population, month by month.

For each month of the simulated year (after six lead-in months, July-December of the year
before) :func:`run_year`:

1. builds the engine's inputs from the population's monthly states (projected from the data
   year to the simulated year, :func:`sim.projection.project_population`), with the changes
   behaviour has made so far;
2. computes försörjningsstöd with the scenario's law for that month (start dates and
   phase-ins are dated parameters, so they act from their month);
3. decides take-up with the population's take-up model (the same random draws in every
   scenario: common random numbers), less new claims where the aktivitetskrav deters them;
4. applies the aktivitetskrav: who is covered (three consecutive months of FS, not exempt),
   the hours, refusals and the sanction;
5. pays the jobbpremie to eligible people in work without FS;
6. lets behaviour change states from the next month: exits to work, exits without work and
   moves into exempt states, each with the probability of the scenario's assumption set
   (``none`` gives the static result).

Months on FS, the jobbstimulans clock and jobbpremie months are carried from month to month.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np

from sim.assumptions import Assumptions
from sim.engine import compute
from sim.errors import SimInputError
from sim.population.generate import MONTHS, Population
from sim.population.receipt import ReceiptYear, take_up_start, take_up_step
from sim.projection import project_population
from sim.rules import aktivitetskrav, jobbpremie
from sim.scenarios import Scenario

#: Fields of :class:`ScenarioYear` that are household x month arrays.
HOUSEHOLD_MONTH_FIELDS = (
    "forsorjningsstod",
    "fs_entitlement",
    "disposable_income",
    "total_support",
    "jobbpremie",
    "sanction",
    "required_hours",
    "n_covered",
    "n_newly_covered",
    "n_sanctioned",
    "childcare_preschool_children",
    "childcare_fritidshem_children",
    "fourth_child_reduction",
    "modernisation_reduction",
    "sou_cap_reduction",
    "norm_topup",
    "riksnorm",
    "housing_counted",
)


@dataclasses.dataclass(frozen=True)
class ScenarioYear:
    """One scenario's year. ``population.household_months`` holds its FS months, so
    :func:`sim.population.summary.summarise` gives its caseload and poverty figures.

    Household x month arrays (n_households, 12; views in Fortran order, month by month in
    memory), SEK/month unless a count:
    ``forsorjningsstod`` (paid, after sanctions), ``fs_entitlement``,
    ``disposable_income`` (incl. jobbpremie), ``total_support`` (FS + barnbidrag +
    bostadsbidrag + underhållsstöd + jobbpremie), ``jobbpremie``, ``sanction`` (FS withheld),
    ``required_hours`` (activity hours a week required of the household's adults),
    ``n_covered``, ``n_newly_covered`` (covered this month, not last month) and
    ``n_sanctioned`` (adults), ``childcare_preschool_children`` and
    ``childcare_fritidshem_children`` (children 1-5 and 6-12 of households where an adult
    is covered and no adult is at home), ``fourth_child_reduction``,
    ``modernisation_reduction``, ``sou_cap_reduction``, ``norm_topup`` (before
    take-up), ``riksnorm`` and ``housing_counted`` (for the absolute poverty measure).
    ``definition`` is the scenario that was run. Person level: ``ever_covered``, ``ever_sanctioned``, ``moved_to_work``.
    """

    scenario: str
    assumption_set: str
    year: int
    seed: int
    population: Population
    forsorjningsstod: np.ndarray
    fs_entitlement: np.ndarray
    disposable_income: np.ndarray
    total_support: np.ndarray
    jobbpremie: np.ndarray
    sanction: np.ndarray
    required_hours: np.ndarray
    n_covered: np.ndarray
    n_newly_covered: np.ndarray
    n_sanctioned: np.ndarray
    childcare_preschool_children: np.ndarray
    childcare_fritidshem_children: np.ndarray
    fourth_child_reduction: np.ndarray
    modernisation_reduction: np.ndarray
    sou_cap_reduction: np.ndarray
    norm_topup: np.ndarray
    riksnorm: np.ndarray
    housing_counted: np.ndarray
    ever_covered: np.ndarray
    ever_sanctioned: np.ndarray
    moved_to_work: np.ndarray
    definition: Scenario | None = None
    static_beside_behaviour: bool = False

    @property
    def label(self) -> str:
        """The scenario name, with ``/statisk`` for the static run beside a behavioural one."""
        if self.assumption_set == "none" and self.static_beside_behaviour:
            return f"{self.scenario}/statisk"
        return self.scenario


def behaviour(assumptions: Assumptions, assumption_set: str) -> Any:
    """The behaviour section at ``low``/``central``/``high``; ``none`` zeroes every response."""
    if assumption_set == "none":
        central = assumptions.at("central")["behaviour"]
        zeros = {f.name: 0.0 for f in dataclasses.fields(central) if f.name != "entry_wage"}
        return dataclasses.replace(central, **zeros)
    return assumptions.at(assumption_set)["behaviour"]


def takeup_seed(seed: int) -> np.random.SeedSequence:
    """The take-up stream the population build used for ``seed`` (sim.population.build)."""
    return np.random.SeedSequence(seed).spawn(2)[1]


def run_year(
    population: Population,
    scenario: Scenario,
    *,
    year: int,
    seed: int,
    assumption_set: str | None = None,
    topups: np.ndarray | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScenarioYear:
    """Simulate ``year`` under ``scenario``; see the module docstring for the order of steps.

    ``seed`` drives take-up (the population's own stream when it is the population's seed)
    and behaviour. ``topups``: per household, the amount granted above the norm today
    (default none; see :func:`norm_topups`).
    """
    if not MONTHS[0] <= 1 <= MONTHS[-1]:  # pragma: no cover - guards a population change
        raise SimInputError("population months must include 1..12")
    assumptions = scenario.assumptions()
    pop = project_population(population, year, assumptions)
    law = scenario.law(year)
    chosen_set = assumption_set or scenario.assumption_set
    responses = behaviour(assumptions, chosen_set)
    activity = assumptions.aktivitetskrav
    n = pop.n_households
    persons_table = pop.persons
    household_idx = persons_table["household_idx"].to_numpy()
    is_child = persons_table["is_child"].to_numpy()
    n_persons = household_idx.size
    topups = np.zeros(n) if topups is None else topups

    takeup_rng = np.random.default_rng(takeup_seed(seed))
    propensity, assets = take_up_start(pop)
    months_on_fs = np.zeros(n)
    js_used = np.zeros(n)
    premium_months = np.zeros(n_persons)
    lead_in_fs_months = np.zeros(n)
    stopped = np.zeros(n, dtype=bool)
    works = np.zeros(n_persons, dtype=bool)
    exempt_by_move = np.zeros(n_persons, dtype=bool)
    ever_covered = np.zeros(n_persons, dtype=bool)
    covered_last_month = np.zeros(n_persons, dtype=bool)
    ever_sanctioned = np.zeros(n_persons, dtype=bool)
    # Month-major while filling (contiguous rows); seen as household x month at the end.
    out = {name: np.zeros((12, n)) for name in HOUSEHOLD_MONTH_FIELDS}
    takes_up_out = np.zeros((12, n), dtype=bool)
    months_on_fs_out = np.zeros((12, n))
    always = np.ones(n, dtype=bool)
    eligible_premium = np.zeros(n_persons, dtype=bool)

    first_law_date = law.valid_range()[0]
    for month in MONTHS:
        when = dt.date(year, month, 1) if month >= 1 else dt.date(year - 1, 12 + month, 1)
        # Lead-in months before the first year of law (2023 for a 2024 run) use that year's.
        params = law.resolve(max(when, first_law_date))
        persons, households = pop.month_inputs(
            month, months_on_fs, takes_up_fs=always, jobbstimulans_months_used=js_used
        )
        persons = _with_work(persons, works, responses.entry_wage)
        households = dataclasses.replace(households, norm_topup=topups)
        result = compute(persons, households, params, assumptions, check=month == MONTHS[0])
        entitlement = result.fs_entitlement

        # Take-up: the population's model, with the same draws in every scenario.
        deterred = responses.aktivitetskrav_fewer_applications * params.aktivitetskrav.in_force
        takes_up, propensity, assets = take_up_step(
            entitlement=entitlement,
            months_on_fs=months_on_fs,
            propensity=propensity,
            assets=assets,
            rng=takeup_rng,
            claim_factor=1.0 - deterred,
        )
        takes_up &= ~stopped
        paid = np.where(takes_up, entitlement, 0.0)

        # Aktivitetskrav: coverage, hours, refusals and the sanction. Each month has its own
        # random stream, so skipping the draws in months without the rules changes nothing.
        month_rng = np.random.default_rng(np.random.SeedSequence([seed, 7, month - MONTHS[0]]))
        activity_on = params.aktivitetskrav.in_force > 0
        capped = (result.fourth_child_reduction + result.modernisation_reduction > 0)[household_idx]
        bidragstak_response = responses.bidragstak_exit_to_work > 0 and capped.any()
        no_one = np.zeros(n_persons, dtype=bool)
        covered = refuses = no_one
        withheld = np.zeros(n)
        # Per household, by adults: covered, newly covered, refusing, required hours.
        n_covered = n_newly_covered = n_refusing = hours_household = np.zeros(n)
        preschool_children = fritidshem_children = np.zeros(n)
        exempt = no_one
        if activity_on or bidragstak_response:
            exempt = aktivitetskrav.persons_exempt(
                persons, is_sick_certified=exempt_by_move, p=params.aktivitetskrav
            )
        if activity_on:
            covered = aktivitetskrav.is_covered(
                months_on_fs=months_on_fs[household_idx],
                on_fs=takes_up[household_idx],
                exempt=exempt,
                p=params.aktivitetskrav,
            )
            refuses = covered & (month_rng.random(n_persons) < activity.refusal_rate)
            n_covered = np.bincount(household_idx, weights=covered, minlength=n)
            n_newly_covered = np.bincount(
                household_idx, weights=covered & ~covered_last_month, minlength=n
            )
            n_refusing = np.bincount(household_idx, weights=refuses, minlength=n)
            has_refusal = n_refusing > 0
            withheld = aktivitetskrav.sanction(
                fs=paid, has_refusal=has_refusal, sanction_share=activity.sanction_share
            )
            paid = paid - withheld
            hours = aktivitetskrav.required_hours_week(
                earnings=persons.earnings_gross,
                covered=covered,
                full_time_hours=activity.full_time_hours_week,
                full_time_earnings=params.aktivitetskrav.full_time_earnings,
            )
            hours_household = np.bincount(household_idx, weights=hours, minlength=n)
            needs_care = aktivitetskrav.households_needing_childcare(
                household_idx=household_idx,
                is_child=is_child,
                covered=covered,
                earnings=persons.earnings_gross,
                n_households=n,
            )
            preschool_children, fritidshem_children = (
                needs_care
                * aktivitetskrav.children_aged(
                    household_idx=household_idx,
                    age=persons.age,
                    is_child=is_child,
                    ages=ages,
                    n_households=n,
                )
                for ages in (aktivitetskrav.PRESCHOOL_AGES, aktivitetskrav.FRITIDSHEM_AGES)
            )

        # Jobbpremie: qualification is FS in every lead-in month (July-December before).
        if month == 1:
            qualified = lead_in_fs_months >= params.jobbpremie.qualifying_months
            eligible_premium = qualified[household_idx] & ~is_child
        premium_household = np.zeros(n)
        if params.jobbpremie.in_force > 0:
            premium = jobbpremie.jobbpremie(
                earnings=persons.earnings_gross,
                is_eligible=eligible_premium,
                household_has_fs=(paid > 0)[household_idx],
                months_used=premium_months,
                p=params.jobbpremie,
            )
            premium_months = premium_months + (premium > 0)
            premium_household = np.bincount(household_idx, weights=premium, minlength=n)

        if month >= 1:
            i = month - 1
            disposable = (
                result.disposable_income - result.forsorjningsstod + paid + premium_household
            )
            values = {
                "forsorjningsstod": paid,
                "fs_entitlement": entitlement,
                "disposable_income": disposable,
                "total_support": result.total_support
                - result.forsorjningsstod
                + paid
                + premium_household,
                "jobbpremie": premium_household,
                "sanction": withheld,
                "required_hours": hours_household,
                "n_covered": n_covered,
                "n_newly_covered": n_newly_covered,
                "n_sanctioned": n_refusing,
                "childcare_preschool_children": preschool_children,
                "childcare_fritidshem_children": fritidshem_children,
                "fourth_child_reduction": result.fourth_child_reduction,
                "modernisation_reduction": result.modernisation_reduction,
                "sou_cap_reduction": result.sou_cap_reduction,
                "norm_topup": result.norm_topup,
                "riksnorm": result.riksnorm,
                "housing_counted": result.housing_counted,
            }
            for name, value in values.items():
                out[name][i] = value
            takes_up_out[i] = takes_up
            months_on_fs_out[i] = months_on_fs
            ever_covered |= covered
            ever_sanctioned |= refuses
        else:
            lead_in_fs_months = lead_in_fs_months + (paid > 0)

        # Behaviour: changes from next month.
        if activity_on and responses.aktivitetskrav_exit_to_work > 0:
            works |= covered & (month_rng.random(n_persons) < responses.aktivitetskrav_exit_to_work)
        if bidragstak_response:
            recipient_adult = (paid > 0)[household_idx] & ~is_child & ~works
            works |= (
                recipient_adult
                & capped
                & ~exempt
                & (month_rng.random(n_persons) < responses.bidragstak_exit_to_work)
            )
        if activity_on and responses.aktivitetskrav_moves_to_exempt > 0:
            moves = month_rng.random(n_persons) < responses.aktivitetskrav_moves_to_exempt
            exempt_by_move |= covered & ~works & moves
        if activity_on and responses.aktivitetskrav_exit_without_work > 0:
            covered_household = n_covered > 0
            leaves = month_rng.random(n) < responses.aktivitetskrav_exit_without_work
            stopped |= covered_household & leaves

        covered_last_month = covered
        js_used = js_used + (result.jobbstimulans_applies & (paid > 0))
        months_on_fs = np.where(paid > 0, months_on_fs + 1, 0.0)
        if progress is not None and month in (0, 6, 12):
            progress(f"{scenario.name}: month {month}")

    # Household x month views of the month-major arrays (Fortran order: no copy; the
    # receipt table reads them month-major again).
    out = {name: values.T for name, values in out.items()}
    takes_up_out = takes_up_out.T
    months_on_fs_out = months_on_fs_out.T
    receipt = ReceiptYear(
        fs_entitlement=out["fs_entitlement"],
        forsorjningsstod=out["forsorjningsstod"],
        takes_up_fs=takes_up_out,
        months_on_fs=months_on_fs_out,
        disposable_income=out["disposable_income"],
    )
    return ScenarioYear(
        scenario=scenario.name,
        assumption_set=chosen_set,
        year=year,
        seed=seed,
        population=dataclasses.replace(pop, household_months=receipt.table()),
        ever_covered=ever_covered,
        ever_sanctioned=ever_sanctioned,
        moved_to_work=works,
        definition=scenario,
        **out,
    )


def _with_work(persons: Any, works: np.ndarray, wage: float) -> Any:
    """Persons who moved into work: the entry wage, and no benefit of their former state."""
    if not works.any():
        return persons
    changed = {
        name: np.where(works, 0.0, getattr(persons, name))
        for name in (
            "a_kassa",
            "aktivitetsstod",
            "sjukpenning",
            "foraldrapenning",
            "etableringsersattning",
        )
    }
    changed["earnings_gross"] = np.where(
        works, np.maximum(persons.earnings_gross, wage), persons.earnings_gross
    )
    return dataclasses.replace(persons, **changed)


def norm_topups(
    population: Population, assumptions: Assumptions, *, year: int, seed: int
) -> np.ndarray:
    """Today's municipal amounts above the norm, per household (a modelled state).

    A share ``topup_recipient_share`` of households is granted ``topup_share_of_norm`` of
    its riksnorm under current law in January of ``year`` (sim/assumptions/bidragstak.yaml).
    The draw depends only on ``seed``, so it is the same in every scenario; a top-up matters
    only in months with FS.
    """
    from sim.params import default_law
    from sim.projection import project_law
    from sim.rules import riksnorm

    a = assumptions.bidragstak
    pop = project_population(population, year, assumptions)
    persons, households = pop.month_inputs(1, np.zeros(pop.n_households))
    params = project_law(default_law(), year, assumptions).resolve(dt.date(year, 1, 1))
    norm = riksnorm.riksnorm(
        household_idx=persons.household_idx,
        age=persons.age,
        is_child=persons.is_child,
        has_preschool_lunch=persons.has_preschool_lunch,
        is_cohabiting=households.is_cohabiting,
        p=params.riksnorm,
    )["total"]
    rng = np.random.default_rng(np.random.SeedSequence([seed, 11]))
    has = rng.random(pop.n_households) < a.topup_recipient_share
    return np.where(has, a.topup_share_of_norm * norm, 0.0)
