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


# ---------------------------------------------------------------- more reference properties

import colorsys  # noqa: E402


@pytest.mark.parametrize("hue_factor", [-0.5, -0.31, 0.0, 0.07, 0.25, 0.5])
def test_hue_equals_colorsys_pixel_by_pixel(hue_factor):
    rng = np.random.default_rng(3)
    img = rng.random((6, 7, 3))
    img[0, 0] = (0.4, 0.4, 0.4)   # gray: no hue
    img[0, 1] = (0.0, 0.0, 0.0)   # black
    img[0, 2] = (1.0, 0.2, 1.0)   # two channels tie for the maximum
    out = A.adjust_hue(img, hue_factor)
    for i, j in np.ndindex(img.shape[:2]):
        h, s, v = colorsys.rgb_to_hsv(*img[i, j])
        want = colorsys.hsv_to_rgb((h + hue_factor) % 1.0, s, v)
        np.testing.assert_allclose(out[i, j], want, atol=1e-12)
    hsv = A.rgb_to_hsv(img)
    for i, j in np.ndindex(img.shape[:2]):
        np.testing.assert_allclose(hsv[i, j], colorsys.rgb_to_hsv(*img[i, j]), atol=1e-12)


def test_uint8_hue_is_the_float_result_rounded():
    img = IMAGES[2]
    want = np.floor(A.adjust_hue(img / 255.0, 0.3) * 255 + 0.5)
    np.testing.assert_array_equal(A.adjust_hue(img, 0.3), want.astype(np.uint8))
    np.testing.assert_array_equal(A.adjust_hue(img, 0.0), img)   # the HSV round trip loses nothing
    with pytest.raises(ValueError, match=r"hue_factor must be in \[-0.5, 0.5\]"):
        A.adjust_hue(img, 0.6)


def test_the_padding_modes_on_one_row_as_the_assignment_tables_them():
    row = np.array([[1, 2, 3]], dtype=np.uint8)[..., None]
    got = {m: A.pad(row, (2, 0, 2, 0), mode=m)[0, :, 0].tolist() for m in A.PADDING_MODES}
    assert got == {"constant": [0, 0, 1, 2, 3, 0, 0], "edge": [1, 1, 1, 2, 3, 3, 3],
                   "reflect": [3, 2, 1, 2, 3, 2, 1], "symmetric": [2, 1, 1, 2, 3, 3, 2]}
    with pytest.raises(ValueError, match="mode must be one of"):
        A.pad(row, 1, mode="wrap")


def test_pad_if_needed_pads_both_sides_by_the_missing_amount():
    img = np.full((2, 3, 1), 9, dtype=np.uint8)
    out = A.pad(img, 0)
    crops = {tuple(np.argwhere(A.random_crop(img, np.random.default_rng(s), (4, 5), pad_if_needed=True)[..., 0] == 9)[0])
             for s in range(60)}
    assert crops == {(y, x) for y in range(3) for x in range(3)}  # 2 + 2 + 2 rows, 3 + 2 + 2 columns: 3 x 3 offsets
    assert out.shape == img.shape
    with pytest.raises(ValueError, match="use pad_if_needed=True"):
        A.random_crop(img, np.random.default_rng(0), (4, 5))


def test_flip_probability_and_its_single_draw():
    img = IMAGES[1]
    flips = [not np.array_equal(A.hflip(img, np.random.default_rng(s), p=0.3), img) for s in range(400)]
    assert 0.22 < np.mean(flips) < 0.38
    for p in (0.0, 1.0):
        rng = np.random.default_rng(1)
        A.hflip(img, rng, p=p)
        assert rng.random() == np.random.default_rng(1).uniform(size=2)[1]  # exactly one draw, whatever p


def test_resize_matches_pillow_bilinear_when_upsampling_and_nearest_everywhere_but_exact_ties():
    img = IMAGES[2]
    for size in [(40, 50), (62, 48), (31, 24)]:
        ours = A.resize(img, size, "bilinear").astype(int)
        pil = np.asarray(Image.fromarray(img).resize(size[::-1], Image.Resampling.BILINEAR)).astype(int)
        assert np.abs(ours - pil).max() <= 1, size   # Pillow rounds in fixed point
    ours = A.resize(img, (53, 17), "nearest")
    pil = np.asarray(Image.fromarray(img).resize((17, 53), Image.Resampling.NEAREST))
    assert (ours != pil).any(axis=2).mean() < 0.05


