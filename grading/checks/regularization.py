"""Hidden checks of assignment 05_regularization.

The hidden test cells of ``solutions/05_regularization/05_regularization.ipynb`` build their
inputs with ``trainlab.seeded`` and draw dropout masks from ``np.random.default_rng(seed)``;
the checks below rebuild the same inputs, replay the same generators through
``grading/reference/regularization.py`` and through common mistakes (the lecture notes'
dropout among them: no rescaling, ``p`` as the keep probability, the second layer reading
``X``), so that a wrong answer is named. Statistical records (the mean kept by inverted
dropout, the share of dropped units, the moments of batch-norm outputs) are judged with a
tolerance that any correct mask would meet.
"""
from __future__ import annotations

import numpy as np

from grading.compare import Expect
from grading.reference import regularization as R
from trainlab import seeded

TOL = dict(rtol=1e-9, atol=1e-12)
BN_TOL = dict(rtol=1e-7, atol=1e-10)
UNCHANGED = "the function changed its input in place; leave the caller's arrays as they were"


def _flag(key, what, function, message):
    """A recorded boolean that must be True; False is named by ``message``."""
    return Expect(key, 1.0, what, function, rtol=0, atol=0, mistakes={message: 0.0})


# ---------------------------------------------------------------- penalties

def _penalty_variant(kind, l1=False):
    def penalty(params, reg):
        loss, grads = 0.0, {}
        for name, value in params.items():
            weight = name.startswith("W") or kind == "biases"
            if not weight:
                grads[name] = np.zeros_like(value)
                continue
            if l1:
                loss += reg * (np.sum(value) if kind == "no_abs" else np.sum(np.abs(value)))
                grads[name] = {"l2_gradient": reg * value, "no_reg": np.sign(value)}.get(kind, reg * np.sign(value))
            else:
                loss += (1.0 if kind == "no_half" else 0.5) * reg * np.sum(value * value)
                grads[name] = (2.0 if kind == "double_gradient" else 1.0) * reg * value
        return float(loss), grads
    return penalty


PENALTY_MESSAGES = {
    "biases": "the biases are penalised too; penalise only the weights (names starting with W) and give "
              "the biases a zero gradient",
    "no_half": "the loss lacks the 1/2: it is 0.5 * reg * sum(W**2), whose gradient is reg * W "
               "(the lecture notes write reg * sum(W**2) with gradient reg * W, which do not match)",
    "double_gradient": "the gradient is twice too large: the derivative of 0.5 * reg * W**2 is reg * W",
    "no_abs": "the loss sums W, not |W|: it is reg * sum(abs(W))",
    "l2_gradient": "the gradient is reg * W, L2's; the gradient of reg * |W| is reg * sign(W)",
    "no_reg": "the gradient is not multiplied by reg: reg * sign(W)",
}
PENALTY_CASES = {"l2_penalty": [("small", (3, 4, 2), 11, 0.1), ("deep", (5, 6, 4, 3), 12, 0.01),
                                ("strong", (2, 3), 13, 2.5)],
                 "l1_penalty": [("small", (3, 4, 2), 21, 0.1), ("deep", (5, 6, 4, 3), 22, 0.01),
                                ("strong", (2, 3), 23, 2.5)]}


def _penalty_expects(function):
    l1 = function == "l1_penalty"
    reference = R.l1_penalty if l1 else R.l2_penalty
    kinds = ["biases", "no_abs", "l2_gradient", "no_reg"] if l1 else ["biases", "no_half", "double_gradient"]
    variants = {PENALTY_MESSAGES[k]: _penalty_variant(k, l1) for k in kinds}
    expects = []
    for key, sizes, seed, reg in PENALTY_CASES[function]:
        params = seeded.params(sizes, seed)
        if l1 and key == "small":
            params["W1"][0, :2] = 0.0
        what = f"a random network of layer sizes {sizes}, reg {reg}"
        loss, grads = reference(params, reg)
        wrong = {m: v(params, reg) for m, v in variants.items()}
        expects.append(Expect(f"{key}/loss", loss, what, function, mistakes={m: w[0] for m, w in wrong.items()}, **TOL))
        for name in sorted(params):
            expects.append(Expect(f"{key}/grad_{name}", grads[name], what, f"{function} (grads['{name}'])",
                                  mistakes={m: w[1][name] for m, w in wrong.items()}, **TOL))
        expects.append(_flag(f"{key}/unchanged", what, function, UNCHANGED))
    return expects


