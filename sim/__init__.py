"""sim: an open microsimulation of Swedish försörjningsstöd and its reforms.

``sim.run(...)``, ``sim.household(...)``, ``sim.household_axis(...)`` and
``sim.work_incentives(...)`` are the Python API (:mod:`sim.api`; ``sim.Reform`` is
:class:`sim.reform.Reform`), imported on first use so
that ``import sim`` stays fast and does nothing else. Three names are also submodules
(``sim/run.py``, ``sim/household.py``, ``sim/work_incentives.py``): ``from sim.run import
...`` imports the module as usual, while the attribute ``sim.run`` is always the API
function.
"""

import sys
import types

__version__ = "0.1.0"

_API = ("run", "household", "Results", "Reform", "household_axis", "work_incentives")


class _Package(types.ModuleType):
    """The package module: ``run`` and ``household`` resolve to the API functions even
    after the submodules of the same name are imported (the import system then sets the
    attribute to the submodule; that assignment is ignored here)."""

    @property
    def run(self):  # noqa: D401
        from sim.api import run

        return run

    @run.setter
    def run(self, _module):
        pass

    @property
    def household(self):
        from sim.api import household

        return household

    @household.setter
    def household(self, _module):
        pass

    @property
    def work_incentives(self):
        from sim.api import work_incentives

        return work_incentives

    @work_incentives.setter
    def work_incentives(self, _module):
        pass


def __getattr__(name):
    if name in ("Results", "household_axis"):
        from sim import api

        return getattr(api, name)
    if name == "Reform":
        from sim.reform import Reform

        return Reform
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_API])


sys.modules[__name__].__class__ = _Package
