"""The ``infuse`` command: run modules, check data, make demo data, drive grading."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from curriculum.errors import CurriculumError

__all__ = ["main"]


def _cmd_list(args: argparse.Namespace) -> int:
    from curriculum.syllabus import syllabus, tracks

    for track in tracks().values():
        print(f"{track.title} ({track.folder}/)")
        for m in syllabus(track.id):
            print(f"  {m.id:<28} {m.minutes:>4} min  {m.title}  [data: {', '.join(m.datasets)}]")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    import time

    from curriculum.batch import run_batch
    from curriculum.councils import COUNCIL_NAMES
    from curriculum.syllabus import syllabus

    if args.all and args.modules:
        raise CurriculumError("give module ids or --all, not both")
    modules = args.modules or [m.id for m in syllabus(args.track)
                               if args.language == "en" or "language" in m.parameters]
    councils = list(COUNCIL_NAMES) if args.all_councils else (args.council or ["Cardiff"])
    out = Path(args.out).resolve()
    start = time.perf_counter()
    results, skipped = run_batch(modules, councils, data_dir=args.data_dir, out_dir=out, workers=args.workers,
                                 scheduler=args.scheduler, force=args.force, hide_code=args.hide_code,
                                 publish=args.publish, language=args.language,
                                 progress=not args.quiet, timeout=args.timeout)
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} of {len(results)} module runs succeeded in "
          f"{time.perf_counter() - start:.0f} s" + (f"; {len(skipped)} finished earlier and were skipped "
                                                   "(--force reruns them)" if skipped else "") + ".")
    for r in failed:
        print(f"FAILED: {r.error}", file=sys.stderr)
    print(f"Summary: {out / 'summary.csv'}")
    print(f"Reports: {out / 'index.html'}")
    return 1 if failed else 0


def _cmd_check(args: argparse.Namespace) -> int:
    from curriculum.datasets import check_data
    from curriculum.schemas import DATASET_KINDS
    from curriculum.syllabus import get_module

    kinds = list(dict.fromkeys(k for m in args.modules for k in get_module(m).datasets)) if args.modules else None
    if kinds is None:
        from curriculum.datasets import resolve_data_dir

        kinds = [k for k in DATASET_KINDS if k in resolve_data_dir(args.council, args.data_dir)[1].datasets]
    rows = check_data(kinds, args.council, args.data_dir)
    for kind, n in rows.items():
        print(f"{kind}: {n} rows, valid")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from curriculum.demo import write_demo_data

    out = write_demo_data(args.out, scale=args.scale, seed=args.seed, councils=args.council)
    print(f"Demo data written to {out}")
    return 0


def _cmd_grade(args: argparse.Namespace) -> int:
    from curriculum.grading import COMMANDS, course_dir, nbgrader, stage_source

    course = Path(args.course_dir) if args.course_dir else course_dir()
    if args.action == "generate":
        if not args.module:
            raise CurriculumError("infuse grade generate needs a module id")
        staged = stage_source(args.module, course)
        print(f"Staged {staged}")
    cmd = [COMMANDS[args.action]]
    if args.module and args.action != "export":
        cmd.append(args.module)
    if args.action in ("generate", "autograde", "feedback") and args.force:
        cmd.append("--force")
    if args.student and args.action in ("autograde", "feedback"):
        cmd.append(f"--student={args.student}")
    proc = nbgrader(*cmd, *args.extra, course=course)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    return 0


def _cmd_translations(args: argparse.Namespace) -> int:
    import nbformat

    from curriculum import i18n
    from curriculum.syllabus import get_module, syllabus

    ids = args.modules or [m.id for m in syllabus() if "language" in m.parameters]
    status = 0
    for module_id in ids:
        mod = get_module(module_id)
        messages = i18n.notebook_messages(mod.notebook_path())
        if args.action == "update":
            added, obsolete = i18n.update_catalog(mod.id, messages, args.language)
            print(f"{mod.id}: {added} new string(s) to translate, {obsolete} no longer used; "
                  f"{i18n.catalog_path(mod.id, args.language)}")
        elif args.action == "check":
            missing = i18n.missing_translations(mod.id, messages, args.language)
            print(f"{mod.id}: {len(messages) - len(missing)} of {len(messages)} strings translated")
            for text in missing:
                print(f"  missing: {text[:70]!r}")
            status = status or (1 if missing else 0)
        else:  # write
            out = Path(args.out or ".") / f"{mod.id}.{args.language}.ipynb"
            nb = i18n.translate_notebook(nbformat.read(mod.notebook_path(), as_version=4), mod.id, args.language)
            for cell in nb.cells:
                if "parameters" in cell.get("metadata", {}).get("tags", []):
                    cell.source = re.sub(r'^(language: str = )"[a-z]+"', rf'\1"{args.language}"', cell.source, flags=re.M)
            out.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, out)
            print(f"{mod.id}: {out}")
    if args.action == "update" and not args.modules:
        added, obsolete = i18n.update_catalog(i18n.COMMON_DOMAIN, i18n.package_messages(i18n.PACKAGE_MODULES),
                                              args.language)
        print(f"{i18n.COMMON_DOMAIN}: {added} new string(s) to translate, {obsolete} no longer used")
    return status


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="infuse", description="InFuSe curriculum: run modules, check data, grade.")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("list", help="list the modules of the syllabus").set_defaults(func=_cmd_list)

    run = sub.add_parser("run", help="run modules through papermill and write notebooks, HTML reports and an index")
    run.add_argument("modules", nargs="*", help="module ids (default: every module)")
    run.add_argument("--all", action="store_true", help="run every module (the default when no ids are given)")
    run.add_argument("--track", help="only this track's modules (data_lab, adaption_lab, procurement_lab, senior_literacy)")
    run.add_argument("--council", action="append", help="council to run for (repeatable; default Cardiff)")
    run.add_argument("--all-councils", action="store_true", help="run for all ten CCR councils")
    run.add_argument("--data-dir", help="folder with your own files and mapping.yaml (default: demo data)")
    run.add_argument("--out", default="reports", help="output folder (default: reports)")
    run.add_argument("--hide-code", action="store_true", help="leave code out of HTML reports")
    run.add_argument("--publish", action="store_true",
                     help="reports safe to share: only publishable outputs, small counts suppressed, no personal data")
    run.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    run.add_argument("--workers", type=int, help="parallel processes (default: one per core)")
    run.add_argument("--scheduler", help="Dask scheduler address to run on instead of local processes")
    run.add_argument("--force", action="store_true", help="rerun modules that finished earlier")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.add_argument("--language", choices=["en", "cy"], default="en",
                     help="en (English) or cy (Cymraeg: the modules with a Welsh version; by default all of them)")
    run.set_defaults(func=_cmd_run)

    check = sub.add_parser("check", help="validate a council's data against the schemas without running anything")
    check.add_argument("modules", nargs="*", help="check the datasets these modules use (default: all mapped)")
    check.add_argument("--council", default="Cardiff")
    check.add_argument("--data-dir")
    check.set_defaults(func=_cmd_check)

    demo = sub.add_parser("demo-data", help="(re)generate demo data from the seeded generator")
    demo.add_argument("--out", default="datasets/demo", help="output folder (default: datasets/demo)")
    demo.add_argument("--scale", type=float, default=1.0, help="volume multiplier (10 = ten times the rows)")
    demo.add_argument("--seed", type=int, default=None)
    demo.add_argument("--council", action="append", help="only these councils (repeatable)")
    demo.set_defaults(func=_cmd_demo)

    grade = sub.add_parser("grade", help="nbgrader steps for a module: generate, release, collect, autograde, feedback, export")
    grade.add_argument("action", choices=["generate", "release", "collect", "autograde", "feedback", "release-feedback", "export"])
    grade.add_argument("module", nargs="?", help="module id")
    grade.add_argument("--student", help="only this student (autograde, feedback)")
    grade.add_argument("--force", action="store_true", help="redo existing outputs")
    grade.add_argument("--course-dir", help="course folder (default: grading/)")
    grade.add_argument("extra", nargs=argparse.REMAINDER, help="further arguments passed to nbgrader after --")
    grade.set_defaults(func=_cmd_grade)

    # infuse cohort autograde|feedback|dashboard|export-csv|make-submissions (curriculum.autograde)
    from curriculum.autograde import add_cohort_parser

    add_cohort_parser(sub)

    trans = sub.add_parser("translations", help="Welsh versions: update catalogues, check them, or write a translated notebook")
    trans.add_argument("action", choices=["update", "check", "write"],
                       help="update: add new strings to the catalogues; check: list strings not yet translated; "
                            "write: save the module's notebook in the language (to release on JupyterHub)")
    trans.add_argument("modules", nargs="*", help="module ids (default: every module with a language parameter)")
    trans.add_argument("--language", choices=["cy"], default="cy")
    trans.add_argument("--out", help="folder for translated notebooks (write; default: current folder)")
    trans.set_defaults(func=_cmd_translations)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the ``infuse`` command line.

    Parameters
    ----------
    argv : list of str, optional
        Arguments; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        Exit status: 0 success, 1 a module failed, 2 a user mistake (bad data,
        mapping, council or module), 130 interrupted.
    """
    args = _parser().parse_args(argv)
    if getattr(args, "seed", "absent") is None:
        from curriculum.demo import DEFAULT_SEED

        args.seed = DEFAULT_SEED
    if getattr(args, "extra", None) and args.extra[:1] == ["--"]:
        args.extra = args.extra[1:]
    try:
        return args.func(args)
    except CurriculumError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
