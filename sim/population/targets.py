"""Calibration targets: read the packaged targets file and align each row to the year.

``sim/population/targets.csv`` is a copy of ``shared/reference/targets.csv`` (same columns,
sources kept), packaged so an installed ``sim`` can read it. :func:`aligned_targets` says
for every row how it is used for the simulated year: as a calibration margin, as a check
reported beside the margins, or not at all (with the reason). Alignment rules (documented
in ``docs/population.md``):

* household counts from SCB 2021 (``scb_hh_*``, ``scb_households_total``,
  ``scb_persons_total``) are scaled by population growth 2021-2024 (folkmängd 31 Dec:
  10 452 326 -> 10 587 710, factor 1.01295);
* recipient household types (2021) keep their 2021 shares of the six types and are
  scaled to the 2024 number of recipient households;
* months per recipient household (2020) is a check (the twelve monthly margins of 2024,
  :mod:`sim.population.monthly`, fix the months of receipt) and the long-term share (2020)
  a margin, both used as they are;
* recipients by sex and children (2020) are scaled by the ratio of recipient households
  2024/2020 (145 456 / 198 514) and reported, not calibrated.
"""

from __future__ import annotations

import csv
import dataclasses
from importlib import resources
from pathlib import Path

from sim.common.errors import SimInputError
from sim.population.tables import POPULATION_2021, POPULATION_2024

COLUMNS = ("id", "year", "quantity", "value", "unit", "scope", "evidence", "source")


@dataclasses.dataclass(frozen=True)
class Target:
    """One row of the targets file."""

    id: str
    year: int | None
    quantity: str
    value: float
    unit: str
    scope: str
    evidence: str
    source: str

    @property
    def key(self) -> str:
        return f"{self.id}@{self.year}" if self.year is not None else self.id


@dataclasses.dataclass(frozen=True)
class AlignedTarget:
    """A target as used for one simulated year.

    ``use`` is ``"margin"`` (calibrated), ``"check"`` (reported against the population),
    or ``"none"`` (reported with ``reason``). ``value`` is in the model's unit (SEK, not
    thousand SEK; counts; shares); ``tolerance`` is absolute for shares and relative
    otherwise (``tolerance_kind``).
    """

    target: Target
    value: float
    use: str
    rule: str
    tolerance: float = 0.02
    tolerance_kind: str = "relative"
    reason: str = ""


def default_targets_path() -> Path:
    """The packaged targets file."""
    return Path(str(resources.files("sim.population") / "targets.csv"))


def load_targets(path: str | Path | None = None) -> list[Target]:
    """Read a targets CSV (columns :data:`COLUMNS`)."""
    path = Path(path) if path is not None else default_targets_path()
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise SimInputError(f"{path}: expected columns {','.join(COLUMNS)}")
            rows = list(reader)
    except OSError as exc:
        raise SimInputError(f"{path}: cannot read the targets file ({exc.strerror})") from None
    targets = []
    for line, row in enumerate(rows, start=2):
        try:
            targets.append(
                Target(
                    id=row["id"],
                    year=int(row["year"]) if row["year"] else None,
                    quantity=row["quantity"],
                    value=float(row["value"]),
                    unit=row["unit"],
                    scope=row["scope"],
                    evidence=row["evidence"],
                    source=row["source"],
                )
            )
        except (TypeError, ValueError):
            raise SimInputError(f"{path}:{line}: malformed target row") from None
    return targets


def _find(targets: list[Target], id_: str, year: int) -> Target:
    for t in targets:
        if t.id == id_ and t.year == year:
            return t
    raise SimInputError(f"targets file has no row {id_} for {year}")


def aligned_targets(targets: list[Target], year: int) -> list[AlignedTarget]:
    """How every row of ``targets`` is used for ``year`` (see the module docstring)."""
    if year != 2024:
        raise SimInputError(f"targets are aligned only to 2024, not {year}")
    growth = POPULATION_2024 / POPULATION_2021
    fs_households = _find(targets, "fs_households", year).value
    fs_2020 = _find(targets, "fs_households", 2020).value
    type_total = sum(
        t.value
        for t in targets
        if t.id.startswith("fs_hh_type_") and t.id != "fs_hh_type_total_18_64"
    )
    out: list[AlignedTarget] = []
    for t in targets:
        out.append(
            _align(
                t,
                year,
                growth=growth,
                fs_households=fs_households,
                fs_2020=fs_2020,
                type_total=type_total,
                all_targets=targets,
            )
        )
    return out


