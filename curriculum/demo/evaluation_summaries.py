"""Demo summaries of the evaluations behind each council's shortlist of candidate solutions.

Each council's team (see :mod:`curriculum.demo.solutions`) has extracted, for every option
on its shortlist, the studies the option's evidence rests on: design, outcome,
participants, effect in percentage points (positive = better) with its 95% range, whether
the evaluator was independent, who evaluated it, where and when. The studies are modelled
on the kinds of evaluation each solution has had (a trial of family group conferencing for
a What Works centre, the At Home/Chez Soi trial of Housing First, the Whole System
Demonstrator's telecare arm...), but **their numbers are illustrative, not the published
results**. Counts are made from each study's participants and rates and its range computed
with :func:`curriculum.evidence.effect_interval`, so sample size and range agree.

Planted structure: the studies of every option support exactly the Nesta level the
shortlist records (:func:`curriculum.evidence.evidence_level`), so that level 4 rests on
two comparison studies with ranges above zero, one of them independent, and level 3 on one;
every shortlist holds comparison-group studies whose range includes zero (reablement, Local
Area Coordination, social prescribing, telecare), which do not lift an option's level; the
locally designed app has a logic model only; and about two options in five also carry the
provider's own before-and-after figures from a neighbouring council, not independent, with
bigger effects than the controlled studies find. The shortlist is rebuilt from the same
demo-data run (same seed and scale), so option IDs match ``candidate_solutions.csv``.
Nothing happens on import.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council
from curriculum.demo._shared import same_run

__all__ = ["COLUMNS", "FILES", "STUDIES", "generate"]

FILES: tuple[str, ...] = ("evaluation_summaries.csv",)
COLUMNS: tuple[str, ...] = ("Study ID", "Option ID", "Study", "Design", "Outcome", "Participants",
                            "Effect (percentage points)", "95% CI Lower", "95% CI Upper", "Independent",
                            "Evaluated By", "Setting", "Year")

# Published studies by solution key (curriculum.demo.solutions._POOL): title, design, outcome, participants,
# rate in the comparison group (or before), effect in percentage points, independent, evaluator, setting, year.
STUDIES: dict[str, tuple[dict, ...]] = {
    "fgc": (
        dict(study="Trial of family group conferencing at the pre-proceedings stage", design="Randomised trial",
             outcome="Child living at home, not in care, 12 months on", n=2400, p0=0.70, effect=5.0, independent=True,
             evaluator="University research team for Foundations (What Works Centre for Children & Families)",
             setting="21 councils in England; families at the pre-proceedings stage", year=2023),
        dict(study="Matched comparison of family group conferences in Welsh councils", design="Comparison group",
             outcome="Child living at home, not in care, 12 months on", n=800, p0=0.68, effect=8.0, independent=True,
             evaluator="A Welsh university's social care research centre",
             setting="Four Welsh councils; children on the edge of care", year=2019),
    ),
    "mockingbird": (
        dict(study="Evaluation of the Mockingbird programme with a comparison group", design="Comparison group",
             outcome="Placement stable for 12 months", n=900, p0=0.72, effect=7.0, independent=True,
             evaluator="Rees Centre, University of Oxford, for the Department for Education",
             setting="Fostering services in England; first wave of constellations", year=2020),
        dict(study="Survey of carers in Mockingbird constellations", design="Before and after",
             outcome="Carers intending to keep fostering", n=300, p0=0.70, effect=12.0, independent=False,
             evaluator="The Fostering Network (the programme's licensor)",
             setting="Constellations across the UK", year=2022),
    ),
    "reablement": (
        dict(study="Comparison-group study of reablement at home", design="Comparison group",
             outcome="Living at home without long-term care 3 months on", n=1200, p0=0.45, effect=10.0,
             independent=True, evaluator="University research team (reviewed for NICE guideline NG74)",
             setting="Six councils in England; older people leaving hospital", year=2016),
        dict(study="Randomised trial of reablement in one council", design="Randomised trial",
             outcome="Living at home without long-term care 3 months on", n=320, p0=0.50, effect=4.0,
             independent=True, evaluator="University health services research unit",
             setting="One council in England; people referred for home care", year=2014),
    ),
    "housing_first": (
        dict(study="At Home/Chez Soi randomised trial of Housing First", design="Randomised trial",
             outcome="Stably housed 24 months on", n=2000, p0=0.30, effect=30.0, independent=True,
             evaluator="Research team of the Mental Health Commission of Canada",
             setting="Five Canadian cities; homeless people with mental illness", year=2014),
        dict(study="Evaluation of the Housing First pilots in England", design="Comparison group",
             outcome="Tenancy sustained 12 months on", n=600, p0=0.55, effect=15.0, independent=True,
             evaluator="Independent evaluators for the UK government's housing department",
             setting="Greater Manchester, Liverpool City Region and the West Midlands", year=2023),
    ),
    "shared_lives": (
        dict(study="Shared Lives outcomes survey", design="Before and after",
             outcome="Living in the community, not residential care, 12 months on", n=400, p0=0.70, effect=12.0,
             independent=False, evaluator="Shared Lives Plus (the schemes' network)",
             setting="Shared Lives schemes in England and Wales", year=2022),
    ),
    "lac": (
        dict(study="Local evaluation of Local Area Coordination", design="Before and after",
             outcome="No formal care and support plan needed 12 months on", n=250, p0=0.60, effect=14.0,
             independent=True, evaluator="A university partner of the council",
             setting="Swansea; adults known to the coordinators", year=2016),
        dict(study="Matched comparison of areas with and without coordinators", design="Comparison group",
             outcome="No formal care and support plan needed 12 months on", n=500, p0=0.62, effect=4.0,
             independent=True, evaluator="Independent evaluators",
             setting="Derby; neighbourhoods with and without coordinators", year=2018),
    ),
    "social_prescribing": (
        dict(study="Link worker service's own monitoring", design="Before and after",
             outcome="Good mental wellbeing (WEMWBS 45 or more)", n=600, p0=0.35, effect=18.0, independent=False,
             evaluator="The GP cluster's social prescribing service", setting="GP clusters in South Wales", year=2021),
        dict(study="Comparison of practices with and without link workers", design="Comparison group",
             outcome="Good mental wellbeing (WEMWBS 45 or more)", n=1000, p0=0.40, effect=3.0, independent=True,
             evaluator="University primary care research team", setting="GP practices in England", year=2020),
    ),
    "telecare": (
        dict(study="Alarm receiving centre's monitoring of proactive calls", design="Before and after",
             outcome="No emergency hospital admission in 12 months", n=500, p0=0.70, effect=7.0, independent=False,
             evaluator="A council's alarm receiving centre", setting="A council community alarm service in Wales",
             year=2022),
        dict(study="Whole System Demonstrator trial, telecare arm", design="Randomised trial",
             outcome="No emergency hospital admission in 12 months", n=2600, p0=0.75, effect=1.0, independent=True,
             evaluator="Evaluation team of universities and the Nuffield Trust for the Department of Health",
             setting="Cornwall, Kent and Newham; people with social care needs", year=2013),
    ),
    "app": (
        dict(study="Logic model from the council's digital team", design="Logic model", outcome=None, n=None,
             p0=None, effect=None, independent=False, evaluator="The council's digital team",
             setting="Not yet tried anywhere", year=2025),
    ),
}
_LOCAL_SHARE = 0.4  # options that also carry the provider's own before-and-after figures


def _check(council, scale) -> None:
    if not isinstance(council, Council) or council.name not in COUNCIL_NAMES:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")


def _shortlist(council: Council, rng: np.random.Generator, scale: float) -> pd.DataFrame:
    """The council's demo shortlist from the same run (same seed and scale)."""
    return same_run("solutions", council, rng, scale)["candidate_solutions.csv"]


