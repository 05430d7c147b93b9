"""Tests of curriculum.localism: postcodes to places, local, SME and VCSE shares, leaking categories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import curriculum
from curriculum import localism
from curriculum.councils import COUNCIL_NAMES
from curriculum.demo.spend import POSTCODE_AREAS
from curriculum.localism import (
    BANDS,
    category_leakage,
    classify_postcodes,
    flag_share,
    kept_shares,
    leaking_categories,
    location_shares,
    postcode_district,
    postcode_districts,
    values_from_contracts,
    values_from_spend,
)
from curriculum.runner import run_module
from tests.conftest import ROOT

SALFORD = ROOT / "datasets" / "real" / "salford"

#: The CCR postcode districts of each council as the curriculum's common rules list them.
COMMON_RULES = {
    "Cardiff": ("CF3", "CF5", "CF10", "CF11", "CF14", "CF23", "CF24"),
    "Vale of Glamorgan": ("CF61", "CF62", "CF63", "CF64", "CF71"),
    "Rhondda Cynon Taf": ("CF37", "CF38", "CF39", "CF40", "CF41", "CF42", "CF43", "CF44", "CF45", "CF72"),
    "Merthyr Tydfil": ("CF47", "CF48"),
    "Caerphilly": ("CF81", "CF82", "CF83", "NP11", "NP12"),
    "Bridgend": ("CF31", "CF32", "CF33", "CF34", "CF35", "CF36"),
    "Newport": ("NP10", "NP18", "NP19", "NP20"),
    "Torfaen": ("NP4", "NP44"),
    "Blaenau Gwent": ("NP13", "NP22", "NP23"),
    "Monmouthshire": ("NP7", "NP15", "NP16", "NP25", "NP26"),
}


@pytest.fixture()
def toy() -> pd.DataFrame:
    """A small supplier-value table whose shares are easy to work out by hand."""
    return pd.DataFrame({
        "supplier_key": ["A", "B", "C", "D", "E", "F", "B"],
        "supplier_name": ["A Ltd", "B Ltd", "C Ltd", "D Ltd", "E Ltd", "F Ltd", "B Ltd"],
        "postcode": ["CF10 1AB", "np20 4ur", "SA1 1AA", "BS1 2AW", None, "CF101AB", "NP20 4UR"],
        "sme": pd.array([True, False, True, pd.NA, False, True, False], dtype="boolean"),
        "vcse": pd.array([pd.NA] * 7, dtype="boolean"),
        "category": ["Works", "Works", "Works", "Works", "Care", "Care", "Care"],
        "value": [100.0, 200.0, 50.0, 400.0, 150.0, 60.0, 40.0],
    })


# --- postcode_district -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("CF10 1AB", "CF10"), ("cf24 4hq", "CF24"), ("NP443AB", "NP44"), ("  sa1 1aa ", "SA1"), ("M1 5JW", "M1"),
    ("EC2A 4NE", "EC2A"), ("W1A 1AA", "W1A"), ("NP20", "NP20"), ("np4", "NP4"),
])
def test_postcode_district_of_postcodes(text, expected):
    """Full postcodes in any case and spacing, and bare districts, give the district."""
    assert postcode_district(text) == expected, f"{text!r} should give {expected!r}"


@pytest.mark.parametrize("text", ["", "   ", "Various", "TBC", "N/A", "12345", "CF10 1A", None])
def test_postcode_district_of_non_postcodes(text):
    """Text that is not a postcode gives a missing value."""
    assert pd.isna(postcode_district(text)), f"{text!r} is not a postcode"


def test_postcode_district_keeps_the_index():
    """A Series keeps its index and gives missing values where there is no postcode."""
    out = postcode_district(pd.Series(["CF10 1AB", None, "x"], index=[7, 8, 9]))
    assert list(out.index) == [7, 8, 9], "the index should be kept"
    assert out[7] == "CF10" and pd.isna(out[8]) and pd.isna(out[9]), f"got {out.tolist()}"


@pytest.mark.parametrize("bad", [12, 3.5, ["CF10 1AB", 4], pd.Series([1, 2])])
def test_postcode_district_rejects_non_text(bad):
    """Numbers (alone or in a Series) are refused with the argument named."""
    with pytest.raises(TypeError, match="postcode"):
        postcode_district(bad)


# --- the district table and classify_postcodes --------------------------------------------------------

def test_district_table_is_consistent():
    """Districts are unique, regions and nations known, and every CCR council has districts."""
    table = postcode_districts()
    assert table["district"].is_unique, "each district or area is listed once"
    assert set(table["region"]) <= {"Cardiff Capital Region", "Rest of Wales", "Rest of UK"}, set(table["region"])
    assert set(table["nation"]) <= {"Wales", "England"}, set(table["nation"])
    assert set(table["council"].dropna()) == set(COUNCIL_NAMES), "every CCR council (and only they) appear"
    assert (table.loc[table["council"].notna(), "region"] == "Cardiff Capital Region").all(), "councils are in the CCR"
    spans = table[table["note"].fillna("").str.contains("spans")]
    assert len(spans) >= 5, "districts spanning councils should say so in the note"


@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_common_rule_districts_map_to_their_council(council):
    """Every district the common rules give a council maps to it, in the CCR and in Wales."""
    districts = COMMON_RULES[council]
    placed = classify_postcodes(pd.Series([f"{d} 1AB" for d in districts]), council)
    assert (placed["district_council"] == council).all(), placed[["district", "district_council"]]
    assert placed["in_council"].all() and placed["in_region"].all() and placed["in_wales"].all()
    assert (placed["band"] == "Own council").all()


def test_demo_generators_use_districts_of_the_right_council():
    """The spend generator's postcode areas agree with the district table."""
    for council, districts in POSTCODE_AREAS.items():
        placed = classify_postcodes(pd.Series([f"{d} 2XY" for d in districts]), council)
        assert (placed["district_council"] == council).all(), f"{council}: {placed['district'].tolist()}"


