"""Reference solutions of assignment 01_gradient_descent (chapter 1)."""
from __future__ import annotations

import numpy as np


def sgd(w, dw, state=None, lr=1e-2, weight_decay=0.0):
    """Plain SGD in the course's update-rule contract: ``w - lr * (dw + weight_decay * w)``."""
    return w - lr * (dw + weight_decay * w), ({} if state is None else state)


def numerical_gradient(f, x, h=1e-5):
    """Central differences ``(f(x + h e_i) - f(x - h e_i)) / (2 h)`` for every coordinate ``i``."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def gradient_descent(grad, x0, lr, num_steps):
    """The ``num_steps + 1`` points ``x_0, ..., x_T`` of ``x_{t+1} = x_t - lr * grad(x_t)``."""
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for _ in range(num_steps):
        x = x - lr * grad(x)
        path.append(x.copy())
    return np.array(path)


def max_stable_lr(A):
    """``2 / L`` for ``f(x) = x^T A x / 2``, with ``L`` the largest eigenvalue of ``(A + A^T) / 2``."""
    A = np.asarray(A, dtype=float)
    return 2.0 / np.linalg.eigvalsh((A + A.T) / 2)[-1]


def backtracking_line_search(f, grad_f, x, lr0=1.0, shrink=0.5, c=1e-4, max_iter=50):
    """The first ``lr0 * shrink**k`` (k = 0..max_iter) meeting Armijo's condition at ``x``.

    Armijo: ``f(x - lr g) <= f(x) - c * lr * g.g`` with ``g = grad_f(x)``; when no
    candidate meets it, the last one, ``lr0 * shrink**max_iter``.
    """
    x = np.asarray(x, dtype=float)
    g = np.asarray(grad_f(x), dtype=float)
    fx, gg = f(x), float(np.sum(g * g))
    lr = lr0
    for _ in range(max_iter):
        if f(x - lr * g) <= fx - c * lr * gg:
            return lr
        lr *= shrink
    return lr


def least_squares_loss(X, y, w):
    """``||X w - y||^2 / (2 n)``."""
    r = X @ w - y
    return float(r @ r) / (2 * len(y))


def minibatch_sgd(X, y, w0, lr, batch_size, num_epochs, rng):
    """Mini-batch SGD on ``||X w - y||^2 / (2 n)``; returns ``(w, losses)``.

    Each epoch draws ``perm = rng.permutation(n)`` and visits the batches
    ``perm[i:i + batch_size]`` in order (the last one may be smaller); a batch's gradient
    is ``X_b^T (X_b w - y_b) / len(b)``. ``losses[k]`` is the full loss after ``k`` epochs.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.array(w0, dtype=float)
    n = len(y)
    losses = [least_squares_loss(X, y, w)]
    for _ in range(num_epochs):
        perm = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = perm[start:start + batch_size]
            Xb, yb = X[batch], y[batch]
            w = w - lr * (Xb.T @ (Xb @ w - yb)) / len(batch)
        losses.append(least_squares_loss(X, y, w))
    return w, np.array(losses)
