"""Hidden checks of assignment 01_gradient_descent.

Each ``*_hidden`` function mirrors the hidden test cell of the same grade_id in
``solutions/01_gradient_descent/01_gradient_descent.ipynb``: same inputs, same record
keys. The mistakes are what a common wrong answer returns on those inputs, so the
feedback can name it.
"""
from __future__ import annotations

import numpy as np

from grading.compare import Expect
from grading.reference import gradient_descent as ref
from trainlab import datasets, landscapes


# ---------------------------------------------------------------- numerical_gradient

def _forward(f, x, h):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    fx = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - fx) / h
        x[i] = old
    return grad


def _gradient_expects(key, f, x, h, what):
    exact = ref.numerical_gradient(f, x, h)
    mistakes = {
        "looks like a forward difference (f(x + h) - f(x)) / h; use the central difference":
            _forward(f, x, h),
        "twice too large: divide f(x + h e_i) - f(x - h e_i) by 2h, not h": 2 * exact,
        "half the right size: divide by 2h once, not twice": 0.5 * exact,
        "the sign is flipped: it is f(x + h e_i) - f(x - h e_i), in that order": -exact,
    }
    return [
        Expect(key, exact, what, "numerical_gradient", rtol=1e-6, atol=1e-8, mistakes=mistakes),
        Expect(f"{key}/x_after", x, what, "numerical_gradient", unchanged=True),
    ]


def numerical_gradient_hidden():
    expects = []
    for seed in (3, 4):
        q = landscapes.random_quadratic(6, seed=seed, condition_number=50.0)
        x = np.random.default_rng(100 + seed).standard_normal(6)
        expects += _gradient_expects(f"quadratic{seed}", q.f, x, 1e-5, f"a 6-D quadratic (seed {seed})")
    rng = np.random.default_rng(7)
    W, v = rng.standard_normal((3, 4)), rng.standard_normal(4)
    expects += _gradient_expects("matrix", lambda W: np.sum(np.tanh(W @ v)), W, 1e-5,
                                 "a function of a 3x4 matrix")
    x = np.linspace(-1.0, 2.0, 5)
    expects += _gradient_expects("custom_h", lambda x: np.sum(np.sin(3 * x)), x, 1e-2,
                                 "sin(3x) with h = 1e-2 (is h used?)")
    return expects


# ---------------------------------------------------------------- gradient_descent

def _descent_expects(key, grad, x0, lr, num_steps, what):
    exact = ref.gradient_descent(grad, x0, lr, num_steps)
    ascent = ref.gradient_descent(lambda x: -grad(x), x0, lr, num_steps)
    mistakes = {
        "the path climbs: step against the gradient, x - lr * grad(x)": ascent,
        "every row holds the last point: the loop updates one array in place and appends it "
        "each time; append a copy": np.broadcast_to(exact[-1], exact.shape),
    }
    return [
        Expect(f"{key}/shape", np.array(exact.shape, dtype=float), what, "gradient_descent",
               mistakes={"the path should hold x0 and one point per step (num_steps + 1 rows)":
                         np.array((num_steps,) + exact.shape[1:], dtype=float)}),
        Expect(key, exact, what, "gradient_descent", mistakes=mistakes),
        Expect(f"{key}/x0_after", x0, what, "gradient_descent", unchanged=True),
    ]


def gradient_descent_hidden():
    q = landscapes.random_quadratic(4, seed=11, condition_number=20.0)
    x0 = np.random.default_rng(12).standard_normal(4)
    expects = _descent_expects("quadratic", q.grad, x0, 0.05, 25, "a 4-D quadratic")
    r = landscapes.rosenbrock()
    expects += _descent_expects("rosenbrock", r.grad, np.array([-1.2, 1.0]), 1e-3, 40, "Rosenbrock")
    expects += _descent_expects("zero_steps", q.grad, x0, 0.05, 0, "zero steps")
    M = np.random.default_rng(13).standard_normal((2, 3))
    expects += _descent_expects("matrix", lambda W: W - 1.0, M, 0.3, 5, "a 2x3 matrix parameter")
    return expects


