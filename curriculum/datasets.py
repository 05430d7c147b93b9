"""Loading validated datasets: the one call every notebook makes.

``load("spend", council="Newport")`` reads Newport's bundled demo data;
``load("spend", council="Calderdale", data_dir="path/to/folder")`` reads a
council's own files through the folder's ``mapping.yaml``. Either way the
result has the curriculum's column names and types and has passed the
dataset's pandera schema, or a :class:`~curriculum.errors.DataError` explains
which file, column and rows are wrong and how to fix them.
"""

from __future__ import annotations

import glob
import re
from importlib import resources
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors

from curriculum.councils import get_council
from curriculum.errors import DataError, MappingError
from curriculum.mapping import Mapping, SourceSpec, read_mapping
from curriculum.readers import read_raw
from curriculum.schemas import get_schema

__all__ = ["load", "demo_dir", "resolve_data_dir", "check_data", "DEFAULT_NA"]

DEFAULT_NA = ("", "N/A", "n/a", "NA", "NULL", "null", "None", "-", "#N/A")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y", "%d %b %Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S",
                 "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y")
_TRUE = {"yes", "y", "true", "t", "1"}
_FALSE = {"no", "n", "false", "f", "0"}
_SHOW = 5  # rows shown in an error message


def demo_dir(council: str) -> Path:
    """Return the folder of a CCR council's bundled demo data.

    Parameters
    ----------
    council : str
        One of the ten council names (or its ONS code).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    UnknownCouncilError
        If ``council`` is not a CCR council.
    """
    slug = get_council(council).slug
    return Path(str(resources.files("curriculum.datafiles").joinpath("demo", slug)))


def resolve_data_dir(council: str, data_dir: str | Path | None) -> tuple[Path, Mapping]:
    """Return the data folder and mapping for a council's run.

    Parameters
    ----------
    council : str
        The council; must be a CCR council when ``data_dir`` is None.
    data_dir : str, pathlib.Path or None
        A folder holding a council's files and ``mapping.yaml``, or None for
        the bundled demo data. A council folder of a demo-data tree (as
        ``infuse demo-data --out DIR`` writes: one folder per council and one
        ``mapping.yaml`` beside them) uses the mapping beside it.

    Returns
    -------
    tuple of (pathlib.Path, Mapping)

    Raises
    ------
    MappingError
        If ``data_dir`` is not a folder or its mapping is invalid.
    """
    if data_dir is None:
        folder = demo_dir(council)
        return folder, read_mapping(folder.parent / "mapping.yaml")
    folder = Path(data_dir).expanduser()
    if not folder.is_dir():
        raise MappingError(f"data_dir {str(data_dir)!r} is not a folder. Point it at the folder that holds your "
                           "files and their mapping.yaml, or use None for the bundled demo data.")
    if not (folder / "mapping.yaml").exists() and (folder.parent / "mapping.yaml").exists():
        return folder, read_mapping(folder.parent / "mapping.yaml")  # a council folder of a demo-data tree
    return folder, read_mapping(folder)


def _rows(index: pd.Index) -> str:
    rows = [str(i) for i in index[:_SHOW]]
    more = f" (first {_SHOW} of {len(index)})" if len(index) > _SHOW else ""
    return ", ".join(rows) + more


def _examples(values: pd.Series) -> str:
    return ", ".join(repr(v) for v in values.iloc[:_SHOW].tolist())


def _to_number(raw: pd.Series) -> pd.Series:
    text = raw.str.strip()
    negative = text.str.match(r"^\(.*\)$") | text.str.endswith("-") | text.str.upper().str.endswith("CR")
    cleaned = (text.str.replace(r"(?i)^\((.*)\)$", r"\1", regex=True)
                   .str.replace(r"(?i)(GBP|CR)", "", regex=True)
                   .str.replace(r"[£$€,\s]", "", regex=True)
                   .str.replace(r"-$", "", regex=True))
    number = pd.to_numeric(cleaned, errors="coerce")
    return number.where(~negative, -number.abs())


def _to_date(raw: pd.Series, fmt: str | None) -> tuple[pd.Series, str | None]:
    text = raw.str.strip()
    if fmt:
        return pd.to_datetime(text, format=fmt, errors="coerce", cache=True), fmt
    present = text.dropna().drop_duplicates()  # a year of payments has a few hundred distinct dates
    best, best_ok = None, -1
    for candidate in _DATE_FORMATS:
        ok = pd.to_datetime(present, format=candidate, errors="coerce").notna().sum()
        if ok > best_ok:
            best, best_ok = candidate, ok
        if ok == len(present):
            break
    return pd.to_datetime(text, format=best, errors="coerce", cache=True), best


