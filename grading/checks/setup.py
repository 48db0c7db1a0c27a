"""Hidden checks of assignment 07_setup.

The hidden test cells of ``solutions/07_setup/07_setup.ipynb`` run the learner's functions
on the cases below, built from seeds with ``trainlab.seeded`` (activations: ``x =
seeded.array(shape, seed, scale=3.0)`` with ``x.flat[0] = 0.0``, so the kink is always
tried), and record what they return. The checks replay the same cases through
``grading/reference/setup.py`` and through common mistakes, so a wrong answer is named.

A case changed here must be changed in the notebook's hidden cell too (the builder of the
notebook prints these tuples); the solution's full marks prove the two agree.
"""
from __future__ import annotations

import itertools

import numpy as np

from grading.compare import Expect
from grading.checks import or_none
from grading.reference import setup as R
from trainlab import seeded

IN_PLACE = "the function changed its input in place; compute on a copy and return a new array"

# ---------------------------------------------------------------- cases (copied in the hidden cells)

ACTIVATION_CASES = {
    "tanh": [("matrix", 1, (4, 5), {}), ("vector", 2, (30,), {})],
    "relu": [("matrix", 3, (4, 5), {}), ("vector", 4, (30,), {})],
    "leaky_relu": [("default", 5, (4, 5), {}), ("slope", 6, (30,), {"slope": 0.2}),
                   ("steep", 7, (3, 3), {"slope": 0.3})],
    "elu": [("default", 8, (4, 5), {}), ("half", 9, (30,), {"alpha": 0.5}), ("double", 10, (3, 3), {"alpha": 2.0})],
}
MAXOUT_CASES = [("two", 11, 6, 4, 3, 2), ("three", 12, 5, 3, 4, 3), ("one", 13, 4, 2, 5, 1)]
INIT_CASES = [("small", 3, 5, 21), ("tall", 50, 20, 22), ("row", 1, 7, 23), ("square", 64, 64, 24)]
STATS_CASES = [("tanh_xavier", 31, 200, 50, 6, 1.0, "tanh"), ("tanh_small", 32, 100, 40, 5, 0.1, "tanh"),
               ("relu_he", 33, 150, 30, 8, 1.4142135623730951, "relu"), ("linear_big", 34, 80, 20, 4, 2.0, "linear")]
RANDOM_CASES = [("lr", [(1e-4, 1e-1)], 7, 41), ("two", [(1e-5, 1.0), (1e-3, 10.0)], 9, 42),
                ("three", [(1e-3, 1e-1), (1e-2, 1e2), (0.5, 5.0)], 12, 43)]
GRID_CASES = [("two", [(1e-5, 1.0), (1e-3, 10.0)], 10), ("cube", [(1e-3, 1e-1), (1e-2, 1e2), (0.5, 5.0)], 64),
              ("line", [(1e-4, 1e-1)], 5), ("tiny", [(1e-5, 1.0), (1e-3, 10.0)], 3),
              ("cube125", [(1e-3, 1e-1), (1e-2, 1e2), (0.5, 5.0)], 125)]
PROBES = {"tanh": np.tanh, "relu": lambda z: np.maximum(0.0, z), "linear": lambda z: z}


def bowl(point):
    """The objective the hidden search cells use: a bowl in log10 space, centred at 1e-2."""
    u = np.log10(point)
    return float(np.sum(np.arange(1, len(u) + 1) * (u + 2.0) ** 2))


# ---------------------------------------------------------------- replays: what a hidden cell records

def activation_input(seed, shape):
    x = seeded.array(shape, seed, scale=3.0)
    x.flat[0] = 0.0
    return x


def replay_activation(pair, case):
    f, grad = pair
    key, seed, shape, kwargs = case
    x = activation_input(seed, shape)
    before = x.copy()
    value = f(x, **kwargs)
    g = grad(x, **kwargs)
    return {f"{key}/value": value, f"{key}/grad": g, f"{key}/unchanged": np.array_equal(x, before)}


def replay_maxout(fn, case):
    key, seed, N, D, H, k = case
    X, W, b = seeded.array((N, D), seed), seeded.array((k, D, H), seed + 1), seeded.array((k, H), seed + 2)
    return {key: fn(X, W, b)}


def replay_init(fn, case):
    key, fan_in, fan_out, seed = case
    rng = np.random.default_rng(seed)
    W = fn(fan_in, fan_out, rng)
    return {key: W, f"{key}/next_draw": rng.random()}


def replay_stats(fn, case):
    key, seed, N, D, L, gain, name = case
    X = seeded.array((N, D), seed + 100)
    weights = [seeded.array((D, D), seed + i, scale=gain / np.sqrt(D)) for i in range(L)]
    means, stds = fn(X, weights, PROBES[name])
    return {f"{key}/means": means, f"{key}/stds": stds}


