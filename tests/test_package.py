"""Package-wide conventions: nothing happens on import, a short public API, numpydoc docstrings."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest

import curriculum

MODULES = sorted(m.name for m in pkgutil.walk_packages(curriculum.__path__, "curriculum.")
                 if not m.name.startswith("curriculum.datafiles"))


def test_importing_everything_changes_nothing(tmp_path):
    """Importing every module leaves matplotlib's settings alone and writes no files."""
    code = ("import matplotlib, pkgutil, importlib, curriculum\n"
            "before = dict(matplotlib.rcParams)\n"
            f"for name in {MODULES!r}: importlib.import_module(name)\n"
            "changed = [k for k, v in matplotlib.rcParams.items() if before.get(k) != v]\n"
            "assert not changed, changed\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert list(tmp_path.iterdir()) == [], "importing wrote files"


def test_top_level_api_is_short():
    """The package's own namespace exports a short, explicit list."""
    assert len(curriculum.__all__) <= 12
    assert all(hasattr(curriculum, name) for name in curriculum.__all__)


def _public_functions():
    for name in MODULES:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", []):
            obj = getattr(module, attr)
            if inspect.isfunction(obj) and obj.__module__ == name:
                yield f"{name}.{attr}", obj


@pytest.mark.parametrize("qualname, func", list(_public_functions()), ids=lambda v: v if isinstance(v, str) else "")
def test_public_functions_have_numpydoc(qualname, func):
    """Every exported function documents its parameters (when it has any) and what it returns."""
    doc = inspect.getdoc(func) or ""
    params = [p for p in inspect.signature(func).parameters.values() if p.name not in ("self", "cls")]
    assert doc, f"{qualname} has no docstring"
    if params:
        assert "Parameters\n----------" in doc, f"{qualname}: add a Parameters section"
    assert "Returns\n-------" in doc or "Yields\n------" in doc, f"{qualname}: add a Returns section"
