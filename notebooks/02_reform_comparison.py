# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Jämförelse av reformerna
#
# All main scenarios for 2027: costs, caseloads, who is hit, by household type, number of
# children and decile, with the charts of the report.

# %%
import polars as pl

import sim

results = sim.run(
    ["baseline", "bidragstak", "aktivitetskrav", "jobbpremie", "kombinerad"], year=2027
)
table = results.table()

# %% [markdown]
# Costs and caseloads (group `all`):

# %%
metrics = [
    "fs_paid_sek_year",
    "jobbpremie_paid_sek_year",
    "municipal_cost_sek_year",
    "state_cost_sek_year",
    "fs_households_year",
    "fs_children_year",
    "households_with_lower_fs",
    "persons_covered_aktivitetskrav",
    "persons_sanctioned",
]
table.filter((pl.col("group") == "all") & pl.col("metric").is_in(metrics)).pivot(
    on="scenario", index="metric", values="value"
)

# %% [markdown]
# Average monthly change per recipient household, by household type:

# %%
(
    table.filter(
        (pl.col("metric") == "mean_change_recipients_sek_month")
        & (pl.col("group_kind") == "hushållstyp")
    ).pivot(on="scenario", index="group", values="value")
)

# %% [markdown]
# By number of children, and the same as a chart:

# %%
(
    table.filter(
        (pl.col("metric") == "mean_change_recipients_sek_month")
        & (pl.col("group_kind") == "antal_barn")
    ).pivot(on="scenario", index="group", values="value")
)

# %%
figure = results.plot.change_by_household()

# %%
figure = results.plot.change_by_decile()

# %%
figure = results.plot.change_bands()

# %%
figure = results.plot.monthly_caseload()

# %% [markdown]
# The same in pandas, for those who prefer it:

# %%
frame = results.to_pandas()
frame[(frame["group"] == "all") & (frame["metric"] == "child_poverty_rate")]