def replay_random(fn, case):
    key, bounds, budget, seed = case
    rng = np.random.default_rng(seed)
    points, scores = fn(bowl, bounds, budget, rng)
    return {f"{key}/points": points, f"{key}/scores": scores, f"{key}/next_draw": rng.random()}


def replay_grid(fn, case):
    key, bounds, budget = case
    points, scores = fn(bowl, bounds, budget)
    return {f"{key}/points": points, f"{key}/scores": scores}


# ---------------------------------------------------------------- mistakes

ACTIVATION_MISTAKES = {
    "tanh": {
        "the derivative of tanh is 1 - tanh(x)**2; this is 1 - x**2 (the formula in terms of the output, "
        "applied to the input)": (R.tanh, lambda x: 1.0 - x ** 2),
        "the derivative of tanh is 1 - tanh(x)**2: the square is missing": (R.tanh, lambda x: 1.0 - np.tanh(x)),
        "the derivative of tanh is 1 - tanh(x)**2; this is sigmoid's form s(1 - s)":
            (R.tanh, lambda x: np.tanh(x) * (1.0 - np.tanh(x))),
    },
    "relu": {
        "ReLU's derivative at x = 0 is 0 (the convention of torch); this gives 1 there":
            (R.relu, lambda x: (x >= 0).astype(float)),
        "ReLU's derivative is 1 where x > 0 and 0 elsewhere, not the ReLU itself":
            (R.relu, lambda x: np.maximum(0.0, x)),
    },
    "leaky_relu": {
        "the default slope is 0.01 (as torch's); the lecture notes' max(0.1 x, x) uses 0.1":
            (lambda x, slope=0.01: R.leaky_relu(x, 0.1), lambda x, slope=0.01: R.leaky_relu_grad(x, 0.1)),
        "leaky ReLU's derivative is slope (not 0) where x < 0":
            (R.leaky_relu, lambda x, slope=0.01: (x > 0).astype(float)),
        "leaky ReLU's derivative at x = 0 is slope (the x > 0 test fails there, as in torch)":
            (R.leaky_relu, lambda x, slope=0.01: np.where(x >= 0, 1.0, slope)),
        "max(slope * x, x) is leaky ReLU only for slope < 1; write it with x > 0 (np.where)":
            (lambda x, slope=0.01: np.minimum(slope * x, x), R.leaky_relu_grad),
    },
    "elu": {
        "ELU is alpha * (exp(x) - 1) for x <= 0: the - 1 is missing":
            (lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.exp(np.minimum(x, 0))), R.elu_grad),
        "ELU's derivative for x <= 0 is alpha * exp(x); this is the function itself, alpha * (exp(x) - 1)":
            (R.elu, lambda x, alpha=1.0: np.where(x > 0, 1.0, alpha * np.expm1(np.minimum(x, 0)))),
        "ELU's derivative for x <= 0 is alpha * exp(x): alpha is missing":
            (R.elu, lambda x, alpha=1.0: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0)))),
        "ELU's alpha multiplies exp(x) - 1; this ignores alpha":
            (lambda x, alpha=1.0: R.elu(x), lambda x, alpha=1.0: R.elu_grad(x)),
    },
}

MAXOUT_MISTAKES = {
    "maxout takes the largest of the k pieces X @ W[j] + b[j]; this adds them up":
        lambda X, W, b: (np.einsum("nd,kdh->knh", X, W) + b[:, None, :]).sum(axis=0),
    "each piece has its own bias: X @ W[j] + b[j]; the bias is missing":
        lambda X, W, b: np.einsum("nd,kdh->knh", X, W).max(axis=0),
    "the maximum is over the k pieces (axis 0 of the stacked pieces), not over the units":
        lambda X, W, b: (np.einsum("nd,kdh->knh", X, W) + b[:, None, :]).max(axis=2).T,
}


def _normal(std_of):
    return lambda fan_in, fan_out, rng: rng.standard_normal((fan_in, fan_out)) * std_of(fan_in, fan_out)


def _uniform(limit_of):
    return lambda fan_in, fan_out, rng: (lambda a: rng.uniform(-a, a, size=(fan_in, fan_out)))(limit_of(fan_in, fan_out))


NOTES_XAVIER = ("Glorot's normal std is sqrt(2 / (fan_in + fan_out)); 1 / sqrt(fan_in) is the lecture notes' "
                "simplified form")
