"""Household axes: one household at every point of one varied input, in one engine call per law.

``sim household ... --axis earnings=0:50000:500`` and :func:`household_axis` compute the
household of a :class:`sim.calculator.household.HouseholdSpec` with one input varied over a range
(:data:`AXIS_VARIABLES`: the gross earnings of adult 1 or 2, hours a week at an hourly wage,
the housing cost) under the baseline and a scenario. The household is copied once per point
into the rows of one :class:`sim.engine.entities.Persons` / :class:`sim.engine.entities.Households` input,
and :func:`sim.engine.pipeline.compute` runs once per law on all of them (never once per point).

Each point also has its participation tax rate and marginal effective tax rate
(:mod:`sim.incentives.tax_rates`): the same call holds, for every point, the household with the
working adult's earnings raised by the EMTR step and with them at zero ("out of work"), so
a 100-point axis is 300 households in one call. The working adult is adult 2 on an
``earnings2`` axis, else adult 1.

The result is a tidy polars frame, one row per scenario and point (:data:`COLUMNS`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np
import polars as pl

from sim.calculator.household import HouseholdSpec, _inputs, parse_month
from sim.common.errors import SimInputError
from sim.engine.entities import Households, Persons
from sim.engine.pipeline import compute
from sim.incentives.tax_rates import (
    DEFAULT_EMTR_STEP,
    effective_marginal_tax_rate,
    participation_tax_rate,
)
from sim.law.parameters import closest_hint
from sim.law.projection import housing_limit_uprating
from sim.rules import jobbpremie
from sim.scenarios.scenario import Scenario, load_scenario

#: What an axis may vary, and what its values are.
AXIS_VARIABLES = {
    "earnings": "gross earnings of adult 1, SEK/month",
    "earnings2": "gross earnings of adult 2, SEK/month",
    "hours": "hours a week of adult 1 at the hourly wage (--wage, SEK/hour)",
    "housing_cost": "housing cost (rent or avgift), SEK/month",
}

#: Weeks a year: monthly earnings = hours a week × wage × 52 / 12 (40 h a week = 173.3 h a
#: month). A simplification: every week paid, no unpaid holidays.
WEEKS_PER_YEAR = 52.0

#: Most points an axis may have (a guard against a mistyped step).
MAX_POINTS = 100_000

#: The columns of :func:`household_axis`'s frame, in order: the axis and its point
#: (``value``), the scenario, the month (YYYY-MM), the months on FS before it, the working
#: adult's and all adults' gross earnings; then amounts, SEK/month for the household:
#: ``bostadsbidrag`` includes the temporary tilläggsbidrag, ``barnbidrag`` the
#: flerbarnstillägg, and ``disposable_income`` is the sum of ``net_earnings``,
#: ``net_other_income``, ``net_income_children``, ``barnbidrag``, ``underhallsstod``,
#: ``bostadsbidrag``, ``forsorjningsstod`` and ``jobbpremie``; last the out-of-work
#: disposable income, ``ptr``, ``emtr`` and the EMTR step (:mod:`sim.incentives.tax_rates`).
COLUMNS = (
    "axis",
    "value",
    "scenario",
    "month",
    "months_on_fs",
    "worker_gross_earnings",
    "gross_earnings",
    "income_tax",
    "net_earnings",
    "net_other_income",
    "net_income_children",
    "barnbidrag",
    "underhallsstod",
    "bostadsbidrag",
    "jobbstimulans_disregard",
    "forsorjningsstod",
    "jobbpremie",
    "disposable_income",
    "disposable_income_out_of_work",
    "ptr",
    "emtr",
    "emtr_step",
)


@dataclasses.dataclass(frozen=True)
class Axis:
    """One varied input: ``variable`` of :data:`AXIS_VARIABLES` from ``start`` to ``stop``
    (included when a whole number of ``step``s away) by ``step``; ``wage`` SEK/hour for
    ``hours``."""

    variable: str
    start: float
    stop: float
    step: float
    wage: float | None = None

    def checked(self) -> Axis:
        """The axis, or :class:`SimInputError` naming what is wrong with it."""
        if self.variable not in AXIS_VARIABLES:
            raise SimInputError(
                f"unknown axis {self.variable!r}{closest_hint(self.variable, AXIS_VARIABLES)}; "
                f"known: {', '.join(AXIS_VARIABLES)}"
            )
        for name in ("start", "stop", "step"):
            value = getattr(self, name)
            if not np.isfinite(value) or value < 0:
                raise SimInputError(f"axis {name} must be a non-negative number, not {value}")
        if not self.step > 0:
            raise SimInputError("axis step must be positive")
        if self.stop < self.start:
            raise SimInputError(f"axis stop {self.stop} is below its start {self.start}")
        if self.n_points > MAX_POINTS:
            raise SimInputError(f"axis has {self.n_points} points; at most {MAX_POINTS}")
        if self.variable == "hours":
            if self.wage is None or not np.isfinite(self.wage) or self.wage <= 0:
                raise SimInputError("an hours axis needs a positive hourly wage (--wage SEK/hour)")
            if self.stop > 168:
                raise SimInputError(f"{self.stop} hours a week is not possible (at most 168)")
        elif self.wage is not None:
            raise SimInputError("--wage is only for an hours axis")
        return self

    @property
    def n_points(self) -> int:
        # A hair of tolerance so that 0:50000:500 ends at 50 000 despite float division.
        return int(np.floor((self.stop - self.start) / self.step + 1e-9)) + 1

    def values(self) -> np.ndarray:
        """The points, ``start + k × step`` for k = 0, 1, ...

        >>> Axis("earnings", 0, 1000, 250).values().tolist()
        [0.0, 250.0, 500.0, 750.0, 1000.0]
        """
        return self.start + self.step * np.arange(self.n_points, dtype=float)

    @property
    def worker(self) -> int:
        """The working adult (0 = adult 1, 1 = adult 2) whose earnings PTR and EMTR vary."""
        return 1 if self.variable == "earnings2" else 0


def hours_to_earnings(hours_week: np.ndarray, wage: float) -> np.ndarray:
    """Gross monthly earnings of ``hours_week`` hours a week at ``wage`` SEK/hour.

    >>> hours_to_earnings(np.array([10.0, 40.0]), 150.0).tolist()
    [6500.0, 26000.0]
    """
    # Multiplied before the division: 10 h at 150 kr is exactly 6 500 kr, not a hair less.
    return hours_week * wage * WEEKS_PER_YEAR / 12.0


def parse_axis(text: str, *, wage: float | None = None) -> Axis:
    """``"earnings=0:50000:500"`` to an :class:`Axis` (checked).

    >>> parse_axis("hours=0:40:10", wage=150).values().tolist()
    [0.0, 10.0, 20.0, 30.0, 40.0]
    """
    name, sep, spec = text.partition("=")
    parts = spec.split(":")
    try:
        if not sep or len(parts) != 3:
            raise ValueError
        start, stop, step = (float(part) for part in parts)
    except ValueError:
        raise SimInputError(
            f"axis {text!r} must be NAME=START:STOP:STEP, e.g. earnings=0:50000:500"
        ) from None
    return Axis(name.strip(), start, stop, step, wage).checked()


def household_axis(
    spec: HouseholdSpec,
    axis: Axis | str,
    *,
    date: dt.date | str,
    scenario: str | Scenario = "baseline",
    emtr_step: float = DEFAULT_EMTR_STEP,
    wage: float | None = None,
) -> pl.DataFrame:
    """The household at every point of ``axis`` under the baseline and ``scenario``.

    One row per scenario (baseline first) and point, the columns of :data:`COLUMNS`;
    ``ptr`` and ``emtr`` are those of the working adult (adult 2 on an ``earnings2`` axis,
    else adult 1) at the point, with ``emtr_step`` SEK/month. ``axis`` may be a string as
    ``--axis`` takes it (``wage`` then for an hours axis). The amounts are exactly those of
    :func:`sim.calculator.household.calculate` for the household at that point.

    >>> frame = household_axis(HouseholdSpec(housing_cost=5000), "earnings=0:10000:5000",
    ...     date="2026-03")
    >>> frame["forsorjningsstod"].round(2).to_list(), frame["ptr"].to_list()
    ([10720.0, 6070.0, 1786.47], [nan, 1.0, 1.0])
    """
    axis = parse_axis(axis, wage=wage) if isinstance(axis, str) else axis.checked()
    if not np.isfinite(emtr_step) or not emtr_step > 0:
        raise SimInputError(f"the EMTR step must be a positive amount, not {emtr_step}")
    spec = spec.checked()
    if axis.worker >= spec.adults:
        raise SimInputError(f"axis {axis.variable!r} needs two adults (--adults 2)")
    when = parse_month(date) if isinstance(date, str) else date.replace(day=1)
    reform = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    chosen = [load_scenario("baseline")] if reform.name != "baseline" else []
    frames = [_one_law(spec, axis, when, s, emtr_step) for s in (*chosen, reform)]
    return pl.concat(frames)


def work_incentives(
    spec: HouseholdSpec,
    *,
    gross: float,
    date: dt.date | str,
    scenario: str | Scenario = "baseline",
    adult: int = 1,
    emtr_step: float = DEFAULT_EMTR_STEP,
) -> pl.DataFrame:
    """PTR and EMTR of adult ``adult`` (1 or 2) taking a job at ``gross`` SEK/month.

    The household as ``spec`` describes it, with that adult's earnings at ``gross`` (in
    work) and at 0 (out of work); the rows of :func:`household_axis` for the one point.
    The jobbstimulans follows ``spec.months_on_fs`` (it applies from six months on FS).
    """
    if adult not in (1, 2):
        raise SimInputError(f"adult must be 1 or 2, not {adult}")
    name = "earnings" if adult == 1 else "earnings2"
    return household_axis(
        spec, Axis(name, gross, gross, 1.0), date=date, scenario=scenario, emtr_step=emtr_step
    )


def _prepared(spec: HouseholdSpec, when: dt.date, scenario: Scenario) -> tuple[HouseholdSpec, Any]:
    """The spec with the costs left open filled in and the housing limit carried to the
    year, and the scenario's assumptions: as :func:`sim.calculator.household.calculate` does it
    (tests/test_axes.py checks that every point equals ``calculate``)."""
    assumptions = scenario.assumptions()
    defaults = assumptions.skaliga_kostnader
    n_persons = spec.adults + len(spec.child_ages)
    hushallsel = spec.hushallsel
    if hushallsel is None:
        hushallsel = float(defaults.hushallsel.lookup("amount", n_persons))
    hemforsakring = spec.hemforsakring if spec.hemforsakring is not None else defaults.hemforsakring
    limit = spec.housing_limit_factor * housing_limit_uprating(when.year, assumptions)
    prepared = dataclasses.replace(
        spec, hushallsel=hushallsel, hemforsakring=hemforsakring, housing_limit_factor=limit
    )
    return prepared, assumptions


def _copies(
    persons: Persons,
    households: Households,
    *,
    worker: int,
    worker_earnings: np.ndarray,
    housing_cost: np.ndarray,
) -> tuple[Persons, Households]:
    """``len(worker_earnings)`` copies of a one-household input, copy ``i`` with the working
    adult's earnings and the housing cost of row ``i``."""
    n = worker_earnings.size
    size = persons.n
    columns = {f.name: np.tile(getattr(persons, f.name), n) for f in dataclasses.fields(Persons)}
    columns["household_idx"] = np.repeat(np.arange(n, dtype=np.int64), size)
    columns["earnings_gross"][np.arange(n) * size + worker] = worker_earnings
    rows = {f.name: np.tile(getattr(households, f.name), n) for f in dataclasses.fields(Households)}
    rows["housing_cost"] = housing_cost
    return Persons(**columns), Households(**rows)


