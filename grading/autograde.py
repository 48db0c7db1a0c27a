"""Autograding a class: one row per submission whatever happens, in parallel, with one gradebook writer.

The steps, for an assignment and a folder (or LMS zip) of submissions:

1. register the assignment in the gradebook (nbgrader's generate_assignment into a scratch
   release folder, so ``assignments/`` is untouched); the scratch release and the source
   notebook (solutions stubbed, hidden tests kept) are what every submission is rebuilt from;
2. ``collect``: find each student's notebooks; copy only them (regular files, never through a
   symlink) into a private folder per submission, and into nbgrader's ``submitted/``;
3. grade ``--jobs`` submissions at once in worker processes (``grading/run.py``): each runs a
   fresh sandboxed kernel, compares the hidden tests' records with the references in the
   worker (the grader's side, never the kernel) and returns scores, the autograded notebook
   and the feedback HTML;
4. the parent alone writes the gradebook, as results come in (so SQLite is never locked),
   then ``grades.csv``, the feedback, ``summary.txt``, ``summary.html`` and ``scores.png``.
"""
from __future__ import annotations

import csv
import multiprocessing
import os
import re
import shutil
import stat
import sys
import tempfile
import time
import warnings
import zipfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path

from grading import course

COLUMNS = ["student_id", "assignment", "score", "max_score", "status", "failed_tests"]
MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024
CANVAS = re.compile(r"^(?P<student_id>[A-Za-z0-9.\-]+?)(?:_LATE)?_(?P<lms_id>\d+)_(?P<submission_id>\d+)_(?P<file>.+)$")
BLACKBOARD = re.compile(r"^.*_(?P<student_id>[A-Za-z0-9.\-]+)_attempt_(?P<timestamp>[0-9\-]+)_(?P<file>.+)$")
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+\- ]{0,99}$")


@dataclass
class Submission:
    student_id: str
    notebooks: dict = field(default_factory=dict)  # notebook name -> path of the submitted file
    problem: str = ""  # why it cannot be graded, if it cannot
    notes: list = field(default_factory=list)


@dataclass
class Row:
    student_id: str
    assignment: str
    score: object = ""
    max_score: object = ""
    status: str = ""
    failed_tests: str = ""


# ---------------------------------------------------------------- finding submissions

def _regular(path: Path) -> bool:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode)


def _real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _stem(name: str) -> str:
    """``homework-1.ipynb`` (an LMS's resubmission suffix) and ``homework.ipynb`` are the same notebook."""
    return re.sub(r"-\d+$", "", Path(name).stem)


def _match(submission: Submission, found: list[Path], expected: list[str], where: str) -> None:
    if not found:
        submission.problem = f"no notebook (.ipynb) found in {where}"
        return
    if len(expected) == 1:
        named = [p for p in found if p.stem == expected[0]] or [p for p in found if _stem(p.name) == expected[0]]
        if len(named) == 1 or len(found) == 1:
            submission.notebooks[expected[0]] = (named or found)[0]
        else:
            names = ", ".join(sorted(p.name for p in found))
            submission.problem = f"{len(found)} notebooks ({names}) and none named {expected[0]}.ipynb"
        return
    for name in expected:
        match = [p for p in found if p.stem == name] or [p for p in found if _stem(p.name) == name]
        if match:
            submission.notebooks[name] = match[0]
    if not submission.notebooks:
        submission.problem = f"none of the notebooks {', '.join(n + '.ipynb' for n in expected)} found in {where}"


def discover(source: Path, assignment: str, expected: list[str]) -> list[Submission]:
    """One ``Submission`` per student folder of ``source`` (symlinks are never followed).

    A student folder holds the notebooks directly (any file name) or in nbgrader's
    ``<student>/<assignment>/<notebook>.ipynb``; anything else in it is ignored.
    """
    source = Path(source)
    if not _real_dir(source):
        raise SystemExit(f"--from must be a folder of student folders or an LMS zip; {source} is neither")
    submissions = []
    for folder in sorted(source.iterdir()):
        if folder.name.startswith(".") or not _real_dir(folder):
            continue
        submission = Submission(student_id=folder.name)
        if not SAFE_ID.match(folder.name):
            submission.problem = "the folder name is not a usable student id (letters, digits, . _ - @ + and spaces)"
            submissions.append(submission)
            continue
        inner = folder / assignment
        where = inner if _real_dir(inner) else folder
        found = sorted(p for p in where.iterdir() if p.suffix == ".ipynb" and not p.name.startswith(".")
                       and _regular(p))
        _match(submission, found, expected, f"{folder.name}/")
        submissions.append(submission)
    return submissions


