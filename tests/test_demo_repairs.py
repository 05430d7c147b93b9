"""Tests of the demo repair reports generator (curriculum.demo.repairs)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import profiles as pf
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import postcodes as pc
from curriculum.demo import repairs as rp
from curriculum.joins import lookup_postcodes

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
STREAM = GENERATORS.index("repairs")
# What each planted postcode problem should look like to lookup_postcodes.
EXPECTED_STATUS = {"": "matched", "missing": "missing", "invalid": "invalid", "typo": "not in directory",
                   "correspondence": "not in directory", "new build": "not in directory",
                   "terminated": "terminated", "boundary": "other council"}


def _rng(name: str, seed: int = DEFAULT_SEED) -> np.random.Generator:
    """The generator write_demo_data gives the repairs generator for a council."""
    return np.random.default_rng([seed, COUNCIL_NAMES.index(name), STREAM])


def _truth(name: str, seed: int = DEFAULT_SEED, scale: float = 1.0) -> pd.DataFrame:
    return rp.generate_with_truth(get_council(name), _rng(name, seed), scale)


def _directory(name: str) -> pd.DataFrame:
    """The council's directory in the curriculum's column names."""
    raw = pc.council_places(get_council(name)).directory
    return raw[["postcode", "lsoa_code", "council_code", "terminated"]]


@pytest.fixture(scope="module")
def region() -> dict[str, pd.DataFrame]:
    """Every council's reports with the truth, as written with the default seed."""
    return {name: _truth(name) for name in COUNCIL_NAMES}


@pytest.fixture(scope="module")
def looked_up(region) -> dict[str, pd.DataFrame]:
    """Every council's reports with their postcode look-up."""
    out = {}
    for name, frame in region.items():
        found = lookup_postcodes(frame["Postcode"].replace("", None), _directory(name), council_code=get_council(name).code)
        out[name] = frame.join(found)
    return out


