"""Tests of curriculum.allocation: the allocation LP, the proportional rule and the response.

The LP's optimum is checked against independent computations: a greedy allocation by
marginal value written here from scratch (optimal for a concave, separable objective under
one capacity constraint), brute-force enumeration of whole-hour allocations on small
cases, and a closed form of the piecewise-linear response. Every allocation is checked
against its constraints.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from curriculum import allocation as al

EFFECT = [(10, 0.015), (20, 0.0075), (30, 0.0025)]


def _greedy(expected: pd.Series, capacity: float, max_per_area: float, effect, floor=None) -> pd.Series:
    """Hour blocks sorted by incidents prevented per hour, filled best first (independent of the package)."""
    blocks = []
    for area, exp in expected.items():
        start = 0.0
        for length, share in effect:
            room = min(length, max(0.0, max_per_area - start))
            if room > 0:
                blocks.append((exp * share, area, room))
            start += length
    hours = pd.Series(0.0, index=expected.index)
    left = capacity
    if floor is not None:  # an area's minimum hours use up its own best blocks first
        hours += floor
        left -= floor.sum()
        owed = floor.copy()
        remaining = []
        for value, area, room in sorted(blocks, key=lambda b: (str(b[1]), -b[0])):
            take = min(room, owed[area])
            owed[area] -= take
            if room - take > 0:
                remaining.append((value, area, room - take))
        blocks = remaining
    for value, area, room in sorted(blocks, key=lambda b: -b[0]):
        if left <= 0 or value <= 0:
            break
        take = min(room, left)
        hours[area] += take
        left -= take
    return hours


def _response(hours: float, expected: float, effect) -> float:
    """The piecewise-linear response written out segment by segment."""
    prevented, start = 0.0, 0.0
    for length, share in effect:
        prevented += expected * share * min(length, max(0.0, hours - start))
        start += length
    return prevented


@pytest.fixture
def expected() -> pd.Series:
    """Forty areas with skewed expected fires, as in a council with a few hotspots."""
    rng = np.random.default_rng(11)
    return pd.Series(rng.gamma(0.8, 4.0, 40).round(2), index=[f"W0100{1000 + i}" for i in range(40)])


# ----------------------------------------------------------------------------- the response
def test_fires_prevented_matches_the_closed_form():
    """Each hour prevents its segment's share of expected fires; nothing beyond the last segment."""
    hours = pd.Series([0, 5, 10, 25, 60, 90], index=list("ABCDEF"), dtype=float)
    exp = pd.Series(10.0, index=hours.index)
    got = al.fires_prevented(hours, exp, EFFECT)
    want = [0.0, 0.75, 1.5, 1.5 + 15 * 0.075, 3.75, 3.75]
    assert np.allclose(got.to_numpy(), want), f"expected {want}, got {got.round(4).tolist()}"
    assert got.name == "prevented"


def test_fires_prevented_aligns_series_by_area():
    """A Series of hours in another order is matched to the areas by index, not position."""
    exp = pd.Series({"A": 20.0, "B": 2.0})
    got = al.fires_prevented(pd.Series({"B": 10.0, "A": 0.0}), exp, EFFECT)
    assert got["A"] == 0 and got["B"] == pytest.approx(0.3), "B's 10 hours prevent 15% of its 2 fires"


def test_fires_prevented_is_concave_and_capped(expected):
    """More hours never prevent fewer fires, each hour prevents no more than the one before, and at most 37.5%."""
    grid = np.arange(0, 80, 1.0)
    values = np.array([_response(h, 12.0, EFFECT) for h in grid])
    package = [al.fires_prevented(pd.Series([h]), pd.Series([12.0]), EFFECT).iloc[0] for h in grid]
    assert np.allclose(values, package), "the package should agree with the segment-by-segment response"
    steps = np.diff(values)
    assert (steps >= -1e-12).all() and (np.diff(steps) <= 1e-12).all(), "the response should rise with diminishing steps"
    assert values.max() == pytest.approx(12.0 * 0.375), "60 hours prevent 37.5% of expected fires, and no more"


