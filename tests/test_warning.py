"""Tests of curriculum.warning: temporal splits, threshold tables, group error rates, calibration, drift, rules.

Counts and rates are checked against independent computations: scikit-learn's
confusion_matrix, precision_recall_curve and roc_curve for the threshold table, confusion
matrices of each group's rows and scipy's Wilson intervals for the group table, a
statsmodels logistic regression (whose fitted risks add up to the observed cases) for
calibration, and the closed-form standardised mean difference for drift.
"""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import statsmodels.api as sm  # noqa: E402
from scipy.stats import binomtest  # noqa: E402
from sklearn.metrics import confusion_matrix, precision_recall_curve, roc_curve  # noqa: E402

from curriculum import warning as wn  # noqa: E402


@pytest.fixture
def scored() -> pd.DataFrame:
    """Two years of 1,500 records with an outcome, a feature, a noisy risk score, an area and a period."""
    rng = np.random.default_rng(11)
    n = 1500
    x = rng.normal(0, 1, n)
    y = rng.random(n) < 1 / (1 + np.exp(-(-2.0 + 1.2 * x)))
    return pd.DataFrame({
        "period": rng.choice(["2022-23", "2023-24"], n),
        "area": rng.choice(["Aber", "Bryn", "Cwm"], n, p=[0.5, 0.3, 0.2]),
        "x": x,
        "y": y,
        "score": np.round(1 / (1 + np.exp(-(-2.0 + 1.0 * x + rng.normal(0, 0.5, n)))), 3),  # rounded: ties occur
    })


# ---------------------------------------------------------------------- temporal_split
def test_temporal_split_keeps_whole_periods(scored):
    """The training rows are the training periods', the test rows the test period's, and nothing else."""
    learn, test = wn.temporal_split(scored, "period", "2022-23", "2023-24")
    assert set(learn["period"]) == {"2022-23"} and set(test["period"]) == {"2023-24"}, "each frame holds its own period"
    assert len(learn) + len(test) == len(scored), "every row lands in one frame"
    assert learn.index.intersection(test.index).empty, "no row in both frames"
    pd.testing.assert_frame_equal(test, scored[scored["period"] == "2023-24"])


def test_temporal_split_takes_lists_of_periods():
    """Several training periods are allowed, as long as the test period comes after all of them."""
    frame = pd.DataFrame({"year": [2021, 2022, 2023, 2024], "v": range(4)})
    learn, test = wn.temporal_split(frame, "year", [2021, 2022], [2024])
    assert learn["v"].tolist() == [0, 1] and test["v"].tolist() == [3], "2023 is in neither frame"


def test_temporal_split_can_skip_the_order_check():
    """require_later=False lets a test period come first (for backcasting, knowingly)."""
    frame = pd.DataFrame({"period": ["b", "a"], "v": [1, 2]})
    learn, test = wn.temporal_split(frame, "period", "b", "a", require_later=False)
    assert learn["v"].tolist() == [1] and test["v"].tolist() == [2]


@pytest.mark.parametrize("frame, period_col, train, test, word", [
    ("not a frame", "period", "2022-23", "2023-24", "frame"),
    (None, "year", "2022-23", "2023-24", "period_col"),
    (None, "period", "2022-23", "2022-23", "share"),
    (None, "period", ["2022-23", "2023-24"], "2023-24", "share"),
    (None, "period", "2023-24", "2022-23", "after"),
    (None, "period", "2021-22", "2023-24", "train period"),
    (None, "period", "2022-23", "2024-25", "test period"),
    (None, "period", [], "2023-24", "train"),
    (None, "period", "2022-23", None, "test"),
])
def test_temporal_split_rejects_bad_splits(scored, frame, period_col, train, test, word):
    """Overlapping, backwards or unknown periods and bad arguments raise ValueError naming the problem."""
    with pytest.raises(ValueError, match=word):
        wn.temporal_split(scored if frame is None else frame, period_col, train, test)


