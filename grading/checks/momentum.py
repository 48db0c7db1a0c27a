"""Hidden checks of assignment 02_momentum.

The hidden test cells of ``solutions/02_momentum/02_momentum.ipynb`` drive the learner's
rule over a seeded sequence of random gradients (``trainlab.record.record_drive``); the
checks below replay the same sequence (``trainlab.record.drive``) through ``grading/reference/optim.py`` and through the common mistakes, so
a wrong path or velocity can be named.
"""
from __future__ import annotations

import numpy as np

from grading.compare import Expect
from grading.reference import optim
from trainlab.record import drive


def _variant(kind: str, nesterov: bool):
    """An update rule with one realistic mistake (``kind``), for naming what a learner did."""

    def rule(w, dw, state=None, lr=1e-2, momentum=0.9, weight_decay=0.0):
        v = (state or {}).get("velocity")
        v = np.zeros_like(w) if v is None else v
        g = dw if kind in ("ignores_weight_decay", "decoupled_weight_decay") else dw + weight_decay * w
        if kind == "decoupled_weight_decay":
            w = w - lr * weight_decay * w
        if kind == "no_memory":
            v = np.zeros_like(w)
        if kind == "torch_convention":  # v = mu v + g, w -= lr v
            v_next = momentum * v + g
            step = -lr * v_next if not nesterov else -lr * (g + momentum * v_next)
            return w + step, {"velocity": v_next}
        if kind == "average":  # v = mu v + (1 - mu) g, w -= lr v
            v_next = momentum * v + (1 - momentum) * g
            return w - lr * v_next, {"velocity": v_next}
        if kind == "wrong_sign":  # v = mu v + lr g, w -= v
            v_next = momentum * v + lr * g
            step = -v_next if not nesterov else momentum * v - (1 + momentum) * v_next
            return w + step, {"velocity": v_next}
        v_next = momentum * v - lr * g
        if not nesterov or kind == "plain_momentum":
            return w + v_next, {"velocity": v_next}
        if kind == "previous_velocity_sign":
            return w + momentum * v + (1 + momentum) * v_next, {"velocity": v_next}
        return w - momentum * v + (1 + momentum) * v_next, {"velocity": v_next}

    return rule


MESSAGES = {
    "torch_convention": "the velocity is kept in torch's convention (v = momentum * v + dw, w -= lr * v); "
                        "this course keeps v = momentum * v - lr * dw and w += v",
    "wrong_sign": "the velocity has the wrong sign: v = momentum * v - lr * dw, then w + v",
    "average": "this is the (1 - momentum) average of the gradients; the contract's velocity is "
               "v = momentum * v - lr * dw",
    "no_memory": "the velocity is not carried from one call to the next: read it from state",
    "ignores_weight_decay": "weight_decay is ignored: add weight_decay * w to the gradient",
    "decoupled_weight_decay": "weight decay is applied to w directly; here it is added to the gradient",
    "plain_momentum": "this is plain momentum; Nesterov's step is w - momentum * v + (1 + momentum) * v_next",
    "previous_velocity_sign": "the previous velocity enters with the wrong sign: w - momentum * v + "
                              "(1 + momentum) * v_next",
}
KINDS = {False: ["torch_convention", "wrong_sign", "average", "no_memory", "ignores_weight_decay",
                 "decoupled_weight_decay"],
         True: ["torch_convention", "wrong_sign", "average", "no_memory", "ignores_weight_decay",
                "decoupled_weight_decay", "plain_momentum", "previous_velocity_sign"]}


def _drive(rule, shape, seed, **hyper):
    path, state = drive(rule, shape, seed, **hyper)
    return path, state["velocity"]


def _rule_checks(function: str, reference, nesterov: bool, seeds: list[int]):
    variants = {kind: _variant(kind, nesterov) for kind in KINDS[nesterov]}
    cases = [("matrix", (3, 4), dict(lr=0.05, momentum=0.9), "a 3x4 matrix, 25 steps"),
             ("vector", (7,), dict(lr=0.01, momentum=0.99), "a vector with momentum 0.99"),
             ("defaults", (5,), {}, "the default lr and momentum"),
             ("momentum_zero", (4,), dict(lr=0.1, momentum=0.0), "momentum 0 (plain SGD)"),
             ("weight_decay", (6,), dict(lr=0.05, momentum=0.9, weight_decay=0.1), "weight_decay 0.1")]
    expects = []
    for (key, shape, hyper, what), seed in zip(cases, seeds):
        path, velocity = _drive(reference, shape, seed, **hyper)
        wrong = {kind: _drive(rule, shape, seed, **hyper) for kind, rule in variants.items()}
        wrong["aliased"] = (np.broadcast_to(path[-1], path.shape), velocity)
        messages = {**MESSAGES, "aliased": "every row of the path is the same array: the rule changes w "
                                           "in place and returns it; return a new array"}
        expects.append(Expect(f"{key}/path", path, what, function, rtol=1e-9, atol=1e-12,
                              mistakes={messages[k]: p for k, (p, _) in wrong.items()}))
        expects.append(Expect(f"{key}/velocity", velocity, what, f"{function} (state['velocity'])",
                              rtol=1e-9, atol=1e-12, mistakes={messages[k]: v for k, (_, v) in wrong.items()}))
    rng = np.random.default_rng(seeds[-1] + 1)
    w, dw, v = rng.standard_normal(5), rng.standard_normal(5), rng.standard_normal(5)
    what = "a state given by the caller"
    w_next, state = reference(w, dw, {"velocity": v}, lr=0.1, momentum=0.8)
    given = {kind: rule(w, dw, {"velocity": v}, lr=0.1, momentum=0.8) for kind, rule in variants.items()}
    empty, _ = reference(w, dw, None, lr=0.1, momentum=0.8)
    expects += [
        Expect("given/w_next", w_next, what, function, rtol=1e-9, atol=1e-12,
               mistakes={MESSAGES[k]: r[0] for k, r in given.items()}),
        Expect("given/velocity", state["velocity"], what, f"{function} (state['velocity'])", rtol=1e-9,
               atol=1e-12, mistakes={MESSAGES[k]: r[1]["velocity"] for k, r in given.items()}),
        Expect("given/w_after", w, what, function, unchanged=True),
        Expect("given/dw_after", dw, what, function, unchanged=True),
        Expect("given/state_after", v, "the state it was given", function, unchanged=True),
        Expect("empty_state", empty, "state = {} on the first call", function, rtol=1e-9, atol=1e-12,
               mistakes={"state = {} must mean a zero velocity, as None does": w_next}),
    ]
    return expects


def sgd_momentum_hidden():
    return _rule_checks("sgd_momentum", optim.sgd_momentum, False, [1, 2, 3, 4, 5])


def nesterov_hidden():
    return _rule_checks("nesterov", optim.nesterov, True, [11, 12, 13, 14, 15])


CHECKS = {"sgd_momentum_hidden": sgd_momentum_hidden, "nesterov_hidden": nesterov_hidden}
