"""Benchmarks of council reruns (not a test: run it by hand and report the figures).

1. Batch against sequential: every module for all ten councils, once as a plain
   sequential papermill loop and once through the batch runner's process pool, in one
   run on this machine. Prints both wall times, the speed-up and the peak memory of
   each (the process tree: runner, workers and kernels).
2. Scale: each data module on ten times the demo volume of one council (from the
   seeded generator), with its run time and the kernel's peak memory.
3. A million transactions: every module that reads spend, on one council's demo folder
   whose spend file is replaced by the spend generator's output at a million lines (the
   other files stay at demo volume), with run time and the kernel's peak memory.

Usage::

    .venv/bin/python benchmarks/run_benchmarks.py [--councils N] [--scale 10] [--skip-batch] [--skip-scale]
        [--spend-lines 1000000] [--skip-spend]

Results are printed and written to benchmarks/output/results.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import threading
import time
from pathlib import Path

import psutil

from curriculum.batch import run_batch
from curriculum.councils import COUNCIL_NAMES
from curriculum.demo import write_demo_data
from curriculum.runner import _parameters, run_notebook
from curriculum.syllabus import syllabus

HERE = Path(__file__).resolve().parent


class PeakMemory:
    """Sample the resident memory of this process and all its descendants."""

    def __init__(self, root: psutil.Process | None = None, interval: float = 0.1):
        self.root, self.interval, self.peak, self.peak_child = root or psutil.Process(), interval, 0, 0
        self._stop = threading.Event()

    def _sample(self):
        while not self._stop.is_set():
            total, biggest = 0, 0
            try:
                procs = [self.root] + self.root.children(recursive=True)
            except psutil.NoSuchProcess:
                procs = []
            for p in procs:
                try:
                    rss = p.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                if p is not self.root:
                    biggest = max(biggest, rss)
            self.peak, self.peak_child = max(self.peak, total), max(self.peak_child, biggest)
            time.sleep(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def sequential(modules, councils, out: Path) -> dict:
    failures = 0
    start = time.perf_counter()
    with PeakMemory() as mem:
        for council in councils:
            for mod in modules:
                folder = out / council.replace(" ", "-").lower()
                try:
                    run_notebook(mod.notebook_path(), folder / f"{mod.id}.ipynb", folder / f"{mod.id}.html",
                                 _parameters(mod, council, None, batch=True), label=mod.id)
                except Exception as exc:  # noqa: BLE001 - count and carry on, as the batch runner does
                    failures += 1
                    print("  failed:", exc)
    return {"seconds": time.perf_counter() - start, "peak_mb": mem.peak / 2**20, "failures": failures,
            "runs": len(modules) * len(councils)}


def batched(modules, councils, out: Path, workers: int | None) -> dict:
    start = time.perf_counter()
    with PeakMemory() as mem:
        results, _ = run_batch([m.id for m in modules], councils, out_dir=out, workers=workers, force=True, progress=False)
    return {"seconds": time.perf_counter() - start, "peak_mb": mem.peak / 2**20,
            "failures": sum(not r.ok for r in results), "runs": len(results)}


def scale_runs(modules, council: str, scale: float, work: Path) -> list[dict]:
    data = work / "data"
    t0 = time.perf_counter()
    write_demo_data(data, scale=scale, councils=[council])
    gen_seconds = time.perf_counter() - t0
    folder = data / council.replace(" ", "-").lower()
    shutil.copy(data / "mapping.yaml", folder / "mapping.yaml")
    rows = []
    for mod in modules:
        out = work / "out"
        start = time.perf_counter()
        with PeakMemory() as mem:
            try:
                run_notebook(mod.notebook_path(), out / f"{mod.id}.ipynb", out / f"{mod.id}.html",
                             _parameters(mod, council, folder, batch=True), label=mod.id)
                ok, error = True, None
            except Exception as exc:  # noqa: BLE001
                ok, error = False, str(exc)
        rows.append({"module": mod.id, "seconds": round(time.perf_counter() - start, 1), "ok": ok, "error": error,
                     "kernel_peak_mb": round(mem.peak_child / 2**20), "tree_peak_mb": round(mem.peak / 2**20)})
        print(f"  {mod.id:<32} {rows[-1]['seconds']:>6.1f} s  kernel peak {rows[-1]['kernel_peak_mb']:>5} MB  {'ok' if ok else error}")
    lines = {f.name: sum(1 for _ in open(f, encoding="utf-8")) - 1 for f in folder.glob("*.csv")}
    return [{"generated_seconds": round(gen_seconds, 1), "rows": lines}] + rows


def spend_runs(council: str, lines: int, work: Path) -> list[dict]:
    """Run every module that reads spend on a council folder holding ``lines`` spend lines."""
    import numpy as np

    from curriculum.councils import COUNCIL_NAMES, get_council
    from curriculum.datasets import demo_dir
    from curriculum.demo import DEFAULT_SEED, GENERATORS
    from curriculum.demo import spend as spend_generator

    folder = work / "spend" / get_council(council).slug
    shutil.copytree(demo_dir(council), folder)
    shutil.copy(demo_dir(council).parent / "mapping.yaml", folder / "mapping.yaml")
    base = sum(1 for _ in open(folder / "spend.csv", encoding="utf-8")) - 1
    rng = lambda: np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(council), GENERATORS.index("spend")])
    t0 = time.perf_counter()
    frame = spend_generator.generate(get_council(council), rng(), lines / base)["spend.csv"]
    frame.to_csv(folder / "spend.csv", index=False)
    gen_seconds = time.perf_counter() - t0
    print(f"  {len(frame):,} spend lines written in {gen_seconds:.0f} s ({(folder / 'spend.csv').stat().st_size / 2**20:.0f} MB)")
    modules = [m for m in syllabus() if "spend" in m.datasets]
    rows = [{"spend_lines": len(frame), "generated_seconds": round(gen_seconds, 1)}]
    for mod in modules:
        out = work / "spend-out"
        start = time.perf_counter()
        with PeakMemory() as mem:
            try:
                run_notebook(mod.notebook_path(), out / f"{mod.id}.ipynb", out / f"{mod.id}.html",
                             _parameters(mod, council, folder, batch=True), label=mod.id)
                ok, error = True, None
            except Exception as exc:  # noqa: BLE001
                ok, error = False, str(exc)
        rows.append({"module": mod.id, "seconds": round(time.perf_counter() - start, 1), "ok": ok, "error": error,
                     "kernel_peak_mb": round(mem.peak_child / 2**20), "tree_peak_mb": round(mem.peak / 2**20)})
        print(f"  {mod.id:<32} {rows[-1]['seconds']:>6.1f} s  kernel peak {rows[-1]['kernel_peak_mb']:>5} MB  {'ok' if ok else error}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=10)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--scale", type=float, default=10)
    parser.add_argument("--scale-council", default="Cardiff")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--spend-lines", type=int, default=1_000_000)
    parser.add_argument("--skip-spend", action="store_true")
    args = parser.parse_args()
    modules = syllabus()
    councils = list(COUNCIL_NAMES[: args.councils])
    results: dict = {"cpus": psutil.cpu_count(), "modules": len(modules), "councils": len(councils)}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.skip_batch:
            print(f"Sequential papermill loop: {len(modules)} modules x {len(councils)} councils ...")
            results["sequential"] = sequential(modules, councils, work / "seq")
            print(f"  {results['sequential']}")
            print("Batch runner (process pool) ...")
            results["batch"] = batched(modules, councils, work / "batch", args.workers)
            print(f"  {results['batch']}")
            results["speedup"] = results["sequential"]["seconds"] / results["batch"]["seconds"]
            print(f"Speed-up: {results['speedup']:.2f}x")
        if not args.skip_scale:
            print(f"Scale x{args.scale:g} for {args.scale_council}:")
            results["scale"] = scale_runs(modules, args.scale_council, args.scale, work / "scale")
        if not args.skip_spend:
            print(f"{args.spend_lines:,} spend lines for {args.scale_council}:")
            results["spend"] = spend_runs(args.scale_council, args.spend_lines, work)
    (HERE / "output").mkdir(exist_ok=True)
    (HERE / "output" / "results.json").write_text(json.dumps(results, indent=1, default=str))
    print(f"Written {HERE / 'output' / 'results.json'}")


if __name__ == "__main__":
    main()
