"""Publish mode: a personal record planted in a council's data never reaches a published report."""

from __future__ import annotations

import csv
import shutil

import pytest

from curriculum.batch import run_batch
from tests.conftest import ROOT

MODULES = ["premises_of_concern", "where_the_money_goes"]
MARKERS = ("Planted", "9ZZ", "Plantation")


def _append(path, row):
    with open(path, "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerow(row)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Cardiff's demo data with one person planted in the agency records, the gazetteer and the spend file."""
    folder = tmp_path_factory.mktemp("plant") / "cardiff"
    shutil.copytree(ROOT / "datasets/demo/cardiff", folder)
    shutil.copy(ROOT / "datasets/demo/mapping.yaml", folder / "mapping.yaml")
    _append(folder / "gazetteer.csv", ["999999999999", "Planted Bar", "99 Plantation Road, Cardiff", "CF10 9ZZ", "W01001900"])
    for n in range(3):
        _append(folder / "police_incidents.csv", [f"PLANT-{n}", "99 Plantation Road, Cardiff CF10 9ZZ", f"1{n}/01/2024 22:10",
                                                  "Concern for Mrs Ima Planted"])
    _append(folder / "fire_safety.csv", ["PLANT-F", "Planted Bar", "99 Plantation Road", "Cardiff", "CF10 9ZZ",
                                          "14-Jan-2024", "Enforcement notice"])
    _append(folder / "licensing.csv", ["PLANT-L", "Planted Bar", "99 Plantation Road, Cardiff", "CF10 9ZZ", "15/01/2024",
                                        "Complaint from Mrs Ima Planted"])
    _append(folder / "spend.csv", ["http://statistics.data.gov.uk/id/statistical-geography/W06000015", "Cardiff Council",
                                   "15/01/2025", "PLANT-S", "5000000.00", "Mrs Ima Planted", "", "Adult Social Care",
                                   "Direct payments", ""])
    return folder


def _outputs(folder):
    return {p: p.read_text(encoding="utf-8", errors="replace") for p in folder.rglob("*") if p.is_file()}


def test_planted_record_reaches_the_full_report(planted, tmp_path):
    """Without publish mode the planted person shows up: the plant really flows through the analysis."""
    run_batch(MODULES, ["Cardiff"], data_dir=planted, out_dir=tmp_path, workers=2, progress=False)
    text = "".join(_outputs(tmp_path).values())
    assert "Planted" in text, "the planted record should appear in the full reports (visit list, top suppliers)"


def test_planted_record_never_reaches_a_published_report(planted, tmp_path):
    """In publish mode no published file (HTML or CSV) carries the planted name, address or postcode."""
    results, _ = run_batch(MODULES, ["Cardiff"], data_dir=planted, out_dir=tmp_path, workers=2, publish=True, progress=False)
    assert all(r.ok for r in results), [r.error for r in results]
    files = _outputs(tmp_path)
    assert any(p.suffix == ".csv" for p in files), "publishable tables were exported"
    assert not any(p.suffix == ".ipynb" for p in files), "executed notebooks (row-level data) are not kept"
    for path, text in files.items():
        for marker in MARKERS:
            assert marker not in text, f"{marker!r} leaked into {path.name}"
        assert "import curriculum" not in text, f"code leaked into {path.name}"
