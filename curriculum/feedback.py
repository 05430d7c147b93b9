"""Feedback that teaches without leaking: scores and coaching messages, never the tests' code.

``nbgrader generate_feedback`` renders the autograded notebook, hidden tests included
(nbgrader#917). ``write_feedback(module, course)`` writes, for every learner of a module in
one go, a page per notebook that shows:

- the learner's total, late penalty and, when grading found something (a test tampered
  with, a cell stopped at a time limit, a notebook that could not be graded), why;
- for each exercise: its task (the Markdown before the answer), the learner's answer and
  any error it raised, then **each check** with its description (the docstring learners
  saw), points, the learner's score and the coaching message from the executed output
  (the assertion message of a failed check; the message a passed check prints), never
  its code or traceback;
- for each reflection: the learner's text, the score, and the trainer's written comment
  from formgrader.

Pages go where nbgrader puts feedback (``feedback/<learner>/<module>/<notebook>.html``,
with ``timestamp.txt`` and ``submission_secret.txt``), so ``nbgrader release_feedback``
(``infuse grade release-feedback``) releases them to learners as usual.

Nothing happens on import.
"""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CheckResult", "check_description", "coaching_message", "feedback_context", "write_feedback"]

_TEMPLATE = "feedback.html.j2"
_TAMPERED = "This check was changed, moved or removed in your notebook, so it scores zero. Ask your trainer."


@dataclass
class CheckResult:
    """One autograded test as a learner sees it.

    Attributes
    ----------
    grade_id : str
    description : str
        The test's docstring (what it checks), when it has one outside its hidden part.
    points : float
    score : float or None
        None when the check was not graded (it did not run).
    status : str
        ``passed``, ``partly passed``, ``failed`` or ``not graded``.
    message : str
        The coaching message.
    """

    grade_id: str
    description: str
    points: float
    score: float | None
    status: str
    message: str


@dataclass
class Exercise:
    """An answer cell with the checks that follow it (or a reflection)."""

    grade_id: str
    kind: str  # "code" or "reflection"
    task_html: str = ""
    answer: str = ""
    answer_html: str = ""
    answer_error: str = ""
    points: float | None = None
    score: float | None = None
    comment: str = ""
    checks: list[CheckResult] = field(default_factory=list)


def check_description(source: str) -> str:
    """Return a test's docstring if it comes before any hidden part of the test.

    Parameters
    ----------
    source : str
        The test cell's source (as autograded, hidden tests included).

    Returns
    -------
    str
        The docstring, or an empty string.
    """
    visible = source.split("### BEGIN HIDDEN TESTS")[0]
    try:
        tree = ast.parse(visible)
    except SyntaxError:
        try:
            tree = ast.parse(visible.split("\n\n")[0])
        except SyntaxError:
            return ""
    doc = ast.get_docstring(tree, clean=True) if tree.body else None
    return doc or ""


def coaching_message(outputs: list[dict], status: str) -> str:
    """Return what a learner should read for one executed test: its message, never its code.

    Parameters
    ----------
    outputs : list of dict
        The test cell's outputs (nbformat).
    status : str
        The check's status (``passed``, ``failed``...).

    Returns
    -------
    str
        For a failed check, its assertion message (or the error that stopped it, by name and
        message, without traceback); for a passed check, what it printed.
    """
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if errors:
        err = errors[-1]
        ename, evalue = err.get("ename", "Error"), str(err.get("evalue", "")).strip()
        if ename == "AssertionError":
            return evalue or "This check failed (it has no message)."
        if ename in ("CellTimeoutError", "KeyboardInterrupt"):
            return "This check did not finish within the time limit."
        return f"This check could not run: {ename}: {evalue}"[:400]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stdout")
    stderr = "".join(o.get("text", "") for o in outputs
                     if o.get("output_type") == "stream" and o.get("name") == "stderr")
    if status != "passed" and stderr.strip():
        return "This check wrote a warning or error: " + stderr.strip()[:300]
    if text.strip():
        return text.strip()[:500]
    return {"passed": "Passed.", "not graded": "This check was not graded."}.get(status, "")


def _markdown(text: str) -> str:
    import mistune

    return mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])(text or "")


def _status(score: float | None, points: float) -> str:
    if score is None:
        return "not graded"
    if score >= points:
        return "passed"
    return "partly passed" if score > 0 else "failed"


def _answer_error(cell: Any) -> str:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"[:400]
    return ""


