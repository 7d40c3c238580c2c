"""Geography: the 21 län, SKR's municipality groups, and the per-län calibration targets.

Every sampled dwelling lies in one län and one of SKR's three main municipality groups
(:class:`~sim.population.generate.MunicipalityGroup`). The group is drawn first, from the
dwelling's disadvantage class (recipients of försörjningsstöd live more often in the
metropolitan areas); the län is then drawn given the group, with

.. math:: P(\\text{län} \\mid g) \\propto \\text{folkmängd}_\\text{län}
          \\times P(g \\mid \\text{län}),

where the folkmängd per län is SCB's (31 Dec 2020, all 21 län, in ``targets_lan.csv``)
and :math:`P(g \\mid \\text{län})`, the share of the län's inhabitants living in each
group's kommuner, is an **assumption** (``lan.csv``, column ``basis`` says what it rests
on): SKR's kommungruppsindelning 2023 lists the group of every kommun, but neither that
list nor the inhabitants per kommun are in the stored sources this project can reach
(``docs/municipal_data.md``). With the list, the shares become a sum of kommun
populations per group; the code does not change.

Calibration (:func:`lan_aligned_targets`, :func:`lan_margins`):

* inhabitants per län (margins, ±2 %): the published figure where one exists for the
  population's year (four län for 2024); the other län share the rest of the aligned
  national total in proportion to their 2020 inhabitants (the last year with all 21);
* biståndshushåll and ekonomiskt bistånd paid per län: a margin (±5 %, issue 7) wherever
  a figure *for the population's year* is published in ``targets_lan.csv``; other län are
  listed in the calibration report as "none" with the newest year found, never filled
  with an estimate. A län with fewer than :data:`MIN_RECIPIENT_RECORDS` sampled
  recipient units gets a check instead of a margin (small populations).
"""

from __future__ import annotations

import csv
import dataclasses
import functools
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sim.errors import SimInputError
from sim.population.targets import AlignedTarget, Target, load_targets

if TYPE_CHECKING:
    from sim.population.calibrate import Margin
    from sim.population.generate import Population

__all__ = [
    "Lan",
    "draw_lan",
    "dwelling_totals",
    "lan_achieved",
    "lan_aligned_targets",
    "lan_given_group",
    "lan_of_dwellings",
    "lan_margins",
    "lan_population_shares",
    "lan_table",
    "lan_targets_path",
    "with_thin_margins_as_checks",
]

#: Year of the only complete set of inhabitants per län in targets_lan.csv.
POPULATION_SHARE_YEAR = 2020
#: Tolerance of the per-län FS margins (issue 7: within ±5 % of the published figures).
FS_LAN_TOLERANCE = 0.05
#: A per-län FS margin needs at least this many sampled recipient units in the län;
#: with fewer (small populations, small län) the target is a check, not a margin. On the
#: committed 20 000 dwellings Gotland has 8-20 such units depending on the seed, too few
#: to carry a margin reliably (sweeps rebuild the population with other seeds).
MIN_RECIPIENT_RECORDS = 30
#: Tolerance of the per-län inhabitants margins.
POPULATION_LAN_TOLERANCE = 0.02


@dataclasses.dataclass(frozen=True)
class Lan:
    """One län: its code (``"01"`` .. ``"25"``), name, and the assumed share of its
    inhabitants in each SKR main group (storstad, större stad, mindre ort)."""

    code: str
    name: str
    group_shares: tuple[float, float, float]
    basis: str


def _package_file(name: str) -> Path:
    return Path(str(resources.files("sim.population") / name))


