"""The bidragstak's unknowns fitted jointly to every public typfall of the government.

The modernised riksnorm (part 1 of the bidragstak, prop. 2025/26:201) had no published
amounts when the government computed its typfall; what is public is how two typfall
households fare ("samlade bidrag efter skatt", a month, no income):

* sammanboende + 5 barn: 46 500 -> 38 300 kr (Fria Tider; 38 500 in an earlier article),
  "drygt 8 000" less (TT, Sep 2025);
* sammanboende + 2 barn: 800 kr less, "eftersom mindre barnfamiljer inte omfattas av
  begränsningsregeln" (TT, Sep 2025; repeated Dec 2025).

The unknowns are the cut of each part of the norm (``bidragstak.norm_cut_*``) and which
children the fourth-child rule reaches (``bidragstak.fourth_child_order``). For a household
without income whose FS stays positive, the change of total support is the change of the
norm, and that is linear in the cuts (the fourth-child rule takes 75 % of the *cut*
children's cost, so its cut enters once): :func:`fit` measures the model's change at no cut
and at a cut of each part alone (with the model itself, :func:`sim.calculator.household.compare`),
then solves the weighted least squares of

* each typfall's residual divided by :data:`TYPFALL_SD` (150 kr: the precision asked of the
  fit, about the rounding of the press figures), and
* a prior that the reference value moves every part by a similar share: the differences of
  the cuts divided by :data:`PRIOR_SD` (the parts may differ, but must be pulled apart by
  the typfall, not by the fit's freedom).

Two typfall cannot identify three cuts on their own: the prior is what makes the answer
unique, and it is stated. The single adult's cut is not identified at all (both typfall are
couples): its central value is the cohabiting adults' (the same delposter, the same
method). Every reading of the fourth-child rule is fitted; the one with the smallest
weighted residuals is the central reading. The ranges are the spread of the fit over the
typfall's unknown details (:data:`VARIANTS`: the other reported level 38 500, other ages of
the children), widened to at least ±:data:`MIN_RELATIVE_RANGE` of the central value.

Run ``python -m sim.bidragstak_calibration`` to print the fit (``make calibrate-bidragstak``)
and ``--write`` to write the central values and ranges into sim/law/assumptions/bidragstak.yaml.
The typfall are then calibration pins in tests/cases/bidragstak.yaml (reproduced within
±150 kr), not independent tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sim.calculator.household import HouseholdSpec, compare
from sim.law.assumptions import assumptions_dir
from sim.rules.bidragstak import FourthChildOrder
from sim.scenarios.scenario import Scenario, load_scenario

#: The month the typfall are computed in: the fourth-child rule in full (the phase-in of
#: scenarios/bidragstak.yaml reaches 1.0 in July 2027), on the 2027 riksnorm projected.
TYPFALL_MONTH = "2027-09"

#: The fitted parts (the single adult's cut follows the cohabiting adults', see above).
FITTED = ("norm_cut_cohabiting_adults", "norm_cut_children", "norm_cut_common")
CUTS = ("norm_cut_single_adult", *FITTED)

#: Precision asked of the fit per typfall, kr a month.
TYPFALL_SD = 150.0
#: Prior SD of the difference between two parts' cuts (share of the part).
PRIOR_SD = 0.02
#: The ranges are at least this share of the central value on either side.
MIN_RELATIVE_RANGE = 0.5


@dataclasses.dataclass(frozen=True)
class Typfall:
    """A government typfall: the household, what the government says, its source."""

    name: str
    household: HouseholdSpec
    target_change: float
    source: str
    url: str


COUPLE_FIVE = HouseholdSpec(
    adults=2,
    adult_ages=(38, 40),
    child_ages=(3, 6, 9, 12, 15),
    housing_cost=16_180,
    housing_limit_factor=1.4,
)
COUPLE_TWO = HouseholdSpec(adults=2, adult_ages=(35, 37), child_ages=(6, 10), housing_cost=9_000)

TYPFALL = (
    Typfall(
        name="sammanboende + 5 barn",
        household=COUPLE_FIVE,
        target_change=38_300 - 46_500,
        source="TT/Fria Tider, Sep 2025: 46 500 -> 38 300 kr 'enligt regeringens beräkningar'",
        url="https://www.friatider.se/bidragstaket-hotas-mindre-46500-krman-kan-strida-mot-barnkonventionen",
    ),
    Typfall(
        name="sammanboende + 2 barn",
        household=COUPLE_TWO,
        target_change=-800,
        source="TT, Sep 2025 (nyheter24), and Dec 2025 (8 Sidor, Fria Tider): −800 kr",
        url="https://nyheter24.se/nyheter/inrikes/1419993-barnfamiljer-kan-fa-8000-mindre-i-manaden-2027",
    ),
)

#: The typfall's unknown details, each a variant of the fit for the ranges: the earlier
#: reported level, and other ages of the children (the government's are not published).
VARIANTS: dict[str, tuple[Typfall, ...]] = {
    "38 500 (earlier article)": (
        dataclasses.replace(TYPFALL[0], target_change=38_500 - 46_500),
        TYPFALL[1],
    ),
    "couple + 5: children 1, 4, 7, 10, 13": (
        dataclasses.replace(
            TYPFALL[0],
            household=dataclasses.replace(COUPLE_FIVE, child_ages=(1, 4, 7, 10, 13)),
        ),
        TYPFALL[1],
    ),
    "couple + 5: children 5, 8, 11, 14, 17": (
        dataclasses.replace(
            TYPFALL[0],
            household=dataclasses.replace(COUPLE_FIVE, child_ages=(5, 8, 11, 14, 17)),
        ),
        TYPFALL[1],
    ),
    "couple + 2: children 3, 8": (
        TYPFALL[0],
        dataclasses.replace(
            TYPFALL[1], household=dataclasses.replace(COUPLE_TWO, child_ages=(3, 8))
        ),
    ),
    "couple + 2: children 10, 14": (
        TYPFALL[0],
        dataclasses.replace(
            TYPFALL[1], household=dataclasses.replace(COUPLE_TWO, child_ages=(10, 14))
        ),
    ),
}


@dataclasses.dataclass(frozen=True)
class Fit:
    """One reading's fit: the cuts, each typfall's model change and residual, the objective."""

    order: FourthChildOrder
    cuts: dict[str, float]
    changes: tuple[float, ...]
    residuals: tuple[float, ...]
    objective: float


def model_change(typfall: Typfall, cuts: dict[str, float], order: int) -> float:
    """The model's change of total support for ``typfall`` at ``cuts`` and the reading."""
    values = {f"bidragstak.{k}": v for k, v in cuts.items()}
    values["bidragstak.fourth_child_order"] = float(order)
    scenario = _scenario(values)
    comparison = compare(typfall.household, date=TYPFALL_MONTH, scenario=scenario)
    return comparison.reform["total_support"] - comparison.baseline["total_support"]


