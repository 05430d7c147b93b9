"""Tests of the demo candidate solutions generator (curriculum.demo.solutions) and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import decisions as dec
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import solutions as gen

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"


def _files(name: str, seed: int = 1, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    return gen.generate(get_council(name), np.random.default_rng(seed), scale)


@pytest.fixture(scope="module")
def region() -> pd.DataFrame:
    """All ten councils' generated candidates, as written."""
    return pd.concat([_files(name, seed=i)["candidate_solutions.csv"].assign(council=name)
                      for i, name in enumerate(COUNCIL_NAMES)], ignore_index=True)


@pytest.fixture(scope="module")
def evaluated() -> pd.DataFrame:
    """The committed files of every council, screened and evaluated as the module does."""
    rows = []
    for name in COUNCIL_NAMES:
        candidates = curriculum.load("candidate_solutions", council=name)
        weights = curriculum.load("criteria_weights", council=name)
        criteria = list(weights["criterion"])
        directions = dict(zip(weights["criterion"], weights["direction"]))
        keep = candidates[(candidates["evidence_level"] >= gen.MINIMUM_EVIDENCE) & candidates["meets_constraints"].fillna(True)]
        matrix = keep.set_index("solution")[criteria]
        normalised = dec.normalise(matrix, directions)
        sim = dec.simulate_weights(normalised, weights.set_index("criterion")["weight"], seed=2026)
        ranked = sim.base
        rows.append({"council": name, "options": len(candidates), "screened": len(matrix),
                     "gap": ranked["score"].iloc[0] - ranked["score"].iloc[1],
                     "leader_wins": sim.win_share[ranked.index[0]],
                     "dominated": int(dec.dominance(matrix, directions)["dominated"].sum()),
                     "fails": int((candidates["meets_constraints"] == False).sum()),
                     "unassessed": int(candidates["meets_constraints"].isna().sum())})
    return pd.DataFrame(rows).set_index("council")


