"""Demo postcode directory: an ONS Postcode Directory (ONSPD)-style extract for one council.

The ONS Postcode Directory lists every UK postcode, live or terminated, with the areas it
falls in. Councils cut it to the postcode districts they serve and use it to give
records a small area (LSOA) and a council. This generator writes ``postcode_directory.csv``
for one council in the directory's own layout and column names:

- ``pcd`` (7 characters: ``CF3 1AB``, ``CF101AB``), ``pcd2`` (8 characters: ``CF3  1AB``,
  ``CF10 1AB``) and ``pcds`` (one space: ``CF3 1AB``);
- ``dointr`` and ``doterm``, the months (``YYYYMM``) a postcode was introduced and, for
  terminated postcodes, ended (blank while live);
- ``oslaua`` (the council's ONS code, ``W06...``), ``lsoa21`` and ``oa21`` (LSOA and output
  area, 2021 codes), ``lat`` and ``long``.

The extract is of the November 2023 release (:data:`RELEASE`): postcodes introduced since
(new builds) are not in it. Its LSOA codes are those of the Wales-wide demo table
(:func:`curriculum.demo.wimd.wales_table`), so looked-up records join to the ``wimd``
dataset. Planted for the "Joining by place" module:

- every postcode of the council's gazetteer (as :mod:`curriculum.demo.premises` writes it
  in the same run), live, in an LSOA of its district: the commercial streets;
- about three live residential postcodes per LSOA (:data:`POSTCODES_PER_LSOA`);
- terminated postcodes (about 5%), each keeping its last LSOA, as ONS keeps them;
- boundary postcodes: postcodes of the council's districts that lie in a neighbouring
  council (:data:`BOUNDARY`; ``CF5`` reaches Wenvoe in the Vale of Glamorgan, ``CF3``
  Marshfield in Newport, ``CF48`` and ``NP7`` reach into Powys). They carry the
  neighbour's ONS code and one of its LSOAs.

:func:`council_places` builds the council's whole demo geography once (directory,
gazetteer and the new-build postcodes the directory lacks) so that the housing
complaints generator (:mod:`curriculum.demo.repairs`) places homes on the same postcodes.
Which run a generator belongs to is read from its random generator's seed sequence
(:func:`run_seed`): :func:`curriculum.demo.write_demo_data` seeds each generator with
``[seed, council index, generator index]``. Nothing happens on import.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council, get_council
from curriculum.demo._shared import check_scale as _check_scale
from curriculum.demo._shared import run_rng
from curriculum.demo.wimd import wales_table

__all__ = ["FILES", "COLUMNS", "RELEASE", "POSTCODES_PER_LSOA", "DISTRICTS", "POST_TOWNS", "BOUNDARY",
           "Places", "run_seed", "council_places", "generate"]

FILES: tuple[str, ...] = ("postcode_directory.csv",)
COLUMNS: tuple[str, ...] = ("pcd", "pcd2", "pcds", "dointr", "doterm", "oslaua", "lsoa21", "oa21", "lat", "long")
RELEASE = pd.Timestamp("2023-11-01")  # the ONSPD release the extract comes from
POSTCODES_PER_LSOA = 3                # live residential postcodes per LSOA (real LSOAs have 15-40)
_TERMINATED_SHARE = 0.05              # terminated postcodes, as a share of residential ones
_BOUNDARY_SHARE = 0.02                # postcodes lying in a neighbouring council, as a share of residential ones
_NEW_BUILD_SHARE = 0.12               # LSOAs with a new-build postcode introduced after the release
_PLACES_STREAM = 7919                 # the random stream of the shared geography (not a generator index)
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in inward codes (no C, I, K, M, O, V)

#: Postcode districts of each council (its main ones; spans into neighbours are in BOUNDARY).
DISTRICTS: dict[str, tuple[str, ...]] = {
    "Blaenau Gwent": ("NP13", "NP22", "NP23"),
    "Bridgend": ("CF31", "CF32", "CF33", "CF34", "CF35", "CF36"),
    "Caerphilly": ("CF81", "CF82", "CF83", "NP11", "NP12"),
    "Cardiff": ("CF3", "CF5", "CF10", "CF11", "CF14", "CF23", "CF24"),
    "Merthyr Tydfil": ("CF47", "CF48"),
    "Monmouthshire": ("NP7", "NP15", "NP16", "NP25", "NP26"),
    "Newport": ("NP10", "NP18", "NP19", "NP20"),
    "Rhondda Cynon Taf": ("CF37", "CF38", "CF39", "CF40", "CF41", "CF42", "CF43", "CF44", "CF45", "CF72"),
    "Torfaen": ("NP4", "NP44"),
    "Vale of Glamorgan": ("CF61", "CF62", "CF63", "CF64", "CF71"),
}

#: The post town of each district, as addresses give it.
POST_TOWNS: dict[str, str] = {
    "NP13": "Abertillery", "NP22": "Tredegar", "NP23": "Ebbw Vale",
    "CF31": "Bridgend", "CF32": "Bridgend", "CF33": "Bridgend", "CF34": "Maesteg", "CF35": "Bridgend", "CF36": "Porthcawl",
    "CF81": "Bargoed", "CF82": "Hengoed", "CF83": "Caerphilly", "NP11": "Newport", "NP12": "Blackwood",
    "CF3": "Cardiff", "CF5": "Cardiff", "CF10": "Cardiff", "CF11": "Cardiff", "CF14": "Cardiff", "CF23": "Cardiff",
    "CF24": "Cardiff",
    "CF47": "Merthyr Tydfil", "CF48": "Merthyr Tydfil",
    "NP7": "Abergavenny", "NP15": "Usk", "NP16": "Chepstow", "NP25": "Monmouth", "NP26": "Caldicot",
    "NP10": "Newport", "NP18": "Newport", "NP19": "Newport", "NP20": "Newport",
    "CF37": "Pontypridd", "CF38": "Pontypridd", "CF39": "Porth", "CF40": "Tonypandy", "CF41": "Pentre",
    "CF42": "Treorchy", "CF43": "Ferndale", "CF44": "Aberdare", "CF45": "Mountain Ash", "CF72": "Pontyclun",
    "NP4": "Pontypool", "NP44": "Cwmbran",
    "CF61": "Llantwit Major", "CF62": "Barry", "CF63": "Barry", "CF64": "Penarth", "CF71": "Cowbridge",
}

#: Districts of a council that reach into a neighbour: (district, neighbouring authority).
#: Spans follow curriculum/resources/postcode_districts.csv where it names one
#: (CF5, CF35, CF44, CF48, CF64, CF83, NP4, NP7, NP10, NP18) or a well-known case (Rhymney is
#: NP22 but in Caerphilly; Marshfield is CF3 but in Newport); the rest are plausible.
BOUNDARY: dict[str, tuple[tuple[str, str], ...]] = {
    "Blaenau Gwent": (("NP22", "Caerphilly"), ("NP23", "Monmouthshire")),
    "Bridgend": (("CF35", "Vale of Glamorgan"), ("CF32", "Rhondda Cynon Taf")),
    "Caerphilly": (("CF83", "Cardiff"), ("NP11", "Newport")),
    "Cardiff": (("CF5", "Vale of Glamorgan"), ("CF3", "Newport")),
    "Merthyr Tydfil": (("CF48", "Powys"), ("CF47", "Rhondda Cynon Taf")),
    "Monmouthshire": (("NP7", "Powys"), ("NP26", "Newport")),
    "Newport": (("NP10", "Caerphilly"), ("NP18", "Monmouthshire")),
    "Rhondda Cynon Taf": (("CF44", "Merthyr Tydfil"), ("CF72", "Vale of Glamorgan")),
    "Torfaen": (("NP4", "Monmouthshire"), ("NP44", "Newport")),
    "Vale of Glamorgan": (("CF64", "Cardiff"), ("CF71", "Bridgend")),
}
_POWYS = ("Powys", "W06000023")

# Approximate centres (latitude, longitude) of the authorities, for plausible coordinates.
_CENTRES = {
    "Blaenau Gwent": (51.775, -3.195), "Bridgend": (51.545, -3.600), "Caerphilly": (51.640, -3.215),
    "Cardiff": (51.495, -3.190), "Merthyr Tydfil": (51.745, -3.375), "Monmouthshire": (51.745, -2.860),
    "Newport": (51.575, -2.990), "Rhondda Cynon Taf": (51.640, -3.400), "Torfaen": (51.690, -3.040),
    "Vale of Glamorgan": (51.430, -3.360), "Powys": (51.900, -3.350),
}
_SPREAD = 0.045  # degrees: spread of LSOA centres around the authority's centre

_EN_STEMS = ("Alexandra", "Albany", "Ash", "Bedford", "Birch", "Brynglas", "Castle", "Chapel", "Church", "Clive",
             "Coronation", "Davies", "Edward", "Elm", "Evans", "Gladstone", "Glanmor", "Hill", "Holly", "Hughes",
             "Jubilee", "Lewis", "Maple", "Meadow", "Mill", "Morgan", "Mount Pleasant", "Oak", "Park", "Pant",
             "Plasturton", "Queen", "Railway", "Richards", "Salisbury", "School", "Station", "Thomas", "Tudor",
             "Victoria", "Windsor", "Woodland", "Wyndham", "Ystrad")
_EN_TYPES = ("Street", "Street", "Road", "Road", "Terrace", "Terrace", "Avenue", "Close", "Crescent", "Place", "Row")
_CY_TYPES = ("Heol", "Heol", "Stryd", "Ffordd", "Lôn", "Maes", "Clos")
_CY_WORDS = ("y Nant", "Fawr", "Las", "y Bont", "yr Eglwys", "y Coed", "y Parc", "Cae Mawr", "y Felin", "Tŷ Gwyn",
             "y Dderwen", "Pen y Bryn", "Isaf", "Uchaf", "y Capel", "y Ffynnon", "Newydd", "y Graig", "Cefn", "Bedw")
_NEW_BUILD = ("Clos y Wern", "Llys Ceirios", "Cwrt y Felin", "Maes yr Ysgol", "Clos Derwen", "Llys Eirlys",
              "Cwrt Tudur", "Clos Bedw", "Llys Onnen", "Cwrt Glyndŵr", "Parc Afon", "Ffordd y Gamlas")


@dataclass(frozen=True)
class Places:
    """A council's demo geography, shared by the postcode and housing-complaint generators.

    Treat the frames as read-only: they are cached.

    Attributes
    ----------
    council : str
        The council's name.
    code : str
        Its ONS code.
    directory : pandas.DataFrame
        One row per postcode of the extract: ``postcode``, ``district``, ``lsoa_code``,
        ``oa_code``, ``council_code``, ``introduced``, ``terminated`` (NaT while live),
        ``kind`` (``residential``, ``commercial``, ``terminated`` or ``boundary``),
        ``street``, ``town``, ``lat``, ``long``, sorted by postcode.
    gazetteer : pandas.DataFrame
        The council's gazetteer as :mod:`curriculum.demo.premises` writes it in the same run.
    new_builds : pandas.DataFrame
        Postcodes introduced after :data:`RELEASE` (so not in the directory): ``postcode``,
        ``lsoa_code``, ``street``, ``town``, ``introduced``.
    areas : pandas.DataFrame
        The council's LSOAs from :func:`curriculum.demo.wimd.wales_table`, with ``district``.
    """

    council: str
    code: str
    directory: pd.DataFrame
    gazetteer: pd.DataFrame
    new_builds: pd.DataFrame
    areas: pd.DataFrame


def _check_council(council) -> Council:
    if not isinstance(council, Council) or council.name not in DISTRICTS:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    return council


def run_seed(rng: np.random.Generator, council: Council) -> int:
    """Return the master seed of the demo-data run that made ``rng``.

    :func:`curriculum.demo.write_demo_data` seeds each council's generator with
    ``[seed, council index, generator index]``; this reads ``seed`` back from the
    generator's seed sequence, so that generators of the same run share one geography.
    Any other generator gives :data:`curriculum.demo.DEFAULT_SEED`.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator a demo generator was given.
    council : Council
        The council it was given.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    """
    from curriculum.demo import DEFAULT_SEED

    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    entropy = getattr(rng.bit_generator.seed_seq, "entropy", None)
    if isinstance(entropy, (list, tuple)) and len(entropy) == 3 and entropy[1] == COUNCIL_NAMES.index(council.name):
        return int(entropy[0])
    return int(DEFAULT_SEED)


def _codes(rng: np.random.Generator, districts: np.ndarray, used: set[str]) -> list[str]:
    """Return one new postcode in each of ``districts``, none of them in ``used`` (which grows)."""
    out = []
    for district in districts:
        for _ in range(20_000):
            code = (f"{district} {int(rng.integers(0, 10))}"
                    f"{_UNIT_LETTERS[int(rng.integers(20))]}{_UNIT_LETTERS[int(rng.integers(20))]}")
            if code not in used:
                used.add(code)
                out.append(code)
                break
        else:
            raise RuntimeError(f"district {district} has no postcodes left at this scale; use a smaller scale")
    return out


def _streets(rng: np.random.Generator, n: int) -> list[str]:
    names = []
    for _ in range(n):
        if rng.random() < 0.3:
            names.append(f"{_CY_TYPES[int(rng.integers(len(_CY_TYPES)))]} {_CY_WORDS[int(rng.integers(len(_CY_WORDS)))]}")
        else:
            names.append(f"{_EN_STEMS[int(rng.integers(len(_EN_STEMS)))]} {_EN_TYPES[int(rng.integers(len(_EN_TYPES)))]}")
    return names


def _months(rng: np.random.Generator, n: int, start: str, end: str) -> pd.DatetimeIndex:
    months = pd.date_range(start, end, freq="MS")
    return months[rng.integers(0, len(months), size=n)]


def _introduced(rng: np.random.Generator, n: int) -> pd.DatetimeIndex:
    """Most postcodes date from the directory's start (January 1980); the rest came later."""
    later = _months(rng, n, "1981-01-01", (RELEASE - pd.DateOffset(months=1)).strftime("%Y-%m-%d"))
    return pd.DatetimeIndex(np.where(rng.random(n) < 0.75, np.datetime64("1980-01-01"), later.to_numpy()))


