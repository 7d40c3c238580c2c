"""The 290 kommuner: code, name, län, SKR kommungrupp, inhabitants and monthly caseload.

Sources (copies in ``sim/population/data/``, provenance in ``data/README.md``):

* ``kommungrupp_skr_2023.csv``: SKR's kommungruppsindelning 2023, group A1-C9 and main
  group A/B/C of every kommun (SKR open dataset
  ``catalog.skl.se/rowstore/dataset/4c544014-8e8f-4832-ab8e-6e787d383752``);
* ``folkmangd_2024.csv``: SCB folkmängd 31 December 2024 per kommun (BE0101; Kolada N01951),
  summing to 10 587 710, SCB's total for Sweden;
* ``ekb_households_month_2023_2024.csv``: Socialstyrelsen's households with ekonomiskt
  bistånd per month and kommun (:mod:`sim.population.monthly`).

A kommun's län is the first two digits of its code (SCB's kommunkod).
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import functools
import unicodedata

import numpy as np

from sim.common.errors import SimInputError
from sim.population.monthly import data_file, series

#: SKR's nine kommungrupper (2023), in order; main group = first letter.
KOMMUNGRUPPER = ("A1", "A2", "B3", "B4", "B5", "C6", "C7", "C8", "C9")
#: SKR's names of the nine groups (kommungruppsindelning 2023).
KOMMUNGRUPP_NAMES = {
    "A1": "Storstäder",
    "A2": "Pendlingskommun nära storstad",
    "B3": "Större stad",
    "B4": "Pendlingskommun nära större stad",
    "B5": "Lågpendlingskommun nära större stad",
    "C6": "Mindre stad/tätort",
    "C7": "Pendlingskommun nära mindre tätort",
    "C8": "Landsbygdskommun",
    "C9": "Landsbygdskommun med besöksnäring",
}
#: Main group (A, B, C) -> index of :class:`sim.population.tables.MunicipalityGroup`.
MAIN_GROUP_INDEX = {"A": 0, "B": 1, "C": 2}
#: The year of the inhabitants and the caseload used.
DATA_YEAR = 2024


@dataclasses.dataclass(frozen=True)
class Kommun:
    """One kommun. ``mean_monthly_caseload``: mean over the months of :data:`DATA_YEAR`
    Socialstyrelsen publishes for it (``caseload_months`` of them; NaN where none)."""

    code: str
    name: str
    lan_code: str
    group: str
    inhabitants: int
    mean_monthly_caseload: float
    caseload_months: int

    @property
    def main_group(self) -> int:
        """Index of the SKR main group (0 A, 1 B, 2 C)."""
        return MAIN_GROUP_INDEX[self.group[0]]

    @property
    def group_index(self) -> int:
        """Index in :data:`KOMMUNGRUPPER`."""
        return KOMMUNGRUPPER.index(self.group)


def _read(name: str) -> list[dict[str, str]]:
    with data_file(name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def kommun_table() -> tuple[Kommun, ...]:
    """The 290 kommuner in kommunkod order.

    >>> k = kommun_table()
    >>> len(k), k[0].name, sum(x.inhabitants for x in k)
    (290, 'Upplands Väsby', 10587710)
    """
    groups = {r["code"]: r for r in _read("kommungrupp_skr_2023.csv")}
    people = {r["code"]: r for r in _read("folkmangd_2024.csv")}
    if set(groups) != set(people) or len(groups) != 290:
        raise SimInputError("kommun data: the SKR list and SCB's folkmängd disagree on codes")
    out = []
    for code in sorted(groups):
        months = series("kommun", code, DATA_YEAR)
        mean = float(np.mean(list(months.values()))) if months else float("nan")
        out.append(
            Kommun(
                code=code,
                name=people[code]["name"],
                lan_code=code[:2],
                group=groups[code]["group_code"],
                inhabitants=int(people[code]["value"]),
                mean_monthly_caseload=mean,
                caseload_months=len(months),
            )
        )
    return tuple(out)


def _fold(text: str) -> str:
    """Lower case without diacritics (Håbo and Habo differ only here)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def find_kommun(query: str) -> Kommun:
    """The kommun with code ``query`` (four digits) or name ``query`` (case-insensitive).

    A name that matches none exactly but one after folding å/ä/ö is accepted only when
    that folding is unambiguous; otherwise (or for no match) a :class:`SimInputError`
    names the closest kommuner.

    >>> find_kommun("1280").name, find_kommun("malmö").code
    ('Malmö', '1280')
    """
    text = str(query).strip()
    table = kommun_table()
    if text.isdigit():
        for k in table:
            if k.code == text.zfill(4):
                return k
        raise SimInputError(f"no kommun has the code {text!r} (four digits, e.g. 1280 Malmö)")
    exact = [k for k in table if k.name.lower() == text.lower()]
    if exact:
        return exact[0]
    folded = [k for k in table if _fold(k.name) == _fold(text)]
    names = [k.name for k in table]
    close = [k.name for k in folded] or difflib.get_close_matches(text, names, n=3, cutoff=0.6)
    if not close:
        close = [k.name for k in table if _fold(k.name).startswith(_fold(text)[:3])][:3]
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise SimInputError(f"no kommun is named {text!r}{hint}")


