"""Regional demo generator: a National Survey for Wales-style table of results by council.

The National Survey for Wales (Welsh Government) interviews about 12,000 adults a year
and publishes, for each local authority, the percentage agreeing with each statement and
how many people answered. This generator writes ``national_survey_results.csv``, one row
per council, survey year (2021 = 2021-22, to 2024 = 2024-25) and statement, for all ten
CCR councils, copied into every council's demo folder:

- "The council provides high-quality services": true rates close together (40-49%), and
  drifting down by under a point a year across the region. Most differences between
  councils, and most changes from one year to the next, are within chance;
- "Satisfied with the local area as a place to live": true rates far apart (78-93%):
  Monmouthshire and the Vale of Glamorgan clearly above Merthyr Tydfil and Blaenau Gwent;
- "Can influence decisions affecting the local area": low (17-24%);
- "Feel safe walking alone in the local area after dark" (64-80%).

Respondents per council and year run from 300 (Merthyr Tydfil, Blaenau Gwent) to 1,200
(Cardiff), varying by up to a tenth from year to year, as the survey's achieved samples do.
The published percentage is the share agreeing in a simple random sample of that size
(binomial), rounded to one decimal place: every difference in the table beyond the true
rates above is chance, which is what the module's intervals and replays are about.

The table is an aggregate of fixed size (10 councils x 4 years x 4 statements = 160 rows),
so ``scale`` is checked but does not change it. The columns (``Area code``, ``Area``,
``Year``, ``Question``, ``Respondents``, ``Percentage agreeing``) are mapped in
``datasets/demo/mapping.yaml``. Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, councils

__all__ = [
    "COLUMNS",
    "FILES",
    "INFLUENCE",
    "LOCAL_AREA",
    "QUESTIONS",
    "SAFE_AFTER_DARK",
    "SERVICES",
    "YEARS",
    "generate_region",
]

FILES: tuple[str, ...] = ("national_survey_results.csv",)
COLUMNS: tuple[str, ...] = ("Area code", "Area", "Year", "Question", "Respondents", "Percentage agreeing")
YEARS: tuple[int, ...] = (2021, 2022, 2023, 2024)

SERVICES = "The council provides high-quality services"
LOCAL_AREA = "Satisfied with the local area as a place to live"
INFLUENCE = "Can influence decisions affecting the local area"
SAFE_AFTER_DARK = "Feel safe walking alone in the local area after dark"
QUESTIONS: tuple[str, ...] = (SERVICES, LOCAL_AREA, INFLUENCE, SAFE_AFTER_DARK)

# True percentages in the order of COUNCIL_NAMES: Blaenau Gwent, Bridgend, Caerphilly,
# Cardiff, Merthyr Tydfil, Monmouthshire, Newport, Rhondda Cynon Taf, Torfaen, Vale of Glamorgan.
_TRUE: dict[str, tuple[float, ...]] = {
    SERVICES: (41.0, 44.0, 43.0, 46.0, 40.0, 49.0, 42.0, 44.0, 43.0, 47.0),
    LOCAL_AREA: (79.0, 86.0, 84.0, 87.0, 78.0, 93.0, 82.0, 83.0, 84.0, 91.0),
    INFLUENCE: (18.0, 21.0, 20.0, 24.0, 17.0, 24.0, 21.0, 19.0, 20.0, 23.0),
    SAFE_AFTER_DARK: (66.0, 72.0, 70.0, 68.0, 64.0, 80.0, 65.0, 70.0, 71.0, 76.0),
}
_DRIFT: dict[str, float] = {SERVICES: -0.8, LOCAL_AREA: 0.0, INFLUENCE: -0.3, SAFE_AFTER_DARK: 0.0}  # points a year
_RESPONDENTS = (330, 620, 780, 1150, 300, 520, 740, 950, 460, 600)


def generate_region(rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate the survey results table for all ten councils.

    Parameters
    ----------
    rng : numpy.random.Generator
        The only source of randomness; the same generator state gives the same table.
    scale : float, default 1.0
        Checked but ignored: the table is an aggregate with a fixed size (160 rows).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"national_survey_results.csv": frame}`` with the columns of :data:`COLUMNS`.

    Raises
    ------
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    ValueError
        If ``scale`` is not a positive number.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    codes = councils().set_index("name")["code"]
    rows = []
    for k, year in enumerate(YEARS):
        sizes = np.clip(np.round(np.array(_RESPONDENTS) * rng.uniform(0.9, 1.1, len(COUNCIL_NAMES))), 300, 1200)
        for question in QUESTIONS:
            truth = (np.array(_TRUE[question]) + _DRIFT[question] * k) / 100
            agreeing = rng.binomial(sizes.astype(int), truth)
            for name, n, a in zip(COUNCIL_NAMES, sizes, agreeing):
                rows.append((codes[name], name, year, question, int(n), round(100 * a / n, 1)))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return {"national_survey_results.csv": frame}
