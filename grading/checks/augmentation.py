"""Hidden checks of assignment 06_augmentation.

The hidden test cells of ``solutions/06_augmentation/06_augmentation.ipynb`` run each of the
learner's transforms on the cases of ``CASES`` below: a seeded random image
(``trainlab.datasets.random_image(seed, shape, dtype)``), for a random transform a generator
``np.random.default_rng(seed + 1000)``, and the keyword arguments of the case. They record
the result, whether its dtype is the input's, whether the input is unchanged, and for a
random transform the generator's next draw ``rng.random()`` after the call (so the draws it
made are checked too). The checks replay the same cases through
``grading/reference/augmentation.py`` and through common mistakes, so a wrong answer is named.

The hidden cells are written from ``CASES`` (the notebook's builder prints them with
``repr``): a case changed here must be changed there, and the solution then proves it.
"""
from __future__ import annotations

import numpy as np

from grading.compare import Expect
from grading.checks import or_none
from grading.reference import augmentation as A
from trainlab.datasets import random_image

RNG_OFFSET = 1000
DTYPE_MESSAGE = "the result must keep the input's dtype (uint8 stays uint8, float32 stays float32)"
IN_PLACE_MESSAGE = "the function changed the image it was given; work on a copy and return a new array"

# (key, seed, shape, dtype, keyword arguments, what the case is)
CASES = {
    "pad": [
        ("constant_int", 11, (5, 7, 3), "uint8", dict(padding=2), "a 5x7 uint8 image, padding 2"),
        ("constant_fill", 12, (6, 5, 3), "uint8", dict(padding=(1, 2, 3, 4), fill=200),
         "padding (1, 2, 3, 4) with fill 200"),
        ("edge", 13, (4, 6, 3), "float64", dict(padding=(0, 3, 1, 2), mode="edge"), "mode 'edge', a float image"),
        ("reflect", 14, (5, 4, 3), "uint8", dict(padding=2, mode="reflect"), "mode 'reflect'"),
        ("symmetric", 15, (7, 5, 1), "float32", dict(padding=(3, 1, 0, 2), mode="symmetric"),
         "mode 'symmetric', a one-channel float32 image"),
        ("reflect_tuple", 16, (9, 8, 3), "float64", dict(padding=(1, 0, 2, 3), mode="reflect"),
         "mode 'reflect' with padding (1, 0, 2, 3)"),
    ],
    "random_crop": [
        ("plain", 21, (8, 9, 3), "uint8", dict(size=(5, 6)), "a 5x6 crop of an 8x9 image"),
        ("padded", 22, (6, 6, 3), "float32", dict(size=6, padding=2), "size 6 with padding 2 (float32)"),
        ("reflect", 23, (5, 7, 3), "uint8", dict(size=(4, 4), padding=(1, 0, 2, 1), padding_mode="reflect"),
         "padding (1, 0, 2, 1) in mode 'reflect'"),
        ("odd", 24, (9, 7, 3), "uint8", dict(size=(3, 5), padding=1, fill=77),
         "an odd 3x5 crop with padding 1 and fill 77"),
        ("pad_if_needed", 25, (4, 5, 3), "uint8", dict(size=(7, 8), pad_if_needed=True, fill=50),
         "a 7x8 crop of a 4x5 image with pad_if_needed"),
        ("pad_if_needed_edge", 26, (3, 9, 1), "float64",
         dict(size=(6, 4), padding=1, pad_if_needed=True, padding_mode="edge"),
         "pad_if_needed after padding 1, mode 'edge'"),
    ],
    "resize": [
        ("up_bilinear", 31, (4, 5, 3), "uint8", dict(size=(9, 7)), "4x5 to 9x7, bilinear, uint8"),
        ("down_bilinear", 32, (12, 10, 3), "float64", dict(size=(5, 4)), "12x10 to 5x4, bilinear, float"),
        ("nearest_up", 33, (5, 7, 3), "uint8", dict(size=(11, 3), interpolation="nearest"), "5x7 to 11x3, nearest"),
        ("nearest_float", 34, (6, 6, 1), "float32", dict(size=(4, 9), interpolation="nearest"),
         "6x6 to 4x9, nearest, float32"),
        ("odd_bilinear", 35, (3, 3, 3), "float32", dict(size=(8, 8)), "3x3 to 8x8, bilinear, float32"),
        ("same_size", 36, (7, 9, 3), "uint8", dict(size=(7, 9)), "7x9 to the same size"),
    ],
    "hflip": [
        ("always", 1, (5, 7, 3), "uint8", dict(p=1.0), "p = 1 (always flips), uint8"),
        ("never", 2, (6, 5, 3), "float64", dict(p=0.0), "p = 0 (never flips), float"),
        ("half_a", 3, (4, 9, 3), "uint8", dict(p=0.5), "p = 0.5, seed 3"),
        ("half_b", 4, (7, 3, 1), "float32", dict(p=0.5), "p = 0.5, seed 4, one channel"),
        ("rare", 5, (3, 8, 3), "uint8", dict(p=0.2), "p = 0.2"),
        ("often", 6, (9, 4, 3), "float32", dict(), "the default p on a 9x4 float32 image"),
    ],
    "adjust_brightness": [
        ("darker", 51, (5, 6, 3), "uint8", dict(factor=0.6), "factor 0.6, uint8"),
        ("brighter", 52, (4, 7, 3), "uint8", dict(factor=1.7), "factor 1.7, uint8 (clipped at 255)"),
        ("float_clip", 53, (6, 5, 3), "float64", dict(factor=1.3), "factor 1.3, float (clipped at 1)"),
        ("float32", 54, (3, 3, 3), "float32", dict(factor=0.25), "factor 0.25, float32"),
        ("black", 55, (2, 5, 3), "uint8", dict(factor=0.0), "factor 0 (black)"),
        ("odd_factor", 56, (5, 5, 3), "uint8", dict(factor=1.13), "factor 1.13, uint8"),
    ],
    "adjust_contrast": [
        ("lower", 61, (5, 6, 3), "uint8", dict(factor=0.5), "factor 0.5, uint8"),
        ("higher", 62, (6, 4, 3), "uint8", dict(factor=1.8), "factor 1.8, uint8"),
        ("float", 63, (4, 5, 3), "float64", dict(factor=0.3), "factor 0.3, float"),
        ("float32_high", 64, (5, 5, 3), "float32", dict(factor=2.0), "factor 2, float32"),
        ("flat", 65, (3, 4, 3), "uint8", dict(factor=0.0), "factor 0 (one gray)"),
    ],
    "adjust_saturation": [
        ("gray", 71, (5, 6, 3), "uint8", dict(factor=0.0), "factor 0 (the grayscale image), uint8"),
        ("half", 72, (4, 6, 3), "uint8", dict(factor=0.5), "factor 0.5, uint8"),
        ("vivid", 73, (6, 5, 3), "uint8", dict(factor=2.0), "factor 2, uint8"),
        ("float", 74, (4, 4, 3), "float64", dict(factor=1.5), "factor 1.5, float"),
        ("float32", 75, (3, 5, 3), "float32", dict(factor=0.2), "factor 0.2, float32"),
    ],
    "adjust_hue": [
        ("quarter", 81, (5, 6, 3), "uint8", dict(hue_factor=0.25), "hue_factor 0.25, uint8"),
        ("negative", 82, (4, 5, 3), "uint8", dict(hue_factor=-0.4), "hue_factor -0.4, uint8"),
        ("float", 83, (6, 4, 3), "float64", dict(hue_factor=0.1), "hue_factor 0.1, float"),
        ("half_turn", 84, (3, 3, 3), "float32", dict(hue_factor=-0.5), "hue_factor -0.5, float32"),
        ("zero", 85, (4, 4, 3), "uint8", dict(hue_factor=0.0), "hue_factor 0 (unchanged)"),
        ("plus_half", 86, (5, 3, 3), "uint8", dict(hue_factor=0.5), "hue_factor 0.5, uint8"),
    ],
    "color_jitter": [
        ("all", 91, (5, 6, 3), "uint8", dict(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1),
         "all four at 0.4, 0.4, 0.4, 0.1 (uint8)"),
        ("brightness", 92, (4, 5, 3), "float64", dict(brightness=0.8), "brightness 0.8 alone (float)"),
        ("hue", 93, (4, 4, 3), "uint8", dict(hue=0.3), "hue 0.3 alone"),
        ("float32", 94, (3, 6, 3), "float32", dict(brightness=0.2, contrast=0.5, saturation=0.9, hue=0.05),
         "all four, float32"),
        ("wide", 95, (5, 5, 3), "uint8", dict(brightness=1.5, contrast=1.2), "brightness 1.5 and contrast 1.2"),
        ("none", 96, (3, 3, 3), "uint8", {}, "all four at 0 (the image unchanged, four draws made)"),
    ],
}
RANDOM = {"hflip", "random_crop", "color_jitter"}
FLOAT_TOL = dict(rtol=1e-5, atol=1e-6)
EXACT = dict(rtol=0.0, atol=0.5)  # uint8 results must match exactly


