"""Analysing experiments and roll-outs: intention to treat, ANCOVA, many outcomes, difference in differences.

The functions behind the Adaption Lab's *Analysing an experiment* module, built on
statsmodels:

- a randomised trial's **intention-to-treat** effect as a difference in means with a
  Welch confidence interval (:class:`statsmodels.stats.weightstats.CompareMeans`), at
  the level of the units or of the clusters that were randomised;
- **ANCOVA**: an OLS regression of the outcome on the arm and baseline covariates
  (:func:`statsmodels.formula.api.ols`), with cluster-robust standard errors and
  *t* intervals on G - 1 degrees of freedom when whole clusters were randomised;
- **multiple outcomes**: one pre-declared primary outcome reported as it is and the
  secondary outcomes adjusted with Holm or Benjamini-Hochberg
  (:func:`statsmodels.stats.multitest.multipletests`);
- **difference in differences** for a roll-out that was not randomised: the 2 x 2 table
  of group means, the two-way fixed-effects regression with standard errors clustered
  by area, an event study, a test of parallel pre-trends and a placebo test;
- charts of estimates with their intervals, of group trends and of an event study.

Estimates come back as :class:`Effect`. Nothing happens on import.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from curriculum.threads import one_thread

__all__ = [
    "Effect",
    "attrition_table",
    "itt_difference",
    "fit_ancova",
    "ancova",
    "adjust_pvalues",
    "outcome_table",
    "did_2x2",
    "did_regression",
    "event_study",
    "pretrend_test",
    "placebo_test",
    "plot_effects",
    "plot_trends",
    "plot_event_study",
]

_METHODS = {"holm": "holm", "bonferroni": "bonferroni", "fdr_bh": "fdr_bh", "bh": "fdr_bh",
            "benjamini-hochberg": "fdr_bh"}


@dataclass(frozen=True)
class Effect:
    """An estimated effect with its standard error, confidence interval and p-value.

    Attributes
    ----------
    estimate : float
        The effect (treatment minus control, or the difference in differences), in the
        outcome's units.
    se : float
        Its standard error.
    ci_low, ci_high : float
        The confidence interval (95% unless another ``alpha`` was asked for).
    p_value : float
        Two-sided p-value for "no effect".
    n : int
        Rows (units or area-months) analysed.
    n_clusters : int or None
        Clusters behind the standard error (None when units were independent).
    method : str
        How the effect was estimated, in words.
    model : object, optional
        The fitted statsmodels results, when there is one (not shown or compared).
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int
    n_clusters: int | None
    method: str
    model: Any = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the effect as a dictionary, without the fitted model.

        Returns
        -------
        dict
            Keys ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``p_value``, ``n``,
            ``n_clusters`` and ``method``.
        """
        values = asdict(self)
        values.pop("model")
        return values


# --------------------------------------------------------------------------- checks
def _alpha(alpha) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.integer, np.floating)) \
            or not 0 < float(alpha) < 1:
        raise ValueError(f"alpha must be a number between 0 and 1 (0.05 for 95% intervals), got {alpha!r}")
    return float(alpha)


def _frame(frame, name: str = "frame") -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    return frame


def _columns(frame: pd.DataFrame, **named) -> None:
    """Raise ValueError naming the argument whose column is missing."""
    for argument, columns in named.items():
        if columns is None:
            continue
        for column in ([columns] if isinstance(columns, str) else list(columns)):
            if column not in frame.columns:
                raise ValueError(f"{argument}: column {column!r} is not in the frame; its columns are: "
                                 f"{', '.join(map(str, frame.columns))}")


def _arms(frame: pd.DataFrame, arm: str, treatment, control) -> None:
    present = set(frame[arm].dropna().unique())
    for name, label in (("treatment", treatment), ("control", control)):
        if label not in present:
            raise ValueError(f"{name} arm {label!r} does not occur in column {arm!r}; it holds: "
                             f"{', '.join(map(str, sorted(present, key=str)))}")
    if treatment == control:
        raise ValueError(f"treatment and control must be different arms, both are {treatment!r}")


def _numeric(frame: pd.DataFrame, column: str, argument: str) -> pd.Series:
    values = frame[column]
    if values.dtype == bool or str(values.dtype) == "boolean":
        return values.astype("float64")
    if not pd.api.types.is_numeric_dtype(values):
        raise ValueError(f"{argument}: column {column!r} must hold numbers, it holds {values.dtype}")
    return values.astype("float64")


def _flag(frame: pd.DataFrame, column: str, argument: str) -> pd.Series:
    """A 0/1 column from a boolean or 0/1 column."""
    values = frame[column]
    if values.isna().any():
        raise ValueError(f"{argument}: column {column!r} is empty in {int(values.isna().sum())} row(s)")
    numbers = values.astype("float64") if (values.dtype == bool or str(values.dtype) == "boolean") \
        else pd.to_numeric(values, errors="coerce")
    if numbers.isna().any() or not numbers.isin([0.0, 1.0]).all():
        raise ValueError(f"{argument}: column {column!r} must be True/False (or 1/0)")
    return numbers.astype("float64")


def _month_index(values: pd.Series, argument: str) -> pd.Series:
    """Whole months since year 0 for dates; the numbers themselves for numbers."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.year * 12 + values.dt.month - 1
    if pd.api.types.is_numeric_dtype(values) and values.dtype != bool:
        return values.astype("float64")
    raise ValueError(f"{argument}: column must hold dates or numbers, it holds {values.dtype}")


