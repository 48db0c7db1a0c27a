"""Realistic mistakes in assignment 05_regularization, the lecture notes' dropout among them."""
from tests.mistakes import Mistake

L2 = "def l2_penalty(params, reg):\n"
L1 = "def l1_penalty(params, reg):\n"
DROP = "def dropout_forward(x, p, train, rng):\n"
NET = "def dropout_net_forward(X, params, p, train, rng):\n"
BN = "def batchnorm_forward(x, gamma, beta, bn_param):\n"
BN_HEAD = '''
    mode = bn_param["mode"]
    eps, momentum = bn_param.get("eps", 1e-5), bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.ones(D))
'''
BN_TAIL = '''
    std = np.sqrt(var + eps)
    x_hat = (x - mean) / std
    return gamma * x_hat + beta, (x_hat, gamma, std)
'''
BNB = "def batchnorm_backward(dout, cache):\n    x_hat, gamma, std = cache\n"
EMA = "def ema_update(avg, params, decay=0.995):\n"
STOP = "def early_stopping(val_losses, patience, min_delta=0.0):\n"
DROPOUT_USERS = ("dropout_backward", "dropout_net_forward")

MISTAKES = [
    # ------------------------------------------------ penalties
    Mistake("l2_penalises_biases", "l2_penalty", L2 + '''
    loss = sum(0.5 * reg * np.sum(v * v) for v in params.values())
    return float(loss), {name: reg * v for name, v in params.items()}
''', "the biases are penalised too"),
    Mistake("l2_no_half", "l2_penalty", L2 + '''
    loss, grads = 0.0, {}
    for name, value in params.items():
        grads[name] = reg * value if name.startswith("W") else np.zeros_like(value)
        if name.startswith("W"):
            loss += reg * np.sum(value ** 2)
    return float(loss), grads
''', "the loss lacks the 1/2"),
    Mistake("l2_double_gradient", "l2_penalty", L2 + '''
    loss, grads = 0.0, {}
    for name, value in params.items():
        grads[name] = 2 * reg * value if name.startswith("W") else np.zeros_like(value)
        if name.startswith("W"):
            loss += 0.5 * reg * np.sum(value ** 2)
    return float(loss), grads
''', "twice too large"),
    Mistake("l2_decays_in_place", "l2_penalty", L2 + '''
    loss, grads = 0.0, {}
    for name, value in params.items():
        if name.startswith("W"):
            loss += 0.5 * reg * np.sum(value ** 2)
            value *= reg
            grads[name] = value
        else:
            grads[name] = np.zeros_like(value)
    return float(loss), grads
''', "changed its input in place"),
    Mistake("l1_penalises_biases", "l1_penalty", L1 + '''
    loss = sum(reg * np.sum(np.abs(v)) for v in params.values())
    return float(loss), {name: reg * np.sign(v) for name, v in params.items()}
''', "the biases are penalised too"),
    Mistake("l1_with_l2_gradient", "l1_penalty", L1 + '''
    loss, grads = 0.0, {}
    for name, value in params.items():
        grads[name] = reg * value if name.startswith("W") else np.zeros_like(value)
        if name.startswith("W"):
            loss += reg * np.sum(np.abs(value))
    return float(loss), grads
''', "the gradient of reg * |W| is reg * sign(W)"),
    # ------------------------------------------------ dropout
    Mistake("dropout_notes_keep_probability", "dropout_forward", DROP + '''
    if not train:
        return x.copy(), np.ones_like(x)
    mask = rng.random(x.shape) < p
    return x * mask, mask
''', "the lecture notes' dropout", also=DROPOUT_USERS),
    Mistake("dropout_no_rescale", "dropout_forward", DROP + '''
    if not train:
        return x.copy(), np.ones_like(x)
    mask = rng.random(x.shape) >= p
    return x * mask, mask
''', "not rescaled", also=DROPOUT_USERS),
    Mistake("dropout_classic_test_time", "dropout_forward", DROP + '''
    if not train:
        return x * (1 - p), np.full(x.shape, 1 - p)
    mask = rng.random(x.shape) >= p
    return x * mask, mask
''', "classic dropout's test time", also=DROPOUT_USERS),
    Mistake("dropout_in_place", "dropout_forward", DROP + '''
    if not train:
        return x, np.ones_like(x)
    scale = (rng.random(x.shape) >= p) / (1.0 - p)
    x *= scale
    return x, scale
''', "changed its argument in place", also=DROPOUT_USERS),
    Mistake("dropout_draws_in_eval", "dropout_forward", DROP + '''
    scale = (rng.random(x.shape) >= p) / (1.0 - p) if rng is not None else np.ones_like(x)
    if not train:
        return x.copy(), np.ones_like(x)
    return x * scale, scale
''', "must not use rng", also=DROPOUT_USERS),
    Mistake("dropout_backward_forgets_scale", "dropout_backward", '''
def dropout_backward(dout, cache):
    return dout * (cache > 0)
''', "misses the scale"),
    Mistake("dropout_net_reuses_x", "dropout_net_forward", NET + '''
    H1, _ = dropout_forward(relu_forward(X @ params["W1"] + params["b1"])[0], p, train, rng)
    H2, _ = dropout_forward(relu_forward(X @ params["W2"] + params["b2"])[0], p, train, rng)
    return H2 @ params["W3"] + params["b3"]
''', "the second layer reads X"),
    Mistake("dropout_net_first_layer_only", "dropout_net_forward", NET + '''
    H1, _ = dropout_forward(relu_forward(X @ params["W1"] + params["b1"])[0], p, train, rng)
    H2 = relu_forward(H1 @ params["W2"] + params["b2"])[0]
    return H2 @ params["W3"] + params["b3"]
''', "only the first hidden layer is dropped"),
    Mistake("dropout_net_no_rescale", "dropout_net_forward", NET + '''
    H1 = relu_forward(X @ params["W1"] + params["b1"])[0]
    if train:
        H1 = H1 * (rng.random(H1.shape) >= p)
    H2 = relu_forward(H1 @ params["W2"] + params["b2"])[0]
    if train:
        H2 = H2 * (rng.random(H2.shape) >= p)
    return H2 @ params["W3"] + params["b3"]
''', "not rescaled"),
    # ------------------------------------------------ batch normalization
    Mistake("bn_eps_outside", "batchnorm_forward", BN + BN_HEAD + '''
    if mode == "train":
        mean, var = x.mean(axis=0), x.var(axis=0)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    else:
        mean, var = running_mean, running_var
    std = np.sqrt(var) + eps
    x_hat = (x - mean) / std
    return gamma * x_hat + beta, (x_hat, gamma, std)
''', "eps is added outside the square root", also=("batchnorm_backward",)),
    Mistake("bn_unbiased_variance", "batchnorm_forward", BN + BN_HEAD + '''
    if mode == "train":
        mean, var = x.mean(axis=0), x.var(axis=0, ddof=1)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    else:
        mean, var = running_mean, running_var
''' + BN_TAIL, "divides by N - 1", also=("batchnorm_backward",)),
    Mistake("bn_torch_running_var", "batchnorm_forward", BN + BN_HEAD + '''
    if mode == "train":
        mean, var = x.mean(axis=0), x.var(axis=0)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * x.var(axis=0, ddof=1)
    else:
        mean, var = running_mean, running_var
''' + BN_TAIL, "unbiased variance (torch's choice)"),
    Mistake("bn_torch_momentum", "batchnorm_forward", BN + BN_HEAD + '''
    if mode == "train":
        mean, var = x.mean(axis=0), x.var(axis=0)
        bn_param["running_mean"] = (1 - momentum) * running_mean + momentum * mean
        bn_param["running_var"] = (1 - momentum) * running_var + momentum * var
    else:
        mean, var = running_mean, running_var
''' + BN_TAIL, "the momentum weights are swapped"),
    Mistake("bn_batch_stats_in_test", "batchnorm_forward", BN + BN_HEAD + '''
    mean, var = x.mean(axis=0), x.var(axis=0)
    if mode == "train":
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
''' + BN_TAIL, "test mode normalises with the batch statistics"),
    Mistake("bn_updates_in_test", "batchnorm_forward", BN + BN_HEAD + '''
    bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * x.mean(axis=0)
    bn_param["running_var"] = momentum * running_var + (1 - momentum) * x.var(axis=0)
    if mode == "train":
        mean, var = x.mean(axis=0), x.var(axis=0)
    else:
        mean, var = running_mean, running_var
''' + BN_TAIL, "test mode updates the running statistics"),
    Mistake("bn_running_var_from_zero", "batchnorm_forward", BN + '''
    mode = bn_param["mode"]
    eps, momentum = bn_param.get("eps", 1e-5), bn_param.get("momentum", 0.9)
    D = x.shape[1]
    running_mean = bn_param.get("running_mean", np.zeros(D))
    running_var = bn_param.get("running_var", np.zeros(D))
    if mode == "train":
        mean, var = x.mean(axis=0), x.var(axis=0)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * mean
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * var
    else:
        mean, var = running_mean, running_var
''' + BN_TAIL, "a missing running_var starts at zeros"),
    Mistake("bn_normalises_rows", "batchnorm_forward", BN + BN_HEAD + '''
    if mode == "train":
        mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
        bn_param["running_mean"] = momentum * running_mean + (1 - momentum) * x.mean(axis=0)
        bn_param["running_var"] = momentum * running_var + (1 - momentum) * x.var(axis=0)
    else:
        mean, var = running_mean, running_var
''' + BN_TAIL, "each example (row) is normalised", also=("batchnorm_backward",)),
    Mistake("bn_forgets_running_stats", "batchnorm_forward", BN + BN_HEAD + '''
    if mode == "train":
        mean, var = x.mean(axis=0), x.var(axis=0)
    else:
        mean, var = running_mean, running_var
''' + BN_TAIL, "bn_param['running_mean']"),
    Mistake("bn_backward_constant_statistics", "batchnorm_backward", BNB + '''
    return dout * gamma / std, np.sum(dout * x_hat, axis=0), dout.sum(axis=0)
''', "treats the batch mean and variance as constants"),
    Mistake("bn_backward_no_variance_path", "batchnorm_backward", BNB + '''
    g = dout * gamma
    return (g - g.mean(axis=0)) / std, np.sum(dout * x_hat, axis=0), dout.sum(axis=0)
''', "misses the path through the batch variance"),
    Mistake("bn_backward_dbeta_mean", "batchnorm_backward", BNB + '''
    g = dout * gamma
    dx = (g - g.mean(axis=0) - x_hat * np.mean(g * x_hat, axis=0)) / std
    return dx, np.mean(dout * x_hat, axis=0) * len(dout), dout.mean(axis=0)
''', "dbeta is the SUM of dout"),
    # ------------------------------------------------ moving average
    Mistake("ema_swapped_weights", "ema_update", EMA + '''
    if avg is None:
        return {name: np.array(value, dtype=float) for name, value in params.items()}
    return {name: (1 - decay) * avg[name] + decay * value for name, value in params.items()}
''', "the weights are swapped"),
    Mistake("ema_starts_at_zero", "ema_update", EMA + '''
    if avg is None:
        avg = {name: np.zeros_like(value) for name, value in params.items()}
    return {name: decay * avg[name] + (1 - decay) * value for name, value in params.items()}
''', "the average starts at zero"),
    Mistake("ema_aliases_params", "ema_update", EMA + '''
    if avg is None:
        return dict(params)
    return {name: decay * avg[name] + (1 - decay) * value for name, value in params.items()}
''', "not a copy"),
    Mistake("ema_in_place", "ema_update", EMA + '''
    if avg is None:
        return {name: np.array(value, dtype=float) for name, value in params.items()}
    for name, value in params.items():
        avg[name] *= decay
        avg[name] += (1 - decay) * value
    return avg
''', "changed in place"),
    # ------------------------------------------------ early stopping
    Mistake("early_stopping_ties_improve", "early_stopping", STOP + '''
    best_epoch, best = 0, val_losses[0]
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] <= best - min_delta:
            best_epoch, best = epoch, val_losses[epoch]
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
''', "a tie counts as an improvement"),
    Mistake("early_stopping_one_late", "early_stopping", STOP + '''
    best_epoch, best = 0, val_losses[0]
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < best - min_delta:
            best_epoch, best = epoch, val_losses[epoch]
        elif epoch - best_epoch > patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
''', "one epoch late"),
    Mistake("early_stopping_global_best", "early_stopping", STOP + '''
    best, wait = val_losses[0], 0
    stop = len(val_losses) - 1
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < best - min_delta:
            best, wait = val_losses[epoch], 0
        else:
            wait += 1
            if wait >= patience:
                stop = epoch
                break
    return int(np.argmin(val_losses)), stop
''', "past the stop"),
]
