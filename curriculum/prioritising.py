"""Prioritising work for impact: case backlogs, impact scores and a simulation of officer capacity.

The functions behind the Data Lab's *Prioritising work for impact* module. A team that
inspects homes (or premises, or fly-tipping sites) has more cases than officer time. It can
work through them first come, first served, or in order of predicted impact: the chance a
case is serious (from a model fitted on closed cases) times the harm it would do (the
people at heightened risk). :func:`simulate_queue` replays a stream of cases through a
team's weekly officer-hours under either ordering, so the two can be compared on what
matters: serious hazards found per officer-hour, how long a serious case waits, and how
old the backlog grows (:func:`compare_orderings`). :func:`backlog_age_summary` profiles the
open cases of a register on a date.

The simulation is a single-server, non-pre-emptive priority queue in continuous time (a
discrete-event simulation): the team is one server whose speed is its officer-hours per
week, so a visit of ``v`` hours takes ``v / officer_hours_per_week`` weeks of the team's
time. When a visit ends, the next case is the waiting case with the highest priority (or
the earliest, first come, first served); a case waiting longer than an optional maximum
jumps the queue. Visit durations may vary around their planned hours (a gamma draw from
``seed``); each case keeps the same draw under every ordering, so orderings are compared
on the same work (common random numbers). Model fitting uses scikit-learn in the module.

Nothing happens on import.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

__all__ = [
    "FEATURES",
    "FLAGS",
    "NOT_RECORDED",
    "QueueResult",
    "Comparison",
    "backlog_age_summary",
    "impact_features",
    "harm_weight",
    "split_by_date",
    "simulate_queue",
    "compare_orderings",
    "plot_cumulative_found",
]

#: The register's columns an impact model may use: known when a case arrives.
FEATURES: tuple[str, ...] = ("category", "tenure", "property_age", "children_under_5", "over_75", "health_condition")
#: Household flags that mark people at heightened risk of harm from a hazard.
FLAGS: tuple[str, ...] = ("children_under_5", "over_75", "health_condition")
#: The value a blank feature takes in :func:`impact_features`.
NOT_RECORDED = "Not recorded"
_DAY = pd.Timedelta(days=1)


# --------------------------------------------------------------------------- checks
def _frame(cases, name: str = "cases") -> pd.DataFrame:
    if not isinstance(cases, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(cases).__name__}")
    return cases


def _column(cases: pd.DataFrame, column: str, argument: str) -> pd.Series:
    if not isinstance(column, str) or column not in cases.columns:
        raise ValueError(f"{argument}={column!r} is not a column of cases; its columns are: {', '.join(map(str, cases.columns))}")
    return cases[column]


def _dates(cases: pd.DataFrame, column: str, argument: str, *, allow_missing: bool) -> pd.Series:
    values = _column(cases, column, argument)
    try:
        dates = pd.to_datetime(values)
    except (TypeError, ValueError):
        raise ValueError(f"{argument}={column!r} must hold dates") from None
    if not allow_missing and dates.isna().any():
        rows = list(cases.index[dates.isna()][:5])
        raise ValueError(f"{argument}={column!r} has missing dates (rows {rows}); every case needs one")
    return dates


def _positive(name: str, value, *, allow_zero: bool = False) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        raise ValueError(f"{name} must be a {'non-negative' if allow_zero else 'positive'} finite number, got {value!r}")
    return number


def _quantile(values: np.ndarray, q: float) -> float:
    return float(np.quantile(values, q)) if len(values) else float("nan")


def _mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if len(values) else float("nan")


# --------------------------------------------------------------------------- backlog
def backlog_age_summary(cases: pd.DataFrame, as_of=None, *, received: str = "date_received",
                        closed: str = "date_closed", by: str | None = None, older_than_days: int = 90) -> pd.DataFrame:
    """Profile the age of the cases open on a date.

    A case is open on ``as_of`` if it was received on or before that day and had not
    been closed by then (no closing date, or one after ``as_of``). Its age is the number
    of days from receipt to ``as_of``.

    Parameters
    ----------
    cases : pandas.DataFrame
        One row per case, with the dates received and closed.
    as_of : date-like, optional
        The day the backlog is measured; by default the latest date received or closed.
    received, closed : str, default "date_received", "date_closed"
        Columns holding the date received (never blank) and the date closed (blank
        while open).
    by : str, optional
        A column to profile by (for example the category); one row per value.
    older_than_days : int, default 90
        Age beyond which a case counts as long-waiting (the share is reported).

    Returns
    -------
    pandas.DataFrame
        One row (``"all"``) or one row per value of ``by``, with ``open_cases``,
        ``mean_age_days``, ``median_age_days``, ``p90_age_days`` (linear interpolation,
        as :meth:`pandas.Series.quantile`), ``max_age_days`` and
        ``share_over_<older_than_days>_days``.

    Raises
    ------
    TypeError
        If ``cases`` is not a DataFrame.
    ValueError
        If a named column is missing, a date received is blank, ``as_of`` is not a date
        or ``older_than_days`` is negative.

    Examples
    --------
    >>> cases = pd.DataFrame({"date_received": pd.to_datetime(["2025-01-01", "2025-03-01", "2025-03-21"]),
    ...                       "date_closed": pd.to_datetime(["2025-02-01", None, None])})
    >>> backlog_age_summary(cases, "2025-03-31")[["open_cases", "mean_age_days"]]
         open_cases  mean_age_days
    all           2           20.0
    """
    cases = _frame(cases)
    got = _dates(cases, received, "received", allow_missing=False)
    shut = _dates(cases, closed, "closed", allow_missing=True)
    if as_of is None:
        as_of = max(got.max(), shut.max()) if shut.notna().any() else got.max()
    try:
        day = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise ValueError(f"as_of must be a date, got {as_of!r}") from None
    if pd.isna(day):
        raise ValueError(f"as_of must be a date, got {as_of!r}")
    limit = _positive("older_than_days", older_than_days, allow_zero=True)
    is_open = (got <= day) & (shut.isna() | (shut > day))
    ages = ((day - got[is_open]) / _DAY).astype(float)
    keys = pd.Series("all", index=ages.index) if by is None else _column(cases, by, "by")[is_open]
    rows = {}
    for key, group in ages.groupby(keys, sort=True, dropna=False):
        values = group.to_numpy()
        rows[key] = {"open_cases": len(values), "mean_age_days": _mean(values), "median_age_days": _quantile(values, 0.5),
                     "p90_age_days": _quantile(values, 0.9), "max_age_days": float(values.max()),
                     f"share_over_{limit:g}_days": float((values > limit).mean())}
    columns = ["open_cases", "mean_age_days", "median_age_days", "p90_age_days", "max_age_days", f"share_over_{limit:g}_days"]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    if table.empty:
        table = pd.DataFrame([{c: (0 if c == "open_cases" else float("nan")) for c in columns}], index=["all"])
    table["open_cases"] = table["open_cases"].astype("int64")
    table.index.name = by
    return table


# --------------------------------------------------------------------------- features and scores
def impact_features(cases: pd.DataFrame, features=FEATURES) -> pd.DataFrame:
    """Return the columns an impact model uses, as text with blanks made explicit.

    Categorical columns keep their values; Yes/No flags become ``"Yes"``/``"No"``; blank
    cells become ``"Not recorded"`` (blanks are information: a form that was not filled
    in). The result suits :class:`sklearn.preprocessing.OneHotEncoder`.

    Parameters
    ----------
    cases : pandas.DataFrame
        One row per case.
    features : sequence of str, default FEATURES
        The columns to use.

    Returns
    -------
    pandas.DataFrame
        The same index as ``cases``, one text column per feature.

    Raises
    ------
    TypeError
        If ``cases`` is not a DataFrame.
    ValueError
        If ``features`` is empty or names a column ``cases`` lacks.
    """
    cases = _frame(cases)
    features = [features] if isinstance(features, str) else list(features)
    if not features:
        raise ValueError("features must name at least one column")
    out = {}
    for name in features:
        column = _column(cases, name, "features")
        if pd.api.types.is_bool_dtype(column.dtype) or str(column.dtype) == "boolean":
            text = column.map({True: "Yes", False: "No"})
        else:
            text = column.astype(object).where(column.notna())
            text = text.map(lambda v: v if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
        out[name] = text.where(text.notna(), NOT_RECORDED).astype(object)
    return pd.DataFrame(out, index=cases.index)


def harm_weight(cases: pd.DataFrame, flags=FLAGS) -> pd.Series:
    """Return one plus the number of people-at-risk flags set for each case.

    A simple rule for the harm side of an impact score: a household with a child under
    5, someone aged 75 or over and someone with a health condition weighs 4; one with
    none (or none recorded) weighs 1. Blank flags count as not set.

    Parameters
    ----------
    cases : pandas.DataFrame
        One row per case with Yes/No flag columns.
    flags : sequence of str, default FLAGS
        The flag columns.

    Returns
    -------
    pandas.Series
        Integers from 1 to ``1 + len(flags)``, indexed like ``cases``.

    Raises
    ------
    TypeError
        If ``cases`` is not a DataFrame.
    ValueError
        If a flag column is missing or holds values other than True, False or blank.
    """
    cases = _frame(cases)
    flags = [flags] if isinstance(flags, str) else list(flags)
    total = pd.Series(1, index=cases.index, dtype="int64")
    for name in flags:
        column = _column(cases, name, "flags")
        bad = column.notna() & ~column.isin([True, False])
        if bad.any():
            raise ValueError(f"flags: column {name!r} must hold True, False or blank, got {column[bad].unique()[:3].tolist()}")
        total += column.fillna(False).astype(bool).astype("int64")
    return total


def split_by_date(cases: pd.DataFrame, *, received: str = "date_received", test_days: int = 365,
                  min_share: float = 0.3) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp]:
    """Split cases into an earlier training set and a later test set by the date received.

    The test set is the last ``test_days`` days of cases (by default the last year), so a
    model is judged as it would be used: fitted on the past, applied to cases that came
    later. If that would leave less than ``min_share`` of the cases on either side, the
    cut moves to the date that leaves ``min_share`` on the smaller side.

    Parameters
    ----------
    cases : pandas.DataFrame
        One row per case.
    received : str, default "date_received"
        The column of dates received.
    test_days : int, default 365
        Length of the test period, counted back from the latest date received.
    min_share : float, default 0.3
        The smallest share of cases either side may hold (between 0 and 0.5).

    Returns
    -------
    tuple of (pandas.DataFrame, pandas.DataFrame, pandas.Timestamp)
        The training cases (received before the cut), the test cases (on or after it)
        and the cut date.

    Raises
    ------
    TypeError
        If ``cases`` is not a DataFrame.
    ValueError
        If ``received`` is missing or blank, ``test_days`` is not positive,
        ``min_share`` is outside (0, 0.5], or fewer than two distinct dates exist.
    """
    cases = _frame(cases)
    dates = _dates(cases, received, "received", allow_missing=False)
    days = _positive("test_days", test_days)
    share = _positive("min_share", min_share)
    if share > 0.5:
        raise ValueError(f"min_share must be at most 0.5, got {min_share!r}")
    if dates.nunique() < 2:
        raise ValueError("received: cases must span at least two dates to be split")
    cut = dates.max().normalize() - pd.Timedelta(days=days) + _DAY
    before = float((dates < cut).mean())
    ordered = np.sort(dates.to_numpy())
    if before < share:
        cut = pd.Timestamp(ordered[int(np.ceil(share * len(ordered)))])
    elif before > 1 - share:
        cut = pd.Timestamp(ordered[int(np.floor((1 - share) * len(ordered)))])
    if (dates < cut).sum() == 0 or (dates >= cut).sum() == 0:
        raise ValueError("received: the cases cannot be split into an earlier and a later set")
    return cases[dates < cut], cases[dates >= cut], cut


# --------------------------------------------------------------------------- simulation
class QueueResult(NamedTuple):
    """What :func:`simulate_queue` returns."""

    cases: pd.DataFrame
    weekly: pd.DataFrame
    summary: pd.Series


class Comparison(NamedTuple):
    """What :func:`compare_orderings` returns: a summary table and each ordering's result."""

    table: pd.DataFrame
    results: dict[str, QueueResult]


