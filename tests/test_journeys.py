"""Tests of curriculum.journeys: event-log checks, funnels, waits, group comparisons, stuck cases and charts."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from curriculum import journeys as jr

STEPS = ["Enquiry", "Assessment", "Approval", "Completion"]


@pytest.fixture
def log() -> pd.DataFrame:
    """Six cases: complete, dropped out, a step missing, dates backwards, a duplicate row, withdrawn."""
    rows = [
        ("A", "Enquiry", "2023-01-02 09:00", "Self", "Ely"),
        ("A", "Assessment", "2023-01-12 21:00", "Self", "Ely"),
        ("A", "Approval", "2023-02-01 09:00", "Self", "Ely"),
        ("A", "Completion", "2023-03-01 09:00", "Self", "Ely"),
        ("B", "Enquiry", "2023-01-05 09:00", "Hospital", "Ely"),
        ("C", "Enquiry", "2023-01-03 09:00", "Self", "Splott"),
        ("C", "Approval", "2023-02-10 09:00", "Self", "Splott"),  # no assessment recorded
        ("D", "Enquiry", "2023-01-04 09:00", "Hospital", "Splott"),
        ("D", "Assessment", "2022-01-20 09:00", "Hospital", "Splott"),  # year typed one too low
        ("D", "Approval", "2023-02-20 09:00", "Hospital", "Splott"),
        ("E", "Enquiry", "2023-01-06 09:00", "Self", None),
        ("E", "Assessment", "2023-02-06 09:00", "Self", None),
        ("E", "Assessment", "2023-02-06 09:00", "Self", None),  # exported twice
        ("F", "Enquiry", "2023-01-07 09:00", "Self", "Ely"),
        ("F", "Withdrawn", "2023-01-30 09:00", "Self", "Ely"),
    ]
    frame = pd.DataFrame(rows, columns=["case_id", "step", "timestamp", "channel", "area"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    return frame


def _random_log(seed: int, cases: int = 60) -> pd.DataFrame:
    """A random log over STEPS: cases stop at random steps, skip steps and sometimes go backwards."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(cases):
        stop = rng.integers(1, len(STEPS) + 1)
        when = pd.Timestamp("2023-01-01") + pd.Timedelta(days=int(rng.integers(0, 90)))
        for k in range(stop):
            when += pd.Timedelta(hours=float(rng.exponential(24 * 30)))
            if rng.random() < 0.1 and 0 < k < stop - 1:
                continue  # step not recorded
            stamp = when - pd.Timedelta(days=400) if rng.random() < 0.05 else when
            rows.append((f"C{c:03d}", STEPS[k], stamp, rng.choice(["x", "y", "z"])))
    return pd.DataFrame(rows, columns=["case_id", "step", "timestamp", "group"])


# ------------------------------------------------------------------ case_steps
def test_case_steps_one_row_per_case(log):
    """One row per case, one column per step in order, first time of a step, NaT where absent."""
    wide = jr.case_steps(log, STEPS)
    assert list(wide.columns) == STEPS, "columns should be the steps in the order given"
    assert list(wide.index) == list("ABCDEF"), "one row per case, sorted"
    assert wide.loc["A", "Assessment"] == pd.Timestamp("2023-01-12 21:00"), "the time of the step"
    assert pd.isna(wide.loc["C", "Assessment"]), "a step not recorded should be NaT"
    assert wide.loc["E", "Assessment"] == pd.Timestamp("2023-02-06 09:00"), "a duplicated step counts once"
    assert "Withdrawn" not in wide.columns, "events that are not steps are left out"


def test_case_steps_keeps_first_time_of_a_repeated_step(log):
    """A step recorded twice at different times counts at its first time."""
    extra = pd.DataFrame({"case_id": ["A"], "step": ["Assessment"], "timestamp": [pd.Timestamp("2023-01-30")],
                          "channel": ["Self"], "area": ["Ely"]})
    wide = jr.case_steps(pd.concat([extra, log]), STEPS)
    assert wide.loc["A", "Assessment"] == pd.Timestamp("2023-01-12 21:00"), "the earlier record should win"