def _effect_from_model(result, term: str, n: int, n_clusters: int | None, method: str, alpha: float) -> Effect:
    low, high = result.conf_int(alpha=alpha).loc[term]
    return Effect(estimate=float(result.params[term]), se=float(result.bse[term]), ci_low=float(low),
                  ci_high=float(high), p_value=float(result.pvalues[term]), n=int(n),
                  n_clusters=None if n_clusters is None else int(n_clusters), method=method, model=result)


def _fit(formula: str, data: pd.DataFrame, cluster: pd.Series | None):
    import statsmodels.formula.api as smf

    with one_thread("blas"):  # small fits: extra BLAS threads only slow them on a shared machine
        model = smf.ols(formula, data=data)
        if cluster is None:
            return model.fit(cov_type="HC2", use_t=True)
        codes = pd.factorize(cluster)[0]
        result = model.fit(cov_type="cluster", cov_kwds={"groups": codes}, use_t=True)
        with np.errstate(invalid="ignore"):
            # With G clusters the robust covariance has rank at most G - 1: the variances of some
            # fixed effects can come out a rounding error below zero. Their NaN errors are never used.
            result.bse  # noqa: B018 (computes and caches the standard errors)
    return result


# --------------------------------------------------------------------------- trials
def attrition_table(frame: pd.DataFrame, arm: str, outcome: str, cluster: str | None = None) -> pd.DataFrame:
    """Count by arm the units (and clusters) randomised and those with an outcome.

    The CONSORT flow in one table: report it before any effect, because units lost
    differently from the two arms can bias the comparison.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per randomised unit, including units without an outcome.
    arm : str
        Column holding each unit's arm.
    outcome : str
        Column holding the outcome; missing values mark units lost to follow-up.
    cluster : str, optional
        Column holding each unit's cluster (for example the school).

    Returns
    -------
    pandas.DataFrame
        Indexed by arm, with ``units``, ``units_analysed`` and ``share_lost`` and,
        with ``cluster``, ``clusters`` and ``clusters_analysed`` (clusters with at least
        one unit with an outcome).

    Raises
    ------
    ValueError
        If a column is missing.

    Examples
    --------
    >>> units = pd.DataFrame({"arm": ["a", "a", "b", "b"], "y": [1.0, None, 2.0, 3.0]})
    >>> attrition_table(units, "arm", "y")["share_lost"].tolist()
    [0.5, 0.0]
    """
    _frame(frame)
    _columns(frame, arm=arm, outcome=outcome, cluster=cluster)
    has = frame[outcome].notna()
    table = pd.DataFrame({"units": frame.groupby(arm).size(), "units_analysed": has.groupby(frame[arm]).sum()})
    table["share_lost"] = 1.0 - table["units_analysed"] / table["units"]
    if cluster is not None:
        table["clusters"] = frame.groupby(arm)[cluster].nunique()
        table["clusters_analysed"] = frame[has].groupby(arm)[cluster].nunique().reindex(table.index, fill_value=0)
    table.index.name = arm
    return table


def itt_difference(frame: pd.DataFrame, outcome: str, arm: str, treatment, control,
                   cluster: str | None = None, alpha: float = 0.05) -> Effect:
    """Return the intention-to-treat effect as a difference in means with a Welch interval.

    Every unit counts in the arm it was randomised to, whatever it received. Units
    without an outcome are left out (report them with :func:`attrition_table`). When
    whole clusters were randomised, pass ``cluster``: each cluster's mean becomes one
    observation, the analysis recommended for a few dozen clusters (Hayes and Moulton,
    *Cluster Randomised Trials*, 2017), and the interval is honest about clustering.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit.
    outcome : str
        Numeric outcome column.
    arm : str
        Column holding each unit's arm.
    treatment, control
        The labels of the two arms compared (other arms are left out).
    cluster : str, optional
        Column of the randomised clusters; each must lie in one arm.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    Effect
        Treatment mean minus control mean, its standard error, the Welch-Satterthwaite
        *t* interval and the two-sided p-value; ``n`` counts the units (or clusters)
        compared.

    Raises
    ------
    ValueError
        If a column is missing or not numeric, an arm is absent, an arm has fewer than
        two observations, a cluster lies in both arms, or ``alpha`` is not in (0, 1).

    Examples
    --------
    >>> units = pd.DataFrame({"arm": ["t"] * 3 + ["c"] * 3, "y": [5.0, 6, 7, 1, 2, 3]})
    >>> itt_difference(units, "y", "arm", "t", "c").estimate
    4.0
    """
    from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

    level = _alpha(alpha)
    _frame(frame)
    _columns(frame, outcome=outcome, arm=arm, cluster=cluster)
    _arms(frame, arm, treatment, control)
    y = _numeric(frame, outcome, "outcome")
    keep = frame[arm].isin([treatment, control]) & y.notna()
    data = pd.DataFrame({"y": y[keep], "arm": frame.loc[keep, arm]})
    n_clusters = None
    if cluster is not None:
        data["cluster"] = frame.loc[keep, cluster]
        arms_per_cluster = data.groupby("cluster")["arm"].nunique()
        if (arms_per_cluster > 1).any():
            raise ValueError(f"cluster: {int((arms_per_cluster > 1).sum())} cluster(s) of column {cluster!r} lie in "
                             "both arms; clusters must be the units that were randomised")
        data = data.groupby(["cluster", "arm"], as_index=False)["y"].mean()
        n_clusters = len(data)
    t = data.loc[data["arm"] == treatment, "y"].to_numpy()
    c = data.loc[data["arm"] == control, "y"].to_numpy()
    for name, values in (("treatment", t), ("control", c)):
        if len(values) < 2:
            raise ValueError(f"the {name} arm has {len(values)} observation(s) with an outcome; at least two are needed")
    compare = CompareMeans(DescrStatsW(t), DescrStatsW(c))
    low, high = compare.tconfint_diff(alpha=level, usevar="unequal")
    _, p_value, _ = compare.ttest_ind(usevar="unequal")
    method = "difference in cluster means (Welch)" if cluster is not None else "difference in means (Welch)"
    return Effect(estimate=float(t.mean() - c.mean()), se=float(compare.std_meandiff_separatevar),
                  ci_low=float(low), ci_high=float(high), p_value=float(p_value), n=len(data),
                  n_clusters=n_clusters, method=method)


