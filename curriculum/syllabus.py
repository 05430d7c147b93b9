"""The syllabus: the machine-readable list of every module and track."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from curriculum.errors import UnknownModuleError

__all__ = ["Module", "Track", "syllabus", "tracks", "get_module", "project_root"]


@dataclass(frozen=True)
class Track:
    """A lab or the senior track, and the folder that holds its notebooks."""

    id: str
    title: str
    folder: str
    summary: str
    title_cy: str | None = None  # the title in Welsh

    def title_in(self, language: str = "en") -> str:
        """The track's title in English (``"en"``) or Welsh (``"cy"``)."""
        return _title(self.title, self.title_cy, language, self.id)


@dataclass(frozen=True)
class Module:
    """One module: a single notebook and its syllabus entry."""

    id: str
    track: str
    title: str
    minutes: int
    outcomes: tuple[str, ...]
    datasets: tuple[str, ...]
    parameters: dict[str, dict[str, Any]]
    prerequisites: tuple[str, ...]
    project_type: str | None = None  # Data Lab: which of the six analytics project types
    phase: str | None = None  # Adaption Lab: selecting the team, refining the problem, exploring solutions, experimentation
    title_cy: str | None = None  # the title in Welsh

    def title_in(self, language: str = "en") -> str:
        """The module's title in English (``"en"``) or Welsh (``"cy"``)."""
        return _title(self.title, self.title_cy, language, self.id)

    @property
    def notebook(self) -> Path:
        """The module's notebook, relative to the project root."""
        return Path(_raw()["tracks"][self.track]["folder"]) / f"{self.id}.ipynb"

    def notebook_path(self, root: Path | None = None) -> Path:
        """The module's notebook as an absolute path under ``root`` (the project root by default)."""
        return (root or project_root()) / self.notebook


def _title(english: str, welsh: str | None, language: str, what: str) -> str:
    if language == "en":
        return english
    if language == "cy":
        if not welsh:
            raise ValueError(f"{what!r} has no Welsh title (title_cy) in syllabus.yaml")
        return welsh
    raise ValueError(f"language {language!r} is not offered; use 'en' or 'cy'")


@cache
def _raw() -> dict:
    text = resources.files("curriculum").joinpath("syllabus.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def tracks() -> dict[str, Track]:
    """Return the tracks of the curriculum, keyed by id.

    Returns
    -------
    dict of str to Track
    """
    return {k: Track(id=k, **v) for k, v in _raw()["tracks"].items()}


def syllabus(track: str | None = None) -> list[Module]:
    """Return the modules of the syllabus, in syllabus order.

    Parameters
    ----------
    track : str, optional
        Only this track's modules (``"data_lab"``, ``"adaption_lab"``,
        ``"procurement_lab"``, ``"senior_literacy"``).

    Returns
    -------
    list of Module

    Raises
    ------
    ValueError
        If ``track`` is not a track id.
    """
    if track is not None and track not in _raw()["tracks"]:
        raise ValueError(f"track {track!r} is unknown; the tracks are: {', '.join(_raw()['tracks'])}")
    modules = []
    for entry in _raw()["modules"]:
        if track is None or entry["track"] == track:
            modules.append(Module(
                id=entry["id"], track=entry["track"], title=entry["title"], minutes=int(entry["minutes"]),
                outcomes=tuple(entry["outcomes"]), datasets=tuple(entry["datasets"]),
                parameters=dict(entry["parameters"]), prerequisites=tuple(entry.get("prerequisites") or ()),
                project_type=entry.get("project_type"), phase=entry.get("phase"), title_cy=entry.get("title_cy"),
            ))
    return modules


def get_module(module_id: str) -> Module:
    """Return one module of the syllabus.

    Parameters
    ----------
    module_id : str
        The module's id, for example ``"where_the_money_goes"``.

    Returns
    -------
    Module

    Raises
    ------
    UnknownModuleError
        If no module has this id; the message lists the ids.
    """
    for module in syllabus():
        if module.id == module_id:
            return module
    ids = ", ".join(m.id for m in syllabus())
    raise UnknownModuleError(f"module {module_id!r} is not in the syllabus; the modules are: {ids}")


def project_root() -> Path:
    """Return the project folder that holds the lab notebooks.

    The ``INFUSE_ROOT`` environment variable wins; otherwise the folder that
    holds the installed ``curriculum`` package (an editable install or a clone).

    Returns
    -------
    pathlib.Path
    """
    import os

    if os.environ.get("INFUSE_ROOT"):
        return Path(os.environ["INFUSE_ROOT"]).resolve()
    return Path(__file__).resolve().parent.parent
