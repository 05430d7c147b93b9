"""Reading a chart, and when it misleads: honest and misleading views of the same figures.

A council's performance dashboard shows monthly measures against targets. The same
figures can be drawn honestly or in ways that mislead, often without anyone meaning to:

- a **truncated axis**: bars that start at 90% instead of zero make a change of a point
  or two look huge. Tufte's *lie factor* (*The Visual Display of Quantitative
  Information*, 1983) measures it: the size of the change the graphic shows divided by
  the size of the change in the data (:func:`lie_factor`, :func:`exaggeration_table`);
- **two axes**: each axis stretched to its own series makes any two lines look alike,
  however different their changes (:func:`plot_dual_axes` against :func:`plot_indexed`);
- **cumulative year-to-date** figures: a running total of a monthly count only ever
  rises (:func:`year_to_date` against :func:`same_month_last_year`);
- **cherry-picked** start and end months: in a seasonal series a short window can show
  the opposite of the long-run change (:func:`find_cherry_pick`, :func:`cherry_pick_table`,
  against the like-for-like :func:`long_run_change`).

The functions work on the ``performance_kpis`` dataset (``curriculum.load("performance_kpis")``:
one row per indicator and month with ``value``, ``target``, ``unit`` and ``better``,
"higher" or "lower"). Functions that draw charts or widgets take ``translate`` (a
module's :func:`curriculum.translator`) for their own words. Importing this module
changes nothing; matplotlib and ipywidgets are imported only when drawing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

from curriculum.style import HIGHLIGHT, MUTED
from curriculum.views import axes as _axes
from curriculum.views import live_view
from curriculum.views import untranslated as _same

__all__ = [
    "FY_START_MONTH",
    "Change",
    "CherryPick",
    "chart_explorer",
    "cherry_pick_table",
    "exaggeration_table",
    "find_cherry_pick",
    "kpi_view",
    "lie_factor",
    "long_run_change",
    "percent_change",
    "plot_axis_pair",
    "plot_bars",
    "plot_cherry_pick",
    "plot_cumulative_pair",
    "plot_dual_axes",
    "plot_indexed",
    "plot_kpi",
    "same_month_last_year",
    "truncated_bottom",
    "year_to_date",
    "yearly_summary",
    "ytd_method",
]

FY_START_MONTH = 4  # the UK public sector's financial year starts in April
_SECOND = "#12436D"  # the house palette's dark blue, for a second series
_TARGET = "#3D3D3D"
_POLARITIES = ("higher", "lower")


def _month_names(tr: Callable[[str], str]) -> tuple[str, ...]:
    return (tr("Jan"), tr("Feb"), tr("Mar"), tr("Apr"), tr("May"), tr("Jun"),
            tr("Jul"), tr("Aug"), tr("Sep"), tr("Oct"), tr("Nov"), tr("Dec"))


def _month_label(month, tr: Callable[[str], str]) -> str:
    stamp = pd.Timestamp(month)
    return f"{_month_names(tr)[stamp.month - 1]} {stamp.year}"


def _number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (Real, np.integer, np.floating)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


# --------------------------------------------------------------------------- checks and selection
def _check_frame(kpis: pd.DataFrame, what: str = "kpis") -> None:
    if not isinstance(kpis, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame (the performance_kpis dataset), got {type(kpis).__name__}")
    missing = {"month", "indicator", "value"} - set(kpis.columns)
    if missing:
        raise ValueError(f"{what} must have the columns month, indicator and value; missing: {', '.join(sorted(missing))}")
    if kpis.empty:
        raise ValueError(f"{what} has no rows")


def _indicators(kpis: pd.DataFrame) -> list[str]:
    return sorted(map(str, kpis["indicator"].dropna().unique()))


def _series(kpis: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One indicator's months in order: month, value, target, unit, better (rows without a value dropped)."""
    _check_frame(kpis)
    if indicator not in set(kpis["indicator"]):
        raise ValueError(f"indicator {indicator!r} is not in the data; the indicators are: {', '.join(_indicators(kpis))}")
    rows = kpis.loc[kpis["indicator"] == indicator].copy()
    rows["month"] = pd.to_datetime(rows["month"]).dt.to_period("M").dt.to_timestamp()
    if rows["month"].duplicated().any():
        dupes = sorted({m.strftime("%Y-%m") for m in rows.loc[rows["month"].duplicated(), "month"]})
        raise ValueError(f"indicator {indicator!r} has more than one row for the month(s) {', '.join(dupes)}; "
                         "keep one value per indicator and month")
    rows = rows[rows["value"].notna()].sort_values("month", ignore_index=True)
    if rows.empty:
        raise ValueError(f"indicator {indicator!r} has no values")
    for column in ("target", "unit", "better"):
        if column not in rows.columns:
            rows[column] = None
    rows["value"] = rows["value"].astype(float)
    rows["target"] = pd.to_numeric(rows["target"], errors="coerce")
    return rows[["month", "value", "target", "unit", "better"]]


