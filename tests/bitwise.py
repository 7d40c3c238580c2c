"""Bit-for-bit comparison of a compiled pass's arrays with its numpy reference (a helper
module, not a test file): the compiled passes of sim.engine.entitlement_pass, sim.engine.benefits_pass,
sim.engine.riksnorm_pass and sim.engine.fourth_child_pass must give the reference's very numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np


def assert_bitwise_equal(
    got: NamedTuple, want: NamedTuple | Mapping[str, np.ndarray], context: Any = None
) -> None:
    """Every array of ``got`` has the dtype and the bits of ``want``'s array of its name:
    NaN where NaN, -0.0 where -0.0."""
    wanted = want._asdict() if hasattr(want, "_asdict") else want
    for field, got_values in got._asdict().items():
        want_values = np.ascontiguousarray(wanted[field])
        assert got_values.dtype == want_values.dtype, (field, context)
        assert np.array_equal(got_values.view(np.uint8), want_values.view(np.uint8)), (
            field,
            context,
        )
