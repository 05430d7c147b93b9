"""Demo social value data for one council: a TOMs-style measures list and a social value tracker.

Two files per council, in the layout of a social value tracker (Social Value Portal style):

- ``social_value_measures.csv``: the council's list of measures in the style of the National
  TOMs Wales (Themes, Outcomes and Measures) framework: reference (``NT1``, ``NT18``...), theme
  (Jobs, Growth, Social, Environment, Innovation), the well-being goal of the Well-being of
  Future Generations (Wales) Act 2015 it serves, the measure, its unit and a proxy value in
  GBP per unit. The list and the proxy values are **illustrative**, not the framework's
  published values; the same twelve measures are written for every council;
- ``social_value_commitments.csv``: one row per contract, supplier, measure and reporting
  year (financial years 2021-22 to 2024-25) with the quantity the supplier committed to in
  its tender (``Target``) and the quantity it reported as delivered (``Actual``; blank when
  no return was received).

The contracts are those of the council's demo contracts register
(:mod:`curriculum.demo.contracts`, regenerated from the same run's seed and scale, so the
contract references match): about 60% of the contracts worth GBP 100,000 or more that
started from April 2020 (after Welsh councils adopted TOMs-style measures) and ran for at
least six months of a reporting year, leaving out utilities, insurance, stationery, software
and legal services. Each contract commits to two to seven measures chosen by the kind of
work (care, works, transport, other); quantities grow with the contract's annual value.

Three structures are planted in every council's file:

- **under-delivery concentrated in a few suppliers**: two suppliers (three when more than 30
  suppliers have commitments), chosen among those reporting in at least two years, deliver
  25-60% of what they committed on every measure in every year, so their value-weighted
  delivery ratio is below 0.8 in every year they report; every other supplier's ratio is
  0.8 or more in at least one of its years;
- **monitoring gaps**: about one contract in eight (at least one) never sends a return (every
  ``Actual`` blank), and about 4% of the other suppliers' rows are blank; the planted
  under-deliverers always report. A blank is a missing return; a reported 0 is a delivery gap;
- **proxy inflation**: ``NT18`` (spend with local SMEs in the supply chain) counts every pound
  as a pound of social value, suppliers commit 20-40% of the contract's annual value to it
  and report slightly more than they committed, so it carries most of the value claimed.

All contracts' social value data are invented. Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council
from curriculum.demo._shared import same_run
from curriculum.demo.spend import _council, supplier_book

__all__ = ["COMMITMENT_COLUMNS", "FILES", "MEASURES", "MEASURE_COLUMNS", "REPORTING_YEARS", "generate",
           "planted_under_deliverers"]

FILES: tuple[str, ...] = ("social_value_measures.csv", "social_value_commitments.csv")
MEASURE_COLUMNS: tuple[str, ...] = ("Ref", "Theme", "Well-being Goal", "Measure", "Units", "Proxy Value (GBP)")
COMMITMENT_COLUMNS: tuple[str, ...] = ("Contract Reference", "Supplier", "Ref", "Reporting Year", "Target", "Actual")
REPORTING_YEARS: tuple[int, ...] = (2021, 2022, 2023, 2024)  # financial years starting in April of these years

# Ref, theme, well-being goal, measure, unit, illustrative proxy value (GBP per unit).
MEASURES: tuple[tuple[str, str, str, str, str, float], ...] = (
    ("NT1", "Jobs", "A prosperous Wales",
     "Local people employed on the contract (full-time equivalent, for a year)", "FTE", 32_000.0),
    ("NT3", "Jobs", "A more equal Wales",
     "People unemployed for a year or longer employed on the contract (full-time equivalent)", "FTE", 20_000.0),
    ("NT4", "Jobs", "A more equal Wales",
     "Young people not in education, employment or training (NEET) employed on the contract (full-time equivalent)",
     "FTE", 15_000.0),
    ("NT10", "Jobs", "A prosperous Wales",
     "Apprenticeship weeks completed on the contract (level 2, 3 or 4+)", "weeks", 300.0),
    ("NT13", "Jobs", "A more equal Wales",
     "Weeks of meaningful work placements or pre-employment courses for people furthest from work", "weeks", 150.0),
    ("NT18", "Growth", "A prosperous Wales",
     "Spend with local micro, small and medium enterprises (SMEs) in the contract's supply chain", "GBP", 1.0),
    ("NT22", "Growth", "A prosperous Wales",
     "Expert business advice given to local SMEs and social enterprises", "staff hours", 95.0),
    ("NT26", "Social", "A Wales of vibrant culture and thriving Welsh language",
     "Hours of support to local schools and colleges (careers talks, mock interviews, Welsh-medium sessions)",
     "staff hours", 25.0),
    ("NT28", "Social", "A Wales of cohesive communities",
     "Staff volunteering hours given to local community projects", "staff hours", 17.0),
    ("NT31", "Environment", "A globally responsible Wales",
     "Savings in CO2e emissions on the contract (buildings, fleet and energy)", "tonnes CO2e", 250.0),
    ("NT32", "Environment", "A healthier Wales",
     "Car miles saved on the contract (electric vehicles, car sharing, active travel)", "miles", 0.10),
    ("NT48", "Innovation", "A resilient Wales",
     "Hours of specialist time given to co-design service improvements with residents", "staff hours", 60.0),
)
_PROXY = {m[0]: m[5] for m in MEASURES}

_EXCLUDED = {"Utilities", "Gas", "Insurance", "Stationery", "Software", "Legal Services"}
_FAMILY_WORDS = (
    ("care", ("Social Community Care", "Temporary Accommodation", "Education", "Human Resources")),
    ("works", ("Works", "Construction", "Roads", "Street Lighting", "Horticultural", "Environmental Services",
               "Facilities", "Cleaning")),
    ("transport", ("Passenger Transport", "Public Transport", "Vehicle Management")),
)
# Probability that a contract of each family commits to each measure.
_CHOICE = {
    "care": {"NT1": .95, "NT3": .5, "NT4": .4, "NT10": .6, "NT13": .3, "NT18": .85, "NT26": .2, "NT28": .5,
             "NT31": .4, "NT32": .5, "NT48": .2},
    "works": {"NT1": .95, "NT3": .5, "NT4": .3, "NT10": .8, "NT13": .5, "NT18": .9, "NT22": .3, "NT26": .5,
              "NT28": .5, "NT31": .6, "NT32": .3},
    "transport": {"NT1": .9, "NT3": .3, "NT10": .4, "NT18": .8, "NT28": .3, "NT31": .7, "NT32": .7},
    "other": {"NT1": .7, "NT10": .3, "NT13": .3, "NT18": .85, "NT22": .4, "NT26": .4, "NT28": .6, "NT31": .4,
              "NT48": .3},
}
_MAX_MEASURES = 7
_JOBS_ZERO = 0.07  # chance a normal supplier reports 0 on a jobs measure in a year
_SILENT_SHARE = 0.125  # contracts that never send a return
_MISSING_SHARE = 0.04  # other rows without a return
_THRESHOLD = 0.8


def planted_under_deliverers(n_suppliers: int) -> int:
    """Return how many suppliers are planted as persistent under-deliverers.

    Parameters
    ----------
    n_suppliers : int
        Suppliers with social value commitments in the council's file.

    Returns
    -------
    int
        2, or 3 when more than 30 suppliers have commitments.
    """
    return 3 if n_suppliers > 30 else 2


def _family(category: str) -> str:
    for family, words in _FAMILY_WORDS:
        if any(w in category for w in words):
            return family
    return "other"


def _year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def _years(start: pd.Timestamp, expiry: pd.Timestamp) -> list[int]:
    """Reporting years in which the contract ran for at least six months."""
    out = []
    for year in REPORTING_YEARS:
        first, last = pd.Timestamp(year, 4, 1), pd.Timestamp(year + 1, 3, 31)
        days = (min(expiry, last) - max(start, first)).days + 1
        if days >= 182:
            out.append(year)
    return out


def _committed(rng: np.random.Generator, measure: str, annual: float) -> float:
    """The quantity a supplier commits to deliver each year on a contract of this annual value."""
    if measure == "NT1":
        return max(1.0, np.round(2 * annual / rng.uniform(200_000, 400_000)) / 2)
    if measure == "NT3":
        return float(max(1, round(annual / rng.uniform(600_000, 1_200_000))))
    if measure == "NT4":
        return float(max(1, round(annual / rng.uniform(800_000, 1_500_000))))
    if measure == "NT10":
        return 52.0 * max(1, round(annual / rng.uniform(400_000, 900_000)))
    if measure == "NT13":
        return float(rng.choice([12, 18, 24, 36, 48]))
    if measure == "NT18":
        return float(np.round(annual * rng.uniform(0.2, 0.4), -2))
    if measure == "NT22":
        return float(rng.integers(1, 7) * 10)
    if measure == "NT26":
        return float(rng.integers(1, 9) * 10)
    if measure == "NT28":
        return float(rng.integers(4, 41) * 10)
    if measure == "NT31":
        return float(max(1.0, np.round(annual / rng.uniform(20_000, 60_000), 1)))
    if measure == "NT32":
        return float(rng.integers(20, 301) * 100)
    return float(rng.integers(2, 13) * 10)  # NT48


def _rounded(measure: str, quantity: float) -> float:
    """Round a delivered quantity the way suppliers report it."""
    if measure in ("NT1", "NT3", "NT4"):
        return float(np.round(2 * quantity) / 2)
    if measure == "NT31":
        return float(np.round(quantity, 1))
    return float(np.round(quantity))


def _register(council: Council, rng: np.random.Generator, scale: float) -> pd.DataFrame:
    """The council's demo contracts register from the same run (same seed and scale)."""
    return same_run("contracts", council, rng, scale)["contracts.csv"]


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate one council's social value measures list and tracker.

    Parameters
    ----------
    council : curriculum.councils.Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The only source of randomness (the contracts register is regenerated from the
        run's own seed, read from ``rng``).
    scale : float, default 1.0
        Volume multiplier: the contracts register, and so the contracts with commitments,
        grows with it; the measures list does not.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"social_value_measures.csv": measures, "social_value_commitments.csv": tracker}``
        with the columns :data:`MEASURE_COLUMNS` and :data:`COMMITMENT_COLUMNS`, all as text
        (numbers with up to 2 decimals; a blank ``Actual`` is a missing return).

    Raises
    ------
    TypeError
        If ``council`` is not a Council or ``rng`` not a numpy Generator.
    ValueError
        If ``scale`` is not a positive number or the council not a CCR council.
    """
    council = _council(council)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if isinstance(scale, bool) or not (isinstance(scale, (int, float)) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    measures = pd.DataFrame([m[:5] + (f"{m[5]:.2f}",) for m in MEASURES], columns=list(MEASURE_COLUMNS))

    register = _register(council, rng, scale)
    main_name = {v: row["name"] for _, row in supplier_book(council).iterrows() for v in row["variants"]}
    start = pd.to_datetime(register["Start Date"])
    expiry = pd.to_datetime(register["Current Expiry Date"].where(register["Current Expiry Date"] != "",
                                                                  register["End Date"]))
    annual = pd.to_numeric(register["Annual Value"], errors="coerce")
    total = pd.to_numeric(register["Total Contract Value (including extensions)"], errors="coerce")
    eligible = ((start >= pd.Timestamp("2020-04-01")) & (total >= 100_000)
                & ~register["ProClass Description"].isin(_EXCLUDED))
    rows = []
    for i in np.flatnonzero(eligible.to_numpy()):
        years = _years(start.iloc[i], expiry.iloc[i])
        if not years or rng.random() >= 0.6:
            continue
        family = _family(str(register["ProClass Description"].iloc[i]))
        chosen = [m for m, p in _CHOICE[family].items() if rng.random() < p]
        if len(chosen) < 2:
            chosen = sorted(set(chosen) | {"NT1", "NT18"}, key=lambda m: int(m[2:]))
        chosen = chosen[:_MAX_MEASURES]
        supplier = main_name.get(register["Supplier Company Name"].iloc[i], register["Supplier Company Name"].iloc[i])
        for m in chosen:
            committed = _committed(rng, m, float(annual.iloc[i]))
            for year in years:
                rows.append({"contract": register["Contract Reference"].iloc[i], "supplier": supplier,
                             "measure": m, "year": year, "committed": committed})
    frame = pd.DataFrame(rows, columns=["contract", "supplier", "measure", "year", "committed"])

    # Planted under-deliverers: suppliers reporting in two years or more, likelier the more value they committed.
    value = frame["committed"] * frame["measure"].map(_PROXY)
    suppliers = sorted(frame["supplier"].unique())
    k = planted_under_deliverers(len(suppliers))
    span = frame.groupby("supplier")["year"].nunique().reindex(suppliers)
    candidates = [s for s in suppliers if span[s] >= 2]
    weight = value.groupby(frame["supplier"]).sum().reindex(candidates).to_numpy()
    planted = set(rng.choice(candidates, size=min(k, len(candidates)), replace=False, p=weight / weight.sum()))

    # Delivery: planted suppliers fall short everywhere; the others deliver about what they promised.
    level = {s: rng.uniform(0.92, 1.12) for s in suppliers}
    ratio = np.empty(len(frame))
    for j, (supplier, measure) in enumerate(zip(frame["supplier"], frame["measure"])):
        if supplier in planted:
            ratio[j] = rng.uniform(0.4, 0.7) if measure == "NT18" else rng.uniform(0.25, 0.6)
        elif measure == "NT18":
            ratio[j] = level[supplier] * rng.uniform(1.0, 1.3)
        else:
            ratio[j] = level[supplier] * np.exp(rng.normal(0.0, 0.2))
            if measure in ("NT3", "NT4", "NT10", "NT13") and rng.random() < _JOBS_ZERO:
                ratio[j] = 0.0
    delivered = np.array([_rounded(m, q) for m, q in zip(frame["measure"], frame["committed"] * ratio)])

    # Monitoring gaps: silent contracts and missing returns, never for the planted suppliers.
    frame["delivered"] = delivered
    others = sorted(frame.loc[~frame["supplier"].isin(planted), "contract"].unique())
    n_silent = max(1, round(_SILENT_SHARE * frame["contract"].nunique()))
    silent = set(rng.choice(others, size=min(n_silent, len(others)), replace=False)) if others else set()
    missing = frame["contract"].isin(silent) | (~frame["supplier"].isin(planted) & (rng.random(len(frame)) < _MISSING_SHARE))
    frame.loc[missing, "delivered"] = np.nan

    # No other supplier may look persistently short: lift its first reported year to what it committed.
    reported = frame[frame["delivered"].notna()]
    proxy = reported["measure"].map(_PROXY)
    yearly = (reported.assign(value_c=reported["committed"] * proxy, value_d=reported["delivered"] * proxy)
              .groupby(["supplier", "year"])[["value_c", "value_d"]].sum())
    short = (yearly["value_d"] < _THRESHOLD * yearly["value_c"]).groupby(level=0).agg(["all", "size"])
    for supplier in short.index[short["all"] & (short["size"] >= 2)]:
        if supplier not in planted:
            first = yearly.loc[supplier].index.min()
            lift = (frame["supplier"] == supplier) & (frame["year"] == first) & frame["delivered"].notna()
            frame.loc[lift, "delivered"] = frame.loc[lift, "committed"]

    frame = frame.sort_values(["contract", "measure", "year"], key=lambda s: s.map(lambda m: int(m[2:])) if s.name == "measure" else s,
                              kind="stable").reset_index(drop=True)
    tracker = pd.DataFrame({
        "Contract Reference": frame["contract"],
        "Supplier": frame["supplier"],
        "Ref": frame["measure"],
        "Reporting Year": frame["year"].map(_year_label),
        "Target": frame["committed"].map(lambda q: f"{q:.2f}".rstrip("0").rstrip(".")),
        "Actual": frame["delivered"].map(lambda q: "" if pd.isna(q) else f"{q:.2f}".rstrip("0").rstrip(".")),
    }, columns=list(COMMITMENT_COLUMNS))
    return {"social_value_measures.csv": measures, "social_value_commitments.csv": tracker}
