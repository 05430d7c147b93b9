"""Demo schools: a census extract joined to a hands-up travel-to-school survey.

One row per maintained primary and secondary school of a council, in the layout of a
school census extract (Welsh Government school number: the local authority's code and
four digits, primaries 2xxx and secondaries 4xxx), with the free school meals
percentage and the baseline of a hands-up survey: pupils asked on the day and how many
walked, cycled or scooted.

The survey counts carry a school-level random effect (an intra-cluster correlation of
about 0.05 to 0.10), lower rates at secondary and rural schools and somewhat higher
rates where more pupils are eligible for free school meals (fewer families own a car).
Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council

__all__ = ["FILES", "COLUMNS", "LA_CODES", "generate", "school_counts"]

FILES: tuple[str, ...] = ("schools.csv",)
COLUMNS: tuple[str, ...] = ("School Number", "School Name", "Sector", "Pupils on Roll", "FSM Percentage",
                            "Pupils Surveyed", "Walk Cycle Scoot")

# Welsh Government local authority codes used in school numbers.
LA_CODES: dict[str, int] = {
    "Bridgend": 672, "Vale of Glamorgan": 673, "Rhondda Cynon Taf": 674, "Merthyr Tydfil": 675,
    "Caerphilly": 676, "Blaenau Gwent": 677, "Torfaen": 678, "Monmouthshire": 679, "Newport": 680,
    "Cardiff": 681,
}

_PUPILS_PER_PRIMARY = 3_300    # residents per primary school
_PUPILS_PER_SECONDARY = 18_000  # residents per secondary school

# fsm: (mean, sd) of the free school meals percentage; welsh: share of Welsh-medium
# schools; rural: share of rural schools; lift: council effect on the log-odds of
# active travel (dense cities walk more, steep valleys and lanes less).
_PROFILES: dict[str, dict] = {
    "Blaenau Gwent": dict(fsm=(29, 7), welsh=0.10, rural=0.10, lift=-0.10, welsh_words=["Ebwy", "Tyleri", "Sirhywi", "Helyg", "Blaenau"],
                          places=["Ebbw Vale", "Tredegar", "Abertillery", "Brynmawr", "Blaina", "Nantyglo", "Cwm", "Llanhilleth",
                                  "Beaufort", "Rassau", "Georgetown", "Sofrydd", "Six Bells", "Cwmtillery", "Glyncoed",
                                  "Willowtown", "Waunlwyd", "Deighton", "Coed-y-Garn", "Ystruth", "Sirhowy", "Briery Hill"]),
    "Bridgend": dict(fsm=(21, 7), welsh=0.14, rural=0.20, lift=0.0, welsh_words=["Ogwr", "Llynfi", "Garw", "Cynffig", "Menai"],
                     places=["Bridgend", "Maesteg", "Porthcawl", "Pencoed", "Brackla", "Coity", "Pyle", "Kenfig Hill",
                             "Cefn Cribwr", "Tondu", "Aberkenfig", "Sarn", "Bryntirion", "Cefn Glas", "Litchard", "Llangynwyd",
                             "Caerau", "Nantyffyllon", "Ogmore Vale", "Nantymoel", "Blaengarw", "Pontycymer", "Betws",
                             "Cornelly", "Newton", "Nottage", "Laleston", "Penyfai", "Oldcastle", "Tremains", "Croesty"]),
    "Caerphilly": dict(fsm=(24, 7), welsh=0.18, rural=0.15, lift=-0.05, welsh_words=["Rhymni", "Sirhywi", "Cwm Derwen", "Caerffili", "Ifor"],
                       places=["Caerphilly", "Blackwood", "Ystrad Mynach", "Risca", "Bargoed", "Newbridge", "Rhymney",
                               "Abertysswg", "Aberbargoed", "Penpedairheol", "Cefn Fforest", "Pontllanfraith", "Oakdale",
                               "Crumlin", "Abercarn", "Cwmcarn", "Crosskeys", "Pontywaun", "Machen", "Bedwas", "Trethomas",
                               "Llanbradach", "Penyrheol", "Senghenydd", "Abertridwr", "Nelson", "Hengoed", "Gelligaer",
                               "Tir-y-berth", "Markham", "Fleur-de-Lys", "Cwmfelinfach", "Ynysddu", "Hollybush", "Argoed",
                               "Deri", "Phillipstown", "Maesycwmmer"]),
    "Cardiff": dict(fsm=(22, 11), welsh=0.17, rural=0.03, lift=0.15, welsh_words=["Taf", "Elái", "Rhymni", "Treganna", "Pen y Groes"],
                    places=["Llandaff", "Canton", "Riverside", "Grangetown", "Butetown", "Splott", "Adamsdown", "Roath",
                            "Cathays", "Heath", "Llanishen", "Lisvane", "Rhiwbina", "Whitchurch", "Llandaff North", "Gabalfa",
                            "Ely", "Caerau", "Fairwater", "Radyr", "Danescourt", "Pentyrch", "Creigiau", "Llanrumney",
                            "Rumney", "Trowbridge", "St Mellons", "Pentwyn", "Llanedeyrn", "Pontprennau", "Cyncoed",
                            "Penylan", "Tremorfa", "Pengam Green", "Thornhill", "Coryton", "Tongwynlais", "Birchgrove",
                            "Ninian Park", "Victoria Park", "Pontcanna", "Marlborough", "Howardian", "Moorland",
                            "Kitchener", "Lansdowne", "Severn", "Albany", "Stacey", "Baden Powell", "Meadowlane",
                            "Glan yr Afon", "Windsor Clive", "Herbert Thompson", "Oakfield", "Peter Lea", "Springwood",
                            "Bryn Hafod", "Millbank", "Hywel Dda", "Allensbank", "Gladstone", "Ton-yr-Ywen", "Coed Glas"]),
    "Merthyr Tydfil": dict(fsm=(28, 7), welsh=0.12, rural=0.10, lift=-0.10, welsh_words=["Taf", "Tudful", "Rhyd y Grug", "Santes Tudful", "Cyfarthfa"],
                           places=["Dowlais", "Pant", "Penydarren", "Gurnos", "Twynyrodyn", "Troedyrhiw", "Aberfan",
                                   "Treharris", "Trelewis", "Quakers Yard", "Bedlinog", "Cyfarthfa", "Heolgerrig", "Abercanaid",
                                   "Pentrebach", "Georgetown", "Goetre", "Galon Uchaf", "Caedraw", "Edwardsville", "Vaynor",
                                   "Merthyr Vale", "Ynysowen", "Afon Taf"]),
    "Monmouthshire": dict(fsm=(11, 5), welsh=0.08, rural=0.45, lift=-0.20, welsh_words=["Y Fenni", "Wysg", "Gwy", "Trefynwy", "Cas-gwent"],
                          places=["Abergavenny", "Monmouth", "Chepstow", "Caldicot", "Usk", "Raglan", "Magor", "Undy", "Rogiet",
                                  "Portskewett", "Llanfoist", "Gilwern", "Govilon", "Llanvihangel Crucorney", "Cross Ash",
                                  "Trellech", "Shirenewton", "Thornwell", "Osbaston", "Overmonnow", "Cantref", "Deri View",
                                  "Durand", "Dewstow", "Castle Park", "Llantilio Pertholey", "Goytre", "Pembroke", "Kymin View"]),
    "Newport": dict(fsm=(24, 9), welsh=0.10, rural=0.08, lift=0.05, welsh_words=["Casnewydd", "Wysg", "Gwent Is Coed", "Ifor Hael", "Bro Teyrnon"],
                    places=["Caerleon", "Bassaleg", "Rogerstone", "Malpas", "Bettws", "Maindee", "Pillgwenlly", "Alway",
                            "Ringland", "Lliswerry", "St Julians", "Maesglas", "Gaer", "Duffryn", "Marshfield", "Langstone",
                            "Llanmartin", "Millbrook", "Glasllwch", "Clytha", "Crindau", "Eveswell", "Somerton", "Pentrepoeth",
                            "High Cross", "Glan Usk", "Tredegar Park", "Ridgeway", "Jubilee Park", "Monnow", "Charles Williams",
                            "Caerleon Lodge Hill", "Milton", "Llanwern", "Lliswerry Park"]),
    "Rhondda Cynon Taf": dict(fsm=(25, 8), welsh=0.22, rural=0.15, lift=-0.05, welsh_words=["Rhondda", "Cynon", "Taf", "Llanhari", "Garth Olwg"],
                              places=["Pontypridd", "Aberdare", "Tonypandy", "Porth", "Llantrisant", "Treorchy", "Tonyrefail",
                                      "Mountain Ash", "Ferndale", "Tylorstown", "Maerdy", "Ynyshir", "Trehafod", "Hawthorn",
                                      "Rhydyfelin", "Cilfynydd", "Church Village", "Llanharan", "Llanharry", "Talbot Green",
                                      "Beddau", "Pontyclun", "Treherbert", "Ton Pentre", "Pentre", "Ystrad", "Gelli", "Llwynypia",
                                      "Penygraig", "Trealaw", "Williamstown", "Abercynon", "Ynysybwl", "Penrhiwceiber",
                                      "Hirwaun", "Penywaun", "Cwmbach", "Aberaman", "Abernant", "Llwydcoed", "Trecynon",
                                      "Tonteg", "Taffs Well", "Gilfach Goch", "Cymmer", "Blaenllechau", "Trallwng"]),
    "Torfaen": dict(fsm=(22, 7), welsh=0.10, rural=0.10, lift=0.0, welsh_words=["Torfaen", "Lwyd", "Gwynllyw", "Panteg", "Cwmbrân"],
                    places=["Pontypool", "Cwmbran", "Blaenavon", "Griffithstown", "Sebastopol", "New Inn", "Abersychan",
                            "Garndiffaith", "Talywain", "Trevethin", "Penygarn", "Llanyravon", "Fairwater", "Croesyceiliog",
                            "Greenmeadow", "Coed Eva", "Henllys", "Oakfield", "Llantarnam", "Pontnewydd", "Thornhill",
                            "Ponthir", "Cwmffrwdoer", "George Street", "Nant Celyn"]),
    "Vale of Glamorgan": dict(fsm=(15, 7), welsh=0.15, rural=0.35, lift=0.0, welsh_words=["Morgannwg", "Dewi Sant", "Sant Baruc", "Nant Talwg", "Iolo"],
                              places=["Barry", "Penarth", "Llantwit Major", "Cowbridge", "Dinas Powys", "Rhoose", "Sully",
                                      "St Athan", "Wenvoe", "Peterston-super-Ely", "St Nicholas", "Llandough", "Cadoxton",
                                      "Gladstone", "Holton", "Romilly", "Palmerston", "Colcot", "Oak Field", "Jenner Park",
                                      "Llancarfan", "Llandow", "Ystradowen", "Pendoylan", "St Brides Major", "Ewenny",
                                      "Llysworney", "Evenlode", "Victoria", "Stanwell", "Fairfield", "Cogan", "Albert"]),
}

_SAINTS = ["Mary's", "David's", "Joseph's", "Illtyd's", "Teilo's", "Cadoc's", "Helen's", "Patrick's", "Peter's",
           "Paul's", "Monica's", "Bernadette's", "Alban's", "Michael's", "Andrew's", "Fagan's", "Francis'",
           "Gwladys'", "Woolos'", "John Lloyd's", "Julius and Aaron's", "Mellons'"]
_WELSH_PREFIX = ["Bro", "Glan", "Cwm", "Pen y Bryn", "Nant", "Coed", "Bryn", "Pont", "Tir", "Llwyn", "Maes", "Rhyd",
                 "Gwaun", "Tŷ", "Castell", "Heol"]
_WELSH_NOUN = ["Derwen", "Onnen", "Celyn", "Bedw", "Wern", "Afon", "Eglwys", "Hafod", "Garth", "Gwenllian", "Dewi",
               "Teilo", "Illtud", "Cadog", "Y Cwm", "Y Ddraig", "Seren", "Morlais", "Aur", "Gwyn"]


def school_counts(council: Council, scale: float = 1.0) -> tuple[int, int]:
    """Return how many primary and secondary schools the council's demo file holds.

    Parameters
    ----------
    council : Council
        The council; its Census 2021 population sets the numbers.
    scale : float, default 1.0
        Volume multiplier (positive).

    Returns
    -------
    tuple of (int, int)
        Primaries (about one per 3,300 residents) and secondaries (one per 18,000),
        at least one of each.

    Raises
    ------
    ValueError
        If ``scale`` is not a positive number.
    """
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    people = council.population_2021 * float(scale)
    return max(1, round(people / _PUPILS_PER_PRIMARY)), max(1, round(people / _PUPILS_PER_SECONDARY))


def _numbers(rng: np.random.Generator, la: int, first: str, n: int) -> list[str]:
    """School numbers: LA code, the phase digit and distinct digits (three while they fit)."""
    width = max(3, len(str(n - 1)))
    picks = np.sort(rng.choice(10**width, size=n, replace=False))
    return [f"{la}{first}{k:0{width}d}" for k in picks]


def _unique_names(rng: np.random.Generator, pool: list[tuple[str, float]], n: int) -> list[str]:
    """Draw ``n`` distinct names from a weighted pool; add a site number once it runs out."""
    names, weights = zip(*dict(pool).items()) if pool else ((), ())
    weights = np.asarray(weights, dtype=float)
    take = min(n, len(names))
    picked = [names[i] for i in rng.choice(len(names), size=take, replace=False, p=weights / weights.sum())]
    site = 2
    while len(picked) < n:
        picked += [f"{name} (site {site})" for name in names[: n - len(picked)]]
        site += 1
    return picked


def _name_pools(profile: dict) -> dict[tuple[str, bool], list[tuple[str, float]]]:
    places, words = profile["places"], profile["welsh_words"]
    compounds = [f"{p} {w}" for p in _WELSH_PREFIX for w in words + _WELSH_NOUN[:8]]
    english_primary = ([(f"{p} Primary School", 6.0) for p in places] + [(f"{p} Community Primary School", 1.5) for p in places]
                       + [(f"{p} Infants School", 0.7) for p in places] + [(f"{p} Junior School", 0.7) for p in places]
                       + [(f"St {s} Church in Wales Primary School", 0.8) for s in _SAINTS]
                       + [(f"St {s} R.C. Primary School", 0.8) for s in _SAINTS])
    welsh_primary = ([(f"Ysgol Gynradd Gymraeg {p}", 1.0) for p in places]
                     + [(f"Ysgol {c}", 2.0) for c in compounds] + [(f"Ysgol Gymraeg {w}", 1.5) for w in words])
    english_secondary = ([(f"{p} High School", 4.0) for p in places] + [(f"{p} Comprehensive School", 2.0) for p in places]
                         + [(f"St {s} Catholic High School", 0.6) for s in _SAINTS]
                         + [(f"{p} Community Learning Campus", 0.3) for p in places])
    welsh_secondary = ([(f"Ysgol Gyfun Gymraeg {w}", 3.0) for w in words]
                       + [(f"Ysgol Gyfun {c}", 1.0) for c in compounds])
    return {("Primary", False): english_primary, ("Primary", True): welsh_primary,
            ("Secondary", False): english_secondary, ("Secondary", True): welsh_secondary}


def _sector(rng: np.random.Generator, council: Council, profile: dict, sector: str, n: int) -> pd.DataFrame:
    primary = sector == "Primary"
    rural = rng.random(n) < profile["rural"] * (1.0 if primary else 0.6)
    welsh = rng.random(n) < profile["welsh"]
    if primary:
        pupils = np.where(rural, rng.integers(150, 261, n), np.clip(rng.normal(340, 95, n), 150, 600))
    else:
        pupils = np.where(rural, rng.integers(700, 1001, n), np.clip(rng.normal(1150, 260, n), 700, 1700))
    pupils = np.round(pupils).astype(int)
    mean, sd = profile["fsm"]
    fsm = rng.normal(mean - 5.0 * rural - (2.0 if not primary else 0.0), sd * (1.0 if primary else 0.6), n)
    # Keep FSM within 5-45% without piling schools up at the limits.
    fsm = np.where(fsm < 5.0, rng.uniform(5.0, 9.0, n), np.where(fsm > 45.0, rng.uniform(38.0, 45.0, n), fsm))
    fsm = np.round(fsm, 1)
    # Share of the roll asked on survey day: most pupils present, some schools surveyed only some classes,
    # a few did not return the survey at all.
    present = rng.beta(40, 3.5, n)
    partial = rng.random(n) < 0.15
    present = np.where(partial, rng.uniform(0.35, 0.8, n), present)
    present = np.where(rng.random(n) < 0.03, 0.0, present)
    surveyed = np.minimum(np.round(pupils * present).astype(int), pupils)
    logit = (0.25 + profile["lift"] - (0.6 if not primary else 0.0) - 0.8 * rural
             + 0.02 * (fsm - 20.0) + rng.normal(0.0, 0.4, n))
    rate = 1.0 / (1.0 + np.exp(-logit))
    active = rng.binomial(surveyed, rate)
    names: list[str] = [""] * n
    pools = _name_pools(profile)
    for medium in (False, True):
        idx = np.flatnonzero(welsh == medium)
        for i, name in zip(idx, _unique_names(rng, pools[(sector, medium)], len(idx))):
            names[i] = name
    first = "2" if primary else "4"
    return pd.DataFrame({
        "School Number": _numbers(rng, LA_CODES[council.name], first, n),
        "School Name": names,
        "Sector": sector,
        "Pupils on Roll": pupils,
        "FSM Percentage": [f"{v:.1f}" for v in fsm],
        "Pupils Surveyed": surveyed,
        "Walk Cycle Scoot": active,
    })


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's demo schools file.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same file.
    scale : float, default 1.0
        Volume multiplier for the number of schools.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"schools.csv": frame}`` with the columns of :data:`COLUMNS`, one row per
        school, sorted by school number.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not positive.
    """
    if not isinstance(council, Council) or council.name not in _PROFILES:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    n_primary, n_secondary = school_counts(council, scale)
    profile = _PROFILES[council.name]
    frame = pd.concat([_sector(rng, council, profile, "Primary", n_primary),
                       _sector(rng, council, profile, "Secondary", n_secondary)], ignore_index=True)
    frame = frame.sort_values("School Number", ignore_index=True)
    return {"schools.csv": frame[list(COLUMNS)]}
