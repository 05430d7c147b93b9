"""Tests of the spend and contracts demo generators (curriculum.demo.spend, curriculum.demo.contracts)."""

import re

import numpy as np
import pandas as pd
import pytest

import curriculum
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, contracts, spend
from curriculum.demo.spend import CATEGORIES, POSTCODE_AREAS, SERVICES, supplier_book
from curriculum.suppliers import is_redacted, normalise_supplier_name

SPEND_COLUMNS = ["Body", "Body Name", "Date", "Transaction Number", "Net Amount", "Supplier Name", "Supplier ID",
                 "Expense Area", "Expense Type", "Proclass"]


def _rng(council: str, generator: str) -> np.random.Generator:
    """The random stream write_demo_data gives a council's generator."""
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(council), GENERATORS.index(generator)])


@pytest.fixture(scope="module")
def spend_files() -> dict[str, pd.DataFrame]:
    """The spend file of every council at scale 1."""
    return {c: spend.generate(get_council(c), _rng(c, "spend"), 1.0)["spend.csv"] for c in COUNCIL_NAMES}


@pytest.fixture(scope="module")
def contract_files() -> dict[str, pd.DataFrame]:
    """The contracts register of every council at scale 1."""
    return {c: contracts.generate(get_council(c), _rng(c, "contracts"), 1.0)["contracts.csv"] for c in COUNCIL_NAMES}


def _amounts(frame: pd.DataFrame) -> pd.Series:
    return frame["Net Amount"].astype(float)


def test_spend_has_the_published_columns(spend_files):
    """The spend file has exactly the Transparency Code columns, all as text."""
    for council, frame in spend_files.items():
        assert list(frame.columns) == SPEND_COLUMNS, f"{council}: columns are {list(frame.columns)}"
        assert spend.FILES == ("spend.csv",), "spend.FILES should name the one file it writes"


def test_spend_lines_follow_population_and_scale():
    """There are about population / 60 lines at scale 1, and scale multiplies them."""
    council = get_council("Merthyr Tydfil")
    for scale in (0.5, 1.0, 2.0):
        frame = spend.generate(council, np.random.default_rng(1), scale)["spend.csv"]
        expected = round(council.population_2021 / 60 * scale)
        assert len(frame) == expected, f"scale {scale}: {len(frame)} lines, expected {expected}"


def test_spend_is_deterministic_given_the_rng():
    """The same seed gives the same file; another seed gives another."""
    council = get_council("Torfaen")
    first = spend.generate(council, np.random.default_rng(7), 1.0)["spend.csv"]
    again = spend.generate(council, np.random.default_rng(7), 1.0)["spend.csv"]
    other = spend.generate(council, np.random.default_rng(8), 1.0)["spend.csv"]
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other), "a different seed should give different payments"


def test_spend_body_dates_and_formats(spend_files):
    """Body is the council's URI, dates are dd/mm/yyyy in 2024/25, amounts have two decimals."""
    for council, frame in spend_files.items():
        code = get_council(council).code
        assert (frame["Body"] == f"http://statistics.data.gov.uk/id/statistical-geography/{code}").all(), council
        assert frame["Body Name"].str.contains(council.split()[0]).all(), f"{council}: Body Name {frame['Body Name'][0]}"
        assert frame["Date"].str.fullmatch(r"\d{2}/\d{2}/\d{4}").all(), f"{council}: dates not dd/mm/yyyy"
        dates = pd.to_datetime(frame["Date"], format="%d/%m/%Y")
        assert dates.min() >= pd.Timestamp("2024-04-01") and dates.max() <= pd.Timestamp("2025-03-31"), council
        assert dates.dt.month.nunique() == 12, f"{council}: every month of the year should have payments"
        assert frame["Net Amount"].str.fullmatch(r"-?\d+\.\d{2}").all(), f"{council}: amounts need two decimals"
        assert frame["Transaction Number"].is_unique, f"{council}: transaction numbers repeat"


def test_spend_amounts_are_over_500_except_credits(spend_files):
    """Every payment is at least GBP 500; credits are negative and a few per cent of lines."""
    for council, frame in spend_files.items():
        amount = _amounts(frame)
        assert (amount[amount >= 0] >= 500).all(), f"{council}: a payment under GBP 500"
        credit_share = (amount < 0).mean()
        assert 0.01 <= credit_share <= 0.06, f"{council}: {credit_share:.1%} of lines are credits"


