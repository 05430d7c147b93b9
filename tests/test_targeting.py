"""Tests of curriculum.targeting: latest records per key, precision and lift at k, gains, calibration, Brier skill.

Each measure is checked against an independent computation: the latest record against a
groupby-idxmax, precision at k against scikit-learn's precision_score of a prediction that
flags the top k, the gains table against recall_score and the AUC (through the accuracy
ratio of the cumulative gains curve), the calibration table against sklearn's
calibration_curve and the closed-form Wilson interval, and the Brier skill score against
brier_score_loss; random rankings are simulated to check that they find the base rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, precision_score, recall_score, roc_auc_score

from curriculum import targeting as tg


@pytest.fixture
def ranked() -> tuple[np.ndarray, np.ndarray]:
    """Two thousand rows with a 0/1 outcome and a continuous score that predicts it."""
    rng = np.random.default_rng(11)
    risk = rng.normal(size=2000)
    y = (rng.random(2000) < 1 / (1 + np.exp(-(-2.0 + 1.2 * risk)))).astype(int)
    score = 1 / (1 + np.exp(-(-2.0 + 1.2 * risk + rng.normal(0, 0.5, 2000))))
    return y, score


@pytest.fixture
def register() -> pd.DataFrame:
    """A register of 300 keys with one to four records each, some keys missing, dates to the day."""
    rng = np.random.default_rng(5)
    keys = np.repeat(np.arange(300), rng.integers(1, 5, 300)).astype("float64")
    keys[rng.random(len(keys)) < 0.05] = np.nan
    dates = pd.Timestamp("2009-01-01") + pd.to_timedelta(rng.integers(0, 5000, len(keys)), unit="D")
    return pd.DataFrame({"uprn": pd.array(keys, dtype="Int64"), "lodged": dates, "rating": rng.choice(list("ABCDEFG"), len(keys)),
                         "row": np.arange(len(keys))}).sample(frac=1.0, random_state=1)


# ---------------------------------------------------------------- latest_per_key
def test_latest_per_key_keeps_the_latest_row():
    """Each key keeps its latest row, with all its columns, sorted by key on a fresh index."""
    certs = pd.DataFrame({"uprn": [2, 1, 1, 2], "lodged": pd.to_datetime(["2019-03-01", "2015-01-01", "2021-06-30", "2012-05-05"]),
                          "rating": ["D", "E", "C", "F"]})
    latest = tg.latest_per_key(certs, "uprn", "lodged")
    assert latest["uprn"].tolist() == [1, 2], "one row per key, sorted by key"
    assert latest["rating"].tolist() == ["C", "D"], "the latest certificate of each home"
    assert list(latest.columns) == list(certs.columns) and latest.index.equals(pd.RangeIndex(2)), "all columns, fresh index"


def test_latest_per_key_matches_groupby_idxmax(register):
    """On a random register the rows kept are those a groupby-idxmax of the date picks."""
    latest = tg.latest_per_key(register, "uprn", "lodged")
    known = register.dropna(subset=["uprn"])
    ties = known.duplicated(["uprn", "lodged"], keep=False)
    assert not ties.any(), "the fixture should have no ties (they are tested apart)"
    expected = known.loc[known.groupby("uprn")["lodged"].idxmax()].sort_values("uprn")
    assert latest["row"].tolist() == expected["row"].tolist(), "the latest record of each key"
    assert latest["uprn"].notna().all() and latest["uprn"].is_unique, "one row per known key"


def test_latest_per_key_ties_keep_the_last_row():
    """Among records with the same key and date, the one that comes last in the frame is kept."""
    frame = pd.DataFrame({"uprn": [7, 7, 7], "lodged": pd.to_datetime(["2020-01-01", "2020-01-01", "2018-01-01"]),
                          "rating": ["first", "second", "older"]})
    assert tg.latest_per_key(frame, "uprn", "lodged")["rating"].tolist() == ["second"], "the last of the tied rows"


def test_latest_per_key_missing_keys_and_dates():
    """Rows without a key are dropped unless kept; a row without a date is older than any dated row."""
    frame = pd.DataFrame({"uprn": pd.array([1, 1, None, None], dtype="Int64"),
                          "lodged": pd.to_datetime(["2020-01-01", None, "2021-01-01", "2022-01-01"]), "rating": list("ABCD")})
    assert tg.latest_per_key(frame, "uprn", "lodged")["rating"].tolist() == ["A"], "the dated row beats the undated one"
    kept = tg.latest_per_key(frame, "uprn", "lodged", keep_missing_key=True)
    assert kept["rating"].tolist() == ["A", "C", "D"], "rows without a key are kept as they stand when asked"


def test_latest_per_key_several_key_columns():
    """A key of two columns (council and reference) is unique together."""
    frame = pd.DataFrame({"council": ["A", "A", "B"], "ref": [1, 1, 1], "lodged": pd.to_datetime(["2020", "2021", "2019"]),
                          "value": [1, 2, 3]})
    latest = tg.latest_per_key(frame, ["council", "ref"], "lodged")
    assert latest["value"].tolist() == [2, 3], "each council's reference keeps its latest row"


@pytest.mark.parametrize("args, word", [
    (("not a frame", "uprn", "lodged"), "frame"),
    ((None, "uprn", "lodged"), "frame"),
    ((pd.DataFrame({"uprn": [1], "lodged": [1]}), "UPRN", "lodged"), "key"),
    ((pd.DataFrame({"uprn": [1], "lodged": [1]}), [], "lodged"), "key"),
    ((pd.DataFrame({"uprn": [1], "lodged": [1]}), 5, "lodged"), "key"),
    ((pd.DataFrame({"uprn": [1], "lodged": [1]}), "uprn", "date"), "date_col"),
])
def test_latest_per_key_rejects_bad_arguments(args, word):
    """A frame that is not a DataFrame, or a key or date column it lacks, raises ValueError naming the argument."""
    with pytest.raises(ValueError, match=word):
        tg.latest_per_key(*args)


# ---------------------------------------------------------------- precision and lift
def test_precision_at_k_small_example():
    """The top two of four scores hold one outcome: precision 0.5; the top one holds one: 1.0."""
    assert tg.precision_at_k([0, 1, 1, 0], [0.1, 0.9, 0.4, 0.5], 2) == 0.5, "0.9 (a 1) and 0.5 (a 0)"
    assert tg.precision_at_k([0, 1, 1, 0], [0.1, 0.9, 0.4, 0.5], 1) == 1.0, "the top row alone"


@pytest.mark.parametrize("k", [1, 7, 50, 200, 999, 2000])
def test_precision_at_k_matches_sklearn_precision_of_the_top_k(ranked, k):
    """Precision at k equals sklearn's precision_score of a prediction flagging the k highest scores."""
    y, score = ranked
    flagged = np.zeros(len(y), dtype=int)
    flagged[np.argsort(-score)[:k]] = 1
    expected = precision_score(y, flagged)
    assert tg.precision_at_k(y, score, k) == pytest.approx(expected), f"precision at {k} should equal sklearn's {expected:.4f}"


