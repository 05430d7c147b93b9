"""Tests of curriculum.forecasting: hold-out split, seasonal naive, forecast errors, ETS and Erlang C.

Results are checked against independent computations: the errors against scikit-learn's
metrics and MASE against a hand calculation; the seasonal naive forecast against a direct
shift; the ETS forecasts against the state-space recursions run by hand in numpy, its
intervals against the closed-form forecast variance of ETS(A,Ad,A) and against a simulation
of future paths; Erlang C against the factorial form of the formula, against a published
worked example (Call Centre Helper's, also pyworkforce's and the R ErlangC package's) and
against a simulated M/M/c queue.
"""

from __future__ import annotations

import heapq
import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from sklearn.metrics import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    root_mean_squared_error,
)

from curriculum import forecasting as fc

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def weekly() -> pd.Series:
    """Three and a half years of positive weekly counts with a trend, a 12-week season and noise."""
    rng = np.random.default_rng(3)
    t = np.arange(150)
    log = 6 + 0.002 * t + 0.12 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.03, len(t))
    return pd.Series(np.exp(log), index=pd.date_range("2021-04-05", periods=len(t), freq="7D", name="week_start"), name="calls")


def _hand_ets(x: np.ndarray, params: pd.Series, m: int, horizon: int) -> tuple[np.ndarray, np.ndarray, tuple]:
    """Run ETS(A,Ad,A) by hand: one-step fitted values, forecasts and the final states."""
    a, b, g, phi = params[["smoothing_level", "smoothing_trend", "smoothing_seasonal", "damping_trend"]]
    level, trend = params["initial_level"], params["initial_trend"]
    # statsmodels lists the initial seasonal states from the most recent (t = -1) backwards.
    season = list(params[[f"initial_seasonal.{i}" for i in range(m)]].to_numpy()[::-1])
    fitted = []
    for value in x:
        f = level + phi * trend + season[0]
        fitted.append(f)
        error = value - f
        level, trend = level + phi * trend + a * error, phi * trend + b * error
        season = season[1:] + [season[0] + g * error]
    damp = np.cumsum(phi ** np.arange(1, horizon + 1))
    forecast = np.array([level + damp[h] * trend + season[h % m] for h in range(horizon)])
    return np.array(fitted), forecast, (level, trend, season)


# ---------------------------------------------------------------- hold-out split
def test_holdout_split_keeps_order_and_every_value(weekly):
    """The last test_size values are held out and the two parts rebuild the series."""
    train, test = fc.holdout_split(weekly, 26)
    assert len(train) == len(weekly) - 26 and len(test) == 26, "26 values should be held out"
    assert test.index[0] > train.index[-1], "the held-out values come after the training values"
    pd.testing.assert_series_equal(pd.concat([train, test]), weekly)


@pytest.mark.parametrize("series, size, word", [
    (pd.Series([1.0, 2, 3]), 0, "test_size"),
    (pd.Series([1.0, 2, 3]), 3, "test_size"),
    (pd.Series([1.0, 2, 3]), 1.5, "test_size"),
    (pd.Series([1.0, 2, 3]), True, "test_size"),
    ([1.0, 2, 3], 1, "series"),
    (pd.Series([1.0, None, 3]), 1, "series"),
])
def test_holdout_split_rejects_bad_arguments(series, size, word):
    """A bad series or test size raises ValueError naming the argument."""
    with pytest.raises(ValueError, match=word):
        fc.holdout_split(series, size)


# ---------------------------------------------------------------- seasonal naive
def test_seasonal_naive_is_a_shift_by_one_season(weekly):
    """Within a season ahead, the forecast equals the series shifted by one season, week by week."""
    train, test = fc.holdout_split(weekly, 10)
    forecast = fc.seasonal_naive(train, season=52, horizon=10)
    direct = weekly.shift(52).iloc[-10:]
    assert np.allclose(forecast.to_numpy(), direct.to_numpy()), "forecast should be the value 52 weeks earlier"
    assert forecast.index.equals(test.index), "forecast dates should continue the weekly series"


def test_seasonal_naive_repeats_beyond_one_season():
    """Beyond one season ahead, last season's pattern repeats; the index continues without dates too."""
    forecast = fc.seasonal_naive(pd.Series([5.0, 1, 2, 3]), season=3, horizon=7)
    assert forecast.tolist() == [1, 2, 3, 1, 2, 3, 1], "the last season (1, 2, 3) should repeat"
    assert list(forecast.index) == list(range(4, 11)), "an integer index should continue"
    assert len(fc.seasonal_naive(pd.Series(np.arange(60.0)), season=52)) == 52, "the default horizon is one season"


