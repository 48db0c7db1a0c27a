"""Slider to new figure on screen, in a real browser, for every explorer of every chapter.

    .venv/bin/python benchmarks/explorers.py [--moves N] [--full] [CHAPTER ...]

Starts a Jupyter server on loopback, opens each chapter (its MyST source converted to a
notebook) in JupyterLab in Debian's Chromium, runs it, then presses an arrow key on the
first slider of each explorer N times (a step away, a step back), one at a time: each time
from the key press to the ``load`` event of the new image, in the page's own clock.
Prints the median and the 95th percentile per explorer. Goal: 95th percentile under
100 ms for the 2-D optimizer explorers.

``--full`` draws the whole figure on every change (``Explorer.blit = False``), the
cost without blitting, for comparison on the same machine.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*")
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--full", action="store_true", help="no blitting: a full draw per change")
    args = parser.parse_args()
    chapters = args.chapters or sorted(p.stem for p in (ROOT / "book").glob("[0-9][0-9]_*.md"))
    folder = Path(tempfile.mkdtemp(prefix="explorers-bench-"))
    root = folder / "notebooks"
    root.mkdir()
    for chapter in chapters:
        path = jupyter.chapter_notebook(chapter, root)
        if args.full:
            import nbformat

            nb = nbformat.read(path, as_version=4)
            nb.cells.insert(0, nbformat.v4.new_code_cell(
                "import trainlab.explorers\ntrainlab.explorers.Explorer.blit = False"))
            nbformat.write(nb, path)
    mode = "full draw per change" if args.full else "blitting"
    print(f"{mode}; {args.moves} moves per explorer; milliseconds from key press to new figure loaded")
    try:
        with jupyter.jupyter_server(root) as (base, token), chromium() as browser:
            for chapter in chapters:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                jupyter.open_notebook(page, base, token, f"{chapter}.ipynb")
                jupyter.run_all(page)
                for index in range(jupyter.instrument(page)):
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
