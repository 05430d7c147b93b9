"""Tests of curriculum.stakeholders: the power/interest grid, segmentation and broker networks."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from curriculum import stakeholders as sh


@pytest.fixture
def register() -> pd.DataFrame:
    """Eight stakeholders covering the four quadrants and every stance."""
    return pd.DataFrame({
        "stakeholder": ["Ann", "Bob", "Cai", "Dee", "Eve", "Fin", "Gwen", "Huw"],
        "organisation": ["Council"] * 4 + ["Health board", "Forum", "Forum", "Charity"],
        "role": ["Director", "Manager", "Chief Executive", "Officer", "GP", "Chair", "Member", "Worker"],
        "power": [5, 4, 5, 2, 4, 1, 2, 1],
        "interest": [5, 4, 2, 2, 5, 5, 1, 4],
        "stance": ["Champion", "Sceptical", "Neutral", "Supportive", None, "Opposed", "Neutral", "Supportive"],
    })


@pytest.fixture
def survey() -> pd.DataFrame:
    """A survey with three planted groups of 60, 50 and 40 respondents, a few blanks, and the true group."""
    rng = np.random.default_rng(42)
    centres = {0: [4.5, 1.5, 2.0, 1.0], 1: [1.5, 4.5, 4.0, 8.0], 2: [3.0, 3.0, 1.0, 25.0]}
    rows, truth = [], []
    for group, size in zip(centres, (60, 50, 40)):
        c = np.asarray(centres[group])
        block = np.column_stack([np.clip(np.rint(rng.normal(c[:3], 0.5, (size, 3))), 1, 5),
                                 np.maximum(0, np.rint(rng.normal(c[3], 1.5, size)))])
        rows.append(block)
        truth += [group] * size
    frame = pd.DataFrame(np.vstack(rows), columns=["q1", "q2", "q3", "contacts"])
    frame["truth"] = truth
    frame["carer"] = pd.array(frame["truth"] == 1, dtype="boolean")
    frame["age_band"] = np.where(frame["truth"] == 2, "75-84", "35-49")
    blanks = rng.random((len(frame), 3)) < 0.03
    frame[["q1", "q2", "q3"]] = frame[["q1", "q2", "q3"]].mask(blanks)
    frame.index = [f"R{i:03d}" for i in range(len(frame))]
    return frame


QS = ["q1", "q2", "q3", "contacts"]


# ---------------------------------------------------------------- quadrants
def test_classify_quadrant_counts_the_grid():
    """On the 5 x 5 grid, 4 and 5 are high: 4 key players, 6 and 6 on the edges, 9 to monitor."""
    cells = list(itertools.product(range(1, 6), range(1, 6)))
    labels = sh.classify_quadrant([p for p, _ in cells], [i for _, i in cells])
    counts = labels.value_counts().to_dict()
    assert counts == {"Monitor": 9, "Keep satisfied": 6, "Keep informed": 6, "Manage closely": 4}, f"got {counts}"
    for (p, i), label in zip(cells, labels):
        expected = {(True, True): "Manage closely", (True, False): "Keep satisfied",
                    (False, True): "Keep informed", (False, False): "Monitor"}[(p >= 4, i >= 4)]
        assert label == expected, f"power {p}, interest {i} should be {expected!r}, got {label!r}"


def test_classify_quadrant_scalars_series_and_cut():
    """Scalars give text, Series keep their index, and the cut moves the lines."""
    assert sh.classify_quadrant(5, 2) == "Keep satisfied", "power 5, interest 2 should be 'Keep satisfied'"
    assert sh.classify_quadrant(3, 3) == "Monitor", "3 is the middle of the scale, not high"
    assert sh.classify_quadrant(3, 3, cut=2) == "Manage closely", "with cut=2 a 3 counts as high"
    power = pd.Series([5, 1], index=["x", "y"])
    result = sh.classify_quadrant(power, pd.Series([5, 5], index=["x", "y"]))
    assert result.index.tolist() == ["x", "y"], "a Series result should keep power's index"
    assert result.tolist() == ["Manage closely", "Keep informed"], f"got {result.tolist()}"


@pytest.mark.parametrize("power, interest, cut, word", [
    (0, 3, 3, "power"), (6, 3, 3, "power"), (3, 9, 3, "interest"), (float("nan"), 3, 3, "power"),
    ("high", 3, 3, "power"), ([1, 2], [3], 3, "same length"), (3, 3, 7, "cut"),
])
def test_classify_quadrant_rejects_bad_scores(power, interest, cut, word):
    """Missing, out-of-range or mismatched scores raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=word):
        sh.classify_quadrant(power, interest, cut)