def _key(name: str) -> str:
    from curriculum.demo.solutions import _POOL

    base = re.sub(r" \(provider \d+\)$", "", name)
    for key, item in _POOL.items():
        if item["name"] == base:
            return key
    raise ValueError(f"solution {name!r} is not in the demo pool of solutions")


def _row(study: dict, events_1: int | None, n_1: int | None, events_0: int | None, n_0: int | None) -> dict:
    from curriculum.evidence import effect_interval

    if n_1 is None:
        effect = low = high = None
        size = None
    else:
        effect, low, high = effect_interval(events_1, n_1, events_0, n_0)
        effect, low, high = round(effect, 1), round(low, 1), round(high, 1)
        size = n_1 + n_0 if study["design"] != "Before and after" else n_1
    return {"Study": study["study"], "Design": study["design"], "Outcome": study["outcome"] or "",
            "Participants": "" if size is None else str(size),
            "Effect (percentage points)": "" if effect is None else f"{effect:.1f}",
            "95% CI Lower": "" if low is None else f"{low:.1f}", "95% CI Upper": "" if high is None else f"{high:.1f}",
            "Independent": "Yes" if study["independent"] else "No", "Evaluated By": study["evaluator"],
            "Setting": study["setting"], "Year": str(study["year"])}


def _published(study: dict) -> dict:
    """A published study's row: counts from its participants and rates, the same in every council."""
    if study["n"] is None:
        return _row(study, None, None, None, None)
    if study["design"] == "Before and after":  # the same people measured twice
        n = study["n"]
        return _row(study, round(n * (study["p0"] + study["effect"] / 100)), n, round(n * study["p0"]), n)
    half = study["n"] // 2
    return _row(study, round(half * (study["p0"] + study["effect"] / 100)), half, round(half * study["p0"]), half)


def _local(study: dict, rng: np.random.Generator) -> dict:
    """The provider's own before-and-after figures from a neighbouring council: uncontrolled, flattering."""
    n = int(rng.integers(60, 400))
    p0 = float(rng.uniform(0.3, 0.6))
    lift = float(rng.uniform(0.10, 0.25))
    before = int(rng.binomial(n, p0))
    after = int(min(n, rng.binomial(n, min(0.98, p0 + lift))))
    local = dict(study, study="Provider's own figures from a neighbouring council", design="Before and after",
                 independent=False, evaluator="The provider", setting="A neighbouring council; people the provider served",
                 year=int(rng.integers(2021, 2026)))
    return _row(local, after, n, before, n)


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate the evaluation summaries of a council's shortlist.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same file.
    scale : float, default 1.0
        Volume multiplier: the shortlist grows with it (see
        :func:`curriculum.demo.solutions.generate`), and so do its studies.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"evaluation_summaries.csv": ...}`` with the columns of :data:`COLUMNS`.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    """
    _check(council, scale)
    shortlist = _shortlist(council, rng, scale)
    rows = []
    for option, name in zip(shortlist["Option ID"], shortlist["Solution"]):
        key = _key(name)
        for study in STUDIES[key]:
            rows.append({"Option ID": option, **_published(study)})
        if key != "app" and rng.random() < _LOCAL_SHARE:
            rows.append({"Option ID": option, **_local(STUDIES[key][0], rng)})
    frame = pd.DataFrame(rows)
    frame = frame.sample(frac=1, random_state=int(rng.integers(2**31))).reset_index(drop=True)
    frame.insert(0, "Study ID", [f"EV-{i + 1:03d}" for i in range(len(frame))])
    return {"evaluation_summaries.csv": frame[list(COLUMNS)]}
