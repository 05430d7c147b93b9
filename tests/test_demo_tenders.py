"""Tests of the tender bids demo generator (curriculum.demo.tenders)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import curriculum
from curriculum import tenders
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS
from curriculum.demo import tenders as demo


def _rng(council: str) -> np.random.Generator:
    """The random stream write_demo_data gives a council's tenders generator."""
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(council), GENERATORS.index("tenders")])


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """Every council's demo bids, loaded and turned into one row per bid."""
    return {c: tenders.bid_table(curriculum.load("tender_bids", council=c)) for c in COUNCIL_NAMES}


def test_files_and_columns():
    """The generator writes one file with the published columns, all as text."""
    frame = demo.generate(get_council("Newport"), _rng("Newport"), 1.0)["tender_bids.csv"]
    assert demo.FILES == ("tender_bids.csv",), "FILES names the one file written"
    assert list(frame.columns) == list(demo.COLUMNS), f"columns are {list(frame.columns)}"
    assert frame["SME"].isin(["Yes", "No"]).all(), "SME is Yes or No"


def test_deterministic_and_scaled():
    """The same rng gives the same file; scale 3 gives about three times the lots."""
    council = get_council("Torfaen")
    first = demo.generate(council, np.random.default_rng(5), 1.0)["tender_bids.csv"]
    again = demo.generate(council, np.random.default_rng(5), 1.0)["tender_bids.csv"]
    pd.testing.assert_frame_equal(first, again)
    big = demo.generate(council, np.random.default_rng(5), 3.0)["tender_bids.csv"]
    assert first["Tender Reference"].nunique() == 4, "four lots at scale 1"
    assert big["Tender Reference"].nunique() == 12, "twelve lots at scale 3"


def test_every_lot_has_three_to_seven_bids(tables):
    """Each lot has 3-7 bids, one price weight and one estimate."""
    for council, table in tables.items():
        per_lot = table.groupby("tender_reference").agg(bids=("bidder", "size"), weights=("price_weight", "nunique"),
                                                         estimates=("estimate", "nunique"))
        assert per_lot["bids"].between(3, 7).all(), f"{council}: {per_lot['bids'].tolist()}"
        assert (per_lot[["weights", "estimates"]] == 1).all().all(), council


def test_planted_rank_reversal(tables):
    """In every council the fleet lot has a withdrawal that changes the winner under relative scoring only."""
    for council, table in tables.items():
        fleet = table[table["tender_title"].str.startswith("Fleet")].set_index("bidder")
        args = (fleet["price"], fleet["quality"], float(fleet["price_weight"].iloc[0]))
        reversals = tenders.rank_reversals(*args)
        assert reversals["winner_changes"].any(), f"{council}: no winner-changing reversal in the fleet lot"
        assert (reversals["withdrawn"] == fleet["price"].idxmin()).all(), f"{council}: the cheapest bid withdraws"
        bench = tenders.rank_reversals(*args, method="benchmark", estimate=float(fleet["estimate"].iloc[0]))
        assert bench.empty, f"{council}: benchmark scoring should not reverse"


def test_exactly_one_abnormally_low_bid(tables):
    """Each council has exactly one bid flagged abnormally low, in the highways lot."""
    for council, table in tables.items():
        flagged = []
        for ref, lot in table.groupby("tender_reference"):
            flags = tenders.abnormally_low(lot.set_index("bidder")["price"], float(lot["estimate"].iloc[0]))
            flagged += [(ref, b) for b in flags.index[flags["flag"]]]
        assert len(flagged) == 1, f"{council}: flagged {flagged}"
        lot = table[table["tender_reference"] == flagged[0][0]]
        assert lot["tender_title"].iloc[0].startswith("Highways"), f"{council}: the low bid is in {lot['tender_title'].iloc[0]}"
        bid = lot[lot["bidder"] == flagged[0][1]].iloc[0]
        assert bid["price"] < 0.7 * bid["estimate"] + 0.01, f"{council}: the low bid is {bid['price'] / bid['estimate']:.0%}"


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