# ---------------------------------------------------------------------- threshold_table
def test_threshold_table_matches_confusion_matrix(scored):
    """At every threshold, including values that tie with scores, the counts are scikit-learn's (score >= threshold)."""
    thresholds = [0.05, 0.1, scored["score"].iloc[0], 0.2, 0.35, 0.5, 0.9, 1.5]
    table = wn.threshold_table(scored["y"], scored["score"], thresholds)
    assert list(table.index) == thresholds, "one row per threshold, in the order given"
    for t, row in table.iterrows():
        tn, fp, fn, tp = confusion_matrix(scored["y"], scored["score"] >= t, labels=[False, True]).ravel()
        assert (row["tp"], row["fp"], row["fn"], row["tn"]) == (tp, fp, fn, tn), f"counts differ at threshold {t}"
        assert row["flagged"] == tp + fp and row["flagged_per_1000"] == pytest.approx((tp + fp) / len(scored) * 1000)


def test_threshold_table_matches_precision_recall_curve(scored):
    """At scikit-learn's own thresholds, precision and recall equal precision_recall_curve's."""
    precision, recall, thresholds = precision_recall_curve(scored["y"], scored["score"])
    table = wn.threshold_table(scored["y"], scored["score"], thresholds)
    np.testing.assert_allclose(table["precision"], precision[:-1], err_msg="precision differs from scikit-learn's")
    np.testing.assert_allclose(table["recall"], recall[:-1], err_msg="recall differs from scikit-learn's")


def test_threshold_table_false_positive_rate_matches_roc_curve(scored):
    """The false positive rate and recall are roc_curve's false and true positive rates at its thresholds."""
    fpr, tpr, thresholds = roc_curve(scored["y"], scored["score"], drop_intermediate=False)
    finite = np.isfinite(thresholds)
    table = wn.threshold_table(scored["y"], scored["score"], thresholds[finite])
    np.testing.assert_allclose(table["false_positive_rate"], fpr[finite], err_msg="FPR differs from roc_curve")
    np.testing.assert_allclose(table["recall"], tpr[finite], err_msg="recall differs from roc_curve's TPR")


def test_false_alarms_per_true_case_follow_from_precision(scored):
    """False alarms per true case is FP / TP, which is (1 - precision) / precision."""
    table = wn.threshold_table(scored["y"], scored["score"], [0.1, 0.2, 0.3])
    np.testing.assert_allclose(table["false_alarms_per_true_case"], table["fp"] / table["tp"])
    np.testing.assert_allclose(table["false_alarms_per_true_case"], (1 - table["precision"]) / table["precision"])


def test_threshold_table_edge_cases():
    """Nobody flagged gives NaN precision; flags without a true case give infinite false alarms; no true case, NaN recall."""
    table = wn.threshold_table([True, False, False], [0.1, 0.9, 0.2], [0.95, 0.5])
    assert np.isnan(table.loc[0.95, "precision"]) and np.isnan(table.loc[0.95, "false_alarms_per_true_case"]), \
        "with nobody flagged, precision and false alarms per true case are undefined"
    assert np.isinf(table.loc[0.5, "false_alarms_per_true_case"]), "one false alarm and no true case found is infinite"
    none = wn.threshold_table([0, 0, 0], [0.1, 0.5, 0.9], 0.5)
    assert np.isnan(none.loc[0.5, "recall"]) and none.loc[0.5, "fp"] == 2, "without true cases recall is undefined"


@pytest.mark.parametrize("y_true, scores, thresholds, word", [
    ([1, 0, 2], [0.1, 0.2, 0.3], [0.5], "y_true"),
    ([1, 0, None], [0.1, 0.2, 0.3], [0.5], "y_true"),
    (["Y", "N", "Y"], [0.1, 0.2, 0.3], [0.5], "y_true"),
    ([1, 0, 1], [0.1, 0.2], [0.5], "scores"),
    ([1, 0, 1], [0.1, np.nan, 0.3], [0.5], "scores"),
    ([1, 0, 1], ["a", "b", "c"], [0.5], "scores"),
    ([1, 0, 1], [0.1, 0.2, 0.3], [], "thresholds"),
    ([1, 0, 1], [0.1, 0.2, 0.3], [np.nan], "thresholds"),
    ([1, 0, 1], [0.1, 0.2, 0.3], "0.5", "thresholds"),
])
def test_threshold_table_rejects_bad_input(y_true, scores, thresholds, word):
    """Outcomes that are not True/False, scores that are not finite numbers, or no thresholds raise ValueError."""
    with pytest.raises(ValueError, match=word):
        wn.threshold_table(y_true, scores, thresholds)