def _polarity(series: pd.DataFrame, indicator: str) -> str:
    found = {str(b).strip().lower() for b in series["better"].dropna()}
    if len(found) != 1 or not found <= set(_POLARITIES):
        raise ValueError(f"indicator {indicator!r} needs one polarity in its 'better' column, 'higher' or 'lower'; "
                         f"found {sorted(found) or 'none'}")
    return found.pop()


def _unit(series: pd.DataFrame) -> str:
    units = series["unit"].dropna().astype(str).unique()
    return str(units[0]) if len(units) else ""


def _ordinal(months: pd.Series) -> np.ndarray:
    return months.dt.year.to_numpy() * 12 + months.dt.month.to_numpy() - 1


# --------------------------------------------------------------------------- numbers
def percent_change(first: float, last: float) -> float:
    """The change from ``first`` to ``last`` as a percentage of ``first``.

    Parameters
    ----------
    first, last : float
        The values compared; ``first`` must not be zero.

    Returns
    -------
    float
        ``100 * (last - first) / first`` (negative for a fall).

    Raises
    ------
    ValueError
        If either is not a finite number or ``first`` is zero.

    Examples
    --------
    >>> percent_change(40, 50)
    25.0
    """
    a, b = _number(first, "first"), _number(last, "last")
    if a == 0:
        raise ValueError("first must not be zero: a percentage change from zero is undefined")
    return 100.0 * (b - a) / abs(a)


def truncated_bottom(values) -> float:
    """The bottom a spreadsheet's automatic axis would pick: a round number just below the data.

    Spreadsheet and dashboard tools fit the value axis to the data, so the axis of a
    series between 92 and 95 starts near 90, not at zero. This follows the same idea:
    the data's range below its minimum, rounded down to a round step (1, 2 or 5 times
    a power of ten, at least half the range), and never below zero for positive data.

    Parameters
    ----------
    values : array-like of float
        The values shown (at least one, all finite).

    Returns
    -------
    float
        The axis bottom; below the smallest value, and 0 when the data span most of
        the distance to zero (no truncation).

    Raises
    ------
    ValueError
        If ``values`` is empty or holds a value that is not a finite number.
    """
    try:
        data = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"values must hold numbers, got {values!r}") from None
    if data.size == 0 or not np.isfinite(data).all():
        raise ValueError("values must hold at least one value, all finite numbers")
    low, high = float(data.min()), float(data.max())
    span = high - low or (abs(low) * 0.1 or 1.0)
    magnitude = 10.0 ** math.floor(math.log10(span))
    step = next(m * magnitude for m in (1.0, 2.0, 5.0, 10.0) if span / (m * magnitude) <= 2)
    bottom = math.floor((low - span) / step) * step
    if bottom >= low:
        bottom -= step
    if low > 0:
        bottom = max(bottom, 0.0)
    return float(round(bottom, 10))


def lie_factor(first: float, last: float, baseline: float = 0.0) -> float:
    """Tufte's lie factor of a bar (or line) chart whose value axis starts at ``baseline``.

    The change the graphic shows is the change in the bars' drawn heights, measured
    from the axis bottom: ``(last - baseline) / (first - baseline) - 1``. The change in
    the data is ``(last - first) / first``. The lie factor is the first divided by the
    second: 1 for an axis from zero, above 1 when a truncated axis exaggerates.

    Parameters
    ----------
    first, last : float
        The first and last values compared (positive, different).
    baseline : float, default 0.0
        Where the value axis starts; below both values.

    Returns
    -------
    float
        The lie factor (equal to ``first / (first - baseline)``).

    Raises
    ------
    ValueError
        If a value is not a finite number, ``first`` is not positive, ``first`` equals
        ``last`` (no change to exaggerate), or ``baseline`` is not below both values.

    Examples
    --------
    >>> round(lie_factor(92.0, 94.0, baseline=90.0), 1)
    46.0
    """
    a, b, base = _number(first, "first"), _number(last, "last"), _number(baseline, "baseline")
    if a <= 0:
        raise ValueError(f"first must be positive, got {first!r}")
    if a == b:
        raise ValueError("first and last are equal: there is no change to exaggerate")
    if not (base < a and base < b):
        raise ValueError(f"baseline ({baseline!r}) must be below both values, or the bars are not drawn")
    shown = (b - base) / (a - base) - 1.0
    real = (b - a) / a
    return shown / real


def ytd_method(unit: str | None) -> str:
    """How a year-to-date figure is made from monthly values with this unit.

    Counts and days lost add up over the year ("sum"); percentages, averages and rates
    per something do not: their year-to-date figure is the average of the months so
    far ("mean").

    Parameters
    ----------
    unit : str or None
        The indicator's unit, such as ``"%"``, ``"average days"``,
        ``"per 100,000 collections"`` or ``"days per FTE"``.

    Returns
    -------
    str
        ``"mean"`` if the unit holds ``%``, ``average``, ``rate`` or starts with
        ``per``; ``"sum"`` otherwise (also for a missing unit).
    """
    text = str(unit or "").strip().lower()
    if "%" in text or "percent" in text or "average" in text or "rate" in text or text.startswith("per "):
        return "mean"
    return "sum"


