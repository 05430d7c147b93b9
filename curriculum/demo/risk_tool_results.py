"""Demo risk-tool validation: a supplier's confusion matrix, by age band, for one council.

A supplier offers councils an early-warning tool that scores every child referred to
children's services and flags those at risk of their case escalating (a child
protection plan or becoming looked after) within 12 months. Before buying, a council
asks for a validation on its own past referrals: the tool scored a year's referrals,
and the council recorded what happened next. The supplier's report gives the result as
a table of counts, one confusion matrix per age band: ``risk_tool_validation.csv``, one
row per age band, flag (``Flagged`` or ``Not flagged``) and outcome (``Escalated`` or
``Did not escalate``) with the number of children.

The structure the senior module *Risk scores and false alarms* must find:

- the base rate is low (about 6% of referred children escalate), so although the tool
  is "about 90% accurate" (correct for nine children in ten), there are about three
  flags for every child who goes on to escalate, and it misses about half of them;
- errors differ by age: children under 5 (more health-visitor and midwifery records
  about them) are flagged far more often without cause (the highest false positive
  rate), while teenagers, whose risks lie outside the family and outside the records the
  tool reads, are missed most often (the lowest sensitivity).

Each council's numbers are drawn around the regional figures (:data:`AGE_BANDS`), with
its referrals in proportion to its population (:data:`REFERRALS_PER_1000` residents a
year). ``scale`` multiplies the referrals (the volume) and leaves the age bands, rates
and layout as they are. Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council
from curriculum.demo._shared import check_scale as _check_scale

__all__ = ["AGE_BANDS", "COLUMNS", "FILES", "REFERRALS_PER_1000", "generate"]

FILES: tuple[str, ...] = ("risk_tool_validation.csv",)
COLUMNS: tuple[str, ...] = ("Age band", "Tool flag", "Outcome within 12 months", "Children")
REFERRALS_PER_1000 = 25.0   # children referred a year per 1,000 residents (all ages)

# Age band: (share of referrals, base rate of escalation, sensitivity, false positive rate).
AGE_BANDS: dict[str, tuple[float, float, float, float]] = {
    "Under 5": (0.30, 0.080, 0.70, 0.150),
    "5 to 10": (0.30, 0.050, 0.55, 0.060),
    "11 to 15": (0.28, 0.060, 0.40, 0.050),
    "16 and 17": (0.12, 0.045, 0.30, 0.040),
}
_SPREAD = 0.12   # sd of a council's log-odds around each regional rate


def _jitter(rate: float, rng: np.random.Generator) -> float:
    logit = np.log(rate / (1 - rate)) + rng.normal(0.0, _SPREAD)
    return float(1 / (1 + np.exp(-logit)))


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's risk-tool validation table.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        Source of every random draw; the same generator state gives the same file.
    scale : float, default 1.0
        Multiplies the number of referred children; the age bands and rates stay fixed.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"risk_tool_validation.csv": frame}`` with the columns of :data:`COLUMNS`: four
        rows per age band (flagged or not, escalated or not), in the order of
        :data:`AGE_BANDS`.

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
    referred = rng.poisson(REFERRALS_PER_1000 * council.population_2021 / 1000 * factor)
    shares = np.array([v[0] for v in AGE_BANDS.values()])
    per_band = rng.multinomial(referred, shares / shares.sum())
    rows = []
    for (band, (_, base, sensitivity, fpr)), children in zip(AGE_BANDS.items(), per_band):
        cases = rng.binomial(children, _jitter(base, rng))
        caught = rng.binomial(cases, _jitter(sensitivity, rng))
        alarms = rng.binomial(children - cases, _jitter(fpr, rng))
        rows += [(band, "Flagged", "Escalated", caught),
                 (band, "Flagged", "Did not escalate", alarms),
                 (band, "Not flagged", "Escalated", cases - caught),
                 (band, "Not flagged", "Did not escalate", children - cases - alarms)]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["Children"] = frame["Children"].astype(int)
    return {FILES[0]: frame}
