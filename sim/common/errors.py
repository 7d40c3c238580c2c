"""The one exception type for bad input.

Anything a user can get wrong (a flag, a YAML file, a household, a date) raises
:class:`SimInputError` with one line that names the problem. The CLI turns it into that
line on stderr and exit code 2; the Python API lets it propagate as a ``ValueError``.
"""

from __future__ import annotations


class SimInputError(ValueError):
    """Bad input from the user: one clear line, no traceback at the command line."""
