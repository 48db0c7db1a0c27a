"""Realistic mistakes in assignment 01_gradient_descent."""
from tests.mistakes import Mistake

MISTAKES = [
    Mistake("ng_forward_difference", "numerical_gradient", '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    fx = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - fx) / h
        x[i] = old
    return grad
''', "forward difference"),
    Mistake("ng_divides_by_h", "numerical_gradient", '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / h
    return grad
''', "twice too large"),
    Mistake("ng_does_not_restore_x", "numerical_gradient", '''
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
''', "changed its argument"),
    Mistake("ng_flattens", "numerical_gradient", '''
def numerical_gradient(f, x, h=1e-5):
    flat = np.array(x, dtype=float).ravel()
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        e = np.zeros(flat.size)
        e[i] = h
        grad[i] = (f((flat + e).reshape(np.shape(x))) - f((flat - e).reshape(np.shape(x)))) / (2 * h)
    return grad
''', "returned shape"),
    Mistake("ng_ignores_h", "numerical_gradient", '''
def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = 1e-5
        grad[i] = (f(x + e) - f(x - e)) / 2e-5
    return grad
''', "is h used?"),
    Mistake("gd_forgets_x0", "gradient_descent", '''
def gradient_descent(grad, x0, lr, num_steps):
    x = np.array(x0, dtype=float)
    path = []
    for _ in range(num_steps):
        x = x - lr * grad(x)
        path.append(x)
    return np.array(path)
''', "num_steps + 1 rows"),
    Mistake("gd_appends_same_array", "gradient_descent", '''
def gradient_descent(grad, x0, lr, num_steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(num_steps):
        x -= lr * grad(x)
        path.append(x)
    return np.array(path)
''', "append a copy"),
    Mistake("gd_updates_x0_in_place", "gradient_descent", '''
def gradient_descent(grad, x0, lr, num_steps):
    x = x0
    path = [x.copy()]
    for _ in range(num_steps):
        x -= lr * grad(x)
        path.append(x.copy())
    return np.array(path)
''', "changed its argument"),
    Mistake("gd_climbs", "gradient_descent", '''
def gradient_descent(grad, x0, lr, num_steps):
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for _ in range(num_steps):
        x = x + lr * grad(x)
        path.append(x.copy())
    return np.array(path)
''', "climbs"),
    Mistake("lr_one_over_L", "max_stable_lr", '''
def max_stable_lr(A):
    return float(1.0 / np.linalg.eigvalsh((A + A.T) / 2)[-1])
''', "that is 1/L"),
    Mistake("lr_ignores_symmetric_part", "max_stable_lr", '''
def max_stable_lr(A):
    return float(2.0 / np.max(np.linalg.eigvals(A).real))
''', "symmetric part"),
    Mistake("lr_uses_diagonal", "max_stable_lr", '''
def max_stable_lr(A):
    return float(2.0 / np.max(np.diag(A)))
''', "diagonal of A"),
    Mistake("armijo_without_c", "backtracking_line_search", '''
def backtracking_line_search(f, grad_f, x, lr0=1.0, shrink=0.5, c=1e-4, max_iter=50):
    g = grad_f(x)
    lr = lr0
    for _ in range(max_iter):
        if f(x - lr * g) <= f(x) - lr * np.sum(g * g):
            return lr
        lr *= shrink
    return lr
''', "ignores c"),
    Mistake("armijo_without_lr", "backtracking_line_search", '''
def backtracking_line_search(f, grad_f, x, lr0=1.0, shrink=0.5, c=1e-4, max_iter=50):
    g = grad_f(x)
    lr = lr0
    for _ in range(max_iter):
        if f(x - lr * g) <= f(x) - c * np.sum(g * g):
            return lr
        lr *= shrink
    return lr
''', "scale with lr"),
    Mistake("armijo_norm_not_squared", "backtracking_line_search", '''
def backtracking_line_search(f, grad_f, x, lr0=1.0, shrink=0.5, c=1e-4, max_iter=50):
    g = grad_f(x)
    lr = lr0
    for _ in range(max_iter):
        if f(x - lr * g) <= f(x) - c * lr * np.linalg.norm(g):
            return lr
        lr *= shrink
    return lr
''', "|g|^2"),
    Mistake("armijo_shrinks_first", "backtracking_line_search", '''
def backtracking_line_search(f, grad_f, x, lr0=1.0, shrink=0.5, c=1e-4, max_iter=50):
    g = grad_f(x)
    lr = lr0
    for _ in range(max_iter):
        lr *= shrink
        if f(x - lr * g) <= f(x) - c * lr * np.sum(g * g):
            return lr
    return lr
''', "shrinks before trying lr0"),
    Mistake("sgd_no_shuffle", "minibatch_sgd", '''
def minibatch_sgd(X, y, w0, lr, batch_size, num_epochs, rng):
    n = len(y)
    w = np.array(w0, dtype=float)
    loss = lambda w: float((X @ w - y) @ (X @ w - y)) / (2 * n)
    losses = [loss(w)]
    for _ in range(num_epochs):
        for start in range(0, n, batch_size):
            Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            w = w - lr * Xb.T @ (Xb @ w - yb) / len(yb)
        losses.append(loss(w))
    return w, np.array(losses)
''', "not shuffled"),
    Mistake("sgd_drops_last_batch", "minibatch_sgd", '''
def minibatch_sgd(X, y, w0, lr, batch_size, num_epochs, rng):
    n = len(y)
    w = np.array(w0, dtype=float)
    loss = lambda w: float((X @ w - y) @ (X @ w - y)) / (2 * n)
    losses = [loss(w)]
    for _ in range(num_epochs):
        perm = rng.permutation(n)
        for k in range(n // batch_size):
            batch = perm[k * batch_size:(k + 1) * batch_size]
            w = w - lr * X[batch].T @ (X[batch] @ w - y[batch]) / batch_size
        losses.append(loss(w))
    return w, np.array(losses)
''', "last, smaller batch is skipped"),
    Mistake("sgd_sums_gradient", "minibatch_sgd", '''
def minibatch_sgd(X, y, w0, lr, batch_size, num_epochs, rng):
    n = len(y)
    w = np.array(w0, dtype=float)
    loss = lambda w: float((X @ w - y) @ (X @ w - y)) / (2 * n)
    losses = [loss(w)]
    for _ in range(num_epochs):
        perm = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = perm[start:start + batch_size]
            w = w - lr * X[batch].T @ (X[batch] @ w - y[batch])
        losses.append(loss(w))
    return w, np.array(losses)
''', "sum over the batch"),
    Mistake("sgd_drops_one_half", "minibatch_sgd", '''
def minibatch_sgd(X, y, w0, lr, batch_size, num_epochs, rng):
    n = len(y)
    w = np.array(w0, dtype=float)
    loss = lambda w: float((X @ w - y) @ (X @ w - y)) / (2 * n)
    losses = [loss(w)]
    for _ in range(num_epochs):
        perm = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = perm[start:start + batch_size]
            w = w - lr * 2 * X[batch].T @ (X[batch] @ w - y[batch]) / len(batch)
        losses.append(loss(w))
    return w, np.array(losses)
''', "twice too large"),
    Mistake("sgd_last_batch_divided_by_batch_size", "minibatch_sgd", '''
def minibatch_sgd(X, y, w0, lr, batch_size, num_epochs, rng):
    n = len(y)
    w = np.array(w0, dtype=float)
    loss = lambda w: float((X @ w - y) @ (X @ w - y)) / (2 * n)
    losses = [loss(w)]
    for _ in range(num_epochs):
        perm = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = perm[start:start + batch_size]
            w = w - lr * X[batch].T @ (X[batch] @ w - y[batch]) / batch_size
        losses.append(loss(w))
    return w, np.array(losses)
''', "divide by its own size"),
    Mistake("sgd_losses_without_start", "minibatch_sgd", '''
def minibatch_sgd(X, y, w0, lr, batch_size, num_epochs, rng):
    n = len(y)
    w = np.array(w0, dtype=float)
    losses = []
    for _ in range(num_epochs):
        perm = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = perm[start:start + batch_size]
            w = w - lr * X[batch].T @ (X[batch] @ w - y[batch]) / len(batch)
        losses.append(float((X @ w - y) @ (X @ w - y)) / (2 * n))
    return w, np.array(losses)
''', "num_epochs + 1 entries"),
    Mistake("sgd_shuffles_caller_data", "minibatch_sgd", '''
def minibatch_sgd(X, y, w0, lr, batch_size, num_epochs, rng):
    n = len(y)
    w = np.array(w0, dtype=float)
    loss = lambda w: float((X @ w - y) @ (X @ w - y)) / (2 * n)
    losses = [loss(w)]
    for _ in range(num_epochs):
        perm = rng.permutation(n)
        X[:], y[:] = X[perm], y[perm]
        for start in range(0, n, batch_size):
            Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
            w = w - lr * Xb.T @ (Xb @ w - yb) / len(yb)
        losses.append(loss(w))
    return w, np.array(losses)
''', "changed its argument"),
]
