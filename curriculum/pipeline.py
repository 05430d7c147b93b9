"""The contract pipeline: what expires when, what it takes to re-procure, and where to engage the market early.

The functions behind the Procurement Lab's *contract pipeline* module. They work on a
contracts register loaded with ``curriculum.load("contracts", ...)`` (one row per
contract with start and end dates, the current expiry date, the extension option in
months, values, supplier, SME flag and category) and follow four steps:

1. :func:`reference_date` and :func:`add_expiry`: the date the pipeline is drawn
   from, and each contract's expiry as it stands (extensions already taken) and at
   the latest (every remaining extension option taken);
2. :func:`expiring_within` and :func:`expiry_windows`: contracts expiring within 12,
   18 and 24 months, with and without the remaining options taken;
3. :func:`value_band`, :func:`reprocurement_calendar`, :func:`workload_by_quarter`
   and :func:`plot_calendar`: when each re-procurement must start (a lead time per
   value band) and how many run at once in each financial quarter;
4. :func:`category_profile` and :func:`flag_early_engagement`: categories that are
   high-value, long-running and dominated by one supplier, where preliminary market
   engagement (Procurement Act 2023, s.16-17) could bring new, innovative or local
   suppliers in; :func:`pipeline_notice_contracts` lists the contracts of GBP 2m or
   more a pipeline notice (s.93) would show.

Registers have gaps: blank dates, blank values, ``N/A`` extension fields. Nothing is
guessed: a contract without an end date cannot be placed in the pipeline and is
counted by :func:`left_out`; a blank value stays blank (sums skip it and the tables
count it); a blank extension option is taken as no option left and flagged.

Lead times and value bands are assumptions for illustration, written down in
:data:`VALUE_BANDS` and :data:`LEAD_MONTHS`; replace them with your own procurement
team's. Nothing happens on import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from curriculum.suppliers import normalise_supplier_name

__all__ = [
    "VALUE_BANDS",
    "LEAD_MONTHS",
    "UNKNOWN_BAND",
    "PIPELINE_NOTICE_VALUE",
    "reference_date",
    "add_months",
    "add_expiry",
    "left_out",
    "expiring_within",
    "expiry_windows",
    "value_band",
    "financial_quarter",
    "reprocurement_calendar",
    "workload_by_quarter",
    "plot_calendar",
    "category_profile",
    "flag_early_engagement",
    "pipeline_notice_contracts",
]

#: Value bands (total contract value, GBP) and their labels: below a quotation limit,
#: up to the Procurement Act 2023 threshold for services bought by sub-central
#: authorities (GBP 214,904 incl. VAT from 1 January 2024), up to the GBP 2m of a
#: pipeline notice, and above.
VALUE_BANDS: tuple[tuple[float, str], ...] = (
    (25_000.0, "Under £25k"),
    (214_904.0, "£25k to threshold"),
    (2_000_000.0, "Threshold to £2m"),
    (np.inf, "£2m and over"),
)
#: Label of contracts whose value the register leaves blank.
UNKNOWN_BAND = "Value not known"
#: Months before expiry a re-procurement should start, per value band (an assumption:
#: agree your own with your procurement team). An unknown value gets the longest.
LEAD_MONTHS: dict[str, int] = {
    "Under £25k": 3,
    "£25k to threshold": 6,
    "Threshold to £2m": 12,
    "£2m and over": 18,
    UNKNOWN_BAND: 18,
}
#: Estimated value from which a contract appears in a pipeline notice (Procurement Act 2023, s.93).
PIPELINE_NOTICE_VALUE = 2_000_000.0

_DAYS_PER_MONTH = 365.25 / 12
# Register entries for framework lots or call-offs with several suppliers ("Various", "Multiple providers").
_SEVERAL = r"^(VARIOUS|MULTIPLE|SEVERAL|MANY|ALL)\b|^(FRAMEWORK|DPS) (SUPPLIERS|PROVIDERS)"
_NEEDED = ("start_date", "end_date")


def _frame(contracts, columns: Sequence[str] = _NEEDED, argument: str = "contracts") -> pd.DataFrame:
    if not isinstance(contracts, pd.DataFrame):
        raise TypeError(f"{argument} must be a pandas DataFrame, got {type(contracts).__name__}")
    missing = [c for c in columns if c not in contracts.columns]
    if missing:
        raise ValueError(f"{argument} lacks the column(s) {missing}; load it with curriculum.load('contracts', ...)"
                         + (" and pass it through add_expiry first" if "current_expiry" in missing else ""))
    return contracts


def _timestamp(value, argument: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{argument} must be a date such as '2025-03-31', got {value!r}") from None
    if pd.isna(stamp):
        raise ValueError(f"{argument} must be a date such as '2025-03-31', got {value!r}")
    return stamp


def _months_argument(months, argument: str = "months") -> float:
    if isinstance(months, bool) or not isinstance(months, (int, float, np.integer, np.floating)) or not months > 0:
        raise ValueError(f"{argument} must be a positive number of months, got {months!r}")
    return float(months)


def _window_end(start: pd.Timestamp, months: float) -> pd.Timestamp:
    return add_months(pd.Series([start]), months).iloc[0]


def reference_date(contracts: pd.DataFrame, as_of: str | pd.Timestamp | None = None) -> pd.Timestamp:
    """Return the date the pipeline is drawn from.

    Parameters
    ----------
    contracts : pandas.DataFrame
        A contracts register with a ``start_date`` column.
    as_of : str or pandas.Timestamp, optional
        The date to use (``"YYYY-MM-DD"``). None uses the register's latest start
        date, a stand-in for the date it was published.

    Returns
    -------
    pandas.Timestamp

    Raises
    ------
    TypeError
        If ``contracts`` is not a DataFrame.
    ValueError
        If ``as_of`` is not a date, or it is None and the register has no start dates.
    """
    frame = _frame(contracts, ("start_date",))
    if as_of is not None:
        return _timestamp(as_of, "as_of").normalize()
    latest = pd.to_datetime(frame["start_date"]).max()
    if pd.isna(latest):
        raise ValueError("as_of is None and the register has no start dates to take it from: give as_of as 'YYYY-MM-DD'")
    return pd.Timestamp(latest).normalize()


def add_months(dates: pd.Series, months) -> pd.Series:
    """Add a number of months (whole or fractional, one per row or one for all) to dates.

    Whole months move by the calendar (31 January plus one month is 28 or 29
    February); a fraction of a month adds ``fraction * 365.25 / 12`` days.

    Parameters
    ----------
    dates : pandas.Series
        Dates (missing values stay missing).
    months : float or pandas.Series
        Months to add; a Series must share ``dates``' index. Missing months give a
        missing date.

    Returns
    -------
    pandas.Series
        Datetime Series with ``dates``' index.

    Raises
    ------
    TypeError
        If ``dates`` is not a Series.
    """
    if not isinstance(dates, pd.Series):
        raise TypeError(f"dates must be a pandas Series, got {type(dates).__name__}")
    dates = pd.to_datetime(dates)
    months = (months.reindex(dates.index) if isinstance(months, pd.Series)
              else pd.Series(float(months), index=dates.index)).astype(float)
    out = pd.Series(pd.NaT, index=dates.index, dtype="datetime64[ns]")
    ok = dates.notna() & months.notna()
    for whole in np.unique(np.floor(months[ok]).astype(int)):
        rows = ok & (np.floor(months) == whole)
        fraction = (months[rows] - whole) * _DAYS_PER_MONTH
        out[rows] = (dates[rows] + pd.DateOffset(months=int(whole))
                     + pd.to_timedelta(fraction.round().astype(int), unit="D")).astype("datetime64[ns]")
    return out


def add_expiry(contracts: pd.DataFrame) -> pd.DataFrame:
    """Add each contract's expiry as it stands and at the latest, with all remaining options taken.

    Parameters
    ----------
    contracts : pandas.DataFrame
        A contracts register (kind ``contracts``): ``start_date`` and ``end_date``,
        optionally ``expiry_date`` (the current expiry, extensions taken included)
        and ``extension_months`` (the extension option of the original contract).

    Returns
    -------
    pandas.DataFrame
        A copy with the columns

        - ``current_expiry``: ``expiry_date``, or ``end_date`` where it is blank;
        - ``latest_expiry``: the later of ``current_expiry`` and ``end_date`` plus
          ``extension_months``; ``current_expiry`` where the option is blank;
        - ``options_left_months``: months between the two (0 when no option is left);
        - ``extension_known``: False where the register leaves the option blank;
        - ``duration_months``: months from ``start_date`` to ``latest_expiry``.

    Raises
    ------
    TypeError
        If ``contracts`` is not a DataFrame.
    ValueError
        If ``start_date`` or ``end_date`` is missing.
    """
    frame = _frame(contracts).copy()
    end = pd.to_datetime(frame["end_date"])
    current = pd.to_datetime(frame["expiry_date"]).fillna(end) if "expiry_date" in frame else end
    current = current.where(current.isna() | end.isna() | (current >= end), end)  # an expiry before the end date is a typo
    if "extension_months" in frame:
        option = pd.to_numeric(frame["extension_months"], errors="coerce")
    else:
        option = pd.Series(np.nan, index=frame.index)
    possible = add_months(end, option)
    latest = current.where(possible.isna() | (possible <= current), possible)
    frame["current_expiry"] = current
    frame["latest_expiry"] = latest
    frame["options_left_months"] = ((latest - current).dt.days / _DAYS_PER_MONTH).round(1)
    frame["extension_known"] = option.notna().to_numpy()
    frame["duration_months"] = ((latest - pd.to_datetime(frame["start_date"])).dt.days / _DAYS_PER_MONTH).round(1)
    return frame


def left_out(dated: pd.DataFrame, value_column: str = "total_value") -> pd.Series:
    """Count what the register leaves blank, so a pipeline says what it could not include.

    Parameters
    ----------
    dated : pandas.DataFrame
        The output of :func:`add_expiry`.
    value_column : str, default "total_value"
        The value column the pipeline sums.

    Returns
    -------
    pandas.Series
        Counts of contracts: ``no_expiry`` (no end or expiry date: left out of the
        pipeline), ``no_start``, ``no_value`` (kept, but not in any sum),
        ``no_extension_info`` (taken as no option left), ``no_category`` and
        ``no_sme_flag`` (counted where the columns exist).

    Raises
    ------
    TypeError
        If ``dated`` is not a DataFrame.
    ValueError
        If ``dated`` has not been through :func:`add_expiry` or lacks ``value_column``.
    """
    frame = _frame(dated, ("current_expiry", "extension_known", value_column), "dated")
    counts = {
        "no_expiry": int(frame["current_expiry"].isna().sum()),
        "no_start": int(frame["start_date"].isna().sum()) if "start_date" in frame else 0,
        "no_value": int(frame[value_column].isna().sum()),
        "no_extension_info": int((~frame["extension_known"].astype(bool)).sum()),
    }
    for column, label in (("category", "no_category"), ("sme", "no_sme_flag")):
        if column in frame:
            counts[label] = int(frame[column].isna().sum())
    return pd.Series(counts, name="contracts")


def expiring_within(dated: pd.DataFrame, as_of, months, column: str = "current_expiry") -> pd.DataFrame:
    """Return the contracts whose expiry falls from ``as_of`` up to (not including) ``months`` later.

    Parameters
    ----------
    dated : pandas.DataFrame
        The output of :func:`add_expiry` (or any frame with the date ``column``).
    as_of : str or pandas.Timestamp
        The reference date; contracts expiring on it are included.
    months : float
        Length of the window in months (12 means up to the day before the same date
        a year later).
    column : str, default "current_expiry"
        ``current_expiry`` (no further extensions) or ``latest_expiry`` (every
        remaining option taken). With ``latest_expiry``, contracts whose current
        expiry is already before ``as_of`` are left out: an expired contract can no
        longer be extended.

    Returns
    -------
    pandas.DataFrame
        The rows in the window, in their original order.

    Raises
    ------
    TypeError
        If ``dated`` is not a DataFrame.
    ValueError
        If ``column`` is missing, ``as_of`` not a date or ``months`` not positive.
    """
    frame = _frame(dated, (column,), "dated")
    start = _timestamp(as_of, "as_of")
    end = _window_end(start, _months_argument(months))
    expiry = pd.to_datetime(frame[column])
    keep = (expiry >= start) & (expiry < end)
    if column != "current_expiry" and "current_expiry" in frame:
        keep &= pd.to_datetime(frame["current_expiry"]) >= start  # an expired contract can no longer be extended
    return frame[keep]


def expiry_windows(dated: pd.DataFrame, as_of, months: Sequence[float] = (12, 18, 24),
                   value_column: str = "total_value") -> pd.DataFrame:
    """Count and value the contracts expiring within each window, with and without the remaining options.

    Parameters
    ----------
    dated : pandas.DataFrame
        The output of :func:`add_expiry`.
    as_of : str or pandas.Timestamp
        The reference date.
    months : sequence of float, default (12, 18, 24)
        The windows, in months from ``as_of``.
    value_column : str, default "total_value"
        Value to sum (blank values are skipped and counted).

    Returns
    -------
    pandas.DataFrame
        One row per window (index ``months``) with ``contracts``, ``value`` and
        ``no_value`` (contracts in the window without a value) if no further
        extension is taken, and ``contracts_if_extended``, ``value_if_extended`` if
        every remaining option is taken.

    Raises
    ------
    TypeError
        If ``dated`` is not a DataFrame.
    ValueError
        If a column is missing, ``as_of`` is not a date or a window is not positive.
    """
    frame = _frame(dated, ("current_expiry", "latest_expiry", value_column), "dated")
    if isinstance(months, (str, bytes)) or not isinstance(months, Sequence) or not months:
        raise ValueError(f"months must be a non-empty sequence of positive numbers, got {months!r}")
    rows = []
    for m in months:
        now = expiring_within(frame, as_of, m, "current_expiry")
        later = expiring_within(frame, as_of, m, "latest_expiry")
        rows.append({"months": m, "contracts": len(now), "value": float(now[value_column].sum()),
                     "no_value": int(now[value_column].isna().sum()),
                     "contracts_if_extended": len(later), "value_if_extended": float(later[value_column].sum())})
    return pd.DataFrame(rows).set_index("months")


def value_band(values: pd.Series, bands: Sequence[tuple[float, str]] = VALUE_BANDS) -> pd.Series:
    """Label each value with its band (an ordered categorical; blanks get :data:`UNKNOWN_BAND`).

    Parameters
    ----------
    values : pandas.Series
        Contract values in GBP.
    bands : sequence of (upper limit, label), default VALUE_BANDS
        Upper limits (exclusive) in increasing order; the last should be ``inf``.

    Returns
    -------
    pandas.Series
        Ordered categorical with the bands' labels then :data:`UNKNOWN_BAND`.

    Raises
    ------
    TypeError
        If ``values`` is not a Series.
    ValueError
        If ``bands`` is empty, its limits do not increase, or a value is negative.
    """
    if not isinstance(values, pd.Series):
        raise TypeError(f"values must be a pandas Series, got {type(values).__name__}")
    limits = [float(b[0]) for b in bands]
    if not limits or any(b >= a for a, b in zip(limits[1:], limits[:-1])):
        raise ValueError(f"bands must be (upper limit, label) pairs with increasing limits, got {bands!r}")
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    if (numbers < 0).any():
        raise ValueError("values must not be negative")
    labels = [str(b[1]) for b in bands] + [UNKNOWN_BAND]
    position = np.searchsorted(np.array(limits), numbers.fillna(0).to_numpy(), side="right")
    position = np.where(numbers.isna().to_numpy(), len(limits), np.minimum(position, len(limits) - 1))
    return pd.Series(pd.Categorical.from_codes(position, categories=labels, ordered=True), index=values.index,
                     name="band")


def financial_quarter(dates: pd.Series) -> pd.Series:
    """Label dates with their UK financial quarter (April to March), e.g. ``"2025/26 Q3"``.

    Labels sort in time order as text. Missing dates give missing labels.

    Parameters
    ----------
    dates : pandas.Series
        Dates.

    Returns
    -------
    pandas.Series
        Text labels with ``dates``' index.

    Raises
    ------
    TypeError
        If ``dates`` is not a Series.
    """
    if not isinstance(dates, pd.Series):
        raise TypeError(f"dates must be a pandas Series, got {type(dates).__name__}")
    stamps = pd.to_datetime(dates)
    year = stamps.dt.year - (stamps.dt.month < 4)
    quarter = (stamps.dt.month - 4) % 12 // 3 + 1
    labels = (year.astype("Int64").astype(str) + "/" + ((year + 1) % 100).astype("Int64").astype(str).str.zfill(2)
              + " Q" + quarter.astype("Int64").astype(str))
    out = labels.astype(object)
    out[stamps.isna()] = None
    return out


def reprocurement_calendar(dated: pd.DataFrame, as_of, horizon_months: float = 24, *,
                           column: str = "current_expiry", value_column: str = "total_value",
                           lead_months: Mapping[str, float] | None = None,
                           bands: Sequence[tuple[float, str]] = VALUE_BANDS) -> pd.DataFrame:
    """Plan the re-procurement of every contract expiring within the horizon.

    Parameters
    ----------
    dated : pandas.DataFrame
        The output of :func:`add_expiry`.
    as_of : str or pandas.Timestamp
        The reference date.
    horizon_months : float, default 24
        How far ahead to look.
    column : str, default "current_expiry"
        Expiry to plan for: ``current_expiry`` or ``latest_expiry``.
    value_column : str, default "total_value"
        Value that sets the band (the new contract's value is taken to be similar).
    lead_months : mapping of band label to months, optional
        Lead time per band; :data:`LEAD_MONTHS` by default.
    bands : sequence of (upper limit, label), default VALUE_BANDS
        Value bands (see :func:`value_band`).

    Returns
    -------
    pandas.DataFrame
        One row per contract in the window, soonest expiry first, with the register's
        columns plus ``expiry`` (the date planned for), ``band``, ``lead_months``,
        ``procurement_start`` (expiry minus the lead time), ``late`` (the start is
        already before ``as_of``), ``start_quarter`` and ``expiry_quarter``.

    Raises
    ------
    TypeError
        If ``dated`` is not a DataFrame.
    ValueError
        If a column is missing, ``as_of`` is not a date, the horizon not positive, or
        a band has no lead time.
    """
    frame = _frame(dated, (column, value_column), "dated")
    start = _timestamp(as_of, "as_of")
    lead = dict(LEAD_MONTHS if lead_months is None else lead_months)
    plan = expiring_within(frame, start, _months_argument(horizon_months, "horizon_months"), column).copy()
    plan["expiry"] = pd.to_datetime(plan[column])
    plan["band"] = value_band(plan[value_column], bands)
    missing = sorted({str(b) for b in plan["band"].unique()} - set(lead))
    if missing:
        raise ValueError(f"lead_months has no lead time for the band(s) {missing}")
    plan["lead_months"] = plan["band"].astype(str).map(lead).astype(float)
    plan["procurement_start"] = add_months(plan["expiry"], -plan["lead_months"])
    plan["late"] = plan["procurement_start"] < start
    plan["start_quarter"] = financial_quarter(plan["procurement_start"].clip(lower=start))
    plan["expiry_quarter"] = financial_quarter(plan["expiry"])
    return plan.sort_values(["expiry", value_column], ascending=[True, False], kind="stable")


def workload_by_quarter(calendar: pd.DataFrame, as_of) -> pd.DataFrame:
    """Count the re-procurements in progress in each financial quarter, by value band.

    A re-procurement is in progress from its ``procurement_start`` (or ``as_of`` if
    that is later: a late start begins now) to its ``expiry``; it counts in every
    quarter it overlaps.

    Parameters
    ----------
    calendar : pandas.DataFrame
        The output of :func:`reprocurement_calendar`.
    as_of : str or pandas.Timestamp
        The reference date (the first quarter shown is the one holding it).

    Returns
    -------
    pandas.DataFrame
        Quarters (labels as :func:`financial_quarter`) down the side, bands across,
        counts of re-procurements in progress; only bands present in ``calendar``.

    Raises
    ------
    TypeError
        If ``calendar`` is not a DataFrame.
    ValueError
        If ``calendar`` lacks the calendar's columns or ``as_of`` is not a date.
    """
    frame = _frame(calendar, ("procurement_start", "expiry", "band"), "calendar")
    start = _timestamp(as_of, "as_of")
    bands = frame["band"].cat.remove_unused_categories().cat.categories if hasattr(frame["band"], "cat") \
        else pd.Index(sorted(frame["band"].unique()))
    if frame.empty:
        return pd.DataFrame(0, index=pd.Index([], name="quarter"), columns=bands)
    first = pd.Period(start, freq="Q-MAR")
    last = pd.Period(frame["expiry"].max(), freq="Q-MAR")
    quarters = pd.period_range(first, last, freq="Q-MAR")
    begin = frame["procurement_start"].clip(lower=start)
    table = {}
    for q in quarters:
        active = (begin <= q.end_time) & (frame["expiry"] >= q.start_time)
        table[q.start_time] = frame.loc[active, "band"].astype(str).value_counts().reindex(bands.astype(str), fill_value=0)
    out = pd.DataFrame(table).T
    out.index = pd.Index(financial_quarter(pd.Series(out.index)).to_numpy(), name="quarter")
    out.columns = pd.Index(bands.astype(str), name="band")
    return out.astype(int)


def plot_calendar(calendar: pd.DataFrame, as_of, *, top: int = 25, value_column: str = "total_value",
                  label_column: str = "title", ax=None):
    """Draw a Gantt-style re-procurement calendar of the largest contracts.

    Each bar runs from the procurement start to the expiry, coloured by value band;
    a dashed line marks ``as_of``; late starts are drawn from their planned start.

    Parameters
    ----------
    calendar : pandas.DataFrame
        The output of :func:`reprocurement_calendar`.
    as_of : str or pandas.Timestamp
        The reference date.
    top : int, default 25
        How many contracts to draw (the highest values; blank values last).
    value_column : str, default "total_value"
        Value that picks the largest contracts.
    label_column : str, default "title"
        Column used to label the bars (cut to 40 characters; control characters,
        left by a file read in the wrong encoding, are dropped).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``calendar`` is not a DataFrame.
    ValueError
        If columns are missing, ``top`` is not a positive whole number or ``as_of`` not a date.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    frame = _frame(calendar, ("procurement_start", "expiry", "band", value_column, label_column), "calendar")
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive whole number, got {top!r}")
    start = _timestamp(as_of, "as_of")
    shown = frame.sort_values(value_column, ascending=False, na_position="last").head(top)
    shown = shown.sort_values("procurement_start", ascending=False, kind="stable")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, max(3.0, 0.28 * len(shown) + 1.2)))
    labels = list(frame["band"].cat.categories) if hasattr(frame["band"], "cat") else sorted(frame["band"].unique())
    colours = dict(zip(labels, plt.get_cmap("viridis_r")(np.linspace(0.15, 0.95, len(labels)))))
    left = mdates.date2num(shown["procurement_start"])
    width = mdates.date2num(shown["expiry"]) - left
    ax.barh(np.arange(len(shown)), width, left=left, color=[colours[b] for b in shown["band"]], height=0.7)
    ax.set_yticks(np.arange(len(shown)), ["".join(ch for ch in str(t) if ch.isprintable())[:40] for t in shown[label_column]], fontsize=7)
    ax.axvline(mdates.date2num(start), color="black", linestyle="--", linewidth=1)
    ax.xaxis_date()
    present = [b for b in labels if (shown["band"] == b).any()]
    ax.legend(handles=[Patch(color=colours[b], label=b) for b in present], fontsize=7, loc="lower right")
    ax.set(xlabel="Re-procurement (start to expiry of the current contract)")
    return ax