def _ancova_data(frame, outcome, arm, treatment, control, covariates, categorical, cluster):
    _frame(frame)
    covariates = [covariates] if isinstance(covariates, str) else list(covariates or [])
    categorical = [categorical] if isinstance(categorical, str) else list(categorical or [])
    _columns(frame, outcome=outcome, arm=arm, covariates=covariates, categorical=categorical, cluster=cluster)
    _arms(frame, arm, treatment, control)
    data = pd.DataFrame({"_y": _numeric(frame, outcome, "outcome"),
                         "_t": (frame[arm] == treatment).astype("float64")}, index=frame.index)
    terms = ["_t"]
    for i, column in enumerate(covariates):
        data[f"_x{i}"] = _numeric(frame, column, "covariates")
        terms.append(f"_x{i}")
    for i, column in enumerate(categorical):
        data[f"_s{i}"] = frame[column].astype("object")
        terms.append(f"C(_s{i})")
    if cluster is not None:
        data["_g"] = frame[cluster].astype("object")
    keep = frame[arm].isin([treatment, control]) & data.notna().all(axis=1)
    data = data[keep]
    for name, label in (("treatment", 1.0), ("control", 0.0)):
        if (data["_t"] == label).sum() < 2:
            raise ValueError(f"the {name} arm has fewer than two rows with the outcome and every covariate")
    return data, "_y ~ " + " + ".join(terms)


def fit_ancova(frame: pd.DataFrame, outcome: str, arm: str, treatment, control,
               covariates: str | Sequence[str] = (), categorical: str | Sequence[str] = (),
               cluster: str | None = None):
    """Fit the ANCOVA regression of an outcome on the arm and baseline covariates.

    ``outcome ~ treated + covariates + C(categorical)`` by OLS on the rows with every
    value present; standard errors are cluster-robust (groups ``cluster``, *t* on
    G - 1 degrees of freedom) or, without clusters, HC2 heteroskedasticity-robust.
    The coefficient of ``_t`` is the adjusted effect.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit.
    outcome : str
        Numeric outcome column.
    arm : str
        Column holding each unit's arm.
    treatment, control
        Labels of the two arms compared.
    covariates : str or sequence of str, optional
        Numeric baseline columns (for example the baseline value of the outcome).
    categorical : str or sequence of str, optional
        Columns entered as fixed effects (for example the randomisation strata).
    cluster : str, optional
        Column of the randomised clusters.

    Returns
    -------
    statsmodels.regression.linear_model.RegressionResultsWrapper
        The fitted model; the treatment term is named ``"_t"``.

    Raises
    ------
    ValueError
        If a column is missing or not numeric, an arm is absent or has fewer than two
        complete rows.
    """
    data, formula = _ancova_data(frame, outcome, arm, treatment, control, covariates, categorical, cluster)
    return _fit(formula, data, data["_g"] if cluster is not None else None)


