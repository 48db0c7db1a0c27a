"""The course's catalog of realistic mistakes, one module per assignment topic.

Each module exports ``MISTAKES``: a list of ``Mistake``. A mistake replaces the solution
cell of one function (``grade_id`` = the function's name) with a wrong but plausible
version. ``tests/test_mistakes.py`` grades every mistaken notebook for real and checks
that it loses points and that the feedback names the mistake (``says``).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    name: str      # a short id, also the fake student's id
    function: str  # the grade_id of the solution cell replaced
    source: str    # the mistaken code of that cell
    says: str      # a phrase the grader's message must contain
    also: tuple = ()  # functions whose solution calls this one (their hidden tests may fail too)
