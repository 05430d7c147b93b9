"""Tests of curriculum.themes: averaging a steering group's scores, weighting, ranking and testing the ranking."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import curriculum
from curriculum.artefacts import write_document
from curriculum.themes import (
    criterion_groups,
    default_weights,
    disagreements,
    plot_ranking,
    plot_score_grid,
    plot_sensitivity,
    plot_swap,
    rank_themes,
    score_matrix,
    select_outputs,
    swap_threshold,
    theme_record,
    theme_sensitivity,
    weights_explorer,
)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures each test draws."""
    yield
    plt.close("all")


@pytest.fixture()
def toy_scores() -> pd.DataFrame:
    """Three themes, two criteria, three scorers; C abstains on Beta."""
    rows = []
    table = {"Alpha": {"Data": (5, 4, 3), "Prevention": (2, 2, 2)},
             "Beta": {"Data": (1, 2, None), "Prevention": (5, 4, None)},
             "Gamma": {"Data": (3, 3, 3), "Prevention": (3, 3, 1)}}
    for theme, by_criterion in table.items():
        for criterion, values in by_criterion.items():
            for scorer, value in zip("ABC", values):
                rows.append({"theme": theme, "criterion": criterion, "scorer": scorer,
                             "score": np.nan if value is None else float(value)})
    return pd.DataFrame(rows)


@pytest.fixture()
def toy_questions() -> pd.DataFrame:
    """Outputs of two themes, with votes (one blank) and more questions than are kept."""
    return pd.DataFrame({
        "theme": ["Alpha"] * 9 + ["Beta"],
        "kind": ["measure of success"] * 3 + ["big question"] * 6 + ["big question"],
        "text": ["M1", "M2", "M3", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "B1"],
        "votes": [1, 5, 3, 0, 4, np.nan, 4, 2, 7, 1],
    })


def _matrix(values, themes=None, criteria=None) -> pd.DataFrame:
    values = np.asarray(values, dtype=float)
    return pd.DataFrame(values, index=themes or [f"T{i}" for i in range(values.shape[0])],
                        columns=criteria or [f"c{j}" for j in range(values.shape[1])])


# ------------------------------------------------------------------------------ groups and weights
@pytest.mark.parametrize("name, group", [("Long term", "ways of working"), ("long-term thinking", "ways of working"),
                                         ("Prevention", "ways of working"), ("INTEGRATION", "ways of working"),
                                         ("Collaboration", "ways of working"), ("Involvement", "ways of working"),
                                         ("Data", "seed criteria"), ("Procurement spend", "seed criteria")])
def test_criterion_groups(name, group):
    """The five ways of working are recognised by their words, in any case; everything else is a seed criterion."""
    assert criterion_groups([name]).iloc[0] == group


def test_default_weights_split_sixty_forty():
    """Four seed criteria share 60% and five ways of working 40%; a single group shares everything equally."""
    w = default_weights(["Data", "Spend", "Proven", "Skills", "Long term", "Prevention", "Integration",
                         "Collaboration", "Involvement"])
    assert np.allclose(w.iloc[:4], 0.15) and np.allclose(w.iloc[4:], 0.08) and w.sum() == pytest.approx(1.0)
    assert np.allclose(default_weights(["Data", "Spend"]), 0.5), "one group: equal weights"
    assert default_weights(["Data", "Prevention"], seed_share=0.25).tolist() == [0.25, 0.75]


@pytest.mark.parametrize("criteria, seed_share, match", [
    ("Data", 0.6, "criteria must be a list"),
    ([], 0.6, "at least one criterion"),
    (["Data", "Data"], 0.6, "each once"),
    (["Data"], 1.5, "seed_share must be a share"),
])
def test_default_weights_errors(criteria, seed_share, match):
    """Bad criteria or shares are refused, naming the argument."""
    with pytest.raises(ValueError, match=match):
        default_weights(criteria, seed_share)