# ---------------------------------------------------------------- max_stable_lr

def _lr_expect(key, A, what):
    A = np.asarray(A, dtype=float)
    sym = (A + A.T) / 2
    eig = np.linalg.eigvalsh(sym)
    mistakes = {
        "that is 1/L; gradient descent stays stable up to 2/L": 1.0 / eig[-1],
        "uses the smallest eigenvalue; the largest curvature limits the step": 2.0 / eig[0],
        "uses the diagonal of A; the eigenvalues of A set the curvature": 2.0 / np.max(np.diag(A)),
    }
    if not np.allclose(A, A.T):
        nonsym = np.max(np.linalg.eigvals(A).real)
        mistakes["f only sees the symmetric part (A + A^T) / 2: use its eigenvalues"] = 2.0 / nonsym
    return Expect(key, ref.max_stable_lr(A), what, "max_stable_lr", rtol=1e-9, atol=0.0, mistakes=mistakes)


def max_stable_lr_hidden():
    expects = []
    for seed, dim in ((21, 5), (22, 8)):
        A = landscapes.random_quadratic(dim, seed=seed, condition_number=30.0).extra["A"]
        expects.append(_lr_expect(f"random{seed}", A, f"a random {dim}x{dim} positive definite matrix"))
    expects.append(_lr_expect("one_by_one", np.array([[4.0]]), "a 1x1 matrix"))
    rng = np.random.default_rng(23)
    B = rng.standard_normal((4, 4))
    A = B @ B.T + 0.5 * np.eye(4) + np.triu(rng.standard_normal((4, 4)), 1) * 2
    expects.append(_lr_expect("nonsymmetric", A, "a matrix that is not symmetric"))
    return expects


# ---------------------------------------------------------------- backtracking_line_search

def _armijo_variant(f, grad_f, x, lr0, shrink, c, max_iter, accept):
    g = grad_f(x)
    fx, gg = f(x), float(np.sum(g * g))
    lr = lr0
    for _ in range(max_iter):
        if accept(f(x - lr * g), fx, lr, gg, c):
            return lr
        lr *= shrink
    return lr


def _search_expect(key, f, grad_f, x, what, lr0=1.0, shrink=0.5, c=1e-4, max_iter=50):
    exact = ref.backtracking_line_search(f, grad_f, x, lr0, shrink, c, max_iter)
    variant = lambda accept: _armijo_variant(f, grad_f, x, lr0, shrink, c, max_iter, accept)  # noqa: E731
    mistakes = {
        "the sufficient decrease ignores c: it is f(x) - c * lr * |g|^2":
            variant(lambda fn, fx, lr, gg, c: fn <= fx - lr * gg),
        "the sufficient decrease must scale with lr: f(x) - c * lr * |g|^2":
            variant(lambda fn, fx, lr, gg, c: fn <= fx - c * gg),
        "only asks for any decrease; Armijo asks for f(x) - c * lr * |g|^2":
            variant(lambda fn, fx, lr, gg, c: fn < fx),
        "uses |g| where Armijo's condition has |g|^2 (the slope along -g)":
            variant(lambda fn, fx, lr, gg, c: fn <= fx - c * lr * np.sqrt(gg)),
        "shrinks before trying lr0: the first candidate is lr0 itself": exact * shrink,
    }
    return Expect(key, exact, what, "backtracking_line_search", rtol=1e-12, atol=0.0, mistakes=mistakes)


