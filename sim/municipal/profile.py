"""A municipality's own profile: read it, check it, and re-weight the population to it.

A profile (YAML, Swedish keys; ``scenarios/kommuner/exempelkommun.yaml`` is a documented,
made-up example) holds what a municipality knows about itself:

======================================  =================================================
key                                     meaning
======================================  =================================================
``namn``                                the municipality's name
``invanare``                            inhabitants
``bistandshushall``                     households with ekonomiskt bistånd in the
                                        population's data year ("last year")
``utbetalt_bistand_kr``                 ekonomiskt bistånd paid that year, SEK
``andel_utrikes_fodda``                 share of the inhabitants born abroad
``hogsta_godtagbara_boendekostnad_kr``  the municipality's högsta godtagbara
                                        boendekostnad for one person, SEK/month, at the
                                        data year's level
``aktivitetsplatser``                   full-time activity places it can offer
``aktivitet_kostnad_per_timme_kr``      its cost of one activity hour
``forskola_kostnad_per_timme_kr``       its cost of one förskola hour
``fritidshem_kostnad_per_timme_kr``     its cost of one fritidshem hour
``handlaggare``                         caseworkers for ekonomiskt bistånd (full time)
``arenden_per_handlaggare``             cases per caseworker today
``kommungrupp`` (optional)              ``storstad``, ``större stad`` or ``mindre ort``:
                                        only dwellings of that SKR main group are used
``exempel`` (optional)                  ``true`` for a made-up profile (shown in reports)
======================================  =================================================

:func:`reweight_to_profile` keeps every household of the national synthetic population
(of the group, if given) and finds new weights by bounded logit calibration
(:func:`sim.population.calibration.calibrate`, weights within :data:`WEIGHT_BOUNDS` of the
national weights scaled to the inhabitants) such that the weighted inhabitants, recipient
households and FS paid of the data year, and persons born abroad, equal the profile's.
Every household's housing limit becomes the profile's (the one-person limit relative to
the national table's). The national weights are kept (column ``national_weight``) so the
poverty line stays the national one and the state funding is shared by the national key.
The profile's own costs per hour become the run's assumption values.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from sim.common.errors import SimInputError
from sim.common.yamlio import LineDict, load_yaml
from sim.law.parameters import closest_hint, is_number

__all__ = [
    "EXAMPLE_PROFILE",
    "KommunProfile",
    "load_profile",
    "reweight_to_profile",
    "WEIGHT_BOUNDS",
]

#: The made-up example profile that ships with the project.
EXAMPLE_PROFILE = Path(__file__).resolve().parents[2] / "data" / "kommuner" / "exempelkommun.yaml"

#: Final weights within these multiples of the national weights scaled to the profile.
WEIGHT_BOUNDS = (0.05, 20.0)

#: Municipality group names accepted in profiles -> MunicipalityGroup value.
GROUPS = {"storstad": 0, "större stad": 1, "mindre ort": 2}

#: Required numeric fields: key -> (kind, description) with kind "count", "sek" or "share".
FIELDS: dict[str, tuple[str, str]] = {
    "invanare": ("count", "inhabitants"),
    "bistandshushall": ("count", "households with ekonomiskt bistånd in the data year"),
    "utbetalt_bistand_kr": ("sek", "ekonomiskt bistånd paid in the data year, SEK"),
    "andel_utrikes_fodda": ("share", "share of inhabitants born abroad"),
    "hogsta_godtagbara_boendekostnad_kr": (
        "sek",
        "högsta godtagbara boendekostnad for one person, SEK/month",
    ),
    "aktivitetsplatser": ("count", "full-time activity places available"),
    "aktivitet_kostnad_per_timme_kr": ("sek", "cost of one activity hour, SEK"),
    "forskola_kostnad_per_timme_kr": ("sek", "cost of one förskola hour, SEK"),
    "fritidshem_kostnad_per_timme_kr": ("sek", "cost of one fritidshem hour, SEK"),
    "handlaggare": ("count", "full-time caseworkers for ekonomiskt bistånd"),
    "arenden_per_handlaggare": ("count", "cases per caseworker"),
}
OPTIONAL = {"kommungrupp", "exempel", "beskrivning"}


@dataclasses.dataclass(frozen=True)
class KommunProfile:
    """A municipality's profile (see the module docstring for the fields).

    A profile built from official data (:func:`sim.municipal.official.official_profile`) has
    ``kommunkod``, ``lan``, ``kommungrupp_skr`` and ``manadshushall`` (the mean monthly
    caseload of the data year) and leaves what only the kommun knows as ``None``: the
    re-weighting then uses only the figures given, and the results leave out the rows
    that need the missing ones.
    """

    namn: str
    invanare: float
    bistandshushall: float | None = None
    utbetalt_bistand_kr: float | None = None
    andel_utrikes_fodda: float | None = None
    hogsta_godtagbara_boendekostnad_kr: float | None = None
    aktivitetsplatser: float | None = None
    aktivitet_kostnad_per_timme_kr: float | None = None
    forskola_kostnad_per_timme_kr: float | None = None
    fritidshem_kostnad_per_timme_kr: float | None = None
    handlaggare: float | None = None
    arenden_per_handlaggare: float | None = None
    kommungrupp: str | None = None
    exempel: bool = False
    beskrivning: str = ""
    source_file: str = ""
    kommunkod: str | None = None
    lan: str | None = None
    kommungrupp_skr: str | None = None
    manadshushall: float | None = None
    kallor: tuple[str, ...] = ()

    def assumption_values(self, full_time_hours_week: float) -> dict[str, float]:
        """The profile's own costs as assumption values of the run (those it gives)."""
        from sim.simulation.delivery import WEEKS_PER_MONTH

        values = {
            "aktivitetskrav.cost_per_place_month": None
            if self.aktivitet_kostnad_per_timme_kr is None
            else self.aktivitet_kostnad_per_timme_kr * full_time_hours_week * WEEKS_PER_MONTH,
            "aktivitetskrav.preschool_cost_per_hour": self.forskola_kostnad_per_timme_kr,
            "aktivitetskrav.fritidshem_cost_per_hour": self.fritidshem_kostnad_per_timme_kr,
        }
        return {key: value for key, value in values.items() if value is not None}

    def record(self) -> dict[str, Any]:
        """The profile as a plain dict (for manifests)."""
        record = dataclasses.asdict(self)
        record["kallor"] = list(self.kallor)
        return record