def _visit_hours(cases: pd.DataFrame, visit_hours, category: str) -> np.ndarray:
    if isinstance(visit_hours, pd.Series):
        hours = visit_hours.reindex(cases.index)
        if hours.isna().any():
            raise ValueError(f"visit_hours: a Series must give hours for every case; rows {list(cases.index[hours.isna()][:5])} have none")
        values = hours.to_numpy(dtype=float)
    elif isinstance(visit_hours, Mapping):
        kinds = _column(cases, category, "category")
        missing = sorted(set(kinds.dropna().astype(str)) - set(map(str, visit_hours)))
        if missing or kinds.isna().any():
            extra = " and blank categories" if kinds.isna().any() else ""
            raise ValueError(f"visit_hours has no hours for categories {missing}{extra}; give hours for every category")
        lookup = {str(k): v for k, v in visit_hours.items()}
        values = np.array([_positive(f"visit_hours[{k!r}]", lookup[str(k)]) for k in kinds], dtype=float)
    else:
        values = np.full(len(cases), _positive("visit_hours", visit_hours), dtype=float)
    if len(values) and (not np.isfinite(values).all() or (values <= 0).any()):
        raise ValueError("visit_hours must be positive finite numbers of hours")
    return values


def _serious(cases: pd.DataFrame, serious: str | None) -> np.ndarray | None:
    if serious is None:
        return None
    column = _column(cases, serious, "serious")
    if column.isna().any() or not column.isin([True, False]).all():
        raise ValueError(f"serious={serious!r} must be a column of True/False for every case (is the case serious?)")
    return column.astype(bool).to_numpy()


