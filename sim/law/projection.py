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