# ------------------------------------------------------------------------------ the score matrix
def test_score_matrix_averages_over_those_who_scored(toy_scores):
    """Means equal an independent pivot table; abstentions are left out, not counted as zero."""
    matrix = score_matrix(toy_scores)
    expected = toy_scores.pivot_table(index="theme", columns="criterion", values="score", aggfunc="mean")
    pd.testing.assert_frame_equal(matrix, expected.loc[matrix.index, matrix.columns], check_names=False)
    assert matrix.loc["Beta", "Data"] == pytest.approx(1.5), "(1 + 2) / 2: C's blank is not a zero"
    assert matrix.attrs["scorers"] == 3 and matrix.attrs["counts"].loc["Beta", "Prevention"] == 2
    assert matrix.index.tolist() == ["Alpha", "Beta", "Gamma"] and matrix.columns.tolist() == ["Data", "Prevention"]


def test_score_matrix_refuses_a_cell_nobody_scored(toy_scores):
    """A theme with no score at all on a criterion cannot be ranked: the message names it."""
    toy_scores.loc[(toy_scores["theme"] == "Gamma") & (toy_scores["criterion"] == "Data"), "score"] = np.nan
    with pytest.raises(ValueError, match="no member scored Gamma on Data"):
        score_matrix(toy_scores)


@pytest.mark.parametrize("bad, error, match", [
    ([1, 2], TypeError, "scores must be a pandas DataFrame"),
    (pd.DataFrame({"theme": ["A"], "score": [1.0]}), ValueError, "criterion"),
    (pd.DataFrame(columns=["theme", "criterion", "scorer", "score"]), ValueError, "empty"),
])
def test_score_matrix_errors(bad, error, match):
    """Inputs that are not a theme_scores dataset are refused with a plain message."""
    with pytest.raises(error, match=match):
        score_matrix(bad)


def test_disagreements_by_hand(toy_scores):
    """Alpha on Data runs 3-5 (gap 2) and Beta on Data 1-2; only Gamma on Prevention (1-3) reaches a gap of 2 too."""
    table = disagreements(toy_scores, min_range=2)
    assert list(zip(table["theme"], table["criterion"])) == [("Alpha", "Data"), ("Gamma", "Prevention")]
    assert table["range"].tolist() == [2.0, 2.0] and table["scorers"].tolist() == [3, 3]
    assert disagreements(toy_scores, min_range=3).empty
    with pytest.raises(ValueError, match="min_range"):
        disagreements(toy_scores, min_range=-1)


# ------------------------------------------------------------------------------ ranking
def test_rank_themes_matches_a_weighted_average():
    """The score is the weighted average of the mean scores, computed independently with numpy."""
    matrix = _matrix([[4, 2, 3], [3, 4, 4], [2, 2, 5]])
    weights = {"c0": 50, "c1": 30, "c2": 20}
    ranking = rank_themes(matrix, weights)
    expected = matrix.to_numpy() @ np.array([0.5, 0.3, 0.2])
    assert np.allclose(ranking["score"].reindex(matrix.index), expected)
    assert ranking.index.tolist() == ["T1", "T0", "T2"] and ranking["rank"].tolist() == [1, 2, 3]
    assert ranking["behind"].iloc[0] == 0 and ranking["behind"].iloc[1] == pytest.approx(expected[1] - expected[0])


def test_rank_themes_ties_share_a_rank():
    """Equal weighted scores share the better rank."""
    ranking = rank_themes(_matrix([[4, 2], [2, 4], [1, 1]]), {"c0": 1, "c1": 1})
    assert ranking["rank"].tolist() == [1, 1, 3]


@pytest.mark.parametrize("weights, match", [({"c0": 1}, "missing: c1"), ({"c0": 1, "c1": -1}, "at least 0"),
                                            ({"c0": 0, "c1": 0}, "must not all be zero"), ([0.5, 0.5], "Series or a dict")])
def test_rank_themes_weight_errors(weights, match):
    """Weights must cover every criterion with non-negative numbers, not all zero."""
    with pytest.raises(ValueError, match=match):
        rank_themes(_matrix([[4, 2], [2, 4]]), weights)


