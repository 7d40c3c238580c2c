"""Machinery with no Swedish law in it: errors, strict YAML, bilingual texts, safe writes,
progress, memory, argument validation and the Dask cluster. Imports nothing else of ``sim``."""
