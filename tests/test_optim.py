"""Chapters 2 and 3: the reference update rules against torch.optim, the contract they share, invariants.

The trajectories in ``tests/golden/optim.json`` were written by torch.optim (see
``tests/golden/make_optim_goldens.py``, run by hand); these tests need no torch.
"""
import copy
import inspect
import json
import re

import numpy as np
import pytest

from grading.reference import optim as ref
from tests.conftest import ROOT

RTOL, ATOL = 1e-10, 1e-12
GOLDEN = json.loads((ROOT / "tests" / "golden" / "optim.json").read_text(encoding="utf-8"))
RULES = {name: getattr(ref, name) for name in ref.__all__}
STATE_KEYS = {
    "sgd": set(), "sgd_momentum": {"velocity"}, "nesterov": {"velocity"},
    "adagrad": {"cache"}, "rmsprop": {"cache"}, "adadelta": {"cache", "delta"},
    "adam": {"m", "v", "t"}, "adamw": {"m", "v", "t"},
}


def gradient(problem, w):
    """The goldens' gradients (the same formulas as make_optim_goldens.py, checked there by autograd)."""
    s = problem["scale"]
    if problem["kind"] == "quadratic":
        return s * (np.asarray(problem["A"]) @ w - np.asarray(problem["b"]))
    a, b = problem["a"], problem["b"]
    x, y = w
    return s * np.array([-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)])


def replay(rule, problem, hyper, steps=GOLDEN["steps"]):
    """The iterates ``w_0 .. w_steps`` of ``rule`` on ``problem``, and the last state."""
    w, state = np.array(problem["w0"], dtype=float), None
    path = [w]
    for _ in range(steps):
        w, state = rule(w, gradient(problem, w), state, **hyper)
        path.append(w)
    return np.array(path), state


def run(rule, w, grads, **hyper):
    """Apply ``rule`` to a fixed list of gradients; returns the iterates after each step."""
    state, path = None, []
    for dw in grads:
        w, state = rule(w, dw, state, **hyper)
        path.append(w)
    return np.array(path)


RNG = np.random.default_rng(7)
W = RNG.standard_normal((3, 4))
GRADS = [RNG.standard_normal((3, 4)) for _ in range(6)]


# ---------------------------------------------------------------- torch.optim's trajectories

@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[c["name"] for c in GOLDEN["cases"]])
def test_reference_reproduces_torch_trajectory(case):
    problem = GOLDEN["problems"][case["problem"]]
    path, state = replay(RULES[case["method"]], problem, case["hyper"])
    golden = np.array(case["trajectory"])
    assert np.array_equal(golden[0], problem["w0"])
    np.testing.assert_allclose(path, golden, rtol=RTOL, atol=ATOL, err_msg=case["torch_call"])
    assert set(state) == set(case["final_state"]) == STATE_KEYS[case["method"]]
    for key, expected in case["final_state"].items():
        np.testing.assert_allclose(state[key], expected, rtol=1e-9, atol=1e-15, err_msg=key)


def test_goldens_cover_every_rule_problem_and_variant():
    names = {c["name"] for c in GOLDEN["cases"]}
    for method in RULES:
        for problem in ("quadratic", "rosenbrock"):
            assert {f"{problem}/{method}", f"{problem}/{method}/weight_decay"} <= names
        assert f"quadratic/{method}/custom" in names
    for method in ("adagrad", "rmsprop", "adadelta", "adam", "adamw"):
        assert {f"tiny/{method}", f"tiny/{method}/weight_decay"} <= names
    assert all(len(c["trajectory"]) == GOLDEN["steps"] + 1 for c in GOLDEN["cases"])


def _golden(name):
    case = next(c for c in GOLDEN["cases"] if c["name"] == name)
    return case, GOLDEN["problems"][case["problem"]]


