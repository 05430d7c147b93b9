"""Running modules for councils through papermill: executed notebooks, HTML reports, an index.

Every run writes into a private staging folder and moves its notebook and report
into place only when both are complete, so an earlier report is never left
half-overwritten. A run that fails leaves the earlier outputs as they were and
records a short message naming the module, the cell and the error.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from curriculum.councils import get_council
from curriculum.datasets import check_data, resolve_data_dir
from curriculum.errors import CurriculumError, MappingError, ModuleRunError, UnknownCouncilError
from curriculum.syllabus import Module, get_module, syllabus, tracks

__all__ = ["RunResult", "run_key", "check_language", "run_notebook", "run_module", "run_modules", "preflight", "write_index", "council_slug"]

KERNEL = "python3"
_RUNS_FILE = "runs.json"


@dataclass
class RunResult:
    """The outcome of one module run for one council."""

    module: str
    council: str
    ok: bool
    seconds: float
    notebook: str | None = None  # relative to the output folder
    report: str | None = None
    error: str | None = None
    language: str = "en"


def run_key(council: str, module_id: str, language: str = "en") -> str:
    """Return the key of a run in ``runs.json``, which is also the stem of its files.

    Parameters
    ----------
    council : str
        The council's name or label.
    module_id : str
        The module id.
    language : str, default "en"
        The run's language; only non-English runs add it to the key.

    Returns
    -------
    str
        ``<council slug>/<module id>`` or ``<council slug>/<module id>.<language>``.
    """
    return f"{council_slug(council)}/{module_id}" + ("" if language == "en" else f".{language}")


def council_slug(label: str) -> str:
    """Return the folder name used for a council's outputs.

    Parameters
    ----------
    label : str
        A CCR council name, or any label for a council's own data.

    Returns
    -------
    str
        The CCR council's slug, or the label lower-cased with runs of other
        characters replaced by hyphens.

    Raises
    ------
    ValueError
        If ``label`` holds no letters or digits.
    """
    try:
        return get_council(label).slug
    except UnknownCouncilError:
        slug = re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-")
        if not slug:
            raise ValueError(f"council label {label!r} needs at least one letter or digit") from None
        return slug


def _describe_failure(module_id: str, council: str, exc: Exception) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    if getattr(exc, "cell_index", None) is not None:
        count = getattr(exc, "exec_count", None)
        where = f"cell {exc.cell_index}" + (f" (In [{count}])" if count else "")
    else:
        where = "start-up"
    first = str(evalue).strip().splitlines()[0] if str(evalue).strip() else ""
    return f"{module_id} for {council} failed at {where}: {ename}: {first}"


def _export_html(notebook_path: Path, html_path: Path, hide_code: bool) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter()
    if hide_code:
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nbformat.read(notebook_path, as_version=4))
    html_path.write_text(body, encoding="utf-8")


PUBLISH_TAG = "publish"


def _published(nb_path: Path, label: str) -> Any:
    """Keep the prose and the outputs of cells tagged ``publish``; refuse personal data in them."""
    import nbformat

    from curriculum.disclosure import screen_text

    nb = nbformat.read(nb_path, as_version=4)
    kept = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            kept.append(cell)
        elif cell.cell_type == "code" and PUBLISH_TAG in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                texts = [output.get("text", "")] + [v for k, v in output.get("data", {}).items()
                                                    if k.startswith("text/") and isinstance(v, str)]
                problems = [p for t in texts for p in screen_text(t if isinstance(t, str) else "".join(t))]
                if problems:
                    raise ModuleRunError(f"{label}: not published: cell {i} (tagged publish) shows {', '.join(problems)}")
            kept.append(cell)
    nb.cells = kept
    return nb


def run_notebook(notebook: Path, out_notebook: Path | None, out_html: Path, parameters: dict[str, Any], *,
                 hide_code: bool = False, publish: bool = False, timeout: int = 600, label: str | None = None,
                 language: str = "en") -> float:
    """Execute one notebook with papermill and write it and its HTML report atomically.

    Parameters
    ----------
    notebook : pathlib.Path
        The module notebook (the pristine source).
    out_notebook, out_html : pathlib.Path
        Where the executed notebook and the HTML report go. Both are written
        to a staging folder first and replace earlier files only on success.
        ``out_notebook`` is None in publish mode (the executed notebook holds
        row-level data and is not kept beside a published report).
    parameters : dict
        Values for the notebook's ``parameters`` cell.
    hide_code : bool, default False
        Leave code out of the HTML report.
    publish : bool, default False
        Publish mode: the report keeps only prose and the outputs of cells
        tagged ``publish``, with code hidden, and is refused if those outputs
        show personal data.
    timeout : int, default 600
        Seconds allowed per cell.
    label : str, optional
        Name used in error messages (the module id by default).
    language : str, default "en"
        ``"cy"`` runs the notebook with its markdown translated into Welsh
        from the catalogue of the module ``label`` (see :mod:`curriculum.i18n`);
        pass ``language`` in ``parameters`` too for the code's strings.

    Returns
    -------
    float
        Seconds taken.

    Raises
    ------
    ModuleRunError
        If a cell fails or times out; the message names the module, cell and error.
    MissingTranslationError
        If ``language`` is not English and a markdown block has no translation.
    """
    import papermill as pm

    start = time.perf_counter()
    out_html.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_html.parent, prefix=".staging-") as tmp:
        staged_nb = Path(tmp) / f"{out_html.stem}.ipynb"
        staged_html = Path(tmp) / out_html.name
        source = notebook
        if language != "en":
            import nbformat

            from curriculum.i18n import translate_notebook

            source = Path(tmp) / f"source-{notebook.name}"
            nbformat.write(translate_notebook(nbformat.read(notebook, as_version=4), label or notebook.stem, language),
                           source)
        try:
            pm.execute_notebook(str(source), str(staged_nb), parameters=parameters, kernel_name=KERNEL,
                                cwd=str(notebook.parent), progress_bar=False, execution_timeout=timeout,
                                start_timeout=120, log_output=False)
        except Exception as exc:  # papermill wraps cell errors; anything else is a failed run too
            name = label or notebook.stem
            raise ModuleRunError(_describe_failure(name, str(parameters.get("council", "")), exc)) from None
        name = label or notebook.stem
        if publish:
            import nbformat

            nbformat.write(_published(staged_nb, name), staged_nb)
        _export_html(staged_nb, staged_html, hide_code or publish)
        if out_notebook is not None and not publish:
            os.replace(staged_nb, out_notebook)
        os.replace(staged_html, out_html)
    return time.perf_counter() - start


def _parameters(module: Module, council: str, data_dir: Path | None, batch: bool,
                output_dir: Path | None = None, language: str = "en") -> dict[str, Any]:
    params: dict[str, Any] = {"council": council, "data_dir": str(data_dir) if data_dir is not None else None}
    if "language" in module.parameters:
        params["language"] = language
    if batch and "interactive" in module.parameters:
        params["interactive"] = False
    if output_dir is not None and "output_dir" in module.parameters:
        params["output_dir"] = str(output_dir)  # documents the module writes (artefacts) go beside its report
    return params


def run_module(module: str | Module, council: str, *, data_dir: str | Path | None = None,
               out_dir: str | Path = "reports", hide_code: bool = False, publish: bool = False,
               timeout: int = 600, language: str = "en") -> RunResult:
    """Run one module for one council and write its notebook and HTML report.

    Parameters
    ----------
    module : str or Module
        A module id from the syllabus, or a :class:`~curriculum.syllabus.Module`.
    council : str
        A CCR council name, or the label of a council's own data.
    data_dir : str or pathlib.Path, optional
        The council's data folder with its ``mapping.yaml``; None for demo data.
    out_dir : str or pathlib.Path, default "reports"
        Output folder; the run writes ``<council slug>/<module id>.ipynb`` and ``.html``.
    hide_code : bool, default False
        Hide code in the HTML report.
    publish : bool, default False
        Publish mode (see :func:`run_notebook`); no executed notebook is kept.
    timeout : int, default 600
        Seconds allowed per cell.
    language : str, default "en"
        ``"cy"`` for the Welsh version of a module that offers a ``language``
        parameter; its files are named ``<module id>.cy.ipynb`` and ``.html``.

    Returns
    -------
    RunResult
        ``ok`` is False and ``error`` holds the message when the module failed.

    Raises
    ------
    UnknownModuleError
        If ``module`` is not in the syllabus.
    ValueError
        If ``language`` is not English and the module has no ``language`` parameter.
    """
    mod = get_module(module) if isinstance(module, str) else module
    check_language(mod, language)
    out = Path(out_dir)
    folder = council_slug(council)
    stem = run_key(council, mod.id, language)
    nb_rel = f"{stem}.ipynb"
    html_rel = f"{stem}.html"
    data = Path(data_dir).resolve() if data_dir is not None else None
    start = time.perf_counter()
    try:
        seconds = run_notebook(mod.notebook_path(), None if publish else out / nb_rel, out / html_rel,
                               _parameters(mod, council, data, batch=True, output_dir=(out / folder).resolve(),
                                           language=language),
                               hide_code=hide_code, publish=publish, timeout=timeout, label=mod.id, language=language)
    except (ModuleRunError, CurriculumError) as exc:
        return RunResult(mod.id, council, False, time.perf_counter() - start, error=str(exc), language=language)
    return RunResult(mod.id, council, True, seconds, notebook=None if publish else nb_rel, report=html_rel,
                     language=language)


def check_language(module: Module, language: str) -> None:
    """Check that a module can run in a language.

    Parameters
    ----------
    module : Module
        The module.
    language : str
        ``"en"`` (every module) or ``"cy"`` (modules with a ``language`` parameter).

    Returns
    -------
    None
        Returns only when the module can run in the language.

    Raises
    ------
    ValueError
        If the language is not offered, or the module has no Welsh version.
    """
    if language not in ("en", "cy"):
        raise ValueError(f"language {language!r} is not offered; use 'en' (English) or 'cy' (Cymraeg)")
    if language != "en" and "language" not in module.parameters:
        raise ValueError(f"module {module.id!r} runs in English only; the modules with a Welsh version are: "
                         + ", ".join(m.id for m in syllabus() if "language" in m.parameters))


def preflight(modules: list[Module], councils: Iterable[str], data_dir: str | Path | None) -> list[str]:
    """Validate every dataset the modules use for every council, before anything runs.

    Parameters
    ----------
    modules : list of Module
        The modules to run.
    councils : iterable of str
        Councils (demo data), or one council's label with ``data_dir``.
    data_dir : str, pathlib.Path or None
        One council's own data folder, or None for demo data.

    Returns
    -------
    list of str
        The council labels to run under (a mapping's ``council:`` wins for own data).

    Raises
    ------
    DataError, MappingError, UnknownCouncilError
        If any dataset fails; the message lists every problem.
    ValueError
        If ``data_dir`` comes with more than one council.
    """
    councils = list(councils)
    if data_dir is not None and len(councils) != 1:
        raise ValueError(f"data_dir holds one council's data; give exactly one council, got {councils}")
    kinds = list(dict.fromkeys(k for m in modules for k in m.datasets))
    labels = []
    for council in councils:
        if data_dir is None:
            get_council(council)
        _, mapping = resolve_data_dir(council, data_dir)
        # A council's folder may hold only some of a module's datasets (a contracts register but no
        # spend file): modules adapt to what is there, so check what the mapping provides, and stop
        # only when a module would find none of its datasets at all.
        for module in modules:
            if not any(k in mapping.datasets for k in module.datasets):
                raise MappingError(f"{mapping.path}: {module.id} needs at least one of the datasets "
                                   f"{', '.join(module.datasets)}, and this mapping has none of them. "
                                   "Add a section for one of them under 'datasets:'.")
        check_data([k for k in kinds if k in mapping.datasets], council, data_dir)
        labels.append(mapping.council if (data_dir is not None and mapping.council) else council)
    return labels


def run_modules(modules: Iterable[str] | None = None, councils: Iterable[str] = ("Cardiff",), *,
                data_dir: str | Path | None = None, out_dir: str | Path = "reports", hide_code: bool = False,
                progress: bool = True, timeout: int = 600) -> list[RunResult]:
    """Run several modules for several councils one after another, check their data first, and write the index page.

    The batch runner (:func:`curriculum.batch.run_batch`) with one worker, rerunning
    finished runs; it also writes ``summary.csv``.

    Parameters
    ----------
    modules : iterable of str, optional
        Module ids; all modules of the syllabus by default.
    councils : iterable of str, default ("Cardiff",)
        Councils to run for.
    data_dir : str or pathlib.Path, optional
        A council's own data folder (then give one council); None for demo data.
    out_dir : str or pathlib.Path, default "reports"
        Output folder.
    hide_code : bool, default False
        Hide code in the HTML reports.
    progress : bool, default True
        Show a progress bar.
    timeout : int, default 600
        Seconds allowed per cell.

    Returns
    -------
    list of RunResult
        One per module and council, in order. A failed module does not stop the others.

    Raises
    ------
    DataError, MappingError
        If any council's data fail validation: nothing runs and nothing is written.
    UnknownModuleError, UnknownCouncilError
        If a module id or (for demo data) a council is unknown.
    """
    from curriculum.batch import run_batch  # the batch runner imports this module

    mods = [get_module(m) for m in modules] if modules else syllabus()
    councils = list(councils)
    results, _ = run_batch([m.id for m in mods], councils, data_dir=data_dir, out_dir=out_dir, workers=1, force=True,
                           hide_code=hide_code, progress=progress, timeout=timeout)
    rank = {m.id: i for i, m in enumerate(mods)}
    return sorted(results, key=lambda r: (councils.index(r.council) if r.council in councils else 0, rank[r.module]))


def _record(out: Path, result: RunResult) -> None:
    path = out / _RUNS_FILE
    runs = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    key = run_key(result.council, result.module, result.language)
    previous = runs.get(key, {})
    entry = asdict(result) | {"finished": time.strftime("%Y-%m-%d %H:%M")}
    if not result.ok and previous.get("report"):
        entry["report"], entry["notebook"] = previous["report"], previous["notebook"]  # earlier output still there
    runs[key] = entry
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(runs, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def write_index(out_dir: str | Path) -> Path:
    """Write ``index.html`` linking every report recorded in an output folder.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        The runner's output folder.

    Returns
    -------
    pathlib.Path
        The index page.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    out = Path(out_dir)
    path = out / _RUNS_FILE
    runs = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    by_id = {m.id: m for m in syllabus()}
    track_titles = {k: t.title for k, t in tracks().items()}
    councils: dict[str, list[dict]] = {}
    for key, run in sorted(runs.items()):
        mod = by_id.get(run["module"])
        language = run.get("language", "en")
        run = dict(run, title=mod.title_in(language) if mod and (language == "en" or mod.title_cy) else
                   mod.title if mod else run["module"],
                   track=track_titles.get(mod.track, "") if mod else "", minutes=mod.minutes if mod else None)
        councils.setdefault(run["council"], []).append(run)
    env = Environment(loader=PackageLoader("curriculum", "resources"), autoescape=select_autoescape(["html"]))
    page = env.get_template("index.html.j2").render(councils=councils, generated=time.strftime("%Y-%m-%d %H:%M"))
    target = out / "index.html"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target
