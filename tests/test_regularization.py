"""Chapter 5 (regularization): the reference layers against numerical gradients and their contract,
the regularization explorer, and assignment 05_regularization graded for real (solution, release,
catalog of mistakes).
"""
import numpy as np
import pytest

from grading.reference import regularization as R
from grading.reference.gradient_descent import numerical_gradient
from trainlab import datasets, seeded
from trainlab.gradcheck import rel_error


def _loss_of(forward, dout):
    return lambda x: float(np.sum(forward(x) * dout))


# ---------------------------------------------------------------- the references

@pytest.mark.parametrize("penalty", [R.l2_penalty, R.l1_penalty])
def test_penalty_gradients_are_numerical_gradients_and_biases_are_free(penalty):
    params = seeded.params((4, 5, 3), 1)
    loss, grads = penalty(params, 0.3)
    for name in params:
        numeric = numerical_gradient(lambda v: penalty({**params, name: v}, 0.3)[0], params[name], 1e-6)
        assert rel_error(grads[name], numeric) < 1e-7
    assert np.all(grads["b1"] == 0) and np.all(grads["b2"] == 0)
    assert loss == pytest.approx(penalty({k: v for k, v in params.items() if k.startswith("W")}, 0.3)[0])


def test_an_sgd_step_on_the_l2_penalty_is_weight_decay():
    W, g, lr, reg = seeded.array((3, 4), 2), seeded.array((3, 4), 3), 0.1, 0.05
    _, grads = R.l2_penalty({"W": W}, reg)
    np.testing.assert_allclose(W - lr * (g + grads["W"]), (1 - lr * reg) * W - lr * g, rtol=1e-14)


def test_inverted_dropout_keeps_the_mean_and_is_the_identity_in_evaluation():
    x = np.ones((300, 300))
    out, _ = R.dropout_forward(x, 0.3, True, np.random.default_rng(0))
    assert abs(out.mean() - 1) < 0.01 and abs(np.mean(out == 0) - 0.3) < 0.01
    kept = out[out > 0]
    np.testing.assert_allclose(kept, 1 / 0.7)
    rng = np.random.default_rng(1)
    evaluated, _ = R.dropout_forward(x, 0.3, False, rng)
    assert np.array_equal(evaluated, x) and rng.random() == np.random.default_rng(1).random()


def test_the_dropout_mask_is_the_documented_draw():
    x = seeded.array((5, 6), 4)
    out, _ = R.dropout_forward(x, 0.4, True, np.random.default_rng(9))
    keep = np.random.default_rng(9).random(x.shape) >= 0.4
    np.testing.assert_array_equal(out, x * keep / 0.6)


def test_dropout_backward_is_the_numerical_gradient():
    x, dout = seeded.array((4, 5), 5), seeded.array((4, 5), 6)
    _, cache = R.dropout_forward(x, 0.5, True, np.random.default_rng(3))
    numeric = numerical_gradient(_loss_of(lambda v: R.dropout_forward(v, 0.5, True, np.random.default_rng(3))[0],
                                          dout), x, 1e-6)
    assert rel_error(R.dropout_backward(dout, cache), numeric) < 1e-8


@pytest.mark.parametrize("bad", [-0.1, 1.0, "0.5"])
def test_dropout_refuses_a_probability_outside_0_1(bad):
    with pytest.raises(ValueError, match="probability to drop"):
        R.dropout_forward(np.ones(3), bad, True, np.random.default_rng(0))


def test_batchnorm_backward_is_the_numerical_gradient_for_x_gamma_and_beta():
    x = seeded.array((7, 4), 7, scale=2.0, shift=1.0)
    gamma, beta, dout = seeded.array(4, 8), seeded.array(4, 9), seeded.array((7, 4), 10)
    _, cache = R.batchnorm_forward(x, gamma, beta, {"mode": "train"})
    dx, dgamma, dbeta = R.batchnorm_backward(dout, cache)

    def loss(x=x, gamma=gamma, beta=beta):
        return float(np.sum(R.batchnorm_forward(x, gamma, beta, {"mode": "train"})[0] * dout))

    assert rel_error(dx, numerical_gradient(lambda v: loss(x=v), x, 1e-6)) < 1e-6
    assert rel_error(dgamma, numerical_gradient(lambda v: loss(gamma=v), gamma, 1e-6)) < 1e-7
    assert rel_error(dbeta, numerical_gradient(lambda v: loss(beta=v), beta, 1e-6)) < 1e-7