def simulate_queue(cases: pd.DataFrame, order: str, officer_hours_per_week: float, visit_hours, weeks: float,
                   seed: int = 0, *, received: str = "date_received", category: str = "category",
                   serious: str | None = None, start=None, max_wait_weeks: float | None = None,
                   visit_cv: float = 0.0) -> QueueResult:
    """Simulate a team working through a stream of cases with limited officer-hours.

    Cases arrive on their dates; the team (one server working ``officer_hours_per_week``
    hours a week, spread evenly over the week) visits one case at a time, each taking its
    visit hours. When a visit ends the next case is chosen among those waiting: the
    earliest received (``order="fcfs"``), or the highest value of the column ``order``
    (ties to the earliest). With ``max_wait_weeks``, any case that has waited at least that
    long goes first (earliest first). A visit is only started if it ends within the
    horizon of ``weeks`` weeks from ``start``.

    Parameters
    ----------
    cases : pandas.DataFrame
        One row per case with a date received (and a category when ``visit_hours`` is a
        mapping). Cases received before ``start`` are waiting at the start; cases
        received after the horizon never arrive.
    order : str
        ``"fcfs"`` (first come, first served) or the name of a numeric column of
        priority scores, higher first.
    officer_hours_per_week : float
        Officer-hours available for visits each week (positive).
    visit_hours : float, mapping or pandas.Series
        Hours a visit takes (including travel and the write-up): one number for all
        cases, a mapping from category to hours, or a Series indexed like ``cases``.
    weeks : float
        Length of the horizon in weeks (positive).
    seed : int, default 0
        Seed of the visit-duration draws when ``visit_cv`` is positive (otherwise unused:
        the simulation is deterministic).
    received : str, default "date_received"
        Column of dates received.
    category : str, default "category"
        Column of case types, used when ``visit_hours`` is a mapping.
    serious : str, optional
        Column of True/False: is the case serious (for example a Category 1 hazard)?
        With it the summary reports serious cases found, per officer-hour, and their waits.
    start : date-like, optional
        Start of the horizon; by default the earliest date received.
    max_wait_weeks : float, optional
        A guarantee: a case that has waited this many weeks goes to the front.
    visit_cv : float, default 0.0
        Coefficient of variation of the actual visit durations around the planned hours
        (gamma-distributed, mean kept); 0 for fixed durations.

    Returns
    -------
    QueueResult
        ``cases``: the input's index with ``arrival_week`` (weeks from ``start``, negative
        for cases already waiting), ``arrived``, ``inspected``, ``start_week``,
        ``week`` (whole week of the visit), ``inspected_on`` (date), ``visit_hours``,
        ``wait_days`` (inspected cases), ``still_waiting`` and ``waited_days`` (the wait of
        inspected cases, or the age at the end of the horizon of those still waiting: a
        lower bound). ``weekly``: one row per week with ``week_start``,
        ``hours_available``, ``hours_used``, ``inspections``, ``serious_found`` and
        ``cumulative_serious`` (when ``serious`` is given), and ``backlog`` (cases
        waiting at the week's end). ``summary``: a Series of ``cases_arrived``,
        ``inspected``, ``still_waiting``, ``hours_available``, ``hours_used``,
        ``utilisation``, ``wait_mean_days``, ``wait_p90_days``, ``backlog_mean_age_days``,
        ``backlog_p90_age_days``, ``backlog_max_age_days`` and, with ``serious``,
        ``serious_arrived``, ``serious_found``, ``share_serious_found``,
        ``serious_per_officer_hour``, ``serious_wait_mean_days``,
        ``serious_wait_p90_days``, ``other_wait_mean_days`` and ``other_wait_p90_days``
        (waits over every arrived case, counting those still waiting at their age at the
        end).

    Raises
    ------
    TypeError
        If ``cases`` is not a DataFrame.
    ValueError
        If a named column is missing or invalid (blank dates, non-numeric or blank
        priority scores, serious not True/False), ``order`` is neither ``"fcfs"`` nor a
        column, a number is not positive (``officer_hours_per_week``, ``weeks``,
        ``visit_hours``) or negative (``max_wait_weeks``, ``visit_cv``), or
        ``visit_hours`` lacks a category.

    Examples
    --------
    >>> cases = pd.DataFrame({"date_received": pd.to_datetime(["2025-01-06"] * 3)})
    >>> result = simulate_queue(cases, "fcfs", officer_hours_per_week=10, visit_hours=2.5, weeks=4)
    >>> result.cases["wait_days"].tolist()  # 0, 2.5 and 5 hours of a 10-hour week
    [0.0, 1.75, 3.5]
    """
    cases = _frame(cases)
    got = _dates(cases, received, "received", allow_missing=False)
    hours_per_week = _positive("officer_hours_per_week", officer_hours_per_week)
    horizon = _positive("weeks", weeks)
    cv = _positive("visit_cv", visit_cv, allow_zero=True)
    cap = None if max_wait_weeks is None else _positive("max_wait_weeks", max_wait_weeks, allow_zero=True)
    if not isinstance(order, str):
        raise ValueError(f"order must be 'fcfs' or the name of a column of priority scores, got {order!r}")
    if order == "fcfs":
        score = None
    else:
        if order not in cases.columns:
            raise ValueError(f"order={order!r} is neither 'fcfs' nor a column of cases; its columns are: "
                             f"{', '.join(map(str, cases.columns))}")
        score_col = pd.to_numeric(cases[order], errors="coerce")
        if score_col.isna().any() or not np.isfinite(score_col.to_numpy(dtype=float)).all():
            raise ValueError(f"order={order!r} must hold a number for every case (blank or text scores cannot be ranked)")
        score = score_col.to_numpy(dtype=float)
    planned = _visit_hours(cases, visit_hours, category)
    flags = _serious(cases, serious)
    if start is None:
        origin = got.min().normalize() if len(got) else pd.Timestamp("1970-01-01")
    else:
        try:
            origin = pd.Timestamp(start)
        except (TypeError, ValueError):
            raise ValueError(f"start must be a date, got {start!r}") from None
    n = len(cases)
    arrival = ((got - origin) / pd.Timedelta(weeks=1)).to_numpy(dtype=float)
    if cv > 0:
        rng = np.random.default_rng(seed)
        duration = planned * rng.gamma(1.0 / cv**2, cv**2, n)
    else:
        duration = planned.copy()
    arrived = arrival < horizon
    ready = np.maximum(arrival, 0.0)

    # Discrete-event loop: the events are arrivals and the ends of visits.
    incoming = [i for i in np.lexsort((np.arange(n), arrival)) if arrived[i]]
    queue: list[tuple] = []   # priority heap
    oldest: list[tuple] = []  # arrival-order heap, for the maximum-wait guarantee
    done = np.zeros(n, dtype=bool)
    begin = np.full(n, np.nan)
    t, k, waiting = 0.0, 0, 0
    while True:
        while k < len(incoming) and ready[incoming[k]] <= t:
            i = incoming[k]
            key = (arrival[i], i) if score is None else (-score[i], arrival[i], i)
            heapq.heappush(queue, key)
            if cap is not None:
                heapq.heappush(oldest, (arrival[i], i))
            k += 1
            waiting += 1
        if waiting == 0:
            if k < len(incoming):
                t = ready[incoming[k]]
                continue
            break
        chosen = None
        if cap is not None:
            while oldest and done[oldest[0][1]]:
                heapq.heappop(oldest)
            if oldest and t - oldest[0][0] >= cap - 1e-12:
                chosen = heapq.heappop(oldest)[1]
        if chosen is None:
            while done[queue[0][-1]]:
                heapq.heappop(queue)
            chosen = heapq.heappop(queue)[-1]
        length = duration[chosen] / hours_per_week
        if t + length > horizon + 1e-9:
            break
        done[chosen] = True
        begin[chosen] = t
        waiting -= 1
        t += length

    # Per-case outcomes.
    wait = np.where(done, begin - arrival, np.nan) * 7.0
    still = arrived & ~done
    waited = np.where(done, wait, np.where(still, (horizon - arrival) * 7.0, np.nan))
    week = pd.array(np.where(done, np.floor(np.nan_to_num(begin)), 0).astype(int), dtype="Int64")
    week[~done] = pd.NA
    out = pd.DataFrame({
        "arrival_week": arrival, "arrived": arrived, "inspected": done, "start_week": begin, "week": week,
        "inspected_on": (origin + pd.to_timedelta(np.where(done, begin, np.nan) * 7, unit="D")).normalize(),
        "visit_hours": np.where(done, duration, np.nan), "wait_days": wait, "still_waiting": still, "waited_days": waited,
    }, index=cases.index)

    # Weekly table: hours used per week from each visit's share of it.
    n_weeks = int(math.ceil(horizon - 1e-12))
    edges = np.arange(n_weeks + 1, dtype=float)
    edges[-1] = min(edges[-1], horizon)
    first, last = begin[done], begin[done] + duration[done] / hours_per_week
    overlap = np.clip(np.minimum(last[:, None], edges[None, 1:]) - np.maximum(first[:, None], edges[None, :-1]), 0.0, None)
    weekly = pd.DataFrame({
        "week": np.arange(n_weeks),
        "week_start": origin + pd.to_timedelta(np.arange(n_weeks) * 7, unit="D"),
        "hours_available": (edges[1:] - edges[:-1]) * hours_per_week,
        "hours_used": overlap.sum(axis=0) * hours_per_week,
        "inspections": np.bincount(np.floor(first).astype(int), minlength=n_weeks)[:n_weeks] if len(first) else np.zeros(n_weeks, int),
    })
    if flags is not None:
        found = np.bincount(np.floor(begin[done & flags]).astype(int), minlength=n_weeks)[:n_weeks] if (done & flags).any() \
            else np.zeros(n_weeks, int)
        weekly["serious_found"] = found
        weekly["cumulative_serious"] = np.cumsum(found)
    ends = edges[1:]
    came = np.searchsorted(np.sort(arrival[arrived]), ends, side="left")
    started = np.searchsorted(np.sort(begin[done]), ends, side="left")
    weekly["backlog"] = came - started

    # Summary.
    used = float(duration[done].sum())
    ages = (horizon - arrival[still]) * 7.0
    summary = {
        "cases_arrived": int(arrived.sum()), "inspected": int(done.sum()), "still_waiting": int(still.sum()),
        "hours_available": hours_per_week * horizon, "hours_used": used, "utilisation": used / (hours_per_week * horizon),
        "wait_mean_days": _mean(waited[arrived]), "wait_p90_days": _quantile(waited[arrived], 0.9),
        "backlog_mean_age_days": _mean(ages), "backlog_p90_age_days": _quantile(ages, 0.9),
        "backlog_max_age_days": float(ages.max()) if len(ages) else float("nan"),
    }
    if flags is not None:
        hit = arrived & flags
        summary.update({
            "serious_arrived": int(hit.sum()), "serious_found": int((done & flags).sum()),
            "share_serious_found": float((done & flags).sum() / hit.sum()) if hit.any() else float("nan"),
            "serious_per_officer_hour": float((done & flags).sum() / used) if used > 0 else float("nan"),
            "serious_wait_mean_days": _mean(waited[hit]), "serious_wait_p90_days": _quantile(waited[hit], 0.9),
            "other_wait_mean_days": _mean(waited[arrived & ~flags]),
            "other_wait_p90_days": _quantile(waited[arrived & ~flags], 0.9),
        })
    return QueueResult(out, weekly, pd.Series(summary, dtype=object).rename(order))


