"""Chapter 6: the reference transforms proven against Pillow (ImageEnhance, ImageOps, Image.crop)."""
import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageOps

from grading.reference import augmentation as A

IMAGES = [np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)
          for seed, (h, w) in enumerate([(5, 7), (16, 9), (31, 24), (1, 13)])]


@pytest.mark.parametrize("factor", [0.0, 0.3, 0.77, 1.0, 1.4, 2.5])
@pytest.mark.parametrize("enhancer, ours", [(ImageEnhance.Brightness, A.adjust_brightness),
                                            (ImageEnhance.Contrast, A.adjust_contrast),
                                            (ImageEnhance.Color, A.adjust_saturation)])
def test_colour_adjustments_equal_pillow_bit_for_bit(enhancer, ours, factor):
    for img in IMAGES:
        got = ours(img, factor)
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, np.asarray(enhancer(Image.fromarray(img)).enhance(factor)))


def test_flip_and_crop_equal_pillow():
    for img in IMAGES:
        pil = Image.fromarray(img)
        np.testing.assert_array_equal(A.hflip(img, np.random.default_rng(0), p=1.0), np.asarray(ImageOps.mirror(pil)))
        np.testing.assert_array_equal(A.hflip(img, np.random.default_rng(0), p=0.0), img)
        h, w = max(1, img.shape[0] - 2), max(1, img.shape[1] - 3)
        crop = A.random_crop(img, np.random.default_rng(5), (h, w))
        rng = np.random.default_rng(5)
        y, x = rng.integers(0, img.shape[0] - h + 1), rng.integers(0, img.shape[1] - w + 1)
        np.testing.assert_array_equal(crop, np.asarray(pil.crop((x, y, x + w, y + h))))


@pytest.mark.parametrize("mode", A.PADDING_MODES)
def test_padding_keeps_dtype_and_adds_the_border(mode):
    for img in (IMAGES[1], IMAGES[1] / 255.0):
        out = A.pad(img, (1, 2, 3, 4), fill=0, mode=mode)
        assert out.dtype == img.dtype and out.shape == (16 + 6, 9 + 4, 3)
        np.testing.assert_array_equal(out[2:-4, 1:-3], img)


def test_float_adjustments_clip_to_unit_range_and_keep_dtype():
    img = (IMAGES[2] / 255.0).astype(np.float32)
    for fn in (A.adjust_brightness, A.adjust_contrast, A.adjust_saturation):
        out = fn(img, 2.5)
        assert out.dtype == np.float32 and out.min() >= 0 and out.max() <= 1
    np.testing.assert_allclose(A.adjust_hue(img, 0.0), img, atol=1e-6)
    np.testing.assert_allclose(A.hsv_to_rgb(A.rgb_to_hsv(img.astype(float))), img, atol=1e-6)