def ancova(frame: pd.DataFrame, outcome: str, arm: str, treatment, control,
           covariates: str | Sequence[str] = (), categorical: str | Sequence[str] = (),
           cluster: str | None = None, alpha: float = 0.05) -> Effect:
    """Return the treatment effect adjusted for baseline covariates (ANCOVA).

    Adjusting a randomised comparison for a baseline that predicts the outcome leaves the
    effect estimated without bias and usually narrows its interval a great deal
    (Magenta Book, 2020; EMA guideline on adjustment for baseline covariates, 2015).
    See :func:`fit_ancova` for the model.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit.
    outcome : str
        Numeric outcome column.
    arm : str
        Column holding each unit's arm.
    treatment, control
        Labels of the two arms compared.
    covariates : str or sequence of str, optional
        Numeric baseline columns.
    categorical : str or sequence of str, optional
        Columns entered as fixed effects (the strata).
    cluster : str, optional
        Column of the randomised clusters, for cluster-robust standard errors.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    Effect
        The adjusted effect with its interval; ``model`` holds the fitted regression.

    Raises
    ------
    ValueError
        As :func:`fit_ancova`, or if ``alpha`` is not in (0, 1).

    Examples
    --------
    >>> units = pd.DataFrame({"arm": ["t", "c"] * 4, "base": [1.0, 1, 2, 2, 3, 3, 4, 4],
    ...                       "y": [3.0, 1, 4, 2, 5, 3, 6, 4]})
    >>> round(ancova(units, "y", "arm", "t", "c", covariates="base").estimate, 6)
    2.0
    """
    level = _alpha(alpha)
    data, formula = _ancova_data(frame, outcome, arm, treatment, control, covariates, categorical, cluster)
    groups = data["_g"] if cluster is not None else None
    result = _fit(formula, data, groups)
    method = "ANCOVA (OLS" + (", cluster-robust SE)" if cluster is not None else ", HC2 SE)")
    return _effect_from_model(result, "_t", len(data), None if groups is None else groups.nunique(), method, level)


