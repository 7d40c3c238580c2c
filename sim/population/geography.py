"""Geography: every dwelling in one of the 290 kommuner, its län and SKR kommungrupp.

Every sampled dwelling lies in one kommun (:mod:`sim.population.kommuner`), and with it in
one län and one of SKR's nine kommungrupper (A1-C9; the main group A/B/C is
:class:`~sim.population.tables.MunicipalityGroup`). The main group is drawn first, from
the dwelling's disadvantage class (recipients of försörjningsstöd live more often in the
metropolitan areas); the kommun is then drawn within the main group with probability
proportional to its inhabitants (SCB folkmängd 31 Dec 2024) times the oversampling factor
of its län (:data:`MIN_LAN_SAMPLE_SHARE`), the design weight carrying the inverse. This
replaces the assumed shares of each län in the three groups (``lan.csv`` before issue 18)
with SKR's kommungruppsindelning 2023 and SCB's inhabitants per kommun.

Calibration (:func:`lan_aligned_targets`, :func:`lan_margins`):

* inhabitants per län and per kommungrupp (margins, ±2 %): SCB's 2024 inhabitants of
  their kommuner, as shares of the aligned national total of persons (10 568 893 persons
  in households; SCB's folkmängd, 10 587 710, also counts persons outside them);
* biståndshushåll and ekonomiskt bistånd paid per län during the year: a margin (±5 %,
  issue 7) wherever a figure *for the population's year* is published in
  ``targets_lan.csv`` (Gotland); other län are listed in the calibration report as "none"
  with the newest year found, never filled with an estimate. A län with fewer than
  :data:`MIN_RECIPIENT_RECORDS` sampled recipient units gets a check instead of a margin;
* the mean monthly caseload per län and per kommungrupp: :mod:`sim.population.monthly`.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sim.common.errors import SimInputError
from sim.population.targets import AlignedTarget, Target, load_targets

if TYPE_CHECKING:
    from sim.population.calibration import Margin
    from sim.population.tables import Population

__all__ = [
    "Lan",
    "lan_boost",
    "place_dwellings",
    "dwelling_totals",
    "lan_achieved",
    "lan_aligned_targets",
    "lan_of_dwellings",
    "lan_margins",
    "lan_population_shares",
    "lan_table",
    "lan_targets_path",
    "with_thin_margins_as_checks",
]

#: Year of the inhabitants per kommun (SCB folkmängd 31 December).
POPULATION_SHARE_YEAR = 2024
#: Län with a smaller share of the inhabitants are oversampled to it (Gotland, 0.57 %, is
#: sampled as if it had 2 %; Jämtland, Blekinge, Kronoberg less), so that every län's
#: caseload margin has enough sampled recipient units (MIN_RECIPIENT_RECORDS).
MIN_LAN_SAMPLE_SHARE = 0.02
#: Tolerance of the per-län FS margins (issue 7: within ±5 % of the published figures).
FS_LAN_TOLERANCE = 0.05
#: A per-län FS margin needs at least this many sampled recipient units in the län;
#: with fewer (small populations, small län) the target is a check, not a margin. On the
#: committed 20 000 dwellings Gotland has 8-20 such units depending on the seed, too few
#: to carry a margin reliably (sweeps rebuild the population with other seeds).
MIN_RECIPIENT_RECORDS = 30
#: Tolerance of the per-län inhabitants margins.
POPULATION_LAN_TOLERANCE = 0.02
#: The source of the inhabitants per kommun.
SCB_SOURCE = (
    "SCB BE0101 (Kolada N01951) via "
    "https://github.com/ordnaswe/val26/blob/c968600e0c958bc2b27b918236edd2ac59d99515/"
    "data/folkmangd_2024.csv"
)


@dataclasses.dataclass(frozen=True)
class Lan:
    """One län: its code (``"01"`` .. ``"25"``) and name."""

    code: str
    name: str


def _package_file(name: str) -> Path:
    return Path(str(resources.files("sim.population") / name))


@functools.cache
def lan_table() -> tuple[Lan, ...]:
    """The 21 län in länskod order (``lan.csv``)."""
    path = _package_file("lan.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(Lan(row["lan_kod"], row["lan"]) for row in rows)


def lan_targets_path() -> Path:
    """The packaged per-län targets file (same columns as targets.csv)."""
    return _package_file("targets_lan.csv")


@functools.cache
def _lan_target_rows() -> tuple[Target, ...]:
    return tuple(load_targets(lan_targets_path()))


def lan_population_shares() -> np.ndarray:
    """Each län's share of the inhabitants, SCB 31 Dec 2024 (the sum of its kommuner)."""
    from sim.population.kommuner import inhabitants_by

    by_lan = inhabitants_by("lan")
    population = np.array([by_lan[lan.code] for lan in lan_table()])
    return population / population.sum()


def lan_boost() -> np.ndarray:
    """The oversampling factor of each län: a län with less than
    :data:`MIN_LAN_SAMPLE_SHARE` of the inhabitants is sampled as if it had that share."""
    return np.maximum(1.0, MIN_LAN_SAMPLE_SHARE / lan_population_shares())


