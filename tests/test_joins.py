"""Joins that report what they kept, dropped and multiplied (curriculum.joins)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.errors import MergeError

from curriculum.errors import CurriculumError
from curriculum.joins import (
    POSTCODE_STATUSES,
    JoinError,
    JoinReport,
    checked_merge,
    duplicated_keys,
    lookup_postcodes,
)


@pytest.fixture
def records() -> pd.DataFrame:
    """Six records: a repeated key, a missing key and a key the lookup lacks."""
    return pd.DataFrame({"ref": list("ABCDEF"), "pc": ["CF10 1AA", "CF10 1AA", "CF24 3AB", None, "CF99 9ZZ", "CF5 6XY"]})


@pytest.fixture
def lookup() -> pd.DataFrame:
    """A lookup with one repeated key, one key no record uses and a row without a key."""
    return pd.DataFrame({"pc": ["CF10 1AA", "CF24 3AB", "CF24 3AB", "CF5 6XY", "NP4 1AA", None],
                         "lsoa": ["W01000001", "W01000002", "W01000003", "W01000004", "W01000005", "W01000006"]})


def _random_tables(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    left = pd.DataFrame({"k": rng.integers(0, 30, 200), "x": rng.normal(size=200)})
    right = pd.DataFrame({"k": rng.integers(10, 45, 60), "y": rng.normal(size=60)})
    return left, right


# ------------------------------------------------------------------------------ checked_merge
@pytest.mark.parametrize("how", ["left", "right", "inner", "outer"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counts_agree_with_pandas_indicator(how, seed):
    """Matched, unmatched and extra rows equal an independent count from pandas' own merge indicator."""
    left, right = _random_tables(seed)
    joined, report = checked_merge(left, right, on="k", how=how, indicator=True)
    plain = pd.merge(left.assign(_l=range(len(left))), right.assign(_r=range(len(right))), on="k", how="outer",
                     indicator=True)
    both = plain[plain["_merge"] == "both"]
    assert report.left_matched == both["_l"].nunique(), "left rows with a match"
    assert report.left_unmatched == len(left) - both["_l"].nunique(), "left rows without a match"
    assert report.right_unmatched == len(right) - both["_r"].nunique(), "right rows never used"
    # Closed form: each matched key gives (left rows) x (right rows) rows; one per left row is not extra.
    lc, rc = left["k"].value_counts(), right["k"].value_counts()
    common = lc.index.intersection(rc.index)
    assert report.extra_rows == int((lc[common] * (rc[common] - 1)).sum()), "extra rows from repeated right keys"
    assert len(joined) == len(pd.merge(left, right, on="k", how=how)) == report.result_rows, "same rows as pandas"
    assert (joined["_merge"] == "both").sum() == len(both), "the indicator marks the matched rows"


@pytest.mark.parametrize("how", ["left", "right", "inner", "outer"])
def test_result_equals_pandas_without_missing_keys(how):
    """Without missing keys the joined table is pandas' own result, rows in the same order for left, right and inner."""
    left, right = _random_tables(7)
    joined, _ = checked_merge(left, right, on="k", how=how)
    expected = pd.merge(left, right, on="k", how=how)
    if how == "outer":
        joined, expected = (f.sort_values(["k", "x", "y"], ignore_index=True) for f in (joined, expected))
    pd.testing.assert_frame_equal(joined.reset_index(drop=True), expected.reset_index(drop=True))


def test_missing_keys_never_match(records, lookup):
    """A record without a key stays unmatched, where pandas would join it to the lookup's blank row."""
    pandas_way = pd.merge(records, lookup, on="pc", how="left")
    assert pandas_way.loc[pandas_way["ref"] == "D", "lsoa"].notna().all(), "pandas matches missing keys to each other"
    joined, report = checked_merge(records, lookup, on="pc", how="left")
    assert joined.loc[joined["ref"] == "D", "lsoa"].isna().all(), "a missing key must not match"
    assert report.left_missing_keys == 1 and report.right_missing_keys == 1
    assert joined["ref"].tolist() == ["A", "B", "C", "C", "D", "E", "F"], "left order kept, C copied by its repeated key"


