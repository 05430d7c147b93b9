"""Tests of curriculum.theory_of_change: building, checking, drawing and exporting a theory of change."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from curriculum import theory_of_change as toc  # noqa: E402
from curriculum.artefacts import write_document  # noqa: E402


def _table(rows) -> pd.DataFrame:
    """A theory of change table from (id, level, leads_to, indicator, assumption) tuples."""
    frame = pd.DataFrame(rows, columns=["element_id", "level", "leads_to", "indicator", "assumption"])
    frame["description"] = "Element " + frame["element_id"]
    frame["data_source"] = None
    return frame


@pytest.fixture
def sound() -> pd.DataFrame:
    """A small theory of change that passes every check."""
    return _table([
        ("A1", "Activity", "OP1; OP2", None, "Hub carers come forward"),
        ("A2", "Activity", "OP1", None, None),
        ("OP1", "Output", "OC1", "Constellations running", "Households stay"),
        ("OP2", "Output", "OC1", "Sleepover nights", None),
        ("OC1", "Outcome", "OC2", "Carers supported (survey)", "Support keeps carers"),
        ("OC2", "Outcome", "IM1", "De-registrations", "Retention cuts agency use"),
        ("IM1", "Impact", None, "Placement moves", None),
    ])


def _closure(graph: nx.DiGraph) -> tuple[list, np.ndarray]:
    """Reachability by repeated boolean matrix products, independent of networkx's traversal."""
    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    reach = np.zeros((len(nodes), len(nodes)), dtype=bool)
    for u, v in graph.edges:
        reach[index[u], index[v]] = True
    for _ in range(len(nodes)):
        step = reach | ((reach.astype(int) @ reach.astype(int)) > 0)
        if (step == reach).all():
            break
        reach = step
    return nodes, reach


def _relink(table: pd.DataFrame, links: dict) -> pd.DataFrame:
    """The table with the leads_to of some elements replaced."""
    out = table.copy()
    for node, value in links.items():
        out.loc[out["element_id"] == node, "leads_to"] = value
    return out


def _random_toc(seed: int, n: int = 25, p: float = 0.12, back: float = 0.0) -> pd.DataFrame:
    """A random theory of change: links mostly forward, some missing indicators, optional backward links."""
    rng = np.random.default_rng(seed)
    levels = rng.choice(toc.LEVELS, size=n, p=[0.3, 0.25, 0.35, 0.1])
    levels = sorted(levels, key=lambda lv: toc.LEVELS.index(lv))
    ids = [f"E{i}" for i in range(n)]
    rows = []
    for i, (node, level) in enumerate(zip(ids, levels)):
        targets = [ids[j] for j in range(i + 1, n) if rng.random() < p]
        targets += [ids[j] for j in range(i) if rng.random() < back]
        rows.append((node, level, ";".join(targets) or None, None if rng.random() < 0.3 else "x", "a" if rng.random() < 0.5 else None))
    return _table(rows)


# ---------------------------------------------------------------- building
@pytest.mark.parametrize("value, expected", [
    ("OP1", ["OP1"]), (" OP1 ; OC2 ;", ["OP1", "OC2"]), ("OP1;OP1", ["OP1"]), ("", []), (None, []),
    (float("nan"), []), (pd.NA, []), ("  ", []),
])
def test_split_links(value, expected):
    """Leads To cells split on semicolons, with spaces, blanks and repeats dropped."""
    assert toc.split_links(value) == expected, f"{value!r} should give {expected}"


def test_split_links_rejects_numbers():
    """A number is not a list of IDs."""
    with pytest.raises(ValueError, match="value"):
        toc.split_links(12)


def test_links_table_matches_hand_count(sound):
    """One row per link, in table order, with unknown targets kept."""
    links = toc.links_table(_relink(sound, {"OC1": "OC2;XX9"}))
    assert list(links.columns) == ["source", "target"], "columns should be source and target"
    assert list(zip(links["source"], links["target"]))[:3] == [("A1", "OP1"), ("A1", "OP2"), ("A2", "OP1")], "table order"
    assert ("OC1", "XX9") in set(zip(links["source"], links["target"])), "a link to an unknown ID should be kept"
    assert len(links) == 8, f"the table has 8 links, got {len(links)}"


