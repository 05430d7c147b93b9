"""Demo data for "Premises known to several agencies": a gazetteer and five agency extracts.

For each council the generator builds a local land and property gazetteer (LLPG)
extract of commercial premises, about four per 1,000 residents, with flats above
some shops and units on an industrial estate. Five agencies then hold records
about some of those premises, each typed its own way:

- food safety (Food Hygiene Rating Scheme open data, ratings 0-2 only), address in
  three lines;
- licensing (reviews and complaints), one address line and a postcode that is
  sometimes missing;
- trading standards (complaints), the postcode typed inside the address text;
- fire (South Wales Fire and Rescue audits), address line and town;
- police (South Wales Police or Gwent Police incidents), a location text only.

The structure planted for the learner to find: about 2.5% of premises are known
to three to five agencies with repeated records, a few more to two, a long tail
to one; about 6% of records point at no gazetteer premises (new builds and
addresses outside the council), so a match threshold is needed; neighbouring
numbers on the same street and flats above shops make near-duplicate addresses.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council

__all__ = ["AGENCIES", "FILES", "TOWNS", "generate", "generate_with_truth"]

FILES: tuple[str, ...] = ("food_hygiene.csv", "licensing.csv", "trading_standards.csv", "fire_safety.csv",
                          "police_incidents.csv", "gazetteer.csv")

#: Towns of each council with their postcode districts and a relative share of premises.
TOWNS: dict[str, tuple[tuple[str, tuple[str, ...], float], ...]] = {
    "Blaenau Gwent": (("Ebbw Vale", ("NP23",), 3), ("Tredegar", ("NP22",), 2), ("Abertillery", ("NP13",), 2),
                      ("Brynmawr", ("NP23",), 1)),
    "Bridgend": (("Bridgend", ("CF31", "CF32"), 5), ("Maesteg", ("CF34",), 2), ("Pencoed", ("CF35",), 1),
                 ("Pyle", ("CF33",), 1)),
    "Caerphilly": (("Caerphilly", ("CF83",), 3), ("Blackwood", ("NP12",), 2), ("Ystrad Mynach", ("CF82",), 1),
                   ("Risca", ("NP11",), 1), ("Bargoed", ("CF81",), 1)),
    "Cardiff": (("Cardiff", ("CF3", "CF5", "CF10", "CF11", "CF14", "CF23", "CF24"), 1),),
    "Merthyr Tydfil": (("Merthyr Tydfil", ("CF47", "CF48"), 5), ("Aberfan", ("CF48",), 1),
                       ("Troedyrhiw", ("CF48",), 1)),
    "Monmouthshire": (("Abergavenny", ("NP7",), 3), ("Monmouth", ("NP25",), 2), ("Chepstow", ("NP16",), 2),
                      ("Caldicot", ("NP26",), 2), ("Usk", ("NP15",), 1)),
    "Newport": (("Newport", ("NP10", "NP19", "NP20"), 6), ("Caerleon", ("NP18",), 1)),
    "Rhondda Cynon Taf": (("Pontypridd", ("CF37", "CF38"), 3), ("Aberdare", ("CF44",), 3), ("Tonypandy", ("CF40",), 2),
                          ("Porth", ("CF39",), 1), ("Llantrisant", ("CF72",), 2), ("Mountain Ash", ("CF45",), 1),
                          ("Treorchy", ("CF42",), 1), ("Ferndale", ("CF43",), 1), ("Pentre", ("CF41",), 1)),
    "Torfaen": (("Cwmbran", ("NP44",), 4), ("Pontypool", ("NP4",), 2), ("Blaenavon", ("NP4",), 1)),
    "Vale of Glamorgan": (("Barry", ("CF62", "CF63"), 4), ("Penarth", ("CF64",), 2), ("Llantwit Major", ("CF61",), 1),
                          ("Cowbridge", ("CF71",), 1)),
}
_GWENT = {"Blaenau Gwent", "Caerphilly", "Monmouthshire", "Newport", "Torfaen"}

#: The agencies, in the order of the files.
AGENCIES: tuple[str, ...] = ("Food safety", "Licensing", "Trading standards", "Fire", "Police")

_EN_STEMS = ("High", "Commercial", "Market", "Church", "Bridge", "Station", "Castle", "Victoria", "Albert", "Mill",
             "Queen", "King", "Windsor", "Clifton", "Richmond", "Glebe", "Oxford", "Brook", "Dock", "Canal", "Chapel",
             "Union", "Wyndham", "Bute", "Talbot", "Salisbury", "Picton", "Tudor", "Morgan", "Glamorgan", "Taff",
             "Cemetery", "Hanbury", "Windsor Park", "Mount Pleasant", "Tredegar", "Penylan", "Whitchurch", "Llandaff",
             "Cowbridge", "Caerphilly", "Merthyr", "Newport", "Broadway", "Crwys", "Bridge End", "Charles", "Frederick",
             "Pembroke", "Dumfries", "Severn", "Beechwood", "Oakfield", "Elm", "Cedar", "Meadow", "Orchard", "Railway",
             "Colliery", "Ironworks", "Forge", "Quarry", "School", "Park")
_EN_TYPES = (("Street", 6), ("Road", 5), ("Terrace", 2), ("Avenue", 1), ("Lane", 1), ("Place", 1), ("Parade", 1),
             ("Crescent", 1), ("Square", 0.5))
_CY_TYPES = (("Heol", 4), ("Stryd", 1), ("Ffordd", 1), ("Lôn", 1))
_CY_WORDS = ("y Nant", "Fawr", "Las", "y Bont", "yr Eglwys", "y Castell", "y Parc", "Maes y Coed", "Cae Mawr",
             "y Felin", "Tŷ Gwyn", "Glan y Môr", "y Dderwen", "Pen y Bryn", "Isaf", "Uchaf", "y Capel", "y Farchnad",
             "Gwyn", "Hir", "Newydd", "y Orsaf", "Tir Coch", "y Gamlas", "Dŵr", "y Graig", "Cefn", "Llwyn Onn")
_ESTATES = ("Parc Tŷ Glas", "Parc Hafod", "Cae Mawr", "Nant Garw", "Maes y Coed", "Llwyn Onn", "Heol Ddu", "Glan yr Afon")
_NEW_BUILD = ("Clos y Wern", "Llys Ceirios", "Cwrt y Felin", "Maes yr Ysgol", "Clos Derwen", "Llys Eirlys",
              "Cwrt Tudur", "Clos Bedw", "Llys Onnen", "Cwrt Glyndŵr")
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Premises types: share of the gazetteer, affinity to each agency (food, licensing, trading standards, fire,
# police), and the chance of being one of the premises many agencies know.
_TYPES: dict[str, tuple[float, tuple[float, float, float, float, float], float]] = {
    "takeaway": (0.11, (5, 3, 1, 3, 3), 3.0),
    "convenience": (0.09, (3, 3, 5, 1, 3), 3.0),
    "cafe": (0.07, (5, 0.5, 0.5, 1, 1), 0.5),
    "restaurant": (0.07, (5, 2, 0.5, 2, 1), 1.0),
    "pub": (0.07, (3, 5, 1, 2, 5), 2.0),
    "off_licence": (0.03, (0.5, 5, 4, 1, 4), 3.0),
    "barber": (0.06, (0, 0.5, 1, 1, 1), 1.0),
    "nail_bar": (0.04, (0, 1, 1, 2, 1), 2.5),
    "car_wash": (0.02, (0, 0, 1, 3, 2), 4.0),
    "vape": (0.03, (0, 0, 5, 1, 2), 2.5),
    "massage": (0.02, (0, 2, 0.5, 2, 3), 3.0),
    "garage": (0.04, (0, 0, 3, 2, 1), 0.5),
    "retail": (0.16, (0.2, 0, 3, 1, 2), 0.5),
    "office": (0.09, (0, 0, 0.5, 1, 0.5), 0.0),
    "vacant": (0.05, (0, 0, 0, 1, 2), 0.3),
}
_ON_ESTATE = {"car_wash": 0.6, "garage": 0.6, "retail": 0.1, "office": 0.2, "vacant": 0.2}
_FLAT_SHARE = 0.08  # flats above shops, as a share of all premises

_NAME_WORDS = ("Dragon", "Celtic", "Valley", "Castle", "Taff", "Rhondda", "Golden", "Star", "Royal", "City",
               "Express", "Premier", "Corner", "Village", "Red Kite", "Seren", "Cymru", "Bay", "Central", "Bridge")
_NAMES = {
    "takeaway": ("{w} Kebab House", "{w} Wok", "{w} Pizza", "{w} Fried Chicken", "{w} Fish Bar", "{w} Chippy",
                 "{w} Grill"),
    "convenience": ("{w} Mini Market", "{w} Food & Wine", "{w} Convenience Store", "{w} Stores", "Siop {w}",
                    "{w} Supermarket"),
    "cafe": ("{w} Café", "Caffi {w}", "The {w} Coffee House", "{w} Tea Rooms"),
    "restaurant": ("{w} Tandoori", "{w} Balti House", "{w} Cantonese Restaurant", "Bwyty {w}", "{w} Thai Kitchen"),
    "pub": ("The {w} Arms", "The {w} Inn", "The {w} Hotel", "The Red Lion", "Y Llew Coch", "The Colliers Arms",
            "The Railway Tavern"),
    "off_licence": ("{w} Off Licence", "{w} Wines", "{w} Booze & Tobacco"),
    "barber": ("{w} Barbers", "{w} Turkish Barbers", "Fade {w}", "{w} Cuts"),
    "nail_bar": ("{w} Nails", "{w} Nail Studio", "{w} Nails & Beauty"),
    "car_wash": ("{w} Hand Car Wash", "{w} Valeting", "{w} Hand Car Wash & Valet"),
    "vape": ("{w} Vapes", "{w} Vape Shop", "Vape {w}"),
    "massage": ("{w} Massage", "{w} Spa & Massage", "{w} Beauty & Massage"),
    "garage": ("{w} Motors", "{w} Tyres", "{w} Autos", "{w} MOT Centre"),
    "retail": ("{w} Phones", "{w} Mobile Repairs", "{w} Discount Store", "{w} Hardware", "{w} Pound Plus",
               "{w} Cards & Gifts", "{w} Hair & Beauty"),
    "office": ("{w} Accountants", "{w} Dental Practice", "{w} Estate Agents", "{w} Solicitors", "{w} Insurance"),
}

_FOOD_RATINGS = ("0", "1", "2")
_SPECIAL = ("Special procedures - unlicensed practitioner", "Special procedures - breach of licence conditions",
            "Immigration offences - illegal working")
_LICENSING = ("Review - prevention of crime and disorder", "Review - public safety",
              "Review - protection of children from harm", "Review - prevention of public nuisance",
              "Complaint - noise", "Test purchase failed - sale of alcohol to a child",
              "Breach of licence conditions", "Immigration offences - illegal working", "Closure order")
_TRADING = {
    "tobacco": ("Illicit tobacco", "Underage sales - tobacco and vapes", "Underage sales - alcohol", "Illegal vapes",
                "Counterfeit goods", "Pricing and weights and measures"),
    "food": ("Food standards - allergens", "Pricing and weights and measures", "Misleading descriptions"),
    "goods": ("Counterfeit goods", "Unsafe products", "Misleading descriptions", "Pricing and weights and measures",
              "Illicit tobacco"),
    "services": ("Misleading descriptions", "Unfair trading - services", "Unsafe products"),
}
_TRADING_GROUP = {"convenience": "tobacco", "off_licence": "tobacco", "vape": "tobacco", "takeaway": "food",
                  "cafe": "food", "restaurant": "food", "pub": "food", "retail": "goods", "garage": "goods"}
_FIRE = ("Broadly compliant", "Notification of deficiencies", "Enforcement notice", "Prohibition notice")
_POLICE = ("ASB - nuisance", "ASB - personal", "Drugs", "Violence against the person", "Theft - shoplifting",
           "Criminal damage", "Public order", "Modern slavery concern", "Concern for welfare",
           "Licensing - drunk and disorderly")

_ABBREVIATE = {"Street": ("St", "St.", "ST"), "Road": ("Rd", "Rd.", "RD"), "Avenue": ("Ave", "Av"),
               "Lane": ("Ln",), "Terrace": ("Terr", "Tce"), "Crescent": ("Cres",), "Parade": ("Pde",),
               "Place": ("Pl",), "Square": ("Sq",), "Industrial Estate": ("Ind Est", "Ind. Est.", "Industrial Est")}
_START, _END = pd.Timestamp("2022-01-01"), pd.Timestamp("2025-12-31")
_COLUMNS = {
    "food_hygiene.csv": ("FHRSID", "BusinessName", "AddressLine1", "AddressLine2", "AddressLine3", "PostCode",
                         "RatingValue", "RatingDate"),
    "licensing.csv": ("Licence Number", "Premises Name", "Premises Address", "Postcode", "Review Date", "Review Reason"),
    "trading_standards.csv": ("Case Ref", "Trader Name", "Trader Address", "Date Received", "Complaint Category"),
    "fire_safety.csv": ("Inspection ID", "Premises", "Address Line 1", "Town", "Post Code", "Inspection Date", "Outcome"),
    "police_incidents.csv": ("Incident Number", "Location", "Date/Time", "Incident Type"),
}


def _pick(rng: np.random.Generator, options, weights=None):
    if weights is None:
        return options[int(rng.integers(len(options)))]
    p = np.asarray(weights, dtype=float)
    return options[int(rng.choice(len(options), p=p / p.sum()))]


def _strip_accents(text: str) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


# ---------------------------------------------------------------------------- the gazetteer

def _street_names(rng: np.random.Generator, n: int, town: str) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    en_types, en_w = zip(*_EN_TYPES)
    cy_types, cy_w = zip(*_CY_TYPES)
    tries = 0
    while len(names) < n and tries < 50 * n + 100:
        tries += 1
        if rng.random() < 0.3:
            name = f"{_pick(rng, cy_types, cy_w)} {_pick(rng, _CY_WORDS)}"
        else:
            stem = _pick(rng, _EN_STEMS)
            if stem == town:
                continue
            name = f"{stem} {_pick(rng, en_types, en_w)}"
        if name.upper() not in seen:
            seen.add(name.upper())
            names.append(name)
    return names


class _Postcodes:
    """Hands out postcodes unique within the council."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.used: set[str] = set()

    def new(self, district: str) -> str:
        while True:
            code = (f"{district} {int(self.rng.integers(1, 10))}"
                    f"{_pick(self.rng, _UNIT_LETTERS)}{_pick(self.rng, _UNIT_LETTERS)}")
            if code not in self.used:
                self.used.add(code)
                return code


