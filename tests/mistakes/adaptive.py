"""Realistic mistakes in assignment 03_adaptive, the lecture notes' errata among them."""
from tests.mistakes import Mistake

ADAM = "def adam(w, dw, state=None, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):\n"
ADAMW = "def adamw(w, dw, state=None, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):\n"
ADAM_BODY = '''
    g = dw + weight_decay * w
    state = state or {}
    t = state.get("t", 0) + 1
    m = beta1 * state.get("m", 0.0) + (1 - beta1) * g
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * g * g
'''

MISTAKES = [
    Mistake("adagrad_eps_inside", "adagrad", '''
def adagrad(w, dw, state=None, lr=1e-2, eps=1e-8, weight_decay=0.0):
    g = dw + weight_decay * w
    cache = (state or {}).get("cache", 0.0) + g * g
    return w - lr * g / np.sqrt(cache + eps), {"cache": cache}
''', "eps sits inside the square root"),
    Mistake("adagrad_no_sum", "adagrad", '''
def adagrad(w, dw, state=None, lr=1e-2, eps=1e-8, weight_decay=0.0):
    g = dw + weight_decay * w
    cache = g * g
    return w - lr * g / (np.sqrt(cache) + eps), {"cache": cache}
''', "must sum the squared gradients"),
    Mistake("adagrad_cache_in_place", "adagrad", '''
def adagrad(w, dw, state=None, lr=1e-2, eps=1e-8, weight_decay=0.0):
    g = dw + weight_decay * w
    if not state:
        state = {"cache": np.zeros_like(w)}
    cache = state["cache"]
    cache += g * g
    return w - lr * g / (np.sqrt(cache) + eps), {"cache": cache}
''', "changed its argument"),
    Mistake("rmsprop_plus_equals", "rmsprop", '''
def rmsprop(w, dw, state=None, lr=1e-2, decay_rate=0.99, eps=1e-8, weight_decay=0.0):
    g = dw + weight_decay * w
    cache = (state or {}).get("cache", 0.0)
    cache = cache + decay_rate * cache + (1 - decay_rate) * g * g
    return w - lr * g / (np.sqrt(cache) + eps), {"cache": cache}
''', "the lecture notes' bug"),
    Mistake("rmsprop_ignores_weight_decay", "rmsprop", '''
def rmsprop(w, dw, state=None, lr=1e-2, decay_rate=0.99, eps=1e-8, weight_decay=0.0):
    cache = decay_rate * (state or {}).get("cache", 0.0) + (1 - decay_rate) * dw * dw
    return w - lr * dw / (np.sqrt(cache) + eps), {"cache": cache}
''', "weight_decay is ignored"),
    Mistake("adadelta_eps_outside", "adadelta", '''
def adadelta(w, dw, state=None, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
    g = dw + weight_decay * w
    cache = rho * (state or {}).get("cache", 0.0) + (1 - rho) * g * g
    delta = (state or {}).get("delta", np.zeros_like(w))
    update = (np.sqrt(delta) + eps) / (np.sqrt(cache) + eps) * g
    delta = rho * delta + (1 - rho) * update * update
    return w - lr * update, {"cache": cache, "delta": delta}
''', "keeps eps inside both square roots"),
    Mistake("adadelta_delta_first", "adadelta", '''
def adadelta(w, dw, state=None, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
    g = dw + weight_decay * w
    cache = rho * (state or {}).get("cache", 0.0) + (1 - rho) * g * g
    delta = rho * (state or {}).get("delta", 0.0) + (1 - rho) * g * g
    update = np.sqrt(delta + eps) / np.sqrt(cache + eps) * g
    return w - lr * update, {"cache": cache, "delta": delta}
''', "delta is updated before the step"),
    Mistake("adadelta_ignores_lr", "adadelta", '''
def adadelta(w, dw, state=None, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
    g = dw + weight_decay * w
    cache = rho * (state or {}).get("cache", 0.0) + (1 - rho) * g * g
    delta = (state or {}).get("delta", np.zeros_like(w))
    update = np.sqrt(delta + eps) / np.sqrt(cache + eps) * g
    delta = rho * delta + (1 - rho) * update * update
    return w - update, {"cache": cache, "delta": delta}
''', "the learning rate is ignored"),
    Mistake("adam_no_bias_correction", "adam", ADAM + ADAM_BODY + '''
    return w - lr * m / (np.sqrt(v) + eps), {"m": m, "v": v, "t": t}
''', "bias correction missing", also=("adamw",)),
    Mistake("adam_beta_power", "adam", ADAM + ADAM_BODY + '''
    return w - lr * (m / beta1**t) / (np.sqrt(v / beta2**t) + eps), {"m": m, "v": v, "t": t}
''', "1 - beta**t", also=("adamw",)),
    Mistake("adam_beta1_plus", "adam", ADAM + '''
    g = dw + weight_decay * w
    state = state or {}
    t = state.get("t", 0) + 1
    m = beta1 + state.get("m", 0.0) + (1 - beta1) * g
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * g * g
    return w - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps), {"m": m, "v": v, "t": t}
''', "adds beta1", also=("adamw",)),
    Mistake("adam_eps_inside", "adam", ADAM + ADAM_BODY + '''
    return w - lr * (m / (1 - beta1**t)) / np.sqrt(v / (1 - beta2**t) + eps), {"m": m, "v": v, "t": t}
''', "eps sits inside the square root", also=("adamw",)),
    Mistake("adam_forgets_t", "adam", ADAM + '''
    g = dw + weight_decay * w
    state = state or {}
    m = beta1 * state.get("m", 0.0) + (1 - beta1) * g
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * g * g
    return w - lr * (m / (1 - beta1)) / (np.sqrt(v / (1 - beta2)) + eps), {"m": m, "v": v, "t": 1}
''', "state['t']", also=("adamw",)),
    Mistake("adam_decoupled_decay", "adam", ADAM + '''
    state = state or {}
    t = state.get("t", 0) + 1
    m = beta1 * state.get("m", 0.0) + (1 - beta1) * dw
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * dw * dw
    step = lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
    return w - step - lr * weight_decay * w, {"m": m, "v": v, "t": t}
''', "coupled/decoupled the wrong way round", also=("adamw",)),
    Mistake("adamw_coupled_decay", "adamw", ADAMW + '''
    return adam(w, dw, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay)
''', "coupled/decoupled the wrong way round"),
    Mistake("adamw_decays_updated_weights", "adamw", ADAMW + '''
    w_next, state_next = adam(w, dw, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    return w_next - lr * weight_decay * w_next, state_next
''', "the weights before the step"),
    Mistake("adamw_ignores_weight_decay", "adamw", ADAMW + '''
    return adam(w, dw, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
''', "weight_decay is ignored"),
]