def category_profile(dated: pd.DataFrame, as_of, *, value_column: str = "total_value",
                     horizon_months: float = 24, local_areas: Sequence[str] = ()) -> pd.DataFrame:
    """Profile each category of the contracts live on ``as_of`` for early market engagement.

    Live means started on or before ``as_of`` (or no start date) and expiring on or
    after it (as it stands). Suppliers are grouped by their normalised name
    (:func:`curriculum.suppliers.normalise_supplier_name`); entries naming several
    suppliers ("Various", "Multiple providers": framework lots) count in the value
    and the number of suppliers but never as the incumbent.

    Parameters
    ----------
    dated : pandas.DataFrame
        The output of :func:`add_expiry`, with ``supplier_name`` and ``category``.
    as_of : str or pandas.Timestamp
        The reference date.
    value_column : str, default "total_value"
        Value to sum (blank values are skipped).
    horizon_months : float, default 24
        Window for ``expiring_value``.
    local_areas : sequence of str, default ()
        Postcode areas counted as local (``("CF", "NP")``); empty leaves
        ``local_share`` blank.

    Returns
    -------
    pandas.DataFrame
        One row per category (blank categories as ``"(no category)"``), highest value
        first, with ``contracts``, ``suppliers``, ``value``, ``median_months`` (median
        duration with all options), ``incumbent`` and ``incumbent_share`` (the largest
        supplier and its share of the value), ``sme_share`` and ``local_share`` (shares
        of the value with a known flag or postcode) and ``expiring_value`` (value
        expiring within ``horizon_months`` as it stands).

    Raises
    ------
    TypeError
        If ``dated`` is not a DataFrame.
    ValueError
        If a column is missing or ``as_of`` is not a date.
    """
    frame = _frame(dated, ("current_expiry", "start_date", "duration_months", "supplier_name", value_column), "dated")
    start = _timestamp(as_of, "as_of")
    if isinstance(local_areas, str):
        raise ValueError(f"local_areas must be a sequence of postcode areas such as ('CF', 'NP'), got {local_areas!r}")
    live = frame[(frame["current_expiry"] >= start) & (frame["start_date"].isna() | (frame["start_date"] <= start))].copy()
    live["category"] = live["category"].fillna("(no category)") if "category" in live else "(no category)"
    live["supplier_key"] = normalise_supplier_name(live["supplier_name"].astype(object))
    several = live["supplier_key"].str.match(_SEVERAL, na=False)  # framework lots: not one incumbent
    live["supplier_key"] = live["supplier_key"].where(~several, "(several suppliers) " + live.index.astype(str))
    live["_value"] = live[value_column].astype(float)
    window_end = _window_end(start, _months_argument(horizon_months, "horizon_months"))
    live["_expiring"] = live["_value"].where(live["current_expiry"] < window_end, 0.0)
    per_supplier = live.groupby(["category", "supplier_key"])["_value"].sum(min_count=1).fillna(0.0)
    single = per_supplier[~per_supplier.index.get_level_values("supplier_key").str.startswith("(several suppliers)")]
    top = single.groupby(level="category").idxmax().map(lambda key: key[1])
    grouped = live.groupby("category")
    out = pd.DataFrame({
        "contracts": grouped.size(),
        "suppliers": grouped["supplier_key"].nunique(),
        "value": grouped["_value"].sum(),
        "median_months": grouped["duration_months"].median(),
        "incumbent": top,
        "incumbent_share": single.groupby(level="category").max() / grouped["_value"].sum(),
    })
    if "sme" in live:
        known = live[live["sme"].notna() & live["_value"].notna()]
        sme_value = known[known["sme"].astype(bool)].groupby("category")["_value"].sum()
        out["sme_share"] = sme_value.reindex(out.index, fill_value=0.0) / known.groupby("category")["_value"].sum()
    else:
        out["sme_share"] = np.nan
    if local_areas and "supplier_postcode" in live:
        area = live["supplier_postcode"].astype(object).str.upper().str.extract(r"^\s*([A-Z]{1,2})\d", expand=False)
        known = live[area.notna() & live["_value"].notna()]
        is_local = area[known.index].isin([a.upper() for a in local_areas])
        local_value = known[is_local].groupby("category")["_value"].sum()
        out["local_share"] = local_value.reindex(out.index, fill_value=0.0) / known.groupby("category")["_value"].sum()
    else:
        out["local_share"] = np.nan
    out["expiring_value"] = grouped["_expiring"].sum()
    out["incumbent_share"] = out["incumbent_share"].where(out["value"] > 0).fillna(0.0).where(out["value"] > 0)
    return out.sort_values("value", ascending=False, kind="stable")


