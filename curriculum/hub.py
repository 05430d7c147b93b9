"""Helpers for running the curriculum on the programme's JupyterHub.

- :func:`ensure_course_dir` gives a trainer their cohort's nbgrader course folder (used by
  ``hub/singleuser/nbgrader_config.py`` when a trainer's server starts);
- :func:`gitpuller_link` builds the nbgitpuller link that sends a module to learners
  (JupyterLab) or to senior leaders (a Voila app page with the code hidden);
- ``python -m curriculum.hub links --hub URL --repo URL`` prints those links for every module.

Importing this module changes nothing: no files, no network.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from urllib.parse import urlencode

from curriculum.syllabus import get_module, project_root, syllabus

__all__ = ["ensure_course_dir", "gitpuller_link", "module_links"]


def ensure_course_dir(path: str | Path) -> str:
    """Create a cohort's nbgrader course folder if it does not exist yet.

    The folder gets a copy of the course configuration (``grading/nbgrader_config.py``:
    placeholders, pinned kernel, time limits, papermill clean-up). An existing folder and
    an existing configuration are left as they are.

    Parameters
    ----------
    path : str or pathlib.Path
        The course folder, for example ``~/ccr-2025-spring`` in a trainer's home.

    Returns
    -------
    str
        The absolute path of the course folder.

    Raises
    ------
    FileNotFoundError
        If the curriculum's ``grading/nbgrader_config.py`` cannot be found (set
        ``INFUSE_ROOT`` to the curriculum folder).
    """
    course = Path(path).expanduser().resolve()
    config = course / "nbgrader_config.py"
    if not config.exists():
        template = project_root() / "grading" / "nbgrader_config.py"
        if not template.exists():
            raise FileNotFoundError(f"{template} not found: set INFUSE_ROOT to the curriculum folder")
        course.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, config)
    return str(course)


def gitpuller_link(hub_url: str, repo: str, module_id: str, branch: str = "main", app: str = "lab",
                   folder: str | None = None) -> str:
    """Return the nbgitpuller link that opens one module on a JupyterHub.

    Clicking the link logs the person in, clones (or updates) the repository in their
    home, and opens the module's notebook.

    Parameters
    ----------
    hub_url : str
        The hub's address, for example ``"https://hub.example.org"``.
    repo : str
        The curriculum's git repository, for example ``"https://github.com/ORG/infuse-curriculum"``.
    module_id : str
        A module id from the syllabus.
    branch : str, default "main"
        The branch to pull.
    app : {"lab", "voila"}
        ``"lab"`` opens the notebook in JupyterLab; ``"voila"`` opens it as an app page with
        the code hidden (for senior leaders).
    folder : str, optional
        The folder the repository is cloned into in the user's home; the repository's
        name by default.

    Returns
    -------
    str

    Raises
    ------
    UnknownModuleError
        If the module is not in the syllabus.
    ValueError
        If ``app`` is not ``"lab"`` or ``"voila"``.

    Examples
    --------
    >>> gitpuller_link("https://hub.example.org", "https://github.com/ORG/infuse-curriculum",
    ...                "counts_rates_comparisons", app="voila")  # doctest: +ELLIPSIS
    'https://hub.example.org/hub/user-redirect/git-pull?repo=...&urlpath=voila%2Frender%2Finfuse-curriculum%2F...'
    """
    if app not in ("lab", "voila"):
        raise ValueError(f"app {app!r} is not offered; use 'lab' or 'voila'")
    module = get_module(module_id)
    folder = folder or repo.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    path = f"{folder}/{module.notebook.as_posix()}"
    urlpath = f"lab/tree/{path}" if app == "lab" else f"voila/render/{path}"
    query = urlencode({"repo": repo, "branch": branch, "urlpath": urlpath})
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def module_links(hub_url: str, repo: str, branch: str = "main") -> list[tuple[str, str, str]]:
    """Return ``(module id, JupyterLab link, app-page link or "")`` for every module.

    App-page links are given for the senior leaders' track only.

    Parameters
    ----------
    hub_url, repo, branch : str
        As for :func:`gitpuller_link`.

    Returns
    -------
    list of tuple of str
    """
    rows = []
    for module in syllabus():
        app = gitpuller_link(hub_url, repo, module.id, branch, app="voila") if module.track == "senior_literacy" else ""
        rows.append((module.id, gitpuller_link(hub_url, repo, module.id, branch), app))
    return rows


def main(argv: list[str] | None = None) -> int:
    """``python -m curriculum.hub links --hub URL --repo URL``: print every module's links."""
    parser = argparse.ArgumentParser(prog="python -m curriculum.hub", description="nbgitpuller links for the InFuSe hub")
    sub = parser.add_subparsers(dest="command", required=True)
    links = sub.add_parser("links", help="print the nbgitpuller link of every module")
    links.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.org")
    links.add_argument("--repo", required=True, help="the curriculum's git repository")
    links.add_argument("--branch", default="main")
    args = parser.parse_args(argv)
    for module_id, lab, app in module_links(args.hub, args.repo, args.branch):
        print(f"{module_id}\t{lab}" + (f"\n{module_id} (app page)\t{app}" if app else ""))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
