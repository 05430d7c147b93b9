"""Tests of curriculum.decisions: normalising, weighted scores, dominance and weight sensitivity."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from sklearn.preprocessing import MinMaxScaler

from curriculum import decisions as dec

DIRECTIONS = {"evidence": "benefit", "cost": "cost", "fit": "benefit", "risk": "cost"}


@pytest.fixture
def matrix() -> pd.DataFrame:
    """Six options scored on four criteria, in their own units."""
    return pd.DataFrame({
        "evidence": [4, 3, 2, 4, 2, 3],
        "cost": [2400.0, 2600.0, 350.0, 11000.0, 900.0, 2300.0],
        "fit": [6.1, 7.2, 6.8, 5.0, 6.4, 6.0],
        "risk": [3, 3, 2, 4, 3, 3],
    }, index=["FGC", "Mockingbird", "Social prescribing", "Housing First", "LAC", "Reablement"])


@pytest.fixture
def weights() -> pd.Series:
    """Agreed weights in percent."""
    return pd.Series({"evidence": 35, "cost": 25, "fit": 25, "risk": 15})


def _random_matrix(rng: np.random.Generator, k: int = 7, m: int = 4) -> pd.DataFrame:
    return pd.DataFrame(rng.integers(1, 6, size=(k, m)).astype(float), index=[f"o{i}" for i in range(k)],
                        columns=list(DIRECTIONS)[:m])


# ---------------------------------------------------------------- normalise
def test_min_max_agrees_with_scikit_learn(matrix):
    """Min-max scaling is scikit-learn's MinMaxScaler for benefits and one minus it for costs."""
    got = dec.normalise(matrix, DIRECTIONS)
    scaled = pd.DataFrame(MinMaxScaler().fit_transform(matrix), index=matrix.index, columns=matrix.columns)
    for column, direction in DIRECTIONS.items():
        expected = scaled[column] if direction == "benefit" else 1 - scaled[column]
        assert np.allclose(got[column], expected), f"{column} ({direction}) should match MinMaxScaler"
    assert got.index.equals(matrix.index) and got.columns.equals(matrix.columns), "shape and labels should be kept"


def test_min_max_best_is_one_and_worst_zero(matrix):
    """The best option on each criterion scores 1 and the worst 0, whatever the direction."""
    got = dec.normalise(matrix, DIRECTIONS)
    assert (got.max() == 1).all() and (got.min() == 0).all(), "each criterion should run from 0 to 1"
    assert got.loc["Social prescribing", "cost"] == 1.0, "the cheapest option should score 1 on cost"
    assert got.loc["Housing First", "cost"] == 0.0, "the dearest option should score 0 on cost"


def test_ratio_scaling_known_values(matrix):
    """Ratio scaling divides by the best value: x / max for benefits, min / x for costs."""
    got = dec.normalise(matrix, DIRECTIONS, method="ratio")
    assert got.loc["Mockingbird", "evidence"] == pytest.approx(3 / 4), "evidence 3 of a best 4 should be 0.75"
    assert got.loc["FGC", "cost"] == pytest.approx(350 / 2400), "cost should be the cheapest over this one"
    assert got.loc["Social prescribing", "risk"] == pytest.approx(1.0), "the lowest risk should score 1"


def test_constant_criterion_scores_one_for_all(matrix):
    """A criterion on which every option is equal cannot tell them apart: all score 1."""
    flat = matrix.assign(risk=3)
    for method in dec.METHODS:
        assert (dec.normalise(flat, DIRECTIONS, method=method)["risk"] == 1.0).all(), f"{method}: constant risk should give 1"


def test_min_max_depends_on_the_options_present(matrix):
    """Removing the dearest option rescales everyone's cost score (the source of rank reversal)."""
    full = dec.normalise(matrix, DIRECTIONS)
    short = dec.normalise(matrix.drop(index="Housing First"), DIRECTIONS)
    assert short.loc["FGC", "cost"] < full.loc["FGC", "cost"], "without the dearest option the others' cost scores should fall"


