"""Golden totals: the main 2027 run on the committed population, refreshed only by `make golden`.

A change here means a rule, a parameter, the population or the simulation changed the
headline numbers: if that was intended, run `make golden`, review the diff of
tests/golden/totals_2027.json and say in the commit what moved and why.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "golden"))

from refresh import GOLDEN, golden_totals  # noqa: E402


def test_golden_totals_unchanged():
    expected = json.loads(GOLDEN.read_text())
    actual = golden_totals()
    assert sorted(actual) == sorted(expected)
    moved = []
    for scenario, metrics in expected.items():
        assert sorted(actual[scenario]) == sorted(metrics), scenario
        for metric, value in metrics.items():
            # Same code, data and seed give the same floats; the tolerance only absorbs
            # summation-order noise across numpy builds.
            if not math.isclose(actual[scenario][metric], value, rel_tol=1e-9, abs_tol=1e-6):
                moved.append(f"{scenario}/{metric}: {value} -> {actual[scenario][metric]}")
    assert not moved, "golden totals moved (run `make golden` if intended):\n" + "\n".join(moved)
