"""Tests of curriculum.evidence: Nesta levels, effect ranges, cost per outcome, evidence cards, trial advice and charts."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import curriculum
from curriculum import evidence as ev
from curriculum.councils import COUNCIL_NAMES

matplotlib.use("Agg")


def _shout(text: str) -> str:
    """A stand-in translator: capitals, keeping {placeholders} as they are."""
    return text if "{" in text else text.upper()


def _study(design, effect=None, low=None, high=None, independent=True, **extra) -> dict:
    return {"design": design, "effect": effect, "ci_low": low, "ci_high": high, "independent": independent, **extra}


def _frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=None).astype({"effect": "Float64", "ci_low": "Float64", "ci_high": "Float64",
                                                          "independent": "boolean"})


@pytest.fixture
def shortlist() -> pd.DataFrame:
    """A three-option shortlist."""
    return pd.DataFrame({"solution_id": ["A", "B", "C"], "solution": ["Alpha", "Beta", "Gamma"],
                         "evidence_level": [4, 2, 1], "cost_per_participant": [2000.0, 500.0, 100.0]})


@pytest.fixture
def studies() -> pd.DataFrame:
    """Studies of the shortlist: two causal ones for A (one small and independent), one uncontrolled for B, a logic model for C."""
    return pd.DataFrame({
        "evaluation_id": ["E1", "E2", "E3", "E4", "E5"],
        "solution_id": ["A", "A", "B", "B", "C"],
        "study": ["Trial", "Comparison", "Own figures", "Null trial", "Logic model"],
        "design": ["Randomised trial", "Comparison group", "Before and after", "RCT", "Logic model"],
        "outcome": ["Home", "Home", "Well", "Well", None],
        "sample_size": pd.array([2000, 600, 300, 400, pd.NA], dtype="Int64"),
        "effect": [5.0, 8.0, 15.0, 2.0, np.nan],
        "ci_low": [1.0, 1.5, 8.0, -4.0, np.nan],
        "ci_high": [9.0, 14.5, 22.0, 8.0, np.nan],
        "independent": pd.array([True, False, False, True, False], dtype="boolean"),
        "evaluator": ["University", "Provider", "Provider", "University", "Digital team"],
        "setting": ["Wales", "England", "A council", "A council", "Not tried"],
    })


@pytest.mark.parametrize("design, level", [
    ("Logic model", 1), ("theory of change", 1), ("Before and after", 2), ("pre-post", 2), ("before-and-after", 2),
    ("correlation", 2), ("Cross-sectional", 2), ("Comparison group", 3), ("quasi-experimental", 3),
    ("Difference in differences", 3), ("Randomised trial", 3), ("RCT", 3), ("Randomized controlled trial", 3),
    ("stepped wedge", 3),
])
def test_nesta_level_from_design(design, level):
    """Each design and its synonyms reach the level Nesta's standards give one study of that design."""
    assert ev.nesta_level_from_design(design) == level, f"{design!r} should reach level {level}"


@pytest.mark.parametrize("design, error, match", [
    ("anecdote", ValueError, "design 'anecdote' is not a study design"),
    (3, TypeError, "design must be a string"),
    (None, TypeError, "design must be a string"),
])
def test_nesta_level_from_design_rejects_bad_designs(design, error, match):
    """An unknown design, or not a string, is refused, naming the argument."""
    with pytest.raises(error, match=match):
        ev.nesta_level_from_design(design)


def test_design_table_covers_every_design_and_translates():
    """The design table has one row per design with its level; a translator changes the words, not the levels."""
    table = ev.design_table()
    assert list(table["highest_level"]) == [level for level, _ in ev.DESIGNS.values()], "levels follow DESIGNS"
    shouted = ev.design_table(translate=str.upper)
    assert shouted["design"].str.isupper().all() and list(shouted["highest_level"]) == list(table["highest_level"])


