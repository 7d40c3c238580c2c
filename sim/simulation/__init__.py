"""A calendar year of a scenario on a population, month by month (:mod:`sim.simulation.year`),
and what delivering the aktivitetskrav takes (:mod:`sim.simulation.delivery`)."""
