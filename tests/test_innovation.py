"""Tests of curriculum.innovation: scores, the knapsack, stage gates and outcome-based payment.

Statistical and optimisation results are checked against independent computations: the
integer programme against brute force over every portfolio, the stage-gate values against
enumerating every combination of phase-1 results (and a simulation), and the payment
simulation against closed forms and numerical integration.
"""

from __future__ import annotations

from itertools import combinations, product

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from curriculum import innovation as inn

MARKS = pd.DataFrame({
    "proposal_id": ["A", "B", "C"],
    "innovation": [9.0, 5.0, 7.0], "impact": [6.0, 8.0, 7.0], "fit": [7.0, 7.0, 4.0],
    "technical_risk": [5.0, 2.0, 3.0], "delivery_risk": [2.0, 1.0, 4.0], "supplier_risk": [3.0, 1.0, 2.0],
})


def _proposals(rng: np.random.Generator, k: int) -> pd.DataFrame:
    """Random proposals with the value columns."""
    return pd.DataFrame({
        "proposal_id": [f"P{i}" for i in range(k)],
        "probability_of_success": rng.uniform(0.05, 0.9, k).round(2),
        "value_if_success": rng.uniform(200_000, 3_000_000, k).round(-3),
        "phase1_cost": rng.uniform(20_000, 100_000, k).round(-2),
        "phase2_cost": rng.uniform(400_000, 1_000_000, k).round(-3),
    })


def _brute_force_knapsack(costs: np.ndarray, values: np.ndarray, budget: float) -> float:
    """The best total value over every subset within the budget."""
    best = 0.0
    for r in range(1, len(costs) + 1):
        for subset in combinations(range(len(costs)), r):
            idx = list(subset)
            if costs[idx].sum() <= budget + 1e-9:
                best = max(best, values[idx].sum())
    return best


def _enumerate_stage_gate(p: np.ndarray, net: np.ndarray, slots: int | None) -> float:
    """E[sum of the `slots` best nets among the successes], by listing every combination of results."""
    total = 0.0
    for outcome in product([0, 1], repeat=len(p)):
        o = np.array(outcome, dtype=bool)
        prob = np.prod(np.where(o, p, 1 - p))
        gains = np.sort(np.clip(net[o], 0, None))[::-1]
        total += prob * gains[: (len(gains) if slots is None else slots)].sum()
    return total


# ------------------------------------------------------------------- scoring
def test_scores_match_a_hand_computation():
    """The score is the weighted mean of mark / 10 (promise) and (5 - mark) / 4 (risk)."""
    table = inn.score_proposals(MARKS)
    w = inn.DEFAULT_WEIGHTS
    m = MARKS.set_index("proposal_id")
    hand = sum(w[c] * (m[c] / 10 if c in inn.PROMISE else (5 - m[c]) / 4) for c in w) / sum(w.values())
    assert np.allclose(table["score"], hand[table.index]), "score should be the weighted mean of the scaled marks"
    promise = sum(w[c] * m[c] / 10 for c in inn.PROMISE) / sum(w[c] for c in inn.PROMISE)
    risk = sum(w[c] * (m[c] - 1) / 4 for c in inn.RISKS) / sum(w[c] for c in inn.RISKS)
    assert np.allclose(table["promise"], promise[table.index]), "promise is the weighted mean of mark / 10"
    assert np.allclose(table["risk"], risk[table.index]), "risk is the weighted mean of (mark - 1) / 4"
    assert table["score"].is_monotonic_decreasing and table["rank"].tolist() == [1, 2, 3], "best first, ranked from 1"


def test_scores_do_not_depend_on_the_other_proposals():
    """Fixed scales: adding a proposal leaves the others' scores unchanged (no rank reversal)."""
    before = inn.score_proposals(MARKS)["score"]
    extra = pd.DataFrame([{"proposal_id": "D", "innovation": 10.0, "impact": 0.0, "fit": 10.0,
                           "technical_risk": 1.0, "delivery_risk": 5.0, "supplier_risk": 1.0}])
    after = inn.score_proposals(pd.concat([MARKS, extra]))["score"]
    assert np.allclose(after[before.index], before), "a new proposal must not move the others' scores"


