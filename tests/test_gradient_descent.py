"""Chapter 1: the references against analytic answers, and assignment 01 graded for real."""
import nbformat
import numpy as np

from grading.reference import gradient_descent as ref
from tests.conftest import GradedCatalog, solution_path
from tests.mistakes.gradient_descent import MISTAKES
from trainlab import landscapes

ASSIGNMENT = "01_gradient_descent"


# ---------------------------------------------------------------- references

def test_numerical_gradient_matches_analytic_gradients():
    for land in (landscapes.rosenbrock(), landscapes.random_quadratic(5, seed=0)):
        x = np.linspace(-0.7, 0.9, len(land.minima[0]))
        assert np.allclose(ref.numerical_gradient(land.f, x), land.grad(x), rtol=1e-6, atol=1e-7)
    W = np.arange(6.0).reshape(2, 3) / 5
    assert np.allclose(ref.numerical_gradient(lambda W: np.sum(W**2), W), 2 * W)


def test_numerical_gradient_leaves_its_argument_alone():
    x = np.array([0.1, 0.2])
    ref.numerical_gradient(lambda x: np.sum(x**2), x)
    assert np.array_equal(x, [0.1, 0.2])


def test_gradient_descent_on_a_quadratic_follows_the_closed_form():
    # on f = lambda/2 x^2 every step multiplies x by (1 - lr lambda)
    path = ref.gradient_descent(lambda x: 4.0 * x, np.array([1.0]), 0.1, 6)
    assert np.allclose(path[:, 0], 0.6 ** np.arange(7))


def test_max_stable_lr_is_the_divergence_threshold():
    A = landscapes.random_quadratic(4, seed=2, condition_number=10.0).extra["A"]
    bound = ref.max_stable_lr(A)
    assert np.isclose(bound, 2 / np.linalg.eigvalsh(A)[-1])
    grad = lambda x: A @ x  # noqa: E731
    x0 = np.ones(4)
    assert np.linalg.norm(ref.gradient_descent(grad, x0, 0.99 * bound, 3000)[-1]) < 1e-3
    assert np.linalg.norm(ref.gradient_descent(grad, x0, 1.01 * bound, 3000)[-1]) > 1e3


def test_max_stable_lr_uses_the_symmetric_part():
    A = np.array([[2.0, 3.0], [-3.0, 2.0]])  # symmetric part 2 I: x^T A x = 2 |x|^2
    assert np.isclose(ref.max_stable_lr(A), 1.0)


def test_backtracking_returns_the_first_step_meeting_armijo():
    land = landscapes.rosenbrock()
    x = np.array([-1.2, 1.0])
    g = land.grad(x)
    lr = ref.backtracking_line_search(land.f, land.grad, x, c=0.3)
    assert land.f(x - lr * g) <= land.f(x) - 0.3 * lr * g @ g
    assert land.f(x - 2 * lr * g) > land.f(x) - 0.3 * 2 * lr * g @ g
    assert ref.backtracking_line_search(land.f, land.grad, x, lr0=1e-6) == 1e-6


def test_full_batch_sgd_is_gradient_descent_on_the_loss():
    X = np.random.default_rng(0).standard_normal((12, 3))
    y = X @ np.array([1.0, -2.0, 0.5])
    w, losses = ref.minibatch_sgd(X, y, np.zeros(3), 0.1, 12, 5, np.random.default_rng(1))
    path = ref.gradient_descent(lambda w: X.T @ (X @ w - y) / 12, np.zeros(3), 0.1, 5)
    assert np.allclose(w, path[-1])
    assert np.allclose(losses, [ref.least_squares_loss(X, y, p) for p in path])


# ---------------------------------------------------------------- the assignment, graded for real

class TestGraded(GradedCatalog):
    """Solution, release (nbgrader layout) and every catalogued mistake, graded as one class."""

    ASSIGNMENT, MISTAKES, POINTS = ASSIGNMENT, MISTAKES, 15.0

    def test_feedback_names_the_mistake_without_showing_hidden_tests(self, graded):
        _, _, out = graded
        html = (out / "feedback" / "ng_forward_difference" / f"{ASSIGNMENT}.html").read_text()
        assert "forward difference" in html
        for secret in ("BEGIN HIDDEN TESTS", "trainlab.record", "default_rng(100 + seed)", "np.tanh(W @ v)"):
            assert secret not in html


def test_every_hidden_cell_starts_with_a_docstring():
    solution = nbformat.read(solution_path(ASSIGNMENT), as_version=4)
    for cell in solution.cells:
        if "BEGIN HIDDEN TESTS" in cell.source:
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            assert cell.source.lstrip().startswith('"""'), f"{grade_id} should start with a docstring"
