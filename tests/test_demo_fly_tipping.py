"""The fly-tipping demo generator: published layout, determinism, volumes and the planted quality problems."""

from __future__ import annotations

import filecmp

import numpy as np
import pandas as pd
import pytest

from curriculum import load
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.datasets import demo_dir
from curriculum.demo import DEFAULT_SEED, GENERATORS, fly_tipping, write_generator_files
from curriculum.mapping import read_mapping
from curriculum.quality import find_duplicates, find_placeholders

FILE = "fly_tipping.csv"
# Postcode districts of each council, as the project's rules give them (independent of the generator's table).
DISTRICTS = {
    "Cardiff": {"CF3", "CF5", "CF10", "CF11", "CF14", "CF23", "CF24"},
    "Vale of Glamorgan": {"CF61", "CF62", "CF63", "CF64", "CF71"},
    "Rhondda Cynon Taf": {f"CF{n}" for n in range(37, 46)} | {"CF72"},
    "Merthyr Tydfil": {"CF47", "CF48"},
    "Caerphilly": {"CF81", "CF82", "CF83", "NP11", "NP12"},
    "Bridgend": {f"CF{n}" for n in range(31, 37)},
    "Newport": {"NP10", "NP18", "NP19", "NP20"},
    "Torfaen": {"NP4", "NP44"},
    "Blaenau Gwent": {"NP13", "NP22", "NP23"},
    "Monmouthshire": {"NP7", "NP15", "NP16", "NP25", "NP26"},
}


def _seed(name: str) -> np.random.Generator:
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(name), GENERATORS.index("fly_tipping")])


@pytest.fixture(scope="module")
def generated():
    """Every council's export with the truth attached, from the seed the committed files use."""
    return {name: fly_tipping.generate_with_truth(get_council(name), _seed(name), 1.0)[FILE] for name in COUNCIL_NAMES}


def _district(postcodes: pd.Series) -> pd.Series:
    full = postcodes.str.upper().str.replace(" ", "", regex=False).str.extract(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")[0]
    return full


def test_file_has_the_mapped_columns(generated):
    """The file has exactly the columns mapping.yaml maps, in the generator's published order."""
    spec = read_mapping(demo_dir("Cardiff").parent / "mapping.yaml").dataset("fly_tipping_reports").sources[0]
    assert spec.file == FILE
    frame = generated["Cardiff"].drop(columns=["_incident", "_problem"])
    assert list(frame.columns) == list(fly_tipping.COLUMNS), "columns in the published order"
    assert set(frame.columns) == set(spec.columns.values()), "every column is mapped and every mapped column exists"


def test_generate_drops_the_truth():
    """generate() returns the frame of generate_with_truth() without the truth columns."""
    council = get_council("Torfaen")
    plain = fly_tipping.generate(council, np.random.default_rng(5), 0.5)[FILE]
    truth = fly_tipping.generate_with_truth(council, np.random.default_rng(5), 0.5)[FILE]
    pd.testing.assert_frame_equal(plain, truth.drop(columns=["_incident", "_problem"]))


def test_deterministic_and_seed_dependent():
    """The same seed gives the same frame; another seed gives other data."""
    council = get_council("Merthyr Tydfil")
    a = fly_tipping.generate(council, np.random.default_rng(7), 1.0)[FILE]
    b = fly_tipping.generate(council, np.random.default_rng(7), 1.0)[FILE]
    c = fly_tipping.generate(council, np.random.default_rng(8), 1.0)[FILE]
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c), "a different seed should change the data"


def test_volume_follows_population_and_scale():
    """About 1.35 fly-tips per 1,000 residents a year for two years; reports grow with scale, places do not."""
    for name in ("Cardiff", "Merthyr Tydfil"):
        frame = fly_tipping.generate_with_truth(get_council(name), np.random.default_rng(1), 1.0)[FILE]
        expected = round(1.35 * get_council(name).population_2021 / 1000 * 2)
        assert frame["_incident"].nunique() == expected, f"{name}: {frame['_incident'].nunique()} fly-tips, expected {expected}"
        assert 1.05 < len(frame) / expected < 1.10, "exact copies and second reports add 5-10% of rows"
    small = fly_tipping.generate(get_council("Newport"), np.random.default_rng(1), 1.0)[FILE]
    big = fly_tipping.generate(get_council("Newport"), np.random.default_rng(1), 3.0)[FILE]
    assert 2.9 < len(big) / len(small) < 3.1, f"scale 3 gave {len(big) / len(small):.2f} times the rows"
    places = {s: set(f["Location"].str.split().str.join(" ").str.casefold()) for s, f in (("x1", small), ("x3", big))}
    assert places["x1"] <= places["x3"] and len(places["x3"]) <= len(places["x1"]) * 1.2, "places stay fixed with scale"


