"""Impossible households are refused with one clear line before the engine runs."""

from __future__ import annotations

import numpy as np
import pytest

from sim.common.errors import SimInputError
from sim.engine.entities import households_from_columns, persons_from_columns, validate


def one(ages, children, *, cohabiting=False, **extra):
    n = len(ages)
    persons = persons_from_columns(
        household_idx=np.zeros(n, dtype=int), age=ages, is_child=children, **extra
    )
    return persons, households_from_columns(is_cohabiting=[cohabiting])


@pytest.mark.parametrize(
    ("ages", "children", "cohabiting", "message"),
    [
        ([5], [True], False, "at least one adult"),
        ([30, 30, 30], [False, False, False], False, "one or two adults"),
        ([30, 30], [False, False], False, "sambo or married"),
        ([30], [False], True, "exactly two adults"),
        ([16], [False], False, "18 or older"),
        ([30, 25], [False, True], False, "20 or younger"),
        ([30, 19], [False, True], False, "only while in school"),
        ([30, -1], [False, True], False, "not negative"),
        ([130], [False], False, "above 110"),
    ],
)
def test_impossible_households(ages, children, cohabiting, message):
    persons, households = one(ages, children, cohabiting=cohabiting)
    with pytest.raises(SimInputError, match=message):
        validate(persons, households)


def test_negative_income_is_refused():
    persons, households = one([30], [False], earnings_gross=[-1.0])
    with pytest.raises(SimInputError, match="earnings_gross"):
        validate(persons, households)


def test_unknown_field_is_refused():
    with pytest.raises(SimInputError, match="unknown Persons field"):
        persons_from_columns(household_idx=[0], age=[30], is_child=[False], salary=[1])
