"""Where our money goes, for senior leaders: concentration, local share and the contract pipeline at a glance.

The senior module *Where our money goes* reads the same files as the Procurement Lab
(payments over GBP 500, supplier locations, a contracts register) through the same
functions (:mod:`curriculum.suppliers`, :mod:`curriculum.localism`,
:mod:`curriculum.pipeline`) and turns them into the few figures a chief executive needs:

- :func:`supplier_totals`, :func:`pareto_table` and :func:`top_share`: how concentrated
  the spend is (the share of the largest suppliers, as in the lab's Pareto view);
- :func:`supplier_values`: the supplier-value table of :mod:`curriculum.localism` from
  whichever files a council has (spend with locations, spend alone, or a register);
- :func:`option_split` and :func:`expiry_by_category`: what the contracts expiring in a
  window are worth, with and without an extension option left;
- :func:`procurement_questions`: the three questions to put to the head of procurement;
- :func:`plot_pareto`, :func:`plot_kept_shares`, :func:`plot_expiry_windows`,
  :func:`plot_expiry_by_category` and :func:`plot_category`: charts in the house style;
- :func:`expiry_explorer` and :func:`category_explorer`: widgets to choose the expiry
  horizon or a category (filled with ``Output.append_display_data``, as
  :func:`curriculum.rates.funnel_explorer` is, so headless runs never wait on them).

Charts and widgets take ``translate`` (``curriculum.translator(module, language)``) and
mark their own words ``tr("...")``; the Welsh is in the shared ``common`` catalogue.
Nothing happens on import; matplotlib and ipywidgets are imported when used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from curriculum.localism import (
    BANDS,
    VALUE_COLUMNS,
    values_from_contracts,
    values_from_spend,
)
from curriculum.pipeline import _SEVERAL, expiring_within
from curriculum.style import HIGHLIGHT, MUTED
from curriculum.suppliers import is_redacted, normalise_supplier_name
from curriculum.views import axes, live_view
from curriculum.views import untranslated as _same

__all__ = [
    "NO_CATEGORY",
    "supplier_totals",
    "pareto_table",
    "top_share",
    "supplier_values",
    "option_split",
    "expiry_by_category",
    "format_money",
    "procurement_questions",
    "plot_pareto",
    "plot_kept_shares",
    "plot_expiry_windows",
    "plot_expiry_by_category",
    "plot_category",
    "expiry_explorer",
    "category_explorer",
]

#: Label of contracts whose category the register leaves blank.
NO_CATEGORY = "(no category)"
_BAND_COLOURS = dict(zip(BANDS, ("#801650", "#12436D", "#28A197", "#F46A25", "#BFBFBF")))


def _frame(value, argument: str, columns: Sequence[str] = ()) -> pd.DataFrame:
    if not isinstance(value, pd.DataFrame):
        raise TypeError(f"{argument} must be a pandas DataFrame, got {type(value).__name__}")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise ValueError(f"{argument} lacks the column(s) {missing}; it has {list(value.columns)}")
    return value


def _whole(value, argument: str, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"{argument} must be a whole number of at least {low}, got {value!r}")
    return int(value)


def _axes(ax, figsize=(8, 4.5)):
    return axes(ax, figsize)


# ------------------------------------------------------------------------------ concentration
def supplier_totals(spend: pd.DataFrame | None = None, contracts: pd.DataFrame | None = None) -> pd.Series:
    """Return the money paid to each named supplier, largest first, from a spend file or a register.

    From a spend file: net spend (credits included) of every supplier after
    normalising names (:func:`curriculum.suppliers.normalise_supplier_name`), payments
    to redacted payees (individuals) left out, as in the Procurement Lab's *Where the
    money goes*. Without a spend file: the contracts' annual values (total values where
    the register gives none) per supplier, from :func:`curriculum.localism.values_from_contracts`.
    Entries naming several suppliers ("Various", "Multiple providers": framework lots)
    are left out of both: they are not one supplier.

    Parameters
    ----------
    spend : pandas.DataFrame, optional
        A ``spend`` dataset (``supplier_name``, ``amount``); used when given.
    contracts : pandas.DataFrame, optional
        A ``contracts`` dataset; used when ``spend`` is None.

    Returns
    -------
    pandas.Series
        Indexed by supplier key, largest first, named ``"value"``; ``attrs["source"]``
        is ``"spend"`` or ``"contracts"``.

    Raises
    ------
    TypeError
        If a given argument is not a DataFrame.
    ValueError
        If both are None, or a needed column is missing.
    """
    if spend is not None:
        frame = _frame(spend, "spend", ("supplier_name", "amount"))
        named = frame.loc[~is_redacted(frame["supplier_name"]), ["supplier_name", "amount"]]
        keys = normalise_supplier_name(named["supplier_name"])
        totals = named["amount"].astype(float).groupby(keys).sum()
        source = "spend"
    elif contracts is not None:
        values = values_from_contracts(_frame(contracts, "contracts"))
        totals = values.groupby("supplier_key")["value"].sum()
        source = "contracts"
    else:
        raise ValueError("give spend (a spend dataset) or contracts (a contracts dataset): both are None")
    several = pd.Series(totals.index, index=totals.index).astype(str).str.match(_SEVERAL)
    totals = totals[~several.to_numpy()]  # "Various", "Multiple providers": framework lots, not one supplier
    totals = totals.sort_values(ascending=False, kind="stable").rename("value")
    totals.index.name = "supplier_key"
    totals.attrs["source"] = source
    return totals


def pareto_table(totals: pd.Series) -> pd.DataFrame:
    """Rank the suppliers with a positive total, largest first, with their share and cumulative share.

    Parameters
    ----------
    totals : pandas.Series
        Money per supplier (from :func:`supplier_totals`); credits may make some negative.

    Returns
    -------
    pandas.DataFrame
        Indexed by supplier, with ``rank`` (1 = largest), ``value``, ``share`` (of the
        total of the positive values) and ``cumulative_share``.

    Raises
    ------
    TypeError
        If ``totals`` is not a pandas Series.
    """
    if not isinstance(totals, pd.Series):
        raise TypeError(f"totals must be a pandas Series of money per supplier, got {type(totals).__name__}")
    positive = totals.astype(float)
    positive = positive[positive > 0].sort_values(ascending=False, kind="stable")
    table = positive.to_frame("value")
    total = float(table["value"].sum())
    table["share"] = table["value"] / total if total else 0.0
    table["cumulative_share"] = table["share"].cumsum()
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def top_share(totals: pd.Series, n: int = 20) -> float:
    """Return the share of the money (positive totals) that goes to the ``n`` largest suppliers.

    Parameters
    ----------
    totals : pandas.Series
        Money per supplier (from :func:`supplier_totals`).
    n : int, default 20
        How many of the largest suppliers.

    Returns
    -------
    float
        From 0 to 1 (1 when there are ``n`` suppliers or fewer; 0 when nothing is positive).

    Raises
    ------
    TypeError
        If ``totals`` is not a pandas Series.
    ValueError
        If ``n`` is not a whole number of at least 1.
    """
    n = _whole(n, "n")
    table = pareto_table(totals)
    if table.empty:
        return 0.0
    return float(table["cumulative_share"].iloc[min(n, len(table)) - 1])


def supplier_values(spend: pd.DataFrame | None = None, locations: pd.DataFrame | None = None,
                    contracts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the supplier-value table of :mod:`curriculum.localism` from whatever files a council has.

    Spend with supplier locations gives :func:`~curriculum.localism.values_from_spend`;
    spend alone gives the same table with every postcode unknown; without spend, a
    contracts register gives :func:`~curriculum.localism.values_from_contracts`.

    Parameters
    ----------
    spend : pandas.DataFrame, optional
        A ``spend`` dataset.
    locations : pandas.DataFrame, optional
        A ``supplier_locations`` dataset (used with ``spend``).
    contracts : pandas.DataFrame, optional
        A ``contracts`` dataset (used when ``spend`` is None).

    Returns
    -------
    pandas.DataFrame
        One row per supplier and category with the columns
        :data:`curriculum.localism.VALUE_COLUMNS`; ``attrs["source"]`` is
        ``"spend and supplier locations"``, ``"spend"`` or ``"contracts"``, and
        ``attrs["located"]`` says whether any supplier has a postcode.

    Raises
    ------
    TypeError
        If a given argument is not a DataFrame.
    ValueError
        If neither ``spend`` nor ``contracts`` is given, or a column is missing.
    """
    if spend is not None:
        if locations is None:
            empty = pd.DataFrame({"supplier_name": pd.Series(dtype=object), "postcode": pd.Series(dtype=object),
                                  "sme": pd.Series(dtype="boolean")})
            values, source = values_from_spend(spend, empty), "spend"
        else:
            values, source = values_from_spend(spend, locations), "spend and supplier locations"
    elif contracts is not None:
        values, source = values_from_contracts(contracts), "contracts"
    else:
        raise ValueError("give spend (with or without locations) or contracts: both spend and contracts are None")
    values = values[list(VALUE_COLUMNS)].copy()
    values.attrs["source"] = source
    values.attrs["located"] = bool(values["postcode"].notna().any())
    return values


