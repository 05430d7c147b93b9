"""Tests of curriculum.social_value: valuing commitments, delivery ratios, monitoring gaps, concentration, the annual report."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import curriculum
from curriculum import social_value as sv
from curriculum.councils import COUNCIL_NAMES

MEASURES = pd.DataFrame({
    "measure_id": ["NT1", "NT18", "NT28"],
    "theme": ["Jobs", "Growth", "Social"],
    "description": ["Local FTE", "Local SME spend", "Volunteering"],
    "unit": ["FTE", "GBP", "hours"],
    "proxy_value": [30_000.0, 1.0, 15.0],
})


def _commitments() -> pd.DataFrame:
    """A small tracker: supplier A falls short every year, B once, C reports only once, D never reports."""
    rows = [
        # contract, supplier, measure, year, committed, delivered
        ("C1", "A", "NT1", "2023-24", 2.0, 1.0),
        ("C1", "A", "NT18", "2023-24", 50_000.0, 20_000.0),
        ("C1", "A", "NT1", "2024-25", 2.0, 0.0),
        ("C1", "A", "NT18", "2024-25", 50_000.0, 30_000.0),
        ("C2", "B", "NT1", "2023-24", 1.0, 0.5),
        ("C2", "B", "NT28", "2023-24", 100.0, 120.0),
        ("C2", "B", "NT1", "2024-25", 1.0, 2.0),
        ("C2", "B", "NT28", "2024-25", 100.0, np.nan),
        ("C3", "C", "NT18", "2024-25", 10_000.0, 5_000.0),
        ("C4", "D", "NT1", "2023-24", 3.0, np.nan),
        ("C4", "D", "NT28", "2024-25", 200.0, np.nan),
    ]
    return pd.DataFrame(rows, columns=["contract_ref", "supplier_name", "measure_id", "reporting_year", "committed", "delivered"])


@pytest.fixture
def valued() -> pd.DataFrame:
    """The small tracker, valued."""
    return sv.value_commitments(_commitments(), MEASURES)


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    """Every council's demo tracker, valued."""
    return {c: sv.value_commitments(curriculum.load("social_value_commitments", council=c),
                                    curriculum.load("social_value_measures", council=c)) for c in COUNCIL_NAMES}


# ------------------------------------------------------------------ valuing
def test_value_commitments_matches_a_row_by_row_computation(valued):
    """Each value is the quantity times its measure's proxy, computed row by row; order and blanks are kept."""
    proxy = dict(zip(MEASURES["measure_id"], MEASURES["proxy_value"]))
    for i, row in _commitments().iterrows():
        got = valued.loc[i]
        assert got["committed_value"] == pytest.approx(row["committed"] * proxy[row["measure_id"]]), f"row {i}: committed value"
        if pd.isna(row["delivered"]):
            assert pd.isna(got["delivered_value"]) and not got["reported"], f"row {i}: no return stays blank"
        else:
            assert got["delivered_value"] == pytest.approx(row["delivered"] * proxy[row["measure_id"]]), f"row {i}: delivered value"
            assert got["reported"], f"row {i}: a return (even 0) counts as reported"
    assert list(valued["contract_ref"]) == list(_commitments()["contract_ref"]), "rows keep their order"
    assert {"theme", "unit", "description"} <= set(valued.columns), "the measure's details are carried along"


def test_value_commitments_keeps_the_well_being_goal_when_present():
    """An optional well_being_goal column of the measures list is carried along."""
    measures = MEASURES.assign(well_being_goal=["A prosperous Wales"] * 3)
    assert "well_being_goal" in sv.value_commitments(_commitments(), measures).columns, "well_being_goal should be kept"


@pytest.mark.parametrize("change, match", [
    (lambda c, m: (c.assign(measure_id=c["measure_id"].replace("NT28", "NT99")), m), "NT99"),
    (lambda c, m: (c, pd.concat([m, m.iloc[[0]]])), "more than once"),
    (lambda c, m: (c.drop(columns="delivered"), m), "delivered"),
    (lambda c, m: (c, m.drop(columns="proxy_value")), "proxy_value"),
    (lambda c, m: ("not a table", m), "commitments"),
])
def test_value_commitments_refuses_bad_tables(change, match):
    """Unknown measures, a measure listed twice, missing columns and non-tables are refused with the cause named."""
    commitments, measures = change(_commitments(), MEASURES.copy())
    with pytest.raises(ValueError, match=match):
        sv.value_commitments(commitments, measures)