def _business_name(rng: np.random.Generator, kind: str, town: str, street: str) -> str:
    word = _pick(rng, _NAME_WORDS + (town, street.split()[0]) if not street.startswith(("Heol", "Stryd", "Ffordd", "Lôn"))
                 else _NAME_WORDS + (town,))
    return _pick(rng, _NAMES[kind]).format(w=word)


def _gazetteer(council: Council, rng: np.random.Generator, scale: float, postcodes: _Postcodes) -> list[dict]:
    towns = TOWNS[council.name]
    n_total = max(30, round(council.population_2021 * 4 / 1000 * scale))
    n_flats = round(n_total * _FLAT_SHARE)
    n_business = n_total - n_flats
    kinds = list(_TYPES)
    shares = np.array([_TYPES[k][0] for k in kinds])
    kind_of = [kinds[i] for i in rng.choice(len(kinds), size=n_business, p=shares / shares.sum())]
    town_w = np.array([t[2] for t in towns], dtype=float)
    town_of = rng.choice(len(towns), size=n_business, p=town_w / town_w.sum())
    on_estate = np.array([rng.random() < _ON_ESTATE.get(k, 0.0) for k in kind_of])
    n_lsoa = max(10, round(council.population_2021 / 1600))
    lsoa_base = 1000 + COUNCIL_NAMES.index(council.name) * 300
    lsoas = [f"W01{lsoa_base + i:06d}" for i in range(n_lsoa)]

    rows: list[dict] = []
    for t, (town, districts, _) in enumerate(towns):
        here = [i for i in range(n_business) if town_of[i] == t]
        street_premises = [i for i in here if not on_estate[i]]
        estate_premises = [i for i in here if on_estate[i]]
        n_streets = max(1, int(np.ceil(len(street_premises) / 7)))
        streets = _street_names(rng, n_streets, town)
        assignment = rng.integers(0, len(streets), size=len(street_premises))
        for s, street in enumerate(streets):
            members = [street_premises[j] for j in np.flatnonzero(assignment == s)]
            if not members:
                continue
            district = _pick(rng, districts)
            codes = [postcodes.new(district)]
            if len(members) > 8:
                codes.append(postcodes.new(district))
            lsoa = _pick(rng, lsoas)
            number = int(rng.integers(1, 40))
            for j, i in enumerate(members):
                number += int(_pick(rng, (1, 2, 2, 2, 3)))
                code = codes[0] if j < (len(members) + 1) // 2 or len(codes) == 1 else codes[1]
                rows.append({"kind": kind_of[i], "sub": None, "number": str(number), "street": street, "town": town,
                             "postcode": code, "lsoa": lsoa})
        if estate_premises:
            estate = f"{_pick(rng, _ESTATES)} Industrial Estate"
            code, lsoa = postcodes.new(_pick(rng, districts)), _pick(rng, lsoas)
            for j, i in enumerate(estate_premises):
                rows.append({"kind": kind_of[i], "sub": f"Unit {j + 1}", "number": None, "street": estate,
                             "town": town, "postcode": code, "lsoa": lsoa})
    # Flats above shops: same building number, own UPRN, no organisation.
    shops = [r for r in rows if r["sub"] is None and r["kind"] in ("takeaway", "convenience", "off_licence", "barber",
                                                                   "nail_bar", "retail", "vape", "massage", "cafe")]
    flats: list[dict] = []
    while len(flats) < n_flats and shops:
        shop = shops[int(rng.integers(len(shops)))]
        shops = [s for s in shops if s is not shop]
        for k in range(1, int(_pick(rng, (1, 2, 2, 3))) + 1):
            if len(flats) < n_flats:
                flats.append({**shop, "kind": "flat", "sub": f"Flat {k}"})
    rows.extend(flats)
    for r in rows:
        if r["kind"] in ("vacant", "flat"):
            r["organisation"] = None
        else:
            r["organisation"] = _business_name(rng, r["kind"], r["town"], r["street"])
    index = COUNCIL_NAMES.index(council.name)
    gaps = rng.integers(1, 400, size=len(rows))
    old = 100_100_000_000 + index * 10_000_000 + np.cumsum(gaps)
    new = 10_090_000_000 + index * 10_000_000 + np.cumsum(gaps)
    is_new = rng.random(len(rows)) < 0.15
    uprns = np.where(is_new, new, old)
    order = rng.permutation(len(rows))
    for r, u in zip((rows[o] for o in order), uprns):
        r["uprn"] = int(u)
    for r in rows:
        r["address"] = _clean_address(r)
    return sorted(rows, key=lambda r: r["uprn"])


