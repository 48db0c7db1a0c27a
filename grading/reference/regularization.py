"""Reference regularization layers of chapter 5 (regularization), in NumPy.

Every layer follows one pattern: ``*_forward(...) -> (out, cache)`` and
``*_backward(dout, cache)`` returning the gradient(s) of the inputs. The conventions,
which the assignment's docstrings state as well:

* **Penalties** act on a dict of parameters; only the weight matrices (names starting
  with ``"W"``) are penalised, never the biases (names starting with ``"b"``).
  L2: ``0.5 * reg * sum(W**2)``, gradient ``reg * W`` (so that one SGD step is the
  weight decay ``W <- (1 - lr * reg) W - lr * grad``; the lecture notes write the loss
  without the 1/2 and the gradient as ``reg * W``, which do not match). L1:
  ``reg * sum(|W|)``, gradient ``reg * sign(W)`` (0 at 0).
* **Dropout**: ``p`` is the probability to DROP a unit, as in ``torch.nn.Dropout`` (the
  lecture notes draw ``mask = rand < p``, so their ``p`` is the keep probability). The
  mask is drawn as ``rng.random(x.shape) >= p`` (True: kept) and the kept units are
  scaled by ``1 / (1 - p)`` at training time (inverted dropout), so evaluation returns
  ``x`` unchanged.
* **Batch normalization** over the rows of ``x`` (N, D), with ``bn_param`` holding
  ``mode`` (``"train"`` or ``"test"``), ``eps`` (1e-5), ``momentum`` (0.9) and the
  running statistics. In training it normalises with the batch mean and the biased
  batch variance (divide by N) and updates the running statistics IN PLACE in
  ``bn_param`` (as CS231n does), ``running = momentum * running + (1 - momentum) * batch``;
  ``torch.nn.BatchNorm1d`` calls ``1 - momentum`` its momentum (0.1) and keeps the
  unbiased variance (divide by N - 1) as its running variance: this course keeps the
  biased one, the very variance it normalised with. Missing running statistics start at
  zeros (mean) and ones (variance), as in torch. ``eps`` sits inside the square root.
* **Moving average** of parameters: ``avg = decay * avg + (1 - decay) * params``,
  starting from a copy of the parameters.
* **Early stopping**: the best epoch is the first epoch of lowest validation loss (an
  improvement must beat the best so far by more than ``min_delta``); training stops at
  the first epoch that is ``patience`` epochs after the best so far, or at the last.
"""
from __future__ import annotations

import numpy as np

__all__ = ["relu_forward", "relu_backward", "l2_penalty", "l1_penalty", "dropout_forward", "dropout_backward",
           "dropout_net_forward", "batchnorm_forward", "batchnorm_backward", "ema_update", "early_stopping"]


def _is_weight(name: str) -> bool:
    return str(name).startswith("W")


def _check_params(params):
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict of arrays such as {{'W1': ..., 'b1': ...}}, "
                        f"got {type(params).__name__}")


def relu_forward(x):
    """``max(0, x)``; the cache is ``x``."""
    x = np.asarray(x, dtype=float)
    return np.maximum(0.0, x), x


def relu_backward(dout, cache):
    return np.asarray(dout, dtype=float) * (cache > 0)


def l2_penalty(params, reg):
    """``(0.5 * reg * sum of W**2 over the weights, {name: reg * W, biases: 0})``."""
    _check_params(params)
    loss, grads = 0.0, {}
    for name, value in params.items():
        value = np.asarray(value, dtype=float)
        if _is_weight(name):
            loss += 0.5 * reg * float(np.sum(value * value))
            grads[name] = reg * value
        else:
            grads[name] = np.zeros_like(value)
    return loss, grads


def l1_penalty(params, reg):
    """``(reg * sum of |W| over the weights, {name: reg * sign(W), biases: 0})``."""
    _check_params(params)
    loss, grads = 0.0, {}
    for name, value in params.items():
        value = np.asarray(value, dtype=float)
        if _is_weight(name):
            loss += reg * float(np.sum(np.abs(value)))
            grads[name] = reg * np.sign(value)
        else:
            grads[name] = np.zeros_like(value)
    return loss, grads


def _check_p(p):
    if not (isinstance(p, (int, float, np.floating, np.integer)) and 0.0 <= float(p) < 1.0):
        raise ValueError(f"p is the probability to drop a unit, a number in [0, 1); got {p!r}")


