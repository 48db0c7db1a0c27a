"""Shared helpers: the repository's paths and a real run of ``python -m grading``."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def solution_path(assignment: str) -> Path:
    return ROOT / "solutions" / assignment / f"{assignment}.ipynb"


def release_path(assignment: str) -> Path:
    return ROOT / "assignments" / assignment / f"{assignment}.ipynb"


def with_cell_replaced(nb, grade_id: str, source: str):
    """A copy of ``nb`` whose cell ``grade_id`` holds ``source`` (a learner's answer)."""
    nb = nbformat.from_dict(nb)
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    assert len(cells) == 1, f"no single cell with grade_id {grade_id}"
    cells[0].source = source.strip()
    return nb


def grade(assignment: str, submissions: Path, workdir: Path, *, jobs: int = 2, timeout: int = 60):
    """Run the real grading CLI in a scratch gradebook; returns (rows by student, out dir, process)."""
    out = workdir / "out"
    env = dict(os.environ, COURSE_GRADING_DIR=str(workdir / "grading"))
    process = subprocess.run(
        [PYTHON, "-m", "grading", "autograde", assignment, "--from", str(submissions),
         "--out", str(out), "--jobs", str(jobs), "--timeout", str(timeout)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert process.returncode == 0, process.stdout + process.stderr
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    return rows, out, process


def autograded(workdir: Path, student: str, assignment: str):
    path = workdir / "grading" / "autograded" / student / assignment / f"{assignment}.ipynb"
    return nbformat.read(path, as_version=4)


def failure_messages(nb) -> dict[str, str]:
    """``{grade_id: text of its error outputs}`` for every failed test cell."""
    failed = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if meta.get("grade") and errors:
            failed[meta["grade_id"]] = "\n".join(
                f"{o['ename']}: {o['evalue']}\n" + "\n".join(o.get("traceback", [])) for o in errors)
    return failed


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
