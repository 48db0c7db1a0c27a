"""How hidden tests report what a learner's function returned.

A hidden test cell calls ``record(key, value)``. The value travels out of the kernel as
a display output of its own MIME type, holding plain bytes (base64), dtype and shape:
no pickle, nothing executable. The grader reads these outputs after the kernel has
finished and compares them with its references in its own process; the references
never enter the kernel.
"""
from __future__ import annotations

import base64
from typing import Any

import numpy as np

MIME = "application/vnd.trainlab.record+json"


def encode(value: Any) -> dict:
    """A JSON-safe description of ``value``: its Python type, and the array it holds if numeric."""
    payload = {"type": type(value).__name__}
    try:
        array = np.asarray(value)
    except Exception as error:  # a value numpy cannot even look at
        payload["error"] = f"{type(error).__name__}: {error}"
        return payload
    if array.dtype.kind not in "biuf":
        payload["error"] = f"not numeric (numpy dtype {array.dtype})"
        return payload
    array = np.array(array, order="C")  # (ascontiguousarray would turn a scalar into shape (1,))
    payload.update(
        dtype=array.dtype.str,
        shape=list(array.shape),
        data=base64.b64encode(array.tobytes()).decode("ascii"),
    )
    return payload


def decode(payload: dict) -> np.ndarray:
    """The array that ``encode`` described; ``ValueError`` when it held none."""
    if "error" in payload:
        raise ValueError(payload["error"])
    dtype = np.dtype(payload["dtype"])
    if dtype.kind not in "biuf":
        raise ValueError(f"not numeric (numpy dtype {dtype})")
    data = base64.b64decode(payload["data"].encode("ascii"), validate=True)
    return np.frombuffer(data, dtype=dtype).reshape(payload["shape"]).copy()


def record(key: str, value: Any) -> None:
    """Send ``value`` to the grader under ``key`` (used by hidden tests)."""
    from IPython.display import display

    display({MIME: {"key": str(key), "value": encode(value)}}, raw=True)


def drive(rule, shape, seed: int, num_steps: int = 25, grad_scale: float = 1.0, **hyper):
    """Run an update rule over seeded random gradients; returns ``(path, final state)``.

    ``w`` starts standard normal; step ``k`` gets the gradient ``grad_scale`` times a
    standard normal draw, from ``np.random.default_rng(seed)``. Hidden tests and the
    grader call this same function, so both sides see the same inputs.
    """
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(shape)
    state, path = None, [w]
    for _ in range(num_steps):
        w, state = rule(w, grad_scale * rng.standard_normal(shape), state, **hyper)
        path.append(w)
    return np.array(path), state


def record_drive(rule, key: str, shape, seed: int, *, state_keys=(), num_steps: int = 25,
                 grad_scale: float = 1.0, **hyper) -> None:
    """``drive`` a rule and record its path and the final value of each of ``state_keys``."""
    path, state = drive(rule, shape, seed, num_steps, grad_scale, **hyper)
    record(f"{key}/path", path)
    for name in state_keys:
        record(f"{key}/{name}", state.get(name) if isinstance(state, dict) else None)


def make_state(keys, shape, seed: int) -> dict:
    """A plausible mid-run state: ``t`` is 3, ``m`` and ``velocity`` any sign, other arrays positive."""
    rng = np.random.default_rng(seed)
    state = {}
    for name in keys:
        if name == "t":
            state[name] = 3
        elif name in ("m", "velocity"):
            state[name] = rng.standard_normal(shape)
        else:
            state[name] = np.abs(rng.standard_normal(shape)) + 0.1
    return state


def record_given(rule, key: str, state_keys, shape, seed: int, **hyper) -> None:
    """Call ``rule`` once from a given state; record the result and every input afterwards.

    Records ``w_next`` and each new state value, then ``w``, ``dw`` and each given state
    value as they are after the call (they must be unchanged), and the first step from
    ``state={}`` (it must equal the step from ``None``).
    """
    rng = np.random.default_rng(seed)
    w, dw = rng.standard_normal(shape), rng.standard_normal(shape)
    given = make_state(state_keys, shape, seed + 1)
    w_next, state = rule(w, dw, given, **hyper)
    record(f"{key}/w_next", w_next)
    for name in state_keys:
        record(f"{key}/{name}", state.get(name) if isinstance(state, dict) else None)
    record(f"{key}/w_after", w)
    record(f"{key}/dw_after", dw)
    for name in state_keys:
        record(f"{key}/{name}_after", given[name])
    record(f"{key}/empty_state", rule(w, dw, {}, **hyper)[0])