def unzip(archive: Path, into: Path) -> Path:
    """Extract the notebooks of an LMS zip into ``into/<student>/``; returns ``into``.

    Folders in the zip (``alice/...``) are student folders; flat file names follow the LMS
    conventions nbgrader's ``zip_collect`` knows: Canvas ``<student>_<id>_<id>_<file>`` (with
    ``_LATE``) and Blackboard ``<assignment>_<student>_attempt_<time>_<file>``. Symlinks,
    absolute paths and ``..`` are skipped, and so is every file that is not a notebook.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise SystemExit(f"--from {archive} is not a readable zip file")
    unknown = []
    with zf:
        names = [Path(i.filename.replace("\\", "/")).parts for i in zf.infolist() if not i.is_dir()]
        tops = {p[0] for p in names if p}
        strip = 1 if len(tops) == 1 and all(len(p) > 1 for p in names) else 0  # one folder around it all
        for info in zf.infolist():
            parts = Path(info.filename.replace("\\", "/")).parts[strip:]
            if info.is_dir() or not parts or info.filename.startswith("/") or ".." in parts:
                continue
            if stat.S_ISLNK(info.external_attr >> 16) or not parts[-1].endswith(".ipynb"):
                continue
            if any(p.startswith(".") or p == "__MACOSX" for p in parts):
                continue
            if len(parts) > 1:
                student, rest = parts[0], parts[1:]
            else:
                match = CANVAS.match(parts[0]) or BLACKBOARD.match(parts[0])
                if not match:
                    unknown.append(parts[0])
                    continue
                student, rest = match["student_id"], (match["file"],)
            target = into / student / Path(*rest)
            target.parent.mkdir(parents=True, exist_ok=True)
            if info.file_size > MAX_NOTEBOOK_BYTES:
                target.write_text("")  # graded as "too large" below: keeps its row
                continue
            with zf.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    if unknown:
        print(f"skipped {len(unknown)} file(s) whose names follow no LMS convention: {', '.join(unknown[:5])}",
              file=sys.stderr)
    return into


def _copy(path: Path, target: Path) -> str:
    """Copy a submitted notebook (never through a symlink); empty, or why it could not be copied."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        return f"cannot read {path.name} ({error.strerror})"
    with os.fdopen(fd, "rb") as src:
        if os.fstat(src.fileno()).st_size > MAX_NOTEBOOK_BYTES:
            return f"notebook is larger than {MAX_NOTEBOOK_BYTES >> 20} MiB"
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    return ""


# ---------------------------------------------------------------- the class

@dataclass
class Limits:
    jobs: int = 1
    timeout: int = 60
    wall: int = 600
    memory_mb: int = 2048
    max_output_kb: int = 256
    sandbox: bool = True


def _templates(assignment: str, expected: list[str], release_dir: Path) -> tuple[dict, dict]:
    """The source notebooks with solutions stubbed (hidden tests kept), and the released ones."""
    import nbformat
    from nbgrader.preprocessors import ClearSolutions

    config = course.load_config()
    templates, releases = {}, {}
    for name in expected:
        nb = nbformat.read(course.SOLUTIONS / assignment / f"{name}.ipynb", as_version=4)
        nb, _ = ClearSolutions(config=config).preprocess(nb, {})
        templates[name] = nb
        releases[name] = nbformat.read(release_dir / assignment / f"{name}.ipynb", as_version=4)
    return templates, releases


