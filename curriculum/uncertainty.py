"""Uncertainty: ranges, not single numbers.

A survey percentage, a forecast and a league-table position are all estimates. This
module gives the ranges that go with them, for leaders who read them rather than
compute them:

- :func:`margin_of_error` (the survey textbook's ± figure) and :func:`proportion_interval`
  (a Wilson score interval from :func:`statsmodels.stats.proportion.proportion_confint`);
- :func:`survey_table` puts an interval on every council's figure, and
  :func:`compare_proportions` and :func:`compare_with` say which differences are bigger
  than chance (Newcombe's interval for a difference of two proportions, from
  :func:`statsmodels.stats.proportion.confint_proportions_2indep`);
- :func:`regression_to_mean` replays the survey many times from each area's own rate to
  show that the worst performers one year improve the next with no intervention at all,
  and :func:`observed_regression` looks for the same pattern in the data themselves;
- :func:`plot_fan_chart` draws a forecast with its prediction intervals (from
  :func:`curriculum.forecasting.fit_ets`) as a fan, and :func:`target_position` says where
  a target falls against it;
- :func:`margin_explorer` and :func:`comparison_explorer` are widgets to explore them.

The survey functions work on the ``survey_results`` dataset (one row per area, year and
question with ``respondents`` and ``percent_agree``). Functions that draw charts or
widgets take ``translate`` (a module's :func:`curriculum.translator`) for their own
words. Importing this module changes nothing; matplotlib and ipywidgets are imported
only when drawing.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd
from scipy import stats

from curriculum.style import HIGHLIGHT, MUTED
from curriculum.views import axes as _axes
from curriculum.views import live_view
from curriculum.views import untranslated as _same

__all__ = [
    "RegressionReplay",
    "compare_proportions",
    "compare_with",
    "comparison_explorer",
    "comparison_view",
    "margin_explorer",
    "margin_of_error",
    "margin_view",
    "observed_regression",
    "plot_differences",
    "plot_fan_chart",
    "plot_intervals",
    "plot_margin_curve",
    "plot_regression_to_mean",
    "pooled_rates",
    "proportion_interval",
    "regression_to_mean",
    "survey_table",
    "target_position",
    "z_value",
]

_SECOND = "#12436D"
_LINE = "#3D3D3D"
_SURVEY_COLUMNS = {"area_name", "year", "question", "respondents", "percent_agree"}


def _number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (Real, np.integer, np.floating)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def _percent_array(percent, name: str = "percent") -> np.ndarray:
    try:
        values = np.asarray(percent, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers between 0 and 100, got {percent!r}") from None
    if not np.isfinite(values).all() or ((values < 0) | (values > 100)).any():
        raise ValueError(f"{name} must hold numbers between 0 and 100, got {percent!r}")
    return values


def _size_array(n, name: str = "n") -> np.ndarray:
    try:
        values = np.asarray(n, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold positive numbers of respondents, got {n!r}") from None
    if not np.isfinite(values).all() or (values <= 0).any():
        raise ValueError(f"{name} must hold positive numbers of respondents, got {n!r}")
    return values


def z_value(confidence: float = 0.95) -> float:
    """The normal deviate of a two-sided interval: 1.96 for 95%.

    Parameters
    ----------
    confidence : float, default 0.95
        The interval's coverage, strictly between 0 and 1.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``confidence`` is not strictly between 0 and 1.
    """
    level = _number(confidence, "confidence")
    if not 0 < level < 1:
        raise ValueError(f"confidence must be strictly between 0 and 1 (0.95 for 95%), got {confidence!r}")
    return float(stats.norm.ppf(1 - (1 - level) / 2))


def margin_of_error(percent, n, confidence: float = 0.95):
    """A survey percentage's margin of error, in percentage points: z × √(p(1 − p) / n).

    This is the "± 3 points" printed under opinion polls: the half-width of the
    normal-approximation (Wald) interval for a simple random sample.

    Parameters
    ----------
    percent : float or array-like
        The percentage agreeing, 0-100.
    n : int or array-like
        Respondents (positive), broadcastable against ``percent``.
    confidence : float, default 0.95
        The interval's coverage.

    Returns
    -------
    float or numpy.ndarray
        The margin of error in percentage points (a float for two numbers).

    Raises
    ------
    ValueError
        If ``percent`` is outside 0-100, ``n`` is not positive or ``confidence`` is not
        strictly between 0 and 1.

    Examples
    --------
    >>> round(margin_of_error(50, 1000), 2)
    3.1
    """
    p = _percent_array(percent) / 100
    size = _size_array(n)
    moe = z_value(confidence) * np.sqrt(p * (1 - p) / size) * 100
    return float(moe) if moe.ndim == 0 else moe


def proportion_interval(percent, n, confidence: float = 0.95, method: str = "wilson"):
    """A confidence interval for a survey percentage, from statsmodels' ``proportion_confint``.

    Parameters
    ----------
    percent : float or array-like
        The percentage agreeing, 0-100.
    n : int or array-like
        Respondents (positive).
    confidence : float, default 0.95
        The interval's coverage.
    method : str, default "wilson"
        Any method of :func:`statsmodels.stats.proportion.proportion_confint`; Wilson's
        score interval stays inside 0-100 and keeps its coverage for small samples.

    Returns
    -------
    tuple of (float or numpy.ndarray, float or numpy.ndarray)
        The lower and upper limits, in percent.

    Raises
    ------
    ValueError
        As :func:`margin_of_error`, or if ``method`` is not one statsmodels knows.
    """
    from statsmodels.stats.proportion import proportion_confint

    p = _percent_array(percent) / 100
    size = _size_array(n)
    alpha = 1 - _number(confidence, "confidence")
    z_value(confidence)  # validates
    try:
        low, high = proportion_confint(p * size, size, alpha=alpha, method=method)
    except NotImplementedError:
        raise ValueError(f"method {method!r} is not a method of statsmodels' proportion_confint") from None
    # Wilson's interval holds the estimate and stays in 0-100; keep it so where rounding strays at the ends.
    low = np.clip(np.minimum(np.asarray(low, dtype=float) * 100, p * 100), 0.0, 100.0)
    high = np.clip(np.maximum(np.asarray(high, dtype=float) * 100, p * 100), 0.0, 100.0)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def _check_survey(results: pd.DataFrame, what: str = "results") -> None:
    if not isinstance(results, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame (the survey_results dataset), got {type(results).__name__}")
    missing = _SURVEY_COLUMNS - set(results.columns)
    if missing:
        raise ValueError(f"{what} must have the columns {', '.join(sorted(_SURVEY_COLUMNS))}; missing: "
                         f"{', '.join(sorted(missing))}")
    if results.empty:
        raise ValueError(f"{what} has no rows")


def survey_table(results: pd.DataFrame, question: str, year: int | None = None,
                 confidence: float = 0.95) -> pd.DataFrame:
    """Every area's figure for one question and year, with its interval and margin of error.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``survey_results`` dataset.
    question : str
        One of its questions.
    year : int, optional
        A year with rows for that question; the latest by default.
    confidence : float, default 0.95
        The intervals' coverage.

    Returns
    -------
    pandas.DataFrame
        One row per area, highest percentage first: ``area_name`` (and ``area_code``
        when the data hold it), ``year``, ``respondents``, ``percent_agree``, ``low`` and
        ``high`` (Wilson interval) and ``margin`` (± points, :func:`margin_of_error`).

    Raises
    ------
    TypeError
        If ``results`` is not a pandas DataFrame.
    ValueError
        If a column is missing, ``question`` or ``year`` is not in the data, or an area
        has more than one row for them.
    """
    _check_survey(results)
    if question not in set(results["question"]):
        raise ValueError(f"question {question!r} is not in the data; the questions are: "
                         + "; ".join(dict.fromkeys(map(str, results["question"]))))
    rows = results[results["question"] == question]
    years = sorted(int(y) for y in rows["year"].unique())
    chosen = years[-1] if year is None else year
    if chosen not in years:
        raise ValueError(f"year {year!r} has no rows for {question!r}; its years are: {', '.join(map(str, years))}")
    rows = rows[rows["year"] == chosen].copy()
    if rows["area_name"].duplicated().any():
        dupes = sorted(rows.loc[rows["area_name"].duplicated(), "area_name"].astype(str))
        raise ValueError(f"these areas have more than one row for {question!r} in {chosen}: {', '.join(dupes)}")
    rows["low"], rows["high"] = proportion_interval(rows["percent_agree"], rows["respondents"], confidence)
    rows["margin"] = margin_of_error(rows["percent_agree"], rows["respondents"], confidence)
    keep = [c for c in ("area_code", "area_name", "year", "respondents", "percent_agree", "low", "high", "margin")
            if c in rows.columns]
    return rows[keep].sort_values("percent_agree", ascending=False, ignore_index=True)


def compare_proportions(percent_1: float, n_1: float, percent_2: float, n_2: float,
                        confidence: float = 0.95) -> dict[str, float | bool]:
    """Is the difference between two survey percentages bigger than chance?

    Parameters
    ----------
    percent_1, n_1 : float
        The first group's percentage (0-100) and respondents.
    percent_2, n_2 : float
        The second group's.
    confidence : float, default 0.95
        The interval's coverage.

    Returns
    -------
    dict
        ``difference`` (first minus second, in points), ``low`` and ``high`` (Newcombe's
        hybrid score interval for the difference, from statsmodels'
        ``confint_proportions_2indep``) and ``real`` (True when the interval excludes zero).

    Raises
    ------
    ValueError
        If a percentage is outside 0-100, a sample size is not positive or ``confidence``
        is not strictly between 0 and 1.
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    p1, p2 = float(_percent_array(percent_1, "percent_1")) / 100, float(_percent_array(percent_2, "percent_2")) / 100
    m1, m2 = float(_size_array(n_1, "n_1")), float(_size_array(n_2, "n_2"))
    z_value(confidence)
    low, high = confint_proportions_2indep(p1 * m1, m1, p2 * m2, m2, method="newcomb", compare="diff",
                                           alpha=1 - confidence)
    low, high = 100 * float(low), 100 * float(high)
    return {"difference": 100 * (p1 - p2), "low": low, "high": high, "real": bool(low > 0 or high < 0)}