def test_classify_bands_and_levels():
    """Bands follow council, region, Wales, UK; unknowns are local at no level."""
    postcodes = pd.Series(["CF10 1AB", "NP44 1AA", "SA1 1AA", "LL11 2BB", "CH5 1AA", "SY23 1AA", "NP8 1AA",
                           "BS1 2AW", "CH1 1AA", "SY1 1AA", "Various", None, "CF99 1SN"])
    placed = classify_postcodes(postcodes, "Cardiff")
    assert placed["band"].tolist() == ["Own council", "Rest of the CCR", "Rest of Wales", "Rest of Wales", "Rest of Wales",
                                       "Rest of Wales", "Rest of Wales", "Rest of UK", "Rest of UK", "Rest of UK",
                                       "Unknown", "Unknown", "Own council"], placed["band"].tolist()
    unknown = placed["band"] == "Unknown"
    assert not placed.loc[unknown, ["in_council", "in_region", "in_wales"]].any().any(), "unknowns are never local"
    assert (placed["in_council"] <= placed["in_region"]).all() and (placed["in_region"] <= placed["in_wales"]).all(), (
        "the levels are nested")


def test_classify_for_a_council_outside_the_region():
    """For Salford nothing is in the council, and CCR postcodes are still in the CCR."""
    placed = classify_postcodes(pd.Series(["M5 4WT", "CF10 1AB"]), "Salford")
    assert not placed["in_council"].any(), "no district belongs to Salford"
    assert placed["band"].tolist() == ["Rest of UK", "Rest of the CCR"]


@pytest.mark.parametrize("council", ["", "  ", 5])
def test_classify_rejects_a_bad_council(council):
    """A blank or non-text council is refused with the argument named."""
    with pytest.raises(ValueError, match="council"):
        classify_postcodes(pd.Series(["CF10 1AB"]), council)


def test_classify_rejects_a_non_series():
    """A list is refused: the function keeps a Series's index."""
    with pytest.raises(TypeError, match="postcodes"):
        classify_postcodes(["CF10 1AB"], "Cardiff")


# --- shares ---------------------------------------------------------------------------------------------

def test_location_shares_by_hand(toy):
    """Band values and shares equal the hand computation (total 1,000)."""
    bands = location_shares(toy, "Cardiff")
    assert list(bands.index) == list(BANDS), "all five bands, nearest first"
    expected = {"Own council": 160.0, "Rest of the CCR": 240.0, "Rest of Wales": 50.0, "Rest of UK": 400.0, "Unknown": 150.0}
    assert np.allclose(bands["value"], [expected[b] for b in BANDS]), bands["value"].tolist()
    assert np.isclose(bands["share"].sum(), 1.0), "shares add up to 1"
    assert bands.loc["Rest of the CCR", "suppliers"] == 1, "supplier B counts once although it has two rows"


def test_kept_shares_by_hand(toy):
    """Nested shares of the total, unknowns counted as not local."""
    kept = kept_shares(toy, "Cardiff")
    assert np.isclose(kept["council"], 0.16) and np.isclose(kept["region"], 0.40), kept
    assert np.isclose(kept["wales"], 0.45) and np.isclose(kept["unknown"], 0.15), kept


