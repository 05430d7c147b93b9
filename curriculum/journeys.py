"""Journeys through a service, from its event log: checks, funnels, waits and charts.

An event log holds one row per event: a case (``case_id``) reaching a step
(``step``) at a time (``timestamp``), as a case-management system records it. The
functions here take such a log and the service's steps in their intended order
(for Disabled Facilities Grants: enquiry, OT assessment, application, approval,
completion) and answer the questions of a journey map:

- :func:`check_journeys`: which cases skip steps, have dates that go backwards or
  repeated rows;
- :func:`case_steps`: one row per case, the date it reached each step;
- :func:`funnel`: how many cases reach each step, and the share that go on;
- :func:`step_durations`: the days between consecutive steps, case by case;
- :func:`waits_by_group`, :func:`compare_groups` and :func:`group_vs_rest`: who
  waits longest, with rank tests from :mod:`scipy.stats` (Kruskal-Wallis and
  Mann-Whitney) to tell a real difference from the noise of small groups;
- :func:`stuck_cases`: open cases that have not moved for longer than a threshold;
- :func:`plot_funnel`, :func:`plot_durations` and :func:`plot_journey`: the charts.

The column names default to those of the ``service_events`` schema and can be
changed with the ``case``, ``step`` and ``time`` keywords. Nothing happens on import.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from curriculum.views import axes as _axes

__all__ = [
    "case_steps",
    "check_journeys",
    "funnel",
    "step_durations",
    "waits_by_group",
    "compare_groups",
    "group_vs_rest",
    "stuck_cases",
    "plot_funnel",
    "plot_durations",
    "plot_journey",
]

ARROW = " → "
_DAY = pd.Timedelta(days=1)


# --------------------------------------------------------------------------- checks
def _steps(steps) -> list[str]:
    """Return ``steps`` as a list of distinct labels, or raise ValueError naming steps."""
    if isinstance(steps, str) or not isinstance(steps, Sequence) and not isinstance(steps, (pd.Index, pd.Series, np.ndarray)):
        raise ValueError(f"steps must be a list of the service's steps in their intended order, got {steps!r}")
    labels = list(steps)
    if len(labels) < 2:
        raise ValueError(f"steps must name at least two steps, got {labels!r}")
    if len(set(labels)) != len(labels):
        repeated = sorted({s for s in labels if labels.count(s) > 1}, key=str)
        raise ValueError(f"steps must not repeat, but {repeated!r} appear more than once")
    return labels


def _columns(frame, name: str, needed: Sequence[str]) -> pd.DataFrame:
    """Return ``frame`` if it is a DataFrame with the needed columns, else raise ValueError naming it."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} has no column(s) {missing}; its columns are: {', '.join(map(str, frame.columns))}")
    return frame


def _events(events, steps, case: str, step: str, time: str) -> tuple[pd.DataFrame, list[str]]:
    labels = _steps(steps)
    frame = _columns(events, "events", [case, step, time])
    if not pd.api.types.is_datetime64_any_dtype(frame[time]):
        raise ValueError(f"events column {time!r} must hold dates and times (datetime64), got {frame[time].dtype}; "
                         "load the log with curriculum.load or convert it with pandas.to_datetime")
    return frame, labels


