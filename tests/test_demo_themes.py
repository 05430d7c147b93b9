"""Tests of the theme-scoring demo generator and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import themes as gen
from curriculum.themes import default_weights, rank_themes, score_matrix, swap_threshold, theme_sensitivity

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"


def _files(council: str = "Cardiff", scale: float = 1.0, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    g = GENERATORS.index("themes")
    return gen.generate(get_council(council), np.random.default_rng([seed, COUNCIL_NAMES.index(council), g]), scale)


def test_files_and_columns_match_the_mapping():
    """The generator writes the files it declares, with exactly the columns mapping.yaml reads."""
    files = _files()
    assert tuple(files) == gen.FILES
    assert list(files["theme_scoring.csv"].columns) == list(gen.SCORE_COLUMNS)
    assert list(files["theme_outputs.csv"].columns) == list(gen.OUTPUT_COLUMNS)
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]
    sources = mapping["theme_scores"]["sources"]
    assert [s["constants"]["criterion"] for s in sources] == list(gen.CRITERIA), "one source per criterion, in order"
    assert all(s["columns"]["score"] == s["constants"]["criterion"] for s in sources), "each source reads its own column"
    assert set(mapping["theme_questions"]["values"]["kind"]) == set(files["theme_outputs.csv"]["Type"]), "every Type recoded"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files equal a fresh run of the generator."""
    for path in write_generator_files("themes", tmp_path):
        committed = DEMO / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator's output"


def test_demo_files_are_small():
    """The theme files of the ten councils stay well under 200 KB together."""
    size = sum((DEMO / get_council(c).slug / f).stat().st_size for c in COUNCIL_NAMES for f in gen.FILES)
    assert size < 200 * 1024, f"theme files take {size / 1024:.0f} KB"


@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_every_council_loads_with_whole_scores_and_one_abstention(council):
    """Eight themes by nine criteria by six members; scores are whole numbers 1-5; one member skips one theme."""
    scores = curriculum.load("theme_scores", council=council)
    assert scores["theme"].nunique() == len(gen.THEMES) and scores["criterion"].nunique() == len(gen.CRITERIA)
    assert scores["scorer"].nunique() == gen.panel_size(1.0) == 6
    assert len(scores) == 8 * 9 * 6
    known = scores["score"].dropna()
    assert known.between(1, 5).all() and (known == known.round()).all()
    blank = scores[scores["score"].isna()]
    assert len(blank) == len(gen.CRITERIA) and blank[["theme", "scorer"]].drop_duplicates().shape[0] == 1, (
        "exactly one member abstains on one theme, on every criterion")
    questions = curriculum.load("theme_questions", council=council)
    per_theme = questions.groupby(["theme", "kind"]).size().unstack()
    assert (per_theme["measure of success"] == 2).all() and (per_theme["big question"] >= 5).all()


@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_the_planted_race_is_close(council):
    """The council's two race themes lead with the default weights, a modest change of weights swaps them."""
    matrix = score_matrix(curriculum.load("theme_scores", council=council))
    weights = default_weights(matrix.columns)
    ranking = rank_themes(matrix, weights)
    assert set(ranking.index[:2]) == set(gen.RACES[council]), f"{council}: {ranking.index[:2].tolist()} lead"
    assert 0 < ranking["behind"].iloc[1] <= 0.2, "a close race on the 1-5 scale"
    assert ranking["behind"].iloc[2] - ranking["behind"].iloc[1] > 0.1, "the third theme is clearly behind"
    swap = swap_threshold(matrix, weights)
    assert 0 < swap["moved"] < 0.06 and swap["first_at_swap"] == swap["runner_up"], "a few points of weight swap them"
    leader_share = theme_sensitivity(matrix, weights, n=2000).loc[ranking.index[0], "p_first"]
    assert 0.5 < leader_share < 0.9, f"{council}: the leader wins {leader_share:.0%} of random weightings"


@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_one_split_verdict(council):
    """Another theme's procurement spend is scored 1 by half the panel and 5 by the other half."""
    scores = curriculum.load("theme_scores", council=council)
    spend = scores[scores["criterion"] == gen.SPLIT_CRITERION].groupby("theme")["score"]
    split = [t for t, s in spend if set(s.dropna()) == {1.0, 5.0}]
    assert len(split) == 1 and split[0] not in gen.RACES[council]


def test_scale_multiplies_the_panel_and_keeps_the_rest():
    """Scale 10 gives sixty members; themes, criteria and the outputs file are unchanged."""
    small, big = _files(scale=1.0), _files(scale=10.0)
    assert big["theme_scoring.csv"]["Panel member"].nunique() == 60 == gen.panel_size(10)
    assert len(big["theme_scoring.csv"]) == 10 * len(small["theme_scoring.csv"])
    assert set(big["theme_scoring.csv"]["Theme"]) == set(gen.THEMES)
    assert len(big["theme_outputs.csv"]) == len(small["theme_outputs.csv"])


def test_generation_is_deterministic():
    """The same seed gives the same files; another seed gives other scores."""
    pd.testing.assert_frame_equal(_files()["theme_scoring.csv"], _files()["theme_scoring.csv"])
    assert not _files(seed=1)["theme_scoring.csv"].equals(_files()["theme_scoring.csv"])


@pytest.mark.parametrize("council, scale, match", [("Calderdale", 1.0, "one of the ten CCR councils"),
                                                   ("Cardiff", 0, "scale must be a positive number")])
def test_generate_refuses_bad_arguments(council, scale, match):
    """A council outside the region or a non-positive scale is refused, naming the argument."""
    target = get_council("Cardiff") if council == "Cardiff" else council
    with pytest.raises(ValueError, match=match):
        gen.generate(target, np.random.default_rng(1), scale)
