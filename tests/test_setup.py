"""Chapter 7: the references of assignment 07_setup (activations, initializers, the layer probe,
searches), the initialization explorer, and the assignment graded for real (solution, release,
every catalogued mistake)."""
import itertools

import numpy as np
import pytest

from grading.reference import setup as R
from trainlab.gradcheck import check_gradient

ACTIVATIONS = {
    "sigmoid": (R.sigmoid, R.sigmoid_grad, {}),
    "tanh": (R.tanh, R.tanh_grad, {}),
    "relu": (R.relu, R.relu_grad, {}),
    "leaky_relu": (R.leaky_relu, R.leaky_relu_grad, {"slope": 0.2}),
    "elu": (R.elu, R.elu_grad, {"alpha": 0.7}),
}


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_each_derivative_is_the_numerical_derivative_away_from_the_kink(name):
    f, grad, kw = ACTIVATIONS[name]
    x = np.linspace(-4.05, 4.0, 30).reshape(5, 6)
    assert check_gradient(lambda x: np.sum(f(x, **kw)), lambda x: grad(x, **kw), x) < 1e-7
    # and pointwise, by central differences
    h = 1e-6
    numeric = (f(x + h, **kw) - f(x - h, **kw)) / (2 * h)
    assert np.allclose(grad(x, **kw), numeric, atol=1e-6)


def test_conventions_at_zero_and_defaults():
    zero = np.array([0.0])
    assert R.relu_grad(zero)[0] == 0.0
    assert R.leaky_relu_grad(zero)[0] == 0.01 and R.leaky_relu(np.array([-2.0]))[0] == -0.02
    assert R.elu_grad(zero, alpha=0.5)[0] == 0.5 and R.elu(np.array([-40.0]))[0] == pytest.approx(-1.0)
    assert R.sigmoid_grad(zero)[0] == 0.25 and R.tanh_grad(zero)[0] == 1.0


def test_tanh_is_a_rescaled_sigmoid_and_maxout_contains_relu():
    x = np.linspace(-5, 5, 41)
    assert np.allclose(R.tanh(x), 2 * R.sigmoid(2 * x) - 1)
    X = np.linspace(-1, 1, 12).reshape(4, 3)
    W = np.stack([np.eye(3), np.zeros((3, 3))])
    assert np.array_equal(R.maxout(X, W, np.zeros((2, 3))), R.relu(X))
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((3, 3, 5)), rng.standard_normal((3, 5))
    loops = np.max([X @ W[j] + b[j] for j in range(3)], axis=0)
    assert np.allclose(R.maxout(X, W, b), loops)


@pytest.mark.parametrize("name, std", [("xavier_normal", lambda i, o: np.sqrt(2 / (i + o))),
                                       ("xavier_uniform", lambda i, o: np.sqrt(2 / (i + o))),
                                       ("he_normal", lambda i, o: np.sqrt(2 / i))])
def test_initializers_have_the_published_spread_and_replay_from_the_seed(name, std):
    init = getattr(R, name)
    W = init(300, 700, np.random.default_rng(5))
    assert W.shape == (300, 700) and abs(W.std() / std(300, 700) - 1) < 0.01 and abs(W.mean()) < 0.002
    assert np.array_equal(W, init(300, 700, np.random.default_rng(5)))
    if name == "xavier_uniform":
        limit = np.sqrt(6 / 1000)
        assert np.abs(W).max() <= limit and np.abs(W).max() > 0.99 * limit


def test_the_notes_table_is_xavier_with_tanh_and_their_0_01_demo_collapses():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, 500))
    notes = [0.627953, 0.486051, 0.407723, 0.357108, 0.320917, 0.292116, 0.273387, 0.254935, 0.239266, 0.228008]
    xavier = [rng.standard_normal((500, 500)) / np.sqrt(500) for _ in range(10)]
    _, stds = R.layer_stats(X, xavier, np.tanh)
    assert np.allclose(stds, notes, rtol=0.03)  # the notes' numbers, another seed
    small = [0.01 * rng.standard_normal((500, 500)) for _ in range(10)]
    _, stds = R.layer_stats(X, small, np.tanh)
    assert stds[0] < 0.25 and stds[-1] < 1e-5 and np.all(np.diff(np.log(stds)) < -1.0)  # geometric collapse


def test_he_keeps_relu_activations_and_xavier_halves_them():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((500, 300))
    he = [R.he_normal(300, 300, rng) for _ in range(10)]
    xavier = [R.xavier_normal(300, 300, rng) for _ in range(10)]
    second_moment = lambda ws: np.array([np.mean(h ** 2) for h in _layers(X, ws, R.relu)])  # noqa: E731
    he_m, xa_m = second_moment(he), second_moment(xavier)
    assert 0.6 < he_m[-1] / he_m[0] < 1.6
    assert np.allclose(xa_m[1:] / xa_m[:-1], 0.5, rtol=0.15)


def _layers(X, weights, f):
    h, out = X, []
    for W in weights:
        h = f(h @ W)
        out.append(h)
    return out


