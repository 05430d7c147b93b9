"""Buying together: several councils' spend on one category scheme, overlap, concentration and savings.

Councils that buy the same thing separately, each from its own suppliers, may get
a better price, a better contract or a stronger local market by buying together.
This module holds the steps of that analysis, each a plain function:

- :func:`load_region` stacks the ten CCR councils' demo files (and a council's own
  file, when it has one) into one table;
- :func:`assign_proclass` puts every line on the ProClass category scheme, from the
  file's ProClass code where it has one and otherwise by matching the file's
  category text (normalised by :func:`normalise_category`) against
  :func:`proclass_lookup`;
- :func:`annualise` scales files that cover different periods to a year;
- :func:`category_table`, :func:`jaccard`, :func:`supplier_overlap` and
  :func:`overlap_matrix` find categories where several councils buy the same thing
  from different suppliers;
- :func:`hhi` and :func:`hhi_after_lots` measure market concentration before and
  after a joint contract;
- :func:`aggregation_saving` and :func:`simulate_savings` give the savings case as
  a seeded simulation with an interval (:func:`saving_interval`), not a point.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "NON_PROCUREMENT",
    "UNMATCHED",
    "aggregation_saving",
    "annualise",
    "assign_proclass",
    "category_table",
    "hhi",
    "hhi_after_lots",
    "jaccard",
    "load_region",
    "normalise_category",
    "overlap_matrix",
    "proclass_lookup",
    "saving_interval",
    "simulate_savings",
    "supplier_overlap",
]

#: ProClass code of payments that are not procurement (grants, levies, payments to other public bodies).
NON_PROCUREMENT = "999999"
#: Label of lines whose category could not be put on the ProClass scheme.
UNMATCHED = "Unclassified"


@cache
def _lookup() -> pd.DataFrame:
    with resources.files("curriculum").joinpath("resources/proclass.csv").open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return table


def proclass_lookup() -> pd.DataFrame:
    """Return the ProClass lookup shipped with the package.

    Returns
    -------
    pandas.DataFrame
        One row per known category text: ``proclass`` (the six-digit ProClass
        code, as text), ``proclass_name`` (its description) and ``text`` (a
        category label councils use for it: the ProClass description itself, the
        demo files' expense types and common expense types of real spend files).
    """
    return _lookup().copy()


def normalise_category(text: str | pd.Series) -> str | pd.Series:
    """Reduce a category label to a key for matching: lower case, "&" as "and", no punctuation.

    Parameters
    ----------
    text : str or pandas.Series
        One category label, or a column of them (missing values stay missing).

    Returns
    -------
    str or pandas.Series
        The key (for a Series, a Series with the same index).

    Raises
    ------
    TypeError
        If ``text`` is neither text nor a Series.

    Examples
    --------
    >>> normalise_category("Health & Safety Equipment")
    'health and safety equipment'
    >>> normalise_category("  CONSTRUCTION  ")
    'construction'
    """
    if isinstance(text, str):
        series, single = pd.Series([text], dtype=object), True
    elif isinstance(text, pd.Series):
        series, single = text.astype(object), False
    else:
        raise TypeError(f"text must be a str or a pandas Series, got {type(text).__name__}")
    key = (series.where(series.isna(), series.astype(str))
                 .str.lower()
                 .str.replace("&", " and ", regex=False)
                 .str.replace(r"[’'`.]", "", regex=True)
                 .str.replace(r"[^\w]+", " ", regex=True)
                 .str.replace(r"\s+", " ", regex=True)
                 .str.strip())
    return key.iloc[0] if single else key


def assign_proclass(frame: pd.DataFrame, lookup: pd.DataFrame | None = None) -> pd.DataFrame:
    """Put every line of a spend (or contracts) table on the ProClass category scheme.

    A line keeps its own ProClass code where the file has one. Otherwise its
    ``category`` text, normalised with :func:`normalise_category`, is looked up in
    ``lookup``'s ``text`` column (also normalised). Lines matched neither way get
    the code and name :data:`UNMATCHED`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Lines with a ``category`` column and, optionally, a ``proclass`` column.
    lookup : pandas.DataFrame, optional
        Columns ``proclass``, ``proclass_name`` and ``text``; the package's
        :func:`proclass_lookup` by default.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with ``proclass`` (code, or :data:`UNMATCHED`),
        ``proclass_name`` and ``matched_by`` (``"code"``, ``"text"`` or ``"none"``).

    Raises
    ------
    ValueError
        If ``frame`` has no ``category`` column, or ``lookup`` lacks one of its columns.
    """
    if not isinstance(frame, pd.DataFrame) or "category" not in frame.columns:
        raise ValueError("frame must be a DataFrame with a 'category' column")
    lookup = proclass_lookup() if lookup is None else lookup
    missing = {"proclass", "proclass_name", "text"} - set(lookup.columns)
    if missing:
        raise ValueError(f"lookup lacks the column(s) {sorted(missing)}")
    names = lookup.drop_duplicates("proclass").set_index("proclass")["proclass_name"]
    by_text = (lookup.assign(key=normalise_category(lookup["text"].astype(str)))
                     .drop_duplicates("key").set_index("key")["proclass"])
    out = frame.copy()
    if "proclass" in out.columns:
        code = out["proclass"].astype(object).where(out["proclass"].notna(), None)
        code = code.map(lambda v: None if v is None or str(v).strip() in ("", "nan", "<NA>") else str(v).strip())
    else:
        code = pd.Series([None] * len(out), index=out.index, dtype=object)
    by_category = normalise_category(out["category"].astype(object)).map(by_text)
    has_code = code.notna()
    has_text = ~has_code & by_category.notna()
    out["proclass"] = code.where(has_code, by_category).fillna(UNMATCHED).astype(str)
    own_name = out["category"].astype(object) if "category" in out.columns else None
    name = out["proclass"].map(names)
    out["proclass_name"] = name.where(name.notna(), own_name.where(has_code, UNMATCHED)).fillna(UNMATCHED).astype(str)
    out["matched_by"] = np.select([has_code.to_numpy(), has_text.to_numpy()], ["code", "text"], "none")
    return out


def load_region(kind: str, council: str = "Cardiff", data_dir: str | Path | None = None,
                councils: Iterable[str] | None = None) -> pd.DataFrame:
    """Stack one dataset of the ten CCR councils' demo data, with a council's own file when it has one.

    Parameters
    ----------
    kind : str
        A dataset kind, such as ``"spend"`` or ``"contracts"``.
    council : str, default "Cardiff"
        The learner's council (a CCR council, or the label of its own data).
    data_dir : str or pathlib.Path, optional
        The council's own data folder. When its mapping describes ``kind``, that
        file is loaded and replaces the demo file of a CCR council of the same
        name; when it does not, only the demo data are used.
    councils : iterable of str, optional
        The demo councils to stack; the ten CCR councils by default.

    Returns
    -------
    pandas.DataFrame
        The stacked dataset; ``attrs["own"]`` holds the own council's label (None
        when no own file was used) and ``attrs["councils"]`` the councils in it.

    Raises
    ------
    MappingError, DataError, UnknownCouncilError
        As :func:`curriculum.load` raises them.
    """
    from curriculum.councils import COUNCIL_NAMES
    from curriculum.datasets import load, resolve_data_dir

    names = list(COUNCIL_NAMES if councils is None else councils)
    frames, own = [], None
    if data_dir is not None:
        _, mapping = resolve_data_dir(council, data_dir)
        if kind in mapping.datasets:
            mine = load(kind, council=council, data_dir=data_dir)
            own = str(mine.attrs.get("council", council))
            frames.append(mine)
    frames += [load(kind, council=c) for c in names if c != own]
    stacked = pd.concat(frames, ignore_index=True)
    stacked.attrs = {"own": own, "councils": list(dict.fromkeys(stacked["council"])), "kind": kind}
    return stacked


def annualise(frame: pd.DataFrame, amount: str = "amount", date: str = "payment_date", by: str = "council") -> pd.DataFrame:
    """Scale each council's amounts to a year, from the number of months its file covers.

    A file covering one month is multiplied by 12, a year's file by 1. This
    assumes the months in the file are typical of the year: a rough, stated
    assumption (spend peaks in March, for example).

    Parameters
    ----------
    frame : pandas.DataFrame
        Lines with the columns ``amount``, ``date`` and ``by``.
    amount, date, by : str
        Column names of the amount, the payment date and the council.

    Returns
    -------
    pandas.DataFrame
        A copy with ``months`` (calendar months covered by that council's lines)
        and ``annual_amount`` (``amount * 12 / months``).

    Raises
    ------
    ValueError
        If a column is missing.
    """
    missing = [c for c in (amount, date, by) if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks the column(s) {missing}")
    out = frame.copy()
    months = out.groupby(by)[date].transform(lambda d: d.dt.to_period("M").nunique())
    out["months"] = months.astype(int)
    out["annual_amount"] = out[amount] * 12.0 / out["months"]
    return out


def category_table(frame: pd.DataFrame, amount: str = "annual_amount", category: str = "proclass_name",
                   council: str = "council", supplier: str = "supplier_key") -> pd.DataFrame:
    """Summarise each category across councils: annual spend, councils buying, distinct suppliers.

    Parameters
    ----------
    frame : pandas.DataFrame
        Lines with the named columns.
    amount, category, council, supplier : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per category (the index), with ``annual_spend``, ``councils`` and
        ``suppliers``, largest annual spend first.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    missing = [c for c in (amount, category, council, supplier) if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks the column(s) {missing}")
    table = frame.groupby(category).agg(annual_spend=(amount, "sum"), councils=(council, "nunique"),
                                        suppliers=(supplier, "nunique"))
    return table.sort_values("annual_spend", ascending=False)


def jaccard(a: Iterable, b: Iterable) -> float:
    """Jaccard similarity of two sets: shared members over all members.

    Parameters
    ----------
    a, b : iterable
        Two collections (for example two councils' suppliers); repeats are ignored.

    Returns
    -------
    float
        ``len(a & b) / len(a | b)``, between 0 (nothing shared) and 1 (the same
        set); 0.0 when both are empty.

    Raises
    ------
    TypeError
        If ``a`` or ``b`` is a string (pass a collection of names, not one name).

    Examples
    --------
    >>> jaccard({"A", "B", "C"}, {"B", "C", "D"})
    0.5
    """
    for name, value in (("a", a), ("b", b)):
        if isinstance(value, (str, bytes)):
            raise TypeError(f"{name} must be a collection of members, not a single string")
    first, second = set(a), set(b)
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def overlap_matrix(frame: pd.DataFrame, council: str = "council", supplier: str = "supplier_key") -> pd.DataFrame:
    """Pairwise Jaccard similarity of the councils' supplier sets.

    Parameters
    ----------
    frame : pandas.DataFrame
        Lines of one category (or any slice), with council and supplier columns.
    council, supplier : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        Council by council, symmetric, 1 on the diagonal.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    missing = [c for c in (council, supplier) if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks the column(s) {missing}")
    sets = frame.dropna(subset=[supplier]).groupby(council)[supplier].agg(set)
    names = list(sets.index)
    matrix = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    for x, y in combinations(names, 2):
        matrix.loc[x, y] = matrix.loc[y, x] = jaccard(sets[x], sets[y])
    matrix.index.name = matrix.columns.name = council
    return matrix


def supplier_overlap(frame: pd.DataFrame, category: str = "proclass_name", council: str = "council",
                     supplier: str = "supplier_key") -> pd.Series:
    """Mean pairwise Jaccard similarity of the councils' suppliers, per category.

    Low values mean the councils buy the category from different suppliers; a
    category bought by one council only has no pair and gives NaN.

    Parameters
    ----------
    frame : pandas.DataFrame
        Lines with category, council and supplier columns.
    category, council, supplier : str
        Column names.

    Returns
    -------
    pandas.Series
        Mean Jaccard similarity over all pairs of councils buying the category,
        indexed by category and named ``supplier_overlap``.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    missing = [c for c in (category, council, supplier) if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks the column(s) {missing}")
    out = {}
    for name, lines in frame.groupby(category):
        matrix = overlap_matrix(lines, council=council, supplier=supplier).to_numpy()
        upper = matrix[np.triu_indices(len(matrix), k=1)]
        out[name] = float(upper.mean()) if upper.size else np.nan
    return pd.Series(out, name="supplier_overlap", dtype=float).rename_axis(category)


def _shares(amounts) -> np.ndarray:
    values = np.asarray(pd.Series(amounts, dtype=float) if not isinstance(amounts, np.ndarray) else amounts, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError("amounts must be a non-empty one-dimensional collection of numbers")
    if np.isnan(values).any() or (values < 0).any():
        raise ValueError("amounts must not be negative or missing (drop credits-only suppliers first)")
    total = values.sum()
    if total <= 0:
        raise ValueError("amounts must add up to more than 0")
    return values / total


def hhi(amounts) -> float:
    """Herfindahl-Hirschman index of a market: the sum of squared percentage shares.

    Parameters
    ----------
    amounts : array-like or pandas.Series
        Each supplier's spend (or share); non-negative, not all zero.

    Returns
    -------
    float
        Between ``10000 / n`` (n equal suppliers) and 10,000 (one supplier). The
        CMA's merger guidelines treat a market above 1,000 as concentrated and
        above 2,000 as highly concentrated.

    Raises
    ------
    ValueError
        If ``amounts`` is empty, negative, missing or all zero.

    Examples
    --------
    >>> hhi([50, 30, 20])
    3800.0
    """
    shares = _shares(amounts)
    return float(np.sum((100 * shares) ** 2))


def hhi_after_lots(amounts, take_up: float, lots: int) -> float:
    """HHI after a joint contract of ``lots`` equal lots, each won by one of the largest current suppliers.

    A share ``take_up`` of the category's spend moves to the joint contract,
    split into ``lots`` equal lots won by the ``lots`` largest current suppliers
    (one lot each); the rest stays with every supplier in its current proportion.

    Parameters
    ----------
    amounts : array-like or pandas.Series
        Each supplier's current spend.
    take_up : float
        Share of the spend that moves to the joint contract, from 0 to 1.
    lots : int
        Number of lots, from 1 to the number of suppliers.

    Returns
    -------
    float
        The HHI after the award.

    Raises
    ------
    ValueError
        If ``take_up`` is outside 0-1, ``lots`` is not a whole number from 1 to
        the number of suppliers, or ``amounts`` is invalid (see :func:`hhi`).
    """
    shares = np.sort(_shares(amounts))[::-1]
    if not (isinstance(take_up, (int, float, np.floating)) and 0 <= take_up <= 1):
        raise ValueError(f"take_up must be a share between 0 and 1, got {take_up!r}")
    if not isinstance(lots, (int, np.integer)) or isinstance(lots, bool) or not 1 <= lots <= len(shares):
        raise ValueError(f"lots must be a whole number from 1 to the {len(shares)} suppliers, got {lots!r}")
    after = (1 - take_up) * shares
    after[:lots] += take_up / lots
    return float(np.sum((100 * after) ** 2))


def _discount_exponent(discount):
    discount = np.asarray(discount, dtype=float)
    return -np.log2(1.0 - discount)


def aggregation_saving(spend_by_council, discount_per_doubling: float, take_up: float = 1.0) -> float:
    """Annual saving when councils buy a category together, under a volume-discount price curve.

    Prices fall by ``discount_per_doubling`` each time the volume bought doubles
    (price proportional to volume to the power ``-b`` with ``0.5 ** b = 1 - discount``).
    A council whose share of the joint volume is ``s_i / S`` then pays
    ``(s_i / S) ** b`` of its current price on the spend it moves, so the saving is
    ``take_up * sum(s_i * (1 - (s_i / S) ** b))``.

    Parameters
    ----------
    spend_by_council : array-like or pandas.Series
        Each council's annual spend on the category (non-negative).
    discount_per_doubling : float
        Price reduction per doubling of volume, from 0 to below 1 (0.03 is 3%).
    take_up : float, default 1.0
        Share of each council's spend that moves to the joint contract.

    Returns
    -------
    float
        The annual saving in the currency of ``spend_by_council``.

    Raises
    ------
    ValueError
        If ``discount_per_doubling`` is outside [0, 1), ``take_up`` outside [0, 1],
        or the spend is invalid (see :func:`hhi`).
    """
    if not 0 <= discount_per_doubling < 1:
        raise ValueError(f"discount_per_doubling must be from 0 to below 1, got {discount_per_doubling!r}")
    if not 0 <= take_up <= 1:
        raise ValueError(f"take_up must be a share between 0 and 1, got {take_up!r}")
    shares = _shares(spend_by_council)
    spend = np.asarray(pd.Series(spend_by_council, dtype=float), dtype=float)
    b = float(_discount_exponent(discount_per_doubling))
    return float(take_up * np.sum(spend * (1 - shares ** b)))


def simulate_savings(spend_by_council, *, n: int = 10_000, seed: int = 2025,
                     discount: tuple[float, float, float] = (0.0, 0.03, 0.08),
                     take_up: tuple[float, float] = (0.5, 0.9),
                     procurement_cost: tuple[float, float] = (50_000.0, 150_000.0),
                     term_years: float = 4.0) -> pd.DataFrame:
    """Simulate the net annual saving of buying together, with its uncertainty.

    Each draw takes a discount per doubling from a triangular distribution
    (``low, most likely, high``), a take-up from a uniform distribution and a
    one-off cost of running the joint procurement from a uniform distribution,
    spread over the contract term. The gross saving is :func:`aggregation_saving`;
    the net saving is gross minus the annual share of the cost.

    Parameters
    ----------
    spend_by_council : array-like or pandas.Series
        Each council's annual spend on the category.
    n : int, default 10000
        Number of draws.
    seed : int, default 2025
        Seed of the random number generator (the same seed gives the same draws).
    discount : tuple of three floats, default (0.0, 0.03, 0.08)
        Lowest, most likely and highest price reduction per doubling of volume.
    take_up : tuple of two floats, default (0.5, 0.9)
        Lowest and highest share of spend that moves to the joint contract.
    procurement_cost : tuple of two floats, default (50000, 150000)
        Lowest and highest one-off cost of the joint procurement (officer time,
        legal advice, market engagement).
    term_years : float, default 4.0
        Years the joint contract runs (the one-off cost is spread over them).

    Returns
    -------
    pandas.DataFrame
        One row per draw: ``discount``, ``take_up``, ``gross``, ``cost`` (annual)
        and ``net``.

    Raises
    ------
    ValueError
        If ``n`` or ``term_years`` is not positive, or a range is out of order or
        out of bounds.
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive whole number, got {n!r}")
    if not term_years > 0:
        raise ValueError(f"term_years must be positive, got {term_years!r}")
    low, mode, high = discount
    if not 0 <= low <= mode <= high < 1:
        raise ValueError(f"discount must be (low, most likely, high) with 0 <= low <= mode <= high < 1, got {discount!r}")
    if not 0 <= take_up[0] <= take_up[1] <= 1:
        raise ValueError(f"take_up must be (low, high) with 0 <= low <= high <= 1, got {take_up!r}")
    if not 0 <= procurement_cost[0] <= procurement_cost[1]:
        raise ValueError(f"procurement_cost must be (low, high) with 0 <= low <= high, got {procurement_cost!r}")
    shares = _shares(spend_by_council)
    spend = np.asarray(pd.Series(spend_by_council, dtype=float), dtype=float)
    rng = np.random.default_rng(seed)
    d = rng.triangular(low, mode, high, size=n) if high > low else np.full(n, float(low))
    t = rng.uniform(take_up[0], take_up[1], size=n)
    cost = rng.uniform(procurement_cost[0], procurement_cost[1], size=n) / term_years
    b = _discount_exponent(d)
    gross = t * (spend[None, :] * (1 - shares[None, :] ** b[:, None])).sum(axis=1)
    return pd.DataFrame({"discount": d, "take_up": t, "gross": gross, "cost": cost, "net": gross - cost})


def saving_interval(draws, level: float = 0.9) -> dict[str, float]:
    """Summarise simulated savings: the median, a central interval and the chance of a loss.

    Parameters
    ----------
    draws : array-like or pandas.Series
        Simulated net savings (for example ``simulate_savings(...)["net"]``).
    level : float, default 0.9
        Coverage of the central interval (0.9 gives the 5th and 95th percentiles).

    Returns
    -------
    dict
        ``median``, ``low``, ``high`` and ``p_loss`` (share of draws below 0).

    Raises
    ------
    ValueError
        If ``level`` is not between 0 and 1 or ``draws`` is empty.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    values = np.asarray(draws, dtype=float)
    if values.size == 0:
        raise ValueError("draws must not be empty")
    tail = (1 - level) / 2 * 100
    low, median, high = np.percentile(values, [tail, 50, 100 - tail])
    return {"median": float(median), "low": float(low), "high": float(high), "p_loss": float((values < 0).mean())}
