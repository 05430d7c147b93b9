"""Demo event log of a service: Disabled Facilities Grants (DFGs) from enquiry to completion.

One file per council, ``service_events.csv``: one row per event in a case's journey
through the council's adaptations service, in the layout of a case-management
system's audit export (``Case Reference``, ``Event``, ``Event Date`` as
``dd/mm/yyyy HH:MM``, ``Referral Source``, ``Ward``, ``Age Band``). The journey has
five steps, in this order (:data:`STEPS`): the first contact (*Enquiry*), the
occupational therapist's assessment (*OT assessment*), the formal grant
*Application*, the grant's *Approval* and the certified *Completion* of the works.

Enquiries arrive over eighteen months (April 2022 to September 2023, about one a
year per 1,000 residents) and the extract is taken on 31 March 2024, so recent cases
are still in progress. Times between steps are log-normal (medians of about six
weeks for an OT assessment, five weeks to an application, three to an approval and
two months for the works), slower or faster by council. Cases drop out along the
way (people withdraw, move into care or die; the OT recommends minor works instead;
the means test rules them out), and the oldest are the most likely to. About two
thirds of the cases that drop out are closed in the system with a *Withdrawn* event
(:data:`CLOSURE`) some weeks after their last step; the rest were never closed.

Structure planted for the exercises to find:

- **one ward waits markedly longer for an OT assessment** (about 2.6 times as long:
  the locality OT team covering it carries a vacancy), and hospital-discharge
  referrals are assessed much sooner (prioritised);
- **missing steps**: in about 4% of cases a step the case clearly passed (a later
  one is recorded) was never keyed in, most often the application;
- **dates that go backwards**: in about 2% of cases one date was typed wrongly (the
  year one too low, or day and month swapped), so the step appears before the one it
  followed;
- **duplicate rows**: about 1% of events appear twice in the export.

:func:`generate_with_truth` gives the same file with the planted truth attached.
Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council

__all__ = ["FILES", "COLUMNS", "STEPS", "CLOSURE", "CHANNELS", "AGE_BANDS", "WARDS", "EXTRACT_DATE",
           "generate", "generate_with_truth", "case_count"]

FILES: tuple[str, ...] = ("service_events.csv",)
COLUMNS: tuple[str, ...] = ("Case Reference", "Event", "Event Date", "Referral Source", "Ward", "Age Band")
STEPS: tuple[str, ...] = ("Enquiry", "OT assessment", "Application", "Approval", "Completion")
CLOSURE = "Withdrawn"  # the event that closes a case that will not be completed

FIRST_ENQUIRY = pd.Timestamp("2022-04-01")
LAST_ENQUIRY = pd.Timestamp("2023-09-30")
EXTRACT_DATE = pd.Timestamp("2024-03-31 17:00")
_ENQUIRIES_PER_1000 = 1.5  # over the eighteen months

# Where referrals come from, their shares and their effect on the wait for an OT assessment.
CHANNELS: dict[str, tuple[float, float]] = {
    "Self": (0.24, 1.0),
    "Family or carer": (0.12, 1.0),
    "GP or community health": (0.18, 1.0),
    "Hospital discharge": (0.12, 0.35),
    "Social services": (0.24, 0.8),
    "Care & Repair": (0.10, 1.0),
}
AGE_BANDS: dict[str, float] = {"0-17": 0.05, "18-64": 0.21, "65-74": 0.21, "75-84": 0.30, "85+": 0.23}

# Median days from one step to the next, and the spread (log scale).
_MEDIAN_DAYS = (42.0, 35.0, 21.0, 60.0)
_SIGMA = (0.55, 0.6, 0.5, 0.55)
# Chance that a case stops after each step (before the next), for most ages and for 85+.
_STOP = (0.13, 0.18, 0.05, 0.04)
_STOP_85 = (0.22, 0.22, 0.07, 0.07)
_CLOSED_SHARE = 0.65  # of the cases that drop out, the share closed in the system as withdrawn
_SLOW_WARD_FACTOR = 2.6
_SLOW_WARD_WEIGHT = 1.5

# Electoral wards (or ward groups) of each council.
WARDS: dict[str, tuple[str, ...]] = {
    "Blaenau Gwent": ("Abertillery and Six Bells", "Badminton", "Beaufort", "Blaina", "Brynmawr", "Cwm",
                      "Cwmtillery", "Ebbw Vale North", "Ebbw Vale South", "Georgetown", "Llanhilleth",
                      "Nantyglo", "Rassau and Garnlydan", "Sirhowy", "Tredegar Central and West"),
    "Bridgend": ("Aberkenfig", "Brackla East and Coychurch Lower", "Bridgend Central", "Bryntirion, Laleston and Merthyr Mawr",
                 "Caerau", "Coity Higher", "Cornelly", "Garw Valley", "Maesteg East", "Maesteg West", "Nant-y-moel",
                 "Newton", "Nottage", "Ogmore Vale", "Oldcastle", "Pencoed and Penprysg", "Porthcawl East Central",
                 "Porthcawl West Central", "Pyle, Kenfig and Cefn Cribwr"),
    "Caerphilly": ("Aber Valley", "Aberbargoed and Bargoed", "Abercarn", "Argoed", "Bedwas and Trethomas", "Blackwood",
                   "Cefn Fforest and Pengam", "Crosskeys", "Crumlin", "Darran Valley", "Gilfach", "Hengoed",
                   "Llanbradach", "Maesycwmmer", "Moriah and Pontlottyn", "Morgan Jones", "Nelson", "Newbridge",
                   "Penmaen", "Penyrheol", "Pontllanfraith", "Risca East", "Risca West", "St Cattwg", "St James",
                   "St Martins", "Ynysddu", "Ystrad Mynach"),
    "Cardiff": ("Adamsdown", "Butetown", "Caerau", "Canton", "Cathays", "Cyncoed", "Ely", "Fairwater", "Gabalfa",
                "Grangetown", "Heath", "Lisvane and Thornhill", "Llandaff", "Llandaff North", "Llanedeyrn",
                "Llanishen", "Llanrumney", "Pentwyn", "Pentyrch and St Fagans", "Penylan", "Plasnewydd",
                "Pontprennau and Old St Mellons", "Radyr and Morganstown", "Rhiwbina", "Riverside", "Rumney",
                "Splott", "Trowbridge", "Whitchurch and Tongwynlais"),
    "Merthyr Tydfil": ("Bedlinog and Trelewis", "Cyfarthfa", "Dowlais and Pant", "Gurnos", "Merthyr Vale", "Park",
                       "Penydarren", "Plymouth", "Town", "Treharris", "Vaynor"),
    "Monmouthshire": ("Caldicot Castle", "Cantref", "Castle and Priory", "Chepstow Castle and Larkfield", "Crucorney",
                      "Drybridge", "Goetre Fawr", "Grofield", "Lansdown", "Llanelly", "Llanfoist and Govilon",
                      "Magor East with Undy", "Overmonnow", "Portskewett", "Raglan", "Rogiet", "Shirenewton",
                      "St Arvans", "Usk and Llanbadoc", "Wyesham"),
    "Newport": ("Allt-yr-yn", "Alway", "Beechwood", "Bettws", "Caerleon", "Gaer", "Graig", "Langstone", "Llanwern",
                "Lliswerry", "Malpas", "Pillgwenlly", "Ringland", "Rogerstone East", "Rogerstone West",
                "Shaftesbury", "St Julians", "Stow Hill", "Victoria"),
    "Rhondda Cynon Taf": ("Aberaman", "Abercynon", "Aberdare East", "Aberdare West and Llwydcoed", "Beddau and Tyn-y-nant",
                          "Brynna and Llanharan", "Church Village", "Cilfynydd", "Cwm Clydach", "Cymer",
                          "Ferndale and Maerdy", "Gilfach Goch", "Hirwaun, Penderyn and Rhigos", "Llantrisant and Talbot Green",
                          "Llantwit Fardre", "Mountain Ash", "Penrhiwceiber", "Pentre", "Pont-y-clun", "Pontypridd Town",
                          "Porth", "Rhydfelen Central", "Taffs Well", "Tonypandy", "Tonyrefail East", "Tonyrefail West",
                          "Trallwng", "Treforest", "Treherbert", "Treorchy", "Tylorstown and Ynyshir", "Ynysybwl"),
    "Torfaen": ("Abersychan", "Blaenavon", "Coed Eva", "Croesyceiliog", "Fairwater", "Greenmeadow", "Llantarnam",
                "Llanyrafon", "New Inn", "Panteg", "Pontnewydd", "Pontypool Fawr", "St Dials", "Trevethin and Penygarn",
                "Two Locks", "Upper Cwmbran"),
    "Vale of Glamorgan": ("Baruc", "Buttrills", "Cadoc", "Castleland", "Cornerswell", "Court", "Cowbridge",
                          "Dinas Powys", "Dyfan", "Gibbonsdown", "Illtyd", "Llandough", "Llantwit Major",
                          "Peterston-super-Ely", "Plymouth", "Rhoose", "St Athan", "St Augustine's", "Stanwell",
                          "Sully", "Wenvoe"),
}


def case_count(council: Council, scale: float = 1.0) -> int:
    """Return how many cases (enquiries) the council's demo log holds.

    Parameters
    ----------
    council : Council
        The council; its Census 2021 population sets the number.
    scale : float, default 1.0
        Volume multiplier (positive).

    Returns
    -------
    int
        About 1.5 enquiries per 1,000 residents (eighteen months of enquiries), at least 30.

    Raises
    ------
    ValueError
        If ``scale`` is not a positive number.
    """
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    return max(30, round(council.population_2021 * float(scale) * _ENQUIRIES_PER_1000 / 1000))


def _office_time(rng: np.random.Generator, days: np.ndarray) -> pd.DatetimeIndex:
    """Dates moved off weekends, at a time in office hours (08:30 to 16:59)."""
    dates = pd.DatetimeIndex(days).normalize()
    weekday = dates.dayofweek.to_numpy()
    shift = np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))
    minutes = rng.integers(8 * 60 + 30, 17 * 60, len(dates))
    return dates + pd.to_timedelta(shift, unit="D") + pd.to_timedelta(minutes, unit="min")


def _journeys(rng: np.random.Generator, council: Council, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cases (one row each) and their true events, before any recording flaws."""
    wards = WARDS[council.name]
    slow = int(rng.integers(len(wards)))
    weights = np.ones(len(wards))
    weights[slow] = _SLOW_WARD_WEIGHT
    ward = rng.choice(len(wards), size=n, p=weights / weights.sum())
    names, shares = list(CHANNELS), np.array([v[0] for v in CHANNELS.values()])
    channel = rng.choice(len(names), size=n, p=shares / shares.sum())
    bands, band_p = list(AGE_BANDS), np.array(list(AGE_BANDS.values()))
    age = rng.choice(len(bands), size=n, p=band_p / band_p.sum())
    speed = rng.uniform(0.85, 1.25)  # this council's pace, for every step
    span = (LAST_ENQUIRY - FIRST_ENQUIRY).days + 1
    start = FIRST_ENQUIRY + pd.to_timedelta(np.sort(rng.integers(0, span, n)), unit="D")
    times = np.full((n, len(STEPS)), np.datetime64("NaT"), dtype="datetime64[ns]")
    times[:, 0] = _office_time(rng, start.to_numpy()).to_numpy()
    alive = np.ones(n, dtype=bool)
    dropped = np.zeros(n, dtype=bool)
    old = np.array([bands[a] == "85+" for a in age])
    for k in range(1, len(STEPS)):
        stop = np.where(old, _STOP_85[k - 1], _STOP[k - 1])
        quits = alive & (rng.random(n) < stop)
        dropped |= quits
        alive &= ~quits
        factor = np.full(n, speed)
        if k == 1:  # waiting for the OT: the slow ward, and prioritised hospital discharges
            factor *= np.where(ward == slow, _SLOW_WARD_FACTOR, 1.0)
            factor *= np.array([CHANNELS[names[c]][1] for c in channel])
        if k == 2:  # Care & Repair caseworkers help with the forms
            factor *= np.where(np.array(names)[channel] == "Care & Repair", 0.7, 1.0)
        days = np.maximum(1.0, np.round(_MEDIAN_DAYS[k - 1] * factor * np.exp(rng.normal(0.0, _SIGMA[k - 1], n))))
        previous = pd.DatetimeIndex(times[:, k - 1]).normalize()
        proposed = _office_time(rng, (previous + pd.to_timedelta(np.nan_to_num(days), unit="D")).to_numpy())
        ok = alive & ~np.isnat(times[:, k - 1]) & (proposed.to_numpy() <= EXTRACT_DATE.to_datetime64())
        times[ok, k] = proposed.to_numpy()[ok]
        alive &= ok
    # Most cases that drop out are closed as withdrawn some weeks after their last step; the rest stay open.
    last = pd.DatetimeIndex(np.nanmax(np.where(np.isnat(times), np.datetime64("1900-01-01"), times), axis=1)).normalize()
    closing = _office_time(rng, (last + pd.to_timedelta(rng.integers(7, 91, n), unit="D")).to_numpy())
    closed = dropped & (rng.random(n) < _CLOSED_SHARE) & (closing.to_numpy() <= EXTRACT_DATE.to_datetime64())
    withdrawn = np.where(closed, closing.to_numpy(), np.datetime64("NaT"))
    times = np.concatenate([times, withdrawn.astype("datetime64[ns]")[:, None]], axis=1)
    year = pd.DatetimeIndex(times[:, 0]).year % 100
    serial = pd.Series(1, index=range(n)).groupby(year).cumsum().to_numpy()
    width = max(4, len(str(n)))
    cases = pd.DataFrame({
        "case": [f"DFG/{y:02d}/{s:0{width}d}" for y, s in zip(year, serial)],
        "channel": np.array(names)[channel],
        "ward": np.array(wards)[ward],
        "age": np.array(bands)[age],
        "slow_ward": ward == slow,
    })
    rows = [(i, k, times[i, k]) for i in range(n) for k in range(len(STEPS) + 1) if not np.isnat(times[i, k])]
    events = pd.DataFrame(rows, columns=["i", "k", "time"])
    return cases, events