def test_precision_at_all_rows_is_the_base_rate(ranked):
    """Visiting every row finds the outcome at its base rate, whatever the scores."""
    y, score = ranked
    assert tg.precision_at_k(y, score, len(y)) == pytest.approx(y.mean()), "k = n gives the base rate"


def test_random_scores_find_the_base_rate_on_average(ranked):
    """Simulated random rankings give a mean precision at k within sampling error of the base rate (lift 1)."""
    y, _ = ranked
    rng = np.random.default_rng(3)
    k, runs = 200, 400
    found = np.array([tg.precision_at_k(y, rng.random(len(y)), k) for _ in range(runs)])
    # Hypergeometric standard error of the mean of the runs.
    p, n = y.mean(), len(y)
    se = np.sqrt(p * (1 - p) / k * (n - k) / (n - 1) / runs)
    assert abs(found.mean() - p) < 4 * se, f"random rankings found {found.mean():.4f}, the base rate is {p:.4f}"
    lifts = np.array([tg.lift_at_k(y, rng.random(len(y)), k) for _ in range(runs)])
    assert abs(lifts.mean() - 1) < 4 * se / p, f"random rankings should have a lift of about 1, got {lifts.mean():.3f}"


def test_precision_at_k_ties_keep_row_order():
    """Among equal scores the earlier row ranks first (a stable sort)."""
    assert tg.precision_at_k([1, 0, 0, 1], [0.5, 0.5, 0.5, 0.5], 1) == 1.0, "the first of the tied rows is taken"
    assert tg.precision_at_k([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5], 1) == 0.0, "the first of the tied rows is taken"


