"""Tests of the demo intervention-sites generator (curriculum.demo.intervention_sites) and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import causal
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import intervention_sites as gen
from curriculum.demo.wimd import wales_table

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
CAMERAS, PILOT = gen.FILES


def _files(name: str, seed=1, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    return gen.generate(get_council(name), np.random.default_rng(seed), scale)


def _sites(files: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two files in the curriculum's columns (what the demo mapping does)."""
    cams, areas = files[CAMERAS], files[PILOT]
    cameras = pd.DataFrame({
        "site_id": cams["Site Ref"], "group": cams["Camera"].map({"Installed": "intervention",
                                                                 "Qualified, not installed": "comparison",
                                                                 "Did not qualify": "other"}),
        "years_before": cams["Years Before"].astype(float), "events_before": cams["Collisions Before"],
        "years_after": cams["Years After"].astype(float), "events_after": cams["Collisions After"],
        "exposure": cams["Vehicles per Day"].astype(float)})
    pilot = pd.DataFrame({
        "site_id": areas["LSOA Code"], "group": areas["Pilot Area"].map({"Pilot": "intervention",
                                                                       "Eligible, not chosen": "comparison",
                                                                       "Not eligible": "other"}),
        "years_before": areas["Years Before"].astype(float), "events_before": areas["Deliberate Fires Before"],
        "years_after": areas["Years After"].astype(float), "events_after": areas["Deliberate Fires After"],
        "exposure": areas["Population"].astype(float), "deprivation_rank": areas["WIMD 2019 Rank"].astype(float)})
    return cameras, pilot


@pytest.fixture(scope="module")
def region() -> list[dict]:
    """For three seeds and every council, the estimates the module teaches with."""
    rows = []
    for seed in (1, 2, 3):
        for i, name in enumerate(COUNCIL_NAMES):
            cameras, pilot = _sites(_files(name, [seed, i]))
            did = causal.did_table(cameras)
            strata = causal.stratified_comparison(pilot)
            rows.append({
                "council": name,
                "camera_change": causal.before_after(cameras)["percent_change"],
                "comparison_change": causal.before_after(cameras, "comparison")["percent_change"],
                "did": did.loc["difference", "change"],
                "did_ratio": did.loc["intervention", "after"] / (did.loc["intervention", "before"] + did.loc["comparison", "change"]),
                "naive": causal.naive_difference(cameras)["difference"],
                "traffic_ratio": causal.exposure_rates(cameras).loc[["intervention", "other"], "mean_exposure"].pipe(lambda s: s.iloc[0] / s.iloc[1]),
                "fires_all": strata.loc["all", "ratio"],
                "direction": causal.stratified_direction(strata),
                "fire_did": causal.did_table(pilot).loc["difference", "change"],
            })
    return rows


