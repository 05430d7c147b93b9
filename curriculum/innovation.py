"""Procuring innovation: scoring challenge proposals, a phase-1 budget, stage gates and paying for outcomes.

A challenge-led competition in the style of the Small Business Research Initiative
(SBRI) asks the market to solve a problem the council states (decarbonising its fleet,
finding damp early, reducing loneliness) rather than to supply a product it specifies.
It runs in two phases: several **feasibility** contracts (phase 1: up to about
GBP 50k-100k each, three months), then a **demonstration** (phase 2: up to about
GBP 500k-1m, twelve months) for the best of those that worked. The functions here
support the decisions an officer makes along the way, from an ``innovation_proposals``
table (one row per proposal):

- :func:`score_proposals` scores each proposal on promise (innovation, impact, fit,
  marked 0-10) and risk (technical, delivery and supplier risk, marked 1-5) with
  weights, on fixed scales, so that no proposal's score depends on the others;
- :func:`expected_values` gives each proposal's expected value if it is funded at
  phase 1: ``p * max(V - c2, 0) - c1`` (the benefit ``V`` net of the demonstration
  cost ``c2`` is gained with the assessors' probability of success ``p``; the
  feasibility cost ``c1`` is paid whatever happens);
- :func:`allocate_budget` chooses the proposals that maximise the total expected value
  within the phase-1 budget (a 0/1 knapsack, solved exactly as an integer programme
  with :func:`scipy.optimize.milp`); :func:`greedy_allocation` funds proposals in order
  of a priority (the panel's score) until the money runs out, for comparison;
- :func:`direct_values`, :func:`decision_tree` and :func:`stage_gate_value` compare the
  two-stage route (phase-1 results reveal which ideas work; only those go on) with
  funding one supplier straight to demonstration, and value the information phase 1
  gives;
- :func:`outcome_rate`, :func:`simulate_payment` and :func:`summarise_payments`
  simulate a demonstration paid for conventionally (a fixed price) or by outcomes
  (a price per outcome delivered, with an optional fixed fee and cap) and compare the
  council's cost per outcome and its risk.

Nothing happens on import.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import Bounds, LinearConstraint, milp

from curriculum import decisions

__all__ = [
    "CONTRACTS",
    "DEFAULT_WEIGHTS",
    "PROMISE",
    "RISKS",
    "StageGate",
    "allocate_budget",
    "decision_tree",
    "direct_values",
    "expected_values",
    "greedy_allocation",
    "outcome_rate",
    "score_proposals",
    "simulate_payment",
    "stage_gate_value",
    "summarise_payments",
]

#: Criteria marked 0-10, higher better.
PROMISE: tuple[str, ...] = ("innovation", "impact", "fit")
#: Criteria marked 1-5, higher worse.
RISKS: tuple[str, ...] = ("technical_risk", "delivery_risk", "supplier_risk")
#: The weights of the demo competitions: 70% promise, 30% risk.
DEFAULT_WEIGHTS: dict[str, float] = {"innovation": 20, "impact": 30, "fit": 20,
                                     "technical_risk": 10, "delivery_risk": 10, "supplier_risk": 10}
#: The payment models :func:`simulate_payment` knows.
CONTRACTS: tuple[str, ...] = ("conventional", "outcome")
_VALUE_COLUMNS = ("proposal_id", "probability_of_success", "value_if_success", "phase1_cost", "phase2_cost")


# --------------------------------------------------------------------------- checks
def _number(name: str, value, *, low: float | None = None, high: float | None = None, strict_low: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    value = float(value)
    if low is not None and (value <= low if strict_low else value < low):
        raise ValueError(f"{name} must be {'more than' if strict_low else 'at least'} {low:g}, got {value!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be at most {high:g}, got {value!r}")
    return value


def _series(name: str, values, *, positive: bool = False) -> pd.Series:
    if not isinstance(values, pd.Series):
        raise ValueError(f"{name} must be a pandas Series indexed by proposal, got {type(values).__name__}")
    if not values.index.is_unique:
        repeated = sorted(map(str, values.index[values.index.duplicated()].unique()))
        raise ValueError(f"{name} must name each proposal once, but {', '.join(repeated)} repeat(s)")
    try:
        out = values.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers only") from None
    if not np.isfinite(out.to_numpy()).all():
        raise ValueError(f"{name} must not hold missing or infinite values")
    if positive and (out <= 0).any():
        raise ValueError(f"{name} must all be positive amounts")
    return out


def _table(proposals, needed: Iterable[str], name: str = "proposals") -> pd.DataFrame:
    needed = list(needed)
    if not isinstance(proposals, pd.DataFrame):
        raise ValueError(f"{name} must be an innovation_proposals table (a pandas DataFrame), got {type(proposals).__name__}")
    if "proposal_id" not in proposals.columns and proposals.index.name == "proposal_id":
        proposals = proposals.reset_index()  # a table indexed by proposal_id is accepted as well
    missing = [c for c in needed if c not in proposals.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {', '.join(missing)}; it needs {', '.join(needed)}")
    if proposals.empty:
        raise ValueError(f"{name} must hold at least one proposal")
    if not proposals["proposal_id"].is_unique:
        repeated = sorted(map(str, proposals.loc[proposals["proposal_id"].duplicated(), "proposal_id"].unique()))
        raise ValueError(f"{name} must list each proposal_id once, but {', '.join(repeated)} repeat(s)")
    numeric = [c for c in needed if c != "proposal_id"]
    values = proposals[numeric].apply(pd.to_numeric, errors="coerce").astype(float)
    bad = [c for c in numeric if not np.isfinite(values[c].to_numpy()).all()]
    if bad:
        raise ValueError(f"{name}: column(s) {', '.join(bad)} must hold a number for every proposal")
    out = values.set_axis(proposals["proposal_id"].to_numpy())
    out.index.name = "proposal_id"
    return out


def _values_table(proposals, name: str = "proposals") -> pd.DataFrame:
    t = _table(proposals, _VALUE_COLUMNS, name)
    if ((t["probability_of_success"] < 0) | (t["probability_of_success"] > 1)).any():
        raise ValueError(f"{name}: probability_of_success must lie from 0 to 1")
    if (t[["value_if_success", "phase1_cost", "phase2_cost"]] < 0).any().any():
        raise ValueError(f"{name}: value_if_success, phase1_cost and phase2_cost must not be negative")
    return t


def _funded(funded, index: pd.Index, name: str = "funded") -> list:
    if isinstance(funded, pd.Series) and funded.dtype == bool:
        funded = list(funded.index[funded.to_numpy()])
    if isinstance(funded, (str, bytes)) or not isinstance(funded, Iterable):
        raise ValueError(f"{name} must be a list of proposal_ids (or a boolean Series), got {type(funded).__name__}")
    chosen = list(funded)
    unknown = [str(f) for f in chosen if f not in set(index)]
    if unknown:
        raise ValueError(f"{name} names proposal(s) not in proposals: {', '.join(unknown)}")
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"{name} must name each proposal once")
    return chosen


def _slots(slots) -> int | None:
    if slots is None:
        return None
    if isinstance(slots, bool) or not isinstance(slots, (int, np.integer)) or slots < 1:
        raise ValueError(f"slots must be a whole number of at least 1 (demonstration places), or None for no limit, got {slots!r}")
    return int(slots)


# ------------------------------------------------------------------------ scoring
def score_proposals(proposals: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Score proposals on promise and risk with weights, best first.

    Each promise criterion (0-10, higher better) is scaled to ``mark / 10``; each risk
    criterion (1-5, higher worse) to ``(5 - mark) / 4``, so 1 always means best. The
    score is the weighted mean of the scaled marks (:func:`curriculum.decisions.weighted_scores`).
    The scales are fixed, not stretched between the best and worst proposal received,
    so a proposal's score never depends on which others were submitted.

    Parameters
    ----------
    proposals : pandas.DataFrame
        An ``innovation_proposals`` table: ``proposal_id`` (a column, or the index) and a
        column for every criterion in ``weights``.
    weights : mapping of str to float, optional
        One non-negative weight per criterion (points or percentages; divided by their
        total); criteria are taken from :data:`PROMISE` and :data:`RISKS`. Defaults to
        :data:`DEFAULT_WEIGHTS`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``proposal_id``, best first, with columns ``promise`` (weighted mean
        of the scaled promise marks, 0-1), ``risk`` (weighted mean of ``(mark - 1) / 4``,
        0-1, higher is riskier; NaN without risk criteria), ``score`` (0-1) and ``rank``
        (1 is best; equal scores share the better rank).

    Raises
    ------
    ValueError
        If ``weights`` names a criterion that is neither a promise nor a risk criterion,
        or holds negative or only zero weights; if ``proposals`` lacks a column, repeats
        a proposal_id or has a missing mark; or if a mark is outside its scale.

    Examples
    --------
    >>> p = pd.DataFrame({"proposal_id": ["A", "B"], "innovation": [9.0, 5.0], "technical_risk": [5.0, 1.0]})
    >>> score_proposals(p, {"innovation": 50, "technical_risk": 50})["score"].round(2).tolist()
    [0.75, 0.45]
    """
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    if not isinstance(weights, Mapping) or not weights:
        raise ValueError("weights must map criteria to weights, for example {'impact': 30, 'technical_risk': 10}")
    unknown = [k for k in weights if k not in PROMISE + RISKS]
    if unknown:
        raise ValueError(f"weights names unknown criteria {', '.join(map(str, unknown))}; "
                         f"use {', '.join(PROMISE + RISKS)}")
    criteria = list(weights)
    marks = _table(proposals, ["proposal_id"] + criteria)
    for c in criteria:
        low, high = (0, 10) if c in PROMISE else (1, 5)
        if ((marks[c] < low) | (marks[c] > high)).any():
            raise ValueError(f"proposals: {c} must be marked from {low} to {high}")
    scaled = pd.DataFrame({c: marks[c] / 10 if c in PROMISE else (5 - marks[c]) / 4 for c in criteria}, index=marks.index)
    score = decisions.weighted_scores(scaled, weights)
    promise_c = [c for c in criteria if c in PROMISE]
    risk_c = [c for c in criteria if c in RISKS]

    def _mean(cols):
        w = np.array([float(weights[c]) for c in cols])
        if not cols or w.sum() <= 0:
            return pd.Series(np.nan, index=marks.index)
        return pd.Series(scaled[cols].to_numpy() @ (w / w.sum()), index=marks.index)

    table = pd.DataFrame({"promise": _mean(promise_c), "risk": 1 - _mean(risk_c), "score": score})
    table["rank"] = table["score"].round(12).rank(ascending=False, method="min").astype(int)
    return table.sort_values("rank", kind="stable")


