"""Demo candidate solutions and a steering group's criteria weights.

For the Adaption Lab's prevention theme (helping people stay well, safe and
independent before their needs escalate), each council's team has shortlisted
solutions proven elsewhere and scored them: the strength of the evidence on Nesta's
Standards of Evidence (levels 1-5, fixed by the published evaluations, the same in
every council), the cost per participant per year, the fit to the local context
(0-10, the team's judgement) and the implementation risk (1-5), with what cannot be
changed (the model's core components and legal duties) and whether the option meets
the programme's must-haves (Yes, No or blank when not yet assessed). The steering
group's agreed weights for the four criteria sit in a second file.

Planted structure: every shortlist holds a level-1 idea (screened out by an evidence
floor of level 2); about half the councils have an option that fails a must-have and
some have one not yet assessed; most shortlists hold an option that another option
dominates; and the top two options are close in Cardiff, Newport, Torfaen and the Vale
of Glamorgan (the winner depends on the weights) but clearly apart elsewhere. Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council

__all__ = ["CLOSE_COUNCILS", "COLUMNS", "CRITERIA", "FILES", "MINIMUM_EVIDENCE", "WEIGHT_COLUMNS", "generate"]

FILES: tuple[str, ...] = ("candidate_solutions.csv", "criteria_weights.csv")
COLUMNS: tuple[str, ...] = ("Option ID", "Solution", "Proven In", "Nesta Evidence Level", "Evidence Source",
                            "Cost per Participant (GBP)", "Local Fit (0-10)", "Implementation Risk (1-5)",
                            "What Cannot Change", "Meets Must-haves")
WEIGHT_COLUMNS: tuple[str, ...] = ("Criterion", "Weight (%)", "Direction", "Rationale")

# criterion column, published label, direction, base weight (%), rationale
CRITERIA: tuple[tuple[str, str, str, int, str], ...] = (
    ("evidence_level", "Strength of evidence (Nesta level)", "Higher is better", 35,
     "We adopt what has worked elsewhere; the stronger the evidence, the less we risk public money."),
    ("cost_per_participant", "Cost per participant", "Lower is better", 25,
     "The medium-term financial plan leaves little for new services; cheaper options reach more people."),
    ("fit_score", "Fit to local context", "Higher is better", 25,
     "Solutions must suit our communities, workforce and partners, and the Welsh language."),
    ("implementation_risk", "Implementation risk", "Lower is better", 15,
     "We have eighteen months to show results; options that are hard to set up may not get there."),
)

CLOSE_COUNCILS: frozenset[str] = frozenset({"Cardiff", "Newport", "Torfaen", "Vale of Glamorgan"})
MINIMUM_EVIDENCE = 2  # the steering group's evidence floor used when planting the structure

_CONTEXT: dict[str, str] = {
    "Blaenau Gwent": "valleys", "Bridgend": "mixed", "Caerphilly": "valleys", "Cardiff": "urban",
    "Merthyr Tydfil": "valleys", "Monmouthshire": "rural", "Newport": "urban", "Rhondda Cynon Taf": "valleys",
    "Torfaen": "valleys", "Vale of Glamorgan": "rural",
}

# Each solution: its name, Nesta evidence level, base cost per participant per year (GBP), mean fit and
# risk scores, where it was proven, the evidence, what cannot change, the blocker written when it fails a
# must-have, and the fit adjustment by kind of place.
_POOL: dict[str, dict] = {
    "fgc": {
        "name": "Family group conferencing", "evidence": 4, "cost": 2400, "fit": 6.0, "risk": 3,
        "proven": "Councils across Wales and England; pre-proceedings trial in 21 English councils",
        "source": "Randomised trial for Foundations (What Works for Children's Social Care), 2023, with earlier comparison studies",
        "fixed": "An independent coordinator; the family's private time to make its own plan; the local authority's duties under the Social Services and Well-being (Wales) Act 2014 stay with it",
        "blocker": "no independent coordinator service can be commissioned before the current contract ends",
        "adjust": {}},
    "mockingbird": {
        "name": "Mockingbird family model", "evidence": 3, "cost": 2600, "fit": 6.3, "risk": 3,
        "proven": "The Fostering Network's programme, in UK fostering services since 2015",
        "source": "Evaluations with comparison groups by the Rees Centre, University of Oxford, for the Department for Education",
        "fixed": "Licensed model: a hub home supporting a constellation of 6-10 fostering households; carers approved under the fostering regulations for Wales",
        "blocker": "too few foster carers to form a first constellation of six households",
        "adjust": {"urban": 0.5}},
    "reablement": {
        "name": "Reablement at home", "evidence": 3, "cost": 2300, "fit": 6.4, "risk": 2,
        "proven": "Most UK councils; NICE guideline NG74 on intermediate care",
        "source": "Comparison-group studies summarised in NICE's review of intermediate care including reablement",
        "fixed": "Time-limited (usually up to six weeks) and free of charge for that period under the Welsh charging regulations; goals set with the person",
        "blocker": "the domiciliary care market cannot release reablement staff this year",
        "adjust": {}},
    "housing_first": {
        "name": "Housing First", "evidence": 4, "cost": 11000, "fit": 6.0, "risk": 4,
        "proven": "Finland; Housing First pilots in Greater Manchester, Liverpool City Region and the West Midlands; Welsh councils with Cymorth Cymru",
        "source": "Randomised trial in five Canadian cities (At Home/Chez Soi) and the evaluation of the English pilots",
        "fixed": "Fidelity to the Housing First principles: a home not conditional on treatment; intensive support, about one worker to seven people, for as long as needed",
        "blocker": "no one-bedroom social lets are available before 2027",
        "adjust": {"urban": 1.5, "valleys": -0.4, "rural": -1.5}},
    "shared_lives": {
        "name": "Shared Lives", "evidence": 2, "cost": 9500, "fit": 6.0, "risk": 3,
        "proven": "Shared Lives Plus schemes in every Welsh region",
        "source": "Outcome monitoring and cost comparisons by Shared Lives Plus and Social Finance; no comparison group",
        "fixed": "A scheme registered with Care Inspectorate Wales; carers assessed, approved and matched with each person",
        "blocker": "the regional scheme is closed to new referrals while it is re-tendered",
        "adjust": {"rural": 0.5}},
    "lac": {
        "name": "Local Area Coordination", "evidence": 2, "cost": 900, "fit": 6.4, "risk": 3,
        "proven": "Swansea, Derby and Thurrock councils",
        "source": "Local evaluations with before-and-after data and cost estimates (Swansea, Derby)",
        "fixed": "Coordinators embedded in one neighbourhood for the long term, with no eligibility criteria or time limits",
        "blocker": "no neighbourhood base can be found in the pilot wards",
        "adjust": {"rural": 1.0, "valleys": 0.5}},
    "social_prescribing": {
        "name": "Social prescribing link workers", "evidence": 2, "cost": 350, "fit": 6.8, "risk": 2,
        "proven": "Primary care networks in England; GP clusters across Wales under the national framework for social prescribing",
        "source": "Systematic reviews find promising but mostly uncontrolled before-and-after evidence",
        "fixed": "Referral routes agreed with GP clusters; link workers' caseloads capped; community groups able to take referrals",
        "blocker": "the GP cluster has not agreed a referral route",
        "adjust": {"valleys": 1.0}},
    "telecare": {
        "name": "Proactive telecare calls", "evidence": 2, "cost": 420, "fit": 6.0, "risk": 2,
        "proven": "Councils' community alarm services in England and Wales",
        "source": "Before-and-after data from proactive services; the Whole System Demonstrator trial (2008-2011) found telecare alone did not reduce service use",
        "fixed": "Calls made by the council's alarm receiving centre; consent and data protection impact assessment for every user",
        "blocker": "the alarm receiving centre's contract does not allow outbound calls",
        "adjust": {"rural": 1.0}},
    "app": {
        "name": "Locally designed wellbeing app", "evidence": 1, "cost": 150, "fit": 5.5, "risk": 3,
        "proven": "Not yet tried anywhere: an idea from the council's digital team",
        "source": "A logic model only",
        "fixed": "Must meet the Welsh Language Standards and the accessibility regulations for public sector websites and apps",
        "blocker": "no digital budget for a new product this year",
        "adjust": {}},
}
_PROVEN = [k for k in _POOL if k != "app"]
_SHORTLIST = 7  # options on a council's shortlist at scale 1


def _check(council, scale) -> None:
    if not isinstance(council, Council) or council.name not in _CONTEXT:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")


_COLUMNS = ["evidence", "cost", "fit", "risk"]
_BENEFIT = np.array([True, False, True, False])
_FITS = np.round(np.arange(3.0, 9.51, 0.1), 1)  # fit scores the tuning may give (kept realistic)
_DRAWS = 400  # weight draws used to judge how much the winner depends on the weights
_CONCENTRATION = 30.0


def _normalised(values: np.ndarray) -> np.ndarray:
    """Min-max scaling of an options-by-criteria array, higher better (1 where a column is constant)."""
    low, high = values.min(axis=0), values.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    scaled = np.where(_BENEFIT, values - low, high - values) / span
    return np.where(high > low, scaled, 1.0)


def _scores(frame: pd.DataFrame, weights: np.ndarray) -> np.ndarray:
    return _normalised(frame[_COLUMNS].to_numpy(dtype=float)) @ weights


def _ranked(frame: pd.DataFrame, weights: np.ndarray) -> pd.Series:
    return pd.Series(_scores(frame, weights), index=frame.index).sort_values(ascending=False, kind="stable")


def _top_share(frame: pd.DataFrame, draws: np.ndarray) -> float:
    """Share of the weight draws won by the option that wins most often."""
    winners = np.argmax(draws @ _normalised(frame[_COLUMNS].to_numpy(dtype=float)).T, axis=1)
    return float(np.bincount(winners, minlength=len(frame)).max() / len(draws))


def _weights(rng: np.random.Generator) -> np.ndarray:
    """The steering group's weights in percent: the base weights moved a little, multiples of 5, at least 5."""
    base = np.array([c[3] for c in CRITERIA], dtype=float)
    drawn = rng.dirichlet(base / base.sum() * 60) * 100
    weights = np.maximum(5, np.round(drawn / 5) * 5)
    weights[np.argmax(weights)] += 100 - weights.sum()
    return weights