def _clean_address(r: dict) -> str:
    if r["number"] is None:
        return f"{r['sub']}, {r['street']}, {r['town']}"
    first = f"{r['sub']}, " if r["sub"] else ""
    return f"{first}{r['number']} {r['street']}, {r['town']}"


# ---------------------------------------------------------------------------- messy addresses

def _typo(rng: np.random.Generator, text: str) -> str:
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return text
    i = long[int(rng.integers(len(long)))]
    w = words[i]
    p = int(rng.integers(1, len(w) - 1))
    how = int(rng.integers(3))
    if how == 0:
        w = w[:p] + w[p + 1] + w[p] + w[p + 2:]
    elif how == 1:
        w = w[:p] + w[p + 1:]
    else:
        w = w[:p] + w[p] + w[p:]
    words[i] = w
    return " ".join(words)


def _abbreviate(rng: np.random.Generator, street: str) -> str:
    for full, short in _ABBREVIATE.items():
        if street.endswith(full):
            return street[: -len(full)] + _pick(rng, short)
    return street


def _sub(rng: np.random.Generator, sub: str | None, hard: float) -> str | None:
    if sub is None:
        return None
    kind, number = sub.split(" ")
    if kind == "Flat":
        if number == "1" and rng.random() < hard:
            return "First Floor Flat"
        return _pick(rng, (f"Flat {number}", f"Flt {number}", f"Flat{number}", f"FLAT {number}"), (4, 2, 1, 1))
    return _pick(rng, (f"Unit {number}", f"U{number}", f"Unit{number}", f"U {number}"), (4, 2, 1, 1))