# ------------------------------------------------------------------ checks
def test_check_journeys_finds_each_fault(log):
    """Missing steps, dates going backwards, duplicates and other events are reported case by case."""
    checks = jr.check_journeys(log, STEPS)
    assert checks["out_of_order"].tolist() == [False, False, False, True, False, False], "only D goes backwards"
    assert checks.loc["C", "missing"] == "Assessment" and checks.loc["C", "n_missing"] == 1, "C skipped the assessment"
    assert checks.loc["B", "n_missing"] == 0, "a case that stopped early has nothing missing"
    assert checks.loc["E", "duplicates"] == 1, "E has one extra row"
    assert checks.loc["F", "other_events"] == 1, "F's withdrawal is not a step"
    assert checks.loc["A", "furthest"] == "Completion" and checks.loc["B", "furthest"] == "Enquiry"
    assert checks.loc["E", "events"] == 3, "rows per case, duplicates included"


def test_check_journeys_counts_missing_times(log):
    """Events without a time are counted, and ignored as steps."""
    broken = log.copy()
    broken.loc[0, "timestamp"] = pd.NaT
    checks = jr.check_journeys(broken, STEPS)
    assert checks.loc["A", "no_time"] == 1, "A has one event without a time"
    assert checks.loc["A", "missing"] == "Enquiry", "an enquiry without a time is as good as not recorded"


@pytest.mark.parametrize("seed", range(5))
def test_out_of_order_matches_pairwise_comparison(seed):
    """The out-of-order flag equals a brute-force comparison of every pair of recorded steps."""
    frame = _random_log(seed)
    wide = jr.case_steps(frame, STEPS)
    expected = pd.Series(False, index=wide.index)
    for i, j in itertools.combinations(range(len(STEPS)), 2):
        expected |= wide[STEPS[j]] < wide[STEPS[i]]
    got = jr.check_journeys(frame, STEPS)["out_of_order"]
    assert got.equals(expected), f"{int((got != expected).sum())} cases disagree with the pairwise comparison"
    assert got.any() and not got.all(), "the random log should hold both kinds of case"


# ------------------------------------------------------------------ funnel
def test_funnel_counts_reached_and_recorded(log):
    """A case reaches a step when it or a later step is recorded; shares follow."""
    table = jr.funnel(log, STEPS)
    assert table["reached"].tolist() == [6, 4, 3, 1], "reached: all six; A, C, D, E; A, C, D; A"
    assert table["recorded"].tolist() == [6, 3, 3, 1], "recorded: C has no assessment record"
    assert table["from_previous"].tolist() == pytest.approx([1.0, 4 / 6, 3 / 4, 1 / 3]), "share of the step before"
    assert table["from_start"].tolist() == pytest.approx([1.0, 4 / 6, 3 / 6, 1 / 6]), "share of all cases"


@pytest.mark.parametrize("seed", range(5))
def test_funnel_never_widens(seed):
    """On random logs, reached never increases, is never below recorded and starts at every case."""
    frame = _random_log(seed)
    table = jr.funnel(frame, STEPS)
    assert (table["reached"].diff().dropna() <= 0).all(), "the funnel widened"
    assert (table["reached"] >= table["recorded"]).all(), "reached below recorded"
    assert table["reached"].iloc[0] == frame["case_id"].nunique(), "every case reaches the first step"
    furthest = jr.case_steps(frame, STEPS).notna().to_numpy()
    last = np.array([max(np.flatnonzero(row)) for row in furthest])
    assert table["reached"].tolist() == [int((last >= k).sum()) for k in range(len(STEPS))], \
        "reached should count cases whose furthest step is at or beyond each step"


def test_funnel_refuses_a_log_without_the_steps(log):
    """A log whose steps are named otherwise raises ValueError naming the steps."""
    with pytest.raises(ValueError, match="steps"):
        jr.funnel(log, ["First", "Second"])


# ------------------------------------------------------------------ durations
def test_step_durations_between_neighbouring_steps(log):
    """Days between neighbouring recorded steps, fractional, negative when dates go backwards."""
    durations = jr.step_durations(log, STEPS, attributes=["channel", "area"])
    a = durations[durations["case_id"] == "A"].set_index("to_step")["days"]
    assert a["Assessment"] == pytest.approx(10.5), "2 Jan 09:00 to 12 Jan 21:00 is 10.5 days"
    assert a["Completion"] == pytest.approx(28.0), "1 Feb to 1 Mar 2023 is 28 days"
    assert "C" not in set(durations["case_id"]), "C has no neighbouring pair recorded"
    assert (durations.loc[durations["case_id"] == "D", "days"] < 0).any(), "D's backwards date gives a negative wait"
    assert list(durations["transition"].cat.categories) == [f"{a}{jr.ARROW}{b}" for a, b in itertools.pairwise(STEPS)]
    assert durations.loc[durations["case_id"] == "A", "channel"].eq("Self").all(), "attributes are carried along"