def backtracking_line_search_hidden():
    q = landscapes.random_quadratic(5, seed=31, condition_number=40.0)
    x = np.random.default_rng(32).standard_normal(5) * 3
    r = landscapes.rosenbrock()
    return [
        _search_expect("quadratic", q.f, q.grad, x, "a 5-D quadratic"),
        _search_expect("rosenbrock", r.f, r.grad, np.array([-1.2, 1.0]), "Rosenbrock at (-1.2, 1)"),
        _search_expect("rosenbrock_c", r.f, r.grad, np.array([0.5, -0.3]), "Rosenbrock with c = 0.4",
                       lr0=0.05, shrink=0.7, c=0.4),
        _search_expect("accept_first", q.f, q.grad, x, "a step that is already small enough", lr0=1e-3),
    ]


# ---------------------------------------------------------------- minibatch_sgd

def _sgd_variant(X, y, w0, lr, batch_size, num_epochs, seed, *, shuffle=True, drop_last=False,
                 divide_by=None, scale=1.0):
    rng = np.random.default_rng(seed)
    w = np.array(w0, dtype=float)
    n = len(y)
    for _ in range(num_epochs):
        perm = rng.permutation(n) if shuffle else np.arange(n)
        for start in range(0, n, batch_size):
            batch = perm[start:start + batch_size]
            if drop_last and len(batch) < batch_size:
                continue
            Xb, yb = X[batch], y[batch]
            denominator = len(batch) if divide_by is None else divide_by(len(batch))
            w = w - lr * scale * (Xb.T @ (Xb @ w - yb)) / denominator
    return w


def _minibatch_expects(key, seed, n, d, lr, batch_size, num_epochs, rng_seed, what):
    X, y, _ = datasets.linear_regression(n, d, seed=seed)
    w0 = np.zeros(d)
    w, losses = ref.minibatch_sgd(X, y, w0, lr, batch_size, num_epochs, np.random.default_rng(rng_seed))
    args = (X, y, w0, lr, batch_size, num_epochs, rng_seed)
    mistakes = {
        "the batches are not shuffled: draw perm = rng.permutation(n) at the start of every epoch":
            _sgd_variant(*args, shuffle=False),
        "the last, smaller batch is skipped: visit perm[i:i + batch_size] for every i up to n":
            _sgd_variant(*args, drop_last=True),
        "the gradient is a sum over the batch; average it (divide by the batch's size)":
            _sgd_variant(*args, divide_by=lambda m: 1.0),
        "the gradient is twice too large: the loss has a factor 1/2":
            _sgd_variant(*args, scale=2.0),
    }
    if n % batch_size:
        mistakes["the last, smaller batch is divided by batch_size; divide by its own size"] = \
            _sgd_variant(*args, divide_by=lambda m: batch_size)
    return [
        Expect(f"{key}/w", w, what, "minibatch_sgd", rtol=1e-7, atol=1e-10, mistakes=mistakes),
        Expect(f"{key}/losses", losses, what, "minibatch_sgd (losses)", rtol=1e-7, atol=1e-10,
               mistakes={"losses should have num_epochs + 1 entries: the loss at w0, then after each epoch":
                         losses[1:]}),
        Expect(f"{key}/X_after", X, what, "minibatch_sgd", unchanged=True),
        Expect(f"{key}/w0_after", w0, what, "minibatch_sgd", unchanged=True),
    ]


def minibatch_sgd_hidden():
    return (_minibatch_expects("uneven", 41, 53, 4, 0.05, 8, 6, 42, "53 examples in batches of 8")
            + _minibatch_expects("even", 43, 40, 3, 0.1, 10, 4, 44, "40 examples in batches of 10")
            + _minibatch_expects("full_batch", 45, 30, 5, 0.2, 30, 3, 46, "one batch per epoch"))


CHECKS = {
    "numerical_gradient_hidden": numerical_gradient_hidden,
    "gradient_descent_hidden": gradient_descent_hidden,
    "max_stable_lr_hidden": max_stable_lr_hidden,
    "backtracking_line_search_hidden": backtracking_line_search_hidden,
    "minibatch_sgd_hidden": minibatch_sgd_hidden,
}
