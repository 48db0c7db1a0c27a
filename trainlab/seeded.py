"""Seeded random inputs: the same arrays from the same seed, wherever they are built.

A hidden test cell builds its inputs here and the grader rebuilds them here, so both
sides see the same numbers without any array crossing between them. The book uses
them too, for quick examples.

Defined in chapter 5 (regularization).
"""
from __future__ import annotations

import numpy as np


def array(shape, seed: int, *, scale: float = 1.0, shift: float = 0.0) -> np.ndarray:
    """``shift + scale * z`` with ``z`` standard normal of ``shape``, drawn from ``default_rng(seed)``."""
    return shift + scale * np.random.default_rng(seed).standard_normal(shape)


def params(sizes, seed: int, *, scale: float = 1.0) -> dict:
    """``{"W1": (sizes[0], sizes[1]), "b1": (sizes[1],), "W2": ...}``, standard normal times ``scale``."""
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output size, got {list(sizes)}")
    rng = np.random.default_rng(seed)
    result = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), 1):
        result[f"W{i}"] = scale * rng.standard_normal((n_in, n_out))
        result[f"b{i}"] = scale * rng.standard_normal(n_out)
    return result


def validation_curve(num_epochs: int, seed: int, *, noise: float = 0.03) -> np.ndarray:
    """A plausible validation-loss curve: falls, bottoms out, rises as the model overfits, with noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(num_epochs, dtype=float)
    bottom = rng.uniform(0.3, 0.7) * num_epochs
    curve = 0.4 + 1.6 * np.exp(-t / (0.25 * bottom + 1)) + 0.5 * np.maximum(0.0, t - bottom) / num_epochs
    return curve + noise * rng.standard_normal(num_epochs)
