"""Hidden checks of assignment 04_decay.

The hidden test cells of ``solutions/04_decay/04_decay.ipynb`` call the learner's schedules
on fixed ranges of ``t`` (whole ranges up to the horizon, past it, a matrix of steps, a list
of scalar calls) and record the results; the checks below evaluate
``grading/reference/schedules.py`` on the same inputs, and the common mistakes too, so a
wrong schedule can be named: the lecture notes' compounding loops, Keras' off-by-one step
decay, a cosine that climbs back past ``T`` (torch's ``CosineAnnealingLR``), a forgotten
floor, a warm-up that starts at 0 or a cosine that is not shifted by the warm-up.
"""
from __future__ import annotations

import numpy as np

from grading.compare import Expect
from grading.reference import schedules as S

RTOL, ATOL = 1e-9, 1e-12
FLOAT_MESSAGE = "a scalar t must give a Python float (return float(rate)), not a NumPy array"


def _per_entry(rate_at):
    """A schedule from a function of one integer step (the mistakes written as loops)."""

    def schedule(t, *args):
        steps = np.asarray(t, dtype=float)
        rates = np.array([rate_at(int(n), *args) for n in steps.ravel()]).reshape(steps.shape)
        return rates

    return schedule


# ---------------------------------------------------------------- mistakes

def _keras_step(t, lr0, drop_every, factor=0.5):
    return S.keras_step_decay(t, lr0, drop_every, factor)


def _step_no_floor(t, lr0, drop_every, factor=0.5):
    return lr0 * factor ** (np.asarray(t, dtype=float) / drop_every)


def _step_factor_once(t, lr0, drop_every, factor=0.5):
    return np.where(np.asarray(t, dtype=float) >= drop_every, lr0 * factor, lr0)


STEP_MISTAKES = {
    "the rate drops one step early, at t = drop_every - 1: this is Keras' floor((1 + t) / drop_every); "
    "the first drop is at t = drop_every, floor(t / drop_every)": _keras_step,
    "there is no floor: factor ** (t / drop_every) decays smoothly; step decay holds the rate and drops it "
    "by factor every drop_every steps, factor ** floor(t / drop_every)": _step_no_floor,
    "the rate drops only once; it drops by factor again every drop_every steps": _step_factor_once,
}


def _linear_compounded(n, lr0, T):
    lr = lr0
    for s in range(n + 1):
        lr = lr * (1 - min(s, T) / T)
    return lr


def _linear_negative(t, lr0, T):
    return lr0 * (1 - np.asarray(t, dtype=float) / T)


LINEAR_MISTAKES = {
    "the decay compounds (lr = lr * (1 - t / T) in a loop, the lecture notes' mistake); write it in "
    "closed form, lr0 * (1 - t / T)": _per_entry(_linear_compounded),
    "past T the rate goes negative: hold 0 for t > T, lr0 * (1 - min(t, T) / T)": _linear_negative,
}


def _cos_compounded(n, lr0, T, lr_min=0.0):
    lr = lr0
    for s in range(n + 1):
        lr = lr_min + 0.5 * (lr - lr_min) * (1 + np.cos(np.pi * min(s, T) / T))
    return lr


def _cos_compounded_plain(n, lr0, T, lr_min=0.0):
    lr = lr0
    for s in range(n + 1):
        lr = 0.5 * lr * (1 + np.cos(np.pi * min(s, T) / T))
    return lr


def _cos_torch(t, lr0, T, lr_min=0.0):
    return lr_min + 0.5 * (lr0 - lr_min) * (1 + np.cos(np.pi * np.asarray(t, dtype=float) / T))


def _cos_no_lr_min(t, lr0, T, lr_min=0.0):
    return S.cosine_decay(t, lr0, T)


def _cos_lr_min_added(t, lr0, T, lr_min=0.0):
    return lr_min + S.cosine_decay(t, lr0, T)


def _cos_clipped(t, lr0, T, lr_min=0.0):
    return np.maximum(S.cosine_decay(t, lr0, T), lr_min)


