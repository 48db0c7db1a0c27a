"""Seconds to build the book: cold, unchanged, after touching a chapter, after editing one.

    .venv/bin/python benchmarks/book.py [CHAPTER]

Builds a copy of the committed sources (``git ls-files`` plus the working tree's
changes to them) in a scratch folder, as ``make book`` builds them (execution cached,
warnings as errors), and prints one line per build:

* cold: no cache, every chapter executed;
* unchanged: the same sources again (Sphinx reads nothing, nothing executes);
* touched: CHAPTER's file saved without a change (Sphinx rereads it, the execution
  cache answers: its code did not change);
* prose edited: a sentence appended to CHAPTER's last paragraph (reread, not executed);
* code edited: a comment appended to CHAPTER's first code cell (the cache misses: the
  chapter executes again).

CHAPTER defaults to the first chapter of the book.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"


def copy_sources(target: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def build(folder: Path) -> float:
    started = time.perf_counter()
    process = subprocess.run([str(JUPYTER_BOOK), "build", ".", "--warningiserror", "--nitpick",
                              "--keep-going"], cwd=folder, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"the build failed:\n{process.stdout[-3000:]}\n{process.stderr[-3000:]}")
    return seconds


def report(label: str, seconds: float) -> None:
    print(f"{label + ':':<36} {seconds:6.1f} s", flush=True)


def main(argv: list[str]) -> None:
    chapters = sorted((ROOT / "book").glob("[0-9][0-9]_*.md"))
    chapter = argv[0] if argv else chapters[0].stem
    with tempfile.TemporaryDirectory(prefix="book-bench-") as scratch:
        folder = Path(scratch)
        copy_sources(folder)
        page = folder / "book" / f"{chapter}.md"
        if not page.exists():
            raise SystemExit(f"expected a chapter name such as {chapters[0].stem}; got {chapter!r}")
        report("cold build", build(folder))
        report("unchanged rebuild", build(folder))
        page.touch()
        report(f"{chapter} touched", build(folder))
        text = page.read_text()
        head, marker, tail = text.rpartition("\n## Exercises")
        page.write_text(head.rstrip("\n") + " This sentence was added by the benchmark.\n" + marker + tail)
        report(f"{chapter} prose edited", build(folder))
        text = page.read_text()
        end = text.index("\n```\n", text.index("```{code-cell}"))  # the first code cell's end
        page.write_text(text[:end] + "\n# added by the benchmark" + text[end:])
        report(f"{chapter} code edited", build(folder))


if __name__ == "__main__":
    main(sys.argv[1:])