# --------------------------------------------------------------------------- tables
def yearly_summary(kpis: pd.DataFrame, indicator: str, translate: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Average an indicator over whole years: 12-month blocks ending at its latest month.

    Comparing whole years compares like with like: every block holds each calendar
    month once, so seasonality cancels. When the data end in March the blocks are
    financial years.

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset (month, indicator, value; target optional).
    indicator : str
        One of its indicators.
    translate : callable, optional
        Translates the month names of the period labels; English by default.

    Returns
    -------
    pandas.DataFrame
        One row per block, oldest first: ``period`` (such as "Apr 2024–Mar 2025"),
        ``start``, ``end``, ``months`` (months with a value), ``mean``, ``total`` and
        ``target`` (the mean target, NaN without one). Months before the first whole
        block are left out.

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        If a column is missing, ``indicator`` is not in the data or spans fewer than
        24 months (two whole years).
    """
    tr = translate or _same
    series = _series(kpis, indicator)
    ordinal = _ordinal(series["month"])
    blocks = (ordinal.max() - ordinal) // 12
    n = (ordinal.max() - ordinal.min() + 1) // 12
    if n < 2:
        raise ValueError(f"indicator {indicator!r} spans {ordinal.max() - ordinal.min() + 1} months; "
                         "comparing whole years needs at least 24")
    rows = []
    for block in range(n - 1, -1, -1):
        part = series[blocks == block]
        end = series["month"].max() - pd.DateOffset(months=12 * block)
        start = end - pd.DateOffset(months=11)
        rows.append({"period": f"{_month_label(start, tr)}–{_month_label(end, tr)}", "start": start, "end": end,
                     "months": len(part), "mean": part["value"].mean() if len(part) else np.nan,
                     "total": part["value"].sum(), "target": part["target"].mean()})
    return pd.DataFrame(rows)


def exaggeration_table(kpis: pd.DataFrame, translate: Callable[[str], str] | None = None) -> pd.DataFrame:
    """For each indicator: how much a bar chart of its yearly averages on a truncated axis exaggerates.

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset.
    translate : callable, optional
        Translates the month names of the period labels.

    Returns
    -------
    pandas.DataFrame
        One row per indicator with two whole years or more and a change between its
        first and latest year: ``indicator``, ``first_period``, ``last_period``, ``first``,
        ``last`` (yearly averages), ``axis_bottom`` (:func:`truncated_bottom` of all its
        yearly averages), ``shown_change`` and ``real_change`` (in %) and ``lie_factor``;
        largest lie factor first.

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        If a column is missing or no indicator spans two whole years.
    """
    _check_frame(kpis)
    rows = []
    for indicator in _indicators(kpis):
        try:
            years = yearly_summary(kpis, indicator, translate)
        except ValueError:
            continue
        first, last = float(years["mean"].iloc[0]), float(years["mean"].iloc[-1])
        bottom = truncated_bottom(years["mean"].dropna())
        if not (first > 0 and first != last and bottom < min(first, last)):
            continue
        rows.append({"indicator": indicator, "first_period": years["period"].iloc[0],
                     "last_period": years["period"].iloc[-1], "first": first, "last": last, "axis_bottom": bottom,
                     "shown_change": 100 * ((last - bottom) / (first - bottom) - 1),
                     "real_change": percent_change(first, last), "lie_factor": lie_factor(first, last, bottom)})
    if not rows:
        raise ValueError("no indicator spans two whole years with a change between them")
    return pd.DataFrame(rows).sort_values("lie_factor", ascending=False, ignore_index=True)


def year_to_date(kpis: pd.DataFrame, indicator: str, how: str | None = None,
                 start_month: int = FY_START_MONTH) -> pd.DataFrame:
    """Add the year-to-date figure dashboards show: a running total (or average) from the year's first month.

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset.
    indicator : str
        One of its indicators.
    how : {"sum", "mean"}, optional
        Running total or running average; by default :func:`ytd_method` of the unit.
    start_month : int, default 4
        The month the year starts (April for the financial year; 1 for calendar years).

    Returns
    -------
    pandas.DataFrame
        The indicator's months with ``month``, ``value``, ``target``, ``year`` (such as
        "2024-25", or "2024" for calendar years), ``ytd`` and ``ytd_target`` (the
        targets accumulated the same way).

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        If ``how`` is not "sum" or "mean", ``start_month`` is not 1-12, a column is
        missing or ``indicator`` is not in the data.
    """
    if how is not None and how not in ("sum", "mean"):
        raise ValueError(f"how must be 'sum', 'mean' or None, got {how!r}")
    if isinstance(start_month, bool) or not isinstance(start_month, (int, np.integer)) or not 1 <= start_month <= 12:
        raise ValueError(f"start_month must be a month number 1-12, got {start_month!r}")
    series = _series(kpis, indicator)
    method = how or ytd_method(_unit(series))
    first_year = series["month"].dt.year - (series["month"].dt.month < start_month).astype(int)
    series["year"] = (first_year.astype(str) if start_month == 1
                      else first_year.astype(str) + "-" + ((first_year + 1) % 100).map("{:02d}".format))
    grouped = series.groupby("year", sort=False)
    if method == "sum":
        series["ytd"] = grouped["value"].cumsum()
        series["ytd_target"] = grouped["target"].cumsum()
    else:
        series["ytd"] = grouped["value"].cumsum() / (grouped.cumcount() + 1)
        series["ytd_target"] = grouped["target"].transform(lambda t: t.expanding().mean())
    return series[["month", "value", "target", "year", "ytd", "ytd_target"]]


def same_month_last_year(kpis: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Compare each of the latest 12 months with the same month a year earlier.

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset, with the ``better`` polarity.
    indicator : str
        One of its indicators.

    Returns
    -------
    pandas.DataFrame
        One row per month of the latest 12 that has a value a year earlier: ``month``,
        ``value``, ``year_earlier``, ``difference`` (value - year earlier) and ``better``
        (True when the month beat the year before in the indicator's better direction;
        False for a tie or a worse month).

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        If a column is missing, ``indicator`` is not in the data, its polarity is not
        "higher" or "lower", or no month of the latest 12 has a value a year earlier.
    """
    series = _series(kpis, indicator)
    sign = 1.0 if _polarity(series, indicator) == "higher" else -1.0
    ordinal = _ordinal(series["month"])
    values = dict(zip(ordinal, series["value"]))
    latest = ordinal.max()
    rows = [{"month": month, "value": value, "year_earlier": values[o - 12]}
            for o, month, value in zip(ordinal, series["month"], series["value"])
            if o > latest - 12 and (o - 12) in values]
    if not rows:
        raise ValueError(f"indicator {indicator!r} has no month in its latest 12 with a value a year earlier")
    table = pd.DataFrame(rows)
    table["difference"] = table["value"] - table["year_earlier"]
    table["better"] = sign * table["difference"] > 0
    return table


