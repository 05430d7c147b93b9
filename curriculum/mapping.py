"""Mapping files: how a council's own files map onto the curriculum's schemas.

A data folder holds a council's files and a ``mapping.yaml`` such as::

    council: Calderdale            # the label used in reports
    datasets:
      spend:
        file: calderdale-2022-08.csv   # a name or a glob (spend-2024-*.csv)
        date_format: "%Y-%m-%d"        # optional; UK formats are tried if absent
        columns:                       # curriculum column: your column
          payment_date: Date
          amount: Net Amount
          supplier_name: Supplier(Beneficiary) Name
          service: Expense Area
          category: Expense Type
          transaction_id: Internal Ref Number
        constants: {}                  # columns your files lack, as fixed values
        values: {}                     # recodes, e.g. sme: {"Y": "Yes"}
        defaults: {}                   # values for blank cells, e.g. service: Not stated
        exclude_rows: []               # rows to leave out (spreadsheet numbering), with a reason
        na_values: ["N/A"]             # extra placeholders that mean "missing"

A dataset may instead list several ``sources`` (for example one file per
agency), each with the keys above; they are stacked. A column may map to a
list of your columns, which are joined with ", " (address lines).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from curriculum.errors import MappingError
from curriculum.schemas import DATASET_KINDS, get_schema

__all__ = ["SourceSpec", "DatasetSpec", "Mapping", "read_mapping", "MAPPING_FILE"]

MAPPING_FILE = "mapping.yaml"
_SOURCE_KEYS = {"file", "columns", "constants", "values", "defaults", "na_values", "date_format",
                "encoding", "delimiter", "header_row", "sheet", "exclude_rows"}


@dataclass(frozen=True)
class SourceSpec:
    """One file (or glob of files) and how its columns map onto a schema."""

    file: str
    columns: dict[str, str | list[str]]
    constants: dict[str, Any] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    exclude_rows: tuple[int, ...] = ()
    na_values: tuple[str, ...] = ()
    date_format: str | None = None
    encoding: str = "auto"
    delimiter: str | None = None
    header_row: int | None = None
    sheet: str | int | None = None


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset kind and the sources that feed it."""

    kind: str
    sources: tuple[SourceSpec, ...]


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file."""

    path: Path
    council: str | None
    datasets: dict[str, DatasetSpec]

    @property
    def folder(self) -> Path:
        """The folder that the mapping's file names are relative to."""
        return self.path.parent

    def dataset(self, kind: str) -> DatasetSpec:
        """Return the spec of one dataset kind.

        Raises
        ------
        MappingError
            If the mapping has no entry for ``kind``.
        """
        try:
            return self.datasets[kind]
        except KeyError:
            have = ", ".join(self.datasets) or "none"
            raise MappingError(
                f"{self.path}: has no entry for dataset {kind!r} (it maps: {have}). "
                f"Add a '{kind}:' section under 'datasets:' naming your file and its columns."
            ) from None


def _fail(path: Path, where: str, problem: str) -> MappingError:
    return MappingError(f"{path}: {where}: {problem}")


