"""Demo small-area deprivation: a WIMD 2019-style table of a council's LSOAs.

The Welsh Index of Multiple Deprivation (WIMD) 2019 ranks Wales's 1,909 lower-layer
super output areas (LSOAs, about 1,600 residents each) from 1 (most deprived) to 1,909
(least deprived), overall and on eight domains. This generator writes, for one council,
``wimd.csv`` in the layout of the Welsh Government's download (``LSOA code``,
``LSOA name (Eng)``, ``Local Authority name (Eng)``, ``WIMD 2019 overall rank`` and one
``... rank`` column per domain), joined to mid-year population estimates (``Population``
and ``Population aged 65 and over``), as an analyst would prepare it.

Ranks are ranks across the whole of Wales, so they never repeat between councils, and
LSOA codes (``W01`` and six digits) are unique across Wales. Both therefore come from
one Wales-wide draw (:func:`wales_table`) fixed by :data:`WALES_SEED`, not from a
council's random stream: every council's file, and the service-demand generator that
places referrals in the same areas, see the same Wales. Each council's LSOAs (about one
per 1,600 residents) carry a latent deprivation level whose mean and spread follow the
published picture (the Heads of the Valleys and Cardiff's southern arc hold many of
Wales's most deprived areas; Monmouthshire and the Vale of Glamorgan few). Eight domain
scores are drawn around it, ranked, put through WIMD's exponential transformation,
weighted with WIMD 2019's domain weights and ranked again to give the overall rank.
Access to services is the exception: it is worst in rural areas, whatever their income.

A council's random stream only numbers the LSOAs within each ward (``Cathays 1``,
``Cathays 2``...). Nothing happens on import.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council, get_council
from curriculum.demo._shared import check_scale as _check_scale

__all__ = ["FILES", "COLUMNS", "DOMAINS", "WALES_LSOAS", "WALES_SEED", "PEOPLE_PER_LSOA",
           "lsoa_count", "wales_table", "generate"]

FILES: tuple[str, ...] = ("wimd.csv",)
WALES_LSOAS = 1909          # LSOAs ranked by WIMD 2019
WALES_SEED = 2019           # the one Wales-wide draw that all councils share
PEOPLE_PER_LSOA = 1600      # residents per LSOA, on average

# WIMD 2019 domains and their weights in the overall index.
DOMAINS: dict[str, float] = {
    "Income": 0.22, "Employment": 0.22, "Health": 0.15, "Education": 0.14,
    "Access to services": 0.10, "Housing": 0.07, "Community safety": 0.05, "Physical environment": 0.05,
}
COLUMNS: tuple[str, ...] = (("LSOA code", "LSOA name (Eng)", "Local Authority name (Eng)", "WIMD 2019 overall rank")
                            + tuple(f"{d} rank" for d in DOMAINS)
                            + ("Population", "Population aged 65 and over"))

# How strongly each domain follows an area's overall deprivation (Access to services is
# handled apart: rurality, not poverty, drives it).
_LOADING = {"Income": 0.95, "Employment": 0.92, "Health": 0.88, "Education": 0.80,
            "Housing": 0.35, "Community safety": 0.55, "Physical environment": 0.30}

# z: (mean, sd) of latent deprivation (higher is more deprived); rural: share of rural
# LSOAs; older: share of residents aged 65 and over (Census 2021, rounded); wards:
# ward names from the most to the least deprived, used to name LSOAs.
_PROFILES: dict[str, dict] = {
    "Blaenau Gwent": dict(z=(0.85, 0.55), rural=0.12, older=0.205, wards=[
        "Sirhowy", "Tredegar Central and West", "Cwm", "Six Bells", "Ebbw Vale North", "Blaina", "Georgetown",
        "Llanhilleth", "Abertillery", "Nantyglo", "Cwmtillery", "Ebbw Vale South", "Brynmawr", "Badminton",
        "Beaufort", "Rassau"]),
    "Bridgend": dict(z=(0.05, 0.90), rural=0.18, older=0.205, wards=[
        "Caerau", "Morfa", "Maesteg East", "Sarn", "Blackmill", "Ogmore Vale", "Nant-y-moel", "Bettws",
        "Pontycymmer", "Cornelly", "Maesteg West", "Oldcastle", "Brackla", "Llangeinor", "Pyle", "Cefn Cribwr",
        "Bryntirion Laleston and Merthyr Mawr", "Pencoed", "Litchard", "Aberkenfig", "Ynysawdre", "Coity",
        "Newton", "Llangynwyd", "Nottage", "Rest Bay", "Pen-y-fai", "Coychurch Lower", "Penprysg", "Newcastle"]),
    "Caerphilly": dict(z=(0.40, 0.80), rural=0.15, older=0.195, wards=[
        "Twyn Carno", "Pontlottyn", "Moriah", "New Tredegar", "Bargoed", "Darran Valley", "Aberbargoed",
        "St James", "Crumlin", "Abercarn", "Argoed", "Aber Valley", "Crosskeys", "Gilfach", "Newbridge",
        "Penyrheol", "Cefn Fforest", "Risca East", "Ynysddu", "Pontllanfraith", "Llanbradach", "Hengoed",
        "Pengam", "Risca West", "St Cattwg", "Morgan Jones", "Nelson", "Maesycwmmer", "Blackwood", "Penmaen",
        "St Martins", "Bedwas Trethomas and Machen", "Van"]),
    "Cardiff": dict(z=(-0.05, 1.30), rural=0.04, older=0.138, wards=[
        "Butetown", "Ely", "Caerau", "Splott", "Adamsdown", "Trowbridge", "Llanrumney", "Grangetown", "Rumney",
        "Riverside", "Plasnewydd", "Fairwater", "Llandaff North", "Gabalfa", "Cathays", "Pentwyn", "Canton",
        "Whitchurch and Tongwynlais", "Llanishen", "Heath", "Rhiwbina", "Penylan", "Pontprennau and Old St Mellons",
        "Cyncoed", "Radyr", "Creigiau and St Fagans", "Pentyrch", "Llandaff", "Lisvane"]),
    "Merthyr Tydfil": dict(z=(0.70, 0.75), rural=0.10, older=0.185, wards=[
        "Gurnos", "Penydarren", "Merthyr Vale", "Dowlais", "Town", "Plymouth", "Bedlinog", "Treharris",
        "Cyfarthfa", "Park", "Vaynor"]),
    "Monmouthshire": dict(z=(-1.05, 0.60), rural=0.45, older=0.265, wards=[
        "Overmonnow", "Lansdown", "Croesonen", "Severn", "Priory", "Grofield", "Caldicot Castle", "Larkfield",
        "Cantref", "St Christopher's", "Mardy", "Dewstow", "Llanelly Hill", "St Kingsmark", "Castle", "Drybridge",
        "The Elms", "West End", "Wyesham", "Rogiet", "Portskewett", "Mill", "Magor East", "Magor West",
        "Goetre Fawr", "Usk", "Raglan", "Caerwent", "Crucorney", "Llanfoist Fawr", "Llanover", "Trellech United",
        "Dixton with Osbaston", "Llantilio Crossenny", "Devauden", "St Arvans", "Shirenewton", "Mitchel Troy",
        "Llangybi Fawr", "Llanwenarth Ultra", "St Mary's", "Llanbadoc"]),
    "Newport": dict(z=(0.15, 1.15), rural=0.08, older=0.170, wards=[
        "Pillgwenlly", "Victoria", "Tredegar Park", "Alway", "Ringland", "Bettws", "Stow Hill", "Liswerry",
        "Shaftesbury", "St Julians", "Gaer", "Beechwood", "Malpas", "Caerleon", "Llanwern", "Allt-yr-yn",
        "Rogerstone", "Marshfield", "Graig", "Langstone"]),
    "Rhondda Cynon Taf": dict(z=(0.35, 0.90), rural=0.15, older=0.185, wards=[
        "Penywaun", "Tylorstown", "Maerdy", "Glyncoch", "Rhydfelen Central", "Penrhiwceiber", "Treherbert",
        "Ferndale", "Porth", "Ynyshir", "Cymmer", "Trealaw", "Tonypandy", "Pen-y-graig", "Gilfach Goch",
        "Mountain Ash East", "Mountain Ash West", "Cwm Clydach", "Llwyn-y-pia", "Aberaman South", "Abercynon",
        "Ynysybwl", "Treforest", "Aberaman North", "Pentre", "Ystrad", "Cwmbach", "Treorchy", "Tonyrefail East",
        "Hirwaun", "Graig", "Trallwng", "Tonyrefail West", "Aberdare East", "Llanharan", "Cilfynydd",
        "Pontypridd Town", "Tyn-y-nant", "Beddau", "Brynna", "Aberdare West and Llwydcoed", "Hawthorn",
        "Llanharry", "Taffs Well", "Talbot Green", "Llantrisant Town", "Pontyclun", "Ton-teg", "Llantwit Fardre"]),
    "Torfaen": dict(z=(0.30, 0.85), rural=0.10, older=0.205, wards=[
        "Trevethin", "St Dials", "Blaenavon", "Abersychan", "Pontnewydd", "Upper Cwmbran", "Cwmyniscoy",
        "Pontnewynydd", "St Cadocs and Penygarn", "Fairwater", "Wainfelin", "Brynwern", "Two Locks", "Pontypool",
        "Greenmeadow", "Panteg", "Coed Eva", "Croesyceiliog South", "Llantarnam", "Llanyrafon North",
        "Croesyceiliog North", "New Inn", "Llanyrafon South"]),
    "Vale of Glamorgan": dict(z=(-0.55, 1.10), rural=0.30, older=0.220, wards=[
        "Gibbonsdown", "Castleland", "Court", "Buttrills", "Cadoc", "Illtyd", "Dyfan", "St Athan", "Baruc",
        "Llantwit Major", "Rhoose", "Cornerswell", "Stanwell", "St Augustine's", "Llandough", "Plymouth", "Sully",
        "Dinas Powys", "Llandow and Ewenny", "St Bride's Major", "Wenvoe", "Cowbridge", "Peterston-super-Ely"]),
}
# The rest of Wales, in two blocks of codes: north and west Wales before the region's
# councils, Powys (79 LSOAs) between Newport and Merthyr Tydfil, as in the real codes.
_REST = dict(z=(-0.15, 0.90), rural=0.35, older=0.230)
_POWYS_LSOAS = 79
# Order of the code blocks (the order of the local authorities' ONS codes).
_CODE_ORDER = ("north and west Wales", "Bridgend", "Vale of Glamorgan", "Cardiff", "Rhondda Cynon Taf",
               "Caerphilly", "Blaenau Gwent", "Torfaen", "Monmouthshire", "Newport", "Powys", "Merthyr Tydfil")


def lsoa_count(council: Council, scale: float = 1.0) -> int:
    """Return how many LSOAs a council's demo table holds.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils; its Census 2021 population sets the number.
    scale : float, default 1.0
        Volume multiplier (positive). Checked, but the geography does not grow
        with the volume: ten times the records fall in the same small areas.

    Returns
    -------
    int
        About one LSOA per 1,600 residents, at least one.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    """
    if not isinstance(council, Council) or council.name not in _PROFILES:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    _check_scale(scale)
    return max(1, round(council.population_2021 / PEOPLE_PER_LSOA))


def _exponential(rank: np.ndarray, n: int) -> np.ndarray:
    """WIMD's exponential transformation of ranks (1 = most deprived) to scores from 0 to 100."""
    scaled = (n - rank + 1) / n  # 1 for the most deprived, 1/n for the least
    return -23.0 * np.log(1.0 - scaled * (1.0 - np.exp(-100.0 / 23.0)))