def expected_values(proposals: pd.DataFrame) -> pd.Series:
    """Return each proposal's expected value if it is funded at phase 1.

    ``probability_of_success * max(value_if_success - phase2_cost, 0) - phase1_cost``:
    the feasibility cost is paid whatever happens; if the idea works (with the
    assessors' probability) it goes on to a demonstration, which costs ``phase2_cost``
    and brings ``value_if_success``, but only if that is worth more than it costs.
    Expected values add up across proposals only if every phase-1 success can go on to
    phase 2; with few demonstration places see :func:`stage_gate_value`.

    Parameters
    ----------
    proposals : pandas.DataFrame
        An ``innovation_proposals`` table: ``proposal_id`` (a column, or the index),
        ``probability_of_success``, ``value_if_success``, ``phase1_cost`` and ``phase2_cost``.

    Returns
    -------
    pandas.Series
        Named ``"expected_value"`` (GBP), indexed by ``proposal_id`` in the table's order.

    Raises
    ------
    ValueError
        If a column is missing or holds a missing value, a probability is outside 0-1, or
        an amount is negative.

    Examples
    --------
    >>> p = pd.DataFrame({"proposal_id": ["A"], "probability_of_success": [0.5], "value_if_success": [1_000_000.0],
    ...                   "phase1_cost": [50_000.0], "phase2_cost": [600_000.0]})
    >>> float(expected_values(p).iloc[0])
    150000.0
    """
    t = _values_table(proposals)
    net = (t["value_if_success"] - t["phase2_cost"]).clip(lower=0)
    return (t["probability_of_success"] * net - t["phase1_cost"]).rename("expected_value")