def test_kept_shares_agree_with_location_shares():
    """kept_shares is the cumulative sum of location_shares' bands on demo data (two routes, one answer)."""
    spend = curriculum.load("spend", council="Newport")
    values = values_from_spend(spend, curriculum.load("supplier_locations", council="Newport"))
    kept, bands = kept_shares(values, "Newport"), location_shares(values, "Newport")["share"]
    assert np.isclose(kept["council"], bands["Own council"])
    assert np.isclose(kept["region"], bands["Own council"] + bands["Rest of the CCR"])
    assert np.isclose(kept["wales"], bands[["Own council", "Rest of the CCR", "Rest of Wales"]].sum())


def test_empty_table_gives_zero_shares(toy):
    """An empty table has zero shares and five empty bands, not an error."""
    empty = toy.iloc[0:0]
    assert kept_shares(empty, "Cardiff") == {"council": 0.0, "region": 0.0, "wales": 0.0, "unknown": 0.0}
    assert (location_shares(empty, "Cardiff")["value"] == 0).all()


def test_flag_share_by_hand(toy):
    """The SME share leaves unknown flags out; a flag known nowhere gives NaN."""
    # sme known on A, B, C, E, F, B: value 600; True on A, C, F: 210
    assert np.isclose(flag_share(toy, "sme"), 210 / 600)
    assert np.isnan(flag_share(toy, "vcse")), "no VCSE flag is known"


@pytest.mark.parametrize("flag", ["charity", 3])
def test_flag_share_rejects_a_bad_flag(toy, flag):
    """A flag that is not a column is refused, naming it."""
    with pytest.raises(ValueError):
        flag_share(toy, flag)


# --- leakage --------------------------------------------------------------------------------------------

def test_category_leakage_by_hand(toy):
    """Value outside and local suppliers per category, at region and council level."""
    table = category_leakage(toy, "Cardiff", level="region")
    assert np.isclose(table.loc["Works", "value_outside"], 450.0) and table.loc["Works", "local_suppliers"] == 2
    assert np.isclose(table.loc["Care", "value_outside"], 150.0) and table.loc["Care", "local_suppliers"] == 2
    assert np.isclose(table.loc["Works", "largest_outside"], 400.0)
    assert list(table.index) == ["Works", "Care"], "largest value outside first"
    council_level = category_leakage(toy, "Cardiff", level="council")
    assert np.isclose(council_level.loc["Care", "value_outside"], 190.0) and council_level.loc["Care", "local_suppliers"] == 1


def test_category_leakage_against_a_loop():
    """On demo data the table equals a plain loop over the categories (an independent computation)."""
    spend = curriculum.load("spend", council="Torfaen")
    values = values_from_spend(spend, curriculum.load("supplier_locations", council="Torfaen"))
    table = category_leakage(values, "Torfaen")
    placed = values.join(classify_postcodes(values["postcode"], "Torfaen"))
    for category, rows in placed.groupby("category"):
        outside = sum(v for v, local in zip(rows["value"], rows["in_region"]) if not local)
        local = len({k for k, here in zip(rows["supplier_key"], rows["in_region"]) if here})
        assert np.isclose(table.loc[category, "value_outside"], outside), category
        assert table.loc[category, "local_suppliers"] == local, category
    assert np.isclose(table["value"].sum(), values["value"].sum()), "every value lands in a category"


def test_leaking_categories_thresholds(toy):
    """Thresholds on the share outside and the local suppliers decide what leaks."""
    table = category_leakage(toy, "Cardiff")
    assert list(leaking_categories(table, 2, 0.5).index) == ["Works", "Care"]
    assert leaking_categories(table, 2, 0.61).empty, "both categories send exactly 60% outside (450/750, 150/250)"
    assert leaking_categories(table, 3, 0.5).empty, "no category has three local suppliers"


@pytest.mark.parametrize("kwargs", [{"min_local_suppliers": 0}, {"min_local_suppliers": 1.5},
                                    {"min_share_outside": 1.5}, {"min_share_outside": -0.1}])
def test_leaking_categories_rejects_bad_thresholds(toy, kwargs):
    """Out-of-range thresholds are refused with the argument named."""
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        leaking_categories(category_leakage(toy, "Cardiff"), **kwargs)


@pytest.mark.parametrize("level", ["county", "", None])
def test_category_leakage_rejects_a_bad_level(toy, level):
    """Only council, region and wales are levels."""
    with pytest.raises(ValueError, match="level"):
        category_leakage(toy, "Cardiff", level=level)


# --- building the table ---------------------------------------------------------------------------------

