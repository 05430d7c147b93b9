"""Tests of curriculum.costing: the cost model, cost shares, sensitivity, simulation and break-even.

Results are checked against independent computations: line and yearly costs written out
by hand, shares computed with exact fractions (Hamilton's largest remainder method written
here from scratch), tornado swings from their closed form, simulated means, variances and
probabilities against scipy's triangular distribution, and break-even results against
the annuity formula.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from curriculum import costing as cs
from curriculum.councils import councils


@pytest.fixture
def assumptions() -> pd.DataFrame:
    """A small cost table: two posts with on-costs, recruitment, a platform and training."""
    return pd.DataFrame({
        "item": ["Analyst", "Manager", "On-costs", "Recruitment", "Build", "Running", "Training"],
        "category": ["staff", "staff", "staff", "staff", "platform", "platform", "training"],
        "one_off": [False, False, False, True, True, False, False],
        "quantity": [2.0, 1.0, 1.0, 3.0, 1.0, 1.0, 10.0],
        "unit": ["FTE", "FTE", cs.ON_COST_UNIT, "post", "build", "year", "place"],
        "unit_cost": [30000.0, 50000.0, 0.30, 1000.0, 20000.0, 5000.0, 100.0],
        "low": [27000.0, 45000.0, 0.28, 500.0, 15000.0, 3000.0, 80.0],
        "high": [36000.0, 60000.0, 0.32, 2000.0, 40000.0, 12000.0, 150.0],
    })


@pytest.fixture
def benefits() -> pd.DataFrame:
    """A small benefit table: two benefits with ranges of their yearly quantity."""
    return pd.DataFrame({"benefit": ["Fires prevented", "Hours saved"], "module": ["fire_hotspots", "prioritising_work"],
                         "quantity": [10.0, 2000.0], "unit_value": [2000.0, 30.0],
                         "low": [2.0, 500.0], "high": [25.0, 3000.0]})


PAY = 2 * 30000 + 50000  # recurring staff pay of the fixture
RECURRING = PAY * 1.30 + 5000 + 10 * 100
ONE_OFF = 3 * 1000 + 20000


# --------------------------------------------------------------------------- costs
def test_line_costs_hand_computed(assumptions):
    """Each line is quantity x unit cost; the on-cost row is its rate times the recurring pay."""
    lines = cs.line_costs(assumptions)
    expected = [60000, 50000, 0.30 * PAY, 3000, 20000, 5000, 1000]
    assert np.allclose(lines.to_numpy(), expected), f"line costs {lines.to_dict()}"
    assert list(lines.index) == list(assumptions["item"]), "indexed by item in the table's order"


def test_on_costs_ignore_one_off_staff_and_need_the_unit(assumptions):
    """One-off staff costs carry no on-costs, and without a unit column nothing is a share of pay."""
    more = assumptions.copy()
    more.loc[3, "unit_cost"] = 9000.0
    assert cs.line_costs(more)["On-costs"] == pytest.approx(0.30 * PAY), "recruitment (one-off) is not pay"
    no_unit = assumptions.drop(columns="unit")
    assert cs.line_costs(no_unit)["On-costs"] == pytest.approx(0.30), "without 'unit' the row is quantity x unit cost"


def test_annual_costs_spreads_one_off_and_recurring(assumptions):
    """One-off costs fall in year 1 only, recurring costs in every year; the grid adds up to total_cost."""
    grid = cs.annual_costs(assumptions, 4)
    assert list(grid.columns) == [1, 2, 3, 4] and grid.columns.name == "year"
    assert grid.index.names == ["category", "item"]
    by_year = grid.sum()
    assert by_year[1] == pytest.approx(ONE_OFF + RECURRING), "year 1 holds the one-off and the recurring costs"
    assert np.allclose(by_year.loc[2:].to_numpy(), RECURRING), "later years hold only recurring costs"
    assert grid.xs("Build", level="item").iloc[0].tolist() == [20000, 0, 0, 0], "a one-off item is paid once"
    assert grid.to_numpy().sum() == pytest.approx(cs.total_cost(assumptions, 4)), "annual_costs and total_cost agree"
    assert grid.groupby(level="category").sum().sum(axis=1)["training"] == pytest.approx(4 * 1000)


def test_total_cost_closed_form(assumptions):
    """The total is the one-off costs plus the years times the recurring costs."""
    for years in (1, 3, 5, 10):
        assert cs.total_cost(assumptions, years) == pytest.approx(ONE_OFF + years * RECURRING), f"{years} years"


def test_key_figures_and_staff_posts(assumptions):
    """The scenario's starting figures and posts are read off the table."""
    figures = cs.key_figures(assumptions)
    assert figures["posts"] == 3 and figures["pay"] == PAY and figures["on_cost_rate"] == pytest.approx(0.30)
    assert figures["platform"] == 5000 and figures["one_off"] == ONE_OFF
    assert figures["recurring"] == pytest.approx(RECURRING)
    assert cs.staff_posts(assumptions).to_dict() == {"Analyst": 2.0, "Manager": 1.0}, "on-cost and one-off rows are not posts"
    assert np.isnan(cs.key_figures(assumptions.drop(columns="unit"))["on_cost_rate"]), "no on-cost row: NaN"


