"""Tests of curriculum.risk: natural frequencies, flags per true case, errors by group, and their charts."""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    precision_score,
    recall_score,
)

import curriculum
from curriculum import risk
from curriculum.councils import COUNCIL_NAMES

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opens."""
    yield
    plt.close("all")


@pytest.fixture
def results() -> pd.DataFrame:
    """A supplier's validation table for three groups; group C has no false alarm row at all."""
    rows = [("A", True, True, 30), ("A", True, False, 60), ("A", False, True, 20), ("A", False, False, 890),
            ("B", True, True, 10), ("B", True, False, 15), ("B", False, True, 15), ("B", False, False, 460),
            ("C", True, True, 4), ("C", False, True, 6), ("C", False, False, 190)]
    return pd.DataFrame(rows, columns=["group", "flagged", "outcome", "count"])


# ---------------------------------------------------------------- natural frequencies
def test_confusion_from_rates_exact_counts_follow_the_definitions():
    """Without rounding, the four cells are the base rate, sensitivity and specificity applied to the people."""
    cells = risk.confusion_from_rates(0.06, 0.55, 0.92, people=1000, whole=False)
    assert cells["tp"] == pytest.approx(1000 * 0.06 * 0.55) and cells["fn"] == pytest.approx(1000 * 0.06 * 0.45)
    assert cells["fp"] == pytest.approx(1000 * 0.94 * 0.08) and cells["tn"] == pytest.approx(1000 * 0.94 * 0.92)
    assert cells["people"] == pytest.approx(1000), "the cells add up to everyone"


@pytest.mark.parametrize("base, sens, spec", [(0.06, 0.55, 0.92), (0.013, 0.333, 0.987), (0.5, 0.5, 0.5), (0.0, 0.7, 0.9)])
def test_confusion_from_rates_rounds_to_whole_people_that_add_up(base, sens, spec):
    """Whole people: each cell within one of its exact value, cases and everyone adding up."""
    exact = risk.confusion_from_rates(base, sens, spec, whole=False)
    whole = risk.confusion_from_rates(base, sens, spec)
    for cell in risk.CELLS:
        assert abs(whole[cell] - exact[cell]) < 1, f"{cell}: {whole[cell]} is more than one person from {exact[cell]:.2f}"
        assert float(whole[cell]).is_integer(), f"{cell} is a whole number"
    assert whole["tp"] + whole["fp"] + whole["fn"] + whole["tn"] == 1000
    assert whole["cases"] == round(base * 1000), "the cases are the base rate's share of 1,000, rounded"


def test_confusion_from_rates_matches_a_simulation():
    """Drawing a million people with those rates gives the same shares (independent check by simulation)."""
    rng = np.random.default_rng(7)
    n = 1_000_000
    outcome = rng.random(n) < 0.07
    flagged = np.where(outcome, rng.random(n) < 0.52, rng.random(n) < 1 - 0.924)
    expected = risk.confusion_from_rates(0.07, 0.52, 0.924, people=n, whole=False)
    assert (flagged & outcome).sum() == pytest.approx(expected["tp"], rel=0.02)
    assert (flagged & ~outcome).sum() == pytest.approx(expected["fp"], rel=0.01)


def test_flags_per_true_case_is_one_over_precision_from_sklearn(results):
    """Flagged ÷ true cases flagged equals 1 ÷ scikit-learn's precision on the people themselves."""
    people = risk.expand_counts(results)
    precision = precision_score(people["y_true"], people["y_pred"])
    table = risk.confusion_table(results, by=None).iloc[0]
    assert risk.flags_per_true_case(table["tp"], table["fp"]) == pytest.approx(1 / precision)
    assert risk.flags_per_true_case(33, 75) == pytest.approx(108 / 33), "the docstring example"


# ---------------------------------------------------------------- validation tables
def test_confusion_table_matches_sklearn_per_group(results):
    """Each group's four cells equal scikit-learn's confusion matrix of its people; a missing row counts 0."""
    table = risk.confusion_table(results)
    people = risk.expand_counts(results)
    assert list(table.index) == ["A", "B", "C"], "groups in order of first appearance"
    for group, part in people.groupby("group"):
        tn, fp, fn, tp = confusion_matrix(part["y_true"], part["y_pred"], labels=[0, 1]).ravel()
        assert table.loc[group, ["tp", "fp", "fn", "tn"]].tolist() == [tp, fp, fn, tn], f"group {group}"
    assert table.loc["C", "fp"] == 0, "no row means no false alarms"