def test_scores_accept_an_index_and_partial_weights():
    """A table indexed by proposal_id works, and weights may use a subset of the criteria."""
    table = inn.score_proposals(MARKS.set_index("proposal_id"), {"impact": 1, "technical_risk": 1})
    expected = (MARKS["impact"] / 10 + (5 - MARKS["technical_risk"]) / 4).to_numpy() / 2
    assert np.allclose(table["score"].reindex(MARKS["proposal_id"]), expected), "only the weighted criteria count"


# ----------------------------------------------------------- expected values
def test_expected_and_direct_values_follow_their_formulas():
    """EV = p max(V - c2, 0) - c1; straight to demonstration = p V - c1 - c2."""
    props = _proposals(np.random.default_rng(1), 8)
    props.loc[0, "value_if_success"] = 100_000.0  # worth less than its demonstration: EV = -c1
    ev = inn.expected_values(props)
    p, v, c1, c2 = (props[c].to_numpy() for c in ("probability_of_success", "value_if_success", "phase1_cost", "phase2_cost"))
    assert np.allclose(ev, p * np.maximum(v - c2, 0) - c1), "expected value formula"
    assert ev.iloc[0] == -c1[0], "a demonstration worth less than it costs is never bought"
    assert np.allclose(inn.direct_values(props), p * v - c1 - c2), "straight-to-demonstration formula"
    assert list(ev.index) == props["proposal_id"].tolist() and ev.name == "expected_value"


# ------------------------------------------------------------------ knapsack
@pytest.mark.parametrize("seed", range(12))
def test_allocate_budget_matches_brute_force(seed):
    """The integer programme finds the same best total value as listing every portfolio."""
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 12))
    costs = pd.Series(rng.integers(20, 100, k) * 1000.0, index=[f"P{i}" for i in range(k)])
    values = pd.Series(rng.normal(300_000, 250_000, k).round(), index=costs.index)  # some negative
    budget = float(rng.uniform(0, 1.2) * costs.sum())
    funded = inn.allocate_budget(costs, values, budget)
    assert funded.dtype == bool and list(funded.index) == list(costs.index), "one flag per proposal, in order"
    assert costs[funded].sum() <= budget + 1e-6, "the portfolio keeps to the budget"
    brute = _brute_force_knapsack(costs.to_numpy(), values.to_numpy(), budget)
    assert np.isclose(values[funded].sum(), brute, rtol=1e-9, atol=1e-6), f"milp {values[funded].sum()} vs brute force {brute}"
    assert not funded[values <= 0].any(), "a proposal worth nothing is never funded"


def test_greedy_allocation_rules_and_its_gap_to_the_optimum():
    """Greedy passes over (or stops at) what no longer fits, and never beats the knapsack."""
    costs = pd.Series({"A": 60.0, "B": 50.0, "C": 30.0, "D": 20.0})
    priority = pd.Series({"A": 0.9, "B": 0.8, "C": 0.7, "D": 0.6})
    assert inn.greedy_allocation(costs, priority, 100).tolist() == [True, False, True, False], "A and C: B does not fit"
    assert inn.greedy_allocation(costs, priority, 100, skip=False).tolist() == [True, False, False, False], "stops at B"
    assert not inn.greedy_allocation(costs, priority, 0).any(), "no money, no awards"
    rng = np.random.default_rng(7)
    for _ in range(30):
        k = int(rng.integers(2, 10))
        c = pd.Series(rng.integers(10, 100, k).astype(float), index=range(k))
        v = pd.Series(rng.uniform(0, 100, k), index=range(k))
        b = float(rng.uniform(0.2, 0.8) * c.sum())
        greedy = inn.greedy_allocation(c, v, b)
        assert c[greedy].sum() <= b + 1e-9, "greedy keeps to the budget"
        assert v[greedy].sum() <= v[inn.allocate_budget(c, v, b)].sum() + 1e-9, "greedy never beats the optimum"