def _scenario(values: dict[str, float]) -> Scenario:
    reform = load_scenario("bidragstak")
    return dataclasses.replace(reform, assumption_values={**reform.assumption_values, **values})


def fit(typfall: Sequence[Typfall], order: int) -> Fit:
    """The weighted least-squares fit of the cuts for the reading ``order`` (module doc)."""
    zero = {name: 0.0 for name in CUTS}
    unit = 0.1
    at_zero = np.array([model_change(t, zero, order) for t in typfall])
    columns = []
    for name in FITTED:
        cut = {**zero, name: unit}
        if name == "norm_cut_cohabiting_adults":
            cut["norm_cut_single_adult"] = unit
        columns.append(
            [
                (model_change(t, cut, order) - z) / unit
                for t, z in zip(typfall, at_zero, strict=True)
            ]
        )
    design = np.array(columns).T  # typfall x fitted parts: kr per unit of cut
    targets = np.array([t.target_change for t in typfall])
    rows = [design / TYPFALL_SD]
    rhs = [(targets - at_zero) / TYPFALL_SD]
    for i, j in itertools.combinations(range(len(FITTED)), 2):
        prior = np.zeros(len(FITTED))
        prior[i], prior[j] = 1.0 / PRIOR_SD, -1.0 / PRIOR_SD
        rows.append(prior[None, :])
        rhs.append(np.zeros(1))
    solution, *_ = np.linalg.lstsq(np.vstack(rows), np.concatenate(rhs), rcond=None)
    cuts = dict(zip(FITTED, (float(x) for x in solution), strict=True))
    cuts = {"norm_cut_single_adult": cuts["norm_cut_cohabiting_adults"], **cuts}
    # The fit checked with the model itself at the fitted values (not the linear model).
    changes = tuple(model_change(t, cuts, order) for t in typfall)
    residuals = tuple(c - t.target_change for c, t in zip(changes, typfall, strict=True))
    prior_terms = [(cuts[a] - cuts[b]) / PRIOR_SD for a, b in itertools.combinations(FITTED, 2)]
    objective = float(
        sum((r / TYPFALL_SD) ** 2 for r in residuals) + sum(x**2 for x in prior_terms)
    )
    return Fit(FourthChildOrder(order), cuts, changes, residuals, objective)


@dataclasses.dataclass(frozen=True)
class Calibration:
    """Every reading's fit, the central one, and the ranges over the variants."""

    fits: tuple[Fit, ...]
    central: Fit
    variant_fits: dict[str, Fit]
    ranges: dict[str, tuple[float, float]]