def test_precision_accepts_series_and_booleans(ranked):
    """Pandas Series (nullable integers and booleans included) give the same answer as arrays."""
    y, score = ranked
    as_array = tg.precision_at_k(y, score, 100)
    assert tg.precision_at_k(pd.Series(y, dtype="Int64"), pd.Series(score), 100) == as_array
    assert tg.precision_at_k(pd.Series(y.astype(bool), dtype="boolean"), score, 100) == as_array


def test_lift_is_precision_over_base_rate(ranked):
    """Lift at k is precision at k divided by the share of rows with the outcome."""
    y, score = ranked
    assert tg.lift_at_k(y, score, 150) == pytest.approx(tg.precision_at_k(y, score, 150) / y.mean())
    assert tg.lift_at_k([0, 1, 1, 0], [0.1, 0.9, 0.4, 0.5], 1) == 2.0, "1.0 over a base rate of 0.5"


def test_lift_without_outcomes_is_refused():
    """With no 1s at all the lift is undefined and ValueError says so."""
    with pytest.raises(ValueError, match="no 1s"):
        tg.lift_at_k([0, 0, 0], [0.1, 0.2, 0.3], 1)


@pytest.mark.parametrize("y, scores, k, word", [
    ([0, 1, 2], [0.1, 0.2, 0.3], 1, "y_true"),
    ([0, 1, None], [0.1, 0.2, 0.3], 1, "y_true"),
    ([], [], 1, "y_true"),
    ("0101", [0.1, 0.2, 0.3, 0.4], 1, "y_true"),
    ([[0, 1]], [0.1, 0.2], 1, "y_true"),
    ([0, 1, 1], [0.1, 0.2], 1, "scores"),
    ([0, 1, 1], [0.1, np.nan, 0.3], 1, "scores"),
    ([0, 1, 1], ["a", "b", "c"], 1, "scores"),
    ([0, 1, 1], [0.1, 0.2, 0.3], 0, "k"),
    ([0, 1, 1], [0.1, 0.2, 0.3], 4, "k"),
    ([0, 1, 1], [0.1, 0.2, 0.3], 1.5, "k"),
    ([0, 1, 1], [0.1, 0.2, 0.3], True, "k"),
])
def test_precision_at_k_rejects_bad_arguments(y, scores, k, word):
    """Outcomes other than 0/1, scores that do not fit and a k out of range raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=word):
        tg.precision_at_k(y, scores, k)


# ---------------------------------------------------------------- gains
def test_gains_table_adds_up(ranked):
    """Bins cover every row once; cumulative columns end at all rows and all events."""
    y, score = ranked
    table = tg.gains_table(y, score, bins=10)
    assert list(table.index) == list(range(1, 11)) and table.index.name == "bin"
    assert table["n"].sum() == len(y) and table["n"].max() - table["n"].min() <= 1, "ten (nearly) equal bins"
    assert table["events"].sum() == y.sum()
    assert table["share_n"].iloc[-1] == pytest.approx(1.0) and table["share_events"].iloc[-1] == pytest.approx(1.0)
    assert table["lift"].iloc[-1] == pytest.approx(1.0), "visiting everyone has a lift of 1"
    assert table["rate"].iloc[0] > table["rate"].iloc[-1], "a predictive score puts more events in the top bin"


def test_gains_table_matches_sklearn_recall_and_precision(ranked):
    """share_events is the recall, and cum_rate the precision, of flagging every row down to each bin."""
    y, score = ranked
    table = tg.gains_table(y, score, bins=8)
    order = np.argsort(-score, kind="stable")
    for cum_n, share, rate in zip(table["cum_n"], table["share_events"], table["cum_rate"]):
        flagged = np.zeros(len(y), dtype=int)
        flagged[order[:cum_n]] = 1
        assert share == pytest.approx(recall_score(y, flagged)), f"recall of the top {cum_n}"
        assert rate == pytest.approx(precision_score(y, flagged)), f"precision of the top {cum_n}"
        assert rate == pytest.approx(tg.precision_at_k(y, score, int(cum_n)))


def test_gains_curve_accuracy_ratio_equals_gini_from_auc(ranked):
    """The area under the cumulative gains curve gives the accuracy ratio, 2 * AUC - 1 (continuous scores)."""
    y, score = ranked
    table = tg.gains_table(y, score, bins=len(y))
    x = np.r_[0.0, table["share_n"].to_numpy()]
    g = np.r_[0.0, table["share_events"].to_numpy()]
    area = float(np.sum((x[1:] - x[:-1]) * (g[1:] + g[:-1]) / 2))
    perfect = 1 - y.mean() / 2
    accuracy_ratio = (area - 0.5) / (perfect - 0.5)
    assert accuracy_ratio == pytest.approx(2 * roc_auc_score(y, score) - 1, abs=1e-9), "CAP accuracy ratio = Gini"


@pytest.mark.parametrize("bins", [0, -1, 2.5, True, 10_000])
def test_gains_table_rejects_bad_bins(ranked, bins):
    """A number of bins that is not a whole number from 1 to the number of rows raises ValueError naming bins."""
    y, score = ranked
    with pytest.raises(ValueError, match="bins"):
        tg.gains_table(y, score, bins=bins)


# ---------------------------------------------------------------- calibration
@pytest.mark.parametrize("strategy, bins", [("quantile", 10), ("quantile", 4), ("uniform", 10), ("uniform", 25)])
def test_calibration_table_matches_sklearn_calibration_curve(ranked, strategy, bins):
    """observed and mean_predicted equal sklearn's calibration_curve, empty bins left out."""
    y, score = ranked
    table = tg.calibration_table(y, score, bins=bins, strategy=strategy)
    observed, predicted = calibration_curve(y, score, n_bins=bins, strategy=strategy)
    np.testing.assert_allclose(table["observed"], observed, err_msg="observed rate per bin")
    np.testing.assert_allclose(table["mean_predicted"], predicted, err_msg="mean predicted probability per bin")
    assert table["n"].sum() == len(y) and table["events"].sum() == y.sum(), "every row in one bin"
    assert table["expected"].sum() == pytest.approx(score.sum()), "expected events add up to the sum of probabilities"


