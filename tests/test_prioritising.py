"""Tests of curriculum.prioritising: backlog ages, impact features and scores, and the queue simulation.

The simulation is checked against hand-computable cases (one server, fixed visit times: the
waits are cumulative sums of the visits before), against invariants (no visit before a case
arrives, the weekly officer-hours never exceeded, the same number of visits under any
ordering when capacity binds and visits take the same time), and against an independent
closed form: the Pollaczek-Khinchine mean wait of an M/D/1 and an M/M/1 queue.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from curriculum import prioritising as pr

matplotlib.use("Agg")

MONDAY = pd.Timestamp("2025-01-06")


def _cases(days, **columns) -> pd.DataFrame:
    """Cases received the given number of days after MONDAY, with extra columns."""
    frame = pd.DataFrame({"date_received": MONDAY + pd.to_timedelta(np.asarray(days, dtype=float), unit="D")})
    for name, values in columns.items():
        frame[name] = values
    return frame


@pytest.fixture
def stream() -> pd.DataFrame:
    """Five hundred cases over a year with categories, scores and a serious flag: about 24 hours of visits a week."""
    rng = np.random.default_rng(11)
    n = 500
    frame = _cases(np.sort(rng.uniform(0, 364, n)),
                   category=rng.choice(["Damp and mould", "Falls", "Other disrepair"], n),
                   score=rng.random(n))
    frame["serious"] = rng.random(n) < 0.2 + 0.6 * frame["score"] ** 2
    return frame


HOURS = {"Damp and mould": 3.0, "Falls": 2.5, "Other disrepair": 2.0}


# ------------------------------------------------------------------------ backlog ages
def test_backlog_age_summary_hand_example():
    """Open cases are those received by as_of and not closed by then; ages are days to as_of."""
    cases = pd.DataFrame({
        "date_received": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-03-21", "2025-04-10"]),
        "date_closed": pd.to_datetime(["2025-01-20", "2025-04-05", None, None, None]),
    })
    got = pr.backlog_age_summary(cases, "2025-03-31").loc["all"]
    ages = np.array([58.0, 30.0, 10.0])  # closed after as_of counts; received after as_of does not
    assert got["open_cases"] == 3, "three cases are open on 31 March"
    assert got["mean_age_days"] == pytest.approx(ages.mean()), "the mean of 58, 30 and 10 days"
    assert got["p90_age_days"] == pytest.approx(pd.Series(ages).quantile(0.9)), "the 90th percentile as pandas computes it"
    assert got["max_age_days"] == 58 and got["share_over_90_days"] == 0, "the oldest case and none over 90 days"


def test_backlog_age_summary_defaults_and_groups():
    """Without as_of the latest date received or closed is used; by= gives one row per group."""
    cases = pd.DataFrame({
        "date_received": pd.to_datetime(["2025-01-01", "2025-01-11", "2025-02-01"]),
        "date_closed": pd.to_datetime([None, "2025-03-03", None]),
        "category": ["Damp and mould", "Falls", "Falls"],
    })
    whole = pr.backlog_age_summary(cases)
    assert whole.loc["all", "open_cases"] == 2 and whole.loc["all", "max_age_days"] == 61, "as_of defaults to 3 March"
    grouped = pr.backlog_age_summary(cases, by="category")
    assert list(grouped.index) == ["Damp and mould", "Falls"], "one row per category"
    assert grouped["open_cases"].sum() == 2, "the groups add up to the open cases"


def test_backlog_age_summary_with_nothing_open():
    """A register with no open case gives one row of zero open cases."""
    cases = pd.DataFrame({"date_received": pd.to_datetime(["2025-01-01"]), "date_closed": pd.to_datetime(["2025-01-02"])})
    got = pr.backlog_age_summary(cases, "2025-03-01")
    assert got.loc["all", "open_cases"] == 0 and np.isnan(got.loc["all", "mean_age_days"]), "no open cases, no ages"


@pytest.mark.parametrize("kwargs, error, word", [
    ({"received": "received_on"}, ValueError, "received"),
    ({"closed": "closed_on"}, ValueError, "closed"),
    ({"by": "ward"}, ValueError, "by"),
    ({"as_of": "not a date"}, ValueError, "as_of"),
    ({"older_than_days": -1}, ValueError, "older_than_days"),
])
def test_backlog_age_summary_rejects_bad_arguments(kwargs, error, word):
    """Missing columns and invalid arguments raise errors naming the argument."""
    cases = pd.DataFrame({"date_received": pd.to_datetime(["2025-01-01"]), "date_closed": pd.to_datetime([None])})
    with pytest.raises(error, match=word):
        pr.backlog_age_summary(cases, **kwargs)


def test_backlog_age_summary_refuses_blank_dates_received():
    """Every case needs a date received."""
    cases = pd.DataFrame({"date_received": pd.to_datetime(["2025-01-01", None]), "date_closed": pd.to_datetime([None, None])})
    with pytest.raises(ValueError, match="missing dates"):
        pr.backlog_age_summary(cases, "2025-02-01")


def test_backlog_age_summary_needs_a_dataframe():
    """A list is refused with a TypeError."""
    with pytest.raises(TypeError, match="cases"):
        pr.backlog_age_summary([1, 2, 3])


# ------------------------------------------------------------------------ features and scores
def test_impact_features_make_blanks_explicit():
    """Flags become Yes/No, blanks 'Not recorded', and text columns keep their values."""
    cases = pd.DataFrame({"category": ["Falls", None], "tenure": ["Council", "Private rented"],
                          "property_age": [None, "Pre-1919"],
                          "children_under_5": pd.array([True, None], dtype="boolean"),
                          "over_75": pd.array([False, True], dtype="boolean"),
                          "health_condition": pd.array([None, False], dtype="boolean")})
    got = pr.impact_features(cases)
    assert list(got.columns) == list(pr.FEATURES), "one column per feature, in order"
    assert got.loc[0].tolist() == ["Falls", "Council", pr.NOT_RECORDED, "Yes", "No", pr.NOT_RECORDED], "first case"
    assert got.loc[1].tolist() == [pr.NOT_RECORDED, "Private rented", "Pre-1919", pr.NOT_RECORDED, "Yes", "No"], "second case"


@pytest.mark.parametrize("features, word", [([], "at least one"), (["category", "ward"], "features")])
def test_impact_features_rejects_bad_features(features, word):
    """An empty list or a missing column is refused, naming the problem."""
    with pytest.raises(ValueError, match=word):
        pr.impact_features(pd.DataFrame({"category": ["Falls"]}), features)


def test_harm_weight_counts_flags():
    """The weight is one plus the flags set; blanks count as not set."""
    cases = pd.DataFrame({"children_under_5": pd.array([True, None, True], dtype="boolean"),
                          "over_75": pd.array([True, False, None], dtype="boolean"),
                          "health_condition": pd.array([True, None, False], dtype="boolean")})
    assert pr.harm_weight(cases).tolist() == [4, 1, 2], "4 with all three flags, 1 with none recorded, 2 with one"


def test_harm_weight_rejects_text_flags():
    """Flags must be True/False (or blank): 'Yes' text is refused with the column named."""
    cases = pd.DataFrame({"children_under_5": ["Yes"], "over_75": [False], "health_condition": [False]})
    with pytest.raises(ValueError, match="children_under_5"):
        pr.harm_weight(cases)


def test_split_by_date_keeps_the_last_year_for_testing():
    """The test set is the last 365 days of dates received; nothing is lost or shared."""
    cases = _cases(np.arange(0, 730, 2))
    train, test, cut = pr.split_by_date(cases)
    assert len(train) + len(test) == len(cases) and not set(train.index) & set(test.index), "a partition"
    assert train["date_received"].max() < cut <= test["date_received"].min(), "train before the cut, test from it"
    assert (test["date_received"].max() - cut).days == 364, "the test period is the last year (365 days)"


def test_split_by_date_moves_the_cut_when_one_side_is_too_small():
    """With less than a year of data, the cut leaves min_share of the cases on the earlier side."""
    cases = _cases(np.arange(0, 200))
    train, test, _ = pr.split_by_date(cases, min_share=0.3)
    assert len(train) == 60 and len(test) == 140, f"expected 60/140, got {len(train)}/{len(test)}"


@pytest.mark.parametrize("kwargs, word", [({"test_days": 0}, "test_days"), ({"min_share": 0.7}, "min_share"),
                                          ({"received": "date"}, "received")])
def test_split_by_date_rejects_bad_arguments(kwargs, word):
    """Invalid arguments raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=word):
        pr.split_by_date(_cases(np.arange(10)), **kwargs)


