"""The ten councils of the Cardiff Capital Region, their ONS codes and populations."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from curriculum.errors import UnknownCouncilError

__all__ = ["Council", "councils", "get_council", "COUNCIL_NAMES", "DEFAULT_COUNCIL"]

DEFAULT_COUNCIL = "Cardiff"


@dataclass(frozen=True)
class Council:
    """One CCR council: name, ONS code (W06...), folder slug and Census 2021 population."""

    name: str
    code: str
    slug: str
    population_2021: int


@cache
def _table() -> pd.DataFrame:
    with resources.files("curriculum").joinpath("resources/councils.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype={"name": str, "code": str, "slug": str, "population_2021": "int64"})


def councils() -> pd.DataFrame:
    """Return the ten CCR councils as a table.

    Returns
    -------
    pandas.DataFrame
        One row per council with columns ``name``, ``code`` (ONS GSS code),
        ``slug`` (folder name of its demo data) and ``population_2021``
        (Census 2021 usual residents, rounded to the nearest hundred by ONS).
    """
    return _table().copy()


COUNCIL_NAMES: tuple[str, ...] = (
    "Blaenau Gwent", "Bridgend", "Caerphilly", "Cardiff", "Merthyr Tydfil",
    "Monmouthshire", "Newport", "Rhondda Cynon Taf", "Torfaen", "Vale of Glamorgan",
)


def get_council(name_or_code: str) -> Council:
    """Look up a CCR council by name, slug or ONS code.

    Parameters
    ----------
    name_or_code : str
        A council name (``"Rhondda Cynon Taf"``; case and spacing are ignored),
        its slug (``"rhondda-cynon-taf"``) or its ONS code (``"W06000016"``).

    Returns
    -------
    Council
        The matching council.

    Raises
    ------
    UnknownCouncilError
        If ``name_or_code`` is not one of the ten councils; the message suggests
        the closest name.
    """
    if not isinstance(name_or_code, str):
        raise UnknownCouncilError(f"council must be one of the ten CCR council names as text ({', '.join(COUNCIL_NAMES)}), got {name_or_code!r}")
    key = " ".join(name_or_code.replace("-", " ").split()).casefold()
    for row in _table().itertuples(index=False):
        if key in (row.name.casefold(), row.slug.replace("-", " "), row.code.casefold()):
            return Council(row.name, row.code, row.slug, int(row.population_2021))
    close = difflib.get_close_matches(name_or_code, COUNCIL_NAMES, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise UnknownCouncilError(
        f"council {name_or_code!r} is not one of the ten CCR councils ({', '.join(COUNCIL_NAMES)}).{hint} "
        "To run on your own organisation's data, pass data_dir (a folder with your files and a mapping.yaml)."
    )
