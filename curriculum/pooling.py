"""Pooling pilot results from several places: adopt, adapt or scale.

The functions behind the Adaption Lab's module on scaling. A programme piloted at several
sites (councils, GP clusters, schools) gives one effect per site; this module turns the
numbers in each arm into effect sizes with standard errors, pools them with a
random-effects meta-analysis (:func:`statsmodels.stats.meta_analysis.combine_effects`,
DerSimonian-Laird or Paule-Mandel), measures how much the places differ (tau², I², a
prediction interval for a new place), asks whether the effect grows with fidelity to the
core components (a weighted meta-regression on :class:`statsmodels.regression.linear_model.WLS`),
puts a simulated interval on the cost per extra outcome, and applies a decision rule,
written down before the results were seen, that returns *scale*, *adapt* or *stop* with
its reasons.

Nothing happens on import.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.meta_analysis import (
    combine_effects,
    effectsize_2proportions,
    effectsize_smd,
)

from curriculum.style import HIGHLIGHT, MUTED
from curriculum.views import axes

__all__ = [
    "risk_difference",
    "mean_difference",
    "standardised_mean_difference",
    "PooledEstimate",
    "pool_effects",
    "i_squared",
    "prediction_interval",
    "MetaRegression",
    "meta_regression",
    "CostPerOutcome",
    "cost_per_outcome",
    "DecisionRule",
    "Decision",
    "verdict",
    "decide",
    "decision_record",
    "plot_forest",
    "plot_moderator",
]

_METHODS = {"dl": "dl", "dersimonian-laird": "dl", "pm": "pm", "paule-mandel": "pm"}
_METHOD_NAMES = {"dl": "DerSimonian-Laird", "pm": "Paule-Mandel"}
VERDICTS: tuple[str, ...] = ("scale", "adapt", "stop")


# --------------------------------------------------------------------------- checks
def _number(name: str, value, *, low: float | None = None, high: float | None = None,
            low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a finite float, or raise ValueError naming ``name``."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if low is not None and (number <= low if low_open else number < low):
        raise ValueError(f"{name} must be {'more than' if low_open else 'at least'} {low:g}, got {value!r}")
    if high is not None and (number >= high if high_open else number > high):
        raise ValueError(f"{name} must be {'less than' if high_open else 'at most'} {high:g}, got {value!r}")
    return number


def _alpha(alpha) -> float:
    return _number("alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True)


def _array(name: str, values, *, allow_negative: bool = True) -> np.ndarray:
    """Return a one-dimensional float array without missing values, or raise naming ``name``."""
    if isinstance(values, (str, bytes)):
        raise ValueError(f"{name} must be a sequence of numbers, got {values!r}")
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers only") from None
    array = np.atleast_1d(array)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must not hold missing or infinite values (rows {np.flatnonzero(~np.isfinite(array)).tolist()})")
    if not allow_negative and (array < 0).any():
        raise ValueError(f"{name} must not be negative (rows {np.flatnonzero(array < 0).tolist()})")
    return array


def _same_length(**arrays: np.ndarray) -> int:
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError("the inputs must have the same length, got " + ", ".join(f"{n}={k}" for n, k in lengths.items()))
    return next(iter(lengths.values()))


def _index(*candidates) -> pd.Index | None:
    for values in candidates:
        if isinstance(values, (pd.Series, pd.DataFrame)):
            return values.index
    return None


def _table(effect: np.ndarray, se: np.ndarray, alpha: float, index) -> pd.DataFrame:
    z = stats.norm.isf(alpha / 2)
    return pd.DataFrame({"effect": effect, "se": se, "ci_low": effect - z * se, "ci_high": effect + z * se},
                        index=index)


# ------------------------------------------------------------------ effect sizes
def risk_difference(events_treated, n_treated, events_control, n_control, alpha: float = 0.05) -> pd.DataFrame:
    """Return each site's risk difference (treated minus control) and its standard error.

    Uses :func:`statsmodels.stats.meta_analysis.effectsize_2proportions` with
    ``statistic="diff"``: the difference of the two proportions, with variance
    ``p1 (1 - p1) / n1 + p0 (1 - p0) / n0``.

    Parameters
    ----------
    events_treated : array-like of int
        People with the outcome in the treated (pilot) arm at each site.
    n_treated : array-like of int
        People followed up in the treated arm (positive).
    events_control : array-like of int
        People with the outcome in the control (comparison) arm.
    n_control : array-like of int
        People followed up in the control arm (positive).
    alpha : float, default 0.05
        Significance level of the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        One row per site (indexed like the first pandas input, if any) with columns
        ``effect`` (the risk difference, between -1 and 1), ``se``, ``ci_low`` and
        ``ci_high`` (normal-approximation interval).

    Raises
    ------
    ValueError
        If the inputs differ in length, hold missing or negative values, a site has more
        events than people or no one followed up, a site's standard error is zero
        (everyone or no one with the outcome in both arms), or ``alpha`` is not in (0, 1).

    Examples
    --------
    >>> risk_difference([60], [100], [45], [100])["effect"].round(2).tolist()
    [0.15]
    """
    level = _alpha(alpha)
    e1 = _array("events_treated", events_treated, allow_negative=False)
    n1 = _array("n_treated", n_treated, allow_negative=False)
    e0 = _array("events_control", events_control, allow_negative=False)
    n0 = _array("n_control", n_control, allow_negative=False)
    _same_length(events_treated=e1, n_treated=n1, events_control=e0, n_control=n0)
    for name, n in (("n_treated", n1), ("n_control", n0)):
        if (n <= 0).any():
            raise ValueError(f"{name} must be positive at every site (rows {np.flatnonzero(n <= 0).tolist()})")
    for name, e, n in (("events_treated", e1, n1), ("events_control", e0, n0)):
        if (e > n).any():
            raise ValueError(f"{name} must not exceed the people followed up (rows {np.flatnonzero(e > n).tolist()})")
    effect, variance = effectsize_2proportions(e1, n1, e0, n0, statistic="diff")
    effect, variance = np.asarray(effect, dtype=float), np.asarray(variance, dtype=float)
    if (variance <= 0).any():
        raise ValueError("events_treated and events_control: the standard error is zero where everyone or no one had "
                         f"the outcome in both arms (rows {np.flatnonzero(variance <= 0).tolist()}); such sites "
                         "carry no information about a difference, leave them out")
    return _table(effect, np.sqrt(variance), level, _index(events_treated, n_treated, events_control, n_control))


def _arm_inputs(mean_treated, sd_treated, n_treated, mean_control, sd_control, n_control):
    m1 = _array("mean_treated", mean_treated)
    s1 = _array("sd_treated", sd_treated, allow_negative=False)
    n1 = _array("n_treated", n_treated, allow_negative=False)
    m0 = _array("mean_control", mean_control)
    s0 = _array("sd_control", sd_control, allow_negative=False)
    n0 = _array("n_control", n_control, allow_negative=False)
    _same_length(mean_treated=m1, sd_treated=s1, n_treated=n1, mean_control=m0, sd_control=s0, n_control=n0)
    for name, n in (("n_treated", n1), ("n_control", n0)):
        if (n < 2).any():
            raise ValueError(f"{name} must be at least 2 at every site (rows {np.flatnonzero(n < 2).tolist()})")
    return m1, s1, n1, m0, s0, n0


def mean_difference(mean_treated, sd_treated, n_treated, mean_control, sd_control, n_control,
                    alpha: float = 0.05) -> pd.DataFrame:
    """Return each site's difference in means (treated minus control) and its standard error.

    The standard error is ``sqrt(sd1**2 / n1 + sd0**2 / n0)`` (unequal variances).

    Parameters
    ----------
    mean_treated, sd_treated, n_treated : array-like of float
        Mean, standard deviation and people followed up in the treated arm at each site.
    mean_control, sd_control, n_control : array-like of float
        The same for the control arm.
    alpha : float, default 0.05
        Significance level of the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        Columns ``effect`` (in the outcome's own units), ``se``, ``ci_low`` and ``ci_high``.

    Raises
    ------
    ValueError
        If the inputs differ in length, hold missing values, a standard deviation is
        negative, an arm has fewer than two people, both standard deviations of a site
        are zero, or ``alpha`` is not in (0, 1).

    Examples
    --------
    >>> mean_difference([3.0], [8.0], [100], [1.0], [6.0], [100])[["effect", "se"]].round(2).values.tolist()
    [[2.0, 1.0]]
    """
    level = _alpha(alpha)
    m1, s1, n1, m0, s0, n0 = _arm_inputs(mean_treated, sd_treated, n_treated, mean_control, sd_control, n_control)
    se = np.sqrt(s1**2 / n1 + s0**2 / n0)
    if (se <= 0).any():
        raise ValueError(f"sd_treated and sd_control are both zero at rows {np.flatnonzero(se <= 0).tolist()}")
    return _table(m1 - m0, se, level, _index(mean_treated, sd_treated, n_treated, mean_control, sd_control, n_control))


def standardised_mean_difference(mean_treated, sd_treated, n_treated, mean_control, sd_control, n_control,
                                 alpha: float = 0.05) -> pd.DataFrame:
    """Return each site's standardised mean difference (Hedges' g) and its standard error.

    Uses :func:`statsmodels.stats.meta_analysis.effectsize_smd`: the difference in means
    over the pooled standard deviation, with the small-sample bias correction. Use it when
    sites measured the outcome on different scales.

    Parameters
    ----------
    mean_treated, sd_treated, n_treated : array-like of float
        Mean, standard deviation and people followed up in the treated arm at each site.
    mean_control, sd_control, n_control : array-like of float
        The same for the control arm.
    alpha : float, default 0.05
        Significance level of the confidence intervals.

    Returns
    -------
    pandas.DataFrame
        Columns ``effect`` (in standard deviations), ``se``, ``ci_low`` and ``ci_high``.

    Raises
    ------
    ValueError
        As :func:`mean_difference`.

    Examples
    --------
    >>> round(float(standardised_mean_difference([3.0], [8.0], [100], [1.0], [8.0], [100])["effect"].iloc[0]), 3)
    0.249
    """
    level = _alpha(alpha)
    m1, s1, n1, m0, s0, n0 = _arm_inputs(mean_treated, sd_treated, n_treated, mean_control, sd_control, n_control)
    if ((s1 == 0) & (s0 == 0)).any():
        raise ValueError(f"sd_treated and sd_control are both zero at rows {np.flatnonzero((s1 == 0) & (s0 == 0)).tolist()}")
    effect, variance = effectsize_smd(m1, s1, n1, m0, s0, n0)
    return _table(np.asarray(effect, float), np.sqrt(np.asarray(variance, float)), level,
                  _index(mean_treated, sd_treated, n_treated, mean_control, sd_control, n_control))


# ------------------------------------------------------------------- pooling
def i_squared(q: float, k: int) -> float:
    """Return I², the share of the variation between sites beyond chance.

    ``I² = max(0, (Q - (k - 1)) / Q)`` (Higgins and Thompson, 2002), from Cochran's Q
    over ``k`` sites.

    Parameters
    ----------
    q : float
        Cochran's Q (non-negative).
    k : int
        Number of sites (at least 2).

    Returns
    -------
    float
        Between 0 and 1 (0 when Q is at most its degrees of freedom).

    Raises
    ------
    ValueError
        If ``q`` is negative or ``k`` is below 2.

    Examples
    --------
    >>> i_squared(20.0, 11)
    0.5
    """
    value = _number("q", q, low=0.0)
    sites = _number("k", k, low=2.0)
    if value == 0:
        return 0.0
    return max(0.0, (value - (sites - 1.0)) / value)


def prediction_interval(estimate: float, se: float, tau2: float, k: int, alpha: float = 0.05) -> tuple[float, float]:
    """Return the prediction interval for the effect at a new site.

    ``estimate ± t(k - 2) * sqrt(tau2 + se**2)`` (Higgins, Thompson and Spiegelhalter,
    2009): where the true effect of one more place like the pilots would lie, allowing
    for the variation between places (tau²) and the uncertainty of the pooled mean.

    Parameters
    ----------
    estimate : float
        The random-effects pooled estimate.
    se : float
        Its standard error (non-negative).
    tau2 : float
        The between-site variance (non-negative).
    k : int
        Number of sites pooled (at least 3).
    alpha : float, default 0.05
        One minus the interval's coverage.

    Returns
    -------
    tuple of (float, float)
        The lower and upper limits.

    Raises
    ------
    ValueError
        If ``k`` is below 3 (the t-distribution needs k - 2 > 0 degrees of freedom),
        ``se`` or ``tau2`` is negative, or ``alpha`` is not in (0, 1).

    Examples
    --------
    >>> [round(v, 3) for v in prediction_interval(0.08, 0.02, 0.002, 14)]
    [-0.027, 0.187]
    """
    mu = _number("estimate", estimate)
    s = _number("se", se, low=0.0)
    t2 = _number("tau2", tau2, low=0.0)
    sites = _number("k", k, low=3.0)
    level = _alpha(alpha)
    half = stats.t.isf(level / 2, sites - 2) * math.sqrt(t2 + s**2)
    return float(mu - half), float(mu + half)


@dataclass(frozen=True)
class PooledEstimate:
    """The result of pooling sites' effects: fixed and random effects, heterogeneity, prediction.

    Attributes
    ----------
    method : str
        ``"dl"`` (DerSimonian-Laird) or ``"pm"`` (Paule-Mandel) estimate of tau².
    k : int
        Number of sites.
    estimate, se, ci_low, ci_high : float
        The random-effects pooled effect, its standard error and confidence interval.
    fixed_estimate, fixed_se, fixed_ci_low, fixed_ci_high : float
        The fixed-effect (inverse-variance) pooled effect and its interval.
    tau2 : float
        Between-site variance of the true effects (truncated at 0).
    q, q_pvalue : float
        Cochran's Q and its chi-squared p-value on k - 1 degrees of freedom.
    i2 : float
        I², the share of the variation between sites beyond chance (0 to 1).
    pi_low, pi_high : float
        Prediction interval for a new site (NaN with fewer than three sites).
    alpha : float
        One minus the coverage of the intervals.
    weights : pandas.Series
        Each site's share of the random-effects weight (sums to 1).
    """

    method: str
    k: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    fixed_estimate: float
    fixed_se: float
    fixed_ci_low: float
    fixed_ci_high: float
    tau2: float
    q: float
    q_pvalue: float
    i2: float
    pi_low: float
    pi_high: float
    alpha: float
    weights: pd.Series = field(repr=False)

    @property
    def tau(self) -> float:
        """The between-site standard deviation of the true effects."""
        return math.sqrt(self.tau2)

    def summary(self) -> pd.DataFrame:
        """Return the fixed-effect, random-effects and prediction rows as a table.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``model`` with columns ``estimate``, ``ci_low``, ``ci_high``.
        """
        name = _METHOD_NAMES[self.method]
        return pd.DataFrame(
            {"estimate": [self.fixed_estimate, self.estimate, self.estimate],
             "ci_low": [self.fixed_ci_low, self.ci_low, self.pi_low],
             "ci_high": [self.fixed_ci_high, self.ci_high, self.pi_high]},
            index=pd.Index(["fixed effect", f"random effects ({name})", "prediction interval (a new site)"], name="model"))


def pool_effects(effect, se, method: str = "dl", labels: Sequence[str] | None = None,
                 alpha: float = 0.05) -> PooledEstimate:
    """Pool sites' effects with a fixed-effect and a random-effects meta-analysis.

    Built on :func:`statsmodels.stats.meta_analysis.combine_effects`. The between-site
    variance tau² is estimated by DerSimonian and Laird's method of moments or by Paule
    and Mandel's iteration, and truncated at zero (statsmodels leaves a negative
    DerSimonian-Laird estimate as it is; a negative variance means no detectable
    heterogeneity, and the random-effects result is then the fixed-effect one).
    Confidence intervals use the normal distribution; the prediction interval for a new
    site uses the t-distribution with k - 2 degrees of freedom.

    Parameters
    ----------
    effect : array-like of float
        Each site's effect (for example a risk difference).
    se : array-like of float
        Each site's standard error (positive).
    method : {"dl", "pm"}, default "dl"
        Estimator of tau²: ``"dl"`` (DerSimonian-Laird) or ``"pm"`` (Paule-Mandel).
    labels : sequence of str, optional
        Site labels, used as the index of ``weights``; by default the index of a
        pandas ``effect``, else 0, 1, 2, ...
    alpha : float, default 0.05
        One minus the coverage of the intervals.

    Returns
    -------
    PooledEstimate

    Raises
    ------
    ValueError
        If there are fewer than two sites, the inputs differ in length or hold missing
        values, a standard error is not positive, ``labels`` has the wrong length,
        ``method`` is unknown or ``alpha`` is not in (0, 1).

    Examples
    --------
    >>> pooled = pool_effects([0.10, 0.30, 0.20, 0.50], [0.10, 0.14, 0.12, 0.17])
    >>> round(pooled.fixed_estimate, 3), round(pooled.estimate, 3)
    (0.221, 0.238)
    """
    if method not in _METHODS:
        raise ValueError(f"method must be 'dl' (DerSimonian-Laird) or 'pm' (Paule-Mandel), got {method!r}")
    chosen = _METHODS[method]
    level = _alpha(alpha)
    y = _array("effect", effect)
    s = _array("se", se)
    k = _same_length(effect=y, se=s)
    if k < 2:
        raise ValueError(f"effect must hold at least two sites to pool, got {k}")
    if (s <= 0).any():
        raise ValueError(f"se must be positive at every site (rows {np.flatnonzero(s <= 0).tolist()})")
    if labels is None:
        index = _index(effect, se)
        names = list(index) if index is not None else list(range(k))
    else:
        names = list(labels)
        if len(names) != k:
            raise ValueError(f"labels must name each of the {k} sites, got {len(names)}")
    variance = s**2
    result = combine_effects(y, variance, method_re=chosen, alpha=level)
    z = stats.norm.isf(level / 2)
    tau2 = max(0.0, float(result.tau2))
    if result.tau2 > 0:
        estimate, pooled_se = float(result.mean_effect_re), float(result.sd_eff_w_re)
        weights = np.asarray(result.weights_rel_re, dtype=float)
    else:  # no heterogeneity beyond chance: random effects reduce to the fixed effect
        estimate, pooled_se = float(result.mean_effect_fe), float(result.sd_eff_w_fe)
        weights = np.asarray(result.weights_rel_fe, dtype=float)
    q = float(result.q)
    pi = prediction_interval(estimate, pooled_se, tau2, k, level) if k >= 3 else (math.nan, math.nan)
    return PooledEstimate(
        method=chosen, k=k, estimate=estimate, se=pooled_se,
        ci_low=float(estimate - z * pooled_se), ci_high=float(estimate + z * pooled_se),
        fixed_estimate=float(result.mean_effect_fe), fixed_se=float(result.sd_eff_w_fe),
        fixed_ci_low=float(result.mean_effect_fe - z * result.sd_eff_w_fe),
        fixed_ci_high=float(result.mean_effect_fe + z * result.sd_eff_w_fe),
        tau2=tau2, q=q, q_pvalue=float(stats.chi2.sf(q, k - 1)), i2=i_squared(max(q, 0.0), k),
        pi_low=pi[0], pi_high=pi[1], alpha=level, weights=pd.Series(weights, index=names, name="weight"),
    )


# ------------------------------------------------------------ meta-regression
@dataclass(frozen=True)
class MetaRegression:
    """A weighted meta-regression of sites' effects on one moderator (such as fidelity).

    Attributes
    ----------
    moderator : str
        Name of the moderator.
    k : int
        Number of sites.
    intercept, slope : float
        The fitted line: effect = intercept + slope * moderator.
    slope_se, slope_ci_low, slope_ci_high, slope_pvalue : float
        The slope's standard error, confidence interval and two-sided p-value.
    tau2 : float
        The between-site variance used in the weights (residual, unless given).
    tau2_total : float
        The DerSimonian-Laird tau² without the moderator.
    r2 : float
        Share of the between-site variance explained by the moderator,
        ``max(0, 1 - tau2 / tau2_total)`` (NaN when ``tau2_total`` is 0).
    fit : statsmodels RegressionResults
        The weighted least-squares fit (weights ``1 / (se**2 + tau2)``, scale fixed at 1).
    """

    moderator: str
    k: int
    intercept: float
    slope: float
    slope_se: float
    slope_ci_low: float
    slope_ci_high: float
    slope_pvalue: float
    tau2: float
    tau2_total: float
    r2: float
    fit: object = field(repr=False)

    def predict(self, values, alpha: float = 0.05) -> pd.DataFrame:
        """Return the fitted mean effect at moderator values, with confidence intervals.

        Parameters
        ----------
        values : float or array-like of float
            Moderator values (for example fidelity scores).
        alpha : float, default 0.05
            One minus the coverage of the intervals.

        Returns
        -------
        pandas.DataFrame
            One row per value with columns ``moderator``, ``effect``, ``se``,
            ``ci_low`` and ``ci_high``.

        Raises
        ------
        ValueError
            If a value is missing or ``alpha`` is not in (0, 1).
        """
        level = _alpha(alpha)
        x = _array("values", values)
        frame = self.fit.get_prediction(sm.add_constant(x, has_constant="add")).summary_frame(alpha=level)
        return pd.DataFrame({"moderator": x, "effect": frame["mean"].to_numpy(), "se": frame["mean_se"].to_numpy(),
                             "ci_low": frame["mean_ci_lower"].to_numpy(), "ci_high": frame["mean_ci_upper"].to_numpy()})


def _residual_tau2(y: np.ndarray, variance: np.ndarray, design: np.ndarray) -> float:
    """Method-of-moments (DerSimonian-Laird type) residual tau² of a meta-regression."""
    w = 1.0 / variance
    xtwx_inv = np.linalg.inv(design.T @ (design * w[:, None]))
    projection = np.diag(w) - (design * w[:, None]) @ xtwx_inv @ (design * w[:, None]).T
    q_residual = float(y @ projection @ y)
    return max(0.0, (q_residual - (len(y) - design.shape[1])) / float(np.trace(projection)))


def meta_regression(effect, se, moderator, tau2: float | None = None, name: str | None = None,
                    alpha: float = 0.05) -> MetaRegression:
    """Regress sites' effects on a moderator by weighted least squares (a meta-regression).

    Each site is weighted by ``1 / (se**2 + tau2)``. By default tau² is the residual
    between-site variance left after the moderator, estimated by the method of moments
    (the DerSimonian-Laird estimator generalised to regression, as in R's metafor with
    ``method="DL"``); the fit is :class:`statsmodels.regression.linear_model.WLS` with the
    scale fixed at 1, so standard errors come from the sites' known variances, and tests
    use the normal distribution.

    Parameters
    ----------
    effect : array-like of float
        Each site's effect.
    se : array-like of float
        Each site's standard error (positive).
    moderator : array-like of float
        Each site's value of the moderator (for example a fidelity score); it must vary.
    tau2 : float, optional
        Between-site variance to weight with; None (the default) estimates the residual one.
    name : str, optional
        Name of the moderator; by default the name of a pandas ``moderator``, else "moderator".
    alpha : float, default 0.05
        One minus the coverage of the slope's confidence interval.

    Returns
    -------
    MetaRegression

    Raises
    ------
    ValueError
        If there are fewer than three sites, the inputs differ in length or hold missing
        values, a standard error is not positive, the moderator does not vary, ``tau2`` is
        negative or ``alpha`` is not in (0, 1).

    Examples
    --------
    >>> fit = meta_regression([0.0, 0.05, 0.10, 0.15], [0.05] * 4, [40, 60, 80, 100])
    >>> round(fit.slope, 4)
    0.0025
    """
    level = _alpha(alpha)
    y = _array("effect", effect)
    s = _array("se", se)
    x = _array("moderator", moderator)
    k = _same_length(effect=y, se=s, moderator=x)
    if k < 3:
        raise ValueError(f"effect must hold at least three sites for a meta-regression, got {k}")
    if (s <= 0).any():
        raise ValueError(f"se must be positive at every site (rows {np.flatnonzero(s <= 0).tolist()})")
    if np.ptp(x) == 0:
        raise ValueError("moderator must vary between sites to estimate a slope")
    label = name or (str(moderator.name) if isinstance(moderator, pd.Series) and moderator.name is not None else "moderator")
    variance = s**2
    design = sm.add_constant(x, has_constant="add")
    total = _residual_tau2(y, variance, design[:, :1])
    between = _residual_tau2(y, variance, design) if tau2 is None else _number("tau2", tau2, low=0.0)
    fit = sm.WLS(y, design, weights=1.0 / (variance + between)).fit(cov_type="fixed scale")
    low, high = fit.conf_int(alpha=level)[1]
    return MetaRegression(
        moderator=label, k=k, intercept=float(fit.params[0]), slope=float(fit.params[1]),
        slope_se=float(fit.bse[1]), slope_ci_low=float(low), slope_ci_high=float(high),
        slope_pvalue=float(fit.pvalues[1]), tau2=float(between), tau2_total=float(total),
        r2=max(0.0, 1.0 - between / total) if total > 0 else math.nan, fit=fit,
    )


# ------------------------------------------------------------ cost per outcome
@dataclass(frozen=True)
class CostPerOutcome:
    """Cost per extra outcome (for example per extra person improved), with a simulated interval.

    Attributes
    ----------
    point : float
        Cost per participant over the effect (infinite when the effect is not positive).
    low, high : float
        Percentile interval of the simulated costs per outcome (``high`` is infinite when
        more than ``alpha / 2`` of the simulated effects are not positive).
    share_not_positive : float
        Share of simulated effects at or below zero: the chance, on this evidence, that the
        programme buys no extra outcome at all.
    alpha : float
        One minus the coverage of the interval.
    draws : numpy.ndarray
        The simulated costs per outcome (``inf`` where the effect was not positive).
    """

    point: float
    low: float
    high: float
    share_not_positive: float
    alpha: float
    draws: np.ndarray = field(repr=False)

    def share_below(self, ceiling: float) -> float:
        """Return the share of simulated costs per outcome at or below ``ceiling``.

        Parameters
        ----------
        ceiling : float
            A willingness to pay per outcome (non-negative).

        Returns
        -------
        float
            Between 0 and 1: a point of the cost-effectiveness acceptability curve.

        Raises
        ------
        ValueError
            If ``ceiling`` is negative or not a number.
        """
        limit = _number("ceiling", ceiling, low=0.0)
        return float(np.mean(self.draws <= limit))


def cost_per_outcome(cost_per_participant: float, effect: float, se: float, cost_se: float = 0.0,
                     n_sims: int = 20_000, seed: int = 1, alpha: float = 0.05) -> CostPerOutcome:
    """Return the cost per extra outcome and a simulated interval for it.

    An effect of ``effect`` extra outcomes per participant (a risk difference) at
    ``cost_per_participant`` costs ``cost_per_participant / effect`` per extra outcome
    (the number needed to treat times the cost per person). The ratio's interval is
    simulated: effects are drawn from ``Normal(effect, se)`` and, if ``cost_se`` is
    positive, costs from a gamma distribution with mean ``cost_per_participant`` and
    standard deviation ``cost_se``; a draw whose effect is not positive buys no extra
    outcome and costs infinitely much per outcome.

    Parameters
    ----------
    cost_per_participant : float
        Cost per person taking part (non-negative).
    effect : float
        Extra outcomes per participant, for example the pooled risk difference.
    se : float
        Standard error of ``effect`` (non-negative).
    cost_se : float, default 0.0
        Uncertainty (standard deviation) of the cost per participant.
    n_sims : int, default 20000
        Number of draws (at least 1,000).
    seed : int, default 1
        Seed of :func:`numpy.random.default_rng`: the same seed gives the same interval.
    alpha : float, default 0.05
        One minus the coverage of the interval.

    Returns
    -------
    CostPerOutcome

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> result = cost_per_outcome(250.0, 0.10, 0.02)
    >>> round(result.point)
    2500
    """
    cost = _number("cost_per_participant", cost_per_participant, low=0.0)
    mu = _number("effect", effect)
    s = _number("se", se, low=0.0)
    spread = _number("cost_se", cost_se, low=0.0)
    level = _alpha(alpha)
    if isinstance(n_sims, bool) or not isinstance(n_sims, (int, np.integer)) or n_sims < 1000:
        raise ValueError(f"n_sims must be a whole number of at least 1,000, got {n_sims!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number of at least 0, got {seed!r}")
    rng = np.random.default_rng(int(seed))
    effects = rng.normal(mu, s, int(n_sims))
    if spread > 0 and cost > 0:
        costs = rng.gamma((cost / spread) ** 2, spread**2 / cost, int(n_sims))
    else:
        costs = np.full(int(n_sims), cost)
    with np.errstate(divide="ignore", invalid="ignore"):
        draws = np.where(effects > 0, costs / effects, np.inf)
    low, high = np.quantile(draws, [level / 2, 1 - level / 2], method="inverted_cdf")  # no interpolation: inf - inf is nan
    return CostPerOutcome(point=cost / mu if mu > 0 else math.inf, low=float(low), high=float(high),
                          share_not_positive=float(np.mean(effects <= 0)), alpha=level, draws=draws)


# ----------------------------------------------------------------- the decision
@dataclass(frozen=True)
class DecisionRule:
    """A rule for adopting, adapting or stopping a programme, fixed before the results are seen.

    With the random-effects estimate, its confidence interval (``ci_low``, ``ci_high``),
    the prediction interval's lower limit ``pi_low`` and the cost per participant:

    - **stop** if ``ci_high < min_effect`` (the pilots rule out an effect worth having), or
      ``ci_high <= 0``, or ``cost_per_participant / ci_high > max_cost_per_outcome`` (even
      the most favourable effect the pilots allow costs too much per outcome);
    - **scale** if ``ci_low > 0``, ``estimate >= min_effect``, ``pi_low > min_prediction``
      (a new place can expect it to work) and ``cost_per_participant / estimate <=
      max_cost_per_outcome``;
    - **adapt** otherwise: promising, but not yet safe to roll out everywhere.

    Attributes
    ----------
    min_effect : float
        The smallest effect worth acting on (for example 0.05: five more people in a
        hundred improved).
    max_cost_per_outcome : float
        The most the commissioners will pay per extra outcome.
    min_prediction : float, default 0.0
        The value the prediction interval's lower limit must exceed to scale.
    """

    min_effect: float
    max_cost_per_outcome: float
    min_prediction: float = 0.0

    def __post_init__(self) -> None:
        _number("min_effect", self.min_effect, low=0.0, low_open=True)
        _number("max_cost_per_outcome", self.max_cost_per_outcome, low=0.0, low_open=True)
        _number("min_prediction", self.min_prediction)

    def describe(self, unit: str = "percentage points", scale: float = 100.0) -> str:
        """Return the rule in words, one bullet per verdict.

        Parameters
        ----------
        unit : str, default "percentage points"
            The unit effects are shown in.
        scale : float, default 100.0
            Multiplier from effects to ``unit`` (100 shows a risk difference in points).

        Returns
        -------
        str
            Three lines starting "- ", ready for :func:`curriculum.artefacts.write_document`.
        """
        f = _number("scale", scale, low=0.0, low_open=True)
        mid, floor = self.min_effect * f, self.min_prediction * f
        ceiling = f"GBP {self.max_cost_per_outcome:,.0f}"
        return "\n".join([
            f"- Stop if the upper limit of the 95% confidence interval is below {mid:g} {unit}, or if even that "
            f"most favourable effect costs more than {ceiling} per extra outcome.",
            f"- Scale if the confidence interval lies above zero, the pooled effect is at least {mid:g} {unit}, "
            f"the prediction interval for a new place lies above {floor:g} {unit} and the pooled effect costs at "
            f"most {ceiling} per extra outcome.",
            "- Adapt otherwise: promising but not yet safe to roll out everywhere; change what the evidence points "
            "to (such as fidelity to the core components) and test again.",
        ])


@dataclass(frozen=True)
class Decision:
    """The verdict of a decision rule, with its reasons and checks.

    Attributes
    ----------
    verdict : str
        ``"scale"``, ``"adapt"`` or ``"stop"``.
    reasons : tuple of str
        One sentence per check that decided the verdict, with the numbers.
    checks : pandas.DataFrame
        Every condition of the rule: ``condition``, ``value``, ``threshold`` and ``met``.
    """

    verdict: str
    reasons: tuple[str, ...]
    checks: pd.DataFrame = field(repr=False)


def _verdict(estimate: float, ci_low: float, ci_high: float, pi_low: float, cost_per_participant: float,
             rule: DecisionRule) -> tuple[str, pd.DataFrame]:
    optimistic = cost_per_participant / ci_high if ci_high > 0 else math.inf
    central = cost_per_participant / estimate if estimate > 0 else math.inf
    rows = [
        ("stop", "upper confidence limit below the smallest worthwhile effect", ci_high, rule.min_effect, ci_high < rule.min_effect),
        ("stop", "cost per outcome at the upper confidence limit above the ceiling", optimistic, rule.max_cost_per_outcome,
         optimistic > rule.max_cost_per_outcome),
        ("scale", "lower confidence limit above zero", ci_low, 0.0, ci_low > 0),
        ("scale", "pooled effect at least the smallest worthwhile effect", estimate, rule.min_effect, estimate >= rule.min_effect),
        ("scale", "prediction interval for a new place above the floor", pi_low, rule.min_prediction,
         bool(pi_low > rule.min_prediction)),
        ("scale", "cost per outcome at the pooled effect within the ceiling", central, rule.max_cost_per_outcome,
         central <= rule.max_cost_per_outcome),
    ]
    checks = pd.DataFrame(rows, columns=["test_for", "condition", "value", "threshold", "met"])
    if checks.loc[checks["test_for"] == "stop", "met"].any():
        return "stop", checks
    if checks.loc[checks["test_for"] == "scale", "met"].all():
        return "scale", checks
    return "adapt", checks


def verdict(estimate: float, ci_low: float, ci_high: float, pi_low: float, cost_per_participant: float,
            rule: DecisionRule) -> str:
    """Return the verdict of a decision rule for the numbers it looks at.

    Parameters
    ----------
    estimate : float
        The random-effects pooled effect.
    ci_low, ci_high : float
        Its confidence interval (``ci_low`` at most ``ci_high``).
    pi_low : float
        The lower limit of the prediction interval for a new place.
    cost_per_participant : float
        Cost per person taking part (non-negative).
    rule : DecisionRule
        The rule (see :class:`DecisionRule` for its three branches).

    Returns
    -------
    str
        ``"scale"``, ``"adapt"`` or ``"stop"``.

    Raises
    ------
    TypeError
        If ``rule`` is not a DecisionRule.
    ValueError
        If a number is missing or out of range, or ``ci_low`` exceeds ``ci_high``.

    Examples
    --------
    >>> verdict(0.09, 0.06, 0.13, -0.02, 230.0, DecisionRule(0.05, 6500))
    'adapt'
    """
    if not isinstance(rule, DecisionRule):
        raise TypeError(f"rule must be a DecisionRule, got {type(rule).__name__}")
    low, high = _number("ci_low", ci_low), _number("ci_high", ci_high)
    if low > high:
        raise ValueError(f"ci_low ({low!r}) must not exceed ci_high ({high!r})")
    return _verdict(_number("estimate", estimate), low, high, _number("pi_low", pi_low),
                    _number("cost_per_participant", cost_per_participant, low=0.0), rule)[0]


def decide(pooled: PooledEstimate, rule: DecisionRule, cost_per_participant: float,
           regression: MetaRegression | None = None, unit_scale: float = 100.0,
           unit: str = "percentage points") -> Decision:
    """Apply a decision rule to pooled results: scale, adapt or stop, with reasons.

    Parameters
    ----------
    pooled : PooledEstimate
        The result of :func:`pool_effects` (with at least three sites, so that it has a
        prediction interval).
    rule : DecisionRule
        The rule, written down before the results were seen.
    cost_per_participant : float
        Cost per person taking part (non-negative).
    regression : MetaRegression, optional
        A meta-regression on fidelity; if its slope is positive with a confidence interval
        above zero, the reasons say that the effect grows with fidelity (it informs what to
        adapt; it does not change the verdict).
    unit_scale : float, default 100.0
        Multiplier from effects to ``unit`` in the reasons.
    unit : str, default "percentage points"
        Unit of effects in the reasons.

    Returns
    -------
    Decision

    Raises
    ------
    TypeError
        If ``pooled``, ``rule`` or ``regression`` is of the wrong type.
    ValueError
        If ``pooled`` has no prediction interval (fewer than three sites) or
        ``cost_per_participant`` is negative.
    """
    if not isinstance(pooled, PooledEstimate):
        raise TypeError(f"pooled must be a PooledEstimate from pool_effects, got {type(pooled).__name__}")
    if not isinstance(rule, DecisionRule):
        raise TypeError(f"rule must be a DecisionRule, got {type(rule).__name__}")
    if regression is not None and not isinstance(regression, MetaRegression):
        raise TypeError(f"regression must be a MetaRegression from meta_regression, got {type(regression).__name__}")
    if math.isnan(pooled.pi_low):
        raise ValueError("pooled has no prediction interval (fewer than three sites): the rule cannot be applied")
    cost = _number("cost_per_participant", cost_per_participant, low=0.0)
    verdict, checks = _verdict(pooled.estimate, pooled.ci_low, pooled.ci_high, pooled.pi_low, cost, rule)
    u = _number("unit_scale", unit_scale, low=0.0, low_open=True)

    def pts(v: float) -> str:
        return f"{v * u:.1f} {unit}"

    def gbp(v: float) -> str:
        return "no finite cost (no extra outcome)" if math.isinf(v) else f"GBP {v:,.0f}"

    said = {
        "upper confidence limit below the smallest worthwhile effect":
            f"the upper 95% confidence limit, {pts(pooled.ci_high)}, is {'below' if pooled.ci_high < rule.min_effect else 'not below'} "
            f"the smallest worthwhile effect of {pts(rule.min_effect)}",
        "cost per outcome at the upper confidence limit above the ceiling":
            f"at the most favourable effect the pilots allow, an extra outcome costs {gbp(checks.loc[1, 'value'])} "
            f"against a ceiling of {gbp(rule.max_cost_per_outcome)}",
        "lower confidence limit above zero":
            f"the 95% confidence interval runs from {pts(pooled.ci_low)} to {pts(pooled.ci_high)}",
        "pooled effect at least the smallest worthwhile effect":
            f"the pooled effect is {pts(pooled.estimate)} against a smallest worthwhile effect of {pts(rule.min_effect)}",
        "prediction interval for a new place above the floor":
            f"the prediction interval for a new place runs from {pts(pooled.pi_low)} to {pts(pooled.pi_high)}",
        "cost per outcome at the pooled effect within the ceiling":
            f"at the pooled effect an extra outcome costs {gbp(checks.loc[5, 'value'])} against a ceiling of "
            f"{gbp(rule.max_cost_per_outcome)}",
    }
    if verdict == "stop":
        chosen = checks[(checks["test_for"] == "stop") & checks["met"]]
    elif verdict == "scale":
        chosen = checks[checks["test_for"] == "scale"]
    else:
        chosen = checks[(checks["test_for"] == "scale") & ~checks["met"]]
    reasons = [("Met: " if row.met else "Not met: ") + said[row.condition] + "." for row in chosen.itertuples()]
    if verdict == "adapt":
        reasons += ["Met: " + said[c] + "." for c in checks.loc[(checks["test_for"] == "scale") & checks["met"], "condition"]]
    if pooled.i2 > 0:
        reasons.append(f"The places differ: I² = {pooled.i2:.0%} of the variation between sites is beyond chance "
                       f"(tau = {pts(pooled.tau)}).")
    if regression is not None and regression.slope_ci_low > 0:
        reasons.append(f"The effect grows with {regression.moderator}: {pts(regression.slope * 10)} more per 10 points "
                       f"(95% CI {pts(regression.slope_ci_low * 10)} to {pts(regression.slope_ci_high * 10)}); "
                       "secure the core components wherever the programme runs.")
    return Decision(verdict=verdict, reasons=tuple(reasons), checks=checks)


def decision_record(question: str, rule: DecisionRule, effects: pd.DataFrame, pooled: PooledEstimate,
                    decision: Decision, regression: MetaRegression | None = None, cost: CostPerOutcome | None = None,
                    next_steps: str | None = None, label: str = "site_name", area: str = "area_name",
                    unit_scale: float = 100.0, unit: str = "points") -> list[tuple[str, object]]:
    """Return the sections of a decision record, ready for :func:`curriculum.artefacts.write_document`.

    Parameters
    ----------
    question : str
        The decision the record answers, in a sentence or two.
    rule : DecisionRule
        The rule fixed before the results were seen.
    effects : pandas.DataFrame
        One row per site with ``effect``, ``ci_low``, ``ci_high`` and the ``label`` column;
        ``area``, ``n_pilot``, ``n_comparison``, ``fidelity`` and ``cost`` are shown when present.
    pooled : PooledEstimate
        The pooled result.
    decision : Decision
        The verdict and its reasons (from :func:`decide`).
    regression : MetaRegression, optional
        A meta-regression on fidelity, summarised when given.
    cost : CostPerOutcome, optional
        The cost per extra outcome, summarised against the rule's ceiling when given.
    next_steps : str, optional
        What happens next, in words.
    label : str, default "site_name"
        Column naming each site.
    area : str, default "area_name"
        Column naming each site's organisation.
    unit_scale : float, default 100.0
        Multiplier from effects to ``unit`` (100 shows risk differences in points).
    unit : str, default "points"
        Unit of effects.

    Returns
    -------
    list of (str, str or pandas.DataFrame)
        Headings with text or tables.

    Raises
    ------
    TypeError
        If ``rule``, ``pooled``, ``decision``, ``regression`` or ``cost`` is of the wrong type.
    ValueError
        If ``question`` is blank or ``effects`` lacks a column needed.
    """
    for name, value, kind in (("rule", rule, DecisionRule), ("pooled", pooled, PooledEstimate), ("decision", decision, Decision)):
        if not isinstance(value, kind):
            raise TypeError(f"{name} must be a {kind.__name__}, got {type(value).__name__}")
    if regression is not None and not isinstance(regression, MetaRegression):
        raise TypeError(f"regression must be a MetaRegression, got {type(regression).__name__}")
    if cost is not None and not isinstance(cost, CostPerOutcome):
        raise TypeError(f"cost must be a CostPerOutcome, got {type(cost).__name__}")
    if not str(question).strip():
        raise ValueError("question must not be blank: say what decision the record answers")
    missing = [c for c in ("effect", "ci_low", "ci_high", label) if c not in effects.columns]
    if missing:
        raise ValueError(f"effects lacks the column(s) {', '.join(missing)}")
    u = _number("unit_scale", unit_scale, low=0.0, low_open=True)
    table = pd.DataFrame({"Site": effects[label].astype(str)})
    if area in effects.columns:
        table["Organisation"] = effects[area].astype(str)
    if {"n_pilot", "n_comparison"} <= set(effects.columns):
        table["People (pilot / comparison)"] = effects["n_pilot"].astype(int).astype(str) + " / " + effects["n_comparison"].astype(int).astype(str)
    table[f"Effect ({unit}, 95% CI)"] = [f"{u * e:.1f} ({u * lo:.1f} to {u * hi:.1f})"
                                          for e, lo, hi in effects[["effect", "ci_low", "ci_high"]].to_numpy(float)]
    if "fidelity" in effects.columns:
        table["Fidelity"] = effects["fidelity"].round(0).astype(int)
    if {"cost", "n_pilot"} <= set(effects.columns):
        table["Cost per participant (GBP)"] = (effects["cost"] / effects["n_pilot"]).round(0).astype(int)
    summary = pooled.summary().mul(u).round(1).reset_index().rename(
        columns={"estimate": unit, "ci_low": "from", "ci_high": "to"})
    sections: list[tuple[str, object]] = [
        ("The question", str(question).strip()),
        ("The rule, fixed before the results were seen", rule.describe(unit="percentage points" if u == 100 else unit, scale=u)),
        ("The sites", table.reset_index(drop=True)),
        (f"Pooled result ({unit})", summary),
        ("Variation between places", f"I² = {pooled.i2:.0%}; tau = {u * pooled.tau:.1f} {unit}. A new place could expect "
                                     f"{u * pooled.pi_low:.1f} to {u * pooled.pi_high:.1f} {unit} (95% prediction interval)."),
    ]
    if regression is not None:
        sections.append((f"Does the effect grow with {regression.moderator}?",
                         f"{10 * u * regression.slope:.1f} {unit} more per 10 points of {regression.moderator} (95% CI "
                         f"{10 * u * regression.slope_ci_low:.1f} to {10 * u * regression.slope_ci_high:.1f}; p = "
                         f"{regression.slope_pvalue:.3f})."))
    if cost is not None:
        high = f"GBP {cost.high:,.0f}" if math.isfinite(cost.high) else "no upper limit"
        sections.append(("Cost per extra outcome",
                         f"GBP {cost.point:,.0f} (95% interval GBP {cost.low:,.0f} to {high}); within the GBP "
                         f"{rule.max_cost_per_outcome:,.0f} ceiling in {cost.share_below(rule.max_cost_per_outcome):.0%} of simulations."))
    sections.append((f"Decision: {decision.verdict.upper()}", "\n".join("- " + r for r in decision.reasons)))
    if next_steps:
        sections.append(("What happens next", str(next_steps).strip()))
    return sections


# ----------------------------------------------------------------------- plots
def _axes(ax, height: float = 4.0):
    return axes(ax, (7.5, height))


def _highlighted(frame: pd.DataFrame, highlight: str | None, column: str) -> np.ndarray:
    if highlight is None or column not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return (frame[column].astype(str).str.casefold() == str(highlight).casefold()).to_numpy()


def plot_forest(frame: pd.DataFrame, label: str = "site_name", pooled: PooledEstimate | None = None,
                highlight: str | None = None, highlight_column: str = "area_name", reference: float | None = None,
                scale: float = 1.0, xlabel: str = "Effect", title: str | None = None, ax=None):
    """Draw a forest plot: each site's effect and confidence interval, and the pooled result.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per site with ``effect``, ``ci_low``, ``ci_high`` and the ``label``
        column (for example the output of :func:`risk_difference` joined to the sites).
        A ``se`` column sizes the markers by inverse variance.
    label : str, default "site_name"
        Column naming each site.
    pooled : PooledEstimate, optional
        Adds the random-effects estimate as a diamond spanning its confidence interval,
        and the prediction interval as a line beneath it.
    highlight : str, optional
        A value of ``highlight_column`` (such as the learner's council) whose sites are
        drawn in :data:`~curriculum.style.HIGHLIGHT`; a value not in the data highlights nothing.
    highlight_column : str, default "area_name"
        Column compared with ``highlight``.
    reference : float, optional
        Draws a dashed line at this effect (for example the smallest worthwhile effect).
    scale : float, default 1.0
        Multiplier for display (100 shows risk differences in percentage points).
    xlabel : str, default "Effect"
        Axis label.
    title : str, optional
        Chart title.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``frame`` is not a non-empty DataFrame with the columns needed.
    """
    from matplotlib.patches import Polygon

    if not isinstance(frame, pd.DataFrame) or frame.empty:
        raise ValueError("frame must be a non-empty pandas DataFrame with one row per site")
    missing = [c for c in ("effect", "ci_low", "ci_high", label) if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks the column(s) {', '.join(missing)}; its columns are: {', '.join(map(str, frame.columns))}")
    f = _number("scale", scale, low=0.0, low_open=True)
    extra = 2 if pooled is not None else 0
    ax = _axes(ax, height=max(3.0, 0.32 * (len(frame) + extra) + 1.2))
    hit = _highlighted(frame, highlight, highlight_column)
    y = np.arange(len(frame))[::-1] + extra
    if "se" in frame.columns:
        w = 1.0 / frame["se"].to_numpy(dtype=float) ** 2
        sizes = 20 + 100 * w / w.max()
    else:
        sizes = np.full(len(frame), 40.0)
    for yi, (low, high), h in zip(y, frame[["ci_low", "ci_high"]].to_numpy(dtype=float) * f, hit):
        ax.plot([low, high], [yi, yi], color=HIGHLIGHT if h else MUTED, linewidth=2.2 if h else 1.4, zorder=2)
    effects = frame["effect"].to_numpy(dtype=float) * f
    ax.scatter(effects[~hit], y[~hit], s=sizes[~hit], marker="s", color=MUTED, zorder=3)
    ax.scatter(effects[hit], y[hit], s=sizes[hit], marker="s", color=HIGHLIGHT, zorder=4)
    ticks, names = list(y), frame[label].astype(str).tolist()
    if pooled is not None:
        est, low, high = pooled.estimate * f, pooled.ci_low * f, pooled.ci_high * f
        ax.add_patch(Polygon([[low, 1], [est, 1.3], [high, 1], [est, 0.7]], closed=True, color="#12436D", zorder=4))
        if not math.isnan(pooled.pi_low):
            ax.plot([pooled.pi_low * f, pooled.pi_high * f], [0, 0], color="#12436D", linewidth=2, zorder=3)
            ax.plot([pooled.pi_low * f] * 2, [-0.15, 0.15], color="#12436D", linewidth=2)
            ax.plot([pooled.pi_high * f] * 2, [-0.15, 0.15], color="#12436D", linewidth=2)
        ticks += [1, 0]
        names += [f"Pooled, random effects ({_METHOD_NAMES[pooled.method]})", "Prediction interval: a new place"]
    ax.axvline(0, color="black", linewidth=0.8)
    if reference is not None:
        ax.axvline(_number("reference", reference) * f, color="black", linestyle="--", linewidth=1,
                   label=f"smallest worthwhile effect ({reference * f:g})")
        ax.legend(loc="lower right", fontsize=8)
    ax.set_yticks(ticks, names)
    for tick, h in zip(ax.get_yticklabels(), list(hit) + [False] * extra):
        if h:
            tick.set_color(HIGHLIGHT)
            tick.set_fontweight("bold")
    ax.grid(axis="y", visible=False)
    ax.set_ylim(-0.8, len(frame) + extra - 0.2)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    return ax


def plot_moderator(frame: pd.DataFrame, moderator: str = "fidelity", regression: MetaRegression | None = None,
                   highlight: str | None = None, highlight_column: str = "area_name", label: str | None = "site_name",
                   scale: float = 1.0, xlabel: str | None = None, ylabel: str = "Effect", title: str | None = None, ax=None):
    """Draw sites' effects against a moderator (a bubble plot), with the meta-regression line.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per site with ``effect``, ``se`` and the ``moderator`` column.
    moderator : str, default "fidelity"
        Column on the horizontal axis.
    regression : MetaRegression, optional
        Adds the fitted line and its 95% confidence band.
    highlight : str, optional
        A value of ``highlight_column`` whose sites are drawn in :data:`~curriculum.style.HIGHLIGHT`.
    highlight_column : str, default "area_name"
        Column compared with ``highlight``.
    label : str or None, default "site_name"
        Column whose values label highlighted sites; None for no labels.
    scale : float, default 1.0
        Multiplier for display of effects.
    xlabel : str, optional
        Horizontal axis label (the moderator's name by default).
    ylabel : str, default "Effect"
        Vertical axis label.
    title : str, optional
        Chart title.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``frame`` lacks a column needed or is empty.
    """
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        raise ValueError("frame must be a non-empty pandas DataFrame with one row per site")
    missing = [c for c in ("effect", "se", moderator) if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks the column(s) {', '.join(missing)}; its columns are: {', '.join(map(str, frame.columns))}")
    f = _number("scale", scale, low=0.0, low_open=True)
    ax = _axes(ax)
    hit = _highlighted(frame, highlight, highlight_column)
    x = frame[moderator].to_numpy(dtype=float)
    yv = frame["effect"].to_numpy(dtype=float) * f
    w = 1.0 / frame["se"].to_numpy(dtype=float) ** 2
    sizes = 30 + 250 * w / w.max()
    ax.scatter(x[~hit], yv[~hit], s=sizes[~hit], color=MUTED, alpha=0.7, edgecolor="white", zorder=3)
    ax.scatter(x[hit], yv[hit], s=sizes[hit], color=HIGHLIGHT, alpha=0.9, edgecolor="white", zorder=4)
    if label is not None and label in frame.columns:
        for xi, yi, name in zip(x[hit], yv[hit], frame.loc[hit, label].astype(str)):
            ax.annotate(name, (xi, yi), xytext=(6, 4), textcoords="offset points", fontsize=8, color=HIGHLIGHT,
                        fontweight="bold")
    if regression is not None:
        grid = np.linspace(x.min(), x.max(), 100)
        line = regression.predict(grid)
        ax.plot(grid, line["effect"] * f, color="#12436D", linewidth=1.8, label="meta-regression")
        ax.fill_between(grid, line["ci_low"] * f, line["ci_high"] * f, color="#12436D", alpha=0.15, label="95% confidence band")
        ax.legend(loc="upper left", fontsize=8)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel(xlabel or moderator)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax
