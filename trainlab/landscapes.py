"""Test functions with analytic gradients, in one and two dimensions.

A ``Curve`` is a function of one variable with its first and second derivatives; a
``Landscape`` is a function of a vector with its gradient (and, where it is cheap, its
Hessian). All of them are vectorised: a landscape evaluates ``w`` of shape ``(..., d)``
and returns shape ``(...)``, so a whole contour grid is one call.

Defined in chapter 1 (gradient descent).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np


@dataclass(frozen=True)
class Curve:
    """A function of one variable with analytic derivatives ``df`` and ``d2f``."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    d2f: Callable[[np.ndarray], np.ndarray]
    xlim: tuple[float, float]
    minima: tuple[float, ...] = ()

    def __call__(self, x):
        return self.f(np.asarray(x, dtype=float))

    def grad(self, x):
        """The derivative as a gradient: ``x`` of shape ``(1,)`` gives shape ``(1,)``."""
        return self.df(np.asarray(x, dtype=float))


@dataclass(frozen=True)
class Landscape:
    """A function of a vector ``w`` (last axis) with its gradient."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    xlim: tuple[float, float] = (-2.0, 2.0)
    ylim: tuple[float, float] = (-2.0, 2.0)
    minima: tuple[tuple[float, ...], ...] = ()
    hessian: Optional[Callable[[np.ndarray], np.ndarray]] = None
    start: tuple[float, ...] = ()
    extra: dict = field(default_factory=dict)

    def __call__(self, w):
        return self.f(np.asarray(w, dtype=float))


# ---------------------------------------------------------------- one dimension

def parabola(curvature: float = 1.0) -> Curve:
    """``f(x) = curvature / 2 * x**2``: every step size below ``2 / curvature`` converges."""
    a = float(curvature)
    return Curve(
        name=f"parabola (curvature {a:g})",
        f=lambda x: 0.5 * a * x**2,
        df=lambda x: a * x,
        d2f=lambda x: np.full_like(x, a, dtype=float),
        xlim=(-3.0, 3.0),
        minima=(0.0,),
    )


def double_well(tilt: float = 0.3) -> Curve:
    """``f(x) = x**4 / 4 - x**2 + tilt * x``: a local and a global minimum."""
    t = float(tilt)
    roots = np.roots([1.0, 0.0, -2.0, t])
    minima = tuple(sorted(float(r.real) for r in roots if abs(r.imag) < 1e-12 and 3 * r.real**2 - 2 > 0))
    return Curve(
        name="double well",
        f=lambda x: x**4 / 4 - x**2 + t * x,
        df=lambda x: x**3 - 2 * x + t,
        d2f=lambda x: 3 * x**2 - 2,
        xlim=(-2.3, 2.3),
        minima=minima,
    )


def wavy(amplitude: float = 0.6, frequency: float = 3.0) -> Curve:
    """``f(x) = x**2 / 2 + amplitude * cos(frequency * x)``: a bowl with ripples.

    Its curvature ``f''(x) = 1 - amplitude * frequency**2 * cos(frequency * x)`` is at most
    ``L = 1 + amplitude * frequency**2`` (6.4 with the defaults).
    """
    a, k = float(amplitude), float(frequency)
    return Curve(
        name="wavy bowl",
        f=lambda x: 0.5 * x**2 + a * np.cos(k * x),
        df=lambda x: x - a * k * np.sin(k * x),
        d2f=lambda x: 1 - a * k**2 * np.cos(k * x),
        xlim=(-3.0, 3.0),
    )


# ---------------------------------------------------------------- two dimensions

def _rotation(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])


def quadratic(condition_number: float = 10.0, angle: float = 0.0, smallest: float = 1.0) -> Landscape:
    """``f(w) = w^T A w / 2`` with eigenvalues ``smallest`` and ``smallest * condition_number``.

    The steep axis is ``w[1]`` when ``angle`` is 0; a positive angle (radians) turns the
    valley. Gradient descent on it converges for every step size below ``2 / L``, with
    ``L = smallest * condition_number``.
    """
    R = _rotation(angle)
    A = R @ np.diag([smallest, smallest * condition_number]) @ R.T
    return _quadratic_landscape(A, np.zeros(2), f"quadratic (condition number {condition_number:g})",
                                lim=3.0, start=(-2.5, 1.5))


def random_quadratic(dim: int, seed: int, condition_number: float = 10.0) -> Landscape:
    """``f(w) = w^T A w / 2 - b^T w`` with a random rotation, random ``b`` and ``cond(A)`` as given."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    eigenvalues = np.geomspace(1.0, condition_number, dim) if dim > 1 else np.array([1.0])
    A = Q @ np.diag(eigenvalues) @ Q.T
    A = (A + A.T) / 2
    b = rng.standard_normal(dim)
    return _quadratic_landscape(A, b, f"random quadratic (d={dim}, seed={seed})", lim=3.0, start=())


