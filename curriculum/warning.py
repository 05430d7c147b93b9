"""Early-warning flags and their limits: honest evaluation of a risk score turned into a flag.

The functions behind the Data Lab's *Early warning, and its limits* module. A council
scores people (tenancies, pupils, households) for the risk of a bad outcome and flags
those above a threshold for an early offer of help. Whether that flag should be used
depends on how it performs **on a later period than the one it learned from**, at the
threshold that will be used, for every area and group, and on whether the world has
moved since it was built:

- :func:`temporal_split` splits records by period and refuses to test a flag on the
  periods it learned from (or on earlier ones);
- :func:`threshold_table` counts true and false positives and negatives at several
  thresholds, with precision, recall, the false positive rate, **false alarms per true
  case** and the number flagged per 1,000;
- :func:`group_error_rates` gives recall and the false positive rate by area or group,
  with their counts and Wilson intervals (:func:`statsmodels.stats.proportion.proportion_confint`);
- :func:`calibration_by_group` sets the predicted risk against the observed rate in each
  group;
- :func:`drift_table` compares the features (and outcome) between periods with
  standardised mean differences (:func:`curriculum.experiments.standardised_mean_difference`);
- :func:`deployment_checks` applies a written deploy/don't-deploy rule to those tables;
- :func:`plot_false_alarms` and :func:`plot_group_error_rates` draw the two charts.

A record is **flagged** when its score is at or above the threshold (``score >=
threshold``), the convention of :func:`sklearn.metrics.precision_recall_curve`.
Importing this module changes nothing; matplotlib is imported only when plotting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Real

import numpy as np
import pandas as pd

__all__ = [
    "NOT_RECORDED", "THRESHOLD_COLUMNS", "temporal_split", "threshold_table", "group_error_rates",
    "calibration_by_group", "drift_table", "deployment_checks", "plot_false_alarms", "plot_group_error_rates",
]

NOT_RECORDED = "not recorded"  # the group label of records whose group is blank
THRESHOLD_COLUMNS: tuple[str, ...] = ("flagged", "tp", "fp", "fn", "tn", "precision", "recall", "false_positive_rate",
                                      "false_alarms_per_true_case", "flagged_per_1000")


# --------------------------------------------------------------------------- checks
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


def _alpha(alpha) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, Real) or not 0 < float(alpha) < 1:
        raise ValueError(f"alpha must be a number between 0 and 1 (0.05 for 95% intervals), got {alpha!r}")
    return float(alpha)


def _positive(name: str, value, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value) \
            or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be a {'non-negative' if allow_zero else 'positive'} number, got {value!r}")
    return float(value)


def _binary(values, name: str) -> np.ndarray:
    """Return a boolean array from True/False or 1/0 values, or raise ValueError naming ``name``."""
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values).ravel())
    if series.isna().any():
        raise ValueError(f"{name} must not hold missing values ({int(series.isna().sum())} found)")
    if series.dtype == bool or str(series.dtype) == "boolean":
        return series.astype(bool).to_numpy()
    numbers = pd.to_numeric(series, errors="coerce")
    if numbers.isna().any() or not numbers.isin([0, 1]).all():
        odd = series[numbers.isna() | ~numbers.isin([0, 1])].unique()[:3]
        raise ValueError(f"{name} must hold True/False or 1/0 values, got {', '.join(map(repr, odd))}")
    return numbers.to_numpy() == 1


def _scores(values, n: int, name: str = "scores") -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers") from None
    if len(array) != n:
        raise ValueError(f"{name} must have one value per record: {len(array)} values for {n} records")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must not hold missing or infinite values")
    return array


def _thresholds(values) -> np.ndarray:
    if isinstance(values, (str, bytes)):
        raise ValueError(f"thresholds must be numbers, got {values!r}")
    try:
        array = np.atleast_1d(np.asarray(values, dtype=float)).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"thresholds must be numbers, got {values!r}") from None
    if array.size == 0 or not np.isfinite(array).all():
        raise ValueError(f"thresholds must be one or more finite numbers, got {values!r}")
    return array


def _labels(value, name: str) -> list:
    if value is None or isinstance(value, (str, bytes)) or not isinstance(value, Sequence | np.ndarray | pd.Index):
        labels = [value]
    else:
        labels = list(value)
    if not labels or any(v is None for v in labels):
        raise ValueError(f"{name} must be a period label or a non-empty list of labels, got {value!r}")
    return labels


def _wilson(successes: np.ndarray, trials: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score intervals (NaN where there are no trials)."""
    from statsmodels.stats.proportion import proportion_confint

    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    low = np.full(successes.shape, np.nan)
    high = np.full(successes.shape, np.nan)
    some = trials > 0
    if some.any():
        low[some], high[some] = proportion_confint(successes[some], trials[some], alpha=alpha, method="wilson")
    return low, high


