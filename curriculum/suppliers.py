"""Supplier names in council spend and contract files: one key per supplier, and redacted payees.

Councils pay the same supplier under several vendor records ("ACME SERVICES LTD",
"Acme Services Limited", "The Acme Services Co.") and publish payments to
individuals (foster carers, direct payments) under a redaction label instead of a
name ("Redacted Personal Information", "REDACTED PERSONAL DATA", "Private
Individual"). Two functions handle both, on one name or on a whole column:

- :func:`normalise_supplier_name` gives the key that the variants of one name share;
- :func:`is_redacted` tells redaction labels from the names of real suppliers.

Both are plain rules that a procurement officer can read and argue with; they
catch differences of formatting and legal form, not misspellings (for those, use
fuzzy matching on the keys).
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["normalise_supplier_name", "is_redacted", "LEGAL_SUFFIXES", "REDACTION_PATTERNS"]

#: Words of legal form dropped from the end of a name (after upper-casing and
#: removing punctuation), repeatedly, so "CO LTD" and "AND CO" go too. CYF and
#: CYFYNGEDIG are Welsh for "limited", CCC for "public limited company".
LEGAL_SUFFIXES: tuple[str, ...] = (
    "LIMITED", "LTD", "PLC", "CIC", "LLP", "LP", "CO", "COMPANY", "INC", "CYFYNGEDIG", "CYF", "CCC",
)

#: Regular expressions (matched against the upper-cased name with punctuation turned
#: into spaces) that mark a payee whose name the council has withheld.
REDACTION_PATTERNS: tuple[str, ...] = (
    r".*\bREDACTED\b.*",                      # REDACTED, Redacted Personal Information, REDACTED PERSONAL DATA
    r".*\bWITHHELD\b.*",                      # Name withheld, Personal Data Withheld
    r".*\bDATA PROTECTION\b.*",               # Withheld under data protection, Data Protection Act
    r"(AN |A |PRIVATE |NAMED )?INDIVIDUALS?( PAYEE)?",   # Individual, Private Individual
    r"(PRIVATE )?(PERSON|PAYEE|RECIPIENT|CLIENT|SERVICE USER|FOSTER CARER|CARER)S?",
    r"PERSONAL( DATA| INFORMATION| DETAILS)?( REMOVED| EXCLUDED| SUPPRESSED)?",
    r"(NAME|NAMES|DETAILS|PAYEE|SUPPLIER NAME) (REMOVED|NOT DISCLOSED|NOT SHOWN|SUPPRESSED)",
    r"NOT DISCLOSED|UNDISCLOSED|CONFIDENTIAL|COMMERCIALLY CONFIDENTIAL|SENSITIVE( DATA| INFORMATION)?",
    r"ANONYMI[SZ]ED( PAYEE)?",
    r"[*X]{3,}",                              # ***** or XXXXX
)

_SUFFIX_RE = re.compile(r"(?:\s+(?:" + "|".join(LEGAL_SUFFIXES) + r"|AND))+$")
_TRADING_AS = r"\b(?:T\s*/\s*AS?|T\s*\.\s*A\s*\.?|TRADING\s+AS)(?:\s+|$)"
_TRADING_AS_RE = re.compile(r"^.*?" + _TRADING_AS)
_REDACTED_RE = re.compile("|".join(f"(?:{p})" for p in REDACTION_PATTERNS))


def _as_series(name: object, argument: str) -> tuple[pd.Series, bool]:
    """Return ``name`` as a text Series and whether it was one value."""
    if isinstance(name, pd.Series):
        bad = name.map(lambda v: not (isinstance(v, str) or pd.isna(v)))
        if bad.any():
            example = name[bad].iloc[0]
            raise TypeError(f"{argument} must hold text (or missing values); found {example!r} "
                            f"of type {type(example).__name__}")
        if not (pd.api.types.is_string_dtype(name.dtype) or name.dtype == object):
            name = name.astype(object)
        return name, False
    if isinstance(name, str):
        return pd.Series([name], dtype=object), True
    raise TypeError(f"{argument} must be a str or a pandas Series of str, got {type(name).__name__}")


def _squash(text: pd.Series) -> pd.Series:
    """Upper-case, drop apostrophes and full stops, turn other punctuation into spaces."""
    return (text.str.upper()
                .str.replace(r"[’'`.]", "", regex=True)
                .str.replace(r"[^\w&/]+", " ", regex=True)
                .str.replace("_", " ", regex=False)
                .str.replace(r"\s+", " ", regex=True)
                .str.strip())


def normalise_supplier_name(name: str | pd.Series) -> str | pd.Series:
    """Reduce a supplier name to a key shared by the variants of that name.

    The rules, in order: upper-case; keep only the trading name of a
    "X T/A Y" ("trading as") form; drop apostrophes and full stops; turn other
    punctuation into spaces; write "&" as "AND"; drop a leading "THE"; drop legal
    suffixes (:data:`LEGAL_SUFFIXES`, repeatedly, with a dangling "AND"); squash
    spaces. A name that would become empty keeps its cleaned form instead.

    Parameters
    ----------
    name : str or pandas.Series
        One supplier name, or a column of them (missing values stay missing).

    Returns
    -------
    str or pandas.Series
        The key (for a Series, a Series of text with the same index).

    Raises
    ------
    TypeError
        If ``name`` is neither text nor a Series of text.

    Examples
    --------
    >>> normalise_supplier_name("Acme Services Ltd.")
    'ACME SERVICES'
    >>> normalise_supplier_name("The ACME Services Co. Limited")
    'ACME SERVICES'
    >>> normalise_supplier_name("J Evans t/a Evans & Sons Plumbing")
    'EVANS AND SONS PLUMBING'
    """
    text, single = _as_series(name, "name")
    upper = text.str.upper().str.strip()
    trading = upper.str.replace(_TRADING_AS_RE, "", regex=True)
    upper = trading.where(trading.str.strip().str.len() > 0, upper.str.replace(_TRADING_AS, " ", regex=True))
    cleaned = (_squash(upper.str.replace("&", " AND ", regex=False))
               .str.replace("/", " ", regex=False)
               .str.replace(r"\s+", " ", regex=True)
               .str.strip())
    key = cleaned.str.replace(r"^THE\s+", "", regex=True).str.replace(_SUFFIX_RE, "", regex=True).str.strip()
    key = key.where(key.str.len() > 0, cleaned)
    return key.iloc[0] if single else key


def is_redacted(name: str | pd.Series) -> bool | pd.Series:
    """Tell whether a payee name is a redaction label rather than a supplier's name.

    A name is redacted when, upper-cased and with punctuation turned into spaces,
    it contains "REDACTED", "WITHHELD" or "DATA PROTECTION", or it is wholly a
    label such as "Individual", "Private Individual", "Personal Data", "Name
    removed", "Confidential" or "*****" (see :data:`REDACTION_PATTERNS`). Names
    that merely contain such words ("Healthlinc Individual Care Ltd", "Wheels
    Private Hire") are not redacted.

    Parameters
    ----------
    name : str or pandas.Series
        One payee name, or a column of them.

    Returns
    -------
    bool or pandas.Series
        True for a redaction label; a boolean Series with the same index for a
        Series (missing names count as not redacted).

    Raises
    ------
    TypeError
        If ``name`` is neither text nor a Series of text.

    Examples
    --------
    >>> is_redacted("Redacted Personal Information")
    True
    >>> is_redacted("Private Hire Taxis Ltd")
    False
    """
    text, single = _as_series(name, "name")
    squashed = (text.str.upper()
                    .str.replace(r"[^\w*]+", " ", regex=True)
                    .str.replace("_", " ", regex=False)
                    .str.replace(r"\s+", " ", regex=True)
                    .str.strip())
    flags = squashed.str.fullmatch(_REDACTED_RE).fillna(False).astype(bool)
    return bool(flags.iloc[0]) if single else flags