def test_power_interest_grid_draws_every_stakeholder(register):
    """One point per stakeholder, none on top of another even with equal scores, in one Axes."""
    tied = pd.concat([register, register.assign(stakeholder=register["stakeholder"] + "2")], ignore_index=True)
    ax = sh.power_interest_grid(tied)
    points = np.vstack([c.get_offsets() for c in ax.collections])
    assert len(points) == len(tied), f"expected {len(tied)} points, got {len(points)}"
    assert len({tuple(np.round(p, 6)) for p in points}) == len(tied), "stakeholders with equal scores should not overlap"
    nearest = np.rint(points)
    assert np.abs(points - nearest).max() <= 0.3 + 1e-9, "a point should stay within the spread (0.3) of its scores"
    drawn = sorted(map(tuple, nearest.astype(int).tolist()))
    assert drawn == sorted(zip(tied["interest"], tied["power"])), "points should sit at the stakeholders' (interest, power) scores"
    plt.close("all")


@pytest.mark.parametrize("change, kwargs, word", [
    ("drop-power", {}, "power"), (None, {"label": "name"}, "name"), (None, {"spread": 0.9}, "spread"),
])
def test_power_interest_grid_rejects_bad_input(register, change, kwargs, word):
    """A missing column or a spread too wide raises ValueError naming it."""
    frame = register.drop(columns="power") if change == "drop-power" else register
    with pytest.raises(ValueError, match=word):
        sh.power_interest_grid(frame, **kwargs)
    plt.close("all")


# ---------------------------------------------------------------- engagement plan
def test_engagement_plan_orders_and_fills(register):
    """Every stakeholder once, in quadrant order, unknown and unfavourable stances first, with the quadrant's engagement."""
    plan = sh.engagement_plan(register)
    assert sorted(plan["stakeholder"]) == sorted(register["stakeholder"]), "every stakeholder exactly once"
    assert plan["priority"].tolist() == list(range(1, len(register) + 1)), "priorities should run 1, 2, ..."
    rank = plan["quadrant"].map(sh.QUADRANTS.index)
    assert rank.is_monotonic_increasing, "rows should be in the order of sh.QUADRANTS"
    for _, row in plan.iterrows():
        assert row["engagement"] == sh.ENGAGEMENT[row["quadrant"]]["engagement"], f"{row['stakeholder']}: wrong engagement level"
    key = plan[plan["quadrant"] == "Manage closely"]["stakeholder"].tolist()
    assert key == ["Eve", "Bob", "Ann"], f"unknown stance first, then sceptical, then champion; got {key}"
    assert plan.set_index("stakeholder").loc["Eve", "action"] == "Find out where they stand", "a blank stance means: find out"


def test_engagement_plan_marks_brokers(register):
    """Brokers keep their quadrant and are asked to carry messages."""
    plan = sh.engagement_plan(register, brokers=["Huw"]).set_index("stakeholder")
    assert plan.loc["Huw", "quadrant"] == "Keep informed", "a broker keeps their quadrant"
    assert "Broker" in plan.loc["Huw", "action"] and "Broker" not in plan.loc["Gwen", "action"], "only brokers get the broker action"


