"""Reference image transforms for assignment 06_augmentation (hidden from learners).

Images are ``H x W x C`` NumPy arrays, either ``uint8`` in [0, 255] or float in [0, 1];
every function returns an array of the input's dtype. Random choices come from a
``np.random.Generator`` passed in, consumed exactly as each docstring says, so that the
grader can replay a seed.

uint8 colour adjustments follow Pillow's ``ImageEnhance`` bit for bit: Pillow blends in
float32 (``out = a + factor * (b - a)``), clips to [0, 255] and truncates toward zero;
its grayscale is the integer ITU-R 601-2 luma ``(19595 R + 38470 G + 7471 B + 32768) >> 16``
and its contrast "mean gray" is that grayscale's mean rounded to an integer. Float
images use the exact luma ``0.299 R + 0.587 G + 0.114 B`` and clip to [0, 1].
"""
from __future__ import annotations

import numpy as np

PADDING_MODES = ("constant", "edge", "reflect", "symmetric")


def check_image(img, name: str = "img") -> np.ndarray:
    img = np.asarray(img)
    if img.ndim != 3:
        raise ValueError(f"{name} must be an H x W x C array, got shape {img.shape}")
    if img.dtype != np.uint8 and img.dtype.kind != "f":
        raise ValueError(f"{name} must be uint8 or float, got dtype {img.dtype}")
    return img


def hflip(img, rng, p=0.5):
    """Flip left-right when ``rng.random() < p`` (one draw, always made)."""
    img = check_image(img)
    return img[:, ::-1].copy() if rng.random() < p else img.copy()


def pad(img, padding, fill=0, mode="constant"):
    """Pad ``padding`` pixels on every side (an int) or ``(left, top, right, bottom)``."""
    img = check_image(img)
    if mode not in PADDING_MODES:
        raise ValueError(f"mode must be one of {PADDING_MODES}, got {mode!r}")
    left, top, right, bottom = (padding,) * 4 if np.ndim(padding) == 0 else padding
    widths = ((top, bottom), (left, right), (0, 0))
    if mode == "constant":
        return np.pad(img, widths, mode="constant", constant_values=fill)
    return np.pad(img, widths, mode=mode)


def random_crop(img, rng, size, padding=0, pad_if_needed=False, fill=0, padding_mode="constant"):
    """Pad by ``padding``, then (if ``pad_if_needed``) pad both sides of a too-small dimension
    by the missing amount (as torchvision does), then crop ``size = (h, w)`` at
    ``y = rng.integers(0, H_pad - h + 1)`` then ``x = rng.integers(0, W_pad - w + 1)``."""
    img = pad(img, padding, fill, padding_mode)
    h, w = (size, size) if np.ndim(size) == 0 else size
    if pad_if_needed and img.shape[0] < h:
        img = pad(img, (0, h - img.shape[0], 0, h - img.shape[0]), fill, padding_mode)
    if pad_if_needed and img.shape[1] < w:
        img = pad(img, (w - img.shape[1], 0, w - img.shape[1], 0), fill, padding_mode)
    H, W = img.shape[:2]
    if H < h or W < w:
        raise ValueError(f"crop size {(h, w)} is larger than the padded image {(H, W)}; use pad_if_needed=True")
    y = rng.integers(0, H - h + 1)
    x = rng.integers(0, W - w + 1)
    return img[y:y + h, x:x + w].copy()


def _to_dtype(values, dtype):
    if dtype == np.uint8:
        return np.clip(np.floor(values + 0.5), 0, 255).astype(np.uint8)
    return values.astype(dtype)


def resize(img, size, interpolation="bilinear"):
    """Resize to ``size = (h, w)`` with pixel centres aligned (``src = (i + 0.5) * H / h - 0.5``).

    ``nearest`` takes row ``floor((i + 0.5) * H / h)`` (Pillow's NEAREST uses the
    same rule; it computes ``(i + 0.5) * (H / h)`` and so differs by one row where the product
    is an exact integer, e.g. i = 26, H = 22, h = 53); ``bilinear`` clamps at the borders and,
    for uint8, rounds half up.
    """
    img = check_image(img)
    h, w = size
    H, W = img.shape[:2]
    if interpolation == "nearest":
        rows = np.minimum(((np.arange(h) + 0.5) * H / h).astype(int), H - 1)
        cols = np.minimum(((np.arange(w) + 0.5) * W / w).astype(int), W - 1)
        return img[rows][:, cols].copy()
    if interpolation != "bilinear":
        raise ValueError(f"interpolation must be 'nearest' or 'bilinear', got {interpolation!r}")

    def axis(n_out, n_in):
        src = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
        lo = np.floor(src).astype(int)
        hi = np.minimum(lo + 1, n_in - 1)
        return lo, hi, src - lo

    r0, r1, fr = axis(h, H)
    c0, c1, fc = axis(w, W)
    x = img.astype(float)
    top = x[r0] * (1 - fr)[:, None, None] + x[r1] * fr[:, None, None]
    out = top[:, c0] * (1 - fc)[None, :, None] + top[:, c1] * fc[None, :, None]
    return _to_dtype(out, img.dtype)


