"""The law as data and what it leaves unsaid: dated parameters (:mod:`sim.law.parameters`,
YAML in ``sim/law/params/``), the model assumptions with central values and ranges
(:mod:`sim.law.assumptions`, YAML in ``sim/law/assumptions/``), and the projection of the law
to later years (:mod:`sim.law.projection`)."""
