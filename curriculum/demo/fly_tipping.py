"""Demo data for "Asking a question data can answer": a council's fly-tipping reports.

Welsh councils record every fly-tipping incident they deal with and return the counts
by land type, waste type and size to WasteDataFlow, from which Fly-tipping Action Wales
and StatsWales publish them. This generator writes one council's case-system export,
``fly_tipping.csv``, for the financial years 2023-24 and 2024-25: one row per report
with a reference, the dates reported and cleared, the ward, the location (a street, the
lane behind one, land off one, or a lay-by), the postcode, the WasteDataFlow land type,
waste type and size categories, the clearance cost and who reported it. A blank date
cleared means the fly-tip is still open or was on private land and passed to the landowner
(then it has no council clearance cost either).
About 1.35 reports per 1,000 residents a year (the real rate is higher; the volume is
kept small for the repository), times ``scale``.

The structure planted for the learner to find:

- a few places take many reports (back lanes of terraced streets in the most deprived
  wards above all), with more in spring and summer and on Mondays;
- quality problems as real exports have them: ``NO DATA!`` in the ward, land type,
  waste type and size; ``N/A``, ``-``, ``TBC``, ``NO DATA!`` and blanks for postcodes,
  and ``Not known`` for the reporter; a cost of 0 where none was entered; postcodes typed
  in lower case or without a space;
- about 2% exact duplicate rows (the export wrote a row twice) and about 5% near
  duplicates (a second report of the same fly-tip: same place and day, another
  reference and reporter, the location typed in another case or spacing);
- about 1% of cleared dates set to 01/01/1900 (a system default) and about 1.5%
  before the date reported (typing slips);
- about 3% of postcodes in a neighbouring council.

Places (wards, streets, postcodes) are fixed for a council whatever ``scale``; only the
number of reports grows with it. Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council
from curriculum.demo._shared import check_scale as _check_scale

__all__ = ["FILES", "COLUMNS", "WARDS", "RATE_PER_1000", "PERIOD_START", "PERIOD_END", "EXPORT_DATE",
           "LAND_TYPES", "WASTE_TYPES", "SIZES", "generate", "generate_with_truth"]

FILES: tuple[str, ...] = ("fly_tipping.csv",)
COLUMNS: tuple[str, ...] = ("Reference", "Date Reported", "Date Cleared", "Ward", "Location", "Postcode", "Land Type",
                            "Waste Type", "Size", "Clearance Cost", "Reported By")
RATE_PER_1000 = 1.35                       # reports a year per 1,000 residents, before duplicates
PERIOD_START = pd.Timestamp("2023-04-01")  # financial years 2023-24 and 2024-25
PERIOD_END = pd.Timestamp("2025-03-31")
EXPORT_DATE = pd.Timestamp("2025-04-14")   # the day the export was taken

#: Wards of each council with their postcode district and a relative weight of fly-tipping.
WARDS: dict[str, tuple[tuple[str, str, float], ...]] = {
    "Blaenau Gwent": (("Abertillery and Six Bells", "NP13", 2.0), ("Llanhilleth", "NP13", 1.0), ("Cwmtillery", "NP13", 1.0),
                      ("Ebbw Vale North", "NP23", 1.5), ("Ebbw Vale South", "NP23", 1.5), ("Cwm", "NP23", 1.0),
                      ("Brynmawr", "NP23", 1.0), ("Nantyglo", "NP23", 1.0), ("Badminton", "NP23", 0.7),
                      ("Beaufort", "NP23", 0.5), ("Sirhowy", "NP22", 1.5), ("Tredegar Central and West", "NP22", 2.0),
                      ("Georgetown", "NP22", 1.0)),
    "Bridgend": (("Bridgend Central", "CF31", 2.0), ("Brackla East", "CF31", 1.0), ("Morfa", "CF31", 1.5),
                 ("Oldcastle", "CF31", 0.7), ("Caerau", "CF34", 1.5), ("Maesteg East", "CF34", 1.5),
                 ("Maesteg West", "CF34", 1.0), ("Ogmore Vale", "CF32", 1.0), ("Nant-y-moel", "CF32", 0.8),
                 ("Pyle, Kenfig Hill and Cefn Cribwr", "CF33", 1.0), ("Cornelly", "CF33", 1.0),
                 ("Pencoed and Penprysg", "CF35", 0.8), ("Porthcawl East Central", "CF36", 1.0), ("Rest Bay", "CF36", 0.4)),
    "Caerphilly": (("Bargoed", "CF81", 2.0), ("Aberbargoed", "CF81", 1.2), ("Gilfach", "CF81", 0.8),
                   ("Ystrad Mynach", "CF82", 1.0), ("Hengoed", "CF82", 0.8), ("Morgan Jones", "CF83", 1.5),
                   ("St James", "CF83", 1.0), ("St Martins", "CF83", 0.7), ("Bedwas and Trethomas", "CF83", 1.0),
                   ("Penyrheol", "CF83", 1.0), ("Crosskeys", "NP11", 1.2), ("Risca East", "NP11", 1.0),
                   ("Abercarn", "NP11", 1.0), ("Newbridge", "NP11", 1.0), ("Blackwood", "NP12", 1.2),
                   ("Pontllanfraith", "NP12", 1.0), ("Cefn Fforest and Pengam", "NP12", 0.8)),
    "Cardiff": (("Adamsdown", "CF24", 3.0), ("Splott", "CF24", 3.0), ("Plasnewydd", "CF24", 3.0), ("Cathays", "CF24", 2.5),
                ("Butetown", "CF10", 2.0), ("Grangetown", "CF11", 2.5), ("Riverside", "CF11", 2.0), ("Canton", "CF5", 1.5),
                ("Ely", "CF5", 2.0), ("Caerau", "CF5", 1.5), ("Trowbridge", "CF3", 1.5), ("Llanrumney", "CF3", 1.5),
                ("Rumney", "CF3", 1.0), ("Gabalfa", "CF14", 1.0), ("Llanishen", "CF14", 0.5), ("Pentwyn", "CF23", 1.0),
                ("Cyncoed", "CF23", 0.3), ("Whitchurch and Tongwynlais", "CF14", 0.5)),
    "Merthyr Tydfil": (("Gurnos", "CF47", 2.5), ("Penydarren", "CF47", 2.0), ("Park", "CF47", 1.2), ("Town", "CF47", 2.0),
                       ("Cyfarthfa", "CF48", 1.5), ("Dowlais and Pant", "CF48", 2.0), ("Merthyr Vale", "CF48", 1.5),
                       ("Plymouth", "CF48", 1.0), ("Vaynor", "CF48", 0.5)),
    "Monmouthshire": (("Cantref", "NP7", 0.8), ("Grofield", "NP7", 1.0), ("Lansdown", "NP7", 1.2),
                      ("Castle and Priory", "NP7", 1.0), ("Llanelly Hill", "NP7", 0.8), ("Overmonnow", "NP25", 1.2),
                      ("Drybridge", "NP25", 0.8), ("Usk and Glascoed", "NP15", 0.6), ("Raglan", "NP15", 0.5),
                      ("Chepstow Castle and Larkfield", "NP16", 1.0), ("St Kingsmark", "NP16", 0.8),
                      ("Caldicot Castle", "NP26", 1.2), ("Dewstow", "NP26", 1.0), ("Magor East with Undy", "NP26", 0.8)),
    "Newport": (("Pillgwenlly", "NP20", 3.0), ("Stow Hill", "NP20", 2.0), ("Shaftesbury", "NP20", 1.5), ("Gaer", "NP20", 1.5),
                ("Bettws", "NP20", 1.5), ("Malpas", "NP20", 1.0), ("Victoria", "NP19", 2.5), ("Liswerry", "NP19", 2.0),
                ("Alway", "NP19", 1.5), ("Ringland", "NP19", 1.5), ("St Julians", "NP19", 1.5), ("Beechwood", "NP19", 1.2),
                ("Caerleon", "NP18", 0.7), ("Rogerstone West", "NP10", 0.6), ("Graig", "NP10", 0.6)),
    "Rhondda Cynon Taf": (("Pontypridd Town", "CF37", 1.5), ("Rhydfelen Central", "CF37", 1.5), ("Treforest", "CF37", 1.5),
                          ("Trallwng", "CF37", 0.8), ("Church Village", "CF38", 0.5), ("Porth", "CF39", 1.5),
                          ("Tonyrefail East", "CF39", 1.0), ("Tonypandy", "CF40", 1.5), ("Llwyn-y-pia", "CF40", 1.0),
                          ("Pentre", "CF41", 1.0), ("Treorchy", "CF42", 1.0), ("Treherbert", "CF42", 1.2),
                          ("Ferndale and Maerdy", "CF43", 1.5), ("Tylorstown and Ynyshir", "CF43", 1.5),
                          ("Aberaman", "CF44", 1.5), ("Aberdare East", "CF44", 1.2), ("Cwmbach", "CF44", 1.0),
                          ("Penywaun", "CF44", 1.5), ("Mountain Ash", "CF45", 1.2), ("Penrhiwceiber", "CF45", 1.2),
                          ("Llantrisant and Talbot Green", "CF72", 0.8), ("Pontyclun Central", "CF72", 0.5)),
    "Torfaen": (("Blaenavon", "NP4", 1.2), ("Abersychan", "NP4", 1.2), ("Trevethin and Penygarn", "NP4", 1.5),
                ("Pontypool East", "NP4", 1.2), ("New Inn", "NP4", 0.6), ("Pontnewynydd and Snatchwood", "NP4", 1.0),
                ("St Dials", "NP44", 1.5), ("Fairwater", "NP44", 1.0), ("Greenmeadow", "NP44", 1.0),
                ("Upper Cwmbran", "NP44", 1.2), ("Cwmbran Central", "NP44", 1.5), ("Pontnewydd", "NP44", 1.2),
                ("Llanyrafon", "NP44", 0.7), ("Croesyceiliog", "NP44", 0.7), ("Two Locks", "NP44", 0.8)),
    "Vale of Glamorgan": (("Buttrills", "CF62", 1.5), ("Cadoc", "CF62", 1.5), ("Court", "CF62", 1.5), ("Illtyd", "CF62", 1.0),
                          ("Baruc", "CF62", 1.0), ("Rhoose", "CF62", 0.6), ("Gibbonsdown", "CF63", 1.8),
                          ("Castleland", "CF63", 2.0), ("Dyfan", "CF63", 1.0), ("Cornerswell", "CF64", 0.8),
                          ("St Augustine's", "CF64", 1.0), ("Plymouth", "CF64", 0.6), ("Dinas Powys", "CF64", 0.5),
                          ("Llantwit Major", "CF61", 0.8), ("Cowbridge", "CF71", 0.5)),
}
# Postcode districts of neighbouring councils that turn up in a council's reports.
_NEIGHBOUR_DISTRICTS = {
    "Blaenau Gwent": ("CF81", "NP4", "NP7", "CF48"), "Bridgend": ("CF39", "CF72", "CF71", "SA13"),
    "Caerphilly": ("NP20", "CF14", "CF37", "NP23", "NP44"), "Cardiff": ("CF64", "CF83", "CF72", "NP10"),
    "Merthyr Tydfil": ("CF44", "CF45", "CF81"), "Monmouthshire": ("NP18", "NP4", "NP23", "HR2", "GL16"),
    "Newport": ("NP26", "NP44", "NP11", "CF3"), "Rhondda Cynon Taf": ("CF47", "CF31", "CF83", "CF14"),
    "Torfaen": ("NP7", "NP23", "NP20", "NP11"), "Vale of Glamorgan": ("CF5", "CF11", "CF35", "CF72"),
}
_ROADS = {
    "Blaenau Gwent": ("A465", "A4046", "A4047"), "Bridgend": ("A4063", "A48", "A4061"), "Caerphilly": ("A469", "A472", "A468"),
    "Cardiff": ("A48", "A469", "A4232"), "Merthyr Tydfil": ("A470", "A4102", "A4060"), "Monmouthshire": ("A40", "A466", "A48"),
    "Newport": ("A48", "A4042", "A467"), "Rhondda Cynon Taf": ("A4059", "A4058", "A4119"), "Torfaen": ("A4042", "A4043", "A472"),
    "Vale of Glamorgan": ("A4226", "A48", "A4050"),
}
_STEMS = ("High", "Commercial", "Market", "Church", "Bridge", "Station", "Castle", "Victoria", "Albert", "Mill", "Queen",
          "King", "Windsor", "Clifton", "Richmond", "Oxford", "Brook", "Dock", "Canal", "Chapel", "Union", "Wyndham",
          "Bute", "Talbot", "Salisbury", "Picton", "Tudor", "Morgan", "Glamorgan", "Taff", "Cemetery", "Hanbury",
          "Mount Pleasant", "Tredegar", "Charles", "Frederick", "Pembroke", "Severn", "Beechwood", "Oakfield", "Elm",
          "Cedar", "Meadow", "Orchard", "Railway", "Colliery", "Ironworks", "Forge", "Quarry", "School", "Park",
          "Hill", "Glyn", "Bryn", "Alexandra", "Edward", "Cross", "Greenfield", "Woodland", "Brynhyfryd")
_TYPES = (("Street", 6.0), ("Road", 5.0), ("Terrace", 3.0), ("Avenue", 1.0), ("Lane", 1.0), ("Place", 1.0),
          ("Crescent", 1.0), ("Close", 1.0))
_CY = ("Heol y Nant", "Heol Fawr", "Stryd y Bont", "Heol yr Eglwys", "Ffordd y Parc", "Heol y Felin", "Lôn y Capel",
       "Heol Tŷ Gwyn", "Heol y Graig", "Ffordd Cefn", "Heol Isaf", "Heol Uchaf", "Lôn Las", "Heol y Orsaf",
       "Stryd y Farchnad", "Heol Llwyn Onn", "Ffordd Pen y Bryn", "Heol Cae Mawr")
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"

#: WasteDataFlow land types, with the kinds of place each goes with.
LAND_TYPES: tuple[str, ...] = ("Highway", "Footpath/bridleway", "Back alleyway", "Council land", "Private/residential",
                               "Commercial/industrial", "Watercourse/bank", "Agricultural", "Railway", "Other")
_LAND_P = {  # by kind of place, in the order of LAND_TYPES
    "street": (0.62, 0.08, 0.00, 0.12, 0.12, 0.03, 0.00, 0.00, 0.00, 0.03),
    "lane": (0.05, 0.03, 0.85, 0.02, 0.04, 0.00, 0.00, 0.00, 0.00, 0.01),
    "land": (0.00, 0.15, 0.00, 0.35, 0.10, 0.10, 0.12, 0.10, 0.03, 0.05),
    "layby": (0.92, 0.00, 0.00, 0.03, 0.00, 0.00, 0.00, 0.03, 0.00, 0.02),
}
#: WasteDataFlow waste types, with their shares.
WASTE_TYPES: dict[str, float] = {
    "Other household waste": 0.34, "Black bags - household": 0.22, "White goods": 0.03, "Other electrical": 0.04,
    "Green": 0.06, "Construction/demolition/excavation": 0.08, "Tyres": 0.03, "Black bags - commercial": 0.04,
    "Other commercial waste": 0.05, "Vehicle parts": 0.01, "Asbestos": 0.01, "Clinical": 0.005, "Animal carcass": 0.005,
    "Chemical drums, oil, fuel": 0.005, "Other (unidentified)": 0.055,
}
#: WasteDataFlow size categories, smallest first, with their shares and a typical clearance cost (GBP).
SIZES: dict[str, tuple[float, float]] = {
    "Single black bag": (0.10, 25.0), "Single item": (0.18, 45.0), "Car boot or less": (0.26, 70.0),
    "Small van load": (0.25, 130.0), "Transit van load": (0.14, 220.0), "Tipper lorry load": (0.05, 480.0),
    "Significant/multi loads": (0.02, 1200.0),
}
_REPORTERS = {"Public": 0.55, "Council officer": 0.22, "Councillor": 0.05, "Housing assoc.": 0.07, "Volunteer": 0.05,
              "NRW": 0.02, "Community council": 0.04}
_MONTH = {4: 1.10, 5: 1.15, 6: 1.10, 7: 1.10, 8: 1.15, 9: 1.00, 10: 0.95, 11: 0.85, 12: 0.90, 1: 1.00, 2: 0.85, 3: 1.00}
_WEEKDAY = (1.30, 1.10, 1.00, 1.00, 0.95, 0.80, 0.75)  # Monday first: weekend fly-tips are reported on Monday
_KINDS = (("street", 0.58, 1.0), ("lane", 0.25, 2.5), ("land", 0.11, 1.5), ("layby", 0.06, 2.0))

# Shares of the planted problems.
_NEAR_DUPLICATES = 0.05
_EXACT_DUPLICATES = 0.02
_POSTCODE_PROBLEMS = {"N/A": 0.02, "-": 0.01, "TBC": 0.01, "": 0.02, "NO DATA!": 0.01}
_POSTCODE_FORMAT = 0.08
_OUT_OF_AREA = 0.03
_NO_DATA = {"Ward": 0.03, "Land Type": 0.02, "Waste Type": 0.025, "Size": 0.03}
_DASH_WASTE = 0.01
_NA_SIZE = 0.01
_NOT_KNOWN = 0.03
_BLANK_REPORTER = 0.01
_ZERO_COST = 0.06
_DATE_1900 = 0.01
_CLEARED_BEFORE = 0.015


def _choice(rng: np.random.Generator, options, weights, size: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p / p.sum())]


def _inward(rng: np.random.Generator) -> str:
    return f"{int(rng.integers(1, 10))}{_INWARD[int(rng.integers(len(_INWARD)))]}{_INWARD[int(rng.integers(len(_INWARD)))]}"


def _restyle(text: str, rng: np.random.Generator) -> str:
    """The same place typed by another person: in capitals, in lower case or with a double space."""
    pick = rng.random()
    if pick < 0.4:
        return text.upper()
    if pick < 0.7:
        return text.lower()
    return text.replace(" ", "  ", 1)


def _places(council: Council, rng: np.random.Generator) -> pd.DataFrame:
    """The council's places where fly-tips are reported: fixed whatever the scale."""
    wards = WARDS[council.name]
    n_places = max(40, round(council.population_2021 / 2500))
    ward_w = np.array([w for _, _, w in wards])
    ward_idx = rng.choice(len(wards), size=n_places, p=ward_w / ward_w.sum())
    kinds, kind_p, kind_f = zip(*_KINDS)
    kind = _choice(rng, kinds, kind_p, n_places)
    types, type_w = zip(*_TYPES)
    rows, seen = [], set()
    for i in range(n_places):
        ward, district, weight = wards[ward_idx[i]]
        for _ in range(50):
            if rng.random() < 0.25:
                street = _CY[int(rng.integers(len(_CY)))]
            else:
                street = f"{_STEMS[int(rng.integers(len(_STEMS)))]} {_choice(rng, types, type_w, 1)[0]}"
            k = kind[i]
            if k == "lane":
                location = f"Lane rear of {street}"
            elif k == "land":
                location = f"Land off {street}"
            elif k == "layby":
                location = f"Lay-by, {_ROADS[council.name][int(rng.integers(3))]}"
                if location in seen:
                    location = f"Lay-by near {street}, {_ROADS[council.name][int(rng.integers(3))]}"
            else:
                location = street
            if location not in seen:
                break
        seen.add(location)
        postcodes = [f"{district} {_inward(rng)}" for _ in range(1 + int(rng.random() < 0.35))]
        hot = rng.gamma(0.5, 2.0) * weight * dict(zip(kinds, kind_f))[k]
        rows.append({"ward": ward, "location": location, "kind": k, "postcodes": postcodes, "weight": hot})
    return pd.DataFrame(rows)