def test_adjust_headcount_on_cost_and_platform(assumptions):
    """A scenario scales the posts (keeping the mix), sets the on-cost rate and scales the platform's yearly cost."""
    before = assumptions.copy()
    bigger = cs.adjust(assumptions, headcount=6)
    assert cs.key_figures(bigger)["posts"] == pytest.approx(6)
    assert cs.key_figures(bigger)["pay"] == pytest.approx(2 * PAY), "twice the posts, twice the pay, same mix"
    rate = cs.adjust(assumptions, on_cost=0.35)
    assert cs.line_costs(rate)["On-costs"] == pytest.approx(0.35 * PAY)
    assert rate.loc[2, "high"] == pytest.approx(0.35), "the range widens to include the new rate"
    dear = cs.adjust(assumptions, platform=15000)
    assert cs.key_figures(dear)["platform"] == pytest.approx(15000)
    assert dear.loc[5, "low"] == pytest.approx(9000) and dear.loc[4, "unit_cost"] == 20000, "only recurring platform rows scale"
    pd.testing.assert_frame_equal(assumptions, before, obj="the assumptions passed in")


@pytest.mark.parametrize("change, call, error, word", [
    (lambda a: a.drop(columns="quantity"), lambda a: cs.line_costs(a), ValueError, "quantity"),
    (lambda a: a.assign(unit_cost=-1.0), lambda a: cs.line_costs(a), ValueError, "negative"),
    (lambda a: a.assign(category="staffing"), lambda a: cs.line_costs(a), ValueError, "category"),
    (lambda a: a.assign(item="same"), lambda a: cs.line_costs(a), ValueError, "item"),
    (lambda a: a.assign(one_off=None), lambda a: cs.line_costs(a), ValueError, "one_off"),
    (lambda a: a.iloc[0:0], lambda a: cs.line_costs(a), ValueError, "no rows"),
    (lambda a: a, lambda a: cs.annual_costs(a, 0), ValueError, "years"),
    (lambda a: a, lambda a: cs.total_cost(a, 2.5), ValueError, "years"),
    (lambda a: a.to_dict(), lambda a: cs.total_cost(a), TypeError, "DataFrame"),
    (lambda a: a, lambda a: cs.adjust(a, headcount=-1), ValueError, "headcount"),
    (lambda a: a.drop(columns="unit"), lambda a: cs.adjust(a, on_cost=0.3), ValueError, "on_cost"),
    (lambda a: a[a["category"] != "platform"], lambda a: cs.adjust(a, platform=100), ValueError, "platform"),
    (lambda a: a.assign(low=a["high"] + 1), lambda a: cs.monte_carlo_cost(a), ValueError, "low <= unit_cost"),
])
def test_cost_functions_reject_bad_input(assumptions, change, call, error, word):
    """Bad tables and arguments raise an error that names the problem."""
    with pytest.raises(error, match=word):
        call(change(assumptions))


