"""Grading one submission, in a worker: rebuild, run sandboxed, compare, score, feedback.

A worker never touches the gradebook: it returns the scores, the autograded notebook and the
feedback HTML to the parent (``grading/autograde.py``), which alone writes the gradebook.

1. **Rebuild** the notebook from the assignment's source: every cell is the source's cell
   (hidden tests included, solutions replaced by their stubs), except the learner's answer
   in each solution cell, found by ``grade_id``. Test cells edited, deleted, duplicated or
   with changed metadata are thereby restored, and named in the status. Cells the learner
   added are kept where they were (they run as the learner's code, like a solution cell).
2. **Run** it in a fresh sandboxed kernel (``grading/sandbox.py``), cell by cell, with a
   per-cell timeout, a wall limit for the whole submission and a cap on the output each
   cell may keep; around every test cell the watch of ``grading/guard.py`` restores what
   the tests rely on.
3. **Compare** the hidden tests' records with the references (``grading/compare.py``) and
   **score** each test cell: full points without an error output, none with one.
4. **Feedback**: an HTML page per notebook without the hidden tests' code or outputs.
"""
from __future__ import annotations

import asyncio
import json
import secrets
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output

from grading import guard
from grading.compare import HIDDEN_BEGIN, _hidden_lines, _is_record, compare_cell, expected_records
from grading.sandbox import SandboxedKernelManager
from trainlab.record import MIME


@dataclass
class Job:
    student_id: str
    assignment: str
    notebooks: dict  # notebook name -> path of the staged copy (or "" when the learner sent none)
    templates: dict  # notebook name -> the source notebook with solutions stubbed (a dict)
    releases: dict  # notebook name -> the released notebook (a dict), to see what the learner changed
    workdir: str
    timeout: int = 60
    wall: int = 600
    memory_mb: int = 2048
    max_output_kb: int = 256
    sandbox: bool = True


@dataclass
class Result:
    student_id: str
    notebooks: dict = field(default_factory=dict)  # name -> {"grades": {...}, "autograded": nb, "feedback": html}
    problems: list = field(default_factory=list)  # timeouts, dead kernels: the status column
    tampering: list = field(default_factory=list)  # what was restored: the status column, "needs a look"
    unreadable: dict = field(default_factory=dict)  # name -> why that notebook could not be read
    seconds: float = 0.0


# ---------------------------------------------------------------- reading and rebuilding