def _values(frame: pd.DataFrame, option, column: str, base_cost: float) -> np.ndarray:
    """The values the tuning may give one option on one criterion, within the others' range."""
    others = frame.drop(index=option)[column]
    if column == "fit":
        return _FITS
    if column == "risk":
        return np.arange(others.min(), others.max() + 1)
    low, high = max(others.min(), 0.6 * base_cost), min(others.max(), 1.6 * base_cost)
    if low > high:
        return np.array([frame.at[option, column]])  # no realistic price within the others' range
    return np.unique(np.round(np.linspace(low, high, 120), -1))


def _tune(frame: pd.DataFrame, weights: np.ndarray, draws: np.ndarray, base_cost: dict, close: bool) -> None:
    """Move fit, cost and risk scores one at a time so that the winner depends on the weights, or clearly not.

    Close: the option winning most often should win about half of the weight draws
    (``draws``); the challenger whose fit gets nearest to that is moved first. Apart: the
    leader with the agreed weights should win about 95% of the draws.
    """
    target, tolerance = (0.5, 0.06) if close else (0.95, 0.04)

    def objective() -> float:
        order = _ranked(frame, weights)
        if order.iloc[0] - order.iloc[1] < 0.003:
            return 1.0  # no near-ties with the agreed weights: the leader must be clear, if only just
        return abs(_top_share(frame, draws) - target)

    def scan(option, column) -> float:
        start, best, best_value = frame.at[option, column], np.inf, frame.at[option, column]
        for value in _values(frame, option, column, base_cost[option]):
            frame.at[option, column] = value
            if not close and _ranked(frame, weights).index[0] != leader:
                continue
            score = objective()
            if score < best - 1e-12:
                best, best_value = score, value
        frame.at[option, column] = best_value if np.isfinite(best) else start
        return objective()

    ranked = _ranked(frame, weights)
    leader, runner = ranked.index[0], ranked.index[1]
    if objective() < tolerance:
        return
    if close:
        results = []
        for option in ranked.index[1:]:
            start = frame.at[option, "fit"]
            results.append((scan(option, "fit"), option, frame.at[option, "fit"]))
            frame.at[option, "fit"] = start
        _, runner, fit = min(results, key=lambda item: item[0])
        frame.at[runner, "fit"] = fit
        moves = [(runner, "cost"), (runner, "risk"), (leader, "cost"), (leader, "fit")]
    else:
        moves = [(leader, "fit"), (runner, "fit"), (leader, "cost"), (runner, "cost"), (runner, "risk")]
    for option, column in moves:
        if objective() < tolerance:
            return
        scan(option, column)


