"""Data sharing and ethics: screening analytics proposals and the checklist for commissioning analysis.

The functions behind the senior module *Data sharing, ethics and the questions to ask*,
reusable with any register of analytics proposals (the ``analytics_proposals`` dataset:
one row per proposal with its purpose, data sources, partners and flags for personal,
special category and children's data, automated decisions, new technology and scale,
its lawful basis and whether a DPIA and an ATRS record are in place):

- :func:`screening_answers` turns a proposal into the answers of
  :func:`curriculum.quality.dpia_screen` (UK GDPR Article 35(3), the ICO's list of
  processing likely to result in high risk, the EDPB's criteria), which this module
  reuses rather than repeats;
- :func:`lawful_basis_problem` reads a recorded lawful basis (a blank one, or legitimate
  interests, which a public authority cannot use for its tasks);
- :func:`screen_proposals` screens a whole register: which proposals need a DPIA, which
  need an Algorithmic Transparency Recording Standard (ATRS) record, which lack a lawful
  basis or an Article 9 condition, which share personal data with partners without a
  WASPI agreement (an Information Sharing Protocol or a Data Disclosure Agreement), and
  the actions that follow; :func:`status_table` gives one status per proposal and check;
- :func:`plot_governance_grid` draws that table as a grid, :func:`proposal_explorer` is
  the notebook widget that screens a leader's own proposal, and
  :func:`checklist_sections` writes the one-page commissioning checklist for
  :func:`curriculum.artefacts.write_document`.

The screen tells a sponsor which questions to put and when to call the data protection
officer; it is not legal advice and does not replace a DPIA. Importing this module changes
nothing; matplotlib and ipywidgets are imported only when plotting or building widgets.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from curriculum.quality import dpia_screen
from curriculum.style import HIGHLIGHT
from curriculum.views import untranslated as _same

__all__ = ["CHECKS", "FLAGS", "OPTIONAL_FLAGS", "STATUSES", "checklist_sections", "lawful_basis_problem",
           "plot_governance_grid", "proposal_explorer", "screen_proposals", "screening_answers", "status_table",
           "translate_actions", "translate_triggers"]

#: The flag columns a proposal must have (True or False).
FLAGS: tuple[str, ...] = ("personal_data", "special_category", "children", "automated_decision", "new_technology",
                          "large_scale")
#: Optional flag columns: when absent, profiling and algorithmic_tool default to
#: ``automated_decision``, and data_matching to "more than one data source".
OPTIONAL_FLAGS: tuple[str, ...] = ("profiling", "algorithmic_tool", "data_matching")
#: The checks of :func:`status_table`, in order.
CHECKS: tuple[str, ...] = ("lawful_basis", "article9_condition", "dpia", "sharing_agreement", "atrs_record")
#: The statuses of a check.
STATUSES: tuple[str, ...] = ("in place", "missing", "not needed")

_BLANK = re.compile(r"^\s*$")
_LEGITIMATE = re.compile(r"6\s*\(\s*1\s*\)\s*\(\s*f\s*\)|legitimate interest", re.I)
_IN_PLACE, _MISSING, _NOT_NEEDED = "#28A197", HIGHLIGHT, "#E6E6E6"


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or (isinstance(value, str) and bool(_BLANK.match(value)))


def _flag(value, name: str) -> bool:
    if value is None or (not isinstance(value, (bool, np.bool_)) and pd.isna(value)):
        return False
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {value!r}")


def lawful_basis_problem(lawful_basis, personal_data: bool) -> str | None:
    """Say what is wrong with a proposal's recorded lawful basis, if anything.

    Parameters
    ----------
    lawful_basis : str or None
        The UK GDPR Article 6 basis as recorded (for example "6(1)(e) public task").
    personal_data : bool
        Whether the proposal uses personal data; without it UK GDPR does not apply and no
        basis is needed.

    Returns
    -------
    str or None
        ``"missing"`` when personal data are used and no basis is recorded;
        ``"legitimate interests"`` when the basis is legitimate interests (Article 6(1)(f)),
        which a public authority cannot rely on for its tasks; None otherwise.

    Raises
    ------
    TypeError
        If ``personal_data`` is not True or False, or ``lawful_basis`` is neither text
        nor blank.
    """
    if not isinstance(personal_data, (bool, np.bool_)):
        raise TypeError(f"personal_data must be True or False, got {personal_data!r}")
    if not _blank(lawful_basis) and not isinstance(lawful_basis, str):
        raise TypeError(f"lawful_basis must be text or blank, got {lawful_basis!r}")
    if not personal_data:
        return None
    if _blank(lawful_basis):
        return "missing"
    if _LEGITIMATE.search(lawful_basis):
        return "legitimate interests"
    return None


def _sources(text) -> list[str]:
    if _blank(text):
        return []
    return [s.strip() for s in re.split(r"[;\n]", str(text)) if s.strip()]


def screening_answers(proposal: pd.Series | dict) -> dict[str, bool]:
    """Turn one proposal into the answers of :func:`curriculum.quality.dpia_screen`.

    Children's data count as data about vulnerable people; an automated decision about a
    person is taken to have significant effects (a council's decisions about people
    usually do); without the optional columns, profiling and an algorithmic tool are
    assumed where there is an automated decision, and data matching where there is more
    than one data source.

    Parameters
    ----------
    proposal : pandas.Series or dict
        One row of the ``analytics_proposals`` dataset (the columns of :data:`FLAGS`, and
        ``data_sources``; the optional flags when present).

    Returns
    -------
    dict of str to bool
        Screening question key -> answer.

    Raises
    ------
    TypeError
        If ``proposal`` is not a Series or dict, or a flag is not True or False.
    ValueError
        If a column of :data:`FLAGS` is missing.
    """
    if not isinstance(proposal, (pd.Series, dict)):
        raise TypeError(f"proposal must be a row (pandas Series) or dict, got {type(proposal).__name__}")
    row = dict(proposal)
    missing = [f for f in FLAGS if f not in row]
    if missing:
        raise ValueError(f"proposal lacks the flag(s) {missing}; each must be True or False")
    a = {f: _flag(row[f], f) for f in FLAGS}
    profiling = _flag(row["profiling"], "profiling") if "profiling" in row and not _blank(row["profiling"]) else a["automated_decision"]
    matching = (_flag(row["data_matching"], "data_matching") if "data_matching" in row and not _blank(row["data_matching"])
                else len(_sources(row.get("data_sources"))) > 1)
    tool = _algorithmic_tool(row, a, profiling)
    personal = a["personal_data"]
    return {
        "personal_data": personal,
        "special_category": a["special_category"] and personal,
        "large_scale": a["large_scale"],
        "profiling": profiling,
        "significant_effects": a["automated_decision"],
        "automated_decision": a["automated_decision"],
        "new_technology": a["new_technology"],
        "data_matching": matching and personal,
        "vulnerable_people": a["children"],
        "algorithmic_tool": tool,
    }


def _algorithmic_tool(row: dict, a: dict, profiling: bool) -> bool:
    if "algorithmic_tool" in row and not _blank(row["algorithmic_tool"]):
        return _flag(row["algorithmic_tool"], "algorithmic_tool")
    return bool(profiling or a["automated_decision"])


def _frame(proposals) -> pd.DataFrame:
    if not isinstance(proposals, pd.DataFrame):
        raise TypeError(f"proposals must be a pandas DataFrame (the analytics_proposals dataset), "
                        f"got {type(proposals).__name__}")
    missing = [c for c in ("proposal_id", "proposal", "lawful_basis", "dpia_done", "atrs_published", *FLAGS)
               if c not in proposals.columns]
    if missing:
        raise ValueError(f"proposals lacks the column(s) {missing}")
    return proposals


def screen_proposals(proposals: pd.DataFrame) -> pd.DataFrame:
    """Screen a register of analytics proposals for the law and transparency each needs.

    For each proposal: the DPIA screen of :func:`curriculum.quality.dpia_screen` (and the
    criteria that fired); whether it needs an ATRS record (an algorithmic tool that
    informs decisions about people or deals with the public: the ``algorithmic_tool``
    flag, or else profiling or an automated decision); whether its lawful basis is
    missing or unusable (:func:`lawful_basis_problem`); whether special category data
    lack an Article 9 condition (when the register records conditions); whether personal
    data are shared with partner organisations without a WASPI agreement (when the
    register records partners); and the actions these call for.

    Parameters
    ----------
    proposals : pandas.DataFrame
        The ``analytics_proposals`` dataset: ``proposal_id``, ``proposal``, the flags of
        :data:`FLAGS`, ``lawful_basis``, ``dpia_done`` and ``atrs_published``; optionally
        ``data_sources``, ``partners``, ``sharing_agreement``, ``article9_condition`` and
        the flags of :data:`OPTIONAL_FLAGS`.

    Returns
    -------
    pandas.DataFrame
        One row per proposal, in the register's order: ``proposal_id``, ``proposal``,
        ``personal_data``, ``needs_dpia``, ``dpia_done``, ``dpia_missing``, ``triggers``
        (the criteria that fired, separated by "; "), ``n_triggers``, ``needs_atrs``,
        ``atrs_published``, ``atrs_missing``, ``lawful_basis``, ``basis_problem``
        ("missing", "legitimate interests" or blank), ``lacks_lawful_basis``,
        ``needs_article9``, ``article9_missing``, ``shares_with_partners``,
        ``agreement_missing``, ``gaps`` (how many of the five checks fail) and
        ``actions`` (what to do, separated by "; ").

    Raises
    ------
    TypeError
        If ``proposals`` is not a DataFrame or a flag is not True or False.
    ValueError
        If a needed column is missing, or special category data are flagged without
        personal data.
    """
    frame = _frame(proposals)
    rows = []
    for _, p in frame.iterrows():
        answers = screening_answers(p)
        if _flag(p["special_category"], "special_category") and not answers["personal_data"]:
            raise ValueError(f"proposal {p['proposal_id']!r} flags special category data but not personal data: "
                             "special category data are always personal data")
        result = dpia_screen(answers)
        personal = answers["personal_data"]
        problem = lawful_basis_problem(None if _blank(p["lawful_basis"]) else str(p["lawful_basis"]), personal)
        needs_dpia = bool(result.dpia_required)
        needs_atrs = bool(answers["algorithmic_tool"])
        dpia_done = _flag(p["dpia_done"], "dpia_done")
        atrs_done = _flag(p["atrs_published"], "atrs_published")
        needs_art9 = bool(answers["special_category"])
        art9_known = "article9_condition" in frame.columns
        art9_missing = needs_art9 and art9_known and _blank(p["article9_condition"])
        partners = _sources(p["partners"]) if "partners" in frame.columns else []
        shares = personal and bool(partners)
        agreement_known = "sharing_agreement" in frame.columns
        agreement_missing = shares and agreement_known and _blank(p["sharing_agreement"])
        triggers = list(dict.fromkeys(result.triggers.loc[result.triggers["source"] != "Algorithmic Transparency Recording Standard",
                                                          "criterion"]))
        actions = []
        if problem == "missing":
            actions.append("record a lawful basis (normally Article 6(1)(e) public task, naming the statutory power)")
        elif problem == "legitimate interests":
            actions.append("replace legitimate interests: a public authority cannot use it for its tasks")
        if art9_missing:
            actions.append("record an Article 9 condition (and a DPA 2018 Schedule 1 condition where needed)")
        if needs_dpia and not dpia_done:
            actions.append("complete a DPIA with the data protection officer before any processing")
        if agreement_missing:
            actions.append("agree a WASPI Information Sharing Protocol (or a Data Disclosure Agreement for a one-way disclosure)")
        if needs_atrs and not atrs_done:
            actions.append("publish an ATRS record, tier 1 and tier 2, before the tool is used")
        rows.append({
            "proposal_id": str(p["proposal_id"]), "proposal": str(p["proposal"]), "personal_data": personal,
            "needs_dpia": needs_dpia, "dpia_done": dpia_done, "dpia_missing": needs_dpia and not dpia_done,
            "triggers": "; ".join(triggers), "n_triggers": len(triggers),
            "needs_atrs": needs_atrs, "atrs_published": atrs_done, "atrs_missing": needs_atrs and not atrs_done,
            "lawful_basis": None if _blank(p["lawful_basis"]) else str(p["lawful_basis"]),
            "basis_problem": problem, "lacks_lawful_basis": problem == "missing",
            "needs_article9": needs_art9, "article9_missing": art9_missing,
            "shares_with_partners": shares, "agreement_missing": agreement_missing,
            "actions": "; ".join(actions),
        })
    out = pd.DataFrame(rows, columns=["proposal_id", "proposal", "personal_data", "needs_dpia", "dpia_done", "dpia_missing",
                                      "triggers", "n_triggers", "needs_atrs", "atrs_published", "atrs_missing",
                                      "lawful_basis", "basis_problem", "lacks_lawful_basis", "needs_article9",
                                      "article9_missing", "shares_with_partners", "agreement_missing", "actions"])
    out["gaps"] = (out["basis_problem"].notna().astype(int) + out["article9_missing"].astype(int)
                   + out["dpia_missing"].astype(int) + out["agreement_missing"].astype(int)
                   + out["atrs_missing"].astype(int))
    return out


def status_table(screen: pd.DataFrame) -> pd.DataFrame:
    """One status per proposal and check: in place, missing or not needed.

    Parameters
    ----------
    screen : pandas.DataFrame
        The result of :func:`screen_proposals`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``proposal_id``, one column per check of :data:`CHECKS`, each value one
        of :data:`STATUSES`.

    Raises
    ------
    TypeError
        If ``screen`` is not a DataFrame.
    ValueError
        If it is not a result of :func:`screen_proposals`.
    """
    if not isinstance(screen, pd.DataFrame):
        raise TypeError(f"screen must be a pandas DataFrame from screen_proposals, got {type(screen).__name__}")
    needed = {"proposal_id", "personal_data", "basis_problem", "needs_article9", "article9_missing", "needs_dpia",
              "dpia_missing", "shares_with_partners", "agreement_missing", "needs_atrs", "atrs_missing"}
    if needed - set(screen.columns):
        raise ValueError(f"screen lacks {sorted(needed - set(screen.columns))}: pass the result of screen_proposals")

    def status(need, missing):
        return np.where(~need.astype(bool), "not needed", np.where(missing.astype(bool), "missing", "in place"))

    return pd.DataFrame({
        "lawful_basis": status(screen["personal_data"], screen["basis_problem"].notna()),
        "article9_condition": status(screen["needs_article9"], screen["article9_missing"]),
        "dpia": status(screen["needs_dpia"], screen["dpia_missing"]),
        "sharing_agreement": status(screen["shares_with_partners"], screen["agreement_missing"]),
        "atrs_record": status(screen["needs_atrs"], screen["atrs_missing"]),
    }, index=pd.Index(screen["proposal_id"], name="proposal_id"))


def _check_names(tr: Callable[[str], str]) -> dict[str, str]:
    return {"lawful_basis": tr("Lawful basis"), "article9_condition": tr("Article 9 condition"), "dpia": tr("DPIA"),
            "sharing_agreement": tr("WASPI agreement"), "atrs_record": tr("ATRS record")}


def _status_names(tr: Callable[[str], str]) -> dict[str, str]:
    return {"in place": tr("in place"), "missing": tr("missing"), "not needed": tr("not needed")}


def plot_governance_grid(screen: pd.DataFrame, ax=None, title: str | None = None,
                         translate: Callable[[str], str] | None = None):
    """Draw each proposal's checks as a grid: in place (green), missing (highlight colour), not needed (grey).

    Parameters
    ----------
    screen : pandas.DataFrame
        The result of :func:`screen_proposals`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure by default.
    title : str, optional
        Chart title.
    translate : callable, optional
        Translates the chart's own words (``curriculum.translator(module, language)``).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    TypeError
        If ``screen`` is not a DataFrame.
    ValueError
        If it is not a result of :func:`screen_proposals` or has no rows.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    tr = translate or _same
    table = status_table(screen)
    if table.empty:
        raise ValueError("screen has no proposals to draw")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * len(table) + 1.6))
    colours = {"in place": _IN_PLACE, "missing": _MISSING, "not needed": _NOT_NEEDED}
    marks = {"in place": "✓", "missing": "✗", "not needed": ""}
    labels = [f"{i}  {p[:38] + ('…' if len(p) > 38 else '')}" for i, p in zip(screen["proposal_id"], screen["proposal"])]
    for r, (_, row) in enumerate(table.iterrows()):
        for c, check in enumerate(CHECKS):
            value = row[check]
            ax.add_patch(plt.Rectangle((c, r), 0.94, 0.9, color=colours[value]))
            if marks[value]:
                ax.text(c + 0.47, r + 0.45, marks[value], ha="center", va="center", color="white", fontsize=11,
                        fontweight="bold")
    ax.set_xlim(0, len(CHECKS))
    ax.set_ylim(len(table), 0)
    names = _check_names(tr)
    ax.set_xticks([c + 0.47 for c in range(len(CHECKS))], [names[c] for c in CHECKS], fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks([r + 0.45 for r in range(len(table))], labels, fontsize=8)
    ax.tick_params(length=0)
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(False)
    words = _status_names(tr)
    ax.legend(handles=[Patch(color=colours[s], label=words[s]) for s in STATUSES], loc="upper center",
              bbox_to_anchor=(0.5, -0.02), ncol=3, fontsize=8, frameon=False)
    if title:
        ax.set_title(title, pad=28)
    return ax


def plot_triggers(screen: pd.DataFrame, ax=None, title: str | None = None,
                  translate: Callable[[str], str] | None = None):
    """Draw how many high-risk criteria each proposal meets, coloured by whether it needs a DPIA and has one.

    Parameters
    ----------
    screen : pandas.DataFrame
        The result of :func:`screen_proposals`.
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
        If ``screen`` is not a DataFrame.
    ValueError
        If it is not a result of :func:`screen_proposals` or has no rows.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    tr = translate or _same
    table = status_table(screen)
    if table.empty:
        raise ValueError("screen has no proposals to draw")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.4 * len(table) + 1.4))
    colours = {"in place": _IN_PLACE, "missing": _MISSING, "not needed": "#BFBFBF"}
    y = np.arange(len(screen))
    labels = [f"{i}  {p[:38] + ('…' if len(p) > 38 else '')}" for i, p in zip(screen["proposal_id"], screen["proposal"])]
    ax.barh(y, screen["n_triggers"], color=[colours[v] for v in table["dpia"]])
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(tr("High-risk criteria met (UK GDPR Article 35, ICO list, EDPB)"))
    words = {"in place": tr("DPIA needed and done"), "missing": tr("DPIA needed, not done"),
             "not needed": tr("no DPIA needed")}
    ax.legend(handles=[Patch(color=colours[k], label=v) for k, v in words.items()], loc="lower right", fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def _action_words(tr: Callable[[str], str]) -> dict[str, str]:
    return {
        "record a lawful basis (normally Article 6(1)(e) public task, naming the statutory power)":
            tr("record a lawful basis (normally Article 6(1)(e) public task, naming the statutory power)"),
        "replace legitimate interests: a public authority cannot use it for its tasks":
            tr("replace legitimate interests: a public authority cannot use it for its tasks"),
        "record an Article 9 condition (and a DPA 2018 Schedule 1 condition where needed)":
            tr("record an Article 9 condition (and a DPA 2018 Schedule 1 condition where needed)"),
        "complete a DPIA with the data protection officer before any processing":
            tr("complete a DPIA with the data protection officer before any processing"),
        "agree a WASPI Information Sharing Protocol (or a Data Disclosure Agreement for a one-way disclosure)":
            tr("agree a WASPI Information Sharing Protocol (or a Data Disclosure Agreement for a one-way disclosure)"),
        "publish an ATRS record, tier 1 and tier 2, before the tool is used":
            tr("publish an ATRS record, tier 1 and tier 2, before the tool is used"),
    }


def _criterion_words(tr: Callable[[str], str]) -> dict[str, str]:
    """The names of the criteria curriculum.quality.dpia_screen reports, translated."""
    return {
        "Systematic and extensive profiling with significant effects":
            tr("Systematic and extensive profiling with significant effects"),
        "Large-scale use of special category or criminal offence data":
            tr("Large-scale use of special category or criminal offence data"),
        "Systematic monitoring of a publicly accessible area on a large scale":
            tr("Systematic monitoring of a publicly accessible area on a large scale"),
        "Innovative technology": tr("Innovative technology"), "Denial of service": tr("Denial of service"),
        "Large-scale profiling": tr("Large-scale profiling"), "Biometric data": tr("Biometric data"),
        "Genetic data": tr("Genetic data"), "Data matching": tr("Data matching"),
        "Invisible processing": tr("Invisible processing"), "Tracking": tr("Tracking"),
        "Targeting of children or other vulnerable individuals": tr("Targeting of children or other vulnerable individuals"),
        "Risk of physical harm": tr("Risk of physical harm"), "Evaluation or scoring": tr("Evaluation or scoring"),
        "Automated decision-making with legal or similar significant effect":
            tr("Automated decision-making with legal or similar significant effect"),
        "Systematic monitoring": tr("Systematic monitoring"),
        "Sensitive data or data of a highly personal nature": tr("Sensitive data or data of a highly personal nature"),
        "Data processed on a large scale": tr("Data processed on a large scale"),
        "Matching or combining datasets": tr("Matching or combining datasets"),
        "Data concerning vulnerable people": tr("Data concerning vulnerable people"),
        "Innovative use of new technological or organisational solutions":
            tr("Innovative use of new technological or organisational solutions"),
        "Prevents people from exercising a right or using a service or contract":
            tr("Prevents people from exercising a right or using a service or contract"),
    }


def translate_triggers(triggers: str, translate: Callable[[str], str] | None = None) -> str:
    """Translate the ``triggers`` text of :func:`screen_proposals` (criteria separated by "; ").

    Parameters
    ----------
    triggers : str
        One proposal's criteria.
    translate : callable, optional
        The translator; English by default.

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If ``triggers`` is not text.
    """
    if not isinstance(triggers, str):
        raise TypeError(f"triggers must be text, got {triggers!r}")
    words = _criterion_words(translate or _same)
    return "; ".join(words.get(t, t) for t in triggers.split("; ") if t)


def translate_actions(actions: str, translate: Callable[[str], str] | None = None) -> str:
    """Translate the ``actions`` text of :func:`screen_proposals` (actions separated by "; ").

    Parameters
    ----------
    actions : str
        One proposal's actions.
    translate : callable, optional
        The translator; English by default.

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If ``actions`` is not text.
    """
    if not isinstance(actions, str):
        raise TypeError(f"actions must be text, got {actions!r}")
    words = _action_words(translate or _same)
    return "; ".join(words.get(a, a) for a in actions.split("; ") if a)


def checklist_sections(screen: pd.DataFrame, translate: Callable[[str], str] | None = None) -> list[tuple[str, object]]:
    """The sections of the one-page checklist for commissioning analysis.

    Four sections: the questions to answer for any proposal before commissioning it (for
    the reader's own proposal), the council's proposals as screened, the actions before any
    analysis starts, and where the rules come from.

    Parameters
    ----------
    screen : pandas.DataFrame
        The result of :func:`screen_proposals`.
    translate : callable, optional
        Translates the document (``curriculum.translator(module, language)``).

    Returns
    -------
    list of (heading, content)
        For :func:`curriculum.artefacts.write_document`.

    Raises
    ------
    TypeError
        If ``screen`` is not a DataFrame.
    ValueError
        If it is not a result of :func:`screen_proposals`.
    """
    tr = translate or _same
    table = status_table(screen)
    questions = "\n".join("- ☐ " + q for q in [
        tr("Purpose: what decision will the analysis inform, who takes it, and what public benefit follows?"),
        tr("Lawful basis: which UK GDPR Article 6 basis (normally 6(1)(e) public task) and which statutory power?"),
        tr("Special category data (health, ethnicity...): which Article 9 condition, and which DPA 2018 Schedule 1 condition?"),
        tr("DPIA: has the screen been run, and is a DPIA done and signed off by the data protection officer?"),
        tr("Sharing: is there a WASPI Information Sharing Protocol (regular sharing) or Data Disclosure Agreement (one-way)?"),
        tr("Minimum data: could it be done with less, with pseudonymised or aggregated data?"),
        tr("People: does a person review every output that affects someone, and can people find out and object?"),
        tr("Transparency: will an ATRS record (tier 1 for the public, tier 2 in detail) be published before use?"),
        tr("Ethics: has an ethics panel with lay members reviewed it, and have the communities affected been asked?"),
        tr("Fairness and review: how will errors and bias be checked, and when will the project stop or be reviewed?"),
    ])
    names, words = _check_names(tr), _status_names(tr)
    register = pd.DataFrame({tr("Proposal"): [f"{i}: {p}" for i, p in zip(screen["proposal_id"], screen["proposal"])]})
    for check in CHECKS:
        register[names[check]] = [words[s] for s in table[check]]
    todo = screen[screen["actions"] != ""]
    if todo.empty:
        actions = tr("No gaps: every proposal has what the screen asks for.")
    else:
        actions = "\n".join(f"- {i} {p}: {translate_actions(a, translate)}"
                            for i, p, a in zip(todo["proposal_id"], todo["proposal"], todo["actions"]))
    sources = "\n".join("- " + line for line in [
        tr("UK GDPR Articles 6, 9 and 35; Data Protection Act 2018, Schedule 1."),
        tr("ICO: examples of processing likely to result in high risk (the DPIA list)."),
        tr("Wales Accord on the Sharing of Personal Information (WASPI): Information Sharing Protocols and Data Disclosure Agreements."),
        tr("Algorithmic Transparency Recording Standard (tier 1 and tier 2), GOV.UK."),
        tr("Essex Centre for Data Analytics: an independent Data Ethics Committee with resident members."),
    ])
    return [(tr("Before you commission: the questions for your proposal"), questions),
            (tr("Our proposals, screened"), register),
            (tr("Before any analysis starts"), actions),
            (tr("Where the rules come from"), sources)]


def proposal_explorer(translate: Callable[[str], str] | None = None):
    """Tick boxes describing a proposal, and the screen's verdict: DPIA, ATRS record and the criteria that fired.

    The verdict is written into an :class:`ipywidgets.Output` with ``append_display_data``,
    never by capturing output, so headless runs do not stall (jupyter/nbclient#312).

    Parameters
    ----------
    translate : callable, optional
        Translates the widget's words.

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as widgets
    from IPython.display import Markdown

    tr = translate or _same
    labels = {
        "personal_data": tr("Uses personal data"), "special_category": tr("Special category data (health, ethnicity...)"),
        "children": tr("Data about children"), "automated_decision": tr("A decision made by software alone"),
        "new_technology": tr("New technology (machine learning, AI, sensors)"),
        "large_scale": tr("Large scale (a whole area, thousands of people)"),
        "profiling": tr("Scores or predicts people's circumstances"),
        "data_matching": tr("Combines data from several sources"),
        "algorithmic_tool": tr("An algorithm informs decisions or talks to the public"),
        "partners": tr("Shared with other organisations"), "lawful_basis": tr("Lawful basis recorded"),
    }
    boxes = {k: widgets.Checkbox(value=k in ("personal_data", "lawful_basis"), description=v, indent=False,
                                 layout=widgets.Layout(width="30rem")) for k, v in labels.items()}
    view = widgets.Output()

    def redraw(change=None) -> None:
        view.outputs = ()
        values = {k: bool(b.value) for k, b in boxes.items()}
        proposal = {f: values[f] for f in (*FLAGS, *OPTIONAL_FLAGS)}
        proposal.update(proposal_id=tr("Your proposal"), proposal=tr("Your proposal"),
                        lawful_basis="recorded" if values["lawful_basis"] else None, dpia_done=False,
                        atrs_published=False, partners="partner" if values["partners"] else None,
                        sharing_agreement=None, article9_condition=None)
        if proposal["special_category"] and not proposal["personal_data"]:
            view.append_display_data(Markdown(tr("Special category data are always personal data: tick both.")))
            return
        row = screen_proposals(pd.DataFrame([proposal])).iloc[0]
        lines = [f"**{tr('DPIA needed')}: {tr('yes') if row['needs_dpia'] else tr('no')}** · "
                 f"**{tr('ATRS record needed')}: {tr('yes') if row['needs_atrs'] else tr('no')}**"]
        if row["triggers"]:
            lines.append(tr("Criteria met: {criteria}.").format(criteria=translate_triggers(row["triggers"], translate)))
        if row["actions"]:
            lines.append(tr("Before you start: {actions}.").format(actions=translate_actions(row["actions"], translate)))
        view.append_display_data(Markdown("\n\n".join(lines)))

    for box in boxes.values():
        box.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.VBox(list(boxes.values())), view])
