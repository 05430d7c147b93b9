"""Batch reruns: a process pool and a Dask LocalCluster, resumption, and a failure summary."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from curriculum.batch import plan_runs, run_batch
from curriculum.syllabus import get_module, tracks
from tests.conftest import ROOT

FAST = ["where_the_money_goes", "counts_rates_comparisons"]
COUNCILS = ["Torfaen", "Blaenau Gwent"]


def _summary(out):
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def pooled(tmp_path_factory):
    """Two modules for two councils on a two-process pool."""
    out = tmp_path_factory.mktemp("batch")
    results, skipped = run_batch(FAST, COUNCILS, out_dir=out, workers=2, progress=False)
    return out, results, skipped


def test_pool_runs_everything(pooled):
    """Every run succeeds on the pool, writes its report, and appears in the summary and the index."""
    out, results, skipped = pooled
    assert len(results) == 4 and all(r.ok for r in results), [r.error for r in results]
    assert not skipped
    rows = _summary(out)
    assert {(r["module"], r["council"]) for r in rows} == {(m, c) for m in FAST for c in COUNCILS}
    assert all(r["status"] == "ran" for r in rows)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{r.report}"' in page for r in results)


def test_finished_runs_are_skipped_unless_forced(pooled):
    """A second batch skips finished runs; --force reruns them."""
    out, _, _ = pooled
    todo, skipped = plan_runs(FAST, COUNCILS, out)
    assert not todo and len(skipped) == 4
    (out / "torfaen" / "where_the_money_goes.html").unlink()  # a lost report counts as unfinished
    todo, _ = plan_runs(FAST, COUNCILS, out)
    assert todo == [("where_the_money_goes", "Torfaen")]
    todo, skipped = plan_runs(FAST, COUNCILS, out, force=True)
    assert len(todo) == 4 and not skipped


def test_dask_local_cluster(tmp_path):
    """The same runs on a Dask LocalCluster give the same outputs."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        results, _ = run_batch(FAST[:1], COUNCILS, out_dir=tmp_path, scheduler=cluster.scheduler_address, progress=False)
    assert len(results) == 2 and all(r.ok for r in results), [r.error for r in results]
    recorded = json.loads((tmp_path / "runs.json").read_text())
    assert set(recorded) == {"torfaen/where_the_money_goes", "blaenau-gwent/where_the_money_goes"}


def test_one_failing_module_does_not_stop_the_others(tmp_path, monkeypatch):
    """A module that fails is reported with its cell and error; the other modules still run; the CLI exits 1."""
    root = tmp_path / "root"
    for track in tracks().values():
        shutil.copytree(ROOT / track.folder, root / track.folder)
    broken = get_module(FAST[1])
    nb = nbformat.read(root / broken.notebook, as_version=4)
    nb.cells.insert(len(nb.cells) // 2, nbformat.v4.new_code_cell("raise RuntimeError('planted failure')"))
    nbformat.write(nb, root / broken.notebook)
    monkeypatch.setenv("INFUSE_ROOT", str(root))
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "curriculum.cli", "run", *FAST, "--council", "Torfaen", "--out", str(out),
                           "--workers", "2", "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert "planted failure" in proc.stderr and "Traceback" not in proc.stderr
    rows = {r["module"]: r for r in _summary(out)}
    assert rows[FAST[0]]["status"] == "ran"
    assert rows[FAST[1]]["status"] == "failed" and "RuntimeError: planted failure" in rows[FAST[1]]["error"]
    assert "failed at cell" in rows[FAST[1]]["error"]
    assert not (out / "torfaen" / f"{FAST[1]}.html").exists(), "no report for a failed run"


def test_workers_must_be_positive(tmp_path):
    """workers=0 is refused, naming the argument."""
    with pytest.raises(ValueError, match="workers"):
        run_batch(FAST, ["Torfaen"], out_dir=tmp_path, workers=0, progress=False)


def test_runs_are_ordered_longest_first(tmp_path):
    """Runs with the longest recorded time go first and runs never timed before them, so none is left for the end."""
    import json

    from curriculum.batch import _longest_first

    (tmp_path / "runs.json").write_text(json.dumps({
        "cardiff/a": {"seconds": 2.0}, "cardiff/b": {"seconds": 9.0}, "newport/a": {"seconds": 5.0},
        "cardiff/b.cy": {"seconds": 100.0}}), encoding="utf-8")
    todo = [("a", "Cardiff"), ("b", "Cardiff"), ("a", "Newport"), ("c", "Cardiff")]
    assert _longest_first(tmp_path, todo, "en") == [("c", "Cardiff"), ("b", "Cardiff"), ("a", "Newport"), ("a", "Cardiff")]
    assert _longest_first(tmp_path / "nowhere", todo, "en") == todo, "with no history the order is kept"


def test_bad_data_stop_a_parallel_batch_before_anything_runs(tmp_path, council_folder):
    """The pool checks the data first: one bad value stops the batch with its message, and nothing is written."""
    from curriculum.errors import DataError
    from tests.conftest import SPEND_CSV, SPEND_MAPPING

    folder = council_folder(SPEND_CSV.replace("1200.50", "n/k"), SPEND_MAPPING)
    out = tmp_path / "out"
    with pytest.raises(DataError, match="'n/k'"):
        run_batch(["where_the_money_goes", "cleaning_supplier_names"], ["Testshire"], data_dir=folder, out_dir=out,
                  workers=2, progress=False)
    assert not out.exists(), "nothing is written when the data are invalid"
