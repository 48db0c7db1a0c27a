"""Hidden checks of assignment 03_adaptive.

The hidden test cells of ``solutions/03_adaptive/03_adaptive.ipynb`` drive each rule over
seeded random gradients (``trainlab.record.record_drive``) and call it once from a given
state (``record_given``); the checks replay the same inputs (``trainlab.record.drive`` and
``make_state``) through ``grading/reference/optim.py`` and through common mistakes, among
them the errata of the lecture notes, so that a wrong answer is named.
"""
from __future__ import annotations

import numpy as np

from grading.compare import Expect
from grading.reference import optim
from trainlab.record import drive, make_state

TOL = dict(rtol=1e-9, atol=1e-12)


def _fresh(state, key, like):
    value = (state or {}).get(key)
    return np.zeros_like(like) if value is None else value


# ---------------------------------------------------------------- mistaken rules

def adagrad_variant(kind):
    def rule(w, dw, state=None, lr=1e-2, eps=1e-8, weight_decay=0.0):
        g = dw if kind == "ignores_weight_decay" else dw + weight_decay * w
        cache = _fresh(state, "cache", w)
        cache = g * g if kind == "no_sum" else cache + g * g
        denominator = np.sqrt(cache + eps) if kind == "eps_inside" else np.sqrt(cache) + eps
        return w - lr * g / denominator, {"cache": cache}
    return rule


def rmsprop_variant(kind):
    def rule(w, dw, state=None, lr=1e-2, decay_rate=0.99, eps=1e-8, weight_decay=0.0):
        g = dw if kind == "ignores_weight_decay" else dw + weight_decay * w
        cache = _fresh(state, "cache", w)
        if kind == "plus_equals":
            cache = cache + decay_rate * cache + (1 - decay_rate) * g * g
        elif kind == "no_one_minus":
            cache = decay_rate * cache + g * g
        elif kind == "adagrad":
            cache = cache + g * g
        else:
            cache = decay_rate * cache + (1 - decay_rate) * g * g
        denominator = np.sqrt(cache + eps) if kind == "eps_inside" else np.sqrt(cache) + eps
        return w - lr * g / denominator, {"cache": cache}
    return rule