def compare_orderings(cases: pd.DataFrame, orderings, officer_hours_per_week: float, visit_hours, weeks: float,
                      seed: int = 0, **options) -> Comparison:
    """Run :func:`simulate_queue` under several orderings of the same cases and compare them.

    Parameters
    ----------
    cases : pandas.DataFrame
        The cases, as for :func:`simulate_queue`.
    orderings : mapping
        Label to ordering: either an ``order`` (``"fcfs"`` or a score column) or a mapping
        of :func:`simulate_queue` options for that ordering, for example
        ``{"order": "priority", "max_wait_weeks": 13}``.
    officer_hours_per_week, visit_hours, weeks, seed
        As for :func:`simulate_queue`; the same for every ordering (so, with ``visit_cv``,
        every ordering sees the same visit durations).
    **options
        Further :func:`simulate_queue` options shared by every ordering (``serious``,
        ``received``, ``category``, ``start``, ``visit_cv``...).

    Returns
    -------
    Comparison
        ``table``: one row per ordering (its label) and one column per summary figure;
        ``results``: each ordering's :class:`QueueResult`.

    Raises
    ------
    ValueError
        If ``orderings`` is empty or not a mapping, an ordering's options are not
        :func:`simulate_queue` options, or :func:`simulate_queue` refuses an argument.
    """
    if not isinstance(orderings, Mapping) or not orderings:
        raise ValueError("orderings must be a non-empty mapping of label to ordering, e.g. {'First come, first served': 'fcfs'}")
    allowed = {"order", "max_wait_weeks", "serious", "received", "category", "start", "visit_cv"}
    results = {}
    for label, spec in orderings.items():
        kwargs = {"order": spec} if isinstance(spec, str) else dict(spec) if isinstance(spec, Mapping) else None
        if kwargs is None or "order" not in kwargs or set(kwargs) - allowed:
            raise ValueError(f"orderings[{label!r}] must be an order ('fcfs' or a score column) or a mapping with 'order' "
                             f"and optionally {sorted(allowed - {'order'})}, got {spec!r}")
        merged = {**options, **kwargs}
        order = merged.pop("order")
        results[label] = simulate_queue(cases, order, officer_hours_per_week, visit_hours, weeks, seed, **merged)
    table = pd.DataFrame({label: r.summary for label, r in results.items()}).T
    table = table.apply(pd.to_numeric)
    table.index.name = "ordering"
    return Comparison(table, results)