def _convert(frame: pd.DataFrame, kind: str, spec: SourceSpec, file: str, problems: list[str]) -> pd.DataFrame:
    schema = get_schema(kind)
    na = set(DEFAULT_NA) | set(spec.na_values)
    out = pd.DataFrame(index=frame.index)
    for name, column in schema.columns.items():
        if name not in frame.columns:
            continue
        raw = frame[name].astype("str").str.strip()
        raw = raw.where(~raw.isin(na))
        if name in spec.values:
            recode = {str(k): v for k, v in spec.values[name].items()}
            raw = raw.map(lambda v, r=recode: r.get(v, v) if isinstance(v, str) else v)
            raw = raw.map(lambda v: v if v is None or isinstance(v, str) or pd.isna(v) else str(v))
            raw = raw.where(~raw.isin(na))
        dtype = str(column.dtype)
        source = spec.columns.get(name, name)
        label = f"column {source!r}" + (f" (curriculum column {name!r})" if source != name else "")
        if dtype.startswith("datetime"):
            values, used = _to_date(raw, spec.date_format)
            example = pd.Timestamp("2010-12-24 09:30").strftime(used or "%d/%m/%Y")
            how = (f"dates like {example!r} (format {used})" if spec.date_format
                   else "dates in one consistent format")
            fix = ("correct these rows, or set 'date_format' for this dataset in the mapping to the format your file uses "
                   "(for example \"%d/%m/%Y\" for 24/12/2010, \"%d-%b-%Y\" for 14-Jan-2011, \"%Y-%m-%d\" for 2010-12-24)")
        elif dtype in ("float64", "int64"):
            values = _to_number(raw)
            if dtype == "int64":
                whole = values.isna() | (values == values.round())
                values = values.where(whole, other=float("nan")).where(whole | raw.isna())
                bad_whole = ~whole
            else:
                bad_whole = pd.Series(False, index=raw.index)
            how = "whole numbers" if dtype == "int64" else "amounts such as 1234.56, -80.00, £1,234.56 or (80.00)"
            fix = "correct these rows, or map this curriculum column to the column that holds the numbers"
        elif dtype == "boolean":
            folded = raw.str.casefold()
            values = pd.Series(pd.NA, index=raw.index, dtype="boolean")
            values[folded.isin(_TRUE)] = True
            values[folded.isin(_FALSE)] = False
            how = "Yes/No flags (Yes, No, Y, N, True, False, 1, 0)"
            fix = f"add a 'values:' recode for {name!r} in the mapping, for example {{\"Small\": \"Yes\"}}"
        else:
            out[name] = raw.astype("str")
            continue
        bad = raw.notna() & values.isna()
        if dtype == "int64":
            bad = bad | (raw.notna() & bad_whole)
        if bad.any():
            problems.append(f"  - {label}: rows {_rows(raw.index[bad])} hold {_examples(raw[bad])}; "
                            f"expected {how}.\n    How to fix: {fix}.")
        if dtype == "int64":
            values = values.astype("Int64") if values.isna().any() else values.astype("int64")
        if dtype.startswith("datetime"):
            values = values.astype("datetime64[ns]")
        if dtype == "float64":
            values = values.astype("float64")
        out[name] = values
    return out


