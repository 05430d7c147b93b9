"""Demo intervention sites: where something was done, where it was not, and the events before and after.

Two programmes of the kind a council and its partners run, each written as the site
table an analyst would be handed, one row per site:

``camera_sites.csv``: a road safety camera programme. A camera partnership (in Wales,
GoSafe) puts cameras where collisions have been high: here the main-road sites (a
junction or a stretch of road up to 1 km) are ranked on their police-recorded
collisions in the three years before, the top :data:`QUALIFYING` qualify, and the
budget buys :data:`CAMERAS` cameras: the qualifiers are taken in pairs of neighbouring
rank and one of each pair gets a camera, by lot (engineering surveys, power supply). The
file holds the camera sites (``Installed``), the qualifiers that got no camera
(``Qualified, not installed``) and a random sample of :data:`OTHER_SITES` sites that did
not qualify, many of them on quieter local roads (``Did not qualify``), with the
collisions in the three years before and the three years after, and the traffic
(vehicles a day, AADT). As in New Orleans' analysis of its cameras, the fair comparison
is with sites that looked the same beforehand.

``arson_pilot_areas.csv``: a fire and rescue service's arson-reduction pilot (patrols
with the police, removing fly-tipped rubbish and abandoned cars, youth engagement) in
some of a council's small areas (LSOAs). Areas in the most deprived and the middle third
of the council were eligible; two thirds of the former and a third of the latter were
chosen, by lot within each run of three neighbouring areas in the deprivation ranking
(``Pilot``); the other eligible areas are ``Eligible, not chosen`` and the
least deprived third ``Not eligible`` (:data:`PILOT_SHARES`). Every LSOA of the council
is listed, with its ward, the deliberate fires in the two years before and the two years
after the pilot started, its residents and its WIMD 2019 rank.

The structure the senior module *Cause and effect* must find:

- camera sites were chosen **because** their collisions had spiked, so they fall
  afterwards even without a camera (regression to the mean): a before-and-after
  comparison of the camera sites overstates the cameras' effect, and the qualifying
  sites without a camera fall too;
- camera sites carry more traffic than the sites that did not qualify, so after
  installation they still have more collisions a year than those sites (a naive
  comparison of sites with and without cameras is confounded by traffic volume), though
  fewer per vehicle;
- the cameras cut collisions by a quarter (rate ratio :data:`CAMERA_EFFECT`), which the
  difference in differences against the qualifying sites recovers;
- deliberate fires rise steeply with deprivation and the pilot went to deprived areas,
  so after the pilot the pilot areas still have more fires per 1,000 residents than the
  other areas, while within each deprivation band they have fewer (the pilot cut
  fires by 30%, rate ratio :data:`PILOT_EFFECT`): a confounder reverses the comparison;
  the difference in differences against the eligible areas not chosen recovers the cut.

LSOA codes, wards, WIMD ranks and populations come from the Wales-wide draw behind the
WIMD table (:func:`curriculum.demo.wimd.wales_table`), so they agree with ``wimd.csv``.
``scale`` multiplies traffic, residents and expected events (as if every site were
``scale`` times busier), leaving the sites and the programmes as they are. Nothing
happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council
from curriculum.demo._shared import check_scale as _check_scale
from curriculum.demo.wimd import wales_table
from curriculum.experiments import draw_counts

__all__ = [
    "CAMERAS",
    "CAMERA_COLUMNS",
    "CAMERA_EFFECT",
    "CANDIDATE_SITES",
    "FILES",
    "MAIN_ROAD_SITES",
    "OTHER_SITES",
    "PILOT_COLUMNS",
    "PILOT_EFFECT",
    "PILOT_SHARES",
    "QUALIFYING",
    "generate",
]

FILES: tuple[str, ...] = ("camera_sites.csv", "arson_pilot_areas.csv")
CAMERA_COLUMNS: tuple[str, ...] = ("Site Ref", "Location", "Camera", "Years Before", "Collisions Before",
                                   "Years After", "Collisions After", "Vehicles per Day")
PILOT_COLUMNS: tuple[str, ...] = ("LSOA Code", "Ward", "Pilot Area", "Years Before", "Deliberate Fires Before",
                                  "Years After", "Deliberate Fires After", "Population", "WIMD 2019 Rank")
CANDIDATE_SITES = 250   # sites on a council's roads (the first MAIN_ROAD_SITES on main roads)
MAIN_ROAD_SITES = 100   # main-road sites, the candidates for a camera
QUALIFYING = 40         # sites with the most collisions before, which qualify for a camera
CAMERAS = 20            # qualifying sites that got one (by lot)
OTHER_SITES = 24        # sites that did not qualify, sampled into the file
CAMERA_EFFECT = 0.75    # rate ratio of a camera: a quarter fewer collisions
PILOT_EFFECT = 0.70     # rate ratio of the arson-reduction pilot: 30% fewer deliberate fires
PILOT_SHARES = (0.67, 0.33, 0.0)  # share of each deprivation third (most deprived first) in the pilot

_CAMERA_YEARS = 3
_PILOT_YEARS = 2
_MAIN_TRAFFIC = 20_000      # vehicles a day on a typical main-road site
_LOCAL_TRAFFIC = 6_000      # vehicles a day on a typical local-road site
_TRAFFIC_SD = 0.30          # sd of log traffic between sites
_COLLISIONS = 2.0           # collisions a year at a main-road site of typical traffic
_TRAFFIC_POWER = 0.85       # collisions grow a little less than in proportion to traffic
_SITE_SD = 0.15             # sd of a site's own log collision rate (layout, speed, sight lines)
_PERIOD_DISPERSION = 0.02   # a period's chance swing beyond Poisson (roadworks, weather): gamma dispersion
_ROAD_TREND = 1.04          # collisions everywhere, after vs before (traffic growth)
_FIRE_RATE = 0.8            # deliberate fires a year per 1,000 residents in the council's least deprived area
_FIRE_GRADIENT = 3.0        # log rate ratio between the council's most and least deprived areas
_AREA_SD = 0.12             # sd of an area's own log fire rate
_FIRE_TREND = 0.95          # deliberate fires everywhere, after vs before (weather, policing)

# Roads and places of each council, for the names of camera sites.
_ROADS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Blaenau Gwent": (("A465", "A4046", "A467", "A4048", "A4281", "B4486"),
                      ("Ebbw Vale", "Tredegar", "Brynmawr", "Abertillery", "Nantyglo", "Cwm", "Blaina", "Rassau",
                       "Beaufort", "Llanhilleth", "Georgetown", "Six Bells")),
    "Bridgend": (("A48", "A473", "A4061", "A4063", "A4229", "A4106"),
                 ("Bridgend", "Maesteg", "Pencoed", "Porthcawl", "Pyle", "Cornelly", "Brackla", "Sarn", "Coity",
                  "Ogmore Vale", "Aberkenfig", "Laleston")),
    "Caerphilly": (("A469", "A468", "A472", "A4048", "A467", "A4049"),
                   ("Caerphilly", "Bargoed", "Blackwood", "Ystrad Mynach", "Risca", "Newbridge", "Nelson", "Rhymney",
                    "Bedwas", "Llanbradach", "Pontllanfraith", "Crumlin")),
    "Cardiff": (("A470", "A48", "A4232", "A4119", "A4161", "A469", "A4054"),
                ("Gabalfa", "Llandaff", "Ely", "Splott", "Rumney", "Llanishen", "Whitchurch", "Canton", "Grangetown",
                 "Cathays", "Pentwyn", "Llanrumney", "Culverhouse Cross", "Leckwith")),
    "Merthyr Tydfil": (("A470", "A4060", "A4102", "A465", "A4054", "B4285"),
                       ("Merthyr Tydfil", "Troedyrhiw", "Aberfan", "Treharris", "Dowlais", "Gurnos", "Pentrebach",
                        "Cefn Coed", "Abercanaid", "Quakers Yard", "Heolgerrig", "Penydarren")),
    "Monmouthshire": (("A40", "A48", "A466", "A449", "A4042", "A472"),
                      ("Abergavenny", "Monmouth", "Chepstow", "Caldicot", "Usk", "Raglan", "Magor", "Portskewett",
                       "Llanfoist", "Gilwern", "Rogiet", "Tintern")),
    "Newport": (("A48", "A467", "A4042", "A4051", "A455", "A4072"),
                ("Malpas", "Bettws", "Maindee", "Pillgwenlly", "Ringland", "Caerleon", "Rogerstone", "Duffryn",
                 "Alway", "Liswerry", "Gaer", "Llanwern")),
    "Rhondda Cynon Taf": (("A470", "A4058", "A4059", "A4119", "A473", "A4233"),
                          ("Pontypridd", "Porth", "Tonypandy", "Treorchy", "Aberdare", "Mountain Ash", "Llantrisant",
                           "Talbot Green", "Tonyrefail", "Church Village", "Ferndale", "Treforest")),
    "Torfaen": (("A4042", "A4043", "A472", "A4051", "B4246", "B4244"),
                ("Cwmbran", "Pontypool", "Blaenavon", "Griffithstown", "Croesyceiliog", "Abersychan", "New Inn",
                 "Pontnewydd", "Llanyrafon", "Sebastopol", "Varteg", "Trevethin")),
    "Vale of Glamorgan": (("A48", "A4050", "A4055", "A4226", "A4222", "A4231", "B4265"),
                          ("Barry", "Penarth", "Llantwit Major", "Cowbridge", "Dinas Powys", "Rhoose", "Sully",
                           "St Athan", "Llandough", "Wenvoe", "Culverhouse Cross", "Palmerstown")),
}
_PREFIX = {"Blaenau Gwent": "BGW", "Bridgend": "BGD", "Caerphilly": "CPH", "Cardiff": "CDF", "Merthyr Tydfil": "MTY",
           "Monmouthshire": "MON", "Newport": "NPT", "Rhondda Cynon Taf": "RCT", "Torfaen": "TOF",
           "Vale of Glamorgan": "VGL"}


def _camera_sites(council: Council, rng: np.random.Generator, factor: float) -> pd.DataFrame:
    """The camera programme's site table: camera sites, qualifiers without a camera, a sample of the rest."""
    n = CANDIDATE_SITES
    main = np.arange(n) < MAIN_ROAD_SITES               # cameras go on main roads only
    traffic = np.exp(rng.normal(np.log(np.where(main, _MAIN_TRAFFIC, _LOCAL_TRAFFIC)), _TRAFFIC_SD, n))
    rate = _COLLISIONS * (traffic / _MAIN_TRAFFIC) ** _TRAFFIC_POWER * np.exp(rng.normal(0.0, _SITE_SD, n))
    before = draw_counts(_CAMERA_YEARS * rate * factor, _PERIOD_DISPERSION, rng)
    order = np.lexsort((rng.random(n), -before, ~main))  # main-road sites, most collisions first, ties by lot
    qualifying = order[:QUALIFYING]
    camera = np.zeros(n, dtype=bool)   # qualifiers in pairs of neighbouring rank: one of each pair, by lot
    pairs = qualifying.reshape(-1, 2)
    camera[pairs[np.arange(len(pairs)), rng.integers(0, 2, len(pairs))]] = True
    others = rng.permutation(order[QUALIFYING:])[:OTHER_SITES]
    after = draw_counts(_CAMERA_YEARS * rate * factor * _ROAD_TREND * np.where(camera, CAMERA_EFFECT, 1.0),
                        _PERIOD_DISPERSION, rng)

    roads, places = _ROADS[council.name]
    names = [f"{road} at {place}" for road in roads for place in places]
    keep = np.concatenate([qualifying, others])
    picked = rng.permutation(len(names))[:len(keep)]
    group = np.where(camera[keep], "Installed",
                     np.where(np.isin(keep, qualifying), "Qualified, not installed", "Did not qualify"))
    frame = pd.DataFrame({
        "Site Ref": [f"{_PREFIX[council.name]}-{100 + i:03d}" for i in rng.permutation(len(keep))],
        "Location": [names[i] for i in picked],
        "Camera": group,
        "Years Before": _CAMERA_YEARS,
        "Collisions Before": before[keep].astype(int),
        "Years After": _CAMERA_YEARS,
        "Collisions After": after[keep].astype(int),
        "Vehicles per Day": (np.round(traffic[keep] * factor / 100) * 100).astype(int),
    })
    return frame.sort_values("Location", ignore_index=True)[list(CAMERA_COLUMNS)]