@dataclass(frozen=True)
class Change:
    """The like-for-like change of an indicator between its first and latest whole year."""

    indicator: str
    first_period: str
    last_period: str
    first: float
    last: float
    percent: float
    direction: str  # "improved", "worsened" or "unchanged"


def _direction(delta: float, polarity: str) -> str:
    if delta == 0:
        return "unchanged"
    return "improved" if (delta > 0) == (polarity == "higher") else "worsened"


def long_run_change(kpis: pd.DataFrame, indicator: str, translate: Callable[[str], str] | None = None) -> Change:
    """Compare an indicator's first whole year with its latest: the honest long-run change.

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset, with the ``better`` polarity.
    indicator : str
        One of its indicators.
    translate : callable, optional
        Translates the month names of the period labels.

    Returns
    -------
    Change
        The first and latest yearly averages (as :func:`yearly_summary`), their
        percentage change and whether that is an improvement given the polarity.

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        As :func:`yearly_summary`, or if the polarity is not "higher" or "lower".
    """
    series = _series(kpis, indicator)
    polarity = _polarity(series, indicator)
    years = yearly_summary(kpis, indicator, translate)
    first, last = float(years["mean"].iloc[0]), float(years["mean"].iloc[-1])
    return Change(indicator, years["period"].iloc[0], years["period"].iloc[-1], first, last,
                  percent_change(first, last), _direction(last - first, polarity))


@dataclass(frozen=True)
class CherryPick:
    """A window of months chosen so that its first and last month tell a story."""

    indicator: str
    start: pd.Timestamp
    end: pd.Timestamp
    first: float
    last: float
    percent: float
    apparent: str  # what the window seems to show: "improved", "worsened" or "unchanged"
    months: int


