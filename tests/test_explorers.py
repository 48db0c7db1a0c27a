"""Explorers: redraw only what changed, and respond live in a real JupyterLab and Notebook 7.

The unit tests check the drawing (a blitted frame is the figure a full draw gives). The
browser tests start a real Jupyter server on loopback, open every chapter (converted
from its MyST source, as a learner downloads it) and an assignment in Debian's
Chromium, run all cells from the Run menu, then move a slider of every explorer with
the keyboard and check that a new figure arrived and no error appeared.
"""
import io
import shutil

import numpy as np
import pytest
from PIL import Image

from tests.conftest import ROOT, solution_path
from trainlab import explorers

CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("[0-9][0-9]_*.md"))


def plain_descent(grad, x0, lr, num_steps):
    path = [np.asarray(x0, dtype=float)]
    for _ in range(num_steps):
        path.append(path[-1] - lr * grad(path[-1]))
    return np.array(path)


def momentum_rule(w, dw, state=None, lr=0.01, momentum=0.9):
    v = momentum * (state or {}).get("velocity", np.zeros_like(w)) - lr * dw
    return w + v, {"velocity": v}


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


BUILDERS = {
    "gradient_descent_1d": lambda: explorers.gradient_descent_1d(plain_descent),
    "gradient_descent_2d": lambda: explorers.gradient_descent_2d(plain_descent),
    "momentum_2d": lambda: explorers.momentum_2d(momentum_rule, momentum_rule),
    "race_2d": lambda: explorers.race_2d({"a": momentum_rule, "b": momentum_rule}),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_a_small_slider_move_blits_and_draws_the_same_figure_as_a_full_draw(name):
    explorer = BUILDERS[name]()
    full_draws = explorer.full_draws
    explorer.set(lr=explorer.controls["lr"].value * 1.02)
    assert explorer.error is None and explorer.redraws == 2
    assert explorer.full_draws == full_draws, "a move of lr alone redrew the whole figure"
    blitted = pixels(explorer.image.value)
    explorer.blit = False
    explorer.redraw()
    assert explorer.full_draws == full_draws + 1
    assert np.array_equal(blitted, pixels(explorer.image.value))


def test_dragging_lr_or_the_start_of_the_1d_explorer_never_redraws_the_whole_figure():
    explorer = BUILDERS["gradient_descent_1d"]()
    full_draws = explorer.full_draws
    for lr in np.geomspace(0.02, 2.5, 12):  # from crawling to diverging
        explorer.set(lr=float(lr))
    for x0 in np.linspace(-2.5, 2.5, 12):
        explorer.set(x0=float(x0))
    assert explorer.error is None and explorer.full_draws == full_draws


def test_a_new_landscape_redraws_the_whole_figure():
    explorer = BUILDERS["gradient_descent_2d"]()
    before = explorer.full_draws
    explorer.set(landscape="Rosenbrock")
    assert explorer.full_draws == before + 1 and explorer.error is None


def differing(a: bytes, b: bytes) -> float:
    """The fraction of pixels that differ between two PNG images."""
    return float((pixels(a) != pixels(b)).any(axis=2).mean())


def test_the_static_figure_shows_the_moving_artists_too():
    explorer = BUILDERS["gradient_descent_2d"]()
    static, live = explorer.png(), explorer.frame()
    assert differing(static, live) < 1e-3  # savefig interleaves z-orders; blitting draws the paths last
    for artist in explorer._animated:
        artist.set_visible(False)
    assert differing(static, explorer.frame()) > 1e-2  # the paths and curves are part of the static figure


def test_the_static_site_gets_the_default_figure_with_a_pointer_to_run_it_live():
    explorer = BUILDERS["momentum_2d"]()
    bundle = explorer._repr_mimebundle_()
    static, live = pixels(bundle["image/png"]), pixels(explorer.frame())
    assert "application/vnd.jupyter.widget-view+json" in bundle  # a live kernel shows the widget
    assert static.shape[0] > live.shape[0] + 8  # a strip below the figure holds the note
    strip = static[live.shape[0] - 4:]
    assert (strip < 200).any(), "the note below the figure is blank"
    assert np.array_equal(pixels(explorer.frame()), live)  # the note never reaches the live figure


# ---------------------------------------------------------------- in a real browser

@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    from tests import jupyter
    from tests.browser import chromium

    root = tmp_path_factory.mktemp("lab") / "notebooks"
    root.mkdir()
    for chapter in CHAPTERS:
        jupyter.chapter_notebook(chapter, root)
    shutil.copy(solution_path("01_gradient_descent"), root / "01_gradient_descent_solution.ipynb")
    with jupyter.jupyter_server(root) as (base, token), chromium() as browser:
        yield jupyter, base, token, browser


def run_notebook(lab, name: str, ui: str):
    """Open ``name`` and run all its cells; page errors are collected from the first cell run on.

    Errors thrown while the front end itself starts (Notebook 7.x throws "Cannot read
    properties of undefined (reading 'schema')" or "Command 'filebrowser:open-path' not
    registered" as it loads, with or without this course's notebooks) are not the explorers'.
    """
    jupyter, base, token, browser = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors, started = [], []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}") if started else None)
    jupyter.open_notebook(page, base, token, name, ui)
    page.wait_for_timeout(1000)  # let the front end finish starting
    started.append(True)
    jupyter.run_all(page)
    return page, errors