def flag_early_engagement(profile: pd.DataFrame, *, min_value: float | None = None, min_months: float = 36,
                          min_share: float = 0.5) -> pd.DataFrame:
    """Flag categories that are high-value, long-running and dominated by one supplier.

    Parameters
    ----------
    profile : pandas.DataFrame
        The output of :func:`category_profile`.
    min_value : float, optional
        Value from which a category is high-value; None uses the upper quartile of
        the categories' values.
    min_months : float, default 36
        Median duration (months, options included) from which it is long-running.
    min_share : float, default 0.5
        Largest supplier's share of the value from which it is incumbent-dominated.

    Returns
    -------
    pandas.DataFrame
        ``profile`` with boolean columns ``high_value``, ``long_running``,
        ``incumbent_dominated`` and ``engage`` (all three).

    Raises
    ------
    TypeError
        If ``profile`` is not a DataFrame.
    ValueError
        If a column is missing, or a threshold is negative or ``min_share`` above 1.
    """
    frame = _frame(profile, ("value", "median_months", "incumbent_share"), "profile").copy()
    if min_value is not None and not (isinstance(min_value, (int, float)) and min_value >= 0):
        raise ValueError(f"min_value must be a non-negative number or None, got {min_value!r}")
    if not (isinstance(min_months, (int, float)) and min_months >= 0):
        raise ValueError(f"min_months must be a non-negative number, got {min_months!r}")
    if not (isinstance(min_share, (int, float)) and 0 <= min_share <= 1):
        raise ValueError(f"min_share must be a share between 0 and 1, got {min_share!r}")
    threshold = float(frame["value"].quantile(0.75)) if min_value is None else float(min_value)
    frame["high_value"] = frame["value"] >= threshold
    frame["long_running"] = frame["median_months"] >= min_months
    frame["incumbent_dominated"] = frame["incumbent_share"] >= min_share
    frame["engage"] = frame["high_value"] & frame["long_running"] & frame["incumbent_dominated"]
    return frame