def feedback_context(module: str, student: str, notebook: str, course: str | Path | None = None) -> dict:
    """Gather what one learner's feedback page on one notebook shows.

    Parameters
    ----------
    module : str
        The assignment (module) id.
    student : str
        The learner's id.
    notebook : str
        The notebook name (without ``.ipynb``).
    course : str or pathlib.Path, optional
        The course folder; ``grading/`` by default.

    Returns
    -------
    dict
        ``title``, ``student``, ``module``, ``score``, ``max_score``, ``late_penalty``,
        ``status``, ``notes`` and ``exercises`` (a list of :class:`Exercise`).

    Raises
    ------
    ValueError
        If the learner has no submission of the module in the gradebook.
    """
    import nbformat
    from nbgrader.api import MissingEntry

    from curriculum.autograde import _coursedir, _gradebook, read_results

    course = _course(course)
    cd = _coursedir(course)
    entry = read_results(course).get(module, {}).get(student, {})
    tampered = set(entry.get("tampered", []))
    path = Path(cd.format_path(cd.autograded_directory, student, module)) / f"{notebook}.ipynb"
    nb = nbformat.read(path, as_version=4) if path.exists() else None
    with _gradebook(course) as gb:
        try:
            sub_nb = gb.find_submission_notebook(notebook, module, student)
        except MissingEntry:
            raise ValueError(f"student {student!r} has no submission of {module!r}/{notebook} "
                             "in the gradebook") from None
        grades = {g.name: g for g in sub_nb.grades}
        comments = {c.name: c for c in sub_nb.comments}
        solution_ids = {c.name for c in sub_nb.notebook.solution_cells}
        source_cells = {c.name: c for c in sub_nb.notebook.source_cells}
        order = _cell_order(Path(cd.format_path(cd.source_directory, ".", module)) / f"{notebook}.ipynb", grades)
        exercises: list[Exercise] = []
        title = module.replace("_", " ").capitalize()

        def grade_of(gid: str) -> tuple[float | None, float]:
            g = grades[gid]
            score = g.manual_score if g.manual_score is not None else g.auto_score
            if score is not None and g.extra_credit:
                score += g.extra_credit
            return (None if score is None else float(score)), float(g.max_score)

        def comment_of(gid: str) -> str:
            c = comments.get(gid)
            if c is None:
                return ""
            return c.manual_comment or c.auto_comment or ""

        if nb is not None:
            pending_md: list[str] = []
            current: Exercise | None = None
            for cell in nb.cells:
                meta = cell.get("metadata", {}).get("nbgrader") or {}
                gid = meta.get("grade_id")
                if cell.cell_type == "markdown" and not gid:
                    if cell.source.lstrip().startswith("# ") and title == module.replace("_", " ").capitalize():
                        title = cell.source.lstrip()[2:].splitlines()[0].strip()
                    if cell.source.lstrip().startswith("## "):
                        pending_md = [cell.source]
                    else:
                        pending_md.append(cell.source)
                    continue
                if not gid:
                    continue
                if gid in solution_ids:
                    current = Exercise(gid, "code" if cell.cell_type == "code" else "reflection",
                                       task_html=_markdown("\n\n".join(pending_md[-3:])))
                    if cell.cell_type == "code":
                        current.answer = cell.source
                        current.answer_error = _answer_error(cell)
                    else:
                        current.answer_html = _markdown(cell.source)
                    if gid in grades:
                        current.score, current.points = grade_of(gid)
                    current.comment = comment_of(gid)
                    exercises.append(current)
                    pending_md = []
                elif gid in grades and cell.cell_type == "code":
                    score, points = grade_of(gid)
                    status = _status(score, points)
                    message = (_TAMPERED if f"{notebook}/{gid}" in tampered
                               else coaching_message(cell.get("outputs", []), status))
                    check = CheckResult(gid, check_description(source_cells[gid].source or ""), points, score, status,
                                        message)
                    if current is None or current.kind != "code":
                        current = Exercise(gid, "code", task_html=_markdown("\n\n".join(pending_md[-3:])))
                        exercises.append(current)
                    current.checks.append(check)
            shown = {c.grade_id for e in exercises for c in e.checks} | {e.grade_id for e in exercises}
            gone = [gid for gid in order if gid in grades and gid not in shown and gid not in solution_ids]
            if gone:  # tests deleted from the notebook still count, at zero
                missing = Exercise("missing-checks", "code")
                for gid in gone:
                    score, points = grade_of(gid)
                    missing.checks.append(CheckResult(gid, check_description(source_cells[gid].source or ""), points,
                                                      score, _status(score, points), _TAMPERED))
                exercises.append(missing)
        else:  # nothing was autograded: list the checks with their scores only
            for gid in order:
                if gid not in grades:
                    continue
                score, points = grade_of(gid)
                if gid in solution_ids:
                    exercises.append(Exercise(gid, "reflection", points=points, score=score, comment=comment_of(gid)))
                else:
                    status = _status(score, points)
                    message = (_TAMPERED if f"{notebook}/{gid}" in tampered
                               else "This check was not run: the notebook could not be graded.")
                    exercises.append(Exercise(gid, "code", checks=[CheckResult(
                        gid, check_description(source_cells[gid].source or ""), points, score, status, message)]))
        score, max_score = float(sub_nb.score), float(sub_nb.max_score)
        penalty = float(sub_nb.late_submission_penalty or 0)
    notes = [r for r in entry.get("reasons", []) if not r.startswith("internal:")]
    return {"title": title, "student": student, "module": module, "notebook": notebook,
            "score": max(0.0, score - penalty), "raw_score": score, "max_score": max_score, "late_penalty": penalty,
            "status": entry.get("status", "graded"), "notes": notes, "exercises": exercises,
            "needs_marking": any(e.kind == "reflection" and e.score is None for e in exercises)}


