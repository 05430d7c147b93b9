"""Benchmark: autograding a synthetic cohort serially with stock nbgrader vs in parallel sandboxes.

Makes a throwaway course with one module generated, writes a realistic cohort of
submissions (full, partial, blank and erroring answers; 120 of a Data Lab module by
default), then times, in one run:

1. ``serial``: stock ``nbgrader autograde MODULE`` over the whole cohort (one submission
   after another, unsandboxed: what a trainer runs today);
2. ``parallel``: :func:`curriculum.autograde.autograde_all` with ``--workers`` processes,
   every submission in its own sandbox;
3. ``dask`` (unless ``--skip-dask``): the same on a Dask ``LocalCluster`` of ``--workers``
   single-threaded worker processes;
4. ``sandboxed_one_worker``: the sandboxed grader with one worker on the first
   ``--overhead-sample`` learners. Its time per submission less stock nbgrader's is the
   grader's overhead per submission (sandbox set-up, the throwaway course, the checks).

It checks that every learner's scores are identical in all runs and writes the figures, with
the machine's core count and load average, to ``benchmarks/output/grading.json``.

    python benchmarks/grading_benchmark.py --module forecasting_demand --learners 120 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def _scores(course: Path, module: str) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "infuse") as gb:
        return {s.student.id: {g.name: (g.auto_score, g.needs_manual_grade) for nb in s.notebooks for g in nb.grades}
                for s in gb.assignment_submissions(module)}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        0 when every run gave the same scores, 1 otherwise.
    """
    from curriculum.autograde import autograde_all
    from curriculum.grading import nbgrader
    from curriculum.sandbox import SandboxLimits
    from curriculum.submissions import make_submissions, prepare_course

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--module", default="forecasting_demand")
    p.add_argument("--learners", type=int, default=120)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--skip-dask", action="store_true", help="do not time the grader on a Dask LocalCluster")
    p.add_argument("--overhead-sample", type=int, default=12,
                   help="learners graded by the sandboxed grader with one worker, for the overhead per submission")
    p.add_argument("--out", default=str(Path(__file__).resolve().parent / "output" / "grading.json"))
    args = p.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="grading-bench-"))
    try:
        base = prepare_course(args.module, root / "base")
        made = make_submissions(args.module, base, learners=args.learners)
        names = ["serial", "parallel"] + ([] if args.skip_dask else ["dask"]) + ["sandboxed_one_worker"]
        courses = {name: shutil.copytree(base, root / name) for name in names}
        sample = sorted(s.student for s in made)[:args.overhead_sample]
        limits = SandboxLimits(cell_timeout=300, notebook_timeout=1800)
        timings, counts = {}, {}
        load_before = os.getloadavg()

        start = time.perf_counter()
        nbgrader("autograde", args.module, course=courses["serial"],
                 env={"INFUSE_EXCHANGE": str(root / "exchange")})
        timings["serial"], counts["serial"] = time.perf_counter() - start, len(made)
        print(f"serial stock nbgrader autograde: {timings['serial']:.1f} s", flush=True)

        start = time.perf_counter()
        report = autograde_all(args.module, courses["parallel"], workers=args.workers, limits=limits, progress=True)
        timings["parallel"], counts["parallel"] = time.perf_counter() - start, len(made)
        print(f"parallel sandboxed ({args.workers} workers): {timings['parallel']:.1f} s", flush=True)
        errors = list(report.errors)

        if not args.skip_dask:
            from distributed import LocalCluster

            with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster:
                start = time.perf_counter()
                report = autograde_all(args.module, courses["dask"], scheduler=cluster.scheduler_address,
                                       limits=limits, progress=True)
                timings["dask"], counts["dask"] = time.perf_counter() - start, len(made)
            print(f"Dask LocalCluster ({args.workers} workers): {timings['dask']:.1f} s", flush=True)
            errors += report.errors

        start = time.perf_counter()
        report = autograde_all(args.module, courses["sandboxed_one_worker"], workers=1, students=sample,
                               limits=limits, progress=True)
        timings["sandboxed_one_worker"] = time.perf_counter() - start
        counts["sandboxed_one_worker"] = len(sample)
        print(f"sandboxed, one worker, {len(sample)} learners: {timings['sandboxed_one_worker']:.1f} s", flush=True)
        errors += report.errors

        reference = _scores(courses["serial"], args.module)
        identical = {}
        for name, course in courses.items():
            got = _scores(course, args.module)
            identical[name] = bool(got) and all(got[s] == reference[s] for s in got) and len(got) == counts[name]
        kinds: dict[str, int] = {}
        for s in made:
            kinds[s.kind] = kinds.get(s.kind, 0) + 1
        result = {
            "module": args.module, "submissions": len(made), "kinds": kinds, "workers": args.workers,
            "cores": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "seconds": {k: round(v, 1) for k, v in timings.items()},
            "submissions_timed": counts,
            "seconds_per_submission": {k: round(v / counts[k], 2) for k, v in timings.items()},
            "overhead_per_submission_s": round(timings["sandboxed_one_worker"] / counts["sandboxed_one_worker"]
                                               - timings["serial"] / counts["serial"], 2),
            "speedup_parallel_vs_serial": round(timings["serial"] / timings["parallel"], 2),
            "scores_identical_to_serial": identical,
            "errors": [str(e) for e in errors],
        }
        if "dask" in timings:
            result["speedup_dask_vs_serial"] = round(timings["serial"] / timings["dask"], 2)
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1), encoding="utf-8")
        print(json.dumps(result, indent=1))
        return 0 if all(identical.values()) and not errors else 1
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
