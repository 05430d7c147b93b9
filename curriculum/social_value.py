"""Social value you can track: commitments made in tenders against delivery reported in contract management.

The functions behind the Procurement Lab's *social value* module. They work on two datasets
loaded with :func:`curriculum.load`: a measures list in the style of the National TOMs Wales
(``social_value_measures``: one row per measure with its theme, unit and proxy value in GBP
per unit) and a social value tracker (``social_value_commitments``: one row per contract,
supplier, measure and reporting year with the quantity committed and the quantity delivered,
blank when no return was received). The steps:

1. :func:`value_commitments`: join the two and put a GBP value on every commitment and every
   delivery (quantity times proxy value), so that measures in different units can be added;
2. :func:`value_delivered` and :func:`delivery_gaps`: committed and delivered value and the
   delivery ratio by supplier, contract, measure or any other column, **over the rows with a
   return only**: a missing return is not a delivery of nothing;
3. :func:`persistent_under_delivery`: suppliers whose delivery ratio stays below a threshold
   in every year they report;
4. :func:`monitoring_gaps`: commitments without a return, by contract, and contracts that
   never sent one (a monitoring gap, not a delivery gap);
5. :func:`value_concentration` and :func:`proxy_sensitivity`: how much of the claimed value a
   few measures carry, and how the total moves with one measure's proxy value;
6. :func:`annual_report_table`: a draft table for the annual socially responsible procurement
   report of the Social Partnership and Public Procurement (Wales) Act 2023 (section 39), by
   theme (or objective) with the well-being goals each serves.

:func:`plot_delivery` and :func:`plot_concentration` draw the two charts of the module.
Nothing happens on import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from curriculum.collaboration import hhi

__all__ = [
    "THEMES",
    "THEME_GOALS",
    "UNDER_DELIVERY",
    "WELL_BEING_GOALS",
    "annual_report_table",
    "delivery_gaps",
    "monitoring_gaps",
    "persistent_under_delivery",
    "plot_concentration",
    "plot_delivery",
    "proxy_sensitivity",
    "value_commitments",
    "value_concentration",
    "value_delivered",
]

THEMES: tuple[str, ...] = ("Jobs", "Growth", "Social", "Environment", "Innovation")
#: The seven well-being goals of the Well-being of Future Generations (Wales) Act 2015 (section 4).
WELL_BEING_GOALS: tuple[str, ...] = (
    "A prosperous Wales", "A resilient Wales", "A healthier Wales", "A more equal Wales",
    "A Wales of cohesive communities", "A Wales of vibrant culture and thriving Welsh language",
    "A globally responsible Wales",
)
#: The well-being goals each TOMs theme serves most directly, used when a measures list has no
#: ``well_being_goal`` column.
THEME_GOALS: dict[str, tuple[str, ...]] = {
    "Jobs": ("A prosperous Wales", "A more equal Wales"),
    "Growth": ("A prosperous Wales",),
    "Social": ("A Wales of cohesive communities", "A healthier Wales"),
    "Environment": ("A globally responsible Wales", "A resilient Wales"),
    "Innovation": ("A prosperous Wales", "A resilient Wales"),
}
UNDER_DELIVERY = 0.8  # a delivery ratio below this is a shortfall worth raising with the supplier

_COMMITMENT_COLUMNS = ["contract_ref", "supplier_name", "measure_id", "reporting_year", "committed", "delivered"]
_MEASURE_COLUMNS = ["measure_id", "theme", "description", "unit", "proxy_value"]
_VALUED = ["committed_value", "delivered_value", "reported"]


def _need(frame, columns: Sequence[str], name: str, hint: str) -> None:
    is_frame = isinstance(frame, pd.DataFrame)
    missing = [c for c in columns if c not in frame.columns] if is_frame else list(columns)
    if not is_frame or missing:
        problem = f"lacks the column(s) {', '.join(missing)}" if is_frame else f"must be a pandas DataFrame, got {type(frame).__name__}"
        raise ValueError(f"{name} {problem} ({hint})")


def _by(by, frame: pd.DataFrame, name: str = "by") -> list[str]:
    cols = [by] if isinstance(by, str) else list(by) if isinstance(by, (list, tuple)) else None
    if not cols:
        raise ValueError(f"{name} must be a column name or a list of column names, got {by!r}")
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: no column {', '.join(map(repr, missing))} in the table; "
                         f"its columns are {', '.join(map(str, frame.columns))}")
    return cols


def _threshold(value, name: str = "threshold") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 2:
        raise ValueError(f"{name} must be a delivery ratio above 0 and at most 2 (0.8 means 80%), got {value!r}")
    return float(value)


def _ratio(delivered: pd.Series, committed: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        return (delivered / committed.where(committed > 0)).astype(float)


# ------------------------------------------------------------------ valuing
def value_commitments(commitments: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Join commitments to their measures and value them in GBP (quantity times proxy value).

    Parameters
    ----------
    commitments : pandas.DataFrame
        A ``social_value_commitments`` dataset: ``contract_ref``, ``supplier_name``,
        ``measure_id``, ``reporting_year``, ``committed`` and ``delivered`` (blank when no
        return was received).
    measures : pandas.DataFrame
        A ``social_value_measures`` dataset: ``measure_id``, ``theme``, ``description``,
        ``unit`` and ``proxy_value`` (GBP per unit), one row per measure; an optional
        ``well_being_goal`` column is carried along.

    Returns
    -------
    pandas.DataFrame
        ``commitments`` (same rows, same order) with the measure's ``theme``,
        ``description``, ``unit``, ``proxy_value`` (and ``well_being_goal`` when the
        measures list has it) and three new columns: ``committed_value`` (committed x
        proxy), ``delivered_value`` (delivered x proxy; NaN where no return was received)
        and ``reported`` (True where a return was received, even one reporting 0).

    Raises
    ------
    ValueError
        If either table lacks a column, ``measures`` lists a measure twice, or a
        commitment's measure is not in ``measures`` (the message names the missing ids).

    Examples
    --------
    >>> c = pd.DataFrame({"contract_ref": ["C1", "C1"], "supplier_name": ["A", "A"], "measure_id": ["NT1", "NT28"],
    ...                   "reporting_year": ["2024-25"] * 2, "committed": [2.0, 100.0], "delivered": [1.0, None]})
    >>> m = pd.DataFrame({"measure_id": ["NT1", "NT28"], "theme": ["Jobs", "Social"], "description": ["x", "y"],
    ...                   "unit": ["FTE", "hours"], "proxy_value": [30000.0, 15.0]})
    >>> value_commitments(c, m)[["committed_value", "delivered_value", "reported"]].values.tolist()
    [[60000.0, 30000.0, True], [1500.0, nan, False]]
    """
    _need(commitments, _COMMITMENT_COLUMNS, "commitments", "a social_value_commitments dataset")
    _need(measures, _MEASURE_COLUMNS, "measures", "a social_value_measures dataset")
    doubled = measures["measure_id"][measures["measure_id"].duplicated()].unique()
    if len(doubled):
        raise ValueError(f"measures lists these measure ids more than once: {', '.join(map(str, doubled))}")
    unknown = sorted(set(commitments["measure_id"]) - set(measures["measure_id"]))
    if unknown:
        raise ValueError(f"commitments use measure ids that are not in measures: {', '.join(map(str, unknown))}. "
                         "Add them to the measures list with their unit and proxy value.")
    keep = _MEASURE_COLUMNS + (["well_being_goal"] if "well_being_goal" in measures.columns else [])
    extra = [c for c in keep[1:] if c in commitments.columns]
    valued = commitments.drop(columns=extra).merge(measures[keep], on="measure_id", how="left", validate="many_to_one")
    valued.index = commitments.index
    proxy = valued["proxy_value"].astype(float)
    valued["committed_value"] = valued["committed"].astype(float) * proxy
    valued["delivered_value"] = valued["delivered"].astype(float) * proxy
    valued["reported"] = valued["delivered"].notna()
    return valued


