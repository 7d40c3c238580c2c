"""Numbers in the house format: one formatting function, :func:`format_value`, turns a
metric's value into the text every output shows (summary, report, chart labels), so a number
in ``results.csv`` can be found in the report exactly as formatted here. Conventions (Swedish
by default, ``lang="en"``):

- money a year in million kronor, whole: ``11 805 mkr`` (en ``SEK 11,805m``);
- money a month in whole kronor: ``1 235 kr`` (en ``SEK 1,235``);
- shares in per cent with one decimal: ``30,5 %`` (en ``30.5%``);
- counts of households, persons and places rounded to the nearest 100 from 1 000 up
  (the population is a weighted sample; more digits would be false precision), else whole;
- space as thousands separator and decimal comma in Swedish; the minus sign is U+2212 and
  changes carry an explicit ``+``.


The charts' titles write a number with no-break spaces (:func:`unbroken_number`) and choose
their decimals and rounding with :func:`pp_decimals` and :func:`round_count`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.catalogue import labels
from sim.catalogue.labels import text as _t

MINUS = "\u2212"


def format_number(
    value: float, *, decimals: int = 0, lang: str = "sv", signed: bool = False
) -> str:
    """A number in the house format: ``1 234,5`` (sv) or ``1,234.5`` (en).

    >>> format_number(-1234.56, decimals=1)
    '−1 234,6'
    >>> format_number(1234.56, decimals=1, lang="en", signed=True)
    '+1,234.6'
    >>> format_number(-0.01)
    '0'
    """
    if value is None or not math.isfinite(value):
        return "–"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0
    text = f"{abs(rounded):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", " ").replace(".", ",")
    sign = MINUS if rounded < 0 else ("+" if signed and rounded > 0 else "")
    return sign + text


def _unit(metric: str) -> str:
    return labels.metric_unit(metric) if metric in labels.metric_keys() else ""


def format_value(metric: str, value: float, *, lang: str = "sv", signed: bool = False) -> str:
    """The value of ``metric`` as every output of the report shows it (see the module doc).

    >>> format_value("fs_paid_sek_year", 11_804_665_636.0)
    '11 805 mkr'
    >>> format_value("child_poverty_rate", 0.30549)
    '30,5 %'
    >>> format_value("fs_households_year", 147_144.2, lang="en")
    '147,100'
    """
    unit = _unit(metric)
    if value is None or not math.isfinite(value):
        return "–"
    number = metric_number(metric, value, lang=lang, signed=signed)
    if unit == "SEK/year":
        return f"{number} mkr" if lang == "sv" else f"SEK {number}m"
    if unit == "SEK/month":
        return f"{number} kr" if lang == "sv" else f"SEK {number}"
    if unit == "share":
        return f"{number} %" if lang == "sv" else f"{number}%"
    return number


def metric_number(
    metric: str, value: float, *, lang: str, signed: bool = False, share_decimals: int = 1
) -> str:
    """The number of :func:`format_value` without its unit: money in mkr or kr, shares in
    per cent, counts rounded to hundreds from 1 000 (a sample cannot say more)."""
    unit = _unit(metric)
    if value is None or not math.isfinite(value):
        return "–"
    if unit == "SEK/year":
        return format_number(value / 1e6, lang=lang, signed=signed)
    if unit == "SEK/month":
        return format_number(value, lang=lang, signed=signed)
    if unit == "share":
        return format_number(100 * value, decimals=share_decimals, lang=lang, signed=signed)
    if unit in ("households", "persons", "places"):
        rounded = round(value, -2) if abs(value) >= 1000 else round(value)
        return format_number(rounded, lang=lang, signed=signed)
    if unit == "months":
        return format_number(value, decimals=1, lang=lang, signed=signed)
    if unit == "coefficient":
        return format_number(value, decimals=3, lang=lang, signed=signed)
    return format_number(value, decimals=2, lang=lang, signed=signed)


def _finite(value: Any) -> bool:
    return value is not None and math.isfinite(value)


def format_band(
    metric: str,
    low: float | None,
    high: float | None,
    *,
    lang: str = "sv",
    signed: bool = False,
    share_decimals: int = 1,
) -> str:
    """The uncertainty band ``low``–``high`` of ``metric`` in brackets, numbers formatted as
    :func:`format_value` formats the value (unit left out); empty without a band.

    >>> format_band("child_poverty_rate", 0.2168, 0.2312)
    '(21,7–23,1)'
    >>> format_band("fs_paid_sek_year", -2.71e9, -1.98e9, signed=True)
    '(−2 710 – −1 980)'
    """
    if not (_finite(low) and _finite(high)) or low == high:
        return ""
    kw = {"lang": lang, "signed": signed, "share_decimals": share_decimals}
    lo, hi = metric_number(metric, low, **kw), metric_number(metric, high, **kw)
    plain = not signed and not lo.startswith(MINUS) and not hi.startswith(MINUS)
    return f"({lo}{'–' if plain else ' – '}{hi})"


def format_with_band(
    metric: str,
    value: float,
    low: float | None,
    high: float | None,
    *,
    lang: str = "sv",
    signed: bool = False,
) -> str:
    """``format_value`` followed by the band, when there is one: ``22,3 % (21,7–23,1)``.

    >>> format_with_band("child_poverty_rate", 0.2234, 0.2168, 0.2312)
    '22,3 % (21,7–23,1)'
    >>> format_with_band("child_poverty_rate", 0.2234, None, None, lang="en")
    '22.3%'
    """
    text = format_value(metric, value, lang=lang, signed=signed)
    band = format_band(metric, low, high, lang=lang, signed=signed)
    return f"{text} {band}" if band and text != "–" else text


def format_effect(
    metric: str,
    value: float,
    low: float | None = None,
    high: float | None = None,
    *,
    lang: str = "sv",
) -> str:
    """An effect against the baseline with its band: money and counts as :func:`format_value`
    with a sign; a share in percentage points with two decimals (the effects on poverty are
    tenths of a point): ``+0,08 p.e. (+0,04 – +0,13)``.

    >>> format_effect("poverty_rate", 0.0008, 0.0004, 0.0013)
    '+0,08 p.e. (+0,04 – +0,13)'
    >>> format_effect("fs_paid_sek_year", -2.39e9, lang="en")
    'SEK −2,390m'
    """
    if _unit(metric) != "share":
        text = format_value(metric, value, lang=lang, signed=True)
        band = format_band(metric, low, high, lang=lang, signed=True)
        return f"{text} {band}" if band and text != "–" else text
    if not _finite(value):
        return "–"
    number = metric_number(metric, value, lang=lang, signed=True, share_decimals=2)
    text = f"{number} {_t(lang, 'p.e.', 'pp')}"
    band = format_band(metric, low, high, lang=lang, signed=True, share_decimals=2)
    return f"{text} {band}" if band else text


def unbroken_number(value: float, decimals: int = 0, lang: str = "sv", signed: bool = False) -> str:
    """A number in the house format (:func:`format_number`) with a no-break space
    between the thousands, so a wrapped title never splits ``7 159`` over two lines."""
    return format_number(value, decimals=decimals, lang=lang, signed=signed).replace(" ", "\u00a0")


def kronor(amount: str, lang: str) -> str:
    """An amount with its currency: ``8 204 kr`` (sv), ``SEK 8,204`` (en)."""
    return _t(lang, f"{amount} kr", f"SEK {amount}")


def pp_decimals(changes: Sequence[float]) -> int:
    """Decimals of a change in percentage points: two while every change is below one
    point (tenths would write +0,14 and +0,06 both as +0,1), else one."""
    finite = [abs(c) for c in changes if np.isfinite(c)]
    return 2 if not finite or max(finite) < 1.0 else 1


def round_count(value: float) -> float:
    """A count of households as a title says it: to hundreds from 10 000, to tens from
    1 000, else whole (a municipality's 137 is not "100")."""
    size = abs(value)
    return round(value, -2 if size >= 10_000 else -1 if size >= 1_000 else 0)
