"""Regional demo generator: yearly counts by council, StatsWales style.

One file, ``indicators.csv``, covers all ten CCR councils and is copied into every
council's demo folder. Each row is one council, year and indicator with a count of
events (or, for children looked after, the number on 31 March). Counts are Poisson
draws around a council-specific underlying rate per 1,000 residents, so the
smallest councils (Merthyr Tydfil, Blaenau Gwent) bounce around the most from year
to year, as they do in the published tables:

- road casualties killed or seriously injured (about 0.2-0.4 per 1,000 residents a
  year: tens per council; Monmouthshire's rural A roads give it a genuinely higher
  rate);
- fly-tipping incidents (several per 1,000 residents; counts in the thousands, with
  year-to-year changes in recording practice on top of chance);
- children looked after (about 2-4 per 1,000 residents).

The columns are the published ones mapped in ``datasets/demo/mapping.yaml``:
``Area Code``, ``Area Name``, ``Year``, ``Indicator``, ``Count``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, councils

__all__ = ["FILES", "INDICATORS", "YEARS", "generate_region"]

FILES: tuple[str, ...] = ("indicators.csv",)
YEARS: tuple[int, ...] = tuple(range(2014, 2024))

KSI = "Road casualties killed or seriously injured"
FLY_TIPPING = "Fly-tipping incidents"
CHILDREN_LOOKED_AFTER = "Children looked after"
INDICATORS: tuple[str, ...] = (KSI, FLY_TIPPING, CHILDREN_LOOKED_AFTER)

# Underlying rates per 1,000 residents a year, in the order of COUNCIL_NAMES:
# Blaenau Gwent, Bridgend, Caerphilly, Cardiff, Merthyr Tydfil, Monmouthshire,
# Newport, Rhondda Cynon Taf, Torfaen, Vale of Glamorgan.
_RATES: dict[str, tuple[float, ...]] = {
    KSI: (0.26, 0.30, 0.27, 0.26, 0.27, 0.40, 0.28, 0.28, 0.25, 0.33),
    FLY_TIPPING: (13.0, 6.0, 9.0, 14.0, 17.0, 4.0, 12.0, 12.5, 8.0, 5.0),
    CHILDREN_LOOKED_AFTER: (3.4, 2.6, 2.2, 2.5, 3.6, 1.6, 2.6, 2.9, 3.8, 2.0),
}

# Regional movement by year (1.0 = 2021): casualties fell in the 2020 lockdowns,
# fly-tipping rose in 2020, looked-after numbers rose to 2021 and levelled off.
_YEAR_FACTOR: dict[str, tuple[float, ...]] = {
    KSI: (1.08, 1.06, 1.04, 1.03, 1.01, 1.00, 0.80, 0.92, 0.97, 0.95),
    FLY_TIPPING: (0.90, 0.93, 0.97, 1.00, 1.02, 1.05, 1.18, 1.08, 1.00, 0.97),
    CHILDREN_LOOKED_AFTER: (0.82, 0.85, 0.88, 0.92, 0.96, 1.00, 1.03, 1.05, 1.05, 1.04),
}

# Year-to-year extra variation beyond chance (log scale): recording practice for
# fly-tipping; none for the others, which are pure Poisson around their rate.
_EXTRA_SD: dict[str, float] = {KSI: 0.0, FLY_TIPPING: 0.08, CHILDREN_LOOKED_AFTER: 0.0}

# Yearly population growth around Census 2021: the cities grow faster.
_GROWTH = {"Cardiff": 0.006, "Newport": 0.006}
_DEFAULT_GROWTH = 0.002


def generate_region(rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate the regional indicators table for all ten councils.

    Parameters
    ----------
    rng : numpy.random.Generator
        The only source of randomness; the same generator state gives the same table.
    scale : float, default 1.0
        Accepted for the generator interface and checked, but ignored: the table is
        an aggregate with one row per council, year and indicator, so its size is
        fixed (10 councils x 10 years x 3 indicators = 300 rows).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"indicators.csv": frame}`` with the columns ``Area Code``, ``Area Name``,
        ``Year``, ``Indicator`` and ``Count`` (whole numbers).

    Raises
    ------
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    ValueError
        If ``scale`` is not a positive number.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    table = councils().set_index("name").loc[list(COUNCIL_NAMES)]
    years = np.array(YEARS)
    rows = []
    for indicator in INDICATORS:
        for i, name in enumerate(COUNCIL_NAMES):
            growth = _GROWTH.get(name, _DEFAULT_GROWTH)
            population = table.loc[name, "population_2021"] * (1 + growth) ** (years - 2021)
            mean = _RATES[indicator][i] * np.array(_YEAR_FACTOR[indicator]) * population / 1000
            if _EXTRA_SD[indicator] > 0:
                mean = mean * np.exp(rng.normal(0.0, _EXTRA_SD[indicator], size=len(years)))
            counts = rng.poisson(mean)
            for year, count in zip(YEARS, counts):
                rows.append((table.loc[name, "code"], name, year, indicator, int(count)))
    frame = pd.DataFrame(rows, columns=["Area Code", "Area Name", "Year", "Indicator", "Count"])
    return {"indicators.csv": frame}