def test_report_figures_on_a_small_example(records, lookup):
    """Every figure of the report on a hand-checked example."""
    _, report = checked_merge(records, lookup, on="pc", how="inner", name="records to areas")
    assert isinstance(report, JoinReport)
    assert (report.left_rows, report.right_rows, report.result_rows) == (6, 6, 5)
    assert (report.left_matched, report.left_unmatched, report.dropped_left) == (4, 2, 2), "D and E are dropped"
    assert report.right_unmatched == 2, "NP4 1AA and the blank row are never used"
    assert (report.left_duplicated_keys, report.right_duplicated_keys) == (1, 1)
    assert report.extra_rows == 1, "C is copied once"
    assert report.match_rate == pytest.approx(4 / 6)
    text = report.summary()
    assert "records to areas" in text and "DROPPED" in text and "1 extra rows" in text, text
    assert str(report) == text
    table = report.to_frame()
    assert list(table.columns) == ["figure", "value"] and len(table) == 12


def test_outer_join_keeps_rows_with_missing_keys(records, lookup):
    """An outer join keeps the unmatched rows of both sides, missing keys included, labelled by the indicator."""
    joined, report = checked_merge(records, lookup, on="pc", how="outer", indicator=True)
    assert (joined["_merge"] == "left_only").sum() == report.left_unmatched == 2
    assert (joined["_merge"] == "right_only").sum() == report.right_unmatched == 2
    assert report.dropped_left == 0


@pytest.mark.parametrize("validate", ["one_to_one", "1:1", "one_to_many", "1:m", "many_to_one", "m:1", "many_to_many", "m:m"])
@pytest.mark.parametrize("seed", [1, 4])
def test_validate_agrees_with_pandas(validate, seed):
    """A promise is refused exactly when pandas' own validate raises MergeError (tables without missing keys)."""
    left, right = _random_tables(seed)
    for lf, rt in ((left, right), (left.drop_duplicates("k"), right), (left, right.drop_duplicates("k")),
                   (left.drop_duplicates("k"), right.drop_duplicates("k"))):
        try:
            pd.merge(lf, rt, on="k", validate=validate)
            pandas_ok = True
        except MergeError:
            pandas_ok = False
        if pandas_ok:
            checked_merge(lf, rt, on="k", validate=validate)
        else:
            with pytest.raises(JoinError, match="repeat"):
                checked_merge(lf, rt, on="k", validate=validate)


def test_validation_error_names_the_keys(records, lookup):
    """The error names the join, the side and the repeated key, and is a CurriculumError and a ValueError."""
    with pytest.raises(JoinError, match=r"CF24 3AB.*on 2 rows") as caught:
        checked_merge(records, lookup, on="pc", validate="many_to_one", name="records to areas")
    assert "records to areas" in str(caught.value) and "right" in str(caught.value)
    assert isinstance(caught.value, CurriculumError) and isinstance(caught.value, ValueError)
    with pytest.raises(JoinError, match="left"):
        checked_merge(records, lookup.drop_duplicates("pc"), on="pc", validate="one_to_one")


def test_multiple_keys():
    """Keys of several columns match on all of them."""
    left = pd.DataFrame({"pc": ["CF10 1AA", "CF10 1AA"], "addr": ["FLAT 1", "FLAT 2"]})
    right = pd.DataFrame({"pc": ["CF10 1AA", "CF10 1AA"], "addr": ["FLAT 2", "FLAT 3"], "uprn": [2, 3]})
    joined, report = checked_merge(left, right, on=["pc", "addr"], validate="one_to_one")
    assert joined["uprn"].tolist()[1] == 2 and pd.isna(joined["uprn"].tolist()[0])
    assert report.left_matched == 1 and report.on == ("pc", "addr")