def direct_values(proposals: pd.DataFrame) -> pd.Series:
    """Return each proposal's expected value if its supplier went straight to a demonstration.

    ``probability_of_success * value_if_success - phase1_cost - phase2_cost``: one contract
    covers the feasibility work and the demonstration, and the council pays for both
    whether or not the idea works.

    Parameters
    ----------
    proposals : pandas.DataFrame
        An ``innovation_proposals`` table (columns as for :func:`expected_values`).

    Returns
    -------
    pandas.Series
        Named ``"direct_value"`` (GBP), indexed by ``proposal_id``.

    Raises
    ------
    ValueError
        As :func:`expected_values`.
    """
    t = _values_table(proposals)
    return (t["probability_of_success"] * t["value_if_success"] - t["phase1_cost"] - t["phase2_cost"]).rename("direct_value")


# --------------------------------------------------------------------- allocation
def allocate_budget(costs: pd.Series, values: pd.Series, budget: float) -> pd.Series:
    """Choose the proposals that maximise the total value within a budget (0/1 knapsack).

    Solved exactly as an integer programme with :func:`scipy.optimize.milp` (HiGHS,
    relative gap 0): maximise ``sum(values * x)`` subject to ``sum(costs * x) <= budget``
    with each ``x`` 0 or 1. Proposals whose value is 0 or less are never funded. When
    several portfolios tie, any one of them may be returned.

    Parameters
    ----------
    costs : pandas.Series
        Phase-1 cost of each proposal (positive), indexed by proposal (each once).
    values : pandas.Series
        The value of funding each proposal (for example :func:`expected_values`), same index.
    budget : float
        The money available (at least 0).

    Returns
    -------
    pandas.Series
        Boolean, named ``"funded"``, indexed like ``costs``.

    Raises
    ------
    ValueError
        If ``costs`` or ``values`` is not a Series of finite numbers with a unique index,
        a cost is not positive, the two do not name the same proposals, ``budget`` is
        negative, or the solver fails.

    Examples
    --------
    >>> c = pd.Series({"A": 60.0, "B": 50.0, "C": 50.0})
    >>> v = pd.Series({"A": 10.0, "B": 7.0, "C": 7.0})
    >>> allocate_budget(c, v, 100).tolist()
    [False, True, True]
    """
    c = _series("costs", costs, positive=True)
    v = _series("values", values)
    if set(v.index) != set(c.index) or len(v) != len(c):
        raise ValueError("values must give one value for each proposal in costs, and no others")
    v = v.reindex(c.index)
    b = _number("budget", budget, low=0)
    if c.empty:
        return pd.Series(dtype=bool, name="funded")
    upper = (v > 0).astype(float).to_numpy()  # never fund a proposal worth nothing
    result = milp(c=-v.to_numpy(), integrality=np.ones(len(c)), bounds=Bounds(np.zeros(len(c)), upper),
                  constraints=LinearConstraint(c.to_numpy()[None, :], -np.inf, b), options={"mip_rel_gap": 0})
    if result.x is None:
        raise ValueError(f"the solver found no allocation: {result.message}")
    return pd.Series(np.round(result.x).astype(bool), index=c.index, name="funded")


