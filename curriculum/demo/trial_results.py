"""Demo results of a School Streets trial and a 20 mph roll-out, a year on.

Two files per council:

``trial_outcomes.csv``
    The outcome data return of a cluster-randomised trial of School Streets in the
    council's primary schools, as an evaluator would send it: one row per class (one
    class per year group, Reception to Year 6), schools pseudonymised (``S001``...),
    each school randomised within its free-school-meals band (``Stratum``) to
    ``School Street`` or ``Control``. The hands-up survey's share walking, cycling or
    scooting is given for the baseline and a year later (the primary outcome), with four
    secondary outcomes: attendance, late marks, a wellbeing score and the share active
    for 60 minutes a day. Planted structure:

    - a school random effect (clustering) that persists from baseline to follow-up, so
      the baseline predicts the outcome strongly;
    - a regional fall of about two points in active travel between the surveys;
    - a true effect on the primary outcome only, of about five and a half points where the closure
      operated; about one School Street school in ten could not operate its closure,
      more often schools with low walking rates (so dropping them flatters the scheme);
    - no effect on any secondary outcome;
    - attrition: a few schools (more often control schools) and about one class in
      twenty did not return the follow-up survey (their outcomes are blank).

``area_panel.csv``
    Monthly monitoring of the council's areas (April 2021 to August 2023, ending before
    Wales's national 20 mph default of 17 September 2023): mean speed at automatic
    traffic counters and injury road casualties. About a third of the areas, chosen
    because their speeds were higher, became phase-one 20 mph areas in one month of
    summer 2022. Treated and comparison areas share one trend and the same monthly
    shocks (parallel trends); speeds in the pilot areas fall by about 3 mph, building up
    over the first two months, and casualties by about a quarter.

Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council
from curriculum.demo.schools import school_counts
from curriculum.experiments import assign_stratified

__all__ = ["FILES", "TRIAL_COLUMNS", "PANEL_COLUMNS", "MONTHS", "ROLLOUT_MONTHS", "AREA_NAMES", "ISO_CODES",
           "generate", "area_count"]

FILES: tuple[str, ...] = ("trial_outcomes.csv", "area_panel.csv")
TRIAL_COLUMNS: tuple[str, ...] = (
    "Class ID", "School Code", "Stratum", "Year Group", "Arm", "Closure Operated",
    "Baseline Walk Cycle Scoot %", "Pupils Surveyed", "Walk Cycle Scoot %", "Attendance %",
    "Late Marks per 100 Sessions", "Wellbeing Score", "Active 60 Minutes %",
)
PANEL_COLUMNS: tuple[str, ...] = ("Area Code", "Area Name", "Month", "20mph Area", "20mph From",
                                  "Mean Speed (mph)", "Casualties")

MONTHS = pd.period_range("2021-04", "2023-08", freq="M")
ROLLOUT_MONTHS: tuple[str, ...] = ("2022-06", "2022-07", "2022-09")
YEAR_GROUPS: tuple[str, ...] = ("Reception", "Year 1", "Year 2", "Year 3", "Year 4", "Year 5", "Year 6")
ARMS: tuple[str, str] = ("Control", "School Street")

# ISO 3166-2:GB codes of the councils, used in area codes.
ISO_CODES: dict[str, str] = {
    "Blaenau Gwent": "BGW", "Bridgend": "BGE", "Caerphilly": "CAY", "Cardiff": "CRF", "Merthyr Tydfil": "MTY",
    "Monmouthshire": "MON", "Newport": "NWP", "Rhondda Cynon Taf": "RCT", "Torfaen": "TOF",
    "Vale of Glamorgan": "VGL",
}

# Communities with traffic counters, per council.
AREA_NAMES: dict[str, tuple[str, ...]] = {
    "Blaenau Gwent": ("Ebbw Vale", "Tredegar", "Abertillery", "Brynmawr", "Blaina", "Nantyglo", "Cwm",
                      "Llanhilleth", "Beaufort", "Rassau", "Six Bells", "Cwmtillery"),
    "Bridgend": ("Bridgend", "Maesteg", "Porthcawl", "Pencoed", "Brackla", "Coity", "Pyle", "Kenfig Hill",
                 "Cefn Cribwr", "Tondu", "Ogmore Vale", "Nantymoel", "Pontycymer", "Laleston"),
    "Caerphilly": ("Caerphilly", "Blackwood", "Ystrad Mynach", "Risca", "Bargoed", "Newbridge", "Rhymney",
                   "Oakdale", "Crumlin", "Abercarn", "Machen", "Bedwas", "Llanbradach", "Senghenydd", "Nelson",
                   "Hengoed"),
    "Cardiff": ("Adamsdown", "Butetown", "Caerau", "Canton", "Cathays", "Creigiau", "Cyncoed", "Ely", "Fairwater",
                "Gabalfa", "Grangetown", "Heath", "Lisvane", "Llandaff", "Llandaff North", "Llanishen",
                "Llanrumney", "Pentwyn", "Pentyrch", "Penylan", "Plasnewydd", "Pontprennau", "Radyr", "Rhiwbina",
                "Riverside", "Rumney", "Splott", "Trowbridge", "Whitchurch", "Tongwynlais"),
    "Merthyr Tydfil": ("Dowlais", "Pant", "Penydarren", "Gurnos", "Twynyrodyn", "Troedyrhiw", "Aberfan",
                       "Treharris", "Trelewis", "Bedlinog", "Cyfarthfa", "Merthyr Vale"),
    "Monmouthshire": ("Abergavenny", "Monmouth", "Chepstow", "Caldicot", "Usk", "Raglan", "Magor", "Undy",
                      "Rogiet", "Portskewett", "Llanfoist", "Gilwern"),
    "Newport": ("Caerleon", "Bassaleg", "Rogerstone", "Malpas", "Bettws", "Maindee", "Pillgwenlly", "Alway",
                "Ringland", "Lliswerry", "St Julians", "Gaer", "Marshfield", "Langstone", "Stow Hill"),
    "Rhondda Cynon Taf": ("Pontypridd", "Aberdare", "Tonypandy", "Porth", "Llantrisant", "Treorchy", "Tonyrefail",
                          "Mountain Ash", "Ferndale", "Tylorstown", "Cilfynydd", "Church Village", "Llanharan",
                          "Talbot Green", "Beddau", "Pontyclun", "Treherbert", "Ystrad", "Abercynon", "Hirwaun",
                          "Ynysybwl", "Penrhiwceiber"),
    "Torfaen": ("Pontypool", "Cwmbran", "Blaenavon", "Griffithstown", "Sebastopol", "New Inn", "Abersychan",
                "Trevethin", "Croesyceiliog", "Llantarnam", "Pontnewydd", "Fairwater"),
    "Vale of Glamorgan": ("Barry", "Penarth", "Llantwit Major", "Cowbridge", "Dinas Powys", "Rhoose", "Sully",
                          "St Athan", "Wenvoe", "St Brides Major", "Llandough", "Peterston-super-Ely"),
}

# Per council: (mean, sd) of primary schools' FSM percentage, and the council's lift on the
# log-odds of active travel (as in the schools generator); rural share lowers speeds' spread.
_PROFILES: dict[str, tuple[float, float, float]] = {
    "Blaenau Gwent": (27.0, 7.0, -0.15), "Bridgend": (21.0, 7.0, 0.0), "Caerphilly": (24.0, 7.0, -0.05),
    "Cardiff": (22.0, 11.0, 0.15), "Merthyr Tydfil": (28.0, 7.0, -0.10), "Monmouthshire": (11.0, 5.0, -0.20),
    "Newport": (24.0, 9.0, 0.05), "Rhondda Cynon Taf": (25.0, 8.0, -0.05), "Torfaen": (22.0, 7.0, 0.0),
    "Vale of Glamorgan": (15.0, 7.0, 0.0),
}

_EFFECT_LOGIT = 0.23      # about +5.5 points where the closure operated
_DRIFT_LOGIT = -0.09      # about -2 points across the region between surveys
_RESIDENTS_PER_AREA = 12_000
_SPEED_EFFECT = (-1.5, -2.6, -3.0)  # mph in the roll-out month, the next, and from then on
_CASUALTY_EFFECT = 0.75   # casualties multiplied by this after the roll-out


def _check(council, scale) -> None:
    if not isinstance(council, Council) or council.name not in _PROFILES:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")


def area_count(council: Council, scale: float = 1.0) -> int:
    """Return how many monitored areas the council's panel holds.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils; its Census 2021 population sets the number.
    scale : float, default 1.0
        Volume multiplier (positive).

    Returns
    -------
    int
        One area per 12,000 residents, at least ten (times ``scale``).

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not positive.
    """
    _check(council, scale)
    return max(round(10 * float(scale)), round(council.population_2021 * float(scale) / _RESIDENTS_PER_AREA), 4)


def _percent(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    return np.round(100.0 * successes / trials, 1)


def _trial(council: Council, rng: np.random.Generator, scale: float) -> pd.DataFrame:
    fsm_mean, fsm_sd, lift = _PROFILES[council.name]
    n = max(4, school_counts(council, scale)[0])
    width = max(3, len(str(n)))
    codes = [f"S{k:0{width}d}" for k in range(1, n + 1)]
    fsm = np.clip(rng.normal(fsm_mean, fsm_sd, n), 4.0, 48.0)
    band = pd.cut(pd.Series(fsm).rank(pct=True, method="first"), [0, 1 / 3, 2 / 3, 1],
                  labels=["lower FSM", "middle FSM", "higher FSM"]).astype(str).to_numpy()
    schools = pd.DataFrame({"stratum": band}, index=codes)
    arm = assign_stratified(schools, "stratum", arms=ARMS, seed=int(rng.integers(2**31))).to_numpy()
    treated = arm == ARMS[1]
    school_effect = rng.normal(0.0, 0.45, n)
    # About one School Street school in ten could not run its closure, more often where few walked.
    fails = rng.random(n) < 1.0 / (1.0 + np.exp(2.4 + 2.5 * school_effect))
    operated = treated & ~fails
    withdrew = rng.random(n) < np.where(treated, 0.02, 0.05)
    attendance_school = rng.normal(0.0, 1.0, n)
    late_school = rng.normal(0.0, 0.3, n)
    wellbeing_school = rng.normal(0.0, 0.25, n)
    active60_school = rng.normal(0.0, 5.0, n)

    k = len(YEAR_GROUPS)
    s = np.repeat(np.arange(n), k)
    year = np.tile(np.arange(k), n)
    rows = n * k
    class_effect = rng.normal(0.0, 0.25, rows)
    base_logit = (0.2 + lift + 0.02 * (fsm[s] - 20.0) + 0.04 * (year - 3) + school_effect[s] + class_effect)
    base_n = rng.integers(18, 31, rows)
    base_share = _percent(rng.binomial(base_n, 1.0 / (1.0 + np.exp(-base_logit))), base_n)
    follow_logit = (base_logit - class_effect + 0.6 * class_effect + rng.normal(0.0, 0.15, rows)
                    + _DRIFT_LOGIT + _EFFECT_LOGIT * operated[s])
    follow_n = rng.integers(17, 31, rows)
    follow_share = _percent(rng.binomial(follow_n, 1.0 / (1.0 + np.exp(-follow_logit))), follow_n)
    attendance = np.clip(94.5 - 0.08 * (fsm[s] - 20.0) + attendance_school[s] + rng.normal(0.0, 0.7, rows), 80.0, 99.5)
    late = np.exp(np.log(2.5) + 0.02 * (fsm[s] - 20.0) + late_school[s] + rng.normal(0.0, 0.25, rows))
    wellbeing = np.clip(7.4 - 0.01 * (fsm[s] - 20.0) + wellbeing_school[s] + rng.normal(0.0, 0.35, rows), 0.0, 10.0)
    active60 = np.clip(48.0 + active60_school[s] + rng.normal(0.0, 6.0, rows), 5.0, 95.0)
    missing = withdrew[s] | (rng.random(rows) < 0.05)

    def blank(values: np.ndarray, digits: int) -> list[str]:
        return ["" if gone else f"{v:.{digits}f}" for v, gone in zip(values, missing)]

    labels = np.array(["R", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6"])
    school_code = np.array(codes)[s]
    return pd.DataFrame({
        "Class ID": [f"{c}-{y}" for c, y in zip(school_code, labels[year])],
        "School Code": school_code,
        "Stratum": band[s],
        "Year Group": np.array(YEAR_GROUPS)[year],
        "Arm": arm[s],
        "Closure Operated": np.where(operated[s], "Yes", "No"),
        "Baseline Walk Cycle Scoot %": [f"{v:.1f}" for v in base_share],
        "Pupils Surveyed": ["" if gone else str(v) for v, gone in zip(follow_n, missing)],
        "Walk Cycle Scoot %": blank(follow_share, 1),
        "Attendance %": blank(attendance, 1),
        "Late Marks per 100 Sessions": blank(late, 1),
        "Wellbeing Score": blank(wellbeing, 2),
        "Active 60 Minutes %": blank(active60, 1),
    })[list(TRIAL_COLUMNS)]


def _panel(council: Council, rng: np.random.Generator, scale: float) -> pd.DataFrame:
    n = area_count(council, scale)
    names = AREA_NAMES[council.name]
    area_names = [names[i % len(names)] + ("" if i < len(names) else f" {i // len(names) + 1}") for i in range(n)]
    width = max(2, len(str(n)))
    area_codes = [f"{ISO_CODES[council.name]}-{i + 1:0{width}d}" for i in range(n)]
    level = rng.normal(27.5, 2.2, n)  # mean speed on 30 mph roads before the change
    casualty_rate = rng.gamma(4.0, 0.09, n) * np.exp(0.08 * (level - 27.5))
    # The pilot areas were chosen where speeds were high (selection on level, not on trend).
    score = level + rng.normal(0.0, 1.2, n)
    n_treated = max(2, round(0.3 * n))
    treated = np.zeros(n, dtype=bool)
    treated[np.argsort(-score)[:n_treated]] = True
    rollout = pd.Period(ROLLOUT_MONTHS[int(rng.integers(len(ROLLOUT_MONTHS)))], freq="M")
    t = len(MONTHS)
    since = np.array([(m - rollout).n for m in MONTHS])
    season = 0.5 * np.cos(2 * np.pi * (MONTHS.month.to_numpy() - 7) / 12)  # faster in summer
    common = 0.04 * np.arange(t) + season + rng.normal(0.0, 0.3, t)  # speeds creeping back up after 2020-21
    effect = np.select([since < 0, since == 0, since == 1], [0.0, _SPEED_EFFECT[0], _SPEED_EFFECT[1]], _SPEED_EFFECT[2])
    a = np.repeat(np.arange(n), t)
    m = np.tile(np.arange(t), n)
    speed = level[a] + common[m] + effect[m] * treated[a] + rng.normal(0.0, 0.6, n * t)
    winter = 1.0 + 0.15 * np.cos(2 * np.pi * (MONTHS.month.to_numpy() - 1) / 12)
    mu = casualty_rate[a] * winter[m] * np.where(treated[a] & (since[m] >= 0), _CASUALTY_EFFECT, 1.0)
    casualties = rng.poisson(mu)
    return pd.DataFrame({
        "Area Code": np.array(area_codes)[a],
        "Area Name": np.array(area_names)[a],
        "Month": [str(MONTHS[i]) for i in m],
        "20mph Area": np.where(treated[a], "Yes", "No"),
        "20mph From": np.where(treated[a], str(rollout), ""),
        "Mean Speed (mph)": [f"{v:.1f}" for v in speed],
        "Casualties": casualties,
    })[list(PANEL_COLUMNS)]


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's demo trial outcomes and area panel.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same files.
    scale : float, default 1.0
        Volume multiplier: the number of schools (one per 3,300 residents) and of areas.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"trial_outcomes.csv": ..., "area_panel.csv": ...}`` with the columns of
        :data:`TRIAL_COLUMNS` and :data:`PANEL_COLUMNS`; blank cells are missing values.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not positive.
    """
    _check(council, scale)
    return {"trial_outcomes.csv": _trial(council, rng, scale), "area_panel.csv": _panel(council, rng, scale)}
