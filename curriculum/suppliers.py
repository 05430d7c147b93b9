"""Supplier names in council spend and contract files: one key per supplier, and redacted payees.

Councils pay the same supplier under several vendor records ("ACME SERVICES LTD",
"Acme Services Limited", "The Acme Services Co.") and publish payments to
individuals (foster carers, direct payments) under a redaction label instead of a
name ("Redacted Personal Information", "REDACTED PERSONAL DATA", "Private
Individual"). Two functions handle both, on one name or on a whole column:

- :func:`normalise_supplier_name` gives the key that the variants of one name share;
- :func:`is_redacted` tells redaction labels from the names of real suppliers.

Both are plain rules that a procurement officer can read and argue with; they
catch differences of formatting and legal form, not misspellings. For those, the
fuzzy-matching helpers score the keys with rapidfuzz:

- :func:`block_key` and :func:`candidate_pairs` find look-alike names in one list,
  comparing only names in the same block;
- :func:`cluster_names` groups look-alike names (connected components of the pairs);
- :func:`match_suppliers` resolves names to a register of companies (a Companies
  House number) with a threshold and a review band, :func:`review_queue` lists
  what a person should check;
- :func:`match_quality` measures precision, recall and F1 against labelled pairs,
  and :func:`lowest_review_floor` finds the review band a reviewer's time allows.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

__all__ = ["normalise_supplier_name", "is_redacted", "LEGAL_SUFFIXES", "REDACTION_PATTERNS", "SCORERS", "block_key",
           "score_pairs", "candidate_pairs", "cluster_names", "match_suppliers", "review_queue", "match_quality",
           "lowest_review_floor"]

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
    if not single and len(text) > 2 * text.nunique(dropna=True) + 100:
        # A spend file repeats each supplier many times: clean each distinct name once.
        distinct = text.dropna().drop_duplicates()
        keys = normalise_supplier_name(distinct.reset_index(drop=True))
        return text.map(dict(zip(distinct, keys)))
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
    if not single and len(text) > 2 * text.nunique(dropna=True) + 100:
        distinct = text.dropna().drop_duplicates()
        flags = is_redacted(distinct.reset_index(drop=True))
        return text.map(dict(zip(distinct, flags))).fillna(False).astype(bool)
    squashed = (text.str.upper()
                    .str.replace(r"[^\w*]+", " ", regex=True)
                    .str.replace("_", " ", regex=False)
                    .str.replace(r"\s+", " ", regex=True)
                    .str.strip())
    flags = squashed.str.fullmatch(_REDACTED_RE).fillna(False).astype(bool)
    return bool(flags.iloc[0]) if single else flags


# ---------------------------------------------------------------------------
# Fuzzy matching: blocking, scoring, clustering, a review queue and its quality.
# ---------------------------------------------------------------------------

#: The rapidfuzz scorers the functions below accept by name (each gives 0 to 100): ``ratio``
#: (edit distance over the whole string), ``token_sort_ratio`` (the same after sorting the
#: words), ``token_set_ratio`` (100 when one name's words are a subset of the other's),
#: ``partial_ratio`` (best matching substring) and ``WRatio`` (a weighted mix).
SCORERS: dict[str, object] = {"ratio": fuzz.ratio, "token_sort_ratio": fuzz.token_sort_ratio,
                              "token_set_ratio": fuzz.token_set_ratio, "partial_ratio": fuzz.partial_ratio,
                              "WRatio": fuzz.WRatio}


def _scorer(scorer: object):
    """Return the rapidfuzz scorer named by ``scorer`` (or ``scorer`` itself if callable)."""
    if callable(scorer):
        return scorer
    if isinstance(scorer, str) and scorer in SCORERS:
        return SCORERS[scorer]
    raise ValueError(f"scorer must be one of {', '.join(SCORERS)} or a callable, got {scorer!r}")


def _check_threshold(value: object, argument: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not 0 <= value <= 100:
        raise ValueError(f"{argument} must be a number from 0 to 100, got {value!r}")
    return float(value)


def _keys_of(names: pd.Series, argument: str) -> pd.Series:
    """Normalised keys of a Series of names (missing names dropped)."""
    if not isinstance(names, pd.Series):
        raise TypeError(f"{argument} must be a pandas Series of supplier names, got {type(names).__name__}")
    return normalise_supplier_name(names.dropna())


def block_key(key: str | pd.Series, length: int = 2) -> str | pd.Series:
    """Return the blocking key of a normalised name: its first ``length`` letters or digits.

    Blocking compares only names that share a block, which cuts the number of
    comparisons from n(n-1)/2 to the sum of that over the blocks, at the cost of
    missing pairs whose first characters differ.

    Parameters
    ----------
    key : str or pandas.Series
        A normalised supplier name (see :func:`normalise_supplier_name`), or a column of them.
    length : int, default 2
        Characters kept (spaces ignored); 0 puts every name in one block.

    Returns
    -------
    str or pandas.Series
        The block (a Series with the same index for a Series).

    Raises
    ------
    TypeError
        If ``key`` is neither text nor a Series of text.
    ValueError
        If ``length`` is not a whole number of 0 or more.

    Examples
    --------
    >>> block_key("ACME SERVICES")
    'AC'
    """
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 0:
        raise ValueError(f"length must be a whole number of 0 or more, got {length!r}")
    text, single = _as_series(key, "key")
    blocks = text.str.replace(r"[^\w]+", "", regex=True).str[: int(length)]
    return blocks.iloc[0] if single else blocks


def score_pairs(left: pd.Series, right: pd.Series, scorer: object = "token_sort_ratio") -> pd.Series:
    """Score aligned pairs of names (row by row) after normalising both sides.

    Parameters
    ----------
    left, right : pandas.Series
        Names of equal length; row i of ``left`` is compared with row i of ``right``.
    scorer : str or callable, default "token_sort_ratio"
        A name in :data:`SCORERS` or a rapidfuzz scorer.

    Returns
    -------
    pandas.Series
        Similarity from 0 to 100 with the index of ``left`` (0 where a name is missing).

    Raises
    ------
    TypeError
        If ``left`` or ``right`` is not a Series of text.
    ValueError
        If they differ in length or ``scorer`` is unknown.
    """
    for argument, value in (("left", left), ("right", right)):
        if not isinstance(value, pd.Series):
            raise TypeError(f"{argument} must be a pandas Series of names, got {type(value).__name__}")
    if len(left) != len(right):
        raise ValueError(f"left and right must have the same length, got {len(left)} and {len(right)}")
    fn = _scorer(scorer)
    a = normalise_supplier_name(left).fillna("").tolist()
    b = normalise_supplier_name(right).fillna("").tolist()
    scores = process.cpdist(a, b, scorer=fn, dtype=np.float64, workers=1) if a else np.array([], dtype=float)
    out = pd.Series(np.asarray(scores, dtype=float), index=left.index, name="score")
    return out.where((pd.Series(a, index=left.index) != "") & (pd.Series(b, index=left.index) != ""), 0.0)


def candidate_pairs(names: pd.Series, threshold: float = 85, *, scorer: object = "token_sort_ratio",
                    block_length: int = 2) -> pd.DataFrame:
    """Find pairs of different supplier keys in one list whose names look alike.

    The names are normalised (:func:`normalise_supplier_name`) and de-duplicated;
    keys are compared only within their block (:func:`block_key`), with a
    rapidfuzz scorer, and pairs scoring at least ``threshold`` are kept.

    Parameters
    ----------
    names : pandas.Series
        Supplier names (missing values ignored).
    threshold : float, default 85
        Lowest score kept, 0 to 100.
    scorer : str or callable, default "token_sort_ratio"
        A name in :data:`SCORERS` or a rapidfuzz scorer.
    block_length : int, default 2
        Characters of the block key; 0 compares every pair (no blocking).

    Returns
    -------
    pandas.DataFrame
        Columns ``left`` and ``right`` (keys, ``left < right``), ``block`` and
        ``score``; highest score first.

    Raises
    ------
    TypeError
        If ``names`` is not a Series of text.
    ValueError
        If ``threshold``, ``block_length`` or ``scorer`` is invalid.
    """
    threshold = _check_threshold(threshold, "threshold")
    fn = _scorer(scorer)
    keys = pd.Series(sorted(set(_keys_of(names, "names"))), dtype=object)
    blocks = block_key(keys, block_length) if len(keys) else keys
    rows = []
    for block, members in keys.groupby(blocks.to_numpy(), sort=True):
        members = members.tolist()
        if len(members) < 2:
            continue
        scores = process.cdist(members, members, scorer=fn, dtype=np.float64, workers=1,
                               score_cutoff=threshold if threshold > 0 else None)
        i, j = np.nonzero(np.triu(scores >= threshold, k=1))
        rows.extend((members[a], members[b], block, float(scores[a, b])) for a, b in zip(i, j))
    pairs = pd.DataFrame(rows, columns=["left", "right", "block", "score"])
    pairs["score"] = pairs["score"].astype(float)
    return pairs.sort_values(["score", "left", "right"], ascending=[False, True, True], ignore_index=True)


def cluster_names(names: pd.Series, threshold: float = 92, *, scorer: object = "token_sort_ratio",
                  block_length: int = 2) -> pd.Series:
    """Group supplier names into clusters of names that look alike, and label each cluster.

    Two keys are linked when :func:`candidate_pairs` scores them at least
    ``threshold``; a cluster is a connected component of those links (found with
    :func:`scipy.sparse.csgraph.connected_components`), so A and C share a cluster
    when A looks like B and B like C, even if A and C do not look alike ("chaining").
    Each cluster is labelled with its member key that occurs most often in
    ``names`` (ties: alphabetically first).

    Parameters
    ----------
    names : pandas.Series
        Supplier names, typically one per payment line.
    threshold : float, default 92
        Lowest score that links two keys, 0 to 100.
    scorer : str or callable, default "token_sort_ratio"
        A name in :data:`SCORERS` or a rapidfuzz scorer.
    block_length : int, default 2
        Characters of the block key; 0 compares every pair.

    Returns
    -------
    pandas.Series
        The cluster label of each name, with the index of ``names`` (missing
        names stay missing).

    Raises
    ------
    TypeError
        If ``names`` is not a Series of text.
    ValueError
        If ``threshold``, ``block_length`` or ``scorer`` is invalid.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    keys = _keys_of(names, "names")
    pairs = candidate_pairs(names, threshold, scorer=scorer, block_length=block_length)
    counts = keys.value_counts()
    unique = sorted(counts.index)
    position = {k: i for i, k in enumerate(unique)}
    graph = coo_matrix((np.ones(len(pairs)), (pairs["left"].map(position).to_numpy(dtype=int),
                                              pairs["right"].map(position).to_numpy(dtype=int))),
                       shape=(len(unique), len(unique)))
    _, component = connected_components(graph, directed=False)
    members = pd.DataFrame({"key": unique, "component": component, "count": counts.reindex(unique).to_numpy()})
    members = members.sort_values(["component", "count", "key"], ascending=[True, False, True])
    label = members.groupby("component")["key"].first()
    key_to_label = dict(zip(members["key"], members["component"].map(label)))
    out = pd.Series(pd.NA, index=names.index, dtype=object, name="cluster")
    out.loc[keys.index] = keys.map(key_to_label).to_numpy()
    return out


