"""Tests of curriculum.quasi: area tables, matching, difference in differences, placebo tests, trial size.

Results are checked against independent computations: matching against brute-force search
(every distance, every assignment), the difference in differences against the closed-form
2 x 2 difference of means and against evaluation.did_regression, its clustered standard
error against a sandwich estimator written out in numpy, its estimate and interval against
simulated panels with a planted effect, and the trial size against the normal-approximation
formula and simulated t-tests.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from curriculum import evaluation as ev
from curriculum import quasi


def _panel(rng: np.random.Generator, areas: int = 30, months: int = 8, treated: int = 12, start: int = 5,
           effect: float = 1.5, drift: float = 0.0, noise: float = 1.0) -> pd.DataFrame:
    """A simulated area-by-month panel: area and month effects, a planted effect, an optional treated drift."""
    area = np.repeat([f"A{i:02d}" for i in range(areas)], months)
    month = np.tile(np.arange(1, months + 1), areas)
    flag = np.repeat(np.arange(areas) < treated, months)
    post = month >= start
    level = np.repeat(rng.normal(5.0, 2.0, areas), months)
    shock = np.tile(rng.normal(0.0, 1.0, months), areas)
    y = level + shock + drift * flag * month + effect * (flag & post) + rng.normal(0.0, noise, areas * months)
    return pd.DataFrame({"area": area, "month": month, "treated": flag, "post": post, "y": y})


@pytest.fixture
def panel() -> pd.DataFrame:
    """A balanced panel of 30 areas over 8 months, 12 treated from month 5, effect 1.5."""
    return _panel(np.random.default_rng(11))


@pytest.fixture
def areas() -> pd.DataFrame:
    """Twenty-four areas, six treated, with a rate and a deprivation rank, indexed by code."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"treated": [True] * 6 + [False] * 18, "rate": rng.gamma(4.0, 0.6, 24),
                          "rank": rng.integers(1, 1900, 24)}, index=[f"W{i:03d}" for i in range(24)])
    return frame


# ------------------------------------------------------------------ pre_period_table
def test_pre_period_table_means_and_kept_columns(panel):
    """pre_mean is each area's mean before the start; kept columns keep their value."""
    panel = panel.assign(rank=panel["area"].str[1:].astype(int) * 10)
    table = quasi.pre_period_table(panel, "area", "y", "post", keep=["treated", "rank"])
    expected = panel[~panel["post"]].groupby("area")["y"].mean()
    assert np.allclose(table["pre_mean"], expected.reindex(table.index)), "pre_mean should average the months before"
    assert list(table.index) == sorted(panel["area"].unique()), "one row per area, sorted"
    assert (table["rank"] == table.index.str[1:].astype(int) * 10).all(), "a kept column keeps the area's value"
    assert table["treated"].sum() == 12, "the treated flag is kept"


def test_pre_period_table_area_without_pre_months(panel):
    """An area with no months before the start is kept, with a missing pre_mean."""
    late = panel[~((panel["area"] == "A29") & ~panel["post"])]
    table = quasi.pre_period_table(late, "area", "y", "post")
    assert "A29" in table.index and math.isnan(table.loc["A29", "pre_mean"]), "no pre-period months: pre_mean missing"


@pytest.mark.parametrize("kwargs, word", [
    ({"unit": "nope"}, "unit"),
    ({"outcome": "nope"}, "outcome"),
    ({"outcome": "treated"}, "outcome"),
    ({"post": "y"}, "post"),
    ({"keep": ["nope"]}, "keep"),
    ({"keep": ["y"]}, "keep"),
])
def test_pre_period_table_rejects_bad_arguments(panel, kwargs, word):
    """Missing or unsuitable columns raise ValueError naming the argument."""
    args = {"unit": "area", "outcome": "y", "post": "post", **kwargs}
    with pytest.raises(ValueError, match=word):
        quasi.pre_period_table(panel, **args)


# ------------------------------------------------------------------------ matching
def test_standardise_matches_numpy(areas):
    """z-scores are (x - mean) / population sd; a constant column becomes 0."""
    z = quasi.standardise(areas.assign(flat=2.0), ["rate", "rank", "flat"])
    for column in ("rate", "rank"):
        values = areas[column].to_numpy(dtype=float)
        assert np.allclose(z[column], (values - values.mean()) / values.std()), f"{column}: z-scores with ddof=0"
    assert (z["flat"] == 0).all(), "a column that does not vary carries no information: 0"
    assert z.index.equals(areas.index), "z-scores keep the areas' index"


