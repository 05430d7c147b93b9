"""Targeting a scarce service at the few who need it most: registers, rankings and their checks.

The functions behind the Data Lab's *Finding the needle in a haystack* module, where a
fire and rescue service ranks homes for safe and well visits from the EPC register:

- :func:`latest_per_key` reduces a register with several records per key (certificates
  per UPRN) to the latest record of each;
- :func:`precision_at_k` and :func:`lift_at_k` say how good the top ``k`` of a ranking
  is (the share of the homes visited that go on to have a fire, and how many times the
  share an untargeted visit would find);
- :func:`gains_table` gives the cumulative gains (and lift) of a ranking by bins;
- :func:`calibration_table` compares predicted probabilities with observed rates by
  bin (the numbers behind a reliability diagram), with Wilson intervals;
- :func:`brier_skill_score` compares a forecast's Brier score with a reference forecast's.

Scores are ranked highest first; among equal scores the row that comes first keeps its
place (a stable sort), so results never depend on chance: break ties yourself if the
order matters. The binning of :func:`calibration_table` is that of
:func:`sklearn.calibration.calibration_curve`, and the Brier score is
:func:`sklearn.metrics.brier_score_loss`. Nothing happens on import.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import brier_score_loss
from statsmodels.stats.proportion import proportion_confint

__all__ = ["latest_per_key", "precision_at_k", "lift_at_k", "gains_table", "calibration_table", "brier_skill_score"]


# --------------------------------------------------------------------------- checks
def _outcomes(name: str, values) -> np.ndarray:
    """Return ``values`` as a 1-d array of 0/1 integers, or raise ValueError naming ``name``."""
    if values is None or isinstance(values, (str, bytes, dict, pd.DataFrame)):
        raise ValueError(f"{name} must be a one-dimensional sequence of 0/1 outcomes, got {type(values).__name__}")
    try:
        array = values.astype("float64").to_numpy() if isinstance(values, pd.Series) else np.asarray(values, dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold 0/1 outcomes (or False/True), got values that are not numbers") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got an array of shape {array.shape}")
    if len(array) == 0:
        raise ValueError(f"{name} must not be empty")
    if np.isnan(array).any():
        raise ValueError(f"{name} holds missing values; every row needs an outcome (0 or 1)")
    if not np.isin(array, (0.0, 1.0)).all():
        bad = array[~np.isin(array, (0.0, 1.0))][:3].tolist()
        raise ValueError(f"{name} must hold only 0 and 1 (or False and True), found {bad}")
    return array.astype(int)


def _numbers(name: str, values, length: int, *, low: float | None = None, high: float | None = None) -> np.ndarray:
    if values is None or isinstance(values, (str, bytes, dict, pd.DataFrame)):
        raise ValueError(f"{name} must be a one-dimensional sequence of numbers, got {type(values).__name__}")
    try:
        array = values.astype("float64").to_numpy() if isinstance(values, pd.Series) else np.asarray(values, dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers, got {type(values).__name__}") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got an array of shape {array.shape}")
    if len(array) != length:
        raise ValueError(f"{name} has {len(array)} values but the outcomes have {length}: give one per row")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} holds missing or infinite values; score every row")
    if (low is not None and (array < low).any()) or (high is not None and (array > high).any()):
        raise ValueError(f"{name} must lie between {low:g} and {high:g}")
    return array


def _k(k, n: int) -> int:
    if isinstance(k, bool) or not isinstance(k, numbers.Integral):
        raise ValueError(f"k must be a whole number of rows, got {k!r}")
    if not 1 <= k <= n:
        raise ValueError(f"k must be between 1 and the number of rows ({n}), got {k}")
    return int(k)


def _ranked(y: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Outcomes in the order of the scores, highest first (stable for ties)."""
    return y[np.argsort(-s, kind="stable")]


