"""The initialization explorer: how depth, activation and weight scale shape each layer's activations.

A batch of standard-normal inputs goes through ``depth`` fully connected layers of equal
width, ``h <- activation(h @ (gain * W))``, with every ``W`` drawn by the chosen
initializer from one seeded generator (so only the controls change between moves). One
histogram per layer shows where that layer's activations lie; its title gives their
standard deviation. Too small a gain and the activations collapse to zero layer after
layer; too large and tanh and sigmoid saturate at their bounds; Xavier keeps tanh's spread
for many layers, He keeps ReLU's.

The activations and initializers are arguments (the book passes its own, an assignment the
learner's): ``activations`` maps names to elementwise functions ``f(x) -> array shaped like
x``; ``initializers`` maps names to ``init(fan_in, fan_out, rng) -> (fan_in, fan_out)``.
"standard normal" (``rng.standard_normal((fan_in, fan_out))``, the lecture notes' draw
before it is scaled) is always offered.

Defined in chapter 7 (setting up training).
"""
from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
import numpy as np

from .explorers import Explorer, animate, set_limits, set_title

MAX_DEPTH = 10
EDGES = np.linspace(-3.0, 3.0, 49)  # values outside are counted in the end bins
CENTRES = 0.5 * (EDGES[:-1] + EDGES[1:])
Y_MAX = 0.5


def standard_normal(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """``rng.standard_normal((fan_in, fan_out))``: unit variance, to be scaled by the gain."""
    return rng.standard_normal((fan_in, fan_out))


def layer_activations(activation: Callable, initializer: Callable, gain: float, depth: int, *,
                      width: int = 200, num_samples: int = 500, seed: int = 0, name: str = "activation",
                      init_name: str = "initializer") -> list[np.ndarray]:
    """The activations of each of ``depth`` layers for standard-normal inputs, checked for shape."""
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((num_samples, width))
    layers = []
    for _ in range(depth):
        W = np.asarray(initializer(width, width, rng), dtype=float)
        if W.shape != (width, width):
            raise ValueError(f"{init_name}({width}, {width}, rng) returned shape {W.shape}; "
                             f"expected (fan_in, fan_out) = ({width}, {width})")
        z = h @ (gain * W)
        h = np.asarray(activation(z), dtype=float)
        if h.shape != z.shape:
            raise ValueError(f"{name} returned shape {h.shape} for an input of shape {z.shape}; "
                             "expected an array of the same shape (an elementwise function)")
        layers.append(h)
    return layers


def histogram(h: np.ndarray) -> np.ndarray:
    """Share of the entries of ``h`` in each bin of ``EDGES`` (outside values in the end bins)."""
    counts, _ = np.histogram(np.clip(h, EDGES[0], EDGES[-1]), EDGES)
    return counts / max(h.size, 1)


def init_explorer(activations: dict, initializers: dict, *, activation: str | None = None,
                  initializer: str = "standard normal", gain: float = 0.01, depth: int = MAX_DEPTH) -> Explorer:
    """Drag the weight gain and the depth, pick an activation and an initializer; one histogram per layer."""
    if not activations:
        raise ValueError("activations must map at least one name to a function, got an empty dict")
    inits = {"standard normal": standard_normal, **dict(initializers)}
    activation = activation if activation in activations else ("tanh" if "tanh" in activations
                                                              else next(iter(activations)))
    initializer = initializer if initializer in inits else next(iter(inits))
    width = EDGES[1] - EDGES[0]

    def setup(fig):
        axes = fig.subplots(2, MAX_DEPTH // 2, sharex=True, sharey=True)
        a = {"axes": axes.ravel(), "bars": []}
        for k, ax in enumerate(a["axes"]):
            bars = ax.bar(CENTRES, np.zeros_like(CENTRES), width=width, color="tab:blue")
            a["bars"].append(list(bars))
            set_limits(ax, x=(EDGES[0], EDGES[-1]), y=(0, Y_MAX))
            ax.tick_params(labelsize=7)
            ax.title.set_fontsize(8)
            animate(*bars, ax.title)
            if k >= MAX_DEPTH // 2:
                ax.set_xlabel("activation value", fontsize=8)
        for ax in axes[:, 0]:
            ax.set_ylabel("share of units", fontsize=8)
        return a

    def update(a, gain, depth, activation, initializer):
        layers = layer_activations(activations[activation], inits[initializer], gain, depth,
                                   name=activation, init_name=initializer)
        for k, (ax, bars) in enumerate(zip(a["axes"], a["bars"])):
            if k < depth:
                heights = histogram(layers[k])
                set_title(ax, f"layer {k + 1}: std {np.std(layers[k]):.2g}")
            else:
                heights = np.zeros(len(bars))
                set_title(ax, f"layer {k + 1}: (deeper than {depth})")
            for bar, height in zip(bars, heights):
                bar.set_height(height)

    controls = {
        "gain": widgets.FloatLogSlider(value=gain, base=10, min=-3, max=1, step=0.05, description="gain",
                                       readout_format=".3g"),
        "depth": widgets.IntSlider(value=depth, min=1, max=MAX_DEPTH, description="depth"),
        "activation": widgets.Dropdown(options=list(activations), value=activation, description="activation"),
        "initializer": widgets.Dropdown(options=list(inits), value=initializer, description="init"),
    }
    return Explorer(controls, setup, update, figsize=(11, 4.6),
                    title="Activations layer by layer: W = gain x initializer(fan_in, fan_out)")
