"""Demo area outcomes: monthly fly-tipping incidents by LSOA, in and out of a campaign's areas.

A council's street-scene team ran a targeted fly-tipping campaign (enforcement patrols,
covert cameras at hot spots, door-to-door education and a free bulky-waste collection
week) in a handful of its small areas (LSOAs), chosen by officers and councillors, not
by lot. This generator writes one council's monitoring extract, ``fly_tipping_by_lsoa.csv``:
one row per LSOA and month for 30 months (April 2022 to September 2024), with the LSOA
code, its ward, the month, whether the LSOA was a campaign area and the month the
campaign started there (blank for the others), the fly-tipping incidents recorded (as a
council records them for WasteDataFlow), the LSOA's residents and its WIMD 2019 overall
rank. The extract keeps the campaign LSOAs, the LSOAs shortlisted but not chosen, and a
random sample of the others (:data:`AREAS` in all).

The structure the Data Lab's *Experimenting for what works* module must find:

- the campaign areas were chosen because they were bad: they are among the council's
  most deprived and had higher incident rates than its other areas before the campaign,
  so a comparison with the other areas after the campaign mostly shows how different
  they were (in most councils it makes the campaign look harmful);
- incidents rise everywhere (a common rise of the rate per 1,000 each month) with a
  summer peak, so a before-and-after comparison of the campaign areas alone mixes the
  campaign with the season and the trend;
- in the more deprived half of the council's areas (by WIMD rank) the rate was rising
  faster, so a difference in differences against *all* other areas understates the
  campaign's effect and a placebo start in the months before tends to find a spurious
  "effect"; against comparison areas matched on deprivation and the pre-campaign rate,
  nearly all of that bias goes (the extract keeps the areas shortlisted for the campaign
  but not chosen, which are good matches);
- the campaign cut incidents by 30% (rate ratio :data:`EFFECT`) from the month it
  started, for as long as the extract runs.

LSOA codes, wards, WIMD ranks and populations come from the Wales-wide draw behind the
WIMD table (:func:`curriculum.demo.wimd.wales_table`), so they agree with ``wimd.csv``.
``scale`` multiplies each area's residents and expected incidents (as if every area were
``scale`` times larger), leaving the areas, months and rates as they are. Nothing
happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council
from curriculum.demo._shared import check_scale as _check_scale
from curriculum.demo.wimd import wales_table
from curriculum.experiments import draw_counts

__all__ = ["FILES", "COLUMNS", "MONTHS", "START_MONTHS", "AREAS", "CAMPAIGN_AREAS", "EFFECT", "RATE_PER_1000",
           "generate"]

FILES: tuple[str, ...] = ("fly_tipping_by_lsoa.csv",)
COLUMNS: tuple[str, ...] = ("LSOA Code", "Ward", "Month", "Campaign Area", "Campaign From", "Fly-tipping Incidents",
                            "Population", "WIMD 2019 Rank")
MONTHS = pd.date_range("2022-04-01", periods=30, freq="MS")  # April 2022 to September 2024
START_MONTHS = pd.to_datetime(["2023-07-01", "2023-08-01", "2023-09-01", "2023-10-01"])  # one per council, drawn
AREAS = 36            # LSOAs in a council's extract
CAMPAIGN_AREAS = 10   # LSOAs the campaign ran in
EFFECT = 0.70         # rate ratio of the campaign: a fall of 30%
RATE_PER_1000 = 1.2   # incidents a month per 1,000 residents in an LSOA of average (Wales) deprivation

_DEPRIVATION = 0.45   # log rate ratio per unit of latent deprivation (Wales-wide)
_OWN = 0.30           # sd of an area's own log rate beyond deprivation (fly-tipping hot spots)
_SEASON = 0.20        # seasonal swing of the rate per 1,000 a month, peak in July (common to all areas)
_TREND = 0.006        # common rise of the rate per 1,000 a month, each month
_STEEPER = 0.035      # extra rise of the rate a month in the more deprived half of the council's areas
_FLOOR = 0.05         # lowest expected rate per 1,000 a month
_DISPERSION = 0.04    # negative-binomial dispersion of a month's count beyond Poisson
_SHORTLISTED = 11     # LSOAs shortlisted for the campaign but not chosen, always in the extract


def _choose_areas(areas: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Pick the campaign areas (the worst, by officers' judgement) and the sample of the others."""
    n = len(areas)
    rank = -areas["WIMD 2019 overall rank"].astype(float)
    within = ((rank - rank.mean()) / rank.std(ddof=0)).to_numpy()  # deprivation within the council, in sd
    own = rng.normal(0.0, _OWN, n)
    judgement = within + 0.5 * own / _OWN + rng.normal(0.0, 0.8, n)  # deprivation, hot spots, lobbying
    treated = np.zeros(n, dtype=bool)
    treated[np.argsort(-judgement, kind="stable")[:CAMPAIGN_AREAS]] = True
    keep = treated.copy()
    keep[np.argsort(-judgement, kind="stable")[CAMPAIGN_AREAS:CAMPAIGN_AREAS + _SHORTLISTED]] = True
    rest = np.flatnonzero(~keep)
    keep[rng.permutation(rest)[:max(0, AREAS - int(keep.sum()))]] = True
    chosen = areas.assign(within=within, own=own, treated=treated)[keep]
    return chosen.reset_index(drop=True)


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's monthly fly-tipping extract by LSOA around a targeted campaign.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        Source of every random draw; the same generator state gives the same file.
    scale : float, default 1.0
        Multiplies each area's residents and expected incidents; the areas and months
        stay fixed.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"fly_tipping_by_lsoa.csv": frame}`` with the columns of :data:`COLUMNS`, one
        row per LSOA and month, sorted by LSOA code and month.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    """
    if not isinstance(council, Council) or council.name not in COUNCIL_NAMES:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    factor = _check_scale(scale)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    wales = wales_table()  # scale 1: the areas are fixed, whatever the scale
    areas = _choose_areas(wales[wales["council"] == council.name].reset_index(drop=True), rng)
    start = START_MONTHS[rng.integers(len(START_MONTHS))]

    n_areas, n_months = len(areas), len(MONTHS)
    months = np.arange(n_months, dtype=float)
    common = _SEASON * np.cos(2.0 * np.pi * (MONTHS.month.to_numpy() - 7) / 12.0) + _TREND * months
    level = RATE_PER_1000 * np.exp(_DEPRIVATION * areas["z"].to_numpy() + areas["own"].to_numpy())
    slope = _STEEPER * (areas["within"].to_numpy() > 0)
    untreated = np.maximum(level[:, None] + common[None, :] + slope[:, None] * months[None, :], _FLOOR)
    on = areas["treated"].to_numpy()[:, None] & np.asarray(MONTHS >= start)[None, :]
    rate = untreated * np.where(on, EFFECT, 1.0)
    residents = np.round(areas["population"].to_numpy() * factor).astype(int)
    counts = draw_counts((rate * residents[:, None] / 1000.0).ravel(), _DISPERSION, rng).reshape(n_areas, n_months)

    treated = np.repeat(areas["treated"].to_numpy(), n_months)
    frame = pd.DataFrame({
        "LSOA Code": np.repeat(areas["lsoa_code"].to_numpy(), n_months),
        "Ward": np.repeat(areas["ward"].to_numpy(), n_months),
        "Month": np.tile(MONTHS.strftime("%Y-%m"), n_areas),
        "Campaign Area": np.where(treated, "Yes", "No"),
        "Campaign From": np.where(treated, start.strftime("%Y-%m"), ""),
        "Fly-tipping Incidents": counts.ravel().astype(int),
        "Population": np.repeat(residents, n_months),
        "WIMD 2019 Rank": np.repeat(areas["WIMD 2019 overall rank"].to_numpy(), n_months),
    })
    return {FILES[0]: frame.sort_values(["LSOA Code", "Month"], ignore_index=True)[list(COLUMNS)]}