def _valued(valued, name: str = "valued") -> None:
    _need(valued, ["contract_ref", "supplier_name", "measure_id", "reporting_year"] + _VALUED, name,
          "the table value_commitments returns")


# ------------------------------------------------------------------ delivery
def value_delivered(valued: pd.DataFrame, by="supplier_name") -> pd.DataFrame:
    """Sum committed and delivered value by a column (or columns) and compare them.

    The delivery ratio is computed **over the rows with a return only**: a commitment with
    no return is a monitoring gap, counted apart in ``unreported_value``, not a delivery of
    nothing.

    Parameters
    ----------
    valued : pandas.DataFrame
        The table :func:`value_commitments` returns.
    by : str or list of str, default "supplier_name"
        The column(s) to group by, for example ``"contract_ref"``, ``"measure_id"``,
        ``["supplier_name", "reporting_year"]`` or ``"theme"``.

    Returns
    -------
    pandas.DataFrame
        One row per group (indexed by ``by``, in sorted order) with ``commitments`` (rows),
        ``returns`` (rows with a return), ``committed_value`` (all rows),
        ``committed_reported`` (rows with a return), ``delivered_value``,
        ``delivery_ratio`` (delivered / committed_reported; NaN for a group with no
        return), ``gap`` (committed_reported - delivered_value; negative when the group
        delivered more than it committed) and ``unreported_value`` (committed value of
        the rows with no return).

    Raises
    ------
    ValueError
        If ``valued`` lacks a column or ``by`` names a column it does not have.
    """
    _valued(valued)
    cols = _by(by, valued)
    frame = valued[cols + _VALUED].copy()
    frame["committed_reported"] = frame["committed_value"].where(frame["reported"], 0.0)
    frame["unreported_value"] = frame["committed_value"].where(~frame["reported"], 0.0)
    frame["delivered_value"] = frame["delivered_value"].fillna(0.0)
    grouped = frame.groupby(cols, dropna=False)
    table = grouped.agg(commitments=("reported", "size"), returns=("reported", "sum"),
                        committed_value=("committed_value", "sum"), committed_reported=("committed_reported", "sum"),
                        delivered_value=("delivered_value", "sum"), unreported_value=("unreported_value", "sum"))
    table["returns"] = table["returns"].astype(int)
    table["delivery_ratio"] = _ratio(table["delivered_value"], table["committed_reported"])
    table["gap"] = table["committed_reported"] - table["delivered_value"]
    return table[["commitments", "returns", "committed_value", "committed_reported", "delivered_value",
                  "delivery_ratio", "gap", "unreported_value"]]


