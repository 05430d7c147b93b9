"""The premises demo generator: published layouts, determinism, volumes and the planted structure."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from curriculum import load
from curriculum.addresses import extract_postcode, find_place, match_addresses, normalise_address, normalise_postcode
from curriculum.councils import COUNCIL_NAMES, Council, get_council
from curriculum.datasets import demo_dir
from curriculum.demo import DEFAULT_SEED, GENERATORS, premises, write_generator_files
from curriculum.mapping import read_mapping

# Postcode districts of each council, as the project's rules give them (independent of the generator's table).
DISTRICTS = {
    "Cardiff": {"CF3", "CF5", "CF10", "CF11", "CF14", "CF23", "CF24"},
    "Vale of Glamorgan": {"CF61", "CF62", "CF63", "CF64", "CF71"},
    "Rhondda Cynon Taf": {f"CF{n}" for n in range(37, 46)} | {"CF72"},
    "Merthyr Tydfil": {"CF47", "CF48"},
    "Caerphilly": {"CF81", "CF82", "CF83", "NP11", "NP12"},
    "Bridgend": {f"CF{n}" for n in range(31, 36)},
    "Newport": {"NP10", "NP18", "NP19", "NP20"},
    "Torfaen": {"NP4", "NP44"},
    "Blaenau Gwent": {"NP13", "NP22", "NP23"},
    "Monmouthshire": {"NP7", "NP15", "NP16", "NP25", "NP26"},
}
AGENCY_FILES = premises.FILES[:5]
SOURCES = {s.file: s for s in read_mapping(demo_dir("Cardiff").parent / "mapping.yaml").dataset("agency_records").sources}


def _seed(name: str) -> np.random.Generator:
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(name), GENERATORS.index("premises")])


@pytest.fixture(scope="module")
def generated():
    """Every council's frames with the truth attached, from the seed the committed files use."""
    return {name: premises.generate_with_truth(get_council(name), _seed(name), 1.0) for name in COUNCIL_NAMES}


