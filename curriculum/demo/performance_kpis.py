"""Demo corporate performance dashboard: five monthly measures a management team sees.

A council's performance management system (the kind that feeds the monthly
"corporate performance report" to the corporate management team and to scrutiny)
exports one row per measure and month, with the month's actual, the target and the
measure's polarity. This generator writes ``performance_dashboard.csv`` for one
council, April 2022 to March 2025 (three financial years, 36 months), with five
measures:

- **Days to process new Housing Benefit claims** (average days; lower is better,
  target 20): improves by about a day a year, with a peak every April and May (annual
  uprating and year-end work) and a smaller one at Christmas;
- **Missed bin collections per 100,000 collections** (lower is better, target 50):
  gets worse by about 12% a year (round changes and an ageing fleet), with a strong
  winter peak (Christmas catch-up, frost and snow in January) and a summer low. Any
  run of months from January to June or July looks like a big improvement: the window
  a cherry-picked chart starts and ends in;
- **Fly-tipping incidents cleared within 5 working days** (%; higher is better, target
  95%): between 90% and 97%, improving slowly, with a summer dip when incidents peak.
  Its yearly averages differ by a point or two, so a bar chart whose axis starts near
  90% makes a small change look enormous;
- **Working days lost to sickness absence per FTE** (days per FTE in the month;
  lower is better, target 0.875 a month, 10.5 a year): a winter peak, and a latest
  year a few per cent better than the one before in most months. Added up from April
  (the year-to-date figure dashboards show) it rises every month regardless;
- **Household waste reused, recycled or composted** (%; higher is better): a summer
  peak from garden waste and a slow rise; the target is the Welsh statutory 64% until
  2023-24 and 70% from 2024-25 (Waste (Wales) Measure 2010).

Each council gets its own levels and trend sizes from ``rng``; the structure above is
the same for all ten. Month-to-month noise persists for a few months (an AR(1) process),
as backlogs and vacancies do, so forecasts grow less certain the further ahead they look. The table is an aggregate with a fixed size (5 measures x 36
months = 180 rows), so ``scale`` is checked but does not change it. The columns are
the export's (``Month``, ``Measure``, ``Actual``, ``Target``, ``Unit``, ``Polarity``),
mapped in ``datasets/demo/mapping.yaml``. Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council

__all__ = [
    "COLUMNS",
    "FILES",
    "FIRST_MONTH",
    "FLY_TIPPING",
    "HOUSING_BENEFIT",
    "MEASURES",
    "MISSED_BINS",
    "MONTHS",
    "RECYCLING",
    "SICKNESS",
    "generate",
]

FILES: tuple[str, ...] = ("performance_dashboard.csv",)
COLUMNS: tuple[str, ...] = ("Month", "Measure", "Actual", "Target", "Unit", "Polarity")
FIRST_MONTH = pd.Timestamp("2022-04-01")
MONTHS = 36

HOUSING_BENEFIT = "Days to process new Housing Benefit claims"
MISSED_BINS = "Missed bin collections per 100,000 collections"
FLY_TIPPING = "Fly-tipping incidents cleared within 5 working days"
SICKNESS = "Working days lost to sickness absence per FTE"
RECYCLING = "Household waste reused, recycled or composted"
MEASURES: tuple[str, ...] = (HOUSING_BENEFIT, MISSED_BINS, FLY_TIPPING, SICKNESS, RECYCLING)

_UNIT = {HOUSING_BENEFIT: "average days", MISSED_BINS: "per 100,000 collections", FLY_TIPPING: "%",
         SICKNESS: "days per FTE", RECYCLING: "%"}
_POLARITY = {HOUSING_BENEFIT: "Lower is better", MISSED_BINS: "Lower is better", FLY_TIPPING: "Higher is better",
             SICKNESS: "Lower is better", RECYCLING: "Higher is better"}
_DECIMALS = {HOUSING_BENEFIT: 1, MISSED_BINS: 1, FLY_TIPPING: 1, SICKNESS: 2, RECYCLING: 1}

# Seasonal patterns by calendar month (January first).
_HB_SEASON = np.array([1.0, 0.3, 0.5, 3.0, 2.0, 0.0, -0.5, -0.8, -0.5, -0.3, 0.0, 1.5])          # added days
_BINS_SEASON = np.array([1.45, 1.20, 1.02, 0.92, 0.86, 0.80, 0.80, 0.84, 0.88, 0.94, 1.06, 1.33])  # multiplier
_FLY_SEASON = np.array([0.6, 0.8, 0.5, 0.0, -0.4, -1.2, -1.8, -1.6, -0.6, 0.2, 0.5, 0.6])        # added points
_SICK_SEASON = np.array([1.28, 1.15, 1.05, 0.95, 0.90, 0.84, 0.80, 0.82, 0.92, 1.02, 1.10, 1.17])  # multiplier
_RECYCLING_SEASON = np.array([-3.0, -2.5, -1.0, 1.0, 2.5, 3.2, 3.0, 2.6, 1.2, -0.5, -2.2, -3.5])  # added points
_SICK_YEAR = np.array([1.0, 1.03, 0.98])  # 2022-23, 2023-24, 2024-25: the latest year is better
_PERSISTENCE = 0.6


def _months() -> pd.DatetimeIndex:
    return pd.date_range(FIRST_MONTH, periods=MONTHS, freq="MS")


def _persistent_noise(rng: np.random.Generator, sd: float) -> np.ndarray:
    """Month-to-month noise that persists (an AR(1) process with coefficient 0.6 and standard deviation ``sd``):
    a backlog, a vacancy or a bad run of weather lasts for more than one month."""
    shocks = rng.normal(0.0, sd, MONTHS)
    noise = np.empty(MONTHS)
    noise[0] = shocks[0]
    for t in range(1, MONTHS):
        noise[t] = _PERSISTENCE * noise[t - 1] + np.sqrt(1 - _PERSISTENCE ** 2) * shocks[t]
    return noise


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate one council's monthly performance dashboard export.

    Parameters
    ----------
    council : Council
        The council (its name is not written: the loader adds it).
    rng : numpy.random.Generator
        The only source of randomness; the same generator state gives the same table.
    scale : float, default 1.0
        Checked but ignored: the table holds one row per measure and month, so its
        size is fixed (180 rows).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"performance_dashboard.csv": frame}`` with the columns of :data:`COLUMNS`;
        ``Month`` as ``YYYY-MM`` text, ``Actual`` and ``Target`` rounded as dashboards
        show them.

    Raises
    ------
    TypeError
        If ``council`` is not a :class:`~curriculum.councils.Council` or ``rng`` is not a
        :class:`numpy.random.Generator`.
    ValueError
        If ``scale`` is not a positive number.
    """
    if not isinstance(council, Council):
        raise TypeError(f"council must be a curriculum.councils.Council, got {type(council).__name__}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    months = _months()
    years = np.arange(MONTHS) / 12.0              # years since April 2022
    fy = np.arange(MONTHS) // 12                  # 0, 1, 2: the financial year
    cal = months.month.to_numpy() - 1             # calendar month, 0 = January
    values: dict[str, np.ndarray] = {}

    level = rng.uniform(19.0, 24.0)
    values[HOUSING_BENEFIT] = (level - rng.uniform(0.7, 1.4) * years + _HB_SEASON[cal]
                               + _persistent_noise(rng, 0.8))
    level = rng.uniform(38.0, 62.0)
    growth = rng.uniform(0.10, 0.16)
    values[MISSED_BINS] = level * np.exp(growth * years) * _BINS_SEASON[cal] * np.exp(_persistent_noise(rng, 0.05))
    level = rng.uniform(91.0, 93.5)
    values[FLY_TIPPING] = np.minimum(level + rng.uniform(0.5, 1.1) * years + _FLY_SEASON[cal]
                                     + _persistent_noise(rng, 0.5), 99.5)
    level = rng.uniform(0.88, 1.02)
    values[SICKNESS] = level * _SICK_SEASON[cal] * _SICK_YEAR[fy] * np.exp(_persistent_noise(rng, 0.05))
    level = rng.uniform(60.0, 65.0)
    values[RECYCLING] = level + rng.uniform(0.6, 1.4) * years + _RECYCLING_SEASON[cal] + _persistent_noise(rng, 0.7)

    targets = {HOUSING_BENEFIT: np.full(MONTHS, 20.0), MISSED_BINS: np.full(MONTHS, 50.0),
               FLY_TIPPING: np.full(MONTHS, 95.0), SICKNESS: np.full(MONTHS, 0.875),
               RECYCLING: np.where(fy < 2, 64.0, 70.0)}
    parts = []
    for measure in MEASURES:
        parts.append(pd.DataFrame({
            "Month": months.strftime("%Y-%m"),
            "Measure": measure,
            "Actual": np.round(values[measure], _DECIMALS[measure]),
            "Target": np.round(targets[measure], 3),
            "Unit": _UNIT[measure],
            "Polarity": _POLARITY[measure],
        }))
    frame = pd.concat(parts, ignore_index=True)
    return {"performance_dashboard.csv": frame[list(COLUMNS)]}
