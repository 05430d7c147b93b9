"""Costing a shared service: a scenario model of costs, cost shares, sensitivity and value.

A business case for a shared service (an Office of Data Analytics for ten councils, a
joint procurement team, a shared contact centre) rests on a table of **cost
assumptions**: one row per item with its category, whether it is paid once or every
year, a quantity (posts, licences, agreements a year), a unit cost and a low and a high
unit cost. Staff pay carries employer on-costs (National Insurance and pension), entered
as a row whose ``unit`` is :data:`ON_COST_UNIT` and whose unit cost is a share of the
recurring staff pay (0.30 for 30%).

- :func:`line_costs` prices each row once; :func:`annual_costs` spreads them over the
  years (one-off costs in year 1, recurring costs every year) and :func:`total_cost`
  adds them up;
- :func:`key_figures` gives the posts, pay, on-cost rate and platform cost a scenario
  starts from, and :func:`adjust` makes a scenario: another headcount, on-cost rate or
  platform cost;
- :func:`share_costs` divides a total between members by population, by expected use
  or equally, in pennies that add up to the total exactly (largest remainder);
- :func:`tornado` varies one assumption at a time from its low to its high value and
  :func:`plot_tornado` draws the result;
- :func:`monte_carlo_cost` and :func:`monte_carlo_benefit` draw every assumption at once
  from a triangular distribution (low, most likely, high) with :mod:`numpy`;
- :func:`benefit_values` and :func:`break_even` give the value case: what the benefits
  are worth a year and when, if ever, they repay the costs;
- :func:`scenario_view` and :func:`scenario_explorer` show the cost per member and the
  tornado chart for a scenario, the second with sliders.

Amounts are in pounds in today's prices. Nothing happens on import.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

__all__ = [
    "CATEGORIES",
    "ON_COST_UNIT",
    "SHARING_BASES",
    "BreakEven",
    "adjust",
    "annual_costs",
    "benefit_values",
    "break_even",
    "key_figures",
    "line_costs",
    "monte_carlo_benefit",
    "monte_carlo_cost",
    "plot_tornado",
    "scenario_explorer",
    "scenario_view",
    "share_costs",
    "staff_posts",
    "tornado",
    "total_cost",
    "triangular_mean",
]

CATEGORIES: tuple[str, ...] = ("staff", "platform", "governance", "training")
ON_COST_UNIT = "share of pay"  # the unit of a row priced as a share of the recurring staff pay
SHARING_BASES: tuple[str, ...] = ("population", "use", "equal")

_COST_COLUMNS = ("item", "category", "one_off", "quantity", "unit_cost")
_BENEFIT_COLUMNS = ("benefit", "quantity", "unit_value")


# --------------------------------------------------------------------------- checks
def _number(value, name: str, *, positive: bool = False, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (Real, np.integer, np.floating)) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < 0 or (positive and value == 0):
        raise ValueError(f"{name} must be {'positive' if positive else 'zero or more'}, got {value!r}")
    if integer and value != int(value):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return float(value)


def _table(frame, name: str, required: Sequence[str], numeric: Sequence[str]) -> pd.DataFrame:
    """Check a table of assumptions and return a copy with a clean index."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {missing}; it has: {', '.join(map(str, frame.columns))}")
    if frame.empty:
        raise ValueError(f"{name} has no rows")
    out = frame.reset_index(drop=True).copy()
    for col in numeric:
        if col not in out.columns:
            continue
        values = pd.to_numeric(out[col], errors="coerce").astype(float)
        if values.isna().any() or not np.isfinite(values.to_numpy()).all():
            rows = out.loc[values.isna(), required[0]].astype(str).tolist()[:5]
            raise ValueError(f"{name}: column {col!r} must hold a number in every row; it does not for {rows}")
        if (values < 0).any():
            rows = out.loc[values < 0, required[0]].astype(str).tolist()[:5]
            raise ValueError(f"{name}: column {col!r} must not be negative; it is for {rows}")
        out[col] = values
    key = required[0]
    if out[key].duplicated().any():
        raise ValueError(f"{name}: each {key} must appear once; repeated: {out.loc[out[key].duplicated(), key].tolist()[:5]}")
    return out


def _costs(assumptions, name: str = "assumptions", ranges: bool = False) -> pd.DataFrame:
    required = list(_COST_COLUMNS) + (["low", "high"] if ranges else [])
    table = _table(assumptions, name, required, ["quantity", "unit_cost", "low", "high"])
    unknown = sorted(set(table["category"].astype(str)) - set(CATEGORIES))
    if unknown:
        raise ValueError(f"{name}: category must be one of {', '.join(CATEGORIES)}; found {unknown}")
    flags = table["one_off"]
    if flags.isna().any() or not flags.isin([True, False]).all():
        raise ValueError(f"{name}: one_off must be True or False in every row")
    table["one_off"] = flags.astype(bool)
    if ranges:
        bad = (table["low"] > table["unit_cost"]) | (table["unit_cost"] > table["high"])
        if bad.any():
            raise ValueError(f"{name}: each row needs low <= unit_cost <= high; it does not for {table.loc[bad, 'item'].tolist()[:5]}")
    return table


