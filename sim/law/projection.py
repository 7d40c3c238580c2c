"""From the last year of known law to a later simulated year: uprating as documented rules.

The law files hold amounts up to 2026. A run for 2027 or 2028 needs the law "as it would
be" without any reform: :func:`project_law` adds a dated value for each later year to the
price-indexed amounts (the riksnorm is set from price surveys, SoL 12 kap. 7 §; the
prisbasbelopp follows KPI, SFB 2 kap. 6-7 §§) and to the wage-indexed skiktgräns, using the
assumed price and wage changes of sim/law/assumptions/uprating.yaml, rounded as the law rounds
them. Every function takes the run's ``assumptions`` (default: the packaged ones), so a
scenario's or a sweep's ``uprating.price_change_scale`` reaches the projected law and
population (:meth:`sim.scenarios.scenario.Scenario.law`, :func:`sim.runs.run_scenarios`). Every other amount is nominal in law (barnbidrag, bostadsbidrag caps, underhållsstöd,
aktivitetsstöd, rates) and is carried forward unchanged. Projected values carry evidence
``derived`` and a note saying how they were made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np

from sim.common.errors import SimInputError
from sim.law.assumptions import Assumptions, default_assumptions
from sim.law.parameters import Concept, DatedValue, ParameterTree, Table

#: Parameter path -> (index, rounding in kronor) for amounts that follow prices or wages.
INDEXED = {
    "riksnorm.personal_cost_child": ("price", 10),
    "riksnorm.adult_single": ("price", 10),
    "riksnorm.adults_cohabiting": ("price", 10),
    "riksnorm.common_cost": ("price", 10),
    "riksnorm_modernised.personal_cost_child": ("price", 10),
    "riksnorm_modernised.adult_single": ("price", 10),
    "riksnorm_modernised.adults_cohabiting": ("price", 10),
    "riksnorm_modernised.common_cost": ("price", 10),
    "prisbasbelopp.prisbasbelopp": ("price", 100),
    "inkomstskatt.prisbasbelopp": ("price", 100),
    "inkomstskatt.skiktgrans": ("wage", 100),
}

#: The last year the model projects to.
LAST_YEAR = 2028


def change_factor(kind: str, year: int, assumptions: Assumptions | None = None) -> float:
    """1 + the assumed price or wage change in ``year`` (``kind`` "price" or "wage")."""
    a = (assumptions or default_assumptions()).uprating
    if kind == "price":
        table, scale = a.price_change, a.price_change_scale
    elif kind == "wage":
        table, scale = a.wage_change, 1.0
    else:  # pragma: no cover - programming error
        raise ValueError(kind)
    years = table["year"]
    if not years[0] <= year <= years[-1]:
        raise SimInputError(
            f"no assumed {kind} change for {year} (sim/law/assumptions/uprating.yaml)"
        )
    return 1.0 + scale * float(table.lookup("change", year))


def cumulative_factor(
    kind: str, from_year: int, to_year: int, assumptions: Assumptions | None = None
) -> float:
    """Product of the yearly factors for the years after ``from_year`` up to ``to_year``."""
    factor = 1.0
    for year in range(from_year + 1, to_year + 1):
        factor *= change_factor(kind, year, assumptions)
    return factor


def project_law(
    law: ParameterTree, year: int, assumptions: Assumptions | None = None
) -> ParameterTree:
    """The law with values for every month up to the end of ``year`` (no reforms).

    Years the law already covers are returned unchanged.
    """
    first, last = law.valid_range()
    if year > LAST_YEAR:
        raise SimInputError(f"year {year} is beyond the last projected year {LAST_YEAR}")
    if year <= last.year:
        return law
    concepts: dict[str, Concept] = {}
    for concept in law.concepts.values():
        parameters = dict(concept.parameters)
        for name, parameter in concept.parameters.items():
            if parameter.path not in INDEXED:
                continue
            kind, rounding = INDEXED[parameter.path]
            entries = list(parameter.values)
            for target in range(concept.valid_until.year + 1, year + 1):
                previous = entries[-1]
                factor = change_factor(kind, target, assumptions)
                entries.append(
                    DatedValue(
                        start=dt.date(target, 1, 1),
                        value=_scaled(previous.value, factor, rounding),
                        reference=f"Projected from {previous.start.year} ({previous.reference})",
                        references={
                            "sv": f"Framskrivet från {previous.start.year} "
                            f"({previous.reference_text('sv')})",
                            "en": f"Projected from {previous.start.year} ({previous.reference})",
                        },
                        url=previous.url,
                        evidence="derived",
                        note=(
                            f"{previous.start.year} value × {factor:.4f} (assumed {kind} change, "
                            f"sim/law/assumptions/uprating.yaml), rounded to {rounding} kr"
                        ),
                    )
                )
            parameters[name] = dataclasses.replace(parameter, values=tuple(entries))
        concepts[concept.name] = dataclasses.replace(
            concept,
            parameters=parameters,
            valid_until=max(concept.valid_until, dt.date(year, 12, 31)),
        )
    return ParameterTree(concepts)


def _scaled(value: float | Table, factor: float, rounding: int) -> float | Table:
    if isinstance(value, Table):
        columns = {
            name: column if name == value.key else _round(column * factor, rounding)
            for name, column in value.columns.items()
        }
        return Table(value.key, columns)
    return float(_round(value * factor, rounding))


def _round(x: float | np.ndarray, rounding: int) -> np.ndarray:
    return np.round(np.asarray(x, dtype=float) / rounding) * rounding


#: The year whose price level the housing-limit assumption table states.
HOUSING_LIMIT_YEAR = 2024


def housing_limit_uprating(year: int, assumptions: Assumptions | None = None) -> float:
    """Factor carrying the reasonable-housing table (2024 level) to ``year`` by prices.

    Municipalities revise their "högsta godtagbara boendekostnad" with rents; prices stand
    in for rents here, as for the housing costs themselves.
    """
    if year <= HOUSING_LIMIT_YEAR:
        return 1.0
    return cumulative_factor("price", HOUSING_LIMIT_YEAR, year, assumptions)


def project_population(population: Any, year: int, assumptions: Assumptions | None = None) -> Any:
    """The population carried from its data year to ``year`` (a documented uprating).

    Earnings and the income-related benefits (a-kassa, sjukpenning, föräldrapenning,
    sjukersättning, pension) follow the assumed wage change; housing costs, hushållsel,
    hemförsäkring, the reasonable-housing limits and other tax-free income follow prices. Programme participants aged 25
    or more get at least the aktivitetsstöd grundbelopp of the target year (it rose from
    223 to 365 kr a day on 2025-10-01). States, months and weights are kept: the population
    of the data year stands for the population of the target year. Returns a new
    :class:`sim.population.tables.Population` with ``year`` set to ``year``.
    """
    import polars as pl

    from sim.law.parameters import default_law
    from sim.population.states import LabourState

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
