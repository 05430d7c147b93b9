"""Tests of curriculum.suppliers: supplier-name keys and redacted payees."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import curriculum
from curriculum.demo.spend import REDACTION_LABELS
from curriculum.suppliers import LEGAL_SUFFIXES, is_redacted, normalise_supplier_name

REAL = Path(__file__).resolve().parents[1] / "datasets" / "real"


@pytest.fixture(scope="module")
def real_spend() -> dict[str, pd.DataFrame]:
    """The three real spend files, loaded through their mappings."""
    return {name: curriculum.load("spend", council=name.title(), data_dir=REAL / name)
            for name in ("calderdale", "manchester", "leeds")}


@pytest.mark.parametrize("variants", [
    ["ACME SERVICES LTD", "Acme Services Limited", "Acme Services Ltd.", "The Acme Services Co.",
     "acme  services  plc", "ACME SERVICES & CO LTD", "Acme Services LLP", "Acme Services CIC"],
    ["Evans & Sons Plumbing", "EVANS AND SONS PLUMBING LTD", "J Evans t/a Evans & Sons Plumbing",
     "J EVANS T/AS EVANS AND SONS PLUMBING", "J Evans trading as Evans & Sons Plumbing", "J Evans T.A. Evans & Sons Plumbing"],
    ["Sainsbury's Supermarkets Ltd", "SAINSBURYS SUPERMARKETS LIMITED"],
    ["Gofal Cymru Cyf", "GOFAL CYMRU CYFYNGEDIG", "Gofal Cymru Ltd"],
    ["ELDERCARE (HALIFAX) LTD", "Eldercare Halifax Limited"],
])
def test_variants_share_one_key(variants):
    """Variants of one name that differ in case, punctuation, suffix, '&', 'The' or 't/a' share one key."""
    keys = set(normalise_supplier_name(pd.Series(variants)))
    assert len(keys) == 1, f"expected one key for {variants}, got {keys}"


@pytest.mark.parametrize("first, second", [
    ("Acme Services Ltd", "Acme Supplies Ltd"),
    ("Cardiff Council", "Newport City Council"),
    ("Evans Plumbing", "Evans Heating"),
    ("Co-op Group", "Group"),
])
def test_different_suppliers_keep_different_keys(first, second):
    """Names of different suppliers do not collapse into one key."""
    assert normalise_supplier_name(first) != normalise_supplier_name(second), (
        f"{first!r} and {second!r} should keep different keys")


@pytest.mark.parametrize("name, key", [
    ("Acme Services Ltd.", "ACME SERVICES"),
    ("The ACME Services Co. Limited", "ACME SERVICES"),
    ("A & A ELECTRICAL DISTRIBUTORS LTD", "A AND A ELECTRICAL DISTRIBUTORS"),
    ("J Evans t/a Evans & Sons Plumbing", "EVANS AND SONS PLUMBING"),
    ("Ltd", "LTD"),             # nothing but a suffix: keep it rather than an empty key
    ("The", "THE"),
    ("Smith T/A", "SMITH"),     # a dangling 'trading as' is dropped
    ("  Trafnidiaeth Cymru  ", "TRAFNIDIAETH CYMRU"),
])
def test_normalise_gives_the_documented_key(name, key):
    """normalise_supplier_name applies its documented rules to single names."""
    assert normalise_supplier_name(name) == key, f"{name!r} should give {key!r}"


def test_normalise_every_legal_suffix_is_dropped():
    """Every suffix in LEGAL_SUFFIXES is dropped from the end of a name."""
    for suffix in LEGAL_SUFFIXES:
        assert normalise_supplier_name(f"Dragon Plant Hire {suffix}") == "DRAGON PLANT HIRE", (
            f"the suffix {suffix!r} was not dropped")


def test_normalise_series_keeps_index_and_missing_values():
    """A Series in gives a Series out with the same index, missing names left missing."""
    names = pd.Series(["Acme Ltd", None, "Beta plc"], index=[10, 20, 30])
    keys = normalise_supplier_name(names)
    assert isinstance(keys, pd.Series), "a Series should give a Series"
    assert list(keys.index) == [10, 20, 30], "the index should be kept"
    assert keys[10] == "ACME" and keys[30] == "BETA", f"unexpected keys {keys.tolist()}"
    assert pd.isna(keys[20]), "a missing name should stay missing"


def test_normalise_is_idempotent_on_real_names(real_spend):
    """Normalising a key again changes nothing, for every supplier name in the real files."""
    names = pd.concat([df["supplier_name"] for df in real_spend.values()], ignore_index=True).drop_duplicates()
    keys = normalise_supplier_name(names)
    again = normalise_supplier_name(keys)
    changed = keys[keys != again]
    assert changed.empty, f"normalising twice changed {changed.head().tolist()}"
    assert (keys.str.len() > 0).all(), "no key should be empty"


@pytest.mark.parametrize("label", [
    "Redacted Personal Information", "REDACTED", "Personal Data Withheld", "Individual", "Private Individual",
    "Name withheld", "REDACTED PERSONAL DATA", "Redacted - Personal Data", "Personal Information Redacted",
    "name removed", "*****", "Foster Carer", "Withheld under Data Protection", "Confidential",
    *sorted({label for pair in REDACTION_LABELS.values() for label in pair}),
])
def test_is_redacted_recognises_redaction_labels(label):
    """Labels councils publish instead of an individual's name are recognised."""
    assert is_redacted(label) is True, f"{label!r} should count as redacted"