@pytest.mark.parametrize("change, kwargs, word", [
    ("repeat", {}, "once"), ("drop-interest", {}, "interest"), (None, {"brokers": ["Zed"]}, "brokers"),
    (None, {"key": "name"}, "name"),
])
def test_engagement_plan_rejects_bad_input(register, change, kwargs, word):
    """Repeated names, missing columns and unknown brokers raise ValueError."""
    frame = register.copy()
    if change == "repeat":
        frame.loc[1, "stakeholder"] = "Ann"
    if change == "drop-interest":
        frame = frame.drop(columns="interest")
    with pytest.raises(ValueError, match=word):
        sh.engagement_plan(frame, **kwargs)


# ---------------------------------------------------------------- scaling and silhouettes
def test_scaled_features_matches_hand_computation(survey):
    """Median-filled, then (x - mean) / population SD, computed independently with numpy."""
    got = sh.scaled_features(survey, QS)
    values = survey[QS].to_numpy(dtype=float)
    medians = np.nanmedian(values, axis=0)
    filled = np.where(np.isnan(values), medians, values)
    expected = (filled - filled.mean(axis=0)) / filled.std(axis=0)
    assert got.index.equals(survey.index) and list(got.columns) == QS, "keep the survey's rows and the columns asked for"
    assert np.allclose(got.to_numpy(), expected, atol=1e-12), "should equal median fill then z-scores with ddof=0"


@pytest.mark.parametrize("change, columns, word", [
    (None, ["q1", "nope"], "nope"), (None, ["q1", "age_band"], "age_band"), ("empty", ["q1", "q2"], "q2"),
    ("one-row", ["q1"], "two respondents"), (None, [], "at least one"),
])
def test_scaled_features_rejects_bad_columns(survey, change, columns, word):
    """Missing, text or empty columns, and a single respondent, raise ValueError."""
    frame = survey.copy()
    if change == "empty":
        frame["q2"] = np.nan
    if change == "one-row":
        frame = frame.iloc[:1]
    with pytest.raises(ValueError, match=word):
        sh.scaled_features(frame, columns)


def _silhouette_by_hand(X: np.ndarray, labels: np.ndarray) -> float:
    """Rousseeuw's silhouette, written out with a distance matrix."""
    d = cdist(X, X)
    scores = []
    for i in range(len(X)):
        own = labels == labels[i]
        if own.sum() == 1:
            scores.append(0.0)
            continue
        a = d[i, own].sum() / (own.sum() - 1)
        b = min(d[i, labels == other].mean() for other in set(labels) - {labels[i]})
        scores.append((b - a) / max(a, b))
    return float(np.mean(scores))


def test_silhouette_by_k_agrees_with_hand_computation(survey):
    """Each value is the silhouette of a seeded KMeans fit, computed independently from distances."""
    X = sh.scaled_features(survey, QS).to_numpy()
    got = sh.silhouette_by_k(X, [2, 3, 4], seed=7)
    assert got.index.tolist() == [2, 3, 4], "one value per k, indexed by k"
    for k in (2, 3, 4):
        labels = KMeans(n_clusters=k, n_init=10, random_state=7).fit_predict(X)
        expected = _silhouette_by_hand(X, labels)
        assert got[k] == pytest.approx(expected, abs=1e-9), f"k={k}: {got[k]:.4f} differs from the hand value {expected:.4f}"
    assert got.idxmax() == 3, f"three planted groups should give the best silhouette at k=3, got {got.to_dict()}"