def match_suppliers(names: pd.Series, register: pd.DataFrame, threshold: float = 90, *,
                    review_from: float | None = None, scorer: object = "token_sort_ratio", block_length: int = 0,
                    name_column: str = "company_name", id_column: str = "company_number") -> pd.DataFrame:
    """Match supplier names to a register of companies and resolve them to an identifier.

    Each distinct normalised name is compared with the normalised names of the
    register (within its block when ``block_length`` > 0) and takes the best
    candidate. The decision is ``"match"`` when the best score reaches
    ``threshold``, ``"review"`` when it reaches ``review_from`` only (a person
    should check it) and ``"no match"`` otherwise.

    Parameters
    ----------
    names : pandas.Series
        Supplier names as written (missing values ignored).
    register : pandas.DataFrame
        The register, with a name column and an identifier column (for example a
        Companies House extract loaded as kind ``supplier_register``).
    threshold : float, default 90
        Score from which a match is accepted, 0 to 100.
    review_from : float, optional
        Score from which a match goes to review; defaults to ``threshold`` (no review band).
    scorer : str or callable, default "token_sort_ratio"
        A name in :data:`SCORERS` or a rapidfuzz scorer.
    block_length : int, default 0
        Characters of the block key; 0 compares every name with the whole register.
    name_column, id_column : str
        The register's name and identifier columns.

    Returns
    -------
    pandas.DataFrame
        One row per distinct key, highest score first: ``key``, ``names`` (how
        many spellings in ``names`` share the key), ``register_name``,
        ``company_number`` (empty when nothing scored above 0), ``score`` and
        ``decision``.

    Raises
    ------
    TypeError
        If ``names`` is not a Series of text or ``register`` not a DataFrame.
    ValueError
        If a threshold is out of range, ``review_from`` exceeds ``threshold``, a
        column is missing, or ``scorer`` or ``block_length`` is invalid.
    """
    threshold = _check_threshold(threshold, "threshold")
    review_from = threshold if review_from is None else _check_threshold(review_from, "review_from")
    if review_from > threshold:
        raise ValueError(f"review_from ({review_from}) must not exceed threshold ({threshold})")
    if not isinstance(register, pd.DataFrame):
        raise TypeError(f"register must be a pandas DataFrame, got {type(register).__name__}")
    for argument, column in (("name_column", name_column), ("id_column", id_column)):
        if column not in register.columns:
            raise ValueError(f"{argument} {column!r} is not a column of register (it has {list(register.columns)})")
    fn = _scorer(scorer)
    keys = _keys_of(names, "names")
    spellings = names.dropna().groupby(keys).nunique()
    reg = register[[name_column, id_column]].dropna(subset=[name_column]).copy()
    reg["_key"] = normalise_supplier_name(reg[name_column])
    reg["_block"] = block_key(reg["_key"], block_length) if len(reg) else reg["_key"]
    unique = pd.Series(sorted(spellings.index), dtype=object)
    blocks = block_key(unique, block_length) if len(unique) else unique
    rows = []
    for block, members in unique.groupby(blocks.to_numpy(), sort=True):
        choices = reg[reg["_block"] == block]
        if choices.empty:
            rows.extend((k, "", "", 0.0) for k in members)
            continue
        scores = process.cdist(members.tolist(), choices["_key"].tolist(), scorer=fn, dtype=np.float64, workers=1)
        best = scores.argmax(axis=1)
        for k, b, s in zip(members, best, scores[np.arange(len(members)), best]):
            found = s > 0
            rows.append((k, str(choices[name_column].iloc[b]) if found else "",
                         str(choices[id_column].iloc[b]) if found else "", float(s)))
    out = pd.DataFrame(rows, columns=["key", "register_name", "company_number", "score"])
    out.insert(1, "names", out["key"].map(spellings).fillna(0).astype(int))
    out["score"] = out["score"].astype(float)
    out["decision"] = np.select([out["score"] >= threshold, out["score"] >= review_from],
                                ["match", "review"], "no match")
    return out.sort_values(["score", "key"], ascending=[False, True], ignore_index=True)