def test_step_durations_equal_differences_of_case_steps():
    """Each wait equals the difference of the two steps' times in case_steps."""
    frame = _random_log(11)
    wide = jr.case_steps(frame, STEPS)
    durations = jr.step_durations(frame, STEPS)
    for row in durations.sample(20, random_state=1).itertuples():
        expected = (wide.loc[row.case_id, row.to_step] - wide.loc[row.case_id, row.from_step]).total_seconds() / 86400
        assert row.days == pytest.approx(expected), f"{row.case_id} {row.transition}"
    pairs = sum(int(wide[[a, b]].notna().all(axis=1).sum()) for a, b in itertools.pairwise(STEPS))
    assert len(durations) == pairs, "one row per case and pair of neighbouring steps both recorded"


# ------------------------------------------------------------------ waits by group
@pytest.fixture
def waits() -> pd.DataFrame:
    """Skewed waits in four areas, one of them much slower and one tiny."""
    rng = np.random.default_rng(3)
    parts = [pd.DataFrame({"area": name, "days": rng.lognormal(np.log(median), 0.5, n),
                           "transition": "Enquiry → Assessment"})
             for name, median, n in [("Ely", 40, 30), ("Splott", 45, 25), ("Rumney", 110, 15), ("Heath", 200, 2)]]
    return pd.concat(parts, ignore_index=True)


def test_waits_by_group_matches_groupby(waits):
    """Cases, medians and 90th percentiles agree with pandas and numpy; small groups flagged; longest first."""
    table = jr.waits_by_group(waits, "area", min_cases=5)
    assert table.index[0] == "Heath" and bool(table.loc["Heath", "small"]), "the tiny group sorts first but is flagged"
    assert not table.loc[["Ely", "Splott", "Rumney"], "small"].any(), "groups of five or more are not small"
    assert table["median_days"].is_monotonic_decreasing, "longest median first"
    for name, group in waits.groupby("area"):
        assert table.loc[name, "cases"] == len(group), name
        assert table.loc[name, "median_days"] == pytest.approx(np.median(group["days"])), name
        assert table.loc[name, "p90_days"] == pytest.approx(np.percentile(group["days"], 90)), name
    assert table["share_of_cases"].sum() == pytest.approx(1.0), "shares add up to one"


def test_waits_by_group_filters_a_transition(waits):
    """A transition keeps only its rows; an unknown one raises ValueError naming transition."""
    other = waits.assign(transition="Assessment → Approval", days=waits["days"] / 10)
    both = pd.concat([waits, other])
    table = jr.waits_by_group(both, "area", transition="Enquiry → Assessment")
    assert table["cases"].sum() == len(waits), "only the chosen transition's waits"
    with pytest.raises(ValueError, match="transition"):
        jr.waits_by_group(both, "area", transition="Enquiry → Completion")


@pytest.mark.parametrize("min_cases", [0, -1, 2.5, True, "5"])
def test_waits_by_group_rejects_bad_min_cases(waits, min_cases):
    """min_cases must be a whole number of at least 1."""
    with pytest.raises(ValueError, match="min_cases"):
        jr.waits_by_group(waits, "area", min_cases=min_cases)


def test_compare_groups_equals_anova_on_ranks(waits):
    """Kruskal-Wallis H equals (N - 1) times the R-squared of an OLS of the ranks on the groups."""
    result = jr.compare_groups(waits, "area", min_cases=5)
    kept = waits[waits["area"] != "Heath"]
    ranks = stats.rankdata(kept["days"])
    design = sm.add_constant(pd.get_dummies(kept["area"], drop_first=True, dtype=float))
    r_squared = sm.OLS(ranks, design).fit().rsquared
    h = (len(kept) - 1) * r_squared
    assert result["groups"] == 3 and result["cases"] == len(kept), "Heath (2 waits) is left out"
    assert result["statistic"] == pytest.approx(h, rel=1e-9), "H should be (N - 1) R^2 of ranks on groups"
    assert result["pvalue"] == pytest.approx(stats.chi2.sf(h, df=2), rel=1e-9), "p from chi-squared with k - 1 df"
    assert result["pvalue"] < 0.001, "a median of 110 days against 40-45 should stand out"


