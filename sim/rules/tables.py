"""Table-shaped law in compiled rules: a table's columns as tuples of floats, read by bracket.

A legal table (:class:`sim.law.parameters.Table`: bracket lower bounds in its key column, an amount
per bracket) enters a rule's record (a NamedTuple its compiled functions read) as tuples
of floats, one per column (:func:`columns`), and is read with :func:`lookup`, the
:meth:`sim.law.parameters.Table.lookup` of one number. Tuples, not arrays: a tuple's length is
known when the rule is compiled, so the lookup unrolls into a few selects (records holding
arrays were about three times slower in a trial of this design).
"""

from __future__ import annotations

from typing import Any

from sim.common.jit import jit


def columns(table: Any, *names: str) -> tuple[tuple[float, ...], ...]:
    """The table's bracket bounds (its key column) and the columns ``names``, as tuples.

    >>> from sim.law.parameters import Table
    >>> columns(Table("age_from", {"age_from": [0, 7], "amount": [100, 200]}), "amount")
    ((0.0, 7.0), (100.0, 200.0))
    """
    return tuple(tuple(float(value) for value in table[name]) for name in (table.key, *names))


@jit(inline="always")
def lookup(bounds: tuple, values: tuple, x: float) -> float:  # pragma: no cover
    """The value of the bracket that holds ``x`` (lower bounds inclusive; below the first
    bound, the first bracket), as :meth:`sim.law.parameters.Table.lookup` reads it.

    >>> lookup((0.0, 7.0, 11.0), (100.0, 200.0, 300.0), 6.0), lookup((0.0, 7.0), (1.0, 2.0), 30)
    (100.0, 2.0)
    """
    # The last bracket whose bound x reaches (the bounds ascend): a tuple's length is known
    # when the rule is compiled, so this is unrolled into selects, without branches (four
    # to six times faster here than counting into an index, or stopping at the bracket).
    value = values[0]
    for k in range(1, len(bounds)):
        if x >= bounds[k]:
            value = values[k]
    return value
