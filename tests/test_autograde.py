"""Autograding a cohort in parallel and in sandboxes: containment, fault tolerance, resuming, identity.

One module (``where_the_money_goes``: small, with hidden tests) is generated in a throwaway
course and a synthetic cohort is written into it: three ordinary learners (full, partial,
erroring), three faults (a kernel crash, a cell that ignores interrupts, a file that is not a
notebook) and the eleven
adversarial submissions (infinite loop, memory bomb, fork bomb, reading another learner's
notebook, writing the gradebook, network, edited, deleted, duplicated, re-typed and
re-identified tests). The batch is graded on a two-process pool, interrupted after three
results and rerun, so the same fixture proves that partial results are kept and that a rerun
picks up where it stopped. The ordinary learners are also graded by a serial stock
``nbgrader autograde`` in a copy of the course, and on a Dask LocalCluster, and every score
must agree.

Sandboxing needs root and Linux namespaces; without them every test here is skipped with
that reason (and the grader refuses to grade, which ``test_refuses_to_grade_unsandboxed``
checks on any machine).
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from curriculum import autograde
from curriculum.autograde import autograde_all, inspect_submission, read_results
from curriculum.sandbox import (
    SandboxLimits,
    SandboxUnavailable,
    processes_of_uid,
)
from curriculum.submissions import ADVERSARIAL, make_submissions, prepare_course
from tests.grading_helpers import SANDBOX_REASON as REASON
from tests.grading_helpers import needs_sandbox, with_alembic

MODULE = "where_the_money_goes"
LIMITS = SandboxLimits(cell_timeout=15, notebook_timeout=300, memory_bytes=2 * 2**30)
ORDINARY = {"full": 1, "partial": 1, "erroring": 1}  # blank: every adversarial one is
FAULTS = ("crash", "hang", "broken")
STOP_AFTER = 3


class _Stop(Exception):
    """Raised from the on_result hook to interrupt a batch half-way."""


@pytest.fixture(scope="module")
def canary():
    """A TCP server on this machine's loopback that records every connection it receives."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted: list = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                accepted.append(server.accept())
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A course with the module generated and nobody's submission yet."""
    if REASON is not None:
        pytest.skip(f"cannot sandbox on this machine: {REASON}")
    return prepare_course(MODULE, tmp_path_factory.mktemp("pristine") / "course")


def _copy_course(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("exchange"))
    return dest


@pytest.fixture(scope="module")
def graded(pristine, canary, tmp_path_factory):
    """The cohort, graded on a 2-process pool: interrupted after three results, then rerun."""
    course = _copy_course(pristine, tmp_path_factory.mktemp("cohort") / "course")
    port, _ = canary
    made = make_submissions(MODULE, course, learners=len(ORDINARY), mix=ORDINARY,
                            adversarial=ADVERSARIAL + FAULTS, canary_port=port)
    ordinary = [s.student for s in made if s.kind in ORDINARY]
    # the same submissions for a serial stock nbgrader run, before anything is graded
    stock = _copy_course(course, tmp_path_factory.mktemp("stock") / "course")
    for s in made:
        if s.kind not in ORDINARY:
            shutil.rmtree(stock / "submitted" / s.student)
    seen = []

    def stop_half_way(entry):
        seen.append(entry["student"])
        if len(seen) == STOP_AFTER:
            raise _Stop

    start = time.perf_counter()
    with pytest.raises(_Stop):
        autograde_all(MODULE, course, workers=2, limits=LIMITS, progress=False, on_result=stop_half_way)
    first = {"students": list(seen), "results": json.loads(json.dumps(read_results(course))),
             "submissions": _submissions(course)}
    report = autograde_all(MODULE, course, workers=2, limits=LIMITS, progress=False)
    return {"course": course, "pristine": pristine, "made": {s.student: s.kind for s in made}, "ordinary": ordinary,
            "stock": stock,
            "first": first, "report": report, "seconds": time.perf_counter() - start}


