"""Designing experiments: clustering, power, stratified randomisation and balance.

The functions behind the Adaption Lab's experiment modules. Power and sample-size
sums for two proportions are built on :mod:`statsmodels.stats.power` (the normal
approximation with Cohen's *h*, the arcsine effect size); clustering enters through
the design effect ``1 + (m - 1) * ICC``, with the intra-cluster correlation estimated
from a baseline survey by the one-way ANOVA estimator.

Nothing happens on import.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
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