def test_match_with_replacement_is_the_brute_force_nearest(areas):
    """With replacement, each treated area gets the comparison areas nearest by brute-force search, in order."""
    matches = quasi.match_areas(areas, "treated", ["rate", "rank"], n_neighbours=2, replace=True)
    z = quasi.standardise(areas, ["rate", "rank"]).to_numpy()
    flag = areas["treated"].to_numpy()
    for label, group in matches.groupby("treated"):
        i = areas.index.get_loc(label)
        distances = np.sqrt(((z[~flag] - z[i]) ** 2).sum(axis=1))
        order = np.argsort(distances)[:2]
        assert list(group.sort_values("rank")["comparison"]) == list(areas.index[~flag][order]), \
            f"{label}: the two nearest comparison areas, nearest first"
        assert np.allclose(group.sort_values("rank")["distance"], distances[order]), "distances are Euclidean on z-scores"
    assert len(matches) == 2 * flag.sum(), "two matches per treated area"


def test_match_without_replacement_is_optimal():
    """Without replacement, no comparison area is used twice and the total distance is the smallest possible."""
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"treated": [True] * 4 + [False] * 6, "a": rng.normal(0, 1, 10), "b": rng.normal(0, 1, 10)},
                         index=list("ABCDEFGHIJ"))
    matches = quasi.match_areas(frame, "treated", ["a", "b"])
    assert matches["comparison"].is_unique, "each comparison area at most once"
    z = quasi.standardise(frame, ["a", "b"]).to_numpy()
    best = min(sum(math.dist(z[t], z[4 + c]) for t, c in enumerate(perm)) for perm in itertools.permutations(range(6), 4))
    assert matches["distance"].sum() == pytest.approx(best), "the pairs should minimise the total distance (all 360 assignments checked)"


def test_match_without_replacement_several_neighbours(areas):
    """Two matches each without replacement: twelve distinct comparison areas, ranked by distance."""
    matches = quasi.match_areas(areas, "treated", ["rate", "rank"], n_neighbours=2)
    assert len(matches) == 12 and matches["comparison"].is_unique, "2 x 6 distinct comparison areas"
    assert (matches.groupby("treated")["rank"].apply(list) == pd.Series([[1, 2]] * 6, index=sorted(areas.index[:6]))).all()
    assert (matches.groupby("treated")["distance"].apply(lambda d: d.is_monotonic_increasing)).all(), "rank 1 is the nearest"


def test_match_caliper_drops_distant_pairs(areas):
    """A caliper drops pairs further apart than it allows."""
    every = quasi.match_areas(areas, "treated", ["rate", "rank"], replace=True)
    limit = float(every["distance"].median())
    kept = quasi.match_areas(areas, "treated", ["rate", "rank"], replace=True, caliper=limit)
    assert (kept["distance"] <= limit).all() and len(kept) == (every["distance"] <= limit).sum(), "only pairs within the caliper"


def test_match_weights_sum_to_treated(areas):
    """Comparison weights add up to the number of treated areas; each treated area weighs 1."""
    matches = quasi.match_areas(areas, "treated", ["rate", "rank"], n_neighbours=3, replace=True)
    weights = quasi.match_weights(matches)
    assert (weights[areas.index[:6]] == 1).all(), "treated areas weigh 1"
    assert weights.drop(areas.index[:6]).sum() == pytest.approx(6.0), "the comparison group carries one unit per treated area"
    counts = matches["comparison"].value_counts() / 3
    assert np.allclose(weights[counts.index], counts), "a comparison area used m times with 3 neighbours weighs m / 3"


@pytest.mark.parametrize("change, kwargs, word", [
    (None, {"treated_col": "nope"}, "treated_col"),
    (None, {"covariates": ["nope"]}, "covariates"),
    (None, {"covariates": []}, "covariates"),
    (None, {"n_neighbours": 0}, "n_neighbours"),
    (None, {"n_neighbours": 4}, "n_neighbours"),
    (None, {"n_neighbours": 19, "replace": True}, "n_neighbours"),
    (None, {"caliper": -1.0}, "caliper"),
    (None, {"replace": "yes"}, "replace"),
    ("no treated", {}, "treated_col"),
    ("missing rate", {}, "rate"),
    ("duplicate index", {}, "index"),
])
def test_match_areas_rejects_bad_arguments(areas, change, kwargs, word):
    """Bad arguments raise ValueError naming the argument (or the column)."""
    frame = areas.copy()
    if change == "no treated":
        frame["treated"] = False
    elif change == "missing rate":
        frame.iloc[0, frame.columns.get_loc("rate")] = np.nan
    elif change == "duplicate index":
        frame.index = ["X"] * len(frame)
    args = {"treated_col": "treated", "covariates": ["rate", "rank"], **kwargs}
    with pytest.raises(ValueError, match=word):
        quasi.match_areas(frame, **args)


