"""Demo registers of analytics proposals: the data-sharing decisions waiting on a council's sponsor.

Each council's information governance team keeps a register of proposals to use or share
data for analysis (8 to 12 at scale 1): a school readiness model built with the local
health board (after the Essex Centre for Data Analytics' work), a homelessness early
warning, a damp and mould risk model, free school meals enrolled automatically from DWP
data, a council tax chatbot, the Cardiff Model's anonymised emergency department data, a
fly-tipping map and others. Each row records the purpose, data sources, partner
organisations (the local health board and police force are the council's own: Cardiff and
Vale, Cwm Taf Morgannwg or Aneurin Bevan University Health Board; South Wales or Gwent
Police), flags for personal, special category and children's data, automated decisions,
new technology, scale, profiling, data matching and algorithmic tools, the UK GDPR lawful
basis with the statutory power, the Article 9 condition, the WASPI agreement, and whether
a DPIA is done and an ATRS record published.

Planted structure: every register holds the school readiness model and at least two
proposals without personal data (whose lawful basis is blank, rightly); exactly one
proposal with personal data records no lawful basis; exactly one proposal shares personal
data with a partner without a WASPI agreement; at least one proposal that needs a DPIA has
none and at least one has one; at least one proposal that needs an ATRS record has not
published it; some registers also hold a special category proposal without an Article 9
condition, or a chatbot resting on legitimate interests. Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council

__all__ = ["COLUMNS", "FILES", "POOL", "generate"]

FILES: tuple[str, ...] = ("analytics_proposals.csv",)
COLUMNS: tuple[str, ...] = ("Ref", "Proposal", "Purpose", "Data Sources", "Partner Organisations", "Personal Data",
                            "Special Category Data", "Children's Data", "Automated Decision-Making", "New Technology",
                            "Large Scale", "Profiling", "Data Matching", "Algorithmic Tool", "Lawful Basis (Article 6)",
                            "Article 9 Condition", "WASPI Agreement", "DPIA Completed", "ATRS Record Published",
                            "Sponsor")

_HEALTH_BOARD = {
    "Cardiff": "Cardiff and Vale University Health Board", "Vale of Glamorgan": "Cardiff and Vale University Health Board",
    "Bridgend": "Cwm Taf Morgannwg University Health Board", "Merthyr Tydfil": "Cwm Taf Morgannwg University Health Board",
    "Rhondda Cynon Taf": "Cwm Taf Morgannwg University Health Board",
}  # the other five: Aneurin Bevan University Health Board
_SOUTH_WALES_POLICE = {"Cardiff", "Vale of Glamorgan", "Bridgend", "Merthyr Tydfil", "Rhondda Cynon Taf"}

# flags: P personal, S special category, C children, A automated decision, N new technology, L large scale,
# R profiling, M data matching, T algorithmic tool
POOL: dict[str, dict] = {
    "school_readiness": dict(
        proposal="School readiness early help model",
        purpose="Predict which children are unlikely to be ready for school at five, so that health visitors and Flying Start can offer help earlier",
        sources="Health visiting records; Flying Start; Early years settings; Housing; Council Tax Reduction",
        partners="{health_board}", flags="PSCNLRMT",
        basis="6(1)(e) public task: Social Services and Well-being (Wales) Act 2014",
        article9="9(2)(h) health and social care", agreement="ISP", sponsor="Director of Education"),
    "homelessness_warning": dict(
        proposal="Homelessness prevention early warning",
        purpose="Flag households at risk of homelessness from rent and council tax arrears so that housing options officers call before a crisis",
        sources="Council Tax arrears; Housing Benefit and Council Tax Reduction; Housing association rent arrears",
        partners="Housing associations in the county", flags="PNLRMT",
        basis="6(1)(e) public task: Housing (Wales) Act 2014, Part 2", article9=None, agreement="ISP",
        sponsor="Head of Housing"),
    "ctax_review": dict(
        proposal="Single person discount review",
        purpose="Match council tax single person discounts with the electoral register to find discounts no longer due",
        sources="Council Tax; Electoral register", partners=None, flags="PLM",
        basis="6(1)(e) public task: Local Government Finance Act 1992", article9=None, agreement=None,
        sponsor="Head of Revenues"),
    "footfall": dict(
        proposal="Town centre footfall sensors",
        purpose="Count visitors in the town centre from the Wi-Fi signals of mobile phones to judge the effect of regeneration schemes",
        sources="Wi-Fi sensor counts (hashed device identifiers)", partners=None, flags="PNL",
        basis="6(1)(e) public task: Local Government and Elections (Wales) Act 2021, general power of competence",
        article9=None, agreement=None, sponsor="Head of Regeneration"),
    "flytipping_map": dict(
        proposal="Fly-tipping hotspot map",
        purpose="Map fly-tipping incidents by small area to plan enforcement patrols and clearance rounds",
        sources="Fly-tipping incidents (counts by small area)", partners=None, flags="",
        basis=None, article9=None, agreement=None, sponsor="Head of Neighbourhood Services"),
    "asc_forecast": dict(
        proposal="Adult social care demand forecast",
        purpose="Forecast referrals to adult social care for the next three years from counts by age band",
        sources="Referral counts by month and age band; ONS population projections", partners=None, flags="",
        basis=None, article9=None, agreement=None, sponsor="Director of Social Services"),
    "blue_badge": dict(
        proposal="Blue Badge automatic eligibility check",
        purpose="Grant Blue Badges automatically to applicants whose benefit award already qualifies them",
        sources="Blue Badge applications", partners=None, flags="PSAT",
        basis="6(1)(e) public task: Chronically Sick and Disabled Persons Act 1970, section 21",
        article9="9(2)(g) substantial public interest (DPA 2018 Schedule 1, paragraph 6)", agreement=None,
        sponsor="Head of Customer Services"),
    "fsm_auto": dict(
        proposal="Free school meals automatic enrolment",
        purpose="Enrol pupils for free school meals and the School Essentials Grant automatically from benefit data, without an application",
        sources="Housing Benefit and Council Tax Reduction; School census; DWP benefit data",
        partners="Department for Work and Pensions", flags="PCALMT",
        basis="6(1)(e) public task: Education Act 1996, section 512", article9=None, agreement="DDA",
        sponsor="Director of Education"),
    "chatbot": dict(
        proposal="Council tax chatbot",
        purpose="Answer residents' council tax questions online with a generative AI assistant, in Welsh and English, around the clock",
        sources="Council Tax accounts; Website content", partners=None, flags="PNLT",
        basis="6(1)(e) public task: Local Government Finance Act 1992", article9=None, agreement=None,
        sponsor="Head of Digital"),
    "sickness_dashboard": dict(
        proposal="Staff sickness absence dashboard",
        purpose="Show managers sickness absence by team and reason to target occupational health support",
        sources="HR and payroll system", partners=None, flags="PS",
        basis="6(1)(b) contract: employment", article9="9(2)(b) employment law", agreement=None,
        sponsor="Head of People"),
    "road_casualties": dict(
        proposal="Road casualty analysis",
        purpose="Compare injury collisions by small area before and after 20 mph limits",
        sources="STATS19 collisions (no names); Traffic counts", partners=None, flags="",
        basis=None, article9=None, agreement=None, sponsor="Head of Highways"),
    "damp_mould": dict(
        proposal="Damp and mould risk model",
        purpose="Score council homes for the risk of damp and mould to prioritise inspections before tenants complain",
        sources="Repairs history; Stock condition survey; EPC ratings; Tenancy records", partners=None, flags="PNLRMT",
        basis="6(1)(e) public task: Renting Homes (Wales) Act 2016 (fitness for human habitation)", article9=None,
        agreement=None, sponsor="Head of Housing"),
    "library_survey": dict(
        proposal="Library users survey",
        purpose="Analyse a survey of library users to plan opening hours",
        sources="Online survey responses", partners=None, flags="P",
        basis="6(1)(e) public task: Public Libraries and Museums Act 1964", article9=None, agreement=None,
        sponsor="Head of Culture"),
    "youth_evaluation": dict(
        proposal="Youth service evaluation",
        purpose="Compare the school attendance of young people who use youth clubs with those who do not",
        sources="Youth service attendance; School attendance", partners="Secondary schools in the county", flags="PCM",
        basis="6(1)(e) public task: youth support services (Learning and Skills Act 2000)", article9=None,
        agreement="ISP", sponsor="Head of Youth Services"),
    "cardiff_model": dict(
        proposal="Violence prevention: emergency department data (the Cardiff Model)",
        purpose="Map assaults seen in the emergency department by time and place, anonymised, for the community safety partnership to target hotspots",
        sources="Emergency department assault data (anonymised: time, place, weapon)",
        partners="{health_board}; {police}", flags="", basis=None, article9=None, agreement=None,
        sponsor="Community safety partnership manager"),
}
_NO_PERSONAL = ("flytipping_map", "asc_forecast", "road_casualties", "cardiff_model")
_FLAG_COLUMNS = {"P": "Personal Data", "S": "Special Category Data", "C": "Children's Data",
                 "A": "Automated Decision-Making", "N": "New Technology", "L": "Large Scale", "R": "Profiling",
                 "M": "Data Matching", "T": "Algorithmic Tool"}


def _check(council, scale) -> None:
    if not isinstance(council, Council) or council.name not in COUNCIL_NAMES:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")


def _needs_dpia(flags: str) -> bool:
    """Whether curriculum.governance's screen asks for a DPIA (kept in step by the generator's tests)."""
    from curriculum.governance import screen_proposals

    return bool(screen_proposals(pd.DataFrame([_flags_row("X", flags)]))["needs_dpia"].iloc[0])


def _flags_row(ref: str, flags: str) -> dict:
    names = {"P": "personal_data", "S": "special_category", "C": "children", "A": "automated_decision",
             "N": "new_technology", "L": "large_scale", "R": "profiling", "M": "data_matching", "T": "algorithmic_tool"}
    row = {v: k in flags for k, v in names.items()}
    row.update(proposal_id=ref, proposal=ref, lawful_basis="x", dpia_done=False, atrs_published=False)
    return row


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate one council's register of analytics proposals.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same file.
    scale : float, default 1.0
        Volume multiplier: 8 to 12 proposals at scale 1 (at least 6); beyond the 15 kinds
        of proposal, further phases of the same ones.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"analytics_proposals.csv": ...}`` with the columns of :data:`COLUMNS`.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    """
    _check(council, scale)
    health_board = _HEALTH_BOARD.get(council.name, "Aneurin Bevan University Health Board")
    police = "South Wales Police" if council.name in _SOUTH_WALES_POLICE else "Gwent Police"
    n = max(6, round(int(rng.integers(8, 13)) * float(scale)))
    keys = list(POOL)
    no_personal = [k for k in _NO_PERSONAL]
    personal = [k for k in keys if k not in _NO_PERSONAL and k != "school_readiness"]
    first = (["school_readiness"] + list(rng.choice(no_personal, size=2, replace=False))
             + list(rng.choice(personal, size=3, replace=False)))
    rest = [k for k in rng.permutation(keys) if k not in first]
    chosen = (first + rest)[: min(n, len(keys))]
    while len(chosen) < n:  # large scales: further phases of the same kinds of proposal
        chosen.append(keys[int(rng.integers(len(keys)))])
    order = rng.permutation(len(chosen))
    chosen = [chosen[i] for i in order]
    seen: dict[str, int] = {}
    rows = []
    for key in chosen:
        item = POOL[key]
        seen[key] = seen.get(key, 0) + 1
        flags = item["flags"]
        rows.append({
            "key": key, "Proposal": item["proposal"] + (f" (phase {seen[key]})" if seen[key] > 1 else ""),
            "Purpose": item["purpose"], "Data Sources": item["sources"],
            "Partner Organisations": (item["partners"] or "").format(health_board=health_board, police=police),
            **{column: "Yes" if k in flags else "No" for k, column in _FLAG_COLUMNS.items()},
            "Lawful Basis (Article 6)": item["basis"] or "", "Article 9 Condition": item["article9"] or "",
            "WASPI Agreement": item["agreement"] or "",
            "dpia": _needs_dpia(flags), "atrs": "T" in flags, "Sponsor": item["sponsor"],
        })
    frame = pd.DataFrame(rows)
    is_personal = frame["Personal Data"] == "Yes"
    shares = is_personal & (frame["Partner Organisations"] != "")
    # exactly one proposal with personal data and no lawful basis (never the school readiness model)
    blank_basis = rng.choice(frame.index[is_personal & (frame["key"] != "school_readiness")])
    frame.loc[blank_basis, "Lawful Basis (Article 6)"] = ""
    # exactly one proposal sharing personal data with a partner without a WASPI agreement
    no_agreement = rng.choice(frame.index[shares])
    frame.loc[no_agreement, "WASPI Agreement"] = ""
    # some registers: a special category proposal without an Article 9 condition; a chatbot on legitimate interests
    special = frame.index[(frame["Special Category Data"] == "Yes") & (frame.index != blank_basis)]
    if len(special) and rng.random() < 0.4:
        frame.loc[rng.choice(special), "Article 9 Condition"] = ""
    chatbot = frame.index[(frame["key"] == "chatbot") & (frame.index != blank_basis)]
    if len(chatbot) and rng.random() < 0.5:
        frame.loc[chatbot[0], "Lawful Basis (Article 6)"] = "6(1)(f) legitimate interests"
    # DPIAs and ATRS records: some done, at least one of each missing where needed
    needs = frame.index[frame["dpia"]]
    done = rng.random(len(frame)) < np.where(frame["dpia"], 0.55, 0.25)
    done[frame.index.get_loc(rng.choice(needs))] = False
    undone = [i for i in needs if not done[frame.index.get_loc(i)]]
    if len(needs) > 1 and len(undone) == len(needs):
        done[frame.index.get_loc([i for i in needs if i != undone[0]][0])] = True
    frame["DPIA Completed"] = np.where(done, "Yes", "No")
    tools = frame.index[frame["atrs"]]
    published = (rng.random(len(frame)) < 0.35) & frame["atrs"].to_numpy()
    if len(tools):
        published[frame.index.get_loc(rng.choice(tools))] = False
    frame["ATRS Record Published"] = np.where(published, "Yes", "No")
    frame["Ref"] = [f"AP-{i + 1:02d}" for i in range(len(frame))]
    return {"analytics_proposals.csv": frame[list(COLUMNS)].reset_index(drop=True)}