def test_build_graph_nodes_edges_and_attributes(sound):
    """Nodes carry the row's attributes; edges are the links; blanks become None."""
    graph = toc.build_graph(sound.assign(council="Torfaen"))
    assert list(graph.nodes) == list(sound["element_id"]), "nodes in table order"
    assert set(graph.edges) == set(toc.links_table(sound).itertuples(index=False, name=None)), "an edge per link"
    assert graph.nodes["OP1"]["indicator"] == "Constellations running", "the indicator is kept"
    assert graph.nodes["A1"]["indicator"] is None, "a missing indicator becomes None"
    assert graph.nodes["A1"]["known"] is True and graph.graph["council"] == "Torfaen", "known flag and council"


def test_build_graph_marks_unknown_targets(sound):
    """A link to an ID that is not in the table adds a node with known=False and no level."""
    graph = toc.build_graph(_relink(sound, {"OC2": "1M1"}))
    assert graph.nodes["1M1"]["known"] is False and graph.nodes["1M1"]["level"] is None, "the typo should be a node marked unknown"
    assert graph.has_edge("OC2", "1M1"), "the link to the typo is kept"


@pytest.mark.parametrize("make, word", [
    (lambda t: t.to_dict("records"), "DataFrame"),
    (lambda t: t.drop(columns="leads_to"), "leads_to"),
    (lambda t: t.assign(element_id=["A1", "", "OP1", "OP2", "OC1", "OC2", "IM1"]), "blank"),
    (lambda t: t.assign(element_id=["A1", "A1", "OP1", "OP2", "OC1", "OC2", "IM1"]), "repeats"),
    (lambda t: t.assign(level=["Activity", "Input", "Output", "Output", "Outcome", "Outcome", "Impact"]), "level"),
])
def test_build_graph_rejects_bad_tables(sound, make, word):
    """Tables that cannot be a theory of change raise ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=word):
        toc.build_graph(make(sound))


@pytest.mark.parametrize("function", [toc.orphan_activities, toc.cannot_reach_impact, toc.unmeasured_outcomes,
                                      toc.assumptions_to_test, toc.indicator_table, toc.validate, toc.layers, toc.draw])
def test_functions_reject_a_non_graph(function, sound):
    """Every function taking a graph refuses a table, naming graph."""
    with pytest.raises(ValueError, match="graph"):
        function(sound)


# ---------------------------------------------------------------- single checks
def test_sound_theory_passes_every_check(sound):
    """A sound theory of change has no problems, and the problems table keeps its columns."""
    problems = toc.validate(toc.build_graph(sound))
    assert problems.empty, f"expected no problems, got\n{problems}"
    assert list(problems.columns) == ["element_id", "level", "check", "detail"], "columns kept when empty"


@pytest.mark.parametrize("change, check, where", [
    ({"leads_to": {"A2": None}}, "orphan activity", ["A2"]),
    ({"leads_to": {"OC1": None}}, "dead end", ["OC1"]),
    ({"indicator": {"OC1": None}}, "no indicator", ["OC1"]),
    ({"leads_to": {"OC1": "0C2"}}, "unknown link", ["OC1"]),
    ({"leads_to": {"OC1": "OC2;OP2"}}, "backward link", ["OC1"]),
    ({"leads_to": {"OC1": "OC2;OP2"}}, "cycle", ["OP2", "OC1"]),
    ({"leads_to": {"OC1": "0C2"}}, "impact unreachable", ["A1", "A2", "OP1", "OP2", "OC1"]),
    ({"leads_to": {"OC1": "0C2"}}, "no activity behind it", ["OC2", "IM1"]),
    ({"level": {"IM1": "Outcome"}}, "no impact", [None]),
])
def test_each_flaw_is_found(sound, change, check, where):
    """Each planted flaw is reported by its check, on the elements concerned, in table order."""
    broken = sound.set_index("element_id")
    for column, values in change.items():
        for node, value in values.items():
            broken.loc[node, column] = value
    problems = toc.validate(toc.build_graph(broken.reset_index()))
    found = [None if pd.isna(n) else n for n in problems.loc[problems["check"] == check, "element_id"]]
    assert found == where, f"{check}: expected {where}, got {found}\n{problems}"


def test_orphans_and_dead_ends_are_not_also_impact_unreachable(sound):
    """An element that leads nowhere is reported once, by its most specific check."""
    broken = sound.assign(leads_to=sound["leads_to"].where(sound["element_id"] != "A2"))
    problems = toc.validate(toc.build_graph(broken))
    assert problems["element_id"].tolist() == ["A2"] and problems["check"].tolist() == ["orphan activity"], str(problems)
    assert toc.cannot_reach_impact(toc.build_graph(broken)) == ["A2"], "the orphan cannot reach the impact"


def test_self_loop_is_a_cycle(sound):
    """An element that leads to itself sits on a cycle."""
    graph = toc.build_graph(_relink(sound, {"OC2": "OC2;IM1"}))
    problems = toc.validate(graph)
    assert problems.loc[problems["check"] == "cycle", "element_id"].tolist() == ["OC2"], str(problems)
    assert "OC2 → OC2" in problems.loc[problems["check"] == "cycle", "detail"].iloc[0], "the loop is shown"


@pytest.mark.parametrize("seed", range(12))
def test_reachability_agrees_with_matrix_closure(seed):
    """cannot_reach_impact and orphan_activities agree with reachability from a boolean matrix closure."""
    table = _random_toc(seed, back=0.03 if seed % 2 else 0.0)
    graph = toc.build_graph(table)
    nodes, reach = _closure(graph)
    impacts = [i for i, n in enumerate(nodes) if graph.nodes[n]["level"] == "Impact"]
    expected = sorted(n for i, n in enumerate(nodes)
                      if graph.nodes[n]["level"] != "Impact" and not reach[i, impacts].any())
    assert toc.cannot_reach_impact(graph) == expected, f"seed {seed}: reachability differs from the matrix closure"
    orphans = sorted(n for n, lv in zip(table["element_id"], table["level"]) if lv == "Activity" and pd.isna(table.set_index("element_id").loc[n, "leads_to"]))
    assert toc.orphan_activities(graph) == orphans, f"seed {seed}: orphans should be the activities with a blank leads_to"


@pytest.mark.parametrize("seed", range(12))
def test_cycles_agree_with_matrix_closure(seed):
    """The elements reported on a cycle are those that reach themselves in the matrix closure."""
    graph = toc.build_graph(_random_toc(seed, back=0.04))
    nodes, reach = _closure(graph)
    on_cycle = {n for i, n in enumerate(nodes) if reach[i, i]}
    problems = toc.validate(graph)
    assert set(problems.loc[problems["check"] == "cycle", "element_id"]) == on_cycle, f"seed {seed}"
    assert bool(on_cycle) != nx.is_directed_acyclic_graph(graph), "a cycle is found exactly when the graph is not a DAG"


@pytest.mark.parametrize("seed", range(8))
def test_activities_relying_agrees_with_matrix_closure(seed):
    """activities_relying counts the activities that reach the node (or are it), as the closure says."""
    graph = toc.build_graph(_random_toc(seed, back=0.02))
    nodes, reach = _closure(graph)
    for j, node in enumerate(nodes):
        expected = sum(1 for i, n in enumerate(nodes)
                       if graph.nodes[n]["level"] == "Activity" and (reach[i, j] or i == j))
        assert toc.activities_relying(graph, node) == expected, f"seed {seed}, node {node}"


def test_activities_relying_counts_activities_not_paths(sound):
    """A1 reaches OC1 by two paths but counts once."""
    graph = toc.build_graph(sound)
    assert toc.activities_relying(graph, "OC1") == 2, "A1 and A2 lead to OC1"
    assert toc.activities_relying(graph, "OP2") == 1, "only A1 leads to OP2"
    with pytest.raises(ValueError, match="node"):
        toc.activities_relying(graph, "ZZ")


# ---------------------------------------------------------------- tables
def test_assumptions_to_test_sorted_by_reliance(sound):
    """Only elements with an assumption, most relied on first, then by level and ID."""
    table = toc.assumptions_to_test(toc.build_graph(sound))
    assert table["element_id"].tolist() == ["OP1", "OC1", "OC2", "A1"], "ties go outputs before outcomes"
    assert table["activities_relying"].is_monotonic_decreasing, "most relied on first"
    assert table["activities_relying"].dtype == "int64", "whole numbers"


def test_indicator_table(sound):
    """Outputs, outcomes and impact, with a measurable flag."""
    graph = toc.build_graph(sound.assign(indicator=sound["indicator"].where(sound["element_id"] != "OC2")))
    table = toc.indicator_table(graph)
    assert table["element_id"].tolist() == ["OP1", "OP2", "OC1", "OC2", "IM1"], "no activities; level order"
    assert not table.set_index("element_id").loc["OC2", "measurable"], "OC2 has no indicator, so it is not measurable"
    assert table["measurable"].sum() == 4, "four of five have an indicator"


def test_unmeasured_outcomes_matches_table(sound):
    """The outcomes with a blank indicator, and only outcomes."""
    broken = sound.assign(indicator=sound["indicator"].where(~sound["element_id"].isin(["OC1", "OP1"]), "  "))
    assert toc.unmeasured_outcomes(toc.build_graph(broken)) == ["OC1"], "OP1 is an output; blank text counts as missing"


# ---------------------------------------------------------------- layers and drawing
def test_layers_run_left_to_right(sound):
    """Levels go left to right, an outcome led to by another sits further right, unknown targets beside their source."""
    graph = toc.build_graph(_relink(sound, {"OP2": "OC1;XX"}))
    column = toc.layers(graph)
    assert column["A1"] == column["A2"] == 0 and column["OP1"] == 1, "activities then outputs"
    assert column["OC2"] == column["OC1"] + 1, "OC1 leads to OC2, so OC2 is one column further right"
    assert column["IM1"] > column["OC2"], "the impact is last"
    assert column["XX"] == column["OP2"] + 1, "an unknown target goes next to its source"
    for u, v in graph.edges:
        assert column[v] > column[u], f"{u} -> {v} should go rightwards in a sound theory"


def test_layers_survive_loops(sound):
    """Elements on a loop within a level share a column; layers never fail on a cycle."""
    graph = toc.build_graph(_relink(sound, {"OC2": "OC1;IM1"}))
    column = toc.layers(graph)
    assert column["OC1"] == column["OC2"], "a loop within a level shares a column"


def test_draw_returns_axes_with_a_box_per_node(sound):
    """One box per node, titled, without error, with problems highlighted."""
    graph = toc.build_graph(_relink(sound, {"OC1": "OC2;OP2;Q"}))
    ax = toc.draw(graph, toc.validate(graph), title="Test")
    assert ax.get_title() == "Test", "the title is set"
    assert len(ax.patches) == graph.number_of_nodes(), "one box per node"
    plt.close(ax.figure)


@pytest.mark.parametrize("kwargs, word", [
    ({"problems": pd.DataFrame({"x": [1]})}, "problems"),
    ({"width": 0}, "width"),
    ({"width": True}, "width"),
])
def test_draw_rejects_bad_arguments(sound, kwargs, word):
    """Bad problems tables and widths raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=word):
        toc.draw(toc.build_graph(sound), **kwargs)