def review_queue(candidates: pd.DataFrame, lower: float, upper: float, *, weight: str | None = None,
                 score: str = "score") -> pd.DataFrame:
    """Select the candidate matches a person should check: scores from ``lower`` up to (not including) ``upper``.

    Scores at or above ``upper`` are accepted without review, scores below
    ``lower`` rejected; the band between goes to a reviewer, the most money at
    stake first when ``weight`` names a column.

    Parameters
    ----------
    candidates : pandas.DataFrame
        Candidate pairs or matches with a score column (for example from
        :func:`candidate_pairs` or :func:`match_suppliers`).
    lower, upper : float
        The review band, 0 to 100, ``lower <= upper``.
    weight : str, optional
        Column to sort by, largest first (for example spend at stake); ties and
        the default sort by score, highest first.
    score : str, default "score"
        The score column.

    Returns
    -------
    pandas.DataFrame
        The rows in the band, in review order, with a fresh index.

    Raises
    ------
    TypeError
        If ``candidates`` is not a DataFrame.
    ValueError
        If the band is invalid or a column is missing.
    """
    if not isinstance(candidates, pd.DataFrame):
        raise TypeError(f"candidates must be a pandas DataFrame, got {type(candidates).__name__}")
    lower, upper = _check_threshold(lower, "lower"), _check_threshold(upper, "upper")
    if lower > upper:
        raise ValueError(f"lower ({lower}) must not exceed upper ({upper})")
    for argument, column in (("score", score), ("weight", weight)):
        if column is not None and column not in candidates.columns:
            raise ValueError(f"{argument} column {column!r} is not in candidates (it has {list(candidates.columns)})")
    band = candidates[(candidates[score] >= lower) & (candidates[score] < upper)]
    order = [weight, score] if weight else [score]
    return band.sort_values(order, ascending=False, kind="stable", ignore_index=True)


