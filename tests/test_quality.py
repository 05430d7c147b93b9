"""Project types, placeholders, quality profiles, duplicates and the data-protection screen (curriculum.quality)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from curriculum import load, quality
from curriculum.quality import (
    DEFAULT_PLACEHOLDERS,
    PROJECT_TYPES,
    SCREENING_QUESTIONS,
    analytics_questions,
    dpia_screen,
    find_duplicates,
    find_placeholders,
    frame_question,
    profile_quality,
)
from tests.conftest import ROOT


@pytest.fixture
def messy():
    """A small export with a placeholder of each kind: text, a zero cost and a default date."""
    return pd.DataFrame({
        "ward": pd.Series(["Ely", "NO DATA!", None, " no data! ", "Ely", "Splott"], dtype="str"),
        "postcode": pd.Series(["CF5 4AB", "TBC", "cf5 4ab", None, "N/A", "CF24 1AB"], dtype="str"),
        "cost": [120.0, 0.0, np.nan, 45.5, 0.0, 80.0],
        "bags": pd.Series([3, 0, 1, 2, 5, 0], dtype="int64"),
        "cleared": pd.to_datetime(["2024-05-01", "1900-01-01", None, "2024-06-01", "2024-06-02", "1970-01-01"]),
        "flag": [True, False, True, False, True, False],
    })


@pytest.fixture(scope="module")
def cardiff():
    """Cardiff's demo fly-tipping reports, as loaded."""
    return load("fly_tipping_reports", council="Cardiff")


# --------------------------------------------------------------------------- project types
def test_project_types_are_the_six_nolalytics_types():
    """PROJECT_TYPES names the six types in NOLAlytics' order, with the names the Data Lab's modules use."""
    assert list(PROJECT_TYPES.values()) == [
        "Finding the needle in a haystack", "Prioritising work for impact", "Early warning", "Better, quicker decisions",
        "Optimising resource allocation", "Experimenting for what works"], "six types, in order"


def test_analytics_questions_are_a_balanced_answer_key():
    """The shipped statements (20-30) have unique ids, known types, at least three of each type and a reason each."""
    table = analytics_questions()
    assert 20 <= len(table) <= 30, f"{len(table)} statements; the issue asks for 20-30"
    assert table["id"].is_unique, "ids repeat"
    assert set(table["project_type"]) == set(PROJECT_TYPES), "every type has statements"
    assert table["project_type"].value_counts().min() >= 3, "at least three statements per type"
    assert (table["type_name"] == table["project_type"].map(PROJECT_TYPES)).all(), "type_name is the key's full name"
    assert table[["statement", "why"]].apply(lambda s: s.str.len().gt(20)).all().all(), "every statement and reason is a sentence"
    assert table["service"].str.strip().ne("").all(), "every statement names its service"


def test_notebook_exercise_ids_exist_in_the_answer_key():
    """The statements the module asks learners to classify are in the shipped table, with more than one type among them."""
    nb = json.loads((ROOT / "data_lab" / "asking_a_question.ipynb").read_text(encoding="utf-8"))
    source = next("".join(c["source"]) for c in nb["cells"] if "exercise_ids = [" in "".join(c["source"]))
    ids = json.loads(source.split("exercise_ids = ", 1)[1].splitlines()[0])
    table = analytics_questions().set_index("id")
    assert set(ids) <= set(table.index), f"unknown ids {set(ids) - set(table.index)}"
    assert table.loc[ids, "project_type"].nunique() >= 4, "the exercise should mix several types"


def test_frame_question_names_every_part():
    """The sentence holds the decision, the decision maker, the question, the measure, the data, the time and the type."""
    text = frame_question("where to put two cameras", "the waste manager", "which lanes have most fly-tips?",
                          "Prioritising work for impact", "fly-tips per lane", "the case system", by_when="by June")
    for part in ("To decide where to put two cameras", "the waste manager needs to know which lanes have most fly-tips.",
                 "Measure: fly-tips per lane, from the case system, needed by June.", "prioritising work for impact"):
        assert part in text, f"{part!r} missing from {text!r}"