def _quadratic_landscape(A: np.ndarray, b: np.ndarray, name: str, lim: float, start) -> Landscape:
    A = np.array(A, dtype=float)
    b = np.array(b, dtype=float)
    minimum = np.linalg.solve(A, b)
    return Landscape(
        name=name,
        f=lambda w: 0.5 * np.einsum("...i,ij,...j->...", w, A, w) - w @ b,
        grad=lambda w: w @ A.T - b,
        xlim=(-lim, lim),
        ylim=(-lim, lim),
        minima=(tuple(minimum),),
        hessian=lambda w: A.copy(),
        start=start,
        extra={"A": A, "b": b},
    )


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Landscape:
    """``f(x, y) = (a - x)**2 + b (y - x**2)**2``: a curved, flat-bottomed valley to ``(a, a**2)``."""

    def f(w):
        x, y = w[..., 0], w[..., 1]
        return (a - x) ** 2 + b * (y - x**2) ** 2

    def grad(w):
        x, y = w[..., 0], w[..., 1]
        return np.stack([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)], axis=-1)

    def hessian(w):
        x, y = w[0], w[1]
        return np.array([[2 - 4 * b * (y - 3 * x**2), -4 * b * x], [-4 * b * x, 2 * b]])

    return Landscape("Rosenbrock", f, grad, xlim=(-2.0, 2.0), ylim=(-1.0, 3.0),
                     minima=((a, a * a),), hessian=hessian, start=(-1.5, 2.0))


def beale() -> Landscape:
    """Beale's function: flat plateaus and steep walls, minimum at ``(3, 0.5)``."""
    c = np.array([1.5, 2.25, 2.625])

    def f(w):
        x, y = w[..., 0, None], w[..., 1, None]
        return np.sum((c - x + x * y ** np.arange(1, 4)) ** 2, axis=-1)

    def grad(w):
        x, y = w[..., 0, None], w[..., 1, None]
        k = np.arange(1, 4)
        r = c - x + x * y**k
        dx = np.sum(2 * r * (y**k - 1), axis=-1)
        dy = np.sum(2 * r * x * k * y ** (k - 1), axis=-1)
        return np.stack([dx, dy], axis=-1)

    return Landscape("Beale", f, grad, xlim=(-4.5, 4.5), ylim=(-4.5, 4.5),
                     minima=((3.0, 0.5),), start=(1.0, 1.5))


def saddle() -> Landscape:
    """``f(x, y) = x**2 / 2 + y**4 / 4 - y**2 / 2``: a saddle at the origin between two minima ``(0, ±1)``."""

    def f(w):
        x, y = w[..., 0], w[..., 1]
        return 0.5 * x**2 + 0.25 * y**4 - 0.5 * y**2

    def grad(w):
        x, y = w[..., 0], w[..., 1]
        return np.stack([x, y**3 - y], axis=-1)

    def hessian(w):
        return np.array([[1.0, 0.0], [0.0, 3 * w[1] ** 2 - 1]])

    return Landscape("saddle", f, grad, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0),
                     minima=((0.0, -1.0), (0.0, 1.0)), hessian=hessian, start=(1.8, 1e-3))