def case_steps(events: pd.DataFrame, steps: Sequence[str], *, case: str = "case_id", step: str = "step",
               time: str = "timestamp") -> pd.DataFrame:
    """Return one row per case with the date and time it reached each step.

    A step recorded more than once for a case (a duplicated row, a second visit)
    counts at its first time. Events at steps not in ``steps`` are left out, and so
    are events without a time.

    Parameters
    ----------
    events : pandas.DataFrame
        The event log, one row per event.
    steps : sequence of str
        The service's steps in their intended order.
    case, step, time : str
        The columns holding the case, the step and the time of each event.

    Returns
    -------
    pandas.DataFrame
        Indexed by case (sorted), one datetime column per step in the order of
        ``steps``; NaT where a case has no record of the step. Cases with no event
        at any of the steps are left out.

    Raises
    ------
    ValueError
        If ``events`` lacks a column, the time column is not datetime, or ``steps``
        has fewer than two or repeated labels.

    Examples
    --------
    >>> log = pd.DataFrame({"case_id": ["A", "A", "B"], "step": ["in", "out", "in"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-02"])})
    >>> case_steps(log, ["in", "out"])["out"].notna().tolist()
    [True, False]
    """
    frame, labels = _events(events, steps, case, step, time)
    known = frame[frame[step].isin(labels) & frame[time].notna()]
    wide = known.groupby([case, step], sort=False)[time].min().unstack(step)
    wide = wide.reindex(columns=labels).sort_index()
    wide.columns.name = step
    wide.index.name = case
    return wide.astype("datetime64[ns]")


def _furthest(wide: pd.DataFrame) -> pd.Series:
    """Position (0-based) of the furthest step each case has a record of."""
    present = wide.notna().to_numpy()
    return pd.Series(present.shape[1] - 1 - np.argmax(present[:, ::-1], axis=1), index=wide.index)


def _backwards(wide: pd.DataFrame) -> pd.Series:
    """True for cases whose recorded dates, taken in step order, ever go backwards."""
    values = wide.to_numpy(dtype="datetime64[ns]")
    present = ~np.isnat(values)
    ns = np.where(present, values.view("int64"), np.iinfo("int64").min)
    running = np.maximum.accumulate(ns, axis=1)  # latest date so far (steps not recorded never win)
    earlier = np.concatenate([np.full((len(ns), 1), np.iinfo("int64").min), running[:, :-1]], axis=1)
    back = (present & (ns < earlier)).any(axis=1)
    return pd.Series(back, index=wide.index)


def check_journeys(events: pd.DataFrame, steps: Sequence[str], *, case: str = "case_id", step: str = "step",
                   time: str = "timestamp") -> pd.DataFrame:
    """Return the data-quality problems of every case's journey.

    Parameters
    ----------
    events : pandas.DataFrame
        The event log, one row per event.
    steps : sequence of str
        The service's steps in their intended order.
    case, step, time : str
        The columns holding the case, the step and the time of each event.

    Returns
    -------
    pandas.DataFrame
        Indexed by case (every case in the log), with columns:

        - ``events``: rows in the log;
        - ``furthest``: the furthest step recorded (missing if none of ``steps``);
        - ``missing``: the steps before the furthest that have no record, joined
          with ", " (empty if none), and ``n_missing``, their number;
        - ``out_of_order``: a recorded step is dated before a step that comes
          earlier in ``steps`` (its first time, if recorded twice);
        - ``duplicates``: rows beyond the first for the same step;
        - ``other_events``: events whose step is not in ``steps`` (closures such
          as "Withdrawn", or steps named otherwise than in ``steps``);
        - ``no_time``: events without a time.

    Raises
    ------
    ValueError
        If ``events`` lacks a column, the time column is not datetime, or ``steps``
        is invalid.

    Examples
    --------
    >>> log = pd.DataFrame({"case_id": ["A", "A", "B", "B"], "step": ["in", "out", "in", "out"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-09", "2024-01-02"])})
    >>> check_journeys(log, ["in", "out"])["out_of_order"].tolist()
    [False, True]
    """
    frame, labels = _events(events, steps, case, step, time)
    cases = pd.Index(frame[case].dropna().unique()).sort_values()
    wide = case_steps(frame, labels, case=case, step=step, time=time).reindex(cases)
    present = wide.notna()
    reached = present.any(axis=1)
    furthest = _furthest(wide).where(reached)
    positions = np.arange(len(labels))
    gaps = (~present.to_numpy()) & (positions[None, :] < furthest.fillna(-1).to_numpy()[:, None])
    missing = [", ".join(np.array(labels)[row]) for row in gaps]
    known = frame[frame[step].isin(labels)]
    per_step = known.groupby([case, step]).size()
    result = pd.DataFrame({
        "events": frame.groupby(case).size().reindex(cases, fill_value=0),
        "furthest": [labels[int(p)] if not math.isnan(p) else None for p in furthest],
        "missing": missing,
        "n_missing": gaps.sum(axis=1),
        "out_of_order": _backwards(wide),
        "duplicates": (per_step - 1).groupby(level=0).sum().reindex(cases, fill_value=0),
        "other_events": (~frame[step].isin(labels)).groupby(frame[case]).sum().reindex(cases, fill_value=0),
        "no_time": frame[time].isna().groupby(frame[case]).sum().reindex(cases, fill_value=0),
    }, index=cases)
    result.index.name = case
    return result.astype({"events": "int64", "n_missing": "int64", "out_of_order": bool, "duplicates": "int64",
                          "other_events": "int64", "no_time": "int64"})