def replay(fn, function: str, case):
    """What the hidden cell records for one case: ``{key: value}``."""
    key, seed, shape, dtype, kwargs, _ = case
    img = random_image(seed, shape, dtype)
    records = {}
    if function in RANDOM:
        rng = np.random.default_rng(seed + RNG_OFFSET)
        out = fn(img, rng, **kwargs)
        records[f"{key}/next_draw"] = rng.random()
    else:
        out = fn(img, **kwargs)
    records[key] = out
    records[f"{key}/dtype_kept"] = np.asarray(out).dtype == img.dtype
    records[f"{key}/input_kept"] = np.array_equal(img, random_image(seed, shape, dtype))
    return records


# ---------------------------------------------------------------- mistaken transforms

def _floatpad(img, padding, fill=0, mode="constant"):
    return A.pad(img, padding, fill, mode).astype(float)


def _pad_order(img, padding, fill=0, mode="constant"):
    if np.ndim(padding) == 0:
        return A.pad(img, padding, fill, mode)
    top, left, bottom, right = padding
    return A.pad(img, (left, top, right, bottom), fill, mode)


def _pad_swapped_modes(img, padding, fill=0, mode="constant"):
    return A.pad(img, padding, fill, {"reflect": "symmetric", "symmetric": "reflect"}.get(mode, mode))


