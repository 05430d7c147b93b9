"""Cohort analytics: the dashboard's figures and the CSV export, checked against the gradebook.

A gradebook is filled through nbgrader's own API (two modules, twenty learners in four
councils plus one learner missing from the roster, seeded random scores, some manual marks,
some modules not submitted), so these tests need no kernel. Every expected number is
computed here straight from the gradebook's rows, independently of :mod:`curriculum.cohort`,
and compared with what the figures draw, what the HTML tables say and what the CSV holds.
"""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from curriculum import cohort
from curriculum.submissions import ROSTER_FILE
from tests.grading_helpers import with_alembic

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's add_submission, SQLAlchemy 2

MODULES = ("where_the_money_goes", "counts_rates_comparisons")
TESTS = {"where_the_money_goes": {"ex1": 1.0, "ex2": 2.0, "ex3": 2.0},
         "counts_rates_comparisons": {"rate": 1.0, "compare": 3.0}}
MANUAL = {"where_the_money_goes": ("reflection", 3.0), "counts_rates_comparisons": ("reflection", 2.0)}
COUNCILS = ("Cardiff", "Newport", "Torfaen", "Bridgend")
N = 20


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course whose gradebook holds a seeded cohort, with a roster of councils."""
    from nbgrader.api import Gradebook

    path = tmp_path_factory.mktemp("analytics") / "course"
    path.mkdir()
    shutil.copy(Path(__file__).resolve().parent.parent / "grading" / "nbgrader_config.py", path)
    rng = random.Random(11)
    learners = [f"l{i:02d}" for i in range(1, N + 1)]
    with (path / ROSTER_FILE).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "council"])
        for i, lid in enumerate(learners[:-1]):  # the last learner is missing from the roster
            name = "=HYPERLINK(\"http://x\")" if i == 0 else f"Learner {i}"
            w.writerow([lid, name, COUNCILS[i % len(COUNCILS)]])
    with with_alembic(), Gradebook(f"sqlite:///{path / 'gradebook.db'}", "infuse") as gb:
        for module in MODULES:
            gb.add_assignment(module)
            gb.add_notebook(module, module)
            for name, points in TESTS[module].items():
                gb.add_grade_cell(name, module, module, max_score=points, cell_type="code")
            name, points = MANUAL[module]
            gb.add_grade_cell(name, module, module, max_score=points, cell_type="markdown")
            gb.add_solution_cell(name, module, module)
        for lid in learners:
            gb.add_student(lid)
        for lid in learners:
            for module in MODULES:
                behind = lid in ("l03", "l07")
                if behind and module == MODULES[1] or rng.random() < 0.15:
                    continue  # not submitted
                gb.add_submission(module, lid)
                sub = gb.find_submission_notebook(module, module, lid)
                for g in sub.grades:
                    if g.name in TESTS[module]:
                        g.auto_score = 0.0 if lid == "l07" else rng.choice([0.0, g.max_score, g.max_score])
                        g.needs_manual_grade = False
                    else:
                        g.auto_score = None
                        g.manual_score = rng.choice([None, 1.0, float(MANUAL[module][1])])
                gb.db.commit()
    return path


@pytest.fixture(autouse=True)
def _close_figures():
    """Figures drawn by a test are closed after it."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _expected(course: Path) -> dict:
    """Completion, per-test pass rates, percents and council completion straight from the gradebook."""
    from nbgrader.api import Gradebook

    roster = {}
    with (course / ROSTER_FILE).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            roster[row["id"]] = row["council"]
    out = {"completion": {}, "pass": {}, "percent": {}, "council": {}, "scores": {}}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "infuse") as gb:
        learners = [s.id for s in gb.students]
        for module in MODULES:
            subs = {s.student.id: s for s in gb.assignment_submissions(module)}
            out["completion"][module] = len(subs) / len(learners)
            out["percent"][module] = sorted(100 * s.score / s.max_score for s in subs.values())
            for lid, s in subs.items():
                out["scores"][(lid, module)] = s.score
            for test in TESTS[module]:
                graded = passed = 0
                for s in subs.values():
                    g = gb.find_grade(test, module, module, s.student.id)
                    if g.auto_score is not None:
                        graded += 1
                        passed += g.auto_score >= g.max_score
                out["pass"][(module, test)] = passed / graded
            for council in set(roster.values()) | {cohort.UNKNOWN_COUNCIL}:
                members = [lid for lid in learners if roster.get(lid, cohort.UNKNOWN_COUNCIL) == council]
                out["council"][(council, module)] = sum(lid in subs for lid in members) / len(members)
    out["learners"] = learners
    return out


def test_completion_figure_draws_the_gradebook(course):
    """Each completion bar is the share of learners with a submission in the gradebook."""
    data = cohort.dashboard_data(course)
    fig = cohort.dashboard_figures(data)["completion"]
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    widths = [p.get_width() for p in ax.patches]
    expected = _expected(course)["completion"]
    assert sorted(labels) == sorted(MODULES)
    for label, width in zip(labels, widths):
        assert width == pytest.approx(100 * expected[label]), label


