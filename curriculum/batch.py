"""Batch reruns: many modules for many councils, on a process pool or a Dask cluster.

The parent process plans the runs, validates every council's data before anything
starts, hands each (module, council) run to a worker, and is the only writer of the
run record (``runs.json``), the summary (``summary.csv``) and the index page. A run
that finished earlier is skipped unless forced; one failing module never stops the
others.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Iterable

from curriculum.runner import (
    RunResult,
    _record,
    check_language,
    council_slug,
    preflight,
    run_key,
    run_module,
    write_index,
)
from curriculum.syllabus import get_module, syllabus
from curriculum.threads import single_threaded_environment

__all__ = ["plan_runs", "run_batch", "write_summary"]

_TRANSIENT = ("Kernel didn't respond", "Address already in use", "Kernel died", "DeadKernelError")
def _longest_first(out: Path, todo: list[tuple[str, str]], language: str) -> list[tuple[str, str]]:
    """Order runs by their last recorded time, longest (or never timed) first, so no long run is left for the end."""
    path = out / "runs.json"
    runs = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    seconds = {job: runs.get(run_key(job[1], job[0], language), {}).get("seconds") for job in todo}
    return sorted(todo, key=lambda job: -(seconds[job] if seconds[job] is not None else float("inf")))


def _finished(out: Path, module_id: str, council: str, language: str = "en") -> bool:
    path = out / "runs.json"
    if not path.exists():
        return False
    entry = json.loads(path.read_text(encoding="utf-8")).get(run_key(council, module_id, language))
    return bool(entry and entry.get("ok") and (out / entry["report"]).exists()
                and (entry.get("notebook") is None or (out / entry["notebook"]).exists()))


def plan_runs(modules: Iterable[str] | None, councils: Iterable[str], out_dir: str | Path, *,
              force: bool = False, language: str = "en") -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Split the requested runs into those to do and those already finished.

    Parameters
    ----------
    modules : iterable of str or None
        Module ids; None for every module in the syllabus.
    councils : iterable of str
        Council labels.
    out_dir : str or pathlib.Path
        The output folder holding earlier runs.
    force : bool, default False
        Redo finished runs too.
    language : str, default "en"
        The language of the runs (Welsh runs are kept apart from English ones).

    Returns
    -------
    tuple of (list, list)
        ``(to_run, skipped)``, each a list of ``(module id, council)``.

    Raises
    ------
    UnknownModuleError
        If a module id is not in the syllabus.
    """
    ids = [get_module(m).id for m in modules] if modules else [m.id for m in syllabus()]
    jobs = [(m, c) for c in councils for m in ids]
    if force:
        return jobs, []
    out = Path(out_dir)
    skipped = [j for j in jobs if _finished(out, *j, language)]
    return [j for j in jobs if j not in skipped], skipped


def _check_council(module_ids: list[str], council: str, data_dir: str | None) -> list[str]:
    """Preflight one council (in a worker): validate its data for the modules, return its label."""
    return preflight([get_module(m) for m in module_ids], [council], data_dir)


def _checked_labels(submit, module_ids: list[str], councils: list[str], data_dir: str | None) -> list[str]:
    """Check every council's data with ``submit`` (a pool's or a Dask client's), one job per council.

    The first failure, in council order, is raised once every check has finished, so a
    batch with bad data stops before anything runs, exactly as a serial preflight would.
    """
    futures = [submit(_check_council, module_ids, council, data_dir) for council in councils]
    outcomes = []
    for future in futures:
        try:
            outcomes.append(future.result())
        except Exception as exc:  # noqa: BLE001 - re-raised below, after every check is in
            outcomes.append(exc)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return [label for labels in outcomes for label in labels]


def _run_one(module_id: str, council: str, data_dir: str | None, out_dir: str, hide_code: bool, timeout: int,
             publish: bool = False, language: str = "en") -> RunResult:
    start = time.perf_counter()
    kw = dict(data_dir=data_dir, out_dir=out_dir, hide_code=hide_code, publish=publish, timeout=timeout,
              language=language)
    try:
        result = run_module(module_id, council, **kw)
        if not result.ok and any(t in (result.error or "") for t in _TRANSIENT):
            result = run_module(module_id, council, **kw)
    except Exception as exc:  # a worker must always report back, whatever went wrong
        first = (str(exc).strip().splitlines() or [""])[0]
        return RunResult(module_id, council, False, time.perf_counter() - start,
                         error=f"{module_id} for {council} failed: {type(exc).__name__}: {first}", language=language)
    return result


