"""Forecasting demand and the staff it implies: benchmarks, ETS, forecast errors and Erlang C.

The functions behind the Data Lab's *Forecasting demand* module. A forecast is judged on
weeks it has not seen (:func:`holdout_split`) against a benchmark that is hard to beat
for data with a strong yearly pattern, the **seasonal naive** forecast (the same week
last year, :func:`seasonal_naive`). Errors are measured as in Hyndman and Athanasopoulos,
*Forecasting: Principles and Practice* (3rd edition, 2021): MAE, RMSE, MAPE and the mean
absolute scaled error, MASE (:func:`forecast_errors`). The model is exponential smoothing
with additive errors, a damped trend and yearly seasonality, fitted by maximum likelihood
with :class:`statsmodels.tsa.exponential_smoothing.ets.ETSModel`, on the log scale by
default so that seasonal swings are proportional to the level; its prediction intervals
are statsmodels' analytical ones, transformed back (:func:`fit_ets`).

Staffing turns calls in an interval into the handlers needed to answer a share of them
within a target time, with the Erlang C formula (A. K. Erlang, 1917): the probability that
a caller waits (:func:`erlang_c`, computed from :mod:`scipy.stats` Poisson probabilities
through Erlang B), the service level (:func:`service_level`) and the smallest number of
handlers meeting a target, grossed up for shrinkage (:func:`staff_needed`).

Nothing happens on import.
"""

from __future__ import annotations

import math
import warnings
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy.stats import poisson

from curriculum.threads import one_thread

__all__ = [
    "holdout_split",
    "seasonal_naive",
    "forecast_errors",
    "ETSForecast",
    "fit_ets",
    "erlang_c",
    "service_level",
    "staff_needed",
    "DAYS",
    "hour_of_week_table",
    "plot_forecast",
    "plot_hour_of_week",
]

DAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_METRICS = ("MAE", "RMSE", "MAPE", "MASE")


