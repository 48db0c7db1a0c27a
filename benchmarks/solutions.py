"""Seconds to execute each solution notebook with a fresh kernel (goal: under 30 s each).

    .venv/bin/python benchmarks/solutions.py [ASSIGNMENT ...]

Prints one line per notebook: the median of three runs, kernel start included.
"""
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def seconds(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - started


def main(names):
    folders = [ROOT / "solutions" / n for n in names] or sorted((ROOT / "solutions").glob("[0-9][0-9]_*"))
    for folder in folders:
        for path in sorted(folder.glob("*.ipynb")):
            runs = [seconds(path) for _ in range(3)]
            print(f"{path.relative_to(ROOT)}: median {statistics.median(runs):.2f} s "
                  f"(runs {', '.join(f'{r:.2f}' for r in runs)})")


if __name__ == "__main__":
    main(sys.argv[1:])