def match_quality(scores: pd.Series | np.ndarray, labels: pd.Series | np.ndarray,
                  thresholds: object = (70, 75, 80, 85, 90, 95, 100)) -> pd.DataFrame:
    """Measure a matcher against labelled pairs: precision, recall and F1 at several thresholds.

    A pair is predicted a match when its score reaches the threshold. Precision
    is the share of predicted matches that are true, recall the share of true
    matches that are predicted, F1 their harmonic mean (computed with
    :func:`sklearn.metrics.precision_recall_fscore_support`; precision is
    missing when nothing is predicted).

    Parameters
    ----------
    scores : pandas.Series or numpy.ndarray
        Score of each labelled pair, 0 to 100.
    labels : pandas.Series or numpy.ndarray
        True when a reviewer judged the pair the same supplier.
    thresholds : iterable of float, default (70, 75, ..., 100)
        Thresholds to evaluate.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``threshold``: ``predicted``, ``true_positives``,
        ``false_positives``, ``false_negatives``, ``precision``, ``recall``, ``f1``.

    Raises
    ------
    ValueError
        If lengths differ, there are no pairs, labels are missing or not
        true/false, scores are missing, or a threshold is out of range.
    """
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    s = np.asarray(scores, dtype=float)
    raw = pd.Series(np.asarray(labels, dtype=object))
    if len(s) != len(raw):
        raise ValueError(f"scores and labels must have the same length, got {len(s)} and {len(raw)}")
    if len(s) == 0:
        raise ValueError("scores and labels must hold at least one labelled pair")
    if np.isnan(s).any():
        raise ValueError("scores must not be missing")
    if raw.isna().any() or not raw.map(lambda v: isinstance(v, (bool, np.bool_)) or v in (0, 1)).all():
        raise ValueError("labels must be True/False (or 1/0) for every pair")
    y = raw.astype(bool).to_numpy()
    rows = []
    for t in thresholds:
        t = _check_threshold(t, "thresholds")
        predicted = s >= t
        _, fp, fn, tp = confusion_matrix(y, predicted, labels=[False, True]).ravel()
        precision, recall, f1, _ = precision_recall_fscore_support(
            y, predicted, average="binary", pos_label=True, zero_division=np.nan)
        rows.append(dict(threshold=t, predicted=int(predicted.sum()), true_positives=int(tp),
                         false_positives=int(fp), false_negatives=int(fn), precision=float(precision),
                         recall=float(recall), f1=float(f1)))
    return pd.DataFrame(rows).set_index("threshold")


