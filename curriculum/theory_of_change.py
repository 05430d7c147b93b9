"""Theories of change as data: build, check, draw and export them.

A theory of change is written as a table with one row per element: its level
(``Activity``, ``Output``, ``Outcome`` or ``Impact``), a description, the elements
it leads to (``leads_to``, IDs separated by semicolons), the indicator that will
measure it and the assumption that must hold for it to lead on. This module turns
the table into a :class:`networkx.DiGraph` (an edge for every "leads to"), checks it
(every outcome measurable, no orphan activities, no cycles or backward links, every
path reaching the impact), draws it in layers from activities to impact, lists the
assumptions to test with how much of the programme rests on each, and assembles the
sections of the document a team shares with its steering group.

The checks follow the Magenta Book (HM Treasury, 2020, chapter 2) and Nesta's DIY
toolkit: a theory of change is a chain of "if ... then ..." links, and a chain with a
missing link, a loop or an unmeasured step cannot be tested.

Nothing happens on import.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import networkx as nx
import pandas as pd

__all__ = [
    "LEVELS",
    "CHECKS",
    "split_links",
    "links_table",
    "build_graph",
    "orphan_activities",
    "cannot_reach_impact",
    "unmeasured_outcomes",
    "activities_relying",
    "assumptions_to_test",
    "indicator_table",
    "validate",
    "layers",
    "draw",
    "document_sections",
]

LEVELS: tuple[str, ...] = ("Activity", "Output", "Outcome", "Impact")
_RANK = {level: i for i, level in enumerate(LEVELS)}
_ATTRIBUTES = ("description", "indicator", "assumption", "data_source")

# The checks, in the order problems are reported, with what each means.
CHECKS: dict[str, str] = {
    "no impact": "the table has no Impact element, so no path can end anywhere",
    "unknown link": "Leads To names an element that is not in the table (often a typo)",
    "backward link": "an element leads back to an earlier level (an outcome to an output, say)",
    "cycle": "the element sits on a loop, so the chain never ends",
    "orphan activity": "an activity that leads nowhere: effort with no stated purpose",
    "dead end": "an output or outcome that leads nowhere, so its chain stops before the impact",
    "impact unreachable": "the element leads on, but none of its paths reaches the impact",
    "no activity behind it": "no activity leads to this element: nothing in the plan makes it happen",
    "no indicator": "an outcome without an indicator cannot be measured",
}
_PROBLEM_COLUMNS = ["element_id", "level", "check", "detail"]

_FILL = {"Activity": "#dbe9f6", "Output": "#e3f1dc", "Outcome": "#fdf0d5", "Impact": "#f3dce8"}
_HEADINGS = {"Activity": "Activities", "Output": "Outputs", "Outcome": "Outcomes", "Impact": "Impact"}


# --------------------------------------------------------------------------- helpers
def _blank(value) -> bool:
    """True for None, NaN, pandas NA and text that is empty once stripped."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value) -> str | None:
    return None if _blank(value) else str(value).strip()


def _check_graph(graph) -> nx.DiGraph:
    if not isinstance(graph, nx.DiGraph):
        raise ValueError(f"graph must be a networkx.DiGraph built with build_graph, got {type(graph).__name__}")
    return graph


def _known(graph: nx.DiGraph) -> list[str]:
    """The elements of the table, in table order (not the unknown link targets)."""
    return [n for n, known in graph.nodes(data="known", default=True) if known]


def _level(graph: nx.DiGraph, node) -> str | None:
    return graph.nodes[node].get("level")


def _impacts(graph: nx.DiGraph) -> set:
    return {n for n in _known(graph) if _level(graph, n) == "Impact"}


# --------------------------------------------------------------------------- building
def split_links(value) -> list[str]:
    """Split a ``Leads To`` cell into element IDs.

    Parameters
    ----------
    value : str or None
        IDs separated by semicolons, for example ``"OP1; OC2"``; blank or missing
        means the element leads nowhere.

    Returns
    -------
    list of str
        The IDs in the order written, spaces stripped, blanks and repeats dropped.

    Raises
    ------
    ValueError
        If ``value`` is neither text nor missing.

    Examples
    --------
    >>> split_links("OP1; OC2;")
    ['OP1', 'OC2']
    """
    if _blank(value):
        return []
    if not isinstance(value, str):
        raise ValueError(f"value must be text of IDs separated by semicolons, got {value!r}")
    return list(dict.fromkeys(part.strip() for part in value.split(";") if part.strip()))