def test_segment_table_lists_values_and_cuts_at_the_maximum():
    """Segments carry expected x share per hour and stop at max_per_area."""
    table = al.segment_table(pd.Series({"A": 20.0, "B": 4.0}), 25, EFFECT)
    assert list(table.columns) == ["area", "segment", "hours", "value"]
    a = table[table["area"] == "A"]
    assert a["hours"].tolist() == [10.0, 15.0], "a maximum of 25 hours cuts the second segment and drops the third"
    assert np.allclose(a["value"], [0.3, 0.15]), "values are expected fires times the share per hour"


# ----------------------------------------------------------------------------- the LP
@pytest.mark.parametrize("seed", range(12))
def test_lp_equals_greedy_by_marginal_value(seed):
    """On random problems the LP prevents as many fires as the greedy allocation, which is optimal here."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 30))
    exp = pd.Series(rng.gamma(0.7, 5.0, n), index=[f"area{i}" for i in range(n)])
    lengths = rng.integers(1, 15, size=int(rng.integers(1, 4))).astype(float)
    shares = np.sort(rng.uniform(0.001, 0.02, len(lengths)))[::-1]
    effect = list(zip(lengths, shares))
    capacity = float(rng.uniform(0, 1.2) * n * lengths.sum())
    cap = float(rng.integers(1, 40))
    plan = al.allocate_hours(exp, capacity, cap, effect)
    greedy = _greedy(exp, capacity, cap, effect)
    want = sum(_response(greedy[a], exp[a], effect) for a in exp.index)
    assert plan.attrs["prevented"] == pytest.approx(want, rel=1e-7, abs=1e-9), \
        f"LP {plan.attrs['prevented']:.6f} vs greedy {want:.6f}"
    assert plan["hours"].sum() <= capacity + 1e-6, "the hours must not exceed the capacity"
    assert ((plan["hours"] >= -1e-9) & (plan["hours"] <= cap + 1e-9)).all(), "each area between 0 and its maximum"


def test_lp_equals_brute_force_on_whole_hours():
    """With whole-hour segments and capacity, enumerating every whole-hour allocation finds the LP's optimum."""
    exp = pd.Series({"A": 9.0, "B": 4.0, "C": 6.5})
    effect = [(2, 0.05), (3, 0.03), (2, 0.01)]
    for capacity in (0, 3, 7, 11, 21):
        best = max(sum(_response(h, e, effect) for h, e in zip(hours, exp))
                   for hours in itertools.product(range(8), repeat=3) if sum(hours) <= capacity)
        got = al.allocate_hours(exp, capacity, 7, effect).attrs["prevented"]
        assert got == pytest.approx(best, abs=1e-9), f"capacity {capacity}: LP {got}, brute force {best}"


def test_lp_fills_hotspots_first_and_respects_constraints(expected):
    """Hours go to the largest expected counts first; capacity and per-area maxima hold; results are indexed by area."""
    plan = al.allocate_hours(expected, 200, 60, EFFECT)
    assert list(plan.index) == list(expected.index) and list(plan.columns) == ["expected", "hours", "prevented"]
    assert plan["hours"].sum() == pytest.approx(200), "with more worthwhile segments than hours, all hours are used"
    assert plan.loc[expected.idxmax(), "hours"] == pytest.approx(plan["hours"].max()), "the biggest hotspot gets the most hours"
    assert (plan["hours"].groupby(plan["expected"].rank(method="first")).sum().diff().dropna() >= -1e-9).all(), \
        "hours should never fall as expected fires rise"
    assert plan.loc[expected.idxmin(), "hours"] == pytest.approx(0), "the quietest area should get none"
    assert plan.attrs["hours_used"] == pytest.approx(plan["hours"].sum())


def test_lp_leaves_hours_unused_when_nothing_is_left_to_prevent():
    """Beyond every area's segments, extra capacity stays unused rather than being spread for nothing."""
    plan = al.allocate_hours(pd.Series({"A": 5.0, "B": 0.0}), 1000, 60, EFFECT)
    assert plan.loc["A", "hours"] == pytest.approx(60) and plan.loc["B", "hours"] == pytest.approx(0)