# --------------------------------------------------------------------------- funnel
def funnel(events: pd.DataFrame, steps: Sequence[str], *, case: str = "case_id", step: str = "step",
           time: str = "timestamp") -> pd.DataFrame:
    """Return how many cases reach each step of the service and how many go on.

    A case has *reached* a step when that step or any later one is recorded: a case
    approved without a recorded application did apply. ``reached`` therefore never
    increases along the steps, whereas ``recorded`` (cases with a record of the
    step itself) can, where steps were not keyed in.

    Parameters
    ----------
    events : pandas.DataFrame
        The event log (for a fair funnel, the cases that started long enough ago to
        have finished).
    steps : sequence of str
        The service's steps in their intended order.
    case, step, time : str
        The columns holding the case, the step and the time of each event.

    Returns
    -------
    pandas.DataFrame
        Indexed by step, with ``recorded``, ``reached``, ``from_previous`` (reached
        over reached at the step before; 1 at the first step) and ``from_start``
        (reached over the cases in the log).

    Raises
    ------
    ValueError
        If no case has an event at any of the steps, or the arguments are invalid
        (see :func:`case_steps`).

    Examples
    --------
    >>> log = pd.DataFrame({"case_id": ["A", "A", "B"], "step": ["in", "out", "in"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-02"])})
    >>> funnel(log, ["in", "out"])["reached"].tolist()
    [2, 1]
    """
    wide = case_steps(events, steps, case=case, step=step, time=time)
    if wide.empty:
        raise ValueError(f"events has no case with an event at any of the steps {list(steps)!r}: "
                         "check the step names against the log's")
    present = wide.notna()
    reached = present.iloc[:, ::-1].cummax(axis=1).iloc[:, ::-1].sum()
    table = pd.DataFrame({"recorded": present.sum(), "reached": reached})
    ratio = table["reached"] / table["reached"].shift(1)
    ratio.iloc[0] = 1.0
    table["from_previous"] = ratio
    table["from_start"] = table["reached"] / len(wide)
    table.index.name = step
    return table.astype({"recorded": "int64", "reached": "int64"})


# --------------------------------------------------------------------------- waits
def _attributes(events: pd.DataFrame, case: str, columns: Sequence[str]) -> pd.DataFrame:
    """The first non-missing value of each case-level column, per case."""
    _columns(events, "events", list(columns))
    return events.groupby(case)[list(columns)].first()