# ---------------------------------------------------------------- dropout

def _dropout_variant(kind):
    def forward(x, p, train, rng):
        x = np.asarray(x, dtype=float)
        if not train:
            if kind == "eval_scaled":
                return x * (1 - p), None
            if kind == "eval_drops":
                return x * (rng.random(x.shape) >= p) / (1 - p), None
            return x.copy(), None
        draw = rng.random(x.shape)
        keep = draw < p if kind in ("keep_probability", "keep_probability_scaled", "notes") else draw >= p
        if kind in ("no_rescale", "notes"):
            return x * keep, None
        if kind == "keep_probability_scaled":
            return x * keep / p, None
        if kind == "scaled_by_p":
            return x * keep * (1 - p), None
        return x * keep / (1 - p), None
    return forward


DROPOUT_MESSAGES = {
    "keep_probability": "p is used as the KEEP probability (mask = rng.random(x.shape) < p, the lecture notes' "
                        "convention); in this course, as in torch, p is the probability to DROP: "
                        "keep = rng.random(x.shape) >= p",
    "keep_probability_scaled": "p is used as the KEEP probability (mask = rng.random(x.shape) < p, scaled by 1 / p); "
                               "here p is the probability to DROP: keep = rng.random(x.shape) >= p, scaled by 1 / (1 - p)",
    "no_rescale": "the kept units are not rescaled (the lecture notes' dropout); inverted dropout divides them "
                  "by 1 - p so that the expected output is x",
    "notes": "this is the lecture notes' dropout: p used as the KEEP probability (rand < p) and the kept units "
             "not rescaled; p is the probability to DROP, keep = rng.random(x.shape) >= p, and inverted dropout "
             "divides the kept units by 1 - p",
    "scaled_by_p": "the kept units are multiplied by 1 - p; inverted dropout DIVIDES them by 1 - p",
    "eval_scaled": "in evaluation the output is scaled by 1 - p (that is classic dropout's test time); "
                   "inverted dropout returns x unchanged in evaluation",
    "eval_drops": "units are dropped in evaluation too; with train=False return x unchanged",
}
DROPOUT_CASES = [("matrix", (6, 5), 31, 0.3), ("vector", (17,), 32, 0.5), ("tensor", (2, 3, 4), 33, 0.1),
                 ("p0", (4, 4), 34, 0.0)]


def dropout_forward_hidden():
    f = "dropout_forward"
    variants = {m: _dropout_variant(k) for k, m in DROPOUT_MESSAGES.items()}
    expects = []
    with np.errstate(all="ignore"):
        for key, shape, seed, p in DROPOUT_CASES:
            x = seeded.array(shape, seed)
            what = f"an array of shape {shape}, p = {p}"
            replay = lambda fn: fn(x, p, True, np.random.default_rng(seed + 100))[0]  # noqa: E731
            expects.append(Expect(f"{key}/train", replay(R.dropout_forward), f"{what}, in training", f,
                                  mistakes={m: replay(v) for m, v in variants.items()}, **TOL))
            expects.append(Expect(f"{key}/x_after", x, what, f, unchanged=True))
            evaluate = lambda fn: fn(x, p, False, np.random.default_rng(0))[0]  # noqa: E731
            expects.append(Expect(f"{key}/eval", evaluate(R.dropout_forward), f"{what}, in evaluation", f,
                                  mistakes={m: evaluate(v) for m, v in variants.items()}, **TOL))
    what = "250 x 400 ones with p = 0.3"
    expects.append(Expect("stats/mean", 1.0, f"{what} (the mean of the output)", f, rtol=0, atol=0.01, mistakes={
        DROPOUT_MESSAGES["no_rescale"]: 0.7, DROPOUT_MESSAGES["scaled_by_p"]: 0.49,
        DROPOUT_MESSAGES["keep_probability"]: 0.3 / 0.7,
        "p is used as the KEEP probability and the kept units are not rescaled (the lecture notes' dropout); "
        "p is the probability to DROP, and inverted dropout divides the kept units by 1 - p": 0.3}))
    expects.append(Expect("stats/dropped", 0.3, f"{what} (the share of units dropped)", f, rtol=0, atol=0.01,
                          mistakes={"about 70% of the units were dropped for p = 0.3: p is the probability to DROP "
                                    "a unit, keep = rng.random(x.shape) >= p": 0.7}))
    untouched = np.random.default_rng(36).random()
    used = np.random.default_rng(36)
    used.random(5)
    expects.append(Expect("eval_draws_nothing", untouched, "evaluation (train=False)", f, **TOL, mistakes={
        "evaluation drew random numbers from rng; with train=False dropout_forward must not use rng": used.random()}))
    return expects