@pytest.fixture(scope="module")
def stock_scores(graded):
    """Scores from a serial stock `nbgrader autograde` of the ordinary learners."""
    from curriculum.grading import nbgrader

    stock = graded["stock"]
    nbgrader("autograde", MODULE, course=stock, env={"INFUSE_EXCHANGE": str(stock / "exchange")})
    return _scores(stock)


def _submissions(course: Path) -> set[str]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "infuse") as gb:
        return {s.student.id for s in gb.assignment_submissions(MODULE)}


def _scores(course: Path) -> dict:
    """learner -> {cell: (auto_score, manual_score, needs_manual_grade, max_score)} and comments and totals."""
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "infuse") as gb:
        for sub in gb.assignment_submissions(MODULE):
            cells = {}
            for nb in sub.notebooks:
                for g in nb.grades:
                    cells[g.name] = (g.auto_score, g.manual_score, g.needs_manual_grade, g.max_score)
                for c in nb.comments:
                    cells[f"comment:{c.name}"] = c.auto_comment
                cells["late_penalty"] = nb.late_submission_penalty
            cells["timestamp"] = sub.timestamp
            cells["score"] = sub.score
            out[sub.student.id] = cells
    return out


def _tests(course: Path) -> set[str]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "infuse") as gb:
        nb = gb.find_notebook(MODULE, MODULE)
        solution = {c.name for c in nb.solution_cells}
        return {c.name for c in nb.grade_cells if c.cell_type == "code" and c.name not in solution}


@needs_sandbox
def test_interrupted_batch_keeps_its_results_and_the_rerun_picks_up(graded):
    """Stopped after three results, gradebook and results table hold exactly those three; the rerun does the rest."""
    first = graded["first"]
    assert len(first["students"]) == STOP_AFTER
    assert set(first["results"][MODULE]) == set(first["students"]), "results table holds exactly the merged ones"
    assert first["submissions"] == set(first["students"]), "gradebook holds exactly the merged ones"
    report = graded["report"]
    assert sorted(report.skipped) == sorted(first["students"]), "the rerun skipped what was already graded"
    redone = {r["student"] for r in report.results}
    assert redone == set(graded["made"]) - set(first["students"]), "the rerun graded every other submission"
    assert set(read_results(graded["course"])[MODULE]) == set(graded["made"])
    assert not report.errors, f"grader errors: {report.errors}"


@needs_sandbox
def test_parallel_scores_identical_to_serial_nbgrader(graded, stock_scores):
    """Every ordinary learner's grades, comments, penalty and timestamp match a serial stock nbgrader autograde."""
    ours = _scores(graded["course"])
    assert set(stock_scores) == set(graded["ordinary"])
    for learner in graded["ordinary"]:
        assert ours[learner] == stock_scores[learner], f"{learner} ({graded['made'][learner]}) differs from nbgrader"
        assert (graded["course"] / "autograded" / learner / MODULE / f"{MODULE}.ipynb").exists()
    full = next(s for s, k in graded["made"].items() if k == "full")
    tests = _tests(graded["course"])
    assert all(ours[full][t][0] == ours[full][t][3] for t in tests), "the model solution earns every test's points"


EXPECTED_REASON = {
    "infinite_loop": r"per-cell time limit",
    "memory_bomb": r"memory limit",
    "fork_bomb": r"process limit|still running after grading",
    "read_other": r"other learners' files",
    "write_gradebook": r"gradebook",
    "network": r"network",
    "edit_tests": r"was edited",
    "delete_tests": r"missing from the submission",
    "duplicate_cells": r"appears 2 times",
    "change_cell_types": r"changed from a code cell to a markdown cell",
    "change_ids": r"which the assignment does not have",
}
TAMPERING = ("edit_tests", "delete_tests", "duplicate_cells", "change_cell_types", "change_ids")