# ---------------------------------------------------------------- stage gate
@pytest.mark.parametrize("slots", [1, 2, 3, None])
def test_stage_gate_matches_enumeration(slots):
    """The two-stage value equals the expectation over every combination of phase-1 results."""
    rng = np.random.default_rng(11 if slots is None else slots)
    for _ in range(5):
        props = _proposals(rng, int(rng.integers(1, 8)))
        funded = list(props["proposal_id"].sample(frac=0.8, random_state=int(rng.integers(1000))))
        if not funded:
            continue
        sub = props.set_index("proposal_id").loc[funded]
        net = (sub["value_if_success"] - sub["phase2_cost"]).to_numpy()
        gate = inn.stage_gate_value(props, funded, slots=slots)
        listed = _enumerate_stage_gate(sub["probability_of_success"].to_numpy(), net, slots)
        assert np.isclose(gate.demonstration_value, listed, rtol=1e-10, atol=1e-6), f"{gate.demonstration_value} vs {listed}"
        assert np.isclose(gate.two_stage, listed - sub["phase1_cost"].sum()), "the phase-1 contracts are paid once"


def test_stage_gate_one_place_matches_the_closed_form_and_a_simulation():
    """With one place: sum of p_i net_i prod(1 - p_j) over better ideas; a simulation agrees."""
    props = _proposals(np.random.default_rng(3), 6)
    ids = props["proposal_id"].tolist()
    gate = inn.stage_gate_value(props, ids, slots=1)
    t = props.set_index("proposal_id")
    net = (t["value_if_success"] - t["phase2_cost"]).clip(lower=0).sort_values(ascending=False)
    p = t.loc[net.index, "probability_of_success"].to_numpy()
    closed = sum(p[i] * net.iloc[i] * np.prod(1 - p[:i]) for i in range(len(p)))
    assert np.isclose(gate.demonstration_value, closed), "closed form for one demonstration place"
    tree = inn.decision_tree(props, ids)
    assert np.isclose(tree["p_branch"].sum(), 1.0), "the branches cover every future"
    assert np.isclose(tree["contribution"].sum(), closed), "the tree adds up to the same value"
    rng = np.random.default_rng(99)
    works = rng.random((200_000, len(p))) < p
    first = np.where(works.any(axis=1), net.to_numpy()[works.argmax(axis=1)], 0.0)
    se = first.std() / np.sqrt(len(first))
    assert abs(first.mean() - closed) < 4 * se, f"simulation {first.mean():.0f} vs closed form {closed:.0f}"


def test_unlimited_places_add_up_the_expected_values():
    """With a place for every success, the two-stage value is the total of expected_values."""
    props = _proposals(np.random.default_rng(5), 7)
    ids = props["proposal_id"].tolist()[:5]
    gate = inn.stage_gate_value(props, ids, slots=None)
    assert np.isclose(gate.two_stage, inn.expected_values(props)[ids].sum()), "knapsack objective = unlimited places"


def test_value_of_information_for_one_proposal():
    """For a single proposal worth demonstrating blind, the information is worth (1 - p) * c2."""
    one = pd.DataFrame({"proposal_id": ["A"], "probability_of_success": [0.6], "value_if_success": [2_000_000.0],
                        "phase1_cost": [50_000.0], "phase2_cost": [700_000.0]})
    gate = inn.stage_gate_value(one, ["A"])
    assert np.isclose(gate.value_of_information, 0.4 * 700_000), "(1 - p) * phase-2 cost"
    assert np.isclose(gate.direct, 0.6 * 2_000_000 - 750_000) and gate.direct_proposal == "A"
    assert np.isclose(gate.gain, gate.two_stage - gate.direct), "gain is two-stage minus direct"
    assert np.isclose(gate.gain, 0.4 * 700_000), "staging saves the demonstration money on failure"
    none = inn.stage_gate_value(one.assign(value_if_success=100_000.0), ["A"])
    assert none.direct == 0.0 and none.direct_proposal is None, "doing nothing beats a losing direct award"