def find_cherry_pick(kpis: pd.DataFrame, indicator: str, want: str | None = None, min_months: int = 6) -> CherryPick:
    """Find the window of months whose start and end show the most flattering (or damning) change.

    A chart that runs from a bad month to a good one ("down 30% since January") can
    show an improvement in a series that got worse year on year. This searches every
    window of at least ``min_months`` consecutive months for the largest change, in
    proportion to the first month, in the direction wanted.

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset, with the ``better`` polarity.
    indicator : str
        One of its indicators.
    want : {"improved", "worsened"}, optional
        The story the window should tell; by default the opposite of
        :func:`long_run_change` (so the window contradicts the full series).
    min_months : int, default 6
        The shortest window considered, counting its first and last month.

    Returns
    -------
    CherryPick
        The window's first and last month and values, the percentage change between
        them and what it appears to show. Ties go to the earliest window.

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        If ``want`` or ``min_months`` is invalid, the polarity is missing, or the
        indicator has fewer months than ``min_months``.
    """
    if want is not None and want not in ("improved", "worsened"):
        raise ValueError(f"want must be 'improved', 'worsened' or None, got {want!r}")
    if isinstance(min_months, bool) or not isinstance(min_months, (int, np.integer)) or min_months < 2:
        raise ValueError(f"min_months must be a whole number of at least 2, got {min_months!r}")
    series = _series(kpis, indicator)
    polarity = _polarity(series, indicator)
    if want is None:
        want = "improved" if long_run_change(kpis, indicator).direction == "worsened" else "worsened"
    ordinal = _ordinal(series["month"])
    values = series["value"].to_numpy(dtype=float)
    if ordinal.max() - ordinal.min() + 1 < min_months:
        raise ValueError(f"indicator {indicator!r} has fewer than min_months={min_months} months")
    sign = (1.0 if polarity == "higher" else -1.0) * (1.0 if want == "improved" else -1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        gain = sign * (values[None, :] - values[:, None]) / np.abs(values[:, None])
    length = ordinal[None, :] - ordinal[:, None] + 1
    gain = np.where((length >= min_months) & np.isfinite(gain), gain, -np.inf)
    i, j = np.unravel_index(int(np.argmax(gain)), gain.shape)
    if not np.isfinite(gain[i, j]):
        raise ValueError(f"indicator {indicator!r} has no window of {min_months} months with a non-zero first value")
    first, last = float(values[i]), float(values[j])
    return CherryPick(indicator, series["month"].iloc[i], series["month"].iloc[j], first, last,
                      percent_change(first, last), _direction(last - first, polarity), int(length[i, j]))


def cherry_pick_table(kpis: pd.DataFrame, min_months: int = 6) -> pd.DataFrame:
    """For each indicator: the long-run change and the window that best tells the opposite story.

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset.
    min_months : int, default 6
        The shortest window considered.

    Returns
    -------
    pandas.DataFrame
        One row per indicator with two whole years or more: ``indicator``,
        ``long_run_percent``, ``long_run`` (direction), ``window_start``, ``window_end``,
        ``window_percent``, ``window_shows`` and ``contradicts`` (True when the window
        shows the opposite of the long run). Contradicting windows come first, those
        that flatter (an apparent improvement in a series that got worse, the form a
        report most often takes) before those that damn, the largest apparent change first.

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        If a column is missing or no indicator spans two whole years.
    """
    _check_frame(kpis)
    rows = []
    for indicator in _indicators(kpis):
        try:
            change = long_run_change(kpis, indicator)
            pick = find_cherry_pick(kpis, indicator, min_months=min_months)
        except ValueError:
            continue
        rows.append({"indicator": indicator, "long_run_percent": change.percent, "long_run": change.direction,
                     "window_start": pick.start, "window_end": pick.end, "window_percent": pick.percent,
                     "window_shows": pick.apparent,
                     "contradicts": pick.apparent not in ("unchanged", change.direction) and change.direction != "unchanged"})
    if not rows:
        raise ValueError("no indicator spans two whole years with a polarity")
    table = pd.DataFrame(rows)
    table["_size"] = table["window_percent"].abs()
    table["_flatters"] = table["window_shows"] == "improved"
    return (table.sort_values(["contradicts", "_flatters", "_size"], ascending=False, ignore_index=True)
            .drop(columns=["_size", "_flatters"]))


# --------------------------------------------------------------------------- charts
def _value_label(value: float) -> str:
    return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"


def _axis_label(unit: str, polarity: str | None, tr: Callable[[str], str]) -> str:
    if polarity == "higher":
        return f"{unit} ({tr('higher is better')})" if unit else tr("higher is better")
    if polarity == "lower":
        return f"{unit} ({tr('lower is better')})" if unit else tr("lower is better")
    return unit


def _month_axis(ax, months: Sequence, tr: Callable[[str], str]) -> None:
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    stamps = pd.to_datetime(pd.Series(months))
    span = (stamps.max().year - stamps.min().year) * 12 + stamps.max().month - stamps.min().month + 1
    if span > 24:
        locator = mdates.MonthLocator(bymonth=(4, 10))
    elif span > 12:
        locator = mdates.MonthLocator(bymonth=(1, 4, 7, 10))
    else:
        locator = mdates.MonthLocator(interval=2 if span > 4 else 1)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _month_label(mdates.num2date(x).replace(tzinfo=None), tr)))


def plot_bars(yearly: pd.DataFrame, baseline: float = 0.0, ax=None, title: str | None = None,
              ylabel: str | None = None, translate: Callable[[str], str] | None = None):
    """Draw yearly averages as bars on a value axis that starts at ``baseline``.

    Parameters
    ----------
    yearly : pandas.DataFrame
        From :func:`yearly_summary` (``period`` and ``mean``).
    baseline : float, default 0.0
        Where the value axis starts (0 for an honest bar chart).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title, ylabel : str, optional
        Chart title (by default it says where the axis starts) and value-axis label.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``yearly`` is not a pandas DataFrame.
    ValueError
        If ``yearly`` lacks ``period`` or ``mean``, or ``baseline`` is not below every bar.
    """
    tr = translate or _same
    if not isinstance(yearly, pd.DataFrame):
        raise TypeError(f"yearly must be a pandas DataFrame (from yearly_summary), got {type(yearly).__name__}")
    if {"period", "mean"} - set(yearly.columns) or yearly.empty:
        raise ValueError("yearly must have rows with the columns period and mean (use yearly_summary)")
    base = _number(baseline, "baseline")
    means = yearly["mean"].to_numpy(dtype=float)
    if not (means > base).all():
        raise ValueError(f"baseline ({baseline!r}) must be below every bar ({', '.join(_value_label(m) for m in means)})")
    ax = _axes(ax)
    colours = [MUTED] * (len(means) - 1) + [HIGHLIGHT]
    x = np.arange(len(means))
    ax.bar(x, means - base, bottom=base, color=colours, width=0.6)
    top = means.max() + 0.08 * (means.max() - base)
    ax.set_ylim(base, top)
    for xi, m in zip(x, means):
        ax.annotate(_value_label(m), (xi, m), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=9)
    ax.set_xticks(x, yearly["period"].astype(str), fontsize=9)
    ax.grid(axis="x", visible=False)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.set_title(title or (tr("Axis starts at zero") if base == 0 else
                           tr("Axis starts at {bottom}").format(bottom=f"{base:g}")), fontsize=11)
    return ax


