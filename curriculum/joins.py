"""Joins that say what they kept, what they dropped and what they multiplied.

A join is where records go missing without a word. ``pandas.merge`` keeps only the
rows it can match (``how="inner"``), leaves blanks where it cannot (``how="left"``),
matches a missing key to a missing key, and multiplies rows when a key repeats on
the lookup side. These functions make every one of those outcomes visible:

- :func:`checked_merge` is ``pandas.merge`` plus a :class:`JoinReport`: rows matched,
  left without a match, right rows never used, keys that repeat on either side,
  missing keys (which never match here, unlike in pandas) and the extra rows that
  repeated keys created. With ``validate`` it refuses a join whose keys are not as
  unique as promised, with a :class:`JoinError` that names the repeated keys;
- :func:`duplicated_keys` lists the keys that repeat in a table, with their counts;
- :func:`lookup_postcodes` tidies postcodes (:func:`curriculum.addresses.normalise_postcode`)
  and looks them up in a postcode directory (the ``postcode_lookup`` dataset, ONS
  Postcode Directory style), giving each record its small area (LSOA) and council and
  a status that says why a record did not get one (:data:`POSTCODE_STATUSES`).

Nothing happens on import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from curriculum.addresses import normalise_postcode
from curriculum.errors import CurriculumError

__all__ = ["JoinError", "JoinReport", "POSTCODE_STATUSES", "checked_merge", "duplicated_keys", "lookup_postcodes"]

#: Why a postcode did or did not give a small area, in the order they are tested.
POSTCODE_STATUSES: tuple[str, ...] = ("matched", "terminated", "other council", "not in directory", "invalid", "missing")

_HOWS = ("left", "right", "inner", "outer")
_VALIDATE = {
    "one_to_one": "one_to_one", "1:1": "one_to_one",
    "one_to_many": "one_to_many", "1:m": "one_to_many",
    "many_to_one": "many_to_one", "m:1": "many_to_one",
    "many_to_many": "many_to_many", "m:m": "many_to_many",
}
_LEFT_ROW, _RIGHT_ROW, _MERGE = "__left_row__", "__right_row__", "__merge__"
_SHOW = 3  # repeated keys quoted in a message


class JoinError(CurriculumError, ValueError):
    """A join whose keys are not what the analyst said they were, or cannot be compared."""


@dataclass(frozen=True)
class JoinReport:
    """What a join did to the rows of its two tables.

    Attributes
    ----------
    name : str
        A label for the join, used in messages and summaries.
    how : str
        ``"left"``, ``"right"``, ``"inner"`` or ``"outer"``.
    on : tuple of str
        The key columns.
    validate : str or None
        The promised uniqueness (``"many_to_one"`` and so on), or None.
    left_rows, right_rows, result_rows : int
        Rows in the left and right tables and in the result.
    left_matched : int
        Left rows with at least one matching right row.
    left_unmatched : int
        Left rows with no match (including those with a missing key): kept with blanks
        by a left or outer join, dropped by an inner or right join.
    right_unmatched : int
        Right rows that no left row matched.
    left_missing_keys, right_missing_keys : int
        Rows with a missing key value; they never match.
    left_duplicated_keys, right_duplicated_keys : int
        Distinct key values found on more than one row of that table.
    extra_rows : int
        Rows beyond one per matched left row: the copies made because a left row's
        key repeats on the right.
    """

    name: str
    how: str
    on: tuple[str, ...]
    validate: str | None
    left_rows: int
    right_rows: int
    result_rows: int
    left_matched: int
    left_unmatched: int
    right_unmatched: int
    left_missing_keys: int
    right_missing_keys: int
    left_duplicated_keys: int
    right_duplicated_keys: int
    extra_rows: int

    @property
    def match_rate(self) -> float:
        """Share of left rows that found a match (0 when the left table is empty)."""
        return self.left_matched / self.left_rows if self.left_rows else 0.0

    @property
    def dropped_left(self) -> int:
        """Left rows that are not in the result at all (the unmatched ones, for inner and right joins)."""
        return self.left_unmatched if self.how in ("inner", "right") else 0

    def to_frame(self) -> pd.DataFrame:
        """Return the report as a two-column table (``figure``, ``value``) for documents.

        Returns
        -------
        pandas.DataFrame
        """
        figures = {
            "left rows": self.left_rows, "right rows": self.right_rows, "rows in the result": self.result_rows,
            "left rows matched": self.left_matched, "left rows without a match": self.left_unmatched,
            "left rows dropped by the join": self.dropped_left, "right rows never used": self.right_unmatched,
            "left rows with a missing key": self.left_missing_keys, "right rows with a missing key": self.right_missing_keys,
            "keys repeated on the left": self.left_duplicated_keys, "keys repeated on the right": self.right_duplicated_keys,
            "extra rows from repeated keys": self.extra_rows,
        }
        return pd.DataFrame({"figure": list(figures), "value": [f"{v:,}" for v in figures.values()]})

    def summary(self) -> str:
        """Return a few lines that say what the join kept, dropped and multiplied.

        Returns
        -------
        str
        """
        def pct(n: int, of: int) -> str:
            return f" ({n / of:.1%})" if of else ""

        fate = {"left": "kept with blanks", "outer": "kept with blanks", "inner": "DROPPED", "right": "DROPPED"}[self.how]
        lines = [
            f"Join {self.name!r}: {self.how} join on {', '.join(self.on)}"
            + (f", validated {self.validate}" if self.validate else ", not validated"),
            f"  rows: {self.left_rows:,} left, {self.right_rows:,} right, {self.result_rows:,} in the result",
            f"  left rows matched: {self.left_matched:,}{pct(self.left_matched, self.left_rows)}",
            f"  left rows without a match: {self.left_unmatched:,}{pct(self.left_unmatched, self.left_rows)}, {fate}"
            + (f" ({self.left_missing_keys:,} of them with a missing key)" if self.left_missing_keys else ""),
            f"  right rows never used: {self.right_unmatched:,}{pct(self.right_unmatched, self.right_rows)}"
            + (f" ({self.right_missing_keys:,} with a missing key)" if self.right_missing_keys else ""),
            f"  keys repeated: {self.left_duplicated_keys:,} on the left"
            + (" (many records per key, as expected)" if self.left_duplicated_keys and self.validate == "many_to_one" else "")
            + f", {self.right_duplicated_keys:,} on the right",
        ]
        if self.extra_rows:
            lines.append(f"  WARNING: repeated right keys made {self.extra_rows:,} extra rows: "
                         "counts taken from the result will be inflated")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _keys(on) -> list[str]:
    if isinstance(on, str):
        return [on]
    if isinstance(on, Sequence) and on and all(isinstance(k, str) for k in on):
        return list(on)
    raise TypeError(f"on must be a column name or a list of column names, got {on!r}")


def _check_frame(frame, keys: list[str], argument: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{argument} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise ValueError(f"{argument} has no key column(s) {missing}; its columns are: {', '.join(map(str, frame.columns))}")
    clash = [c for c in (_LEFT_ROW, _RIGHT_ROW, _MERGE) if c in frame.columns]
    if clash:
        raise ValueError(f"{argument} must not have the column(s) {clash}: checked_merge uses them while joining")


def _repeated(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Key values found on more than one row (missing keys left out), with their counts, most first."""
    present = frame.loc[frame[keys].notna().all(axis=1), keys]
    counts = present.groupby(keys, dropna=False, sort=False).size().rename("rows").reset_index()
    return counts[counts["rows"] > 1].sort_values("rows", ascending=False, kind="stable").reset_index(drop=True)