def _one_law(
    spec: HouseholdSpec, axis: Axis, when: dt.date, scenario: Scenario, emtr_step: float
) -> pl.DataFrame:
    """The axis's rows under one scenario: one engine call on 3 × points households."""
    prepared, assumptions = _prepared(spec, when, scenario)
    params = scenario.law(when.year).resolve(when)
    values = axis.values()
    n = values.size
    worker = axis.worker
    base_earnings = prepared.earnings[worker]
    if axis.variable in ("earnings", "earnings2"):
        earnings = values
    elif axis.variable == "hours":
        earnings = hours_to_earnings(values, float(axis.wage))
    else:
        earnings = np.full(n, base_earnings)
    housing = values if axis.variable == "housing_cost" else np.full(n, prepared.housing_cost)
    # Rows 0..n-1: the points; n..2n-1: the worker's earnings + the EMTR step; 2n..3n-1: the
    # worker out of work (earnings 0), everything else as at the point.
    persons, households = _inputs(prepared)
    persons, households = _copies(
        persons,
        households,
        worker=worker,
        worker_earnings=np.concatenate([earnings, earnings + emtr_step, np.zeros(n)]),
        housing_cost=np.tile(housing, 3),
    )
    r = compute(persons, households, params, assumptions)
    premium = _jobbpremie(prepared, persons, r.forsorjningsstod, params)
    disposable = r.disposable_income + premium
    adult_earnings = np.bincount(
        persons.household_idx,
        weights=np.where(persons.is_child, 0.0, persons.earnings_gross),
        minlength=households.n,
    )
    at = slice(0, n)
    columns = {
        "axis": [axis.variable] * n,
        "value": values,
        "scenario": [scenario.name] * n,
        "month": [f"{when:%Y-%m}"] * n,
        "months_on_fs": np.full(n, prepared.months_on_fs, dtype=np.int64),
        "worker_gross_earnings": earnings,
        "gross_earnings": adult_earnings[at],
        "income_tax": r.income_tax[at],
        "net_earnings": r.net_earnings[at],
        "net_other_income": r.net_other_income[at],
        "net_income_children": r.net_income_children[at],
        "barnbidrag": (r.barnbidrag + r.flerbarnstillagg)[at],
        "underhallsstod": r.underhallsstod[at],
        "bostadsbidrag": (r.bostadsbidrag + r.tillaggsbidrag)[at],
        "jobbstimulans_disregard": r.jobbstimulans_disregard[at],
        "forsorjningsstod": r.forsorjningsstod[at],
        "jobbpremie": premium[at],
        "disposable_income": disposable[at],
        "disposable_income_out_of_work": disposable[2 * n :],
        "ptr": participation_tax_rate(
            disposable_in_work=disposable[at],
            disposable_out_of_work=disposable[2 * n :],
            gross_earnings=earnings,
        ),
        "emtr": effective_marginal_tax_rate(
            disposable=disposable[at], disposable_after_step=disposable[n : 2 * n], step=emtr_step
        ),
        "emtr_step": np.full(n, float(emtr_step)),
    }
    return pl.DataFrame({name: columns[name] for name in COLUMNS})


def _jobbpremie(
    spec: HouseholdSpec, persons: Persons, forsorjningsstod: np.ndarray, params: Any
) -> np.ndarray:
    """The household's jobbpremie (sim.rules.jobbpremie), as sim.household computes it for
    one household: adults of an eligible household, in a month without FS."""
    has_fs = forsorjningsstod > 0
    premium = jobbpremie.jobbpremie(
        earnings=persons.earnings_gross,
        is_eligible=~persons.is_child & spec.jobbpremie_eligible,
        household_has_fs=has_fs[persons.household_idx],
        months_used=np.zeros(persons.n),
        p=params.jobbpremie,
    )
    return np.bincount(persons.household_idx, weights=premium, minlength=has_fs.size)