def delivery_gaps(valued: pd.DataFrame, by="supplier_name", threshold: float = UNDER_DELIVERY) -> pd.DataFrame:
    """Rank groups by their delivery gap and flag those delivering below a threshold.

    Parameters
    ----------
    valued : pandas.DataFrame
        The table :func:`value_commitments` returns.
    by : str or list of str, default "supplier_name"
        The column(s) to group by (supplier, contract, measure...).
    threshold : float, default UNDER_DELIVERY (0.8)
        A delivery ratio below this is flagged ``under``.

    Returns
    -------
    pandas.DataFrame
        :func:`value_delivered`'s table for the groups with at least one return, largest
        gap first, with ``gap_share`` (the group's share of all the positive gaps, 0 for a
        group that delivered in full) and ``under`` (delivery ratio below ``threshold``).

    Raises
    ------
    ValueError
        If ``valued`` or ``by`` is invalid, or ``threshold`` is not above 0 and at most 2.
    """
    t = _threshold(threshold)
    table = value_delivered(valued, by)
    table = table[table["returns"] > 0].sort_values(["gap", "committed_reported"], ascending=[False, False], kind="stable")
    positive = table["gap"].clip(lower=0)
    table["gap_share"] = positive / positive.sum() if positive.sum() > 0 else 0.0
    table["under"] = table["delivery_ratio"] < t
    return table


