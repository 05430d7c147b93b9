"""Tests of the demo stakeholders generator (curriculum.demo.stakeholders) and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.metrics import adjusted_rand_score

import curriculum
from curriculum import stakeholders as sh
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import stakeholders as gen

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
KINDS = {"stakeholders.csv": "stakeholders", "resident_survey.csv": "resident_survey", "connections.csv": "connections"}


def _files(name: str, seed: int = 1, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    return gen.generate(get_council(name), np.random.default_rng(seed), scale)


def test_files_and_columns_match_the_mapping():
    """The files and their columns are exactly those the demo mapping names, in order."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]
    assert gen.FILES == tuple(mapping[k]["file"] for k in KINDS.values()), "FILES should follow the mapping's files"
    files = _files("Torfaen")
    assert tuple(files) == gen.FILES, "generate should return the three files, in FILES order"
    for file, kind in KINDS.items():
        assert list(files[file].columns) == list(mapping[kind]["columns"].values()), f"{file}: columns should be the mapping's"


def test_generator_is_deterministic():
    """The same generator state gives the same files; another gives others."""
    first, again, other = _files("Newport", 5), _files("Newport", 5), _files("Newport", 6)
    for file in gen.FILES:
        pd.testing.assert_frame_equal(first[file], again[file])
    assert not first["resident_survey.csv"].equals(other["resident_survey.csv"]), "another seed should give other answers"


@pytest.mark.parametrize("name, respondents", [("Cardiff", 360), ("Merthyr Tydfil", 120), ("Rhondda Cynon Taf", 238)])
def test_survey_size_follows_population(name, respondents):
    """About one respondent per thousand residents, between 120 and 360."""
    assert gen.survey_size(get_council(name)) == respondents, f"{name} should have {respondents} respondents"
    assert len(_files(name)["resident_survey.csv"]) == respondents, f"{name}'s survey should have {respondents} rows"


def test_scale_multiplies_the_volume():
    """Scale 10 gives ten times the respondents and more people in the register, ids still unique."""
    small, big = _files("Torfaen"), _files("Torfaen", scale=10)
    assert len(big["resident_survey.csv"]) == 10 * len(small["resident_survey.csv"]), "ten times the respondents"
    assert len(big["stakeholders.csv"]) > len(small["stakeholders.csv"]) + 50, "more residents and volunteers in the register"
    assert big["resident_survey.csv"]["Response ID"].is_unique, "response ids stay unique"
    assert big["stakeholders.csv"]["Stakeholder"].is_unique, "stakeholder names stay unique"


@pytest.mark.parametrize("scale", [0, -1, float("nan"), "2", True])
def test_generate_rejects_bad_scale(scale):
    """A scale that is not a positive number raises ValueError naming scale."""
    with pytest.raises(ValueError, match="scale"):
        gen.generate(get_council("Torfaen"), np.random.default_rng(0), scale)


def test_generate_rejects_non_council():
    """A council that is not a Council raises ValueError naming council."""
    with pytest.raises(ValueError, match="council"):
        gen.generate("Torfaen", np.random.default_rng(0), 1.0)


def test_survey_answers_look_like_an_export():
    """Answers are words, with a few "Don't know" and blanks; postcodes are the council's districts."""
    survey = _files("Caerphilly")["resident_survey.csv"]
    answers = survey[list(gen.LIKERT_HEADINGS)].stack()
    assert set(answers) <= {*gen._AGREE, "Don't know", ""}, "answers should be the five agreement words, Don't know or blank"
    assert 0.01 < (answers == "Don't know").mean() < 0.06, "a few answers should be Don't know"
    districts = set(survey["Postcode district"]) - {""}
    assert districts <= set(gen._DISTRICTS["Caerphilly"]), f"Caerphilly districts only, got {districts}"
    assert survey[gen.CARE_QUESTION].str.startswith(("No", "Yes")).mean() > 0.95, "caring answers use the Census wording"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load_and_hold_the_planted_structure(name):
    """Every council's files load; quadrants, four segments and the three brokers are there to find."""
    people = curriculum.load("stakeholders", council=name)
    survey = curriculum.load("resident_survey", council=name)
    links = curriculum.load("connections", council=name)
    quadrants = sh.classify_quadrant(people["power"], people["interest"])
    assert set(quadrants) == set(sh.QUADRANTS), f"{name}: every quadrant should be populated"
    key = people[quadrants == "Manage closely"]
    assert (~key["stance"].isin(["Champion", "Supportive"])).sum() >= 1, f"{name}: some key player should need winning over"
    segmentation = sh.segment_respondents(survey, k_range=range(2, 7), seed=2026)
    assert segmentation.k == 4, f"{name}: the four planted segments should give the best silhouette, got k={segmentation.k}"
    assert segmentation.labels.value_counts().min() >= 15, f"{name}: every segment should have at least 15 respondents"
    graph = sh.build_network(people, links)
    top = sh.broker_table(graph, top=3)["role"].tolist()
    planted = sum(any(r.startswith(b) for b in gen.BROKER_ROLES) for r in top)
    assert planted >= 2, f"{name}: at least two of the planted brokers should be among the top three, got {top}"
    assert top[0].startswith("Local Area Coordinator"), f"{name}: the local area coordinator should be the top broker, got {top}"


def test_planted_segments_are_recovered():
    """On freshly generated data the segments match the planted ones closely (adjusted Rand index)."""
    rng = np.random.default_rng(99)
    survey = gen._survey(get_council("Cardiff"), rng, 1.0)
    agree = {word: i + 1.0 for i, word in enumerate(gen._AGREE)}
    answers = pd.DataFrame({col: survey[h].map(agree) for col, h in zip(sh.LIKERT_QUESTIONS, gen.LIKERT_HEADINGS)})
    answers["contacts_last_year"] = survey[gen.CONTACTS_QUESTION].astype(float)
    truth_rng = np.random.default_rng(99)  # the same stream: the first draw is the planted segments
    mix = np.asarray(gen._MIX["Cardiff"])
    truth = truth_rng.choice(len(gen.SEGMENTS), size=len(survey), p=mix / mix.sum())
    labels = sh.segment_respondents(answers, seed=1).labels
    ari = adjusted_rand_score(truth, labels)
    assert ari > 0.8, f"segments should recover the planted ones (ARI {ari:.2f})"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files are byte for byte what the generator writes with the default seed, under 1 MB."""
    assert "stakeholders" in GENERATORS, "stakeholders should be a registered generator"
    written = write_generator_files("stakeholders", tmp_path, seed=DEFAULT_SEED)
    assert len(written) == 3 * len(COUNCIL_NAMES), "three files per council"
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator: regenerate it"
    total = sum(p.stat().st_size for f in gen.FILES for p in DEMO.glob(f"*/{f}"))
    assert total < 1_000_000, f"the files take {total:,} bytes; keep them under 1 MB"
