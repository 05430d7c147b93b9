"""Tests of curriculum.uncertainty: margins of error, intervals, comparisons, regression to the mean and their charts."""

from __future__ import annotations

import importlib
import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from curriculum.councils import COUNCIL_NAMES
from curriculum.forecasting import fit_ets
from curriculum.style import HIGHLIGHT
from curriculum.uncertainty import (
    RegressionReplay,
    compare_proportions,
    compare_with,
    comparison_explorer,
    comparison_view,
    margin_explorer,
    margin_of_error,
    observed_regression,
    plot_differences,
    plot_fan_chart,
    plot_intervals,
    plot_margin_curve,
    plot_regression_to_mean,
    pooled_rates,
    proportion_interval,
    regression_to_mean,
    survey_table,
    target_position,
    z_value,
)

matplotlib.use("Agg")
QUESTION = "Satisfied with the council"


def _mark(text: str) -> str:
    """A stand-in translator that keeps placeholders and shows that a string went through it."""
    return "<" + text + ">"


@pytest.fixture
def survey() -> pd.DataFrame:
    """Ten areas over three years: area k has (30 + 3k)% agreeing and 200 + 100k respondents, plus one year's noise."""
    rows = []
    for year, shift in zip((2022, 2023, 2024), (0.0, 1.0, -1.0)):
        for k, name in enumerate(COUNCIL_NAMES):
            rows.append((name, year, QUESTION, 200 + 100 * k, 30.0 + 3 * k + shift * (-1) ** k))
            rows.append((name, year, "Feel safe", 300, 70.0))
    return pd.DataFrame(rows, columns=["area_name", "year", "question", "respondents", "percent_agree"])


# --------------------------------------------------------------------------- margins and intervals
def test_z_value_is_the_normal_quantile():
    """95% gives 1.96 and 99% gives 2.58, as the normal distribution's quantiles."""
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6) and z_value(0.99) == pytest.approx(2.575829, abs=1e-6)


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.1, "95%", True])
def test_z_value_rejects_bad_confidence(confidence):
    """A confidence outside (0, 1) or not a number is refused, naming the argument."""
    with pytest.raises(ValueError, match="confidence"):
        z_value(confidence)


@pytest.mark.parametrize(("percent", "n"), [(50, 1000), (45, 600), (12.5, 300), (90, 1200)])
def test_margin_of_error_matches_statsmodels_normal_interval(percent, n):
    """The closed form 1.96 √(p(1-p)/n) equals half of statsmodels' normal-approximation interval."""
    low, high = proportion_confint(percent / 100 * n, n, alpha=0.05, method="normal")
    assert margin_of_error(percent, n) == pytest.approx(100 * (high - low) / 2, rel=1e-4), \
        "the textbook margin should be half the Wald interval's width"


def test_margin_of_error_broadcasts_and_shrinks_with_the_square_root_of_n():
    """Four times the respondents halve the margin; arrays are handled element by element."""
    margins = margin_of_error(50, np.array([250, 1000, 4000]))
    np.testing.assert_allclose(margins[:-1] / margins[1:], [2.0, 2.0], err_msg="margin ∝ 1/√n")
    assert isinstance(margin_of_error(50, 1000), float), "two numbers give a float"


@pytest.mark.parametrize(("percent", "n", "message"), [(120, 100, "percent must hold numbers between 0 and 100"),
                                                       (-1, 100, "percent"), ("half", 100, "percent"),
                                                       (50, 0, "n must hold positive numbers"), (50, -5, "n must")])
def test_margin_of_error_rejects_bad_input(percent, n, message):
    """Percentages outside 0-100 and sample sizes that are not positive are refused, naming the argument."""
    with pytest.raises(ValueError, match=message):
        margin_of_error(percent, n)


def _wilson(p, n, z=1.959963984540054):
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (centre - half), 100 * (centre + half)