# ------------------------------------------------------------------ many outcomes
def adjust_pvalues(pvalues, method: str = "holm", alpha: float = 0.05) -> pd.DataFrame:
    """Adjust p-values for testing several hypotheses at once.

    Holm's step-down method controls the chance of *any* false positive (the
    family-wise error rate) and is never less powerful than Bonferroni;
    Benjamini-Hochberg controls the expected share of false positives among the
    findings (the false discovery rate). Both come from
    :func:`statsmodels.stats.multitest.multipletests`.

    Parameters
    ----------
    pvalues : array-like or pandas.Series of float
        Raw p-values, each between 0 and 1; a Series keeps its index.
    method : {"holm", "fdr_bh", "bonferroni"}, default "holm"
        ``"bh"`` and ``"benjamini-hochberg"`` are accepted for ``"fdr_bh"``.
    alpha : float, default 0.05
        The error rate to control.

    Returns
    -------
    pandas.DataFrame
        Columns ``p_value``, ``p_adjusted`` and ``reject`` (whether the hypothesis is
        rejected at level ``alpha`` after adjustment).

    Raises
    ------
    ValueError
        If a p-value is missing or outside [0, 1], there are none, ``method`` is unknown
        or ``alpha`` is not in (0, 1).

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03])["p_adjusted"].round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    from statsmodels.stats.multitest import multipletests

    level = _alpha(alpha)
    key = str(method).lower()
    if key not in _METHODS:
        raise ValueError(f"method must be one of 'holm', 'fdr_bh' (Benjamini-Hochberg) or 'bonferroni', got {method!r}")
    index = pvalues.index if isinstance(pvalues, pd.Series) else None
    p = np.asarray(pvalues, dtype=float).ravel()
    if p.size == 0:
        raise ValueError("pvalues must hold at least one p-value")
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise ValueError("pvalues must all be numbers between 0 and 1")
    reject, adjusted, _, _ = multipletests(p, alpha=level, method=_METHODS[key])
    return pd.DataFrame({"p_value": p, "p_adjusted": adjusted, "reject": reject}, index=index)


def outcome_table(frame: pd.DataFrame, primary: str, secondary: Sequence[str], arm: str, treatment, control,
                  covariates: Mapping[str, Sequence[str]] | Sequence[str] | None = None,
                  categorical: str | Sequence[str] = (), cluster: str | None = None,
                  method: str = "holm", alpha: float = 0.05) -> pd.DataFrame:
    """Estimate a trial's effect on its primary and secondary outcomes, honestly.

    Each outcome's effect comes from :func:`ancova`. The pre-declared primary outcome is
    judged on its own p-value; the secondary outcomes' p-values are adjusted together
    with :func:`adjust_pvalues`. Each effect is also given in standard deviations of the
    outcome in the control arm (``std_*``), so outcomes in different units share one axis.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per unit.
    primary : str
        The primary outcome column.
    secondary : sequence of str
        Secondary outcome columns.
    arm : str
        Column holding each unit's arm.
    treatment, control
        Labels of the two arms compared.
    covariates : mapping or sequence of str, optional
        Numeric baseline columns: a list used for every outcome, or a mapping from an
        outcome to its own list (for example its baseline).
    categorical : str or sequence of str, optional
        Fixed-effect columns for every outcome (the strata).
    cluster : str, optional
        Column of the randomised clusters.
    method : str, default "holm"
        Adjustment for the secondary outcomes (see :func:`adjust_pvalues`).
    alpha : float, default 0.05
        One minus the confidence level, and the error rate controlled.

    Returns
    -------
    pandas.DataFrame
        Indexed by outcome, primary first: ``role``, ``estimate``, ``se``, ``ci_low``,
        ``ci_high``, ``p_value``, ``p_adjusted`` (the raw p-value for the primary),
        ``significant``, ``n``, ``control_sd``, ``std_estimate``, ``std_ci_low`` and
        ``std_ci_high``.

    Raises
    ------
    ValueError
        If the primary outcome is also listed as secondary, or as :func:`ancova` and
        :func:`adjust_pvalues`.
    """
    level = _alpha(alpha)
    secondary = [secondary] if isinstance(secondary, str) else list(secondary)
    if primary in secondary:
        raise ValueError(f"secondary: the primary outcome {primary!r} must not also be a secondary outcome")
    if len(set(secondary)) != len(secondary):
        raise ValueError("secondary: an outcome is listed twice")
    rows = []
    for role, outcome in [("primary", primary)] + [("secondary", s) for s in secondary]:
        if isinstance(covariates, Mapping):
            own = covariates.get(outcome, ())
        else:
            own = covariates or ()
        effect = ancova(frame, outcome, arm, treatment, control, covariates=own, categorical=categorical,
                        cluster=cluster, alpha=level)
        control_sd = float(frame.loc[frame[arm] == control, outcome].std())
        row = {"outcome": outcome, "role": role, **{k: v for k, v in effect.to_dict().items() if k != "method"}}
        row["control_sd"] = control_sd
        for key in ("estimate", "ci_low", "ci_high"):
            row[f"std_{key}"] = row[key] / control_sd if control_sd > 0 else math.nan
        rows.append(row)
    table = pd.DataFrame(rows).set_index("outcome")
    table["p_adjusted"] = table["p_value"]
    if secondary:
        adjusted = adjust_pvalues(table.loc[secondary, "p_value"], method=method, alpha=level)
        table.loc[secondary, "p_adjusted"] = adjusted["p_adjusted"]
    table["significant"] = table["p_adjusted"] < level
    order = ["role", "estimate", "se", "ci_low", "ci_high", "p_value", "p_adjusted", "significant", "n",
             "n_clusters", "control_sd", "std_estimate", "std_ci_low", "std_ci_high"]
    return table[order]


# ------------------------------------------------------- difference in differences
def _panel(panel, outcome, treated, post, unit=None, time=None):
    _frame(panel, "panel")
    _columns(panel, outcome=outcome, treated=treated, post=post, unit=unit, time=time)
    data = pd.DataFrame({"_y": _numeric(panel, outcome, "outcome"), "_tr": _flag(panel, treated, "treated"),
                         "_po": _flag(panel, post, "post")}, index=panel.index)
    if unit is not None:
        data["_u"] = panel[unit].astype("object")
        if (data.groupby("_u")["_tr"].nunique() > 1).any():
            raise ValueError(f"treated: column {treated!r} must be the same in every period of a unit ({unit!r})")
    if time is not None:
        data["_time"] = panel[time]
    data = data[data["_y"].notna()]
    cells = data.groupby(["_tr", "_po"]).size()
    if len(cells) < 4:
        raise ValueError("the panel needs treated and comparison units both before and after the roll-out "
                         "(check the treated and post columns)")
    return data


def did_2x2(panel: pd.DataFrame, outcome: str, treated: str, post: str) -> pd.DataFrame:
    """Return the 2 x 2 table of mean outcomes and the difference in differences.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per unit and period.
    outcome : str
        Numeric outcome column; missing values are left out.
    treated : str
        True/False (or 1/0) column: the unit gets the policy at some point.
    post : str
        True/False (or 1/0) column: the period is after the roll-out.

    Returns
    -------
    pandas.DataFrame
        Rows ``comparison``, ``treated`` and ``difference`` (treated minus comparison);
        columns ``before``, ``after`` and ``change`` (after minus before). The cell
        ``("difference", "change")`` is the difference-in-differences estimate.

    Raises
    ------
    ValueError
        If a column is missing, a flag is not True/False, or a cell of the table is empty.

    Examples
    --------
    >>> p = pd.DataFrame({"y": [10.0, 12, 20, 19], "tr": [0, 0, 1, 1], "po": [0, 1, 0, 1]})
    >>> float(did_2x2(p, "y", "tr", "po").loc["difference", "change"])
    -3.0
    """
    data = _panel(panel, outcome, treated, post)
    means = data.groupby(["_tr", "_po"])["_y"].mean()
    table = pd.DataFrame({"before": [means[(0.0, 0.0)], means[(1.0, 0.0)]],
                          "after": [means[(0.0, 1.0)], means[(1.0, 1.0)]]}, index=["comparison", "treated"])
    table.loc["difference"] = table.loc["treated"] - table.loc["comparison"]
    table["change"] = table["after"] - table["before"]
    return table


def did_regression(panel: pd.DataFrame, outcome: str, treated: str, post: str, unit: str | None = None,
                   time: str | None = None, cluster: str | None = None, alpha: float = 0.05) -> Effect:
    """Return the difference-in-differences effect from a regression.

    With ``unit`` and ``time``: the two-way fixed-effects regression
    ``outcome ~ treated:post + C(unit) + C(time)``, which for a balanced panel with one
    roll-out date gives exactly the 2 x 2 estimate, and absorbs every difference in level
    between units and every shock common to a period. Without them:
    ``outcome ~ treated * post``. Standard errors are clustered by ``cluster`` (by
    default ``unit``), because an area's months are not independent (Bertrand, Duflo and
    Mullainathan, 2004); with few treated areas they are still optimistic.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per unit and period.
    outcome : str
        Numeric outcome column; missing values are left out.
    treated : str
        True/False column: the unit gets the policy.
    post : str
        True/False column: the period is after the roll-out.
    unit : str, optional
        Column identifying the units (areas).
    time : str, optional
        Column identifying the periods (months).
    cluster : str, optional
        Column to cluster the standard errors by; ``unit`` when None; no clustering
        (HC2) if both are None.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    Effect
        The difference in differences with its interval; ``model`` holds the regression.

    Raises
    ------
    ValueError
        If a column is missing, a flag is not True/False or varies within a unit, or the
        panel lacks treated or comparison rows before or after.

    Examples
    --------
    >>> p = pd.DataFrame({"y": [10.0, 12, 20, 19, 11, 13, 21, 20], "tr": [0, 0, 1, 1] * 2,
    ...                   "po": [0, 1, 0, 1] * 2})
    >>> round(did_regression(p, "y", "tr", "po").estimate, 6)
    -3.0
    """
    level = _alpha(alpha)
    if (unit is None) != (time is None):
        raise ValueError("unit and time must be given together (two-way fixed effects) or not at all")
    data = _panel(panel, outcome, treated, post, unit, time)
    cluster = cluster if cluster is not None else unit
    if cluster is not None:
        _columns(panel, cluster=cluster)
        groups = panel.loc[data.index, cluster]
    else:
        groups = None
    data["_d"] = data["_tr"] * data["_po"]
    if unit is not None:
        formula, term, method = "_y ~ _d + C(_u) + C(_time)", "_d", "two-way fixed effects (OLS"
    else:
        formula, term, method = "_y ~ _tr * _po", "_tr:_po", "treated x post interaction (OLS"
    result = _fit(formula, data, groups)
    method += ", SE clustered by unit)" if groups is not None else ", HC2 SE)"
    return _effect_from_model(result, term, len(data), None if groups is None else groups.nunique(), method, level)


def event_study(panel: pd.DataFrame, outcome: str, unit: str, time: str, rollout: str, bin_months: int = 1,
                reference: int = -1, cluster: str | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Estimate the effect period by period around the roll-out (an event study).

    A two-way fixed-effects regression with one indicator per period relative to each
    treated unit's roll-out (``bin_months`` months per period; period 0 starts at the
    roll-out), leaving out the ``reference`` period (by default the one just before).
    Units that never get the policy (``rollout`` empty) are the comparison. Periods
    before the roll-out should show effects near zero if the groups were on parallel
    trends; periods after show how the effect builds.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per unit and period.
    outcome : str
        Numeric outcome column.
    unit : str
        Column identifying the units.
    time : str
        Column of the periods: dates (counted in months) or numbers.
    rollout : str
        Column with each treated unit's roll-out date (same kind as ``time``), empty for
        comparison units.
    bin_months : int, default 1
        Months grouped into one period (3 for quarters).
    reference : int, default -1
        The period left out, against which the others are measured.
    cluster : str, optional
        Column to cluster standard errors by; ``unit`` when None.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per period, in order: ``period``, ``months_from`` (first month of the
        period relative to the roll-out), ``estimate``, ``se``, ``ci_low``, ``ci_high``,
        ``p_value`` and ``rows`` (treated unit-months in the period); the reference period has
        estimate 0 and no interval. No joint test of the pre-period is given: with few
        clusters a cluster-robust Wald test of several coefficients rejects far too often;
        use :func:`pretrend_test` and :func:`placebo_test`.

    Raises
    ------
    ValueError
        If a column is missing, no unit has a roll-out, ``bin_months`` is not a whole
        number of at least 1, or the reference period does not occur.
    """
    level = _alpha(alpha)
    _frame(panel, "panel")
    _columns(panel, outcome=outcome, unit=unit, time=time, rollout=rollout, cluster=cluster)
    if isinstance(bin_months, bool) or not isinstance(bin_months, (int, np.integer)) or bin_months < 1:
        raise ValueError(f"bin_months must be a whole number of at least 1, got {bin_months!r}")
    if panel[rollout].notna().sum() == 0:
        raise ValueError(f"rollout: column {rollout!r} is empty for every unit; no unit gets the policy")
    data = pd.DataFrame({"_y": _numeric(panel, outcome, "outcome"), "_u": panel[unit].astype("object"),
                         "_time": panel[time]}, index=panel.index)
    data["_g"] = panel[cluster if cluster is not None else unit].astype("object")
    now = _month_index(panel[time], "time")
    start = _month_index(panel[rollout], "rollout")
    relative = now - start
    period = np.floor(relative / int(bin_months))
    data = data[data["_y"].notna()]
    period = period[data.index]
    present = sorted(int(p) for p in period.dropna().unique())
    if reference not in present:
        raise ValueError(f"reference period {reference!r} does not occur; the periods are {present}")
    names = {}
    for p in present:
        if p == reference:
            continue
        name = f"_e{'m' if p < 0 else 'p'}{abs(p)}"
        names[p] = name
        data[name] = (period == p).astype("float64")
    formula = "_y ~ " + " + ".join(names.values()) + " + C(_u) + C(_time)"
    result = _fit(formula, data, data["_g"])
    intervals = result.conf_int(alpha=level)
    rows = []
    for p in present:
        count = int((period == p).sum())
        if p == reference:
            rows.append({"period": p, "months_from": p * int(bin_months), "estimate": 0.0, "se": math.nan,
                         "ci_low": math.nan, "ci_high": math.nan, "p_value": math.nan, "rows": count})
            continue
        name = names[p]
        rows.append({"period": p, "months_from": p * int(bin_months), "estimate": float(result.params[name]),
                     "se": float(result.bse[name]), "ci_low": float(intervals.loc[name, 0]),
                     "ci_high": float(intervals.loc[name, 1]), "p_value": float(result.pvalues[name]),
                     "rows": count})
    return pd.DataFrame(rows)