@pytest.mark.parametrize("kwargs, word", [
    ({"series": pd.Series(np.arange(10.0)), "season": 52}, "series"),
    ({"series": pd.Series(np.arange(60.0)), "season": 0}, "season"),
    ({"series": pd.Series(np.arange(60.0)), "horizon": -1}, "horizon"),
    ({"series": pd.Series(np.arange(60.0)), "horizon": 2.0}, "horizon"),
    ({"series": np.arange(60.0)}, "series"),
])
def test_seasonal_naive_rejects_bad_arguments(kwargs, word):
    """A short series or a bad season or horizon raises ValueError naming the argument."""
    with pytest.raises(ValueError, match=word):
        fc.seasonal_naive(**kwargs)


# ---------------------------------------------------------------- errors
def test_errors_match_scikit_learn():
    """MAE, RMSE and MAPE equal scikit-learn's metrics (MAPE in per cent)."""
    rng = np.random.default_rng(0)
    actual = rng.uniform(50, 150, 40)
    forecast = actual + rng.normal(0, 10, 40)
    errors = fc.forecast_errors(actual, forecast)
    assert errors["MAE"] == pytest.approx(mean_absolute_error(actual, forecast)), "MAE should match scikit-learn"
    assert errors["RMSE"] == pytest.approx(root_mean_squared_error(actual, forecast)), "RMSE should match scikit-learn"
    assert errors["MAPE"] == pytest.approx(100 * mean_absolute_percentage_error(actual, forecast)), "MAPE should be scikit-learn's times 100"
    assert np.isnan(errors["MASE"]), "MASE needs the in-sample values"


def test_mase_by_hand():
    """MASE divides the MAE by the in-sample mean absolute change from one season to the next."""
    insample = pd.Series([10.0, 12, 14, 11, 13, 15, 13, 17, 18])
    # Changes from three periods earlier: 1, 1, 1, 2, 4, 3 -> mean 2; forecast errors 1 and 3 -> MAE 2.
    errors = fc.forecast_errors([12.0, 16.0], [11.0, 13.0], insample=insample, season=3)
    assert errors["MAE"] == pytest.approx(2.0), "MAE of errors 1 and 3 is 2"
    assert errors["MASE"] == pytest.approx(1.0), "MAE 2 over a seasonal naive scale of 2 is 1"


def test_mape_is_missing_when_an_actual_value_is_zero():
    """MAPE divides by the actual values, so a zero makes it undefined (NaN), not infinite."""
    assert np.isnan(fc.forecast_errors([0.0, 10.0], [1.0, 9.0])["MAPE"]), "a zero actual value should give NaN"


@pytest.mark.parametrize("kwargs, word", [
    ({"actual": [1.0, 2.0], "forecast": [1.0]}, "forecast"),
    ({"actual": [], "forecast": []}, "actual"),
    ({"actual": [1.0, np.nan], "forecast": [1.0, 2.0]}, "missing"),
    ({"actual": pd.Series([1.0, 2.0], index=[0, 1]), "forecast": pd.Series([1.0, 2.0], index=[1, 2])}, "index"),
    ({"actual": [1.0], "forecast": [1.0], "insample": pd.Series([1.0, 2.0]), "season": 2}, "insample"),
    ({"actual": [1.0], "forecast": [1.0], "insample": pd.Series([1.0, 1.0, 1.0]), "season": 1}, "insample"),
    ({"actual": ["a"], "forecast": [1.0]}, "actual"),
])
def test_errors_reject_bad_arguments(kwargs, word):
    """Mismatched, empty or missing values, or too short an in-sample series, raise ValueError naming the problem."""
    with pytest.raises(ValueError, match=word):
        fc.forecast_errors(**kwargs)


# ---------------------------------------------------------------- ETS
def test_ets_forecasts_follow_the_recursions(weekly):
    """The fitted values and forecasts equal the ETS(A,Ad,A) recursions run by hand with the fitted parameters."""
    result = fc.fit_ets(weekly, horizon=30, season=12)
    params = pd.Series(np.asarray(result.results.params), index=result.results.param_names)
    fitted, forecast, _ = _hand_ets(np.log(weekly.to_numpy()), params, 12, 30)
    assert np.allclose(np.exp(fitted), result.fitted.to_numpy()), "fitted values should follow the recursions"
    assert np.allclose(np.exp(forecast), result.forecast["mean"].to_numpy()), "forecasts should follow the recursions"
    assert result.forecast.index[0] == weekly.index[-1] + pd.Timedelta(days=7), "forecasts start the week after the data"
    assert list(result.forecast.columns) == ["mean", "lower_80", "upper_80", "lower_95", "upper_95"]


