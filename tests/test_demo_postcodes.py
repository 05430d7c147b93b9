"""Tests of the demo postcode directory generator (curriculum.demo.postcodes)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, premises, write_generator_files
from curriculum.demo import postcodes as pc
from curriculum.demo.wimd import wales_table

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
STREAM = GENERATORS.index("postcodes")


def _rng(name: str, seed: int = DEFAULT_SEED) -> np.random.Generator:
    """The generator write_demo_data gives the postcodes generator for a council."""
    return np.random.default_rng([seed, COUNCIL_NAMES.index(name), STREAM])


def _directory(name: str, seed: int = DEFAULT_SEED, scale: float = 1.0) -> pd.DataFrame:
    return pc.generate(get_council(name), _rng(name, seed), scale)["postcode_directory.csv"]


@pytest.fixture(scope="module")
def region() -> dict[str, pd.DataFrame]:
    """Every council's directory as written with the default seed."""
    return {name: _directory(name) for name in COUNCIL_NAMES}


def test_columns_match_the_mapping():
    """The generator writes the file and columns the demo mapping names (ONSPD's own names)."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["postcode_lookup"]
    assert pc.FILES == (mapping["file"],), f"FILES should be ({mapping['file']!r},)"
    frame = _directory("Torfaen")
    assert list(frame.columns) == list(pc.COLUMNS), "columns in ONSPD order"
    assert set(mapping["columns"].values()) <= set(frame.columns), "every mapped column is written"


def test_the_run_decides_the_directory():
    """The same master seed gives the same file, another master seed another; a foreign generator gives the default run's."""
    pd.testing.assert_frame_equal(_directory("Newport"), _directory("Newport"))
    assert not _directory("Newport").equals(_directory("Newport", seed=5)), "another run should give another directory"
    foreign = pc.generate(get_council("Newport"), np.random.default_rng(1))["postcode_directory.csv"]
    pd.testing.assert_frame_equal(foreign, _directory("Newport"))
    assert pc.run_seed(_rng("Newport", 77), get_council("Newport")) == 77
    assert pc.run_seed(_rng("Newport", 77), get_council("Torfaen")) == DEFAULT_SEED, "another council's stream is not this run's"


def test_postcode_forms_follow_onspd(region):
    """pcd has 7 characters, pcd2 8 and pcds one space; all three are the same postcode, each once."""
    for name, frame in region.items():
        assert frame["pcds"].is_unique, f"{name}: a postcode appears twice"
        assert frame["pcds"].str.fullmatch(r"[A-Z]{2}\d{1,2} \d[A-Z]{2}").all(), f"{name}: pcds should look like 'CF24 3AB'"
        assert (frame["pcd"].str.len() == 7).all() and (frame["pcd2"].str.len() == 8).all(), f"{name}: pcd 7, pcd2 8 characters"
        assert (frame["pcd"].str.replace(" ", "") == frame["pcds"].str.replace(" ", "")).all()
        assert (frame["pcd2"].str.split().str.join(" ") == frame["pcds"]).all()
        assert frame["pcd"].is_monotonic_increasing, f"{name}: sorted by pcd, as ONS sorts"


def test_dates_and_terminated_postcodes(region):
    """dointr is YYYYMM up to the release; about 5% are terminated, after they were introduced and before the release."""
    release = pc.RELEASE.strftime("%Y%m")
    for name, frame in region.items():
        assert frame["dointr"].str.fullmatch(r"(19[89]\d|20[0-2]\d)(0[1-9]|1[0-2])").all(), f"{name}: dointr as YYYYMM"
        ended = frame[frame["doterm"] != ""]
        assert 0.02 < len(ended) / len(frame) < 0.08, f"{name}: {len(ended)} terminated of {len(frame)}"
        assert (ended["doterm"] > ended["dointr"]).all() and (ended["doterm"] <= release).all()
        assert (frame["dointr"] <= release).all(), f"{name}: nothing newer than the {release} release"


def test_areas_join_to_the_wimd_table(region):
    """The council's postcodes carry its own WIMD LSOAs, every LSOA has its live postcodes, output areas look right."""
    for name, frame in region.items():
        code = get_council(name).code
        own = frame[frame["oslaua"] == code]
        lsoas = set(wales_table().query("council == @name")["lsoa_code"])
        assert set(own["lsoa21"]) == lsoas, f"{name}: its postcodes should cover exactly its LSOAs"
        live = own[own["doterm"] == ""]
        assert live["lsoa21"].value_counts().min() >= pc.POSTCODES_PER_LSOA, f"{name}: every LSOA needs live postcodes"
        assert frame["oa21"].str.fullmatch(r"W00\d{6}").all()
        lat, long = frame["lat"].astype(float), frame["long"].astype(float)
        assert lat.between(51.2, 52.2).all() and long.between(-3.9, -2.5).all(), f"{name}: coordinates in south-east Wales"


