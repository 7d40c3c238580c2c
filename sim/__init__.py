"""sim: an open microsimulation of Swedish försörjningsstöd and its reforms.

``sim.run(...)``, ``sim.household(...)``, ``sim.household_axis(...)``,
``sim.work_incentives(...)`` and ``sim.Results`` are the Python API (:mod:`sim.api`);
``sim.Reform`` is :class:`sim.scenarios.reform.Reform`. They are imported on first use
(PEP 562 ``__getattr__``), so that ``import sim`` stays fast and does nothing else. No
module of the package bears one of these names, so each is always the function.

The parts are folders (``docs/architecture.md``): ``common`` (machinery), ``law`` (the
parameters and what the law leaves unsaid), ``rules`` (each rule stated once), ``engine``
(one month of the law), ``population``, ``scenarios``, ``simulation`` (a year, month by
month), ``municipal``, ``metrics``, ``catalogue`` (the words), ``incentives``, ``calculator``
(one household), ``uncertainty``, ``outputs``; the interfaces (:mod:`sim.api`,
:mod:`sim.cli`, :mod:`sim.runs`) are at the top.
"""

__version__ = "0.1.0"

_API = {
    "run": "sim.api",
    "household": "sim.api",
    "household_axis": "sim.api",
    "work_incentives": "sim.api",
    "Results": "sim.api",
    "Reform": "sim.scenarios.reform",
}


def __getattr__(name):
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_API])
