"""Tests of the demo evaluation summaries generator (curriculum.demo.evaluation_summaries) and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import evaluation_summaries as gen
from curriculum.evidence import effect_interval, evidence_level

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"


def _run_rng(name: str, seed: int = DEFAULT_SEED) -> np.random.Generator:
    """The generator state a demo-data run gives this council's evaluation summaries."""
    return np.random.default_rng([seed, COUNCIL_NAMES.index(name), GENERATORS.index("evaluation_summaries")])


def _files(name: str, seed: int = DEFAULT_SEED, scale: float = 1.0) -> pd.DataFrame:
    return gen.generate(get_council(name), _run_rng(name, seed), scale)["evaluation_summaries.csv"]


@pytest.fixture(scope="module")
def loaded() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Each council's committed shortlist and evaluation summaries, loaded through the mapping."""
    return {name: (curriculum.load("candidate_solutions", council=name), curriculum.load("evaluation_summaries", council=name))
            for name in COUNCIL_NAMES}


def test_columns_match_the_mapping():
    """The file and its columns are exactly those the demo mapping names, in order."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["evaluation_summaries"]
    assert gen.FILES == (mapping["file"],), "FILES should follow the mapping"
    assert list(_files("Torfaen").columns) == list(mapping["columns"].values()), "columns should be the mapping's, in order"


def test_generator_is_deterministic():
    """The same generator state gives the same file; another seed gives another."""
    pd.testing.assert_frame_equal(_files("Newport"), _files("Newport"))
    assert not _files("Newport").equals(_files("Newport", seed=5)), "another run should give other summaries"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed files equal what the generator writes for the default seed."""
    write_generator_files("evaluation_summaries", tmp_path)
    for name in COUNCIL_NAMES:
        slug = get_council(name).slug
        committed = (DEMO / slug / "evaluation_summaries.csv").read_bytes()
        assert committed == (tmp_path / slug / "evaluation_summaries.csv").read_bytes(), f"{name}'s file differs"


def test_files_are_small():
    """The ten councils' files stay well under the 200 KB a senior module may add."""
    size = sum((DEMO / get_council(n).slug / "evaluation_summaries.csv").stat().st_size for n in COUNCIL_NAMES)
    assert size < 100_000, f"{size} bytes"


def test_every_option_has_studies_and_ids_match(loaded):
    """Every option on each shortlist has at least one study, and every study belongs to an option on it."""
    for name, (shortlist, studies) in loaded.items():
        assert set(studies["solution_id"]) == set(shortlist["solution_id"]), f"{name}: option IDs should match"
        assert studies["evaluation_id"].is_unique


def test_studies_support_exactly_the_recorded_level(loaded):
    """The planted structure: each option's studies support the Nesta level the shortlist records."""
    for name, (shortlist, studies) in loaded.items():
        for option, level in zip(shortlist["solution_id"], shortlist["evidence_level"]):
            assert evidence_level(studies[studies["solution_id"] == option]) == level, f"{name} {option}"


def test_every_council_has_a_controlled_study_whose_range_includes_zero(loaded):
    """Question 2 needs a comparison-group or randomised study whose range includes zero in every council."""
    for name, (_, studies) in loaded.items():
        controlled = studies["design"].isin(["Comparison group", "Randomised trial"])
        through_zero = (studies["ci_low"] <= 0) & (studies["ci_high"] >= 0)
        assert (controlled & through_zero).any(), name


def test_ranges_agree_with_participants():
    """A published study's range is the statsmodels range for its participants and rates (counts rebuilt by hand)."""
    study = gen.STUDIES["fgc"][0]
    half = study["n"] // 2
    effect, low, high = effect_interval(round(half * (study["p0"] + study["effect"] / 100)), half,
                                        round(half * study["p0"]), half)
    rows = _files("Cardiff")
    row = rows[rows["Study"] == study["study"]]
    if len(row):
        assert row["95% CI Lower"].iloc[0] == f"{low:.1f}" and row["95% CI Upper"].iloc[0] == f"{high:.1f}"
    assert low > 0, "the family group conferencing trial's range is planted above zero"


def test_provider_figures_are_uncontrolled_and_not_independent(loaded):
    """The provider's own figures are before-and-after studies, never independent, and bigger than the trials."""
    studies = pd.concat([s for _, s in loaded.values()])
    own = studies[studies["study"].str.startswith("Provider's own")]
    assert len(own) > 0 and (own["design"] == "Before and after").all() and not own["independent"].any()
    trials = studies[studies["design"].isin(["Comparison group", "Randomised trial"])]
    assert own["effect"].median() > trials["effect"].median(), "uncontrolled figures should flatter"


def test_scale_grows_the_studies_with_the_shortlist():
    """Scale 3 gives about three times the studies (the shortlist grows with further providers)."""
    one, three = len(_files("Bridgend")), len(_files("Bridgend", scale=3))
    assert 2.2 < three / one < 3.8, f"{one} studies at scale 1, {three} at scale 3"


@pytest.mark.parametrize("council, scale, match", [
    ("Cardiff", 0, "scale must be a positive number"),
    ("Cardiff", "2", "scale must be a positive number"),
    ("Calderdale", 1, "council must be one of the ten CCR councils"),
])
def test_generate_rejects_bad_arguments(council, scale, match):
    """A council outside the region or a scale that is not positive is refused, naming the argument."""
    who = get_council(council) if council in COUNCIL_NAMES else council
    with pytest.raises(ValueError, match=match):
        gen.generate(who, np.random.default_rng(1), scale)