@functools.cache
def lan_table() -> tuple[Lan, ...]:
    """The 21 län in länskod order (``lan.csv``)."""
    path = _package_file("lan.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = []
    for row in rows:
        shares = tuple(
            float(row[k]) for k in ("share_storstad", "share_storre_stad", "share_mindre_ort")
        )
        if abs(sum(shares) - 1.0) > 1e-9 or min(shares) < 0:
            raise SimInputError(f"{path}: group shares of {row['lan']} do not sum to 1")
        table.append(Lan(row["lan_kod"], row["lan"], shares, row["basis"]))  # type: ignore[arg-type]
    return tuple(table)


def lan_targets_path() -> Path:
    """The packaged per-län targets file (same columns as targets.csv)."""
    return _package_file("targets_lan.csv")


@functools.cache
def _lan_target_rows() -> tuple[Target, ...]:
    return tuple(load_targets(lan_targets_path()))


def lan_population_shares() -> np.ndarray:
    """Each län's share of the inhabitants, SCB 31 Dec 2020 (targets_lan.csv)."""
    by_name = {
        t.scope: t.value
        for t in _lan_target_rows()
        if t.id == "scb_population_lan" and t.year == POPULATION_SHARE_YEAR
    }
    missing = [lan.name for lan in lan_table() if lan.name not in by_name]
    if missing:
        raise SimInputError(f"targets_lan.csv: no {POPULATION_SHARE_YEAR} folkmängd for {missing}")
    population = np.array([by_name[lan.name] for lan in lan_table()])
    return population / population.sum()


def lan_given_group() -> np.ndarray:
    """P(län | municipality group), shape (3, 21): rows sum to one."""
    shares = np.array([lan.group_shares for lan in lan_table()])  # (21, 3)
    joint = lan_population_shares()[:, None] * shares
    return (joint / joint.sum(axis=0)).T


def draw_lan(municipality_group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A län index (position in :func:`lan_table`) for each dwelling, given its group."""
    cumulative = np.cumsum(lan_given_group(), axis=1)
    u = rng.random(municipality_group.size)
    index = (u[:, None] > cumulative[municipality_group]).sum(axis=1)
    return np.minimum(index, len(lan_table()) - 1).astype(np.int8)


def _whole(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _target_id(base: str, lan: Lan) -> str:
    return f"{base}:{lan.code}"


def lan_aligned_targets(year: int, persons_total: float) -> list[AlignedTarget]:
    """How the per-län rows are used for ``year`` (see the module docstring).

    ``persons_total`` is the aligned total of inhabitants the national margin uses, so the
    per-län inhabitants margins sum to it exactly.
    """
    rows = _lan_target_rows()
    shares = lan_population_shares()
    published = {t.scope: t for t in rows if t.id == "scb_population_lan" and t.year == year}
    known = [lan.name in published for lan in lan_table()]
    rest_total = persons_total - sum(
        published[lan.name].value for lan in lan_table() if lan.name in published
    )
    rest_share = float(shares[~np.array(known)].sum())
    out: list[AlignedTarget] = []
    for lan, share, is_known in zip(lan_table(), shares, known, strict=True):
        if is_known:
            t = published[lan.name]
            out.append(
                AlignedTarget(
                    dataclasses.replace(t, id=_target_id("scb_population_lan", lan)),
                    t.value,
                    "margin",
                    "used as it is (same year)",
                    POPULATION_LAN_TOLERANCE,
                )
            )
        else:
            base = next(
                t
                for t in rows
                if t.id == "scb_population_lan"
                and t.scope == lan.name
                and t.year == POPULATION_SHARE_YEAR
            )
            value = rest_total * share / rest_share
            out.append(
                AlignedTarget(
                    dataclasses.replace(base, id=_target_id("scb_population_lan", lan)),
                    value,
                    "margin",
                    f"the aligned total ({_whole(persons_total)}) less the län with a {year} "
                    f"figure, shared by {POPULATION_SHARE_YEAR} inhabitants",
                    POPULATION_LAN_TOLERANCE,
                )
            )
        for id_ in ("fs_households_lan", "fs_paid_lan"):
            found = sorted(
                (t for t in rows if t.id == id_ and t.scope == lan.name),
                key=lambda t: t.year or 0,
            )
            same_year = [t for t in found if t.year == year]
            if same_year:
                t = same_year[0]
                value = t.value * 1000 if t.unit == "thousand SEK" else t.value
                out.append(
                    AlignedTarget(
                        dataclasses.replace(t, id=_target_id(id_, lan)),
                        value,
                        "margin",
                        "used as it is (same year)",
                        FS_LAN_TOLERANCE,
                    )
                )
                continue
            newest = found[-1] if found else None
            reason = (
                f"no published {year} figure found; newest found: {newest.year}: "
                f"{_whole(newest.value)} {newest.unit}"
                if newest
                else "no published figure found for any year (docs/municipal_data.md)"
            )
            placeholder = Target(
                id=_target_id(id_, lan),
                year=year,
                quantity=f"{id_} {lan.name}",
                value=float("nan"),
                unit="households" if id_ == "fs_households_lan" else "SEK",
                scope=lan.name,
                evidence="",
                source=newest.source if newest else "",
            )
            out.append(AlignedTarget(placeholder, float("nan"), "none", "", reason=reason))
    return out


def lan_of_dwellings(population: Population) -> np.ndarray:
    """The län index of every dwelling; a clear error for populations built without one."""
    if "lan" not in population.dwellings.columns:
        raise SimInputError(
            "the population has no län (built before generator version 3); rebuild it "
            "with `sim population`"
        )
    return population.dwellings["lan"].to_numpy()


def dwelling_totals(population: Population) -> dict[str, np.ndarray]:
    """Per dwelling: ``inhabitants``, ``recipients`` (units with FS in the data year) and
    ``fs_paid`` (SEK in the data year)."""
    n_dw = population.dwellings.height
    persons = np.bincount(population.persons["dwelling_idx"].to_numpy(), minlength=n_dw)
    paid = population.household_months_array("forsorjningsstod")
    dwelling = population.households["dwelling_idx"].to_numpy()
    return {
        "inhabitants": persons.astype(float),
        "recipients": np.bincount(
            dwelling, weights=(paid > 0).any(axis=1).astype(float), minlength=n_dw
        ),
        "fs_paid": np.bincount(dwelling, weights=paid.sum(axis=1), minlength=n_dw),
    }


#: The per-dwelling total behind each per-län target id.
TARGET_TOTAL = {
    "scb_population_lan": "inhabitants",
    "fs_households_lan": "recipients",
    "fs_paid_lan": "fs_paid",
}


def with_thin_margins_as_checks(
    population: Population, targets: list[AlignedTarget]
) -> list[AlignedTarget]:
    """Per-län FS margins of län with fewer than :data:`MIN_RECIPIENT_RECORDS` sampled
    recipient units become checks: a margin on a handful of records would force a few
    weights to carry the län (and may be unreachable within the weight bounds)."""
    lan = lan_of_dwellings(population)
    paid = population.household_months_array("forsorjningsstod")
    dwelling = population.households["dwelling_idx"].to_numpy()
    records = np.bincount(lan[dwelling][(paid > 0).any(axis=1)], minlength=len(lan_table()))
    codes = {lan_.code: i for i, lan_ in enumerate(lan_table())}
    out = []
    for t in targets:
        base, _, code = t.target.id.partition(":")
        if t.use == "margin" and base.startswith("fs_") and code:
            n = int(records[codes[code]])
            if n < MIN_RECIPIENT_RECORDS:
                t = dataclasses.replace(
                    t,
                    use="check",
                    rule=f"{t.rule}; compared only: {n} sampled recipient units in the län "
                    f"(a margin needs {MIN_RECIPIENT_RECORDS})",
                )
        out.append(t)
    return out


def lan_margins(population: Population, targets: list[AlignedTarget]) -> list[Margin]:
    """The calibration margins of the per-län targets used as margins."""
    from sim.population.calibrate import Margin

    lan = lan_of_dwellings(population)
    totals = dwelling_totals(population)
    codes = {lan_.code: i for i, lan_ in enumerate(lan_table())}
    margins = []
    for t in targets:
        if t.use != "margin" or ":" not in t.target.id:
            continue
        base, code = t.target.id.split(":")
        margins.append(
            Margin(
                t.target.key,
                totals[TARGET_TOTAL[base]] * (lan == codes[code]),
                t.value,
                t.target.source,
            )
        )
    return margins


def lan_achieved(population: Population) -> dict[str, float]:
    """Weighted inhabitants, recipient units and FS paid per län, keyed as the targets
    (``<id>:<kod>@<year>``; the inhabitants under both 2020 and the population's year,
    as the target of a län is of either year)."""
    lan = lan_of_dwellings(population)
    w = population.dwellings["weight"].to_numpy()
    totals = dwelling_totals(population)
    out: dict[str, float] = {}
    for i, lan_ in enumerate(lan_table()):
        in_lan = lan == i
        for base, total in TARGET_TOTAL.items():
            column = totals[total]
            total = float((w * column)[in_lan].sum())
            out[f"{_target_id(base, lan_)}@{population.year}"] = total
            if base == "scb_population_lan":
                out[f"{_target_id(base, lan_)}@{POPULATION_SHARE_YEAR}"] = total
    return out