def _on_cost_rows(table: pd.DataFrame) -> np.ndarray:
    if "unit" not in table.columns:
        return np.zeros(len(table), dtype=bool)
    return table["unit"].astype("string").str.strip().str.casefold().eq(ON_COST_UNIT).fillna(False).to_numpy(dtype=bool)


def _pay_rows(table: pd.DataFrame) -> np.ndarray:
    """Rows that are recurring staff pay (the base that on-costs apply to)."""
    return (table["category"].eq("staff").to_numpy() & ~table["one_off"].to_numpy(dtype=bool)
            & ~_on_cost_rows(table))


def _line_matrix(table: pd.DataFrame, unit_costs: np.ndarray) -> np.ndarray:
    """Line costs for one or many draws of the unit costs (shape (rows,) or (draws, rows))."""
    quantity = table["quantity"].to_numpy(dtype=float)
    lines = unit_costs * quantity
    on = _on_cost_rows(table)
    if on.any():
        pay = lines[..., _pay_rows(table)].sum(axis=-1, keepdims=True)
        lines = np.where(on, lines * pay, lines)
    return lines


def _years(years) -> int:
    return int(_number(years, "years", positive=True, integer=True))


# --------------------------------------------------------------------------- costs
def line_costs(assumptions: pd.DataFrame) -> pd.Series:
    """Price each cost assumption once: quantity times unit cost.

    A row whose ``unit`` is :data:`ON_COST_UNIT` ("share of pay") costs its quantity
    times its unit cost (the on-cost rate, such as 0.30) times the **recurring staff
    pay**: the line costs of the recurring ``staff`` rows that are not themselves
    on-costs.

    Parameters
    ----------
    assumptions : pandas.DataFrame
        One row per item with ``item`` (unique), ``category`` (one of
        :data:`CATEGORIES`), ``one_off`` (bool), ``quantity`` and ``unit_cost``, and
        optionally ``unit``.

    Returns
    -------
    pandas.Series
        ``cost``: the cost of each item (a year's cost for a recurring item), indexed
        by item in the order of ``assumptions``.

    Raises
    ------
    TypeError
        If ``assumptions`` is not a DataFrame.
    ValueError
        If a column is missing, a number is missing or negative, an item repeats or a
        category is unknown.
    """
    table = _costs(assumptions)
    lines = _line_matrix(table, table["unit_cost"].to_numpy(dtype=float))
    return pd.Series(lines, index=pd.Index(table["item"], name="item"), name="cost")


def annual_costs(assumptions: pd.DataFrame, years: int = 5) -> pd.DataFrame:
    """Spread the costs over the years: one-off costs in year 1, recurring costs every year.

    Parameters
    ----------
    assumptions : pandas.DataFrame
        The cost assumptions, as for :func:`line_costs`.
    years : int, default 5
        The number of years the business case covers.

    Returns
    -------
    pandas.DataFrame
        One row per item, indexed by ``category`` and ``item``, and one column per
        year (1, 2, ..., ``years``; the columns are named ``year``), in today's prices.
        ``.sum()`` gives the cost of each year, ``.groupby(level="category").sum()``
        the cost of each category and ``.to_numpy().sum()`` the total.

    Raises
    ------
    TypeError
        If ``assumptions`` is not a DataFrame.
    ValueError
        If ``years`` is not a positive whole number, or the assumptions are invalid
        (see :func:`line_costs`).
    """
    n = _years(years)
    table = _costs(assumptions)
    lines = _line_matrix(table, table["unit_cost"].to_numpy(dtype=float))
    one_off = table["one_off"].to_numpy(dtype=bool)
    grid = np.where(one_off[:, None], 0.0, lines[:, None]) * np.ones((1, n))
    grid[:, 0] = lines
    index = pd.MultiIndex.from_arrays([table["category"].astype(str), table["item"].astype(str)], names=["category", "item"])
    return pd.DataFrame(grid, index=index, columns=pd.Index(range(1, n + 1), name="year"))


def total_cost(assumptions: pd.DataFrame, years: int = 5) -> float:
    """The total cost over the years: the one-off costs plus ``years`` times the recurring costs.

    Parameters
    ----------
    assumptions : pandas.DataFrame
        The cost assumptions, as for :func:`line_costs`.
    years : int, default 5
        The number of years.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If ``assumptions`` is not a DataFrame.
    ValueError
        If ``years`` is not a positive whole number or the assumptions are invalid.
    """
    n = _years(years)
    table = _costs(assumptions)
    lines = _line_matrix(table, table["unit_cost"].to_numpy(dtype=float))
    one_off = table["one_off"].to_numpy(dtype=bool)
    return float(lines[one_off].sum() + n * lines[~one_off].sum())