def greedy_allocation(costs: pd.Series, priority: pd.Series, budget: float, skip: bool = True) -> pd.Series:
    """Fund proposals in order of priority (highest first) until the money runs out.

    The rule many panels follow: go down the ranked list and fund each proposal while
    the budget lasts. With ``skip=True`` a proposal that no longer fits is passed over
    and the next ones are tried; with ``skip=False`` funding stops at the first that does
    not fit. Ties keep the order of ``costs``.

    Parameters
    ----------
    costs : pandas.Series
        Phase-1 cost of each proposal (positive), indexed by proposal (each once).
    priority : pandas.Series
        The ranking score of each proposal (higher first), same index.
    budget : float
        The money available (at least 0).
    skip : bool, default True
        Pass over proposals that do not fit (True) or stop at the first (False).

    Returns
    -------
    pandas.Series
        Boolean, named ``"funded"``, indexed like ``costs``.

    Raises
    ------
    ValueError
        As :func:`allocate_budget`.

    Examples
    --------
    >>> c = pd.Series({"A": 60.0, "B": 50.0, "C": 30.0})
    >>> greedy_allocation(c, pd.Series({"A": 0.9, "B": 0.8, "C": 0.7}), 100).tolist()
    [True, False, True]
    """
    c = _series("costs", costs, positive=True)
    p = _series("priority", priority)
    if set(p.index) != set(c.index) or len(p) != len(c):
        raise ValueError("priority must give one value for each proposal in costs, and no others")
    left = _number("budget", budget, low=0)
    order = p.reindex(c.index).sort_values(ascending=False, kind="stable").index
    funded = pd.Series(False, index=c.index, name="funded")
    for key in order:
        if c[key] <= left + 1e-9:
            funded[key] = True
            left -= c[key]
        elif not skip:
            break
    return funded