def lowest_review_floor(scores: pd.Series | np.ndarray, upper: float, budget: int,
                        floors: object = range(50, 101)) -> float:
    """Return the lowest review floor whose queue a reviewer can clear in the time they have.

    With matches accepted from ``upper`` and a review band ``[floor, upper)``, a
    lower floor finds more true matches but queues more pairs. This returns the
    lowest ``floor`` from ``floors`` (none above ``upper``) that queues at most
    ``budget`` scores, or ``upper`` itself (no review) when none does.

    Parameters
    ----------
    scores : pandas.Series or numpy.ndarray
        The candidates' scores, 0 to 100.
    upper : float
        Score from which matches are accepted without review.
    budget : int
        How many pairs the reviewer can check (0 or more).
    floors : iterable of float, default range(50, 101)
        Floors to consider.

    Returns
    -------
    float
        The lowest affordable floor.

    Raises
    ------
    ValueError
        If ``upper`` or a floor is out of range or ``budget`` is not a whole number of 0 or more.
    """
    upper = _check_threshold(upper, "upper")
    if isinstance(budget, bool) or not isinstance(budget, (int, np.integer)) or budget < 0:
        raise ValueError(f"budget must be a whole number of 0 or more, got {budget!r}")
    s = np.asarray(scores, dtype=float)
    affordable = [upper]
    for floor in floors:
        floor = _check_threshold(floor, "floors")
        if floor <= upper and int(((s >= floor) & (s < upper)).sum()) <= budget:
            affordable.append(floor)
    return float(min(affordable))
