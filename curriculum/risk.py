"""Risk scores and false alarms: base rates, natural frequencies and errors by group.

The functions behind the senior module *Risk scores and false alarms*. A risk tool flags
people (children referred to children's services, tenancies, households) who may go on
to have a bad outcome. Whether its flags help depends less on its headline accuracy than
on the **base rate** (how many people have the outcome at all) and on how its errors fall:

- :func:`confusion_from_rates` turns a base rate, sensitivity and specificity into the
  expected natural frequencies of a population (true and false positives and negatives
  out of 1,000 people), rounded to whole people that still add up;
- :func:`flags_per_true_case` is the number of people flagged for each one who has the
  outcome (1 ÷ precision);
- :func:`confusion_table` sums a validation table (the ``risk_tool_results`` dataset:
  counts by group, flag and outcome) into one confusion matrix per group, and
  :func:`group_rates` gives each group's base rate, sensitivity, false positive rate
  (with Wilson intervals from statsmodels), missed cases, precision, accuracy and flags
  per true case;
- :func:`expand_counts` turns the table back into one row per person, so any metric of
  :mod:`sklearn.metrics` can be computed on it;
- :func:`plot_icon_array`, :func:`plot_frequency_tree` and :func:`plot_group_rates` draw
  the charts, and :func:`risk_explorer` puts sliders for the base rate, sensitivity and
  specificity above the frequency tree.

Charts take ``translate`` (a module's :func:`curriculum.translator`) for their own words.
Importing this module changes nothing; matplotlib, statsmodels and ipywidgets are imported
only when used.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from numbers import Real

import numpy as np
import pandas as pd

from curriculum.style import HIGHLIGHT, MUTED
from curriculum.views import axes as _axes
from curriculum.views import untranslated as _same

__all__ = [
    "CELLS", "RATE_COLUMNS", "confusion_from_rates", "confusion_table", "expand_counts", "flags_per_true_case",
    "group_rates", "plot_frequency_tree", "plot_group_rates", "plot_icon_array", "risk_explorer",
]

CELLS: tuple[str, ...] = ("tp", "fp", "fn", "tn")
RATE_COLUMNS: tuple[str, ...] = (
    "people", "cases", "base_rate", "flagged", "tp", "fp", "fn", "tn", "sensitivity", "specificity",
    "false_positive_rate", "fpr_low", "fpr_high", "missed_share", "precision", "accuracy", "flags_per_true_case",
)
_COLOURS = {"tp": HIGHLIGHT, "fp": "#F46A25", "fn": "#12436D", "tn": "#d9d9d9"}


def _share(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a share between 0 and 1 (0.06 for 6%), got {value!r}")
    return float(value)


def _whole(counts: np.ndarray, total: int) -> np.ndarray:
    """Round non-negative counts to whole numbers adding up to ``total`` (largest remainders)."""
    floors = np.floor(counts).astype(int)
    short = total - int(floors.sum())
    if short > 0:
        order = np.argsort(-(counts - floors), kind="stable")
        floors[order[:short]] += 1
    return floors


# --------------------------------------------------------------------------- natural frequencies
def confusion_from_rates(base_rate: float, sensitivity: float, specificity: float, people: int = 1000,
                         whole: bool = True) -> pd.Series:
    """The natural frequencies of a risk tool: what happens to ``people`` people.

    Parameters
    ----------
    base_rate : float
        Share of people who have the outcome (0 to 1).
    sensitivity : float
        Share of those with the outcome whom the tool flags (true positive rate, recall).
    specificity : float
        Share of those without the outcome whom the tool does not flag (1 - false
        positive rate).
    people : int, default 1000
        How many people to describe.
    whole : bool, default True
        Round to whole people (largest remainders within the cases and within the
        others, so every total adds up); False gives the exact expected counts.

    Returns
    -------
    pandas.Series
        ``tp`` (flagged, had the outcome), ``fp`` (flagged, did not: false alarms),
        ``fn`` (not flagged, had it: missed), ``tn``, ``cases``, ``flagged`` and
        ``people``.

    Raises
    ------
    ValueError
        If a rate is not a share between 0 and 1, or ``people`` is not a positive whole
        number.

    Examples
    --------
    >>> confusion_from_rates(0.06, 0.55, 0.92)[["tp", "fp", "fn", "tn"]].tolist()
    [33, 75, 27, 865]
    """
    base, sens, spec = _share(base_rate, "base_rate"), _share(sensitivity, "sensitivity"), \
        _share(specificity, "specificity")
    if isinstance(people, bool) or not isinstance(people, (int, np.integer)) or people <= 0:
        raise ValueError(f"people must be a positive whole number, got {people!r}")
    cases = base * people
    tp, fn = cases * sens, cases * (1 - sens)
    fp, tn = (people - cases) * (1 - spec), (people - cases) * spec
    if whole:
        n_cases = int(_whole(np.array([cases, people - cases]), people)[0])
        tp, fn = _whole(np.array([tp, fn]), n_cases)
        fp, tn = _whole(np.array([fp, tn]), people - n_cases)
        tp, fn, fp, tn = int(tp), int(fn), int(fp), int(tn)
    return pd.Series({"tp": tp, "fp": fp, "fn": fn, "tn": tn, "cases": tp + fn, "flagged": tp + fp,
                      "people": tp + fp + fn + tn})


def flags_per_true_case(tp: float, fp: float) -> float:
    """How many people are flagged for each one who has the outcome.

    Parameters
    ----------
    tp : float
        True positives (flagged and had the outcome), more than 0.
    fp : float
        False positives (flagged, did not have it), 0 or more.

    Returns
    -------
    float
        ``(tp + fp) / tp``, that is 1 ÷ precision: 1 when every flag is right.

    Raises
    ------
    ValueError
        If a count is negative or not a number, or ``tp`` is 0 (no flag was right).

    Examples
    --------
    >>> flags_per_true_case(33, 75)
    3.272727272727273
    """
    for name, value in (("tp", tp), ("fp", fp)):
        if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a count of 0 or more, got {value!r}")
    if tp == 0:
        raise ValueError("tp is 0: no flag was right, so there is no number of flags per true case")
    return float((tp + fp) / tp)


# --------------------------------------------------------------------------- validation tables
def _results(results) -> pd.DataFrame:
    if not isinstance(results, pd.DataFrame):
        raise TypeError(f"results must be a pandas DataFrame, got {type(results).__name__}")
    missing = [c for c in ("flagged", "outcome", "count") if c not in results.columns]
    if missing:
        raise ValueError(f"results lacks the column(s) {', '.join(missing)}; its columns are: "
                         f"{', '.join(map(str, results.columns))}")
    if results.empty:
        raise ValueError("results has no rows")
    for column in ("flagged", "outcome"):
        values = results[column]
        if values.isna().any() or not values.isin([True, False]).all():
            raise ValueError(f"{column} must be True or False on every row")
    counts = pd.to_numeric(results["count"], errors="coerce")
    if counts.isna().any() or (counts < 0).any() or (counts != np.floor(counts)).any():
        raise ValueError("count must be a whole number of people (0 or more) on every row")
    return results


def confusion_table(results: pd.DataFrame, by: str | None = "group") -> pd.DataFrame:
    """Sum a validation table into one confusion matrix per group.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``risk_tool_results`` dataset: ``flagged`` and ``outcome`` (True/False),
        ``count`` and the grouping column.
    by : str or None, default "group"
        The grouping column; None sums everything into one row, ``All``.

    Returns
    -------
    pandas.DataFrame
        One row per group (in order of first appearance) with the whole-number columns
        ``tp``, ``fp``, ``fn`` and ``tn`` (a cell with no row counts 0).

    Raises
    ------
    TypeError
        If ``results`` is not a DataFrame.
    ValueError
        If a column is missing, a flag or outcome is not True/False, or a count is not a
        whole number of 0 or more.
    """
    _results(results)
    frame = results.assign(_cell=np.select(
        [results["flagged"].astype(bool) & results["outcome"].astype(bool),
         results["flagged"].astype(bool) & ~results["outcome"].astype(bool),
         ~results["flagged"].astype(bool) & results["outcome"].astype(bool)], ["tp", "fp", "fn"], "tn"),
        _count=pd.to_numeric(results["count"]).astype("int64"))
    if by is None:
        frame = frame.assign(_group="All")
        by = "_group"
    elif by not in results.columns:
        raise ValueError(f"by: column {by!r} is not in results; its columns are: "
                         f"{', '.join(map(str, results.columns))}")
    order = list(dict.fromkeys(frame[by].astype(str)))
    table = frame.pivot_table(index=frame[by].astype(str), columns="_cell", values="_count", aggfunc="sum",
                              fill_value=0)
    table = table.reindex(index=order, columns=list(CELLS), fill_value=0).astype("int64")
    table.index.name = "group" if by == "_group" else by
    table.columns.name = None
    return table


def group_rates(results: pd.DataFrame, by: str | None = "group", total: bool = True,
                intervals: bool = True) -> pd.DataFrame:
    """Each group's base rate, errors and flags per true case, from a validation table.

    Parameters
    ----------
    results : pandas.DataFrame
        The ``risk_tool_results`` dataset.
    by : str or None, default "group"
        The grouping column; None gives one row, ``All``.
    total : bool, default True
        Add a last row ``All`` for everyone (when grouping).
    intervals : bool, default True
        Add 95% Wilson intervals of the false positive rate (``fpr_low``, ``fpr_high``,
        from :func:`statsmodels.stats.proportion.proportion_confint`); NaN otherwise.

    Returns
    -------
    pandas.DataFrame
        One row per group with the columns of :data:`RATE_COLUMNS`: ``people``,
        ``cases`` (had the outcome), ``base_rate`` (cases ÷ people), ``flagged``, the four
        cells, ``sensitivity`` (tp ÷ cases), ``specificity``, ``false_positive_rate`` (fp ÷
        people without the outcome), its interval, ``missed_share`` (fn ÷ cases),
        ``precision`` (tp ÷ flagged), ``accuracy`` ((tp + tn) ÷ people) and
        ``flags_per_true_case`` (flagged ÷ tp). A rate whose denominator is 0 is NaN.

    Raises
    ------
    TypeError
        If ``results`` is not a DataFrame.
    ValueError
        As :func:`confusion_table`.
    """
    table = confusion_table(results, by)
    if total and by is not None:
        table.loc["All"] = table.sum()
    tp, fp, fn, tn = (table[c].astype(float) for c in CELLS)
    out = pd.DataFrame(index=table.index)
    out["people"] = table.sum(axis=1)
    out["cases"] = table["tp"] + table["fn"]
    out["base_rate"] = (tp + fn) / out["people"].where(out["people"] > 0)
    out["flagged"] = table["tp"] + table["fp"]
    for cell in CELLS:
        out[cell] = table[cell]
    negatives = (fp + tn).where(fp + tn > 0)
    cases = (tp + fn).where(tp + fn > 0)
    out["sensitivity"] = tp / cases
    out["specificity"] = tn / negatives
    out["false_positive_rate"] = fp / negatives
    out["fpr_low"], out["fpr_high"] = np.nan, np.nan
    if intervals:
        from statsmodels.stats.proportion import proportion_confint

        ok = (fp + tn) > 0
        low, high = proportion_confint(fp[ok], (fp + tn)[ok], alpha=0.05, method="wilson")
        out.loc[ok, "fpr_low"], out.loc[ok, "fpr_high"] = np.asarray(low), np.asarray(high)
    out["missed_share"] = fn / cases
    out["precision"] = tp / (tp + fp).where(tp + fp > 0)
    out["accuracy"] = (tp + tn) / out["people"].where(out["people"] > 0)
    out["flags_per_true_case"] = (tp + fp) / tp.where(tp > 0)
    return out[list(RATE_COLUMNS)]


def expand_counts(results: pd.DataFrame, by: str | None = "group") -> pd.DataFrame:
    """One row per person from a validation table (for checks with scikit-learn).

    Parameters
    ----------
    results : pandas.DataFrame
        The ``risk_tool_results`` dataset.
    by : str or None, default "group"
        A column to carry over (None carries none).

    Returns
    -------
    pandas.DataFrame
        ``count`` rows for each row of ``results``, with ``y_true`` (outcome, 0/1),
        ``y_pred`` (flagged, 0/1) and the ``by`` column.

    Raises
    ------
    TypeError
        If ``results`` is not a DataFrame.
    ValueError
        As :func:`confusion_table`, or if ``by`` is not a column.
    """
    _results(results)
    if by is not None and by not in results.columns:
        raise ValueError(f"by: column {by!r} is not in results")
    repeats = pd.to_numeric(results["count"]).astype("int64").to_numpy()
    out = pd.DataFrame({"y_true": np.repeat(results["outcome"].astype(bool).astype(int).to_numpy(), repeats),
                        "y_pred": np.repeat(results["flagged"].astype(bool).astype(int).to_numpy(), repeats)})
    if by is not None:
        out[by] = np.repeat(results[by].to_numpy(), repeats)
    return out


# --------------------------------------------------------------------------- charts
def _cells(confusion) -> dict[str, int]:
    if isinstance(confusion, pd.DataFrame):
        if len(confusion) != 1:
            raise ValueError("confusion must be one confusion matrix (a Series, or a table with one row)")
        confusion = confusion.iloc[0]
    try:
        values = {cell: confusion[cell] for cell in CELLS}
    except (KeyError, TypeError, IndexError):
        raise ValueError(f"confusion must give the counts {', '.join(CELLS)}") from None
    for cell, value in values.items():
        if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value) or value < 0 \
                or value != int(value):
            raise ValueError(f"confusion: {cell} must be a whole number of people, got {value!r}")
    return {cell: int(value) for cell, value in values.items()}


def _labels(tr: Callable[[str], str]) -> dict[str, str]:
    return {"tp": tr("Flagged, and it happened"), "fp": tr("Flagged, but it did not happen (false alarm)"),
            "fn": tr("Not flagged, but it happened (missed)"), "tn": tr("Not flagged, and it did not happen")}


def plot_icon_array(confusion, ax=None, columns: int = 40, title: str | None = None,
                    translate: Callable[[str], str] | None = None):
    """Draw one square per person, coloured by what the tool did and what happened.

    Parameters
    ----------
    confusion : pandas.Series or mapping
        Whole-number counts ``tp``, ``fp``, ``fn``, ``tn`` (from
        :func:`confusion_from_rates`), usually for 1,000 people.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    columns : int, default 40
        Squares per row.
    title : str, optional
        Chart title.
    translate : callable, optional
        Translates the chart's own words (``curriculum.translator(module, language)``).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If a count is missing, negative or not whole, there are more than 10,000 people,
        or ``columns`` is not a positive whole number.
    """
    tr = translate or _same
    cells = _cells(confusion)
    total = sum(cells.values())
    if total == 0 or total > 10_000:
        raise ValueError(f"confusion must describe 1 to 10,000 people, got {total}")
    if isinstance(columns, bool) or not isinstance(columns, (int, np.integer)) or columns <= 0:
        raise ValueError(f"columns must be a positive whole number, got {columns!r}")
    labels = _labels(tr)
    order = ["tp", "fn", "fp", "tn"]  # the cases first, then the false alarms
    kinds = np.concatenate([np.full(cells[c], i) for i, c in enumerate(order)])
    index = np.arange(total)
    x, y = index % columns, index // columns
    ax = _axes(ax)
    for i, cell in enumerate(order):
        hit = kinds == i
        ax.scatter(x[hit], y[hit], marker="s", s=36 if columns <= 40 else 16, color=_COLOURS[cell],
                   label=f"{labels[cell]}: {cells[cell]:,}", linewidths=0)
    ax.set_xlim(-1, columns)
    ax.set_ylim(y.max() + 1, -1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.0), fontsize=9, frameon=False, ncol=1)
    if title:
        ax.set_title(title)
    return ax


def plot_frequency_tree(confusion, ax=None, title: str | None = None, translate: Callable[[str], str] | None = None):
    """Draw the frequency tree: everyone, split by what happened, then by the tool's flag.

    Parameters
    ----------
    confusion : pandas.Series or mapping
        Whole-number counts ``tp``, ``fp``, ``fn``, ``tn``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title; by default the flags per true case.
    translate : callable, optional
        Translates the chart's own words.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If a count is missing, negative or not whole, or there is nobody.
    """
    tr = translate or _same
    cells = _cells(confusion)
    people = sum(cells.values())
    if people == 0:
        raise ValueError("confusion must describe at least one person")
    cases, others = cells["tp"] + cells["fn"], cells["fp"] + cells["tn"]
    ax = _axes(ax)
    boxes = {
        "all": (0.5, 0.88, tr("{n} people").format(n=f"{people:,}"), "#3D3D3D"),
        "cases": (0.25, 0.55, tr("{n} go on to have the outcome").format(n=f"{cases:,}"), "#3D3D3D"),
        "others": (0.75, 0.55, tr("{n} do not").format(n=f"{others:,}"), "#3D3D3D"),
        "tp": (0.11, 0.2, tr("{n} flagged").format(n=f"{cells['tp']:,}"), _COLOURS["tp"]),
        "fn": (0.37, 0.2, tr("{n} missed").format(n=f"{cells['fn']:,}"), _COLOURS["fn"]),
        "fp": (0.63, 0.2, tr("{n} flagged: false alarms").format(n=f"{cells['fp']:,}"), _COLOURS["fp"]),
        "tn": (0.89, 0.2, tr("{n} not flagged").format(n=f"{cells['tn']:,}"), "#3D3D3D"),
    }
    boxes = {key: (x, y, textwrap.fill(text, 14 if key in CELLS else 24), colour)
             for key, (x, y, text, colour) in boxes.items()}
    for parent, children in (("all", ("cases", "others")), ("cases", ("tp", "fn")), ("others", ("fp", "tn"))):
        for child in children:
            ax.plot([boxes[parent][0], boxes[child][0]], [boxes[parent][1] - 0.05, boxes[child][1] + 0.05],
                    color=MUTED, linewidth=1.2)
    for x, y, text, colour in boxes.values():
        ax.text(x, y, text, ha="center", va="center", fontsize=9, color=colour,
                bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": colour, "linewidth": 1.2})
    flagged = cells["tp"] + cells["fp"]
    if cells["tp"] > 0:
        summary = tr("{flagged} flagged, {tp} of whom have the outcome: {ratio} flags per true case").format(
            flagged=f"{flagged:,}", tp=f"{cells['tp']:,}", ratio=f"{flags_per_true_case(cells['tp'], cells['fp']):.1f}")
    else:
        summary = tr("{flagged} flagged, none of whom have the outcome").format(flagged=f"{flagged:,}")
    ax.text(0.5, -0.02, textwrap.fill(summary, 60), ha="center", va="center", fontsize=10, fontweight="bold",
            color=HIGHLIGHT)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.1, 1.0)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def plot_group_rates(rates: pd.DataFrame, ax=None, title: str | None = None,
                     translate: Callable[[str], str] | None = None):
    """Draw each group's false alarm rate and share of cases missed, side by side.

    Parameters
    ----------
    rates : pandas.DataFrame
        From :func:`group_rates` (an ``All`` row is drawn as a reference line).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title.
    translate : callable, optional
        Translates the chart's own words.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``rates`` is not a DataFrame.
    ValueError
        If it lacks ``false_positive_rate`` or ``missed_share`` or has no group row.
    """
    tr = translate or _same
    if not isinstance(rates, pd.DataFrame):
        raise TypeError(f"rates must be a pandas DataFrame, got {type(rates).__name__}")
    missing = [c for c in ("false_positive_rate", "missed_share") if c not in rates.columns]
    if missing:
        raise ValueError(f"rates lacks the column(s) {', '.join(missing)} (use group_rates)")
    groups = rates.drop(index="All", errors="ignore")
    if groups.empty:
        raise ValueError("rates has no group rows")
    ax = _axes(ax)
    y = np.arange(len(groups))
    height = 0.38
    fpr = 100 * groups["false_positive_rate"].to_numpy(dtype=float)
    missed = 100 * groups["missed_share"].to_numpy(dtype=float)
    ax.barh(y - height / 2, np.nan_to_num(fpr), height, color=_COLOURS["fp"],
            label=tr("False alarm rate: % of those without the outcome who were flagged"))
    ax.barh(y + height / 2, np.nan_to_num(missed), height, color=_COLOURS["fn"],
            label=tr("Missed: % of those with the outcome who were not flagged"))
    ends = fpr.copy()
    if {"fpr_low", "fpr_high"} <= set(groups.columns) and groups["fpr_low"].notna().any():
        low, high = 100 * groups["fpr_low"].to_numpy(dtype=float), 100 * groups["fpr_high"].to_numpy(dtype=float)
        ax.errorbar(fpr, y - height / 2, xerr=[fpr - low, high - fpr], fmt="none", ecolor="#3D3D3D", capsize=3,
                    linewidth=1)
        ends = np.fmax(fpr, high)
    for yi, values, at in ((y - height / 2, fpr, ends), (y + height / 2, missed, missed)):
        for yy, value, x in zip(yi, values, at):
            if np.isfinite(value):
                ax.annotate(f"{value:.0f}%", (x, yy), xytext=(4, 0), textcoords="offset points", va="center",
                            fontsize=8)
    ax.set_yticks(y, [str(g) for g in groups.index])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.set_xlabel(tr("Per cent"))
    ax.set_xlim(0, 100)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.14), fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    return ax


def risk_explorer(base_rate: float, sensitivity: float, specificity: float, people: int = 1000,
                  translate: Callable[[str], str] | None = None):
    """Sliders for the base rate, sensitivity and specificity that redraw the frequency tree.

    The view is written into an :class:`ipywidgets.Output` with ``append_display_data``
    (never by capturing output), so a headless run (papermill, nbgrader) cannot stall on
    it (jupyter/nbclient#312).

    Parameters
    ----------
    base_rate, sensitivity, specificity : float
        The starting values (shares between 0 and 1), for example the council's own.
    people : int, default 1000
        How many people the tree describes.
    translate : callable, optional
        Translates the widget's and chart's own words.

    Returns
    -------
    ipywidgets.VBox
        Three sliders above the frequency tree and icon array.

    Raises
    ------
    ValueError
        If a starting value is not a share between 0 and 1, or ``people`` is not a
        positive whole number.
    """
    import ipywidgets as widgets
    from IPython.display import Image
    from matplotlib.figure import Figure

    tr = translate or _same
    confusion_from_rates(base_rate, sensitivity, specificity, people)  # checks the arguments
    style = {"description_width": "initial"}
    layout = widgets.Layout(width="520px")
    pick_base = widgets.FloatSlider(value=min(max(round(100 * base_rate, 1), 0.1), 50), min=0.1, max=50, step=0.1,
                                    description=tr("Base rate (%)"), style=style, layout=layout)
    pick_sens = widgets.FloatSlider(value=max(round(100 * sensitivity, 1), 1), min=1, max=100, step=0.1,
                                    description=tr("Sensitivity (%)"), style=style, layout=layout)
    pick_spec = widgets.FloatSlider(value=min(max(round(100 * specificity, 1), 50), 99.9), min=50, max=99.9,
                                    step=0.1, description=tr("Specificity (%)"), style=style, layout=layout)
    view = widgets.Output()

    def redraw(change=None) -> None:
        view.outputs = ()
        cells = confusion_from_rates(pick_base.value / 100, pick_sens.value / 100, pick_spec.value / 100, people)
        figure = Figure(figsize=(11, 4.2))
        left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
        plot_frequency_tree(cells, ax=left, translate=translate)
        plot_icon_array(cells, ax=right, translate=translate)
        png = io.BytesIO()
        figure.savefig(png, format="png", bbox_inches="tight")
        view.append_display_data(Image(data=png.getvalue(), format="png"))
        exact = confusion_from_rates(pick_base.value / 100, pick_sens.value / 100, pick_spec.value / 100, people,
                                     whole=False)
        if exact["tp"] > 0:
            view.append_stdout(tr("Exactly, at these rates: {ratio} flags per true case.").format(
                ratio=f"{flags_per_true_case(exact['tp'], exact['fp']):.1f}") + "\n")

    for slider in (pick_base, pick_sens, pick_spec):
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([pick_base, pick_sens, pick_spec, view])
