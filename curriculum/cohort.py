"""Cohort analytics: a dashboard for trainers and a CSV of grades, straight from the gradebook.

``write_dashboard(course)`` writes one HTML page (figures embedded as PNG, each followed by
the table of numbers it draws) with:

- **completion** per module: the share of learners who submitted;
- **score distributions** per module (percent of the points available, late penalties
  deducted);
- **per-test pass rates** across the cohort, lowest first: the exercises that confuse people;
- **learners falling behind** (see :func:`falling_behind`);
- **per-council views**: completion and mean score by council and module, and a section per
  council listing its learners.

``export_csv(course)`` writes the grades with one row per learner and module (learners who
did not submit a module included, with ``submitted`` False).

Learners' councils come from the roster ``<course>/learners.csv`` (columns ``id``, ``name``,
``council``; nbgrader's own student table has no council). Learners missing from it are
listed under "Unknown council".

Nothing happens on import.
"""

from __future__ import annotations

import base64
import io
import time
from pathlib import Path
from typing import Any

__all__ = [
    "UNKNOWN_COUNCIL",
    "completion_table",
    "council_table",
    "dashboard_data",
    "dashboard_figures",
    "export_csv",
    "falling_behind",
    "grades_table",
    "pass_rate_table",
    "score_table",
    "write_dashboard",
]

UNKNOWN_COUNCIL = "Unknown council"
_TEMPLATE = "cohort_dashboard.html.j2"


def _course(course: str | Path | None) -> Path:
    if course is None:
        from curriculum.grading import course_dir

        return course_dir()
    return Path(course).resolve()


def _module_order(names: list[str]) -> list[str]:
    from curriculum.syllabus import syllabus

    order = {m.id: i for i, m in enumerate(syllabus())}
    return sorted(names, key=lambda n: (order.get(n, len(order)), n))


def grades_table(course: str | Path | None = None):
    """Return the grades: one row per learner and module (submitted or not).

    Parameters
    ----------
    course : str or pathlib.Path, optional
        The course folder; ``grading/`` by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``learner``, ``name``, ``council``, ``module``, ``submitted``, ``timestamp``,
        ``score`` (late penalty deducted), ``max_score``, ``percent``, ``code_score``,
        ``max_code_score``, ``written_score``, ``max_written_score``, ``late_penalty``,
        ``needs_manual_grade``, ``status`` (``not submitted``, ``graded``, ``zeroed``,
        ``error`` or ``graded by nbgrader`` when graded outside :mod:`curriculum.autograde`),
        ``tampered`` (how many tests) and ``reasons``.

    Raises
    ------
    FileNotFoundError
        If the course has no gradebook.
    """
    import pandas as pd

    from curriculum.autograde import _db_url, _gradebook, read_results
    from curriculum.submissions import read_roster

    course = _course(course)
    url = _db_url(course)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise FileNotFoundError(f"course {course} has no gradebook ({url})")
    roster = read_roster(course)
    results = read_results(course)
    rows = []
    with _gradebook(course) as gb:
        students = {s.id: s for s in gb.students}
        modules = _module_order([a.name for a in gb.assignments])
        learners = sorted(set(students) | set(roster))
        subs: dict[tuple[str, str], Any] = {}
        for module in modules:
            for sub in gb.assignment_submissions(module):
                subs[(sub.student.id, module)] = sub
        for learner in learners:
            st = students.get(learner)
            name = roster.get(learner, {}).get("name") or (
                " ".join(x for x in (getattr(st, "first_name", None), getattr(st, "last_name", None)) if x) or learner)
            council = roster.get(learner, {}).get("council") or UNKNOWN_COUNCIL
            for module in modules:
                sub = subs.get((learner, module))
                entry = results.get(module, {}).get(learner, {})
                row = {"learner": learner, "name": name, "council": council, "module": module,
                       "submitted": sub is not None}
                if sub is None:
                    row.update(status="not submitted")
                else:
                    penalty = float(sub.late_submission_penalty or 0)
                    score = max(0.0, float(sub.score) - penalty)
                    row.update(timestamp=sub.timestamp, score=score, max_score=float(sub.max_score),
                               percent=100 * score / float(sub.max_score) if sub.max_score else None,
                               code_score=float(sub.code_score), max_code_score=float(sub.max_code_score),
                               written_score=float(sub.written_score), max_written_score=float(sub.max_written_score),
                               late_penalty=penalty, needs_manual_grade=bool(sub.needs_manual_grade),
                               status=entry.get("status", "graded by nbgrader"),
                               tampered=len(entry.get("tampered", [])),
                               reasons=" | ".join(entry.get("reasons", [])))
                rows.append(row)
    columns = ["learner", "name", "council", "module", "submitted", "timestamp", "score", "max_score", "percent",
               "code_score", "max_code_score", "written_score", "max_written_score", "late_penalty",
               "needs_manual_grade", "status", "tampered", "reasons"]
    return pd.DataFrame(rows, columns=columns)