def dropout_backward_hidden():
    f = "dropout_backward"
    expects = []
    for key, shape, seed, p in (("matrix", (6, 5), 41, 0.3), ("vector", (17,), 42, 0.5), ("tensor", (2, 3, 4), 43, 0.1)):
        x, dout = seeded.array(shape, seed), seeded.array(shape, seed + 1)
        _, scale = R.dropout_forward(x, p, True, np.random.default_rng(seed + 100))
        what = f"an array of shape {shape}, p = {p}"
        expects.append(Expect(f"{key}/train", dout * scale, f"{what}, after a training forward pass", f, mistakes={
            "dx = dout * keep misses the scale: the forward pass multiplied by keep / (1 - p), so dx = dout * keep / (1 - p)":
                dout * (scale > 0),
            "dx is the forward output (x * keep / (1 - p)), not the gradient dout * keep / (1 - p)": x * scale,
            "dx = dout ignores the mask: in training dx = dout * keep / (1 - p)": dout,
        }, **TOL))
        expects.append(Expect(f"{key}/eval", dout, f"{what}, after an evaluation forward pass", f, mistakes={
            "in evaluation the forward pass is the identity, so dx = dout": dout * (1 - p)}, **TOL))
    expects.append(_flag("gradcheck", "a gradient check against your dropout_forward (5x6, p = 0.5)", f,
                         "dx does not match a numerical gradient of your dropout_forward"))
    return expects


def _net_variant(kind):
    plain = _dropout_variant("none")

    def drop(h, p, train, rng):
        if kind == "no_rescale":
            return _dropout_variant("no_rescale")(h, p, train, rng)[0]
        if kind == "keep_probability":
            return _dropout_variant("keep_probability_scaled")(h, p, train, rng)[0]
        return plain(h, p, train, rng)[0]

    def net(X, params, p, train, rng):
        H1 = drop(np.maximum(0.0, X @ params["W1"] + params["b1"]), p, train, rng)
        if kind == "first_only":
            H2 = np.maximum(0.0, H1 @ params["W2"] + params["b2"])
        else:
            source = X if kind == "reuses_x" else H1
            H2 = drop(np.maximum(0.0, source @ params["W2"] + params["b2"]), p, train, rng)
        return H2 @ params["W3"] + params["b3"]
    return net


NET_MESSAGES = {
    "reuses_x": "the second layer reads X (the lecture notes' slip, np.dot(W2, X)); it reads the dropped "
                "output of the first layer, H1",
    "no_rescale": "the kept units are not rescaled (the lecture notes' dropout): use your inverted dropout_forward",
    "keep_probability": "p is used as the KEEP probability (the lecture notes' rand < p); p is the probability to DROP",
    "first_only": "only the first hidden layer is dropped; apply dropout after each hidden layer",
}