@pytest.mark.parametrize("change, kwargs, word", [
    ("none", {"directions": {"evidence": "benefit"}}, "directions"),
    ("none", {"directions": {**DIRECTIONS, "fit": "good"}}, "fit"),
    ("none", {"directions": DIRECTIONS, "method": "z-score"}, "method"),
    ("missing", {"directions": DIRECTIONS}, "missing"),
    ("repeat", {"directions": DIRECTIONS}, "index"),
    ("text", {"directions": DIRECTIONS}, "numbers"),
    ("zero-cost", {"directions": DIRECTIONS, "method": "ratio"}, "cost"),
    ("list", {"directions": DIRECTIONS}, "matrix"),
])
def test_normalise_rejects_bad_input(matrix, change, kwargs, word):
    """Bad matrices, directions and methods raise ValueError naming the problem."""
    frame = matrix.copy()
    if change == "missing":
        frame.iloc[0, 2] = np.nan
    if change == "repeat":
        frame.index = ["same"] * len(frame)
    if change == "text":
        frame["fit"] = "good"
    if change == "zero-cost":
        frame.iloc[0, 1] = 0.0
    if change == "list":
        frame = frame.to_numpy().tolist()
    with pytest.raises(ValueError, match=word):
        dec.normalise(frame, **kwargs)


# ---------------------------------------------------------------- scores and ranks
def test_weighted_scores_recover_the_weights_by_ols():
    """Regressing the scores on the normalised criteria (statsmodels OLS) recovers the weights as shares."""
    rng = np.random.default_rng(3)
    normalised = pd.DataFrame(rng.random((40, 4)), columns=list(DIRECTIONS), index=[f"o{i}" for i in range(40)])
    weights = {"evidence": 40, "cost": 30, "fit": 20, "risk": 10}
    scores = dec.weighted_scores(normalised, weights)
    fit = sm.OLS(scores.to_numpy(), normalised.to_numpy()).fit()
    assert np.allclose(fit.params, [0.4, 0.3, 0.2, 0.1]), f"OLS gives {fit.params.round(4)}, expected the weight shares"
    assert scores.name == "score" and scores.index.equals(normalised.index), "a Series named score, indexed by option"


def test_weights_are_shares_whatever_their_scale(matrix, weights):
    """Percentages, points and shares give the same scores; a dict works as well as a Series."""
    normalised = dec.normalise(matrix, DIRECTIONS)
    a = dec.weighted_scores(normalised, weights)
    b = dec.weighted_scores(normalised, (weights / 100).to_dict())
    assert np.allclose(a, b), "weights should be divided by their total"
    assert a.between(0, 1).all(), "scores of normalised values should lie from 0 to 1"


def test_rank_options_sorts_and_shares_tied_ranks():
    """Ranks run from 1 (best); tied options share the better rank and keep their order."""
    normalised = pd.DataFrame({"a": [0.5, 1.0, 0.5, 0.0]}, index=["p", "q", "r", "s"])
    table = dec.rank_options(normalised, {"a": 1})
    assert table.index.tolist() == ["q", "p", "r", "s"], "best first, ties in their original order"
    assert table["rank"].tolist() == [1, 2, 2, 4], "tied options should share rank 2"


@pytest.mark.parametrize("weights, word", [
    ({"evidence": 1, "cost": 1, "fit": 1}, "missing"),
    ({"evidence": 1, "cost": 1, "fit": 1, "risk": 1, "price": 1}, "price"),
    ({"evidence": -1, "cost": 1, "fit": 1, "risk": 1}, "evidence"),
    ({"evidence": 0, "cost": 0, "fit": 0, "risk": 0}, "zero"),
    ({"evidence": "high", "cost": 1, "fit": 1, "risk": 1}, "evidence"),
    ({"evidence": np.nan, "cost": 1, "fit": 1, "risk": 1}, "evidence"),
    ([0.25, 0.25, 0.25, 0.25], "weights"),
])
def test_weighted_scores_reject_bad_weights(matrix, weights, word):
    """Missing, extra, negative, non-numeric or all-zero weights raise ValueError naming the problem."""
    with pytest.raises(ValueError, match=word):
        dec.weighted_scores(dec.normalise(matrix, DIRECTIONS), weights)


# ---------------------------------------------------------------- dominance
def _brute_force_dominated(frame: pd.DataFrame, directions: dict) -> dict:
    sign = {c: 1 if d == "benefit" else -1 for c, d in directions.items()}
    out = {}
    for b in frame.index:
        by = []
        for a in frame.index:
            if a == b:
                continue
            diffs = [sign[c] * (frame.at[a, c] - frame.at[b, c]) for c in frame.columns]
            if all(d >= 0 for d in diffs) and any(d > 0 for d in diffs):
                by.append(a)
        out[b] = by
    return out


@pytest.mark.parametrize("seed", range(5))
def test_dominance_agrees_with_brute_force(seed):
    """The vectorised dominance check agrees with a pairwise loop on random matrices with ties."""
    frame = _random_matrix(np.random.default_rng(seed))
    got = dec.dominance(frame, DIRECTIONS)
    expected = _brute_force_dominated(frame, DIRECTIONS)
    for option, by in expected.items():
        assert got.at[option, "dominated_by"] == ", ".join(by), f"{option}: expected dominated by {by}"
        assert got.at[option, "dominated"] == bool(by), f"{option}: dominated flag is wrong"
    assert got["dominates"].sum() == sum(len(v) for v in expected.values()), "dominance counts should match"