@pytest.mark.parametrize("rows, manual, expected", [
    ([], False, 0),
    ([_study("Logic model")], False, 1),
    ([_study("Before and after", -3.0, -9.0, 2.0)], False, 1),
    ([_study("Before and after", 12.0, 5.0, 19.0, False)], False, 2),
    ([_study("Comparison group", 4.0, -2.0, 10.0)], False, 2),
    ([_study("Comparison group", 4.0, 1.0, 7.0, False)], False, 3),
    ([_study("RCT", 4.0, 1.0, 7.0, False), _study("Comparison group", 6.0, 0.5, 11.0, False)], False, 3),
    ([_study("RCT", 4.0, 1.0, 7.0, True), _study("Comparison group", 6.0, 0.5, 11.0, False)], False, 4),
    ([_study("RCT", 4.0, 1.0, 7.0, True), _study("Comparison group", 6.0, 0.5, 11.0, False)], True, 5),
    ([_study("RCT", 4.0, 1.0, 7.0, True), _study("Comparison group", 6.0, -0.5, 11.0, True)], True, 3),
    ([_study("Before and after", 20.0, 10.0, 30.0), _study("RCT", 1.0, -2.0, 4.0)], False, 2),
    ([_study("anecdote", 30.0, 20.0, 40.0)], False, 1),
])
def test_evidence_level_of_a_body_of_studies(rows, manual, expected):
    """Level 2 needs positive change, 3 a comparison with its range above zero, 4 two such with one independent, 5 manuals."""
    frame = (pd.DataFrame(columns=["design", "effect", "ci_low", "ci_high", "independent"]) if not rows
             else _frame(*rows))
    assert ev.evidence_level(frame, manual=manual) == expected, f"{rows} (manual={manual}) should be level {expected}"


@pytest.mark.parametrize("studies, manual, error, match", [
    ("not a frame", False, TypeError, "studies must be a pandas DataFrame"),
    (pd.DataFrame({"design": ["RCT"]}), False, ValueError, "lacks the column"),
    (pd.DataFrame({"design": ["RCT"], "effect": [1.0], "ci_low": [0.5], "ci_high": [2.0]}), False, ValueError,
     "independent"),
    (pd.DataFrame({"design": ["RCT"], "effect": [1.0], "ci_low": [0.5], "ci_high": [2.0], "independent": [True]}), "yes",
     TypeError, "manual must be True or False"),
])
def test_evidence_level_rejects_bad_arguments(studies, manual, error, match):
    """A frame without the needed columns, or a manual flag that is not a bool, is refused, naming what is wrong."""
    with pytest.raises(error, match=match):
        ev.evidence_level(studies, manual=manual)


def test_demo_studies_support_the_recorded_level_in_every_council():
    """Every demo option's studies support exactly the Nesta level its shortlist records."""
    for council in COUNCIL_NAMES:
        shortlist = curriculum.load("candidate_solutions", council=council)
        studies = curriculum.load("evaluation_summaries", council=council)
        for option, level in zip(shortlist["solution_id"], shortlist["evidence_level"]):
            got = ev.evidence_level(studies[studies["solution_id"] == option])
            assert got == level, f"{council} {option}: studies support level {got}, shortlist says {level}"


@pytest.mark.parametrize("low, high, expected", [(-1.0, 3.0, True), (0.0, 3.0, True), (0.5, 3.0, False),
                                                 (-4.0, -0.1, False), (-2, 0, True)])
def test_interval_includes_zero(low, high, expected):
    """A range includes zero when its ends lie either side of zero (or on it)."""
    assert ev.interval_includes_zero(low, high) is expected