def test_lp_beats_or_equals_proportional(expected):
    """The optimal allocation never prevents fewer fires than the proportional rule with the same hours."""
    rng = np.random.default_rng(3)
    last_year = pd.Series(rng.poisson(expected.to_numpy()), index=expected.index)
    for capacity in (0, 50, 200, 600, 5000):
        best = al.allocate_hours(expected, capacity, 60, EFFECT).attrs["prevented"]
        rule = al.fires_prevented(al.proportional_allocation(last_year, capacity, 60), expected, EFFECT).sum()
        assert best >= rule - 1e-7, f"capacity {capacity}: LP {best:.3f} < proportional {rule:.3f}"


def test_lp_with_a_floor_matches_greedy_after_the_floor(expected):
    """Minimum hours are given, then the rest goes greedily; the floor costs fires but never breaks capacity."""
    floor = pd.Series(np.where(expected > 1, 3.0, 0.0), index=expected.index)
    plan = al.allocate_hours(expected, 250, 60, EFFECT, min_per_area=floor)
    assert (plan["hours"] >= floor - 1e-9).all(), "every area gets at least its minimum"
    assert plan["hours"].sum() <= 250 + 1e-6
    greedy = _greedy(expected, 250, 60, EFFECT, floor=floor)
    want = sum(_response(greedy[a], expected[a], EFFECT) for a in expected.index)
    assert plan.attrs["prevented"] == pytest.approx(want, rel=1e-7), "LP with a floor vs floor-then-greedy"
    free = al.allocate_hours(expected, 250, 60, EFFECT).attrs["prevented"]
    assert plan.attrs["prevented"] <= free + 1e-9, "a floor can only cost fires prevented"


def test_floor_above_the_segments_is_kept():
    """A minimum beyond an area's segments is honoured even though those hours prevent nothing."""
    plan = al.allocate_hours(pd.Series({"A": 1.0, "B": 10.0}), 100, 80, [(10, 0.02)], min_per_area=pd.Series({"A": 70.0, "B": 0.0}))
    assert plan.loc["A", "hours"] == pytest.approx(70) and plan.loc["B", "hours"] == pytest.approx(10)


def test_lp_accepts_lists_and_per_area_maxima():
    """A plain list of expected values and a Series of maxima work too."""
    plan = al.allocate_hours([8.0, 2.0], 30, pd.Series([5.0, 60.0]), EFFECT)
    assert plan["hours"].tolist() == pytest.approx([5.0, 25.0]), "area 0 is capped at 5 hours, the rest go to area 1"


# ----------------------------------------------------------------------------- proportional rule
def test_proportional_without_caps_is_exactly_proportional():
    """Hours are shares of the capacity by weight when no area reaches its maximum."""
    hours = al.proportional_allocation(pd.Series({"A": 3, "B": 1, "C": 0}), 40, 100)
    assert hours.tolist() == pytest.approx([30.0, 10.0, 0.0]) and hours.name == "hours"


def test_proportional_redistributes_above_the_maximum():
    """Hours an area cannot take go to the others in proportion, until every area with weight is full."""
    w = pd.Series({"A": 10, "B": 5, "C": 1, "D": 0})
    hours = al.proportional_allocation(w, 40, 20)
    assert hours["A"] == pytest.approx(20) and hours.sum() == pytest.approx(40)
    assert hours["B"] / hours["C"] == pytest.approx(5), "uncapped areas keep their proportions"
    assert hours["D"] == 0
    twice = al.proportional_allocation(w, 40, 18)
    assert twice.tolist() == pytest.approx([18, 18, 4, 0]), "B's new share also passes 18: redistribute again"
    full = al.proportional_allocation(w, 1000, 20)
    assert full.tolist() == pytest.approx([20, 20, 20, 0]), "with more hours than room, every weighted area is full"
    cut = al.proportional_allocation(w, 40, 20, redistribute=False)
    assert cut.tolist() == pytest.approx([20, 12.5, 2.5, 0]), "without redistribution the share is only cut at 20"


