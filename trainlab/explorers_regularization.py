"""The regularization explorer: L2 and L1 strength and dropout drive a decision boundary and two loss curves.

A small ReLU network (2 inputs, two hidden layers, 2 classes) is trained by full-batch
gradient descent with momentum on a few noisy points of the two-moons problem
(``trainlab.datasets.two_moons``), long enough to memorise them when nothing holds it
back. The regularizers are arguments, so the book passes its own and an assignment the
learner's:

* ``l2_penalty(params, reg) -> (loss, grads)`` and ``l1_penalty(params, reg) -> (loss, grads)``,
  ``params`` a dict ``{"W1", "b1", "W2", "b2", "W3", "b3"}``, ``grads`` a dict with the same keys;
* ``dropout_forward(x, p, train, rng) -> (out, cache)`` and ``dropout_backward(dout, cache) -> dx``,
  applied after each hidden layer, ``p`` the probability to drop a unit.

The network's own layers (affine, ReLU, softmax cross-entropy) are written here; what
the explorer runs of the course's regularizers comes from its arguments. Every run
starts from the same initial weights and draws its dropout masks from the same seed, so
only the sliders change between two runs; results are cached, so returning to a
setting is instant.

Defined in chapter 5 (regularization).
"""
from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
import numpy as np

from . import datasets
from .explorers import Explorer, animate, set_limits, set_title

HIDDEN = 40
GRID = 70
XLIM, YLIM = (-1.6, 2.6), (-1.2, 1.7)


def moons_problem(n_train: int = 30, n_val: int = 300, noise: float = 0.3, seed: int = 0):
    """``(X, y, X_val, y_val)``: a few training points and many validation points of two noisy moons."""
    X, y = datasets.two_moons(n_train, noise=noise, seed=seed)
    X_val, y_val = datasets.two_moons(n_val, noise=noise, seed=seed + 1)
    return X, y, X_val, y_val


def init_params(hidden: int = HIDDEN, seed: int = 0) -> dict:
    """He-initialised weights of a 2-hidden-hidden-2 network, zero biases."""
    rng = np.random.default_rng(seed)
    params = {}
    for i, (n_in, n_out) in enumerate([(2, hidden), (hidden, hidden), (hidden, 2)], 1):
        params[f"W{i}"] = rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)
        params[f"b{i}"] = np.zeros(n_out)
    return params


def _checked_penalty(penalty: Callable, name: str, params: dict, reg: float):
    result = penalty(params, reg)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise TypeError(f"{name} must return (loss, grads); it returned {type(result).__name__}")
    loss, grads = result
    if not isinstance(grads, dict):
        raise TypeError(f"{name} must return its gradients as a dict keyed like params; got {type(grads).__name__}")
    for key, value in params.items():
        if key not in grads:
            raise KeyError(f"{name} returned no gradient for {key!r} (give biases a gradient of zeros)")
        if np.shape(grads[key]) != value.shape:
            raise ValueError(f"{name}: the gradient of {key} has shape {np.shape(grads[key])}; "
                             f"{key} has shape {value.shape}")
    return float(loss), grads


def _checked_dropout(dropout_forward: Callable, h, p, train, rng):
    result = dropout_forward(h, p, train, rng)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise TypeError(f"dropout_forward must return (out, cache); it returned {type(result).__name__}")
    out, cache = result
    if np.shape(out) != h.shape:
        raise ValueError(f"dropout_forward returned out of shape {np.shape(out)} for x of shape {h.shape}")
    return np.asarray(out, dtype=float), cache


def forward(params, X, p=0.0, train=False, rng=None, dropout_forward=None):
    """Scores of the network and what its backward pass needs (dropout after each hidden layer)."""
    caches = []
    h = X
    for i in (1, 2):
        z = h @ params[f"W{i}"] + params[f"b{i}"]
        a = np.maximum(0.0, z)
        drop = None
        if dropout_forward is not None and p > 0:
            a, drop = _checked_dropout(dropout_forward, a, p, train, rng)
        caches.append((h, z, drop))
        h = a
    return h @ params["W3"] + params["b3"], caches, h