# --------------------------------------------------------------------- stage gate
class StageGate(NamedTuple):
    """The two-stage route compared with going straight to demonstration (GBP)."""

    funded: tuple
    slots: int | None
    phase1_cost: float
    p_any_success: float
    demonstration_value: float
    two_stage: float
    without_information: float
    value_of_information: float
    direct: float
    direct_proposal: object
    gain: float


def _net(t: pd.DataFrame) -> pd.Series:
    return (t["value_if_success"] - t["phase2_cost"]).clip(lower=0)


def decision_tree(proposals: pd.DataFrame, funded) -> pd.DataFrame:
    """Return the branches of the phase-2 decision when one demonstration place follows phase 1.

    After the feasibility studies, the council knows which ideas work and takes the one
    worth most (net of its demonstration cost) to phase 2. The branches, in that order:
    the best idea works; it fails and the second works; ...; none works. Proposals whose
    benefit does not exceed their demonstration cost would never go on and are left out.

    Parameters
    ----------
    proposals : pandas.DataFrame
        An ``innovation_proposals`` table (columns as for :func:`expected_values`).
    funded : list of proposal_id or boolean Series
        The proposals given a phase-1 contract.

    Returns
    -------
    pandas.DataFrame
        One row per branch, with columns ``branch`` (the proposal that goes on, or
        ``"none works"``), ``probability_of_success``, ``net_value`` (benefit minus
        demonstration cost), ``p_reached`` (every better idea failed),
        ``p_branch`` (``p_reached * probability_of_success``; the last row: all failed),
        and ``contribution`` (``p_branch * net_value``). ``p_branch`` adds up to 1 and
        ``contribution`` to the expected value of the demonstration.

    Raises
    ------
    ValueError
        As :func:`expected_values`, or if ``funded`` names a proposal not in ``proposals``.
    """
    t = _values_table(proposals)
    chosen = _funded(funded, t.index)
    sub = t.loc[chosen].assign(net_value=_net(t.loc[chosen]))
    sub = sub[sub["net_value"] > 0].sort_values("net_value", ascending=False, kind="stable")
    p = sub["probability_of_success"].to_numpy()
    reached = np.concatenate([[1.0], np.cumprod(1 - p)])
    rows = [{"branch": key, "probability_of_success": p[i], "net_value": sub["net_value"].iloc[i],
             "p_reached": reached[i], "p_branch": reached[i] * p[i], "contribution": reached[i] * p[i] * sub["net_value"].iloc[i]}
            for i, key in enumerate(sub.index)]
    rows.append({"branch": "none works", "probability_of_success": np.nan, "net_value": 0.0,
                 "p_reached": reached[-1], "p_branch": reached[-1], "contribution": 0.0})
    return pd.DataFrame(rows)


def _top_slots_value(p: np.ndarray, net: np.ndarray, slots: int | None) -> float:
    """E[sum of the `slots` largest nets among the successes], nets sorted descending and positive."""
    if slots is None:
        return float((p * net).sum())
    # dist[k] = P(exactly k of the better-ranked proposals succeeded), truncated at `slots`
    dist = np.zeros(slots + 1)
    dist[0] = 1.0
    total = 0.0
    for pi, ni in zip(p, net):
        total += pi * ni * dist[:slots].sum()
        new = dist * (1 - pi)
        new[1:] += dist[:-1] * pi
        new[slots] += dist[slots] * pi  # once the places are full they stay full
        dist = new
    return float(total)