def test_proportional_with_no_weight_or_no_hours_gives_nothing():
    """All-zero weights or zero capacity give zero hours everywhere."""
    assert al.proportional_allocation(pd.Series([0, 0]), 10, 5).sum() == 0
    assert al.proportional_allocation(pd.Series([1, 2]), 0, 5).sum() == 0


# ----------------------------------------------------------------------------- capacity curve
def test_capacity_curve_is_rising_concave_and_matches_allocate(expected):
    """The LP curve rises with capacity at a falling rate, stays above the rule and agrees with allocate_hours."""
    last_year = expected.round()
    levels = [0, 100, 200, 300, 400, 800]
    curve = al.capacity_curve(expected, last_year, levels, 60, EFFECT)
    assert list(curve.columns) == ["capacity", "optimal", "proportional", "gain"]
    assert curve["optimal"].iloc[0] == 0 and (curve["optimal"].diff().dropna() >= -1e-9).all()
    slopes = np.diff(curve["optimal"]) / np.diff(levels)
    assert (np.diff(slopes) <= 1e-9).all(), "each extra hour should prevent no more than the one before"
    assert (curve["gain"] >= -1e-7).all()
    assert curve["optimal"].iloc[2] == pytest.approx(al.allocate_hours(expected, 200, 60, EFFECT).attrs["prevented"])


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("kwargs, word", [
    ({"expected": [-1.0, 2.0]}, "expected"),
    ({"expected": [1.0, float("nan")]}, "expected"),
    ({"expected": []}, "expected"),
    ({"expected": "lots"}, "expected"),
    ({"capacity": -5}, "capacity"),
    ({"capacity": float("inf")}, "capacity"),
    ({"capacity": True}, "capacity"),
    ({"max_per_area": -1}, "max_per_area"),
    ({"effect": []}, "effect"),
    ({"effect": [(10, 0.01), (10, 0.02)]}, "diminishing"),
    ({"effect": [(10, 0.05), (20, 0.04)]}, "at most 1"),
    ({"effect": [(0, 0.01)]}, "effect hours"),
    ({"effect": [(10, -0.01)]}, "effect share"),
    ({"effect": [(10,)]}, "effect"),
    ({"min_per_area": 100}, "min_per_area"),
    ({"min_per_area": 30, "capacity": 50}, "capacity"),
])
def test_allocate_hours_rejects_bad_arguments(kwargs, word):
    """Invalid arguments raise ValueError naming the argument or the problem."""
    args = {"expected": [4.0, 2.0], "capacity": 20, "max_per_area": 60, "effect": EFFECT, **kwargs}
    with pytest.raises(ValueError, match=word):
        al.allocate_hours(**args)


@pytest.mark.parametrize("call, word", [
    (lambda: al.fires_prevented([1.0], [1.0, 2.0], EFFECT), "same areas"),
    (lambda: al.fires_prevented(pd.Series({"X": 1.0}), pd.Series({"A": 1.0}), EFFECT), "same areas"),
    (lambda: al.fires_prevented([-1.0], [1.0], EFFECT), "hours"),
    (lambda: al.proportional_allocation([1, -1], 10, 5), "weights"),
    (lambda: al.proportional_allocation([1, 1], 10, pd.Series([5.0], index=[0])), "max_per_area"),
    (lambda: al.segment_table(pd.Series([1.0, 2.0], index=["A", "A"]), 10, EFFECT), "more than once"),
    (lambda: al.capacity_curve([1.0], [1.0], [], 10, EFFECT), "capacities"),
    (lambda: al.capacity_curve([1.0], [1.0], [-10], 10, EFFECT), "capacities"),
])
def test_other_functions_reject_bad_arguments(call, word):
    """Mismatched areas, negative values and empty capacity lists raise ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=word):
        call()


def test_a_dataframe_is_refused():
    """Passing a whole table instead of one column raises TypeError."""
    with pytest.raises(TypeError, match="expected"):
        al.allocate_hours(pd.DataFrame({"a": [1.0]}), 10, 10, EFFECT)
