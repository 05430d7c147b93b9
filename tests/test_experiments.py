"""Tests of curriculum.experiments: clustering, power, stepped wedges, simulation, randomisation, balance, plans.

Power and design-effect results are checked against independent computations: closed forms
against simulated trials, the general variance against Hussey and Hughes' formula, statsmodels'
GLS and simulation, the stepped-wedge design effect against its published formula, and
simulated power for counts against statsmodels' power for Poisson and negative-binomial rates.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import norm
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from curriculum import experiments as ex
from curriculum.artefacts import write_document


@pytest.fixture
def units() -> pd.DataFrame:
    """Forty schools in two sectors with FSM bands, indexed by school number."""
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({
        "phase": ["Primary"] * 31 + ["Secondary"] * 9,
        "fsm_band": rng.choice(["lower", "middle", "higher"], 40),
        "fsm_percent": rng.uniform(5, 45, 40).round(1),
        "pupils": rng.integers(150, 1700, 40),
    }, index=[f"681{2000 + 7 * i}" for i in range(40)])
    return frame


# ---------------------------------------------------------------- design effect
def test_design_effect_known_values():
    """The design effect is 1 + (m - 1) * ICC, and 1 without clustering."""
    assert ex.design_effect(31, 0.05) == pytest.approx(2.5), "1 + 30 * 0.05 should be 2.5"
    assert ex.design_effect(400, 0.0) == 1.0, "No clustering (ICC 0) means no design effect"
    assert ex.design_effect(1, 0.3) == 1.0, "Clusters of one are individuals: no design effect"


def test_design_effect_grows_with_unequal_clusters():
    """Unequal cluster sizes (cv > 0) give the larger Eldridge design effect."""
    equal = ex.design_effect(300, 0.05)
    unequal = ex.design_effect(300, 0.05, cv=0.7)
    assert unequal == pytest.approx(1 + ((0.7**2 + 1) * 300 - 1) * 0.05), "cv should enter as (cv^2 + 1) * m"
    assert unequal > equal, "Unequal clusters should never reduce the design effect"


@pytest.mark.parametrize("kwargs, word", [
    ({"cluster_size": 0.5, "icc": 0.05}, "cluster_size"),
    ({"cluster_size": 30, "icc": -0.1}, "icc"),
    ({"cluster_size": 30, "icc": 1.5}, "icc"),
    ({"cluster_size": 30, "icc": 0.05, "cv": -1}, "cv"),
    ({"cluster_size": "thirty", "icc": 0.05}, "cluster_size"),
    ({"cluster_size": float("nan"), "icc": 0.05}, "cluster_size"),
    ({"cluster_size": True, "icc": 0.05}, "cluster_size"),
])
def test_design_effect_rejects_bad_arguments(kwargs, word):
    """Invalid arguments raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=word):
        ex.design_effect(**kwargs)


def test_effective_sample_size_divides_by_design_effect():
    """The effective sample size is n over the design effect."""
    assert ex.effective_sample_size(3100, 31, 0.05) == pytest.approx(1240.0), "3100 / 2.5 should be 1240"
    with pytest.raises(ValueError, match="n"):
        ex.effective_sample_size(-1, 31, 0.05)


# ---------------------------------------------------------------- ICC
def test_icc_from_counts_hand_computed():
    """The ANOVA estimator matches a hand calculation for equal clusters."""
    # p = .2, .4, .6, .8 in clusters of 50: MSB = 10/3, MSW = 40/196, n0 = 50.
    msb, msw = 10 / 3, 40 / 196
    expected = (msb - msw) / (msb + 49 * msw)
    got = ex.icc_from_counts([10, 20, 30, 40], [50, 50, 50, 50])
    assert got == pytest.approx(expected), f"expected {expected:.4f}, got {got:.4f}"


def test_icc_from_counts_recovers_simulated_icc():
    """With many beta-binomial clusters the estimate is close to the true ICC."""
    rng = np.random.default_rng(1)
    rho, p = 0.08, 0.45
    a, b = p * (1 - rho) / rho, (1 - p) * (1 - rho) / rho  # beta parameters with ICC rho
    sizes = rng.integers(100, 600, 3000)
    counts = rng.binomial(sizes, rng.beta(a, b, sizes.size))
    got = ex.icc_from_counts(counts, sizes)
    assert abs(got - rho) < 0.01, f"the estimate {got:.4f} should be within 0.01 of the true ICC {rho}"


def test_icc_from_counts_truncates_negative_estimates():
    """Clusters more alike than chance give a negative raw estimate, truncated to 0 by default."""
    raw = ex.icc_from_counts([25, 25, 25], [50, 50, 50], truncate=False)
    assert raw < 0, "identical cluster shares should give a negative ANOVA estimate"
    assert ex.icc_from_counts([25, 25, 25], [50, 50, 50]) == 0.0, "the default should truncate at 0"