# ------------------------------------------------------------------------------ the pipeline
def option_split(dated: pd.DataFrame, as_of, months: float = 12, value_column: str = "total_value") -> dict[str, float]:
    """Split the contracts expiring within a window by whether an extension option is left.

    Parameters
    ----------
    dated : pandas.DataFrame
        A contracts register through :func:`curriculum.pipeline.add_expiry`.
    as_of : str or pandas.Timestamp
        The date the window starts.
    months : float, default 12
        Length of the window.
    value_column : str, default "total_value"
        The value summed (blank values are skipped).

    Returns
    -------
    dict
        ``contracts``, ``value``, ``contracts_with_option``, ``value_with_option``,
        ``contracts_no_option`` and ``value_no_option`` (no option left: they must be
        re-procured, or end).

    Raises
    ------
    TypeError
        If ``dated`` is not a DataFrame.
    ValueError
        If ``dated`` lacks ``options_left_months`` or ``value_column``, or the window is invalid.
    """
    _frame(dated, "dated", ("options_left_months", value_column))
    window = expiring_within(dated, as_of, months)
    option = window["options_left_months"].fillna(0) > 0
    value = window[value_column].astype(float)
    return {"contracts": int(len(window)), "value": float(value.sum()),
            "contracts_with_option": int(option.sum()), "value_with_option": float(value[option].sum()),
            "contracts_no_option": int((~option).sum()), "value_no_option": float(value[~option].sum())}