# ------------------------------------------------------------------ payment
def test_capped_expectation_matches_numerical_integration():
    """E[min(G, m)] from the gamma CDFs equals the integral of the survival function from 0 to m."""
    for target, cv, limit in [(400.0, 0.5, 600.0), (100.0, 1.2, 50.0), (2500.0, 0.3, 2500.0)]:
        shape = 1 / cv ** 2
        integral, _ = integrate.quad(lambda x: stats.gamma.sf(x, shape, scale=target / shape), 0, limit)
        assert np.isclose(inn._expected_capped(target, cv, limit), integral, rtol=1e-7), (target, cv, limit)


def test_simulated_payments_match_closed_forms():
    """Means, spread and the chance of paying for nothing agree with their closed forms."""
    p, target, cv, price = 0.6, 400.0, 0.5, 500_000.0
    conv = inn.simulate_payment("conventional", probability=p, target=target, price=price, n=200_000, seed=1)
    out = inn.simulate_payment("outcome", probability=p, target=target, rate=2_000.0, fixed_fee=50_000.0, n=200_000, seed=1)
    assert (conv["payment"] == price).all(), "a conventional contract pays the price whatever happens"
    assert np.array_equal(conv["outcomes"], out["outcomes"]), "the same seed gives the same futures (common random numbers)"
    se = np.sqrt(p * (1 - p) / len(conv))
    assert abs((conv["outcomes"] == 0).mean() - (1 - p)) < 4 * se, "no outcome with probability 1 - p"
    mean = 50_000 + 2_000 * p * target
    var_u = target ** 2 * (p * (1 + cv ** 2) - p ** 2)
    assert abs(out["payment"].mean() - mean) < 4 * 2_000 * np.sqrt(var_u / len(out)), "fee + rate * p * target"
    assert np.isclose(out["payment"].std(), 2_000 * np.sqrt(var_u), rtol=0.02), "rate * sd of outcomes"
    summary = inn.summarise_payments(conv)
    assert np.isclose(summary["cost_per_outcome"], price / conv["outcomes"].mean()), "ratio of means"


def test_outcome_rate_recovers_the_price_and_premium():
    """At the rate outcome_rate asks, a simulated supplier earns fee + (price - fee)(1 + premium), capped or not."""
    p, target, price, premium, fee = 0.5, 300.0, 400_000.0, 0.25, 80_000.0
    need = fee + (price - fee) * (1 + premium)
    assert np.isclose(inn.outcome_rate(price, p, target, premium, fixed_fee=fee), (price - fee) * 1.25 / (p * target))
    most = 1.2 * target
    rate = inn.outcome_rate(price, p, target, premium, fixed_fee=fee, max_outcomes=most)
    draws = inn.simulate_payment("outcome", probability=p, target=target, rate=rate, fixed_fee=fee, cap=fee + rate * most,
                                 n=400_000, seed=2)
    se = draws["payment"].std() / np.sqrt(len(draws))
    assert abs(draws["payment"].mean() - need) < 4 * se, f"simulated {draws['payment'].mean():.0f} vs needed {need:.0f}"
    assert draws["payment"].max() <= fee + rate * most + 1e-6, "the cap holds"
    assert rate > inn.outcome_rate(price, p, target, premium, fixed_fee=fee), "a cap costs a higher rate"


def test_summarise_payments_on_a_small_example():
    """Hand-checked summary of four draws."""
    d = pd.DataFrame({"outcomes": [0.0, 0.0, 30.0, 50.0], "payment": [100.0, 0.0, 100.0, 100.0]})
    s = inn.summarise_payments(d)
    assert s["expected_payment"] == 75.0 and s["expected_outcomes"] == 20.0 and s["cost_per_outcome"] == 3.75
    assert s["p_pay_for_nothing"] == 0.25, "only paying something for no outcome counts"


