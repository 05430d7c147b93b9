"""The syllabus and every module notebook follow the module anatomy (CONTRIBUTING.md)."""

from __future__ import annotations

import json
import re

import papermill as pm
import pytest

from curriculum import get_module, syllabus
from curriculum.errors import UnknownModuleError
from curriculum.syllabus import tracks
from tests.conftest import MODULE_IDS, ROOT

LAB_FOLDERS = [t.folder for t in tracks().values()]


def _cells(module_id):
    nb = json.loads(get_module(module_id).notebook_path().read_text(encoding="utf-8"))
    return nb["cells"]


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _src(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_every_notebook_is_in_the_syllabus():
    """Each notebook in a lab folder has a syllabus entry, and each entry a notebook."""
    on_disk = {p.relative_to(ROOT).as_posix() for folder in LAB_FOLDERS for p in (ROOT / folder).glob("*.ipynb")}
    listed = {m.notebook.as_posix() for m in syllabus()}
    assert on_disk == listed, f"notebooks without entry: {on_disk - listed}; entries without notebook: {listed - on_disk}"


def test_syllabus_entries_are_complete():
    """Ids are unique, every track has a module, minutes fit the track, prerequisites exist."""
    mods = syllabus()
    assert len({m.id for m in mods}) == len(mods)
    assert {m.track for m in mods} == set(tracks())
    for m in mods:
        low, high = (15, 20) if m.track == "senior_literacy" else (60, 120)
        assert low <= m.minutes <= high, f"{m.id}: {m.minutes} minutes is outside {low}-{high}"
        assert m.outcomes and m.datasets and {"council", "data_dir"} <= set(m.parameters)
        assert all(p in MODULE_IDS for p in m.prerequisites)


def test_unknown_module():
    """An unknown id lists the real ones."""
    with pytest.raises(UnknownModuleError, match="where_the_money_goes"):
        get_module("where_money_goes")


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_committed_without_outputs(module_id):
    """Notebooks are committed without outputs or execution counts."""
    dirty = [i for i, c in enumerate(_cells(module_id)) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"cells {dirty} hold outputs: clear them before committing"


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_parameters_cell(module_id):
    """One locked cell tagged `parameters` defines exactly the syllabus parameters, typed and commented."""
    cells = _cells(module_id)
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    meta = _meta(tagged[0])
    assert meta.get("locked") and not meta.get("solution") and not meta.get("grade"), "the parameters cell is read-only for nbgrader"
    found = pm.inspect_notebook(str(get_module(module_id).notebook_path()))
    assert set(found) == set(get_module(module_id).parameters), "parameters agree with the syllabus entry"
    for name, info in found.items():
        assert info["inferred_type_name"] != "None", f"{name} has a type annotation"
        assert info["help"], f"{name} has an inline comment"


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_module_skeleton(module_id):
    """Title with minutes, setup, exercises with points that add up, coached tests, a reflection, key points, take-away."""
    module = get_module(module_id)
    cells = _cells(module_id)
    text = [_src(c) for c in cells]
    assert text[0].startswith("# "), "the first cell is the title"
    assert f"{module.minutes} minutes" in text[0] or f"{module.minutes} min" in text[0], "the title cell gives the minutes"
    headings = [t.strip() for c, t in zip(cells, text) if c["cell_type"] == "markdown"]
    assert any(h.startswith("## Key points") for h in headings)
    assert any(h.startswith("## Take it back to your organisation") for h in headings)
    ids = [_meta(c)["grade_id"] for c in cells if _meta(c)]
    assert len(ids) == len(set(ids)), "grade_ids are unique"

    exercises, current = {}, None
    for cell, src in zip(cells, text):
        heading = re.match(r"## Exercise (\d+) \((\d+) points?\)", src.strip())
        if cell["cell_type"] == "markdown" and heading:
            current = heading.group(1)
            exercises[current] = [int(heading.group(2)), 0]
        elif cell["cell_type"] == "markdown" and src.strip().startswith("## "):
            current = None
        meta = _meta(cell)
        if cell["cell_type"] == "code" and meta.get("grade"):
            assert src.lstrip().startswith('"""Check that'), f"test cell {meta['grade_id']} opens with a 'Check that' docstring"
            assert "assert" in src, f"test cell {meta['grade_id']} asserts something"
            assert current is not None, f"test cell {meta['grade_id']} sits inside an exercise"
            exercises[current][1] += meta["points"]
        if cell["cell_type"] == "code" and meta.get("solution"):
            assert "### BEGIN SOLUTION" in src and "### END SOLUTION" in src, f"{meta['grade_id']}: mark the solution region"
    assert exercises, "a module has at least one exercise"
    for n, (stated, counted) in exercises.items():
        assert stated == counted, f"Exercise {n} says {stated} points but its tests carry {counted}"
    manual = [c for c in cells if c["cell_type"] == "markdown" and _meta(c).get("grade") and _meta(c).get("solution")]
    assert manual, "at least one reflection cell graded by hand"
