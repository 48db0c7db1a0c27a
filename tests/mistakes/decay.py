"""Realistic mistakes in assignment 04_decay."""
from tests.mistakes import Mistake

_RETURN = "    return float(rates) if steps.ndim == 0 else rates\n"

MISTAKES = [
    Mistake("step_keras_off_by_one", "step_decay", '''
def step_decay(t, lr0, drop_every, factor=0.5):
    steps = np.asarray(t, dtype=float)
    rates = lr0 * factor ** np.floor((1 + steps) / drop_every)
''' + _RETURN, "Keras' floor((1 + t) / drop_every)"),
    Mistake("step_no_floor", "step_decay", '''
def step_decay(t, lr0, drop_every, factor=0.5):
    steps = np.asarray(t, dtype=float)
    rates = lr0 * factor ** (steps / drop_every)
''' + _RETURN, "there is no floor"),
    Mistake("step_scalar_as_array", "step_decay", '''
def step_decay(t, lr0, drop_every, factor=0.5):
    steps = np.atleast_1d(np.asarray(t, dtype=float))
    return lr0 * factor ** np.floor(steps / drop_every)
''', "must give a Python float"),
    Mistake("lin_compounds", "linear_decay", '''
def linear_decay(t, lr0, T):
    steps = np.asarray(t, dtype=float)
    rates = []
    for n in steps.ravel():
        lr = lr0
        for s in range(int(n) + 1):
            lr = lr * (1 - min(s, T) / T)
        rates.append(lr)
    rates = np.array(rates).reshape(steps.shape)
''' + _RETURN, "the decay compounds"),
    Mistake("lin_negative_past_T", "linear_decay", '''
def linear_decay(t, lr0, T):
    steps = np.asarray(t, dtype=float)
    rates = lr0 * (1 - steps / T)
''' + _RETURN, "past T the rate goes negative"),
    Mistake("cos_compounds", "cosine_decay", '''
def cosine_decay(t, lr0, T, lr_min=0.0):
    steps = np.asarray(t, dtype=float)
    rates = []
    for n in steps.ravel():
        lr = lr0
        for s in range(int(n) + 1):
            lr = 0.5 * lr * (1 + np.cos(np.pi * min(s, T) / T))
        rates.append(lr)
    rates = np.array(rates).reshape(steps.shape)
''' + _RETURN, "the decay compounds", also=("warmup_cosine",)),
    Mistake("cos_torch_past_T", "cosine_decay", '''
def cosine_decay(t, lr0, T, lr_min=0.0):
    steps = np.asarray(t, dtype=float)
    rates = lr_min + 0.5 * (lr0 - lr_min) * (1 + np.cos(np.pi * steps / T))
''' + _RETURN, "climbs back up the cosine", also=("warmup_cosine",)),
    Mistake("cos_ignores_lr_min", "cosine_decay", '''
def cosine_decay(t, lr0, T, lr_min=0.0):
    steps = np.asarray(t, dtype=float)
    rates = 0.5 * lr0 * (1 + np.cos(np.pi * np.minimum(steps, T) / T))
''' + _RETURN, "lr_min is ignored", also=("warmup_cosine",)),
    Mistake("cos_lr_min_added", "cosine_decay", '''
def cosine_decay(t, lr0, T, lr_min=0.0):
    steps = np.asarray(t, dtype=float)
    rates = lr_min + 0.5 * lr0 * (1 + np.cos(np.pi * np.minimum(steps, T) / T))
''' + _RETURN, "lr_min is added to the full cosine", also=("warmup_cosine",)),
    Mistake("warm_starts_at_zero", "warmup_cosine", '''
def warmup_cosine(t, lr0, warmup, T, lr_min=0.0):
    steps = np.asarray(t, dtype=float)
    after = cosine_decay(np.maximum(steps - warmup, 0.0), lr0, T - warmup, lr_min)
    rates = np.where(steps < warmup, lr0 * steps / warmup, after)
''' + _RETURN, "the warm-up starts at 0"),
    Mistake("warm_unshifted_cosine", "warmup_cosine", '''
def warmup_cosine(t, lr0, warmup, T, lr_min=0.0):
    steps = np.asarray(t, dtype=float)
    rates = np.where(steps < warmup, lr0 * (steps + 1) / warmup, cosine_decay(steps, lr0, T, lr_min))
''' + _RETURN, "not shifted by the warm-up"),
    Mistake("warm_cosine_over_T", "warmup_cosine", '''
def warmup_cosine(t, lr0, warmup, T, lr_min=0.0):
    steps = np.asarray(t, dtype=float)
    after = cosine_decay(np.maximum(steps - warmup, 0.0), lr0, T, lr_min)
    rates = np.where(steps < warmup, lr0 * (steps + 1) / warmup, after)
''' + _RETURN, "lasts T - warmup"),
    Mistake("warm_ends_late", "warmup_cosine", '''
def warmup_cosine(t, lr0, warmup, T, lr_min=0.0):
    steps = np.asarray(t, dtype=float)
    after = cosine_decay(np.maximum(steps - warmup, 0.0), lr0, T - warmup, lr_min)
    rates = np.where(steps <= warmup, lr0 * (steps + 1) / warmup, after)
''' + _RETURN, "ends one step late"),
    Mistake("inv_time_compounds", "inverse_time_decay", '''
def inverse_time_decay(t, lr0, k):
    steps = np.asarray(t, dtype=float)
    rates = []
    for n in steps.ravel():
        lr = lr0
        for s in range(int(n) + 1):
            lr = lr / (1 + k * s)
        rates.append(lr)
    rates = np.array(rates).reshape(steps.shape)
''' + _RETURN, "the decay compounds"),
    Mistake("inv_time_k_as_time_scale", "inverse_time_decay", '''
def inverse_time_decay(t, lr0, k):
    steps = np.asarray(t, dtype=float)
    rates = lr0 / (1 + steps / k)
''' + _RETURN, "k is used as a time scale"),
    Mistake("inv_sqrt_no_one", "inverse_sqrt_decay", '''
def inverse_sqrt_decay(t, lr0, k=1.0):
    steps = np.asarray(t, dtype=float)
    with np.errstate(divide="ignore"):
        rates = lr0 / np.sqrt(k * steps)
''' + _RETURN, "the 1 is missing"),
    Mistake("inv_sqrt_root_of_kt_only", "inverse_sqrt_decay", '''
def inverse_sqrt_decay(t, lr0, k=1.0):
    steps = np.asarray(t, dtype=float)
    rates = lr0 / (1 + np.sqrt(k * steps))
''' + _RETURN, "the square root covers only k t"),
    Mistake("descend_one_step_ahead", "descend_with_schedule", '''
def descend_with_schedule(grad, w0, schedule, num_steps):
    w = np.array(w0, dtype=float)
    path, rates = [w.copy()], []
    for t in range(1, num_steps + 1):
        lr = schedule(t)
        w = w - lr * grad(w)
        path.append(w.copy())
        rates.append(lr)
    return np.array(path), np.array(rates)
''', "schedule(t + 1)"),
    Mistake("descend_rate_fixed_once", "descend_with_schedule", '''
def descend_with_schedule(grad, w0, schedule, num_steps):
    lr = schedule(0)
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for t in range(num_steps):
        w = w - lr * grad(w)
        path.append(w.copy())
    return np.array(path), np.full(num_steps, lr)
''', "the rate never changes"),
    Mistake("descend_updates_w0_in_place", "descend_with_schedule", '''
def descend_with_schedule(grad, w0, schedule, num_steps):
    w = w0
    path, rates = [w.copy()], []
    for t in range(num_steps):
        lr = schedule(t)
        w -= lr * grad(w)
        path.append(w.copy())
        rates.append(lr)
    return np.array(path), np.array(rates)
''', "changed its argument in place"),
    Mistake("descend_path_without_w0", "descend_with_schedule", '''
def descend_with_schedule(grad, w0, schedule, num_steps):
    w = np.array(w0, dtype=float)
    path, rates = [], []
    for t in range(num_steps):
        lr = schedule(t)
        w = w - lr * grad(w)
        path.append(w.copy())
        rates.append(lr)
    return np.array(path), np.array(rates)
''', "the path leaves out w0"),
]
