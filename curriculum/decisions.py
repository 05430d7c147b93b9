"""Multi-criteria decisions: evaluation matrices, weighted scores, dominance and weight sensitivity.

The helpers behind any choice between options scored on several criteria: candidate
solutions in the Adaption Lab, tenders in the Procurement Lab, themes for the programme.
An **evaluation matrix** is a table with one row per option (its index names the
option) and one numeric column per criterion; each criterion is either a *benefit*
(higher is better: evidence, fit, quality) or a *cost* (lower is better: price, risk).

- :func:`normalise` puts the criteria on one 0-1 scale, higher always better
  (min-max or ratio scaling);
- :func:`weighted_scores` and :func:`rank_options` give the weighted-sum score and rank;
- :func:`dominance` finds the options that another option beats or equals on every
  criterion (Pareto-dominated options, which no set of positive weights can make win);
- :func:`simulate_weights` perturbs the weights at random (Dirichlet draws centred on
  the agreed weights, or uniform over all weights) and reports how often each option
  wins and the distribution of its ranks;
- :func:`sweep_weight`, :func:`switch_points` and :func:`one_at_a_time` vary one
  weight at a time (the others keep their proportions) for sweep and tornado charts;
- :func:`rank_order_centroid` turns a ranking of criteria into weights;
- :func:`plot_win_shares`, :func:`plot_rank_distribution`, :func:`plot_tornado` and
  :func:`plot_sweep` draw the charts in the house style.

Weights are shares: any non-negative numbers (percentages, points) are divided by
their total. Nothing happens on import; matplotlib is imported only when plotting.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from curriculum.style import HIGHLIGHT, MUTED
from curriculum.views import axes as _axes

__all__ = [
    "DIRECTIONS",
    "METHODS",
    "WeightSimulation",
    "dominance",
    "normalise",
    "one_at_a_time",
    "plot_rank_distribution",
    "plot_sweep",
    "plot_tornado",
    "plot_win_shares",
    "rank_options",
    "rank_order_centroid",
    "simulate_weights",
    "sweep_weight",
    "switch_points",
    "weighted_scores",
]

DIRECTIONS: tuple[str, ...] = ("benefit", "cost")
METHODS: tuple[str, ...] = ("min-max", "ratio")


# --------------------------------------------------------------------------- checks
def _matrix(matrix, name: str = "matrix") -> pd.DataFrame:
    """Return the evaluation matrix as floats, or raise ValueError naming ``name``."""
    if not isinstance(matrix, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame with one row per option and one column per criterion, "
                         f"got {type(matrix).__name__}")
    if matrix.empty or matrix.shape[1] == 0:
        raise ValueError(f"{name} must hold at least one option and one criterion, got shape {matrix.shape}")
    if not matrix.index.is_unique:
        repeated = sorted(map(str, matrix.index[matrix.index.duplicated()].unique()))
        raise ValueError(f"{name}'s index must name each option once, but {', '.join(repeated)} repeat(s)")
    if not matrix.columns.is_unique:
        raise ValueError(f"{name}'s columns must name each criterion once")
    try:
        values = matrix.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers only; its column types are "
                         f"{', '.join(f'{c}: {t}' for c, t in matrix.dtypes.astype(str).items())}") from None
    bad = [str(c) for c in values.columns if not np.isfinite(values[c].to_numpy()).all()]
    if bad:
        raise ValueError(f"{name} has missing or infinite values in column(s) {', '.join(bad)}; "
                         "score every option on every criterion (or leave the criterion out)")
    return values


def _directions(directions, columns: pd.Index) -> dict[str, str]:
    if not isinstance(directions, Mapping):
        raise ValueError(f"directions must map each criterion to 'benefit' or 'cost', got {type(directions).__name__}")
    missing = [str(c) for c in columns if c not in directions]
    if missing:
        raise ValueError(f"directions gives no direction for criterion(s) {', '.join(missing)}; "
                         "say 'benefit' (higher is better) or 'cost' (lower is better) for each")
    out = {}
    for column in columns:
        value = directions[column]
        if value not in DIRECTIONS:
            raise ValueError(f"directions[{column!r}] must be 'benefit' or 'cost', got {value!r}")
        out[column] = value
    return out


def _weights(weights, columns: pd.Index) -> np.ndarray:
    """Return the weights in column order as shares that add up to 1, or raise ValueError."""
    if isinstance(weights, pd.Series):
        if not weights.index.is_unique:
            raise ValueError("weights must name each criterion once")
        given = weights.to_dict()
    elif isinstance(weights, Mapping):
        given = dict(weights)
    else:
        raise ValueError(f"weights must be a pandas Series or a dict of criterion to weight, got {type(weights).__name__}")
    missing = [str(c) for c in columns if c not in given]
    extra = [str(k) for k in given if k not in set(columns)]
    if missing or extra:
        raise ValueError(f"weights must give one weight for each criterion of the matrix ({', '.join(map(str, columns))}); "
                         + (f"missing: {', '.join(missing)}" if missing else "")
                         + ("; " if missing and extra else "")
                         + (f"not in the matrix: {', '.join(extra)}" if extra else ""))
    values = []
    for column in columns:
        value = given[column]
        if isinstance(value, bool):
            raise ValueError(f"weights[{column!r}] must be a number, got {value!r}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"weights[{column!r}] must be a number, got {value!r}") from None
        if not math.isfinite(number) or number < 0:
            raise ValueError(f"weights[{column!r}] must be a finite number of at least 0, got {value!r}")
        values.append(number)
    array = np.asarray(values, dtype=float)
    if array.sum() <= 0:
        raise ValueError("weights must not all be zero: at least one criterion has to count")
    return array / array.sum()


def _whole(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{name} must be a whole number of at least {low}, got {value!r}")
    return int(value)


# ----------------------------------------------------------------- normalising
def normalise(matrix: pd.DataFrame, directions: Mapping[str, str], method: str = "min-max") -> pd.DataFrame:
    """Put every criterion on a 0-1 scale on which higher is better.

    ``"min-max"`` scaling maps the worst option on a criterion to 0 and the best to 1:
    ``(x - min) / (max - min)`` for a benefit and ``(max - x) / (max - min)`` for a cost.
    ``"ratio"`` scaling divides by the best value: ``x / max`` for a benefit and
    ``min / x`` for a cost, so 0 is kept as "nothing" and the gaps between options keep
    their proportions. Min-max scores depend on which options are in the table: adding
    or removing an option can change the ranks of the others (rank reversal), so
    normalise the shortlist you decide on and record the method.

    Parameters
    ----------
    matrix : pandas.DataFrame
        One row per option (the index names them, once each), one numeric column per
        criterion, no missing values.
    directions : mapping of str to {"benefit", "cost"}
        The direction of every column of ``matrix`` (other keys are ignored).
    method : {"min-max", "ratio"}, default "min-max"
        The scaling.

    Returns
    -------
    pandas.DataFrame
        The same shape, index and columns as ``matrix``, with values from 0 to 1 and
        higher better on every criterion. A criterion on which all options are equal
        cannot tell them apart and scores 1 for every option.

    Raises
    ------
    ValueError
        If ``matrix`` is not a numeric table with a unique index and no missing values,
        a column has no direction or an unknown one, ``method`` is unknown, or (ratio
        scaling) a benefit column holds negative values or a cost column values of 0
        or below.

    Examples
    --------
    >>> m = pd.DataFrame({"evidence": [2, 4, 3], "cost": [100.0, 300.0, 200.0]}, index=["A", "B", "C"])
    >>> normalise(m, {"evidence": "benefit", "cost": "cost"})["cost"].tolist()
    [1.0, 0.0, 0.5]
    """
    values = _matrix(matrix)
    sense = _directions(directions, values.columns)
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    out = pd.DataFrame(index=values.index)
    for column in values.columns:
        x = values[column]
        benefit = sense[column] == "benefit"
        if method == "min-max":
            low, high = x.min(), x.max()
            if high == low:
                scaled = pd.Series(1.0, index=x.index)
            else:
                scaled = (x - low) / (high - low) if benefit else (high - x) / (high - low)
        else:
            if benefit:
                if (x < 0).any():
                    raise ValueError(f"ratio scaling needs benefit column {column!r} to be at least 0; use method='min-max'")
                scaled = x / x.max() if x.max() > 0 else pd.Series(1.0, index=x.index)
            else:
                if (x <= 0).any():
                    raise ValueError(f"ratio scaling needs cost column {column!r} to be above 0; use method='min-max'")
                scaled = x.min() / x
        out[column] = scaled.astype(float)
    out.columns = values.columns
    return out


# ---------------------------------------------------------------------- scores
def weighted_scores(normalised: pd.DataFrame, weights) -> pd.Series:
    """Return each option's weighted-sum score.

    The score is the sum over criteria of the normalised value times the criterion's
    share of the total weight; with normalised values from 0 to 1 it lies from 0 to 1.

    Parameters
    ----------
    normalised : pandas.DataFrame
        The normalised matrix (from :func:`normalise`): one row per option, one
        column per criterion, higher better.
    weights : pandas.Series or mapping of str to float
        One non-negative weight per column of ``normalised`` (percentages, points or
        shares; they are divided by their total), not all zero.

    Returns
    -------
    pandas.Series
        Named ``"score"``, indexed like ``normalised`` (in the same order).

    Raises
    ------
    ValueError
        If ``normalised`` is not a numeric table with a unique index, or ``weights``
        misses a criterion, names one the matrix lacks, or holds negative, missing or
        only zero weights.

    Examples
    --------
    >>> n = pd.DataFrame({"evidence": [0.0, 1.0], "cost": [1.0, 0.0]}, index=["A", "B"])
    >>> weighted_scores(n, {"evidence": 60, "cost": 40}).tolist()
    [0.4, 0.6]
    """
    values = _matrix(normalised, "normalised")
    w = _weights(weights, values.columns)
    return pd.Series(values.to_numpy() @ w, index=values.index, name="score")


def rank_options(normalised: pd.DataFrame, weights) -> pd.DataFrame:
    """Return the options' scores and ranks, best first.

    Parameters
    ----------
    normalised : pandas.DataFrame
        The normalised matrix (from :func:`normalise`).
    weights : pandas.Series or mapping of str to float
        One non-negative weight per criterion, as for :func:`weighted_scores`.

    Returns
    -------
    pandas.DataFrame
        Indexed by option, best first, with columns ``score`` and ``rank`` (1 is best;
        equal scores share the better rank). Options with equal scores keep their order
        in ``normalised``.

    Raises
    ------
    ValueError
        As :func:`weighted_scores`.

    Examples
    --------
    >>> n = pd.DataFrame({"evidence": [0.0, 1.0], "cost": [1.0, 0.0]}, index=["A", "B"])
    >>> rank_options(n, {"evidence": 60, "cost": 40}).index.tolist()
    ['B', 'A']
    """
    scores = weighted_scores(normalised, weights)
    table = scores.to_frame()
    table["rank"] = scores.round(12).rank(ascending=False, method="min").astype(int)
    return table.sort_values("rank", kind="stable")


# -------------------------------------------------------------------- dominance
def dominance(matrix: pd.DataFrame, directions: Mapping[str, str]) -> pd.DataFrame:
    """Find the options that another option dominates.

    Option A dominates option B when A is at least as good as B on every criterion and
    strictly better on at least one (Pareto dominance). A dominated option cannot come
    first under any weights that give every criterion some weight, whatever the
    normalisation, so it can be set aside before arguing about weights. Options equal
    on every criterion do not dominate each other.

    Parameters
    ----------
    matrix : pandas.DataFrame
        The evaluation matrix (raw or normalised): one row per option, one numeric
        column per criterion.
    directions : mapping of str to {"benefit", "cost"}
        The direction of every column (for a normalised matrix, all ``"benefit"``).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``matrix``, with columns ``dominated`` (bool), ``dominated_by``
        (the names of the options that dominate it, joined with ", "; empty text if
        none) and ``dominates`` (how many options it dominates).

    Raises
    ------
    ValueError
        If ``matrix`` is not a numeric table with a unique index, or a column has no
        direction or an unknown one.

    Examples
    --------
    >>> m = pd.DataFrame({"evidence": [4, 3, 2], "cost": [100, 150, 80]}, index=["A", "B", "C"])
    >>> dominance(m, {"evidence": "benefit", "cost": "cost"})["dominated_by"].tolist()
    ['', 'A', '']
    """
    values = _matrix(matrix)
    sense = _directions(directions, values.columns)
    signs = np.array([1.0 if sense[c] == "benefit" else -1.0 for c in values.columns])
    better = values.to_numpy() * signs  # higher is better on every column
    at_least = (better[:, None, :] >= better[None, :, :]).all(axis=2)  # [a, b]: a >= b everywhere
    strictly = (better[:, None, :] > better[None, :, :]).any(axis=2)
    dominates = at_least & strictly  # [a, b]: a dominates b
    names = values.index
    return pd.DataFrame({
        "dominated": dominates.any(axis=0),
        "dominated_by": [", ".join(str(names[a]) for a in np.flatnonzero(dominates[:, b])) for b in range(len(names))],
        "dominates": dominates.sum(axis=1).astype(int),
    }, index=names)


# ------------------------------------------------------------------ simulation
@dataclass(frozen=True)
class WeightSimulation:
    """The result of :func:`simulate_weights`.

    Attributes
    ----------
    weights : pandas.DataFrame
        The weights drawn: one row per draw, one column per criterion, rows adding up to 1.
    ranks : pandas.DataFrame
        Each option's rank in each draw (1 is best): one row per draw, one column per option.
    base : pandas.DataFrame
        Scores and ranks with the weights given (:func:`rank_options`).
    concentration : float or None
        The Dirichlet concentration used (None for uniform weights).
    seed : int
        The seed of the draws.
    """

    weights: pd.DataFrame
    ranks: pd.DataFrame
    base: pd.DataFrame
    concentration: float | None
    seed: int

    @property
    def win_share(self) -> pd.Series:
        """Share of draws in which each option ranks first, best first."""
        share = (self.ranks == 1).mean(axis=0).rename("win_share")
        return share.sort_values(ascending=False, kind="stable")

    @property
    def rank_share(self) -> pd.DataFrame:
        """Share of draws in which each option takes each rank: options by ranks 1..k, rows adding up to 1."""
        k = self.ranks.shape[1]
        counts = {rank: (self.ranks == rank).mean(axis=0) for rank in range(1, k + 1)}
        table = pd.DataFrame(counts)
        table.columns.name = "rank"
        return table.loc[self.win_share.index]

    def summary(self) -> pd.DataFrame:
        """Return one row per option: score and rank with the weights given, win share, top-two share and mean rank.

        Returns
        -------
        pandas.DataFrame
            Indexed by option, ordered by win share and then mean rank.
        """
        table = self.base.rename(columns={"score": "base_score", "rank": "base_rank"}).copy()
        table["win_share"] = (self.ranks == 1).mean(axis=0)
        table["top_two_share"] = (self.ranks <= 2).mean(axis=0)
        table["mean_rank"] = self.ranks.mean(axis=0)
        return table.sort_values(["win_share", "mean_rank"], ascending=[False, True], kind="stable")


def simulate_weights(normalised: pd.DataFrame, weights, *, seed: int, n: int = 2000,
                     concentration: float | None = 30.0) -> WeightSimulation:
    """Score the options under many random weights and record each option's rank.

    With a ``concentration`` the weights are drawn from a Dirichlet distribution with
    parameters ``concentration * w`` (``w`` the weights given, as shares): on average
    they equal the weights given, and each share varies with standard deviation
    ``sqrt(w * (1 - w) / (concentration + 1))`` (about 0.08 for a share of 0.3 at
    concentration 30). Criteria with zero weight keep zero. With ``concentration=None``
    the weights are drawn uniformly over all weights (Dirichlet with every parameter 1),
    which asks which options could win if the weights were anyone's guess.

    Parameters
    ----------
    normalised : pandas.DataFrame
        The normalised matrix (from :func:`normalise`).
    weights : pandas.Series or mapping of str to float
        The agreed weights, one per criterion (as for :func:`weighted_scores`).
    seed : int
        A whole number of at least 0 seeding :func:`numpy.random.default_rng`; the same
        seed gives the same draws. Required, so that the result can be reproduced.
    n : int, default 2000
        Number of draws (at least 1).
    concentration : float or None, default 30.0
        How tightly the draws cluster around the weights given (more than 0); None for
        uniform weights.

    Returns
    -------
    WeightSimulation
        The draws, ranks (ordinal: equal scores are ranked in the options' order in
        ``normalised``), win shares (:attr:`WeightSimulation.win_share`) and rank shares
        (:attr:`WeightSimulation.rank_share`).

    Raises
    ------
    ValueError
        If ``seed`` or ``n`` is not a whole number in range, ``concentration`` is not a
        positive number or None, or the matrix or weights are invalid (see
        :func:`weighted_scores`).

    Examples
    --------
    >>> n = pd.DataFrame({"evidence": [0.0, 1.0], "cost": [1.0, 0.0]}, index=["A", "B"])
    >>> sim = simulate_weights(n, {"evidence": 50, "cost": 50}, seed=1, n=1000)
    >>> float(round(sim.win_share.sum(), 6))
    1.0
    """
    values = _matrix(normalised, "normalised")
    w = _weights(weights, values.columns)
    seed = _whole("seed", seed, 0)
    draws = _whole("n", n, 1)
    rng = np.random.default_rng(seed)
    if concentration is None:
        drawn = rng.dirichlet(np.ones(len(w)), size=draws)
    else:
        if isinstance(concentration, bool) or not isinstance(concentration, (int, float, np.integer, np.floating)) \
                or not math.isfinite(concentration) or concentration <= 0:
            raise ValueError(f"concentration must be a positive number (or None for uniform weights), got {concentration!r}")
        positive = w > 0
        drawn = np.zeros((draws, len(w)))
        if positive.sum() == 1:
            drawn[:, positive] = 1.0
        else:
            drawn[:, positive] = rng.dirichlet(float(concentration) * w[positive], size=draws)
    scores = drawn @ values.to_numpy().T  # draws x options
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(draws)[:, None]
    ranks[rows, order] = np.arange(1, values.shape[0] + 1)
    return WeightSimulation(
        weights=pd.DataFrame(drawn, columns=values.columns),
        ranks=pd.DataFrame(ranks, columns=values.index),
        base=rank_options(values, pd.Series(w, index=values.columns)),
        concentration=None if concentration is None else float(concentration),
        seed=seed,
    )


# ------------------------------------------------------------ one at a time
def _others(values: pd.DataFrame, w: np.ndarray, criterion) -> tuple[np.ndarray, np.ndarray, int]:
    """Return the criterion's column, the options' score on the other criteria (rescaled) and its position."""
    if criterion not in values.columns:
        raise ValueError(f"criterion {criterion!r} is not a column of the matrix; the criteria are: "
                         f"{', '.join(map(str, values.columns))}")
    c = values.columns.get_loc(criterion)
    rest = 1.0 - w[c]
    if rest <= 1e-12:
        raise ValueError(f"criterion {criterion!r} carries all the weight, so there is nothing to trade it against; "
                         "give another criterion some weight")
    others = np.delete(values.to_numpy(), c, axis=1) @ (np.delete(w, c) / rest)
    return values.iloc[:, c].to_numpy(), others, c


def sweep_weight(normalised: pd.DataFrame, weights, criterion: str, values=None) -> pd.DataFrame:
    """Return every option's score as one criterion's weight runs over a range.

    The other criteria share what is left (``1 - t`` for a weight ``t``) in their
    agreed proportions, so each option's score is a straight line in ``t``:
    ``t * x_c + (1 - t) * r`` with ``r`` the option's score on the other criteria.

    Parameters
    ----------
    normalised : pandas.DataFrame
        The normalised matrix (from :func:`normalise`).
    weights : pandas.Series or mapping of str to float
        The agreed weights, one per criterion.
    criterion : str
        The column whose weight is varied.
    values : array-like of float, optional
        The shares of the total weight to try, each from 0 to 1; by default 0, 0.01, ..., 1.

    Returns
    -------
    pandas.DataFrame
        Indexed by the criterion's share of the weight (the index is named after the
        criterion), one column of scores per option.

    Raises
    ------
    ValueError
        If ``criterion`` is not a column, carries all the weight, or a value is outside 0-1;
        or the matrix or weights are invalid (see :func:`weighted_scores`).

    Examples
    --------
    >>> n = pd.DataFrame({"evidence": [0.0, 1.0], "cost": [1.0, 0.0]}, index=["A", "B"])
    >>> sweep_weight(n, {"evidence": 50, "cost": 50}, "evidence", [0.0, 1.0])["A"].tolist()
    [1.0, 0.0]
    """
    matrix = _matrix(normalised, "normalised")
    w = _weights(weights, matrix.columns)
    column, others, _ = _others(matrix, w, criterion)
    grid = np.linspace(0.0, 1.0, 101) if values is None else np.asarray(values, dtype=float).ravel()
    if grid.size == 0 or not np.isfinite(grid).all() or (grid < 0).any() or (grid > 1).any():
        raise ValueError("values must be shares of the total weight, each from 0 to 1")
    scores = grid[:, None] * column[None, :] + (1.0 - grid[:, None]) * others[None, :]
    return pd.DataFrame(scores, index=pd.Index(grid, name=criterion), columns=matrix.index)


def switch_points(normalised: pd.DataFrame, weights) -> pd.DataFrame:
    """Return, for each criterion, how far its weight can move before the leader changes.

    Each criterion's weight is varied alone (the others keep their proportions, as in
    :func:`sweep_weight`). Because every option's score is a straight line in the
    weight, the range over which the option ranked first with the agreed weights stays
    first (scores at least as high as every other option's) is found exactly.

    Parameters
    ----------
    normalised : pandas.DataFrame
        The normalised matrix (from :func:`normalise`).
    weights : pandas.Series or mapping of str to float
        The agreed weights, one per criterion.

    Returns
    -------
    pandas.DataFrame
        Indexed by criterion, with columns ``weight`` (the agreed share), ``lower`` and
        ``upper`` (the range of shares over which the leader stays first), ``rival_below``
        and ``rival_above`` (the option that overtakes it below ``lower`` or above
        ``upper``; empty text where none does) and ``leader``. A criterion that carries
        all the weight has NaN bounds.

    Raises
    ------
    ValueError
        If the matrix or weights are invalid (see :func:`weighted_scores`).

    Examples
    --------
    >>> n = pd.DataFrame({"evidence": [0.0, 1.0], "cost": [1.0, 0.0]}, index=["A", "B"])
    >>> switch_points(n, {"evidence": 60, "cost": 40}).loc["evidence", ["lower", "upper"]].tolist()
    [0.5, 1.0]
    """
    matrix = _matrix(normalised, "normalised")
    w = _weights(weights, matrix.columns)
    base = rank_options(matrix, pd.Series(w, index=matrix.columns))
    leader = base.index[0]
    lead = matrix.index.get_loc(leader)
    rows = []
    for criterion in matrix.columns:
        c = matrix.columns.get_loc(criterion)
        row = {"criterion": criterion, "weight": w[c], "lower": math.nan, "upper": math.nan,
               "rival_below": "", "rival_above": "", "leader": str(leader)}
        if 1.0 - w[c] > 1e-12:
            column, others, _ = _others(matrix, w, criterion)
            a = others[lead] - others                   # margin at t = 0
            b = (column[lead] - column) - a              # change of the margin per unit of t
            lower, upper, below, above = 0.0, 1.0, "", ""
            for j in range(len(matrix.index)):
                if j == lead or abs(b[j]) < 1e-12:
                    continue
                crossing = -a[j] / b[j]
                if b[j] > 0 and crossing > lower:
                    lower, below = min(crossing, w[c]), str(matrix.index[j])
                elif b[j] < 0 and crossing < upper:
                    upper, above = max(crossing, w[c]), str(matrix.index[j])
            row.update(lower=lower, upper=upper, rival_below=below, rival_above=above)
        rows.append(row)
    return pd.DataFrame(rows).set_index("criterion")


def one_at_a_time(normalised: pd.DataFrame, weights, spread: float = 0.5, option: str | None = None) -> pd.DataFrame:
    """Return the table behind a tornado chart: an option's lead as each weight moves alone.

    Each criterion's weight is moved down and up by ``spread`` times itself (0.5: from
    half to one and a half times the agreed weight, capped at 1), the others keeping
    their proportions, and the option's **margin** (its score minus the best other
    option's) is recorded at both ends. A margin below 0 means another option overtakes it.

    Parameters
    ----------
    normalised : pandas.DataFrame
        The normalised matrix (from :func:`normalise`), with at least two options.
    weights : pandas.Series or mapping of str to float
        The agreed weights, one per criterion.
    spread : float, default 0.5
        Relative change of each weight, more than 0 and at most 1.
    option : str, optional
        The option whose margin is tracked; by default the leader with the agreed weights.

    Returns
    -------
    pandas.DataFrame
        Indexed by criterion, the widest swing first, with columns ``weight``,
        ``low_weight``, ``high_weight``, ``margin_low``, ``margin_high``, ``base_margin``,
        ``top_low`` and ``top_high`` (the option ranked first at each end); its
        ``attrs["option"]`` names the option tracked.

    Raises
    ------
    ValueError
        If ``spread`` is out of range, ``option`` is not an option, the matrix has fewer
        than two options, or the matrix or weights are invalid (see :func:`weighted_scores`).

    Examples
    --------
    >>> n = pd.DataFrame({"evidence": [0.0, 1.0], "cost": [1.0, 0.0]}, index=["A", "B"])
    >>> one_at_a_time(n, {"evidence": 60, "cost": 40}).loc["evidence", "top_low"]
    'A'
    """
    matrix = _matrix(normalised, "normalised")
    if len(matrix.index) < 2:
        raise ValueError("normalised must hold at least two options to compare margins")
    w = _weights(weights, matrix.columns)
    if isinstance(spread, bool) or not isinstance(spread, (int, float, np.integer, np.floating)) \
            or not math.isfinite(spread) or not 0 < spread <= 1:
        raise ValueError(f"spread must be a number more than 0 and at most 1, got {spread!r}")
    base = rank_options(matrix, pd.Series(w, index=matrix.columns))
    tracked = base.index[0] if option is None else option
    if tracked not in matrix.index:
        raise ValueError(f"option {option!r} is not an option of the matrix; the options are: "
                         f"{', '.join(map(str, matrix.index))}")

    def margin(scores: pd.Series) -> float:
        return float(scores[tracked] - scores.drop(tracked).max())

    base_margin = margin(base["score"])
    rows = []
    for criterion in matrix.columns:
        c = matrix.columns.get_loc(criterion)
        low, high = w[c] * (1 - spread), min(1.0, w[c] * (1 + spread))
        if 1.0 - w[c] <= 1e-12:
            continue  # a single criterion carries all the weight: nothing to trade
        sweep = sweep_weight(matrix, pd.Series(w, index=matrix.columns), criterion, [low, high])
        rows.append({"criterion": criterion, "weight": w[c], "low_weight": low, "high_weight": high,
                     "margin_low": margin(sweep.iloc[0]), "margin_high": margin(sweep.iloc[1]),
                     "base_margin": base_margin,
                     "top_low": str(sweep.iloc[0].idxmax()), "top_high": str(sweep.iloc[1].idxmax())})
    table = pd.DataFrame(rows).set_index("criterion")
    swing = (table["margin_high"] - table["margin_low"]).abs()
    table = table.loc[swing.sort_values(ascending=False, kind="stable").index]
    table.attrs["option"] = str(tracked)
    return table


def rank_order_centroid(criteria: Sequence[str]) -> pd.Series:
    """Return weights for criteria given only in order of importance.

    When a group can agree the order of the criteria but not their weights, the rank
    order centroid (Barron and Barrett, 1996) gives the ``i``-th of ``n`` criteria the
    weight ``(1 / n) * sum(1 / k for k in i..n)``: the centre of all weights that
    respect the order.

    Parameters
    ----------
    criteria : sequence of str
        The criteria, most important first, each once.

    Returns
    -------
    pandas.Series
        Weights indexed by criterion, decreasing, adding up to 1.

    Raises
    ------
    ValueError
        If ``criteria`` is empty, a single string, or repeats a criterion.

    Examples
    --------
    >>> rank_order_centroid(["evidence", "cost", "fit"]).round(3).tolist()
    [0.611, 0.278, 0.111]
    """
    if isinstance(criteria, str) or not isinstance(criteria, Sequence) or len(criteria) == 0:
        raise ValueError(f"criteria must be a list of criteria, most important first, got {criteria!r}")
    if len(set(criteria)) != len(criteria):
        raise ValueError("criteria must name each criterion once")
    n = len(criteria)
    weights = [sum(1.0 / k for k in range(i, n + 1)) / n for i in range(1, n + 1)]
    return pd.Series(weights, index=list(criteria), name="weight")


# ------------------------------------------------------------------------ plots
def _check_simulation(simulation) -> None:
    if not isinstance(simulation, WeightSimulation):
        raise ValueError(f"simulation must be the result of simulate_weights, got {type(simulation).__name__}")


def plot_win_shares(simulation: WeightSimulation, highlight: str | None = None, ax=None, title: str | None = None):
    """Draw how often each option ranks first, as horizontal bars (most wins at the top).

    Parameters
    ----------
    simulation : WeightSimulation
        The result of :func:`simulate_weights`.
    highlight : str, optional
        The option to draw in :data:`~curriculum.style.HIGHLIGHT`; by default the
        leader with the agreed weights.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``simulation`` is not a :class:`WeightSimulation`.
    """
    _check_simulation(simulation)
    ax = _axes(ax)
    share = simulation.win_share.iloc[::-1]
    pick = simulation.base.index[0] if highlight is None else highlight
    ax.barh([str(o) for o in share.index], share.to_numpy(), color=[HIGHLIGHT if o == pick else MUTED for o in share.index])
    for y, value in enumerate(share.to_numpy()):
        ax.annotate(f"{value:.0%}", (value, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_xlim(0, 1.08)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(f"Share of {len(simulation.ranks):,} weight draws in which the option ranks first")
    ax.set_title(title or "How often each option wins")
    return ax


def plot_rank_distribution(simulation: WeightSimulation, ax=None, title: str | None = None):
    """Draw each option's distribution of ranks as stacked horizontal bars (rank 1 darkest).

    Parameters
    ----------
    simulation : WeightSimulation
        The result of :func:`simulate_weights`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``simulation`` is not a :class:`WeightSimulation`.
    """
    import matplotlib as mpl

    _check_simulation(simulation)
    ax = _axes(ax)
    shares = simulation.rank_share.iloc[::-1]
    k = shares.shape[1]
    colours = mpl.colormaps["Blues_r"](np.linspace(0.05, 0.85, k))
    left = np.zeros(len(shares))
    names = [str(o) for o in shares.index]
    for i, rank in enumerate(shares.columns):
        ax.barh(names, shares[rank].to_numpy(), left=left, color=colours[i], label=f"rank {rank}")
        left += shares[rank].to_numpy()
    ax.set_xlim(0, 1)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Share of weight draws")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_title(title or "Where each option ranks as the weights vary")
    return ax


def plot_tornado(table: pd.DataFrame, ax=None, title: str | None = None):
    """Draw a tornado chart from :func:`one_at_a_time`: the tracked option's margin at the low and high weight.

    Parameters
    ----------
    table : pandas.DataFrame
        The result of :func:`one_at_a_time`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``table`` lacks the columns of :func:`one_at_a_time`.
    """
    needed = {"margin_low", "margin_high", "base_margin", "low_weight", "high_weight"}
    if not isinstance(table, pd.DataFrame) or not needed <= set(table.columns):
        raise ValueError(f"table must be the result of one_at_a_time, with columns {', '.join(sorted(needed))}")
    ax = _axes(ax)
    ordered = table.iloc[::-1]
    names = [str(c) for c in ordered.index]
    base = float(ordered["base_margin"].iloc[0]) if len(ordered) else 0.0
    for y, (_, row) in enumerate(ordered.iterrows()):
        for value, colour, end in ((row["margin_low"], MUTED, "low"), (row["margin_high"], HIGHLIGHT, "high")):
            ax.barh(y, value - base, left=base, color=colour, label=f"{end} weight" if y == 0 else None)
    ax.set_yticks(range(len(names)), names)
    ax.axvline(base, color="black", linewidth=1)
    ax.axvline(0, color="black", linestyle="--", linewidth=1)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    option = table.attrs.get("option", "the leader")
    ax.set_xlabel(f"Margin of {option} over the best other option (below 0: overtaken)")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title(title or "One weight at a time")
    return ax


def plot_sweep(sweep: pd.DataFrame, base_weight: float | None = None, highlight: str | None = None,
               ax=None, title: str | None = None):
    """Draw every option's score against one criterion's weight (from :func:`sweep_weight`).

    Parameters
    ----------
    sweep : pandas.DataFrame
        The result of :func:`sweep_weight`.
    base_weight : float, optional
        The agreed weight, marked with a dashed line.
    highlight : str, optional
        An option to draw thick in :data:`~curriculum.style.HIGHLIGHT`; the others take the
        house style's other colours (named in the legend).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``sweep`` is not a table of scores indexed by weight, or ``highlight`` is not one of its options.
    """
    if not isinstance(sweep, pd.DataFrame) or sweep.empty:
        raise ValueError("sweep must be the result of sweep_weight")
    if highlight is not None and highlight not in sweep.columns:
        raise ValueError(f"highlight {highlight!r} is not an option of the sweep; the options are: "
                         f"{', '.join(map(str, sweep.columns))}")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_hex

    ax = _axes(ax)
    cycle = plt.rcParams["axes.prop_cycle"].by_key().get("color", [])
    palette = [c for c in cycle if to_hex(c).lower() != to_hex(HIGHLIGHT).lower()] or [MUTED]
    others = iter(palette * (len(sweep.columns) // len(palette) + 1))
    for option in sweep.columns:
        hit = option == highlight
        ax.plot(sweep.index, sweep[option], color=HIGHLIGHT if hit else next(others), linewidth=3 if hit else 1.5,
                zorder=3 if hit else 2, label=str(option))
    if base_weight is not None:
        ax.axvline(base_weight, color="black", linestyle="--", linewidth=1)
    ax.set_xlabel(f"Share of the total weight on {sweep.index.name or 'the criterion'}")
    ax.set_ylabel("Weighted score")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    ax.set_title(title or "Scores as one weight varies")
    return ax
