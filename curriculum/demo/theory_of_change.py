"""Demo theories of change: a council's draft for the Mockingbird Family Model.

One row per element of the theory of change a council's fostering service has drafted
for adopting the Mockingbird Family Model (a "constellation" of six to ten fostering
households around an experienced hub home carer), in the layout of the spreadsheet a
project team would keep: ``Element ID``, ``Level`` (Activity, Output, Outcome or
Impact), ``Description``, ``Leads To`` (element IDs separated by semicolons),
``Indicator``, ``Assumption`` and ``Data Source``.

Every draft is deliberately imperfect, as first drafts are, and differently for each
council: one or two outcomes have no indicator (blank or "TBC"), one activity leads
nowhere (an orphan), and one or two of these: an outcome that leads nowhere (a dead
end), a mistyped ID in ``Leads To`` (``0C5`` for ``OC5``), a loop from an outcome back
to an output, and an outcome that no activity leads to. Councils also differ in which
optional strands (siblings, social activities, out-of-area placements) they include.

``scale`` repeats the hub-recruitment and sleepover strands for more constellations
(for benchmarks). Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council, COUNCIL_NAMES

__all__ = ["FILES", "COLUMNS", "FLAWS", "generate", "seeded_flaws"]

FILES: tuple[str, ...] = ("theory_of_change.csv",)
COLUMNS: tuple[str, ...] = ("Element ID", "Level", "Description", "Leads To", "Indicator", "Assumption", "Data Source")
FLAWS: tuple[str, ...] = ("dead end", "mistyped link", "loop", "no activity behind it")

_LEVEL_ORDER = {"Activity": 0, "Output": 1, "Outcome": 2, "Impact": 3}

# (id, level, description, leads to, indicator, assumption, data source)
_CORE: list[tuple[str, ...]] = [
    ("A1", "Activity", "Recruit and train hub home carers through Foster Wales {council}", "OP1",
     "", "Experienced carers with a spare bedroom will take on the hub role for the fee offered", "Fostering service records"),
    ("A2", "Activity", "Group six to ten fostering households living near each hub into a constellation", "OP1",
     "", "Enough fostering households live within about 30 minutes' travel of a hub home", "Fostering service records"),
    ("A3", "Activity", "Hub homes offer planned and emergency sleepovers and short breaks", "OP2",
     "", "Children and carers see a night at the hub as time with extended family, not as respite", "Hub carer log"),
    ("A4", "Activity", "Hold monthly constellation meetings for peer support and joint planning", "OP3",
     "", "Satellite carers can get to meetings (timing, travel, childcare)", "Hub carer log"),
    ("A5", "Activity", "Run social activities for children and families, in Welsh and English", "OP4",
     "", "Children want to spend time with other children in care", "Hub carer log"),
    ("A6", "Activity", "Appoint a liaison worker who supports the hub carers and links them with social workers", "OP1;OP3",
     "", "Social workers trust the hub carer's judgement and share information with the hub", "Staffing plan"),
    ("OP1", "Output", "Constellations running, each with a hub home and six to ten satellite households", "OC1",
     "Constellations and satellite households active at month end", "Households stay in a constellation long enough to build relationships",
     "Liaison worker's monthly return"),
    ("OP2", "Output", "Sleepovers and short breaks delivered by hub homes", "OC2;OC3",
     "Sleepover nights per child per quarter", "Sleepovers are used early, before a placement is under strain", "Hub carer log"),
    ("OP3", "Output", "Peer support meetings and joint planning sessions held", "OC1;OC2",
     "Meetings held and satellite carers attending", "Carers speak openly about difficulties in front of their peers", "Hub carer log"),
    ("OP4", "Output", "Social activities held for constellation families", "OC3",
     "Activities held and children attending", "Activities are frequent enough for friendships to form", "Hub carer log"),
    ("OC1", "Outcome", "Satellite carers feel supported and less isolated", "OC6",
     "Share of carers rating the support from their constellation good or excellent", "Carers who feel supported keep fostering",
     "Annual foster carer survey"),
    ("OC2", "Outcome", "Problems are picked up and resolved before they escalate", "OC5",
     "Out-of-hours crisis calls from constellation households per quarter", "Early help from a carer the family knows prevents the crises that end placements",
     "Out-of-hours duty log"),
    ("OC3", "Outcome", "Children build trusting relationships and feel part of an extended family", "OC7",
     "Children who say they have a trusted adult outside their household", "Relationships made in the constellation last when a placement changes",
     "Children's well-being survey"),
    ("OC5", "Outcome", "Fewer placements end in an unplanned way", "OC7;OC8",
     "Unplanned placement endings per 100 children per year", "Many placement endings come from carer strain that the hub can relieve",
     "Children Looked After census return"),
    ("OC6", "Outcome", "Foster carers stay with the council's fostering service", "OC8",
     "Carer households de-registering per 100 per year", "Carers leave mainly for lack of support, not for pay or changes in their own lives",
     "Fostering panel records"),
    ("OC7", "Outcome", "Children's emotional well-being improves", "IM1",
     "Mean Strengths and Difficulties Questionnaire (SDQ) score, carer-completed", "SDQ scores move within two years of joining a constellation",
     "SDQ returns"),
    ("OC8", "Outcome", "Fewer children placed with independent fostering agencies or in residential care", "IM1",
     "Share of children looked after placed with agencies or in residential care", "Retained carers take the children who would otherwise go to agency or residential placements",
     "Placements budget and Children Looked After census return"),
    ("IM1", "Impact", "Children looked after by {council} grow up in stable, loving family homes near their communities "
     "and do as well as their peers (a more equal and a healthier Wales)", "",
     "Children looked after with three or more placements in the year (%)", "", "Children Looked After census return"),
]

# Optional strands: councils include some of them.
_SIBLINGS = [
    ("OC4", "Outcome", "Brothers and sisters living apart see each other more often", "OC7",
     "Sibling contacts per month for separated siblings", "Carers of separated siblings can join the same constellation",
     "Case management system"),
]

# Activities a first draft lists without linking them to anything.
_ORPHANS = [
    ("Activity", "Hold a launch event with elected members and the local press", "", "",
     "Publicity brings forward new foster carers", "Communications team"),
    ("Activity", "Produce a Mockingbird leaflet for people thinking of fostering", "", "",
     "Prospective carers are drawn by the extra support", "Communications team"),
    ("Activity", "Train children's social workers in the Mockingbird model", "", "",
     "Social workers refer children and carers to constellations", "Learning and development records"),
    ("Activity", "Buy a minibus for constellation outings", "", "",
     "Transport is what stops families joining activities", "Fleet records"),
    ("Activity", "Set up a group chat for hub carers across the region", "", "",
     "Hub carers want to share practice with each other", ""),
]

_DEAD_ENDS = [
    ("Outcome", "Birth families feel more involved in their children's care", "OP4", "",
     "Birth family time at the hub home is easier for everyone", "Family time records"),
    ("Outcome", "Hub carers gain recognised skills and a career path", "OP1", "",
     "Hub carers want a recognised qualification", "Learning and development records"),
]

_UNSUPPORTED = [
    ("Outcome", "Fewer children placed outside {council}", "", "IM1",
     "Children can stay near school and friends when a constellation is close by",
     "Children Looked After census return"),
]


def _rows(council: Council, rng: np.random.Generator, scale: float) -> tuple[list[dict], dict]:
    name = council.name
    rows = [dict(zip(COLUMNS, r)) for r in _CORE]
    for row in rows:
        row["Description"] = row["Description"].format(council=name)
    if rng.random() < 0.6:  # the siblings strand
        rows.append(dict(zip(COLUMNS, _SIBLINGS[0])))
        for row in rows:
            if row["Element ID"] == "OP4":
                row["Leads To"] = "OC3;OC4"
    copies = max(1, int(round(float(scale))))
    for k in range(2, copies + 1):  # more constellations: their own recruitment and sleepover strands
        rows.append({"Element ID": f"A1-{k}", "Level": "Activity",
                     "Description": f"Recruit and train the hub home carer for constellation {k}", "Leads To": f"OP1-{k}",
                     "Indicator": "", "Assumption": "A hub carer can be found in this area", "Data Source": "Fostering service records"})
        rows.append({"Element ID": f"OP1-{k}", "Level": "Output", "Description": f"Constellation {k} running",
                     "Leads To": "OC1;OC2", "Indicator": f"Satellite households active in constellation {k}",
                     "Assumption": "", "Data Source": "Liaison worker's monthly return"})
    flaws: dict[str, list[str]] = {}
    # Outcomes without an indicator (one or two), blank or "TBC".
    outcomes = [r for r in rows if r["Level"] == "Outcome"]
    chosen = rng.choice(len(outcomes), size=int(rng.integers(1, 3)), replace=False)
    for i in sorted(chosen):
        outcomes[i]["Indicator"] = "TBC" if rng.random() < 0.5 else ""
        outcomes[i]["Data Source"] = ""
    flaws["no indicator"] = sorted(outcomes[i]["Element ID"] for i in chosen)
    # One orphan activity.
    level, desc, _, leads, assumption, source = _ORPHANS[int(rng.integers(len(_ORPHANS)))]
    rows.append({"Element ID": "A7", "Level": level, "Description": desc, "Leads To": leads, "Indicator": "",
                 "Assumption": assumption, "Data Source": source})
    flaws["orphan activity"] = ["A7"]
    # One or two further flaws.
    picks = rng.choice(len(FLAWS), size=int(rng.integers(1, 3)), replace=False)
    for flaw in (FLAWS[i] for i in sorted(picks)):
        if flaw == "dead end":
            level, desc, feeder, leads, assumption, source = _DEAD_ENDS[int(rng.integers(len(_DEAD_ENDS)))]
            rows.append({"Element ID": "OC9", "Level": level, "Description": desc, "Leads To": leads,
                         "Indicator": "Share of families who say so in the annual survey", "Assumption": assumption,
                         "Data Source": source})
            for row in rows:
                if row["Element ID"] == feeder:
                    row["Leads To"] = row["Leads To"] + ";OC9"
            flaws[flaw] = ["OC9"]
        elif flaw == "mistyped link":
            for row in rows:
                if row["Element ID"] == "OC2":
                    row["Leads To"] = "0C5"  # a zero for the letter O
            flaws[flaw] = ["OC2"]
        elif flaw == "loop":
            for row in rows:
                if row["Element ID"] == "OC2":
                    row["Leads To"] = row["Leads To"] + ";OP2"
            flaws[flaw] = ["OC2", "OP2"]
        else:
            level, desc, _, leads, assumption, source = _UNSUPPORTED[0]
            rows.append({"Element ID": "OC10", "Level": level, "Description": desc.format(council=name), "Leads To": leads,
                         "Indicator": "Children looked after placed outside the council's area (%)", "Assumption": assumption,
                         "Data Source": source})
            flaws[flaw] = ["OC10"]
    return rows, flaws


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's draft theory of change for the Mockingbird Family Model.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same file.
    scale : float, default 1.0
        Number of constellations whose own strands are written (rounded, at least 1).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"theory_of_change.csv": frame}`` with the columns of :data:`COLUMNS`, one
        row per element, ordered by level (activities first) and then as drafted.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    """
    if not isinstance(council, Council) or council.name not in COUNCIL_NAMES:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    rows, _ = _rows(council, rng, scale)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = frame.sort_values("Level", key=lambda s: s.map(_LEVEL_ORDER), kind="stable", ignore_index=True)
    return {"theory_of_change.csv": frame}


def seeded_flaws(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, list[str]]:
    """Return the flaws planted in a council's draft, for tests and trainers.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        A generator in the same state as the one given to :func:`generate`.
    scale : float, default 1.0
        As for :func:`generate`.

    Returns
    -------
    dict of str to list of str
        Flaw name (``"no indicator"``, ``"orphan activity"`` and those of
        :data:`FLAWS` planted) to the element IDs concerned.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    """
    if not isinstance(council, Council) or council.name not in COUNCIL_NAMES:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    return _rows(council, rng, scale)[1]