def plot_axis_pair(kpis: pd.DataFrame, indicator: str, baseline: float | None = None,
                   translate: Callable[[str], str] | None = None):
    """The same yearly averages twice: on a truncated axis (left) and on an axis from zero (right).

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset.
    indicator : str
        One of its indicators, with two whole years or more.
    baseline : float, optional
        The truncated axis's bottom; :func:`truncated_bottom` of the yearly averages by default.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.figure.Figure
        A pyplot figure with the two panels.

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        As :func:`yearly_summary` and :func:`plot_bars`.
    """
    import matplotlib.pyplot as plt

    tr = translate or _same
    yearly = yearly_summary(kpis, indicator, tr)
    series = _series(kpis, indicator)
    polarity = _polarity(series, indicator) if series["better"].notna().any() else None
    bottom = truncated_bottom(yearly["mean"]) if baseline is None else _number(baseline, "baseline")
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    label = _axis_label(_unit(series), polarity, tr)
    plot_bars(yearly, bottom, ax=left, ylabel=label, translate=tr)
    plot_bars(yearly, 0.0, ax=right, ylabel=label, translate=tr)
    fig.suptitle(tr("{indicator}: average per month, by year").format(indicator=indicator), x=0.01, ha="left",
                 fontweight="bold")
    return fig


def plot_dual_axes(kpis: pd.DataFrame, left: str, right: str, ax=None, title: str | None = None,
                   translate: Callable[[str], str] | None = None):
    """Two indicators on two value axes, each stretched to its own range (the misleading way).

    Each axis runs from just below its series' minimum to just above its maximum, so
    both lines fill the same band and seem to move together, whatever the size of
    their changes.

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset.
    left, right : str
        Two different indicators: the first on the left axis, the second on the right.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    tuple of matplotlib.axes.Axes
        The left and the right (twin) axes.

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        If ``left`` and ``right`` are the same or either is not in the data.
    """
    tr = translate or _same
    if left == right:
        raise ValueError("left and right must be two different indicators")
    a, b = _series(kpis, left), _series(kpis, right)
    ax = _axes(ax)
    twin = ax.twinx()
    for axis, series, colour, name in ((ax, a, HIGHLIGHT, left), (twin, b, _SECOND, right)):
        axis.plot(series["month"], series["value"], color=colour, linewidth=2, label=name)
        low, high = series["value"].min(), series["value"].max()
        pad = 0.05 * (high - low or abs(high) or 1.0)
        axis.set_ylim(low - pad, high + pad)
        axis.tick_params(axis="y", colors=colour)
        axis.set_ylabel(_unit(series), color=colour)
    twin.grid(False)
    twin.spines["right"].set_visible(True)
    _month_axis(ax, pd.concat([a["month"], b["month"]]), tr)
    lines = ax.get_lines() + twin.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="upper left", fontsize=8)
    ax.set_title(title or tr("Two axes, each fitted to its own line"), fontsize=11)
    return ax, twin


def plot_indexed(kpis: pd.DataFrame, indicators: Sequence[str], ax=None, title: str | None = None,
                 translate: Callable[[str], str] | None = None):
    """Indicators on one axis as an index: each month's value as a percentage of its first year's average.

    An index puts measures with different units on the same footing: a line that ends
    at 130 has risen by 30% since its first year, one at 101 by 1%.

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset.
    indicators : sequence of str
        The indicators to draw (each with two whole years or more).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        If ``indicators`` is empty, or as :func:`yearly_summary`.
    """
    tr = translate or _same
    names = [indicators] if isinstance(indicators, str) else list(indicators)
    if not names:
        raise ValueError("indicators must name at least one indicator")
    ax = _axes(ax)
    colours = [HIGHLIGHT, _SECOND, "#28A197", "#F46A25"]
    months = []
    for k, name in enumerate(names):
        series = _series(kpis, name)
        years = yearly_summary(kpis, name, tr)
        base = float(years["mean"].iloc[0])
        if base == 0:
            raise ValueError(f"indicator {name!r} averages zero in its first year: it cannot be indexed")
        index = 100 * series["value"] / base
        colour = colours[k % len(colours)]
        ax.plot(series["month"], index, color=colour, linewidth=2, label=name)
        latest = 100 * float(years["mean"].iloc[-1]) / base
        ax.annotate(tr("latest year: {index}").format(index=f"{latest:.0f}"), (series["month"].iloc[-1], index.iloc[-1]),
                    xytext=(6, 0), textcoords="offset points", va="center", color=colour, fontsize=9, fontweight="bold")
        months.append(series["month"])
    ax.axhline(100, color=_TARGET, linewidth=0.8, alpha=0.7)
    _month_axis(ax, pd.concat(months), tr)
    ax.set_ylabel(tr("Index: first year's average = 100"))
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(title or tr("One axis: change since the first year"), fontsize=11)
    return ax


