"""Reference learning-rate schedules of chapter 4 (learning-rate decay).

Every schedule is a pure function of the step or epoch ``t`` (0-based) and the initial
rate ``lr0``: a scalar ``t`` gives a Python float, an array ``t`` gives a float array of
the same shape. Each is written in closed form, in terms of ``lr0`` (never by compounding
the previous rate, the lecture notes' mistake). Past ``T`` every schedule that has a
horizon holds its floor (``lr_min``, or 0 for the linear schedule): ``torch``'s
``LinearLR`` does the same, ``torch``'s ``CosineAnnealingLR`` does NOT (it rises again
along the cosine); ``tests/golden/schedules.json`` records both and ``tests/test_decay.py``
shows where they agree and where the course departs from torch.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["step_decay", "keras_step_decay", "exponential_decay", "inverse_time_decay",
           "inverse_sqrt_decay", "linear_decay", "cosine_decay", "warmup_cosine",
           "descend_with_schedule"]


# ---------------------------------------------------------------- helpers

def _steps(t):
    """``t`` as a float array and whether it was a scalar; negative or non-numeric ``t`` is refused."""
    scalar = isinstance(t, numbers.Real) or (isinstance(t, np.ndarray) and t.ndim == 0)
    raw = np.asarray(t)
    if raw.dtype.kind not in "iuf":
        raise TypeError(f"t must be a number or an array of numbers, got {type(t).__name__} {t!r}")
    arr = raw.astype(float)
    if np.any(~np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"t must be finite and >= 0 (steps count from 0), got {t!r}")
    return arr, scalar


def _out(values, scalar):
    return float(values) if scalar else np.asarray(values, dtype=float)


def _positive(name, value):
    if not isinstance(value, numbers.Real) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")


def _nonnegative(name, value):
    if not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")


# ---------------------------------------------------------------- schedules

def step_decay(t, lr0, drop_every, factor=0.5):
    """``lr0 * factor ** floor(t / drop_every)``: the first drop is at ``t = drop_every``.

    Matches ``torch.optim.lr_scheduler.StepLR(step_size=drop_every, gamma=factor)``.
    """
    t, scalar = _steps(t)
    _positive("lr0", lr0); _positive("drop_every", drop_every); _positive("factor", factor)
    return _out(lr0 * factor ** np.floor(t / drop_every), scalar)


def keras_step_decay(t, lr0, drop_every, factor=0.5):
    """Keras' recipe ``lr0 * factor ** floor((1 + t) / drop_every)``.

    It drops one epoch early, at ``t = drop_every - 1`` (and every ``drop_every`` after);
    kept to show that difference next to ``step_decay``.
    """
    t, scalar = _steps(t)
    _positive("lr0", lr0); _positive("drop_every", drop_every); _positive("factor", factor)
    return _out(lr0 * factor ** np.floor((1 + t) / drop_every), scalar)


def exponential_decay(t, lr0, k):
    """``lr0 * exp(-k t)``; ``ExponentialLR(gamma=exp(-k))`` in torch. No horizon, no floor."""
    t, scalar = _steps(t)
    _positive("lr0", lr0); _nonnegative("k", k)
    return _out(lr0 * np.exp(-k * t), scalar)


def inverse_time_decay(t, lr0, k):
    """``lr0 / (1 + k t)``. No horizon, no floor."""
    t, scalar = _steps(t)
    _positive("lr0", lr0); _nonnegative("k", k)
    return _out(lr0 / (1.0 + k * t), scalar)


def inverse_sqrt_decay(t, lr0, k=1.0):
    """``lr0 / sqrt(1 + k t)`` (the ``1 +`` keeps ``t = 0`` finite: ``lr0 / sqrt(t)`` is not)."""
    t, scalar = _steps(t)
    _positive("lr0", lr0); _nonnegative("k", k)
    return _out(lr0 / np.sqrt(1.0 + k * t), scalar)


def linear_decay(t, lr0, T):
    """``lr0 * (1 - t / T)`` for ``t <= T``, then 0 held (as torch's ``LinearLR`` holds its end)."""
    t, scalar = _steps(t)
    _positive("lr0", lr0); _positive("T", T)
    return _out(lr0 * (1.0 - np.minimum(t, T) / T), scalar)


def cosine_decay(t, lr0, T, lr_min=0.0):
    """``lr_min + (lr0 - lr_min) / 2 * (1 + cos(pi t / T))`` for ``t <= T``, then ``lr_min`` held.

    Up to ``T`` this is ``CosineAnnealingLR(T_max=T, eta_min=lr_min)``; past ``T`` torch
    climbs back up the cosine, the course holds the floor.
    """
    t, scalar = _steps(t)
    _positive("lr0", lr0); _positive("T", T); _nonnegative("lr_min", lr_min)
    if lr_min > lr0:
        raise ValueError(f"lr_min must not exceed lr0, got lr_min={lr_min!r} > lr0={lr0!r}")
    phase = np.minimum(t, T) / T
    return _out(lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * phase)), scalar)


def warmup_cosine(t, lr0, warmup, T, lr_min=0.0):
    """Linear warm-up ``lr0 * (t + 1) / warmup`` for ``t < warmup``, then cosine from ``lr0``.

    The cosine part is ``cosine_decay(t - warmup, lr0, T - warmup, lr_min)``: it starts at
    ``lr0`` at ``t = warmup``, reaches ``lr_min`` at ``t = T`` and holds it after. The
    warm-up reaches ``lr0`` at ``t = warmup - 1`` (so step 0 already moves, at
    ``lr0 / warmup``). In torch: ``SequentialLR([LinearLR(1/warmup, 1, warmup - 1),
    CosineAnnealingLR(T - warmup, lr_min)], milestones=[warmup])``.
    """
    t, scalar = _steps(t)
    _positive("lr0", lr0); _positive("warmup", warmup); _positive("T", T)
    if not warmup < T:
        raise ValueError(f"warmup must be shorter than T, got warmup={warmup!r}, T={T!r}")
    _nonnegative("lr_min", lr_min)
    ramp = lr0 * (t + 1.0) / warmup
    phase = np.minimum(np.maximum(t - warmup, 0.0), T - warmup) / (T - warmup)
    cos = lr_min + 0.5 * (lr0 - lr_min) * (1.0 + np.cos(np.pi * phase))
    return _out(np.where(t < warmup, ramp, cos), scalar)


# ---------------------------------------------------------------- a loop that applies a schedule

def descend_with_schedule(grad, w0, schedule, num_steps):
    """Gradient descent whose rate at step ``t`` is ``schedule(t)``, for ``t = 0 .. num_steps - 1``.

    ``w_{t+1} = w_t - schedule(t) * grad(w_t)``. ``schedule`` is called once per step with
    the step number, a Python ``int``. Returns ``(path, rates)``: ``path`` has shape
    ``(num_steps + 1,) + w0.shape`` and starts with a copy of ``w0`` (which is left
    unchanged); ``rates`` has shape ``(num_steps,)``.
    """
    if not isinstance(num_steps, numbers.Integral) or num_steps < 0:
        raise ValueError(f"num_steps must be an integer >= 0, got {num_steps!r}")
    w = np.array(w0, dtype=float)
    path, rates = [w.copy()], []
    for t in range(num_steps):
        lr = float(schedule(t))
        w = w - lr * np.asarray(grad(w), dtype=float)
        path.append(w.copy())
        rates.append(lr)
    return np.array(path), np.array(rates, dtype=float)

