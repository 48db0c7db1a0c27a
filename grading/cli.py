"""``python -m grading``: release assignments and autograde a class.

    python -m grading release [ASSIGNMENT ...]
    python -m grading autograde ASSIGNMENT --from PATH [--out DIR] [--jobs N] [--timeout SECONDS]
        [--wall-limit SECONDS] [--memory-mb MB] [--max-output-kb KB] [--student ID ...] [--no-sandbox]
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

    auto = commands.add_parser("autograde", help="grade a folder (or LMS zip) of submissions")
    auto.add_argument("assignment", help="assignment id, e.g. 01_gradient_descent")
    auto.add_argument("--from", dest="source", required=True, type=Path,
                      help="folder with one sub-folder per student, or the zip an LMS exports")
    auto.add_argument("--out", type=Path, default=None,
                      help="where grades.csv, summary.txt, summary.html, scores.png and feedback/ go "
                           "(default: grading/reports/ASSIGNMENT)")
    auto.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                      help="submissions graded at once (default: the number of cores)")
    auto.add_argument("--timeout", type=int, default=60, help="seconds a single cell may run (default 60)")
    auto.add_argument("--wall-limit", type=int, default=600,
                      help="seconds one submission may run in all (default 600)")
    auto.add_argument("--memory-mb", type=int, default=2048,
                      help="address space of a submission's kernel, in MiB (default 2048)")
    auto.add_argument("--max-output-kb", type=int, default=256,
                      help="output a cell may keep, in KiB; the rest is dropped (default 256)")
    auto.add_argument("--student", action="append", default=None, metavar="ID",
                      help="grade only this student (repeatable); the other rows of grades.csv are kept")
    auto.add_argument("--no-sandbox", action="store_true",
                      help="run kernels without bubblewrap (trusted notebooks only: no isolation)")

    args = parser.parse_args(argv)
    if args.command == "release":
        assignments = args.assignments or course.assignment_ids()
        course.release(assignments)
        print(f"released {', '.join(assignments)} into {course.ASSIGNMENTS}")
        return

    # jsonschema >= 4.25 builds a Lark grammar for the "iri" format when it is imported
    # (python-jsonschema#1428): 2.3 s of every start, for a format nbformat never checks.
    # The grader goes without it; the checks of every other format stay.
    sys.modules.setdefault("rfc3987_syntax", None)
    from grading import autograde

    for flag, value, least in (("--jobs", args.jobs, 1), ("--timeout", args.timeout, 1),
                               ("--wall-limit", args.wall_limit, 1), ("--memory-mb", args.memory_mb, 256),
                               ("--max-output-kb", args.max_output_kb, 1)):
        if value < least:
            parser.error(f"{flag} must be at least {least}, got {value}")
    if not args.source.exists():
        parser.exit(2, f"python -m grading: --from must be a folder of student folders or an LMS zip; "
                       f"{args.source} does not exist\n")
    out = args.out or course.GRADING / "reports" / args.assignment
    limits = autograde.Limits(jobs=args.jobs, timeout=args.timeout, wall=args.wall_limit,
                              memory_mb=args.memory_mb, max_output_kb=args.max_output_kb,
                              sandbox=not args.no_sandbox)
    rows = autograde.grade_class(args.assignment, args.source, out, limits=limits, only=args.student)
    graded = [r for r in rows if r.score != ""]
    look = [r for r in rows if autograde.needs_a_look(r)]
    print(f"{len(rows)} submission(s), {len(graded)} graded, {len(look)} need a look; "
          f"grades in {out / 'grades.csv'}, summary in {out / 'summary.txt'}")
    sys.exit(0)