def plot_cumulative_found(comparison: Comparison, ax=None, title: str | None = None):
    """Draw the cumulative serious cases found week by week under each ordering.

    Parameters
    ----------
    comparison : Comparison
        From :func:`compare_orderings` with ``serious`` given.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        The chart's title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``comparison`` is not a Comparison or was run without ``serious``.
    """
    import matplotlib.pyplot as plt

    from curriculum.style import HIGHLIGHT, MUTED

    if not isinstance(comparison, Comparison) or not comparison.results:
        raise ValueError("comparison must be what compare_orderings returns")
    if any("cumulative_serious" not in r.weekly for r in comparison.results.values()):
        raise ValueError("comparison was run without serious=...: there are no serious cases to count")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    colours = [MUTED, HIGHLIGHT, "#12436D", "#28A197", "#F46A25"]
    styles = ["--", "-", "-.", ":", "-"]
    for k, (label, result) in enumerate(comparison.results.items()):
        weekly = result.weekly
        ax.step(weekly["week"] + 1, weekly["cumulative_serious"], where="post", label=label,
                color=colours[k % len(colours)], linestyle=styles[k % len(styles)])
    ax.set(xlabel="Weeks from the start", ylabel="Serious cases found (cumulative)", title=title or "")
    ax.legend(loc="upper left")
    return ax
