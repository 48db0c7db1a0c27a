"""Realistic mistakes in assignment 02_momentum."""
from tests.mistakes import Mistake


def _momentum(body: str, name: str = "sgd_momentum") -> str:
    return f"def {name}(w, dw, state=None, lr=1e-2, momentum=0.9, weight_decay=0.0):\n" + body


MISTAKES = [
    Mistake("mom_torch_convention", "sgd_momentum", _momentum('''
    v = state["velocity"] if state else np.zeros_like(w)
    v = momentum * v + dw + weight_decay * w
    return w - lr * v, {"velocity": v}
'''), "torch's convention"),
    Mistake("mom_wrong_sign", "sgd_momentum", _momentum('''
    v = state["velocity"] if state else np.zeros_like(w)
    v = momentum * v + lr * (dw + weight_decay * w)
    return w - v, {"velocity": v}
'''), "wrong sign"),
    Mistake("mom_average", "sgd_momentum", _momentum('''
    v = state["velocity"] if state else np.zeros_like(w)
    v = momentum * v + (1 - momentum) * (dw + weight_decay * w)
    return w - lr * v, {"velocity": v}
'''), "(1 - momentum) average"),
    Mistake("mom_forgets_velocity", "sgd_momentum", _momentum('''
    v = momentum * np.zeros_like(w) - lr * (dw + weight_decay * w)
    return w + v, {"velocity": v}
'''), "not carried from one call to the next"),
    Mistake("mom_updates_state_in_place", "sgd_momentum", _momentum('''
    if not state:
        state = {"velocity": np.zeros_like(w)}
    v = state["velocity"]
    v *= momentum
    v -= lr * (dw + weight_decay * w)
    return w + v, {"velocity": v}
'''), "changed its argument"),
    Mistake("mom_updates_w_in_place", "sgd_momentum", _momentum('''
    v = state["velocity"] if state else np.zeros_like(w)
    v = momentum * v - lr * (dw + weight_decay * w)
    w += v
    return w, {"velocity": v}
'''), "changes w in place"),
    Mistake("mom_ignores_weight_decay", "sgd_momentum", _momentum('''
    v = state["velocity"] if state else np.zeros_like(w)
    v = momentum * v - lr * dw
    return w + v, {"velocity": v}
'''), "weight_decay is ignored"),
    Mistake("mom_wrong_default", "sgd_momentum", '''
def sgd_momentum(w, dw, state=None, lr=1e-2, momentum=0.5, weight_decay=0.0):
    v = state["velocity"] if state else np.zeros_like(w)
    v = momentum * v - lr * (dw + weight_decay * w)
    return w + v, {"velocity": v}
''', "the default lr and momentum"),
    Mistake("nag_plain_momentum", "nesterov", _momentum('''
    v = state["velocity"] if state else np.zeros_like(w)
    v = momentum * v - lr * (dw + weight_decay * w)
    return w + v, {"velocity": v}
''', "nesterov"), "this is plain momentum"),
    Mistake("nag_previous_velocity_sign", "nesterov", _momentum('''
    v_prev = state["velocity"] if state else np.zeros_like(w)
    v = momentum * v_prev - lr * (dw + weight_decay * w)
    return w + momentum * v_prev + (1 + momentum) * v, {"velocity": v}
''', "nesterov"), "previous velocity enters with the wrong sign"),
    Mistake("nag_stores_lookahead", "nesterov", _momentum('''
    v_prev = state["velocity"] if state else np.zeros_like(w)
    v = momentum * v_prev - lr * (dw + weight_decay * w)
    return w - momentum * v_prev + (1 + momentum) * v, {"velocity": w + momentum * v}
''', "nesterov"), "state['velocity']"),
]
