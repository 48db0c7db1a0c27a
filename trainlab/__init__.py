"""trainlab: the helpers of the course Training Neural Networks.

Landscapes to descend, plots, explorers, gradient checks and the recorder that hidden
tests use. Nothing here is an exercise: a learner who imports trainlab gains no solution.
"""

__version__ = "0.1.0"
