"""The engine's inputs for one month: persons and households as aligned numpy arrays.

Two entities, one integer index: every person carries ``household_idx`` into the household
arrays. A household here is a *biståndshushåll* (SoL 12 kap.): one or two adults (two only
if they are married or sambo) and their hemmavarande children and school-age youths under
21. Money is float64 SEK per month, gross of tax unless the name says otherwise.

This module is the data dictionary of the engine: every field is documented here and
:func:`validate` checks an input before the engine sees it.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from sim.common.errors import SimInputError

#: Largest household the engine accepts (a guard against typos such as 200 children).
MAX_PERSONS_PER_HOUSEHOLD = 20
#: Oldest age accepted.
MAX_AGE = 110


@dataclasses.dataclass(frozen=True)
class Persons:
    """Person-level inputs for one month (all arrays of equal length, one row a person).

    Attributes:
        household_idx: index into :class:`Households` (int).
        age: age in whole years on the first of the month.
        is_child: hemmavarande barn, or hemmavarande skolungdom under 21 (SoL 12 kap. 9 §);
            everyone else is an adult of the biståndshushåll.
        is_in_school: for children 16-20: in grundskola/gymnasieskola (förlängt barnbidrag
            or studiebidrag; required to count as skolungdom at 19-20).
        has_preschool_lunch: child 0-6 eats lunch in förskola five days a week (riksnorm
            "utan lunch").
        receives_underhallsstod: child for whom underhållsstöd is paid (single parent,
            other parent not paying underhållsbidrag; SFB 18 kap.).
        earnings_gross: income from employment (lön), SEK/month before tax.
        earnings_year_to_date: a child's own earnings earlier in the calendar year (for the
            prisbasbelopp limit of SoL 12 kap. 9 §).
        a_kassa: arbetslöshetsersättning, taxable.
        aktivitetsstod: aktivitetsstöd or utvecklingsersättning, taxable.
        sjukpenning: sjukpenning, taxable.
        sjukersattning: sjukersättning or aktivitetsersättning, taxable.
        foraldrapenning: föräldrapenning, taxable.
        pension: ålderspension incl. garantipension, taxable.
        etableringsersattning: etableringsersättning and -tillägg, tax free.
        other_taxable: other taxable income, SEK/month.
        other_tax_free: other tax-free income counted by FS (e.g. underhållsbidrag paid by
            the other parent), SEK/month.
    """

    household_idx: np.ndarray
    age: np.ndarray
    is_child: np.ndarray
    is_in_school: np.ndarray
    has_preschool_lunch: np.ndarray
    receives_underhallsstod: np.ndarray
    earnings_gross: np.ndarray
    earnings_year_to_date: np.ndarray
    a_kassa: np.ndarray
    aktivitetsstod: np.ndarray
    sjukpenning: np.ndarray
    sjukersattning: np.ndarray
    foraldrapenning: np.ndarray
    pension: np.ndarray
    etableringsersattning: np.ndarray
    other_taxable: np.ndarray
    other_tax_free: np.ndarray

    @property
    def n(self) -> int:
        return len(self.household_idx)


#: The persons' taxable transfers other than earnings, in the order they are added.
TAXABLE_BENEFITS = (
    "a_kassa",
    "aktivitetsstod",
    "sjukpenning",
    "sjukersattning",
    "foraldrapenning",
    "pension",
    "other_taxable",
)
#: The persons' tax-free income, in the order it is added.
TAX_FREE = ("etableringsersattning", "other_tax_free")


@dataclasses.dataclass(frozen=True)
class Households:
    """Household-level inputs for one month (one row a biståndshushåll).

    Attributes:
        is_cohabiting: the two adults are married or sambo (riksnorm "sambo").
        housing_cost: boendekostnad (rent or avgift), SEK/month.
        hushallsel: household electricity, SEK/month.
        hemforsakring: home insurance, SEK/month.
        arbetsresor: work travel, SEK/month.
        fack_akassa: trade-union and a-kassa fees, SEK/month.
        housing_limit_factor: the municipality's reasonable-housing level relative to the
            national assumption table (1.0 = the table; see sim/assumptions).
        norm_topup: amount the municipality grants above the riksnorm for särskilda skäl
            (SoL 12 kap. 7 § tredje stycket), SEK/month; 0 for most households.
        months_on_fs: consecutive months with försörjningsstöd before this month.
        jobbstimulans_months_used: months the jobbstimulans rule has already applied in
            the current two-year period (SoL 12 kap. 8 §).
        takes_up_fs: the household applies for the försörjningsstöd it is entitled to.
    """

    is_cohabiting: np.ndarray
    housing_cost: np.ndarray
    hushallsel: np.ndarray
    hemforsakring: np.ndarray
    arbetsresor: np.ndarray
    fack_akassa: np.ndarray
    housing_limit_factor: np.ndarray
    norm_topup: np.ndarray
    months_on_fs: np.ndarray
    jobbstimulans_months_used: np.ndarray
    takes_up_fs: np.ndarray

    @property
    def n(self) -> int:
        return len(self.is_cohabiting)


_PERSON_BOOLS = ("is_child", "is_in_school", "has_preschool_lunch", "receives_underhallsstod")
_HOUSEHOLD_BOOLS = ("is_cohabiting", "takes_up_fs")


def persons_from_columns(**columns: object) -> Persons:
    """Build :class:`Persons` from array-likes, filling absent money columns with zeros."""
    return _build(
        Persons, columns, bools=_PERSON_BOOLS, required=("household_idx", "age", "is_child")
    )


def households_from_columns(**columns: object) -> Households:
    """Build :class:`Households` from array-likes; absent fields get neutral defaults."""
    defaults = {"housing_limit_factor": 1.0, "takes_up_fs": True}
    return _build(
        Households, columns, bools=_HOUSEHOLD_BOOLS, required=("is_cohabiting",), defaults=defaults
    )


def _build(cls, columns, *, bools, required, defaults=None):
    defaults = defaults or {}
    fields = [f.name for f in dataclasses.fields(cls)]
    unknown = sorted(set(columns) - set(fields))
    if unknown:
        raise SimInputError(f"unknown {cls.__name__} field(s): {', '.join(unknown)}")
    missing = [name for name in required if name not in columns]
    if missing:
        raise SimInputError(f"missing {cls.__name__} field(s): {', '.join(missing)}")
    n = len(np.asarray(columns[required[0]]))
    arrays = {}
    for name in fields:
        if name in columns:
            value = np.asarray(columns[name])
        else:  # in the field's type already (no conversion below)
            value = np.full(n, defaults.get(name, 0), dtype=bool if name in bools else np.float64)
        if name in bools:
            arrays[name] = value.astype(bool, copy=False)
        elif name in ("household_idx",):
            arrays[name] = value.astype(np.int64, copy=False)
        else:
            arrays[name] = value.astype(np.float64, copy=False)
        if arrays[name].shape != (n,):
            raise SimInputError(
                f"{cls.__name__}.{name} has shape {arrays[name].shape}, expected ({n},)"
            )
    return cls(**arrays)


def households_persons(persons: Persons, n_households: int, rows: np.ndarray) -> np.ndarray:
    """The rows (ascending) of the persons of the households at ``rows``.

    >>> persons = persons_from_columns(household_idx=[0, 1, 1, 2], age=[30, 40, 5, 50],
    ...     is_child=[False, False, True, False])
    >>> households_persons(persons, 3, np.array([1])).tolist()
    [1, 2]
    """
    selected = np.zeros(n_households, dtype=bool)
    selected[rows] = True
    return np.flatnonzero(selected[persons.household_idx])


def select_households(
    persons: Persons,
    households: Households,
    rows: np.ndarray,
    *,
    person_rows: np.ndarray | None = None,
) -> tuple[Persons, Households]:
    """The households at ``rows`` (ascending household indices) and their persons, in their
    order, with ``household_idx`` renumbered to the new rows (``person_rows``: their
    persons' rows, :func:`households_persons`, if already known).

    The engine computes each household from its own persons and fields only, so its results
    for the selection are the full population's at ``rows``.

    >>> persons = persons_from_columns(household_idx=[0, 1, 1, 2], age=[30, 40, 5, 50],
    ...     is_child=[False, False, True, False], earnings_gross=[1, 2, 3, 4])
    >>> households = households_from_columns(is_cohabiting=[False, False, True])
    >>> chosen, its_households = select_households(persons, households, np.array([1, 2]))
    >>> chosen.household_idx.tolist(), chosen.earnings_gross.tolist(), its_households.n
    ([0, 0, 1], [2.0, 3.0, 4.0], 2)
    """
    if person_rows is None:
        person_rows = households_persons(persons, households.n, rows)
    new_index = np.zeros(households.n, dtype=np.int64)
    new_index[rows] = np.arange(rows.size)
    chosen = {f.name: getattr(persons, f.name)[person_rows] for f in dataclasses.fields(Persons)}
    chosen["household_idx"] = new_index[chosen["household_idx"]]
    return (
        Persons(**chosen),
        Households(
            **{f.name: getattr(households, f.name)[rows] for f in dataclasses.fields(Households)}
        ),
    )


def validate(persons: Persons, households: Households) -> None:
    """Check that persons and households describe possible biståndshushåll.

    Raises :class:`SimInputError` naming the first problem found.
    """
    n_households = households.n
    idx = persons.household_idx
    if n_households == 0:
        raise SimInputError("no households given")
    if idx.size and (idx.min() < 0 or idx.max() >= n_households):
        raise SimInputError("a person's household_idx points outside the households")
    for name in (
        "age",
        *(
            f.name
            for f in dataclasses.fields(Persons)
            if f.name not in ("household_idx", "age") and f.name not in _PERSON_BOOLS
        ),
    ):
        values = getattr(persons, name)
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise SimInputError(f"persons.{name} must be finite and not negative")
    for f in dataclasses.fields(Households):
        if f.name in _HOUSEHOLD_BOOLS:
            continue
        values = getattr(households, f.name)
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise SimInputError(f"households.{f.name} must be finite and not negative")
    if np.any(persons.age > MAX_AGE):
        raise SimInputError(f"an age above {MAX_AGE} is not possible")
    if np.any(persons.is_child & (persons.age > 20)):
        raise SimInputError("a hemmavarande child or skolungdom must be 20 or younger")
    if np.any(~persons.is_child & (persons.age < 18)):
        raise SimInputError("an adult of a biståndshushåll must be 18 or older")
    if np.any(persons.is_child & (persons.age >= 19) & ~persons.is_in_school):
        raise SimInputError(
            "a person of 19-20 counts as a child only while in school (SoL 12 kap. 9 §)"
        )
    n_adults = np.bincount(idx, weights=~persons.is_child, minlength=n_households)
    n_persons = np.bincount(idx, minlength=n_households)
    if np.any(n_adults < 1):
        raise SimInputError("every household needs at least one adult")
    if np.any(n_adults > 2):
        raise SimInputError("a biståndshushåll has one or two adults")
    if np.any(households.is_cohabiting & (n_adults != 2)):
        raise SimInputError("a cohabiting household must have exactly two adults")
    if np.any((n_adults == 2) & ~households.is_cohabiting):
        raise SimInputError("two adults form one biståndshushåll only if they are sambo or married")
    if np.any(n_persons > MAX_PERSONS_PER_HOUSEHOLD):
        raise SimInputError(
            f"a household of more than {MAX_PERSONS_PER_HOUSEHOLD} persons is not possible"
        )