def _messy_parts(rng: np.random.Generator, r: dict, *, abbreviate: float, typo: float, accents: float,
                 hard_flat: float = 0.1) -> tuple[str, str]:
    """Return (first line, town) of a premises as one agency might type it."""
    street = r["street"]
    if rng.random() < abbreviate:
        street = _abbreviate(rng, street)
    if rng.random() < typo:
        street = _typo(rng, street)
    sub = _sub(rng, r["sub"], hard_flat)
    if r["number"] is None:
        line = f"{sub}, {street}" if rng.random() < 0.7 else f"{sub} {street}"
    else:
        number = r["number"]
        if rng.random() < 0.1:
            number = f"{number},"  # "23, High Street"
        head = f"{number} {street}"
        line = head if sub is None else (f"{sub}, {head}" if rng.random() < 0.6 else f"{sub} {head}")
    town = r["town"]
    if rng.random() < accents:
        line, town = _strip_accents(line), _strip_accents(town)
    return line, town


def _case(rng: np.random.Generator, text: str, upper: float, lower: float = 0.03) -> str:
    u = rng.random()
    if u < upper:
        return text.upper()
    if u < upper + lower:
        return text.lower()
    return text


def _messy_postcode(rng: np.random.Generator, code: str, messy: float) -> str:
    if rng.random() >= messy:
        return code
    return _pick(rng, (code.replace(" ", ""), code.lower(), code.replace(" ", "  ")))