COSINE_MISTAKES = {
    "the decay compounds (lr = lr_min + 0.5 * (lr - lr_min) * (1 + cos(pi t / T)) in a loop, the lecture "
    "notes' mistake); write it in closed form, in terms of lr0": _per_entry(_cos_compounded),
    "the decay compounds (lr = 0.5 * lr * (1 + cos(pi t / T)) in a loop, the lecture notes' mistake); "
    "write it in closed form, in terms of lr0": _per_entry(_cos_compounded_plain),
    "past T the rate climbs back up the cosine (torch's CosineAnnealingLR does that); this course holds "
    "lr_min for t > T: use min(t, T)": _cos_torch,
    "lr_min is ignored: the rate should be lr_min + (lr0 - lr_min) / 2 * (1 + cos(pi t / T))": _cos_no_lr_min,
    "lr_min is added to the full cosine: the cosine part spans lr0 - lr_min, "
    "lr_min + (lr0 - lr_min) / 2 * (1 + cos(pi t / T))": _cos_lr_min_added,
    "the cosine is cut at lr_min instead of ending there: lr_min + (lr0 - lr_min) / 2 * (1 + cos(pi t / T))":
        _cos_clipped,
}


def _cos_part(t, lr0, warmup, T, lr_min, *, start, horizon):
    steps = np.asarray(t, dtype=float)
    return S.cosine_decay(np.maximum(steps - start, 0.0), lr0, horizon, lr_min)


def _warm_from_zero(t, lr0, warmup, T, lr_min=0.0):
    steps = np.asarray(t, dtype=float)
    return np.where(steps < warmup, lr0 * steps / warmup, S.warmup_cosine(steps, lr0, warmup, T, lr_min))


def _warm_unshifted(t, lr0, warmup, T, lr_min=0.0):
    steps = np.asarray(t, dtype=float)
    return np.where(steps < warmup, lr0 * (steps + 1) / warmup, S.cosine_decay(steps, lr0, T, lr_min))


def _warm_long_cosine(t, lr0, warmup, T, lr_min=0.0):
    steps = np.asarray(t, dtype=float)
    return np.where(steps < warmup, lr0 * (steps + 1) / warmup,
                    _cos_part(steps, lr0, warmup, T, lr_min, start=warmup, horizon=T))


def _warm_one_late(t, lr0, warmup, T, lr_min=0.0):
    steps = np.asarray(t, dtype=float)
    return np.where(steps <= warmup, lr0 * (steps + 1) / warmup, S.warmup_cosine(steps, lr0, warmup, T, lr_min))


def _warm_no_warmup(t, lr0, warmup, T, lr_min=0.0):
    return S.cosine_decay(t, lr0, T, lr_min)


WARMUP_MISTAKES = {
    "the warm-up starts at 0 (lr0 * t / warmup), so step 0 does not move; it is lr0 * (t + 1) / warmup, "
    "reaching lr0 at t = warmup - 1": _warm_from_zero,
    "the cosine part is not shifted by the warm-up: after it, the rate is "
    "cosine_decay(t - warmup, lr0, T - warmup, lr_min)": _warm_unshifted,
    "the cosine part lasts T steps after the warm-up; it lasts T - warmup, reaching lr_min at t = T: "
    "cosine_decay(t - warmup, lr0, T - warmup, lr_min)": _warm_long_cosine,
    "the warm-up ends one step late (t <= warmup), so the rate overshoots lr0 at t = warmup; "
    "warm up while t < warmup": _warm_one_late,
    "there is no warm-up: the rate starts at lr0 instead of lr0 / warmup": _warm_no_warmup,
}


def _inv_time_compounded(n, lr0, k):
    lr = lr0
    for s in range(n + 1):
        lr = lr / (1 + k * s)
    return lr


def _inv_time_no_one(t, lr0, k):
    return lr0 / (k * np.asarray(t, dtype=float))


def _inv_time_k_inverted(t, lr0, k):
    return lr0 / (1 + np.asarray(t, dtype=float) / k)


