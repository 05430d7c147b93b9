"""Messy addresses made comparable: postcodes, address text, places and fuzzy matching.

Agencies type the same premises in different ways ("23 High St.", "23, HIGH STREET",
"Flt 1 23 High Street CF371AB"). These functions bring such text to one form so that
records can be joined to each other and to a local land and property gazetteer:

- :func:`normalise_postcode` and :func:`extract_postcode` give postcodes in the
  standard ``"CF37 1AB"`` form (``None`` when there is none);
- :func:`postcode_district` gives the outward code (``"CF37"``);
- :func:`normalise_address` gives upper-case address text without punctuation or
  accents and with standard words (``RD`` becomes ``ROAD``, ``FLT 1`` becomes ``FLAT 1``);
- :func:`find_place` finds which of a list of towns an address names;
- :func:`match_addresses` finds each address's best-scoring gazetteer entry within
  a block (the same postcode or town) with :mod:`rapidfuzz`.

Every text function takes one string (or ``None``) or a :class:`pandas.Series` of
them and returns the same shape. Importing the module does nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

__all__ = [
    "ABBREVIATIONS",
    "POSTCODE_PATTERN",
    "extract_postcode",
    "find_place",
    "match_addresses",
    "normalise_address",
    "normalise_postcode",
    "postcode_district",
]

#: A UK postcode inside text (upper case): outward code, optional space, inward code.
POSTCODE_PATTERN = r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b"
_POSTCODE_IN_TEXT = re.compile(POSTCODE_PATTERN)
_POSTCODE_WHOLE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})")

#: Abbreviations expanded by :func:`normalise_address` (``ST`` is handled apart: SAINT or STREET).
ABBREVIATIONS: dict[str, str] = {
    "RD": "ROAD", "AVE": "AVENUE", "AV": "AVENUE", "LN": "LANE", "DR": "DRIVE", "CL": "CLOSE",
    "CRES": "CRESCENT", "CRESC": "CRESCENT", "CT": "COURT", "PL": "PLACE", "SQ": "SQUARE",
    "TER": "TERRACE", "TERR": "TERRACE", "TCE": "TERRACE", "GDNS": "GARDENS", "GRN": "GREEN",
    "PDE": "PARADE", "HSE": "HOUSE", "BLDGS": "BUILDINGS", "IND": "INDUSTRIAL", "EST": "ESTATE",
    "PK": "PARK", "CTR": "CENTRE", "CNTR": "CENTRE", "STN": "STATION", "MT": "MOUNT",
    "UPR": "UPPER", "LWR": "LOWER", "GRD": "GROUND", "GND": "GROUND", "FLR": "FLOOR",
    "FLT": "FLAT", "APT": "FLAT", "APARTMENT": "FLAT", "1ST": "FIRST", "2ND": "SECOND", "3RD": "THIRD",
}
_UNIT_JOINED = re.compile(r"^(FLAT|FLT|APT|APARTMENT|UNIT|U)(\d+[A-Z]?)$")
_NUMBER = re.compile(r"^\d+[A-Z]?(-\d+[A-Z]?)?$")


def _is_missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _vectorise(func: Callable[[str], str | None], text: object, argument: str) -> object:
    """Apply ``func`` to one text or to each distinct value of a Series."""
    if isinstance(text, pd.Series):
        distinct = pd.unique(text)
        lookup = {v: (None if _is_missing(v) else func(str(v))) for v in distinct}
        out = [lookup[v] for v in text.to_numpy()] if len(text) else []
        return pd.Series(out, index=text.index, name=text.name, dtype=object)
    if _is_missing(text):
        return None
    if not isinstance(text, str):
        raise TypeError(f"{argument} must be text, None or a pandas Series of text, got {type(text).__name__} {text!r}")
    return func(text)


def _postcode(text: str) -> str | None:
    compact = re.sub(r"\s+", "", text.upper())
    m = _POSTCODE_WHOLE.fullmatch(compact)
    return f"{m.group(1)} {m.group(2)}" if m else None


def normalise_postcode(text):
    """Return a postcode in the standard form ``"CF37 1AB"``.

    Case and spaces are ignored (``"cf371ab"``, ``" CF37  1AB"``); text that is not
    a whole UK postcode gives ``None``.

    Parameters
    ----------
    text : str, None or pandas.Series
        One postcode or a Series of them.

    Returns
    -------
    str, None or pandas.Series
        The normalised postcode (``None`` when missing or not a postcode); a
        Series of them (object dtype, same index) for a Series.

    Raises
    ------
    TypeError
        If ``text`` is neither text, None nor a Series.

    Examples
    --------
    >>> normalise_postcode(" cf371ab ")
    'CF37 1AB'
    >>> normalise_postcode("Pontypridd") is None
    True
    """
    return _vectorise(_postcode, text, "text")


def _extract(text: str) -> str | None:
    m = _POSTCODE_IN_TEXT.search(text.upper())
    return f"{m.group(1)} {m.group(2)}" if m else None


def extract_postcode(text):
    """Return the first UK postcode found inside free text, normalised.

    Parameters
    ----------
    text : str, None or pandas.Series
        Address text such as ``"23 High St, Pontypridd cf37 1ab"``, or a Series of it.

    Returns
    -------
    str, None or pandas.Series
        The postcode as ``"CF37 1AB"``, or ``None`` when the text holds none.

    Raises
    ------
    TypeError
        If ``text`` is neither text, None nor a Series.

    Examples
    --------
    >>> extract_postcode("Unit 4, Heol y Nant, Caerphilly CF832AB")
    'CF83 2AB'
    """
    return _vectorise(_extract, text, "text")


def postcode_district(postcode):
    """Return the postcode district (outward code) of a postcode: ``"CF37 1AB"`` gives ``"CF37"``.

    Parameters
    ----------
    postcode : str, None or pandas.Series
        A postcode in any spacing or case, or a Series of them.

    Returns
    -------
    str, None or pandas.Series
        The district, or ``None`` when ``postcode`` is not a postcode.

    Raises
    ------
    TypeError
        If ``postcode`` is neither text, None nor a Series.
    """
    def district(text: str) -> str | None:
        full = _postcode(text)
        return full.split(" ")[0] if full else None

    return _vectorise(district, postcode, "postcode")


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _address(text: str, keep_postcode: bool) -> str | None:
    text = _strip_accents(text).upper()
    if not keep_postcode:
        text = _POSTCODE_IN_TEXT.sub(" ", text)
    text = text.replace("&", " AND ")
    text = re.sub(r"['\u2019`]", "", text)              # ST MARY'S -> ST MARYS
    text = re.sub(r"(?<=\d)\s*-\s*(?=\d)", "-", text)    # 12 - 14 -> 12-14
    text = re.sub(r"[^A-Z0-9\s-]|(?<!\d)-|-(?!\d)", " ", text)
    tokens: list[str] = []
    for token in text.split():
        m = _UNIT_JOINED.match(token)
        if m:
            tokens.extend([m.group(1), m.group(2)])
        else:
            tokens.append(token)
    out: list[str] = []
    for i, token in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        prev = out[-1] if out else None
        if token == "ST":
            saint = nxt is not None and not _NUMBER.match(nxt) and (prev is None or _NUMBER.match(prev) is not None)
            token = "SAINT" if saint else "STREET"
        elif token == "U" and nxt is not None and _NUMBER.match(nxt):
            token = "UNIT"
        elif token == "NO" and nxt is not None and _NUMBER.match(nxt):
            continue  # "No. 12" is 12
        else:
            token = ABBREVIATIONS.get(token, token)
        out.append(token)
    return " ".join(out) or None


def normalise_address(text, *, keep_postcode: bool = False):
    """Return address text in one comparable form.

    The steps: accents dropped (``Lôn`` becomes ``LON``), upper case, any postcode
    removed (unless ``keep_postcode``), ``&`` to ``AND``, apostrophes dropped,
    other punctuation (commas, full stops, slashes) to spaces, joined forms split
    (``FLAT2`` to ``FLAT 2``, ``U3`` to ``UNIT 3``), ``NO 12`` to ``12``, the
    abbreviations in :data:`ABBREVIATIONS` expanded, and single spaces. ``ST`` becomes
    ``SAINT`` when it opens a name (at the start, or after a house number, and
    followed by a word: ``12 ST MARY STREET``) and ``STREET`` otherwise.

    Parameters
    ----------
    text : str, None or pandas.Series
        One address or a Series of them.
    keep_postcode : bool, default False
        Keep postcodes inside the text instead of removing them.

    Returns
    -------
    str, None or pandas.Series
        The normalised address (``None`` when missing or blank).

    Raises
    ------
    TypeError
        If ``text`` is neither text, None nor a Series, or ``keep_postcode`` is not a bool.

    Examples
    --------
    >>> normalise_address("Flt 1, 23 High St., Pontypridd CF37 1AB")
    'FLAT 1 23 HIGH STREET PONTYPRIDD'
    >>> normalise_address("U4 Parc Tŷ Glas Ind. Est.")
    'UNIT 4 PARC TY GLAS INDUSTRIAL ESTATE'
    """
    if not isinstance(keep_postcode, bool):
        raise TypeError(f"keep_postcode must be True or False, got {keep_postcode!r}")
    return _vectorise(lambda t: _address(t, keep_postcode), text, "text")


def find_place(text, places: Iterable[str]):
    """Return which of ``places`` an address names (the last one named, as towns come last).

    Places are compared as whole words after :func:`normalise_address`, so
    ``"Merthyr Tydfil"`` is found in ``"12 HIGH STREET MERTHYR TYDFIL"``; taking the
    last one named means ``"CARDIFF ROAD BARRY"`` gives ``BARRY``.

    Parameters
    ----------
    text : str, None or pandas.Series
        Normalised address text (see :func:`normalise_address`), or a Series of it.
    places : iterable of str
        Place names (towns) to look for; case and accents are ignored.

    Returns
    -------
    str, None or pandas.Series
        The place as normalised (``"MERTHYR TYDFIL"``), or ``None`` when none is named.

    Raises
    ------
    TypeError
        If ``places`` is a single string rather than a list of names, or ``text`` is
        neither text, None nor a Series.
    ValueError
        If ``places`` holds no usable name.
    """
    if isinstance(places, str):
        raise TypeError(f"places must be a list of place names, not the single string {places!r}; wrap it in a list")
    names = sorted({n for n in (normalise_address(str(p)) for p in places if not _is_missing(p)) if n},
                   key=len, reverse=True)
    if not names:
        raise ValueError("places must hold at least one place name")
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")

    def last_place(value: str) -> str | None:
        found = pattern.findall(value.upper())
        return found[-1] if found else None

    return _vectorise(last_place, text, "text")


def _labels(values: list, like: pd.Index) -> pd.Series:
    """Candidate labels as a Series, nullable integer when the labels are integers."""
    series = pd.Series(values, dtype=object)
    if pd.api.types.is_integer_dtype(like.dtype):
        return series.astype("Int64")
    return series


def match_addresses(addresses: pd.Series, candidates: pd.Series, *, blocks: pd.Series | None = None,
                    candidate_blocks: pd.Series | None = None, scorer: Callable | None = None,
                    threshold: float = 0.0) -> pd.DataFrame:
    """Find each address's best-scoring candidate, comparing only within the same block.

    Blocking (comparing a record only with candidates of the same postcode or town)
    keeps the work small and stops a record matching a look-alike elsewhere.
    Scores come from a :mod:`rapidfuzz` scorer (0 to 100), computed with
    :func:`rapidfuzz.process.cdist` one block at a time.

    Parameters
    ----------
    addresses : pandas.Series
        Normalised addresses to match (for example agency records).
    candidates : pandas.Series
        Normalised addresses to match against, indexed by their identifier (for
        example gazetteer addresses indexed by UPRN).
    blocks : pandas.Series, optional
        Block key of each address (same index as ``addresses``); a missing key
        means the address is compared with nothing. None compares every address
        with every candidate.
    candidate_blocks : pandas.Series, optional
        Block key of each candidate (same index as ``candidates``); required with ``blocks``.
    scorer : callable, optional
        A rapidfuzz scorer; :func:`rapidfuzz.fuzz.token_sort_ratio` by default.
    threshold : float, default 0
        The lowest score accepted as a match, from 0 to 100.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``addresses``, with columns ``best`` (label of the
        best-scoring candidate, missing when the block has none), ``score`` (its
        score; 0 when there was no candidate) and ``match`` (``best`` when
        ``score`` reaches ``threshold``, else missing).

    Raises
    ------
    TypeError
        If ``addresses``, ``candidates``, ``blocks`` or ``candidate_blocks`` is not a Series,
        or ``scorer`` is not callable.
    ValueError
        If ``threshold`` is outside 0-100, only one of ``blocks`` and
        ``candidate_blocks`` is given, or a block Series does not share the index
        of what it blocks.
    """
    from rapidfuzz import fuzz, process

    for name, value in (("addresses", addresses), ("candidates", candidates)):
        if not isinstance(value, pd.Series):
            raise TypeError(f"{name} must be a pandas Series of normalised addresses, got {type(value).__name__}")
    if (blocks is None) != (candidate_blocks is None):
        raise ValueError("blocks and candidate_blocks go together: give both (to compare within blocks) or neither")
    if blocks is not None:
        for name, value, owner in (("blocks", blocks, addresses), ("candidate_blocks", candidate_blocks, candidates)):
            if not isinstance(value, pd.Series):
                raise TypeError(f"{name} must be a pandas Series, got {type(value).__name__}")
            if not value.index.equals(owner.index):
                raise ValueError(f"{name} must have the same index as {'addresses' if name == 'blocks' else 'candidates'}")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating)) or not 0 <= threshold <= 100:
        raise ValueError(f"threshold must be a score from 0 to 100, got {threshold!r}")
    scorer = fuzz.token_sort_ratio if scorer is None else scorer
    if not callable(scorer):
        raise TypeError(f"scorer must be a rapidfuzz scorer such as fuzz.token_sort_ratio, got {scorer!r}")

    query_key = pd.Series(0, index=addresses.index) if blocks is None else blocks
    cand_key = pd.Series(0, index=candidates.index) if candidate_blocks is None else candidate_blocks
    cand_text = candidates.fillna("").astype(str)
    best: list = [None] * len(addresses)
    score = np.zeros(len(addresses))
    groups = {k: np.flatnonzero(cand_key.to_numpy() == k) for k in pd.unique(cand_key.dropna())}
    query_text = addresses.fillna("").astype(str).to_numpy()
    query_keys = query_key.to_numpy()
    for key in pd.unique(query_key.dropna()):
        rows = np.flatnonzero(query_keys == key)
        chosen = groups.get(key)
        if chosen is None or not len(chosen):
            continue
        texts, inverse = np.unique(query_text[rows], return_inverse=True)
        matrix = process.cdist(list(texts), list(cand_text.iloc[chosen]), scorer=scorer, workers=1)
        top = matrix.argmax(axis=1)
        for r, i in zip(rows, inverse.ravel()):
            best[r] = candidates.index[chosen[top[i]]]
            score[r] = float(matrix[i, top[i]])
    result = pd.DataFrame(index=addresses.index)
    labels = _labels(best, candidates.index)
    labels.index = addresses.index
    result["best"] = labels
    result["score"] = score
    result["match"] = result["best"].where(result["score"] >= threshold)
    return result