def persistent_under_delivery(valued: pd.DataFrame, by="supplier_name", threshold: float = UNDER_DELIVERY,
                              min_years: int = 2) -> pd.DataFrame:
    """Find suppliers (or contracts) whose delivery ratio is below a threshold in every year they report.

    One bad year can have a reason (a late start, a vacancy); a shortfall year after year is
    a pattern to take up in contract management.

    Parameters
    ----------
    valued : pandas.DataFrame
        The table :func:`value_commitments` returns.
    by : str or list of str, default "supplier_name"
        Whose persistence to test: suppliers, contracts...
    threshold : float, default UNDER_DELIVERY (0.8)
        The delivery ratio below which a year counts as a shortfall.
    min_years : int, default 2
        The fewest years with a return a group needs before it can be called persistent.

    Returns
    -------
    pandas.DataFrame
        One row per group with at least one return (indexed by ``by``) with
        ``years_reported``, ``years_under`` (years with a ratio below ``threshold``),
        ``worst_ratio``, ``best_ratio``, ``delivery_ratio`` (all years together), ``gap``
        (all years) and ``persistent`` (True when every year reported is a shortfall and
        there are at least ``min_years`` of them); persistent groups first, then by gap.

    Raises
    ------
    ValueError
        If ``valued`` or ``by`` is invalid, ``threshold`` is not above 0 and at most 2, or
        ``min_years`` is not a whole number of 1 or more.
    """
    t = _threshold(threshold)
    if isinstance(min_years, bool) or not isinstance(min_years, (int, np.integer)) or min_years < 1:
        raise ValueError(f"min_years must be a whole number of 1 or more, got {min_years!r}")
    cols = _by(by, valued)
    yearly = value_delivered(valued, cols + ["reporting_year"])
    yearly = yearly[yearly["returns"] > 0]
    level = list(range(len(cols)))
    grouped = yearly.groupby(level=level)
    table = pd.DataFrame({
        "years_reported": grouped.size(),
        "years_under": grouped["delivery_ratio"].apply(lambda r: int((r < t).sum())),
        "worst_ratio": grouped["delivery_ratio"].min(),
        "best_ratio": grouped["delivery_ratio"].max(),
    })
    overall = value_delivered(valued, cols)
    table = table.join(overall[["delivery_ratio", "gap"]])
    table["persistent"] = (table["years_under"] == table["years_reported"]) & (table["years_reported"] >= min_years)
    return table.sort_values(["persistent", "gap"], ascending=[False, False], kind="stable")


# ------------------------------------------------------------------ monitoring
def monitoring_gaps(valued: pd.DataFrame, by=("contract_ref", "supplier_name")) -> pd.DataFrame:
    """Count the commitments with no return, by contract (or any other grouping).

    A blank ``delivered`` means no return was received: the council does not know what was
    delivered. That is a monitoring gap, to be chased, not a delivery gap.

    Parameters
    ----------
    valued : pandas.DataFrame
        The table :func:`value_commitments` returns.
    by : str or list of str, default ("contract_ref", "supplier_name")
        The column(s) to group by.

    Returns
    -------
    pandas.DataFrame
        One row per group with at least one missing return, the most committed value
        without a return first, with ``commitments`` (rows), ``missing`` (rows without a
        return), ``missing_share``, ``unreported_value`` (their committed value) and
        ``never_reported`` (True when no row of the group has a return).

    Raises
    ------
    ValueError
        If ``valued`` lacks a column or ``by`` names a column it does not have.
    """
    table = value_delivered(valued, list(by) if isinstance(by, tuple) else by)
    table = table.assign(missing=table["commitments"] - table["returns"])
    table["missing_share"] = table["missing"] / table["commitments"]
    table["never_reported"] = table["returns"] == 0
    table = table[table["missing"] > 0]
    return table.sort_values(["unreported_value", "missing"], ascending=[False, False], kind="stable")[
        ["commitments", "missing", "missing_share", "unreported_value", "never_reported"]]


