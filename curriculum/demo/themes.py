"""Demo steering-group scores of the programme's candidate themes, and the outputs it records per theme.

The InFuSe programme starts by choosing its themes. Each council's steering group scores
eight candidate themes against nine criteria: the four seed criteria of the programme
(data, procurement spend, ideas proven elsewhere, attitudes and skills) and the five ways of
working of the Well-being of Future Generations (Wales) Act 2015 (long term, prevention,
integration, collaboration, involvement). This generator writes two files per council:

- ``theme_scoring.csv``: the export of the online scoring form, one row per panel member
  and theme, one column per criterion (1 = weak, 5 = strong); a row is blank where a member
  abstained on a theme (a declared interest). ``datasets/demo/mapping.yaml`` stacks the nine
  criterion columns into the long ``theme_scores`` dataset (one source per criterion);
- ``theme_outputs.csv``: what the group wrote up for each theme at its workshop: measures of
  success and big questions, each with its dot votes.

Planted structure, the same for every council:

- **a close race between two themes**: one strong on the seed criteria (data, spend,
  proven ideas: quick to start) and one strong on the ways of working (prevention,
  involvement: the Act's long view). With the default weights (seed criteria 60%, ways of
  working 40%, equal within each group) the two lead the ranking, a few hundredths apart on
  the 0-1 scale, so a modest change of weights swaps them; which pair races differs by
  council (:data:`RACES`);
- **one split verdict**: on another theme's procurement spend, half the panel scores 5 and
  half 1 (a 1 and a 5: the widest disagreement in the table);
- **one abstention**: a panel member leaves a theme outside the race blank.

``scale`` multiplies the panel (6 members at scale 1, a wider officer panel at scale 10);
themes, criteria and the outputs file stay fixed. Nothing happens on import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from curriculum.councils import Council

__all__ = ["FILES", "SCORE_COLUMNS", "OUTPUT_COLUMNS", "THEMES", "CRITERIA", "SEED_CRITERIA", "WAYS_OF_WORKING",
           "RACES", "SPLIT_CRITERION", "ROLES", "generate", "panel_size"]

FILES: tuple[str, ...] = ("theme_scoring.csv", "theme_outputs.csv")

SEED_CRITERIA: tuple[str, ...] = ("Data", "Procurement spend", "Proven elsewhere", "Skills and attitudes")
WAYS_OF_WORKING: tuple[str, ...] = ("Long term", "Prevention", "Integration", "Collaboration", "Involvement")
CRITERIA: tuple[str, ...] = SEED_CRITERIA + WAYS_OF_WORKING
SCORE_COLUMNS: tuple[str, ...] = ("Panel member", "Theme") + CRITERIA
OUTPUT_COLUMNS: tuple[str, ...] = ("Theme", "Type", "Text", "Votes")
SPLIT_CRITERION = "Procurement spend"

ROLES: tuple[str, ...] = ("Chief Executive", "Director of Social Services", "Director of Place", "Head of Procurement",
                          "Head of Policy", "PSB Coordinator", "Cabinet Member", "Head of Digital")

#: Each theme's usual profile on the nine criteria (CRITERIA order), before a council's race is planted.
_PROFILES: dict[str, tuple[float, ...]] = {
    "Air pollution":                  (4.0, 2.5, 3.0, 3.0, 4.0, 4.0, 3.0, 3.0, 3.0),
    "Decarbonising public services":  (3.5, 4.0, 3.5, 3.0, 4.5, 3.0, 3.0, 3.0, 2.5),
    "Dementia":                       (3.0, 2.5, 3.5, 3.0, 3.0, 3.5, 4.0, 3.5, 3.5),
    "Loneliness":                     (2.5, 2.0, 3.0, 3.0, 3.0, 4.0, 3.5, 3.5, 4.0),
    "Active travel":                  (3.5, 3.0, 3.5, 3.0, 3.5, 3.5, 3.0, 3.0, 3.5),
    "The local economy":              (3.0, 4.0, 3.0, 3.0, 3.5, 2.5, 3.0, 3.5, 3.0),
    "Fuel poverty":                   (3.5, 3.0, 3.0, 3.0, 3.0, 3.5, 3.5, 3.5, 3.0),
    "Flooding":                       (3.5, 3.0, 3.0, 2.5, 4.0, 3.5, 3.0, 3.0, 3.0),
}
THEMES: tuple[str, ...] = tuple(_PROFILES)

#: The planted race of each council: (strong on the seed criteria, strong on the ways of working).
RACES: dict[str, tuple[str, str]] = {
    "Blaenau Gwent": ("Fuel poverty", "Loneliness"),
    "Bridgend": ("Decarbonising public services", "Dementia"),
    "Caerphilly": ("The local economy", "Loneliness"),
    "Cardiff": ("Air pollution", "Loneliness"),
    "Merthyr Tydfil": ("The local economy", "Dementia"),
    "Monmouthshire": ("Decarbonising public services", "Active travel"),
    "Newport": ("Air pollution", "Dementia"),
    "Rhondda Cynon Taf": ("Decarbonising public services", "Flooding"),
    "Torfaen": ("Fuel poverty", "Active travel"),
    "Vale of Glamorgan": ("Active travel", "Dementia"),
}

_SEED = np.arange(len(SEED_CRITERIA))
_WAYS = np.arange(len(SEED_CRITERIA), len(CRITERIA))
_SEED_SHARE = 0.6  # the default weights: seed criteria 60%, ways of working 40%, equal within each group
_GAP = (0.006, 0.045)  # the planted race: leader's lead over the runner-up on the 0-1 scale
_TRIES = 400

#: Measures of success and big questions the steering groups wrote for each theme.
_OUTPUTS: dict[str, dict[str, tuple[str, ...]]] = {
    "Air pollution": {
        "measures": ("Annual mean nitrogen dioxide at the council's roadside monitoring sites (µg/m³)",
                     "Pupils at schools on the busiest roads breathing air within the WHO guideline (%)"),
        "questions": ("Which of our own vehicles, buildings and contracts add most to roadside pollution?",
                      "Would anti-idling enforcement outside schools cut exposure at the school gate?",
                      "How could fleet and delivery contracts require low-emission vehicles?",
                      "Which wards breathe the worst air, and are they the most deprived?",
                      "What did Cardiff's clean air plan change, and what would work here?",
                      "Could low-cost sensors in schools give residents data they trust?"),
    },
    "Decarbonising public services": {
        "measures": ("Council operational emissions (tonnes CO2e, Welsh public sector net zero reporting)",
                     "Share of spend with suppliers that have a carbon reduction plan (%)"),
        "questions": ("Which five contracts carry most of our supply-chain emissions?",
                      "Could a regional framework for retrofit and heat pumps cut cost and carbon together?",
                      "How do we decarbonise the fleet without cutting services in rural areas?",
                      "What do our buildings' energy certificates tell us about where to start?",
                      "Which pilots elsewhere in Wales could we adopt now?",
                      "How do we count carbon in tender evaluation without shutting out SMEs?"),
    },
    "Dementia": {
        "measures": ("People with dementia supported to live at home (% of those known to services)",
                     "Emergency hospital admissions of people with dementia (per 1,000 diagnosed)"),
        "questions": ("How many residents live with dementia without a diagnosis?",
                      "Which dementia-friendly community schemes elsewhere reduced crises?",
                      "Could adaptations and assistive technology be bought together across the region?",
                      "What do carers of people with dementia say they need first?",
                      "Where do our records show people falling between health and social care?"),
    },
    "Loneliness": {
        "measures": ("Adults who feel lonely some or all of the time (%, National Survey for Wales)",
                     "People referred to social prescribing who report better well-being after 12 weeks (%)"),
        "questions": ("Who is lonely in our communities, and do our services reach them?",
                      "Does social prescribing reduce GP visits and care needs here as it did elsewhere?",
                      "Which community groups could we fund through grants rather than contracts?",
                      "How do digital exclusion and rural transport make loneliness worse?",
                      "What would a Welsh-language befriending offer look like?",
                      "Can we measure loneliness without asking people to call themselves lonely?"),
    },
    "Active travel": {
        "measures": ("Pupils who walk, cycle or scoot to school (%, hands-up survey)",
                     "Short trips made on foot or by bike (%, National Survey for Wales)"),
        "questions": ("Which school streets and routes would make the most difference soonest?",
                      "What stops residents cycling: routes, safety, storage or bikes?",
                      "Could active travel fund bids be joined up across councils?",
                      "What did 20 mph limits do to walking and cycling here?",
                      "How do we involve residents who oppose road changes early?"),
    },
    "The local economy": {
        "measures": ("Share of council spend with suppliers based in the Cardiff Capital Region (%)",
                     "Share of spend with SMEs and social enterprises (%)"),
        "questions": ("Which categories could local firms win if we changed lot sizes?",
                      "What did Preston's anchor institutions do that we have not?",
                      "How do we publish our contract pipeline so local SMEs can plan bids?",
                      "Which foundational-economy sectors employ most local people?",
                      "How do we count local jobs created by contracts, not just spend?",
                      "Could the health board and universities buy together with us?"),
    },
    "Fuel poverty": {
        "measures": ("Households in fuel poverty (%, Welsh Government estimate)",
                     "Homes in energy efficiency bands E to G (% of the EPC register)"),
        "questions": ("Which homes are coldest, and do we know who lives in them?",
                      "Could data sharing with energy suppliers find households missing out on support?",
                      "What did the Nest and Warm Homes schemes achieve here?",
                      "How could retrofit contracts create local jobs?",
                      "How do we reach private renters in the worst homes?"),
    },
    "Flooding": {
        "measures": ("Homes at high risk of flooding protected by a scheme (number)",
                     "Households in high-risk areas signed up to flood warnings (%)"),
        "questions": ("Which communities flooded in Storm Dennis, and what has changed since?",
                      "Could natural flood management upstream protect homes more cheaply?",
                      "How do we share gully and culvert data with Natural Resources Wales?",
                      "Which residents would be hardest to reach in a flood?",
                      "How do we fund maintenance, not only new schemes?"),
    },
}


def panel_size(scale: float = 1.0) -> int:
    """Return the number of panel members who score the themes at a volume ``scale``.

    Parameters
    ----------
    scale : float, default 1.0
        Volume multiplier (positive).

    Returns
    -------
    int
        Six members at scale 1, at least three.

    Raises
    ------
    ValueError
        If ``scale`` is not a positive number.
    """
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    return max(3, int(round(6 * scale)))


def _profiles(leader: str, runner_up: str, rng: np.random.Generator) -> np.ndarray:
    """Themes x criteria means with the race planted: the seed-strong and the ways-strong theme lead."""
    table = np.array([_PROFILES[t] for t in THEMES], dtype=float)
    for i, theme in enumerate(THEMES):
        seed_mean, ways_mean = (4.35, 3.2) if theme == leader else (3.4, 4.45) if theme == runner_up else \
            (rng.uniform(2.95, 3.35), rng.uniform(2.95, 3.35))
        table[i, _SEED] += seed_mean - table[i, _SEED].mean()
        table[i, _WAYS] += ways_mean - table[i, _WAYS].mean()
    return np.clip(table, 1.2, 4.9)


def _default_score(means: np.ndarray) -> np.ndarray:
    weights = np.empty(len(CRITERIA))
    weights[_SEED] = _SEED_SHARE / len(_SEED)
    weights[_WAYS] = (1 - _SEED_SHARE) / len(_WAYS)
    return ((means - 1) / 4) @ weights


def _draw(profiles: np.ndarray, n: int, split_theme: int, rng: np.random.Generator) -> np.ndarray:
    """Scores: panel x themes x criteria, whole numbers from 1 to 5."""
    bias = rng.normal(0, 0.25, size=(n, 1, 1))
    raw = profiles[None, :, :] + bias + rng.normal(0, 0.6, size=(n,) + profiles.shape)
    raw[:, split_theme, CRITERIA.index(SPLIT_CRITERION)] = np.where(np.arange(n) % 2 == 0, 5.0, 1.0)  # a 1 and a 5
    return np.clip(np.rint(raw), 1, 5)


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's theme scoring export and the outputs its steering group recorded.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same files.
    scale : float, default 1.0
        Volume multiplier of the panel (:func:`panel_size`).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``theme_scoring.csv`` (columns :data:`SCORE_COLUMNS`) and ``theme_outputs.csv``
        (:data:`OUTPUT_COLUMNS`).

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not positive.
    """
    if not isinstance(council, Council) or council.name not in RACES:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    n = panel_size(scale)
    leader, runner_up = RACES[council.name]
    others = [i for i, t in enumerate(THEMES) if t not in (leader, runner_up)]
    split_theme = int(rng.choice(others))
    abstain_theme = int(rng.choice([i for i in others if i != split_theme]))
    abstainer = int(rng.integers(n))
    profiles = _profiles(leader, runner_up, rng)
    for _ in range(_TRIES):  # redraw the noise until the planted race is the top two, and close
        scores = _draw(profiles, n, split_theme, rng)
        scores[abstainer, abstain_theme, :] = np.nan
        means = np.nanmean(scores, axis=0)
        ranked = np.argsort(-_default_score(means), kind="stable")
        top = {THEMES[ranked[0]], THEMES[ranked[1]]}
        gap = _default_score(means)[ranked[0]] - _default_score(means)[ranked[1]]
        if top == {leader, runner_up} and _GAP[0] <= gap <= _GAP[1]:
            break
    members = list(ROLES[:n]) + [f"Panel member {i}" for i in range(len(ROLES) + 1, n + 1)]
    order = rng.permutation(len(THEMES))  # the form lists the themes in its own order
    rows = []
    for m, member in enumerate(members):
        for t in order:
            rows.append([member, THEMES[t]] + [None if np.isnan(v) else int(v) for v in scores[m, t]])
    scoring = pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
    for column in CRITERIA:
        scoring[column] = scoring[column].astype("Int64")
    outputs = []
    for theme in THEMES:
        for kind, label in (("measures", "Measure of success"), ("questions", "Big question")):
            for text in _OUTPUTS[theme][kind]:
                outputs.append((theme, label, text, int(rng.integers(0, 9))))
    return {"theme_scoring.csv": scoring, "theme_outputs.csv": pd.DataFrame(outputs, columns=list(OUTPUT_COLUMNS))}