def test_rank_themes_needs_two_complete_themes():
    """One theme, or a missing score, cannot be ranked."""
    with pytest.raises(ValueError, match="at least two themes"):
        rank_themes(_matrix([[4, 2]]), {"c0": 1, "c1": 1})
    with pytest.raises(ValueError, match="missing scores"):
        rank_themes(_matrix([[4, np.nan], [2, 4]]), {"c0": 1, "c1": 1})


# ------------------------------------------------------------------------------ sensitivity
def _two_by_two_threshold(a, b):
    """The share of weight on c0 above which theme a beats theme b (scores on two criteria)."""
    d0, d1 = a[0] - b[0], a[1] - b[1]
    return -d1 / (d0 - d1)


def test_sensitivity_matches_the_beta_distribution():
    """With two criteria, the first weight of a Dirichlet(c*w) draw is Beta(c*w0, c*w1): P(first) has a closed form."""
    a, b = (5.0, 2.0), (2.0, 4.0)  # a wins when the weight on c0 exceeds 0.4
    matrix = _matrix([a, b], themes=["A", "B"])
    t = _two_by_two_threshold(a, b)
    for weights, concentration in (((0.5, 0.5), 30.0), ((0.45, 0.55), 10.0)):
        w = dict(zip(matrix.columns, weights))
        expected = stats.beta.sf(t, concentration * weights[0], concentration * weights[1])
        got = theme_sensitivity(matrix, w, seed=7, n=20000, concentration=concentration).loc["A", "p_first"]
        se = np.sqrt(expected * (1 - expected) / 20000)
        assert abs(got - expected) < 4 * se, f"P(A first) {got:.4f}, Beta closed form {expected:.4f}"
    uniform = theme_sensitivity(matrix, {"c0": 1, "c1": 1}, seed=7, n=20000, concentration=None).loc["A", "p_first"]
    assert uniform == pytest.approx(1 - t, abs=4 * np.sqrt(t * (1 - t) / 20000)), "uniform weights: P = 1 - threshold"


def test_sensitivity_shares_are_consistent_and_reproducible():
    """Shares of first place add up to 1, top three contains first, and the same seed gives the same table."""
    rng = np.random.default_rng(3)
    matrix = _matrix(rng.uniform(1, 5, size=(6, 5)))
    weights = dict(zip(matrix.columns, rng.uniform(0.5, 1.5, 5)))
    table = theme_sensitivity(matrix, weights, seed=11, n=3000)
    assert table["p_first"].sum() == pytest.approx(1.0)
    assert (table["p_top3"] >= table["p_first"]).all() and table["p_top3"].sum() == pytest.approx(3.0)
    assert table.index.tolist() == rank_themes(matrix, weights).index.tolist(), "ordered like the ranking"
    pd.testing.assert_frame_equal(table, theme_sensitivity(matrix, weights, seed=11, n=3000))
    assert table.attrs == {"n": 3000, "seed": 11, "concentration": 30.0}


# ------------------------------------------------------------------------------ the swap threshold
def test_swap_threshold_by_hand():
    """Leader (5, 1) and runner-up (1, 4) at 50/50: the gap 0.5 closes by 7 per unit moved, so 0.5 / 7 moves."""
    matrix = _matrix([[5, 1], [1, 4], [1, 1]], themes=["L", "R", "X"])
    swap = swap_threshold(matrix, {"c0": 1, "c1": 1})
    assert (swap["leader"], swap["runner_up"]) == ("L", "R")
    assert swap["gap"] == pytest.approx(0.5) and swap["moved"] == pytest.approx(0.5 / 7)
    assert swap["to_criterion"] == "c1" and swap["taken"]["c0"] == pytest.approx(0.5 / 7)
    assert swap["first_at_swap"] == "R"