def dropout_net_forward_hidden():
    f = "dropout_net_forward"
    variants = {m: _net_variant(k) for k, m in NET_MESSAGES.items()}
    expects = []
    for key, sizes, seed, p in (("square", (6, 6, 5, 3), 51, 0.5), ("wide", (4, 9, 7, 2), 52, 0.2)):
        params = seeded.params(sizes, seed, scale=0.7)
        X = seeded.array((8, sizes[0]), seed + 1)
        what = f"a random network of layer sizes {sizes}, p = {p}"
        for mode, train in (("train", True), ("eval", False)):
            def run(fn):
                try:
                    with np.errstate(all="ignore"):
                        return fn(X, params, p, train, np.random.default_rng(seed + 100) if train else None)
                except (ValueError, TypeError):  # a mistake that cannot run on these shapes
                    return np.full(1, np.nan)
            wrong = {m: run(v) for m, v in variants.items()}
            expects.append(Expect(f"{key}/{mode}", run(R.dropout_net_forward),
                                  f"{what}, in {'training' if train else 'evaluation'}", f,
                                  mistakes={m: w for m, w in wrong.items() if np.all(np.isfinite(w))}, **TOL))
    return expects


# ---------------------------------------------------------------- batch normalization

def _bn_variant(kind):
    def forward(x, gamma, beta, bn_param):
        mode = bn_param.get("mode", "train")
        eps, momentum = bn_param.get("eps", 1e-5), bn_param.get("momentum", 0.9)
        D = x.shape[1]
        rm = bn_param.get("running_mean", np.zeros(D))
        rv = bn_param.get("running_var", np.zeros(D) if kind == "var_starts_at_zero" else np.ones(D))
        if mode == "train" or kind == "batch_stats_in_test":
            axis = 1 if kind == "rows" else 0
            mean = x.mean(axis=axis, keepdims=True)
            var = x.var(axis=axis, ddof=1 if kind == "unbiased" else 0, keepdims=True)
            stored_mean = x.mean(axis=0)
            stored_var = x.var(axis=0, ddof=1 if kind in ("unbiased", "unbiased_running") else 0)
            w_old, w_new = (1 - momentum, momentum) if kind == "swapped_momentum" else (momentum, 1 - momentum)
            if mode == "train":
                bn_param["running_mean"] = w_old * rm + w_new * stored_mean
                bn_param["running_var"] = w_old * rv + w_new * stored_var
        else:
            mean, var = rm, rv
            if kind == "updates_in_test":
                bn_param["running_mean"] = momentum * rm + (1 - momentum) * x.mean(axis=0)
                bn_param["running_var"] = momentum * rv + (1 - momentum) * x.var(axis=0)
        std = np.sqrt(var) + eps if kind == "eps_outside" else np.sqrt(var + eps)
        return gamma * (x - mean) / std + beta, None
    return forward


BN_MESSAGES = {
    "eps_outside": "eps is added outside the square root; it goes inside: sqrt(var + eps)",
    "unbiased": "the batch variance divides by N - 1; batch normalization divides by N (x.var(axis=0))",
    "unbiased_running": "the running variance is updated with the unbiased variance (torch's choice); "
                        "this course keeps the biased batch variance, the one used to normalise",
    "swapped_momentum": "the momentum weights are swapped (torch's convention, where momentum weighs the new "
                        "batch); here running = momentum * running + (1 - momentum) * batch",
    "batch_stats_in_test": "test mode normalises with the batch statistics; it must use the running averages",
    "updates_in_test": "test mode updates the running statistics; only training does",
    "var_starts_at_zero": "a missing running_var starts at zeros; it starts at ones (as in torch)",
    "rows": "each example (row) is normalised over its features; batch normalization normalises each feature "
            "(column) over the batch: mean and var over axis 0",
}
BN_CASES = [("batches", (16, 5), 61, 0.9, 1e-5), ("momentum", (7, 3), 62, 0.5, 1e-5), ("large_eps", (10, 4), 63, 0.9, 0.5)]