def _join(rng: np.random.Generator, line: str, town: str, *, no_comma: float = 0.15) -> str:
    u = rng.random()
    if u < no_comma:
        return f"{line} {town}"
    if u < no_comma + 0.05:
        return f"{line},, {town}"
    return f"{line}, {town}"


# ---------------------------------------------------------------------------- who knows whom

def _known(rng: np.random.Generator, premises: list[dict]) -> list[tuple[int, int, int]]:
    """Return (premises row, agency, number of records) for every premises-agency pair with records."""
    n = len(premises)
    kinds = [p["kind"] for p in premises]
    affinity = np.array([_TYPES[k][1] if k != "flat" else (0, 0, 0, 4, 3) for k in kinds], dtype=float)
    risk = np.array([_TYPES[k][2] if k != "flat" else 1.5 for k in kinds], dtype=float)
    able = (affinity > 0).sum(axis=1)
    n_hot = max(3, round(0.025 * n))
    n_mid = round(0.08 * n)
    n_tail = round(0.33 * n)
    hot_p = np.where(able >= 3, risk, 0.0)
    hot = rng.choice(n, size=n_hot, replace=False, p=hot_p / hot_p.sum())
    rest = np.setdiff1d(np.arange(n), hot)
    mid_p = np.where(able[rest] >= 2, 0.5 + risk[rest], 0.0)
    mid = rng.choice(rest, size=min(n_mid, int((mid_p > 0).sum())), replace=False, p=mid_p / mid_p.sum())
    rest = np.setdiff1d(rest, mid)
    tail_p = np.where(able[rest] >= 1, 1.0 + 0.3 * risk[rest], 0.0)
    tail = rng.choice(rest, size=min(n_tail, int((tail_p > 0).sum())), replace=False, p=tail_p / tail_p.sum())
    pairs: list[tuple[int, int, int]] = []
    for group, how_many in ((hot, None), (mid, 2), (tail, 1)):
        for row in group:
            w = affinity[row]
            k = how_many or int(_pick(rng, (3, 4, 5), (0.45, 0.35, 0.2)))
            k = min(k, int((w > 0).sum()))
            agencies = rng.choice(5, size=k, replace=False, p=w / w.sum())
            for a in sorted(int(x) for x in agencies):
                if how_many is None:
                    count = int(rng.integers(3, 9)) if a == 4 else int(_pick(rng, (1, 2, 2, 3)))
                    if a == 0:
                        count = min(count, 2)
                elif how_many == 2:
                    count = int(_pick(rng, (1, 1, 2)))
                else:
                    count = int(_pick(rng, (1, 1, 1, 1, 2)))
                pairs.append((int(row), a, count))
    return pairs