XAVIER_NORMAL_MISTAKES = {
    NOTES_XAVIER: _normal(lambda i, o: 1.0 / np.sqrt(i)),
    "Glorot's normal std is sqrt(2 / (fan_in + fan_out)); this is the variance, without the square root":
        _normal(lambda i, o: 2.0 / (i + o)),
    "the matrix is drawn as rng.standard_normal((fan_in, fan_out)); this draws (fan_out, fan_in) and transposes":
        lambda i, o, rng: (rng.standard_normal((o, i)) * np.sqrt(2.0 / (i + o))).T,
    "Glorot's normal std is sqrt(2 / (fan_in + fan_out)); sqrt(6 / (fan_in + fan_out)) is the uniform form's limit":
        _normal(lambda i, o: np.sqrt(6.0 / (i + o))),
}
XAVIER_UNIFORM_MISTAKES = {
    "the uniform limit is sqrt(6 / (fan_in + fan_out)); sqrt(2 / (fan_in + fan_out)) is the normal form's std "
    "(a uniform on [-a, a] has variance a**2 / 3)": _uniform(lambda i, o: np.sqrt(2.0 / (i + o))),
    "the uniform limit is sqrt(6 / (fan_in + fan_out)); this uses fan_in alone": _uniform(lambda i, o: np.sqrt(6.0 / i)),
    "draw rng.uniform(-limit, limit, size=(fan_in, fan_out)); this draws rng.uniform(0, limit)":
        lambda i, o, rng: rng.uniform(0.0, np.sqrt(6.0 / (i + o)), size=(i, o)),
}
HE_MISTAKES = {
    "He's std is sqrt(2 / fan_in); this is sqrt(1 / fan_in), the factor 2 that ReLU needs is missing":
        _normal(lambda i, o: np.sqrt(1.0 / i)),
    "He's std is sqrt(2 / fan_in) (torch's fan_in mode); this uses fan_out": _normal(lambda i, o: np.sqrt(2.0 / o)),
    "He's std is sqrt(2 / fan_in); this is the variance 2 / fan_in, without the square root":
        _normal(lambda i, o: 2.0 / i),
    "He's std is sqrt(2 / fan_in); this is Glorot's sqrt(2 / (fan_in + fan_out))": R.xavier_normal,
}


def _stats_variant(kind):
    def layer_stats(X, weights, activation):
        means, stds, h = [], [], X
        if kind == "with_input":
            means.append(np.mean(X))
            stds.append(np.std(X))
        for W in weights:
            z = (X if kind == "unchained" else h) @ W
            h = activation(z)
            seen = z if kind == "pre" else h
            means.append(np.mean(seen))
            stds.append({"ddof1": lambda: np.std(seen, ddof=1), "var": lambda: np.var(seen),
                         "per_unit": lambda: np.std(seen, axis=0).mean()}.get(kind, lambda: np.std(seen))())
        return np.array(means), np.array(stds)
    return layer_stats


STATS_MISTAKES = {
    "the statistics are those of the activations, activation(h @ W), not of the pre-activations h @ W":
        _stats_variant("pre"),
    "each layer takes the previous layer's activations as its input; this feeds X to every layer":
        _stats_variant("unchained"),
    "one entry per layer of weights: the input X is not a layer (return len(weights) values)":
        _stats_variant("with_input"),
    "the standard deviation is np.std with its default ddof=0, over all entries": _stats_variant("ddof1"),
    "return the standard deviation, not the variance": _stats_variant("var"),
    "one standard deviation over all entries of the layer, not the mean of each unit's std":
        _stats_variant("per_unit"),
}


def _random_variant(kind):
    def random_search(objective, bounds, budget, rng):
        lows = np.log10([b[0] for b in bounds])
        highs = np.log10([b[1] for b in bounds])
        if kind == "linear":
            points = np.stack([rng.uniform(lo, hi, size=budget) for lo, hi in bounds], axis=1)
        elif kind == "point_major":
            points = 10.0 ** rng.uniform(lows, highs, size=(budget, len(bounds)))
        else:
            u = np.stack([rng.uniform(lo, hi, size=budget) for lo, hi in zip(lows, highs)], axis=1)
            points = u if kind == "exponents" else 10.0 ** u
        if kind == "exponents":
            return points, np.array([objective(10.0 ** p) for p in points])
        return points, np.array([objective(p) for p in points])
    return random_search


RANDOM_MISTAKES = {
    "draw on a log scale: 10 ** rng.uniform(log10(low), log10(high)); this draws uniformly between low and high":
        _random_variant("linear"),
    "draw each dimension's budget values in turn (rng.uniform(..., size=budget) per dimension); "
    "this draws point by point": _random_variant("point_major"),
    "return the points themselves (10 ** u), not their exponents u": _random_variant("exponents"),
}


