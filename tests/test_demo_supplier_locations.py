"""Tests of the supplier locations demo generator (curriculum.demo.supplier_locations)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import curriculum
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, supplier_locations
from curriculum.demo.spend import supplier_book
from curriculum.localism import (
    category_leakage,
    classify_postcodes,
    kept_shares,
    leaking_categories,
    postcode_district,
    values_from_spend,
)
from curriculum.suppliers import normalise_supplier_name


def _rng(council: str) -> np.random.Generator:
    """The random stream write_demo_data gives a council's supplier_locations generator."""
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(council), GENERATORS.index("supplier_locations")])


@pytest.fixture(scope="module")
def files() -> dict[str, pd.DataFrame]:
    """The supplier locations file of every council."""
    return {c: supplier_locations.generate(get_council(c), _rng(c))["supplier_locations.csv"] for c in COUNCIL_NAMES}


@pytest.fixture(scope="module")
def values() -> dict[str, pd.DataFrame]:
    """Every council's committed spend joined to its committed supplier locations."""
    return {c: values_from_spend(curriculum.load("spend", council=c), curriculum.load("supplier_locations", council=c))
            for c in COUNCIL_NAMES}


def test_columns_and_one_row_per_supplier(files):
    """The file has the published columns as text and one row per supplier of the book."""
    for council, frame in files.items():
        assert list(frame.columns) == list(supplier_locations.COLUMNS), f"{council}: {list(frame.columns)}"
        assert supplier_locations.FILES == ("supplier_locations.csv",)
        keys = normalise_supplier_name(frame["Supplier Company Name"])
        book = supplier_book(get_council(council))
        assert keys.is_unique, f"{council}: a supplier is listed twice"
        assert set(keys) == set(book["key"]), f"{council}: the file should list exactly the book's suppliers"
        assert set(frame["SME Supplier?"]) <= {"Yes", "No", ""} and set(frame["VCSE?"]) <= {"Yes", "No", ""}


def test_deterministic_given_the_rng():
    """The same seed gives the same file; another seed gives another."""
    council = get_council("Bridgend")
    first = supplier_locations.generate(council, np.random.default_rng(3))["supplier_locations.csv"]
    again = supplier_locations.generate(council, np.random.default_rng(3))["supplier_locations.csv"]
    other = supplier_locations.generate(council, np.random.default_rng(4))["supplier_locations.csv"]
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other), "a different seed should give different postcodes or flags"


def test_postcodes_are_mostly_usable_with_some_mess(files):
    """Most postcodes parse; some are blank, lower-case or without the space, as in real vendor files."""
    for council, frame in files.items():
        postcodes = frame["Supplier Postcode"]
        usable = postcode_district(postcodes.replace("", None)).notna()
        assert usable.mean() > 0.9, f"{council}: only {usable.mean():.0%} of postcodes parse"
        assert (postcodes == "").any(), f"{council}: a few postcodes should be blank"
        assert (postcodes.str.contains(r"[a-z]") | (postcodes.str.len().between(5, 7) & ~postcodes.str.contains(" "))).any(), (
            f"{council}: some postcodes should be written untidily")


def test_loads_for_every_council():
    """The committed file passes the supplier_locations schema for every council."""
    for council in COUNCIL_NAMES:
        frame = curriculum.load("supplier_locations", council=council)
        assert len(frame) > 100 and frame["sme"].notna().mean() > 0.9, council
        assert frame["vcse"].fillna(False).any(), f"{council}: some suppliers should be VCSEs"


def test_local_share_is_realistic_and_differs(values):
    """Between a fifth and three quarters of the value stays in the council, more in the region, and councils differ."""
    shares = {c: kept_shares(v, c) for c, v in values.items()}
    for council, kept in shares.items():
        assert 0.15 < kept["council"] < kept["region"] < 0.85, f"{council}: {kept}"
        assert kept["region"] <= kept["wales"], council
    spread = max(k["region"] for k in shares.values()) - min(k["region"] for k in shares.values())
    assert spread > 0.15, f"the region's share should differ between councils (spread {spread:.2f})"


def test_border_council_buys_more_from_england(values):
    """Monmouthshire, on the border, sends more of its value to nearby English districts than Cardiff."""
    def bristol_share(council):
        v = values[council]
        near = postcode_district(v["postcode"]).str.match(r"^(BS|GL|HR)\d", na=False)
        return v.loc[near, "value"].sum() / v["value"].sum()
    assert bristol_share("Monmouthshire") > bristol_share("Cardiff"), "border councils buy more over the Severn"


@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_planted_leaks_are_found(council, values):
    """Each planted category sends most of its value out of the region while two or more local suppliers are active."""
    planted = supplier_locations.planted_categories(get_council(council), _rng(council))
    assert len(planted) == 3, f"{council}: three categories should be planted"
    leakage = category_leakage(values[council], council)
    found = leaking_categories(leakage, min_local_suppliers=2, min_share_outside=0.5)
    for category in planted:
        assert category in found.index, f"{council}: planted category {category} not found: {leakage.loc[category].to_dict()}"
        placed = values[council][values[council]["category"] == category]
        local = classify_postcodes(placed["postcode"], council)["in_region"]
        assert placed.loc[local, "supplier_key"].nunique() >= 2, f"{council}: {category} needs suppliers in the region"


@pytest.mark.parametrize("kwargs, error", [
    ({"council": "Cardiff"}, TypeError), ({"rng": 5}, TypeError), ({"scale": 0}, ValueError), ({"scale": -1.0}, ValueError),
])
def test_bad_arguments_are_refused(kwargs, error):
    """Wrong types and non-positive scales are refused with the argument named."""
    arguments = {"council": get_council("Torfaen"), "rng": np.random.default_rng(1), "scale": 1.0, **kwargs}
    with pytest.raises(error, match=next(iter(kwargs))):
        supplier_locations.generate(**arguments)