# --------------------------------------------------------------------------- checks
def _number(name: str, value, *, low: float | None = None, high: float | None = None,
            low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a float, or raise ValueError naming ``name``."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if low is not None and (number <= low if low_open else number < low):
        raise ValueError(f"{name} must be {'more than' if low_open else 'at least'} {low:g}, got {value!r}")
    if high is not None and (number >= high if high_open else number > high):
        raise ValueError(f"{name} must be {'less than' if high_open else 'at most'} {high:g}, got {value!r}")
    return number


def _whole(name: str, value, *, low: int = 1) -> int:
    """Return ``value`` as an int of at least ``low``, or raise ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be a whole number of at least {low}, got {value!r}")
    return int(value)


def _series(name: str, values, *, minimum: int = 1) -> pd.Series:
    """Return ``values`` as a float Series with no missing values, or raise ValueError naming ``name``."""
    if not isinstance(values, pd.Series):
        raise ValueError(f"{name} must be a pandas Series (one value per week), got {type(values).__name__}")
    try:
        series = values.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers") from None
    if series.isna().any() or not np.isfinite(series.to_numpy()).all():
        raise ValueError(f"{name} must not hold missing or infinite values; fill or drop the gaps first")
    if len(series) < minimum:
        raise ValueError(f"{name} must hold at least {minimum} values, got {len(series)}")
    return series


def _future_index(index: pd.Index, horizon: int) -> pd.Index:
    """The ``horizon`` index labels after the end of ``index`` (dates continue at their spacing)."""
    if isinstance(index, pd.DatetimeIndex):
        if index.freq is not None:
            step = index.freq
            return pd.DatetimeIndex([index[-1] + step * k for k in range(1, horizon + 1)], name=index.name)
        if len(index) < 2:
            raise ValueError("a series of dates needs at least two dates to tell the spacing of future ones")
        step = index[-1] - index[-2]
        return pd.DatetimeIndex([index[-1] + step * k for k in range(1, horizon + 1)], name=index.name)
    if pd.api.types.is_integer_dtype(index) and len(index):
        return pd.RangeIndex(int(index[-1]) + 1, int(index[-1]) + 1 + horizon, name=index.name)
    return pd.RangeIndex(len(index), len(index) + horizon, name=index.name)


# --------------------------------------------------------------------------- benchmarks
def holdout_split(series: pd.Series, test_size: int = 26) -> tuple[pd.Series, pd.Series]:
    """Split a series into the weeks a model may learn from and the final weeks held out.

    Parameters
    ----------
    series : pandas.Series
        Values in time order (for example calls per week, indexed by week).
    test_size : int, default 26
        Number of final values held out to test forecasts on (26 weeks: half a year).

    Returns
    -------
    tuple of pandas.Series
        ``(train, test)``: all but the last ``test_size`` values, and those values.

    Raises
    ------
    ValueError
        If ``series`` is not a Series of numbers, or ``test_size`` is not a whole
        number from 1 to one less than the length of the series.

    Examples
    --------
    >>> train, test = holdout_split(pd.Series(range(10)), 3)
    >>> len(train), len(test)
    (7, 3)
    """
    values = _series("series", series, minimum=2)
    size = _whole("test_size", test_size)
    if size >= len(values):
        raise ValueError(f"test_size must be less than the length of the series ({len(values)}), got {size}")
    return series.iloc[:-size], series.iloc[-size:]


def seasonal_naive(series: pd.Series, season: int = 52, horizon: int | None = None) -> pd.Series:
    """Forecast each future period by the value one season earlier ("the same week last year").

    The forecast ``h`` periods after the last observation ``T`` is
    ``y[T + h - season * k]`` with ``k`` the smallest whole number that makes it an
    observed period: beyond one season ahead, last year's pattern repeats.

    Parameters
    ----------
    series : pandas.Series
        Observed values in time order; at least ``season`` of them.
    season : int, default 52
        Periods in a season (52 weeks in a year).
    horizon : int, optional
        Periods to forecast; one season by default.

    Returns
    -------
    pandas.Series
        The forecasts, indexed by the periods after the series (dates continue at
        the series' spacing), named ``"seasonal naive"``.

    Raises
    ------
    ValueError
        If ``series`` is not a Series of numbers, is shorter than ``season``, or
        ``season`` or ``horizon`` is not a positive whole number.

    Examples
    --------
    >>> seasonal_naive(pd.Series([1.0, 2, 3, 4]), season=2, horizon=3).tolist()
    [3.0, 4.0, 3.0]
    """
    period = _whole("season", season)
    values = _series("series", series)
    if len(values) < period:
        raise ValueError(f"series must hold at least one season ({period} values), got {len(values)}")
    steps = period if horizon is None else _whole("horizon", horizon)
    last_season = values.to_numpy()[-period:]
    forecast = last_season[np.arange(steps) % period]
    return pd.Series(forecast, index=_future_index(series.index, steps), name="seasonal naive")


# --------------------------------------------------------------------------- errors
def forecast_errors(actual, forecast, insample: pd.Series | None = None, season: int = 52) -> pd.Series:
    """Measure how far forecasts were from what happened.

    Parameters
    ----------
    actual : pandas.Series or array-like
        What happened in the held-out periods.
    forecast : pandas.Series or array-like
        The forecasts of those periods, in the same order (if both are Series their
        indexes must be the same).
    insample : pandas.Series, optional
        The values the forecast was made from; needed for MASE.
    season : int, default 52
        Season length for the MASE scale.

    Returns
    -------
    pandas.Series
        ``MAE`` (mean absolute error, in the units of the data), ``RMSE`` (root mean
        squared error), ``MAPE`` (mean absolute percentage error, in per cent; NaN if
        any actual value is 0) and ``MASE`` (MAE divided by the in-sample MAE of the
        seasonal naive forecast, ``mean |y[t] - y[t - season]|``: below 1 means better
        than last year's same week did in the past; NaN without ``insample``).

    Raises
    ------
    ValueError
        If ``actual`` and ``forecast`` differ in length or index, are empty or hold
        missing values, or ``insample`` is shorter than ``season + 1`` values or
        never changes from one season to the next.

    Examples
    --------
    >>> float(forecast_errors([10, 20], [12, 18])["MAE"])
    2.0
    """
    if isinstance(actual, pd.Series) and isinstance(forecast, pd.Series) and not actual.index.equals(forecast.index):
        raise ValueError("forecast must have the same index as actual (the same periods, in the same order)")
    try:
        y = np.asarray(actual, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError("actual must hold numbers") from None
    try:
        f = np.asarray(forecast, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError("forecast must hold numbers") from None
    if len(y) == 0:
        raise ValueError("actual must hold at least one value")
    if len(y) != len(f):
        raise ValueError(f"forecast must have one value per actual value: {len(f)} forecasts for {len(y)} actual values")
    if np.isnan(y).any() or np.isnan(f).any():
        raise ValueError("actual and forecast must not hold missing values")
    error = y - f
    mae = float(np.mean(np.abs(error)))
    rmse = float(np.sqrt(np.mean(error**2)))
    mape = float(np.mean(np.abs(error / y)) * 100) if (y != 0).all() else float("nan")
    mase = float("nan")
    if insample is not None:
        period = _whole("season", season)
        history = _series("insample", insample).to_numpy()
        if len(history) <= period:
            raise ValueError(f"insample must hold more than one season ({period} values) for MASE, got {len(history)}")
        scale = float(np.mean(np.abs(history[period:] - history[:-period])))
        if scale == 0:
            raise ValueError("insample never changes from one season to the next, so MASE is undefined")
        mase = mae / scale
    return pd.Series([mae, rmse, mape, mase], index=list(_METRICS), name="errors")


# --------------------------------------------------------------------------- ETS
class ETSForecast(NamedTuple):
    """An ETS model's forecasts with prediction intervals, in-sample fit and statsmodels results."""

    forecast: pd.DataFrame
    """One row per future period: ``mean`` (the point forecast), and ``lower_<p>``/``upper_<p>`` per interval level."""
    fitted: pd.Series
    """One-step-ahead fitted values of the observed periods (on the scale of the data)."""
    results: Any
    """The :class:`statsmodels.tsa.exponential_smoothing.ets.ETSResults` (on the log scale if ``log``)."""


@lru_cache(maxsize=32)
def _fit(values: tuple[float, ...], season: int, trend: str | None, damped: bool, seasonal: str | None):
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    model = ETSModel(pd.Series(values, dtype=float), error="add", trend=trend, damped_trend=damped if trend else False,
                     seasonal=seasonal, seasonal_periods=season if seasonal else None,
                     initialization_method="estimated")
    # one BLAS thread: the optimiser's many tiny steps run 2-4 times faster on a busy machine
    with warnings.catch_warnings(), one_thread("blas"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        return model.fit(disp=False, maxiter=2000)


def fit_ets(series: pd.Series, horizon: int, season: int = 52, levels: tuple[float, ...] = (0.8, 0.95), *,
            log: bool = True, trend: str | None = "add", damped_trend: bool = True,
            seasonal: str | None = "add") -> ETSForecast:
    """Fit an exponential smoothing (ETS) model and forecast with prediction intervals.

    The model has additive errors, an additive trend (damped by default, so that it
    flattens out rather than run on for ever) and additive seasonality of ``season``
    periods, with parameters and initial states estimated by maximum likelihood in
    :class:`statsmodels.tsa.exponential_smoothing.ets.ETSModel`. With ``log=True`` (the
    default) it is fitted to the logarithm of the values, so trend and seasonality act
    as percentages; the forecasts are then the back-transformed medians and the
    intervals' limits the back-transformed limits. Fits are cached, so refitting the
    same series costs nothing.

    Parameters
    ----------
    series : pandas.Series
        Observed values in time order, without gaps; at least two full seasons plus
        one value when seasonal, and all positive when ``log``.
    horizon : int
        Periods to forecast.
    season : int, default 52
        Periods in a season.
    levels : tuple of float, default (0.8, 0.95)
        Coverage of the prediction intervals, each strictly between 0 and 1.
    log : bool, default True
        Fit to the logarithm of the values.
    trend : {"add", None}, default "add"
        Trend component.
    damped_trend : bool, default True
        Damp the trend.
    seasonal : {"add", None}, default "add"
        Seasonal component.

    Returns
    -------
    ETSForecast
        ``forecast`` (a DataFrame indexed by the future periods with columns ``mean``
        and ``lower_80``, ``upper_80``, ... per level), ``fitted`` (one-step-ahead
        fitted values) and ``results`` (statsmodels' results object).

    Raises
    ------
    ValueError
        If ``series`` is not a Series of numbers, holds gaps, is too short for the
        seasonal model or (with ``log``) holds values of 0 or less, or ``horizon``,
        ``season``, ``levels``, ``trend`` or ``seasonal`` is invalid.

    Examples
    --------
    >>> weeks = pd.date_range("2021-01-04", periods=160, freq="7D")
    >>> calls = pd.Series(1000 + 100 * np.sin(np.arange(160) * 2 * np.pi / 52), index=weeks)
    >>> fit_ets(calls, horizon=4).forecast.columns.tolist()
    ['mean', 'lower_80', 'upper_80', 'lower_95', 'upper_95']
    """
    steps = _whole("horizon", horizon)
    period = _whole("season", season, low=2)
    if trend not in ("add", None):
        raise ValueError(f"trend must be 'add' or None, got {trend!r}")
    if seasonal not in ("add", None):
        raise ValueError(f"seasonal must be 'add' or None, got {seasonal!r}")
    if isinstance(levels, (int, float)) and not isinstance(levels, bool):
        levels = (levels,)
    try:
        coverages = tuple(_number("levels", p, low=0.0, high=1.0, low_open=True, high_open=True) for p in levels)
    except TypeError:
        raise ValueError(f"levels must be a tuple of coverages between 0 and 1, got {levels!r}") from None
    needed = 2 * period + 1 if seasonal else 10
    values = _series("series", series, minimum=needed)
    if log and (values <= 0).any():
        raise ValueError("series must be positive to fit on the log scale (log=True); use log=False for data with zeros")
    y = np.log(values.to_numpy()) if log else values.to_numpy()
    results = _fit(tuple(float(v) for v in y), period, trend, bool(damped_trend), seasonal)
    n = len(y)
    prediction = results.get_prediction(start=n, end=n + steps - 1)
    table = {"mean": np.asarray(prediction.predicted_mean, dtype=float)}
    for p in coverages:
        frame = prediction.summary_frame(alpha=1 - p)
        label = f"{p * 100:g}".replace(".", "_")
        table[f"lower_{label}"] = frame["pi_lower"].to_numpy(dtype=float)
        table[f"upper_{label}"] = frame["pi_upper"].to_numpy(dtype=float)
    forecast = pd.DataFrame(table, index=_future_index(series.index, steps))
    fitted = np.asarray(results.fittedvalues, dtype=float)
    if log:
        forecast = np.exp(forecast)
        fitted = np.exp(fitted)
    return ETSForecast(forecast=forecast, fitted=pd.Series(fitted, index=series.index, name="fitted"), results=results)


# --------------------------------------------------------------------------- Erlang C
def erlang_c(traffic: float, agents: int) -> float:
    """Return the probability that a caller has to wait (Erlang C).

    With Poisson arrivals, exponential handling times and callers who wait as long as
    it takes, ``traffic`` erlangs (calls per interval times handle time over the
    interval) offered to ``agents`` handlers keep a caller waiting with probability
    ``C = N * B / (N - A * (1 - B))``, where ``B`` is the Erlang B blocking
    probability, ``B = P(X = N) / P(X <= N)`` for ``X`` Poisson with mean ``A``
    (computed with :mod:`scipy.stats`, which stays accurate for hundreds of agents).

    Parameters
    ----------
    traffic : float
        Offered traffic ``A`` in erlangs (non-negative).
    agents : int
        Handlers ``N`` (a whole number, at least 1).

    Returns
    -------
    float
        The probability of waiting, from 0 to 1; 1 when ``agents <= traffic`` (the
        queue grows without end).

    Raises
    ------
    ValueError
        If ``traffic`` is negative or not a number, or ``agents`` is not a whole
        number of at least 1.

    Examples
    --------
    >>> round(erlang_c(10, 14), 4)  # 100 calls in 30 minutes, 3 minutes each
    0.1741
    """
    a = _number("traffic", traffic, low=0.0)
    n = _whole("agents", agents)
    if a == 0:
        return 0.0
    if n <= a:
        return 1.0
    blocking = poisson.pmf(n, a) / poisson.cdf(n, a)
    return float(n * blocking / (n - a * (1 - blocking)))


def service_level(calls: float, aht_seconds: float, agents: int, within_seconds: float = 20,
                  interval_seconds: float = 3600) -> float:
    """Return the share of calls answered within a target time (Erlang C).

    ``1 - C * exp(-(N - A) * t / AHT)``, with ``A = calls * AHT / interval`` the traffic,
    ``N`` the agents, ``C`` the probability of waiting (:func:`erlang_c`) and ``t`` the
    target answer time.

    Parameters
    ----------
    calls : float
        Calls offered in the interval (non-negative).
    aht_seconds : float
        Average handle time in seconds: talk, hold and wrap-up (positive).
    agents : int
        Handlers taking calls throughout the interval (at least 1).
    within_seconds : float, default 20
        Target answer time in seconds (non-negative).
    interval_seconds : float, default 3600
        Length of the interval in seconds (an hour).

    Returns
    -------
    float
        The service level, from 0 to 1 (0 when the handlers cannot keep up).

    Raises
    ------
    ValueError
        If an argument is negative, not a number or (``aht_seconds``,
        ``interval_seconds``) zero, or ``agents`` is not a whole number of at least 1.

    Examples
    --------
    >>> round(service_level(100, 180, 14, within_seconds=20, interval_seconds=1800), 4)
    0.8884
    """
    c = _number("calls", calls, low=0.0)
    aht = _number("aht_seconds", aht_seconds, low=0.0, low_open=True)
    n = _whole("agents", agents)
    target = _number("within_seconds", within_seconds, low=0.0)
    interval = _number("interval_seconds", interval_seconds, low=0.0, low_open=True)
    traffic = c * aht / interval
    if n <= traffic:
        return 0.0 if traffic > 0 else 1.0
    return float(1 - erlang_c(traffic, n) * math.exp(-(n - traffic) * target / aht))


def staff_needed(calls: float, aht_seconds: float, answered: float = 0.8, within_seconds: float = 20,
                 interval_seconds: float = 3600, max_occupancy: float | None = None, shrinkage: float = 0.0) -> int:
    """Return the handlers needed to answer a share of calls within a target time (Erlang C).

    The smallest whole number of handlers ``N`` whose :func:`service_level` reaches
    ``answered`` (and whose occupancy, traffic over ``N``, is at most
    ``max_occupancy`` if given), divided by ``1 - shrinkage`` and rounded up: the
    handlers to roster so that ``N`` are taking calls while the rest are on breaks,
    training, leave or sick.

    Parameters
    ----------
    calls : float
        Calls offered in the interval (non-negative; 0 needs nobody).
    aht_seconds : float
        Average handle time in seconds (positive).
    answered : float, default 0.8
        Share of calls to answer within the target, strictly between 0 and 1.
    within_seconds : float, default 20
        Target answer time in seconds (the common "80% in 20 seconds").
    interval_seconds : float, default 3600
        Length of the interval in seconds.
    max_occupancy : float, optional
        Highest share of time handlers may spend on calls, in (0, 1].
    shrinkage : float, default 0.0
        Share of paid time handlers are not available for calls, in [0, 1).

    Returns
    -------
    int
        Handlers to roster for the interval.

    Raises
    ------
    ValueError
        If an argument is negative, not a number or out of its range.

    Examples
    --------
    >>> staff_needed(100, 180, answered=0.8, within_seconds=20, interval_seconds=1800)
    14
    >>> staff_needed(100, 180, answered=0.8, within_seconds=20, interval_seconds=1800, shrinkage=0.3)
    20
    """
    c = _number("calls", calls, low=0.0)
    aht = _number("aht_seconds", aht_seconds, low=0.0, low_open=True)
    goal = _number("answered", answered, low=0.0, high=1.0, low_open=True, high_open=True)
    target = _number("within_seconds", within_seconds, low=0.0)
    interval = _number("interval_seconds", interval_seconds, low=0.0, low_open=True)
    occupancy = None if max_occupancy is None else _number("max_occupancy", max_occupancy, low=0.0, high=1.0, low_open=True)
    shrink = _number("shrinkage", shrinkage, low=0.0, high=1.0, high_open=True)
    if c == 0:
        return 0
    traffic = c * aht / interval
    n = max(1, math.floor(traffic) + 1)
    if occupancy is not None:
        n = max(n, math.ceil(traffic / occupancy - 1e-12))
    while service_level(c, aht, n, target, interval) < goal:
        n += 1
    return math.ceil(n / (1 - shrink) - 1e-9)


# --------------------------------------------------------------------------- hour of week
def hour_of_week_table(frame: pd.DataFrame, value: str = "count", day: str = "day_of_week", hour: str = "hour") -> pd.DataFrame:
    """Arrange counts by day of the week and hour as a 7 x 24 table.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per day and hour (several rows for the same hour are added up).
    value, day, hour : str
        Columns holding the counts, the day's name (Monday to Sunday) and the hour
        (0 to 23).

    Returns
    -------
    pandas.DataFrame
        Rows Monday to Sunday, columns 0 to 23; hours without a row are 0.

    Raises
    ------
    ValueError
        If a column is missing, a day is not a day's name or an hour is outside 0-23.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    for name, column in (("value", value), ("day", day), ("hour", hour)):
        if column not in frame.columns:
            raise ValueError(f"{name}: frame has no column {column!r}; its columns are {list(frame.columns)}")
    unknown = sorted(set(frame[day].astype(str)) - set(DAYS))
    if unknown:
        raise ValueError(f"day: {unknown[:3]} are not days of the week; expected {', '.join(DAYS)}")
    hours = pd.to_numeric(frame[hour], errors="coerce")
    if hours.isna().any() or not hours.between(0, 23).all():
        raise ValueError("hour: every hour must be a whole number from 0 to 23")
    table = (frame.assign(**{hour: hours.astype(int)})
             .pivot_table(index=day, columns=hour, values=value, aggfunc="sum", fill_value=0)
             .reindex(index=list(DAYS), columns=range(24), fill_value=0))
    table.index.name, table.columns.name = "day_of_week", "hour"
    return table


# --------------------------------------------------------------------------- charts
def plot_forecast(history: pd.Series, forecast: pd.DataFrame | pd.Series | None = None, actual: pd.Series | None = None,
                  *, benchmark: pd.Series | None = None, ax=None, title: str | None = None, label: str = "ETS forecast",
                  ylabel: str = "Contacts per week"):
    """Draw a series with a forecast, its prediction intervals as a fan, and what happened.

    Parameters
    ----------
    history : pandas.Series
        The observed values the forecast was made from.
    forecast : pandas.DataFrame or pandas.Series, optional
        A ``mean`` column (or a Series) and optionally ``lower_<p>``/``upper_<p>``
        columns, as :func:`fit_ets` returns; wider intervals are drawn paler.
    actual : pandas.Series, optional
        The held-out values, to compare with the forecast.
    benchmark : pandas.Series, optional
        Another forecast to draw dashed (for example the seasonal naive).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title.
    label : str, default "ETS forecast"
        Legend label of the forecast.
    ylabel : str, default "Contacts per week"
        Label of the vertical axis.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    from curriculum.style import HIGHLIGHT, MUTED

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.8))
    ax.plot(history.index, history.to_numpy(), color=MUTED, linewidth=1.2, label="observed")
    if actual is not None:
        ax.plot(actual.index, actual.to_numpy(), color="#3D3D3D", linewidth=1.4, label="held out (what happened)")
    if forecast is not None:
        frame = forecast.to_frame("mean") if isinstance(forecast, pd.Series) else forecast
        lowers = sorted((c for c in frame.columns if c.startswith("lower_")),
                        key=lambda c: -float(c.split("_", 1)[1].replace("_", ".")))
        for k, lower in enumerate(lowers):
            upper = "upper_" + lower.split("_", 1)[1]
            if upper in frame.columns:
                level = lower.split("_", 1)[1].replace("_", ".")
                ax.fill_between(frame.index, frame[lower], frame[upper], color=HIGHLIGHT, alpha=0.15 + 0.15 * k,
                                linewidth=0, label=f"{level}% prediction interval")
        ax.plot(frame.index, frame["mean"], color=HIGHLIGHT, linewidth=1.8, label=label)
    if benchmark is not None:
        ax.plot(benchmark.index, benchmark.to_numpy(), color=HIGHLIGHT, linestyle="--", linewidth=1.2, label="seasonal naive")
    if isinstance(history.index, pd.DatetimeIndex):
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set(title=title or "", ylabel=ylabel)
    ax.legend(loc="upper left", fontsize="small", ncol=2)
    return ax


def plot_hour_of_week(table: pd.DataFrame, *, ax=None, title: str | None = None, label: str = "calls"):
    """Draw a 7 x 24 hour-of-week table as a heatmap, Monday at the top.

    Parameters
    ----------
    table : pandas.DataFrame
        As :func:`hour_of_week_table` returns (rows are days, columns hours).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title.
    label : str, default "calls"
        Label of the colour bar.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.4))
    image = ax.imshow(table.to_numpy(dtype=float), aspect="auto", cmap="RdPu", interpolation="nearest")
    ax.set_yticks(range(len(table.index)), [str(d)[:3] for d in table.index])
    ax.set_xticks(range(0, len(table.columns), 2), [f"{int(h):02d}" for h in table.columns[::2]])
    ax.set(xlabel="hour starting", title=title or "")
    ax.grid(False)
    plt.colorbar(image, ax=ax, label=label, pad=0.01)
    return ax
