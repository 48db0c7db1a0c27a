"""Expected results of the hidden tests, one module per assignment topic.

``grading/checks/<topic>.py`` exports ``CHECKS = {grade_id: build}``; ``build()`` returns
the list of ``grading.compare.Expect`` for the records of that test cell. Each build
regenerates the hidden inputs exactly as the hidden test cell of
``solutions/<nn>_<topic>/`` does (same seeds, same order) and computes the references.
"""