def calibrate() -> Calibration:
    """Fit every reading to :data:`TYPFALL`, pick the central reading, and the ranges."""
    fits = tuple(fit(TYPFALL, order) for order in FourthChildOrder)
    central = min(fits, key=lambda f: f.objective)
    variant_fits = {name: fit(typfall, central.order) for name, typfall in VARIANTS.items()}
    ranges = {}
    for name in CUTS:
        values = [central.cuts[name], *(f.cuts[name] for f in variant_fits.values())]
        centre = central.cuts[name]
        low = min(min(values), centre * (1 - MIN_RELATIVE_RANGE))
        high = max(max(values), centre * (1 + MIN_RELATIVE_RANGE))
        ranges[name] = (max(0.0, low), high)
    # The single adult: not identified; from no cut to twice the couple's.
    couple = central.cuts["norm_cut_cohabiting_adults"]
    ranges["norm_cut_single_adult"] = (0.0, max(2 * couple, ranges["norm_cut_single_adult"][1]))
    return Calibration(fits, central, variant_fits, ranges)


def report(calibration: Calibration) -> str:
    """The fit as text: every reading, the central values, each residual, the ranges."""
    lines = [
        "Bidragstak: the modernised norm's cuts and the fourth-child reading, fitted jointly",
        f"to the government's typfall ({TYPFALL_MONTH}; typfall SD {TYPFALL_SD:g} kr, prior SD "
        f"of the parts' differences {PRIOR_SD:g})",
        "",
    ]
    header = "reading          " + "".join(f"{name[9:]:>20}" for name in CUTS)
    header += "".join(f"{t.name:>24}" for t in TYPFALL) + "   objective"
    lines.append(header)
    for f in calibration.fits:
        row = f"{f.order.name.lower():<17}" + "".join(f"{f.cuts[n]:>20.4f}" for n in CUTS)
        row += "".join(
            f"{c:>+12.0f} ({r:>+6.0f} kr)" for c, r in zip(f.changes, f.residuals, strict=True)
        )
        mark = "   <- central" if f is calibration.central else ""
        lines.append(row + f"   {f.objective:9.3f}{mark}")
    lines += ["", "Targets: " + "; ".join(f"{t.name} {t.target_change:+.0f} kr" for t in TYPFALL)]
    lines += ["", f"Variants (reading {calibration.central.order.name.lower()}):"]
    for name, f in calibration.variant_fits.items():
        cuts = ", ".join(f"{n[9:]} {f.cuts[n]:.4f}" for n in FITTED)
        residuals = ", ".join(f"{r:+.0f}" for r in f.residuals)
        lines.append(f"  {name:<40} {cuts}; residuals {residuals} kr")
    lines += ["", "Central values and ranges:"]
    for name in CUTS:
        low, high = calibration.ranges[name]
        lines.append(
            f"  bidragstak.{name:<28} {calibration.central.cuts[name]:.4f}  ({low:.4f} - {high:.4f})"
        )
    lines.append(f"  bidragstak.fourth_child_order          {int(calibration.central.order)}")
    worst = max(abs(r) for r in calibration.central.residuals)
    lines.append(f"\nLargest residual under the central values: {worst:.0f} kr a month")
    return "\n".join(lines)


def write(calibration: Calibration, path: Path | None = None) -> Path:
    """Write the central values and ranges into the assumption file (value, low, high of
    each ``norm_cut_*`` and the central ``fourth_child_order``), rounded to 4 decimals."""
    path = path or assumptions_dir() / "bidragstak.yaml"
    text = path.read_text(encoding="utf-8")
    for name in CUTS:
        low, high = calibration.ranges[name]
        numbers = {
            "value": round(calibration.central.cuts[name], 4),
            "low": round(low, 4),
            "high": round(high, 4),
        }
        text = _set_numbers(text, name, numbers)
    text = _set_numbers(text, "fourth_child_order", {"value": int(calibration.central.order)})
    path.write_text(text, encoding="utf-8")
    return path


def _set_numbers(text: str, name: str, numbers: dict[str, float]) -> str:
    block = re.search(rf"^  {name}:\n(?:    .*\n|\n)*", text, flags=re.MULTILINE)
    if block is None:
        raise SystemExit(f"sim/law/assumptions/bidragstak.yaml has no assumption {name}")
    body = block.group(0)
    for key, number in numbers.items():
        body, count = re.subn(rf"^    {key}: .*$", f"    {key}: {number}", body, flags=re.MULTILINE)
        if count != 1:
            raise SystemExit(f"bidragstak.{name}: expected one '{key}:' line")
    return text[: block.start()] + body + text[block.end() :]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the values into the YAML")
    args = parser.parse_args(argv)
    calibration = calibrate()
    print(report(calibration))
    if args.write:
        print(f"\nwritten: {write(calibration)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
