"""Weighted statistics (:mod:`sim.metrics.statistics` and its compiled helpers), the tidy
results table (:mod:`sim.metrics.results`) and the comparison with the government's figures
(:mod:`sim.metrics.government_comparison`)."""
