"""Bands on every metric: replications over population seeds, calibration noise and the
assumptions, and sweeps (:mod:`sim.uncertainty.sweeps`)."""
