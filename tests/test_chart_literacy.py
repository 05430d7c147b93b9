"""Tests of curriculum.chart_literacy: lie factors, year-to-date figures, cherry-picked windows and their charts."""

from __future__ import annotations

import importlib
import itertools

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from curriculum.chart_literacy import (
    CherryPick,
    chart_explorer,
    cherry_pick_table,
    exaggeration_table,
    find_cherry_pick,
    kpi_view,
    lie_factor,
    long_run_change,
    percent_change,
    plot_axis_pair,
    plot_bars,
    plot_cherry_pick,
    plot_cumulative_pair,
    plot_dual_axes,
    plot_indexed,
    plot_kpi,
    same_month_last_year,
    truncated_bottom,
    year_to_date,
    yearly_summary,
    ytd_method,
)
from curriculum.style import HIGHLIGHT

matplotlib.use("Agg")

MONTHS = pd.date_range("2022-04-01", periods=36, freq="MS")
SEASONAL = "Missed collections"   # worse every year, winter peak: a flattering window exists
PERCENT = "Cleared in 5 days"     # 92-95%, improving: a truncated axis exaggerates
DAYS = "Days lost per FTE"        # added up for year to date


def _mark(text: str) -> str:
    """A stand-in translator that keeps placeholders and shows that a string went through it."""
    return "<" + text + ">"


def _frame(rows):
    return pd.DataFrame(rows, columns=["council", "month", "indicator", "value", "target", "unit", "better"])


@pytest.fixture
def kpis() -> pd.DataFrame:
    """Three indicators over 36 months, April 2022 to March 2025, with known structure and no noise."""
    month = MONTHS.month.to_numpy()
    years = np.arange(36) / 12
    winter = np.where(np.isin(month, (12, 1, 2)), 1.5, np.where(np.isin(month, (6, 7, 8)), 0.7, 1.0))
    rows = []
    for m, v in zip(MONTHS, 40 * np.exp(0.15 * years) * winter):
        rows.append(("Testshire", m, SEASONAL, round(float(v), 3), 50.0, "per 100,000 collections", "lower"))
    for m, v in zip(MONTHS, 92 + years + np.where(np.isin(month, (6, 7, 8)), -1.0, 0.0)):
        rows.append(("Testshire", m, PERCENT, round(float(v), 3), 95.0, "%", "higher"))
    for i, (m, v) in enumerate(zip(MONTHS, 0.9 * winter)):
        rows.append(("Testshire", m, DAYS, round(float(v) * (0.95 if i >= 24 else 1.0), 4), 0.875, "days per FTE", "lower"))
    return _frame(rows)


# --------------------------------------------------------------------------- numbers
def test_percent_change_is_relative_to_the_first_value():
    """A rise from 40 to 50 is 25%; a fall from 50 to 40 is -20%."""
    assert percent_change(40, 50) == pytest.approx(25.0), "40 to 50 is a 25% rise"
    assert percent_change(50, 40) == pytest.approx(-20.0), "50 to 40 is a 20% fall"


@pytest.mark.parametrize(("first", "last", "message"), [
    (0, 5, "first must not be zero"),
    ("a", 5, "first must be a finite number"),
    (5, float("nan"), "last must be a finite number"),
    (True, 5, "first must be a finite number"),
])
def test_percent_change_rejects_bad_input(first, last, message):
    """Zero, text, booleans and missing values are refused, naming the argument."""
    with pytest.raises(ValueError, match=message):
        percent_change(first, last)


@pytest.mark.parametrize(("first", "last", "baseline"), [(92.0, 94.0, 90.0), (50.8, 70.3, 40.0), (0.93, 0.89, 0.87),
                                                         (20.0, 18.0, 10.0), (12.0, 13.0, 0.0)])
def test_lie_factor_matches_its_closed_form(first, last, baseline):
    """The lie factor of bars from an axis bottom b equals first / (first - b), whatever the last value."""
    assert lie_factor(first, last, baseline) == pytest.approx(first / (first - baseline)), \
        "shown change / real change should reduce to first / (first - baseline)"