def test_icc_from_counts_ignores_empty_clusters():
    """Clusters with nobody measured are left out."""
    with_empty = ex.icc_from_counts([10, 20, 0, 30, 40], [50, 50, 0, 50, 50])
    assert with_empty == pytest.approx(ex.icc_from_counts([10, 20, 30, 40], [50, 50, 50, 50])), \
        "a cluster with zero trials should not change the estimate"


@pytest.mark.parametrize("successes, trials, word", [
    ([1, 2], [5], "length"),
    ([6, 2], [5, 5], "exceed"),
    ([-1, 2], [5, 5], "negative"),
    ([1, np.nan], [5, 5], "missing"),
    ([1], [5], "two clusters"),
    ([0, 1], [0, 5], "two clusters"),
])
def test_icc_from_counts_rejects_bad_counts(successes, trials, word):
    """Inconsistent counts raise ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=word):
        ex.icc_from_counts(successes, trials)


# ---------------------------------------------------------------- power and sample size
def test_sample_size_agrees_with_statsmodels_and_formula():
    """The sample size is statsmodels' answer rounded up, close to 2((z_a + z_b) / h)^2."""
    p0, p1 = 0.45, 0.50
    h = proportion_effectsize(p1, p0)
    direct = NormalIndPower().solve_power(effect_size=h, alpha=0.05, power=0.8)
    formula = 2 * ((norm.ppf(0.975) + norm.ppf(0.8)) / h) ** 2
    n = ex.sample_size_two_proportions(p0, p1)
    assert n == math.ceil(direct), f"expected ceil({direct:.1f}), got {n}"
    assert abs(n - formula) < 2, f"{n} should be close to the textbook {formula:.1f}"


def test_sample_size_is_just_enough():
    """The sample size reaches the power asked for, and one fewer does not."""
    n = ex.sample_size_two_proportions(0.3, 0.36, power=0.9)
    assert ex.power_two_proportions(0.3, 0.36, n) >= 0.9, "n per arm should reach 90% power"
    assert ex.power_two_proportions(0.3, 0.36, n - 1) < 0.9, "n - 1 per arm should fall short"


def test_mde_round_trip_with_power():
    """An effect of exactly the MDE is detected with the power asked for."""
    p0, n, deff = 0.5, 5000, 12.0
    mde = ex.mde_two_proportions(p0, n, design_effect=deff)
    assert ex.power_two_proportions(p0, p0 + mde, n, design_effect=deff) == pytest.approx(0.8, abs=1e-4), \
        "power at p0 + MDE should be 80%"
    assert mde == pytest.approx(ex.mde_two_proportions(p0, n / deff)), "a design effect should act as n / DE"


def test_mde_is_nan_when_nothing_is_detectable():
    """A sample too small to detect even p1 = 1 gives NaN."""
    assert math.isnan(ex.mde_two_proportions(0.9, 1)), "one pupil per arm cannot detect any rise from 90%"


def test_clusters_per_arm_reaches_power():
    """The clusters per arm give at least 80% power, one fewer does not."""
    p0, p1, m, icc = 0.5, 0.55, 350, 0.07
    k = ex.clusters_per_arm(p0, p1, m, icc)
    deff = ex.design_effect(m, icc)
    assert ex.power_two_proportions(p0, p1, k * m, design_effect=deff) >= 0.8, f"{k} clusters should reach 80%"
    assert ex.power_two_proportions(p0, p1, (k - 1) * m, design_effect=deff) < 0.8, f"{k - 1} clusters should not"
    assert ex.clusters_per_arm(p0, p1, m, icc, cv=0.7) > k, "unequal cluster sizes should need more clusters"


