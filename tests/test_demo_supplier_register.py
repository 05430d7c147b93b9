"""Tests of the supplier register demo generator (curriculum.demo.supplier_register)."""

import numpy as np
import pandas as pd
import pytest

import curriculum
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, supplier_register
from curriculum.demo.spend import supplier_book
from curriculum.demo.supplier_register import LABEL_COLUMNS, REGISTER_COLUMNS
from curriculum.suppliers import match_quality, normalise_supplier_name, score_pairs


def _rng(council: str) -> np.random.Generator:
    """The random stream write_demo_data gives a council's supplier_register generator."""
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(council), GENERATORS.index("supplier_register")])


@pytest.fixture(scope="module")
def files() -> dict[str, dict[str, pd.DataFrame]]:
    """The register and labels of every council at scale 1."""
    return {c: supplier_register.generate(get_council(c), _rng(c), 1.0) for c in COUNCIL_NAMES}


def test_files_have_the_published_columns(files):
    """The register has the Companies House basic company data columns; the labels their own, all text."""
    assert supplier_register.FILES == ("supplier_register.csv", "supplier_match_labels.csv")
    for council, out in files.items():
        assert list(out) == list(supplier_register.FILES), f"{council}: files {list(out)}"
        assert list(out["supplier_register.csv"].columns) == list(REGISTER_COLUMNS), council
        assert list(out["supplier_match_labels.csv"].columns) == list(LABEL_COLUMNS), council
        for frame in out.values():
            assert all(frame[c].map(type).eq(str).all() for c in frame.columns), f"{council}: a column is not all text"


def test_register_numbers_and_names_are_unique_and_well_formed(files):
    """Company numbers are unique 8-digit strings, names unique and upper-case, statuses and categories known."""
    for council, out in files.items():
        reg = out["supplier_register.csv"]
        assert reg["CompanyNumber"].is_unique and reg["CompanyName"].is_unique, f"{council}: duplicates in the register"
        assert reg["CompanyNumber"].str.fullmatch(r"\d{8}").all(), f"{council}: a company number is not 8 digits"
        assert (reg["CompanyName"] == reg["CompanyName"].str.upper()).all(), f"{council}: a name is not upper-case"
        assert set(reg["CompanyStatus"]) <= {"Active", "Active - Proposal to Strike off", "Liquidation", "In Administration"}
        assert reg["SICCode.SicText_1"].str.fullmatch(r"\d{5} - .+").all(), f"{council}: SIC text not '12345 - ...'"
        assert (reg["CompanyStatus"] == "Active").mean() > 0.8, f"{council}: most companies should be active"


def test_register_holds_every_book_supplier_with_a_number(files):
    """Each supplier of the council's book that has a company number is in the register under that number."""
    for council, out in files.items():
        book = supplier_book(get_council(council))
        numbers = set(book.loc[book["company_number"] != "", "company_number"])
        assert numbers <= set(out["supplier_register.csv"]["CompanyNumber"]), f"{council}: a supplier is missing"


def test_register_names_differ_from_vendor_records_as_planted(files):
    """Most registered names normalise to the supplier's key; a substantial minority do not (fuzzy matching needed)."""
    for council, out in files.items():
        book = supplier_book(get_council(council))
        with_number = book[book["company_number"] != ""]
        reg = out["supplier_register.csv"].set_index("CompanyNumber")
        registered_keys = normalise_supplier_name(reg.loc[with_number["company_number"], "CompanyName"]).to_numpy()
        same = (registered_keys == with_number["key"].to_numpy()).mean()
        assert 0.5 <= same <= 0.8, f"{council}: {same:.0%} of registered names normalise to the vendor record's key"
        others = len(reg) - len(with_number)
        assert others >= 0.2 * len(with_number), f"{council}: too few look-alike and unrelated companies ({others})"


def test_labels_are_the_truth_and_trade_precision_for_recall(files):
    """Labels say Yes exactly for the supplier's own company; precision rises and recall falls with the threshold."""
    for council, out in files.items():
        book = supplier_book(get_council(council))
        number_of = {name: row.company_number for row in book.itertuples() for name in row.variants}
        labels = out["supplier_match_labels.csv"]
        truth = labels["Supplier Name"].map(number_of) == labels["CompanyNumber"]
        assert (truth == (labels["Same Supplier?"] == "Yes")).all(), f"{council}: a label disagrees with the book"
        assert set(labels["Same Supplier?"]) == {"Yes", "No"}, council
        assert 0.15 <= truth.mean() <= 0.5, f"{council}: {truth.mean():.0%} of labelled pairs are matches"
        pd.to_datetime(labels["Review Date"], format="%d/%m/%Y")  # raises if a date is malformed
        quality = match_quality(score_pairs(labels["Supplier Name"], labels["CompanyName"]), truth, [75, 85, 95])
        assert quality["precision"].is_monotonic_increasing, f"{council}: precision should rise with the threshold"
        assert quality["recall"].is_monotonic_decreasing, f"{council}: recall should fall with the threshold"
        assert quality.loc[75, "precision"] < 0.7 and quality.loc[95, "recall"] < 0.9, (
            f"{council}: no threshold should be perfect: {quality[['precision', 'recall']].to_dict()}")


def test_generate_is_deterministic_and_scales():
    """The same seed gives the same files; scale grows the unrelated companies and the labelled sample."""
    council = get_council("Torfaen")
    first = supplier_register.generate(council, np.random.default_rng(4), 1.0)
    again = supplier_register.generate(council, np.random.default_rng(4), 1.0)
    for file in supplier_register.FILES:
        pd.testing.assert_frame_equal(first[file], again[file])
    half = supplier_register.generate(council, np.random.default_rng(4), 0.5)
    assert len(half["supplier_register.csv"]) < len(first["supplier_register.csv"]), "scale should shrink the register"
    assert len(half["supplier_match_labels.csv"]) < len(first["supplier_match_labels.csv"]), "scale should shrink the sample"


@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_committed_files_load_for_every_council(council):
    """Both kinds load through the demo mapping and pass their schemas for every council."""
    register = curriculum.load("supplier_register", council=council)
    labels = curriculum.load("supplier_match_labels", council=council)
    assert len(register) > 100 and register["company_number"].is_unique, f"{council}: register of {len(register)} rows"
    assert labels["is_match"].dtype == "boolean" and labels["is_match"].any(), f"{council}: labels not read as Yes/No"


@pytest.mark.parametrize("bad, error", [
    (dict(council="Cardiff"), TypeError), (dict(rng=7), TypeError), (dict(scale=0), ValueError),
    (dict(scale=True), ValueError),
])
def test_generate_rejects_bad_arguments(bad, error):
    """A council that is not a Council, an rng that is not a Generator or a scale that is not positive is refused."""
    args = dict(council=get_council("Newport"), rng=np.random.default_rng(1), scale=1.0) | bad
    with pytest.raises(error, match=next(iter(bad))):
        supplier_register.generate(**args)
