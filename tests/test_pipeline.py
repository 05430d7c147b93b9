"""Tests of curriculum.pipeline: expiry with extensions, windows, the re-procurement calendar and early engagement."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta

import curriculum
from curriculum.pipeline import (LEAD_MONTHS, UNKNOWN_BAND, VALUE_BANDS, add_expiry, add_months, category_profile,
                                 expiring_within, expiry_windows, financial_quarter, flag_early_engagement, left_out,
                                 pipeline_notice_contracts, plot_calendar, reference_date, reprocurement_calendar,
                                 value_band, workload_by_quarter)

matplotlib.use("Agg")

REAL = Path(__file__).resolve().parents[1] / "datasets" / "real"
AS_OF = pd.Timestamp("2025-04-01")


@pytest.fixture(scope="module")
def cardiff() -> pd.DataFrame:
    """Cardiff's demo contracts register, loaded through the demo mapping."""
    return curriculum.load("contracts", council="Cardiff")


@pytest.fixture(scope="module")
def salford() -> pd.DataFrame:
    """Salford's real contracts register (July 2022), with its blank dates, values and N/A fields."""
    return curriculum.load("contracts", council="Salford", data_dir=REAL / "salford")


def _toy() -> pd.DataFrame:
    """Five contracts whose expiry dates are easy to work out by hand."""
    return pd.DataFrame({
        "title": ["A", "B", "C", "D", "E"],
        "supplier_name": ["Acme Ltd", "ACME LIMITED", "Bryn Cyf", "Various", "Celyn Ltd"],
        "supplier_postcode": ["CF10 1AA", "CF10 1AA", "NP20 2BB", "", "BS1 3CC"],
        "category": ["Waste", "Waste", "Waste", "Waste", None],
        "sme": pd.array([False, False, True, None, True], dtype="boolean"),
        "total_value": [3_000_000.0, 1_000_000.0, 500_000.0, 500_000.0, np.nan],
        "start_date": pd.to_datetime(["2022-04-01", "2023-01-01", "2024-06-01", "2021-01-01", None]),
        "end_date": pd.to_datetime(["2025-03-31", "2025-12-31", "2026-05-31", "2027-12-31", "2025-06-30"]),
        "expiry_date": pd.to_datetime(["2026-03-31", None, "2026-05-31", "2027-12-31", None]),
        "extension_months": [24.0, 12.0, 0.0, np.nan, 6.0],
    })


# ---------------------------------------------------------------------------- dates


def test_reference_date_defaults_to_the_latest_start(cardiff):
    """Without as_of, the pipeline is drawn from the register's latest start date."""
    assert reference_date(cardiff) == cardiff["start_date"].max().normalize(), "the default should be the latest start date"
    assert reference_date(cardiff, "2025-04-01") == AS_OF, "a given as_of should be used as it is"


@pytest.mark.parametrize("as_of", ["not a date", "2025-13-45", ""])
def test_reference_date_rejects_what_is_not_a_date(cardiff, as_of):
    """A reference date that is not a date is refused, naming as_of."""
    with pytest.raises(ValueError, match="as_of"):
        reference_date(cardiff, as_of)


def test_reference_date_needs_start_dates_or_as_of():
    """A register without start dates needs an explicit as_of."""
    with pytest.raises(ValueError, match="as_of"):
        reference_date(pd.DataFrame({"start_date": pd.to_datetime([None, None])}))


@pytest.mark.parametrize("bad, error", [([1, 2], TypeError), (pd.DataFrame({"x": [1]}), ValueError)])
def test_functions_reject_what_is_not_a_register(bad, error):
    """A list or a frame without the register's columns is refused with a message naming the argument."""
    with pytest.raises(error, match="contracts"):
        add_expiry(bad)


def test_add_months_matches_relativedelta():
    """Whole months move by the calendar, exactly as dateutil's relativedelta does (an independent implementation)."""
    dates = pd.Series(pd.to_datetime(["2024-01-31", "2024-02-29", "2025-03-31", "2023-08-15", None]))
    months = pd.Series([1, 12, -1, 18, 3])
    got = add_months(dates, months)
    for d, m, g in zip(dates, months, got):
        expected = pd.NaT if pd.isna(d) else pd.Timestamp(d.to_pydatetime() + relativedelta(months=int(m)))
        assert (pd.isna(g) and pd.isna(expected)) or g == expected, f"{d} + {m} months should be {expected}, got {g}"


