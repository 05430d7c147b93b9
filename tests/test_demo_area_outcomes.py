"""Tests of the demo area-outcomes generator (curriculum.demo.area_outcomes) and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import quasi
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import area_outcomes as gen
from curriculum.demo.wimd import wales_table

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
FILE = "fly_tipping_by_lsoa.csv"


def _file(name: str, seed=1, scale: float = 1.0) -> pd.DataFrame:
    return gen.generate(get_council(name), np.random.default_rng(seed), scale)[FILE]


def _panel(frame: pd.DataFrame) -> pd.DataFrame:
    """The file in the curriculum's columns, with the rate and the post flag."""
    panel = pd.DataFrame({
        "area_code": frame["LSOA Code"], "month": pd.to_datetime(frame["Month"], format="%Y-%m"),
        "treated": frame["Campaign Area"] == "Yes",
        "start_month": pd.to_datetime(frame["Campaign From"].replace("", None), format="%Y-%m"),
        "count": frame["Fly-tipping Incidents"], "population": frame["Population"],
        "deprivation_rank": frame["WIMD 2019 Rank"]})
    panel["rate"] = panel["count"] / panel["population"] * 1000
    panel["post"] = panel["month"] >= panel["start_month"].min()
    return panel


@pytest.fixture(scope="module")
def region() -> pd.DataFrame:
    """Every council's panel for two seeds, with the true effect of each campaign area-month.

    The truth comes from the same draws with the campaign switched off (rate ratio 1): the
    gamma part of the counts is shared, so the difference is the campaign's effect plus a
    little Poisson noise.
    """
    frames = []
    for seed in (1, 2):
        for i, name in enumerate(COUNCIL_NAMES):
            panel = _panel(_file(name, [seed, i]))
            effect, gen.EFFECT = gen.EFFECT, 1.0
            try:
                untreated = _panel(_file(name, [seed, i]))
            finally:
                gen.EFFECT = effect
            frames.append(panel.assign(council=name, seed=seed, without=untreated["rate"]))
    return pd.concat(frames, ignore_index=True)


# -------------------------------------------------------------------------- layout
def test_columns_match_the_mapping():
    """The generator writes the file and the columns the demo mapping names, in order."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["area_outcomes"]
    assert gen.FILES == (mapping["file"],), f"FILES should be ({mapping['file']!r},)"
    assert list(_file("Torfaen").columns) == list(mapping["columns"].values()), "the mapping's columns, in order"
    assert "area_outcomes" in GENERATORS, "the generator is registered"


def test_generator_is_deterministic():
    """The same generator state gives the same file; another seed gives another."""
    pd.testing.assert_frame_equal(_file("Newport", 5), _file("Newport", 5))
    assert not _file("Newport", 5).equals(_file("Newport", 6)), "another seed should give other counts"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_fixed_areas_and_months(name):
    """Thirty-six LSOAs (ten in the campaign) over 30 months, one row each, one start month."""
    frame = _file(name)
    assert frame["LSOA Code"].nunique() == gen.AREAS, f"{gen.AREAS} LSOAs"
    assert len(frame) == gen.AREAS * len(gen.MONTHS) and not frame.duplicated(["LSOA Code", "Month"]).any(), \
        "a complete panel: one row per LSOA and month"
    campaign = frame[frame["Campaign Area"] == "Yes"]
    assert campaign["LSOA Code"].nunique() == gen.CAMPAIGN_AREAS, "ten campaign LSOAs"
    assert campaign["Campaign From"].nunique() == 1, "one start month in a council"
    assert pd.Timestamp(campaign["Campaign From"].iloc[0]) in gen.START_MONTHS
    assert (frame.loc[frame["Campaign Area"] == "No", "Campaign From"] == "").all(), "no start month outside the campaign"


@pytest.mark.parametrize("name", ["Cardiff", "Merthyr Tydfil"])
def test_areas_agree_with_the_wimd_table(name):
    """Codes, wards, ranks and residents are those of the council's LSOAs in the Wales-wide table."""
    wales = wales_table().set_index("lsoa_code")
    areas = _file(name).drop_duplicates("LSOA Code").set_index("LSOA Code")
    assert set(areas.index) <= set(wales.index[wales["council"] == name]), "every LSOA is one of the council's"
    assert (areas["WIMD 2019 Rank"] == wales.loc[areas.index, "WIMD 2019 overall rank"]).all(), "the WIMD rank of wimd.csv"
    assert (areas["Population"] == wales.loc[areas.index, "population"]).all(), "the population of wimd.csv"
    assert (areas["Ward"] == wales.loc[areas.index, "ward"]).all(), "the ward of wimd.csv"


def test_scale_multiplies_counts_not_areas():
    """Scale 3 keeps the areas and months and triples residents and incidents, so rates stay alike."""
    small, big = _file("Torfaen"), _file("Torfaen", scale=3)
    assert small[["LSOA Code", "Month", "Campaign Area"]].equals(big[["LSOA Code", "Month", "Campaign Area"]]), \
        "the same areas, months and campaign"
    ratio = big["Fly-tipping Incidents"].sum() / small["Fly-tipping Incidents"].sum()
    assert 2.6 < ratio < 3.4, f"about three times the incidents, got {ratio:.2f}"
    assert np.allclose(big["Population"] / small["Population"], 3, rtol=0.01), "three times the residents"