def test_lie_factor_is_one_for_an_axis_from_zero():
    """An honest bar chart (axis from zero) has a lie factor of exactly 1."""
    assert lie_factor(92.0, 94.0) == pytest.approx(1.0), "bars from zero show the change in proportion"


def test_lie_factor_matches_the_bars_drawn():
    """The lie factor computed from numbers equals the one measured from the drawn bars' pixel heights."""
    yearly = pd.DataFrame({"period": ["one", "two", "three"], "mean": [92.1, 92.7, 93.5]})
    fig, ax = plt.subplots()
    plot_bars(yearly, baseline=90.0, ax=ax)
    fig.canvas.draw()
    heights = [p.get_window_extent().height for p in ax.patches]
    plt.close(fig)
    shown = heights[-1] / heights[0] - 1
    real = 93.5 / 92.1 - 1
    assert shown / real == pytest.approx(lie_factor(92.1, 93.5, 90.0), rel=1e-3), \
        "the visual change of the drawn bars should give the same lie factor"


@pytest.mark.parametrize(("first", "last", "baseline", "message"), [
    (92, 92, 90, "no change to exaggerate"),
    (-5, 3, -10, "first must be positive"),
    (92, 94, 93, "baseline .* must be below both values"),
    (92, 94, "zero", "baseline must be a finite number"),
    (None, 94, 0, "first must be a finite number"),
])
def test_lie_factor_rejects_bad_input(first, last, baseline, message):
    """Equal values, a non-positive first value and a baseline above a bar are refused, naming the argument."""
    with pytest.raises(ValueError, match=message):
        lie_factor(first, last, baseline)


@pytest.mark.parametrize(("values", "expected"), [([92.1, 92.7, 93.5], 90.0), ([50.8, 61.2, 70.3], 30.0),
                                                  ([0.929, 0.935, 0.891], 0.8), ([3.0, 40.0], 0.0)])
def test_truncated_bottom_is_a_round_number_below_the_data(values, expected):
    """The automatic axis starts at a round number below the data, and at zero when the data reach near it."""
    bottom = truncated_bottom(values)
    assert bottom == pytest.approx(expected), f"axis bottom for {values} should be {expected}, got {bottom}"
    assert bottom < min(values), "the axis bottom must be below every value"


@pytest.mark.parametrize("values", [[], [1.0, float("inf")], ["a", "b"]])
def test_truncated_bottom_rejects_bad_input(values):
    """Empty, infinite or non-numeric values are refused."""
    with pytest.raises(ValueError, match="values must hold"):
        truncated_bottom(values)


@pytest.mark.parametrize(("unit", "how"), [("%", "mean"), ("average days", "mean"), ("per 100,000 collections", "mean"),
                                           ("rate per 1,000", "mean"), ("days per FTE", "sum"), ("incidents", "sum"),
                                           (None, "sum")])
def test_ytd_method_adds_up_only_counts(unit, how):
    """Percentages, averages and rates are averaged to date; counts and days lost are added up."""
    assert ytd_method(unit) == how, f"unit {unit!r} should give {how!r}"


# --------------------------------------------------------------------------- tables
def test_yearly_summary_averages_whole_years_ending_at_the_latest_month(kpis):
    """Three 12-month blocks ending in March; their means equal the financial years' means from pandas."""
    years = yearly_summary(kpis, PERCENT)
    rows = kpis[kpis["indicator"] == PERCENT]
    fy = rows["month"].dt.year - (rows["month"].dt.month < 4)
    expected = rows.groupby(fy)["value"].mean().to_numpy()
    assert list(years["months"]) == [12, 12, 12], "three whole years of 12 months"
    np.testing.assert_allclose(years["mean"], expected, err_msg="block means should be the financial years' means")
    assert years["period"].tolist() == ["Apr 2022–Mar 2023", "Apr 2023–Mar 2024", "Apr 2024–Mar 2025"]


