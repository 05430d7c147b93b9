"""Tests of curriculum.evaluation: ITT, ANCOVA, multiple outcomes and difference in differences.

Estimates are checked against independent computations: hand-computed means, scipy's Welch
t-test, least squares solved with numpy, sandwich variances computed by hand, and the
coverage of the intervals in simulated trials and panels with known effects.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from curriculum import evaluation as ev


# ------------------------------------------------------------------ fixtures
def _trial(rng: np.random.Generator, clusters: int = 40, per: int = 6, effect: float = 3.0,
           school_sd: float = 6.0, unit_sd: float = 4.0) -> pd.DataFrame:
    """A cluster-randomised trial: half the clusters treated, a persistent cluster effect."""
    arm = np.where(rng.permutation(clusters) < clusters // 2, "treat", "control")
    u = rng.normal(0, school_sd, clusters)
    c = np.repeat(np.arange(clusters), per)
    baseline = 50 + u[c] + rng.normal(0, unit_sd, clusters * per)
    y = 48 + u[c] + 0.5 * (baseline - 50 - u[c]) + effect * (arm[c] == "treat") + rng.normal(0, unit_sd, clusters * per)
    return pd.DataFrame({"unit": [f"u{i}" for i in range(clusters * per)], "school": [f"s{k}" for k in c],
                         "arm": arm[c], "stratum": np.where(c % 2 == 0, "even", "odd"),
                         "baseline": baseline, "y": y})


@pytest.fixture
def trial() -> pd.DataFrame:
    """A trial of 40 schools with 6 classes each and a true effect of 3."""
    frame = _trial(np.random.default_rng(11))
    frame.loc[[3, 50, 51], "y"] = np.nan  # lost to follow-up
    return frame


def _panel(rng: np.random.Generator, areas: int = 30, months: int = 24, start: int = 12, effect: float = -3.0,
           treated_share: float = 0.3, pre_slope: float = 0.0) -> pd.DataFrame:
    """An area-by-month panel: level differences, common shocks, a step effect from month ``start``."""
    treated = np.arange(areas) < round(treated_share * areas)
    level = rng.normal(27, 2, areas) + 2.0 * treated
    shock = rng.normal(0, 0.5, months) + 0.05 * np.arange(months)
    a, m = np.repeat(np.arange(areas), months), np.tile(np.arange(months), areas)
    dates = pd.date_range("2021-01-01", periods=months, freq="MS")
    y = (level[a] + shock[m] + effect * (treated[a] & (m >= start)) + pre_slope * treated[a] * (m - start)
         + rng.normal(0, 0.6, areas * months))
    return pd.DataFrame({"area": [f"A{k:02d}" for k in a], "month": dates[m], "treated": treated[a],
                         "rollout": pd.Series(np.where(treated[a], dates[start], pd.NaT)).astype("datetime64[ns]"),
                         "post": m >= start, "y": y})


@pytest.fixture
def panel() -> pd.DataFrame:
    """A balanced panel of 30 areas over 24 months, 9 treated from month 12 with an effect of -3."""
    return _panel(np.random.default_rng(5))


# ------------------------------------------------------------------ attrition
def test_attrition_table_counts(trial):
    """Units and clusters randomised and analysed are counted by arm."""
    table = ev.attrition_table(trial, "arm", "y", cluster="school")
    for arm, rows in trial.groupby("arm"):
        assert table.loc[arm, "units"] == len(rows), f"{arm}: every randomised unit counts"
        assert table.loc[arm, "units_analysed"] == rows["y"].notna().sum(), f"{arm}: units with an outcome"
        assert table.loc[arm, "clusters"] == rows["school"].nunique(), f"{arm}: schools randomised"
    lost = (table["units"] - table["units_analysed"]).sum()
    assert lost == 3, f"the three classes without an outcome should count as lost, got {lost}"
    assert table["share_lost"].between(0, 1).all(), "shares lost lie between 0 and 1"


# ------------------------------------------------------------------ ITT
def test_itt_matches_hand_difference_and_scipy(trial):
    """The ITT is the hand difference of means; its interval and p-value are scipy's Welch t-test."""
    got = ev.itt_difference(trial, "y", "arm", "treat", "control")
    t = trial.loc[trial["arm"] == "treat", "y"].dropna()
    c = trial.loc[trial["arm"] == "control", "y"].dropna()
    assert got.estimate == pytest.approx(t.mean() - c.mean(), abs=1e-12), "the estimate is the difference in means"
    welch = stats.ttest_ind(t, c, equal_var=False)
    low, high = welch.confidence_interval(0.95)
    assert got.p_value == pytest.approx(welch.pvalue, rel=1e-9), "p-value should be scipy's Welch p-value"
    assert (got.ci_low, got.ci_high) == pytest.approx((low, high), rel=1e-9), "interval should be Welch's"
    assert got.se == pytest.approx(np.sqrt(t.var() / len(t) + c.var() / len(c)), rel=1e-12), "Welch standard error"
    assert got.n == len(t) + len(c) and got.n_clusters is None, "n counts the units with an outcome"