def test_split_by_date_needs_two_dates():
    """Cases all received on one day cannot be split."""
    with pytest.raises(ValueError, match="two dates"):
        pr.split_by_date(_cases([0, 0, 0]))


# ------------------------------------------------------------------------ simulation: hand-computable
def test_one_officer_fixed_visits_waits_are_cumulative_sums():
    """All cases waiting at the start, fixed visit hours: each waits the hours of the visits before it."""
    hours = pd.Series([2.0, 3.0, 1.0, 4.0])
    cases = _cases([0, 0, 0, 0])
    result = pr.simulate_queue(cases, "fcfs", officer_hours_per_week=10, visit_hours=hours, weeks=4)
    before = np.concatenate([[0.0], np.cumsum(hours.to_numpy())[:-1]])
    assert np.allclose(result.cases["wait_days"], before / 10 * 7), "wait = cumulative hours before / hours a week, in days"
    assert result.summary["hours_used"] == 10.0 and result.summary["inspected"] == 4, "all four visited in one week"
    assert result.weekly["hours_used"].tolist() == [10.0, 0.0, 0.0, 0.0], "ten hours in week 0, none after"


def test_priority_serves_highest_score_first_and_ties_by_arrival():
    """With every case waiting, visits go in descending score, ties to the earlier arrival."""
    cases = _cases([0, 0.5, 1, 1.5], score=[0.1, 0.9, 0.5, 0.9])
    result = pr.simulate_queue(cases, "score", 10, 2.0, 4, start=MONDAY + pd.Timedelta(days=2))
    order = result.cases.sort_values("start_week").index.tolist()
    assert order == [1, 3, 2, 0], f"expected cases 1, 3 (tie, later), 2, 0; got {order}"


