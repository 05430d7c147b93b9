"""Tests of curriculum.pooling: effect sizes, random-effects pooling, meta-regression, cost per outcome, the rule."""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from curriculum import pooling as pl
from curriculum.style import HIGHLIGHT


# ----------------------------------------------------------------- independent references
def hand_dersimonian_laird(y, se):
    """DerSimonian and Laird (1986) written out from the paper, with plain Python loops."""
    y, v = list(map(float, y)), [float(s) ** 2 for s in se]
    k = len(y)
    w = [1.0 / vi for vi in v]
    sw = sum(w)
    fixed = sum(wi * yi for wi, yi in zip(w, y)) / sw
    q = sum(wi * (yi - fixed) ** 2 for wi, yi in zip(w, y))
    c = sw - sum(wi**2 for wi in w) / sw
    tau2 = max(0.0, (q - (k - 1)) / c)
    w_star = [1.0 / (vi + tau2) for vi in v]
    mu = sum(wi * yi for wi, yi in zip(w_star, y)) / sum(w_star)
    se_mu = math.sqrt(1.0 / sum(w_star))
    return {"fixed": fixed, "fixed_se": math.sqrt(1.0 / sw), "q": q, "tau2": tau2, "mu": mu, "se": se_mu}


@pytest.fixture
def sites() -> pd.DataFrame:
    """Twelve sites' arm counts with real heterogeneity (some sites work, some do not)."""
    return pd.DataFrame({
        "events_t": [64, 110, 100, 118, 94, 80, 115, 102, 84, 110, 92, 178],
        "n_t": [144, 204, 188, 210, 195, 162, 195, 180, 192, 168, 198, 289],
        "events_c": [56, 80, 76, 85, 84, 70, 81, 73, 81, 72, 87, 109],
        "n_c": [134, 187, 163, 201, 187, 155, 173, 158, 179, 153, 191, 268],
        "fidelity": [51, 79, 67, 89, 72, 49, 78, 67, 46, 71, 81, 90],
    }, index=[f"site {i}" for i in range(12)])


@pytest.fixture
def effects(sites) -> pd.DataFrame:
    """Risk differences of the ten sites."""
    return pl.risk_difference(sites["events_t"], sites["n_t"], sites["events_c"], sites["n_c"])


# ----------------------------------------------------------------- effect sizes
def test_risk_difference_matches_hand_formula(sites, effects):
    """The risk difference and its SE are p1 - p0 and sqrt(p1(1-p1)/n1 + p0(1-p0)/n0)."""
    p1, p0 = sites["events_t"] / sites["n_t"], sites["events_c"] / sites["n_c"]
    se = np.sqrt(p1 * (1 - p1) / sites["n_t"] + p0 * (1 - p0) / sites["n_c"])
    assert np.allclose(effects["effect"], p1 - p0), "effect should be the pilot share minus the comparison share"
    assert np.allclose(effects["se"], se), "se should be the unpooled binomial standard error"
    assert np.allclose(effects["ci_high"] - effects["effect"], 1.959964 * se, rtol=1e-6), "the CI should be effect ± 1.96 se"
    assert list(effects.index) == list(sites.index), "the result should keep the sites' index"


def test_risk_difference_interval_covers_by_simulation():
    """The 95% interval of a single site covers the true difference about 95% of the time."""
    rng = np.random.default_rng(3)
    n, p1, p0 = 400, 0.55, 0.45
    e1, e0 = rng.binomial(n, p1, 4000), rng.binomial(n, p0, 4000)
    table = pl.risk_difference(e1, np.full(4000, n), e0, np.full(4000, n))
    coverage = ((table["ci_low"] <= p1 - p0) & (p1 - p0 <= table["ci_high"])).mean()
    assert 0.93 < coverage < 0.97, f"coverage {coverage:.3f} should be close to 0.95"