def _greedy(matrix, w):
    """The closed form: take from the leader's best criteria first, give to the runner-up's best."""
    order = (matrix @ w).sort_values(ascending=False).index
    g = matrix.loc[order[0]] - matrix.loc[order[1]]
    gap, to, moved = float(g @ w), g.idxmin(), 0.0
    for c in g.sort_values(ascending=False).index:
        if gap <= 1e-12 or g[c] <= g[to]:
            break
        step = min(w[c], gap / (g[c] - g[to]))
        moved, gap = moved + step, gap - step * (g[c] - g[to])
    return moved if gap <= 1e-9 else np.nan


@pytest.mark.parametrize("seed", range(8))
def test_swap_threshold_agrees_with_the_closed_form_and_ties_the_two(seed):
    """The linear programme's answer equals the greedy closed form, and its new weights tie leader and runner-up."""
    rng = np.random.default_rng(seed)
    matrix = _matrix(rng.integers(1, 6, size=(5, 6)) + rng.uniform(-0.3, 0.3, size=(5, 6)))
    w = pd.Series(rng.dirichlet(np.ones(6) * 3), index=matrix.columns)
    swap = swap_threshold(matrix, w)
    expected = _greedy(matrix, w)
    if np.isnan(expected):
        assert np.isnan(swap["moved"])
        return
    assert swap["moved"] == pytest.approx(expected, abs=1e-7)
    new = swap["new_weights"]
    assert new.min() >= -1e-12 and new.sum() == pytest.approx(1.0)
    assert float(matrix.loc[swap["leader"]] @ new) == pytest.approx(float(matrix.loc[swap["runner_up"]] @ new), abs=1e-7)
    assert (swap["given"] - swap["taken"]).sum() == pytest.approx(0.0, abs=1e-9), "weight is moved, not added"


def test_no_random_weights_swap_the_top_two_with_a_smaller_change():
    """Brute force: among 40,000 random weightings, none that puts the runner-up level is closer than the threshold."""
    rng = np.random.default_rng(42)
    matrix = _matrix([[4.2, 3.9, 2.8, 3.0], [3.1, 3.3, 4.6, 3.6], [3.0, 3.0, 3.0, 3.0]], themes=["L", "R", "X"])
    w = pd.Series([0.3, 0.3, 0.2, 0.2], index=matrix.columns)
    swap = swap_threshold(matrix, w)
    draws = rng.dirichlet(np.ones(4), size=40000)
    level = draws @ matrix.loc["R"].to_numpy() >= draws @ matrix.loc["L"].to_numpy()
    distance = np.abs(draws[level] - w.to_numpy()).sum(axis=1) / 2  # share of the weight moved
    assert level.any(), "some random weightings swap the two"
    assert distance.min() >= swap["moved"] - 1e-9, f"a weighting {distance.min():.4f} away swaps them; LP said {swap['moved']:.4f}"


def test_a_runner_up_that_is_never_better_cannot_swap():
    """If the runner-up is no better on any criterion, no weights bring it level: moved is NaN."""
    swap = swap_threshold(_matrix([[4, 4], [3, 2], [1, 1]]), {"c0": 1, "c1": 1})
    assert np.isnan(swap["moved"]) and swap["to_criterion"] is None


# ------------------------------------------------------------------------------ outputs and the record
def test_select_outputs_keeps_the_most_voted(toy_questions):
    """Two measures and five questions, most votes first (blank votes last), with a count of what was left out."""
    picked = select_outputs(toy_questions, "Alpha")
    assert picked["measures"] == ["M2", "M3"]
    assert picked["questions"] == ["Q6", "Q2", "Q4", "Q5", "Q1"], "ties keep the file's order; blank votes last"
    assert picked["left_out"] == 2
    assert select_outputs(toy_questions.drop(columns="votes"), "Alpha")["questions"][0] == "Q1", "no votes: file order"
    assert select_outputs(toy_questions, "Nothing") == {"measures": [], "questions": [], "left_out": 0}
    with pytest.raises(ValueError, match="max_questions must be a whole number"):
        select_outputs(toy_questions, "Alpha", max_questions=0)


