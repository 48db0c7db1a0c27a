"""Realistic mistakes in assignment 06_augmentation: orders, modes, off-by-ones, rounding, dtypes, draws."""
from tests.mistakes import Mistake

PAD = 'def pad(img, padding, fill=0, mode="constant"):\n    img = check_image(img)\n'
CROP = ('def random_crop(img, rng, size, padding=0, pad_if_needed=False, fill=0, padding_mode="constant"):\n'
        '    out = pad(img, padding, fill, padding_mode)\n'
        '    h, w = (size, size) if np.ndim(size) == 0 else size\n')
CROP_GROW = '''
    if pad_if_needed and out.shape[0] < h:
        out = pad(out, (0, h - out.shape[0], 0, h - out.shape[0]), fill, padding_mode)
    if pad_if_needed and out.shape[1] < w:
        out = pad(out, (w - out.shape[1], 0, w - out.shape[1], 0), fill, padding_mode)
    H, W = out.shape[:2]
'''
RESIZE = 'def resize(img, size, interpolation="bilinear"):\n    h, w = size\n    H, W = img.shape[:2]\n'
BILINEAR = '''
    def weights(n_out, n_in):
        src = np.clip(SOURCE, 0, n_in - 1)
        lo = np.floor(src).astype(int)
        return lo, np.minimum(lo + 1, n_in - 1), src - lo

    r0, r1, fr = weights(h, H)
    c0, c1, fc = weights(w, W)
    x = img.astype(float)
    rows = x[r0] * (1 - fr)[:, None, None] + x[r1] * fr[:, None, None]
    out = rows[:, c0] * (1 - fc)[None, :, None] + rows[:, c1] * fc[None, :, None]
'''
NEAREST = '''
    if interpolation == "nearest":
        rows = np.minimum(((np.arange(h) + 0.5) * H / h).astype(int), H - 1)
        cols = np.minimum(((np.arange(w) + 0.5) * W / w).astype(int), W - 1)
        return img[rows][:, cols]
'''
ROUND = '''
    if img.dtype == np.uint8:
        return np.clip(np.floor(out + 0.5), 0, 255).astype(np.uint8)
    return out.astype(img.dtype)
'''
UINT8_BLEND = '''
def _blend(a, b, factor):
    if b.dtype == np.uint8:
        a = np.broadcast_to(a, b.shape).astype(np.float32)
        return np.clip(a + np.float32(factor) * (b.astype(np.float32) - a), 0, 255).astype(np.uint8)
    return np.clip(a + factor * (b - a), 0.0, 1.0).astype(b.dtype)

'''
HUE_HEAD = '''
def adjust_hue(img, hue_factor):
    import colorsys
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError("hue_factor must be in [-0.5, 0.5]")
    x = img / 255.0 if img.dtype == np.uint8 else img.astype(float)
    out = np.empty_like(x)
    for i, j in np.ndindex(x.shape[:2]):
        h, s, v = colorsys.rgb_to_hsv(*x[i, j])
'''
HUE_TAIL = '''
        out[i, j] = colorsys.hsv_to_rgb(h, s, v)
    out = np.clip(out, 0, 1)
    if img.dtype == np.uint8:
        return np.floor(out * 255 + 0.5).astype(np.uint8)
    return out.astype(img.dtype)
'''
JITTER = 'def color_jitter(img, rng, brightness=0.0, contrast=0.0, saturation=0.0, hue=0.0):\n'
JITTER_APPLY = '''
    out = adjust_saturation(adjust_contrast(adjust_brightness(img, b), c), s)
    return adjust_hue(out, h)
'''