def move_every_explorer(lab, page, errors, drag=False):
    jupyter = lab[0]
    assert jupyter.output_errors(page) == []
    count = jupyter.instrument(page)
    assert count >= 1, "no explorer in this notebook"
    for index in range(count):
        before = jupyter.explorer_state(page, index)
        assert before["visible"] and before["width"] > 0 and not before["message"], before
        jupyter.nudge(page, index, drag=drag)
        after = jupyter.explorer_state(page, index)
        assert after["src"] != before["src"] and after["readout"] != before["readout"], (before, after)
        assert after["visible"] and not after["message"], after
    assert jupyter.output_errors(page) == [] and errors == []


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_explorer_of_a_chapter_follows_its_slider_in_jupyterlab(lab, chapter):
    page, errors = run_notebook(lab, f"{chapter}.ipynb", "lab")
    try:
        move_every_explorer(lab, page, errors)
    finally:
        page.close()
        lab[0].shutdown_kernels(lab[1], lab[2])


def test_an_assignment_explorer_runs_the_learners_functions_in_notebook_7(lab):
    page, errors = run_notebook(lab, "01_gradient_descent_solution.ipynb", "notebook")
    try:
        move_every_explorer(lab, page, errors, drag=True)
    finally:
        page.close()
        lab[0].shutdown_kernels(lab[1], lab[2])


def test_a_burst_of_slider_moves_ends_on_the_last_value_without_a_frame_per_move(lab):
    jupyter = lab[0]
    page, errors = run_notebook(lab, "02_momentum.ipynb", "lab")
    try:
        jupyter.instrument(page)
        handle = page.locator(".trainlab-explorer").first.locator(".noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        start = jupyter.explorer_state(page, 0)
        for _ in range(12):
            page.keyboard.press("ArrowLeft")
        page.wait_for_function(  # the last frame arrives after the last key press
            "() => window.__frames[0].length && window.__frames[0].at(-1) > window.__keys.at(-1)",
            timeout=60_000)
        page.wait_for_timeout(1500)  # nothing else is queued
        frames = page.evaluate("() => window.__frames[0].length")
        end = jupyter.explorer_state(page, 0)
        assert end["value"] < start["value"] and not end["message"]
        assert 1 <= frames < 12, f"{frames} frames for 12 moves: stale frames were queued"
        assert errors == []
    finally:
        page.close()
        jupyter.shutdown_kernels(lab[1], lab[2])
