"""Expected results of the hidden tests, one module per assignment topic.

``grading/checks/<topic>.py`` exports ``CHECKS = {grade_id: build}``; ``build()`` returns
the list of ``grading.compare.Expect`` for the records of that test cell. Each build
regenerates the hidden inputs exactly as the hidden test cell of
``solutions/<nn>_<topic>/`` does (same seeds, same order) and computes the references.
"""
import numpy as np


def or_none(fn, *args):
    """``fn(*args)``, or ``None`` when it raises (numpy warnings silenced).

    A mistaken variant may fail on a hidden input; a check then leaves it out of that
    input's ``Expect.mistakes``, and the mistake is named by the inputs where it runs.
    """
    try:
        with np.errstate(all="ignore"):
            return fn(*args)
    except Exception:
        return None
