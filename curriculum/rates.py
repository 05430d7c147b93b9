"""Counts, rates and funnel plots: fair comparisons between areas of different sizes.

Raw counts mostly measure size. Rates per 1,000 residents are fairer, but the
smallest areas still swing up and down league tables by chance alone. A funnel
plot (Spiegelhalter, 2005, *Statistics in Medicine* 24:1185-1202) draws, around
the overall rate, the limits within which an area's rate would fall if it only
differed from the others by chance; the limits narrow as the population grows.

The functions work on the ``indicators`` dataset (``curriculum.load("indicators")``):

- :func:`rate_per_1000` turns counts into rates;
- :func:`add_rates` joins populations (Census 2021 for the CCR councils) and adds rates;
- :func:`funnel_limits` gives exact Poisson control limits by population;
- :func:`compare_to_funnel`, :func:`funnel_table` and :func:`league_table` place each
  area against the limits and rank them;
- :func:`rank_spread` and :func:`chance_league_positions` show how much ranks move;
- :func:`plot_funnel`, :func:`plot_league` and :func:`plot_ranks` draw the charts in the
  house style (:data:`curriculum.style.HIGHLIGHT` for the area a report is about,
  :data:`curriculum.style.MUTED` for the others);
- :func:`funnel_view` gives the chart and ranked table of one indicator and year, and
  :func:`funnel_explorer` wraps it in drop-down lists for notebooks and app views.

Importing this module changes nothing; matplotlib and ipywidgets are imported only
when plotting or building widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from numbers import Real

import numpy as np
import pandas as pd
from scipy import stats

from curriculum.councils import councils
from curriculum.style import HIGHLIGHT, MUTED
from curriculum.views import axes as _axes
from curriculum.views import live_view
from curriculum.views import untranslated as _same

__all__ = [
    "DEFAULT_Z", "PER", "VIEW_COLUMNS", "add_rates", "chance_league_positions", "compare_to_funnel",
    "funnel_explorer", "funnel_limits", "funnel_table", "funnel_view", "league_table", "plot_funnel",
    "plot_league", "plot_ranks", "rank_spread", "rate_per_1000",
]

PER = 1000
DEFAULT_Z: tuple[float, ...] = (1.96, 3.09)  # 95% and 99.8% two-sided limits
_LIMIT_COLOUR = "#3D3D3D"
_WITHIN = "within limits"


def _as_float_array(values, name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers, got {values!r}") from None
    if np.isnan(array).any():
        raise ValueError(f"{name} must not hold missing values")
    return array


def rate_per_1000(counts, population):
    """Convert counts to rates per 1,000 residents.

    Parameters
    ----------
    counts : number, array-like or pandas.Series
        Numbers of events (not negative).
    population : number, array-like or pandas.Series
        Residents of each area (positive), broadcastable against ``counts``.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        ``counts / population * 1000``: a float for two numbers, a Series (with the
        index of ``counts``, or else of ``population``) when either is a Series,
        otherwise an array.

    Raises
    ------
    ValueError
        If ``counts`` is negative or not numeric, if ``population`` is not positive or
        not numeric, or if their shapes do not match.

    Examples
    --------
    >>> round(rate_per_1000(16, 58_800), 3)
    0.272
    """
    c = _as_float_array(counts, "counts")
    p = _as_float_array(population, "population")
    if (c < 0).any():
        raise ValueError("counts must not be negative")
    if (p <= 0).any():
        raise ValueError("population must be positive (residents of each area)")
    try:
        rate = c / p * PER
    except ValueError:
        raise ValueError(f"counts (shape {c.shape}) and population (shape {p.shape}) must have matching shapes") from None
    for template in (counts, population):
        if isinstance(template, pd.Series) and rate.shape == template.shape:
            return pd.Series(rate, index=template.index, name="rate_per_1000")
    if rate.ndim == 0:
        return float(rate)
    return rate


def _check_z(z) -> tuple[float, ...]:
    values = (z,) if isinstance(z, Real) else tuple(z)
    if not values or any(not isinstance(v, Real) or isinstance(v, bool) or not np.isfinite(v) or v <= 0 for v in values):
        raise ValueError(f"z must be a positive number or a sequence of positive numbers, got {z!r}")
    return tuple(sorted(float(v) for v in values))


def _coverage_label(z: float) -> str:
    """Return '95' for z=1.96, '99.8' for z=3.09."""
    coverage = 100 * (2 * stats.norm.cdf(z) - 1)
    return f"{coverage:.1f}".rstrip("0").rstrip(".")


def _poisson_limit(p: float, expected: np.ndarray) -> np.ndarray:
    """Exact Poisson quantile of the count, interpolated between whole numbers.

    The method of the funnel plot spreadsheets of Spiegelhalter (2005) and the
    Association of Public Health Observatories: the ``p`` quantile ``r`` of a Poisson
    distribution with mean ``expected``, less the fraction ``alpha`` of the step
    from ``r - 1`` to ``r`` that lies beyond ``p``, so the limits are smooth lines.
    """
    r = stats.poisson.ppf(p, expected)
    upper_cdf = stats.poisson.cdf(r, expected)
    lower_cdf = stats.poisson.cdf(r - 1, expected)
    step = upper_cdf - lower_cdf
    alpha = np.divide(upper_cdf - p, step, out=np.zeros_like(step), where=step > 0)
    return np.maximum(r - alpha, 0.0)


def funnel_limits(population, overall_rate: float, z=DEFAULT_Z) -> pd.DataFrame:
    """Exact Poisson funnel-plot limits for rates per 1,000 residents.

    If every area had the same underlying rate ``overall_rate``, an area of a given
    population would see a rate inside these limits with the stated probability
    (95% for ``z = 1.96``, 99.8% for ``z = 3.09``).

    Parameters
    ----------
    population : number or array-like
        Populations at which to compute the limits (positive).
    overall_rate : float
        The common (target) rate per 1,000 residents, usually the pooled rate of all
        areas; positive.
    z : float or sequence of float, default (1.96, 3.09)
        Normal deviates of the two-sided limits.

    Returns
    -------
    pandas.DataFrame
        One row per population and ``z``, sorted by population then ``z``, with the
        columns ``population``, ``z``, ``coverage`` (a fraction, e.g. 0.95),
        ``expected`` (the count expected at ``overall_rate``), ``lower`` and ``upper``
        (limits as rates per 1,000) and ``lower_count`` and ``upper_count`` (the same
        limits as counts).

    Raises
    ------
    ValueError
        If ``population`` is empty or not positive, ``overall_rate`` is not a positive
        finite number or ``z`` is not positive.

    Examples
    --------
    >>> funnel_limits([58_800, 362_400], 0.28).round(3)  # doctest: +SKIP
    """
    pops = np.atleast_1d(_as_float_array(population, "population")).ravel()
    if pops.size == 0:
        raise ValueError("population must hold at least one value")
    if (pops <= 0).any():
        raise ValueError("population must be positive (residents of each area)")
    if not isinstance(overall_rate, Real) or isinstance(overall_rate, bool) or not np.isfinite(overall_rate) or overall_rate <= 0:
        raise ValueError(f"overall_rate must be a positive rate per 1,000 residents, got {overall_rate!r}")
    zs = _check_z(z)
    pops = np.unique(pops)
    expected = float(overall_rate) * pops / PER
    parts = []
    for value in zs:
        tail = float(stats.norm.sf(value))
        low = _poisson_limit(tail, expected)
        high = _poisson_limit(1 - tail, expected)
        parts.append(pd.DataFrame({
            "population": pops, "z": value, "coverage": 1 - 2 * tail, "expected": expected,
            "lower": low / pops * PER, "upper": high / pops * PER,
            "lower_count": low, "upper_count": high,
        }))
    return pd.concat(parts, ignore_index=True).sort_values(["population", "z"], ignore_index=True)


def _population_lookup(populations) -> pd.Series:
    if isinstance(populations, pd.DataFrame):
        missing = {"area_code", "population"} - set(populations.columns)
        if missing:
            raise ValueError(f"populations must have the columns area_code and population; missing: {', '.join(sorted(missing))}")
        lookup = populations.set_index("area_code")["population"]
    elif isinstance(populations, pd.Series):
        lookup = populations
    elif isinstance(populations, Mapping):
        lookup = pd.Series(dict(populations))
    else:
        raise TypeError("populations must be a DataFrame with area_code and population, a Series or a dict keyed by "
                        f"area code, got {type(populations).__name__}")
    if lookup.index.duplicated().any():
        dupes = sorted(map(str, lookup.index[lookup.index.duplicated()].unique()))
        raise ValueError(f"populations lists these area codes more than once: {', '.join(dupes)}")
    return lookup


def add_rates(indicators: pd.DataFrame, populations=None) -> pd.DataFrame:
    """Add each row's population and its rate per 1,000 residents.

    Parameters
    ----------
    indicators : pandas.DataFrame
        The ``indicators`` dataset: at least ``area_code`` and ``count``. If it has a
        ``population`` column with no gaps (and ``populations`` is None), that column
        is used as it stands.
    populations : pandas.DataFrame, pandas.Series or dict, optional
        Populations by area code: a frame with ``area_code`` and ``population``
        columns, or a Series or dict keyed by area code. None (the default) uses the
        data's own ``population`` column, or else the Census 2021 populations of the
        ten CCR councils (:func:`curriculum.councils`), joined on ``area_code``.

    Returns
    -------
    pandas.DataFrame
        A copy with an integer ``population`` column and a ``rate_per_1000`` column.

    Raises
    ------
    TypeError
        If ``indicators`` is not a pandas DataFrame or ``populations`` is of another type.
    ValueError
        If ``indicators`` lacks ``area_code`` or ``count``, if ``populations`` is
        malformed, or if some areas have no population; the message names the
        unmatched areas.
    """
    if not isinstance(indicators, pd.DataFrame):
        raise TypeError(f"indicators must be a pandas DataFrame, got {type(indicators).__name__}")
    missing = {"area_code", "count"} - set(indicators.columns)
    if missing:
        raise ValueError(f"indicators must have the columns area_code and count; missing: {', '.join(sorted(missing))}")
    out = indicators.copy()
    own = "population" in out.columns and out["population"].notna().all() and len(out) > 0
    if populations is None and own:
        population = pd.to_numeric(out["population"])
    else:
        if populations is None:
            table = councils()
            lookup = pd.Series(table["population_2021"].to_numpy(), index=table["code"])
            source = "the Census 2021 populations of the ten CCR councils"
        else:
            lookup = _population_lookup(populations)
            source = "populations"
        population = out["area_code"].map(lookup)
        if population.isna().any():
            unmatched = out.loc[population.isna()]
            names = unmatched["area_name"] if "area_name" in unmatched.columns else unmatched["area_code"]
            listed = sorted({f"{n} ({c})" if n != c else str(c) for n, c in zip(names, unmatched["area_code"])})
            raise ValueError(
                f"no population for these areas in {source}: {', '.join(listed)}. Add a population column to "
                "the data (map it in mapping.yaml) or pass populations= keyed by area_code.")
    population = pd.to_numeric(population)
    if (population <= 0).any():
        bad = sorted(map(str, out.loc[population <= 0, "area_code"].unique()))
        raise ValueError(f"population must be positive; it is not for these areas: {', '.join(bad)}")
    out["population"] = population.round().astype("int64")
    out["rate_per_1000"] = rate_per_1000(out["count"].astype(float), out["population"])
    return out


def _signal_labels(count: np.ndarray, limits: pd.DataFrame, zs: tuple[float, ...]) -> list[str]:
    signals = []
    for i, observed in enumerate(count):
        label = _WITHIN
        for value in zs:  # ascending: the widest limits breached wins
            row = limits[i][value]
            if observed > row["upper_count"]:
                label = f"above {_coverage_label(value)}% limit"
            elif observed < row["lower_count"]:
                label = f"below {_coverage_label(value)}% limit"
        signals.append(label)
    return signals


def _require(frame: pd.DataFrame, columns: set[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = columns - set(frame.columns)
    if missing:
        raise ValueError(f"{what} must have the columns {', '.join(sorted(columns))}; missing: "
                         f"{', '.join(sorted(missing))} (use add_rates to add population and rate_per_1000)")
    if frame.empty:
        raise ValueError(f"{what} has no rows")


def _one_row_per_area(frame: pd.DataFrame, what: str) -> None:
    if "area_code" in frame.columns and frame["area_code"].duplicated().any():
        raise ValueError(f"{what} must hold one row per area (one indicator, one year); filter it first, "
                         "for example with funnel_table(rated, indicator, year)")


def _overall_rate(frame: pd.DataFrame, overall_rate) -> float:
    if overall_rate is None:
        total = float(frame["population"].sum())
        return float(frame["count"].sum()) / total * PER
    return overall_rate


def compare_to_funnel(frame: pd.DataFrame, z=DEFAULT_Z, overall_rate: float | None = None) -> pd.DataFrame:
    """Place each area's count against the funnel-plot limits.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per area (one indicator, one year) with ``count`` and ``population``.
    z : float or sequence of float, default (1.96, 3.09)
        Normal deviates of the limits (95% and 99.8%).
    overall_rate : float, optional
        The common rate per 1,000; by default the pooled rate of all rows
        (total count / total population).

    Returns
    -------
    pandas.DataFrame
        A copy with ``rate_per_1000``, ``expected`` (the count expected at the overall
        rate), ``lower_<c>`` and ``upper_<c>`` rate limits for each coverage ``c``
        (``lower_95``, ``upper_99.8``, ...) and ``signal``: ``"within limits"``,
        ``"above 95% limit"``, ``"below 99.8% limit"`` and so on (the widest limit
        breached). ``attrs["overall_rate"]`` holds the rate used.

    Raises
    ------
    TypeError
        If ``frame`` is not a pandas DataFrame.
    ValueError
        If ``frame`` lacks ``count`` or ``population``, is empty, holds more than one
        row per area, or the overall rate is not positive.
    """
    _require(frame, {"count", "population"}, "frame")
    _one_row_per_area(frame, "frame")
    rate = _overall_rate(frame, overall_rate)
    if not isinstance(rate, Real) or not np.isfinite(rate) or rate <= 0:
        raise ValueError(f"overall_rate must be positive; got {rate!r} (are all counts zero?)")
    zs = _check_z(z)
    out = frame.copy()
    pops = out["population"].to_numpy(dtype=float)
    out["rate_per_1000"] = rate_per_1000(out["count"].to_numpy(dtype=float), pops)
    out["expected"] = rate * pops / PER
    limits = funnel_limits(pops, rate, zs).set_index(["population", "z"])
    per_row = []
    for pop in pops:
        per_row.append({value: limits.loc[(pop, value)] for value in zs})
    for value in zs:
        label = _coverage_label(value)
        out[f"lower_{label}"] = [row[value]["lower"] for row in per_row]
        out[f"upper_{label}"] = [row[value]["upper"] for row in per_row]
    out["signal"] = _signal_labels(out["count"].to_numpy(dtype=float), per_row, zs)
    out.attrs["overall_rate"] = float(rate)
    return out


def league_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Rank areas by rate per 1,000, highest first.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per area with ``rate_per_1000`` (or ``count`` and ``population``).

    Returns
    -------
    pandas.DataFrame
        A copy sorted by rate (highest first) with a 1-based ``rank`` column (tied
        areas share the better rank); attrs are kept.

    Raises
    ------
    TypeError
        If ``frame`` is not a pandas DataFrame.
    ValueError
        If ``frame`` lacks the rate (or count and population) or is empty.
    """
    if isinstance(frame, pd.DataFrame) and "rate_per_1000" not in frame.columns:
        _require(frame, {"count", "population"}, "frame")
        frame = frame.assign(rate_per_1000=rate_per_1000(frame["count"].astype(float), frame["population"]))
    _require(frame, {"rate_per_1000"}, "frame")
    out = frame.sort_values("rate_per_1000", ascending=False, kind="stable").reset_index(drop=True)
    out.insert(0, "rank", out["rate_per_1000"].rank(method="min", ascending=False).astype("int64"))
    out.attrs = dict(frame.attrs)
    return out