def _pad_no_fill(img, padding, fill=0, mode="constant"):
    return A.pad(img, padding, 0, mode)


def _pad_channels(img, padding, fill=0, mode="constant"):
    left, top, right, bottom = (padding,) * 4 if np.ndim(padding) == 0 else padding
    widths = ((top, bottom), (left, right), (left, right))
    return np.pad(img, widths, mode=mode, **({"constant_values": fill} if mode == "constant" else {}))


PAD_MISTAKES = {
    "padding is (left, top, right, bottom), as torchvision's: left and right pad the columns, "
    "top and bottom the rows": _pad_order,
    "'reflect' and 'symmetric' are swapped: 'reflect' mirrors about the edge pixel without repeating it "
    "(np.pad's 'reflect'), 'symmetric' repeats it": _pad_swapped_modes,
    "fill is ignored: constant padding uses the value fill": _pad_no_fill,
    "the channel axis is padded too; pad only the rows and the columns": _pad_channels,
}


def _crop_variant(kind):
    def crop(img, rng, size, padding=0, pad_if_needed=False, fill=0, padding_mode="constant"):
        mode = "constant" if kind == "ignores_mode" else padding_mode
        img = A.pad(img, padding, fill, mode)
        h, w = (size, size) if np.ndim(size) == 0 else size
        if pad_if_needed and img.shape[0] < h:
            dh = h - img.shape[0]
            img = A.pad(img, (0, 0, 0, dh) if kind == "one_side" else (0, dh, 0, dh), fill, mode)
        if pad_if_needed and img.shape[1] < w:
            dw = w - img.shape[1]
            img = A.pad(img, (0, 0, dw, 0) if kind == "one_side" else (dw, 0, dw, 0), fill, mode)
        H, W = img.shape[:2]
        if kind == "x_first":
            x = rng.integers(0, W - w + 1)
            y = rng.integers(0, H - h + 1)
        elif kind == "exclusive_end":
            y = rng.integers(0, H - h)
            x = rng.integers(0, W - w)
        elif kind == "centre":
            y, x = (H - h) // 2, (W - w) // 2
        else:
            y = rng.integers(0, H - h + 1)
            x = rng.integers(0, W - w + 1)
        return img[y:y + h, x:x + w].copy()
    return crop