def test_dominance_is_the_same_on_raw_and_normalised(matrix):
    """Min-max scaling keeps the order on every criterion, so it keeps dominance."""
    raw = dec.dominance(matrix, DIRECTIONS)
    scaled = dec.dominance(dec.normalise(matrix, DIRECTIONS), dict.fromkeys(DIRECTIONS, "benefit"))
    assert raw["dominated_by"].equals(scaled["dominated_by"]), "dominance should not depend on normalising"


def test_identical_options_do_not_dominate_each_other():
    """Two options equal on every criterion are not dominated by each other."""
    frame = pd.DataFrame({"evidence": [3, 3], "cost": [100.0, 100.0]}, index=["a", "b"])
    assert not dec.dominance(frame, DIRECTIONS)["dominated"].any(), "equal options should not dominate"


def test_dominated_options_never_win(matrix):
    """No random positive weights make a dominated option come first."""
    normalised = dec.normalise(matrix, DIRECTIONS)
    dominated = dec.dominance(matrix, DIRECTIONS)
    assert dominated["dominated"].any(), "the fixture should hold a dominated option"
    sim = dec.simulate_weights(normalised, dict.fromkeys(DIRECTIONS, 1), seed=5, n=3000, concentration=None)
    shares = sim.win_share
    assert (shares[dominated.index[dominated["dominated"]]] == 0).all(), "dominated options should win no draw"


# ---------------------------------------------------------------- simulation
@pytest.fixture
def two_by_two() -> pd.DataFrame:
    """Two options on two normalised criteria; A wins when w1 > 7/15."""
    return pd.DataFrame({"evidence": [1.0, 0.2], "fit": [0.3, 1.0]}, index=["A", "B"])


@pytest.mark.parametrize("concentration, probability", [
    (20.0, 1 - stats.beta.cdf(7 / 15, 12, 8)),   # w1 ~ Beta(20 * 0.6, 20 * 0.4)
    (None, 8 / 15),                             # uniform: w1 ~ U(0, 1)
])
def test_win_share_matches_closed_form(two_by_two, concentration, probability):
    """With two criteria the first weight is Beta-distributed, so A's win share has a closed form."""
    n = 20_000
    sim = dec.simulate_weights(two_by_two, {"evidence": 60, "fit": 40}, seed=11, n=n, concentration=concentration)
    se = np.sqrt(probability * (1 - probability) / n)
    assert abs(sim.win_share["A"] - probability) < 4 * se, \
        f"A's win share {sim.win_share['A']:.4f} should be within 4 standard errors of {probability:.4f}"


def test_dirichlet_draws_have_the_right_moments(matrix, weights):
    """The draws average the agreed shares, with scipy's Dirichlet variance."""
    normalised = dec.normalise(matrix, DIRECTIONS)
    sim = dec.simulate_weights(normalised, weights, seed=2, n=40_000, concentration=30)
    alpha = 30 * weights.to_numpy() / weights.sum()
    assert np.allclose(sim.weights.mean(), alpha / alpha.sum(), atol=0.003), "the draws should centre on the agreed weights"
    assert np.allclose(sim.weights.var(), stats.dirichlet.var(alpha), rtol=0.05), "the spread should be Dirichlet's"
    assert np.allclose(sim.weights.sum(axis=1), 1.0), "each draw's weights should add up to 1"


def test_simulation_is_reproducible_and_consistent(matrix, weights):
    """The same seed gives the same ranks; shares add up; ranks are a permutation in every draw."""
    normalised = dec.normalise(matrix, DIRECTIONS)
    a = dec.simulate_weights(normalised, weights, seed=7, n=500)
    b = dec.simulate_weights(normalised, weights, seed=7, n=500)
    c = dec.simulate_weights(normalised, weights, seed=8, n=500)
    assert a.ranks.equals(b.ranks), "the same seed should give the same draws"
    assert not a.weights.equals(c.weights), "another seed should give other draws"
    assert a.win_share.sum() == pytest.approx(1.0), "win shares should add up to 1"
    assert np.allclose(a.rank_share.sum(axis=1), 1.0) and np.allclose(a.rank_share.sum(axis=0), 1.0), \
        "rank shares should add up to 1 by option and by rank"
    assert (np.sort(a.ranks.to_numpy(), axis=1) == np.arange(1, len(matrix) + 1)).all(), "ranks should be 1..k in each draw"
    summary = a.summary()
    assert summary["win_share"].is_monotonic_decreasing, "the summary should put the most frequent winner first"
    assert (summary["top_two_share"] >= summary["win_share"]).all(), "top-two share is at least the win share"


