"""Small data sets, generated or shipped with a package: nothing is downloaded.

Defined in chapter 1 (gradient descent).
"""
from __future__ import annotations

import numpy as np


def linear_regression(n: int, d: int, *, noise: float = 0.1, seed: int = 0):
    """``(X, y, w_true)`` with ``X`` of shape ``(n, d)`` standard normal and ``y = X w_true + noise``."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d)
    y = X @ w_true + noise * rng.standard_normal(n)
    return X, y, w_true


def digits(*, val_fraction: float = 0.25, seed: int = 0):
    """scikit-learn's bundled 8x8 digits (1797 images, 10 classes), scaled to [0, 1] and split.

    Returns ``(X_train, y_train, X_val, y_val)``; ``X`` has shape ``(n, 64)``. Nothing is
    downloaded: the images ship with scikit-learn.
    """
    from sklearn.datasets import load_digits

    data = load_digits()
    X, y = data.data / 16.0, data.target.astype(int)
    order = np.random.default_rng(seed).permutation(len(y))
    n_val = int(round(val_fraction * len(y)))
    val, train = order[:n_val], order[n_val:]
    return X[train], y[train], X[val], y[val]


def random_image(seed: int, shape, dtype="uint8") -> np.ndarray:
    """A seeded random ``H x W x C`` image: uint8 in [0, 255] or float in [0, 1) of ``dtype``.

    Hidden tests and the grader call this same function, so both see the same pixels.

    Defined in chapter 6 (data augmentation).
    """
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    if dtype == np.uint8:
        return rng.integers(0, 256, size=tuple(shape), dtype=np.uint8)
    if dtype.kind != "f":
        raise ValueError(f"dtype must be uint8 or a float type, got {dtype}")
    return rng.random(tuple(shape)).astype(dtype)


def photo(name: str = "flower", size=(64, 96)) -> np.ndarray:
    """One of scikit-learn's bundled photographs (``"china"`` or ``"flower"``), downscaled.

    Returns a uint8 array of shape ``size + (3,)`` (rows, columns, RGB). The 427 x 640
    originals ship with scikit-learn; Pillow's box filter shrinks them, so the explorer's
    redraws stay fast and the pages small. Nothing is downloaded.

    Defined in chapter 6 (data augmentation).
    """
    from PIL import Image

    names = ("china", "flower")
    if name not in names:
        raise ValueError(f"name must be one of {names}, got {name!r}")
    h, w = size
    with Image.open(_sklearn_data("images", f"{name}.jpg")) as full:
        return np.asarray(full.convert("RGB").resize((int(w), int(h)), Image.Resampling.BOX))


def digit_images():
    """scikit-learn's bundled digits as images: ``(images, labels)``.

    ``images`` has shape ``(1797, 8, 8, 1)``, float in [0, 1] (the 17 gray levels
    divided by 16); ``labels`` the digits 0-9.

    Defined in chapter 6 (data augmentation).
    """
    table = np.loadtxt(_sklearn_data("data", "digits.csv.gz"), delimiter=",")
    return (table[:, :-1].reshape(-1, 8, 8) / 16.0)[..., None], table[:, -1].astype(int)


def _sklearn_data(*parts):
    """The path of a file that ships with scikit-learn's datasets, found without importing them
    (``import sklearn.datasets`` takes seconds; the files are what ``load_digits`` and
    ``load_sample_image`` read)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")
    if spec is None or spec.origin is None:
        raise ImportError("scikit-learn is needed for its bundled images: pip install scikit-learn")
    return Path(spec.origin).parent.joinpath("datasets", *parts)


def two_moons(n: int, *, noise: float = 0.25, seed: int = 0):
    """Two interleaved half circles in the plane, ``n`` points, labels 0 and 1: ``(X, y)``.

    Generated with NumPy (the same shape as scikit-learn's ``make_moons``); ``noise`` is
    the standard deviation of the Gaussian jitter. Defined in chapter 5 (regularization).
    """
    if n < 2:
        raise ValueError(f"n must be at least 2 (one point per moon), got {n}")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    angle = rng.uniform(0.0, np.pi, n)
    X = np.where(y[:, None] == 0,
                 np.stack([np.cos(angle), np.sin(angle)], axis=1),
                 np.stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)], axis=1))
    X = X + noise * rng.standard_normal((n, 2))
    return X, y
