"""Address helpers: postcodes, normalised addresses, places and blocked fuzzy matching."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from rapidfuzz import fuzz

from curriculum.addresses import (
    extract_postcode,
    find_place,
    match_addresses,
    normalise_address,
    normalise_postcode,
    postcode_district,
)


@pytest.mark.parametrize("raw, expected", [
    ("CF37 1AB", "CF37 1AB"), ("cf371ab", "CF37 1AB"), (" CF37  1AB ", "CF37 1AB"), ("np7 5ab", "NP7 5AB"),
    ("CF3 7AB", "CF3 7AB"), ("cf37ab", "CF3 7AB"), ("EC1A 1BB", "EC1A 1BB"), ("NP44 1AA", "NP44 1AA"),
    ("Pontypridd", None), ("CF37", None), ("", None), ("n/k", None), (None, None), (float("nan"), None),
])
def test_normalise_postcode(raw, expected):
    """Postcodes in any case and spacing come out as 'CF37 1AB'; anything else as None."""
    assert normalise_postcode(raw) == expected, f"{raw!r} should normalise to {expected!r}"


@pytest.mark.parametrize("text, expected", [
    ("23 High St, Pontypridd CF37 1AB", "CF37 1AB"),
    ("23 HIGH ST PONTYPRIDD cf371ab", "CF37 1AB"),
    ("Unit 4, Heol y Nant, Newport NP20  4AB, Wales", "NP20 4AB"),
    ("12 Stryd Fawr, Abergavenny, np7 5ab", "NP7 5AB"),
    ("Flat 2, 23 High Street, Pontypridd", None),
    ("PREM/22/0123 CF37", None),
    (None, None),
])
def test_extract_postcode(text, expected):
    """The first postcode inside free text is found and normalised; text without one gives None."""
    assert extract_postcode(text) == expected, f"{text!r} should give {expected!r}"


def test_postcode_functions_keep_series_shape():
    """A Series in gives a Series out with the same index, missing values as None."""
    s = pd.Series(["a cf10 1aa", None, "nothing", "NP4 6AB"], index=[5, 6, 7, 8], name="where")
    found = extract_postcode(s)
    assert found.index.equals(s.index) and found.name == "where", "index and name are kept"
    assert found.tolist() == ["CF10 1AA", None, None, "NP4 6AB"]
    assert normalise_postcode(s).tolist() == [None, None, None, "NP4 6AB"], "only whole postcodes normalise"
    assert postcode_district(pd.Series(["cf37 1ab", "x"])).tolist() == ["CF37", None]
    assert extract_postcode(pd.Series([], dtype=object)).empty, "an empty Series gives an empty Series"


@pytest.mark.parametrize("raw, expected", [
    ("23 High St., Pontypridd", "23 HIGH STREET PONTYPRIDD"),
    ("23, HIGH STREET,, PONTYPRIDD", "23 HIGH STREET PONTYPRIDD"),
    ("12 St Mary St, Cardiff", "12 SAINT MARY STREET CARDIFF"),
    ("St Fagans Rd", "SAINT FAGANS ROAD"),
    ("Flt 1, 23 High St", "FLAT 1 23 HIGH STREET"),
    ("FLAT2 23 HIGH STREET", "FLAT 2 23 HIGH STREET"),
    ("Apt 3 Bute Terr", "FLAT 3 BUTE TERRACE"),
    ("U4 Parc Tŷ Glas Ind. Est.", "UNIT 4 PARC TY GLAS INDUSTRIAL ESTATE"),
    ("Unit4, Dyffryn Business Pk", "UNIT 4 DYFFRYN BUSINESS PARK"),
    ("No. 12 - 14 Lôn y Parc", "12-14 LON Y PARC"),
    ("St. Mary's Ave & Castle Sq", "SAINT MARYS AVENUE AND CASTLE SQUARE"),
    ("23 High St, Pontypridd CF37 1AB", "23 HIGH STREET PONTYPRIDD"),
    ("O/S 5 Heol-y-Nant", "O S 5 HEOL Y NANT"),
    ("  ", None),
    (None, None),
])
def test_normalise_address(raw, expected):
    """Case, punctuation, accents, abbreviations, flat and unit forms and postcodes are standardised."""
    assert normalise_address(raw) == expected, f"{raw!r} should normalise to {expected!r}"


def test_normalise_address_can_keep_the_postcode():
    """keep_postcode=True leaves the postcode in the text."""
    assert normalise_address("23 High St CF37 1AB", keep_postcode=True) == "23 HIGH STREET CF37 1AB"


def test_normalise_address_is_idempotent():
    """Normalising twice changes nothing (so either side of a join can be normalised again safely)."""
    texts = pd.Series(["Flt 1, 23 High St., Pontypridd", "12 St Mary St", "U4 Parc Tŷ Glas Ind. Est.", "No. 7 Heol Fawr"])
    once = normalise_address(texts)
    assert normalise_address(once).tolist() == once.tolist()


def test_variants_of_one_address_become_identical():
    """The ways agencies type one premises normalise to the same text (regression for the demo's variants)."""
    variants = ["Flat 1, 23 High Street, Pontypridd", "FLT 1 23 HIGH ST PONTYPRIDD", "flat1, 23 high st., pontypridd",
                "Flat 1 23 High St,, Pontypridd CF37 1AB"]
    assert len(set(normalise_address(pd.Series(variants)))) == 1, normalise_address(pd.Series(variants)).tolist()


@pytest.mark.parametrize("func, bad", [
    (normalise_address, 123), (normalise_postcode, 12), (extract_postcode, ["CF37 1AB"]), (postcode_district, 3.5),
])
def test_text_functions_reject_non_text(func, bad):
    """A number or list where text is expected raises TypeError naming the argument."""
    with pytest.raises(TypeError, match="must be text"):
        func(bad)


def test_keep_postcode_must_be_bool():
    """keep_postcode takes True or False only."""
    with pytest.raises(TypeError, match="keep_postcode"):
        normalise_address("23 High St", keep_postcode="yes")


def test_find_place_takes_the_last_town():
    """The last town named wins, multi-word towns are found, accents and case are ignored."""
    text = pd.Series(["12 CARDIFF ROAD BARRY", "5 HIGH STREET MERTHYR TYDFIL", "NOWHERE IN PARTICULAR", None])
    assert find_place(text, ["Barry", "Cardiff", "Merthyr Tydfil", "Penarth"]).tolist() == [
        "BARRY", "MERTHYR TYDFIL", None, None]
    assert find_place("1 HEOL FAWR YSTRAD MYNACH", ["ystrad mynach"]) == "YSTRAD MYNACH"


@pytest.mark.parametrize("places, error", [("Barry", TypeError), ([], ValueError), ([None, ""], ValueError)])
def test_find_place_rejects_bad_places(places, error):
    """places must be a list holding at least one name."""
    with pytest.raises(error, match="places"):
        find_place("12 HIGH STREET BARRY", places)


@pytest.fixture
def gazetteer():
    """A small gazetteer: two postcodes, neighbouring numbers and a flat above a shop."""
    return pd.DataFrame({
        "addr": ["23 HIGH STREET PONTYPRIDD", "25 HIGH STREET PONTYPRIDD", "FLAT 1 23 HIGH STREET PONTYPRIDD",
                 "4 TAFF STREET PONTYPRIDD"],
        "pc": ["CF37 1AA", "CF37 1AA", "CF37 1AA", "CF37 4BB"],
    }, index=pd.Index([100100000001, 100100000002, 100100000003, 100100000004], name="uprn"))


def test_match_addresses_within_blocks(gazetteer):
    """Each address gets its best candidate from its own block; an empty or missing block gives no match."""
    records = pd.DataFrame({"addr": ["23 HIGH STRET PONTYPRIDD", "4 TAFF STREET PONTYPRIDD", "4 TAFF STREET PONTYPRIDD",
                                     "1 NEW ROAD PONTYPRIDD"],
                            "pc": ["CF37 1AA", "CF37 1AA", "CF37 4BB", None]}, index=[10, 11, 12, 13])
    out = match_addresses(records["addr"], gazetteer["addr"], blocks=records["pc"], candidate_blocks=gazetteer["pc"],
                          threshold=90)
    assert out.index.equals(records.index) and list(out.columns) == ["best", "score", "match"]
    assert out.loc[10, "best"] == 100100000001 and out.loc[10, "match"] == 100100000001, "the typo matches number 23"
    assert out.loc[11, "score"] < 90 and pd.isna(out.loc[11, "match"]), "Taff Street is not in the High Street block"
    assert out.loc[12, "score"] == 100 and out.loc[12, "match"] == 100100000004
    assert pd.isna(out.loc[13, "best"]) and out.loc[13, "score"] == 0, "no block, no candidate"
    assert str(out["best"].dtype) == "Int64", "integer UPRNs stay integers, with missing values allowed"


def test_match_addresses_agrees_with_rapidfuzz(gazetteer):
    """Without blocks the scores equal rapidfuzz's own best score for each address."""
    queries = pd.Series(["FLAT 1 23 HIGH STREET PONTYPRIDD", "25 HIGH ST PONTYPRIDD", "FOUR TAFF STREET"])
    out = match_addresses(queries, gazetteer["addr"], scorer=fuzz.ratio)
    for q, score in zip(queries, out["score"]):
        assert score == pytest.approx(max(fuzz.ratio(q, c) for c in gazetteer["addr"])), q
    assert out["match"].equals(out["best"]), "threshold 0 accepts every best candidate"


def test_match_addresses_scales():
    """Ten thousand records against two thousand candidates in twenty blocks take well under a few seconds."""
    import time

    rng = np.random.default_rng(1)
    cands = pd.Series([f"{n} STREET {n % 20}" for n in range(2000)], index=np.arange(2000) + 10**11)
    blocks = pd.Series(np.arange(2000) % 20, index=cands.index)
    picks = rng.integers(0, 2000, 10_000)
    queries = pd.Series(cands.to_numpy()[picks])
    start = time.perf_counter()
    out = match_addresses(queries, cands, blocks=pd.Series(picks % 20), candidate_blocks=blocks)
    assert time.perf_counter() - start < 5, "matching should take seconds, not minutes"
    assert (out["best"].to_numpy() == cands.index[picks]).all(), "exact copies find themselves"


@pytest.mark.parametrize("kwargs, error, words", [
    ({"threshold": -1}, ValueError, "threshold"),
    ({"threshold": 101}, ValueError, "threshold"),
    ({"threshold": "85"}, ValueError, "threshold"),
    ({"blocks": pd.Series(["A"])}, ValueError, "candidate_blocks"),
    ({"blocks": pd.Series(["A"], index=[9]), "candidate_blocks": pd.Series(["A"])}, ValueError, "same index"),
    ({"blocks": ["A"], "candidate_blocks": pd.Series(["A"])}, TypeError, "blocks"),
    ({"scorer": "token_sort_ratio"}, TypeError, "scorer"),
])
def test_match_addresses_rejects_bad_arguments(kwargs, error, words):
    """Bad thresholds, unpaired or misaligned blocks and non-callable scorers raise errors naming the argument."""
    with pytest.raises(error, match=words):
        match_addresses(pd.Series(["1 HIGH STREET"]), pd.Series(["1 HIGH STREET"]), **kwargs)


@pytest.mark.parametrize("addresses, candidates", [(["1 HIGH STREET"], pd.Series(["x"])), (pd.Series(["x"]), "x")])
def test_match_addresses_needs_series(addresses, candidates):
    """Addresses and candidates must be Series (the candidates' index carries the identifiers)."""
    with pytest.raises(TypeError, match="Series"):
        match_addresses(addresses, candidates)

