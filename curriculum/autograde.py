"""Autograding a cohort: parallel, sandboxed, fault tolerant and resumable.

``autograde_all(module, course)`` grades every submission of a module in the course's
``submitted/`` folder and leaves the course exactly as stock ``nbgrader autograde`` would
(the same gradebook rows, the same ``autograded/`` notebooks), so trainers keep using
formgrader, ``nbgrader generate_feedback``, ``nbgrader export`` and the rest.

How it works
------------
- **One throwaway course per submission.** A worker builds a private course (the course's
  ``nbgrader_config.py``, a copy of the gradebook holding only the assignment - no learner
  data -, the source folder's other files and the one submission) and runs nbgrader's own
  ``Autograde`` converter on it (what ``nbgrader autograde MODULE --student ID`` runs, through
  nbgrader's Python API, so each worker pays nbgrader's start-up once). No two workers ever
  touch the same gradebook, so there are no lock errors; and a job carries everything as
  bytes, so it runs the same on a local process pool or a Dask cluster without a shared
  file system.
- **Sandboxed kernel.** nbgrader starts the kernel through :mod:`curriculum.sandbox` (its own
  uid, no network, a whitelisted read-only file system without the course, the exchange or
  other submissions, resource limits) over the IPC transport. A per-cell time limit is
  nbgrader's ``Execute.timeout``; the whole submission has a time limit too, after which
  every process of the submission's uid is killed and nbgrader gives up on it.
- **Serial merge.** The parent is the only writer of the course's gradebook. For each
  finished submission it copies the autograded folder into ``autograded/`` and runs
  nbgrader's own ``SaveAutoGrades`` and ``AssignLatePenalties`` on it against the course's
  gradebook, after creating the submission with its timestamp as ``nbgrader autograde``
  does - hence the same scores as a serial ``nbgrader autograde``. The worker's own
  scores are compared with the merged ones.
- **Anti-cheating.** Before grading, each notebook is compared with the gradebook's copy of
  the source: deleted, edited, duplicated, re-typed or re-identified locked cells and tests
  are recorded with a reason. nbgrader already restores edited locked cells, restores cell
  types and strips duplicated ids (its warnings are recorded too); on top of that, with the
  default policy ``tamper="zero"``, every test a learner tampered with scores zero.
- **Fault tolerance.** A crash, a time-out, a broken notebook or a sandbox violation in one
  submission never stops the batch: the submission is recorded (``zeroed``: zero on every
  autograded cell, with the reason) and the others carry on; a dead worker process is
  replaced. Every result is merged and written as soon as it arrives, so an interrupted
  batch keeps what it did, and a rerun skips submissions already graded whose files have not
  changed (``force=True`` regrades them).

The results table
-----------------
``<course>/autograde_results.json`` (and the same as ``autograde_results.csv``) holds one
entry per module and learner: ``status`` (``graded``; ``zeroed`` when the submission could
not be graded, or ``error`` when the grader itself failed - retried on the next run), score,
seconds, the ``reasons`` (one sentence each) and ``tampered`` test ids.

Nothing happens on import.
"""

from __future__ import annotations

import argparse
import atexit
import csv
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from curriculum.sandbox import (
    KERNEL_NAME,
    SPEC_FILE,
    SandboxLimits,
    SandboxSpec,
    SandboxUnavailable,
    check_sandbox,
    default_readonly_paths,
    kill_uid,
    uid_slot,
    write_kernelspec,
)
from curriculum.threads import single_threaded_environment

__all__ = [
    "RESULTS_FILE",
    "STATUSES",
    "BatchReport",
    "GradeJob",
    "GradeOutcome",
    "add_cohort_parser",
    "autograde_all",
    "grade_submission",
    "inspect_submission",
    "strip_hidden_tests",
    "load_course_config",
    "read_results",
    "results_path",
    "write_results_csv",
]

RESULTS_FILE = "autograde_results.json"
STATUSES = ("graded", "zeroed", "error")
TAMPER_POLICIES = ("zero", "flag")
_TRANSIENT = ("Kernel didn't respond", "Address already in use", "Timeout waiting for kernel_info",
              "Kernel died before replying to kernel_info")
_MAX_SOCKET_DIR = 60  # unix socket paths are limited to 107 bytes


# ------------------------------------------------------------------ jobs and outcomes

@dataclass
class GradeJob:
    """One submission to autograde, self-contained (files travel as bytes).

    Parameters
    ----------
    module : str
        The assignment (module) id.
    student : str
        The learner's id.
    submission : dict of str to bytes
        The submitted folder's files, by path relative to it.
    source_files : dict of str to bytes
        The source folder's files other than notebooks (nbgrader copies them beside the submission).
    config : str
        The text of the course's ``nbgrader_config.py``.
    template_db : bytes
        A gradebook (SQLite) holding the assignment and no learner data.
    course_id : str
        The nbgrader course id.
    limits : SandboxLimits
        Resource and time limits.
    hidden : list of str
        Folders the kernel must not see (course, exchange).
    readonly : list of str, optional
        Folders the kernel sees read-only; :func:`curriculum.sandbox.default_readonly_paths` by default.
    scratch : str, optional
        Folder for the throwaway course; the system's temporary folder by default.
    fingerprint : str
        A hash of the submission's files (for resuming).
    env : dict, optional
        Environment variables for the kernel (``INFUSE_ROOT`` and the like).
    """

    module: str
    student: str
    submission: dict[str, bytes]
    source_files: dict[str, bytes]
    config: str
    template_db: bytes
    course_id: str
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    hidden: list[str] = field(default_factory=list)
    readonly: list[str] | None = None
    scratch: str | None = None
    fingerprint: str = ""
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class GradeOutcome:
    """What a worker returns for one submission.

    Attributes
    ----------
    module, student : str
    status : str
        ``graded``, ``zeroed`` (could not be graded; zero with a reason) or ``error``
        (the grader failed; retried on the next run).
    reasons : list of str
        One sentence per thing worth a trainer's attention.
    tampered : list of str
        Grade ids of tests the learner tampered with.
    files : dict of str to bytes
        The autograded folder (when graded).
    grades : dict of str to float or None
        The worker's own auto scores, ``"<notebook>/<grade id>"`` to score.
    seconds : float
    fingerprint : str
    log_tail : str
        The last lines of nbgrader's log.
    uid : int or None
        The sandbox uid the kernel ran as.
    """

    module: str
    student: str
    status: str
    reasons: list[str] = field(default_factory=list)
    tampered: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    grades: dict[str, float | None] = field(default_factory=dict)
    seconds: float = 0.0
    fingerprint: str = ""
    log_tail: str = ""
    uid: int | None = None