def stage_gate_value(proposals: pd.DataFrame, funded, slots: int | None = 1) -> StageGate:
    """Compare a two-stage route with funding one supplier straight to demonstration.

    **Two-stage route.** The ``funded`` proposals get feasibility contracts (paying
    ``phase1_cost`` each). Their results reveal which ideas work (each with its
    ``probability_of_success``, independently). The council then takes the best
    ``slots`` of the ideas that worked, by benefit net of demonstration cost, to phase 2.
    Its expected value is ``demonstration_value - phase1_cost`` where
    ``demonstration_value`` is the expected total of those nets.

    **Straight to demonstration.** One supplier does the feasibility work and the
    demonstration in one contract: ``p * V - c1 - c2`` (:func:`direct_values`); the best
    proposal of the whole table is taken, or nothing (0) if none is worth it.

    **Value of the information.** With the feasibility studies paid for, the council could
    still pick the demonstrations *without* looking at the results (the ``slots`` best by
    ``p * V - c2``, if positive): ``without_information``. The difference,
    ``demonstration_value - without_information``, is what knowing the results is worth
    (for a single proposal: ``(1 - p) * c2``, the demonstration money not spent on an idea
    that fails).

    Parameters
    ----------
    proposals : pandas.DataFrame
        An ``innovation_proposals`` table (columns as for :func:`expected_values`).
    funded : list of proposal_id or boolean Series
        The proposals given a phase-1 contract.
    slots : int or None, default 1
        Demonstration places in phase 2; None lets every idea that works go on (then the
        two-stage value is the total of :func:`expected_values` over ``funded``).

    Returns
    -------
    StageGate
        ``funded`` (tuple of ids), ``slots``, ``phase1_cost`` (total),
        ``p_any_success`` (chance at least one funded idea worth demonstrating works),
        ``demonstration_value``, ``two_stage``, ``without_information``,
        ``value_of_information``, ``direct`` (best straight-to-demonstration value, at
        least 0), ``direct_proposal`` (its id, or None), ``gain`` (``two_stage - direct``).

    Raises
    ------
    ValueError
        As :func:`expected_values`, if ``funded`` names a proposal not in ``proposals``,
        or if ``slots`` is not a whole number of at least 1 (or None).

    Examples
    --------
    >>> p = pd.DataFrame({"proposal_id": ["A"], "probability_of_success": [0.5], "value_if_success": [1_000_000.0],
    ...                   "phase1_cost": [50_000.0], "phase2_cost": [600_000.0]})
    >>> g = stage_gate_value(p, ["A"])
    >>> g.two_stage, g.direct, g.value_of_information
    (150000.0, 0.0, 200000.0)
    """
    t = _values_table(proposals)
    chosen = _funded(funded, t.index)
    places = _slots(slots)
    sub = t.loc[chosen].assign(net=_net(t.loc[chosen]))
    useful = sub[sub["net"] > 0].sort_values("net", ascending=False, kind="stable")
    p, net = useful["probability_of_success"].to_numpy(), useful["net"].to_numpy()
    demo = _top_slots_value(p, net, places)
    blind = (sub["probability_of_success"] * sub["value_if_success"] - sub["phase2_cost"]).clip(lower=0)
    blind = blind.sort_values(ascending=False)
    without = float(blind.sum() if places is None else blind.iloc[:places].sum())
    phase1 = float(sub["phase1_cost"].sum())
    direct = direct_values(proposals)
    best = float(direct.max())
    direct_value, direct_id = (best, direct.idxmax()) if best > 0 else (0.0, None)
    two_stage = demo - phase1
    return StageGate(funded=tuple(chosen), slots=places, phase1_cost=phase1, p_any_success=float(1 - np.prod(1 - p)),
                     demonstration_value=demo, two_stage=two_stage, without_information=without,
                     value_of_information=demo - without, direct=direct_value, direct_proposal=direct_id,
                     gain=two_stage - direct_value)