def test_columns_match_the_mapping():
    """The generator writes the file and columns the demo mapping names, in order."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["housing_repairs"]
    assert rp.FILES == (mapping["file"],), f"FILES should be ({mapping['file']!r},)"
    frame = rp.generate(get_council("Torfaen"), _rng("Torfaen"))[mapping["file"]]
    assert list(frame.columns) == list(mapping["columns"].values()), "columns should be the mapping's, in order"


def test_generator_is_deterministic():
    """The same generator state gives the same file; another state another."""
    pd.testing.assert_frame_equal(_truth("Newport"), _truth("Newport"))
    other = rp.generate_with_truth(get_council("Newport"), np.random.default_rng(6))
    assert not _truth("Newport").equals(other), "another seed should give another file"


def test_reports_cover_one_financial_year(region):
    """Dates fall in 2024-25, almost all on weekdays; damp and mould peak in winter; references are unique."""
    for name, frame in region.items():
        dates = pd.to_datetime(frame["Date Reported"], format="%d/%m/%Y")
        assert dates.between("2024-04-01", "2025-03-31").all(), f"{name}: dates outside 2024-25"
        assert (dates.dt.dayofweek < 5).mean() > 0.9, f"{name}: reports come on working days"
        assert frame["Report Ref"].is_unique and dates.is_monotonic_increasing, f"{name}: in the order reported"
    every = pd.concat(region.values())
    month = pd.to_datetime(every["Date Reported"], format="%d/%m/%Y").dt.month
    damp = every["Repair Category"] == "Damp and mould"
    assert (damp & month.isin([12, 1, 2])).sum() > 1.5 * (damp & month.isin([6, 7, 8])).sum(), "damp peaks in winter"
    assert set(every["Repair Category"]) == set(rp.CATEGORIES)


def test_every_planted_problem_gives_its_status(looked_up):
    """Each planted postcode problem gives the status it should, and every status is present in every council."""
    for name, frame in looked_up.items():
        label = frame["_planted"].str.replace(r"(; )?uprn typo", "", regex=True)
        expected = label.map(EXPECTED_STATUS)
        wrong = frame[expected != frame["status"].astype(str)]
        assert wrong.empty, f"{name}: {wrong[['Postcode', '_planted', 'status']].head().to_dict('records')}"
        present = set(frame["status"].astype(str))
        assert present == set(EXPECTED_STATUS.values()), f"{name}: statuses present {sorted(present)}"
        assert 0.8 < (frame["status"] == "matched").mean() < 0.97, f"{name}: most reports should match"


def test_placed_reports_land_in_their_true_area(looked_up):
    """Matched and terminated postcodes give the home's true LSOA; other-council ones the neighbour's."""
    for name, frame in looked_up.items():
        placed = frame[frame["status"].isin(["matched", "terminated", "other council"])]
        assert (placed["lsoa_code"] == placed["_lsoa"]).all(), f"{name}: a postcode gave the wrong LSOA"


def test_typing_needs_normalising(region):
    """Many postcodes are in lower case or lack the space, so a join on the raw text loses them."""
    every = pd.concat(region.values())
    typed = every["Postcode"]
    assert typed.str.contains(r"[a-z]").mean() > 0.1 and (~typed.str.contains(" ") & typed.ne("")).mean() > 0.1


def _profile(looked_up) -> pd.DataFrame:
    frames = []
    for name, frame in looked_up.items():
        areas = pc.council_places(get_council(name)).areas.copy()
        placed = frame[frame["status"].isin(["matched", "terminated"])]
        areas["reports"] = placed["lsoa_code"].value_counts().reindex(areas["lsoa_code"], fill_value=0).to_numpy()
        areas["lost"] = (frame.loc[~frame["status"].isin(["matched", "terminated", "other council"]), "_lsoa"]
                         .value_counts().reindex(areas["lsoa_code"], fill_value=0).to_numpy())
        areas["quintile"] = pf.deprivation_group(areas["WIMD 2019 overall rank"], 5)
        frames.append(areas)
    return pd.concat(frames, ignore_index=True)


def test_reports_are_concentrated_in_deprived_areas(looked_up):
    """Across the region, report rates fall from the most to the least deprived Wales-wide quintile."""
    rates = pf.rates_by_group(_profile(looked_up), "quintile", "reports", "population")["rate"]
    assert rates.is_monotonic_decreasing, f"rates should fall with deprivation: {rates.round(2).tolist()}"
    assert rates[1] / rates[5] > 2.5, f"the most deprived fifth should have well over twice the rate: {rates.round(2).tolist()}"


def test_lost_reports_lean_to_less_deprived_and_rural_areas(looked_up):
    """The reports the look-up loses come more often from the least deprived and rural areas: the bias to find."""
    profile = _profile(looked_up)
    by_q = profile.groupby("quintile")[["reports", "lost"]].sum()
    lost_share = by_q["lost"] / (by_q["lost"] + by_q["reports"])
    assert lost_share[[4, 5]].mean() > 1.5 * lost_share[1], f"lost shares by quintile: {lost_share.round(3).tolist()}"
    rural = profile.groupby("rural")[["reports", "lost"]].sum()
    share = rural["lost"] / (rural["lost"] + rural["reports"])
    assert share[True] > share[False], f"rural homes should be lost more often: {share.round(3).to_dict()}"


def test_uprns(region):
    """Flats above shops carry the gazetteer's UPRNs (a few with swapped digits); other homes' UPRNs are not in it."""
    for name, frame in region.items():
        gazetteer = set(pc.council_places(get_council(name)).gazetteer["UPRN"].astype("int64"))
        uprn = pd.to_numeric(frame["UPRN"].replace("", None)).astype("Int64")
        in_gazetteer = uprn.isin(gazetteer)
        typo = frame["_planted"].str.contains("uprn typo")
        flats = frame["_flat"] & uprn.notna()
        assert in_gazetteer[flats & ~typo].all(), f"{name}: flats' UPRNs should be the gazetteer's"
        assert typo.sum() >= 2 and not in_gazetteer[typo].any(), f"{name}: mistyped UPRNs must not join"
        assert not in_gazetteer[~frame["_flat"]].any(), f"{name}: homes that are not flats above shops are not in the extract"
        assert 0.02 < uprn.isna().mean() < 0.15, f"{name}: some reports have no UPRN"
        assert uprn.dropna().between(10_000_000_000, 999_999_999_999).all(), f"{name}: UPRNs have 11 or 12 digits"
        repeats = frame[uprn.notna() & uprn.duplicated(keep=False)]
        assert len(repeats) and (repeats.groupby("UPRN")["Property Address"].nunique() == 1).all(), \
            f"{name}: repeat reports about a home share its UPRN and address"


def test_scale_multiplies_the_reports():
    """Scale 2 gives about twice the reports across the region."""
    one = sum(len(_truth(name)) for name in COUNCIL_NAMES)
    two = sum(len(_truth(name, scale=2)) for name in COUNCIL_NAMES)
    assert 1.8 < two / one < 2.2, f"scale 2 should about double the reports: {one:,} then {two:,}"


@pytest.mark.parametrize("council, rng, scale, error, word", [
    ("Torfaen", np.random.default_rng(0), 1.0, ValueError, "council"),
    (None, np.random.default_rng(0), 0, ValueError, "scale"),
    (None, np.random.default_rng(0), float("inf"), ValueError, "scale"),
    (None, np.random.default_rng(0), True, ValueError, "scale"),
    (None, "seed", 1.0, TypeError, "rng"),
])
def test_generate_rejects_bad_arguments(council, rng, scale, error, word):
    """A council that is not a Council, a bad scale or a bad rng raise errors naming the argument."""
    with pytest.raises(error, match=word):
        rp.generate(get_council("Torfaen") if council is None else council, rng, scale)


# ------------------------------------------------------------------ committed files
def test_committed_files_are_the_generators_output(tmp_path):
    """The committed reports are byte for byte what the generator writes with the default seed."""
    assert "repairs" in GENERATORS and GENERATORS.index("repairs") > GENERATORS.index("postcodes")
    written = write_generator_files("repairs", tmp_path, seed=DEFAULT_SEED)
    assert len(written) == len(COUNCIL_NAMES), "one file per council"
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator: regenerate it"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's reports load through the mapping, with blank UPRNs and postcodes kept as missing."""
    reports = curriculum.load("housing_repairs", council=name)
    assert len(reports) > 80 and reports["record_id"].is_unique
    assert reports["uprn"].isna().any() and reports["postcode"].isna().any()
    assert str(reports["uprn"].dtype) == "Int64", "UPRNs with blanks load as nullable whole numbers"