def test_theme_record_sections_and_document(toy_scores, toy_questions, tmp_path):
    """The record has its sections in order, words through translate, and writes as a document."""
    matrix = score_matrix(toy_scores)
    weights = default_weights(matrix.columns)
    ranking = rank_themes(matrix, weights)
    sensitivity = theme_sensitivity(matrix, weights, n=500)
    swap = swap_threshold(matrix, weights)
    sections = theme_record(ranking, sensitivity, weights, toy_questions, ["Alpha", "Beta"], swap, 3,
                            translate=lambda t: t.replace("Theme", "Thema"))
    headings = [h for h, _ in sections]
    assert headings[:4] == ["How the themes were scored", "Weights", "The ranking", "How sure is the ranking?"]
    assert headings[4:] == ["Thema 1: Alpha", "Thema 2: Beta", "Decision"]
    assert "- M2" in sections[4][1] and "- Q6" in sections[4][1]
    md, html = write_document(tmp_path / "themes", "Programme themes", sections, council="Testshire")
    assert "Thema 1: Alpha" in md.read_text(encoding="utf-8") and html.exists()
    with pytest.raises(ValueError, match="chosen must list"):
        theme_record(ranking, sensitivity, weights, toy_questions, ["Zeta"], swap, 3)


# ------------------------------------------------------------------------------ charts and the widget
@pytest.fixture(scope="module")
def cardiff():
    """Cardiff's demo scores as a matrix, with the default weights."""
    scores = curriculum.load("theme_scores", council="Cardiff")
    matrix = score_matrix(scores)
    return scores, matrix, default_weights(matrix.columns)


def test_charts_draw_and_translate_their_words(cardiff):
    """Each chart returns its axes and passes its own words through translate."""
    scores, matrix, weights = cardiff
    seen: list[str] = []

    def tr(text: str) -> str:
        seen.append(text)
        return text

    plot_score_grid(matrix, scores, translate=tr)
    plot_ranking(rank_themes(matrix, weights), translate=tr)
    plot_sensitivity(theme_sensitivity(matrix, weights, n=500), translate=tr)
    ax = plot_swap(matrix, weights, swap_threshold(matrix, weights), translate=tr)
    assert len(ax.get_lines()) >= 2, "two score lines"
    assert {"Average score of the panel (1 weak, 5 strong)", "Weighted average score (1 weak, 5 strong)",
            "In the top three", "Weighted average score"} <= set(seen)


def test_widget_redraws_when_a_slider_moves(cardiff):
    """One slider per criterion; moving one redraws the ranking, and all at zero asks for some weight."""
    _, matrix, weights = cardiff
    box = weights_explorer(matrix, weights)
    controls, view = box.children
    sliders = controls.children[1:]
    assert len(sliders) == len(matrix.columns) and len(view.outputs) == 1
    first = view.outputs[0]["data"]["image/png"]
    sliders[0].value = 30
    assert view.outputs[0]["data"]["image/png"] != first, "the ranking is redrawn"
    for slider in sliders:
        slider.value = 0
    assert "at least one criterion" in view.outputs[0]["text"]


def test_plot_swap_without_a_swap():
    """When no weights bring the runner-up level, the chart says so instead of drawing lines."""
    matrix = _matrix([[4, 4], [3, 2]])
    ax = plot_swap(matrix, {"c0": 1, "c1": 1}, swap_threshold(matrix, {"c0": 1, "c1": 1}))
    assert any("No change of weights" in t.get_text() for t in ax.texts)


def test_module_writes_the_record(tmp_path):
    """The choosing_themes notebook runs for a council and writes the steering group's record beside its report."""
    from curriculum.runner import run_module

    result = run_module("choosing_themes", "Torfaen", out_dir=tmp_path)
    assert result.ok, result.error
    record = tmp_path / "torfaen" / "programme_themes.md"
    assert record.exists(), f"no record in {sorted(p.name for p in (tmp_path / 'torfaen').iterdir())}"
    text = record.read_text(encoding="utf-8")
    assert "Theme 1:" in text and "Measures of success" in text and "Big questions" in text
