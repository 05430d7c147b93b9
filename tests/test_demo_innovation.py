"""Tests of the innovation proposals demo generator (curriculum.demo.innovation)."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

import curriculum
from curriculum import innovation as inn
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.datasets import demo_dir
from curriculum.demo import DEFAULT_SEED, GENERATORS
from curriculum.demo import innovation as demo


def _rng(council: str) -> np.random.Generator:
    """The random stream write_demo_data gives a council's innovation generator."""
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(council), GENERATORS.index("innovation")])


@pytest.fixture(scope="module")
def loaded() -> dict[str, pd.DataFrame]:
    """Every council's demo proposals, loaded through the mapping."""
    return {c: curriculum.load("innovation_proposals", council=c) for c in COUNCIL_NAMES}


def test_files_and_columns():
    """The generator writes one file with the published columns, flags as Yes/No."""
    frame = demo.generate(get_council("Newport"), _rng("Newport"), 1.0)["innovation_proposals.csv"]
    assert demo.FILES == ("innovation_proposals.csv",), "FILES names the one file written"
    assert list(frame.columns) == list(demo.COLUMNS), f"columns are {list(frame.columns)}"
    assert frame["SME"].isin(["Yes", "No"]).all() and frame["Registered in Wales"].isin(["Yes", "No"]).all()
    assert frame["Application Ref"].str.startswith("NCC-SBRI-").all(), "references carry the council's prefix"


def test_deterministic_and_scaled():
    """The same rng gives the same file; scale 3 gives three times the competitions, each of 10-20 proposals."""
    council = get_council("Torfaen")
    first = demo.generate(council, np.random.default_rng(5), 1.0)["innovation_proposals.csv"]
    again = demo.generate(council, np.random.default_rng(5), 1.0)["innovation_proposals.csv"]
    pd.testing.assert_frame_equal(first, again)
    big = demo.generate(council, np.random.default_rng(5), 3.0)["innovation_proposals.csv"]
    assert first["Challenge"].nunique() == 2, "two competitions at scale 1"
    assert big["Challenge"].nunique() == 6, "six competitions at scale 3"
    sizes = big.groupby("Challenge", sort=False).size()
    assert sizes.between(10, 20).all(), f"10-20 proposals per competition, got {sizes.tolist()}"
    assert sizes.iloc[0] > sizes.iloc[1:].max(), "the first competition has the most proposals"


def test_every_council_loads_with_one_budget_per_competition(loaded):
    """Each council's file passes the schema; each competition has one phase-1 budget, below what was asked."""
    for council, frame in loaded.items():
        assert set(frame["council"]) == {council}
        per = frame.groupby("challenge").agg(budgets=("phase1_budget", "nunique"), budget=("phase1_budget", "first"),
                                             asked=("phase1_cost", "sum"), n=("proposal_id", "size"))
        assert (per["budgets"] == 1).all(), council
        assert (per["budget"] < per["asked"]).all(), f"{council}: the budget must not fund every proposal"
        assert frame["phase1_cost"].between(25_000, 100_000).all(), f"{council}: phase-1 contracts up to £100k"
        assert frame["phase2_cost"].between(450_000, 1_000_000).all(), f"{council}: demonstrations £450k-£1m"
        assert (frame["value_if_success"] > frame["phase2_cost"]).all(), f"{council}: every benefit exceeds its demonstration"


def _check_planted(council: str, frame: pd.DataFrame) -> None:
    """Assert the three planted structures in every competition of a loaded proposals table."""
    for challenge, group in frame.groupby("challenge", sort=False):
        g = group.set_index("proposal_id")
        costs, budget = g["phase1_cost"], float(g["phase1_budget"].iloc[0])
        ev = inn.expected_values(g)
        scores = inn.score_proposals(g)["score"]
        best = inn.allocate_budget(costs, ev, budget)
        greedy = inn.greedy_allocation(costs, scores.reindex(costs.index), budget)
        assert ev[greedy].sum() <= 0.9 * ev[best].sum(), f"{council}, {challenge}: top scores too close to the optimum"
        assert scores.index[0] != ev.idxmax(), f"{council}, {challenge}: the best score is also the best EV"
        gate = inn.stage_gate_value(g, list(best.index[best]), slots=1)
        assert gate.two_stage > gate.direct, f"{council}, {challenge}: straight to demonstration beats staging"


def test_planted_structures_in_every_competition(loaded):
    """Top scores get at most 90% of the best portfolio's EV; the best score is not the best EV; staging pays."""
    for council, frame in loaded.items():
        _check_planted(council, frame)


def test_scale_keeps_the_structures(tmp_path):
    """At ten times the volume there are twenty competitions, each still carrying the planted structures."""
    frame = demo.generate(get_council("Cardiff"), _rng("Cardiff"), 10.0)["innovation_proposals.csv"]
    assert frame["Challenge"].nunique() == 20, "twenty competitions at scale 10"
    assert frame["Application Ref"].is_unique, "references are unique"
    assert frame.groupby("Challenge")["Lead Organisation"].apply(lambda s: s.is_unique).all(), "one proposal per bidder"
    folder = tmp_path / "cardiff"
    folder.mkdir()
    frame.to_csv(folder / "innovation_proposals.csv", index=False)
    shutil.copy(demo_dir("Cardiff").parent / "mapping.yaml", tmp_path / "mapping.yaml")
    _check_planted("Cardiff x10", curriculum.load("innovation_proposals", council="Cardiff", data_dir=folder))


@pytest.mark.parametrize("council, rng, scale, error", [
    ("Newport", "not an rng", 1.0, TypeError),
    ("Newport", None, 0, ValueError),
    ("Newport", None, -1.0, ValueError),
])
def test_bad_arguments(council, rng, scale, error):
    """Bad rng or scale raise errors naming them."""
    with pytest.raises(error, match="rng|scale"):
        demo.generate(get_council(council), np.random.default_rng(1) if rng is None else rng, scale)


def test_council_must_be_a_council():
    """A name instead of a Council is refused."""
    with pytest.raises(TypeError, match="council"):
        demo.generate("Newport", np.random.default_rng(1), 1.0)