def step_durations(events: pd.DataFrame, steps: Sequence[str], *, attributes: Sequence[str] = (),
                   case: str = "case_id", step: str = "step", time: str = "timestamp") -> pd.DataFrame:
    """Return the days between consecutive steps, one row per case and pair of steps.

    Each pair of neighbouring steps in ``steps`` that a case has both recorded gives a
    row; a case missing a step gives no row for the two pairs around it. Days are
    fractional (times of day count) and negative where the dates go backwards (see
    :func:`check_journeys`), so leave out or correct those cases first.

    Parameters
    ----------
    events : pandas.DataFrame
        The event log, one row per event.
    steps : sequence of str
        The service's steps in their intended order.
    attributes : sequence of str, optional
        Case-level columns of ``events`` to carry into the result (for example the
        referral channel or the area), taking each case's first non-missing value.
    case, step, time : str
        The columns holding the case, the step and the time of each event.

    Returns
    -------
    pandas.DataFrame
        Columns ``case`` (named as in ``events``), ``transition`` ("A → B"),
        ``from_step``, ``to_step``, ``start``, ``end``, ``days`` and the
        ``attributes``; ``transition`` is an ordered categorical in step order.

    Raises
    ------
    ValueError
        If a column is missing or the arguments are invalid (see :func:`case_steps`).

    Examples
    --------
    >>> log = pd.DataFrame({"case_id": ["A", "A"], "step": ["in", "out"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01 09:00", "2024-01-03 21:00"])})
    >>> step_durations(log, ["in", "out"])["days"].tolist()
    [2.5]
    """
    wide = case_steps(events, steps, case=case, step=step, time=time)
    labels = list(wide.columns)
    names = [f"{a}{ARROW}{b}" for a, b in itertools.pairwise(labels)]
    parts = []
    for a, b, name in zip(labels[:-1], labels[1:], names):
        both = wide[[a, b]].dropna()
        parts.append(pd.DataFrame({case: both.index, "transition": name, "from_step": a, "to_step": b,
                                   "start": both[a].to_numpy(), "end": both[b].to_numpy()}))
    result = pd.concat(parts, ignore_index=True)
    result["days"] = (result["end"] - result["start"]) / _DAY
    result["transition"] = pd.Categorical(result["transition"], categories=names, ordered=True)
    if attributes:
        extra = _attributes(events, case, attributes)
        result = result.join(extra, on=case)
    return result


def _durations(durations, by: str | None, transition: str | None) -> pd.DataFrame:
    needed = ["days"] + ([by] if by is not None else [])
    frame = _columns(durations, "durations", needed)
    if transition is not None:
        _columns(frame, "durations", ["transition"])
        if transition not in set(frame["transition"].astype(str)):
            have = ", ".join(map(str, pd.unique(frame["transition"].astype(str))))
            raise ValueError(f"transition {transition!r} does not occur in durations; it holds: {have}")
        frame = frame[frame["transition"].astype(str) == transition]
    return frame


def _min_cases(value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"min_cases must be a whole number of at least 1, got {value!r}")
    return int(value)


def waits_by_group(durations: pd.DataFrame, by: str, *, transition: str | None = None,
                   min_cases: int = 5) -> pd.DataFrame:
    """Return the waits of each group, longest median first.

    Parameters
    ----------
    durations : pandas.DataFrame
        One row per wait with a ``days`` column and the column ``by`` (for example
        the output of :func:`step_durations` with ``attributes``).
    by : str
        The column that defines the groups (an area, a channel, an age band).
    transition : str, optional
        Keep only this transition (a value of the ``transition`` column, such as
        "Enquiry → OT assessment"); None uses every row.
    min_cases : int, default 5
        Groups with fewer waits are flagged ``small``: their median is too unstable
        to rank.

    Returns
    -------
    pandas.DataFrame
        Indexed by group, with ``cases``, ``median_days``, ``mean_days``,
        ``p90_days`` (90th percentile), ``share_of_cases`` and ``small``, sorted by
        ``median_days`` from longest to shortest. Rows with no group are left out.

    Raises
    ------
    ValueError
        If a column is missing, ``transition`` does not occur or ``min_cases`` is
        not a whole number of at least 1.

    Examples
    --------
    >>> waits = pd.DataFrame({"area": ["x", "x", "y"], "days": [10.0, 30.0, 5.0]})
    >>> waits_by_group(waits, "area", min_cases=1)["median_days"].tolist()
    [20.0, 5.0]
    """
    limit = _min_cases(min_cases)
    frame = _durations(durations, by, transition).dropna(subset=[by, "days"])
    grouped = frame.groupby(by, observed=True)["days"]
    table = pd.DataFrame({
        "cases": grouped.size(),
        "median_days": grouped.median(),
        "mean_days": grouped.mean(),
        "p90_days": grouped.quantile(0.9),
    })
    table["share_of_cases"] = table["cases"] / table["cases"].sum() if len(table) else []
    table["small"] = table["cases"] < limit
    table = table.sort_values(["median_days", "cases"], ascending=[False, False], kind="stable")
    table.index.name = by
    return table.astype({"cases": "int64", "small": bool})