def duplicated_keys(frame: pd.DataFrame, on) -> pd.DataFrame:
    """Return the key values that appear on more than one row, with how many rows each has.

    A key that repeats on the lookup side of a join multiplies every row that matches it.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to check.
    on : str or list of str
        The key column(s).

    Returns
    -------
    pandas.DataFrame
        One row per repeated key value: the key column(s) and ``rows``, most rows first;
        empty when every key is unique. Missing key values are left out.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame or ``on`` is not a column name or list of them.
    ValueError
        If a key column is missing from ``frame``.

    Examples
    --------
    >>> duplicated_keys(pd.DataFrame({"pc": ["CF10 1AA", "CF10 1AA", "CF24 3AB"]}), "pc")
             pc  rows
    0  CF10 1AA     2
    """
    keys = _keys(on)
    _check_frame(frame, keys, "frame")
    return _repeated(frame, keys)


def _describe_repeats(repeats: pd.DataFrame, keys: list[str]) -> str:
    shown = []
    for row in repeats.head(_SHOW).itertuples(index=False):
        key = row[0] if len(keys) == 1 else tuple(row[: len(keys)])
        shown.append(f"{key!r} on {row[-1]} rows")
    more = f" and {len(repeats) - _SHOW:,} more" if len(repeats) > _SHOW else ""
    return "; ".join(shown) + more


