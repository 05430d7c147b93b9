"""Tests of curriculum.rates: rates, exact Poisson funnel limits, league tables and charts."""

from __future__ import annotations

import matplotlib
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from curriculum.councils import councils
from curriculum.rates import (
    add_rates,
    chance_league_positions,
    compare_to_funnel,
    funnel_explorer,
    funnel_limits,
    funnel_table,
    funnel_view,
    league_table,
    plot_funnel,
    plot_league,
    plot_ranks,
    rank_spread,
    rate_per_1000,
)
from curriculum.style import HIGHLIGHT, MUTED

matplotlib.use("Agg")


@pytest.fixture
def indicators() -> pd.DataFrame:
    """Two indicators over three years for the ten CCR councils, without a population column."""
    table = councils()
    rows = []
    for year in (2021, 2022, 2023):
        for i, row in enumerate(table.itertuples(index=False)):
            rows.append((row.code, row.name, year, "Small", 10 + i + year % 3))
            rows.append((row.code, row.name, year, "Large", row.population_2021 // 100))
    return pd.DataFrame(rows, columns=["area_code", "area_name", "year", "indicator", "count"])


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opens."""
    yield
    plt.close("all")


# ---------------------------------------------------------------- rate_per_1000

def test_rate_per_1000_of_two_numbers_is_a_float():
    """A count of 16 in 58,800 residents is 0.272 per 1,000, returned as a float."""
    rate = rate_per_1000(16, 58_800)
    assert isinstance(rate, float), f"expected a float, got {type(rate).__name__}"
    assert rate == pytest.approx(16 / 58.8), f"16 / 58,800 * 1,000 should be {16 / 58.8}, got {rate}"


def test_rate_per_1000_keeps_the_series_index():
    """Series in give a Series out with the counts' index."""
    counts = pd.Series([1, 2, 3], index=["a", "b", "c"])
    rate = rate_per_1000(counts, pd.Series([1000, 2000, 1000], index=["a", "b", "c"]))
    assert isinstance(rate, pd.Series), "a Series of counts should give a Series of rates"
    assert list(rate.index) == ["a", "b", "c"], "the index of the counts should be kept"
    assert rate.tolist() == pytest.approx([1.0, 1.0, 3.0]), f"wrong rates: {rate.tolist()}"


def test_rate_per_1000_broadcasts_arrays():
    """An array of counts over one population gives an array of rates."""
    rate = rate_per_1000(np.array([0, 5, 10]), 5000)
    assert isinstance(rate, np.ndarray), "array in, array out"
    assert rate.tolist() == pytest.approx([0.0, 1.0, 2.0]), f"wrong rates: {rate.tolist()}"


@pytest.mark.parametrize(("counts", "population", "message"), [
    (-1, 1000, "counts must not be negative"),
    (1, 0, "population must be positive"),
    (1, -5, "population must be positive"),
    (np.nan, 1000, "counts must not hold missing values"),
    (1, np.nan, "population must not hold missing values"),
    ("many", 1000, "counts must hold numbers"),
    ([1, 2, 3], [1000, 2000], "matching shapes"),
])
def test_rate_per_1000_rejects_bad_input(counts, population, message):
    """Bad counts or populations raise a ValueError that names the argument."""
    with pytest.raises(ValueError, match=message):
        rate_per_1000(counts, population)


# ---------------------------------------------------------------- funnel_limits

def test_funnel_limits_is_tidy():
    """One row per population and z, with the documented columns, sorted by population then z."""
    limits = funnel_limits([200_000, 50_000], 0.3)
    assert list(limits.columns) == ["population", "z", "coverage", "expected", "lower", "upper",
                                    "lower_count", "upper_count"], f"unexpected columns {list(limits.columns)}"
    assert len(limits) == 4, f"2 populations x 2 z values should give 4 rows, got {len(limits)}"
    assert limits["population"].tolist() == [50_000, 50_000, 200_000, 200_000], "rows should be sorted by population"
    assert limits["coverage"].round(3).tolist() == [0.95, 0.998, 0.95, 0.998], "z 1.96 and 3.09 cover 95% and 99.8%"


def test_funnel_limits_bracket_the_rate_and_narrow_with_population():
    """The limits sit either side of the overall rate and close in as the population grows."""
    limits = funnel_limits(np.linspace(20_000, 400_000, 20), 0.3, z=3.09)
    assert (limits["lower"] < 0.3).all() and (limits["upper"] > 0.3).all(), "limits must bracket the overall rate"
    width = (limits["upper"] - limits["lower"]).to_numpy()
    assert (np.diff(width) < 0).all(), "the funnel must narrow as the population grows"
    assert (limits["lower"] >= 0).all(), "a rate limit can never be negative"


def test_funnel_limits_are_interpolated_poisson_quantiles():
    """Each count limit lies between the Poisson quantile r and r - 1 (the exact method)."""
    limits = funnel_limits([58_800, 362_400], 0.28, z=(1.96, 3.09))
    for row in limits.itertuples():
        tail = stats.norm.sf(row.z)
        r_upper = stats.poisson.ppf(1 - tail, row.expected)
        r_lower = stats.poisson.ppf(tail, row.expected)
        assert r_upper - 1 < row.upper_count <= r_upper, f"upper count limit {row.upper_count} not in ({r_upper - 1}, {r_upper}]"
        assert max(r_lower - 1, 0) <= row.lower_count <= r_lower, f"lower count limit {row.lower_count} not near {r_lower}"


def test_funnel_limits_match_the_normal_approximation_for_large_counts():
    """With 10,000 expected events the exact limits are close to expected +/- z * sqrt(expected)."""
    limits = funnel_limits(1_000_000, 10.0, z=1.96)
    expected = 10_000
    assert limits["upper_count"].iloc[0] == pytest.approx(expected + 1.96 * 100, rel=0.002), "upper limit far from normal approximation"
    assert limits["lower_count"].iloc[0] == pytest.approx(expected - 1.96 * 100, rel=0.002), "lower limit far from normal approximation"


def test_funnel_limits_lower_limit_is_zero_for_tiny_populations():
    """With under one event expected the lower limit is clipped to zero, not negative."""
    limits = funnel_limits(1_000, 0.3)
    assert (limits["lower"] == 0).all(), f"lower limits should be 0, got {limits['lower'].tolist()}"


@pytest.mark.parametrize(("population", "rate", "z", "message"), [
    ([], 0.3, 1.96, "population must hold at least one value"),
    ([0, 1000], 0.3, 1.96, "population must be positive"),
    (1000, 0, 1.96, "overall_rate must be a positive rate"),
    (1000, -1.0, 1.96, "overall_rate must be a positive rate"),
    (1000, float("nan"), 1.96, "overall_rate must be a positive rate"),
    (1000, "0.3", 1.96, "overall_rate must be a positive rate"),
    (1000, 0.3, -1.96, "z must be a positive number"),
    (1000, 0.3, (), "z must be a positive number"),
])
def test_funnel_limits_rejects_bad_input(population, rate, z, message):
    """Bad populations, rates or z values raise a ValueError that names the argument."""
    with pytest.raises(ValueError, match=message):
        funnel_limits(population, rate, z=z)


# ---------------------------------------------------------------- add_rates

def test_add_rates_joins_census_populations(indicators):
    """Without a population column, the Census 2021 populations are joined on area_code."""
    rated = add_rates(indicators)
    cardiff = rated[(rated["area_name"] == "Cardiff") & (rated["indicator"] == "Large")].iloc[0]
    assert cardiff["population"] == 362_400, f"Cardiff's Census 2021 population is 362,400, got {cardiff['population']}"
    assert cardiff["rate_per_1000"] == pytest.approx(3624 / 362.4), "rate should be count / population * 1,000"
    assert rated["population"].dtype == "int64", "population should be whole numbers"
    assert "population" not in indicators.columns, "add_rates must not change its input"


def test_add_rates_uses_the_data_own_population(indicators):
    """A complete population column in the data is used as it stands."""
    own = indicators.assign(population=1000)
    rated = add_rates(own)
    assert (rated["population"] == 1000).all(), "the data's own population should be kept"
    assert rated["rate_per_1000"].tolist() == pytest.approx(own["count"].astype(float).tolist()), "rate per 1,000 of 1,000 residents is the count"


@pytest.mark.parametrize("kind", ["dict", "series", "frame"])
def test_add_rates_accepts_populations_in_three_forms(indicators, kind):
    """populations may be a dict, a Series or a frame keyed by area code."""
    lookup = {code: 100_000 for code in indicators["area_code"].unique()}
    given = {"dict": lookup, "series": pd.Series(lookup),
             "frame": pd.DataFrame({"area_code": list(lookup), "population": list(lookup.values())})}[kind]
    rated = add_rates(indicators, populations=given)
    assert (rated["population"] == 100_000).all(), f"populations given as a {kind} were not used"


def test_add_rates_names_unmatched_areas(indicators):
    """Areas without a population are named in the error, with the way to fix it."""
    extra = pd.concat([indicators, pd.DataFrame([{"area_code": "E08000033", "area_name": "Calderdale",
                                                  "year": 2023, "indicator": "Small", "count": 5}])])
    with pytest.raises(ValueError, match=r"Calderdale \(E08000033\).*population column"):
        add_rates(extra)


@pytest.mark.parametrize(("frame", "populations", "error", "message"), [
    (pd.DataFrame({"area_code": ["W06000015"]}), None, ValueError, "missing: count"),
    (pd.DataFrame({"count": [1]}), None, ValueError, "missing: area_code"),
    ([1, 2], None, TypeError, "indicators must be a pandas DataFrame"),
    (pd.DataFrame({"area_code": ["A"], "count": [1]}), pd.DataFrame({"code": ["A"]}), ValueError, "populations must have the columns"),
    (pd.DataFrame({"area_code": ["A"], "count": [1]}), [1000], TypeError, "populations must be a DataFrame"),
    (pd.DataFrame({"area_code": ["A"], "count": [1]}), {"A": 0}, ValueError, "population must be positive"),
    (pd.DataFrame({"area_code": ["A", "A"], "count": [1, 2]}), pd.Series([10, 20], index=["A", "A"]), ValueError,
     "more than once: A"),
])
def test_add_rates_rejects_bad_input(frame, populations, error, message):
    """Missing columns and malformed populations raise an error naming the problem."""
    with pytest.raises(error, match=message):
        add_rates(frame, populations=populations)


def test_functions_taking_a_frame_refuse_other_types():
    """Passing a list where a DataFrame belongs raises a TypeError naming the argument."""
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        compare_to_funnel([1, 2, 3])
    with pytest.raises(TypeError, match="rated must be a pandas DataFrame"):
        funnel_table([1, 2, 3], "Small", 2023)


# ---------------------------------------------------------------- comparisons

def _one_year(values: list[tuple[str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(values, columns=["area_name", "count", "population"]).assign(
        area_code=lambda d: d["area_name"].str.upper())


def test_compare_to_funnel_flags_a_clear_outlier():
    """An area with three times the expected count is above the 99.8% limit; the others are within."""
    frame = _one_year([("A", 300, 100_000), ("B", 100, 100_000), ("C", 100, 100_000), ("D", 100, 100_000)])
    compared = compare_to_funnel(frame)
    assert compared.loc[0, "signal"] == "above 99.8% limit", f"A should be flagged, got {compared.loc[0, 'signal']}"
    assert compared.loc[1:, "signal"].str.startswith("below").all(), "with A pulling the pooled rate up, B-D sit below it"
    assert compared.attrs["overall_rate"] == pytest.approx(600 / 400_000 * 1000), "overall rate should be pooled"
    assert {"lower_95", "upper_95", "lower_99.8", "upper_99.8", "expected"} <= set(compared.columns), "limit columns missing"


def test_compare_to_funnel_finds_no_signal_when_counts_match_expectation():
    """Areas at exactly the common rate are all within the limits."""
    frame = _one_year([("A", 30, 100_000), ("B", 60, 200_000), ("C", 15, 50_000)])
    assert compare_to_funnel(frame)["signal"].eq("within limits").all(), "equal rates must give no signal"


def test_compare_to_funnel_rejects_several_rows_per_area():
    """A frame with more than one row per area (several years) is refused with a pointer to funnel_table."""
    frame = _one_year([("A", 30, 100_000), ("A", 31, 100_000)])
    with pytest.raises(ValueError, match="one row per area"):
        compare_to_funnel(frame)


def test_compare_to_funnel_rejects_all_zero_counts():
    """With no events at all there is no overall rate to compare with."""
    with pytest.raises(ValueError, match="overall_rate must be positive"):
        compare_to_funnel(_one_year([("A", 0, 1000), ("B", 0, 2000)]))


def test_league_table_ranks_by_rate_with_shared_ties():
    """Highest rate first; tied areas share the better rank."""
    frame = _one_year([("A", 10, 100_000), ("B", 20, 100_000), ("C", 20, 100_000), ("D", 5, 100_000)])
    table = league_table(frame)
    assert table["area_name"].tolist()[:2] == ["B", "C"], "highest rates first, ties in their original order"
    assert table["rank"].tolist() == [1, 1, 3, 4], f"ties should share the better rank, got {table['rank'].tolist()}"


def test_funnel_table_selects_one_indicator_and_year(indicators):
    """funnel_table gives one ranked row per council for the chosen indicator and year."""
    table = funnel_table(add_rates(indicators), "Small", 2023)
    assert len(table) == 10 and table["area_code"].is_unique, "one row per council expected"
    assert table["rate_per_1000"].is_monotonic_decreasing, "rows should be ranked by rate"
    assert "signal" in table.columns, "the funnel signal should be included"


@pytest.mark.parametrize(("indicator", "year", "message"), [
    ("Missing", 2023, "indicator 'Missing' is not in the data; the indicators are: Large, Small"),
    ("Small", 1999, "year 1999 has no rows for 'Small'; its years are: 2021, 2022, 2023"),
])
def test_funnel_table_lists_what_is_available(indicators, indicator, year, message):
    """An unknown indicator or year raises a ValueError listing the choices."""
    with pytest.raises(ValueError, match=message):
        funnel_table(add_rates(indicators), indicator, year)


def test_rank_spread_summarises_each_area(indicators):
    """One row per area; spread is worst minus best rank; sorted widest first."""
    spread = rank_spread(add_rates(indicators), "Small")
    assert len(spread) == 10 and spread["area_code"].is_unique, "one row per area expected"
    assert (spread["spread"] == spread["worst_rank"] - spread["best_rank"]).all(), "spread must be worst - best"
    assert spread["spread"].is_monotonic_decreasing, "widest spread first"
    assert spread["years_top"].sum() >= 3 and spread["years_bottom"].sum() >= 3, "each of 3 years has a top and a bottom"
    assert (spread["years"] == 3).all(), "every area has three years"


def test_chance_league_positions_favours_the_smallest_area():
    """With one common rate, the smallest of very different areas comes top or bottom most often."""
    pops = pd.Series([20_000, 100_000, 200_000, 400_000], index=["Small", "B", "C", "Big"])
    result = chance_league_positions(pops, 0.3, n_years=3000, seed=1)
    assert result["area_name"].iloc[0] == "Small", f"the smallest area should swing most, got {result['area_name'].iloc[0]}"
    assert result["area_name"].iloc[-1] == "Big", "the largest area should swing least"
    assert result["share_top"].sum() == pytest.approx(1.0) and result["share_bottom"].sum() == pytest.approx(1.0), \
        "each year has exactly one top and one bottom"


def test_chance_league_positions_repeats_with_the_same_seed():
    """The same seed gives the same replay."""
    pops = pd.Series([50_000, 60_000, 70_000], index=["A", "B", "C"])
    first = chance_league_positions(pops, 0.3, n_years=200, seed=7)
    second = chance_league_positions(pops, 0.3, n_years=200, seed=7)
    pd.testing.assert_frame_equal(first, second, obj="two replays with seed 7")


@pytest.mark.parametrize(("populations", "rate", "n_years", "message"), [
    (pd.Series([1000], index=["A"]), 0.3, 10, "at least two areas"),
    ([1000, 2000], 0.3, 10, "at least two areas"),
    (pd.Series([1000, 0], index=["A", "B"]), 0.3, 10, "populations must be positive"),
    (pd.Series([1000, 2000], index=["A", "B"]), 0, 10, "rate must be a positive rate"),
    (pd.Series([1000, 2000], index=["A", "B"]), 0.3, 0, "n_years must be a positive whole number"),
    (pd.Series([1000, 2000], index=["A", "B"]), 0.3, 2.5, "n_years must be a positive whole number"),
])
def test_chance_league_positions_rejects_bad_input(populations, rate, n_years, message):
    """Bad populations, rate or number of years raise a ValueError naming the argument."""
    with pytest.raises(ValueError, match=message):
        chance_league_positions(populations, rate, n_years=n_years)


# ---------------------------------------------------------------- charts

def _colours(collection) -> list[str]:
    return [mcolors.to_hex(c) for c in collection.get_facecolors()]


def test_plot_funnel_highlights_one_area(indicators):
    """The highlighted council is drawn in HIGHLIGHT, the others in MUTED, with limit lines and labels."""
    table = funnel_table(add_rates(indicators), "Small", 2023)
    ax = plot_funnel(table, highlight="Merthyr Tydfil", title="Test")
    others, chosen = ax.collections[0], ax.collections[1]
    assert set(_colours(others)) == {mcolors.to_hex(MUTED)} and len(others.get_offsets()) == 9, "nine muted points expected"
    assert _colours(chosen) == [mcolors.to_hex(HIGHLIGHT)], "the highlighted council should be in HIGHLIGHT"
    assert len(ax.lines) == 5, f"two lines per limit (95%, 99.8%) and the overall rate expected, got {len(ax.lines)}"
    assert len(ax.texts) == 10, "every council should be labelled"
    assert ax.get_title() == "Test", "the title should be set"


def test_plot_funnel_accepts_an_area_code_and_existing_axes(indicators):
    """highlight may be an ONS code, and the chart is drawn on the axes given."""
    _, ax = plt.subplots()
    table = funnel_table(add_rates(indicators), "Small", 2023)
    assert plot_funnel(table, highlight="W06000015", ax=ax, labels=False) is ax, "plot_funnel should draw on the given axes"
    assert len(ax.texts) == 0, "labels=False should write no labels"


@pytest.mark.parametrize(("highlight", "rows", "message"), [
    ("Calderdale", "one", "highlight 'Calderdale' is not an area in the data"),
    (None, "all", "one row per area"),
])
def test_plot_funnel_rejects_bad_input(indicators, highlight, rows, message):
    """An unknown highlight or a frame of several years raises a ValueError."""
    rated = add_rates(indicators)
    frame = funnel_table(rated, "Small", 2023) if rows == "one" else rated[rated["indicator"] == "Small"]
    with pytest.raises(ValueError, match=message):
        plot_funnel(frame, highlight=highlight)


def test_plot_league_draws_one_bar_per_area(indicators):
    """One bar per council, largest at the top, the highlighted one in HIGHLIGHT."""
    table = funnel_table(add_rates(indicators), "Large", 2023)
    ax = plot_league(table, "count", highlight="Cardiff")
    bars = ax.patches
    assert len(bars) == 10, f"ten bars expected, got {len(bars)}"
    top = max(bars, key=lambda b: b.get_y())
    assert mcolors.to_hex(top.get_facecolor()) == mcolors.to_hex(HIGHLIGHT), "Cardiff has the largest count and is highlighted"
    with pytest.raises(ValueError, match="missing: spend"):
        plot_league(table, "spend")


def test_plot_ranks_draws_one_line_per_area(indicators):
    """One line per council; highlighted councils are labelled; an unknown area raises."""
    rated = add_rates(indicators)
    ax = plot_ranks(rated, "Small", highlight=["Cardiff", "Merthyr Tydfil"], title="Ranks")
    assert len(ax.lines) == 10, f"ten lines expected, got {len(ax.lines)}"
    assert sorted(t.get_text() for t in ax.texts) == ["Cardiff", "Merthyr Tydfil"], "highlighted lines should be labelled"
    with pytest.raises(ValueError, match="highlight 'Atlantis'"):
        plot_ranks(rated, "Small", highlight="Atlantis")


def test_funnel_view_returns_a_chart_outside_pyplot_and_a_ranked_table(indicators):
    """funnel_view gives a Figure that pyplot does not track and the ranked table with its signal."""
    figure, table = funnel_view(add_rates(indicators), "Small", 2022, highlight="Torfaen")
    assert plt.get_fignums() == [], "the figure must not be registered with pyplot (no double display)"
    assert figure.axes[0].get_title() == "Small, 2022", "the chart should be titled with indicator and year"
    assert list(table.columns) == ["rank", "area_name", "count", "population", "rate_per_1000", "signal"], \
        f"unexpected columns {list(table.columns)}"
    assert table["rank"].is_monotonic_increasing, "the table should be ranked"


def _outputs(box):
    return box.children[1].outputs


def test_funnel_explorer_draws_the_first_view_and_redraws_on_change(indicators):
    """The explorer shows a chart and a table at once, and a new pair when the year changes."""
    box = funnel_explorer(add_rates(indicators), highlight="Cardiff", indicator="Small", year=2023)
    first = _outputs(box)
    assert sorted(first[0]["data"]) == ["image/png", "text/plain"], "first output should be the PNG chart"
    assert "text/html" in first[1]["data"], "second output should be the ranked table"
    indicator_choice, year_choice = box.children[0].children
    assert (indicator_choice.value, year_choice.value) == ("Small", 2023), "initial choices should be those given"
    year_choice.value = 2021
    second = _outputs(box)
    assert len(second) == 2 and second[0]["data"]["image/png"] != first[0]["data"]["image/png"], \
        "changing the year should replace the chart"
    assert plt.get_fignums() == [], "no pyplot figure should be left open"


def test_funnel_explorer_reports_a_missing_year_in_the_view(indicators):
    """A year without rows for the chosen indicator shows the reason instead of failing."""
    rated = add_rates(indicators)
    rated = rated[~((rated["indicator"] == "Large") & (rated["year"] == 2023))]
    box = funnel_explorer(rated, indicator="Large", year=2022)
    box.children[0].children[1].value = 2023
    outputs = _outputs(box)
    assert len(outputs) == 1 and "year 2023 has no rows for 'Large'" in outputs[0]["text"], \
        f"the view should explain the missing year, got {outputs}"


@pytest.mark.parametrize(("indicator", "year", "message"), [
    ("Missing", None, "indicator 'Missing' is not in the data"),
    (None, 1990, "year 1990 is not in the data"),
])
def test_funnel_explorer_rejects_unknown_choices(indicators, indicator, year, message):
    """An initial indicator or year that is not in the data raises a ValueError listing the choices."""
    with pytest.raises(ValueError, match=message):
        funnel_explorer(add_rates(indicators), indicator=indicator, year=year)


def test_importing_rates_changes_no_matplotlib_settings():
    """Importing the module leaves matplotlib's settings alone (styles are applied explicitly)."""
    import importlib

    import curriculum.rates

    before = dict(matplotlib.rcParams)
    importlib.reload(curriculum.rates)
    assert dict(matplotlib.rcParams) == before, "importing curriculum.rates must not change rcParams"
