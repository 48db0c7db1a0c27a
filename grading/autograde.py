"""Autograding a class with nbgrader, one row per submission whatever happens.

The steps, for an assignment and a folder of submissions:

1. make sure the gradebook knows the assignment (nbgrader's generate_assignment, run
   from ``solutions/`` into a scratch release folder, so ``assignments/`` is untouched);
2. find each student's notebook and copy it into ``grading/submitted`` (a submission is
   never graded in place);
3. run nbgrader's autograde, whose pipeline includes ``grading.compare.CompareRecords``:
   hidden-test records are compared with the references in the grader's process;
4. read the scores from the gradebook, write the feedback HTML, ``grades.csv`` and a
   summary.
"""
from __future__ import annotations

import csv
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from grading import course

COLUMNS = ["student_id", "assignment", "score", "max_score", "status"]


@dataclass
class Submission:
    student_id: str
    notebooks: dict = field(default_factory=dict)  # notebook name -> path of the submitted file
    problem: str = ""  # why it cannot be graded, if it cannot


@dataclass
class Row:
    student_id: str
    assignment: str
    score: object = ""
    max_score: object = ""
    status: str = ""
    failed_tests: list = field(default_factory=list)


# ---------------------------------------------------------------- finding submissions

def discover(source: Path, assignment: str, expected: list[str]) -> list[Submission]:
    """One ``Submission`` per student folder of ``source``.

    A student folder holds the notebook directly (any file name) or in nbgrader's
    ``<student>/<assignment>/<notebook>.ipynb``.
    """
    source = Path(source)
    if not source.is_dir():
        raise SystemExit(f"--from must be a folder of student folders; {source} is not a folder")
    submissions = []
    for folder in sorted(p for p in source.iterdir() if not p.name.startswith(".")):
        if folder.is_symlink() or not folder.is_dir():
            continue
        submission = Submission(student_id=folder.name)
        inner = folder / assignment
        where = inner if inner.is_dir() and not inner.is_symlink() else folder
        found = sorted(p for p in where.glob("*.ipynb") if p.is_file() and not p.is_symlink())
        if not found:
            submission.problem = f"no notebook (.ipynb) found in {folder.name}/"
        elif len(expected) == 1:
            named = [p for p in found if p.stem == expected[0]]
            if named or len(found) == 1:
                submission.notebooks[expected[0]] = (named or found)[0]
            else:
                names = ", ".join(p.name for p in found)
                submission.problem = f"{len(found)} notebooks ({names}) and none named {expected[0]}.ipynb"
        else:
            for name in expected:
                match = [p for p in found if p.stem == name]
                if match:
                    submission.notebooks[name] = match[0]
            if not submission.notebooks:
                submission.problem = f"none of the notebooks {', '.join(expected)} found"
        submissions.append(submission)
    return submissions


def check_notebook(path: Path) -> str:
    """Empty when ``path`` is a readable notebook, else the reason it is not."""
    import nbformat

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return "notebook is not UTF-8 text"
    if not text.strip():
        return "notebook is empty"
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception:
        return "notebook is not valid JSON"
    if not isinstance(nb.get("cells"), list):
        return "notebook has no cells"
    return ""


# ---------------------------------------------------------------- grading one submission

_API = None


def _init_worker(overrides: dict) -> None:
    global _API
    _API = course.api(overrides)


def _grade_one(assignment: str, student_id: str) -> dict:
    """Autograde one prepared submission (in this process or a worker); returns a status."""
    started = time.monotonic()
    result = _API.autograde(assignment, student_id, force=True, create=True)
    if not result["success"]:
        error = (result.get("error") or result.get("log") or "unknown error").strip().splitlines()
        return {"ok": False, "status": f"autograde failed: {error[-1][:200] if error else 'unknown error'}"}
    feedback = _API.generate_feedback(assignment, student_id, force=True)
    status = _execution_problems(assignment, student_id)
    if not feedback["success"]:
        status = (status + "; " if status else "") + "no feedback (nbgrader generate_feedback failed)"
    return {"ok": True, "status": status, "seconds": time.monotonic() - started}


def _execution_problems(assignment: str, student_id: str) -> str:
    """Timeouts and dead kernels seen in the autograded notebooks, for the status column."""
    import nbformat

    problems = []
    folder = Path(_API.coursedir.autograded_directory) / student_id / assignment
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        index = 0
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            index += 1
            for output in cell.get("outputs", []):
                name = output.get("ename", "") if output.get("output_type") == "error" else ""
                if name == "CellTimeoutError":
                    problems.append(f"timed out in code cell {index}")
                elif name == "DeadKernelError":
                    problems.append(f"kernel died in code cell {index}")
    return "; ".join(problems)


# ---------------------------------------------------------------- the class