CROP_MISTAKES = {
    "the offsets are drawn in the wrong order: first y = rng.integers(0, H_pad - h + 1) (rows), then x":
        _crop_variant("x_first"),
    "the last crop position is never drawn: rng.integers' high end is exclusive, "
    "so use rng.integers(0, H_pad - h + 1)": _crop_variant("exclusive_end"),
    "padding_mode is ignored (the padding is always constant)": _crop_variant("ignores_mode"),
    "pad_if_needed must pad both sides of a too-small dimension by the missing amount (as torchvision does)":
        _crop_variant("one_side"),
    "the crop is always the centre one; draw its offsets from the generator": _crop_variant("centre"),
}


def _resize_variant(kind):
    def resize(img, size, interpolation="bilinear"):
        h, w = size
        if kind == "swapped":
            return A.resize(img, (w, h), interpolation)
        H, W = img.shape[:2]
        if interpolation == "nearest":
            if kind == "nearest_round":
                rows = np.minimum(np.round(np.arange(h) * H / h).astype(int), H - 1)
                cols = np.minimum(np.round(np.arange(w) * W / w).astype(int), W - 1)
            else:
                rows = np.minimum((np.arange(h) * H / h).astype(int), H - 1)
                cols = np.minimum((np.arange(w) * W / w).astype(int), W - 1)
            return img[rows][:, cols].copy() if kind in ("nearest_round", "no_offset") else A.resize(img, size, "nearest")

        def axis(n_out, n_in):
            if kind == "corners":
                src = np.arange(n_out) * (n_in - 1) / max(n_out - 1, 1)
            elif kind == "no_offset":
                src = np.arange(n_out) * n_in / n_out
            else:
                src = (np.arange(n_out) + 0.5) * n_in / n_out - 0.5
            src = np.clip(src, 0, n_in - 1)
            lo = np.floor(src).astype(int)
            return lo, np.minimum(lo + 1, n_in - 1), src - lo

        r0, r1, fr = axis(h, H)
        c0, c1, fc = axis(w, W)
        x = img.astype(float)
        top = x[r0] * (1 - fr)[:, None, None] + x[r1] * fr[:, None, None]
        out = top[:, c0] * (1 - fc)[None, :, None] + top[:, c1] * fc[None, :, None]
        if img.dtype == np.uint8:
            return (out if kind == "truncates" else np.floor(out + 0.5)).clip(0, 255).astype(np.uint8)
        return out.astype(img.dtype)
    return resize


RESIZE_MISTAKES = {
    "the pixel centres are not aligned: this maps corner to corner (align_corners=True); "
    "use src = (i + 0.5) * H / h - 0.5": _resize_variant("corners"),
    "the half-pixel offset is missing: src = i * H / h shifts the image; "
    "use src = (i + 0.5) * H / h - 0.5 (nearest: row floor((i + 0.5) * H / h))": _resize_variant("no_offset"),
    "nearest takes row floor((i + 0.5) * H / h); this rounds i * H / h": _resize_variant("nearest_round"),
    "uint8 results must be rounded to the nearest integer (floor(x + 0.5)); this truncates": _resize_variant("truncates"),
    "size is (h, w), rows first; this returns a w x h image": _resize_variant("swapped"),
}


def _flip_variant(kind):
    def hflip(img, rng, p=0.5):
        if kind == "skips_draw" and p in (0.0, 1.0):
            return img[:, ::-1].copy() if p == 1.0 else img.copy()
        flip = rng.random() > p if kind == "inverted" else rng.random() < p
        if not flip:
            return img.copy()
        return img[::-1].copy() if kind == "up_down" else img[:, ::-1].copy()
    return hflip


FLIP_MISTAKES = {
    "the flip happens when rng.random() > p, so p = 1 never flips; flip when rng.random() < p":
        _flip_variant("inverted"),
    "make the one draw always, also when p is 0 or 1, so that the generator's state does not depend on p":
        _flip_variant("skips_draw"),
    "a horizontal flip mirrors left-right, reversing the columns (img[:, ::-1]); this reverses the rows":
        _flip_variant("up_down"),
}


def _gray_mean(img):
    return img.mean(axis=-1, keepdims=True).astype(img.dtype)


def _blend_rounded(degenerate, img, factor):
    if img.dtype != np.uint8:
        return A.blend(degenerate, img, factor)
    a = np.broadcast_to(degenerate, img.shape).astype(np.float32)
    out = a + np.float32(factor) * (img.astype(np.float32) - a)
    return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)


