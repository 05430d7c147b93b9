"""Demo repair reports: a social landlord's reports of damp, mould and disrepair, by home.

Since the Renting Homes (Wales) Act 2016 came into force (1 December 2022) landlords in
Wales must keep homes fit for human habitation, and after the death of Awaab Ishak
(Rochdale, 2020) social landlords were asked to show how they find and fix damp and mould.
Cardiff, Caerphilly and the Vale of Glamorgan still own council homes; the other councils
transferred theirs to housing associations, which share data with the council. This
generator writes, for one council, a year (2024-25) of the main social landlord's repair
reports, ``repair_reports.csv``, as a housing management system exports them:
``Report Ref``, ``Date Reported``, ``UPRN``, ``Property Address``, ``Postcode``, ``Tenure``
and ``Repair Category``. Call handlers find the home in the asset register (its UPRN) when
they can; the postcode is as typed.

Homes sit on the council's demo geography (:func:`curriculum.demo.postcodes.council_places`
of the same run), so reports join to the postcode directory and, through it, to the
``wimd`` table; reports about flats above shops (the maisonettes over estate shopping
parades) carry the gazetteer's UPRNs. Planted for the "Joining by place" module:

- reports per LSOA rise steeply with deprivation (social homes are concentrated in the
  most deprived areas) and are a little lower in rural areas;
- postcodes as typed: lower case, no space or two; blank (more often for rural homes
  known by a house name), invalid (``CF24``, ``N/K``), mistyped (a real-looking code the
  directory lacks), a correspondence postcode in England (a leaseholder's), a terminated
  postcode, a postcode of the council's district that lies in the neighbouring council
  (homes the landlord owns across the border) and new-build postcodes newer than the
  directory (new social homes, mostly in the less deprived areas);
- UPRNs: blank for some homes (most new builds are not in the gazetteer yet), the
  gazetteer's UPRN for flats above shops, with a few typed with two digits swapped;
  other homes have UPRNs the commercial gazetteer extract does not hold;
- repeat reports about the same home (same UPRN and address).

:func:`generate_with_truth` adds the home's true LSOA, what was planted and whether it is
a flat above a shop, for tests. Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council
from curriculum.demo._shared import check_scale as _check_scale
from curriculum.demo.postcodes import _check_council, council_places, run_seed

__all__ = ["FILES", "COLUMNS", "YEAR_START", "RATE_PER_1000", "CATEGORIES", "generate", "generate_with_truth"]

FILES: tuple[str, ...] = ("repair_reports.csv",)
COLUMNS: tuple[str, ...] = ("Report Ref", "Date Reported", "UPRN", "Property Address", "Postcode", "Tenure",
                            "Repair Category")
YEAR_START = pd.Timestamp("2024-04-01")  # the financial year 2024-25
RATE_PER_1000 = 1.5   # reports a year per 1,000 residents in an LSOA of average deprivation

_DEPRIVATION = 0.70   # log rate ratio per unit of latent deprivation (social homes cluster there)
_RURAL = -0.35        # log rate ratio in rural LSOAs (fewer social homes)
_AREA_SHAPE = 8.0     # gamma shape of between-area variation
_FLAT_RATE = 0.6      # reports a year per flat above a shop
_REPEAT = 0.08        # share of reports about a home already reported that year
_NEW_BUILD_TAKE = 0.5  # share of reports in a new-build LSOA that come from the new homes
_TERMINATED = 0.2     # chance a home in an LSOA with a terminated postcode has it (old records)
_NAMED = 0.4          # share of rural homes known by a house name, not a number

#: Repair categories and their base chance.
CATEGORIES: dict[str, float] = {
    "Damp and mould": 0.34, "Leaks and roof": 0.13, "Heating and hot water": 0.13, "Windows and doors": 0.11,
    "Plumbing and drainage": 0.10, "Electrical": 0.07, "Structural": 0.05, "Fire doors and alarms": 0.03,
    "Pests": 0.04,
}
_WINTER = {"Damp and mould", "Heating and hot water"}
_TENURES = ("Social rent", "Leaseholder", "Shared ownership", "Not recorded")
_HOUSE_NAMES = ("Tŷ Gwyn", "Bryn Awel", "Rose Cottage", "The Old Chapel", "Pen y Bryn Farm", "Nant y Coed",
                "Hafod", "The Stables", "Glan yr Afon", "Ivy Cottage", "Maes y Coed Farm", "Ty Isaf")
_INVALID = ("{district}", "N/K", "TBC", "{district} {sector}", "{code_short}")
_ENGLAND = ("BS1", "BS8", "GL1", "HR4", "B15", "SW11", "M20", "BA1")
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_BANK_HOLIDAYS = pd.to_datetime(["2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26",
                                 "2025-01-01"])


def _day_weights() -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    days = pd.date_range(YEAR_START, periods=365, freq="D")
    winter = 1.0 + 0.45 * np.cos(2 * np.pi * ((days - pd.Timestamp("2025-01-10")).days.to_numpy()) / 365.0)
    weekday = np.where(days.dayofweek < 5, 1.0, 0.08)
    holiday = np.where(days.isin(_BANK_HOLIDAYS), 0.05, 1.0)
    weights = winter * weekday * holiday
    return days, weights / weights.sum(), winter


def _swap_digits(rng: np.random.Generator, uprn: int, known: set[int]) -> int:
    text = str(uprn)
    for _ in range(50):
        i = int(rng.integers(0, len(text) - 1))
        swapped = text[:i] + text[i + 1] + text[i] + text[i + 2:]
        if swapped != text and swapped[0] != "0" and int(swapped) not in known:
            return int(swapped)
    return int(text[:-1])  # a digit lost instead


def _typo(rng: np.random.Generator, code: str, taken: set[str]) -> str:
    outward, inward = code.split(" ")
    for _ in range(100):
        u = rng.random()
        if u < 0.5:
            new = f"{outward} {inward[0]}{inward[2]}{inward[1]}"
        elif u < 0.8:
            new = f"{outward} {(int(inward[0]) + int(rng.integers(1, 9))) % 10}{inward[1:]}"
        else:
            new = f"{outward} {inward[:2]}{_LETTERS[int(rng.integers(20))]}"
        if new not in taken and new != code:
            return new
    return f"{outward} 0ZZ"


def _typed(rng: np.random.Generator, code: str) -> str:
    u = rng.random()
    if u < 0.18:
        return code.lower()
    if u < 0.32:
        return code.replace(" ", "")
    if u < 0.36:
        return code.replace(" ", "  ")
    if u < 0.40:
        return code.lower().replace(" ", "")
    return code


def generate_with_truth(council: Council, rng: np.random.Generator, scale: float = 1.0) -> pd.DataFrame:
    """Generate the repair reports of :func:`generate` with the truth attached.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness of the reports (and, through :func:`run_seed`,
        which demo-data run's geography they sit on).
    scale : float, default 1.0
        Volume multiplier: the reports (and the gazetteer's flats) grow with it; the LSOAs and
        postcodes stay fixed.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS` plus ``_lsoa`` (the home's true LSOA), ``_planted``
        (what was done to the postcode: ``""``, ``missing``, ``invalid``, ``typo``,
        ``correspondence``, ``terminated``, ``boundary`` or ``new build``; ``uprn typo`` when the
        UPRN was mistyped) and ``_flat`` (a flat above a shop in the gazetteer).

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    """
    _check_council(council)
    scale = _check_scale(scale)
    places = council_places(council, scale, run_seed(rng, council))
    index = COUNCIL_NAMES.index(council.name)
    areas = places.areas
    directory = places.directory
    gazetteer = places.gazetteer
    taken = set(directory["postcode"]) | set(places.new_builds["postcode"])
    gaz_uprns = set(gazetteer["UPRN"].astype("int64"))

    # Reports per LSOA, by deprivation and rurality.
    z = areas["z"].to_numpy()
    expected = (areas["population"].to_numpy() * RATE_PER_1000 / 1000.0
                * np.exp(_DEPRIVATION * (z - z.mean()) + _RURAL * areas["rural"].to_numpy())
                * rng.gamma(_AREA_SHAPE, 1.0 / _AREA_SHAPE, len(areas))) * scale  # the areas are fixed; reports scale
    counts = rng.poisson(expected)

    live = directory[directory["kind"] == "residential"]
    by_lsoa = {k: g for k, g in live.groupby("lsoa_code")}
    old = directory[directory["kind"] == "terminated"]
    old_by_lsoa = {k: g for k, g in old.groupby("lsoa_code")}
    new_by_lsoa = {k: g for k, g in places.new_builds.groupby("lsoa_code")}
    rural = dict(zip(areas["lsoa_code"], areas["rural"]))

    next_uprn = {"old": 100_100_000_000 + index * 10_000_000 + 5_000_000,
                 "new": 10_090_000_000 + index * 10_000_000 + 5_000_000}

    def uprn(kind: str) -> int:
        next_uprn[kind] += int(rng.integers(1, 700))
        while next_uprn[kind] in gaz_uprns:
            next_uprn[kind] += 1
        return next_uprn[kind]

    homes: list[dict] = []
    seen: dict[str, list[int]] = {}
    for lsoa, n in zip(areas["lsoa_code"], counts):
        for _ in range(int(n)):
            earlier = seen.setdefault(lsoa, [])
            if earlier and rng.random() < _REPEAT:
                homes.append(dict(homes[earlier[int(rng.integers(len(earlier)))]], repeat=True))
                continue
            home = {"lsoa": lsoa, "flat": False, "planted": "", "repeat": False}
            if lsoa in new_by_lsoa and rng.random() < _NEW_BUILD_TAKE:
                row = new_by_lsoa[lsoa].iloc[int(rng.integers(len(new_by_lsoa[lsoa])))]
                home.update(postcode=row["postcode"], address=f"{int(rng.integers(1, 60))} {row['street']}, {row['town']}",
                            uprn=None if rng.random() < 0.6 else uprn("new"), planted="new build")
            else:
                if lsoa in old_by_lsoa and rng.random() < _TERMINATED:
                    row = old_by_lsoa[lsoa].iloc[int(rng.integers(len(old_by_lsoa[lsoa])))]
                    home["planted"] = "terminated"
                else:
                    row = by_lsoa[lsoa].iloc[int(rng.integers(len(by_lsoa[lsoa])))]
                named = bool(rural[lsoa]) and rng.random() < _NAMED
                if named:
                    first = f"{_HOUSE_NAMES[int(rng.integers(len(_HOUSE_NAMES)))]}, {row['street']}"
                elif rng.random() < 0.15:
                    first = f"Flat {int(rng.integers(1, 7))}, {int(rng.integers(1, 140))} {row['street']}"
                else:
                    first = f"{int(rng.integers(1, 140))} {row['street']}"
                home.update(postcode=row["postcode"], address=f"{first}, {row['town']}", named=named,
                            uprn=None if rng.random() < (0.15 if named else 0.04) else uprn("old"))
            earlier.append(len(homes))
            homes.append(home)

    # At least two homes on a terminated postcode, so that every council's file shows one.
    ordinary = [i for i, h in enumerate(homes) if not h["planted"] and not h["repeat"] and h["lsoa"] in old_by_lsoa]
    short = max(0, 2 - sum(h["planted"] == "terminated" for h in homes))
    for i in rng.choice(ordinary, size=min(short, len(ordinary)), replace=False) if ordinary else []:
        row = old_by_lsoa[homes[i]["lsoa"]].iloc[0]
        homes[i].update(postcode=row["postcode"], planted="terminated",
                        address=f"{int(rng.integers(1, 140))} {row['street']}, {row['town']}")

    # Flats above shops, from the gazetteer: their UPRNs and postcodes.
    flats = gazetteer[gazetteer["Address"].str.startswith("Flat")].reset_index(drop=True)
    where = directory.set_index("postcode")["lsoa_code"]
    n_flat = int(rng.poisson(_FLAT_RATE * len(flats))) if len(flats) else 0
    for k in rng.integers(0, max(1, len(flats)), n_flat):
        row = flats.iloc[int(k)]
        homes.append({"lsoa": where[row["Postcode"]], "flat": True, "planted": "", "repeat": False,
                      "postcode": row["Postcode"], "address": row["Address"],
                      "uprn": None if rng.random() < 0.08 else int(row["UPRN"])})

    # Homes the landlord owns just over the border: in this council's district, the neighbour's LSOAs.
    border = directory[directory["kind"] == "boundary"]
    for _ in range(max(2, int(rng.poisson(0.02 * len(homes))))):
        row = border.iloc[int(rng.integers(len(border)))]
        homes.append({"lsoa": row["lsoa_code"], "flat": False, "planted": "boundary", "repeat": False,
                      "postcode": row["postcode"], "address": f"{int(rng.integers(1, 90))} {row['street']}, {row['town']}",
                      "uprn": None if rng.random() < 0.5 else uprn("old")})

    frame = pd.DataFrame(homes)
    n = len(frame)
    recorded = frame["postcode"].astype(object).to_numpy().copy()
    planted = frame["planted"].to_numpy(dtype=object).copy()
    named = frame.get("named", pd.Series(False, index=frame.index)).fillna(False).astype(bool).to_numpy()
    free = np.flatnonzero((planted == "") & ~frame["repeat"].to_numpy())

    def plant(label: str, share: float, weights: np.ndarray | None = None, at_least: int = 2) -> np.ndarray:
        nonlocal free
        k = min(len(free), max(at_least, int(rng.binomial(n, share))))
        p = None if weights is None else weights[free] / weights[free].sum()
        rows = rng.choice(free, size=k, replace=False, p=p)
        free = np.setdiff1d(free, rows)
        planted[rows] = label
        return rows

    for i in plant("missing", 0.03, np.where(named, 5.0, 1.0)):
        recorded[i] = ""
    for i in plant("invalid", 0.015):
        district, inward = recorded[i].split(" ")
        pattern = _INVALID[int(rng.integers(len(_INVALID)))]
        recorded[i] = pattern.format(district=district, sector=inward[0], code_short=f"{district} {inward[:2]}")
    for i in plant("typo", 0.015):
        recorded[i] = _typo(rng, recorded[i], taken)
    for i in plant("correspondence", 0.005, at_least=1):
        recorded[i] = (f"{_ENGLAND[int(rng.integers(len(_ENGLAND)))]} {int(rng.integers(1, 10))}"
                       f"{_LETTERS[int(rng.integers(20))]}{_LETTERS[int(rng.integers(20))]}")
    for i in range(n):
        if recorded[i] and planted[i] not in ("invalid", "missing"):
            recorded[i] = _typed(rng, recorded[i])

    # UPRNs: a few flats' UPRNs typed with two digits swapped.
    uprns = frame["uprn"].astype(object).to_numpy().copy()
    flat_rows = np.flatnonzero(frame["flat"].to_numpy() & pd.notna(uprns))
    if len(flat_rows):
        k = min(len(flat_rows), max(2, int(rng.binomial(len(flat_rows), 0.08))))
        for i in rng.choice(flat_rows, size=k, replace=False):
            uprns[i] = _swap_digits(rng, int(uprns[i]), gaz_uprns)
            planted[i] = (planted[i] + "; " if planted[i] else "") + "uprn typo"

    # Dates (winter brings damp and cold), tenure and category.
    days, p_day, winter = _day_weights()
    received = rng.choice(len(days), size=n, p=p_day)
    names = list(CATEGORIES)
    base = np.array(list(CATEGORIES.values()))
    category = np.empty(n, dtype=object)
    for i in range(n):
        p = base.copy()
        p[[names.index(c) for c in _WINTER]] *= winter[received[i]]
        if frame["flat"].iat[i]:
            p[names.index("Fire doors and alarms")] *= 5
        category[i] = names[int(rng.choice(len(names), p=p / p.sum()))]
    tenure = np.asarray(_TENURES, dtype=object)[rng.choice(4, size=n, p=[0.86, 0.07, 0.02, 0.05])]

    order = np.argsort(received, kind="stable")
    dates = days[received[order]]
    out = pd.DataFrame({
        "Report Ref": [f"RR{d:%y}-{k:05d}" for k, d in enumerate(dates, start=1)],
        "Date Reported": dates.strftime("%d/%m/%Y"),
        "UPRN": ["" if pd.isna(u) else str(int(u)) for u in uprns[order]],
        "Property Address": frame["address"].to_numpy()[order],
        "Postcode": recorded[order],
        "Tenure": tenure[order],
        "Repair Category": category[order],
        "_lsoa": frame["lsoa"].to_numpy()[order],
        "_planted": planted[order],
        "_flat": frame["flat"].to_numpy()[order],
    })
    return out


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's social-landlord repair reports for 2024-25.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same file.
    scale : float, default 1.0
        Volume multiplier: the reports (and the gazetteer's flats) grow with it; the LSOAs and
        postcodes stay fixed.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"repair_reports.csv": frame}`` with the columns of :data:`COLUMNS`, one row
        per report, in the order reported; dates are written dd/mm/yyyy.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    """
    frame = generate_with_truth(council, rng, scale)
    return {"repair_reports.csv": frame[list(COLUMNS)]}