@pytest.mark.parametrize("args, word", [
    (([5, 6], [10], [5], [10]), "same length"),
    (([11], [10], [5], [10]), "exceed"),
    (([-1], [10], [5], [10]), "negative"),
    (([1], [0], [0], [10]), "positive"),
    (([np.nan], [10], [5], [10]), "missing"),
    (([0], [10], [0], [10]), "standard error is zero"),
    (("five", [10], [5], [10]), "events_treated"),
])
def test_risk_difference_rejects_bad_counts(args, word):
    """Inconsistent counts raise ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=word):
        pl.risk_difference(*args)


def test_mean_difference_matches_hand_formula():
    """The mean difference's SE is sqrt(s1²/n1 + s0²/n0)."""
    table = pl.mean_difference([3.0, 2.0], [8.0, 7.0], [100, 50], [1.0, 2.5], [6.0, 7.5], [100, 60])
    assert np.allclose(table["effect"], [2.0, -0.5]), "effect should be treated minus control"
    assert np.allclose(table["se"], [1.0, math.sqrt(49 / 50 + 56.25 / 60)]), "se should use unequal variances"


def test_standardised_mean_difference_is_hedges_g():
    """The SMD is Hedges' g: the mean difference over the pooled SD with the small-sample correction."""
    m1, s1, n1, m0, s0, n0 = 12.0, 4.0, 20, 10.0, 5.0, 25
    pooled_sd = math.sqrt(((n1 - 1) * s1**2 + (n0 - 1) * s0**2) / (n1 + n0 - 2))
    g = (1 - 3 / (4 * (n1 + n0) - 9)) * (m1 - m0) / pooled_sd
    borenstein_var = (n1 + n0) / (n1 * n0) + g**2 / (2 * (n1 + n0))
    table = pl.standardised_mean_difference([m1], [s1], [n1], [m0], [s0], [n0])
    assert table["effect"].iloc[0] == pytest.approx(g), "effect should be Hedges' g"
    assert table["se"].iloc[0] ** 2 == pytest.approx(borenstein_var, rel=0.01), "variance should be close to Borenstein's"


@pytest.mark.parametrize("func", [pl.mean_difference, pl.standardised_mean_difference])
@pytest.mark.parametrize("args, word", [
    (([1.0], [-2.0], [10], [1.0], [2.0], [10]), "sd_treated"),
    (([1.0], [2.0], [1], [1.0], [2.0], [10]), "n_treated"),
    (([1.0], [0.0], [10], [1.0], [0.0], [10]), "both zero"),
    (([1.0, 2.0], [2.0], [10], [1.0], [2.0], [10]), "same length"),
])
def test_mean_differences_reject_bad_arms(func, args, word):
    """Impossible arm summaries raise ValueError naming the problem."""
    with pytest.raises(ValueError, match=word):
        func(*args)


# ----------------------------------------------------------------- pooling
@pytest.mark.parametrize("method", ["dl", "pm"])
def test_fixed_effect_is_inverse_variance_mean(effects, method):
    """The fixed-effect estimate is the inverse-variance weighted mean, with SE 1/sqrt(sum of weights)."""
    w = 1 / effects["se"] ** 2
    pooled = pl.pool_effects(effects["effect"], effects["se"], method=method)
    assert pooled.fixed_estimate == pytest.approx(np.average(effects["effect"], weights=w)), "weighted mean"
    assert pooled.fixed_se == pytest.approx(1 / math.sqrt(w.sum())), "1 / sqrt(sum w)"


def test_dersimonian_laird_matches_hand_computation(effects):
    """Q, tau², the pooled estimate and its SE agree with DerSimonian and Laird written out by hand."""
    hand = hand_dersimonian_laird(effects["effect"], effects["se"])
    pooled = pl.pool_effects(effects["effect"], effects["se"], method="dl")
    assert hand["tau2"] > 0, "the fixture should be heterogeneous"
    assert pooled.q == pytest.approx(hand["q"]), "Cochran's Q"
    assert pooled.tau2 == pytest.approx(hand["tau2"]), "the DL tau²"
    assert pooled.estimate == pytest.approx(hand["mu"]), "the random-effects estimate"
    assert pooled.se == pytest.approx(hand["se"]), "its standard error"
    assert pooled.ci_low == pytest.approx(hand["mu"] - 1.959964 * hand["se"], rel=1e-6), "a normal 95% CI"
    assert pooled.weights.sum() == pytest.approx(1.0), "relative weights sum to one"
    assert list(pooled.weights.index) == list(effects.index), "weights are labelled by site"