def _read_source(kind: str, spec: SourceSpec, folder: Path, label: str, problems: list[str]) -> list[pd.DataFrame]:
    pattern = str(folder / spec.file)
    files = sorted(glob.glob(pattern)) if any(ch in spec.file for ch in "*?[") else [pattern]
    if not files or not Path(files[0]).is_file():
        present = ", ".join(sorted(p.name for p in folder.iterdir() if p.is_file())) or "no files"
        raise DataError(f"dataset {kind!r}: no file matches {spec.file!r} in {folder} (it holds: {present}). "
                        "Correct 'file:' in the mapping or add the file.")
    frames = []
    for file in files:
        path = Path(file)
        wanted = {c for v in spec.columns.values() for c in ([v] if isinstance(v, str) else v)}
        raw = read_raw(path, wanted_columns=wanted, encoding=spec.encoding, delimiter=spec.delimiter,
                       header_row=spec.header_row, sheet=spec.sheet)
        table = raw.frame
        folded = {}
        for col in table.columns:
            folded.setdefault(col.casefold(), []).append(col)
        renames = {folded[w.casefold()][0]: w for w in wanted
                   if w not in table.columns and len(folded.get(w.casefold(), [])) == 1}
        table = table.rename(columns=renames)  # "AMOUNT" in the file matches "Amount" in the mapping
        missing = sorted(wanted - set(table.columns))
        if missing:
            import difflib

            hints = []
            for m in missing:
                close = difflib.get_close_matches(m, list(table.columns), n=1, cutoff=0.6)
                hints.append(f"{m!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
            raise DataError(
                f"{path.name} (dataset {kind!r}): the mapping names column(s) {', '.join(hints)} that the file does not have.\n"
                f"  The file's columns are: {', '.join(repr(c) for c in table.columns)}.\n"
                f"  How to fix: correct 'columns:' for {kind!r} in {MAPPING_NAME} so each curriculum column names one of these."
            )
        if spec.exclude_rows:
            table = table.drop(index=[r for r in spec.exclude_rows if r in table.index])
        if table.empty:
            raise DataError(f"{path.name} (dataset {kind!r}): has a header but no data rows.")
        mapped = pd.DataFrame(index=table.index)
        for name, source in spec.columns.items():
            if isinstance(source, str):
                mapped[name] = table[source]
            else:
                parts = table[source].apply(lambda s: s.str.strip())
                mapped[name] = parts.apply(lambda r: ", ".join(v for v in r if v), axis=1)
        for name, value in spec.constants.items():
            mapped[name] = str(value)
        if "council" not in mapped.columns:
            mapped["council"] = label
        file_problems: list[str] = []
        converted = _convert(mapped, kind, spec, path.name, file_problems)
        for name, value in spec.defaults.items():
            if name in converted.columns:
                converted[name] = converted[name].where(converted[name].notna(), value)
        if file_problems:
            problems.append(f"{path.name} (dataset {kind!r}):\n" + "\n".join(file_problems))
        converted.attrs["dropped_totals"] = raw.dropped_totals
        converted["_file"] = path.name
        converted["_row"] = converted.index
        frames.append(converted)
    return frames


MAPPING_NAME = "mapping.yaml"

_CHECK_WORDS = {
    "not_nullable": "must not be empty",
    "field_uniqueness": "must be unique but repeats",
    "multiple_fields_uniqueness": "must be unique together but repeat",
    "dtype('": "has the wrong type",
}


def _explain(check: str) -> str:
    check = str(check)
    if check in _CHECK_WORDS:
        return _CHECK_WORDS[check]
    m = re.match(r"in_range\((.*), (.*)\)", check)
    if m:
        return f"must be between {m.group(1)} and {m.group(2)}"
    m = re.match(r"(greater_than_or_equal_to|greater_than|less_than_or_equal_to|less_than)\((.*)\)", check)
    if m:
        words = {"greater_than_or_equal_to": "at least", "greater_than": "more than",
                 "less_than_or_equal_to": "at most", "less_than": "less than"}
        return f"must be {words[m.group(1)]} {m.group(2)}"
    m = re.match(r"isin\((.*)\)", check)
    if m:
        return f"must be one of {m.group(1)}"
    if check.startswith("dtype("):
        return f"holds values of the wrong type (expected {check[7:-2]})"
    if check.startswith("str_length"):
        return "must not be blank"
    return check


def _schema_problems(exc: pa_errors.SchemaErrors, frame: pd.DataFrame, spec_columns: dict[str, str]) -> list[str]:
    cases = exc.failure_cases.copy()
    problems = []
    table_level = cases["schema_context"].eq("DataFrameSchema") & ~cases["check"].astype(str).isin(
        ["column_in_dataframe", "column_in_schema", "multiple_fields_uniqueness"])
    for check, group in cases[table_level].groupby("check", sort=False):
        idx = group["index"].dropna().unique().tolist()
        located = frame.loc[[i for i in idx if i in frame.index], ["_file", "_row"]]
        where = "; ".join(f"{file} rows {_rows(pd.Index(sorted(rows['_row'])))}" for file, rows in located.groupby("_file", sort=False))
        problems.append(f"  - rows where {check}: {where}.")
    cases = cases[~table_level]
    for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
        idx = [i for i in group["index"].dropna().unique().tolist()]
        if column is None or (isinstance(column, float) and pd.isna(column)) or column not in frame.columns:
            where = "the table"
        else:
            src = spec_columns.get(column, column)
            where = f"column {src!r}" + (f" (curriculum column {column!r})" if src != column else "")
        if not idx:
            problems.append(f"  - {where}: {_explain(check)}.")
            continue
        located = frame.loc[[i for i in idx if i in frame.index], ["_file", "_row"]]
        by_file = []
        for file, rows in located.groupby("_file", sort=False):
            by_file.append(f"{file} rows {_rows(pd.Index(sorted(rows['_row'])))}")
        sample = group["failure_case"].head(_SHOW).tolist()
        problems.append(f"  - {where}: {_explain(check)}: {'; '.join(by_file)}; values {sample}.")
        if len(problems) > 12:
            break
    return problems


def load(kind: str, council: str = "Cardiff", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load one dataset for a council, mapped and validated.

    Parameters
    ----------
    kind : str
        The dataset kind: ``"spend"``, ``"contracts"``, ``"agency_records"``,
        ``"gazetteer"``, ``"schools"`` or ``"indicators"``.
    council : str, default "Cardiff"
        One of the ten CCR councils for demo data; with ``data_dir`` any label
        (the mapping's ``council:`` is used when it gives one).
    data_dir : str or pathlib.Path, optional
        A folder with the council's own files and a ``mapping.yaml``. None
        (the default) loads the bundled demo data.

    Returns
    -------
    pandas.DataFrame
        The dataset with the schema's columns and types; ``df.attrs["files"]``
        lists the files read.

    Raises
    ------
    UnknownCouncilError
        If ``data_dir`` is None and ``council`` is not a CCR council.
    MappingError
        If the mapping is missing or does not describe this dataset.
    DataError
        If a file cannot be read or its values break the schema; the message
        names the file, column and rows and says how to fix it.

    Examples
    --------
    >>> spend = load("spend", council="Torfaen")
    >>> spend[["payment_date", "supplier_name", "amount"]].head()  # doctest: +SKIP
    """
    schema = get_schema(kind)
    folder, mapping = resolve_data_dir(council, data_dir)
    label = mapping.council if (data_dir is not None and mapping.council) else council
    spec = mapping.dataset(kind)
    problems: list[str] = []
    frames = [f for source in spec.sources for f in _read_source(kind, source, folder, label, problems)]
    if problems:
        raise DataError(f"dataset {kind!r} for {label} cannot be used as it stands:\n" + "\n".join(problems))
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    for name, column in schema.columns.items():
        if name not in frame.columns and column.required and column.nullable:
            frame[name] = pd.Series(None, index=frame.index, dtype=str(column.dtype))  # NaN, NaT or <NA> as the type has it
    columns_map = {k: (v if isinstance(v, str) else " + ".join(v)) for s in spec.sources for k, v in s.columns.items()}
    try:
        valid = schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        files = ", ".join(dict.fromkeys(frame["_file"]))
        raise DataError(
            f"dataset {kind!r} for {label} ({files}) breaks the {kind} schema:\n"
            + "\n".join(_schema_problems(exc, frame, columns_map))
            + f"\n  How to fix: correct these rows in the file, or check in {MAPPING_NAME} that each curriculum "
              "column is mapped to the right column of your file."
        ) from None
    valid = valid[[c for c in schema.columns if c in valid.columns]].copy()
    valid.attrs["files"] = list(dict.fromkeys(frame["_file"]))
    valid.attrs["dropped_totals"] = {f["_file"].iloc[0]: f.attrs["dropped_totals"] for f in frames
                                     if f.attrs.get("dropped_totals") and len(f)}
    valid.attrs["kind"] = kind
    valid.attrs["council"] = label
    return valid


def check_data(kinds: list[str], council: str, data_dir: str | Path | None = None) -> dict[str, int]:
    """Load and validate several datasets, collecting every problem.

    Parameters
    ----------
    kinds : list of str
        Dataset kinds to check.
    council : str
        The council, as for :func:`load`.
    data_dir : str or pathlib.Path, optional
        The council's data folder; None for demo data.

    Returns
    -------
    dict of str to int
        Rows read per dataset kind.

    Raises
    ------
    DataError
        Listing the problems of every dataset that failed.
    """
    rows, failures = {}, []
    for kind in kinds:
        try:
            rows[kind] = len(load(kind, council=council, data_dir=data_dir))
        except (DataError, MappingError) as exc:
            failures.append(str(exc))
    if failures:
        raise DataError("\n\n".join(failures))
    return rows
