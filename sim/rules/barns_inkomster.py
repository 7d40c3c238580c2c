"""Children's and school youths' own earnings (SoL (2025:400) 12 kap. 9 §).

Earnings of hemmavarande barn, and of hemmavarande skolungdomar under 21, are not counted,
except the part above one prisbasbelopp per calendar year. With the child's earnings
earlier in the year as input, the counted part of this month's earnings is exactly the
part that lies above the annual limit.
"""

from __future__ import annotations

from sim.common.jit import jit


@jit
def counted_child_earnings(
    earnings_gross: float, earnings_year_to_date: float, exempt_sek_year: float
) -> float:
    """The part of a child's gross earnings this month that counts, SEK/month (12 kap. 9 §).

    ``exempt_sek_year`` is ``exempt_prisbasbelopp × prisbasbelopp``.

    >>> [counted_child_earnings(3000.0, to_date, 59200.0) for to_date in (0.0, 58000.0, 70000.0)]
    [0.0, 1800.0, 3000.0]
    """
    before = max(0.0, earnings_year_to_date - exempt_sek_year)
    after = max(0.0, earnings_year_to_date + earnings_gross - exempt_sek_year)
    return after - before


@jit
def counted_child_net_earnings(
    earnings_gross: float,
    net_earnings: float,
    earnings_year_to_date: float,
    exempt_sek_year: float,
) -> float:
    """The counted part (:func:`counted_child_earnings`) at net, SEK/month: converted at the
    child's own net/gross ratio (FS counts net incomes, 12 kap. 1 §).

    >>> counted_child_net_earnings(3000.0, 2400.0, 58000.0, 59200.0)
    1440.0
    """
    counted_gross = counted_child_earnings(earnings_gross, earnings_year_to_date, exempt_sek_year)
    net_ratio = net_earnings / earnings_gross if earnings_gross > 0 else 0.0
    return counted_gross * net_ratio