# ---------------------------------------------------------------------- group_error_rates
def test_group_error_rates_match_each_groups_confusion_matrix(scored):
    """Each group's counts are the confusion matrix of its own rows, and its rates follow from them."""
    frame = scored.assign(flag=scored["score"] >= 0.2)
    table = wn.group_error_rates(frame, "area", "y", "flag")
    assert list(table.index) == ["Aber", "Bryn", "Cwm"], "one row per area, sorted"
    for area, rows in frame.groupby("area"):
        tn, fp, fn, tp = confusion_matrix(rows["y"], rows["flag"], labels=[False, True]).ravel()
        got = table.loc[area]
        assert (got["tp"], got["fp"], got["fn"], got["tn"]) == (tp, fp, fn, tn), f"{area}: counts differ"
        assert got["recall"] == pytest.approx(tp / (tp + fn)) and got["false_positive_rate"] == pytest.approx(fp / (fp + tn))
        assert got["n"] == len(rows) and got["true_cases"] == rows["y"].sum()


def test_group_error_rates_wilson_intervals_match_scipy(scored):
    """The recall and false positive rate intervals are scipy's Wilson score intervals."""
    frame = scored.assign(flag=scored["score"] >= 0.2)
    table = wn.group_error_rates(frame, "area", "y", "flag", alpha=0.1)
    for area, got in table.iterrows():
        ci = binomtest(int(got["tp"]), int(got["true_cases"])).proportion_ci(confidence_level=0.9, method="wilson")
        assert (got["recall_low"], got["recall_high"]) == pytest.approx((ci.low, ci.high)), f"{area}: recall interval"
        ci = binomtest(int(got["fp"]), int(got["fp"] + got["tn"])).proportion_ci(confidence_level=0.9, method="wilson")
        assert (got["fpr_low"], got["fpr_high"]) == pytest.approx((ci.low, ci.high)), f"{area}: FPR interval"


def test_group_error_rates_label_blank_groups_and_empty_rates():
    """Blank groups are 'not recorded'; a group without true cases has NaN recall and no interval."""
    frame = pd.DataFrame({"g": ["a", None, "a", "b"], "y": [1, 0, 0, 0], "f": [1, 1, 0, 0]})
    table = wn.group_error_rates(frame, "g", "y", "f")
    assert wn.NOT_RECORDED in table.index and table.loc[wn.NOT_RECORDED, "fp"] == 1, "the blank group is kept and named"
    assert np.isnan(table.loc["b", "recall"]) and np.isnan(table.loc["b", "recall_low"]), "no true cases: recall undefined"


@pytest.mark.parametrize("kwargs, word", [
    ({"group": "ward"}, "group"),
    ({"y_true": "outcome"}, "y_true"),
    ({"y_flag": "x"}, "y_flag"),
    ({"alpha": 1.5}, "alpha"),
])
def test_group_error_rates_rejects_bad_arguments(scored, kwargs, word):
    """Missing columns, a flag that is not True/False and a bad alpha raise ValueError naming the argument."""
    arguments = dict(group="area", y_true="y", y_flag="flag", alpha=0.05) | kwargs
    with pytest.raises(ValueError, match=word):
        wn.group_error_rates(scored.assign(flag=scored["score"] > 0.2), **arguments)