def inhabitants_by(key: str) -> dict[str, float]:
    """SCB inhabitants 2024 summed per ``key``: ``"lan"`` (län code) or ``"group"``."""
    out: dict[str, float] = {}
    for k in kommun_table():
        name = k.lan_code if key == "lan" else k.group
        out[name] = out.get(name, 0.0) + k.inhabitants
    return out


def caseload_by_group() -> dict[str, float]:
    """Mean monthly caseload 2024 per kommungrupp: the sum of its kommuner's means,
    scaled so that the nine groups sum to Riket's mean month (Socialstyrelsen's Riket and
    län include its own estimate for the 33 suppressed kommun-months, the kommun rows do
    not: the scaling spreads those few households, 0.1 %, over the groups)."""
    from sim.population.monthly import mean_month

    sums = dict.fromkeys(KOMMUNGRUPPER, 0.0)
    for k in kommun_table():
        if np.isfinite(k.mean_monthly_caseload):
            sums[k.group] += k.mean_monthly_caseload
    scale = mean_month("riket", "00", DATA_YEAR) / sum(sums.values())
    return {g: v * scale for g, v in sums.items()}


def draw_kommun(
    main_group: np.ndarray, rng: np.random.Generator, *, lan_boost: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """A kommun (index into :func:`kommun_table`) for each dwelling of SKR main group
    ``main_group`` (0 A, 1 B, 2 C), drawn with probability proportional to the kommun's
    inhabitants times ``lan_boost`` of its län (21 factors in län order, default ones);
    returns ``(kommun, correction)``: ``correction`` multiplies the dwelling's design weight
    (P(kommun | group) by inhabitants over the probability it was drawn with), so a boosted
    län is oversampled without changing weighted totals."""
    table = kommun_table()
    inhabitants = np.array([k.inhabitants for k in table], dtype=float)
    main = np.array([k.main_group for k in table])
    lan_codes = sorted({k.lan_code for k in table})
    lan_index = np.array([lan_codes.index(k.lan_code) for k in table])
    boost = np.ones(len(lan_codes)) if lan_boost is None else np.asarray(lan_boost, float)
    population = np.zeros((3, len(table)))
    population[main, np.arange(len(table))] = inhabitants
    population /= population.sum(axis=1, keepdims=True)
    drawn = population * boost[lan_index][None, :]
    drawn /= drawn.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(drawn, axis=1)
    u = rng.random(main_group.size)
    index = (u[:, None] > cumulative[main_group]).sum(axis=1)
    index = np.minimum(index, len(table) - 1)
    # Rounding at the end of a row can only land on a kommun of another group with zero
    # probability; step back to the row's last kommun with a positive probability.
    last = np.array([np.flatnonzero(drawn[g] > 0)[-1] for g in range(3)])
    index = np.where(drawn[main_group, index] > 0, index, last[main_group])
    correction = population[main_group, index] / drawn[main_group, index]
    return index.astype(np.int16), correction