def test_values_from_spend_joins_by_normalised_name():
    """Variants of a name join to one location row; redacted lines and net credits are left out."""
    spend = pd.DataFrame({
        "supplier_name": ["ACME SERVICES LTD", "Acme Services Limited", "Redacted Personal Information", "Bravo Ltd", "Bravo Ltd"],
        "amount": [100.0, 50.0, 999.0, 80.0, -90.0],
        "category": ["Works", "Works", "Care", "Works", "Works"],
    })
    locations = pd.DataFrame({"supplier_name": ["The Acme Services Co.", "Bravo Limited"],
                              "postcode": ["CF10 1AB", "BS1 2AW"], "sme": pd.array([True, False], dtype="boolean")})
    values = values_from_spend(spend, locations)
    assert list(values.columns) == list(localism.VALUE_COLUMNS)
    assert values["supplier_key"].tolist() == ["ACME SERVICES"], "Bravo's net credit and the redacted line are left out"
    assert values.loc[0, "value"] == 150.0 and values.loc[0, "postcode"] == "CF10 1AB"
    assert pd.isna(values.loc[0, "vcse"]), "no VCSE column: the flag is unknown"


def test_values_from_spend_total_matches_positive_named_groups():
    """On demo data the table's total is the net spend of named suppliers' positive supplier-category groups."""
    spend = curriculum.load("spend", council="Merthyr Tydfil")
    values = values_from_spend(spend, curriculum.load("supplier_locations", council="Merthyr Tydfil"))
    named = spend[~curriculum.suppliers.is_redacted(spend["supplier_name"])]
    groups = named.groupby([curriculum.suppliers.normalise_supplier_name(named["supplier_name"]), named["category"]])["amount"].sum()
    assert np.isclose(values["value"].sum(), groups[groups > 0].sum()), "values should hold every positive group"
    assert len(values) == (groups > 0).sum()
    assert values["postcode"].notna().mean() > 0.9, "most demo suppliers have a postcode"


def test_values_from_contracts_uses_annual_then_total_value():
    """A contract counts at its annual value, or its total value where the annual one is missing."""
    contracts = pd.DataFrame({"supplier_name": ["Acme Ltd", "ACME LIMITED", "Bravo Ltd"],
                              "supplier_postcode": [None, "M5 4WT", "CF10 1AB"],
                              "annual_value": [10.0, np.nan, 5.0], "total_value": [30.0, 40.0, 5.0],
                              "sme": pd.array([pd.NA, True, False], dtype="boolean"), "category": ["Works", "Works", None]})
    values = values_from_contracts(contracts).set_index("supplier_key")
    assert values.loc["ACME", "value"] == 50.0 and values.loc["ACME", "postcode"] == "M5 4WT", values
    assert bool(values.loc["ACME", "sme"]) is True, "the first known SME flag is used"
    assert values.loc["BRAVO", "category"] == "Not stated"


@pytest.mark.parametrize("builder, frame, column", [
    (values_from_contracts, pd.DataFrame({"supplier_name": ["A"], "total_value": [1.0]}), "supplier_postcode"),
    (lambda f: values_from_spend(f, pd.DataFrame({"supplier_name": [], "postcode": [], "sme": []})),
     pd.DataFrame({"supplier_name": ["A"], "amount": [1.0]}), "category"),
])
def test_builders_name_a_missing_column(builder, frame, column):
    """A missing column is named in the error."""
    with pytest.raises(ValueError, match=column):
        builder(frame)


def test_dataset_kinds():
    """The demo folder maps spend and supplier locations; Salford's maps only contracts."""
    assert {"spend", "supplier_locations", "contracts"} <= localism.dataset_kinds("Cardiff")
    assert localism.dataset_kinds("Salford", SALFORD) == {"contracts"}


# --- real data ------------------------------------------------------------------------------------------

def test_salford_contracts_register():
    """Salford (England) has nothing in its 'own council' band and no VCSE flag, yet every share is defined."""
    contracts = curriculum.load("contracts", council="Salford", data_dir=SALFORD)
    values = values_from_contracts(contracts)
    kept = kept_shares(values, "Salford")
    assert kept["council"] == 0.0 and kept["region"] < 0.01, kept
    assert np.isnan(flag_share(values, "vcse")) and 0 < flag_share(values, "sme") < 1
    assert leaking_categories(category_leakage(values, "Salford")).empty, "no category has two CCR suppliers"


def test_module_runs_on_salfords_contracts_register(tmp_path):
    """The notebook runs unchanged on Salford's real contracts register through the runner."""
    result = run_module("local_welsh_sme_share", "Salford", data_dir=SALFORD, out_dir=tmp_path)
    assert result.ok, result.error
