"""What ``sim sweep`` prints when it is done: the headline metrics of every run as
``median [p10, p90]``."""

from __future__ import annotations

import polars as pl

#: Metrics :func:`sweep_summary` prints, with how to show them.
SUMMARY_METRICS = {
    "poverty_rate": ("poverty", 100.0, "%"),
    "child_poverty_rate": ("child poverty", 100.0, "%"),
    "fs_paid_sek_year": ("FS paid", 1e-9, "bn SEK"),
    "public_cost_sek_year": ("public cost", 1e-9, "bn SEK"),
}


def sweep_summary(table: pl.DataFrame) -> str:
    """Poverty, child poverty, FS paid and public cost (group ``all``) as ``median [p10, p90]``
    per scenario (and per grid value of a grid sweep), for the terminal."""
    rows = table.filter((pl.col("group") == "all") & pl.col("metric").is_in(list(SUMMARY_METRICS)))
    if "grid_value" not in rows.columns:
        rows = rows.with_columns(grid_value=pl.lit(None, dtype=pl.Float64))
    lines = []
    for grid_value in rows["grid_value"].unique(maintain_order=True):
        at = rows.filter(pl.col("grid_value").eq_missing(grid_value))
        for scenario in at["scenario"].unique(maintain_order=True):
            cells = []
            for metric, (label, factor, unit) in SUMMARY_METRICS.items():
                hit = at.filter((pl.col("scenario") == scenario) & (pl.col("metric") == metric))
                if hit.height:
                    v, lo, hi = (hit[c][0] * factor for c in ("value", "low", "high"))
                    cells.append(f"{label} {v:.2f} [{lo:.2f}, {hi:.2f}] {unit}")
            name = scenario if grid_value is None else f"{scenario} (grid {grid_value:g})"
            lines.append(f"{name:<24}" + "; ".join(cells))
    return "\n".join(lines)
