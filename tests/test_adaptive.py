"""Chapter 3: assignment 03_adaptive graded for real (the references are tested in test_optim.py)."""
from tests.conftest import GradedCatalog
from tests.mistakes import adaptive


class TestGraded(GradedCatalog):
    """Solution, release and every catalogued mistake, graded as one class."""

    ASSIGNMENT, MISTAKES, POINTS = "03_adaptive", adaptive.MISTAKES, 15.0