@pytest.mark.parametrize("call, word", [
    (lambda: ex.sample_size_two_proportions(0.5, 0.5), "differ"),
    (lambda: ex.sample_size_two_proportions(0.0, 0.5), "p0"),
    (lambda: ex.sample_size_two_proportions(0.5, 1.0), "p1"),
    (lambda: ex.sample_size_two_proportions(0.5, 0.6, alpha=0), "alpha"),
    (lambda: ex.sample_size_two_proportions(0.5, 0.6, power=0.01), "power"),
    (lambda: ex.sample_size_two_proportions(0.5, 0.6, alternative="bigger"), "alternative"),
    (lambda: ex.sample_size_two_proportions(0.5, 0.4, alternative="larger"), "alternative"),
    (lambda: ex.power_two_proportions(0.5, 0.6, 0), "n_per_arm"),
    (lambda: ex.power_two_proportions(0.5, 0.6, 100, design_effect=0.5), "design_effect"),
    (lambda: ex.mde_two_proportions(0.5, 100, alternative="smaller"), "alternative"),
    (lambda: ex.mde_two_proportions(0.5, 100, ratio=0), "ratio"),
    (lambda: ex.clusters_per_arm(0.5, 0.55, 0, 0.05), "cluster_size"),
])
def test_power_functions_reject_bad_arguments(call, word):
    """Invalid power arguments raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=word):
        call()


# ---------------------------------------------------------------- stratified assignment
def test_assign_stratified_balances_every_stratum(units):
    """Every stratum's arms differ by at most one, and so do the arms overall."""
    arms = ex.assign_stratified(units, ["phase", "fsm_band"], arms=("control", "school street"), seed=11)
    assert arms.index.equals(units.index), "the result should be indexed like the frame"
    assert set(arms) == {"control", "school street"}, "only the arms given should be used"
    for key, group in arms.groupby([units["phase"], units["fsm_band"]]):
        counts = group.value_counts()
        assert counts.max() - counts.reindex(["control", "school street"], fill_value=0).min() <= 1, \
            f"stratum {key} is split {counts.to_dict()}"
    overall = arms.value_counts()
    assert overall.max() - overall.min() <= 1, f"the arms overall are {overall.to_dict()}"


def test_assign_stratified_is_reproducible_and_order_free(units):
    """The same seed gives the same assignment, whatever the row order."""
    first = ex.assign_stratified(units, ["phase", "fsm_band"], seed=2026)
    again = ex.assign_stratified(units, ["phase", "fsm_band"], seed=2026)
    shuffled = ex.assign_stratified(units.sample(frac=1, random_state=3), ["phase", "fsm_band"], seed=2026)
    assert first.equals(again), "the same seed should give the same assignment"
    assert first.equals(shuffled.reindex(first.index)), "row order should not change the assignment"
    assert not first.equals(ex.assign_stratified(units, ["phase", "fsm_band"], seed=2027)), \
        "another seed should give another assignment"


def test_assign_stratified_is_random_for_every_unit(units):
    """Across seeds every unit lands in each arm sometimes."""
    draws = pd.concat([ex.assign_stratified(units, "phase", seed=s) for s in range(40)], axis=1)
    treated = draws.eq("treatment").mean(axis=1)
    assert treated.between(0.1, 0.9).all(), f"some units are (almost) always in one arm: {treated[~treated.between(0.1, 0.9)].to_dict()}"


def test_assign_stratified_three_arms_and_no_strata(units):
    """Three arms, and randomisation without strata, are balanced too."""
    three = ex.assign_stratified(units, None, arms=("a", "b", "c"), seed=5).value_counts()
    assert sorted(three.tolist()) == [13, 13, 14], f"40 units in three arms should be 13/13/14, got {three.to_dict()}"
    assert ex.assign_stratified(units, [], seed=5).value_counts().tolist() == [20, 20], "no strata: 20 and 20"


@pytest.mark.parametrize("change, kwargs, word", [
    (None, {"strata": "phase", "seed": None}, "seed"),
    (None, {"strata": "phase", "seed": -1}, "seed"),
    (None, {"strata": "phase", "seed": 1.5}, "seed"),
    (None, {"strata": "phase", "seed": True}, "seed"),
    (None, {"strata": "phase", "seed": 1, "arms": ("control",)}, "arms"),
    (None, {"strata": "phase", "seed": 1, "arms": ("a", "a")}, "arms"),
    (None, {"strata": "council", "seed": 1}, "council"),
    ("blank-stratum", {"strata": "phase", "seed": 1}, "phase"),
    ("repeat-index", {"strata": "phase", "seed": 1}, "index"),
])
def test_assign_stratified_rejects_bad_arguments(units, change, kwargs, word):
    """Missing seeds, bad arms, unknown or blank strata and repeated ids raise ValueError."""
    frame = units.copy()
    if change == "blank-stratum":
        frame.iloc[0, frame.columns.get_loc("phase")] = None
    if change == "repeat-index":
        frame.index = ["same"] * len(frame)
    with pytest.raises(ValueError, match=word):
        ex.assign_stratified(frame, **kwargs)


# ---------------------------------------------------------------- balance
def test_standardised_mean_difference_properties():
    """The SMD has a known value, flips sign with the groups and has no units."""
    assert ex.standardised_mean_difference([2, 4, 6], [1, 3, 5]) == pytest.approx(0.5), "(4 - 3) / 2 should be 0.5"
    a, b = np.array([3.0, 9.0, 4.0, 7.0]), np.array([1.0, 5.0, 2.0, 2.5])
    value = ex.standardised_mean_difference(a, b)
    assert ex.standardised_mean_difference(b, a) == pytest.approx(-value), "swapping groups should flip the sign"
    assert ex.standardised_mean_difference(a * 100, b * 100) == pytest.approx(value), "scaling should not change it"