def _flaws(rng: np.random.Generator, events: pd.DataFrame) -> pd.DataFrame:
    """Drop some intermediate steps, mistype some dates, duplicate some rows; label each flaw."""
    events = events.assign(flaw="")
    steps = events["k"] < len(STEPS)  # the service's steps, not the closure
    furthest = events["k"].where(steps).groupby(events["i"]).transform("max")
    middle = events[(events["k"] > 0) & (events["k"] < furthest)]
    cases = middle["i"].unique()
    chosen = rng.choice(cases, size=round(0.05 * len(cases)), replace=False) if len(cases) else []
    drop = []
    for i in chosen:  # the application is the step most often left unrecorded
        options = middle.index[middle["i"] == i]
        ks = middle.loc[options, "k"].to_numpy()
        p = np.where(ks == 2, 3.0, 1.0)
        drop.append(rng.choice(options, p=p / p.sum()))
    events = events.drop(index=drop)
    events.loc[events["i"].isin(chosen), "flaw"] = "missing step"
    later = events[(events["k"] > 0) & (events["k"] < len(STEPS))]
    n_cases = events["i"].nunique()
    typo_cases = rng.choice(later["i"].unique(), size=round(0.02 * n_cases), replace=False)
    for i in typo_cases:
        rows = later.index[later["i"] == i]
        row = rng.choice(rows)
        when = events.at[row, "time"]
        before = events.loc[(events["i"] == i) & (events["k"] < events.at[row, "k"]), "time"].max()
        swapped = None
        if when.day <= 12 and when.day != when.month:
            swapped = when.replace(month=when.day, day=when.month)
        if swapped is None or swapped >= before:
            swapped = when - pd.DateOffset(years=1)
            while swapped >= before:
                swapped -= pd.DateOffset(years=1)
        events.at[row, "time"] = swapped
        events.loc[events["i"] == i, "flaw"] = "date typed wrongly"
    copies = events.sample(n=max(1, round(0.01 * len(events))), random_state=rng)
    events = pd.concat([events, copies.assign(flaw="duplicate row")])
    return events