def test_calibration_table_wilson_interval_closed_form(ranked):
    """low and high are the Wilson score interval, computed here from its closed form."""
    y, score = ranked
    table = tg.calibration_table(y, score, bins=5, alpha=0.1)
    z = norm.ppf(0.95)
    n, p = table["n"].to_numpy(), table["observed"].to_numpy()
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    np.testing.assert_allclose(table["low"], centre - half, atol=1e-12)
    np.testing.assert_allclose(table["high"], centre + half, atol=1e-12)


def test_calibrated_probabilities_look_calibrated():
    """Outcomes drawn from the probabilities themselves fall inside most bins' 95% intervals."""
    rng = np.random.default_rng(8)
    prob = rng.beta(1, 6, 20_000)
    y = (rng.random(prob.size) < prob).astype(int)
    table = tg.calibration_table(y, prob, bins=10)
    inside = ((table["low"] <= table["mean_predicted"]) & (table["mean_predicted"] <= table["high"])).mean()
    assert inside >= 0.8, f"only {inside:.0%} of bins cover the truth"
    assert np.abs(table["observed"] - table["mean_predicted"]).max() < 0.03


@pytest.mark.parametrize("kwargs, word", [
    ({"prob": [0.1, 1.2, 0.3]}, "prob"),
    ({"prob": [0.1, -0.2, 0.3]}, "prob"),
    ({"bins": 0}, "bins"),
    ({"bins": 2.0}, "bins"),
    ({"strategy": "kmeans"}, "strategy"),
    ({"alpha": 1.5}, "alpha"),
    ({"alpha": 0}, "alpha"),
])
def test_calibration_table_rejects_bad_arguments(kwargs, word):
    """Probabilities outside 0-1, a bad number of bins, strategy or alpha raise ValueError naming it."""
    args = {"y_true": [0, 1, 1], "prob": [0.1, 0.2, 0.3], **kwargs}
    with pytest.raises(ValueError, match=word):
        tg.calibration_table(**args)