def _bn_run(forward, key, shape, seed, momentum, eps):
    """What the hidden cell records for one case, computed with ``forward``."""
    N, D = shape
    gamma, beta = seeded.array(D, seed + 1, scale=0.5, shift=1.0), seeded.array(D, seed + 2)
    bn_param = {"mode": "train", "momentum": momentum, "eps": eps, "running_mean": np.zeros(D), "running_var": np.ones(D)}
    out = {}
    for batch in range(3):
        x = seeded.array(shape, seed + 10 * batch, scale=3.0, shift=2.0)
        out[f"out{batch}"] = forward(x, gamma, beta, bn_param)[0]
    out["x_after"] = x
    out["col_mean"] = out["out2"].mean(axis=0)
    out["col_var"] = out["out2"].var(axis=0)
    out["running_mean"] = bn_param.get("running_mean")
    out["running_var"] = bn_param.get("running_var")
    bn_param["mode"] = "test"
    out["test"] = forward(seeded.array((4, D), seed + 5), gamma, beta, bn_param)[0]
    out["test_running_mean"] = bn_param.get("running_mean")
    out["test_running_var"] = bn_param.get("running_var")
    return out


def batchnorm_forward_hidden():
    f = "batchnorm_forward"
    variants = {m: _bn_variant(k) for k, m in BN_MESSAGES.items()}
    expects = []
    for key, shape, seed, momentum, eps in BN_CASES:
        what = f"3 random batches of shape {shape} (momentum {momentum}, eps {eps})"
        want = _bn_run(R.batchnorm_forward, key, shape, seed, momentum, eps)
        wrong = {m: _bn_run(v, key, shape, seed, momentum, eps) for m, v in variants.items()}
        for name, value in want.items():
            if name == "x_after":
                expects.append(Expect(f"{key}/x_after", value, what, f, unchanged=True))
                continue
            label = {"col_mean": "the column means of the output (must be beta)",
                     "col_var": "the column variances of the output (gamma**2 var / (var + eps))",
                     "test": "test mode after those batches"}.get(name, what)
            function = f"{f} (bn_param['{name.replace('test_', '')}'])" if "running" in name else f
            mistakes = {m: w[name] for m, w in wrong.items() if w[name] is not None}
            expects.append(Expect(f"{key}/{name}", value, label, function,
                                  mistakes=mistakes, **BN_TOL))
    x = seeded.array((9, 4), 64, scale=2.0, shift=-1.0)
    what = "a batch with bn_param = {'mode': 'train'} alone (the defaults)"

    def defaults(forward):
        bn_param = {"mode": "train"}
        out = forward(x, np.ones(4), np.zeros(4), bn_param)[0]
        return {"out": out, "running_mean": bn_param.get("running_mean"), "running_var": bn_param.get("running_var")}

    want = defaults(R.batchnorm_forward)
    wrong = {m: defaults(v) for m, v in variants.items()}
    for name, value in want.items():
        function = f"{f} (bn_param['{name}'])" if "running" in name else f
        expects.append(Expect(f"defaults/{name}", value, what, function,
                              mistakes={m: w[name] for m, w in wrong.items() if w[name] is not None}, **BN_TOL))
    return expects


def _bn_backward_variant(kind):
    def backward(dout, x, gamma, eps):
        N = x.shape[0]
        mean, var = x.mean(axis=0), x.var(axis=0)
        std = np.sqrt(var + eps)
        x_hat = (x - mean) / std
        g = dout * gamma
        dbeta = dout.mean(axis=0) if kind == "dbeta_mean" else dout.sum(axis=0)
        dgamma = np.sum(dout * (x if kind == "dgamma_x" else x_hat), axis=0)
        if kind == "dgamma_no_xhat":
            dgamma = dout.sum(axis=0)
        if kind == "constant_stats":
            dx = g / std
        elif kind == "no_variance_path":
            dx = (g - g.mean(axis=0)) / std
        elif kind == "no_gamma":
            dx = (dout - dout.mean(axis=0) - x_hat * np.mean(dout * x_hat, axis=0)) / std
        else:
            dx = (g - g.mean(axis=0) - x_hat * np.mean(g * x_hat, axis=0)) / std
        assert dx.shape[0] == N
        return dx, dgamma, dbeta
    return backward


