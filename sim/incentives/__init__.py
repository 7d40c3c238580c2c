"""Does work pay? The participation and marginal effective tax rates
(:mod:`sim.incentives.tax_rates`) and their distribution over the population
(:mod:`sim.incentives.population`)."""