def _check_elements(elements, required: Iterable[str]) -> pd.DataFrame:
    if not isinstance(elements, pd.DataFrame):
        raise ValueError(f"elements must be a pandas DataFrame (one row per element), got {type(elements).__name__}")
    missing = [c for c in required if c not in elements.columns]
    if missing:
        raise ValueError(f"elements lacks the column(s) {missing}; load it with curriculum.load('theory_of_change', ...)")
    ids = elements["element_id"]
    blank = ids.map(_blank)
    if blank.any():
        raise ValueError(f"elements has {int(blank.sum())} row(s) with a blank element_id; give every element an ID")
    stripped = ids.astype(str).str.strip()
    repeated = sorted(stripped[stripped.duplicated()].unique())
    if repeated:
        raise ValueError(f"elements repeats the element_id(s) {repeated}; each element needs its own ID")
    return elements


def links_table(elements: pd.DataFrame) -> pd.DataFrame:
    """Return the links of a theory of change, one row per "leads to".

    Parameters
    ----------
    elements : pandas.DataFrame
        One row per element with ``element_id`` and ``leads_to`` (as loaded with
        ``curriculum.load("theory_of_change", ...)``).

    Returns
    -------
    pandas.DataFrame
        Columns ``source`` and ``target``, in table order; a link written twice
        appears once. Targets that are not in the table are kept (see
        :func:`validate`).

    Raises
    ------
    ValueError
        If ``elements`` is not a DataFrame, lacks a column, or has blank or repeated IDs.
    """
    _check_elements(elements, ["element_id", "leads_to"])
    rows = [(str(source).strip(), target)
            for source, cell in zip(elements["element_id"], elements["leads_to"])
            for target in split_links(cell)]
    return pd.DataFrame(rows, columns=["source", "target"], dtype="str")


def build_graph(elements: pd.DataFrame) -> nx.DiGraph:
    """Build the directed graph of a theory of change.

    Every row becomes a node carrying ``level``, ``description``, ``indicator``,
    ``assumption`` and ``data_source`` (None where blank) and ``known=True``; every
    "leads to" becomes an edge. A link to an ID that is not in the table adds a node
    with ``known=False`` and no level, so that :func:`validate` can report it.

    Parameters
    ----------
    elements : pandas.DataFrame
        One row per element with at least ``element_id``, ``level`` and
        ``leads_to``; ``description``, ``indicator``, ``assumption`` and
        ``data_source`` are used when present.

    Returns
    -------
    networkx.DiGraph
        Nodes in table order; ``graph.graph["council"]`` holds the table's council
        when it has one.

    Raises
    ------
    ValueError
        If ``elements`` is not a DataFrame, lacks ``element_id``, ``level`` or
        ``leads_to``, has blank or repeated IDs, or a level outside :data:`LEVELS`.

    Examples
    --------
    >>> table = pd.DataFrame({"element_id": ["A1", "IM1"], "level": ["Activity", "Impact"],
    ...                       "leads_to": ["IM1", None]})
    >>> list(build_graph(table).edges)
    [('A1', 'IM1')]
    """
    _check_elements(elements, ["element_id", "level", "leads_to"])
    bad = sorted({str(v) for v in elements["level"] if _text(v) not in LEVELS})
    if bad:
        raise ValueError(f"elements has level(s) {bad}; level must be one of {', '.join(LEVELS)} "
                         "(recode others with 'values:' in the mapping)")
    graph = nx.DiGraph()
    if "council" in elements.columns and elements["council"].notna().any():
        graph.graph["council"] = str(elements["council"].dropna().iloc[0])
    for row in elements.to_dict("records"):
        attrs = {name: _text(row.get(name)) for name in _ATTRIBUTES}
        graph.add_node(str(row["element_id"]).strip(), level=_text(row["level"]), known=True, **attrs)
    for source, target in links_table(elements).itertuples(index=False):
        if target not in graph:
            graph.add_node(target, level=None, known=False, description=None, indicator=None,
                           assumption=None, data_source=None)
        graph.add_edge(source, target)
    return graph


# --------------------------------------------------------------------------- single checks
def orphan_activities(graph: nx.DiGraph) -> list[str]:
    """Return the activities that lead nowhere.

    Parameters
    ----------
    graph : networkx.DiGraph
        A theory of change from :func:`build_graph`.

    Returns
    -------
    list of str
        IDs of ``Activity`` elements with no onward link, sorted.

    Raises
    ------
    ValueError
        If ``graph`` is not a networkx.DiGraph.
    """
    _check_graph(graph)
    return sorted(n for n in _known(graph) if _level(graph, n) == "Activity" and graph.out_degree(n) == 0)