def test_compare_groups_handles_ties():
    """With tied waits (whole days) H still equals the ANOVA on mid-ranks."""
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"g": np.repeat(["a", "b", "c"], 20), "days": rng.integers(1, 8, 60).astype(float)})
    ranks = stats.rankdata(frame["days"])
    design = sm.add_constant(pd.get_dummies(frame["g"], drop_first=True, dtype=float))
    h = 59 * sm.OLS(ranks, design).fit().rsquared
    assert jr.compare_groups(frame, "g")["statistic"] == pytest.approx(h, rel=1e-9), "tie-corrected H"


@pytest.mark.parametrize("frame, word", [
    (pd.DataFrame({"g": ["a"] * 5 + ["b"] * 2, "days": range(7)}), "min_cases"),
    (pd.DataFrame({"g": ["a"] * 5 + ["b"] * 5, "days": [3.0] * 10}), "equal"),
    (pd.DataFrame({"h": ["a"] * 5, "days": range(5)}), "column"),
])
def test_compare_groups_refuses_what_it_cannot_test(frame, word):
    """Fewer than two groups large enough, constant waits or a missing column raise ValueError."""
    with pytest.raises(ValueError, match=word):
        jr.compare_groups(frame, "g")


def test_group_vs_rest_probability_is_the_pair_count(waits):
    """prob_longer equals the share of (group, rest) pairs where the group waits longer, ties half."""
    result = jr.group_vs_rest(waits, "area", "Rumney")
    a = waits.loc[waits["area"] == "Rumney", "days"].to_numpy()
    b = waits.loc[waits["area"] != "Rumney", "days"].to_numpy()
    pairs = (a[:, None] > b[None, :]).mean() + 0.5 * (a[:, None] == b[None, :]).mean()
    assert result["prob_longer"] == pytest.approx(pairs), "U / (n1 n2) is the share of pairs"
    assert result["median_days"] == pytest.approx(np.median(a)) and result["median_days_rest"] == pytest.approx(np.median(b))
    assert result["cases"] == 15 and result["cases_rest"] == len(waits) - 15


def test_group_vs_rest_pvalue_agrees_with_permutations():
    """The Mann-Whitney p-value is close to a permutation test's on the same statistic."""
    rng = np.random.default_rng(8)
    frame = pd.DataFrame({"g": ["in"] * 15 + ["out"] * 25,
                          "days": np.concatenate([rng.lognormal(3.9, 0.5, 15), rng.lognormal(3.6, 0.5, 25)])})
    result = jr.group_vs_rest(frame, "g", "in")
    values = frame["days"].to_numpy()
    observed = abs(result["prob_longer"] - 0.5)
    draws = 20_000
    extreme = 0
    for _ in range(draws):
        shuffled = rng.permutation(values)
        a, b = shuffled[:15], shuffled[15:]
        extreme += abs((a[:, None] > b[None, :]).mean() - 0.5) >= observed - 1e-12
    assert result["pvalue"] == pytest.approx(extreme / draws, abs=0.015), \
        f"Mann-Whitney p {result['pvalue']:.4f} against permutation p {extreme / draws:.4f}"


