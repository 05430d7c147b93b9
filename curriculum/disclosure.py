"""Disclosure control for outputs that leave the council: small counts, personal data, formula injection.

Published tables follow the practice of the UK statistical system: counts below a
threshold (5 by default) are suppressed and shown as ``[c]`` (ONS's marker for
confidential), with secondary suppression so that row and column totals cannot be
used to work a suppressed cell back out. Every exported CSV or Excel file has its
text cells neutralised against spreadsheet formula injection, and a published table
is screened for row-level personal data (unit postcodes, personal names, free text)
before it is written.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from curriculum.errors import CurriculumError

__all__ = ["SUPPRESSED", "suppress_small_counts", "neutralise_formulas", "find_personal_data", "publish_table",
           "write_publishable", "PersonalDataError"]

SUPPRESSED = "[c]"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "%")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
UNIT_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
_TITLE_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+", re.UNICODE)
_HOUSE_ADDRESS = re.compile(r"\b\d+[A-Za-z]?\s+[A-Z][a-z]+\s+(?:Road|Street|Lane|Avenue|Close|Drive|Way|Terrace|Heol|Stryd|Ffordd)\b")


class PersonalDataError(CurriculumError, ValueError):
    """A table meant for publication holds what looks like row-level personal data."""


def suppress_small_counts(table: pd.DataFrame, threshold: int = 5, *, margins: bool = True) -> pd.DataFrame:
    """Suppress counts below a threshold, with secondary suppression across rows and columns.

    Parameters
    ----------
    table : pandas.DataFrame
        A table of non-negative whole-number counts (rows by columns, without
        total rows or columns: totals are recomputed from the unsuppressed counts).
    threshold : int, default 5
        Counts from 1 to ``threshold - 1`` are suppressed (zeros are shown).
    margins : bool, default True
        Add a ``Total`` row and column. Secondary suppression makes sure that no
        row or column holds exactly one suppressed cell, so a total minus the
        shown cells cannot reveal it.

    Returns
    -------
    pandas.DataFrame
        Object-typed table with suppressed cells shown as ``[c]``.

    Raises
    ------
    ValueError
        If ``threshold`` is below 1 or ``table`` holds anything but
        non-negative whole numbers.
    """
    if not isinstance(threshold, (int, np.integer)) or threshold < 1:
        raise ValueError(f"threshold must be a whole number of at least 1, got {threshold!r}")
    values = table.apply(pd.to_numeric, errors="coerce")
    if values.isna().any().any() or (values < 0).any().any() or (values % 1 != 0).any().any():
        raise ValueError("table must hold non-negative whole-number counts only (no totals, text or blanks)")
    counts = values.astype("int64")
    hide = (counts > 0) & (counts < threshold)
    if margins:
        # Secondary suppression: a row or column with a single hidden cell hides its next smallest cell too.
        changed = True
        while changed:
            changed = False
            for axis in (0, 1):
                lines = hide.T if axis == 0 else hide
                data = counts.T if axis == 0 else counts
                for label in lines.index:
                    row_hidden = lines.loc[label]
                    if row_hidden.sum() == 1 and len(row_hidden) > 1:
                        candidates = data.loc[label][~row_hidden]
                        candidates = candidates[candidates > 0] if (candidates > 0).any() else candidates
                        pick = candidates.idxmin()
                        if axis == 0:
                            hide.loc[pick, label] = True
                        else:
                            hide.loc[label, pick] = True
                        changed = True
    out = counts.astype(object).where(~hide, SUPPRESSED)
    if margins:
        out["Total"] = counts.sum(axis=1).astype(object)
        out.loc["Total"] = list(counts.sum(axis=0)) + [int(counts.to_numpy().sum())]
        out = out.astype(object)
        # A line that still holds a single hidden cell (a one-cell line) would show it in its total.
        for col in counts.columns:
            if hide[col].sum() == 1:
                out.loc["Total", col] = SUPPRESSED
        for row in counts.index:
            if hide.loc[row].sum() == 1:
                out.loc[row, "Total"] = SUPPRESSED
        for line in (out.loc["Total"], out["Total"]):
            if (line == SUPPRESSED).sum() == 1:  # the grand total would give the one hidden margin away
                out.loc["Total", "Total"] = SUPPRESSED
    return out


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Stop text cells being run as formulas when a CSV or Excel file is opened.

    Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or carriage return
    (OWASP's CSV-injection list, with ``|`` and ``%``) gets a leading apostrophe;
    numbers, including text that is just a number such as ``-12.5``, are left alone.
    Column names are treated the same way.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        A copy with text cells made safe.
    """
    def safe(value):
        if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value.strip()):
            return "'" + value
        return value

    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(safe)
    out.columns = [safe(str(c)) if isinstance(c, str) else c for c in out.columns]
    if out.index.dtype == object:
        out.index = [safe(i) for i in out.index]
    return out