def test_zero_weights_stay_zero(matrix):
    """A criterion with weight 0 keeps weight 0 in every draw."""
    normalised = dec.normalise(matrix, DIRECTIONS)
    sim = dec.simulate_weights(normalised, {"evidence": 50, "cost": 50, "fit": 0, "risk": 0}, seed=1, n=200)
    assert (sim.weights[["fit", "risk"]] == 0).all().all(), "zero-weight criteria should stay out"


@pytest.mark.parametrize("kwargs, word", [
    ({"seed": None}, "seed"),
    ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"),
    ({"seed": 1, "n": 0}, "n"),
    ({"seed": 1, "concentration": 0}, "concentration"),
    ({"seed": 1, "concentration": "tight"}, "concentration"),
])
def test_simulate_weights_rejects_bad_arguments(matrix, weights, kwargs, word):
    """A missing or bad seed, n or concentration raises ValueError naming it."""
    with pytest.raises(ValueError, match=word):
        dec.simulate_weights(dec.normalise(matrix, DIRECTIONS), weights, **kwargs)


# ---------------------------------------------------------------- one weight at a time
def test_sweep_matches_explicit_rescaled_weights(matrix, weights):
    """Each row of the sweep equals weighted_scores with the criterion at t and the others rescaled to 1 - t."""
    normalised = dec.normalise(matrix, DIRECTIONS)
    sweep = dec.sweep_weight(normalised, weights, "fit", [0.0, 0.1, 0.5, 0.9, 1.0])
    share = weights / weights.sum()
    for t, row in sweep.iterrows():
        explicit = share.drop("fit") / share.drop("fit").sum() * (1 - t)
        explicit["fit"] = t
        assert np.allclose(row, dec.weighted_scores(normalised, explicit)), f"the sweep at fit weight {t} is wrong"
    assert sweep.index.name == "fit", "the index should be named after the criterion"


def test_switch_points_agree_with_a_fine_grid(matrix, weights):
    """The exact range over which the leader stays first matches a sweep on a fine grid."""
    normalised = dec.normalise(matrix, DIRECTIONS)
    table = dec.switch_points(normalised, weights)
    leader = dec.rank_options(normalised, weights).index[0]
    grid = np.linspace(0, 1, 20_001)
    for criterion, row in table.iterrows():
        sweep = dec.sweep_weight(normalised, weights, criterion, grid)
        keeps = sweep[leader].to_numpy() >= sweep.max(axis=1).to_numpy() - 1e-12
        inside = grid[keeps]
        assert abs(inside.min() - row["lower"]) < 1e-4 and abs(inside.max() - row["upper"]) < 1e-4, \
            f"{criterion}: grid gives {inside.min():.4f}-{inside.max():.4f}, table {row['lower']:.4f}-{row['upper']:.4f}"
        assert row["lower"] <= row["weight"] <= row["upper"], f"{criterion}: the agreed weight should lie in the range"
        if row["upper"] < 1:
            beyond = sweep.loc[grid[grid > row["upper"] + 1e-3][0]]
            assert beyond.idxmax() == row["rival_above"], f"{criterion}: the rival above should take the lead"
        if row["lower"] > 0:
            below = sweep.loc[grid[grid < row["lower"] - 1e-3][-1]]
            assert below.idxmax() == row["rival_below"], f"{criterion}: the rival below should take the lead"


def test_one_at_a_time_margins(matrix, weights):
    """Tornado margins are the leader's score minus the best other's, at half and one and a half times each weight."""
    normalised = dec.normalise(matrix, DIRECTIONS)
    table = dec.one_at_a_time(normalised, weights, spread=0.5)
    leader = table.attrs["option"]
    assert leader == dec.rank_options(normalised, weights).index[0], "the leader should be tracked by default"
    share = weights / weights.sum()
    for criterion, row in table.iterrows():
        assert row["low_weight"] == pytest.approx(share[criterion] * 0.5), "low weight should be half the agreed"
        sweep = dec.sweep_weight(normalised, weights, criterion, [row["high_weight"]]).iloc[0]
        assert row["margin_high"] == pytest.approx(sweep[leader] - sweep.drop(leader).max()), f"{criterion}: margin is wrong"
    swings = (table["margin_high"] - table["margin_low"]).abs()
    assert swings.is_monotonic_decreasing, "the widest swing should come first"