def pretrend_test(panel: pd.DataFrame, outcome: str, unit: str, time: str, treated: str, post: str,
                  cluster: str | None = None, alpha: float = 0.05) -> Effect:
    """Test whether treated and comparison units were on parallel trends before the roll-out.

    On the periods before the roll-out only, fits
    ``outcome ~ treated:trend + C(unit) + C(time)`` where ``trend`` counts months (or
    the numbers in ``time``): the coefficient is how much faster the treated units'
    outcome was rising per month. A small, non-significant slope is reassuring; a
    large one means the comparison group is not a good counterfactual. Absence of
    evidence is not evidence of absence: a short or noisy pre-period has little power.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per unit and period.
    outcome : str
        Numeric outcome column.
    unit : str
        Column identifying the units.
    time : str
        Column of the periods: dates (counted in months) or numbers.
    treated : str
        True/False column: the unit gets the policy.
    post : str
        True/False column: the period is after the roll-out.
    cluster : str, optional
        Column to cluster standard errors by; ``unit`` when None.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    Effect
        The difference in monthly slope (treated minus comparison) before the roll-out.

    Raises
    ------
    ValueError
        If a column is missing, a flag is not True/False, or fewer than three periods
        come before the roll-out.
    """
    level = _alpha(alpha)
    data = _panel(panel, outcome, treated, post, unit, time)
    data["_g"] = panel.loc[data.index, cluster if cluster is not None else unit].astype("object")
    data = data[data["_po"] == 0].copy()
    trend = _month_index(panel.loc[data.index, time], "time")
    if trend.nunique() < 3:
        raise ValueError(f"post: the panel has {trend.nunique()} period(s) before the roll-out; "
                         "a trend needs at least three")
    data["_trend"] = trend - trend.mean()
    data["_slope"] = data["_tr"] * data["_trend"]
    result = _fit("_y ~ _slope + C(_u) + C(_time)", data, data["_g"])
    return _effect_from_model(result, "_slope", len(data), data["_g"].nunique(),
                              "difference in pre-period trends per month (OLS, SE clustered by unit)", level)


