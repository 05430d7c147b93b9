"""Demo tender evaluations for one council: the scoring sheet of a few competitive tenders.

One row per bid and quality criterion, in the layout of an e-tendering system's
evaluation export: tender reference and title, lot, procedure (Procurement Act 2023
procedures, the tenders having run in 2025), bidder, SME flag, evaluated price
(whole-life cost in GBP), pre-tender estimate, price weighting, quality criterion,
criterion weighting, score and maximum score (0-5 or 0-100 scales). Four lots at
scale 1: fleet decarbonisation, domiciliary care, highways resurfacing and grounds
maintenance, each with 3-7 bids; more lots at larger scales.

Two structures are planted in every council's file:

- in the fleet decarbonisation lot, relative price scoring (lowest price / bid
  price) reverses a ranking: with all bids in, the dearest, best-quality bid wins;
  if the cheapest bid withdraws, the second-best bid wins instead;
- in the highways resurfacing lot, one bid is abnormally low: 60-70% of the
  pre-tender estimate and far below the other bids, which lie from 88% to 120% of
  the estimate (so no other bid of the file is flagged at 80% of the estimate or
  70% of the median of the other bids).

All bidders and bids are invented. Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council
from curriculum.demo.spend import PREFIXES, TOWNS, _council

__all__ = ["COLUMNS", "FILES", "TEMPLATES", "generate"]

FILES: tuple[str, ...] = ("tender_bids.csv",)
COLUMNS: tuple[str, ...] = (
    "Tender Reference", "Tender Title", "Lot", "Procedure", "Bidder", "SME", "Evaluated Price (GBP)",
    "Pre-Tender Estimate (GBP)", "Price Weighting (%)", "Quality Criterion", "Criterion Weighting (%)", "Score",
    "Maximum Score",
)

# Each lot type: title, lot label, price weight (%), quality criteria with weights (%),
# maximum score, estimate for a council of 150,000 people (GBP, whole life), bids (min, max)
# and bidders ("{town}" takes one of the council's towns; "*" marks an SME).
TEMPLATES: tuple[dict, ...] = (
    dict(key="fleet", title="Fleet Decarbonisation Programme", lot="Lot {n}: Electric light commercial vehicles and charge points",
         price_weight=40, max_score=5, estimate=1_800_000, bids=(3, 4),
         criteria=(("Vehicle specification, range and payload", 20), ("Charging infrastructure and installation", 15),
                   ("Maintenance, aftercare and driver training", 15), ("Social value (TOMs Wales)", 10)),
         bidders=("*{town} Commercial Vehicles Ltd", "Albion Fleet Solutions plc", "*Cymru Electric Vans Cyf",
                  "Greenway Vehicle Leasing Ltd", "*Dragon EV Services Ltd", "Severnside Fleet Management Ltd",
                  "*Taf Charging Solutions Ltd")),
    dict(key="care", title="Domiciliary Care Framework 2025-2029", lot="Lot {n}: {town} and surrounding area",
         price_weight=30, max_score=100, estimate=6_500_000, bids=(4, 7),
         criteria=(("Person-centred outcomes and well-being", 25),
                   ("Workforce recruitment, retention and Real Living Wage", 20),
                   ("Welsh language: the Active Offer", 10), ("Continuity of care and rural coverage", 15)),
         bidders=("*Gofal {town} Cyf", "*Cartref Home Care Ltd", "Caring Hands UK Ltd", "*Seren Care at Home CIC",
                  "*{town} Community Care Ltd", "Meadowbank Homecare Group plc", "*Calon Domiciliary Services Ltd",
                  "Unity Care Partnerships Ltd", "*Awel Support Services CIC")),
    dict(key="highways", title="Highways Resurfacing Programme 2025-2027", lot="Lot {n}: Carriageway resurfacing, {town}",
         price_weight=60, max_score=5, estimate=1_600_000, bids=(4, 6),
         criteria=(("Programme, traffic management and disruption", 15), ("Materials, recycling and carbon", 10),
                   ("Health, safety and quality assurance", 5), ("Community benefits and social value", 10)),
         bidders=("*{town} Surfacing Ltd", "Brunel Highways Ltd", "*Cwm Civil Engineering Ltd",
                  "National Asphalt Contracting plc", "*Valleys Road Services Ltd", "*Gwent Tarmac Cyf",
                  "Westway Infrastructure Ltd", "*Mynydd Plant and Surfacing Ltd")),
    dict(key="grounds", title="Parks and Open Spaces Grounds Maintenance", lot="Lot {n}: {town} parks and cemeteries",
         price_weight=50, max_score=100, estimate=900_000, bids=(3, 6),
         criteria=(("Service delivery method and resourcing", 20), ("Biodiversity and pesticide reduction", 15),
                   ("Social value and local employment", 15)),
         bidders=("*{town} Landscapes Ltd", "*Gerddi Gwyrdd Cyf", "Greenscape Services UK Ltd", "*Derwen Grounds Care CIC",
                  "Parkland Maintenance plc", "*Afon Garden Services Ltd", "*Coedwig Tree and Grounds Ltd")),
)
_PROCEDURES = ("Competitive Flexible Procedure", "Open Procedure")
_FIXED_WINNER_MARGIN = 1e-6


def _scores(rng: np.random.Generator, level: float, n_criteria: int, max_score: int) -> np.ndarray:
    """Criterion scores on a six-point scale (0-5, or 0-100 in steps of 20) around a bid's quality level."""
    points = np.clip(np.rint(level * 5 + rng.normal(0, 0.6, n_criteria)), 0, 5)
    return points * (max_score / 5)


def _quality(scores: np.ndarray, weights: np.ndarray, max_score: int) -> float:
    return float((weights * scores / max_score).sum() / weights.sum())