@dataclass
class BatchReport:
    """The outcome of :func:`autograde_all`.

    Attributes
    ----------
    module : str
    results : list of dict
        The results-table entries written in this batch, in completion order.
    skipped : list of str
        Learners whose earlier grading still stands.
    seconds : float
        Wall-clock time of the batch.
    """

    module: str
    results: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> list[dict]:
        """Entries whose status is ``error``."""
        return [r for r in self.results if r["status"] == "error"]


# ------------------------------------------------------------------ course helpers

def load_course_config(course: str | Path):
    """Load a course's ``nbgrader_config.py`` as a traitlets config.

    Parameters
    ----------
    course : str or pathlib.Path
        The course folder.

    Returns
    -------
    traitlets.config.Config

    Raises
    ------
    FileNotFoundError
        If the course has no ``nbgrader_config.py``.
    """
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    course = Path(course)
    if not (course / "nbgrader_config.py").exists():
        raise FileNotFoundError(f"course {course}: no nbgrader_config.py (is this an nbgrader course folder?)")
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    merged = Config()
    merged.merge(cfg)
    merged.CourseDirectory.root = str(course.resolve())
    return merged


def _coursedir(course: Path):
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=load_course_config(course))


def _db_url(course: Path) -> str:
    return _coursedir(course).db_url


def _course_id(course: Path) -> str:
    return _coursedir(course).course_id


def _exchange_root(course: Path) -> str | None:
    cfg = load_course_config(course)
    root = cfg.Exchange.get("root") if "Exchange" in cfg else None
    return str(root) if root else None


def results_path(course: str | Path) -> Path:
    """Return the results table of a course (``autograde_results.json`` beside the gradebook).

    Parameters
    ----------
    course : str or pathlib.Path

    Returns
    -------
    pathlib.Path
    """
    return Path(course) / RESULTS_FILE


def read_results(course: str | Path) -> dict[str, dict[str, dict]]:
    """Read the results table: module id to learner id to entry.

    Parameters
    ----------
    course : str or pathlib.Path

    Returns
    -------
    dict
        Empty when nothing has been graded with :func:`autograde_all`.
    """
    path = results_path(course)
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _write_results(course: Path, results: dict) -> None:
    path = results_path(course)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


_CSV_FIELDS = ["module", "student", "status", "score", "max_score", "seconds", "graded_at", "tampered", "reasons"]


def write_results_csv(course: str | Path) -> Path:
    """Write ``autograde_results.csv``: one row per module and learner graded by :func:`autograde_all`.

    Parameters
    ----------
    course : str or pathlib.Path

    Returns
    -------
    pathlib.Path
    """
    course = Path(course)
    path = course / "autograde_results.csv"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=_CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for module, entries in sorted(read_results(course).items()):
            for student, entry in sorted(entries.items()):
                row = dict(entry, module=module, student=student)
                row["tampered"] = "; ".join(entry.get("tampered", []))
                row["reasons"] = " | ".join(entry.get("reasons", []))
                writer.writerow(row)
    os.replace(tmp, path)
    return path


