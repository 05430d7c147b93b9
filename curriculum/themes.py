"""Choosing the programme's themes: a steering group's scores, weighted, ranked and tested for robustness.

The senior module *Choosing the programme's themes* works on a ``theme_scores`` dataset
(one row per theme, criterion and steering-group member, scores 1-5, blank for an
abstention) and a ``theme_questions`` dataset (measures of success and big questions per
theme, with dot votes). The steps:

- :func:`score_matrix` and :func:`disagreements`: the panel's average score of each theme
  on each criterion, and where its members disagree;
- :func:`criterion_groups` and :func:`default_weights`: the programme's seed criteria and
  the five ways of working of the Well-being of Future Generations (Wales) Act 2015, and
  default weights (seed criteria 60%, ways of working 40%);
- :func:`rank_themes`: the weighted average score and rank, through
  :func:`curriculum.decisions.rank_options`;
- :func:`theme_sensitivity`: how often each theme comes first or in the top three when the
  weights vary at random (Dirichlet draws, :func:`curriculum.decisions.simulate_weights`);
- :func:`swap_threshold`: the smallest share of the weight that must move between criteria
  for the runner-up to draw level with the leader (a linear programme solved with
  :func:`scipy.optimize.linprog`);
- :func:`select_outputs` and :func:`theme_record`: the measures of success and big questions
  the steering group records for the chosen themes, as sections for
  :func:`curriculum.artefacts.write_document`;
- :func:`plot_score_grid`, :func:`plot_ranking`, :func:`plot_sensitivity`, :func:`plot_swap`
  and :func:`weights_explorer` (weight sliders that re-rank live) draw them; they take
  ``translate`` and mark their own words ``tr("...")`` (Welsh in the ``common`` catalogue).

Scores are averaged over the members who scored (abstentions are left out), and weighted
sums are taken on the 1-5 scale itself (not rescaled theme by theme), so adding or removing
a theme never changes the others' scores. Nothing happens on import.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from curriculum.decisions import rank_options, simulate_weights
from curriculum.style import HIGHLIGHT, MUTED
from curriculum.views import axes, live_view
from curriculum.views import untranslated as _same

__all__ = [
    "WAYS_OF_WORKING",
    "SEED_SHARE",
    "LOW",
    "HIGH",
    "criterion_groups",
    "score_matrix",
    "disagreements",
    "default_weights",
    "rank_themes",
    "theme_sensitivity",
    "swap_threshold",
    "select_outputs",
    "theme_record",
    "plot_score_grid",
    "plot_ranking",
    "plot_sensitivity",
    "plot_swap",
    "weights_explorer",
]

#: The five ways of working of the Well-being of Future Generations (Wales) Act 2015.
WAYS_OF_WORKING: tuple[str, ...] = ("Long term", "Prevention", "Integration", "Collaboration", "Involvement")
#: Default share of the weight on the programme's seed criteria (the rest on the ways of working).
SEED_SHARE = 0.6
#: The scoring scale.
LOW, HIGH = 1.0, 5.0
_WAYS_PATTERN = re.compile(r"long[\s-]*term|prevent|integrat|collaborat|involv", re.IGNORECASE)
_NEEDED = ("theme", "criterion", "scorer", "score")


def _scores(scores) -> pd.DataFrame:
    if not isinstance(scores, pd.DataFrame):
        raise TypeError(f"scores must be a pandas DataFrame (a theme_scores dataset), got {type(scores).__name__}")
    missing = [c for c in _NEEDED if c not in scores.columns]
    if missing:
        raise ValueError(f"scores lacks the column(s) {missing}; load it with curriculum.load('theme_scores', ...)")
    if scores.empty:
        raise ValueError("scores is empty: there are no scores to rank")
    return scores


def _matrix(matrix, name: str = "matrix") -> pd.DataFrame:
    if not isinstance(matrix, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame of themes by criteria (from score_matrix), got {type(matrix).__name__}")
    if matrix.shape[0] < 2 or matrix.shape[1] < 1:
        raise ValueError(f"{name} must hold at least two themes and one criterion, got shape {matrix.shape}")
    values = matrix.astype(float)
    if not np.isfinite(values.to_numpy()).all():
        raise ValueError(f"{name} has missing scores: every theme needs a score on every criterion")
    return values


def _weights(weights, columns: pd.Index) -> pd.Series:
    """Weights in column order as shares adding up to 1 (checked by curriculum.decisions)."""
    if isinstance(weights, pd.Series):
        given = weights.to_dict()
    elif isinstance(weights, Mapping):
        given = dict(weights)
    else:
        raise ValueError(f"weights must be a pandas Series or a dict of criterion to weight, got {type(weights).__name__}")
    missing = [str(c) for c in columns if c not in given]
    extra = [str(k) for k in given if k not in set(columns)]
    if missing or extra:
        raise ValueError("weights must give one weight for each criterion"
                         + (f"; missing: {', '.join(missing)}" if missing else "")
                         + (f"; not in the scores: {', '.join(extra)}" if extra else ""))
    values = []
    for column in columns:
        value = given[column]
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not math.isfinite(value) or value < 0:
            raise ValueError(f"weights[{column!r}] must be a number of at least 0, got {value!r}")
        values.append(float(value))
    array = np.asarray(values)
    if array.sum() <= 0:
        raise ValueError("weights must not all be zero: at least one criterion has to count")
    return pd.Series(array / array.sum(), index=columns, name="weight")


def _whole(value, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be a whole number of at least {low}, got {value!r}")
    return int(value)


# ------------------------------------------------------------------------------ scores
def criterion_groups(criteria: Sequence[str]) -> pd.Series:
    """Say which criteria are ways of working of the Well-being of Future Generations (Wales) Act 2015.

    A criterion whose name mentions long term, prevention, integration, collaboration or
    involvement (in any case) is a way of working; every other criterion is a seed
    criterion of the programme (data, spend, proven ideas, skills, or a council's own).

    Parameters
    ----------
    criteria : sequence of str
        Criterion names.

    Returns
    -------
    pandas.Series
        Indexed by criterion, ``"ways of working"`` or ``"seed criteria"``.

    Raises
    ------
    ValueError
        If ``criteria`` is a single string or holds something other than text.
    """
    if isinstance(criteria, str) or not all(isinstance(c, str) for c in criteria):
        raise ValueError(f"criteria must be a list of criterion names, got {criteria!r}")
    return pd.Series(["ways of working" if _WAYS_PATTERN.search(c) else "seed criteria" for c in criteria],
                     index=pd.Index(list(criteria), name="criterion"), name="group")


def score_matrix(scores: pd.DataFrame) -> pd.DataFrame:
    """Average the panel's scores: one row per theme, one column per criterion.

    Blank scores (abstentions) are left out of a cell's average.

    Parameters
    ----------
    scores : pandas.DataFrame
        A ``theme_scores`` dataset (``theme``, ``criterion``, ``scorer``, ``score``).

    Returns
    -------
    pandas.DataFrame
        Themes (in alphabetical order) by criteria (in order of first appearance), mean scores from 1 to
        5; ``attrs["scorers"]`` is the number of members who scored and ``attrs["counts"]``
        the number of scores behind each cell.

    Raises
    ------
    TypeError
        If ``scores`` is not a DataFrame.
    ValueError
        If a column is missing, or a theme has no score at all on a criterion.
    """
    frame = _scores(scores)
    themes = sorted(pd.unique(frame["theme"]), key=lambda t: str(t).casefold())
    criteria = pd.unique(frame["criterion"])
    score = pd.to_numeric(frame["score"], errors="coerce").astype(float)
    grouped = score.groupby([frame["theme"], frame["criterion"]])
    means = grouped.mean().unstack("criterion").reindex(index=themes, columns=criteria)
    counts = grouped.count().unstack("criterion").reindex(index=themes, columns=criteria).fillna(0).astype(int)
    empty = [(t, c) for t in means.index for c in means.columns if not counts.loc[t, c]]
    if empty:
        shown = "; ".join(f"{t} on {c}" for t, c in empty[:5])
        raise ValueError(f"no member scored {shown}: every theme needs at least one score on every criterion")
    means.index.name, means.columns.name = "theme", "criterion"
    means.attrs["scorers"] = int(frame.loc[score.notna(), "scorer"].nunique())
    means.attrs["counts"] = counts
    return means


def disagreements(scores: pd.DataFrame, min_range: float = 3) -> pd.DataFrame:
    """List the theme-criterion cells where the panel's scores are far apart.

    Parameters
    ----------
    scores : pandas.DataFrame
        A ``theme_scores`` dataset.
    min_range : float, default 3
        Smallest gap between the lowest and highest score to list (3: a 1 and a 4).

    Returns
    -------
    pandas.DataFrame
        One row per cell whose range is at least ``min_range``, widest first, with ``theme``,
        ``criterion``, ``low``, ``high``, ``range``, ``mean`` and ``scorers``.

    Raises
    ------
    TypeError
        If ``scores`` is not a DataFrame.
    ValueError
        If a column is missing or ``min_range`` is negative.
    """
    frame = _scores(scores)
    if isinstance(min_range, bool) or not isinstance(min_range, (int, float)) or min_range < 0:
        raise ValueError(f"min_range must be a number of at least 0, got {min_range!r}")
    score = pd.to_numeric(frame["score"], errors="coerce").astype(float)
    table = (score.groupby([frame["theme"], frame["criterion"]])
                  .agg(low="min", high="max", mean="mean", scorers="count").reset_index())
    table["range"] = table["high"] - table["low"]
    table = table[table["range"] >= min_range].sort_values(["range", "theme", "criterion"], ascending=[False, True, True])
    return table[["theme", "criterion", "low", "high", "range", "mean", "scorers"]].reset_index(drop=True)


def default_weights(criteria: Sequence[str], seed_share: float = SEED_SHARE) -> pd.Series:
    """Return the default weights: ``seed_share`` on the seed criteria, the rest on the ways of working.

    Each group's share is split equally between its criteria; if one group is absent the
    other takes all the weight.

    Parameters
    ----------
    criteria : sequence of str
        Criterion names (see :func:`criterion_groups`).
    seed_share : float, default SEED_SHARE
        Share of the weight on the seed criteria, from 0 to 1.

    Returns
    -------
    pandas.Series
        Weights indexed by criterion, adding up to 1.

    Raises
    ------
    ValueError
        If ``criteria`` is empty or repeats a name, or ``seed_share`` is outside 0-1.
    """
    groups = criterion_groups(criteria)
    if groups.empty or not groups.index.is_unique:
        raise ValueError("criteria must name at least one criterion, each once")
    if isinstance(seed_share, bool) or not isinstance(seed_share, (int, float)) or not 0 <= seed_share <= 1:
        raise ValueError(f"seed_share must be a share from 0 to 1, got {seed_share!r}")
    seed = groups == "seed criteria"
    if seed.all() or (~seed).all():
        return pd.Series(1.0 / len(groups), index=groups.index, name="weight")
    weights = np.where(seed, seed_share / seed.sum(), (1 - seed_share) / (~seed).sum())
    return pd.Series(weights, index=groups.index, name="weight")


def rank_themes(matrix: pd.DataFrame, weights) -> pd.DataFrame:
    """Rank the themes by their weighted average score.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Mean scores, themes by criteria (:func:`score_matrix`).
    weights : pandas.Series or mapping
        One non-negative weight per criterion (any scale: divided by their total).

    Returns
    -------
    pandas.DataFrame
        Indexed by theme, best first, with ``score`` (the weighted average on the 1-5 scale),
        ``rank`` (1 = first; equal scores share a rank) and ``behind`` (points behind the leader).

    Raises
    ------
    TypeError
        If ``matrix`` is not a DataFrame.
    ValueError
        If it has missing scores or fewer than two themes, or the weights are invalid.
    """
    values = _matrix(matrix)
    w = _weights(weights, values.columns)
    ranked = rank_options((values - LOW) / (HIGH - LOW), w)
    table = pd.DataFrame({"score": LOW + (HIGH - LOW) * ranked["score"], "rank": ranked["rank"]})
    table["behind"] = table["score"].iloc[0] - table["score"]
    table.index.name = "theme"
    return table


def theme_sensitivity(matrix: pd.DataFrame, weights, *, seed: int = 2015, n: int = 4000,
                      concentration: float | None = 30.0) -> pd.DataFrame:
    """Estimate how often each theme ranks first, or in the top three, when the weights vary at random.

    The weights are drawn from a Dirichlet distribution centred on the weights given
    (parameters ``concentration * w``; ``None`` draws uniformly over all weights), through
    :func:`curriculum.decisions.simulate_weights`.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Mean scores, themes by criteria (:func:`score_matrix`).
    weights : pandas.Series or mapping
        The agreed weights.
    seed : int, default 2015
        Seed of the draws (the same seed gives the same shares).
    n : int, default 4000
        Number of draws.
    concentration : float or None, default 30.0
        How tightly the draws cluster around the agreed weights (a share of 0.15 varies by
        about ±0.06 at 30); None for uniform weights.

    Returns
    -------
    pandas.DataFrame
        Indexed by theme in the order of :func:`rank_themes`, with ``rank`` (agreed weights),
        ``p_first``, ``p_top3`` and ``mean_rank``; ``attrs`` record ``n``, ``seed`` and
        ``concentration``.

    Raises
    ------
    TypeError
        If ``matrix`` is not a DataFrame.
    ValueError
        If the matrix, weights, ``seed``, ``n`` or ``concentration`` are invalid.
    """
    values = _matrix(matrix)
    w = _weights(weights, values.columns)
    simulation = simulate_weights((values - LOW) / (HIGH - LOW), w, seed=seed, n=n, concentration=concentration)
    base = rank_themes(values, w)
    ranks = simulation.ranks
    table = pd.DataFrame({"rank": base["rank"], "p_first": (ranks == 1).mean(axis=0),
                          "p_top3": (ranks <= 3).mean(axis=0), "mean_rank": ranks.mean(axis=0)}).loc[base.index]
    table.attrs.update(n=int(n), seed=int(seed), concentration=concentration)
    return table


def swap_threshold(matrix: pd.DataFrame, weights) -> dict:
    """Find the smallest change of weights that brings the runner-up level with the leader.

    Weight is moved between criteria (the total stays 100%): taking ``x`` from some criteria
    and giving it to others moves ``x`` of the weight. The smallest ``x`` for which the
    runner-up's weighted score reaches the leader's solves a linear programme
    (:func:`scipy.optimize.linprog`); it takes weight from criteria on which the leader is
    strongest relative to the runner-up and gives it to the criterion on which the runner-up
    is strongest.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Mean scores, themes by criteria (:func:`score_matrix`).
    weights : pandas.Series or mapping
        The agreed weights.

    Returns
    -------
    dict
        ``leader`` and ``runner_up`` (with the agreed weights), ``gap`` (points between them
        on the 1-5 scale), ``moved`` (share of the weight to move, 0-1; NaN if the runner-up
        can never draw level because it is no better on any criterion), ``taken`` and
        ``given`` (Series of weight taken from and given to each criterion), ``to_criterion``
        (the criterion given most), ``new_weights`` (Series) and ``first_at_swap`` (the theme
        ranked first with the new weights, which can be a third theme).

    Raises
    ------
    TypeError
        If ``matrix`` is not a DataFrame.
    ValueError
        If the matrix or weights are invalid.
    """
    from scipy.optimize import linprog

    values = _matrix(matrix)
    w = _weights(weights, values.columns)
    ranking = rank_themes(values, w)
    leader, runner_up = ranking.index[0], ranking.index[1]
    g = (values.loc[leader] - values.loc[runner_up]).to_numpy()
    k = len(g)
    gap = float(g @ w.to_numpy())
    result = {"leader": str(leader), "runner_up": str(runner_up), "gap": gap}
    if gap <= 1e-12:
        zero = pd.Series(0.0, index=values.columns)
        return result | {"moved": 0.0, "taken": zero, "given": zero, "to_criterion": None, "new_weights": w.copy(),
                         "first_at_swap": str(leader)}
    # Variables: u (weight given to each criterion) then v (weight taken from each). Minimise u + v.
    cost = np.ones(2 * k)
    a_eq = np.concatenate([np.ones(k), -np.ones(k)])[None, :]
    a_ub = np.concatenate([g, -g])[None, :]
    b_ub = np.array([-gap])  # g.(w + u - v) <= 0: the runner-up draws level
    bounds = [(0, None)] * k + [(0, float(x)) for x in w.to_numpy()]
    solved = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[0.0], bounds=bounds, method="highs")
    if solved.status != 0:
        nan = pd.Series(np.nan, index=values.columns)
        return result | {"moved": math.nan, "taken": nan, "given": nan, "to_criterion": None, "new_weights": nan,
                         "first_at_swap": str(leader)}
    given = pd.Series(np.clip(solved.x[:k], 0, None), index=values.columns, name="given")
    taken = pd.Series(np.clip(solved.x[k:], 0, None), index=values.columns, name="taken")
    new = (w + given - taken).clip(lower=0)
    new = new / new.sum()
    at_swap = weighted = values.to_numpy() @ new.to_numpy()
    order = np.argsort(-weighted, kind="stable")
    top = values.index[order[0]]
    if np.isclose(at_swap[values.index.get_loc(leader)], at_swap[values.index.get_loc(runner_up)]) \
            and top == leader:
        top = runner_up  # at the tie the runner-up has drawn level: any further move puts it ahead
    return result | {"moved": float(given.sum()), "taken": taken, "given": given,
                     "to_criterion": str(given.idxmax()), "new_weights": new.rename("weight"),
                     "first_at_swap": str(top)}


# ------------------------------------------------------------------------------ outputs
def select_outputs(questions: pd.DataFrame, theme: str, max_measures: int = 2, max_questions: int = 5) -> dict:
    """Pick a theme's measures of success and big questions, most votes first.

    Parameters
    ----------
    questions : pandas.DataFrame
        A ``theme_questions`` dataset (``theme``, ``kind``, ``text``, optionally ``votes``).
    theme : str
        The theme.
    max_measures : int, default 2
        Most measures of success to keep (a steering group records one or two).
    max_questions : int, default 5
        Most big questions to keep (up to five).

    Returns
    -------
    dict
        ``measures`` and ``questions`` (lists of text, most votes first, ties in the file's
        order) and ``left_out`` (how many of the theme's entries were not kept).

    Raises
    ------
    TypeError
        If ``questions`` is not a DataFrame.
    ValueError
        If a column is missing or a maximum is not a whole number of at least 1.
    """
    if not isinstance(questions, pd.DataFrame):
        raise TypeError(f"questions must be a pandas DataFrame (a theme_questions dataset), got {type(questions).__name__}")
    missing = [c for c in ("theme", "kind", "text") if c not in questions.columns]
    if missing:
        raise ValueError(f"questions lacks the column(s) {missing}; load it with curriculum.load('theme_questions', ...)")
    max_measures = _whole(max_measures, "max_measures", 1)
    max_questions = _whole(max_questions, "max_questions", 1)
    rows = questions[questions["theme"] == theme].copy()
    rows["_votes"] = pd.to_numeric(rows["votes"], errors="coerce") if "votes" in rows else np.nan
    rows = rows.sort_values("_votes", ascending=False, na_position="last", kind="stable")
    measures = rows.loc[rows["kind"] == "measure of success", "text"].astype(str).tolist()
    asked = rows.loc[rows["kind"] == "big question", "text"].astype(str).tolist()
    return {"measures": measures[:max_measures], "questions": asked[:max_questions],
            "left_out": max(0, len(measures) - max_measures) + max(0, len(asked) - max_questions)}


def _percent(value: float) -> str:
    return "" if value is None or not np.isfinite(value) else f"{value:.0%}"


def theme_record(ranking: pd.DataFrame, sensitivity: pd.DataFrame, weights, questions: pd.DataFrame,
                 chosen: Sequence[str], swap: dict, scorers: int, translate: Callable[[str], str] | None = None) -> list:
    """Build the steering group's record of its chosen themes, as sections for :func:`curriculum.artefacts.write_document`.

    Parameters
    ----------
    ranking : pandas.DataFrame
        :func:`rank_themes` with the agreed weights.
    sensitivity : pandas.DataFrame
        :func:`theme_sensitivity` with the same weights.
    weights : pandas.Series or mapping
        The agreed weights.
    questions : pandas.DataFrame
        A ``theme_questions`` dataset.
    chosen : sequence of str
        The themes chosen, in order.
    swap : dict
        :func:`swap_threshold` with the same weights.
    scorers : int
        How many members scored.
    translate : callable, optional
        Translates the record's own words; English by default.

    Returns
    -------
    list of (str, str or pandas.DataFrame)
        The sections: how the themes were scored (with the weights), the ranking, how sure it
        is, one section per chosen theme (measures of success and big questions) and the decision.

    Raises
    ------
    ValueError
        If ``chosen`` is empty or names a theme not in ``ranking``.
    """
    tr = translate or _same
    if isinstance(chosen, str) or not len(chosen) or any(t not in ranking.index for t in chosen):
        raise ValueError(f"chosen must list one or more themes of the ranking, got {chosen!r}")
    w = _weights(weights, pd.Index(list(weights.index if isinstance(weights, pd.Series) else weights)))
    groups = criterion_groups(list(w.index))
    group_words = {"seed criteria": tr("seed criterion"), "ways of working": tr("way of working")}
    weight_table = pd.DataFrame({tr("Criterion"): w.index, tr("Kind"): [group_words[g] for g in groups],
                                 tr("Weight"): [f"{x:.0%}" for x in w]})
    rank_table = pd.DataFrame({
        tr("Rank"): ranking["rank"].to_numpy(), tr("Theme"): ranking.index,
        tr("Weighted score (1-5)"): ranking["score"].map("{:.2f}".format).to_numpy(),
        tr("First in random weightings"): sensitivity["p_first"].reindex(ranking.index).map(_percent).to_numpy(),
        tr("In the top three"): sensitivity["p_top3"].reindex(ranking.index).map(_percent).to_numpy()})
    if np.isfinite(swap.get("moved", math.nan)):
        sure = tr("{leader} leads {runner_up} by {gap} points on the 1-5 scale. Moving {moved} percentage points of "
                  "the weight, towards {criterion}, would bring {runner_up} level.").format(
            leader=swap["leader"], runner_up=swap["runner_up"], gap=f"{swap['gap']:.2f}",
            moved=f"{100 * swap['moved']:.1f}", criterion=swap["to_criterion"])
    else:
        sure = tr("{leader} scores at least as well as {runner_up} on every criterion: no weights would put "
                  "{runner_up} first.").format(leader=swap["leader"], runner_up=swap["runner_up"])
    sections: list = [
        (tr("How the themes were scored"),
         tr("{scorers} members of the steering group scored {themes} candidate themes from 1 (weak) to 5 (strong) on "
            "{criteria} criteria: the programme's seed criteria and the five ways of working of the Well-being of "
            "Future Generations (Wales) Act 2015. Scores were averaged over the members who scored (abstentions left "
            "out) and weighted as below.").format(scorers=scorers, themes=len(ranking), criteria=len(w))),
        (tr("Weights"), weight_table),
        (tr("The ranking"), rank_table),
        (tr("How sure is the ranking?"),
         sure + "\n\n" + tr("In {n} random weightings around the agreed weights, {leader} came first in {p} of them.").format(
             n=f"{sensitivity.attrs.get('n', 0):,}", leader=swap["leader"],
             p=_percent(float(sensitivity.loc[swap["leader"], "p_first"]))))]
    for position, theme in enumerate(chosen, start=1):
        picked = select_outputs(questions, theme)
        measures = "\n".join(f"- {m}" for m in picked["measures"]) or tr("To be agreed.")
        asked = "\n".join(f"- {q}" for q in picked["questions"]) or tr("To be agreed.")
        sections.append((tr("Theme {position}: {theme}").format(position=position, theme=theme),
                         tr("Measures of success") + "\n\n" + measures + "\n\n" + tr("Big questions") + "\n\n" + asked))
    sections.append((tr("Decision"),
                     tr("The steering group takes forward: {themes}. Agreed on (date): ________. To be reviewed when the "
                        "first big questions are answered, or in twelve months.").format(themes="; ".join(chosen))))
    return sections


# ------------------------------------------------------------------------------ charts
def _axes(ax, figsize=(8, 4.5)):
    return axes(ax, figsize)


def plot_score_grid(matrix: pd.DataFrame, scores: pd.DataFrame | None = None, min_range: float = 3, ax=None,
                    title: str | None = None, translate: Callable[[str], str] | None = None):
    """Draw the panel's average scores as a grid, themes by criteria, with the cells where members disagree boxed.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Mean scores (:func:`score_matrix`).
    scores : pandas.DataFrame, optional
        The ``theme_scores`` dataset, to box the cells whose scores are ``min_range`` or
        more apart (:func:`disagreements`).
    min_range : float, default 3
        Gap between the lowest and highest score that counts as disagreement.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.
    title : str, optional
        The chart's title.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``matrix`` is not a DataFrame.
    ValueError
        If it has missing scores.
    """
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Rectangle

    values = _matrix(matrix)
    tr = translate or _same
    ax = _axes(ax, figsize=(9, 0.45 * len(values) + 2.4))
    cmap = LinearSegmentedColormap.from_list("infuse", ["#ffffff", HIGHLIGHT])
    ax.imshow(values.to_numpy(), cmap=cmap, vmin=LOW, vmax=HIGH, aspect="auto")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values.iat[i, j]
            ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=9, color="white" if v > 3.6 else "#222222")
    if scores is not None:
        split = disagreements(scores, min_range)
        for _, row in split.iterrows():
            if row["theme"] in values.index and row["criterion"] in values.columns:
                i, j = values.index.get_loc(row["theme"]), values.columns.get_loc(row["criterion"])
                ax.add_patch(Rectangle((j - 0.48, i - 0.45), 0.96, 0.9, fill=False, edgecolor="#F46A25", linewidth=2.2))
    groups = criterion_groups(list(values.columns))
    ways = np.flatnonzero(groups.to_numpy() == "ways of working")
    if len(ways) and len(ways) < len(groups):
        ax.axvline(ways[0] - 0.5, color="#222222", linewidth=1.5)
    ax.set_xticks(range(values.shape[1]), [str(c) for c in values.columns], rotation=35, ha="right", fontsize=9)
    ax.set_yticks(range(values.shape[0]), [str(t) for t in values.index], fontsize=9)
    ax.grid(False)
    ax.set_title(title or tr("Average score of the panel (1 weak, 5 strong)"), fontsize=12)
    if scores is not None:
        ax.set_xlabel(tr("Boxed: members' scores {gap} or more points apart").format(gap=f"{min_range:g}"), fontsize=9)
    return ax


def plot_ranking(ranking: pd.DataFrame, highlight: int = 2, ax=None, title: str | None = None,
                 translate: Callable[[str], str] | None = None):
    """Draw the themes' weighted average scores, best at the top, the leading ``highlight`` in colour.

    Parameters
    ----------
    ranking : pandas.DataFrame
        :func:`rank_themes`.
    highlight : int, default 2
        How many leading themes to colour.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.
    title : str, optional
        The chart's title.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``ranking`` is not a DataFrame.
    ValueError
        If it lacks ``score`` or ``highlight`` is negative.
    """
    if not isinstance(ranking, pd.DataFrame):
        raise TypeError(f"ranking must be a pandas DataFrame (from rank_themes), got {type(ranking).__name__}")
    if "score" not in ranking.columns:
        raise ValueError("ranking lacks the column 'score': pass the output of rank_themes")
    highlight = _whole(highlight, "highlight", 0)
    tr = translate or _same
    ax = _axes(ax, figsize=(8, 0.42 * len(ranking) + 1.4))
    shown = ranking.iloc[::-1]
    y = np.arange(len(shown))
    colours = [HIGHLIGHT if pos >= len(shown) - highlight else MUTED for pos in range(len(shown))]
    ax.barh(y, shown["score"] - LOW, left=LOW, color=colours, height=0.65)
    for yy, value in zip(y, shown["score"]):
        ax.text(value + 0.03, yy, f"{value:.2f}", va="center", fontsize=9)
    ax.set_yticks(y, [str(t) for t in shown.index], fontsize=9)
    ax.set_xlim(LOW, HIGH)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(tr("Weighted average score (1 weak, 5 strong)"))
    ax.set_title(title or tr("The themes ranked with the agreed weights"), fontsize=12)
    return ax


def plot_sensitivity(sensitivity: pd.DataFrame, ax=None, title: str | None = None,
                     translate: Callable[[str], str] | None = None):
    """Draw how often each theme came first, and in the top three, in the random weightings.

    Parameters
    ----------
    sensitivity : pandas.DataFrame
        :func:`theme_sensitivity`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.
    title : str, optional
        The chart's title.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``sensitivity`` is not a DataFrame.
    ValueError
        If it lacks ``p_first`` or ``p_top3``.
    """
    from matplotlib.ticker import FuncFormatter

    if not isinstance(sensitivity, pd.DataFrame):
        raise TypeError(f"sensitivity must be a pandas DataFrame (from theme_sensitivity), got {type(sensitivity).__name__}")
    if not {"p_first", "p_top3"} <= set(sensitivity.columns):
        raise ValueError("sensitivity lacks p_first or p_top3: pass the output of theme_sensitivity")
    tr = translate or _same
    ax = _axes(ax, figsize=(8, 0.45 * len(sensitivity) + 1.6))
    shown = sensitivity.iloc[::-1]
    y = np.arange(len(shown))
    ax.barh(y + 0.18, shown["p_top3"], height=0.36, color=MUTED, label=tr("In the top three"))
    ax.barh(y - 0.18, shown["p_first"], height=0.36, color=HIGHLIGHT, label=tr("First"))
    for yy, value in zip(y, shown["p_first"]):
        if value > 0:
            ax.text(value + 0.01, yy - 0.18, f"{value:.0%}", va="center", fontsize=9, color=HIGHLIGHT)
    ax.set_yticks(y, [str(t) for t in shown.index], fontsize=9)
    ax.set_xlim(0, 1.08)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(tr("Share of the random weightings"))
    ax.legend(fontsize=9, loc="lower right")
    ax.set_title(title or tr("How often each theme comes first when the weights vary"), fontsize=12)
    return ax


def plot_swap(matrix: pd.DataFrame, weights, swap: dict, ax=None, title: str | None = None,
              translate: Callable[[str], str] | None = None):
    """Draw the leader's and runner-up's scores as weight moves along the smallest change that swaps them.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Mean scores (:func:`score_matrix`).
    weights : pandas.Series or mapping
        The agreed weights.
    swap : dict
        :func:`swap_threshold` with the same weights.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.
    title : str, optional
        The chart's title.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``matrix`` is not a DataFrame.
    ValueError
        If the matrix or weights are invalid or ``swap`` is not from :func:`swap_threshold`.
    """
    values = _matrix(matrix)
    w = _weights(weights, values.columns)
    if not isinstance(swap, dict) or not {"leader", "runner_up", "moved", "new_weights"} <= set(swap):
        raise ValueError("swap must be the result of swap_threshold")
    tr = translate or _same
    ax = _axes(ax, figsize=(8, 4))
    leader, runner_up, moved = swap["leader"], swap["runner_up"], swap["moved"]
    if not np.isfinite(moved) or moved <= 0:
        ax.text(0.5, 0.5, tr("No change of weights brings the runner-up level"), transform=ax.transAxes, ha="center",
                color=MUTED)
        return ax
    direction = (swap["new_weights"].reindex(values.columns) - w) / moved  # per unit of weight moved
    falling = direction < -1e-12
    limit = float((w[falling] / -direction[falling]).min()) if falling.any() else 2 * moved
    steps = np.linspace(0, min(2 * moved, limit), 60)
    for theme, colour, style in ((leader, HIGHLIGHT, "-"), (runner_up, "#12436D", "--")):
        path = [values.loc[theme].to_numpy() @ (w + t * direction).to_numpy() for t in steps]
        ax.plot(100 * steps, path, color=colour, linestyle=style, label=str(theme))
    ax.axvline(100 * moved, color=MUTED, linestyle=":", linewidth=1.2)
    ax.annotate(tr("level after {moved} points").format(moved=f"{100 * moved:.1f}"), (100 * moved, ax.get_ylim()[0]),
                xytext=(4, 6), textcoords="offset points", fontsize=9, color="#333333")
    ax.set_xlabel(tr("Percentage points of weight moved towards {criterion}").format(criterion=swap["to_criterion"]))
    ax.set_ylabel(tr("Weighted average score"))
    ax.legend(fontsize=9)
    ax.set_title(title or tr("The smallest change of weights that brings the runner-up level"), fontsize=12)
    return ax


# ------------------------------------------------------------------------------ widget
def weights_explorer(matrix: pd.DataFrame, weights, highlight: int = 2, translate: Callable[[str], str] | None = None):
    """Weight sliders, one per criterion, that re-rank the themes live.

    The sliders hold points from 0 to 30 (shared out in proportion: they need not add up
    to 100). The view is written with ``Output.append_display_data`` (not by capturing
    output), so headless runs send the kernel no widget messages back (jupyter/nbclient#312).

    Parameters
    ----------
    matrix : pandas.DataFrame
        Mean scores (:func:`score_matrix`).
    weights : pandas.Series or mapping
        The starting weights (the agreed ones).
    highlight : int, default 2
        How many leading themes to colour.
    translate : callable, optional
        Translates the widget's and chart's own words; English by default.

    Returns
    -------
    ipywidgets.HBox
        The sliders beside the ranking; display it in a notebook.

    Raises
    ------
    TypeError
        If ``matrix`` is not a DataFrame.
    ValueError
        If the matrix or weights are invalid.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    values = _matrix(matrix)
    w = _weights(weights, values.columns)
    tr = translate or _same
    sliders = [widgets.IntSlider(value=int(round(100 * share)), min=0, max=30, description=str(criterion)[:22],
                                 continuous_update=False, style={"description_width": "11rem"},
                                 layout=widgets.Layout(width="24rem"))
               for criterion, share in w.items()]

    def draw():
        points = {c: s.value for c, s in zip(values.columns, sliders)}
        if sum(points.values()) == 0:
            return tr("Give at least one criterion some weight.")
        ranking = rank_themes(values, points)
        fig, ax = plt.subplots(figsize=(7, 0.42 * len(ranking) + 1.4))
        plot_ranking(ranking, highlight=highlight, ax=ax, translate=translate, title=tr(
            "First: {leader}, {lead} points ahead").format(leader=ranking.index[0],
                                                          lead=f"{ranking['behind'].iloc[1]:.2f}"))
        return fig

    view = live_view(draw, sliders)
    note = widgets.HTML(tr("Points for each criterion (shared out in proportion: they need not add up to 100)."))
    return widgets.HBox([widgets.VBox([note] + sliders), view])
