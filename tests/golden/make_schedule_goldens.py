"""Write ``tests/golden/schedules.json``: learning-rate curves of ``torch.optim.lr_scheduler``.

Run by hand, never by the test suite (which does not need torch)::

    pip install torch==2.13.0    # the version that wrote the committed file
    python tests/golden/make_schedule_goldens.py

Every case builds one scheduler on a throw-away SGD optimizer with ``lr = lr0`` and records
``get_last_lr()`` before each of ``steps`` calls of ``scheduler.step()``: entry ``t`` is the
rate used at step (or epoch) ``t``, 0-based, as the course's schedules are indexed. The
course's parameter names (those of ``grading/reference/schedules.py``) are recorded with the
torch call they map to. ``steps`` runs past the horizon ``T`` on purpose: ``LinearLR`` holds
its end past ``T`` (as the course does), ``CosineAnnealingLR`` climbs back up (the course
holds ``lr_min``); ``horizon`` says up to which ``t`` torch and the course agree.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import torch
from torch.optim.lr_scheduler import (CosineAnnealingLR, ExponentialLR, LambdaLR, LinearLR,
                                      PolynomialLR, SequentialLR, StepLR)

OUT = Path(__file__).resolve().with_name("schedules.json")


def curve(make, lr0, steps):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr0)
    sched = make(opt)
    rates = []
    for _ in range(steps):
        rates.append(float(sched.get_last_lr()[0]))
        opt.step()
        sched.step()
    return rates


def cases():
    lr0 = 0.4
    yield dict(schedule="step_decay", params=dict(lr0=lr0, drop_every=3, factor=0.5),
               torch="StepLR(step_size=3, gamma=0.5)", steps=20, horizon=None,
               make=lambda o: StepLR(o, step_size=3, gamma=0.5))
    yield dict(schedule="step_decay", params=dict(lr0=lr0, drop_every=5, factor=0.1),
               torch="StepLR(step_size=5, gamma=0.1)", steps=20, horizon=None,
               make=lambda o: StepLR(o, step_size=5, gamma=0.1))
    yield dict(schedule="keras_step_decay", params=dict(lr0=lr0, drop_every=3, factor=0.5),
               torch="LambdaLR(lambda e: 0.5 ** floor((1 + e) / 3))", steps=20, horizon=None,
               make=lambda o: LambdaLR(o, lambda e: 0.5 ** math.floor((1 + e) / 3)))
    yield dict(schedule="exponential_decay", params=dict(lr0=lr0, k=0.15),
               torch="ExponentialLR(gamma=exp(-0.15))", steps=30, horizon=None,
               make=lambda o: ExponentialLR(o, gamma=math.exp(-0.15)))
    yield dict(schedule="inverse_time_decay", params=dict(lr0=lr0, k=0.3),
               torch="LambdaLR(lambda t: 1 / (1 + 0.3 t))", steps=30, horizon=None,
               make=lambda o: LambdaLR(o, lambda t: 1 / (1 + 0.3 * t)))
    yield dict(schedule="inverse_sqrt_decay", params=dict(lr0=lr0, k=0.5),
               torch="LambdaLR(lambda t: 1 / sqrt(1 + 0.5 t))", steps=30, horizon=None,
               make=lambda o: LambdaLR(o, lambda t: 1 / math.sqrt(1 + 0.5 * t)))
    yield dict(schedule="linear_decay", params=dict(lr0=lr0, T=12),
               torch="LinearLR(start_factor=1, end_factor=0, total_iters=12)", steps=20, horizon=None,
               make=lambda o: LinearLR(o, start_factor=1.0, end_factor=0.0, total_iters=12))
    yield dict(schedule="linear_decay", params=dict(lr0=lr0, T=12),
               torch="PolynomialLR(total_iters=12, power=1)", steps=20, horizon=None,
               make=lambda o: PolynomialLR(o, total_iters=12, power=1.0))
    yield dict(schedule="cosine_decay", params=dict(lr0=lr0, T=16, lr_min=0.0),
               torch="CosineAnnealingLR(T_max=16, eta_min=0)", steps=26, horizon=16,
               make=lambda o: CosineAnnealingLR(o, T_max=16, eta_min=0.0))
    yield dict(schedule="cosine_decay", params=dict(lr0=lr0, T=10, lr_min=0.01),
               torch="CosineAnnealingLR(T_max=10, eta_min=0.01)", steps=18, horizon=10,
               make=lambda o: CosineAnnealingLR(o, T_max=10, eta_min=0.01))
    yield dict(schedule="warmup_cosine", params=dict(lr0=lr0, warmup=4, T=20, lr_min=0.01),
               torch="SequentialLR([LinearLR(1/4, 1, 3), CosineAnnealingLR(16, 0.01)], milestones=[4])",
               steps=28, horizon=20,
               make=lambda o: SequentialLR(o, [LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=3),
                                               CosineAnnealingLR(o, T_max=16, eta_min=0.01)], milestones=[4]))


def main():
    out = []
    for case in cases():
        make = case.pop("make")
        case["lr"] = curve(make, case["params"]["lr0"], case["steps"])
        out.append(case)
    OUT.write_text(json.dumps(dict(torch=torch.__version__, cases=out), indent=1) + "\n")
    print(f"wrote {len(out)} curves to {OUT}")


if __name__ == "__main__":
    main()