def test_spend_redacted_payees(spend_files):
    """Individuals appear under a redaction label, without a supplier ID, on a few per cent of lines."""
    for council, frame in spend_files.items():
        redacted = is_redacted(frame["Supplier Name"])
        assert 0.03 <= redacted.mean() <= 0.12, f"{council}: {redacted.mean():.1%} of lines are redacted"
        assert (frame.loc[redacted, "Supplier ID"] == "").all(), f"{council}: a redacted payee has a supplier ID"
        assert (frame.loc[~redacted, "Supplier ID"] != "").all(), f"{council}: a named supplier has no supplier ID"
        assert set(frame.loc[redacted, "Supplier Name"]) <= set(spend.REDACTION_LABELS[council]), council


def test_spend_categories_services_and_proclass_agree(spend_files):
    """Each expense type has one ProClass code, the one in CATEGORIES, and services come from SERVICES."""
    codes = {c.expense_type: c.proclass for c in CATEGORIES}
    for council, frame in spend_files.items():
        assert set(frame["Expense Area"]) <= set(SERVICES), f"{council}: unknown services"
        pairs = frame[["Expense Type", "Proclass"]].drop_duplicates()
        assert pairs["Expense Type"].is_unique, f"{council}: an expense type has several ProClass codes"
        wrong = pairs[pairs["Expense Type"].map(codes) != pairs["Proclass"]]
        assert wrong.empty, f"{council}: ProClass codes disagree with CATEGORIES: {wrong.head().values.tolist()}"


def test_spend_names_vary_but_normalise_to_the_book(spend_files):
    """Suppliers appear under several names, and every name normalises to its supplier's key."""
    for council, frame in spend_files.items():
        book = supplier_book(get_council(council))
        named = frame[~is_redacted(frame["Supplier Name"])]
        keys = normalise_supplier_name(named["Supplier Name"])
        assert set(keys) <= set(book["key"]), f"{council}: a name that is not in the supplier book"
        names_per_key = named.groupby(keys)["Supplier Name"].nunique()
        assert (names_per_key > 1).mean() >= 0.05, f"{council}: too few suppliers with name variants"


