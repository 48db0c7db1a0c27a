"""nbgrader's configuration for this course.

nbgrader reads this file when it runs from grading/ (``cd grading && nbgrader ...``);
``python -m grading`` and ``make release`` load it for you. It maps nbgrader's folders
onto the course layout: solutions/ is the source, assignments/ the release, and the
working folders and the SQLite gradebook stay under grading/ (git-ignored).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "training-neural-networks"
c.CourseDirectory.root = ROOT
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
# The working folders and the gradebook live in grading/ unless COURSE_GRADING_DIR names
# another folder (the test suite grades its fake classes there).
WORK = os.path.abspath(os.environ.get("COURSE_GRADING_DIR") or HERE)
os.makedirs(WORK, exist_ok=True)
c.CourseDirectory.submitted_directory = os.path.join(WORK, "submitted")
c.CourseDirectory.autograded_directory = os.path.join(WORK, "autograded")
c.CourseDirectory.feedback_directory = os.path.join(WORK, "feedback")
# A generous busy timeout: nbgrader's default of 5 s makes a second writer fail with
# "database is locked" while a first one holds the gradebook.
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(WORK, "gradebook.db") + "?timeout=120"


# The release keeps no outputs and no trace of the solutions.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Autograding compares what hidden test cells recorded with grading/reference/, in this
# (the grader's) process, after the kernel has finished and before grades are saved.
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, Execute, GetGrades, IgnorePattern,
    LimitOutput, SaveAutoGrades,
)
from grading.compare import CompareRecords  # noqa: E402

c.Autograde.create_student = True
c.Autograde.autograde_preprocessors = [
    Execute, CompareRecords, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
    SaveAutoGrades, AssignLatePenalties, CheckCellMetadata,
]
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.Execute.execute_retries = 0

# Feedback shows which tests passed and why the others failed, never the hidden tests' code.
c.GenerateFeedback.preprocessors = [ClearHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]
