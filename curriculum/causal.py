"""Cause and effect: naive comparisons, the comparison-group difference in differences, and confounding.

The functions behind the senior module *Cause and effect*. A programme (speed cameras,
an arson-reduction pilot) was put in some places and not others; the data are one row
per site (the ``intervention_sites`` dataset) with its group, the events counted in a
period before and a period after, the length of each period in years and, where known,
its exposure (traffic, residents) and the deprivation rank of its area:

- :func:`programme_sites` picks one programme's sites and adds events a year before and
  after, and :func:`case_programmes` picks the programmes for the two lessons;
- :func:`before_after` is the naive before-and-after change at the intervention sites,
  which includes regression to the mean when sites were chosen after a spike;
- :func:`naive_difference` compares intervention sites with the other sites after the
  programme started, which is confounded by whatever made them different;
- :func:`exposure_rates` gives events a year per unit of exposure (per 10,000 vehicles a
  day, per 1,000 residents) by group;
- :func:`did_table` is the 2 x 2 table of the difference in differences against the
  comparison group (:func:`curriculum.evaluation.did_2x2`) and :func:`did_ols` the same
  estimate from a regression with site and period fixed effects
  (:func:`curriculum.evaluation.did_regression`, statsmodels), with a confidence interval;
- :func:`comparison_estimates` sets the three estimates side by side;
- :func:`deprivation_bands`, :func:`stratified_comparison` and :func:`stratified_direction`
  compare intervention and other sites within bands of deprivation (stratification);
- :func:`plot_before_after`, :func:`plot_exposure`, :func:`plot_did`,
  :func:`plot_stratified` and :func:`plot_comparison` draw the charts, and
  :func:`comparison_explorer` wraps them in a widget to choose the comparison.

Events a year per site are averages over sites (each site counts once); rates per unit of
exposure pool events and exposure over sites. Charts take ``translate`` (a module's
:func:`curriculum.translator`) for their own words. Importing this module changes
nothing; matplotlib, statsmodels and ipywidgets are imported only when used.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from curriculum.style import HIGHLIGHT, MUTED
from curriculum.views import axes as _axes
from curriculum.views import live_view
from curriculum.views import untranslated as _same

__all__ = [
    "COMPARISONS",
    "GROUPS",
    "REQUIRED",
    "before_after",
    "case_programmes",
    "comparison_estimates",
    "comparison_explorer",
    "deprivation_bands",
    "did_ols",
    "did_table",
    "exposure_rates",
    "naive_difference",
    "plot_before_after",
    "plot_comparison",
    "plot_did",
    "plot_exposure",
    "plot_stratified",
    "programme_sites",
    "stratified_comparison",
    "stratified_direction",
]

GROUPS: tuple[str, ...] = ("intervention", "comparison", "other")
COMPARISONS: tuple[str, ...] = ("with_without", "before_after", "comparison_group")
REQUIRED: tuple[str, ...] = ("site_id", "group", "years_before", "events_before", "years_after", "events_after")
_COMPARISON_COLOUR = "#12436D"
_GROUP_COLOURS = {"intervention": HIGHLIGHT, "comparison": _COMPARISON_COLOUR, "other": MUTED}


# --------------------------------------------------------------------------- checks
def _require(sites, columns: Sequence[str], name: str = "sites") -> pd.DataFrame:
    if not isinstance(sites, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(sites).__name__}")
    missing = [c for c in columns if c not in sites.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s) {', '.join(missing)}; its columns are: "
                         f"{', '.join(map(str, sites.columns))}")
    if sites.empty:
        raise ValueError(f"{name} has no rows")
    return sites


def _groups(value, argument: str) -> list[str]:
    wanted = [value] if isinstance(value, str) else list(value)
    if not wanted:
        raise ValueError(f"{argument} must name at least one group of {GROUPS}")
    for group in wanted:
        if group not in GROUPS:
            raise ValueError(f"{argument}: group {group!r} is not one of {', '.join(GROUPS)}")
    return wanted


def _one_programme(sites: pd.DataFrame) -> None:
    if "programme" in sites.columns and sites["programme"].nunique() > 1:
        raise ValueError("sites holds several programmes (" + ", ".join(sorted(map(str, sites["programme"].unique())))
                         + "): pick one with programme_sites(sites, programme)")


def _rated(sites: pd.DataFrame) -> pd.DataFrame:
    """Check the columns and add events a year before and after (``rate_before``, ``rate_after``)."""
    _require(sites, REQUIRED)
    _one_programme(sites)
    if sites["site_id"].duplicated().any():
        repeated = sites.loc[sites["site_id"].duplicated(), "site_id"].astype(str).unique()[:3]
        raise ValueError(f"sites must hold one row per site; repeated site_id: {', '.join(repeated)}")
    for column in ("years_before", "years_after"):
        years = pd.to_numeric(sites[column], errors="coerce")
        if years.isna().any() or (years <= 0).any():
            raise ValueError(f"{column} must be a positive number of years on every row")
    for column in ("events_before", "events_after"):
        events = pd.to_numeric(sites[column], errors="coerce")
        if events.isna().any() or (events < 0).any():
            raise ValueError(f"{column} must be a count (0 or more) on every row")
    unknown = set(sites["group"].dropna()) - set(GROUPS)
    if unknown or sites["group"].isna().any():
        raise ValueError(f"group must be one of {', '.join(GROUPS)} on every row; found "
                         f"{', '.join(sorted(map(str, unknown))) or 'blanks'}")
    out = sites.copy()
    out["rate_before"] = out["events_before"].astype(float) / out["years_before"].astype(float)
    out["rate_after"] = out["events_after"].astype(float) / out["years_after"].astype(float)
    return out


def _members(rated: pd.DataFrame, groups: list[str], argument: str) -> pd.DataFrame:
    part = rated[rated["group"].isin(groups)]
    if part.empty:
        raise ValueError(f"{argument}: no site is in group {' or '.join(map(repr, groups))}; the groups present are: "
                         f"{', '.join(sorted(map(str, rated['group'].unique())))}")
    return part


def _per(per) -> float:
    if isinstance(per, bool) or not isinstance(per, (int, float, np.integer, np.floating)) or not np.isfinite(per) \
            or per <= 0:
        raise ValueError(f"per must be a positive number (1000 for a rate per 1,000), got {per!r}")
    return float(per)


# --------------------------------------------------------------------------- selecting
def programme_sites(sites: pd.DataFrame, programme: str | None = None) -> pd.DataFrame:
    """Return one programme's sites with their events a year before and after.

    Parameters
    ----------
    sites : pandas.DataFrame
        The ``intervention_sites`` dataset: one row per site with the columns of
        :data:`REQUIRED` (and ``programme`` when it holds several programmes).
    programme : str, optional
        The programme to keep; may be left out when the data hold one programme.

    Returns
    -------
    pandas.DataFrame
        The programme's rows (index reset) with ``rate_before`` and ``rate_after``
        (events a year) added.

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If a column is missing, ``programme`` is not in the data (or is needed and not
        given), a site appears twice, a period length is not positive, a count is
        negative or a group is not one of :data:`GROUPS`.
    """
    _require(sites, REQUIRED)
    if programme is not None:
        if "programme" not in sites.columns:
            raise ValueError("programme: sites has no programme column; leave programme out")
        known = list(dict.fromkeys(map(str, sites["programme"])))
        if programme not in known:
            raise ValueError(f"programme {programme!r} is not in the data; the programmes are: {', '.join(known)}")
        sites = sites[sites["programme"] == programme]
    return _rated(sites.reset_index(drop=True))


def case_programmes(sites: pd.DataFrame) -> tuple[str | None, str | None]:
    """Pick the programme for the before-and-after lesson and the one for stratification.

    The second must have a deprivation rank for every site (areas); the first is the
    first programme in the data that is not the second (the same one when the data hold
    a single programme).

    Parameters
    ----------
    sites : pandas.DataFrame
        The ``intervention_sites`` dataset.

    Returns
    -------
    tuple of (str or None, str or None)
        The two programme names; None for both when the data have no ``programme``
        column (the whole table is one programme).

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If a required column is missing or no programme has a deprivation rank for
        every site.
    """
    _require(sites, REQUIRED)
    names = list(dict.fromkeys(map(str, sites["programme"]))) if "programme" in sites.columns else [None]

    def ranked(name) -> bool:
        part = sites if name is None else sites[sites["programme"] == name]
        return "deprivation_rank" in part.columns and bool(part["deprivation_rank"].notna().all())

    with_rank = [name for name in names if ranked(name)]
    if not with_rank:
        raise ValueError("no programme has a deprivation_rank for every site: map the WIMD rank of each area "
                         "(deprivation_rank) for the programme that ran in small areas")
    second = next((name for name in with_rank if name != names[0]), with_rank[0])
    first = next((name for name in names if name != second), second)
    return first, second


# --------------------------------------------------------------------------- the naive comparisons
def before_after(sites: pd.DataFrame, group: str = "intervention") -> pd.Series:
    """The naive before-and-after comparison of one group of sites.

    Parameters
    ----------
    sites : pandas.DataFrame
        One programme's sites (see :func:`programme_sites`).
    group : str, default "intervention"
        The group whose sites are compared with themselves.

    Returns
    -------
    pandas.Series
        ``before`` and ``after`` (mean events a year per site), ``change`` (after minus
        before), ``percent_change`` (100 x change / before; NaN when before is 0) and
        ``sites``.

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If the data are not valid (see :func:`programme_sites`) or ``group`` has no site.

    Examples
    --------
    >>> s = pd.DataFrame({"site_id": ["a", "b"], "group": "intervention", "years_before": 2.0,
    ...                   "events_before": [10, 6], "years_after": 2.0, "events_after": [4, 4]})
    >>> before_after(s)[["before", "after", "percent_change"]].round(1).tolist()
    [4.0, 2.0, -50.0]
    """
    part = _members(_rated(sites), _groups(group, "group"), "group")
    before, after = float(part["rate_before"].mean()), float(part["rate_after"].mean())
    change = after - before
    return pd.Series({"before": before, "after": after, "change": change,
                      "percent_change": 100 * change / before if before > 0 else float("nan"),
                      "sites": len(part)}, name=group)


def naive_difference(sites: pd.DataFrame, treated: str = "intervention", untreated: str | Sequence[str] = "other",
                     period: str = "after") -> pd.Series:
    """The naive comparison of sites with and without the programme, in one period.

    Parameters
    ----------
    sites : pandas.DataFrame
        One programme's sites (see :func:`programme_sites`).
    treated : str, default "intervention"
        The group that got the programme.
    untreated : str or sequence of str, default "other"
        The group(s) it is compared with.
    period : {"after", "before"}, default "after"
        The period compared.

    Returns
    -------
    pandas.Series
        ``with`` and ``without`` (mean events a year per site), ``difference`` (with
        minus without), ``percent_difference`` (100 x difference / without; NaN when
        without is 0), ``sites_with`` and ``sites_without``.

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If the data are not valid, ``period`` is not before or after, a group has no site
        or ``treated`` is also among ``untreated``.
    """
    if period not in ("before", "after"):
        raise ValueError(f"period must be 'before' or 'after', got {period!r}")
    treated_groups, untreated_groups = _groups(treated, "treated"), _groups(untreated, "untreated")
    if set(treated_groups) & set(untreated_groups):
        raise ValueError(f"untreated must not include the treated group {treated!r}")
    rated = _rated(sites)
    with_ = _members(rated, treated_groups, "treated")[f"rate_{period}"]
    without = _members(rated, untreated_groups, "untreated")[f"rate_{period}"]
    difference = float(with_.mean() - without.mean())
    return pd.Series({"with": float(with_.mean()), "without": float(without.mean()), "difference": difference,
                      "percent_difference": 100 * difference / without.mean() if without.mean() > 0 else float("nan"),
                      "sites_with": len(with_), "sites_without": len(without)}, name=period)


def exposure_rates(sites: pd.DataFrame, per: float = 1000.0, period: str = "after") -> pd.DataFrame:
    """Events a year per unit of exposure, by group.

    Parameters
    ----------
    sites : pandas.DataFrame
        One programme's sites with an ``exposure`` column (vehicles a day, residents).
    per : float, default 1000
        The rate is per this much exposure (10,000 vehicles a day, 1,000 residents).
    period : {"after", "before"}, default "after"
        The period.

    Returns
    -------
    pandas.DataFrame
        One row per group present (in the order of :data:`GROUPS`) with ``sites``,
        ``events_a_year`` (summed over sites), ``exposure`` (summed), ``mean_exposure``
        (per site) and ``rate`` (``per`` x events a year / exposure).

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If the data are not valid, lack ``exposure`` or hold blank or negative exposure,
        ``per`` is not positive or ``period`` is not before or after.
    """
    if period not in ("before", "after"):
        raise ValueError(f"period must be 'before' or 'after', got {period!r}")
    scale = _per(per)
    rated = _rated(_require(sites, ["exposure"]))
    exposure = pd.to_numeric(rated["exposure"], errors="coerce")
    if exposure.isna().any() or (exposure < 0).any():
        raise ValueError("exposure must be known (0 or more) for every site to compare rates")
    rated = rated.assign(exposure=exposure)
    table = rated.groupby("group").agg(sites=("site_id", "size"), events_a_year=(f"rate_{period}", "sum"),
                                       exposure=("exposure", "sum"), mean_exposure=("exposure", "mean"))
    table = table.reindex([g for g in GROUPS if g in table.index])
    table["rate"] = scale * table["events_a_year"] / table["exposure"].where(table["exposure"] > 0)
    table.index.name = "group"
    return table


# --------------------------------------------------------------------------- difference in differences
def _long(rated: pd.DataFrame, treated: list[str], comparison: list[str]) -> pd.DataFrame:
    part = rated[rated["group"].isin(treated + comparison)]
    rows = []
    for period, post in (("before", False), ("after", True)):
        rows.append(pd.DataFrame({"site_id": part["site_id"].astype(str).to_numpy(), "period": period,
                                  "treated": part["group"].isin(treated).to_numpy(), "post": post,
                                  "rate": part[f"rate_{period}"].to_numpy()}))
    return pd.concat(rows, ignore_index=True)


def did_table(sites: pd.DataFrame, treated: str = "intervention", comparison: str = "comparison") -> pd.DataFrame:
    """The 2 x 2 table of the difference in differences against a comparison group.

    Parameters
    ----------
    sites : pandas.DataFrame
        One programme's sites (see :func:`programme_sites`).
    treated : str, default "intervention"
        The group that got the programme.
    comparison : str, default "comparison"
        The group chosen beforehand to be like it.

    Returns
    -------
    pandas.DataFrame
        Rows ``intervention`` (the treated group), ``comparison`` and ``difference``
        (treated minus comparison); columns ``before``, ``after`` (mean events a year
        per site) and ``change`` (after minus before). The cell
        ``("difference", "change")`` is the difference in differences: the change at
        the treated sites beyond the change the comparison sites had anyway.

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If the data are not valid, a group has no site, or the two groups are the same.

    Examples
    --------
    >>> s = pd.DataFrame({"site_id": list("abcd"), "group": ["intervention"] * 2 + ["comparison"] * 2,
    ...                   "years_before": 1.0, "events_before": [10, 8, 9, 9], "years_after": 1.0,
    ...                   "events_after": [5, 5, 7, 8]})
    >>> float(did_table(s).loc["difference", "change"])
    -2.5
    """
    from curriculum.evaluation import did_2x2

    treated_groups, comparison_groups = _groups(treated, "treated"), _groups(comparison, "comparison")
    if set(treated_groups) & set(comparison_groups):
        raise ValueError(f"treated and comparison must be different groups, both are {treated!r}")
    rated = _rated(sites)
    _members(rated, treated_groups, "treated")
    _members(rated, comparison_groups, "comparison")
    table = did_2x2(_long(rated, treated_groups, comparison_groups), "rate", "treated", "post")
    table = table.rename(index={"treated": "intervention"}).loc[["intervention", "comparison", "difference"]]
    table.columns.name = None
    return table


def did_ols(sites: pd.DataFrame, treated: str = "intervention", comparison: str = "comparison", alpha: float = 0.05):
    """The difference in differences from a regression, with its confidence interval.

    An OLS regression (statsmodels) of events a year on site and period fixed effects and
    the treated-and-after indicator, with standard errors clustered by site (a site's two
    periods are not independent), through :func:`curriculum.evaluation.did_regression`.
    With every site observed in both periods it gives exactly the estimate of
    :func:`did_table`.

    Parameters
    ----------
    sites : pandas.DataFrame
        One programme's sites (see :func:`programme_sites`).
    treated : str, default "intervention"
        The group that got the programme.
    comparison : str, default "comparison"
        The comparison group.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    curriculum.evaluation.Effect
        ``estimate`` (events a year per site), ``ci_low``, ``ci_high``, ``p_value``, ...

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If the data are not valid, a group has no site, the groups are the same, or
        ``alpha`` is not between 0 and 1.
    """
    from curriculum.evaluation import did_regression

    treated_groups, comparison_groups = _groups(treated, "treated"), _groups(comparison, "comparison")
    if set(treated_groups) & set(comparison_groups):
        raise ValueError(f"treated and comparison must be different groups, both are {treated!r}")
    rated = _rated(sites)
    _members(rated, treated_groups, "treated")
    _members(rated, comparison_groups, "comparison")
    return did_regression(_long(rated, treated_groups, comparison_groups), "rate", "treated", "post",
                          unit="site_id", time="period", alpha=alpha)


def comparison_estimates(sites: pd.DataFrame, treated: str = "intervention", comparison: str = "comparison",
                         untreated: str | Sequence[str] = "other") -> pd.DataFrame:
    """The three answers to "what did the programme do?", side by side.

    Parameters
    ----------
    sites : pandas.DataFrame
        One programme's sites (see :func:`programme_sites`).
    treated : str, default "intervention"
        The group that got the programme.
    comparison : str, default "comparison"
        The comparison group of the difference in differences.
    untreated : str or sequence of str, default "other"
        The group(s) of the naive with-and-without comparison.

    Returns
    -------
    pandas.DataFrame
        Rows :data:`COMPARISONS`: ``with_without`` (intervention minus untreated sites,
        after), ``before_after`` (after minus before at the intervention sites) and
        ``comparison_group`` (the difference in differences); columns ``estimate``
        (events a year per site) and ``percent`` (relative to the intervention sites'
        comparison level: the untreated sites, the intervention sites before, and what
        the intervention sites would have had after without the programme).

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If the data are not valid or a group has no site.
    """
    naive = naive_difference(sites, treated, untreated)
    change = before_after(sites, treated)
    table = did_table(sites, treated, comparison)
    did = float(table.loc["difference", "change"])
    counterfactual = float(table.loc["intervention", "before"] + table.loc["comparison", "change"])
    return pd.DataFrame({
        "estimate": [naive["difference"], change["change"], did],
        "percent": [naive["percent_difference"], change["percent_change"],
                    100 * did / counterfactual if counterfactual > 0 else float("nan")],
    }, index=pd.Index(COMPARISONS, name="comparison"))


# --------------------------------------------------------------------------- stratification
def deprivation_bands(sites: pd.DataFrame, column: str = "deprivation_rank", bands: int = 3) -> pd.Series:
    """Split sites into equal bands of deprivation (1 = the most deprived band).

    Sites are ranked by ``column`` (rank 1 = most deprived, as in WIMD; ties keep their
    order) and cut into ``bands`` groups of (nearly) equal size.

    Parameters
    ----------
    sites : pandas.DataFrame
        Sites with a deprivation rank.
    column : str, default "deprivation_rank"
        The rank column (lower is more deprived).
    bands : int, default 3
        How many bands (2 to 10).

    Returns
    -------
    pandas.Series of int
        The band of each site (1 to ``bands``), with the index of ``sites``.

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If ``column`` is missing or blank for some site, ``bands`` is not a whole number
        from 2 to 10, or there are fewer sites than bands.
    """
    _require(sites, [column])
    if isinstance(bands, bool) or not isinstance(bands, (int, np.integer)) or not 2 <= bands <= 10:
        raise ValueError(f"bands must be a whole number from 2 to 10, got {bands!r}")
    rank = pd.to_numeric(sites[column], errors="coerce")
    if rank.isna().any():
        raise ValueError(f"column {column!r} is blank (or not a number) for {int(rank.isna().sum())} site(s): "
                         "every site needs its deprivation rank to be put in a band")
    if len(rank) < bands:
        raise ValueError(f"{len(rank)} site(s) cannot be split into {bands} bands")
    order = rank.rank(method="first").to_numpy()
    band = np.minimum((bands * (order - 1) // len(order)).astype(int), bands - 1) + 1
    return pd.Series(band, index=sites.index, name="band")


def stratified_comparison(sites: pd.DataFrame, column: str = "deprivation_rank", bands: int = 3, per: float = 1000.0,
                          treated: str = "intervention", period: str = "after") -> pd.DataFrame:
    """Compare sites with and without the programme within bands of deprivation.

    Rates are events a year per ``per`` units of exposure when every site has its
    exposure (residents), otherwise mean events a year per site.

    Parameters
    ----------
    sites : pandas.DataFrame
        One programme's sites with a deprivation rank.
    column : str, default "deprivation_rank"
        The rank column (lower is more deprived).
    bands : int, default 3
        How many bands of deprivation.
    per : float, default 1000
        Rates are per this much exposure.
    treated : str, default "intervention"
        The group that got the programme; every other site is "without".
    period : {"after", "before"}, default "after"
        The period compared.

    Returns
    -------
    pandas.DataFrame
        Index ``all`` (every site) then the bands ``1`` .. ``bands`` (1 = most deprived);
        columns ``sites_with``, ``sites_without``, ``rate_with``, ``rate_without`` and
        ``ratio`` (with ÷ without; NaN where a side has no site or a zero rate). The
        attribute ``attrs["per_exposure"]`` says whether rates are per exposure.

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        As :func:`deprivation_bands`, or if the data are not valid, ``period`` is not
        before or after, or no site is in the ``treated`` group.
    """
    if period not in ("before", "after"):
        raise ValueError(f"period must be 'before' or 'after', got {period!r}")
    scale = _per(per)
    rated = _rated(sites)
    groups = _groups(treated, "treated")
    _members(rated, groups, "treated")
    rated["band"] = deprivation_bands(rated, column, bands)
    exposure = pd.to_numeric(rated["exposure"], errors="coerce") if "exposure" in rated.columns else None
    per_exposure = exposure is not None and exposure.notna().all() and (exposure > 0).all()
    rated["_with"] = rated["group"].isin(groups)
    if per_exposure:
        rated["_exposure"] = exposure

    def rate(part: pd.DataFrame) -> float:
        if part.empty:
            return float("nan")
        if per_exposure:
            return scale * float(part[f"rate_{period}"].sum()) / float(part["_exposure"].sum())
        return float(part[f"rate_{period}"].mean())

    rows = {}
    for key, part in [("all", rated)] + [(b, rated[rated["band"] == b]) for b in range(1, bands + 1)]:
        with_, without = part[part["_with"]], part[~part["_with"]]
        r_with, r_without = rate(with_), rate(without)
        usable = np.isfinite(r_without) and r_without > 0
        rows[key] = {"sites_with": len(with_), "sites_without": len(without), "rate_with": r_with,
                     "rate_without": r_without, "ratio": r_with / r_without if usable else float("nan")}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "band"
    table.attrs["per_exposure"] = bool(per_exposure)
    return table


def stratified_direction(table: pd.DataFrame) -> str:
    """Say how sites with the programme compare with the others within the bands.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`stratified_comparison`.

    Returns
    -------
    str
        ``"lower"`` if the rate with the programme is lower in every band that has sites
        on both sides, ``"higher"`` if it is higher in every such band, ``"mixed"``
        otherwise.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame.
    ValueError
        If it lacks the columns of :func:`stratified_comparison` or no band has sites on
        both sides.
    """
    _require(table, ["sites_with", "sites_without", "rate_with", "rate_without"], "table")
    bands = table.drop(index="all", errors="ignore")
    both = bands[(bands["sites_with"] > 0) & (bands["sites_without"] > 0)]
    if both.empty:
        raise ValueError("no band has sites both with and without the programme: the bands cannot be compared")
    if (both["rate_with"] < both["rate_without"]).all():
        return "lower"
    if (both["rate_with"] > both["rate_without"]).all():
        return "higher"
    return "mixed"


# --------------------------------------------------------------------------- charts
def _labels(tr: Callable[[str], str]) -> dict[str, str]:
    return {"intervention": tr("Sites with the programme"), "comparison": tr("Comparison sites"),
            "other": tr("Other sites")}


def plot_before_after(sites: pd.DataFrame, groups: Sequence[str] = ("intervention",), ax=None,
                      title: str | None = None, ylabel: str | None = None,
                      translate: Callable[[str], str] | None = None):
    """Draw mean events a year per site before and after, one line per group.

    Parameters
    ----------
    sites : pandas.DataFrame
        One programme's sites (see :func:`programme_sites`).
    groups : sequence of str, default ("intervention",)
        The groups to draw (the intervention sites in :data:`~curriculum.style.HIGHLIGHT`).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title.
    ylabel : str, optional
        Label of the vertical axis; "Events a year per site" by default.
    translate : callable, optional
        Translates the chart's own words (``curriculum.translator(module, language)``).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If the data are not valid or a group has no site.
    """
    tr = translate or _same
    labels = _labels(tr)
    wanted = _groups(list(groups), "groups")
    ax = _axes(ax)
    top = 0.0
    for group in wanted:
        row = before_after(sites, group)
        values = [row["before"], row["after"]]
        top = max(top, *values)
        main = group == "intervention"
        ax.plot([0, 1], values, color=_GROUP_COLOURS[group], marker="o", linewidth=2.5 if main else 2,
                zorder=3 if main else 2)
        percent = row["percent_change"]
        text = f"{labels[group]}: {percent:+.0f}%" if np.isfinite(percent) else labels[group]
        ax.annotate(text, (1, values[1]), xytext=(8, 0), textcoords="offset points", va="center",
                    color=_GROUP_COLOURS[group], fontweight="bold", fontsize=9)
    ax.set_xticks([0, 1], [tr("Before"), tr("After")])
    ax.set_xlim(-0.15, 1.9)
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.set_ylabel(ylabel or tr("Events a year per site"))
    if title:
        ax.set_title(title)
    return ax


def plot_exposure(sites: pd.DataFrame, ax=None, period: str = "after", xlabel: str | None = None,
                  ylabel: str | None = None, title: str | None = None, translate: Callable[[str], str] | None = None):
    """Draw events a year against exposure, one dot per site, coloured by group.

    Parameters
    ----------
    sites : pandas.DataFrame
        One programme's sites with ``exposure``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    period : {"after", "before"}, default "after"
        The period whose events are drawn.
    xlabel, ylabel, title : str, optional
        Axis labels and title; "Exposure" and "Events a year" by default.
    translate : callable, optional
        Translates the chart's own words.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If the data are not valid, lack ``exposure`` or ``period`` is not before or after.
    """
    from matplotlib.ticker import FuncFormatter

    if period not in ("before", "after"):
        raise ValueError(f"period must be 'before' or 'after', got {period!r}")
    tr = translate or _same
    labels = _labels(tr)
    rated = _rated(_require(sites, ["exposure"]))
    ax = _axes(ax)
    for group in reversed(GROUPS):
        part = rated[rated["group"] == group]
        if part.empty:
            continue
        ax.scatter(part["exposure"], part[f"rate_{period}"], color=_GROUP_COLOURS[group], label=labels[group],
                   s=60 if group == "intervention" else 40, zorder=3 if group == "intervention" else 2, alpha=0.9)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel(xlabel or tr("Exposure"))
    ax.set_ylabel(ylabel or tr("Events a year"))
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    handles, names = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], names[::-1], loc="upper left", fontsize=9)
    if title:
        ax.set_title(title)
    return ax


def plot_did(table: pd.DataFrame, ax=None, title: str | None = None, ylabel: str | None = None,
             translate: Callable[[str], str] | None = None):
    """Draw the difference in differences: both groups before and after, and the counterfactual.

    The dashed line starts at the intervention sites' level before and changes as the
    comparison sites did: where the intervention sites would have been without the
    programme. The gap at "after" between it and the intervention sites is the estimate.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`did_table`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title, ylabel : str, optional
        Title and label of the vertical axis ("Events a year per site" by default).
    translate : callable, optional
        Translates the chart's own words.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame.
    ValueError
        If ``table`` does not have the rows and columns of :func:`did_table`.
    """
    tr = translate or _same
    _require(table, ["before", "after"], "table")
    if not {"intervention", "comparison"} <= set(table.index):
        raise ValueError("table must have the rows 'intervention' and 'comparison' (from did_table)")
    labels = _labels(tr)
    ax = _axes(ax)
    treated, comparison = table.loc["intervention"], table.loc["comparison"]
    counterfactual = treated["before"] + comparison["after"] - comparison["before"]
    ax.plot([0, 1], [comparison["before"], comparison["after"]], color=_COMPARISON_COLOUR, marker="o",
            label=labels["comparison"])
    ax.plot([0, 1], [treated["before"], counterfactual], color=HIGHLIGHT, linestyle="--", linewidth=1.5, alpha=0.8,
            label=tr("Without the programme (changing like the comparison sites)"))
    ax.plot([0, 1], [treated["before"], treated["after"]], color=HIGHLIGHT, marker="o", linewidth=2.5,
            label=labels["intervention"])
    estimate = treated["after"] - counterfactual
    ax.annotate("", xy=(1.04, treated["after"]), xytext=(1.04, counterfactual),
                arrowprops={"arrowstyle": "->", "color": HIGHLIGHT, "linewidth": 1.5})
    ax.annotate(tr("Effect: {estimate} a year per site").format(estimate=f"{estimate:+.2f}"),
                (1.06, (treated["after"] + counterfactual) / 2), va="center", color=HIGHLIGHT, fontsize=9,
                fontweight="bold")
    top = max(treated["before"], treated["after"], comparison["before"], comparison["after"], counterfactual)
    ax.set_xticks([0, 1], [tr("Before"), tr("After")])
    ax.set_xlim(-0.15, 1.75)
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.set_ylabel(ylabel or tr("Events a year per site"))
    ax.legend(loc="lower left", fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def plot_stratified(table: pd.DataFrame, ax=None, title: str | None = None, ylabel: str | None = None,
                    translate: Callable[[str], str] | None = None):
    """Draw rates with and without the programme, for all sites and within each band.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`stratified_comparison`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title, ylabel : str, optional
        Title and label of the vertical axis (a rate per 1,000 residents, or events a
        year per site, by default).
    translate : callable, optional
        Translates the chart's own words.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame.
    ValueError
        If it lacks the columns of :func:`stratified_comparison`.
    """
    tr = translate or _same
    _require(table, ["rate_with", "rate_without"], "table")
    ax = _axes(ax)
    bands = [b for b in table.index if b != "all"]
    names = {1: tr("Most deprived third"), 2: tr("Middle third"), 3: tr("Least deprived third")} if len(bands) == 3 \
        else {b: tr("Band {band} (1 = most deprived)").format(band=b) for b in bands}
    keys = (["all"] if "all" in table.index else []) + bands
    ticks = [textwrap.fill(tr("All areas") if k == "all" else names[k], 16) for k in keys]
    x = np.arange(len(keys), dtype=float)
    x[1:] += 0.5 if "all" in table.index else 0.0
    width = 0.38
    with_ = table.loc[keys, "rate_with"].to_numpy(dtype=float)
    without = table.loc[keys, "rate_without"].to_numpy(dtype=float)
    ax.bar(x - width / 2, np.nan_to_num(with_), width, color=HIGHLIGHT, label=tr("With the programme"))
    ax.bar(x + width / 2, np.nan_to_num(without), width, color=MUTED, label=tr("Without"))
    for xs, values in ((x - width / 2, with_), (x + width / 2, without)):
        for xi, value in zip(xs, values):
            known = np.isfinite(value)
            ax.annotate(f"{value:.1f}" if known else tr("none"), (xi, value if known else 0),
                        xytext=(0, 3), textcoords="offset points", ha="center", fontsize=8)
    if "all" in table.index and bands:
        ax.axvline((x[0] + x[1]) / 2, color="#d9d9d9", linewidth=1)
    ax.set_xticks(x, ticks)
    per_exposure = table.attrs.get("per_exposure", True)
    ax.set_ylabel(ylabel or (tr("Events a year per 1,000 residents") if per_exposure else tr("Events a year per site")))
    ax.legend(loc="upper right", fontsize=9)
    if title:
        ax.set_title(title)
    return ax


def plot_comparison(sites: pd.DataFrame, comparison: str, ax=None, ylabel: str | None = None,
                    translate: Callable[[str], str] | None = None):
    """Draw the chart of one way of estimating the programme's effect.

    Parameters
    ----------
    sites : pandas.DataFrame
        One programme's sites (see :func:`programme_sites`).
    comparison : str
        One of :data:`COMPARISONS`: ``"with_without"`` (bars of the intervention and
        other sites after), ``"before_after"`` (the intervention sites before and after)
        or ``"comparison_group"`` (the difference-in-differences chart).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    ylabel : str, optional
        Label of the vertical axis ("Events a year per site" by default).
    translate : callable, optional
        Translates the chart's own words.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If ``comparison`` is not one of :data:`COMPARISONS` or the data are not valid.
    """
    if comparison not in COMPARISONS:
        raise ValueError(f"comparison must be one of {', '.join(COMPARISONS)}, got {comparison!r}")
    tr = translate or _same
    estimates = comparison_estimates(sites)
    estimate, percent = estimates.loc[comparison, "estimate"], estimates.loc[comparison, "percent"]
    change = tr("{estimate} a year per site ({percent})").format(
        estimate=f"{estimate:+.2f}", percent=f"{percent:+.0f}%" if np.isfinite(percent) else "–")
    ax = _axes(ax)
    if comparison == "before_after":
        plot_before_after(sites, ["intervention"], ax=ax, ylabel=ylabel, translate=translate)
        ax.set_title(tr("Before and after, programme sites only: {change}").format(change=change))
    elif comparison == "comparison_group":
        plot_did(did_table(sites), ax=ax, ylabel=ylabel, translate=translate)
        ax.set_title(tr("Against the comparison sites: {change}").format(change=change))
    else:
        naive = naive_difference(sites)
        labels = _labels(tr)
        ax.bar([0, 1], [naive["with"], naive["without"]], color=[HIGHLIGHT, MUTED], width=0.6)
        for xi, value in enumerate([naive["with"], naive["without"]]):
            ax.annotate(f"{value:.2f}", (xi, value), xytext=(0, 3), textcoords="offset points", ha="center")
        ax.set_xticks([0, 1], [labels["intervention"], labels["other"]])
        ax.set_xlim(-0.8, 1.8)
        ax.set_ylabel(ylabel or tr("Events a year per site"))
        ax.set_title(tr("With and without, after only: {change}").format(change=change))
    return ax


def comparison_explorer(sites: pd.DataFrame, programme: str | None = None, ylabel: str | None = None,
                        translate: Callable[[str], str] | None = None):
    """Buttons to choose how to compare, redrawing the chart and the estimate.

    The view is written into an :class:`ipywidgets.Output` with ``append_display_data``
    (never by capturing output), so a headless run (papermill, nbgrader) cannot stall on
    it (jupyter/nbclient#312).

    Parameters
    ----------
    sites : pandas.DataFrame
        The ``intervention_sites`` dataset (one or several programmes).
    programme : str, optional
        The programme shown first; the first in the data by default.
    ylabel : str, optional
        Label of the vertical axis.
    translate : callable, optional
        Translates the widget's and charts' own words.

    Returns
    -------
    ipywidgets.VBox
        A drop-down list of programmes and the comparison buttons above the chart.

    Raises
    ------
    TypeError
        If ``sites`` is not a DataFrame.
    ValueError
        If the data are not valid or ``programme`` is not in them.
    """
    import ipywidgets as widgets
    from matplotlib.figure import Figure

    tr = translate or _same
    _require(sites, REQUIRED)
    programmes = list(dict.fromkeys(map(str, sites["programme"]))) if "programme" in sites.columns else []
    if programme is not None and programme not in programmes:
        raise ValueError(f"programme {programme!r} is not in the data; the programmes are: "
                         f"{', '.join(programmes) or '(no programme column)'}")
    options = [(name, name) for name in programmes] or [(tr("All sites"), "")]
    choose_programme = widgets.Dropdown(options=options, value=programme or options[0][1],
                                        description=tr("Programme"), layout=widgets.Layout(width="420px"))
    choose_comparison = widgets.ToggleButtons(
        options=[(tr("With and without"), "with_without"), (tr("Before and after"), "before_after"),
                 (tr("Comparison group"), "comparison_group")],
        value="with_without", description=tr("Compare"))

    def draw():
        chosen = programme_sites(sites, choose_programme.value or None)
        figure = Figure(figsize=(8, 4.5))
        plot_comparison(chosen, choose_comparison.value, ax=figure.subplots(), ylabel=ylabel, translate=translate)
        return figure

    view = live_view(draw, [choose_programme, choose_comparison])
    return widgets.VBox([choose_programme, choose_comparison, view])