def placebo_test(panel: pd.DataFrame, outcome: str, unit: str, time: str, treated: str, post: str,
                 placebo_start, cluster: str | None = None, alpha: float = 0.05) -> Effect:
    """Run the difference in differences on the pre-period with a pretend roll-out date.

    Keeps the periods before the real roll-out, pretends the policy started at
    ``placebo_start`` and estimates the effect with :func:`did_regression`. No policy
    happened then, so an estimate far from zero warns that the groups were drifting
    apart anyway.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per unit and period.
    outcome : str
        Numeric outcome column.
    unit : str
        Column identifying the units.
    time : str
        Column identifying the periods.
    treated : str
        True/False column: the unit gets the policy.
    post : str
        True/False column: the period is after the real roll-out.
    placebo_start
        The pretend roll-out: a value of ``time`` (a date for dates) inside the
        pre-period, with at least one earlier period.
    cluster : str, optional
        Column to cluster standard errors by; ``unit`` when None.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    Effect
        The placebo difference in differences.

    Raises
    ------
    ValueError
        If ``placebo_start`` is not strictly inside the pre-period, or as
        :func:`did_regression`.
    """
    _frame(panel, "panel")
    _columns(panel, time=time, post=post)
    before = panel[_flag(panel, post, "post") == 0].copy()
    times = before[time]
    if pd.api.types.is_datetime64_any_dtype(times):
        try:
            placebo_start = pd.Timestamp(placebo_start)
        except (TypeError, ValueError):
            raise ValueError(f"placebo_start must be a date like the {time!r} column, got {placebo_start!r}") from None
    try:
        inside = bool((times < placebo_start).any() and (times >= placebo_start).any())
    except TypeError:
        raise ValueError(f"placebo_start must be a value like the {time!r} column, got {placebo_start!r}") from None
    if not inside:
        raise ValueError(f"placebo_start {placebo_start!r} must lie inside the pre-period "
                         f"({times.min()} to {times.max()}), with at least one period before it")
    before["_placebo_post"] = (times >= placebo_start)
    effect = did_regression(before, outcome, treated, "_placebo_post", unit=unit, time=time, cluster=cluster,
                            alpha=alpha)
    return Effect(**{**effect.to_dict(), "method": "placebo: " + effect.method}, model=effect.model)


