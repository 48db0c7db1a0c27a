"""Hidden reference of assignment 07_setup: activations, initializers, a layer probe, searches.

Conventions (the assignment's docstrings fix the same ones):

* derivatives are of the activation with respect to its input, elementwise; at the kink
  ``x = 0`` ReLU's derivative is 0 and leaky ReLU's is ``slope`` (as torch's backward
  passes), ELU's is ``alpha * exp(0) = alpha`` (torch's ``x <= 0`` branch);
* initializers draw one matrix of shape ``(fan_in, fan_out)`` from the generator:
  ``rng.standard_normal((fan_in, fan_out)) * std`` for the normal forms and
  ``rng.uniform(-limit, limit, size=(fan_in, fan_out))`` for the uniform one;
* random search draws ``rng.uniform(log10(low), log10(high), size=budget)`` for each
  dimension in the order of ``bounds``; grid search puts ``n`` points per dimension, ``n``
  the largest whole number with ``n ** d <= budget``, log-spaced from low to high, the
  first dimension varying slowest (``itertools.product``).
"""
from __future__ import annotations

import itertools

import numpy as np


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x):
    return np.tanh(x)


def tanh_grad(x):
    return 1.0 - np.tanh(x) ** 2


def relu(x):
    return np.maximum(0.0, x)


def relu_grad(x):
    return (np.asarray(x) > 0).astype(float)


def leaky_relu(x, slope=0.01):
    return np.where(x > 0, x, slope * x)


def leaky_relu_grad(x, slope=0.01):
    return np.where(np.asarray(x) > 0, 1.0, slope)


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x, alpha=1.0):
    return np.where(np.asarray(x) > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def maxout(X, W, b):
    """``max_j (X @ W[j] + b[j])`` over the k pieces: ``W`` (k, D, H), ``b`` (k, H) -> (N, H)."""
    pieces = np.einsum("nd,kdh->knh", X, W) + b[:, None, :]
    return pieces.max(axis=0)


def xavier_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / (fan_in + fan_out))


def xavier_uniform(fan_in, fan_out, rng):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def he_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)


def layer_stats(X, weights, activation):
    """Mean and standard deviation (over all entries, ddof 0) of each layer's activations."""
    means, stds = [], []
    h = X
    for W in weights:
        h = activation(h @ W)
        means.append(np.mean(h))
        stds.append(np.std(h))
    return np.array(means), np.array(stds)


def per_dimension(budget, d):
    """The largest whole ``n`` with ``n ** d <= budget`` (integer arithmetic, no float root)."""
    n = 1
    while (n + 1) ** d <= budget:
        n += 1
    return n


def random_search(objective, bounds, budget, rng):
    logs = [rng.uniform(np.log10(low), np.log10(high), size=budget) for low, high in bounds]
    points = 10.0 ** np.stack(logs, axis=1)
    return points, np.array([float(objective(p)) for p in points])


def grid_search(objective, bounds, budget):
    n = per_dimension(budget, len(bounds))
    axes = [np.logspace(np.log10(low), np.log10(high), n) for low, high in bounds]
    points = np.array(list(itertools.product(*axes)), dtype=float)
    return points, np.array([float(objective(p)) for p in points])
