"""Feedback pages: scores and coaching messages for every learner, never the tests' code.

A small cohort of ``where_the_money_goes`` (full, blank, a kernel crash and edited tests) is
autograded in sandboxes; a trainer's score and comment are added to one reflection; then one
call writes everyone's feedback. The pages are checked against the gradebook and the executed
notebooks, searched for every line of hidden-test code, and released with stock
``nbgrader release_feedback``.
"""

from __future__ import annotations

import ast
import html
import re
import shutil
from pathlib import Path

import pytest

from curriculum.autograde import autograde_all
from curriculum.feedback import check_description, coaching_message, write_feedback
from curriculum.sandbox import SandboxLimits
from curriculum.submissions import make_submissions, prepare_course
from tests.grading_helpers import SANDBOX_REASON as REASON
from tests.grading_helpers import needs_sandbox, with_alembic

MODULE = "where_the_money_goes"
COMMENT = "Good choice of category; say which framework you would use and why."


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """A graded cohort with a trainer's mark and comment on one reflection, and everyone's feedback written."""
    if REASON is not None:
        pytest.skip(f"cannot sandbox on this machine: {REASON}")
    from nbgrader.api import Gradebook

    course = prepare_course(MODULE, tmp_path_factory.mktemp("feedback") / "course")
    made = make_submissions(MODULE, course, learners=2, mix={"full": 1, "blank": 1},
                            adversarial=("crash", "edit_tests"))
    report = autograde_all(MODULE, course, workers=2, progress=False,
                           limits=SandboxLimits(cell_timeout=30, notebook_timeout=300, memory_bytes=2 * 2**30))
    assert not report.errors, report.errors
    kinds = {s.student: s.kind for s in made}
    full = next(s for s, k in kinds.items() if k == "full")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "infuse") as gb:
        reflection = next(c.name for c in gb.find_notebook(MODULE, MODULE).solution_cells
                          if c.name.startswith("reflection"))
        grade = gb.find_grade(reflection, MODULE, MODULE, full)
        grade.manual_score = 2
        gb.find_comment(reflection, MODULE, MODULE, full).manual_comment = COMMENT
        gb.db.commit()
    pages = write_feedback(MODULE, course)
    return {"course": course, "kinds": kinds, "full": full, "reflection": reflection, "pages": pages}


def _page(cohort, learner) -> str:
    return (cohort["course"] / "feedback" / learner / MODULE / f"{MODULE}.html").read_text(encoding="utf-8")


def _text(page: str) -> str:
    from bs4 import BeautifulSoup

    return html.unescape(BeautifulSoup(page, "html.parser").get_text("\n"))


def _hidden_code_lines(course: Path) -> list[str]:
    """Every line of hidden-test code in the source notebook (string-literal lines aside: they are messages)."""
    import nbformat

    nb = nbformat.read(course / "source" / MODULE / f"{MODULE}.ipynb", as_version=4)
    lines = []
    for cell in nb.cells:
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source, flags=re.DOTALL):
            for line in block.splitlines():
                s = line.strip()
                if len(s) > 12 and not re.match(r"""^[fr]?["']""", s):
                    lines.append(s)
    return lines


@needs_sandbox
def test_one_page_per_learner_in_nbgraders_layout_and_stock_release_works(cohort):
    """One command writes everyone's page where nbgrader keeps feedback; `nbgrader release_feedback` releases them."""
    from curriculum.grading import nbgrader

    course = cohort["course"]
    assert sorted(p.parent.parent.name for p in cohort["pages"]) == sorted(cohort["kinds"])
    for learner in cohort["kinds"]:
        folder = course / "feedback" / learner / MODULE
        assert {"timestamp.txt", "submission_secret.txt", f"{MODULE}.html"} <= {p.name for p in folder.iterdir()}
    exchange = course / "exchange"
    exchange.mkdir(exist_ok=True)
    nbgrader("release_feedback", MODULE, course=course, env={"INFUSE_EXCHANGE": str(exchange)})
    released = list((exchange / "infuse" / "feedback").glob("*.html"))
    assert len(released) == len(cohort["kinds"]), released


@needs_sandbox
def test_feedback_never_shows_test_code(cohort):
    """No line of hidden-test code, no test's code and no traceback appears in any page."""
    import nbformat

    hidden = _hidden_code_lines(cohort["course"])
    assert hidden, "the module has hidden tests to protect"
    source = nbformat.read(cohort["course"] / "source" / MODULE / f"{MODULE}.ipynb", as_version=4)
    test_lines = []
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            doc = ast.get_docstring(ast.parse(cell.source.split("### BEGIN HIDDEN TESTS")[0])) or ""
            test_lines += [ln.strip() for ln in cell.source.splitlines()
                           if len(ln.strip()) > 12 and (not doc or doc not in ln)
                           and not re.match(r"""^[fr]?["')]""", ln.strip())]
    for learner in cohort["kinds"]:
        page = _page(cohort, learner)
        text = _text(page)
        for line in hidden + test_lines:
            assert line not in text and html.escape(line) not in page, f"{learner}: test code leaked: {line!r}"
        assert "Traceback" not in text and "BEGIN HIDDEN" not in text