def test_i_squared_follows_its_formula(effects):
    """I² is (Q - df) / Q, and 0 when Q is below its degrees of freedom."""
    pooled = pl.pool_effects(effects["effect"], effects["se"])
    assert pooled.i2 == pytest.approx((pooled.q - (pooled.k - 1)) / pooled.q), "I² = (Q - df) / Q"
    assert pl.i_squared(5.0, 10) == 0.0, "Q below df gives I² = 0, not a negative share"
    assert pl.i_squared(0.0, 3) == 0.0, "Q = 0 gives I² = 0"
    assert pooled.q_pvalue == pytest.approx(stats.chi2.sf(pooled.q, pooled.k - 1)), "Q's chi-squared p-value"


def test_homogeneous_sites_truncate_tau2_at_zero():
    """When Q < df, statsmodels' raw DL tau² is negative; the package truncates it and random = fixed."""
    y = np.array([0.10, 0.11, 0.09, 0.10, 0.105])
    se = np.full(5, 0.05)
    pooled = pl.pool_effects(y, se, method="dl")
    assert pooled.tau2 == 0.0, "tau² must not be negative"
    assert pooled.estimate == pytest.approx(pooled.fixed_estimate), "with tau² = 0 the random-effects estimate is the fixed one"
    assert pooled.se == pytest.approx(pooled.fixed_se), "and so is its SE"
    assert pooled.i2 == 0.0, "no heterogeneity beyond chance"


def test_paule_mandel_solves_its_estimating_equation(effects):
    """At the Paule-Mandel tau², the generalised Q equals its expectation k - 1."""
    pooled = pl.pool_effects(effects["effect"], effects["se"], method="pm")
    w = 1 / (effects["se"] ** 2 + pooled.tau2)
    mu = np.average(effects["effect"], weights=w)
    generalised_q = (w * (effects["effect"] - mu) ** 2).sum()
    assert pooled.tau2 > 0, "the fixture is heterogeneous"
    assert generalised_q == pytest.approx(len(effects) - 1, abs=1e-3), "sum w (y - mu)² should equal k - 1"
    assert pooled.estimate == pytest.approx(mu), "the PM estimate is the weighted mean with those weights"


def test_random_effects_interval_covers_by_simulation():
    """Across simulated meta-analyses of 25 sites, the DL interval covers the true mean about 95% of the time."""
    rng = np.random.default_rng(5)
    mu, tau, hits = 0.08, 0.04, 0
    for _ in range(600):
        se = rng.uniform(0.03, 0.06, 25)
        y = rng.normal(mu, tau, 25) + rng.normal(0, se)
        pooled = pl.pool_effects(y, se)
        hits += pooled.ci_low <= mu <= pooled.ci_high
    assert 0.90 < hits / 600 < 0.98, f"coverage {hits / 600:.3f} should be near 0.95"


def test_prediction_interval_formula_and_new_site_coverage():
    """The prediction interval is mu ± t(k-2) sqrt(tau² + se²) and covers a new site's true effect."""
    low, high = pl.prediction_interval(0.1, 0.02, 0.0016, 12)
    half = stats.t.ppf(0.975, 10) * math.sqrt(0.0016 + 0.0004)
    assert (low, high) == pytest.approx((0.1 - half, 0.1 + half)), "mu ± t(k - 2) * sqrt(tau2 + se**2)"
    rng = np.random.default_rng(8)
    hits = 0
    for _ in range(500):
        se = rng.uniform(0.02, 0.05, 15)
        y = rng.normal(0.08, 0.05, 15) + rng.normal(0, se)
        pooled = pl.pool_effects(y, se)
        hits += pooled.pi_low <= rng.normal(0.08, 0.05) <= pooled.pi_high
    assert hits / 500 > 0.88, f"a new site's true effect should usually lie inside, got {hits / 500:.3f}"


