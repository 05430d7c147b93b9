"""environment.yml and pyproject.toml list the same dependencies; .ci/run runs the README's test command."""

from __future__ import annotations

import re
import tomllib

import yaml
from packaging.requirements import Requirement


def _pyproject(root):
    data = tomllib.loads((root / "pyproject.toml").read_text())
    deps = data["project"]["dependencies"] + [d for extra in data["project"]["optional-dependencies"].values() for d in extra]
    return {Requirement(d).name.lower(): str(Requirement(d).specifier) for d in deps}


def _conda(root):
    env = yaml.safe_load((root / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and not dep.startswith(("python", "pip")):
            req = Requirement(dep)
            out[req.name.lower()] = str(req.specifier)
    return out


def test_same_dependencies(root):
    """Every dependency, with its version bound, appears in both files."""
    py, conda = _pyproject(root), _conda(root)
    assert set(py) == set(conda), f"only in pyproject: {set(py) - set(conda)}; only in environment.yml: {set(conda) - set(py)}"
    differ = {k: (py[k], conda[k]) for k in py if py[k] != conda[k]}
    assert not differ, f"version bounds differ: {differ}"


def test_ci_runs_the_readme_test_command(root):
    """The README's second command appears verbatim in .ci/run."""
    readme = (root / "README.md").read_text()
    commands = re.findall(r"```(?:bash|sh)\n(.+?)\n```", readme)
    assert len(commands) >= 2, "the README gives the run command and the test command in code blocks"
    assert commands[1] in (root / ".ci/run").read_text(), "CI must call the README's test command exactly"