def test_ets_intervals_match_the_closed_form_variance(weekly):
    """On the log scale, the interval half-widths are z times the closed-form ETS(A,Ad,A) forecast standard deviation."""
    horizon, m = 30, 12
    result = fc.fit_ets(weekly, horizon=horizon, season=m)
    params = pd.Series(np.asarray(result.results.params), index=result.results.param_names)
    a, b, g, phi = params[["smoothing_level", "smoothing_trend", "smoothing_seasonal", "damping_trend"]]
    sigma2 = np.mean(np.asarray(result.results.resid) ** 2)
    # Hyndman et al. (2008): v_h = sigma^2 (1 + sum_{j<h} (alpha + beta phi_j + gamma [j divisible by m])^2).
    c = [a + b * sum(phi**i for i in range(1, j + 1)) + g * (j % m == 0) for j in range(1, horizon)]
    sd = np.sqrt(sigma2 * (1 + np.concatenate([[0.0], np.cumsum(np.square(c))])))
    for level in (80, 95):
        half = np.log(result.forecast[f"upper_{level}"]) - np.log(result.forecast["mean"])
        assert np.allclose(half.to_numpy(), norm.ppf(0.5 + level / 200) * sd), f"the {level}% interval should be mean +/- z * sd on the log scale"
        assert (result.forecast[f"lower_{level}"] < result.forecast["mean"]).all()


def test_ets_intervals_match_simulated_futures(weekly):
    """The 80% limits match the 10th and 90th percentiles of 4,000 future paths simulated from the fitted model."""
    horizon, m = 20, 12
    result = fc.fit_ets(weekly, horizon=horizon, season=m)
    params = pd.Series(np.asarray(result.results.params), index=result.results.param_names)
    a, b, g, phi = params[["smoothing_level", "smoothing_trend", "smoothing_seasonal", "damping_trend"]]
    _, _, (level0, trend0, season0) = _hand_ets(np.log(weekly.to_numpy()), params, m, horizon)
    sigma = math.sqrt(np.mean(np.asarray(result.results.resid) ** 2))
    rng = np.random.default_rng(11)
    reps = 4000
    level, trend, season = np.full(reps, level0), np.full(reps, trend0), np.tile(season0, (reps, 1))
    paths = np.empty((reps, horizon))
    for h in range(horizon):
        error = rng.normal(0, sigma, reps)
        paths[:, h] = level + phi * trend + season[:, 0] + error
        level, trend = level + phi * trend + a * error, phi * trend + b * error
        season = np.column_stack([season[:, 1:], season[:, 0] + g * error])
    low, high = np.exp(np.quantile(paths, [0.1, 0.9], axis=0))
    assert np.allclose(low, result.forecast["lower_80"], rtol=0.01), "lower 80% limits should match the simulation"
    assert np.allclose(high, result.forecast["upper_80"], rtol=0.01), "upper 80% limits should match the simulation"


def test_ets_beats_the_seasonal_naive_on_a_seasonal_series():
    """On noisy seasonal data, ETS (which averages the seasons) is closer than last season's value, in most draws."""
    wins = 0
    for seed in range(6):
        rng = np.random.default_rng(seed)
        t = np.arange(160)
        series = pd.Series(np.exp(5 + 0.15 * np.cos(2 * np.pi * t / 12) + rng.normal(0, 0.08, len(t))))
        train, test = fc.holdout_split(series, 12)
        ets = fc.forecast_errors(test, fc.fit_ets(train, 12, season=12).forecast["mean"].to_numpy())["MAE"]
        naive = fc.forecast_errors(test, fc.seasonal_naive(train, 12, 12).to_numpy())["MAE"]
        wins += ets < naive
    assert wins >= 5, f"ETS should beat the seasonal naive in at least 5 of 6 draws, won {wins}"


def test_ets_without_log_and_with_one_level(weekly):
    """log=False models the values themselves; one level gives one pair of limits; refits come from the cache."""
    result = fc.fit_ets(weekly, 5, season=12, levels=0.9, log=False)
    assert list(result.forecast.columns) == ["mean", "lower_90", "upper_90"]
    again = fc.fit_ets(weekly, 8, season=12, levels=0.9, log=False)
    assert again.results is result.results, "the same series should not be fitted twice"
    assert np.allclose(again.forecast["mean"].iloc[:5], result.forecast["mean"]), "a longer horizon extends the same forecasts"