# --------------------------------------------------------------------------- charts
def plot_effects(table: pd.DataFrame, ax=None, reference: float | Sequence[float] | None = None,
                 estimate: str = "estimate", low: str = "ci_low", high: str = "ci_high",
                 xlabel: str = "Effect (95% confidence interval)", title: str | None = None):
    """Draw estimates with their confidence intervals, one row per estimate.

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by label, with estimate and interval columns.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when None.
    reference : float or sequence of float, optional
        Values marked with dashed lines (for example the smallest effect worth acting on).
    estimate, low, high : str
        Column names of the estimate and the interval's ends.
    xlabel, title : str, optional
        Axis label and title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If a column is missing or the table is empty.
    """
    import matplotlib.pyplot as plt

    from curriculum.style import HIGHLIGHT, MUTED

    _frame(table, "table")
    _columns(table, estimate=estimate, low=low, high=high)
    if table.empty:
        raise ValueError("table must hold at least one estimate")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.6 * len(table) + 1.4))
    y = np.arange(len(table))[::-1]
    ax.hlines(y, table[low], table[high], color=MUTED, linewidth=3)
    ax.scatter(table[estimate], y, color=HIGHLIGHT, zorder=3)
    ax.axvline(0, color="black", linewidth=1)
    for value in ([] if reference is None else np.atleast_1d(reference)):
        ax.axvline(float(value), color="black", linestyle="--", linewidth=1)
    ax.set_yticks(y, labels=[str(i) for i in table.index])
    ax.set(xlabel=xlabel)
    if title:
        ax.set_title(title)
    return ax


def plot_trends(panel: pd.DataFrame, outcome: str, time: str, treated: str, rollout=None, ax=None,
                labels: tuple[str, str] = ("comparison", "treated"), ylabel: str | None = None,
                title: str | None = None):
    """Draw the mean outcome per period of treated and comparison units.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per unit and period.
    outcome : str
        Numeric outcome column.
    time : str
        Column of the periods.
    treated : str
        True/False column: the unit gets the policy.
    rollout : optional
        The roll-out period, marked with a dotted line.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when None.
    labels : tuple of str, default ("comparison", "treated")
        Legend labels of the comparison and treated units.
    ylabel, title : str, optional
        Axis label (the outcome's name by default) and title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If a column is missing or a flag is not True/False.
    """
    import matplotlib.pyplot as plt

    from curriculum.style import HIGHLIGHT, MUTED

    _frame(panel, "panel")
    _columns(panel, outcome=outcome, time=time, treated=treated)
    flag = _flag(panel, treated, "treated")
    means = _numeric(panel, outcome, "outcome").groupby([flag, panel[time]]).mean()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    for value, label, colour in ((0.0, labels[0], MUTED), (1.0, labels[1], HIGHLIGHT)):
        if value in means.index.get_level_values(0):
            series = means.loc[value]
            ax.plot(series.index, series.to_numpy(), color=colour, label=label, marker="o", markersize=3)
    if rollout is not None:
        ax.axvline(rollout, color="black", linestyle=":", linewidth=1)
    if pd.api.types.is_datetime64_any_dtype(panel[time]):
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set(xlabel=str(time), ylabel=ylabel or str(outcome))
    if title:
        ax.set_title(title)
    ax.legend()
    return ax


def plot_event_study(table: pd.DataFrame, ax=None, ylabel: str = "Effect relative to the period before",
                     title: str | None = None):
    """Draw an event study's estimates with their confidence intervals.

    Parameters
    ----------
    table : pandas.DataFrame
        The result of :func:`event_study`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when None.
    ylabel, title : str, optional
        Axis label and title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the table lacks the columns of :func:`event_study`.
    """
    import matplotlib.pyplot as plt

    from curriculum.style import HIGHLIGHT, MUTED

    _frame(table, "table")
    _columns(table, table=["months_from", "estimate", "ci_low", "ci_high"])
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    before = table["months_from"] < 0
    for mask, colour in ((before, MUTED), (~before, HIGHLIGHT)):
        part = table[mask]
        ax.vlines(part["months_from"], part["ci_low"], part["ci_high"], color=colour, linewidth=2)
        ax.scatter(part["months_from"], part["estimate"], color=colour, zorder=3)
    ax.axhline(0, color="black", linewidth=1)
    step = np.diff(np.sort(table["months_from"].unique()))
    ax.axvline(-0.5 * (step.min() if len(step) else 1), color="black", linestyle=":", linewidth=1)
    ax.set(xlabel="Months from the roll-out", ylabel=ylabel)
    if title:
        ax.set_title(title)
    return ax