def _fingerprint(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


def _read_folder(folder: Path, skip_notebooks: bool = False) -> dict[str, bytes]:
    out = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or path.is_symlink() or any(p.startswith(".") for p in rel.parts[:-1]):
            continue
        if skip_notebooks and path.suffix == ".ipynb":
            continue
        out[rel.as_posix()] = path.read_bytes()
    return out


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        target = (folder / rel).resolve()
        if folder.resolve() not in target.parents:
            raise ValueError(f"refusing to write {rel!r} outside {folder}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _template_gradebook(db_url: str) -> bytes:
    """A copy of the gradebook with the assignments and no learner data."""
    import sqlite3

    if not db_url.startswith("sqlite:///"):
        raise ValueError(f"parallel autograding needs an SQLite gradebook (db_url sqlite:///...), got {db_url!r}")
    path = db_url[len("sqlite:///"):]
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "template.db")
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
            for table in ("grade", "comment", "submitted_notebook", "submitted_assignment", "student"):
                dst.execute(f"DELETE FROM {table}")
            dst.commit()
            dst.execute("VACUUM")
        finally:
            src.close()
            dst.close()
        return Path(copy).read_bytes()


# ------------------------------------------------------------------ inspecting a submission

def _cell_label(cell: dict, index: int) -> str:
    gid = (cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
    return f"'{gid}'" if gid else f"cell {index + 1}"


def inspect_submission(nb: Any, source: dict[str, dict]) -> tuple[list[str], list[str]]:
    """Compare a submitted notebook with the source cells recorded in the gradebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The submitted notebook, as the learner sent it.
    source : dict
        Grade id to ``{"cell_type", "locked", "source", "released", "test", "points"}`` for
        every recorded cell of the notebook: ``released`` is the source without its hidden
        tests (what learners received), ``test`` is True for autograded tests.

    Returns
    -------
    tuple of (list of str, list of str)
        ``(reasons, tampered)``: one sentence per change found, and the grade ids of the
        tests that were deleted, edited, duplicated, re-typed or re-identified.
    """
    reasons: list[str] = []
    tampered: set[str] = set()
    seen: dict[str, int] = {}
    for i, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader") or {}
        gid = meta.get("grade_id")
        if not gid:
            continue
        seen[gid] = seen.get(gid, 0) + 1
        if gid not in source:
            reasons.append(f"cell {i + 1} carries the grade id '{gid}', which the assignment does not have "
                           "(an id was changed or invented; the cell runs as a plain cell)")
            continue
        src = source[gid]
        if cell.cell_type != src["cell_type"]:
            reasons.append(f"'{gid}' was changed from a {src['cell_type']} cell to a {cell.cell_type} cell "
                           "(nbgrader restores the type)")
            if src["test"]:
                tampered.add(gid)
        if src["locked"]:
            text = cell.source.rstrip()
            # unchanged: the released text (hidden tests removed) or the source itself
            changed = text not in (src["released"].rstrip(), src["source"].rstrip())
            if changed:
                kind = "test" if src["test"] else "locked cell"
                reasons.append(f"the {kind} '{gid}' was edited (nbgrader restores it from the source before grading)")
                if src["test"]:
                    tampered.add(gid)
        if src["points"] is not None and meta.get("points") is not None:
            try:
                if float(meta["points"]) != float(src["points"]):
                    reasons.append(f"the points of '{gid}' were changed from {src['points']:g} to {meta['points']}")
                    if src["test"]:
                        tampered.add(gid)
            except (TypeError, ValueError):
                reasons.append(f"the points of '{gid}' were replaced by {meta['points']!r}")
                if src["test"]:
                    tampered.add(gid)
    for gid, n in seen.items():
        if n > 1 and gid in source:
            reasons.append(f"'{gid}' appears {n} times (duplicated cells: the last copy is graded, the others run "
                           "as plain cells)")
            if source[gid]["test"]:
                tampered.add(gid)
    for gid, src in source.items():
        if gid not in seen and (src["locked"] or src["test"]):
            kind = "test" if src["test"] else "locked cell"
            reasons.append(f"the {kind} '{gid}' is missing from the submission (deleted, or its id was changed)")
            if src["test"]:
                tampered.add(gid)
    return reasons, sorted(tampered)


def strip_hidden_tests(source: str) -> str:
    """Return a cell's source without its hidden-test regions, as nbgrader releases it.

    Parameters
    ----------
    source : str
        A cell's source, possibly with ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``.

    Returns
    -------
    str
    """
    lines, inside = [], False
    for line in source.split("\n"):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif not inside:
            lines.append(line)
    return "\n".join(lines)


def _repair_ids(nb: Any, source: dict[str, dict]) -> bool:
    """Make a notebook with duplicated or unknown grade ids gradable (stock nbgrader gives up on it).

    nbgrader's ``DeduplicateIds`` empties the metadata of all but the last copy of a cell and
    ``OverwriteCells`` drops unknown ids, after which ``CheckCellMetadata`` rejects the whole
    notebook. Here the earlier copies and the cells with unknown ids become plain cells
    instead (they still run); the last copy keeps its id, as with nbgrader.
    """
    changed = False
    seen: set[str] = set()
    for cell in reversed(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        gid = (meta or {}).get("grade_id")
        if not gid:
            continue
        if gid in seen or gid not in source:
            del cell.metadata["nbgrader"]
            changed = True
        else:
            seen.add(gid)
    return changed


def _source_cells(db_path: Path, module: str, course_id: str) -> dict[str, dict[str, dict]]:
    """Notebook name to grade id to what :func:`inspect_submission` needs, from a gradebook."""
    from nbgrader.api import Gradebook

    out: dict[str, dict[str, dict]] = {}
    with Gradebook(f"sqlite:///{db_path}", course_id) as gb:
        assignment = gb.find_assignment(module)
        for notebook in assignment.notebooks:
            grade = {c.name: c for c in notebook.grade_cells}
            solution = {c.name for c in notebook.solution_cells}
            cells = {}
            for sc in notebook.source_cells:
                g = grade.get(sc.name)
                cells[sc.name] = {"cell_type": sc.cell_type, "locked": bool(sc.locked), "source": sc.source or "",
                                  "released": strip_hidden_tests(sc.source or ""),
                                  "test": bool(g is not None and sc.name not in solution and g.cell_type == "code"),
                                  "points": float(g.max_score) if g is not None else None}
            out[notebook.name] = cells
    return out


_EVENT_PATTERNS = [
    (re.compile(r"CellTimeoutError|No reply from kernel before timeout"), "stopped at the per-cell time limit"),
    (re.compile(r"^KeyboardInterrupt"), "stopped at the per-cell time limit"),
    (re.compile(r"MemoryError|Cannot allocate memory|\[Errno 12\]"), "hit the memory limit"),
    (re.compile(r"BlockingIOError|Resource temporarily unavailable|\[Errno 11\]"), "hit the process limit"),
    (re.compile(r"Network is unreachable|\[Errno 101\]|Temporary failure in name resolution|Name or service not known"),
     "tried to use the network (no network in the sandbox)"),
    (re.compile(r"File too large|\[Errno 27\]"), "hit the file size limit"),
    (re.compile(r"Read-only file system|\[Errno 30\]"), "tried to write outside its working folder (read-only)"),
    (re.compile(r"gradebook|/submitted/|/autograded/|unable to open database", re.IGNORECASE),
     "tried to reach the gradebook or other learners' files (not visible in the sandbox)"),
]


def _sandbox_events(nb: Any) -> list[str]:
    """One sentence per sandbox limit or refusal visible in the executed notebook's outputs."""
    found: list[str] = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        texts = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                texts.append(f"{out.get('ename', '')}: {out.get('evalue', '')}")
            elif out.get("output_type") == "stream":
                texts.append(out.get("text", ""))
        blob = "\n".join(texts)
        for pattern, what in _EVENT_PATTERNS:
            if any(pattern.search(line) for line in blob.splitlines()):
                sentence = f"{_cell_label(cell, i)} {what}"
                if sentence not in found:
                    found.append(sentence)
    return found


_NBGRADER_WARNINGS = [
    # (nbgrader also "restores the checksum" of every test with hidden tests: not worth a note)
    (re.compile(r"Attribute '(cell_type|locked|points)' for cell (\S+) has changed! \(should be: (.*?), got: (.*?)\)$"),
     lambda m: f"nbgrader restored the {m[1]} of '{m[2]}' (it was {m[4]})"),
    (re.compile(r"Cell with id '(.*?)' exists multiple times"),
     lambda m: f"nbgrader stripped a duplicate of '{m[1]}'"),
    (re.compile(r"Cell '(.*?)' does not exist in the database"),
     lambda m: f"nbgrader ignored the unknown cell id '{m[1]}'"),
    (re.compile(r"Notebook failed to validate; the nbgrader metadata may be corrupted"),
     lambda m: "nbgrader refused the notebook: its nbgrader metadata is corrupted"),
]


def _nbgrader_notes(log: str) -> list[str]:
    notes: list[str] = []
    for line in log.splitlines():
        for pattern, render in _NBGRADER_WARNINGS:
            m = pattern.search(line.strip())
            if m:
                note = render(m)
                if note not in notes:
                    notes.append(note)
    return notes


def _failure_reason(log: str) -> str:
    if "use an old version" in log and "nbgrader metadata format" in log:
        return "nbgrader could not grade the notebook: the nbgrader metadata of some cells is missing or broken"
    if "Notebook failed to validate" in log:
        return "nbgrader could not grade the notebook: its nbgrader metadata is corrupted (cell ids or types changed)"
    if "CellTimeoutError" in log and "Timeout waiting for IOPub output" in log:
        return ("a cell did not stop at the per-cell time limit (it ignored the interrupt), so nbgrader gave up "
                "on the notebook")
    if "UnresponsiveKernelError" in log or "DeadKernelError" in log or "Kernel died" in log:
        return ("the kernel died or stopped responding while running the notebook (a crash, or the CPU, memory "
                "or process limit)")
    if "NotJSONError" in log or "Notebook does not appear to be JSON" in log or "JSONDecodeError" in log:
        return "the notebook is not a readable notebook file"
    errors = [line.strip() for line in log.splitlines() if "[ERROR]" in line or "Error" in line]
    return "nbgrader could not grade the notebook: " + (errors[-1][:300] if errors else "no message")


# ------------------------------------------------------------------ the worker

def _init_worker() -> None:
    """Pool worker set-up: one maths thread; on SIGTERM (an interrupted batch) clean up, then exit."""
    import signal

    single_threaded_environment()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # unwinds through the job's clean-up


def _scratch_base(job: GradeJob) -> str:
    base = job.scratch or tempfile.gettempdir()
    if len(os.path.abspath(base)) > _MAX_SOCKET_DIR - 20:
        base = "/tmp"
    os.makedirs(base, exist_ok=True)
    return base


def grade_submission(job: GradeJob) -> GradeOutcome:
    """Autograde one submission in its own throwaway course, with a sandboxed kernel.

    Never raises: whatever happens is reported in the outcome.

    Parameters
    ----------
    job : GradeJob

    Returns
    -------
    GradeOutcome
    """
    start = time.perf_counter()
    try:
        outcome = _grade(job)
    except SandboxUnavailable as exc:
        outcome = GradeOutcome(job.module, job.student, "error", [f"not graded: the sandbox is unavailable ({exc})"])
    except Exception as exc:  # the worker must always report back
        first = (str(exc).strip().splitlines() or [""])[0]
        outcome = GradeOutcome(job.module, job.student, "error", [f"the grader failed: {type(exc).__name__}: {first}"])
    outcome.seconds = time.perf_counter() - start
    outcome.fingerprint = job.fingerprint
    return outcome


def _grade(job: GradeJob) -> GradeOutcome:
    check_sandbox()
    with uid_slot() as uid:
        return _grade_as(job, uid)


def _grade_as(job: GradeJob, uid: int) -> GradeOutcome:
    import nbformat

    job_dir = Path(tempfile.mkdtemp(prefix="ig-", dir=_scratch_base(job)))
    try:
        os.chmod(job_dir, 0o711)
        course = job_dir / "c"
        course.mkdir(mode=0o700)
        (course / "nbgrader_config.py").write_text(job.config, encoding="utf-8")
        db = course / "gradebook.db"
        db.write_bytes(job.template_db)
        source_dir = course / "source" / job.module
        source_dir.mkdir(parents=True)
        _write_folder(source_dir, job.source_files)
        submitted = course / "submitted" / job.student / job.module
        submitted.mkdir(parents=True)
        _write_folder(submitted, job.submission)

        # inspect every notebook of the assignment before nbgrader touches it
        sources = _source_cells(db, job.module, job.course_id)
        reasons: list[str] = []
        tampered: list[str] = []
        for name, cells in sources.items():
            path = submitted / f"{name}.ipynb"
            if not path.exists():
                reasons.append(f"the notebook {name}.ipynb is missing from the submission (scored zero)")
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # nbformat's notes on duplicated cell ids
                    nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
            except Exception as exc:
                first = (str(exc).strip().splitlines() or [""])[0][:200]
                why = f"{name}.ipynb is not a readable notebook ({type(exc).__name__}: {first}); scored zero"
                return GradeOutcome(job.module, job.student, "zeroed", [why])
            found, bad = inspect_submission(nb, cells)
            reasons += found
            tampered += [f"{name}/{gid}" for gid in bad]
            if _repair_ids(nb, cells):
                nbformat.write(nb, path)

        for name in ("root", "work", "ipc"):
            (job_dir / name).mkdir(mode=0o700)
        hidden = [str(job_dir.parent)] + [h for h in job.hidden if h]
        spec = SandboxSpec(uid=uid, root=str(job_dir / "root"), workdir=str(job_dir / "work"),
                           ipcdir=str(job_dir / "ipc"), readonly=job.readonly or default_readonly_paths(),
                           hidden=hidden, limits=job.limits, env=dict(job.env), quiet=True)
        spec.write(job_dir / SPEC_FILE)

        status, note = "graded", None
        for attempt in range(2):
            ok, log, timed_out = _run_nbgrader(job, job_dir, course, uid)
            if ok or timed_out or attempt or not any(t in log for t in _TRANSIENT):
                break
            kill_uid(uid)
            shutil.rmtree(course / "autograded", ignore_errors=True)
            for leftover in (job_dir / "ipc").iterdir():
                leftover.unlink()
        left = kill_uid(uid)
        if left:
            reasons.append(f"{left} process(es) of the submission were still running after grading and were killed")
        reasons += _nbgrader_notes(log)
        autograded = course / "autograded" / job.student / job.module
        if timed_out:
            status = "zeroed"
            note = f"stopped at the time limit for a whole notebook ({job.limits.notebook_timeout} s); scored zero"
        elif not ok or not autograded.is_dir():
            status = "zeroed"
            note = _failure_reason(log) + "; scored zero"
        outcome = GradeOutcome(job.module, job.student, status, tampered=tampered,
                               log_tail="\n".join(log.strip().splitlines()[-25:]), uid=uid)
        if status == "graded":
            outcome.files = _read_folder(autograded)
            outcome.grades = _worker_grades(db, job)
            for name in sources:
                path = autograded / f"{name}.ipynb"
                if path.exists():
                    reasons += _sandbox_events(nbformat.read(path, as_version=4))
        outcome.reasons = reasons + ([note] if note else [])
        return outcome
    finally:
        kill_uid(uid)
        shutil.rmtree(job_dir, ignore_errors=True)


_KERNELSPEC_LOCK = threading.Lock()
_KERNELSPEC_DIR: list[str] = []


def _ensure_kernelspec() -> None:
    """Put the sandboxed kernelspec on this process's JUPYTER_PATH (once per process)."""
    with _KERNELSPEC_LOCK:
        if _KERNELSPEC_DIR:
            return
        folder = tempfile.mkdtemp(prefix="infuse-kernels-")
        atexit.register(shutil.rmtree, folder, True)
        write_kernelspec(folder)
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (folder, os.environ.get("JUPYTER_PATH")) if p)
        _KERNELSPEC_DIR.append(folder)


def _run_nbgrader(job: GradeJob, job_dir: Path, course: Path, uid: int) -> tuple[bool, str, bool]:
    """Run nbgrader's Autograde for the one submission in its throwaway course, in this process.

    A watchdog makes the socket folder read-only once the kernel listens, and at the
    notebook time limit kills every process of the submission's uid (the kernel first), which
    makes nbgrader give up on the notebook at once. Returns (succeeded, log, timed out).
    """
    import logging

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    _ensure_kernelspec()
    ipc = job_dir / "ipc"
    cfg = load_course_config(course)
    cfg.CourseDirectory.root = str(course)
    cfg.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    cfg.CourseDirectory.course_id = job.course_id
    cfg.Execute.kernel_name = KERNEL_NAME
    cfg.Execute.timeout = job.limits.cell_timeout
    cfg.Execute.interrupt_on_timeout = True
    cfg.Execute.execute_retries = 0
    cfg.KernelManager.transport = "ipc"
    cfg.KernelManager.connection_file = str(ipc / "kernel.json")
    cfg.KernelManager.ip = str(ipc / "k")
    (job_dir / "exchange").mkdir(exist_ok=True)  # autograding never uses the exchange; keep nbgrader quiet
    cfg.Exchange.root = str(job_dir / "exchange")
    log = logging.getLogger(f"infuse.autograde.{job.student}")
    log.propagate = False
    log.setLevel(logging.INFO)
    done = threading.Event()
    timed_out = threading.Event()

    def watch() -> None:
        deadline = time.monotonic() + job.limits.notebook_timeout
        locked = False
        while not done.wait(0.25):
            if not locked and _kernel_listening(ipc):
                # the kernel has bound its sockets: from now on it cannot write to the grader's disk at all
                os.chown(ipc, 0, 0)
                os.chmod(ipc, 0o755)
                locked = True
            if time.monotonic() > deadline:
                timed_out.set()
                kill_uid(uid)

    watchdog = threading.Thread(target=watch, daemon=True)
    watchdog.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg, log=log)
            result = api.autograde(job.module, job.student, force=True, create=True)
    finally:
        done.set()
        watchdog.join()
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    return bool(result.get("success")), text, timed_out.is_set()


def _kernel_listening(ipc: Path) -> bool:
    """Whether a kernel has bound its five IPC sockets (shell, iopub, stdin, control, heartbeat)."""
    import stat as stat_

    count = 0
    try:
        for entry in os.scandir(ipc):
            if entry.name.startswith("k-") and stat_.S_ISSOCK(entry.stat(follow_symlinks=False).st_mode):
                count += 1
    except OSError:
        return False
    return count >= 5


def _worker_grades(db: Path, job: GradeJob) -> dict[str, float | None]:
    from nbgrader.api import Gradebook, MissingEntry

    out: dict[str, float | None] = {}
    with Gradebook(f"sqlite:///{db}", job.course_id) as gb:
        try:
            sub = gb.find_submission(job.module, job.student)
        except MissingEntry:
            return out
        for nb in sub.notebooks:
            for grade in nb.grades:
                out[f"{nb.name}/{grade.name}"] = grade.auto_score
    return out


# ------------------------------------------------------------------ the parent: merge

def _timestamp(files: dict[str, bytes]):
    raw = files.get("timestamp.txt", b"").decode("utf-8", errors="replace").strip()
    if not raw:
        return None
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(raw)
    except (ValueError, OverflowError):
        return None


def _merge(course: Path, cfg, outcome: GradeOutcome, submitted_files: dict[str, bytes], tamper: str) -> dict:
    """Write one outcome into the course: autograded folder, gradebook rows; return the results entry."""
    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        # nbgrader's add_submission trips SQLAlchemy 2's cascade warning; the rows are written all the same
        warnings.simplefilter("ignore", SAWarning)
        return _merge_outcome(course, cfg, outcome, submitted_files, tamper)


def _merge_outcome(course: Path, cfg, outcome: GradeOutcome, submitted_files: dict[str, bytes], tamper: str) -> dict:
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

    cd = _coursedir(course)
    db_url, course_id = cd.db_url, cd.course_id
    entry = {"status": outcome.status, "reasons": list(outcome.reasons), "tampered": list(outcome.tampered),
             "seconds": round(outcome.seconds, 1), "fingerprint": outcome.fingerprint,
             "graded_at": time.strftime("%Y-%m-%d %H:%M:%S"), "sandbox_uid": outcome.uid}
    if outcome.status != "graded" and outcome.log_tail:
        entry["log_tail"] = outcome.log_tail
    if outcome.status == "error":
        return entry
    dest = Path(cd.format_path(cd.autograded_directory, outcome.student, outcome.module))
    timestamp = _timestamp(submitted_files)
    with Gradebook(db_url, course_id) as gb:
        gb.update_or_create_student(outcome.student)
        if timestamp:
            gb.update_or_create_submission(outcome.module, outcome.student, timestamp=timestamp)
        else:
            gb.update_or_create_submission(outcome.module, outcome.student)
        notebooks = [nb.name for nb in gb.find_assignment(outcome.module).notebooks]
    if outcome.status == "graded":
        staging = dest.parent / f".{dest.name}.merging-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        _write_folder(staging, outcome.files)
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(staging, dest)
    elif dest.exists():  # an earlier autograded notebook no longer describes this submission
        shutil.rmtree(dest)
    with Gradebook(db_url, course_id) as gb:
        for name in notebooks:
            path = dest / f"{name}.ipynb"
            sub_nb = gb.find_submission_notebook(name, outcome.module, outcome.student)
            if outcome.status == "graded" and path.exists():
                continue
            for grade in sub_nb.grades:  # missing or ungradable: zero, as nbgrader does for a missing notebook
                grade.auto_score = 0
                grade.needs_manual_grade = grade.manual_score is not None
            sub_nb.late_submission_penalty = None
        gb.db.commit()
    if outcome.status == "graded":
        for name in notebooks:
            path = dest / f"{name}.ipynb"
            if not path.exists():
                continue
            nb = nbformat.read(path, as_version=4)
            resources = {"nbgrader": {"notebook": name, "assignment": outcome.module, "student": outcome.student,
                                      "db_url": db_url}}
            nb, resources = SaveAutoGrades(config=cfg).preprocess(nb, resources)
            AssignLatePenalties(config=cfg).preprocess(nb, resources)
    with Gradebook(db_url, course_id) as gb:
        sub = gb.find_submission(outcome.module, outcome.student)
        merged = {f"{nb.name}/{g.name}": g.auto_score for nb in sub.notebooks for g in nb.grades}
        if outcome.status == "graded":
            differ = [k for k, v in outcome.grades.items() if merged.get(k) != v]
            if differ:
                entry["reasons"].append(f"internal: the worker's scores differ from the merged ones for {differ}")
        if tamper == "zero" and outcome.tampered:
            for nb in sub.notebooks:
                for g in nb.grades:
                    if f"{nb.name}/{g.name}" in outcome.tampered and g.auto_score != 0:  # None too (deleted)
                        g.auto_score = 0
                        g.needs_manual_grade = g.manual_score is not None
            gb.db.commit()
            entry["reasons"].append(f"{len(outcome.tampered)} tampered test(s) scored zero: "
                                    + ", ".join(t.split("/", 1)[1] for t in outcome.tampered))
    with Gradebook(db_url, course_id) as gb:
        sub = gb.find_submission(outcome.module, outcome.student)
        entry["score"] = round(float(sub.score), 4)
        entry["max_score"] = round(float(sub.max_score), 4)
    return entry


# ------------------------------------------------------------------ the batch

def _planned(course: Path, module: str, students: Iterable[str] | None) -> dict[str, Path]:
    cd = _coursedir(course)
    base = Path(cd.root) / cd.submitted_directory
    found = {}
    if base.is_dir():
        for folder in sorted(base.iterdir()):
            sub = Path(cd.format_path(cd.submitted_directory, folder.name, module))
            if sub.is_dir():
                found[folder.name] = sub
    if students is not None:
        wanted = list(students)
        missing = [s for s in wanted if s not in found]
        if missing:
            raise ValueError(f"students {missing} have no submission of {module!r} in {base}")
        found = {s: found[s] for s in wanted}
    return found


def _check_assignment(course: Path, module: str) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    db_url = _db_url(course)
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).exists():
        raise ValueError(f"course {course} has no gradebook yet; run `infuse grade generate {module}` first")
    with Gradebook(db_url, _course_id(course)) as gb:
        try:
            gb.find_assignment(module)
        except MissingEntry:
            raise ValueError(f"module {module!r} is not an assignment of the course in {course}; "
                             f"run `infuse grade generate {module}` first") from None