def compare_with(table: pd.DataFrame, area: str, confidence: float = 0.95) -> pd.DataFrame:
    """Compare every other area with one area: the difference and whether it is bigger than chance.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`survey_table` (one row per area).
    area : str
        The area compared with (matched case-insensitively on ``area_name``).
    confidence : float, default 0.95
        The intervals' coverage.

    Returns
    -------
    pandas.DataFrame
        One row per other area, largest difference first: ``area_name``,
        ``percent_agree``, ``respondents``, ``difference`` (other minus ``area``, points),
        ``low``, ``high``, ``real`` and ``verdict`` ("higher", "lower" or "no clear
        difference").

    Raises
    ------
    TypeError
        If ``table`` is not a pandas DataFrame.
    ValueError
        If ``table`` lacks a column or ``area`` is not one of its areas.
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame (from survey_table), got {type(table).__name__}")
    needed = {"area_name", "respondents", "percent_agree"}
    if needed - set(table.columns):
        raise ValueError(f"table must have the columns {', '.join(sorted(needed))} (use survey_table)")
    hit = table["area_name"].astype(str).str.casefold() == str(area).casefold()
    if not hit.any():
        raise ValueError(f"area {area!r} is not in the table; the areas are: {', '.join(sorted(map(str, table['area_name'])))}")
    mine = table.loc[hit].iloc[0]
    rows = []
    for other in table.loc[~hit].itertuples(index=False):
        result = compare_proportions(other.percent_agree, other.respondents, mine["percent_agree"], mine["respondents"],
                                     confidence)
        verdict = ("higher" if result["low"] > 0 else "lower") if result["real"] else "no clear difference"
        rows.append({"area_name": other.area_name, "percent_agree": other.percent_agree, "respondents": other.respondents,
                     **result, "verdict": verdict})
    return pd.DataFrame(rows).sort_values("difference", ascending=False, ignore_index=True)


def pooled_rates(results: pd.DataFrame, question: str) -> pd.DataFrame:
    """Each area's percentage pooled over all its years: the best guess of its true, steady figure.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``survey_results`` dataset.
    question : str
        One of its questions.

    Returns
    -------
    pandas.DataFrame
        One row per area: ``area_name``, ``percent_agree`` (agreeing respondents of all
        years ÷ all respondents × 100), ``respondents`` (the area's respondents in its
        latest year, the sample size a replay of one year draws) and ``years``.

    Raises
    ------
    TypeError
        If ``results`` is not a pandas DataFrame.
    ValueError
        If a column is missing or ``question`` is not in the data.
    """
    _check_survey(results)
    if question not in set(results["question"]):
        raise ValueError(f"question {question!r} is not in the data")
    rows = results[results["question"] == question].sort_values("year")
    agreeing = rows["percent_agree"] * rows["respondents"] / 100
    grouped = rows.assign(agreeing=agreeing).groupby("area_name", sort=True)
    out = pd.DataFrame({"percent_agree": 100 * grouped["agreeing"].sum() / grouped["respondents"].sum(),
                        "respondents": grouped["respondents"].last(), "years": grouped["year"].nunique()})
    return out.reset_index()


@dataclass(frozen=True)
class RegressionReplay:
    """What happened to the worst areas in replays of a survey in which nothing changed."""

    replays: pd.DataFrame      # one row per replay: worst_change, rest_change (points)
    n_worst: int
    mean_worst_change: float   # average change of the worst areas from the first year to the second
    share_worst_improved: float
    mean_rest_change: float


def regression_to_mean(rates: pd.DataFrame, n_worst: int = 3, n_replays: int = 2000, seed: int = 2024) -> RegressionReplay:
    """Replay two years of a survey in which no area's true rate changes, and follow the worst areas.

    Each replay draws every area's percentage twice (binomially, from its true rate and
    its sample size), picks the ``n_worst`` lowest in the first draw, and records how
    their figure changed in the second. Nothing was done to them, yet they improve on
    average: part of a low figure is bad luck, and luck does not repeat.

    Parameters
    ----------
    rates : pandas.DataFrame
        One row per area with ``respondents`` and ``percent_agree`` (taken as the true
        rate), such as a :func:`survey_table` or an average over years.
    n_worst : int, default 3
        How many of the lowest areas to follow (fewer than the areas).
    n_replays : int, default 2000
        Replays to run.
    seed : int, default 2024
        Seed of the random numbers; the same seed gives the same result.

    Returns
    -------
    RegressionReplay
        The replays and their summary: the worst areas' mean change (points), the share
        of replays in which they improved on average, and the other areas' mean change.

    Raises
    ------
    TypeError
        If ``rates`` is not a pandas DataFrame.
    ValueError
        If a column is missing or invalid, or ``n_worst`` or ``n_replays`` is out of range.
    """
    if not isinstance(rates, pd.DataFrame):
        raise TypeError(f"rates must be a pandas DataFrame with respondents and percent_agree, got {type(rates).__name__}")
    if {"respondents", "percent_agree"} - set(rates.columns):
        raise ValueError("rates must have the columns respondents and percent_agree")
    p = _percent_array(rates["percent_agree"], "percent_agree") / 100
    n = np.round(_size_array(rates["respondents"], "respondents")).astype(int)
    if isinstance(n_worst, bool) or not isinstance(n_worst, (int, np.integer)) or not 1 <= n_worst < len(p):
        raise ValueError(f"n_worst must be a whole number from 1 to {len(p) - 1} (fewer than the areas), got {n_worst!r}")
    if isinstance(n_replays, bool) or not isinstance(n_replays, (int, np.integer)) or n_replays < 10:
        raise ValueError(f"n_replays must be a whole number of at least 10, got {n_replays!r}")
    rng = np.random.default_rng(seed)
    first = rng.binomial(n, p, size=(n_replays, len(p))) / n * 100
    second = rng.binomial(n, p, size=(n_replays, len(p))) / n * 100
    order = np.argsort(first + rng.uniform(0, 1e-9, size=first.shape), axis=1)  # random tie-break
    worst = np.zeros_like(first, dtype=bool)
    np.put_along_axis(worst, order[:, :n_worst], True, axis=1)
    change = second - first
    worst_change = np.where(worst, change, 0).sum(axis=1) / n_worst
    rest_change = np.where(~worst, change, 0).sum(axis=1) / (len(p) - n_worst)
    replays = pd.DataFrame({"worst_change": worst_change, "rest_change": rest_change})
    return RegressionReplay(replays, int(n_worst), float(worst_change.mean()), float((worst_change > 0).mean()),
                            float(rest_change.mean()))


def observed_regression(results: pd.DataFrame, question: str, n_worst: int = 3) -> pd.DataFrame:
    """In the data themselves: how the lowest areas of each year changed the next year.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``survey_results`` dataset.
    question : str
        One of its questions.
    n_worst : int, default 3
        How many of the lowest areas to follow each year.

    Returns
    -------
    pandas.DataFrame
        One row per pair of consecutive years: ``year``, ``next_year``, ``worst`` (the
        lowest areas, joined by ", "), ``worst_change`` and ``rest_change`` (mean change in
        points of the lowest areas and of the others, over the areas present both years).

    Raises
    ------
    TypeError
        If ``results`` is not a pandas DataFrame.
    ValueError
        If a column is missing, ``question`` is unknown, ``n_worst`` is out of range or
        the question has fewer than two years.
    """
    _check_survey(results)
    if question not in set(results["question"]):
        raise ValueError(f"question {question!r} is not in the data")
    rows = results[results["question"] == question]
    wide = rows.pivot_table(index="area_name", columns="year", values="percent_agree", aggfunc="first")
    years = sorted(wide.columns)
    if len(years) < 2:
        raise ValueError(f"question {question!r} has {len(years)} year(s); following areas needs two or more")
    if isinstance(n_worst, bool) or not isinstance(n_worst, (int, np.integer)) or not 1 <= n_worst < len(wide):
        raise ValueError(f"n_worst must be a whole number from 1 to {len(wide) - 1}, got {n_worst!r}")
    out = []
    for year, following in itertools.pairwise(years):
        pair = wide[[year, following]].dropna()
        if len(pair) <= n_worst:
            continue
        worst = pair[year].sort_values(kind="stable").index[:n_worst]
        change = pair[following] - pair[year]
        out.append({"year": int(year), "next_year": int(following), "worst": ", ".join(map(str, worst)),
                    "worst_change": float(change[worst].mean()),
                    "rest_change": float(change.drop(worst).mean())})
    return pd.DataFrame(out)


def target_position(forecast: pd.DataFrame, target: float, level: float = 0.95, step: int = -1) -> str:
    """Where a target falls against a forecast's prediction interval at one step.

    Parameters
    ----------
    forecast : pandas.DataFrame
        A forecast with ``lower_<level>`` and ``upper_<level>`` columns in percent
        (as :func:`curriculum.forecasting.fit_ets` returns, e.g. ``lower_95``).
    target : float
        The target value.
    level : float, default 0.95
        The interval to use.
    step : int, default -1
        The row (position) of the forecast; the last by default.

    Returns
    -------
    str
        ``"above"`` (the target is above the whole range), ``"inside"`` or ``"below"``.

    Raises
    ------
    TypeError
        If ``forecast`` is not a pandas DataFrame.
    ValueError
        If the interval's columns are missing, ``target`` is not a number or ``step`` is
        out of range.
    """
    if not isinstance(forecast, pd.DataFrame):
        raise TypeError(f"forecast must be a pandas DataFrame (fit_ets(...).forecast), got {type(forecast).__name__}")
    label = f"{100 * _number(level, 'level'):g}"
    low_col, high_col = f"lower_{label}", f"upper_{label}"
    if {low_col, high_col} - set(forecast.columns):
        raise ValueError(f"forecast has no {label}% interval (columns {low_col} and {high_col})")
    value = _number(target, "target")
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not -len(forecast) <= step < len(forecast):
        raise ValueError(f"step must be a row position of the forecast (0 to {len(forecast) - 1}, or negative), got {step!r}")
    low, high = float(forecast[low_col].iloc[step]), float(forecast[high_col].iloc[step])
    return "above" if value > high else "below" if value < low else "inside"


# --------------------------------------------------------------------------- charts
def plot_intervals(table: pd.DataFrame, highlight: str | None = None, ax=None, title: str | None = None,
                   translate: Callable[[str], str] | None = None):
    """Each area's percentage as a dot with its confidence interval, highest at the top.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`survey_table` (``area_name``, ``percent_agree``, ``low``, ``high``).
    highlight : str, optional
        The area to draw in :data:`~curriculum.style.HIGHLIGHT`.
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
        If ``table`` is not a pandas DataFrame.
    ValueError
        If ``table`` lacks a column or is empty.
    """
    tr = translate or _same
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame (from survey_table), got {type(table).__name__}")
    if {"area_name", "percent_agree", "low", "high"} - set(table.columns) or table.empty:
        raise ValueError("table must have rows with area_name, percent_agree, low and high (use survey_table)")
    ax = _axes(ax)
    ordered = table.sort_values("percent_agree", ignore_index=True)
    y = np.arange(len(ordered))
    hit = ordered["area_name"].astype(str).str.casefold() == str(highlight).casefold() if highlight else \
        pd.Series(False, index=ordered.index)
    colours = [HIGHLIGHT if h else MUTED for h in hit]
    ax.hlines(y, ordered["low"], ordered["high"], colors=colours, linewidth=2.5)
    ax.scatter(ordered["percent_agree"], y, color=colours, s=40, zorder=3)
    ax.set_yticks(y, ordered["area_name"].astype(str))
    for tick, h in zip(ax.get_yticklabels(), hit):
        if h:
            tick.set_color(HIGHLIGHT)
            tick.set_fontweight("bold")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(tr("% agreeing, with its 95% confidence interval"))
    if title:
        ax.set_title(title, fontsize=11)
    return ax


def plot_differences(comparison: pd.DataFrame, area: str, ax=None, title: str | None = None,
                     translate: Callable[[str], str] | None = None):
    """Each other area's difference from ``area`` with its interval; intervals that miss zero in colour.

    Parameters
    ----------
    comparison : pandas.DataFrame
        From :func:`compare_with`.
    area : str
        The area compared with (for the axis label).
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
        If ``comparison`` is not a pandas DataFrame.
    ValueError
        If it lacks a column or is empty.
    """
    tr = translate or _same
    if not isinstance(comparison, pd.DataFrame):
        raise TypeError(f"comparison must be a pandas DataFrame (from compare_with), got {type(comparison).__name__}")
    if {"area_name", "difference", "low", "high", "real"} - set(comparison.columns) or comparison.empty:
        raise ValueError("comparison must have rows with area_name, difference, low, high and real (use compare_with)")
    ax = _axes(ax)
    ordered = comparison.sort_values("difference", ignore_index=True)
    y = np.arange(len(ordered))
    colours = [_SECOND if r else MUTED for r in ordered["real"]]
    ax.axvline(0, color=_LINE, linewidth=1)
    ax.hlines(y, ordered["low"], ordered["high"], colors=colours, linewidth=2.5)
    ax.scatter(ordered["difference"], y, color=colours, s=40, zorder=3)
    ax.set_yticks(y, ordered["area_name"].astype(str))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(tr("Difference from {area}, percentage points (95% interval)").format(area=area))
    ax.set_title(title or tr("Dark: the interval misses zero, a difference bigger than chance"), fontsize=11)
    return ax


def plot_margin_curve(percent: float = 50.0, n: int | None = None, ax=None, max_n: int = 3000,
                      translate: Callable[[str], str] | None = None):
    """The margin of error against the number of respondents: it shrinks with the square root of n.

    Parameters
    ----------
    percent : float, default 50.0
        The percentage agreeing (50 gives the widest margin).
    n : int, optional
        A sample size to mark on the curve.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    max_n : int, default 3000
        The largest sample size drawn.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``percent`` is outside 0-100 or ``n`` or ``max_n`` is not positive.
    """
    tr = translate or _same
    _percent_array(percent)
    top = int(_size_array(max_n, "max_n"))
    ax = _axes(ax)
    sizes = np.linspace(50, max(top, 100), 300)
    ax.plot(sizes, margin_of_error(percent, sizes), color=_SECOND)
    if n is not None:
        size = float(_size_array(n))
        moe = margin_of_error(percent, size)
        ax.scatter([size], [moe], color=HIGHLIGHT, s=60, zorder=3)
        ax.annotate(tr("{n} respondents: ± {moe} points").format(n=f"{size:,.0f}", moe=f"{moe:.1f}"), (size, moe),
                    xytext=(8, 8), textcoords="offset points", color=HIGHLIGHT, fontweight="bold")
    ax.set_ylim(bottom=0)
    ax.set_xlabel(tr("Respondents"))
    ax.set_ylabel(tr("Margin of error (± percentage points)"))
    ax.set_title(tr("Margin of error for {percent}% agreeing").format(percent=f"{float(percent):.0f}"), fontsize=11)
    return ax


def plot_fan_chart(history: pd.Series, forecast: pd.DataFrame, target: float | None = None, ax=None,
                   title: str | None = None, ylabel: str | None = None,
                   translate: Callable[[str], str] | None = None):
    """A forecast as a fan: the central line with its prediction intervals shaded, widest outermost.

    Parameters
    ----------
    history : pandas.Series
        The observed values, indexed by date.
    forecast : pandas.DataFrame
        Indexed by the future dates, with ``mean`` and ``lower_<level>``/``upper_<level>``
        columns (:func:`curriculum.forecasting.fit_ets`).
    target : float, optional
        A target drawn as a dashed line.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title, ylabel : str, optional
        Chart title and value-axis label.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``history`` is not a Series or ``forecast`` not a DataFrame.
    ValueError
        If ``forecast`` has no ``mean`` column or no interval.
    """
    tr = translate or _same
    if not isinstance(history, pd.Series):
        raise TypeError(f"history must be a pandas Series indexed by date, got {type(history).__name__}")
    if not isinstance(forecast, pd.DataFrame):
        raise TypeError(f"forecast must be a pandas DataFrame (fit_ets(...).forecast), got {type(forecast).__name__}")
    levels = sorted({c.split("_", 1)[1] for c in forecast.columns if c.startswith("lower_")}, key=float, reverse=True)
    if "mean" not in forecast.columns or not levels:
        raise ValueError("forecast must have a mean column and at least one lower_<level>/upper_<level> pair")
    ax = _axes(ax)
    ax.plot(history.index, history.to_numpy(), color=_LINE, linewidth=1.5, label=tr("Observed"))
    joined_index = history.index[-1:].append(forecast.index)
    shades = np.linspace(0.18, 0.45, len(levels))
    for level, alpha in zip(levels, shades):
        low = np.concatenate([history.to_numpy()[-1:], forecast[f"lower_{level}"].to_numpy()])
        high = np.concatenate([history.to_numpy()[-1:], forecast[f"upper_{level}"].to_numpy()])
        ax.fill_between(joined_index, low, high, color=HIGHLIGHT, alpha=alpha, linewidth=0,
                        label=tr("{level}% of outcomes expected in this range").format(level=level))
    centre = np.concatenate([history.to_numpy()[-1:], forecast["mean"].to_numpy()])
    ax.plot(joined_index, centre, color=HIGHLIGHT, linewidth=2, label=tr("Central forecast"))
    if target is not None:
        ax.axhline(_number(target, "target"), color=_LINE, linestyle="--", linewidth=1, label=tr("Target"))
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", fontsize=8)
    if title:
        ax.set_title(title, fontsize=11)
    return ax


def plot_regression_to_mean(replay: RegressionReplay, ax=None, title: str | None = None,
                            translate: Callable[[str], str] | None = None):
    """Histograms of the change from one year to the next: the worst areas against the rest, over the replays.

    Parameters
    ----------
    replay : RegressionReplay
        From :func:`regression_to_mean`.
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
        If ``replay`` is not a :class:`RegressionReplay`.
    """
    tr = translate or _same
    if not isinstance(replay, RegressionReplay):
        raise TypeError(f"replay must be a RegressionReplay (from regression_to_mean), got {type(replay).__name__}")
    ax = _axes(ax)
    data = replay.replays
    bins = np.linspace(min(data.min()), max(data.max()), 40)
    ax.hist(data["rest_change"], bins=bins, color=MUTED, alpha=0.7, label=tr("The other areas"))
    ax.hist(data["worst_change"], bins=bins, color=HIGHLIGHT, alpha=0.7,
            label=tr("The {n} lowest in the first year").format(n=replay.n_worst))
    ax.axvline(0, color=_LINE, linewidth=1)
    ax.axvline(replay.mean_worst_change, color=HIGHLIGHT, linestyle="--", linewidth=1.5)
    ax.set_xlabel(tr("Change the next year, percentage points (nothing really changed)"))
    ax.set_ylabel(tr("Replays"))
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title(title or tr("The lowest areas improve without any help"), fontsize=11)
    return ax


# --------------------------------------------------------------------------- views and widgets


def margin_view(percent: float, n: int, translate: Callable[[str], str] | None = None):
    """The margin-of-error curve with one sample size marked, as a figure made without pyplot.

    Parameters
    ----------
    percent : float
        The percentage agreeing.
    n : int
        The sample size to mark.
    translate : callable, optional
        Translates the chart's own words.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        As :func:`plot_margin_curve`.
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3.6), layout="constrained")
    plot_margin_curve(percent, n, ax=figure.subplots(), max_n=max(3000, int(n)), translate=translate)
    return figure


