"""python -m grading: a class of faulty and hostile submissions, graded in one batch by the real tool.

Every submission of ``hostile_submissions`` targets one point of the grading issue (input,
parallel, bounded, sandboxed, honest grades, nothing lost, feedback without leaks, the
summary); ``EXPECTED`` says the grade each must get. Comparisons of records are tested
below without a kernel.
"""
import csv
import os
import shutil
import subprocess
import zipfile

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_output

from grading.compare import Expect, compare_cell, judge
from tests.conftest import PYTHON, ROOT, autograded, failure_messages, grade, solution_path, with_cell_replaced
from trainlab.record import MIME, encode

ASSIGNMENT = "01_gradient_descent"
WRONG_LR = "def max_stable_lr(A):\n    return 123.0"
RIGHT_LR = """
def max_stable_lr(A):
    A = np.asarray(A, dtype=float)
    return float(2.0 / np.linalg.eigvalsh((A + A.T) / 2)[-1])"""
ORPHAN = "4242.5"  # the argument of a `sleep` a submission starts and leaves behind

# student -> (score, words the status must contain); score None: no score, the reason in status.
# Full marks are 15; max_stable_lr's tests are worth 3 (visible 1, hidden 2).
EXPECTED = {
    "not_json": (None, "notebook is not valid JSON"),
    "empty_file": (None, "notebook is empty"),
    "no_notebook": (None, "no notebook (.ipynb) found in no_notebook/"),
    "two_notebooks": (None, "none named 01_gradient_descent.ipynb"),
    "linked_notebook": (None, "no notebook (.ipynb) found"),  # a symlinked notebook is not followed
    "truncated": (None, "notebook is not valid JSON"),
    "not_a_notebook": (None, "notebook has no cells"),
    "solution": (15, "graded"),
    "files_beside": (15, "graded"),
    "foreign_kernel": (15, "graded"),
    "warns": (15, "graded"),
    "floods": (15, "graded"),
    "orphan": (15, "graded"),
    "snoops": (15, "graded"),
    "leaks_hidden": (15, "graded"),
    "loops_forever": (12, "timed out in code cell"),
    "memory_hog": (12, "ran out of memory (2048 MiB) in code cell"),
    "kills_kernel": (6, "kernel died in code cell"),
    "patches_numpy": (12, "numpy.isclose before code cell"),
    "rebinds_np": (12, "restored the notebook's np"),
    "input_transformer": (12, "restored shell.input_transformers_cleanup"),
    "patches_during_test": (12, "changed numpy.isclose while test code cell"),
    "tampered_tests": (12, "test cells restored"),
}


