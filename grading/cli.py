"""``python -m grading``: release assignments and autograde a class.

    python -m grading release [ASSIGNMENT ...]
    python -m grading autograde ASSIGNMENT --from PATH [--out DIR] [--jobs N] [--timeout SECONDS]
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from grading import course


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    rel = commands.add_parser("release", help="regenerate assignments/ from solutions/ with nbgrader")
    rel.add_argument("assignments", nargs="*", help="assignment ids (default: all)")

    auto = commands.add_parser("autograde", help="grade a folder (or zip) of submissions")
    auto.add_argument("assignment", help="assignment id, e.g. 01_gradient_descent")
    auto.add_argument("--from", dest="source", required=True, type=Path,
                      help="folder with one sub-folder per student (or an LMS zip)")
    auto.add_argument("--out", type=Path, default=None,
                      help="where grades.csv, summary.txt and feedback/ go (default: grading/reports/ASSIGNMENT)")
    auto.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="submissions graded at once")
    auto.add_argument("--timeout", type=int, default=60, help="seconds a single cell may run")

    args = parser.parse_args(argv)
    if args.command == "release":
        assignments = args.assignments or course.assignment_ids()
        course.release(assignments)
        print(f"released {', '.join(assignments)} into {course.ASSIGNMENTS}")
        return

    from grading import autograde

    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if args.timeout < 1:
        parser.error(f"--timeout must be at least 1 second, got {args.timeout}")
    out = args.out or course.GRADING / "reports" / args.assignment
    rows = autograde.grade_class(args.assignment, args.source, out, jobs=args.jobs, timeout=args.timeout)
    graded = [r for r in rows if r.score != ""]
    print(f"{len(rows)} submission(s), {len(graded)} graded; grades in {out / 'grades.csv'}")
    sys.exit(0)