def test_standardised_mean_difference_constant_groups():
    """Constant groups give 0 when equal and infinity when they differ."""
    assert ex.standardised_mean_difference([1, 1], [1, 1]) == 0.0, "equal constants should give 0"
    assert ex.standardised_mean_difference([2, 2], [1, 1]) == math.inf, "differing constants should give +inf"


@pytest.mark.parametrize("treated, control, word", [([1.0], [1.0, 2.0], "treated"), ([1.0, 2.0], [np.nan, 3.0], "control")])
def test_standardised_mean_difference_needs_two_values(treated, control, word):
    """Fewer than two values in a group raise ValueError naming the group."""
    with pytest.raises(ValueError, match=word):
        ex.standardised_mean_difference(treated, control)


def test_balance_table_matches_smd(units):
    """The balance table holds arm means, the SMD and the rule-of-thumb flag."""
    frame = units.assign(arm=ex.assign_stratified(units, "phase", seed=3))
    table = ex.balance_table(frame, "arm", ["fsm_percent", "pupils"], treatment="treatment")
    assert list(table.columns) == ["mean_control", "mean_treatment", "smd", "balanced"], "unexpected columns"
    t, c = frame[frame["arm"] == "treatment"], frame[frame["arm"] == "control"]
    assert table.loc["pupils", "smd"] == pytest.approx(ex.standardised_mean_difference(t["pupils"], c["pupils"])), \
        "the table's SMD should be standardised_mean_difference"
    assert table.loc["fsm_percent", "mean_control"] == pytest.approx(c["fsm_percent"].mean()), "control mean is wrong"
    assert (table["balanced"] == (table["smd"].abs() < 0.1)).all(), "balanced should mean |SMD| < 0.1"


@pytest.mark.parametrize("kwargs, word", [
    ({"arm": "group", "covariates": ["pupils"], "treatment": "treatment"}, "group"),
    ({"arm": "arm", "covariates": ["size"], "treatment": "treatment"}, "size"),
    ({"arm": "arm", "covariates": ["pupils"], "treatment": "school street"}, "treatment"),
    ({"arm": "arm", "covariates": [], "treatment": "treatment"}, "covariates"),
    ({"arm": "arm", "covariates": ["pupils"], "treatment": "treatment", "threshold": 0}, "threshold"),
])
def test_balance_table_rejects_bad_arguments(units, kwargs, word):
    """Unknown columns or arms, no covariates and a bad threshold raise ValueError."""
    frame = units.assign(arm=ex.assign_stratified(units, "phase", seed=3))
    with pytest.raises(ValueError, match=word):
        ex.balance_table(frame, **kwargs)


# ---------------------------------------------------------------- power against simulation
def test_power_two_proportions_matches_simulated_trials():
    """The statsmodels power for pupils randomised one by one matches simulated trials analysed with a z-test."""
    rng = np.random.default_rng(2024)
    p0, p1, sims = 0.45, 0.52, 4000
    n = ex.sample_size_two_proportions(p0, p1, power=0.8)
    control, treated = rng.binomial(n, p0, sims) / n, rng.binomial(n, p1, sims) / n
    pooled = (control + treated) / 2
    z = (treated - control) / np.sqrt(pooled * (1 - pooled) * 2 / n)  # the textbook pooled two-proportion z-test
    simulated = np.mean(np.abs(z) > norm.ppf(0.975))
    expected = ex.power_two_proportions(p0, p1, n)
    mc_se = math.sqrt(expected * (1 - expected) / sims)
    assert abs(simulated - expected) < 4 * mc_se + 0.01, \
        f"simulated power {simulated:.3f} should be within Monte Carlo error of the closed form {expected:.3f}"


def _beta_binomial(rng, sizes, p, rho, replicates):
    """Counts of clusters whose true shares are beta-distributed with mean p and intra-cluster correlation rho."""
    a, b = p * (1 - rho) / rho, (1 - p) * (1 - rho) / rho
    shares = rng.beta(a, b, (replicates, len(sizes)))
    return rng.binomial(np.broadcast_to(sizes, shares.shape), shares)


@pytest.mark.parametrize("sizes", [np.full(30, 40), np.array([10, 20, 40, 80, 160] * 6)])
def test_design_effect_matches_simulated_clustered_data(sizes):
    """The variance of a clustered survey's share over simple random sampling matches the design effect."""
    rng = np.random.default_rng(11)
    p, rho, replicates = 0.4, 0.05, 20000
    shares = _beta_binomial(rng, sizes, p, rho, replicates).sum(axis=1) / sizes.sum()
    ratio = shares.var(ddof=1) / (p * (1 - p) / sizes.sum())
    cv = sizes.std(ddof=0) / sizes.mean()  # the population cv makes the Eldridge formula exact for the pooled share
    expected = ex.design_effect(sizes.mean(), rho, cv=cv)
    assert ratio == pytest.approx(expected, rel=0.05), \
        f"simulated variance ratio {ratio:.3f} should match the design effect {expected:.3f}"


