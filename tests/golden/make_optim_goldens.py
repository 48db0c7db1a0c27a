"""Write ``tests/golden/optim.json``: trajectories of torch.optim that the update rules must reproduce.

Run by hand, never by the test suite (which does not need torch)::

    pip install torch            # any recent version; 2.13.0 wrote the committed file
    python tests/golden/make_optim_goldens.py

Every case runs one ``torch.optim`` optimizer in float64 for ``STEPS`` steps on one
problem and records the starting point, the hyperparameters in the course's names
(those of ``grading/reference/optim.py``), the torch call they map to, every iterate
``w_0 .. w_STEPS`` and torch's final state translated into the course's state keys.
The gradients fed to torch are computed with NumPy by the same formulas the tests use
(and checked here against torch's autograd), so the only thing compared is the step.

The problems: a random quadratic ``f(w) = w^T A w / 2 - b^T w`` in 5 dimensions,
Rosenbrock's valley in 2, and the same quadratic scaled by 1e-9, whose gradients are
smaller than eps (there, where eps sits decides the trajectory).

How torch's conventions map onto the course's contract:

* SGD with momentum keeps ``buf = momentum * buf + g`` and steps ``w -= lr * buf``; the
  course keeps ``v = momentum * v - lr * g`` and steps ``w += v``. For the constant rates
  used here ``v = -lr * buf``, and that is how the final state is translated.
* torch's Nesterov (``nesterov=True``) steps ``w -= lr * (g + momentum * buf)``, which is
  the course's look-ahead-free form with the same translation of the state.
* Adagrad's defaults differ (``eps=1e-10``): eps is always passed explicitly, with
  ``lr_decay=0`` and ``initial_accumulator_value=0``.
* RMSprop's ``alpha`` is the course's ``decay_rate``; ``momentum=0``, ``centered=False``.
* Adam's ``betas=(beta1, beta2)``; torch's ``state["step"]`` is the course's ``t``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).resolve().with_name("optim.json")
STEPS = 50
SEED = 20240607
RTOL, ATOL = 1e-10, 1e-12  # the tolerance of tests/test_optim.py

METHODS = ("sgd", "sgd_momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw")
ADAPTIVE = ("adagrad", "rmsprop", "adadelta", "adam", "adamw")

# Learning rates per problem: stable for the plain methods, visible for the adaptive ones.
LR = {
    "quadratic": dict(sgd=0.05, sgd_momentum=0.02, nesterov=0.02, adagrad=0.5, rmsprop=0.01,
                      adadelta=1.0, adam=0.05, adamw=0.05),
    "rosenbrock": dict(sgd=5e-4, sgd_momentum=2e-4, nesterov=2e-4, adagrad=0.1, rmsprop=0.01,
                       adadelta=1.0, adam=0.02, adamw=0.02),
}
LR["tiny"] = LR["quadratic"]

# Every hyperparameter of every rule at its contract default (lr aside).
DEFAULTS = {
    "sgd": dict(weight_decay=0.0),
    "sgd_momentum": dict(momentum=0.9, weight_decay=0.0),
    "nesterov": dict(momentum=0.9, weight_decay=0.0),
    "adagrad": dict(eps=1e-8, weight_decay=0.0),
    "rmsprop": dict(decay_rate=0.99, eps=1e-8, weight_decay=0.0),
    "adadelta": dict(rho=0.9, eps=1e-6, weight_decay=0.0),
    "adam": dict(beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0),
    "adamw": dict(beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0),
}

# Non-default hyperparameters (on the quadratic), so that a swapped name or mapping shows.
CUSTOM = {
    "sgd": dict(weight_decay=0.3),
    "sgd_momentum": dict(momentum=0.5, weight_decay=0.05),
    "nesterov": dict(momentum=0.7, weight_decay=0.05),
    "adagrad": dict(eps=1e-3, weight_decay=0.05),
    "rmsprop": dict(decay_rate=0.9, eps=1e-4, weight_decay=0.05),
    "adadelta": dict(rho=0.95, eps=1e-4, weight_decay=0.05, lr=0.5),
    "adam": dict(beta1=0.8, beta2=0.99, eps=1e-4, weight_decay=0.05),
    "adamw": dict(beta1=0.8, beta2=0.99, eps=1e-4, weight_decay=0.05),
}


# ---------------------------------------------------------------- problems

def make_problems():
    rng = np.random.default_rng(SEED)
    Q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    A = Q @ np.diag(np.geomspace(1.0, 10.0, 5)) @ Q.T
    A = (A + A.T) / 2
    b = rng.standard_normal(5)
    w0 = rng.standard_normal(5)
    quadratic = {"kind": "quadratic", "A": A.tolist(), "b": b.tolist(), "scale": 1.0, "w0": w0.tolist()}
    return {
        "quadratic": quadratic,
        "rosenbrock": {"kind": "rosenbrock", "a": 1.0, "b": 100.0, "scale": 1.0, "w0": [-1.5, 2.0]},
        "tiny": dict(quadratic, scale=1e-9),
    }


def gradient(problem, w):
    """The analytic gradient in NumPy (the same formulas as tests/test_optim.py)."""
    s = problem["scale"]
    if problem["kind"] == "quadratic":
        return s * (np.asarray(problem["A"]) @ w - np.asarray(problem["b"]))
    a, b = problem["a"], problem["b"]
    x, y = w
    return s * np.array([-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)])


def torch_loss(problem, w):
    s = problem["scale"]
    if problem["kind"] == "quadratic":
        A = torch.tensor(problem["A"])
        b = torch.tensor(problem["b"])
        return s * (0.5 * w @ A @ w - b @ w)
    a, b = problem["a"], problem["b"]
    return s * ((a - w[0]) ** 2 + b * (w[1] - w[0] ** 2) ** 2)


# ---------------------------------------------------------------- torch optimizers

def torch_optimizer(method, params, hyper):
    h = dict(hyper)
    common = dict(lr=h["lr"], weight_decay=h["weight_decay"], foreach=False, maximize=False)
    if method == "sgd":
        return torch.optim.SGD(params, momentum=0.0, **common), "SGD(momentum=0)"
    if method in ("sgd_momentum", "nesterov"):
        nest = method == "nesterov"
        return (torch.optim.SGD(params, momentum=h["momentum"], dampening=0.0, nesterov=nest, **common),
                f"SGD(momentum={h['momentum']}, dampening=0, nesterov={nest})")
    if method == "adagrad":
        return (torch.optim.Adagrad(params, eps=h["eps"], lr_decay=0.0, initial_accumulator_value=0.0, **common),
                f"Adagrad(eps={h['eps']}, lr_decay=0, initial_accumulator_value=0)")
    if method == "rmsprop":
        return (torch.optim.RMSprop(params, alpha=h["decay_rate"], eps=h["eps"], momentum=0.0,
                                    centered=False, **common),
                f"RMSprop(alpha={h['decay_rate']}, eps={h['eps']}, momentum=0, centered=False)")
    if method == "adadelta":
        return (torch.optim.Adadelta(params, rho=h["rho"], eps=h["eps"], **common),
                f"Adadelta(rho={h['rho']}, eps={h['eps']})")
    betas = (h["beta1"], h["beta2"])
    cls = torch.optim.Adam if method == "adam" else torch.optim.AdamW
    return (cls(params, betas=betas, eps=h["eps"], amsgrad=False, **common),
            f"{cls.__name__}(betas={betas}, eps={h['eps']}, amsgrad=False)")


def course_state(method, torch_state, hyper):
    """torch's per-parameter state in the course's keys (see the module docstring)."""
    arr = lambda key: torch_state[key].detach().numpy().tolist()  # noqa: E731
    if method == "sgd":
        return {}
    if method in ("sgd_momentum", "nesterov"):
        return {"velocity": (-hyper["lr"] * torch_state["momentum_buffer"].detach().numpy()).tolist()}
    if method == "adagrad":
        return {"cache": arr("sum")}
    if method == "rmsprop":
        return {"cache": arr("square_avg")}
    if method == "adadelta":
        return {"cache": arr("square_avg"), "delta": arr("acc_delta")}
    return {"m": arr("exp_avg"), "v": arr("exp_avg_sq"), "t": int(torch_state["step"].item())}


def run(method, problem, hyper, w0, steps=STEPS):
    w = torch.tensor(w0, dtype=torch.float64, requires_grad=True)
    opt, call = torch_optimizer(method, [w], hyper)
    path = [w.detach().numpy().copy()]
    for _ in range(steps):
        g = gradient(problem, w.detach().numpy().copy())
        # prove the NumPy formula against autograd at every iterate
        w.grad = None
        torch_loss(problem, w).backward()
        assert np.allclose(g, w.grad.numpy(), rtol=0, atol=1e-12 * np.abs(g).max()), (method, g, w.grad)
        w.grad = torch.from_numpy(g)
        opt.step()
        path.append(w.detach().numpy().copy())
    return np.array(path), course_state(method, opt.state[w], hyper), call


def cases(problems):
    for problem in problems:
        for method in METHODS:
            if problem == "tiny" and method not in ADAPTIVE:
                continue  # plain steps of size lr * 1e-9 would test nothing
            base = dict(DEFAULTS[method], lr=LR[problem][method])
            yield f"{problem}/{method}", method, problem, base
            yield f"{problem}/{method}/weight_decay", method, problem, dict(base, weight_decay=0.1)
            if problem == "quadratic":
                yield f"{problem}/{method}/custom", method, problem, dict(base, **CUSTOM[method])


def main():
    torch.set_default_dtype(torch.float64)
    problems = make_problems()
    out = {
        "about": "trajectories of torch.optim in float64; written by tests/golden/make_optim_goldens.py",
        "torch": torch.__version__,
        "numpy": np.__version__,
        "steps": STEPS,
        "problems": problems,
        "cases": [],
    }
    worst = 0.0
    for name, method, problem, hyper in cases(problems):
        prob = problems[problem]
        path, state, call = run(method, prob, hyper, prob["w0"])
        assert np.all(np.isfinite(path)) and np.abs(path).max() < 1e3, name
        assert np.abs(path[-1] - path[0]).max() > 1e-6 * (prob["scale"] if method in ADAPTIVE else 1), name
        # Conditioning: a nudge of the start by 1e-13 (hundreds of rounding errors) must move
        # the trajectory by less than half the tests' tolerance, or another BLAS or
        # rounding order could fail them.
        nudged, _, _ = run(method, prob, hyper, np.asarray(prob["w0"]) * (1 + 1e-13))
        spread = np.max(np.abs(nudged - path) / (RTOL * np.abs(path) + ATOL))
        worst = max(worst, spread)
        assert spread < 0.5, (name, spread)
        out["cases"].append({
            "name": name, "method": method, "problem": problem, "hyper": hyper,
            "torch_call": f"torch.optim.{call}, lr={hyper['lr']}, weight_decay={hyper['weight_decay']}",
            "trajectory": path.tolist(), "final_state": state,
        })
    text = json.dumps(out, indent=None, separators=(",", ":"))  # floats written with repr: exact
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"{len(out['cases'])} cases, {len(text) / 1e3:.0f} kB -> {OUT}; "
          f"largest change after a 1e-13 nudge of the start: {worst:.1e} of the tolerance", file=sys.stderr)


if __name__ == "__main__":
    main()
