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
# # Kommunens perspektiv: vad kostar aktivitetskravet oss?
#
# A municipal analyst's questions: how many of our residents will be covered, how many
# activity places, förskola hours and caseworkers do we need, and does the state's money
# cover it? This notebook runs the aktivitetskrav for the whole country by län, then for a
# municipality's own profile. The shipped profile is a **made-up** example
# (`data/kommuner/exempelkommun.yaml`); copy it and fill in your own figures.
# Method and every assumption: `docs/municipal.md`.

# %%
import polars as pl

import sim
from sim.municipal.profile import EXAMPLE_PROFILE

national = sim.run(["aktivitetskrav"], year=2027)
table = national.table()

# %% [markdown]
# The funding gap per län: cost of activities, extended förskola/fritidshem and casework,
# less the state's 2 002 + 260 mkr shared per inhabitant (the assumed key).

# %%
per_lan = (
    table.filter((pl.col("scenario") == "aktivitetskrav") & (pl.col("group_kind") == "län"))
    .pivot(on="metric", index="group", values="value")
    .select(
        "group",
        "inhabitants",
        "aktivitetskrav_covered_month",
        "delivery_cost_sek_year",
        "delivery_state_funding_sek_year",
        "delivery_funding_gap_sek_year",
    )
    .with_columns(
        (pl.col("delivery_funding_gap_sek_year") / pl.col("inhabitants")).alias(
            "gap_per_inhabitant"
        )
    )
    .sort("gap_per_inhabitant", descending=True)
)
per_lan

# %% [markdown]
# The per-län results add up to the national ones.

# %%
national_gap = table.filter(
    (pl.col("scenario") == "aktivitetskrav")
    & (pl.col("metric") == "delivery_funding_gap_sek_year")
    & (pl.col("group") == "all")
)["value"][0]
assert abs(per_lan["delivery_funding_gap_sek_year"].sum() - national_gap) < 1e-3 * abs(national_gap)
national.plot.delivery_gap_by_lan()

# %% [markdown]
# Now one municipality: the population is re-weighted to the profile's inhabitants,
# recipients, FS paid and foreign-born share, with its own housing limit and costs.

# %%
kommun = sim.run(["aktivitetskrav", "kombinerad"], year=2027, kommun_profile=EXAMPLE_PROFILE)
kommun_table = kommun.table()
rows = [
    "aktivitetskrav_covered_month",
    "activity_places_month",
    "activity_places_available",
    "activity_places_shortfall_month",
    "casework_fte",
    "caseworkers_available",
    "delivery_cost_sek_year",
    "delivery_state_funding_sek_year",
    "delivery_funding_gap_sek_year",
]
kommun_table.filter((pl.col("group") == "all") & pl.col("metric").is_in(rows)).pivot(
    on="scenario", index="metric", values="value"
)

# %%
kommun.plot.activity_places_by_month()

# %%
kommun.plot.delivery_cost_vs_funding()