def test_clustered_power_matches_simulated_cluster_trial():
    """The power with a design effect matches simulated cluster-randomised trials analysed at the cluster level."""
    rng = np.random.default_rng(5)
    p0, p1, m, rho, k, sims = 0.40, 0.47, 50, 0.05, 30, 4000
    deff = ex.design_effect(m, rho)
    control = _beta_binomial(rng, np.full(k, m), p0, rho, sims).sum(axis=1) / (k * m)
    treated = _beta_binomial(rng, np.full(k, m), p1, rho, sims).sum(axis=1) / (k * m)
    pooled = (control + treated) / 2
    z = (treated - control) / np.sqrt(pooled * (1 - pooled) * deff * 2 / (k * m))
    simulated = np.mean(np.abs(z) > norm.ppf(0.975))
    expected = ex.power_two_proportions(p0, p1, k * m, design_effect=deff)
    mc_se = math.sqrt(expected * (1 - expected) / sims)
    assert abs(simulated - expected) < 4 * mc_se + 0.015, \
        f"simulated power {simulated:.3f} of a cluster trial should match {expected:.3f}"


# ---------------------------------------------------------------- stepped wedge and other cluster designs
def _hussey_hughes(design, n, rho):
    """Hussey and Hughes (2007), equation (8), with total variance 1."""
    x = np.asarray(design, dtype=float)
    i, t = x.shape
    s2, tau2 = (1 - rho) / n, rho
    u, w, v = x.sum(), (x.sum(axis=0) ** 2).sum(), (x.sum(axis=1) ** 2).sum()
    return i * s2 * (s2 + t * tau2) / ((i * u - w) * s2 + (u**2 + i * t * u - t * w - i * v) * tau2)


def _long_form(design, n, rho, r):
    """Design matrix (period dummies and treatment) and block-diagonal covariance of cluster-period means."""
    x = np.asarray(design, dtype=float)
    i, t = x.shape
    block = rho * (r * np.ones((t, t)) + (1 - r) * np.eye(t)) + (1 - rho) / n * np.eye(t)
    exog = np.vstack([np.column_stack([np.eye(t), x[c]]) for c in range(i)])
    return exog, np.kron(np.eye(i), block), block


def test_stepped_wedge_design_pattern():
    """Clusters cross over in equal groups, never go back, and all have the intervention at the end."""
    design = ex.stepped_wedge_design(12, 4, baseline_periods=2, periods_per_step=2)
    x = design.to_numpy()
    assert x.shape == (12, 2 + 4 * 2), "b + k t periods"
    assert (x[:, :2] == 0).all() and (x[:, -1] == 1).all(), "no one treated at baseline, everyone at the end"
    assert (np.diff(x, axis=1) >= 0).all(), "once treated, a cluster stays treated"
    assert np.bincount(x.sum(axis=1)).tolist().count(3) == 4, "three clusters cross over at each of the four steps"
    assert ex.parallel_design(5).to_numpy().ravel().tolist() == [0, 0, 0, 1, 1], "half (rounded down) treated"


@pytest.mark.parametrize("design", [
    ex.stepped_wedge_design(8, 4), ex.stepped_wedge_design(10, 3, baseline_periods=2),
    ex.parallel_design(6, baseline_periods=1, follow_up_periods=2), [[0, 1], [1, 0], [0, 1], [1, 0]],
])
def test_cluster_trial_variance_matches_hussey_hughes(design):
    """With autocorrelation 1 the variance is Hussey and Hughes' closed form, and the general branch agrees."""
    for n, rho in [(30, 0.05), (200, 0.1), (5, 0.0)]:
        expected = _hussey_hughes(design, n, rho)
        assert ex.cluster_trial_variance(design, n, rho) == pytest.approx(expected, rel=1e-10), \
            f"n={n}, icc={rho}: the closed form gives {expected:.6g}"
        assert ex.cluster_trial_variance(design, n, rho, autocorrelation=1 - 1e-9) == pytest.approx(expected, rel=1e-5), \
            "the generalised-least-squares branch should meet the closed form as the autocorrelation tends to 1"


