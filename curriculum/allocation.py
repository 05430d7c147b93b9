"""Allocating limited hours across areas: linear programming with diminishing returns.

A prevention team (arson reduction officers, patrols, youth engagement) has a fixed
number of hours for a season and many small areas that could use them. Each area
has an expected number of incidents (for deliberate fires, the average of recent
years), and hours in an area prevent a share of its expected incidents with
**diminishing returns**: the first hours (reaching the known groups, clearing the
fly-tipping) prevent most, later hours less, and no amount prevents everything.

The response is piecewise linear: ``effect`` is a list of segments ``(hours,
share_per_hour)``, each hour in the first segment preventing ``share_per_hour`` of
the area's expected incidents, and so on, with the shares not increasing (a concave
response). Maximising the incidents prevented under a total of hours is then a
linear programme, solved with :func:`scipy.optimize.linprog` (HiGHS):

- :func:`segment_table` lists each area's segments with their hours and the incidents
  one hour there prevents (the LP's variables and objective);
- :func:`allocate_hours` solves the LP, with an optional minimum per area;
- :func:`proportional_allocation` shares hours in proportion to a weight (for example
  last year's incidents), the rule of thumb to compare with;
- :func:`fires_prevented` evaluates any allocation under the same response;
- :func:`capacity_curve` gives the incidents prevented by both rules over a range of
  capacities.

Nothing happens on import.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real

import numpy as np
import pandas as pd
from scipy import optimize, sparse

__all__ = ["allocate_hours", "capacity_curve", "fires_prevented", "proportional_allocation", "segment_table"]

_TOL = 1e-9


# --------------------------------------------------------------------------- checks
def _number(value, name: str, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (Real, np.integer, np.floating)) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < 0 or (positive and value == 0):
        raise ValueError(f"{name} must be {'positive' if positive else 'zero or more'}, got {value!r}")
    return float(value)


def _series(values, name: str, index: pd.Index | None = None) -> pd.Series:
    """Return values as a float Series (keeping a Series' index), checked finite and not negative."""
    if isinstance(values, pd.DataFrame):
        raise TypeError(f"{name} must be a Series or a list of numbers, not a DataFrame (pick one column)")
    if isinstance(values, pd.Series):
        series = values
    else:
        if isinstance(values, (str, bytes)) or np.ndim(values) != 1:
            raise ValueError(f"{name} must be a one-dimensional list or Series of numbers, got {values!r}")
        series = pd.Series(list(values), index=index if index is not None and len(index) == len(values) else None)
    try:
        series = series.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers") from None
    if series.isna().any() or not np.isfinite(series.to_numpy()).all():
        raise ValueError(f"{name} must not hold missing or infinite values")
    if (series < 0).any():
        raise ValueError(f"{name} must not be negative; it is for {', '.join(map(str, series.index[series < 0][:5]))}")
    if series.index.has_duplicates:
        raise ValueError(f"{name} lists some areas more than once: {', '.join(map(str, series.index[series.index.duplicated()][:5]))}")
    return series


def _per_area(value, name: str, index: pd.Index) -> pd.Series:
    """A scalar or a Series over the areas of ``index``."""
    if isinstance(value, pd.Series):
        series = _series(value, name)
        missing = index.difference(series.index)
        if len(missing):
            raise ValueError(f"{name} has no value for these areas: {', '.join(map(str, missing[:5]))}")
        return series.reindex(index)
    return pd.Series(_number(value, name), index=index)


def _effect(effect) -> tuple[np.ndarray, np.ndarray]:
    """Check a piecewise-linear response and return its segment hours and shares per hour."""
    try:
        pairs = [tuple(p) for p in effect]
    except TypeError:
        raise ValueError(f"effect must be a list of (hours, share_per_hour) pairs, got {effect!r}") from None
    if not pairs or any(len(p) != 2 for p in pairs):
        raise ValueError(f"effect must be a non-empty list of (hours, share_per_hour) pairs, got {effect!r}")
    hours = np.array([_number(h, "effect hours", positive=True) for h, _ in pairs])
    share = np.array([_number(s, "effect share_per_hour") for _, s in pairs])
    if (np.diff(share) > _TOL).any():
        raise ValueError("effect must have diminishing returns: each segment's share_per_hour must not exceed "
                         f"the one before (got {share.tolist()})")
    if (hours * share).sum() > 1 + _TOL:
        raise ValueError(f"effect would prevent {100 * (hours * share).sum():.0f}% of an area's expected incidents; "
                         "the segments' hours times shares must add up to at most 1")
    return hours, share


def _expected(expected) -> pd.Series:
    series = _series(expected, "expected")
    if series.empty:
        raise ValueError("expected must hold at least one area")
    return series.rename("expected")


# --------------------------------------------------------------------------- the response
def segment_table(expected, max_per_area, effect) -> pd.DataFrame:
    """List every area's segments of the response: the variables of the allocation LP.

    Parameters
    ----------
    expected : pandas.Series or sequence of float
        Expected incidents per area (not negative), indexed by area.
    max_per_area : float or pandas.Series
        The most hours any one area can take (one number, or one per area).
    effect : sequence of (float, float)
        Segments ``(hours, share_per_hour)`` of the response, shares not increasing.

    Returns
    -------
    pandas.DataFrame
        One row per area and segment, in the order of ``expected`` and of the
        segments, with ``area``, ``segment`` (1, 2, ...), ``hours`` (the segment's
        hours, cut at ``max_per_area``; segments beyond it are left out) and ``value``
        (incidents prevented by one hour there: expected times share).

    Raises
    ------
    ValueError
        If ``expected`` or ``max_per_area`` is negative or not numeric, or ``effect``
        is malformed, does not diminish or would prevent more than all incidents.
    """
    exp = _expected(expected)
    cap = _per_area(max_per_area, "max_per_area", exp.index)
    hours, share = _effect(effect)
    start = np.concatenate([[0.0], np.cumsum(hours)[:-1]])
    rows = np.repeat(np.arange(len(exp)), len(hours))
    seg = np.tile(np.arange(len(hours)), len(exp))
    room = np.clip(cap.to_numpy()[rows] - start[seg], 0.0, hours[seg])
    table = pd.DataFrame({"area": exp.index[rows], "segment": seg + 1, "hours": room,
                          "value": exp.to_numpy()[rows] * share[seg]})
    return table[table["hours"] > 0].reset_index(drop=True)


def fires_prevented(hours, expected, effect) -> pd.Series:
    """Incidents prevented in each area by an allocation of hours.

    Hours fill an area's segments in order; hours beyond the last segment prevent
    nothing more.

    Parameters
    ----------
    hours : pandas.Series or sequence of float
        Hours given to each area (not negative). A Series must cover the same areas as
        ``expected`` (in any order); a list is taken in the order of ``expected``.
    expected : pandas.Series or sequence of float
        Expected incidents per area (not negative).
    effect : sequence of (float, float)
        Segments ``(hours, share_per_hour)`` of the response, shares not increasing.

    Returns
    -------
    pandas.Series
        ``prevented``: incidents prevented per area, indexed like ``expected``.

    Raises
    ------
    ValueError
        If ``hours`` and ``expected`` do not cover the same areas, hold negative or
        missing values, or ``effect`` is malformed.
    """
    exp = _expected(expected)
    given = _series(hours, "hours", index=exp.index)
    if len(given) != len(exp) or set(given.index) != set(exp.index):
        raise ValueError(f"hours must cover the same areas as expected ({len(given)} values for {len(exp)} areas)")
    given = given.reindex(exp.index)
    seg_hours, share = _effect(effect)
    start = np.concatenate([[0.0], np.cumsum(seg_hours)[:-1]])
    filled = np.clip(given.to_numpy()[:, None] - start[None, :], 0.0, seg_hours[None, :])
    return pd.Series(exp.to_numpy() * (filled * share).sum(axis=1), index=exp.index, name="prevented")


# --------------------------------------------------------------------------- allocations
def allocate_hours(expected, capacity, max_per_area, effect, min_per_area=0.0) -> pd.DataFrame:
    """Allocate hours across areas to prevent the most incidents: a linear programme.

    Maximises the incidents prevented, the sum over areas and segments of ``value``
    times hours (see :func:`segment_table`), subject to the hours adding up to at
    most ``capacity``, each segment's hours lying between 0 and its length, and each
    area getting at least ``min_per_area`` and at most ``max_per_area`` hours. Because
    the response diminishes, the solver fills an area's segments in order. Solved with
    :func:`scipy.optimize.linprog` (HiGHS).

    Parameters
    ----------
    expected : pandas.Series or sequence of float
        Expected incidents per area in the period the hours cover (not negative),
        indexed by area.
    capacity : float
        Total hours available (zero or more).
    max_per_area : float or pandas.Series
        The most hours one area can take (one number, or one per area).
    effect : sequence of (float, float)
        Segments ``(hours, share_per_hour)`` of the response: each hour in a segment
        prevents ``share_per_hour`` of the area's expected incidents; shares must not
        increase from one segment to the next.
    min_per_area : float or pandas.Series, default 0
        Hours each area must get whatever it prevents (an equity floor or a standing
        commitment), at most ``max_per_area``.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``expected``, with ``expected``, ``hours`` and ``prevented``
        (from :func:`fires_prevented`). ``attrs`` hold ``capacity``, ``hours_used`` and
        ``prevented`` (the total).

    Raises
    ------
    ValueError
        If an argument is negative or not numeric, ``effect`` is malformed, a minimum
        exceeds its area's maximum or the minimums add up to more than ``capacity``.
    RuntimeError
        If the solver fails (it should not for a valid problem).

    Examples
    --------
    >>> plan = allocate_hours(pd.Series({"A": 20.0, "B": 2.0}), 30, 40, [(10, 0.02), (30, 0.005)])
    >>> plan["hours"].round(1).tolist()
    [30.0, 0.0]
    """
    exp = _expected(expected)
    total = _number(capacity, "capacity")
    cap = _per_area(max_per_area, "max_per_area", exp.index)
    floor = _per_area(min_per_area, "min_per_area", exp.index)
    seg_hours, _ = _effect(effect)
    if (floor > cap + _TOL).any():
        bad = floor.index[floor > cap + _TOL]
        raise ValueError(f"min_per_area exceeds max_per_area for {', '.join(map(str, bad[:5]))}")
    if floor.sum() > total + _TOL:
        raise ValueError(f"min_per_area adds up to {floor.sum():g} hours, more than the capacity of {total:g}")

    pieces = segment_table(exp, cap, effect)
    # Hours an area must take beyond its segments (a minimum above them) prevent nothing:
    # a filler variable per area, with a tiny cost so the solver never uses it unless forced.
    beyond = (cap - float(seg_hours.sum())).clip(lower=0.0)
    fill = pd.DataFrame({"area": exp.index, "segment": 0, "hours": beyond.to_numpy(), "value": -1e-9})
    pieces = pd.concat([pieces, fill[fill["hours"] > 0]], ignore_index=True)
    area_pos = pd.Series(np.arange(len(exp)), index=exp.index)
    if pieces.empty:
        hours = pd.Series(0.0, index=exp.index)
    else:
        which = area_pos.loc[pieces["area"]].to_numpy()
        n = len(pieces)
        rows = [np.ones((1, n))]
        rhs = [total]
        needs = np.flatnonzero(floor.to_numpy() > 0)
        if len(needs):
            member = sparse.csr_matrix((np.ones(n), (which, np.arange(n))), shape=(len(exp), n))
            rows.append(-member[needs])
            rhs.extend(-floor.to_numpy()[needs])
        a_ub = sparse.vstack([sparse.csr_matrix(r) for r in rows]).tocsr()
        # Prefer earlier segments among equal values (zero-expected areas), so hours fill in order.
        tie = 1e-12 * pieces["segment"].to_numpy()
        result = optimize.linprog(-(pieces["value"].to_numpy() - tie), A_ub=a_ub, b_ub=np.asarray(rhs, dtype=float),
                                  bounds=np.column_stack([np.zeros(n), pieces["hours"].to_numpy()]), method="highs")
        if result.status != 0:
            raise RuntimeError(f"the allocation LP was not solved: {result.message}")
        x = np.clip(result.x, 0.0, pieces["hours"].to_numpy())
        hours = pd.Series(np.bincount(which, weights=x, minlength=len(exp)), index=exp.index)
    hours = hours.clip(lower=floor, upper=cap).round(9)
    plan = pd.DataFrame({"expected": exp, "hours": hours, "prevented": fires_prevented(hours, exp, effect)})
    plan.attrs.update(capacity=total, hours_used=float(hours.sum()), prevented=float(plan["prevented"].sum()))
    return plan


def proportional_allocation(weights, capacity, max_per_area, redistribute: bool = True) -> pd.Series:
    """Share hours in proportion to a weight, such as last year's incidents.

    Parameters
    ----------
    weights : pandas.Series or sequence of float
        The weight of each area (not negative), indexed by area; areas of weight 0 get
        no hours.
    capacity : float
        Total hours available (zero or more).
    max_per_area : float or pandas.Series
        The most hours one area can take.
    redistribute : bool, default True
        Give the hours an area cannot take (above its maximum) to the other areas, again
        in proportion to their weights, until none is over its maximum or every area
        with weight is full. With False the shares are simply cut at the maximum and the
        excess is left unused.

    Returns
    -------
    pandas.Series
        ``hours`` per area, indexed like ``weights``; they add up to at most ``capacity``.

    Raises
    ------
    ValueError
        If an argument is negative or not numeric.

    Examples
    --------
    >>> proportional_allocation(pd.Series({"A": 6, "B": 3, "C": 1}), 20, 10).round(2).tolist()
    [10.0, 7.5, 2.5]
    """
    w = _series(weights, "weights")
    total = _number(capacity, "capacity")
    cap = _per_area(max_per_area, "max_per_area", w.index)
    hours = pd.Series(0.0, index=w.index, name="hours")
    if w.sum() <= 0 or total <= 0:
        return hours
    if not redistribute:
        return (total * w / w.sum()).clip(upper=cap).rename("hours")
    active = (w > 0) & (cap > 0)
    left = total
    while left > _TOL and active.any():
        share = left * w[active] / w[active].sum()
        room = cap[active] - hours[active]
        full = share >= room - _TOL
        if not full.any():
            hours[active] += share
            break
        hours[full[full].index] = cap[full[full].index]
        left = total - hours.sum()
        active &= ~hours.index.isin(full[full].index)
    return hours


def capacity_curve(expected, weights, capacities: Sequence[float], max_per_area, effect) -> pd.DataFrame:
    """Incidents prevented by the optimal and the proportional allocation at several capacities.

    Parameters
    ----------
    expected : pandas.Series or sequence of float
        Expected incidents per area (not negative), indexed by area.
    weights : pandas.Series or sequence of float
        Weights of the proportional rule (for example last year's incidents), for the
        same areas.
    capacities : sequence of float
        Total hours to try (zero or more each).
    max_per_area : float or pandas.Series
        The most hours one area can take.
    effect : sequence of (float, float)
        Segments ``(hours, share_per_hour)`` of the response.

    Returns
    -------
    pandas.DataFrame
        One row per capacity with ``capacity``, ``optimal`` and ``proportional``
        (incidents prevented) and ``gain`` (optimal less proportional).

    Raises
    ------
    ValueError
        As :func:`allocate_hours` and :func:`proportional_allocation`, or if
        ``capacities`` is empty.
    """
    exp = _expected(expected)
    w = _series(weights, "weights", index=exp.index)
    if set(w.index) != set(exp.index):
        raise ValueError("weights must cover the same areas as expected")
    levels = [_number(c, "capacities") for c in np.atleast_1d(np.asarray(capacities, dtype=object))]
    if not levels:
        raise ValueError("capacities must hold at least one capacity")
    rows = []
    for level in levels:
        best = allocate_hours(exp, level, max_per_area, effect).attrs["prevented"]
        share = fires_prevented(proportional_allocation(w.reindex(exp.index), level, max_per_area), exp, effect).sum()
        rows.append({"capacity": level, "optimal": best, "proportional": float(share), "gain": best - float(share)})
    return pd.DataFrame(rows)