def pass_rate_table(course: str | Path | None = None):
    """Return the pass rate of every autograded test across the cohort.

    A test counts as passed when the learner earned all its points.

    Parameters
    ----------
    course : str or pathlib.Path, optional
        The course folder; ``grading/`` by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``module``, ``notebook``, ``test``, ``points``, ``graded`` (submissions with a
        score for it), ``passed``, ``pass_rate`` and ``mean_score``; lowest pass rate first.
    """
    import pandas as pd

    from curriculum.autograde import _gradebook

    course = _course(course)
    rows = []
    with _gradebook(course) as gb:
        for assignment in gb.assignments:
            for notebook in assignment.notebooks:
                solution = {c.name for c in notebook.solution_cells}
                tests = {c.name: float(c.max_score) for c in notebook.grade_cells
                         if c.cell_type == "code" and c.name not in solution}
                tally = {t: [0, 0, 0.0] for t in tests}
                for sub_nb in notebook.submissions:
                    for g in sub_nb.grades:
                        if g.name in tally:
                            score = g.manual_score if g.manual_score is not None else g.auto_score
                            if score is None:
                                continue
                            tally[g.name][0] += 1
                            tally[g.name][1] += score >= tests[g.name]
                            tally[g.name][2] += float(score)
                for t, (graded, passed, total) in tally.items():
                    rows.append({"module": assignment.name, "notebook": notebook.name, "test": t,
                                 "points": tests[t], "graded": graded, "passed": passed,
                                 "pass_rate": passed / graded if graded else None,
                                 "mean_score": total / graded if graded else None})
    table = pd.DataFrame(rows, columns=["module", "notebook", "test", "points", "graded", "passed", "pass_rate",
                                        "mean_score"])
    return table.sort_values(["pass_rate", "module", "test"], na_position="last", kind="stable").reset_index(drop=True)


def completion_table(grades):
    """Return learners, submissions and completion (share who submitted) per module.

    Parameters
    ----------
    grades : pandas.DataFrame
        From :func:`grades_table`.

    Returns
    -------
    pandas.DataFrame
        Columns ``module``, ``learners``, ``submitted``, ``completion``.
    """
    import pandas as pd

    rows = []
    for module in _module_order(list(grades["module"].unique())):
        g = grades[grades["module"] == module]
        rows.append({"module": module, "learners": len(g), "submitted": int(g["submitted"].sum()),
                     "completion": float(g["submitted"].mean()) if len(g) else 0.0})
    return pd.DataFrame(rows, columns=["module", "learners", "submitted", "completion"])


def score_table(grades):
    """Return the distribution of scores (percent) per module, among those who submitted.

    Parameters
    ----------
    grades : pandas.DataFrame
        From :func:`grades_table`.

    Returns
    -------
    pandas.DataFrame
        Columns ``module``, ``n``, ``mean``, ``median``, ``min``, ``max``, ``q1``, ``q3`` (percent).
    """
    import pandas as pd

    rows = []
    for module in _module_order(list(grades["module"].unique())):
        p = grades[(grades["module"] == module) & grades["submitted"]]["percent"].dropna().astype(float)
        rows.append({"module": module, "n": len(p), "mean": p.mean() if len(p) else None,
                     "median": p.median() if len(p) else None, "min": p.min() if len(p) else None,
                     "max": p.max() if len(p) else None, "q1": p.quantile(0.25) if len(p) else None,
                     "q3": p.quantile(0.75) if len(p) else None})
    return pd.DataFrame(rows, columns=["module", "n", "mean", "median", "min", "max", "q1", "q3"])