def read_notebook(path: str):
    """``(notebook, "")`` or ``(None, reason)``: never raises on a bad file."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        return None, f"cannot read the notebook ({error.strerror})"
    if not raw.strip():
        return None, "notebook is empty"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, "notebook is not UTF-8 text"
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None, "notebook is not valid JSON"
    if not isinstance(data, dict) or not isinstance(data.get("cells", data.get("worksheets")), list):
        return None, "notebook has no cells (a JSON file, but not a Jupyter notebook)"
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as error:
        return None, f"notebook is not a Jupyter notebook nbformat can read ({type(error).__name__})"
    cells = []
    for cell in nb.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") in ("code", "markdown", "raw"):
            source = cell.get("source", "")
            cell["source"] = "".join(source) if isinstance(source, list) else str(source)
            if not isinstance(cell.get("metadata"), dict):
                cell["metadata"] = {}
            cells.append(cell)
    nb["cells"] = cells
    return nb, ""


def _gid(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    if not isinstance(meta, dict):
        return None
    gid = meta.get("grade_id")
    return gid if isinstance(gid, str) else None


def _is_solution(cell) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))


def _is_test(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def _same_meta(a: dict, b: dict) -> bool:
    keys = ("grade", "solution", "locked", "points", "grade_id", "task")
    return all(a.get(k) == b.get(k) for k in keys)


def rebuild(template: dict, release: dict, learner) -> tuple:
    """The notebook to run: the source's cells with the learner's answers; and what was restored."""
    template = nbformat.from_dict(template)
    by_gid: dict[str, list] = {}
    for cell in learner.cells:
        gid = _gid(cell)
        if gid:
            by_gid.setdefault(gid, []).append(cell)
    known = {_gid(c) for c in template.cells if _gid(c)}
    notes = []
    released = {_gid(c): c for c in release.get("cells", []) if _gid(c)}
    sources = {_gid(c): c.source.strip() for c in template.cells if _gid(c)}  # the source's own text is no edit
    for gid, cell in released.items():
        if cell.get("cell_type") != "code" or _is_solution(cell):
            continue
        mine = by_gid.get(gid, [])
        if not mine:
            notes.append(f"deleted {gid}")
            continue
        if len(mine) > 1:
            notes.append(f"duplicated {gid}")
        original = sources.get(gid, "")
        if any(m.get("source", "").strip() not in (cell.get("source", "").strip(), original) for m in mine):
            notes.append(f"edited {gid}")
        if any(not _same_meta(m["metadata"].get("nbgrader", {}), cell["metadata"].get("nbgrader", {})) for m in mine):
            notes.append(f"changed the metadata of {gid}")
    # cells the learner added, kept after the known cell that precedes them
    added_after: dict[str | None, list] = {}
    previous = None
    for cell in learner.cells:
        gid = _gid(cell)
        if gid in known:
            previous = gid
        elif cell.get("cell_type") in ("code", "markdown"):
            added = nbformat.from_dict({"cell_type": cell["cell_type"], "source": cell.get("source", ""),
                                        "metadata": {}})
            if cell["cell_type"] == "code":
                added.update(outputs=[], execution_count=None)
            added_after.setdefault(previous, []).append(added)
    cells = list(added_after.get(None, []))
    for cell in template.cells:
        gid = _gid(cell)
        if _is_solution(cell):
            mine = [m for m in by_gid.get(gid, []) if m.get("cell_type") == cell.cell_type]
            if len(mine) > 1:
                notes.append(f"solution cell {gid} appears {len(mine)} times (the first was graded)")
            if mine:
                cell.source = mine[0].get("source", "")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
        cells += added_after.get(gid, [])
    template.cells = cells
    return template, notes


# ---------------------------------------------------------------- running

RECORD_BYTES = 64 * 1024 * 1024  # what the hidden tests of one cell may record


class CappedClient(NotebookClient):
    """An nbclient client that keeps at most ``max_output_bytes`` of outputs per cell."""

    max_output_bytes = 256 * 1024

    def output(self, outs, msg, display_id, cell_index):
        used = getattr(self, "_used", None)
        if used is None:
            used = self._used = {}
        size = len(json.dumps(msg.get("content", {}), default=str))
        if MIME in (msg.get("content", {}).get("data") or {}):  # hidden tests' records: a budget of their own
            key, cap = ("records", cell_index), RECORD_BYTES
        else:
            key, cap = cell_index, self.max_output_bytes
        total = used.get(key, 0) + size
        used[key] = total
        if total > cap:
            if total - size <= cap:
                outs.append(new_output("stream", name="stdout", text=(
                    f"\n[output truncated: this cell produced more than {cap // 1024} KiB "
                    "of output; the rest was dropped by the grader]\n")))
            return None
        return super().output(outs, msg, display_id, cell_index)

    def update_displays(self, msg):
        if len(json.dumps(msg.get("content", {}), default=str)) > min(self.max_output_bytes, RECORD_BYTES):
            return
        return super().update_displays(msg)


def _error(ename: str, evalue: str):
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


async def _request(client, code: str, timeout: float, user_expressions=None):
    """Send an execute request outside any cell; the reply, or ``None`` if none came in time."""
    msg_id = client.kc.execute(code, silent=True, store_history=False, user_expressions=user_expressions or {},
                               allow_stdin=False)
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            msg = await ensure_async(client.kc.get_shell_msg(timeout=left))
        except Exception:  # queue.Empty: no reply in time
            return None
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return msg


async def _watch(client, nonce: str, when: str, names=()):
    reply = await _request(client, "", 20, {"guard": guard.expression(nonce, when, names)})
    return guard.parse(reply, nonce)


async def execute(nb, job: Job, deadline: float, result: Result) -> dict:
    """Run ``nb`` in place; returns ``{cell index: things the submission changed while that test ran}``."""
    workdir = Path(job.workdir)
    km = SandboxedKernelManager(workdir, memory_mb=job.memory_mb, sandbox=job.sandbox)
    client = CappedClient(nb, km=km, timeout=job.timeout, allow_errors=True, interrupt_on_timeout=False,
                          record_timing=False, startup_timeout=60, shutdown_kernel="immediate")
    client.max_output_bytes = job.max_output_kb * 1024
    nonce = secrets.token_hex(16)
    during: dict[int, list] = {}
    dead = ""
    try:
        async with client.async_setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            reply = await _request(client, guard.PRELUDE, 60)
            if not reply or reply["content"].get("status") != "ok":
                result.problems.append("the grader could not prepare the kernel")
                dead = "the grader could not prepare the kernel"
            number = 0
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                number += 1
                if not cell.source.strip():
                    continue
                if dead:
                    cell.outputs = [_error("NotRun", f"not run: {dead}")]
                    continue
                left = deadline - time.monotonic()
                if left < 1:
                    dead = f"the submission used up its wall limit of {job.wall} s"
                    result.problems.append(f"wall limit of {job.wall} s reached before code cell {number}")
                    cell.outputs = [_error("NotRun", f"not run: {dead}")]
                    continue
                client.timeout = int(max(1, min(job.timeout, left)))
                test = _is_test(cell)
                if test:
                    before = await _watch(client, nonce, "before")
                    if before:
                        result.tampering.append(f"restored {', '.join(before)} before code cell {number}")
                try:
                    await client.async_execute_cell(cell, index)
                except CellTimeoutError:
                    if client.timeout < job.timeout:  # cut short by the wall limit, not by its own timeout
                        cell.outputs.append(_error("CellTimeoutError", f"stopped: the submission used up its "
                                                   f"wall limit of {job.wall} s while this cell ran"))
                        result.problems.append(f"wall limit of {job.wall} s reached in code cell {number}")
                    else:
                        cell.outputs.append(_error("CellTimeoutError",
                                                   f"timed out: this cell ran longer than {client.timeout} s"))
                        result.problems.append(f"timed out in code cell {number}")
                    await _interrupt(client)
                    if await _request(client, "", 10) is None:
                        dead = f"the kernel stopped answering after the timeout in code cell {number}"
                    continue
                except DeadKernelError:
                    cell.outputs.append(_error("DeadKernelError", "the kernel died while running this cell "
                                               f"(out of memory past {job.memory_mb} MiB, or the code ended it)"))
                    result.problems.append(f"kernel died in code cell {number}")
                    dead = f"the kernel died in code cell {number}"
                    continue
                meta = cell.metadata.get("nbgrader", {})
                if meta.get("locked") and not meta.get("solution") and not test:
                    names = guard.bound_names(cell.source)
                    if names and await _watch(client, nonce, "locked", names) is None:
                        result.tampering.append(f"the grader's watch did not answer after code cell {number}")
                if any(o.get("ename") == "MemoryError" for o in cell.outputs if o.get("output_type") == "error"):
                    result.problems.append(f"ran out of memory ({job.memory_mb} MiB) in code cell {number}")
                if test:
                    after = await _watch(client, nonce, "after")
                    if after is None:
                        during[index] = ["the grader's watch (it did not answer)"]
                    elif after:
                        during[index] = after
                    if index in during:
                        result.tampering.append(f"changed {', '.join(during[index][:5])} while test code cell "
                                                f"{number} ran (that test earns nothing)")
    except Exception as error:  # the kernel did not start, or the client broke: still one row
        result.problems.append(f"the kernel failed: {type(error).__name__}: {str(error)[:200]}")
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.source.strip() and not cell.get("outputs"):
                cell.outputs = [_error("NotRun", "not run: the kernel failed")]
    finally:
        try:
            if km.has_kernel:
                await ensure_async(km.shutdown_kernel(now=True))
        except Exception:
            pass
    return during


async def _interrupt(client) -> None:
    try:
        await ensure_async(client.km.interrupt_kernel())
    except Exception:
        return
    await _request(client, "", 5)  # let the interrupted cell's reply go by


# ---------------------------------------------------------------- scoring and feedback

def score(nb, assignment: str, during: dict) -> dict:
    """Compare records, mark tampered tests failed; ``{grade_id: (score, max_score, messages)}``."""
    expected = expected_records(assignment)
    grades = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("grade") and not meta.get("solution")):
            cell.outputs = [o for o in cell.get("outputs", []) if not _is_record(o)]
            continue
        for output in cell.get("outputs", []):  # a warning or a note on stderr is not a failure
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["name"] = "stdout"
        messages = compare_cell(cell, expected.get(meta.get("grade_id")))
        if index in during:
            text = ("the submission changed what this test relies on while it ran "
                    f"({', '.join(during[index][:5])}); the test cannot be trusted and earns no points")
            cell.outputs.append(_error("TamperedTest", text))
            messages.append(text)
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        points = float(meta.get("points", 0) or 0)
        if errors and not messages:
            messages = [f"{errors[0].get('ename')}: {str(errors[0].get('evalue'))[:300]}"]
        grades[meta["grade_id"]] = (0.0 if errors else points, points, messages)
        meta["score"], meta["points"] = (0.0 if errors else points), points
    for cell in nb.cells:  # manually graded answers: nbgrader's needs_manual_grade
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and meta.get("solution"):
            grades[meta["grade_id"]] = (None, float(meta.get("points", 0) or 0), [])
    return grades


def feedback_notebook(nb):
    """A copy for the learner: no hidden code, no output of a hidden cell but its verdict, no hidden line anywhere."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    hidden = []
    for cell in nb.cells:
        hidden += _hidden_lines(cell.get("source", ""))
    for cell in nb.cells:
        if HIDDEN_BEGIN in cell.get("source", ""):
            kept, inside = [], False
            for line in cell.source.splitlines():
                if "### BEGIN HIDDEN TESTS" in line:
                    inside = True
                elif "### END HIDDEN TESTS" in line:
                    inside = False
                elif not inside:
                    kept.append(line)
            cell.source = "\n".join(kept)
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"
                            or (o.get("output_type") == "stream" and "hidden checks passed" in o.get("text", ""))]
        for output in cell.get("outputs", []):
            _scrub_output(output, hidden)
    return nb


