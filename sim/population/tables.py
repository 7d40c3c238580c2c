"""The synthetic population's tables: :class:`Population` and the codes of its columns.

A :class:`Population` holds the tables :func:`sim.population.generator.generate` draws and
:func:`sim.population.build.build_population` writes (dwellings, biståndshushåll, persons,
their months), reads and writes them as parquet, and turns a month into the engine's inputs
(:meth:`Population.month_inputs`). The codes of its columns (:class:`DwellingType`,
:class:`MunicipalityGroup`, :class:`UnitRole`), the months it stores (:data:`MONTHS`) and
the frame's population counts live here too, so that every module that reads a population
imports this one and none imports the generator.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
from pathlib import Path

import numpy as np
import polars as pl

from sim.common.errors import SimInputError
from sim.engine.entities import Households, Persons, households_from_columns, persons_from_columns
from sim.population.incomes import BENEFIT_FIELD
from sim.population.states import LabourState

#: Years the generator supports (incomes and targets are aligned to these years).
SUPPORTED_YEARS = (2024,)


#: Months simulated before January to carry ``months_on_fs`` into the year (months -5..0).
LEAD_IN_MONTHS = 6


#: Months discarded before the lead-in so that states and durations settle.
BURN_IN_MONTHS = 36


#: All stored months: -5 .. 12 (1..12 are the calendar year).
MONTHS = tuple(range(1 - LEAD_IN_MONTHS, 13))


#: Months of history before the lead-in (months -5-HISTORY_MONTHS .. -6), with incomes,
#: through which :func:`sim.population.receipt.simulate_receipt` runs the engine and the
#: take-up model so that January starts from the spells a steady year has (without them
#: nobody is on FS at month -5 and the stock of spells builds up all year; docs/population.md,
#: "A stationary year"). Generated and used, never written: the stored population keeps
#: months -5..12 and the take-up state reached at month -5.
HISTORY_MONTHS = 60


#: The months :func:`generate` returns: the history, then :data:`MONTHS`.
GENERATED_MONTHS = tuple(range(MONTHS[0] - HISTORY_MONTHS, 13))


#: The engine inputs a state's benefit can feed, and each state's row among them (the row
#: after the last for a state whose benefit feeds none).
_BENEFIT_FIELDS = tuple(sorted({field for field in BENEFIT_FIELD.values() if field is not None}))


_FIELD_ROW_OF_STATE = np.array(
    [
        len(_BENEFIT_FIELDS) if field is None else _BENEFIT_FIELDS.index(field)
        for field in (BENEFIT_FIELD[LabourState(value)] for value in range(len(LabourState)))
    ],
    dtype=np.intp,
)


class DwellingType(enum.IntEnum):
    """SCB's household types of bostadshushåll (targets ``scb_hh_*``)."""

    SINGLE_NO_CHILDREN = 0
    SINGLE_CHILDREN_0_24 = 1
    SINGLE_CHILDREN_25PLUS = 2
    COUPLE_NO_CHILDREN = 3
    COUPLE_CHILDREN_0_24 = 4
    COUPLE_CHILDREN_25PLUS = 5
    OTHER_NO_CHILDREN = 6
    OTHER_CHILDREN_0_24 = 7


#: Target id of each dwelling type in targets.csv.
DWELLING_TARGET_IDS = (
    "scb_hh_single_no_children",
    "scb_hh_single_children_0_24",
    "scb_hh_single_children_25plus",
    "scb_hh_couple_no_children",
    "scb_hh_couple_children_0_24",
    "scb_hh_couple_children_25plus",
    "scb_hh_other_no_children",
    "scb_hh_other_children_0_24",
)


#: SCB bostadshushåll by type, 2021 (targets.csv); the sampling frame's shares.
DWELLING_COUNTS_2021 = np.array(
    [1_967_551, 286_979, 57_760, 1_156_177, 991_663, 65_694, 172_136, 125_283], dtype=float
)