def compare_groups(durations: pd.DataFrame, by: str, *, transition: str | None = None,
                   min_cases: int = 5) -> dict:
    """Test whether waits differ between groups, with the Kruskal-Wallis test.

    The Kruskal-Wallis H test (:func:`scipy.stats.kruskal`) compares the ranks of
    the waits across groups; it needs no assumption that waits are normal (they are
    skewed) and is not thrown by a few very long waits. Groups with fewer than
    ``min_cases`` waits are left out.

    Parameters
    ----------
    durations : pandas.DataFrame
        One row per wait with ``days`` and the column ``by``.
    by : str
        The column that defines the groups.
    transition : str, optional
        Keep only this transition; None uses every row.
    min_cases : int, default 5
        Smallest group kept in the test.

    Returns
    -------
    dict
        ``statistic`` (H, tie-corrected), ``pvalue``, ``groups`` (number of groups
        tested) and ``cases`` (waits in them).

    Raises
    ------
    ValueError
        If fewer than two groups have ``min_cases`` waits, all the waits are equal,
        or an argument is invalid (see :func:`waits_by_group`).

    Examples
    --------
    >>> waits = pd.DataFrame({"area": ["x"] * 5 + ["y"] * 5, "days": [1, 2, 3, 4, 5, 11, 12, 13, 14, 15]})
    >>> round(compare_groups(waits, "area")["pvalue"], 4)
    0.009
    """
    limit = _min_cases(min_cases)
    frame = _durations(durations, by, transition).dropna(subset=[by, "days"])
    sizes = frame.groupby(by, observed=True).size()
    kept = sizes[sizes >= limit].index
    if len(kept) < 2:
        raise ValueError(f"at least two groups of column {by!r} need {limit} or more waits to compare, "
                         f"but {len(kept)} do; lower min_cases or pool small groups")
    samples = [frame.loc[frame[by] == g, "days"].to_numpy(dtype=float) for g in kept]
    if np.ptp(np.concatenate(samples)) == 0:
        raise ValueError("all the waits are equal: there is nothing to compare")
    h, p = stats.kruskal(*samples)
    return {"statistic": float(h), "pvalue": float(p), "groups": len(kept),
            "cases": int(sum(len(s) for s in samples))}