@pytest.mark.parametrize(("percent", "n"), [(45, 600), (3, 300), (0, 50), (100, 80)])
def test_proportion_interval_is_wilsons_closed_form(percent, n):
    """The interval equals Wilson's score formula written out by hand, and stays inside 0-100."""
    low, high = proportion_interval(percent, n)
    hand = _wilson(percent / 100, n)
    assert (low, high) == pytest.approx(hand, abs=1e-9), "statsmodels' Wilson interval should match the formula"
    assert 0 <= low <= percent <= high <= 100, "the interval holds the estimate and stays in range"


def test_wilson_interval_covers_the_truth_95_times_in_100():
    """In 4,000 simulated surveys of 400 people with 30% agreeing, about 95% of intervals contain 30%."""
    rng = np.random.default_rng(7)
    agreeing = rng.binomial(400, 0.30, size=4000)
    low, high = proportion_interval(100 * agreeing / 400, np.full(4000, 400))
    coverage = np.mean((low <= 30) & (30 <= high))
    assert 0.935 <= coverage <= 0.965, f"coverage should be close to 95%, got {coverage:.3f}"


def test_proportion_interval_rejects_an_unknown_method():
    """A method statsmodels does not know is refused."""
    with pytest.raises(ValueError, match="method 'guess'"):
        proportion_interval(40, 100, method="guess")