def cannot_reach_impact(graph: nx.DiGraph) -> list[str]:
    """Return the elements from which no path reaches an impact.

    Parameters
    ----------
    graph : networkx.DiGraph
        A theory of change from :func:`build_graph`.

    Returns
    -------
    list of str
        IDs of the table's elements, other than ``Impact`` elements, with no
        ``Impact`` element among their descendants (orphan activities and dead
        ends included), sorted. Every non-impact element when the table has no impact.

    Raises
    ------
    ValueError
        If ``graph`` is not a networkx.DiGraph.
    """
    _check_graph(graph)
    impacts = _impacts(graph)
    return sorted(n for n in _known(graph)
                  if _level(graph, n) != "Impact" and not (nx.descendants(graph, n) & impacts))


def unmeasured_outcomes(graph: nx.DiGraph) -> list[str]:
    """Return the outcomes that have no indicator.

    Parameters
    ----------
    graph : networkx.DiGraph
        A theory of change from :func:`build_graph`.

    Returns
    -------
    list of str
        IDs of ``Outcome`` elements whose indicator is blank, sorted.

    Raises
    ------
    ValueError
        If ``graph`` is not a networkx.DiGraph.
    """
    _check_graph(graph)
    return sorted(n for n in _known(graph)
                  if _level(graph, n) == "Outcome" and _blank(graph.nodes[n].get("indicator")))


def activities_relying(graph: nx.DiGraph, node: str) -> int:
    """Return how many activities rely on an element to reach the impact.

    The count is the number of ``Activity`` elements among ``node`` and its
    ancestors: every activity with a path through ``node``. If the assumption at
    ``node`` fails, the route from each of them through ``node`` fails with it.

    Parameters
    ----------
    graph : networkx.DiGraph
        A theory of change from :func:`build_graph`.
    node : str
        An element ID in ``graph``.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``graph`` is not a networkx.DiGraph or ``node`` is not one of its elements.
    """
    _check_graph(graph)
    if node not in graph:
        raise ValueError(f"node {node!r} is not an element of the theory of change")
    upstream = nx.ancestors(graph, node) | {node}
    return sum(1 for n in upstream if _level(graph, n) == "Activity")


