"""The income step (sim.engine.net_income_pass): compiled code checks its own indices.

Its numbers are held to the law by tests/rules/test_inkomstskatt.py, the worked cases in
tests/cases/ and the doctests, and to the interpreted Python they are written as by
tests/test_jit.py.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.engine import net_income_pass as net_incomes
from sim.law.parameters import default_law
from sim.rules.inkomstskatt import tax_schedule


def test_a_household_index_outside_the_households_raises():
    # Compiled loops do not check bounds themselves: the kernel does, and raises.
    with pytest.raises(ValueError, match="household_idx"):
        net_incomes.net_incomes(
            household_idx=np.array([3]),
            is_child=np.array([False]),
            age=np.array([40.0]),
            earnings=np.array([1_000.0]),
            taxable_benefits=np.zeros(1),
            tax_free=np.zeros(1),
            earnings_year_to_date=np.zeros(1),
            n_households=1,
            tax_schedule=tax_schedule(default_law().resolve(dt.date(2026, 3, 1)).inkomstskatt),
            child_exempt_sek_year=59_200.0,
        )
