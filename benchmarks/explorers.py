"""Slider to new figure on screen, in a real browser, for every explorer of every chapter.

    .venv/bin/python benchmarks/explorers.py [--moves N] [--full | --ipympl] [CHAPTER ...]

Starts a Jupyter server on loopback, opens each chapter (its MyST source converted to a
notebook) in JupyterLab in Debian's Chromium, runs it, then presses an arrow key on the
first slider of each explorer N times (a step away, a step back), one at a time: each time
from the key press to the ``load`` event of the new image, in the page's own clock.
Prints the median and the 95th percentile per explorer. Goal: 95th percentile under
100 ms for the 2-D optimizer explorers.

``--full`` draws the whole figure on every change (``Explorer.blit = False``), the
cost without blitting, for comparison on the same machine.

``--ipympl`` draws the same explorers with ipympl (the canvas of ``%matplotlib widget``): the
same controls, ``setup`` and ``update``, but the figure is ipympl's canvas widget, redrawn
with ``draw_idle()`` on every change; the time runs to the moment ipympl paints the new
frame onto its canvas. This is the alternative the course's Agg-and-PNG route was chosen
against.
"""
import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import jupyter  # noqa: E402
from tests.browser import chromium  # noqa: E402


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# Run first in a chapter's notebook: every explorer built after it draws through ipympl.
IPYMPL_CELL = '''
import ipywidgets as widgets
from ipympl.backend_nbagg import Canvas, FigureManager
from matplotlib.figure import Figure
import trainlab.explorers as E

E.animate = lambda *artists: None  # ipympl draws every artist on every frame


class IpymplExplorer(E.Explorer):
    """The same controls, setup and update, drawn by ipympl's canvas widget."""

    def __init__(self, controls, setup, update, *, figsize=(10, 4), title="", dpi=80):
        # An ipympl canvas of its own, whatever backend the chapter selects (it says inline).
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = Canvas(self.figure)
        FigureManager(self.canvas, id(self.figure))
        self.canvas.header_visible = self.canvas.toolbar_visible = self.canvas.footer_visible = False
        self.controls, self._update, self.error, self._held = dict(controls), update, None, False
        self._background, self._animated, self.redraws, self.full_draws = None, [], 0, 0
        self.artists = setup(self.figure)
        self.image = self.canvas  # what the base class hides when it shows an error
        self.message = widgets.HTML(layout=widgets.Layout(display="none"))
        header = [widgets.HTML(f"<b>{title}</b>")] if title else []
        self.widget = widgets.VBox(header + [widgets.HBox(list(self.controls.values()),
                                   layout=widgets.Layout(flex_flow="row wrap")), self.message, self.canvas])
        self.widget.add_class("trainlab-explorer")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    def redraw(self):
        try:
            self._update(self.artists, **self.values)
        except Exception as error:
            self._show_error(error)
            return
        self.error = None
        self.message.layout.display = "none"
        self.canvas.layout.display = None
        self.canvas.draw_idle()
        self.redraws += 1


E.Explorer = IpymplExplorer
'''

# Frames painted on an explorer's ipympl canvas, time-stamped (replaces the image loads).
IPYMPL_FRAMES_JS = """() => {
    const explorers = [...document.querySelectorAll('.trainlab-explorer')];
    const original = CanvasRenderingContext2D.prototype.drawImage;
    CanvasRenderingContext2D.prototype.drawImage = function (...args) {
        const index = explorers.findIndex(el => el.contains(this.canvas));
        if (index >= 0) window.__frames[index].push(performance.now());
        return original.apply(this, args);
    };
    window.__frames.forEach(frames => frames.length = 0);
    return explorers.length;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*")
    parser.add_argument("--moves", type=int, default=40)
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--full", action="store_true", help="no blitting: a full draw per change")
    how.add_argument("--ipympl", action="store_true", help="the same explorers drawn by ipympl")
    args = parser.parse_args()
    if args.ipympl:
        try:
            import ipympl  # noqa: F401
        except ImportError:
            raise SystemExit("--ipympl needs ipympl in .venv (.venv/bin/pip install ipympl)")
    chapters = args.chapters or sorted(p.stem for p in (ROOT / "book").glob("[0-9][0-9]_*.md"))
    folder = Path(tempfile.mkdtemp(prefix="explorers-bench-"))
    root = folder / "notebooks"
    root.mkdir()
    for chapter in chapters:
        path = jupyter.chapter_notebook(chapter, root)
        if args.full or args.ipympl:
            import nbformat

            nb = nbformat.read(path, as_version=4)
            first = IPYMPL_CELL if args.ipympl else "import trainlab.explorers\ntrainlab.explorers.Explorer.blit = False"
            nb.cells.insert(0, nbformat.v4.new_code_cell(first.strip()))
            nbformat.write(nb, path)
    mode = "ipympl, draw_idle per change" if args.ipympl else "full draw per change" if args.full else "blitting"
    print(f"{mode}; {args.moves} moves per explorer; milliseconds from key press to new figure loaded")
    try:
        with jupyter.jupyter_server(root) as (base, token), chromium() as browser:
            for chapter in chapters:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                jupyter.open_notebook(page, base, token, f"{chapter}.ipynb")
                jupyter.run_all(page)
                count = jupyter.instrument(page)
                if args.ipympl:
                    page.wait_for_timeout(2000)  # let every canvas paint its first frame
                    count = page.evaluate(IPYMPL_FRAMES_JS)
                for index in range(count):
                    title = jupyter.explorer_state(page, index)["title"] or f"explorer {index}"
                    jupyter.nudge(page, index)  # warm up: the first frame after a run is not typical
                    latencies = [jupyter.nudge(page, index, "ArrowLeft" if k % 2 else None)
                                 for k in range(args.moves)]  # one step away and back (None: away from the end)
                    print(f"{chapter:24s} {title:40s} median {statistics.median(latencies):6.1f}  "
                          f"p95 {percentile(latencies, 0.95):6.1f}  max {max(latencies):6.1f}", flush=True)
                page.close()
                jupyter.shutdown_kernels(base, token)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