def _select(rated: pd.DataFrame, indicator: str, year: int | None = None) -> pd.DataFrame:
    _require(rated, {"indicator", "year", "count", "population"}, "rated")
    chosen = rated[rated["indicator"] == indicator]
    if chosen.empty:
        raise ValueError(f"indicator {indicator!r} is not in the data; the indicators are: "
                         f"{', '.join(sorted(map(str, rated['indicator'].unique())))}")
    if year is None:
        return chosen
    rows = chosen[chosen["year"] == year]
    if rows.empty:
        raise ValueError(f"year {year!r} has no rows for {indicator!r}; its years are: "
                         f"{', '.join(map(str, sorted(chosen['year'].unique())))}")
    return rows


def funnel_table(rated: pd.DataFrame, indicator: str, year: int, z=DEFAULT_Z) -> pd.DataFrame:
    """One indicator and year, placed against the funnel limits and ranked by rate.

    Parameters
    ----------
    rated : pandas.DataFrame
        The indicators with populations (from :func:`add_rates`).
    indicator : str
        An indicator in ``rated["indicator"]``.
    year : int
        A year with rows for that indicator.
    z : float or sequence of float, default (1.96, 3.09)
        Normal deviates of the limits.

    Returns
    -------
    pandas.DataFrame
        :func:`compare_to_funnel` of the chosen rows, ranked by :func:`league_table`.

    Raises
    ------
    TypeError
        If ``rated`` is not a pandas DataFrame.
    ValueError
        If ``rated`` lacks a needed column, or ``indicator`` or ``year`` has no rows
        (the message lists those available).
    """
    return league_table(compare_to_funnel(_select(rated, indicator, year), z=z))