def _scrub_output(output, hidden: list[str]) -> None:
    def clean(text):
        if not isinstance(text, str):
            return text
        for line in hidden:
            if line in text:
                text = text.replace(line, "(hidden test code)")
        return text

    if "text" in output:
        output["text"] = clean(output["text"])
    if "traceback" in output:
        output["traceback"] = [clean(t) for t in output["traceback"]]
    if "evalue" in output:
        output["evalue"] = clean(output["evalue"])
    for mime, value in list(output.get("data", {}).items()):
        output["data"][mime] = clean(value) if isinstance(value, str) else value


_EXPORTER = None


def feedback_html(nb, job: Job, name: str, grades: dict) -> str:
    global _EXPORTER
    import os

    import nbgrader
    from nbconvert.exporters import HTMLExporter
    from traitlets.config import Config

    if _EXPORTER is None:
        base = os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader")
        c = Config()
        c.HTMLExporter.template_name = "feedback"
        c.HTMLExporter.extra_template_basedirs = [os.path.join(base, "templates")]
        c.HTMLExporter.extra_template_paths = [os.path.join(base, "static", "node_modules", "bootstrap", "dist", "css")]
        _EXPORTER = HTMLExporter(config=c)
    nb = feedback_notebook(nb)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta:
            meta.setdefault("comment", None)
            if meta.get("grade") and "score" not in meta:
                meta["score"] = grades.get(meta.get("grade_id"), (None,))[0]
    total = sum(g[0] or 0 for g in grades.values())
    top = sum(g[1] for g in grades.values())
    resources = {"nbgrader": {"student": job.student_id, "assignment": job.assignment, "notebook": name,
                              "score": total, "max_score": top, "late_penalty": 0}}
    html, _ = _EXPORTER.from_notebook_node(nb, resources=resources)
    return html