def dropout_forward(x, p, train, rng):
    """Inverted dropout: ``x * mask / (1 - p)`` with ``mask = rng.random(x.shape) >= p`` in training, ``x`` otherwise.

    The cache is ``(mask / (1 - p))``, the factor each input was multiplied by (ones in evaluation).
    No random number is drawn in evaluation.
    """
    _check_p(p)
    x = np.asarray(x, dtype=float)
    if not train:
        return x.copy(), np.ones_like(x)
    scale = (rng.random(x.shape) >= p) / (1.0 - p)
    return x * scale, scale


def dropout_backward(dout, cache):
    return np.asarray(dout, dtype=float) * cache


def dropout_net_forward(X, params, p, train, rng):
    """Scores of the three-layer network of the lecture notes, with inverted dropout after each hidden layer.

    ``H1 = relu(X W1 + b1)``, dropped; ``H2 = relu(H1 W2 + b2)``, dropped; scores ``H2 W3 + b3``.
    The first layer's mask is drawn first.
    """
    H1, _ = relu_forward(X @ params["W1"] + params["b1"])
    H1, _ = dropout_forward(H1, p, train, rng)
    H2, _ = relu_forward(H1 @ params["W2"] + params["b2"])
    H2, _ = dropout_forward(H2, p, train, rng)
    return H2 @ params["W3"] + params["b3"]


def batchnorm_forward(x, gamma, beta, bn_param):
    """Batch normalization of the rows of ``x``; in training, updates ``bn_param``'s running statistics in place."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"x must have shape (N, D), got shape {x.shape}")
    mode = bn_param.get("mode", "train")
    eps = bn_param.get("eps", 1e-5)
    momentum = bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean")
    running_var = bn_param.get("running_var")
    running_mean = np.zeros(D) if running_mean is None else np.asarray(running_mean, dtype=float)
    running_var = np.ones(D) if running_var is None else np.asarray(running_var, dtype=float)
    if mode == "train":
        mean = x.mean(axis=0)
        var = x.var(axis=0)
        std = np.sqrt(var + eps)
        x_hat = (x - mean) / std
        out = gamma * x_hat + beta
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
        return out, (x_hat, gamma, std)
    if mode == "test":
        std = np.sqrt(running_var + eps)
        x_hat = (x - running_mean) / std
        return gamma * x_hat + beta, (x_hat, gamma, std)
    raise ValueError(f"bn_param['mode'] must be 'train' or 'test', got {mode!r}")


def batchnorm_backward(dout, cache):
    """``(dx, dgamma, dbeta)`` of a training-mode forward pass (the batch statistics depend on ``x``)."""
    x_hat, gamma, std = cache
    dout = np.asarray(dout, dtype=float)
    dbeta = dout.sum(axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dx_hat = dout * gamma
    dx = (dx_hat - dx_hat.mean(axis=0) - x_hat * np.mean(dx_hat * x_hat, axis=0)) / std
    return dx, dgamma, dbeta


def ema_update(avg, params, decay=0.995):
    """``{name: decay * avg[name] + (1 - decay) * params[name]}``; ``avg=None`` starts from a copy of ``params``."""
    _check_params(params)
    if not 0.0 <= decay <= 1.0:
        raise ValueError(f"decay must be in [0, 1], got {decay!r}")
    if avg is None:
        return {name: np.array(value, dtype=float) for name, value in params.items()}
    return {name: decay * np.asarray(avg[name], dtype=float) + (1 - decay) * np.asarray(value, dtype=float)
            for name, value in params.items()}


def early_stopping(val_losses, patience, min_delta=0.0):
    """``(best_epoch, stop_epoch)`` for a validation curve (entry ``e`` is the loss after epoch ``e``)."""
    losses = np.asarray(val_losses, dtype=float)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError(f"val_losses must be a non-empty 1-D sequence, got shape {losses.shape}")
    if int(patience) != patience or patience < 1:
        raise ValueError(f"patience must be a whole number of epochs >= 1, got {patience!r}")
    best_epoch, best = 0, losses[0]
    for epoch in range(1, losses.size):
        if losses[epoch] < best - min_delta:
            best_epoch, best = epoch, losses[epoch]
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, losses.size - 1