def _plant_dominated(frame: pd.DataFrame, weights: np.ndarray, rng: np.random.Generator) -> None:
    """Make one option (not in the top two) worse than a better-evidenced one on every criterion.

    Its values move only within the ranges the other options span, so no other option's
    score changes.
    """
    top = set(_ranked(frame, weights).index[:2])
    pairs = []
    for d in frame.index:
        if d in top:
            continue
        row = frame.loc[d]
        others = frame.drop(index=d)
        if row["fit"] > others["fit"].max() or row["cost"] < others["cost"].min() or row["risk"] < others["risk"].min():
            continue  # worsening it would change the scale of a criterion
        for p in frame.index:
            if p != d and frame.at[p, "evidence"] > row["evidence"] and frame.at[p, "cost"] <= 1.35 * row["cost"]:
                pairs.append((p, d))
    if not pairs:
        return
    p, d = pairs[rng.integers(len(pairs))]
    frame.at[d, "cost"] = max(frame.at[d, "cost"], frame.at[p, "cost"])
    frame.at[d, "fit"] = min(frame.at[d, "fit"], frame.at[p, "fit"])
    frame.at[d, "risk"] = max(frame.at[d, "risk"], frame.at[p, "risk"])


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's shortlist of candidate solutions and its criteria weights.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same files.
    scale : float, default 1.0
        Volume multiplier for the shortlist (seven options at scale 1, at least four;
        beyond the nine solutions in the pool, further providers of the same solutions).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"candidate_solutions.csv": ..., "criteria_weights.csv": ...}`` with the columns
        of :data:`COLUMNS` and :data:`WEIGHT_COLUMNS`.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    """
    _check(council, scale)
    context = _CONTEXT[council.name]
    weights = _weights(rng)
    n = max(4, round(_SHORTLIST * float(scale)))
    chosen = ["app"] + [_PROVEN[i] for i in rng.permutation(len(_PROVEN))[: min(n, len(_POOL)) - 1]]
    while len(chosen) < n:  # large scales: more providers of the same solutions
        chosen.append(_PROVEN[rng.integers(len(_PROVEN))])
    price = rng.uniform(0.9, 1.15)
    rows = []
    seen: dict[str, int] = {}
    for key in chosen:
        item = _POOL[key]
        seen[key] = seen.get(key, 0) + 1
        name = item["name"] if seen[key] == 1 else f"{item['name']} (provider {seen[key]})"
        rows.append({
            "key": key, "name": name, "evidence": item["evidence"],
            "cost": float(max(50, round(item["cost"] * price * rng.lognormal(0, 0.12), -1))),
            "fit": float(np.clip(np.round(rng.normal(item["fit"] + item["adjust"].get(context, 0.0), 0.9), 1), 1, 10)),
            "risk": int(np.clip(item["risk"] + rng.integers(-1, 2), 1, 5)),
            "meets": "Yes",
        })
    frame = pd.DataFrame(rows)
    proven = frame.index[frame["key"] != "app"]
    if rng.random() < 0.5:  # one option fails a must-have
        frame.at[proven[rng.integers(len(proven))], "meets"] = "No"
    if rng.random() < 0.35:  # one option not yet assessed against the must-haves
        open_rows = [i for i in proven if frame.at[i, "meets"] == "Yes"]
        frame.at[open_rows[rng.integers(len(open_rows))], "meets"] = ""
    screened = frame[(frame["evidence"] >= MINIMUM_EVIDENCE) & (frame["meets"] != "No")].copy()
    share = weights / 100
    if len(screened) >= 3:
        draws = rng.dirichlet(_CONCENTRATION * share, size=_DRAWS)
        base_cost = {i: _POOL[frame.at[i, "key"]]["cost"] * price for i in screened.index}
        _tune(screened, share, draws, base_cost, council.name in CLOSE_COUNCILS)
        _plant_dominated(screened, share, rng)
        frame.loc[screened.index, ["cost", "fit", "risk"]] = screened[["cost", "fit", "risk"]]
    frame = frame.sample(frac=1, random_state=rng.integers(2**31)).reset_index(drop=True)
    candidates = pd.DataFrame({
        "Option ID": [f"OPT-{i + 1:02d}" for i in range(len(frame))],
        "Solution": frame["name"],
        "Proven In": [_POOL[k]["proven"] for k in frame["key"]],
        "Nesta Evidence Level": frame["evidence"].astype(int),
        "Evidence Source": [_POOL[k]["source"] for k in frame["key"]],
        "Cost per Participant (GBP)": frame["cost"].astype(int),
        "Local Fit (0-10)": [f"{v:.1f}" for v in frame["fit"]],
        "Implementation Risk (1-5)": frame["risk"].astype(int),
        "What Cannot Change": [_POOL[k]["fixed"] + (f". Not possible here yet: {_POOL[k]['blocker']}" if m == "No" else "")
                               for k, m in zip(frame["key"], frame["meets"])],
        "Meets Must-haves": frame["meets"],
    })
    weight_table = pd.DataFrame({
        "Criterion": [c[1] for c in CRITERIA],
        "Weight (%)": weights.astype(int),
        "Direction": [c[2] for c in CRITERIA],
        "Rationale": [c[4] for c in CRITERIA],
    })
    return {"candidate_solutions.csv": candidates[list(COLUMNS)], "criteria_weights.csv": weight_table[list(WEIGHT_COLUMNS)]}