def _dates(rng: np.random.Generator, n: int) -> list[pd.Timestamp]:
    days = (_END - _START).days
    return [_START + pd.Timedelta(days=int(d)) for d in rng.integers(0, days + 1, size=n)]


def _stray(rng: np.random.Generator, council: Council, postcodes: _Postcodes) -> dict:
    """A premises the gazetteer does not hold: a new build here or an address in another council."""
    if rng.random() < 0.5:
        town, districts, _ = _pick(rng, TOWNS[council.name])
        street = _pick(rng, _NEW_BUILD)
    else:
        others = [c for c in COUNCIL_NAMES if c != council.name]
        town, districts, _ = _pick(rng, TOWNS[_pick(rng, others)])
        street = _street_names(rng, 1, town)[0]
    code = postcodes.new(_pick(rng, districts))
    kind = _pick(rng, ("takeaway", "convenience", "car_wash", "vape", "retail", "pub"))
    r = {"kind": kind, "sub": None, "number": str(int(rng.integers(1, 80))), "street": street, "town": town,
         "postcode": code}
    r["organisation"] = _business_name(rng, kind, town, street)
    return r


# ---------------------------------------------------------------------------- the agencies' files

def _premises_name(rng: np.random.Generator, r: dict, agency: int) -> str | None:
    if r["kind"] == "flat":
        above = r["above"]["organisation"]
        return f"Flats above {above}" if agency == 3 else None
    if r["organisation"] is None:
        return "Vacant unit" if agency == 3 else None
    name = r["organisation"]
    u = rng.random()
    if u < 0.15:
        name = name.upper()
    elif u < 0.2:
        name = f"{name} Ltd"
    elif u < 0.23:
        name = f"{name.replace('The ', '')}"
    return name


