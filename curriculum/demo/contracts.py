"""Demo contracts register for one council, in the layout of Salford City Council's register.

One row per contract with its reference, title, supplier (from the council's
supplier book in :mod:`curriculum.demo.spend`, so the names match the spend
file's vendor records), supplier postcode (local CF/NP districts or elsewhere in
the UK), annual and total value, start, end and current expiry dates between 2019
and 2029, extension options and whether they were taken, SME flag and ProClass
code. Procedures follow the Public Contracts Regulations 2015 before 24 February
2025 and the Procurement Act 2023 from then on. All contracts are invented.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council
from curriculum.demo.spend import BODY_NAMES, CATEGORIES, PREFIXES, TOWNS, _council, supplier_book

__all__ = ["FILES", "generate", "COLUMNS", "REGISTER_DATE"]

FILES: tuple[str, ...] = ("contracts.csv",)
REGISTER_DATE = pd.Timestamp("2025-03-31")  # the register is published as at this date
PROCUREMENT_ACT_DATE = pd.Timestamp("2025-02-24")
_RESIDENTS_PER_CONTRACT = 1_500.0
_FTS_THRESHOLD = 214_904.0  # services threshold (incl. VAT) from 1 January 2024
_LAST_DAY = pd.Timestamp("2029-12-31")

COLUMNS: tuple[str, ...] = (
    "Directorate Name", "Process Used", "Purchasing Body", "Contract Reference", "Contract Title",
    "Contract Description", "Supplier Company Name", "Supplier Postcode", "Annual Value",
    "Total Contract Value (including extensions)", "OJEU/FTS?", "Start Date", "End Date",
    "Contract Duration (months)", "Option to extend (months)", "How many extensions", "Extension 1 Taken?",
    "Extension 2 Taken?", "Current Expiry Date", "SME Supplier?", "ProClass Classification",
    "ProClass Description", "Company Number", "Visibility",
)

_DIRECTORATES = {
    "Adult Social Care": "Social Services", "Children's Services": "Social Services",
    "Education": "Education & Lifelong Learning", "Highways & Transport": "Economy & Environment",
    "Waste Management": "Economy & Environment", "Housing": "Housing & Communities",
    "Leisure & Culture": "Housing & Communities", "Corporate Services": "Corporate Resources",
    "Regeneration": "Economy & Environment", "Planning & Public Protection": "Economy & Environment",
    "Property & Facilities": "Corporate Resources",
}
_TITLES = {
    "Residential & Nursing Care": ("Residential and Nursing Care for Older People", "Care Home Placements - {town}"),
    "Domiciliary Care": ("Domiciliary Care Framework - Lot {lot}", "Home Care Services - {town} Patch"),
    "Supported Living": ("Supported Living Services - Learning Disabilities", "Supported Living Scheme - {town}"),
    "Independent Fostering Agencies": ("Independent Fostering Agency Placements", "All Wales Foster Care Framework Call-Off"),
    "Children's Residential Placements": ("Children's Residential Placement", "Children's Commissioning Consortium Cymru Placement"),
    "Home to School Transport": ("Home to School Transport - Route {lot}", "Learner Travel Contract - {town}"),
    "Taxis & Private Hire": ("Social Services Taxi Provision", "Passenger Transport DPS - Lot {lot}"),
    "School Meals Provisions": ("School Meals Fresh Produce", "Catering Provisions - Lot {lot}"),
    "Catering Provisions": ("Catering Supplies", "Cafe Provisions - {town}"),
    "Additional Learning Needs Support": ("Additional Learning Needs Specialist Support", "Education Other Than At School Provision"),
    "Highways Maintenance": ("Highway Resurfacing Programme", "Carriageway Patching - {town}", "Highways Minor Works Framework"),
    "Street Lighting": ("Street Lighting LED Replacement", "Street Lighting Maintenance"),
    "Public Transport Subsidies": ("Supported Bus Service - Route {lot}", "Community Transport Service"),
    "Waste Disposal & Treatment": ("Residual Waste Treatment", "Food Waste Treatment", "Dry Recycling Processing"),
    "Vehicle Hire & Maintenance": ("Fleet Vehicle Hire", "Refuse Collection Vehicle Maintenance"),
    "Fuel": ("Bulk Fuel Supply",),
    "Temporary Accommodation": ("Temporary Accommodation - {town}", "Emergency Accommodation Provision"),
    "Disabled Facilities Adaptations": ("Disabled Facilities Grant Works Framework", "Stairlift Supply and Installation"),
    "Construction Works": ("New Primary School - {town}", "Sustainable Communities for Learning - {town} Campus",
                           "{town} Town Centre Regeneration Works", "Council Housing New Build - {town}"),
    "Building Repairs & Maintenance": ("Responsive Repairs - Lot {lot}", "Roofing Repairs Framework", "Electrical Testing and Repairs",
                                       "Heating and Plumbing Maintenance"),
    "Cleaning & Janitorial": ("Office Cleaning Services", "Janitorial Supplies"),
    "Electricity": ("Supply of Electricity",),
    "Gas": ("Supply of Natural Gas",),
    "Water": ("Water and Wastewater Services",),
    "Security Services": ("Security and Keyholding Services", "CCTV Maintenance"),
    "Grounds Maintenance": ("Grounds Maintenance - {town}", "Tree Surgery Services"),
    "Leisure Management Fee": ("Leisure Centres Management", "Library and Leisure Services Partnership"),
    "Events & Entertainment": ("{town} Christmas Lights and Events", "Event Staging and Sound"),
    "ICT Software & Licences": ("Social Care Case Management System", "Finance System Licences", "Cloud Hosting Services"),
    "ICT Hardware & Services": ("End User Devices", "Network Managed Service", "Schools ICT Equipment"),
    "Agency Staff": ("Temporary Agency Workers", "Agency Social Workers"),
    "Consultants Fees": ("Multi-disciplinary Consultancy Framework", "Feasibility Study - {town}"),
    "Legal Fees": ("External Legal Services", "Childcare Legal Advice"),
    "Insurance": ("Insurance Programme",),
    "Printing & Stationery": ("Print Services", "Office Stationery"),
    "Furniture & Equipment": ("School Furniture", "Community Equipment Service"),
    "Health & Safety Equipment": ("Personal Protective Equipment", "Workwear and PPE"),
    "Training": ("Corporate Training Programme", "Social Care Training"),
}
_ELSEWHERE_PROCESS = ("Open Procedure", "Restricted Procedure", "Framework Call-Off", "Quotation (RFQ)",
                      "Direct Award - CPR Exemption", "Competitive Procedure with Negotiation")
_PA23_PROCESS = ("Open Procedure", "Competitive Flexible Procedure", "Framework Call-Off", "Below Threshold Quotation",
                 "Direct Award")
_FRAMEWORK_BODIES = ("Crown Commercial Service", "Welsh Procurement Alliance", "YPO", "ESPO",
                     "South East Wales Construction Framework")


def _months(start: pd.Timestamp, months: int) -> pd.Timestamp:
    return start + pd.DateOffset(months=months) - pd.Timedelta(days=1)


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate one council's contracts register.

    Parameters
    ----------
    council : curriculum.councils.Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The only source of randomness (besides the council's supplier book).
    scale : float, default 1.0
        Volume multiplier: about ``population / 1,500 * scale`` contracts.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"contracts.csv": frame}`` with the columns in :data:`COLUMNS`, all as
        text: dates as yyyy-mm-dd, values with 2 decimals, flags Yes/No/N/A.

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
    if not (isinstance(scale, (int, float)) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    book = supplier_book(council)
    cats = {c.expense_type: c for c in CATEGORIES}
    n = max(1, int(round(council.population_2021 / _RESIDENTS_PER_CONTRACT * scale)))
    procured = book["category"].map(lambda c: cats[c].proclass != "999999").to_numpy()  # no grants or public bodies
    weight = np.where(procured, book["annual_spend"].to_numpy() ** 0.5, 0.0)
    pick = rng.choice(len(book), size=n, p=weight / weight.sum())
    prefix = PREFIXES[council.name]
    towns = TOWNS[council.name]
    first_day, last_start = pd.Timestamp("2019-04-01"), pd.Timestamp("2025-09-30")
    span = (last_start - first_day).days
    rows = []
    for seq, i in enumerate(pick, start=1):
        sup = book.iloc[int(i)]
        cat = cats[sup["category"]]
        service = cat.services[0][0]
        start = first_day + pd.Timedelta(days=int(span * rng.beta(1.8, 1.0)))
        duration = int(rng.choice([6, 12, 24, 36, 48, 60, 84], p=[0.06, 0.22, 0.2, 0.22, 0.15, 0.1, 0.05]))
        option = int(rng.choice([0, 6, 12, 24], p=[0.45, 0.1, 0.3, 0.15]))
        while _months(start, duration + option) > _LAST_DAY and duration > 6:
            duration -= 6
        if _months(start, duration + option) > _LAST_DAY:
            option = 0
        end = _months(start, duration)
        extensions = 0 if option == 0 else (1 if option <= 12 else 2)
        step = option // extensions if extensions else 0
        flags, expiry = ["N/A", "N/A"], end
        for k in range(extensions):
            if expiry >= REGISTER_DATE:
                flags[k] = "Not yet due"
                break
            if rng.random() < 0.35:
                flags[k] = "No"
                break
            flags[k] = "Yes"
            expiry = _months(expiry + pd.Timedelta(days=1), step)
        annual = float(sup["annual_spend"]) * float(rng.uniform(0.3, 1.0))
        total = annual * (duration + option) / 12.0
        pa23 = start >= PROCUREMENT_ACT_DATE
        process = str(rng.choice(_PA23_PROCESS if pa23 else _ELSEWHERE_PROCESS))
        if total < 25_000 and not process.startswith("Direct"):
            process = "Below Threshold Quotation" if pa23 else "Quotation (RFQ)"
        body = str(rng.choice(_FRAMEWORK_BODIES)) if process == "Framework Call-Off" else BODY_NAMES[council.name]
        title = str(rng.choice(_TITLES[cat.expense_type])).format(town=str(rng.choice(towns)), lot=int(rng.integers(1, 9)))
        variants = sup["variants"]
        supplier = variants[0] if len(variants) == 1 or rng.random() < 0.8 else variants[int(rng.integers(1, len(variants)))]
        postcode = sup["postcode"] if rng.random() < 0.97 else ""
        rows.append({
            "Directorate Name": _DIRECTORATES[service],
            "Process Used": process,
            "Purchasing Body": body,
            "Contract Reference": f"{prefix}-{start.year}-{seq:04d}",
            "Contract Title": title,
            "Contract Description": f"{title} for {BODY_NAMES[council.name]} ({service})",
            "Supplier Company Name": supplier,
            "Supplier Postcode": postcode,
            "Annual Value": f"{annual:.2f}",
            "Total Contract Value (including extensions)": f"{total:.2f}",
            "OJEU/FTS?": "Yes" if (total > _FTS_THRESHOLD and not process.startswith("Direct")) else "No",
            "Start Date": start.strftime("%Y-%m-%d"),
            "End Date": end.strftime("%Y-%m-%d"),
            "Contract Duration (months)": str(duration),
            "Option to extend (months)": str(option),
            "How many extensions": str(extensions),
            "Extension 1 Taken?": flags[0],
            "Extension 2 Taken?": flags[1],
            "Current Expiry Date": expiry.strftime("%Y-%m-%d"),
            "SME Supplier?": "Yes" if sup["sme"] else "No",
            "ProClass Classification": cat.proclass,
            "ProClass Description": cat.proclass_name,
            "Company Number": sup["company_number"],
            "Visibility": "Public",
        })
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = frame.sort_values(["Contract Title", "Start Date"], kind="stable").reset_index(drop=True)
    return {"contracts.csv": frame}