def _ratio(numerator, denominator) -> np.ndarray:
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _group_keys(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), NOT_RECORDED)


def _sorted(table: pd.DataFrame) -> pd.DataFrame:
    try:
        return table.sort_index()
    except TypeError:  # labels of mixed types: keep the order of first appearance
        return table


# --------------------------------------------------------------------------- splitting
def temporal_split(frame: pd.DataFrame, period_col: str, train, test, *,
                   require_later: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split records into the periods a flag learns from and the later period it is tested on.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per person (or tenancy) and period.
    period_col : str
        Column holding the period label (for example ``"2022-23"``).
    train : label or sequence of labels
        The period or periods the flag learns from.
    test : label or sequence of labels
        The period or periods it is tested on.
    require_later : bool, default True
        Refuse a test period that does not come after every training period (labels
        compared as they sort; financial years such as ``"2022-23"`` sort in time order).

    Returns
    -------
    tuple of (pandas.DataFrame, pandas.DataFrame)
        The training rows and the test rows, each with the original index.

    Raises
    ------
    ValueError
        If ``frame`` is not a DataFrame, ``period_col`` is not one of its columns, a label
        does not occur in it, ``train`` and ``test`` share a period, or (with
        ``require_later``) a test period is not later than every training period.

    Examples
    --------
    >>> frame = pd.DataFrame({"year": ["2022-23", "2022-23", "2023-24"], "x": [1, 2, 3]})
    >>> learn, later = temporal_split(frame, "year", "2022-23", "2023-24")
    >>> len(learn), len(later)
    (2, 1)
    """
    _frame(frame)
    if not isinstance(period_col, str) or period_col not in frame.columns:
        raise ValueError(f"period_col must name a column of the frame, got {period_col!r}; its columns are: "
                         f"{', '.join(map(str, frame.columns))}")
    train_labels, test_labels = _labels(train, "train"), _labels(test, "test")
    present = frame[period_col].dropna().unique().tolist()
    for name, labels in (("train", train_labels), ("test", test_labels)):
        missing = [v for v in labels if v not in present]
        if missing:
            raise ValueError(f"{name} period {missing[0]!r} does not occur in column {period_col!r}; its periods are: "
                             f"{', '.join(map(str, sorted(present, key=str)))}")
    shared = [v for v in test_labels if v in train_labels]
    if shared:
        raise ValueError(f"train and test share the period(s) {', '.join(map(repr, shared))}: a flag must be tested on "
                         "records it did not learn from")
    if require_later:
        try:
            early = [v for v in test_labels if not all(v > t for t in train_labels)]
        except TypeError:
            raise ValueError("train and test labels cannot be put in order; pass require_later=False if you have "
                             "checked that the test periods come later") from None
        if early:
            raise ValueError(f"test period {early[0]!r} does not come after every train period "
                             f"({', '.join(map(repr, train_labels))}): test a flag on a later period than it learned "
                             "from, as it will be used")
    periods = frame[period_col]
    return frame[periods.isin(train_labels)], frame[periods.isin(test_labels)]


# --------------------------------------------------------------------------- thresholds
def threshold_table(y_true, scores, thresholds) -> pd.DataFrame:
    """Count a flag's hits and misses at several thresholds.

    Parameters
    ----------
    y_true : array-like of bool or 0/1
        Whether each record had the outcome (a **true case**).
    scores : array-like of float
        Each record's risk score (for example a predicted probability).
    thresholds : float or sequence of float
        Thresholds to try; a record is flagged when ``score >= threshold``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``threshold`` (in the order given), with the columns of
        :data:`THRESHOLD_COLUMNS`: ``flagged``; ``tp``, ``fp``, ``fn``, ``tn`` (true and
        false positives and negatives); ``precision`` (TP / flagged; NaN when nobody is
        flagged); ``recall`` (TP / true cases; NaN without true cases);
        ``false_positive_rate`` (FP / records without the outcome);
        ``false_alarms_per_true_case`` (FP / TP; infinite when false alarms find no true
        case, NaN when nobody is flagged) and ``flagged_per_1000`` records.

    Raises
    ------
    ValueError
        If ``y_true`` is not True/False or 1/0, ``scores`` are not finite numbers with one
        per record, or ``thresholds`` are not finite numbers.

    Examples
    --------
    >>> threshold_table([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], [0.5])[["tp", "fp", "fn", "tn"]].iloc[0].tolist()
    [1, 1, 1, 1]
    """
    y = _binary(y_true, "y_true")
    s = _scores(scores, len(y))
    t = _thresholds(thresholds)
    positives, negatives = np.sort(s[y]), np.sort(s[~y])
    tp = len(positives) - np.searchsorted(positives, t, side="left")  # scores >= t
    fp = len(negatives) - np.searchsorted(negatives, t, side="left")
    fn, tn = len(positives) - tp, len(negatives) - fp
    flagged = tp + fp
    false_alarms = _ratio(fp, tp)
    false_alarms[(tp == 0) & (fp > 0)] = np.inf
    table = pd.DataFrame({
        "flagged": flagged, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "precision": _ratio(tp, flagged),
        "recall": _ratio(tp, np.full(t.shape, len(positives))),
        "false_positive_rate": _ratio(fp, np.full(t.shape, len(negatives))),
        "false_alarms_per_true_case": false_alarms,
        "flagged_per_1000": _ratio(flagged * 1000.0, np.full(t.shape, len(y))),
    }, index=pd.Index(t, name="threshold"))
    return table.astype({c: "int64" for c in ("flagged", "tp", "fp", "fn", "tn")})


# --------------------------------------------------------------------------- groups
def group_error_rates(frame: pd.DataFrame, group: str, y_true: str, y_flag: str, alpha: float = 0.05) -> pd.DataFrame:
    """Return a flag's error rates in each area or group, with counts and intervals.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per record.
    group : str
        Column of the area or group; blank values form the group :data:`NOT_RECORDED`.
    y_true : str
        Column saying whether the record had the outcome (True/False or 1/0).
    y_flag : str
        Column saying whether the record was flagged (True/False or 1/0).
    alpha : float, default 0.05
        1 - the coverage of the Wilson intervals.

    Returns
    -------
    pandas.DataFrame
        One row per group (sorted), with ``n``, ``true_cases``, ``flagged``, ``tp``,
        ``fp``, ``fn``, ``tn``, ``base_rate``, ``flag_rate``, ``recall`` with
        ``recall_low`` and ``recall_high``, ``false_positive_rate`` with ``fpr_low`` and
        ``fpr_high``, ``precision`` and ``false_alarms_per_true_case``. Rates are NaN
        where their denominator is zero.

    Raises
    ------
    ValueError
        If ``frame`` is not a DataFrame, a column is missing, the outcome or flag is not
        True/False or 1/0, or ``alpha`` is not between 0 and 1.
    """
    _frame(frame)
    _columns(frame, group=group, y_true=y_true, y_flag=y_flag)
    alpha = _alpha(alpha)
    truth = _binary(frame[y_true], f"y_true column {y_true!r}")
    flag = _binary(frame[y_flag], f"y_flag column {y_flag!r}")
    cells = pd.DataFrame({"tp": truth & flag, "fp": ~truth & flag, "fn": truth & ~flag, "tn": ~truth & ~flag},
                         index=frame.index).astype("int64")
    counts = _sorted(cells.groupby(_group_keys(frame[group]).rename(group), sort=False).sum())
    tp, fp, fn, tn = (counts[c].to_numpy() for c in ("tp", "fp", "fn", "tn"))
    n, cases, flagged = tp + fp + fn + tn, tp + fn, tp + fp
    recall_low, recall_high = _wilson(tp, cases, alpha)
    fpr_low, fpr_high = _wilson(fp, fp + tn, alpha)
    false_alarms = _ratio(fp, tp)
    false_alarms[(tp == 0) & (fp > 0)] = np.inf
    return pd.DataFrame({
        "n": n, "true_cases": cases, "flagged": flagged, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "base_rate": _ratio(cases, n), "flag_rate": _ratio(flagged, n),
        "recall": _ratio(tp, cases), "recall_low": recall_low, "recall_high": recall_high,
        "false_positive_rate": _ratio(fp, fp + tn), "fpr_low": fpr_low, "fpr_high": fpr_high,
        "precision": _ratio(tp, flagged), "false_alarms_per_true_case": false_alarms,
    }, index=counts.index)


def calibration_by_group(frame: pd.DataFrame, group: str | None, y_true: str, score: str,
                         alpha: float = 0.05) -> pd.DataFrame:
    """Compare the predicted risk with the observed rate of the outcome in each group.

    A score is **calibrated** in a group when the group's mean predicted risk is close to
    the share who had the outcome. Here the check is whether the mean predicted risk lies
    inside the Wilson interval of the observed rate.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per record.
    group : str or None
        Column of the area or group; None gives one row, ``"all"``.
    y_true : str
        Column saying whether the record had the outcome (True/False or 1/0).
    score : str
        Column of predicted risks (probabilities from 0 to 1).
    alpha : float, default 0.05
        1 - the coverage of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per group with ``n``, ``observed`` (true cases), ``expected`` (sum of the
        predicted risks), ``observed_rate``, ``observed_low``, ``observed_high``,
        ``predicted_rate``, ``ratio`` (observed / expected: below 1 means the score
        over-predicts) and ``calibrated`` (the predicted rate lies in the interval).

    Raises
    ------
    ValueError
        If ``frame`` is not a DataFrame, a column is missing, the outcome is not
        True/False or 1/0, the scores are not probabilities, or ``alpha`` is not between
        0 and 1.
    """
    _frame(frame)
    _columns(frame, group=group, y_true=y_true, score=score)
    alpha = _alpha(alpha)
    truth = _binary(frame[y_true], f"y_true column {y_true!r}")
    risk = _scores(frame[score], len(frame), f"score column {score!r}")
    if ((risk < 0) | (risk > 1)).any():
        raise ValueError(f"score column {score!r} must hold probabilities from 0 to 1")
    keys = pd.Series("all", index=frame.index, name="group") if group is None else _group_keys(frame[group]).rename(group)
    data = pd.DataFrame({"n": 1, "observed": truth.astype("int64"), "expected": risk}, index=frame.index)
    sums = _sorted(data.groupby(keys, sort=False).sum())
    low, high = _wilson(sums["observed"].to_numpy(), sums["n"].to_numpy(), alpha)
    table = sums.assign(observed_rate=_ratio(sums["observed"], sums["n"]), observed_low=low, observed_high=high,
                        predicted_rate=_ratio(sums["expected"], sums["n"]),
                        ratio=_ratio(sums["observed"], sums["expected"]))
    table["calibrated"] = (table["predicted_rate"] >= table["observed_low"]) & (table["predicted_rate"] <= table["observed_high"])
    return table[["n", "observed", "expected", "observed_rate", "observed_low", "observed_high", "predicted_rate",
                  "ratio", "calibrated"]]


# --------------------------------------------------------------------------- drift
def drift_table(frame: pd.DataFrame, period_col: str, before, after, columns: Sequence[str],
                threshold: float = 0.1) -> pd.DataFrame:
    """Compare columns between an earlier and a later period.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per record and period.
    period_col : str
        Column holding the period label.
    before, after : label or sequence of labels
        The earlier period(s) (what a flag learned from) and the later one(s).
    columns : sequence of str
        Numeric or True/False columns to compare (the features, and the outcome if wanted).
    threshold : float, default 0.1
        Absolute standardised mean difference from which a column counts as shifted.

    Returns
    -------
    pandas.DataFrame
        Indexed by column: ``mean_before``, ``mean_after`` (shares for True/False
        columns), ``smd`` (standardised mean difference, after minus before, with the
        pooled standard deviation; :func:`curriculum.experiments.standardised_mean_difference`)
        and ``shifted`` (``abs(smd) >= threshold``).

    Raises
    ------
    ValueError
        If the periods are invalid (see :func:`temporal_split`), a column is missing or
        not numeric, a period holds fewer than two values of a column, or ``threshold``
        is not a positive number.
    """
    from curriculum.experiments import standardised_mean_difference

    threshold = _positive("threshold", threshold)
    if isinstance(columns, str) or not list(columns):
        raise ValueError(f"columns must be a non-empty list of column names, got {columns!r}")
    _frame(frame)
    _columns(frame, columns=list(columns))
    early, late = temporal_split(frame, period_col, before, after)
    rows = {}
    for column in columns:
        values = frame[column]
        if not (values.dtype == bool or str(values.dtype) == "boolean" or pd.api.types.is_numeric_dtype(values)):
            raise ValueError(f"columns: column {column!r} must hold numbers or True/False, it holds {values.dtype}")
        a = early[column].astype("float64").dropna()
        b = late[column].astype("float64").dropna()
        smd = standardised_mean_difference(b, a)
        rows[column] = {"mean_before": a.mean(), "mean_after": b.mean(), "smd": smd, "shifted": abs(smd) >= threshold}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("column")


# --------------------------------------------------------------------------- deciding
def deployment_checks(overall: pd.Series | Mapping, by_group: pd.DataFrame | None = None,
                      calibration: pd.DataFrame | None = None, drift: pd.DataFrame | None = None, *,
                      max_false_alarms: float = 3.0, min_recall: float = 0.5, max_recall_gap: float = 0.15,
                      min_cases: int = 10, max_miscalibration: float = 1.25, max_drift: float = 0.25) -> pd.DataFrame:
    """Apply a written deploy/don't-deploy rule to a flag's evaluation on a later period.

    Parameters
    ----------
    overall : pandas.Series or mapping
        The flag's results at the threshold to be used: a row of :func:`threshold_table`
        (needs ``recall`` and ``false_alarms_per_true_case``).
    by_group : pandas.DataFrame, optional
        :func:`group_error_rates` for the areas or groups the flag must serve equally.
    calibration : pandas.DataFrame, optional
        :func:`calibration_by_group` for the same or other groups.
    drift : pandas.DataFrame, optional
        :func:`drift_table` between the period learned from and the later one.
    max_false_alarms : float, default 3.0
        Most false alarms per true case the service accepts.
    min_recall : float, default 0.5
        Smallest share of true cases the flag must find.
    max_recall_gap : float, default 0.15
        Largest shortfall of a group's recall below the overall recall.
    min_cases : int, default 10
        Fewest true cases for a group to be judged at all (fewer: not judged, NA).
    max_miscalibration : float, default 1.25
        A group's observed / expected ratio must lie between ``1 / max_miscalibration``
        and ``max_miscalibration``.
    max_drift : float, default 0.25
        Largest absolute standardised mean difference of a column between the periods.

    Returns
    -------
    pandas.DataFrame
        One row per check: ``check`` (what was tested), ``value``, ``limit`` and
        ``passed`` (a nullable boolean: NA when a group has too few true cases to judge).
        The flag passes the rule when no check failed: ``not (~table["passed"].fillna(True)).any()``.

    Raises
    ------
    ValueError
        If a table lacks the columns it needs or a limit is not a positive number.
    """
    max_false_alarms = _positive("max_false_alarms", max_false_alarms, allow_zero=True)
    for name, value in (("min_recall", min_recall), ("max_recall_gap", max_recall_gap)):
        if isinstance(value, bool) or not isinstance(value, Real) or not 0 <= value <= 1:
            raise ValueError(f"{name} must be a number from 0 to 1, got {value!r}")
    if isinstance(min_cases, bool) or not isinstance(min_cases, (int, np.integer)) or min_cases < 1:
        raise ValueError(f"min_cases must be a whole number of at least 1, got {min_cases!r}")
    max_miscalibration = _positive("max_miscalibration", max_miscalibration)
    if max_miscalibration < 1:
        raise ValueError(f"max_miscalibration must be at least 1, got {max_miscalibration!r}")
    max_drift = _positive("max_drift", max_drift)
    overall = pd.Series(overall)
    for key in ("recall", "false_alarms_per_true_case"):
        if key not in overall.index:
            raise ValueError(f"overall must hold {key!r} (a row of threshold_table)")
    recall = float(overall["recall"])
    rows = [
        ("false alarms per true case", overall["false_alarms_per_true_case"], f"at most {max_false_alarms:g}",
         bool(overall["false_alarms_per_true_case"] <= max_false_alarms)),
        ("recall (share of true cases flagged)", recall, f"at least {min_recall:g}", bool(recall >= min_recall)),
    ]
    if by_group is not None:
        _frame(by_group, "by_group")
        _columns(by_group, by_group=["recall", "true_cases"])
        for label, row in by_group.iterrows():
            judged = row["true_cases"] >= min_cases
            rows.append((f"recall in {label} ({int(row['true_cases'])} true cases)", row["recall"],
                         f"at least {recall - max_recall_gap:.2f} (overall - {max_recall_gap:g})",
                         bool(row["recall"] >= recall - max_recall_gap) if judged else pd.NA))
    if calibration is not None:
        _frame(calibration, "calibration")
        _columns(calibration, calibration=["ratio", "observed"])
        for label, row in calibration.iterrows():
            judged = row["observed"] >= min_cases
            ok = 1 / max_miscalibration <= row["ratio"] <= max_miscalibration
            rows.append((f"observed / predicted in {label}", row["ratio"],
                         f"{1 / max_miscalibration:.2f} to {max_miscalibration:.2f}", bool(ok) if judged else pd.NA))
    if drift is not None:
        _frame(drift, "drift")
        _columns(drift, drift=["smd"])
        for label, row in drift.iterrows():
            rows.append((f"drift in {label} (standardised difference)", row["smd"], f"within ±{max_drift:g}",
                         bool(abs(row["smd"]) <= max_drift)))
    table = pd.DataFrame(rows, columns=["check", "value", "limit", "passed"])
    table["value"] = table["value"].astype("float64")
    table["passed"] = table["passed"].astype("boolean")
    return table


# --------------------------------------------------------------------------- charts
def plot_false_alarms(tables: Mapping[str, pd.DataFrame], ax=None, mark: float | None = None,
                      title: str | None = None):
    """Draw false alarms per true case against recall, one line per evaluation.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        Label to :func:`threshold_table` (for example the period learned from and the
        later one); the first is drawn in the highlight colour, the others muted and dashed.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when None.
    mark : float, optional
        A threshold to mark with a dot on each line (if it is in the table's index).
    title : str, optional
        The chart's title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``tables`` is empty or a table lacks ``recall`` or ``false_alarms_per_true_case``.
    """
    import matplotlib.pyplot as plt

    from curriculum.style import HIGHLIGHT, MUTED

    if not isinstance(tables, Mapping) or not tables:
        raise ValueError("tables must be a non-empty mapping of label to threshold_table")
    for label, table in tables.items():
        _frame(table, f"tables[{label!r}]")
        _columns(table, tables=["recall", "false_alarms_per_true_case"])
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.2))
    for k, (label, table) in enumerate(tables.items()):
        shown = table[np.isfinite(table["false_alarms_per_true_case"]) & table["recall"].notna()]
        colour, style = (HIGHLIGHT, "-") if k == 0 else (MUTED, "--")
        ax.plot(shown["recall"], shown["false_alarms_per_true_case"], color=colour, linestyle=style, label=label)
        if mark is not None and mark in shown.index:
            point = shown.loc[mark]
            ax.scatter([point["recall"]], [point["false_alarms_per_true_case"]], color=colour, zorder=3)
            ax.annotate(f"threshold {mark:g}", (point["recall"], point["false_alarms_per_true_case"]),
                        textcoords="offset points", xytext=(6, 6), fontsize=9, color=colour)
    ax.set(xlabel="Recall: share of true cases flagged", ylabel="False alarms per true case found", xlim=(0, 1))
    ax.set_ylim(bottom=0)
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


def plot_group_error_rates(table: pd.DataFrame, overall: pd.Series | Mapping | None = None, axes=None,
                           title: str | None = None):
    """Draw recall and the false positive rate of each group with their intervals.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`group_error_rates`.
    overall : pandas.Series or mapping, optional
        A row of :func:`threshold_table` (``recall`` and ``false_positive_rate``), drawn
        as dashed lines.
    axes : sequence of two matplotlib.axes.Axes, optional
        Axes for recall and the false positive rate; a new figure when None.
    title : str, optional
        The figure's title.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        The two axes.

    Raises
    ------
    ValueError
        If ``table`` is empty or lacks the rate and interval columns.
    """
    import matplotlib.pyplot as plt

    from curriculum.style import HIGHLIGHT, MUTED

    _frame(table, "table")
    _columns(table, table=["recall", "recall_low", "recall_high", "false_positive_rate", "fpr_low", "fpr_high",
                           "true_cases", "n"])
    if table.empty:
        raise ValueError("table must hold at least one group")
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(10, 0.55 * len(table) + 1.6), sharey=True)
    axes = np.asarray(axes).ravel()
    y = np.arange(len(table))[::-1]
    panels = [("recall", "recall_low", "recall_high", "Recall (share of true cases flagged)", HIGHLIGHT,
               table["true_cases"], "true cases"),
              ("false_positive_rate", "fpr_low", "fpr_high", "False positive rate (flagged, no outcome)", MUTED,
               table["n"] - table["true_cases"], "without the outcome")]
    for ax, (rate, low, high, label, colour, counts, noun) in zip(axes, panels):
        ax.hlines(y, table[low], table[high], color=colour, alpha=0.45, linewidth=4)
        ax.scatter(table[rate], y, color=colour, zorder=3)
        if overall is not None and rate in pd.Series(overall).index:
            ax.axvline(float(pd.Series(overall)[rate]), color="black", linestyle="--", linewidth=1)
        for yi, (value, n) in zip(y, zip(table[rate], counts)):
            if np.isfinite(value):
                ax.annotate(f"{int(n)} {noun}", (value, yi), textcoords="offset points", xytext=(0, 7),
                            ha="center", fontsize=8, color="#3D3D3D")
        ax.set(xlabel=label, xlim=(0, 1))
    axes[0].set_yticks(y, labels=[str(i) for i in table.index])
    if title:
        axes[0].figure.suptitle(title)
    return axes
