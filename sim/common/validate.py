"""The validation layer at the edge: every argument checked, with its bounds, before work.

The CLI and the Python API (``sim.household``, ``sim.run``, ``build_population``,
``run_sweep``) call these checks before they compute anything; each raises
:class:`~sim.common.errors.SimInputError` with one line naming the argument, the value and the
allowed range. The engine keeps its own checks for what reaches it from elsewhere.

Bounds of amounts (SEK per month, per person or household as the field says). They are
generous on purpose — far above anything a household with försörjningsstöd has — so that
no real case is refused, while they keep the calculation finite and its memory flat:

- **Incomes** (``earnings`` per adult, each ``other_income``, a child's earnings): at most
  :data:`MAX_INCOME_SEK_MONTH` = 1 000 000 kr each, and a person's incomes together at most
  the same. That is more than 25 times the median monthly wage (about 36 000 kr, SCB
  lönestrukturstatistik 2023) and above the pay of almost every Swedish chief executive;
  above it the calculation answers no question of this model.
  A child's earnings so far this year: at most 12 times that.
- **Housing cost** (rent or avgift): :data:`AMOUNT_BOUNDS` ``housing_cost`` = 200 000 kr,
  several times the rent or avgift of the largest flats in central Stockholm, and
  above the monthly cost of almost any owned house.
- **Other costs** (hushållsel, hemförsäkring, arbetsresor, fack/a-kassa) and a top-up above
  the norm: 50 000 kr each — a daily long-distance commute by train or car costs a few
  thousand kronor a month (Skatteverket's milersättning 25 kr/mil), household electricity
  of a large house in winter some 5 000 kr.
- **Counts**: months on FS and jobbstimulans months at most 1 200 (a hundred years);
  households in a population at most :data:`MAX_HOUSEHOLDS` = 5 000 000 (about every
  household in Sweden, some 4.8 million in SCB's household register; the committed
  population has 20 000);
  replications at most :data:`MAX_REPLICATIONS` = 10 000 (the report's bands need 200);
  seeds 0 to 2^63 - 1 (they are stored as 64-bit integers); local Dask workers at most
  :data:`MAX_WORKERS` = 256 (each is a process holding a population).
- **Dates**: ``YYYY-MM`` or a real calendar date ``YYYY-MM-DD`` (``2026-02-30`` is
  refused), years 1900-2100 (the law files then say which years they cover).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Sequence
from typing import Any

from sim.common.errors import SimInputError

#: Languages of the report and charts.
LANGS = ("sv", "en")

#: Upper bound of any one income, and of a person's incomes together, SEK/month.
MAX_INCOME_SEK_MONTH = 1_000_000.0

#: Upper bounds (SEK/month) of the household calculator's amounts (see the module docstring).
AMOUNT_BOUNDS: dict[str, float] = {
    "earnings": MAX_INCOME_SEK_MONTH,
    "other_income": MAX_INCOME_SEK_MONTH,
    "child earnings": MAX_INCOME_SEK_MONTH,
    "child earnings so far": 12 * MAX_INCOME_SEK_MONTH,
    "housing_cost": 200_000.0,
    "hushallsel": 50_000.0,
    "hemforsakring": 50_000.0,
    "arbetsresor": 50_000.0,
    "fack_akassa": 50_000.0,
    "norm_topup": 50_000.0,
}

#: Upper bound of months on FS and of jobbstimulans months used.
MAX_MONTHS = 1_200
#: Upper bound of the households sampled for a population.
MAX_HOUSEHOLDS = 5_000_000
#: Upper bound of a sweep's replications.
MAX_REPLICATIONS = 10_000
#: Upper bound of local worker processes.
MAX_WORKERS = 256
#: Seeds are 64-bit integers.
MAX_SEED = 2**63 - 1
#: Years a date may name.
YEARS = (1900, 2100)


def check_lang(lang: Any) -> str:
    """``sv`` or ``en``."""
    if lang not in LANGS:
        raise SimInputError(f"unknown language {lang!r}; use sv or en")
    return lang


def check_integer(name: str, value: Any, *, low: int, high: int) -> int:
    """A whole number (not a bool, a float or a string) in ``[low, high]``.

    >>> check_integer("--households", 20_000, low=1, high=MAX_HOUSEHOLDS)
    20000
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise SimInputError(f"{name} must be a whole number, not {value!r}")
    if value < low:
        what = {0: "a non-negative integer", 1: "positive"}.get(low, f"at least {low}")
        raise SimInputError(f"{name} must be {what}, not {value}")
    if value > high:
        raise SimInputError(
            f"{name} must be at most {high:_} (see sim/common/validate.py), not {value:_}"
        )
    return int(value)