@pytest.mark.parametrize("low, high, error, match", [
    (3.0, 1.0, ValueError, "ci_low .* must not exceed ci_high"),
    ("1", 2.0, TypeError, "ci_low must be a number"),
    (1.0, float("nan"), ValueError, "ci_high must be a finite number"),
    (True, 2.0, TypeError, "ci_low must be a number"),
])
def test_interval_includes_zero_rejects_bad_ranges(low, high, error, match):
    """Reversed, non-numeric or missing ends are refused, naming the argument."""
    with pytest.raises(error, match=match):
        ev.interval_includes_zero(low, high)


def test_cost_per_outcome_matches_a_simulated_cohort():
    """Cost per outcome equals the bill for a large simulated cohort divided by the extra outcomes it produces."""
    rng = np.random.default_rng(7)
    n, base, effect, cost = 400_000, 0.30, 6.0, 1500.0
    treated = rng.random(n) < base + effect / 100
    control = rng.random(n) < base
    simulated = cost * n / (treated.sum() - control.sum())
    assert math.isclose(ev.cost_per_outcome(cost, effect), cost / 0.06), "closed form: cost / (effect / 100)"
    assert math.isclose(ev.cost_per_outcome(cost, effect), simulated, rel_tol=0.05), \
        f"closed form {ev.cost_per_outcome(cost, effect):.0f} against simulation {simulated:.0f}"


@pytest.mark.parametrize("cost, effect, error, match", [
    (1000.0, 0.0, ValueError, "effect must be positive"),
    (1000.0, -2.0, ValueError, "effect must be positive"),
    (-5.0, 2.0, ValueError, "cost_per_participant must not be negative"),
    ("1000", 2.0, TypeError, "cost_per_participant must be a number"),
])
def test_cost_per_outcome_rejects_bad_arguments(cost, effect, error, match):
    """No positive effect, a negative cost or text is refused, naming the argument."""
    with pytest.raises(error, match=match):
        ev.cost_per_outcome(cost, effect)


def test_effect_interval_wald_matches_the_closed_form():
    """The Wald range equals the textbook normal-approximation formula computed by hand with scipy's normal quantile."""
    e1, n1, e0, n0 = 330, 600, 270, 600
    p1, p0 = e1 / n1, e0 / n0
    half = stats.norm.ppf(0.975) * math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
    effect, low, high = ev.effect_interval(e1, n1, e0, n0, method="wald")
    assert math.isclose(effect, 100 * (p1 - p0)), "effect in percentage points"
    assert math.isclose(low, 100 * (p1 - p0 - half), abs_tol=1e-6) and math.isclose(high, 100 * (p1 - p0 + half), abs_tol=1e-6)


def test_effect_interval_newcombe_matches_wilson_intervals():
    """Newcombe's hybrid range equals the combination of the two groups' Wilson intervals (Newcombe 1998, method 10)."""
    e1, n1, e0, n0 = 40, 90, 25, 110
    z = stats.norm.ppf(0.975)

    def wilson(e, n):
        p = e / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return centre - half, centre + half

    (l1, u1), (l0, u0) = wilson(e1, n1), wilson(e0, n0)
    p1, p0 = e1 / n1, e0 / n0
    low = p1 - p0 - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = p1 - p0 + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    _, got_low, got_high = ev.effect_interval(e1, n1, e0, n0)
    assert math.isclose(got_low, 100 * low, abs_tol=1e-6) and math.isclose(got_high, 100 * high, abs_tol=1e-6)


def test_effect_interval_covers_the_true_effect_about_95_percent_of_the_time():
    """In simulated trials with a known effect, the 95% range contains it in about 95% of them."""
    rng = np.random.default_rng(11)
    hits = 0
    trials = 2000
    for _ in range(trials):
        e1, e0 = int(rng.binomial(300, 0.45)), int(rng.binomial(300, 0.40))
        _, low, high = ev.effect_interval(e1, 300, e0, 300)
        hits += low <= 5.0 <= high
    assert 0.93 <= hits / trials <= 0.97, f"coverage {hits / trials:.3f}"


