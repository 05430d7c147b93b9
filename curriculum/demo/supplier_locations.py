"""Demo supplier locations file for one council: where each supplier of its spend file is based.

One row per supplier of the council's supplier book (:func:`curriculum.demo.spend.supplier_book`,
so the names match the spend file's vendor records once normalised) with its postcode, whether
it is a small or medium-sized enterprise (SME) and whether it is a voluntary, community or social
enterprise (VCSE: charities, community interest companies, leisure trusts). Councils keep such
a list in their vendor master file; it is not published in one standard layout, so the columns
follow the contracts registers (``Supplier Company Name``, ``Supplier Postcode``, ``SME
Supplier?``) with a ``VCSE?`` flag added.

Features the Procurement Lab's "Local, Welsh and SME share" module teaches:

- postcodes as vendor files hold them: most tidy, a few lower-case or without the space, a few
  blank; other public bodies at their headquarters' postcode;
- a local share that differs by council (the book draws where each supplier is based from the
  category's local share; border councils buy more from England);
- **planted leaks**: in three categories per council (drawn from :data:`LEAK_CANDIDATES`) the
  largest suppliers, taking about two thirds or more of the category's spend, are based outside
  the region, while at least two smaller suppliers in the category are based in the region
  (moved to the council's own districts where too few were). The postcodes of those suppliers differ from the contracts register's.

All suppliers are invented.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council
from curriculum.demo.spend import (
    BODY_NAMES,
    POSTCODE_AREAS,
    _council,
    supplier_book,
)

__all__ = ["COLUMNS", "FILES", "LEAK_CANDIDATES", "generate", "planted_categories"]

FILES: tuple[str, ...] = ("supplier_locations.csv",)
COLUMNS: tuple[str, ...] = ("Supplier Company Name", "Supplier Postcode", "SME Supplier?", "VCSE?", "Company Number")

#: Categories where a council may buy mostly from outside the region although local firms exist.
LEAK_CANDIDATES: tuple[str, ...] = (
    "Construction Works", "Agency Staff", "School Meals Provisions", "Highways Maintenance",
    "ICT Hardware & Services", "Furniture & Equipment", "Consultants Fees", "Printing & Stationery",
    "Vehicle Hire & Maintenance", "Cleaning & Janitorial", "Security Services", "Training",
)
_LEAKS_PER_COUNCIL = 3
_LEAK_SHARE = 0.65  # at least this share of a planted category's spend goes outside the region
_ENGLAND = ("BS1", "BS2", "BS16", "BS32", "GL1", "GL2", "HR1", "HR4", "B1", "B37", "M1", "LS1", "EC2A", "SW1P",
            "RG1", "MK9", "NG1", "CV1", "OX4", "BA1")
#: Chance that a supplier based outside Wales is moved to a nearby English district (border councils).
_BORDER = {"Monmouthshire": 0.6, "Newport": 0.35, "Torfaen": 0.2, "Blaenau Gwent": 0.15}
#: Headquarters' districts of the public bodies paid under "Payments to Other Public Bodies".
_BODY_DISTRICT = {
    **{BODY_NAMES[c]: POSTCODE_AREAS[c][0] for c in BODY_NAMES},
    "Cardiff Council": "CF10", "Newport City Council": "NP20", "Vale of Glamorgan Council": "CF63",
    "Monmouthshire County Council": "NP15", "Rhondda Cynon Taf County Borough Council": "CF40",
    "Bridgend County Borough Council": "CF31", "Caerphilly County Borough Council": "NP12",
    "Torfaen County Borough Council": "NP4", "Blaenau Gwent County Borough Council": "NP23",
    "Merthyr Tydfil County Borough Council": "CF47",
    "Aneurin Bevan University Health Board": "NP18", "Cardiff and Vale University Health Board": "CF14",
    "Cwm Taf Morgannwg University Health Board": "CF72",
}
_VCSE_CATEGORIES = ("Grants to Voluntary Organisations", "Leisure Management Fee")
_CARE_CATEGORIES = ("Residential & Nursing Care", "Domiciliary Care", "Supported Living", "Independent Fostering Agencies",
                    "Children's Residential Placements", "Additional Learning Needs Support", "Training")
_LETTERS = list("ABDEFGHJLNPQRSTUWXYZ")


def _unit(rng: np.random.Generator, district: str) -> str:
    return f"{district} {int(rng.integers(1, 10))}{''.join(rng.choice(_LETTERS, 2))}"


def _district(postcode: str) -> str:
    return postcode.split(" ")[0] if postcode else ""


def _place_suppliers(council: Council, rng: np.random.Generator) -> tuple[pd.DataFrame, list[str], pd.Series, list[str]]:
    """Draw every supplier's postcode: the book's, public bodies' headquarters, border moves and planted leaks."""
    book = supplier_book(council).reset_index(drop=True)
    ccr = {a for areas in POSTCODE_AREAS.values() for a in areas}
    own = POSTCODE_AREAS[council.name]
    postcode = book["postcode"].astype(str).tolist()

    public = book["postcode"].eq("") & book["category"].eq("Payments to Other Public Bodies")
    for i in np.flatnonzero(public.to_numpy()):
        postcode[i] = _unit(rng, _BODY_DISTRICT.get(book.at[i, "name"], own[0]))

    border = _BORDER.get(council.name, 0.0)
    for i in range(len(book)):
        d = _district(postcode[i])
        if d and d not in ccr and not d.startswith(("SA", "LL", "CH")) and rng.random() < border:
            postcode[i] = _unit(rng, str(rng.choice(_ENGLAND[:6])))

    def can_leak(category: str) -> bool:  # the suppliers beyond the two smallest hold enough to move
        spend = book.loc[book["category"] == category, "annual_spend"].sort_values(ascending=False)
        return len(spend) >= 4 and spend.iloc[:-2].sum() >= (_LEAK_SHARE + 0.1) * spend.sum()

    eligible = [c for c in LEAK_CANDIDATES if can_leak(c)]
    planted = list(rng.choice(eligible, size=min(_LEAKS_PER_COUNCIL, len(eligible)), replace=False))
    for category in planted:
        rows = book.index[book["category"] == category]
        order = book.loc[rows, "annual_spend"].sort_values(ascending=False).index
        total, moved = book.loc[rows, "annual_spend"].sum(), 0.0
        big = []
        for i in order[:-2]:  # the two smallest stay available to be local
            if moved >= _LEAK_SHARE * total:
                break
            big.append(i)
            moved += book.at[i, "annual_spend"]
        for i in big:
            if _district(postcode[i]) in ccr:
                postcode[i] = _unit(rng, str(rng.choice(_ENGLAND)))
        small = [i for i in order if i not in big]
        local = [i for i in small if _district(postcode[i]) in ccr]
        for i in reversed(small):
            if len(local) >= 2:
                break
            if i not in local:
                postcode[i] = _unit(rng, str(rng.choice(own)))
                local.append(i)

    return book, postcode, public, planted


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate one council's supplier locations file.

    Parameters
    ----------
    council : curriculum.councils.Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The only source of randomness (besides the council's supplier book).
    scale : float, default 1.0
        Accepted for the generator interface; the file has one row per supplier of the
        council's fixed supplier book at any scale (larger spend files pay the same suppliers).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"supplier_locations.csv": frame}`` with the columns in :data:`COLUMNS`, all as
        text, flags Yes/No (blank where not known), sorted by supplier name.

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
    if not (isinstance(scale, (int, float)) and not isinstance(scale, bool) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    book, postcode, public, _ = _place_suppliers(council, rng)

    # How vendor files hold postcodes: a few lower-case, without the space, or blank.
    style = rng.random(len(book))
    written = []
    for p, s in zip(postcode, style):
        if s < 0.03:
            written.append("")
        elif s < 0.07:
            written.append(p.lower())
        elif s < 0.11:
            written.append(p.replace(" ", ""))
        else:
            written.append(p)

    categories = book["category"]
    vcse = (categories.isin(_VCSE_CATEGORIES)
            | book["name"].str.contains(r"\bCIC\b", regex=True)
            | (categories.isin(_CARE_CATEGORIES) & (rng.random(len(book)) < 0.12))).to_numpy()
    vcse = vcse & ~public.to_numpy()
    sme = book["sme"].to_numpy(dtype=bool) & ~public.to_numpy()
    unknown_sme = rng.random(len(book)) < 0.03
    unknown_vcse = rng.random(len(book)) < 0.03
    # Most suppliers appear under their main vendor record; a few under another one.
    names = [v[int(rng.integers(1, len(v)))] if len(v) > 1 and rng.random() < 0.1 else v[0] for v in book["variants"]]
    frame = pd.DataFrame({
        "Supplier Company Name": names,
        "Supplier Postcode": written,
        "SME Supplier?": np.where(unknown_sme, "", np.where(sme, "Yes", "No")),
        "VCSE?": np.where(unknown_vcse, "", np.where(vcse, "Yes", "No")),
        "Company Number": book["company_number"].astype(str),
    })
    frame = frame.sort_values("Supplier Company Name", kind="stable").reset_index(drop=True)
    return {"supplier_locations.csv": frame[list(COLUMNS)]}


def planted_categories(council: Council, rng: np.random.Generator) -> list[str]:
    """Return the categories :func:`generate` plants as leaks for a council with the same rng.

    Parameters
    ----------
    council : curriculum.councils.Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        A generator in the state :func:`generate` would receive (it is consumed).

    Returns
    -------
    list of str
        The planted categories, in the order they were drawn.

    Raises
    ------
    TypeError
        If ``council`` is not a Council.
    ValueError
        If the council is not a CCR council.
    """
    return _place_suppliers(_council(council), rng)[3]
