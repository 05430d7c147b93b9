"""Demo payments over GBP 500 for one council, financial year April 2024 to March 2025.

The file follows the Local Government Transparency Code layout (``Body``, ``Body
Name``, ``Date``, ``Transaction Number``, ``Net Amount``, ``Supplier Name``,
``Supplier ID``, ``Expense Area``, ``Expense Type``, ``Proclass``) and has the
features real files have and the Procurement Lab teaches:

- heavy-tailed supplier sizes: a few suppliers take most of the money, a long
  tail takes little;
- the same supplier under several vendor records whose names differ in case,
  punctuation, legal suffix, "&"/"and", a leading "The" or a "t/a" form;
- payments to individuals (direct payments, fostering allowances) under the
  council's redaction label and without a supplier ID;
- credits (negative amounts) on a few per cent of lines; every other amount is at
  least GBP 500.

The suppliers themselves come from :func:`supplier_book`, which depends on the
council only, so the contracts generator (:mod:`curriculum.demo.contracts`) names
the same suppliers. Supplier names are invented, except those of the councils and
health boards paid under "Payments to Other Public Bodies".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from curriculum.councils import Council, get_council
from curriculum.suppliers import normalise_supplier_name

__all__ = ["FILES", "generate", "supplier_book", "CATEGORIES", "SERVICES", "BODY_NAMES",
           "POSTCODE_AREAS", "REDACTION_LABELS", "FINANCIAL_YEAR"]

FILES: tuple[str, ...] = ("spend.csv",)
FINANCIAL_YEAR = (pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-31"))
_BOOK_SEED = 7_401_2024  # the supplier book depends on the council only
_SPEND_PER_HEAD = 300.0  # GBP of published payments per resident per year
_RESIDENTS_PER_LINE = 60.0
_LINE_POWER = 0.15  # lines to a supplier grow as its annual spend to this power
_INDIVIDUAL_LINES = 0.07  # share of lines paid to (redacted) individuals
_TAIL_INDEX = 0.8  # Pareto index of supplier sizes within a category (smaller is more concentrated)
_FRAGMENTED_INDEX = 1.8  # the same in categories with many suppliers

BODY_NAMES: dict[str, str] = {
    "Blaenau Gwent": "Blaenau Gwent County Borough Council",
    "Bridgend": "Bridgend County Borough Council",
    "Caerphilly": "Caerphilly County Borough Council",
    "Cardiff": "Cardiff Council",
    "Merthyr Tydfil": "Merthyr Tydfil County Borough Council",
    "Monmouthshire": "Monmouthshire County Council",
    "Newport": "Newport City Council",
    "Rhondda Cynon Taf": "Rhondda Cynon Taf County Borough Council",
    "Torfaen": "Torfaen County Borough Council",
    "Vale of Glamorgan": "Vale of Glamorgan Council",
}

#: Short prefixes the councils use on references (contract references in the demo).
PREFIXES: dict[str, str] = {
    "Blaenau Gwent": "BGCBC", "Bridgend": "BCBC", "Caerphilly": "CCBC", "Cardiff": "CDF",
    "Merthyr Tydfil": "MTCBC", "Monmouthshire": "MCC", "Newport": "NCC", "Rhondda Cynon Taf": "RCT",
    "Torfaen": "TCBC", "Vale of Glamorgan": "VOG",
}

POSTCODE_AREAS: dict[str, tuple[str, ...]] = {
    "Cardiff": ("CF3", "CF5", "CF10", "CF11", "CF14", "CF23", "CF24"),
    "Vale of Glamorgan": ("CF61", "CF62", "CF63", "CF64", "CF71"),
    "Rhondda Cynon Taf": ("CF37", "CF38", "CF39", "CF40", "CF41", "CF42", "CF43", "CF44", "CF45", "CF72"),
    "Merthyr Tydfil": ("CF47", "CF48"),
    "Caerphilly": ("CF81", "CF82", "CF83", "NP11", "NP12"),
    "Bridgend": ("CF31", "CF32", "CF33", "CF34", "CF35"),
    "Newport": ("NP10", "NP18", "NP19", "NP20"),
    "Torfaen": ("NP4", "NP44"),
    "Blaenau Gwent": ("NP13", "NP22", "NP23"),
    "Monmouthshire": ("NP7", "NP15", "NP16", "NP25", "NP26"),
}

TOWNS: dict[str, tuple[str, ...]] = {
    "Cardiff": ("Cardiff", "Llandaff", "Whitchurch", "Splott", "Canton"),
    "Vale of Glamorgan": ("Barry", "Penarth", "Llantwit Major", "Cowbridge"),
    "Rhondda Cynon Taf": ("Pontypridd", "Aberdare", "Tonypandy", "Porth", "Llantrisant"),
    "Merthyr Tydfil": ("Merthyr", "Aberfan", "Treharris"),
    "Caerphilly": ("Caerphilly", "Blackwood", "Ystrad Mynach", "Risca", "Bargoed"),
    "Bridgend": ("Bridgend", "Maesteg", "Porthcawl", "Pencoed"),
    "Newport": ("Newport", "Caerleon"),
    "Torfaen": ("Pontypool", "Cwmbran", "Blaenavon"),
    "Blaenau Gwent": ("Ebbw Vale", "Tredegar", "Abertillery", "Brynmawr"),
    "Monmouthshire": ("Abergavenny", "Monmouth", "Chepstow", "Caldicot", "Usk"),
}

HEALTH_BOARDS: dict[str, str] = {
    "Blaenau Gwent": "Aneurin Bevan University Health Board", "Caerphilly": "Aneurin Bevan University Health Board",
    "Monmouthshire": "Aneurin Bevan University Health Board", "Newport": "Aneurin Bevan University Health Board",
    "Torfaen": "Aneurin Bevan University Health Board", "Cardiff": "Cardiff and Vale University Health Board",
    "Vale of Glamorgan": "Cardiff and Vale University Health Board",
    "Bridgend": "Cwm Taf Morgannwg University Health Board", "Merthyr Tydfil": "Cwm Taf Morgannwg University Health Board",
    "Rhondda Cynon Taf": "Cwm Taf Morgannwg University Health Board",
}

#: How each demo council labels payees it redacts (councils differ; the second
#: label is used on fostering payments).
REDACTION_LABELS: dict[str, tuple[str, str]] = {
    "Blaenau Gwent": ("Personal Information Redacted", "Personal Information Redacted"),
    "Bridgend": ("Redacted - Personal Data", "Private Individual"),
    "Caerphilly": ("Individual", "Individual"),
    "Cardiff": ("Redacted Personal Information", "Redacted Personal Information"),
    "Merthyr Tydfil": ("Personal Data Withheld", "Personal Data Withheld"),
    "Monmouthshire": ("Redacted Personal Information", "Name withheld"),
    "Newport": ("REDACTED", "REDACTED"),
    "Rhondda Cynon Taf": ("Private Individual", "Private Individual"),
    "Torfaen": ("REDACTED PERSONAL DATA", "REDACTED PERSONAL DATA"),
    "Vale of Glamorgan": ("Name withheld", "Redacted Personal Information"),
}

SERVICES: tuple[str, ...] = (
    "Adult Social Care", "Children's Services", "Education", "Highways & Transport", "Waste Management",
    "Housing", "Leisure & Culture", "Corporate Services", "Regeneration", "Planning & Public Protection",
    "Property & Facilities",
)


@dataclass(frozen=True)
class Category:
    """One expense type (CIPFA subjective style) with its ProClass code and how councils buy it."""

    expense_type: str
    proclass: str
    proclass_name: str
    services: tuple[tuple[str, float], ...]  # Expense Area and its weight
    share: float          # share of the council's spend
    suppliers: float      # share of the council's suppliers
    local: float          # chance a supplier is based in the region
    kind: str = "supplier"  # "supplier", "individual" (redacted) or "public" (other public bodies)
    templates: tuple[str, ...] = ()


def _svc(*pairs: tuple[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple(pairs)


_ASC, _CHI, _EDU, _HWY, _WST, _HSG, _LEI, _COR, _REG, _PPP, _PRO = SERVICES

CATEGORIES: tuple[Category, ...] = (
    Category("Residential & Nursing Care", "321000", "Social Community Care Supplies & Services - Adult",
             _svc((_ASC, 1.0)), 0.110, 0.060, 0.75, templates=(
                 "{surname} House Nursing Home", "{place} Care Homes", "Cartref {welsh} Care", "{surname} Lodge Care Home",
                 "{place} Residential Care", "Plas {welsh} Nursing Home")),
    Category("Domiciliary Care", "321000", "Social Community Care Supplies & Services - Adult",
             _svc((_ASC, 1.0)), 0.070, 0.035, 0.70, templates=(
                 "Gofal {place}", "{place} Homecare", "{welsh} Home Care Services", "{surname} Care at Home")),
    Category("Supported Living", "321000", "Social Community Care Supplies & Services - Adult",
             _svc((_ASC, 1.0)), 0.050, 0.020, 0.55, templates=(
                 "{national} Supported Living", "{welsh} Support Services", "{place} Independent Living")),
    Category("Direct Payments", "321000", "Social Community Care Supplies & Services - Adult",
             _svc((_ASC, 0.85), (_CHI, 0.15)), 0.030, 0.0, 1.0, kind="individual"),
    Category("Fostering Allowances", "321100", "Social Community Care Supplies & Services - Children",
             _svc((_CHI, 1.0)), 0.020, 0.0, 1.0, kind="individual"),
    Category("Independent Fostering Agencies", "321100", "Social Community Care Supplies & Services - Children",
             _svc((_CHI, 1.0)), 0.030, 0.010, 0.35, templates=(
                 "{national} Fostering", "{welsh} Foster Care", "{national} Family Placements")),
    Category("Children's Residential Placements", "321100", "Social Community Care Supplies & Services - Children",
             _svc((_CHI, 1.0)), 0.050, 0.015, 0.30, templates=(
                 "{national} Children's Homes", "{national} Care and Education", "{welsh} Young People's Services")),
    Category("Home to School Transport", "360000", "Passenger Transport",
             _svc((_EDU, 0.9), (_CHI, 0.1)), 0.035, 0.040, 0.95, templates=(
                 "{place} Coaches", "{surname}'s Coaches", "{place} Taxis", "{surname} Travel", "{welsh} Minibus Hire")),
    Category("Taxis & Private Hire", "360000", "Passenger Transport",
             _svc((_CHI, 0.4), (_ASC, 0.3), (_EDU, 0.3)), 0.006, 0.040, 0.95, templates=(
                 "{place} Private Hire", "{surname} Taxis", "{place} Cars", "A1 {place} Taxis")),
    Category("School Meals Provisions", "110000", "Catering",
             _svc((_EDU, 1.0)), 0.020, 0.015, 0.55, templates=(
                 "{place} Fresh Foods", "{surname} Butchers", "{welsh} Dairies", "{national} Foodservice")),
    Category("Catering Provisions", "110000", "Catering",
             _svc((_LEI, 0.4), (_ASC, 0.3), (_COR, 0.3)), 0.004, 0.030, 0.75, templates=(
                 "{place} Catering", "{surname}'s Bakery", "{welsh} Cafe Supplies", "{place} Wholesale Foods")),
    Category("Additional Learning Needs Support", "170000", "Education",
             _svc((_EDU, 1.0)), 0.020, 0.020, 0.50, templates=(
                 "{national} Learning Trust", "{welsh} Education Services", "{place} Specialist Tuition")),
    Category("Highways Maintenance", "391400", "Roads",
             _svc((_HWY, 1.0)), 0.045, 0.020, 0.65, templates=(
                 "{surname} Civil Engineering", "{place} Surfacing", "{national} Highways", "{surname} Contractors")),
    Category("Street Lighting", "231400", "Street Lighting",
             _svc((_HWY, 1.0)), 0.008, 0.006, 0.40, templates=("{national} Lighting", "{place} Electrical Contractors")),
    Category("Public Transport Subsidies", "360000", "Public Transport",
             _svc((_HWY, 1.0)), 0.020, 0.008, 0.85, templates=("{place} Buses", "{welsh} Bus Company", "{surname}'s Coaches")),
    Category("Waste Disposal & Treatment", "180000", "Environmental Services",
             _svc((_WST, 1.0)), 0.045, 0.008, 0.35, templates=(
                 "{national} Waste Solutions", "{place} Recycling", "{national} Environmental", "{welsh} Resource Recovery")),
    Category("Vehicle Hire & Maintenance", "380000", "Vehicle Management",
             _svc((_WST, 0.5), (_HWY, 0.3), (_COR, 0.2)), 0.012, 0.015, 0.50, templates=(
                 "{place} Commercials", "{national} Fleet Services", "{surname} Motors", "{place} Van Hire")),
    Category("Fuel", "380000", "Vehicle Management",
             _svc((_WST, 0.6), (_HWY, 0.4)), 0.008, 0.004, 0.30, templates=("{national} Fuels", "{place} Oil")),
    Category("Temporary Accommodation", "321060", "Temporary Accommodation",
             _svc((_HSG, 1.0)), 0.025, 0.030, 0.80, templates=(
                 "{place} Guest House", "{surname} Lettings", "{place} Hotel", "{welsh} Property Management")),
    Category("Disabled Facilities Adaptations", "390000", "Works - Construction, Repair & Maintenance",
             _svc((_HSG, 1.0)), 0.020, 0.025, 0.90, templates=(
                 "{surname} Building Services", "{place} Stairlifts", "{surname} & Sons Builders", "{welsh} Adaptations")),
    Category("Construction Works", "391110", "Construction",
             _svc((_EDU, 0.45), (_REG, 0.35), (_HSG, 0.2)), 0.090, 0.012, 0.45, templates=(
                 "{national} Construction", "{surname} Construction", "{place} Building Contractors", "{national} Build")),
    Category("Building Repairs & Maintenance", "390000", "Works - Construction, Repair & Maintenance",
             _svc((_PRO, 0.5), (_EDU, 0.3), (_LEI, 0.1), (_HSG, 0.1)), 0.035, 0.110, 0.85, templates=(
                 "{surname} Plumbing", "{surname} Electrical", "{place} Roofing", "{surname} & Sons Builders",
                 "{place} Glazing", "{surname} Joinery", "{welsh} Heating Services", "{place} Maintenance")),
    Category("Cleaning & Janitorial", "130000", "Cleaning & Janitorial",
             _svc((_PRO, 0.7), (_EDU, 0.3)), 0.010, 0.015, 0.70, templates=(
                 "{place} Cleaning Services", "{welsh} Hygiene", "{national} Janitorial Supplies")),
    Category("Electricity", "370000", "Utilities",
             _svc((_PRO, 0.6), (_HWY, 0.2), (_EDU, 0.2)), 0.015, 0.002, 0.0, templates=("{national} Energy",)),
    Category("Gas", "371100", "Gas",
             _svc((_PRO, 0.6), (_EDU, 0.4)), 0.008, 0.002, 0.0, templates=("{national} Gas Supplies",)),
    Category("Water", "370000", "Utilities",
             _svc((_PRO, 0.7), (_LEI, 0.3)), 0.004, 0.002, 0.0, templates=("{national} Water Services",)),
    Category("Security Services", "190000", "Facilities & Management Services",
             _svc((_PRO, 0.8), (_LEI, 0.2)), 0.005, 0.008, 0.60, templates=("{place} Security", "{national} Guarding")),
    Category("Grounds Maintenance", "240000", "Horticultural",
             _svc((_LEI, 0.5), (_PRO, 0.3), (_HSG, 0.2)), 0.008, 0.020, 0.90, templates=(
                 "{place} Landscapes", "{surname} Tree Surgeons", "{welsh} Garden Services", "{place} Grounds")),
    Category("Leisure Management Fee", "290000", "Arts & Leisure Services",
             _svc((_LEI, 1.0)), 0.025, 0.003, 1.0, templates=("{place} Leisure Trust", "{welsh} Leisure")),
    Category("Events & Entertainment", "291000", "Events",
             _svc((_LEI, 0.8), (_REG, 0.2)), 0.004, 0.030, 0.80, templates=(
                 "{place} Events", "{welsh} Productions", "{surname} Marquees", "{place} Sound & Light")),
    Category("ICT Software & Licences", "271440", "Software",
             _svc((_COR, 1.0)), 0.020, 0.020, 0.10, templates=("{national} Software", "{national} Systems", "{national} Cloud")),
    Category("ICT Hardware & Services", "270000", "Information Communication Technology",
             _svc((_COR, 0.7), (_EDU, 0.3)), 0.012, 0.020, 0.25, templates=(
                 "{national} IT Services", "{place} Computers", "{national} Networks", "{welsh} Digital")),
    Category("Agency Staff", "260000", "Human Resources",
             _svc((_ASC, 0.35), (_CHI, 0.3), (_WST, 0.2), (_COR, 0.15)), 0.030, 0.012, 0.30, templates=(
                 "{national} Recruitment", "{national} Social Care Staffing", "{place} Personnel", "{national} Resourcing")),
    Category("Consultants Fees", "150000", "Consultancy",
             _svc((_REG, 0.45), (_COR, 0.25), (_HWY, 0.15), (_PPP, 0.15)), 0.015, 0.025, 0.35, templates=(
                 "{national} Consulting", "{surname} Associates", "{national} Advisory", "{place} Surveyors")),
    Category("Legal Fees", "280000", "Legal Services",
             _svc((_COR, 0.5), (_CHI, 0.35), (_PPP, 0.15)), 0.005, 0.012, 0.60, templates=(
                 "{surname} Solicitors", "{surname} & {surname2} Solicitors", "{place} Chambers")),
    Category("Insurance", "201800", "Insurance",
             _svc((_COR, 1.0)), 0.008, 0.003, 0.0, templates=("{national} Insurance", "{national} Mutual")),
    Category("Printing & Stationery", "340000", "Stationery",
             _svc((_COR, 0.6), (_EDU, 0.4)), 0.004, 0.030, 0.60, templates=(
                 "{place} Print", "{welsh} Office Supplies", "{national} Stationers", "{surname} Printers")),
    Category("Furniture & Equipment", "210000", "Furniture & Soft Furnishings",
             _svc((_EDU, 0.4), (_PRO, 0.3), (_ASC, 0.3)), 0.008, 0.040, 0.55, templates=(
                 "{place} Office Furniture", "{national} Equipment", "{welsh} Interiors", "{surname} Supplies")),
    Category("Health & Safety Equipment", "220000", "Health and Safety",
             _svc((_WST, 0.4), (_HWY, 0.3), (_PRO, 0.3)), 0.003, 0.020, 0.50, templates=(
                 "{national} Safety", "{place} Workwear", "{welsh} PPE Supplies")),
    Category("Training", "260000", "Human Resources",
             _svc((_COR, 0.5), (_ASC, 0.25), (_CHI, 0.25)), 0.004, 0.030, 0.65, templates=(
                 "{place} Training", "{welsh} Learning", "{national} Academy", "{surname} Training Services")),
    Category("Grants to Voluntary Organisations", "999999", "Non-procurement",
             _svc((_REG, 0.4), (_ASC, 0.3), (_LEI, 0.3)), 0.015, 0.050, 0.95, templates=(
                 "{place} Citizens Advice", "{place} Community Trust", "{welsh} Community Association", "{place} Foodbank",
                 "{place} Youth Project", "{place} Sports Club", "{welsh} Arts")),
    Category("Payments to Other Public Bodies", "999999", "Non-procurement",
             _svc((_COR, 0.4), (_ASC, 0.4), (_EDU, 0.2)), 0.030, 0.0, 1.0, kind="public"),
)

_PLACES_REGION = (
    "Taff", "Rhondda", "Cynon", "Gwent", "Glamorgan", "Morgannwg", "Severn", "Usk", "Valleys", "Caerphilly",
    "Bridgend", "Newport", "Cardiff", "Barry", "Penarth", "Pontypridd", "Aberdare", "Cwmbran", "Pontypool",
    "Ebbw Vale", "Tredegar", "Abergavenny", "Chepstow", "Merthyr", "Maesteg", "Porthcawl", "Blackwood", "Llantrisant",
)
_WELSH = (
    "Dewi", "Afon", "Cwm", "Bryn", "Mynydd", "Derwen", "Celyn", "Enfys", "Seren", "Cariad", "Hafod", "Glyn", "Ty Gwyn",
    "Dyffryn", "Coed", "Nant", "Ffynnon", "Golau", "Tawel", "Heulwen", "Calon", "Teulu", "Cymuned", "Castell",
)
_SURNAMES = (
    "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Lewis", "Hughes", "Morgan", "Griffiths", "Edwards",
    "Owen", "Price", "Rees", "Jenkins", "Powell", "Phillips", "Howells", "Watkins", "Pritchard", "Probert", "Bevan",
    "Llewellyn", "Prosser", "Harris", "Richards", "Parry", "Morris", "James", "Hopkins", "Gwilym", "Meredith",
)
_NATIONAL = (
    "Albion", "Britannia", "Meridian", "Sterling", "Pinnacle", "Summit", "Apex", "Horizon", "Vanguard", "Keystone",
    "Lighthouse", "Beacon", "Compass", "Cornerstone", "Evergreen", "Oakwood", "Harbour", "Kestrel", "Lantern",
    "Northstar", "Redwood", "Silverline", "Trident", "Unity", "Waypoint", "Zenith", "Clearwater", "Foxglove",
)
_ELSEWHERE = ("BS1", "BS16", "B1", "B37", "M1", "M50", "LS1", "LS11", "EC2A", "SW1P", "RG1", "MK9", "GL1", "SA1",
              "SA6", "LL11", "NE1", "S1", "NG1", "CV1", "OX4", "HR4", "BA1", "CH1")
# Legal forms of a supplier's main record and their shares.
_FORMS = (("Ltd", 0.42), ("Limited", 0.25), ("", 0.16), ("plc", 0.04), ("LLP", 0.03), ("CIC", 0.04),
          ("Cyf", 0.03), ("& Co", 0.03))
_MONTH_WEIGHT = {4: 0.80, 5: 0.95, 6: 1.0, 7: 1.05, 8: 0.9, 9: 1.0, 10: 1.05, 11: 1.0, 12: 0.9, 1: 0.95, 2: 1.0, 3: 1.45}
_BANK_HOLIDAYS = pd.to_datetime(["2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25",
                                 "2024-12-26", "2025-01-01"])


def _council(council: Council) -> Council:
    if not isinstance(council, Council):
        raise TypeError(f"council must be a curriculum.councils.Council, got {type(council).__name__}")
    if council.name not in BODY_NAMES:
        raise ValueError(f"council {council.name!r} is not one of the ten CCR councils")
    return council


def _variant(rng: np.random.Generator, stem: str, form: str, index: int) -> str:
    """Write a supplier's name the way a second vendor record would (same key once normalised)."""
    upper = rng.random() < 0.5
    out = stem.upper() if upper else stem
    if "&" in out and rng.random() < 0.5:
        out = out.replace("&", "and" if not upper else "AND")
    elif " and " in out.lower() and rng.random() < 0.5:
        out = out.replace(" and ", " & ").replace(" AND ", " & ")
    if form in ("Ltd", "Limited", "") or rng.random() < 0.3:
        form = ("Limited", "Ltd.", "LTD", "Ltd", "Co Ltd")[(index + int(rng.integers(5))) % 5]
    if rng.random() < 0.2:
        out = ("THE " if upper else "The ") + out
    if rng.random() < 0.15:
        out = out.replace(" ", "  ", 1)
    suffix = form.upper() if upper else form
    return f"{out} {suffix}".strip()