def test_no_queue_means_no_wait():
    """Cases arriving a week apart with two-hour visits and ten hours a week never wait."""
    result = pr.simulate_queue(_cases(np.arange(0, 70, 7)), "fcfs", 10, 2.0, 10)
    assert np.allclose(result.cases["wait_days"], 0.0), "no case should wait"
    assert result.summary["still_waiting"] == 0 and result.weekly["backlog"].eq(0).all(), "no backlog at any week's end"


def test_visits_stop_at_the_horizon():
    """A visit is only started if it ends within the horizon; the rest are still waiting, aged to the end."""
    result = pr.simulate_queue(_cases([0] * 6), "fcfs", 4, 3.0, 2)  # 8 hours in two weeks: two visits of 3 hours
    assert result.summary["inspected"] == 2 and result.summary["still_waiting"] == 4, "two visited, four waiting"
    waiting = result.cases[result.cases["still_waiting"]]
    assert np.allclose(waiting["waited_days"], 14.0), "still-waiting cases have waited the whole 14 days"
    assert result.summary["backlog_mean_age_days"] == pytest.approx(14.0), "the backlog left is two weeks old"


def test_cases_after_the_horizon_never_arrive():
    """A case received after the horizon is neither counted nor visited."""
    result = pr.simulate_queue(_cases([0, 3, 40]), "fcfs", 10, 1.0, 4)
    assert result.summary["cases_arrived"] == 2, "the case on day 40 is beyond four weeks"
    assert not result.cases.loc[2, "arrived"] and not result.cases.loc[2, "inspected"], "it never arrives"


def test_cases_waiting_before_the_start_count_their_whole_wait():
    """A case received before the start is ready at once, and its wait runs from its real date."""
    cases = _cases([-14, 0])
    result = pr.simulate_queue(cases, "fcfs", 10, 1.0, 2, start=MONDAY)
    assert result.cases.loc[0, "arrival_week"] == -2, "two weeks before the start"
    assert result.cases.loc[0, "wait_days"] == pytest.approx(14.0), "visited at the start after 14 days"
    assert result.cases.loc[0, "inspected_on"] == MONDAY, "visited on the first day"