def test_batchnorm_moments_running_statistics_and_test_mode():
    x = seeded.array((50, 3), 11, scale=4.0, shift=-2.0)
    gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, 1.0, -1.0])
    bn_param = {"mode": "train"}
    out, _ = R.batchnorm_forward(x, gamma, beta, bn_param)
    np.testing.assert_allclose(out.mean(axis=0), beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), np.abs(gamma), rtol=1e-5)
    np.testing.assert_allclose(bn_param["running_mean"], 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(bn_param["running_var"], 0.9 + 0.1 * x.var(axis=0))
    for _ in range(200):  # the running statistics converge to those of a fixed batch
        R.batchnorm_forward(x, gamma, beta, bn_param)
    bn_param["mode"] = "test"
    stored = dict(bn_param)
    test_out, _ = R.batchnorm_forward(x, gamma, beta, bn_param)
    np.testing.assert_allclose(test_out, out, atol=1e-6)
    assert bn_param["running_mean"] is stored["running_mean"]
    with pytest.raises(ValueError, match="must be 'train' or 'test'"):
        R.batchnorm_forward(x, gamma, beta, {"mode": "eval"})


def test_ema_starts_at_a_copy_and_averages():
    params = {"W": np.array([1.0, 2.0])}
    avg = R.ema_update(None, params)
    params["W"][0] = 9.0
    assert avg["W"][0] == 1.0
    avg = R.ema_update(avg, {"W": np.array([3.0, 0.0])}, decay=0.75)
    np.testing.assert_allclose(avg["W"], [1.5, 1.5])


def test_early_stopping_on_hand_made_curves():
    curve = [1.0, 0.8, 0.6, 0.65, 0.7, 0.55, 0.6, 0.61, 0.62, 0.5]
    assert R.early_stopping(curve, 3) == (5, 8)
    assert R.early_stopping(curve, 2) == (2, 4)
    assert R.early_stopping([1.0, 0.5, 0.5, 0.5], 2) == (1, 3)
    assert R.early_stopping([1.0, 0.9, 0.8], 5) == (2, 2)
    assert R.early_stopping([1.0, 0.95, 0.9, 0.85], 2, min_delta=0.1) == (0, 2)
    with pytest.raises(ValueError, match="patience"):
        R.early_stopping(curve, 0)


def test_the_seeded_validation_curves_overfit_so_early_stopping_stops():
    stops = [R.early_stopping(seeded.validation_curve(60, seed), 5) for seed in range(91, 96)]
    assert all(best < stop < 59 for best, stop in stops)


def test_the_notes_network_with_dropout_at_p_0_is_the_evaluation_network():
    params = seeded.params((6, 6, 5, 3), 51)
    X = seeded.array((8, 6), 52)
    np.testing.assert_allclose(R.dropout_net_forward(X, params, 0.0, True, np.random.default_rng(0)),
                               R.dropout_net_forward(X, params, 0.5, False, None))


def test_two_moons_are_reproducible_and_balanced():
    X, y = datasets.two_moons(40, seed=3)
    X2, y2 = datasets.two_moons(40, seed=3)
    assert X.shape == (40, 2) and np.array_equal(X, X2) and np.array_equal(y, y2) and y.sum() == 20
    with pytest.raises(ValueError, match="at least 2"):
        datasets.two_moons(1)


# ---------------------------------------------------------------- the explorer

from trainlab import explorers_regularization as E  # noqa: E402


def reference_explorer(**kw):
    return E.regularization_explorer(R.l2_penalty, R.l1_penalty, R.dropout_forward, R.dropout_backward, **kw)


def test_without_regularization_the_moons_are_memorised_and_l2_closes_the_gap():
    run = lambda **kw: E.train_moons(R.l2_penalty, R.l1_penalty, R.dropout_forward, R.dropout_backward, **kw)  # noqa
    _, _, train_plain, val_plain = run()
    _, _, train_l2, val_l2 = run(l2=0.01)
    assert train_plain[-1] < 0.05 and val_plain[-1] > 2 * val_plain.min()  # memorised, then overfits
    assert val_l2[-1] < 0.6 * val_plain[-1] and (val_l2[-1] - train_l2[-1]) < 0.5 * (val_plain[-1] - train_plain[-1])


def test_explorer_slider_moves_redraw_by_blitting_and_a_setting_is_cached():
    ex = reference_explorer()
    assert ex.error is None and list(ex.controls)[0] == "l2"
    first, full = ex.image.value, ex.full_draws
    ex.set(l2=0.01)
    assert ex.error is None and ex.image.value != first and ex.full_draws == full
    assert "L2 0.01" in ex.artists["ax"].title.get_text()
    ex.set(p=0.3)
    ex.set(l1=0.002)
    assert ex.error is None and ex.full_draws == full
    ex.set(l1=0.0)
    ex.set(p=0.0)
    ex.set(l2=0.0)
    assert ex.image.value == first  # back to the start: the same figure, from the cache


def test_explorer_shows_a_learner_error_and_recovers():
    def broken_dropout(x, p, train, rng):
        if p > 0.5:
            raise ZeroDivisionError("boom")
        return R.dropout_forward(x, p, train, rng)

    def no_bias_gradient(params, reg):
        loss, grads = R.l2_penalty(params, reg)
        return loss, {k: v for k, v in grads.items() if k.startswith("W")}

    ex = E.regularization_explorer(no_bias_gradient, R.l1_penalty, broken_dropout, R.dropout_backward)
    assert ex.error is None
    ex.set(p=0.6)
    assert ex.error and "ZeroDivisionError: boom" in ex.error and ex.message.layout.display is None
    ex.set(p=0.2)
    assert ex.error is None and ex.image.layout.display is None
    ex.set(l2=0.01)
    assert "no gradient for 'b1'" in ex.error


# ---------------------------------------------------------------- the assignment, graded for real

import nbformat  # noqa: E402

from tests.conftest import autograded, check_catalog_row, failure_messages, grade_catalog, solution_path  # noqa: E402
from tests.mistakes.regularization import MISTAKES  # noqa: E402

ASSIGNMENT = "05_regularization"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    work = tmp_path_factory.mktemp("regularization_class")
    rows, out, _ = grade_catalog(ASSIGNMENT, MISTAKES, work)
    return work, rows, out


def test_the_solution_earns_full_marks(graded):
    work, rows, _ = graded
    assert rows["solution"]["status"] == "graded"
    assert float(rows["solution"]["score"]) == float(rows["solution"]["max_score"]) == 27.0
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
