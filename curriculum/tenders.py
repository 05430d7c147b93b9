"""Scoring tenders: price scoring methods, price/quality scores, rank reversal and abnormally low bids.

A competitive tender is evaluated on **price** and **quality**, each with a weight
published in the tender documents (say 40% price, 60% quality). Quality is marked
per criterion (0-5 or 0-100) and weighted; price has to be turned into a score, and
how that is done matters as much as the weights:

- :func:`price_scores` scores prices by four methods. ``"relative"`` (lowest price
  divided by the bid's price) and ``"min-max"`` (the cheapest bid scores 1, the
  dearest 0) compare each bid with the others; ``"absolute"`` (the pre-tender
  estimate divided by the bid's price, capped at 1) and ``"benchmark"`` (0.5 at the
  estimate, rising to 1 at ``1 - band`` times it and falling to 0 at ``1 + band``
  times it) score each bid against a figure fixed before the bids were opened;
- :func:`quality_scores` and :func:`bid_table` turn a ``tender_bids`` dataset
  (one row per bid and criterion) into one row per bid with its quality as a share
  of the maximum;
- :func:`evaluation_matrix` and :func:`combined_scores` give the price/quality
  matrix and the weighted scores and ranks (with :mod:`curriculum.decisions`, whose
  :func:`~curriculum.decisions.sweep_weight` and
  :func:`~curriculum.decisions.switch_points` then test the weights);
- :func:`score_tenders` scores every tender of a bid table at once;
- :func:`rank_reversals` finds where withdrawing one bid swaps the order of two
  others (possible only with methods that compare bids with each other);
- :func:`price_per_quality_point` gives the price paid per point of quality;
- :func:`abnormally_low` flags bids far below the estimate or the other bids, for
  clarification before award.

Nothing happens on import.
"""

from __future__ import annotations

import math
from itertools import permutations

import numpy as np
import pandas as pd

from curriculum import decisions

__all__ = [
    "PRICE_METHODS",
    "abnormally_low",
    "bid_table",
    "combined_scores",
    "evaluation_matrix",
    "price_per_quality_point",
    "price_scores",
    "quality_scores",
    "rank_reversals",
    "score_tenders",
]

PRICE_METHODS: tuple[str, ...] = ("relative", "min-max", "absolute", "benchmark")
_BID_KEY = ["tender_reference", "bidder"]
_TOL = 1e-9


# --------------------------------------------------------------------------- checks
def _prices(prices, name: str = "prices") -> pd.Series:
    if not isinstance(prices, pd.Series):
        raise ValueError(f"{name} must be a pandas Series of prices indexed by bidder, got {type(prices).__name__}")
    if prices.empty:
        raise ValueError(f"{name} must hold at least one bid")
    if not prices.index.is_unique:
        repeated = sorted(map(str, prices.index[prices.index.duplicated()].unique()))
        raise ValueError(f"{name} must name each bidder once, but {', '.join(repeated)} repeat(s)")
    try:
        values = prices.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers only") from None
    if not np.isfinite(values.to_numpy()).all() or (values <= 0).any():
        raise ValueError(f"{name} must all be positive amounts (no missing, zero or negative prices)")
    return values


def _quality(quality, prices: pd.Series, name: str = "quality") -> pd.Series:
    if not isinstance(quality, pd.Series):
        raise ValueError(f"{name} must be a pandas Series of quality shares (0-1) indexed by bidder, "
                         f"got {type(quality).__name__}")
    if set(quality.index) != set(prices.index) or not quality.index.is_unique:
        raise ValueError(f"{name} must give one quality score for each bidder in prices, and no others")
    try:
        values = quality.astype(float).reindex(prices.index)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers only") from None
    if not np.isfinite(values.to_numpy()).all() or (values < 0).any() or (values > 1).any():
        raise ValueError(f"{name} must be shares of the maximum quality score, each from 0 to 1")
    return values


