"""The course's grading: release, autograde and feedback on top of nbgrader.

``python -m grading --help`` lists the commands. The hidden references live in
``grading/reference/``; ``grading/checks/`` turns them into the expected results of each
hidden test, and ``grading/compare.py`` compares those with what a learner's notebook
recorded, in this process, never in the learner's kernel.
"""
