"""The bands of a sweep: for every ``(scenario, metric, group)`` the median of the
replications into ``value`` and the 10th and 90th percentiles into ``low`` and ``high``
(:func:`summarise`; linear interpolation between order statistics, numpy's default; NaN values,
such as a share of an empty group, are left out), and the same of each scenario's difference
from the baseline within a replication (:func:`differences`)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from sim.common.errors import SimInputError

#: Percentiles written into ``low``, ``value`` and ``high``.
PERCENTILES = (10.0, 50.0, 90.0)


TABLE_COLUMNS = ("scenario", "metric", "group", "value", "low", "high")


def summarise(tables: Iterable[pl.DataFrame], *, grid: bool = False) -> pl.DataFrame:
    """Median and 10th/90th percentiles over replications of every (scenario, metric, group).

    Rows keep the order in which they first appear (replications in index order). With
    ``grid`` the table is grouped by ``grid_value`` as well, which becomes its first column.
    """
    frames = sorted(tables, key=lambda t: int(t["replication"][0]))
    if not frames:
        raise SimInputError("no replications to summarise")
    keys = (["grid_value"] if grid else []) + ["scenario", "metric", "group"]
    both = pl.concat(frames, how="vertical").filter(pl.col("value").is_not_nan())
    low, mid, high = (p / 100 for p in PERCENTILES)
    summary = both.group_by(keys, maintain_order=True).agg(
        pl.col("value").quantile(mid, interpolation="linear").alias("value"),
        pl.col("value").quantile(low, interpolation="linear").alias("low"),
        pl.col("value").quantile(high, interpolation="linear").alias("high"),
    )
    return summary.select(*keys, "value", "low", "high")


def differences(tables: Iterable[pl.DataFrame], *, grid: bool = False) -> pl.DataFrame:
    """Like :func:`summarise`, of each scenario's difference from the baseline *within* a
    replication (scenario − baseline, same metric and group). The runs of one replication
    share their population and random numbers, so this band is the band of the reform's
    effect; the difference of two level bands would overstate it."""
    keys = (["grid_value"] if grid else []) + ["metric", "group"]
    out = []
    for table in tables:
        base = table.filter(pl.col("scenario") == "baseline").select(
            *keys, pl.col("value").alias("baseline")
        )
        other = table.filter(pl.col("scenario") != "baseline")
        joined = other.join(base, on=keys, how="inner", maintain_order="left")
        if joined.height:
            out.append(joined.with_columns(pl.col("value") - pl.col("baseline")).drop("baseline"))
    if not out:  # the baseline alone: no effects
        columns = (["grid_value"] if grid else []) + list(TABLE_COLUMNS)
        schema = {
            c: pl.Float64 if c in ("grid_value", "value", "low", "high") else pl.String
            for c in columns
        }
        return pl.DataFrame(schema=schema)
    return summarise(out, grid=grid)
