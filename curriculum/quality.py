"""Asking a question data can answer: project types, data quality and a data-protection screen.

The functions behind the Data Lab's *Asking a question data can answer* module, reusable
with any dataset a council holds:

- :data:`PROJECT_TYPES` names the six kinds of analytics project of New Orleans' Office
  of Performance and Accountability (NOLAlytics), and :func:`analytics_questions` loads a
  small table of Cardiff Capital Region problem statements with the type each one is
  (``curriculum/resources/analytics_questions.csv``);
- :func:`frame_question` writes an analytics question in one sentence: the decision, who
  takes it, what they need to know, the measure and the data;
- :func:`find_placeholders` marks the cells that hold a value standing in for "missing"
  (``NO DATA!``, ``N/A``, ``-``, ``TBC``, a 0 in a cost column, 1 January 1900 in a date
  column), and :func:`profile_quality` gives one row per column with its missing values,
  placeholders, distinct values and examples of the bad ones;
- :func:`find_duplicates` marks the rows that repeat an earlier row on chosen columns,
  with text compared regardless of case and spacing;
- :data:`SCREENING_QUESTIONS` and :func:`dpia_screen` screen a proposed use of data
  against UK GDPR Article 35(3), the ICO's list of processing likely to result in high
  risk and the European Data Protection Board's nine criteria (WP248rev01), and say
  whether an Algorithmic Transparency Recording Standard (ATRS) record is advisable.

The screen is a first check that tells a team when to call its data protection officer;
it does not replace a data protection impact assessment (DPIA) or legal advice.

Nothing happens on import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

__all__ = [
    "PROJECT_TYPES",
    "DEFAULT_PLACEHOLDERS",
    "SCREENING_QUESTIONS",
    "DPIAScreen",
    "analytics_questions",
    "frame_question",
    "find_placeholders",
    "profile_quality",
    "find_duplicates",
    "dpia_screen",
]

#: The six analytics project types of New Orleans' Office of Performance and Accountability,
#: by short key, in the order NOLAlytics lists them.
PROJECT_TYPES: dict[str, str] = {
    "needle": "Finding the needle in a haystack",
    "prioritise": "Prioritising work for impact",
    "early_warning": "Early warning",
    "decisions": "Better, quicker decisions",
    "allocation": "Optimising resource allocation",
    "experiment": "Experimenting for what works",
}

#: Values that often stand for "missing" in council exports (compared ignoring case and
#: surrounding spaces). A value that reads as a number (``"0"``) also matches that number in
#: a numeric column; one that reads as an ISO date (``"1900-01-01"``) matches that date in a
#: date column.
DEFAULT_PLACEHOLDERS: tuple[str, ...] = (
    "NO DATA!", "NO DATA", "N/A", "NA", "#N/A", "-", "--", ".", "?", "0", "TBC", "TBA", "UNKNOWN",
    "NOT KNOWN", "NONE", "NULL", "NIL", "1900-01-01", "1970-01-01",
)

#: The screening questions :func:`dpia_screen` takes, by key; answer each True or False.
SCREENING_QUESTIONS: dict[str, str] = {
    "personal_data": "Does it use information about identifiable people (names, addresses of homes, vehicle registrations, images)?",
    "special_category": "Does it use special category data (health, ethnicity, religion, sexual orientation, trade union membership, biometrics or genetics used to identify someone)?",
    "criminal_offence": "Does it use data about criminal offences or suspected offences (for example evidence for a fixed penalty or a prosecution)?",
    "large_scale": "Is it large scale (a whole council area, thousands of people, or a long period)?",
    "profiling": "Does it evaluate or score people, or the places they live, to predict their behaviour or circumstances?",
    "significant_effects": "Will decisions based on it have legal or similarly significant effects on people (enforcement, fines, access to a service)?",
    "automated_decision": "Will a decision about a person be made by the software alone, without meaningful human review?",
    "new_technology": "Does it use a new technology or a novel use of an existing one (machine learning, AI, sensors, redeployable cameras)?",
    "data_matching": "Does it combine, compare or match personal data from several sources?",
    "invisible_processing": "Is the data not obtained from the people themselves, and would telling them be impossible or disproportionate?",
    "tracking": "Does it track people's location or behaviour?",
    "public_monitoring": "Does it systematically monitor a publicly accessible place on a large scale (for example CCTV on streets)?",
    "vulnerable_people": "Does it concern children or other vulnerable people?",
    "denial_of_service": "Could it decide whether someone gets a service, an opportunity or a benefit?",
    "biometric": "Does it use biometric data to identify people (for example facial recognition)?",
    "genetic": "Does it use genetic data?",
    "physical_harm": "Could a breach of the data put someone's physical health or safety at risk?",
    "algorithmic_tool": "Will an algorithmic tool (a model, a score or automated rules) inform decisions that affect the public, or deal with the public directly?",
}

_SOURCES = {
    "art35": "UK GDPR Article 35(3)",
    "ico": "ICO list of processing likely to result in high risk",
    "edpb": "EDPB criteria (WP248rev01)",
    "atrs": "Algorithmic Transparency Recording Standard",
}
_NEEDS_PERSONAL = ("special_category", "criminal_offence", "biometric", "genetic")
_WHITESPACE = re.compile(r"\s+")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_QUESTION_COLUMNS = ("id", "service", "statement", "project_type", "why")


# --------------------------------------------------------------------------- checks
def _require_frame(frame, name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    return frame


def _placeholder_list(placeholders, name: str = "placeholders") -> tuple[str, ...]:
    if isinstance(placeholders, str) or not isinstance(placeholders, Iterable):
        raise TypeError(f"{name} must be a list or tuple of text values such as ['NO DATA!', 'N/A'], got {placeholders!r}")
    values = tuple(placeholders)
    bad = [v for v in values if not isinstance(v, str)]
    if bad:
        raise TypeError(f"{name} must hold text values (write 0 as '0'); found {bad[:3]!r}")
    return values


def _is_text(series: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype)


def _is_bool(series: pd.Series) -> bool:
    return pd.api.types.is_bool_dtype(series.dtype)


# ------------------------------------------------------------------ project types
@cache
def _questions() -> pd.DataFrame:
    with resources.files("curriculum").joinpath("resources/analytics_questions.csv").open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return table


def analytics_questions() -> pd.DataFrame:
    """Return the shipped table of CCR problem statements and their project types.

    Each statement is a service problem from one of the ten councils' services written as
    a question data could answer, with the NOLAlytics project type it is and a one-line
    reason. It is the answer key of the project-type exercise and a bank of examples.

    Returns
    -------
    pandas.DataFrame
        One row per statement with columns ``id`` (``AQ01``...), ``service``,
        ``statement``, ``project_type`` (a key of :data:`PROJECT_TYPES`), ``type_name``
        (its full name) and ``why``.

    Raises
    ------
    ValueError
        If the shipped file has been edited into an invalid state (a repeated id, an
        unknown project type or a blank cell).
    """
    table = _questions().copy()
    missing = [c for c in _QUESTION_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"analytics_questions.csv lacks the column(s) {missing}")
    if table["id"].duplicated().any():
        raise ValueError(f"analytics_questions.csv repeats the id(s) {table.loc[table['id'].duplicated(), 'id'].tolist()}")
    unknown = sorted(set(table["project_type"]) - set(PROJECT_TYPES))
    if unknown:
        raise ValueError(f"analytics_questions.csv has unknown project type(s) {unknown}; use {list(PROJECT_TYPES)}")
    if (table[list(_QUESTION_COLUMNS)].apply(lambda s: s.str.strip() == "")).any().any():
        raise ValueError("analytics_questions.csv has blank cells")
    table.insert(4, "type_name", table["project_type"].map(PROJECT_TYPES))
    return table[["id", "service", "statement", "project_type", "type_name", "why"]]


def frame_question(decision: str, decision_maker: str, question: str, project_type: str,
                   measure: str, data: str, by_when: str | None = None) -> str:
    """Write an analytics question as one sentence that starts from the decision.

    A question data can answer names the decision it informs and who takes it, what they
    need to know, the number that will answer it and the data it comes from; the project
    type says what kind of answer it is.

    Parameters
    ----------
    decision : str
        What will be decided, as a verb phrase ("where to put two redeployable CCTV cameras").
    decision_maker : str
        Who decides ("the Neighbourhood Services manager").
    question : str
        What they need to know, as a question or clause ("which streets have the most
        fly-tipping reports").
    project_type : str
        A key of :data:`PROJECT_TYPES` (``"prioritise"``) or a full type name.
    measure : str
        The number that answers it ("fly-tipping reports per street, duplicates removed").
    data : str
        The data it comes from ("the fly-tipping case system export").
    by_when : str, optional
        When the answer is needed, as a phrase ("by the end of June").

    Returns
    -------
    str
        Three sentences: the question, the measure and its data, and the project type.

    Raises
    ------
    ValueError
        If a text argument is blank or ``project_type`` is not one of the six types.

    Examples
    --------
    >>> frame_question("where to put two CCTV cameras", "the waste manager", "which streets have most fly-tips",
    ...                "prioritise", "reports per street", "the case system")  # doctest: +ELLIPSIS
    'To decide where to put two CCTV cameras, the waste manager needs to know which streets have most fly-tips. Measure: ...'
    """
    parts = {"decision": decision, "decision_maker": decision_maker, "question": question, "measure": measure,
             "data": data}
    for name, value in parts.items():
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-blank text, got {value!r}")
    if by_when is not None and (not isinstance(by_when, str) or not by_when.strip()):
        raise ValueError(f"by_when must be a non-blank text or None, got {by_when!r}")
    names = {v.casefold(): k for k, v in PROJECT_TYPES.items()}
    key = project_type if project_type in PROJECT_TYPES else names.get(str(project_type).casefold())
    if key is None:
        raise ValueError(f"project_type must be one of {list(PROJECT_TYPES)} (or their full names), got {project_type!r}")
    when = f", needed {by_when.strip()}" if by_when else ""
    return (f"To decide {decision.strip()}, {decision_maker.strip()} needs to know {question.strip().rstrip('?.')}. "
            f"Measure: {measure.strip()}, from {data.strip()}{when}. "
            f"Project type: {PROJECT_TYPES[key].lower()}.")


# -------------------------------------------------------------------- placeholders
def _placeholder_mask(series: pd.Series, placeholders: tuple[str, ...]) -> pd.Series:
    present = series.notna()
    if _is_bool(series):
        return pd.Series(False, index=series.index)
    if pd.api.types.is_numeric_dtype(series.dtype):
        numbers = pd.to_numeric(pd.Series(placeholders, dtype=object), errors="coerce").dropna().unique()
        if not len(numbers):
            return pd.Series(False, index=series.index)
        return (present & series.isin(numbers)).astype(bool)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        dates = [pd.Timestamp(p) for p in placeholders if _ISO_DATE.match(p.strip())]
        if not dates:
            return pd.Series(False, index=series.index)
        naive = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
        return (present & naive.isin(pd.DatetimeIndex(dates))).astype(bool)
    folded = {p.strip().casefold() for p in placeholders}
    text = series.astype("string").str.strip().str.casefold()
    return (present & text.isin(folded)).fillna(False).astype(bool)


def find_placeholders(data: pd.DataFrame | pd.Series,
                      placeholders: Sequence[str] = DEFAULT_PLACEHOLDERS) -> pd.DataFrame | pd.Series:
    """Mark the cells that hold a placeholder standing in for a missing value.

    Text is compared with each placeholder ignoring case and surrounding spaces
    (``" n/a "`` matches ``"N/A"``). In a numeric column, a placeholder that reads as a
    number matches that number (``"0"`` matches 0 and 0.0); in a date column, one that
    reads as an ISO date matches that date (``"1900-01-01"``). Missing cells (NaN, None)
    are not placeholders: they are already missing.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        The table, or one column.
    placeholders : sequence of str, default DEFAULT_PLACEHOLDERS
        The values to look for, as text.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        True where a cell holds a placeholder, with the shape and labels of ``data``.

    Raises
    ------
    TypeError
        If ``data`` is neither a DataFrame nor a Series, or ``placeholders`` is not a
        list of text values.

    Examples
    --------
    >>> find_placeholders(pd.Series(["Ely", "NO DATA!", " n/a", None])).tolist()
    [False, True, True, False]
    """
    values = _placeholder_list(placeholders)
    if isinstance(data, pd.Series):
        return _placeholder_mask(data, values).rename(data.name)
    frame = _require_frame(data, "data")
    return pd.DataFrame({col: _placeholder_mask(frame[col], values) for col in frame.columns},
                        index=frame.index, columns=frame.columns)


def _examples(values: pd.Series, limit: int = 3) -> str:
    shown = []
    for v in values.drop_duplicates().head(limit):
        if isinstance(v, pd.Timestamp):
            shown.append(f"{v:%Y-%m-%d}")
        elif isinstance(v, (float, np.floating)) and float(v).is_integer():
            shown.append(str(int(v)))
        else:
            shown.append(str(v))
    return ", ".join(shown)


def profile_quality(frame: pd.DataFrame, placeholders: Sequence[str] = DEFAULT_PLACEHOLDERS) -> pd.DataFrame:
    """Profile each column's completeness: missing values, placeholders and distinct values.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to profile, as loaded.
    placeholders : sequence of str, default DEFAULT_PLACEHOLDERS
        Values that stand for "missing" (see :func:`find_placeholders`).

    Returns
    -------
    pandas.DataFrame
        One row per column of ``frame`` (indexed by column name, in the frame's order) with
        ``dtype``; ``rows``; ``missing`` (empty cells); ``placeholders`` (cells holding a
        placeholder); ``usable`` (the rest) and ``usable_share`` (``usable / rows``, NaN
        for an empty frame); ``distinct`` (distinct usable values); and ``bad_examples``
        (up to three distinct placeholders found, as text, blank when none).

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame or ``placeholders`` is not a list of text.

    Examples
    --------
    >>> t = pd.DataFrame({"ward": ["Ely", "NO DATA!", None, "Ely"]})
    >>> profile_quality(t).loc["ward", ["missing", "placeholders", "usable", "distinct"]].tolist()
    [1, 1, 2, 1]
    """
    frame = _require_frame(frame, "frame")
    values = _placeholder_list(placeholders)
    rows = []
    for col in frame.columns:
        series = frame[col]
        flagged = _placeholder_mask(series, values)
        missing = int(series.isna().sum())
        n_flagged = int(flagged.sum())
        usable = series[series.notna() & ~flagged]
        rows.append({
            "column": col,
            "dtype": str(series.dtype),
            "rows": len(series),
            "missing": missing,
            "placeholders": n_flagged,
            "usable": len(usable),
            "usable_share": (len(usable) / len(series)) if len(series) else float("nan"),
            "distinct": int(usable.nunique()),
            "bad_examples": _examples(series[flagged]),
        })
    columns = ["dtype", "rows", "missing", "placeholders", "usable", "usable_share", "distinct", "bad_examples"]
    if not rows:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="column"))
    return pd.DataFrame(rows).set_index("column")[columns]


# ---------------------------------------------------------------------- duplicates
def _normalised_key(series: pd.Series) -> pd.Series:
    if not _is_text(series):
        return series
    text = series.astype("string").str.strip().str.replace(_WHITESPACE, " ", regex=True).str.casefold()
    return text.astype(object).where(text.notna(), None)


def find_duplicates(frame: pd.DataFrame, keys: Sequence[str] | str | None = None, *, normalise: bool = True,
                    keep: str | bool = "first") -> pd.Series:
    """Mark the rows that repeat another row on the chosen columns.

    With ``keys=None`` every column counts, so only exact copies are found (an export
    that wrote a row twice). With a few columns (the place and the day of a report) rows
    that describe the same event are found even when other columns differ (two people
    reporting the same fly-tip). Missing values count as equal to each other.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    keys : str, sequence of str or None, default None
        The columns that identify one event; None uses every column.
    normalise : bool, default True
        Compare text ignoring case, surrounding spaces and repeated inner spaces
        (``"Heol y Nant "`` repeats ``"HEOL Y  NANT"``).
    keep : {"first", "last", False}, default "first"
        ``"first"`` marks every repeat after the first row of its group (so
        ``~result`` keeps one row per event); ``"last"`` every row but the last; False
        marks every row of a group that has more than one.

    Returns
    -------
    pandas.Series
        Boolean, with the index of ``frame``, named ``"duplicate"``.

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame or ``normalise`` is not True or False.
    ValueError
        If ``keys`` is empty or names a column ``frame`` lacks, or ``keep`` is not
        ``"first"``, ``"last"`` or False.

    Examples
    --------
    >>> t = pd.DataFrame({"street": ["High St", "HIGH  ST", "Mill Rd"], "day": [1, 1, 1]})
    >>> find_duplicates(t, ["street", "day"]).tolist()
    [False, True, False]
    """
    frame = _require_frame(frame, "frame")
    if not isinstance(normalise, bool):
        raise TypeError(f"normalise must be True or False, got {normalise!r}")
    if keep not in ("first", "last", False):
        raise ValueError(f"keep must be 'first', 'last' or False, got {keep!r}")
    if keys is None:
        columns = list(frame.columns)
    else:
        columns = [keys] if isinstance(keys, str) else list(keys)
        if not columns:
            raise ValueError("keys must name at least one column (or be None for every column)")
        unknown = [k for k in columns if k not in frame.columns]
        if unknown:
            raise ValueError(f"keys names column(s) {unknown} that frame lacks; its columns are: "
                             f"{', '.join(map(str, frame.columns))}")
    if not columns:
        return pd.Series(False, index=frame.index, name="duplicate", dtype=bool)
    table = frame[columns]
    if normalise:
        table = pd.DataFrame({c: _normalised_key(table[c]) for c in columns}, index=frame.index)
    return table.duplicated(keep=keep).astype(bool).rename("duplicate")


# ------------------------------------------------------------- data-protection screen
@dataclass(frozen=True)
class DPIAScreen:
    """The result of :func:`dpia_screen`.

    Attributes
    ----------
    triggers : pandas.DataFrame
        One row per criterion that fired: ``criterion``, ``source`` and ``reason``.
    dpia_required : bool
        True when UK GDPR Article 35(3) or the ICO's list applies, or two or more of the
        EDPB's criteria do.
    atrs_record : bool
        True when an Algorithmic Transparency Recording Standard record is advisable.
    unanswered : tuple of str
        Screening questions not answered (taken as No).
    verdict : str
        The result in a few sentences, with the lawful-basis points to settle.
    """

    triggers: pd.DataFrame
    dpia_required: bool
    atrs_record: bool
    unanswered: tuple[str, ...] = field(default=())
    verdict: str = ""


def _answers(answers) -> dict[str, bool]:
    if not isinstance(answers, Mapping):
        raise TypeError(f"answers must be a dict of screening question keys to True or False, got {type(answers).__name__}")
    unknown = [k for k in answers if k not in SCREENING_QUESTIONS]
    if unknown:
        raise ValueError(f"answers has unknown screening question(s) {unknown}; the questions are: "
                         f"{', '.join(SCREENING_QUESTIONS)}")
    bad = {k: v for k, v in answers.items() if not isinstance(v, (bool, np.bool_))}
    if bad:
        raise TypeError(f"answer each screening question True or False; got {bad}")
    given = {k: bool(v) for k, v in answers.items()}
    if not given.get("personal_data", False):
        inconsistent = [k for k in _NEEDS_PERSONAL if given.get(k)]
        if inconsistent:
            raise ValueError(f"answers say {inconsistent} but not personal_data: such data are always personal data, "
                             "so answer personal_data True")
    return given


def _edpb(a: dict[str, bool]) -> list[tuple[str, str]]:
    """The EDPB (WP248rev01) criteria met, as (criterion, reason)."""
    rules = [
        ("profiling", "Evaluation or scoring", "it scores people or the places they live"),
        ("automated_decision", "Automated decision-making with legal or similar significant effect",
         "software alone takes decisions with significant effects"),
        ("monitoring", "Systematic monitoring", "it monitors people or public places"),
        ("sensitive", "Sensitive data or data of a highly personal nature",
         "it uses special category, criminal offence, biometric or genetic data"),
        ("large_scale", "Data processed on a large scale", "it covers a whole area, many people or a long period"),
        ("data_matching", "Matching or combining datasets", "it combines data from several sources"),
        ("vulnerable_people", "Data concerning vulnerable people", "it concerns children or vulnerable people"),
        ("new_technology", "Innovative use of new technological or organisational solutions",
         "it uses a new technology or a novel use of one"),
        ("denial_of_service", "Prevents people from exercising a right or using a service or contract",
         "it could decide whether someone gets a service"),
    ]
    met = {
        "profiling": a["profiling"],
        "automated_decision": a["automated_decision"] and a["significant_effects"],
        "monitoring": a["public_monitoring"] or a["tracking"],
        "sensitive": a["special_category"] or a["criminal_offence"] or a["biometric"] or a["genetic"],
        "large_scale": a["large_scale"],
        "data_matching": a["data_matching"],
        "vulnerable_people": a["vulnerable_people"],
        "new_technology": a["new_technology"],
        "denial_of_service": a["denial_of_service"],
    }
    return [(name, reason) for key, name, reason in rules if met[key]]


def dpia_screen(answers: Mapping[str, bool]) -> DPIAScreen:
    """Screen a proposed use of data for the triggers of a DPIA and an ATRS record.

    The answers are checked against three lists. **UK GDPR Article 35(3)** requires a DPIA
    for (a) systematic and extensive profiling with significant effects, (b) large-scale
    use of special category or criminal offence data and (c) systematic monitoring of a
    publicly accessible area on a large scale. **The ICO's list** adds innovative
    technology, biometric data, genetic data and invisible processing (each with any one
    EDPB criterion besides), denial of service, large-scale profiling, data matching,
    tracking, targeting children or vulnerable people, and risk of physical harm. **The
    EDPB's nine criteria** (WP248rev01) count: two or more usually mean a DPIA. Without
    personal data none of them applies. An **ATRS** record is advisable when an
    algorithmic tool informs decisions that affect the public (mandatory for central
    government departments, recommended across the public sector).

    Parameters
    ----------
    answers : mapping of str to bool
        Keys of :data:`SCREENING_QUESTIONS`, each True or False. Questions left out are
        taken as No and listed in ``unanswered``.

    Returns
    -------
    DPIAScreen
        The criteria that fired with their sources and reasons, whether a DPIA is
        required, whether an ATRS record is advisable, and a verdict.

    Raises
    ------
    TypeError
        If ``answers`` is not a mapping or an answer is not True or False.
    ValueError
        If a key is not a screening question, or special category, criminal offence,
        biometric or genetic data are answered Yes without personal data.

    Examples
    --------
    >>> screen = dpia_screen({"personal_data": True, "public_monitoring": True})
    >>> screen.dpia_required, screen.triggers["criterion"].tolist()
    (True, ['Systematic monitoring of a publicly accessible area on a large scale', 'Systematic monitoring'])
    """
    given = _answers(answers)
    unanswered = tuple(k for k in SCREENING_QUESTIONS if k not in given)
    a = {k: given.get(k, False) for k in SCREENING_QUESTIONS}
    rows: list[dict[str, str]] = []
    edpb = _edpb(a) if a["personal_data"] else []
    if a["personal_data"]:
        others = len(edpb)

        def add(source: str, criterion: str, reason: str) -> None:
            rows.append({"criterion": criterion, "source": _SOURCES[source], "reason": reason})

        if a["profiling"] and a["significant_effects"]:
            add("art35", "Systematic and extensive profiling with significant effects",
                "people or their homes are scored, and decisions with significant effects follow")
        if a["large_scale"] and (a["special_category"] or a["criminal_offence"]):
            kinds = " and ".join(k for k, on in (("special category", a["special_category"]),
                                                 ("criminal offence", a["criminal_offence"])) if on)
            add("art35", "Large-scale use of special category or criminal offence data", f"{kinds} data on a large scale")
        if a["public_monitoring"]:
            add("art35", "Systematic monitoring of a publicly accessible area on a large scale",
                "public places are monitored systematically (for example by CCTV)")
        new_tech_edpb = others - (1 if a["new_technology"] else 0)
        if a["new_technology"] and new_tech_edpb >= 1:
            add("ico", "Innovative technology", "a new technology, or a novel use of one, with another EDPB criterion")
        if a["denial_of_service"] and (a["profiling"] or a["automated_decision"] or a["special_category"]):
            add("ico", "Denial of service", "access to a service or benefit may rest on profiling, automation or special category data")
        if a["profiling"] and a["large_scale"]:
            add("ico", "Large-scale profiling", "people or their homes are profiled on a large scale")
        if a["biometric"] and others >= 2:
            add("ico", "Biometric data", "biometric data identify people, with another EDPB criterion")
        if a["genetic"] and others >= 2:
            add("ico", "Genetic data", "genetic data, with another EDPB criterion")
        if a["data_matching"]:
            add("ico", "Data matching", "personal data from several sources are combined or matched")
        if a["invisible_processing"] and others >= 1:
            add("ico", "Invisible processing", "people are not told, and another EDPB criterion applies")
        if a["tracking"]:
            add("ico", "Tracking", "people's location or behaviour is tracked")
        if a["vulnerable_people"] and (a["profiling"] or a["automated_decision"]):
            add("ico", "Targeting of children or other vulnerable individuals",
                "vulnerable people are profiled or subject to automated decisions")
        if a["physical_harm"]:
            add("ico", "Risk of physical harm", "a breach could endanger someone's health or safety")
        for criterion, reason in edpb:
            add("edpb", criterion, reason)
    statutory = any(r["source"] in (_SOURCES["art35"], _SOURCES["ico"]) for r in rows)
    required = bool(a["personal_data"] and (statutory or len(edpb) >= 2))
    atrs = bool(a["algorithmic_tool"] and (a["significant_effects"] or a["denial_of_service"] or a["profiling"]
                                           or a["automated_decision"]))
    if atrs:
        rows.append({"criterion": "Algorithmic tool informing decisions that affect the public",
                     "source": _SOURCES["atrs"],
                     "reason": "publish a Tier 1 summary for the public and a Tier 2 record (owner, how the tool works, "
                               "data, risks, impact assessments)"})
    triggers = pd.DataFrame(rows, columns=["criterion", "source", "reason"])
    verdict = _verdict(a, required, atrs, len(edpb), unanswered)
    return DPIAScreen(triggers=triggers, dpia_required=required, atrs_record=atrs, unanswered=unanswered,
                      verdict=verdict)


def _verdict(a: dict[str, bool], required: bool, atrs: bool, n_edpb: int, unanswered: tuple[str, ...]) -> str:
    if not a["personal_data"]:
        text = ("No personal data: UK GDPR and a DPIA do not apply. Check that nobody can be identified from the data "
                "(home addresses, vehicle registrations, small counts).")
    elif required:
        text = ("A DPIA is required before the processing starts: involve the data protection officer now. "
                "Lawful basis: a council normally relies on UK GDPR Article 6(1)(e), a task in the public interest "
                "under its statutory functions; name the legislation.")
    else:
        text = (f"A DPIA is not required by these lists ({n_edpb} EDPB criterion met), but the ICO considers one good "
                "practice. Record the screen. Lawful basis: normally UK GDPR Article 6(1)(e), public task.")
    if a["personal_data"] and a["special_category"]:
        text += " Special category data also need an Article 9(2) condition (and a Data Protection Act 2018 Schedule 1 condition)."
    if a["personal_data"] and a["criminal_offence"]:
        text += (" Criminal offence data need Article 10 authority (a Data Protection Act 2018 Schedule 1 condition), or, "
                 "when the council acts as a competent authority to prosecute, Part 3 of the Act.")
    if atrs:
        text += " An ATRS record (Tier 1 and Tier 2) is advisable: publish it before the tool is used."
    if unanswered:
        text += f" Unanswered (taken as No): {', '.join(unanswered)}."
    return text
