"""nbgrader round trip for every module, in a throwaway copy of the course.

For each module: the student version generated from the lab notebook holds no solution and
no hidden test; autograding the source notebook as a submission scores full marks on every
autograded cell; autograding the untouched student version scores zero on them and the
grader does not crash. The exchange steps (release, fetch, submit, collect), feedback and
export run for one module with stock nbgrader commands.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from curriculum.grading import GradingError, nbgrader, stage_source
from tests.conftest import MODULE_IDS, ROOT

STUDENTS = ("full", "blank")


PARTS = 2  # courses built side by side, each with a share of the modules (separate gradebooks, no lock contention)


def _build_course(path, module_ids):
    shutil.copy(ROOT / "grading" / "nbgrader_config.py", path)
    env = {"INFUSE_EXCHANGE": str(path / "exchange")}
    for module_id in module_ids:
        stage_source(module_id, path)
        nbgrader("generate_assignment", module_id, "--force", course=path, env=env)
        for student, origin in zip(STUDENTS, ("source", "release")):
            target = path / "submitted" / student / module_id
            target.mkdir(parents=True)
            shutil.copy(path / origin / module_id / f"{module_id}.ipynb", target)
        nbgrader("autograde", module_id, "--force", course=path, env=env)
    return path


@pytest.fixture(scope="session")
def courses(tmp_path_factory):
    """Courses with every module generated, and the source and student versions autograded: module id -> course folder."""
    from concurrent.futures import ThreadPoolExecutor

    shares = [MODULE_IDS[i::PARTS] for i in range(PARTS)]
    paths = [tmp_path_factory.mktemp(f"course{i}") for i in range(PARTS)]
    with ThreadPoolExecutor(PARTS) as pool:
        built = list(pool.map(_build_course, paths, shares))
    return {module_id: path for path, share in zip(built, shares) for module_id in share}


def _scores(course, module_id, student):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        sub = gb.find_submission(module_id, student)
        return {g.name: (g.auto_score, g.max_score) for nb in sub.notebooks for g in nb.grades
                if g.cell.cell_type == "code"}


def _release_text(course, module_id):
    return (course / "release" / module_id / f"{module_id}.ipynb").read_text(encoding="utf-8")


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_student_version_hides_solutions_and_hidden_tests(courses, module_id):
    """The released notebook carries no solution region, no hidden test and no solution code."""
    course = courses[module_id]
    released = _release_text(course, module_id)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in released, f"{marker} leaked into the student version"
    source = json.loads((course / "source" / module_id / f"{module_id}.ipynb").read_text(encoding="utf-8"))
    student = json.loads(released)
    for src_cell, cell in zip(source["cells"], student["cells"]):
        text = "".join(src_cell["source"])
        for block in re.findall(r"### BEGIN (?:SOLUTION|HIDDEN TESTS)\n(.*?)### END", text, flags=re.S):
            for line in block.strip().splitlines():
                if len(line.strip()) > 25:
                    assert line.strip() not in "".join(cell["source"]), f"solution line leaked: {line.strip()!r}"


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_source_scores_full_marks(courses, module_id):
    """Every autograded cell of the source notebook, submitted as is, earns its full points."""
    scores = _scores(courses[module_id], module_id, "full")
    assert scores, "the module has autograded cells"
    short = {name: s for name, s in scores.items() if s[0] != s[1]}
    assert not short, f"cells short of full marks (score, max): {short}"


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_untouched_student_version_scores_zero(courses, module_id):
    """The student version with its placeholders earns nothing on any autograded cell (and the grader finished)."""
    course = courses[module_id]
    scores = _scores(course, module_id, "blank")
    assert scores, "the blank submission was graded"
    earned = {name: s for name, s in scores.items() if s[0] != 0}
    assert not earned, f"placeholders pass these tests (score, max): {earned}"
    assert (course / "autograded" / "blank" / module_id / f"{module_id}.ipynb").exists()


def test_exchange_feedback_and_export(courses, tmp_path):
    """Release, fetch, submit and collect through the exchange; then autograde, feedback and export."""
    module_id = MODULE_IDS[-1]
    course = courses[module_id]
    env = {"INFUSE_EXCHANGE": str(course / "exchange")}
    nbgrader("release_assignment", module_id, "--force", course=course, env=env)
    home = tmp_path / "learner"
    home.mkdir()
    learner = [sys.executable, "-m", "nbgrader"]
    common = [f"--Exchange.root={course / 'exchange'}", "--CourseDirectory.course_id=infuse"]
    for step in ("fetch_assignment", "submit"):
        proc = subprocess.run(learner + [step, module_id, *common], cwd=home, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    nbgrader("collect", module_id, "--update", course=course, env=env)
    collected = list((course / "submitted").glob(f"*/{module_id}/{module_id}.ipynb"))
    assert len(collected) == 3, "the learner's submission was collected beside the two prepared ones"
    nbgrader("autograde", module_id, "--force", course=course, env=env)
    nbgrader("generate_feedback", module_id, "--force", course=course, env=env)
    assert (course / "feedback" / "full" / module_id / f"{module_id}.html").exists()
    nbgrader("export", course=course, env=env)
    grades = (course / "grades.csv").read_text()
    assert module_id in grades and "full" in grades


def test_staging_refuses_papermill_output(tmp_path, monkeypatch):
    """A papermill output (injected parameters) is never accepted as an nbgrader source."""
    import nbformat

    from curriculum.syllabus import get_module

    module = get_module(MODULE_IDS[0])
    nb = nbformat.read(module.notebook_path(), as_version=4)
    injected = nbformat.v4.new_code_cell('council = "Newport"', metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(1, injected)
    fake_root = tmp_path / "root"
    (fake_root / module.notebook.parent).mkdir(parents=True)
    nbformat.write(nb, fake_root / module.notebook)
    monkeypatch.setenv("INFUSE_ROOT", str(fake_root))
    with pytest.raises(GradingError, match="injected by papermill"):
        stage_source(module.id, tmp_path / "course")