def _grid_variant(kind):
    def grid_search(objective, bounds, budget):
        d = len(bounds)
        n = {"float_root": lambda: int(budget ** (1.0 / d)),
             "round": lambda: int(round(budget ** (1.0 / d)))}.get(kind, lambda: R.per_dimension(budget, d))()
        if kind == "linear":
            axes = [np.linspace(lo, hi, n) for lo, hi in bounds]
        else:
            axes = [np.logspace(np.log10(lo), np.log10(hi), n) for lo, hi in bounds]
        if kind == "meshgrid":
            grids = np.meshgrid(*axes)
            points = np.stack([g.ravel() for g in grids], axis=1)
        else:
            points = np.array(list(itertools.product(*axes)), dtype=float)
        return points, np.array([objective(p) for p in points])
    return grid_search


GRID_MISTAKES = {
    "int(budget ** (1 / d)) can fall one short (64 ** (1/3) is 3.9999999999999996): find the largest whole n "
    "with n ** d <= budget": _grid_variant("float_root"),
    "the grid must not exceed the budget: n is the largest whole number with n ** d <= budget, "
    "rounding the root can give more points": _grid_variant("round"),
    "the grid is log-spaced (np.logspace between log10(low) and log10(high)); this is np.linspace":
        _grid_variant("linear"),
    "the first dimension varies slowest (itertools.product order); np.meshgrid's default indexing='xy' "
    "swaps the first two": _grid_variant("meshgrid"),
}


# ---------------------------------------------------------------- building the expectations

def _expects(cases, replay, reference, mistakes, label, what, *, rtol=1e-6, atol=1e-9):
    expects = []
    for case in cases:
        want = replay(reference, case)
        wrong = {m: or_none(replay, v, case) for m, v in mistakes.items()}
        wrong = {m: r for m, r in wrong.items() if r is not None}
        for key, value in want.items():
            if key.endswith("/unchanged"):
                expects.append(Expect(key, 1.0, what(case), label(key), rtol=0, atol=0, mistakes={IN_PLACE: 0.0}))
                continue
            exact = key.endswith("/next_draw")
            expects.append(Expect(key, np.asarray(value, dtype=float), what(case), label(key),
                                  rtol=0 if exact else rtol, atol=0 if exact else atol,
                                  mistakes={m: np.asarray(r[key], dtype=float) for m, r in wrong.items()
                                            if key in r}))
    return expects


def _activation(name):
    reference = (getattr(R, name), getattr(R, f"{name}_grad"))

    def what(case):
        _, seed, shape, kwargs = case
        extra = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        return f"seeded input of shape {shape}{', ' + extra if extra else ''} (x = 0 included)"

    def label(key):
        return f"{name}_grad" if key.endswith("/grad") else name
    return lambda: _expects(ACTIVATION_CASES[name], replay_activation, reference, ACTIVATION_MISTAKES[name],
                            label, what)


def _init(name, mistakes):
    return lambda: _expects(INIT_CASES, replay_init, getattr(R, name), mistakes,
                            lambda key: f"{name} (the generator's next draw after the call)"
                            if key.endswith("/next_draw") else name,
                            lambda case: f"fan_in={case[1]}, fan_out={case[2]}, seed {case[3]}")


CHECKS = {
    "tanh_hidden": _activation("tanh"),
    "relu_hidden": _activation("relu"),
    "leaky_relu_hidden": _activation("leaky_relu"),
    "elu_hidden": _activation("elu"),
    "maxout_hidden": lambda: _expects(MAXOUT_CASES, replay_maxout, R.maxout, MAXOUT_MISTAKES, lambda key: "maxout",
                                      lambda c: f"N={c[2]}, D={c[3]}, H={c[4]}, k={c[5]}"),
    "xavier_normal_hidden": _init("xavier_normal", XAVIER_NORMAL_MISTAKES),
    "xavier_uniform_hidden": _init("xavier_uniform", XAVIER_UNIFORM_MISTAKES),
    "he_normal_hidden": _init("he_normal", HE_MISTAKES),
    "layer_stats_hidden": lambda: _expects(STATS_CASES, replay_stats, R.layer_stats, STATS_MISTAKES,
                                           lambda key: "layer_stats",
                                           lambda c: f"{c[4]} {c[6]} layers of width {c[3]}, gain {c[5]:.3g}"),
    "random_search_hidden": lambda: _expects(RANDOM_CASES, replay_random, R.random_search, RANDOM_MISTAKES,
                                             lambda key: "random_search (the generator's next draw after the call)"
                                             if key.endswith("/next_draw") else "random_search",
                                             lambda c: f"{len(c[1])}-D bounds {c[1]}, budget {c[2]}"),
    "grid_search_hidden": lambda: _expects(GRID_CASES, replay_grid, R.grid_search, GRID_MISTAKES,
                                           lambda key: "grid_search", lambda c: f"{len(c[1])}-D bounds, budget {c[2]}"),
}