def council_table(grades):
    """Return completion and mean score per council and module.

    Parameters
    ----------
    grades : pandas.DataFrame
        From :func:`grades_table`.

    Returns
    -------
    pandas.DataFrame
        Columns ``council``, ``module``, ``learners``, ``submitted``, ``completion``,
        ``mean_percent`` (among those who submitted).
    """
    import pandas as pd

    rows = []
    for (council, module), g in grades.groupby(["council", "module"], sort=True):
        done = g[g["submitted"]]
        rows.append({"council": council, "module": module, "learners": len(g), "submitted": len(done),
                     "completion": len(done) / len(g) if len(g) else 0.0,
                     "mean_percent": float(done["percent"].astype(float).mean()) if len(done) else None})
    table = pd.DataFrame(rows, columns=["council", "module", "learners", "submitted", "completion", "mean_percent"])
    table["_unknown"] = table["council"] == UNKNOWN_COUNCIL  # learners without a council last
    return table.sort_values(["_unknown", "council"], kind="stable").drop(columns="_unknown").reset_index(drop=True)


def falling_behind(grades, *, min_percent: float = 50.0, expected_share: float = 0.5):
    """Return the learners who are falling behind, with why.

    A learner is falling behind when they have not submitted a module that at least
    ``expected_share`` of the cohort has submitted, or when their mean score over the modules
    they submitted is below ``min_percent``.

    Parameters
    ----------
    grades : pandas.DataFrame
        From :func:`grades_table`.
    min_percent : float, default 50
        The lowest acceptable mean score, in percent.
    expected_share : float, default 0.5
        A module counts as expected once this share of the cohort has submitted it.

    Returns
    -------
    pandas.DataFrame
        Columns ``learner``, ``name``, ``council``, ``submitted``, ``expected``,
        ``mean_percent``, ``missing`` (expected modules not submitted) and ``why``;
        the furthest behind first.

    Raises
    ------
    ValueError
        If ``min_percent`` is not within 0-100 or ``expected_share`` not within 0-1.
    """
    import pandas as pd

    if not 0 <= min_percent <= 100:
        raise ValueError(f"min_percent must be between 0 and 100, got {min_percent}")
    if not 0 <= expected_share <= 1:
        raise ValueError(f"expected_share must be between 0 and 1, got {expected_share}")
    completion = completion_table(grades)
    expected = [m for m, c in zip(completion["module"], completion["completion"]) if c >= expected_share and c > 0]
    rows = []
    for learner, g in grades.groupby("learner", sort=True):
        done = g[g["submitted"]]
        missing = [m for m in expected if m not in set(done["module"])]
        mean = float(done["percent"].astype(float).mean()) if len(done) else None
        why = []
        if missing:
            why.append(f"has not submitted {', '.join(missing)}")
        if mean is not None and mean < min_percent:
            why.append(f"mean score {mean:.0f}% (below {min_percent:g}%)")
        if why:
            rows.append({"learner": learner, "name": g["name"].iloc[0], "council": g["council"].iloc[0],
                         "submitted": len(done), "expected": len(expected), "mean_percent": mean,
                         "missing": ", ".join(missing), "why": "; ".join(why)})
    table = pd.DataFrame(rows, columns=["learner", "name", "council", "submitted", "expected", "mean_percent",
                                        "missing", "why"])
    if len(table):
        table["_gap"] = table["expected"] - table["submitted"]
        table = table.sort_values(["_gap", "mean_percent"], ascending=[False, True], na_position="first",
                                  kind="stable").drop(columns="_gap").reset_index(drop=True)
    return table