def _main_name(stem: str, form: str) -> str:
    return f"{stem} {form}".strip()


@cache
def _book(name: str) -> pd.DataFrame:
    council = get_council(name)
    rng = np.random.default_rng([_BOOK_SEED, int(council.code[1:])])
    n_total = int(round(60 + 0.0022 * council.population_2021))
    total_spend = council.population_2021 * _SPEND_PER_HEAD * float(rng.lognormal(0.0, 0.08))
    rows, used = [], set()
    areas = POSTCODE_AREAS[council.name]
    others = tuple(a for c, v in POSTCODE_AREAS.items() if c != council.name for a in v)
    next_id = int(rng.integers(100_000, 300_000))
    for cat in CATEGORIES:
        cat_spend = total_spend * cat.share * float(rng.lognormal(0.0, 0.15))
        if cat.kind == "individual":
            continue
        if cat.kind == "public":
            names = [BODY_NAMES[c] for c in BODY_NAMES if c != council.name] + [HEALTH_BOARDS[council.name]]
            chosen = list(rng.choice(names, size=4, replace=False))
            if HEALTH_BOARDS[council.name] not in chosen:
                chosen[0] = HEALTH_BOARDS[council.name]
            weights = rng.pareto(1.2, size=len(chosen)) + 0.2
            for body, w in zip(chosen, weights / weights.sum()):
                rows.append(dict(key=normalise_supplier_name(body), name=body, variants=(body,),
                                 ids=(f"{next_id}",), category=cat.expense_type, annual_spend=cat_spend * w,
                                 local=True, sme=False, postcode="", company_number=""))
                next_id += int(rng.integers(1, 40))
            continue
        n = max(2, int(round(n_total * cat.suppliers * float(rng.lognormal(0.0, 0.1)))))
        # Fragmented categories (many suppliers doing similar work) have no dominant supplier.
        weights = rng.pareto(_TAIL_INDEX if cat.suppliers < 0.03 else _FRAGMENTED_INDEX, size=n) + 0.02
        weights = weights / weights.sum()
        for w in weights:
            for _ in range(20):  # draw a name not used yet
                template = str(rng.choice(cat.templates))
                stem = template.format(
                    place=str(rng.choice(TOWNS[council.name] + _PLACES_REGION)), welsh=str(rng.choice(_WELSH)),
                    surname=str(rng.choice(_SURNAMES)), surname2=str(rng.choice(_SURNAMES)),
                    national=str(rng.choice(_NATIONAL)))
                form = str(rng.choice([f for f, _ in _FORMS], p=[p for _, p in _FORMS]))
                if cat.expense_type == "Grants to Voluntary Organisations":
                    form = str(rng.choice(["", "CIC", "Ltd"], p=[0.7, 0.2, 0.1]))
                key = normalise_supplier_name(_main_name(stem, form))
                if key not in used:
                    break
            else:  # pragma: no cover - twenty clashes in a row do not happen with these pools
                stem = f"{stem} {len(rows)}"
                key = normalise_supplier_name(_main_name(stem, form))
            used.add(key)
            main = _main_name(stem, form)
            if form == "" and "{surname}" in template and rng.random() < 0.35:
                main = f"{str(rng.choice(list('ABCDEGHJKMPRST')))} {stem.split()[0]} t/a {stem}"
            size = cat_spend * float(w)
            n_variants = 1
            if rng.random() < min(0.6, 0.08 + 0.25 * (size / (size + 200_000.0)) + 0.05):
                n_variants = 2 if rng.random() < 0.75 else 3
            variants = [main]
            while len(variants) < n_variants:
                candidate = _variant(rng, stem, form, len(variants))
                if candidate not in variants:
                    variants.append(candidate)
            ids = []
            for _ in variants:
                ids.append(f"{next_id}")
                next_id += int(rng.integers(1, 40))
            local = bool(rng.random() < cat.local)
            area = str(rng.choice(areas if rng.random() < 0.7 else others)) if local else str(rng.choice(_ELSEWHERE))
            postcode = f"{area} {int(rng.integers(1, 10))}{''.join(rng.choice(list('ABDEFGHJLNPQRSTUWXYZ'), 2))}"
            sme = bool(rng.random() < (0.85 if size < 1_000_000 else 0.35)) and cat.local > 0
            company = "" if (form in ("", "& Co") or rng.random() < 0.1) else f"{int(rng.integers(1_000_000, 15_000_000)):08d}"
            rows.append(dict(key=key, name=main, variants=tuple(variants), ids=tuple(ids), category=cat.expense_type,
                             annual_spend=size, local=local, sme=sme, postcode=postcode, company_number=company))
    book = pd.DataFrame(rows)
    book["annual_spend"] = book["annual_spend"].round(2)
    return book