def autograde_all(module: str, course: str | Path | None = None, *, workers: int | None = None,
                  scheduler: str | None = None, force: bool = False, students: Iterable[str] | None = None,
                  limits: SandboxLimits | None = None, tamper: str = "zero", progress: bool = True,
                  scratch: str | Path | None = None,
                  on_result: Callable[[dict], None] | None = None) -> BatchReport:
    """Autograde every submission of a module in parallel, sandboxed and resumably.

    Parameters
    ----------
    module : str
        The assignment (module) id; it must have been generated in the course.
    course : str or pathlib.Path, optional
        The course folder; ``grading/`` by default.
    workers : int, optional
        Processes in the local pool; one per core by default. Ignored with ``scheduler``.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``) to grade on instead of a local pool.
        Its workers must run as root on Linux with this package installed; no shared file
        system is needed.
    force : bool, default False
        Regrade submissions already graded whose files have not changed.
    students : iterable of str, optional
        Only these learners.
    limits : SandboxLimits, optional
        Resource and time limits; :class:`curriculum.sandbox.SandboxLimits` defaults, with
        the per-cell time limit taken from the course's ``Execute.timeout``.
    tamper : {"zero", "flag"}, default "zero"
        What tampering with a test earns: zero for that test, or only a recorded reason.
    progress : bool, default True
        Show a progress bar with the time left.
    scratch : str or pathlib.Path, optional
        Folder for the throwaway courses (short paths: kernel sockets live there).
    on_result : callable, optional
        Called with each results entry right after it is merged (for instance to stop a test
        batch half-way).

    Returns
    -------
    BatchReport

    Raises
    ------
    SandboxUnavailable
        If this machine cannot sandbox learners' code (nothing is graded).
    ValueError
        If ``module`` is not an assignment of the course, ``workers`` is not positive,
        ``tamper`` is unknown, or a requested student has no submission.
    FileNotFoundError
        If ``course`` is not an nbgrader course folder.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if tamper not in TAMPER_POLICIES:
        raise ValueError(f"tamper must be one of {TAMPER_POLICIES}, got {tamper!r}")
    if course is None:
        from curriculum.grading import course_dir

        course = course_dir()
    course = Path(course).resolve()
    start = time.perf_counter()
    cfg = load_course_config(course)
    _check_assignment(course, module)
    if not scheduler:
        check_sandbox()  # refuse before anything is touched
    cd = _coursedir(course)
    if limits is None:
        cell = cfg.Execute.get("timeout") if "Execute" in cfg else None
        limits = SandboxLimits(cell_timeout=int(cell)) if cell else SandboxLimits()
    planned = _planned(course, module, students)
    results = read_results(course)
    done = results.setdefault(module, {})
    report = BatchReport(module)
    submitted: dict[str, dict[str, bytes]] = {}
    todo: list[str] = []
    with _gradebook(course) as gb:
        have = {s.student.id for s in gb.assignment_submissions(module)}
    for student, folder in planned.items():
        files = _read_folder(folder)
        submitted[student] = files
        earlier = done.get(student)
        if (not force and earlier and earlier.get("status") in ("graded", "zeroed")
                and earlier.get("fingerprint") == _fingerprint(files) and student in have
                and (earlier["status"] == "zeroed"
                     or Path(cd.format_path(cd.autograded_directory, student, module)).is_dir())):
            report.skipped.append(student)
        else:
            todo.append(student)
    # the longest (or never timed) first, so no long submission is left for the end
    todo.sort(key=lambda s: -(done.get(s, {}).get("seconds") or float("inf")))
    if todo:
        template = _template_gradebook(cd.db_url)
        source = _read_folder(Path(cd.format_path(cd.source_directory, ".", module)), skip_notebooks=True)
        config_text = (course / "nbgrader_config.py").read_text(encoding="utf-8")
        hidden = [str(course)] + [p for p in (_exchange_root(course),) if p]
        if cd.db_url.startswith("sqlite:///"):
            hidden.append(str(Path(cd.db_url[len("sqlite:///"):]).parent))
        env = {k: os.environ[k] for k in ("INFUSE_COURSE", "INFUSE_ROOT", "INFUSE_EXCHANGE") if k in os.environ}
        jobs = [GradeJob(module, s, submitted[s], source, config_text, template, cd.course_id, limits,
                         hidden=hidden, scratch=str(scratch) if scratch else None,
                         fingerprint=_fingerprint(submitted[s]), env=env) for s in todo]
    else:
        jobs = []

    bar = None
    if progress and jobs:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(jobs), unit="submission", desc=f"Autograding {module}", smoothing=0)

    def collect(outcome: GradeOutcome) -> None:
        entry = _merge(course, cfg, outcome, submitted[outcome.student], tamper)
        done[outcome.student] = entry
        _write_results(course, results)
        report.results.append(dict(entry, student=outcome.student))
        if bar is not None:
            bar.update(1)
            if entry["status"] != "graded":
                bar.write(f"{outcome.student}: {entry['status']}: {(entry['reasons'] or [''])[-1]}")
        if on_result is not None:
            on_result(dict(entry, student=outcome.student))

    try:
        if scheduler and jobs:
            _run_dask(scheduler, jobs, collect)
        elif jobs:
            _run_pool(jobs, workers, collect)
    finally:
        if bar is not None:
            bar.close()
        write_results_csv(course)
    report.seconds = time.perf_counter() - start
    return report


def _gradebook(course: Path):
    from nbgrader.api import Gradebook

    return Gradebook(_db_url(course), _course_id(course))


def _run_pool(jobs: list[GradeJob], workers: int | None, collect: Callable[[GradeOutcome], None]) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    pending = list(jobs)
    tries: dict[str, int] = {}
    while pending:
        size = min(workers or os.cpu_count() or 1, len(pending))
        broken: list[GradeJob] = []
        ctx = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=size, mp_context=ctx, initializer=_init_worker)
        try:
            futures = {pool.submit(grade_submission, job): job for job in pending}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    outcome = future.result()
                except BrokenProcessPool as exc:
                    tries[job.student] = tries.get(job.student, 0) + 1
                    if tries[job.student] < 3:
                        broken.append(job)
                        continue
                    outcome = GradeOutcome(job.module, job.student, "error",
                                           [f"the grading process died three times ({exc})"],
                                           fingerprint=job.fingerprint)
                collect(outcome)
        except BaseException:  # interrupted: keep what was merged, start nothing new, stop what runs
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                proc.terminate()  # the worker kills its submission's processes and removes its files
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        pending = broken


def _run_dask(scheduler: str, jobs: list[GradeJob], collect: Callable[[GradeOutcome], None]) -> None:
    from distributed import Client
    from distributed import as_completed as dask_completed

    with Client(scheduler) as client:
        client.run(single_threaded_environment)
        futures = {client.submit(grade_submission, job, pure=False, retries=1,
                                 key=f"autograde-{job.module}-{job.student}-{time.time_ns()}"): job for job in jobs}
        for future in dask_completed(list(futures)):
            job = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # a worker that died twice
                outcome = GradeOutcome(job.module, job.student, "error",
                                       [f"the Dask worker failed: {type(exc).__name__}: {exc}"],
                                       fingerprint=job.fingerprint)
            collect(outcome)


# ------------------------------------------------------------------ the command line

def add_cohort_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``infuse cohort ...`` (autograde, feedback, dashboard, export-csv, make-submissions).

    Parameters
    ----------
    sub : argparse subparsers
        The ``infuse`` command's subparsers.

    Returns
    -------
    argparse.ArgumentParser
        The ``cohort`` parser.
    """
    p = sub.add_parser("cohort", help="grade a whole cohort: parallel sandboxed autograding, feedback, dashboard, CSV")
    acts = p.add_subparsers(dest="cohort_action", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course-dir", help="course folder (default: grading/)")

    a = acts.add_parser("autograde", parents=[common],
                        help="autograde every submission of a module in parallel, each in a sandbox")
    a.add_argument("module", help="module id")
    a.add_argument("--workers", type=int, help="parallel processes (default: one per core)")
    a.add_argument("--scheduler", help="Dask scheduler address to grade on instead of local processes")
    a.add_argument("--force", action="store_true", help="regrade submissions graded earlier")
    a.add_argument("--student", action="append", help="only this learner (repeatable)")
    a.add_argument("--cell-timeout", type=int, help="seconds a cell may run (default: the course's Execute.timeout)")
    a.add_argument("--notebook-timeout", type=int, default=1800,
                   help="seconds a whole submission may run (default 1800)")
    a.add_argument("--memory-mb", type=int, default=3072, help="memory per kernel in MiB (default 3072)")
    a.add_argument("--tamper", choices=TAMPER_POLICIES, default="zero",
                   help="zero: tests a learner tampered with score zero (default); flag: only record it")
    a.add_argument("--quiet", action="store_true", help="no progress bar")

    f = acts.add_parser("feedback", parents=[common],
                        help="feedback for every learner: scores and coaching messages, never the hidden tests")
    f.add_argument("module", help="module id")
    f.add_argument("--student", action="append", help="only this learner (repeatable)")

    d = acts.add_parser("dashboard", parents=[common], help="an HTML dashboard of the cohort's progress")
    d.add_argument("--out", help="HTML file (default: <course>/cohort/dashboard.html)")

    e = acts.add_parser("export-csv", parents=[common], help="grades as CSV: one row per learner and module")
    e.add_argument("--out", help="CSV file (default: <course>/cohort/grades.csv)")

    m = acts.add_parser("make-submissions", parents=[common],
                        help="a synthetic cohort of submissions for tests and benchmarks")
    m.add_argument("module", help="module id")
    m.add_argument("--learners", type=int, default=20, help="how many learners (default 20)")
    m.add_argument("--adversarial", action="store_true", help="add one learner per adversarial case")
    m.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=_cmd_cohort)
    return p