@pytest.mark.parametrize("kwargs, word", [
    ({"estimate": 0.1, "se": 0.02, "tau2": 0.001, "k": 2}, "k"),
    ({"estimate": 0.1, "se": -0.02, "tau2": 0.001, "k": 5}, "se"),
    ({"estimate": 0.1, "se": 0.02, "tau2": -0.001, "k": 5}, "tau2"),
    ({"estimate": 0.1, "se": 0.02, "tau2": 0.001, "k": 5, "alpha": 1.5}, "alpha"),
])
def test_prediction_interval_rejects_bad_arguments(kwargs, word):
    """Out-of-range arguments raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=word):
        pl.prediction_interval(**kwargs)


@pytest.mark.parametrize("kwargs, word", [
    ({"effect": [0.1], "se": [0.02]}, "at least two"),
    ({"effect": [0.1, 0.2], "se": [0.02, 0.0]}, "se must be positive"),
    ({"effect": [0.1, 0.2], "se": [0.02]}, "same length"),
    ({"effect": [0.1, 0.2], "se": [0.02, 0.03], "method": "reml"}, "method"),
    ({"effect": [0.1, 0.2], "se": [0.02, 0.03], "labels": ["a"]}, "labels"),
    ({"effect": [0.1, np.nan], "se": [0.02, 0.03]}, "missing"),
])
def test_pool_effects_rejects_bad_arguments(kwargs, word):
    """Unusable inputs raise ValueError saying which."""
    with pytest.raises(ValueError, match=word):
        pl.pool_effects(**kwargs)


def test_two_sites_pool_without_a_prediction_interval():
    """With two sites the pooled estimate exists but the prediction interval (k - 2 df) does not."""
    pooled = pl.pool_effects([0.1, 0.2], [0.05, 0.05])
    assert math.isnan(pooled.pi_low) and math.isnan(pooled.pi_high), "no prediction interval with k = 2"
    assert pooled.summary().shape == (3, 3), "the summary has fixed, random and prediction rows"


# ----------------------------------------------------------------- meta-regression
def test_meta_regression_matches_weighted_least_squares(effects, sites):
    """With tau² given, the slope equals numpy's weighted polyfit and the SE the closed form."""
    tau2 = 0.002
    w = 1 / (effects["se"] ** 2 + tau2)
    fit = pl.meta_regression(effects["effect"], effects["se"], sites["fidelity"], tau2=tau2)
    slope, intercept = np.polyfit(sites["fidelity"], effects["effect"], 1, w=np.sqrt(w))
    assert fit.slope == pytest.approx(slope), "the WLS slope"
    assert fit.intercept == pytest.approx(intercept), "the WLS intercept"
    x_bar = np.average(sites["fidelity"], weights=w)
    se = 1 / math.sqrt((w * (sites["fidelity"] - x_bar) ** 2).sum())
    assert fit.slope_se == pytest.approx(se), "with the scale fixed at 1, SE = 1 / sqrt(sum w (x - x̄)²)"
    assert fit.moderator == "fidelity", "the moderator's name comes from the Series"


def test_meta_regression_residual_tau2(effects, sites):
    """Without a moderator the method-of-moments tau² is DerSimonian-Laird's; with one it is no larger here."""
    fit = pl.meta_regression(effects["effect"], effects["se"], sites["fidelity"])
    hand = hand_dersimonian_laird(effects["effect"], effects["se"])
    assert fit.tau2_total == pytest.approx(hand["tau2"]), "the total tau² should be the DL estimate"
    assert 0 <= fit.tau2 <= fit.tau2_total, "fidelity should explain part of the heterogeneity in this fixture"
    assert fit.r2 == pytest.approx(1 - fit.tau2 / fit.tau2_total), "R² is the share of tau² explained"