INVERSE_TIME_MISTAKES = {
    "the decay compounds (lr = lr / (1 + k t) in a loop, the lecture notes' mistake); write it in closed "
    "form, lr0 / (1 + k t)": _per_entry(_inv_time_compounded),
    "the 1 is missing: lr0 / (k t) is infinite at t = 0; the rate is lr0 / (1 + k t)": _inv_time_no_one,
    "k is used as a time scale (lr0 / (1 + t / k)); k is a rate per step: lr0 / (1 + k t)": _inv_time_k_inverted,
    "the square root belongs to inverse_sqrt_decay; inverse-time decay is lr0 / (1 + k t)":
        lambda t, lr0, k: S.inverse_sqrt_decay(t, lr0, k),
}


def _inv_sqrt_compounded(n, lr0, k=1.0):
    lr = lr0
    for s in range(n + 1):
        lr = lr / np.sqrt(1 + k * s)
    return lr


def _inv_sqrt_no_one(t, lr0, k=1.0):
    return lr0 / np.sqrt(k * np.asarray(t, dtype=float))


def _inv_sqrt_of_kt_only(t, lr0, k=1.0):
    return lr0 / (1 + np.sqrt(k * np.asarray(t, dtype=float)))


INVERSE_SQRT_MISTAKES = {
    "the decay compounds (lr = lr / sqrt(1 + k t) in a loop, the lecture notes' mistake); write it in "
    "closed form, lr0 / sqrt(1 + k t)": _per_entry(_inv_sqrt_compounded),
    "the 1 is missing: lr0 / sqrt(k t) is infinite at t = 0; the rate is lr0 / sqrt(1 + k t)": _inv_sqrt_no_one,
    "the square root covers only k t (lr0 / (1 + sqrt(k t))); it covers 1 + k t: lr0 / sqrt(1 + k t)":
        _inv_sqrt_of_kt_only,
    "there is no square root: that is inverse-time decay; this one is lr0 / sqrt(1 + k t)":
        lambda t, lr0, k=1.0: S.inverse_time_decay(t, lr0, k),
}


def _descend_one_ahead(grad, w0, schedule, num_steps):
    return S.descend_with_schedule(grad, w0, lambda t: schedule(t + 1), num_steps)


def _descend_constant(grad, w0, schedule, num_steps):
    return S.descend_with_schedule(grad, w0, lambda t: schedule(0), num_steps)


def _descend_without_w0(grad, w0, schedule, num_steps):
    path, rates = S.descend_with_schedule(grad, w0, schedule, num_steps)
    return path[1:], rates


DESCEND_MISTAKES = {
    "step t uses schedule(t + 1): the first step must use schedule(0), the initial rate": _descend_one_ahead,
    "the rate never changes (schedule(0) at every step); ask the schedule for the rate of each step t":
        _descend_constant,
    "the path leaves out w0: its first row is w0, then one row per step": _descend_without_w0,
}


def _w_quadratic(w):
    return np.diag([1.0, 10.0]) @ w


_B = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]])


def _descend(variant, grad, w0, schedule, num_steps, part):
    """Row ``part`` (0: path, 1: rates) of a variant's result on a hidden input."""
    return variant(grad, np.array(w0, dtype=float), schedule, num_steps)[part]


# ---------------------------------------------------------------- building the expectations

def _expect(function, reference, mistakes, key, what, call):
    """``call(f)`` evaluates a schedule on the hidden input; the reference and every mistake are run."""
    wrong = {}
    for message, variant in mistakes.items():
        with np.errstate(all="ignore"):
            wrong[message] = np.asarray(call(variant), dtype=float)
    return Expect(key, np.asarray(call(reference), dtype=float), what, function, rtol=RTOL, atol=ATOL,
                  mistakes=wrong)


def _scalars(f, steps, *args):
    return [float(np.asarray(f(s, *args))) for s in steps]


def _float_check(function, what):
    return Expect("scalar_is_float", 1.0, what, function, rtol=0, atol=0, mistakes={FLOAT_MESSAGE: 0.0})