@pytest.mark.parametrize("scale", [0, -1, float("nan"), "2", True])
def test_scale_must_be_a_positive_number(scale):
    """A scale that is not a positive number is refused, naming the argument."""
    with pytest.raises(ValueError, match="scale"):
        fly_tipping.generate(get_council("Torfaen"), np.random.default_rng(1), scale)


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_postcodes_mostly_in_the_council_some_outside(generated, name):
    """Nearly all valid postcodes sit in the council's own districts; about 3% sit in another council's."""
    frame = generated[name]
    district = _district(frame["Postcode"])
    valid = district.notna()
    inside = district[valid].isin(DISTRICTS[name])
    assert inside.mean() > 0.93, f"{name}: only {inside.mean():.0%} of valid postcodes in the council"
    assert (~inside).sum() >= 2, f"{name}: no postcode outside the council to find"
    assert frame.loc[valid & (district.isin(DISTRICTS[name])), "Ward"].isin(
        [w for w, _, _ in fly_tipping.WARDS[name]] + ["NO DATA!"]).all(), "wards are the council's wards"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_planted_quality_problems(generated, name):
    """NO DATA! in four columns, other placeholders, zero costs, 1900 dates and dates cleared before reported."""
    frame = generated[name]
    for column in ("Ward", "Land Type", "Waste Type", "Size"):
        assert (frame[column] == "NO DATA!").any(), f"{name}: no NO DATA! in {column}"
    assert frame["Postcode"].isin(["N/A", "-", "TBC", "", "NO DATA!"]).mean() > 0.03, "postcode placeholders"
    assert (frame["Reported By"] == "Not known").any() and (frame["Clearance Cost"] == "0").any()
    reported = pd.to_datetime(frame["Date Reported"], format="%d/%m/%Y")
    cleared = pd.to_datetime(frame["Date Cleared"].replace("", None), format="%d/%m/%Y")
    assert reported.between(fly_tipping.PERIOD_START, fly_tipping.PERIOD_END).all(), "reports within the two years"
    assert (cleared.dt.year == 1900).any(), f"{name}: no 01/01/1900 placeholder date"
    slips = (cleared < reported) & (cleared.dt.year > 1900)
    assert slips.any() and slips.mean() < 0.05, f"{name}: {slips.sum()} dates cleared before reported"
    assert (frame["Clearance Cost"] == "").equals(cleared.isna()), "a cost exactly where the council cleared the fly-tip"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_duplicates_are_found_by_the_module_rules(generated, name):
    """Exact copies equal the row before them; find_duplicates on place and day finds the second reports."""
    frame = generated[name]
    data = frame.drop(columns=["_incident", "_problem"])
    exact = frame["_problem"] == "exact duplicate"
    assert exact.sum() >= 2 and data.duplicated()[exact].all(), "every planted copy repeats an earlier row"
    assert data.duplicated().sum() == exact.sum(), "no other row is an exact copy"
    keys = data.rename(columns={"Location": "location", "Postcode": "postcode", "Date Reported": "day"})
    found = find_duplicates(keys, ["location", "postcode", "day"])
    planted = frame["_incident"].duplicated()  # every report after the first of its fly-tip
    recall = (found & planted).sum() / planted.sum()
    assert recall == 1.0, f"{name}: find_duplicates finds {recall:.0%} of the planted repeats"
    assert (found & ~planted).sum() <= 0.025 * len(frame), "few distinct fly-tips share place and day (the caveat the module teaches)"
    near = frame[frame["_problem"] == "near duplicate"]
    firsts = frame[~frame["_incident"].duplicated()].set_index("_incident")
    assert (near["Location"] != firsts.loc[near["_incident"], "Location"].to_numpy()).mean() > 0.5, \
        "second reports type the place differently"
    assert (near["Reported By"] != firsts.loc[near["_incident"], "Reported By"].to_numpy()).mean() > 0.9, \
        "second reports come from someone else"


def test_a_few_places_take_many_reports(generated):
    """Hotspots: the busiest tenth of places holds more than a third of Cardiff's fly-tips."""
    frame = generated["Cardiff"].drop_duplicates("_incident")
    counts = frame["Location"].str.casefold().value_counts()
    top = counts.head(int(np.ceil(0.1 * len(counts)))).sum() / counts.sum()
    assert top > 1 / 3, f"the busiest 10% of places hold {top:.0%}"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_loads_for_every_council(name):
    """The committed file loads through the mapping, with placeholders left for the learner to find."""
    reports = load("fly_tipping_reports", council=name)
    assert len(reports) > 100 and set(reports["council"]) == {name}
    assert find_placeholders(reports["ward"]).any(), "NO DATA! survives loading"
    assert reports["postcode"].isna().any(), "N/A and - become missing when loaded"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed fly_tipping.csv files equal a fresh run of the generator, and stay under 600 KB in all."""
    written = write_generator_files("fly_tipping", tmp_path)
    committed = [demo_dir(name) / FILE for name in COUNCIL_NAMES]
    assert len(written) == len(committed)
    for fresh in written:
        original = demo_dir(fresh.parent.name) / FILE
        assert filecmp.cmp(fresh, original, shallow=False), f"{original} differs from the generator's output"
    size = sum(p.stat().st_size for p in committed)
    assert size < 600_000, f"the ten files take {size / 1000:.0f} KB"