def supplier_book(council: Council) -> pd.DataFrame:
    """Return the invented suppliers of one council's demo data.

    The book depends on the council only (its own fixed seed), so the spend and
    contracts generators name the same suppliers whatever seed they are run with.

    Parameters
    ----------
    council : curriculum.councils.Council
        One of the ten CCR councils.

    Returns
    -------
    pandas.DataFrame
        One row per supplier: ``key`` (normalised name, unique), ``name`` (its
        main vendor record), ``variants`` (tuple of the names of its vendor
        records, the main one first), ``ids`` (their supplier IDs), ``category``
        (its expense type), ``annual_spend`` (expected GBP a year), ``local``
        (based in the region), ``sme``, ``postcode`` and ``company_number``.

    Raises
    ------
    TypeError
        If ``council`` is not a :class:`~curriculum.councils.Council`.
    ValueError
        If ``council`` is not one of the ten CCR councils.
    """
    return _book(_council(council).name).copy()


def _payment_days(rng: np.random.Generator) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Payment-run days of the year (two weekdays a week) and their probabilities."""
    days = pd.date_range(*FINANCIAL_YEAR, freq="D")
    runs = tuple(sorted(rng.choice(5, size=2, replace=False)))
    days = days[days.dayofweek.isin(runs) & ~days.isin(_BANK_HOLIDAYS)]
    weight = np.array([_MONTH_WEIGHT[m] for m in days.month], dtype=float)
    counts = pd.Series(1, index=days.to_period("M")).groupby(level=0).transform("size").to_numpy()
    p = weight / counts
    return days, p / p.sum()


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate one council's payments over GBP 500 for April 2024 to March 2025.

    Parameters
    ----------
    council : curriculum.councils.Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The only source of randomness (besides the council's supplier book).
    scale : float, default 1.0
        Volume multiplier: about ``population / 60 * scale`` payment lines.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"spend.csv": frame}`` with the columns ``Body``, ``Body Name``,
        ``Date`` (dd/mm/yyyy), ``Transaction Number``, ``Net Amount`` (2
        decimals), ``Supplier Name``, ``Supplier ID``, ``Expense Area``,
        ``Expense Type`` and ``Proclass``, all as text.

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
    label, foster_label = REDACTION_LABELS[council.name]

    # Payees: the book's suppliers, one row per vendor record, plus individuals.
    payees = []
    for row in book.itertuples(index=False):
        shares = np.array([0.7] + [0.3 / (len(row.variants) - 1)] * (len(row.variants) - 1)) if len(row.variants) > 1 else np.ones(1)
        for name, sid, share in zip(row.variants, row.ids, shares):
            payees.append((name, sid, row.category, row.annual_spend * share, row.annual_spend))
    total_book = book["annual_spend"].sum()
    for cat in CATEGORIES:
        if cat.kind != "individual":
            continue
        cat_spend = total_book * cat.share / (1 - sum(c.share for c in CATEGORIES if c.kind == "individual"))
        n = max(8, int(round(council.population_2021 / 1_500)))
        amounts = rng.lognormal(0.0, 0.5, size=n)
        amounts = cat_spend * amounts / amounts.sum()
        name = foster_label if cat.expense_type == "Fostering Allowances" else label
        payees.extend((name, "", cat.expense_type, a, a) for a in amounts)
    names, ids, categories, spend, size = (np.array(v, dtype=object if i < 3 else float) for i, v in enumerate(zip(*payees)))

    expected_lines = council.population_2021 / _RESIDENTS_PER_LINE
    n_lines = max(1, int(round(expected_lines * scale)))
    individual = ids == ""
    # Lines go to payees by a power of their size (big suppliers get more and larger payments);
    # individuals (paid every four weeks) take a fixed share of the lines.
    propensity = np.where(individual, 1.0, size ** _LINE_POWER * (spend / size))
    p = np.where(individual, _INDIVIDUAL_LINES * propensity / propensity[individual].sum(),
                 (1 - _INDIVIDUAL_LINES) * propensity / propensity[~individual].sum())
    counts = rng.multinomial(n_lines, p / p.sum())
    who = np.repeat(np.arange(len(p)), counts)
    mean_payment = spend / (expected_lines * p)
    amount = mean_payment[who] * rng.lognormal(-0.5, 1.0, size=n_lines)
    small = amount < 500
    amount[small] = 500 + rng.exponential(600, size=int(small.sum()))
    credit = rng.random(n_lines) < 0.03
    amount[credit] = -amount[credit] * rng.uniform(0.05, 1.0, size=int(credit.sum()))

    days, day_p = _payment_days(rng)
    dates = days[rng.choice(len(days), size=n_lines, p=day_p)]
    cat_of = categories[who]
    service = np.empty(n_lines, dtype=object)
    for name in np.unique(cat_of):
        rows = np.flatnonzero(cat_of == name)
        options = cats[name].services
        pick = rng.choice(len(options), size=len(rows), p=np.array([w for _, w in options]) / sum(w for _, w in options))
        service[rows] = np.array([s for s, _ in options], dtype=object)[pick]

    frame = pd.DataFrame({
        "_date": dates, "Supplier Name": names[who], "Supplier ID": ids[who], "Expense Area": service,
        "Expense Type": cat_of, "Proclass": [cats[c].proclass for c in cat_of], "_amount": amount,
    })
    frame = frame.sort_values(["_date", "Supplier Name", "_amount"], kind="stable").reset_index(drop=True)
    start = int(rng.integers(10_000_000, 60_000_000))
    steps = rng.integers(1, 4, size=len(frame)).cumsum()
    frame.insert(0, "Body", f"http://statistics.data.gov.uk/id/statistical-geography/{council.code}")
    frame.insert(1, "Body Name", BODY_NAMES[council.name])
    frame.insert(2, "Date", frame["_date"].dt.strftime("%d/%m/%Y"))
    frame.insert(3, "Transaction Number", [str(start + s) for s in steps])
    frame.insert(4, "Net Amount", [f"{a:.2f}" for a in frame["_amount"]])
    frame = frame.drop(columns=["_date", "_amount"])
    return {"spend.csv": frame[["Body", "Body Name", "Date", "Transaction Number", "Net Amount", "Supplier Name",
                                "Supplier ID", "Expense Area", "Expense Type", "Proclass"]]}