def test_itt_by_cluster_uses_cluster_means(trial):
    """With clusters, each school's mean is one observation in the Welch test."""
    got = ev.itt_difference(trial, "y", "arm", "treat", "control", cluster="school")
    means = trial.dropna(subset=["y"]).groupby(["school", "arm"])["y"].mean().reset_index()
    t, c = means.loc[means["arm"] == "treat", "y"], means.loc[means["arm"] == "control", "y"]
    welch = stats.ttest_ind(t, c, equal_var=False)
    assert got.estimate == pytest.approx(t.mean() - c.mean(), abs=1e-12), "difference of the school means"
    assert got.p_value == pytest.approx(welch.pvalue, rel=1e-9), "Welch test on school means"
    assert got.n == got.n_clusters == 40, "one observation per school"
    naive = ev.itt_difference(trial, "y", "arm", "treat", "control")
    assert got.ci_high - got.ci_low > naive.ci_high - naive.ci_low, \
        "ignoring the clustering should give a falsely narrow interval"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_itt_interval_covers_the_true_effect(seed):
    """In simulated cluster trials the 95% interval from cluster means covers the true effect about 95% of the time."""
    rng = np.random.default_rng(seed)
    covered = []
    for _ in range(300):
        frame = _trial(rng, clusters=24, per=5, effect=2.0)
        e = ev.itt_difference(frame, "y", "arm", "treat", "control", cluster="school")
        covered.append(e.ci_low <= 2.0 <= e.ci_high)
    rate = np.mean(covered)
    assert 0.91 <= rate <= 0.99, f"coverage {rate:.3f} should be close to 0.95"


def test_itt_ignoring_clusters_undercovers():
    """Treating pupils in clustered schools as independent gives intervals that miss far too often."""
    rng = np.random.default_rng(4)
    covered = []
    for _ in range(200):
        e = ev.itt_difference(_trial(rng, clusters=24, per=5, effect=2.0), "y", "arm", "treat", "control")
        covered.append(e.ci_low <= 2.0 <= e.ci_high)
    assert np.mean(covered) < 0.85, f"naive coverage {np.mean(covered):.2f} should fall well short of 95%"


def test_itt_rejects_cluster_in_both_arms(trial):
    """A cluster whose units lie in both arms was not the unit randomised."""
    broken = trial.copy()
    broken.loc[0, "arm"] = "treat" if broken.loc[0, "arm"] == "control" else "control"
    with pytest.raises(ValueError, match="both arms"):
        ev.itt_difference(broken, "y", "arm", "treat", "control", cluster="school")


@pytest.mark.parametrize("kwargs, word", [
    ({"outcome": "nope"}, "outcome"),
    ({"arm": "nope"}, "arm"),
    ({"treatment": "placebo"}, "treatment"),
    ({"control": "waitlist"}, "control"),
    ({"alpha": 1.5}, "alpha"),
    ({"alpha": True}, "alpha"),
    ({"cluster": "nope"}, "cluster"),
    ({"outcome": "arm"}, "numbers"),
])
def test_itt_rejects_bad_arguments(trial, kwargs, word):
    """Bad arguments raise ValueError naming what is wrong."""
    args = {"outcome": "y", "arm": "arm", "treatment": "treat", "control": "control", **kwargs}
    with pytest.raises(ValueError, match=word):
        ev.itt_difference(trial, **args)


# ------------------------------------------------------------------ ANCOVA
def test_ancova_estimate_matches_least_squares(trial):
    """The ANCOVA effect is the arm coefficient of least squares solved with numpy."""
    got = ev.ancova(trial, "y", "arm", "treat", "control", covariates="baseline", categorical="stratum",
                    cluster="school")
    rows = trial.dropna(subset=["y"])
    X = np.column_stack([np.ones(len(rows)), (rows["arm"] == "treat").astype(float), rows["baseline"],
                         (rows["stratum"] == "odd").astype(float)])
    beta, *_ = np.linalg.lstsq(X, rows["y"].to_numpy(), rcond=None)
    assert got.estimate == pytest.approx(beta[1], rel=1e-9), "the arm coefficient of OLS"
    assert got.n == len(rows) and got.n_clusters == rows["school"].nunique(), "rows and schools analysed"