def place_dwellings(main_group: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Kommun, län and kommungrupp of each dwelling of SKR main group ``main_group``, and
    the factor ``_kommun_correction`` of its design weight (:func:`draw_kommun`)."""
    from sim.population.kommuner import draw_kommun, kommun_table

    kommun, correction = draw_kommun(main_group, rng, lan_boost=lan_boost())
    table = kommun_table()
    codes = [lan.code for lan in lan_table()]
    lan_of_kommun = np.array([codes.index(k.lan_code) for k in table], dtype=np.int8)
    group_of_kommun = np.array([k.group_index for k in table], dtype=np.int8)
    return {
        "kommun": kommun,
        "lan": lan_of_kommun[kommun],
        "kommungrupp": group_of_kommun[kommun],
        "_kommun_correction": correction,
    }


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
    scb_total = sum(k.inhabitants for k in _kommuner())
    out: list[AlignedTarget] = []
    for lan, share in zip(lan_table(), shares, strict=True):
        inhabitants = share * scb_total
        t = Target(
            id=_target_id("scb_population_lan", lan),
            year=POPULATION_SHARE_YEAR,
            quantity=f"Inhabitants 31 December {POPULATION_SHARE_YEAR}, {lan.name} "
            "(SCB folkmängd, the sum of its kommuner)",
            value=inhabitants,
            unit="persons",
            scope=lan.name,
            evidence="S (SCB BE0101 via Kolada N01951)",
            source=SCB_SOURCE,
        )
        out.append(
            AlignedTarget(
                t,
                persons_total * share,
                "margin",
                f"{_whole(inhabitants)} inhabitants as a share of the aligned national total "
                f"({_whole(persons_total)})",
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


def group_aligned_targets(year: int, persons_total: float) -> list[AlignedTarget]:
    """Inhabitants per SKR kommungrupp (A1-C9): SCB's 2024 inhabitants of its kommuner
    as a share of the aligned national total (margins, ±2 %)."""
    from sim.population.kommuner import KOMMUNGRUPP_NAMES, KOMMUNGRUPPER, inhabitants_by

    by_group = inhabitants_by("group")
    scb_total = sum(by_group.values())
    out = []
    for group in KOMMUNGRUPPER:
        t = Target(
            id=f"scb_population_kommungrupp:{group}",
            year=POPULATION_SHARE_YEAR,
            quantity=f"Inhabitants 31 December {POPULATION_SHARE_YEAR} in SKR kommungrupp "
            f"{group} ({KOMMUNGRUPP_NAMES[group]}, SKR 2023)",
            value=by_group[group],
            unit="persons",
            scope=group,
            evidence="S (SCB BE0101 via Kolada N01951; SKR kommungruppsindelning 2023)",
            source=SCB_SOURCE,
        )
        out.append(
            AlignedTarget(
                t,
                persons_total * by_group[group] / scb_total,
                "margin",
                f"{_whole(by_group[group])} inhabitants as a share of the aligned national "
                f"total ({_whole(persons_total)})",
                POPULATION_LAN_TOLERANCE,
            )
        )
    return out


def group_of_dwellings(population: Population) -> np.ndarray:
    """The SKR kommungrupp (index into KOMMUNGRUPPER) of every dwelling."""
    if "kommungrupp" not in population.dwellings.columns:
        raise SimInputError(
            "the population has no kommun (built before generator version 4); rebuild it "
            "with `sim population`"
        )
    return population.dwellings["kommungrupp"].to_numpy()


def group_margins(population: Population, targets: list[AlignedTarget]) -> list[Margin]:
    """The inhabitants margins per kommungrupp."""
    from sim.population.calibration import Margin
    from sim.population.kommuner import KOMMUNGRUPPER

    group = group_of_dwellings(population)
    inhabitants = dwelling_totals(population)["inhabitants"]
    return [
        Margin(
            t.target.key,
            inhabitants * (group == KOMMUNGRUPPER.index(t.target.id.partition(":")[2])),
            t.value,
            t.target.source,
        )
        for t in targets
        if t.use == "margin" and t.target.id.startswith("scb_population_kommungrupp:")
    ]


def group_achieved(population: Population) -> dict[str, float]:
    """Weighted inhabitants per kommungrupp, keyed as the targets."""
    from sim.population.kommuner import KOMMUNGRUPPER

    group = group_of_dwellings(population)
    w = population.dwellings["weight"].to_numpy()
    inhabitants = dwelling_totals(population)["inhabitants"]
    per_group = np.bincount(group, weights=w * inhabitants, minlength=len(KOMMUNGRUPPER))
    return {
        f"scb_population_kommungrupp:{g}@{POPULATION_SHARE_YEAR}": float(per_group[i])
        for i, g in enumerate(KOMMUNGRUPPER)
    }


def _kommuner():
    from sim.population.kommuner import kommun_table

    return kommun_table()


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
        if t.use == "margin" and base in ("fs_households_lan", "fs_paid_lan") and code:
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
    from sim.population.calibration import Margin

    lan = lan_of_dwellings(population)
    totals = dwelling_totals(population)
    codes = {lan_.code: i for i, lan_ in enumerate(lan_table())}
    margins = []
    for t in targets:
        base, _, code = t.target.id.partition(":")
        if t.use != "margin" or base not in TARGET_TOTAL:
            continue
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
    return out
