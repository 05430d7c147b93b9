"""Schemas of the datasets the modules use, enforced with pandera.

New dataset kinds are added by appending ``NAME = _register(pa.DataFrameSchema(...))``
at the end of this module, with ``name=`` the kind and ``strict="filter"``.

Each dataset kind (``spend``, ``contracts``, ``agency_records``, ``gazetteer``,
``schools``, ``indicators``) has one :class:`pandera.pandas.DataFrameSchema`
whose column names are the curriculum's own. A council's files keep their own
column names; its ``mapping.yaml`` says which of its columns is which (see
:mod:`curriculum.mapping`).

A column's dtype also tells the loader how to read text from a file: datetime
columns are parsed as dates, float columns as amounts (currency signs, thousands
separators and brackets allowed), int columns as whole numbers and bool columns
from ``Yes``/``No``-style flags.
"""

from __future__ import annotations

import pandera.pandas as pa

__all__ = ["SCHEMAS", "DATASET_KINDS", "get_schema"]

SCHEMAS: dict[str, pa.DataFrameSchema] = {}
DATASET_KINDS = SCHEMAS.keys()  # a live view: kinds registered further down appear in it


def _register(schema: pa.DataFrameSchema) -> pa.DataFrameSchema:
    if schema.name in SCHEMAS:
        raise ValueError(f"dataset kind {schema.name!r} is registered twice")
    SCHEMAS[schema.name] = schema
    return schema


_TEXT = "str"
_DATE = "datetime64[ns]"


def _text(nullable: bool = False, **kw) -> pa.Column:
    checks = [] if nullable else [pa.Check.str_length(min_value=1, error="must not be blank")]
    return pa.Column(_TEXT, checks=checks, nullable=nullable, **kw)


def _date(nullable: bool = False, **kw) -> pa.Column:
    return pa.Column(_DATE, nullable=nullable, **kw)


_MONEY_LIMIT = 1e10  # no single council payment or contract reaches GBP 10bn

SPEND = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "payment_date": _date(),
        "transaction_id": _text(),
        "amount": pa.Column(float, pa.Check.in_range(-_MONEY_LIMIT, _MONEY_LIMIT), nullable=False),
        "supplier_name": _text(),
        "supplier_id": _text(nullable=True, required=False),
        "service": _text(),
        "category": _text(),
        "proclass": _text(nullable=True, required=False),
    },
    name="spend",
    description="Payments over GBP 500 (Local Government Transparency Code): one row per payment line; credits are negative.",
    strict="filter",
))

CONTRACTS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "contract_reference": _text(nullable=True),
        "title": _text(),
        "supplier_name": _text(),
        "supplier_postcode": _text(nullable=True, required=False),
        "annual_value": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT), nullable=True, required=False),
        "total_value": pa.Column(float, pa.Check.in_range(0, _MONEY_LIMIT), nullable=True),
        "start_date": _date(nullable=True),
        "end_date": _date(nullable=True),
        "expiry_date": _date(nullable=True, required=False),
        "extension_months": pa.Column(float, pa.Check.ge(0), nullable=True, required=False),
        "sme": pa.Column("boolean", nullable=True, required=False),
        "proclass": _text(nullable=True, required=False),
        "category": _text(nullable=True, required=False),
    },
    checks=[pa.Check(lambda df: (df["end_date"] >= df["start_date"]) | df["end_date"].isna() | df["start_date"].isna(),
                     error="end_date must not be before start_date")],
    name="contracts",
    description="Contracts register: one row per contract (or extension).",
    strict="filter",
))

AGENCY_RECORDS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "agency": _text(),
        "record_id": _text(),
        "premises_name": _text(nullable=True),
        "address": _text(),
        "postcode": _text(nullable=True),
        "record_date": _date(),
        "issue": _text(nullable=True),
    },
    name="agency_records",
    description="Records of premises held by several agencies (licensing, trading standards, food safety, fire, police), one row per record.",
    strict="filter",
))

GAZETTEER = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "uprn": pa.Column("int64", pa.Check.gt(0), unique=True),
        "organisation": _text(nullable=True),
        "address": _text(),
        "postcode": _text(nullable=True),
        "lsoa_code": _text(nullable=True, required=False),
    },
    name="gazetteer",
    description="Local land and property gazetteer extract: one row per addressable premises (UPRN).",
    strict="filter",
))

SCHOOLS = _register(pa.DataFrameSchema(
    {
        "council": _text(),
        "school_id": _text(unique=True),
        "school_name": _text(),
        "phase": pa.Column(_TEXT, pa.Check.isin(["Primary", "Secondary"])),
        "pupils": pa.Column("int64", pa.Check.gt(0)),
        "fsm_percent": pa.Column(float, pa.Check.in_range(0, 100)),
        "pupils_surveyed": pa.Column("int64", pa.Check.ge(0)),
        "active_travel": pa.Column("int64", pa.Check.ge(0)),
    },
    checks=[
        pa.Check(lambda df: df["pupils_surveyed"] <= df["pupils"], error="pupils_surveyed must not exceed pupils"),
        pa.Check(lambda df: df["active_travel"] <= df["pupils_surveyed"], error="active_travel must not exceed pupils_surveyed"),
    ],
    name="schools",
    description="Schools with pupil numbers and a baseline travel-to-school survey: one row per school.",
    strict="filter",
))

INDICATORS = _register(pa.DataFrameSchema(
    {
        "area_code": _text(),
        "area_name": _text(),
        "year": pa.Column("int64", pa.Check.in_range(1990, 2100)),
        "indicator": _text(),
        "count": pa.Column("int64", pa.Check.ge(0)),
        "population": pa.Column("int64", pa.Check.gt(0), nullable=True, required=False),
    },
    unique=["area_code", "year", "indicator"],
    name="indicators",
    description="Counts of events by area and year (for example road casualties): one row per area, year and indicator.",
    strict="filter",
))



def get_schema(kind: str) -> pa.DataFrameSchema:
    """Return the schema of a dataset kind.

    Parameters
    ----------
    kind : str
        One of :data:`DATASET_KINDS`.

    Returns
    -------
    pandera.pandas.DataFrameSchema

    Raises
    ------
    MappingError
        If ``kind`` is not a known dataset kind.
    """
    from curriculum.errors import MappingError

    try:
        return SCHEMAS[kind]
    except KeyError:
        raise MappingError(f"dataset kind {kind!r} is unknown; the kinds are: {', '.join(DATASET_KINDS)}") from None