# ---------------------------------------------------------------------- calibration
def test_calibration_of_a_fitted_logistic_regression(scored):
    """On its own data, a logistic regression's risks add up to the observed cases (statsmodels' fit): ratio 1."""
    fit = sm.Logit(scored["y"].astype(float), sm.add_constant(scored[["x"]])).fit(disp=0)
    frame = scored.assign(risk=fit.predict(sm.add_constant(scored[["x"]])))
    overall = wn.calibration_by_group(frame, None, "y", "risk")
    assert list(overall.index) == ["all"] and overall.loc["all", "ratio"] == pytest.approx(1.0, abs=1e-6)
    assert bool(overall.loc["all", "calibrated"]), "a score fitted on these records is calibrated on them"
    by_area = wn.calibration_by_group(frame, "area", "y", "risk")
    assert by_area["expected"].sum() == pytest.approx(frame["risk"].sum()), "expected cases are sums of risks"
    assert (by_area["observed"] == frame.groupby("area")["y"].sum()).all()


def test_calibration_detects_over_prediction(scored):
    """Risks twice too high give a ratio near one half and fail the check."""
    fit = sm.Logit(scored["y"].astype(float), sm.add_constant(scored[["x"]])).fit(disp=0)
    frame = scored.assign(risk=np.clip(2 * fit.predict(sm.add_constant(scored[["x"]])), 0, 1))
    table = wn.calibration_by_group(frame, None, "y", "risk")
    assert table.loc["all", "ratio"] < 0.6 and not table.loc["all", "calibrated"], "over-prediction should be caught"


@pytest.mark.parametrize("kwargs, word", [
    ({"score": "x"}, "probabilities"),
    ({"score": "missing"}, "score"),
    ({"group": "ward"}, "group"),
    ({"alpha": 0}, "alpha"),
])
def test_calibration_rejects_bad_arguments(scored, kwargs, word):
    """Scores outside 0-1, missing columns and a bad alpha raise ValueError."""
    arguments = dict(group="area", y_true="y", score="score", alpha=0.05) | kwargs
    with pytest.raises(ValueError, match=word):
        wn.calibration_by_group(scored, **arguments)


# ---------------------------------------------------------------------- drift
def test_drift_table_standardised_differences(scored):
    """The SMD is (mean after - mean before) / sqrt((var before + var after) / 2), and True/False columns count too."""
    shifted = scored.assign(x=scored["x"] + np.where(scored["period"] == "2023-24", 0.5, 0.0))
    table = wn.drift_table(shifted, "period", "2022-23", "2023-24", ["x", "y"])
    a = shifted.loc[shifted["period"] == "2022-23", "x"]
    b = shifted.loc[shifted["period"] == "2023-24", "x"]
    expected = (b.mean() - a.mean()) / np.sqrt((a.var() + b.var()) / 2)
    assert table.loc["x", "smd"] == pytest.approx(expected), "SMD differs from the closed form"
    assert table.loc["x", "shifted"] and table.loc["x", "mean_after"] == pytest.approx(b.mean())
    assert 0 <= table.loc["y", "mean_before"] <= 1, "a True/False column's mean is a share"


@pytest.mark.parametrize("kwargs, word", [
    ({"columns": "x"}, "columns"),
    ({"columns": ["area"]}, "area"),
    ({"columns": ["nope"]}, "columns"),
    ({"threshold": -1}, "threshold"),
    ({"after": "2022-23"}, "share"),
])
def test_drift_table_rejects_bad_arguments(scored, kwargs, word):
    """Text columns, missing columns, a bad threshold or overlapping periods raise ValueError."""
    arguments = dict(period_col="period", before="2022-23", after="2023-24", columns=["x"]) | kwargs
    with pytest.raises(ValueError, match=word):
        wn.drift_table(scored, **arguments)