def _adam_eps_inside(w, dw, state=None, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    state = state or {"m": 0.0, "v": 0.0, "t": 0}
    t = state["t"] + 1
    m = beta1 * state["m"] + (1 - beta1) * dw
    v = beta2 * state["v"] + (1 - beta2) * dw**2
    return w - lr * (m / (1 - beta1**t)) / np.sqrt(v / (1 - beta2**t) + eps), {"m": m, "v": v, "t": t}


def _adamw_coupled(w, dw, state=None, weight_decay=1e-2, **hyper):
    return ref.adam(w, dw, state, weight_decay=weight_decay, **hyper)


def _sgd_momentum_torch_buffer(w, dw, state=None, lr=1e-2, momentum=0.9, weight_decay=0.0):
    # torch.optim.SGD's convention: buf = momentum * buf + g; w -= lr * buf
    buf = momentum * (state or {}).get("buf", 0.0) + dw + weight_decay * w
    return w - lr * buf, {"buf": buf}


@pytest.mark.parametrize("name, mutant", [
    ("tiny/adam", _adam_eps_inside),             # eps under the square root
    ("tiny/adagrad", lambda w, dw, s=None, **h: ref.adagrad(w, dw, s, **dict(h, eps=1e-10))),  # torch's default eps
    ("quadratic/adamw/weight_decay", _adamw_coupled),   # L2 decay instead of decoupled decay
    ("quadratic/rmsprop", lambda w, dw, s=None, **h: ref.rmsprop(w, dw, s, **dict(h, decay_rate=0.9))),
])
def test_goldens_catch_a_wrong_rule(name, mutant):
    case, problem = _golden(name)
    path, _ = replay(mutant, problem, case["hyper"])
    assert not np.allclose(path, case["trajectory"], rtol=RTOL, atol=ATOL)


def test_torch_sgd_buffer_matches_our_velocity_for_a_constant_rate():
    case, problem = _golden("rosenbrock/sgd_momentum/weight_decay")
    path, _ = replay(_sgd_momentum_torch_buffer, problem, case["hyper"])
    np.testing.assert_allclose(path, case["trajectory"], rtol=RTOL, atol=ATOL)


# ---------------------------------------------------------------- the contract

def test_signatures_name_the_contract_hyperparameters_and_defaults():
    expected = {
        "sgd": dict(lr=1e-2, weight_decay=0.0),
        "sgd_momentum": dict(lr=1e-2, momentum=0.9, weight_decay=0.0),
        "nesterov": dict(lr=1e-2, momentum=0.9, weight_decay=0.0),
        "adagrad": dict(lr=1e-2, eps=1e-8, weight_decay=0.0),
        "rmsprop": dict(lr=1e-2, decay_rate=0.99, eps=1e-8, weight_decay=0.0),
        "adadelta": dict(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0),
        "adam": dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0),
        "adamw": dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2),
    }
    assert set(RULES) == set(expected)
    for name, rule in RULES.items():
        params = list(inspect.signature(rule).parameters.values())
        assert [p.name for p in params[:3]] == ["w", "dw", "state"], name
        assert params[2].default is None, name
        assert {p.name: p.default for p in params[3:]} == expected[name], name
        assert rule.__doc__ and len(rule.__doc__.split()) > 15, name


@pytest.mark.parametrize("name", RULES)
def test_inputs_and_state_are_never_modified(name):
    rule = RULES[name]
    w, state = W.copy(), None
    for dw in GRADS[:3]:
        w.setflags(write=False)
        dw = dw.copy()
        dw.setflags(write=False)  # writing to any of them in place would raise
        if state:
            for value in state.values():
                if isinstance(value, np.ndarray):
                    value.setflags(write=False)
        before = copy.deepcopy((w, dw, state))
        w_next, state_next = rule(w, dw, state, lr=0.1, weight_decay=0.05)
        assert np.array_equal(w, before[0]) and np.array_equal(dw, before[1])
        if state:
            assert state.keys() == before[2].keys()
            assert all(np.array_equal(state[k], before[2][k]) for k in state)
        assert isinstance(state_next, dict) and state_next is not state
        assert not np.shares_memory(w_next, w) and not np.shares_memory(w_next, dw)
        for key, value in state_next.items():
            if isinstance(value, np.ndarray):
                assert value.shape == w.shape, key
                assert not any(np.shares_memory(value, a) for a in (w, dw, *(state or {}).values())
                               if isinstance(a, np.ndarray)), key
        assert w_next.shape == w.shape and w_next.dtype == np.float64
        w, state = w_next, state_next