# ------------------------------------------------------------ difference in differences
def test_did_equals_the_2x2_difference_of_means_in_two_periods():
    """In a balanced two-period panel the estimate is the treated areas' mean change minus the others'."""
    rng = np.random.default_rng(2)
    p = _panel(rng, areas=20, months=2, treated=8, start=2)
    got = quasi.did_estimate(p, "y", "treated", "post", "area", "month")
    change = p.pivot(index="area", columns="month", values="y").pipe(lambda w: w[2] - w[1])
    flags = p.groupby("area")["treated"].first()
    closed_form = change[flags].mean() - change[~flags].mean()
    assert got.estimate == pytest.approx(closed_form, abs=1e-10), "two-way fixed effects = difference of mean changes"
    assert got.estimate == pytest.approx(ev.did_2x2(p, "y", "treated", "post").loc["difference", "change"], abs=1e-10)
    assert got.n == 40 and got.n_clusters == 20, "rows and clusters are counted"


def test_did_matches_evaluation_did_regression(panel):
    """Without weights the estimate and clustered interval equal evaluation.did_regression's."""
    got = quasi.did_estimate(panel, "y", "treated", "post", "area", "month")
    other = ev.did_regression(panel, "y", "treated", "post", unit="area", time="month")
    assert got.estimate == pytest.approx(other.estimate, abs=1e-10)
    assert (got.ci_low, got.ci_high) == pytest.approx((other.ci_low, other.ci_high), abs=1e-10), "the same clustered interval"


def test_did_clustered_se_is_the_sandwich_estimator(panel):
    """The standard error equals a cluster-robust sandwich written out in numpy, with the small-sample factor."""
    got = quasi.did_estimate(panel, "y", "treated", "post", "area", "month")
    areas = pd.get_dummies(panel["area"], drop_first=True, dtype=float)
    months = pd.get_dummies(panel["month"], drop_first=True, dtype=float)
    d = (panel["treated"] & panel["post"]).astype(float)
    X = np.column_stack([np.ones(len(panel)), d, areas, months])
    y = panel["y"].to_numpy()
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ X.T @ y
    resid = y - X @ beta
    meat = np.zeros((X.shape[1], X.shape[1]))
    for _, rows in panel.groupby("area").indices.items():
        score = X[rows].T @ resid[rows]
        meat += np.outer(score, score)
    n, k, g = X.shape[0], X.shape[1], panel["area"].nunique()
    cov = bread @ meat @ bread * (g / (g - 1)) * ((n - 1) / (n - k))
    assert got.estimate == pytest.approx(beta[1], abs=1e-10), "the coefficient of treated x post"
    assert got.se == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-8), "cluster-robust SE with G/(G-1) (N-1)/(N-K)"
    half = stats.t.ppf(0.975, g - 1) * got.se
    assert (got.ci_low, got.ci_high) == pytest.approx((beta[1] - half, beta[1] + half)), "t interval on G - 1 degrees of freedom"


def test_did_recovers_a_planted_effect_in_simulation():
    """Over simulated panels the estimate is unbiased and the 95% interval covers the effect about 95% of the time."""
    rng = np.random.default_rng(20240401)
    estimates, covered = [], []
    for _ in range(150):
        p = _panel(rng, areas=24, months=6, treated=10, start=4, effect=1.5)
        e = quasi.did_estimate(p, "y", "treated", "post", "area", "month")
        estimates.append(e.estimate)
        covered.append(e.ci_low <= 1.5 <= e.ci_high)
    se_of_mean = np.std(estimates) / math.sqrt(len(estimates))
    assert abs(np.mean(estimates) - 1.5) < 4 * se_of_mean, f"mean estimate {np.mean(estimates):.3f} should be about 1.5"
    assert 0.89 <= np.mean(covered) <= 0.995, f"coverage {np.mean(covered):.2f} should be about 0.95"


