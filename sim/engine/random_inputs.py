"""Random engine inputs for property tests and benchmarks (not a calibrated population).

:func:`random_month` draws households of one or two adults and up to ``max_children``
children, with incomes spread over the states that matter for försörjningsstöd. It is for
exercising the engine, not for estimates: use ``sim.population`` for those.
"""

from __future__ import annotations

import numpy as np

from sim.engine.entities import Households, Persons, households_from_columns, persons_from_columns


def random_month(
    n_households: int, *, rng: np.random.Generator, max_children: int = 6
) -> tuple[Persons, Households]:
    """``n_households`` random biståndshushåll for one month."""
    n_adults = rng.integers(1, 3, n_households)
    n_children = np.minimum(rng.geometric(0.45, n_households) - 1, max_children)
    n_persons = n_adults + n_children
    household_idx = np.repeat(np.arange(n_households), n_persons)
    starts = np.cumsum(n_persons) - n_persons
    position = np.arange(len(household_idx)) - np.repeat(starts, n_persons)
    is_child = position >= np.repeat(n_adults, n_persons)
    n = len(household_idx)
    age = np.where(is_child, rng.integers(0, 19, n), rng.integers(18, 80, n))
    is_in_school = is_child & (age >= 16)
    working = ~is_child & (rng.random(n) < 0.5)
    earnings = np.where(working, np.round(rng.lognormal(9.8, 0.6, n), -2), 0.0)
    benefit_kind = np.where(~is_child & ~working, rng.integers(0, 5, n), -1)
    amount = np.round(rng.uniform(3000, 16000, n), -1)
    columns = {
        "household_idx": household_idx,
        "age": age,
        "is_child": is_child,
        "is_in_school": is_in_school,
        "has_preschool_lunch": is_child & (age >= 1) & (age <= 6) & (rng.random(n) < 0.8),
        "receives_underhallsstod": is_child
        & np.repeat(n_adults == 1, n_persons)
        & (rng.random(n) < 0.6),
        "earnings_gross": earnings
        + np.where(is_child & (age >= 16), rng.choice([0.0, 2500.0], n), 0.0),
        "a_kassa": np.where(benefit_kind == 0, amount, 0.0),
        "aktivitetsstod": np.where(benefit_kind == 1, amount * 0.6, 0.0),
        "sjukpenning": np.where(benefit_kind == 2, amount, 0.0),
        "pension": np.where(~is_child & (age >= 66), amount, 0.0),
        "etableringsersattning": np.where(benefit_kind == 3, 6674.0, 0.0),
    }
    persons = persons_from_columns(**columns)
    households = households_from_columns(
        is_cohabiting=n_adults == 2,
        housing_cost=np.round(rng.uniform(3000, 12000, n_households), -1),
        hushallsel=np.full(n_households, 450.0),
        hemforsakring=np.full(n_households, 150.0),
        housing_limit_factor=rng.choice([0.9, 1.0, 1.2], n_households),
        months_on_fs=rng.integers(0, 13, n_households),
        jobbstimulans_months_used=np.where(
            rng.random(n_households) < 0.1, rng.integers(0, 30, n_households), 0
        ),
        takes_up_fs=rng.random(n_households) < 0.7,
    )
    return persons, households