def test_ancova_cluster_se_matches_the_sandwich_by_hand(trial):
    """The cluster-robust standard error is the CR1 sandwich, and the interval uses t with G - 1 df."""
    got = ev.ancova(trial, "y", "arm", "treat", "control", covariates="baseline", cluster="school")
    rows = trial.dropna(subset=["y"])
    X = np.column_stack([np.ones(len(rows)), (rows["arm"] == "treat").astype(float), rows["baseline"]])
    y = rows["y"].to_numpy()
    bread = np.linalg.inv(X.T @ X)
    e = y - X @ (bread @ X.T @ y)
    meat = sum(np.outer(X[g].T @ e[g], X[g].T @ e[g])
               for g in [np.flatnonzero(rows["school"].to_numpy() == s) for s in rows["school"].unique()])
    n, k, G = len(rows), X.shape[1], rows["school"].nunique()
    V = bread @ meat @ bread * G / (G - 1) * (n - 1) / (n - k)
    se = np.sqrt(V[1, 1])
    assert got.se == pytest.approx(se, rel=1e-8), f"expected the CR1 standard error {se:.4f}, got {got.se:.4f}"
    half = stats.t.ppf(0.975, G - 1) * se
    assert (got.ci_low, got.ci_high) == pytest.approx((got.estimate - half, got.estimate + half), rel=1e-8), \
        "the interval should use t with G - 1 degrees of freedom"


def test_ancova_narrows_the_interval(trial):
    """Adjusting for a baseline that predicts the outcome narrows the interval."""
    raw = ev.ancova(trial, "y", "arm", "treat", "control", cluster="school")
    adjusted = ev.ancova(trial, "y", "arm", "treat", "control", covariates="baseline", cluster="school")
    assert adjusted.se < 0.8 * raw.se, f"adjusted SE {adjusted.se:.2f} should be well below unadjusted {raw.se:.2f}"


def test_ancova_without_clusters_is_hc2(trial):
    """Without clusters the standard error is statsmodels' HC2."""
    import statsmodels.api as sm

    rows = trial.dropna(subset=["y"])
    X = sm.add_constant(np.column_stack([(rows["arm"] == "treat").astype(float), rows["baseline"]]))
    hc2 = sm.OLS(rows["y"].to_numpy(), X).fit(cov_type="HC2").bse[1]
    got = ev.ancova(trial, "y", "arm", "treat", "control", covariates=["baseline"])
    assert got.se == pytest.approx(hc2, rel=1e-9), "HC2 standard error expected"
    assert got.n_clusters is None, "no clusters were given"


@pytest.mark.parametrize("seed", [7, 8])
def test_ancova_interval_covers_the_true_effect(seed):
    """With 60 clusters the cluster-robust ANCOVA interval covers the true effect about 95% of the time."""
    rng = np.random.default_rng(seed)
    covered = []
    for _ in range(200):
        frame = _trial(rng, clusters=60, per=4, effect=2.0)
        e = ev.ancova(frame, "y", "arm", "treat", "control", covariates="baseline", cluster="school")
        covered.append(e.ci_low <= 2.0 <= e.ci_high)
    rate = np.mean(covered)
    assert 0.90 <= rate <= 0.99, f"coverage {rate:.3f} should be close to 0.95"


def test_fit_ancova_returns_the_model(trial):
    """fit_ancova returns the statsmodels results with the arm term named _t."""
    model = ev.fit_ancova(trial, "y", "arm", "treat", "control", covariates="baseline", cluster="school")
    assert model.params["_t"] == pytest.approx(
        ev.ancova(trial, "y", "arm", "treat", "control", covariates="baseline", cluster="school").estimate), \
        "the model's arm coefficient is the ANCOVA estimate"


@pytest.mark.parametrize("kwargs, word", [
    ({"covariates": ["nope"]}, "covariates"),
    ({"categorical": "nope"}, "categorical"),
    ({"covariates": ["arm"]}, "numbers"),
    ({"treatment": "nobody"}, "treatment"),
    ({"alpha": 0}, "alpha"),
])
def test_ancova_rejects_bad_arguments(trial, kwargs, word):
    """Bad arguments raise ValueError naming what is wrong."""
    args = {"outcome": "y", "arm": "arm", "treatment": "treat", "control": "control", **kwargs}
    with pytest.raises(ValueError, match=word):
        ev.ancova(trial, **args)