def test_group_rates_match_sklearn_metrics(results):
    """Sensitivity, specificity, precision and accuracy of each group agree with scikit-learn on expanded rows."""
    rates = risk.group_rates(results)
    people = risk.expand_counts(results)
    for group, part in list(people.groupby("group")) + [("All", people)]:
        row = rates.loc[group]
        assert row["sensitivity"] == pytest.approx(recall_score(part["y_true"], part["y_pred"])), f"{group}: sensitivity"
        assert row["specificity"] == pytest.approx(recall_score(part["y_true"], part["y_pred"], pos_label=0))
        assert row["false_positive_rate"] == pytest.approx(1 - recall_score(part["y_true"], part["y_pred"], pos_label=0))
        assert row["precision"] == pytest.approx(precision_score(part["y_true"], part["y_pred"], zero_division=0))
        assert row["accuracy"] == pytest.approx(accuracy_score(part["y_true"], part["y_pred"])), f"{group}: accuracy"
        assert row["base_rate"] == pytest.approx(part["y_true"].mean())
        assert row["missed_share"] == pytest.approx(1 - row["sensitivity"])
    assert list(rates.columns) == list(risk.RATE_COLUMNS)


def test_false_positive_rate_intervals_are_wilson_intervals(results):
    """The intervals equal the Wilson score interval computed by hand from its closed form."""
    rates = risk.group_rates(results)
    z = 1.959963984540054
    for group in ("A", "B", "All"):
        row = rates.loc[group]
        n, p = row["fp"] + row["tn"], row["false_positive_rate"]
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        assert (row["fpr_low"], row["fpr_high"]) == pytest.approx((centre - half, centre + half)), group
    assert rates.loc["C", "fpr_low"] == pytest.approx(0.0, abs=1e-12), "no false alarms: the interval starts at 0"
    plain = risk.group_rates(results, intervals=False, total=False)
    assert plain["fpr_low"].isna().all() and "All" not in plain.index


def test_a_group_without_cases_has_no_sensitivity():
    """Rates whose denominator is zero are missing, not errors."""
    table = pd.DataFrame({"group": ["A", "A"], "flagged": [True, False], "outcome": [False, False], "count": [5, 95]})
    row = risk.group_rates(table).loc["A"]
    assert np.isnan(row["sensitivity"]) and np.isnan(row["flags_per_true_case"]), "no cases, no sensitivity"
    assert row["false_positive_rate"] == pytest.approx(0.05)


def test_expand_counts_gives_one_row_per_person(results):
    """Expanding gives as many rows as people, with 0/1 labels and the group carried over."""
    people = risk.expand_counts(results)
    assert len(people) == results["count"].sum()
    assert set(people["y_true"]) == {0, 1} and set(people["y_pred"]) == {0, 1}
    assert (people.groupby("group").size() == results.groupby("group")["count"].sum()).all()


