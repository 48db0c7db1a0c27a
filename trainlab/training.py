"""A small training harness: a NumPy multilayer perceptron and a loop with a pluggable update rule.

The update rule is any function with the course's contract
``rule(w, dw, state=None, **hyper) -> (w_next, state_next)``; the loop keeps one state per
parameter array. A schedule may set the learning rate: ``schedule(epoch) -> lr`` at the
start of every epoch (the default), or ``schedule(step) -> lr`` before every mini-batch
step with ``schedule_every="step"`` (the spirit of Keras' ``LearningRateScheduler``).

Defined in chapter 3 (adaptive methods); the per-step scheduler hook in chapter 4
(learning-rate decay).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np


class MLP:
    """Fully connected ReLU layers and a softmax cross-entropy loss."""

    def __init__(self, sizes: list[int], seed: int = 0):
        rng = np.random.default_rng(seed)
        self.params = {}
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), 1):
            self.params[f"W{i}"] = rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)
            self.params[f"b{i}"] = np.zeros(n_out)
        self.num_layers = len(sizes) - 1

    def scores(self, X: np.ndarray, params: Optional[dict] = None) -> np.ndarray:
        """Class scores, shape ``(n, classes)``."""
        return self._forward(X, params or self.params)[0]

    def _forward(self, X, p):
        hidden = [X]
        for i in range(1, self.num_layers):
            hidden.append(np.maximum(0.0, hidden[-1] @ p[f"W{i}"] + p[f"b{i}"]))
        last = self.num_layers
        return hidden[-1] @ p[f"W{last}"] + p[f"b{last}"], hidden

    def loss(self, X: np.ndarray, y: np.ndarray, params: Optional[dict] = None):
        """``(loss, grads)``: mean cross-entropy and its gradient for every parameter."""
        p = params or self.params
        scores, hidden = self._forward(X, p)
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        n = len(y)
        loss = -log_probs[np.arange(n), y].mean()
        d = np.exp(log_probs)
        d[np.arange(n), y] -= 1.0
        d /= n
        grads = {}
        for i in range(self.num_layers, 0, -1):
            grads[f"W{i}"] = hidden[i - 1].T @ d
            grads[f"b{i}"] = d.sum(axis=0)
            if i > 1:
                d = (d @ p[f"W{i}"].T) * (hidden[i - 1] > 0)
        return float(loss), grads

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean(self.scores(X).argmax(axis=1) == y))


@dataclass
class History:
    """Per-epoch records of a training run (entry 0 is before the first update)."""

    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    lr: list = field(default_factory=list)
    #: the rate used at every mini-batch step, in order (global step ``s`` at index ``s``)
    step_lr: list = field(default_factory=list)


def train(model: MLP, rule: Callable, X, y, X_val, y_val, *, num_epochs: int = 10, batch_size: int = 64,
          seed: int = 0, schedule: Optional[Callable[[int], float]] = None,
          schedule_every: str = "epoch", **hyper) -> History:
    """Mini-batch training of ``model`` with ``rule``; returns the ``History``.

    Each epoch shuffles with a generator seeded by ``seed``. ``schedule``, when given,
    replaces ``hyper["lr"]``: with ``schedule_every="epoch"`` it is called as
    ``schedule(epoch)`` (0-based) at the start of every epoch; with ``"step"`` as
    ``schedule(step)`` before every mini-batch, ``step`` counting from 0 across epochs.
    The schedule always receives the count, never the previous rate, so it cannot
    compound. ``History.lr`` holds the rate of each epoch (its last step's with
    ``"step"``; entry 0 is the rate given before training) and ``History.step_lr`` the
    rate of every step. A run that diverges (a non-finite loss) stops early, and its
    history ends with ``inf``.
    """
    if schedule_every not in ("epoch", "step"):
        raise ValueError(f'schedule_every must be "epoch" or "step", got {schedule_every!r}')
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be a function of the epoch or step, got {type(schedule).__name__}")

    def scheduled(count):
        lr = schedule(count)
        try:
            lr = float(lr)
        except (TypeError, ValueError):
            raise TypeError(f"schedule({count}) must return a number, got {lr!r}") from None
        if not np.isfinite(lr) or lr < 0:
            raise ValueError(f"schedule({count}) must return a finite rate >= 0, got {lr!r}")
        return lr

    rng = np.random.default_rng(seed)
    states = {name: None for name in model.params}
    history = History()

    def log(lr):
        history.train_loss.append(model.loss(X, y)[0])
        val_loss = model.loss(X_val, y_val)[0]
        history.val_loss.append(val_loss)
        history.val_accuracy.append(model.accuracy(X_val, y_val))
        history.lr.append(lr)

    with np.errstate(all="ignore"):
        log(hyper.get("lr"))
        for epoch in range(num_epochs):
            if schedule is not None and schedule_every == "epoch":
                hyper["lr"] = scheduled(epoch)
            order = rng.permutation(len(y))
            for start in range(0, len(y), batch_size):
                if schedule is not None and schedule_every == "step":
                    hyper["lr"] = scheduled(len(history.step_lr))
                history.step_lr.append(hyper.get("lr"))
                batch = order[start:start + batch_size]
                _, grads = model.loss(X[batch], y[batch])
                for name, w in model.params.items():
                    model.params[name], states[name] = rule(w, grads[name], states[name], **hyper)
            log(hyper.get("lr"))
            if not np.isfinite(history.train_loss[-1]):
                history.train_loss[-1] = float("inf")
                break
    return history
