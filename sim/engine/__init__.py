"""One month of the law for every household: the inputs (:mod:`sim.engine.entities`), the
ordered pipeline (:mod:`sim.engine.pipeline`, ``compute``) and the compiled passes that apply
the rules of :mod:`sim.rules` household by household (``*_pass``)."""
