"""Tests of curriculum.governance: screening analytics proposals, lawful bases, the grid, the checklist and the widget."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

import curriculum
from curriculum import governance as gov
from curriculum.councils import COUNCIL_NAMES
from curriculum.quality import dpia_screen

matplotlib.use("Agg")


def _proposal(ref="P1", **flags) -> dict:
    row = {"proposal_id": ref, "proposal": f"Proposal {ref}", "data_sources": "One source",
           "personal_data": False, "special_category": False, "children": False, "automated_decision": False,
           "new_technology": False, "large_scale": False, "lawful_basis": None, "dpia_done": False,
           "atrs_published": False}
    row.update(flags)
    return row


@pytest.fixture
def register() -> pd.DataFrame:
    """Five proposals: aggregate counts; a small survey; a profiling model with partners; a bot; a special category one."""
    return pd.DataFrame([
        _proposal("A", data_sources="Counts by area"),
        _proposal("B", personal_data=True, lawful_basis="6(1)(e) public task"),
        _proposal("C", personal_data=True, children=True, new_technology=True, large_scale=True, profiling=True,
                  data_matching=True, algorithmic_tool=True, lawful_basis=None, partners="Health board",
                  sharing_agreement=None, dpia_done=True),
        _proposal("D", personal_data=True, new_technology=True, large_scale=True, algorithmic_tool=True,
                  lawful_basis="6(1)(f) legitimate interests", atrs_published=True),
        _proposal("E", personal_data=True, special_category=True, lawful_basis="6(1)(b) contract",
                  article9_condition=None, partners="Police", sharing_agreement="ISP"),
    ])


@pytest.mark.parametrize("basis, personal, expected", [
    (None, True, "missing"), ("", True, "missing"), ("   ", True, "missing"), (float("nan"), True, "missing"),
    ("6(1)(e) public task: Housing (Wales) Act 2014", True, None),
    ("6(1)(f) legitimate interests", True, "legitimate interests"),
    ("Legitimate interests of the council", True, "legitimate interests"),
    (None, False, None), ("6(1)(f)", False, None),
])
def test_lawful_basis_problem(basis, personal, expected):
    """A blank basis matters only with personal data; legitimate interests are flagged for a public authority."""
    assert gov.lawful_basis_problem(basis, personal) == expected


@pytest.mark.parametrize("basis, personal, match", [
    ("x", "yes", "personal_data must be True or False"),
    (3, True, "lawful_basis must be text or blank"),
])
def test_lawful_basis_problem_rejects_bad_arguments(basis, personal, match):
    """A flag that is not a bool, or a basis that is not text, is refused, naming the argument."""
    with pytest.raises(TypeError, match=match):
        gov.lawful_basis_problem(basis, personal)


def test_screening_answers_map_the_register_onto_the_dpia_screen():
    """Children count as vulnerable people, automated decisions as significant, several sources as data matching."""
    answers = gov.screening_answers(_proposal(personal_data=True, children=True, automated_decision=True,
                                              data_sources="Schools; Housing"))
    assert answers["vulnerable_people"] and answers["significant_effects"] and answers["data_matching"]
    assert answers["profiling"] and answers["algorithmic_tool"], "without the optional flags, automation implies both"
    explicit = gov.screening_answers(_proposal(personal_data=True, data_sources="A; B", data_matching=False,
                                               profiling=False, algorithmic_tool=False))
    assert not explicit["data_matching"] and not explicit["algorithmic_tool"], "recorded flags win over defaults"
    assert set(answers) <= set(__import__("curriculum.quality", fromlist=["x"]).SCREENING_QUESTIONS)


@pytest.mark.parametrize("proposal, error, match", [
    ("not a row", TypeError, "proposal must be a row"),
    ({"personal_data": True}, ValueError, "lacks the flag"),
    (_proposal(personal_data="Yes"), TypeError, "personal_data must be True or False"),
])
def test_screening_answers_reject_bad_rows(proposal, error, match):
    """A row that is not a Series or dict, lacks flags or holds text flags is refused, naming the problem."""
    with pytest.raises(error, match=match):
        gov.screening_answers(proposal)


def test_screen_agrees_with_the_dpia_screen_it_reuses(register):
    """needs_dpia is exactly dpia_screen's verdict on each proposal's answers (the screen is reused, not rewritten)."""
    screen = gov.screen_proposals(register)
    expected = [dpia_screen(gov.screening_answers(row)).dpia_required for _, row in register.iterrows()]
    assert screen["needs_dpia"].tolist() == expected
    assert screen["needs_dpia"].tolist() == [False, False, True, True, False], "by hand: C and D are high risk"


def test_screen_finds_every_gap(register):
    """Lawful basis, legitimate interests, Article 9, DPIA, WASPI agreement and ATRS gaps land on the right rows."""
    screen = gov.screen_proposals(register).set_index("proposal_id")
    assert screen.loc[["A", "B"], "gaps"].tolist() == [0, 0], "aggregate counts and a small survey need nothing more"
    c = screen.loc["C"]
    assert c["lacks_lawful_basis"] and c["agreement_missing"] and c["atrs_missing"] and not c["dpia_missing"]
    assert c["gaps"] == 3 and "WASPI" in c["actions"] and "ATRS" in c["actions"]
    d = screen.loc["D"]
    assert d["basis_problem"] == "legitimate interests" and not d["lacks_lawful_basis"] and d["dpia_missing"]
    assert d["needs_atrs"] and not d["atrs_missing"]
    e = screen.loc["E"]
    assert e["article9_missing"] and not e["agreement_missing"] and e["gaps"] == 1


def test_screen_without_optional_columns(register):
    """A register without partners, agreements or Article 9 conditions is screened without inventing those gaps."""
    slim = register.drop(columns=["partners", "sharing_agreement", "article9_condition", "profiling", "data_matching",
                                  "algorithmic_tool"])
    screen = gov.screen_proposals(slim)
    assert not screen["agreement_missing"].any() and not screen["article9_missing"].any()


@pytest.mark.parametrize("frame, error, match", [
    ("register", TypeError, "proposals must be a pandas DataFrame"),
    (pd.DataFrame({"proposal_id": ["X"]}), ValueError, "lacks the column"),
    (pd.DataFrame([_proposal(special_category=True)]), ValueError, "special category data are always personal data"),
])
def test_screen_rejects_bad_registers(frame, error, match):
    """Not a frame, missing columns, or special category data without personal data are refused."""
    with pytest.raises(error, match=match):
        gov.screen_proposals(frame)


def test_status_table_and_grid(register):
    """Each check is in place, missing or not needed; the grid draws one square per proposal and check."""
    import matplotlib.pyplot as plt

    screen = gov.screen_proposals(register)
    table = gov.status_table(screen)
    assert list(table.columns) == list(gov.CHECKS) and set(table.stack()) <= set(gov.STATUSES)
    assert table.loc["C", "lawful_basis"] == "missing" and table.loc["A", "lawful_basis"] == "not needed"
    assert table.loc["E", "sharing_agreement"] == "in place" and table.loc["D", "atrs_record"] == "in place"
    ax = gov.plot_governance_grid(screen, translate=str.upper)
    assert len(ax.patches) == len(screen) * len(gov.CHECKS)
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "LAWFUL BASIS"
    plt.close("all")
    ax = gov.plot_triggers(screen, translate=str.upper)
    assert len(ax.patches) == len(screen) and ax.get_xlabel().isupper()
    plt.close("all")
    with pytest.raises(ValueError, match="pass the result of screen_proposals"):
        gov.status_table(register)
    with pytest.raises(ValueError, match="no proposals"):
        gov.plot_governance_grid(screen.iloc[0:0])


def test_checklist_sections_and_translations(register):
    """The checklist has four sections: questions, the screened register, actions and sources, in translation."""
    screen = gov.screen_proposals(register)
    sections = gov.checklist_sections(screen)
    assert [h for h, _ in sections][:2] == ["Before you commission: the questions for your proposal", "Our proposals, screened"]
    assert sections[0][1].count("- ☐ ") == 10
    assert isinstance(sections[1][1], pd.DataFrame) and len(sections[1][1]) == len(register)
    assert "C Proposal C" in sections[2][1] and "A Proposal A" not in sections[2][1], "only proposals with gaps"
    welsh = gov.checklist_sections(screen, translate=lambda t: "CY " + t)
    assert welsh[0][0].startswith("CY ") and "CY " in welsh[2][1]
    assert gov.translate_triggers("Data matching; Tracking", lambda t: t.upper()) == "DATA MATCHING; TRACKING"
    assert gov.translate_actions("", None) == ""
    with pytest.raises(TypeError, match="actions must be text"):
        gov.translate_actions(None)
    clean = gov.screen_proposals(register.iloc[:2])
    assert "No gaps" in gov.checklist_sections(clean)[2][1]


def test_checklist_writes_a_document(register, tmp_path):
    """The sections go through curriculum.artefacts.write_document into Markdown and HTML with the council's name."""
    from curriculum.artefacts import write_document

    md, html = write_document(tmp_path / "checklist", "Checklist", gov.checklist_sections(gov.screen_proposals(register)),
                              council="Torfaen")
    text = md.read_text(encoding="utf-8")
    assert "*Torfaen*" in text and "| Proposal |" in text and html.exists()


