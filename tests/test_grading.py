"""python -m grading: every submission gets a row, whatever it holds; comparisons name mistakes."""
import os
import shutil
import subprocess

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from grading.compare import Expect, compare_cell, judge
from tests.conftest import PYTHON, ROOT, autograded, grade, solution_path, with_cell_replaced
from trainlab.record import MIME, encode

ASSIGNMENT = "01_gradient_descent"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    work = tmp_path_factory.mktemp("batch")
    subs = work / "submissions"
    solution = nbformat.read(solution_path(ASSIGNMENT), as_version=4)

    def put(student, name, content):
        (subs / student).mkdir(parents=True, exist_ok=True)
        path = subs / student / name
        if isinstance(content, str):
            path.write_text(content)
        else:
            nbformat.write(content, path)

    put("not_json", "work.ipynb", "{ this is not json")
    put("empty_file", "work.ipynb", "")
    (subs / "no_notebook").mkdir(parents=True)
    (subs / "no_notebook" / "notes.txt").write_text("I forgot to attach it")
    put("two_notebooks", "a.ipynb", solution)
    put("two_notebooks", "b.ipynb", solution)
    put("loops_forever", "work.ipynb", with_cell_replaced(
        solution, "max_stable_lr", "def max_stable_lr(A):\n    while True:\n        pass"))
    put("warns", "work.ipynb", with_cell_replaced(solution, "max_stable_lr", '''
import sys, warnings
def max_stable_lr(A):
    warnings.warn("a harmless warning")
    print("a note on stderr", file=sys.stderr)
    A = np.asarray(A, dtype=float)
    return float(2.0 / np.linalg.eigvalsh((A + A.T) / 2)[-1])'''))
    put("solution", "whatever name.ipynb", solution)
    os.symlink(subs / "solution", subs / "linked_solution")
    rows, out, process = grade(ASSIGNMENT, subs, work, jobs=2, timeout=5)
    return work, rows, out, process


def test_one_row_per_submission_with_the_reason_when_ungraded(batch):
    _, rows, out, _ = batch
    header = (out / "grades.csv").read_text().splitlines()[0]
    assert header == "student_id,assignment,score,max_score,status"
    assert set(rows) == {"not_json", "empty_file", "no_notebook", "two_notebooks", "loops_forever",
                         "warns", "solution"}  # the symlinked folder is not followed
    assert rows["not_json"]["status"] == "notebook is not valid JSON" and rows["not_json"]["score"] == ""
    assert rows["empty_file"]["status"] == "notebook is empty"
    assert "no notebook" in rows["no_notebook"]["status"]
    assert "none named 01_gradient_descent.ipynb" in rows["two_notebooks"]["status"]
    assert all(r["assignment"] == ASSIGNMENT for r in rows.values())


def test_a_timeout_costs_that_test_only_and_is_reported(batch):
    work, rows, _, _ = batch
    row = rows["loops_forever"]
    assert "timed out in code cell" in row["status"]
    assert 0 < float(row["score"]) < float(row["max_score"])


def test_warnings_and_stderr_keep_their_marks(batch):
    _, rows, _, _ = batch
    assert float(rows["warns"]["score"]) == float(rows["warns"]["max_score"]) == 15.0
    assert float(rows["solution"]["score"]) == 15.0


def test_summary_lists_failed_tests_and_ungraded_submissions(batch):
    _, _, out, _ = batch
    summary = (out / "summary.txt").read_text()
    assert "7 submission(s), 3 graded" in summary
    assert "max_stable_lr_hidden: failed by 1 of 3" in summary
    assert "not_json: notebook is not valid JSON" in summary


def test_the_submission_is_graded_from_a_copy(batch):
    work, _, _, _ = batch
    original = work / "submissions" / "solution" / "whatever name.ipynb"
    assert not any(o for c in nbformat.read(original, as_version=4).cells for o in c.get("outputs", []))
    assert autograded(work, "solution", ASSIGNMENT).cells  # graded elsewhere


def test_a_missing_folder_is_a_clear_error(tmp_path):
    process = subprocess.run([PYTHON, "-m", "grading", "autograde", ASSIGNMENT, "--from", str(tmp_path / "nope"),
                              "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True,
                             env=dict(os.environ, COURSE_GRADING_DIR=str(tmp_path / "g")))
    assert process.returncode != 0
    assert "--from must be a folder of student folders" in process.stderr


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
