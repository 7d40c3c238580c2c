"""The synthetic population: generate, simulate months of försörjningsstöd, calibrate, read.

The names a user needs::

    from sim import population
    built = population.build_population(year=2024, n_households=20_000, seed=1, out_dir="pop")
    pop = population.read("data/synthetic/population-2024")

* :func:`generate`: a sample of dwellings, biståndshushåll, persons and monthly states
  (:mod:`sim.population.generator`);
* :func:`calibrate`: bounded logit (or raking) calibration of weights to margins
  (:mod:`sim.population.calibration`);
* :class:`Population`: the tables and their methods (:mod:`sim.population.tables`); :func:`read`
  is :meth:`Population.read`;
* :func:`build_population`: generate, run the engine over the months with take-up, calibrate
  to ``targets.csv``, and write the tables, calibration report, summary and manifest
  (:mod:`sim.population.build`; the CLI ``sim population`` calls it).

No module of the package bears the name of one of these functions, so
``sim.population.generate`` is always the function and ``sim.population.generator`` its
module. Importing this package defines these names and does nothing else.
"""

from sim.population.build import build_population
from sim.population.calibration import calibrate
from sim.population.generator import generate
from sim.population.tables import Population

read = Population.read

__all__ = ["Population", "build_population", "calibrate", "generate", "read"]