@pytest.mark.parametrize("name", [
    "Wheels Private Hire", "Healthlinc Individual Care Ltd", "Individual Care Services Ltd", "Manchester Carers Forum",
    "Carers Trust 4All", "Personal Injury Solicitors LLP", "XL Hire", "Acme Services Ltd", "Liddy's Personal Injury Solicitors",
])
def test_is_redacted_leaves_supplier_names_alone(name):
    """Supplier names that merely contain words like 'Individual' or 'Private' are not redacted."""
    assert is_redacted(name) is False, f"{name!r} is a supplier, not a redaction label"


def test_is_redacted_series_returns_booleans_with_index():
    """A Series in gives a boolean Series out with the same index; missing names are not redacted."""
    flags = is_redacted(pd.Series(["REDACTED", "Acme Ltd", None], index=list("abc")))
    assert flags.dtype == bool, f"expected a boolean Series, got {flags.dtype}"
    assert flags.tolist() == [True, False, False], f"unexpected flags {flags.tolist()}"
    assert list(flags.index) == list("abc"), "the index should be kept"


def test_is_redacted_on_real_files_flags_exactly_the_labels(real_spend):
    """In the real files only the redaction labels are flagged (a regression test on fixed files)."""
    flagged = {name: set(df.loc[is_redacted(df["supplier_name"]), "supplier_name"]) for name, df in real_spend.items()}
    assert flagged["calderdale"] == set(), f"Calderdale publishes no redaction label, flagged {flagged['calderdale']}"
    assert flagged["manchester"] == {"Redacted Personal Information"}, f"Manchester: {flagged['manchester']}"
    assert flagged["leeds"] == {"REDACTED PERSONAL DATA", "REDACTED COMMERCIAL CONFIDENTIALITY"}, f"Leeds: {flagged['leeds']}"


def test_functions_accept_an_empty_series():
    """An empty Series gives an empty Series."""
    empty = pd.Series([], dtype="str")
    assert normalise_supplier_name(empty).empty, "normalising an empty Series should give an empty Series"
    assert is_redacted(empty).empty, "flagging an empty Series should give an empty Series"


@pytest.mark.parametrize("function", [normalise_supplier_name, is_redacted])
@pytest.mark.parametrize("bad", [None, 42, 3.5, ["Acme Ltd"], pd.Series(["Acme Ltd", 7]), pd.Series([1.5, np.nan])])
def test_functions_reject_what_is_not_text(function, bad):
    """Anything but text or a Series of text raises a TypeError that names the argument."""
    with pytest.raises(TypeError, match="name must"):
        function(bad)