def _blend_unclipped(degenerate, img, factor):
    a = np.broadcast_to(degenerate, img.shape).astype(np.float32 if img.dtype == np.uint8 else img.dtype)
    out = a + factor * (img.astype(a.dtype) - a)
    return out.astype(img.dtype)   # uint8 wraps around


def _brightness_added(img, factor):
    top = 255 if img.dtype == np.uint8 else 1.0
    return np.clip(img.astype(float) + factor * top - top, 0, top).astype(img.dtype)


BLEND_MISTAKES = {
    "uint8 results are truncated toward zero after clipping, as Pillow's Image.blend does; this rounds":
        _blend_rounded,
    "values outside the range wrap around or stay out of it: clip to [0, 255] (uint8) or [0, 1] (float) "
    "before converting": _blend_unclipped,
}

BRIGHTNESS_MISTAKES = {
    **{message: (lambda img, factor, b=b: b(np.zeros_like(img), img, factor)) for message, b in BLEND_MISTAKES.items()},
    "brightness multiplies (blends with black, img * factor); it does not add an offset": _brightness_added,
}


def _contrast_with(mean_of, *, blend=A.blend):
    def contrast(img, factor):
        return blend(np.full(img.shape, mean_of(img), dtype=float).astype(img.dtype), img, factor)
    return contrast


def _mean_gray(img):
    mean = A.grayscale(img).astype(float).mean()
    return int(mean + 0.5) if img.dtype == np.uint8 else mean


def _contrast_per_channel(img, factor):
    means = img.astype(float).mean(axis=(0, 1))
    if img.dtype == np.uint8:
        means = np.floor(means + 0.5)
    return A.blend(np.broadcast_to(means, img.shape).astype(img.dtype), img, factor)


CONTRAST_MISTAKES = {
    **{message: _contrast_with(_mean_gray, blend=b) for message, b in BLEND_MISTAKES.items()},
    "blend with the mean of the grayscale image (its luma), not the mean of all the channel values":
        _contrast_with(lambda img: (lambda m: int(m + 0.5) if img.dtype == np.uint8 else m)(img.astype(float).mean())),
    "for uint8, round the mean gray to an integer first (Pillow: int(mean + 0.5)); this blends with the "
    "unrounded mean": lambda img, factor: A.blend(
        np.float32(A.grayscale(img).astype(float).mean()) if img.dtype == np.uint8
        else A.grayscale(img).astype(float).mean(), img, factor),
    "one mean gray for the whole image: this takes a mean per channel": _contrast_per_channel,
    "the degenerate image is this image's mean gray, not a fixed mid-gray (128 or 0.5)": _contrast_with(
        lambda img: 128 if img.dtype == np.uint8 else 0.5),
}


def _saturation_with(gray_of, *, blend=A.blend):
    def saturation(img, factor):
        return blend(np.broadcast_to(gray_of(img), img.shape), img, factor)
    return saturation


SATURATION_MISTAKES = {
    **{message: _saturation_with(A.grayscale, blend=b) for message, b in BLEND_MISTAKES.items()},
    "blend with the grayscale (luma) image 0.299 R + 0.587 G + 0.114 B, not the mean of the channels":
        _saturation_with(_gray_mean),
    "saturation blends each pixel with its own gray, not with the mean gray of the image (that is contrast)":
        lambda img, factor: A.adjust_contrast(img, factor),
}


def _hue_variant(kind):
    def adjust_hue(img, hue_factor):
        x = img.astype(float) / 255 if img.dtype == np.uint8 else img.astype(float)
        hsv = A.rgb_to_hsv(x)
        if kind == "degrees":
            hsv[..., 0] = ((hsv[..., 0] * 360 + hue_factor) % 360) / 360
        elif kind == "no_wrap":
            hsv[..., 0] = np.clip(hsv[..., 0] + hue_factor, 0, 1)
        elif kind == "minus":
            hsv[..., 0] = (hsv[..., 0] - hue_factor) % 1.0
        else:
            hsv[..., 0] = (hsv[..., 0] + hue_factor) % 1.0
        out = np.clip(A.hsv_to_rgb(hsv), 0, 1)
        if img.dtype == np.uint8:
            return (out * 255).astype(np.uint8) if kind == "truncates" else np.floor(out * 255 + 0.5).astype(np.uint8)
        return out.astype(img.dtype)
    return adjust_hue


