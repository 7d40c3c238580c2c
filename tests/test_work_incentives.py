"""Worked cases: participation tax rate (PTR) and marginal effective tax rate (EMTR) of four
households, computed by hand from the law, tolerance 0 (equal up to float representation).

Definitions (sim/incentives/tax_rates.py): PTR = 1 − (D_in − D_out) / E and
EMTR = 1 − (D(E + 100) − D(E)) / 100, D the household's disposable income, E the gross
monthly earnings of the adult who takes the job.

Every number below comes from the law, with the parameter values of sim/law/params/ for 2026
(each with its source in the YAML): prisbasbelopp (PBB) 59 200 kr (förordning 2025:872);
kommunal rate 32,38 % (SCB 2026 average); grundavdrag IL 63 kap. 3 §; jobbskatteavdrag
IL 67 kap. 7 § (2026 table: 0,91 PBB + 38,74 % above 0,91 PBB up to 3,24 PBB, then
1,813 PBB + 25,1 % above 3,24 PBB); skattereduktion för förvärvsinkomster 0,75 % of
beskattningsbar förvärvsinkomst between 40 000 and 240 000 kr (IL 67 kap. 46-47 §§);
allmän pensionsavgift 7 %, fully offset by its skattereduktion at these incomes (IL 67 kap.
4 §). Riksnorm 2026: SFS 2025:468 12 kap. 2 § as amended by SFS 2025:1046 (law.md §1.2).
Jobbstimulans: 25 % of net earnings not counted after six months on FS, SoL (2025:400)
12 kap. 8 § (law.md §1.1). Bostadsbidrag: SFB 97 kap. 15, 18, 22 §§ with the 2026 caps of
SFS 2025:1477 (law.md §1.6). Barnbidrag SFB 15 kap.; underhållsstöd SFB 18 kap. 20 §.

The income tax is the model's documented annual computation (sim/rules/inkomstskatt.py,
docs/tax.md): monthly earnings × 12, fastställd förvärvsinkomst (FFI) rounded down to
hundreds, grundavdrag rounded up to hundreds, beskattningsbar förvärvsinkomst (BFI) =
FFI − grundavdrag; kommunal tax = BFI × 32,38 %; no statlig tax below the skiktgräns
643 000 kr; tax = kommunal − jobbskatteavdrag − skattereduktion för förvärvsinkomster;
÷ 12. Each tax below is written out in those steps.

Costs that are model assumptions (hushållsel, hemförsäkring) are given explicitly, and each
housing cost is below the assumed reasonable level (sim/law/assumptions/skaliga_kostnader.yaml),
so the need is law plus the stated costs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.calculator.axes import work_incentives
from sim.calculator.household import HouseholdSpec
from sim.incentives.tax_rates import effective_marginal_tax_rate, participation_tax_rate

KOMMUNAL = 0.3238
PBB = 59_200


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


# ---------------------------------------------------------------- the taxes, by hand
# Annual amounts; the monthly tax is the annual ÷ 12.

# E = 10 000 kr/month: FFI 120 000 (2,027 PBB).
#   grundavdrag (0,99-2,72 PBB): 0,423 PBB + 20 % × (FFI − 0,99 PBB)
#     = 25 041,6 + 0,2 × (120 000 − 58 608) = 37 320 -> up to hundreds 37 400; BFI 82 600
#   kommunal 82 600 × 32,38 % = 26 745,88
#   jobbskatteavdrag (0,91-3,24 PBB): (0,91 PBB + 38,74 % × (120 000 − 0,91 PBB) − GA) × 32,38 %
#     = (53 872 + 0,3874 × 66 128 − 37 400) × 0,3238
#   skattereduktion 0,75 % × (82 600 − 40 000) = 319,5
TAX_10000 = (82_600 * KOMMUNAL - (53_872 + 0.3874 * 66_128 - 37_400) * KOMMUNAL - 319.5) / 12
# E = 10 100: FFI 121 200; GA 25 041,6 + 0,2 × 62 592 = 37 560 -> 37 600; BFI 83 600.
TAX_10100 = (83_600 * KOMMUNAL - (53_872 + 0.3874 * 67_328 - 37_600) * KOMMUNAL - 327.0) / 12

# E = 20 000: FFI 240 000 (4,054 PBB).
#   grundavdrag (3,11-7,88 PBB): 0,77 PBB − 10 % × (FFI − 3,11 PBB)
#     = 45 584 − 0,1 × (240 000 − 184 112) = 39 995,2 -> 40 000; BFI 200 000
#   jobbskatteavdrag (3,24-8,08 PBB): (1,813 PBB + 25,1 % × (FFI − 3,24 PBB) − GA) × 32,38 %
#     = (107 329,6 + 0,251 × 48 192 − 40 000) × 0,3238
#   skattereduktion 0,75 % × (200 000 − 40 000) = 1 200
TAX_20000 = (200_000 * KOMMUNAL - (107_329.6 + 0.251 * 48_192 - 40_000) * KOMMUNAL - 1_200) / 12
# E = 20 100: FFI 241 200; GA 45 584 − 0,1 × 57 088 = 39 875,2 -> 39 900; BFI 201 300;
#   skattereduktion 0,75 % × 161 300 = 1 209,75.
TAX_20100 = (201_300 * KOMMUNAL - (107_329.6 + 0.251 * 49_392 - 39_900) * KOMMUNAL - 1_209.75) / 12

# E = 25 000: FFI 300 000; GA 45 584 − 0,1 × 115 888 = 33 995,2 -> 34 000; BFI 266 000;
#   skattereduktion at its maximum 0,75 % × 200 000 = 1 500.
TAX_25000 = (266_000 * KOMMUNAL - (107_329.6 + 0.251 * 108_192 - 34_000) * KOMMUNAL - 1_500) / 12
# E = 25 100: FFI 301 200; GA 45 584 − 0,1 × 117 088 = 33 875,2 -> 33 900; BFI 267 300.
TAX_25100 = (267_300 * KOMMUNAL - (107_329.6 + 0.251 * 109_392 - 33_900) * KOMMUNAL - 1_500) / 12

# E = 30 000: FFI 360 000; GA 45 584 − 0,1 × 175 888 = 27 995,2 -> 28 000; BFI 332 000.
TAX_30000 = (332_000 * KOMMUNAL - (107_329.6 + 0.251 * 168_192 - 28_000) * KOMMUNAL - 1_500) / 12
# E = 30 100: FFI 361 200; GA 45 584 − 0,1 × 177 088 = 27 875,2 -> 27 900; BFI 333 300.
TAX_30100 = (333_300 * KOMMUNAL - (107_329.6 + 0.251 * 169_392 - 27_900) * KOMMUNAL - 1_500) / 12


def net(gross: float, tax: float) -> float:
    return gross - tax


# ------------------------------------------------------------------------- the cases

SINGLE = dict(adults=1, adult_ages=(30,), housing_cost=5000, hushallsel=400, hemforsakring=150)
# Need of the single adult: riksnorm 3 940 + 1 280 = 5 220, + housing 5 000 (below the
# assumed limit of 5 500 kr × price uprating for one person) + hushållsel 400 +
# hemförsäkring 150 = 10 770 kr/month. Out of work she has no income: D_out = FS = 10 770.
SINGLE_NEED = 3_940 + 1_280 + 5_000 + 400 + 150


def case_single_part_time_with_jobbstimulans():
    """Case 1: single adult, 10 000 kr/month, after six months on FS (jobbstimulans in).

    In work: net n = 10 000 − TAX_10000 = 8 933,53; counted 0,75 n; FS = 10 770 − 0,75 n
    = 4 069,85 > 0; D_in = n + FS = 10 770 + 0,25 n. D_out = 10 770.
    PTR = 1 − 0,25 n / 10 000 = 0,7767. At 10 100 kr she is still on FS, so
    EMTR = 1 − 0,25 (n(10 100) − n(10 000)) / 100 = 0,7980.
    """
    n0, n1 = net(10_000, TAX_10000), net(10_100, TAX_10100)
    spec = HouseholdSpec(**SINGLE, months_on_fs=6)
    return spec, 10_000, "2026-03", "baseline", 1 - 0.25 * n0 / 10_000, 1 - 0.25 * (n1 - n0) / 100


def case_single_part_time_without_jobbstimulans():
    """Case 1b: the same, two months on FS (no jobbstimulans): every krona of net pay is
    counted, FS falls krona for krona: D_in = D_out = 10 770, PTR = 1, EMTR = 1."""
    return HouseholdSpec(**SINGLE, months_on_fs=2), 10_000, "2026-03", "baseline", 1.0, 1.0


def case_single_full_time_with_jobbpremie():
    """Case 2: single adult, 30 000 kr/month, jobbpremie scenario in June 2026, eligible.

    In work: net n = 30 000 − TAX_30000 = 24 446,24 > 10 770, so no FS; the jobbpremie is
    15 % × 30 000 = 4 500, capped at 3 750 (law.md §1.8). D_in = n + 3 750, D_out = 10 770.
    PTR = 1 − (n + 3 750 − 10 770) / 30 000 = 0,4191. At 30 100 the premium is still
    capped: EMTR = 1 − (n(30 100) − n(30 000)) / 100 = 0,2425, the tax's marginal rate.
    """
    n0, n1 = net(30_000, TAX_30000), net(30_100, TAX_30100)
    spec = HouseholdSpec(**SINGLE, jobbpremie_eligible=True)
    ptr = 1 - (n0 + 3_750 - SINGLE_NEED) / 30_000
    return spec, 30_000, "2026-06", "jobbpremie", ptr, 1 - (n1 - n0) / 100


def case_single_parent_bostadsbidrag():
    """Case 3: single parent, children 4 and 8, rent 7 500, 20 000 kr/month, no jobbstimulans.

    Need: riksnorm 3 940 + 3 060 (4-6 år) + 3 820 (7-10 år) + 1 790 (3 persons) = 12 610,
    + rent 7 500 (below the assumed limit 7 800 × uprating for three) + hushållsel 550 +
    hemförsäkring 150 = 20 810.
    Benefits: barnbidrag 2 × 1 250 + flerbarnstillägg 150 = 2 650; underhållsstöd
    1 673 (age 4) + 1 823 (age 8) = 3 496. Bostadsbidrag: housing part
    0,5 × (min(7 500, 7 900) − 1 400) = 3 050, särskilt bidrag 2 000, so 12 × 5 050 =
    60 600 a year less 20 % of the income above 150 000; paid monthly in whole hundreds.
    Out of work: 60 600 / 12 = 5 050 -> 5 000; FS = 20 810 − (2 650 + 3 496 + 5 000) > 0,
    so D_out = 20 810. In work: bidragsgrundande inkomst 240 000: 60 600 − 18 000 = 42 600
    -> 3 550 -> 3 500; net n = 20 000 − TAX_20000 = 16 846,51; counted income
    n + 2 650 + 3 496 + 3 500 = 26 492,51 > 20 810, no FS: D_in = 26 492,51.
    PTR = 1 − (26 492,51 − 20 810) / 20 000 = 0,7159.
    At 20 100: 60 600 − 0,2 × 91 200 = 42 360 -> 3 530 -> 3 500 (unchanged by the rounding),
    so EMTR = 1 − (n(20 100) − n(20 000)) / 100 = 0,2344 (the tax alone, here).
    """
    n0, n1 = net(20_000, TAX_20000), net(20_100, TAX_20100)
    spec = HouseholdSpec(
        adults=1,
        adult_ages=(34,),
        child_ages=(4, 8),
        housing_cost=7_500,
        hushallsel=550,
        hemforsakring=150,
    )
    need = 3_940 + 3_060 + 3_820 + 1_790 + 7_500 + 550 + 150
    d_in = n0 + 2_650 + (1_673 + 1_823) + 3_500
    return spec, 20_000, "2026-03", "baseline", 1 - (d_in - need) / 20_000, 1 - (n1 - n0) / 100


COUPLE_FIVE = dict(
    adults=2,
    adult_ages=(38, 40),
    child_ages=(3, 6, 9, 12, 15),
    housing_cost=16_180,
    housing_limit_factor=1.4,
)


def case_couple_five_children_with_jobbstimulans():
    """Case 4: the government's typfall couple with five children, one adult takes a job at
    25 000 kr/month after six months on FS.

    Whatever the exact need, the household stays on FS: the riksnorm alone is
    7 100 + 2 720 (3 år) + 3 060 (6) + 3 820 (9) + 4 390 (12) + 4 960 (15) + 2 830
    (7 persons) = 28 880, plus rent 16 180 (the limit 11 800 × 1,4 × uprating ≥ 16 520)
    = 45 060 at least; the counted income at 25 100 is at most 0,75 × 25 100 + barnbidrag
    and flerbarnstillägg 9 240 + the largest bostadsbidrag 6 250 = 34 315. With FS in both
    states, bostadsbidrag and barnbidrag cancel out: D = need + 0,25 n, so
    PTR = 1 − 0,25 n(25 000) / 25 000 = 0,7934 and
    EMTR = 1 − 0,25 (n(25 100) − n(25 000)) / 100 = 0,8106.
    """
    n0, n1 = net(25_000, TAX_25000), net(25_100, TAX_25100)
    spec = HouseholdSpec(**COUPLE_FIVE, months_on_fs=6)
    return spec, 25_000, "2026-03", "baseline", 1 - 0.25 * n0 / 25_000, 1 - 0.25 * (n1 - n0) / 100


def case_couple_five_children_without_jobbstimulans():
    """Case 4b: the same couple before six months on FS: PTR = EMTR = 1 (FS falls by the
    whole net pay)."""
    spec = HouseholdSpec(**COUPLE_FIVE, months_on_fs=3)
    return spec, 25_000, "2026-03", "baseline", 1.0, 1.0


CASES = [
    case_single_part_time_with_jobbstimulans,
    case_single_part_time_without_jobbstimulans,
    case_single_full_time_with_jobbpremie,
    case_single_parent_bostadsbidrag,
    case_couple_five_children_with_jobbstimulans,
    case_couple_five_children_without_jobbstimulans,
]


def test_the_hand_taxes_are_the_documented_numbers():
    """The by-hand taxes, rounded, as the derivations quote them (a check on the arithmetic
    above, independent of the model)."""
    assert round(net(10_000, TAX_10000), 2) == 8_933.53
    assert round(net(20_000, TAX_20000), 2) == 16_846.51
    assert round(net(30_000, TAX_30000), 2) == 24_446.24


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__.removeprefix("case_"))
def test_worked_case(case):
    spec, gross, date, scenario, ptr, emtr = case()
    frame = work_incentives(spec, gross=gross, date=date, scenario=scenario)
    row = frame.row(frame.height - 1, named=True)  # the scenario's row (baseline alone: one)
    assert row["scenario"] == scenario
    assert close(row["ptr"], ptr), (row["ptr"], ptr)
    assert close(row["emtr"], emtr), (row["emtr"], emtr)


def test_jobbstimulans_lowers_the_ptr_by_a_quarter_of_net_pay():
    """With FS in both states, the jobbstimulans is the only part of a krona of net pay the
    household keeps: PTR falls from 1 to 1 − 0,25 × net / gross."""
    _, _, _, _, with_js, _ = case_single_part_time_with_jobbstimulans()
    assert close(1 - with_js, 0.25 * net(10_000, TAX_10000) / 10_000)


def test_definitions_on_arrays():
    assert participation_tax_rate(
        disposable_in_work=np.array([15_000.0]),
        disposable_out_of_work=np.array([10_000.0]),
        gross_earnings=np.array([20_000.0]),
    ).tolist() == [0.75]
    with pytest.raises(ValueError, match="positive"):
        effective_marginal_tax_rate(
            disposable=np.zeros(1), disposable_after_step=np.zeros(1), step=0
        )
