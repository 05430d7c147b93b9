"""Tests of the demo theory of change generator (curriculum.demo.theory_of_change) and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import theory_of_change as toc
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import theory_of_change as gen

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"

# What each planted flaw may make validate() report (a typo also strands what lies upstream of it
# and leaves what lies downstream with no activity behind it).
CONSEQUENCES = {
    "no indicator": {"no indicator"},
    "orphan activity": {"orphan activity"},
    "dead end": {"dead end"},
    "mistyped link": {"unknown link", "impact unreachable", "no activity behind it"},
    "loop": {"backward link", "cycle"},
    "no activity behind it": {"no activity behind it"},
}
DIRECT = {"no indicator": "no indicator", "orphan activity": "orphan activity", "dead end": "dead end",
          "mistyped link": "unknown link", "loop": "cycle", "no activity behind it": "no activity behind it"}


def _rng(name: str) -> np.random.Generator:
    """The generator state write_generator_files uses for a council."""
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(name), GENERATORS.index("theory_of_change")])


def _frame(name: str, scale: float = 1.0) -> pd.DataFrame:
    return gen.generate(get_council(name), _rng(name), scale)["theory_of_change.csv"]


def _as_loaded(frame: pd.DataFrame) -> pd.DataFrame:
    """The generated file with curriculum column names and the mapping's placeholders as missing."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["theory_of_change"]
    renamed = frame.rename(columns={v: k for k, v in mapping["columns"].items()})
    return renamed.replace({"": None, **{na: None for na in mapping["na_values"]}})


def test_columns_match_the_mapping():
    """The file and its columns are exactly those the demo mapping names."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["theory_of_change"]
    assert gen.FILES == (mapping["file"],), f"FILES should be ({mapping['file']!r},)"
    assert list(_frame("Torfaen").columns) == list(mapping["columns"].values()), "columns should be the mapping's, in order"
    assert list(gen.COLUMNS) == list(mapping["columns"].values()), "COLUMNS should be the mapping's columns"


def test_deterministic_and_varied():
    """The same generator state gives the same file; councils get different drafts."""
    assert _frame("Newport").equals(_frame("Newport")), "the same seed should give the same file"
    plans = {name: tuple(sorted(gen.seeded_flaws(get_council(name), _rng(name)).items())) for name in COUNCIL_NAMES}
    assert len({str(p) for p in plans.values()}) >= 6, "the ten councils should get at least six different sets of flaws"
    for flaw in gen.FLAWS:
        assert any(flaw in dict(p) for p in plans.values()), f"some council should have the flaw {flaw!r}"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_planted_flaws_are_found_and_nothing_else(name):
    """validate() finds every planted flaw, and every problem it reports comes from a planted flaw."""
    flaws = gen.seeded_flaws(get_council(name), _rng(name))
    assert flaws["orphan activity"] and flaws["no indicator"], "every draft has an orphan activity and an unmeasured outcome"
    assert 1 <= len(set(flaws) & set(gen.FLAWS)) <= 2, "one or two further flaws"
    problems = toc.validate(toc.build_graph(_as_loaded(_frame(name))))
    for flaw, ids in flaws.items():
        found = set(problems.loc[problems["check"] == DIRECT[flaw], "element_id"])
        assert set(ids) <= found, f"{name}: the planted {flaw} at {ids} should be reported as {DIRECT[flaw]!r}"
    allowed = set().union(*(CONSEQUENCES[f] for f in flaws))
    assert set(problems["check"]) <= allowed, f"{name}: unexpected problems\n{problems[~problems['check'].isin(allowed)]}"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_the_draft_is_realistic(name):
    """Four levels, one impact, ids unique, every activity but the orphan leads on, the core chain reaches the impact."""
    frame = _frame(name)
    assert set(frame["Level"]) == {"Activity", "Output", "Outcome", "Impact"}, "all four levels"
    assert (frame["Level"] == "Impact").sum() == 1, "one impact"
    assert frame["Element ID"].is_unique, "IDs are unique"
    assert 18 <= len(frame) <= 30, f"a draft of about twenty elements, not {len(frame)}"
    assert name in frame.loc[frame["Level"] == "Impact", "Description"].iloc[0], "the impact names the council"
    levels = frame["Level"].map({"Activity": 0, "Output": 1, "Outcome": 2, "Impact": 3})
    assert levels.is_monotonic_increasing, "rows are ordered by level"


def test_scale_adds_constellation_strands():
    """scale=3 writes two more constellations' strands, which the checks accept."""
    base, big = _frame("Torfaen"), _frame("Torfaen", scale=3)
    assert len(big) == len(base) + 4, f"two strands of two rows each, got {len(big) - len(base)} extra rows"
    problems = toc.validate(toc.build_graph(_as_loaded(big)))
    extra = problems[problems["element_id"].fillna("").str.contains("-")]
    assert extra.empty, f"the added strands should be sound:\n{extra}"


@pytest.mark.parametrize("council, scale, word", [
    ("Torfaen", 1.0, "council"), (None, 0, "scale"), (None, -1, "scale"), (None, "2", "scale"),
    (None, True, "scale"), (None, float("nan"), "scale"),
])
def test_generate_rejects_bad_arguments(council, scale, word):
    """A council that is not a Council, or a scale that is not a positive number, raises ValueError naming it."""
    target = council if council is not None else get_council("Torfaen")
    with pytest.raises(ValueError, match=word):
        gen.generate(target, np.random.default_rng(0), scale)
    with pytest.raises(ValueError, match=word):
        gen.seeded_flaws(target, np.random.default_rng(0), scale)


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files are byte for byte what the generator writes with the default seed."""
    assert "theory_of_change" in GENERATORS, "theory_of_change should be a registered generator"
    written = write_generator_files("theory_of_change", tmp_path, seed=DEFAULT_SEED)
    assert len(written) == len(COUNCIL_NAMES), "one file per council"
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator: regenerate it"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's committed file loads and passes the schema ("TBC" read as missing), within 1 MB in all."""
    frame = curriculum.load("theory_of_change", council=name)
    assert len(frame) == len(_frame(name)), f"{name}: every row should load"
    assert set(frame["council"]) == {name}, "the council column is filled"
    assert not frame["indicator"].eq("TBC").any(), "TBC should be read as a missing indicator"
    flaws = gen.seeded_flaws(get_council(name), _rng(name))
    missing = set(frame.loc[frame["indicator"].isna() & frame["level"].eq("Outcome"), "element_id"])
    assert missing == set(flaws["no indicator"]), f"{name}: the outcomes without an indicator should be the planted ones"
    total = sum(p.stat().st_size for p in DEMO.glob("*/theory_of_change.csv"))
    assert total < 1_000_000, f"the theory of change files take {total:,} bytes; keep them under 1 MB"
