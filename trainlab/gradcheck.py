"""Checking an analytic gradient against finite differences.

The check works along random directions: it compares the directional derivative
``grad(x) . d`` with the central difference ``(f(x + h d) - f(x - h d)) / (2 h)``. It
needs two evaluations of ``f`` per direction, whatever the size of ``x``, and it never
builds a numerical gradient (chapter 1's assignment asks you to write that one).

Defined in chapter 1 (gradient descent).
"""
from __future__ import annotations

import numpy as np


def rel_error(a, b) -> float:
    """Largest elementwise relative error ``|a - b| / max(1e-8, |a| + |b|)``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare shapes {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def check_gradient(f, grad, x, *, num_directions: int = 10, h: float = 1e-5, seed: int = 0) -> float:
    """Relative error between ``grad(x)`` and central differences of ``f`` along random directions.

    ``f`` maps an array shaped like ``x`` to a scalar; ``grad`` returns an array shaped
    like ``x``. For a correct gradient of a smooth function in double precision, expect
    errors around 1e-7 or less; 1e-2 or more means the gradient is wrong.
    """
    x = np.array(x, dtype=float)
    g = np.asarray(grad(x.copy()), dtype=float)
    if g.shape != x.shape:
        raise ValueError(f"grad(x) has shape {g.shape} but x has shape {x.shape}")
    rng = np.random.default_rng(seed)
    analytic, numeric = [], []
    for _ in range(num_directions):
        d = rng.standard_normal(x.shape)
        d /= np.linalg.norm(d)
        analytic.append(float(np.sum(g * d)))
        numeric.append((float(f(x + h * d)) - float(f(x - h * d))) / (2 * h))
    return rel_error(analytic, numeric)