def pipeline_notice_contracts(calendar: pd.DataFrame, as_of, *, months: float = 18,
                              min_value: float = PIPELINE_NOTICE_VALUE,
                              value_column: str = "total_value") -> pd.DataFrame:
    """List the re-procurements a pipeline notice would show: GBP 2m or more, starting within 18 months.

    Under the Procurement Act 2023 (s.93), an authority expecting to spend more than
    GBP 100m in the coming financial year publishes, within 56 days of its start, a
    pipeline notice of the contracts of GBP 2m or more whose tender notice it expects
    to publish in the next 18 months. The procurement start stands in for the tender
    notice; late starts (already due) are included.

    Parameters
    ----------
    calendar : pandas.DataFrame
        The output of :func:`reprocurement_calendar`.
    as_of : str or pandas.Timestamp
        The reference date.
    months : float, default 18
        The notice's reporting period.
    min_value : float, default PIPELINE_NOTICE_VALUE
        Smallest value listed.
    value_column : str, default "total_value"
        Value compared with ``min_value``.

    Returns
    -------
    pandas.DataFrame
        The rows of ``calendar`` listed, in its order.

    Raises
    ------
    TypeError
        If ``calendar`` is not a DataFrame.
    ValueError
        If columns are missing, ``as_of`` is not a date or ``months`` not positive.
    """
    frame = _frame(calendar, ("procurement_start", value_column), "calendar")
    start = _timestamp(as_of, "as_of")
    end = _window_end(start, _months_argument(months))
    return frame[(frame[value_column] >= min_value) & (frame["procurement_start"] < end)]