def _cell_order(source_nb: Path, grades: dict) -> list[str]:
    """Grade ids in the order of the source notebook (the gradebook keeps no order)."""
    import nbformat

    if source_nb.exists():
        nb = nbformat.read(source_nb, as_version=4)
        ids = [(c.get("metadata", {}).get("nbgrader") or {}).get("grade_id") for c in nb.cells]
        ordered = [g for g in ids if g in grades]
        return ordered + [g for g in grades if g not in ordered]
    return list(grades)


def _course(course: str | Path | None) -> Path:
    if course is None:
        from curriculum.grading import course_dir

        return course_dir()
    return Path(course).resolve()


def write_feedback(module: str, course: str | Path | None = None, students: Iterable[str] | None = None) -> list[Path]:
    """Write feedback pages for every learner who submitted a module (one command for the cohort).

    Parameters
    ----------
    module : str
        The assignment (module) id.
    course : str or pathlib.Path, optional
        The course folder; ``grading/`` by default.
    students : iterable of str, optional
        Only these learners.

    Returns
    -------
    list of pathlib.Path
        The pages written, ``feedback/<learner>/<module>/<notebook>.html``.

    Raises
    ------
    ValueError
        If ``module`` is not an assignment of the course, or a requested learner has no
        submission of it.
    """
    from importlib import resources

    import jinja2
    from nbgrader.api import MissingEntry

    from curriculum.autograde import _coursedir, _gradebook

    course = _course(course)
    cd = _coursedir(course)
    with _gradebook(course) as gb:
        try:
            assignment = gb.find_assignment(module)
        except MissingEntry:
            raise ValueError(f"module {module!r} is not an assignment of the course in {course}") from None
        notebooks = [nb.name for nb in assignment.notebooks]
        submitted = sorted(s.student.id for s in gb.assignment_submissions(module))
    if students is not None:
        wanted = list(students)
        missing = [s for s in wanted if s not in submitted]
        if missing:
            raise ValueError(f"students {missing} have no submission of {module!r} in the gradebook")
        submitted = wanted
    text = resources.files("curriculum").joinpath("resources", _TEMPLATE).read_text(encoding="utf-8")
    template = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(text)
    written = []
    for student in submitted:
        folder = Path(cd.format_path(cd.feedback_directory, student, module))
        folder.mkdir(parents=True, exist_ok=True)
        for name in notebooks:
            context = feedback_context(module, student, name, course)
            page = folder / f"{name}.html"
            tmp = folder / f".{name}.html.tmp"
            tmp.write_text(template.render(**context), encoding="utf-8")
            tmp.replace(page)
            written.append(page)
        for extra in ("timestamp.txt", "submission_secret.txt"):  # what nbgrader release_feedback reads
            for origin in (cd.autograded_directory, cd.submitted_directory):
                src = Path(cd.format_path(origin, student, module)) / extra
                if src.exists():
                    shutil.copyfile(src, folder / extra)
                    break
    return written