def _share(name: str, value, *, low: float = 0.0, high: float = 1.0, closed_low: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    ok = (low <= value if closed_low else low < value) and value <= high
    if not ok:
        raise ValueError(f"{name} must be more than {low:g}{' (or equal)' if closed_low else ''} and at most {high:g}, "
                         f"got {value!r}")
    return value


def _price_weight(price_weight) -> float:
    """Return the price weight as a share (a percentage above 1 is divided by 100)."""
    if isinstance(price_weight, bool) or not isinstance(price_weight, (int, float, np.integer, np.floating)) \
            or not math.isfinite(price_weight) or not 0 <= price_weight <= 100:
        raise ValueError(f"price_weight must be a percentage from 0 to 100 (or a share from 0 to 1), got {price_weight!r}")
    return float(price_weight) / 100 if price_weight > 1 else float(price_weight)


def _estimate(estimate) -> float:
    if estimate is None or isinstance(estimate, bool) or not isinstance(estimate, (int, float, np.integer, np.floating)) \
            or not math.isfinite(estimate) or estimate <= 0:
        raise ValueError(f"estimate must be the pre-tender estimate, a positive amount, got {estimate!r}")
    return float(estimate)


# ----------------------------------------------------------------- price scores
def price_scores(prices: pd.Series, method: str = "relative", estimate: float | None = None,
                 band: float = 0.3) -> pd.Series:
    """Turn bid prices into price scores from 0 to 1 (higher is better).

    - ``"relative"``: lowest price / bid price (:func:`curriculum.decisions.normalise`
      with ratio scaling). The cheapest bid scores 1; a bid twice as dear scores 0.5.
    - ``"min-max"``: (highest price - bid price) / (highest - lowest)
      (:func:`curriculum.decisions.normalise` with min-max scaling). The cheapest
      scores 1, the dearest 0, however close they are.
    - ``"absolute"``: estimate / bid price, capped at 1: the pre-tender estimate takes
      the place of the lowest bid, so a bid's score does not depend on the others.
    - ``"benchmark"``: a straight line through the estimate: 0.5 at the estimate, 1 at
      ``(1 - band)`` times it or below, 0 at ``(1 + band)`` times it or above.

    Parameters
    ----------
    prices : pandas.Series
        One positive price per bid, indexed by bidder (each once).
    method : {"relative", "min-max", "absolute", "benchmark"}, default "relative"
        The scoring method.
    estimate : float, optional
        The pre-tender estimate; required by ``"absolute"`` and ``"benchmark"``.
    band : float, default 0.3
        For ``"benchmark"``: how far below (or above) the estimate, as a share of it, a
        price earns full (or no) marks; more than 0 and at most 1.

    Returns
    -------
    pandas.Series
        Named ``"price_score"``, indexed like ``prices``, values from 0 to 1.

    Raises
    ------
    ValueError
        If ``prices`` is not a Series of positive prices with a unique index, ``method``
        is unknown, ``estimate`` is missing or not positive when the method needs it, or
        ``band`` is out of range.

    Examples
    --------
    >>> p = pd.Series({"A": 80.0, "B": 100.0, "C": 160.0})
    >>> price_scores(p).tolist()
    [1.0, 0.8, 0.5]
    >>> price_scores(p, "benchmark", estimate=100.0, band=0.4).tolist()
    [0.75, 0.5, 0.0]
    """
    values = _prices(prices)
    if method not in PRICE_METHODS:
        raise ValueError(f"method must be one of {', '.join(PRICE_METHODS)}, got {method!r}")
    if method in ("relative", "min-max"):
        scaled = decisions.normalise(values.to_frame("price"), {"price": "cost"},
                                     method="ratio" if method == "relative" else "min-max")["price"]
    elif method == "absolute":
        scaled = (_estimate(estimate) / values).clip(upper=1.0)
    else:
        e = _estimate(estimate)
        width = _share("band", band)
        scaled = (0.5 + (e - values) / (2 * width * e)).clip(0.0, 1.0)
    return scaled.astype(float).rename("price_score")


def price_per_quality_point(prices: pd.Series, quality: pd.Series, points: float = 100.0) -> pd.Series:
    """Return the price paid per point of quality (lower is better).

    Parameters
    ----------
    prices : pandas.Series
        One positive price per bid, indexed by bidder.
    quality : pandas.Series
        Each bid's quality as a share of the maximum (0-1), same bidders.
    points : float, default 100
        The quality points a perfect bid would get (100 gives price per percentage point).

    Returns
    -------
    pandas.Series
        Named ``"price_per_point"``, indexed like ``prices``; infinite for a bid with no
        quality points.

    Raises
    ------
    ValueError
        If ``prices`` or ``quality`` is invalid (see :func:`combined_scores`) or ``points``
        is not positive.

    Examples
    --------
    >>> price_per_quality_point(pd.Series({"A": 90.0, "B": 120.0}), pd.Series({"A": 0.6, "B": 0.8})).tolist()
    [1.5, 1.5]
    """
    values = _prices(prices)
    q = _quality(quality, values)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not math.isfinite(points) or points <= 0:
        raise ValueError(f"points must be a positive number, got {points!r}")
    with np.errstate(divide="ignore"):
        per_point = values.to_numpy() / (q.to_numpy() * points)
    return pd.Series(per_point, index=values.index, name="price_per_point")


# ---------------------------------------------------------------- quality scores
def quality_scores(bids: pd.DataFrame) -> pd.Series:
    """Return each bid's quality as a weighted share of the maximum score.

    The quality of a bid is ``sum(weight * score / max_score) / sum(weight)`` over its
    criteria: 1 for full marks on every criterion, 0 for none.

    Parameters
    ----------
    bids : pandas.DataFrame
        A ``tender_bids`` dataset: columns ``tender_reference``, ``bidder``,
        ``criterion_weight``, ``score`` and ``max_score``, one row per bid and criterion.

    Returns
    -------
    pandas.Series
        Named ``"quality"``, indexed by ``tender_reference`` and ``bidder``.

    Raises
    ------
    ValueError
        If ``bids`` lacks a column, or a bid's criterion weights add up to 0.

    Examples
    --------
    >>> b = pd.DataFrame({"tender_reference": ["T1", "T1"], "bidder": ["A", "A"], "criterion_weight": [30.0, 10.0],
    ...                   "score": [4.0, 2.0], "max_score": [5.0, 5.0]})
    >>> float(quality_scores(b).iloc[0])
    0.7
    """
    needed = _BID_KEY + ["criterion_weight", "score", "max_score"]
    if not isinstance(bids, pd.DataFrame) or not set(needed) <= set(bids.columns):
        raise ValueError(f"bids must be a tender_bids table with the columns {', '.join(needed)}")
    frame = bids[needed].copy()
    frame["weighted"] = frame["criterion_weight"].astype(float) * frame["score"].astype(float) / frame["max_score"].astype(float)
    sums = frame.groupby(_BID_KEY, sort=False)[["weighted", "criterion_weight"]].sum()
    if (sums["criterion_weight"] <= 0).any():
        bad = sums.index[sums["criterion_weight"] <= 0][0]
        raise ValueError(f"bids: the criterion weights of bid {bad} add up to 0, so its quality cannot be weighted")
    return (sums["weighted"] / sums["criterion_weight"]).rename("quality")


def bid_table(bids: pd.DataFrame) -> pd.DataFrame:
    """Return one row per bid: its tender, price, estimate, weights and quality.

    Parameters
    ----------
    bids : pandas.DataFrame
        A ``tender_bids`` dataset (one row per bid and criterion).

    Returns
    -------
    pandas.DataFrame
        One row per tender and bidder, in the order of ``bids``, with columns
        ``tender_reference``, ``bidder``, the optional ``tender_title``, ``lot`` and
        ``sme`` when present, ``price``, ``estimate``, ``price_weight`` and
        ``quality_weight`` (percentages) and ``quality`` (0-1, from :func:`quality_scores`).

    Raises
    ------
    ValueError
        If ``bids`` lacks a column of the ``tender_bids`` schema the table needs.
    """
    needed = _BID_KEY + ["price", "estimate", "price_weight", "criterion_weight", "score", "max_score"]
    if not isinstance(bids, pd.DataFrame) or not set(needed) <= set(bids.columns):
        raise ValueError(f"bids must be a tender_bids table with the columns {', '.join(needed)}")
    optional = [c for c in ("tender_title", "lot", "sme") if c in bids.columns]
    first = bids.groupby(_BID_KEY, sort=False)[optional + ["price", "estimate", "price_weight"]].first()
    first["quality_weight"] = 100.0 - first["price_weight"].astype(float)
    first["quality"] = quality_scores(bids)
    return first.reset_index()


# ------------------------------------------------------------- combined scores
def evaluation_matrix(prices: pd.Series, quality: pd.Series, method: str = "relative",
                      estimate: float | None = None, band: float = 0.3) -> pd.DataFrame:
    """Return the normalised price/quality matrix of one tender (both columns 0-1, higher better).

    Parameters
    ----------
    prices : pandas.Series
        One positive price per bid, indexed by bidder.
    quality : pandas.Series
        Each bid's quality as a share of the maximum (0-1), same bidders.
    method, estimate, band
        The price scoring, as for :func:`price_scores`.

    Returns
    -------
    pandas.DataFrame
        Indexed by bidder, columns ``price`` (the price score) and ``quality``: the
        ``normalised`` argument of :mod:`curriculum.decisions`' functions.

    Raises
    ------
    ValueError
        As :func:`price_scores`, or if ``quality`` does not give one share from 0 to 1
        for each bidder.
    """
    values = _prices(prices)
    q = _quality(quality, values)
    return pd.DataFrame({"price": price_scores(values, method, estimate, band), "quality": q})


def combined_scores(prices: pd.Series, quality: pd.Series, price_weight: float, method: str = "relative",
                    estimate: float | None = None, band: float = 0.3) -> pd.DataFrame:
    """Score one tender's bids on price and quality and rank them, best first.

    The total is ``w * price_score + (1 - w) * quality`` with ``w`` the price weight
    (:func:`curriculum.decisions.rank_options`).

    Parameters
    ----------
    prices : pandas.Series
        One positive price per bid, indexed by bidder.
    quality : pandas.Series
        Each bid's quality as a share of the maximum (0-1), same bidders.
    price_weight : float
        The weight of price: a percentage (40) or a share (0.4); quality gets the rest.
    method, estimate, band
        The price scoring, as for :func:`price_scores`.

    Returns
    -------
    pandas.DataFrame
        Indexed by bidder, best first, with columns ``price``, ``quality``,
        ``price_score``, ``score`` (0-1) and ``rank`` (1 is best; equal scores share
        the better rank).

    Raises
    ------
    ValueError
        If ``price_weight`` is not from 0 to 100, or as :func:`evaluation_matrix`.

    Examples
    --------
    >>> p, q = pd.Series({"A": 80.0, "B": 100.0}), pd.Series({"A": 0.5, "B": 0.8})
    >>> combined_scores(p, q, 40).index.tolist()
    ['B', 'A']
    """
    w = _price_weight(price_weight)
    matrix = evaluation_matrix(prices, quality, method, estimate, band)
    ranked = decisions.rank_options(matrix, {"price": w, "quality": 1.0 - w})
    table = pd.DataFrame({"price": _prices(prices), "quality": matrix["quality"], "price_score": matrix["price"]})
    return table.loc[ranked.index].assign(score=ranked["score"], rank=ranked["rank"])


def score_tenders(table: pd.DataFrame, method: str = "relative", band: float = 0.3) -> pd.DataFrame:
    """Score every tender of a bid table with its own price weight and estimate.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per bid (from :func:`bid_table`): columns ``tender_reference``,
        ``bidder``, ``price``, ``estimate``, ``price_weight`` and ``quality``.
    method : str, default "relative"
        One of :data:`PRICE_METHODS`.
    band : float, default 0.3
        For ``"benchmark"`` (see :func:`price_scores`).

    Returns
    -------
    pandas.DataFrame
        ``table`` with ``price_score``, ``score`` and ``rank`` added, tenders in their
        order of appearance and bids best first within each.

    Raises
    ------
    ValueError
        If ``table`` lacks a column, or a tender's bids cannot be scored (see
        :func:`combined_scores`; ``"absolute"`` and ``"benchmark"`` need an estimate).
    """
    needed = _BID_KEY + ["price", "estimate", "price_weight", "quality"]
    if not isinstance(table, pd.DataFrame) or not set(needed) <= set(table.columns):
        raise ValueError(f"table must have one row per bid with the columns {', '.join(needed)} (see bid_table)")
    parts = []
    for ref, group in table.groupby("tender_reference", sort=False):
        bids = group.set_index("bidder")
        estimate = bids["estimate"].iloc[0]
        try:
            scored = combined_scores(bids["price"], bids["quality"], float(bids["price_weight"].iloc[0]), method,
                                     None if pd.isna(estimate) else float(estimate), band)
        except ValueError as exc:
            raise ValueError(f"tender {ref}: {exc}") from None
        parts.append(bids.loc[scored.index].assign(price_score=scored["price_score"], score=scored["score"],
                                                   rank=scored["rank"]).reset_index())
    return pd.concat(parts, ignore_index=True)[list(table.columns) + ["price_score", "score", "rank"]]


# --------------------------------------------------------------- rank reversal
def rank_reversals(prices: pd.Series, quality: pd.Series, price_weight: float, method: str = "relative",
                   estimate: float | None = None, band: float = 0.3) -> pd.DataFrame:
    """Find where withdrawing one bid swaps the order of two others.

    For every bid in turn, the tender is rescored without it. A **rank reversal** is a
    pair of remaining bids whose order flips: ``ahead`` beats ``behind`` with all bids
    in, and ``behind`` beats ``ahead`` once ``withdrawn`` is out. Nothing about
    ``ahead`` or ``behind`` changed: only the bid they are compared with. Methods that
    score each bid on its own (``"absolute"``, ``"benchmark"``) never reverse ranks.

    Parameters
    ----------
    prices : pandas.Series
        One positive price per bid, indexed by bidder (at least three bids for a
        reversal to be possible).
    quality : pandas.Series
        Each bid's quality as a share of the maximum (0-1), same bidders.
    price_weight : float
        The weight of price, a percentage or a share.
    method, estimate, band
        The price scoring, as for :func:`price_scores`.

    Returns
    -------
    pandas.DataFrame
        One row per reversal, with columns ``withdrawn``, ``ahead``, ``behind``,
        ``gap_with`` (ahead's score minus behind's with all bids), ``gap_without``
        (the same without ``withdrawn``, negative) and ``winner_changes`` (True when
        ``ahead`` wins with all bids in, so withdrawing a losing bid changes the
        winner). Empty (with these columns) when no withdrawal reverses a pair.

    Raises
    ------
    ValueError
        As :func:`combined_scores`.

    Examples
    --------
    >>> p = pd.Series({"A": 82.0, "B": 100.0, "C": 115.0})
    >>> q = pd.Series({"A": 0.5, "B": 0.7, "C": 0.78})
    >>> rank_reversals(p, q, 40)[["withdrawn", "ahead", "behind"]].values.tolist()
    [['A', 'C', 'B']]
    """
    full = combined_scores(prices, quality, price_weight, method, estimate, band)
    winner = full.index[0]
    values, q = _prices(prices), _quality(quality, _prices(prices))
    rows = []
    for out in values.index:
        rest = values.index[values.index != out]
        if len(rest) < 2:
            continue
        without = combined_scores(values[rest], q[rest], price_weight, method, estimate, band)
        for a, b in permutations(rest, 2):
            gap_with = float(full.loc[a, "score"] - full.loc[b, "score"])
            gap_without = float(without.loc[a, "score"] - without.loc[b, "score"])
            if gap_with > _TOL and gap_without < -_TOL:
                rows.append({"withdrawn": out, "ahead": a, "behind": b, "gap_with": gap_with,
                             "gap_without": gap_without, "winner_changes": bool(a == winner)})
    columns = ["withdrawn", "ahead", "behind", "gap_with", "gap_without", "winner_changes"]
    return pd.DataFrame(rows, columns=columns).astype({"winner_changes": bool})


# -------------------------------------------------------------- abnormally low
def abnormally_low(prices: pd.Series, estimate: float | None = None, estimate_share: float = 0.8,
                   median_share: float = 0.7) -> pd.DataFrame:
    """Flag bids whose price looks abnormally low, for clarification before award.

    A bid is flagged when its price is below ``estimate_share`` times the pre-tender
    estimate, or below ``median_share`` times the median price of the **other** bids
    of the tender (the bid itself is left out so that it cannot pull the median down).
    A flag is a reason to ask the bidder to explain its price, not to reject it.

    Parameters
    ----------
    prices : pandas.Series
        One positive price per bid, indexed by bidder.
    estimate : float, optional
        The pre-tender estimate; without it only the median rule applies.
    estimate_share : float, default 0.8
        Share of the estimate below which a price is flagged (more than 0, at most 1).
    median_share : float, default 0.7
        Share of the other bids' median below which a price is flagged (more than 0,
        at most 1).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``prices``, with columns ``price``, ``share_of_estimate`` (NaN
        without an estimate), ``share_of_median`` (NaN for a single bid),
        ``below_estimate``, ``below_median`` and ``flag`` (either rule).

    Raises
    ------
    ValueError
        If ``prices`` is invalid, ``estimate`` is given but not positive, or a share is
        out of range.

    Examples
    --------
    >>> abnormally_low(pd.Series({"A": 60.0, "B": 95.0, "C": 105.0}), estimate=100.0)["flag"].tolist()
    [True, False, False]
    """
    values = _prices(prices)
    e = None if estimate is None or (isinstance(estimate, float) and math.isnan(estimate)) else _estimate(estimate)
    est_share = _share("estimate_share", estimate_share)
    med_share = _share("median_share", median_share)
    others = pd.Series([values.drop(b).median() if len(values) > 1 else np.nan for b in values.index],
                       index=values.index, dtype=float)
    table = pd.DataFrame({"price": values})
    table["share_of_estimate"] = values / e if e is not None else np.nan
    table["share_of_median"] = values / others
    table["below_estimate"] = (table["share_of_estimate"] < est_share).fillna(False).astype(bool)
    table["below_median"] = (table["share_of_median"] < med_share).fillna(False).astype(bool)
    table["flag"] = table["below_estimate"] | table["below_median"]
    return table
