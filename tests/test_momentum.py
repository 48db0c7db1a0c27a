"""Chapter 2: assignment 02_momentum graded for real (the references are tested in test_optim.py)."""
from tests.conftest import GradedCatalog
from tests.mistakes import momentum


class TestGraded(GradedCatalog):
    """Solution, release and every catalogued mistake, graded as one class."""

    ASSIGNMENT, MISTAKES, POINTS = "02_momentum", momentum.MISTAKES, 8.0