def _parse_source(path: Path, kind: str, where: str, raw: Any, inherited: dict) -> SourceSpec:
    if not isinstance(raw, dict):
        raise _fail(path, where, "expected a section with 'file:' and 'columns:'")
    merged = {**inherited, **raw}
    unknown = set(merged) - _SOURCE_KEYS - {"sources"}
    if unknown:
        raise _fail(path, where, f"unknown key(s) {sorted(unknown)}; allowed keys: {sorted(_SOURCE_KEYS)}")
    if not isinstance(merged.get("file"), str) or not merged["file"].strip():
        raise _fail(path, where, "'file:' must name your file (relative to the mapping's folder)")
    columns = merged.get("columns") or {}
    if not isinstance(columns, dict):
        raise _fail(path, where, "'columns:' must map curriculum column names to your column names")
    schema = get_schema(kind)
    allowed = set(schema.columns)
    for name, source in columns.items():
        if name not in allowed:
            raise _fail(path, f"{where}.columns", f"{name!r} is not a column of the {kind} schema; "
                        f"its columns are: {', '.join(schema.columns)}")
        if not (isinstance(source, str) or (isinstance(source, list) and source and all(isinstance(s, str) for s in source))):
            raise _fail(path, f"{where}.columns.{name}", "must be your column's name, or a list of names to join")
    constants = merged.get("constants") or {}
    values = merged.get("values") or {}
    defaults = merged.get("defaults") or {}
    if not all(isinstance(x, dict) for x in (constants, values, defaults)):
        raise _fail(path, where, "'constants:', 'values:' and 'defaults:' must be sections of name: value pairs")
    exclude = merged.get("exclude_rows") or []
    if not isinstance(exclude, list) or not all(isinstance(r, int) and r > 1 for r in exclude):
        raise _fail(path, where, "'exclude_rows:' must be a list of row numbers as a spreadsheet shows them (the header is row 1)")
    for name in list(constants) + list(values) + list(defaults):
        if name not in allowed:
            raise _fail(path, where, f"{name!r} is not a column of the {kind} schema")
    both = set(columns) & set(constants)
    if both:
        raise _fail(path, where, f"{sorted(both)} given both as a column and as a constant; keep one")
    na = merged.get("na_values") or []
    if isinstance(na, str):
        na = [na]
    header_row = merged.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise _fail(path, where, "'header_row:' must be the line number of the header (1 for the first line)")
    required = [c for c, col in schema.columns.items() if col.required and not col.nullable and c != "council"]
    missing = [c for c in required if c not in columns and c not in constants]
    if missing:
        raise _fail(path, where, f"no column given for required curriculum column(s) {missing}. "
                    f"Add them under 'columns:' as  <curriculum column>: <your column name>.")
    return SourceSpec(
        file=merged["file"].strip(),
        columns=dict(columns),
        constants=dict(constants),
        values={k: dict(v) for k, v in values.items()},
        defaults=dict(defaults),
        exclude_rows=tuple(exclude),
        na_values=tuple(str(v) for v in na),
        date_format=merged.get("date_format"),
        encoding=str(merged.get("encoding") or "auto"),
        delimiter=merged.get("delimiter"),
        header_row=header_row,
        sheet=merged.get("sheet"),
    )


def read_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``mapping.yaml`` file, or the folder that holds it.

    Returns
    -------
    Mapping
        The parsed mapping.

    Raises
    ------
    MappingError
        If the file is missing, is not valid YAML, or names unknown datasets,
        columns or keys; the message names the file and the entry.
    """
    path = Path(path)
    if path.is_dir():
        path = path / MAPPING_FILE
    if not path.is_file():
        raise MappingError(
            f"no mapping file at {path}. A data folder needs a {MAPPING_FILE} that maps your columns "
            "onto the curriculum's; copy one from datasets/real/*/mapping.yaml and edit it."
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise MappingError(f"{path}: is not valid YAML{line}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("datasets"), dict):
        raise MappingError(f"{path}: expected a 'datasets:' section with one entry per dataset kind")
    council = raw.get("council")
    datasets: dict[str, DatasetSpec] = {}
    for kind, entry in raw["datasets"].items():
        if kind not in DATASET_KINDS:
            raise _fail(path, f"datasets.{kind}", f"unknown dataset kind; the kinds are: {', '.join(DATASET_KINDS)}")
        if isinstance(entry, dict) and "sources" in entry:
            shared = {k: v for k, v in entry.items() if k != "sources"}
            if not isinstance(entry["sources"], list) or not entry["sources"]:
                raise _fail(path, f"datasets.{kind}.sources", "must be a list of sources")
            sources = tuple(_parse_source(path, kind, f"datasets.{kind}.sources[{i}]", s, shared)
                            for i, s in enumerate(entry["sources"]))
        else:
            sources = (_parse_source(path, kind, f"datasets.{kind}", entry, {}),)
        datasets[kind] = DatasetSpec(kind, sources)
    return Mapping(path=path, council=str(council) if council else None, datasets=datasets)
