"""Benchmark: autograding a synthetic cohort serially with stock nbgrader vs in parallel sandboxes.

Makes a throwaway course with one module generated, writes a realistic cohort of
submissions (full, partial, blank and erroring answers), then times:

1. ``serial``: stock ``nbgrader autograde MODULE`` over the whole cohort (one submission
   after another, unsandboxed: what a trainer runs today);
2. ``parallel``: :func:`curriculum.autograde.autograde_all` with ``--workers`` processes,
   every submission in its own sandbox;
3. optionally (``--sandboxed-serial``) the same with one worker, to show the sandbox's own cost.

It checks that every learner's scores are identical in all runs and writes the figures, with
the machine's core count and load average, to ``benchmarks/output/grading.json``.

    python benchmarks/grading_benchmark.py --learners 24 --workers 2
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
    p.add_argument("--module", default="where_the_money_goes")
    p.add_argument("--learners", type=int, default=24)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--sandboxed-serial", action="store_true", help="also time the sandboxed grader with one worker")
    p.add_argument("--out", default=str(Path(__file__).resolve().parent / "output" / "grading.json"))
    args = p.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="grading-bench-"))
    try:
        base = prepare_course(args.module, root / "base")
        made = make_submissions(args.module, base, learners=args.learners)
        courses = {name: shutil.copytree(base, root / name) for name in ("serial", "parallel")}
        if args.sandboxed_serial:
            courses["sandboxed_serial"] = shutil.copytree(base, root / "sandboxed_serial")
        limits = SandboxLimits(cell_timeout=300, notebook_timeout=1800)
        timings = {}
        load_before = os.getloadavg()

        start = time.perf_counter()
        nbgrader("autograde", args.module, course=courses["serial"],
                 env={"INFUSE_EXCHANGE": str(root / "exchange")})
        timings["serial"] = time.perf_counter() - start
        print(f"serial stock nbgrader autograde: {timings['serial']:.1f} s", flush=True)

        start = time.perf_counter()
        report = autograde_all(args.module, courses["parallel"], workers=args.workers, limits=limits, progress=True)
        timings["parallel"] = time.perf_counter() - start
        print(f"parallel sandboxed ({args.workers} workers): {timings['parallel']:.1f} s", flush=True)
        if args.sandboxed_serial:
            start = time.perf_counter()
            autograde_all(args.module, courses["sandboxed_serial"], workers=1, limits=limits, progress=True)
            timings["sandboxed_serial"] = time.perf_counter() - start
            print(f"sandboxed, one worker: {timings['sandboxed_serial']:.1f} s", flush=True)

        reference = _scores(courses["serial"], args.module)
        identical = {name: _scores(course, args.module) == reference for name, course in courses.items()}
        kinds: dict[str, int] = {}
        for s in made:
            kinds[s.kind] = kinds.get(s.kind, 0) + 1
        result = {
            "module": args.module, "submissions": len(made), "kinds": kinds, "workers": args.workers,
            "cores": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "seconds": {k: round(v, 1) for k, v in timings.items()},
            "seconds_per_submission": {k: round(v / len(made), 2) for k, v in timings.items()},
            "speedup_parallel_vs_serial": round(timings["serial"] / timings["parallel"], 2),
            "scores_identical_to_serial": identical,
            "errors": len(report.errors),
        }
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1), encoding="utf-8")
        print(json.dumps(result, indent=1))
        return 0 if all(identical.values()) and not report.errors else 1
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