@pytest.mark.parametrize("kwargs, word", [
    ({"series": pd.Series(np.ones(20)), "horizon": 4}, "series"),
    ({"series": pd.Series(np.r_[0.0, np.ones(120)]), "horizon": 4, "season": 12}, "positive"),
    ({"series": pd.Series(np.ones(120)), "horizon": 0, "season": 12}, "horizon"),
    ({"series": pd.Series(np.ones(120)), "horizon": 4, "season": 12, "levels": (1.5,)}, "levels"),
    ({"series": pd.Series(np.ones(120)), "horizon": 4, "season": 12, "trend": "mul"}, "trend"),
    ({"series": pd.Series(np.ones(120)), "horizon": 4, "season": 12, "seasonal": "mul"}, "seasonal"),
    ({"series": pd.Series(np.ones(120)), "horizon": 4, "season": 1}, "season"),
])
def test_ets_rejects_bad_arguments(kwargs, word):
    """Too short a series, zeros on the log scale or bad options raise ValueError naming them."""
    with pytest.raises(ValueError, match=word):
        fc.fit_ets(**kwargs)


# ---------------------------------------------------------------- Erlang C
def _erlang_c_factorial(a: float, n: int) -> float:
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


@pytest.mark.parametrize("a, n", [(0.5, 1), (2.7, 4), (10, 11), (10, 14), (16.7, 21), (40, 48)])
def test_erlang_c_matches_the_factorial_formula(a, n):
    """The Erlang B route through scipy's Poisson probabilities equals the textbook factorial formula."""
    assert fc.erlang_c(a, n) == pytest.approx(_erlang_c_factorial(a, n), rel=1e-10), "should equal the factorial form"


def test_published_worked_example():
    """Call Centre Helper's example: 100 calls in 30 minutes, 3-minute handle time, 80% in 20 seconds."""
    # Traffic 10 erlangs: 11 agents leave 68.21% waiting; 14 agents give 17.41% waiting and 88.84% in
    # 20 seconds, the first number above 80%; 30% shrinkage makes 20 (also pyworkforce's README).
    assert fc.erlang_c(10, 11) == pytest.approx(0.6821182, abs=1e-7)
    assert fc.erlang_c(10, 14) == pytest.approx(0.1741319, abs=1e-7)
    assert fc.service_level(100, 180, 14, within_seconds=20, interval_seconds=1800) == pytest.approx(0.88835, abs=1e-5)
    assert fc.service_level(100, 180, 13, within_seconds=20, interval_seconds=1800) < 0.8, "13 agents fall short"
    assert fc.staff_needed(100, 180, answered=0.8, within_seconds=20, interval_seconds=1800) == 14
    assert fc.staff_needed(100, 180, answered=0.8, within_seconds=20, interval_seconds=1800, shrinkage=0.3) == 20
    assert fc.staff_needed(100, 180, answered=0.8, within_seconds=20, interval_seconds=1800, max_occupancy=0.85) == 14


def test_erlang_c_matches_a_simulated_queue():
    """In a simulated M/M/c queue (first come, first served), the share who wait and who wait over 20 s match Erlang C."""
    rng = np.random.default_rng(5)
    calls, agents, aht, per_hour = 60_000, 5, 300.0, 48.0  # 4 erlangs on 5 agents
    arrivals = np.cumsum(rng.exponential(3600 / per_hour, calls))
    durations = rng.exponential(aht, calls)
    free = [0.0] * agents
    waits = np.empty(calls)
    for i, (arrive, duration) in enumerate(zip(arrivals, durations)):
        soonest = heapq.heappop(free)
        start = max(arrive, soonest)
        waits[i] = start - arrive
        heapq.heappush(free, start + duration)
    waits = waits[5000:]  # let the queue settle
    assert (waits > 0).mean() == pytest.approx(fc.erlang_c(4, 5), abs=0.03), "share of callers who wait"
    assert (waits <= 20).mean() == pytest.approx(fc.service_level(per_hour, aht, agents), abs=0.03), "share answered in 20 s"


