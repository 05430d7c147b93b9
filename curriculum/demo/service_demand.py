"""Demo service data: referrals of older people to a council's community connectors.

Community connectors (social prescribing for people aged 65 and over, under the
information, advice and assistance duty of the Social Services and Well-being (Wales)
Act 2014) take referrals from GP practices, families, hospitals and people themselves
when someone is lonely or cut off. This generator writes one council's case-management
export for the financial year 2024-25, ``connector_referrals.csv``: one row per
referral with a reference, a pseudonymised client number, the date received, the LSOA
of the person's home (looked up from the address), the age band, whether they live
alone, who referred them and why.

The structure the Adaption Lab's *Framing the problem* module must find:

- referral rates per 1,000 residents aged 65 and over rise steeply with deprivation
  (about two and a half times as high in the most deprived fifth of a council's areas
  as in the least deprived fifth), with more variation between areas than chance;
- rates are *lower* where access to services is worst (rural areas far from a GP
  surgery, a post office or a bus), although isolation is, if anything, higher there:
  the service data show demand that reached the service, not need;
- referrals rise in the winter and almost stop at weekends and bank holidays;
- about one person in ten is referred more than once in the year;
- a few records do not join to the council's LSOAs: no LSOA (the address did not
  match), an LSOA of another council (people referred from across the border), and
  a few mistyped values (a postcode in the LSOA field, a truncated code); a few more
  are in lower case and join once tidied.

LSOAs, their deprivation and their older residents come from the same Wales-wide draw
as the WIMD table (:func:`curriculum.demo.wimd.wales_table`). Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council
from curriculum.demo.wimd import lsoa_count, wales_table

__all__ = ["FILES", "COLUMNS", "YEAR_START", "RATE_PER_1000", "generate"]

FILES: tuple[str, ...] = ("connector_referrals.csv",)
COLUMNS: tuple[str, ...] = ("Referral Ref", "Client ID", "Date Received", "LSOA Code", "Age Band", "Lives Alone",
                            "Referred By", "Referral Reason")
YEAR_START = pd.Timestamp("2024-04-01")  # the financial year 2024-25
RATE_PER_1000 = 20.0  # referrals a year per 1,000 residents aged 65+ in an area of average deprivation

_DEPRIVATION = 0.50   # log rate ratio per unit of latent deprivation
_ACCESS = -0.35       # log rate ratio per standard deviation of access-to-services deprivation
_AREA_SHAPE = 12.0    # gamma shape of between-area variation beyond deprivation (sd about 0.3)
_REPEAT = 0.10        # share of referrals for someone already referred that year

_BANK_HOLIDAYS = pd.to_datetime(["2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26",
                                 "2025-01-01", "2025-03-31"])  # Easter Monday 2025 falls in April
_AGE_BANDS = ("65-74", "75-84", "85+")
_LIVES_ALONE = ("Yes", "No", "Not known")
_SOURCES = {"GP practice": 0.28, "Self": 0.14, "Family or friend": 0.15, "Adult social care": 0.12,
            "Hospital discharge team": 0.08, "Third sector": 0.11, "Housing officer": 0.06,
            "Fire and Rescue safe and well visit": 0.03, "Police": 0.03}
_REASONS = ("Loneliness", "Bereavement", "Low mood", "Lost confidence after a fall", "Stopped driving",
            "Caring for someone", "Recently moved")
# Chance of each reason by age band (rows: 65-74, 75-84, 85+).
_REASON_P = np.array([[0.36, 0.14, 0.16, 0.06, 0.05, 0.14, 0.09],
                      [0.34, 0.22, 0.11, 0.11, 0.10, 0.07, 0.05],
                      [0.32, 0.24, 0.08, 0.17, 0.12, 0.03, 0.04]])
# Postcode districts of each council (for the mistyped LSOA field).
_DISTRICTS = {
    "Blaenau Gwent": ["NP13", "NP22", "NP23"], "Bridgend": ["CF31", "CF32", "CF33", "CF34", "CF35", "CF36"],
    "Caerphilly": ["CF81", "CF82", "CF83", "NP11", "NP12"], "Cardiff": ["CF3", "CF5", "CF10", "CF11", "CF14", "CF23", "CF24"],
    "Merthyr Tydfil": ["CF47", "CF48"], "Monmouthshire": ["NP7", "NP15", "NP16", "NP25", "NP26"],
    "Newport": ["NP10", "NP18", "NP19", "NP20"], "Rhondda Cynon Taf": ["CF37", "CF38", "CF39", "CF40", "CF43", "CF44", "CF72"],
    "Torfaen": ["NP4", "NP44"], "Vale of Glamorgan": ["CF61", "CF62", "CF63", "CF64", "CF71"],
}
# Councils across whose border people are most often referred.
_NEIGHBOURS = {
    "Blaenau Gwent": ["Caerphilly", "Torfaen", "Monmouthshire", "Merthyr Tydfil"],
    "Bridgend": ["Rhondda Cynon Taf", "Vale of Glamorgan"],
    "Caerphilly": ["Newport", "Cardiff", "Rhondda Cynon Taf", "Blaenau Gwent", "Torfaen", "Merthyr Tydfil"],
    "Cardiff": ["Vale of Glamorgan", "Rhondda Cynon Taf", "Caerphilly", "Newport"],
    "Merthyr Tydfil": ["Rhondda Cynon Taf", "Caerphilly"],
    "Monmouthshire": ["Newport", "Torfaen", "Blaenau Gwent"],
    "Newport": ["Cardiff", "Caerphilly", "Torfaen", "Monmouthshire"],
    "Rhondda Cynon Taf": ["Merthyr Tydfil", "Caerphilly", "Cardiff", "Vale of Glamorgan", "Bridgend"],
    "Torfaen": ["Newport", "Monmouthshire", "Blaenau Gwent", "Caerphilly"],
    "Vale of Glamorgan": ["Cardiff", "Bridgend", "Rhondda Cynon Taf"],
}


def _day_weights() -> tuple[pd.DatetimeIndex, np.ndarray]:
    days = pd.date_range(YEAR_START, periods=365, freq="D")
    # Busiest in mid-January, quietest in mid-July; the August holiday dip on top.
    season = 1.0 + 0.25 * np.cos(2 * np.pi * ((days - pd.Timestamp("2025-01-15")).days.to_numpy()) / 365.0)
    season = season * np.where(days.month == 8, 0.85, 1.0)
    weekday = np.where(days.dayofweek < 5, 1.0, 0.06)
    holiday = np.where(days.isin(_BANK_HOLIDAYS), 0.05, 1.0)
    weights = season * weekday * holiday
    return days, weights / weights.sum()


def _choice(rng: np.random.Generator, options, p, size: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=np.asarray(p) / np.sum(p))]


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's community connector referrals for 2024-25.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same file.
    scale : float, default 1.0
        Volume multiplier: the council's LSOAs, and so its referrals, grow with it.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"connector_referrals.csv": frame}`` with the columns of :data:`COLUMNS`,
        one row per referral, sorted by date received and reference. Dates are
        written dd/mm/yyyy.

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
    expected = (areas["population_65_plus"].to_numpy() * RATE_PER_1000 / 1000.0
                * np.exp(_DEPRIVATION * (areas["z"].to_numpy() - centre) + _ACCESS * areas["access_z"].to_numpy())
                * rng.gamma(_AREA_SHAPE, 1.0 / _AREA_SHAPE, len(areas))) * float(scale)  # the areas are fixed; records scale
    counts = rng.poisson(expected)
    codes = np.repeat(areas["lsoa_code"].to_numpy(), counts).astype(object)
    n = len(codes)

    # Dates, and references in the order received.
    days, p_day = _day_weights()
    received = np.sort(rng.choice(len(days), size=n, p=p_day))
    order = rng.permutation(n)  # which area each referral in date order comes from
    codes = codes[order]

    # People: most referred once; some again later in the year, from the same area.
    client = rng.choice(np.arange(100_000, 1_000_000), size=n, replace=False)
    first_seen: dict[str, list[int]] = {}
    for i in range(n):
        earlier = first_seen.setdefault(codes[i], [])
        if earlier and rng.random() < _REPEAT:
            client[i] = client[earlier[rng.integers(len(earlier))]]
        else:
            earlier.append(i)

    age_band = _choice(rng, _AGE_BANDS, [0.38, 0.39, 0.23], n)
    # Keep each person's age band, living situation and (mostly) referrer across referrals.
    alone = _choice(rng, _LIVES_ALONE, [0.55, 0.36, 0.09], n)
    alone = np.where(age_band == "85+", np.where(rng.random(n) < 0.25, "Yes", alone), alone)
    source = _choice(rng, list(_SOURCES), list(_SOURCES.values()), n)
    reason = np.empty(n, dtype=object)
    for b, band in enumerate(_AGE_BANDS):
        rows = np.flatnonzero(age_band == band)
        reason[rows] = _choice(rng, _REASONS, _REASON_P[b], len(rows))
    frame = pd.DataFrame({"client": client, "age": age_band, "alone": alone})
    first = frame.groupby("client", sort=False).transform("first")
    age_band, alone = first["age"].to_numpy(), first["alone"].to_numpy()

    # Records that will not join as they stand.
    lsoa = codes.copy()
    roll = rng.random(n)
    blank = roll < 0.030
    elsewhere = (roll >= 0.030) & (roll < 0.045)
    typo = (roll >= 0.045) & (roll < 0.051)
    lower = (roll >= 0.051) & (roll < 0.061)
    lsoa[blank] = ""
    neighbours = wales[wales["council"].isin(_NEIGHBOURS[council.name])]["lsoa_code"].to_numpy()
    lsoa[elsewhere] = rng.choice(neighbours, size=int(elsewhere.sum()))
    districts = _DISTRICTS[council.name]
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
    for i in np.flatnonzero(typo):
        if rng.random() < 0.6:
            lsoa[i] = f"{districts[rng.integers(len(districts))]} {rng.integers(1, 10)}{''.join(rng.choice(letters, 2))}"
        else:
            lsoa[i] = lsoa[i][:-1]  # a digit lost when the code was copied
    lsoa[lower] = [c.lower() for c in lsoa[lower]]

    references = [f"CC24-{k:05d}" for k in range(1, n + 1)]
    frame = pd.DataFrame({
        "Referral Ref": references,
        "Client ID": [f"C{c}" for c in client],
        "Date Received": days[received].strftime("%d/%m/%Y"),
        "LSOA Code": lsoa,
        "Age Band": age_band,
        "Lives Alone": alone,
        "Referred By": source,
        "Referral Reason": reason,
    })
    return {"connector_referrals.csv": frame[list(COLUMNS)]}