@pytest.mark.parametrize("kwargs, match", [
    ({"decision": " "}, "decision"),
    ({"decision_maker": None}, "decision_maker"),
    ({"measure": 3}, "measure"),
    ({"project_type": "forecasting"}, "project_type"),
    ({"by_when": ""}, "by_when"),
])
def test_frame_question_refuses_bad_parts(kwargs, match):
    """A blank part or an unknown project type raises ValueError naming the argument."""
    args = {"decision": "d", "decision_maker": "m", "question": "q", "project_type": "needle", "measure": "x", "data": "y"}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        frame_question(**args)


# --------------------------------------------------------------------------- placeholders
def test_find_placeholders_text_ignores_case_and_spaces(messy):
    """Text placeholders match whatever their case and surrounding spaces; missing cells are not placeholders."""
    assert find_placeholders(messy["ward"]).tolist() == [False, True, False, True, False, False]
    assert find_placeholders(messy["postcode"]).tolist() == [False, True, False, False, True, False]


def test_find_placeholders_numbers_and_dates(messy):
    """'0' matches zeros in float and int columns; ISO-date placeholders match those dates; booleans never match."""
    flags = find_placeholders(messy)
    assert flags["cost"].tolist() == [False, True, False, False, True, False], "0.0 is the placeholder '0'"
    assert flags["bags"].tolist() == [False, True, False, False, False, True]
    assert flags["cleared"].tolist() == [False, True, False, False, False, True], "1900-01-01 and 1970-01-01"
    assert not flags["flag"].any(), "False is not a placeholder"
    assert flags.shape == messy.shape and list(flags.columns) == list(messy.columns) and flags.index.equals(messy.index)


@pytest.mark.parametrize("dates", [
    pd.Series(pd.to_datetime(["1900-01-01", "2024-01-01", None])),
    pd.Series(pd.to_datetime(["1900-01-01", "2024-01-01", None])).astype("datetime64[s]"),
    pd.Series(pd.to_datetime(["1900-01-01", "2024-01-01", None])).dt.tz_localize("Europe/London"),
])
def test_find_placeholders_dates_in_any_resolution_or_time_zone(dates):
    """The default date 1 January 1900 is found whatever the column's resolution or time zone."""
    assert find_placeholders(dates).tolist() == [True, False, False]


def test_find_placeholders_with_own_list(messy):
    """A custom list replaces the defaults: without '0' no zero is flagged."""
    flags = find_placeholders(messy, placeholders=["tbc"])
    assert flags["postcode"].sum() == 1 and flags["cost"].sum() == 0 and flags["ward"].sum() == 0


@pytest.mark.parametrize("data, placeholders, error", [
    ([1, 2], DEFAULT_PLACEHOLDERS, TypeError),
    (pd.Series(["a"]), "NO DATA!", TypeError),
    (pd.Series(["a"]), [0], TypeError),
])
def test_find_placeholders_refuses_bad_arguments(data, placeholders, error):
    """A list instead of a Series or DataFrame, or placeholders that are not a list of text, raise TypeError."""
    with pytest.raises(error, match="data|placeholders"):
        find_placeholders(data, placeholders)


def test_profile_quality_matches_an_independent_count(cardiff):
    """On Cardiff's demo data, every count equals one made cell by cell in plain Python."""
    profile = profile_quality(cardiff)
    assert list(profile.index) == list(cardiff.columns), "one row per column, in the frame's order"
    wanted = {p.casefold() for p in DEFAULT_PLACEHOLDERS}
    for column in cardiff.columns:
        values = cardiff[column].tolist()
        missing = sum(1 for v in values if v is None or (not isinstance(v, str) and pd.isna(v)))
        if pd.api.types.is_datetime64_any_dtype(cardiff[column]):
            bad = [v for v in values if not pd.isna(v) and v.strftime("%Y-%m-%d") in wanted]
        elif pd.api.types.is_float_dtype(cardiff[column]):
            bad = [v for v in values if not pd.isna(v) and v == 0]
        else:
            bad = [v for v in values if isinstance(v, str) and v.strip().casefold() in wanted]
        usable = [v for v in values if not (v is None or (not isinstance(v, str) and pd.isna(v))) and v not in bad]
        row = profile.loc[column]
        assert (row["missing"], row["placeholders"], row["usable"], row["distinct"]) == \
            (missing, len(bad), len(usable), len(set(usable))), f"{column}: counts differ"
        assert abs(row["usable_share"] - len(usable) / len(values)) < 1e-12
    assert profile.loc["ward", "bad_examples"] == "NO DATA!"
    assert profile.loc["clearance_cost", "bad_examples"] == "0"
    assert profile.loc["date_cleared", "bad_examples"] == "1900-01-01"


