"""Demo planning inputs for a regional Office of Data Analytics (ODA): costs, benefits and expected use.

The ten councils of the Cardiff Capital Region weigh up a shared Office of Data
Analytics on the model of the London Office of Data Analytics pilot, the North East
ODA, the Essex Centre for Data Analytics and New Orleans' Office of Performance and
Accountability. A regional working group has drafted three planning tables, which
every council's folder holds as spreadsheets:

- ``oda_cost_assumptions.csv``: one row per cost item (``Item``, ``Category``,
  ``One-off``, ``Quantity``, ``Unit``, ``Unit cost (GBP)``, ``Low (GBP)``, ``High
  (GBP)``, ``Basis``): the team on Welsh local-government grades, employer on-costs as
  a share of pay, the cloud data platform and licences, information governance (DPIAs,
  WASPI data-sharing agreements, legal review) and training;
- ``oda_benefit_assumptions.csv``: one row per benefit drawn from the Data Lab's
  projects (``Benefit``, ``Module``, ``Quantity a year``, ``Unit``, ``Unit value
  (GBP)``, ``Low``, ``High``, ``Source``), valued with published unit costs;
- ``oda_expected_use.csv``: the analytics projects each council expects to bring a
  year (``Council``, ``Projects a year``, ``Basis``).

The cost and benefit tables are region-wide and the same in every folder. The expected
use is the regional workshop's figure for every council except the folder's own,
which its officers have revised from their service plans (drawn from the council's
random stream), so each council's run shares the cost by use a little differently.

The structure the Data Lab's *Office of Data Analytics* module must find:

- recurring costs (mostly pay and on-costs) dwarf the one-off costs over five years;
- the cloud platform's running cost is the widest range and moves the total most,
  because a yearly uncertainty counts five times;
- the ranges are skewed upwards (overruns are larger than savings), so the central
  estimate is below the mean of the simulated totals;
- expected use is flatter than population: Cardiff, which has analysts of its own,
  expects fewer projects per resident than the small valleys councils, so sharing by
  use moves cost from Cardiff to Merthyr Tydfil and Blaenau Gwent;
- the benefits only just repay the costs within five years once they are phased in.

Planning inputs have no row-level volume: ``scale`` changes nothing (as the number
of councils stays fixed). Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council

__all__ = ["BENEFIT_COLUMNS", "COST_COLUMNS", "EXPECTED_USE", "FILES", "USE_COLUMNS", "generate"]

FILES: tuple[str, ...] = ("oda_cost_assumptions.csv", "oda_benefit_assumptions.csv", "oda_expected_use.csv")
COST_COLUMNS: tuple[str, ...] = ("Item", "Category", "One-off", "Quantity", "Unit", "Unit cost (GBP)", "Low (GBP)",
                                 "High (GBP)", "Basis")
BENEFIT_COLUMNS: tuple[str, ...] = ("Benefit", "Module", "Quantity a year", "Unit", "Unit value (GBP)", "Low", "High",
                                    "Source")
USE_COLUMNS: tuple[str, ...] = ("Council", "Projects a year", "Basis")

# Item, category, one-off, quantity, unit, unit cost, low, high, basis (2025-26 prices).
_COSTS = [
    ("Head of Office of Data Analytics", "Staff", "No", 1, "FTE", 72000, 66000, 82000, "Operational manager grade"),
    ("Data scientist", "Staff", "No", 2, "FTE", 49000, 45000, 56000, "Grade 10; market supplement likely"),
    ("Data engineer", "Staff", "No", 2, "FTE", 47000, 43000, 58000, "Grade 9-10; scarce skills"),
    ("Data analyst", "Staff", "No", 2, "FTE", 37000, 34000, 41000, "Grade 7-8"),
    ("Information governance lead", "Staff", "No", 1, "FTE", 46000, 42000, 50000, "Grade 9; DPIA and WASPI lead"),
    ("Project and partnership manager", "Staff", "No", 1, "FTE", 44000, 40000, 48000, "Grade 9"),
    ("Employer on-costs (NI and pension)", "Staff", "No", 1, "share of pay", 0.30, 0.28, 0.32,
     "Employer NI and LGPS pension"),
    ("Recruitment and onboarding", "Staff", "Yes", 9, "post", 2500, 1000, 6000, "Adverts; re-advertising scarce posts"),
    ("Cloud data platform build", "Platform", "Yes", 1, "build", 120000, 80000, 220000, "Design, build, security test"),
    ("Cloud platform running costs", "Platform", "No", 1, "year", 55000, 30000, 110000, "Pay as you go; grows with use"),
    ("Analytics and dashboard licences", "Platform", "No", 40, "licence", 600, 400, 1000, "Developer and viewer seats"),
    ("Laptops and software set-up", "Platform", "Yes", 9, "post", 1800, 1400, 2500, "Council standard build"),
    ("Security testing and assurance", "Platform", "No", 1, "year", 15000, 8000, 25000, "Penetration test; Cyber Essentials Plus"),
    ("Partnership agreement and governance set-up", "Governance", "Yes", 1, "agreement", 40000, 25000, 70000,
     "Inter-authority agreement; legal services"),
    ("Data protection impact assessments", "Governance", "No", 8, "DPIA", 2500, 1500, 5000, "One per new project"),
    ("Data-sharing agreements (WASPI)", "Governance", "No", 6, "agreement", 3000, 1500, 6000, "WASPI ISP and DDA"),
    ("Legal review of agreements", "Governance", "No", 6, "review", 3500, 2000, 9000, "External counsel when complex"),
    ("Ethics panel and transparency records", "Governance", "No", 1, "year", 8000, 5000, 15000, "Independent panel; ATRS"),
    ("Data literacy training for council officers", "Training", "No", 120, "place", 300, 200, 450, "InFuSe cohort places"),
    ("Professional development for the team", "Training", "No", 9, "person", 1500, 1000, 2500, "Courses and conferences"),
    ("Senior leaders' briefings", "Training", "No", 4, "session", 2000, 1200, 3500, "Cabinet and CMT sessions"),
]

_UCD = "GMCA Unit Cost Database, uprated"
# Benefit, module, quantity a year, unit, unit value, low, high, source.
_BENEFITS = [
    ("Dwelling fires prevented by targeted safe and well visits", "needle_in_a_haystack", 4, "dwelling fire", 45000,
     1, 9, f"{_UCD}: dwelling fire"),
    ("Deliberate fires prevented by allocating prevention hours", "fire_hotspots", 150, "deliberate fire", 2000,
     40, 250, f"{_UCD}: deliberate secondary fire"),
    ("Inspection hours saved by prioritising disrepair cases", "prioritising_work", 3000, "officer hour", 30,
     1000, 6000, "Grade 7 hourly cost with on-costs"),
    ("Tenancy failures avoided by early warning", "early_warning", 15, "tenancy", 8000, 0, 35,
     f"{_UCD}: eviction (social landlord)"),
    ("Contact-centre hours matched to forecast demand", "forecasting_demand", 5000, "adviser hour", 22,
     1500, 9000, "Grade 4 hourly cost with on-costs"),
    ("Pilots stopped or scaled on evidence", "what_works", 2, "pilot", 40000, 0, 5, "Typical pilot budget redirected"),
    ("Analyst hours saved by shared lookups and matching", "joining_by_place", 5000, "analyst hour", 32,
     1500, 7000, "Grade 8 hourly cost with on-costs"),
    ("Wasted premises visits avoided by matching records", "premises_of_concern", 300, "visit", 150, 100, 600,
     "Two officers for two hours with travel"),
]

# Analytics projects a year each council expects to bring (regional workshop, spring 2025).
EXPECTED_USE: dict[str, int] = {
    "Blaenau Gwent": 5, "Bridgend": 6, "Caerphilly": 7, "Cardiff": 10, "Merthyr Tydfil": 5,
    "Monmouthshire": 4, "Newport": 7, "Rhondda Cynon Taf": 9, "Torfaen": 5, "Vale of Glamorgan": 5,
}


def _number(value: float) -> str:
    """A spreadsheet-style number: whole numbers without decimals."""
    return f"{value:g}" if float(value) != int(value) else str(int(value))


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Write one council's ODA planning tables.

    Parameters
    ----------
    council : Council
        The council whose folder the tables are for.
    rng : numpy.random.Generator
        The council's random stream; only its own expected use is drawn from it.
    scale : float, default 1.0
        Ignored: planning inputs have no row-level volume.

    Returns
    -------
    dict of str to pandas.DataFrame
        The three files of :data:`FILES`, all columns as text.
    """
    costs = pd.DataFrame([[item, cat, flag, _number(q), unit, _number(c), _number(lo), _number(hi), basis]
                          for item, cat, flag, q, unit, c, lo, hi, basis in _COSTS], columns=list(COST_COLUMNS))
    benefits = pd.DataFrame([[b, m, _number(q), unit, _number(v), _number(lo), _number(hi), src]
                             for b, m, q, unit, v, lo, hi, src in _BENEFITS], columns=list(BENEFIT_COLUMNS))
    own = max(1, round(EXPECTED_USE[council.name] * float(np.exp(rng.normal(0.0, 0.25)))))
    use = pd.DataFrame([[name, str(own if name == council.name else EXPECTED_USE[name]),
                         "Own estimate from 2025-26 service plans" if name == council.name else "Regional workshop, spring 2025"]
                        for name in COUNCIL_NAMES], columns=list(USE_COLUMNS))
    return {FILES[0]: costs, FILES[1]: benefits, FILES[2]: use}