def test_boundary_postcodes_lie_in_the_neighbour(region):
    """Some postcodes of the council's districts carry a neighbour's ONS code and one of its LSOAs."""
    wales = wales_table()
    codes = {get_council(n).code: n for n in COUNCIL_NAMES} | {"W06000023": "Powys"}
    for name, frame in region.items():
        districts = frame["pcds"].str.split(" ").str[0]
        assert districts.isin(pc.DISTRICTS[name]).all(), f"{name}: every postcode is in one of its districts"
        other = frame[frame["oslaua"] != get_council(name).code]
        assert len(other) >= 4, f"{name}: there should be boundary postcodes"
        for row in other.itertuples():
            neighbour = codes[row.oslaua]
            assert (neighbour, row.pcds.split(" ")[0]) in {(n, d) for d, n in pc.BOUNDARY[name]}
            assert wales.loc[wales["lsoa_code"] == row.lsoa21, "council"].item() == neighbour


def test_gazetteer_postcodes_are_live_in_the_directory():
    """Every postcode of the council's gazetteer from the same run is a live postcode of the council."""
    for index, name in enumerate(COUNCIL_NAMES):
        gazetteer = premises.generate(get_council(name), np.random.default_rng([DEFAULT_SEED, index, GENERATORS.index("premises")]))[
            "gazetteer.csv"]
        frame = _directory(name).set_index("pcds")
        listed = frame.reindex(gazetteer["Postcode"].unique())
        assert listed["oslaua"].notna().all(), f"{name}: gazetteer postcodes missing from the directory"
        assert (listed["doterm"] == "").all() and (listed["oslaua"] == get_council(name).code).all()


def test_new_builds_are_not_in_the_directory():
    """Postcodes introduced after the release are kept apart, mostly in the less deprived LSOAs."""
    z_new, z_all = [], []
    for name in COUNCIL_NAMES:
        places = pc.council_places(get_council(name))
        assert not places.new_builds["postcode"].isin(places.directory["postcode"]).any()
        assert (places.new_builds["introduced"] > pc.RELEASE).all()
        z = places.areas.set_index("lsoa_code")["z"]
        z_new += z[places.new_builds["lsoa_code"]].tolist()
        z_all += z.tolist()
    assert np.mean(z_new) < np.mean(z_all) - 0.3, "new builds should lean to the less deprived areas"


def test_scale_keeps_the_places():
    """Scale 2 keeps the LSOAs and residential postcodes and doubles the gazetteer's premises and their postcodes."""
    one = pc.council_places(get_council("Torfaen"))
    two = pc.council_places(get_council("Torfaen"), 2)
    kinds1, kinds2 = one.directory["kind"].value_counts(), two.directory["kind"].value_counts()
    assert kinds1["residential"] == kinds2["residential"] == pc.POSTCODES_PER_LSOA * len(one.areas), "places stay fixed"
    assert 1.6 < kinds2["commercial"] / kinds1["commercial"] < 2.4, f"commercial postcodes: {kinds1['commercial']} then {kinds2['commercial']}"
    assert 1.8 < len(two.gazetteer) / len(one.gazetteer) < 2.2 and two.directory["postcode"].is_unique


@pytest.mark.parametrize("council, rng, scale, error, word", [
    ("Torfaen", np.random.default_rng(0), 1.0, ValueError, "council"),
    (None, np.random.default_rng(0), 0, ValueError, "scale"),
    (None, np.random.default_rng(0), float("nan"), ValueError, "scale"),
    (None, np.random.default_rng(0), "2", ValueError, "scale"),
    (None, 42, 1.0, TypeError, "rng"),
])
def test_generate_rejects_bad_arguments(council, rng, scale, error, word):
    """A council that is not a Council, a bad scale or a bad rng raise errors naming the argument."""
    with pytest.raises(error, match=word):
        pc.generate(get_council("Torfaen") if council is None else council, rng, scale)


def test_council_places_rejects_a_bad_council():
    """council_places needs a CCR Council."""
    with pytest.raises(ValueError, match="council"):
        pc.council_places("Cardiff")


# ------------------------------------------------------------------ committed files
def test_committed_files_are_the_generators_output(tmp_path):
    """The committed directories are byte for byte what the generator writes with the default seed."""
    assert "postcodes" in GENERATORS, "postcodes should be a registered generator"
    written = write_generator_files("postcodes", tmp_path, seed=DEFAULT_SEED)
    assert len(written) == len(COUNCIL_NAMES), "one file per council"
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator: regenerate it"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's directory loads through the mapping: dates parsed, terminated postcodes dated."""
    directory = curriculum.load("postcode_lookup", council=name)
    assert directory["postcode"].is_unique and directory["terminated"].notna().any()
    assert directory["introduced"].min() == pd.Timestamp("1980-01-01")
    assert (directory["council_code"] == get_council(name).code).mean() > 0.9


def test_both_generators_stay_within_budget():
    """The postcode directories and repair reports of the ten councils take under 700 KB together."""
    total = sum(p.stat().st_size for p in DEMO.glob("*/postcode_directory.csv")) + \
        sum(p.stat().st_size for p in DEMO.glob("*/repair_reports.csv"))
    assert total < 700_000, f"the two generators' files take {total:,} bytes; keep them under 700 KB"
