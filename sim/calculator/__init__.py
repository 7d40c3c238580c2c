"""One household: the step-by-step calculator (:mod:`sim.calculator.household`), households
along a varied input (:mod:`sim.calculator.axes`) and the worked examples
(:mod:`sim.calculator.examples`)."""
