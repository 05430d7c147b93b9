"""Demo supplier register (Companies House layout) and a reviewer's labelled sample of matches.

Two files per council, consistent with the suppliers of its spend and contracts
files (:func:`curriculum.demo.spend.supplier_book`):

- ``supplier_register.csv``: an extract in the layout of Companies House's free
  "basic company data" product (``CompanyName``, ``CompanyNumber``,
  ``RegAddress.PostCode``, ``CompanyCategory``, ``CompanyStatus``,
  ``SICCode.SicText_1``). It holds every supplier of the book that has a company
  number, under its registered name, plus companies with similar names that are
  *not* the council's suppliers (a holding company, a namesake in another trade)
  and unrelated companies. Registered names are upper-case with the full legal
  form (LIMITED, CYFYNGEDIG, PLC, LLP, C.I.C.), and about a
  third differ from the council's vendor records in ways that name
  normalisation does not fix: an area in brackets ("(WALES)"), a year of
  incorporation, a word more or less, a plural or two words joined.
- ``supplier_match_labels.csv``: a sample of vendor-record names, each with the
  register's closest candidates (by ``token_sort_ratio`` of the normalised names)
  and its true company when it has one, and a reviewer's decision ("Yes" when
  the candidate is the same supplier, "No" otherwise) with the date of review.

The structure the Procurement Lab's exercises find: exact matches score 100;
true matches with a qualifier or a slip score 75-97; near-namesakes among the
council's own suppliers ("PLAS DEWI NURSING HOME" and "PLAS DERWEN NURSING HOME")
and the planted look-alikes score 80-95 without being the same company, so
precision falls as the threshold is lowered while recall rises. All names and
company numbers are invented.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council
from curriculum.demo.spend import (
    _ELSEWHERE,
    _NATIONAL,
    POSTCODE_AREAS,
    _council,
    supplier_book,
)
from curriculum.suppliers import normalise_supplier_name

__all__ = ["FILES", "generate", "REGISTER_COLUMNS", "LABEL_COLUMNS", "SIC_TEXT"]

FILES: tuple[str, ...] = ("supplier_register.csv", "supplier_match_labels.csv")
REGISTER_COLUMNS: tuple[str, ...] = ("CompanyName", "CompanyNumber", "RegAddress.PostCode", "CompanyCategory",
                                     "CompanyStatus", "SICCode.SicText_1")
LABEL_COLUMNS: tuple[str, ...] = ("Supplier Name", "CompanyName", "CompanyNumber", "Same Supplier?", "Review Date")
_LABELLED_SUPPLIERS = 120  # suppliers in the labelled sample at scale 1 (fewer if the book is smaller)
_CANDIDATES = 3  # register candidates shown to the reviewer per name
_UNRELATED = 0.25  # unrelated register companies per supplier, at scale 1

#: SIC 2007 code and description of each expense type's suppliers (Companies House's ``SicText`` form).
SIC_TEXT: dict[str, str] = {
    "Residential & Nursing Care": "87100 - Residential nursing care facilities",
    "Domiciliary Care": "88100 - Social work activities without accommodation for the elderly and disabled",
    "Supported Living": "87300 - Residential care activities for the elderly and disabled",
    "Independent Fostering Agencies": "88990 - Other social work activities without accommodation n.e.c.",
    "Children's Residential Placements": "87900 - Other residential care activities n.e.c.",
    "Home to School Transport": "49390 - Other passenger land transport",
    "Taxis & Private Hire": "49320 - Taxi operation",
    "School Meals Provisions": "56290 - Other food services",
    "Catering Provisions": "46390 - Non-specialised wholesale of food, beverages and tobacco",
    "Additional Learning Needs Support": "85600 - Educational support services",
    "Highways Maintenance": "42110 - Construction of roads and motorways",
    "Street Lighting": "43210 - Electrical installation",
    "Public Transport Subsidies": "49319 - Other urban, suburban or metropolitan passenger land transport n.e.c.",
    "Waste Disposal & Treatment": "38210 - Treatment and disposal of non-hazardous waste",
    "Vehicle Hire & Maintenance": "45200 - Maintenance and repair of motor vehicles",
    "Fuel": "46710 - Wholesale of fuels and related products",
    "Temporary Accommodation": "55100 - Hotels and similar accommodation",
    "Disabled Facilities Adaptations": "43390 - Other building completion and finishing",
    "Construction Works": "41201 - Construction of commercial buildings",
    "Building Repairs & Maintenance": "43220 - Plumbing, heat and air-conditioning installation",
    "Cleaning & Janitorial": "81210 - General cleaning of buildings",
    "Electricity": "35140 - Trade of electricity",
    "Gas": "35230 - Trade of gas through mains",
    "Water": "36000 - Water collection, treatment and supply",
    "Security Services": "80100 - Private security activities",
    "Grounds Maintenance": "81300 - Landscape service activities",
    "Leisure Management Fee": "93110 - Operation of sports facilities",
    "Events & Entertainment": "90020 - Support activities to performing arts",
    "ICT Software & Licences": "62012 - Business and domestic software development",
    "ICT Hardware & Services": "62020 - Information technology consultancy activities",
    "Agency Staff": "78200 - Temporary employment agency activities",
    "Consultants Fees": "70229 - Management consultancy activities other than financial management",
    "Legal Fees": "69102 - Solicitors",
    "Insurance": "65120 - Non-life insurance",
    "Printing & Stationery": "18129 - Printing n.e.c.",
    "Furniture & Equipment": "46650 - Wholesale of office furniture",
    "Health & Safety Equipment": "46690 - Wholesale of other machinery and equipment",
    "Training": "85590 - Other education n.e.c.",
    "Grants to Voluntary Organisations": "94990 - Activities of other membership organisations n.e.c.",
}
_OTHER_SIC = "82990 - Other business support service activities n.e.c."
_LEGAL = {  # the vendor record's legal form -> (registered suffix, CompanyCategory)
    "Ltd": ("LIMITED", "Private Limited Company"), "Limited": ("LIMITED", "Private Limited Company"),
    "Cyf": ("CYFYNGEDIG", "Private Limited Company"), "plc": ("PLC", "Public Limited Company"),
    "LLP": ("LLP", "Limited Liability Partnership"),
    "CIC": ("C.I.C.", "Community Interest Company"),
}
_QUALIFIERS = ("(WALES)", "(CYMRU)", "(SOUTH WALES)", "(UK)", "(SWANSEA)", "(GWENT)")
_EXTRA_WORDS = ("GROUP", "SERVICES", "UK", "SOLUTIONS")
_LOOKALIKE_WORDS = ("HOLDINGS", "PROPERTIES", "TRADING", "DEVELOPMENTS", "INVESTMENTS", "ESTATES")
_SWAP_WORDS = ("SOLUTIONS", "SUPPLIES", "PARTNERS", "DESIGN", "RETAIL", "LOGISTICS", "CONSULTING", "MEDIA")
_UNRELATED_WORDS = ("ENGINEERING", "TRADING", "MEDIA", "DESIGN", "FOODS", "LOGISTICS", "DENTAL", "PROPERTY",
                    "AUTOS", "FITNESS", "HOLDINGS", "TEXTILES")
_STATUSES = (("Active", 0.93), ("Active - Proposal to Strike off", 0.03), ("Liquidation", 0.02),
             ("In Administration", 0.02))


def _legal_form(name: str) -> tuple[str, str]:
    """Split a vendor record's main name into its stem and legal form (as in the spend generator)."""
    for form in sorted(_LEGAL, key=len, reverse=True):
        if name.endswith(f" {form}"):
            return name[: -len(form) - 1], form
    return name, "Ltd"  # the few "no form" names that still have a number are registered as limited companies


