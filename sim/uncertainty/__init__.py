"""Bands on every metric: replications over population seeds, calibration noise and the
assumptions. :mod:`~sim.uncertainty.spec` (what a sweep runs), :mod:`~sim.uncertainty.draws`
(each replication's seeds and values), :mod:`~sim.uncertainty.replication` (one replication's
runs), :mod:`~sim.uncertainty.bands` (median and percentiles), :mod:`~sim.uncertainty.dask_executor`
(on a cluster) and :mod:`~sim.uncertainty.sweep` (the sweep, resumable, written as a folder by
:mod:`sim.outputs.sweep_folder`)."""
