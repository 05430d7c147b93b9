"""Tests of the demo trial results generator (curriculum.demo.trial_results) and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import evaluation as ev
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import trial_results as gen
from curriculum.demo.schools import school_counts

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
SECONDARY = ["Attendance %", "Late Marks per 100 Sessions", "Wellbeing Score", "Active 60 Minutes %"]
NUMERIC = ["Baseline Walk Cycle Scoot %", "Pupils Surveyed", "Walk Cycle Scoot %", *SECONDARY]


def _files(name: str, seed: int = 1, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    return gen.generate(get_council(name), np.random.default_rng(seed), scale)


def _numbers(trial: pd.DataFrame) -> pd.DataFrame:
    out = trial.copy()
    for column in NUMERIC:
        out[column] = pd.to_numeric(out[column].replace("", np.nan))
    return out


@pytest.fixture(scope="module")
def region() -> dict[str, pd.DataFrame]:
    """All ten councils' generated files (seeded by council), with numbers parsed and a council column."""
    trials, panels = [], []
    for i, name in enumerate(COUNCIL_NAMES):
        files = _files(name, seed=100 + i)
        trials.append(_numbers(files["trial_outcomes.csv"]).assign(council=name))
        panel = files["area_panel.csv"].assign(council=name)
        panel["month"] = pd.to_datetime(panel["Month"], format="%Y-%m")
        panel["treated"] = panel["20mph Area"] == "Yes"
        panel["post"] = panel["month"] >= pd.to_datetime(panel.loc[panel["treated"], "20mph From"], format="%Y-%m").min()
        panel["speed"] = panel["Mean Speed (mph)"].astype(float)
        panels.append(panel)
    return {"trial": pd.concat(trials, ignore_index=True), "panel": pd.concat(panels, ignore_index=True)}