@pytest.mark.parametrize("args, kwargs, match", [
    ((5, 0, 3, 10), {}, "each group needs participants"),
    ((11, 10, 3, 10), {}, "events cannot exceed participants"),
    ((-1, 10, 3, 10), {}, "events_1 must be a whole number"),
    ((1.5, 10, 3, 10), {}, "events_1 must be a whole number"),
    ((5, 10, 3, 10), {"alpha": 1.5}, "alpha must be between 0 and 1"),
    ((5, 10, 3, 10), {"method": "exact"}, "method must be 'newcomb' or 'wald'"),
])
def test_effect_interval_rejects_bad_counts(args, kwargs, match):
    """Impossible counts, a bad alpha or an unknown method are refused, naming the argument."""
    with pytest.raises(ValueError, match=match):
        ev.effect_interval(*args, **kwargs)


def test_best_study_prefers_design_then_independence_then_size(studies):
    """The strongest design comes first (randomised before comparison group), then independence, then size."""
    assert ev.best_study(studies[studies["solution_id"] == "A"])["evaluation_id"] == "E1"
    assert ev.best_study(studies[studies["solution_id"] == "B"])["evaluation_id"] == "E4", "a trial beats own figures"
    two = studies[studies["solution_id"] == "A"].assign(design="Comparison group", independent=[False, True])
    assert ev.best_study(two)["evaluation_id"] == "E2", "at equal design, the independent study comes first"
    with pytest.raises(ValueError, match="no rows"):
        ev.best_study(studies.iloc[0:0])


def test_evidence_card_answers_the_five_questions(shortlist, studies):
    """The card reads the best study: design, effect and range, who, evaluator and cost per outcome, plus the level."""
    card = ev.evidence_card(shortlist, studies, "A")
    assert card.level == 4 and card.recorded_level == 4
    assert card.best["evaluation_id"] == "E1"
    assert math.isclose(card.cost_per_outcome, 2000 / 0.05), "cost per outcome from the best study's effect"
    answers = dict(zip(card.summary["question"], card.summary["answer"]))
    assert answers["Who was in it?"].startswith("2,000 participants; Wales")
    assert "(independent)" in answers["Who did it?"]
    assert "95% range +1.0 to +9.0" in answers["How big was the effect, and its range?"]
    assert list(card.studies["evaluation_id"]) == ["E1", "E2"], "studies strongest first"
    assert card.to_markdown(rows=2).count("\n- ") == 1 and card.to_markdown().startswith("- **What was compared")


def test_evidence_card_flags_ranges_through_zero_and_missing_effects(shortlist, studies):
    """A best study whose range includes zero is flagged; a logic model gives no cost per outcome."""
    card_b = ev.evidence_card(shortlist, studies, "B")
    assert card_b.level == 2 and "includes zero" in card_b.summary["answer"].iloc[1]
    assert "Treat it with care" in card_b.summary["answer"].iloc[4]
    card_c = ev.evidence_card(shortlist, studies, "C", translate=lambda t: t.replace("Level", "Lefel"))
    assert math.isnan(card_c.cost_per_outcome) and card_c.summary["answer"].iloc[5].startswith("Lefel 1")
    mislabelled = shortlist.assign(evidence_level=[4, 3, 1])
    assert "records level 3" in ev.evidence_card(mislabelled, studies, "B").summary["answer"].iloc[5]


@pytest.mark.parametrize("solution_id, match", [("Z", "solution_id 'Z' is not on the shortlist")])
def test_evidence_card_rejects_unknown_options(shortlist, studies, solution_id, match):
    """An option that is not on the shortlist is refused, listing the options."""
    with pytest.raises(ValueError, match=match):
        ev.evidence_card(shortlist, studies, solution_id)