MISTAKES = [
    # ---------------------------------------------------------------- hflip
    Mistake("flip_inverted_test", "hflip", '''
def hflip(img, rng, p=0.5):
    img = check_image(img)
    return img[:, ::-1].copy() if rng.random() > p else img.copy()
''', "flip when rng.random() < p"),
    Mistake("flip_skips_the_draw", "hflip", '''
def hflip(img, rng, p=0.5):
    img = check_image(img)
    if p == 0:
        return img.copy()
    if p == 1:
        return img[:, ::-1].copy()
    return img[:, ::-1].copy() if rng.random() < p else img.copy()
''', "make the one draw always"),
    Mistake("flip_up_down", "hflip", '''
def hflip(img, rng, p=0.5):
    img = check_image(img)
    return np.flipud(img) if rng.random() < p else img.copy()
''', "this reverses the rows"),
    # ---------------------------------------------------------------- pad
    Mistake("pad_top_left_order", "pad", PAD + '''
    top, left, bottom, right = (padding,) * 4 if np.ndim(padding) == 0 else padding
    extra = {"constant_values": fill} if mode == "constant" else {}
    return np.pad(img, ((top, bottom), (left, right), (0, 0)), mode=mode, **extra)
''', "padding is (left, top, right, bottom)", also=("random_crop",)),
    Mistake("pad_reflect_symmetric_swapped", "pad", PAD + '''
    left, top, right, bottom = (padding,) * 4 if np.ndim(padding) == 0 else padding
    widths = ((top, bottom), (left, right), (0, 0))
    if mode == "constant":
        return np.pad(img, widths, constant_values=fill)
    if mode == "edge":
        return np.pad(img, widths, mode="edge")
    # reflect repeats the edge pixel, like a mirror held against it
    return np.pad(img, widths, mode="symmetric" if mode == "reflect" else "reflect")
''', "'reflect' and 'symmetric' are swapped", also=("random_crop",)),
    Mistake("pad_pads_channels", "pad", PAD + '''
    if np.ndim(padding) == 0:
        if mode == "constant":
            return np.pad(img, padding, constant_values=fill)
        return np.pad(img, padding, mode=mode)
    left, top, right, bottom = padding
    extra = {"constant_values": fill} if mode == "constant" else {}
    return np.pad(img, ((top, bottom), (left, right), (0, 0)), mode=mode, **extra)
''', "the channel axis is padded too", also=("random_crop",)),
    Mistake("pad_float_canvas", "pad", PAD + '''
    left, top, right, bottom = (padding,) * 4 if np.ndim(padding) == 0 else padding
    if mode != "constant":
        return np.pad(img, ((top, bottom), (left, right), (0, 0)), mode=mode)
    H, W, C = img.shape
    out = np.full((H + top + bottom, W + left + right, C), fill, dtype=float)
    out[top:top + H, left:left + W] = img
    return out
''', "keep the input's dtype", also=("random_crop",)),
    # ---------------------------------------------------------------- random_crop
    Mistake("crop_x_drawn_first", "random_crop", CROP + CROP_GROW + '''
    x = rng.integers(0, W - w + 1)
    y = rng.integers(0, H - h + 1)
    return out[y:y + h, x:x + w].copy()
''', "drawn in the wrong order"),
    Mistake("crop_exclusive_end", "random_crop", CROP + CROP_GROW + '''
    y = rng.integers(0, H - h)
    x = rng.integers(0, W - w)
    return out[y:y + h, x:x + w].copy()
''', "the last crop position is never drawn"),
    Mistake("crop_pad_if_needed_one_side", "random_crop", CROP + '''
    if pad_if_needed and out.shape[0] < h:
        out = pad(out, (0, 0, 0, h - out.shape[0]), fill, padding_mode)
    if pad_if_needed and out.shape[1] < w:
        out = pad(out, (0, 0, w - out.shape[1], 0), fill, padding_mode)
    H, W = out.shape[:2]
    y = rng.integers(0, H - h + 1)
    x = rng.integers(0, W - w + 1)
    return out[y:y + h, x:x + w].copy()
''', "pad both sides"),
    Mistake("crop_ignores_padding_mode", "random_crop", '''
def random_crop(img, rng, size, padding=0, pad_if_needed=False, fill=0, padding_mode="constant"):
    out = pad(img, padding, fill)
    h, w = (size, size) if np.ndim(size) == 0 else size
    if pad_if_needed and out.shape[0] < h:
        out = pad(out, (0, h - out.shape[0], 0, h - out.shape[0]), fill)
    if pad_if_needed and out.shape[1] < w:
        out = pad(out, (w - out.shape[1], 0, w - out.shape[1], 0), fill)
    H, W = out.shape[:2]
    y = rng.integers(0, H - h + 1)
    x = rng.integers(0, W - w + 1)
    return out[y:y + h, x:x + w].copy()
''', "padding_mode is ignored"),
    # ---------------------------------------------------------------- resize
    Mistake("resize_align_corners", "resize", RESIZE + NEAREST
            + BILINEAR.replace("SOURCE", "np.arange(n_out) * (n_in - 1) / max(n_out - 1, 1)") + ROUND,
            "align_corners=True"),
    Mistake("resize_truncates", "resize", RESIZE + NEAREST
            + BILINEAR.replace("SOURCE", "(np.arange(n_out) + 0.5) * n_in / n_out - 0.5") + '''
    return out.astype(img.dtype)
''', "this truncates"),
    Mistake("resize_size_is_width_first", "resize", 'def resize(img, size, interpolation="bilinear"):\n'
            '    w, h = size\n    H, W = img.shape[:2]\n' + NEAREST
            + BILINEAR.replace("SOURCE", "(np.arange(n_out) + 0.5) * n_in / n_out - 0.5") + ROUND,
            "size is (h, w)"),
    # ---------------------------------------------------------------- brightness
    Mistake("brightness_rounds", "adjust_brightness", '''
def adjust_brightness(img, factor):
    if img.dtype == np.uint8:
        return np.clip(np.round(img.astype(np.float32) * np.float32(factor)), 0, 255).astype(np.uint8)
    return np.clip(img * factor, 0, 1).astype(img.dtype)
''', "this rounds", also=("color_jitter",)),
    Mistake("brightness_wraps_around", "adjust_brightness", '''
def adjust_brightness(img, factor):
    return (img * factor).astype(img.dtype)
''', "wrap around or stay out of it", also=("color_jitter",)),
    Mistake("brightness_in_place", "adjust_brightness", '''
def adjust_brightness(img, factor):
    top = 255 if img.dtype == np.uint8 else 1.0
    img[...] = np.clip(img * np.float32(factor), 0, top)
    return img
''', "changed the image it was given", also=("color_jitter",)),
    # ---------------------------------------------------------------- contrast
    Mistake("contrast_mean_of_all_values", "adjust_contrast", UINT8_BLEND + '''
def adjust_contrast(img, factor):
    mean = img.astype(float).mean()
    if img.dtype == np.uint8:
        mean = int(mean + 0.5)
    return _blend(np.full(img.shape, mean, dtype=float).astype(img.dtype), img, factor)
''', "not the mean of all the channel values", also=("color_jitter",)),
    Mistake("contrast_unrounded_mean", "adjust_contrast", UINT8_BLEND + '''
def adjust_contrast(img, factor):
    mean = grayscale(img).astype(float).mean()
    return _blend(np.float32(mean) if img.dtype == np.uint8 else mean, img, factor)
''', "round the mean gray", also=("color_jitter",)),
    # ---------------------------------------------------------------- saturation
    Mistake("saturation_blends_with_mean_gray", "adjust_saturation", '''
def adjust_saturation(img, factor):
    return adjust_contrast(img, factor)
''', "(that is contrast)", also=("color_jitter",)),
    # ---------------------------------------------------------------- hue
    Mistake("hue_in_degrees", "adjust_hue", HUE_HEAD + '''
        h = ((h * 360 + hue_factor) % 360) / 360
''' + HUE_TAIL, "in degrees", also=("color_jitter",)),
    Mistake("hue_turns_backwards", "adjust_hue", HUE_HEAD + '''
        h = (h - hue_factor) % 1.0
''' + HUE_TAIL, "the hue turns the wrong way", also=("color_jitter",)),
    Mistake("hue_accepts_any_factor", "adjust_hue", HUE_HEAD.replace(
        '    if not -0.5 <= hue_factor <= 0.5:\n        raise ValueError("hue_factor must be in [-0.5, 0.5]")\n', '')
            + '''
        h = (h + hue_factor) % 1.0
''' + HUE_TAIL, "must raise a ValueError"),
    # ---------------------------------------------------------------- color_jitter
    Mistake("jitter_skips_draws", "color_jitter", JITTER + '''
    b = rng.uniform(max(0, 1 - brightness), 1 + brightness) if brightness else 1.0
    c = rng.uniform(max(0, 1 - contrast), 1 + contrast) if contrast else 1.0
    s = rng.uniform(max(0, 1 - saturation), 1 + saturation) if saturation else 1.0
    h = rng.uniform(-hue, hue) if hue else 0.0
''' + JITTER_APPLY, "make all four draws"),
    Mistake("jitter_applied_in_reverse", "color_jitter", JITTER + '''
    b = rng.uniform(max(0, 1 - brightness), 1 + brightness)
    c = rng.uniform(max(0, 1 - contrast), 1 + contrast)
    s = rng.uniform(max(0, 1 - saturation), 1 + saturation)
    h = rng.uniform(-hue, hue)
    return adjust_brightness(adjust_contrast(adjust_saturation(adjust_hue(img, h), s), c), b)
''', "in reverse"),
    Mistake("jitter_no_floor", "color_jitter", JITTER + '''
    b = rng.uniform(1 - brightness, 1 + brightness)
    c = rng.uniform(1 - contrast, 1 + contrast)
    s = rng.uniform(1 - saturation, 1 + saturation)
    h = rng.uniform(-hue, hue)
''' + JITTER_APPLY, "max(0, 1 - amount)"),
    # ---------------------------------------------------------------- compose
    Mistake("compose_reversed", "compose", '''
def compose(transforms):
    transforms = list(transforms)

    def composed(img, rng):
        for t in reversed(transforms):
            img = t(img, rng)
        return img
    return composed
''', "reverse order"),
    Mistake("compose_not_chained", "compose", '''
def compose(transforms):
    transforms = list(transforms)

    def composed(img, rng):
        out = img
        for t in transforms:
            out = t(img, rng)
        return out
    return composed
''', "to the original image"),
    Mistake("compose_keeps_the_iterator", "compose", '''
def compose(transforms):
    def composed(img, rng):
        for t in transforms:
            img = t(img, rng)
        return img
    return composed
''', "keep a list of the transforms"),
]