def _slip(rng: np.random.Generator, stem: str) -> str | None:
    """Change the stem as a registered name might differ from the vendor record: plural, joined words or a letter."""
    words = stem.split()
    kind = int(rng.integers(3))
    if kind == 0:  # plural or singular of the last word
        last = words[-1]
        words[-1] = last[:-1] if last.endswith("S") and len(last) > 4 else last + "S"
    elif kind == 1 and len(words) >= 3:  # two words joined
        i = int(rng.integers(1, len(words) - 1))
        words[i:i + 2] = [words[i] + words[i + 1]]
    else:  # a letter dropped from a long word
        long = [i for i, w in enumerate(words) if len(w) >= 6]
        if not long:
            return None
        i = int(rng.choice(long))
        j = int(rng.integers(1, len(words[i]) - 1))
        words[i] = words[i][:j] + words[i][j + 1:]
    out = " ".join(words)
    return out if out != stem else None


def _registered_stem(rng: np.random.Generator, stem: str) -> str:
    """The stem of a supplier's registered name: usually its own, sometimes qualified or slipped."""
    u = rng.random()
    if u < 0.62:
        return stem
    if u < 0.74:
        return f"{stem} {rng.choice(_QUALIFIERS)}"
    if u < 0.80:
        return f"{stem} ({int(rng.integers(1995, 2023))})"
    if u < 0.88:
        extra = str(rng.choice([w for w in _EXTRA_WORDS if w not in stem.split()]))
        return f"{stem} {extra}"
    return _slip(rng, stem) or f"{stem} {rng.choice(_QUALIFIERS)}"


def _lookalike_stem(rng: np.random.Generator, stem: str) -> str:
    """A different company's stem that looks like the supplier's: a holding company or another trade."""
    words = stem.split()
    if rng.random() < 0.5 or len(words) < 2:
        return f"{stem} {rng.choice(_LOOKALIKE_WORDS)}"
    return " ".join(words[:-1] + [str(rng.choice([w for w in _SWAP_WORDS if w != words[-1]]))])


def _postcode(rng: np.random.Generator, areas: tuple[str, ...]) -> str:
    return f"{rng.choice(areas)} {int(rng.integers(1, 10))}{''.join(rng.choice(list('ABDEFGHJLNPQRSTUWXYZ'), 2))}"