def step_decay_hidden():
    f, ref, m = "step_decay", S.step_decay, STEP_MISTAKES
    return [
        _expect(f, ref, m, "range", "t = 0 .. 39 (drop every 7, factor 0.5)", lambda g: g(np.arange(40), 0.3, 7, 0.5)),
        _expect(f, ref, m, "factor", "t = 0 .. 34 (drop every 10, factor 0.1)", lambda g: g(np.arange(35), 1.0, 10, 0.1)),
        _expect(f, ref, m, "defaults", "t = 0 .. 29 with the default factor", lambda g: g(np.arange(30), 0.2, 5)),
        _expect(f, ref, m, "matrix", "a 4x6 matrix of steps", lambda g: g(np.arange(24).reshape(4, 6), 0.1, 4, 0.8)),
        _expect(f, ref, m, "scalars", "scalar t = 0, 6, 7, 13, 14, 100",
                lambda g: _scalars(g, (0, 6, 7, 13, 14, 100), 0.3, 7, 0.5)),
        _float_check(f, "a scalar t = 7"),
    ]


def linear_decay_hidden():
    f, ref, m = "linear_decay", S.linear_decay, LINEAR_MISTAKES
    return [
        _expect(f, ref, m, "range", "t = 0 .. T (T = 20)", lambda g: g(np.arange(21), 0.5, 20)),
        _expect(f, ref, m, "past", "t = T .. 2T + 4, past the horizon T = 20", lambda g: g(np.arange(20, 45), 0.5, 20)),
        _expect(f, ref, m, "matrix", "a 3x4 matrix of steps, some past T",
                lambda g: g(np.arange(12).reshape(3, 4) * 1.5, 0.1, 9)),
        _expect(f, ref, m, "scalars", "scalar t = 0, 1, 8, 15, 16 (= T), 30",
                lambda g: _scalars(g, (0, 1, 8, 15, 16, 30), 0.4, 16)),
        _float_check(f, "a scalar t = 5"),
    ]


def cosine_decay_hidden():
    f, ref, m = "cosine_decay", S.cosine_decay, COSINE_MISTAKES
    return [
        _expect(f, ref, m, "range", "t = 0 .. T (T = 30, lr_min = 0.02)", lambda g: g(np.arange(31), 0.4, 30, 0.02)),
        _expect(f, ref, m, "no_floor", "t = 0 .. T with the default lr_min", lambda g: g(np.arange(25), 1.0, 24)),
        _expect(f, ref, m, "past", "t = T .. 2T + 9, past the horizon T = 30",
                lambda g: g(np.arange(30, 70), 0.4, 30, 0.02)),
        _expect(f, ref, m, "matrix", "a 2x6 matrix of steps, some past T",
                lambda g: g(np.arange(12).reshape(2, 6) * 2.0, 0.2, 16, 0.05)),
        _expect(f, ref, m, "scalars", "scalar t = 0, 1, 15, 29, 30 (= T), 50",
                lambda g: _scalars(g, (0, 1, 15, 29, 30, 50), 0.4, 30, 0.02)),
        _float_check(f, "a scalar t = 15"),
    ]


def warmup_cosine_hidden():
    f, ref, m = "warmup_cosine", S.warmup_cosine, WARMUP_MISTAKES
    return [
        _expect(f, ref, m, "range", "t = 0 .. T (warm-up 8, T = 40, lr_min = 0.01)",
                lambda g: g(np.arange(41), 0.3, 8, 40, 0.01)),
        _expect(f, ref, m, "no_floor", "t = 0 .. 29 (warm-up 5, T = 25) with the default lr_min",
                lambda g: g(np.arange(30), 1.0, 5, 25)),
        _expect(f, ref, m, "past", "t = T .. T + 19, past the horizon T = 40",
                lambda g: g(np.arange(40, 60), 0.3, 8, 40, 0.01)),
        _expect(f, ref, m, "matrix", "a 3x5 matrix of steps", lambda g: g(np.arange(15).reshape(3, 5), 0.2, 3, 12, 0.02)),
        _expect(f, ref, m, "scalars", "scalar t = 0, 7, 8 (= warmup), 9, 40 (= T), 55",
                lambda g: _scalars(g, (0, 7, 8, 9, 40, 55), 0.3, 8, 40, 0.01)),
        _float_check(f, "a scalar t = 20"),
    ]