def group_vs_rest(durations: pd.DataFrame, by: str, group, *, transition: str | None = None) -> dict:
    """Compare one group's waits with everyone else's (Mann-Whitney U test).

    Parameters
    ----------
    durations : pandas.DataFrame
        One row per wait with ``days`` and the column ``by``.
    by : str
        The column that defines the groups.
    group : object
        The group to compare, a value of ``by``.
    transition : str, optional
        Keep only this transition; None uses every row.

    Returns
    -------
    dict
        ``cases`` and ``cases_rest``; ``median_days`` and ``median_days_rest``;
        ``prob_longer``, the chance that a wait in the group is longer than one from
        the rest (ties count half; 0.5 means no difference), which is U over the
        number of pairs; and ``pvalue`` of the two-sided Mann-Whitney U test
        (:func:`scipy.stats.mannwhitneyu`).

    Raises
    ------
    ValueError
        If ``group`` has no waits or is the only group, or an argument is invalid.

    Examples
    --------
    >>> waits = pd.DataFrame({"area": ["x"] * 3 + ["y"] * 3, "days": [10, 11, 12, 1, 2, 3]})
    >>> group_vs_rest(waits, "area", "x")["prob_longer"]
    1.0
    """
    frame = _durations(durations, by, transition).dropna(subset=[by, "days"])
    inside = frame[by] == group
    a = frame.loc[inside, "days"].to_numpy(dtype=float)
    b = frame.loc[~inside, "days"].to_numpy(dtype=float)
    if len(a) == 0:
        have = ", ".join(map(str, pd.unique(frame[by])[:10]))
        raise ValueError(f"group {group!r} has no waits in column {by!r}; it holds for example: {have}")
    if len(b) == 0:
        raise ValueError(f"group {group!r} is the only group in column {by!r}: there is no rest to compare with")
    result = stats.mannwhitneyu(a, b, alternative="two-sided")
    return {"cases": len(a), "cases_rest": len(b), "median_days": float(np.median(a)),
            "median_days_rest": float(np.median(b)), "prob_longer": float(result.statistic / (len(a) * len(b))),
            "pvalue": float(result.pvalue)}


# --------------------------------------------------------------------------- stuck
def stuck_cases(events: pd.DataFrame, steps: Sequence[str], *, threshold_days: float = 90,
                as_of=None, closed_by: Sequence[str] = (), attributes: Sequence[str] = (),
                case: str = "case_id", step: str = "step", time: str = "timestamp") -> pd.DataFrame:
    """Return the open cases that have not moved for longer than a threshold.

    A case is open when neither its last step (the last of ``steps``) nor an event
    in ``closed_by`` (such as "Withdrawn") is recorded. It is stuck when the latest of
    its events at ``steps`` is more than ``threshold_days`` before ``as_of``. A case
    that quietly dropped out and was never closed looks the same as one that is
    stuck: both are on the list, to chase or to close.

    Parameters
    ----------
    events : pandas.DataFrame
        The event log, one row per event.
    steps : sequence of str
        The service's steps in their intended order; the last one closes a case.
    threshold_days : float, default 90
        Days without an event after which an open case counts as stuck (positive).
    as_of : datetime-like, optional
        The date of the extract; None takes the latest time in the log.
    closed_by : sequence of str, optional
        Steps (values of the step column) that close a case without completing it.
    attributes : sequence of str, optional
        Case-level columns to carry into the result.
    case, step, time : str
        The columns holding the case, the step and the time of each event.

    Returns
    -------
    pandas.DataFrame
        Indexed by case, with ``furthest`` (the furthest step recorded),
        ``last_event`` (the latest time), ``days_waiting`` (``as_of`` minus
        ``last_event``, in days) and the ``attributes``; longest waiting first.

    Raises
    ------
    ValueError
        If ``threshold_days`` is not a positive number, ``as_of`` is not a date, or
        an argument is invalid (see :func:`case_steps`).

    Examples
    --------
    >>> log = pd.DataFrame({"case_id": ["A", "B", "B"], "step": ["in", "in", "out"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-06-01"])})
    >>> stuck_cases(log, ["in", "out"], threshold_days=90).index.tolist()
    ['A']
    """
    if isinstance(threshold_days, bool) or not isinstance(threshold_days, (int, float, np.integer, np.floating)) \
            or not math.isfinite(threshold_days) or threshold_days <= 0:
        raise ValueError(f"threshold_days must be a positive number of days, got {threshold_days!r}")
    wide = case_steps(events, steps, case=case, step=step, time=time)
    closers = [closed_by] if isinstance(closed_by, str) else list(closed_by)
    try:
        when = pd.Timestamp(events[time].max() if as_of is None else as_of)
    except (TypeError, ValueError):
        raise ValueError(f"as_of must be a date (the date of the extract), got {as_of!r}") from None
    if pd.isna(when):
        raise ValueError(f"as_of must be a date (the date of the extract), got {as_of!r}")
    labels = list(wide.columns)
    closed = pd.Index(events.loc[events[step].isin(closers), case].unique())
    open_cases = wide[wide[labels[-1]].isna() & ~wide.index.isin(closed)]
    last = open_cases.max(axis=1)
    waiting = (when - last) / _DAY
    table = pd.DataFrame({"furthest": [labels[i] for i in _furthest(open_cases)], "last_event": last,
                          "days_waiting": waiting}, index=open_cases.index)
    table = table[table["days_waiting"] > threshold_days]
    if attributes:
        table = table.join(_attributes(events, case, attributes))
    return table.sort_values("days_waiting", ascending=False, kind="stable")