def hostile_submissions(subs, solution):
    """Write the class of ``EXPECTED`` (and a symlinked folder, which is no student) under ``subs``."""
    def put(student, name, content):
        (subs / student).mkdir(parents=True, exist_ok=True)
        path = subs / student / name
        if isinstance(content, str):
            path.write_text(content)
        else:
            nbformat.write(content, path)

    def lr(source, nb=solution):
        return with_cell_replaced(nb, "max_stable_lr", source)

    # 1. input
    put("not_json", "work.ipynb", "{ this is not json")
    put("empty_file", "work.ipynb", "")
    (subs / "no_notebook").mkdir(parents=True)
    (subs / "no_notebook" / "notes.txt").write_text("I forgot to attach it")
    put("two_notebooks", "a.ipynb", solution)
    put("two_notebooks", "b.ipynb", solution)
    put("solution", "whatever name.ipynb", solution)
    os.symlink(subs / "solution", subs / "linked_solution")
    (subs / "linked_notebook").mkdir()
    os.symlink(solution_path(ASSIGNMENT), subs / "linked_notebook" / "work.ipynb")
    put("files_beside", "work.ipynb", solution)  # files that would shadow a module or a reference
    put("files_beside", "numpy.py", "raise ImportError('the numpy of files_beside')")
    put("files_beside", "sitecustomize.py", "raise SystemExit('the sitecustomize of files_beside')")
    put("files_beside", "gradient_descent.py", WRONG_LR)
    # 3. bounded
    put("loops_forever", "work.ipynb", lr("def max_stable_lr(A):\n    while True:\n        pass"))
    put("memory_hog", "work.ipynb", lr("def max_stable_lr(A):\n    hog = np.ones(400 * 1024 * 1024)\n    return 0.0"))
    put("floods", "work.ipynb", lr("for _ in range(20000):\n    print('x' * 1000)\n" + RIGHT_LR))
    put("orphan", "work.ipynb", lr(f"import subprocess\nsubprocess.Popen(['sleep', '{ORPHAN}'], start_new_session=True)\n"
                                   + RIGHT_LR))
    put("kills_kernel", "work.ipynb", lr("def max_stable_lr(A):\n    import os\n    os._exit(3)"))
    # 4. sandboxed: what the kernel can see, printed in its own output
    secrets = tuple(str(p) for p in (ROOT / "solutions", ROOT / "grading" / "reference", ROOT / "grading",
                                          ROOT / "README.md", subs / "solution"))
    put("snoops", "work.ipynb", lr(f"""
import os, socket
seen = {{p: os.path.exists(p) for p in {secrets!r}}}
try:
    socket.create_connection(("1.1.1.1", 80), timeout=2)
    seen["network"] = True
except OSError:
    seen["network"] = False
seen["neighbours"] = sorted(set(os.listdir("..")) - {{os.path.basename(os.getcwd())}})
print("SNOOPED", seen)
""" + RIGHT_LR))
    # 5. honest grades
    put("patches_numpy", "work.ipynb", lr(WRONG_LR + """
np.isclose = lambda *args, **kwargs: True
np.allclose = lambda *args, **kwargs: True
import builtins
builtins.abs = lambda x: 0"""))
    put("rebinds_np", "work.ipynb", lr(WRONG_LR + """
class _Yes:
    def __getattr__(self, name):
        return lambda *args, **kwargs: True
real_np, np = np, _Yes()"""))
    put("input_transformer", "work.ipynb", lr(WRONG_LR + """
get_ipython().input_transformers_cleanup.append(
    lambda lines: [line for line in lines if not line.lstrip().startswith("assert")])
get_ipython().set_custom_exc((Exception,), lambda *args, **kwargs: None)"""))
    put("patches_during_test", "work.ipynb", lr("def max_stable_lr(A):\n"
                                                "    np.isclose = lambda *args, **kwargs: True\n    return 123.0"))
    put("fake_array", "work.ipynb", lr("""
class Liar(np.ndarray):
    def __array_function__(self, func, types, args, kwargs):
        return True
    def __eq__(self, other):
        return True
def max_stable_lr(A):
    return np.zeros(()).view(Liar)"""))
    tampered = nbformat.from_dict(solution)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in tampered.cells}
    by_id["max_stable_lr_visible"].source = "pass"
    by_id["gradient_descent_visible"].metadata["nbgrader"]["points"] = 100
    by_id["numerical_gradient_visible"].metadata["nbgrader"]["grade"] = False
    tampered.cells.insert(tampered.cells.index(by_id["backtracking_line_search_visible"]),
                          nbformat.from_dict(by_id["backtracking_line_search_visible"]))
    tampered.cells.remove(by_id["minibatch_sgd_hidden"])
    put("tampered_tests", "work.ipynb", lr(WRONG_LR, tampered))
    put("warns", "work.ipynb", lr("""
import sys, warnings
def max_stable_lr(A):
    warnings.warn("a harmless warning")
    print("a note on stderr", file=sys.stderr)
    A = np.asarray(A, dtype=float)
    return float(2.0 / np.linalg.eigvalsh((A + A.T) / 2)[-1])"""))
    # 6. nothing lost
    text = nbformat.writes(solution)
    put("truncated", "work.ipynb", text[: len(text) // 2])
    put("not_a_notebook", "work.ipynb", "[1, 2, 3]")
    foreign = nbformat.from_dict(solution)
    foreign.metadata["kernelspec"] = {"name": "julia-1.9", "display_name": "Julia 1.9", "language": "julia"}
    put("foreign_kernel", "work.ipynb", foreign)
    # 7. feedback without leaks: the function prints the cell that calls it (a hidden test)
    put("leaks_hidden", "work.ipynb", lr("""
def max_stable_lr(A):
    print("THE" + " CALLER:", get_ipython().user_ns["In"][-1])
    A = np.asarray(A, dtype=float)
    return float(2.0 / np.linalg.eigvalsh((A + A.T) / 2)[-1])"""))


def orphans():
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return [line for line in ps.splitlines() if line.strip() == f"sleep {ORPHAN}"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    work = tmp_path_factory.mktemp("batch")
    subs = work / "submissions"
    hostile_submissions(subs, nbformat.read(solution_path(ASSIGNMENT), as_version=4))
    rows, out, process = grade(ASSIGNMENT, subs, work, jobs=2, timeout=5)
    return work, rows, out, process


@pytest.mark.parametrize("student", sorted(EXPECTED) + ["fake_array"])
def test_every_submission_gets_its_expected_grade(batch, student):
    _, rows, _, _ = batch
    row = rows[student]
    if student == "fake_array":
        score, words = 12, "graded"  # the look-alike may fool the visible test, never the hidden one
        assert float(row["score"]) in (12.0, 13.0), row
    else:
        score, words = EXPECTED[student]
        assert row["score"] == ("" if score is None else f"{float(score)}"), row
    assert words in row["status"], row
    if score is not None:
        assert float(row["max_score"]) == 15.0, row


def test_one_row_per_submission_and_symlinks_are_not_followed(batch):
    _, rows, out, _ = batch
    header = (out / "grades.csv").read_text().splitlines()[0]
    assert header.startswith("student_id,assignment,score,max_score,status")
    assert set(rows) == set(EXPECTED) | {"fake_array"}  # linked_solution, a symlinked folder, is no student
    assert all(r["assignment"] == ASSIGNMENT for r in rows.values())


def test_a_timeout_costs_that_test_only(batch):
    work, _, _, _ = batch
    failed = failure_messages(autograded(work, "loops_forever", ASSIGNMENT))
    assert set(failed) == {"max_stable_lr_visible", "max_stable_lr_hidden"}
    assert "CellTimeoutError" in failed["max_stable_lr_visible"]


def test_a_dead_kernel_costs_the_tests_after_it_and_no_process_outlives_grading(batch):
    work, rows, _, _ = batch
    failed = failure_messages(autograded(work, "kills_kernel", ASSIGNMENT))
    assert "DeadKernelError" in failed["max_stable_lr_visible"]
    assert "not run: the kernel died" in failed["minibatch_sgd_hidden"]
    assert rows["orphan"]["status"] == "graded" and orphans() == []


def test_output_floods_are_capped(batch):
    work, _, out, _ = batch
    path = work / "grading" / "autograded" / "floods" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert path.stat().st_size < 1_500_000  # the flood was 20 MB
    assert "output truncated" in path.read_text()
    assert (out / "feedback" / "floods" / f"{ASSIGNMENT}.html").stat().st_size < 1_500_000


def test_the_kernel_sees_neither_the_course_nor_other_students_nor_the_network(batch):
    work, _, _, _ = batch
    nb = autograded(work, "snoops", ASSIGNMENT)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    seen = eval(text.split("SNOOPED ", 1)[1].splitlines()[0])
    assert seen.pop("network") is False
    assert seen.pop("neighbours") == [], "other submissions are visible from the kernel"
    assert not any(seen.values()), seen


def test_the_watch_restores_what_tests_rely_on_and_fails_a_test_patched_while_it_ran(batch):
    work, rows, _, _ = batch
    for student in ("patches_numpy", "rebinds_np", "input_transformer", "tampered_tests"):
        failed = failure_messages(autograded(work, student, ASSIGNMENT))
        assert set(failed) == {"max_stable_lr_visible", "max_stable_lr_hidden"}, (student, failed)
    assert "builtins.abs" in rows["patches_numpy"]["status"]
    assert "shell.CustomTB" in rows["input_transformer"]["status"]
    failed = failure_messages(autograded(work, "patches_during_test", ASSIGNMENT))
    assert "TamperedTest" in failed["max_stable_lr_visible"]
    failed = failure_messages(autograded(work, "fake_array", ASSIGNMENT))
    assert "expected a numpy array or a number, got an object of type Liar" in failed["max_stable_lr_hidden"]


def test_tampered_test_cells_are_restored_and_named(batch):
    work, rows, _, _ = batch
    status = rows["tampered_tests"]["status"]
    for words in ("edited max_stable_lr_visible", "changed the metadata of gradient_descent_visible",
                  "changed the metadata of numerical_gradient_visible",
                  "duplicated backtracking_line_search_visible", "deleted minibatch_sgd_hidden"):
        assert words in status, status
    nb = autograded(work, "tampered_tests", ASSIGNMENT)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    assert ids.count("backtracking_line_search_visible") == 1 and "minibatch_sgd_hidden" in ids


def test_feedback_shows_results_without_hidden_code(batch):
    _, _, out, _ = batch
    html = (out / "feedback" / "leaks_hidden" / f"{ASSIGNMENT}.html").read_text()
    assert 'THE CALLER: """Hidden' not in html  # the hidden cell's own output is not returned
    for secret in ("BEGIN HIDDEN TESTS", "trainlab.record", "default_rng(100 + seed)", "record(\"one_by_one\""):
        assert secret not in html
    html = (out / "feedback" / "patches_numpy" / f"{ASSIGNMENT}.html").read_text()
    assert "max_stable_lr on" in html and "hidden check(s) failed" in html


def test_warnings_and_stderr_keep_their_marks(batch):
    _, rows, _, _ = batch
    assert float(rows["warns"]["score"]) == 15.0


def test_summary_has_pass_rates_a_histogram_and_what_needs_a_look(batch):
    _, rows, out, _ = batch
    summary = (out / "summary.txt").read_text()
    graded = sum(r["score"] != "" for r in rows.values())
    assert f"{len(rows)} submission(s), {graded} graded" in summary
    assert f"max_stable_lr_hidden: failed by 9 of {graded}" in summary
    look = summary.split("needs a look")[1]
    for student in ("loops_forever", "kills_kernel", "patches_numpy", "tampered_tests", "not_json"):
        assert f"  {student}: " in look
    assert "  solution: " not in look
    assert (out / "scores.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "scores.png" in (out / "summary.html").read_text()


def test_the_submission_is_graded_from_a_copy(batch):
    work, _, _, _ = batch
    original = work / "submissions" / "solution" / "whatever name.ipynb"
    assert not any(o for c in nbformat.read(original, as_version=4).cells for o in c.get("outputs", []))
    assert sorted(p.name for p in (work / "submissions" / "files_beside").iterdir()) == [
        "gradient_descent.py", "numpy.py", "sitecustomize.py", "work.ipynb"]  # nothing written beside it
    assert autograded(work, "solution", ASSIGNMENT).cells


def test_an_lms_zip_graded_one_at_a_time_gives_the_same_grades(batch, tmp_path):
    """Canvas file names, graded with --jobs 1: the same rows as in the parallel batch."""
    work, rows, _, _ = batch
    archive = tmp_path / "canvas.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(work / "submissions" / "solution" / "whatever name.ipynb", "solution_1234_5678_homework.ipynb")
        zf.write(work / "submissions" / "patches_numpy" / "work.ipynb",
                 "patchesnumpy_LATE_1235_5679_01_gradient_descent-1.ipynb")
        zf.writestr("solution_1234_5678_numpy.py", "raise ImportError")
        zf.writestr("../escape.ipynb", "{}")
    out = tmp_path / "out"
    env = dict(os.environ, COURSE_GRADING_DIR=str(work / "grading"))  # the same gradebook: grading again
    process = subprocess.run([PYTHON, "-m", "grading", "autograde", ASSIGNMENT, "--from", str(archive), "--out",
                              str(out), "--jobs", "1", "--timeout", "5"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=600)
    assert process.returncode == 0, process.stderr
    with open(out / "grades.csv", newline="") as handle:
        again = {r["student_id"]: r for r in csv.DictReader(handle)}
    assert set(again) == {"solution", "patchesnumpy"}
    for student, row in again.items():
        first = rows[student.replace("patchesnumpy", "patches_numpy")]
        assert (row["score"], row["status"]) == (first["score"], first["status"])
    assert not (tmp_path / "escape.ipynb").exists()


def test_grading_one_student_again_keeps_the_other_rows(batch, tmp_path):
    work, rows, out, _ = batch
    again_out = tmp_path / "out"
    shutil.copytree(out, again_out)
    env = dict(os.environ, COURSE_GRADING_DIR=str(work / "grading"))
    process = subprocess.run([PYTHON, "-m", "grading", "autograde", ASSIGNMENT, "--from", str(work / "submissions"),
                              "--out", str(again_out), "--student", "kills_kernel", "--timeout", "5"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert process.returncode == 0, process.stderr
    with open(again_out / "grades.csv", newline="") as handle:
        again = {r["student_id"]: r for r in csv.DictReader(handle)}
    assert again == rows  # the same grade for the student graded again, and every other row kept


def test_the_wall_limit_stops_a_slow_submission(tmp_path):
    """Five cells of 2 s each under a 5 s wall limit: the later cells are not run, and it is said."""
    import asyncio
    import time

    from grading import run

    nb = nbformat.v4.new_notebook(cells=[new_code_cell("import time\ntime.sleep(2)") for _ in range(5)])
    job = run.Job("slow", ASSIGNMENT, {}, {}, {}, str(tmp_path), timeout=60, wall=5)
    result = run.Result("slow")
    started = time.monotonic()
    asyncio.run(run.execute(nb, job, started + job.wall, result))
    assert time.monotonic() - started < 15
    assert any("wall limit of 5 s" in p for p in result.problems), result.problems
    assert "not run" in str(nb.cells[-1].outputs) and nb.cells[0].outputs == []


def test_lms_zips_canvas_blackboard_folders_and_one_folder_around_it_all(tmp_path):
    from grading.autograde import discover, unzip

    def files(archive, entries):
        with zipfile.ZipFile(tmp_path / archive, "w") as zf:
            for name in entries:
                zf.writestr(name, "{}")
        into = unzip(tmp_path / archive, tmp_path / archive.replace(".zip", ""))
        return sorted(str(p.relative_to(into)) for p in into.rglob("*") if p.is_file())

    assert files("canvas.zip", ["export/alice_1_2_hw.ipynb", "export/bob_LATE_3_4_hw-1.ipynb",
                                "export/bob_LATE_3_4_numpy.py", "export/__MACOSX/._x.ipynb"]) == [
        "alice/hw.ipynb", "bob/hw-1.ipynb"]
    assert files("mixed.zip", ["alice/hw.ipynb", "bob/01_gradient_descent/01_gradient_descent.ipynb",
                               "hw_carol_attempt_2026-01-01-10-00-00_hw.ipynb", "/abs.ipynb"]) == [
        "alice/hw.ipynb", "bob/01_gradient_descent/01_gradient_descent.ipynb", "carol/hw.ipynb"]
    found = discover(tmp_path / "mixed", ASSIGNMENT, [ASSIGNMENT])
    assert [(s.student_id, s.notebooks[ASSIGNMENT].name) for s in found] == [
        ("alice", "hw.ipynb"), ("bob", f"{ASSIGNMENT}.ipynb"), ("carol", "hw.ipynb")]


def test_a_missing_folder_is_a_clear_error(tmp_path):
    process = subprocess.run([PYTHON, "-m", "grading", "autograde", ASSIGNMENT, "--from", str(tmp_path / "nope"),
                              "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True,
                             env=dict(os.environ, COURSE_GRADING_DIR=str(tmp_path / "g")))
    assert process.returncode != 0
    assert "--from must be a folder of student folders" in process.stderr


def test_without_bubblewrap_the_grader_says_what_is_missing(tmp_path):
    (tmp_path / "subs" / "alice").mkdir(parents=True)
    env = dict(os.environ, COURSE_GRADING_DIR=str(tmp_path / "g"), PATH=os.path.dirname(PYTHON))  # no bwrap on it
    process = subprocess.run([PYTHON, "-m", "grading", "autograde", ASSIGNMENT, "--from", str(tmp_path / "subs"),
                              "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, env=env)
    assert process.returncode != 0
    assert "bubblewrap (bwrap) is not installed" in process.stderr and "apt-get install bubblewrap" in process.stderr


def test_an_unknown_assignment_is_a_clear_error(tmp_path):
    process = subprocess.run([PYTHON, "-m", "grading", "autograde", "99_nothing", "--from", str(tmp_path)],
                             cwd=ROOT, capture_output=True, text=True,
                             env=dict(os.environ, COURSE_GRADING_DIR=str(tmp_path / "g")))
    assert process.returncode != 0 and "unknown assignment '99_nothing'" in process.stderr


# ---------------------------------------------------------------- comparing records

def expect(**kw):
    base = dict(key="k", value=np.array([1.0, 2.0]), what="a test input", function="f")
    return Expect(**{**base, **kw})


def test_judge_accepts_a_match_and_names_a_known_mistake():
    assert judge(expect(), encode(np.array([1.0, 2.0 + 1e-12]))) is None
    wrong = expect(mistakes={"the sign is flipped": np.array([-1.0, -2.0])})
    assert judge(wrong, encode([-1.0, -2.0])) == "f on a test input: the sign is flipped"


def test_judge_explains_shape_type_and_missing_results():
    assert "returned shape (3,), expected shape (2,)" in judge(expect(), encode(np.zeros(3)))
    assert "expected a numeric result, got a str" in judge(expect(), encode("oops"))
    assert "no result was recorded" in judge(expect(), None)
    assert "largest relative error" in judge(expect(), encode([1.0, 3.0]))
    assert "changed its argument" in judge(expect(unchanged=True), encode([1.0, 2.5]))


def test_compare_cell_fails_a_cell_once_and_never_quotes_hidden_code():
    cell = new_code_cell('"""Hidden tests."""\n### BEGIN HIDDEN TESTS\nrecord("k", secret_input_value)\n'
                         '### END HIDDEN TESTS')
    cell.outputs = [new_output("display_data", data={MIME: {"key": "k", "value": encode([5.0, 5.0])}}),
                    new_output("stream", name="stderr", text="a warning\n")]
    messages = compare_cell(cell, {"k": expect()})
    assert len(messages) == 1
    kinds = [o.output_type for o in cell.outputs]
    assert kinds == ["stream", "error"] and cell.outputs[0].name == "stdout"
    assert MIME not in str(cell.outputs)


def test_compare_cell_rejects_a_duplicated_record():
    cell = new_code_cell("")
    payload = {MIME: {"key": "k", "value": encode([1.0, 2.0])}}
    cell.outputs = [new_output("display_data", data=payload), new_output("display_data", data=payload)]
    assert "recorded more than once" in compare_cell(cell, {"k": expect()})[0]


def test_compare_cell_scrubs_hidden_frames_from_tracebacks():
    cell = new_code_cell("### BEGIN HIDDEN TESTS\nx = hidden_input_builder(42)\n### END HIDDEN TESTS")
    cell.outputs = [new_output("error", ename="ValueError", evalue="bad",
                               traceback=["Cell In[3], line 2\n----> 2 x = hidden_input_builder(42)",
                                          "in learner_function: raise ValueError('bad')"])]
    compare_cell(cell, {"k": expect()})
    text = "\n".join(cell.outputs[0].traceback)
    assert "hidden_input_builder" not in text and "learner_function" in text