def _rank_desc(score: np.ndarray) -> np.ndarray:
    """Rank scores so that the highest (most deprived) is 1."""
    order = np.argsort(-score, kind="stable")
    rank = np.empty(len(score), dtype=int)
    rank[order] = np.arange(1, len(score) + 1)
    return rank


@lru_cache(maxsize=1)
def _wales() -> pd.DataFrame:
    rng = np.random.default_rng(WALES_SEED)
    sizes = {name: lsoa_count(get_council(name)) for name in COUNCIL_NAMES}
    total = max(WALES_LSOAS, sum(sizes.values()) + 2)
    rest = total - sum(sizes.values())
    sizes["Powys"] = min(max(1, _POWYS_LSOAS), rest - 1)
    sizes["north and west Wales"] = rest - sizes["Powys"]
    blocks = []
    first_code = 1
    for block in _CODE_ORDER:
        n = sizes[block]
        profile = _PROFILES.get(block, _REST)
        mean, sd = profile["z"]
        z = rng.normal(mean, sd, n)
        rural = rng.random(n) < profile["rural"]
        people = np.clip(rng.lognormal(np.log(PEOPLE_PER_LSOA), 0.18, n), 1000, 3800)
        if block in _PROFILES:  # LSOA populations add up to the council's
            people = people * get_council(block).population_2021 / people.sum()
        logit = np.log(profile["older"] / (1 - profile["older"])) + rng.normal(0.0, 0.30, n) + 0.25 * rural - 0.10 * z
        older = np.clip(1.0 / (1.0 + np.exp(-logit)), 0.04, 0.45)
        ward = np.full(n, "", dtype=object)
        if block in _PROFILES:
            wards = profile["wards"]
            order = np.argsort(-(z + rng.normal(0.0, 0.35 * sd, n)), kind="stable")  # most deprived first
            position = np.empty(n, dtype=int)
            position[order] = np.arange(n)
            ward = np.array([wards[p * len(wards) // n] for p in position], dtype=object)
        frame = pd.DataFrame({"council": block, "ward": ward, "z": z, "rural": rural,
                              "population": np.round(people).astype(int)})
        frame["population_65_plus"] = np.round(frame["population"] * older).astype(int)
        # Codes run through a council ward by ward (neighbouring areas have neighbouring codes).
        frame = frame.sample(frac=1.0, random_state=rng).sort_values("ward", kind="stable", ignore_index=True)
        frame.insert(0, "lsoa_code", [f"W01{k:06d}" for k in range(first_code, first_code + n)])
        first_code += n
        blocks.append(frame)
    wales = pd.concat(blocks, ignore_index=True)
    z = wales["z"].to_numpy()
    scores = {}
    for domain, loading in _LOADING.items():
        latent = loading * z + np.sqrt(1 - loading**2) * rng.normal(0.0, 1.0, len(wales))
        scores[domain] = latent
    scores["Access to services"] = 1.3 * wales["rural"].to_numpy() + 0.10 * z + rng.normal(0.0, 0.75, len(wales))
    overall = np.zeros(len(wales))
    for domain, weight in DOMAINS.items():
        rank = _rank_desc(scores[domain])
        wales[f"{domain} rank"] = rank
        overall += weight * _exponential(rank, len(wales))
    wales["access_z"] = (scores["Access to services"] - scores["Access to services"].mean()) / scores["Access to services"].std()
    wales.insert(2, "WIMD 2019 overall rank", _rank_desc(overall))
    return wales


def wales_table(scale: float = 1.0) -> pd.DataFrame:
    """Return the Wales-wide table of demo LSOAs behind every council's file.

    The same for every call: it is drawn from :data:`WALES_SEED`, so ranks and
    codes are consistent across councils and across volumes.

    Parameters
    ----------
    scale : float, default 1.0
        The volume multiplier of the generator asking (positive). It is checked
        but changes nothing: Wales has its 1,909 LSOAs and their populations
        whatever the volume of records placed in them.

    Returns
    -------
    pandas.DataFrame
        One row per LSOA of Wales: ``lsoa_code``, ``council`` (a CCR council, or
        ``"north and west Wales"`` or ``"Powys"`` for the rest of Wales), ``WIMD 2019
        overall rank``, ``ward`` (empty outside the region), ``z`` (latent deprivation,
        higher is more deprived), ``rural``, ``population``, ``population_65_plus``,
        one ``<domain> rank`` column per domain and ``access_z`` (standardised
        access-to-services deprivation, higher is worse).

    Raises
    ------
    ValueError
        If ``scale`` is not a positive number.
    """
    _check_scale(scale)
    return _wales().copy()


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's WIMD 2019-style table of LSOAs.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        Numbers the LSOAs within each ward; the same generator state gives the same file.
    scale : float, default 1.0
        Volume multiplier (positive); the table is the same at every scale,
        since the small areas are fixed.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"wimd.csv": frame}`` with the columns of :data:`COLUMNS`, one row per LSOA,
        sorted by LSOA code.

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
    areas = wales_table(scale)
    areas = areas[areas["council"] == council.name].reset_index(drop=True)
    names = pd.Series("", index=areas.index, dtype=object)
    for ward, group in areas.groupby("ward", sort=True):
        numbers = rng.permutation(len(group)) + 1
        names.loc[group.index] = [f"{ward} {k}" for k in numbers]
    frame = pd.DataFrame({
        "LSOA code": areas["lsoa_code"],
        "LSOA name (Eng)": names,
        "Local Authority name (Eng)": council.name,
        "WIMD 2019 overall rank": areas["WIMD 2019 overall rank"],
        **{f"{d} rank": areas[f"{d} rank"] for d in DOMAINS},
        "Population": areas["population"],
        "Population aged 65 and over": areas["population_65_plus"],
    })
    return {"wimd.csv": frame.sort_values("LSOA code", ignore_index=True)[list(COLUMNS)]}