@pytest.mark.parametrize("budget, d", [(1, 1), (7, 1), (8, 3), (63, 3), (64, 3), (125, 3), (1000, 3), (15, 2), (16, 2),
                                       (80, 4), (81, 4)])
def test_the_grid_never_exceeds_the_budget_and_is_as_large_as_it_can_be(budget, d):
    n = R.per_dimension(budget, d)
    assert n ** d <= budget < (n + 1) ** d
    points, scores = R.grid_search(lambda p: float(np.sum(p)), [(1e-3, 1.0)] * d, budget)
    assert points.shape == (n ** d, d) and scores.shape == (n ** d,)


def test_grid_points_are_log_spaced_with_the_first_dimension_slowest():
    points, _ = R.grid_search(lambda p: 0.0, [(1e-4, 1.0), (10.0, 1000.0)], 9)
    axes = [np.array([1e-4, 1e-2, 1.0]), np.array([10.0, 100.0, 1000.0])]
    assert np.allclose(points, list(itertools.product(*axes)))


def test_random_search_is_log_uniform_within_its_bounds():
    points, scores = R.random_search(lambda p: float(p[0] * p[1]), [(1e-6, 1.0), (0.1, 10.0)], 4000,
                                     np.random.default_rng(3))
    assert points.shape == (4000, 2) and np.allclose(scores, points[:, 0] * points[:, 1])
    assert points[:, 0].min() >= 1e-6 and points[:, 0].max() <= 1.0
    # log-uniform: each decade holds about a sixth of the draws
    decades = np.histogram(np.log10(points[:, 0]), bins=6, range=(-6, 0))[0] / 4000
    assert np.allclose(decades, 1 / 6, atol=0.03)


def test_random_search_covers_an_important_dimension_better_than_a_grid():
    bounds = [(1e-4, 1.0), (1e-4, 1.0)]
    grid, _ = R.grid_search(lambda p: 0.0, bounds, 9)
    rand, _ = R.random_search(lambda p: 0.0, bounds, 9, np.random.default_rng(0))
    assert len(np.unique(grid[:, 0])) == 3 and len(np.unique(rand[:, 0])) == 9


# ---------------------------------------------------------------- the explorer

from trainlab import explorers_setup as E  # noqa: E402

ACTS = {"tanh": R.tanh, "relu": R.relu, "sigmoid": R.sigmoid}
INITS = {"xavier_normal": R.xavier_normal, "he_normal": R.he_normal}


def test_explorer_starts_at_the_notes_demo_and_a_gain_move_blits():
    ex = E.init_explorer(ACTS, INITS)
    assert ex.error is None and list(ex.controls)[0] == "gain"
    assert ex.values == {"gain": 0.01, "depth": 10, "activation": "tanh", "initializer": "standard normal"}
    last = ex.artists["axes"][9].title.get_text()
    assert float(last.split("std ")[1]) < 1e-5  # the notes' 0.01 * randn: collapsed by layer 10
    first, full = ex.image.value, ex.full_draws
    ex.set(gain=10 ** -1.2)
    assert ex.error is None and ex.image.value != first and ex.full_draws == full
    ex.set(initializer="xavier_normal", gain=1.0)
    assert float(ex.artists["axes"][9].title.get_text().split("std ")[1]) == pytest.approx(0.23, abs=0.02)
    ex.set(depth=3)
    assert "deeper than 3" in ex.artists["axes"][5].title.get_text()
    assert all(bar.get_height() == 0 for bar in ex.artists["bars"][5]) and ex.full_draws == full
    heights = [bar.get_height() for bar in ex.artists["bars"][0]]
    assert sum(heights) == pytest.approx(1.0)


def test_explorer_shows_a_learner_error_and_recovers():
    def fragile_relu(x):
        if np.std(x) > 5:
            raise FloatingPointError("too large")
        return R.relu(x)

    def flat_init(fan_in, fan_out, rng):
        return rng.standard_normal(fan_in * fan_out)

    ex = E.init_explorer({"relu": fragile_relu}, {"flat": flat_init, "he_normal": R.he_normal},
                         initializer="he_normal", gain=1.0)
    assert ex.error is None
    ex.set(gain=10.0)
    assert ex.error and "FloatingPointError: too large" in ex.error and ex.message.layout.display is None
    ex.set(gain=1.0)
    assert ex.error is None and ex.image.layout.display is None
    ex.set(initializer="flat")
    assert "returned shape (40000,)" in ex.error and "(fan_in, fan_out)" in ex.error
    ex.set(initializer="he_normal")
    assert ex.error is None


def test_explorer_refuses_an_activation_of_the_wrong_shape():
    ex = E.init_explorer({"mean": lambda x: x.mean(axis=1)}, {}, gain=1.0)
    assert "mean returned shape (500,)" in ex.error and "same shape" in ex.error


# ---------------------------------------------------------------- the assignment, graded for real

from tests.conftest import GradedCatalog  # noqa: E402
from tests.mistakes import setup as setup_mistakes  # noqa: E402


class TestGraded(GradedCatalog):
    """Solution, release and every catalogued mistake, graded as one class."""

    ASSIGNMENT, MISTAKES, POINTS = "07_setup", setup_mistakes.MISTAKES, 33.0