@pytest.mark.parametrize("r", [1.0, 0.8, 0.3])
def test_cluster_trial_variance_matches_statsmodels_gls(r):
    """The variance equals the treatment entry of statsmodels' GLS (X' V^-1 X)^-1 for the cluster-period means."""
    design = ex.stepped_wedge_design(9, 3)
    exog, sigma, _ = _long_form(design, 40, 0.08, r)
    y = np.random.default_rng(0).normal(size=exog.shape[0])
    gls = sm.GLS(y, exog, sigma=sigma).fit()
    assert ex.cluster_trial_variance(design, 40, 0.08, autocorrelation=r) == pytest.approx(gls.normalized_cov_params[-1, -1], rel=1e-8), \
        "the variance should be statsmodels' GLS covariance of the treatment coefficient"


@pytest.mark.parametrize("r", [1.0, 0.7])
def test_cluster_trial_variance_matches_simulated_trials(r):
    """Simulated stepped-wedge trials, estimated by GLS, scatter as the variance says."""
    rng = np.random.default_rng(31)
    design, n, rho, theta, sims = ex.stepped_wedge_design(9, 3), 25, 0.1, 0.3, 1500
    exog, sigma, block = _long_form(design, n, rho, r)
    chol = np.linalg.cholesky(block)
    periods = design.shape[1]
    estimates = []
    for _ in range(sims):
        noise = (rng.standard_normal((design.shape[0], periods)) @ chol.T).ravel()
        y = exog[:, :periods] @ np.linspace(0, 0.2, periods) + theta * exog[:, -1] + noise
        estimates.append(sm.GLS(y, exog, sigma=sigma).fit().params[-1])
    expected = ex.cluster_trial_variance(design, n, rho, autocorrelation=r)
    assert np.mean(estimates) == pytest.approx(theta, abs=4 * math.sqrt(expected / sims)), "GLS should be unbiased"
    assert np.var(estimates, ddof=1) == pytest.approx(expected, rel=0.12), \
        f"simulated variance {np.var(estimates, ddof=1):.5f} should match {expected:.5f}"


def test_parallel_design_variance_is_the_design_effect():
    """A parallel design with one survey has variance 4 DE / (I n): the two-arm design effect."""
    for clusters, n, rho in [(20, 30, 0.05), (64, 400, 0.07)]:
        got = ex.cluster_trial_variance(ex.parallel_design(clusters), n, rho)
        assert got == pytest.approx(4 * ex.design_effect(n, rho) / (clusters * n)), "parallel variance should be 4 DE / (I n)"


def test_stepped_wedge_design_effect_published_formula():
    """Woertman's design effect has the published value and agrees exactly with Hussey and Hughes' variance."""
    by_hand = (1 + 0.05 * (4 * 50 + 50 - 1)) / (1 + 0.05 * (2 * 50 + 50 - 1)) * 3 * 0.95 / (2 * (4 - 1 / 4))
    assert ex.stepped_wedge_design_effect(4, 50, 0.05) == pytest.approx(by_hand), "k=4, n=50, ICC 0.05, b=t=1"
    assert ex.stepped_wedge_design_effect(4, 50, 0.0) == pytest.approx(3 / (2 * (4 - 1 / 4))), "ICC 0 leaves the design factor"
    for k, n, rho, b, t in [(3, 200, 0.1, 1, 1), (5, 20, 0.01, 2, 2), (4, 30, 0.2, 0, 1), (2, 100, 0.05, 1, 3)]:
        clusters = 3 * k
        variance = _hussey_hughes(ex.stepped_wedge_design(clusters, k, b, t), n, rho)
        # N individuals randomised one by one have variance 4 / N; the stepped wedge with I clusters equals N * DE / n.
        assert ex.stepped_wedge_design_effect(k, n, rho, b, t) == pytest.approx(clusters * n * variance / 4, rel=1e-10), \
            f"k={k}, n={n}, icc={rho}, b={b}, t={t}: the design effect should reproduce Hussey and Hughes"


def test_clusters_stepped_wedge_reaches_power():
    """The clusters are a multiple of the steps, reach the power asked for, and one wave fewer does not."""
    p0, p1, k, n, rho = 0.5, 0.55, 3, 300, 0.07
    for r in (1.0, 0.8):
        clusters = ex.clusters_stepped_wedge(p0, p1, k, n, rho, autocorrelation=r)
        assert clusters % k == 0, "the same number of clusters at every step"
        assert ex.power_cluster_design(p0, p1, ex.stepped_wedge_design(clusters, k), n, rho, autocorrelation=r) >= 0.8
        if clusters > k:
            assert ex.power_cluster_design(p0, p1, ex.stepped_wedge_design(clusters - k, k), n, rho, autocorrelation=r) < 0.8
    individuals = 2 * NormalIndPower().solve_power(effect_size=proportion_effectsize(p1, p0), alpha=0.05, power=0.8)
    woertman = k * math.ceil(individuals * ex.stepped_wedge_design_effect(k, n, rho) / n / k)
    assert ex.clusters_stepped_wedge(p0, p1, k, n, rho) == woertman, "with autocorrelation 1 it is Woertman's answer"
    assert ex.clusters_stepped_wedge(p0, p1, k, n, rho, autocorrelation=0.8) > woertman, "drifting clusters need more"


