"""The learning-rate decay explorer: pick a schedule, drag its parameters, watch the rate and the loss.

The schedules are arguments (the book passes its own, an assignment the learner's), keyed
by the course's names; each is called on the whole array of steps ``t = 0 .. steps - 1``
with the parameters its name takes:

* ``step_decay(t, lr0, drop_every, factor)``, ``keras_step_decay`` likewise,
* ``exponential_decay(t, lr0, k)``, ``inverse_time_decay(t, lr0, k)``, ``inverse_sqrt_decay(t, lr0, k)``,
* ``linear_decay(t, lr0, T)``, ``cosine_decay(t, lr0, T, lr_min)``,
  ``warmup_cosine(t, lr0, warmup, T, lr_min)``.

The training curve is stochastic gradient descent on a noisy quadratic (fixed seed and
noise, so only the schedule changes between moves): with a constant rate the loss stalls
at a noise floor proportional to the rate, a decaying rate goes below it.

Defined in chapter 4 (learning-rate decay).
"""
from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
import numpy as np

from .explorers import Explorer, animate, lr_slider, set_limits, set_title

ARGUMENTS = {
    "constant": (),
    "step_decay": ("drop_every", "factor"),
    "keras_step_decay": ("drop_every", "factor"),
    "exponential_decay": ("k",),
    "inverse_time_decay": ("k",),
    "inverse_sqrt_decay": ("k",),
    "linear_decay": ("T",),
    "cosine_decay": ("T", "lr_min"),
    "warmup_cosine": ("warmup", "T", "lr_min"),
}


def rates_of(schedule: Callable, name: str, steps: int, lr0: float, **params) -> np.ndarray:
    """``schedule`` evaluated on ``t = 0 .. steps - 1``, checked: one finite rate >= 0 per step."""
    t = np.arange(steps)
    args = [params[p] for p in ARGUMENTS[name]]
    result = np.asarray(schedule(t, lr0, *args), dtype=float)
    if result.shape != t.shape:
        raise ValueError(f"{name} returned shape {result.shape} for t of shape {t.shape}; "
                         f"expected one rate per step, shape {t.shape}")
    if not np.all(np.isfinite(result)) or np.any(result < 0):
        raise ValueError(f"{name} returned a rate that is negative or not finite "
                         f"(min {np.nanmin(result):.3g}); expected finite rates >= 0")
    return result


def noisy_quadratic_losses(rates: np.ndarray, *, dim: int = 20, noise: float = 1.0, seed: int = 0) -> np.ndarray:
    """SGD on ``f(w) = sum(h_i w_i^2) / 2`` with Gaussian gradient noise; ``f`` before each step and after the last."""
    rng = np.random.default_rng(seed)
    h = np.geomspace(0.1, 1.0, dim)
    w = np.full(dim, 3.0)
    kicks = noise * rng.standard_normal((len(rates), dim))
    losses = [0.5 * float(h @ w**2)]
    for lr, kick in zip(rates, kicks):
        w = w - lr * (h * w + kick)
        losses.append(0.5 * float(h @ w**2))
    return np.array(losses)


def schedule_explorer(schedules: dict, *, schedule: str = "cosine_decay", lr0: float = 0.5,
                      steps: int = 300) -> Explorer:
    """Choose a schedule and drag its parameters; the rate curve and the noisy-SGD loss redraw.

    ``schedules`` maps the course's names (keys of ``ARGUMENTS``) to functions; a constant
    rate is always offered as the reference, drawn in grey.
    """
    unknown = set(schedules) - set(ARGUMENTS)
    if unknown:
        raise ValueError(f"unknown schedule names {sorted(unknown)}; expected some of {sorted(ARGUMENTS)[1:]}")
    options = dict(schedules)
    if schedule not in options:
        schedule = next(iter(options))
    t_axis = np.arange(steps)

    def setup(fig):
        ax_lr, ax_loss = fig.subplots(1, 2)
        a = {"ax_lr": ax_lr, "ax_loss": ax_loss}
        a["const_lr"], = ax_lr.plot([], [], color="0.6", linewidth=1.2, label="constant $\\eta_0$")
        a["lr"], = ax_lr.plot([], [], color="tab:blue", linewidth=2, label="schedule")
        a["const_loss"], = ax_loss.plot([], [], color="0.6", linewidth=1, label="constant $\\eta_0$")
        a["loss"], = ax_loss.plot([], [], color="tab:blue", linewidth=1.2, label="schedule")
        ax_lr.set_xlabel("step $t$")
        ax_lr.set_ylabel("learning rate $\\eta_t$")
        ax_lr.legend(fontsize=8, loc="upper right")
        ax_loss.set_yscale("log")
        ax_loss.set_xlabel("step $t$")
        ax_loss.set_ylabel("loss $f(w_t)$ (noisy quadratic)")
        ax_loss.legend(fontsize=8, loc="upper right")
        set_limits(ax_lr, x=(0, steps), y=(0, 1.05))
        set_limits(ax_loss, x=(0, steps), y=(1e-3, 1e3))
        animate(a["lr"], a["loss"], a["const_lr"], a["const_loss"], ax_lr.title, ax_loss.title)
        return a

    def update(a, lr0, schedule, drop_every, factor, k, T, warmup, lr_min):
        params = dict(drop_every=drop_every, factor=factor, k=k, T=T, warmup=warmup, lr_min=lr_min * lr0)
        constant = np.full(steps, lr0)
        rates = rates_of(options[schedule], schedule, steps, lr0, **params)
        a["const_lr"].set_data(t_axis, constant / lr0)
        a["lr"].set_data(t_axis, rates / lr0)
        base = noisy_quadratic_losses(constant)
        losses = noisy_quadratic_losses(rates)
        a["const_loss"].set_data(np.arange(steps + 1), np.where(np.isfinite(base), base, np.nan))
        a["loss"].set_data(np.arange(steps + 1), np.where(np.isfinite(losses), losses, np.nan))
        used = ", ".join(f"{p}={params[p]:.3g}" for p in ARGUMENTS[schedule])
        set_title(a["ax_lr"], f"{schedule}({used}) / $\\eta_0$")
        tail = losses[-steps // 10:]
        set_title(a["ax_loss"], f"final loss {np.mean(tail):.3g} (constant: {np.mean(base[-steps // 10:]):.3g})")

    controls = {
        "lr0": lr_slider(lr0, 0.01, 1.5, description="lr0"),
        "schedule": widgets.Dropdown(options=list(options), value=schedule, description="schedule"),
        "drop_every": widgets.IntSlider(value=steps // 4, min=1, max=steps, description="drop every"),
        "factor": widgets.FloatSlider(value=0.5, min=0.05, max=0.95, step=0.05, description="factor"),
        "k": widgets.FloatLogSlider(value=0.02, base=10, min=-4, max=0, step=0.05, description="k",
                                    readout_format=".3g"),
        "T": widgets.IntSlider(value=steps, min=10, max=2 * steps, description="T"),
        "warmup": widgets.IntSlider(value=steps // 10, min=1, max=steps // 2, description="warm-up"),
        "lr_min": widgets.FloatSlider(value=0.0, min=0.0, max=0.5, step=0.01, description="lr_min/lr0"),
    }
    return Explorer(controls, setup, update, title="Learning-rate schedules on a noisy quadratic")
