"""Reading council files as they are published: encodings, delimiters, header rows.

Files are read as text, every cell a string, so that no value is silently
reinterpreted; :mod:`curriculum.datasets` converts and validates afterwards.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from curriculum.errors import DataError

__all__ = ["RawTable", "read_raw"]

_MOJIBAKE_BOM = "\u00ef\u00bb\u00bf"  # a UTF-8 byte-order mark decoded as Windows-1252
_EXCEL = {".xlsx", ".xlsm", ".xls"}


@dataclass
class RawTable:
    """A file's cells as text, with the file line number of each row."""

    path: Path
    frame: pd.DataFrame
    first_data_line: int  # file line (1-based) of the frame's first row
    encoding: str | None
    dropped_totals: list[int] = field(default_factory=list)  # file rows removed as totals


def _decode(path: Path, data: bytes, encoding: str) -> tuple[str, str]:
    if encoding != "auto":
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise DataError(f"{path.name}: encoding {encoding!r} (from the mapping) is not a known encoding; "
                            "use utf-8, utf-8-sig, cp1252 or auto") from None
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise DataError(
                f"{path.name}: cannot be read as {encoding}: byte {data[exc.start]:#04x} on line {line} is not valid "
                f"{encoding}. The file was probably saved in another encoding (Excel on Windows often uses cp1252): "
                "set 'encoding: auto' or 'encoding: cp1252' in the mapping, or re-save the file as UTF-8 CSV."
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for candidate in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _parse_csv(text: str, sep: str) -> pd.DataFrame:
    try:  # the fast path: a rectangular file
        return pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str, keep_default_na=False,
                           skip_blank_lines=False, engine="c" if len(sep) == 1 else "python")
    except pd.errors.ParserError:  # ragged: title lines above the header, notes below it
        rows = list(csv.reader(io.StringIO(text), delimiter=sep))
        width = max((len(r) for r in rows), default=0)
        return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)


def _clean_header(name: object) -> str:
    text = "" if name is None else str(name)
    if text.startswith(_MOJIBAKE_BOM):
        text = text[len(_MOJIBAKE_BOM):]
    return " ".join(text.replace("\ufeff", "").split())


def _find_header(grid: pd.DataFrame, wanted: set[str], header_row: int | None) -> int:
    if header_row is not None:
        return header_row - 1
    if not wanted:
        return 0
    best, best_hits = 0, -1
    for i in range(min(len(grid), 30)):
        hits = len(wanted & {_clean_header(v) for v in grid.iloc[i].tolist()})
        if hits > best_hits:
            best, best_hits = i, hits
        if hits == len(wanted):
            break
    return best


def read_raw(path: Path, *, wanted_columns: set[str], encoding: str = "auto", delimiter: str | None = None,
             header_row: int | None = None, sheet: str | int | None = None) -> RawTable:
    """Read a CSV or Excel file into a table of text cells.

    Parameters
    ----------
    path : pathlib.Path
        The file to read.
    wanted_columns : set of str
        Column names the mapping expects; used to find the header row when it
        is not on the first line.
    encoding : str, default "auto"
        A Python codec name, or ``"auto"`` (UTF-8 with or without BOM, UTF-16
        with BOM, then Windows-1252).
    delimiter : str, optional
        Field separator; sniffed from the file when absent.
    header_row : int, optional
        1-based line of the header; found from ``wanted_columns`` when absent.
    sheet : str or int, optional
        Worksheet of an Excel file (the first by default).

    Returns
    -------
    RawTable

    Raises
    ------
    DataError
        If the file is empty, undecodable or not a table.
    """
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise DataError(f"{path.name}: the file is empty (0 bytes). Export it again from its source system.")
    used_encoding: str | None = None
    try:
        if path.suffix.lower() in _EXCEL:
            grid = pd.read_excel(path, sheet_name=sheet or 0, header=None, dtype=str, keep_default_na=False)
        else:
            text, used_encoding = _decode(path, path.read_bytes(), encoding)
            if "\x00" in text:
                raise DataError(f"{path.name}: contains NUL bytes, so it is not a text CSV in {used_encoding}; "
                                "re-save it as 'CSV UTF-8' or set its encoding in the mapping (for example utf-16).")
            grid = _parse_csv(text, delimiter or _sniff_delimiter(text))
    except DataError:
        raise
    except Exception as exc:  # any reader failure (bad zip, bad XML, ragged rows) is a file problem
        raise DataError(f"{path.name}: cannot be read as a table: {exc}".splitlines()[0]) from None
    if grid.empty:
        raise DataError(f"{path.name}: has no header row or data. Export it again from its source system.")
    h = _find_header(grid, wanted_columns, header_row)
    if h >= len(grid):
        raise DataError(f"{path.name}: header_row {h + 1} is past the end of the file ({len(grid)} lines)")
    header = [_clean_header(v) for v in grid.iloc[h].tolist()]
    frame = grid.iloc[h + 1:].copy().fillna("")
    frame.columns = header
    keep = [c for c in frame.columns if c != ""] if "" in header else list(frame.columns)
    frame = frame.loc[:, ~frame.columns.duplicated()][list(dict.fromkeys(keep))]
    blank = frame.fillna("").apply(lambda col: col.str.strip().eq("")).all(axis=1) if len(frame.columns) else pd.Series(dtype=bool)
    lines = pd.RangeIndex(h + 2, h + 2 + len(frame))
    frame.index = lines
    frame = frame[~blank.to_numpy()] if len(blank) else frame
    frame, totals = _drop_trailing_totals(frame)
    return RawTable(path=path, frame=frame, first_data_line=h + 2, encoding=used_encoding, dropped_totals=totals)


_TOTAL_WORD = re.compile(r"^\s*(grand\s+|sub\s*-?\s*)?totals?\b", re.IGNORECASE)


def _drop_trailing_totals(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """Remove totals rows at the foot of a table: a cell starting "Total", or a row mostly empty."""
    dropped: list[int] = []
    width = len(frame.columns)
    while len(frame):
        last = frame.iloc[-1].astype(str).str.strip()
        filled = last[last != ""]
        totals_word = filled.map(lambda v: bool(_TOTAL_WORD.match(v))).any()
        sparse = width >= 4 and len(filled) <= max(1, width // 4)
        if not (totals_word or sparse):
            break
        dropped.insert(0, int(frame.index[-1]))
        frame = frame.iloc[:-1]
    return frame, dropped