def plot_cumulative_pair(kpis: pd.DataFrame, indicator: str, translate: Callable[[str], str] | None = None):
    """The latest year as a running total from April (left) and month by month against a year earlier (right).

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset.
    indicator : str
        One of its indicators, with the ``better`` polarity and 24 months or more.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.figure.Figure
        A pyplot figure with the two panels.

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        As :func:`year_to_date` and :func:`same_month_last_year`.
    """
    import matplotlib.pyplot as plt

    tr = translate or _same
    ytd = year_to_date(kpis, indicator)
    latest = ytd[ytd["year"] == ytd["year"].iloc[-1]]
    compared = same_month_last_year(kpis, indicator)
    series = _series(kpis, indicator)
    unit = _unit(series)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    left.plot(latest["month"], latest["ytd"], color=HIGHLIGHT, marker="o", markersize=4)
    if latest["ytd_target"].notna().any():
        left.plot(latest["month"], latest["ytd_target"], color=_TARGET, linestyle="--", linewidth=1, label=tr("Target"))
        left.legend(loc="upper left", fontsize=8)
    left.set_ylim(bottom=0)
    _month_axis(left, latest["month"], tr)
    left.set_ylabel(unit)
    left.set_title(tr("Year to date, {year}").format(year=latest["year"].iloc[0]), fontsize=11)
    x = np.arange(len(compared))
    right.bar(x - 0.2, compared["year_earlier"], width=0.4, color=MUTED, label=tr("A year earlier"))
    right.bar(x + 0.2, compared["value"], width=0.4, color=HIGHLIGHT, label=tr("Latest year"))
    names = _month_names(tr)
    right.set_xticks(x, [names[m.month - 1] for m in compared["month"]], fontsize=9)
    right.grid(axis="x", visible=False)
    right.set_ylabel(_axis_label(unit, _polarity(series, indicator), tr))
    right.legend(loc="upper right", fontsize=8)
    right.set_title(tr("Each month against the same month a year earlier"), fontsize=11)
    fig.suptitle(indicator, x=0.01, ha="left", fontweight="bold")
    return fig


def plot_cherry_pick(kpis: pd.DataFrame, pick: CherryPick, translate: Callable[[str], str] | None = None):
    """A cherry-picked window as a dashboard would show it (left) and the full series with yearly averages (right).

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset.
    pick : CherryPick
        From :func:`find_cherry_pick`.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.figure.Figure
        A pyplot figure with the two panels.

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame or ``pick`` is not a :class:`CherryPick`.
    ValueError
        As :func:`yearly_summary`.
    """
    import matplotlib.pyplot as plt

    tr = translate or _same
    if not isinstance(pick, CherryPick):
        raise TypeError(f"pick must be a CherryPick (from find_cherry_pick), got {type(pick).__name__}")
    series = _series(kpis, pick.indicator)
    years = yearly_summary(kpis, pick.indicator, tr)
    window = series[(series["month"] >= pick.start) & (series["month"] <= pick.end)]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained",
                                      gridspec_kw={"width_ratios": [1, 1.6]})
    left.plot(window["month"], window["value"], color=HIGHLIGHT, marker="o", markersize=4)
    _month_axis(left, window["month"], tr)
    left.set_ylabel(_unit(series))
    change = f"{pick.percent:+.0f}%"
    left.set_title(tr("Since {start}: {change}").format(start=_month_label(pick.start, tr), change=change), fontsize=11)
    right.plot(series["month"], series["value"], color=MUTED, linewidth=1.5, label=tr("Monthly"))
    right.axvspan(pick.start, pick.end, color=HIGHLIGHT, alpha=0.12, label=tr("The window on the left"))
    for k, row in enumerate(years.itertuples(index=False)):
        right.hlines(row.mean, row.start, row.end + pd.offsets.MonthEnd(0), color=_SECOND, linewidth=2.5,
                     label=tr("Average of each whole year") if k == 0 else None)
    right.set_ylim(bottom=0)
    _month_axis(right, series["month"], tr)
    right.set_ylabel(_axis_label(_unit(series), _polarity(series, pick.indicator), tr))
    right.legend(loc="lower left", fontsize=8)
    right.set_title(tr("The full series, axis from zero"), fontsize=11)
    fig.suptitle(pick.indicator, x=0.01, ha="left", fontweight="bold")
    return fig


