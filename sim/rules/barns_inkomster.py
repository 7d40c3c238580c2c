"""Children's and school youths' own earnings (SoL (2025:400) 12 kap. 9 §).

Earnings of hemmavarande barn, and of hemmavarande skolungdomar under 21, are not counted,
except the part above one prisbasbelopp per calendar year. With the child's earnings
earlier in the year as input, the counted part of this month's earnings is exactly the
part that lies above the annual limit.
"""

from __future__ import annotations

import numpy as np


def counted_child_earnings(
    *,
    earnings_gross: np.ndarray,
    earnings_year_to_date: np.ndarray,
    is_child: np.ndarray,
    exempt_sek_year: float,
) -> np.ndarray:
    """Part of each child's gross earnings this month that counts (0 for adults), SEK/month.

    ``exempt_sek_year`` is ``exempt_prisbasbelopp × prisbasbelopp``.

    >>> counted_child_earnings(earnings_gross=np.array([3000.0, 3000.0, 3000.0]),
    ...     earnings_year_to_date=np.array([0.0, 58000.0, 70000.0]),
    ...     is_child=np.array([True, True, True]), exempt_sek_year=59200.0).tolist()
    [0.0, 1800.0, 3000.0]
    """
    before = np.maximum(0.0, earnings_year_to_date - exempt_sek_year)
    after = np.maximum(0.0, earnings_year_to_date + earnings_gross - exempt_sek_year)
    return np.where(is_child, after - before, 0.0)