def test_did_weights_equal_duplicated_areas(panel):
    """A comparison area with weight 2 counts as two copies of it (same estimate; SE close)."""
    weighted = panel.assign(w=np.where(panel["area"] == "A20", 2.0, 1.0))
    got = quasi.did_estimate(weighted, "y", "treated", "post", "area", "month", weights="w", cluster="area")
    copy = panel[panel["area"] == "A20"].assign(area="A20-copy")
    doubled = pd.concat([panel, copy], ignore_index=True).assign(cluster=lambda d: d["area"].str[:3])
    plain = quasi.did_estimate(doubled, "y", "treated", "post", "area", "month", cluster="cluster")
    assert got.estimate == pytest.approx(plain.estimate, abs=1e-10), "weights act as copies of an area"
    assert got.se == pytest.approx(plain.se, rel=0.05), "and give almost the same clustered standard error"
    assert "WLS" in got.method


@pytest.mark.parametrize("change, kwargs, word", [
    (None, {"outcome": "nope"}, "outcome"),
    (None, {"unit": "nope"}, "unit"),
    (None, {"cluster": "nope"}, "cluster"),
    (None, {"weights": "nope"}, "weights"),
    (None, {"alpha": 1.5}, "alpha"),
    ("treated varies", {}, "treated"),
    ("bad weights", {"weights": "w"}, "weights"),
    ("weights vary", {"weights": "w"}, "weights"),
    ("no treated after", {}, "treated and comparison"),
    ("post text", {}, "post"),
])
def test_did_estimate_rejects_bad_arguments(panel, change, kwargs, word):
    """Bad columns and arguments raise ValueError naming what to fix."""
    frame = panel.assign(w=1.0)
    if change == "treated varies":
        frame.loc[frame.index[0], "treated"] = not frame.loc[frame.index[0], "treated"]
    elif change == "bad weights":
        frame.loc[frame.index[0], "w"] = 0.0
    elif change == "weights vary":
        frame.loc[frame.index[0], "w"] = 2.0
    elif change == "no treated after":
        frame = frame[~(frame["treated"] & frame["post"])]
    elif change == "post text":
        frame["post"] = frame["post"].map({True: "after", False: "before"})
    args = {"outcome": "y", "treated": "treated", "post": "post", "unit": "area", "time": "month", **kwargs}
    with pytest.raises(ValueError, match=word):
        quasi.did_estimate(frame, **args)


# --------------------------------------------------------------------------- placebo
def test_placebo_uses_only_the_pre_period(panel):
    """The placebo is the DiD of the months before the start with the pretend start; later months play no part."""
    got = quasi.placebo_test(panel, "y", "area", "month", "treated", "post", fake_start=3)
    before = panel[~panel["post"]].assign(fake=lambda d: d["month"] >= 3)
    assert got.estimate == pytest.approx(quasi.did_estimate(before, "y", "treated", "fake", "area", "month").estimate)
    altered = panel.assign(y=panel["y"].where(~panel["post"], 1e6))
    assert quasi.placebo_test(altered, "y", "area", "month", "treated", "post", fake_start=3).estimate == \
        pytest.approx(got.estimate), "months after the real start are ignored"
    assert "placebo start 3" in got.method


def test_placebo_default_start_is_the_middle_of_the_pre_period(panel):
    """Without fake_start the middle month of the pre-period is used (month 3 of months 1-4)."""
    default = quasi.placebo_test(panel, "y", "area", "month", "treated", "post")
    assert default.estimate == pytest.approx(
        quasi.placebo_test(panel, "y", "area", "month", "treated", "post", fake_start=3).estimate)


def test_placebo_detects_a_drift_and_not_its_absence():
    """A treated drift gives a clearly positive placebo; without it placebos centre on zero."""
    rng = np.random.default_rng(9)
    drifting = quasi.placebo_test(_panel(rng, areas=40, months=12, treated=15, start=9, drift=0.5),
                                  "y", "area", "month", "treated", "post")
    assert drifting.ci_low > 0, "a drift of 0.5 a month should show up in the placebo"
    calm = [quasi.placebo_test(_panel(rng, areas=30, months=10, treated=12, start=7), "y", "area", "month", "treated",
                               "post").estimate for _ in range(60)]
    assert abs(np.mean(calm)) < 4 * np.std(calm) / math.sqrt(len(calm)), "no drift: placebo estimates centre on zero"


def test_placebo_works_with_dates(panel):
    """Dates in the time column accept a date or text for fake_start."""
    dated = panel.assign(month=pd.to_datetime("2023-01-01") + pd.to_timedelta((panel["month"] - 1) * 31, unit="D"))
    dated["month"] = dated["month"].dt.to_period("M").dt.to_timestamp()
    got = quasi.placebo_test(dated, "y", "area", "month", "treated", "post", fake_start="2023-03-01")
    assert "2023-03" in got.method and math.isfinite(got.estimate)


