"""trainlab: landscapes, gradient checks, records and explorers."""
import numpy as np
import pytest

from trainlab import datasets, explorers, landscapes
from trainlab.gradcheck import check_gradient, rel_error
from trainlab.record import decode, encode

LANDSCAPES = [landscapes.quadratic(), landscapes.quadratic(50.0, angle=0.7), landscapes.rosenbrock(),
              landscapes.beale(), landscapes.saddle(), landscapes.random_quadratic(6, seed=1)]


@pytest.mark.parametrize("land", LANDSCAPES, ids=lambda l: l.name)
def test_landscape_gradients_match_finite_differences(land):
    rng = np.random.default_rng(0)
    dim = len(land.minima[0])
    for _ in range(5):
        x = rng.uniform(-1.5, 1.5, dim)
        assert check_gradient(land.f, land.grad, x) < 1e-6


@pytest.mark.parametrize("land", LANDSCAPES, ids=lambda l: l.name)
def test_minima_are_critical_points(land):
    for m in land.minima:
        assert np.linalg.norm(land.grad(np.array(m))) < 1e-9


@pytest.mark.parametrize("land", LANDSCAPES, ids=lambda l: l.name)
def test_landscapes_are_vectorised(land):
    dim = len(land.minima[0])
    grid = np.random.default_rng(1).uniform(-1, 1, (4, 3, dim))
    values = land.f(grid)
    assert values.shape == (4, 3)
    assert np.allclose(values[2, 1], land.f(grid[2, 1]))
    assert np.allclose(land.grad(grid)[2, 1], land.grad(grid[2, 1]))


def test_quadratic_has_the_condition_number_asked_for():
    A = landscapes.quadratic(condition_number=25.0, angle=0.3).extra["A"]
    eig = np.linalg.eigvalsh(A)
    assert np.isclose(eig[-1] / eig[0], 25.0)


def test_saddle_has_an_indefinite_hessian_at_the_origin():
    eig = np.linalg.eigvalsh(landscapes.saddle().hessian(np.zeros(2)))
    assert eig[0] < 0 < eig[-1]


@pytest.mark.parametrize("curve", [landscapes.parabola(2.0), landscapes.double_well(), landscapes.wavy()],
                         ids=lambda c: c.name)
def test_curve_derivatives(curve):
    x = np.linspace(*curve.xlim, 7)
    h = 1e-5
    assert rel_error(curve.df(x), (curve.f(x + h) - curve.f(x - h)) / (2 * h)) < 1e-6
    assert rel_error(curve.d2f(x), (curve.df(x + h) - curve.df(x - h)) / (2 * h)) < 1e-6
    for m in curve.minima:
        assert abs(curve.df(np.array(m))) < 1e-9 and curve.d2f(np.array(m)) > 0


def test_check_gradient_catches_a_wrong_gradient():
    land = landscapes.rosenbrock()
    x = np.array([0.3, -0.4])
    assert check_gradient(land.f, land.grad, x) < 1e-7
    assert check_gradient(land.f, lambda w: 1.01 * land.grad(w), x) > 1e-3


def test_check_gradient_says_which_shapes_disagree():
    with pytest.raises(ValueError, match=r"grad\(x\) has shape \(3,\) but x has shape \(2,\)"):
        check_gradient(lambda x: 0.0, lambda x: np.zeros(3), np.zeros(2))


@pytest.mark.parametrize("value", [0.5, 3, np.float32(2.5), np.arange(6).reshape(2, 3) / 7, np.zeros((0, 2)),
                                   np.array([np.nan, np.inf])])
def test_records_round_trip_exactly(value):
    back = decode(encode(value))
    want = np.asarray(value)
    assert back.shape == want.shape and back.dtype == want.dtype
    assert np.array_equal(back, want, equal_nan=True)


@pytest.mark.parametrize("value", ["text", None, {"a": 1}, [1, "x"]])
def test_non_numeric_records_are_refused_with_a_reason(value):
    with pytest.raises(ValueError, match="not numeric|Error"):
        decode(encode(value))


def test_linear_regression_is_reproducible():
    X1, y1, w1 = datasets.linear_regression(20, 3, seed=5)
    X2, y2, w2 = datasets.linear_regression(20, 3, seed=5)
    assert X1.shape == (20, 3) and np.array_equal(y1, y2) and np.array_equal(w1, w2)


def plain_descent(grad, x0, lr, num_steps):
    path = [np.array(x0, dtype=float)]
    for _ in range(num_steps):
        path.append(path[-1] - lr * grad(path[-1]))
    return np.array(path)


