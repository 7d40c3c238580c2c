"""sim: an open microsimulation of Swedish försörjningsstöd and its reforms."""

__version__ = "0.1.0"
