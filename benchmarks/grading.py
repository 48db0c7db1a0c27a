"""Seconds per submission of ``python -m grading autograde``, against executing the notebook once.

    .venv/bin/python benchmarks/grading.py [--students N] [--assignment 01_gradient_descent]

Builds a class of N copies of the solution notebook (default 8) in a scratch folder, grades it
with the real CLI (sandbox on, a scratch gradebook) with ``--jobs 1`` and with ``--jobs 2``,
and runs ``jupyter nbconvert --execute`` on the same notebook once per student as the floor
(a fresh process and kernel each time, as a one-submission-at-a-time grader pays). Goals:
the per-submission cost within 2x the floor; ``--jobs 2`` at least 1.6x faster than ``--jobs 1``
on 2 cores. Prints the figures and the load average (the machine is shared: figures are noisy).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def grade(assignment: str, subs: Path, work: Path, jobs: int) -> float:
    env = dict(os.environ, COURSE_GRADING_DIR=str(work / "grading"))  # one gradebook, created by the first run
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "grading", "autograde", assignment, "--from", str(subs),
                    "--out", str(work / f"out-{jobs}"), "--jobs", str(jobs)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def nbconvert(notebook: Path, work: Path) -> float:
    started = time.perf_counter()
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(work),
                    "--output", "executed", str(notebook)], cwd=work, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--assignment", default="01_gradient_descent")
    args = parser.parse_args()
    solution = ROOT / "solutions" / args.assignment / f"{args.assignment}.ipynb"
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
        work = Path(scratch)
        subs = work / "submissions"
        for i in range(args.students):
            (subs / f"student{i:03d}").mkdir(parents=True)
            shutil.copyfile(solution, subs / f"student{i:03d}" / "work.ipynb")
        print(f"{args.assignment}, {args.students} submissions of the solution; load average before: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        floor = [nbconvert(solution, work) for _ in range(min(args.students, 3))]
        floor_s = sorted(floor)[len(floor) // 2]
        (work / "empty").mkdir()
        grade(args.assignment, work / "empty", work, 1)  # creates the gradebook, which later runs reuse
        fixed = grade(args.assignment, work / "empty", work, 1)  # start-up: imports, registering the assignment
        one = grade(args.assignment, subs, work, 1)
        two = grade(args.assignment, subs, work, 2)
        n = args.students
        print(f"floor, jupyter nbconvert --execute once: {floor_s:.2f} s per notebook "
              f"(median of {', '.join(f'{f:.2f}' for f in floor)})")
        print(f"--jobs 1: {one:.1f} s for {n}, {one / n:.2f} s per submission ({one / n / floor_s:.2f}x the floor)")
        print(f"--jobs 2: {two:.1f} s for {n}, {two / n:.2f} s per submission ({two / n / floor_s:.2f}x the floor)")
        print(f"start-up of the command (an empty class): {fixed:.1f} s; past it, --jobs 1 costs "
              f"{(one - fixed) / n:.2f} s and --jobs 2 {(two - fixed) / n:.2f} s per submission "
              f"(speed-up {(one - fixed) / (two - fixed):.2f}x)")
        print(f"speed-up of --jobs 2 over --jobs 1: {one / two:.2f}x (goal 1.6x); load average after: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