HUE_MISTAKES = {
    "hue_factor is a fraction of a full turn (0.5 = 180 degrees); this adds it to the hue in degrees":
        _hue_variant("degrees"),
    "the hue wraps around: H <- (H + hue_factor) mod 1; this clips it": _hue_variant("no_wrap"),
    "the hue turns the wrong way: H + hue_factor, not H - hue_factor": _hue_variant("minus"),
    "uint8 results must be rounded to the nearest integer (floor(255 x + 0.5)); this truncates":
        _hue_variant("truncates"),
}


def _jitter_variant(kind):
    def color_jitter(img, rng, brightness=0.0, contrast=0.0, saturation=0.0, hue=0.0):
        def draw(amount):
            low = 1 - amount if kind == "no_floor" else max(0.0, 1 - amount)
            return rng.uniform(low, 1 + amount)

        if kind == "skips_draws":
            b = draw(brightness) if brightness else 1.0
            c = draw(contrast) if contrast else 1.0
            s = draw(saturation) if saturation else 1.0
            h = rng.uniform(-hue, hue) if hue else 0.0
        elif kind == "hue_first":
            h = rng.uniform(-hue, hue)
            b, c, s = draw(brightness), draw(contrast), draw(saturation)
        else:
            b, c, s = draw(brightness), draw(contrast), draw(saturation)
            h = rng.uniform(-hue, hue)
        if kind == "reversed":
            return A.adjust_brightness(A.adjust_contrast(A.adjust_saturation(A.adjust_hue(img, h), s), c), b)
        return A.adjust_hue(A.adjust_saturation(A.adjust_contrast(A.adjust_brightness(img, b), c), s), h)
    return color_jitter


JITTER_MISTAKES = {
    "make all four draws, always, in order (a parameter of 0 draws a factor of exactly 1 or a hue of 0)":
        _jitter_variant("skips_draws"),
    "the draws come in the order brightness, contrast, saturation, hue; this draws the hue first":
        _jitter_variant("hue_first"),
    "apply brightness, then contrast, then saturation, then hue; this applies them in reverse":
        _jitter_variant("reversed"),
    "a factor is drawn from [max(0, 1 - amount), 1 + amount]; this draws from [1 - amount, 1 + amount]":
        _jitter_variant("no_floor"),
}

# ---------------------------------------------------------------- compose

COMPOSE_CASES = [
    ("three", 101, (6, 5, 3), "uint8", ("shift", "turn", "drop"), "shift, turn, drop"),
    ("two", 102, (7, 4, 3), "float64", ("drop", "turn"), "drop, then turn"),
    ("one", 103, (5, 5, 3), "uint8", ("turn",), "a single transform"),
    ("empty", 104, (4, 6, 3), "uint8", (), "no transforms (the image unchanged)"),
    ("repeat", 105, (8, 6, 3), "float32", ("drop", "shift", "drop", "turn"), "drop, shift, drop, turn"),
]


def toy_transforms():
    """The transforms the hidden compose cell builds: each draws from the generator it is given."""
    return {
        "shift": lambda im, r: np.roll(im, int(r.integers(-2, 3)), axis=0),
        "turn": lambda im, r: np.rot90(im).copy() if r.random() < 0.5 else im,
        "drop": lambda im, r: im[int(r.integers(0, 3)):],
    }


def replay_compose(compose_fn, case):
    key, seed, shape, dtype, names, _ = case
    toys = toy_transforms()
    img = random_image(seed, shape, dtype)
    composed = compose_fn(toys[n] for n in names)  # a generator expression, as the hidden cell passes
    rng = np.random.default_rng(seed + RNG_OFFSET)
    out = composed(img, rng)
    again = composed(img, np.random.default_rng(seed + RNG_OFFSET))
    return {key: out, f"{key}/next_draw": rng.random(), f"{key}/again": again}


def _compose_reversed(transforms):
    return A.compose(list(transforms)[::-1])


def _compose_unchained(transforms):
    transforms = list(transforms)

    def composed(img, rng):
        out = img
        for t in transforms:
            out = t(img, rng)
        return out
    return composed


def _compose_fresh_rng(transforms):
    transforms = list(transforms)

    def composed(img, rng):
        for i, t in enumerate(transforms):
            img = t(img, np.random.default_rng(i))
        return img
    return composed