def test_compose_threads_one_generator_through_the_transforms_in_order():
    img = IMAGES[1]
    pipeline = A.compose([lambda im, r: A.hflip(im, r, p=0.5),
                          lambda im, r: A.random_crop(im, r, (8, 8), padding=2, padding_mode="reflect")])
    a, b = pipeline(img, np.random.default_rng(9)), pipeline(img, np.random.default_rng(9))
    np.testing.assert_array_equal(a, b)
    rng = np.random.default_rng(9)
    step = A.hflip(img, rng, p=0.5)
    np.testing.assert_array_equal(a, A.random_crop(step, rng, (8, 8), padding=2, padding_mode="reflect"))


def test_color_jitter_makes_four_draws_and_keeps_dtype():
    for img in (IMAGES[2], (IMAGES[2] / 255.0).astype(np.float32)):
        rng = np.random.default_rng(2)
        out = A.color_jitter(img, rng, 0.4, 0.4, 0.4, 0.1)
        assert out.dtype == img.dtype and out.shape == img.shape
        assert rng.random() == np.random.default_rng(2).uniform(size=5)[4]
    rng = np.random.default_rng(2)
    np.testing.assert_array_equal(A.color_jitter(IMAGES[2], rng), IMAGES[2])


# ---------------------------------------------------------------- trainlab helpers of chapter 6

from trainlab import datasets  # noqa: E402


def test_random_image_is_seeded_and_typed():
    a, b = datasets.random_image(4, (3, 5, 3)), datasets.random_image(4, (3, 5, 3))
    assert a.dtype == np.uint8 and np.array_equal(a, b)
    f = datasets.random_image(4, (2, 2, 1), "float32")
    assert f.dtype == np.float32 and 0 <= f.min() and f.max() < 1
    with pytest.raises(ValueError, match="dtype must be uint8 or a float type"):
        datasets.random_image(0, (2, 2, 3), "int16")


def test_the_bundled_photographs_and_digits():
    photo = datasets.photo("china", size=(32, 48))
    assert photo.shape == (32, 48, 3) and photo.dtype == np.uint8 and photo.std() > 20
    with pytest.raises(ValueError, match="name must be one of"):
        datasets.photo("cat")
    images, labels = datasets.digit_images()
    assert images.shape == (1797, 8, 8, 1) and images.max() == 1.0 and set(labels) == set(range(10))


# ---------------------------------------------------------------- the explorer

from trainlab import explorers_augmentation as EA  # noqa: E402

TRANSFORMS = dict(hflip=A.hflip, resize=A.resize, random_crop=A.random_crop, color_jitter=A.color_jitter)


def test_explorer_first_control_is_a_slider_and_a_move_changes_only_the_crops():
    ex = EA.augmentation_explorer(**TRANSFORMS)
    assert ex.error is None and list(ex.controls)[0] == "padding"
    import ipywidgets as widgets
    assert isinstance(ex.controls["padding"], widgets.FloatSlider)
    cells = ex.artists["cells"]
    before = {k: np.array(a.get_array()) for k, a in cells.items()}
    first, full = ex.image.value, ex.full_draws
    ex.set(padding=0.3)
    assert ex.error is None and ex.image.value != first and ex.full_draws == full  # blitted
    moved = [k for k, a in cells.items() if not np.array_equal(np.array(a.get_array()), before[k])]
    assert moved, "no augmented image changed"
    # brightness alone: the crops stay where they were, every pixel of a photograph is scaled by one factor
    ex.set(brightness=0.0, contrast=0.0, saturation=0.0, hue=0.0, p=0.0)
    plain = {k: np.array(a.get_array(), dtype=float) for k, a in cells.items()}
    ex.set(brightness=0.8)
    for (row, col), a in cells.items():
        if row == 0:
            now, was = np.array(a.get_array(), dtype=float), plain[row, col]
            kept = (was > 40) & (now < 250)
            ratio = now[kept] / was[kept]
            assert kept.sum() > 1000 and ratio.std() < 0.02, f"cell {(row, col)}: more than the brightness moved"