def adadelta_variant(kind):
    def rule(w, dw, state=None, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        g = dw if kind == "ignores_weight_decay" else dw + weight_decay * w
        cache = rho * _fresh(state, "cache", w) + (1 - rho) * g * g
        delta = _fresh(state, "delta", w)
        if kind == "delta_first":
            delta = rho * delta + (1 - rho) * g * g
        if kind == "eps_outside":
            update = (np.sqrt(delta) + eps) / (np.sqrt(cache) + eps) * g
        else:
            update = np.sqrt(delta + eps) / np.sqrt(cache + eps) * g
        if kind != "delta_first":
            delta = rho * delta + (1 - rho) * update * update
        step = update if kind == "ignores_lr" else lr * update
        return w - step, {"cache": cache, "delta": delta}
    return rule


def adam_variant(kind, decoupled=False):
    def rule(w, dw, state=None, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2 if decoupled else 0.0):
        coupled = (not decoupled) != (kind == "swapped_weight_decay")
        g = dw + weight_decay * w if coupled and kind != "ignores_weight_decay" else dw
        state = state or {}
        t = state.get("t", 0) + 1
        m, v = _fresh(state, "m", w), _fresh(state, "v", w)
        m = beta1 + m + (1 - beta1) * g if kind == "beta1_plus" else beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        power = t - 1 if kind == "late_t" else t
        if kind == "no_bias_correction":
            m_hat, v_hat = m, v
        elif kind == "beta_power":
            m_hat, v_hat = m / beta1**power, v / beta2**power
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                m_hat, v_hat = m / (1 - beta1**power), v / (1 - beta2**power)
        denominator = np.sqrt(v_hat + eps) if kind == "eps_inside" else np.sqrt(v_hat) + eps
        w_next = w - lr * m_hat / denominator
        if decoupled and not coupled and kind != "ignores_weight_decay":
            w_next = w_next - lr * weight_decay * (w_next if kind == "decay_after_step" else w)
        return w_next, {"m": m, "v": v, "t": t}
    return rule


MESSAGES = {
    "no_sum": "the cache must sum the squared gradients over all steps (cache = cache + g**2)",
    "eps_inside": "eps sits inside the square root; this rule adds it outside: sqrt(...) + eps",
    "eps_outside": "AdaDelta keeps eps inside both square roots: sqrt(delta + eps) / sqrt(cache + eps)",
    "ignores_weight_decay": "weight_decay is ignored",
    "plus_equals": "the cache is updated with += (the lecture notes' bug); it is cache = decay_rate * cache + "
                   "(1 - decay_rate) * g**2",
    "no_one_minus": "the new squared gradient must be weighted by (1 - decay_rate)",
    "adagrad": "the cache sums the squared gradients as AdaGrad does; RMSProp takes a leaky average",
    "delta_first": "delta is updated before the step; compute the update with the old delta, then update delta",
    "ignores_lr": "the learning rate is ignored; the step is lr * update",
    "no_bias_correction": "bias correction missing: m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t)",
    "beta_power": "bias correction divides by beta**t (the lecture notes' slip); it is 1 - beta**t",
    "beta1_plus": "the first moment adds beta1 (the lecture notes' typo); it is m = beta1 * m + (1 - beta1) * g",
    "late_t": "t is incremented after the bias correction; increment it first",
    "swapped_weight_decay": "weight decay is coupled/decoupled the wrong way round: Adam adds it to the "
                            "gradient, AdamW shrinks the weights directly",
    "decay_after_step": "the decay must use the weights before the step: w - lr * weight_decay * w - lr * adam_step",
}

RULES = {
    "adagrad": (optim.adagrad, adagrad_variant, ("cache",), ["no_sum", "eps_inside", "ignores_weight_decay"]),
    "rmsprop": (optim.rmsprop, rmsprop_variant, ("cache",),
                ["plus_equals", "no_one_minus", "adagrad", "eps_inside", "ignores_weight_decay"]),
    "adadelta": (optim.adadelta, adadelta_variant, ("cache", "delta"),
                 ["eps_outside", "delta_first", "ignores_lr", "ignores_weight_decay"]),
    "adam": (optim.adam, adam_variant, ("m", "v", "t"),
             ["no_bias_correction", "beta_power", "beta1_plus", "late_t", "eps_inside", "ignores_weight_decay",
              "swapped_weight_decay"]),
    "adamw": (optim.adamw, lambda kind: adam_variant(kind, decoupled=True), ("m", "v", "t"),
              ["no_bias_correction", "beta_power", "late_t", "eps_inside", "ignores_weight_decay",
               "swapped_weight_decay", "decay_after_step"]),
}

# (key, shape, seed, drive options, what) for each rule, in the order of its hidden cell
CASES = {
    "adagrad": [("matrix", (3, 4), 21, dict(lr=0.1), "a 3x4 matrix, 25 steps"),
                ("defaults", (5,), 22, {}, "the default hyperparameters"),
                ("tiny", (4,), 23, dict(grad_scale=1e-9, lr=0.1), "gradients of size 1e-9"),
                ("weight_decay", (6,), 24, dict(lr=0.1, weight_decay=0.1), "weight_decay 0.1")],
    "rmsprop": [("matrix", (3, 4), 31, dict(lr=0.01), "a 3x4 matrix, 25 steps"),
                ("defaults", (5,), 32, {}, "the default hyperparameters"),
                ("decay", (4,), 33, dict(lr=0.01, decay_rate=0.9), "decay_rate 0.9"),
                ("tiny", (4,), 34, dict(grad_scale=1e-9, lr=0.01), "gradients of size 1e-9"),
                ("weight_decay", (6,), 35, dict(lr=0.01, weight_decay=0.1), "weight_decay 0.1")],
    "adadelta": [("matrix", (3, 4), 41, {}, "a 3x4 matrix, 25 steps"),
                 ("defaults", (5,), 42, {}, "the default hyperparameters"),
                 ("rho_lr", (4,), 43, dict(lr=0.5, rho=0.5), "lr 0.5 and rho 0.5"),
                 ("tiny", (4,), 44, dict(grad_scale=1e-9), "gradients of size 1e-9"),
                 ("weight_decay", (6,), 45, dict(weight_decay=0.1), "weight_decay 0.1")],
    "adam": [("matrix", (3, 4), 51, dict(lr=0.01), "a 3x4 matrix, 25 steps"),
             ("defaults", (5,), 52, {}, "the default hyperparameters"),
             ("betas", (4,), 53, dict(lr=0.05, beta1=0.5, beta2=0.9), "beta1 0.5 and beta2 0.9"),
             ("tiny", (4,), 54, dict(grad_scale=1e-9, lr=0.01), "gradients of size 1e-9"),
             ("weight_decay", (6,), 55, dict(lr=0.01, weight_decay=0.1), "weight_decay 0.1")],
    "adamw": [("matrix", (3, 4), 61, dict(lr=0.01, weight_decay=0.1), "a 3x4 matrix, 25 steps"),
              ("defaults", (5,), 62, {}, "the default hyperparameters (weight_decay 0.01)"),
              ("no_decay", (4,), 63, dict(lr=0.01, weight_decay=0.0), "weight_decay 0"),
              ("tiny", (4,), 64, dict(grad_scale=1e-9, lr=0.01, weight_decay=0.5), "gradients of size 1e-9"),
              ("strong_decay", (6,), 65, dict(lr=0.05, weight_decay=1.0), "weight_decay 1")],
}
GIVEN_SEED = {"adagrad": 26, "rmsprop": 36, "adadelta": 46, "adam": 56, "adamw": 66}


def _expects(function: str):
    reference, variant, keys, kinds = RULES[function]
    variants = {MESSAGES[kind]: variant(kind) for kind in kinds}
    expects = []
    with np.errstate(all="ignore"):
        for key, shape, seed, options, what in CASES[function]:
            path, state = drive(reference, shape, seed, **options)
            wrong = {message: drive(rule, shape, seed, **options) for message, rule in variants.items()}
            alias = np.broadcast_to(path[-1], path.shape)
            wrong_paths = {m: p for m, (p, _) in wrong.items()}
            wrong_paths["every row of the path is the same array: the rule changes w in place"] = alias
            expects.append(Expect(f"{key}/path", path, what, function, mistakes=wrong_paths, **TOL))
            for name in keys:
                expects.append(Expect(f"{key}/{name}", np.asarray(state[name], dtype=float), what,
                                      f"{function} (state['{name}'])",
                                      mistakes={m: np.asarray(s[name], dtype=float) for m, (_, s) in wrong.items()},
                                      **TOL))
        seed = GIVEN_SEED[function]
        rng = np.random.default_rng(seed)
        w, dw = rng.standard_normal(5), rng.standard_normal(5)
        given = make_state(keys, (5,), seed + 1)
        w_next, state = reference(w, dw, given)
        results = {message: rule(w, dw, given) for message, rule in variants.items()}
        what = "a state given by the caller"
        expects.append(Expect("given/w_next", w_next, what, function,
                              mistakes={m: r[0] for m, r in results.items()}, **TOL))
        for name in keys:
            expects.append(Expect(f"given/{name}", np.asarray(state[name], dtype=float), what,
                                  f"{function} (state['{name}'])",
                                  mistakes={m: np.asarray(r[1][name], dtype=float) for m, r in results.items()},
                                  **TOL))
        expects.append(Expect("given/w_after", w, what, function, unchanged=True))
        expects.append(Expect("given/dw_after", dw, what, function, unchanged=True))
        for name in keys:
            expects.append(Expect(f"given/{name}_after", np.asarray(given[name], dtype=float),
                                  "the state it was given", function, unchanged=True))
        empty, _ = reference(w, dw, None)
        expects.append(Expect("given/empty_state", empty, "state = {} on the first call", function,
                              mistakes={"state = {} must mean a fresh start, as None does": w_next}, **TOL))
    return expects


CHECKS = {f"{name}_hidden": (lambda name=name: _expects(name)) for name in RULES}