def test_pass_rate_figure_draws_every_test_lowest_first(course):
    """Each bar of the pass-rate figure is the share of graded submissions earning all of a test's points."""
    fig = cohort.dashboard_figures(cohort.dashboard_data(course))["tests"]
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    widths = [p.get_width() for p in ax.patches]
    expected = _expected(course)["pass"]
    assert len(labels) == sum(len(t) for t in TESTS.values())
    for label, width in zip(labels, widths):
        module, test = label.split(" / ")
        assert width == pytest.approx(100 * expected[(module, test)]), label
    assert widths == sorted(widths), "lowest pass rate first"


def test_score_figure_plots_every_submission(course):
    """The score distribution plots one point per submission at its percent of the points available."""
    fig = cohort.dashboard_figures(cohort.dashboard_data(course))["scores"]
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    expected = _expected(course)["percent"]
    points = [np.sort(c.get_offsets()[:, 0]) for c in ax.collections]
    assert len(points) == len(labels)
    for label, xs in zip(labels, points):
        assert np.allclose(xs, expected[label]), label


def test_council_heat_map_draws_the_gradebook(course):
    """Each cell of the council completion map is the share of that council's learners who submitted."""
    data = cohort.dashboard_data(course)
    fig = cohort.dashboard_figures(data)["council_completion"]
    ax = fig.axes[0]
    image = ax.get_images()[0].get_array()
    rows = [t.get_text() for t in ax.get_yticklabels()]
    cols = [t.get_text() for t in ax.get_xticklabels()]
    expected = _expected(course)["council"]
    for r, council in enumerate(rows):
        for c, module in enumerate(cols):
            assert image[r, c] == pytest.approx(100 * expected[(council, module)]), (council, module)
    assert rows[-1] == cohort.UNKNOWN_COUNCIL, "learners missing from the roster are shown, last"


def test_dashboard_page_embeds_figures_and_their_numbers(course, tmp_path):
    """The page embeds the five figures, and the table under the completion figure holds the gradebook's numbers."""
    from bs4 import BeautifulSoup

    page = cohort.write_dashboard(course, out=tmp_path / "dash.html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    figures = {img["data-figure"] for img in soup.find_all("img")}
    assert figures == {"completion", "scores", "tests", "council_completion", "council_scores"}
    assert all(img["src"].startswith("data:image/png;base64,") for img in soup.find_all("img"))
    expected = _expected(course)["completion"]
    table = soup.find(id="table-completion")
    for tr in table.find_all("tr")[1:]:
        module, learners, _submitted, completion = [td.get_text() for td in tr.find_all("td")]
        assert int(learners) == N
        assert float(completion) == pytest.approx(100 * expected[module], abs=0.05)
    behind = soup.find(id="table-behind").get_text()
    assert "l03" in behind and "l07" in behind


def test_falling_behind_names_who_and_why(course):
    """A learner who skipped an expected module, or averages below half marks, is listed with the reason."""
    table = cohort.falling_behind(cohort.grades_table(course)).set_index("learner")
    assert "has not submitted counts_rates_comparisons" in table.loc["l03", "why"]
    assert "mean score" in table.loc["l07", "why"]
    with pytest.raises(ValueError, match="min_percent"):
        cohort.falling_behind(cohort.grades_table(course), min_percent=150)


def test_csv_has_one_row_per_learner_and_module(course, tmp_path):
    """The CSV holds every learner for every module, with the gradebook's score and the roster's council."""
    import pandas as pd

    path = cohort.export_csv(course, out=tmp_path / "grades.csv")
    table = pd.read_csv(path, dtype={"learner": str})
    expected = _expected(course)
    assert len(table) == len(expected["learners"]) * len(MODULES)
    assert not table.duplicated(["learner", "module"]).any()
    for row in table.itertuples():
        key = (row.learner, row.module)
        assert bool(row.submitted) == (key in expected["scores"])
        if key in expected["scores"]:
            assert row.score == pytest.approx(expected["scores"][key])
    assert set(table.loc[table.learner == f"l{N:02d}", "council"]) == {cohort.UNKNOWN_COUNCIL}
    first = table.loc[table.learner == "l01", "name"].iloc[0]
    assert first.startswith("'="), "a name that looks like a formula is neutralised"


def test_cli_dashboard_and_export(course, tmp_path, capsys):
    """`infuse cohort dashboard` and `infuse cohort export-csv` write their files and exit 0."""
    from curriculum.cli import main

    assert main(["cohort", "dashboard", "--course-dir", str(course), "--out", str(tmp_path / "d.html")]) == 0
    assert main(["cohort", "export-csv", "--course-dir", str(course), "--out", str(tmp_path / "g.csv")]) == 0
    assert (tmp_path / "d.html").exists() and (tmp_path / "g.csv").exists()


def test_missing_gradebook_is_reported(tmp_path):
    """A course without a gradebook is named in the error."""
    shutil.copy(Path(__file__).resolve().parent.parent / "grading" / "nbgrader_config.py", tmp_path)
    with pytest.raises(FileNotFoundError, match="no gradebook"):
        cohort.grades_table(tmp_path)
