"""The rerun command: every module through papermill for two councils, real data, failures and atomic outputs."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

from curriculum.errors import ModuleRunError
from curriculum.runner import council_slug, run_modules, run_notebook
from tests.conftest import MODULE_IDS, ROOT

COUNCILS = ("Newport", "Merthyr Tydfil")


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """Every module run for two councils' demo data into one output folder."""
    out = tmp_path_factory.mktemp("reports")
    results = run_modules(MODULE_IDS, COUNCILS, out_dir=out, progress=False)
    return out, {(r.module, r.council): r for r in results}


@pytest.mark.parametrize("council", COUNCILS)
@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_module_runs_for_council(runs, module_id, council):
    """The module ran to the end for the council and wrote its executed notebook and HTML report."""
    out, results = runs
    result = results[(module_id, council)]
    assert result.ok, result.error
    executed = nbformat.read(out / result.notebook, as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and f'council = "{council}"' in injected[0].source, "papermill injected the council"
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, f"cells raised: {[e['ename'] for e in errors]}"
    assert (out / result.report).stat().st_size > 10_000, "a full HTML report"


def test_index_links_every_report(runs):
    """index.html links every report written."""
    out, results = runs
    page = (out / "index.html").read_text(encoding="utf-8")
    for result in results.values():
        assert f'href="{result.report}"' in page
    assert set(json.loads((out / "runs.json").read_text())) == {f"{council_slug(c)}/{m}" for m, c in results}


def _failing_notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('council = "Cardiff"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell("raise KeyError('Net Amount')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_failure_names_cell_and_keeps_earlier_outputs(tmp_path):
    """A failing cell gives a one-line message with module, cell and error; earlier outputs stay intact."""
    nb = _failing_notebook(tmp_path / "broken.ipynb")
    out_nb, out_html = tmp_path / "out" / "broken.ipynb", tmp_path / "out" / "broken.html"
    out_nb.parent.mkdir()
    out_nb.write_text("earlier notebook")
    out_html.write_text("earlier report")
    with pytest.raises(ModuleRunError) as err:
        run_notebook(nb, out_nb, out_html, {"council": "Torfaen"}, label="broken_module")
    msg = str(err.value)
    assert msg.startswith("broken_module for Torfaen failed at cell") and "KeyError" in msg and "Net Amount" in msg, msg
    assert "\n" not in msg, "one line"
    assert out_nb.read_text() == "earlier notebook" and out_html.read_text() == "earlier report"
    assert [p.name for p in out_nb.parent.iterdir()] == sorted(["broken.ipynb", "broken.html"]) or \
        sorted(p.name for p in out_nb.parent.iterdir()) == ["broken.html", "broken.ipynb"], "no staging left behind"


def test_cli_runs_a_real_council_file_with_code_hidden(tmp_path):
    """`infuse run` on Calderdale's own file and mapping writes a code-free report and the index."""
    out = tmp_path / "published"
    proc = subprocess.run([sys.executable, "-m", "curriculum.cli", "run", "where_the_money_goes", "--council", "Calderdale",
                           "--data-dir", str(ROOT / "datasets/real/calderdale"), "--out", str(out), "--hide-code", "--quiet"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert str(out / "index.html") in proc.stdout, "prints where the reports are"
    page = (out / "calderdale" / "where_the_money_goes.html").read_text(encoding="utf-8")
    assert "curriculum.load(" not in page and "import " not in page, "no code in a published report"


def test_cli_stops_before_running_on_bad_data(tmp_path, council_folder):
    """Invalid data stop the run before any module starts: exit 2, a plain message, nothing written."""
    from tests.conftest import SPEND_CSV, SPEND_MAPPING

    folder = council_folder(SPEND_CSV.replace("1200.50", "n/k"), SPEND_MAPPING)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "curriculum.cli", "run", "where_the_money_goes", "--council", "Testshire",
                           "--data-dir", str(folder), "--out", str(out), "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "'n/k'" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert not out.exists(), "nothing is written when the data are invalid"


def test_unknown_module_is_a_plain_error():
    """A mistyped module id exits 2 and lists the modules."""
    proc = subprocess.run([sys.executable, "-m", "curriculum.cli", "run", "money", "--quiet"], capture_output=True, text=True)
    assert proc.returncode == 2 and "where_the_money_goes" in proc.stderr and "Traceback" not in proc.stderr


def test_preflight_checks_what_a_folder_provides(council_folder):
    """A folder with some of a module's datasets passes preflight; one with none of them stops with a plain message."""
    from curriculum.errors import MappingError
    from curriculum.runner import preflight
    from curriculum.syllabus import Module
    from tests.conftest import SPEND_CSV, SPEND_MAPPING

    folder = council_folder(SPEND_CSV, SPEND_MAPPING)
    both = Module("needs_spend_or_contracts", "procurement_lab", "t", 60, ("x",), ("spend", "contracts"), {}, ())
    assert preflight([both], ["Testshire"], folder) == ["Testshire"]
    other = Module("needs_schools", "adaption_lab", "t", 60, ("x",), ("schools",), {}, ())
    with pytest.raises(MappingError, match="needs at least one of the datasets schools"):
        preflight([other], ["Testshire"], folder)