# ------------------------------------------------------------------ concentration
def value_concentration(valued: pd.DataFrame, column: str = "delivered_value", by="measure_id") -> pd.DataFrame:
    """Share of the claimed (or committed) value carried by each measure, largest first.

    Parameters
    ----------
    valued : pandas.DataFrame
        The table :func:`value_commitments` returns.
    column : str, default "delivered_value"
        ``"delivered_value"`` (the value claimed in returns) or ``"committed_value"`` (the
        value promised in tenders).
    by : str or list of str, default "measure_id"
        What to share the value between (measures, themes, suppliers...).

    Returns
    -------
    pandas.DataFrame
        One row per group, largest value first, with ``value``, ``share`` (of the total)
        and ``cumulative_share``. ``attrs["hhi"]`` holds the Herfindahl-Hirschman index of
        the shares (:func:`curriculum.collaboration.hhi`: 10,000 when one group carries
        everything) and ``attrs["effective_number"]`` its equivalent number of equal groups
        (10,000 / HHI).

    Raises
    ------
    ValueError
        If ``valued`` or ``by`` is invalid, ``column`` is not one of the two value
        columns, or the total value is 0.
    """
    _valued(valued)
    if column not in ("delivered_value", "committed_value"):
        raise ValueError(f"column must be 'delivered_value' or 'committed_value', got {column!r}")
    cols = _by(by, valued)
    value = valued.groupby(cols, dropna=False)[column].sum(min_count=0).fillna(0.0)
    total = float(value.sum())
    if not total > 0:
        raise ValueError(f"the total {column} is 0: there is no value to share out")
    value = value.sort_values(ascending=False, kind="stable")
    table = pd.DataFrame({"value": value, "share": value / total})
    table["cumulative_share"] = table["share"].cumsum()
    index = hhi(value.to_numpy())
    table.attrs.update(hhi=index, effective_number=10_000.0 / index)
    return table


def proxy_sensitivity(valued: pd.DataFrame, measure_id: str, proxies: Iterable[float],
                      column: str = "delivered") -> pd.DataFrame:
    """Total value as one measure's proxy value changes, the others held fixed.

    Parameters
    ----------
    valued : pandas.DataFrame
        The table :func:`value_commitments` returns.
    measure_id : str
        The measure whose proxy value varies.
    proxies : iterable of float
        The proxy values (GBP per unit) to try; non-negative.
    column : str, default "delivered"
        ``"delivered"`` (claimed value) or ``"committed"`` (promised value).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``proxy``, with ``measure_value`` (the measure's value at that proxy),
        ``total_value`` (all measures) and ``measure_share``.

    Raises
    ------
    ValueError
        If ``valued`` is invalid, ``measure_id`` is not in it, ``column`` is not
        ``"delivered"`` or ``"committed"``, or a proxy is negative or not a number.
    """
    _valued(valued)
    _need(valued, ["committed", "delivered", "proxy_value"], "valued", "the table value_commitments returns")
    if column not in ("delivered", "committed"):
        raise ValueError(f"column must be 'delivered' or 'committed', got {column!r}")
    if measure_id not in set(valued["measure_id"]):
        raise ValueError(f"measure_id {measure_id!r} has no commitments in valued")
    values = [float(p) if not isinstance(p, bool) and isinstance(p, (int, float, np.number)) else np.nan for p in proxies]
    if not values or any(not np.isfinite(p) or p < 0 for p in values):
        raise ValueError(f"proxies must be non-negative numbers, got {list(proxies)!r}")
    this = valued["measure_id"] == measure_id
    quantity = float(valued.loc[this, column].sum())
    rest = float((valued.loc[~this, column].astype(float) * valued.loc[~this, "proxy_value"].astype(float)).sum())
    table = pd.DataFrame({"proxy": values, "measure_value": [quantity * p for p in values]})
    table["total_value"] = table["measure_value"] + rest
    table["measure_share"] = _ratio(table["measure_value"], table["total_value"])
    return table.set_index("proxy")