BN_BACKWARD_MESSAGES = {
    "constant_stats": "dx treats the batch mean and variance as constants (dout * gamma / std); they depend "
                      "on x: subtract the mean of g and x_hat times the mean of g * x_hat",
    "no_variance_path": "dx misses the path through the batch variance: subtract x_hat * mean(g * x_hat) too",
    "no_gamma": "dx forgets gamma: the upstream gradient of x_hat is dout * gamma",
    "dgamma_x": "dgamma uses x; it is the sum over the batch of dout * x_hat",
    "dgamma_no_xhat": "dgamma is the sum of dout * x_hat, not of dout alone",
    "dbeta_mean": "dbeta is the SUM of dout over the batch, not its mean",
}


def batchnorm_backward_hidden():
    f = "batchnorm_backward"
    variants = {m: _bn_backward_variant(k) for k, m in BN_BACKWARD_MESSAGES.items()}
    expects = []
    for key, shape, seed, eps in (("tall", (12, 3), 71, 1e-5), ("wide", (4, 7), 72, 1e-5), ("large_eps", (6, 5), 73, 0.5)):
        N, D = shape
        x = seeded.array(shape, seed, scale=2.0, shift=1.0)
        gamma, beta = seeded.array(D, seed + 1, scale=0.5, shift=1.0), seeded.array(D, seed + 2)
        dout = seeded.array(shape, seed + 3)
        _, cache = R.batchnorm_forward(x, gamma, beta, {"mode": "train", "eps": eps})
        want = R.batchnorm_backward(dout, cache)
        wrong = {m: v(dout, x, gamma, eps) for m, v in variants.items()}
        what = f"a random batch of shape {shape} (eps {eps})"
        for i, name in enumerate(("dx", "dgamma", "dbeta")):
            expects.append(Expect(f"{key}/{name}", want[i], what, f"{f} ({name})",
                                  mistakes={m: w[i] for m, w in wrong.items()}, **BN_TOL))
    expects.append(_flag("gradcheck", "a gradient check of dx against your batchnorm_forward (6x3)", f,
                         "dx does not match a numerical gradient of your batchnorm_forward"))
    return expects


# ---------------------------------------------------------------- moving average

def _ema_variant(kind):
    def ema(avg, params, decay=0.995):
        if kind == "default_099":
            decay = 0.99 if decay == 0.995 else decay
        if avg is None:
            if kind == "starts_at_zero":
                avg = {n: np.zeros_like(v) for n, v in params.items()}
            elif kind == "alias":
                return dict(params)
            else:
                return {n: np.array(v, dtype=float) for n, v in params.items()}
        if kind == "swapped":
            return {n: (1 - decay) * avg[n] + decay * v for n, v in params.items()}
        return {n: decay * avg[n] + (1 - decay) * v for n, v in params.items()}
    return ema


EMA_MESSAGES = {
    "swapped": "the weights are swapped: avg = decay * avg + (1 - decay) * params, the old average keeps "
               "the weight decay",
    "starts_at_zero": "the average starts at zero; the first call (avg=None) starts it at a copy of params",
    "alias": "the first call returns the caller's arrays, not a copy: changing params changed the average",
    "default_099": "the default decay is 0.995",
}


def _ema_run(ema, decay):
    avg, first = None, None
    for step in range(30):
        params = seeded.params((3, 4, 2), 81 + step, scale=1.0 + 0.1 * step)
        avg = ema(avg, params) if decay is None else ema(avg, params, decay=decay)
        if step == 0:
            params["W1"] += 1.0
            first = avg["W1"].copy()
    return first, avg