def test_staffing_is_the_smallest_number_meeting_the_target():
    """staff_needed meets the target and one fewer does not; more calls never need fewer people; 0 calls need nobody."""
    previous = 0
    for calls in [1, 5, 30, 120, 400, 2000]:
        n = fc.staff_needed(calls, 330)
        assert fc.service_level(calls, 330, n) >= 0.8, f"{n} handlers should answer 80% of {calls} calls in 20 s"
        assert n == 1 or fc.service_level(calls, 330, n - 1) < 0.8, f"{n - 1} handlers would do for {calls} calls"
        assert n >= previous, "more calls should never need fewer handlers"
        previous = n
    assert fc.staff_needed(0, 330) == 0, "no calls need no handlers"
    assert fc.staff_needed(100, 180, interval_seconds=1800, max_occupancy=0.6) == 17, "10 erlangs at 60% occupancy need 17"
    assert fc.service_level(100, 180, 10, interval_seconds=1800) == 0.0, "as many agents as erlangs cannot keep up"
    assert fc.erlang_c(0, 3) == 0.0 and fc.erlang_c(5, 5) == 1.0


@pytest.mark.parametrize("func, kwargs, word", [
    (fc.erlang_c, {"traffic": -1, "agents": 3}, "traffic"),
    (fc.erlang_c, {"traffic": 2, "agents": 0}, "agents"),
    (fc.erlang_c, {"traffic": 2, "agents": 2.5}, "agents"),
    (fc.service_level, {"calls": 10, "aht_seconds": 0, "agents": 2}, "aht_seconds"),
    (fc.service_level, {"calls": 10, "aht_seconds": 300, "agents": 2, "within_seconds": -5}, "within_seconds"),
    (fc.staff_needed, {"calls": -3, "aht_seconds": 300}, "calls"),
    (fc.staff_needed, {"calls": 30, "aht_seconds": 300, "answered": 1.0}, "answered"),
    (fc.staff_needed, {"calls": 30, "aht_seconds": 300, "shrinkage": 1.0}, "shrinkage"),
    (fc.staff_needed, {"calls": 30, "aht_seconds": 300, "max_occupancy": 0}, "max_occupancy"),
    (fc.staff_needed, {"calls": 30, "aht_seconds": 300, "interval_seconds": 0}, "interval_seconds"),
    (fc.staff_needed, {"calls": "many", "aht_seconds": 300}, "calls"),
    (fc.staff_needed, {"calls": float("nan"), "aht_seconds": 300}, "calls"),
])
def test_erlang_functions_reject_bad_arguments(func, kwargs, word):
    """Negative, missing or out-of-range arguments raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=word):
        func(**kwargs)


# ---------------------------------------------------------------- hour of week
def test_hour_of_week_table_orders_days_and_fills_gaps():
    """The table runs Monday to Sunday and 0 to 23, keeps every call and fills hours without rows with 0."""
    frame = pd.DataFrame({"day_of_week": ["Tuesday", "Monday", "Monday"], "hour": [14, 9, 10], "count": [3, 7, 5]})
    table = fc.hour_of_week_table(frame)
    assert table.shape == (7, 24) and list(table.index) == list(fc.DAYS), "7 days by 24 hours, Monday first"
    assert table.to_numpy().sum() == 15 and table.loc["Monday", 9] == 7 and table.loc["Sunday", 3] == 0


@pytest.mark.parametrize("frame, word", [
    (pd.DataFrame({"day_of_week": ["Mon"], "hour": [1], "count": [2]}), "day"),
    (pd.DataFrame({"day_of_week": ["Monday"], "hour": [24], "count": [2]}), "hour"),
    (pd.DataFrame({"day_of_week": ["Monday"], "hour": [1]}), "value"),
    ([1, 2], "frame"),
])
def test_hour_of_week_table_rejects_bad_frames(frame, word):
    """Unknown days, hours outside 0-23 or a missing column raise ValueError naming the problem."""
    with pytest.raises(ValueError, match=word):
        fc.hour_of_week_table(frame)


def test_plots_return_axes(weekly):
    """The forecast fan and the hour-of-week heatmap draw on matplotlib axes."""
    import matplotlib.pyplot as plt

    train, test = fc.holdout_split(weekly, 12)
    ets = fc.fit_ets(train, 12, season=12)
    ax = fc.plot_forecast(train, ets.forecast, actual=test, benchmark=fc.seasonal_naive(train, 12, 12), title="t")
    assert len(ax.collections) == 2, "two interval bands (80% and 95%)"
    frame = pd.DataFrame({"day_of_week": ["Monday"], "hour": [9], "count": [4]})
    assert fc.plot_hour_of_week(fc.hour_of_week_table(frame)).images, "the heatmap is an image"
    plt.close("all")