def rank_spread(rated: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """How far each area's league-table rank moves across the years.

    Parameters
    ----------
    rated : pandas.DataFrame
        The indicators with populations (from :func:`add_rates`), with ``area_code``
        and ``area_name``.
    indicator : str
        An indicator in ``rated["indicator"]``.

    Returns
    -------
    pandas.DataFrame
        One row per area with ``area_code``, ``area_name``, ``population`` (the latest
        year's), ``best_rank`` and ``worst_rank`` (1 = highest rate that year),
        ``spread`` (worst minus best), ``years_top`` and ``years_bottom`` (years ranked
        first and last) and ``years``; sorted by spread (widest first), then by
        population (smallest first).

    Raises
    ------
    TypeError
        If ``rated`` is not a pandas DataFrame.
    ValueError
        If ``rated`` lacks a needed column or ``indicator`` has no rows.
    """
    _require(rated, {"area_code", "area_name"}, "rated")
    rows = _select(rated, indicator).copy()
    rows["rate_per_1000"] = rate_per_1000(rows["count"].astype(float), rows["population"])
    rows["rank"] = rows.groupby("year")["rate_per_1000"].rank(method="min", ascending=False)
    rows["last"] = rows.groupby("year")["rank"].transform("max")
    latest = rows.sort_values("year").groupby("area_code").tail(1).set_index("area_code")
    grouped = rows.groupby("area_code")
    out = pd.DataFrame({
        "area_name": latest["area_name"],
        "population": latest["population"].astype("int64"),
        "best_rank": grouped["rank"].min().astype("int64"),
        "worst_rank": grouped["rank"].max().astype("int64"),
        "years_top": grouped["rank"].apply(lambda r: int((r == 1).sum())),
        "years_bottom": rows.assign(bottom=rows["rank"] == rows["last"]).groupby("area_code")["bottom"].sum().astype("int64"),
        "years": grouped["year"].nunique().astype("int64"),
    })
    out.insert(4, "spread", out["worst_rank"] - out["best_rank"])
    out = out.reset_index().sort_values(["spread", "population"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def chance_league_positions(populations: pd.Series, rate: float, n_years: int = 2000,
                            seed: int | np.random.Generator = 0) -> pd.DataFrame:
    """Replay many years in which every area has the same underlying rate.

    Each simulated year draws a Poisson count for every area at ``rate`` per 1,000
    of its population and ranks the areas by their rate: any area that comes top or
    bottom does so by chance alone.

    Parameters
    ----------
    populations : pandas.Series
        Population of each area, indexed by area name (at least two areas, positive).
    rate : float
        The common underlying rate per 1,000 residents (positive).
    n_years : int, default 2000
        Number of simulated years (at least 1).
    seed : int or numpy.random.Generator, default 0
        Seed (or generator) of the simulation, so results can be repeated.

    Returns
    -------
    pandas.DataFrame
        One row per area with ``area_name``, ``population``, ``share_top`` and
        ``share_bottom`` (fractions of years ranked highest and lowest rate) and
        ``share_top_or_bottom``; sorted by ``share_top_or_bottom``, highest first.
        Ties in a year are broken at random.

    Raises
    ------
    ValueError
        If ``populations`` has fewer than two areas or values that are not positive,
        or ``rate`` or ``n_years`` is not positive.
    """
    if not isinstance(populations, pd.Series) or len(populations) < 2:
        raise ValueError("populations must be a pandas Series of at least two areas' populations, indexed by area name")
    pops = _as_float_array(populations, "populations")
    if (pops <= 0).any():
        raise ValueError("populations must be positive")
    if not isinstance(rate, Real) or isinstance(rate, bool) or not np.isfinite(rate) or rate <= 0:
        raise ValueError(f"rate must be a positive rate per 1,000 residents, got {rate!r}")
    if not isinstance(n_years, (int, np.integer)) or isinstance(n_years, bool) or n_years < 1:
        raise ValueError(f"n_years must be a positive whole number, got {n_years!r}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    counts = rng.poisson(float(rate) * pops / PER, size=(n_years, len(pops)))
    rates = counts / pops
    jitter = rng.random(rates.shape) * 1e-12  # random tie-break, far below any real difference
    order = rates + jitter
    top = np.bincount(order.argmax(axis=1), minlength=len(pops)) / n_years
    bottom = np.bincount(order.argmin(axis=1), minlength=len(pops)) / n_years
    out = pd.DataFrame({"area_name": populations.index.astype(str), "population": pops.astype("int64"),
                        "share_top": top, "share_bottom": bottom})
    out["share_top_or_bottom"] = out["share_top"] + out["share_bottom"]
    return out.sort_values(["share_top_or_bottom", "population"], ascending=[False, True], kind="stable",
                           ignore_index=True)


def _label_column(frame: pd.DataFrame) -> str:
    return "area_name" if "area_name" in frame.columns else "area_code"


def _find(frame: pd.DataFrame, highlight: str | None) -> pd.Series:
    if highlight is None:
        return pd.Series(False, index=frame.index)
    hit = pd.Series(False, index=frame.index)
    for column in ("area_name", "area_code"):
        if column in frame.columns:
            hit |= frame[column].astype(str).str.casefold() == str(highlight).casefold()
    if not hit.any():
        areas = ", ".join(sorted(map(str, frame[_label_column(frame)].unique())))
        raise ValueError(f"highlight {highlight!r} is not an area in the data; the areas are: {areas}")
    return hit


def plot_funnel(frame: pd.DataFrame, highlight: str | None = None, ax=None, z=DEFAULT_Z,
                overall_rate: float | None = None, title: str | None = None, labels: bool = True,
                translate: Callable[[str], str] | None = None):
    """Draw a funnel plot of rates per 1,000 against population.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per area (one indicator, one year) with ``count`` and ``population``
        (and ``area_name`` or ``area_code`` for labels).
    highlight : str, optional
        Name or code of the area to pick out in :data:`~curriculum.style.HIGHLIGHT`;
        the others are drawn in :data:`~curriculum.style.MUTED`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    z : float or sequence of float, default (1.96, 3.09)
        Normal deviates of the limits drawn (95% dashed, 99.8% solid).
    overall_rate : float, optional
        The centre line, per 1,000; by default the pooled rate of all rows.
    title : str, optional
        Chart title.
    labels : bool, default True
        Write each area's name beside its point.
    translate : callable, optional
        Translates the chart's own words (``curriculum.translator(module, language)``);
        English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``frame`` is not a pandas DataFrame.
    ValueError
        If ``frame`` lacks ``count`` or ``population``, is empty or holds more than
        one row per area, or ``highlight`` is not one of its areas.
    """
    from matplotlib.ticker import FuncFormatter

    tr = translate or _same
    _require(frame, {"count", "population"}, "frame")
    _one_row_per_area(frame, "frame")
    hit = _find(frame, highlight)
    rate = _overall_rate(frame, overall_rate)
    zs = _check_z(z)
    ax = _axes(ax)
    pops = frame["population"].to_numpy(dtype=float)
    rates = rate_per_1000(frame["count"].to_numpy(dtype=float), pops)
    grid = np.linspace(pops.min() * 0.85, pops.max() * 1.08, 300)
    limits = funnel_limits(grid, rate, zs)
    styles = ["--", "-", ":", "-."]
    for i, value in enumerate(zs):
        part = limits[limits["z"] == value]
        label = tr("{coverage}% limits").format(coverage=_coverage_label(value))
        ax.plot(part["population"], part["upper"], color=_LIMIT_COLOUR, linestyle=styles[i % 4], linewidth=1, label=label)
        ax.plot(part["population"], part["lower"], color=_LIMIT_COLOUR, linestyle=styles[i % 4], linewidth=1)
    ax.axhline(rate, color=_LIMIT_COLOUR, linewidth=0.8, alpha=0.6, label=tr("overall rate {rate}").format(rate=f"{rate:.2f}"))
    hits = hit.to_numpy()
    ax.scatter(pops[~hits], rates[~hits], color=MUTED, s=45, zorder=3)
    ax.scatter(pops[hits], rates[hits], color=HIGHLIGHT, s=70, zorder=4)
    if labels:
        names = frame[_label_column(frame)].astype(str).to_numpy()
        for x, y, name, h in zip(pops, rates, names, hits):
            ax.annotate(name, (x, y), xytext=(5, 3), textcoords="offset points", fontsize=8,
                        color=HIGHLIGHT if h else "#3D3D3D", fontweight="bold" if h else "normal")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1000:,.0f}k"))
    ax.set_xlabel(tr("Residents"))
    ax.set_ylabel(tr("Rate per 1,000 residents"))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right", fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def plot_league(frame: pd.DataFrame, value: str = "rate_per_1000", highlight: str | None = None, ax=None,
                title: str | None = None, translate: Callable[[str], str] | None = None):
    """Draw a league table as horizontal bars, largest at the top.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per area with the column ``value`` and ``area_name`` or ``area_code``.
    value : str, default "rate_per_1000"
        The column to rank by (``"count"`` shows raw counts).
    highlight : str, optional
        Name or code of the area to draw in :data:`~curriculum.style.HIGHLIGHT`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title; by default says what is ranked.
    translate : callable, optional
        Translates the chart's own words (``curriculum.translator(module, language)``);
        English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``frame`` is not a pandas DataFrame.
    ValueError
        If ``frame`` lacks ``value``, is empty, or ``highlight`` is not one of its areas.
    """
    tr = translate or _same
    _require(frame, {value}, "frame")
    hit = _find(frame, highlight)
    ax = _axes(ax)
    order = frame[value].sort_values(kind="stable").index
    names = frame.loc[order, _label_column(frame)].astype(str)
    colours = [HIGHLIGHT if hit[i] else MUTED for i in order]
    ax.barh(range(len(order)), frame.loc[order, value], color=colours)
    ax.set_yticks(range(len(order)), names)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    words = {"rate_per_1000": tr("Rate per 1,000 residents"), "count": tr("Count"),
             "share_top_or_bottom": tr("Share of years ranked top or bottom")}
    ax.set_xlabel(words.get(value, value))
    ax.set_title(title or tr("Ranked by {what}").format(what=words.get(value, value).lower()))
    return ax


def plot_ranks(rated: pd.DataFrame, indicator: str, highlight: str | Sequence[str] | None = None, ax=None,
               title: str | None = None, translate: Callable[[str], str] | None = None):
    """Draw each area's league-table rank by year (1 = highest rate at the top).

    Parameters
    ----------
    rated : pandas.DataFrame
        The indicators with populations (from :func:`add_rates`).
    indicator : str
        An indicator in ``rated["indicator"]``.
    highlight : str or sequence of str, optional
        Names or codes of areas to draw in colour (the first in
        :data:`~curriculum.style.HIGHLIGHT`); the others are drawn thin in
        :data:`~curriculum.style.MUTED`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title.
    translate : callable, optional
        Translates the chart's own words (``curriculum.translator(module, language)``);
        English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``rated`` is not a pandas DataFrame.
    ValueError
        If ``rated`` lacks a needed column, ``indicator`` has no rows or a highlighted
        area is not in the data.
    """
    tr = translate or _same
    rows = _select(rated, indicator).copy()
    rows["rate_per_1000"] = rate_per_1000(rows["count"].astype(float), rows["population"])
    rows["rank"] = rows.groupby("year")["rate_per_1000"].rank(method="min", ascending=False)
    label = _label_column(rows)
    wanted = [] if highlight is None else ([highlight] if isinstance(highlight, str) else list(highlight))
    picked = [set(rows.loc[_find(rows, h), "area_code" if "area_code" in rows else label]) for h in wanted]
    colours = [HIGHLIGHT, "#12436D", "#28A197", "#F46A25"]
    ax = _axes(ax)
    key = "area_code" if "area_code" in rows.columns else label
    for code, line in rows.sort_values("year").groupby(key, sort=True):
        which = next((i for i, codes in enumerate(picked) if code in codes), None)
        name = str(line[label].iloc[-1])
        if which is None:
            ax.plot(line["year"], line["rank"], color=MUTED, linewidth=1, alpha=0.6)
        else:
            colour = colours[which % len(colours)]
            ax.plot(line["year"], line["rank"], color=colour, linewidth=2.5, marker="o", markersize=4, zorder=3)
            ax.annotate(name, (line["year"].iloc[-1], line["rank"].iloc[-1]), xytext=(6, 0),
                        textcoords="offset points", va="center", color=colour, fontweight="bold", fontsize=9)
    ax.invert_yaxis()
    n = int(rows["rank"].max())
    ax.set_yticks(range(1, n + 1))
    ax.set_ylabel(tr("Rank (1 = highest rate)"))
    ax.set_xlabel(tr("Year"))
    ax.xaxis.get_major_locator().set_params(integer=True)
    if title:
        ax.set_title(title)
    return ax


VIEW_COLUMNS: tuple[str, ...] = ("rank", "area_name", "count", "population", "rate_per_1000", "signal")


def funnel_view(rated: pd.DataFrame, indicator: str, year: int, highlight: str | None = None, z=DEFAULT_Z,
                translate: Callable[[str], str] | None = None):
    """The funnel plot and ranked table of one indicator and year.

    The figure is a :class:`matplotlib.figure.Figure` made without pyplot, so it is
    never shown twice by a notebook's inline backend and needs no closing.

    Parameters
    ----------
    rated : pandas.DataFrame
        The indicators with populations (from :func:`add_rates`).
    indicator : str
        An indicator in ``rated["indicator"]``.
    year : int
        A year with rows for that indicator.
    highlight : str, optional
        Name or code of the area to pick out.
    z : float or sequence of float, default (1.96, 3.09)
        Normal deviates of the limits.
    translate : callable, optional
        Translates the chart's own words (``curriculum.translator(module, language)``);
        English by default.

    Returns
    -------
    tuple of (matplotlib.figure.Figure, pandas.DataFrame)
        The chart and the ranked table (the columns of :data:`VIEW_COLUMNS` that the
        data hold, rates rounded to 3 decimals).

    Raises
    ------
    TypeError
        If ``rated`` is not a pandas DataFrame.
    ValueError
        As :func:`funnel_table` and :func:`plot_funnel` do (an unknown indicator, year
        or highlighted area).
    """
    from matplotlib.figure import Figure

    table = funnel_table(rated, indicator, year, z=z)
    figure = Figure()
    plot_funnel(table, highlight=highlight, ax=figure.subplots(), z=z, title=f"{indicator}, {year}",
                translate=translate)
    shown = table[[c for c in VIEW_COLUMNS if c in table.columns]].round({"rate_per_1000": 3})
    return figure, shown


def funnel_explorer(rated: pd.DataFrame, highlight: str | None = None, indicator: str | None = None,
                    year: int | None = None, translate: Callable[[str], str] | None = None):
    """Drop-down lists of indicator and year that redraw the funnel plot and ranked table.

    The view is written into an :class:`ipywidgets.Output` with ``append_display_data``
    rather than by capturing output, so running the notebook headless (papermill,
    nbgrader, nbval) sends the kernel no widget messages back: capturing output in an
    Output widget makes nbclient write to the kernel's shell channel while it waits on
    it, which can stall the run (jupyter/nbclient#312).

    Parameters
    ----------
    rated : pandas.DataFrame
        The indicators with populations (from :func:`add_rates`).
    highlight : str, optional
        Name or code of the area to pick out in every chart.
    indicator : str, optional
        The indicator shown first; the first in alphabetical order by default.
    year : int, optional
        The year shown first; the latest by default.
    translate : callable, optional
        Translates the chart's own words (``curriculum.translator(module, language)``);
        English by default.

    Returns
    -------
    ipywidgets.VBox
        The two drop-down lists above the view; display it in a notebook.

    Raises
    ------
    TypeError
        If ``rated`` is not a pandas DataFrame.
    ValueError
        If ``rated`` lacks a needed column, or ``indicator`` or ``year`` is not in the data.
    """
    import ipywidgets as widgets

    _require(rated, {"indicator", "year", "count", "population"}, "rated")
    indicators = sorted(map(str, rated["indicator"].unique()))
    years = sorted({int(y) for y in rated["year"]}, reverse=True)
    if indicator is not None and indicator not in indicators:
        raise ValueError(f"indicator {indicator!r} is not in the data; the indicators are: {', '.join(indicators)}")
    if year is not None and year not in years:
        raise ValueError(f"year {year!r} is not in the data; the years are: {', '.join(map(str, years))}")
    tr = translate or _same
    pick_indicator = widgets.Dropdown(options=indicators, value=indicator or indicators[0], description=tr("Indicator"))
    pick_year = widgets.Dropdown(options=years, value=years[0] if year is None else year, description=tr("Year"))
    view = live_view(lambda: funnel_view(rated, pick_indicator.value, pick_year.value, highlight=highlight,
                                         translate=translate), [pick_indicator, pick_year])
    return widgets.VBox([widgets.HBox([pick_indicator, pick_year]), view])