def test_nullable_integer_keys():
    """UPRNs read with blanks (Int64) join to UPRNs without (int64); the blanks stay unmatched."""
    reports = pd.DataFrame({"uprn": pd.array([100, None, 300], dtype="Int64")})
    gazetteer = pd.DataFrame({"uprn": np.array([100, 200], dtype="int64"), "address": ["A", "B"]})
    joined, report = checked_merge(reports, gazetteer, on="uprn", validate="many_to_one")
    assert joined["address"].tolist()[0] == "A" and report.left_matched == 1 and report.left_missing_keys == 1


def test_incomparable_keys_raise_a_join_error():
    """Text keys against number keys raise a JoinError naming the key and both types."""
    left = pd.DataFrame({"uprn": ["100", "200"]})
    right = pd.DataFrame({"uprn": [100, 200]})
    with pytest.raises(JoinError, match="'uprn'"):
        checked_merge(left, right, on="uprn")


@pytest.mark.parametrize("kwargs, error, word", [
    (dict(left=[1, 2]), TypeError, "left"),
    (dict(right="lookup"), TypeError, "right"),
    (dict(on="nope"), ValueError, "key column"),
    (dict(on=3), TypeError, "on"),
    (dict(on=[]), TypeError, "on"),
    (dict(how="cross"), ValueError, "how"),
    (dict(validate="1:n"), ValueError, "validate"),
    (dict(indicator="yes"), TypeError, "indicator"),
])
def test_checked_merge_rejects_bad_arguments(records, lookup, kwargs, error, word):
    """Bad tables, keys, how, validate or indicator raise errors naming the argument."""
    args = dict(left=records, right=lookup, on="pc")
    args.update(kwargs)
    with pytest.raises(error, match=word):
        checked_merge(**args)


def test_reserved_column_names_are_refused(records, lookup):
    """A table that already has a helper column of checked_merge is refused with the column named."""
    with pytest.raises(ValueError, match="__left_row__"):
        checked_merge(records.assign(__left_row__=1), lookup, on="pc")


# ------------------------------------------------------------------------------ duplicated_keys
def test_duplicated_keys_lists_repeats_most_first():
    """Repeated keys with their row counts, most first; missing keys and unique keys left out."""
    frame = pd.DataFrame({"pc": ["A", "B", "B", "C", "C", "C", None, None]})
    found = duplicated_keys(frame, "pc")
    assert found["pc"].tolist() == ["C", "B"] and found["rows"].tolist() == [3, 2]
    assert duplicated_keys(frame.dropna().drop_duplicates(), "pc").empty, "no repeats, an empty table"


@pytest.mark.parametrize("frame, on, error", [([1], "pc", TypeError), (pd.DataFrame({"x": [1]}), "pc", ValueError),
                                              (pd.DataFrame({"pc": [1]}), None, TypeError)])
def test_duplicated_keys_rejects_bad_arguments(frame, on, error):
    """A non-table, a missing column or a bad key raise errors."""
    with pytest.raises(error):
        duplicated_keys(frame, on)


# ----------------------------------------------------------------------------- lookup_postcodes
@pytest.fixture
def directory() -> pd.DataFrame:
    """A directory with a live postcode, one in another council and a terminated one."""
    return pd.DataFrame({"postcode": ["CF10 1AA", "CF5 6XY", "CF24 3AB"],
                         "lsoa_code": ["W01000001", "W01000002", "W01000003"],
                         "council_code": ["W06000015", "W06000014", "W06000015"],
                         "terminated": pd.to_datetime([None, None, "2010-01-01"])})


