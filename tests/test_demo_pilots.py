"""Tests of the regional social-prescribing pilots generator (curriculum.demo.pilots) and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import pooling as pl
from curriculum.councils import COUNCIL_NAMES, councils
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import pilots as gen

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"


def _frame(seed=None, scale: float = 1.0) -> pd.DataFrame:
    rng = np.random.default_rng([DEFAULT_SEED, 99, GENERATORS.index("pilots")] if seed is None else seed)
    return gen.generate_region(rng, scale)["pilot_results.csv"]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """The table the generator writes with the default seed."""
    return _frame()


@pytest.fixture(scope="module")
def loaded() -> pd.DataFrame:
    """The committed file as the notebook loads it (Cardiff's folder)."""
    return curriculum.load("pilot_results", council="Cardiff")


def test_files_and_output_keys_agree():
    """The generator writes exactly the file it declares."""
    out = gen.generate_region(np.random.default_rng(1), 1.0)
    assert gen.FILES == ("pilot_results.csv",), f"FILES should be ('pilot_results.csv',), got {gen.FILES}"
    assert tuple(out) == gen.FILES, f"generate_region returned {tuple(out)}, FILES says {gen.FILES}"


def test_columns_match_the_mapping(frame):
    """The published column names are exactly those mapped in datasets/demo/mapping.yaml, in order."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["pilot_results"]
    assert mapping["file"] == "pilot_results.csv", "the mapping should name the generator's file"
    assert list(frame.columns) == list(gen.COLUMNS), "the frame's columns should be COLUMNS"
    assert list(mapping["columns"].values()) == list(gen.COLUMNS), "the mapping should map every column, in order"


def test_generator_is_deterministic():
    """The same generator state gives the same table; another gives another."""
    pd.testing.assert_frame_equal(_frame(5), _frame(5))
    assert not _frame(5).equals(_frame(6)), "another seed should give other results"


def test_every_ccr_council_ran_a_site_and_two_outside(frame):
    """Fourteen sites with unique IDs: every CCR council, plus Swansea and Rotherham with their ONS codes."""
    assert len(frame) == 14 and frame["Site ID"].is_unique and frame["Site"].is_unique, "14 distinct sites"
    assert set(COUNCIL_NAMES) <= set(frame["Local Authority"]), "every CCR council should have a site"
    outside = set(frame["Local Authority"]) - set(COUNCIL_NAMES)
    assert outside == {"Swansea", "Rotherham"}, f"the sites outside the region should be Swansea and Rotherham, got {outside}"
    codes = dict(zip(councils()["name"], councils()["code"]))
    for row in frame.itertuples():
        if row[3] in codes:
            assert row[4] == codes[row[3]], f"{row[2]}: wrong ONS code {row[4]}"


def test_arms_are_consistent(frame):
    """People improved never exceed people followed up; means and SDs are plausible WEMWBS changes."""
    assert (frame["Pilot Improved"] <= frame["Pilot Followed Up"]).all(), "pilot improved <= followed up"
    assert (frame["Comparison Improved"] <= frame["Comparison Followed Up"]).all(), "comparison improved <= followed up"
    assert frame["Pilot Followed Up"].between(100, 400).all(), "a site follows up a few hundred people at scale 1"
    sd = frame[["Pilot SD WEMWBS Change", "Comparison SD WEMWBS Change"]].astype(float)
    assert sd.stack().between(6, 10).all(), "the SD of six-month WEMWBS changes should be about 8"
    assert frame["Fidelity Score"].between(0, 100).all(), "fidelity is a 0-100 score"
    per_person = frame["Total Pilot Cost (GBP)"] / frame["Pilot Followed Up"]
    assert per_person.between(80, 450).all(), f"cost per participant should be GBP 80-450, got {per_person.round().tolist()}"


def test_scale_multiplies_people_not_sites():
    """Scale 5 gives about five times the people at the same fourteen sites."""
    small, big = _frame(3), _frame(3, scale=5)
    assert len(big) == len(small), "the number of sites is fixed"
    ratio = big["Pilot Followed Up"].sum() / small["Pilot Followed Up"].sum()
    assert 4.5 < ratio < 5.5, f"people followed up should grow about fivefold, got {ratio:.2f}"


@pytest.mark.parametrize("scale", [0, -1, float("nan"), "2", True])
def test_generate_rejects_bad_scale(scale):
    """A scale that is not a positive number raises ValueError naming scale."""
    with pytest.raises(ValueError, match="scale"):
        gen.generate_region(np.random.default_rng(0), scale)


def test_generate_rejects_non_generator():
    """An rng that is not a numpy Generator raises TypeError naming rng."""
    with pytest.raises(TypeError, match="rng"):
        gen.generate_region(42, 1.0)


def test_planted_structure_with_the_default_seed(loaded):
    """The pooled effect is positive, places differ, the effect grows with fidelity, and the rule says adapt."""
    effects = pl.risk_difference(loaded["events_pilot"], loaded["n_pilot"], loaded["events_comparison"], loaded["n_comparison"])
    pooled = pl.pool_effects(effects["effect"], effects["se"])
    assert pooled.ci_low > 0 and pooled.estimate > 0.05, f"the pooled effect should be clearly positive, got {pooled.estimate:.3f}"
    assert pooled.pi_low < 0 < pooled.pi_high, "a new place's prediction interval should reach below zero"
    assert 0.25 < pooled.i2 < 0.75, f"heterogeneity should be moderate, got I² = {pooled.i2:.2f}"
    fit = pl.meta_regression(effects["effect"], effects["se"], loaded["fidelity"])
    assert fit.slope_ci_low > 0, "the effect should grow with fidelity, with a CI above zero"
    assert fit.r2 > 0.3, f"fidelity should explain a good share of the heterogeneity, got {fit.r2:.2f}"
    cost_pp = loaded["cost"].sum() / loaded["n_pilot"].sum()
    decision = pl.decide(pooled, pl.DecisionRule(0.05, 6500), cost_pp, regression=fit)
    assert decision.verdict == "adapt", f"the module's rule should say adapt on the demo data, got {decision.verdict}"


def test_structure_holds_for_most_seeds():
    """Across seeds the effect usually grows with fidelity: the planted link is not a fluke of one seed."""
    slopes = []
    for seed in range(20):
        f = _frame(seed)
        e = pl.risk_difference(f["Pilot Improved"], f["Pilot Followed Up"], f["Comparison Improved"], f["Comparison Followed Up"])
        slopes.append(pl.meta_regression(e["effect"], e["se"], f["Fidelity Score"]).slope)
    assert np.mean(np.array(slopes) > 0) >= 0.9, f"the slope should be positive for most seeds, got {np.round(slopes, 4)}"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files are byte for byte what the generator writes with the default seed."""
    assert "pilots" in GENERATORS, "pilots should be a registered generator"
    written = write_generator_files("pilots", tmp_path, seed=DEFAULT_SEED)
    assert len(written) == len(COUNCIL_NAMES), "one copy per council folder"
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator: regenerate it"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's copy loads, passes the schema and is the same regional table; all copies under 1 MB."""
    frame = curriculum.load("pilot_results", council=name)
    assert len(frame) == 14, f"{name}: the regional table has 14 sites"
    assert (frame["area_name"].str.casefold() == name.casefold()).any(), f"{name}: its own site should be in the table"
    total = sum(p.stat().st_size for p in DEMO.glob("*/pilot_results.csv"))
    assert total < 1_000_000, f"the pilot files take {total:,} bytes; keep them under 1 MB"
