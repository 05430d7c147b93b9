"""Regional demo generator: results of a social-prescribing pilot run at several sites.

One file, ``pilot_results.csv``, is the regional monitoring return of a social-prescribing
link-worker pilot and is copied into every council's demo folder. Each of the ten CCR
councils ran the pilot in one GP cluster (Cardiff and Rhondda Cynon Taf in two), and two
sites outside the region ran the same model: Swansea and Rotherham, whose social
prescribing service is one of the longest-running in England.

At every site adults referred by their GP practice were randomised to start with a link
worker at once (the pilot arm) or after six months (the comparison arm, a waiting-list
design). The outcome is the change in the Warwick-Edinburgh Mental Wellbeing Scale
(WEMWBS, 14-70) over six months; a person counts as *improved* when their score rose by
at least 3 points. The return gives, per arm, the people followed up, the people
improved and the mean and standard deviation of the change, with each site's fidelity
score (0-100, an audit of the model's core components) and the pilot's total cost.

The structure planted for the module to find: the true effect grows with fidelity
(about 0.3 percentage points more people improved per fidelity point), so the sites
differ by more than chance (moderate heterogeneity) and the pooled effect is positive
while a new site's effect could still be about zero; higher fidelity costs a little more
per participant but buys a much larger effect.

The columns are those mapped in ``datasets/demo/mapping.yaml``; see :data:`COLUMNS`.
Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import councils

__all__ = ["FILES", "COLUMNS", "SITES", "generate_region"]

FILES: tuple[str, ...] = ("pilot_results.csv",)
COLUMNS: tuple[str, ...] = (
    "Site ID", "Site", "Local Authority", "Local Authority Code", "Months Running",
    "Pilot Followed Up", "Pilot Improved", "Comparison Followed Up", "Comparison Improved",
    "Pilot Mean WEMWBS Change", "Pilot SD WEMWBS Change",
    "Comparison Mean WEMWBS Change", "Comparison SD WEMWBS Change",
    "Fidelity Score", "Total Pilot Cost (GBP)",
)

# (GP cluster, local authority, planned fidelity, months running). Councils outside the
# region carry their own ONS code and population below.
SITES: tuple[tuple[str, str, float, int], ...] = (
    ("Blaenau Gwent East", "Blaenau Gwent", 55, 12),
    ("Bridgend North", "Bridgend", 75, 15),
    ("Caerphilly North", "Caerphilly", 65, 12),
    ("Cardiff East", "Cardiff", 85, 18),
    ("Cardiff South West", "Cardiff", 70, 12),
    ("Merthyr Tydfil North", "Merthyr Tydfil", 50, 9),
    ("North Monmouthshire", "Monmouthshire", 80, 15),
    ("Newport East", "Newport", 60, 12),
    ("Rhondda", "Rhondda Cynon Taf", 72, 15),
    ("Taf Ely", "Rhondda Cynon Taf", 45, 9),
    ("North Torfaen", "Torfaen", 68, 12),
    ("Western Vale", "Vale of Glamorgan", 78, 15),
    ("Swansea City", "Swansea", 62, 12),
    ("Rotherham Central", "Rotherham", 90, 24),
)
_OUTSIDE = {"Swansea": ("W06000011", 238_500), "Rotherham": ("E08000018", 265_800)}

_SD_CHANGE = 8.0          # spread of individual WEMWBS changes over six months
_IMPROVED = 3             # a rise of at least 3 points counts as improved
_EFFECT_AT_70 = 1.5       # true mean effect (WEMWBS points) at fidelity 70
_EFFECT_PER_POINT = 0.065  # extra effect per fidelity point
_EFFECT_NOISE = 0.35      # site variation not explained by fidelity
_COST_AT_70 = 230.0       # GBP per participant at fidelity 70
_COST_PER_POINT = 2.5     # extra GBP per participant per fidelity point
_RURAL_COST = {"Monmouthshire": 40.0, "Rotherham": -20.0}  # travel across rural areas; an established service


def _check(rng, scale) -> None:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")


def _summary(changes: np.ndarray) -> tuple[int, int, float, float]:
    """People, people improved, mean and SD of whole-point WEMWBS changes."""
    return len(changes), int((changes >= _IMPROVED).sum()), float(changes.mean()), float(changes.std(ddof=1))


def generate_region(rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate the regional social-prescribing pilot return.

    Parameters
    ----------
    rng : numpy.random.Generator
        The only source of randomness; the same generator state gives the same table.
    scale : float, default 1.0
        Multiplies the people followed up at every site (the number of sites is fixed
        by the pilot: fourteen).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"pilot_results.csv": frame}`` with the columns of :data:`COLUMNS`, one row
        per site.

    Raises
    ------
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    ValueError
        If ``scale`` is not a positive number.
    """
    _check(rng, scale)
    table = councils().set_index("name")
    sites_per_area = pd.Series([s[1] for s in SITES]).value_counts()
    rows = []
    for i, (site, area, planned, months) in enumerate(SITES):
        code, population = _OUTSIDE.get(area, (None, None))
        if code is None:
            code, population = table.loc[area, "code"], int(table.loc[area, "population_2021"])
        catchment = population / sites_per_area[area]
        fidelity = float(np.clip(np.round(planned + rng.normal(0.0, 4.0)), 20, 98))
        n_pilot = max(20, round((120 + 0.55 * catchment / 1000) * rng.uniform(0.85, 1.15) * float(scale)))
        n_comparison = max(20, round(n_pilot * rng.uniform(0.85, 1.0)))
        base = rng.normal(1.0, 0.6)
        effect = _EFFECT_AT_70 + _EFFECT_PER_POINT * (fidelity - 70) + rng.normal(0.0, _EFFECT_NOISE)
        pilot = np.round(rng.normal(base + effect, _SD_CHANGE, n_pilot))
        comparison = np.round(rng.normal(base, _SD_CHANGE, n_comparison))
        n1, e1, m1, s1 = _summary(pilot)
        n0, e0, m0, s0 = _summary(comparison)
        per_person = _COST_AT_70 + _COST_PER_POINT * (fidelity - 70) + _RURAL_COST.get(area, 0.0) + rng.normal(0.0, 25.0)
        rows.append({
            "Site ID": f"SP{i + 1:02d}", "Site": site, "Local Authority": area, "Local Authority Code": code,
            "Months Running": months, "Pilot Followed Up": n1, "Pilot Improved": e1,
            "Comparison Followed Up": n0, "Comparison Improved": e0,
            "Pilot Mean WEMWBS Change": f"{m1:.2f}", "Pilot SD WEMWBS Change": f"{s1:.2f}",
            "Comparison Mean WEMWBS Change": f"{m0:.2f}", "Comparison SD WEMWBS Change": f"{s0:.2f}",
            "Fidelity Score": int(fidelity), "Total Pilot Cost (GBP)": int(round(per_person * n1, -2)),
        })
    return {"pilot_results.csv": pd.DataFrame(rows, columns=list(COLUMNS))}
