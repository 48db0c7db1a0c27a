"""Contours, trajectories and loss curves drawn the same way in every chapter.

Every function draws into an ``Axes`` it is given and returns the artist it made, so an
explorer can keep the artist and move it later (``set_data``) instead of drawing anew.

Defined in chapter 1 (gradient descent).
"""
from __future__ import annotations

import numpy as np

from .landscapes import Curve, Landscape


def contours(ax, landscape: Landscape, *, levels: int = 25, resolution: int = 200, cmap: str = "viridis"):
    """Filled log-spaced contours of a 2-D landscape, with its minima marked."""
    xs = np.linspace(*landscape.xlim, resolution)
    ys = np.linspace(*landscape.ylim, resolution)
    X, Y = np.meshgrid(xs, ys)
    Z = landscape.f(np.stack([X, Y], axis=-1))
    shifted = Z - Z.min() + 1e-3 * (np.ptp(Z) + 1e-12)
    lines = np.geomspace(shifted.min(), shifted.max(), levels)
    artist = ax.contourf(X, Y, np.log(shifted), levels=np.log(lines), cmap=cmap, alpha=0.85)
    ax.contour(X, Y, np.log(shifted), levels=np.log(lines), colors="white", linewidths=0.4, alpha=0.6)
    for m in landscape.minima:
        ax.plot(*m, marker="*", color="white", markeredgecolor="black", markersize=14, zorder=5)
    ax.set_xlim(landscape.xlim)
    ax.set_ylim(landscape.ylim)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title(landscape.name)
    return artist


def trajectory(ax, path, *, color: str = "tab:red", label: str | None = None, **style):
    """The points of a 2-D path joined by segments; returns the ``Line2D``.

    ``style`` overrides the defaults (``markersize=3, linewidth=1.2``) or adds any
    other ``Line2D`` property.
    """
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    style = {"markersize": 3, "linewidth": 1.2, **style}
    (line,) = ax.plot(path[:, 0], path[:, 1], "o-", color=color, label=label, **style)
    return line


def curve(ax, fn: Curve, *, resolution: int = 400, color: str = "black"):
    """The graph of a 1-D function over its ``xlim``; returns the ``Line2D``."""
    xs = np.linspace(*fn.xlim, resolution)
    (line,) = ax.plot(xs, fn.f(xs), color=color, linewidth=1.5)
    ax.set_xlim(fn.xlim)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$f(x)$")
    ax.set_title(fn.name)
    return line


def loss_curve(ax, losses, *, color: str = "tab:red", label: str | None = None, log: bool = True):
    """Loss against step, on a log scale by default; returns the ``Line2D``."""
    losses = np.asarray(losses, dtype=float)
    (line,) = ax.plot(np.arange(losses.size), losses, color=color, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    return line


def finite_or_nan(values) -> np.ndarray:
    """``values`` as floats, with infinities and overflow turned into NaN so plots skip them."""
    values = np.array(values, dtype=float)
    values[~np.isfinite(values)] = np.nan
    values[np.abs(values) > 1e12] = np.nan
    return values
