"""Demo innovation proposals for one council: the assessment sheet of SBRI-style challenge competitions.

One row per proposal, in the layout of a competition's assessment summary (as an
SBRI or CCR Challenge Fund panel keeps it): application reference, lead organisation,
SME and "registered in Wales" flags, the challenge and its phase-1 budget, the phase-1
(feasibility, up to GBP 100k) and phase-2 (demonstration, GBP 450k-1m) costs asked
for, the panel's mean marks for innovation, impact and fit to the challenge (0-10,
one decimal) and for technical, delivery and supplier risk (1-5), the assessors'
probability that the idea works, the benefit if it does (GBP over five years), and the
outcome measure and target of a twelve-month demonstration.

Two competitions at scale 1 (two of: decarbonising the council fleet, finding damp and
mould early, detecting road defects before they become potholes, reducing loneliness
among older people in rural communities), the first with 15-20 proposals and the
others 10-14, so the first always has the most; ``max(2, round(2 * scale))``
competitions at larger scales (later rounds of the same challenges).

Planted in every competition (checked as the proposals are drawn):

- funding the highest scores until the phase-1 budget runs out (passing over any that
  no longer fit) yields at most 90% of the expected value of the best portfolio within
  the budget (the 0/1 knapsack): the best-scored proposals are ambitious, dear and
  risky;
- the best-scored proposal is not the one with the highest expected value;
- with one demonstration place, the two-stage route on the best portfolio is worth
  more than funding the best single proposal straight to demonstration.

All organisations and figures are invented. Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum import innovation
from curriculum.councils import Council
from curriculum.demo.spend import PREFIXES, _council

__all__ = ["CHALLENGES", "COLUMNS", "FILES", "generate"]

FILES: tuple[str, ...] = ("innovation_proposals.csv",)
COLUMNS: tuple[str, ...] = (
    "Application Ref", "Lead Organisation", "SME", "Registered in Wales", "Challenge", "Phase 1 Budget (GBP)",
    "Phase 1 Cost (GBP)", "Phase 2 Cost (GBP)", "Innovation (0-10)", "Impact (0-10)", "Fit to Challenge (0-10)",
    "Technical Risk (1-5)", "Delivery Risk (1-5)", "Supplier Risk (1-5)", "Probability of Success",
    "Benefit if Successful, 5 yrs (GBP)", "Outcome Measure", "Target Outcomes (12 months)",
)

# Each challenge: its title, the demonstration's outcome measure and target range (for a
# council of 150,000 people), and what the bidders do (for their names).
CHALLENGES: tuple[dict, ...] = (
    dict(key="fleet", title="Decarbonising the council fleet",
         measure="tonnes of CO2e avoided", target=(120, 600),
         trades=("Fleet Analytics", "EV Systems", "Hydrogen", "Telematics", "Charging", "Mobility Labs")),
    dict(key="damp", title="Finding damp and mould early in rented homes",
         measure="homes where damp or mould is found and treated before a complaint", target=(150, 700),
         trades=("Sensing", "Home Health Tech", "Building Analytics", "IoT", "Housing Data", "Environmental Monitoring")),
    dict(key="potholes", title="Detecting road defects before they become potholes",
         measure="road defects repaired before they become potholes", target=(800, 3500),
         trades=("Road Imaging", "Geospatial", "Vision AI", "Infrastructure Analytics", "Survey Robotics", "Asset Intelligence")),
    dict(key="loneliness", title="Reducing loneliness among older people in rural communities",
         measure="older residents less lonely after six months", target=(80, 400),
         trades=("Community Tech", "Connect", "Care Networks", "Digital Inclusion", "Social Prescribing", "Rural Transport")),
)
_STEMS_WELSH = ("Afon", "Cwm", "Draig", "Seren", "Celyn", "Mynydd", "Golau", "Nant", "Bryn", "Glas", "Tawe", "Enfys",
                "Pontio", "Castell", "Derwen", "Gwawr", "Heulwen", "Eryri")
_STEMS_OTHER = ("Aurora", "Northgate", "Kestrel", "Vector", "Lumen", "Meridian", "Harbour", "Beacon", "Fieldstone",
                "Orbit", "Keystone", "Tidewater", "Granite", "Skylark")
_FORMS_SME = ("Ltd", "Ltd", "Ltd", "Cyf", "CIC", "LLP")
_MAX_TRIES = 500
_GREEDY_SHARE = 0.9


def _names(rng: np.random.Generator, trades: tuple[str, ...], sme: np.ndarray, welsh: np.ndarray) -> list[str]:
    """Invented, distinct organisation names: Welsh stems for most Welsh suppliers, plc for some large firms."""
    welsh_stems = list(rng.permutation(_STEMS_WELSH))
    other_stems = list(rng.permutation(_STEMS_OTHER))
    out = []
    for is_sme, is_welsh in zip(sme, welsh):
        pool = welsh_stems if (is_welsh and welsh_stems) or not other_stems else other_stems
        stem = pool.pop()
        trade = trades[int(rng.integers(len(trades)))]
        form = _FORMS_SME[int(rng.integers(len(_FORMS_SME)))] if is_sme else ("plc" if rng.random() < 0.5 else "Ltd")
        if form == "Cyf" and not is_welsh:
            form = "Ltd"
        out.append(f"{stem} {trade} {form}")
    return out


def _draw(rng: np.random.Generator, k: int, size: float, target: tuple[int, int]) -> pd.DataFrame:
    """One competition's proposals (curriculum column names), before the budget."""
    innovation_ = np.clip(rng.normal(6.3, 1.6, k), 2.0, 9.7)
    impact = np.clip(rng.normal(6.0, 1.5, k), 2.0, 9.7)
    fit = np.clip(rng.normal(6.5, 1.3, k), 2.0, 9.7)
    sme = rng.random(k) < 0.7
    welsh = rng.random(k) < np.where(sme, 0.65, 0.3)
    technical = np.clip(np.rint(1 + (innovation_ - 3) * 0.55 + rng.normal(0, 0.7, k)), 1, 5)
    delivery = np.clip(np.rint(rng.normal(2.5, 0.9, k) + np.where(sme, 0.4, -0.3)), 1, 5)
    supplier = np.clip(np.rint(rng.normal(2.2, 0.9, k) + np.where(sme, 0.8, -0.5)), 1, 5)
    p = np.clip(0.8 - 0.11 * (technical - 1) - 0.04 * (delivery - 1) - 0.02 * (supplier - 1) + rng.normal(0, 0.05, k), 0.1, 0.85)
    p = np.round(p * 20) / 20  # assessors give 5% steps
    ambition = 0.6 * innovation_ / 10 + 0.4 * rng.random(k)
    c1 = np.clip(np.round((25_000 + 80_000 * ambition) / 500) * 500, 25_000, 100_000)
    c2 = np.round(rng.uniform(450_000, 1_000_000, k), -3)
    value = np.round(c2 * (1.3 + impact / 10 * rng.uniform(1.0, 3.0, k)) * size ** 0.3, -3)
    low, high = target
    goal = np.round((low + (high - low) * impact / 10 * rng.uniform(0.7, 1.1, k)) * size ** 0.5)
    return pd.DataFrame({
        "sme": sme, "welsh_supplier": welsh, "phase1_cost": c1, "phase2_cost": c2,
        "innovation": np.round(innovation_, 1), "impact": np.round(impact, 1), "fit": np.round(fit, 1),
        "technical_risk": technical, "delivery_risk": delivery, "supplier_risk": supplier,
        "probability_of_success": p, "value_if_success": value, "target_outcomes": np.maximum(goal, 10),
    })


