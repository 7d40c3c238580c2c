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
# # Snabbstart: barnfattigdom med och utan bidragstak
#
# Load the committed synthetic population, run the baseline and the bidragstak for 2027,
# and look at child poverty. Everything comes from `sim`; the numbers are the model's
# (see `docs/population.md` and `docs/reforms.md` for what lies behind them).

# %%
import polars as pl

import sim

results = sim.run(["baseline", "bidragstak"], year=2027)
results

# %% [markdown]
# The results table is tidy: one row per scenario, metric and group.

# %%
table = results.table()
headline = table.filter(
    (pl.col("group") == "all")
    & pl.col("metric").is_in(["child_poverty_rate", "poverty_rate", "fs_paid_sek_year"])
)
headline.pivot(on="scenario", index="metric", values="value")

# %% [markdown]
# Child poverty (children 0-17 in households below 60 % of the median economic standard):

# %%
child_poverty = {
    row["scenario"]: row["value"]
    for row in table.filter(
        (pl.col("metric") == "child_poverty_rate") & (pl.col("group") == "all")
    ).iter_rows(named=True)
}
child_poverty

# %%
figure = results.plot.child_poverty()

# %% [markdown]
# One household, step by step, with the legal source of each amount:

# %%
calculation = sim.household(
    date="2027-09",
    scenario="bidragstak",
    adults=2,
    adult_ages=[38, 40],
    child_ages=[3, 6, 9, 12, 15],
    housing_cost=16180,
    housing_limit_factor=1.4,
)
print(calculation.to_text())