# -------------------------------------------------------------------- errors
@pytest.mark.parametrize("call, message", [
    (lambda: inn.score_proposals(MARKS, {"price": 10}), "weights names unknown criteria"),
    (lambda: inn.score_proposals(MARKS.drop(columns="fit")), "lacks the column"),
    (lambda: inn.score_proposals(MARKS.assign(fit=11.0)), "fit must be marked from 0 to 10"),
    (lambda: inn.score_proposals(MARKS.assign(technical_risk=0.0)), "technical_risk must be marked from 1 to 5"),
    (lambda: inn.score_proposals(pd.concat([MARKS, MARKS])), "each proposal_id once"),
    (lambda: inn.score_proposals([1, 2]), "proposals must be an innovation_proposals table"),
    (lambda: inn.expected_values(_proposals(np.random.default_rng(0), 2).assign(probability_of_success=1.5)),
     "probability_of_success must lie from 0 to 1"),
    (lambda: inn.allocate_budget([1.0], pd.Series([1.0]), 10), "costs must be a pandas Series"),
    (lambda: inn.allocate_budget(pd.Series({"A": 0.0}), pd.Series({"A": 1.0}), 10), "costs must all be positive"),
    (lambda: inn.allocate_budget(pd.Series({"A": 1.0}), pd.Series({"B": 1.0}), 10), "values must give one value"),
    (lambda: inn.allocate_budget(pd.Series({"A": 1.0}), pd.Series({"A": 1.0}), -1), "budget must be at least 0"),
    (lambda: inn.greedy_allocation(pd.Series({"A": 1.0}), pd.Series({"A": np.nan}), 1), "priority must not hold missing"),
    (lambda: inn.stage_gate_value(_proposals(np.random.default_rng(0), 2), ["X"]), "funded names proposal"),
    (lambda: inn.stage_gate_value(_proposals(np.random.default_rng(0), 2), ["P0"], slots=0), "slots must be"),
    (lambda: inn.stage_gate_value(_proposals(np.random.default_rng(0), 2), "P0"), "funded must be a list"),
    (lambda: inn.outcome_rate(100.0, 0.0, 10.0), "probability must be more than 0"),
    (lambda: inn.outcome_rate(100.0, 0.5, 10.0, fixed_fee=200.0), "fixed_fee must be at most"),
    (lambda: inn.outcome_rate(100.0, 0.5, 10.0, max_outcomes=0), "max_outcomes must be more than 0"),
    (lambda: inn.simulate_payment("bonus", probability=0.5, target=10.0, seed=1), "contract must be one of"),
    (lambda: inn.simulate_payment("conventional", probability=0.5, target=10.0, seed=1), "price must be given"),
    (lambda: inn.simulate_payment("conventional", probability=0.5, target=10.0, price=5.0, rate=1.0, seed=1), "apply only"),
    (lambda: inn.simulate_payment("outcome", probability=0.5, target=10.0, seed=1), "rate must be given"),
    (lambda: inn.simulate_payment("outcome", probability=0.5, target=10.0, rate=1.0, price=5.0, seed=1), "price applies only"),
    (lambda: inn.simulate_payment("outcome", probability=0.5, target=10.0, rate=1.0, fixed_fee=5.0, cap=1.0, seed=1),
     "cap must be at least"),
    (lambda: inn.simulate_payment("outcome", probability=0.5, target=10.0, rate=1.0, n=0, seed=1), "n must be"),
    (lambda: inn.simulate_payment("outcome", probability=0.5, target=10.0, rate=1.0, seed=1.5), "seed must be"),
    (lambda: inn.summarise_payments(pd.DataFrame({"payment": [1.0]})), "draws must be"),
])
def test_errors_name_the_argument(call, message):
    """Bad arguments raise ValueError naming the argument."""
    with pytest.raises(ValueError, match=message):
        call()
