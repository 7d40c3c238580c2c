"""Table-shaped law for the compiled rules: a table's columns as tuples of floats.

The rules are scalar compiled (numba) functions that read the law from typed records
(NamedTuples). A :class:`sim.law.parameters.Table` enters a record as tuples of floats, one per
column (:func:`columns`): values, not arrays, so a record is copied into a compiled function
without reference counts, and the compiled loops over a short table's rows unroll.
"""

from __future__ import annotations

from sim.law.parameters import Table


def columns(table: Table, *names: str) -> tuple[tuple[float, ...], ...]:
    """The table's bounds and its columns ``names`` as tuples of floats, in that order.

    >>> columns(Table("from", {"from": [0, 10], "amount": [1.0, 2.0]}), "amount")
    ((0.0, 10.0), (1.0, 2.0))
    """
    return tuple(tuple(float(v) for v in table[name]) for name in (table.key, *names))
