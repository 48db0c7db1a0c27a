"""Small data sets, generated or shipped with a package: nothing is downloaded.

Defined in chapter 1 (gradient descent).
"""
from __future__ import annotations

import numpy as np


def linear_regression(n: int, d: int, *, noise: float = 0.1, seed: int = 0):
    """``(X, y, w_true)`` with ``X`` of shape ``(n, d)`` standard normal and ``y = X w_true + noise``."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d)
    y = X @ w_true + noise * rng.standard_normal(n)
    return X, y, w_true
