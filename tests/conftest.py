"""Shared fixtures: the project root, the syllabus, and helpers to write council data folders."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

from curriculum.syllabus import project_root, syllabus

# Everything the suite and its kernels write to a temporary folder (documents modules write
# when given no output folder, papermill staging, nbgrader courses) goes under one folder
# that is removed when the run ends, so test runs leave nothing behind in /tmp.
_SCRATCH = tempfile.mkdtemp(prefix="infuse-tests-")
os.environ["TMPDIR"] = tempfile.tempdir = _SCRATCH
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)

ROOT = project_root()
MODULES = syllabus()
MODULE_IDS = [m.id for m in MODULES]


@pytest.fixture(scope="session")
def root() -> Path:
    """The project folder."""
    return ROOT


@pytest.fixture
def council_folder(tmp_path):
    """Return a function that writes a data folder with one CSV file and a mapping for it."""

    def make(csv_text: str | bytes, mapping: str, name: str = "spend.csv") -> Path:
        folder = tmp_path / "council"
        folder.mkdir(exist_ok=True)
        data = csv_text if isinstance(csv_text, bytes) else textwrap.dedent(csv_text).lstrip().encode("utf-8")
        (folder / name).write_bytes(data)
        (folder / "mapping.yaml").write_text(textwrap.dedent(mapping).lstrip(), encoding="utf-8")
        return folder

    return make


SPEND_MAPPING = """
council: Testshire
datasets:
  spend:
    file: spend.csv
    date_format: "%d/%m/%Y"
    columns:
      payment_date: Date
      transaction_id: Ref
      amount: Amount
      supplier_name: Supplier
      service: Service
      category: Category
"""

SPEND_CSV = """
Date,Ref,Amount,Supplier,Service,Category
24/12/2010,T1,1200.50,Acme Ltd,Highways,Materials
14/01/2011,T2,-300.00,Acme Ltd,Highways,Materials
15/01/2011,T3,"£2,000.00",Bloggs & Co,Education,Agency staff
"""