def test_explorer_seeds_every_step_apart():
    img = datasets.random_image(0, (10, 12, 3))
    kw = dict(TRANSFORMS, padding=2, padding_mode="reflect")
    a = EA.augment(img, 5, **kw, brightness=0.0)
    b = EA.augment(img, 5, **kw, brightness=0.5)
    # the same crop, only brighter: the two images are proportional where nothing clips
    assert np.corrcoef(a.ravel().astype(float), b.ravel().astype(float))[0, 1] > 0.95
    digit = datasets.digit_images()[0][0]
    out = EA.augment(digit, 1, **TRANSFORMS, padding=2, scale=1.5, saturation=0.5, hue=0.3)
    assert out.shape == digit.shape and out.dtype == digit.dtype


def test_explorer_shows_a_learner_error_and_recovers():
    def crop(img, rng, size, **kw):
        if kw["padding"] > 10:
            raise ZeroDivisionError("boom")
        return A.random_crop(img, rng, size, **kw)

    def flat_jitter(img, rng, *amounts):
        return img[..., 0]

    ex = EA.augmentation_explorer(**dict(TRANSFORMS, random_crop=crop))
    assert ex.error is None
    ex.set(padding=0.3)
    assert ex.error and "ZeroDivisionError: boom" in ex.error and ex.message.layout.display is None
    ex.set(padding=0.1)
    assert ex.error is None and ex.message.layout.display == "none"
    ex = EA.augmentation_explorer(**dict(TRANSFORMS, color_jitter=flat_jitter))
    assert "color_jitter returned shape (64, 96); expected (64, 96, 3)" in ex.error


# ---------------------------------------------------------------- the assignment, graded for real

import nbformat  # noqa: E402

from tests.conftest import autograded, check_catalog_row, failure_messages, grade_catalog, solution_path  # noqa: E402
from tests.mistakes.augmentation import MISTAKES  # noqa: E402

ASSIGNMENT = "06_augmentation"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    work = tmp_path_factory.mktemp("augmentation_class")
    rows, out, _ = grade_catalog(ASSIGNMENT, MISTAKES, work)
    return work, rows, out


def test_the_solution_earns_full_marks(graded):
    work, rows, _ = graded
    assert rows["solution"]["status"] == "graded"
    assert float(rows["solution"]["score"]) == float(rows["solution"]["max_score"]) == 30.0
    assert failure_messages(autograded(work, "solution", ASSIGNMENT)) == {}


def test_the_released_notebook_earns_zero(graded):
    _, rows, _ = graded
    assert rows["released"]["status"] == "graded" and float(rows["released"]["score"]) == 0.0


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_every_catalogued_mistake_loses_points_and_is_named(graded, mistake):
    work, rows, _ = graded
    check_catalog_row(work, rows, ASSIGNMENT, mistake)


def test_every_hidden_check_has_a_hidden_cell():
    from grading.compare import expected_records

    solution = nbformat.read(solution_path(ASSIGNMENT), as_version=4)
    hidden = {c.metadata["nbgrader"]["grade_id"] for c in solution.cells if "BEGIN HIDDEN TESTS" in c.source}
    assert hidden == set(expected_records(ASSIGNMENT))


def test_every_hidden_case_of_the_checks_is_in_its_cell():
    from grading.checks.augmentation import CASES, COMPOSE_CASES

    solution = nbformat.read(solution_path(ASSIGNMENT), as_version=4)
    sources = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solution.cells
               if "BEGIN HIDDEN TESTS" in c.source}
    for function, cases in CASES.items():
        for case in cases:
            assert repr(case[:5]) in sources[f"{function}_hidden"], (function, case[0])
    for case in COMPOSE_CASES:
        assert repr(case[:5]) in sources["compose_hidden"], case[0]