@pytest.mark.parametrize("call, word", [
    (lambda: ex.stepped_wedge_design(2, 3), "clusters"),
    (lambda: ex.stepped_wedge_design(6, 1), "steps"),
    (lambda: ex.stepped_wedge_design(6, 3, baseline_periods=-1), "baseline_periods"),
    (lambda: ex.stepped_wedge_design(6, 3, periods_per_step=0), "periods_per_step"),
    (lambda: ex.stepped_wedge_design(6.0, 3), "clusters"),
    (lambda: ex.parallel_design(1), "clusters"),
    (lambda: ex.cluster_trial_variance([0, 1], 10, 0.1), "design"),
    (lambda: ex.cluster_trial_variance([[0, 2], [1, 1]], 10, 0.1), "design"),
    (lambda: ex.cluster_trial_variance([[0, 1], [0, 1]], 10, 0.1), "change over time"),
    (lambda: ex.cluster_trial_variance([[0], [1]], 0, 0.1), "cluster_period_size"),
    (lambda: ex.cluster_trial_variance([[0], [1]], 10, 1.0), "icc"),
    (lambda: ex.cluster_trial_variance([[0], [1]], 10, 0.1, autocorrelation=1.5), "autocorrelation"),
    (lambda: ex.stepped_wedge_design_effect(1, 10, 0.1), "steps"),
    (lambda: ex.power_cluster_design(0.5, 0.6, [[0], [1]], 10, 0.1, alpha=2), "alpha"),
    (lambda: ex.clusters_stepped_wedge(0.5, 0.5, 3, 10, 0.1), "differ"),
])
def test_cluster_design_functions_reject_bad_arguments(call, word):
    """Invalid designs and arguments raise ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=word):
        call()


# ---------------------------------------------------------------- counts by simulation
def test_draw_counts_mean_and_variance():
    """Negative-binomial draws have mean mu and variance mu + alpha mu^2; Poisson draws variance mu."""
    rng = np.random.default_rng(3)
    mu, alpha = np.full(200_000, 4.0), 0.5
    nb, pois = ex.draw_counts(mu, alpha, rng), ex.draw_counts(mu, 0.0, rng)
    assert nb.mean() == pytest.approx(4.0, rel=0.01), "the mean should be mu"
    assert nb.var() == pytest.approx(4.0 + 0.5 * 16.0, rel=0.03), "the variance should be mu + alpha mu^2"
    assert pois.var() == pytest.approx(4.0, rel=0.03), "Poisson counts have variance mu"


def test_simulated_power_matches_statsmodels_poisson():
    """Simulated power for Poisson counts matches statsmodels' power for a ratio of two Poisson rates."""
    from statsmodels.stats.rates import power_poisson_ratio_2indep

    sims = 1200
    got = ex.simulate_power_counts(np.ones(40), rate=3.0, rate_ratio=0.7, n_sims=sims, seed=8, analysis="poisson")
    expected = power_poisson_ratio_2indep(3.0 * 0.7, 3.0, nobs1=20, value=1, alternative="two-sided").power
    assert abs(got.power - expected) < 4 * math.sqrt(expected * (1 - expected) / sims) + 0.02, \
        f"simulated {got.power:.3f} should match statsmodels' {expected:.3f}"


def test_simulated_power_matches_statsmodels_negative_binomial():
    """Simulated power for negative-binomial counts matches statsmodels' power for two NB rates."""
    from statsmodels.stats.rates import power_negbin_ratio_2indep

    sims = 1200
    got = ex.simulate_power_counts(np.ones(60), rate=4.0, rate_ratio=0.6, dispersion=0.5, n_sims=sims, seed=9)
    expected = power_negbin_ratio_2indep(4.0 * 0.6, 4.0, nobs1=30, dispersion=0.5, value=1).power
    assert abs(got.power - expected) < 4 * math.sqrt(expected * (1 - expected) / sims) + 0.02, \
        f"simulated {got.power:.3f} should match statsmodels' {expected:.3f}"
    assert got.mc_se == pytest.approx(math.sqrt(got.power * (1 - got.power) / sims)), "the Monte Carlo SE is sqrt(p(1-p)/n)"