def grayscale(img):
    """One-channel luma, ``H x W x 1``: Pillow's integer formula for uint8, exact for float."""
    img = check_image(img)
    if img.dtype == np.uint8:
        r, g, b = (img[..., k].astype(np.int64) for k in range(3))
        return ((19595 * r + 38470 * g + 7471 * b + 32768) >> 16).astype(np.uint8)[..., None]
    return (0.299 * img[..., 0] + 0.587 * img[..., 1] + 0.114 * img[..., 2])[..., None].astype(img.dtype)


def blend(degenerate, img, factor):
    """``degenerate + factor * (img - degenerate)``, clipped; uint8 as Pillow's ``Image.blend``."""
    if img.dtype == np.uint8:
        a = np.broadcast_to(degenerate, img.shape).astype(np.float32)
        out = a + np.float32(factor) * (img.astype(np.float32) - a)
        return np.clip(out, 0, 255).astype(np.uint8)   # truncation toward zero, as Pillow
    return np.clip(degenerate + factor * (img - degenerate), 0.0, 1.0).astype(img.dtype)


def adjust_brightness(img, factor):
    """Blend with black: ``img * factor``."""
    img = check_image(img)
    return blend(np.zeros_like(img), img, factor)


def adjust_contrast(img, factor):
    """Blend with the mean of the grayscale image (rounded to an integer for uint8)."""
    img = check_image(img)
    mean = grayscale(img).astype(float).mean()
    mean = int(mean + 0.5) if img.dtype == np.uint8 else mean
    return blend(np.full_like(img, mean), img, factor)


def adjust_saturation(img, factor):
    """Blend with the grayscale image."""
    img = check_image(img)
    return blend(np.broadcast_to(grayscale(img), img.shape), img, factor)


def rgb_to_hsv(rgb):
    """Float RGB in [0, 1] to HSV, every channel in [0, 1]."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    v = rgb.max(axis=-1)
    c = v - rgb.min(axis=-1)
    s = np.where(v > 0, c / np.where(v > 0, v, 1), 0.0)
    safe = np.where(c > 0, c, 1)
    h = np.where(v == r, ((g - b) / safe) % 6, np.where(v == g, (b - r) / safe + 2, (r - g) / safe + 4))
    h = np.where(c > 0, h / 6, 0.0)
    return np.stack([h, s, v], axis=-1)


def hsv_to_rgb(hsv):
    """HSV in [0, 1] to float RGB in [0, 1]."""
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    k = lambda n: (n + h * 6) % 6   # noqa: E731
    f = lambda n: v - v * s * np.clip(np.minimum(k(n), 4 - k(n)), 0, 1)   # noqa: E731
    return np.stack([f(5), f(3), f(1)], axis=-1)


def adjust_hue(img, hue_factor):
    """Rotate the hue: ``H <- (H + hue_factor) mod 1`` in HSV, ``hue_factor`` in [-0.5, 0.5]."""
    img = check_image(img)
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor must be in [-0.5, 0.5], got {hue_factor}")
    x = img.astype(float) / 255 if img.dtype == np.uint8 else img.astype(float)
    hsv = rgb_to_hsv(x)
    hsv[..., 0] = (hsv[..., 0] + hue_factor) % 1.0
    out = np.clip(hsv_to_rgb(hsv), 0, 1)
    return _to_dtype(out * 255, np.uint8) if img.dtype == np.uint8 else out.astype(img.dtype)


def color_jitter(img, rng, brightness=0.0, contrast=0.0, saturation=0.0, hue=0.0):
    """Four draws, always made, in this order: ``b = rng.uniform(max(0, 1 - brightness), 1 + brightness)``,
    then ``c`` and ``s`` alike, then ``h = rng.uniform(-hue, hue)``; applied in the order
    brightness, contrast, saturation, hue (torchvision also shuffles the order; we do not)."""
    img = check_image(img)
    b = rng.uniform(max(0.0, 1 - brightness), 1 + brightness)
    c = rng.uniform(max(0.0, 1 - contrast), 1 + contrast)
    s = rng.uniform(max(0.0, 1 - saturation), 1 + saturation)
    h = rng.uniform(-hue, hue)
    return adjust_hue(adjust_saturation(adjust_contrast(adjust_brightness(img, b), c), s), h)


def compose(transforms):
    """A transform ``f(img, rng)`` applying each ``t(img, rng)`` in order with the same generator."""
    transforms = list(transforms)

    def composed(img, rng):
        for t in transforms:
            img = t(img, rng)
        return img
    return composed