def test_profile_quality_small_example(messy):
    """On the small example: ward has one blank, two NO DATA!, and one distinct usable value among three."""
    profile = profile_quality(messy)
    assert profile.loc["ward", ["rows", "missing", "placeholders", "usable", "distinct"]].tolist() == [6, 1, 2, 3, 2]
    assert profile.loc["postcode", "bad_examples"] == "TBC, N/A"
    assert profile.loc["flag", "placeholders"] == 0


def test_profile_quality_of_an_empty_table():
    """A table without columns gives an empty profile; one without rows gives NaN shares."""
    assert profile_quality(pd.DataFrame()).empty
    empty = profile_quality(pd.DataFrame({"a": pd.Series([], dtype="str")}))
    assert empty.loc["a", "rows"] == 0 and np.isnan(empty.loc["a", "usable_share"])


@pytest.mark.parametrize("frame, placeholders", [
    (pd.Series(["a"]), DEFAULT_PLACEHOLDERS),
    ("not a table", DEFAULT_PLACEHOLDERS),
    (pd.DataFrame({"a": ["x"]}), None),
])
def test_profile_quality_refuses_bad_arguments(frame, placeholders):
    """Anything but a DataFrame, or placeholders that are not a list of text, raises TypeError."""
    with pytest.raises(TypeError, match="frame|placeholders"):
        profile_quality(frame, placeholders)


# --------------------------------------------------------------------------- duplicates
def test_find_duplicates_without_keys_is_exact(cardiff):
    """With keys=None only rows equal in every column repeat: the same as pandas' duplicated()."""
    assert find_duplicates(cardiff, normalise=False).equals(cardiff.duplicated().rename("duplicate"))
    assert find_duplicates(cardiff).sum() == cardiff.duplicated().sum(), "normalising changes nothing for exact copies here"


def test_find_duplicates_agrees_with_a_python_loop(cardiff):
    """With keys, the result equals a loop that remembers normalised keys already seen."""
    keys = ["location", "postcode", "date_reported"]

    def norm(v):
        if isinstance(v, str):
            return " ".join(v.split()).casefold()
        return None if pd.isna(v) else v

    seen, expected = set(), []
    for row in cardiff[keys].itertuples(index=False):
        key = tuple(norm(v) for v in row)
        expected.append(key in seen)
        seen.add(key)
    got = find_duplicates(cardiff, keys)
    assert got.tolist() == expected, f"{sum(a != b for a, b in zip(got, expected))} rows differ from the loop"
    assert got.sum() > cardiff.duplicated().sum(), "second reports add to the exact copies"


def test_find_duplicates_keep_options():
    """keep='first' marks repeats after the first, 'last' all but the last, False every member of a group."""
    t = pd.DataFrame({"street": ["High St", "HIGH  ST ", "Mill Rd", "high st"], "day": [1, 1, 1, 2]})
    assert find_duplicates(t, ["street", "day"]).tolist() == [False, True, False, False]
    assert find_duplicates(t, ["street", "day"], keep="last").tolist() == [True, False, False, False]
    assert find_duplicates(t, ["street", "day"], keep=False).tolist() == [True, True, False, False]
    assert find_duplicates(t, "street").tolist() == [False, True, False, True], "a single key may be a string"
    assert find_duplicates(t, ["street", "day"], normalise=False).sum() == 0, "without normalising, case and spaces count"


@pytest.mark.parametrize("kwargs, error, match", [
    ({"keys": ["nope"]}, ValueError, "nope"),
    ({"keys": []}, ValueError, "keys"),
    ({"keep": "middle"}, ValueError, "keep"),
    ({"normalise": "yes"}, TypeError, "normalise"),
])
def test_find_duplicates_refuses_bad_arguments(kwargs, error, match):
    """Unknown or empty keys, a bad keep and a non-boolean normalise raise errors naming the argument."""
    with pytest.raises(error, match=match):
        find_duplicates(pd.DataFrame({"a": [1, 1]}), **kwargs)