def test_yearly_summary_drops_a_partial_first_year_and_translates_months(kpis):
    """With 30 months the first 6 are left out; the month names go through translate."""
    short = kpis[kpis["month"] >= "2022-10-01"]
    years = yearly_summary(short, PERCENT, translate=str.upper)
    assert len(years) == 2 and years["start"].iloc[0] == pd.Timestamp("2023-04-01"), \
        "two whole years, the first starting in April 2023"
    assert years["period"].iloc[0] == "APR 2023–MAR 2024", "month names should be translated"


def test_yearly_summary_needs_two_years(kpis):
    """Fewer than 24 months cannot be compared year on year: the error says so."""
    with pytest.raises(ValueError, match="spans 23 months"):
        yearly_summary(kpis[kpis["month"] >= "2023-05-01"], PERCENT)


def test_long_run_change_agrees_with_an_ols_fit(kpis):
    """The change between the first and latest whole year equals the OLS coefficient of the latest year's dummy."""
    change = long_run_change(kpis, SEASONAL)
    rows = kpis[kpis["indicator"] == SEASONAL].copy()
    rows["year"] = (rows["month"].dt.year - (rows["month"].dt.month < 4)).astype(str)
    fit = smf.ols("value ~ C(year)", data=rows).fit()
    assert change.last - change.first == pytest.approx(fit.params["C(year)[T.2024]"]), \
        "the latest year's average minus the first's should match the regression"
    assert change.direction == "worsened" and change.percent > 0, "a rising measure where lower is better got worse"


def test_exaggeration_table_ranks_indicators_by_lie_factor(kpis):
    """The percentage indicator, whose yearly averages barely move, comes first; every row's factor is consistent."""
    table = exaggeration_table(kpis)
    assert table["indicator"].iloc[0] == PERCENT, f"the % measure should be most exaggerated, got {table['indicator'].tolist()}"
    assert table["lie_factor"].is_monotonic_decreasing, "largest lie factor first"
    for row in table.itertuples(index=False):
        assert row.lie_factor == pytest.approx(lie_factor(row.first, row.last, row.axis_bottom))
        assert row.lie_factor == pytest.approx(row.shown_change / row.real_change), "shown / real change"


def test_year_to_date_adds_up_and_restarts_in_april(kpis):
    """Days lost are summed from April: the running total rises every month and restarts each April."""
    ytd = year_to_date(kpis, DAYS)
    assert ytd["year"].unique().tolist() == ["2022-23", "2023-24", "2024-25"], "financial-year labels"
    for _, year in ytd.groupby("year"):
        assert year["ytd"].is_monotonic_increasing, "a running total of positive values only rises"
        np.testing.assert_allclose(year["ytd"], year["value"].cumsum())
    assert ytd.loc[ytd["month"] == "2023-04-01", "ytd"].iloc[0] == pytest.approx(
        ytd.loc[ytd["month"] == "2023-04-01", "value"].iloc[0]), "April starts a new total"


def test_year_to_date_averages_percentages_and_accepts_calendar_years(kpis):
    """A percentage's year-to-date figure is the average so far; start_month=1 gives calendar years."""
    ytd = year_to_date(kpis, PERCENT, start_month=1)
    assert ytd["year"].iloc[0] == "2022" and ytd["year"].iloc[-1] == "2025", "calendar-year labels"
    for _, year in ytd.groupby("year"):
        np.testing.assert_allclose(year["ytd"], year["value"].expanding().mean())


@pytest.mark.parametrize(("kwargs", "message"), [({"how": "total"}, "how must be"), ({"start_month": 13}, "start_month"),
                                                 ({"start_month": True}, "start_month")])
def test_year_to_date_rejects_bad_input(kpis, kwargs, message):
    """An unknown method or month is refused, naming the argument."""
    with pytest.raises(ValueError, match=message):
        year_to_date(kpis, DAYS, **kwargs)