def key_figures(assumptions: pd.DataFrame) -> pd.Series:
    """The figures a scenario starts from: posts, pay, on-cost rate, platform cost and totals.

    Parameters
    ----------
    assumptions : pandas.DataFrame
        The cost assumptions, as for :func:`line_costs`.

    Returns
    -------
    pandas.Series
        ``posts`` (the quantity of the recurring staff rows, usually full-time
        equivalents), ``pay`` (their cost a year before on-costs), ``on_cost_rate``
        (the unit cost of the first :data:`ON_COST_UNIT` row; NaN without one),
        ``platform`` (the recurring platform cost a year), ``one_off`` (all one-off
        costs) and ``recurring`` (all recurring costs a year).

    Raises
    ------
    TypeError
        If ``assumptions`` is not a DataFrame.
    ValueError
        If the assumptions are invalid (see :func:`line_costs`).
    """
    table = _costs(assumptions)
    lines = _line_matrix(table, table["unit_cost"].to_numpy(dtype=float))
    one_off = table["one_off"].to_numpy(dtype=bool)
    pay, on = _pay_rows(table), _on_cost_rows(table)
    platform = table["category"].eq("platform").to_numpy() & ~one_off
    return pd.Series({
        "posts": float(table.loc[pay, "quantity"].sum()),
        "pay": float(lines[pay].sum()),
        "on_cost_rate": float(table.loc[on, "unit_cost"].iloc[0]) if on.any() else float("nan"),
        "platform": float(lines[platform].sum()),
        "one_off": float(lines[one_off].sum()),
        "recurring": float(lines[~one_off].sum()),
    }, name="value")


def staff_posts(assumptions: pd.DataFrame) -> pd.Series:
    """The posts of the recurring staff rows (on-cost rows left out).

    Parameters
    ----------
    assumptions : pandas.DataFrame
        The cost assumptions, as for :func:`line_costs`.

    Returns
    -------
    pandas.Series
        ``posts``: the quantity of each recurring staff item (usually full-time
        equivalents), indexed by item.

    Raises
    ------
    TypeError
        If ``assumptions`` is not a DataFrame.
    ValueError
        If the assumptions are invalid (see :func:`line_costs`).
    """
    table = _costs(assumptions)
    pay = _pay_rows(table)
    return pd.Series(table.loc[pay, "quantity"].to_numpy(), index=pd.Index(table.loc[pay, "item"], name="item"), name="posts")


def adjust(assumptions: pd.DataFrame, *, headcount: float | None = None, on_cost: float | None = None,
           platform: float | None = None) -> pd.DataFrame:
    """Make a scenario: change the headcount, the on-cost rate or the platform's yearly cost.

    Parameters
    ----------
    assumptions : pandas.DataFrame
        The cost assumptions, as for :func:`line_costs`.
    headcount : float, optional
        The posts (full-time equivalents) of the recurring staff rows in all; each
        row's quantity is scaled by the same factor, so the mix of roles is kept.
    on_cost : float, optional
        The on-cost rate (0.30 for 30% of pay) for every :data:`ON_COST_UNIT` row; a
        row's ``low`` and ``high`` are widened to include it when they exist.
    platform : float, optional
        The yearly cost of the recurring ``platform`` rows in all; their unit costs
        (and ``low`` and ``high``) are scaled by the same factor.

    Returns
    -------
    pandas.DataFrame
        A changed copy; ``assumptions`` is left as it was.

    Raises
    ------
    TypeError
        If ``assumptions`` is not a DataFrame.
    ValueError
        If a value is negative or not a number, or the assumptions have no row to
        change (no recurring staff, no on-cost row, no recurring platform cost).
    """
    table = _costs(assumptions)
    out = assumptions.copy()
    index = out.index
    if headcount is not None:
        target = _number(headcount, "headcount")
        pay = _pay_rows(table)
        now = table.loc[pay, "quantity"].sum()
        if now <= 0:
            raise ValueError("headcount: the assumptions have no recurring staff posts to scale")
        out.loc[index[pay], "quantity"] = table.loc[pay, "quantity"].to_numpy() * target / now
    if on_cost is not None:
        rate = _number(on_cost, "on_cost")
        on = _on_cost_rows(table)
        if not on.any():
            raise ValueError(f"on_cost: the assumptions have no row whose unit is {ON_COST_UNIT!r}")
        out.loc[index[on], "unit_cost"] = rate
        for col, pick in (("low", np.minimum), ("high", np.maximum)):
            if col in out.columns:
                out.loc[index[on], col] = pick(pd.to_numeric(out.loc[index[on], col]).to_numpy(dtype=float), rate)
    if platform is not None:
        target = _number(platform, "platform")
        rows = table["category"].eq("platform").to_numpy() & ~table["one_off"].to_numpy(dtype=bool)
        now = (table.loc[rows, "quantity"] * table.loc[rows, "unit_cost"]).sum()
        if now <= 0:
            raise ValueError("platform: the assumptions have no recurring platform cost to scale")
        for col in ("unit_cost", "low", "high"):
            if col in out.columns:
                out.loc[index[rows], col] = pd.to_numeric(out.loc[index[rows], col]).to_numpy(dtype=float) * target / now
    return out