def checked_merge(left: pd.DataFrame, right: pd.DataFrame, on, how: str = "left", validate: str | None = None,
                  name: str | None = None, *, indicator: bool = False) -> tuple[pd.DataFrame, JoinReport]:
    """Join two tables like :func:`pandas.merge` and report what the join did to their rows.

    Two differences from ``pandas.merge``: rows with a missing key never match (pandas
    matches a missing key to a missing key), and a broken ``validate`` promise raises a
    :class:`JoinError` that names the repeated keys. Otherwise the result is what
    ``pandas.merge(left, right, on=on, how=how)`` returns, in the same row order for
    left, right and inner joins.

    Parameters
    ----------
    left, right : pandas.DataFrame
        The tables to join (for a lookup: the records, then the lookup table).
    on : str or list of str
        Key column(s), present in both tables.
    how : {"left", "right", "inner", "outer"}, default "left"
        Which rows to keep, as in pandas.
    validate : str, optional
        The uniqueness the keys must have: ``"one_to_one"`` (``"1:1"``), ``"one_to_many"``
        (``"1:m"``), ``"many_to_one"`` (``"m:1"``, the usual promise for a lookup) or
        ``"many_to_many"`` (``"m:m"``, no promise). None checks nothing.
    name : str, optional
        A label for messages and the report; ``"<left keys> join"`` by default.
    indicator : bool, default False
        Add pandas' ``_merge`` column (``left_only``, ``right_only`` or ``both``).

    Returns
    -------
    tuple of (pandas.DataFrame, JoinReport)
        The joined table and the report of what happened to the rows.

    Raises
    ------
    TypeError
        If ``left`` or ``right`` is not a DataFrame, or ``on`` is not a column name or list.
    ValueError
        If a key column is missing, or ``how`` or ``validate`` is not one of the values above.
    JoinError
        If the keys break the ``validate`` promise (the message lists repeated keys), or a
        key column's types on the two sides cannot be compared (text against numbers).

    Examples
    --------
    >>> records = pd.DataFrame({"pc": ["CF10 1AA", "CF24 3AB", None]})
    >>> lookup = pd.DataFrame({"pc": ["CF10 1AA"], "lsoa": ["W01001051"]})
    >>> joined, report = checked_merge(records, lookup, on="pc", validate="many_to_one")
    >>> report.left_matched, report.left_unmatched
    (1, 2)
    """
    keys = _keys(on)
    _check_frame(left, keys, "left")
    _check_frame(right, keys, "right")
    if how not in _HOWS:
        raise ValueError(f"how must be one of {', '.join(_HOWS)}, got {how!r}")
    if validate is not None and validate not in _VALIDATE:
        raise ValueError(f"validate must be one of {', '.join(_VALIDATE)} or None, got {validate!r}")
    promise = _VALIDATE.get(validate) if validate is not None else None
    label = name if name else f"{', '.join(keys)} join"
    if not isinstance(indicator, bool):
        raise TypeError(f"indicator must be True or False, got {indicator!r}")

    left_repeats, right_repeats = _repeated(left, keys), _repeated(right, keys)
    for side, repeats, bad in (("left", left_repeats, ("one_to_one", "one_to_many")),
                               ("right", right_repeats, ("one_to_one", "many_to_one"))):
        if promise in bad and len(repeats):
            fix = ("de-duplicate the lookup, or join on a key that identifies one row (a UPRN rather than a postcode)"
                   if side == "right" else "de-duplicate the left table, or drop the promise")
            raise JoinError(
                f"join {label!r}: validate={validate!r} promises each key once on the {side}, but {len(repeats):,} "
                f"key value(s) repeat there: {_describe_repeats(repeats, keys)}. Every left row matching a repeated "
                f"key would be copied once per repeat. How to fix: {fix}; duplicated_keys(frame, on) lists them all."
            )

    left_missing = left[keys].isna().any(axis=1).to_numpy()
    right_missing = right[keys].isna().any(axis=1).to_numpy()
    tagged_left = left.assign(**{_LEFT_ROW: np.arange(len(left))})
    tagged_right = right.assign(**{_RIGHT_ROW: np.arange(len(right))})
    try:
        core = pd.merge(tagged_left[~left_missing], tagged_right[~right_missing], on=keys, how=how,
                        indicator=_MERGE, sort=False)
    except ValueError as exc:
        kinds = "; ".join(f"{k!r} is {left[k].dtype} on the left and {right[k].dtype} on the right" for k in keys)
        raise JoinError(f"join {label!r}: the keys cannot be compared ({kinds}). Convert one side first, for "
                        f"example with .astype('Int64') or .astype(str). pandas said: {exc}") from None
    pieces = [core]
    if how in ("left", "outer") and left_missing.any():
        pieces.append(tagged_left[left_missing].assign(**{_MERGE: "left_only"}))
    if how in ("right", "outer") and right_missing.any():
        pieces.append(tagged_right[right_missing].assign(**{_MERGE: "right_only"}))
    result = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else core
    if how == "left" and len(pieces) > 1:
        result = result.sort_values(_LEFT_ROW, kind="stable", ignore_index=True)
    elif how == "right" and len(pieces) > 1:
        result = result.sort_values(_RIGHT_ROW, kind="stable", ignore_index=True)

    both = result[_MERGE].astype(str) == "both"
    left_matched = int(result.loc[both, _LEFT_ROW].nunique())
    right_matched = int(result.loc[both, _RIGHT_ROW].nunique())
    report = JoinReport(
        name=label, how=how, on=tuple(keys), validate=promise,
        left_rows=len(left), right_rows=len(right), result_rows=len(result),
        left_matched=left_matched, left_unmatched=len(left) - left_matched,
        right_unmatched=len(right) - right_matched,
        left_missing_keys=int(left_missing.sum()), right_missing_keys=int(right_missing.sum()),
        left_duplicated_keys=len(left_repeats), right_duplicated_keys=len(right_repeats),
        extra_rows=int(both.sum()) - left_matched,
    )
    if indicator:
        result["_merge"] = pd.Categorical(result[_MERGE].astype(str), categories=["left_only", "right_only", "both"])
    result = result.drop(columns=[_LEFT_ROW, _RIGHT_ROW, _MERGE], errors="ignore")
    return result, report