@needs_sandbox
@pytest.mark.parametrize("kind", ADVERSARIAL)
def test_adversarial_submission_is_contained_and_scores_zero(graded, kind):
    """Each attack is graded (zero on every test) with a clear reason recorded, and any attack output says blocked."""
    learner = f"adv-{kind.replace('_', '-')}"
    entry = read_results(graded["course"])[MODULE][learner]
    assert entry["status"] in ("graded", "zeroed"), entry
    assert any(re.search(EXPECTED_REASON[kind], r) for r in entry["reasons"]), (
        f"no reason matching {EXPECTED_REASON[kind]!r} in {entry['reasons']}")
    scores = _scores(graded["course"])[learner]
    earned = {t: scores[t][0] for t in _tests(graded["course"]) if scores[t][0] != 0}
    assert not earned, f"{kind} earned points (or was left ungraded): {earned}"
    if kind in TAMPERING:
        assert entry["tampered"], "the tampered tests are listed"
    autograded = graded["course"] / "autograded" / learner / MODULE / f"{MODULE}.ipynb"
    if kind in ("read_other", "write_gradebook", "network"):
        import nbformat

        nb = nbformat.read(autograded, as_version=4)
        printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        assert f"ATTACK {kind}: blocked" in printed, "the attack ran and reported being blocked"
        assert "SUCCEEDED" not in printed, "the attack succeeded"


@needs_sandbox
def test_attacks_left_no_trace(graded, canary):
    """No connection reached this machine, no grade was forged, no process of any submission is left running."""
    _, accepted = canary
    assert not accepted, "the network attack reached a server on this machine"
    con = sqlite3.connect(graded["course"] / "gradebook.db")
    try:
        forged = con.execute("SELECT COUNT(*) FROM grade WHERE auto_score = 99").fetchone()[0]
    finally:
        con.close()
    assert forged == 0, "the gradebook attack wrote grades"
    uids = {e["sandbox_uid"] for e in read_results(graded["course"])[MODULE].values() if e.get("sandbox_uid")}
    assert uids, "sandbox uids are recorded"
    left = {uid: processes_of_uid(uid) for uid in uids}
    assert not any(left.values()), f"processes left running: {left}"


@needs_sandbox
def test_faults_never_abort_the_batch(graded):
    """A kernel crash, a cell ignoring interrupts and a file that is not a notebook score zero, with a reason."""
    results = read_results(graded["course"])[MODULE]
    expected = {"adv-crash": r"kernel died", "adv-hang": r"ignored the interrupt",
                "adv-broken": r"not a readable notebook"}
    scores = _scores(graded["course"])
    for learner, reason in expected.items():
        assert results[learner]["status"] == "zeroed", results[learner]
        assert re.search(reason, " ".join(results[learner]["reasons"])), results[learner]
        tests = _tests(graded["course"])
        assert all(v[0] == 0 for k, v in scores[learner].items() if k in tests), "a zero is written for it"
    for learner in graded["ordinary"]:
        assert results[learner]["status"] == "graded", results[learner]


@needs_sandbox
def test_notebook_time_limit_stops_one_submission_only(graded):
    """A submission whose cells are each quick but which takes too long overall is stopped; other grades stay."""
    course = graded["course"]
    before = _scores(course)
    make_submissions(MODULE, course, learners=0, adversarial=("slow",))
    short = SandboxLimits(cell_timeout=15, notebook_timeout=14, memory_bytes=2 * 2**30)
    report = autograde_all(MODULE, course, workers=1, limits=short, progress=False, students=["adv-slow"])
    entry = report.results[0]
    assert entry["status"] == "zeroed" and any("time limit for a whole notebook" in r for r in entry["reasons"]), entry
    assert entry["seconds"] < 120
    after = _scores(course)
    assert {k: v for k, v in after.items() if k != "adv-slow"} == before, "other learners' grades changed"
    assert processes_of_uid(entry["sandbox_uid"]) == []