@pytest.mark.parametrize("group, word", [("Nowhere", "no waits"), ("all", "only group")])
def test_group_vs_rest_needs_a_group_and_a_rest(group, word):
    """An absent group, or a group with no rest, raises ValueError."""
    frame = pd.DataFrame({"area": ["all"] * 4, "days": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(ValueError, match=word):
        jr.group_vs_rest(frame, "area", group)


# ------------------------------------------------------------------ stuck cases
def test_stuck_cases_lists_open_cases_past_the_threshold(log):
    """Open cases (not completed, not withdrawn) idle for more than the threshold, longest first."""
    as_of = pd.Timestamp("2023-05-01 09:00")
    stuck = jr.stuck_cases(log, STEPS, threshold_days=60, as_of=as_of, closed_by=["Withdrawn"], attributes=["area"])
    assert list(stuck.index) == ["B", "E", "C", "D"], "B, E, C and D are open; sorted by days waiting"
    assert stuck.loc["B", "days_waiting"] == pytest.approx((as_of - pd.Timestamp("2023-01-05 09:00")).days)
    assert stuck.loc["C", "furthest"] == "Approval" and stuck.loc["B", "area"] == "Ely"
    open_f = jr.stuck_cases(log, STEPS, threshold_days=60, as_of=as_of)
    assert "F" in open_f.index, "without closed_by a withdrawn case counts as open"
    fewer = jr.stuck_cases(log, STEPS, threshold_days=80, as_of=as_of, closed_by="Withdrawn")
    assert list(fewer.index) == ["B", "E"], "a higher threshold keeps fewer cases (C and D moved in February)"


def test_stuck_cases_defaults_to_the_latest_time(log):
    """Without as_of the extract date is the latest time in the log."""
    stuck = jr.stuck_cases(log, STEPS, threshold_days=1, closed_by=["Withdrawn"])
    latest = log["timestamp"].max()
    assert stuck["days_waiting"].tolist() == pytest.approx(((latest - stuck["last_event"]) / pd.Timedelta(days=1)).tolist())


@pytest.mark.parametrize("kwargs, word", [
    ({"threshold_days": 0}, "threshold_days"),
    ({"threshold_days": -5}, "threshold_days"),
    ({"threshold_days": float("inf")}, "threshold_days"),
    ({"threshold_days": True}, "threshold_days"),
    ({"as_of": "not a date"}, "as_of"),
])
def test_stuck_cases_rejects_bad_arguments(log, kwargs, word):
    """A non-positive threshold or an as_of that is not a date raises ValueError naming it."""
    with pytest.raises(ValueError, match=word):
        jr.stuck_cases(log, STEPS, **kwargs)


# ------------------------------------------------------------------ argument checks
@pytest.mark.parametrize("steps, word", [
    ("Enquiry", "steps"),
    (["Enquiry"], "at least two"),
    (["Enquiry", "Approval", "Enquiry"], "repeat"),
    (None, "steps"),
])
def test_steps_must_be_a_list_of_distinct_labels(log, steps, word):
    """steps must be a sequence of two or more distinct labels."""
    with pytest.raises(ValueError, match=word):
        jr.case_steps(log, steps)


@pytest.mark.parametrize("change, word", [
    (lambda f: f.drop(columns="case_id"), "case_id"),
    (lambda f: f.assign(timestamp=f["timestamp"].astype(str)), "datetime"),
    (lambda f: f.to_dict(), "DataFrame"),
])
def test_events_must_be_a_log(log, change, word):
    """A missing column, text times or something that is not a DataFrame raise ValueError."""
    with pytest.raises(ValueError, match=word):
        jr.check_journeys(change(log), STEPS)


def test_other_column_names(log):
    """The case, step and time columns can be named otherwise."""
    renamed = log.rename(columns={"case_id": "ref", "step": "event", "timestamp": "when"})
    table = jr.funnel(renamed, STEPS, case="ref", step="event", time="when")
    assert table["reached"].tolist() == [6, 4, 3, 1], "the same funnel under other column names"


# ------------------------------------------------------------------ charts
def test_charts_draw_on_axes(log, waits):
    """Each chart returns its Axes with something drawn on it."""
    table = jr.funnel(log, STEPS)
    durations = jr.step_durations(log[log["case_id"] != "D"], STEPS)
    for draw in (lambda ax: jr.plot_funnel(table, ax=ax),
                 lambda ax: jr.plot_durations(durations, ax=ax, log=True),
                 lambda ax: jr.plot_durations(waits, by="area", kind="violin", highlight="Rumney", ax=ax),
                 lambda ax: jr.plot_journey(table, durations, ax=ax)):
        fig, ax = plt.subplots()
        assert draw(ax) is ax, "the chart should return the Axes it drew on"
        assert ax.has_data() or ax.texts, "something should be drawn"
        plt.close(fig)


@pytest.mark.parametrize("kwargs, word", [({"kind": "bar"}, "kind"), ({"by": "ward"}, "ward")])
def test_plot_durations_rejects_bad_arguments(waits, kwargs, word):
    """An unknown kind or column raises ValueError naming it."""
    with pytest.raises(ValueError, match=word):
        jr.plot_durations(waits, **kwargs)