def margin_explorer(percent: float = 50.0, n: int = 600, translate: Callable[[str], str] | None = None):
    """A slider of respondents (and one of the percentage) that redraws the margin of error.

    Written with ``Output.append_display_data`` (never by capturing output), so headless
    runs cannot stall on it (jupyter/nbclient#312).

    Parameters
    ----------
    percent : float, default 50.0
        The percentage shown first.
    n : int, default 600
        The sample size shown first (100-5,000).
    translate : callable, optional
        Translates the widgets' and chart's words.

    Returns
    -------
    ipywidgets.VBox

    Raises
    ------
    ValueError
        If ``percent`` is outside 0-100 or ``n`` outside 100-5,000.
    """
    import ipywidgets as widgets

    tr = translate or _same
    _percent_array(percent)
    size = _number(n, "n")
    if not 100 <= size <= 5000:
        raise ValueError(f"n must be between 100 and 5,000 respondents, got {n!r}")
    respondents = widgets.IntSlider(value=round(size / 50) * 50, min=100, max=5000, step=50,
                                    description=tr("Respondents"), continuous_update=False,
                                    style={"description_width": "initial"}, layout=widgets.Layout(width="36em"))
    agreeing = widgets.IntSlider(value=min(max(round(float(percent)), 1), 99), min=1, max=99, step=1, description=tr("% agreeing"),
                                 continuous_update=False, style={"description_width": "initial"},
                                 layout=widgets.Layout(width="36em"))
    view = live_view(lambda: margin_view(agreeing.value, respondents.value, translate), [respondents, agreeing],
                     dpi=100)
    return widgets.VBox([respondents, agreeing, view])


