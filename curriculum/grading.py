"""Thin wrappers around nbgrader for the InFuSe course in ``grading/``.

Each lab notebook is the nbgrader source of its module. ``stage_source`` copies
the pristine notebook into the course's ``source/<module id>/`` folder, and
``nbgrader`` runs a stock nbgrader command in the course folder with the
environment's ``bin/`` on ``PATH`` (nbgrader starts ``alembic`` as a
subprocess). Trainers may equally run the same nbgrader commands themselves.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from curriculum.errors import CurriculumError
from curriculum.syllabus import get_module, project_root

__all__ = ["course_dir", "stage_source", "nbgrader", "GradingError", "COMMANDS"]

# wrapper verb -> nbgrader sub-command
COMMANDS = {
    "generate": "generate_assignment",
    "release": "release_assignment",
    "collect": "collect",
    "autograde": "autograde",
    "feedback": "generate_feedback",
    "release-feedback": "release_feedback",
    "export": "export",
}


class GradingError(CurriculumError, RuntimeError):
    """An nbgrader step that failed or a source notebook that is not pristine."""


def course_dir() -> Path:
    """Return the course folder (``grading/`` in the project).

    Returns
    -------
    pathlib.Path
    """
    return project_root() / "grading"


def _check_pristine(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags:
            raise GradingError(f"{path}: cell {i} was injected by papermill; use the lab notebook, never a papermill output, "
                               "as the nbgrader source")
        if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count")):
            raise GradingError(f"{path}: cell {i} holds outputs; clear them (the lab notebooks are kept output-free)")


def stage_source(module_id: str, course: Path | None = None) -> Path:
    """Copy a module's pristine notebook into the course's source folder.

    Parameters
    ----------
    module_id : str
        A module id from the syllabus.
    course : pathlib.Path, optional
        The course folder; ``grading/`` by default.

    Returns
    -------
    pathlib.Path
        The staged notebook, ``<course>/source/<module id>/<module id>.ipynb``.

    Raises
    ------
    UnknownModuleError
        If the module is not in the syllabus.
    GradingError
        If the notebook has outputs or a papermill-injected cell.
    """
    module = get_module(module_id)
    src = module.notebook_path()
    _check_pristine(src)
    target = (course or course_dir()) / "source" / module.id / f"{module.id}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, target)
    return target


def nbgrader(*args: str, course: Path | None = None, env: dict[str, str] | None = None,
             check: bool = True) -> subprocess.CompletedProcess:
    """Run an nbgrader command in the course folder.

    Parameters
    ----------
    *args : str
        The nbgrader sub-command and its arguments, e.g. ``"autograde", "where_the_money_goes"``.
    course : pathlib.Path, optional
        The course folder (holding ``nbgrader_config.py``); ``grading/`` by default.
    env : dict, optional
        Extra environment variables (for example ``INFUSE_EXCHANGE``).
    check : bool, default True
        Raise when nbgrader exits non-zero.

    Returns
    -------
    subprocess.CompletedProcess
        With ``stdout`` and ``stderr`` captured as text.

    Raises
    ------
    GradingError
        If ``check`` and nbgrader fails; the message holds nbgrader's last lines.
    """
    bindir = str(Path(sys.executable).parent)
    full_env = {**os.environ, **(env or {})}
    full_env["PATH"] = bindir + os.pathsep + full_env.get("PATH", "")
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course or course_dir(), env=full_env,
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise GradingError(f"nbgrader {' '.join(args)} failed (exit {proc.returncode}):\n{tail}")
    return proc