def _food(rng, items) -> pd.DataFrame:
    rows = []
    ids = rng.choice(np.arange(1_000_000, 1_900_000), size=len(items), replace=False)
    for (r, date, hot), fid in zip(items, ids):
        line, town = _messy_parts(rng, r, abbreviate=0.2, typo=0.05, accents=0.3)
        if r["number"] is None:
            sub, _, rest = line.partition(", ") if ", " in line else (line, "", "")
            lines = (sub, rest, town) if rest else (line, town, "")
        else:
            lines = (line, town, "")
        code = "" if rng.random() < 0.04 else _messy_postcode(rng, r["postcode"], 0.05)
        rating = _pick(rng, _FOOD_RATINGS, (0.3, 0.4, 0.3) if hot else (0.1, 0.35, 0.55))
        rows.append({"FHRSID": str(int(fid)), "BusinessName": _premises_name(rng, r, 0) or "",
                     "AddressLine1": lines[0], "AddressLine2": lines[1], "AddressLine3": lines[2], "PostCode": code,
                     "RatingValue": rating, "RatingDate": date.strftime("%Y-%m-%d"), "_date": date, "_uprn": r.get("uprn")})
    return pd.DataFrame(rows)


def _licensing(rng, items) -> pd.DataFrame:
    rows, licences = [], {}
    for r, date, hot in items:
        key = id(r)
        if key not in licences:
            licences[key] = f"PREM/{int(rng.integers(2005, 2022)) % 100:02d}/{len(licences) + 101:04d}"
        line, town = _messy_parts(rng, r, abbreviate=0.3, typo=0.08, accents=0.5)
        address = _case(rng, _join(rng, line, town), upper=0.5)
        code = "" if rng.random() < 0.12 else _messy_postcode(rng, r["postcode"], 0.1)
        if r["kind"] in ("massage", "nail_bar", "barber"):
            reason = _pick(rng, _SPECIAL, (2, 2, 1.5) if hot else (2, 3, 0.3))
        else:
            reason = _pick(rng, _LICENSING, (3, 1, 2, 2, 2, 2, 2, 1, 0.5) if hot else (1, 1, 1, 2, 4, 1, 2, 0.2, 0.1))
        rows.append({"Licence Number": licences[key], "Premises Name": _premises_name(rng, r, 1) or "",
                     "Premises Address": address, "Postcode": code, "Review Date": date.strftime("%d/%m/%Y"),
                     "Review Reason": reason, "_date": date, "_uprn": r.get("uprn")})
    return pd.DataFrame(rows)


def _trading(rng, items) -> pd.DataFrame:
    rows = []
    numbers = rng.choice(np.arange(100, 9999), size=len(items), replace=False)
    for (r, date, hot), num in zip(items, numbers):
        line, town = _messy_parts(rng, r, abbreviate=0.4, typo=0.1, accents=0.5)
        address = _join(rng, line, town, no_comma=0.25)
        if rng.random() < 0.85:
            address = f"{address}{_pick(rng, (' ', ', '))}{_messy_postcode(rng, r['postcode'], 0.3)}"
        address = _case(rng, address, upper=0.3)
        options = _TRADING[_TRADING_GROUP.get(r["kind"], "services")]
        weights = np.linspace(3 if hot else 1.5, 1, len(options))
        category = _pick(rng, options, weights)
        rows.append({"Case Ref": f"TS/{date:%y}/{int(num):05d}", "Trader Name": _premises_name(rng, r, 2) or "",
                     "Trader Address": address, "Date Received": date.strftime("%d/%m/%Y"),
                     "Complaint Category": category, "_date": date, "_uprn": r.get("uprn")})
    return pd.DataFrame(rows)


def _fire(rng, items) -> pd.DataFrame:
    rows = []
    numbers = rng.choice(np.arange(10_000, 99_999), size=len(items), replace=False)
    for (r, date, hot), num in zip(items, numbers):
        line, town = _messy_parts(rng, r, abbreviate=0.3, typo=0.05, accents=0.4)
        code = "" if rng.random() < 0.08 else _messy_postcode(rng, r["postcode"], 0.05)
        outcome = _pick(rng, _FIRE, (1, 3, 3, 1.5) if hot else (5, 3, 1, 0.2))
        rows.append({"Inspection ID": f"SWFRS-FSA-{int(num)}", "Premises": _premises_name(rng, r, 3) or "",
                     "Address Line 1": _case(rng, line, upper=0.2), "Town": _case(rng, town, upper=0.2),
                     "Post Code": code, "Inspection Date": date.strftime("%d-%b-%Y"), "Outcome": outcome, "_date": date, "_uprn": r.get("uprn")})
    return pd.DataFrame(rows)


