"""What a run shows. Reads results; computes no law.

* ``charts/``: every chart, in one house style (:mod:`sim.outputs.charts`);
* ``report/``: the report, HTML, Markdown and PDF (:mod:`sim.outputs.report`), from the
  templates in ``templates/``;
* the output folders of a run and of a sweep (:mod:`~sim.outputs.run_folder`,
  :mod:`~sim.outputs.sweep_folder`) and their provenance (:mod:`~sim.outputs.provenance`);
* the spreadsheets (:mod:`~sim.outputs.spreadsheets`), the terminal summaries
  (:mod:`~sim.outputs.run_summary`, :mod:`~sim.outputs.sweep_summary`), the household
  calculator's and ``sim work-incentives``' files (:mod:`~sim.outputs.axis_output`,
  :mod:`~sim.outputs.incentives_summary`);
* what they share: numbers in the Swedish or English format (:mod:`~sim.outputs.formatting`),
  the names of scenarios, groups and metrics (:mod:`~sim.outputs.names`), and lookups in a
  results table (:mod:`~sim.outputs.results_lookup`).
"""