# ---------------------------------------------------------------------- deployment_checks
def test_deployment_checks_apply_each_limit():
    """Each limit gives a row; small groups are not judged (NA); a group below the recall gap fails."""
    overall = pd.Series({"recall": 0.6, "false_alarms_per_true_case": 2.5})
    groups = pd.DataFrame({"true_cases": [40, 30, 5], "recall": [0.65, 0.40, 0.0]}, index=["Aber", "Bryn", "Cwm"])
    calibration = pd.DataFrame({"observed": [40, 30], "ratio": [1.1, 0.6]}, index=["Aber", "Bryn"])
    drift = pd.DataFrame({"smd": [0.05, -0.4]}, index=["x", "z"])
    checks = wn.deployment_checks(overall, groups, calibration, drift)
    assert len(checks) == 2 + 3 + 2 + 2, "one row per limit, group, calibration group and drifting column"
    passed = dict(zip(checks["check"], checks["passed"]))
    assert passed["false alarms per true case"] and passed["recall (share of true cases flagged)"]
    assert not passed["recall in Bryn (30 true cases)"], "0.40 is more than 0.15 below the overall 0.6"
    assert pd.isna(passed["recall in Cwm (5 true cases)"]), "5 true cases are too few to judge"
    assert not passed["observed / predicted in Bryn"] and passed["observed / predicted in Aber"]
    assert not passed["drift in z (standardised difference)"]
    assert int((~checks["passed"].fillna(True)).sum()) == 3, "Bryn's recall, Bryn's calibration and z's drift fail"


def test_deployment_checks_on_a_good_flag_pass():
    """A flag within every limit passes every check."""
    checks = wn.deployment_checks({"recall": 0.7, "false_alarms_per_true_case": 1.5},
                                  pd.DataFrame({"true_cases": [20], "recall": [0.68]}, index=["Aber"]))
    assert checks["passed"].all(), checks


@pytest.mark.parametrize("kwargs, word", [
    ({"overall": {"recall": 0.5}}, "false_alarms_per_true_case"),
    ({"max_false_alarms": -1}, "max_false_alarms"),
    ({"min_recall": 1.5}, "min_recall"),
    ({"max_recall_gap": -0.1}, "max_recall_gap"),
    ({"min_cases": 0}, "min_cases"),
    ({"max_miscalibration": 0.5}, "max_miscalibration"),
    ({"max_drift": 0}, "max_drift"),
    ({"by_group": pd.DataFrame({"recall": [0.5]})}, "true_cases"),
])
def test_deployment_checks_reject_bad_arguments(kwargs, word):
    """A row without the needed rates, limits out of range or a table without its columns raise ValueError."""
    arguments = dict(overall={"recall": 0.6, "false_alarms_per_true_case": 2.0}) | kwargs
    with pytest.raises(ValueError, match=word):
        wn.deployment_checks(**arguments)


# ---------------------------------------------------------------------- charts and import
def test_charts_draw(scored):
    """Both charts draw on new axes and return them."""
    tables = {"later": wn.threshold_table(scored["y"], scored["score"], np.round(np.arange(0.05, 0.6, 0.05), 2))}
    ax = wn.plot_false_alarms(tables, mark=0.2, title="t")
    assert ax.get_xlabel().startswith("Recall") and len(ax.lines) == 1
    by_area = wn.group_error_rates(scored.assign(flag=scored["score"] >= 0.2), "area", "y", "flag")
    axes = wn.plot_group_error_rates(by_area, overall=tables["later"].loc[0.2])
    assert len(axes) == 2, "one panel for recall, one for the false positive rate"
    assert {t.get_text() for t in axes[0].get_yticklabels()} == {"Aber", "Bryn", "Cwm"}, "one row per area"
    plt.close("all")


@pytest.mark.parametrize("call, word", [
    (lambda: wn.plot_false_alarms({}), "tables"),
    (lambda: wn.plot_false_alarms({"a": pd.DataFrame({"recall": [0.5]})}), "false_alarms_per_true_case"),
    (lambda: wn.plot_group_error_rates(pd.DataFrame()), "table"),
])
def test_charts_reject_bad_tables(call, word):
    """Empty or incomplete tables raise ValueError naming what is missing."""
    with pytest.raises(ValueError, match=word):
        call()


def test_import_changes_nothing():
    """Importing curriculum.warning loads neither matplotlib nor statsmodels."""
    code = "import sys, curriculum.warning; print('matplotlib' in sys.modules, 'statsmodels' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"], f"importing loaded matplotlib/statsmodels: {out}"