def load_profile(path: str | Path, *, sweden: Mapping[str, float] | None = None) -> KommunProfile:
    """Read and check a profile; every error is one line naming the file (and line).

    ``sweden``: national totals to check the municipality is not larger than the country
    (keys ``invanare``, ``bistandshushall``, ``utbetalt_bistand_kr``).
    """
    path = Path(path)
    if not path.is_file():
        raise SimInputError(f"{path}: no such profile file")
    data = load_yaml(path)
    file = str(path)
    if not isinstance(data, LineDict):
        raise SimInputError(f"{file}: a profile is a mapping of keys to values")
    known = {"namn", *FIELDS, *OPTIONAL}
    for key in data:
        if key not in known:
            raise SimInputError(
                f"{file}:{data.line_of(key)}: unknown key {key!r}{closest_hint(str(key), known)}"
            )
    missing = [key for key in ("namn", *FIELDS) if key not in data]
    if missing:
        raise SimInputError(f"{file}: missing {', '.join(missing)}")
    name = data["namn"]
    if not isinstance(name, str) or not name.strip():
        raise SimInputError(f"{file}:{data.line_of('namn')}: namn must be a non-empty text")
    values: dict[str, float] = {}
    for key, (kind, what) in FIELDS.items():
        value = data[key]
        where = f"{file}:{data.line_of(key)}: {key}"
        if not is_number(value) or not math.isfinite(float(value)):
            raise SimInputError(f"{where} ({what}) must be a number, not {value!r}")
        value = float(value)
        if value < 0:
            raise SimInputError(f"{where} ({what}) must not be negative, not {value:g}")
        if kind == "share" and value > 1:
            raise SimInputError(f"{where} ({what}) is a share between 0 and 1, not {value:g}")
        values[key] = value
    for key in ("invanare", "hogsta_godtagbara_boendekostnad_kr", "arenden_per_handlaggare"):
        if values[key] <= 0:
            raise SimInputError(f"{file}:{data.line_of(key)}: {key} must be positive")
    if values["bistandshushall"] > values["invanare"]:
        raise SimInputError(
            f"{file}:{data.line_of('bistandshushall')}: bistandshushall "
            f"({values['bistandshushall']:g}) exceeds invanare ({values['invanare']:g})"
        )
    if (values["bistandshushall"] == 0) != (values["utbetalt_bistand_kr"] == 0):
        raise SimInputError(
            f"{file}:{data.line_of('utbetalt_bistand_kr')}: bistandshushall and "
            "utbetalt_bistand_kr must be both zero or both positive"
        )
    for key, national in (sweden or {}).items():
        if values[key] > national:
            raise SimInputError(
                f"{file}:{data.line_of(key)}: {key} = {values[key]:,.0f} is more than the "
                f"whole of Sweden in the population ({national:,.0f})".replace(",", " ")
            )
    group = data.get("kommungrupp")
    if group is not None and group not in GROUPS:
        raise SimInputError(
            f"{file}:{data.line_of('kommungrupp')}: kommungrupp {group!r} is not one of "
            f"{', '.join(GROUPS)}{closest_hint(str(group), GROUPS)}"
        )
    example = data.get("exempel", False)
    if not isinstance(example, bool):
        raise SimInputError(f"{file}:{data.line_of('exempel')}: exempel is true or false")
    return KommunProfile(
        namn=name.strip(),
        kommungrupp=group,
        exempel=example,
        beskrivning=str(data.get("beskrivning", "")).strip(),
        source_file=str(path),
        **values,
    )