def plot_kpi(kpis: pd.DataFrame, indicator: str, start=None, end=None, from_zero: bool = True,
             cumulative: bool = False, ax=None, translate: Callable[[str], str] | None = None):
    """Draw one indicator month by month (or year to date) with its target, for any range of months.

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset.
    indicator : str
        One of its indicators.
    start, end : date-like, optional
        The first and last month shown; the whole series by default.
    from_zero : bool, default True
        Start the value axis at zero; False lets it fit the data, as dashboards do.
    cumulative : bool, default False
        Show the year-to-date figure (:func:`year_to_date`) instead of the month's.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        If ``indicator`` is not in the data or no month falls between ``start`` and ``end``.
    """
    tr = translate or _same
    ytd = year_to_date(kpis, indicator)
    series = _series(kpis, indicator)
    lo = pd.Timestamp(start) if start is not None else ytd["month"].min()
    hi = pd.Timestamp(end) if end is not None else ytd["month"].max()
    shown = ytd[(ytd["month"] >= lo) & (ytd["month"] <= hi)]
    if shown.empty:
        raise ValueError(f"no month of {indicator!r} falls between {lo:%Y-%m} and {hi:%Y-%m}")
    column, target = ("ytd", "ytd_target") if cumulative else ("value", "target")
    ax = _axes(ax)
    ax.plot(shown["month"], shown[column], color=HIGHLIGHT, marker="o", markersize=3,
            label=tr("Year to date") if cumulative else tr("Monthly"))
    if shown[target].notna().any():
        ax.plot(shown["month"], shown[target], color=_TARGET, linestyle="--", linewidth=1, label=tr("Target"))
    if from_zero:
        ax.set_ylim(bottom=0)
    _month_axis(ax, shown["month"], tr)
    polarity = _polarity(series, indicator) if series["better"].notna().any() else None
    ax.set_ylabel(_axis_label(_unit(series), polarity, tr))
    ax.legend(loc="best", fontsize=8)
    ax.set_title(indicator, fontsize=11)
    return ax


def kpi_view(kpis: pd.DataFrame, indicator: str, start=None, end=None, from_zero: bool = True,
             cumulative: bool = False, translate: Callable[[str], str] | None = None):
    """The chart of :func:`plot_kpi` as a figure made without pyplot (for widgets and app views).

    Parameters
    ----------
    kpis, indicator, start, end, from_zero, cumulative, translate
        As :func:`plot_kpi`.

    Returns
    -------
    matplotlib.figure.Figure
        Never shown twice by a notebook's inline backend; needs no closing.

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        As :func:`plot_kpi`.
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4))
    plot_kpi(kpis, indicator, start=start, end=end, from_zero=from_zero, cumulative=cumulative,
             ax=figure.subplots(), translate=translate)
    figure.set_layout_engine("constrained")
    return figure


def chart_explorer(kpis: pd.DataFrame, indicator: str | None = None, translate: Callable[[str], str] | None = None):
    """Widgets to redraw one indicator: axis from zero or not, the months shown, monthly or year to date.

    The view is written into an :class:`ipywidgets.Output` with ``append_display_data``
    (never by capturing output), so headless runs (papermill, nbgrader) cannot stall
    on it (jupyter/nbclient#312).

    Parameters
    ----------
    kpis : pandas.DataFrame
        The ``performance_kpis`` dataset.
    indicator : str, optional
        The indicator shown first; the first in alphabetical order by default.
    translate : callable, optional
        Translates the widgets' and chart's words; English by default.

    Returns
    -------
    ipywidgets.VBox
        The controls (indicator, axis from zero, monthly or year to date, the range of
        months) above the chart; display it in a notebook.

    Raises
    ------
    TypeError
        If ``kpis`` is not a pandas DataFrame.
    ValueError
        If a column is missing or ``indicator`` is not in the data.
    """
    import ipywidgets as widgets

    _check_frame(kpis)
    tr = translate or _same
    names = _indicators(kpis)
    if indicator is not None and indicator not in names:
        raise ValueError(f"indicator {indicator!r} is not in the data; the indicators are: {', '.join(names)}")
    months = sorted(pd.to_datetime(kpis["month"]).dt.to_period("M").dt.to_timestamp().unique())
    options = [(_month_label(m, tr), pd.Timestamp(m)) for m in months]
    pick = widgets.Dropdown(options=names, value=indicator or names[0], description=tr("Indicator"),
                            layout=widgets.Layout(width="32em"), style={"description_width": "initial"})
    zero = widgets.Checkbox(value=True, description=tr("Axis from zero"), indent=False)
    mode = widgets.ToggleButtons(options=[(tr("Monthly"), False), (tr("Year to date"), True)], value=False)
    span = widgets.SelectionRangeSlider(options=options, index=(0, len(options) - 1), description=tr("Months"),
                                        layout=widgets.Layout(width="40em"))
    view = live_view(lambda: kpi_view(kpis, pick.value, start=span.value[0], end=span.value[1], from_zero=zero.value,
                                      cumulative=mode.value, translate=tr), [pick, zero, mode, span], dpi=100)
    return widgets.VBox([widgets.HBox([pick, zero]), widgets.HBox([mode]), span, view])