def test_maximum_wait_of_zero_is_first_come_first_served(stream):
    """With max_wait_weeks=0 every waiting case is overdue, so a priority rule serves in arrival order."""
    fcfs = pr.simulate_queue(stream, "fcfs", 20, HOURS, 52)
    capped = pr.simulate_queue(stream, "score", 20, HOURS, 52, max_wait_weeks=0)
    pd.testing.assert_series_equal(fcfs.cases["start_week"], capped.cases["start_week"], check_names=False)


def test_maximum_wait_shortens_the_longest_waits(stream):
    """A guarantee cuts the longest waits and the age of the backlog left under a priority rule."""
    plain = pr.simulate_queue(stream, "score", 20, HOURS, 52, serious="serious").summary
    capped = pr.simulate_queue(stream, "score", 20, HOURS, 52, serious="serious", max_wait_weeks=8).summary
    assert capped["other_wait_p90_days"] < plain["other_wait_p90_days"], "the guarantee should shorten the long waits"
    assert capped["backlog_p90_age_days"] < plain["backlog_p90_age_days"], "and leave a younger backlog"


# ------------------------------------------------------------------------ simulation: invariants
@pytest.mark.parametrize("order, cap", [("fcfs", None), ("score", None), ("score", 6)])
def test_invariants(stream, order, cap):
    """No visit before arrival, visits never overlap, and no week uses more hours than it has."""
    result = pr.simulate_queue(stream, order, 20, HOURS, 52, serious="serious", max_wait_weeks=cap)
    seen = result.cases[result.cases["inspected"]]
    assert (seen["start_week"] >= np.maximum(seen["arrival_week"], 0) - 1e-12).all(), "a case was visited before it arrived"
    assert (seen["wait_days"] >= -1e-9).all(), "waits are never negative"
    spans = seen.sort_values("start_week")
    ends = spans["start_week"] + spans["visit_hours"] / 20
    assert (spans["start_week"].to_numpy()[1:] >= ends.to_numpy()[:-1] - 1e-9).all(), "two visits overlapped"
    assert (result.weekly["hours_used"] <= result.weekly["hours_available"] + 1e-9).all(), "a week's hours were exceeded"
    assert result.summary["hours_used"] == pytest.approx(result.weekly["hours_used"].sum()), "the weekly hours add up"
    assert result.weekly["inspections"].sum() == result.summary["inspected"], "the weekly visits add up"
    assert result.weekly["cumulative_serious"].iloc[-1] == result.summary["serious_found"], "the serious cases found add up"


def test_orderings_visit_the_same_number_when_capacity_binds(stream):
    """With equal visit times and too few hours, every ordering makes the same number of visits."""
    runs = [pr.simulate_queue(stream, order, 15, 2.5, 52, max_wait_weeks=cap)
            for order, cap in (("fcfs", None), ("score", None), ("score", 4))]
    counts = {run.summary["inspected"] for run in runs}
    assert len(counts) == 1, f"visits differ between orderings: {counts}"
    assert runs[0].summary["utilisation"] > 0.99, "capacity should be the binding limit"


def test_priority_finds_serious_cases_sooner_when_scores_predict_them(stream):
    """When the score predicts seriousness, ordering by it finds more serious cases per hour and sooner."""
    fcfs = pr.simulate_queue(stream, "fcfs", 15, 2.5, 52, serious="serious").summary
    impact = pr.simulate_queue(stream, "score", 15, 2.5, 52, serious="serious").summary
    assert impact["serious_per_officer_hour"] > fcfs["serious_per_officer_hour"], "more serious cases per officer-hour"
    assert impact["serious_wait_mean_days"] < fcfs["serious_wait_mean_days"], "serious cases wait less"
    assert impact["other_wait_mean_days"] > fcfs["other_wait_mean_days"], "and the others wait longer"