def dashboard_data(course: str | Path | None = None) -> dict:
    """Gather every table the dashboard draws, from the gradebook, roster and results table.

    Parameters
    ----------
    course : str or pathlib.Path, optional
        The course folder; ``grading/`` by default.

    Returns
    -------
    dict of pandas.DataFrame
        ``grades``, ``completion``, ``scores``, ``tests``, ``councils``, ``behind``.
    """
    course = _course(course)
    grades = grades_table(course)
    return {"grades": grades, "completion": completion_table(grades), "scores": score_table(grades),
            "tests": pass_rate_table(course), "councils": council_table(grades), "behind": falling_behind(grades)}


def _style():
    from importlib import resources

    import matplotlib.pyplot as plt

    from curriculum.style import STYLE_FILE

    path = resources.files("curriculum").joinpath("resources", STYLE_FILE)
    return plt.style.context(str(path))


def dashboard_figures(data: dict) -> dict:
    """Draw the dashboard's figures from :func:`dashboard_data`.

    Parameters
    ----------
    data : dict
        From :func:`dashboard_data`.

    Returns
    -------
    dict of str to matplotlib.figure.Figure
        ``completion`` (bars: percent who submitted, per module), ``scores`` (box plots of
        percent, per module), ``tests`` (bars: pass rate per test, lowest first),
        ``council_completion`` and ``council_scores`` (heat maps, council by module).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import numpy as np

    figs = {}
    with _style():
        comp = data["completion"]
        fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * max(1, len(comp))))
        ax.barh(comp["module"], 100 * comp["completion"], color="#12436D")
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        ax.set_xlabel("% of learners who submitted")
        ax.set_title("Completion by module")
        ax.grid(axis="x")
        figs["completion"] = fig

        grades = data["grades"]
        modules = list(comp["module"])
        series = [grades[(grades["module"] == m) & grades["submitted"]]["percent"].dropna().astype(float).to_numpy()
                  for m in modules]
        fig, ax = plt.subplots(figsize=(8, 0.5 + 0.5 * max(1, len(modules))))
        if any(len(s) for s in series):
            ax.boxplot([s if len(s) else np.array([np.nan]) for s in series], vert=False, widths=0.5)
            for i, s in enumerate(series, start=1):
                ax.scatter(s, np.full(len(s), i), s=10, alpha=0.5, color="#801650", zorder=3)
        ax.set_yticks(range(1, len(modules) + 1), modules)
        ax.invert_yaxis()
        ax.set_xlim(-2, 102)
        ax.set_xlabel("score (% of the points available)")
        ax.set_title("Score distribution by module")
        ax.grid(axis="x")
        figs["scores"] = fig

        tests = data["tests"].dropna(subset=["pass_rate"])
        labels = [f"{m} / {t}" for m, t in zip(tests["module"], tests["test"])]
        fig, ax = plt.subplots(figsize=(8, 0.5 + 0.3 * max(1, len(tests))))
        ax.barh(labels, 100 * tests["pass_rate"].astype(float), color="#28A197")
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        ax.set_xlabel("% of graded submissions that passed")
        ax.set_title("Pass rate of each test (lowest first: what confuses people)")
        ax.grid(axis="x")
        figs["tests"] = fig

        councils = data["councils"]
        for key, column, title, scale in (("council_completion", "completion", "Completion by council (%)", 100),
                                          ("council_scores", "mean_percent", "Mean score by council (%)", 1)):
            pivot = councils.pivot(index="council", columns="module", values=column) if len(councils) else None
            fig, ax = plt.subplots(figsize=(8, 0.8 + 0.4 * max(1, 0 if pivot is None else len(pivot))))
            if pivot is not None:
                pivot = pivot.reindex(list(dict.fromkeys(councils["council"])))
                pivot = pivot[[m for m in modules if m in pivot.columns]]
                values = pivot.to_numpy(dtype=float) * scale
                im = ax.imshow(values, aspect="auto", cmap="Blues", vmin=0, vmax=100)
                ax.set_xticks(range(len(pivot.columns)), pivot.columns, rotation=30, ha="right")
                ax.set_yticks(range(len(pivot.index)), pivot.index)
                for (r, c), v in np.ndenumerate(values):
                    if not np.isnan(v):
                        ax.text(c, r, f"{v:.0f}", ha="center", va="center", color="white" if v > 60 else "black",
                                fontsize=9)
                fig.colorbar(im, ax=ax, fraction=0.03)
            ax.grid(False)
            ax.set_title(title)
            figs[key] = fig
    return figs


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _missing(value) -> bool:
    import math

    return value is None or (isinstance(value, float) and math.isnan(value))


def _html_table(df, table_id: str, percent: tuple[str, ...] = (), fraction: tuple[str, ...] = ()) -> str:
    show = df.copy()
    for col in fraction:
        show[col] = [None if _missing(v) else round(100 * float(v), 1) for v in show[col]]
    for col in percent:
        show[col] = [None if _missing(v) else round(float(v), 1) for v in show[col]]
    return show.to_html(index=False, table_id=table_id, na_rep="", border=0, classes="data", escape=True)


def write_dashboard(course: str | Path | None = None, out: str | Path | None = None) -> Path:
    """Write the cohort dashboard (one HTML file, figures embedded).

    Parameters
    ----------
    course : str or pathlib.Path, optional
        The course folder; ``grading/`` by default.
    out : str or pathlib.Path, optional
        The HTML file; ``<course>/cohort/dashboard.html`` by default.

    Returns
    -------
    pathlib.Path
        The page written.

    Raises
    ------
    FileNotFoundError
        If the course has no gradebook.
    """
    from importlib import resources

    import jinja2

    course = _course(course)
    data = dashboard_data(course)
    figs = {k: _png(f) for k, f in dashboard_figures(data).items()}
    grades = data["grades"]
    by_council = []
    for council, g in grades.groupby("council", sort=True):
        table = g[["learner", "name", "module", "submitted", "score", "max_score", "percent", "status"]]
        by_council.append({"council": council, "learners": g["learner"].nunique(),
                           "table": _html_table(table, f"council-{council.lower().replace(' ', '-')}",
                                                percent=("percent",))})
    tables = {
        "completion": _html_table(data["completion"], "table-completion", fraction=("completion",)),
        "scores": _html_table(data["scores"], "table-scores", percent=("mean", "median", "min", "max", "q1", "q3")),
        "tests": _html_table(data["tests"], "table-tests", fraction=("pass_rate",), percent=("mean_score",)),
        "councils": _html_table(data["councils"], "table-councils", fraction=("completion",),
                                percent=("mean_percent",)),
        "behind": _html_table(data["behind"], "table-behind", percent=("mean_percent",)),
    }
    text = resources.files("curriculum").joinpath("resources", _TEMPLATE).read_text(encoding="utf-8")
    template = jinja2.Environment(autoescape=True).from_string(text)
    learners = grades["learner"].nunique()
    html = template.render(figs=figs, tables=tables, by_council=by_council, learners=learners,
                           modules=len(data["completion"]), behind=len(data["behind"]),
                           generated=time.strftime("%Y-%m-%d %H:%M"), course=str(course))
    path = Path(out) if out else course / "cohort" / "dashboard.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path


def export_csv(course: str | Path | None = None, out: str | Path | None = None) -> Path:
    """Write the grades as CSV: one row per learner and module (see :func:`grades_table`).

    Text cells are neutralised against spreadsheet formula injection (names come from learners).

    Parameters
    ----------
    course : str or pathlib.Path, optional
        The course folder; ``grading/`` by default.
    out : str or pathlib.Path, optional
        The CSV file; ``<course>/cohort/grades.csv`` by default.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    FileNotFoundError
        If the course has no gradebook.
    """
    course = _course(course)
    table = grades_table(course)
    for col in ("learner", "name", "council", "reasons"):
        table[col] = [("'" + v) if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v
                      for v in table[col]]
    path = Path(out) if out else course / "cohort" / "grades.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    table.to_csv(tmp, index=False)
    tmp.replace(path)
    return path