# ------------------------------------------------------------------ multiple testing
def _holm(p):
    order = np.argsort(p)
    m = len(p)
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted


def _bh(p):
    order = np.argsort(p)[::-1]
    m = len(p)
    adjusted = np.empty(m)
    running = 1.0
    for i in order:
        rank = (np.sort(p) <= p[i]).sum()
        running = min(running, p[i] * m / rank)
        adjusted[i] = running
    return adjusted


@pytest.mark.parametrize("p", [[0.01, 0.04, 0.03, 0.2], [0.001, 0.5, 0.02, 0.02, 0.9], [0.3]])
def test_adjust_pvalues_holm_and_bh_by_hand(p):
    """Holm and Benjamini-Hochberg agree with hand-coded step-down and step-up procedures."""
    p = np.array(p)
    holm = ev.adjust_pvalues(p, method="holm")
    assert holm["p_adjusted"].to_numpy() == pytest.approx(_holm(p)), "Holm: (m - rank + 1) * p, cumulative maximum"
    assert (holm["reject"] == (holm["p_adjusted"] < 0.05)).all(), "reject where the adjusted p-value is below alpha"
    bh = ev.adjust_pvalues(p, method="bh")
    assert bh["p_adjusted"].to_numpy() == pytest.approx(_bh(p)), "BH: p * m / rank, cumulative minimum from the top"
    assert (bh["p_adjusted"] <= holm["p_adjusted"] + 1e-12).all(), "BH is never stricter than Holm"


def test_adjust_pvalues_keeps_the_index():
    """A Series of p-values keeps its labels."""
    got = ev.adjust_pvalues(pd.Series([0.01, 0.2], index=["a", "b"]))
    assert list(got.index) == ["a", "b"], "labels should be kept"


@pytest.mark.parametrize("p, method, word", [
    ([0.1, 1.2], "holm", "between 0 and 1"),
    ([0.1, np.nan], "holm", "between 0 and 1"),
    ([], "holm", "at least one"),
    ([0.1], "tukey", "method"),
])
def test_adjust_pvalues_rejects_bad_input(p, method, word):
    """Invalid p-values or methods raise ValueError."""
    with pytest.raises(ValueError, match=word):
        ev.adjust_pvalues(p, method=method)


def test_outcome_table_adjusts_only_the_secondaries(trial):
    """The primary keeps its own p-value; the secondaries' p-values are Holm-adjusted together."""
    rng = np.random.default_rng(3)
    frame = trial.assign(s1=rng.normal(size=len(trial)), s2=rng.normal(size=len(trial)),
                         s3=rng.normal(size=len(trial)))
    table = ev.outcome_table(frame, "y", ["s1", "s2", "s3"], "arm", "treat", "control",
                             covariates={"y": ["baseline"]}, categorical="stratum", cluster="school")
    assert list(table.index) == ["y", "s1", "s2", "s3"] and table.loc["y", "role"] == "primary", "primary first"
    assert table.loc["y", "p_adjusted"] == table.loc["y", "p_value"], "the pre-declared primary is not adjusted"
    expected = ev.adjust_pvalues(table.loc[["s1", "s2", "s3"], "p_value"], method="holm")["p_adjusted"]
    assert table.loc[["s1", "s2", "s3"], "p_adjusted"].to_numpy() == pytest.approx(expected.to_numpy()), \
        "secondaries should be Holm-adjusted among themselves"
    primary = ev.ancova(frame, "y", "arm", "treat", "control", covariates="baseline", categorical="stratum",
                        cluster="school")
    assert table.loc["y", "estimate"] == pytest.approx(primary.estimate), "primary estimate from ANCOVA with its baseline"
    sd = frame.loc[frame["arm"] == "control", "s1"].std()
    assert table.loc["s1", "std_estimate"] == pytest.approx(table.loc["s1", "estimate"] / sd), "effect in control SDs"


def test_outcome_table_refuses_primary_as_secondary(trial):
    """Listing the primary among the secondaries is refused."""
    with pytest.raises(ValueError, match="secondary"):
        ev.outcome_table(trial, "y", ["y", "baseline"], "arm", "treat", "control")