@needs_sandbox
def test_each_check_shows_its_points_score_and_coaching_message(cohort):
    """Every test row matches the gradebook, and failed checks show the assertion message from the executed notebook."""
    import nbformat
    from bs4 import BeautifulSoup
    from nbgrader.api import Gradebook

    course = cohort["course"]
    for learner, kind in cohort["kinds"].items():
        soup = BeautifulSoup(_page(cohort, learner), "html.parser")
        rows = {tr["data-grade-id"]: [td.get_text().strip() for td in tr.find_all("td")]
                for tr in soup.select("tr.check-row")}
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "infuse") as gb:
            sub = gb.find_submission_notebook(MODULE, MODULE, learner)
            solution = {c.name for c in sub.notebook.solution_cells}
            tests = {g.name: g for g in sub.grades if g.name not in solution}
            assert set(rows) == set(tests), f"{learner}: rows {sorted(rows)}"
            for gid, g in tests.items():
                assert float(rows[gid][2]) == g.max_score
                assert float(rows[gid][3]) == (g.auto_score or 0), f"{learner} {gid}: {rows[gid]} vs {g.auto_score}"
            total = float(soup.find(id="total-score").get_text())
            assert total == pytest.approx(sub.score)
        if kind == "blank":
            path = course / "autograded" / learner / MODULE / f"{MODULE}.ipynb"
            nb = nbformat.read(path, as_version=4)
            messages = [o["evalue"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
                        if o.get("output_type") == "error" and o.get("ename") == "AssertionError" and o.get("evalue")
                        and c.metadata.get("nbgrader", {}).get("grade")]
            text = _text(_page(cohort, learner))
            for message in messages:
                assert message in text, f"{learner}: coaching message missing: {message!r}"


@needs_sandbox
def test_trainers_comment_and_reasons_are_shown(cohort):
    """The trainer's comment and score on a reflection appear; so do the reasons a submission scored zero."""
    text = _text(_page(cohort, cohort["full"]))
    assert COMMENT in text and "Trainer's comment" in text
    crash = next(s for s, k in cohort["kinds"].items() if k == "crash")
    crash_text = _text(_page(cohort, crash))
    assert "could not be graded" in crash_text and "kernel died" in crash_text
    edited = next(s for s, k in cohort["kinds"].items() if k == "edit_tests")
    assert "tampered test(s) scored zero" in _text(_page(cohort, edited))


@needs_sandbox
def test_cli_writes_feedback_for_the_cohort(cohort, capsys):
    """`infuse cohort feedback MODULE` writes every page and exits 0."""
    from curriculum.cli import main

    shutil.rmtree(cohort["course"] / "feedback")
    assert main(["cohort", "feedback", MODULE, "--course-dir", str(cohort["course"])]) == 0
    assert f"Feedback written for {len(cohort['kinds'])} learner(s)" in capsys.readouterr().out
    assert all((cohort["course"] / "feedback" / s / MODULE / f"{MODULE}.html").exists() for s in cohort["kinds"])


def test_coaching_message_never_includes_a_traceback():
    """Only the assertion message (or the error's name and message) is shown, never the traceback."""
    outputs = [{"output_type": "error", "ename": "AssertionError", "evalue": "Divide by the population in thousands.",
                "traceback": ["assert secret_reference == answer", "AssertionError"]}]
    assert coaching_message(outputs, "failed") == "Divide by the population in thousands."
    outputs = [{"output_type": "error", "ename": "NameError", "evalue": "name 'rate' is not defined",
                "traceback": ["hidden line"]}]
    assert coaching_message(outputs, "failed") == "This check could not run: NameError: name 'rate' is not defined"
    assert coaching_message([], "passed") == "Passed."


def test_check_description_ignores_hidden_parts():
    """A test's docstring is its description; nothing after the hidden marker is read."""
    source = ('"""Check that the rate is per 1,000"""\nassert rate > 0\n'
              '### BEGIN HIDDEN TESTS\nassert rate == 3.2\n### END HIDDEN TESTS')
    assert check_description(source) == "Check that the rate is per 1,000"
    assert check_description("### BEGIN HIDDEN TESTS\n'''not a description'''\n### END HIDDEN TESTS") == ""


def test_unknown_module_is_named(tmp_path):
    """Feedback for a module the course does not have names it."""
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(Path(__file__).resolve().parent.parent / "grading" / "nbgrader_config.py", course)
    with with_alembic(), Gradebook(f"sqlite:///{course / 'gradebook.db'}", "infuse"):
        pass
    with pytest.raises(ValueError, match="not_a_module"):
        write_feedback("not_a_module", course)