# -------------------------------------------------------------------------- layout
def test_columns_match_the_mapping():
    """The generator writes the files and columns the demo mapping names, with its group labels."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["intervention_sites"]
    sources = {s["file"]: s for s in mapping["sources"]}
    assert set(gen.FILES) == set(sources), "one source per file"
    files = _files("Torfaen")
    for file, frame in files.items():
        assert set(sources[file]["columns"].values()) <= set(frame.columns), f"{file}: every mapped column is written"
        group_column = sources[file]["columns"]["group"]
        assert set(frame[group_column]) == set(sources[file]["values"]["group"]), f"{file}: every label is recoded"
    assert list(files[CAMERAS].columns) == list(gen.CAMERA_COLUMNS)
    assert list(files[PILOT].columns) == list(gen.PILOT_COLUMNS)
    assert "intervention_sites" in GENERATORS, "the generator is registered"


def test_generator_is_deterministic():
    """The same generator state gives the same files; another seed gives other counts."""
    first, again = _files("Newport", 5), _files("Newport", 5)
    for file in gen.FILES:
        pd.testing.assert_frame_equal(first[file], again[file])
    assert not first[CAMERAS].equals(_files("Newport", 6)[CAMERAS]), "another seed should give other counts"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_fixed_sites_and_every_lsoa(name):
    """Cameras: fixed numbers per group, unique references and locations; the pilot lists every LSOA as WIMD has it."""
    files = _files(name)
    cams, areas = files[CAMERAS], files[PILOT]
    counts = cams["Camera"].value_counts()
    assert counts["Installed"] == gen.CAMERAS and counts["Qualified, not installed"] == gen.QUALIFYING - gen.CAMERAS
    assert counts["Did not qualify"] == gen.OTHER_SITES
    assert cams["Site Ref"].is_unique and cams["Location"].is_unique, "one row per site"
    wales = wales_table()
    own = wales[wales["council"] == name].set_index("lsoa_code")
    assert sorted(areas["LSOA Code"]) == sorted(own.index), "every LSOA of the council, once"
    joined = areas.set_index("LSOA Code")
    assert (joined["WIMD 2019 Rank"] == own.loc[joined.index, "WIMD 2019 overall rank"]).all(), "ranks agree with wimd.csv"
    assert (joined["Population"] == own.loc[joined.index, "population"]).all(), "populations agree with wimd.csv"
    assert (joined["Ward"] == own.loc[joined.index, "ward"]).all(), "wards agree with wimd.csv"


@pytest.mark.parametrize("name", ["Merthyr Tydfil", "Cardiff"])
def test_pilot_goes_to_deprived_areas_by_the_stated_shares(name):
    """About two thirds of the most deprived third and a third of the middle third are in the pilot, none of the rest."""
    areas = _files(name)[PILOT]
    band = causal.deprivation_bands(areas.rename(columns={"WIMD 2019 Rank": "deprivation_rank"}))
    for b, share in enumerate(gen.PILOT_SHARES, 1):
        members = areas[band == b]
        assert abs((members["Pilot Area"] == "Pilot").sum() - share * len(members)) <= 1, f"band {b}: share {share}"
        eligible = members["Pilot Area"] != "Not eligible"
        assert eligible.all() if share > 0 else not eligible.any(), f"band {b}: eligibility"


def test_scale_multiplies_volume_not_sites():
    """scale=10 gives the same sites and areas with about ten times the events, traffic and residents."""
    small, big = _files("Bridgend", 7), _files("Bridgend", 7, scale=10)
    for file in gen.FILES:
        assert len(small[file]) == len(big[file]), f"{file}: same number of rows"
    assert big[PILOT]["Population"].sum() / small[PILOT]["Population"].sum() == pytest.approx(10, rel=0.001)
    for file, column in ((CAMERAS, "Collisions After"), (PILOT, "Deliberate Fires Before"), (CAMERAS, "Vehicles per Day")):
        ratio = big[file][column].sum() / small[file][column].sum()
        assert 8 < ratio < 12, f"{file} {column}: about ten times at scale 10, got {ratio:.1f}"


@pytest.mark.parametrize("council, scale, rng, error", [
    ("Calderdale", 1.0, np.random.default_rng(1), ValueError),
    (None, 0, np.random.default_rng(1), ValueError),
    (None, float("nan"), np.random.default_rng(1), ValueError),
    (None, 1.0, 42, TypeError),
])
def test_bad_arguments_are_refused(council, scale, rng, error):
    """An unknown council, a scale that is not positive or an rng that is not a Generator is refused."""
    target = council if council is not None else get_council("Torfaen")
    with pytest.raises(error):
        gen.generate(target, rng, scale)


# -------------------------------------------------------------------------- planted structure
def test_regression_to_the_mean_at_sites_chosen_after_a_spike(region):
    """Qualifying sites without a camera fall too, and camera sites fall by more than a quarter, in most runs."""
    comparison = np.array([r["comparison_change"] for r in region])
    camera = np.array([r["camera_change"] for r in region])
    assert np.mean(comparison < 0) >= 0.9, "sites chosen after a spike fall without a camera"
    assert np.mean(camera < comparison) >= 0.9, "camera sites fall by more than the comparison sites"
    assert np.mean(camera) < -30, f"before-after overstates the 25% cut: mean {np.mean(camera):.0f}%"


def test_difference_in_differences_recovers_the_camera_effect(region):
    """Against the comparison sites, camera sites end near three quarters of their counterfactual."""
    ratios = np.array([r["did_ratio"] for r in region])
    assert np.mean([r["did"] < 0 for r in region]) >= 0.9, "the DiD is negative in most runs"
    assert np.mean(ratios) == pytest.approx(gen.CAMERA_EFFECT, abs=0.06), f"mean ratio {np.mean(ratios):.2f}"


def test_camera_sites_carry_more_traffic_and_more_collisions_than_other_sites(region):
    """With and without is confounded by traffic: camera sites are busier and still have more collisions."""
    assert all(r["traffic_ratio"] > 1.5 for r in region), "camera sites are much busier than the other sites"
    assert np.mean([r["naive"] > 0 for r in region]) >= 0.9, "camera sites still have more collisions a year after"


def test_deprivation_confounds_the_pilot(region):
    """Across all areas pilot areas have more fires; within deprivation bands they have fewer."""
    assert np.mean([r["fires_all"] > 1 for r in region]) >= 0.9, "all areas: the pilot looks worse"
    assert np.mean([r["direction"] == "lower" for r in region]) >= 0.85, "within bands: the pilot areas have fewer fires"
    assert np.mean([r["fire_did"] < 0 for r in region]) >= 0.9, "the DiD finds the cut"


# -------------------------------------------------------------------------- committed files
def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files equal a fresh run of the generator with the default seed."""
    write_generator_files("intervention_sites", tmp_path, seed=DEFAULT_SEED)
    for name in COUNCIL_NAMES:
        slug = get_council(name).slug
        for file in gen.FILES:
            assert (tmp_path / slug / file).read_bytes() == (DEMO / slug / file).read_bytes(), f"{slug}/{file}"


def test_committed_files_are_small():
    """The generator's committed files take under 200 KB across the ten councils."""
    size = sum((DEMO / get_council(n).slug / f).stat().st_size for n in COUNCIL_NAMES for f in gen.FILES)
    assert size < 200 * 1024, f"{size / 1024:.0f} KB"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_every_council_loads_with_two_programmes(name):
    """curriculum.load gives both programmes with all three groups for every council."""
    data = curriculum.load("intervention_sites", council=name)
    assert set(data["programme"]) == {"Road safety cameras", "Arson reduction pilot"}
    assert set(data["group"]) == set(causal.GROUPS)
    pilot = data[data["programme"] == "Arson reduction pilot"]
    assert pilot["deprivation_rank"].notna().all() and pilot["exposure"].gt(0).all()