def generate_with_truth(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate the council's event log with the planted truth attached.

    The same file as :func:`generate` (same generator state, same rows) with three
    extra columns: ``_slow_ward`` (the case lives in the ward with slow OT
    assessments), ``_flaw`` (``"missing step"``, ``"date typed wrongly"``,
    ``"duplicate row"`` or empty) and ``_step_index`` (the step's position in
    :data:`STEPS`, or ``len(STEPS)`` for the closure).

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same file.
    scale : float, default 1.0
        Volume multiplier for the number of cases.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"service_events.csv": frame}``.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not positive.
    """
    if not isinstance(council, Council) or council.name not in WARDS:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    n = case_count(council, scale)
    cases, events = _journeys(rng, council, n)
    events = _flaws(rng, events)
    events = events.join(cases, on="i")
    frame = pd.DataFrame({
        "Case Reference": events["case"],
        "Event": np.array(STEPS + (CLOSURE,))[events["k"].to_numpy()],
        "Event Date": pd.DatetimeIndex(events["time"]).strftime("%d/%m/%Y %H:%M"),
        "Referral Source": events["channel"],
        "Ward": events["ward"],
        "Age Band": events["age"],
        "_slow_ward": events["slow_ward"],
        "_flaw": events["flaw"],
        "_step_index": events["k"],
        "_time": events["time"],
    })
    frame = frame.sort_values(["Case Reference", "_time", "_step_index"], kind="stable", ignore_index=True)
    return {"service_events.csv": frame.drop(columns="_time")}


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's demo event log of Disabled Facilities Grant cases.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same file.
    scale : float, default 1.0
        Volume multiplier for the number of cases.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"service_events.csv": frame}`` with the columns of :data:`COLUMNS`, one row
        per recorded event, sorted by case reference and then by the date as recorded.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not positive.
    """
    frames = generate_with_truth(council, rng, scale)
    return {name: frame[list(COLUMNS)] for name, frame in frames.items()}