# --------------------------------------------------------------------------- charts
def plot_funnel(table: pd.DataFrame, *, ax=None, title: str | None = None, colour: str | None = None):
    """Draw a funnel: the cases reaching each step, with the share going on.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`funnel` (indexed by step, with ``reached``,
        ``recorded`` and ``from_previous``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made if None.
    title : str, optional
        The chart's title.
    colour : str, optional
        Colour of the bars (the style's first colour by default).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``table`` lacks the columns of a funnel.
    """
    frame = _columns(table, "table", ["reached", "recorded", "from_previous"])
    ax = _axes(ax)
    labels = [str(s) for s in frame.index]
    y = np.arange(len(labels))[::-1]
    ax.barh(y, frame["reached"], color=colour, label="cases reaching the step")
    ax.scatter(frame["recorded"], y, color="black", marker="|", s=200, zorder=3, label="step recorded in the log")
    top = float(frame["reached"].max()) if len(frame) else 1.0
    for yi, (reached, share) in zip(y, zip(frame["reached"], frame["from_previous"])):
        note = f"{int(reached):,}" + ("" if yi == y[0] else f"  ({share:.0%} of the step before)")
        ax.text(reached + top * 0.01, yi, note, va="center", fontsize=9)
    ax.set_yticks(y, labels=labels)
    ax.set_xlim(0, top * 1.45)
    ax.grid(axis="y", visible=False)
    ax.set(xlabel="Cases", title=title or "Cases reaching each step")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9)
    return ax