def ema_update_hidden():
    f = "ema_update"
    variants = {m: _ema_variant(k) for k, m in EMA_MESSAGES.items()}
    expects = []
    for key, decay in (("default", None), ("fast", 0.8)):
        what = f"30 updates of random parameters ({'the default decay' if decay is None else f'decay {decay}'})"
        first, avg = _ema_run(R.ema_update, decay)
        wrong = {m: _ema_run(v, decay) for m, v in variants.items()}
        expects.append(Expect(f"{key}/first", first, "the first call, avg=None", f,
                              mistakes={m: w[0] for m, w in wrong.items()}, **TOL))
        expects.append(_flag(f"{key}/avg_unchanged", "the average it was given", f,
                             "the average given was changed in place; return a new dict of new arrays"))
        for name in sorted(avg):
            expects.append(Expect(f"{key}/{name}", avg[name], what, f"{f} (avg['{name}'])",
                                  mistakes={m: w[1][name] for m, w in wrong.items()}, **TOL))
    return expects


# ---------------------------------------------------------------- early stopping

def _stop_variant(kind):
    def stop(val_losses, patience, min_delta=0.0):
        losses = list(val_losses)
        if kind == "global_argmin":
            _, stop_epoch = R.early_stopping(losses, patience, min_delta)
            return int(np.argmin(losses)), stop_epoch
        if kind == "never_stops":
            return int(np.argmin(losses)), len(losses) - 1
        best_epoch, best = 0, losses[0]
        for epoch in range(1, len(losses)):
            better = losses[epoch] <= best - min_delta if kind == "ties" else losses[epoch] < best - (
                0.0 if kind == "ignores_min_delta" else min_delta)
            if better:
                best_epoch, best = epoch, losses[epoch]
            elif epoch - best_epoch >= (patience + 1 if kind == "one_late" else patience):
                return best_epoch, epoch
        return best_epoch, len(losses) - 1
    return stop


STOP_MESSAGES = {
    "ties": "a tie counts as an improvement (<=); an epoch improves only when its loss is strictly lower "
            "than the best by more than min_delta",
    "one_late": "training stops one epoch late: stop at the first epoch e with e - best_epoch >= patience",
    "global_argmin": "the best epoch is taken over the whole curve, past the stop; early stopping only "
                     "knows the epochs up to the stop",
    "never_stops": "training never stops early: stop once patience epochs passed without improvement",
    "ignores_min_delta": "min_delta is ignored: an improvement must beat the best by more than min_delta",
}
STOP_CASES = [("p5", 60, 91, 5, 0.0), ("p1", 40, 92, 1, 0.0), ("p10", 80, 93, 10, 0.0), ("delta", 60, 94, 4, 0.02),
              ("long", 30, 95, 50, 0.0)]


def early_stopping_hidden():
    f = "early_stopping"
    variants = {m: _stop_variant(k) for k, m in STOP_MESSAGES.items()}
    expects = []

    def expect(key, curve, patience, min_delta, what):
        want = np.array(R.early_stopping(curve, patience, min_delta), dtype=float)
        wrong = {m: np.array(v(curve, patience, min_delta), dtype=float) for m, v in variants.items()}
        return Expect(key, want, what, f"{f} (best_epoch, stop_epoch)",
                      mistakes={m: w for m, w in wrong.items() if not np.array_equal(w, want)}, rtol=0, atol=0)

    for key, epochs, seed, patience, min_delta in STOP_CASES:
        curve = seeded.validation_curve(epochs, seed)
        expects.append(expect(key, curve, patience, min_delta,
                              f"a random validation curve of {epochs} epochs, patience {patience}, min_delta {min_delta}"))
    expects.append(expect("ties", [2.0, 1.0, 1.5, 1.0, 1.0, 1.2, 0.9], 3, 0.0, "a curve with ties, patience 3"))
    return expects


CHECKS = {
    "l2_penalty_hidden": lambda: _penalty_expects("l2_penalty"),
    "l1_penalty_hidden": lambda: _penalty_expects("l1_penalty"),
    "dropout_forward_hidden": dropout_forward_hidden,
    "dropout_backward_hidden": dropout_backward_hidden,
    "dropout_net_forward_hidden": dropout_net_forward_hidden,
    "batchnorm_forward_hidden": batchnorm_forward_hidden,
    "batchnorm_backward_hidden": batchnorm_backward_hidden,
    "ema_update_hidden": ema_update_hidden,
    "early_stopping_hidden": early_stopping_hidden,
}
