"""Looking values up in the tidy results table (``scenario, metric, group, value, low, high``,
:mod:`sim.metrics.results`): the runs in the order outputs show them, one value, its band."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl


def is_static(label: str) -> bool:
    """Whether the run ``label`` is a reform's static run (``<scenario>/statisk``)."""
    return label.endswith("/statisk")


def run_labels(table: pl.DataFrame, *, baseline: bool = True, static: bool = True) -> list[str]:
    """Run labels in table order: baseline first, each static run right after its reform."""
    labels = list(dict.fromkeys(table["scenario"].to_list()))
    behavioural = [x for x in labels if not is_static(x) and x != "baseline"]
    out = ["baseline"] if baseline and "baseline" in labels else []
    for label in behavioural:
        out.append(label)
        if static and f"{label}/statisk" in labels:
            out.append(f"{label}/statisk")
    return out


def reform_runs(table: pl.DataFrame) -> list[str]:
    """The behavioural runs of the reforms (no baseline, no static runs), in table order."""
    return run_labels(table, baseline=False, static=False)


def metric_value(table: pl.DataFrame, scenario: str, metric: str, group: str = "all") -> float:
    row = table.filter(
        (pl.col("scenario") == scenario) & (pl.col("metric") == metric) & (pl.col("group") == group)
    )
    return float(row["value"][0]) if row.height else float("nan")


def metric_band(
    table: pl.DataFrame, scenario: str, metric: str, group: str = "all"
) -> tuple[float, float] | None:
    row = table.filter(
        (pl.col("scenario") == scenario) & (pl.col("metric") == metric) & (pl.col("group") == group)
    )
    if not row.height or row["low"][0] is None or row["high"][0] is None:
        return None
    return float(row["low"][0]), float(row["high"][0])


def groups_of(table: pl.DataFrame, metric: str, prefix: str) -> list[str]:
    rows = table.filter((pl.col("metric") == metric) & pl.col("group").str.starts_with(prefix))
    return list(dict.fromkeys(rows["group"].to_list()))


def has_bands(table: pl.DataFrame | None) -> bool:
    """Whether ``table`` carries uncertainty bands (``low``/``high``, from ``sim sweep``)."""
    return table is not None and "low" in table.columns and bool(table["low"].drop_nulls().len())


def largest(values: Mapping[str, float]) -> tuple[str, float] | None:
    """The key with the largest absolute finite value (the first of equals), or None."""
    finite = [(k, v) for k, v in values.items() if np.isfinite(v)]
    if not finite:
        return None
    return max(finite, key=lambda kv: abs(kv[1]))