@pytest.mark.parametrize("kwargs, word", [
    ({"k_range": [1, 2]}, "at least 2"), ({"k_range": []}, "at least 2"), ({"k_range": [2, 500]}, "respondents"),
    ({"k_range": ["two"]}, "whole numbers"), ({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"), ({"seed": True}, "seed"),
])
def test_silhouette_by_k_rejects_bad_arguments(survey, kwargs, word):
    """Impossible numbers of segments and bad seeds raise ValueError naming them."""
    X = sh.scaled_features(survey, QS)
    with pytest.raises(ValueError, match=word):
        sh.silhouette_by_k(X, **kwargs)


def test_silhouette_by_k_rejects_gaps(survey):
    """Unfilled answers are refused with a pointer to scaled_features."""
    with pytest.raises(ValueError, match="scaled_features"):
        sh.silhouette_by_k(survey[QS].to_numpy(dtype=float))


# ---------------------------------------------------------------- segmentation
def test_segment_respondents_recovers_planted_groups(survey):
    """Every respondent gets one segment, k comes from the range, and the planted groups are found."""
    result = sh.segment_respondents(survey, QS, k_range=range(2, 7), seed=3)
    assert isinstance(result, sh.Segmentation), "should return a Segmentation"
    assert result.k in range(2, 7), f"k={result.k} is outside the range tried"
    assert result.labels.index.equals(survey.index) and result.labels.notna().all(), "every respondent in one segment"
    assert set(result.labels) == set(range(1, result.k + 1)), "segments are numbered 1 to k"
    ari = adjusted_rand_score(survey["truth"], result.labels)
    assert result.k == 3 and ari > 0.9, f"three well separated groups should be found (k={result.k}, ARI={ari:.2f})"
    sizes = result.labels.value_counts().sort_index()
    assert sizes.is_monotonic_decreasing, f"segment 1 should be the largest: {sizes.to_dict()}"
    assert result.silhouettes.idxmax() == result.k, "k should be the best silhouette when k is not given"


def test_segment_respondents_centres_differ_and_match_members(survey):
    """Segment centres are the members' means (after median fill) and differ between segments."""
    result = sh.segment_respondents(survey, QS, seed=3)
    filled = survey[QS].fillna(survey[QS].median())
    expected = filled.groupby(result.labels).mean()
    assert np.allclose(result.centres.loc[expected.index].to_numpy(), expected.to_numpy()), "centres should be the segments' means"
    spread = result.centres.max() - result.centres.min()
    assert (spread > 1).sum() >= 3, f"segment means should differ clearly on most answers: {spread.round(2).to_dict()}"


def test_segment_respondents_is_reproducible(survey):
    """The same seed gives the same segments; a fixed k is honoured."""
    first = sh.segment_respondents(survey, QS, seed=11)
    again = sh.segment_respondents(survey, QS, seed=11)
    assert first.labels.equals(again.labels), "the same data and seed should give the same segments"
    forced = sh.segment_respondents(survey, QS, k=5, seed=11)
    assert forced.k == 5 and forced.labels.nunique() == 5, "k=5 should give five segments"
    assert 5 in forced.silhouettes.index, "a fixed k is among the silhouettes reported"


@pytest.mark.parametrize("kwargs, word", [
    ({"columns": ["q1", "missing"]}, "missing"), ({"columns": ["age_band"]}, "age_band"),
    ({"k_range": [1]}, "at least 2"), ({"k": 1000}, "respondents"), ({"seed": -3}, "seed"),
])
def test_segment_respondents_rejects_bad_arguments(survey, kwargs, word):
    """Bad columns, numbers of segments and seeds raise ValueError naming them."""
    arguments = {"columns": QS, **kwargs}
    with pytest.raises(ValueError, match=word):
        sh.segment_respondents(survey, **arguments)


def test_describe_segments_profiles(survey):
    """Sizes add up; means, flag shares and most common categories match a direct groupby."""
    labels = pd.Series(survey["truth"] + 1, index=survey.index)
    profile = sh.describe_segments(survey, labels, QS, flags=["carer"], categories=["age_band"])
    assert profile["respondents"].sum() == len(survey), "segment sizes should add up to the respondents"
    assert profile["share"].sum() == pytest.approx(1.0), "shares should add up to 1"
    assert np.allclose(profile[QS].to_numpy(), survey[QS].groupby(labels).mean().to_numpy()), "means should skip blanks"
    assert profile["carer_share"].tolist() == [0.0, 1.0, 0.0], f"carers are planted in group 2: {profile['carer_share'].tolist()}"
    assert profile.loc[3, "age_band_most_common"] == "75-84" and profile.loc[3, "age_band_most_common_share"] == 1.0, \
        "group 3 is all aged 75-84"


def test_describe_segments_rejects_misaligned_labels(survey):
    """Labels that do not cover every respondent raise ValueError."""
    with pytest.raises(ValueError, match="labels"):
        sh.describe_segments(survey, pd.Series([1] * 5), QS)


def test_describe_in_words_names_what_sets_segments_apart(survey):
    """One description per segment, with its size and the answers that set it apart."""
    labels = pd.Series(survey["truth"] + 1, index=survey.index)
    words = sh.describe_in_words(survey, labels, QS, names={"q1": "Q one", "contacts": "contacts"},
                                 flags={"carer": "are carers"}, categories={"age_band": "most often aged"})
    assert words.index.tolist() == [1, 2, 3], "one description per segment"
    assert words[1].startswith("Segment 1: 60 respondents (40%)."), f"the size comes first: {words[1][:60]}"
    assert "higher on Q one" in words[1], f"group 1 answers q1 highest: {words[1]}"
    assert "100% are carers" in words[2], f"group 2 are all carers: {words[2]}"
    assert "Most often aged 75-84 (100%)" in words[3], f"group 3 are aged 75-84: {words[3]}"
    with pytest.raises(ValueError, match="top"):
        sh.describe_in_words(survey, labels, QS, top=0)


# ---------------------------------------------------------------- networks
@pytest.fixture
def two_teams() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two cliques of four joined only through one broker, plus one person with no connection."""
    people = pd.DataFrame({"stakeholder": list("ABCDEFGHXZ"), "power": [5, 4, 3, 2, 5, 4, 3, 2, 1, 3],
                           "role": ["r"] * 10, "organisation": ["o"] * 10, "interest": [3] * 10})
    left, right = list("ABCD"), list("EFGH")
    pairs = list(itertools.combinations(left, 2)) + list(itertools.combinations(right, 2)) + [("X", "A"), ("X", "E")]
    links = pd.DataFrame(pairs, columns=["source", "target"]).assign(kind="works with")
    return people, links


def test_build_network_nodes_edges_and_kinds(two_teams):
    """Every stakeholder is a node; repeated pairs merge into one edge listing every kind, either way round."""
    people, links = two_teams
    extra = pd.DataFrame({"source": ["B"], "target": ["A"], "kind": ["knows personally"]})
    graph = sh.build_network(people, pd.concat([links, extra], ignore_index=True))
    assert set(graph.nodes) == set(people["stakeholder"]), "every stakeholder should be a node, Z too"
    assert graph.degree["Z"] == 0, "Z has no connection"
    assert graph.number_of_edges() == len(links), "the repeated A-B pair should be one edge"
    assert graph.edges["A", "B"]["kind"] == "works with, knows personally", f"kinds should merge: {graph.edges['A', 'B']}"
    assert graph.nodes["A"]["power"] == 5, "stakeholder columns become node attributes"


@pytest.mark.parametrize("change, word", [
    ("unknown", "not in the stakeholder table"), ("loop", "themselves"), ("repeat", "once"), ("no-target", "target"),
])
def test_build_network_rejects_bad_tables(two_teams, change, word):
    """Unknown names, self-loops, repeated stakeholders and missing columns raise ValueError."""
    people, links = two_teams
    if change == "unknown":
        links = pd.concat([links, pd.DataFrame({"source": ["A"], "target": ["Nobody"], "kind": ["x"]})])
    if change == "loop":
        links = pd.concat([links, pd.DataFrame({"source": ["A"], "target": ["A"], "kind": ["x"]})])
    if change == "repeat":
        people = pd.concat([people, people.iloc[[0]]])
    if change == "no-target":
        links = links.drop(columns="target")
    with pytest.raises(ValueError, match=word):
        sh.build_network(people, links)


def test_betweenness_closed_form_on_a_path():
    """On a path of n people, person i lies on i * (n - 1 - i) shortest paths (normalised by (n-1)(n-2)/2)."""
    n = 7
    people = pd.DataFrame({"stakeholder": [f"P{i}" for i in range(n)]})
    links = pd.DataFrame({"source": [f"P{i}" for i in range(n - 1)], "target": [f"P{i + 1}" for i in range(n - 1)]})
    table = sh.broker_table(sh.build_network(people, links, kind=None), attributes=())
    for i in range(n):
        expected = i * (n - 1 - i) / ((n - 1) * (n - 2) / 2)
        assert table.loc[f"P{i}", "betweenness"] == pytest.approx(expected), f"P{i} should have betweenness {expected:.3f}"
    assert table.index[0] == "P3", "the middle of the path is the top broker"


def test_broker_table_matches_counting_shortest_paths(two_teams):
    """Betweenness equals the share of shortest paths through each person, counted one by one."""
    people, links = two_teams
    graph = sh.build_network(people, links)
    table = sh.broker_table(graph)
    nodes = list(graph.nodes)
    counted = dict.fromkeys(nodes, 0.0)
    for s, t in itertools.combinations(nodes, 2):
        if not nx.has_path(graph, s, t):
            continue
        paths = list(nx.all_shortest_paths(graph, s, t))
        for v in nodes:
            if v not in (s, t):
                counted[v] += sum(v in p for p in paths) / len(paths)
    n = len(nodes)
    for v in nodes:
        assert table.loc[v, "betweenness"] == pytest.approx(counted[v] / ((n - 1) * (n - 2) / 2)), f"{v}: wrong betweenness"
    assert table.index[0] == "X", f"X, the only link between the teams, is the top broker: {table.index[:3].tolist()}"
    assert table.loc["X", "degree"] == 2 and table.loc["X", "communities_reached"] == 2, "X reaches both teams' communities"
    assert table.loc["A", "degree"] > table.loc["X", "degree"], "the top broker need not know the most people"
    assert list(table.columns) == ["betweenness", "degree", "communities_reached", "organisation", "role", "power", "interest"]
    assert len(sh.broker_table(graph, top=3)) == 3, "top=3 keeps three rows"


def test_network_communities_split_the_teams(two_teams):
    """Two cliques joined through one person fall into separate communities."""
    people, links = two_teams
    communities = sh.network_communities(sh.build_network(people, links))
    assert communities[list("ABCD")].nunique() == 1 and communities[list("EFGH")].nunique() == 1, "each team is one community"
    assert communities["A"] != communities["E"], "the two teams are different communities"
    assert communities["Z"] not in communities[list("ABCDEFGHX")].tolist(), "an unconnected person is a community of one"


@pytest.mark.parametrize("call, word", [
    (lambda g: sh.broker_table(g, top=0), "top"), (lambda g: sh.broker_table(nx.Graph()), "graph"),
    (lambda g: sh.network_communities("graph"), "graph"), (lambda g: sh.draw_network(g, brokers=["Nobody"]), "brokers"),
    (lambda g: sh.draw_network(nx.Graph()), "graph"),
])
def test_network_functions_reject_bad_arguments(two_teams, call, word):
    """Bad graphs, tops and brokers raise ValueError naming them."""
    people, links = two_teams
    with pytest.raises(ValueError, match=word):
        call(sh.build_network(people, links))
    plt.close("all")


def test_draw_network_returns_axes(two_teams):
    """The drawing is an Axes with the broker labelled by name and role."""
    people, links = two_teams
    ax = sh.draw_network(sh.build_network(people, links), brokers=["X"], colour_by="organisation")
    texts = [t.get_text() for t in ax.texts]
    assert "X\nr" in texts, f"the broker should be labelled with name and role, got {texts}"
    plt.close("all")