def check_seed(seed: Any, name: str = "the seed") -> int:
    """A seed: a whole number from 0 to 2^63 - 1."""
    return check_integer(name, seed, low=0, high=MAX_SEED)


def check_households(n: Any, name: str = "the number of households") -> int:
    return check_integer(name, n, low=1, high=MAX_HOUSEHOLDS)


def check_replications(n: Any) -> int:
    return check_integer("--replications", n, low=1, high=MAX_REPLICATIONS)


def check_workers(n: Any) -> int | None:
    """None (in-process) or 1 to :data:`MAX_WORKERS` local worker processes."""
    if n is None:
        return None
    if isinstance(n, numbers.Integral) and not isinstance(n, bool) and n < 1:
        raise SimInputError(f"--workers must be at least 1, not {n}")
    return check_integer("--workers", n, low=1, high=MAX_WORKERS)


def check_amount(name: str, value: Any, *, bound: str | None = None) -> float:
    """A finite, non-negative real amount (SEK/month) within its bound in
    :data:`AMOUNT_BOUNDS` (``bound`` names the entry; default ``name``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SimInputError(f"{name} must be a number (SEK/month), not {value!r}")
    amount = float(value)
    if not math.isfinite(amount) or amount < 0:
        raise SimInputError(f"{name} must be a non-negative amount in SEK/month, not {value}")
    upper = AMOUNT_BOUNDS[bound or name]
    if amount > upper:
        shown = f"{amount:,.0f}".replace(",", " ") if amount < 1e12 else f"{amount:.3g}"
        raise SimInputError(
            f"{name} {shown} kr/month is above the bound of {upper:,.0f} "
            "(see sim/common/validate.py for why)".replace(",", " ")
        )
    return amount


def check_person_income(name: str, amounts: Sequence[float]) -> None:
    """A person's incomes together stay within :data:`MAX_INCOME_SEK_MONTH`."""
    total = sum(amounts)
    if total > MAX_INCOME_SEK_MONTH:
        raise SimInputError(
            f"{name}: incomes of {total:,.0f} kr/month together are above the bound of "
            f"{MAX_INCOME_SEK_MONTH:,.0f} (see sim/common/validate.py)".replace(",", " ")
        )


def check_ages(name: str, ages: Any) -> tuple[int, ...]:
    """A list or tuple of whole years (not a string, not fractions)."""
    if isinstance(ages, str | bytes) or not isinstance(ages, Sequence):
        raise SimInputError(f"{name} must be a list of whole years, not {ages!r}")
    for age in ages:
        if isinstance(age, bool) or not isinstance(age, numbers.Integral):
            raise SimInputError(f"{name} must be whole years, not {age!r}")
    return tuple(int(age) for age in ages)


def check_amounts(name: str, amounts: Any) -> tuple[float, ...]:
    """A list or tuple of amounts (each checked by :func:`check_amount`)."""
    if isinstance(amounts, str | bytes) or not isinstance(amounts, Sequence):
        raise SimInputError(f"{name} must be a list of amounts, not {amounts!r}")
    return tuple(check_amount(name, a) for a in amounts)


def check_flag(name: str, value: Any, *, optional: bool = False) -> Any:
    """True or False (or None when ``optional``)."""
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        raise SimInputError(f"{name} must be True or False, not {value!r}")
    return value


def parse_month(value: Any) -> dt.date:
    """The first day of the month ``value`` names: a ``datetime.date`` or the text
    ``YYYY-MM`` or ``YYYY-MM-DD`` (a real calendar date).

    >>> parse_month("2026-02"), parse_month("2026-02-28")
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 1))
    """
    if isinstance(value, dt.date):
        when = value
    elif isinstance(value, str):
        parts = value.strip().split("-")
        try:
            if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
                raise ValueError
            when = dt.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
        except ValueError:
            raise SimInputError(
                f"date {value!r} is not a month of the form YYYY-MM (or a real YYYY-MM-DD)"
            ) from None
    else:
        raise SimInputError(f"date must be a text YYYY-MM or a datetime.date, not {value!r}")
    if not YEARS[0] <= when.year <= YEARS[1]:
        raise SimInputError(f"date {value!r}: the year must be within {YEARS[0]}-{YEARS[1]}")
    return dt.date(when.year, when.month, 1)
