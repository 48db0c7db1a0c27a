"""Comparing what hidden tests recorded with the references, in the grader's process.

A hidden test cell calls ``trainlab.record.record(key, value)`` on the learner's
results; nothing else of the grading runs in the learner's kernel. After the kernel
has finished, ``CompareRecords`` (an nbgrader preprocessor placed right after
``Execute``) reads those records, asks ``grading/checks/<topic>.py`` what each one
should be, and marks a test cell failed, with an error output that names the kind of
mistake, when a record is missing or wrong. ``SaveAutoGrades`` then scores the cells
as usual.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

import numpy as np
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from trainlab.record import MIME, decode

# What a recorded value may be: real arrays, Python and NumPy numbers, tuples and lists of them
ACCEPTED_TYPES = {"ndarray", "float", "int", "bool", "tuple", "list", "float64", "float32", "float16", "int64",
                  "int32", "int16", "int8", "uint64", "uint32", "uint16", "uint8", "bool_", "longdouble",
                  "float128", "intc", "NoneType"}
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class Expect:
    """What one recorded value must be.

    ``value`` is the reference result; ``what`` names the input for the learner
    ("a 6-D quadratic"); ``mistakes`` maps the message for a known mistake to what
    that mistake returns on the same input, so a wrong answer can be named.
    """

    key: str
    value: Any
    what: str
    function: str
    rtol: float = 1e-6
    atol: float = 1e-9
    mistakes: dict = field(default_factory=dict)
    unchanged: bool = False  # the record is an argument after the call: it must be as before


def _close(got: np.ndarray, want: np.ndarray, rtol: float, atol: float) -> bool:
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=False))


def _relative_error(got: np.ndarray, want: np.ndarray) -> float:
    with np.errstate(all="ignore"):
        err = np.abs(got - want) / np.maximum(1e-8, np.abs(got) + np.abs(want))
    return float(np.nanmax(err)) if np.isfinite(err).any() else float("inf")


def judge(expect: Expect, payload: dict | None) -> str | None:
    """``None`` when the record matches; otherwise a message naming what is wrong."""
    name = f"{expect.function} on {expect.what}"
    if payload is None:
        return f"{name}: no result was recorded (the test stopped before reaching it)"
    kind = payload.get("type")
    if "error" not in payload and kind not in ACCEPTED_TYPES:
        return (f"{name}: expected a numpy array or a number, got an object of type {str(kind)[:60]} "
                "(return np.ndarray, not a subclass or a look-alike)")
    try:
        got = decode(payload)
    except ValueError as error:
        return f"{name}: expected a numeric result, got a {payload.get('type', 'value')} ({error})"
    want = np.asarray(expect.value, dtype=float)
    if expect.unchanged:
        if got.shape == want.shape and np.array_equal(got, want):
            return None
        return f"{name}: the function changed its argument in place; leave the caller's arrays as they were"
    got = got.astype(float)
    if _close(got, want, expect.rtol, expect.atol):
        return None
    named = [message for message, wrong in expect.mistakes.items()
             if _close(got, np.asarray(wrong, dtype=float), expect.rtol, expect.atol)]
    if named:  # several mistakes can give the same numbers on one input: name them all
        return f"{name}: " + "; or ".join(named)
    if got.shape != want.shape:
        kind = "a scalar" if want.shape == () else f"shape {want.shape}"
        return f"{name}: returned shape {got.shape}, expected {kind}"
    if not np.all(np.isfinite(got)):
        return f"{name}: the result contains NaN or infinity"
    return f"{name}: wrong result (largest relative error {_relative_error(got, want):.2g})"


@lru_cache(maxsize=None)
def expected_records(assignment: str) -> dict[str, dict[str, Expect]]:
    """``{grade_id: {key: Expect}}`` for an assignment, from ``grading/checks/<topic>.py``."""
    topic = re.sub(r"^\d+_", "", assignment)
    module = importlib.import_module(f"grading.checks.{topic}")
    checks: dict[str, Callable[[], list[Expect]]] = module.CHECKS
    result = {}
    for grade_id, build in checks.items():
        with np.errstate(all="ignore"):  # references may overflow on purpose (a diverging step)
            expects = build()
        keys = [e.key for e in expects]
        if len(set(keys)) != len(keys):
            raise ValueError(f"grading.checks.{topic}: duplicate record keys in {grade_id}")
        result[grade_id] = {e.key: e for e in expects}
    return result


def _is_record(output) -> bool:
    return output.get("output_type") in ("display_data", "execute_result") and MIME in output.get("data", {})


def _hidden_lines(source: str) -> list[str]:
    lines, inside = [], False
    for line in source.splitlines():
        if HIDDEN_BEGIN in line:
            inside = True
        elif HIDDEN_END in line:
            inside = False
        elif inside and len(line.strip()) > 3:
            lines.append(line.strip())
    return lines


def _scrub_traceback(traceback: list[str], hidden: list[str]) -> list[str]:
    """Replace the frames of a traceback that quote hidden test code."""
    cleaned = []
    for entry in traceback:
        plain = _ANSI.sub("", entry)
        if any(line in plain for line in hidden):
            if not cleaned or cleaned[-1] != "(a frame in the hidden tests)":
                cleaned.append("(a frame in the hidden tests)")
        else:
            cleaned.append(entry)
    return cleaned


def compare_cell(cell, expected: dict[str, Expect] | None) -> list[str]:
    """Check one test cell's records in place; returns the failure messages (empty: passed)."""
    records, outputs = {}, []
    duplicates = set()
    for output in cell.get("outputs", []):
        if _is_record(output):
            content = output["data"][MIME]
            key = str(content.get("key"))
            if key in records:
                duplicates.add(key)
            records[key] = content.get("value")
        else:
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["name"] = "stdout"  # a warning is not a failure
            outputs.append(output)
    failed = any(o.get("output_type") == "error" for o in outputs)
    messages = []
    if expected is None:
        if records:
            messages.append("the grader has no reference for this test cell (course misconfigured)")
    elif not failed:
        for key, expect in expected.items():
            if key in duplicates:
                messages.append(f"{expect.function} on {expect.what}: recorded more than once")
                continue
            message = judge(expect, records.get(key))
            if message:
                messages.append(message)
    hidden = _hidden_lines(cell.get("source", ""))
    for output in outputs:
        if output.get("output_type") == "error" and hidden:
            output["traceback"] = _scrub_traceback(list(output.get("traceback", [])), hidden)
    if messages:
        outputs.append(new_output(
            "error", ename="HiddenTestFailure", evalue=messages[0],
            traceback=[f"HiddenTestFailure: {len(messages)} hidden check(s) failed:"] + [f"  - {m}" for m in messages]))
    elif expected and not failed:
        outputs.append(new_output("stream", name="stdout", text=f"All {len(expected)} hidden checks passed.\n"))
    cell["outputs"] = outputs
    return messages


class CompareRecords(NbGraderPreprocessor):
    """nbgrader preprocessor: compare hidden-test records with the references."""

    def preprocess(self, nb, resources):
        assignment = resources["nbgrader"]["assignment"]
        expected = expected_records(assignment)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                compare_cell(cell, expected.get(meta.get("grade_id")))
            else:  # records outside test cells mean nothing: drop them
                cell.outputs = [o for o in cell.get("outputs", []) if not _is_record(o)]
        return nb, resources