def _pilot_areas(areas: pd.DataFrame, rng: np.random.Generator, factor: float) -> pd.DataFrame:
    """The arson-reduction pilot's area table: every LSOA of the council."""
    n = len(areas)
    order = areas["WIMD 2019 overall rank"].rank(method="first").to_numpy()  # 1 = most deprived
    third = np.minimum((3 * (order - 1) // n).astype(int), 2)
    pilot = np.zeros(n, dtype=bool)
    for band, share in enumerate(PILOT_SHARES):
        members = np.flatnonzero(third == band)
        members = members[np.argsort(order[members], kind="stable")]   # most deprived first
        for start in range(0, len(members), 3):                         # by lot within each run of three
            run = members[start:start + 3]
            chosen = round(share * len(run))
            if chosen:
                pilot[rng.choice(run, chosen, replace=False)] = True
    eligible = np.asarray(PILOT_SHARES)[third] > 0
    deprivation = 1.0 - (order - 1) / max(n - 1, 1)    # 1 = the council's most deprived area, 0 = its least
    rate = _FIRE_RATE * np.exp(_FIRE_GRADIENT * deprivation + rng.normal(0.0, _AREA_SD, n))
    residents = np.round(areas["population"].to_numpy() * factor).astype(int)
    expected = _PILOT_YEARS * rate * residents / 1000.0
    before = rng.poisson(expected)
    after = rng.poisson(expected * _FIRE_TREND * np.where(pilot, PILOT_EFFECT, 1.0))
    frame = pd.DataFrame({
        "LSOA Code": areas["lsoa_code"].to_numpy(),
        "Ward": areas["ward"].to_numpy(),
        "Pilot Area": np.where(pilot, "Pilot", np.where(eligible, "Eligible, not chosen", "Not eligible")),
        "Years Before": _PILOT_YEARS,
        "Deliberate Fires Before": before.astype(int),
        "Years After": _PILOT_YEARS,
        "Deliberate Fires After": after.astype(int),
        "Population": residents,
        "WIMD 2019 Rank": areas["WIMD 2019 overall rank"].to_numpy().astype(int),
    })
    return frame.sort_values("LSOA Code", ignore_index=True)[list(PILOT_COLUMNS)]


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's camera-site table and arson-pilot area table.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        Source of every random draw; the same generator state gives the same files.
    scale : float, default 1.0
        Multiplies traffic, residents and expected events; the sites and areas stay fixed.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"camera_sites.csv": ..., "arson_pilot_areas.csv": ...}`` with the columns of
        :data:`CAMERA_COLUMNS` and :data:`PILOT_COLUMNS`, one row per site or area.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    """
    if not isinstance(council, Council) or council.name not in COUNCIL_NAMES:
        raise ValueError("council must be one of the ten CCR councils (a curriculum.councils.Council), "
                         f"got {council!r}")
    factor = _check_scale(scale)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    wales = wales_table()  # scale 1: the areas are fixed, whatever the scale
    areas = wales[wales["council"] == council.name].sort_values("lsoa_code").reset_index(drop=True)
    cameras = _camera_sites(council, rng, factor)
    pilot = _pilot_areas(areas, rng, factor)
    return {FILES[0]: cameras, FILES[1]: pilot}