def find_personal_data(frame: pd.DataFrame, *, allowed_columns: tuple[str, ...] = ()) -> list[str]:
    """Screen a table for signs of row-level personal data.

    Looks for full (unit) postcodes, titled names ("Mrs Jones"), house-number
    addresses and long free text in any text cell or label.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to screen, index included.
    allowed_columns : tuple of str, optional
        Columns known to be safe (for example a column of council names).

    Returns
    -------
    list of str
        One line per problem found; empty when none.
    """
    problems = []
    flat = frame.reset_index()
    for col in flat.columns:
        if col in allowed_columns:
            continue
        text = flat[col].dropna().astype(str) if flat[col].dtype == object or pd.api.types.is_string_dtype(flat[col]) else None
        if text is None or text.empty:
            continue
        for label, pattern in (("a unit postcode", UNIT_POSTCODE), ("a titled personal name", _TITLE_NAME),
                               ("a house address", _HOUSE_ADDRESS)):
            hits = text[text.str.contains(pattern)]
            if len(hits):
                problems.append(f"column {col!r} holds {label} in {len(hits)} row(s)")
        long_text = text[text.str.len() > 120]
        if len(long_text):
            problems.append(f"column {col!r} holds free text (over 120 characters) in {len(long_text)} row(s)")
    return problems


def write_publishable(frame: pd.DataFrame, path: str | os.PathLike, *, allowed_columns: tuple[str, ...] = ()) -> Path:
    """Screen a table and write it as CSV or Excel, formula-safe, atomically.

    Parameters
    ----------
    frame : pandas.DataFrame
        The (already aggregated and suppressed) table.
    path : str or path-like
        Target ``.csv`` or ``.xlsx`` file.
    allowed_columns : tuple of str, optional
        Columns exempt from the personal-data screen.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    PersonalDataError
        If the screen finds personal data; nothing is written.
    ValueError
        If the suffix is neither ``.csv`` nor ``.xlsx``.
    """
    target = Path(path)
    if target.suffix.lower() not in (".csv", ".xlsx"):
        raise ValueError(f"path must end in .csv or .xlsx, got {target.name!r}")
    problems = find_personal_data(frame, allowed_columns=allowed_columns)
    if problems:
        raise PersonalDataError(f"{target.name} was not written: " + "; ".join(problems) +
                                ". Aggregate further or drop these columns before publishing.")
    safe = neutralise_formulas(frame)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".publish-", suffix=target.suffix)
    os.close(fd)
    try:
        if target.suffix.lower() == ".csv":
            safe.to_csv(tmp, encoding="utf-8-sig")
        else:
            safe.to_excel(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def publish_table(frame: pd.DataFrame, name: str, output_dir: str | os.PathLike | None, *,
                  allowed_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Declare a table publishable: screen it and, when a run has an output folder, export it as CSV.

    Call this in a notebook cell tagged ``publish``; the same cell's output is
    what a published report shows.

    Parameters
    ----------
    frame : pandas.DataFrame
        The aggregated table (suppress counts first with :func:`suppress_small_counts`).
    name : str
        File name stem for the CSV (letters, digits, ``_`` and ``-``).
    output_dir : str, path-like or None
        The run's output folder; None exports nothing (learners' runs).
    allowed_columns : tuple of str, optional
        Columns exempt from the personal-data screen.

    Returns
    -------
    pandas.DataFrame
        ``frame`` itself, for display.

    Raises
    ------
    PersonalDataError
        If the table looks like it holds personal data.
    ValueError
        If ``name`` holds other characters.
    """
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name or ""):
        raise ValueError(f"name must be letters, digits, '_' or '-', got {name!r}")
    problems = find_personal_data(frame, allowed_columns=allowed_columns)
    if problems:
        raise PersonalDataError(f"table {name!r} is not publishable: " + "; ".join(problems))
    if output_dir is not None:
        write_publishable(frame, Path(output_dir) / f"{name}.csv", allowed_columns=allowed_columns)
    return frame


def screen_text(text: str) -> list[str]:
    """Return what in a piece of report text looks like row-level personal data.

    Parameters
    ----------
    text : str
        Text or HTML of a report output.

    Returns
    -------
    list of str
        The kinds of personal data found (empty when none).
    """
    found = []
    for label, pattern in (("a unit postcode", UNIT_POSTCODE), ("a titled personal name", _TITLE_NAME),
                           ("a house address", _HOUSE_ADDRESS)):
        match = pattern.search(text)
        if match:
            found.append(f"{label} ({match.group(0)!r})")
    return found