# --------------------------------------------------------------------------- tables
def assumptions_to_test(graph: nx.DiGraph) -> pd.DataFrame:
    """Return the assumptions to test, those most relied on first.

    Parameters
    ----------
    graph : networkx.DiGraph
        A theory of change from :func:`build_graph`.

    Returns
    -------
    pandas.DataFrame
        One row per element with an assumption: ``element_id``, ``level``,
        ``description``, ``assumption`` and ``activities_relying`` (see
        :func:`activities_relying`), sorted by ``activities_relying`` (most first),
        then level (activities first) and ID.

    Raises
    ------
    ValueError
        If ``graph`` is not a networkx.DiGraph.
    """
    _check_graph(graph)
    rows = [{"element_id": n, "level": _level(graph, n), "description": graph.nodes[n].get("description"),
             "assumption": graph.nodes[n]["assumption"], "activities_relying": activities_relying(graph, n)}
            for n in _known(graph) if not _blank(graph.nodes[n].get("assumption"))]
    frame = pd.DataFrame(rows, columns=["element_id", "level", "description", "assumption", "activities_relying"])
    frame["activities_relying"] = frame["activities_relying"].astype("int64")
    rank = frame["level"].map(_RANK)
    order = frame.assign(_rank=rank).sort_values(["activities_relying", "_rank", "element_id"],
                                                 ascending=[False, True, True], kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def indicator_table(graph: nx.DiGraph) -> pd.DataFrame:
    """Return the indicators of the outputs, outcomes and impact.

    Parameters
    ----------
    graph : networkx.DiGraph
        A theory of change from :func:`build_graph`.

    Returns
    -------
    pandas.DataFrame
        One row per ``Output``, ``Outcome`` and ``Impact`` element, in level and
        table order: ``element_id``, ``level``, ``description``, ``indicator``,
        ``data_source`` and ``measurable`` (True when it has an indicator).

    Raises
    ------
    ValueError
        If ``graph`` is not a networkx.DiGraph.
    """
    _check_graph(graph)
    nodes = [n for n in _known(graph) if _level(graph, n) != "Activity"]
    nodes.sort(key=lambda n: _RANK[_level(graph, n)])
    rows = [{"element_id": n, "level": _level(graph, n), "description": graph.nodes[n].get("description"),
             "indicator": graph.nodes[n].get("indicator"), "data_source": graph.nodes[n].get("data_source"),
             "measurable": not _blank(graph.nodes[n].get("indicator"))} for n in nodes]
    return pd.DataFrame(rows, columns=["element_id", "level", "description", "indicator", "data_source", "measurable"])


def _cycle_text(graph: nx.DiGraph, component: set) -> str:
    edges = nx.find_cycle(graph.subgraph(component))
    return " → ".join([edges[0][0]] + [v for _, v in edges])


def validate(graph: nx.DiGraph) -> pd.DataFrame:
    """Check a theory of change and return the problems found, one row each.

    The checks (:data:`CHECKS`): the table has an impact; every link names an
    element of the table and none goes back to an earlier level; there is no cycle;
    every activity leads somewhere and every output and outcome leads on; every
    element's paths reach the impact; every output, outcome and impact has an
    activity behind it; every outcome has an indicator. An element is reported as
    "impact unreachable" only when it does lead on (an orphan activity or a dead end
    is reported as such).

    Parameters
    ----------
    graph : networkx.DiGraph
        A theory of change from :func:`build_graph`.

    Returns
    -------
    pandas.DataFrame
        Columns ``element_id``, ``level``, ``check`` (a key of :data:`CHECKS`) and
        ``detail``, ordered by check and then table order; ``element_id`` is
        missing for a problem of the whole table ("no impact"). Empty (with these
        columns) when the theory of change passes every check.

    Raises
    ------
    ValueError
        If ``graph`` is not a networkx.DiGraph.
    """
    _check_graph(graph)
    known = _known(graph)
    order = {n: i for i, n in enumerate(known)}
    impacts = _impacts(graph)
    rows: list[dict] = []

    def add(node, check, detail):
        rows.append({"element_id": node, "level": _level(graph, node) if node is not None else None,
                     "check": check, "detail": detail})

    if not impacts:
        add(None, "no impact", "add the Impact element the programme is for, and link the outcomes to it")
    for source, target in graph.edges:
        if not graph.nodes[target].get("known", True):
            add(source, "unknown link", f"leads to {target!r}, which is not in the table (a typo?)")
        elif _RANK[_level(graph, target)] < _RANK[_level(graph, source)]:
            add(source, "backward link", f"leads back to {target} ({_level(graph, target)})")
    for component in nx.strongly_connected_components(graph):
        looped = len(component) > 1 or any(graph.has_edge(n, n) for n in component)
        if looped:
            text = _cycle_text(graph, component)
            for node in sorted(component, key=lambda n: order.get(n, len(order))):
                add(node, "cycle", f"on the loop {text}")
    for node in known:
        level, out = _level(graph, node), graph.out_degree(node)
        if level == "Activity" and out == 0:
            add(node, "orphan activity", "leads nowhere: link it to the output it produces, or drop it")
        elif level in ("Output", "Outcome") and out == 0:
            add(node, "dead end", "leads nowhere, so its chain stops before the impact")
        elif level != "Impact" and impacts and not (nx.descendants(graph, node) & impacts):
            add(node, "impact unreachable", "none of its paths reaches the impact")
        elif level != "Impact" and not impacts:
            add(node, "impact unreachable", "the table has no impact to reach")
    for node in known:
        if _level(graph, node) != "Activity" and not any(_level(graph, a) == "Activity" for a in nx.ancestors(graph, node)):
            add(node, "no activity behind it", "no activity leads to it, directly or through others")
    for node in unmeasured_outcomes(graph):
        add(node, "no indicator", "cannot be measured: add an indicator and its data source")
    frame = pd.DataFrame(rows, columns=_PROBLEM_COLUMNS)
    if frame.empty:
        return frame.astype("object")
    check_rank = frame["check"].map({c: i for i, c in enumerate(CHECKS)})
    element_rank = frame["element_id"].map(lambda n: -1 if _blank(n) else order.get(n, len(order)))
    return (frame.assign(_c=check_rank, _e=element_rank).sort_values(["_c", "_e"], kind="stable")
            .drop(columns=["_c", "_e"]).reset_index(drop=True))


# --------------------------------------------------------------------------- drawing
def layers(graph: nx.DiGraph) -> dict[str, int]:
    """Return the column each element is drawn in, from activities (0) to impact.

    Elements are placed by level; within a level, an element that another element
    of the same level leads to goes one column further right (short-term outcomes
    before longer-term ones). Loops within a level share a column. A link target that
    is not in the table goes in the column after the element that links to it.

    Parameters
    ----------
    graph : networkx.DiGraph
        A theory of change from :func:`build_graph`.

    Returns
    -------
    dict of str to int
        Column number of every node.

    Raises
    ------
    ValueError
        If ``graph`` is not a networkx.DiGraph.
    """
    _check_graph(graph)
    column: dict[str, int] = {}
    offset = 0
    for level in LEVELS:
        members = [n for n in _known(graph) if _level(graph, n) == level]
        if not members:
            continue
        condensed = nx.condensation(graph.subgraph(members))
        depth: dict[int, int] = {}
        for c in nx.topological_sort(condensed):
            depth[c] = max((depth[p] + 1 for p in condensed.predecessors(c)), default=0)
        for c, d in depth.items():
            for n in condensed.nodes[c]["members"]:
                column[n] = offset + d
        offset += max(depth.values()) + 1
    for n in graph.nodes:
        if n not in column:  # not in the table: next to the first element that links to it
            sources = [column[s] for s in graph.predecessors(n) if s in column]
            column[n] = min(sources) + 1 if sources else offset
    return column


def _positions(graph: nx.DiGraph, column: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Place nodes column by column, each near the mean height of what leads to it."""
    position: dict[str, tuple[float, float]] = {}
    table_order = {n: i for i, n in enumerate(graph.nodes)}
    for c in range(max(column.values(), default=-1) + 1):
        members = [n for n in graph.nodes if column[n] == c]

        def key(n):
            placed = [position[p][1] for p in graph.predecessors(n) if p in position]
            return (-(sum(placed) / len(placed)) if placed else float("inf"), table_order[n])

        members.sort(key=key)
        for i, n in enumerate(members):
            position[n] = (float(c), (len(members) - 1) / 2 - i)
    return position


def draw(graph: nx.DiGraph, problems: pd.DataFrame | None = None, ax=None, title: str | None = None,
         width: int = 22):
    """Draw a theory of change in layers, from activities on the left to impact on the right.

    Parameters
    ----------
    graph : networkx.DiGraph
        A theory of change from :func:`build_graph`.
    problems : pandas.DataFrame, optional
        The output of :func:`validate`; elements with a problem get a highlighted
        border and backward links and links in loops are drawn highlighted.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure sized to the graph by default.
    title : str, optional
        The chart's title.
    width : int, default 22
        Characters per line of the descriptions in the boxes.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``graph`` is not a networkx.DiGraph, ``problems`` lacks the columns of
        :func:`validate`, or ``width`` is not a positive whole number.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    from curriculum.style import HIGHLIGHT, MUTED

    _check_graph(graph)
    if problems is not None and (not isinstance(problems, pd.DataFrame) or not set(_PROBLEM_COLUMNS) <= set(problems.columns)):
        raise ValueError(f"problems must be the table validate() returns, with columns {_PROBLEM_COLUMNS}")
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be a positive whole number of characters, got {width!r}")
    flagged = set() if problems is None else set(problems["element_id"].dropna())
    bad_edges = set()
    if problems is not None:
        looped = set(problems.loc[problems["check"] == "cycle", "element_id"])
        bad_edges = {(u, v) for u, v in graph.edges if (u in looped and v in looped)
                     or (graph.nodes[v].get("known", True) and graph.nodes[u].get("known", True)
                         and _RANK[_level(graph, v)] < _RANK[_level(graph, u)])}
    column = layers(graph)
    position = _positions(graph, column)
    n_columns = max(column.values(), default=0) + 1
    tallest = max((sum(1 for c in column.values() if c == k) for k in range(n_columns)), default=1)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 2.3 * n_columns), max(3.0, 1.05 * tallest + 1.0)))
    box_w, box_h = 0.82, 0.8
    for u, v in graph.edges:
        (x0, y0), (x1, y1) = position[u], position[v]
        forward, skip = x1 > x0, x1 - x0 > 1
        start = (x0 + box_w / 2, y0) if forward else (x0, y0 - box_h / 2)
        end = (x1 - box_w / 2, y1) if forward else (x1, y1 - box_h / 2)
        bad = (u, v) in bad_edges
        # A link that skips a column is curved and drawn over the boxes, so it cannot be
        # mistaken for one that ends at a box it passes behind.
        bend = "arc3,rad=0.5" if not forward else ("arc3,rad=-0.12" if skip else "arc3,rad=0.0")
        ax.annotate("", xy=end, xytext=start, zorder=4 if skip else 1,
                    arrowprops=dict(arrowstyle="-|>", color=HIGHLIGHT if bad else MUTED, lw=1.6 if bad else 0.9,
                                    linestyle=(0, (4, 2)) if skip else "-", connectionstyle=bend, shrinkA=0, shrinkB=0))
    for n, (x, y) in position.items():
        data = graph.nodes[n]
        known = data.get("known", True)
        lines = textwrap.wrap(data.get("description") or "", width)
        if len(lines) > 4:
            lines = lines[:3] + [textwrap.shorten(" ".join(lines[3:]), width, placeholder=" …")]
        label = "\n".join([n] + lines)
        if known and _blank(data.get("indicator")) and data.get("level") == "Outcome":
            label += "\n(no indicator)"
        if not known:
            label = f"{n}\n(not in the table)"
        patch = FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h, boxstyle="round,pad=0.02",
                               facecolor=_FILL.get(data.get("level"), "white"),
                               edgecolor=HIGHLIGHT if (n in flagged or not known) else MUTED,
                               linewidth=2.2 if (n in flagged or not known) else 0.8,
                               linestyle="--" if not known else "-", zorder=2)
        ax.add_patch(patch)
        ax.text(x, y, label, ha="center", va="center", fontsize=6.5, zorder=3)
    top = (tallest - 1) / 2 + box_h
    for level in LEVELS:
        cols = sorted({column[n] for n in _known(graph) if _level(graph, n) == level})
        if cols:
            ax.text((cols[0] + cols[-1]) / 2, top, _HEADINGS[level], ha="center", va="bottom", fontsize=9, weight="bold")
    ax.set_xlim(-0.6, n_columns - 0.4)
    ax.set_ylim(-(tallest - 1) / 2 - box_h, top + 0.45)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------- the document
