"""Chapter 4 (learning-rate decay): the reference schedules against torch's goldens and their contract,
the schedule explorer, and assignment 04_decay graded for real (solution, release, catalog of mistakes).
"""
import json
from pathlib import Path

import numpy as np
import pytest

from grading.reference import schedules as S
from tests.conftest import GradedCatalog
from tests.mistakes import decay as decay_mistakes

GOLDEN = json.loads((Path(__file__).resolve().parent / "golden" / "schedules.json").read_text())
CASES = GOLDEN["cases"]
RTOL, ATOL = 1e-12, 1e-15


@pytest.mark.parametrize("case", CASES, ids=[f'{c["schedule"]}-{c["torch"].split("(")[0]}-{i}'
                                             for i, c in enumerate(CASES)])
def test_reference_reproduces_torch_up_to_the_horizon(case):
    f = getattr(S, case["schedule"])
    t = np.arange(case["steps"])
    ours, torch_lr = f(t, **case["params"]), np.array(case["lr"])
    horizon = case["horizon"]
    upto = slice(None) if horizon is None else slice(0, horizon + 1)
    np.testing.assert_allclose(ours[upto], torch_lr[upto], rtol=RTOL, atol=ATOL)
    # scalar calls agree with the array call and return floats
    for i in (0, len(t) // 2, len(t) - 1):
        value = f(int(t[i]), **case["params"])
        assert type(value) is float and value == pytest.approx(ours[i], rel=1e-15, abs=1e-18)


@pytest.mark.parametrize("case", [c for c in CASES if c["horizon"] is not None],
                         ids=lambda c: f'{c["schedule"]}-{c["params"]["T"]}')
def test_past_the_horizon_the_course_holds_the_floor_where_torch_climbs_back(case):
    f = getattr(S, case["schedule"])
    T, lr_min = case["horizon"], case["params"]["lr_min"]
    past = np.arange(T + 1, case["steps"])
    np.testing.assert_allclose(f(past, **case["params"]), lr_min, rtol=0, atol=1e-15)
    torch_past = np.array(case["lr"])[T + 1:]
    assert np.all(torch_past > lr_min + 1e-4) and np.all(np.diff(torch_past) > 0)


def test_linear_decay_holds_zero_past_T_like_torch_linear_lr():
    case = next(c for c in CASES if c["torch"].startswith("LinearLR"))
    T = case["params"]["T"]
    assert case["lr"][T:] == [0.0] * (case["steps"] - T)
    assert np.all(S.linear_decay(np.arange(T, case["steps"]), **case["params"]) == 0.0)


def test_keras_step_decay_drops_one_epoch_before_step_decay():
    t = np.arange(12)
    ours, keras = S.step_decay(t, 1.0, 4), S.keras_step_decay(t, 1.0, 4)
    assert list(np.flatnonzero(np.diff(ours)) + 1) == [4, 8]
    assert list(np.flatnonzero(np.diff(keras)) + 1) == [3, 7, 11]


def test_boundaries_of_the_horizon_schedules():
    assert S.cosine_decay(0, 0.3, 10, 0.01) == pytest.approx(0.3)
    assert S.cosine_decay(10, 0.3, 10, 0.01) == pytest.approx(0.01)
    assert S.cosine_decay(5, 0.3, 10, 0.01) == pytest.approx(0.155)
    assert S.linear_decay(0, 0.3, 10) == 0.3 and S.linear_decay(10, 0.3, 10) == 0.0
    w = S.warmup_cosine(np.arange(12), 1.0, 4, 10)
    np.testing.assert_allclose(w[:5], [0.25, 0.5, 0.75, 1.0, 1.0])
    assert w[10] == pytest.approx(0.0, abs=1e-15) and w[11] == pytest.approx(0.0, abs=1e-15)


def test_closed_forms_differ_from_the_lecture_notes_compounding_loops():
    """The notes update ``lr = lr * (1 - t/T)`` etc.: the rate collapses far below the formula."""
    T, lr0 = 10, 1.0
    lr, compounded = lr0, []
    for t in range(T):
        lr = 0.5 * lr * (1 + np.cos(np.pi * t / T))
        compounded.append(lr)
    closed = S.cosine_decay(np.arange(T), lr0, T)
    assert compounded[5] < 0.5 * closed[5]  # 0.229 against 0.5
    lr, compounded = lr0, []
    for t in range(T):
        lr = lr * (1 - t / T)
        compounded.append(lr)
    assert compounded[5] < 0.5 * S.linear_decay(5, lr0, T)  # 0.151 against 0.5


SCHEDULES = [name for name in S.__all__ if name != "descend_with_schedule"]


@pytest.mark.parametrize("name", SCHEDULES)
def test_array_shape_is_kept_and_bad_t_is_refused(name):
    f = getattr(S, name)
    params = dict(step_decay=(1.0, 3), keras_step_decay=(1.0, 3), exponential_decay=(1.0, 0.1),
                  inverse_time_decay=(1.0, 0.1), inverse_sqrt_decay=(1.0, 0.5), linear_decay=(1.0, 10),
                  cosine_decay=(1.0, 10), warmup_cosine=(1.0, 2, 10))[name]
    out = f(np.arange(6).reshape(2, 3), *params)
    assert isinstance(out, np.ndarray) and out.shape == (2, 3) and out.dtype == float
    assert type(f(np.int64(2), *params)) is float
    with pytest.raises(ValueError, match="t must be finite and >= 0"):
        f(-1, *params)
    with pytest.raises(TypeError, match="t must be a number"):
        f("3", *params)
    with pytest.raises(ValueError, match="lr0 must be a positive number"):
        f(1, -1.0, *params[1:])


def test_warmup_must_be_shorter_than_the_horizon():
    with pytest.raises(ValueError, match="warmup must be shorter than T"):
        S.warmup_cosine(0, 0.1, 10, 10)


# ---------------------------------------------------------------- the explorer

from trainlab import explorers_decay  # noqa: E402


def test_explorer_slider_moves_redraw_and_a_schedule_change_blits():
    ex = explorers_decay.schedule_explorer({n: getattr(S, n) for n in SCHEDULES})
    first = ex.image.value
    assert ex.error is None and list(ex.controls)[0] == "lr0"
    ex.set(lr0=0.3)
    assert ex.error is None and ex.image.value != first
    full = ex.full_draws
    ex.set(schedule="step_decay")
    ex.set(drop_every=40)
    assert ex.error is None and ex.full_draws == full
    assert "drop_every=40" in ex.artists["ax_lr"].title.get_text()


def test_decay_beats_a_constant_rate_on_the_noisy_quadratic():
    rates = S.cosine_decay(np.arange(300), 0.5, 300)
    constant = explorers_decay.noisy_quadratic_losses(np.full(300, 0.5))
    decayed = explorers_decay.noisy_quadratic_losses(rates)
    assert decayed[-30:].mean() < 0.5 * constant[-30:].mean()


def test_explorer_shows_a_learner_error_and_recovers():
    def broken(t, lr0, T, lr_min=0.0):
        if lr0 > 1.0:
            raise ZeroDivisionError("boom")
        return S.cosine_decay(t, lr0, T, lr_min)

    def scalar_only(t, lr0, k):
        return 0.1

    ex = explorers_decay.schedule_explorer({"cosine_decay": broken, "exponential_decay": scalar_only})
    assert ex.error is None
    ex.set(lr0=1.2)
    assert ex.error and "ZeroDivisionError: boom" in ex.error and ex.message.layout.display is None
    ex.set(lr0=0.4)
    assert ex.error is None
    ex.set(schedule="exponential_decay")
    assert "returned shape ()" in ex.error and "expected one rate per step" in ex.error


def test_descend_with_schedule_steps_at_the_rate_of_each_step():
    calls = []
    path, rates = S.descend_with_schedule(lambda w: 2 * w, np.array([1.0, -2.0]),
                                          lambda t: calls.append(t) or 0.25 * 0.5 ** t, 3)
    assert calls == [0, 1, 2] and all(type(t) is int for t in calls)
    assert np.allclose(rates, [0.25, 0.125, 0.0625])
    # w_{t+1} = w_t (1 - 2 lr_t)
    factors = np.cumprod(np.r_[1.0, 1 - 2 * rates])
    assert np.allclose(path, factors[:, None] * np.array([1.0, -2.0]))
    assert S.descend_with_schedule(lambda w: w, np.ones(2), lambda t: 0.1, 0)[0].shape == (1, 2)
    with pytest.raises(ValueError, match="num_steps must be an integer >= 0"):
        S.descend_with_schedule(lambda w: w, np.ones(2), lambda t: 0.1, 2.5)


# ---------------------------------------------------------------- the assignment, graded for real

class TestGraded(GradedCatalog):
    """Solution, release and every catalogued mistake, graded as one class."""

    ASSIGNMENT, MISTAKES, POINTS = "04_decay", decay_mistakes.MISTAKES, 21.0