def _align(
    t: Target,
    year: int,
    *,
    growth: float,
    fs_households: float,
    fs_2020: float,
    type_total: float,
    all_targets: list[Target],
) -> AlignedTarget:
    same_year = "used as it is (same year)"
    if t.id in ("fs_households", "fs_paid", "fs_households_full_year", "scb_low_economic_standard"):
        if t.year != year:
            return AlignedTarget(
                t, t.value, "none", "", reason=f"{t.year} value; the {year} row is used"
            )
        value = t.value * 1000 if t.unit == "thousand SEK" else t.value
        if t.id == "scb_low_economic_standard":
            return AlignedTarget(t, value, "margin", same_year, 0.01, "absolute")
        tol = {"fs_households": 0.02, "fs_paid": 0.03, "fs_households_full_year": 0.10}[t.id]
        return AlignedTarget(t, value, "margin", same_year, tol)
    if t.id in ("fs_paid_per_household", "fs_paid_per_inhabitant"):
        return AlignedTarget(t, t.value, "check", same_year, 0.03)
    if t.id.startswith("fs_hh_type_"):
        if t.id == "fs_hh_type_total_18_64":
            total = _find(all_targets, "fs_households", 2021).value
            return AlignedTarget(
                t,
                t.value / total,
                "check",
                "share of all recipient households with applicant 18-64 in 2021 "
                f"({t.value:.0f}/{total:.0f}), used as it is",
                0.02,
                "absolute",
            )
        share = t.value / type_total
        return AlignedTarget(
            t,
            share,
            "margin",
            f"2021 share of the six types ({share:.4f}) times {year} recipient households",
            0.02,
            "absolute",
        )
    if t.id == "scb_child_low_economic_standard":
        return AlignedTarget(
            t,
            t.value,
            "margin",
            "2019 value (20 %, rounded to whole per cent) used as it is; the rate moved about "
            "a point a year at most in 2011-2019 (Folkhälsomyndigheten)",
            0.02,
            "absolute",
        )
    if t.id == "fs_months_per_household":
        # Superseded by the twelve 2024 months (sim.population.monthly), margins that fix
        # the months of receipt: 12 x 88 864 / 145 456 = 7.33 months per household in 2024.
        return AlignedTarget(
            t,
            t.value,
            "check",
            "2020 value used as it is; compared only: the twelve monthly margins of "
            f"{year} fix the months of receipt",
            0.10,
        )
    if t.id == "fs_longterm_share_recipients":
        return AlignedTarget(t, t.value, "margin", "2020 value used as it is", 0.10)
    if t.id.startswith("fs_takeup_"):
        return AlignedTarget(
            t,
            t.value,
            "check",
            "2021 share used as it is (recipient units of the type / all units of the type)",
            0.02,
            "absolute",
        )
    if t.id in ("fs_recipients_women", "fs_recipients_men", "fs_recipients_children"):
        ratio = fs_households / fs_2020
        return AlignedTarget(
            t,
            t.value * ratio,
            "check",
            f"2020 count times recipient households {year}/2020 ({ratio:.4f})",
            0.10,
        )
    if t.id == "fs_longterm_adults_share_of_adult_pop":
        return AlignedTarget(t, t.value, "check", "2022 share used as it is", 0.10)
    if t.id.startswith("scb_hh_") or t.id in ("scb_households_total", "scb_persons_total"):
        use = "check" if t.id == "scb_households_total" else "margin"
        return AlignedTarget(
            t,
            t.value * growth,
            use,
            f"2021 count times population growth 2021-{year} ({growth:.5f})",
            0.02,
        )
    if t.id == "scb_low_economic_standard_single_no_children":
        return AlignedTarget(t, t.value, "check", "2020 share used as it is", 0.05, "absolute")
    if t.id == "scb_gini":
        return AlignedTarget(
            t, t.value, "check", "2023 value used as it is (not a linear margin)", 0.03, "absolute"
        )
    if t.id.startswith("scale_"):
        return AlignedTarget(t, t.value, "none", "", reason="used as the consumption-unit scale")
    reasons = {
        "fs_households": f"{t.year} value; the {year} row is used",
        "fs_paid": f"{t.year} value; the {year} row is used",
        "fs_hinder_unemployment": "försörjningshinder are not modelled",
        "fs_hinder_social": "försörjningshinder are not modelled",
        "fs_hinder_sick_certificate": "försörjningshinder are not modelled",
        "scb_median_economic_standard": "2020 nominal value; no documented alignment to "
        f"{year} (nominal growth 2020-{year} not in the targets file)",
        "scb_median_economic_standard_real_change": "a change between years; the model "
        "simulates one year",
        "scb_children_low_income_standard": "låg inkomststandard (SCB's basic-consumption "
        "line) is not modelled",
        "scb_low_income_standard_threshold_couple_2children": "a line, not a population total",
        "scb_low_income_standard_threshold_single_2children": "a line, not a population total",
        "scb_fye_ekonomiskt_bistand": "full-year equivalents are not modelled",
    }
    return AlignedTarget(t, t.value, "none", "", reason=reasons.get(t.id, "not modelled"))