def _oa(rng: np.random.Generator, lsoa_codes: np.ndarray) -> list[str]:
    return [f"W00{(int(c[3:]) - 1) * 5 + int(k) + 1:06d}" for c, k in zip(lsoa_codes, rng.integers(0, 5, len(lsoa_codes)))]


@lru_cache(maxsize=12)
def _places(name: str, scale: float, seed: int) -> Places:
    from curriculum.demo import premises

    council = get_council(name)
    index = COUNCIL_NAMES.index(name)
    rng = np.random.default_rng([seed, index, _PLACES_STREAM])
    wales = wales_table(scale)
    areas = wales[wales["council"] == name].sort_values("lsoa_code").reset_index(drop=True)
    districts = DISTRICTS[name]
    areas["district"] = [districts[i * len(districts) // len(areas)] for i in range(len(areas))]
    lat0, long0 = _CENTRES[name]
    centres = {code: (lat0 + rng.normal(0, _SPREAD), long0 + rng.normal(0, _SPREAD * 1.6))
               for code in areas["lsoa_code"]}

    gazetteer = premises.generate(council, run_rng(seed, name, "premises"), scale)["gazetteer.csv"]
    used: set[str] = set(gazetteer["Postcode"])
    frames = []

    # The commercial streets: each gazetteer postcode in an LSOA of its district, town centres first.
    commercial = pd.DataFrame({"postcode": sorted(used)})
    commercial["district"] = commercial["postcode"].str.split(" ").str[0]
    lsoas = []
    for district in commercial["district"]:
        pool = areas[areas["district"] == district]
        pool = pool if len(pool) else areas
        weights = np.exp(0.5 * pool["z"].to_numpy())
        lsoas.append(pool["lsoa_code"].iloc[int(rng.choice(len(pool), p=weights / weights.sum()))])
    first_line = gazetteer.drop_duplicates("Postcode").set_index("Postcode")["Address"]
    commercial["lsoa_code"] = lsoas
    commercial["kind"] = "commercial"
    commercial["street"] = [first_line[p].split(", ")[-2].lstrip("0123456789 ") for p in commercial["postcode"]]
    commercial["introduced"] = _introduced(rng, len(commercial))
    frames.append(commercial)

    # Residential postcodes: a few per LSOA, in the LSOA's district.
    lsoa_rep = np.repeat(areas["lsoa_code"].to_numpy(), POSTCODES_PER_LSOA)
    district_rep = np.repeat(areas["district"].to_numpy(), POSTCODES_PER_LSOA)
    residential = pd.DataFrame({"postcode": _codes(rng, district_rep, used), "district": district_rep,
                                "lsoa_code": lsoa_rep, "kind": "residential"})
    residential["street"] = _streets(rng, len(residential))
    residential["introduced"] = _introduced(rng, len(residential))
    frames.append(residential)

    # Terminated postcodes, each keeping the LSOA it last belonged to.
    n_term = max(3, round(_TERMINATED_SHARE * len(residential)))
    pick = rng.choice(len(areas), size=n_term, replace=True)
    terminated = pd.DataFrame({"postcode": _codes(rng, areas["district"].to_numpy()[pick], used),
                               "district": areas["district"].to_numpy()[pick],
                               "lsoa_code": areas["lsoa_code"].to_numpy()[pick], "kind": "terminated"})
    terminated["street"] = _streets(rng, n_term)
    terminated["introduced"] = pd.DatetimeIndex(np.repeat(np.datetime64("1980-01-01"), n_term))
    terminated["terminated"] = _months(rng, n_term, "2001-01-01", "2023-06-01")
    frames.append(terminated)

    # Boundary postcodes: in the council's districts, but in a neighbour's LSOAs.
    spans = BOUNDARY[name]
    n_each = max(2, round(_BOUNDARY_SHARE * len(residential) / len(spans)))
    for district, neighbour in spans:
        theirs = wales[wales["council"] == neighbour]["lsoa_code"].to_numpy()
        near = theirs[rng.choice(len(theirs), size=max(1, n_each // 2), replace=False)]
        lsoa = near[rng.integers(0, len(near), n_each)]
        code = _POWYS[1] if neighbour == _POWYS[0] else get_council(neighbour).code
        boundary = pd.DataFrame({"postcode": _codes(rng, np.repeat(district, n_each), used), "district": district,
                                 "lsoa_code": lsoa, "kind": "boundary", "council_code": code})
        boundary["street"] = _streets(rng, n_each)
        boundary["introduced"] = _introduced(rng, n_each)
        lat_n, long_n = _CENTRES[neighbour]
        for code_ in near:
            centres.setdefault(code_, ((lat0 + lat_n) / 2 + rng.normal(0, 0.01), (long0 + long_n) / 2 + rng.normal(0, 0.015)))
        frames.append(boundary)

    directory = pd.concat(frames, ignore_index=True)
    directory["council_code"] = directory.get("council_code", pd.Series(dtype=object)).fillna(council.code)
    if "terminated" not in directory:
        directory["terminated"] = pd.NaT
    directory["terminated"] = pd.to_datetime(directory["terminated"])
    directory["town"] = directory["district"].map(POST_TOWNS)
    directory["oa_code"] = _oa(rng, directory["lsoa_code"].to_numpy())
    centre = np.array([centres[c] for c in directory["lsoa_code"]])
    directory["lat"] = centre[:, 0] + rng.normal(0, 0.004, len(directory))
    directory["long"] = centre[:, 1] + rng.normal(0, 0.006, len(directory))
    directory = directory.sort_values("postcode", ignore_index=True)[
        ["postcode", "district", "lsoa_code", "oa_code", "council_code", "introduced", "terminated", "kind",
         "street", "town", "lat", "long"]]

    # New builds: postcodes introduced after the release, mostly in the less deprived LSOAs.
    n_new = max(3, round(_NEW_BUILD_SHARE * len(areas)))
    weights = np.exp(-1.2 * areas["z"].to_numpy())
    pick = rng.choice(len(areas), size=n_new, replace=False, p=weights / weights.sum())
    new_builds = pd.DataFrame({"postcode": _codes(rng, areas["district"].to_numpy()[pick], used),
                               "lsoa_code": areas["lsoa_code"].to_numpy()[pick],
                               "street": [_NEW_BUILD[int(k)] for k in rng.integers(0, len(_NEW_BUILD), n_new)],
                               "town": areas["district"].map(POST_TOWNS).to_numpy()[pick],
                               "introduced": _months(rng, n_new, "2024-01-01", "2024-12-01")})
    return Places(council=name, code=council.code, directory=directory, gazetteer=gazetteer,
                  new_builds=new_builds, areas=areas)


def council_places(council: Council, scale: float = 1.0, seed: int | None = None) -> Places:
    """Return a council's demo geography: its postcode directory, gazetteer and new-build postcodes.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    scale : float, default 1.0
        Volume multiplier: the gazetteer (and so its postcodes) grows with it; the LSOAs and
        their residential postcodes stay fixed.
    seed : int, optional
        Master seed of the demo-data run; :data:`curriculum.demo.DEFAULT_SEED` by default.

    Returns
    -------
    Places
        Cached: the same object for the same arguments; do not change its frames.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    """
    from curriculum.demo import DEFAULT_SEED

    _check_council(council)
    return _places(council.name, _check_scale(scale), int(DEFAULT_SEED if seed is None else seed))


def _yyyymm(dates: pd.Series) -> pd.Series:
    return dates.dt.strftime("%Y%m").fillna("")


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's postcode directory extract (ONSPD layout).

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        Identifies the demo-data run (:func:`run_seed`); the directory is the run's
        shared geography (:func:`council_places`), so the same generator state gives
        the same file.
    scale : float, default 1.0
        Volume multiplier: the gazetteer's premises, and so the commercial postcodes, grow with
        it; the LSOAs and their residential postcodes stay fixed, as places do.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"postcode_directory.csv": frame}`` with the columns of :data:`COLUMNS`, one
        row per postcode, sorted by ``pcd``; every value as text.

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
    d = places.directory
    outward = d["postcode"].str.split(" ").str[0]
    inward = d["postcode"].str.split(" ").str[1]
    frame = pd.DataFrame({
        "pcd": outward.str.ljust(4) + inward,
        "pcd2": outward.str.ljust(4) + " " + inward,
        "pcds": d["postcode"],
        "dointr": _yyyymm(d["introduced"]),
        "doterm": _yyyymm(d["terminated"]),
        "oslaua": d["council_code"],
        "lsoa21": d["lsoa_code"],
        "oa21": d["oa_code"],
        "lat": d["lat"].map(lambda v: f"{v:.6f}"),
        "long": d["long"].map(lambda v: f"{v:.6f}"),
    })
    frame = frame.sort_values("pcd", kind="stable", ignore_index=True)
    return {"postcode_directory.csv": frame[list(COLUMNS)]}
