"""What counts as evidence: Nesta's Standards of Evidence, reading an evaluation, and when to demand a trial.

The functions behind the senior module *What counts as evidence*, reusable with any
shortlist of options (the ``candidate_solutions`` dataset) and the summaries of their
evaluations (the ``evaluation_summaries`` dataset: one row per study, with its design,
participants, effect and 95% range, and whether it was independent):

- :data:`NESTA_LEVELS` and :data:`DESIGNS` hold Nesta's Standards of Evidence (Puttick and
  Ludlow, 2013) and the study designs that reach them; :func:`nesta_level_from_design`
  gives the highest level one study of a design can support, and :func:`evidence_level`
  the level a body of studies supports (levels 4 and 5 need replication and manuals);
- :func:`effect_interval` turns outcome counts into an effect in percentage points with
  its 95% range (statsmodels), :func:`interval_includes_zero` reads a range, and
  :func:`cost_per_outcome` divides a cost per participant by an effect;
- :func:`add_design_levels`, :func:`best_study` and :func:`evidence_card` answer the five
  questions of a five-minute read of an evaluation;
- :func:`trial_advice` applies the Magenta Book's proportionality to the question "should
  we demand a trial?" (the decision's cost, reversibility, uncertainty and whether a
  randomised or stepped roll-out is feasible), and :func:`advice_text` explains it;
- :func:`plot_effects` (a forest plot of effects and ranges) and
  :func:`plot_evidence_map` (evidence against cost) draw the charts in the house style,
  and :func:`evidence_explorer` and :func:`trial_explorer` are the notebook widgets.

Effects are recorded so that a positive effect means better: a percentage-point change in
the share of participants reaching a good outcome (for an outcome where lower is better,
such as admissions, a fall is entered as a positive number).

Importing this module changes nothing; matplotlib and ipywidgets are imported only when
plotting or building widgets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

from curriculum.style import HIGHLIGHT, MUTED
from curriculum.views import axes as _axes
from curriculum.views import live_view
from curriculum.views import untranslated as _same

__all__ = [
    "ADVICE", "DESIGNS", "NESTA_LEVELS", "TRIAL_THRESHOLD", "EvidenceCard", "add_design_levels", "advice_text",
    "best_study", "cost_per_outcome", "design_table", "effect_interval", "evidence_card", "evidence_explorer",
    "evidence_level", "interval_includes_zero", "nesta_level_from_design", "plot_effects", "plot_evidence_map",
    "trial_advice", "trial_explorer",
]

#: Nesta's Standards of Evidence: level -> (short name, what the level asks for).
NESTA_LEVELS: dict[int, tuple[str, str]] = {
    1: ("A logical reason", "You can describe what you do and why it matters, logically, coherently and convincingly."),
    2: ("Data show change", "You capture data that show positive change, but you cannot confirm you caused it."),
    3: ("Causation", "You can show causality, using a control or comparison group."),
    4: ("Independent replication", "One or more independent replication evaluations confirm these conclusions."),
    5: ("Consistent replication", "Manuals, systems and procedures ensure consistent replication and positive impact."),
}

#: Study designs a summary may name -> (the highest Nesta level one such study can support, what it compares).
DESIGNS: dict[str, tuple[int, str]] = {
    "logic model": (1, "no outcome data: a reasoned case why it should work"),
    "before and after": (2, "the same people or places before and after, with no comparison group"),
    "correlation": (2, "users compared with non-users at one time, without adjusting for how they differ"),
    "comparison group": (3, "people or places that got it against similar ones that did not"),
    "randomised trial": (3, "people or places allocated at random to get it or not"),
}

_SYNONYMS: dict[str, str] = {
    "theory of change": "logic model", "logic model only": "logic model", "logical reasoning": "logic model",
    "before after": "before and after", "pre post": "before and after", "pre and post": "before and after",
    "uncontrolled before and after": "before and after", "outcome monitoring": "before and after",
    "monitoring data": "before and after", "case study": "before and after",
    "cross sectional": "correlation", "correlational": "correlation", "association": "correlation",
    "matched comparison": "comparison group", "matched comparison group": "comparison group",
    "quasi experimental": "comparison group", "quasi experiment": "comparison group",
    "difference in differences": "comparison group", "propensity score matching": "comparison group",
    "regression discontinuity": "comparison group", "controlled before and after": "comparison group",
    "randomised controlled trial": "randomised trial", "randomized controlled trial": "randomised trial",
    "randomized trial": "randomised trial", "rct": "randomised trial", "cluster randomised trial": "randomised trial",
    "stepped wedge": "randomised trial", "stepped wedge trial": "randomised trial",
}

#: Annual cost (GBP) from which a decision is big enough that a trial usually pays for itself;
#: a stand-in for a council's key-decision threshold.
TRIAL_THRESHOLD = 250_000

#: Keys of :func:`trial_advice` -> the advice in English (translate with :func:`advice_text`).
ADVICE: dict[str, str] = {
    "adopt": "Adopt it and keep to the model: the evidence is strong and replicated. Commission a process "
             "evaluation and monitor outcomes, to check it works here as it did elsewhere.",
    "trial": "Demand a trial before committing everywhere: randomise who (or which area) gets it first, or roll it "
             "out in steps in a random order, and compare those who have it with those still waiting.",
    "comparison": "Pilot it with a comparison group (matched people or areas that do not get it yet), because random "
                  "allocation is not feasible, and decide on the results.",
    "test": "Test and learn: try it on a small scale, monitor outcomes and costs, and stop or adapt quickly. "
            "The decision is small and easy to undo, so a trial would cost more than it saves.",
}

_CARD_COLUMNS = ("evaluation_id", "study", "design", "design_level", "outcome", "sample_size", "effect", "ci_low",
                 "ci_high", "includes_zero", "independent", "evaluator", "setting", "year")
_DESIGN_COLOUR = "#12436D"   # studies with a comparison group
_WEAK_COLOUR = "#BFBFBF"     # studies without one


def _normalised(design: str) -> str:
    text = re.sub(r"[^a-z0-9 ]+", " ", design.lower().replace("-", " ").replace("/", " "))
    return re.sub(r"\s+", " ", text).strip()


def _canonical(design) -> str | None:
    if not isinstance(design, str):
        return None
    key = _normalised(design)
    if key in DESIGNS:
        return key
    return _SYNONYMS.get(key)


def nesta_level_from_design(design: str) -> int:
    """Return the highest Nesta level that one study of a design can support.

    A logic model reaches level 1; a before-and-after study or a correlation, level 2 (the
    data show change, not its cause); a comparison-group study or a randomised trial, level 3
    (causation). No single study reaches level 4 (it needs an independent replication) or
    level 5 (manuals and systems that make replication consistent): see :func:`evidence_level`.

    Parameters
    ----------
    design : str
        A design in :data:`DESIGNS` or a common synonym ("RCT", "quasi-experimental",
        "pre-post", "matched comparison", "stepped wedge"...), in any case.

    Returns
    -------
    int
        1, 2 or 3.

    Raises
    ------
    TypeError
        If ``design`` is not a string.
    ValueError
        If ``design`` is not a design this module knows.

    Examples
    --------
    >>> nesta_level_from_design("Before and after"), nesta_level_from_design("RCT")
    (2, 3)
    """
    if not isinstance(design, str):
        raise TypeError(f"design must be a string such as 'before and after', got {type(design).__name__}")
    canonical = _canonical(design)
    if canonical is None:
        raise ValueError(f"design {design!r} is not a study design this module knows; use one of: "
                         f"{', '.join(DESIGNS)} (or a synonym such as 'RCT' or 'quasi-experimental')")
    return DESIGNS[canonical][0]


def design_table(translate: Callable[[str], str] | None = None) -> pd.DataFrame:
    """The study designs and the Nesta level one study of each can reach.

    Parameters
    ----------
    translate : callable, optional
        Translates the table's words (``curriculum.translator(module, language)``).

    Returns
    -------
    pandas.DataFrame
        One row per design: ``design``, ``compares`` and ``highest_level``.
    """
    tr = translate or _same
    words = _design_words(tr)
    meaning = _design_meanings(tr)
    return pd.DataFrame({"design": [words[d] for d in DESIGNS], "compares": [meaning[d] for d in DESIGNS],
                         "highest_level": [level for level, _ in DESIGNS.values()]})


def _design_words(tr: Callable[[str], str]) -> dict[str, str]:
    return {"logic model": tr("logic model"), "before and after": tr("before and after"),
            "correlation": tr("correlation"), "comparison group": tr("comparison group"),
            "randomised trial": tr("randomised trial")}


def _design_meanings(tr: Callable[[str], str]) -> dict[str, str]:
    return {
        "logic model": tr("no outcome data: a reasoned case why it should work"),
        "before and after": tr("the same people or places before and after, with no comparison group"),
        "correlation": tr("users compared with non-users at one time, without adjusting for how they differ"),
        "comparison group": tr("people or places that got it against similar ones that did not"),
        "randomised trial": tr("people or places allocated at random to get it or not"),
    }


def _level_names(tr: Callable[[str], str]) -> dict[int, str]:
    return {1: tr("A logical reason"), 2: tr("Data show change"), 3: tr("Causation"),
            4: tr("Independent replication"), 5: tr("Consistent replication")}


def _number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (Real, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def interval_includes_zero(ci_low: float, ci_high: float) -> bool:
    """Say whether an effect's range (confidence interval) includes zero.

    A range that includes zero means the study cannot rule out that the intervention made
    no difference (or did harm).

    Parameters
    ----------
    ci_low, ci_high : float
        The lower and upper ends of the range.

    Returns
    -------
    bool

    Raises
    ------
    TypeError
        If either end is not a number.
    ValueError
        If either end is not finite or ``ci_low`` exceeds ``ci_high``.
    """
    low, high = _number(ci_low, "ci_low"), _number(ci_high, "ci_high")
    if low > high:
        raise ValueError(f"ci_low ({low}) must not exceed ci_high ({high})")
    return low <= 0 <= high


def cost_per_outcome(cost_per_participant: float, effect: float) -> float:
    """Return the cost of one extra good outcome: cost per participant ÷ (effect ÷ 100).

    An effect of 5 percentage points means 5 extra good outcomes for every 100 participants
    (one for every 20), so each extra outcome costs 20 times the cost per participant.

    Parameters
    ----------
    cost_per_participant : float
        Cost of serving one participant (GBP), not negative.
    effect : float
        The effect in percentage points, positive (better).

    Returns
    -------
    float
        GBP per extra outcome.

    Raises
    ------
    TypeError
        If an argument is not a number.
    ValueError
        If ``cost_per_participant`` is negative or ``effect`` is not positive (no extra
        outcomes to pay for).
    """
    cost, effect = _number(cost_per_participant, "cost_per_participant"), _number(effect, "effect")
    if cost < 0:
        raise ValueError(f"cost_per_participant must not be negative, got {cost}")
    if effect <= 0:
        raise ValueError(f"effect must be positive (percentage points of extra good outcomes) to give a cost per "
                         f"outcome, got {effect}")
    return cost / (effect / 100)


def effect_interval(events_1: int, n_1: int, events_0: int, n_0: int, alpha: float = 0.05,
                    method: str = "newcomb") -> tuple[float, float, float]:
    """Return the difference in the share reaching an outcome, in percentage points, with its range.

    Group 1 got the intervention (or was measured after); group 0 is the comparison (or the
    measurement before). The range is statsmodels' confidence interval for a difference of
    two independent proportions.

    Parameters
    ----------
    events_1, n_1 : int
        Participants reaching the outcome, and participants, in group 1.
    events_0, n_0 : int
        The same in group 0.
    alpha : float, default 0.05
        1 - the confidence level (0.05 gives a 95% range).
    method : str, default "newcomb"
        ``"newcomb"`` (Newcombe's hybrid score interval, good with small groups) or
        ``"wald"`` (the textbook normal approximation).

    Returns
    -------
    tuple of float
        (effect, ci_low, ci_high) in percentage points.

    Raises
    ------
    ValueError
        If a count is negative, events exceed participants, a group is empty, ``alpha``
        is not between 0 and 1, or ``method`` is unknown.
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    counts = {"events_1": events_1, "n_1": n_1, "events_0": events_0, "n_0": n_0}
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{name} must be a whole number of people, not negative; got {value!r}")
    if n_1 == 0 or n_0 == 0:
        raise ValueError(f"each group needs participants; got n_1={n_1}, n_0={n_0}")
    if events_1 > n_1 or events_0 > n_0:
        raise ValueError(f"events cannot exceed participants; got events_1={events_1} of n_1={n_1}, "
                         f"events_0={events_0} of n_0={n_0}")
    if isinstance(alpha, bool) or not isinstance(alpha, Real) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    if method not in ("newcomb", "wald"):
        raise ValueError(f"method must be 'newcomb' or 'wald', got {method!r}")
    low, high = confint_proportions_2indep(int(events_1), int(n_1), int(events_0), int(n_0), method=method,
                                           compare="diff", alpha=float(alpha))
    effect = events_1 / n_1 - events_0 / n_0
    return 100 * effect, 100 * float(low), 100 * float(high)


def _studies(studies, name: str = "studies") -> pd.DataFrame:
    if not isinstance(studies, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame (the evaluation_summaries dataset), "
                        f"got {type(studies).__name__}")
    missing = {"design", "effect", "ci_low", "ci_high"} - set(studies.columns)
    if missing:
        raise ValueError(f"{name} lacks the column(s) {sorted(missing)}; it needs design, effect, ci_low and ci_high")
    return studies


def add_design_levels(studies: pd.DataFrame) -> pd.DataFrame:
    """Add each study's design level and whether its range includes zero.

    Parameters
    ----------
    studies : pandas.DataFrame
        Evaluation summaries with ``design``, ``effect``, ``ci_low`` and ``ci_high``.

    Returns
    -------
    pandas.DataFrame
        A copy with ``design_level`` (the level one study of its design supports; blank for
        a design this module does not know) and ``includes_zero`` (blank without a range).

    Raises
    ------
    TypeError
        If ``studies`` is not a DataFrame.
    ValueError
        If a needed column is missing.
    """
    out = _studies(studies).copy()
    out["design_level"] = pd.array([DESIGNS[c][0] if c else pd.NA for c in map(_canonical, out["design"])],
                                   dtype="Int64")
    low, high = out["ci_low"].astype("Float64"), out["ci_high"].astype("Float64")
    out["includes_zero"] = ((low <= 0) & (high >= 0)).astype("boolean")
    return out


def evidence_level(studies: pd.DataFrame, manual: bool = False) -> int:
    """Return the Nesta level that a body of evaluations of one intervention supports.

    - **1**: at least one study, but none shows positive change (for example a logic model);
    - **2**: a study with outcome data shows positive change (an effect above zero);
    - **3**: a comparison-group study or randomised trial shows an effect whose whole
      95% range is above zero (causation);
    - **4**: two or more such studies, at least one of them independent (replication);
    - **5**: level 4, and manuals and systems make replication consistent (``manual``).

    Parameters
    ----------
    studies : pandas.DataFrame
        The evaluation summaries of one intervention, with ``design``, ``effect``,
        ``ci_low``, ``ci_high`` and ``independent`` (True when the evaluator was neither the
        provider nor the commissioner). Studies of designs this module does not know count
        as level 1.
    manual : bool, default False
        Whether manuals, systems and procedures ensure consistent replication.

    Returns
    -------
    int
        0 when no study is summarised, otherwise 1 to 5.

    Raises
    ------
    TypeError
        If ``studies`` is not a DataFrame or ``manual`` is not True or False.
    ValueError
        If a needed column is missing.
    """
    if not isinstance(manual, (bool, np.bool_)):
        raise TypeError(f"manual must be True or False, got {manual!r}")
    frame = add_design_levels(studies)
    if "independent" not in frame.columns:
        raise ValueError("studies lacks the column 'independent' (True when the evaluator was independent)")
    if frame.empty:
        return 0
    level = frame["design_level"].fillna(1).astype(int)
    effect = frame["effect"].astype("Float64")
    change = (level >= 2) & (effect > 0).fillna(False)
    causal = (level >= 3) & (frame["ci_low"].astype("Float64") > 0).fillna(False)
    independent = frame["independent"].astype("boolean").fillna(False)
    if causal.sum() >= 2 and (causal & independent).any():
        return 5 if manual else 4
    if causal.any():
        return 3
    if change.any():
        return 2
    return 1


def best_study(studies: pd.DataFrame) -> pd.Series:
    """Return the study a five-minute read should start with.

    The strongest design first (randomised trial and comparison group, then before and
    after or correlation, then a logic model; unknown designs last), then independent
    evaluations, then the most participants.

    Parameters
    ----------
    studies : pandas.DataFrame
        Evaluation summaries of one intervention (``design``, ``effect``, ``ci_low``,
        ``ci_high``; ``independent`` and ``sample_size`` are used when present).

    Returns
    -------
    pandas.Series
        That study's row, with ``design_level`` and ``includes_zero`` added.

    Raises
    ------
    TypeError
        If ``studies`` is not a DataFrame.
    ValueError
        If it has no rows or lacks a needed column.
    """
    frame = add_design_levels(studies)
    if frame.empty:
        raise ValueError("studies has no rows: there is no evaluation to read")
    key = pd.DataFrame({
        "level": frame["design_level"].fillna(0).astype(int),
        "randomised": frame["design"].map(lambda d: _canonical(d) == "randomised trial"),
        "independent": (frame["independent"].astype("boolean").fillna(False) if "independent" in frame
                        else pd.Series(False, index=frame.index)),
        "size": (pd.to_numeric(frame["sample_size"], errors="coerce").fillna(0) if "sample_size" in frame
                 else pd.Series(0, index=frame.index)),
    }, index=frame.index)
    order = key.sort_values(["level", "randomised", "independent", "size"], ascending=False, kind="stable").index
    return frame.loc[order[0]]


def _money(value: float) -> str:
    return f"£{value:,.0f}"


def _points(value: float) -> str:
    return f"{value:+.1f}"


@dataclass(frozen=True)
class EvidenceCard:
    """One option's evidence, as a leader reads it in five minutes (from :func:`evidence_card`).

    Attributes
    ----------
    solution_id, solution : str
        The option.
    level : int
        The Nesta level its evaluations support (:func:`evidence_level`).
    recorded_level : int or None
        The level the shortlist records, when it has one.
    cost_per_participant : float
        From the shortlist.
    best : pandas.Series or None
        The study the card reads (:func:`best_study`); None when none is summarised.
    cost_per_outcome : float
        GBP per extra outcome from the best study's effect; NaN when it has no positive effect.
    summary : pandas.DataFrame
        The five questions and their answers (columns ``question`` and ``answer``).
    studies : pandas.DataFrame
        All the option's studies, strongest first.
    """

    solution_id: str
    solution: str
    level: int
    recorded_level: int | None
    cost_per_participant: float
    best: pd.Series | None
    cost_per_outcome: float
    summary: pd.DataFrame
    studies: pd.DataFrame

    def to_markdown(self, rows: int | None = None) -> str:
        """Return the card's questions and answers as a Markdown list.

        Parameters
        ----------
        rows : int, optional
            Show only the first ``rows`` questions (all by default).

        Returns
        -------
        str
            One bullet per question: the question in bold, then its answer.

        Raises
        ------
        ValueError
            If ``rows`` is not a positive whole number.
        """
        if rows is not None and (isinstance(rows, bool) or not isinstance(rows, (int, np.integer)) or rows < 1):
            raise ValueError(f"rows must be a positive whole number, got {rows!r}")
        shown = self.summary if rows is None else self.summary.head(rows)
        return "\n".join(f"- **{q}** {a}" for q, a in zip(shown["question"], shown["answer"]))


def _shortlist(shortlist, name: str = "shortlist") -> pd.DataFrame:
    if not isinstance(shortlist, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame (the candidate_solutions dataset), "
                        f"got {type(shortlist).__name__}")
    missing = {"solution_id", "solution", "cost_per_participant"} - set(shortlist.columns)
    if missing:
        raise ValueError(f"{name} lacks the column(s) {sorted(missing)}")
    return shortlist


def _option(shortlist: pd.DataFrame, solution_id: str) -> pd.Series:
    hit = shortlist["solution_id"].astype(str) == str(solution_id)
    if not hit.any():
        raise ValueError(f"solution_id {solution_id!r} is not on the shortlist; the options are: "
                         f"{', '.join(map(str, shortlist['solution_id']))}")
    return shortlist.loc[hit].iloc[0]


def _order(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    ranks = []
    rest = frame
    while not rest.empty:
        top = best_study(rest)
        ranks.append(top.name)
        rest = rest.drop(index=top.name)
    return frame.loc[ranks]


def evidence_card(shortlist: pd.DataFrame, studies: pd.DataFrame, solution_id: str,
                  translate: Callable[[str], str] | None = None) -> EvidenceCard:
    """Answer the five questions of a five-minute read for one option on the shortlist.

    What was compared with what? How big was the effect, and its range? Who was in it? Who
    did it? What does an extra outcome cost? The answers come from the option's strongest
    study (:func:`best_study`); the card also gives the Nesta level of all its studies.

    Parameters
    ----------
    shortlist : pandas.DataFrame
        The candidate solutions (``solution_id``, ``solution``, ``cost_per_participant``;
        ``evidence_level`` is shown when present).
    studies : pandas.DataFrame
        The evaluation summaries of the whole shortlist (``solution_id``, ``design``,
        ``effect``, ``ci_low``, ``ci_high``, ``independent``; ``outcome``,
        ``sample_size``, ``evaluator`` and ``setting`` are used when present).
    solution_id : str
        The option to describe.
    translate : callable, optional
        Translates the card's words (``curriculum.translator(module, language)``).

    Returns
    -------
    EvidenceCard

    Raises
    ------
    TypeError
        If ``shortlist`` or ``studies`` is not a DataFrame.
    ValueError
        If a needed column is missing or ``solution_id`` is not on the shortlist.
    """
    tr = translate or _same
    shortlist = _shortlist(shortlist)
    studies = _studies(studies)
    if "solution_id" not in studies.columns:
        raise ValueError("studies lacks the column 'solution_id' that links each study to an option")
    option = _option(shortlist, solution_id)
    mine = add_design_levels(studies[studies["solution_id"].astype(str) == str(solution_id)])
    mine = _order(mine)
    level = evidence_level(mine) if "independent" in mine.columns else 0
    recorded = (int(option["evidence_level"]) if "evidence_level" in option.index and pd.notna(option["evidence_level"])
                else None)
    cost = float(option["cost_per_participant"])
    names = _level_names(tr)
    questions = [tr("What was compared with what?"), tr("How big was the effect, and its range?"),
                 tr("Who was in it?"), tr("Who did it?"), tr("What does an extra outcome cost?"),
                 tr("Nesta level of all its studies")]
    best = mine.iloc[0] if not mine.empty else None
    per_outcome = float("nan")
    if best is None:
        answers = [tr("No evaluation is summarised for this option.")] * 5
    else:
        canonical = _canonical(best["design"])
        meaning = _design_meanings(tr).get(canonical, "")
        design = _design_words(tr).get(canonical, str(best["design"]))
        compared = (tr("{design}: {meaning}").format(design=design[:1].upper() + design[1:], meaning=meaning)
                    if meaning else str(best["design"]))
        outcome = best.get("outcome")
        outcome = str(outcome) if isinstance(outcome, str) and outcome.strip() else tr("the outcome")
        if pd.isna(best["effect"]):
            size = tr("No effect measured.")
        elif pd.isna(best["ci_low"]) or pd.isna(best["ci_high"]):
            size = tr("{effect} percentage points on '{outcome}' (no range given)").format(
                effect=_points(best["effect"]), outcome=outcome)
        else:
            size = tr("{effect} percentage points on '{outcome}' (95% range {low} to {high})").format(
                effect=_points(best["effect"]), outcome=outcome, low=_points(best["ci_low"]), high=_points(best["ci_high"]))
            if bool(best["includes_zero"]):
                size += " " + tr("The range includes zero: it may have made no difference.")
        n = best.get("sample_size")
        setting = best.get("setting")
        setting = str(setting) if isinstance(setting, str) and setting.strip() else tr("setting not recorded")
        who = (tr("{n} participants; {setting}").format(n=f"{int(n):,}", setting=setting) if pd.notna(n)
               else tr("Participants not recorded; {setting}").format(setting=setting))
        evaluator = best.get("evaluator")
        evaluator = str(evaluator) if isinstance(evaluator, str) and evaluator.strip() else tr("evaluator not recorded")
        independent = best.get("independent")
        did = (tr("{evaluator} (independent)") if independent is True or (pd.notna(independent) and bool(independent))
               else tr("{evaluator} (not independent)")).format(evaluator=evaluator)
        if pd.notna(best["effect"]) and best["effect"] > 0:
            per_outcome = cost_per_outcome(cost, float(best["effect"]))
            price = tr("{cost} per participant ÷ {effect} points × 100 = {per} per extra outcome").format(
                cost=_money(cost), effect=f"{best['effect']:.1f}", per=_money(per_outcome))
            if pd.notna(best["includes_zero"]) and bool(best["includes_zero"]):
                price += " " + tr("Treat it with care: the range includes zero, so there may be no extra outcomes at all.")
        else:
            price = tr("Not calculable: the study found no positive effect.")
        answers = [compared, size, who, did, price]
    level_text = tr("Level {level}: {name}").format(level=level, name=names[level]) if level else tr("None recorded")
    if recorded is not None and recorded != level:
        level_text += " " + tr("(the shortlist records level {recorded})").format(recorded=recorded)
    summary = pd.DataFrame({"question": questions, "answer": answers + [level_text]})
    shown = mine[[c for c in _CARD_COLUMNS if c in mine.columns]].reset_index(drop=True)
    return EvidenceCard(solution_id=str(option["solution_id"]), solution=str(option["solution"]), level=level,
                        recorded_level=recorded, cost_per_participant=cost, best=best, cost_per_outcome=per_outcome,
                        summary=summary, studies=shown)


def trial_advice(evidence_level: int, cost: float, *, reversible: bool, can_stage: bool,
                 threshold: float = TRIAL_THRESHOLD) -> str:
    """Say whether to demand a trial before a decision, following the Magenta Book's proportionality.

    - Strong, replicated evidence (Nesta level 4 or 5): ``"adopt"`` it with fidelity, with a
      process evaluation and monitoring.
    - Otherwise, when the decision is big (``cost`` at or above ``threshold``) or hard to
      undo: ``"trial"`` (a randomised or stepped roll-out) when people or areas can start at
      different times, else ``"comparison"`` (a pilot with a matched comparison group).
    - Otherwise (small and easy to undo): ``"test"`` (test and learn, with monitoring).

    Parameters
    ----------
    evidence_level : int
        The option's Nesta level, 1 to 5 (the uncertainty).
    cost : float
        What the decision commits (GBP), not negative.
    reversible : bool
        Whether the decision is easy to undo (no long contract, no service closed).
    can_stage : bool
        Whether it can start with some people or areas before others, in an order that can
        be randomised.
    threshold : float, default TRIAL_THRESHOLD
        The cost from which a decision counts as big.

    Returns
    -------
    str
        A key of :data:`ADVICE`.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``evidence_level`` is not 1 to 5, or ``cost`` or ``threshold`` is negative.
    """
    if isinstance(evidence_level, bool) or not isinstance(evidence_level, (int, np.integer)):
        raise TypeError(f"evidence_level must be a whole number from 1 to 5, got {evidence_level!r}")
    if not 1 <= evidence_level <= 5:
        raise ValueError(f"evidence_level must be from 1 to 5 (Nesta's levels), got {evidence_level}")
    cost, threshold = _number(cost, "cost"), _number(threshold, "threshold")
    if cost < 0 or threshold < 0:
        raise ValueError(f"cost and threshold must not be negative, got cost={cost}, threshold={threshold}")
    for name, flag in (("reversible", reversible), ("can_stage", can_stage)):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {flag!r}")
    if evidence_level >= 4:
        return "adopt"
    if cost >= threshold or not reversible:
        return "trial" if can_stage else "comparison"
    return "test"


def advice_text(key: str, translate: Callable[[str], str] | None = None) -> str:
    """Return the advice of :func:`trial_advice` in words.

    Parameters
    ----------
    key : str
        A key of :data:`ADVICE`.
    translate : callable, optional
        Translates the advice (``curriculum.translator(module, language)``).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``key`` is not a key of :data:`ADVICE`.
    """
    tr = translate or _same
    texts = {
        "adopt": tr("Adopt it and keep to the model: the evidence is strong and replicated. Commission a process "
                    "evaluation and monitor outcomes, to check it works here as it did elsewhere."),
        "trial": tr("Demand a trial before committing everywhere: randomise who (or which area) gets it first, or "
                    "roll it out in steps in a random order, and compare those who have it with those still waiting."),
        "comparison": tr("Pilot it with a comparison group (matched people or areas that do not get it yet), because "
                         "random allocation is not feasible, and decide on the results."),
        "test": tr("Test and learn: try it on a small scale, monitor outcomes and costs, and stop or adapt quickly. "
                   "The decision is small and easy to undo, so a trial would cost more than it saves."),
    }
    if key not in texts:
        raise ValueError(f"key {key!r} is not a piece of advice; the keys are: {', '.join(ADVICE)}")
    return texts[key]


def plot_effects(studies: pd.DataFrame, names: Mapping[str, str] | None = None, highlight: str | None = None,
                 ax=None, title: str | None = None, translate: Callable[[str], str] | None = None):
    """Draw a forest plot: each study's effect (dot) and 95% range (line) against a line at zero.

    Studies with a comparison group (comparison group, randomised trial) are drawn in dark
    blue, the others in light grey, and the studies of ``highlight`` in
    :data:`~curriculum.style.HIGHLIGHT`. Studies without an effect (a logic model) are left out.

    Parameters
    ----------
    studies : pandas.DataFrame
        Evaluation summaries (``design``, ``effect``, ``ci_low``, ``ci_high``; ``solution_id``
        and ``study`` label the rows when present).
    names : mapping, optional
        solution_id -> the option's name, for the labels.
    highlight : str, optional
        A solution_id whose studies to draw in colour.
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
        If ``studies`` is not a DataFrame.
    ValueError
        If a needed column is missing, no study has an effect and a range, or ``highlight``
        is not a solution_id of the studies.
    """
    from matplotlib.lines import Line2D

    tr = translate or _same
    frame = add_design_levels(studies)
    frame = frame[frame[["effect", "ci_low", "ci_high"]].notna().all(axis=1)]
    if frame.empty:
        raise ValueError("no study in studies has an effect with a range (ci_low, ci_high) to draw")
    ids = frame["solution_id"].astype(str) if "solution_id" in frame else pd.Series("", index=frame.index)
    if highlight is not None and str(highlight) not in set(ids):
        raise ValueError(f"highlight {highlight!r} is not a solution_id of the studies; they are: "
                         f"{', '.join(sorted(set(ids)))}")
    names = dict(names or {})
    frame = frame.assign(_id=ids, _name=[names.get(i, i) for i in ids])
    frame = frame.sort_values(["_name", "design_level"], ascending=[False, True], kind="stable")
    ax = _axes(ax)
    y = np.arange(len(frame))
    for row, (_, study) in zip(y, frame.iterrows()):
        strong = pd.notna(study["design_level"]) and study["design_level"] >= 3
        colour = HIGHLIGHT if highlight is not None and study["_id"] == str(highlight) else (
            _DESIGN_COLOUR if strong else _WEAK_COLOUR)
        ax.plot([study["ci_low"], study["ci_high"]], [row, row], color=colour, linewidth=2.2, solid_capstyle="butt")
        ax.scatter([study["effect"]], [row], color=colour if strong else "white", edgecolor=colour, s=55, zorder=3,
                   linewidth=1.6)
    labels = [f"{n}: {d}" if n else str(d) for n, d in zip(frame["_name"], frame["design"])]
    ax.set_yticks(y, labels, fontsize=8)
    ax.axvline(0, color="#3D3D3D", linewidth=1)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(tr("Effect in percentage points (dot) and its 95% range (line)"))
    handles = [Line2D([0], [0], color=_DESIGN_COLOUR, marker="o", linewidth=2, label=tr("with a comparison group")),
               Line2D([0], [0], color=_WEAK_COLOUR, marker="o", markerfacecolor="white", linewidth=2,
                      label=tr("no comparison group"))]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    return ax


def plot_evidence_map(shortlist: pd.DataFrame, highlight: str | None = None, ax=None, title: str | None = None,
                      translate: Callable[[str], str] | None = None):
    """Draw the shortlist's options by strength of evidence (across) and cost per participant (up).

    Levels 1 and 2 (no comparison group has shown the option works) are shaded.

    Parameters
    ----------
    shortlist : pandas.DataFrame
        The candidate solutions (``solution_id``, ``solution``, ``evidence_level``,
        ``cost_per_participant``).
    highlight : str, optional
        A solution_id to draw in :data:`~curriculum.style.HIGHLIGHT`.
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
        If ``shortlist`` is not a DataFrame.
    ValueError
        If a needed column is missing, it is empty, or ``highlight`` is not one of its options.
    """
    tr = translate or _same
    frame = _shortlist(shortlist)
    if "evidence_level" not in frame.columns:
        raise ValueError("shortlist lacks the column 'evidence_level' (the Nesta level, 1-5)")
    if frame.empty:
        raise ValueError("shortlist has no options to draw")
    if highlight is not None:
        _option(frame, highlight)
    from matplotlib.patches import Patch
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    ax = _axes(ax)
    ax.axvspan(0.5, 2.5, color="#F2F2F2", zorder=0)
    levels = frame["evidence_level"].astype(float).to_numpy()
    costs = frame["cost_per_participant"].astype(float).to_numpy()
    # spread options that share a level so that their labels do not sit on each other
    offsets = frame.groupby("evidence_level").cumcount().to_numpy()
    counts = frame.groupby("evidence_level")["solution_id"].transform("size").to_numpy()
    x = levels + (offsets - (counts - 1) / 2) * 0.12
    hit = (frame["solution_id"].astype(str) == str(highlight)).to_numpy() if highlight is not None else np.zeros(len(frame), bool)
    ax.scatter(x[~hit], costs[~hit], color=MUTED, s=55, zorder=3)
    ax.scatter(x[hit], costs[hit], color=HIGHLIGHT, s=80, zorder=4)
    for xi, yi, name, h in zip(x, costs, frame["solution"].astype(str), hit):
        ax.annotate(name, (xi, yi), xytext=(6, 2), textcoords="offset points", fontsize=8,
                    color=HIGHLIGHT if h else "#3D3D3D", fontweight="bold" if h else "normal")
    ax.set_yscale("log")
    low, high = costs.min() / 1.5, costs.max() * 1.5
    ticks = [t for t in (50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000)
             if low <= t <= high]
    ax.set_ylim(low, high)
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v:,.0f}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.legend(handles=[Patch(color="#F2F2F2", label=tr("no comparison group has shown it works"))],
              loc="lower right", fontsize=8)
    ax.set_xlim(0.5, 5.5)
    names = _level_names(tr)
    ax.set_xticks(range(1, 6), [f"{level}\n{names[level]}" for level in range(1, 6)], fontsize=8)
    ax.set_xlabel(tr("Strength of evidence (Nesta level)"))
    ax.set_ylabel(tr("Cost per participant (log scale)"))
    ax.grid(axis="x", visible=False)
    if title:
        ax.set_title(title)
    return ax




def evidence_explorer(shortlist: pd.DataFrame, studies: pd.DataFrame, solution_id: str | None = None,
                      translate: Callable[[str], str] | None = None):
    """A drop-down list of the shortlist's options that shows the chosen option's evidence card.

    The card (the five questions, then the option's studies) and a forest plot of its
    studies are written into an :class:`ipywidgets.Output` with ``append_display_data``,
    never by capturing output, so headless runs do not stall (jupyter/nbclient#312).

    Parameters
    ----------
    shortlist : pandas.DataFrame
        The candidate solutions.
    studies : pandas.DataFrame
        The evaluation summaries.
    solution_id : str, optional
        The option shown first; the first on the shortlist by default.
    translate : callable, optional
        Translates the widget's words.

    Returns
    -------
    ipywidgets.VBox

    Raises
    ------
    TypeError
        If ``shortlist`` or ``studies`` is not a DataFrame.
    ValueError
        If a needed column is missing, the shortlist is empty or ``solution_id`` is not on it.
    """
    import ipywidgets as widgets
    from IPython.display import Markdown
    from matplotlib.figure import Figure

    shortlist, studies = _shortlist(shortlist), _studies(studies)
    if shortlist.empty:
        raise ValueError("shortlist has no options")
    if solution_id is not None:
        _option(shortlist, solution_id)
    tr = translate or _same
    options = [(f"{i}: {s}", str(i)) for i, s in zip(shortlist["solution_id"], shortlist["solution"])]
    pick = widgets.Dropdown(options=options, value=str(solution_id or shortlist["solution_id"].iloc[0]),
                            description=tr("Option"), layout=widgets.Layout(width="32rem"))
    names = dict(zip(shortlist["solution_id"].astype(str), shortlist["solution"].astype(str)))

    def draw():
        card = evidence_card(shortlist, studies, pick.value, translate=translate)
        mine = studies[studies["solution_id"].astype(str) == pick.value]
        figure = None
        if mine[["effect", "ci_low", "ci_high"]].notna().all(axis=1).any():
            figure = Figure(figsize=(7, 0.6 * len(mine) + 1.4), layout="constrained")
            plot_effects(mine, names=names, ax=figure.subplots(), translate=translate)
        return Markdown(f"**{card.solution}**\n\n" + card.to_markdown()), figure, card.studies

    view = live_view(draw, [pick])
    return widgets.VBox([pick, view])


def trial_explorer(evidence_level: int = 2, cost: float = 500_000, reversible: bool = False, can_stage: bool = True,
                   translate: Callable[[str], str] | None = None):
    """Controls for the four tests of :func:`trial_advice`, and the advice they give.

    Parameters
    ----------
    evidence_level : int, default 2
        Nesta level shown first.
    cost : float, default 500000
        Cost of the decision shown first (GBP; the slider moves in thousands).
    reversible, can_stage : bool
        Shown first.
    translate : callable, optional
        Translates the widget's words.

    Returns
    -------
    ipywidgets.VBox

    Raises
    ------
    TypeError, ValueError
        As :func:`trial_advice` for the starting values.
    """
    import ipywidgets as widgets
    from IPython.display import Markdown

    trial_advice(evidence_level, cost, reversible=reversible, can_stage=can_stage)
    tr = translate or _same
    style = {"description_width": "14rem"}
    level = widgets.IntSlider(value=int(evidence_level), min=1, max=5, description=tr("Nesta level of the evidence"),
                              style=style)
    money = widgets.IntSlider(value=int(round(cost / 1000)), min=0, max=5000, step=10,
                              description=tr("Cost of the decision (£ thousands)"), style=style)
    undo = widgets.Checkbox(value=bool(reversible), description=tr("Easy to undo"), style=style)
    stage = widgets.Checkbox(value=bool(can_stage), description=tr("Can start in some places first"), style=style)
    view = live_view(lambda: Markdown("**{}**".format(advice_text(
        trial_advice(int(level.value), 1000.0 * money.value, reversible=bool(undo.value), can_stage=bool(stage.value)),
        translate))), [level, money, undo, stage])
    return widgets.VBox([level, money, undo, stage, view])
