"""Evaluating what works without a trial: matched comparison areas and difference in differences.

The functions behind the Data Lab's *Experimenting for what works* module. A council
delivered something (a campaign, a service) in some areas it chose; these functions find
comparison areas that looked like them beforehand and estimate the effect against them:

- :func:`pre_period_table` summarises a panel of areas by month into one row per area
  (the mean outcome before the start, plus fixed attributes such as deprivation);
- :func:`match_areas` pairs each treated area with the most similar comparison areas on
  standardised covariates (:class:`sklearn.preprocessing.StandardScaler`), nearest
  neighbours with replacement (:class:`sklearn.neighbors.NearestNeighbors`) or an
  optimal matching without replacement (:func:`scipy.optimize.linear_sum_assignment`);
  :func:`match_weights` gives the weights matching with replacement implies;
- :func:`did_estimate` estimates the difference in differences by weighted least
  squares with area and period fixed effects (statsmodels), with standard errors
  clustered by area and *t* intervals on G - 1 degrees of freedom;
- :func:`placebo_test` runs it on the months before the start with a pretend start;
- :func:`window_change` and :func:`areas_per_arm` size a randomised trial of the same
  intervention analysed by change from baseline (statsmodels' power of the *t*-test).

The event study and trend charts of :mod:`curriculum.evaluation` apply to the matched
panel as they are. Estimates come back as :class:`curriculum.evaluation.Effect`.
Nothing happens on import.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from curriculum.evaluation import Effect
from curriculum.threads import one_thread

__all__ = [
    "pre_period_table",
    "standardise",
    "match_areas",
    "match_weights",
    "did_estimate",
    "placebo_test",
    "window_change",
    "areas_per_arm",
]


# --------------------------------------------------------------------------- checks
def _frame(frame, name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    if frame.empty:
        raise ValueError(f"{name} must hold at least one row")
    return frame


def _column(frame: pd.DataFrame, column, argument: str) -> str:
    if not isinstance(column, str) or column not in frame.columns:
        raise ValueError(f"{argument}: column {column!r} is not in the frame; its columns are: "
                         f"{', '.join(map(str, frame.columns))}")
    return column


def _numbers(frame: pd.DataFrame, column: str, argument: str) -> pd.Series:
    values = frame[column]
    if values.dtype == bool or str(values.dtype) == "boolean" or not pd.api.types.is_numeric_dtype(values):
        raise ValueError(f"{argument}: column {column!r} must hold numbers, it holds {values.dtype}")
    return values.astype("float64")


def _flags(frame: pd.DataFrame, column: str, argument: str) -> pd.Series:
    """A boolean Series from a True/False (or 1/0) column, or ValueError naming the argument."""
    values = frame[column]
    if values.isna().any():
        raise ValueError(f"{argument}: column {column!r} is empty in {int(values.isna().sum())} row(s)")
    if values.dtype == bool or str(values.dtype) == "boolean":
        return values.astype(bool)
    numbers = pd.to_numeric(values, errors="coerce") if not pd.api.types.is_numeric_dtype(values) else values
    if numbers.isna().any() or not numbers.isin([0, 1]).all():
        raise ValueError(f"{argument}: column {column!r} must be True/False (or 1/0)")
    return numbers.astype(bool)


def _alpha(alpha) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.integer, np.floating)) \
            or not 0 < float(alpha) < 1:
        raise ValueError(f"alpha must be a number between 0 and 1 (0.05 for 95% intervals), got {alpha!r}")
    return float(alpha)


def _whole(value, argument: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{argument} must be a whole number of at least {low}, got {value!r}")
    return int(value)


# ----------------------------------------------------------------------- the areas
def pre_period_table(panel: pd.DataFrame, unit: str, outcome: str, post: str,
                     keep: Sequence[str] = ()) -> pd.DataFrame:
    """Return one row per area: its mean outcome before the start and its fixed attributes.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per area and period.
    unit : str
        Column identifying the areas.
    outcome : str
        Numeric outcome column (for example incidents per 1,000 residents); missing
        values are left out of the mean.
    post : str
        True/False column: the period is after the start.
    keep : sequence of str, optional
        Columns that are fixed for an area (treated flag, deprivation rank,
        population...), kept with their value.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``unit`` (sorted), with ``pre_mean`` (the mean of ``outcome`` over
        the area's periods before the start; missing for an area with none) and the
        ``keep`` columns.

    Raises
    ------
    ValueError
        If a column is missing, ``outcome`` is not numeric, ``post`` is not True/False,
        or a ``keep`` column takes more than one value within an area.

    Examples
    --------
    >>> p = pd.DataFrame({"area": ["a", "a", "b", "b"], "y": [1.0, 5.0, 2.0, 4.0],
    ...                   "post": [False, True, False, True], "rank": [3, 3, 9, 9]})
    >>> pre_period_table(p, "area", "y", "post", keep=["rank"]).to_dict("index")
    {'a': {'pre_mean': 1.0, 'rank': 3}, 'b': {'pre_mean': 2.0, 'rank': 9}}
    """
    _frame(panel, "panel")
    _column(panel, unit, "unit")
    values = _numbers(panel, _column(panel, outcome, "outcome"), "outcome")
    after = _flags(panel, _column(panel, post, "post"), "post")
    if isinstance(keep, str):
        keep = [keep]
    for column in keep:
        _column(panel, column, "keep")
    table = values[~after].groupby(panel.loc[~after, unit]).mean().rename("pre_mean")
    table = table.reindex(pd.Index(sorted(panel[unit].dropna().unique()), name=unit)).to_frame()
    for column in keep:
        varies = panel.groupby(unit)[column].nunique(dropna=False)
        if (varies > 1).any():
            raise ValueError(f"keep: column {column!r} takes more than one value within an area, for example "
                             f"{varies[varies > 1].index[0]!r}; keep only columns fixed for an area")
        table[column] = panel.groupby(unit)[column].first().reindex(table.index)
    return table


def standardise(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Return columns as z-scores: minus their mean, divided by their standard deviation.

    Uses :class:`sklearn.preprocessing.StandardScaler` (the population standard
    deviation, ``ddof=0``). A column that does not vary becomes 0.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per area.
    columns : sequence of str
        Numeric columns without missing values.

    Returns
    -------
    pandas.DataFrame
        The z-scores, with the index of ``frame`` and the given columns.

    Raises
    ------
    ValueError
        If ``columns`` is empty, a column is missing, not numeric or has missing values.

    Examples
    --------
    >>> standardise(pd.DataFrame({"x": [1.0, 2.0, 3.0]}), ["x"])["x"].round(3).tolist()
    [-1.225, 0.0, 1.225]
    """
    return _standardise(frame, columns, "columns")


def _standardise(frame: pd.DataFrame, columns, argument: str) -> pd.DataFrame:
    from sklearn.preprocessing import StandardScaler

    _frame(frame, "frame")
    columns = [columns] if isinstance(columns, str) else list(columns)
    if not columns:
        raise ValueError(f"{argument} must name at least one numeric column")
    for column in columns:
        values = _numbers(frame, _column(frame, column, argument), argument)
        if values.isna().any():
            raise ValueError(f"{argument}: column {column!r} has {int(values.isna().sum())} missing value(s); "
                             "drop or fill those rows first")
    scaled = StandardScaler().fit_transform(frame[columns].astype("float64").to_numpy())
    return pd.DataFrame(scaled, index=frame.index, columns=columns)


def match_areas(frame: pd.DataFrame, treated_col: str, covariates: Sequence[str], n_neighbours: int = 1,
                replace: bool = False, caliper: float | None = None) -> pd.DataFrame:
    """Match each treated area to the most similar comparison areas.

    The covariates are standardised over all areas (:func:`standardise`), so that each
    counts equally, and areas are compared by Euclidean distance between their z-scores.
    With ``replace=True`` each treated area gets its ``n_neighbours`` nearest comparison
    areas (:class:`sklearn.neighbors.NearestNeighbors`), and a comparison area may serve
    several treated areas (weight them with :func:`match_weights`). With
    ``replace=False`` (the default) each comparison area is used at most once and the
    pairs minimise the total distance (optimal matching,
    :func:`scipy.optimize.linear_sum_assignment`), so the matched areas can be analysed
    without weights.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per area, indexed by the area's identifier (see :func:`pre_period_table`).
    treated_col : str
        True/False column: the area was treated.
    covariates : sequence of str
        Numeric columns to match on (for example the pre-period rate and the deprivation
        rank), without missing values.
    n_neighbours : int, default 1
        Comparison areas per treated area.
    replace : bool, default False
        Whether a comparison area may be matched to more than one treated area.
    caliper : float, optional
        Largest distance (in standard deviations) accepted; pairs further apart are
        dropped, leaving some treated areas with fewer matches or none.

    Returns
    -------
    pandas.DataFrame
        One row per pair: ``treated`` and ``comparison`` (index labels of ``frame``),
        ``rank`` (1 for the nearest of a treated area's matches) and ``distance``;
        sorted by treated area and rank.

    Raises
    ------
    ValueError
        If ``frame`` has duplicate index labels, a column is missing or not as
        described, there are no treated areas, ``n_neighbours`` is not a whole number of
        at least 1, there are too few comparison areas (``n_neighbours`` of them, or
        ``n_neighbours`` per treated area without replacement), or ``caliper`` is not
        positive.

    Examples
    --------
    >>> areas = pd.DataFrame({"treated": [True, False, False], "x": [1.0, 0.9, 5.0]}, index=["a", "b", "c"])
    >>> match_areas(areas, "treated", ["x"])[["treated", "comparison"]].values.tolist()
    [['a', 'b']]
    """
    from scipy.optimize import linear_sum_assignment
    from sklearn.metrics import pairwise_distances
    from sklearn.neighbors import NearestNeighbors

    _frame(frame, "frame")
    if not frame.index.is_unique:
        raise ValueError("frame: its index must identify the areas, one row each (found duplicate labels)")
    flag = _flags(frame, _column(frame, treated_col, "treated_col"), "treated_col")
    k = _whole(n_neighbours, "n_neighbours", 1)
    if not isinstance(replace, (bool, np.bool_)):
        raise ValueError(f"replace must be True or False, got {replace!r}")
    if caliper is not None and (isinstance(caliper, bool) or not isinstance(caliper, (int, float, np.integer, np.floating))
                                or not caliper > 0):
        raise ValueError(f"caliper must be a positive number of standard deviations or None, got {caliper!r}")
    z = _standardise(frame, covariates, "covariates")
    treated, comparison = z[flag.to_numpy()], z[~flag.to_numpy()]
    if treated.empty:
        raise ValueError(f"treated_col: column {treated_col!r} marks no area as treated")
    if len(comparison) < k:
        raise ValueError(f"n_neighbours: {k} comparison area(s) wanted per treated area but only "
                         f"{len(comparison)} comparison area(s) in the frame")
    if not replace and len(comparison) < k * len(treated):
        raise ValueError(f"n_neighbours: without replacement {k} x {len(treated)} treated areas need "
                         f"{k * len(treated)} comparison areas, but the frame has {len(comparison)}; "
                         "lower n_neighbours or set replace=True")
    rows = []
    if replace:
        finder = NearestNeighbors(n_neighbors=k).fit(comparison.to_numpy())
        distances, positions = finder.kneighbors(treated.to_numpy())
        for i, label in enumerate(treated.index):
            for r in range(k):
                rows.append((label, comparison.index[positions[i, r]], r + 1, float(distances[i, r])))
    else:
        cost = pairwise_distances(treated.to_numpy(), comparison.to_numpy())
        slots, chosen = linear_sum_assignment(np.repeat(cost, k, axis=0))
        pairs = pd.DataFrame({"t": slots // k, "c": chosen})
        pairs["distance"] = cost[pairs["t"], pairs["c"]]
        pairs = pairs.sort_values(["t", "distance", "c"], kind="stable")
        pairs["rank"] = pairs.groupby("t").cumcount() + 1
        for p in pairs.itertuples(index=False):
            rows.append((treated.index[p.t], comparison.index[p.c], int(p.rank), float(p.distance)))
    matches = pd.DataFrame(rows, columns=["treated", "comparison", "rank", "distance"])
    if caliper is not None:
        matches = matches[matches["distance"] <= float(caliper)].copy()
        matches["rank"] = matches.groupby("treated").cumcount() + 1
    return matches.reset_index(drop=True)


def match_weights(matches: pd.DataFrame) -> pd.Series:
    """Return the weight of every matched area for a matched difference in differences.

    Each treated area weighs 1; each of its ``m`` matched comparison areas contributes
    ``1 / m`` to that comparison area's weight, summed over the treated areas it serves.
    The weighted comparison group then has one unit of weight per treated area, as the
    matching intends. Without replacement and with one match each, every weight is 1.

    Parameters
    ----------
    matches : pandas.DataFrame
        The result of :func:`match_areas` (columns ``treated`` and ``comparison``).

    Returns
    -------
    pandas.Series
        Weights indexed by area label (treated areas first), named ``weight``.

    Raises
    ------
    ValueError
        If ``matches`` lacks the columns or has no rows, or an area appears both as
        treated and as comparison.

    Examples
    --------
    >>> m = pd.DataFrame({"treated": ["a", "b"], "comparison": ["c", "c"]})
    >>> match_weights(m).to_dict()
    {'a': 1.0, 'b': 1.0, 'c': 2.0}
    """
    _frame(matches, "matches")
    for column in ("treated", "comparison"):
        _column(matches, column, "matches")
    overlap = set(matches["treated"]) & set(matches["comparison"])
    if overlap:
        raise ValueError(f"matches: area(s) {sorted(map(str, overlap))[:3]} appear both as treated and as comparison")
    per_treated = matches.groupby("treated")["comparison"].transform("size")
    comparison = (1.0 / per_treated).groupby(matches["comparison"], sort=False).sum()
    treated = pd.Series(1.0, index=pd.unique(matches["treated"]))
    return pd.concat([treated, comparison]).rename("weight")


# ----------------------------------------------------------- difference in differences
def did_estimate(panel: pd.DataFrame, outcome: str, treated: str, post: str, unit: str, time: str,
                 cluster: str | None = None, weights: str | None = None, alpha: float = 0.05) -> Effect:
    """Return the difference-in-differences effect with area and period fixed effects.

    Fits ``outcome ~ treated:post + C(unit) + C(time)`` by weighted least squares
    (statsmodels; ordinary least squares without ``weights``): the fixed effects absorb
    every fixed difference between areas and every shock common to a period, and the
    coefficient of ``treated x post`` is the effect. On a balanced panel with one start
    date it equals the 2 x 2 difference of means. Standard errors are clustered by
    ``cluster`` (by default ``unit``), because an area's months are not independent
    (Bertrand, Duflo and Mullainathan, 2004), with *t* intervals on G - 1 degrees of
    freedom for G clusters; with a handful of treated areas they are still optimistic.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per area and period.
    outcome : str
        Numeric outcome column; rows where it is missing are left out.
    treated : str
        True/False column: the area gets the intervention (the same in all its periods).
    post : str
        True/False column: the period is after the start.
    unit : str
        Column identifying the areas.
    time : str
        Column identifying the periods.
    cluster : str, optional
        Column to cluster the standard errors by; ``unit`` when None.
    weights : str, optional
        Column of positive weights, fixed within an area (see :func:`match_weights`).
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    Effect
        The estimate, its standard error, interval and p-value, the rows and clusters
        used; ``model`` holds the statsmodels results.

    Raises
    ------
    ValueError
        If a column is missing or of the wrong kind, ``treated`` or a weight varies
        within an area, a weight is not positive, fewer than two clusters remain, or the
        panel lacks treated or comparison rows before or after the start.

    Examples
    --------
    >>> p = pd.DataFrame({"area": list("aabbccdd"), "month": [1, 2] * 4, "y": [3.0, 5, 4, 5, 2, 6, 3, 7],
    ...                   "tr": [1, 1, 1, 1, 0, 0, 0, 0], "po": [0, 1] * 4})
    >>> round(did_estimate(p, "y", "tr", "po", "area", "month").estimate, 6)
    -2.5
    """
    import statsmodels.formula.api as smf

    level = _alpha(alpha)
    _frame(panel, "panel")
    for argument, column in (("outcome", outcome), ("treated", treated), ("post", post), ("unit", unit),
                             ("time", time)):
        _column(panel, column, argument)
    groups_col = _column(panel, cluster, "cluster") if cluster is not None else unit
    data = pd.DataFrame({"_y": _numbers(panel, outcome, "outcome"),
                         "_tr": _flags(panel, treated, "treated").astype("float64"),
                         "_po": _flags(panel, post, "post").astype("float64"),
                         "_u": panel[unit].astype("object"), "_t": panel[time]}, index=panel.index)
    if (data.groupby("_u")["_tr"].nunique() > 1).any():
        raise ValueError(f"treated: column {treated!r} must be the same in every period of an area ({unit!r})")
    if weights is not None:
        w = _numbers(panel, _column(panel, weights, "weights"), "weights")
        if w.isna().any() or not np.isfinite(w).all() or (w <= 0).any():
            raise ValueError(f"weights: column {weights!r} must hold positive numbers in every row")
        if (w.groupby(data["_u"]).nunique() > 1).any():
            raise ValueError(f"weights: column {weights!r} must be the same in every period of an area ({unit!r})")
        data["_w"] = w
    else:
        data["_w"] = 1.0
    data = data[data["_y"].notna()]
    if data.groupby(["_tr", "_po"]).size().size < 4:
        raise ValueError("the panel needs treated and comparison areas both before and after the start "
                         "(check the treated and post columns)")
    groups = panel.loc[data.index, groups_col]
    if groups.isna().any() or groups.nunique() < 2:
        raise ValueError(f"cluster: column {groups_col!r} must give at least two clusters and no blanks")
    data["_d"] = data["_tr"] * data["_po"]
    with one_thread("blas"), np.errstate(invalid="ignore"):
        model = smf.wls("_y ~ _d + C(_u) + C(_t)", data=data, weights=data["_w"])
        result = model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(groups)[0]}, use_t=True)
        low, high = result.conf_int(alpha=level).loc["_d"]
        se, p = float(result.bse["_d"]), float(result.pvalues["_d"])
    method = ("two-way fixed effects (" + ("WLS" if weights is not None else "OLS")
              + f", SE clustered by {groups_col})")
    return Effect(estimate=float(result.params["_d"]), se=se, ci_low=float(low), ci_high=float(high), p_value=p,
                  n=int(len(data)), n_clusters=int(groups.nunique()), method=method, model=result)


def placebo_test(panel: pd.DataFrame, outcome: str, unit: str, time: str, treated: str, post: str,
                 fake_start=None, cluster: str | None = None, weights: str | None = None,
                 alpha: float = 0.05) -> Effect:
    """Run the difference in differences on the months before the start, with a pretend start.

    Keeps the periods before the real start, pretends the intervention began at
    ``fake_start`` and estimates the effect with :func:`did_estimate`. Nothing changed
    then, so an estimate far from zero warns that treated and comparison areas were
    drifting apart anyway, and the real estimate would carry that drift.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per area and period.
    outcome : str
        Numeric outcome column.
    unit : str
        Column identifying the areas.
    time : str
        Column identifying the periods (dates or numbers).
    treated : str
        True/False column: the area gets the intervention.
    post : str
        True/False column: the period is after the real start.
    fake_start : optional
        The pretend start, a value like those of ``time`` inside the pre-period with at
        least one earlier period; None takes the middle period of the pre-period.
    cluster : str, optional
        Column to cluster standard errors by; ``unit`` when None.
    weights : str, optional
        Column of area weights (see :func:`did_estimate`).
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    Effect
        The placebo difference in differences; its ``method`` names the pretend start.

    Raises
    ------
    ValueError
        If the pre-period has fewer than two periods, ``fake_start`` is not strictly
        inside it, or as :func:`did_estimate`.

    Examples
    --------
    >>> p = pd.DataFrame({"area": np.repeat(list("abcd"), 4), "month": [1, 2, 3, 4] * 4,
    ...                   "y": [1.0, 2, 3, 4, 2, 3, 4, 5, 0, 1, 2, 3, 1, 2, 3, 4],
    ...                   "tr": np.repeat([1, 1, 0, 0], 4), "po": [0, 0, 0, 1] * 4})
    >>> round(placebo_test(p, "y", "area", "month", "tr", "po").estimate, 6)
    0.0
    """
    _frame(panel, "panel")
    _column(panel, _column(panel, time, "time"), "time")
    after = _flags(panel, _column(panel, post, "post"), "post")
    before = panel[~after.to_numpy()].copy()
    periods = pd.Series(before[time].dropna().unique()).sort_values(ignore_index=True)
    if len(periods) < 2:
        raise ValueError(f"post: the panel has {len(periods)} period(s) before the start; a placebo needs at least two")
    if fake_start is None:
        fake_start = periods.iloc[len(periods) // 2]
    elif pd.api.types.is_datetime64_any_dtype(before[time]):
        try:
            fake_start = pd.Timestamp(fake_start)
        except (TypeError, ValueError):
            raise ValueError(f"fake_start must be a date like the {time!r} column, got {fake_start!r}") from None
    try:
        inside = bool((periods < fake_start).any() and (periods >= fake_start).any())
    except TypeError:
        raise ValueError(f"fake_start must be a value like the {time!r} column, got {fake_start!r}") from None
    if not inside:
        raise ValueError(f"fake_start {fake_start!r} must lie inside the pre-period ({periods.iloc[0]} to "
                         f"{periods.iloc[-1]}), with at least one period before it")
    before["_fake_post"] = before[time] >= fake_start
    effect = did_estimate(before, outcome, treated, "_fake_post", unit, time, cluster=cluster, weights=weights,
                          alpha=alpha)
    shown = fake_start.strftime("%Y-%m") if isinstance(fake_start, pd.Timestamp) else fake_start
    return Effect(**{**effect.to_dict(), "method": f"placebo start {shown}: {effect.method}"}, model=effect.model)


# ------------------------------------------------------------------ a trial instead
def window_change(panel: pd.DataFrame, outcome: str, unit: str, time: str, months: int) -> pd.Series:
    """Return each area's change in mean outcome from its first to its last few periods.

    The mean over the last ``months`` periods of the panel minus the mean over the first
    ``months`` periods: what a trial with that baseline and follow-up would compare
    between arms. Run it on the periods before any intervention to see how much areas
    change by themselves.

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per area and period.
    outcome : str
        Numeric outcome column; missing values are left out of the means.
    unit : str
        Column identifying the areas.
    time : str
        Column identifying the periods (dates or numbers, in order).
    months : int
        Periods in each window (at least 1; the two windows must not overlap).

    Returns
    -------
    pandas.Series
        The change per area, indexed by ``unit`` (sorted) and named ``change``; missing
        for an area with no value in a window.

    Raises
    ------
    ValueError
        If a column is missing, ``outcome`` is not numeric, or ``months`` is not a whole
        number of at least 1 or the panel has fewer than ``2 * months`` periods.

    Examples
    --------
    >>> p = pd.DataFrame({"area": ["a"] * 4, "month": [1, 2, 3, 4], "y": [1.0, 3.0, 4.0, 6.0]})
    >>> window_change(p, "y", "area", "month", 2).tolist()
    [3.0]
    """
    _frame(panel, "panel")
    values = _numbers(panel, _column(panel, outcome, "outcome"), "outcome")
    _column(panel, unit, "unit")
    _column(panel, time, "time")
    width = _whole(months, "months", 1)
    periods = np.sort(panel[time].dropna().unique())
    if len(periods) < 2 * width:
        raise ValueError(f"months: two windows of {width} periods need {2 * width} periods, the panel has {len(periods)}")
    areas = pd.Index(sorted(panel[unit].dropna().unique()), name=unit)
    first = values[panel[time].isin(periods[:width])].groupby(panel[unit]).mean().reindex(areas)
    last = values[panel[time].isin(periods[-width:])].groupby(panel[unit]).mean().reindex(areas)
    return (last - first).rename("change")


def areas_per_arm(effect: float, sd: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Return the areas needed in each arm of a trial comparing a mean change between two arms.

    The two-sample *t*-test's sample size (:class:`statsmodels.stats.power.TTestIndPower`,
    two-sided, equal arms) for a difference ``effect`` in the mean outcome (or mean
    change) of areas whose values have standard deviation ``sd``, rounded up. With the
    outcome measured as each area's change from its baseline, the *t*-test is the
    difference in differences of a randomised trial.

    Parameters
    ----------
    effect : float
        The smallest difference worth detecting, in the outcome's units (not zero; its
        sign does not matter).
    sd : float
        Standard deviation between areas of the outcome (or of the change) analysed
        (positive).
    alpha : float, default 0.05
        Significance level.
    power : float, default 0.8
        Power wanted, between 0 and 1.

    Returns
    -------
    int
        Areas per arm, at least 2.

    Raises
    ------
    ValueError
        If ``effect`` is zero or not a number, ``sd`` is not positive, or ``alpha`` or
        ``power`` is not between 0 and 1.

    Examples
    --------
    >>> areas_per_arm(0.5, 1.0)
    64
    """
    from statsmodels.stats.power import TTestIndPower

    for name, value in (("effect", effect), ("sd", sd)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
    if effect == 0:
        raise ValueError("effect must not be zero: give the smallest difference worth detecting")
    if not sd > 0:
        raise ValueError(f"sd must be positive, got {sd!r}")
    level = _alpha(alpha)
    if isinstance(power, bool) or not isinstance(power, (int, float, np.integer, np.floating)) or not 0 < power < 1:
        raise ValueError(f"power must be a number between 0 and 1, got {power!r}")
    n = TTestIndPower().solve_power(effect_size=abs(float(effect)) / float(sd), alpha=level, power=float(power),
                                    ratio=1.0, alternative="two-sided")
    return max(2, math.ceil(float(n) - 1e-9))