def inverse_time_decay_hidden():
    f, ref, m = "inverse_time_decay", S.inverse_time_decay, INVERSE_TIME_MISTAKES
    return [
        _expect(f, ref, m, "range", "t = 0 .. 49 (k = 0.1)", lambda g: g(np.arange(50), 0.4, 0.1)),
        _expect(f, ref, m, "slow", "t = 0, 37, .., 999 (k = 0.005)", lambda g: g(np.arange(0, 1000, 37), 1.0, 0.005)),
        _expect(f, ref, m, "matrix", "a 3x4 matrix of steps", lambda g: g(np.arange(12).reshape(3, 4) * 2.5, 0.1, 0.3)),
        _expect(f, ref, m, "scalars", "scalar t = 0, 1, 5, 20, 99", lambda g: _scalars(g, (0, 1, 5, 20, 99), 0.3, 0.2)),
        _float_check(f, "a scalar t = 5"),
    ]


def inverse_sqrt_decay_hidden():
    f, ref, m = "inverse_sqrt_decay", S.inverse_sqrt_decay, INVERSE_SQRT_MISTAKES
    return [
        _expect(f, ref, m, "range", "t = 0 .. 49 (k = 0.1)", lambda g: g(np.arange(50), 0.4, 0.1)),
        _expect(f, ref, m, "defaults", "t = 0, 13, .., 390 with the default k", lambda g: g(np.arange(0, 400, 13), 0.05)),
        _expect(f, ref, m, "matrix", "a 4x3 matrix of steps", lambda g: g(np.arange(12).reshape(4, 3) * 3.0, 0.1, 2.0)),
        _expect(f, ref, m, "scalars", "scalar t = 0, 1, 5, 20, 99", lambda g: _scalars(g, (0, 1, 5, 20, 99), 0.3, 0.2)),
        _float_check(f, "a scalar t = 5"),
    ]


def descend_with_schedule_hidden():
    f, ref, m = "descend_with_schedule", S.descend_with_schedule, DESCEND_MISTAKES

    def inverse_time(t):
        return 0.15 / (1 + 0.1 * t)

    def warmup(t):
        return 0.3 * min(1.0, (t + 1) / 5)

    quadratic = "30 steps on a 2-D quadratic, rate 0.15 / (1 + 0.1 t)"
    return [
        _expect(f, ref, m, "path", quadratic, lambda g: _descend(g, _w_quadratic, [1.0, 1.0], inverse_time, 30, 0)),
        _expect(f, ref, m, "rates", f"the rates of {quadratic}",
                lambda g: _descend(g, _w_quadratic, [1.0, 1.0], inverse_time, 30, 1)),
        Expect("w0", np.array([1.0, 1.0]), quadratic, f, unchanged=True),
        _expect(f, ref, m, "warmup_path", "12 steps on a 3-D quadratic with a 5-step warm-up",
                lambda g: _descend(g, lambda w: _B @ w - 1.0, np.zeros(3), warmup, 12, 0)),
        Expect("steps_asked", np.arange(7.0), "7 steps: the steps t it asks the schedule for, in order", f,
               rtol=0, atol=0, mistakes={"step t uses schedule(t + 1): the first step must use schedule(0), "
                                         "the initial rate": np.arange(1.0, 8.0)}),
    ]


CHECKS = {"step_decay_hidden": step_decay_hidden, "linear_decay_hidden": linear_decay_hidden,
          "cosine_decay_hidden": cosine_decay_hidden, "warmup_cosine_hidden": warmup_cosine_hidden,
          "inverse_time_decay_hidden": inverse_time_decay_hidden,
          "inverse_sqrt_decay_hidden": inverse_sqrt_decay_hidden,
          "descend_with_schedule_hidden": descend_with_schedule_hidden}
