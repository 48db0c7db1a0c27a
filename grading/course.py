"""The course's nbgrader set-up, loaded in this process.

``api(**overrides)`` builds nbgrader's own Python API from ``grading/nbgrader_config.py``;
overrides such as ``{"CourseDirectory.release_directory": tmp}`` let a test or a dry run
work elsewhere without touching the course's folders.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRADING = ROOT / "grading"
SOLUTIONS = ROOT / "solutions"
ASSIGNMENTS = ROOT / "assignments"

# nbgrader runs `alembic` by name when it creates a gradebook: find it beside this Python
# even when the virtual environment is not activated.
_BIN = str(Path(sys.executable).parent)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")


def load_config(overrides: dict | None = None):
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(GRADING)).load_config()
    for name, value in (overrides or {}).items():
        section, trait = name.split(".")
        config[section][trait] = value
    return config


def api(overrides: dict | None = None, log_level=logging.WARNING):
    """nbgrader's ``NbGraderAPI`` configured for this course."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = load_config(overrides)
    coursedir = CourseDirectory(config=config)
    instance = NbGraderAPI(coursedir=coursedir, config=config)
    instance.log.setLevel(log_level)
    return instance


def assignment_ids() -> list[str]:
    """The assignments of the course, from the folders of ``solutions/``."""
    return sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").exists())


def notebook_names(assignment: str) -> list[str]:
    """The notebooks (stems) of one assignment, from its source folder."""
    folder = SOLUTIONS / assignment
    if not folder.is_dir():
        known = ", ".join(assignment_ids()) or "none"
        raise SystemExit(f"unknown assignment {assignment!r}: expected one of {known}")
    return sorted(p.stem for p in folder.glob("*.ipynb"))


def release(assignments: list[str], overrides: dict | None = None) -> None:
    """Regenerate the student version of each assignment with nbgrader's generate_assignment."""
    nbgrader = api(overrides)
    for assignment in assignments:
        notebook_names(assignment)  # fails clearly on an unknown name
        result = nbgrader.generate_assignment(assignment, force=True, create=True)
        if not result["success"]:
            raise SystemExit(f"nbgrader could not release {assignment}:\n{result.get('log')}\n{result.get('error')}")
