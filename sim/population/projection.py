"""The population carried from its data year to a later simulated year.

The uprating of the law itself (the factors, the projected law) is :mod:`sim.law.projection`;
this module applies the same factors to the population's incomes and costs, so that a 2024
population stands for the population of 2027 (docs/reforms.md, "Population").
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import polars as pl

from sim.common.errors import SimInputError
from sim.law.assumptions import Assumptions
from sim.law.parameters import default_law
from sim.law.projection import cumulative_factor, housing_limit_uprating, project_law
from sim.population.states import LabourState
from sim.population.tables import Population


def project_population(
    population: Population, year: int, assumptions: Assumptions | None = None
) -> Population:
    """The population carried from its data year to ``year`` (a documented uprating).

    Earnings and the income-related benefits (a-kassa, sjukpenning, föräldrapenning,
    sjukersättning, pension) follow the assumed wage change; housing costs, hushållsel,
    hemförsäkring, the reasonable-housing limits and other tax-free income follow prices. Programme participants aged 25
    or more get at least the aktivitetsstöd grundbelopp of the target year (it rose from
    223 to 365 kr a day on 2025-10-01). States, months and weights are kept: the population
    of the data year stands for the population of the target year. Returns a new
    :class:`sim.population.tables.Population` with ``year`` set to ``year``.
    """
    if year == population.year:
        return population
    if year < population.year:
        raise SimInputError(f"cannot project the {population.year} population back to {year}")
    wage = cumulative_factor("wage", population.year, year, assumptions)
    price = cumulative_factor("price", population.year, year, assumptions)
    law = project_law(default_law(), year, assumptions).resolve(dt.date(year, 1, 1))
    floor = law.aktivitetsstod.grundbelopp_per_day * law.aktivitetsstod.days_per_month
    person_age = population.persons["age"].to_numpy()
    months = population.person_months
    age = person_age[months["person_idx"].to_numpy()]
    benefit = months["benefit"].to_numpy() * wage
    programme = (months["state"].to_numpy() == LabourState.PROGRAMME) & (age >= 25)
    benefit = np.where(programme, np.maximum(benefit, floor), benefit)
    months = months.with_columns(
        (pl.col("earnings_gross") * wage).alias("earnings_gross"),
        pl.Series("benefit", benefit),
        (pl.col("other_tax_free") * price).alias("other_tax_free"),
    )
    # The limits are a table of the assumption year's level times each household's factor:
    # carrying the factor carries the limit (from the data year to ``year``, by prices).
    limit = housing_limit_uprating(year, assumptions) / housing_limit_uprating(
        population.year, assumptions
    )
    households = population.households.with_columns(
        *(
            (pl.col(name) * price).alias(name)
            for name in ("housing_cost", "hushallsel", "hemforsakring")
        ),
        (pl.col("housing_limit_factor") * limit).alias("housing_limit_factor"),
    )
    dwellings = population.dwellings.with_columns(
        (pl.col("housing_cost_total") * price).alias("housing_cost_total")
    )
    return dataclasses.replace(
        population,
        year=year,
        person_months=months,
        households=households,
        dwellings=dwellings,
        household_months=None,
    )