#: Folkmängd 31 Dec 2021 and 31 Dec 2024 (SCB befolkningsstatistik), for alignment.
POPULATION_2021 = 10_452_326


POPULATION_2024 = 10_587_710


class MunicipalityGroup(enum.IntEnum):
    """SKR's three main municipality groups (kommungruppsindelning 2023)."""

    STORSTAD = 0  # A: storstäder och storstadsnära kommuner
    STORRE_STAD = 1  # B: större städer och kommuner nära större stad
    MINDRE_ORT = 2  # C: mindre städer/tätorter och landsbygdskommuner


class UnitRole(enum.IntEnum):
    """A biståndshushåll's place in its dwelling."""

    MAIN = 0
    ADULT_CHILD = 1
    OTHER_ADULT = 2


@dataclasses.dataclass(frozen=True)
class Population:
    """A synthetic population for one year.

    Attributes:
        year: the calendar year simulated.
        dwellings: one row per bostadshushåll: ``dwelling_idx``, ``dwelling_type``
            (:class:`DwellingType`), ``disadvantage``, ``stratum``, ``municipality_group``
            (:class:`MunicipalityGroup`), ``kommun`` (index into
            :func:`sim.population.kommuner.kommun_table`), ``lan`` (index into
            :func:`sim.population.geography.lan_table`, the kommun's), ``kommungrupp``
            (index into :data:`sim.population.kommuner.KOMMUNGRUPPER`), ``is_owner``, ``housing_cost_total``,
            ``design_weight``, ``weight``.
        households: one row per biståndshushåll (the engine's household): ``dwelling_idx``,
            ``unit_role`` (:class:`UnitRole`), ``is_cohabiting``, ``housing_cost``,
            ``hushallsel``, ``hemforsakring``, ``housing_limit_factor``,
            ``takeup_propensity`` (a persistent uniform draw used by the take-up model),
            ``liquid_assets_sek`` (savings at the start of the lead-in that the unit uses
            before it applies for försörjningsstöd),
            ``weight`` (the dwelling's).
        persons: one row per person: ``household_idx``, ``dwelling_idx``, ``age`` (on 1
            January), ``birth_month``, ``is_female``, ``is_child``, ``is_born_abroad``,
            ``is_in_school``, ``has_preschool_lunch``, ``receives_underhallsstod``,
            ``is_akassa_member``, ``commute_sek_month``, ``weight``.
        person_months: adults only, month-major (all adults for month -5, then -4, ...):
            ``person_idx``, ``month``, ``state`` (:class:`LabourState`), ``duration``
            (months already in the state), ``earnings_gross``, ``benefit``,
            ``other_tax_free`` (SEK/month). Months -5..0 are the lead-in before January.
        household_months: after :func:`sim.population.receipt.simulate_receipt`: per
            household and month 1..12, ``takes_up_fs``, ``fs_entitlement``,
            ``forsorjningsstod``, ``months_on_fs``, ``disposable_income``; else ``None``.
    """

    year: int
    dwellings: pl.DataFrame
    households: pl.DataFrame
    persons: pl.DataFrame
    person_months: pl.DataFrame
    household_months: pl.DataFrame | None = None

    @property
    def n_households(self) -> int:
        return self.households.height

    @functools.cached_property
    def _adult_idx(self) -> np.ndarray:
        return np.flatnonzero(~self.persons["is_child"].to_numpy())

    @functools.cached_property
    def _static(self) -> dict[str, np.ndarray]:
        p, h = self.persons, self.households
        return {
            "household_idx": p["household_idx"].to_numpy(),
            "age": p["age"].to_numpy(),
            "birth_month": p["birth_month"].to_numpy(),
            "is_child": p["is_child"].to_numpy(),
            "is_in_school": p["is_in_school"].to_numpy(),
            "has_preschool_lunch": p["has_preschool_lunch"].to_numpy(),
            "receives_underhallsstod": p["receives_underhallsstod"].to_numpy(),
            "is_cohabiting": h["is_cohabiting"].to_numpy(),
            "housing_cost": h["housing_cost"].to_numpy(),
            "hushallsel": h["hushallsel"].to_numpy(),
            "hemforsakring": h["hemforsakring"].to_numpy(),
            "housing_limit_factor": h["housing_limit_factor"].to_numpy(),
            # The adults' rows of what every month reads for them (as month_slice's rows).
            "adult_household_idx": p["household_idx"].to_numpy()[self._adult_idx],
            "adult_commute": p["commute_sek_month"].to_numpy()[self._adult_idx],
            "adult_is_akassa_member": p["is_akassa_member"].to_numpy()[self._adult_idx],
        }

    @functools.cached_property
    def months(self) -> tuple[int, ...]:
        """The months of :attr:`person_months`: :data:`MONTHS` (-5..12) for a stored
        population, :data:`GENERATED_MONTHS` (with the history) straight from
        :func:`generate`."""
        n_months = self.person_months.height // max(self._adult_idx.size, 1)
        return tuple(range(13 - n_months, 13))

    def month_slice(self, month: int) -> dict[str, np.ndarray]:
        """The adults' state and incomes in ``month`` (-5..12, or a history month before
        -5 where the population has them), aligned to adults."""
        months = self.months
        if month not in months:
            raise SimInputError(f"month {month} is outside {months[0]}..{months[-1]}")
        i = month - months[0]
        return {name: columns[i] for name, columns in self._month_columns.items()}

    @functools.cached_property
    def _month_columns(self) -> dict[str, np.ndarray]:
        """The person-month columns as (month, adult) arrays, converted once per population
        (every scenario of a run reads every month)."""
        n = self._adult_idx.size
        return {
            name: self.person_months[name].to_numpy().reshape(len(self.months), n)
            for name in ("state", "duration", "earnings_gross", "benefit", "other_tax_free")
        }

    def without_history(self) -> Population:
        """The population with the person-months of :data:`MONTHS` only (the history
        months before -5 dropped, as written)."""
        if self.months == MONTHS:
            return self
        kept = self.person_months.filter(pl.col("month") >= MONTHS[0])
        return dataclasses.replace(self, person_months=kept)

    def month_inputs(
        self,
        month: int,
        months_on_fs: np.ndarray,
        *,
        takes_up_fs: np.ndarray | None = None,
        jobbstimulans_months_used: np.ndarray | None = None,
    ) -> tuple[Persons, Households]:
        """The engine's inputs for ``month`` (1..12; -5..0 are the lead-in months).

        Args:
            month: the month.
            months_on_fs: consecutive months with försörjningsstöd before this month, per
                household (carried by the caller from month to month).
            takes_up_fs: per household; default: the stored take-up decision of the month
                when :attr:`household_months` exists, else ``True``.
            jobbstimulans_months_used: per household; default zeros.

        Ages advance in the birth month (``age`` is the age on 1 January; lead-in months
        use it unchanged). Children's status (``is_child``) is fixed for the year.
        """
        s = self._static
        m = self.month_slice(month)
        n_persons = s["age"].size
        n_households = self.n_households
        # As float64, the engine's type (whole numbers: the same values as in integers).
        age = s["age"] + ((month >= 1) & (month > s["birth_month"])).astype(np.float64)
        adults = self._adult_idx
        # One row per benefit field (and a last one for states whose benefit feeds none):
        # each adult's benefit lands in its state's row in one scatter.
        rows = np.zeros((len(_BENEFIT_FIELDS) + 1, n_persons))
        # By flat index: numpy's scatter by a pair of index arrays is twice as slow.
        rows.reshape(-1)[_FIELD_ROW_OF_STATE[m["state"]] * n_persons + adults] = m["benefit"]
        columns = {name: rows[i] for i, name in enumerate(_BENEFIT_FIELDS)}
        earnings = np.zeros(n_persons)
        earnings[adults] = m["earnings_gross"]
        other_tax_free = np.zeros(n_persons)
        other_tax_free[adults] = m["other_tax_free"]
        persons = persons_from_columns(
            household_idx=s["household_idx"],
            age=age,
            is_child=s["is_child"],
            is_in_school=s["is_in_school"],
            has_preschool_lunch=s["has_preschool_lunch"] & (age <= 6),
            receives_underhallsstod=s["receives_underhallsstod"],
            earnings_gross=earnings,
            other_tax_free=other_tax_free,
            **columns,
        )
        idx_adults = s["adult_household_idx"]
        employed = m["state"] == LabourState.EMPLOYED
        arbetsresor = np.bincount(
            idx_adults,
            weights=np.where(employed, s["adult_commute"], 0.0),
            minlength=n_households,
        )
        paying = s["adult_is_akassa_member"] & (
            employed | (m["state"] == LabourState.UNEMPLOYED_AKASSA)
        )
        fack_akassa = np.bincount(idx_adults, weights=paying * AKASSA_FEE, minlength=n_households)
        if takes_up_fs is None:
            if self.household_months is not None and month >= 1:
                takes_up_fs = self.household_months_array("takes_up_fs")[:, month - 1]
            else:
                takes_up_fs = np.ones(n_households, dtype=bool)
        if jobbstimulans_months_used is None:
            jobbstimulans_months_used = np.zeros(n_households)
        households = households_from_columns(
            is_cohabiting=s["is_cohabiting"],
            housing_cost=s["housing_cost"],
            hushallsel=s["hushallsel"],
            hemforsakring=s["hemforsakring"],
            arbetsresor=arbetsresor,
            fack_akassa=fack_akassa,
            housing_limit_factor=s["housing_limit_factor"],
            months_on_fs=months_on_fs,
            jobbstimulans_months_used=jobbstimulans_months_used,
            takes_up_fs=takes_up_fs,
        )
        return persons, households

    def household_months_array(self, column: str) -> np.ndarray:
        """A column of :attr:`household_months` as ``(n_households, 12)``."""
        if self.household_months is None:
            raise SimInputError("the population has no simulated months of försörjningsstöd")
        values = self.household_months[column].to_numpy()
        return values.reshape(12, self.n_households).T

    def with_weights(self, dwelling_weights: np.ndarray) -> Population:
        """A copy with new dwelling weights propagated to households and persons."""
        w = np.asarray(dwelling_weights, dtype=np.float64)
        dwellings = self.dwellings.with_columns(pl.Series("weight", w))
        households = self.households.with_columns(
            pl.Series("weight", w[self.households["dwelling_idx"].to_numpy()])
        )
        persons = self.persons.with_columns(
            pl.Series("weight", w[self.persons["dwelling_idx"].to_numpy()])
        )
        return dataclasses.replace(
            self, dwellings=dwellings, households=households, persons=persons
        )

    # ---------------------------------------------------------------------------------
    # Parquet

    TABLES = ("dwellings", "households", "persons", "person_months", "household_months")

    def write(self, directory: str | Path) -> list[Path]:
        """Write every table as ``<name>.parquet`` (deterministic bytes); return the paths."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in self.TABLES:
            table = getattr(self, name)
            if table is None:
                continue
            path = directory / f"{name}.parquet"
            table.write_parquet(path, compression="zstd", statistics=False)
            paths.append(path)
        (directory / "year.txt").write_text(f"{self.year}\n")
        paths.append(directory / "year.txt")
        return paths

    @classmethod
    def read(cls, directory: str | Path) -> Population:
        """Read a population written by :meth:`write`."""
        directory = Path(directory)
        try:
            year = int((directory / "year.txt").read_text().strip())
            tables = {}
            for name in cls.TABLES:
                path = directory / f"{name}.parquet"
                if name == "household_months" and not path.exists():
                    tables[name] = None
                    continue
                tables[name] = pl.read_parquet(path)
        except (OSError, ValueError) as exc:
            raise SimInputError(f"{directory}: not a readable population ({exc})") from None
        return cls(year=year, **tables)


#: A-kassa and union fee of a member, SEK/month (about 150 kr a-kassa + 250 kr union).
AKASSA_FEE = 300.0