def test_summary_figures_match_the_case_table(stream):
    """The summary's counts, hours and waits are those of the per-case table."""
    result = pr.simulate_queue(stream, "score", 20, HOURS, 52, serious="serious")
    cases, summary = result.cases, result.summary
    seen = cases["inspected"]
    assert summary["serious_per_officer_hour"] == pytest.approx((seen & stream["serious"]).sum() / cases.loc[seen, "visit_hours"].sum())
    hit = cases["arrived"] & stream["serious"]
    assert summary["serious_wait_mean_days"] == pytest.approx(cases.loc[hit, "waited_days"].mean())
    assert summary["serious_wait_p90_days"] == pytest.approx(cases.loc[hit, "waited_days"].quantile(0.9))
    assert summary["backlog_p90_age_days"] == pytest.approx(cases.loc[cases["still_waiting"], "waited_days"].quantile(0.9))


def test_weekly_backlog_counts_cases_waiting_at_each_weeks_end(stream):
    """The weekly backlog equals a direct count of arrived, not yet visited cases at each week's end."""
    result = pr.simulate_queue(stream, "score", 20, HOURS, 52)
    cases = result.cases
    for week in (0, 10, 30, 51):
        end = week + 1
        waiting = (cases["arrival_week"] < end) & ~(cases["start_week"] < end)
        assert result.weekly.loc[week, "backlog"] == waiting.sum(), f"week {week}"


# ------------------------------------------------------------------------ simulation: randomness and closed forms
def test_visit_durations_are_seeded_and_shared_across_orderings(stream):
    """The same seed gives the same run; another seed another; each case keeps its duration under every ordering."""
    a = pr.simulate_queue(stream, "fcfs", 20, HOURS, 52, seed=3, visit_cv=0.5)
    b = pr.simulate_queue(stream, "fcfs", 20, HOURS, 52, seed=3, visit_cv=0.5)
    c = pr.simulate_queue(stream, "fcfs", 20, HOURS, 52, seed=4, visit_cv=0.5)
    pd.testing.assert_frame_equal(a.cases, b.cases)
    assert not a.cases["visit_hours"].equals(c.cases["visit_hours"]), "another seed should draw other durations"
    other = pr.simulate_queue(stream, "score", 20, HOURS, 52, seed=3, visit_cv=0.5)
    both = a.cases["inspected"] & other.cases["inspected"]
    assert np.allclose(a.cases.loc[both, "visit_hours"], other.cases.loc[both, "visit_hours"]), "common random numbers"


def test_visit_durations_keep_their_mean_and_spread():
    """Gamma-drawn durations have the planned mean and coefficient of variation (simulation against the parameters)."""
    cases = _cases(np.zeros(20000))
    result = pr.simulate_queue(cases, "fcfs", 1e6, 3.0, 1, seed=1, visit_cv=0.4)
    hours = result.cases["visit_hours"]
    assert hours.mean() == pytest.approx(3.0, rel=0.02), "mean visit hours"
    assert hours.std() / hours.mean() == pytest.approx(0.4, rel=0.05), "coefficient of variation"


@pytest.mark.parametrize("cv", [0.0, 1.0])
def test_mean_wait_matches_pollaczek_khinchine(cv):
    """Poisson arrivals at one server: the mean wait matches the M/D/1 (cv 0) and M/M/1 (cv 1) closed forms."""
    rng = np.random.default_rng(2024)
    rate, hours, capacity = 7.0, 1.0, 10.0  # 7 cases a week of 1 hour each, 10 hours a week: utilisation 0.7
    weeks = 3000
    arrivals = np.cumsum(rng.exponential(1 / rate, int(rate * weeks * 1.1)))
    cases = pd.DataFrame({"date_received": MONDAY + pd.to_timedelta(arrivals[arrivals < weeks] * 7, unit="D")})
    result = pr.simulate_queue(cases, "fcfs", capacity, hours, weeks, seed=5, visit_cv=cv, start=MONDAY)
    seen = result.cases[result.cases["inspected"] & (result.cases["arrival_week"] > 100)]  # after a warm-up
    service = hours / capacity  # weeks per visit
    rho = rate * service
    expected = rho * service * (1 + cv**2) / (2 * (1 - rho)) * 7  # Pollaczek-Khinchine mean wait, in days
    assert seen["wait_days"].mean() == pytest.approx(expected, rel=0.08), \
        f"simulated mean wait {seen['wait_days'].mean():.3f} days against {expected:.3f} from the closed form"