def write_summary(out_dir: str | Path, results: list[RunResult], skipped: list[tuple[str, str]]) -> Path:
    """Write ``summary.csv``: one row per requested run with its status, time and error.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        The output folder.
    results : list of RunResult
        Runs done in this batch.
    skipped : list of (module id, council)
        Runs skipped because they had finished earlier.

    Returns
    -------
    pathlib.Path
        The summary file.
    """
    path = Path(out_dir) / "summary.csv"
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["module", "council", "status", "seconds", "report", "error"])
        for r in results:
            writer.writerow([r.module, r.council, "ran" if r.ok else "failed", f"{r.seconds:.1f}", r.report or "", r.error or ""])
        for module_id, council in skipped:
            writer.writerow([module_id, council, "skipped (finished earlier)", "", "", ""])
    os.replace(tmp, path)
    return path


def run_batch(modules: Iterable[str] | None = None, councils: Iterable[str] = ("Cardiff",), *,
              data_dir: str | Path | None = None, out_dir: str | Path = "reports", workers: int | None = None,
              scheduler: str | None = None, force: bool = False, hide_code: bool = False, publish: bool = False,
              progress: bool = True, timeout: int = 600,
              language: str = "en") -> tuple[list[RunResult], list[tuple[str, str]]]:
    """Run modules for councils in parallel, resumably, and write the summary and index.

    Parameters
    ----------
    modules : iterable of str, optional
        Module ids; every module by default.
    councils : iterable of str, default ("Cardiff",)
        Councils (demo data), or one council's label with ``data_dir``.
    data_dir : str or pathlib.Path, optional
        One council's own data folder.
    out_dir : str or pathlib.Path, default "reports"
        Output folder.
    workers : int, optional
        Processes in the local pool; one per core by default. Ignored with ``scheduler``.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``) to run on instead of a local pool.
    force : bool, default False
        Rerun runs that finished earlier.
    hide_code : bool, default False
        Leave code out of the HTML reports.
    publish : bool, default False
        Publish mode: reports show only prose and cells tagged ``publish``,
        screened for personal data; executed notebooks are not kept.
    progress : bool, default True
        Show a progress bar with the time left.
    timeout : int, default 600
        Seconds allowed per cell.
    language : str, default "en"
        ``"cy"`` runs the Welsh versions (only modules with a ``language``
        parameter offer one).

    Returns
    -------
    tuple of (list of RunResult, list of (module id, council))
        The runs done (in completion order) and the runs skipped.

    Raises
    ------
    DataError, MappingError
        If any council's data fail validation; nothing runs.
    ValueError
        If ``workers`` is not positive, ``data_dir`` comes with more than one
        council, or a module has no version in ``language``.
    """
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    mods = [get_module(m) for m in modules] if modules else syllabus()
    for mod in mods:
        check_language(mod, language)
    councils = list(councils)
    if data_dir is not None and len(councils) != 1:
        raise ValueError(f"data_dir holds one council's data; give exactly one council, got {councils}")
    out = Path(out_dir).resolve()
    data = str(Path(data_dir).resolve()) if data_dir is not None else None
    ids = [m.id for m in mods]
    results: list[RunResult] = []
    bar = None

    def start(labels: list[str]) -> list[tuple]:
        """After every check passed: plan the runs, and return the arguments of those to do."""
        nonlocal bar, skipped
        out.mkdir(parents=True, exist_ok=True)
        todo, skipped = plan_runs(ids, labels, out, force=force, language=language)
        if progress and todo:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(todo), unit="run", desc="Batch", smoothing=0)
        return [(m, c, data, str(out), hide_code, timeout, publish, language)
                for m, c in _longest_first(out, todo, language)]

    skipped: list[tuple[str, str]] = []

    def collect(result: RunResult) -> None:
        results.append(result)
        _record(out, result)
        if bar is not None:
            bar.update(1)
            if not result.ok:
                bar.write(result.error or "")

    # Every council's data are checked before anything runs (in parallel, one council per job);
    # one bad file stops the batch with its message and nothing is written.
    if scheduler:
        from distributed import Client
        from distributed import as_completed as dask_completed

        with Client(scheduler) as client:
            client.run(single_threaded_environment)
            args = start(_checked_labels(lambda *a: client.submit(*a, pure=False), ids, councils, data))
            futures = [client.submit(_run_one, *a, pure=False, key=f"{a[0]}-{council_slug(a[1])}-{time.time_ns()}")
                       for a in args]
            for future in dask_completed(futures):
                collect(future.result())
    else:
        size = min(workers or os.cpu_count() or 1, len(ids) * len(councils))
        if size == 1:
            args = start(preflight(mods, councils, data_dir))
            for a in args:
                collect(_run_one(*a))
        else:
            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=size, mp_context=ctx, initializer=single_threaded_environment) as pool:
                args = start(_checked_labels(pool.submit, ids, councils, data))
                futures = [pool.submit(_run_one, *a) for a in args]
                for future in as_completed(futures):
                    collect(future.result())
    if bar is not None:
        bar.close()
    write_summary(out, results, skipped)
    write_index(out)
    return results, skipped