# ------------------------------------------------------------------------ payment
def _expected_capped(target: float, cv: float, limit: float | None) -> float:
    """E[min(G, limit)] for G gamma with mean ``target`` and coefficient of variation ``cv``."""
    if limit is None:
        return target
    shape = 1 / cv ** 2
    scale = target / shape
    return float(target * stats.gamma.cdf(limit, shape + 1, scale=scale) + limit * stats.gamma.sf(limit, shape, scale=scale))


def outcome_rate(price: float, probability: float, target: float, premium: float = 0.25, fixed_fee: float = 0.0,
                 max_outcomes: float | None = None, cv: float = 0.5) -> float:
    """Return the price per outcome a supplier would ask to carry the delivery risk.

    The part of the price not paid as a fixed fee is put at risk: the supplier is paid
    only for outcomes delivered, and asks to earn the at-risk part plus a premium (for
    the risk, and for financing the work before it is paid) in expectation. Without a
    limit on the outcomes paid for,
    ``rate = (price - fixed_fee) * (1 + premium) / (probability * target)``. With one
    (the council pays for at most ``max_outcomes``, which caps its bill at
    ``fixed_fee + rate * max_outcomes``), the supplier loses the pay for outcomes beyond
    it and asks a higher rate: ``target`` is replaced by the expected outcomes paid for,
    ``E[min(outcomes, max_outcomes)]`` under the gamma model of :func:`simulate_payment`.

    Parameters
    ----------
    price : float
        The conventional contract price (positive).
    probability : float
        The chance the demonstration delivers (more than 0, at most 1).
    target : float
        The outcomes expected if it delivers (positive).
    premium : float, default 0.25
        The supplier's premium on the money at risk (at least 0).
    fixed_fee : float, default 0
        Paid whatever happens (from 0 to ``price``).
    max_outcomes : float, optional
        The most outcomes the council pays for (positive); None for no limit.
    cv : float, default 0.5
        Spread of the outcomes when the demonstration delivers (as in :func:`simulate_payment`).

    Returns
    -------
    float
        GBP per outcome.

    Raises
    ------
    ValueError
        If an argument is out of range.

    Examples
    --------
    >>> outcome_rate(100_000.0, 0.5, 400.0, premium=0.2)
    600.0
    >>> outcome_rate(100_000.0, 0.5, 400.0, premium=0.2, max_outcomes=600.0) > 600.0
    True
    """
    price = _number("price", price, low=0, strict_low=True)
    probability = _number("probability", probability, low=0, high=1, strict_low=True)
    target = _number("target", target, low=0, strict_low=True)
    premium = _number("premium", premium, low=0)
    fixed_fee = _number("fixed_fee", fixed_fee, low=0, high=price)
    cv = _number("cv", cv, low=0, strict_low=True)
    limit = None if max_outcomes is None else _number("max_outcomes", max_outcomes, low=0, strict_low=True)
    return (price - fixed_fee) * (1 + premium) / (probability * _expected_capped(target, cv, limit))


