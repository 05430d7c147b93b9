"""Tests of the demo risk-tool validation generator (curriculum.demo.risk_tool_results) and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import risk
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import risk_tool_results as gen

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
FILE = gen.FILES[0]


def _file(name: str, seed=1, scale: float = 1.0) -> pd.DataFrame:
    return gen.generate(get_council(name), np.random.default_rng(seed), scale)[FILE]


def _results(frame: pd.DataFrame) -> pd.DataFrame:
    """The file in the curriculum's columns (what the demo mapping does)."""
    return pd.DataFrame({"group": frame["Age band"], "flagged": frame["Tool flag"] == "Flagged",
                         "outcome": frame["Outcome within 12 months"] == "Escalated", "count": frame["Children"]})


@pytest.fixture(scope="module")
def region() -> list[pd.DataFrame]:
    """Every council's rates by age band for five seeds."""
    return [risk.group_rates(_results(_file(name, [seed, i])), intervals=False)
            for seed in range(5) for i, name in enumerate(COUNCIL_NAMES)]


def test_columns_match_the_mapping():
    """The generator writes the file, columns and labels the demo mapping names."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["risk_tool_results"]
    frame = _file("Torfaen")
    assert gen.FILES == (mapping["file"],)
    assert set(mapping["columns"].values()) == set(frame.columns) and list(frame.columns) == list(gen.COLUMNS)
    assert set(frame["Tool flag"]) == set(mapping["values"]["flagged"]), "every flag label is recoded"
    assert set(frame["Outcome within 12 months"]) == set(mapping["values"]["outcome"]), "every outcome label is recoded"
    assert "risk_tool_results" in GENERATORS, "the generator is registered"


def test_generator_is_deterministic():
    """The same generator state gives the same file; another seed gives other counts."""
    pd.testing.assert_frame_equal(_file("Newport", 5), _file("Newport", 5))
    assert not _file("Newport", 5).equals(_file("Newport", 6))


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_one_confusion_matrix_per_age_band(name):
    """Four rows per age band in a fixed order, whole counts, and referrals in proportion to the population."""
    frame = _file(name)
    assert list(dict.fromkeys(frame["Age band"])) == list(gen.AGE_BANDS), "the age bands, in order"
    assert len(frame) == 4 * len(gen.AGE_BANDS) and (frame["Children"] >= 0).all()
    assert not frame.duplicated(["Age band", "Tool flag", "Outcome within 12 months"]).any()
    expected = gen.REFERRALS_PER_1000 * get_council(name).population_2021 / 1000
    assert frame["Children"].sum() == pytest.approx(expected, rel=0.1), "referrals follow the population"


def test_scale_multiplies_referrals_not_rows():
    """scale=10 keeps the sixteen rows and gives about ten times the children."""
    small, big = _file("Bridgend", 3), _file("Bridgend", 3, scale=10)
    assert len(small) == len(big)
    assert big["Children"].sum() / small["Children"].sum() == pytest.approx(10, rel=0.05)


@pytest.mark.parametrize("council, scale, rng, error", [
    ("Calderdale", 1.0, np.random.default_rng(1), ValueError),
    (None, -1, np.random.default_rng(1), ValueError),
    (None, True, np.random.default_rng(1), ValueError),
    (None, 1.0, 7, TypeError),
])
def test_bad_arguments_are_refused(council, scale, rng, error):
    """An unknown council, a scale that is not a positive number or an rng that is not a Generator is refused."""
    with pytest.raises(error):
        gen.generate(council if council is not None else get_council("Torfaen"), rng, scale)


# -------------------------------------------------------------------------- planted structure
def test_about_ninety_percent_accurate_with_several_flags_per_true_case(region):
    """Every run: accuracy near 90%, a low base rate, more than two flags per true case, about half missed."""
    for rates in region:
        overall = rates.loc["All"]
        assert 0.85 < overall["accuracy"] < 0.94, f"accuracy {overall['accuracy']:.3f}"
        assert 0.04 < overall["base_rate"] < 0.09, f"base rate {overall['base_rate']:.3f}"
        assert overall["flags_per_true_case"] > 2, f"flags per true case {overall['flags_per_true_case']:.2f}"
        assert 0.3 < overall["missed_share"] < 0.65, f"missed {overall['missed_share']:.2f}"


def test_young_children_have_most_false_alarms_and_teenagers_are_missed(region):
    """The under-5s have the highest false alarm rate and a teenage band the most missed cases, in nearly every run."""
    fpr = [rates.drop(index="All")["false_positive_rate"].idxmax() == "Under 5" for rates in region]
    missed = [rates.drop(index="All")["missed_share"].idxmax() in {"11 to 15", "16 and 17"} for rates in region]
    assert np.mean(fpr) >= 0.95, f"under-5s highest false alarm rate in {np.mean(fpr):.0%} of runs"
    assert np.mean(missed) >= 0.9, f"teenagers most missed in {np.mean(missed):.0%} of runs"


# -------------------------------------------------------------------------- committed files
def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files equal a fresh run of the generator with the default seed."""
    write_generator_files("risk_tool_results", tmp_path, seed=DEFAULT_SEED)
    for name in COUNCIL_NAMES:
        slug = get_council(name).slug
        assert (tmp_path / slug / FILE).read_bytes() == (DEMO / slug / FILE).read_bytes(), slug


def test_committed_files_are_tiny():
    """The generator's committed files take under 20 KB across the ten councils."""
    size = sum((DEMO / get_council(n).slug / FILE).stat().st_size for n in COUNCIL_NAMES)
    assert size < 20 * 1024, f"{size} bytes"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_every_council_loads(name):
    """curriculum.load gives sixteen rows of True/False flags and outcomes for every council."""
    data = curriculum.load("risk_tool_results", council=name)
    assert len(data) == 16 and set(data["flagged"]) == {True, False} and set(data["outcome"]) == {True, False}
    assert set(data["council"]) == {name}