# ------------------------------------------------------------------ annual report
def annual_report_table(valued: pd.DataFrame, by: str = "theme", objectives: Mapping[str, str] | None = None,
                        goals: Mapping[str, Iterable[str]] | None = None) -> pd.DataFrame:
    """Draft the social value table of an annual socially responsible procurement report.

    Section 39 of the Social Partnership and Public Procurement (Wales) Act 2023 asks for a
    review of the steps taken to meet the council's socially responsible procurement
    objectives and for information on how its procurement contributes to the well-being
    goals. This table gives, for each theme (or objective), what was committed, what was
    reported as delivered and what has no return yet.

    Parameters
    ----------
    valued : pandas.DataFrame
        The table :func:`value_commitments` returns, usually cut to one reporting year.
    by : str, default "theme"
        The column rows are grouped by.
    objectives : mapping of str to str, optional
        The council's socially responsible procurement objective for each group; groups
        without one get a blank.
    goals : mapping of str to iterable of str, optional
        The well-being goals each group serves. By default they are read from the
        ``well_being_goal`` column when ``valued`` has one, else from :data:`THEME_GOALS`
        (when ``by`` is ``"theme"``).

    Returns
    -------
    pandas.DataFrame
        One row per group, in :data:`THEMES` order when grouping by theme (others after,
        alphabetically), with the group, ``objective``, ``well_being_goals`` (joined with
        "; "), ``contracts`` and ``suppliers`` (distinct), ``measures`` (distinct),
        ``committed_value``, ``delivered_value`` (returns received), ``delivery_ratio``
        (over the rows with a return), ``unreported_value`` and ``missing_returns``; then a
        ``Total`` row.

    Raises
    ------
    ValueError
        If ``valued`` is invalid or ``by`` is not one of its columns.
    """
    _valued(valued)
    col = _by(by, valued)[0] if isinstance(by, str) else None
    if col is None:
        raise ValueError(f"by must be one column name, got {by!r}")
    sums = value_delivered(valued, col)
    counts = valued.groupby(col, dropna=False).agg(contracts=("contract_ref", "nunique"),
                                                   suppliers=("supplier_name", "nunique"),
                                                   measures=("measure_id", "nunique"))
    if goals is None:
        if "well_being_goal" in valued.columns:
            goals = {k: sorted(set(g.dropna()), key=_goal_order) for k, g in valued.groupby(col)["well_being_goal"]}
        elif col == "theme":
            goals = THEME_GOALS
        else:
            goals = {}
    order = sorted(sums.index, key=lambda k: (THEMES.index(k) if k in THEMES else len(THEMES), str(k)))
    table = pd.DataFrame({
        col: order,
        "objective": [(objectives or {}).get(k, "") for k in order],
        "well_being_goals": ["; ".join(goals.get(k, ())) for k in order],
        "contracts": counts.loc[order, "contracts"].to_numpy(),
        "suppliers": counts.loc[order, "suppliers"].to_numpy(),
        "measures": counts.loc[order, "measures"].to_numpy(),
        "committed_value": sums.loc[order, "committed_value"].to_numpy(),
        "delivered_value": sums.loc[order, "delivered_value"].to_numpy(),
        "delivery_ratio": sums.loc[order, "delivery_ratio"].to_numpy(),
        "unreported_value": sums.loc[order, "unreported_value"].to_numpy(),
        "missing_returns": (sums.loc[order, "commitments"] - sums.loc[order, "returns"]).to_numpy(),
    })
    whole = value_delivered(valued.assign(_all="Total"), "_all").iloc[0]
    total = {col: "Total", "objective": "", "well_being_goals": "",
             "contracts": valued["contract_ref"].nunique(), "suppliers": valued["supplier_name"].nunique(),
             "measures": valued["measure_id"].nunique(), "committed_value": whole["committed_value"],
             "delivered_value": whole["delivered_value"], "delivery_ratio": whole["delivery_ratio"],
             "unreported_value": whole["unreported_value"], "missing_returns": whole["commitments"] - whole["returns"]}
    out = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    return out.astype({c: "int64" for c in ("contracts", "suppliers", "measures", "missing_returns")})