@pytest.mark.parametrize("name", RULES)
def test_empty_state_is_a_first_call(name):
    rule = RULES[name]
    first = rule(W, GRADS[0], None, lr=0.1)
    again = rule(W, GRADS[0], {}, lr=0.1)
    assert np.array_equal(first[0], again[0])
    assert first[1].keys() == again[1].keys() == STATE_KEYS[name]
    assert all(np.array_equal(first[1][k], again[1][k]) for k in first[1])
    assert np.array_equal(rule(W, GRADS[0])[0], rule(W, GRADS[0], state={})[0])


@pytest.mark.parametrize("name", RULES)
def test_state_keys_are_exactly_the_contract(name):
    state = None
    for dw in GRADS[:2]:
        _, state = RULES[name](W, dw, state)
        assert set(state) == STATE_KEYS[name]


@pytest.mark.parametrize("name", ["adam", "adamw"])
def test_t_counts_the_steps_taken(name):
    state = None
    for t, dw in enumerate(GRADS, start=1):
        _, state = RULES[name](W, dw, state)
        assert state["t"] == t
    resumed = {"m": np.zeros_like(W), "v": np.zeros_like(W), "t": 5}
    assert RULES[name](W, GRADS[0], resumed)[1]["t"] == 6 and resumed["t"] == 5


@pytest.mark.parametrize("name", RULES)
def test_shape_mismatch_is_named(name):
    with pytest.raises(ValueError, match=re.escape("dw has shape (3, 4) but w has shape (4, 3)")):
        RULES[name](np.zeros((4, 3)), np.zeros((3, 4)))


# ---------------------------------------------------------------- invariants

@pytest.mark.parametrize("name", ["sgd_momentum", "nesterov"])
def test_momentum_zero_is_sgd(name):
    for weight_decay in (0.0, 0.1):
        hyper = dict(lr=0.05, weight_decay=weight_decay)
        np.testing.assert_allclose(run(RULES[name], W, GRADS, momentum=0.0, **hyper),
                                   run(ref.sgd, W, GRADS, **hyper), rtol=1e-14, atol=0)


def test_nesterov_is_the_look_ahead_method_in_shifted_variables():
    # classic Nesterov: v = mu v - lr grad(x + mu v); x = x + v. With y = x + mu v the
    # course's rule, fed grad(y), walks through exactly those y.
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    grad = lambda x: A @ x  # noqa: E731
    mu, lr = 0.8, 0.05
    x, v = np.array([1.0, -2.0]), np.zeros(2)
    y, state = x.copy(), None
    for _ in range(30):
        v = mu * v - lr * grad(x + mu * v)
        x = x + v
        y, state = ref.nesterov(y, grad(y), state, lr=lr, momentum=mu)
        np.testing.assert_allclose(y, x + mu * v, rtol=1e-12, atol=1e-14)


def test_adams_first_step_moves_every_coordinate_by_lr():
    dw = np.array([0.1, -0.5, 3.0, -10.0, 1e3])  # eps (1e-8) is tiny next to every |dw|
    for name in ("adam", "adamw"):
        w_next, _ = RULES[name](np.ones(5), dw, lr=0.01, weight_decay=0.0)
        np.testing.assert_allclose(np.abs(w_next - 1.0), 0.01, rtol=1e-6)
        assert np.all(np.sign(1.0 - w_next) == np.sign(dw))


def test_adams_bias_correction_makes_a_constant_gradient_a_constant_step():
    # with 1 - beta^t (not beta^t) m_hat = g and v_hat = g^2 at every t
    g = np.array([2.0, -0.3])
    w, state = np.zeros(2), None
    for _ in range(20):
        w_next, state = ref.adam(w, g, state, lr=0.1, eps=0.0)
        np.testing.assert_allclose(w_next - w, -0.1 * np.sign(g), rtol=1e-12)
        w = w_next


def test_rmsprop_cache_is_a_moving_average_not_a_sum():
    g, state = np.array([2.0, -0.5]), None
    for t in range(1, 200):
        _, state = ref.rmsprop(np.zeros(2), g, state, decay_rate=0.9)
        np.testing.assert_allclose(state["cache"], (1 - 0.9**t) * g**2, rtol=1e-12)


