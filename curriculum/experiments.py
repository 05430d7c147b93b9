"""Designing experiments: clustering, power, stratified randomisation, balance and plans.

The functions behind the Adaption Lab's experiment modules. Power and sample-size
sums for two proportions are built on :mod:`statsmodels.stats.power` (the normal
approximation with Cohen's *h*, the arcsine effect size); clustering enters through
the design effect ``1 + (m - 1) * ICC``, with the intra-cluster correlation estimated
from a baseline survey by the one-way ANOVA estimator. Stepped-wedge designs use the
variance of Hussey and Hughes (2007) and the design effect of Woertman et al. (2013);
power for counts (incidents per school) is estimated by simulating the trial and
fitting a generalised linear model from :mod:`statsmodels` many times. A pre-analysis
plan is assembled as sections for :func:`curriculum.artefacts.write_document`.

Nothing happens on import.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

__all__ = [
    "design_effect",
    "effective_sample_size",
    "icc_from_counts",
    "power_two_proportions",
    "sample_size_two_proportions",
    "mde_two_proportions",
    "clusters_per_arm",
    "assign_stratified",
    "standardised_mean_difference",
    "balance_table",
    "stepped_wedge_design",
    "parallel_design",
    "cluster_trial_variance",
    "power_cluster_design",
    "stepped_wedge_design_effect",
    "clusters_stepped_wedge",
    "draw_counts",
    "PowerSimulation",
    "simulate_power_counts",
    "PLAN_HEADINGS",
    "pre_analysis_plan",
]

_ALTERNATIVES = ("two-sided", "larger", "smaller")


# --------------------------------------------------------------------------- checks
def _number(name: str, value, *, low: float | None = None, high: float | None = None,
            low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a float, or raise ValueError naming ``name``."""
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


def _proportion(name: str, value) -> float:
    return _number(name, value, low=0.0, high=1.0, low_open=True, high_open=True)


def _alternative(value: str) -> str:
    if value not in _ALTERNATIVES:
        raise ValueError(f"alternative must be one of {', '.join(_ALTERNATIVES)}, got {value!r}")
    return value


# ------------------------------------------------------------------ clustering
def design_effect(cluster_size: float, icc: float, cv: float = 0.0) -> float:
    """Return the design effect of a cluster-randomised design.

    The variance of an estimate from a clustered sample is the variance from a
    simple random sample of the same size times the design effect,
    ``1 + ((cv**2 + 1) * m - 1) * icc`` (Eldridge, Ashby and Kerry, 2006), which for
    equal clusters (``cv = 0``) is the familiar ``1 + (m - 1) * icc``.

    Parameters
    ----------
    cluster_size : float
        Mean number of individuals measured per cluster, ``m`` (at least 1).
    icc : float
        Intra-cluster correlation coefficient, between 0 and 1.
    cv : float, default 0.0
        Coefficient of variation of the cluster sizes (standard deviation over
        mean); 0 for clusters of equal size.

    Returns
    -------
    float
        The design effect, at least 1.

    Raises
    ------
    ValueError
        If ``cluster_size`` is below 1, ``icc`` is outside [0, 1] or ``cv`` is negative.

    Examples
    --------
    >>> design_effect(31, 0.05)
    2.5
    """
    m = _number("cluster_size", cluster_size, low=1.0)
    rho = _number("icc", icc, low=0.0, high=1.0)
    c = _number("cv", cv, low=0.0)
    return 1.0 + ((c**2 + 1.0) * m - 1.0) * rho


def effective_sample_size(n: float, cluster_size: float, icc: float, cv: float = 0.0) -> float:
    """Return the number of independent individuals a clustered sample is worth.

    Parameters
    ----------
    n : float
        Number of individuals measured (non-negative).
    cluster_size : float
        Mean number of individuals per cluster (at least 1).
    icc : float
        Intra-cluster correlation coefficient, between 0 and 1.
    cv : float, default 0.0
        Coefficient of variation of the cluster sizes.

    Returns
    -------
    float
        ``n / design_effect(cluster_size, icc, cv)``.

    Raises
    ------
    ValueError
        If ``n`` is negative or another argument is invalid (see :func:`design_effect`).

    Examples
    --------
    >>> effective_sample_size(3100, 31, 0.05)
    1240.0
    """
    total = _number("n", n, low=0.0)
    return total / design_effect(cluster_size, icc, cv)


def icc_from_counts(successes, trials, truncate: bool = True) -> float:
    """Estimate the intra-cluster correlation of a binary outcome from cluster counts.

    Uses the one-way analysis-of-variance estimator (Fleiss; Ridout, Demétrio and
    Firth, 1999): with ``k`` clusters of sizes ``n_i`` holding ``y_i`` successes,
    ``N = sum(n_i)`` and ``n0 = (N - sum(n_i**2) / N) / (k - 1)``,
    ``ICC = (MSB - MSW) / (MSB + (n0 - 1) * MSW)``. Clusters with no one measured
    are left out.

    Parameters
    ----------
    successes : array-like of int
        Number of individuals with the outcome in each cluster (for example pupils
        who walk, cycle or scoot to a school).
    trials : array-like of int
        Number of individuals measured in each cluster, at least ``successes``.
    truncate : bool, default True
        Return 0 instead of a negative estimate (a negative ANOVA estimate means no
        detectable clustering).

    Returns
    -------
    float
        The estimated ICC.

    Raises
    ------
    ValueError
        If the inputs differ in length, hold negative or missing values, or a cluster has
        more successes than trials; or if fewer than two clusters have anyone measured.

    Examples
    --------
    >>> round(icc_from_counts([10, 20, 30, 40], [50, 50, 50, 50]), 3)
    0.235
    """
    y = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if y.ndim != 1 or n.ndim != 1 or len(y) != len(n):
        raise ValueError(f"successes and trials must be one-dimensional and of equal length, "
                         f"got lengths {y.size} and {n.size}")
    if np.isnan(y).any() or np.isnan(n).any():
        raise ValueError("successes and trials must not hold missing values")
    if (y < 0).any() or (n < 0).any():
        raise ValueError("successes and trials must not be negative")
    if (y > n).any():
        raise ValueError(f"successes must not exceed trials, but they do in {(y > n).sum()} cluster(s)")
    keep = n > 0
    y, n = y[keep], n[keep]
    k, total = len(n), n.sum()
    if k < 2:
        raise ValueError(f"trials must have at least two clusters with someone measured, got {k}")
    if total <= k:
        return 0.0  # one individual per cluster: no within-cluster information
    within = y.sum() - (y**2 / n).sum()
    between = (y**2 / n).sum() - y.sum() ** 2 / total
    msw = within / (total - k)
    msb = between / (k - 1)
    n0 = (total - (n**2).sum() / total) / (k - 1)
    denominator = msb + (n0 - 1.0) * msw
    if denominator <= 0:
        return 0.0
    estimate = float((msb - msw) / denominator)
    return max(0.0, estimate) if truncate else estimate


