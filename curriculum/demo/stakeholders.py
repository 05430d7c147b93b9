"""Demo stakeholders, resident survey and connections for a social-care front-door redesign.

Three files per council, for redesigning the council's *front door* to adult social care
(information, advice and assistance under the Social Services and Well-being (Wales)
Act 2014) with the people who use it:

- ``stakeholders.csv``: one row per stakeholder (council officers and members, the
  local health board, the regional partnership board, the county voluntary council,
  the housing association, residents' forums, regulators and commissioners), with a
  power and an interest score from 1 to 5 and a current stance, in the layout of a
  stakeholder register kept in a spreadsheet;
- ``resident_survey.csv``: one row per respondent to an engagement survey, in the
  layout of an online-survey export (question text as column headings, answers as
  words: "Strongly agree" ... "Strongly disagree", "Don't know"; the unpaid-care
  question in the Census 2021 wording). Four segments are planted: people who would
  rather go online, unpaid carers under pressure, older residents who want a person,
  and people with complex needs who contact the service often; their mix differs by
  council;
- ``connections.csv``: who works with or knows whom among the stakeholders (From, To,
  Relationship). The council, the health services and the community are dense groups
  joined mainly through three brokers with little formal power: the regional
  partnership board's programme manager, a local area coordinator and a GP cluster's
  social prescriber.

Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council

__all__ = ["FILES", "STAKEHOLDER_COLUMNS", "SURVEY_COLUMNS", "CONNECTION_COLUMNS", "LIKERT_HEADINGS",
           "SEGMENTS", "BROKER_ROLES", "generate", "survey_size"]

FILES: tuple[str, ...] = ("stakeholders.csv", "resident_survey.csv", "connections.csv")

STAKEHOLDER_COLUMNS: tuple[str, ...] = ("Stakeholder", "Organisation", "Role", "Sector", "Power (1-5)",
                                        "Interest (1-5)", "Current stance")
CONNECTION_COLUMNS: tuple[str, ...] = ("From", "To", "Relationship")

CARE_QUESTION = ("Do you look after, or give any help or support to, anyone because they have long-term physical "
                 "or mental health conditions or illnesses, or problems related to old age?")
CHANNEL_QUESTION = "How do you usually get in touch with adult social care?"
CONTACTS_QUESTION = "How many times have you contacted us in the last 12 months?"
INTERNET_QUESTION = "Do you have internet access at home?"

#: Survey headings of the seven statements, in the order of curriculum.stakeholders.LIKERT_QUESTIONS.
LIKERT_HEADINGS: tuple[str, ...] = (
    "It is easy to get in touch with the service",
    "I would rather sort things out online",
    "I prefer to talk to someone face to face",
    "I have had to repeat my story to different people",
    "I feel listened to about what matters to me",
    "I need help outside office hours",
    "I know where to find help in my community",
)
SURVEY_COLUMNS: tuple[str, ...] = ("Response ID", "Age group", "Postcode district", CHANNEL_QUESTION,
                                   CONTACTS_QUESTION, *LIKERT_HEADINGS, INTERNET_QUESTION, CARE_QUESTION)

_AGREE = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
_AGES = ("18-34", "35-49", "50-64", "65-74", "75-84", "85+")
_CHANNELS = ("Phone", "Online (website or email)", "Face to face at a hub or library", "Through a family member",
             "Through my GP or social prescriber")
_INTERNET = ("Yes, broadband", "Mobile phone only", "No")
_CARE = ("No", "Yes, 9 hours a week or less", "Yes, 10 to 19 hours a week", "Yes, 20 to 34 hours a week",
         "Yes, 35 to 49 hours a week", "Yes, 50 or more hours a week")

# The planted segments: mean answer to each statement (1-5, in LIKERT_HEADINGS order), mean
# contacts a year, and the probabilities of age group, channel, internet access and caring hours.
SEGMENTS: dict[str, dict] = {
    "Online and occasional": dict(
        likert=(4.1, 4.6, 1.7, 2.0, 3.7, 3.4, 2.3), contacts=1.5,
        ages=(0.30, 0.35, 0.25, 0.08, 0.02, 0.0), channels=(0.20, 0.70, 0.03, 0.02, 0.05),
        internet=(0.92, 0.08, 0.0), care=(0.82, 0.12, 0.04, 0.02, 0.0, 0.0)),
    "Carers under pressure": dict(
        likert=(1.9, 3.7, 2.4, 4.3, 2.3, 4.7, 3.6), contacts=7.0,
        ages=(0.08, 0.30, 0.42, 0.14, 0.05, 0.01), channels=(0.62, 0.22, 0.06, 0.04, 0.06),
        internet=(0.72, 0.25, 0.03), care=(0.08, 0.10, 0.20, 0.25, 0.17, 0.20)),
    "Older and wants a person": dict(
        likert=(3.3, 1.3, 4.7, 2.6, 3.8, 1.6, 4.1), contacts=3.0,
        ages=(0.0, 0.01, 0.05, 0.24, 0.45, 0.25), channels=(0.30, 0.02, 0.38, 0.25, 0.05),
        internet=(0.30, 0.22, 0.48), care=(0.86, 0.08, 0.04, 0.02, 0.0, 0.0)),
    "Complex needs, frequent contact": dict(
        likert=(2.0, 1.9, 4.0, 4.7, 1.5, 2.7, 1.5), contacts=16.0,
        ages=(0.14, 0.22, 0.26, 0.18, 0.14, 0.06), channels=(0.42, 0.08, 0.15, 0.10, 0.25),
        internet=(0.50, 0.35, 0.15), care=(0.70, 0.12, 0.08, 0.05, 0.03, 0.02)),
}

# Each council's mix of the four segments (in SEGMENTS order).
_MIX: dict[str, tuple[float, ...]] = {
    "Blaenau Gwent": (0.22, 0.28, 0.28, 0.22), "Bridgend": (0.30, 0.27, 0.27, 0.16),
    "Caerphilly": (0.27, 0.28, 0.27, 0.18), "Cardiff": (0.40, 0.24, 0.20, 0.16),
    "Merthyr Tydfil": (0.22, 0.28, 0.27, 0.23), "Monmouthshire": (0.27, 0.20, 0.40, 0.13),
    "Newport": (0.33, 0.26, 0.23, 0.18), "Rhondda Cynon Taf": (0.26, 0.29, 0.27, 0.18),
    "Torfaen": (0.28, 0.27, 0.27, 0.18), "Vale of Glamorgan": (0.32, 0.25, 0.30, 0.13),
}

_DISTRICTS: dict[str, tuple[str, ...]] = {
    "Cardiff": ("CF3", "CF5", "CF10", "CF11", "CF14", "CF23", "CF24"),
    "Vale of Glamorgan": ("CF61", "CF62", "CF63", "CF64", "CF71"),
    "Rhondda Cynon Taf": ("CF37", "CF38", "CF39", "CF40", "CF41", "CF42", "CF43", "CF44", "CF45", "CF72"),
    "Merthyr Tydfil": ("CF47", "CF48"),
    "Caerphilly": ("CF81", "CF82", "CF83", "NP11", "NP12"),
    "Bridgend": ("CF31", "CF32", "CF33", "CF34", "CF35", "CF36"),
    "Newport": ("NP10", "NP18", "NP19", "NP20"),
    "Torfaen": ("NP4", "NP44"),
    "Blaenau Gwent": ("NP13", "NP22", "NP23"),
    "Monmouthshire": ("NP7", "NP15", "NP16", "NP25", "NP26"),
}

_CTM = ("Cwm Taf Morgannwg University Health Board", "Cwm Taf Morgannwg Regional Partnership Board", "Age Connects Morgannwg")
_CAV = ("Cardiff and Vale University Health Board", "Cardiff and Vale Regional Partnership Board", "Age Connects Cardiff and the Vale")
_GWENT = ("Aneurin Bevan University Health Board", "Gwent Regional Partnership Board", "Age Cymru Gwent")

# Health board, regional partnership board, older people's charity, county voluntary council,
# housing association, a town for the GP cluster and hub, and the council's formal name.
_PLACES: dict[str, tuple] = {
    "Blaenau Gwent": (*_GWENT, "GAVO", "Tai Calon Community Housing", "Ebbw Vale", "Blaenau Gwent County Borough Council"),
    "Bridgend": (*_CTM, "Bridgend Association of Voluntary Organisations", "Valleys to Coast", "Maesteg", "Bridgend County Borough Council"),
    "Caerphilly": (*_GWENT, "GAVO", "United Welsh", "Bargoed", "Caerphilly County Borough Council"),
    "Cardiff": (*_CAV, "Cardiff Third Sector Council", "Cardiff Community Housing Association", "Llanrumney", "Cardiff Council"),
    "Merthyr Tydfil": (*_CTM, "Voluntary Action Merthyr Tydfil", "Merthyr Valleys Homes", "Dowlais", "Merthyr Tydfil County Borough Council"),
    "Monmouthshire": (*_GWENT, "GAVO", "Monmouthshire Housing Association", "Abergavenny", "Monmouthshire County Council"),
    "Newport": (*_GWENT, "GAVO", "Newport City Homes", "Bettws", "Newport City Council"),
    "Rhondda Cynon Taf": (*_CTM, "Interlink RCT", "Trivallis", "Tonypandy", "Rhondda Cynon Taf County Borough Council"),
    "Torfaen": (*_GWENT, "Torfaen Voluntary Alliance", "Bron Afon Community Housing", "Pontypool", "Torfaen County Borough Council"),
    "Vale of Glamorgan": (*_CAV, "Glamorgan Voluntary Services", "Newydd Housing Association", "Barry", "Vale of Glamorgan Council"),
}

# The stakeholder register: (role, organisation template, sector, power, interest, stance, group).
# Groups shape the network: "council", "health", "community", "national"; brokers are their own group.
_REGISTER: tuple[tuple, ...] = (
    ("Cabinet Member for Social Services", "{council}", "Elected members", 5, 4, "Supportive", "council"),
    ("Chair, Social Services Scrutiny Committee", "{council}", "Elected members", 4, 4, "Sceptical", "council"),
    ("Ward councillor, {town}", "{council}", "Elected members", 3, 4, "Opposed", "community"),
    ("Chief Executive", "{council}", "Council", 5, 2, "Neutral", "council"),
    ("Director of Social Services", "{council}", "Council", 5, 5, "Champion", "council"),
    ("Head of Adult Services", "{council}", "Council", 4, 5, "Supportive", "council"),
    ("Contact Centre Manager", "{council}", "Council", 4, 4, "Sceptical", "council"),
    ("Team Manager, Community Social Work", "{council}", "Council", 2, 4, "Neutral", "council"),
    ("Finance Business Partner, Social Care", "{council}", "Council", 4, 2, "Neutral", "council"),
    ("Head of Digital Services", "{council}", "Council", 4, 3, "Supportive", "council"),
    ("Welsh Language Standards Officer", "{council}", "Council", 2, 2, "Neutral", "council"),
    ("Branch Secretary", "UNISON {short} branch", "Trade union", 3, 4, "Sceptical", "council"),
    ("Local Area Coordinator, {town}", "{council}", "Council", 1, 5, "Champion", "broker_community"),
    ("Director of Primary Care and Community Services", "{hb}", "NHS", 4, 2, "Neutral", "health"),
    ("Cluster Lead GP", "{town} GP Cluster", "NHS", 3, 3, "Neutral", "health"),
    ("Social Prescriber", "{town} GP Cluster", "NHS", 1, 5, "Supportive", "broker_health"),
    ("District Nursing Team Leader", "{hb}", "NHS", 2, 3, "Neutral", "health"),
    ("Head of Therapies, Community Hospital", "{hb}", "NHS", 2, 2, "Neutral", "health"),
    ("Programme Manager", "{rpb}", "Partnership", 3, 4, "Supportive", "broker_partnership"),
    ("Chief Officer", "{cvc}", "Third sector", 3, 4, "Supportive", "community"),
    ("Services Manager", "{age}", "Third sector", 2, 5, "Supportive", "community"),
    ("Engagement Officer", "Carers Wales", "Third sector", 2, 5, "Sceptical", "community"),
    ("Advocate", "Dewis Centre for Independent Living", "Third sector", 2, 4, "Sceptical", "community"),
    ("Tenancy Support Manager", "{ha}", "Housing", 3, 3, "Neutral", "community"),
    ("Registered Manager", "{town} Home Care Ltd", "Care provider", 2, 3, "Neutral", "community"),
    ("Chair", "{short} 50+ Forum", "Residents", 2, 5, "Sceptical", "community"),
    ("Chair", "{short} Carers' Forum", "Residents", 1, 5, "Opposed", "community"),
    ("Member with lived experience", "{short} Citizens' Panel", "Residents", 1, 5, "Neutral", "community"),
    ("Clerk", "{town} Town Council", "Residents", 2, 2, "Neutral", "community"),
    ("Local Authority Inspection Lead", "Care Inspectorate Wales", "National", 4, 2, "Neutral", "national"),
    ("Policy Officer", "Older People's Commissioner for Wales", "National", 4, 3, "Supportive", "national"),
    ("Improvement Lead", "Social Care Wales", "National", 2, 3, "Supportive", "national"),
)
#: Roles of the three planted brokers.
BROKER_ROLES: tuple[str, ...] = ("Programme Manager", "Local Area Coordinator", "Social Prescriber")
_FIXED = {"Director of Social Services", "Contact Centre Manager", "Chief Executive", "Member with lived experience",
          "Clerk"}  # keep every quadrant, and a key player to win over, in every council

_EXTRA_ROLES = (("Volunteer", "{town} Community Hub", "Residents"), ("Resident", "{town}", "Residents"),
                ("Home carer", "{town} Home Care Ltd", "Care provider"), ("Community worker", "{cvc}", "Third sector"),
                ("Carer", "{short} Carers' Forum", "Residents"))

_FIRST = ("Rhian", "Gareth", "Siân", "Dafydd", "Carys", "Huw", "Bethan", "Owain", "Ceri", "Aled", "Nia", "Rhys",
          "Ffion", "Iwan", "Lowri", "Emyr", "Geraint", "Angharad", "Tomos", "Elin", "Gethin", "Sioned", "Catrin",
          "Meinir", "Sarah", "David", "Helen", "Mark", "Claire", "James", "Karen", "Paul", "Emma", "Michael",
          "Joanne", "Andrew", "Priya", "Imran", "Amina", "Tariq", "Mei", "Kwame", "Grace", "Yusuf", "Hannah",
          "Stephen", "Lisa", "Neil", "Julie", "Rachel")
_LAST = ("Evans", "Jones", "Williams", "Davies", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths",
         "Price", "Powell", "Rees", "Jenkins", "Howells", "Pritchard", "Bevan", "Llewellyn", "Watkins", "Phillips",
         "Harris", "Edwards", "James", "Owen", "Parry", "Richards", "Ahmed", "Khan", "Patel", "Begum", "Clarke",
         "Walsh", "O'Brien", "Mensah", "Nguyen", "Hopkins", "Prosser", "Jarvis")

_KINDS = {
    "council": ("works with", "line manages", "works with", "reports to committee"),
    "health": ("works with", "refers people to", "works with"),
    "community": ("works with", "knows personally", "refers people to", "sits on the same forum"),
    "national": ("works with", "knows personally"),
}


def survey_size(council: Council, scale: float = 1.0) -> int:
    """Return how many survey respondents a council's demo file holds.

    Parameters
    ----------
    council : Council
        The council; its Census 2021 population sets the number.
    scale : float, default 1.0
        Volume multiplier (positive).

    Returns
    -------
    int
        One respondent per thousand residents, between 120 and 360, times ``scale``.

    Raises
    ------
    ValueError
        If ``scale`` is not a positive number.
    """
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    base = min(360, max(120, round(council.population_2021 / 1000)))
    return max(20, round(base * float(scale)))


def _names(rng: np.random.Generator, n: int) -> list[str]:
    pairs = [(f, s) for f in _FIRST for s in _LAST]
    picks = rng.choice(len(pairs), size=n, replace=False)
    return [f"{pairs[i][0]} {pairs[i][1]}" for i in picks]


def _stakeholders(council: Council, rng: np.random.Generator, scale: float) -> pd.DataFrame:
    hb, rpb, age, cvc, ha, town, formal = _PLACES[council.name]
    short = council.name
    fill = dict(council=formal, hb=hb, rpb=rpb, age=age, cvc=cvc, ha=ha, town=town, short=short)
    rows = []
    for role, org, sector, power, interest, stance, group in _REGISTER:
        if role.split(",")[0] not in _FIXED and rng.random() < 0.3:  # councils differ a little
            power = int(np.clip(power + rng.choice([-1, 1]), 1, 5))
        if role.split(",")[0] not in _FIXED and rng.random() < 0.3:
            interest = int(np.clip(interest + rng.choice([-1, 1]), 1, 5))
        if rng.random() < 0.15 and group not in ("broker_community", "broker_health", "broker_partnership"):
            i = _STANCE_ORDER.index(stance)
            stance = _STANCE_ORDER[int(np.clip(i + rng.choice([-1, 1]), 0, 4))]
        rows.append(dict(role=role.format(**fill), org=org.format(**fill), sector=sector, power=power,
                         interest=interest, stance=stance, group=group))
    for _ in range(max(1, round(8 * float(scale)))):
        role, org, sector = _EXTRA_ROLES[rng.integers(len(_EXTRA_ROLES))]
        rows.append(dict(role=role, org=org.format(**fill), sector=sector, power=1, interest=int(rng.integers(2, 6)),
                         stance=_STANCE_ORDER[int(rng.choice(5, p=[0.1, 0.3, 0.35, 0.15, 0.1]))], group="community"))
    frame = pd.DataFrame(rows)
    frame["name"] = _names(rng, len(frame))
    blank = rng.random(len(frame)) < 0.06  # a few stances nobody has asked about yet
    blank &= ~frame["group"].str.startswith("broker").to_numpy() & ~frame["role"].isin(["Director of Social Services"]).to_numpy()
    frame.loc[blank, "stance"] = ""
    return frame


_STANCE_ORDER = ("Champion", "Supportive", "Neutral", "Sceptical", "Opposed")


def _connections(people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    edges: dict[tuple[int, int], str] = {}

    def link(a: int, b: int, kind: str) -> None:
        if a != b:
            edges.setdefault((min(a, b), max(a, b)), kind)

    groups = {g: people.index[people["group"] == g].tolist() for g in people["group"].unique()}
    density = {"council": 0.45, "health": 0.7, "community": 0.22, "national": 0.7}
    for group, p in density.items():
        members = groups.get(group, [])
        kinds = _KINDS[group]
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if rng.random() < p:
                    link(a, b, kinds[rng.integers(len(kinds))])
        for a in members:  # nobody is left out of their own group
            if len(members) > 1 and not any(a in e for e in edges):
                link(a, members[(members.index(a) + 1) % len(members)], kinds[0])
    role = people["role"]

    def who(prefix: str) -> list[int]:
        return people.index[role.str.startswith(prefix)].tolist()

    council, health, community, national = (groups.get(g, []) for g in ("council", "health", "community", "national"))
    lac, prescriber, rpb = who("Local Area Coordinator")[0], who("Social Prescriber")[0], who("Programme Manager")[0]
    # The regional partnership board's programme manager joins the council, health, the third sector and national bodies.
    for target in (who("Director of Social Services") + who("Head of Adult Services") + who("Director of Primary Care")
                   + who("Cluster Lead GP") + who("Chief Officer") + who("Improvement Lead") + who("Policy Officer")):
        link(rpb, target, "sits on the same board")
    # The local area coordinator links council teams with residents and community groups.
    for target in who("Team Manager") + who("Contact Centre Manager"):
        link(lac, target, "works with")
    reach = [c for c in community if rng.random() < 0.6] + [c for c in community if role[c].startswith(("Chair", "Member", "Volunteer", "Resident"))]
    for target in reach:
        link(lac, target, "knows personally")
    # The social prescriber links the GP cluster with community organisations and residents.
    for target in who("Cluster Lead GP") + who("District Nursing"):
        link(prescriber, target, "works with")
    for target in [c for c in community if rng.random() < 0.45] + who("Services Manager") + who("Engagement Officer"):
        link(prescriber, target, "refers people to")
    link(lac, prescriber, "works with")
    # A few direct ties across groups, as in any real place.
    link(who("Cabinet Member")[0], who("Ward councillor")[0], "knows personally")
    link(who("Director of Social Services")[0], who("Local Authority Inspection Lead")[0], "works with")
    del council, health, national
    order = list(edges.items())
    rng.shuffle(order)
    names = people["name"]
    flip = rng.random(len(order)) < 0.5
    rows = [(names[b], names[a], kind) if f else (names[a], names[b], kind) for ((a, b), kind), f in zip(order, flip)]
    return pd.DataFrame(rows, columns=list(CONNECTION_COLUMNS))


def _survey(council: Council, rng: np.random.Generator, scale: float) -> pd.DataFrame:
    n = survey_size(council, scale)
    mix = np.asarray(_MIX[council.name])
    segment = rng.choice(len(SEGMENTS), size=n, p=mix / mix.sum())
    specs = list(SEGMENTS.values())
    likert = np.empty((n, len(LIKERT_HEADINGS)), dtype=object)
    contacts = np.empty(n, dtype=int)
    ages, channels, internet, care = [], [], [], []
    for r in range(n):
        spec = specs[segment[r]]
        scores = np.clip(np.rint(rng.normal(spec["likert"], 0.65)), 1, 5).astype(int)
        likert[r] = [_AGREE[s - 1] for s in scores]
        contacts[r] = rng.negative_binomial(4, 4 / (4 + spec["contacts"]))
        ages.append(_AGES[rng.choice(len(_AGES), p=np.asarray(spec["ages"]) / sum(spec["ages"]))])
        channels.append(_CHANNELS[rng.choice(len(_CHANNELS), p=spec["channels"])])
        internet.append(_INTERNET[rng.choice(len(_INTERNET), p=spec["internet"])])
        care.append(_CARE[rng.choice(len(_CARE), p=np.asarray(spec["care"]) / sum(spec["care"]))])
    # Real survey exports have gaps: "Don't know", skipped questions, "Prefer not to say".
    dont_know = rng.random(likert.shape) < 0.03
    likert[dont_know] = "Don't know"
    likert[rng.random(likert.shape) < 0.01] = ""
    ages = np.where(rng.random(n) < 0.02, "Prefer not to say", ages)
    districts = _DISTRICTS[council.name]
    area = rng.choice(districts, size=n)
    area = np.where(rng.random(n) < 0.04, "", area)
    care = np.where(rng.random(n) < 0.02, "", care)
    ids = 100_000_000 + np.sort(rng.choice(900_000_000, size=n, replace=False))  # nine-digit ids, as survey tools give
    frame = pd.DataFrame({"Response ID": ids, "Age group": ages, "Postcode district": area,
                          CHANNEL_QUESTION: channels, CONTACTS_QUESTION: contacts})
    for j, heading in enumerate(LIKERT_HEADINGS):
        frame[heading] = likert[:, j]
    frame[INTERNET_QUESTION] = internet
    frame[CARE_QUESTION] = care
    return frame[list(SURVEY_COLUMNS)]


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's demo stakeholder register, resident survey and connections.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same files.
    scale : float, default 1.0
        Volume multiplier: survey respondents (see :func:`survey_size`) and the extra
        residents, volunteers and care workers in the register.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``stakeholders.csv`` (columns :data:`STAKEHOLDER_COLUMNS`), ``resident_survey.csv``
        (:data:`SURVEY_COLUMNS`) and ``connections.csv`` (:data:`CONNECTION_COLUMNS`).

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not positive.
    """
    if not isinstance(council, Council) or council.name not in _PLACES:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    survey_size(council, scale)  # checks scale
    people = _stakeholders(council, rng, scale)
    links = _connections(people, rng)
    survey = _survey(council, rng, scale)
    register = pd.DataFrame({
        "Stakeholder": people["name"], "Organisation": people["org"], "Role": people["role"], "Sector": people["sector"],
        "Power (1-5)": people["power"], "Interest (1-5)": people["interest"], "Current stance": people["stance"],
    })
    register = register.sort_values(["Sector", "Organisation", "Stakeholder"], ignore_index=True)
    return {"stakeholders.csv": register[list(STAKEHOLDER_COLUMNS)], "resident_survey.csv": survey,
            "connections.csv": links}
