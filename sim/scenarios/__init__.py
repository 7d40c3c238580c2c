"""Scenarios as data (:mod:`sim.scenarios.scenario`, YAML in ``scenarios/``) and reforms
written in Python (:mod:`sim.scenarios.reform`)."""
