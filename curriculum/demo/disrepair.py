"""Demo housing disrepair complaints: a council's case register over two years.

A council's private-sector housing team (and, where the council still owns homes, its
landlord service) logs every complaint of disrepair: damp and mould, excess cold, unsafe
wiring, pests, structural faults. An officer visits, assesses the home under the Housing
Health and Safety Rating System (HHSRS, Housing Act 2004) and closes the case with its
outcome: a **Category 1 hazard** (the council has a duty to act), a Category 2 hazard (a
power to act) or no hazard. This generator writes one council's case-management export,
``disrepair_cases.csv``, for complaints received from 1 April 2023 to 31 March 2025, as it
stood on 31 March 2025: one row per case with its reference, date received, ward, LSOA,
tenure, property age band, hazard type, three household flags (a child under 5, someone
aged 75 or over, someone with a health condition such as asthma or COPD), the number of
occupants and, for closed cases only, the HHSRS outcome and the date closed.

Like many case-management systems, the export uses short codes (``PR`` for private
rented, ``DM`` for damp and mould, ``C1`` for a Category 1 hazard); the demo folder's
``mapping.yaml`` recodes them to words.

The structure the Data Lab's *Prioritising work for impact* module must find:

- about three (2.8) complaints a year per 1,000 residents, more in deprived areas, with damp
  and mould and excess cold peaking in winter;
- Category 1 hazards are predictable from what the register holds when a case arrives:
  they are commonest in damp and mould and excess-cold cases, in pre-1919 homes and in
  private rented homes, and much commoner when the hazard meets the group most vulnerable
  to it (damp and mould with a child under 5 or someone with a health condition; excess
  cold or falls with someone aged 75 or over), as HHSRS scoring implies;
- cases were handled roughly first come, first served by a team that kept up in 2023-24
  and fell behind in 2024-25, so an open backlog of recent cases remains, with a tail of
  old cases stuck on no access or a landlord's appeal;
- a few household flags are blank (not recorded) and a few cases have no LSOA.

Small areas come from the same Wales-wide draw as the WIMD table
(:func:`curriculum.demo.wimd.wales_table`), so every LSOA code is one of the council's.
Only Cardiff, Caerphilly and the Vale of Glamorgan still own council homes, so only their
registers hold council tenants. Nothing happens on import.
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd

from curriculum.councils import Council
from curriculum.demo.wimd import lsoa_count, wales_table

__all__ = ["FILES", "COLUMNS", "PERIOD_START", "SNAPSHOT", "RATE_PER_1000", "HAZARDS", "TENURES", "OUTCOMES",
           "generate", "generate_with_truth"]

FILES: tuple[str, ...] = ("disrepair_cases.csv",)
COLUMNS: tuple[str, ...] = ("Case Ref", "Date Received", "Ward", "LSOA Code", "Tenure", "Property Age", "Hazard Type",
                            "Child Under 5", "Occupant 75+", "Health Condition", "Occupants", "HHSRS Outcome",
                            "Date Closed")
PERIOD_START = pd.Timestamp("2023-04-01")
SNAPSHOT = pd.Timestamp("2025-03-31")  # the day the register was exported
RATE_PER_1000 = 2.8  # complaints a year per 1,000 residents in an area of average deprivation

#: Hazard codes, their names (as the mapping recodes them) and their share of complaints.
HAZARDS: dict[str, tuple[str, float]] = {
    "DM": ("Damp and mould", 0.34), "EC": ("Excess cold", 0.12), "EL": ("Electrical hazards", 0.08),
    "FI": ("Fire", 0.05), "PH": ("Pests and hygiene", 0.10), "SC": ("Structural collapse", 0.07),
    "FA": ("Falls", 0.09), "OT": ("Other disrepair", 0.15),
}
TENURES: dict[str, str] = {"PR": "Private rented", "HA": "Housing association", "LA": "Council", "OO": "Owner occupied"}
OUTCOMES: dict[str, str] = {"C1": "Category 1 hazard", "C2": "Category 2 hazard", "NH": "No hazard"}
_AGES = ("Pre-1919", "1919-44", "1945-64", "1965-80", "1981-2000", "2001+")
_STOCK_HOLDING = {"Cardiff", "Caerphilly", "Vale of Glamorgan"}  # councils that still own homes

# Share of complaints by tenure (PR, HA, LA, OO) and by property age band, per kind of place.
_TENURE_P = {"stock": (0.58, 0.16, 0.18, 0.08), "transfer": (0.66, 0.25, 0.0, 0.09)}
_AGE_P = {
    "valleys": (0.48, 0.16, 0.14, 0.10, 0.08, 0.04),
    "city": (0.33, 0.17, 0.17, 0.14, 0.11, 0.08),
    "towns": (0.28, 0.15, 0.19, 0.16, 0.13, 0.09),
}
_PLACE = {"Blaenau Gwent": "valleys", "Merthyr Tydfil": "valleys", "Rhondda Cynon Taf": "valleys",
          "Caerphilly": "valleys", "Torfaen": "valleys", "Cardiff": "city", "Newport": "city",
          "Bridgend": "towns", "Vale of Glamorgan": "towns", "Monmouthshire": "towns"}

# Log-odds of a Category 1 hazard: by hazard, property age and tenure, plus the hazard meeting
# its most vulnerable group (HHSRS: damp and mould for young children, excess cold and falls for
# older people), plus area deprivation.
_BASE = -2.0
_HAZARD_LOGIT = {"DM": 0.3, "EC": 0.0, "EL": -0.4, "FI": -0.6, "PH": -1.4, "SC": -0.7, "FA": -1.0, "OT": -2.6}
_AGE_LOGIT = (0.9, 0.55, 0.2, 0.0, -0.5, -1.2)
_TENURE_LOGIT = {"PR": 0.45, "HA": -0.5, "LA": -0.3, "OO": 0.0}
_DEPRIVATION = 0.25      # log-odds per unit of latent deprivation
_AREA_RATE = 0.40        # log complaint rate per unit of latent deprivation
_BLANK = 0.04            # share of each household flag left blank
_NO_LSOA = 0.02          # share of cases whose address did not match an LSOA
_STUCK = 0.05            # share of cases held up (no access, landlord's appeal)
_KEEP_UP = (1.00, 0.86)  # the team's capacity as a share of arrivals in 2023-24 and 2024-25

_BANK_HOLIDAYS = pd.to_datetime([
    "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26",
    "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26",
    "2025-01-01"])


def _days() -> pd.DatetimeIndex:
    return pd.date_range(PERIOD_START, SNAPSHOT, freq="D")


def _day_weights(days: pd.DatetimeIndex, seasonal: bool) -> np.ndarray:
    weekday = np.where(days.dayofweek < 5, 1.0, 0.12)  # online forms still arrive at weekends
    holiday = np.where(days.isin(_BANK_HOLIDAYS), 0.15, 1.0)
    amplitude = 0.45 if seasonal else 0.08  # damp, mould and cold peak in January
    season = 1.0 + amplitude * np.cos(2 * np.pi * (days - pd.Timestamp("2024-01-15")).days.to_numpy() / 365.25)
    weights = weekday * holiday * season
    return weights / weights.sum()


def _choice(rng: np.random.Generator, options, p, size: int) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p / p.sum())]


def _flag(values: np.ndarray, blank: np.ndarray) -> np.ndarray:
    out = np.where(values, "Y", "N").astype(object)
    out[blank] = ""
    return out


def _process(received: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Inspection day (days since PERIOD_START) of each case under the team's weekly capacity.

    Weeks are seven-day blocks from PERIOD_START; a case received before a week starts can be
    visited that week. The team visits roughly in the order received (a few days' jitter) and
    as many cases a week as its capacity allows; cases left over are never visited.
    """
    n = len(received)
    key = received + rng.exponential(8.0, n)  # roughly first come, first served
    order = np.argsort(received, kind="stable")
    inspected = np.full(n, np.inf)
    per_week = n / (len(_days()) / 7)
    heap: list[tuple[float, int]] = []
    pointer, done = 0, 0.0
    for w in range(1, len(_days()) // 7 + 1):
        start = 7 * w
        while pointer < n and received[order[pointer]] < start:
            i = order[pointer]
            heapq.heappush(heap, (key[i], i))
            pointer += 1
        before = done
        done += per_week * (_KEEP_UP[0] if start < 365 else _KEEP_UP[1])
        for _ in range(int(done) - int(before)):
            if not heap:
                break
            _, i = heapq.heappop(heap)
            inspected[i] = start + rng.integers(0, 5)
    return inspected


def generate_with_truth(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's disrepair register with the hidden truth of open cases.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same file.
    scale : float, default 1.0
        Volume multiplier: the cases grow with it; the LSOAs and the two years do not.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"disrepair_cases.csv": frame}`` with the columns of :data:`COLUMNS` plus
        ``_outcome`` (the HHSRS outcome code every case has or would have, ``C1``,
        ``C2`` or ``NH``) and ``_p_cat1`` (the true chance of a Category 1 hazard).

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    """
    lsoa_count(council, scale)  # checks council and scale
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    wales = wales_table(scale)
    areas = wales[wales["council"] == council.name].reset_index(drop=True)
    centre = wales["z"].mean()
    weight = np.exp(_AREA_RATE * (areas["z"].to_numpy() - centre))
    years = len(_days()) / 365.25
    expected = (areas["population"].to_numpy() * RATE_PER_1000 / 1000.0 * years * float(scale)
                * weight / np.average(weight, weights=areas["population"].to_numpy()))  # the areas are fixed; cases scale
    counts = rng.poisson(expected)
    where = np.repeat(np.arange(len(areas)), counts)
    n = len(where)
    where = where[rng.permutation(n)]

    hazard = _choice(rng, list(HAZARDS), [p for _, p in HAZARDS.values()], n)
    days = _days()
    seasonal = np.isin(hazard, ["DM", "EC"])
    received = np.empty(n, dtype=int)
    for flag in (True, False):
        rows = np.flatnonzero(seasonal == flag)
        received[rows] = rng.choice(len(days), size=len(rows), p=_day_weights(days, flag))

    tenure = _choice(rng, list(TENURES), _TENURE_P["stock" if council.name in _STOCK_HOLDING else "transfer"], n)
    age_band = rng.choice(len(_AGES), size=n, p=np.asarray(_AGE_P[_PLACE[council.name]]))
    older_p = np.select([tenure == "OO", tenure == "LA", tenure == "HA"], [0.30, 0.18, 0.15], 0.06)
    child_p = np.select([tenure == "OO", tenure == "LA"], [0.10, 0.22], 0.25)
    over_75 = rng.random(n) < older_p
    child = (rng.random(n) < child_p) & ~(over_75 & (rng.random(n) < 0.9))
    health = rng.random(n) < np.where(over_75, 0.42, 0.24)
    occupants = np.where(child, 2 + rng.poisson(1.4, n), np.where(over_75, 1 + (rng.random(n) < 0.45), 1 + rng.poisson(1.0, n)))

    z = areas["z"].to_numpy()[where]
    logit = (_BASE + np.array([_HAZARD_LOGIT[h] for h in hazard]) + np.asarray(_AGE_LOGIT)[age_band]
             + np.array([_TENURE_LOGIT[t] for t in tenure]) + _DEPRIVATION * (z - centre)
             + (hazard == "DM") * (1.3 * child + 0.9 * health)
             + (hazard == "EC") * (1.5 * over_75 + 0.5 * health)
             + (hazard == "FA") * 1.3 * over_75
             + (hazard == "PH") * 0.6 * child
             + rng.normal(0.0, 0.25, n))
    p_cat1 = 1.0 / (1.0 + np.exp(-logit))
    cat1 = rng.random(n) < p_cat1
    cat2 = ~cat1 & (rng.random(n) < 0.55)
    outcome = np.where(cat1, "C1", np.where(cat2, "C2", "NH")).astype(object)

    inspected = _process(received.astype(float), rng)
    closed = inspected + rng.integers(2, 28, n)
    stuck = rng.random(n) < _STUCK
    closed[stuck] += rng.integers(40, 420, int(stuck.sum()))
    open_case = ~(closed <= len(days) - 1)

    order = np.lexsort((rng.random(n), received))
    frame = pd.DataFrame({
        "Date Received": days[received].strftime("%d/%m/%y"),
        "Ward": areas["ward"].to_numpy()[where],
        "LSOA Code": np.where(rng.random(n) < _NO_LSOA, "", areas["lsoa_code"].to_numpy()[where]),
        "Tenure": tenure,
        "Property Age": np.asarray(_AGES, dtype=object)[age_band],
        "Hazard Type": hazard,
        "Child Under 5": _flag(child, rng.random(n) < _BLANK),
        "Occupant 75+": _flag(over_75, rng.random(n) < _BLANK),
        "Health Condition": _flag(health, rng.random(n) < _BLANK),
        "Occupants": occupants,
        "HHSRS Outcome": np.where(open_case, "", outcome),
        "Date Closed": np.where(open_case, "", days[np.minimum(closed, len(days) - 1).astype(int)].strftime("%d/%m/%y")),
        "_outcome": outcome,
        "_p_cat1": p_cat1.round(4),
    }).iloc[order].reset_index(drop=True)
    frame.insert(0, "Case Ref", [f"HS{k:05d}" for k in range(1, n + 1)])
    return {"disrepair_cases.csv": frame}


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's housing disrepair case register, 1 April 2023 to 31 March 2025.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same file.
    scale : float, default 1.0
        Volume multiplier: the cases grow with it; the LSOAs and the two years do not.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"disrepair_cases.csv": frame}`` with the columns of :data:`COLUMNS`, one row
        per case in the order received; dates are written dd/mm/yy, open cases have a
        blank outcome and date closed.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    """
    frames = generate_with_truth(council, rng, scale)
    return {name: frame[list(COLUMNS)] for name, frame in frames.items()}