def test_columns_match_the_mapping():
    """The files and their columns are exactly those the demo mapping names."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]
    files = _files("Torfaen")
    for kind, file in (("trial_outcomes", "trial_outcomes.csv"), ("area_panel", "area_panel.csv")):
        assert mapping[kind]["file"] == file, f"the mapping should name {file} for {kind}"
        assert list(files[file].columns) == list(mapping[kind]["columns"].values()), f"{file}: the mapping's columns, in order"
    assert gen.FILES == ("trial_outcomes.csv", "area_panel.csv"), "FILES lists both files"


def test_generator_is_deterministic():
    """The same generator state gives the same files; another seed gives others."""
    a, b, c = _files("Newport", 5), _files("Newport", 5), _files("Newport", 6)
    for file in gen.FILES:
        pd.testing.assert_frame_equal(a[file], b[file])
        assert not a[file].equals(c[file]), f"{file}: another seed should give other values"


@pytest.mark.parametrize("name", ["Cardiff", "Merthyr Tydfil"])
def test_sizes_follow_population(name):
    """Seven classes per primary school (one per 3,300 residents); one area per 12,000 residents, at least ten."""
    files = _files(name)
    trial, panel = files["trial_outcomes.csv"], files["area_panel.csv"]
    primaries = school_counts(get_council(name))[0]
    assert trial["School Code"].nunique() == primaries, f"{name} should have {primaries} schools"
    assert len(trial) == 7 * primaries, "one class per year group, Reception to Year 6"
    areas = gen.area_count(get_council(name))
    assert panel["Area Code"].nunique() == areas and len(panel) == areas * len(gen.MONTHS), "a balanced panel"
    assert areas == max(10, round(get_council(name).population_2021 / 12_000)), "one area per 12,000 residents, at least ten"


def test_scale_multiplies_volume():
    """Scale 3 gives about three times the schools and areas, with identifiers still unique."""
    small, big = _files("Torfaen"), _files("Torfaen", scale=3)
    ratio = len(big["trial_outcomes.csv"]) / len(small["trial_outcomes.csv"])
    assert 2.5 < ratio < 3.5, f"three times the classes expected, got {ratio:.2f}"
    assert big["trial_outcomes.csv"]["Class ID"].is_unique, "class ids stay unique"
    assert big["area_panel.csv"]["Area Code"].nunique() == 3 * small["area_panel.csv"]["Area Code"].nunique()
    assert not big["area_panel.csv"].duplicated(["Area Code", "Month"]).any(), "one row per area and month"
    names = big["area_panel.csv"].drop_duplicates("Area Code")["Area Name"]
    assert names.is_unique, "area names stay unique at scale 3"


@pytest.mark.parametrize("scale", [0, -1, float("nan"), "2", True])
def test_generate_rejects_bad_scale(scale):
    """A scale that is not a positive number raises ValueError naming scale."""
    with pytest.raises(ValueError, match="scale"):
        gen.generate(get_council("Torfaen"), np.random.default_rng(0), scale)


def test_generate_rejects_non_council():
    """A council that is not a Council raises ValueError naming council."""
    with pytest.raises(ValueError, match="council"):
        gen.generate("Torfaen", np.random.default_rng(0), 1.0)


def test_randomisation_is_stratified_by_school(region):
    """Each school lies in one arm, and within each stratum the arms differ by at most one school."""
    trial = region["trial"]
    assert (trial.groupby(["council", "School Code"])["Arm"].nunique() == 1).all(), "schools are the clusters randomised"
    schools = trial.drop_duplicates(["council", "School Code"])
    counts = schools.groupby(["council", "Stratum", "Arm"]).size().unstack(fill_value=0)
    assert (counts["School Street"] - counts["Control"]).abs().max() <= 1, "arms balanced within each stratum"
    assert set(trial["Arm"]) == {"Control", "School Street"} and set(trial["Stratum"]) == {"lower FSM", "middle FSM", "higher FSM"}


def test_closures_and_attrition(region):
    """Only School Street schools operate a closure, about nine in ten do, and about 5-10% of classes are lost."""
    trial = region["trial"]
    schools = trial.drop_duplicates(["council", "School Code"])
    assert (schools.loc[schools["Arm"] == "Control", "Closure Operated"] == "No").all(), "control schools never close the road"
    operated = (schools.loc[schools["Arm"] == "School Street", "Closure Operated"] == "Yes").mean()
    assert 0.8 < operated < 0.97, f"about nine School Street schools in ten should operate, got {operated:.0%}"
    lost = trial["Walk Cycle Scoot %"].isna().groupby(trial["Arm"]).mean()
    assert (lost.between(0.03, 0.15)).all(), f"attrition should be a few per cent in each arm: {lost.round(3).to_dict()}"
    missing = trial[trial["Walk Cycle Scoot %"].isna()]
    assert missing[SECONDARY + ["Pupils Surveyed"]].isna().all().all(), "a class lost to follow-up has no outcomes"
    assert trial["Baseline Walk Cycle Scoot %"].notna().all(), "every class has its baseline"


def test_values_are_in_range(region):
    """Shares, attendance and scores lie in their ranges."""
    trial = region["trial"]
    for column in ["Baseline Walk Cycle Scoot %", "Walk Cycle Scoot %", "Attendance %", "Active 60 Minutes %"]:
        assert trial[column].dropna().between(0, 100).all(), f"{column} is a percentage"
    assert trial["Wellbeing Score"].dropna().between(0, 10).all(), "wellbeing is scored 0-10"
    assert (trial["Late Marks per 100 Sessions"].dropna() >= 0).all(), "late marks are not negative"
    assert trial["Pupils Surveyed"].dropna().between(17, 30).all(), "a class of 17-30 pupils is surveyed"


def test_planted_trial_effects(region):
    """Pooled over the region: about +5.5 points on the primary outcome, nothing on the secondaries."""
    trial = region["trial"].assign(cluster=lambda d: d["council"] + d["School Code"])
    primary = ev.ancova(trial, "Walk Cycle Scoot %", "Arm", "School Street", "Control",
                        covariates="Baseline Walk Cycle Scoot %", categorical=["council", "Stratum"], cluster="cluster")
    assert 3.5 < primary.estimate < 7.5 and primary.ci_low > 0, f"primary effect {primary.estimate:.2f} should be about +5.5"
    for column in SECONDARY:
        effect = ev.ancova(trial, column, "Arm", "School Street", "Control", categorical=["council", "Stratum"],
                           cluster="cluster")
        sd = trial[column].std()
        assert abs(effect.estimate) < 0.2 * sd, f"{column}: no planted effect, got {effect.estimate:.3f} (SD {sd:.2f})"
    r = trial[["Baseline Walk Cycle Scoot %", "Walk Cycle Scoot %"]].corr().iloc[0, 1]
    assert r > 0.5, f"the baseline should predict the outcome strongly (r = {r:.2f})"


def test_planted_panel_structure(region):
    """About a third of areas get 20 mph, chosen where speeds were higher; parallel pre-trends; about -3 mph after."""
    panel = region["panel"]
    areas = panel.drop_duplicates(["council", "Area Code"])
    share = areas["treated"].mean()
    assert 0.25 < share < 0.4, f"about 30% of areas should be pilot areas, got {share:.0%}"
    assert set(areas.loc[areas["treated"], "20mph From"]) <= set(gen.ROLLOUT_MONTHS), "roll-out in summer 2022"
    assert (areas.loc[~areas["treated"], "20mph From"] == "").all(), "comparison areas have no roll-out month"
    pre = panel[~panel["post"]]
    gap = pre.groupby("treated")["speed"].mean()
    assert gap[True] - gap[False] > 1.5, "pilot areas were chosen where speeds were higher"
    panel = panel.assign(area=panel["council"] + panel["Area Code"])
    trend = ev.pretrend_test(panel, "speed", "area", "month", "treated", "post")
    assert abs(trend.estimate) < 0.03, f"treated and comparison areas should share a trend, got {trend.estimate:.3f} mph a month"
    did = ev.did_regression(panel, "speed", "treated", "post", unit="area", time="month")
    assert -3.2 < did.estimate < -2.3, f"speeds should fall by about 3 mph (building up), got {did.estimate:.2f}"
    assert panel["Month"].min() == "2021-04" and panel["Month"].max() == "2023-08", "April 2021 to August 2023"
    assert panel["Casualties"].ge(0).all(), "casualty counts are not negative"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files are byte for byte what the generator writes with the default seed."""
    assert "trial_results" in GENERATORS, "trial_results should be a registered generator"
    written = write_generator_files("trial_results", tmp_path, seed=DEFAULT_SEED)
    assert len(written) == 2 * len(COUNCIL_NAMES), "two files per council"
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator: regenerate it"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's committed files load and pass their schemas, within 1 MB in all."""
    trial = curriculum.load("trial_outcomes", council=name)
    panel = curriculum.load("area_panel", council=name)
    assert len(trial) >= 7 * 10, f"{name} should have at least ten schools' classes"
    assert trial["active_percent"].notna().mean() > 0.8, "most classes have an outcome"
    assert panel["treated"].any() and (~panel["treated"]).any(), "pilot and comparison areas"
    assert panel.loc[panel["treated"], "rollout_month"].nunique() == 1, "one roll-out month per council"
    total = sum(p.stat().st_size for f in gen.FILES for p in DEMO.glob(f"*/{f}"))
    assert total < 1_000_000, f"the trial results files take {total:,} bytes; keep them under 1 MB"
