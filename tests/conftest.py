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


def grade_catalog(assignment: str, mistakes, workdir: Path):
    """Grade, as one class: the solution, the untouched release and every catalogued mistake."""
    import shutil

    subs = workdir / "submissions"
    solution = nbformat.read(solution_path(assignment), as_version=4)
    (subs / "solution").mkdir(parents=True)
    shutil.copyfile(solution_path(assignment), subs / "solution" / "my answers.ipynb")
    (subs / "released" / assignment).mkdir(parents=True)
    shutil.copyfile(release_path(assignment), subs / "released" / assignment / f"{assignment}.ipynb")
    for mistake in mistakes:
        (subs / mistake.name).mkdir()
        nbformat.write(with_cell_replaced(solution, mistake.function, mistake.source),
                       subs / mistake.name / "submission.ipynb")
    return grade(assignment, subs, workdir)


def check_catalog_row(workdir: Path, rows: dict, assignment: str, mistake) -> None:
    """A mistake loses points, its function's hidden test names it, other hidden tests pass."""
    row = rows[mistake.name]
    assert row["status"] == "graded", row
    assert float(row["score"]) < float(row["max_score"]), f"{mistake.name} kept full marks"
    failed = failure_messages(autograded(workdir, mistake.name, assignment))
    hidden = f"{mistake.function}_hidden"
    assert hidden in failed, f"the hidden tests missed {mistake.name}: {failed}"
    assert mistake.says in failed[hidden], failed[hidden]
    allowed = {hidden} | {f"{name}_hidden" for name in mistake.also}
    others = {gid for gid in failed if gid.endswith("_hidden") and gid not in allowed}
    assert not others, f"{mistake.name} also failed the hidden tests {others}"


class GradedCatalog:
    """The tests every graded assignment must pass, graded for real as one class.

    A chapter's test file subclasses it::

        class TestGraded(GradedCatalog):
            ASSIGNMENT, MISTAKES, POINTS = "02_momentum", MISTAKES, 8.0

    and gets: the solution earns all ``POINTS``, the release earns zero, every catalogued
    mistake loses points and is named by its hidden test, and every hidden check of
    ``grading/checks`` has a hidden cell with points.
    """

    ASSIGNMENT: str
    MISTAKES: list
    POINTS: float

    @pytest.fixture(scope="class")
    @classmethod
    def graded(cls, tmp_path_factory):
        """One class: the solution, the untouched release (nbgrader layout), every mistake."""
        work = tmp_path_factory.mktemp(f"{cls.ASSIGNMENT}_class")
        rows, out, _ = grade_catalog(cls.ASSIGNMENT, cls.MISTAKES, work)
        return work, rows, out

    def test_the_solution_earns_full_marks(self, graded):
        work, rows, _ = graded
        row = rows["solution"]
        assert row["status"] == "graded", row
        assert float(row["score"]) == float(row["max_score"]) == self.POINTS
        assert failure_messages(autograded(work, "solution", self.ASSIGNMENT)) == {}

    def test_the_released_notebook_earns_zero(self, graded):
        _, rows, _ = graded
        assert rows["released"]["status"] == "graded", rows["released"]
        assert float(rows["released"]["score"]) == 0.0

    def test_every_catalogued_mistake_loses_points_and_is_named(self, graded, mistake):
        work, rows, _ = graded
        check_catalog_row(work, rows, self.ASSIGNMENT, mistake)

    def test_every_hidden_check_has_a_hidden_cell_with_points(self):
        from grading.compare import expected_records

        solution = nbformat.read(solution_path(self.ASSIGNMENT), as_version=4)
        hidden = {c.metadata["nbgrader"]["grade_id"]: c for c in solution.cells
                  if "BEGIN HIDDEN TESTS" in c.source}
        assert set(hidden) == set(expected_records(self.ASSIGNMENT))
        for grade_id, cell in hidden.items():
            assert cell.metadata["nbgrader"]["grade"] and cell.metadata["nbgrader"]["points"] > 0, grade_id


def pytest_generate_tests(metafunc):
    """``mistake``: each mistake of a ``GradedCatalog`` subclass's catalog, named in the test id."""
    if "mistake" in metafunc.fixturenames and metafunc.cls and issubclass(metafunc.cls, GradedCatalog):
        metafunc.parametrize("mistake", metafunc.cls.MISTAKES, ids=lambda m: m.name)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The whole book, built once per session as ``make book`` builds it; returns its html folder.

    ``COURSE_BUILT_SITE=_build/html`` reuses a site already built (to rerun the page tests
    while writing a chapter); a test run without it always builds afresh.
    """
    if os.environ.get("COURSE_BUILT_SITE"):
        return Path(os.environ["COURSE_BUILT_SITE"]).resolve()
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    process = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--path-output", str(out),
         "--warningiserror", "--nitpick", "--keep-going"],
        cwd=ROOT, capture_output=True, text=True, timeout=1500)
    assert process.returncode == 0, process.stdout[-5000:] + process.stderr[-5000:]
    return out / "_build" / "html"