def _dates(rng: np.random.Generator, n: int) -> pd.Series:
    days = pd.date_range(PERIOD_START, PERIOD_END, freq="D")
    w = np.array([_MONTH[d.month] * _WEEKDAY[d.dayofweek] for d in days])
    return pd.Series(np.sort(rng.choice(days.to_numpy(), size=n, p=w / w.sum())))


def _fmt_date(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%d/%m/%Y").fillna("")


def generate_with_truth(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Return the council's fly-tipping export with the true incident of each row.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The random stream (the same stream gives the same data).
    scale : float, default 1.0
        Volume multiplier for the number of reports; places stay fixed.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"fly_tipping.csv": frame}``, the frame with :data:`COLUMNS` as text plus
        ``_incident`` (the same number on every report of one fly-tip) and ``_problem``
        (``exact duplicate``, ``near duplicate`` or blank).

    Raises
    ------
    ValueError
        If ``scale`` is not a positive number.
    KeyError
        If ``council`` is not a CCR council.
    """
    scale = _check_scale(scale)
    places = _places(council, rng)
    n = max(10, round(RATE_PER_1000 * council.population_2021 / 1000 * 2 * scale))

    place = rng.choice(len(places), size=n, p=(places["weight"] / places["weight"].sum()).to_numpy())
    chosen = places.iloc[place].reset_index(drop=True)
    reported = _dates(rng, n)
    postcode = pd.Series([pcs[int(rng.integers(len(pcs)))] for pcs in chosen["postcodes"]], dtype=object)
    land = pd.Series([_choice(rng, LAND_TYPES, _LAND_P[k], 1)[0] for k in chosen["kind"]], dtype=object)
    waste = pd.Series(_choice(rng, list(WASTE_TYPES), list(WASTE_TYPES.values()), n))
    size_names = list(SIZES)
    size_idx = rng.choice(len(size_names), size=n, p=np.array([p for p, _ in SIZES.values()]))
    bags = waste.str.startswith("Black bags").to_numpy()
    size_idx = np.where(bags & (rng.random(n) < 0.5), 0, size_idx)
    size = pd.Series(np.asarray(size_names, dtype=object)[size_idx])
    reporter = pd.Series(_choice(rng, list(_REPORTERS), list(_REPORTERS.values()), n))

    landowner = land.isin(["Private/residential", "Commercial/industrial", "Agricultural", "Railway"]).to_numpy() \
        & (rng.random(n) < 0.6)
    lag = rng.geometric(0.35, size=n) - 1 + np.where(size_idx >= 4, rng.integers(0, 6, size=n), 0)
    cleared = reported + pd.to_timedelta(lag, unit="D")
    still_open = (~landowner) & ((cleared > EXPORT_DATE).to_numpy() | (rng.random(n) < 0.01))
    status = np.where(landowner, "Passed to landowner", np.where(still_open, "Open", "Cleared"))
    cleared = cleared.where(status == "Cleared")
    base = np.array([SIZES[s][1] for s in size])
    special = waste.isin(["Asbestos", "Clinical", "Chemical drums, oil, fuel"]).to_numpy()
    cost = np.round(base * rng.lognormal(0.0, 0.25, size=n) * np.where(special, 3.0, 1.0))
    cost_text = pd.Series([f"{c:.0f}" for c in cost], dtype=object).where(status == "Cleared", "")

    # Postcode problems, before second reports copy them.
    draw = rng.random(n)
    edges = np.cumsum([0.0] + list(_POSTCODE_PROBLEMS.values()))
    for (value, _), low, high in zip(_POSTCODE_PROBLEMS.items(), edges[:-1], edges[1:]):
        postcode[(draw >= low) & (draw < high)] = value
    ok = ~postcode.isin(list(_POSTCODE_PROBLEMS))
    outside = ok & (rng.random(n) < _OUT_OF_AREA)
    neighbours = _NEIGHBOUR_DISTRICTS[council.name]
    postcode[outside] = [f"{neighbours[int(rng.integers(len(neighbours)))]} {_inward(rng)}" for _ in range(int(outside.sum()))]
    styled = ok & ~outside & (rng.random(n) < _POSTCODE_FORMAT)
    postcode[styled] = [p.lower() if rng.random() < 0.5 else p.replace(" ", "") for p in postcode[styled]]

    frame = pd.DataFrame({
        "_incident": np.arange(n), "Date Reported": reported, "Date Cleared": cleared, "Ward": chosen["ward"],
        "Location": chosen["location"], "Postcode": postcode, "Land Type": land, "Waste Type": waste, "Size": size,
        "Clearance Cost": cost_text, "Reported By": reporter, "_problem": "",
    })

    # Second reports of the same fly-tip: same place and day, another reporter and reference.
    k = max(2, round(_NEAR_DUPLICATES * n))
    second = frame.iloc[np.sort(rng.choice(n, size=k, replace=False))].copy()
    second["Location"] = [_restyle(t, rng) for t in second["Location"]]
    others = list(_REPORTERS)
    second["Reported By"] = [others[(others.index(r) + 1 + int(rng.integers(len(others) - 1))) % len(others)]
                             for r in second["Reported By"]]
    bump = rng.random(len(second)) < 0.3
    idx = np.array([size_names.index(s) for s in second["Size"]])
    second["Size"] = np.where(bump, np.asarray(size_names, dtype=object)[np.minimum(idx + 1, len(size_names) - 1)],
                              second["Size"].to_numpy())
    second["_problem"] = "near duplicate"
    frame = pd.concat([frame, second], ignore_index=True)
    frame = frame.sort_values(["Date Reported", "_incident", "_problem"], kind="stable").reset_index(drop=True)
    m = len(frame)
    first = int(rng.integers(100_000, 400_000))
    frame.insert(0, "Reference", [f"FT{first + i:06d}" for i in range(m)])

    # Dates that cannot be right.
    cleared_rows = frame["Date Cleared"].notna().to_numpy()
    d = rng.random(m)
    placeholder_date = cleared_rows & (d < _DATE_1900)
    before = cleared_rows & (d >= _DATE_1900) & (d < _DATE_1900 + _CLEARED_BEFORE)
    slip = pd.to_timedelta(rng.integers(1, 40, size=m), unit="D")
    dates_cleared = frame["Date Cleared"].copy()
    dates_cleared[before] = (frame["Date Reported"] - slip)[before]
    dates_cleared[placeholder_date] = pd.Timestamp("1900-01-01")
    frame["Date Cleared"] = dates_cleared

    # Placeholders and gaps.
    for column, share in _NO_DATA.items():
        frame.loc[rng.random(m) < share, column] = "NO DATA!"
    frame.loc[(rng.random(m) < _DASH_WASTE) & (frame["Waste Type"] != "NO DATA!"), "Waste Type"] = "-"
    frame.loc[(rng.random(m) < _NA_SIZE) & (frame["Size"] != "NO DATA!"), "Size"] = "N/A"
    r = rng.random(m)
    frame.loc[r < _NOT_KNOWN, "Reported By"] = "Not known"
    frame.loc[(r >= _NOT_KNOWN) & (r < _NOT_KNOWN + _BLANK_REPORTER), "Reported By"] = ""
    zero = (frame["Clearance Cost"] != "").to_numpy() & (rng.random(m) < _ZERO_COST)
    frame.loc[zero, "Clearance Cost"] = "0"

    # The export writes some rows twice.
    k = max(2, round(_EXACT_DUPLICATES * m))
    twice = frame.iloc[np.sort(rng.choice(m, size=k, replace=False))].copy()
    twice["_problem"] = "exact duplicate"
    frame = pd.concat([frame, twice]).sort_index(kind="stable").reset_index(drop=True)

    frame["Date Reported"] = _fmt_date(frame["Date Reported"])
    frame["Date Cleared"] = _fmt_date(frame["Date Cleared"])
    out = frame[list(COLUMNS) + ["_incident", "_problem"]].copy()
    return {FILES[0]: out}


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Return the council's fly-tipping export (see the module docstring).

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The random stream (the same stream gives the same data).
    scale : float, default 1.0
        Volume multiplier for the number of reports; places stay fixed.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"fly_tipping.csv": frame}`` with the columns :data:`COLUMNS`, all text.

    Raises
    ------
    ValueError
        If ``scale`` is not a positive number.
    """
    frames = generate_with_truth(council, rng, scale)
    return {name: frame.drop(columns=["_incident", "_problem"]) for name, frame in frames.items()}