# ---------------------------------------------------------------- the document
def test_document_sections_write_a_document(sound, tmp_path):
    """The sections write through write_document, with problems listed and no 'nan' cells."""
    broken = sound.assign(leads_to=sound["leads_to"].where(sound["element_id"] != "A2"))
    graph = toc.build_graph(broken)
    sections = toc.document_sections(graph, toc.validate(graph), introduction="The Mockingbird draft.")
    headings = [h for h, _ in sections]
    assert headings[:5] == ["Summary", "Elements and links", "Indicators", "Assumptions to test, most relied on first",
                            "Problems found"], headings
    md, _ = write_document(tmp_path / "toc", "Theory of change", sections, council="Newport")
    text = md.read_text(encoding="utf-8")
    assert "The Mockingbird draft." in text and "orphan activity" in text, "introduction and problems appear"
    assert "| nan |" not in text and " nan " not in text, "blank cells should be empty, not 'nan'"
    assert "2 activities" in text, "the summary counts the levels"


def test_document_sections_without_problems(sound):
    """A sound theory says so."""
    graph = toc.build_graph(sound)
    sections = dict(toc.document_sections(graph, toc.validate(graph)))
    assert sections["Problems found"].startswith("None"), "no problems should be stated in words"
    with pytest.raises(ValueError, match="problems"):
        toc.document_sections(graph, pd.DataFrame())
