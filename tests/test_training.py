"""trainlab.training: the MLP's gradients and the training loop with a pluggable rule."""
import numpy as np

from trainlab import datasets
from trainlab.gradcheck import check_gradient
from trainlab.training import MLP, train


def plain_sgd(w, dw, state=None, lr=0.1):
    return w - lr * dw, {}


def test_mlp_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((7, 5)), rng.integers(0, 3, 7)
    model = MLP([5, 6, 4, 3], seed=1)
    _, grads = model.loss(X, y)
    for name, value in model.params.items():
        def f(v, name=name):
            return model.loss(X, y, {**model.params, name: v})[0]
        assert check_gradient(f, lambda v, name=name: grads[name], value) < 1e-6, name


def test_the_initial_loss_of_a_softmax_classifier_is_about_ln_classes():
    X_train, y_train, _, _ = datasets.digits()
    model = MLP([64, 32, 10], seed=0)
    model.params["W2"] *= 1e-3  # near-uniform scores
    assert abs(model.loss(X_train, y_train)[0] - np.log(10)) < 0.05


def test_training_on_digits_learns_and_records_every_epoch():
    X, y, X_val, y_val = datasets.digits(seed=0)
    assert X.shape[1] == 64 and len(X) + len(X_val) == 1797
    model = MLP([64, 32, 10], seed=0)
    history = train(model, plain_sgd, X, y, X_val, y_val, num_epochs=5, batch_size=32, lr=0.1)
    assert len(history.train_loss) == 6 and history.lr == [0.1] * 6
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert history.val_accuracy[-1] > 0.85


def test_a_schedule_sets_the_rate_each_epoch_and_divergence_stops_the_run():
    X, y, X_val, y_val = datasets.digits(seed=0)
    history = train(MLP([64, 10], seed=0), plain_sgd, X, y, X_val, y_val, num_epochs=3,
                    schedule=lambda epoch: 0.1 / (1 + epoch), lr=0.1)
    assert history.lr == [0.1, 0.1, 0.05, 0.1 / 3]
    def blows_up(w, dw, state=None, lr=0.1):
        return w * np.inf, {}

    blown = train(MLP([64, 32, 10], seed=0), blows_up, X, y, X_val, y_val, num_epochs=20, lr=0.1)
    assert blown.train_loss == [blown.train_loss[0], float("inf")]


def test_a_per_step_schedule_gets_the_global_step_and_history_records_every_rate():
    X, y, X_val, y_val = datasets.digits(seed=0)
    calls = []

    def schedule(step):
        calls.append(step)
        return 0.2 / (1 + step)

    steps_per_epoch = -(-len(y) // 100)
    history = train(MLP([64, 10], seed=0), plain_sgd, X, y, X_val, y_val, num_epochs=2, batch_size=100,
                    schedule=schedule, schedule_every="step", lr=0.1)
    assert calls == list(range(2 * steps_per_epoch))
    assert history.step_lr == [0.2 / (1 + s) for s in calls]
    assert history.lr == [0.1, history.step_lr[steps_per_epoch - 1], history.step_lr[-1]]


def test_a_per_epoch_schedule_holds_the_rate_for_every_step_of_the_epoch():
    X, y, X_val, y_val = datasets.digits(seed=0)
    history = train(MLP([64, 10], seed=0), plain_sgd, X, y, X_val, y_val, num_epochs=2, batch_size=500,
                    schedule=lambda epoch: 0.1 * 0.5 ** epoch, lr=0.3)
    per_epoch = len(history.step_lr) // 2
    assert history.step_lr == [0.1] * per_epoch + [0.05] * per_epoch


def test_the_scheduler_hook_refuses_bad_arguments_with_a_clear_message():
    import pytest
    X, y, X_val, y_val = datasets.digits(seed=0)
    with pytest.raises(ValueError, match='schedule_every must be "epoch" or "step"'):
        train(MLP([64, 10]), plain_sgd, X, y, X_val, y_val, num_epochs=1, schedule=lambda t: 0.1,
              schedule_every="batch", lr=0.1)
    with pytest.raises(TypeError, match=r"schedule\(0\) must return a number"):
        train(MLP([64, 10]), plain_sgd, X, y, X_val, y_val, num_epochs=1, schedule=lambda t: "fast", lr=0.1)
    with pytest.raises(ValueError, match=r"finite rate >= 0"):
        train(MLP([64, 10]), plain_sgd, X, y, X_val, y_val, num_epochs=1, schedule=lambda t: -1.0, lr=0.1)
