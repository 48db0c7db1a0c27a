"""A real Jupyter server on loopback, and JupyterLab / Notebook 7 driven in Chromium.

Used by the browser test of the explorers (tests/test_explorers.py) and by the latency
benchmark (benchmarks/explorers.py). The server runs the course's own virtual
environment; its settings turn off what would get in the way of a script (news
notifications, notebook windowing that leaves cells out of the page).
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def chapter_notebook(chapter: str, folder: Path) -> Path:
    """The chapter's MyST source as the .ipynb a learner downloads (jupytext)."""
    import jupytext

    nb = jupytext.read(ROOT / "book" / f"{chapter}.md")
    path = folder / f"{chapter}.ipynb"
    nbformat.write(nb, path)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyter_server(root: Path):
    """Yield the base URL (with token) of a Jupyter server serving ``root`` on loopback."""
    root = Path(root)
    settings = root.parent / f".{root.name}-lab-settings"
    for name, value in SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(settings / "workspaces"), PATH=f"{BIN}:{os.environ['PATH']}")
    log = open(root.parent / f".{root.name}-server.log", "w")
    server = subprocess.Popen(
        [str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--ServerApp.open_browser=False", "--allow-root"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the Jupyter server did not start; see {log.name}")
                time.sleep(0.3)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def open_notebook(page, base: str, token: str, name: str, ui: str = "lab") -> None:
    """Open ``name`` in JupyterLab (``ui="lab"``) or Notebook 7 (``ui="notebook"``)."""
    # JupyterLab restores the tabs of its last workspace: ``reset`` opens this notebook alone,
    # so the page holds no cells or explorers of a notebook an earlier page opened
    url = f"{base}/lab/tree/{name}?reset&" if ui == "lab" else f"{base}/notebooks/{name}?"
    page.goto(f"{url}token={token}")
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=120_000)
    page.wait_for_function(  # the kernel is connected and idle
        "() => [...document.querySelectorAll('.jp-Toolbar-kernelStatus, .jp-Notebook-ExecutionIndicator')]"
        ".some(e => /idle/i.test(e.getAttribute('data-status') || e.title || e.textContent || ''))",
        timeout=120_000, polling=250)


def run_all(page, timeout_s: float = 240) -> float:
    """Run every cell from the Run menu, as a learner would; wait until all have run. Returns seconds."""
    start = time.monotonic()
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                .map(p => p.textContent.trim());
            // Run All stops at an error: later cells go back to "[ ]:" and output_errors says why
            return prompts.some(p => /^\\[\\d+\\]:$/.test(p)) && !prompts.some(p => p === '[*]:');
        }""", timeout=timeout_s * 1000, polling=500)
    # Notebook 7 may not have drawn the prompts of cells below the screen yet: the kernel,
    # asked through the server's API, is the authority on whether anything still runs
    quiet = 0
    while quiet < 3:
        if time.monotonic() - start > timeout_s:
            raise TimeoutError(f"the kernel was still busy after {timeout_s} s")
        states = page.evaluate("async () => (await (await fetch('/api/kernels')).json())"
                               ".map(k => k.execution_state)")
        quiet = quiet + 1 if all(s == "idle" for s in states) else 0
        time.sleep(0.3)
    return time.monotonic() - start


ERRORS_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output')]
    .map(e => e.innerText)
    .filter(t => /Traceback \\(most recent call last\\)|^\\w*(Error|Exception): /m.test(t))"""


def output_errors(page) -> list[str]:
    """Error outputs (tracebacks) in the notebook's cells."""
    return page.evaluate(ERRORS_JS)


INSTRUMENT_JS = """() => {
    window.__keys = [];
    document.addEventListener('keydown', () => window.__keys.push(performance.now()), true);
    document.addEventListener('mouseup', () => window.__keys.push(performance.now()), true);
    window.__frames = [...document.querySelectorAll('.trainlab-explorer')].map((el, i) => {
        const frames = [];
        const img = el.querySelector('img');
        if (img) img.addEventListener('load', () => frames.push(performance.now()));
        return frames;
    });
    return window.__frames.length;
}"""


def instrument(page) -> int:
    """Time-stamp key presses and the figures the explorers load; returns how many explorers."""
    return page.evaluate(INSTRUMENT_JS)


def explorer_state(page, index: int) -> dict:
    """The image source, the error message shown, the title and the first slider of explorer ``index``."""
    return page.evaluate("""(i) => {
        const el = document.querySelectorAll('.trainlab-explorer')[i];
        const img = el.querySelector('img');
        const handle = el.querySelector('.noUi-handle');
        const message = [...el.querySelectorAll('.widget-html')].map(h => h.innerText)
            .filter(t => /could not draw/.test(t)).join(' ');
        const slider = handle && handle.closest('.widget-slider');
        const readout = slider && slider.querySelector('.widget-readout');
        return {src: img ? img.src : null, readout: readout ? readout.innerText.trim() : null, visible: !!img && img.offsetParent !== null,
                width: img ? img.naturalWidth : 0, message,
                title: (el.querySelector('b') || {}).innerText || '',
                value: handle && Number(handle.getAttribute('aria-valuenow')),
                min: handle && Number(handle.getAttribute('aria-valuemin')),
                max: handle && Number(handle.getAttribute('aria-valuemax'))};
    }""", index)


def nudge(page, index: int, key: str | None = None, timeout_s: float = 30, drag: bool = False) -> float:
    """Move the first slider of explorer ``index`` one step; wait for the new figure.

    Presses an arrow key on the slider's handle, or with ``drag`` drags the handle a few
    pixels with the mouse (Notebook 7 takes arrow keys for its own scrolling, so there a
    learner drags). Returns the milliseconds from the key press (or the mouse release) to
    the new figure loaded in the page. Without ``key``, moves away from the end of the range.
    """
    state = explorer_state(page, index)
    if key is None:
        key = "ArrowLeft" if state["value"] is not None and state["value"] >= state["max"] else "ArrowRight"
    before = page.evaluate("(i) => window.__frames[i].length", index)
    handle = page.locator(".trainlab-explorer").nth(index).locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    if drag:
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + (20 if key == "ArrowRight" else -20), y, steps=4)
        page.mouse.up()
    else:
        handle.focus()
        page.keyboard.press(key)
    page.wait_for_function("([i, n]) => window.__frames[i].length > n", arg=[index, before],
                           timeout=timeout_s * 1000, polling="raf")
    return page.evaluate("(i) => window.__frames[i][window.__frames[i].length - 1] - "
                         "window.__keys[window.__keys.length - 1]", index)


def shutdown_kernels(base: str, token: str) -> None:
    """Stop every kernel the server runs (each test leaves a clean server)."""
    kernels = json.load(urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=10))
    for kernel in kernels:
        request = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=30)