def _police(rng, items, force: str) -> pd.DataFrame:
    rows = []
    numbers = rng.choice(np.arange(100_000, 999_999), size=len(items), replace=False)
    for (r, date, hot), num in zip(items, numbers):
        line, town = _messy_parts(rng, r, abbreviate=0.6, typo=0.1, accents=0.8)
        location = _join(rng, line, town, no_comma=0.3)
        if rng.random() < 0.12:
            location = f"{_pick(rng, ('O/S', 'OUTSIDE', 'REAR OF', 'NEAR'))} {location}"
        minutes = int(rng.integers(0, 24 * 60))
        when = date + pd.Timedelta(minutes=minutes)
        kind = _pick(rng, _POLICE, (3, 2, 3, 2, 1, 1, 2, 0.5, 1, 1) if hot else (3, 2, 1, 1, 3, 2, 1, 0.1, 1, 1))
        rows.append({"Incident Number": f"{force}-{when:%y%m%d}-{int(num)}", "Location": location.upper(),
                     "Date/Time": when.strftime("%d/%m/%Y %H:%M"), "Incident Type": kind, "_date": when, "_uprn": r.get("uprn")})
    return pd.DataFrame(rows)


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate one council's gazetteer and agency extracts.

    Parameters
    ----------
    council : curriculum.councils.Council
        The council (its population sets the number of premises).
    rng : numpy.random.Generator
        The only source of randomness: the same generator state gives the same files.
    scale : float, default 1.0
        Volume multiplier: premises and records grow in proportion.

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per name in :data:`FILES`, with the published column names of
        ``datasets/demo/mapping.yaml`` and every value as text.

    Raises
    ------
    ValueError
        If ``scale`` is not positive or ``council`` is not a CCR council.
    """
    frames = generate_with_truth(council, rng, scale)
    return {file: frame.drop(columns="_uprn", errors="ignore") for file, frame in frames.items()}


def generate_with_truth(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate the same files as :func:`generate`, each agency extract with the truth attached.

    For checking a matching method (in tests, or by a trainer): each agency frame
    has an extra column ``_uprn``, the UPRN of the premises the record is about,
    or ``None`` for records about premises the gazetteer does not hold.

    Parameters
    ----------
    council : curriculum.councils.Council
        The council (its population sets the number of premises).
    rng : numpy.random.Generator
        The only source of randomness: the same generator state gives the same files.
    scale : float, default 1.0
        Volume multiplier: premises and records grow in proportion.

    Returns
    -------
    dict of str to pandas.DataFrame
        The frames of :func:`generate`; the five agency frames carry the extra column ``_uprn``.

    Raises
    ------
    ValueError
        If ``scale`` is not positive or ``council`` is not a CCR council.
    """
    if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    if getattr(council, "name", None) not in TOWNS:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    postcodes = _Postcodes(rng)
    premises = _gazetteer(council, rng, scale, postcodes)
    for p in premises:  # flats keep a link to the shop below for the fire service's premises name
        if p["kind"] == "flat":
            p["above"] = {"organisation": next((q["organisation"] for q in premises
                                                if q["sub"] is None and q["number"] == p["number"]
                                                and q["street"] == p["street"] and q["town"] == p["town"]), None)
                          or "shop"}
    pairs = _known(rng, premises)
    agencies_at = Counter(row for row, _, _ in pairs)
    hot_rows = {row for row, n in agencies_at.items() if n >= 3}
    items: list[list[tuple[dict, pd.Timestamp, bool]]] = [[] for _ in AGENCIES]
    for row, agency, count in pairs:
        for date in _dates(rng, count):
            items[agency].append((premises[row], date, row in hot_rows))
    n_records = sum(len(i) for i in items)
    for _ in range(round(0.065 * n_records)):
        agency = int(_pick(rng, (0, 1, 2, 3, 4), (2, 1.5, 2, 1, 3)))
        items[agency].append((_stray(rng, council, postcodes), _dates(rng, 1)[0], False))
    force = "GP" if council.name in _GWENT else "SWP"
    frames = [_food(rng, items[0]), _licensing(rng, items[1]), _trading(rng, items[2]), _fire(rng, items[3]),
              _police(rng, items[4], force)]
    out: dict[str, pd.DataFrame] = {}
    for file, frame in zip(FILES, frames):
        frame = frame.reindex(columns=[*_COLUMNS[file], "_date", "_uprn"])
        out[file] = frame.sort_values("_date", kind="stable").drop(columns="_date").reset_index(drop=True)
    gazetteer = pd.DataFrame({
        "UPRN": [str(p["uprn"]) for p in premises],
        "Organisation Name": [p["organisation"] or "" for p in premises],
        "Address": [p["address"] for p in premises],
        "Postcode": [p["postcode"] for p in premises],
        "LSOA Code": [p["lsoa"] for p in premises],
    })
    out["gazetteer.csv"] = gazetteer
    return out
