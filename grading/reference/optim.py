"""Reference update rules of chapters 2 (momentum) and 3 (adaptive methods).

Every rule follows the course's contract::

    rule(w, dw, state=None, **hyper) -> (w_next, state_next)

``w`` and ``dw`` are float arrays of the same shape and are never modified; ``state`` is
``None`` or ``{}`` on the first call, is never modified either, and the returned dict
(always a new one, holding new arrays) is the state for the next call. ``weight_decay``
is added to the gradient (``dw + weight_decay * w``) by every rule except ``adamw``,
which decays the weights directly, as ``torch.optim.AdamW`` does. ``eps`` sits outside
the square root, as in ``torch.optim``, except in AdaDelta, where it sits inside.
``tests/test_optim.py`` checks every rule against trajectories of ``torch.optim``.
"""
from __future__ import annotations

import numpy as np

__all__ = ["sgd", "sgd_momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw"]


# ---------------------------------------------------------------- helpers

def _float_array(x):
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(float)


def _check(w, dw):
    """``w`` and ``dw`` as float arrays of one shape (read only: every result is a new array)."""
    w, dw = _float_array(w), _float_array(dw)
    if w.shape != dw.shape:
        raise ValueError(f"dw has shape {dw.shape} but w has shape {w.shape}")
    return w, dw


def _get(state, key, default):
    """``state[key]``, or ``default`` on the first call (``state`` None, empty or without ``key``)."""
    if not state or state.get(key) is None:
        return default
    return state[key]


def _gradient(w, dw, weight_decay):
    """The gradient with L2 weight decay folded in (a new array only when it must be)."""
    return dw + weight_decay * w if weight_decay != 0 else dw


# ---------------------------------------------------------------- chapter 2: momentum

def sgd(w, dw, state=None, lr=1e-2, weight_decay=0.0):
    """Stochastic gradient descent: ``w_next = w - lr * g`` with ``g = dw + weight_decay * w``.

    It keeps no state: the returned state is always a new, empty dict.
    """
    w, dw = _check(w, dw)
    g = _gradient(w, dw, weight_decay)
    return w - lr * g, {}


def sgd_momentum(w, dw, state=None, lr=1e-2, momentum=0.9, weight_decay=0.0):
    """SGD with (heavy-ball) momentum: ``v = momentum * v - lr * g; w_next = w + v``.

    ``g = dw + weight_decay * w``; the velocity ``v`` starts at zero and is kept in
    ``state["velocity"]``. For a constant ``lr`` this is ``torch.optim.SGD(momentum=...)``,
    whose buffer ``b = momentum * b + g`` is ``-v / lr``.
    """
    w, dw = _check(w, dw)
    g = _gradient(w, dw, weight_decay)
    v = momentum * _get(state, "velocity", np.zeros_like(w)) - lr * g
    return w + v, {"velocity": v}


def nesterov(w, dw, state=None, lr=1e-2, momentum=0.9, weight_decay=0.0):
    """Nesterov momentum in its look-ahead-free form, with ``dw`` taken at ``w`` itself.

    ``v_prev = v; v = momentum * v - lr * g; w_next = w - momentum * v_prev + (1 + momentum) * v``
    with ``g = dw + weight_decay * w`` and ``v`` (zero at first) in ``state["velocity"]``;
    it equals ``torch.optim.SGD(momentum=..., nesterov=True)`` for a constant ``lr``.
    """
    w, dw = _check(w, dw)
    g = _gradient(w, dw, weight_decay)
    v_prev = _get(state, "velocity", np.zeros_like(w))
    v = momentum * v_prev - lr * g
    return w - momentum * v_prev + (1 + momentum) * v, {"velocity": v}


# ---------------------------------------------------------------- chapter 3: adaptive methods