# ----------------------------------------------------------------------- power
def power_two_proportions(p0: float, p1: float, n_per_arm: float, alpha: float = 0.05,
                          design_effect: float = 1.0, ratio: float = 1.0,
                          alternative: str = "two-sided") -> float:
    """Return the power to detect a change from ``p0`` to ``p1``.

    Parameters
    ----------
    p0 : float
        Proportion in the control arm (between 0 and 1, exclusive).
    p1 : float
        Proportion in the treatment arm (between 0 and 1, exclusive).
    n_per_arm : float
        Individuals measured in the control arm (positive); the treatment arm has
        ``ratio * n_per_arm``.
    alpha : float, default 0.05
        Significance level.
    design_effect : float, default 1.0
        Design effect of clustering; the sample counts as ``n_per_arm / design_effect``.
    ratio : float, default 1.0
        Size of the treatment arm over the control arm.
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"
        The alternative hypothesis, as in :class:`statsmodels.stats.power.NormalIndPower`.

    Returns
    -------
    float
        Power, between 0 and 1.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> round(power_two_proportions(0.45, 0.50, 1571), 2)
    0.8
    """
    a = _proportion("p0", p0)
    b = _proportion("p1", p1)
    n = _number("n_per_arm", n_per_arm, low=0.0, low_open=True)
    level = _number("alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True)
    deff = _number("design_effect", design_effect, low=1.0)
    r = _number("ratio", ratio, low=0.0, low_open=True)
    h = proportion_effectsize(b, a)
    return float(NormalIndPower().power(effect_size=h, nobs1=n / deff, alpha=level, ratio=r,
                                        alternative=_alternative(alternative)))


def _n_individual(p0: float, p1: float, alpha: float, power: float, ratio: float, alternative: str) -> float:
    a = _proportion("p0", p0)
    b = _proportion("p1", p1)
    if a == b:
        raise ValueError(f"p1 must differ from p0 (both are {a!r}): no sample detects a zero effect")
    level = _number("alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True)
    target = _number("power", power, low=level, high=1.0, low_open=True, high_open=True)
    r = _number("ratio", ratio, low=0.0, low_open=True)
    alternative = _alternative(alternative)
    h = proportion_effectsize(b, a)
    if (alternative == "larger" and h <= 0) or (alternative == "smaller" and h >= 0):
        raise ValueError(f"alternative {alternative!r} does not fit p1={b!r} against p0={a!r}")
    return float(NormalIndPower().solve_power(effect_size=h, nobs1=None, alpha=level, power=target,
                                              ratio=r, alternative=alternative))


def sample_size_two_proportions(p0: float, p1: float, alpha: float = 0.05, power: float = 0.8,
                                ratio: float = 1.0, alternative: str = "two-sided") -> int:
    """Return the individuals needed per arm to detect a change from ``p0`` to ``p1``.

    For individually randomised designs; multiply by the design effect for a
    clustered one (or use :func:`clusters_per_arm`).

    Parameters
    ----------
    p0 : float
        Proportion expected in the control arm (between 0 and 1, exclusive).
    p1 : float
        Proportion hoped for in the treatment arm (between 0 and 1, exclusive, not ``p0``).
    alpha : float, default 0.05
        Significance level.
    power : float, default 0.8
        Power wanted, above ``alpha`` and below 1.
    ratio : float, default 1.0
        Size of the treatment arm over the control arm.
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"
        The alternative hypothesis.

    Returns
    -------
    int
        Individuals in the control arm, rounded up (the treatment arm needs ``ratio`` times as many).

    Raises
    ------
    ValueError
        If an argument is out of range, ``p1`` equals ``p0`` or the alternative contradicts the change.

    Examples
    --------
    >>> sample_size_two_proportions(0.45, 0.50)
    1565
    """
    return math.ceil(_n_individual(p0, p1, alpha, power, ratio, alternative) - 1e-9)


def mde_two_proportions(p0: float, n_per_arm: float, alpha: float = 0.05, power: float = 0.8,
                        design_effect: float = 1.0, ratio: float = 1.0,
                        alternative: str = "two-sided") -> float:
    """Return the minimum detectable increase over ``p0`` for a given sample.

    Solves for Cohen's *h* with :class:`statsmodels.stats.power.NormalIndPower` and
    turns it back into a difference of proportions, ``p1 - p0`` with
    ``p1 = sin(asin(sqrt(p0)) + h / 2) ** 2``.

    Parameters
    ----------
    p0 : float
        Proportion in the control arm (between 0 and 1, exclusive).
    n_per_arm : float
        Individuals measured in the control arm (positive).
    alpha : float, default 0.05
        Significance level.
    power : float, default 0.8
        Power wanted, above ``alpha`` and below 1.
    design_effect : float, default 1.0
        Design effect of clustering (at least 1).
    ratio : float, default 1.0
        Size of the treatment arm over the control arm.
    alternative : {"two-sided", "larger"}, default "two-sided"
        The alternative hypothesis; the effect sought is an increase.

    Returns
    -------
    float
        The smallest increase in the proportion detectable with the power asked for;
        NaN when the sample is so small that no proportion up to 1 would be detected.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> round(mde_two_proportions(0.45, 1571), 3)
    0.05
    """
    a = _proportion("p0", p0)
    n = _number("n_per_arm", n_per_arm, low=0.0, low_open=True)
    level = _number("alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True)
    target = _number("power", power, low=level, high=1.0, low_open=True, high_open=True)
    deff = _number("design_effect", design_effect, low=1.0)
    r = _number("ratio", ratio, low=0.0, low_open=True)
    if alternative not in ("two-sided", "larger"):
        raise ValueError(f"alternative must be 'two-sided' or 'larger' (the effect sought is an increase), got {alternative!r}")
    h = float(NormalIndPower().solve_power(effect_size=None, nobs1=n / deff, alpha=level, power=target,
                                           ratio=r, alternative=alternative))
    angle = math.asin(math.sqrt(a)) + abs(h) / 2.0
    if angle >= math.pi / 2:
        return math.nan  # even p1 = 1 would not be detected with this sample
    return math.sin(angle) ** 2 - a


def clusters_per_arm(p0: float, p1: float, cluster_size: float, icc: float, alpha: float = 0.05,
                     power: float = 0.8, cv: float = 0.0, alternative: str = "two-sided") -> int:
    """Return the clusters needed per arm of a two-arm cluster-randomised trial.

    The individuals needed in an individually randomised trial
    (:func:`sample_size_two_proportions`, unrounded) are inflated by the design effect
    and divided by the cluster size, then rounded up.

    Parameters
    ----------
    p0 : float
        Proportion expected in the control arm.
    p1 : float
        Proportion hoped for in the treatment arm.
    cluster_size : float
        Mean individuals measured per cluster (at least 1).
    icc : float
        Intra-cluster correlation coefficient, between 0 and 1.
    alpha : float, default 0.05
        Significance level.
    power : float, default 0.8
        Power wanted.
    cv : float, default 0.0
        Coefficient of variation of the cluster sizes.
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"
        The alternative hypothesis.

    Returns
    -------
    int
        Clusters per arm (equal arms), rounded up.

    Raises
    ------
    ValueError
        If an argument is out of range (see :func:`sample_size_two_proportions` and
        :func:`design_effect`).

    Examples
    --------
    >>> clusters_per_arm(0.45, 0.50, cluster_size=300, icc=0.05)
    84
    """
    deff = design_effect(cluster_size, icc, cv)
    n = _n_individual(p0, p1, alpha, power, 1.0, alternative)
    return math.ceil(n * deff / float(cluster_size) - 1e-9)


# ------------------------------------------------------------------ allocation
def assign_stratified(frame: pd.DataFrame, strata: str | Sequence[str] | None,
                      arms: Sequence[str] = ("control", "treatment"), seed: int | None = None) -> pd.Series:
    """Randomise the rows of a table to arms, completely within each stratum.

    Within every stratum the arms differ in size by at most one; the strata's odd
    units go to the arms with fewest units so far (ties broken at random), so the arms
    also differ by at most one overall. Units are put in the order of the frame's
    index before shuffling, so the same units, strata and seed always give the same
    assignment whatever the order of the rows: record the seed in the trial protocol.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit (for example per school), with a unique index (for example
        the school number).
    strata : str, sequence of str or None
        Column(s) whose combinations form the strata; None or an empty list for
        complete randomisation without strata.
    arms : sequence of str, default ("control", "treatment")
        Two or more distinct arm labels.
    seed : int
        A whole number of at least 0 that seeds :func:`numpy.random.default_rng`;
        required, so that the assignment can be reproduced.

    Returns
    -------
    pandas.Series
        The arm of each unit, named ``"arm"``, with the frame's index.

    Raises
    ------
    ValueError
        If ``seed`` is missing or not a whole number of at least 0, ``arms`` has
        fewer than two distinct labels, a ``strata`` column is missing or has empty
        values, or the frame's index repeats.

    Examples
    --------
    >>> units = pd.DataFrame({"phase": ["Primary"] * 4 + ["Secondary"] * 2}, index=list("abcdef"))
    >>> assign_stratified(units, "phase", seed=1).value_counts().tolist()
    [3, 3]
    """
    if seed is None or isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number of at least 0 that you record in the protocol, got {seed!r}")
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    labels = list(arms) if not isinstance(arms, str) else [arms]
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise ValueError(f"arms must hold at least two distinct labels, got {arms!r}")
    if not frame.index.is_unique:
        raise ValueError("frame's index must identify each unit once, but it repeats; set a unique id as index")
    columns = [] if strata is None else ([strata] if isinstance(strata, str) else list(strata))
    for column in columns:
        if column not in frame.columns:
            raise ValueError(f"strata column {column!r} is not in the frame; its columns are: {', '.join(map(str, frame.columns))}")
        if frame[column].isna().any():
            raise ValueError(f"strata column {column!r} is empty in {int(frame[column].isna().sum())} row(s); "
                             "every unit needs a stratum")
    rng = np.random.default_rng(int(seed))
    result = pd.Series(pd.NA, index=frame.index, dtype=object, name="arm")
    used = np.zeros(len(labels), dtype=int)
    groups = [frame] if not columns else [g for _, g in frame.groupby(columns, sort=True, observed=True)]
    for group in groups:
        units = group.index.sort_values()
        full, extra = divmod(len(units), len(labels))
        tie_break = rng.permutation(len(labels))
        fewest = sorted(tie_break, key=lambda i: used[i])[:extra]
        chosen = np.repeat(np.arange(len(labels)), full).tolist() + list(fewest)
        chosen = rng.permutation(np.asarray(chosen, dtype=int))
        result.loc[units] = [labels[i] for i in chosen]
        used += np.bincount(chosen, minlength=len(labels))
    return result


# --------------------------------------------------------------------- balance
def standardised_mean_difference(treated, control) -> float:
    """Return the standardised mean difference between two groups.

    ``(mean(treated) - mean(control)) / sqrt((var(treated) + var(control)) / 2)``
    with sample variances (Austin, 2009). Missing values are left out. An absolute
    value below 0.1 is the usual rule of thumb for balance.

    Parameters
    ----------
    treated : array-like of float
        Values in the treatment arm (at least two).
    control : array-like of float
        Values in the control arm (at least two).

    Returns
    -------
    float
        The SMD; 0 when both groups are constant and equal, plus or minus infinity when
        both are constant and differ.

    Raises
    ------
    ValueError
        If either group has fewer than two values.

    Examples
    --------
    >>> standardised_mean_difference([2, 4, 6], [1, 3, 5])
    0.5
    """
    t = pd.Series(np.asarray(treated, dtype=float).ravel()).dropna()
    c = pd.Series(np.asarray(control, dtype=float).ravel()).dropna()
    for name, values in (("treated", t), ("control", c)):
        if len(values) < 2:
            raise ValueError(f"{name} must hold at least two values, got {len(values)}")
    difference = t.mean() - c.mean()
    spread = math.sqrt((t.var(ddof=1) + c.var(ddof=1)) / 2.0)
    if spread == 0:
        return 0.0 if difference == 0 else math.copysign(math.inf, difference)
    return float(difference / spread)


def balance_table(frame: pd.DataFrame, arm: str, covariates: Sequence[str], treatment: str,
                  control: str = "control", threshold: float = 0.1) -> pd.DataFrame:
    """Return the means of covariates by arm and their standardised mean differences.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit with an arm column and numeric covariates.
    arm : str
        Column holding each unit's arm.
    covariates : sequence of str
        Numeric columns to compare.
    treatment : str
        Label of the treatment arm in ``arm``.
    control : str, default "control"
        Label of the control arm in ``arm``.
    threshold : float, default 0.1
        Largest absolute SMD counted as balanced.

    Returns
    -------
    pandas.DataFrame
        Indexed by covariate, with columns ``mean_control``, ``mean_treatment``,
        ``smd`` and ``balanced`` (``abs(smd) < threshold``).

    Raises
    ------
    ValueError
        If a column is missing, an arm label is absent or an arm has fewer than two
        units, or ``threshold`` is not positive.

    Examples
    --------
    >>> units = pd.DataFrame({"arm": ["control", "treatment"] * 3, "size": [1, 2, 3, 4, 5, 6]})
    >>> balance_table(units, "arm", ["size"], treatment="treatment")["smd"].round(2).tolist()
    [0.5]
    """
    limit = _number("threshold", threshold, low=0.0, low_open=True)
    for column in [arm, *covariates]:
        if column not in frame.columns:
            raise ValueError(f"column {column!r} is not in the frame; its columns are: {', '.join(map(str, frame.columns))}")
    if not list(covariates):
        raise ValueError("covariates must name at least one column")
    present = set(frame[arm].dropna().unique())
    for name, label in (("treatment", treatment), ("control", control)):
        if label not in present:
            raise ValueError(f"{name} arm {label!r} does not occur in column {arm!r}; it holds: "
                             f"{', '.join(map(str, sorted(present, key=str)))}")
    t_rows = frame[frame[arm] == treatment]
    c_rows = frame[frame[arm] == control]
    rows = []
    for column in covariates:
        smd = standardised_mean_difference(t_rows[column], c_rows[column])
        rows.append({"covariate": column, "mean_control": float(c_rows[column].mean()),
                     "mean_treatment": float(t_rows[column].mean()), "smd": smd, "balanced": abs(smd) < limit})
    return pd.DataFrame(rows).set_index("covariate")


# ------------------------------------------------- longitudinal cluster designs
def _whole(name: str, value, *, low: int) -> int:
    """Return ``value`` as an int of at least ``low``, or raise ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be a whole number of at least {low}, got {value!r}")
    return int(value)


def _pattern_frame(pattern: np.ndarray) -> pd.DataFrame:
    clusters, periods = pattern.shape
    return pd.DataFrame(pattern.astype(int), index=pd.RangeIndex(1, clusters + 1, name="cluster"),
                        columns=pd.RangeIndex(1, periods + 1, name="period"))


def stepped_wedge_design(clusters: int, steps: int, baseline_periods: int = 1,
                         periods_per_step: int = 1) -> pd.DataFrame:
    """Return the treatment pattern of a stepped-wedge design.

    Every cluster starts in the control condition; at each step a group of clusters
    (drawn at random in the real trial) crosses over to the intervention and keeps it,
    until all clusters have it. With ``b`` baseline periods, ``k`` steps and ``t``
    periods after each step there are ``b + k * t`` measurement periods (Hussey and
    Hughes, 2007; Woertman et al., 2013). Clusters are spread over the steps as evenly
    as possible, the earlier steps taking any extra.

    Parameters
    ----------
    clusters : int
        Number of clusters (for example schools), at least ``steps``.
    steps : int
        Number of steps (groups crossing over), at least 2.
    baseline_periods : int, default 1
        Periods before the first step, when no cluster has the intervention (at least 0).
    periods_per_step : int, default 1
        Measurement periods after each step (at least 1).

    Returns
    -------
    pandas.DataFrame
        One row per cluster (index ``cluster``, from 1) and one column per period
        (``period``, from 1), holding 1 where the cluster has the intervention, else 0.

    Raises
    ------
    ValueError
        If an argument is not a whole number in range, or there are fewer clusters than steps.

    Examples
    --------
    >>> stepped_wedge_design(4, 2).to_numpy().tolist()
    [[0, 1, 1], [0, 1, 1], [0, 0, 1], [0, 0, 1]]
    """
    k = _whole("steps", steps, low=2)
    n_clusters = _whole("clusters", clusters, low=2)
    if n_clusters < k:
        raise ValueError(f"clusters must be at least steps ({k}) so that every step switches a cluster, got {n_clusters}")
    b = _whole("baseline_periods", baseline_periods, low=0)
    t = _whole("periods_per_step", periods_per_step, low=1)
    switch = b + (np.arange(n_clusters) * k // n_clusters) * t  # first treated period of each cluster (0-based)
    return _pattern_frame(np.arange(b + k * t)[None, :] >= switch[:, None])


def parallel_design(clusters: int, baseline_periods: int = 0, follow_up_periods: int = 1) -> pd.DataFrame:
    """Return the treatment pattern of a parallel cluster-randomised design.

    Half the clusters (rounded down) have the intervention in the follow-up periods;
    none has it in the baseline periods, whose measurements let the analysis compare
    each cluster with itself.

    Parameters
    ----------
    clusters : int
        Number of clusters, at least 2.
    baseline_periods : int, default 0
        Measurement periods before the intervention starts (at least 0).
    follow_up_periods : int, default 1
        Measurement periods after it starts (at least 1).

    Returns
    -------
    pandas.DataFrame
        Clusters in rows, periods in columns, 1 where the cluster has the intervention.

    Raises
    ------
    ValueError
        If an argument is not a whole number in range.

    Examples
    --------
    >>> parallel_design(4, baseline_periods=1).to_numpy().tolist()
    [[0, 0], [0, 0], [0, 1], [0, 1]]
    """
    n_clusters = _whole("clusters", clusters, low=2)
    b = _whole("baseline_periods", baseline_periods, low=0)
    f = _whole("follow_up_periods", follow_up_periods, low=1)
    treated = np.arange(n_clusters) >= n_clusters - n_clusters // 2
    return _pattern_frame(treated[:, None] & (np.arange(b + f)[None, :] >= b))


def cluster_trial_variance(design, cluster_period_size: float, icc: float, autocorrelation: float = 1.0,
                           variance: float = 1.0) -> float:
    """Return the variance of the treatment effect estimated from a cluster design.

    The model is that of Hussey and Hughes (2007) for a cross-sectional design (different
    individuals, ``n`` per cluster and period): a fixed effect for each period, the
    treatment effect, a cluster effect and individual noise, with the variance
    components known. With ``autocorrelation`` 1 the cluster effect is the same in every
    period and the variance is Hussey and Hughes' closed form; below 1 the cluster effect
    drifts between periods (the block-exchangeable correlation of Hooper et al., 2016,
    and Girling and Hemming, 2016: ``icc`` within a period, ``icc * autocorrelation``
    between two periods), which removes some of the benefit of comparing a cluster with
    itself. The variance is the treatment entry of the generalised-least-squares
    covariance ``(Z' V^-1 Z)^-1``, summed over clusters.

    Parameters
    ----------
    design : array-like or pandas.DataFrame of 0/1
        Clusters in rows, periods in columns, 1 where the cluster has the intervention
        (see :func:`stepped_wedge_design` and :func:`parallel_design`).
    cluster_period_size : float
        Individuals measured per cluster in each period, ``n`` (at least 1).
    icc : float
        Intra-cluster correlation coefficient within a period, at least 0 and below 1.
    autocorrelation : float, default 1.0
        Correlation between a cluster's true effects in two different periods (the
        cluster autocorrelation), between 0 and 1.
    variance : float, default 1.0
        Total variance of an individual's outcome (1 on the arcsine scale of Cohen's *h*).

    Returns
    -------
    float
        The variance of the estimated treatment effect.

    Raises
    ------
    ValueError
        If ``design`` is not a two-dimensional 0/1 pattern with at least two clusters, if
        treated and control clusters never share a period (so the intervention's effect
        cannot be told from the change over time), or another argument is out of range.

    Examples
    --------
    >>> round(cluster_trial_variance([[0], [0], [1], [1]], cluster_period_size=10, icc=0.1), 4)
    0.19
    """
    pattern = np.asarray(design, dtype=float)
    if pattern.ndim != 2 or pattern.shape[0] < 2 or pattern.shape[1] < 1:
        raise ValueError(f"design must be a table with clusters in rows (at least two) and periods in columns, "
                         f"got shape {pattern.shape}")
    if not np.isin(pattern, (0.0, 1.0)).all():
        raise ValueError("design must hold only 0 (control) and 1 (intervention)")
    n = _number("cluster_period_size", cluster_period_size, low=1.0)
    rho = _number("icc", icc, low=0.0, high=1.0, high_open=True)
    r = _number("autocorrelation", autocorrelation, low=0.0, high=1.0)
    total = _number("variance", variance, low=0.0, low_open=True)
    n_clusters, periods = pattern.shape
    counts = pattern.sum(axis=0)
    if not ((counts > 0) & (counts < n_clusters)).any():
        raise ValueError("design must have treated and control clusters in the same period at least once; "
                         "otherwise the intervention's effect cannot be told from the change over time")
    tau2, s2 = total * rho, total * (1.0 - rho) / n
    if r == 1.0:  # Hussey and Hughes (2007), closed form
        u, w, v = pattern.sum(), (counts**2).sum(), (pattern.sum(axis=1) ** 2).sum()
        within = n_clusters * u - w
        between = u**2 + n_clusters * periods * u - periods * w - n_clusters * v
        return float(n_clusters * s2 * (s2 + periods * tau2) / (within * s2 + between * tau2))
    cov = tau2 * (r * np.ones((periods, periods)) + (1.0 - r) * np.eye(periods)) + s2 * np.eye(periods)
    precision = np.linalg.inv(cov)
    # information for the treatment effect once the period effects are estimated
    information = float(((pattern @ precision) * pattern).sum() - counts @ precision @ counts / n_clusters)
    return 1.0 / information


def power_cluster_design(p0: float, p1: float, design, cluster_period_size: float, icc: float,
                         alpha: float = 0.05, autocorrelation: float = 1.0,
                         alternative: str = "two-sided") -> float:
    """Return the power of a cluster design to detect a change from ``p0`` to ``p1``.

    The effect is Cohen's *h* on the arcsine scale (unit variance per individual, as in
    :func:`power_two_proportions`); its standard error is the square root of
    :func:`cluster_trial_variance`, and the power comes from
    :class:`statsmodels.stats.power.NormalIndPower` with the equivalent individuals per
    arm, ``2 / variance``.

    Parameters
    ----------
    p0 : float
        Proportion under control (between 0 and 1, exclusive).
    p1 : float
        Proportion under the intervention (between 0 and 1, exclusive).
    design : array-like or pandas.DataFrame of 0/1
        The treatment pattern, clusters in rows and periods in columns.
    cluster_period_size : float
        Individuals measured per cluster in each period (at least 1).
    icc : float
        Intra-cluster correlation coefficient, at least 0 and below 1.
    alpha : float, default 0.05
        Significance level.
    autocorrelation : float, default 1.0
        Cluster autocorrelation between periods (see :func:`cluster_trial_variance`).
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"
        The alternative hypothesis.

    Returns
    -------
    float
        Power, between 0 and 1.

    Raises
    ------
    ValueError
        If an argument is out of range or the design cannot estimate the effect.

    Examples
    --------
    >>> design = stepped_wedge_design(20, steps=4)
    >>> round(power_cluster_design(0.45, 0.50, design, cluster_period_size=100, icc=0.05), 2)
    0.81
    """
    a = _proportion("p0", p0)
    b = _proportion("p1", p1)
    level = _number("alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True)
    var = cluster_trial_variance(design, cluster_period_size, icc, autocorrelation, variance=1.0)
    return float(NormalIndPower().power(effect_size=proportion_effectsize(b, a), nobs1=2.0 / var, alpha=level,
                                        ratio=1.0, alternative=_alternative(alternative)))


def stepped_wedge_design_effect(steps: int, cluster_period_size: float, icc: float,
                                baseline_periods: int = 1, periods_per_step: int = 1) -> float:
    """Return the design effect of a stepped-wedge design (Woertman et al., 2013).

    ``DE_sw = (1 + rho (k t n + b n - 1)) / (1 + rho (k t n / 2 + b n - 1))
    * 3 (1 - rho) / (2 t (k - 1 / k))`` with ``k`` steps, ``b`` baseline periods,
    ``t`` periods after each step, ``n`` individuals per cluster and period and ICC
    ``rho``. An individually randomised trial needing ``N`` individuals in all becomes a
    stepped-wedge trial of ``N * DE_sw / n`` clusters (each measured ``b + k t`` times).
    It assumes a cluster's effect is the same in every period (autocorrelation 1) and
    agrees exactly with :func:`cluster_trial_variance` when the clusters divide evenly
    between the steps.

    Parameters
    ----------
    steps : int
        Number of steps, ``k`` (at least 2).
    cluster_period_size : float
        Individuals measured per cluster in each period, ``n`` (at least 1).
    icc : float
        Intra-cluster correlation coefficient, at least 0 and below 1.
    baseline_periods : int, default 1
        Measurement periods before the first step, ``b`` (at least 0).
    periods_per_step : int, default 1
        Measurement periods after each step, ``t`` (at least 1).

    Returns
    -------
    float
        The design effect (below 1 when the repeated measurements more than make up for
        the clustering).

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> round(stepped_wedge_design_effect(4, 50, 0.05), 4)
    0.6049
    """
    k = _whole("steps", steps, low=2)
    n = _number("cluster_period_size", cluster_period_size, low=1.0)
    rho = _number("icc", icc, low=0.0, high=1.0, high_open=True)
    b = _whole("baseline_periods", baseline_periods, low=0)
    t = _whole("periods_per_step", periods_per_step, low=1)
    clustering = (1.0 + rho * (k * t * n + b * n - 1.0)) / (1.0 + rho * (0.5 * k * t * n + b * n - 1.0))
    return float(clustering * 3.0 * (1.0 - rho) / (2.0 * t * (k - 1.0 / k)))


def clusters_stepped_wedge(p0: float, p1: float, steps: int, cluster_period_size: float, icc: float,
                           alpha: float = 0.05, power: float = 0.8, baseline_periods: int = 1,
                           periods_per_step: int = 1, autocorrelation: float = 1.0,
                           alternative: str = "two-sided") -> int:
    """Return the clusters a stepped-wedge trial needs, the same number at every step.

    A design with one cluster per step is replicated until the variance of the effect
    (:func:`cluster_trial_variance`, which falls in proportion to the replicates) is no
    more than an individually randomised trial with the power asked for would have.
    With ``autocorrelation`` 1 this is the design effect of Woertman et al. (2013)
    (:func:`stepped_wedge_design_effect`) rounded up to a multiple of ``steps``.

    Parameters
    ----------
    p0 : float
        Proportion under control.
    p1 : float
        Proportion hoped for under the intervention (not ``p0``).
    steps : int
        Number of steps (at least 2).
    cluster_period_size : float
        Individuals measured per cluster in each period (at least 1).
    icc : float
        Intra-cluster correlation coefficient, at least 0 and below 1.
    alpha : float, default 0.05
        Significance level.
    power : float, default 0.8
        Power wanted.
    baseline_periods : int, default 1
        Periods before the first step.
    periods_per_step : int, default 1
        Periods after each step.
    autocorrelation : float, default 1.0
        Cluster autocorrelation between periods (see :func:`cluster_trial_variance`).
    alternative : {"two-sided", "larger", "smaller"}, default "two-sided"
        The alternative hypothesis.

    Returns
    -------
    int
        Clusters in all, a multiple of ``steps``.

    Raises
    ------
    ValueError
        If an argument is out of range or ``p1`` equals ``p0``.

    Examples
    --------
    >>> clusters_stepped_wedge(0.45, 0.50, steps=4, cluster_period_size=100, icc=0.05)
    20
    >>> clusters_stepped_wedge(0.45, 0.50, steps=4, cluster_period_size=100, icc=0.05, autocorrelation=0.8)
    40
    """
    per_arm = _n_individual(p0, p1, alpha, power, 1.0, alternative)
    k = _whole("steps", steps, low=2)
    one_each = stepped_wedge_design(k, k, baseline_periods, periods_per_step)
    var = cluster_trial_variance(one_each, cluster_period_size, icc, autocorrelation)
    return k * max(1, math.ceil(var * per_arm / 2.0 - 1e-9))


# ------------------------------------------------------- counts, by simulation
_ANALYSES = ("negative-binomial", "quasi-poisson", "poisson")


def _seed(value) -> int:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"seed must be a whole number of at least 0 that you record in the protocol, got {value!r}")
    return int(value)


def draw_counts(mean, dispersion: float, rng: np.random.Generator) -> np.ndarray:
    """Draw Poisson or negative-binomial counts with the given means.

    With ``dispersion`` 0 the counts are Poisson; otherwise each unit's rate is first
    drawn from a gamma distribution with mean ``mean`` and variance
    ``dispersion * mean**2`` (units differ beyond chance), and the count is Poisson
    with that rate: a negative-binomial count with variance
    ``mean + dispersion * mean**2``.

    Parameters
    ----------
    mean : array-like of float
        Expected count of each unit (non-negative).
    dispersion : float
        Negative-binomial dispersion ``alpha`` (at least 0; 0 for Poisson counts).
    rng : numpy.random.Generator
        The random generator, for example ``np.random.default_rng(seed)``.

    Returns
    -------
    numpy.ndarray of int
        One count per unit.

    Raises
    ------
    ValueError
        If a mean is negative or missing, ``dispersion`` is negative or ``rng`` is not a generator.

    Examples
    --------
    >>> draw_counts([2.0, 5.0], 0.0, np.random.default_rng(1)).shape
    (2,)
    """
    mu = np.asarray(mean, dtype=float)
    if np.isnan(mu).any() or (mu < 0).any():
        raise ValueError("mean must hold non-negative expected counts, without missing values")
    alpha = _number("dispersion", dispersion, low=0.0)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy Generator such as np.random.default_rng(seed), got {type(rng).__name__}")
    if alpha == 0:
        return rng.poisson(mu)
    return rng.poisson(rng.gamma(shape=1.0 / alpha, scale=alpha * mu))


class PowerSimulation(NamedTuple):
    """Power (or a false-positive rate) estimated by simulation, with its Monte Carlo standard error."""

    power: float
    mc_se: float
    n_sims: int


def _rate_ratio_pvalue(counts: np.ndarray, treated: np.ndarray, exposure: np.ndarray,
                       analysis: str, dispersion: float) -> float:
    """P-value of the arm's coefficient in a log-linear GLM; 1 when it cannot be estimated."""
    if counts[treated == 1].sum() == 0 or counts[treated == 0].sum() == 0:
        return 1.0  # an arm with no events: the Wald test has no finite estimate (counted as not detected)
    if analysis == "negative-binomial" and dispersion > 0:
        family = families.NegativeBinomial(alpha=dispersion)
    else:
        family = families.Poisson()
    design = np.column_stack([np.ones_like(treated), treated])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model = GLM(counts, design, family=family, exposure=exposure)
            result = model.fit(scale="X2", use_t=True) if analysis == "quasi-poisson" else model.fit()
            p = float(result.pvalues[1])
        except (ValueError, np.linalg.LinAlgError, FloatingPointError):
            return 1.0
    return p if math.isfinite(p) else 1.0


def simulate_power_counts(exposure, rate: float, rate_ratio: float, dispersion: float = 0.0,
                          n_sims: int = 200, alpha: float = 0.05, seed: int | None = None,
                          analysis: str = "negative-binomial") -> PowerSimulation:
    """Estimate by simulation the power of a trial whose outcome is a count per unit.

    Each simulated trial randomises half the units (rounded down) to the intervention,
    draws each unit's count with :func:`draw_counts` (mean ``rate * exposure``, times
    ``rate_ratio`` for treated units), fits a log-linear generalised linear model with
    :class:`statsmodels.genmod.generalized_linear_model.GLM` (log exposure as offset)
    and tests the arm's coefficient (Wald test); the power is the share of trials with a
    p-value below ``alpha``. With ``rate_ratio`` 1 it estimates the false-positive rate
    instead, which checks the analysis. A trial with no events in an arm counts as not
    detected.

    Parameters
    ----------
    exposure : array-like of float
        Exposure of each unit, for example hundreds of pupils on roll (positive; at least four units).
    rate : float
        Expected count per unit of exposure without the intervention (positive).
    rate_ratio : float
        Rate under the intervention over the rate without it (positive; 0.7 is a 30% fall).
    dispersion : float, default 0.0
        Negative-binomial dispersion of the counts (0 for Poisson counts).
    n_sims : int, default 200
        Number of simulated trials (at least 1); the Monte Carlo standard error falls as
        ``1 / sqrt(n_sims)``.
    alpha : float, default 0.05
        Significance level.
    seed : int
        A whole number of at least 0 for :func:`numpy.random.default_rng`; required, so
        that the estimate can be reproduced.
    analysis : {"negative-binomial", "quasi-poisson", "poisson"}, default "negative-binomial"
        The model fitted to each trial: negative binomial with ``dispersion`` taken as
        known (Poisson when it is 0), Poisson with the scale estimated from the Pearson
        chi-squared and t-tests, or plain Poisson (which ignores overdispersion).

    Returns
    -------
    PowerSimulation
        ``power``, its Monte Carlo standard error ``mc_se`` and ``n_sims``.

    Raises
    ------
    ValueError
        If an argument is out of range, ``seed`` is missing or ``analysis`` is unknown.

    Examples
    --------
    >>> result = simulate_power_counts([3.0] * 40, rate=1.0, rate_ratio=0.5, n_sims=50, seed=1)
    >>> 0.5 < result.power <= 1
    True
    """
    e = np.asarray(exposure, dtype=float).ravel()
    if e.size < 4 or not np.isfinite(e).all() or (e <= 0).any():
        raise ValueError(f"exposure must hold at least four positive, finite values (one per unit), got {e.size} "
                         f"value(s){'' if np.isfinite(e).all() and (e > 0).all() else ' with some missing or not positive'}")
    r = _number("rate", rate, low=0.0, low_open=True)
    ratio = _number("rate_ratio", rate_ratio, low=0.0, low_open=True)
    disp = _number("dispersion", dispersion, low=0.0)
    sims = _whole("n_sims", n_sims, low=1)
    level = _number("alpha", alpha, low=0.0, high=1.0, low_open=True, high_open=True)
    if analysis not in _ANALYSES:
        raise ValueError(f"analysis must be one of {', '.join(_ANALYSES)}, got {analysis!r}")
    rng = np.random.default_rng(_seed(seed))
    units = e.size
    rejections = 0
    for _ in range(sims):
        treated = np.zeros(units)
        treated[rng.permutation(units)[: units // 2]] = 1.0
        counts = draw_counts(r * e * np.where(treated == 1, ratio, 1.0), disp, rng)
        rejections += _rate_ratio_pvalue(counts, treated, e, analysis, disp) < level
    share = rejections / sims
    return PowerSimulation(power=float(share), mc_se=float(math.sqrt(share * (1 - share) / sims)), n_sims=sims)


# ------------------------------------------------------------ pre-analysis plan
PLAN_HEADINGS: tuple[str, ...] = (
    "Hypothesis", "Primary outcome", "Design and randomisation", "Sample size and power", "Analysis",
    "Success and what we will do", "Stopping rules", "Secondary outcomes", "Missing data",
)


def pre_analysis_plan(*, hypothesis: str, primary_outcome: str, design: str, seed: int, sample_size: str,
                      analysis: str, decision_rule: str, stopping_rules: str, secondary_outcomes: str,
                      missing_data: str, tables: Mapping[str, pd.DataFrame] | None = None) -> list[tuple[str, object]]:
    """Assemble a pre-analysis plan as sections for :func:`curriculum.artefacts.write_document`.

    The plan fixes, before any outcome data exist, what will be measured, how it will be
    analysed and what will count as success (the headings of :data:`PLAN_HEADINGS`, in
    that order); the random seed is written into the design section; tables (for
    example the power calculations) follow as annexes.

    Parameters
    ----------
    hypothesis, primary_outcome, design, sample_size, analysis, decision_rule, stopping_rules, secondary_outcomes, missing_data : str
        The text of each section: paragraphs separated by blank lines, bullets as lines
        starting "- ". None may be blank.
    seed : int
        The random seed of the allocation, recorded before the draw (a whole number of at least 0).
    tables : mapping of str to pandas.DataFrame, optional
        Annex tables by title, in order.

    Returns
    -------
    list of (str, str or pandas.DataFrame)
        The sections: heading and content.

    Raises
    ------
    ValueError
        If a text is blank or not text (naming it), the seed is not a whole number of at
        least 0, or an annex is not a non-empty DataFrame.

    Examples
    --------
    >>> texts = dict.fromkeys(["hypothesis", "primary_outcome", "design", "sample_size", "analysis",
    ...                        "decision_rule", "stopping_rules", "secondary_outcomes", "missing_data"], "To be agreed.")
    >>> [heading for heading, _ in pre_analysis_plan(seed=1, **texts)][:2]
    ['Hypothesis', 'Primary outcome']
    """
    texts = {"hypothesis": hypothesis, "primary_outcome": primary_outcome, "design": design,
             "sample_size": sample_size, "analysis": analysis, "decision_rule": decision_rule,
             "stopping_rules": stopping_rules, "secondary_outcomes": secondary_outcomes, "missing_data": missing_data}
    for name, text in texts.items():
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name} must be non-blank text: a pre-analysis plan states every part before the data arrive")
    recorded = _seed(seed)
    texts["design"] = f"{design.strip()}\n\nRandom seed, recorded before the draw: {recorded}."
    sections: list[tuple[str, object]] = [(heading, texts[name].strip()) for heading, name in zip(PLAN_HEADINGS, texts)]
    for title, table in (tables or {}).items():
        if not isinstance(table, pd.DataFrame) or table.empty:
            raise ValueError(f"tables[{title!r}] must be a non-empty pandas DataFrame, got {type(table).__name__}")
        sections.append((f"Annex: {title}", table))
    return sections