def comparison_view(results: pd.DataFrame, question: str, area: str, other: str, year: int | None = None,
                    translate: Callable[[str], str] | None = None):
    """Two areas' figures with their intervals, and the difference with its own, as a figure and a sentence.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``survey_results`` dataset.
    question : str
        One of its questions.
    area, other : str
        The two areas compared.
    year : int, optional
        The year; the latest by default.
    translate : callable, optional
        Translates the chart's and sentence's words.

    Returns
    -------
    tuple of (matplotlib.figure.Figure, str)

    Raises
    ------
    ValueError
        As :func:`survey_table` and :func:`compare_with`, or if ``other`` is ``area``.
    """
    from matplotlib.figure import Figure

    tr = translate or _same
    table = survey_table(results, question, year)
    if str(area).casefold() == str(other).casefold():
        raise ValueError("choose another area than your own to compare with")
    comparison = compare_with(table, area)
    hit = comparison["area_name"].astype(str).str.casefold() == str(other).casefold()
    if not hit.any():
        raise ValueError(f"area {other!r} is not in the table")
    row = comparison.loc[hit].iloc[0]
    two = table[table["area_name"].astype(str).str.casefold().isin({str(area).casefold(), str(other).casefold()})]
    figure = Figure(figsize=(7, 2.6), layout="constrained")
    plot_intervals(two, highlight=area, ax=figure.subplots(), title=question, translate=translate)
    if row["real"]:
        sentence = tr("{other} is {points} points {direction} than {area}: from {low} to {high} points, a difference bigger than chance.")
    else:
        sentence = tr("{other} differs from {area} by {points} points, but the range runs from {low} to {high}: it could be chance.")
    direction = tr("higher") if row["difference"] > 0 else tr("lower")
    return figure, sentence.format(other=row["area_name"], area=area, points=f"{abs(row['difference']):.1f}",
                                   direction=direction, low=f"{row['low']:+.1f}", high=f"{row['high']:+.1f}")