def adagrad(w, dw, state=None, lr=1e-2, eps=1e-8, weight_decay=0.0):
    """AdaGrad: ``cache = cache + g**2; w_next = w - lr * g / (sqrt(cache) + eps)``.

    ``g = dw + weight_decay * w``; the sum of squared gradients ``cache`` starts at zero,
    so every coordinate's rate ``lr / (sqrt(cache) + eps)`` can only shrink. This is
    ``torch.optim.Adagrad`` with ``lr_decay=0``, ``initial_accumulator_value=0`` and the
    same ``eps`` (torch's default eps is 1e-10).
    """
    w, dw = _check(w, dw)
    g = _gradient(w, dw, weight_decay)
    cache = _get(state, "cache", np.zeros_like(w)) + g * g
    return w - lr * g / (np.sqrt(cache) + eps), {"cache": cache}


def rmsprop(w, dw, state=None, lr=1e-2, decay_rate=0.99, eps=1e-8, weight_decay=0.0):
    """RMSProp: ``cache = decay_rate * cache + (1 - decay_rate) * g**2; w_next = w - lr * g / (sqrt(cache) + eps)``.

    ``g = dw + weight_decay * w``; ``cache`` (zero at first) is a moving average of the
    squared gradient, assigned with ``=``, not accumulated with ``+=``. This is
    ``torch.optim.RMSprop`` with ``alpha=decay_rate``, ``momentum=0`` and ``centered=False``.
    """
    w, dw = _check(w, dw)
    g = _gradient(w, dw, weight_decay)
    cache = decay_rate * _get(state, "cache", np.zeros_like(w)) + (1 - decay_rate) * (g * g)
    return w - lr * g / (np.sqrt(cache) + eps), {"cache": cache}


def adadelta(w, dw, state=None, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
    """AdaDelta (Zeiler 2012), with eps inside both square roots, as in torch.optim.Adadelta.

    ``cache = rho * cache + (1 - rho) * g**2; update = sqrt(delta + eps) / sqrt(cache + eps) * g;
    delta = rho * delta + (1 - rho) * update**2; w_next = w - lr * update``, with
    ``g = dw + weight_decay * w`` and both averages (zero at first) in ``state``.
    """
    w, dw = _check(w, dw)
    g = _gradient(w, dw, weight_decay)
    cache = rho * _get(state, "cache", np.zeros_like(w)) + (1 - rho) * (g * g)
    delta = _get(state, "delta", np.zeros_like(w))
    update = np.sqrt(delta + eps) / np.sqrt(cache + eps) * g
    delta = rho * delta + (1 - rho) * (update * update)
    return w - lr * update, {"cache": cache, "delta": delta}


def _adam_step(w, g, state, lr, beta1, beta2, eps):
    t = int(_get(state, "t", 0)) + 1
    m = beta1 * _get(state, "m", np.zeros_like(w)) + (1 - beta1) * g
    v = beta2 * _get(state, "v", np.zeros_like(w)) + (1 - beta2) * (g * g)
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), {"m": m, "v": v, "t": t}


def adam(w, dw, state=None, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    """Adam with bias correction, L2 weight decay added to the gradient (torch.optim.Adam).

    ``t = t + 1; m = beta1 * m + (1 - beta1) * g; v = beta2 * v + (1 - beta2) * g**2;
    w_next = w - lr * m_hat / (sqrt(v_hat) + eps)`` with ``m_hat = m / (1 - beta1**t)``,
    ``v_hat = v / (1 - beta2**t)`` and ``g = dw + weight_decay * w``. ``state["t"]`` counts
    the steps already taken (0 at first), so the first call divides by ``1 - beta1``.
    """
    w, dw = _check(w, dw)
    return _adam_step(w, _gradient(w, dw, weight_decay), state, lr, beta1, beta2, eps)


def adamw(w, dw, state=None, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    """AdamW: decoupled weight decay ``w = w - lr * weight_decay * w``, then Adam's step on ``dw``.

    The decay never enters ``m`` or ``v`` (Loshchilov & Hutter), exactly as in
    ``torch.optim.AdamW``, whose default ``weight_decay`` of 1e-2 this shares; with
    ``weight_decay=0`` it is :func:`adam`. State as in :func:`adam`.
    """
    w, dw = _check(w, dw)
    if weight_decay != 0:
        w = w * (1 - lr * weight_decay)
    return _adam_step(w, dw, state, lr, beta1, beta2, eps)