def _bidders(rng: np.random.Generator, template: dict, town: str, k: int) -> list[tuple[str, bool]]:
    chosen = rng.choice(len(template["bidders"]), size=k, replace=False)
    out = []
    for i in chosen:
        raw = template["bidders"][int(i)]
        out.append((raw.lstrip("*").format(town=town), raw.startswith("*")))
    return out


def _planted_reversal(rng: np.random.Generator, template: dict, estimate: float, k: int):
    """Prices and scores of a lot where the cheapest bid's withdrawal changes the winner under relative scoring."""
    weights = np.array([w for _, w in template["criteria"]], dtype=float)
    top = template["max_score"]
    wp = template["price_weight"] / 100
    while True:
        sb = _scores(rng, rng.uniform(0.55, 0.7), len(weights), top)
        sc = _scores(rng, rng.uniform(0.65, 0.85), len(weights), top)
        sa = _scores(rng, rng.uniform(0.2, 0.4), len(weights), top)
        qa, qb, qc = (_quality(s, weights, top) for s in (sa, sb, sc))
        d = qc - qb
        if not (0.06 <= d <= 0.12 and qa <= qc - 0.25):
            continue
        kk = (1 - wp) * d / wp
        pb = estimate * rng.uniform(0.97, 1.04)
        pc = pb / (1 - 1.12 * kk)
        pa = 0.85 * pb
        prices = [round(pa, 2), round(pb, 2), round(pc, 2)]
        extra = []
        for _ in range(k - 3):
            level = rng.uniform(0.3, 0.5)
            s = _scores(rng, level, len(weights), top)
            if _quality(s, weights, top) <= qb - 0.08:
                extra.append((round(pb * rng.uniform(1.0, 1.1), 2), s))
        # Check the reversal on the rounded prices: C wins with A in, B wins without A.
        p = np.array(prices + [e[0] for e in extra])
        q = np.array([qa, qb, qc] + [_quality(e[1], weights, top) for e in extra])
        with_a = wp * p.min() / p + (1 - wp) * q
        without = wp * p[1:].min() / p[1:] + (1 - wp) * q[1:]
        if with_a.argmax() == 2 and with_a[2] - np.delete(with_a, 2).max() > _FIXED_WINNER_MARGIN \
                and without.argmax() == 0 and without[0] - np.delete(without, 0).max() > _FIXED_WINNER_MARGIN:
            return prices + [e[0] for e in extra], [sa, sb, sc] + [e[1] for e in extra]


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate one council's tender evaluation export.

    Parameters
    ----------
    council : curriculum.councils.Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The only source of randomness.
    scale : float, default 1.0
        Volume multiplier: ``max(4, round(4 * scale))`` lots (the first four always
        include the two planted ones).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"tender_bids.csv": frame}`` with the columns in :data:`COLUMNS`, all as text:
        prices with 2 decimals, weights and scores as whole numbers, SME as Yes/No.

    Raises
    ------
    TypeError
        If ``council`` is not a Council or ``rng`` not a numpy Generator.
    ValueError
        If ``scale`` is not a positive number or the council not a CCR council.
    """
    council = _council(council)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    n_lots = max(4, round(4 * scale))
    towns = TOWNS[council.name]
    size = council.population_2021 / 150_000
    rows = []
    for i in range(n_lots):
        template = TEMPLATES[i % len(TEMPLATES)]
        round_no = i // len(TEMPLATES)
        lot_no = int(rng.integers(1, 5)) + 4 * round_no
        town = str(towns[int(rng.integers(len(towns)))])
        estimate = round(template["estimate"] * size ** 0.8 * rng.uniform(0.85, 1.15), -3)
        k = int(rng.integers(template["bids"][0], template["bids"][1] + 1))
        weights = np.array([w for _, w in template["criteria"]], dtype=float)
        top = template["max_score"]
        if i == 0:
            prices, scores = _planted_reversal(rng, template, estimate, k)
        else:
            levels = rng.uniform(0.4, 0.85, k)
            scores = [_scores(rng, lv, len(weights), top) for lv in levels]
            ratios = np.clip(0.9 + 0.35 * (levels - 0.45) + rng.normal(0, 0.06, k), 0.88, 1.2)
            if i == 2:  # the planted abnormally low bid: the first bid of the lot, with middling quality
                ratios[0] = rng.uniform(0.6, 0.7)
                scores[0] = _scores(rng, rng.uniform(0.4, 0.55), len(weights), top)
            prices = [round(estimate * r, 2) for r in ratios]
        bidders = _bidders(rng, template, town, len(prices))
        order = rng.permutation(len(prices))
        reference = f"{PREFIXES[council.name]}-T-2025-{10 + 7 * i + int(rng.integers(0, 7)):04d}/L{lot_no}"
        procedure = str(rng.choice(_PROCEDURES))
        for j in order:
            name, sme = bidders[int(j)]
            for (criterion, weight), score in zip(template["criteria"], scores[int(j)]):
                rows.append({
                    "Tender Reference": reference,
                    "Tender Title": template["title"],
                    "Lot": template["lot"].format(n=lot_no, town=town),
                    "Procedure": procedure,
                    "Bidder": name,
                    "SME": "Yes" if sme else "No",
                    "Evaluated Price (GBP)": f"{prices[int(j)]:.2f}",
                    "Pre-Tender Estimate (GBP)": f"{estimate:.2f}",
                    "Price Weighting (%)": str(template["price_weight"]),
                    "Quality Criterion": criterion,
                    "Criterion Weighting (%)": str(weight),
                    "Score": str(int(score)),
                    "Maximum Score": str(top),
                })
    return {"tender_bids.csv": pd.DataFrame(rows, columns=list(COLUMNS))}