def test_columns_match_the_mapping():
    """The files and their columns are exactly those the demo mapping names."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]
    assert gen.FILES == (mapping["candidate_solutions"]["file"], mapping["criteria_weights"]["file"]), "FILES should follow the mapping"
    files = _files("Torfaen")
    assert list(files["candidate_solutions.csv"].columns) == list(mapping["candidate_solutions"]["columns"].values()), \
        "candidate columns should be the mapping's, in order"
    assert set(files["criteria_weights.csv"].columns) == set(mapping["criteria_weights"]["columns"].values()), \
        "weight columns should be the mapping's"
    recoded = mapping["criteria_weights"]["values"]["criterion"]
    assert set(recoded) == set(files["criteria_weights.csv"]["Criterion"]), "every published criterion should be recoded"
    assert set(recoded.values()) == {c[0] for c in gen.CRITERIA}, "criteria should map onto candidate columns"


def test_generator_is_deterministic():
    """The same generator state gives the same files; another gives others."""
    a, b, c = _files("Newport", 5), _files("Newport", 5), _files("Newport", 6)
    for file in gen.FILES:
        pd.testing.assert_frame_equal(a[file], b[file])
    assert not a["candidate_solutions.csv"].equals(c["candidate_solutions.csv"]), "another seed should give another shortlist"


def test_scale_multiplies_the_shortlist():
    """Scale 3 gives three times the options, with unique ids and names (further providers)."""
    big = _files("Cardiff", scale=3)["candidate_solutions.csv"]
    assert len(big) == 21, f"seven options times 3 should be 21, got {len(big)}"
    assert big["Option ID"].is_unique and big["Solution"].is_unique, "ids and names should stay unique"
    assert len(_files("Cardiff", scale=0.1)["candidate_solutions.csv"]) == 4, "a shortlist keeps at least four options"


@pytest.mark.parametrize("scale", [0, -1, float("nan"), "2", True])
def test_generate_rejects_bad_scale(scale):
    """A scale that is not a positive number raises ValueError naming scale."""
    with pytest.raises(ValueError, match="scale"):
        gen.generate(get_council("Torfaen"), np.random.default_rng(0), scale)


def test_generate_rejects_non_council():
    """A council that is not a Council raises ValueError naming council."""
    with pytest.raises(ValueError, match="council"):
        gen.generate("Torfaen", np.random.default_rng(0), 1.0)


def test_values_are_in_range(region):
    """Evidence levels follow the literature; costs, fit and risk are in range; one level-1 idea per council."""
    levels = region.groupby("Solution")["Nesta Evidence Level"].nunique()
    assert (levels == 1).all(), "a solution's evidence level should be the same in every council"
    assert region["Nesta Evidence Level"].between(1, 5).all(), "Nesta levels run from 1 to 5"
    assert (region.groupby("council")["Nesta Evidence Level"].apply(lambda s: (s == 1).sum()) == 1).all(), \
        "each shortlist should hold one level-1 idea"
    assert (region["Cost per Participant (GBP)"] > 0).all(), "costs should be positive"
    assert region["Local Fit (0-10)"].astype(float).between(0, 10).all(), "fit should lie from 0 to 10"
    assert region["Implementation Risk (1-5)"].between(1, 5).all(), "risk should lie from 1 to 5"
    assert set(region["Meets Must-haves"]) <= {"Yes", "No", ""}, "must-haves should be Yes, No or blank"
    blocked = region[region["Meets Must-haves"] == "No"]
    assert blocked["What Cannot Change"].str.contains("Not possible here yet").all(), "a failed must-have should say why"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_weights_are_a_steering_group_split(name):
    """Weights are multiples of 5, at least 5, adding up to 100."""
    weights = _files(name)["criteria_weights.csv"]["Weight (%)"]
    assert weights.sum() == 100, f"{name}: weights should add up to 100, got {weights.sum()}"
    assert (weights % 5 == 0).all() and (weights >= 5).all(), f"{name}: weights should be multiples of 5, at least 5"


def test_planted_closeness(evaluated):
    """The winner depends on the weights in the close councils and clearly not elsewhere."""
    close = evaluated.index.isin(sorted(gen.CLOSE_COUNCILS))
    assert (evaluated.loc[close, "leader_wins"] < 0.65).all(), \
        f"close councils' leaders should win under 65% of draws: {evaluated.loc[close, 'leader_wins'].round(2).to_dict()}"
    assert (evaluated.loc[~close, "leader_wins"] > 0.7).all(), \
        f"other leaders should win over 70% of draws: {evaluated.loc[~close, 'leader_wins'].round(2).to_dict()}"
    assert (evaluated["gap"] > 0.002).all(), "no exact ties with the agreed weights"
    assert "Cardiff" in gen.CLOSE_COUNCILS, "the default council should show the interesting case"


def test_planted_screening_and_dominance(evaluated):
    """Screens remove options; some options fail or await the must-haves; most shortlists hold a dominated option."""
    assert (evaluated["screened"] < evaluated["options"]).all(), "the evidence floor should remove the level-1 idea"
    assert (evaluated["screened"] >= 4).all(), "at least four options should survive the screens"
    assert (evaluated["fails"] > 0).sum() >= 3, "several councils should have an option that fails a must-have"
    assert (evaluated["unassessed"] > 0).sum() >= 2, "some councils should have an option not yet assessed"
    assert (evaluated["dominated"] > 0).sum() >= 6, "most shortlists should hold a dominated option"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files are byte for byte what the generator writes with the default seed."""
    assert "solutions" in GENERATORS, "solutions should be a registered generator"
    written = write_generator_files("solutions", tmp_path, seed=DEFAULT_SEED)
    assert len(written) == 2 * len(COUNCIL_NAMES), "two files per council"
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator: regenerate it"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's committed files load and pass their schemas, within 1 MB in all."""
    candidates = curriculum.load("candidate_solutions", council=name)
    weights = curriculum.load("criteria_weights", council=name)
    assert len(candidates) == 7 and set(candidates["council"]) == {name}, f"{name} should have seven options"
    assert set(weights["criterion"]) <= set(candidates.columns), "every criterion should be a candidate column"
    assert candidates["meets_constraints"].dtype == "boolean", "must-haves should load as a nullable boolean"
    total = sum(p.stat().st_size for f in gen.FILES for p in DEMO.glob(f"*/{f}"))
    assert total < 1_000_000, f"the files take {total:,} bytes; keep them under 1 MB"
