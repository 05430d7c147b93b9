"""Tests of the demo schools generator (curriculum.demo.schools) and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import experiments as ex
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import schools as gen

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"


def _frame(name: str, seed: int = 1, scale: float = 1.0) -> pd.DataFrame:
    return gen.generate(get_council(name), np.random.default_rng(seed), scale)["schools.csv"]


@pytest.fixture(scope="module")
def region() -> pd.DataFrame:
    """All ten councils' generated schools, as written (text columns kept as generated)."""
    frames = [_frame(name, seed=i).assign(council=name) for i, name in enumerate(COUNCIL_NAMES)]
    return pd.concat(frames, ignore_index=True)


def test_columns_match_the_mapping():
    """The file and its columns are exactly those the demo mapping names for schools."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["schools"]
    assert gen.FILES == (mapping["file"],), f"FILES should be ({mapping['file']!r},)"
    frame = _frame("Torfaen")
    assert list(frame.columns) == list(mapping["columns"].values()), "columns should be the mapping's, in order"


def test_generator_is_deterministic():
    """The same generator state gives the same frame; another gives another."""
    pd.testing.assert_frame_equal(_frame("Newport", 5), _frame("Newport", 5))
    assert not _frame("Newport", 5).equals(_frame("Newport", 6)), "another seed should give other schools"


@pytest.mark.parametrize("name, primaries, secondaries", [("Cardiff", 110, 20), ("Merthyr Tydfil", 18, 3)])
def test_school_counts_follow_population(name, primaries, secondaries):
    """About one primary per 3,300 residents and one secondary per 18,000."""
    frame = _frame(name)
    counts = frame["Sector"].value_counts()
    assert counts["Primary"] == primaries, f"{name} should have {primaries} primaries, got {counts['Primary']}"
    assert counts["Secondary"] == secondaries, f"{name} should have {secondaries} secondaries, got {counts['Secondary']}"


def test_scale_multiplies_the_schools():
    """Scale 10 gives ten times the schools, with school numbers still unique."""
    big = _frame("Cardiff", scale=10)
    expected = round(362_400 * 10 / 3_300) + round(362_400 * 10 / 18_000)
    assert len(big) == expected, f"Cardiff at scale 10 should have {expected:,} schools, got {len(big)}"
    assert big["School Number"].is_unique, "school numbers should stay unique at scale 10"
    assert big["School Name"].is_unique, "school names should stay unique at scale 10"


@pytest.mark.parametrize("scale", [0, -1, float("nan"), "2", True])
def test_generate_rejects_bad_scale(scale):
    """A scale that is not a positive number raises ValueError naming scale."""
    with pytest.raises(ValueError, match="scale"):
        gen.generate(get_council("Torfaen"), np.random.default_rng(0), scale)


def test_generate_rejects_non_council():
    """A council that is not a Council raises ValueError naming council."""
    with pytest.raises(ValueError, match="council"):
        gen.generate("Torfaen", np.random.default_rng(0), 1.0)


def test_school_numbers_use_la_codes(region):
    """School numbers are the LA code then 2xxx for primaries and 4xxx for secondaries."""
    for name, group in region.groupby("council"):
        code = str(gen.LA_CODES[name])
        numbers = group["School Number"]
        assert numbers.str.fullmatch(rf"{code}\d{{4}}").all(), f"{name}: numbers should be {code} and four digits"
        assert numbers.is_unique, f"{name}: school numbers repeat"
        assert (numbers[group["Sector"] == "Primary"].str[3] == "2").all(), f"{name}: primaries should be {code}2xxx"
        assert (numbers[group["Sector"] == "Secondary"].str[3] == "4").all(), f"{name}: secondaries should be {code}4xxx"


def test_names_are_realistic(region):
    """Names are unique per council and include English- and Welsh-medium forms."""
    for name, group in region.groupby("council"):
        assert group["School Name"].is_unique, f"{name}: school names repeat"
    names = region["School Name"]
    for form in ("Primary School", "Ysgol", "High School", "Ysgol Gyfun"):
        assert names.str.contains(form).any(), f"some school should be named with {form!r}"
    welsh = names.str.startswith("Ysgol").mean()
    assert 0.05 < welsh < 0.35, f"Welsh-medium schools should be a minority, not {welsh:.0%}"


def test_values_are_in_range(region):
    """Pupils, FSM and survey counts are within their ranges and consistent."""
    primary = region["Sector"] == "Primary"
    assert region.loc[primary, "Pupils on Roll"].between(150, 600).all(), "primary rolls should be 150-600"
    assert region.loc[~primary, "Pupils on Roll"].between(700, 1700).all(), "secondary rolls should be 700-1,700"
    assert region["FSM Percentage"].str.fullmatch(r"\d{1,2}\.\d").all(), "FSM should be text with one decimal"
    assert region["FSM Percentage"].astype(float).between(5, 45).all(), "FSM should be 5-45%"
    assert (region["Pupils Surveyed"] <= region["Pupils on Roll"]).all(), "no more pupils surveyed than on roll"
    assert (region["Walk Cycle Scoot"] <= region["Pupils Surveyed"]).all(), "no more active pupils than surveyed"
    coverage = region["Pupils Surveyed"] / region["Pupils on Roll"]
    assert (coverage > 0.8).mean() > 0.7, "most schools should survey most of their roll"
    assert (coverage < 0.8).any(), "some schools should survey fewer pupils"


def test_travel_patterns(region):
    """Active travel is lower at secondary schools, FSM higher in the valleys, the ICC realistic."""
    surveyed = region[region["Pupils Surveyed"] > 0]
    share = surveyed.groupby("Sector")[["Walk Cycle Scoot", "Pupils Surveyed"]].sum()
    rate = share["Walk Cycle Scoot"] / share["Pupils Surveyed"]
    assert rate["Secondary"] < rate["Primary"], f"secondary share {rate['Secondary']:.2f} should be below primary {rate['Primary']:.2f}"
    fsm = region.assign(fsm=region["FSM Percentage"].astype(float)).groupby("council")["fsm"].mean()
    assert fsm["Blaenau Gwent"] > fsm["Monmouthshire"] + 8, "valleys FSM should be well above Monmouthshire's"
    primaries = surveyed[surveyed["Sector"] == "Primary"]
    icc = ex.icc_from_counts(primaries["Walk Cycle Scoot"], primaries["Pupils Surveyed"])
    assert 0.03 < icc < 0.12, f"the primaries' ICC should be about 0.05-0.10, got {icc:.3f}"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files are byte for byte what the generator writes with the default seed."""
    assert "schools" in GENERATORS, "schools should be a registered generator"
    written = write_generator_files("schools", tmp_path, seed=DEFAULT_SEED)
    assert len(written) == len(COUNCIL_NAMES), "one file per council"
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator: regenerate it"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's committed schools file loads and passes the schema, within 4 MB in all."""
    frame = curriculum.load("schools", council=name)
    assert len(frame) > 10, f"{name} should have more than ten schools"
    assert frame["school_id"].str.startswith(str(gen.LA_CODES[name])).all(), f"{name}: wrong LA code"
    total = sum(p.stat().st_size for p in DEMO.glob("*/schools.csv"))
    assert total < 4_000_000, f"the schools files take {total:,} bytes; keep them under 4 MB"
