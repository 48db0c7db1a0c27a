"""The course's grading: release, autograde and feedback on top of nbgrader.

``python -m grading --help`` lists the commands. The hidden references live in
``grading/reference/``; ``grading/checks/`` turns them into the expected results of each
hidden test, and ``grading/compare.py`` compares those with what a learner's notebook
recorded, in the grader's process, never in the learner's kernel. ``grading/autograde.py``
grades a class (collecting, workers, the single gradebook writer, reports);
``grading/run.py`` grades one submission in a worker; ``grading/sandbox.py`` starts its
kernel under bubblewrap; ``grading/guard.py`` watches what the tests rely on.
"""
