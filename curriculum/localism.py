"""Where suppliers are based: postcodes to council, region and nation, and the share of spend kept local.

Community wealth building (CLES's work with Preston since 2013) starts by asking how much of
an anchor institution's spend goes to suppliers based in its own area, its region and its
nation, how much to small firms (SMEs) and voluntary and community organisations (VCSEs), and
in which categories the money leaves the area although local suppliers exist. This module
answers those questions from a table of supplier values with postcodes:

- :func:`postcode_district` reduces a postcode to its district (the outward code, ``CF10``);
- :func:`classify_postcodes` places each postcode in a council of the Cardiff Capital Region
  (CCR), the rest of Wales or the rest of the UK, using the shipped table
  ``curriculum/resources/postcode_districts.csv`` (see :func:`postcode_districts`);
- :func:`values_from_spend` and :func:`values_from_contracts` build the supplier-value table
  from a spend file joined to a supplier locations file, or from a contracts register;
- :func:`location_shares`, :func:`kept_shares` and :func:`flag_share` give the shares;
- :func:`category_leakage` and :func:`leaking_categories` find the categories where spend
  leaves the region although local suppliers are active in them.

A postcode is where a supplier is registered or invoices from, not necessarily where the work
is done or where its staff live; the shares are a first map, not a measure of local benefit.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from curriculum.suppliers import is_redacted, normalise_supplier_name

__all__ = [
    "BANDS",
    "LEVELS",
    "PLACE_COLUMNS",
    "REGION",
    "VALUE_COLUMNS",
    "category_leakage",
    "classify_postcodes",
    "dataset_kinds",
    "flag_share",
    "kept_shares",
    "leaking_categories",
    "location_shares",
    "postcode_district",
    "postcode_districts",
    "values_from_contracts",
    "values_from_spend",
]

#: The region's name as the district table gives it.
REGION = "Cardiff Capital Region"
#: Mutually exclusive bands of where a supplier is based, nearest first.
BANDS: tuple[str, ...] = ("Own council", "Rest of the CCR", "Rest of Wales", "Rest of UK", "Unknown")
#: Levels of "local": own council, the region (CCR), the nation (Wales).
LEVELS: tuple[str, ...] = ("council", "region", "wales")
#: Columns of the supplier-value table the analysis works on.
VALUE_COLUMNS: tuple[str, ...] = ("supplier_key", "supplier_name", "postcode", "sme", "vcse", "category", "value")

#: Columns :func:`classify_postcodes` adds.
PLACE_COLUMNS: tuple[str, ...] = ("district", "district_council", "region", "nation", "in_council", "in_region",
                                  "in_wales", "band")

_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_LEVEL_COLUMN = {"council": "in_council", "region": "in_region", "wales": "in_wales"}


@cache
def _districts() -> pd.DataFrame:
    with resources.files("curriculum").joinpath("resources/postcode_districts.csv").open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return table.replace({"": pd.NA})


def postcode_districts() -> pd.DataFrame:
    """Return the shipped table of postcode districts and areas.

    Rows are either a district (``CF10``) or a whole postcode area (``SA``) whose districts
    are not listed one by one. Where a district spans two councils the table names the one
    that holds most of it and says so in ``note``.

    Returns
    -------
    pandas.DataFrame
        One row per district or area with columns ``district``, ``council`` (a CCR council,
        blank outside the region or where the area is not split), ``region`` (``Cardiff
        Capital Region``, ``Rest of Wales`` or ``Rest of UK``), ``nation`` and ``note``.
        Postcodes in no listed district or area are in the rest of the UK.
    """
    return _districts().copy()


def _as_text_series(values: object, argument: str) -> tuple[pd.Series, bool]:
    if isinstance(values, pd.Series):
        bad = values.map(lambda v: not (isinstance(v, str) or pd.isna(v)))
        if bad.any():
            raise TypeError(f"{argument} must hold text (or missing values); found {values[bad].iloc[0]!r}")
        return values.astype(object), False
    if isinstance(values, str) or values is None or (not isinstance(values, (list, tuple)) and pd.isna(values)):
        return pd.Series([values], dtype=object), True
    if isinstance(values, (list, tuple)):
        return _as_text_series(pd.Series(list(values), dtype=object), argument)[0], False
    raise TypeError(f"{argument} must be a str or a pandas Series of str, got {type(values).__name__}")


def postcode_district(postcode: str | pd.Series) -> str | pd.Series:
    """Return the district (outward code) of UK postcodes.

    The postcode is upper-cased and its spaces removed; a full postcode gives the part
    before its last three characters (``"cf10 1ab"`` and ``"CF101AB"`` give ``CF10``), and
    a bare district (``"NP20"``) is kept. Anything else (blank, ``"Various"``, ``"TBC"``,
    an overseas address) gives a missing value.

    Parameters
    ----------
    postcode : str or pandas.Series
        One postcode, or a column of them (missing values allowed).

    Returns
    -------
    str or pandas.Series
        The district (``pd.NA`` when the text is not a postcode); a Series with the same
        index for a Series.

    Raises
    ------
    TypeError
        If ``postcode`` is neither text nor a Series of text.

    Examples
    --------
    >>> postcode_district(" cf10 1ab")
    'CF10'
    >>> postcode_district("NP44")
    'NP44'
    """
    text, single = _as_text_series(postcode, "postcode")
    squashed = text.astype("string").str.upper().str.replace(r"\s+", "", regex=True)
    full = squashed.str.extract(_FULL)[0]
    bare = squashed.where(squashed.str.fullmatch(_DISTRICT).fillna(False))
    district = full.fillna(bare).astype(object).where(lambda s: s.notna(), pd.NA)
    district.index = text.index
    if single:
        value = district.iloc[0]
        return pd.NA if pd.isna(value) else str(value)
    return district


def _check_council(council: object) -> str | None:
    if council is None:
        return None
    if not isinstance(council, str) or not council.strip():
        raise ValueError(f"council must be a council's name as text (or None), got {council!r}")
    return council.strip()


def classify_postcodes(postcodes: pd.Series, council: str | None = None) -> pd.DataFrame:
    """Place postcodes in a council of the region, the rest of Wales or the rest of the UK.

    Each postcode's district is looked up in :func:`postcode_districts`; a district not
    listed falls back to its postcode area (``SA``), and a postcode in neither is in the rest
    of the UK. Text that is not a postcode is ``Unknown`` and counts as local at no level.

    Parameters
    ----------
    postcodes : pandas.Series
        A column of postcodes (missing values allowed).
    council : str, optional
        The council whose own suppliers are "Own council". A name outside the region
        (``"Salford"``) is allowed: none of its postcodes is then in the council or region.

    Returns
    -------
    pandas.DataFrame
        Same index as ``postcodes``, with columns ``district``, ``district_council`` (the
        CCR council of the district, missing outside the region), ``region`` (``Cardiff
        Capital Region``, ``Rest of Wales``, ``Rest of UK`` or ``Unknown``), ``nation``
        (``Wales``, ``England``, ``Other UK`` or ``Unknown``), ``band`` (one of
        :data:`BANDS`) and the flags ``in_council``, ``in_region`` and ``in_wales``.

    Raises
    ------
    TypeError
        If ``postcodes`` is not a Series of text.
    ValueError
        If ``council`` is blank or not text.
    """
    if not isinstance(postcodes, pd.Series):
        raise TypeError(f"postcodes must be a pandas Series of text, got {type(postcodes).__name__}")
    council = _check_council(council)
    district = postcode_district(postcodes)
    table = _districts().set_index("district")
    area = district.str.extract(r"^([A-Z]+)", expand=False) if len(district) else district
    exact = district.map(lambda d: d if isinstance(d, str) and d in table.index else pd.NA)
    by_area = area.map(lambda a: a if isinstance(a, str) and a in table.index else pd.NA)
    key = exact.fillna(by_area)
    known = district.notna()
    looked_up = key.notna()
    out = pd.DataFrame(index=postcodes.index)
    out["district"] = district
    out["district_council"] = key.map(lambda k: table.at[k, "council"] if isinstance(k, str) else pd.NA)
    region = key.map(lambda k: table.at[k, "region"] if isinstance(k, str) else pd.NA)
    nation = key.map(lambda k: table.at[k, "nation"] if isinstance(k, str) else pd.NA)
    out["region"] = region.where(looked_up, "Rest of UK").where(known, "Unknown")
    out["nation"] = nation.where(looked_up, "Other UK").where(known, "Unknown")
    out["in_council"] = (out["district_council"] == council).fillna(False).astype(bool) if council else False
    out["in_region"] = (out["region"] == REGION).astype(bool)
    out["in_wales"] = (out["nation"] == "Wales").astype(bool)
    out["band"] = np.select(
        [~known.to_numpy(dtype=bool), out["in_council"].to_numpy(dtype=bool), out["in_region"].to_numpy(dtype=bool),
         out["in_wales"].to_numpy(dtype=bool)],
        ["Unknown", "Own council", "Rest of the CCR", "Rest of Wales"], default="Rest of UK")
    return out[list(PLACE_COLUMNS)]


def _require(frame: pd.DataFrame, columns: tuple[str, ...], argument: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{argument} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{argument} lacks the column(s) {missing}; it has {list(frame.columns)}")


def _first_known(series: pd.Series) -> object:
    known = series.dropna()
    return known.iloc[0] if len(known) else pd.NA


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[frame["value"] > 0].sort_values(["value", "supplier_key"], ascending=[False, True])
    frame = frame.reset_index(drop=True)
    for flag in ("sme", "vcse"):
        frame[flag] = frame[flag].astype("boolean")
    return frame[list(VALUE_COLUMNS)]


def values_from_spend(spend: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """Build the supplier-value table from a spend file and a supplier locations file.

    Payment lines to redacted payees (individuals) are left out; the other lines are joined
    to ``locations`` by normalised supplier name (:func:`curriculum.suppliers.normalise_supplier_name`)
    and summed by supplier and category. A supplier with a net credit in a category is left
    out of that category.

    Parameters
    ----------
    spend : pandas.DataFrame
        A ``spend`` dataset (``supplier_name``, ``amount``, ``category``).
    locations : pandas.DataFrame
        A ``supplier_locations`` dataset (``supplier_name``, ``postcode``, ``sme`` and
        optionally ``vcse``); when a supplier is listed twice its first known values are used.

    Returns
    -------
    pandas.DataFrame
        One row per supplier and category with the columns :data:`VALUE_COLUMNS`; suppliers
        missing from ``locations`` have missing postcode and flags. Largest value first.

    Raises
    ------
    TypeError
        If an argument is not a DataFrame.
    ValueError
        If an argument lacks a column named above.
    """
    _require(spend, ("supplier_name", "amount", "category"), "spend")
    _require(locations, ("supplier_name", "postcode", "sme"), "locations")
    lines = spend.loc[~is_redacted(spend["supplier_name"]), ["supplier_name", "amount", "category"]].copy()
    lines["supplier_key"] = normalise_supplier_name(lines["supplier_name"])
    grouped = (lines.groupby(["supplier_key", "category"], as_index=False)
                    .agg(supplier_name=("supplier_name", "first"), value=("amount", "sum")))
    places = locations.copy()
    if "vcse" not in places.columns:
        places["vcse"] = pd.NA
    places["supplier_key"] = normalise_supplier_name(places["supplier_name"])
    places = (places.groupby("supplier_key")[["postcode", "sme", "vcse"]]
                    .agg(_first_known) if len(places) else places.set_index("supplier_key")[["postcode", "sme", "vcse"]])
    merged = grouped.merge(places, how="left", left_on="supplier_key", right_index=True)
    return _finish(merged)


def values_from_contracts(contracts: pd.DataFrame) -> pd.DataFrame:
    """Build the supplier-value table from a contracts register.

    Each contract counts at its annual value, or at its total value where the register
    gives no annual value. Contracts are summed by supplier (normalised name) and
    category (``Not stated`` when blank); a supplier's postcode and SME flag are its first
    known ones. Registers carry no VCSE flag unless a ``vcse`` column is present.

    Parameters
    ----------
    contracts : pandas.DataFrame
        A ``contracts`` dataset with ``supplier_name``, ``supplier_postcode`` and
        ``total_value`` (``annual_value``, ``sme`` and ``category`` are used when present).

    Returns
    -------
    pandas.DataFrame
        One row per supplier and category with the columns :data:`VALUE_COLUMNS`, largest
        value first; contracts without any value are left out.

    Raises
    ------
    TypeError
        If ``contracts`` is not a DataFrame.
    ValueError
        If it lacks ``supplier_name``, ``supplier_postcode`` or ``total_value``.
    """
    _require(contracts, ("supplier_name", "supplier_postcode", "total_value"), "contracts")
    frame = pd.DataFrame({"supplier_name": contracts["supplier_name"], "postcode": contracts["supplier_postcode"]})
    annual = contracts["annual_value"] if "annual_value" in contracts.columns else pd.Series(np.nan, index=contracts.index)
    frame["value"] = annual.astype(float).fillna(contracts["total_value"].astype(float))
    for flag in ("sme", "vcse"):
        frame[flag] = contracts[flag] if flag in contracts.columns else pd.NA
    category = contracts["category"] if "category" in contracts.columns else pd.Series(pd.NA, index=contracts.index)
    frame["category"] = category.astype(object).where(category.notna(), "Not stated")
    frame["supplier_key"] = normalise_supplier_name(frame["supplier_name"])
    who = frame.groupby("supplier_key").agg(supplier_name=("supplier_name", "first"), postcode=("postcode", _first_known),
                                             sme=("sme", _first_known), vcse=("vcse", _first_known))
    values = frame.groupby(["supplier_key", "category"], as_index=False)["value"].sum(min_count=1)
    return _finish(values.merge(who, how="left", left_on="supplier_key", right_index=True))


def _placed(values: pd.DataFrame, council: str | None) -> pd.DataFrame:
    _require(values, ("supplier_key", "postcode", "value"), "values")
    base = values.drop(columns=[c for c in PLACE_COLUMNS if c in values.columns])
    return pd.concat([base, classify_postcodes(values["postcode"].astype(object), council)], axis=1)


def location_shares(values: pd.DataFrame, council: str | None) -> pd.DataFrame:
    """Split the value of a supplier-value table by where the suppliers are based.

    Parameters
    ----------
    values : pandas.DataFrame
        A table with ``supplier_key``, ``postcode`` and ``value`` (see :data:`VALUE_COLUMNS`).
    council : str or None
        The council whose suppliers are "Own council".

    Returns
    -------
    pandas.DataFrame
        One row per band of :data:`BANDS` (all five, in order) with ``value``, ``share``
        (of the table's total value; 0 when the total is 0) and ``suppliers`` (distinct
        supplier keys; a supplier is counted in each band its rows fall in).

    Raises
    ------
    TypeError
        If ``values`` is not a DataFrame.
    ValueError
        If it lacks a column named above, or ``council`` is blank.
    """
    placed = _placed(values, council)
    out = pd.DataFrame(index=pd.Index(BANDS, name="band"))
    out["value"] = placed.groupby("band")["value"].sum().reindex(BANDS, fill_value=0.0).astype(float)
    total = out["value"].sum()
    out["share"] = out["value"] / total if total else 0.0
    out["suppliers"] = placed.groupby("band")["supplier_key"].nunique().reindex(BANDS, fill_value=0).astype(int)
    return out


def kept_shares(values: pd.DataFrame, council: str | None) -> dict[str, float]:
    """Return the shares of value kept in the council, in the region and in Wales.

    Each share is of the table's total value, with suppliers of unknown location counted
    as not local; ``unknown`` says how much that is.

    Parameters
    ----------
    values : pandas.DataFrame
        A table with ``supplier_key``, ``postcode`` and ``value``.
    council : str or None
        The council whose suppliers are "in the council".

    Returns
    -------
    dict of str to float
        ``council``, ``region``, ``wales`` (nested: each at least the one before) and
        ``unknown``; all 0 for an empty table.

    Raises
    ------
    TypeError
        If ``values`` is not a DataFrame.
    ValueError
        If it lacks a column named above, or ``council`` is blank.
    """
    placed = _placed(values, council)
    total = float(placed["value"].sum())
    if total == 0:
        return {"council": 0.0, "region": 0.0, "wales": 0.0, "unknown": 0.0}
    share = {level: float(placed.loc[placed[column], "value"].sum() / total) for level, column in _LEVEL_COLUMN.items()}
    share["unknown"] = float(placed.loc[placed["band"] == "Unknown", "value"].sum() / total)
    return share


def flag_share(values: pd.DataFrame, flag: str) -> float:
    """Return the share of value with suppliers that carry a flag (SME or VCSE).

    Parameters
    ----------
    values : pandas.DataFrame
        A table with ``value`` and the flag column (True, False or missing).
    flag : str
        ``"sme"`` or ``"vcse"`` (or any other column of True/False flags).

    Returns
    -------
    float
        Value where the flag is True divided by value where it is known; NaN when it is
        known for no row.

    Raises
    ------
    TypeError
        If ``values`` is not a DataFrame.
    ValueError
        If ``flag`` or ``value`` is not a column of ``values``.
    """
    if not isinstance(flag, str):
        raise ValueError(f"flag must be a column name, got {flag!r}")
    _require(values, ("value", flag), "values")
    marks = values[flag].astype("boolean")
    known = marks.notna()
    denominator = float(values.loc[known, "value"].sum())
    if not known.any() or denominator == 0:
        return float("nan")
    return float(values.loc[marks.fillna(False).astype(bool), "value"].sum() / denominator)


def category_leakage(values: pd.DataFrame, council: str | None, level: str = "region") -> pd.DataFrame:
    """Tabulate, for each category, the value that leaves an area and the local suppliers in it.

    Parameters
    ----------
    values : pandas.DataFrame
        A table with ``supplier_key``, ``postcode``, ``category`` and ``value``.
    council : str or None
        The council (used when ``level`` is ``"council"``).
    level : {"council", "region", "wales"}, default "region"
        What "local" means: the council, the Cardiff Capital Region or Wales.

    Returns
    -------
    pandas.DataFrame
        One row per category, largest ``value_outside`` first, with ``value`` (total),
        ``value_outside`` (with suppliers not known to be local, unknown locations
        included), ``share_outside``, ``suppliers``, ``local_suppliers`` (distinct suppliers
        based locally with value in the category) and ``largest_outside`` (the largest
        single supplier's value outside).

    Raises
    ------
    TypeError
        If ``values`` is not a DataFrame.
    ValueError
        If ``level`` is not one of :data:`LEVELS` or a column is missing.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    _require(values, ("supplier_key", "postcode", "category", "value"), "values")
    placed = _placed(values, council)
    local = placed[_LEVEL_COLUMN[level]]
    placed["value_outside"] = placed["value"].where(~local, 0.0)
    per = placed.groupby("category")
    table = per.agg(value=("value", "sum"), value_outside=("value_outside", "sum"), suppliers=("supplier_key", "nunique"))
    table["share_outside"] = (table["value_outside"] / table["value"]).where(table["value"] != 0, 0.0)
    table["local_suppliers"] = (placed[local].groupby("category")["supplier_key"].nunique()
                                .reindex(table.index, fill_value=0).astype(int))
    outside = placed[~local]
    table["largest_outside"] = (outside.groupby(["category", "supplier_key"])["value"].sum().groupby("category").max()
                                .reindex(table.index, fill_value=0.0).astype(float))
    table = table[["value", "value_outside", "share_outside", "suppliers", "local_suppliers", "largest_outside"]]
    table["suppliers"] = table["suppliers"].astype(int)
    return table.sort_values(["value_outside", "value"], ascending=False)


def leaking_categories(leakage: pd.DataFrame, min_local_suppliers: int = 2, min_share_outside: float = 0.5) -> pd.DataFrame:
    """Keep the categories where most value leaves although local suppliers are active.

    Parameters
    ----------
    leakage : pandas.DataFrame
        The output of :func:`category_leakage`.
    min_local_suppliers : int, default 2
        Fewest local suppliers active in a category for it to count.
    min_share_outside : float, default 0.5
        Smallest share of the category's value going outside for it to count.

    Returns
    -------
    pandas.DataFrame
        The rows of ``leakage`` that pass both thresholds, largest ``value_outside`` first.

    Raises
    ------
    TypeError
        If ``leakage`` is not a DataFrame.
    ValueError
        If it lacks ``value_outside``, ``share_outside`` or ``local_suppliers``, or a
        threshold is out of range (``min_local_suppliers`` below 1, ``min_share_outside``
        outside 0-1).
    """
    _require(leakage, ("value_outside", "share_outside", "local_suppliers"), "leakage")
    if isinstance(min_local_suppliers, bool) or not isinstance(min_local_suppliers, (int, np.integer)) or min_local_suppliers < 1:
        raise ValueError(f"min_local_suppliers must be a whole number of at least 1, got {min_local_suppliers!r}")
    if not isinstance(min_share_outside, (int, float)) or not 0 <= min_share_outside <= 1:
        raise ValueError(f"min_share_outside must be a share between 0 and 1, got {min_share_outside!r}")
    keep = (leakage["local_suppliers"] >= min_local_suppliers) & (leakage["share_outside"] >= min_share_outside) & (
        leakage["value_outside"] > 0)
    return leakage[keep].sort_values("value_outside", ascending=False)


def dataset_kinds(council: str, data_dir: str | Path | None = None) -> set[str]:
    """Return the dataset kinds a council's data folder maps.

    Parameters
    ----------
    council : str
        A CCR council (demo data) or any label (with ``data_dir``).
    data_dir : str, pathlib.Path or None
        The council's folder with its ``mapping.yaml``; None for the demo data.

    Returns
    -------
    set of str
        The kinds under ``datasets:`` in the folder's mapping.

    Raises
    ------
    MappingError
        If the folder or its mapping is invalid.
    UnknownCouncilError
        If ``data_dir`` is None and ``council`` is not a CCR council.
    """
    from curriculum.datasets import resolve_data_dir

    return set(resolve_data_dir(council, data_dir)[1].datasets)