@needs_sandbox
def test_dask_cluster_grades_the_same(graded, tmp_path):
    """Graded on a Dask LocalCluster, learners get the same scores as on the local pool."""
    from distributed import LocalCluster

    course = _copy_course(graded["pristine"], tmp_path / "course")
    keep = [s for s, k in graded["made"].items() if k in ("full", "erroring")]
    for learner in keep:
        shutil.copytree(graded["course"] / "submitted" / learner, course / "submitted" / learner)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        report = autograde_all(MODULE, course, scheduler=cluster.scheduler_address, limits=LIMITS, progress=False)
    assert {r["student"] for r in report.results} == set(keep)
    assert not report.errors, report.errors
    ours, pool = _scores(course), _scores(graded["course"])
    for learner in keep:
        assert ours[learner] == pool[learner], f"{learner}: Dask and pool scores differ"


@needs_sandbox
def test_tampering_is_detected_before_grading(pristine, tmp_path):
    """inspect_submission names every tampering and lists the tests concerned; untouched notebooks pass clean."""
    import nbformat

    course = _copy_course(pristine, tmp_path / "course")
    made = make_submissions(MODULE, course, learners=2, mix={"full": 1, "blank": 1},
                            adversarial=TAMPERING)
    sources = autograde._source_cells(course / "gradebook.db", MODULE, "infuse")[MODULE]
    tests = _tests(course)
    for s in made:
        nb = nbformat.read(s.folder / f"{MODULE}.ipynb", as_version=4)
        reasons, tampered = inspect_submission(nb, sources)
        if s.kind in ("full", "blank"):
            assert reasons == [] and tampered == [], f"{s.kind}: {reasons}"
        else:
            assert set(tampered) == tests, f"{s.kind}: {tampered}"
            assert any(re.search(EXPECTED_REASON[s.kind], r) for r in reasons), reasons


def test_refuses_to_grade_unsandboxed(tmp_path, monkeypatch):
    """When the machine cannot sandbox, nothing is graded and the error says why."""
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(Path(autograde.__file__).resolve().parent.parent / "grading" / "nbgrader_config.py", course)
    from nbgrader.api import Gradebook

    with with_alembic(), Gradebook(f"sqlite:///{course / 'gradebook.db'}", "infuse") as gb:
        gb.add_assignment(MODULE)
    (course / "submitted" / "someone" / MODULE).mkdir(parents=True)

    def refuse():
        raise SandboxUnavailable("sandboxing needs root")

    monkeypatch.setattr(autograde, "check_sandbox", refuse)
    with pytest.raises(SandboxUnavailable, match="needs root"):
        autograde_all(MODULE, course, progress=False)
    assert not (course / autograde.RESULTS_FILE).exists()


def test_unknown_module_and_bad_arguments_are_named(tmp_path):
    """Mistakes name the bad argument."""
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(Path(autograde.__file__).resolve().parent.parent / "grading" / "nbgrader_config.py", course)
    with pytest.raises(ValueError, match="workers"):
        autograde_all(MODULE, course, workers=0)
    with pytest.raises(ValueError, match="tamper"):
        autograde_all(MODULE, course, tamper="forgive")
    with pytest.raises(ValueError, match="no gradebook"):
        autograde_all(MODULE, course)
    with pytest.raises(FileNotFoundError, match="nbgrader_config.py"):
        autograde_all(MODULE, tmp_path)


@needs_sandbox
def test_cli_rerun_skips_and_writes_the_results_csv(graded, capsys):
    """`infuse cohort autograde` on a graded course skips everyone and exits 0; the CSV has one row per learner."""
    from curriculum.cli import main

    status = main(["cohort", "autograde", MODULE, "--course-dir", str(graded["course"]), "--quiet"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "were skipped" in out
    rows = (graded["course"] / "autograde_results.csv").read_text(encoding="utf-8").strip().splitlines()
    learners = set(read_results(graded["course"])[MODULE])
    assert len(rows) == 1 + len(learners)