def test_add_months_adds_a_fraction_as_days():
    """Half a month is about 15 days (365.25 / 24 rounded)."""
    got = add_months(pd.Series(pd.to_datetime(["2025-01-01"])), 0.5).iloc[0]
    assert got == pd.Timestamp("2025-01-16"), f"half a month from 1 January should be 16 January, got {got}"


def test_add_expiry_works_out_current_and_latest_expiry():
    """Current expiry falls back to the end date; the latest adds the whole option; a blank option is flagged."""
    dated = add_expiry(_toy())
    expected_current = pd.to_datetime(["2026-03-31", "2025-12-31", "2026-05-31", "2027-12-31", "2025-06-30"])
    expected_latest = pd.to_datetime(["2027-03-31", "2026-12-31", "2026-05-31", "2027-12-31", "2025-12-30"])
    assert (dated["current_expiry"].to_numpy() == expected_current.to_numpy()).all(), (
        f"current expiry should be {list(expected_current.date)}, got {list(dated['current_expiry'].dt.date)}")
    assert (dated["latest_expiry"].to_numpy() == expected_latest.to_numpy()).all(), (
        f"latest expiry should be {list(expected_latest.date)}, got {list(dated['latest_expiry'].dt.date)}")
    assert dated["extension_known"].tolist() == [True, True, True, False, True], "only D leaves its option blank"
    assert dated.loc[0, "options_left_months"] == pytest.approx(12, abs=0.1), "A used 12 of its 24 months"
    assert (dated["latest_expiry"] >= dated["current_expiry"]).all(), "the latest expiry is never before the current one"


def test_add_expiry_on_the_demo_register_agrees_with_the_generator(cardiff):
    """On the demo register, no option is left once the current expiry has passed end + option, and vice versa."""
    dated = add_expiry(cardiff)
    rows = zip(dated["end_date"], dated["extension_months"], dated["current_expiry"], dated["latest_expiry"])
    for end, option, current, latest in rows:
        possible = pd.Timestamp(end.to_pydatetime() + relativedelta(months=int(option)))
        assert latest == max(current, possible), f"latest expiry should be the later of {current} and {possible}"


def test_left_out_counts_the_gaps_of_a_real_register(salford):
    """On Salford's register, left_out counts exactly the blank end dates, values and extension fields."""
    dated = add_expiry(salford)
    gaps = left_out(dated)
    no_end = (salford["expiry_date"].isna() & salford["end_date"].isna()).sum()
    assert gaps["no_expiry"] == no_end and gaps["no_expiry"] > 0, f"Salford has {no_end} contracts without an end date"
    assert gaps["no_value"] == salford["total_value"].isna().sum(), "blank values should be counted"
    assert gaps["no_extension_info"] == salford["extension_months"].isna().sum(), "blank extension options should be counted"


# ---------------------------------------------------------------------------- windows


def test_expiring_within_includes_the_start_and_excludes_the_end():
    """A 12-month window from 1 April 2025 runs to 31 March 2026 inclusive."""
    frame = pd.DataFrame({"current_expiry": pd.to_datetime(["2025-03-31", "2025-04-01", "2026-03-31", "2026-04-01", None])})
    assert list(expiring_within(frame, AS_OF, 12).index) == [1, 2], "keep 1 April 2025 to 31 March 2026"


def test_expiring_within_latest_leaves_out_expired_contracts():
    """With latest_expiry, a contract already expired cannot be extended into the window."""
    dated = add_expiry(_toy())
    found = expiring_within(dated, "2025-07-01", 12, "latest_expiry")
    assert "E" not in set(found["title"]), "E expired on 30 June 2025: it cannot be extended after that"


@pytest.mark.parametrize("months", [0, -3, "12", None, True])
def test_expiring_within_rejects_bad_windows(months):
    """A window that is not a positive number of months is refused, naming months."""
    with pytest.raises(ValueError, match="months"):
        expiring_within(add_expiry(_toy()), AS_OF, months)