def _goal_order(goal: str) -> tuple[int, str]:
    return (WELL_BEING_GOALS.index(goal) if goal in WELL_BEING_GOALS else len(WELL_BEING_GOALS), goal)


# ------------------------------------------------------------------ charts
def plot_delivery(table: pd.DataFrame, threshold: float = UNDER_DELIVERY, top: int = 15, ax=None,
                  title: str | None = None, highlight: str = "#801650", muted: str = "#8c8c8c"):
    """Draw committed against delivered value for the groups with the largest gaps.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`delivery_gaps` (or :func:`value_delivered`): ``committed_reported``,
        ``delivered_value`` and ``delivery_ratio``, indexed by the group's name.
    threshold : float, default UNDER_DELIVERY (0.8)
        Groups delivering below it are drawn in the highlight colour.
    top : int, default 15
        How many groups to draw (the largest gaps).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
        The chart's title.
    highlight, muted : str
        Colours of the groups below and at or above the threshold.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``table`` lacks a column, ``threshold`` is out of range or ``top`` is not a
        positive whole number.
    """
    import matplotlib.pyplot as plt

    _need(table, ["committed_reported", "delivered_value", "delivery_ratio"], "table", "from delivery_gaps")
    t = _threshold(threshold)
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive whole number, got {top!r}")
    shown = table.assign(_gap=table["committed_reported"] - table["delivered_value"]).sort_values("_gap", ascending=False).head(top)
    shown = shown.iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.35 * len(shown) + 1.5))
    y = np.arange(len(shown))
    labels = [" / ".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in shown.index]
    colours = np.where(shown["delivery_ratio"] < t, highlight, muted)
    ax.barh(y, shown["committed_reported"] / 1e3, color="none", edgecolor=muted, label="Committed (with a return)")
    ax.barh(y, shown["delivered_value"] / 1e3, color=colours, height=0.5, label="Delivered")
    ax.set_yticks(y, [label[:40] for label in labels])
    ax.set_xlabel("Social value (£ thousand, proxy values)")
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    return ax


def plot_concentration(shares: pd.DataFrame, ax=None, title: str | None = None, highlight: str = "#801650",
                       muted: str = "#8c8c8c"):
    """Draw a Pareto chart of the value carried by each measure.

    Parameters
    ----------
    shares : pandas.DataFrame
        From :func:`value_concentration`: ``share`` and ``cumulative_share``, largest first.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
        The chart's title.
    highlight, muted : str
        Colours of the largest measure and of the others.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``shares`` lacks a column or is empty.
    """
    import matplotlib.pyplot as plt

    _need(shares, ["share", "cumulative_share"], "shares", "from value_concentration")
    if shares.empty:
        raise ValueError("shares is empty: there is nothing to draw")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5))
    x = np.arange(len(shares))
    ax.bar(x, shares["share"] * 100, color=[highlight] + [muted] * (len(shares) - 1))
    ax.plot(x, shares["cumulative_share"] * 100, color="black", marker="o", markersize=3, linewidth=1,
            label="Cumulative share")
    ax.set_xticks(x, [" / ".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in shares.index],
                  rotation=45, ha="right")
    ax.set_ylim(0, 105)
    ax.set_ylabel("Share of the value (%)")
    ax.legend(loc="center right")
    if title:
        ax.set_title(title)
    return ax