def grade_class(assignment: str, source: Path, out: Path, *, jobs: int = 1, timeout: int = 60) -> list[Row]:
    """Grade every submission under ``source``; write ``out/grades.csv``, feedback and a summary."""
    expected = course.notebook_names(assignment)
    overrides = {"Execute.timeout": timeout}
    api = course.api(overrides)
    with tempfile.TemporaryDirectory() as scratch:
        scratch_api = course.api({**overrides, "CourseDirectory.release_directory": scratch})
        result = scratch_api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise SystemExit(f"nbgrader could not register {assignment}:\n{result.get('error')}")

    submissions = discover(source, assignment, expected)
    rows = {s.student_id: Row(s.student_id, assignment) for s in submissions}
    gradable = []
    submitted = Path(api.coursedir.submitted_directory)
    for s in submissions:
        row = rows[s.student_id]
        _forget(api, assignment, s.student_id)
        if s.problem:
            row.status = s.problem
            continue
        problems = {name: check_notebook(path) for name, path in s.notebooks.items()}
        problems = {name: p for name, p in problems.items() if p}
        if problems and len(problems) == len(s.notebooks):
            row.status = "; ".join(problems.values())
            continue
        target = submitted / s.student_id / assignment
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for name, path in s.notebooks.items():
            if name not in problems:
                shutil.copyfile(path, target / f"{name}.ipynb")
        row.status = "; ".join(f"{n}.ipynb: {p}" for n, p in problems.items())
        gradable.append(s.student_id)

    started = time.monotonic()
    outcomes = {}
    if jobs == 1 or len(gradable) <= 1:
        _init_worker(overrides)
        for i, student_id in enumerate(gradable, 1):
            outcomes[student_id] = _grade_one(assignment, student_id)
            _progress(i, len(gradable), started)
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(overrides,)) as pool:
            futures = {student_id: pool.submit(_grade_one, assignment, student_id) for student_id in gradable}
            for i, (student_id, future) in enumerate(futures.items(), 1):
                try:
                    outcomes[student_id] = future.result()
                except Exception as error:  # a worker crashed: that submission still gets its row
                    outcomes[student_id] = {"ok": False, "status": f"grader crashed: {type(error).__name__}: {error}"}
                _progress(i, len(gradable), started)

    for student_id, outcome in outcomes.items():
        row = rows[student_id]
        status = "; ".join(s for s in (row.status, outcome["status"]) if s)
        row.status = status if outcome["ok"] else outcome["status"]
        if outcome["ok"]:
            _read_scores(api, assignment, row)
            if not row.status:
                row.status = "graded"
    _write_reports(assignment, list(rows.values()), out, Path(api.coursedir.feedback_directory))
    return list(rows.values())


def _forget(api, assignment: str, student_id: str) -> None:
    """Remove an earlier grading of this student, so no stale score survives a failure."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            gb.remove_submission(assignment, student_id)
        except MissingEntry:
            pass
    folders = (api.coursedir.submitted_directory, api.coursedir.autograded_directory,
               api.coursedir.feedback_directory)
    for folder in folders:
        shutil.rmtree(Path(folder) / student_id / assignment, ignore_errors=True)


def _read_scores(api, assignment: str, row: Row) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        submission = gb.find_submission(assignment, row.student_id)
        row.score = round(float(submission.score), 6)
        row.max_score = round(float(submission.max_score), 6)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.max_score and (grade.score or 0) < grade.max_score:
                    row.failed_tests.append(grade.name)


def _progress(done: int, total: int, started: float) -> None:
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed > 0 else 0.0
    print(f"\rgraded {done}/{total} ({rate:.2f} submissions/s)", end="\n" if done == total else "",
          file=sys.stderr, flush=True)


def _write_reports(assignment: str, rows: list[Row], out: Path, feedback_dir: Path) -> None:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in sorted(rows, key=lambda r: r.student_id):
            writer.writerow(asdict(row))
    feedback_out = out / "feedback"
    shutil.rmtree(feedback_out, ignore_errors=True)
    for row in rows:
        folder = feedback_dir / row.student_id / assignment
        for html in sorted(folder.glob("*.html")):
            target = feedback_out / row.student_id
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(html, target / html.name)
    (out / "summary.txt").write_text(summary(assignment, rows), encoding="utf-8")


def summary(assignment: str, rows: list[Row]) -> str:
    graded = [r for r in rows if r.score != ""]
    lines = [f"{assignment}: {len(rows)} submission(s), {len(graded)} graded"]
    if graded:
        scores = sorted(float(r.score) for r in graded)
        top = float(graded[0].max_score)
        lines.append(f"score: mean {sum(scores) / len(scores):.2f} / {top:g}, "
                     f"median {scores[len(scores) // 2]:g}, min {scores[0]:g}, max {scores[-1]:g}")
        counts = {}
        for r in graded:
            for name in r.failed_tests:
                counts[name] = counts.get(name, 0) + 1
        if counts:
            lines.append("tests failed, most often first:")
            for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"  {name}: failed by {n} of {len(graded)}")
    ungraded = [r for r in rows if r.score == ""]
    if ungraded:
        lines.append("not graded:")
        lines += [f"  {r.student_id}: {r.status}" for r in ungraded]
    return "\n".join(lines) + "\n"