def _die_with_parent() -> None:
    """Worker initializer: the kernel dies with its worker (bwrap --die-with-parent), the worker with us."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _grade_in_worker(job):
    from grading import run

    return run.grade(job)


def grade_class(assignment: str, source: Path, out: Path, *, jobs: int = 1, timeout: int = 60,
                limits: Limits | None = None, only: list[str] | None = None) -> list[Row]:
    """Grade every submission under ``source``; write ``out/grades.csv``, feedback and a summary."""
    from grading import run, sandbox

    limits = limits or Limits(jobs=jobs, timeout=timeout)
    if limits.sandbox:
        sandbox.check()
    expected = course.notebook_names(assignment)
    api = course.api({"Execute.timeout": limits.timeout})
    scratch = Path(tempfile.mkdtemp(prefix="grade-"))
    try:
        release = scratch / "release"
        scratch_api = course.api({"CourseDirectory.release_directory": str(release)})
        result = scratch_api.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise SystemExit(f"nbgrader could not register {assignment}:\n{result.get('error')}")
        templates, releases = _templates(assignment, expected, release)

        source = Path(source)
        if source.is_file() and zipfile.is_zipfile(source):
            source = unzip(source, scratch / "unzipped")
        submissions = discover(source, assignment, expected)
        if only:
            missing = sorted(set(only) - {s.student_id for s in submissions})
            if missing:
                raise SystemExit(f"--student {', '.join(missing)}: no such student folder in {source}")
            submissions = [s for s in submissions if s.student_id in only]
        rows = {s.student_id: Row(s.student_id, assignment) for s in submissions}
        submitted = Path(api.coursedir.submitted_directory)
        gradebook = _Gradebook(api, assignment)
        work = []
        for number, s in enumerate(submissions):
            gradebook.forget(s.student_id)
            if s.problem:
                rows[s.student_id].status = s.problem
                continue
            private = scratch / "kernels" / str(number)
            staged, problems = {}, []
            for name, path in s.notebooks.items():
                problem = _copy(path, private / f"{name}.ipynb")
                if problem:
                    problems.append(problem)
                    continue
                staged[name] = str(private / f"{name}.ipynb")
                keep = submitted / s.student_id / assignment / f"{name}.ipynb"
                keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(private / f"{name}.ipynb", keep)
            if not staged:
                rows[s.student_id].status = "; ".join(problems)
                continue
            work.append(run.Job(s.student_id, assignment, staged, templates, releases, str(private),
                                timeout=limits.timeout, wall=limits.wall, memory_mb=limits.memory_mb,
                                max_output_kb=limits.max_output_kb, sandbox=limits.sandbox))

        for result in _run_all(work, limits.jobs):
            try:
                gradebook.save(result, rows[result.student_id])
            except Exception as error:  # the gradebook refused this one: it keeps its row, the batch goes on
                gradebook.gb.db.rollback()
                rows[result.student_id].status = f"grades not saved: {type(error).__name__}: {str(error)[:200]}"
        gradebook.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    all_rows = list(rows.values())
    if only:
        all_rows = _merge_earlier(out, rows)
    tests = [c.metadata["nbgrader"]["grade_id"] for nb in templates.values() for c in nb.cells
             if c.metadata.get("nbgrader", {}).get("grade")]
    _write_reports(assignment, all_rows, out, Path(api.coursedir.feedback_directory), tests)
    return all_rows


def _run_all(work: list, jobs: int):
    """Grade each job in a worker process, yielding results as they finish (progress on stderr)."""
    from grading import run

    started, done, total = time.monotonic(), 0, len(work)
    context = multiprocessing.get_context("fork")  # workers inherit the imports: no 2.3 s start each
    pending = list(work)
    alone = False
    while pending:
        broken = []
        with ProcessPoolExecutor(max_workers=1 if alone else max(1, min(jobs, len(pending))),
                                 mp_context=context, initializer=_die_with_parent) as pool:
            futures = {pool.submit(_grade_in_worker, job): job for job in pending}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken.append(job)
                    continue
                except Exception as error:  # a bug of ours on this submission: it still gets its row
                    result = run.Result(job.student_id, problems=[f"grader error: {type(error).__name__}: {error}"])
                done += 1
                _progress(done, total, started)
                yield result
        if broken and alone:  # one at a time and it still kills its worker: give it its row
            for job in broken[:1]:
                done += 1
                _progress(done, total, started)
                yield run.Result(job.student_id, problems=["the grading worker crashed on this submission"])
            broken = broken[1:]
        alone = alone or bool(broken)
        pending = broken


def _progress(done: int, total: int, started: float) -> None:
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed > 0 else 0.0
    width = 30
    filled = int(width * done / total) if total else width
    eta = (total - done) / rate if rate > 0 else 0.0
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} graded, "
          f"{rate * 60:.1f} submissions/min, {eta:.0f} s left", end="\n" if done == total else "",
          file=sys.stderr, flush=True)


class _Gradebook:
    """The only writer of nbgrader's gradebook: SaveAutoGrades' logic, from the parent process."""

    def __init__(self, api, assignment: str):
        from nbgrader.api import Gradebook

        self.api, self.assignment = api, assignment
        self.gb = Gradebook(api.coursedir.db_url, api.coursedir.course_id)
        self.folders = {k: Path(getattr(api.coursedir, f"{k}_directory")) for k in ("autograded", "feedback")}

    def forget(self, student_id: str) -> None:
        """Remove an earlier grading of this student, so no stale score survives a failure."""
        from nbgrader.api import MissingEntry

        try:
            self.gb.remove_submission(self.assignment, student_id)
        except MissingEntry:
            pass
        for folder in (Path(self.api.coursedir.submitted_directory), *self.folders.values()):
            shutil.rmtree(folder / student_id / self.assignment, ignore_errors=True)

    def save(self, result, row: Row) -> None:
        problems = list(result.problems)
        unreadable = [f"{n}.ipynb: {p}" if len(result.notebooks) > 1 else p for n, p in result.unreadable.items()]
        if len(result.unreadable) == len(result.notebooks) or not result.notebooks:
            row.status = "; ".join(unreadable + problems) or "not graded"
            return
        self.gb.update_or_create_student(result.student_id)
        with warnings.catch_warnings():  # SQLAlchemy's autoflush notes inside nbgrader's add_submission
            warnings.simplefilter("ignore")
            self.gb.add_submission(self.assignment, result.student_id)
        failed = []
        for name, outcome in result.notebooks.items():
            for gid, (score, top, messages) in outcome["grades"].items():
                grade = self.gb.find_grade(gid, name, self.assignment, result.student_id)
                grade.auto_score = score
                grade.needs_manual_grade = grade.manual_score is not None or score is None
                if score is not None and score < top:
                    failed.append(gid)
            for folder, key, suffix in (("autograded", "autograded", ".ipynb"), ("feedback", "feedback", ".html")):
                if outcome[key]:
                    path = self.folders[folder] / result.student_id / self.assignment / f"{name}{suffix}"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(outcome[key], encoding="utf-8")
        self.gb.db.commit()
        submission = self.gb.find_submission(self.assignment, result.student_id)
        row.score = round(float(submission.score), 6)
        row.max_score = round(float(submission.max_score), 6)
        row.failed_tests = " ".join(failed)
        row.status = "; ".join(["graded"] + unreadable + problems + sorted(set(result.tampering), key=result.tampering.index))

    def close(self) -> None:
        self.gb.close()


def _merge_earlier(out: Path, rows: dict) -> list[Row]:
    """``--student``: the earlier rows of ``out/grades.csv``, with the students graded now replaced."""
    merged = {}
    path = Path(out) / "grades.csv"
    if path.exists():
        with open(path, newline="", encoding="utf-8") as handle:
            for old in csv.DictReader(handle):
                merged[old["student_id"]] = Row(**{k: old.get(k, "") for k in COLUMNS})
    merged.update(rows)
    return list(merged.values())


# ---------------------------------------------------------------- reports

def _write_reports(assignment: str, rows: list[Row], out: Path, feedback_dir: Path, tests: list[str]) -> None:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in sorted(rows, key=lambda r: r.student_id):
            writer.writerow(asdict(row))
    feedback_out = out / "feedback"
    for row in rows:
        shutil.rmtree(feedback_out / row.student_id, ignore_errors=True)
        folder = feedback_dir / row.student_id / assignment
        for html in sorted(folder.glob("*.html")) if folder.is_dir() else []:
            target = feedback_out / row.student_id
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(html, target / html.name)
    (out / "summary.txt").write_text(summary(assignment, rows, tests), encoding="utf-8")
    _histogram(assignment, rows, out / "scores.png")
    _summary_html(assignment, rows, tests, out / "summary.html")


def needs_a_look(row: Row) -> bool:
    return row.score == "" or row.status != "graded"


def pass_rates(rows: list[Row], tests: list[str]) -> list[tuple[str, int, int]]:
    """``(test, passed, graded)`` for every test, the least passed first."""
    graded = [r for r in rows if r.score != ""]
    failed = {t: sum(t in r.failed_tests.split() for r in graded) for t in tests}
    return sorted(((t, len(graded) - failed[t], len(graded)) for t in tests), key=lambda x: (x[1], x[0]))


def summary(assignment: str, rows: list[Row], tests: list[str] = ()) -> str:
    graded = [r for r in rows if r.score != ""]
    lines = [f"{assignment}: {len(rows)} submission(s), {len(graded)} graded"]
    if graded:
        scores = sorted(float(r.score) for r in graded)
        top = float(graded[0].max_score)
        lines.append(f"score: mean {sum(scores) / len(scores):.2f} / {top:g}, "
                     f"median {scores[len(scores) // 2]:g}, min {scores[0]:g}, max {scores[-1]:g} "
                     "(histogram: scores.png)")
        rates = pass_rates(rows, list(tests))
        if rates:
            lines.append("pass rate of every test, the least passed first:")
            for name, passed, n in rates:
                lines.append(f"  {name}: failed by {n - passed} of {n} (pass rate {100 * passed / n:.0f}%)")
    look = [r for r in rows if needs_a_look(r) and r.score != ""]
    if look:
        lines.append("needs a look (graded, but timed out, crashed, or tampered with):")
        lines += [f"  {r.student_id}: {r.status}" for r in sorted(look, key=lambda r: r.student_id)]
    ungraded = [r for r in rows if r.score == ""]
    if ungraded:
        lines.append("not graded:")
        lines += [f"  {r.student_id}: {r.status}" for r in sorted(ungraded, key=lambda r: r.student_id)]
    return "\n".join(lines) + "\n"


def _histogram(assignment: str, rows: list[Row], path: Path) -> None:
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    graded = [float(r.score) for r in rows if r.score != ""]
    top = max([float(r.max_score) for r in rows if r.max_score != ""] or [1.0])
    fig, ax = plt.subplots(figsize=(6, 3.2), dpi=100)
    bins = min(int(top), 30) if top >= 1 else 10
    ax.hist(graded, bins=bins, range=(0, top), color="#3b6ea8", edgecolor="white")
    ax.set_xlabel(f"score (out of {top:g})")
    ax.set_ylabel("submissions")
    ungraded = sum(r.score == "" for r in rows)
    ax.set_title(f"{assignment}: {len(graded)} graded" + (f", {ungraded} not graded" if ungraded else ""))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _summary_html(assignment: str, rows: list[Row], tests: list[str], path: Path) -> None:
    from html import escape

    rates = pass_rates(rows, tests)
    body = [f"<h1>{escape(assignment)}</h1>", '<img src="scores.png" alt="score histogram">',
            "<h2>Pass rate of every test</h2><table><tr><th>test</th><th>passed</th></tr>"]
    body += [f"<tr><td>{escape(t)}</td><td>{p} of {n} ({100 * p / n:.0f}%)</td></tr>" for t, p, n in rates if n]
    body.append("</table><h2>Needs a look</h2><ul>")
    body += [f"<li><b>{escape(r.student_id)}</b>: {escape(r.status)}</li>" for r in rows if needs_a_look(r)]
    body.append("</ul>")
    path.write_text("<!DOCTYPE html><meta charset='utf-8'><title>" + escape(assignment) + "</title>"
                    + "\n".join(body), encoding="utf-8")
