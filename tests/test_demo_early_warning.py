"""Tests of the demo new-tenancies generator (curriculum.demo.early_warning).

The generator must write the layout the demo mapping names, scale with population and
``scale`` while keeping the years and areas fixed, and plant the structure the *Early
warning, and its limits* module must find: a useful but imperfect score, drift in arrears
between the years, one area per council where the flag misses more and under-predicts,
and more false alarms for young contract-holders.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

import curriculum
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import early_warning as ew

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
FEATURES = ["arrears", "missed", "previously", "uc"]


def _raw(name: str, seed: int = 1, scale: float = 1.0) -> pd.DataFrame:
    return ew.generate(get_council(name), np.random.default_rng(seed), scale)[ew.FILES[0]]


def _tidy(raw: pd.DataFrame, council: str) -> pd.DataFrame:
    return pd.DataFrame({
        "council": council, "period": raw["Year Let"], "area": raw["Housing Area"], "age": raw["Age Band"],
        "arrears": raw["Arrears Weeks (wk13)"], "missed": raw["Missed Visits (wk13)"],
        "previously": raw["Previously Homeless"].eq("Y").astype(float), "uc": raw["Universal Credit"].eq("Y").astype(float),
        "failed": raw["Failed Within 12 Months"].eq("Y"),
        "hard": raw["Housing Area"].eq(ew.AREAS[council][1][0]),
    })


@pytest.fixture(scope="module")
def region() -> pd.DataFrame:
    """Every council's tenancies scored by a flag fitted on its own 2022-23 tenancies (threshold 0.2)."""
    frames = []
    for i, name in enumerate(COUNCIL_NAMES):
        frame = _tidy(_raw(name, seed=i), name)
        learn = frame[frame["period"] == ew.PERIODS[0]]
        model = LogisticRegression(max_iter=1000).fit(learn[FEATURES], learn["failed"])
        frame["risk"] = model.predict_proba(frame[FEATURES])[:, 1]
        frame["flag"] = frame["risk"] >= 0.2
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def test_columns_match_the_mapping():
    """The generator writes the file and columns the demo mapping names, in order."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["tenancy_risk"]
    assert ew.FILES == (mapping["file"],), f"FILES should be ({mapping['file']!r},)"
    assert list(_raw("Torfaen").columns) == list(mapping["columns"].values()), "columns should be the mapping's, in order"


def test_generator_is_deterministic():
    """The same generator state gives the same frame; another state gives another."""
    pd.testing.assert_frame_equal(_raw("Newport", 5), _raw("Newport", 5))
    assert not _raw("Newport", 5).equals(_raw("Newport", 6)), "another seed should give another file"


def test_volume_follows_population_and_scale():
    """About 3.3 lets a year per 1,000 residents; scale 3 triples them and keeps the years and areas."""
    for name in ("Cardiff", "Merthyr Tydfil"):
        frame = _raw(name)
        per_year = len(frame) / len(ew.PERIODS)
        expected = get_council(name).population_2021 * ew.LETS_PER_1000 / 1000
        assert 0.95 * expected < per_year < 1.1 * expected, f"{name}: {per_year:.0f} lets a year, expected about {expected:.0f}"
    one, three = _raw("Torfaen"), _raw("Torfaen", scale=3)
    assert 2.9 < len(three) / len(one) < 3.1, f"scale 3 should triple the tenancies: {len(one)} then {len(three)}"
    assert set(three["Year Let"]) == set(ew.PERIODS) and set(three["Housing Area"]) == {a for a, _ in ew.AREAS["Torfaen"]}
    assert three["Tenancy Ref"].is_unique, "references stay unique at larger scales"


def test_values_are_plausible(region):
    """Arrears and missed visits are non-negative, flags are Y/N, about one tenancy in eight fails."""
    assert (region["arrears"] >= 0).all() and (region["missed"] >= 0).all()
    assert region["age"].isin(ew.AGE_BANDS).all()
    rate = region["failed"].mean()
    assert 0.09 < rate < 0.18, f"about one tenancy in eight should fail, got {rate:.1%}"


def test_the_score_ranks_usefully_but_imperfectly(region):
    """A logistic regression on the four features ranks the later year better than chance, far from perfectly."""
    later = region[region["period"] == ew.PERIODS[1]]
    for name, rows in later.groupby("council"):
        auc = roc_auc_score(rows["failed"], rows["risk"])
        assert 0.6 < auc < 0.88, f"{name}: AUC {auc:.2f} on the later year"


def test_arrears_drift_between_the_years(region):
    """Arrears at week 13 rise by more than half a week in 2023-24 while the failure rate barely moves."""
    means = region.groupby("period")[["arrears", "uc", "failed"]].mean()
    assert means.loc["2023-24", "arrears"] - means.loc["2022-23", "arrears"] > 0.5, means
    assert means.loc["2023-24", "uc"] > means.loc["2022-23", "uc"], "more households claim Universal Credit"
    assert abs(means.loc["2023-24", "failed"] - means.loc["2022-23", "failed"]) < 0.03, "failures should barely change"
    flagged = region.groupby("period")["flag"].mean()
    assert flagged["2023-24"] > flagged["2022-23"] + 0.05, f"the same threshold should flag more in 2023-24: {flagged.to_dict()}"


def test_the_flag_works_worse_in_one_area(region):
    """Across the region the hard area's recall is lower and its risk under-predicted; its missed visits go unrecorded."""
    later = region[region["period"] == ew.PERIODS[1]]
    cases = later[later["failed"]]
    recall = cases.groupby("hard")["flag"].mean()
    assert recall[True] < recall[False] - 0.1, f"recall in the hard areas {recall[True]:.2f}, elsewhere {recall[False]:.2f}"
    ratio = later.groupby("hard").apply(lambda rows: rows["failed"].sum() / rows["risk"].sum(), include_groups=False)
    assert ratio[True] > ratio[False] + 0.2, f"observed / predicted {ratio.round(2).to_dict()}"
    missed = region.groupby("hard")["missed"].mean()
    assert missed[True] < 0.5 * missed[False], "missed visits should rarely be recorded in the hard area"