def expiry_by_category(dated: pd.DataFrame, as_of, months: float = 12, value_column: str = "total_value") -> pd.DataFrame:
    """Value the contracts expiring within a window by category.

    Parameters
    ----------
    dated : pandas.DataFrame
        A contracts register through :func:`curriculum.pipeline.add_expiry`.
    as_of : str or pandas.Timestamp
        The date the window starts.
    months : float, default 12
        Length of the window (as things stand: no further extensions).
    value_column : str, default "total_value"
        The value summed (blank values are skipped).

    Returns
    -------
    pandas.DataFrame
        One row per category (:data:`NO_CATEGORY` for blanks), highest value first,
        with ``contracts``, ``value``, ``value_with_option`` and ``value_no_option``.

    Raises
    ------
    TypeError
        If ``dated`` is not a DataFrame.
    ValueError
        If a column is missing or the window is invalid.
    """
    _frame(dated, "dated", ("options_left_months", value_column))
    window = expiring_within(dated, as_of, months)
    category = (window["category"].astype(object).where(window["category"].notna(), NO_CATEGORY)
                if "category" in window else pd.Series(NO_CATEGORY, index=window.index))
    value = window[value_column].astype(float)
    option = window["options_left_months"].fillna(0) > 0
    frame = pd.DataFrame({"category": category, "value": value, "value_with_option": value.where(option),
                          "value_no_option": value.where(~option)})
    table = frame.groupby("category").agg(contracts=("value", "size"), value=("value", "sum"),
                                          value_with_option=("value_with_option", "sum"),
                                          value_no_option=("value_no_option", "sum"))
    return table.sort_values(["value", "contracts"], ascending=False, kind="stable")