@pytest.mark.parametrize("build", [explorers.gradient_descent_1d, explorers.gradient_descent_2d])
def test_explorer_redraws_when_a_slider_moves(build):
    explorer = build(plain_descent)
    before = bytes(explorer.image.value)
    assert explorer.error is None and before.startswith(b"\x89PNG")
    explorer.set(lr=explorer.controls["lr"].value * 3)
    assert explorer.error is None
    assert bytes(explorer.image.value) != before


@pytest.mark.parametrize("build", [explorers.gradient_descent_1d, explorers.gradient_descent_2d])
def test_explorer_shows_a_learners_error_and_keeps_working(build):
    calls = {"n": 0}

    def flaky(grad, x0, lr, num_steps):
        calls["n"] += 1
        if calls["n"] == 2:
            raise NotImplementedError("not written yet")
        return plain_descent(grad, x0, lr, num_steps)

    explorer = build(flaky)
    explorer.set(num_steps=5)
    assert "NotImplementedError: not written yet" in explorer.error
    assert explorer.image.layout.display == "none" and "not written yet" in explorer.message.value
    explorer.set(num_steps=6)
    assert explorer.error is None and explorer.image.layout.display != "none"


def test_explorer_names_a_wrong_shape():
    explorer = explorers.gradient_descent_1d(lambda grad, x0, lr, num_steps: np.zeros(num_steps))
    assert "returned shape (10,); expected (11, 1)" in explorer.error


def test_explorer_offers_a_static_figure():
    bundle = explorers.gradient_descent_2d(plain_descent)._repr_mimebundle_()
    assert bundle["image/png"].startswith(b"\x89PNG")
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_a_new_landscape_brings_its_own_start_and_range():
    explorer = explorers.gradient_descent_2d(plain_descent)
    explorer.set(landscape="Beale")
    beale = landscapes.beale()
    assert (explorer.controls["x0"].value, explorer.controls["y0"].value) == beale.start
    assert (explorer.controls["x0"].min, explorer.controls["x0"].max) == beale.xlim
    assert explorer.error is None


def momentum_rule(w, dw, state=None, lr=0.01, momentum=0.9):
    v = (state or {}).get("velocity", np.zeros_like(w))
    v = momentum * v - lr * dw
    return w + v, {"velocity": v}


def test_momentum_explorer_runs_the_rules_it_is_given():
    calls = []

    def spy(w, dw, state=None, lr=0.01, momentum=0.9):
        calls.append(momentum)
        return momentum_rule(w, dw, state, lr, momentum)

    explorer = explorers.momentum_2d(momentum_rule, spy)
    assert explorer.error is None and not calls
    before = bytes(explorer.image.value)
    explorer.set(use_nesterov=True)
    assert calls and all(m == 0.9 for m in calls)
    assert bytes(explorer.image.value) != before


def test_run_rule_names_a_broken_contract():
    quad = landscapes.quadratic()
    with pytest.raises(TypeError, match=r"must return \(w_next, state\)"):
        explorers.run_rule(lambda w, dw, state=None, lr=0.1: w - lr * dw, quad.grad, np.ones(2), 3, "sgd")
    with pytest.raises(ValueError, match=r"w_next of shape \(3,\); w has shape \(2,\)"):
        explorers.run_rule(lambda w, dw, state=None: (np.ones(3), {}), quad.grad, np.ones(2), 3, "sgd")
    path = explorers.run_rule(momentum_rule, quad.grad, np.ones(2), 5, lr=0.05)
    assert path.shape == (6, 2) and quad.f(path[-1]) < quad.f(path[0])


def adaptive_rule(w, dw, state=None, lr=0.01, beta2=0.9, eps=1e-8):
    cache = (state or {}).get("cache", np.zeros_like(w))
    cache = beta2 * cache + (1 - beta2) * dw**2
    return w - lr * dw / (np.sqrt(cache) + eps), {"cache": cache}


def test_race_passes_each_rule_only_the_hyperparameters_it_takes():
    seen = {}

    def spy(w, dw, state=None, lr=0.01, beta2=0.9):
        seen.update(lr=lr, beta2=beta2)
        return adaptive_rule(w, dw, state, lr, beta2)

    explorer = explorers.race_2d({"momentum": momentum_rule, "rmsprop-like": spy}, lr=0.02, beta2=0.95)
    assert explorer.error is None and seen == {"lr": 0.02, "beta2": 0.95}
    before = bytes(explorer.image.value)
    explorer.set(methods=("momentum",))
    assert explorer.error is None and bytes(explorer.image.value) != before
    explorer.set(methods=())
    assert explorer.error is None