@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_demo_tables_give_rates_for_every_council(council):
    """Every council's demo table gives four groups and an All row with consistent totals."""
    rates = risk.group_rates(curriculum.load("risk_tool_results", council=council))
    assert len(rates) == 5 and rates.index[-1] == "All"
    assert rates.loc["All", "people"] == rates.drop(index="All")["people"].sum()
    assert rates.loc["All", "flags_per_true_case"] > 1


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("call, error, message", [
    (lambda r: risk.confusion_from_rates(1.2, 0.5, 0.9), ValueError, "base_rate must be a share"),
    (lambda r: risk.confusion_from_rates(0.1, -0.1, 0.9), ValueError, "sensitivity must be a share"),
    (lambda r: risk.confusion_from_rates(0.1, 0.5, float("nan")), ValueError, "specificity must be a share"),
    (lambda r: risk.confusion_from_rates(0.1, 0.5, 0.9, people=0), ValueError, "people must be a positive whole number"),
    (lambda r: risk.flags_per_true_case(0, 5), ValueError, "tp is 0"),
    (lambda r: risk.flags_per_true_case(3, -1), ValueError, "fp must be a count"),
    (lambda r: risk.confusion_table(r.drop(columns="count")), ValueError, "lacks the column"),
    (lambda r: risk.confusion_table(r.assign(flagged="Yes")), ValueError, "flagged must be True or False"),
    (lambda r: risk.confusion_table(r.assign(count=-1)), ValueError, "count must be a whole number"),
    (lambda r: risk.confusion_table(r.assign(count=2.5)), ValueError, "count must be a whole number"),
    (lambda r: risk.confusion_table(r, by="area"), ValueError, "by: column 'area'"),
    (lambda r: risk.group_rates(r.to_dict()), TypeError, "must be a pandas DataFrame"),
    (lambda r: risk.plot_icon_array({"tp": 1, "fp": 2}), ValueError, "confusion must give the counts"),
    (lambda r: risk.plot_icon_array({"tp": 1.5, "fp": 2, "fn": 0, "tn": 3}), ValueError, "tp must be a whole number"),
    (lambda r: risk.plot_icon_array({"tp": 0, "fp": 0, "fn": 0, "tn": 20_000}), ValueError, "1 to 10,000 people"),
    (lambda r: risk.plot_group_rates(risk.group_rates(r).drop(columns="missed_share")), ValueError, "missed_share"),
    (lambda r: risk.risk_explorer(0.1, 2.0, 0.9), ValueError, "sensitivity must be a share"),
])
def test_bad_arguments_are_refused_with_their_name(results, call, error, message):
    """Bad arguments raise an error that names them."""
    with pytest.raises(error, match=message):
        call(results)


# ---------------------------------------------------------------- charts and widget
def _welsh(text: str) -> str:
    return "CY " + text


def test_icon_array_draws_one_square_per_person_with_translated_legend():
    """1,000 people give 1,000 squares in four colours, and the legend passes through translate."""
    cells = risk.confusion_from_rates(0.068, 0.52, 0.924)
    ax = risk.plot_icon_array(cells, translate=_welsh)
    squares = sum(len(collection.get_offsets()) for collection in ax.collections)
    assert squares == 1000, f"{squares} squares drawn"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert all(label.startswith("CY ") for label in labels) and any(f": {cells['fp']}" in label for label in labels)


def test_frequency_tree_writes_the_counts_and_the_flags_per_true_case():
    """The tree shows everyone, the split by outcome and by flag, and the flags per true case, translated."""
    cells = risk.confusion_from_rates(0.06, 0.55, 0.92)
    ax = risk.plot_frequency_tree(cells, translate=_welsh)
    texts = " ".join(t.get_text().replace("\n", " ") for t in ax.texts)
    for number in ("1,000", "60", "940", "33", "27", "75", "865"):
        assert number in texts, f"{number} is written on the tree"
    assert "3.3 flags per true case" in texts and texts.count("CY ") >= 7


def test_group_rates_chart_draws_two_bars_per_group(results):
    """The chart has a false alarm bar and a missed bar for each group (not for All), and translated words."""
    ax = risk.plot_group_rates(risk.group_rates(results), translate=_welsh)
    assert len(ax.patches) == 6, "two bars for each of three groups"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B", "C"]
    assert ax.get_xlabel() == "CY Per cent"


def test_risk_explorer_draws_and_redraws_on_a_slider():
    """The widget draws the tree and squares with the exact ratio, and redraws when a slider moves."""
    box = risk.risk_explorer(0.068, 0.521, 0.924, translate=_welsh)
    base, sensitivity, specificity, view = box.children
    assert base.value == pytest.approx(6.8) and base.description.startswith("CY ")
    assert len(view.outputs) == 2 and "image/png" in view.outputs[0]["data"], "an image and the exact sentence"
    base.value = 1.0
    exact = risk.confusion_from_rates(0.01, sensitivity.value / 100, specificity.value / 100, whole=False)
    assert f"{risk.flags_per_true_case(exact['tp'], exact['fp']):.1f}" in view.outputs[1]["text"]


def test_importing_risk_changes_no_matplotlib_settings():
    """Importing the module leaves matplotlib's settings alone."""
    import importlib

    before = dict(matplotlib.rcParams)
    importlib.reload(risk)
    assert dict(matplotlib.rcParams) == before