# ------------------------------------------------------------------ delivery
def test_value_delivered_matches_a_brute_force_loop(valued):
    """Sums, ratio, gap and unreported value agree with a plain loop over each supplier's rows."""
    table = sv.value_delivered(valued, "supplier_name")
    for supplier, rows in valued.groupby("supplier_name"):
        committed_reported = sum(r.committed_value for r in rows.itertuples() if r.reported)
        delivered = sum(r.delivered_value for r in rows.itertuples() if r.reported)
        unreported = sum(r.committed_value for r in rows.itertuples() if not r.reported)
        got = table.loc[supplier]
        assert got["committed_reported"] == pytest.approx(committed_reported), f"{supplier}: committed with a return"
        assert got["delivered_value"] == pytest.approx(delivered), f"{supplier}: delivered"
        assert got["unreported_value"] == pytest.approx(unreported), f"{supplier}: no return"
        assert got["gap"] == pytest.approx(committed_reported - delivered), f"{supplier}: gap"
        if committed_reported:
            assert got["delivery_ratio"] == pytest.approx(delivered / committed_reported), f"{supplier}: ratio"
        else:
            assert np.isnan(got["delivery_ratio"]), f"{supplier}: no return gives no ratio"
    assert np.allclose(table["committed_value"], table["committed_reported"] + table["unreported_value"]), (
        "committed value = with a return + without")


def test_missing_returns_do_not_count_as_nil_delivery(valued):
    """B's missing 2024-25 volunteering return leaves its ratio untouched; counting it as 0 would lower it."""
    ratio = sv.value_delivered(valued, "supplier_name").loc["B", "delivery_ratio"]
    assert ratio == pytest.approx((15_000 + 1_800 + 60_000) / (30_000 + 1_500 + 30_000)), "B's ratio over its three returns"
    assert ratio > (15_000 + 1_800 + 60_000) / (30_000 + 1_500 + 30_000 + 1_500), "the missing return is not counted as 0"


def test_delivery_gaps_rank_and_share(valued):
    """Largest gap first, shares of the positive gaps add up to 1, the flag follows the threshold."""
    gaps = sv.delivery_gaps(valued, "supplier_name", threshold=0.8)
    assert "D" not in gaps.index, "a supplier without a return has no gap to rank"
    assert gaps["gap"].is_monotonic_decreasing, "largest gap first"
    assert gaps["gap_share"].sum() == pytest.approx(1.0), "the shares of the shortfall add up to 1"
    assert list(gaps.index[gaps["under"]]) == ["A", "C"], "A (36%) and C (50%) are below 80%; B (125%) is not"


def test_persistent_under_delivery(valued):
    """A is short in both years it reports; C in its only year (not enough years); B in one of two."""
    table = sv.persistent_under_delivery(valued, "supplier_name", threshold=0.8, min_years=2)
    assert table.loc["A", "persistent"] and table.loc["A", "years_under"] == 2, "A falls short in both years"
    assert not table.loc["C", "persistent"], "C has one year only: not enough to call persistent"
    assert not table.loc["B", "persistent"] and table.loc["B", "years_under"] == 1, "B falls short in 2023-24 only"
    assert table.index[0] == "A", "persistent suppliers come first"
    assert sv.persistent_under_delivery(valued, min_years=1).loc["C", "persistent"], "with min_years=1 one year is enough"


def test_monitoring_gaps(valued):
    """Missing returns are counted by contract; a contract with none is never_reported."""
    gaps = sv.monitoring_gaps(valued, "contract_ref")
    assert set(gaps.index) == {"C2", "C4"}, "C2 misses one return, C4 all of them"
    assert gaps.loc["C4", "never_reported"] and not gaps.loc["C2", "never_reported"], "only C4 never reported"
    assert gaps.loc["C2", "missing"] == 1 and gaps.loc["C2", "missing_share"] == pytest.approx(0.25), "C2: 1 of 4"
    assert gaps.loc["C4", "unreported_value"] == pytest.approx(3 * 30_000 + 200 * 15), "C4's committed value"
    assert gaps.index[0] == "C4", "the most value without a return first"


# ------------------------------------------------------------------ concentration
def test_value_concentration_against_hand_computed_hhi(valued):
    """Shares add up to 1, sorted; the HHI equals the sum of squared percentage shares computed by hand."""
    table = sv.value_concentration(valued, "delivered_value", "measure_id")
    by_hand = valued.groupby("measure_id")["delivered_value"].sum()
    shares = by_hand / by_hand.sum()
    assert table["share"].sum() == pytest.approx(1.0) and table["share"].is_monotonic_decreasing, "shares sorted, adding to 1"
    assert table["cumulative_share"].iloc[-1] == pytest.approx(1.0), "the cumulative share ends at 1"
    assert table.attrs["hhi"] == pytest.approx(float(((shares * 100) ** 2).sum())), "HHI = sum of squared % shares"
    assert table.attrs["effective_number"] == pytest.approx(1 / float((shares ** 2).sum())), "effective number = 1 / sum of s^2"