def _number(rng: np.random.Generator, taken: set[str]) -> str:
    while True:
        number = f"{int(rng.integers(1_000_000, 15_000_000)):08d}"
        if number not in taken:
            taken.add(number)
            return number


def _status(rng: np.random.Generator) -> str:
    return str(rng.choice([s for s, _ in _STATUSES], p=[p for _, p in _STATUSES]))


def _register(council: Council, rng: np.random.Generator, scale: float) -> tuple[pd.DataFrame, dict[str, str]]:
    """The register and, for each supplier key of the book, its company number ('' when none)."""
    book = supplier_book(council)
    areas = POSTCODE_AREAS[council.name]
    taken = set(book.loc[book["company_number"] != "", "company_number"])
    rows, names = [], set()

    def add(name: str, number: str, postcode: str, category: str, sic: str, status: str) -> bool:
        if name in names:
            return False
        names.add(name)
        rows.append((name, number, postcode, category, status, sic))  # the order of REGISTER_COLUMNS
        return True

    truth = {}
    for sup in book.itertuples(index=False):
        truth[sup.key] = sup.company_number
        if not sup.company_number:
            continue
        stem, form = _legal_form(sup.name)
        suffix, category = _LEGAL[form]
        sic = SIC_TEXT.get(sup.category, _OTHER_SIC)
        registered = _registered_stem(rng, stem.upper().replace("'", ""))
        if not add(f"{registered} {suffix}", sup.company_number, sup.postcode, category, sic, _status(rng)):
            add(f"{stem.upper()} {suffix}", sup.company_number, sup.postcode, category, sic, _status(rng))
        if rng.random() < 0.18:  # a different company with a similar name
            other = _lookalike_stem(rng, stem.upper().replace("'", ""))
            add(f"{other} LIMITED", _number(rng, taken), _postcode(rng, areas if rng.random() < 0.6 else _ELSEWHERE),
                "Private Limited Company", _OTHER_SIC if "HOLDINGS" in other else sic, _status(rng))
    for _ in range(int(round(len(book) * _UNRELATED * scale))):
        suffix = str(rng.choice(["LIMITED", "LTD", "PLC"], p=[0.6, 0.3, 0.1]))
        name = f"{rng.choice(_NATIONAL).upper()} {rng.choice(_UNRELATED_WORDS)} {suffix}"
        add(name, _number(rng, taken), _postcode(rng, _ELSEWHERE),
            "Public Limited Company" if suffix == "PLC" else "Private Limited Company", _OTHER_SIC, _status(rng))
    register = pd.DataFrame(rows, columns=list(REGISTER_COLUMNS))
    return register.sort_values("CompanyName", ignore_index=True), truth


def _labels(council: Council, rng: np.random.Generator, scale: float, register: pd.DataFrame,
            truth: dict[str, str]) -> pd.DataFrame:
    """A reviewer's decisions on the closest register candidates of a sample of vendor-record names."""
    from rapidfuzz import fuzz, process

    book = supplier_book(council)
    n = min(len(book), max(1, int(round(_LABELLED_SUPPLIERS * scale))))
    sample = book.iloc[np.sort(rng.choice(len(book), size=n, replace=False))]
    reg_keys = normalise_supplier_name(register["CompanyName"]).tolist()
    row_of = {number: i for i, number in enumerate(register["CompanyNumber"])}
    days = pd.date_range("2025-05-06", "2025-06-27", freq="B")
    rows = []
    for sup in sample.itertuples(index=False):
        name = str(sup.variants[int(rng.integers(len(sup.variants)))])
        scores = process.cdist([normalise_supplier_name(name)], reg_keys, scorer=fuzz.token_sort_ratio, workers=1)[0]
        candidates = [int(i) for i in np.argsort(-scores, kind="stable")[:_CANDIDATES] if scores[i] >= 60]
        true_row = row_of.get(truth[sup.key]) if truth[sup.key] else None
        if true_row is not None and true_row not in candidates:
            candidates.append(true_row)
        day = days[int(rng.integers(len(days)))]
        for i in candidates:
            number = register["CompanyNumber"].iloc[i]
            rows.append((name, register["CompanyName"].iloc[i], number, "Yes" if number == truth[sup.key] else "No",
                         day.strftime("%d/%m/%Y")))
    return pd.DataFrame(rows, columns=list(LABEL_COLUMNS))


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate one council's supplier register extract and a labelled sample of matches.

    Parameters
    ----------
    council : curriculum.councils.Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The only source of randomness (besides the council's supplier book).
    scale : float, default 1.0
        Volume multiplier: the unrelated register companies and the labelled
        suppliers (at most all of the book's) grow with it.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"supplier_register.csv": register, "supplier_match_labels.csv": labels}``
        with the columns :data:`REGISTER_COLUMNS` and :data:`LABEL_COLUMNS`, all text.

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
    register, truth = _register(council, rng, scale)
    labels = _labels(council, rng, scale, register, truth)
    return {"supplier_register.csv": register, "supplier_match_labels.csv": labels}