# ------------------------------------------------------------------ difference in differences
def test_did_2x2_is_the_difference_of_group_means(panel):
    """The 2 x 2 table holds the four group means and their difference in differences."""
    table = ev.did_2x2(panel, "y", "treated", "post")
    mean = panel.groupby(["treated", "post"])["y"].mean()
    hand = (mean[(True, True)] - mean[(True, False)]) - (mean[(False, True)] - mean[(False, False)])
    assert table.loc["difference", "change"] == pytest.approx(hand, abs=1e-12), "(T1 - T0) - (C1 - C0)"
    assert table.loc["treated", "before"] == pytest.approx(mean[(True, False)]), "treated mean before"
    assert table.loc["comparison", "after"] == pytest.approx(mean[(False, True)]), "comparison mean after"


def test_did_regression_equals_2x2_and_interaction_ols(panel):
    """In a balanced panel the two-way fixed-effects and interaction regressions give the 2 x 2 estimate."""
    hand = ev.did_2x2(panel, "y", "treated", "post").loc["difference", "change"]
    twfe = ev.did_regression(panel, "y", "treated", "post", unit="area", time="month")
    simple = ev.did_regression(panel, "y", "treated", "post", cluster="area")
    X = np.column_stack([np.ones(len(panel)), panel["treated"], panel["post"], panel["treated"] & panel["post"]]).astype(float)
    beta, *_ = np.linalg.lstsq(X, panel["y"].to_numpy(), rcond=None)
    assert twfe.estimate == pytest.approx(hand, abs=1e-9), "TWFE should equal the 2 x 2 estimate"
    assert simple.estimate == pytest.approx(beta[3], abs=1e-9), "treated x post coefficient of OLS"
    assert simple.estimate == pytest.approx(hand, abs=1e-9), "interaction OLS should equal the 2 x 2 estimate"
    assert twfe.n_clusters == 30 and simple.n_clusters == 30, "standard errors clustered by area"
    assert abs(twfe.estimate + 3.0) < 0.5, f"the planted effect is -3, got {twfe.estimate:.2f}"


@pytest.mark.parametrize("seed", [21, 22])
def test_did_interval_covers_the_true_effect(seed):
    """With 40 areas the DiD interval clustered by area covers the true effect about 95% of the time."""
    rng = np.random.default_rng(seed)
    covered = []
    for _ in range(200):
        e = ev.did_regression(_panel(rng, areas=40, months=12, start=6, treated_share=0.5), "y", "treated", "post",
                              cluster="area")
        covered.append(e.ci_low <= -3.0 <= e.ci_high)
    rate = np.mean(covered)
    assert 0.89 <= rate <= 0.99, f"coverage {rate:.3f} should be close to 0.95"


def test_did_regression_requires_both_groups_and_periods(panel):
    """A panel without comparison areas cannot give a difference in differences."""
    with pytest.raises(ValueError, match="comparison"):
        ev.did_regression(panel[panel["treated"]], "y", "treated", "post", unit="area", time="month")
    with pytest.raises(ValueError, match="together"):
        ev.did_regression(panel, "y", "treated", "post", unit="area")


def test_did_rejects_treatment_varying_within_area(panel):
    """The treated flag must be fixed for an area; treated x post is built by the function."""
    broken = panel.assign(treated=panel["treated"] & panel["post"])
    with pytest.raises(ValueError, match="same in every period"):
        ev.did_regression(broken, "y", "treated", "post", unit="area", time="month")


def test_event_study_recovers_step_and_flat_pretrends(panel):
    """Pre-period estimates are near zero and post-period ones near the planted -3."""
    table = ev.event_study(panel, "y", "area", "month", "rollout", bin_months=3)
    ref = table.set_index("period").loc[-1]
    assert ref["estimate"] == 0 and np.isnan(ref["se"]), "the reference period is fixed at zero"
    pre, post = table[table["period"] < -1], table[table["period"] >= 0]
    assert (pre["estimate"].abs() < 0.6).all(), f"pre-period estimates should be near zero: {pre['estimate'].round(2).tolist()}"
    assert (post["estimate"] - -3.0).abs().max() < 0.6, f"post-period estimates should be near -3: {post['estimate'].round(2).tolist()}"
    assert (table["ci_low"].dropna() <= table["estimate"][table["ci_low"].notna()]).all(), "intervals contain estimates"
    assert list(table["months_from"]) == [3 * p for p in table["period"]], "quarters start every three months"


def test_event_study_shows_a_planted_pretrend():
    """A treated group already drifting down before the roll-out shows up in the pre-period estimates."""
    table = ev.event_study(_panel(np.random.default_rng(6), pre_slope=-0.3, effect=0.0), "y", "area", "month",
                           "rollout", bin_months=3)
    first = table.iloc[0]
    assert first["estimate"] > 2.0, f"a slope of -0.3 a month should put the first quarter well above zero, got {first['estimate']:.2f}"