@pytest.mark.parametrize("kwargs, word", [
    ({"fake_start": 1}, "fake_start"),
    ({"fake_start": 7}, "fake_start"),
    ({"fake_start": "March"}, "fake_start"),
    ({"post": "nope"}, "post"),
])
def test_placebo_rejects_bad_arguments(panel, kwargs, word):
    """A pretend start outside the pre-period (or not like the time column) raises ValueError naming it."""
    args = {"outcome": "y", "unit": "area", "time": "month", "treated": "treated", "post": "post", **kwargs}
    with pytest.raises(ValueError, match=word):
        quasi.placebo_test(panel, **args)


def test_placebo_needs_two_pre_periods(panel):
    """With one month before the start there is no placebo."""
    with pytest.raises(ValueError, match="at least two"):
        quasi.placebo_test(panel.assign(post=panel["month"] >= 2), "y", "area", "month", "treated", "post")


# ------------------------------------------------------------------ trial size
def test_window_change_is_last_minus_first(panel):
    """Each area's change is its mean over the last months minus its mean over the first months."""
    got = quasi.window_change(panel, "y", "area", "month", 3)
    wide = panel.pivot(index="area", columns="month", values="y")
    expected = wide[[6, 7, 8]].mean(axis=1) - wide[[1, 2, 3]].mean(axis=1)
    assert np.allclose(got, expected.reindex(got.index)), "mean of months 6-8 minus mean of months 1-3"
    assert got.name == "change"


@pytest.mark.parametrize("kwargs, word", [({"months": 0}, "months"), ({"months": 5}, "months"),
                                          ({"outcome": "nope"}, "outcome"), ({"time": "nope"}, "time")])
def test_window_change_rejects_bad_arguments(panel, kwargs, word):
    """Windows that do not fit, or missing columns, raise ValueError naming the argument."""
    args = {"outcome": "y", "unit": "area", "time": "month", "months": 2, **kwargs}
    with pytest.raises(ValueError, match=word):
        quasi.window_change(panel, **args)


@pytest.mark.parametrize("effect, sd", [(0.5, 1.0), (0.66, 0.69), (-0.3, 0.5), (1.0, 3.0)])
def test_areas_per_arm_matches_the_normal_formula(effect, sd):
    """The t-test sample size is the normal approximation 2 (z_a + z_b)^2 (sd / effect)^2 or a little more."""
    normal = 2 * (stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) ** 2 * (sd / abs(effect)) ** 2
    got = quasi.areas_per_arm(effect, sd)
    assert math.ceil(normal) <= got <= math.ceil(normal) + 2, f"{got} areas per arm, normal approximation {normal:.1f}"


def test_areas_per_arm_reaches_the_power_in_simulation():
    """Simulated trials with that many areas per arm detect the effect about 80% of the time, one fewer a little less."""
    rng = np.random.default_rng(42)
    n = quasi.areas_per_arm(0.6, 1.0)

    def power(per_arm: int) -> float:
        control = rng.normal(0.0, 1.0, (4000, per_arm))
        treated = rng.normal(0.6, 1.0, (4000, per_arm))
        return float((stats.ttest_ind(treated, control, axis=1).pvalue < 0.05).mean())

    assert 0.78 <= power(n) <= 0.84, f"power with {n} per arm should be about 0.8"
    assert power(n - 3) < 0.8, "a few areas fewer should fall short of 0.8"


@pytest.mark.parametrize("kwargs, word", [({"effect": 0}, "effect"), ({"sd": 0}, "sd"), ({"sd": -1}, "sd"),
                                          ({"effect": "big"}, "effect"), ({"alpha": 0}, "alpha"),
                                          ({"power": 1.2}, "power"), ({"effect": float("nan")}, "effect")])
def test_areas_per_arm_rejects_bad_arguments(kwargs, word):
    """Impossible effects, spreads, levels or powers raise ValueError naming the argument."""
    args = {"effect": 0.5, "sd": 1.0, **kwargs}
    with pytest.raises(ValueError, match=word):
        quasi.areas_per_arm(**args)


def test_nothing_happens_on_import():
    """The module exposes its functions and defines no data or state at import."""
    assert set(quasi.__all__) == {"pre_period_table", "standardise", "match_areas", "match_weights", "did_estimate",
                                  "placebo_test", "window_change", "areas_per_arm"}