def test_proxy_sensitivity_is_linear_and_consistent(valued):
    """At today's proxy the total is the claimed value; the total is a straight line in the proxy with slope = quantity."""
    proxies = [0.0, 0.25, 0.5, 1.0, 2.0]
    table = sv.proxy_sensitivity(valued, "NT18", proxies)
    assert table.loc[1.0, "total_value"] == pytest.approx(valued["delivered_value"].sum()), "today's proxy gives today's total"
    slope, intercept = np.polyfit(proxies, table["total_value"].to_numpy(), 1)
    quantity = valued.loc[valued["measure_id"] == "NT18", "delivered"].sum()
    assert slope == pytest.approx(quantity), "each extra pound of proxy adds the delivered quantity"
    assert intercept == pytest.approx(valued.loc[valued["measure_id"] != "NT18", "delivered_value"].sum()), (
        "at a proxy of 0 the total is the other measures' value")


# ------------------------------------------------------------------ annual report
def test_annual_report_table(valued):
    """Themes in framework order, goals from THEME_GOALS, objectives filled, and a total row that adds up."""
    table = sv.annual_report_table(valued, objectives={"Jobs": "Local jobs"})
    assert list(table["theme"]) == ["Jobs", "Growth", "Social", "Total"], "themes in THEMES order, then the total"
    assert table.loc[0, "objective"] == "Local jobs" and table.loc[1, "objective"] == "", "objectives where given"
    assert table.loc[0, "well_being_goals"] == "; ".join(sv.THEME_GOALS["Jobs"]), "goals from THEME_GOALS by default"
    body, total = table.iloc[:-1], table.iloc[-1]
    for column in ("committed_value", "delivered_value", "unreported_value", "missing_returns"):
        assert total[column] == pytest.approx(body[column].sum()), f"the total of {column} adds up"
    assert total["contracts"] == valued["contract_ref"].nunique(), "the total counts distinct contracts"
    assert total["missing_returns"] == (~valued["reported"]).sum(), "missing returns counted"


def test_annual_report_reads_goals_from_the_measures_list():
    """With a well_being_goal column, each theme lists its measures' goals in the Act's order."""
    measures = MEASURES.assign(well_being_goal=["A more equal Wales", "A prosperous Wales", "A healthier Wales"])
    valued = sv.value_commitments(_commitments(), measures)
    table = sv.annual_report_table(valued).set_index("theme")
    assert table.loc["Jobs", "well_being_goals"] == "A more equal Wales", "goals come from the measures list"


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("call, match", [
    (lambda v: sv.value_delivered(v, "no_such_column"), "no_such_column"),
    (lambda v: sv.value_delivered(v, 3), "by"),
    (lambda v: sv.value_delivered(v.drop(columns="reported")), "reported"),
    (lambda v: sv.delivery_gaps(v, threshold=0), "threshold"),
    (lambda v: sv.delivery_gaps(v, threshold=True), "threshold"),
    (lambda v: sv.persistent_under_delivery(v, min_years=0), "min_years"),
    (lambda v: sv.persistent_under_delivery(v, min_years=1.5), "min_years"),
    (lambda v: sv.value_concentration(v, "committed"), "column"),
    (lambda v: sv.value_concentration(v.assign(delivered_value=np.nan)), "total"),
    (lambda v: sv.proxy_sensitivity(v, "NT99", [1.0]), "NT99"),
    (lambda v: sv.proxy_sensitivity(v, "NT18", [-1.0]), "proxies"),
    (lambda v: sv.proxy_sensitivity(v, "NT18", [1.0], column="value"), "column"),
    (lambda v: sv.annual_report_table(v, by=["theme"]), "by"),
    (lambda v: sv.plot_delivery(sv.delivery_gaps(v), top=0), "top"),
    (lambda v: sv.plot_concentration(pd.DataFrame({"share": [], "cumulative_share": []})), "empty"),
])
def test_bad_arguments_are_refused(valued, call, match):
    """Each bad argument raises ValueError naming it."""
    with pytest.raises(ValueError, match=match):
        call(valued)


def test_plots_return_axes(valued):
    """Both charts draw on an Axes and return it."""
    ax = sv.plot_delivery(sv.delivery_gaps(valued), title="Delivery")
    assert ax.get_title() == "Delivery" and len(ax.patches) > 0, "bars were drawn"
    ax2 = sv.plot_concentration(sv.value_concentration(valued))
    assert len(ax2.patches) == valued["measure_id"].nunique(), "one bar per measure"
    plt.close("all")


# ------------------------------------------------------------------ integration
def test_every_council_adds_up(demo):
    """On every council's demo data the supplier table adds up to the tracker and the yearly report to its year."""
    for council, valued in demo.items():
        table = sv.value_delivered(valued, "supplier_name")
        assert table["committed_value"].sum() == pytest.approx(valued["committed_value"].sum()), council
        assert table["delivered_value"].sum() == pytest.approx(valued["delivered_value"].sum()), council
        year = valued[valued["reporting_year"] == valued["reporting_year"].max()]
        report = sv.annual_report_table(year)
        assert report.iloc[-1]["committed_value"] == pytest.approx(year["committed_value"].sum()), council
        assert set(report["theme"][:-1]) == set(year["theme"]), f"{council}: one row per theme"