def comparison_explorer(results: pd.DataFrame, area: str, question: str | None = None,
                        translate: Callable[[str], str] | None = None):
    """Drop-down lists of a question and another area that redraw the comparison with ``area``.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``survey_results`` dataset.
    area : str
        Your area.
    question : str, optional
        The question shown first; the first in the data by default.
    translate : callable, optional
        Translates the widgets' and chart's words.

    Returns
    -------
    ipywidgets.VBox

    Raises
    ------
    TypeError
        If ``results`` is not a pandas DataFrame.
    ValueError
        If a column is missing, or ``area`` or ``question`` is not in the data.
    """
    import ipywidgets as widgets
    from IPython.display import HTML

    tr = translate or _same
    _check_survey(results)
    questions = list(dict.fromkeys(map(str, results["question"])))
    if question is not None and question not in questions:
        raise ValueError(f"question {question!r} is not in the data")
    areas = list(dict.fromkeys(map(str, results["area_name"])))
    if str(area).casefold() not in {a.casefold() for a in areas}:
        raise ValueError(f"area {area!r} is not in the data; the areas are: {', '.join(sorted(areas))}")
    others = [a for a in areas if a.casefold() != str(area).casefold()]
    pick_question = widgets.Dropdown(options=questions, value=question or questions[0], description=tr("Question"),
                                     layout=widgets.Layout(width="40em"), style={"description_width": "initial"})
    pick_other = widgets.Dropdown(options=others, value=others[0], description=tr("Compare with"),
                                  style={"description_width": "initial"})

    def draw():
        figure, sentence = comparison_view(results, pick_question.value, area, pick_other.value, translate=translate)
        return figure, HTML(f"<p>{html.escape(sentence)}</p>")

    view = live_view(draw, [pick_question, pick_other], dpi=100)
    return widgets.VBox([pick_question, pick_other, view])
