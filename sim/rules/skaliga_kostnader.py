"""Skäliga kostnader outside the riksnorm: housing, hushållsel, hemförsäkring, work travel, fees.

SoL (2025:400) 12 kap. 7 § första stycket 2: försörjningsstöd covers reasonable costs for
boende, hushållsel, arbetsresor, hemförsäkring and membership of a trade union and an
a-kassa. The law sets no amounts. Actual costs are accepted, housing only up to the
municipality's reasonable level (an assumption: sim/law/assumptions/skaliga_kostnader.yaml).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def housing_limit(*, n_persons: np.ndarray, housing_limit_factor: np.ndarray, a: Any) -> np.ndarray:
    """The household's highest reasonable housing cost, SEK/month (an assumption, not law).

    >>> from sim.law.assumptions import default_assumptions
    >>> a = default_assumptions().skaliga_kostnader
    >>> housing_limit(n_persons=np.array([1, 9]), housing_limit_factor=np.array([1.0, 1.2]), a=a).tolist()
    [5500.0, 14160.0]
    """
    table = a.housing_limit.lookup("limit", n_persons)
    return table * a.housing_limit_scale * housing_limit_factor


def skaliga_kostnader(
    *,
    housing_cost: np.ndarray,
    housing_limit: np.ndarray,
    hushallsel: np.ndarray,
    hemforsakring: np.ndarray,
    arbetsresor: np.ndarray,
    fack_akassa: np.ndarray,
) -> dict[str, np.ndarray]:
    """Reasonable costs per household: ``housing`` (actual, capped), the others as given, ``total``.

    >>> r = skaliga_kostnader(housing_cost=np.array([7000.0]), housing_limit=np.array([6000.0]),
    ...     hushallsel=np.array([400.0]), hemforsakring=np.array([150.0]),
    ...     arbetsresor=np.array([0.0]), fack_akassa=np.array([0.0]))
    >>> r["housing"].tolist(), r["total"].tolist()
    ([6000.0], [6550.0])
    """
    housing = np.minimum(housing_cost, housing_limit)
    total = housing + hushallsel + hemforsakring + arbetsresor + fack_akassa
    return {"housing": housing, "total": total}