# --------------------------------------------------------------------------- registers
def latest_per_key(frame: pd.DataFrame, key: str | Sequence[str], date_col: str, *, keep_missing_key: bool = False) -> pd.DataFrame:
    """Return the latest row for each key: one certificate per home, one record per person.

    Parameters
    ----------
    frame : pandas.DataFrame
        The register, several rows per key (for example EPC certificates per UPRN).
    key : str or sequence of str
        The column (or columns) that identify a unit.
    date_col : str
        The column whose latest value picks the row kept (a lodgement date). Rows
        without a date count as older than any dated row.
    keep_missing_key : bool, default False
        Rows with a missing key cannot be told apart or joined, so they are dropped;
        set True to keep each of them as it stands.

    Returns
    -------
    pandas.DataFrame
        One row per key (plus the rows with a missing key if kept), with every column
        of ``frame``, sorted by key, on a fresh index. Among rows with the same key and
        date, the one that comes last in ``frame`` is kept.

    Raises
    ------
    ValueError
        If ``frame`` is not a DataFrame, or ``key`` or ``date_col`` names no column of it.

    Examples
    --------
    >>> certs = pd.DataFrame({"uprn": [1, 1, 2], "lodged": pd.to_datetime(["2015-01-01", "2021-06-30", "2019-03-01"]),
    ...                       "rating": ["E", "C", "D"]})
    >>> latest_per_key(certs, "uprn", "lodged")["rating"].tolist()
    ['C', 'D']
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    keys = [key] if isinstance(key, str) else list(key) if isinstance(key, Sequence) else None
    if not keys or any(not isinstance(k, str) or k not in frame.columns for k in keys):
        raise ValueError(f"key must name a column (or columns) of frame, got {key!r}; the columns are {list(frame.columns)}")
    if not isinstance(date_col, str) or date_col not in frame.columns:
        raise ValueError(f"date_col must name a column of frame, got {date_col!r}; the columns are {list(frame.columns)}")
    missing = frame[keys].isna().any(axis=1)
    known = frame[~missing]
    order = known.sort_values(date_col, kind="stable", na_position="first")
    latest = order.drop_duplicates(subset=keys, keep="last").sort_values(keys, kind="stable")
    if keep_missing_key:
        latest = pd.concat([latest, frame[missing]])
    return latest.reset_index(drop=True)


# --------------------------------------------------------------------------- rankings
def precision_at_k(y_true, scores, k: int) -> float:
    """Return the share of the ``k`` highest-scored rows that have the outcome.

    With ``k`` the number of visits the crews can make, this is the share of visits
    that go to homes that then have a fire. It equals
    :func:`sklearn.metrics.precision_score` of a prediction that flags the top ``k``.

    Parameters
    ----------
    y_true : array-like of 0/1
        The outcome of each row (1: a fire in the period).
    scores : array-like of float
        The ranking score of each row (a predicted probability, or any number where
        higher means visit first).
    k : int
        How many rows are taken from the top, between 1 and the number of rows.

    Returns
    -------
    float
        Between 0 and 1.

    Raises
    ------
    ValueError
        If ``y_true`` holds anything but 0 and 1, ``scores`` does not give one finite
        number per row, or ``k`` is not a whole number from 1 to the number of rows.

    Examples
    --------
    >>> precision_at_k([0, 1, 1, 0], [0.1, 0.9, 0.4, 0.5], k=2)
    0.5
    """
    y = _outcomes("y_true", y_true)
    s = _numbers("scores", scores, len(y))
    return float(_ranked(y, s)[:_k(k, len(y))].mean())


def lift_at_k(y_true, scores, k: int) -> float:
    """Return how many times more often the top ``k`` have the outcome than all rows do.

    The lift of targeted over untargeted visiting: :func:`precision_at_k` divided by the
    share of all rows with the outcome (what ``k`` visits picked at random would find,
    on average). A lift of 3 means three times as many fires among the homes visited.

    Parameters
    ----------
    y_true : array-like of 0/1
        The outcome of each row.
    scores : array-like of float
        The ranking score of each row, higher first.
    k : int
        How many rows are taken from the top.

    Returns
    -------
    float
        At least 0; 1 means no better than chance.

    Raises
    ------
    ValueError
        As :func:`precision_at_k`, and if no row has the outcome (the lift is then undefined).

    Examples
    --------
    >>> lift_at_k([0, 1, 1, 0], [0.1, 0.9, 0.4, 0.5], k=1)
    2.0
    """
    y = _outcomes("y_true", y_true)
    if y.sum() == 0:
        raise ValueError("y_true holds no 1s: with no outcomes at all the lift is undefined")
    return precision_at_k(y, scores, k) / float(y.mean())


def gains_table(y_true, scores, bins: int = 10) -> pd.DataFrame:
    """Return the cumulative gains of a ranking, bin by bin from the highest scores.

    The rows are ranked by score (highest first) and cut into ``bins`` groups of
    (nearly) equal size; bin 1 is the top tenth with the default ``bins=10``. Plotting
    ``share_events`` against ``share_n`` gives the cumulative gains chart: the share of
    all fires found by visiting the top share of homes.

    Parameters
    ----------
    y_true : array-like of 0/1
        The outcome of each row.
    scores : array-like of float
        The ranking score of each row, higher first.
    bins : int, default 10
        Number of groups, from 1 to the number of rows.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``bin`` (1 = highest scores), with columns ``n`` (rows in the bin),
        ``events`` (rows with the outcome), ``rate`` (events / n), ``cum_n``,
        ``cum_events``, ``share_n`` (cum_n over all rows), ``share_events`` (cum_events
        over all events: the recall of visiting down to this bin), ``cum_rate``
        (cum_events / cum_n: the precision at k = cum_n) and ``lift`` (cum_rate over the
        overall rate; missing if no row has the outcome).

    Raises
    ------
    ValueError
        If the outcomes or scores are invalid, or ``bins`` is not a whole number from
        1 to the number of rows.
    """
    y = _outcomes("y_true", y_true)
    s = _numbers("scores", scores, len(y))
    if isinstance(bins, bool) or not isinstance(bins, numbers.Integral) or not 1 <= bins <= len(y):
        raise ValueError(f"bins must be a whole number between 1 and the number of rows ({len(y)}), got {bins!r}")
    ranked = _ranked(y, s)
    groups = np.array_split(ranked, int(bins))
    table = pd.DataFrame({"n": [len(g) for g in groups], "events": [int(g.sum()) for g in groups]},
                         index=pd.RangeIndex(1, int(bins) + 1, name="bin"))
    table["rate"] = table["events"] / table["n"]
    table["cum_n"] = table["n"].cumsum()
    table["cum_events"] = table["events"].cumsum()
    table["share_n"] = table["cum_n"] / len(y)
    total = int(y.sum())
    table["share_events"] = table["cum_events"] / total if total else np.nan
    table["cum_rate"] = table["cum_events"] / table["cum_n"]
    table["lift"] = table["cum_rate"] / y.mean() if total else np.nan
    return table


# --------------------------------------------------------------------------- probabilities
def calibration_table(y_true, prob, bins: int = 10, strategy: str = "quantile", alpha: float = 0.05) -> pd.DataFrame:
    """Return predicted against observed rates by bin of predicted probability.

    The table behind a reliability diagram. Bins are cut as
    :func:`sklearn.calibration.calibration_curve` cuts them (``"quantile"``: equal
    numbers of rows; ``"uniform"``: equal widths on 0-1), and empty bins are left out,
    so ``observed`` and ``mean_predicted`` equal that function's two arrays.

    Parameters
    ----------
    y_true : array-like of 0/1
        The outcome of each row.
    prob : array-like of float
        Predicted probability of the outcome for each row, between 0 and 1.
    bins : int, default 10
        Number of bins (at least 1).
    strategy : {"quantile", "uniform"}, default "quantile"
        How the bin edges are chosen.
    alpha : float, default 0.05
        One minus the confidence level of the Wilson interval around each observed rate.

    Returns
    -------
    pandas.DataFrame
        One row per non-empty bin, lowest probabilities first, indexed by ``bin``
        (1, 2, ...), with columns ``n``, ``events``, ``mean_predicted``, ``observed``
        (events / n), ``low`` and ``high`` (the Wilson interval of ``observed``) and
        ``expected`` (the sum of predicted probabilities: the events the model expected).

    Raises
    ------
    ValueError
        If the outcomes are invalid, a probability lies outside 0-1, ``bins`` is not a
        whole number of at least 1, ``strategy`` is unknown or ``alpha`` is not between 0 and 1.
    """
    y = _outcomes("y_true", y_true)
    p = _numbers("prob", prob, len(y), low=0.0, high=1.0)
    if isinstance(bins, bool) or not isinstance(bins, numbers.Integral) or bins < 1:
        raise ValueError(f"bins must be a whole number of at least 1, got {bins!r}")
    if strategy == "quantile":
        edges = np.percentile(p, np.linspace(0, 1, int(bins) + 1) * 100)
    elif strategy == "uniform":
        edges = np.linspace(0.0, 1.0, int(bins) + 1)
    else:
        raise ValueError(f"strategy must be 'quantile' or 'uniform', got {strategy!r}")
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be a number between 0 and 1, got {alpha!r}")
    ids = np.searchsorted(edges[1:-1], p)  # the rule of sklearn's calibration_curve
    n = np.bincount(ids, minlength=int(bins))
    events = np.bincount(ids, weights=y, minlength=int(bins))
    expected = np.bincount(ids, weights=p, minlength=int(bins))
    keep = n > 0
    n, events, expected = n[keep], events[keep].round().astype(int), expected[keep]
    low, high = proportion_confint(events, n, alpha=alpha, method="wilson")
    observed = events / n
    low = np.clip(np.minimum(low, observed), 0.0, 1.0)  # rounding can put a bound a hair past the rate
    high = np.clip(np.maximum(high, observed), 0.0, 1.0)
    return pd.DataFrame({"n": n, "events": events, "mean_predicted": expected / n, "observed": observed,
                         "low": low, "high": high, "expected": expected},
                        index=pd.RangeIndex(1, int(keep.sum()) + 1, name="bin"))


def brier_skill_score(y_true, prob, reference) -> float:
    """Return how much better a forecast's Brier score is than a reference forecast's.

    ``1 - Brier(prob) / Brier(reference)``: 1 for a perfect forecast, 0 for one no
    better than the reference, negative for a worse one. The usual reference is the
    base rate (the share with the outcome in the training period) given to every row.
    The Brier scores are :func:`sklearn.metrics.brier_score_loss`.

    Parameters
    ----------
    y_true : array-like of 0/1
        The outcome of each row.
    prob : array-like of float
        The forecast's probability for each row, between 0 and 1.
    reference : float or array-like of float
        The reference forecast: one probability for every row, or one per row.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the outcomes are invalid, a probability lies outside 0-1, or the reference
        forecast is perfect (its Brier score is 0, so no skill can be measured).

    Examples
    --------
    >>> round(brier_skill_score([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.7], 0.5), 3)
    0.82
    """
    y = _outcomes("y_true", y_true)
    p = _numbers("prob", prob, len(y), low=0.0, high=1.0)
    if isinstance(reference, numbers.Real) and not isinstance(reference, bool):
        ref = _numbers("reference", np.full(len(y), float(reference)), len(y), low=0.0, high=1.0)
    else:
        ref = _numbers("reference", reference, len(y), low=0.0, high=1.0)
    base = brier_score_loss(y, ref)
    if base == 0:
        raise ValueError("reference is a perfect forecast (Brier score 0): no skill can be measured against it")
    return float(1.0 - brier_score_loss(y, p) / base)