def test_simulation_checks_the_analysis():
    """With no effect the negative-binomial analysis keeps false positives near 5%; plain Poisson does not."""
    exposure = np.tile([1.5, 2.5, 3.0, 4.0, 12.0], 8)  # primaries and a big secondary, in hundreds of pupils
    nb = ex.simulate_power_counts(exposure, 1.0, 1.0, dispersion=0.4, n_sims=800, seed=1)
    poisson = ex.simulate_power_counts(exposure, 1.0, 1.0, dispersion=0.4, n_sims=800, seed=1, analysis="poisson")
    assert abs(nb.power - 0.05) < 4 * math.sqrt(0.05 * 0.95 / 800), f"false-positive rate {nb.power:.3f} should be near 5%"
    assert poisson.power > 0.15, f"plain Poisson should raise false alarms far above 5% with overdispersed counts, got {poisson.power:.3f}"


def test_simulate_power_counts_is_reproducible():
    """The same seed gives the same estimate, and a larger effect gives more power."""
    exposure = np.linspace(1, 6, 30)
    first = ex.simulate_power_counts(exposure, 1.0, 0.6, 0.3, n_sims=150, seed=4)
    assert first == ex.simulate_power_counts(exposure, 1.0, 0.6, 0.3, n_sims=150, seed=4), "same seed, same estimate"
    assert ex.simulate_power_counts(exposure, 1.0, 0.3, 0.3, n_sims=150, seed=4).power > first.power, \
        "a larger fall should be detected more often"


@pytest.mark.parametrize("kwargs, word", [
    ({"exposure": [1, 2, 3]}, "exposure"),
    ({"exposure": [1, 2, 0, 3]}, "exposure"),
    ({"rate": 0}, "rate"),
    ({"rate_ratio": -1}, "rate_ratio"),
    ({"dispersion": -0.1}, "dispersion"),
    ({"n_sims": 0}, "n_sims"),
    ({"seed": None}, "seed"),
    ({"analysis": "logistic"}, "analysis"),
    ({"alpha": 1}, "alpha"),
])
def test_simulate_power_counts_rejects_bad_arguments(kwargs, word):
    """Invalid simulation arguments raise ValueError naming the argument."""
    arguments = {"exposure": [1.0, 2.0, 3.0, 4.0], "rate": 1.0, "rate_ratio": 0.7, "n_sims": 5, "seed": 1} | kwargs
    with pytest.raises(ValueError, match=word):
        ex.simulate_power_counts(**arguments)


@pytest.mark.parametrize("call, word", [
    (lambda: ex.draw_counts([-1.0], 0.1, np.random.default_rng(1)), "mean"),
    (lambda: ex.draw_counts([1.0], -0.1, np.random.default_rng(1)), "dispersion"),
    (lambda: ex.draw_counts([1.0], 0.1, 42), "rng"),
])
def test_draw_counts_rejects_bad_arguments(call, word):
    """Negative means, negative dispersion and a missing generator raise ValueError."""
    with pytest.raises(ValueError, match=word):
        call()


# ---------------------------------------------------------------- pre-analysis plan
PLAN_TEXT = {name: f"The {name.replace('_', ' ')}." for name in [
    "hypothesis", "primary_outcome", "design", "sample_size", "analysis", "decision_rule", "stopping_rules",
    "secondary_outcomes", "missing_data"]}


def test_pre_analysis_plan_sections_and_document(tmp_path):
    """The plan has the standard headings in order, the seed in the design and tables as annexes, and writes."""
    table = pd.DataFrame({"design": ["stepped wedge"], "power": [0.82]})
    plan = ex.pre_analysis_plan(seed=20260401, tables={"power calculations": table}, **PLAN_TEXT)
    headings = [heading for heading, _ in plan]
    assert headings == [*ex.PLAN_HEADINGS, "Annex: power calculations"], f"unexpected headings {headings}"
    assert "20260401" in dict(plan)["Design and randomisation"], "the seed should be recorded in the design section"
    md, page = write_document(tmp_path / "plan", "Pre-analysis plan", plan, council="Torfaen")
    text = md.read_text(encoding="utf-8")
    assert "## Stopping rules" in text and "| stepped wedge | 0.82 |" in text, "the document should hold sections and the annex"
    assert "20260401" in page.read_text(encoding="utf-8"), "the HTML should carry the seed too"


@pytest.mark.parametrize("change, word", [
    ({"hypothesis": "  "}, "hypothesis"),
    ({"analysis": None}, "analysis"),
    ({"seed": None}, "seed"),
    ({"seed": -3}, "seed"),
    ({"tables": {"power": "0.8"}}, "power"),
    ({"tables": {"empty": pd.DataFrame()}}, "empty"),
])
def test_pre_analysis_plan_rejects_gaps(change, word):
    """A blank section, a missing seed or a table that is not a DataFrame raise ValueError naming it."""
    arguments = PLAN_TEXT | {"seed": 1} | change
    with pytest.raises(ValueError, match=word):
        ex.pre_analysis_plan(**arguments)