def sweden_totals(population: Any) -> dict[str, float]:
    """The population's national inhabitants, recipient households and FS paid (data year)."""
    weights = population.dwellings["weight"].to_numpy()
    columns = profile_margins(population)
    return {
        key: float(weights @ columns[key])
        for key in ("invanare", "bistandshushall", "utbetalt_bistand_kr")
    }


def profile_margins(population: Any) -> dict[str, np.ndarray]:
    """Per dwelling: inhabitants, recipient households and FS paid of the data year,
    persons born abroad and households with FS in the mean month of the data year (the
    quantities a profile fixes)."""
    from sim.population.geography import dwelling_totals
    from sim.population.monthly import fs_months

    totals = dwelling_totals(population)
    return {
        "invanare": totals["inhabitants"],
        "bistandshushall": totals["recipients"],
        "utbetalt_bistand_kr": totals["fs_paid"],
        "utrikes_fodda": np.bincount(
            population.persons["dwelling_idx"].to_numpy(),
            weights=population.persons["is_born_abroad"].to_numpy().astype(float),
            minlength=population.dwellings.height,
        ),
        "manadshushall": fs_months(population).mean(axis=1),
    }


def reweight_to_profile(population: Any, profile: KommunProfile) -> Any:
    """The population re-weighted to the profile (see the module docstring)."""
    from sim.law.assumptions import default_assumptions
    from sim.population.calibration import Margin, calibrate

    if population.household_months is None:
        raise SimInputError(
            "the population has no months of receipt; build it with `sim population`"
        )
    national = population.dwellings["weight"].to_numpy()
    keep = np.ones(national.size, dtype=bool)
    if profile.kommungrupp_skr is not None:
        from sim.population.geography import group_of_dwellings
        from sim.population.kommuner import KOMMUNGRUPPER

        keep = group_of_dwellings(population) == KOMMUNGRUPPER.index(profile.kommungrupp_skr)
    elif profile.kommungrupp is not None:
        keep = population.dwellings["municipality_group"].to_numpy() == GROUPS[profile.kommungrupp]
    columns = profile_margins(population)
    share_abroad = profile.andel_utrikes_fodda
    targets = {
        "invanare": profile.invanare,
        "bistandshushall": profile.bistandshushall,
        "utbetalt_bistand_kr": profile.utbetalt_bistand_kr,
        "utrikes_fodda": None if share_abroad is None else share_abroad * profile.invanare,
        "manadshushall": profile.manadshushall,
    }
    base = national[keep] * profile.invanare / (national[keep] * columns["invanare"][keep]).sum()
    margins = [
        Margin(key, columns[key][keep], value, f"profile {profile.namn}")
        for key, value in targets.items()
        if value is not None
    ]
    try:
        result = calibrate(base, margins, bounds=WEIGHT_BOUNDS)
    except SimInputError as error:
        raise SimInputError(
            f"{profile.source_file}: the population cannot be re-weighted to this profile ({error})"
        ) from None
    weights = np.zeros(national.size)
    weights[keep] = result.weights
    reweighted = population.with_weights(weights)
    households = reweighted.households
    if profile.hogsta_godtagbara_boendekostnad_kr is not None:
        table = default_assumptions().skaliga_kostnader.housing_limit
        one_person = float(table.lookup("limit", np.array([1]))[0])
        factor = profile.hogsta_godtagbara_boendekostnad_kr / one_person
        households = households.with_columns(pl.lit(factor).alias("housing_limit_factor"))
    dwellings = reweighted.dwellings.with_columns(pl.Series("national_weight", national))
    return dataclasses.replace(reweighted, households=households, dwellings=dwellings)