# ---------------------------------------------------------------- Brier skill
def test_brier_skill_score_matches_brier_score_loss(ranked):
    """1 - Brier(model) / Brier(base rate), both from sklearn's brier_score_loss."""
    y, score = ranked
    rate = y.mean()
    expected = 1 - brier_score_loss(y, score) / brier_score_loss(y, np.full(len(y), rate))
    assert tg.brier_skill_score(y, score, rate) == pytest.approx(expected)
    assert tg.brier_skill_score(y, score, np.full(len(y), rate)) == pytest.approx(expected), "a per-row reference works too"
    assert expected > 0, "a predictive score beats the base rate"


def test_brier_skill_score_signs():
    """The reference itself scores 0, a perfect forecast 1, a reversed one below 0."""
    y = np.array([0, 0, 1, 1])
    assert tg.brier_skill_score(y, [0.5] * 4, 0.5) == 0.0
    assert tg.brier_skill_score(y, y.astype(float), 0.5) == 1.0
    assert tg.brier_skill_score(y, [0.9, 0.8, 0.2, 0.1], 0.5) < 0


@pytest.mark.parametrize("prob, reference, word", [
    ([0.1, 0.2, 1.5], 0.5, "prob"),
    ([0.1, 0.2, 0.3], 1.5, "reference"),
    ([0.1, 0.2, 0.3], [0.5, 0.5], "reference"),
    ([0.1, 0.2, 0.3], [0.0, 1.0, 1.0], "perfect"),
])
def test_brier_skill_score_rejects_bad_arguments(prob, reference, word):
    """Probabilities outside 0-1, a reference of the wrong length or a perfect reference raise ValueError."""
    with pytest.raises(ValueError, match=word):
        tg.brier_skill_score([0, 1, 1], prob, reference)


def test_calibration_interval_brackets_the_observed_rate():
    """Bins with no events (or only events) have intervals that start (or end) exactly at the observed rate."""
    y = np.r_[np.zeros(40, dtype=int), np.ones(40, dtype=int)]
    prob = np.r_[np.linspace(0.01, 0.2, 40), np.linspace(0.8, 0.99, 40)]
    table = tg.calibration_table(y, prob, bins=2)
    assert (table["low"] <= table["observed"]).all() and (table["observed"] <= table["high"]).all(), "the rate lies in its interval"
    assert table.loc[1, "low"] == 0.0 and table.loc[2, "high"] == 1.0, "the bounds stop at 0 and 1"