def _planted(frame: pd.DataFrame, budget: float) -> bool:
    """True if the competition shows the three structures the module teaches."""
    costs = frame.set_index("proposal_id")["phase1_cost"]
    ev = innovation.expected_values(frame)
    scores = innovation.score_proposals(frame)["score"]
    best = innovation.allocate_budget(costs, ev, budget)
    greedy = innovation.greedy_allocation(costs, scores.reindex(costs.index), budget)
    if not ev[greedy].sum() <= _GREEDY_SHARE * ev[best].sum():
        return False
    if scores.index[0] == ev.idxmax():
        return False
    gate = innovation.stage_gate_value(frame, list(best.index[best]), slots=1)
    return gate.gain > 0


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate one council's innovation proposals.

    Parameters
    ----------
    council : curriculum.councils.Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The only source of randomness.
    scale : float, default 1.0
        Volume multiplier: ``max(2, round(2 * scale))`` competitions of 10-20 proposals.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"innovation_proposals.csv": frame}`` with the columns in :data:`COLUMNS`, all as
        text: amounts in whole pounds, marks with one decimal, flags as Yes/No.

    Raises
    ------
    TypeError
        If ``council`` is not a Council or ``rng`` not a numpy Generator.
    ValueError
        If ``scale`` is not a positive number or the council not a CCR council.
    RuntimeError
        If no competition with the planted structures is drawn in 500 tries (not seen).
    """
    council = _council(council)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    n_challenges = max(2, round(2 * scale))
    size = council.population_2021 / 150_000
    order = rng.permutation(len(CHALLENGES))
    parts = []
    for i in range(n_challenges):
        template = CHALLENGES[int(order[i % len(CHALLENGES)])]
        round_no = i // len(CHALLENGES)
        title = template["title"] + (f" (round {round_no + 1})" if round_no else "")
        k = int(rng.integers(15, 21)) if i == 0 else int(rng.integers(10, 15))
        for _ in range(_MAX_TRIES):
            frame = _draw(rng, k, size, template["target"])
            frame.insert(0, "proposal_id", [f"{PREFIXES[council.name]}-SBRI-{25 + round_no:02d}{i + 1:02d}-{j:03d}"
                                            for j in rng.permutation(np.arange(1, k + 1))])
            budget = float(np.round(rng.uniform(0.3, 0.38) * frame["phase1_cost"].sum(), -4))
            if _planted(frame, budget):
                break
        else:  # pragma: no cover - the structures appear within a few tries
            raise RuntimeError(f"{council.name}: no competition with the planted structures in {_MAX_TRIES} tries")
        frame["supplier_name"] = _names(rng, template["trades"], frame["sme"].to_numpy(), frame["welsh_supplier"].to_numpy())
        frame["challenge"] = title
        frame["phase1_budget"] = budget
        frame["outcome_measure"] = template["measure"]
        parts.append(frame.sort_values("proposal_id"))
    data = pd.concat(parts, ignore_index=True)
    yes_no = {True: "Yes", False: "No"}
    out = pd.DataFrame({
        "Application Ref": data["proposal_id"],
        "Lead Organisation": data["supplier_name"],
        "SME": data["sme"].map(yes_no),
        "Registered in Wales": data["welsh_supplier"].map(yes_no),
        "Challenge": data["challenge"],
        "Phase 1 Budget (GBP)": data["phase1_budget"].map("{:.0f}".format),
        "Phase 1 Cost (GBP)": data["phase1_cost"].map("{:.0f}".format),
        "Phase 2 Cost (GBP)": data["phase2_cost"].map("{:.0f}".format),
        "Innovation (0-10)": data["innovation"].map("{:.1f}".format),
        "Impact (0-10)": data["impact"].map("{:.1f}".format),
        "Fit to Challenge (0-10)": data["fit"].map("{:.1f}".format),
        "Technical Risk (1-5)": data["technical_risk"].map("{:.0f}".format),
        "Delivery Risk (1-5)": data["delivery_risk"].map("{:.0f}".format),
        "Supplier Risk (1-5)": data["supplier_risk"].map("{:.0f}".format),
        "Probability of Success": data["probability_of_success"].map("{:.2f}".format),
        "Benefit if Successful, 5 yrs (GBP)": data["value_if_success"].map("{:.0f}".format),
        "Outcome Measure": data["outcome_measure"],
        "Target Outcomes (12 months)": data["target_outcomes"].map("{:.0f}".format),
    })
    return {"innovation_proposals.csv": out[list(COLUMNS)]}