def test_young_contract_holders_get_more_false_alarms(region):
    """Among tenancies that did not fail, 16-24 year olds are flagged at least one and a half times as often."""
    later = region[(region["period"] == ew.PERIODS[1]) & ~region["failed"]]
    fpr = later.groupby(later["age"] == "16-24")["flag"].mean()
    assert fpr[True] > 1.5 * fpr[False], f"false positive rate 16-24 {fpr[True]:.2f}, others {fpr[False]:.2f}"


@pytest.mark.parametrize("council, rng, scale, error, word", [
    ("Torfaen", np.random.default_rng(0), 1.0, ValueError, "council"),
    (None, np.random.default_rng(0), 0, ValueError, "scale"),
    (None, np.random.default_rng(0), float("nan"), ValueError, "scale"),
    (None, np.random.default_rng(0), True, ValueError, "scale"),
    (None, 42, 1.0, TypeError, "rng"),
])
def test_generator_rejects_bad_arguments(council, rng, scale, error, word):
    """A council that is not a Council, a bad scale or a bad rng raise errors naming the argument."""
    with pytest.raises(error, match=word):
        ew.generate(get_council("Torfaen") if council is None else council, rng, scale)


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files are byte for byte what the generator writes with the default seed."""
    assert "early_warning" in GENERATORS, "early_warning should be a registered generator"
    written = write_generator_files("early_warning", tmp_path, seed=DEFAULT_SEED)
    assert len(written) == len(COUNCIL_NAMES), "one file per council"
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator: regenerate it"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's committed file loads and passes its schema, two years of tenancies, under 700 KB in all."""
    tenancies = curriculum.load("tenancy_risk", council=name)
    assert set(tenancies["period"]) == set(ew.PERIODS), f"{name} should have both years"
    assert tenancies.groupby("period")["failed"].sum().min() >= 10, f"{name} should have failures in each year"
    total = sum(p.stat().st_size for p in DEMO.glob("*/new_tenancies.csv"))
    assert total < 700_000, f"the generator's files take {total:,} bytes; keep them under 700 KB"
