"""Tests of curriculum.experiments: clustering, power, stratified randomisation and balance."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from curriculum import experiments as ex


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