# ---------------------------------------------------------------- one submission

def grade(job: Job) -> Result:
    """Grade every notebook of one submission; never raises for anything the submission holds."""
    started = time.monotonic()
    result = Result(job.student_id)
    deadline = started + job.wall
    for name, template in job.templates.items():
        path = job.notebooks.get(name)
        learner, problem = read_notebook(path) if path else (None, f"no notebook {name}.ipynb in the submission")
        if learner is None:
            result.unreadable[name] = problem
            learner = nbformat.v4.new_notebook()
        nb, notes = rebuild(template, job.releases[name], learner)
        if path and not problem:
            prefix = f"{name}.ipynb: " if len(job.templates) > 1 else ""
            result.tampering += [prefix + (n if n.startswith("solution cell") else f"test cells restored ({n})")
                                 for n in notes]
        nb.metadata = nbformat.from_dict(template["metadata"])
        if learner is not None and not problem:
            during = asyncio.run(execute(nb, job, deadline, result))
        else:
            during = {}
            for cell in nb.cells:
                if cell.cell_type == "code" and cell.source.strip():
                    cell.outputs = [_error("NotRun", f"not run: {problem}")]
        grades = score(nb, job.assignment, during)
        try:
            html = feedback_html(nb, job, name, grades)
        except Exception as error:
            html = ""
            result.problems.append(f"no feedback for {name}.ipynb ({type(error).__name__})")
        result.notebooks[name] = {"grades": grades, "autograded": nbformat.writes(nb), "feedback": html}
    result.seconds = time.monotonic() - started
    return result