def test_same_month_last_year_matches_a_merge(kpis):
    """Each of the latest 12 months sits beside the same month a year earlier; 'better' follows the polarity."""
    table = same_month_last_year(kpis, DAYS)
    rows = kpis[kpis["indicator"] == DAYS].set_index("month")["value"]
    earlier = rows.rename(lambda m: m + pd.DateOffset(years=1))
    expected = pd.concat([rows.rename("now"), earlier.rename("then")], axis=1, join="inner").tail(12)
    np.testing.assert_allclose(table["value"], expected["now"])
    np.testing.assert_allclose(table["year_earlier"], expected["then"])
    assert table["better"].all(), "every month of the latest year was 5% lower, and lower is better"


def test_same_month_last_year_needs_a_year_earlier(kpis):
    """Without any month a year before the latest 12, the comparison cannot be made."""
    with pytest.raises(ValueError, match="no month in its latest 12"):
        same_month_last_year(kpis[kpis["month"] >= "2024-04-01"], DAYS)


def test_find_cherry_pick_matches_a_brute_force_search(kpis):
    """The window found is the one a plain double loop over every pair of months finds."""
    pick = find_cherry_pick(kpis, SEASONAL, min_months=6)
    values = kpis.loc[kpis["indicator"] == SEASONAL, "value"].to_numpy()
    best, where = -np.inf, None
    for i, j in itertools.combinations(range(len(values)), 2):
        if j - i + 1 >= 6:
            gain = -(values[j] - values[i]) / values[i]  # lower is better: a fall flatters
            if gain > best:
                best, where = gain, (i, j)
    assert (pick.start, pick.end) == (MONTHS[where[0]], MONTHS[where[1]]), "same window as the brute-force search"
    assert pick.percent == pytest.approx(-100 * best) and pick.apparent == "improved"
    assert pick.start.month in (12, 1, 2) and pick.end.month in (6, 7, 8), "from a winter peak to a summer low"
    assert long_run_change(kpis, SEASONAL).direction == "worsened", "while the full series got worse"


def test_find_cherry_pick_honours_want_and_min_months(kpis):
    """Asking for a damning window finds a rise; no window is shorter than min_months."""
    pick = find_cherry_pick(kpis, PERCENT, want="worsened", min_months=9)
    assert pick.apparent == "worsened" and pick.months >= 9, f"expected a falling window of 9+ months, got {pick}"


def test_a_seasonal_series_without_trend_shows_a_big_change_in_a_short_window():
    """Pure seasonality: the whole years are identical, yet a six-month window shows a large 'improvement'."""
    winter = np.where(np.isin(MONTHS.month, (12, 1, 2)), 60.0, 40.0)
    frame = _frame([("T", m, "Flat", v, None, "count", "lower") for m, v in zip(MONTHS, winter)])
    assert long_run_change(frame, "Flat").direction == "unchanged", "identical years: no long-run change"
    pick = find_cherry_pick(frame, "Flat", want="improved")
    assert pick.percent == pytest.approx(-100 / 3), "from 60 in winter to 40 in summer is a fall of a third"


@pytest.mark.parametrize(("kwargs", "message"), [({"want": "better"}, "want must be"), ({"min_months": 1}, "min_months"),
                                                 ({"min_months": 40}, "fewer than min_months")])
def test_find_cherry_pick_rejects_bad_input(kpis, kwargs, message):
    """An unknown story, a window under two months or longer than the data is refused."""
    with pytest.raises(ValueError, match=message):
        find_cherry_pick(kpis, SEASONAL, **kwargs)


def test_cherry_pick_table_puts_flattering_contradictions_first(kpis):
    """The measure that got worse but has a window showing improvement leads the table."""
    table = cherry_pick_table(kpis)
    assert table["indicator"].iloc[0] == SEASONAL, f"expected {SEASONAL} first, got {table['indicator'].tolist()}"
    first = table.iloc[0]
    assert first["contradicts"] and first["long_run"] == "worsened" and first["window_shows"] == "improved"


