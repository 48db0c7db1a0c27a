"""Realistic mistakes in assignment 07_setup, the lecture notes' leaky slope and "Xavier" line among them."""
from tests.mistakes import Mistake

TANH = "def tanh(x):\n    return np.tanh(x)\n\n\ndef tanh_grad(x):\n"
RELU_F = "def relu(x):\n    return np.maximum(0.0, x)\n\n\n"
LEAKY_F = "def leaky_relu(x, slope=0.01):\n    return np.where(x > 0, x, slope * x)\n\n\n"
LEAKY_G = "def leaky_relu_grad(x, slope=0.01):\n    return np.where(x > 0, 1.0, slope)\n"
ELU_F = ("def elu(x, alpha=1.0):\n    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))\n\n\n")
ELU_G = "def elu_grad(x, alpha=1.0):\n    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0)))\n"
RANDOM = "def random_search(objective, bounds, budget, rng):\n"
GRID = "import itertools\n\n\ndef grid_search(objective, bounds, budget):\n"
GRID_TAIL = '''
    points = np.array(list(itertools.product(*axes)))
    return points, np.array([objective(p) for p in points])
'''
STATS = "def layer_stats(X, weights, activation):\n"

MISTAKES = [
    # ------------------------------------------------ activations
    Mistake("tanh_grad_of_the_input_as_output", "tanh", TANH + "    return 1 - x ** 2\n", "this is 1 - x**2"),
    Mistake("tanh_grad_without_square", "tanh", TANH + "    return 1 - np.tanh(x)\n", "the square is missing"),
    Mistake("relu_grad_one_at_zero", "relu", RELU_F + "def relu_grad(x):\n    return (x >= 0).astype(float)\n",
            "derivative at x = 0 is 0"),
    Mistake("relu_in_place", "relu", '''
def relu(x):
    x[x < 0] = 0.0
    return x


def relu_grad(x):
    return (x > 0).astype(float)
''', "changed its input in place"),
    Mistake("leaky_notes_slope", "leaky_relu", '''
def leaky_relu(x, slope=0.1):
    return np.maximum(slope * x, x)


def leaky_relu_grad(x, slope=0.1):
    return np.where(x > 0, 1.0, slope)
''', "the lecture notes' max(0.1 x, x)"),
    Mistake("leaky_grad_copied_from_relu", "leaky_relu", LEAKY_F + "def leaky_relu_grad(x, slope=0.01):\n"
            "    return (x > 0).astype(float)\n", "slope (not 0) where x < 0"),
    Mistake("leaky_grad_one_at_zero", "leaky_relu", LEAKY_F + "def leaky_relu_grad(x, slope=0.01):\n"
            "    return np.where(x >= 0, 1.0, slope)\n", "derivative at x = 0 is slope"),
    Mistake("elu_without_minus_one", "elu", "def elu(x, alpha=1.0):\n"
            "    return np.where(x > 0, x, alpha * np.exp(np.minimum(x, 0)))\n\n\n" + ELU_G, "the - 1 is missing"),
    Mistake("elu_grad_is_the_function", "elu", ELU_F + "def elu_grad(x, alpha=1.0):\n"
            "    return np.where(x > 0, 1.0, elu(x, alpha))\n", "this is the function itself"),
    Mistake("elu_grad_forgets_alpha", "elu", ELU_F + "def elu_grad(x, alpha=1.0):\n"
            "    return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0)))\n", "alpha is missing"),
    # ------------------------------------------------ maxout
    Mistake("maxout_sums_pieces", "maxout", '''
def maxout(X, W, b):
    return sum(X @ W[j] + b[j] for j in range(len(W)))
''', "this adds them up"),
    Mistake("maxout_without_bias", "maxout", '''
def maxout(X, W, b):
    return np.max([X @ Wj for Wj in W], axis=0)
''', "the bias is missing"),
    # ------------------------------------------------ initializers
    Mistake("xavier_notes_fan_in_only", "xavier_normal", '''
def xavier_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)
''', "the lecture notes' simplified form"),
    Mistake("xavier_variance_as_std", "xavier_normal", '''
def xavier_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * 2.0 / (fan_in + fan_out)
''', "without the square root"),
    Mistake("xavier_transposed_draw", "xavier_normal", '''
def xavier_normal(fan_in, fan_out, rng):
    return (rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / (fan_in + fan_out))).T
''', "draws (fan_out, fan_in) and transposes"),
    Mistake("xavier_uniform_normal_limit", "xavier_uniform", '''
def xavier_uniform(fan_in, fan_out, rng):
    limit = np.sqrt(2.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))
''', "the uniform limit is sqrt(6 / (fan_in + fan_out))"),
    Mistake("xavier_uniform_positive_half", "xavier_uniform", '''
def xavier_uniform(fan_in, fan_out, rng):
    return rng.uniform(0.0, np.sqrt(6.0 / (fan_in + fan_out)), size=(fan_in, fan_out))
''', "this draws rng.uniform(0, limit)"),
    Mistake("he_without_factor_two", "he_normal", '''
def he_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)
''', "the factor 2 that ReLU needs is missing"),
    Mistake("he_fan_out", "he_normal", '''
def he_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_out)
''', "this uses fan_out"),
    # ------------------------------------------------ the layer probe
    Mistake("stats_of_pre_activations", "layer_stats", STATS + '''
    means, stds, h = [], [], X
    for W in weights:
        z = h @ W
        means.append(z.mean())
        stds.append(z.std())
        h = activation(z)
    return np.array(means), np.array(stds)
''', "not of the pre-activations"),
    Mistake("stats_unchained", "layer_stats", STATS + '''
    outs = [activation(X @ W) for W in weights]
    return np.array([o.mean() for o in outs]), np.array([o.std() for o in outs])
''', "this feeds X to every layer"),
    Mistake("stats_include_the_input", "layer_stats", STATS + '''
    layers = [X]
    for W in weights:
        layers.append(activation(layers[-1] @ W))
    return np.array([h.mean() for h in layers]), np.array([h.std() for h in layers])
''', "the input X is not a layer"),
    Mistake("stats_sample_std", "layer_stats", STATS + '''
    means, stds, h = [], [], X
    for W in weights:
        h = activation(h @ W)
        means.append(np.mean(h))
        stds.append(np.std(h, ddof=1))
    return np.array(means), np.array(stds)
''', "default ddof=0"),
    # ------------------------------------------------ searches
    Mistake("random_linear_scale", "random_search", RANDOM + '''
    points = np.stack([rng.uniform(low, high, size=budget) for low, high in bounds], axis=1)
    return points, np.array([objective(p) for p in points])
''', "draw on a log scale"),
    Mistake("random_point_by_point", "random_search", RANDOM + '''
    lows = np.log10([low for low, _ in bounds])
    highs = np.log10([high for _, high in bounds])
    points = 10 ** rng.uniform(lows, highs, size=(budget, len(bounds)))
    return points, np.array([objective(p) for p in points])
''', "this draws point by point"),
    Mistake("random_returns_exponents", "random_search", RANDOM + '''
    u = np.stack([rng.uniform(np.log10(low), np.log10(high), size=budget) for low, high in bounds], axis=1)
    return u, np.array([objective(10 ** p) for p in u])
''', "not their exponents"),
    Mistake("grid_float_root", "grid_search", GRID + '''
    n = int(budget ** (1 / len(bounds)))
    axes = [np.logspace(np.log10(low), np.log10(high), n) for low, high in bounds]
''' + GRID_TAIL, "can fall one short"),
    Mistake("grid_rounded_root", "grid_search", GRID + '''
    n = round(budget ** (1 / len(bounds)))
    axes = [np.logspace(np.log10(low), np.log10(high), n) for low, high in bounds]
''' + GRID_TAIL, "must not exceed the budget"),
    Mistake("grid_linear_spacing", "grid_search", GRID + '''
    n = 1
    while (n + 1) ** len(bounds) <= budget:
        n += 1
    axes = [np.linspace(low, high, n) for low, high in bounds]
''' + GRID_TAIL, "this is np.linspace"),
    Mistake("grid_meshgrid_order", "grid_search", GRID + '''
    n = 1
    while (n + 1) ** len(bounds) <= budget:
        n += 1
    axes = [np.logspace(np.log10(low), np.log10(high), n) for low, high in bounds]
    points = np.stack([g.ravel() for g in np.meshgrid(*axes)], axis=1)
    return points, np.array([objective(p) for p in points])
''', "np.meshgrid's default indexing='xy'"),
]
