"""A calendar year of one scenario on a population, month by month.

For each month of the simulated year (after six lead-in months, July-December of the year
before) :func:`run_year`:

1. builds the engine's inputs from the population's monthly states (projected from the data
   year to the simulated year, :func:`sim.population.projection.project_population`), with the changes
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

:func:`run_years` runs several scenarios together, month by month, with the same results
as :func:`run_year` for each: the month's inputs are built once, the engine computes what
the scenarios' laws share once (:func:`sim.engine.pipeline.compute_cases`, each scenario's FS
history as its households' state), and only households where someone has moved into work
are computed again from their own persons.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from sim.common.errors import SimInputError
from sim.common.progress import Step, month_label
from sim.engine.entities import Households, Persons, households_persons, select_households
from sim.engine.pipeline import MonthResult, compute, compute_cases
from sim.law.assumptions import Assumptions
from sim.law.parameters import Params
from sim.population.projection import project_population
from sim.population.receipt import (
    ReceiptYear,
    TakeUpDraws,
    take_up_draws,
    take_up_start,
    take_up_step,
)
from sim.population.tables import MONTHS, Population
from sim.rules import aktivitetskrav, jobbpremie
from sim.scenarios.scenario import Scenario

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
    (default none; see :func:`norm_topups`). ``assumption_set`` replaces the scenario's.
    """
    return run_years(
        population,
        [scenario],
        year=year,
        seed=seed,
        assumption_sets=[assumption_set],
        topups=topups,
        progress=progress,
    )[0]