@pytest.mark.parametrize(("frame", "error", "message"), [
    ("not a frame", TypeError, "must be a pandas DataFrame"),
    (pd.DataFrame({"month": [], "indicator": []}), ValueError, "missing: value"),
    (pd.DataFrame({"month": [], "indicator": [], "value": []}), ValueError, "has no rows"),
])
def test_functions_refuse_bad_frames(frame, error, message):
    """A non-frame, a frame without the value column or an empty one is refused with the reason."""
    with pytest.raises(error, match=message):
        exaggeration_table(frame)


def test_unknown_indicator_and_duplicate_months_are_named(kpis):
    """An unknown indicator lists the real ones; two rows for one month name the month."""
    with pytest.raises(ValueError, match="the indicators are: Cleared in 5 days"):
        yearly_summary(kpis, "Nothing")
    doubled = pd.concat([kpis, kpis.iloc[[0]]])
    with pytest.raises(ValueError, match="more than one row for the month.*2022-04"):
        yearly_summary(doubled, SEASONAL)


def test_missing_polarity_is_explained(kpis):
    """A comparison that needs 'better' says so when it is missing."""
    frame = kpis.assign(better=None)
    with pytest.raises(ValueError, match="'higher' or 'lower'"):
        same_month_last_year(frame, DAYS)


# --------------------------------------------------------------------------- charts
def test_plot_axis_pair_truncates_one_panel_and_translates(kpis):
    """Left panel starts at the truncated bottom, right at zero; the figure's words go through translate."""
    fig = plot_axis_pair(kpis, PERCENT, translate=_mark)
    left, right = fig.axes
    bottom = truncated_bottom(yearly_summary(kpis, PERCENT)["mean"])
    assert left.get_ylim()[0] == pytest.approx(bottom) and right.get_ylim()[0] == 0, "truncated left, zero right"
    assert left.get_title() == f"<Axis starts at {bottom:g}>" and right.get_title() == "<Axis starts at zero>"
    assert "<higher is better>" in left.get_ylabel(), "the value axis should say which way is better"
    assert [p.get_facecolor() for p in left.patches][-1] == matplotlib.colors.to_rgba(HIGHLIGHT), "latest year in colour"
    plt.close(fig)


def test_plot_bars_rejects_a_baseline_above_a_bar():
    """A baseline above a bar would hide it: refused."""
    yearly = pd.DataFrame({"period": ["a", "b"], "mean": [92.0, 94.0]})
    with pytest.raises(ValueError, match="baseline"):
        plot_bars(yearly, baseline=93.0)
    with pytest.raises(TypeError, match="yearly must be a pandas DataFrame"):
        plot_bars([1, 2])


def test_plot_dual_axes_fits_each_axis_to_its_own_line(kpis):
    """Each axis spans its own series' range (plus a margin), so both lines fill the same height."""
    _, ax = plt.subplots()
    left, right = plot_dual_axes(kpis, SEASONAL, PERCENT, ax=ax)
    for axis, name in ((left, SEASONAL), (right, PERCENT)):
        values = kpis.loc[kpis["indicator"] == name, "value"]
        low, high = axis.get_ylim()
        span = values.max() - values.min()
        assert low == pytest.approx(values.min() - 0.05 * span) and high == pytest.approx(values.max() + 0.05 * span)
    with pytest.raises(ValueError, match="two different indicators"):
        plot_dual_axes(kpis, PERCENT, PERCENT)
    plt.close("all")


def test_plot_indexed_starts_both_lines_near_100(kpis):
    """Each line is the value as a percentage of its first year's average."""
    fig, ax = plt.subplots()
    plot_indexed(kpis, [SEASONAL, PERCENT], ax=ax)
    lines = [line for line in ax.get_lines() if line.get_label() in (SEASONAL, PERCENT)]
    for line, name in zip(lines, (SEASONAL, PERCENT)):
        first_year = yearly_summary(kpis, name)["mean"].iloc[0]
        first_value = kpis.loc[kpis["indicator"] == name, "value"].iloc[0]
        assert line.get_ydata()[0] == pytest.approx(100 * first_value / first_year)
    plt.close(fig)


