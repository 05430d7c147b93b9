"""Small-area profiles, cause trees and problem statements: framing a problem with data.

The functions behind the Adaption Lab's *Framing the problem* module, reusable with any
small-area table (the ``wimd`` dataset: one row per LSOA with its deprivation ranks and
population) and any service records that carry an area code (the ``service_demand``
dataset):

- :func:`deprivation_group` turns Wales-wide ranks (1 = most deprived of 1,909) into
  deciles or quintiles with WIMD's own cut-offs; :func:`local_group` does the same
  within one council's areas;
- :func:`join_to_areas` counts records per area and says how many failed to join,
  and why;
- :func:`rates_by_group` gives rates per 1,000 by group with exact Poisson confidence
  intervals (:func:`statsmodels.stats.rates.confint_poisson`), and
  :func:`standardised_ratios` observed over expected counts by group after allowing for
  another grouping (indirect standardisation: "given its deprivation, does this group
  get the referrals we would expect?");
- :func:`concentration`, :func:`concentration_curve` and :func:`concentration_index`
  measure how far demand is concentrated in the most deprived areas;
- :func:`cause_tree`, :func:`root_causes`, :func:`cause_tree_table` and
  :func:`draw_cause_tree` build a cause tree from a table as a :mod:`networkx` graph;
- :func:`problem_statement` and :func:`measures_table` write the problem statement
  and the measures of success a team will be judged on.

Nothing happens on import; matplotlib is imported only when drawing.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from numbers import Real

import networkx as nx
import numpy as np
import pandas as pd
from statsmodels.stats.rates import confint_poisson

from curriculum.style import HIGHLIGHT, MUTED

__all__ = [
    "WALES_LSOAS", "LSOA_PATTERN", "JOIN_STATUSES", "JoinResult",
    "deprivation_group", "local_group", "join_to_areas", "rates_by_group", "standardised_ratios",
    "concentration", "concentration_curve", "concentration_index",
    "plot_rates_by_group", "plot_concentration_curve",
    "cause_tree", "root_causes", "cause_tree_table", "draw_cause_tree",
    "problem_statement", "measures_table",
]

WALES_LSOAS = 1909  # LSOAs ranked by the Welsh Index of Multiple Deprivation 2019
LSOA_PATTERN = r"[WE]01\d{6}"  # a Welsh (W01) or English (E01) LSOA code
JOIN_STATUSES = ("joined", "no area code", "not a valid code", "outside these areas")
_DIRECTIONS = ("increase", "decrease")
_MEASURE_KEYS = ("measure", "definition", "baseline", "target", "direction", "source", "frequency")


# --------------------------------------------------------------------------- checks
def _whole_numbers(values, name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold whole numbers, got {values!r}") from None
    if array.ndim == 0:
        array = array.reshape(1)
    if np.isnan(array).any():
        raise ValueError(f"{name} must not hold missing values ({int(np.isnan(array).sum())} missing)")
    if (array != np.round(array)).any():
        raise ValueError(f"{name} must hold whole numbers")
    return array


def _groups_arg(groups) -> int:
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 2:
        raise ValueError(f"groups must be a whole number of at least 2 (10 for deciles, 5 for quintiles), got {groups!r}")
    return int(groups)


def _require(frame, columns: Iterable[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} has no column(s) {missing}; its columns are: {', '.join(map(str, frame.columns))}")


def _like(values, result: np.ndarray, name: str):
    if isinstance(values, pd.Series):
        return pd.Series(result, index=values.index, name=name)
    return result


# --------------------------------------------------------------- deprivation groups
def deprivation_group(ranks, groups: int = 10, n_areas: int = WALES_LSOAS):
    """Return the deprivation group (1 = most deprived) of each area from its rank.

    Ranks run from 1 (most deprived) to ``n_areas``; group ``g`` holds the ranks with
    ``floor((rank - 1) * groups / n_areas) + 1 == g``. For WIMD 2019 (1,909 LSOAs)
    this gives WIMD's published cut-offs: the most deprived 10% are ranks 1-191,
    20% ranks 1-382, 30% ranks 1-573 and 50% ranks 1-955.

    Parameters
    ----------
    ranks : int, array-like or pandas.Series
        Ranks, whole numbers from 1 to ``n_areas``.
    groups : int, default 10
        Number of groups: 10 for deciles, 5 for quintiles.
    n_areas : int, default 1909
        Number of areas ranked (1,909 LSOAs for WIMD 2019).

    Returns
    -------
    int, numpy.ndarray or pandas.Series
        The group of each rank, from 1 (most deprived) to ``groups``: an int for one
        rank, a Series (same index, named ``"group"``) for a Series, else an array.

    Raises
    ------
    ValueError
        If ``ranks`` are missing, not whole numbers or outside 1 to ``n_areas``, or if
        ``groups`` or ``n_areas`` is not a whole number with ``2 <= groups <= n_areas``.

    Examples
    --------
    >>> [int(deprivation_group(r)) for r in (1, 191, 192, 1909)]
    [1, 1, 2, 10]
    """
    k = _groups_arg(groups)
    if isinstance(n_areas, bool) or not isinstance(n_areas, (int, np.integer)) or n_areas < k:
        raise ValueError(f"n_areas must be a whole number of at least groups ({k}), got {n_areas!r}")
    array = _whole_numbers(ranks, "ranks")
    if ((array < 1) | (array > n_areas)).any():
        bad = array[(array < 1) | (array > n_areas)][:3].tolist()
        raise ValueError(f"ranks must run from 1 to n_areas ({n_areas}); got {bad}. "
                         "Is n_areas the number of areas ranked (1,909 for WIMD 2019)?")
    result = ((array.astype(np.int64) - 1) * k // int(n_areas) + 1).astype(int)
    if np.ndim(ranks) == 0 and not isinstance(ranks, pd.Series):
        return int(result[0])
    return _like(ranks, result, "group")


def local_group(ranks, groups: int = 5):
    """Return each area's deprivation group among the areas given (1 = most deprived).

    The areas are put in order of their rank (ties in the order given) and split into
    ``groups`` groups of (nearly) equal numbers of areas, so a council's most deprived
    fifth is its own, whatever its place in Wales.

    Parameters
    ----------
    ranks : array-like or pandas.Series
        Deprivation ranks of the areas (1 = most deprived; any scale, for example
        Wales-wide WIMD ranks).
    groups : int, default 5
        Number of groups (5 for quintiles); at most the number of areas.

    Returns
    -------
    numpy.ndarray or pandas.Series
        The group of each area, 1 (most deprived) to ``groups``; a Series with the
        same index (named ``"group"``) when ``ranks`` is a Series.

    Raises
    ------
    ValueError
        If ``ranks`` hold missing or non-numeric values, or there are fewer areas than
        ``groups``.

    Examples
    --------
    >>> local_group([40, 10, 30, 20, 50], groups=5).tolist()
    [4, 1, 3, 2, 5]
    """
    k = _groups_arg(groups)
    try:
        array = np.asarray(ranks, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"ranks must hold numbers, got {ranks!r}") from None
    if np.isnan(array).any():
        raise ValueError(f"ranks must not hold missing values ({int(np.isnan(array).sum())} missing)")
    if len(array) < k:
        raise ValueError(f"groups ({k}) must not exceed the number of areas ({len(array)})")
    position = np.empty(len(array), dtype=np.int64)
    position[np.argsort(array, kind="stable")] = np.arange(1, len(array) + 1)
    result = deprivation_group(position, k, len(array))
    return _like(ranks, np.asarray(result), "group")


# -------------------------------------------------------------------------- joining
@dataclass(frozen=True)
class JoinResult:
    """Service records joined to areas, and what failed to join.

    Attributes
    ----------
    records : pandas.DataFrame
        The records, with ``area_code`` (the code tidied: spaces removed, upper case;
        missing when it did not join) and ``join_status`` (one of :data:`JOIN_STATUSES`).
    counts : pandas.Series
        Joined records per area, indexed by every area code of the area table (zeros
        included), named ``"records"``.
    summary : pandas.DataFrame
        Records and their share by join status, one row per status in
        :data:`JOIN_STATUSES` order.
    """

    records: pd.DataFrame
    counts: pd.Series
    summary: pd.DataFrame

    @property
    def joined(self) -> int:
        """Number of records that joined to an area."""
        return int(self.summary.loc["joined", "records"])

    @property
    def failed(self) -> int:
        """Number of records that did not join."""
        return int(self.summary["records"].sum()) - self.joined


def join_to_areas(records: pd.DataFrame, areas: pd.DataFrame, *, record_code: str = "lsoa_code",
                  area_code: str = "lsoa_code", pattern: str = LSOA_PATTERN) -> JoinResult:
    """Join records to a table of areas by area code, counting what fails to join.

    Codes are tidied first (spaces removed, upper case), so ``" w01001234"`` joins to
    ``W01001234``. A record that still fails is put in one of three groups: it has *no
    area code*, its code is *not a valid code* (does not match ``pattern``: a postcode
    typed in the wrong field, a truncated code), or it is a valid code *outside these
    areas* (someone living in another council). Never drop these silently: say how
    many there are and what they mean for the numbers.

    Parameters
    ----------
    records : pandas.DataFrame
        One row per record (referral, contact, case), with an area-code column.
    areas : pandas.DataFrame
        One row per area, with a unique area-code column.
    record_code : str, default "lsoa_code"
        The records' area-code column.
    area_code : str, default "lsoa_code"
        The areas' area-code column.
    pattern : str, default LSOA_PATTERN
        Regular expression a valid code matches in full (after tidying).

    Returns
    -------
    JoinResult
        The records with their join status, counts per area and a summary.

    Raises
    ------
    ValueError
        If a column is missing, the areas' codes are missing or repeat, or ``pattern``
        is not a valid regular expression.

    Examples
    --------
    >>> areas = pd.DataFrame({"lsoa_code": ["W01000001", "W01000002"]})
    >>> refs = pd.DataFrame({"lsoa_code": ["W01000001", "w01000001", None, "CF24 3AA", "W01000999"]})
    >>> join_to_areas(refs, areas).summary["records"].tolist()
    [2, 1, 1, 1]
    """
    _require(records, [record_code], "records")
    _require(areas, [area_code], "areas")
    try:
        valid = re.compile(pattern)
    except (re.error, TypeError) as exc:
        raise ValueError(f"pattern must be a regular expression, got {pattern!r} ({exc})") from None
    codes = areas[area_code]
    if codes.isna().any():
        raise ValueError(f"areas' column {area_code!r} must not be empty ({int(codes.isna().sum())} missing)")
    known = codes.astype(str).str.replace(r"\s+", "", regex=True).str.upper()
    if known.duplicated().any():
        raise ValueError(f"areas' column {area_code!r} must identify each area once; repeated: "
                         f"{sorted(known[known.duplicated()].unique())[:5]}")
    tidy = records[record_code].astype("string").str.replace(r"\s+", "", regex=True).str.upper()
    tidy = tidy.where(tidy.notna() & (tidy != ""))
    status = pd.Series("joined", index=records.index, dtype=object)
    missing = tidy.isna()
    malformed = ~missing & ~tidy.fillna("").str.fullmatch(valid.pattern)
    outside = ~missing & ~malformed & ~tidy.isin(set(known))
    status[missing] = "no area code"
    status[malformed] = "not a valid code"
    status[outside] = "outside these areas"
    out = records.copy()
    out["area_code"] = tidy.where(status == "joined").astype(object)
    out["join_status"] = pd.Categorical(status, categories=list(JOIN_STATUSES))
    counts = (out["area_code"].value_counts().reindex(pd.Index(known.tolist(), name=area_code), fill_value=0)
              .astype(int).rename("records"))
    summary = out["join_status"].value_counts(sort=False).reindex(list(JOIN_STATUSES), fill_value=0).to_frame("records")
    summary.index.name = "join_status"
    total = int(summary["records"].sum())
    summary["share"] = summary["records"] / total if total else 0.0
    return JoinResult(records=out, counts=counts, summary=summary)


# ---------------------------------------------------------------------------- rates
def rates_by_group(areas: pd.DataFrame, group: str, count: str, population: str, *, per: float = 1000,
                   alpha: float = 0.05) -> pd.DataFrame:
    """Return counts, populations and rates per ``per`` residents by group, with intervals.

    Counts and populations are added up over the areas of each group first, so the rate
    of a group is its total count over its total population (not the mean of its areas'
    rates). Intervals are exact Poisson intervals for the count (Garwood; method
    ``"exact-c"`` of :func:`statsmodels.stats.rates.confint_poisson`).

    Parameters
    ----------
    areas : pandas.DataFrame
        One row per area with a group column, a count column and a population column.
    group : str
        Column holding each area's group (for example its deprivation quintile).
    count : str
        Column of counts (whole numbers, not negative).
    population : str
        Column of residents (positive).
    per : float, default 1000
        Rates per this many residents.
    alpha : float, default 0.05
        One minus the coverage of the intervals (0.05 for 95% intervals).

    Returns
    -------
    pandas.DataFrame
        Indexed by group (sorted), with columns ``areas``, ``count``, ``population``,
        ``rate``, ``rate_low``, ``rate_high``, ``share_count`` and ``share_population``.

    Raises
    ------
    ValueError
        If a column is missing, counts are negative or not whole, populations are not
        positive, groups are missing, or ``per`` or ``alpha`` is out of range.

    Examples
    --------
    >>> areas = pd.DataFrame({"q": [1, 1, 2], "n": [10, 20, 5], "pop": [1000, 2000, 1000]})
    >>> rates_by_group(areas, "q", "n", "pop")["rate"].tolist()
    [10.0, 5.0]
    """
    _require(areas, [group, count, population], "areas")
    if isinstance(per, bool) or not isinstance(per, Real) or not per > 0:
        raise ValueError(f"per must be a positive number, got {per!r}")
    if isinstance(alpha, bool) or not isinstance(alpha, Real) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    counts = _whole_numbers(areas[count], f"column {count!r}")
    if (counts < 0).any():
        raise ValueError(f"column {count!r} must not hold negative counts")
    people = np.asarray(areas[population], dtype=float)
    if np.isnan(people).any() or (people <= 0).any():
        raise ValueError(f"column {population!r} must hold positive populations for every area")
    if areas[group].isna().any():
        raise ValueError(f"column {group!r} must give every area a group ({int(areas[group].isna().sum())} missing)")
    frame = pd.DataFrame({"group": areas[group].to_numpy(), "count": counts, "population": people})
    table = frame.groupby("group", sort=True).agg(areas=("count", "size"), count=("count", "sum"),
                                                  population=("population", "sum"))
    table.index.name = group
    low, high = confint_poisson(table["count"].to_numpy(), table["population"].to_numpy() / per,
                                method="exact-c", alpha=alpha)
    table["count"] = table["count"].astype(int)
    if np.all(people == np.round(people)):
        table["population"] = table["population"].astype(int)
    table["rate"] = table["count"] / table["population"] * per
    table["rate_low"] = np.asarray(low, dtype=float)
    table["rate_high"] = np.asarray(high, dtype=float)
    total = table["count"].sum()
    table["share_count"] = table["count"] / total if total else 0.0
    table["share_population"] = table["population"] / table["population"].sum()
    return table


def standardised_ratios(areas: pd.DataFrame, group: str, by: str, count: str, population: str, *,
                        alpha: float = 0.05) -> pd.DataFrame:
    """Return observed and expected counts by group, allowing for another grouping.

    Indirect standardisation: each area is expected to have the rate of its ``by`` group
    (for example its deprivation quintile) across all areas, times its population. The
    ratio of observed to expected counts in a ``group`` (for example an access-to-services
    quintile) then says whether that group gets more (above 1) or fewer (below 1) than its
    ``by`` mix predicts. Intervals are exact Poisson intervals for the observed count
    divided by the expected count (:func:`statsmodels.stats.rates.confint_poisson`, method
    ``"exact-c"``, with the expected count as exposure).

    Parameters
    ----------
    areas : pandas.DataFrame
        One row per area with the two grouping columns, a count and a population.
    group : str
        Column of the groups to compare.
    by : str
        Column of the groups to allow for.
    count : str
        Column of counts (whole numbers, not negative).
    population : str
        Column of residents (positive).
    alpha : float, default 0.05
        One minus the coverage of the intervals.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``group`` (sorted), with columns ``areas``, ``observed``, ``expected``,
        ``ratio``, ``ratio_low`` and ``ratio_high``; the expected counts add up to the
        observed ones.

    Raises
    ------
    ValueError
        If a column is missing or holds invalid values (see :func:`rates_by_group`), or
        the counts add up to zero.

    Examples
    --------
    >>> areas = pd.DataFrame({"g": ["a", "b", "a", "b"], "by": [1, 1, 2, 2], "n": [10, 30, 5, 5], "pop": [100] * 4})
    >>> standardised_ratios(areas, "g", "by", "n", "pop")["ratio"].round(2).tolist()
    [0.6, 1.4]
    """
    _require(areas, [group, by, count, population], "areas")
    rates = rates_by_group(areas, by, count, population, per=1, alpha=alpha)["rate"]
    if areas[group].isna().any():
        raise ValueError(f"column {group!r} must give every area a group ({int(areas[group].isna().sum())} missing)")
    if rates.isna().all() or float(areas[count].sum()) <= 0:
        raise ValueError(f"column {count!r} adds up to zero: there is nothing to compare")
    expected = areas[by].map(rates).to_numpy(dtype=float) * np.asarray(areas[population], dtype=float)
    frame = pd.DataFrame({"group": areas[group].to_numpy(), "observed": np.asarray(areas[count], dtype=float),
                          "expected": expected})
    table = frame.groupby("group", sort=True).agg(areas=("observed", "size"), observed=("observed", "sum"),
                                                  expected=("expected", "sum"))
    table.index.name = group
    table["observed"] = table["observed"].astype(int)
    table["ratio"] = table["observed"] / table["expected"]
    low, high = confint_poisson(table["observed"].to_numpy(), table["expected"].to_numpy(), method="exact-c", alpha=alpha)
    table["ratio_low"] = np.asarray(low, dtype=float)
    table["ratio_high"] = np.asarray(high, dtype=float)
    return table


def concentration(areas: pd.DataFrame, group: str, count: str, population: str, *, most=1) -> pd.Series:
    """Return the share of a count and of the population in the most deprived group.

    Parameters
    ----------
    areas : pandas.DataFrame
        One row per area with a group, a count and a population column.
    group : str
        Column of each area's group.
    count : str
        Column of counts (for example referrals).
    population : str
        Column of residents.
    most : default 1
        The label of the most deprived group (1 for quintile 1).

    Returns
    -------
    pandas.Series
        ``share_count`` (the group's share of the count), ``share_population`` (its
        share of the residents) and ``ratio`` (their quotient: 1 when the count is
        spread like the population, 2 when the group has twice its fair share).

    Raises
    ------
    ValueError
        If a column is missing, no area is in group ``most``, or the count is all zero.

    Examples
    --------
    >>> areas = pd.DataFrame({"q": [1, 2], "n": [30, 10], "pop": [100, 100]})
    >>> concentration(areas, "q", "n", "pop")["ratio"]
    np.float64(1.5)
    """
    _require(areas, [group, count, population], "areas")
    inside = areas[group] == most
    if not inside.any():
        raise ValueError(f"no area has {group!r} equal to most={most!r}; its groups are: "
                         f"{sorted(areas[group].dropna().unique().tolist())}")
    total = float(areas[count].sum())
    if total <= 0:
        raise ValueError(f"column {count!r} adds up to {total:g}: there is nothing to be concentrated")
    share_count = float(areas.loc[inside, count].sum()) / total
    share_population = float(areas.loc[inside, population].sum()) / float(areas[population].sum())
    return pd.Series({"share_count": share_count, "share_population": share_population,
                      "ratio": share_count / share_population}, name="concentration")


def _ordered(ranks, counts, population) -> tuple[np.ndarray, np.ndarray]:
    r = np.asarray(ranks, dtype=float).ravel()
    c = np.asarray(counts, dtype=float).ravel()
    p = np.asarray(population, dtype=float).ravel()
    if not (len(r) == len(c) == len(p)) or len(r) == 0:
        raise ValueError(f"ranks, counts and population must have the same, non-zero length; got {len(r)}, {len(c)}, {len(p)}")
    if np.isnan(r).any() or np.isnan(c).any() or np.isnan(p).any():
        raise ValueError("ranks, counts and population must not hold missing values")
    if (c < 0).any():
        raise ValueError("counts must not be negative")
    if (p <= 0).any():
        raise ValueError("population must be positive in every area")
    if c.sum() <= 0:
        raise ValueError("counts add up to zero: there is no curve to draw")
    order = np.argsort(r, kind="stable")  # most deprived first
    return c[order], p[order]


def concentration_curve(ranks, counts, population) -> pd.DataFrame:
    """Return the concentration curve of a count against deprivation.

    Areas are put in order from the most deprived (lowest rank); the curve plots the
    cumulative share of the count against the cumulative share of the population. It
    lies above the diagonal when the count is concentrated in the most deprived areas.

    Parameters
    ----------
    ranks : array-like
        Deprivation rank of each area (1 = most deprived).
    counts : array-like
        Count in each area (not negative).
    population : array-like
        Residents of each area (positive).

    Returns
    -------
    pandas.DataFrame
        Columns ``population_share`` and ``count_share``, cumulative, starting at (0, 0)
        and ending at (1, 1): one row more than there are areas.

    Raises
    ------
    ValueError
        If the inputs differ in length, hold missing or invalid values, or the counts
        add up to zero.
    """
    c, p = _ordered(ranks, counts, population)
    return pd.DataFrame({"population_share": np.concatenate([[0.0], np.cumsum(p) / p.sum()]),
                         "count_share": np.concatenate([[0.0], np.cumsum(c) / c.sum()])})


def concentration_index(ranks, counts, population) -> float:
    """Return the concentration index of a count across areas ranked by deprivation.

    Twice the area between the concentration curve (:func:`concentration_curve`) and
    the diagonal: 0 when the count follows the population, positive when it is
    concentrated in the most deprived areas (up to 1), negative when in the least
    deprived. Note the sign: health economists rank from the *poorest* and report
    demand concentrated among the poor as a *negative* index; here positive means
    "more in deprived areas", which is how a council reads it.

    Parameters
    ----------
    ranks : array-like
        Deprivation rank of each area (1 = most deprived).
    counts : array-like
        Count in each area (not negative).
    population : array-like
        Residents of each area (positive).

    Returns
    -------
    float
        The index, between -1 and 1.

    Raises
    ------
    ValueError
        If the inputs differ in length, hold missing or invalid values, or the counts
        add up to zero.

    Examples
    --------
    >>> concentration_index([1, 2], [10, 10], [100, 100])
    0.0
    """
    curve = concentration_curve(ranks, counts, population)
    x, y = curve["population_share"].to_numpy(), curve["count_share"].to_numpy()
    area = float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2.0))
    return 2.0 * area - 1.0


# ------------------------------------------------------------------------- plotting
def plot_rates_by_group(table: pd.DataFrame, ax=None, *, value: str = "rate", title: str | None = None,
                        xlabel: str = "Deprivation group (1 = most deprived)",
                        ylabel: str = "Rate per 1,000", overall: float | None = None,
                        overall_label: str | None = None):
    """Draw rates (or ratios) by group as bars with their confidence intervals.

    Parameters
    ----------
    table : pandas.DataFrame
        The result of :func:`rates_by_group` (or of :func:`standardised_ratios`, with
        ``value="ratio"``).
    value : str, default "rate"
        The column to draw; its interval is in ``<value>_low`` and ``<value>_high``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; new ones by default.
    title : str, optional
        Chart title.
    xlabel, ylabel : str
        Axis labels.
    overall : float, optional
        A reference value (an overall rate, or 1 for ratios) to draw as a dashed line.
    overall_label : str, optional
        Legend label of that line; "overall <value>" by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``table`` lacks the columns ``value``, ``<value>_low`` and ``<value>_high``.
    """
    import matplotlib.pyplot as plt

    _require(table, [value, f"{value}_low", f"{value}_high"], "table")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    labels = [str(g) for g in table.index]
    errors = np.vstack([table[value] - table[f"{value}_low"], table[f"{value}_high"] - table[value]])
    ax.bar(labels, table[value], color=HIGHLIGHT, yerr=errors, capsize=4, ecolor="#3D3D3D", zorder=3)
    if overall is not None:
        ax.axhline(overall, color=MUTED, linestyle="--", linewidth=1.2, label=overall_label or f"overall {overall:.3g}")
        ax.legend()
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if title:
        ax.set_title(title)
    return ax


def plot_concentration_curve(curve: pd.DataFrame, ax=None, *, label: str | None = None, title: str | None = None):
    """Draw a concentration curve against the line of equality.

    Parameters
    ----------
    curve : pandas.DataFrame
        The result of :func:`concentration_curve`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; new ones by default.
    label : str, optional
        Legend label of the curve.
    title : str, optional
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``curve`` lacks the columns ``population_share`` and ``count_share``.
    """
    import matplotlib.pyplot as plt

    _require(curve, ["population_share", "count_share"], "curve")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], color=MUTED, linestyle="--", linewidth=1.2, label="spread like the population")
    ax.plot(curve["population_share"], curve["count_share"], color=HIGHLIGHT, label=label or "concentration curve")
    ax.set(xlabel="Cumulative share of residents (most deprived areas first)", ylabel="Cumulative share of the count",
           xlim=(0, 1), ylim=(0, 1))
    ax.set_aspect("equal")
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    return ax


# ----------------------------------------------------------------------- cause tree
def cause_tree(table: pd.DataFrame, cause: str = "cause", parent: str = "parent") -> nx.DiGraph:
    """Build a cause tree from a table with one row per cause and what it leads to.

    The row whose ``parent`` is blank is the problem, the root of the tree. Every
    other row says that ``cause`` contributes to ``parent``, which must itself be a
    cause (or the problem) in the table. A cause may lead to several parents (one row
    each), so the "tree" is a directed acyclic graph; edges run from the parent to the
    cause (problem → cause → deeper cause). The other columns become node attributes
    (taken from a cause's first row), and each node gets ``level``: its shortest
    distance from the problem.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per (cause, parent) pair.
    cause : str, default "cause"
        Column naming the cause.
    parent : str, default "parent"
        Column naming what the cause leads to; blank for the problem.

    Returns
    -------
    networkx.DiGraph
        With graph attribute ``problem`` (the root).

    Raises
    ------
    ValueError
        If a column is missing, a cause is blank, there is not exactly one problem, a
        parent is not in the table, a cause leads to itself or the causes form a loop.

    Examples
    --------
    >>> table = pd.DataFrame({"cause": ["Lonely", "Bereaved", "No bus"], "parent": [None, "Lonely", "Lonely"]})
    >>> sorted(cause_tree(table).successors("Lonely"))
    ['Bereaved', 'No bus']
    """
    _require(table, [cause, parent], "table")
    names = table[cause].astype("string").str.strip()
    if names.isna().any() or (names == "").any():
        raise ValueError(f"column {cause!r} must name a cause in every row (rows {table.index[names.isna() | (names == '')].tolist()[:5]})")
    parents = table[parent].astype("string").str.strip()
    parents = parents.where(parents.notna() & (parents != ""))
    roots = names[parents.isna()].unique().tolist()
    if len(roots) != 1:
        raise ValueError(f"exactly one row must have a blank {parent!r}: the problem at the top of the tree; found "
                         f"{len(roots)}" + (f" ({', '.join(roots)})" if roots else ""))
    unknown = sorted(set(parents.dropna()) - set(names))
    if unknown:
        raise ValueError(f"column {parent!r} names {unknown}, which are not causes in column {cause!r}: "
                         "add a row for each, or correct the spelling")
    graph = nx.DiGraph(problem=roots[0])
    extra = [c for c in table.columns if c not in (cause, parent)]
    for i, name in enumerate(names):
        if name not in graph:
            graph.add_node(name, **{c: table[c].iloc[i] for c in extra})
    for name, above in zip(names, parents):
        if pd.isna(above):
            continue
        if name == above:
            raise ValueError(f"cause {name!r} cannot lead to itself")
        graph.add_edge(above, name)
    if not nx.is_directed_acyclic_graph(graph):
        loop = " → ".join(a for a, _ in nx.find_cycle(graph))
        raise ValueError(f"the causes form a loop ({loop}); a cause tree must not return to where it started")
    depth = nx.single_source_shortest_path_length(graph, roots[0])
    unreached = sorted(set(graph) - set(depth))
    if unreached:  # only possible through a loop, caught above, but keep the message clear
        raise ValueError(f"causes {unreached} do not lead to the problem {roots[0]!r}")
    nx.set_node_attributes(graph, depth, "level")
    return graph


def root_causes(graph: nx.DiGraph) -> list[str]:
    """Return the root causes of a cause tree: the causes with no deeper cause.

    Parameters
    ----------
    graph : networkx.DiGraph
        A cause tree from :func:`cause_tree`.

    Returns
    -------
    list of str
        The nodes with no successors, sorted; the problem itself is never one (a tree
        with no causes has none).

    Raises
    ------
    ValueError
        If ``graph`` is not a directed graph.
    """
    if not isinstance(graph, nx.DiGraph):
        raise ValueError(f"graph must be a networkx.DiGraph from cause_tree, got {type(graph).__name__}")
    problem = graph.graph.get("problem")
    return sorted(n for n in graph if graph.out_degree(n) == 0 and n != problem)


def cause_tree_table(graph: nx.DiGraph) -> pd.DataFrame:
    """Return a cause tree as a table for a document, from the problem down.

    Parameters
    ----------
    graph : networkx.DiGraph
        A cause tree from :func:`cause_tree`.

    Returns
    -------
    pandas.DataFrame
        One row per cause in depth-first order from the problem: ``level``, ``cause``,
        ``leads to`` (its parents, joined with "; "), ``root cause`` ("yes"/"no") and
        the node attributes.

    Raises
    ------
    ValueError
        If ``graph`` is not a cause tree (it has no ``problem``).
    """
    if not isinstance(graph, nx.DiGraph) or graph.graph.get("problem") not in graph:
        raise ValueError("graph must be a cause tree built by cause_tree (a DiGraph with a 'problem')")
    roots = set(root_causes(graph))
    rows = []
    for node in nx.dfs_preorder_nodes(graph, graph.graph["problem"], sort_neighbors=sorted):
        data = {k: v for k, v in graph.nodes[node].items() if k != "level"}
        rows.append({"level": graph.nodes[node]["level"], "cause": node,
                     "leads to": "; ".join(sorted(graph.predecessors(node))),
                     "root cause": "yes" if node in roots else "no", **data})
    return pd.DataFrame(rows)


def draw_cause_tree(graph: nx.DiGraph, ax=None, *, wrap: int = 22, title: str | None = None):
    """Draw a cause tree from left (the problem) to right (root causes in colour).

    Parameters
    ----------
    graph : networkx.DiGraph
        A cause tree from :func:`cause_tree`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; new ones sized to the tree by default.
    wrap : int, default 22
        Characters per line of a label.
    title : str, optional
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``graph`` is not a cause tree (it has no ``problem``).
    """
    import matplotlib.pyplot as plt

    if not isinstance(graph, nx.DiGraph) or graph.graph.get("problem") not in graph:
        raise ValueError("graph must be a cause tree built by cause_tree (a DiGraph with a 'problem')")
    levels = nx.get_node_attributes(graph, "level")
    depth = max(levels.values()) + 1
    widest = max(list(pd.Series(levels).value_counts()))
    if ax is None:
        _, ax = plt.subplots(figsize=(3.2 * depth + 1, max(3.0, 0.9 * widest + 1)))
    # Order each level by its parents' positions so edges cross little.
    pos: dict[str, tuple[float, float]] = {}
    order: dict[str, float] = {graph.graph["problem"]: 0.0}
    for level in range(depth):
        nodes = [n for n, lv in levels.items() if lv == level]
        nodes.sort(key=lambda n: (np.mean([order.get(p, 0.0) for p in graph.predecessors(n)] or [0.0]), n))
        for i, node in enumerate(nodes):
            y = (len(nodes) - 1) / 2.0 - i
            pos[node] = (float(level), y)
            order[node] = -y
    roots = set(root_causes(graph))
    colours = [HIGHLIGHT if n in roots else ("#12436D" if n == graph.graph["problem"] else MUTED) for n in graph]
    nx.draw_networkx_edges(graph, pos, ax=ax, arrows=True, arrowstyle="-", edge_color="#bdbdbd", width=1.2)
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, node_size=120)
    for node, (x, y) in pos.items():
        ax.annotate(textwrap.fill(str(node), wrap), (x, y), xytext=(6, 6), textcoords="offset points",
                    fontsize=9, va="bottom", ha="left")
    ax.set_xlim(-0.3, depth - 0.2)
    ax.set_xticks(range(depth), ["problem"] + [f"level {k}" for k in range(1, depth)])
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title)
    return ax


# ------------------------------------------------------------ problem and measures
def _text(value, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be non-blank text, got {value!r}")
    return " ".join(value.split())


def problem_statement(*, who: str, problem: str, where: str, baseline: float, unit: str, period: str,
                      source: str, comparison: str | None = None, decimals: int = 1) -> str:
    """Write a problem statement around one baseline number.

    A problem statement says who is affected, by what, where and how much, with the
    number dated and sourced, before it says anything about solutions.

    Parameters
    ----------
    who : str
        Who is affected ("People aged 65 and over").
    problem : str
        What the problem is, as a verb phrase ("are lonely or cut off from others").
    where : str
        Where ("in Cardiff").
    baseline : float
        The baseline number.
    unit : str
        What the number counts ("referrals to community connectors per 1,000 residents aged 65 and over").
    period : str
        When ("2024-25").
    source : str
        Where the number comes from ("the council's case-management system").
    comparison : str, optional
        One sentence putting the number in context (a gap between areas, a trend).
    decimals : int, default 1
        Decimal places of the baseline.

    Returns
    -------
    str
        The statement: "{who} {where} {problem}. In {period} there were {baseline} {unit} ({source}). {comparison}"

    Raises
    ------
    ValueError
        If a text is blank, ``baseline`` is not a finite number or ``decimals`` is not a
        whole number from 0 to 6.

    Examples
    --------
    >>> problem_statement(who="People aged 65 and over", problem="are lonely", where="in Torfaen",
    ...                   baseline=26.4, unit="referrals per 1,000", period="2024-25", source="case records")
    'People aged 65 and over in Torfaen are lonely. In 2024-25 there were 26.4 referrals per 1,000 (source: case records).'
    """
    parts = {name: _text(value, name) for name, value in
             (("who", who), ("problem", problem), ("where", where), ("unit", unit), ("period", period), ("source", source))}
    if isinstance(baseline, bool) or not isinstance(baseline, Real) or not math.isfinite(float(baseline)):
        raise ValueError(f"baseline must be a finite number, got {baseline!r}")
    if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)) or not 0 <= decimals <= 6:
        raise ValueError(f"decimals must be a whole number from 0 to 6, got {decimals!r}")
    text = (f"{parts['who']} {parts['where']} {parts['problem'].rstrip('.')}. In {parts['period']} there were "
            f"{float(baseline):,.{int(decimals)}f} {parts['unit']} (source: {parts['source']}).")
    if comparison is not None:
        extra = _text(comparison, "comparison")
        text += " " + (extra if extra.endswith((".", "!", "?")) else extra + ".")
    return text


def measures_table(measures: Iterable[Mapping], max_measures: int = 2) -> pd.DataFrame:
    """Return the measures of success a team will be judged on, checked, as a table.

    Each measure needs a name, a definition precise enough for two analysts to get the
    same number, a baseline (a number, or None while it is being collected), a target,
    the direction that counts as success, a data source and how often it is measured.
    One or two measures: a team judged on many can always claim success on one.

    Parameters
    ----------
    measures : iterable of mapping
        Each with the keys ``measure``, ``definition``, ``baseline``, ``target``,
        ``direction`` ("increase" or "decrease"), ``source`` and ``frequency``.
    max_measures : int, default 2
        The most measures allowed.

    Returns
    -------
    pandas.DataFrame
        One row per measure with those columns, in that order.

    Raises
    ------
    ValueError
        If there are no measures or more than ``max_measures``, a key is missing, a
        text is blank, a baseline or target is not a number (or None for the baseline),
        the direction is not "increase" or "decrease", or the target does not lie in
        that direction from the baseline.

    Examples
    --------
    >>> measures_table([dict(measure="Reach", definition="Referrals per 1,000 aged 65+", baseline=20.0,
    ...                      target=25.0, direction="increase", source="case records", frequency="quarterly")]).shape
    (1, 7)
    """
    if isinstance(max_measures, bool) or not isinstance(max_measures, (int, np.integer)) or max_measures < 1:
        raise ValueError(f"max_measures must be a whole number of at least 1, got {max_measures!r}")
    items = list(measures) if not isinstance(measures, Mapping) else [measures]
    if not items:
        raise ValueError("measures must hold at least one measure of success")
    if len(items) > max_measures:
        raise ValueError(f"measures holds {len(items)} measures; choose at most {max_measures}: "
                         "the one or two the team will be judged on")
    rows = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            raise ValueError(f"measure {i} must be a mapping (a dict) with the keys {', '.join(_MEASURE_KEYS)}")
        missing = [k for k in _MEASURE_KEYS if k not in item]
        if missing:
            raise ValueError(f"measure {i} lacks the key(s) {missing}; each needs {', '.join(_MEASURE_KEYS)}")
        row = {k: _text(item[k], f"measure {i}'s {k}") for k in ("measure", "definition", "source", "frequency")}
        direction = item["direction"]
        if direction not in _DIRECTIONS:
            raise ValueError(f"measure {i}'s direction must be 'increase' or 'decrease', got {direction!r}")
        baseline, target = item["baseline"], item["target"]
        for key, value in (("baseline", baseline), ("target", target)):
            if value is None and key == "baseline":
                continue
            if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
                raise ValueError(f"measure {i}'s {key} must be a finite number"
                                 + (" (or None while it is being collected)" if key == "baseline" else "")
                                 + f", got {value!r}")
        if baseline is not None:
            wrong = float(target) <= float(baseline) if direction == "increase" else float(target) >= float(baseline)
            if wrong:
                raise ValueError(f"measure {i}'s target {target!r} is not an {direction} on its baseline {baseline!r}")
        rows.append({"measure": row["measure"], "definition": row["definition"],
                     "baseline": None if baseline is None else float(baseline), "target": float(target),
                     "direction": direction, "source": row["source"], "frequency": row["frequency"]})
    return pd.DataFrame(rows, columns=list(_MEASURE_KEYS))