def cross_entropy(scores, y):
    """Mean softmax cross-entropy and its gradient with respect to the scores."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = len(y)
    d = np.exp(log_probs)
    d[np.arange(n), y] -= 1.0
    return float(-log_probs[np.arange(n), y].mean()), d / n


def train_moons(l2_penalty, l1_penalty, dropout_forward, dropout_backward, *, l2=0.0, l1=0.0, p=0.0,
                num_steps=300, lr=0.1, momentum=0.9, log_every=10, problem=None, seed=0):
    """Train on the moons; returns ``(params, steps, train_losses, val_losses)`` (data losses, no penalty)."""
    X, y, X_val, y_val = problem or moons_problem()
    params = init_params(seed=seed)
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    rng = np.random.default_rng(seed + 1)
    steps, train_losses, val_losses = [], [], []
    for step in range(num_steps + 1):
        if step % log_every == 0:
            steps.append(step)
            train_losses.append(cross_entropy(forward(params, X, p, False, None, dropout_forward)[0], y)[0])
            val_losses.append(cross_entropy(forward(params, X_val, p, False, None, dropout_forward)[0], y_val)[0])
        if step == num_steps:
            break
        scores, caches, h = forward(params, X, p, True, rng, dropout_forward)
        _, d = cross_entropy(scores, y)
        grads = {"W3": h.T @ d, "b3": d.sum(axis=0)}
        dh = d @ params["W3"].T
        for i in (2, 1):
            h_in, z, drop = caches[i - 1]
            if drop is not None:
                dh = np.asarray(dropout_backward(dh, drop), dtype=float)
                if dh.shape != z.shape:
                    raise ValueError(f"dropout_backward returned dx of shape {dh.shape}; expected {z.shape}")
            dz = dh * (z > 0)
            grads[f"W{i}"] = h_in.T @ dz
            grads[f"b{i}"] = dz.sum(axis=0)
            dh = dz @ params[f"W{i}"].T
        for reg, penalty, name in ((l2, l2_penalty, "l2_penalty"), (l1, l1_penalty, "l1_penalty")):
            if reg > 0:
                _, extra = _checked_penalty(penalty, name, params, reg)
                grads = {k: grads[k] + np.asarray(extra[k], dtype=float) for k in grads}
        for k in params:
            velocity[k] = momentum * velocity[k] - lr * grads[k]
            params[k] = params[k] + velocity[k]
        if not np.all(np.isfinite(params["W3"])):
            raise FloatingPointError(f"training diverged at step {step}")
    return params, np.array(steps), np.array(train_losses), np.array(val_losses)


def regularization_explorer(l2_penalty: Callable, l1_penalty: Callable, dropout_forward: Callable,
                            dropout_backward: Callable, *, l2: float = 0.0, l1: float = 0.0, p: float = 0.0,
                            num_steps: int = 300) -> Explorer:
    """Drag the L2 strength, the L1 strength and the dropout probability; the boundary and the curves redraw.

    Left: the probability of class 1 that the trained network gives over the plane, with
    the training points (filled) and the validation points (small). Right: training and
    validation loss during training (the data loss, without the penalty).
    """
    problem = moons_problem()
    X, y, X_val, y_val = problem
    gx, gy = np.meshgrid(np.linspace(*XLIM, GRID), np.linspace(*YLIM, GRID))
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1)
    cache: dict = {}

    def setup(fig):
        ax, ax_loss = fig.subplots(1, 2, width_ratios=[1.2, 1])
        a = {"ax": ax, "ax_loss": ax_loss}
        a["image"] = ax.imshow(np.full((GRID, GRID), 0.5), origin="lower", extent=(*XLIM, *YLIM),
                               cmap="RdBu", vmin=0, vmax=1, aspect="auto", interpolation="bilinear")
        colors = np.where(y_val == 1, "tab:blue", "tab:red")
        a["val_points"] = ax.scatter(X_val[:, 0], X_val[:, 1], s=6, c=colors, alpha=0.5, linewidths=0)
        a["train_points"] = ax.scatter(X[:, 0], X[:, 1], s=40, c=np.where(y == 1, "tab:blue", "tab:red"),
                                       edgecolors="black", linewidths=1.0)
        ax.set_xlim(XLIM)
        ax.set_ylim(YLIM)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        a["train"], = ax_loss.plot([], [], color="tab:blue", label="training loss")
        a["val"], = ax_loss.plot([], [], color="tab:orange", label="validation loss")
        ax_loss.set_yscale("log")
        ax_loss.set_xlabel("step")
        ax_loss.set_ylabel("cross-entropy (no penalty)")
        ax_loss.legend(fontsize=8, loc="lower left")
        set_limits(ax_loss, x=(0, num_steps), y=(1e-3, 3.0))
        animate(a["image"], a["val_points"], a["train_points"], a["train"], a["val"], ax.title, ax_loss.title)
        return a

    def update(a, l2, l1, p):
        key = (round(l2, 8), round(l1, 8), round(p, 8))
        if key not in cache:
            params, steps, train_losses, val_losses = train_moons(
                l2_penalty, l1_penalty, dropout_forward, dropout_backward, l2=l2, l1=l1, p=p,
                num_steps=num_steps, problem=problem)
            scores = forward(params, grid, p, False, None, dropout_forward)[0]
            probs = np.exp(scores - scores.max(axis=1, keepdims=True))
            probs = probs[:, 1] / probs.sum(axis=1)
            val_acc = np.mean(forward(params, X_val, p, False, None, dropout_forward)[0].argmax(axis=1) == y_val)
            cache[key] = (probs.reshape(GRID, GRID), steps, train_losses, val_losses, val_acc)
        image, steps, train_losses, val_losses, val_acc = cache[key]
        a["image"].set_data(image)
        a["train"].set_data(steps, np.clip(train_losses, 1e-3, None))
        a["val"].set_data(steps, np.clip(val_losses, 1e-3, None))
        set_title(a["ax"], f"L2 {l2:.3g}, L1 {l1:.3g}, dropout p {p:.2f}: validation accuracy {val_acc:.1%}")
        gap = val_losses[-1] - train_losses[-1]
        set_title(a["ax_loss"], f"final: train {train_losses[-1]:.3f}, validation {val_losses[-1]:.3f} "
                                f"(gap {gap:.3f})")

    controls = {
        "l2": widgets.FloatSlider(value=l2, min=0.0, max=0.05, step=0.001, readout_format=".3f",
                                  description="L2 strength"),
        "l1": widgets.FloatSlider(value=l1, min=0.0, max=0.01, step=0.0002, readout_format=".4f",
                                  description="L1 strength"),
        "p": widgets.FloatSlider(value=p, min=0.0, max=0.8, step=0.05, description="dropout p"),
    }
    return Explorer(controls, setup, update, figsize=(11, 4.2),
                    title="Regularizing a small network on two moons (30 training points)")