@pytest.mark.parametrize("scale", [0, -1, float("nan"), "2", True])
def test_generate_rejects_bad_scale(scale):
    """A scale that is not a positive number raises ValueError naming scale."""
    with pytest.raises(ValueError, match="scale"):
        gen.generate(get_council("Torfaen"), np.random.default_rng(0), scale)


@pytest.mark.parametrize("council, rng, error, word", [
    ("Torfaen", np.random.default_rng(0), ValueError, "council"),
    (get_council("Torfaen"), 0, TypeError, "rng"),
])
def test_generate_rejects_bad_arguments(council, rng, error, word):
    """A council that is not a Council, or a seed instead of a generator, is refused by name."""
    with pytest.raises(error, match=word):
        gen.generate(council, rng, 1.0)


# ------------------------------------------------------------- planted structure
def test_campaign_areas_were_chosen_because_they_were_bad(region):
    """In every council the campaign areas are more deprived and had higher rates before the campaign."""
    before = region[~region["post"]]
    by = before.groupby(["seed", "council", "treated"]).agg(rate=("rate", "mean"), rank=("deprivation_rank", "mean"))
    rate, rank = by["rate"].unstack("treated"), by["rank"].unstack("treated")
    assert (rate[True] > rate[False]).all(), "campaign areas had more fly-tipping before the campaign"
    assert (rank[True] < rank[False]).all(), "campaign areas are more deprived (lower WIMD rank)"


def test_naive_comparisons_miss_the_effect(region):
    """Pooled, before-and-after understates the fall and the after gap has the wrong sign."""
    campaign = region[region["treated"]]
    truth = (campaign["rate"] - campaign["without"])[campaign["post"]].mean()
    before_after = campaign.loc[campaign["post"], "rate"].mean() - campaign.loc[~campaign["post"], "rate"].mean()
    after = region[region["post"]]
    gap = after.loc[after["treated"], "rate"].mean() - after.loc[~after["treated"], "rate"].mean()
    assert truth < -0.5, f"the campaign should cut about 30% of a rate of 2-3 per 1,000: {truth:.2f}"
    assert truth < before_after < 0, f"before-and-after ({before_after:.2f}) should show less of the fall ({truth:.2f})"
    assert gap > 0, f"after the campaign the chosen areas still have more fly-tipping than the rest ({gap:.2f})"


def test_matched_did_recovers_the_effect_and_unmatched_understates_it(region):
    """Pooled over councils, matching plus DiD is within 12% of the truth; DiD against all areas 10% or more short."""
    rows = []
    for (seed, name), panel in region.groupby(["seed", "council"]):
        areas = quasi.pre_period_table(panel, "area_code", "rate", "post", keep=["treated", "deprivation_rank"])
        pairs = quasi.match_areas(areas, "treated", ["pre_mean", "deprivation_rank"])
        matched = panel[panel["area_code"].isin(pd.concat([pairs["treated"], pairs["comparison"]]))]
        campaign = panel[panel["treated"] & panel["post"]]
        rows.append({"truth": (campaign["rate"] - campaign["without"]).mean(),
                     "matched": quasi.did_estimate(matched, "rate", "treated", "post", "area_code", "month").estimate,
                     "all": quasi.did_estimate(panel, "rate", "treated", "post", "area_code", "month").estimate})
    mean = pd.DataFrame(rows).mean()
    assert abs(mean["matched"] / mean["truth"] - 1) < 0.12, f"matched DiD {mean['matched']:.3f} vs truth {mean['truth']:.3f}"
    assert mean["all"] / mean["truth"] < 0.9, f"DiD against all areas {mean['all']:.3f} should understate {mean['truth']:.3f}"


def test_deprived_areas_drift_before_the_campaign(region):
    """Pooled, the placebo against all other areas is positive (a drift) and against matched areas smaller."""
    all_areas, matched_areas = [], []
    for _, panel in region.groupby(["seed", "council"]):
        areas = quasi.pre_period_table(panel, "area_code", "rate", "post", keep=["treated", "deprivation_rank"])
        pairs = quasi.match_areas(areas, "treated", ["pre_mean", "deprivation_rank"])
        matched = panel[panel["area_code"].isin(pd.concat([pairs["treated"], pairs["comparison"]]))]
        all_areas.append(quasi.placebo_test(panel, "rate", "area_code", "month", "treated", "post").estimate)
        matched_areas.append(quasi.placebo_test(matched, "rate", "area_code", "month", "treated", "post").estimate)
    assert np.mean(all_areas) > 0.05, f"the most deprived areas were getting worse faster: {np.mean(all_areas):.3f}"
    assert abs(np.mean(matched_areas)) < np.mean(all_areas), "matching removes most of the drift"


# ---------------------------------------------------------------- committed files
@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_committed_files_load(council):
    """Every council's committed file loads through the mapping as area_outcomes, with ten campaign areas."""
    panel = curriculum.load("area_outcomes", council=council)
    assert len(panel) == gen.AREAS * len(gen.MONTHS)
    assert panel.loc[panel["treated"].astype(bool), "area_code"].nunique() == gen.CAMPAIGN_AREAS
    assert panel["start_month"].notna().eq(panel["treated"].astype(bool)).all(), "a start month exactly for campaign areas"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed files equal a fresh run of this generator from the default seed."""
    for path in write_generator_files("area_outcomes", tmp_path, seed=DEFAULT_SEED):
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator's output"
