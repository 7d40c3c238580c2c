"""Refresh the golden totals: `make golden` (review the diff before committing it).

Runs the four main scenarios for 2027 on the committed population with its own seed and
writes every group-`all` metric to tests/golden/totals_2027.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from sim.runs import read_population, run_scenarios

GOLDEN = Path(__file__).parent / "totals_2027.json"
SCENARIOS = ("baseline", "bidragstak", "aktivitetskrav", "kombinerad")


def golden_totals() -> dict[str, dict[str, float]]:
    """``{scenario: {metric: value}}`` for group ``all`` of the main 2027 run."""
    population, seed = read_population(None)
    result = run_scenarios(SCENARIOS, year=2027, population=population, seed=seed)
    table = result.table().filter(pl.col("group") == "all")
    totals: dict[str, dict[str, float]] = {}
    for row in table.iter_rows(named=True):
        totals.setdefault(row["scenario"], {})[row["metric"]] = row["value"]
    return totals


if __name__ == "__main__":
    GOLDEN.write_text(
        json.dumps(golden_totals(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    )
    print(f"wrote {GOLDEN}; review `git diff {GOLDEN}` before committing")