def test_cumulative_and_cherry_pick_figures_have_two_panels(kpis):
    """The year-to-date pair and the cherry-pick pair each draw two labelled panels."""
    fig = plot_cumulative_pair(kpis, DAYS, translate=_mark)
    assert len(fig.axes) == 2 and fig.axes[0].get_title() == "<Year to date, 2024-25>"
    plt.close(fig)
    pick = find_cherry_pick(kpis, SEASONAL)
    fig = plot_cherry_pick(kpis, pick)
    assert len(fig.axes) == 2, "the window and the full series"
    assert fig.axes[0].get_title().startswith(f"Since {pick.start:%b %Y}"), "the window's title names its first month"
    plt.close(fig)
    with pytest.raises(TypeError, match="pick must be a CherryPick"):
        plot_cherry_pick(kpis, "window")


def test_plot_kpi_range_axis_and_cumulative(kpis):
    """The chart shows only the months asked for, from zero or not, monthly or year to date."""
    fig, ax = plt.subplots()
    plot_kpi(kpis, DAYS, start="2024-04-01", end="2025-03-01", from_zero=False, cumulative=True, ax=ax)
    line = ax.get_lines()[0]
    assert len(line.get_ydata()) == 12 and line.get_ydata()[-1] == pytest.approx(
        kpis.loc[kpis["indicator"] == DAYS, "value"].iloc[-12:].sum()), "12 months, ending at the year's total"
    assert ax.get_ylim()[0] > 0, "a fitted axis does not start at zero"
    plt.close(fig)
    with pytest.raises(ValueError, match="no month"):
        plot_kpi(kpis, DAYS, start="2030-01-01")


def test_kpi_view_is_made_without_pyplot(kpis):
    """The widget's figure never enters pyplot, so nothing is left open."""
    before = plt.get_fignums()
    figure = kpi_view(kpis, PERCENT, from_zero=True)
    assert plt.get_fignums() == before and figure.axes[0].get_ylim()[0] == 0


def _outputs(box):
    return box.children[-1].outputs


def test_chart_explorer_draws_and_redraws(kpis):
    """The explorer shows a chart at once and a new one when the axis or mode changes."""
    before = plt.get_fignums()
    box = chart_explorer(kpis, indicator=DAYS, translate=_mark)
    first = _outputs(box)
    assert len(first) == 1 and "image/png" in first[0]["data"], "one PNG chart at first"
    pick, zero = box.children[0].children
    mode = box.children[1].children[0]
    assert pick.value == DAYS and zero.description == "<Axis from zero>", "initial indicator and translated label"
    zero.value = False
    second = _outputs(box)
    assert second[0]["data"]["image/png"] != first[0]["data"]["image/png"], "unticking the axis should redraw"
    mode.value = True
    assert _outputs(box)[0]["data"]["image/png"] != second[0]["data"]["image/png"], "year to date should redraw"
    assert plt.get_fignums() == before, "no pyplot figure should be left open"


def test_chart_explorer_rejects_an_unknown_indicator(kpis):
    """An initial indicator that is not in the data is refused with the choices."""
    with pytest.raises(ValueError, match="indicator 'Nothing' is not in the data"):
        chart_explorer(kpis, indicator="Nothing")


def test_cherry_pick_is_a_plain_record(kpis):
    """find_cherry_pick returns a frozen CherryPick with the window's own numbers."""
    pick = find_cherry_pick(kpis, SEASONAL)
    assert isinstance(pick, CherryPick)
    assert pick.percent == pytest.approx(percent_change(pick.first, pick.last))
    with pytest.raises(AttributeError):
        pick.first = 0  # frozen


def test_importing_chart_literacy_changes_no_matplotlib_settings():
    """Importing the module leaves matplotlib's settings alone (styles are applied explicitly)."""
    import curriculum.chart_literacy

    before = dict(matplotlib.rcParams)
    importlib.reload(curriculum.chart_literacy)
    assert dict(matplotlib.rcParams) == before, "importing curriculum.chart_literacy must not change rcParams"
