"""Tests of curriculum.tenders: price scoring, combined scores, rank reversal and abnormally low bids."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest

import curriculum
from curriculum import decisions, tenders
from curriculum.councils import COUNCIL_NAMES

PRICES = pd.Series({"A": 82.0, "B": 100.0, "C": 115.0})
QUALITY = pd.Series({"A": 0.5, "B": 0.7, "C": 0.78})


def test_relative_and_min_max_match_their_formulas():
    """Relative scores are lowest / price and min-max scores (max - p) / (max - min), computed by hand."""
    rng = np.random.default_rng(3)
    prices = pd.Series(rng.uniform(50, 150, 6), index=list("abcdef"))
    rel = tenders.price_scores(prices, "relative")
    mm = tenders.price_scores(prices, "min-max")
    assert np.allclose(rel, prices.min() / prices), "relative scores should be lowest price / bid price"
    assert np.allclose(mm, (prices.max() - prices) / (prices.max() - prices.min())), "min-max should run from 1 to 0"
    assert rel.name == "price_score" and list(rel.index) == list(prices.index), "scores keep the bidders' order"


def test_absolute_and_benchmark_do_not_depend_on_other_bids():
    """Absolute and benchmark scores follow their formulas and do not move when a bid is added."""
    prices = pd.Series({"A": 60.0, "B": 90.0, "C": 100.0, "D": 125.0, "E": 140.0})
    absolute = tenders.price_scores(prices, "absolute", estimate=100.0)
    assert np.allclose(absolute, [1.0, 1.0, 1.0, 0.8, 100 / 140]), "absolute is estimate / price, capped at 1"
    bench = tenders.price_scores(prices, "benchmark", estimate=100.0, band=0.3)
    expected = np.clip(0.5 + (100.0 - prices) / (2 * 0.3 * 100.0), 0, 1)
    assert np.allclose(bench, expected), "benchmark is 0.5 at the estimate, 1 at 70% of it and 0 at 130%"
    assert bench["C"] == 0.5, "a bid at the estimate scores 0.5"
    more = pd.concat([prices, pd.Series({"F": 30.0})])
    for method in ("absolute", "benchmark"):
        again = tenders.price_scores(more, method, estimate=100.0).drop("F")
        assert np.allclose(again, tenders.price_scores(prices, method, estimate=100.0)), f"{method} moved with a new bid"


def test_combined_scores_agree_with_a_hand_computation():
    """The weighted total equals w * price score + (1 - w) * quality, best first."""
    table = tenders.combined_scores(PRICES, QUALITY, 40)
    hand = 0.4 * PRICES.min() / PRICES + 0.6 * QUALITY
    assert np.allclose(table["score"], hand[table.index]), "score should be 0.4 * price score + 0.6 * quality"
    assert table.index[0] == hand.idxmax() == "C", "the highest score ranks first"
    assert table["rank"].tolist() == [1, 2, 3], "ranks run from 1"
    share = tenders.combined_scores(PRICES, QUALITY, 0.4)
    pd.testing.assert_frame_equal(table, share), "a share and a percentage give the same result"


def test_rank_reversal_matches_brute_force():
    """rank_reversals finds exactly the pair flips a brute-force rescoring finds, on random tenders."""
    rng = np.random.default_rng(11)
    found_any = False
    for trial in range(60):
        n = int(rng.integers(3, 6))
        names = [f"bid{i}" for i in range(n)]
        prices = pd.Series(rng.uniform(70, 140, n), index=names)
        quality = pd.Series(rng.uniform(0.3, 0.9, n), index=names)
        weight = float(rng.uniform(20, 70))
        got = {(r.withdrawn, r.ahead, r.behind) for r in tenders.rank_reversals(prices, quality, weight).itertuples()}
        expected = set()
        w = weight / 100
        full = w * prices.min() / prices + (1 - w) * quality
        for out in names:
            rest = [x for x in names if x != out]
            sub = w * prices[rest].min() / prices[rest] + (1 - w) * quality[rest]
            for a, b in combinations(rest, 2):
                if (full[a] - full[b]) * (sub[a] - sub[b]) < 0:
                    expected.add((out, a, b) if full[a] > full[b] else (out, b, a))
        assert got == expected, f"trial {trial}: found {got}, brute force {expected}"
        found_any |= bool(expected)
    assert found_any, "random tenders should include some reversals"


def test_the_textbook_reversal():
    """Withdrawing the cheapest bid hands the win from C to B under relative scoring, but not under benchmark."""
    table = tenders.rank_reversals(PRICES, QUALITY, 40)
    assert table[["withdrawn", "ahead", "behind"]].values.tolist() == [["A", "C", "B"]], "A's withdrawal swaps C and B"
    assert table["winner_changes"].all(), "C wins with A in, so the winner changes"
    assert (table["gap_with"] > 0).all() and (table["gap_without"] < 0).all(), "gaps change sign"
    assert tenders.rank_reversals(PRICES, QUALITY, 40, "benchmark", estimate=100.0).empty, "benchmark never reverses"
    assert list(tenders.rank_reversals(PRICES.iloc[:2], QUALITY.iloc[:2], 40).columns) == [
        "withdrawn", "ahead", "behind", "gap_with", "gap_without", "winner_changes"], "an empty result keeps its columns"


def test_switch_point_matches_the_closed_form():
    """The price weight at which B overtakes C (decisions.switch_points) equals the closed-form crossing."""
    matrix = tenders.evaluation_matrix(PRICES, QUALITY)
    switch = decisions.switch_points(matrix, {"price": 40, "quality": 60})
    # score_C(t) = score_B(t): t * pC + (1 - t) * qC = t * pB + (1 - t) * qB
    pb, pc = matrix.loc["B", "price"], matrix.loc["C", "price"]
    t = (QUALITY["C"] - QUALITY["B"]) / ((pb - pc) + (QUALITY["C"] - QUALITY["B"]))
    assert switch.loc["price", "leader"] == "C"
    assert np.isclose(switch.loc["price", "upper"], t), f"switch at {switch.loc['price', 'upper']}, closed form {t}"
    assert switch.loc["price", "rival_above"] == "B"


def test_price_per_quality_point():
    """Price per quality point is price / (quality * points), infinite for no quality."""
    per = tenders.price_per_quality_point(pd.Series({"A": 90.0, "B": 120.0, "C": 50.0}),
                                          pd.Series({"A": 0.6, "B": 0.8, "C": 0.0}))
    assert np.allclose(per[["A", "B"]], [1.5, 1.5]) and np.isinf(per["C"]), f"got {per.tolist()}"


def test_abnormally_low_rules():
    """A bid is flagged below 80% of the estimate or below 70% of the other bids' median, and only then."""
    prices = pd.Series({"A": 60.0, "B": 95.0, "C": 105.0, "D": 78.0})
    table = tenders.abnormally_low(prices, estimate=100.0)
    assert table["flag"].tolist() == [True, False, False, True], f"got {table['flag'].tolist()}"
    assert np.isclose(table.loc["A", "share_of_median"], 60 / 95), "the median leaves the bid itself out"
    no_estimate = tenders.abnormally_low(prices)
    assert no_estimate["flag"].tolist() == [True, False, False, False], "without an estimate only the median rule applies"
    assert no_estimate["share_of_estimate"].isna().all()
    assert not tenders.abnormally_low(pd.Series({"solo": 10.0}))["flag"].any(), "a single bid has no median to compare"


