"""Demo fire data: deliberate fires attended by the fire and rescue service, by LSOA and month.

South Wales Fire and Rescue Service (SWFRS) covers all ten councils of the Cardiff
Capital Region. Its Incident Recording System (IRS) records every fire with where it
was, what burned and the motive. This generator writes, for one council,
``deliberate_fires.csv``: deliberate fires by small area (LSOA), month and incident
category over the calendar years 2022 to 2024, as an arson reduction analyst would
extract them: ``LSOA Code``, ``Incident Month`` (``2023-04``), ``Incident Category``
and ``Number of Incidents``. Months in which an area had no fire of a category are
left out, as an extract by incident leaves them out.

The categories follow the IRS: a **primary** fire involves a building, a road vehicle
in use or a casualty; a **secondary** fire is an outdoor fire that does not
(grassland, woodland and crops; refuse and rubbish; derelict vehicles).

The structure the Data Lab's *Fire hotspots* module must find:

- rates per 1,000 residents are much higher in the valleys councils (Rhondda Cynon Taf,
  Merthyr Tydfil, Caerphilly, Blaenau Gwent, Torfaen, Bridgend), mostly from grass fires;
  Cardiff and Newport have more refuse fires, Monmouthshire and the Vale of Glamorgan few
  of either;
- grass fires peak in March and April (dead winter growth, before the spring green-up),
  with a summer bulge in the 2022 heatwave and a quieter, wet spring in 2024; refuse
  fires peak in November (Bonfire night) and, less, in the summer holidays;
- rates rise with deprivation, grass fires also with rurality (estates on the hillside
  edge), and vary between areas well beyond chance (a gamma-distributed area effect);
- a few **persistent hotspots** (about one LSOA in twenty, more often deprived ones)
  have several times the council's grass and refuse fire rates in every year;
- a few **one-year spikes** (a spate of refuse or grass fires in one area in one
  year, then back to normal) top a single year's league table, so allocating by last
  year's fires chases areas that are about to fall back.

LSOAs and their residents come from the Wales-wide WIMD table
(:func:`curriculum.demo.wimd.wales_table`), the same as the folder's ``wimd.csv``, so
every code joins to it. The small areas and the 36 months stay fixed at every
``scale``; the expected number of fires in each area grows with it. Nothing happens
on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council
from curriculum.demo.wimd import lsoa_count, wales_table

__all__ = ["CATEGORIES", "COLUMNS", "FILES", "RATES", "VALLEYS", "YEARS", "generate"]

FILES: tuple[str, ...] = ("deliberate_fires.csv",)
COLUMNS: tuple[str, ...] = ("LSOA Code", "Incident Month", "Incident Category", "Number of Incidents")
CATEGORIES: tuple[str, ...] = ("Primary", "Secondary: grassland", "Secondary: refuse", "Secondary: vehicle")
YEARS: tuple[int, ...] = (2022, 2023, 2024)
VALLEYS: frozenset[str] = frozenset({"Rhondda Cynon Taf", "Merthyr Tydfil", "Caerphilly", "Blaenau Gwent",
                                     "Torfaen", "Bridgend"})

# Deliberate fires a year per 1,000 residents, by category (the order of CATEGORIES).
RATES: dict[str, tuple[float, float, float, float]] = {
    "Blaenau Gwent": (0.50, 2.40, 1.40, 0.30),
    "Bridgend": (0.38, 1.25, 0.95, 0.18),
    "Caerphilly": (0.45, 2.00, 1.25, 0.28),
    "Cardiff": (0.50, 0.30, 1.20, 0.22),
    "Merthyr Tydfil": (0.55, 2.60, 1.50, 0.32),
    "Monmouthshire": (0.18, 0.28, 0.22, 0.07),
    "Newport": (0.45, 0.50, 1.10, 0.22),
    "Rhondda Cynon Taf": (0.45, 2.20, 1.30, 0.28),
    "Torfaen": (0.40, 1.65, 1.10, 0.26),
    "Vale of Glamorgan": (0.22, 0.32, 0.42, 0.09),
}

# Share of a category's fires falling in each calendar month (Jan..Dec), before normalising.
_SEASON = np.array([
    [0.95, 0.90, 0.95, 1.00, 1.00, 1.05, 1.10, 1.10, 0.95, 1.00, 1.30, 0.95],  # primary
    [0.30, 0.90, 2.60, 3.20, 1.80, 0.90, 0.80, 0.80, 0.40, 0.30, 0.30, 0.15],  # grassland
    [0.80, 0.75, 0.90, 1.00, 1.00, 1.00, 1.20, 1.25, 0.95, 1.30, 2.10, 0.80],  # refuse
    [0.95, 0.90, 0.95, 1.00, 1.00, 1.00, 1.05, 1.05, 1.00, 1.10, 1.35, 0.95],  # vehicle
])
# Weather and events of a year, as multipliers of a month's grass fires (year -> {month: factor}).
_GRASS_YEAR = {2022: {7: 3.0, 8: 3.2}, 2023: {3: 1.15, 4: 1.25, 5: 1.2}, 2024: {3: 0.65, 4: 0.7, 5: 0.8}}

_DEPRIVATION = np.array([0.45, 0.35, 0.50, 0.40])  # log rate ratio per unit of latent deprivation
_RURAL = np.array([0.0, 0.9, -0.4, 0.2])            # log rate ratio for a rural LSOA
_AREA_SHAPE = np.array([4.0, 1.6, 2.5, 3.0])        # gamma shape of the between-area variation
_HOTSPOT_SHARE = 0.05                               # persistent hotspots per LSOA
_HOTSPOT = np.array([2.5, 6.0, 4.5, 2.5])           # their rate ratio, every year
_SPIKE_SHARE = 0.03                                 # one-year spikes per LSOA and year
_SPIKE = 6.0                                        # rate ratio of a spike (grass or refuse) in its year


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's deliberate fires by LSOA, month and category, 2022-2024.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same file.
    scale : float, default 1.0
        Volume multiplier: the expected fires of every area grow with it; the LSOAs and
        the months stay fixed.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"deliberate_fires.csv": frame}`` with the columns of :data:`COLUMNS`, one row
        per LSOA, month and category with at least one fire, sorted by month, LSOA code
        and category.

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
    areas = wales[wales["council"] == council.name].sort_values("lsoa_code", ignore_index=True)
    n = len(areas)
    z = areas["z"].to_numpy() - areas["z"].mean()
    rural = areas["rural"].to_numpy().astype(float)
    population = areas["population"].to_numpy().astype(float)

    # Each area's relative risk by category: deprivation, rurality and an area effect.
    risk = np.exp(np.outer(z, _DEPRIVATION) + np.outer(rural, _RURAL))
    risk *= rng.gamma(_AREA_SHAPE, 1.0 / _AREA_SHAPE, size=(n, len(CATEGORIES)))
    hot = rng.choice(n, size=max(2, round(_HOTSPOT_SHARE * n)), replace=False,
                     p=np.exp(0.8 * z) / np.exp(0.8 * z).sum())
    risk[hot] *= _HOTSPOT
    # Scale each category to the council's rate per 1,000 residents.
    base = np.asarray(RATES[council.name]) / 1000.0
    per_year = population[:, None] * risk * (base * population.sum() / (population[:, None] * risk).sum(axis=0))
    per_year *= scale

    season = _SEASON / _SEASON.sum(axis=1, keepdims=True)
    months = pd.period_range(f"{YEARS[0]}-01", f"{YEARS[-1]}-12", freq="M")
    expected = np.empty((len(months), n, len(CATEGORIES)))
    candidates = np.setdiff1d(np.arange(n), hot)
    for y, year in enumerate(YEARS):
        factor = np.ones((n, len(CATEGORIES)))
        spikes = rng.choice(candidates, size=max(1, round(_SPIKE_SHARE * n)), replace=False)
        factor[spikes, rng.choice([1, 2], size=len(spikes))] = _SPIKE
        for m in range(12):
            month_share = season[:, m].copy()
            month_share[1] *= _GRASS_YEAR.get(year, {}).get(m + 1, 1.0)
            expected[12 * y + m] = per_year * factor * month_share
    counts = rng.poisson(expected)

    t, a, c = np.nonzero(counts)
    frame = pd.DataFrame({
        "LSOA Code": areas["lsoa_code"].to_numpy()[a],
        "Incident Month": months.strftime("%Y-%m")[t],
        "Incident Category": np.asarray(CATEGORIES, dtype=object)[c],
        "Number of Incidents": counts[t, a, c],
    })
    frame = frame.sort_values(["Incident Month", "LSOA Code", "Incident Category"], ignore_index=True)
    return {"deliberate_fires.csv": frame[list(COLUMNS)]}