# --------------------------------------------------------------------------- comparisons
def _newcombe(p1, n1, p2, n2):
    l1, u1 = (v / 100 for v in _wilson(p1, n1))
    l2, u2 = (v / 100 for v in _wilson(p2, n2))
    d = p1 - p2
    return 100 * (d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)), 100 * (d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


@pytest.mark.parametrize(("p1", "n1", "p2", "n2"), [(49.9, 513, 34.5, 325), (43.2, 1110, 43.9, 585), (20, 300, 24, 1150)])
def test_compare_proportions_is_newcombes_interval(p1, n1, p2, n2):
    """The interval for a difference equals Newcombe's hybrid score interval built from two Wilson intervals by hand."""
    result = compare_proportions(p1, n1, p2, n2)
    assert (result["low"], result["high"]) == pytest.approx(_newcombe(p1 / 100, n1, p2 / 100, n2), abs=1e-6)
    assert result["difference"] == pytest.approx(p1 - p2)
    assert result["real"] == (result["low"] > 0 or result["high"] < 0)


@pytest.mark.parametrize(("p1", "n1", "p2", "n2", "real"), [(50, 1000, 40, 1000, True), (45, 300, 43, 300, False)])
def test_compare_proportions_agrees_with_a_z_test_on_clear_cases(p1, n1, p2, n2, real):
    """Where a two-proportion z-test is clear-cut (p < 0.01 or p > 0.2), the interval says the same."""
    _, p_value = proportions_ztest([p1 / 100 * n1, p2 / 100 * n2], [n1, n2])
    assert (p_value < 0.01) == real and (p_value > 0.2) == (not real), "the test case should be clear-cut"
    assert compare_proportions(p1, n1, p2, n2)["real"] is real


def test_compare_proportions_calls_chance_real_about_one_time_in_twenty():
    """With no true difference, about 5% of simulated pairs of surveys show a 'real' difference."""
    rng = np.random.default_rng(11)
    a = rng.binomial(500, 0.4, size=1500) / 5
    b = rng.binomial(700, 0.4, size=1500) / 7
    false_alarms = np.mean([compare_proportions(x, 500, y, 700)["real"] for x, y in zip(a, b)])
    assert 0.03 <= false_alarms <= 0.075, f"false alarm rate should be near 5%, got {false_alarms:.3f}"


def test_survey_table_and_compare_with(survey):
    """One row per area with intervals around each figure; the comparison leaves out the area itself."""
    table = survey_table(survey, QUESTION)
    assert len(table) == 10 and table["year"].eq(2024).all(), "latest year by default, one row per area"
    assert ((table["low"] <= table["percent_agree"]) & (table["percent_agree"] <= table["high"])).all()
    np.testing.assert_allclose(table["margin"], margin_of_error(table["percent_agree"], table["respondents"]))
    comparison = compare_with(table, "cardiff")
    assert "Cardiff" not in set(comparison["area_name"]) and len(comparison) == 9
    assert comparison["difference"].is_monotonic_decreasing
    expected = np.where(comparison["real"], np.where(comparison["low"] > 0, "higher", "lower"), "no clear difference")
    assert comparison["verdict"].tolist() == expected.tolist()


@pytest.mark.parametrize(("question", "year", "message"), [("Nope", None, "question 'Nope' is not in the data"),
                                                           (QUESTION, 1999, "year 1999 has no rows")])
def test_survey_table_rejects_unknown_choices(survey, question, year, message):
    """An unknown question or year is refused with the choices."""
    with pytest.raises(ValueError, match=message):
        survey_table(survey, question, year)


def test_survey_table_and_compare_with_reject_bad_input(survey):
    """Duplicate areas, non-frames, missing columns and unknown areas are refused with the reason."""
    with pytest.raises(ValueError, match="more than one row"):
        survey_table(pd.concat([survey, survey.iloc[[0]]]), QUESTION, 2022)
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        survey_table("survey", QUESTION)
    with pytest.raises(ValueError, match="missing: respondents"):
        survey_table(survey.drop(columns="respondents"), QUESTION)
    with pytest.raises(ValueError, match="area 'Atlantis' is not in the table"):
        compare_with(survey_table(survey, QUESTION), "Atlantis")


# --------------------------------------------------------------------------- regression to the mean
def _expected_max(k: int) -> float:
    """The expected largest of k independent standard normal values, by numerical integration."""
    value, _ = integrate.quad(lambda x: x * k * stats.norm.pdf(x) * stats.norm.cdf(x) ** (k - 1), -10, 10)
    return value


def test_regression_to_mean_matches_the_theory_for_identical_areas():
    """Ten identical areas: the lowest improves by σ × E[max of 10 normals], the others fall by a ninth of that."""
    rates = pd.DataFrame({"percent_agree": [40.0] * 10, "respondents": [400] * 10})
    replay = regression_to_mean(rates, n_worst=1, n_replays=20000, seed=3)
    sigma = 100 * math.sqrt(0.4 * 0.6 / 400)
    assert replay.mean_worst_change == pytest.approx(sigma * _expected_max(10), rel=0.05), \
        "the simulated improvement should match the order-statistics closed form"
    assert replay.mean_rest_change == pytest.approx(-replay.mean_worst_change / 9, abs=0.05), \
        "nothing changed overall, so the others fall by as much as the lowest rises, shared out"
    assert replay.share_worst_improved > 0.85


def test_regression_to_mean_is_reproducible_and_stronger_for_small_samples():
    """The same seed gives the same replays; smaller samples give a bigger bounce back."""
    rates = pd.DataFrame({"percent_agree": np.linspace(40, 46, 10), "respondents": [300] * 10})
    first = regression_to_mean(rates, seed=9)
    pd.testing.assert_frame_equal(first.replays, regression_to_mean(rates, seed=9).replays)
    big = regression_to_mean(rates.assign(respondents=3000), seed=9)
    assert first.mean_worst_change > big.mean_worst_change > 0, "small samples bounce back more"
    assert isinstance(first, RegressionReplay) and first.n_worst == 3


@pytest.mark.parametrize(("kwargs", "message"), [({"n_worst": 0}, "n_worst"), ({"n_worst": 10}, "n_worst"),
                                                 ({"n_replays": 5}, "n_replays"), ({"n_worst": 2.5}, "n_worst")])
def test_regression_to_mean_rejects_bad_input(kwargs, message):
    """A number of areas to follow outside 1..areas-1, or too few replays, is refused."""
    rates = pd.DataFrame({"percent_agree": [40.0] * 10, "respondents": [400] * 10})
    with pytest.raises(ValueError, match=message):
        regression_to_mean(rates, **kwargs)


def test_pooled_rates_weight_years_by_respondents(survey):
    """The pooled figure is all agreeing ÷ all respondents; the sample size is the latest year's."""
    pooled = pooled_rates(survey, QUESTION).set_index("area_name")
    rows = survey[(survey["question"] == QUESTION) & (survey["area_name"] == "Newport")]
    expected = (rows["percent_agree"] * rows["respondents"]).sum() / rows["respondents"].sum()
    assert pooled.loc["Newport", "percent_agree"] == pytest.approx(expected)
    assert pooled.loc["Newport", "respondents"] == rows.loc[rows["year"] == 2024, "respondents"].iloc[0]


def test_observed_regression_follows_each_years_lowest(survey):
    """Each pair of years lists that year's three lowest areas and their mean change, against the others'."""
    table = observed_regression(survey, QUESTION)
    assert table[["year", "next_year"]].values.tolist() == [[2022, 2023], [2023, 2024]]
    first = survey[(survey["question"] == QUESTION)].pivot(index="area_name", columns="year", values="percent_agree")
    worst = first[2022].nsmallest(3).index
    assert table["worst"].iloc[0] == ", ".join(worst)
    assert table["worst_change"].iloc[0] == pytest.approx((first[2023] - first[2022])[worst].mean())
    with pytest.raises(ValueError, match="n_worst"):
        observed_regression(survey, QUESTION, n_worst=10)


# --------------------------------------------------------------------------- forecasts
@pytest.fixture
def fan():
    """A 12-month forecast of a seasonal monthly series with 50, 80 and 95% intervals."""
    months = pd.date_range("2022-04-01", periods=36, freq="MS")
    rng = np.random.default_rng(1)
    values = 50 * np.exp(0.1 * np.arange(36) / 12) * (1 + 0.3 * np.cos(2 * np.pi * (months.month - 1) / 12)) \
        * np.exp(np.cumsum(rng.normal(0, 0.03, 36)))
    history = pd.Series(values, index=months).asfreq("MS")
    return history, fit_ets(history, horizon=12, season=12, levels=(0.5, 0.8, 0.95), damped_trend=False).forecast


def test_fan_intervals_nest_and_widen(fan):
    """The 50% band sits inside the 80% band inside the 95% band, and the 95% band is wider at 12 months than at 1."""
    _, forecast = fan
    assert (forecast["lower_95"] <= forecast["lower_80"]).all() and (forecast["lower_80"] <= forecast["lower_50"]).all()
    assert (forecast["upper_50"] <= forecast["upper_80"]).all() and (forecast["upper_80"] <= forecast["upper_95"]).all()
    width = forecast["upper_95"] - forecast["lower_95"]
    assert width.iloc[-1] > width.iloc[0], "uncertainty should grow with the horizon"


def test_target_position(fan):
    """A target above, inside or below the last month's 95% range is placed accordingly."""
    _, forecast = fan
    low, high = forecast["lower_95"].iloc[-1], forecast["upper_95"].iloc[-1]
    assert target_position(forecast, high + 1) == "above"
    assert target_position(forecast, (low + high) / 2) == "inside"
    assert target_position(forecast, low - 1) == "below"
    with pytest.raises(ValueError, match="no 90% interval"):
        target_position(forecast, 50, level=0.9)
    with pytest.raises(ValueError, match="step"):
        target_position(forecast, 50, step=12)
    with pytest.raises(TypeError, match="forecast must be a pandas DataFrame"):
        target_position([1, 2], 50)


def test_plot_fan_chart_shades_one_band_per_level(fan):
    """Three levels give three shaded bands, a central line and the target; words go through translate."""
    history, forecast = fan
    fig, ax = plt.subplots()
    plot_fan_chart(history, forecast, target=60, ax=ax, translate=_mark)
    assert len(ax.collections) == 3, "one band per interval"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "<95% of outcomes expected in this range>" in labels and "<Target>" in labels
    plt.close(fig)
    with pytest.raises(ValueError, match="mean column"):
        plot_fan_chart(history, forecast.drop(columns="mean"))


# --------------------------------------------------------------------------- charts and widgets
def test_plot_intervals_highlights_your_area(survey):
    """One line per area; yours in the highlight colour."""
    table = survey_table(survey, QUESTION)
    fig, ax = plt.subplots()
    plot_intervals(table, highlight="Torfaen", ax=ax, translate=_mark)
    colours = ax.collections[0].get_colors()
    assert len(colours) == 10 and sum(np.allclose(c, matplotlib.colors.to_rgba(HIGHLIGHT)) for c in colours) == 1
    assert ax.get_xlabel() == "<% agreeing, with its 95% confidence interval>"
    plt.close(fig)


def test_plot_differences_and_margin_curve(survey):
    """The difference chart has a zero line and a translated label; the margin curve marks the sample size."""
    comparison = compare_with(survey_table(survey, QUESTION), "Cardiff")
    fig, (left, right) = plt.subplots(1, 2)
    plot_differences(comparison, "Cardiff", ax=left, translate=_mark)
    assert left.get_xlabel() == "<Difference from Cardiff, percentage points (95% interval)>"
    plot_margin_curve(50, 1000, ax=right, translate=_mark)
    assert any("± 3.1 points" in t.get_text() for t in right.texts), "the marked sample size's margin is written"
    plt.close(fig)


def test_plot_regression_to_mean_needs_a_replay():
    """The histogram is drawn from a RegressionReplay only."""
    rates = pd.DataFrame({"percent_agree": np.linspace(40, 46, 10), "respondents": [300] * 10})
    fig, ax = plt.subplots()
    plot_regression_to_mean(regression_to_mean(rates, n_replays=100), ax=ax, translate=_mark)
    assert ax.get_title() == "<The lowest areas improve without any help>"
    plt.close(fig)
    with pytest.raises(TypeError, match="RegressionReplay"):
        plot_regression_to_mean(rates)


def test_margin_explorer_redraws_when_the_sample_changes():
    """The explorer shows a chart at once and a new one when the respondents slider moves."""
    before = plt.get_fignums()
    box = margin_explorer(45, 600, translate=_mark)
    first = box.children[-1].outputs
    assert len(first) == 1 and "image/png" in first[0]["data"]
    box.children[0].value = 2400
    assert box.children[-1].outputs[0]["data"]["image/png"] != first[0]["data"]["image/png"]
    assert box.children[0].description == "<Respondents>" and plt.get_fignums() == before
    with pytest.raises(ValueError, match="n must be between"):
        margin_explorer(45, 50)


def test_comparison_explorer_writes_a_chart_and_a_sentence(survey):
    """The comparison shows both intervals and says whether the difference is bigger than chance."""
    box = comparison_explorer(survey, "Cardiff", question=QUESTION, translate=_mark)
    outputs = box.children[-1].outputs
    assert "image/png" in outputs[0]["data"] and "text/html" in outputs[1]["data"]
    box.children[1].value = "Merthyr Tydfil"
    html = box.children[-1].outputs[1]["data"]["text/html"]
    assert "Merthyr Tydfil" in html and "&lt;" in html, "the sentence names the other area and went through translate"
    _, sentence = comparison_view(survey, QUESTION, "Cardiff", "Blaenau Gwent")
    assert sentence.startswith("Blaenau Gwent")
    with pytest.raises(ValueError, match="area 'Atlantis' is not in the data"):
        comparison_explorer(survey, "Atlantis")
    with pytest.raises(ValueError, match="another area"):
        comparison_view(survey, QUESTION, "Cardiff", "cardiff")


def test_importing_uncertainty_changes_no_matplotlib_settings():
    """Importing the module leaves matplotlib's settings alone (styles are applied explicitly)."""
    import curriculum.uncertainty

    before = dict(matplotlib.rcParams)
    importlib.reload(curriculum.uncertainty)
    assert dict(matplotlib.rcParams) == before