@pytest.mark.parametrize("call, word", [
    (lambda n, w: dec.sweep_weight(n, w, "price"), "price"),
    (lambda n, w: dec.sweep_weight(n, w, "fit", [0.5, 1.5]), "values"),
    (lambda n, w: dec.sweep_weight(n, {"evidence": 1, "cost": 0, "fit": 0, "risk": 0}, "evidence"), "all the weight"),
    (lambda n, w: dec.one_at_a_time(n, w, spread=0), "spread"),
    (lambda n, w: dec.one_at_a_time(n, w, option="Telecare"), "option"),
    (lambda n, w: dec.one_at_a_time(n.iloc[:1], w), "two options"),
])
def test_one_at_a_time_functions_reject_bad_arguments(matrix, weights, call, word):
    """Unknown criteria or options, weights out of range and bad spreads raise ValueError."""
    with pytest.raises(ValueError, match=word):
        call(dec.normalise(matrix, DIRECTIONS), weights)


# ---------------------------------------------------------------- rank order centroid
def test_rank_order_centroid_known_values():
    """Three criteria get 11/18, 5/18 and 2/18."""
    got = dec.rank_order_centroid(["evidence", "cost", "fit"])
    assert np.allclose(got, [11 / 18, 5 / 18, 2 / 18]), f"got {got.round(4).tolist()}"


def test_rank_order_centroid_is_the_mean_of_ordered_weights():
    """The centroid equals the mean of uniform random weights sorted into the given order."""
    rng = np.random.default_rng(4)
    draws = -np.sort(-rng.dirichlet(np.ones(5), size=200_000), axis=1)
    got = dec.rank_order_centroid(list("abcde"))
    assert np.allclose(got, draws.mean(axis=0), atol=0.002), "the centroid should be the mean of ordered uniform weights"
    assert got.sum() == pytest.approx(1.0) and got.is_monotonic_decreasing, "weights should decrease and add up to 1"


@pytest.mark.parametrize("criteria", [[], "evidence", ["a", "a"]])
def test_rank_order_centroid_rejects_bad_criteria(criteria):
    """An empty list, a single string or a repeated criterion raises ValueError naming criteria."""
    with pytest.raises(ValueError, match="criteria"):
        dec.rank_order_centroid(criteria)


# ---------------------------------------------------------------- plots
def test_plots_draw_on_axes(matrix, weights):
    """Each chart returns its axes with one bar or line per option or criterion."""
    normalised = dec.normalise(matrix, DIRECTIONS)
    sim = dec.simulate_weights(normalised, weights, seed=1, n=300)
    ax = dec.plot_win_shares(sim)
    assert len(ax.patches) == len(matrix), "one bar per option"
    ax = dec.plot_rank_distribution(sim)
    assert len(ax.patches) == len(matrix) ** 2, "one bar segment per option and rank"
    ax = dec.plot_tornado(dec.one_at_a_time(normalised, weights))
    assert len(ax.patches) == 2 * len(weights), "two bars per criterion"
    ax = dec.plot_sweep(dec.sweep_weight(normalised, weights, "evidence"), base_weight=0.35, highlight="FGC")
    assert len(ax.lines) == len(matrix) + 1, "one line per option and the agreed weight"
    plt.close("all")


@pytest.mark.parametrize("call, word", [
    (lambda: dec.plot_win_shares("not a simulation"), "simulation"),
    (lambda: dec.plot_rank_distribution(None), "simulation"),
    (lambda: dec.plot_tornado(pd.DataFrame({"x": [1]})), "one_at_a_time"),
    (lambda: dec.plot_sweep(pd.DataFrame()), "sweep"),
])
def test_plots_reject_wrong_input(call, word):
    """Charts given the wrong object raise ValueError saying what they need."""
    with pytest.raises(ValueError, match=word):
        call()


def test_dominance_is_never_mutual(matrix):
    """No option dominates itself, and no two options dominate each other."""
    for seed in range(5):
        frame = pd.concat([matrix, _random_matrix(np.random.default_rng(seed)).set_axis(list(DIRECTIONS), axis=1)])
        table = dec.dominance(frame, DIRECTIONS)
        by = {o: set(filter(None, table.at[o, "dominated_by"].split(", "))) for o in table.index}
        for a, b in itertools.combinations(frame.index, 2):
            assert not (a in by[b] and b in by[a]), f"{a} and {b} cannot dominate each other"
        assert all(o not in d for o, d in by.items()), "an option cannot dominate itself"