def test_meta_regression_recovers_a_simulated_slope():
    """Across many simulated sites the slope estimate is close to the true one."""
    rng = np.random.default_rng(2)
    x = rng.uniform(40, 95, 400)
    se = rng.uniform(0.03, 0.06, 400)
    y = -0.1 + 0.003 * x + rng.normal(0, 0.02, 400) + rng.normal(0, se)
    fit = pl.meta_regression(y, se, x)
    assert abs(fit.slope - 0.003) < 3 * fit.slope_se, f"slope {fit.slope:.5f} should be near 0.003"
    assert fit.slope_ci_low < 0.003 < fit.slope_ci_high, "the CI should cover the true slope"
    predicted = fit.predict([50, 90])
    assert predicted["effect"].tolist() == pytest.approx([fit.intercept + 50 * fit.slope, fit.intercept + 90 * fit.slope])


@pytest.mark.parametrize("kwargs, word", [
    ({"effect": [0.1, 0.2], "se": [0.05, 0.05], "moderator": [1, 2]}, "three"),
    ({"effect": [0.1, 0.2, 0.3], "se": [0.05, 0.05, 0.05], "moderator": [1, 1, 1]}, "vary"),
    ({"effect": [0.1, 0.2, 0.3], "se": [0.05, 0.05, 0.05], "moderator": [1, 2]}, "same length"),
    ({"effect": [0.1, 0.2, 0.3], "se": [0.05, 0.05, 0.05], "moderator": [1, 2, 3], "tau2": -1}, "tau2"),
])
def test_meta_regression_rejects_bad_arguments(kwargs, word):
    """Unusable inputs raise ValueError naming the problem."""
    with pytest.raises(ValueError, match=word):
        pl.meta_regression(**kwargs)


# ----------------------------------------------------------------- cost per outcome
def test_cost_interval_matches_the_monotone_transform():
    """With a known cost, the interval is cost / (effect ± z se): quantiles survive a monotone transform."""
    result = pl.cost_per_outcome(250.0, 0.08, 0.015, n_sims=100_000, seed=4)
    z = stats.norm.ppf(0.975)
    assert result.point == pytest.approx(250 / 0.08), "the point estimate is cost / effect"
    assert result.low == pytest.approx(250 / (0.08 + z * 0.015), rel=0.01), "lower limit at the optimistic effect"
    assert result.high == pytest.approx(250 / (0.08 - z * 0.015), rel=0.01), "upper limit at the pessimistic effect"
    assert result.share_not_positive < 1e-4, "an effect 5 SE above zero is essentially never negative"


def test_cost_interval_is_unbounded_when_the_effect_may_be_zero():
    """An effect within two SE of zero gives an infinite upper limit and a matching share not positive."""
    result = pl.cost_per_outcome(250.0, 0.01, 0.02, seed=1)
    assert math.isinf(result.high), "the upper limit should be infinite"
    assert result.share_not_positive == pytest.approx(stats.norm.cdf(-0.5), abs=0.01), "P(effect <= 0)"
    assert result.share_below(1e9) == pytest.approx(1 - result.share_not_positive), "finite draws are below a huge ceiling"
    assert math.isinf(pl.cost_per_outcome(250.0, -0.01, 0.02).point), "a negative effect costs infinitely much per outcome"


def test_cost_interval_is_reproducible_and_widens_with_cost_uncertainty():
    """The same seed gives the same interval; uncertain costs widen it."""
    a = pl.cost_per_outcome(250.0, 0.08, 0.015, seed=9)
    b = pl.cost_per_outcome(250.0, 0.08, 0.015, seed=9)
    wide = pl.cost_per_outcome(250.0, 0.08, 0.015, cost_se=60.0, seed=9)
    assert (a.low, a.high) == (b.low, b.high), "same seed, same interval"
    assert wide.high - wide.low > a.high - a.low, "cost uncertainty should widen the interval"