def _cmd_cohort(args: argparse.Namespace) -> int:
    from curriculum.grading import course_dir

    course = Path(args.course_dir).resolve() if args.course_dir else course_dir()
    action = args.cohort_action
    try:
        if action == "autograde":
            cell = args.cell_timeout
            if cell is None:
                cfg = load_course_config(course)
                cell = int(cfg.Execute.get("timeout", 300)) if "Execute" in cfg else 300
            limits = SandboxLimits(cell_timeout=cell, notebook_timeout=args.notebook_timeout,
                                   cpu_seconds=args.notebook_timeout, memory_bytes=args.memory_mb * 2**20)
            report = autograde_all(args.module, course, workers=args.workers, scheduler=args.scheduler,
                                   force=args.force, students=args.student, limits=limits, tamper=args.tamper,
                                   progress=not args.quiet)
            counts = {s: sum(r["status"] == s for r in report.results) for s in STATUSES}
            print(f"{len(report.results)} submission(s) of {args.module} done in {report.seconds:.0f} s: "
                  f"{counts['graded']} graded, {counts['zeroed']} scored zero with a reason, {counts['error']} "
                  f"failed (rerun to retry)" + (f"; {len(report.skipped)} graded earlier were skipped (--force "
                                                "regrades them)" if report.skipped else "") + ".")
            for r in report.results:
                if r["status"] != "graded" or r["tampered"]:
                    print(f"  {r['student']}: {r['status']}: {' | '.join(r['reasons'])}")
            print(f"Results: {results_path(course)}")
            return 1 if report.errors else 0
        if action == "feedback":
            from curriculum.feedback import write_feedback

            paths = write_feedback(args.module, course, students=args.student)
            print(f"Feedback written for {len(paths)} learner(s) under {course / 'feedback'} "
                  "(release it with `nbgrader release_feedback` or `infuse grade release-feedback`)")
            return 0
        if action == "dashboard":
            from curriculum.cohort import write_dashboard

            print(f"Dashboard: {write_dashboard(course, out=args.out)}")
            return 0
        if action == "export-csv":
            from curriculum.cohort import export_csv

            print(f"Grades: {export_csv(course, out=args.out)}")
            return 0
        from curriculum.submissions import ADVERSARIAL, make_submissions

        made = make_submissions(args.module, course, learners=args.learners, seed=args.seed,
                                adversarial=ADVERSARIAL if args.adversarial else ())
        kinds: dict[str, int] = {}
        for s in made:
            kinds[s.kind] = kinds.get(s.kind, 0) + 1
        print(f"{len(made)} submission(s) of {args.module} written under {course / 'submitted'}: "
              + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
        return 0
    except (ValueError, FileNotFoundError, SandboxUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
