"""Demo data for "Finding the needle in a haystack": EPC certificates and dwelling fires.

For each council the generator writes two files:

- ``certificates.csv``: a **sample** of the domestic Energy Performance Certificate
  register (Energy Performance of Buildings Data, England and Wales) in the register's
  own column names (``LMK_KEY``, ``ADDRESS1``, ``POSTCODE``, ``UPRN``,
  ``CURRENT_ENERGY_RATING``, ``POTENTIAL_ENERGY_RATING``, ``PROPERTY_TYPE``,
  ``BUILT_FORM``, ``CONSTRUCTION_AGE_BAND``, ``MAINS_GAS_FLAG``, ``TOTAL_FLOOR_AREA``,
  ``MAIN_FUEL``, ``TENURE``, ``LODGEMENT_DATETIME``, ``LOCAL_AUTHORITY``): 80 homes plus
  one per 1,000 residents (442 homes in Cardiff, 139 in Merthyr Tydfil), about one in
  four with two or three certificates lodged over the years (at a sale, a new
  letting or after works), the older ones with a worse rating and sometimes another
  tenure. The register's quirks are kept: ``NO DATA!`` and ``INVALID!`` placeholders,
  tenure written ``rental (private)`` before 2017 and ``Rented (private)`` after, some
  blank ``MAINS_GAS_FLAG`` and about 4% of certificates with no UPRN.
- ``dwelling_fires.csv``: dwelling fires attended by South Wales Fire and Rescue Service
  (which covers all ten CCR councils) from April 2019 to March 2025, in the layout of
  London Fire Brigade's published incident records (``IncidentNumber``, ``DateOfCall``,
  ``PropertyCategory``, ``PropertyType``, ``UPRN``, ``Postcode_district``) with two
  fields of the full incident recording system (IRS) record that the open file leaves
  out, ``LSOA_Code`` and ``CauseOfFire``.

The structure planted for the learner to find: the chance that a home has a fire rises
with age (before 1930 most, then 1930-1966), no mains gas, private renting (and less so
social renting), flats and maisonettes, and F or G ratings, plus an interaction (flats
without mains gas: electric heaters) and a little unmeasured household risk, so a
logistic regression on the latest certificate reaches an AUC of about 0.6-0.8 on the
later period. The number of homes with a fire in each period is the sum of the homes'
risks (rounded), so small councils are not unlucky. Fires fall by
about 15% from the first three years to the last three (so a model trained on the first
period slightly over-predicts the second). About one fire in eight happens in a home with
no certificate in the sample and about 8% carry no UPRN, so not every fire links.

Fires are far more common here than in reality (about one home in eight has a fire in
three years, against roughly one in 300 in Wales) so that a small sample holds enough
fires to learn from; precision and Brier scores on real data are much lower, lift is
what carries over. LSOA codes come from the Wales-wide draw of
:func:`curriculum.demo.wimd.wales_table` at scale 1 (the LSOAs stay fixed when the volume
of homes is scaled). Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council
from curriculum.demo._shared import check_scale as _check_scale
from curriculum.demo.wimd import wales_table

__all__ = ["FILES", "CERTIFICATE_COLUMNS", "FIRE_COLUMNS", "HOMES_PER_1000", "AGE_BANDS", "PERIOD_START",
           "PERIOD_SPLIT", "PERIOD_END", "homes_count", "generate"]

FILES: tuple[str, ...] = ("certificates.csv", "dwelling_fires.csv")
CERTIFICATE_COLUMNS: tuple[str, ...] = (
    "LMK_KEY", "ADDRESS1", "POSTCODE", "UPRN", "CURRENT_ENERGY_RATING", "POTENTIAL_ENERGY_RATING", "PROPERTY_TYPE",
    "BUILT_FORM", "CONSTRUCTION_AGE_BAND", "MAINS_GAS_FLAG", "TOTAL_FLOOR_AREA", "MAIN_FUEL", "TENURE",
    "LODGEMENT_DATETIME", "LOCAL_AUTHORITY")
FIRE_COLUMNS: tuple[str, ...] = ("IncidentNumber", "DateOfCall", "PropertyCategory", "PropertyType", "UPRN",
                                 "Postcode_district", "LSOA_Code", "CauseOfFire")
HOMES_PER_1000 = 1.0  # homes in the sample per 1,000 residents (times scale)
_HOMES_FLOOR = 80  # homes every council has on top, so that small councils hold enough fires
PERIOD_START = pd.Timestamp("2019-04-01")
PERIOD_SPLIT = pd.Timestamp("2022-04-01")  # the fires' six financial years fall in two halves here
PERIOD_END = pd.Timestamp("2025-03-31")

AGE_BANDS: tuple[str, ...] = tuple(f"England and Wales: {b}" for b in (
    "before 1900", "1900-1929", "1930-1949", "1950-1966", "1967-1975", "1976-1982", "1983-1990", "1991-1995",
    "1996-2002", "2003-2006", "2007-2011", "2012 onwards"))
# Shares of the bands from 1930 on (the two older bands take the council's "old" share).
_LATER_BANDS = np.array([0.14, 0.18, 0.15, 0.08, 0.09, 0.05, 0.08, 0.07, 0.07, 0.09])
_BAND_START = np.array([1850, 1900, 1930, 1950, 1967, 1976, 1983, 1991, 1996, 2003, 2007, 2012])

# flats: share of flats and maisonettes; private, social: tenure shares; old: share built before 1930;
# off_gas: share of homes without mains gas.
_PROFILES: dict[str, dict[str, float]] = {
    "Blaenau Gwent": dict(flats=0.12, private=0.16, social=0.25, old=0.45, off_gas=0.07),
    "Bridgend": dict(flats=0.14, private=0.15, social=0.15, old=0.30, off_gas=0.08),
    "Caerphilly": dict(flats=0.12, private=0.15, social=0.18, old=0.40, off_gas=0.07),
    "Cardiff": dict(flats=0.35, private=0.28, social=0.16, old=0.30, off_gas=0.07),
    "Merthyr Tydfil": dict(flats=0.12, private=0.17, social=0.22, old=0.45, off_gas=0.06),
    "Monmouthshire": dict(flats=0.12, private=0.13, social=0.14, old=0.25, off_gas=0.25),
    "Newport": dict(flats=0.22, private=0.20, social=0.20, old=0.30, off_gas=0.06),
    "Rhondda Cynon Taf": dict(flats=0.10, private=0.16, social=0.14, old=0.50, off_gas=0.06),
    "Torfaen": dict(flats=0.15, private=0.13, social=0.27, old=0.22, off_gas=0.06),
    "Vale of Glamorgan": dict(flats=0.18, private=0.15, social=0.12, old=0.22, off_gas=0.12),
}
_DISTRICTS = {
    "Blaenau Gwent": ("NP13", "NP22", "NP23"), "Bridgend": ("CF31", "CF32", "CF33", "CF34", "CF35", "CF36"),
    "Caerphilly": ("CF81", "CF82", "CF83", "NP11", "NP12"), "Cardiff": ("CF3", "CF5", "CF10", "CF11", "CF14", "CF23", "CF24"),
    "Merthyr Tydfil": ("CF47", "CF48"), "Monmouthshire": ("NP7", "NP15", "NP16", "NP25", "NP26"),
    "Newport": ("NP10", "NP18", "NP19", "NP20"),
    "Rhondda Cynon Taf": ("CF37", "CF38", "CF39", "CF40", "CF41", "CF42", "CF43", "CF44", "CF45", "CF72"),
    "Torfaen": ("NP4", "NP44"), "Vale of Glamorgan": ("CF61", "CF62", "CF63", "CF64", "CF71"),
}
_STREETS = ("Heol y Nant", "Stryd Fawr", "Ffordd y Capel", "Lôn Isaf", "Heol Las", "Heol yr Eglwys", "Maes y Coed",
            "Clos y Wern", "Heol Tŷ Gwyn", "Pen y Bryn", "Cae Mawr", "Llys Onnen", "High Street", "Railway Terrace",
            "Church Road", "Station Road", "Park Place", "Commercial Street", "Victoria Road", "Alexandra Road",
            "Bute Street", "Clive Street", "Colliery Row", "Mill Lane", "Oakfield Avenue", "Brook Street",
            "Tudor Road", "Windsor Road", "Castle Street", "Queen Street", "Glebe Terrace", "Mount Pleasant")
_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
_BANDS = np.array(list("ABCDEFG"))
_SAP_FLOOR = np.array([92, 81, 69, 55, 39, 21, 1])  # lowest SAP score of each band A-G
_OFF_GAS_FUELS = ("oil (not community)", "electricity (not community)", "LPG (not community)",
                  "house coal (not community)", "wood logs")
_FIRE_CAUSES = ("Cooking - other cooking", "Cooking - chip or fat pan", "Electrical - faulty appliance or lead",
                "Electrical - supply or wiring", "Heating equipment", "Smoking materials", "Candles",
                "Careless handling of fire", "Deliberate", "Other or unknown")
_CAUSE_P = np.array([0.34, 0.08, 0.14, 0.08, 0.07, 0.09, 0.04, 0.05, 0.06, 0.05])

# Log-odds of a fire in three years: the planted risk structure.
_BASE_LOGIT = -4.2
_EFFECTS = dict(before_1930=1.55, y1930_1966=0.65, no_gas=1.45, private=1.95, social=0.90, flat=1.00,
                rating_fg=1.00, rating_e=0.45, flat_no_gas=0.40)
_HOUSEHOLD_SD = 0.20   # unmeasured household risk (who lives there, smoking, alcohol, living alone)
_LATER_SHIFT = -0.18   # fires fall between the two periods (about 15% fewer)
_REPEAT = 0.12         # chance that a home with a fire has another in the same period
_NO_EPC = 0.15         # fires in homes without a certificate in the sample, per fire in a sampled home
_NO_UPRN = 0.08        # fires recorded without a UPRN


def homes_count(council: Council, scale: float = 1.0) -> int:
    """Return how many homes a council's demo sample holds.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils; its Census 2021 population sets the number.
    scale : float, default 1.0
        Volume multiplier (positive).

    Returns
    -------
    int
        About :data:`HOMES_PER_1000` homes per 1,000 residents, times ``scale``.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    """
    if not isinstance(council, Council) or council.name not in _PROFILES:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    return round((_HOMES_FLOOR + council.population_2021 / 1000 * HOMES_PER_1000) * _check_scale(scale))


def _choice(rng: np.random.Generator, options, p, size: int) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p / p.sum())]


def _band(sap: np.ndarray) -> np.ndarray:
    return _BANDS[np.searchsorted(-_SAP_FLOOR, -np.clip(sap, 1, 100), side="left")]


def _homes(council: Council, rng: np.random.Generator, n: int) -> pd.DataFrame:
    """One row per home: its attributes now (as on its latest certificate) and its fire risk."""
    prof = _PROFILES[council.name]
    kind = _choice(rng, ["House", "Flat", "Maisonette", "Bungalow"],
                   [1 - prof["flats"] - 0.07, prof["flats"] * 0.85, prof["flats"] * 0.15, 0.07], n)
    flat = np.isin(kind, ["Flat", "Maisonette"])
    # Age: the council's old share, lower for flats and bungalows.
    old = np.where(flat, prof["old"] * 0.6, np.where(kind == "Bungalow", 0.05, prof["old"]))
    is_old = rng.random(n) < old
    band = np.where(is_old, rng.choice(2, n, p=[0.45, 0.55]), 2 + rng.choice(10, n, p=_LATER_BANDS / _LATER_BANDS.sum()))
    band = np.where((kind == "Bungalow") & (band < 3), 3 + rng.integers(0, 5, n), band)
    # Built form: old houses are terraces.
    house_forms = ["Mid-Terrace", "End-Terrace", "Semi-Detached", "Detached"]
    form = np.where(is_old, _choice(rng, house_forms, [0.62, 0.22, 0.11, 0.05], n),
                    _choice(rng, house_forms, [0.18, 0.12, 0.44, 0.26], n))
    form = np.where(flat, _choice(rng, ["Mid-Terrace", "End-Terrace", "Semi-Detached", "Detached", "Enclosed Mid-Terrace",
                                        "Enclosed End-Terrace"], [0.30, 0.20, 0.20, 0.15, 0.10, 0.05], n), form)
    form = np.where(kind == "Bungalow", _choice(rng, ["Detached", "Semi-Detached", "End-Terrace"], [0.5, 0.4, 0.1], n), form)
    # Tenure: flats are more often rented.
    p_private = np.where(flat, np.minimum(prof["private"] * 1.9, 0.6), prof["private"] * 0.85)
    p_social = np.where(flat, np.minimum(prof["social"] * 1.4, 0.35), prof["social"] * 0.9)
    roll = rng.random(n)
    tenure = np.where(roll < p_private, "Rented (private)", np.where(roll < p_private + p_social, "Rented (social)",
                                                                     "Owner-occupied")).astype(object)
    # Heating: flats without gas have electric heaters; houses off the grid burn oil, LPG, coal or wood.
    p_off = np.minimum(prof["off_gas"] * np.where(flat, 2.0, np.where(kind == "Bungalow", 1.3, 1.0)), 0.6)
    no_gas = rng.random(n) < p_off
    fuel = np.where(flat, "electricity (not community)", _choice(rng, _OFF_GAS_FUELS, [0.45, 0.25, 0.12, 0.08, 0.10], n))
    fuel = np.where(no_gas, fuel, np.where(rng.random(n) < 0.02, "mains gas (community)", "mains gas (not community)"))
    # Floor area by type and form.
    centre = np.select([kind == "Flat", kind == "Maisonette", kind == "Bungalow", form == "Detached", form == "Semi-Detached"],
                       [58, 72, 75, 135, 92], 82)
    area = np.round(np.clip(rng.lognormal(np.log(centre), 0.22), 18, 600), 1)
    # SAP score and the current and potential bands.
    year = _BAND_START[band]
    sap = (62 - 9.0 * (year < 1930) - 4.0 * ((year >= 1930) & (year < 1967)) + 10.0 * (year >= 2007)
           + 4.0 * flat - 14.0 * (no_gas & ~flat) - 9.0 * (no_gas & flat) + rng.normal(-3, 11, n))
    current = _band(sap)
    potential = _band(np.maximum(sap + rng.uniform(6, 26, n), sap))
    # Fire risk in three years (logit), with unmeasured household risk.
    rating_fg = np.isin(current, ["F", "G"])
    logit = (_BASE_LOGIT + _EFFECTS["before_1930"] * (year < 1930) + _EFFECTS["y1930_1966"] * ((year >= 1930) & (year < 1967))
             + _EFFECTS["no_gas"] * no_gas + _EFFECTS["private"] * (tenure == "Rented (private)")
             + _EFFECTS["social"] * (tenure == "Rented (social)") + _EFFECTS["flat"] * flat
             + _EFFECTS["rating_fg"] * rating_fg + _EFFECTS["rating_e"] * (current == "E")
             + _EFFECTS["flat_no_gas"] * (flat & no_gas) + rng.normal(0, _HOUSEHOLD_SD, n))
    return pd.DataFrame({"kind": kind, "form": form, "band": band, "tenure": tenure, "no_gas": no_gas, "fuel": fuel,
                         "area": area, "sap": sap, "current": current, "potential": potential, "logit": logit})


def _uprns(rng: np.random.Generator, council: Council, n: int) -> np.ndarray:
    """Distinct 12-digit UPRNs in a block of numbers of the council's own."""
    block = 200_000_000_000 + COUNCIL_NAMES.index(council.name) * 1_000_000_000
    return block + rng.choice(1_000_000_000, size=n, replace=False)