def run_years(
    population: Population,
    scenarios: Sequence[Scenario],
    *,
    year: int,
    seed: int,
    assumption_sets: Sequence[str | None] | None = None,
    topups: np.ndarray | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[ScenarioYear]:
    """:func:`run_year` of each scenario (with its ``assumption_sets`` entry, None: the
    scenario's own), the same results, computed together month by month.

    Scenarios with equal assumptions share the projected population, each month's inputs
    and the engine's steps their laws share (:func:`sim.engine.pipeline.compute_cases`): each
    scenario's own history enters as its households' FS state, and the households where
    someone has moved into work are computed again with their new incomes (the engine
    computes each household from its own persons only).
    """
    if not MONTHS[0] <= 1 <= MONTHS[-1]:  # pragma: no cover - guards a population change
        raise SimInputError("population months must include 1..12")
    sets = list(assumption_sets) if assumption_sets is not None else [None] * len(scenarios)
    if len(sets) != len(scenarios):
        raise ValueError("give one assumption set (or None) per scenario")
    # Scenarios with equal assumptions run together (Assumptions are compared by value).
    groups: list[tuple[Assumptions, list[int]]] = []
    for i, scenario in enumerate(scenarios):
        assumptions = scenario.assumptions()
        for group_assumptions, members in groups:
            if group_assumptions == assumptions:
                members.append(i)
                break
        else:
            groups.append((assumptions, [i]))
    years: list[ScenarioYear | None] = [None] * len(scenarios)
    ticks = _MonthTicks(progress, year=year, runs=len(scenarios), total=len(groups) * len(MONTHS))
    for assumptions, members in groups:
        pop = project_population(population, year, assumptions)
        runs = [
            _ScenarioRun(
                pop, scenarios[i], sets[i], assumptions, year=year, seed=seed, topups=topups
            )
            for i in members
        ]
        _run_months(pop, runs, assumptions, seed=seed, ticks=ticks)
        for i, run in zip(members, runs, strict=True):
            years[i] = run.result()
    return years  # type: ignore[return-value]


def _run_months(
    pop: Population,
    runs: Sequence[_ScenarioRun],
    assumptions: Assumptions,
    *,
    seed: int,
    ticks: _MonthTicks,
) -> None:
    """The month loop of :func:`run_years` for runs on the same projected population."""
    n = pop.n_households
    no_fs = np.zeros(n)
    always = np.ones(n, dtype=bool)
    # Every scenario the same take-up draws (common random numbers), drawn once a month.
    takeup_rng = np.random.default_rng(takeup_seed(seed))
    for month in MONTHS:
        persons, households = pop.month_inputs(month, no_fs, takes_up_fs=always)
        shared = _SharedMonth(persons, n, take_up_draws(takeup_rng, n), month)
        cases = [run.case(month, persons, households) for run in runs]
        results = compute_cases(
            persons,
            [(case.households, case.params) for case in cases],
            assumptions,
            check=month == MONTHS[0],
        )
        for run, case, result in zip(runs, cases, results, strict=True):
            run.advance(month, case, _figures(result, case, assumptions), shared)
        ticks(month)


class _MonthTicks:
    """The progress of :func:`run_years`: a :class:`sim.common.progress.Step` ``months`` after
    each month of each group of runs (``2027-03``, 9 of 18), nothing without ``progress``."""

    def __init__(
        self, progress: Callable[[str], None] | None, *, year: int, runs: int, total: int
    ) -> None:
        self.progress, self.year, self.runs, self.total = progress, year, runs, total
        self.done = 0

    def __call__(self, month: int) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(
                Step(
                    "months",
                    label=month_label(self.year, month),
                    done=self.done,
                    total=self.total,
                    year=self.year,
                    runs=self.runs,
                )
            )


class _SharedMonth:
    """What every scenario's month shares: the take-up draws, the exemptions from the
    aktivitetskrav and the children by the ages of förskola and fritidshem (the last two
    computed when first asked for)."""

    def __init__(self, persons: Persons, n_households: int, draws: TakeUpDraws, month: int) -> None:
        self.persons = persons
        self.n_households = n_households
        self.draws = draws
        self.month = month
        self._exempt: list[tuple[Any, np.ndarray]] = []
        self._behaviour_draws: dict[tuple[int, tuple[int, ...]], tuple[np.ndarray, Any]] = {}

    def behaviour_stream(self, seed: int) -> _BehaviourStream:
        """The month's random stream of behaviour for ``seed`` (``[seed, 7, month]``): the
        draws of each scenario's month in turn, the same numbers as a fresh generator's."""
        return _BehaviourStream(self._behaviour_draws, seed, self.month)

    def exempt(self, p: Any) -> np.ndarray:
        """Persons exempt from the aktivitetskrav under its parameters ``p``, by the month's
        shared persons, before moves into exempt states (computed once per ``p``)."""
        for done_p, values in self._exempt:
            if done_p == p:
                return values
        values = aktivitetskrav.persons_exempt(
            self.persons, is_sick_certified=np.zeros(self.persons.n, dtype=bool), p=p
        )
        self._exempt.append((p, values))
        return values

    @functools.cached_property
    def children_in_care_ages(self) -> tuple[np.ndarray, np.ndarray]:
        persons = self.persons
        return tuple(  # type: ignore[return-value]
            aktivitetskrav.children_aged(
                household_idx=persons.household_idx,
                age=persons.age,
                is_child=persons.is_child,
                ages=ages,
                n_households=self.n_households,
            )
            for ages in (aktivitetskrav.PRESCHOOL_AGES, aktivitetskrav.FRITIDSHEM_AGES)
        )


class _BehaviourStream:
    """One scenario's draws from its month's behaviour stream (:meth:`random`, as
    ``np.random.Generator.random``). Scenarios draw from the same stream, so where a
    scenario's draws so far had the sizes of another's, its next draw is the same numbers:
    those are drawn once a month and shared (read-only)."""

    def __init__(
        self, done: dict[tuple[int, tuple[int, ...]], tuple[np.ndarray, Any]], seed: int, month: int
    ) -> None:
        # ``done``: the month's draws so far, by seed and the sizes of the draws up to them.
        self._done, self._seed, self._month = done, seed, month
        self._sizes: tuple[int, ...] = ()
        self._state: Any = None  # the generator's state after the draws so far

    def random(self, size: int) -> np.ndarray:
        sizes = (*self._sizes, size)
        done = self._done
        key = (self._seed, sizes)
        if key not in done:
            rng = np.random.default_rng(
                np.random.SeedSequence([self._seed, 7, self._month - MONTHS[0]])
            )
            if self._state is not None:
                rng.bit_generator.state = self._state
            values = rng.random(size)
            values.flags.writeable = False
            done[key] = (values, rng.bit_generator.state)
        values, self._state = done[key]
        self._sizes = sizes
        return values


class _Case(NamedTuple):
    """One scenario's month: its households (the month's with its FS state), its law, its
    persons' earnings (with the moves into work), and where someone has moved into work:
    those households (``changed``), their persons' rows and their persons and households
    as the engine takes them (with the new incomes; None without such moves)."""

    households: Households
    params: Params
    earnings: np.ndarray
    changed: np.ndarray | None = None
    changed_person_rows: np.ndarray | None = None
    changed_persons: Persons | None = None
    changed_households: Households | None = None


#: What a scenario's month takes from the engine's result (household arrays).
_FIGURES = (
    "fs_entitlement",
    "forsorjningsstod",
    "disposable_income",
    "total_support",
    "fourth_child_reduction",
    "modernisation_reduction",
    "sou_cap_reduction",
    "norm_topup",
    "riksnorm",
    "housing_counted",
    "jobbstimulans_applies",
)


def _figures(result: MonthResult, case: _Case, assumptions: Assumptions) -> dict[str, np.ndarray]:
    """The result's :data:`_FIGURES` (computed from the month's shared persons); for the
    households in ``case.changed`` computed again from their persons with the moves into
    work."""
    figures = {name: getattr(result, name) for name in _FIGURES}
    if case.changed is None:
        return figures
    changed = compute(
        case.changed_persons, case.changed_households, case.params, assumptions, check=False
    )
    for name in _FIGURES:
        values = figures[name].copy()
        values[case.changed] = getattr(changed, name)
        figures[name] = values
    return figures


class _Aktivitetskrav(NamedTuple):
    """The aktivitetskrav's month for one scenario: the covered persons (a mask and their
    rows) and the refusing persons' rows; per household the FS withheld, the adults covered,
    newly covered and refusing, and the required hours (a week); the households whose
    children need care."""

    covered: np.ndarray
    covered_rows: np.ndarray
    refusing_rows: np.ndarray
    withheld: np.ndarray
    n_covered: np.ndarray
    n_newly_covered: np.ndarray
    n_refusing: np.ndarray
    hours: np.ndarray
    childcare_rows: np.ndarray

    @classmethod
    def none(cls, zeros: np.ndarray, n_persons: int) -> _Aktivitetskrav:
        """A month without the aktivitetskrav (``zeros``: the run's household zeros)."""
        nobody = np.empty(0, dtype=np.int64)
        return cls(
            np.zeros(n_persons, dtype=bool),
            nobody,
            nobody,
            zeros,
            zeros,
            zeros,
            zeros,
            zeros,
            nobody,
        )


class _ScenarioRun:
    """One scenario's year in progress: the state carried from month to month (see the
    module docstring) and the household x month outputs filled so far."""

    def __init__(
        self,
        pop: Population,
        scenario: Scenario,
        assumption_set: str | None,
        assumptions: Assumptions,
        *,
        year: int,
        seed: int,
        topups: np.ndarray | None,
    ) -> None:
        self.pop, self.scenario, self.year, self.seed = pop, scenario, year, seed
        self.law = scenario.law(year)
        self.first_law_date = self.law.valid_range()[0]
        self.assumption_set = assumption_set or scenario.assumption_set
        self.responses = behaviour(assumptions, self.assumption_set)
        self.activity = assumptions.aktivitetskrav
        n = self.n = pop.n_households
        persons_table = pop.persons
        self.household_idx = persons_table["household_idx"].to_numpy()
        self.is_child = persons_table["is_child"].to_numpy()
        n_persons = self.n_persons = self.household_idx.size
        self.topups = np.zeros(n) if topups is None else topups

        start = take_up_start(pop)
        self.propensity, self.assets = start.propensity, start.assets
        self.months_on_fs = start.months_on_fs
        self.js_used = start.jobbstimulans_months_used
        self.premium_months = np.zeros(n_persons)
        self.lead_in_fs_months = np.zeros(n)
        self.stopped = np.zeros(n, dtype=bool)
        self.works = np.zeros(n_persons, dtype=bool)
        self.exempt_by_move = np.zeros(n_persons, dtype=bool)
        self.ever_covered = np.zeros(n_persons, dtype=bool)
        self.covered_last_month = np.zeros(n_persons, dtype=bool)
        self.ever_sanctioned = np.zeros(n_persons, dtype=bool)
        self.premium_rows = np.empty(0, dtype=np.int64)  # eligible for the jobbpremie
        # Month-major while filling (contiguous rows); seen as household x month at the end.
        # Every row is written in its month (1..12), so the arrays start uninitialised.
        self.out = {name: np.empty((12, n)) for name in HOUSEHOLD_MONTH_FIELDS}
        self.takes_up_out = np.empty((12, n), dtype=bool)
        self.months_on_fs_out = np.empty((12, n))
        # Zeros where a rule does not act in a month: recorded as a fill, not a copy.
        self._zeros = np.zeros(n)
        self._zeros.setflags(write=False)

    @property
    def label(self) -> str:
        return f"{self.scenario.name}/{self.assumption_set}"

    def case(self, month: int, persons: Persons, households: Households) -> _Case:
        """This scenario's inputs for ``month`` from the month's shared ones."""
        when = dt.date(self.year, month, 1) if month >= 1 else dt.date(self.year - 1, 12 + month, 1)
        # Lead-in months before the first year of law (2023 for a 2024 run) use that year's.
        params = self.law.resolve(max(when, self.first_law_date))
        households = dataclasses.replace(
            households,
            norm_topup=self.topups,
            months_on_fs=self.months_on_fs,
            jobbstimulans_months_used=self.js_used,
        )
        work_rows = np.flatnonzero(self.works)
        if not work_rows.size:
            return _Case(households, params, persons.earnings_gross)
        wage = self.responses.entry_wage
        earnings = _with_entry_wage(persons.earnings_gross, work_rows, wage)
        changed = np.unique(self.household_idx[work_rows])
        person_rows = households_persons(persons, households.n, changed)
        chosen, its_households = select_households(
            persons, households, changed, person_rows=person_rows
        )
        return _Case(
            households,
            params,
            earnings,
            changed=changed,
            changed_person_rows=person_rows,
            changed_persons=with_work(chosen, self.works[person_rows], wage),
            changed_households=its_households,
        )

    def advance(
        self, month: int, case: _Case, figures: dict[str, np.ndarray], shared: _SharedMonth
    ) -> None:
        """One month's steps after the engine, in the order of the module docstring: take-up,
        the aktivitetskrav, the jobbpremie, the record of the month (1..12), behaviour, and
        the FS history carried to the next month.

        The person-level rules run on the persons they can apply to (the aktivitetskrav's
        on households in a long enough FS spell, the jobbpremie's on its eligible persons);
        the random draws are over all persons, so each person's draw is the same in every
        scenario. Each month has its own random stream (``month_rng``), drawn in this order:
        refusals, then the behaviour's moves."""
        params = case.params
        takes_up, paid = self._take_up(params, figures["fs_entitlement"], shared)
        month_rng = shared.behaviour_stream(self.seed)
        activity_on = params.aktivitetskrav.in_force > 0
        reduced = figures["fourth_child_reduction"] + figures["modernisation_reduction"] > 0
        # Every household has an adult (entities.validate), so a reduced household has one.
        bidragstak_response = self.responses.bidragstak_exit_to_work > 0 and reduced.any()
        exempt = self._exempt(case, shared) if activity_on or bidragstak_response else None
        demand = (
            self._aktivitetskrav(case, takes_up, paid, exempt, month_rng)
            if activity_on
            else _Aktivitetskrav.none(self._zeros, self.n_persons)
        )
        receives = paid > 0
        premium = self._jobbpremie(month, params, case.earnings, receives)
        if month >= 1:
            self._record(month, figures, takes_up, paid, premium, demand, shared)
        else:
            self.lead_in_fs_months = self.lead_in_fs_months + receives
        self._behaviour(
            month_rng,
            demand,
            activity_on,
            reduced & receives if bidragstak_response else None,
            exempt,
        )
        self.covered_last_month = demand.covered
        self.js_used = self.js_used + (figures["jobbstimulans_applies"] & receives)
        self.months_on_fs = np.where(receives, self.months_on_fs + 1, 0.0)

    def _take_up(
        self, params: Params, entitlement: np.ndarray, shared: _SharedMonth
    ) -> tuple[np.ndarray, np.ndarray]:
        """Who takes up FS this month and what is paid before a sanction: the population's
        take-up model with the same draws in every scenario, less the new claims the
        aktivitetskrav deters; households that left FS for good take nothing up."""
        deterred = self.responses.aktivitetskrav_fewer_applications * params.aktivitetskrav.in_force
        takes_up, self.propensity, self.assets = take_up_step(
            entitlement=entitlement,
            months_on_fs=self.months_on_fs,
            propensity=self.propensity,
            assets=self.assets,
            draws=shared.draws,
            claim_factor=1.0 - deterred,
        )
        takes_up &= ~self.stopped
        return takes_up, np.where(takes_up, entitlement, 0.0)

    def _exempt(self, case: _Case, shared: _SharedMonth) -> np.ndarray:
        """The persons exempt from the aktivitetskrav this month: by their state (with the
        moves into work recomputed) and by an earlier move into an exempt state."""
        params = case.params
        exempt = shared.exempt(params.aktivitetskrav)
        if case.changed_persons is not None:
            exempt = exempt.copy()
            exempt[case.changed_person_rows] = aktivitetskrav.persons_exempt(
                case.changed_persons,
                is_sick_certified=np.zeros(case.changed_persons.n, dtype=bool),
                p=params.aktivitetskrav,
            )
        return exempt | self.exempt_by_move

    def _aktivitetskrav(
        self,
        case: _Case,
        takes_up: np.ndarray,
        paid: np.ndarray,
        exempt: np.ndarray,
        month_rng: _BehaviourStream,
    ) -> _Aktivitetskrav:
        """The aktivitetskrav's month: who is covered (only adults of households on FS for
        the required months), their hours, who refuses and the sanction, which is taken
        from ``paid`` here."""
        params, earnings, n = case.params, case.earnings, self.n
        household_idx = self.household_idx
        in_spell = takes_up & (self.months_on_fs >= params.aktivitetskrav.required_months)
        spell_rows = np.flatnonzero(in_spell[household_idx])
        spell_households = household_idx[spell_rows]
        covered_rows = spell_rows[
            aktivitetskrav.is_covered(
                months_on_fs=self.months_on_fs[spell_households],
                on_fs=takes_up[spell_households],
                exempt=exempt[spell_rows],
                p=params.aktivitetskrav,
            )
        ]
        covered = _marked(self.n_persons, covered_rows)
        refusing_rows = covered_rows[
            month_rng.random(self.n_persons)[covered_rows] < self.activity.refusal_rate
        ]
        refusing = np.unique(household_idx[refusing_rows])
        withheld = np.zeros(n)
        withheld[refusing] = aktivitetskrav.sanction(
            fs=paid[refusing],
            has_refusal=np.ones(refusing.size, dtype=bool),
            sanction_share=self.activity.sanction_share,
        )
        paid[refusing] -= withheld[refusing]
        hours = aktivitetskrav.required_hours_week(
            earnings=earnings[covered_rows],
            covered=np.ones(covered_rows.size, dtype=bool),
            full_time_hours=self.activity.full_time_hours_week,
            full_time_earnings=params.aktivitetskrav.full_time_earnings,
        )
        # Covered adults live in the spell's households: the rule on their persons.
        childcare_rows = np.flatnonzero(
            aktivitetskrav.households_needing_childcare(
                household_idx=spell_households,
                is_child=self.is_child[spell_rows],
                covered=covered[spell_rows],
                earnings=earnings[spell_rows],
                n_households=n,
            )
        )
        return _Aktivitetskrav(
            covered=covered,
            covered_rows=covered_rows,
            refusing_rows=refusing_rows,
            withheld=withheld,
            n_covered=_by_household(household_idx, covered_rows, n),
            n_newly_covered=_by_household(
                household_idx, covered_rows[~self.covered_last_month[covered_rows]], n
            ),
            n_refusing=_by_household(household_idx, refusing_rows, n),
            hours=_by_household(household_idx, covered_rows, n, weights=hours),
            childcare_rows=childcare_rows,
        )

    def _jobbpremie(
        self, month: int, params: Params, earnings: np.ndarray, receives: np.ndarray
    ) -> np.ndarray:
        """The jobbpremie of each household this month (zeros where it is not in force).
        Qualification is FS in every lead-in month (July-December before), decided in
        January; each person's premium months are counted."""
        household_idx, n = self.household_idx, self.n
        if month == 1:
            qualified = self.lead_in_fs_months >= params.jobbpremie.qualifying_months
            self.premium_rows = np.flatnonzero(qualified[household_idx] & ~self.is_child)
        if not params.jobbpremie.in_force > 0:
            return self._zeros
        rows = self.premium_rows
        premium = jobbpremie.jobbpremie(
            earnings=earnings[rows],
            is_eligible=np.ones(rows.size, dtype=bool),
            household_has_fs=receives[household_idx[rows]],
            months_used=self.premium_months[rows],
            p=params.jobbpremie,
        )
        self.premium_months[rows] += premium > 0
        return np.bincount(household_idx[rows], weights=premium, minlength=n)

    def _record(
        self,
        month: int,
        figures: dict[str, np.ndarray],
        takes_up: np.ndarray,
        paid: np.ndarray,
        premium: np.ndarray,
        demand: _Aktivitetskrav,
        shared: _SharedMonth,
    ) -> None:
        """Write month ``month`` (1..12) of the household x month outputs."""
        i = month - 1
        fs_before = figures["forsorjningsstod"]
        preschool_children = fritidshem_children = self._zeros
        if demand.childcare_rows.size:
            preschool, fritidshem = shared.children_in_care_ages
            preschool_children = _AtRows(demand.childcare_rows, preschool)
            fritidshem_children = _AtRows(demand.childcare_rows, fritidshem)
        values = {
            "forsorjningsstod": paid,
            "fs_entitlement": figures["fs_entitlement"],
            "disposable_income": figures["disposable_income"] - fs_before + paid + premium,
            "total_support": figures["total_support"] - fs_before + paid + premium,
            "jobbpremie": premium,
            "sanction": demand.withheld,
            "required_hours": demand.hours,
            "n_covered": demand.n_covered,
            "n_newly_covered": demand.n_newly_covered,
            "n_sanctioned": demand.n_refusing,
            "childcare_preschool_children": preschool_children,
            "childcare_fritidshem_children": fritidshem_children,
            "fourth_child_reduction": figures["fourth_child_reduction"],
            "modernisation_reduction": figures["modernisation_reduction"],
            "sou_cap_reduction": figures["sou_cap_reduction"],
            "norm_topup": figures["norm_topup"],
            "riksnorm": figures["riksnorm"],
            "housing_counted": figures["housing_counted"],
        }
        for name in HOUSEHOLD_MONTH_FIELDS:
            value, row = values[name], self.out[name][i]
            if value is self._zeros:
                row.fill(0.0)
            elif isinstance(value, _AtRows):
                row.fill(0.0)
                row[value.rows] = value.values[value.rows]
            else:
                row[:] = value
        self.takes_up_out[i] = takes_up
        self.months_on_fs_out[i] = self.months_on_fs
        self.ever_covered[demand.covered_rows] = True
        self.ever_sanctioned[demand.refusing_rows] = True

    def _behaviour(
        self,
        month_rng: _BehaviourStream,
        demand: _Aktivitetskrav,
        activity_on: bool,
        reduced_on_fs: np.ndarray | None,
        exempt: np.ndarray | None,
    ) -> None:
        """Behaviour, acting from next month, with the scenario's assumption set: exits to
        work of covered adults and of adults in households the bidragstak reduced
        (``reduced_on_fs``, None when that response is off), moves into exempt states and
        exits from FS without work."""
        responses, works, n_persons = self.responses, self.works, self.n_persons
        covered_rows = demand.covered_rows
        if activity_on and responses.aktivitetskrav_exit_to_work > 0:
            leaving = month_rng.random(n_persons)[covered_rows]
            works[covered_rows[leaving < responses.aktivitetskrav_exit_to_work]] = True
        if reduced_on_fs is not None:
            # Adults not yet in work in reduced households with FS.
            rows = np.flatnonzero(reduced_on_fs[self.household_idx])
            rows = rows[~self.is_child[rows] & ~works[rows] & ~exempt[rows]]
            leaving = month_rng.random(n_persons)[rows]
            works[rows[leaving < responses.bidragstak_exit_to_work]] = True
        if activity_on and responses.aktivitetskrav_moves_to_exempt > 0:
            moves = (
                month_rng.random(n_persons)[covered_rows] < responses.aktivitetskrav_moves_to_exempt
            )
            moving = covered_rows[moves]
            self.exempt_by_move[moving[~works[moving]]] = True
        if activity_on and responses.aktivitetskrav_exit_without_work > 0:
            leaves = month_rng.random(self.n) < responses.aktivitetskrav_exit_without_work
            self.stopped |= (demand.n_covered > 0) & leaves

    def result(self) -> ScenarioYear:
        """The year as a :class:`ScenarioYear` (after the last month)."""
        # Household x month views of the month-major arrays (Fortran order: no copy; the
        # receipt table reads them month-major again).
        out = {name: values.T for name, values in self.out.items()}
        receipt = ReceiptYear(
            fs_entitlement=out["fs_entitlement"],
            forsorjningsstod=out["forsorjningsstod"],
            takes_up_fs=self.takes_up_out.T,
            months_on_fs=self.months_on_fs_out.T,
            disposable_income=out["disposable_income"],
        )
        return ScenarioYear(
            scenario=self.scenario.name,
            assumption_set=self.assumption_set,
            year=self.year,
            seed=self.seed,
            population=dataclasses.replace(self.pop, household_months=receipt.table()),
            ever_covered=self.ever_covered,
            ever_sanctioned=self.ever_sanctioned,
            moved_to_work=self.works,
            definition=self.scenario,
            **out,
        )


def _by_household(
    household_idx: np.ndarray, rows: np.ndarray, n: int, weights: np.ndarray | None = None
) -> np.ndarray:
    """Per household, the persons at ``rows`` counted (or their ``weights``, aligned to
    ``rows``, summed in the persons' order), as float64."""
    return np.bincount(household_idx[rows], weights=weights, minlength=n).astype(
        np.float64, copy=False
    )


def _marked(n: int, rows: np.ndarray) -> np.ndarray:
    """A mask of ``n`` values, True at ``rows``."""
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return mask


class _AtRows(NamedTuple):
    """A household array that is ``values`` at ``rows`` and zero elsewhere."""

    rows: np.ndarray
    values: np.ndarray


def with_work(persons: Any, works: np.ndarray, wage: float) -> Any:
    """Persons who moved into work: the entry wage, and no benefit of their former state."""
    rows = np.flatnonzero(works)
    if not rows.size:
        return persons
    changed = {}
    for name in (
        "a_kassa",
        "aktivitetsstod",
        "sjukpenning",
        "foraldrapenning",
        "etableringsersattning",
    ):
        values = getattr(persons, name).copy()
        values[rows] = 0.0
        changed[name] = values
    changed["earnings_gross"] = _with_entry_wage(persons.earnings_gross, rows, wage)
    return dataclasses.replace(persons, **changed)


def _with_entry_wage(earnings: np.ndarray, rows: np.ndarray, wage: float) -> np.ndarray:
    """A copy of ``earnings`` with the persons at ``rows`` earning at least the entry wage
    (a move into work)."""
    earnings = earnings.copy()
    earnings[rows] = np.maximum(earnings[rows], wage)
    return earnings


def norm_topups(
    population: Population, assumptions: Assumptions, *, year: int, seed: int
) -> np.ndarray:
    """Today's municipal amounts above the norm, per household (a modelled state).

    A share ``topup_recipient_share`` of households is granted ``topup_share_of_norm`` of
    its riksnorm under current law in January of ``year`` (sim/law/assumptions/bidragstak.yaml).
    The draw depends only on ``seed``, so it is the same in every scenario; a top-up matters
    only in months with FS.
    """
    from sim.engine.riksnorm_pass import riksnorms
    from sim.law.parameters import default_law
    from sim.law.projection import project_law

    a = assumptions.bidragstak
    pop = project_population(population, year, assumptions)
    persons, households = pop.month_inputs(1, np.zeros(pop.n_households))
    params = project_law(default_law(), year, assumptions).resolve(dt.date(year, 1, 1))
    norm = riksnorms(
        household_idx=persons.household_idx,
        age=persons.age,
        is_child=persons.is_child,
        has_preschool_lunch=persons.has_preschool_lunch,
        is_cohabiting=households.is_cohabiting,
        p=params.riksnorm,
    ).total
    rng = np.random.default_rng(np.random.SeedSequence([seed, 11]))
    has = rng.random(pop.n_households) < a.topup_recipient_share
    return np.where(has, a.topup_share_of_norm * norm, 0.0)