def test_bid_table_and_quality_on_demo_data():
    """bid_table gives one row per bid whose quality is the weighted share of the maximum, for every council."""
    for council in COUNCIL_NAMES:
        bids = curriculum.load("tender_bids", council=council)
        table = tenders.bid_table(bids)
        assert len(table) == len(bids.groupby(["tender_reference", "bidder"])), council
        row = table.iloc[0]
        own = bids[(bids["tender_reference"] == row["tender_reference"]) & (bids["bidder"] == row["bidder"])]
        hand = (own["criterion_weight"] * own["score"] / own["max_score"]).sum() / own["criterion_weight"].sum()
        assert np.isclose(row["quality"], hand), f"{council}: quality {row['quality']} vs {hand}"
        assert np.allclose(table["price_weight"] + table["quality_weight"], 100), council
        scored = tenders.score_tenders(table)
        assert (scored.groupby("tender_reference")["rank"].min() == 1).all(), f"{council}: every tender has a winner"


@pytest.mark.parametrize("call, message", [
    (lambda: tenders.price_scores([1, 2]), "prices must be a pandas Series"),
    (lambda: tenders.price_scores(pd.Series({"A": 0.0})), "positive"),
    (lambda: tenders.price_scores(pd.Series([1.0, 2.0], index=["A", "A"])), "each bidder once"),
    (lambda: tenders.price_scores(PRICES, "lowest"), "method must be one of"),
    (lambda: tenders.price_scores(PRICES, "absolute"), "estimate must be"),
    (lambda: tenders.price_scores(PRICES, "benchmark", estimate=100.0, band=0), "band must be"),
    (lambda: tenders.combined_scores(PRICES, QUALITY, 140), "price_weight must be"),
    (lambda: tenders.combined_scores(PRICES, QUALITY * 10, 40), "quality must be shares"),
    (lambda: tenders.combined_scores(PRICES, QUALITY.drop("A"), 40), "one quality score for each bidder"),
    (lambda: tenders.abnormally_low(PRICES, estimate_share=1.5), "estimate_share must be"),
    (lambda: tenders.abnormally_low(PRICES, estimate=-1.0), "estimate must be"),
    (lambda: tenders.quality_scores(pd.DataFrame({"bidder": ["A"]})), "bids must be a tender_bids table"),
    (lambda: tenders.score_tenders(pd.DataFrame({"bidder": ["A"]})), "table must have one row per bid"),
    (lambda: tenders.price_per_quality_point(PRICES, QUALITY, points=0), "points must be"),
])
def test_errors_name_the_argument(call, message):
    """Bad arguments raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=message):
        call()