# --------------------------------------------------------------------------- sharing
def share_costs(total: float, councils: pd.DataFrame, basis: str = "population",
                usage: pd.Series | Mapping[str, float] | None = None) -> pd.DataFrame:
    """Share a total between members by population, by expected use or equally, to the penny.

    Each member's exact share is the total times its weight over the sum of the
    weights. The amounts are rounded to whole pennies by the **largest remainder**
    method: every member gets its exact share rounded down, and the pennies left over
    go one each to the members with the largest fractions, so the amounts add up to
    the total exactly and none is more than a penny from its exact share.

    Parameters
    ----------
    total : float
        The amount to share (pounds, not negative); it is first rounded to the penny.
    councils : pandas.DataFrame
        The members, one row each, with ``name`` and ``population_2021`` (as
        :func:`curriculum.councils` returns them).
    basis : {"population", "use", "equal"}, default "population"
        What the shares follow: residents, expected use (``usage``) or nothing
        (equal shares).
    usage : pandas.Series or mapping, optional
        Expected use of each member (projects a year, say), indexed by name; needed
        for ``basis="use"`` and must cover every member.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``council`` in the order of ``councils``, with ``weight``,
        ``share`` (of the total, adding up to 1) and ``amount`` (pounds, whole
        pennies, adding up to the total).

    Raises
    ------
    TypeError
        If ``councils`` is not a DataFrame.
    ValueError
        If ``total`` is negative or not a number, ``basis`` is unknown, a column is
        missing, names repeat, ``usage`` is missing or misses a member, or the weights
        are negative or all zero.
    """
    amount = _number(total, "total")
    if basis not in SHARING_BASES:
        raise ValueError(f"basis must be one of {', '.join(SHARING_BASES)}, got {basis!r}")
    if not isinstance(councils, pd.DataFrame):
        raise TypeError(f"councils must be a pandas DataFrame (curriculum.councils()), got {type(councils).__name__}")
    if "name" not in councils.columns:
        raise ValueError("councils must have a 'name' column (curriculum.councils() gives one)")
    names = councils["name"].astype(str)
    if names.duplicated().any():
        raise ValueError(f"councils: each name must appear once; repeated: {names[names.duplicated()].tolist()}")
    if basis == "population":
        if "population_2021" not in councils.columns:
            raise ValueError("councils must have a 'population_2021' column to share by population")
        weights = pd.to_numeric(councils["population_2021"], errors="coerce").to_numpy(dtype=float)
    elif basis == "use":
        if usage is None:
            raise ValueError("usage is needed to share by use: expected use per council, indexed by council name")
        use = pd.Series(usage, dtype=float) if not isinstance(usage, pd.Series) else pd.to_numeric(usage, errors="coerce")
        use.index = use.index.astype(str)
        if use.index.has_duplicates:
            raise ValueError(f"usage lists some councils twice: {sorted(set(use.index[use.index.duplicated()]))}")
        missing = [n for n in names if n not in use.index]
        if missing:
            raise ValueError(f"usage has no value for {', '.join(missing)}; give every council's expected use")
        weights = use.reindex(names).to_numpy(dtype=float)
    else:
        weights = np.ones(len(names))
    if np.isnan(weights).any() or not np.isfinite(weights).all() or (weights < 0).any():
        raise ValueError(f"the {basis} weights must be numbers, none negative or missing")
    if weights.sum() <= 0:
        raise ValueError(f"the {basis} weights are all zero: nothing to share by")
    share = weights / weights.sum()
    pennies = round(amount * 100)
    exact = pennies * share
    floor = np.floor(exact).astype(np.int64)
    left = pennies - int(floor.sum())
    order = np.argsort(-(exact - floor), kind="stable")
    floor[order[:left]] += 1
    return pd.DataFrame({"weight": weights, "share": share, "amount": floor / 100},
                        index=pd.Index(names.to_numpy(), name="council"))


# --------------------------------------------------------------------------- sensitivity
def tornado(model: Callable[[pd.DataFrame], float], assumptions: pd.DataFrame, value: str = "unit_cost",
            label: str = "item") -> pd.DataFrame:
    """Vary one assumption at a time from its low to its high value: the data of a tornado chart.

    Parameters
    ----------
    model : callable
        Takes a table of assumptions and returns one number (for example
        ``lambda a: total_cost(a, 5)``).
    assumptions : pandas.DataFrame
        The assumptions, with the ``value`` column, ``low``, ``high`` and ``label``.
    value : str, default "unit_cost"
        The column that ``low`` and ``high`` are alternatives to (``"quantity"`` for
        benefit assumptions).
    label : str, default "item"
        The column naming each row.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``label``, sorted by ``swing`` (largest first), with ``low`` and
        ``high`` (the inputs), ``at_low`` and ``at_high`` (the model's result with
        that one row at its low or high value, everything else as given) and
        ``swing`` (``|at_high - at_low|``). ``.attrs["base"]`` holds the model's
        result for the assumptions as given.

    Raises
    ------
    TypeError
        If ``model`` is not callable or ``assumptions`` is not a DataFrame.
    ValueError
        If a column is missing, a range is missing or negative, labels repeat, or the
        model does not return a finite number.
    """
    if not callable(model):
        raise TypeError(f"model must be a function of the assumptions, got {type(model).__name__}")
    table = _table(assumptions, "assumptions", [label, value, "low", "high"], [value, "low", "high"])
    original = assumptions.reset_index(drop=True)

    def run(frame: pd.DataFrame) -> float:
        result = model(frame)
        if isinstance(result, bool) or not isinstance(result, (Real, np.integer, np.floating)) or not np.isfinite(result):
            raise ValueError(f"model must return a finite number, got {result!r}")
        return float(result)

    base = run(original.copy())
    rows = []
    for i in range(len(table)):
        outcome = {}
        for end in ("low", "high"):
            changed = original.copy()
            changed[value] = changed[value].astype(float)
            changed.loc[i, value] = table.loc[i, end]
            outcome[end] = run(changed)
        rows.append({label: table.loc[i, label], "low": table.loc[i, "low"], "high": table.loc[i, "high"],
                     "at_low": outcome["low"], "at_high": outcome["high"],
                     "swing": abs(outcome["high"] - outcome["low"])})
    result = pd.DataFrame(rows).set_index(label).sort_values("swing", ascending=False, kind="stable")
    result.attrs["base"] = base
    return result