def test_adagrad_rate_never_grows():
    rng = np.random.default_rng(3)
    w, state, rate = rng.standard_normal(4), None, None
    for step in range(40):
        dw = rng.standard_normal(4) * np.array([1.0, 1e-3, 0.0 if step % 2 else 1.0, 1e6])
        w, state = ref.adagrad(w, dw, state, lr=0.1)
        new_rate = 0.1 / (np.sqrt(state["cache"]) + 1e-8)
        if rate is not None:
            assert np.all(new_rate <= rate)
        rate = new_rate


def test_adamw_without_decay_is_adam():
    hyper = dict(lr=0.02, beta1=0.8, beta2=0.99, eps=1e-6)
    np.testing.assert_array_equal(run(ref.adamw, W, GRADS, weight_decay=0.0, **hyper),
                                  run(ref.adam, W, GRADS, **hyper))


def test_adamw_decays_the_weights_outside_the_moments():
    # decoupled: adamw(w) is adam's step taken from the shrunk w * (1 - lr wd) ...
    state = None
    w = W
    for dw in GRADS:
        w_adamw, state_adamw = ref.adamw(w, dw, state, lr=0.05, weight_decay=0.3)
        w_adam, state_adam = ref.adam(w * (1 - 0.05 * 0.3), dw, state, lr=0.05)
        np.testing.assert_allclose(w_adamw, w_adam, rtol=1e-15, atol=0)
        w, state = w_adamw, state_adamw
    # ... whereas adam's coupled decay goes through m and v and comes out rescaled
    coupled = run(ref.adam, W, GRADS, lr=0.05, weight_decay=0.3)
    decoupled = run(ref.adamw, W, GRADS, lr=0.05, weight_decay=0.3)
    assert not np.allclose(coupled, decoupled, rtol=1e-3)
    assert not np.allclose(coupled[0], decoupled[0], rtol=1e-4)


def test_adamw_default_decay_is_torchs():
    np.testing.assert_array_equal(ref.adamw(W, GRADS[0])[0], ref.adamw(W, GRADS[0], weight_decay=1e-2)[0])


# ---------------------------------------------------------------- the three momentum conventions

def three_conventions(lrs, grad, x0, mu=0.9):
    """Iterates of the lecture notes' three ways to write momentum, for the rates ``lrs``.

    A: v = rho*v + dx;          x -= lr*v                       (torch.optim.SGD)
    B: v = mu*v - lr*dx;        x += v                          (the course's sgd_momentum)
    C: v = beta*v + (1-beta)*dx; x -= lr'*v, lr' = lr/(1-beta)  (an average of gradients)
    """
    xa = xb = xc = np.asarray(x0, dtype=float)
    va = vb = vc = np.zeros_like(xa)
    paths = {"A": [], "B": [], "C": []}
    for lr in lrs:
        va = mu * va + grad(xa)
        xa = xa - lr * va
        vb = mu * vb - lr * grad(xb)
        xb = xb + vb
        vc = mu * vc + (1 - mu) * grad(xc)
        xc = xc - lr / (1 - mu) * vc
        for key, x in zip("ABC", (xa, xb, xc)):
            paths[key].append(x)
    return {key: np.array(path) for key, path in paths.items()}


def test_momentum_conventions_agree_for_a_constant_rate_only():
    A = np.array([[4.0, 1.0], [1.0, 1.5]])
    grad = lambda x: A @ x  # noqa: E731
    x0 = np.array([1.0, -1.0])

    constant = three_conventions([0.05] * 30, grad, x0)
    np.testing.assert_allclose(constant["B"], constant["A"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(constant["C"], constant["A"], rtol=1e-12, atol=1e-14)

    # B is the course's rule, whatever the rates
    state, x = None, x0
    lrs = [0.05] * 10 + [0.005] * 20  # a step decay after 10 steps
    changing = three_conventions(lrs, grad, x0)
    for k, lr in enumerate(lrs):
        x, state = ref.sgd_momentum(x, grad(x), state, lr=lr, momentum=0.9)
        np.testing.assert_allclose(x, changing["B"][k], rtol=1e-12, atol=1e-14)

    # when the rate drops, A and C rescale the whole remembered velocity at once, while B
    # keeps the velocity built with the old rate: the paths part at the first step after
    np.testing.assert_allclose(changing["C"], changing["A"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(changing["B"][:10], changing["A"][:10], rtol=1e-12, atol=1e-14)
    assert not np.allclose(changing["B"][10], changing["A"][10], rtol=1e-3)