def test_find_duplicates_refuses_a_non_frame():
    """A Series is not a table: TypeError naming frame."""
    with pytest.raises(TypeError, match="frame"):
        find_duplicates(pd.Series([1, 1]))


# --------------------------------------------------------------------------- DPIA screen
def _all(value: bool = False, **answers) -> dict[str, bool]:
    return {**{k: value for k in SCREENING_QUESTIONS}, **answers}


def test_no_personal_data_no_dpia():
    """Without personal data nothing fires and no DPIA is required, whatever else is answered."""
    screen = dpia_screen(_all(new_technology=True, large_scale=True, data_matching=True, public_monitoring=True))
    assert screen.triggers.empty and not screen.dpia_required and not screen.atrs_record
    assert "do not apply" in screen.verdict


def test_cctv_is_article_35_3_c():
    """Systematic monitoring of a public place requires a DPIA on its own (Article 35(3)(c))."""
    screen = dpia_screen(_all(personal_data=True, public_monitoring=True))
    assert screen.dpia_required
    assert "Systematic monitoring of a publicly accessible area on a large scale" in screen.triggers["criterion"].tolist()
    assert set(screen.triggers["source"]) == {"UK GDPR Article 35(3)", "EDPB criteria (WP248rev01)"}


def test_one_edpb_criterion_is_not_enough_two_are():
    """One EDPB criterion alone does not require a DPIA; two do (WP248rev01's rule of thumb)."""
    one = dpia_screen(_all(personal_data=True, large_scale=True))
    assert not one.dpia_required and one.triggers["source"].eq("EDPB criteria (WP248rev01)").all()
    two = dpia_screen(_all(personal_data=True, large_scale=True, vulnerable_people=True))
    assert two.dpia_required and len(two.triggers) == 2


def test_innovative_technology_needs_another_criterion():
    """The ICO lists innovative technology only together with another EDPB criterion."""
    alone = dpia_screen(_all(personal_data=True, new_technology=True))
    assert "Innovative technology" not in alone.triggers["criterion"].tolist() and not alone.dpia_required
    paired = dpia_screen(_all(personal_data=True, new_technology=True, large_scale=True))
    assert "Innovative technology" in paired.triggers["criterion"].tolist() and paired.dpia_required


def test_the_risk_model_proposal():
    """The module's risk model fires Article 35(3)(a)-(c), the ICO's profiling and matching items and ATRS."""
    answers = _all(personal_data=True, criminal_offence=True, large_scale=True, profiling=True, significant_effects=True,
                   new_technology=True, data_matching=True, public_monitoring=True, algorithmic_tool=True)
    screen = dpia_screen(answers)
    criteria = screen.triggers["criterion"].tolist()
    for expected in ("Systematic and extensive profiling with significant effects",
                     "Large-scale use of special category or criminal offence data",
                     "Systematic monitoring of a publicly accessible area on a large scale",
                     "Large-scale profiling", "Data matching", "Innovative technology",
                     "Algorithmic tool informing decisions that affect the public"):
        assert expected in criteria, f"{expected} should fire"
    assert screen.dpia_required and screen.atrs_record and screen.unanswered == ()
    assert "Article 10" in screen.verdict and "ATRS" in screen.verdict


def test_unanswered_questions_count_as_no_and_are_listed():
    """Questions left out are listed in unanswered and in the verdict."""
    screen = dpia_screen({"personal_data": True})
    assert set(screen.unanswered) == set(SCREENING_QUESTIONS) - {"personal_data"}
    assert "Unanswered" in screen.verdict and not screen.dpia_required


@pytest.mark.parametrize("answers, error, match", [
    ({"personal": True}, ValueError, "personal"),
    ({"personal_data": "yes"}, TypeError, "True or False"),
    ({"personal_data": False, "special_category": True}, ValueError, "personal_data"),
    ([("personal_data", True)], TypeError, "answers"),
])
def test_dpia_screen_refuses_bad_answers(answers, error, match):
    """Unknown keys, answers that are not booleans, impossible combinations and non-mappings are refused."""
    with pytest.raises(error, match=match):
        dpia_screen(answers)


def test_module_exports():
    """Everything in __all__ exists, and importing the module changes nothing else."""
    for name in quality.__all__:
        assert hasattr(quality, name), name