def lookup_postcodes(postcodes: pd.Series, directory: pd.DataFrame, *, council_code: str | None = None,
                     keep_terminated: bool = True, postcode: str = "postcode", lsoa: str = "lsoa_code",
                     council: str = "council_code", terminated: str = "terminated") -> pd.DataFrame:
    """Tidy postcodes and look them up in a postcode directory, saying why any fail.

    Each postcode is normalised (case and spaces, :func:`curriculum.addresses.normalise_postcode`)
    and looked up. Its status is the first that applies of :data:`POSTCODE_STATUSES`, tested
    from the end: *missing* (blank), *invalid* (not a whole UK postcode), *not in
    directory* (a real-looking postcode the directory does not hold: a typo, a new build
    newer than the directory, an address elsewhere), *other council* (in the directory
    but in another council than ``council_code``), *terminated* (no longer in use; it
    keeps its last small area) and *matched*.

    Parameters
    ----------
    postcodes : pandas.Series
        Postcodes as recorded, in any case and spacing; blanks allowed.
    directory : pandas.DataFrame
        One row per postcode with columns ``postcode``, ``lsoa``, ``council`` and
        ``terminated`` (a date, missing for live postcodes): the ``postcode_lookup`` dataset.
    council_code : str, optional
        The ONS code of the council whose records these are (``"W06000015"`` for
        Cardiff); postcodes in other councils get status *other council*. None skips
        the test.
    keep_terminated : bool, default True
        Give terminated postcodes their last small area (as the ONS directory does);
        False leaves their ``lsoa_code`` and ``council_code`` blank.
    postcode, lsoa, council, terminated : str
        Column names of ``directory``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``postcodes``, with columns ``postcode`` (normalised, None when
        missing or invalid), ``lsoa_code``, ``council_code`` (blank unless found),
        ``terminated`` (bool) and ``status`` (categorical, in :data:`POSTCODE_STATUSES` order).

    Raises
    ------
    TypeError
        If ``postcodes`` is not a Series, ``directory`` not a DataFrame, or ``keep_terminated`` not a bool.
    ValueError
        If ``directory`` lacks a column, or holds a postcode twice once normalised
        (a stacked or badly cut extract).

    Examples
    --------
    >>> directory = pd.DataFrame({"postcode": ["CF10 1AA"], "lsoa_code": ["W01001051"],
    ...                           "council_code": ["W06000015"], "terminated": [pd.NaT]})
    >>> lookup_postcodes(pd.Series(["cf101aa", "CF10", None]), directory)["status"].tolist()
    ['matched', 'invalid', 'missing']
    """
    if not isinstance(postcodes, pd.Series):
        raise TypeError(f"postcodes must be a pandas Series of postcodes, got {type(postcodes).__name__}")
    if not isinstance(directory, pd.DataFrame):
        raise TypeError(f"directory must be a pandas DataFrame (the postcode_lookup dataset), got {type(directory).__name__}")
    if not isinstance(keep_terminated, bool):
        raise TypeError(f"keep_terminated must be True or False, got {keep_terminated!r}")
    needed = [postcode, lsoa, council, terminated]
    missing_columns = [c for c in needed if c not in directory.columns]
    if missing_columns:
        raise ValueError(f"directory has no column(s) {missing_columns}; its columns are: {', '.join(map(str, directory.columns))}")
    table = pd.DataFrame({
        "postcode": normalise_postcode(directory[postcode].astype(object)).to_numpy(),
        "lsoa_code": directory[lsoa].astype(object).to_numpy(),
        "council_code": directory[council].astype(object).to_numpy(),
        "terminated": directory[terminated].notna().to_numpy(),
        "found": True,
    }).dropna(subset=["postcode"])
    repeats = _repeated(table, ["postcode"])
    if len(repeats):
        raise ValueError(f"directory must hold each postcode once, but {len(repeats):,} repeat: "
                         f"{_describe_repeats(repeats, ['postcode'])}. Is it two releases stacked together?")
    clean = normalise_postcode(postcodes.astype(object))
    raw_blank = postcodes.isna() | postcodes.astype(object).map(lambda v: isinstance(v, str) and not v.strip())
    found = table.set_index("postcode").reindex(clean.to_numpy())
    found.index = postcodes.index
    in_directory = clean.notna() & found["found"].notna()
    is_terminated = found["terminated"].fillna(False).astype(bool) & in_directory
    elsewhere = in_directory & (found["council_code"] != council_code) if council_code is not None \
        else pd.Series(False, index=postcodes.index)
    status = np.select(
        [raw_blank.to_numpy(), clean.isna().to_numpy(), ~in_directory.to_numpy(), elsewhere.to_numpy(),
         is_terminated.to_numpy()],
        ["missing", "invalid", "not in directory", "other council", "terminated"], default="matched")
    out = pd.DataFrame({
        "postcode": clean.to_numpy(dtype=object),
        "lsoa_code": found["lsoa_code"].to_numpy(dtype=object),
        "council_code": found["council_code"].to_numpy(dtype=object),
        "terminated": is_terminated.to_numpy(dtype=bool),
        "status": pd.Categorical(status, categories=list(POSTCODE_STATUSES)),
    }, index=postcodes.index)
    if not keep_terminated:
        out.loc[out["terminated"], ["lsoa_code", "council_code"]] = None
    return out