def plot_durations(durations: pd.DataFrame, *, by: str = "transition", order: Sequence | None = None,
                   kind: str = "box", highlight=None, log: bool = False, ax=None, title: str | None = None,
                   colour: str | None = None, highlight_colour: str = "#801650"):
    """Draw the spread of waits per transition or per group, as boxes or violins.

    Parameters
    ----------
    durations : pandas.DataFrame
        One row per wait with ``days`` and the column ``by``.
    by : str, default "transition"
        The column whose values get one box (or violin) each.
    order : sequence, optional
        The values of ``by`` to draw, top to bottom; by default the categories'
        order for a categorical column, else the longest median first.
    kind : {"box", "violin"}, default "box"
        Box plots (median, quartiles, whiskers to 1.5 IQR, outliers as points) or violins.
    highlight : object or sequence, optional
        Values of ``by`` to draw in ``highlight_colour``.
    log : bool, default False
        Use a logarithmic day axis (waits are skewed).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    title : str, optional
        The chart's title.
    colour, highlight_colour : str, optional
        Colours of the boxes and of the highlighted ones.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``kind`` is not "box" or "violin", a column is missing or nothing is left to draw.
    """
    if kind not in ("box", "violin"):
        raise ValueError(f"kind must be 'box' or 'violin', got {kind!r}")
    frame = _columns(durations, "durations", ["days", by]).dropna(subset=["days", by])
    if order is None:
        if isinstance(frame[by].dtype, pd.CategoricalDtype):
            order = [c for c in frame[by].cat.categories if (frame[by] == c).any()]
        else:
            order = frame.groupby(by)["days"].median().sort_values(ascending=False).index.tolist()
    order = [o for o in order if (frame[by] == o).any()]
    if not order:
        raise ValueError("durations holds no waits to draw")
    marked = set([highlight] if isinstance(highlight, str) or not isinstance(highlight, Sequence) else highlight) \
        if highlight is not None else set()
    import matplotlib.pyplot as plt

    base = colour or plt.rcParams["axes.prop_cycle"].by_key()["color"][0]
    data = [frame.loc[frame[by] == o, "days"].to_numpy(dtype=float) for o in order]
    positions = np.arange(len(order))[::-1]
    colours = [highlight_colour if o in marked else base for o in order]
    ax = _axes(ax)
    if kind == "box":
        parts = ax.boxplot(data, positions=positions, orientation="horizontal", widths=0.6, patch_artist=True,
                           flierprops={"markersize": 3, "alpha": 0.5}, medianprops={"color": "black"})
        for patch, c in zip(parts["boxes"], colours):
            patch.set_facecolor(c)
            patch.set_alpha(0.6)
    else:
        parts = ax.violinplot(data, positions=positions, orientation="horizontal", widths=0.8, showmedians=True)
        for body, c in zip(parts["bodies"], colours):
            body.set_facecolor(c)
            body.set_alpha(0.6)
    ax.set_yticks(positions, labels=[f"{o} ({len(d)})" for o, d in zip(order, data)])
    if log:
        from matplotlib.ticker import FixedLocator, FuncFormatter

        ax.set_xscale("log")
        ax.xaxis.set_major_locator(FixedLocator([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set(xlabel="Days", title=title or "Days between steps")
    return ax


def plot_journey(table: pd.DataFrame, durations: pd.DataFrame, *, ax=None, title: str | None = None,
                 colour: str | None = None):
    """Draw a journey map: the steps on a line of median days, sized by the cases reaching them.

    Each step sits at the sum of the median waits of the transitions before it (a
    typical journey, not any one case's), as a circle whose area is proportional to
    the cases reaching it; the gaps are labelled with their median days.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`funnel`.
    durations : pandas.DataFrame
        The output of :func:`step_durations` (its ``from_step``, ``to_step`` and ``days``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on.
    title : str, optional
        The chart's title.
    colour : str, optional
        Colour of the circles.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If a column is missing.
    """
    frame = _columns(table, "table", ["reached"])
    waits = _columns(durations, "durations", ["from_step", "to_step", "days"])
    labels = [str(s) for s in frame.index]
    medians = waits.groupby(["from_step", "to_step"])["days"].median()
    gaps = [float(medians.get((a, b), np.nan)) for a, b in itertools.pairwise(labels)]
    x = np.concatenate([[0.0], np.nancumsum(gaps)])
    ax = _axes(ax)
    size = 2500 * frame["reached"].to_numpy(dtype=float) / max(1.0, float(frame["reached"].max()))
    ax.plot(x, np.zeros_like(x), color="grey", linewidth=1, zorder=1)
    ax.scatter(x, np.zeros_like(x), s=size, color=colour, alpha=0.7, zorder=2)
    for xi, label, reached in zip(x, labels, frame["reached"]):
        ax.annotate(f"{label}\n{int(reached):,} cases", (xi, 0), xytext=(0, 28), textcoords="offset points",
                    ha="center", va="bottom", fontsize=9)
    for a, b, gap in zip(x[:-1], x[1:], gaps):
        ax.annotate(f"{gap:.0f} days" if not math.isnan(gap) else "?", ((a + b) / 2, 0), xytext=(0, -26),
                    textcoords="offset points", ha="center", va="top", fontsize=9)
    ax.set_ylim(-0.6, 0.8)
    ax.set_yticks([])
    span = x[-1] if x[-1] > 0 else 1.0
    ax.set_xlim(-0.08 * span, 1.08 * span)
    ax.grid(False)
    ax.spines["left"].set_visible(False)
    ax.set(xlabel="Median days since the first step (a typical journey)", title=title or "The journey")
    return ax