COMPOSE_MISTAKES = {
    "the transforms run in reverse order; apply them first to last": _compose_reversed,
    "each transform must get the previous one's output; this applies each to the original image": _compose_unchained,
    "every transform must draw from the generator passed to the composed function, not from a new one":
        _compose_fresh_rng,
}


# ---------------------------------------------------------------- building the expectations

def _tol(value):
    return EXACT if np.asarray(value).dtype == np.uint8 else FLOAT_TOL


def _expects(function, reference, mistakes):
    expects = []
    for case in CASES[function]:
        key, what = case[0], case[5]
        want = replay(reference, function, case)
        wrong = {message: or_none(replay, variant, function, case) for message, variant in mistakes.items()}
        wrong = {message: records for message, records in wrong.items() if records is not None}
        out = want[key]
        expects.append(Expect(key, np.asarray(out, dtype=float), what, function, **_tol(out),
                              mistakes={m: np.asarray(r[key], dtype=float) for m, r in wrong.items()}))
        if function in RANDOM:
            expects.append(Expect(f"{key}/next_draw", want[f"{key}/next_draw"], what,
                                  f"{function} (the generator's next draw after the call)", rtol=0, atol=0,
                                  mistakes={m: r[f"{key}/next_draw"] for m, r in wrong.items()}))
        expects.append(Expect(f"{key}/dtype_kept", 1.0, what, function, rtol=0, atol=0,
                              mistakes={DTYPE_MESSAGE: 0.0}))
        expects.append(Expect(f"{key}/input_kept", 1.0, what, function, rtol=0, atol=0,
                              mistakes={IN_PLACE_MESSAGE: 0.0}))
    return expects


def adjust_hue_hidden():
    expects = _expects("adjust_hue", A.adjust_hue, HUE_MISTAKES)
    expects.append(Expect("refuses", [1.0, 1.0], "hue_factor 0.6 and -0.7 (outside [-0.5, 0.5])", "adjust_hue",
                          rtol=0, atol=0, mistakes={"hue_factor outside [-0.5, 0.5] must raise a ValueError":
                                                    [0.0, 0.0]}))
    return expects


def compose_hidden():
    expects = []
    for case in COMPOSE_CASES:
        key, what = case[0], case[5]
        want = replay_compose(A.compose, case)
        wrong = {m: or_none(replay_compose, v, case) for m, v in COMPOSE_MISTAKES.items()}
        wrong = {m: r for m, r in wrong.items() if r is not None}
        tol = _tol(want[key])
        expects.append(Expect(key, np.asarray(want[key], dtype=float), what, "compose", **tol,
                              mistakes={m: np.asarray(r[key], dtype=float) for m, r in wrong.items()}))
        expects.append(Expect(f"{key}/next_draw", want[f"{key}/next_draw"], what,
                              "compose (the generator's next draw after the call)", rtol=0, atol=0,
                              mistakes={m: r[f"{key}/next_draw"] for m, r in wrong.items()}))
        expects.append(Expect(f"{key}/again", np.asarray(want[key], dtype=float),
                              f"{what}, called a second time", "compose", **tol,
                              mistakes={"the composed function must give the same result every time it is called "
                                        "with the same seed (keep a list of the transforms, not an iterator)":
                                        np.asarray(random_image(*case[1:4]), dtype=float)}))
    return expects


CHECKS = {
    "pad_hidden": lambda: _expects("pad", A.pad, PAD_MISTAKES),
    "random_crop_hidden": lambda: _expects("random_crop", A.random_crop, CROP_MISTAKES),
    "resize_hidden": lambda: _expects("resize", A.resize, RESIZE_MISTAKES),
    "hflip_hidden": lambda: _expects("hflip", A.hflip, FLIP_MISTAKES),
    "adjust_brightness_hidden": lambda: _expects("adjust_brightness", A.adjust_brightness, BRIGHTNESS_MISTAKES),
    "adjust_contrast_hidden": lambda: _expects("adjust_contrast", A.adjust_contrast, CONTRAST_MISTAKES),
    "adjust_saturation_hidden": lambda: _expects("adjust_saturation", A.adjust_saturation, SATURATION_MISTAKES),
    "adjust_hue_hidden": adjust_hue_hidden,
    "color_jitter_hidden": lambda: _expects("color_jitter", A.color_jitter, JITTER_MISTAKES),
    "compose_hidden": compose_hidden,
}
