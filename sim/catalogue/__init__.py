"""The words of every output, in Swedish and English: :mod:`sim.catalogue.labels` reads
``sim/catalogue/labels.yaml``."""
