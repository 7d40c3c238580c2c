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
# # Lönar det sig att arbeta?
#
# The government's stated aim of the bidragstak is "att göra det mer lönsamt att arbeta än
# att leva på bidrag". This notebook shows, for three typfall households, how much of a
# wage the household keeps under current rules and under the combined reform
# (`kombinerad`: bidragstak, aktivitetskrav and jobbpremie), September 2027.
#
# Two measures (definitions and sources: `sim/incentives/tax_rates.py`):
#
# - **PTR**, participation tax rate: the share of the gross wage of a job lost to tax and
#   lower benefits when the person goes from no work to the job,
#   `1 − (D_in_work − D_out_of_work) / gross` (OECD *Taxing Wages*; Immervoll, Kleven,
#   Kreiner & Saez 2007, *Economic Journal*).
# - **EMTR**, marginal effective tax rate: the share of 100 kr more in gross wage that is
#   lost, `1 − ΔD / 100`.
#
# `D` is the household's disposable income: net incomes, barnbidrag, underhållsstöd,
# bostadsbidrag, försörjningsstöd and jobbpremie. The months on FS before the month matter:
# the jobbstimulans (25 % of net pay not counted, SoL 12 kap. 8 §) applies from six months.
# The calculation is the household calculator's (`sim household`), static: no behaviour, no
# aktivitetskrav sanctions.

# %%
import polars as pl

import sim
from sim.incentives.population import household_rates, summarise
from sim.outputs.charts.work import population_ptr, work_incentive_rates, work_pays
from sim.runs import DEFAULT_POPULATION, read_population

DATE = "2027-09"
TYPFALL = {
    "ensamstående": dict(adults=1, adult_ages=(30,), housing_cost=6_000),
    "ensamstående förälder, två barn": dict(
        adults=1, adult_ages=(34,), child_ages=(4, 8), housing_cost=8_500
    ),
    # The government's typfall (docs/reforms.md §2.1.1): rent at 1.4 × the reasonable level.
    "sammanboende, fem barn": dict(
        adults=2,
        adult_ages=(38, 40),
        child_ages=(3, 6, 9, 12, 15),
        housing_cost=16_180,
        housing_limit_factor=1.4,
    ),
}
# Everyone had FS every month July-December 2025 (the jobbpremie's condition) and has had
# FS for six months before September 2027 (so the jobbstimulans applies).
COMMON = dict(jobbpremie_eligible=True, months_on_fs=6)

# %% [markdown]
# ## The axis: adult 1's gross wage from 0 to 50 000 kr a month
#
# One call per household: every point under both laws, in one engine call per law.

# %%
axes = {
    name: sim.household_axis(
        date=DATE, axis="earnings=0:50000:500", scenario="kombinerad", **spec, **COMMON
    )
    for name, spec in TYPFALL.items()
}
axes["ensamstående"].filter(pl.col("value").is_in([0.0, 11_000.0, 22_000.0])).select(
    "scenario",
    "value",
    "net_earnings",
    "forsorjningsstod",
    "jobbpremie",
    "disposable_income",
    "ptr",
    "emtr",
)

# %% [markdown]
# ### Ensamstående

# %%
work_pays(axes["ensamstående"], household="ensamstående, 30 år, hyra 6 000 kr")

# %% [markdown]
# ### Ensamstående förälder med två barn (4 och 8 år)

# %%
work_pays(
    axes["ensamstående förälder, två barn"],
    household="ensamstående förälder, barn 4 och 8 år, hyra 8 500 kr",
)

# %% [markdown]
# ### Sammanboende med fem barn (regeringens typfall)

# %%
work_pays(axes["sammanboende, fem barn"], household="sammanboende, barn 3-15 år, hyra 16 180 kr")

# %% [markdown]
# The rates along the axis, for the couple with five children: while the household keeps
# FS, a krona of net pay lowers FS by 75 öre (the jobbstimulans keeps 25 %), under both
# laws; the reform lowers the level, not the slope, until the household leaves FS and the
# jobbpremie starts.

# %%
work_incentive_rates(axes["sammanboende, fem barn"], household="Sammanboende med fem barn.")

# %% [markdown]
# ## PTR at half-time and full-time, with and without the jobbstimulans
#
# 22 000 kr a month is the wage SOU 2025:15's model A measures the cap against
# (`bidragstak.sou_cap_reference_wage`); 11 000 kr is half of it. Without the jobbstimulans
# (two months on FS) and with it (six months).

# %%
rows = []
for name, spec in TYPFALL.items():
    for months in (2, 6):
        for gross in (11_000, 22_000):
            frame = sim.work_incentives(
                date=DATE,
                gross=gross,
                scenario="kombinerad",
                **spec,
                jobbpremie_eligible=True,
                months_on_fs=months,
            )
            rows.append(frame.with_columns(pl.lit(name).alias("household")))
ptr = pl.concat(rows)
ptr.pivot(
    on="scenario", index=["household", "months_on_fs", "worker_gross_earnings"], values="ptr"
).with_columns(pl.col("baseline", "kombinerad").round(3))

# %% [markdown]
# Reading it: a PTR of 1.0 means the job adds nothing to the household's income. Before
# six months on FS that is the rule for every household still on FS after the job; the
# jobbstimulans lowers it to 1 − 0.25 × net / gross. The reform lowers the PTR only where the
# job takes the household off FS (then the lower norm means less is lost) and the jobbpremie
# is paid. The couple with five children stays on FS at 22 000 kr under both laws: the
# reform lowers its income in and out of work by the same amount, so the PTR of the job is
# unchanged (0.79 with the jobbstimulans, 1.0 without).

# %% [markdown]
# ## In the population: the adults on FS taking a job
#
# The households paid FS in September (of the population's data year) that have an adult
# without earnings: that adult takes a job at half-time (11 000 kr), the assumed entry wage
# (18 000 kr) or full-time (22 000 kr), which ends the benefit of their former state. Static,
# September 2027; the job taker is assumed to qualify for the jobbpremie. Method:
# `sim/incentives/population.py`; the same table from the command line:
# `sim work-incentives --out ptr.csv`.

# %%
rates = household_rates(read_population(DEFAULT_POPULATION)[0], year=2027, month=9)
summary = summarise(rates, threshold=0.8)
summary.filter(
    (pl.col("group_kind") == "alla") & pl.col("metric").is_in(["ptr_median", "share_ptr_at_least"])
).pivot(on="scenario", index=["jobbstimulans", "wage", "metric"], values="value")

# %% [markdown]
# By number of children, without the jobbstimulans, at the entry wage: the share of households
# for whom the job adds at most a fifth of its gross wage (PTR ≥ 0.8).

# %%
summary.filter(
    (pl.col("group_kind") == "antal_barn")
    & (pl.col("metric") == "share_ptr_at_least")
    & ~pl.col("jobbstimulans")
    & (pl.col("wage_label") == "ingångslön")
).pivot(on="scenario", index="group", values="value").sort("group")

# %%
population_ptr(summary)

# %% [markdown]
# ## Hours at a wage
#
# The same household along hours a week at 140 kr an hour (monthly pay = hours × wage ×
# 52 / 12).

# %%
hours = sim.household_axis(
    date=DATE,
    axis="hours=0:40:1",
    wage=140.0,
    scenario="kombinerad",
    **TYPFALL["ensamstående förälder, två barn"],
    **COMMON,
)
work_pays(hours, household="ensamstående förälder, 140 kr/timme")
