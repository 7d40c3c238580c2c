"""A municipality's own view: its profile (:mod:`sim.municipal.profile`) and the official
data of any of the 290 kommuner (:mod:`sim.municipal.official`)."""
