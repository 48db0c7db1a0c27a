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


def digits(*, val_fraction: float = 0.25, seed: int = 0):
    """scikit-learn's bundled 8x8 digits (1797 images, 10 classes), scaled to [0, 1] and split.

    Returns ``(X_train, y_train, X_val, y_val)``; ``X`` has shape ``(n, 64)``. Nothing is
    downloaded: the images ship with scikit-learn.
    """
    from sklearn.datasets import load_digits

    data = load_digits()
    X, y = data.data / 16.0, data.target.astype(int)
    order = np.random.default_rng(seed).permutation(len(y))
    n_val = int(round(val_fraction * len(y)))
    val, train = order[:n_val], order[n_val:]
    return X[train], y[train], X[val], y[val]