def simulate_payment(contract: str = "outcome", *, probability: float, target: float, price: float | None = None,
                     rate: float | None = None, fixed_fee: float = 0.0, cap: float | None = None, cv: float = 0.5,
                     n: int = 10_000, seed: int) -> pd.DataFrame:
    """Simulate what a demonstration delivers and what the council pays for it.

    Each draw is one possible demonstration: it delivers with ``probability``; if it
    does, the outcomes follow a gamma distribution with mean ``target`` and coefficient
    of variation ``cv``; if not, there are none. The same ``seed`` gives the same
    outcomes whatever the contract (common random numbers), so contracts are compared
    on the same simulated futures.

    - ``"conventional"``: the council pays ``price`` whatever is delivered;
    - ``"outcome"``: it pays ``fixed_fee + rate * outcomes``, at most ``cap``.

    Parameters
    ----------
    contract : {"conventional", "outcome"}, default "outcome"
        The payment model.
    probability : float
        Chance the demonstration delivers any outcome (0-1).
    target : float
        Mean outcomes if it delivers (positive).
    price : float, optional
        The fixed price; required for ``"conventional"``.
    rate : float, optional
        GBP per outcome; required for ``"outcome"`` (see :func:`outcome_rate`).
    fixed_fee : float, default 0
        For ``"outcome"``: paid whatever happens.
    cap : float, optional
        For ``"outcome"``: the most the council will pay (at least ``fixed_fee``).
    cv : float, default 0.5
        Spread of the outcomes when it delivers (standard deviation / mean, positive).
    n : int, default 10,000
        Number of simulated demonstrations.
    seed : int
        Seed of the random numbers (recorded, so every run gives the same answer).

    Returns
    -------
    pandas.DataFrame
        ``n`` rows with columns ``delivered`` (bool), ``outcomes`` and ``payment`` (GBP).

    Raises
    ------
    ValueError
        If ``contract`` is unknown, an argument it needs is missing, an argument it does
        not use is given, or a number is out of range.

    Examples
    --------
    >>> d = simulate_payment("conventional", probability=0.6, target=100.0, price=50_000.0, n=1000, seed=1)
    >>> float(d["payment"].mean())
    50000.0
    """
    if contract not in CONTRACTS:
        raise ValueError(f"contract must be one of {', '.join(CONTRACTS)}, got {contract!r}")
    probability = _number("probability", probability, low=0, high=1)
    target = _number("target", target, low=0, strict_low=True)
    cv = _number("cv", cv, low=0, strict_low=True)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a whole number of at least 1, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"seed must be a whole number, got {seed!r}")
    rng = np.random.default_rng(int(seed))
    delivered = rng.random(int(n)) < probability
    shape = 1 / cv ** 2
    outcomes = np.where(delivered, rng.gamma(shape, target / shape, int(n)), 0.0)
    if contract == "conventional":
        if price is None:
            raise ValueError("price must be given for a conventional contract")
        if rate is not None or cap is not None or fixed_fee:
            raise ValueError("rate, fixed_fee and cap apply only to contract='outcome'")
        payment = np.full(int(n), _number("price", price, low=0))
    else:
        if rate is None:
            raise ValueError("rate must be given for an outcome-based contract (see outcome_rate)")
        if price is not None:
            raise ValueError("price applies only to contract='conventional'; an outcome-based contract has a rate")
        rate = _number("rate", rate, low=0)
        fixed_fee = _number("fixed_fee", fixed_fee, low=0)
        payment = fixed_fee + rate * outcomes
        if cap is not None:
            payment = np.minimum(payment, _number("cap", cap, low=fixed_fee))
    return pd.DataFrame({"delivered": delivered, "outcomes": outcomes, "payment": payment})


def summarise_payments(draws: pd.DataFrame) -> pd.Series:
    """Summarise simulated payments: cost per outcome and the council's risk.

    Parameters
    ----------
    draws : pandas.DataFrame
        From :func:`simulate_payment`: columns ``outcomes`` and ``payment``.

    Returns
    -------
    pandas.Series
        ``expected_payment``, ``sd_payment``, ``payment_p05`` and ``payment_p95`` (the
        5th and 95th percentiles), ``expected_outcomes``, ``cost_per_outcome`` (expected
        payment / expected outcomes; infinite when no outcome is ever delivered) and
        ``p_pay_for_nothing`` (share of draws in which the council pays something and
        gets no outcome).

    Raises
    ------
    ValueError
        If ``draws`` lacks a column or is empty.

    Examples
    --------
    >>> d = pd.DataFrame({"outcomes": [0.0, 10.0], "payment": [100.0, 100.0]})
    >>> summarise_payments(d)[["cost_per_outcome", "p_pay_for_nothing"]].tolist()
    [20.0, 0.5]
    """
    if not isinstance(draws, pd.DataFrame) or not {"outcomes", "payment"} <= set(draws.columns) or draws.empty:
        raise ValueError("draws must be a non-empty table from simulate_payment, with columns outcomes and payment")
    pay, out = draws["payment"].astype(float), draws["outcomes"].astype(float)
    mean_out = out.mean()
    return pd.Series({
        "expected_payment": pay.mean(),
        "sd_payment": pay.std(ddof=0),
        "payment_p05": pay.quantile(0.05),
        "payment_p95": pay.quantile(0.95),
        "expected_outcomes": mean_out,
        "cost_per_outcome": pay.mean() / mean_out if mean_out > 0 else math.inf,
        "p_pay_for_nothing": float(((out == 0) & (pay > 0)).mean()),
    })