def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype("object").where(frame.notna(), "")


def document_sections(graph: nx.DiGraph, problems: pd.DataFrame, introduction: str | None = None) -> list[tuple[str, object]]:
    """Return the sections of the checked theory of change, for ``curriculum.artefacts.write_document``.

    Parameters
    ----------
    graph : networkx.DiGraph
        A theory of change from :func:`build_graph`.
    problems : pandas.DataFrame
        The output of :func:`validate` for ``graph``.
    introduction : str, optional
        A first section's text (what the programme is and who drafted the theory
        of change); a summary of the counts follows it.

    Returns
    -------
    list of (str, str or pandas.DataFrame)
        Summary, the elements and their links, indicators, assumptions to test and
        the problems found.

    Raises
    ------
    ValueError
        If ``graph`` is not a networkx.DiGraph or ``problems`` lacks the columns of :func:`validate`.
    """
    _check_graph(graph)
    if not isinstance(problems, pd.DataFrame) or not set(_PROBLEM_COLUMNS) <= set(problems.columns):
        raise ValueError(f"problems must be the table validate() returns, with columns {_PROBLEM_COLUMNS}")
    known = _known(graph)
    counts = pd.Series([_level(graph, n) for n in known]).value_counts()
    summary = ", ".join(f"{int(counts.get(level, 0))} {_HEADINGS[level].lower() if counts.get(level, 0) != 1 else level.lower()}"
                        for level in LEVELS)
    status = (f"The checks found {len(problems)} problem(s) in {problems['element_id'].nunique()} element(s); "
              "they are listed at the end." if len(problems) else "The checks found no problems.")
    text = ((introduction.strip() + "\n\n") if introduction else "") + f"The theory of change has {summary}. {status}"
    elements = pd.DataFrame([{"element_id": n, "level": _level(graph, n), "description": graph.nodes[n].get("description"),
                              "leads_to": "; ".join(graph.successors(n)), "indicator": graph.nodes[n].get("indicator")}
                             for n in sorted(known, key=lambda n: _RANK[_level(graph, n)])])
    checks = "\n".join(f"- {name}: {meaning}" for name, meaning in CHECKS.items())
    return [
        ("Summary", text),
        ("Elements and links", _clean(elements)),
        ("Indicators", _clean(indicator_table(graph).assign(measurable=lambda f: f["measurable"].map({True: "yes", False: "NO"})))),
        ("Assumptions to test, most relied on first", _clean(assumptions_to_test(graph))),
        ("Problems found", _clean(problems[_PROBLEM_COLUMNS]) if len(problems) else "None: every check passed."),
        ("The checks", checks),
    ]