def test_every_status_in_order_of_precedence(directory):
    """Each postcode gets the first status that applies, the index is kept and postcodes are normalised."""
    typed = pd.Series(["cf101aa", None, "CF10", "CF99 9ZZ", "cf5 6xy", "CF24 3AB", "  ", "CF10  1AA"], index=list("abcdefgh"))
    found = lookup_postcodes(typed, directory, council_code="W06000015")
    assert list(found.index) == list(typed.index)
    assert found["status"].tolist() == ["matched", "missing", "invalid", "not in directory", "other council",
                                        "terminated", "missing", "matched"]
    assert list(found["status"].cat.categories) == list(POSTCODE_STATUSES)
    assert found.loc["a", "postcode"] == "CF10 1AA" and found.loc["a", "lsoa_code"] == "W01000001"
    assert found.loc["e", "lsoa_code"] == "W01000002", "a postcode in another council keeps its LSOA"
    assert bool(found.loc["f", "terminated"]) and found.loc["f", "lsoa_code"] == "W01000003", "terminated keeps its LSOA"


def test_without_council_code_nothing_is_other_council(directory):
    """With no council_code the other-council test is skipped."""
    found = lookup_postcodes(pd.Series(["CF5 6XY"]), directory)
    assert found["status"].tolist() == ["matched"]


def test_keep_terminated_false_blanks_their_area(directory):
    """keep_terminated=False keeps the status but blanks the LSOA and council of terminated postcodes."""
    found = lookup_postcodes(pd.Series(["CF24 3AB", "CF10 1AA"]), directory, keep_terminated=False)
    assert found["status"].tolist() == ["terminated", "matched"]
    assert pd.isna(found["lsoa_code"].iloc[0]) and found["lsoa_code"].iloc[1] == "W01000001"


def test_lookup_agrees_with_a_plain_merge(directory):
    """The LSOA found equals a plain pandas merge on the normalised postcode, for random typing."""
    rng = np.random.default_rng(3)
    codes = ["CF10 1AA", "CF5 6XY", "CF24 3AB", "CF99 9ZZ"]
    typed = pd.Series([rng.choice(codes).lower() if rng.random() < 0.5 else rng.choice(codes).replace(" ", "")
                       for _ in range(50)])
    found = lookup_postcodes(typed, directory)
    clean = typed.str.upper().str.replace(" ", "").str.replace(r"^(.*)(\d[A-Z]{2})$", r"\1 \2", regex=True)
    plain = pd.DataFrame({"postcode": clean}).merge(directory, on="postcode", how="left")
    assert found["lsoa_code"].fillna("-").tolist() == plain["lsoa_code"].fillna("-").tolist()


def test_other_column_names(directory):
    """The directory's column names can be given."""
    renamed = directory.rename(columns={"postcode": "pcds", "lsoa_code": "lsoa21", "council_code": "oslaua", "terminated": "doterm"})
    found = lookup_postcodes(pd.Series(["CF10 1AA"]), renamed, postcode="pcds", lsoa="lsoa21", council="oslaua",
                             terminated="doterm")
    assert found["lsoa_code"].tolist() == ["W01000001"]


@pytest.mark.parametrize("postcodes, directory_change, kwargs, error, word", [
    (["CF10 1AA"], None, {}, TypeError, "postcodes"),
    (pd.Series(["CF10 1AA"]), "not a table", {}, TypeError, "directory"),
    (pd.Series(["CF10 1AA"]), "drop", {}, ValueError, "column"),
    (pd.Series(["CF10 1AA"]), "stack", {}, ValueError, "once"),
    (pd.Series(["CF10 1AA"]), None, {"keep_terminated": "no"}, TypeError, "keep_terminated"),
])
def test_lookup_postcodes_rejects_bad_arguments(directory, postcodes, directory_change, kwargs, error, word):
    """A non-Series, a non-table, a directory without a column or with repeated postcodes, or a bad flag raise errors."""
    table = {"not a table": "directory", "drop": directory.drop(columns="lsoa_code"),
             "stack": pd.concat([directory, directory.assign(postcode=directory["postcode"].str.lower())]),
             None: directory}[directory_change]
    with pytest.raises(error, match=word):
        lookup_postcodes(postcodes, table, **kwargs)