@pytest.mark.parametrize("kwargs, word", [
    ({"cost_per_participant": -1, "effect": 0.1, "se": 0.01}, "cost_per_participant"),
    ({"cost_per_participant": 100, "effect": 0.1, "se": -0.01}, "se"),
    ({"cost_per_participant": 100, "effect": 0.1, "se": 0.01, "n_sims": 10}, "n_sims"),
    ({"cost_per_participant": 100, "effect": 0.1, "se": 0.01, "seed": -3}, "seed"),
    ({"cost_per_participant": 100, "effect": 0.1, "se": 0.01, "cost_se": -5}, "cost_se"),
])
def test_cost_per_outcome_rejects_bad_arguments(kwargs, word):
    """Out-of-range arguments raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=word):
        pl.cost_per_outcome(**kwargs)


# ----------------------------------------------------------------- the decision
RULE = pl.DecisionRule(min_effect=0.05, max_cost_per_outcome=6500)


@pytest.mark.parametrize("numbers, expected", [
    ((0.10, 0.07, 0.13, 0.02, 200.0), "scale"),
    ((0.10, 0.07, 0.13, -0.02, 200.0), "adapt"),
    ((0.02, -0.01, 0.04, -0.05, 200.0), "stop"),
    ((0.10, 0.07, 0.13, 0.02, 900.0), "stop"),    # 900 / 0.13 > 6,500: too dear even at best
    ((0.10, 0.07, 0.13, 0.02, 700.0), "adapt"),   # 700 / 0.13 within, 700 / 0.10 above the ceiling
    ((0.05, 0.01, 0.09, 0.001, 200.0), "scale"),  # exactly the smallest worthwhile effect passes
    ((0.04, 0.01, 0.07, 0.001, 200.0), "adapt"),
])
def test_verdict_branches(numbers, expected):
    """Each branch of the rule gives its verdict."""
    assert pl.verdict(*numbers, RULE) == expected, f"{numbers} should give {expected}"


def test_decide_explains_itself(effects):
    """decide returns the verdict of verdict(), with reasons and every check."""
    pooled = pl.pool_effects(effects["effect"], effects["se"])
    decision = pl.decide(pooled, RULE, 230.0)
    assert decision.verdict == pl.verdict(pooled.estimate, pooled.ci_low, pooled.ci_high, pooled.pi_low, 230.0, RULE)
    assert decision.verdict in pl.VERDICTS
    assert decision.reasons and all(isinstance(r, str) for r in decision.reasons), "reasons are sentences"
    assert len(decision.checks) == 6 and decision.checks["met"].dtype == bool, "six conditions, each met or not"
    assert "Stop if" in RULE.describe() and RULE.describe().count("\n- ") == 2, "the rule reads as three bullets"


@pytest.mark.parametrize("kwargs, word", [
    ({"min_effect": 0, "max_cost_per_outcome": 100}, "min_effect"),
    ({"min_effect": 0.05, "max_cost_per_outcome": -1}, "max_cost_per_outcome"),
    ({"min_effect": 0.05, "max_cost_per_outcome": 100, "min_prediction": float("nan")}, "min_prediction"),
])
def test_decision_rule_rejects_bad_thresholds(kwargs, word):
    """A rule with impossible thresholds is refused, naming the threshold."""
    with pytest.raises(ValueError, match=word):
        pl.DecisionRule(**kwargs)


def test_decide_and_verdict_reject_bad_inputs(effects):
    """Wrong types raise TypeError; a reversed interval or two-site pooling raises ValueError."""
    pooled = pl.pool_effects(effects["effect"], effects["se"])
    with pytest.raises(TypeError, match="pooled"):
        pl.decide({"estimate": 0.1}, RULE, 200.0)
    with pytest.raises(TypeError, match="rule"):
        pl.decide(pooled, {"min_effect": 0.05}, 200.0)
    with pytest.raises(ValueError, match="ci_low"):
        pl.verdict(0.1, 0.2, 0.1, 0.0, 200.0, RULE)
    with pytest.raises(ValueError, match="prediction interval"):
        pl.decide(pl.pool_effects([0.1, 0.2], [0.05, 0.05]), RULE, 200.0)


# ----------------------------------------------------------------- plots
def test_forest_plot_highlights_and_labels(effects, sites):
    """The forest plot draws one row per site plus the pooled rows, the highlighted site in HIGHLIGHT."""
    frame = effects.assign(site_name=list(sites.index), area_name=["Cardiff"] + ["Other"] * 11)
    pooled = pl.pool_effects(frame["effect"], frame["se"])
    ax = pl.plot_forest(frame, pooled=pooled, highlight="cardiff", reference=0.05, scale=100)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(frame) + 2 and labels[0] == "site 0", "sites then the pooled rows"
    assert matplotlib.colors.to_hex(ax.get_yticklabels()[0].get_color()) == HIGHLIGHT.lower(), "the council's site is highlighted"
    plt.close("all")
    ax = pl.plot_moderator(frame.assign(fidelity=sites["fidelity"].to_numpy()), "fidelity",
                           regression=pl.meta_regression(frame["effect"], frame["se"], sites["fidelity"]), highlight="Nowhere")
    assert ax.get_xlabel() == "fidelity", "the moderator labels the axis"
    plt.close("all")


@pytest.mark.parametrize("func", [pl.plot_forest, pl.plot_moderator])
def test_plots_reject_frames_without_columns(func):
    """A frame missing the columns needed raises ValueError listing them."""
    with pytest.raises(ValueError, match="lacks"):
        func(pd.DataFrame({"x": [1]}))


# ----------------------------------------------------------------- the decision record
def test_decision_record_sections_write_a_document(effects, sites, tmp_path):
    """The record holds the rule, a row per site, the pooled table and the reasons, and write_document accepts it."""
    from curriculum.artefacts import write_document

    frame = effects.assign(site_name=list(sites.index), area_name="Torfaen", n_pilot=sites["n_t"],
                           n_comparison=sites["n_c"], fidelity=sites["fidelity"], cost=sites["n_t"] * 230.0)
    pooled = pl.pool_effects(frame["effect"], frame["se"])
    regression = pl.meta_regression(frame["effect"], frame["se"], frame["fidelity"])
    decision = pl.decide(pooled, RULE, 230.0, regression=regression)
    cost = pl.cost_per_outcome(230.0, pooled.estimate, pooled.se)
    sections = pl.decision_record("Scale, adapt or stop?", RULE, frame, pooled, decision, regression=regression,
                                  cost=cost, next_steps="Pool again in a year.")
    headings = [h for h, _ in sections]
    assert headings[0] == "The question" and headings[-1] == "What happens next", "question first, next steps last"
    assert f"Decision: {decision.verdict.upper()}" in headings, "the verdict is a heading"
    table = dict(sections)["The sites"]
    assert len(table) == len(frame) and "Cost per participant (GBP)" in table.columns, "one row per site, with costs"
    assert (table["Cost per participant (GBP)"] == 230).all(), "cost per participant is cost over pilot participants"
    md, _ = write_document(tmp_path / "record", "Decision record", sections, council="Torfaen")
    text = md.read_text(encoding="utf-8")
    assert "Stop if" in text and decision.reasons[0] in text, "the rule and the reasons are in the document"


@pytest.mark.parametrize("change, error", [
    ({"question": "  "}, ValueError),
    ({"rule": {"min_effect": 0.05}}, TypeError),
    ({"cost": 2500.0}, TypeError),
    ({"effects": pd.DataFrame({"effect": [0.1]})}, ValueError),
])
def test_decision_record_rejects_bad_arguments(effects, change, error):
    """A blank question, wrong types or missing columns are refused."""
    frame = effects.assign(site_name=[f"s{i}" for i in range(len(effects))])
    pooled = pl.pool_effects(frame["effect"], frame["se"])
    args = {"question": "Scale?", "rule": RULE, "effects": frame, "pooled": pooled,
            "decision": pl.decide(pooled, RULE, 230.0)}
    args.update(change)
    with pytest.raises(error):
        pl.decision_record(**args)
