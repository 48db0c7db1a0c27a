"""The augmentation explorer: drag a transform's parameters, watch a grid of augmented images.

The transforms are arguments (the book passes its own, an assignment the learner's), with
the course's signatures:

* ``hflip(img, rng, p)``,
* ``resize(img, size, interpolation)``,
* ``random_crop(img, rng, size, padding=..., pad_if_needed=..., fill=..., padding_mode=...)``,
* ``color_jitter(img, rng, brightness, contrast, saturation, hue)``.

Each augmented image is ``hflip``, then ``resize`` by the scale, then ``random_crop`` back
to the original size (padding, and ``pad_if_needed`` when the scaled image is smaller),
then ``color_jitter``. Every image of the grid has its own seeded generators, one per
transform, so a slider changes only what it controls: moving the brightness changes the
brightness factors, never where the crops fall.

Defined in chapter 6 (data augmentation).
"""
from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
import numpy as np

from . import datasets
from .explorers import Explorer, animate

MODES = ("constant", "edge", "reflect", "symmetric")


def _checked(result, name: str, shape, dtype) -> np.ndarray:
    """``result`` as an array, or a ``ValueError`` that says what was expected and what was given."""
    out = np.asarray(result)
    if out.shape != tuple(shape):
        raise ValueError(f"{name} returned shape {out.shape}; expected {tuple(shape)}")
    if out.dtype != dtype:
        raise ValueError(f"{name} returned dtype {out.dtype}; expected {dtype} (the input's dtype)")
    return out


def augment(img, seed: int, *, hflip: Callable, resize: Callable, random_crop: Callable,
            color_jitter: Callable, p: float = 0.5, scale: float = 1.0, interpolation: str = "bilinear",
            padding: int = 0, padding_mode: str = "constant", fill=0, brightness: float = 0.0,
            contrast: float = 0.0, saturation: float = 0.0, hue: float = 0.0) -> np.ndarray:
    """One augmented version of ``img``: flip, rescale, crop back to size, jitter the colours.

    Each step draws from its own generator, ``np.random.default_rng([seed, k])`` for step
    ``k``, so that changing one step's parameters leaves the other steps' draws alone.
    Colour jitter is applied to RGB images; a one-channel image is repeated to three
    channels for it and returned with one.
    """
    img = np.asarray(img)
    H, W, C = img.shape
    rngs = [np.random.default_rng([seed, k]) for k in range(3)]
    out = _checked(hflip(img, rngs[0], p=p), "hflip", img.shape, img.dtype)
    if scale != 1.0:
        size = (max(1, int(round(H * scale))), max(1, int(round(W * scale))))
        out = _checked(resize(out, size, interpolation), "resize", size + (C,), img.dtype)
    out = _checked(random_crop(out, rngs[1], (H, W), padding=padding, pad_if_needed=True, fill=fill,
                               padding_mode=padding_mode), "random_crop", img.shape, img.dtype)
    rgb = np.repeat(out, 3, axis=2) if C == 1 else out
    rgb = _checked(color_jitter(rgb, rngs[2], brightness, contrast, saturation, hue), "color_jitter",
                   rgb.shape, img.dtype)
    return rgb[..., :1] if C == 1 else rgb


def augmentation_explorer(*, hflip: Callable, resize: Callable, random_crop: Callable, color_jitter: Callable,
                          images=None, columns: int = 5, seed: int = 0) -> Explorer:
    """Sliders for every transform's parameters; a grid of augmented versions of each image.

    ``images`` maps a row label to an ``H x W x C`` image (default: scikit-learn's flower
    photograph at 64 x 96, uint8, and a digit "6" at 8 x 8, float). The first column shows
    the original. Padding is given as a fraction of the image's height, so one slider pads
    the photograph and the digit alike.
    """
    if images is None:
        digits, labels = datasets.digit_images()
        images = {"photograph": datasets.photo("flower"), "digit": digits[np.flatnonzero(labels == 6)[0]]}
    images = {name: np.asarray(img) for name, img in images.items()}
    transforms = dict(hflip=hflip, resize=resize, random_crop=random_crop, color_jitter=color_jitter)

    def setup(fig):
        axes = fig.subplots(len(images), columns + 1, squeeze=False)
        a = {"axes": axes, "cells": {}}
        for row, (name, img) in enumerate(images.items()):
            shown = img[..., 0] if img.shape[2] == 1 else img
            cmap = "gray" if img.shape[2] == 1 else None
            vmax = 255 if img.dtype == np.uint8 else 1.0
            for col in range(columns + 1):
                ax = axes[row, col]
                ax.set_xticks([])
                ax.set_yticks([])
                art = ax.imshow(shown, cmap=cmap, vmin=0, vmax=vmax, interpolation="nearest")
                if col == 0:
                    ax.set_title(f"{name}: original", fontsize=9)
                else:
                    a["cells"][row, col] = art
                    animate(art)
        return a

    def update(a, padding, p, scale, interpolation, padding_mode, brightness, contrast, saturation, hue, seed):
        for row, img in enumerate(images.values()):
            pixels = int(round(padding * img.shape[0]))
            for col in range(1, columns + 1):
                out = augment(img, seed * 1000 + row * 100 + col, **transforms, p=p, scale=scale,
                              interpolation=interpolation, padding=pixels, padding_mode=padding_mode,
                              brightness=brightness, contrast=contrast, saturation=saturation, hue=hue)
                a["cells"][row, col].set_data(out[..., 0] if out.shape[2] == 1 else out)

    controls = {
        "padding": widgets.FloatSlider(value=0.125, min=0.0, max=0.5, step=0.025, description="padding",
                                       readout_format=".3f"),
        "p": widgets.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.05, description="flip p"),
        "scale": widgets.FloatSlider(value=1.0, min=0.5, max=2.0, step=0.05, description="scale"),
        "interpolation": widgets.Dropdown(options=["bilinear", "nearest"], value="bilinear",
                                          description="interpolation"),
        "padding_mode": widgets.Dropdown(options=list(MODES), value="constant", description="padding mode"),
        "brightness": widgets.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.05, description="brightness"),
        "contrast": widgets.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.05, description="contrast"),
        "saturation": widgets.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.05, description="saturation"),
        "hue": widgets.FloatSlider(value=0.1, min=0.0, max=0.5, step=0.01, description="hue"),
        "seed": widgets.IntSlider(value=seed, min=0, max=99, description="seed"),
    }
    return Explorer(controls, setup, update, figsize=(10, 1.75 * len(images) + 0.2),
                    title="Augmented versions of a photograph and a digit")