def plot_tornado(table: pd.DataFrame, ax=None, top: int = 10, title: str | None = None,
                 xlabel: str = "Total cost (GBP)", translate: Callable[[str], str] | None = None):
    """Draw a tornado chart: one bar per assumption from its low to its high result.

    Parameters
    ----------
    table : pandas.DataFrame
        The result of :func:`tornado` (with ``at_low``, ``at_high``, ``swing`` and
        ``.attrs["base"]``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure without pyplot when None.
    top : int, default 10
        How many assumptions to show (those with the largest swings).
    title : str, optional
        The chart's title.
    xlabel : str, default "Total cost (GBP)"
        The label of the horizontal axis.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``table`` lacks a column or its base, or ``top`` is not a positive whole number.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    from curriculum.style import HIGHLIGHT, MUTED

    say = translate or (lambda s: s)
    if not isinstance(table, pd.DataFrame) or not {"at_low", "at_high", "swing"} <= set(table.columns):
        raise ValueError("table must be the result of tornado(): columns at_low, at_high and swing")
    if "base" not in table.attrs:
        raise ValueError("table has no base result in table.attrs['base']: make it with tornado()")
    n = int(_number(top, "top", positive=True, integer=True))
    shown = table.sort_values("swing", ascending=False, kind="stable").head(n).iloc[::-1]
    base = table.attrs["base"]
    if ax is None:
        ax = Figure(figsize=(8, 0.45 * len(shown) + 1.5)).subplots()
    y = np.arange(len(shown))
    low, high = shown["at_low"].to_numpy(dtype=float), shown["at_high"].to_numpy(dtype=float)
    ax.barh(y, low - base, left=base, color=MUTED, zorder=3)
    ax.barh(y, high - base, left=base, color=HIGHLIGHT, zorder=3)
    ax.axvline(base, color="#3D3D3D", linewidth=1)
    ax.set_yticks(y, [str(i) for i in shown.index])
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"£{v / 1e6:,.2f}m" if abs(v) >= 1e6 else f"£{v / 1e3:,.0f}k")
    ax.set(xlabel=say(xlabel), title=title or say("What moves the total most"))
    ax.legend(handles=[Patch(color=MUTED, label=say("assumption at its low value")),
                       Patch(color=HIGHLIGHT, label=say("assumption at its high value"))], fontsize=8, loc="lower right")
    return ax


# --------------------------------------------------------------------------- uncertainty
def triangular_mean(low, mode, high):
    """The mean of a triangular distribution: (low + mode + high) / 3.

    Parameters
    ----------
    low, mode, high : float or array-like
        The lower limit, most likely value and upper limit.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        If ``low <= mode <= high`` does not hold.
    """
    a, c, b = (np.asarray(v, dtype=float) for v in (low, mode, high))
    if not ((a <= c) & (c <= b)).all():
        raise ValueError("low <= mode <= high must hold")
    mean = (a + b + c) / 3
    return float(mean) if mean.ndim == 0 else mean


def _draw(rng: np.random.Generator, low: np.ndarray, mode: np.ndarray, high: np.ndarray, n: int) -> np.ndarray:
    """n draws of each triangular distribution (columns), constant where low == high."""
    draws = np.tile(mode, (n, 1)).astype(float)
    spread = high > low
    if spread.any():
        draws[:, spread] = rng.triangular(low[spread], mode[spread], high[spread], size=(n, int(spread.sum())))
    return draws


def _seed_and_n(n, seed) -> tuple[int, np.random.Generator]:
    size = int(_number(n, "n", positive=True, integer=True))
    if isinstance(seed, np.random.Generator):
        return size, seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ValueError(f"seed must be a whole number of zero or more (or None), got {seed!r}")
    return size, np.random.default_rng(seed)


def monte_carlo_cost(assumptions: pd.DataFrame, n: int = 10_000, seed: int | None = 0, years: int = 5) -> np.ndarray:
    """Simulate the total cost with every unit cost drawn from a triangular distribution.

    Each row's unit cost is drawn, independently of the others, from the triangular
    distribution with lower limit ``low``, most likely value ``unit_cost`` and upper
    limit ``high`` (:meth:`numpy.random.Generator.triangular`; a row with ``low ==
    high`` stays fixed). A draw holds for the whole period: a salary that turns out
    high is high every year.

    Parameters
    ----------
    assumptions : pandas.DataFrame
        The cost assumptions with ``low`` and ``high`` (see :func:`line_costs`).
    n : int, default 10000
        The number of simulated totals.
    seed : int, numpy.random.Generator or None, default 0
        The seed (record it, so the result can be reproduced), or a generator.
    years : int, default 5
        The number of years.

    Returns
    -------
    numpy.ndarray
        ``n`` simulated totals over the years.

    Raises
    ------
    TypeError
        If ``assumptions`` is not a DataFrame.
    ValueError
        If ``n`` or ``years`` is not a positive whole number, ``seed`` is invalid, or a
        row breaks ``low <= unit_cost <= high``.
    """
    size, rng = _seed_and_n(n, seed)
    span = _years(years)
    table = _costs(assumptions, ranges=True)
    draws = _draw(rng, table["low"].to_numpy(dtype=float), table["unit_cost"].to_numpy(dtype=float),
                  table["high"].to_numpy(dtype=float), size)
    lines = _line_matrix(table, draws)
    one_off = table["one_off"].to_numpy(dtype=bool)
    return lines[:, one_off].sum(axis=1) + span * lines[:, ~one_off].sum(axis=1)


def monte_carlo_benefit(benefits: pd.DataFrame, n: int = 10_000, seed: int | None = 1,
                        ramp: Sequence[float] = (1, 1, 1, 1, 1)) -> np.ndarray:
    """Simulate the total benefit with every quantity drawn from a triangular distribution.

    Each benefit's yearly quantity is drawn from the triangular distribution (``low``,
    ``quantity``, ``high``) and valued at its ``unit_value``; the yearly value is
    realised in each year in the share ``ramp`` gives.

    Parameters
    ----------
    benefits : pandas.DataFrame
        One row per benefit with ``benefit``, ``quantity`` (a year, when fully
        realised), ``unit_value``, ``low`` and ``high`` (of the quantity).
    n : int, default 10000
        The number of simulated totals.
    seed : int, numpy.random.Generator or None, default 1
        The seed, or a generator.
    ramp : sequence of float, default five years at 1
        The share of the full yearly benefit realised in each year.

    Returns
    -------
    numpy.ndarray
        ``n`` simulated total benefits over the years.

    Raises
    ------
    TypeError
        If ``benefits`` is not a DataFrame.
    ValueError
        If a column is missing, a number is negative, a row breaks ``low <= quantity
        <= high``, ``ramp`` is invalid, or ``n`` or ``seed`` is invalid.
    """
    size, rng = _seed_and_n(n, seed)
    realised = _ramp(ramp, None)
    table = _benefits(benefits, ranges=True)
    draws = _draw(rng, table["low"].to_numpy(dtype=float), table["quantity"].to_numpy(dtype=float),
                  table["high"].to_numpy(dtype=float), size)
    return (draws * table["unit_value"].to_numpy(dtype=float)).sum(axis=1) * realised.sum()


# --------------------------------------------------------------------------- value
def _benefits(benefits, ranges: bool = False) -> pd.DataFrame:
    required = list(_BENEFIT_COLUMNS) + (["low", "high"] if ranges else [])
    table = _table(benefits, "benefits", required, ["quantity", "unit_value", "low", "high"])
    if ranges:
        bad = (table["low"] > table["quantity"]) | (table["quantity"] > table["high"])
        if bad.any():
            raise ValueError(f"benefits: each row needs low <= quantity <= high; it does not for {table.loc[bad, 'benefit'].tolist()[:5]}")
    return table


def _ramp(ramp, years: int | None) -> np.ndarray:
    if isinstance(ramp, (str, bytes)) or np.ndim(ramp) != 1 or len(ramp) == 0:
        raise ValueError(f"ramp must be a list of shares, one a year, got {ramp!r}")
    values = np.array([_number(r, "ramp") for r in ramp])
    if (values > 1).any():
        raise ValueError(f"ramp holds shares of the full benefit, each between 0 and 1, got {values.tolist()}")
    if years is not None and len(values) != years:
        raise ValueError(f"ramp must give one share for each of the {years} years, got {len(values)}")
    return values


def benefit_values(benefits: pd.DataFrame) -> pd.DataFrame:
    """What each benefit is worth a year when fully realised, with its low and high values.

    Parameters
    ----------
    benefits : pandas.DataFrame
        One row per benefit with ``benefit``, ``quantity``, ``unit_value`` and
        optionally ``low``, ``high`` (of the quantity) and other columns (kept).

    Returns
    -------
    pandas.DataFrame
        Indexed by benefit, with the input columns and ``value`` (quantity times unit
        value) and, when the ranges are given, ``value_low`` and ``value_high``,
        sorted by ``value`` (largest first).

    Raises
    ------
    TypeError
        If ``benefits`` is not a DataFrame.
    ValueError
        If a column is missing, a number is missing or negative, or a benefit repeats.
    """
    table = _benefits(benefits)
    table["value"] = table["quantity"] * table["unit_value"]
    if {"low", "high"} <= set(table.columns):
        table["value_low"] = table["low"] * table["unit_value"]
        table["value_high"] = table["high"] * table["unit_value"]
    return table.set_index("benefit").sort_values("value", ascending=False, kind="stable")


@dataclass(frozen=True)
class BreakEven:
    """The value case over the years: the yearly table, the break-even year and benefit."""

    table: pd.DataFrame  # one row per year: cost, benefit, net and their running totals (present values)
    year: int | None  # the first year by whose end the benefits have repaid the costs; None if never
    benefit_needed: float  # the full yearly benefit at which benefits just repay costs by the last year
    ratio: float  # total benefit / total cost (present values)


def break_even(annual_cost, annual_benefit: float, ramp: Sequence[float] | None = None,
               discount_rate: float = 0.0) -> BreakEven:
    """When do the benefits repay the costs, and what yearly benefit would break even?

    Parameters
    ----------
    annual_cost : pandas.Series or sequence of float
        The cost of each year (year 1 first), for example ``annual_costs(a).sum()``.
    annual_benefit : float
        The yearly benefit once fully realised (pounds).
    ramp : sequence of float, optional
        The share of ``annual_benefit`` realised in each year (0 to 1), one per
        year; every year in full when None. Benefits usually lag costs: 0.25 in the
        first year, 0.6 in the second, then 1.
    discount_rate : float, default 0.0
        Yearly discount rate for present values (HM Treasury's Green Book uses
        0.035); year 1 is not discounted.

    Returns
    -------
    BreakEven
        ``table`` (one row per year: ``cost``, ``benefit``, ``net`` and the running
        totals ``cumulative_cost``, ``cumulative_benefit``, ``cumulative_net``, in
        present values), ``year`` (the first year whose running net is zero or more,
        or None), ``benefit_needed`` (the yearly benefit at full realisation that makes
        the running net exactly zero in the last year) and ``ratio`` (total benefit
        over total cost).

    Raises
    ------
    TypeError
        If ``annual_cost`` is a DataFrame (add it up by year first).
    ValueError
        If a cost or the benefit is negative or not a number, ``ramp`` has the wrong
        length or a share outside 0 to 1, the discount rate is negative, or the costs
        are all zero.
    """
    if isinstance(annual_cost, pd.DataFrame):
        raise TypeError("annual_cost must be one cost a year (a Series or a list), not a table: use annual_costs(...).sum()")
    if isinstance(annual_cost, (str, bytes)) or np.ndim(annual_cost) != 1 or len(annual_cost) == 0:
        raise ValueError(f"annual_cost must be a list or Series of yearly costs, got {annual_cost!r}")
    costs = np.array([_number(c, "annual_cost") for c in np.asarray(annual_cost, dtype=object)])
    if costs.sum() <= 0:
        raise ValueError("annual_cost must not be all zero")
    benefit = _number(annual_benefit, "annual_benefit")
    realised = np.ones(len(costs)) if ramp is None else _ramp(ramp, len(costs))
    rate = _number(discount_rate, "discount_rate")
    factor = (1 + rate) ** -np.arange(len(costs))
    cost_pv, benefit_pv = costs * factor, benefit * realised * factor
    table = pd.DataFrame({"cost": cost_pv, "benefit": benefit_pv, "net": benefit_pv - cost_pv},
                         index=pd.Index(range(1, len(costs) + 1), name="year"))
    table["cumulative_cost"] = table["cost"].cumsum()
    table["cumulative_benefit"] = table["benefit"].cumsum()
    table["cumulative_net"] = table["net"].cumsum()
    repaid = table.index[table["cumulative_net"] >= -1e-9]
    weight = (realised * factor).sum()
    needed = float(cost_pv.sum() / weight) if weight > 0 else math.inf
    return BreakEven(table=table, year=int(repaid[0]) if len(repaid) else None, benefit_needed=needed,
                     ratio=float(benefit_pv.sum() / cost_pv.sum()))


# --------------------------------------------------------------------------- scenarios
def scenario_view(assumptions: pd.DataFrame, councils: pd.DataFrame, usage=None, years: int = 5,
                  basis: str = "population", highlight: str | None = None, top: int = 8,
                  translate: Callable[[str], str] | None = None):
    """The cost per member and the tornado chart of one scenario.

    Parameters
    ----------
    assumptions : pandas.DataFrame
        The cost assumptions with ``low`` and ``high``.
    councils : pandas.DataFrame
        The members (``name``, ``population_2021``).
    usage : pandas.Series, optional
        Expected use per member, for ``basis="use"``.
    years : int, default 5
        The years of the business case.
    basis : {"population", "use", "equal"}, default "population"
        How the total is shared.
    highlight : str, optional
        The member to mark in the table.
    top : int, default 8
        Assumptions shown in the tornado chart.
    translate : callable, optional
        Translates the view's own words; English by default.

    Returns
    -------
    tuple of (matplotlib.figure.Figure, pandas.DataFrame)
        The tornado chart and the table of each member's share of the total and
        of an average year, with a ``you`` column marking ``highlight``.

    Raises
    ------
    ValueError
        As :func:`total_cost`, :func:`share_costs` and :func:`tornado` do.
    """
    say = translate or (lambda s: s)
    span = _years(years)
    total = total_cost(assumptions, span)
    shares = share_costs(total, councils, basis, usage)
    table = pd.DataFrame({
        say("share (%)"): (100 * shares["share"]).round(1),
        say("total (GBP)"): shares["amount"].round(0),
        say("a year (GBP)"): (shares["amount"] / span).round(0),
    })
    table[say("you")] = np.where(table.index == highlight, "◀", "")
    swings = tornado(lambda a: total_cost(a, span), assumptions)
    ax = plot_tornado(swings, top=top, translate=translate,
                      title=say("Total over {years} years: {total}").format(years=span, total=f"£{total / 1e6:,.2f}m"),
                      xlabel=say("Total cost (GBP)"))
    return ax.figure, table


def scenario_explorer(assumptions: pd.DataFrame, councils: pd.DataFrame, usage=None, years: int = 5,
                      highlight: str | None = None, translate: Callable[[str], str] | None = None):
    """Sliders for headcount, on-cost rate and platform cost, and a sharing basis, that redraw the view.

    The view (:func:`scenario_view`) is written into an :class:`ipywidgets.Output` with
    ``append_display_data`` rather than by capturing output, so a headless run
    (papermill, nbgrader, nbval) does not stall (jupyter/nbclient#312).

    Parameters
    ----------
    assumptions : pandas.DataFrame
        The cost assumptions with ``low`` and ``high``; the sliders start at its values.
    councils : pandas.DataFrame
        The members (``name``, ``population_2021``).
    usage : pandas.Series, optional
        Expected use per member; without it the basis "use" is not offered.
    years : int, default 5
        The years of the business case.
    highlight : str, optional
        The member to mark.
    translate : callable, optional
        Translates the widgets' own words; English by default.

    Returns
    -------
    ipywidgets.VBox
        The controls above the view; display it in a notebook.

    Raises
    ------
    ValueError
        If the assumptions are invalid or have none of recurring staff, an on-cost
        row and a recurring platform cost to vary (a slider whose part is missing is
        shown disabled).
    """
    import ipywidgets as widgets
    from IPython.display import Image

    say = translate or (lambda s: s)
    _costs(assumptions, ranges=True)
    start = key_figures(assumptions)
    if start["posts"] <= 0 and np.isnan(start["on_cost_rate"]) and start["platform"] <= 0:
        raise ValueError("assumptions need recurring staff posts, an on-cost row or a recurring platform cost for the sliders")
    heads, rate, platform = start["posts"], start["on_cost_rate"], start["platform"]
    style = {"description_width": "initial"}
    layout = widgets.Layout(width="420px")
    headcount = widgets.FloatSlider(value=heads, min=max(0.5, round(heads / 3)), max=max(1.0, round(heads * 2.5)), step=0.5,
                                    description=say("Staff (FTE)"), style=style, layout=layout, disabled=bool(heads <= 0))
    on_cost = widgets.FloatSlider(value=0.3 if np.isnan(rate) else rate, min=0.15, max=0.45, step=0.01, readout_format=".0%",
                                  description=say("On-costs (share of pay)"), style=style, layout=layout,
                                  disabled=bool(np.isnan(rate)))
    step = 10 ** max(3, int(math.log10(max(platform, 1))) - 1)
    platform_cost = widgets.FloatSlider(value=platform, min=step, max=max(3 * step, round(platform * 3, -3)), step=step,
                                        readout_format=",.0f", description=say("Platform a year (GBP)"), style=style,
                                        layout=layout, disabled=bool(platform <= 0))
    options = [(say("population"), "population"), (say("equal shares"), "equal")]
    if usage is not None:
        options.insert(1, (say("expected use"), "use"))
    basis = widgets.Dropdown(options=options, value="population", description=say("Share by"), style=style)
    view = widgets.Output()

    def redraw(change=None) -> None:
        view.outputs = ()
        try:
            scenario = adjust(assumptions, headcount=None if headcount.disabled else headcount.value,
                              on_cost=None if on_cost.disabled else on_cost.value,
                              platform=None if platform_cost.disabled else platform_cost.value)
            figure, shares = scenario_view(scenario, councils, usage, years, basis.value, highlight, translate=translate)
        except ValueError as problem:
            view.append_stdout(f"{problem}\n")
            return
        png = io.BytesIO()
        figure.savefig(png, format="png")
        view.append_display_data(shares)
        view.append_display_data(Image(data=png.getvalue(), format="png"))

    for control in (headcount, on_cost, platform_cost, basis):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([headcount, on_cost]), widgets.HBox([platform_cost, basis]), view])