# ------------------------------------------------------------------------------ words
def format_money(value: float) -> str:
    """Write an amount of money the way a committee paper does: £1.2bn, £38.4m, £250k or £900.

    Parameters
    ----------
    value : float
        Pounds (negative amounts keep their sign).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``value`` is not a finite number.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not np.isfinite(value):
        raise ValueError(f"value must be a finite number of pounds, got {value!r}")
    sign, size = ("-" if value < 0 else ""), abs(float(value))
    if size >= 1e9:
        return f"{sign}£{size / 1e9:.1f}bn"
    if size >= 1e6:
        return f"{sign}£{size / 1e6:.1f}m"
    if size >= 1e3:
        return f"{sign}£{size / 1e3:.0f}k"
    return f"{sign}£{size:.0f}"


def procurement_questions(top: float, n_top: int, kept: dict | None = None, leak: pd.Series | None = None,
                          expiring: dict | None = None, translate: Callable[[str], str] | None = None) -> list[str]:
    """Write the three questions to put to the head of procurement, with the council's own numbers.

    Parameters
    ----------
    top : float
        Share of the money with the ``n_top`` largest suppliers (:func:`top_share`).
    n_top : int
        How many suppliers ``top`` covers.
    kept : dict, optional
        Shares kept in the council, region and Wales and with SMEs
        (:func:`curriculum.localism.kept_shares` plus an ``"sme"`` key, NaN when unknown);
        None when the data do not say where suppliers are based.
    leak : pandas.Series, optional
        One row of :func:`curriculum.localism.leaking_categories` (its ``name`` is the
        category; ``value_outside`` and ``local_suppliers`` are used).
    expiring : dict, optional
        :func:`option_split` for the next 12 months; None when there is no register.
    translate : callable, optional
        Translates the questions (``curriculum.translator(module, language)``).

    Returns
    -------
    list of str
        Three questions: concentration, local share, the pipeline.

    Raises
    ------
    ValueError
        If ``top`` is not a share from 0 to 1 or ``n_top`` is not a whole number of at least 1.
    """
    tr = translate or _same
    if isinstance(top, bool) or not isinstance(top, (int, float, np.integer, np.floating)) or not 0 <= top <= 1:
        raise ValueError(f"top must be a share from 0 to 1, got {top!r}")
    n_top = _whole(n_top, "n_top")
    questions = [tr("Our {n} largest suppliers take {share} of the money. Who manages each of these relationships, "
                    "how do we know they deliver, and what would we do if one of them failed?").format(
        n=n_top, share=f"{top:.0%}")]
    if kept is None:
        questions.append(tr("Our records do not say where our suppliers are based or which are SMEs. "
                            "Can we add postcodes and SME flags to the supplier records, so that we know how much "
                            "of our spend stays local?"))
    elif leak is not None:
        questions.append(tr("{region} of the money goes to suppliers based in the region ({council} in our own area). "
                            "In {category}, {outside} goes to suppliers outside the region although {local} local "
                            "suppliers already work in it: could we shape lots or talk to the market early so that "
                            "they can compete?").format(
            region=f"{kept['region']:.0%}", council=f"{kept['council']:.0%}", category=str(leak.name),
            outside=format_money(float(leak["value_outside"])), local=int(leak["local_suppliers"])))
    else:
        questions.append(tr("{region} of the money goes to suppliers based in the region ({council} in our own area). "
                            "Which categories could local firms and SMEs compete for, and what stops them now?").format(
            region=f"{kept['region']:.0%}", council=f"{kept['council']:.0%}"))
    if expiring is None:
        questions.append(tr("We have no contracts register in these data. When will we publish one with every "
                            "contract's value, expiry date and extension options, so that we can plan re-procurement?"))
    else:
        questions.append(tr("{value} of contracts ({n} of them) expire in the next 12 months, {no_option} of it with no "
                            "extension option left. Which re-procurements have started, and which markets will we "
                            "talk to first?").format(
            value=format_money(expiring["value"]), n=expiring["contracts"],
            no_option=format_money(expiring["value_no_option"])))
    return questions


# ------------------------------------------------------------------------------ charts
def plot_pareto(pareto: pd.DataFrame, n: int = 20, ax=None, title: str | None = None,
                translate: Callable[[str], str] | None = None):
    """Draw the cumulative share of the money against the number of suppliers, largest first.

    Parameters
    ----------
    pareto : pandas.DataFrame
        The output of :func:`pareto_table`.
    n : int, default 20
        The number of largest suppliers to mark.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.
    title : str, optional
        The chart's title; by default it states the share of the ``n`` largest.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``pareto`` is not a DataFrame.
    ValueError
        If it lacks ``cumulative_share`` or ``n`` is not a whole number of at least 1.
    """
    frame = _frame(pareto, "pareto", ("cumulative_share",))
    n = _whole(n, "n")
    tr = translate or _same
    ax = _axes(ax)
    x = np.arange(1, len(frame) + 1)
    ax.plot(np.concatenate([[0], x]), np.concatenate([[0.0], frame["cumulative_share"].to_numpy()]), color=MUTED)
    shown = min(n, len(frame))
    if shown:
        share = float(frame["cumulative_share"].iloc[shown - 1])
        ax.fill_between(np.concatenate([[0], x[:shown]]), 0, np.concatenate([[0.0], frame["cumulative_share"].to_numpy()[:shown]]),
                        color=HIGHLIGHT, alpha=0.25, linewidth=0)
        ax.plot([shown, shown], [0, share], color=HIGHLIGHT, linewidth=1.5)
        ax.annotate(tr("the largest {n} take {share}").format(n=shown, share=f"{share:.0%}"), (shown, share),
                    xytext=(8, -4), textcoords="offset points", color=HIGHLIGHT, fontsize=10, va="top")
    else:
        share = 0.0
    ax.axhline(0.8, color=MUTED, linestyle="--", linewidth=0.8)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, max(len(frame), 1))
    ax.yaxis.set_major_formatter(_percent_formatter())
    ax.set_xlabel(tr("Suppliers, largest first"))
    ax.set_ylabel(tr("Share of the money (running total)"))
    ax.set_title(title or tr("{n} of {total} suppliers take {share} of the money").format(
        n=shown, total=len(frame), share=f"{share:.0%}"))
    return ax


def _percent_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: f"{v:.0%}")


def plot_kept_shares(kept: dict, sme: float | None = None, ax=None, title: str | None = None,
                     translate: Callable[[str], str] | None = None):
    """Draw the shares of the money kept in the council, the region and Wales, and with SMEs.

    Parameters
    ----------
    kept : dict
        ``council``, ``region``, ``wales`` (and optionally ``unknown``) shares from 0 to 1
        (:func:`curriculum.localism.kept_shares`).
    sme : float, optional
        Share with SMEs (NaN or None when unknown: the bar is left out).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.
    title : str, optional
        The chart's title.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``kept`` is not a dict with the three shares, each from 0 to 1.
    """
    if not isinstance(kept, dict) or any(k not in kept for k in ("council", "region", "wales")):
        raise ValueError(f"kept must be a dict with the shares 'council', 'region' and 'wales', got {kept!r}")
    if any(not 0 <= float(kept[k]) <= 1 + 1e-9 for k in ("council", "region", "wales")):
        raise ValueError("kept's shares must each be from 0 to 1")
    tr = translate or _same
    labels = [tr("Own council area"), tr("Cardiff Capital Region"), tr("Wales")]
    values = [float(kept["council"]), float(kept["region"]), float(kept["wales"])]
    colours = [HIGHLIGHT, HIGHLIGHT, HIGHLIGHT]
    if sme is not None and np.isfinite(sme):
        labels.append(tr("SMEs (where known)"))
        values.append(float(sme))
        colours.append("#12436D")
    ax = _axes(ax, figsize=(7, 3.2))
    y = np.arange(len(labels))[::-1]
    ax.barh(y, values, color=colours, height=0.6)
    for yy, v in zip(y, values):
        ax.text(v + 0.01, yy, f"{v:.0%}", va="center", fontsize=11)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 1.08)
    ax.xaxis.set_major_formatter(_percent_formatter())
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(tr("Share of the money with suppliers based there"))
    ax.set_title(title or tr("How much of the money stays local"))
    return ax


def plot_expiry_windows(windows: pd.DataFrame, ax=None, title: str | None = None,
                        translate: Callable[[str], str] | None = None):
    """Draw the value of contracts expiring within each window, as things stand and if every option is taken.

    Parameters
    ----------
    windows : pandas.DataFrame
        The output of :func:`curriculum.pipeline.expiry_windows` (index: months).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.
    title : str, optional
        The chart's title.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``windows`` is not a DataFrame.
    ValueError
        If it lacks ``value``, ``contracts`` or ``value_if_extended``.
    """
    frame = _frame(windows, "windows", ("value", "contracts", "value_if_extended"))
    tr = translate or _same
    ax = _axes(ax, figsize=(7.5, 3.8))
    x = np.arange(len(frame))
    ax.bar(x - 0.2, frame["value"] / 1e6, width=0.4, color=HIGHLIGHT, label=tr("As things stand"))
    ax.bar(x + 0.2, frame["value_if_extended"] / 1e6, width=0.4, color=MUTED, label=tr("If every extension option is taken"))
    for xx, value, count in zip(x, frame["value"], frame["contracts"]):
        ax.annotate(tr("{value}\n{n} contracts").format(value=format_money(float(value)), n=int(count)),
                    (xx - 0.2, value / 1e6), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=9)
    ax.set_xticks(x, [tr("Within {months} months").format(months=f"{m:g}") for m in frame.index])
    top = float(np.nanmax(np.r_[frame["value"].to_numpy(dtype=float), frame["value_if_extended"].to_numpy(dtype=float), 0.0]))
    ax.set_ylim(0, max(top / 1e6, 0.001) * 1.45)  # room for the labels and the legend above the bars
    ax.set_ylabel(tr("Value of contracts expiring (£m)"))
    ax.set_title(title or tr("Contracts expiring, by window"))
    ax.legend(fontsize=9, loc="upper left", ncols=2)
    return ax


def plot_expiry_by_category(table: pd.DataFrame, top: int = 10, ax=None, title: str | None = None,
                            translate: Callable[[str], str] | None = None):
    """Draw the value expiring in each of the largest categories, split by whether an option is left.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`expiry_by_category`.
    top : int, default 10
        How many categories to draw (the highest values).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.
    title : str, optional
        The chart's title.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame.
    ValueError
        If it lacks a column of :func:`expiry_by_category` or ``top`` is not a whole number of at least 1.
    """
    frame = _frame(table, "table", ("value", "value_with_option", "value_no_option"))
    top = _whole(top, "top")
    tr = translate or _same
    shown = frame.head(top).iloc[::-1]
    ax = _axes(ax, figsize=(8, max(2.5, 0.42 * len(shown) + 1.3)))
    y = np.arange(len(shown))
    ax.barh(y, shown["value_no_option"] / 1e6, color=HIGHLIGHT, height=0.65, label=tr("No extension option left"))
    ax.barh(y, shown["value_with_option"] / 1e6, left=shown["value_no_option"] / 1e6, color=MUTED, height=0.65,
            label=tr("Can still be extended"))
    ax.set_yticks(y, [str(c)[:45] for c in shown.index], fontsize=9)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(tr("Value of contracts expiring (£m)"))
    ax.set_title(title or tr("Contracts expiring, by category"))
    if len(shown):
        ax.legend(fontsize=9, loc="lower right")
    else:
        ax.text(0.5, 0.5, tr("No contract expires in this window"), transform=ax.transAxes, ha="center", color=MUTED)
    return ax


def _band_labels(tr: Callable[[str], str]) -> dict[str, str]:
    return {"Own council": tr("Own council area"), "Rest of the CCR": tr("Rest of the region"),
            "Rest of Wales": tr("Rest of Wales"), "Rest of UK": tr("Rest of the UK"), "Unknown": tr("Not known")}


def plot_category(values: pd.DataFrame, category: str, council: str | None = None, top: int = 10, ax=None,
                  translate: Callable[[str], str] | None = None):
    """Draw the largest suppliers of one category, coloured by where they are based.

    Parameters
    ----------
    values : pandas.DataFrame
        A supplier-value table (:func:`supplier_values`).
    category : str
        The category to draw.
    council : str, optional
        The council whose suppliers are "own council area".
    top : int, default 10
        How many suppliers to draw.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure otherwise.
    translate : callable, optional
        Translates the chart's own words; English by default.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``values`` is not a DataFrame.
    ValueError
        If a column is missing, ``category`` is not in the table or ``top`` is not a whole number of at least 1.
    """
    from matplotlib.patches import Patch

    from curriculum.localism import classify_postcodes

    frame = _frame(values, "values", ("supplier_key", "supplier_name", "postcode", "category", "value"))
    top = _whole(top, "top")
    if category not in set(frame["category"]):
        raise ValueError(f"category {category!r} is not in the table; the categories are: "
                         + ", ".join(sorted(map(str, frame["category"].unique()))[:20]))
    tr = translate or _same
    rows = frame[frame["category"] == category].copy()
    rows["band"] = classify_postcodes(rows["postcode"].astype(object), council)["band"]
    per = (rows.groupby("supplier_key").agg(name=("supplier_name", "first"), value=("value", "sum"), band=("band", "first"))
               .sort_values("value", ascending=False, kind="stable"))
    total = float(per["value"].sum())
    shown = per.head(top).iloc[::-1]
    ax = _axes(ax, figsize=(8, max(2.5, 0.4 * len(shown) + 1.4)))
    y = np.arange(len(shown))
    ax.barh(y, shown["value"] / 1e3, color=[_BAND_COLOURS[b] for b in shown["band"]], height=0.65)
    ax.set_yticks(y, [str(n)[:40] for n in shown["name"]], fontsize=9)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(tr("Money paid (£ thousands)"))
    largest = float(per["value"].iloc[0]) / total if total > 0 and len(per) else 0.0
    ax.set_title(tr("{category}: {n} suppliers, {value}; the largest takes {share}").format(
        category=str(category)[:40], n=len(per), value=format_money(total), share=f"{largest:.0%}"), fontsize=11)
    names = _band_labels(tr)
    present = [b for b in BANDS if (shown["band"] == b).any()]
    ax.legend(handles=[Patch(color=_BAND_COLOURS[b], label=names[b]) for b in present], fontsize=8, loc="lower right")
    return ax


# ------------------------------------------------------------------------------ widgets


def expiry_explorer(dated: pd.DataFrame, as_of, months: int = 12, top: int = 10, value_column: str = "total_value",
                    translate: Callable[[str], str] | None = None):
    """A slider of the expiry horizon that redraws the value expiring by category and lists the largest contracts.

    The view is written with ``Output.append_display_data`` (not by capturing output), so
    headless runs send the kernel no widget messages back (jupyter/nbclient#312).

    Parameters
    ----------
    dated : pandas.DataFrame
        A contracts register through :func:`curriculum.pipeline.add_expiry`.
    as_of : str or pandas.Timestamp
        The date the windows start.
    months : int, default 12
        The horizon shown first (3 to 36 months).
    top : int, default 10
        Categories drawn and contracts listed.
    value_column : str, default "total_value"
        The value summed.
    translate : callable, optional
        Translates the widget's and charts' own words; English by default.

    Returns
    -------
    ipywidgets.VBox
        The slider above the view; display it in a notebook.

    Raises
    ------
    TypeError
        If ``dated`` is not a DataFrame.
    ValueError
        If a column is missing, ``months`` is not a whole number from 3 to 36 or ``top`` below 1.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    _frame(dated, "dated", ("current_expiry", "options_left_months", value_column))
    months = _whole(months, "months", 3)
    if months > 36:
        raise ValueError(f"months must be a whole number from 3 to 36, got {months!r}")
    top = _whole(top, "top")
    tr = translate or _same
    slider = widgets.IntSlider(value=months, min=3, max=36, step=3, description=tr("Months ahead"),
                               style={"description_width": "initial"}, continuous_update=False)
    columns = [c for c in ("title", "supplier_name", "category", value_column, "current_expiry", "options_left_months")
               if c in dated.columns]

    def draw():
        table = expiry_by_category(dated, as_of, slider.value, value_column)
        split = option_split(dated, as_of, slider.value, value_column)
        fig, ax = plt.subplots(figsize=(8, max(2.5, 0.42 * min(top, len(table)) + 1.3)))
        plot_expiry_by_category(table, top=top, ax=ax, translate=translate, title=tr(
            "Expiring within {months} months: {value} in {n} contracts").format(
            months=slider.value, value=format_money(split["value"]), n=split["contracts"]))
        largest = (expiring_within(dated, as_of, slider.value)
                   .sort_values(value_column, ascending=False, na_position="last").head(top)[columns])
        return fig, largest.reset_index(drop=True)

    view = live_view(draw, [slider])
    return widgets.VBox([slider, view])


def category_explorer(values: pd.DataFrame, council: str | None = None, category: str | None = None, top: int = 10,
                      translate: Callable[[str], str] | None = None):
    """A drop-down list of categories that redraws the category's largest suppliers by where they are based.

    Parameters
    ----------
    values : pandas.DataFrame
        A supplier-value table (:func:`supplier_values`).
    council : str, optional
        The council whose suppliers are "own council area".
    category : str, optional
        The category shown first; the one with the most money by default.
    top : int, default 10
        Suppliers drawn.
    translate : callable, optional
        Translates the widget's and chart's own words; English by default.

    Returns
    -------
    ipywidgets.VBox
        The drop-down list above the view; display it in a notebook.

    Raises
    ------
    TypeError
        If ``values`` is not a DataFrame.
    ValueError
        If a column is missing, the table is empty or ``category`` is not in it.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    frame = _frame(values, "values", ("supplier_key", "supplier_name", "postcode", "category", "value"))
    if frame.empty:
        raise ValueError("values is empty: there is no category to show")
    order = frame.groupby("category")["value"].sum().sort_values(ascending=False, kind="stable").index.map(str).tolist()
    if category is not None and category not in order:
        raise ValueError(f"category {category!r} is not in the table")
    tr = translate or _same
    pick = widgets.Dropdown(options=order, value=category or order[0], description=tr("Category"),
                            layout=widgets.Layout(width="32rem"))

    def draw():
        fig, ax = plt.subplots(figsize=(8, 4.6))
        plot_category(frame, pick.value, council=council, top=top, ax=ax, translate=translate)
        return fig

    view = live_view(draw, [pick])
    return widgets.VBox([pick, view])