@pytest.mark.parametrize("level, cost, reversible, can_stage, expected", [
    (4, 5_000_000, False, True, "adopt"),
    (5, 10_000, True, False, "adopt"),
    (3, 300_000, True, True, "trial"),
    (2, 50_000, False, True, "trial"),
    (2, 400_000, True, False, "comparison"),
    (1, 20_000, True, True, "test"),
    (3, ev.TRIAL_THRESHOLD, True, True, "trial"),
])
def test_trial_advice_applies_the_four_tests(level, cost, reversible, can_stage, expected):
    """Replicated evidence is adopted; a big or irreversible decision on weaker evidence is trialled; a small one tested."""
    assert ev.trial_advice(level, cost, reversible=reversible, can_stage=can_stage) == expected
    assert ev.advice_text(expected) == ev.ADVICE[expected], "the advice text is the documented one"


@pytest.mark.parametrize("level, cost, flags, error, match", [
    (0, 1000, (True, True), ValueError, "evidence_level must be from 1 to 5"),
    (2.5, 1000, (True, True), TypeError, "evidence_level must be a whole number"),
    (2, -1, (True, True), ValueError, "must not be negative"),
    (2, 1000, ("no", True), TypeError, "reversible must be True or False"),
    (2, 1000, (True, None), TypeError, "can_stage must be True or False"),
])
def test_trial_advice_rejects_bad_arguments(level, cost, flags, error, match):
    """Levels outside 1-5, negative costs and flags that are not booleans are refused, naming the argument."""
    with pytest.raises(error, match=match):
        ev.trial_advice(level, cost, reversible=flags[0], can_stage=flags[1])


def test_advice_text_rejects_unknown_keys():
    """An unknown key is refused, listing the keys."""
    with pytest.raises(ValueError, match="key 'maybe' is not a piece of advice"):
        ev.advice_text("maybe")


def test_plots_draw_and_translate(shortlist, studies):
    """The forest plot draws one row per study with a range and the evidence map one point per option, in translation."""
    import matplotlib.pyplot as plt

    ax = ev.plot_effects(studies, names={"A": "Alpha"}, highlight="A", translate=str.upper)
    assert len(ax.get_yticks()) == 4, "the logic model has no effect to draw"
    assert ax.get_xlabel().isupper(), "the axis label goes through the translator"
    plt.close("all")
    ax = ev.plot_evidence_map(shortlist, highlight="B", translate=str.upper)
    assert len(ax.texts) == 3 and ax.get_xlabel().isupper()
    plt.close("all")
    with pytest.raises(ValueError, match="highlight 'Z'"):
        ev.plot_effects(studies, highlight="Z")
    with pytest.raises(ValueError, match="no study in studies has an effect"):
        ev.plot_effects(studies[studies["solution_id"] == "C"])
    with pytest.raises(ValueError, match="solution_id 'Z' is not on the shortlist"):
        ev.plot_evidence_map(shortlist, highlight="Z")
    plt.close("all")


def test_widgets_build_without_capturing_output(shortlist, studies):
    """The explorers build, fill their view with display data and redraw when a control changes."""
    box = ev.evidence_explorer(shortlist, studies, solution_id="A", translate=_shout)
    pick, view = box.children
    assert pick.description == "OPTION" and len(view.outputs) == 3
    pick.value = "C"
    assert len(view.outputs) == 2, "a logic model has no chart"
    trial = ev.trial_explorer(evidence_level=2, cost=100_000, reversible=True, can_stage=True)
    view = trial.children[-1]
    assert "Test and learn" in view.outputs[0]["data"]["text/markdown"]
    trial.children[0].value = 4
    assert "Adopt it" in view.outputs[0]["data"]["text/markdown"]
    with pytest.raises(ValueError, match="solution_id 'Z'"):
        ev.evidence_explorer(shortlist, studies, solution_id="Z")


def test_nothing_happens_on_import():
    """Importing the module defines functions and constants only: no figures, no widgets."""
    import importlib
    import sys

    import matplotlib.pyplot as plt

    plt.close("all")
    importlib.reload(sys.modules["curriculum.evidence"])
    assert plt.get_fignums() == []