def test_proposal_explorer_screens_the_ticked_proposal():
    """The widget starts with personal data and a basis (no DPIA), and changes its verdict as boxes are ticked."""
    box = gov.proposal_explorer()
    boxes, view = box.children
    ticks = {b.description: b for b in boxes.children}
    assert "DPIA needed: no" in view.outputs[0]["data"]["text/markdown"]
    ticks["New technology (machine learning, AI, sensors)"].value = True
    ticks["Large scale (a whole area, thousands of people)"].value = True
    assert "DPIA needed: yes" in view.outputs[0]["data"]["text/markdown"]
    ticks["Uses personal data"].value = False
    ticks["Special category data (health, ethnicity...)"].value = True
    assert "always personal data" in view.outputs[0]["data"]["text/markdown"]


def test_demo_registers_hold_the_planted_gaps():
    """Every council's demo register: one proposal without a basis, one sharing without an agreement, DPIA and ATRS gaps."""
    for council in COUNCIL_NAMES:
        screen = gov.screen_proposals(curriculum.load("analytics_proposals", council=council))
        assert screen["lacks_lawful_basis"].sum() == 1, council
        assert screen["agreement_missing"].sum() == 1, council
        assert screen["dpia_missing"].any() and (screen["needs_dpia"] & screen["dpia_done"]).any(), council
        assert screen["atrs_missing"].any(), council
        assert (~screen["personal_data"]).sum() >= 2, f"{council}: the trap of blank bases without personal data"
