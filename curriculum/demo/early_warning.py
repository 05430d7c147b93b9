"""Demo data for "Early warning, and its limits": new social tenancies and whether they failed.

Each council's housing solutions service, its tenancy sustainment team (funded by the
Housing Support Grant) and the social landlords of its common housing register share a
record of every new general-needs tenancy (since December 2022, an *occupation contract*
under the Renting Homes (Wales) Act 2016) so that an early-warning flag can send a
tenancy support officer to the households most likely to lose their home. This generator
writes, for one council, ``new_tenancies.csv``: one row per tenancy let in 2022-23 or
2023-24, with what was known 13 weeks after the start (rent arrears in weeks of rent,
home visits and calls missed, Universal Credit, whether the household came through the
homelessness route) and whether the tenancy **failed within 12 months** (ended by
eviction, abandonment or a notice given while in arrears).

The structure the module must find:

- a latent "struggling" score drives arrears, missed visits and failure, so a logistic
  regression on the four recorded features ranks tenancies usefully (area under the ROC
  curve about 0.75) but far from perfectly: about one tenancy in eight fails;
- **drift between the years**: in 2023-24 social rents rose by up to 6.5% (the Welsh
  Government's rent settlement) in a cost-of-living crisis, so arrears at week 13 are
  about a week higher for everyone without a matching rise in failure, and more
  households claim Universal Credit (managed migration); a flag trained on 2022-23 flags
  more tenancies in 2023-24 and over-predicts their risk;
- **one area where the flag works worse**: in one housing area per council (the second
  in :data:`AREAS`) the patch officer's post was vacant for much of both years, so only
  about one missed visit in five was recorded, and a block of hard-to-let flats there
  sees tenancies abandoned without arrears; the flag misses more of that area's failures
  (lower recall) and under-predicts its risk;
- **a group with more false alarms**: lead contract-holders aged 16-24 who claim Universal
  Credit carry arrears from the five-week wait for a first payment, most of which clear,
  so the flag's false positive rate is about twice as high for them.

The number of tenancies is proportional to the council's population (about 3.3 new
general-needs lets a year per 1,000 residents) and to ``scale``; the years and areas
stay fixed. Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council

__all__ = ["FILES", "COLUMNS", "PERIODS", "AREAS", "AGE_BANDS", "LETS_PER_1000", "generate"]

FILES: tuple[str, ...] = ("new_tenancies.csv",)
COLUMNS: tuple[str, ...] = ("Tenancy Ref", "Year Let", "Housing Area", "Age Band", "Previously Homeless",
                            "Universal Credit", "Arrears Weeks (wk13)", "Missed Visits (wk13)", "Failed Within 12 Months")
PERIODS: tuple[str, ...] = ("2022-23", "2023-24")
LETS_PER_1000 = 3.3  # new general-needs lets a year per 1,000 residents
AGE_BANDS: tuple[str, ...] = ("16-24", "25-34", "35-49", "50+")
_AGE_P = (0.24, 0.30, 0.26, 0.20)

# Housing areas (patches) of each council with their share of lets; the second is the area
# where the flag works worse (missed visits rarely recorded, abandonment without arrears).
AREAS: dict[str, tuple[tuple[str, float], ...]] = {
    "Blaenau Gwent": (("Ebbw Vale", 0.28), ("Tredegar", 0.22), ("Abertillery", 0.22), ("Brynmawr and Nantyglo", 0.14),
                      ("Blaina and Llanhilleth", 0.14)),
    "Bridgend": (("Bridgend Town", 0.30), ("Ogmore and Garw Valleys", 0.20), ("Maesteg and Llynfi", 0.20),
                 ("Porthcawl and Pyle", 0.16), ("Pencoed", 0.14)),
    "Caerphilly": (("Caerphilly Basin", 0.26), ("Upper Rhymney Valley", 0.20), ("Blackwood", 0.20),
                   ("Risca and Islwyn", 0.18), ("Bargoed", 0.16)),
    "Cardiff": (("Ely and Caerau", 0.22), ("Butetown and Grangetown", 0.20), ("Llanrumney and St Mellons", 0.22),
                ("Splott and Tremorfa", 0.20), ("North Cardiff", 0.16)),
    "Merthyr Tydfil": (("Town and Twynyrodyn", 0.24), ("Gurnos and Galon Uchaf", 0.24), ("Dowlais and Pant", 0.20),
                       ("Merthyr Vale and Aberfan", 0.16), ("Treharris and Trelewis", 0.16)),
    "Monmouthshire": (("Abergavenny", 0.26), ("Caldicot and Severnside", 0.22), ("Chepstow", 0.20),
                      ("Monmouth", 0.18), ("Usk and Raglan", 0.14)),
    "Newport": (("Pillgwenlly and Docks", 0.22), ("Ringland and Alway", 0.22), ("Bettws and Malpas", 0.20),
                ("Duffryn and Gaer", 0.18), ("Liswerry and Somerton", 0.18)),
    "Rhondda Cynon Taf": (("Pontypridd", 0.22), ("Rhondda Fach", 0.20), ("Rhondda Fawr", 0.20),
                          ("Cynon Valley", 0.22), ("Taf Ely", 0.16)),
    "Torfaen": (("Cwmbran South", 0.24), ("Trevethin and Penygarn", 0.20), ("Cwmbran North", 0.22),
                ("Pontypool", 0.20), ("Blaenavon", 0.14)),
    "Vale of Glamorgan": (("Gibbonsdown and Court", 0.24), ("Castleland and Barry Island", 0.22), ("Penarth", 0.20),
                          ("Llantwit Major", 0.16), ("Rural Vale", 0.18)),
}

# Per year: (arrears drift in weeks, change in the log-odds of failure, share claiming Universal Credit).
_YEAR = {"2022-23": (0.0, 0.0, 0.55), "2023-24": (1.0, 0.12, 0.63)}
_INTERCEPT = -3.45     # log-odds of failure of an average tenancy
_STRUGGLE = 1.60       # log-odds per standard deviation of the latent score
_PREVIOUSLY = 0.35     # extra log-odds after homelessness, beyond the latent score
_HARD_RECORDED = 0.15  # share of missed visits recorded in the hard area
_HARD_ABANDON = 0.12   # chance that a tenancy in the hard area is abandoned without warning signs


def _check(council: Council, rng, scale) -> float:
    if not isinstance(council, Council) or council.name not in AREAS:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0 \
            or not np.isfinite(scale):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return float(scale)


def _yes_no(flags: np.ndarray) -> np.ndarray:
    return np.where(flags, "Y", "N")


def _one_year(council: Council, rng: np.random.Generator, scale: float, year: str, index: int) -> pd.DataFrame:
    drift, shift, uc_share = _YEAR[year]
    n = max(1, round(council.population_2021 * scale * LETS_PER_1000 / 1000 * (1 + 0.04 * index)))
    names = [a for a, _ in AREAS[council.name]]
    weights = np.array([w for _, w in AREAS[council.name]])
    area = rng.choice(len(names), size=n, p=weights / weights.sum())
    hard = area == 1
    age = rng.choice(len(AGE_BANDS), size=n, p=_AGE_P)
    young = age == 0
    previously = rng.random(n) < 0.22 + 0.10 * young
    universal_credit = rng.random(n) < uc_share + 0.15 * young
    struggle = rng.normal(0.0, 1.0, n) + 0.45 * previously + 0.25 * young + 0.15 * universal_credit
    wait = np.where(young & universal_credit, rng.gamma(2.0, 0.9, n), 0.0)  # the five-week wait, mostly cleared later
    arrears = 0.6 + 1.5 * struggle + rng.normal(0.0, 1.1, n) + drift + wait
    arrears = np.where(arrears < 0.3, 0.0, np.round(arrears, 1)).clip(0, 26)
    missed = rng.poisson(np.exp(-0.4 + 0.65 * struggle))
    missed = np.where(hard, rng.binomial(missed, _HARD_RECORDED), missed)
    log_odds = _INTERCEPT + _STRUGGLE * struggle + _PREVIOUSLY * previously + shift
    failed = (rng.random(n) < 1.0 / (1.0 + np.exp(-log_odds))) | (hard & (rng.random(n) < _HARD_ABANDON))
    width = max(4, len(str(n)))
    return pd.DataFrame({
        "Tenancy Ref": [f"T{year[2:4]}-{k:0{width}d}" for k in range(1, n + 1)],
        "Year Let": year,
        "Housing Area": np.asarray(names, dtype=object)[area],
        "Age Band": np.asarray(AGE_BANDS, dtype=object)[age],
        "Previously Homeless": _yes_no(previously),
        "Universal Credit": _yes_no(universal_credit),
        "Arrears Weeks (wk13)": arrears,
        "Missed Visits (wk13)": missed,
        "Failed Within 12 Months": _yes_no(failed),
    })


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's new tenancies of 2022-23 and 2023-24 and their outcomes.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils; its Census 2021 population sets the number of lets.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same file.
    scale : float, default 1.0
        Volume multiplier for the number of tenancies (the years and areas stay fixed).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"new_tenancies.csv": frame}`` with the columns of :data:`COLUMNS`, one row per
        tenancy, 2022-23 first, in the order of the tenancy references.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    """
    scale = _check(council, rng, scale)
    frames = [_one_year(council, rng, scale, year, i) for i, year in enumerate(PERIODS)]
    return {FILES[0]: pd.concat(frames, ignore_index=True)[list(COLUMNS)]}