# --------------------------------------------------------------------------- sharing
def _hamilton(total_pennies: int, weights: list[int]) -> list[int]:
    """Hamilton's largest remainder method in exact fractions (independent of the package)."""
    whole = sum(weights)
    exact = [Fraction(total_pennies * w, whole) for w in weights]
    floors = [q.numerator // q.denominator for q in exact]
    left = total_pennies - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def test_shares_by_population_are_proportional_and_exact():
    """Shares by population follow the Census populations to within a penny and add up to the total exactly."""
    members = councils()
    total = 4_073_200.17
    shares = cs.share_costs(total, members, "population")
    expected = total * members["population_2021"] / members["population_2021"].sum()
    assert np.allclose(shares["amount"].to_numpy(), expected.to_numpy(), atol=0.01), "each within a penny of its exact share"
    assert round(shares["amount"].sum(), 2) == round(total, 2), "the amounts add up to the total"
    assert shares["share"].sum() == pytest.approx(1.0)
    assert list(shares.index) == list(members["name"]) and shares.index.name == "council"
    pennies = _hamilton(round(total * 100), members["population_2021"].tolist())
    assert (np.round(shares["amount"].to_numpy() * 100).astype(int) == pennies).all(), "the largest remainder method"


@pytest.mark.parametrize("seed", range(20))
def test_shares_match_exact_largest_remainder(seed):
    """For random totals and whole-number weights the pennies equal Hamilton's method in exact arithmetic."""
    rng = np.random.default_rng(seed)
    weights = rng.integers(0, 50, size=rng.integers(2, 12)).tolist()
    weights[0] += 1  # never all zero
    members = pd.DataFrame({"name": [f"M{i}" for i in range(len(weights))], "population_2021": weights})
    pennies = int(rng.integers(0, 10**9))
    shares = cs.share_costs(pennies / 100, members, "population")
    mine = np.round(shares["amount"].to_numpy() * 100).astype(int)
    assert mine.sum() == pennies, "the pennies add up exactly"
    assert mine.tolist() == _hamilton(pennies, weights), f"weights {weights}, total {pennies}p"


def test_shares_by_use_and_equal():
    """Sharing by use follows the usage (in any order); equal shares differ by at most a penny."""
    members = councils()
    usage = pd.Series(np.arange(1, 11, dtype=float), index=members["name"][::-1].to_numpy())
    by_use = cs.share_costs(1000.0, members, "use", usage)
    expected = 1000.0 * usage.reindex(members["name"]) / usage.sum()
    assert np.allclose(by_use["amount"].to_numpy(), expected.to_numpy(), atol=0.01)
    assert by_use["amount"].sum() == pytest.approx(1000.0)
    equal = cs.share_costs(1000.01, members, "equal")
    assert equal["amount"].sum() == pytest.approx(1000.01) and equal["amount"].max() - equal["amount"].min() <= 0.0100001
    as_dict = cs.share_costs(1000.0, members, "use", usage.to_dict())
    pd.testing.assert_frame_equal(by_use, as_dict)


@pytest.mark.parametrize("kwargs, error, word", [
    ({"total": -1}, ValueError, "total"),
    ({"total": float("nan")}, ValueError, "total"),
    ({"basis": "people"}, ValueError, "basis"),
    ({"basis": "use"}, ValueError, "usage"),
    ({"basis": "use", "usage": {"Cardiff": 3.0}}, ValueError, "no value for"),
    ({"basis": "use", "usage": {n: 0.0 for n in councils()["name"]}}, ValueError, "all zero"),
    ({"basis": "use", "usage": {**{n: 1.0 for n in councils()["name"]}, "Cardiff": -2.0}}, ValueError, "negative"),
    ({"councils": "Cardiff"}, TypeError, "DataFrame"),
    ({"councils": pd.DataFrame({"council": ["A"]})}, ValueError, "name"),
    ({"councils": pd.DataFrame({"name": ["A", "A"], "population_2021": [1, 2]})}, ValueError, "once"),
])
def test_share_costs_rejects_bad_arguments(kwargs, error, word):
    """Bad totals, bases, usage and member tables raise an error naming the argument."""
    args = {"total": 100.0, "councils": councils(), "basis": "population", "usage": None} | kwargs
    with pytest.raises(error, match=word):
        cs.share_costs(**args)


# --------------------------------------------------------------------------- tornado
def test_tornado_swings_match_closed_form(assumptions):
    """Each swing is quantity x (high - low), times the years if recurring, times 1.3 for pay; on-costs swing on pay."""
    table = cs.tornado(lambda a: cs.total_cost(a, 5), assumptions)
    expected = {"Analyst": 2 * 9000 * 1.3 * 5, "Manager": 15000 * 1.3 * 5, "On-costs": 0.04 * PAY * 5,
                "Recruitment": 3 * 1500, "Build": 25000, "Running": 9000 * 5, "Training": 10 * 70 * 5}
    for item, swing in expected.items():
        assert table.loc[item, "swing"] == pytest.approx(swing), item
    assert table["swing"].is_monotonic_decreasing, "sorted by swing, largest first"
    assert table.attrs["base"] == pytest.approx(cs.total_cost(assumptions, 5))
    assert table.loc["Build", "at_low"] == pytest.approx(cs.total_cost(assumptions, 5) - 5000)
    assert (table["at_low"] <= table.attrs["base"] + 1e-9).all() and (table["at_high"] >= table.attrs["base"] - 1e-9).all()


def test_tornado_works_for_benefits(benefits):
    """With value='quantity' the tornado varies benefit quantities."""
    def model(b):
        return float((b["quantity"] * b["unit_value"]).sum())

    table = cs.tornado(model, benefits, value="quantity", label="benefit")
    assert table.loc["Fires prevented", "swing"] == pytest.approx(23 * 2000)
    assert table.loc["Hours saved", "swing"] == pytest.approx(2500 * 30)
    assert table.index[0] == "Hours saved"


@pytest.mark.parametrize("model, frame, error, word", [
    ("total", None, TypeError, "model"),
    (lambda a: "a lot", None, ValueError, "finite number"),
    (lambda a: 1.0, "drop-high", ValueError, "high"),
])
def test_tornado_rejects_bad_arguments(assumptions, model, frame, error, word):
    """A model that is not a function or returns no number, or a table without a range, is refused."""
    table = assumptions.drop(columns="high") if frame == "drop-high" else assumptions
    with pytest.raises(error, match=word):
        cs.tornado(model, table)


def test_plot_tornado_draws_two_bars_per_assumption(assumptions):
    """plot_tornado draws a low and a high bar for each of the top assumptions, largest at the top."""
    table = cs.tornado(lambda a: cs.total_cost(a, 5), assumptions)
    ax = cs.plot_tornado(table, top=4)
    assert len(ax.patches) == 8, "two bars for each of the four assumptions shown"
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == table.index[0], "the largest swing at the top"
    with pytest.raises(ValueError, match="tornado"):
        cs.plot_tornado(pd.DataFrame({"x": [1]}))


# --------------------------------------------------------------------------- simulation
def _triang(low, mode, high):
    return stats.triang((mode - low) / (high - low), loc=low, scale=high - low)


def test_triangular_mean_matches_scipy():
    """(low + mode + high) / 3 is scipy's mean of the triangular distribution."""
    for low, mode, high in [(0, 1, 2), (1, 1, 5), (3, 9, 10), (-2, 0, 7)]:
        assert cs.triangular_mean(low, mode, high) == pytest.approx(_triang(low, mode, high).mean())
    assert np.allclose(cs.triangular_mean([0, 1], [1, 2], [2, 6]), [1, 3])
    with pytest.raises(ValueError, match="low <= mode <= high"):
        cs.triangular_mean(2, 1, 3)


def test_monte_carlo_mean_matches_the_analytic_mean(assumptions):
    """The simulated mean is the total at the triangular means, (a + b + c) / 3 (on-costs and pay independent)."""
    totals = cs.monte_carlo_cost(assumptions, n=40_000, seed=3, years=5)
    means = assumptions.assign(unit_cost=cs.triangular_mean(assumptions["low"], assumptions["unit_cost"], assumptions["high"]))
    analytic = cs.total_cost(means, 5)
    se = totals.std(ddof=1) / np.sqrt(len(totals))
    assert abs(totals.mean() - analytic) < 4 * se, f"simulated mean {totals.mean():,.0f}, analytic {analytic:,.0f} (SE {se:,.0f})"
    assert totals.mean() > cs.total_cost(assumptions, 5), "upward-skewed ranges put the mean above the central estimate"


def test_monte_carlo_matches_scipy_for_one_item():
    """With one recurring item the totals follow years x the triangular distribution: mean, variance and CDF."""
    one = pd.DataFrame({"item": ["Running"], "category": ["platform"], "one_off": [False], "quantity": [2.0],
                        "unit_cost": [50.0], "low": [30.0], "high": [110.0]})
    totals = cs.monte_carlo_cost(one, n=50_000, seed=11, years=3)
    dist = _triang(30, 50, 110)
    assert totals.mean() == pytest.approx(6 * dist.mean(), rel=0.005)
    assert totals.var() == pytest.approx(36 * dist.var(), rel=0.03)
    for budget in (300, 400, 500):
        p = (totals <= budget).mean()
        assert p == pytest.approx(dist.cdf(budget / 6), abs=4 * np.sqrt(0.25 / len(totals))), f"P(total <= {budget})"


def test_monte_carlo_is_reproducible_and_keeps_fixed_items_fixed(assumptions):
    """The same seed gives the same totals; a row with low == high never varies."""
    first = cs.monte_carlo_cost(assumptions, n=500, seed=7)
    assert np.array_equal(first, cs.monte_carlo_cost(assumptions, n=500, seed=7))
    assert not np.array_equal(first, cs.monte_carlo_cost(assumptions, n=500, seed=8))
    fixed = assumptions.assign(low=assumptions["unit_cost"], high=assumptions["unit_cost"])
    assert np.allclose(cs.monte_carlo_cost(fixed, n=50, seed=1), cs.total_cost(fixed, 5))


def test_monte_carlo_benefit_mean(benefits):
    """Simulated benefits average the triangular means of the quantities times the unit values, times sum(ramp)."""
    ramp = [0.25, 0.6, 1, 1, 1]
    draws = cs.monte_carlo_benefit(benefits, n=40_000, seed=5, ramp=ramp)
    analytic = sum(_triang(lo, q, hi).mean() * v for lo, q, hi, v in
                   benefits[["low", "quantity", "high", "unit_value"]].itertuples(index=False)) * sum(ramp)
    se = draws.std(ddof=1) / np.sqrt(len(draws))
    assert abs(draws.mean() - analytic) < 4 * se


@pytest.mark.parametrize("kwargs, word", [({"n": 0}, "n"), ({"n": 2.5}, "n"), ({"seed": -1}, "seed"),
                                          ({"seed": "x"}, "seed"), ({"years": 0}, "years")])
def test_monte_carlo_rejects_bad_arguments(assumptions, kwargs, word):
    """Bad sizes, seeds and years raise an error naming the argument."""
    with pytest.raises(ValueError, match=word):
        cs.monte_carlo_cost(assumptions, **kwargs)


# --------------------------------------------------------------------------- value
def test_benefit_values(benefits):
    """Each benefit is worth quantity x unit value a year, with its low and high values, largest first."""
    values = cs.benefit_values(benefits)
    assert values["value"].tolist() == [60000.0, 20000.0]
    assert values.loc["Fires prevented", "value_low"] == 4000 and values.loc["Hours saved", "value_high"] == 90000
    assert values.loc["Hours saved", "module"] == "prioritising_work", "other columns are kept"


def test_break_even_hand_computed():
    """A £100 build and £50 a year against £80 a year of benefits repays in year 4, not before."""
    result = cs.break_even([150, 50, 50, 50, 50], 80)
    assert result.table["cumulative_net"].tolist() == [-70, -40, -10, 20, 50]
    assert result.year == 4
    assert result.benefit_needed == pytest.approx(350 / 5)
    assert result.ratio == pytest.approx(400 / 350)


def test_break_even_benefit_needed_zeroes_the_last_year():
    """At benefit_needed the running net of the last year is zero, with a ramp and with discounting."""
    costs, ramp = [900.0, 700.0, 700.0, 700.0, 700.0], [0.25, 0.6, 1, 1, 1]
    for rate in (0.0, 0.035):
        result = cs.break_even(costs, 500, ramp, discount_rate=rate)
        again = cs.break_even(costs, result.benefit_needed, ramp, discount_rate=rate)
        assert again.table["cumulative_net"].iloc[-1] == pytest.approx(0, abs=1e-6), f"rate {rate}"
        assert result.year is None, "£500 a year never repays these costs"


def test_break_even_discounting_matches_the_annuity_formula():
    """With constant yearly amounts the present values follow the annuity factor (1 - (1 + r)^-n) / r x (1 + r)."""
    r, n = 0.035, 5
    result = cs.break_even([100.0] * n, 120.0, discount_rate=r)
    annuity_due = (1 - (1 + r) ** -n) / r * (1 + r)  # payments at the start of each year (year 1 undiscounted)
    assert result.table["cumulative_cost"].iloc[-1] == pytest.approx(100 * annuity_due)
    assert result.table["cumulative_benefit"].iloc[-1] == pytest.approx(120 * annuity_due)
    assert result.ratio == pytest.approx(1.2), "a constant ratio survives discounting"


@pytest.mark.parametrize("args, kwargs, word", [
    (([100, 100], 50), {"ramp": [1.0]}, "ramp"),
    (([100, 100], 50), {"ramp": [0.5, 1.5]}, "ramp"),
    (([100, 100], -5), {}, "annual_benefit"),
    (([0, 0], 5), {}, "all zero"),
    (([100, -1], 5), {}, "annual_cost"),
    (([100, 100], 50), {"discount_rate": -0.1}, "discount_rate"),
])
def test_break_even_rejects_bad_arguments(args, kwargs, word):
    """Bad costs, benefits, ramps and discount rates raise an error naming the argument."""
    with pytest.raises(ValueError, match=word):
        cs.break_even(*args, **kwargs)
    with pytest.raises(TypeError, match="sum"):
        cs.break_even(pd.DataFrame({1: [1.0]}), 5)


# --------------------------------------------------------------------------- scenarios
def test_scenario_view_and_explorer(assumptions):
    """The view gives a figure and one row per council adding up to the total; the explorer builds its widgets."""
    members = councils()
    usage = pd.Series(1.0, index=members["name"])
    figure, table = cs.scenario_view(assumptions, members, usage, 5, "use", highlight="Newport")
    assert figure.axes and len(table) == 10
    assert table["total (GBP)"].sum() == pytest.approx(cs.total_cost(assumptions, 5), abs=10)
    assert table.loc["Newport", "you"] and not table.loc["Cardiff", "you"]
    box = cs.scenario_explorer(assumptions, members, usage, highlight="Newport")
    assert box.children[-1].outputs, "the view is drawn at once"
    partial = cs.scenario_explorer(assumptions.drop(columns="unit"), members)
    assert partial.children[0].children[1].disabled, "without an on-cost row its slider is disabled"