def test_expiry_windows_agree_with_a_row_by_row_count(cardiff):
    """The windows table equals counts and sums made row by row, and extending never adds contracts."""
    dated = add_expiry(cardiff)
    as_of = reference_date(cardiff)
    table = expiry_windows(dated, as_of, (12, 18, 24))
    for months, row in table.iterrows():
        end = as_of + relativedelta(months=int(months))
        now = [v for e, v in zip(dated["current_expiry"], dated["total_value"]) if as_of <= e < end]
        later = [v for c, e, v in zip(dated["current_expiry"], dated["latest_expiry"], dated["total_value"])
                 if c >= as_of and as_of <= e < end]
        assert row["contracts"] == len(now) and row["value"] == pytest.approx(sum(now)), f"window {months} (no extension)"
        assert row["contracts_if_extended"] == len(later) and row["value_if_extended"] == pytest.approx(sum(later)), (
            f"window {months} (all options)")
    assert table["contracts"].is_monotonic_increasing, "a longer window holds at least as many contracts"
    assert (table["contracts_if_extended"] <= table["contracts"]).all(), "taking options can only move contracts out"


# ---------------------------------------------------------------------------- calendar


@pytest.mark.parametrize("value, band", [
    (0.0, VALUE_BANDS[0][1]), (24_999.99, VALUE_BANDS[0][1]), (25_000.0, VALUE_BANDS[1][1]),
    (214_904.0, VALUE_BANDS[2][1]), (2_000_000.0, VALUE_BANDS[3][1]), (5e9, VALUE_BANDS[3][1]), (np.nan, UNKNOWN_BAND),
])
def test_value_band_limits_are_exclusive(value, band):
    """A value equal to a band's upper limit belongs to the next band; a blank value to the unknown band."""
    assert value_band(pd.Series([value])).iloc[0] == band, f"£{value:,.2f} should be in {band!r}"


@pytest.mark.parametrize("values, bands, error", [
    ([1.0], (), ValueError), ([1.0], ((10, "a"), (5, "b")), ValueError), ([-1.0], VALUE_BANDS, ValueError),
    ("1", VALUE_BANDS, TypeError),
])
def test_value_band_rejects_bad_input(values, bands, error):
    """Empty or decreasing bands, negative values and non-Series input are refused."""
    with pytest.raises(error):
        value_band(pd.Series(values) if isinstance(values, list) else values, bands)


def test_financial_quarter_labels():
    """Quarters run April to March and are labelled by financial year."""
    dates = pd.Series(pd.to_datetime(["2025-04-01", "2025-06-30", "2025-12-31", "2026-01-01", "2026-03-31", None]))
    assert financial_quarter(dates).tolist() == ["2025/26 Q1", "2025/26 Q1", "2025/26 Q3", "2025/26 Q4", "2025/26 Q4", None]


def test_reprocurement_calendar_works_back_from_expiry():
    """The start is the expiry minus the band's lead time; a start before as_of is late; blank values get the unknown band."""
    dated = add_expiry(_toy())
    plan = reprocurement_calendar(dated, AS_OF, 24).set_index("title")
    assert set(plan.index) == {"A", "B", "C", "E"}, "D expires after 24 months"
    assert plan.loc["A", "lead_months"] == LEAD_MONTHS["£2m and over"]
    assert plan.loc["A", "procurement_start"] == pd.Timestamp("2024-09-30"), "18 months before 31 March 2026"
    assert plan.loc["A", "late"] and not plan.loc["C", "late"], "A should have started already; C has time"
    assert plan.loc["E", "band"] == UNKNOWN_BAND, "E has no value"
    assert plan["expiry"].is_monotonic_increasing, "soonest expiry first"
    with pytest.raises(ValueError, match="lead_months"):
        reprocurement_calendar(dated, AS_OF, 24, lead_months={"Under £25k": 3})


def test_workload_agrees_with_counting_quarters_per_contract(cardiff):
    """Each re-procurement counts once in every quarter it overlaps: the table's total equals the sum of spans."""
    dated = add_expiry(cardiff)
    as_of = reference_date(cardiff)
    plan = reprocurement_calendar(dated, as_of, 24)
    table = workload_by_quarter(plan, as_of)
    spans = plan.apply(lambda r: len(pd.period_range(pd.Period(max(r["procurement_start"], as_of), "Q-MAR"),
                                                     pd.Period(r["expiry"], "Q-MAR"), freq="Q-MAR")), axis=1)
    by_band = spans.groupby(plan["band"].astype(str)).sum()
    assert table.sum().to_dict() == by_band.to_dict(), "each band's column should add up to the quarters its contracts span"
    assert list(table.index) == sorted(table.index), "quarters in time order"