# ------------------------------------------------------------------------ compare_orderings and plots
def test_compare_orderings_matches_single_runs(stream):
    """Each row of the comparison is the summary of the same run made alone."""
    comparison = pr.compare_orderings(stream, {"FCFS": "fcfs", "Impact": "score",
                                               "Impact, cap": {"order": "score", "max_wait_weeks": 8}},
                                      20, HOURS, 52, serious="serious")
    assert list(comparison.table.index) == ["FCFS", "Impact", "Impact, cap"], "one row per ordering, in order"
    alone = pr.simulate_queue(stream, "score", 20, HOURS, 52, serious="serious", max_wait_weeks=8).summary
    assert comparison.table.loc["Impact, cap", "serious_found"] == alone["serious_found"]
    assert comparison.table.loc["Impact, cap", "other_wait_mean_days"] == pytest.approx(alone["other_wait_mean_days"])
    assert set(comparison.results) == {"FCFS", "Impact", "Impact, cap"}


@pytest.mark.parametrize("orderings", [{}, ["fcfs"], {"A": {"max_wait_weeks": 3}}, {"A": {"order": "fcfs", "colour": "red"}}])
def test_compare_orderings_rejects_bad_orderings(stream, orderings):
    """An empty or malformed set of orderings is refused, naming orderings."""
    with pytest.raises(ValueError, match="orderings"):
        pr.compare_orderings(stream, orderings, 20, HOURS, 52)


def test_plot_cumulative_found_draws_one_line_per_ordering(stream):
    """The chart has a line per ordering ending at its serious cases found."""
    comparison = pr.compare_orderings(stream, {"FCFS": "fcfs", "Impact": "score"}, 20, HOURS, 52, serious="serious")
    ax = pr.plot_cumulative_found(comparison)
    assert len(ax.get_lines()) == 2, "two lines"
    for line, label in zip(ax.get_lines(), ["FCFS", "Impact"]):
        assert line.get_ydata()[-1] == comparison.table.loc[label, "serious_found"], f"{label} ends at its total"
    without = pr.compare_orderings(stream, {"FCFS": "fcfs"}, 20, HOURS, 52)
    with pytest.raises(ValueError, match="serious"):
        pr.plot_cumulative_found(without)


# ------------------------------------------------------------------------ simulation: errors
@pytest.mark.parametrize("kwargs, word", [
    ({"order": "urgency"}, "order"),
    ({"order": 3}, "order"),
    ({"officer_hours_per_week": 0}, "officer_hours_per_week"),
    ({"officer_hours_per_week": "ten"}, "officer_hours_per_week"),
    ({"weeks": -1}, "weeks"),
    ({"weeks": float("nan")}, "weeks"),
    ({"visit_hours": 0}, "visit_hours"),
    ({"visit_hours": {"Damp and mould": 3.0}}, "visit_hours"),
    ({"visit_hours": {**HOURS, "Falls": -1}}, "visit_hours"),
    ({"max_wait_weeks": -2}, "max_wait_weeks"),
    ({"visit_cv": -0.1}, "visit_cv"),
    ({"serious": "cat1"}, "serious"),
    ({"serious": "category"}, "serious"),
    ({"received": "received_on"}, "received"),
    ({"category": "hazard"}, "category"),
    ({"start": "not a date"}, "start"),
])
def test_simulate_queue_rejects_bad_arguments(stream, kwargs, word):
    """Invalid arguments raise ValueError naming the argument."""
    args = {"order": "fcfs", "officer_hours_per_week": 20, "visit_hours": HOURS, "weeks": 52, **kwargs}
    with pytest.raises(ValueError, match=word):
        pr.simulate_queue(stream, **args)


def test_simulate_queue_rejects_blank_scores(stream):
    """A priority column with a blank score cannot be ranked."""
    stream.loc[3, "score"] = np.nan
    with pytest.raises(ValueError, match="score"):
        pr.simulate_queue(stream, "score", 20, HOURS, 52)


def test_simulate_queue_needs_a_dataframe():
    """A list of dates is refused with a TypeError."""
    with pytest.raises(TypeError, match="cases"):
        pr.simulate_queue(["2025-01-01"], "fcfs", 10, 1.0, 4)
