"""Chapter 3: assignment 03_adaptive graded for real (the references are tested in test_optim.py)."""
import nbformat
import pytest

from tests.conftest import autograded, check_catalog_row, failure_messages, grade_catalog, solution_path
from tests.mistakes.adaptive import MISTAKES

ASSIGNMENT = "03_adaptive"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    work = tmp_path_factory.mktemp("adaptive_class")
    rows, out, _ = grade_catalog(ASSIGNMENT, MISTAKES, work)
    return work, rows, out


def test_the_solution_earns_full_marks(graded):
    work, rows, _ = graded
    assert rows["solution"]["status"] == "graded"
    assert float(rows["solution"]["score"]) == float(rows["solution"]["max_score"]) == 15.0
    assert failure_messages(autograded(work, "solution", ASSIGNMENT)) == {}


def test_the_released_notebook_earns_zero(graded):
    _, rows, _ = graded
    assert rows["released"]["status"] == "graded" and float(rows["released"]["score"]) == 0.0


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_every_catalogued_mistake_loses_points_and_is_named(graded, mistake):
    work, rows, _ = graded
    check_catalog_row(work, rows, ASSIGNMENT, mistake)


def test_every_hidden_check_has_a_hidden_cell():
    from grading.compare import expected_records

    solution = nbformat.read(solution_path(ASSIGNMENT), as_version=4)
    hidden = {c.metadata["nbgrader"]["grade_id"] for c in solution.cells if "BEGIN HIDDEN TESTS" in c.source}
    assert hidden == set(expected_records(ASSIGNMENT))