def test_plot_calendar_draws_one_bar_per_contract():
    """The Gantt chart draws one bar for each of the top contracts."""
    dated = add_expiry(_toy())
    ax = plot_calendar(reprocurement_calendar(dated, AS_OF, 24), AS_OF, top=3)
    assert len(ax.patches) == 3, f"expected 3 bars, got {len(ax.patches)}"
    with pytest.raises(ValueError, match="top"):
        plot_calendar(reprocurement_calendar(dated, AS_OF, 24), AS_OF, top=0)


# ---------------------------------------------------------------------------- early engagement


def test_category_profile_finds_the_incumbent_and_shares():
    """Acme's two name variants are one incumbent; 'Various' is never the incumbent; shares use known values."""
    dated = add_expiry(_toy())
    profile = category_profile(dated, AS_OF, local_areas=("CF", "NP"))
    waste = profile.loc["Waste"]
    assert waste["contracts"] == 4 and waste["suppliers"] == 3, "A, B, C and D are live on 1 April 2025, with three suppliers"
    assert waste["incumbent"] == "ACME", f"Acme Ltd and ACME LIMITED are one supplier, got {waste['incumbent']!r}"
    live_value = dated.loc[(dated["category"] == "Waste") & (dated["current_expiry"] >= AS_OF), "total_value"].sum()
    assert waste["value"] == pytest.approx(live_value)
    assert waste["incumbent_share"] == pytest.approx(4_000_000 / live_value), "Acme holds £4m of the category"
    assert waste["sme_share"] == pytest.approx(500_000 / 4_500_000), "only Bryn is an SME among the known flags"
    assert waste["local_share"] == pytest.approx(1.0), "every known postcode in Waste is CF or NP"
    assert profile.loc["(no category)", "contracts"] == 1, "E has no category: it is counted under '(no category)'"
    assert profile.loc["(no category)", "value"] == 0, "E has no value: it adds nothing to the sum"


def test_category_profile_local_share_is_blank_without_areas(cardiff):
    """Without local postcode areas the local share stays blank rather than 0."""
    dated = add_expiry(cardiff)
    profile = category_profile(dated, reference_date(cardiff))
    assert profile["local_share"].isna().all(), "no local areas given: local_share should be blank"
    assert profile["value"].is_monotonic_decreasing, "highest value first"
    with pytest.raises(ValueError, match="local_areas"):
        category_profile(dated, reference_date(cardiff), local_areas="CF")


def test_flag_early_engagement_needs_all_three():
    """A category is flagged only when high-value, long-running and incumbent-dominated."""
    profile = pd.DataFrame({"value": [10.0, 10.0, 10.0, 1.0], "median_months": [48, 12, 48, 48],
                            "incumbent_share": [0.9, 0.9, 0.2, 0.9]}, index=list("abcd"))
    flags = flag_early_engagement(profile, min_value=5)
    assert flags["engage"].tolist() == [True, False, False, False], "only 'a' meets all three"
    default = flag_early_engagement(profile)
    assert default["high_value"].tolist() == [True, True, True, False], "the default is the upper quartile of value"


@pytest.mark.parametrize("kwargs", [{"min_value": -1}, {"min_months": -1}, {"min_share": 1.5}, {"min_share": "half"}])
def test_flag_early_engagement_rejects_bad_thresholds(kwargs):
    """Negative thresholds and shares outside 0-1 are refused, naming the argument."""
    profile = pd.DataFrame({"value": [1.0], "median_months": [1.0], "incumbent_share": [1.0]})
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        flag_early_engagement(profile, **kwargs)


def test_pipeline_notice_lists_large_contracts_starting_within_18_months():
    """The notice keeps contracts of £2m or more whose re-procurement starts before 18 months from as_of."""
    dated = add_expiry(_toy())
    plan = reprocurement_calendar(dated, AS_OF, 36)
    notice = pipeline_notice_contracts(plan, AS_OF)
    assert notice["title"].tolist() == ["A"], "only A is worth £2m or more"
    assert pipeline_notice_contracts(plan, AS_OF, min_value=900_000)["title"].tolist() == ["B", "A"], (
        "B (£1m, expiring first) and A, in the calendar's order")


# ---------------------------------------------------------------------------- the module on a real register


def test_module_runs_on_salfords_real_register(tmp_path):
    """The contract_pipeline notebook runs unchanged on Salford's real contracts register."""
    from curriculum.runner import run_module

    result = run_module("contract_pipeline", "Salford", data_dir=REAL / "salford", out_dir=tmp_path)
    assert result.ok, f"the module failed on Salford's register: {result.error}"