def test_spend_is_heavy_tailed(spend_files):
    """A fifth of the named suppliers take at least 70% of the named net spend, and many suppliers are small."""
    for council, frame in spend_files.items():
        named = frame[~is_redacted(frame["Supplier Name"])]
        totals = _amounts(named).groupby(normalise_supplier_name(named["Supplier Name"])).sum().sort_values(ascending=False)
        top = totals.iloc[: max(1, len(totals) // 5)].sum() / totals[totals > 0].sum()
        assert top >= 0.7, f"{council}: the top fifth of suppliers take only {top:.0%}"
        assert (totals < 10_000).mean() >= 0.2, f"{council}: too few small suppliers for a tail"


def test_supplier_book_is_fixed_by_the_council():
    """The book is the same on every call, its keys are unique and its variants share the key."""
    council = get_council("Newport")
    book = supplier_book(council)
    pd.testing.assert_frame_equal(book, supplier_book(council))
    assert book["key"].is_unique, "two suppliers share a key"
    for row in book.itertuples():
        keys = set(normalise_supplier_name(pd.Series(list(row.variants))))
        assert keys == {row.key}, f"variants {row.variants} do not all normalise to {row.key!r}"
        assert len(row.ids) == len(row.variants), f"{row.key}: one supplier ID per vendor record expected"
    assert not book["key"].isin(set(supplier_book(get_council("Cardiff"))["key"])).all(), (
        "Newport and Cardiff should not have identical suppliers")


def test_contracts_have_the_register_columns(contract_files):
    """The register has the Salford layout, about population / 1,500 rows and unique references."""
    for council, frame in contract_files.items():
        assert list(frame.columns) == list(contracts.COLUMNS), f"{council}: columns {list(frame.columns)}"
        expected = round(get_council(council).population_2021 / 1_500)
        assert len(frame) == expected, f"{council}: {len(frame)} contracts, expected {expected}"
        assert frame["Contract Reference"].is_unique, f"{council}: references repeat"


def test_contracts_dates_values_and_flags(contract_files):
    """Dates fall in 2019-2029 in order, values are non-negative and flags are Yes/No."""
    for council, frame in contract_files.items():
        start, end, expiry = (pd.to_datetime(frame[c], format="%Y-%m-%d")
                              for c in ("Start Date", "End Date", "Current Expiry Date"))
        assert start.min() >= pd.Timestamp("2019-01-01") and expiry.max() <= pd.Timestamp("2029-12-31"), council
        assert (end >= start).all() and (expiry >= end).all(), f"{council}: dates out of order"
        total = frame["Total Contract Value (including extensions)"].astype(float)
        annual = frame["Annual Value"].astype(float)
        assert (annual > 0).all() and (total > 0).all(), f"{council}: a contract without value"
        assert set(frame["SME Supplier?"]) <= {"Yes", "No"}, f"{council}: SME flags {set(frame['SME Supplier?'])}"
        assert (frame["Option to extend (months)"].astype(int) >= 0).all(), council


def test_contracts_name_the_spend_suppliers(contract_files):
    """Contract suppliers are vendor records of the council's supplier book, so they match the spend file."""
    for council, frame in contract_files.items():
        book = supplier_book(get_council(council))
        names = {name for variants in book["variants"] for name in variants}
        unknown = set(frame["Supplier Company Name"]) - names
        assert not unknown, f"{council}: suppliers not in the book: {sorted(unknown)[:3]}"


def test_contracts_postcodes_are_local_and_elsewhere(contract_files):
    """Some suppliers are in the council's own postcode districts and some elsewhere in the UK."""
    region = {a for areas in POSTCODE_AREAS.values() for a in areas}
    for council, frame in contract_files.items():
        district = frame["Supplier Postcode"].str.split().str[0]
        assert frame["Supplier Postcode"].replace("", np.nan).dropna().str.fullmatch(r"[A-Z]{1,2}\d{1,2}[A-Z]? \d[A-Z]{2}").all(), council
        assert district.isin(POSTCODE_AREAS[council]).any(), f"{council}: no supplier in the council's own districts"
        assert (~district.isin(region) & (district != "")).any(), f"{council}: no supplier from outside the region"


def test_contracts_are_deterministic_given_the_rng():
    """The same seed gives the same register."""
    council = get_council("Monmouthshire")
    first = contracts.generate(council, np.random.default_rng(3), 1.0)["contracts.csv"]
    again = contracts.generate(council, np.random.default_rng(3), 1.0)["contracts.csv"]
    pd.testing.assert_frame_equal(first, again)


@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_committed_demo_files_load_and_match_the_generators(council, spend_files, contract_files):
    """The committed demo files load through the mapping and hold what the generators write."""
    loaded = curriculum.load("spend", council=council)
    generated = spend_files[council]
    assert len(loaded) == len(generated), f"{council}: regenerate the demo spend file (write_generator_files)"
    assert np.isclose(loaded["amount"].sum(), _amounts(generated).sum()), f"{council}: spend totals differ"
    assert loaded["supplier_id"].isna().sum() == (generated["Supplier ID"] == "").sum(), council
    register = curriculum.load("contracts", council=council)
    assert len(register) == len(contract_files[council]), f"{council}: regenerate the demo contracts file"
    assert register["sme"].notna().all(), f"{council}: every SME flag should be read"


@pytest.mark.parametrize("module", [spend, contracts])
@pytest.mark.parametrize("council, rng, scale, error, match", [
    ("Cardiff", np.random.default_rng(0), 0, ValueError, "scale"),
    ("Cardiff", np.random.default_rng(0), -1.0, ValueError, "scale"),
    ("Cardiff", np.random.default_rng(0), "1", ValueError, "scale"),
    ("Cardiff", 42, 1.0, TypeError, "rng"),
    (None, np.random.default_rng(0), 1.0, TypeError, "council"),
])
def test_generators_reject_bad_arguments(module, council, rng, scale, error, match):
    """Bad arguments raise errors that name the argument."""
    with pytest.raises(error, match=match):
        module.generate(get_council(council) if council else "Cardiff", rng, scale)


def test_supplier_book_rejects_a_name():
    """supplier_book wants a Council, not its name."""
    with pytest.raises(TypeError, match="council"):
        supplier_book("Cardiff")


def test_spend_file_is_small():
    """All ten spend and contracts files together stay small enough to commit (under 6 MB)."""
    total = 0
    for council in COUNCIL_NAMES:
        folder = curriculum.datasets.demo_dir(council)
        total += sum((folder / name).stat().st_size for name in spend.FILES + contracts.FILES)
    assert total < 6e6, f"the spend and contracts demo files take {total / 1e6:.1f} MB"


def test_transaction_numbers_and_ids_are_digits(spend_files):
    """Transaction numbers and supplier IDs look like finance-system numbers."""
    pattern = re.compile(r"\d{6,9}")
    for council, frame in spend_files.items():
        assert frame["Transaction Number"].map(lambda v: bool(pattern.fullmatch(v))).all(), council
        ids = frame.loc[frame["Supplier ID"] != "", "Supplier ID"]
        assert ids.map(lambda v: bool(pattern.fullmatch(v))).all(), council