@pytest.mark.parametrize("kwargs, word", [
    ({"bin_months": 0}, "bin_months"),
    ({"bin_months": 1.5}, "bin_months"),
    ({"reference": -99}, "reference"),
    ({"rollout": "nope"}, "rollout"),
])
def test_event_study_rejects_bad_arguments(panel, kwargs, word):
    """Bad arguments raise ValueError naming what is wrong."""
    args = {"outcome": "y", "unit": "area", "time": "month", "rollout": "rollout", **kwargs}
    with pytest.raises(ValueError, match=word):
        ev.event_study(panel, **args)


def test_pretrend_test_finds_planted_slope():
    """The differential pre-trend is estimated close to the planted slope, and near zero without one."""
    drifting = ev.pretrend_test(_panel(np.random.default_rng(8), pre_slope=0.2), "y", "area", "month", "treated", "post")
    assert drifting.estimate == pytest.approx(0.2, abs=0.05), f"planted slope 0.2, got {drifting.estimate:.3f}"
    assert drifting.p_value < 0.01, "a clear differential trend should be detected"
    flat = ev.pretrend_test(_panel(np.random.default_rng(8)), "y", "area", "month", "treated", "post")
    assert abs(flat.estimate) < 0.05, f"parallel trends should give a slope near zero, got {flat.estimate:.3f}"


def test_placebo_test_is_near_zero_and_catches_a_fake_effect(panel):
    """A pretend roll-out in the pre-period gives about zero; a real shift at that date is caught."""
    fake = pd.Timestamp("2021-07-01")
    placebo = ev.placebo_test(panel, "y", "area", "month", "treated", "post", fake)
    assert abs(placebo.estimate) < 0.5, f"no policy happened at the placebo date, got {placebo.estimate:.2f}"
    assert placebo.p_value > 0.01, "the placebo effect should not be clearly significant"
    before = panel[~panel["post"]]
    hand = ev.did_2x2(before.assign(fake=before["month"] >= fake), "y", "treated", "fake").loc["difference", "change"]
    assert placebo.estimate == pytest.approx(hand, abs=1e-9), "the placebo is the 2 x 2 DiD on the pre-period"
    shifted = panel.copy()
    shifted.loc[shifted["treated"] & (shifted["month"] >= fake), "y"] -= 2.0
    caught = ev.placebo_test(shifted, "y", "area", "month", "treated", "post", fake)
    assert caught.estimate == pytest.approx(placebo.estimate - 2.0, abs=1e-9) and caught.p_value < 0.01, \
        "a shift at the placebo date should be detected"


@pytest.mark.parametrize("start", ["2020-01-01", "2021-01-01", "2022-06-01", "not a date"])
def test_placebo_test_rejects_dates_outside_the_pre_period(panel, start):
    """The placebo date must lie strictly inside the pre-period."""
    with pytest.raises(ValueError, match="placebo_start"):
        ev.placebo_test(panel, "y", "area", "month", "treated", "post", start)


# ------------------------------------------------------------------ charts and results
def test_plots_return_axes(trial, panel):
    """The three charts draw on axes and return them."""
    table = pd.DataFrame([ev.itt_difference(trial, "y", "arm", "treat", "control").to_dict()], index=["ITT"])
    assert isinstance(ev.plot_effects(table, reference=5), plt.Axes), "plot_effects returns Axes"
    assert isinstance(ev.plot_trends(panel, "y", "month", "treated", rollout=pd.Timestamp("2022-01-01")), plt.Axes)
    assert isinstance(ev.plot_event_study(ev.event_study(panel, "y", "area", "month", "rollout")), plt.Axes)
    plt.close("all")


def test_plot_effects_rejects_missing_columns():
    """A table without estimates cannot be drawn."""
    with pytest.raises(ValueError, match="estimate"):
        ev.plot_effects(pd.DataFrame({"x": [1]}))


def test_effect_to_dict_leaves_out_the_model(trial):
    """Effect.to_dict gives the numbers and the method, not the fitted model."""
    effect = ev.ancova(trial, "y", "arm", "treat", "control", cluster="school")
    assert effect.model is not None, "ANCOVA keeps its fitted model"
    assert set(effect.to_dict()) == {"estimate", "se", "ci_low", "ci_high", "p_value", "n", "n_clusters", "method"}
