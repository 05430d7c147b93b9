"""Disclosure control: suppression with secondary cells, formula neutralising, personal-data screening."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from curriculum.disclosure import (SUPPRESSED, PersonalDataError, find_personal_data, neutralise_formulas,
                                   suppress_small_counts, write_publishable)


def _recoverable(out: pd.DataFrame) -> list[tuple]:
    """Cells a reader could work out from the totals: a line with exactly one [c]."""
    body = out.drop(index="Total", columns="Total")
    found = []
    for label, row in itertools.chain(body.iterrows(), body.T.iterrows()):
        if (row == SUPPRESSED).sum() == 1:
            found.append(label)
    return found


def test_primary_and_secondary_suppression():
    """Counts 1-4 are hidden; no row or column is left with a single hidden cell; totals are the true totals."""
    counts = pd.DataFrame({"Fire": [12, 3, 40], "Police": [20, 18, 9], "Licensing": [7, 25, 2]}, index=["A", "B", "C"])
    out = suppress_small_counts(counts)
    assert out.loc["B", "Fire"] == SUPPRESSED and out.loc["C", "Licensing"] == SUPPRESSED
    assert not _recoverable(out), f"a lone suppressed cell can be recovered from the totals: {_recoverable(out)}"
    assert out.loc["Total", "Total"] == counts.to_numpy().sum()
    assert out.loc["A", "Police"] == 20, "large counts are shown"


@pytest.mark.parametrize("seed", range(5))
def test_no_cell_recoverable_on_random_tables(seed):
    """On random sparse tables no suppressed cell can be worked back from a row or column total."""
    rng = np.random.default_rng(seed)
    counts = pd.DataFrame(rng.poisson(4, size=(6, 5)), index=list("abcdef"), columns=list("VWXYZ"))
    out = suppress_small_counts(counts, threshold=5)
    assert not _recoverable(out)
    shown = out.drop(index="Total", columns="Total")
    small = (counts > 0) & (counts < 5)
    assert (shown[small] == SUPPRESSED).sum().sum() == small.sum().sum(), "every small count hidden"


@pytest.mark.parametrize("shape", ["row", "column"])
def test_one_line_tables_hide_revealing_totals(shape):
    """In a one-row (or one-column) table a hidden cell's margin total is hidden too."""
    counts = pd.DataFrame([[210, 51, 3, 8, 2]], index=["premises"], columns=[1, 2, 3, 4, 5])
    out = suppress_small_counts(counts if shape == "row" else counts.T)
    out = out if shape == "row" else out.T
    assert out.loc["Total", 3] == SUPPRESSED and out.loc["Total", 5] == SUPPRESSED, out
    assert out.loc["Total", 1] == 210


@pytest.mark.parametrize("bad", [pd.DataFrame({"a": [1.5]}), pd.DataFrame({"a": [-1]}), pd.DataFrame({"a": ["x"]})])
def test_suppression_refuses_non_counts(bad):
    """Anything but non-negative whole counts is refused."""
    with pytest.raises(ValueError, match="whole-number counts"):
        suppress_small_counts(bad)


def test_threshold_must_be_positive():
    """threshold=0 is refused, naming the argument."""
    with pytest.raises(ValueError, match="threshold"):
        suppress_small_counts(pd.DataFrame({"a": [1]}), threshold=0)


def test_formulas_are_neutralised_and_numbers_kept():
    """Cells starting =, +, -, @ get an apostrophe; numbers and plain text do not."""
    frame = pd.DataFrame({"supplier": ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "+44 29", "-12.5", "Acme Ltd", "\tcmd"],
                          "amount": [1.0, -2.0, 3.0, 4.0, 5.0, 6.0]})
    safe = neutralise_formulas(frame)
    assert safe["supplier"].tolist() == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'+44 29", "-12.5", "Acme Ltd", "'\tcmd"]
    assert safe["amount"].tolist() == frame["amount"].tolist()


def test_personal_data_screen():
    """Unit postcodes, titled names, house addresses and free text are found; aggregates pass."""
    bad = pd.DataFrame({"who": ["Mrs Jones"], "where": ["12 Station Road"], "pc": ["CF10 1AA"],
                        "note": ["x" * 200]})
    problems = find_personal_data(bad)
    assert len(problems) == 4, problems
    good = pd.DataFrame({"postcode district": ["CF10", "NP20"], "records": [12, 40]})
    assert find_personal_data(good) == []


def test_write_publishable_refuses_personal_data(tmp_path):
    """A table with a unit postcode is not written at all."""
    with pytest.raises(PersonalDataError, match="unit postcode"):
        write_publishable(pd.DataFrame({"pc": ["NP20 1AB"]}), tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_write_publishable_writes_safe_files(tmp_path, suffix):
    """CSV and Excel files are written with formulas neutralised."""
    path = write_publishable(pd.DataFrame({"category": ["=1+1", "Care"], "spend": [10, 20]}), tmp_path / f"t{suffix}")
    back = pd.read_csv(path) if suffix == ".csv" else pd.read_excel(path)
    assert back["category"].tolist() == ["'=1+1", "Care"]