def _addresses(rng: np.random.Generator, council: Council, homes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    n = len(homes)
    street = _choice(rng, _STREETS, np.ones(len(_STREETS)), n)
    number = rng.integers(1, 160, n)
    flat_no = rng.integers(1, 12, n)
    flat = homes["kind"].isin(["Flat", "Maisonette"]).to_numpy()
    address = np.where(flat, [f"Flat {f}, {k} {s}" for f, k, s in zip(flat_no, number, street)],
                       [f"{k} {s}" for k, s in zip(number, street)])
    district = _choice(rng, _DISTRICTS[council.name], np.ones(len(_DISTRICTS[council.name])), n)
    postcode = np.array([f"{d} {rng.integers(1, 10)}{''.join(rng.choice(_LETTERS, 2))}" for d in district], dtype=object)
    return address, postcode


def _lodgement(rng: np.random.Generator, start: pd.Timestamp, end: pd.Timestamp, size: int) -> pd.DatetimeIndex:
    seconds = rng.integers(0, int((end - start).total_seconds()), size)
    stamps = start + pd.to_timedelta(seconds, unit="s")
    return pd.DatetimeIndex(stamps).floor("s")


def _certificates(council: Council, rng: np.random.Generator, homes: pd.DataFrame, uprn: np.ndarray,
                  address: np.ndarray, postcode: np.ndarray) -> pd.DataFrame:
    n = len(homes)
    extra = rng.choice(3, n, p=[0.78, 0.18, 0.04])  # older certificates per home
    latest = _lodgement(rng, pd.Timestamp("2012-01-01"), pd.Timestamp("2025-03-31"), n)
    rows = np.repeat(np.arange(n), 1 + extra)
    order = np.concatenate([np.arange(1 + e) for e in extra])  # 0 = latest, 1, 2 = older
    m = len(rows)
    h = homes.iloc[rows].reset_index(drop=True)
    # Older certificates: lodged years before the latest, with a worse rating and sometimes another tenure.
    years_back = np.where(order == 0, 0.0, order * rng.uniform(1.5, 5.0, m))
    when = pd.DatetimeIndex(latest[rows]) - pd.to_timedelta(np.round(years_back * 365.25 * 86400), unit="s")
    when = pd.DatetimeIndex(np.maximum(when, pd.Timestamp("2008-10-01") + pd.to_timedelta(rng.integers(0, 86400 * 200, m), unit="s")))
    sap = h["sap"].to_numpy() - np.where(order > 0, rng.uniform(0, 12, m) * order, 0.0)
    current = np.where(order == 0, h["current"].to_numpy(), _band(sap))
    potential = np.where(order == 0, h["potential"].to_numpy(), _band(sap + rng.uniform(6, 26, m)))
    tenure = h["tenure"].to_numpy().copy()
    changed = (order > 0) & (rng.random(m) < 0.25)
    tenure[changed] = np.where(tenure[changed] == "Owner-occupied", "Rented (private)", "Owner-occupied")
    # The register's spelling of tenure changed over the years; some certificates record none.
    old_style = {"Owner-occupied": "owner-occupied", "Rented (private)": "rental (private)", "Rented (social)": "rental (social)"}
    early = when < pd.Timestamp("2017-01-01")
    tenure = np.where(early, pd.Series(tenure).map(old_style).to_numpy(), tenure)
    roll = rng.random(m)
    tenure = np.where(roll < 0.025, "NO DATA!", np.where(roll < 0.04, "unknown", tenure))
    band = np.array(AGE_BANDS, dtype=object)[h["band"].to_numpy()]
    roll = rng.random(m)
    band = np.where(roll < 0.02, "NO DATA!", np.where(roll < 0.025, "INVALID!", band))
    form = np.where(rng.random(m) < 0.015, "NO DATA!", h["form"].to_numpy())
    gas = np.where(h["no_gas"].to_numpy(), "N", "Y").astype(object)
    gas[rng.random(m) < 0.02] = ""
    ids = np.where(rng.random(m) < np.where(order == 0, 0.025, 0.08), "", uprn[rows].astype(str))
    keys = [f"{a:010d}{w:%Y%m%d%H%M}{b:08d}" for a, w, b in
            zip(rng.integers(10**9, 10**10, m), when, rng.integers(0, 10**8, m))]
    frame = pd.DataFrame({
        "LMK_KEY": keys,
        "ADDRESS1": address[rows],
        "POSTCODE": postcode[rows],
        "UPRN": ids,
        "CURRENT_ENERGY_RATING": current,
        "POTENTIAL_ENERGY_RATING": potential,
        "PROPERTY_TYPE": h["kind"].to_numpy(),
        "BUILT_FORM": form,
        "CONSTRUCTION_AGE_BAND": band,
        "MAINS_GAS_FLAG": gas,
        "TOTAL_FLOOR_AREA": h["area"].map(lambda v: f"{v:.1f}").to_numpy(),
        "MAIN_FUEL": h["fuel"].to_numpy(),
        "TENURE": tenure,
        "LODGEMENT_DATETIME": when.strftime("%Y-%m-%d %H:%M:%S"),
        "LOCAL_AUTHORITY": council.code,
    })
    return frame.sort_values(["LODGEMENT_DATETIME", "LMK_KEY"], ignore_index=True)[list(CERTIFICATE_COLUMNS)]


def _fire_property_type(rng: np.random.Generator, kind: np.ndarray, old: np.ndarray, private: np.ndarray) -> np.ndarray:
    n = len(kind)
    out = np.where(kind == "Bungalow", "Bungalow - single occupancy", "House - single occupancy").astype(object)
    out[(kind == "House") & private & (rng.random(n) < 0.15)] = "House in Multiple Occupation - Up to 2 storeys"
    flats = np.isin(kind, ["Flat", "Maisonette"])
    purpose = _choice(rng, ["Purpose Built Flats/Maisonettes - Up to 3 storeys",
                            "Purpose Built Flats/Maisonettes - 4 to 9 storeys"], [0.7, 0.3], n)
    converted = _choice(rng, ["Converted Flat/Maisonette - Up to 2 storeys",
                              "Converted Flat/Maisonettes - 3 or more storeys"], [0.6, 0.4], n)
    out[flats] = np.where(old[flats], converted[flats], purpose[flats])
    return out


def _fires(council: Council, rng: np.random.Generator, homes: pd.DataFrame, uprn: np.ndarray,
           postcode_district: np.ndarray, lsoa: np.ndarray, lsoas: np.ndarray, lsoa_p: np.ndarray) -> pd.DataFrame:
    n = len(homes)
    logit = homes["logit"].to_numpy()
    periods = [(PERIOD_START, PERIOD_SPLIT, 0.0), (PERIOD_SPLIT, PERIOD_END + pd.Timedelta(days=1), _LATER_SHIFT)]
    parts = []
    for start, end, shift in periods:
        # As many homes with a fire as the risks add up to (so that small samples are not unlucky),
        # drawn in proportion to each home's risk.
        risk = 1 / (1 + np.exp(-(logit + shift)))
        who = np.sort(rng.choice(n, size=min(n, round(risk.sum())), replace=False, p=risk / risk.sum()))
        again = who[rng.random(len(who)) < _REPEAT]
        who = np.concatenate([who, again])
        days = (end - start).days
        # A mild winter peak.
        offset = rng.integers(0, days, len(who))
        winter = np.cos(2 * np.pi * ((start + pd.to_timedelta(offset, unit="D")).dayofyear.to_numpy() - 15) / 365.25)
        keep = rng.random(len(who)) < (0.85 + 0.15 * winter) / 1.0
        offset = np.where(keep, offset, rng.integers(0, days, len(who)))
        parts.append(pd.DataFrame({"home": who, "date": start + pd.to_timedelta(offset, unit="D")}))
    fires = pd.concat(parts, ignore_index=True)
    kind = homes["kind"].to_numpy()[fires["home"]]
    old = (homes["band"].to_numpy() < 2)[fires["home"]]
    private = (homes["tenure"].to_numpy() == "Rented (private)")[fires["home"]]
    frame = pd.DataFrame({"date": fires["date"], "UPRN": uprn[fires["home"]].astype(str),
                          "Postcode_district": postcode_district[fires["home"]], "LSOA_Code": lsoa[fires["home"]],
                          "PropertyType": _fire_property_type(rng, kind, old, private)})
    # Fires in homes that have no certificate in the sample.
    k = rng.binomial(len(frame), _NO_EPC)
    pick = rng.integers(0, len(frame), k)  # borrow the mix of property types and dates
    others = frame.iloc[pick].reset_index(drop=True).copy()
    taken = set(uprn.tolist())
    fresh = [u for u in _uprns(rng, council, k + 50).tolist() if u not in taken][:k]
    others["UPRN"] = np.array(fresh, dtype=np.int64).astype(str)
    others["date"] = others["date"] + pd.to_timedelta(rng.integers(-120, 120, k), unit="D")
    others["date"] = others["date"].clip(PERIOD_START, PERIOD_END)
    others["LSOA_Code"] = lsoas[rng.choice(len(lsoas), size=k, p=lsoa_p)]
    districts = _DISTRICTS[council.name]
    others["Postcode_district"] = np.asarray(districts, dtype=object)[rng.integers(0, len(districts), k)]
    frame = pd.concat([frame, others], ignore_index=True).sort_values("date", kind="stable", ignore_index=True)
    m = len(frame)
    frame.loc[rng.random(m) < _NO_UPRN, "UPRN"] = ""
    frame.loc[rng.random(m) < 0.01, "LSOA_Code"] = ""
    frame["CauseOfFire"] = _choice(rng, _FIRE_CAUSES, _CAUSE_P, m)
    year = frame["date"].dt.year.to_numpy()
    seq = frame.groupby(year).cumcount().to_numpy() + 1
    frame["IncidentNumber"] = [f"SWF{y}{s:05d}" for y, s in zip(year, seq)]
    frame["DateOfCall"] = frame["date"].dt.strftime("%d/%m/%Y")
    frame["PropertyCategory"] = "Dwelling"
    return frame[list(FIRE_COLUMNS)]


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate one council's sample of EPC certificates and its dwelling fires.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils; its population sets the number of homes.
    rng : numpy.random.Generator
        The only source of randomness: the same generator state gives the same files.
    scale : float, default 1.0
        Volume multiplier: homes, certificates and fires grow in proportion; the LSOAs,
        the periods and the risk structure stay fixed.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"certificates.csv": ..., "dwelling_fires.csv": ...}`` with the columns of
        :data:`CERTIFICATE_COLUMNS` and :data:`FIRE_COLUMNS`, every value as text;
        certificates sorted by lodgement, fires by date of call.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    """
    n = homes_count(council, scale)  # checks council and scale
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    homes = _homes(council, rng, n)
    uprn = _uprns(rng, council, n)
    areas = wales_table(1.0)
    areas = areas[areas["council"] == council.name]
    lsoas = areas["lsoa_code"].to_numpy()
    lsoa_p = areas["population"].to_numpy() / areas["population"].sum()
    lsoa = lsoas[rng.choice(len(lsoas), size=n, p=lsoa_p)]
    address, postcode = _addresses(rng, council, homes)
    certificates = _certificates(council, rng, homes, uprn, address, postcode)
    district = np.array([p.split(" ")[0] for p in postcode], dtype=object)
    fires = _fires(council, rng, homes, uprn, district, lsoa, lsoas, lsoa_p)
    return {"certificates.csv": certificates, "dwelling_fires.csv": fires}