def _records(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The agency frames stacked as load() would: address lines joined, postcode column where one exists."""
    parts = []
    for file in AGENCY_FILES:
        spec, frame = SOURCES[file], frames[file]
        cols = spec.columns["address"]
        cols = [cols] if isinstance(cols, str) else cols
        address = frame[cols].apply(lambda r: ", ".join(v for v in r if v), axis=1)
        postcode = frame[spec.columns["postcode"]].replace("", None) if "postcode" in spec.columns else None
        parts.append(pd.DataFrame({"agency": spec.constants["agency"], "address": address, "postcode": postcode,
                                   "truth": frame["_uprn"]}))
    return pd.concat(parts, ignore_index=True)


def test_files_have_the_published_columns(generated):
    """Each file has exactly the columns mapping.yaml names for it, in the file names FILES lists."""
    frames = generated["Cardiff"]
    assert set(frames) == set(premises.FILES), "one frame per file name"
    for file in AGENCY_FILES:
        wanted = {c for v in SOURCES[file].columns.values() for c in ([v] if isinstance(v, str) else v)}
        have = set(frames[file].columns) - {"_uprn"}
        assert have == wanted, f"{file}: columns {sorted(have)} should be {sorted(wanted)}"
    gaz = read_mapping(demo_dir("Cardiff").parent / "mapping.yaml").dataset("gazetteer").sources[0]
    assert set(frames["gazetteer.csv"].columns) == set(gaz.columns.values())


def test_generate_drops_the_truth():
    """generate() returns the same frames as generate_with_truth() without the _uprn column."""
    council = get_council("Torfaen")
    plain = premises.generate(council, np.random.default_rng(5), 0.5)
    truth = premises.generate_with_truth(council, np.random.default_rng(5), 0.5)
    for file in premises.FILES:
        assert "_uprn" not in plain[file].columns
        pd.testing.assert_frame_equal(plain[file], truth[file].drop(columns="_uprn", errors="ignore"))


def test_deterministic_and_seed_dependent():
    """The same seed gives identical frames; another seed gives other data."""
    council = get_council("Merthyr Tydfil")
    a = premises.generate(council, np.random.default_rng(7), 1.0)
    b = premises.generate(council, np.random.default_rng(7), 1.0)
    c = premises.generate(council, np.random.default_rng(8), 1.0)
    for file in premises.FILES:
        pd.testing.assert_frame_equal(a[file], b[file])
    assert not a["gazetteer.csv"].equals(c["gazetteer.csv"]), "a different seed should change the data"


def test_volume_follows_population_and_scale():
    """About four commercial premises per 1,000 residents, times scale; records grow with them."""
    for name, expected in (("Cardiff", 1450), ("Merthyr Tydfil", 235)):
        frames = premises.generate(get_council(name), np.random.default_rng(1), 1.0)
        assert abs(len(frames["gazetteer.csv"]) - expected) <= 2, f"{name}: {len(frames['gazetteer.csv'])} premises"
    small = premises.generate(get_council("Newport"), np.random.default_rng(1), 1.0)
    big = premises.generate(get_council("Newport"), np.random.default_rng(1), 3.0)
    ratio = len(big["gazetteer.csv"]) / len(small["gazetteer.csv"])
    records = sum(len(big[f]) for f in AGENCY_FILES) / sum(len(small[f]) for f in AGENCY_FILES)
    assert 2.9 < ratio < 3.1 and 2.5 < records < 3.5, f"scale 3 gave {ratio:.2f}x premises and {records:.2f}x records"


def test_uprns_unique_and_disjoint_across_councils(generated):
    """UPRNs are 11-12 digit integers, unique within a council and never shared between councils."""
    seen: Counter = Counter()
    for name, frames in generated.items():
        uprn = frames["gazetteer.csv"]["UPRN"]
        assert uprn.str.fullmatch(r"\d{11,12}").all(), f"{name}: UPRNs look like 100100012345"
        assert uprn.is_unique, f"{name}: UPRNs repeat"
        seen.update(uprn)
    assert max(seen.values()) == 1, "a UPRN appears in two councils"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_postcodes_and_lsoas_belong_to_the_council(generated, name):
    """Gazetteer postcodes sit in the council's districts; LSOA codes look like W01001234."""
    gaz = generated[name]["gazetteer.csv"]
    districts = set(gaz["Postcode"].str.split(" ").str[0])
    assert districts <= DISTRICTS[name], f"{name}: districts {sorted(districts - DISTRICTS[name])} belong elsewhere"
    assert gaz["Postcode"].map(normalise_postcode).eq(gaz["Postcode"]).all(), "gazetteer postcodes are clean"
    assert gaz["LSOA Code"].str.fullmatch(r"W01\d{6}").all()


def test_agency_values_are_realistic(generated):
    """Dates fall in 2022-2025 in each file's format; issues come from each agency's own vocabulary."""
    frames = generated["Caerphilly"]
    for file in AGENCY_FILES:
        spec = SOURCES[file]
        dates = pd.to_datetime(frames[file][spec.columns["record_date"]], format=spec.date_format)
        assert dates.between("2022-01-01", "2025-12-31 23:59").all(), f"{file}: dates outside 2022-2025"
    assert set(frames["food_hygiene.csv"]["RatingValue"]) <= {"0", "1", "2"}, "the extract holds ratings 0-2 only"
    assert {"Enforcement notice", "Prohibition notice"} <= set(frames["fire_safety.csv"]["Outcome"])
    assert frames["police_incidents.csv"]["Incident Number"].str.startswith("GP-").all(), "Caerphilly is Gwent Police's"
    assert premises.generate(get_council("Bridgend"), np.random.default_rng(1), 0.3)[
        "police_incidents.csv"]["Incident Number"].str.startswith("SWP-").all(), "Bridgend is South Wales Police's"


def test_postcodes_are_messy_where_agencies_are(generated):
    """Trading standards types most postcodes inside the address; others sometimes leave the postcode out."""
    frames = generated["Cardiff"]
    inside = extract_postcode(frames["trading_standards.csv"]["Trader Address"]).notna().mean()
    assert 0.7 < inside < 0.95, f"{inside:.0%} of trading standards addresses hold a postcode"
    missing = frames["licensing.csv"]["Postcode"].eq("").mean()
    assert 0.03 < missing < 0.25, f"{missing:.0%} of licensing records lack a postcode"
    raw = frames["licensing.csv"]["Postcode"]
    assert (raw.ne("") & raw.map(normalise_postcode).ne(raw)).any(), "some postcodes are typed untidily"


@pytest.mark.parametrize("name", ["Cardiff", "Merthyr Tydfil", "Monmouthshire"])
def test_planted_structure(generated, name):
    """A few premises known to 3-5 agencies with repeated records, a long tail known to one, and strays."""
    frames = generated[name]
    records = _records(frames)
    n_premises = len(frames["gazetteer.csv"])
    known = records.dropna(subset=["truth"]).groupby("truth")["agency"].agg(["nunique", "size"])
    hot = known[known["nunique"] >= 3]
    assert len(hot) >= 3 and 0.015 <= len(hot) / n_premises <= 0.04, f"{len(hot)} of {n_premises} known to 3+"
    assert (hot["size"] > hot["nunique"]).mean() > 0.8, "premises known to many agencies have repeated records"
    assert (known["nunique"] == 1).sum() > 2 * (known["nunique"] >= 2).sum(), "the long tail is known to one agency"
    strays = records["truth"].isna().mean()
    assert 0.03 < strays < 0.10, f"{strays:.0%} of records point at no gazetteer premises"


def test_near_duplicates_exist(generated):
    """Neighbouring numbers share a postcode, and flats above shops share the shop's number."""
    gaz = generated["Cardiff"]["gazetteer.csv"]
    assert gaz.groupby("Postcode").size().max() >= 4, "several premises share a postcode"
    flats = gaz[gaz["Address"].str.startswith("Flat ")]
    assert len(flats) > 0.05 * len(gaz)
    shops = set(gaz["Address"])
    assert all(a.split(", ", 1)[1] in shops for a in flats["Address"]), "each flat sits above a listed premises"


@pytest.mark.parametrize("name", ["Cardiff", "Merthyr Tydfil", "Rhondda Cynon Taf"])
def test_premises_of_concern_method_recovers_the_truth(generated, name):
    """The notebook's method (normalise, block on postcode else town, token_sort_ratio >= 85) is right for
    nearly every record, and the threshold matters: below it lie strays and wrong neighbours."""
    frames = generated[name]
    gaz = frames["gazetteer.csv"]
    listed = pd.DataFrame({"addr": normalise_address(gaz["Address"]).to_numpy(),
                           "pc": normalise_postcode(gaz["Postcode"]).to_numpy()}, index=gaz["UPRN"].astype("int64"))
    towns = gaz["Address"].str.rsplit(",", n=1).str[-1].str.strip().unique()
    listed["town"] = find_place(listed["addr"], towns)
    rec = _records(frames)
    rec["pc"] = normalise_postcode(rec["postcode"]).fillna(extract_postcode(rec["address"]))
    rec["addr"] = normalise_address(rec["address"])
    rec["town"] = find_place(rec["addr"], towns)
    has = rec["pc"].notna()
    best = pd.concat([
        match_addresses(rec.loc[has, "addr"], listed["addr"], blocks=rec.loc[has, "pc"], candidate_blocks=listed["pc"]),
        match_addresses(rec.loc[~has, "addr"], listed["addr"], blocks=rec.loc[~has, "town"], candidate_blocks=listed["town"]),
    ]).loc[rec.index]
    accepted = best["score"] >= 85
    right = accepted & (best["best"] == rec["truth"]).fillna(False).astype(bool)
    matchable = rec["truth"].notna()
    assert right.sum() >= 0.95 * matchable.sum(), f"only {right.sum()} of {matchable.sum()} records matched right"
    assert (accepted & ~right).sum() <= 0.01 * len(rec), "few records are accepted for the wrong premises"
    low = best["score"].between(60, 85, inclusive="left")
    assert low.any(), "some records sit below the threshold, so choosing it matters"


def test_committed_demo_files_are_current(tmp_path):
    """The files in the package's demo folders are byte for byte what the generator writes now."""
    written = write_generator_files("premises", tmp_path)
    assert len(written) == 10 * len(premises.FILES)
    for path in written:
        committed = demo_dir(path.parent.name) / path.name
        assert committed.is_file(), f"{committed} is missing: run write_generator_files('premises', 'datasets/demo')"
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is stale: regenerate the demo files"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's agency records and gazetteer load and pass their schemas, all five agencies present."""
    records = load("agency_records", council=name)
    gazetteer = load("gazetteer", council=name)
    assert set(records["agency"]) == {"Food safety", "Licensing", "Trading standards", "Fire", "Police"}
    assert records["postcode"].isna().any() and records["postcode"].notna().any()
    assert len(gazetteer) > 200 and gazetteer["uprn"].is_unique


@pytest.mark.parametrize("scale", [0, -1, "1", None, True])
def test_bad_scale_is_refused(scale):
    """A scale that is not a positive number raises ValueError naming it."""
    with pytest.raises(ValueError, match="scale"):
        premises.generate(get_council("Cardiff"), np.random.default_rng(1), scale)


@pytest.mark.parametrize("council", ["Cardiff", None, Council("Calderdale", "E08000033", "calderdale", 206600)])
def test_bad_council_is_refused(council):
    """Only one of the ten CCR councils (a Council) is accepted."""
    with pytest.raises(ValueError, match="council"):
        premises.generate(council, np.random.default_rng(1), 1.0)


def test_welsh_street_names_appear(generated):
    """Welsh street names (Heol, Ffordd, Stryd, Lôn) sit alongside English ones."""
    streets = generated["Rhondda Cynon Taf"]["gazetteer.csv"]["Address"]
    welsh = streets.str.contains(r"\b(?:Heol|Ffordd|Stryd|Lôn)\b")
    assert 0.1 < welsh.mean() < 0.6, f"{welsh.mean():.0%} of addresses on Welsh-named streets"
    assert streets.str.contains(re.escape("Street")).any()
