"""Tests of the regional indicators demo generator and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum.councils import COUNCIL_NAMES, councils, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import indicators as gen

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
COLUMNS = ["Area Code", "Area Name", "Year", "Indicator", "Count"]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """The table the generator writes with the default seed."""
    g = GENERATORS.index("indicators")
    return gen.generate_region(np.random.default_rng([DEFAULT_SEED, 99, g]), 1.0)["indicators.csv"]


def test_files_and_output_keys_agree():
    """The generator writes exactly the files it declares."""
    out = gen.generate_region(np.random.default_rng(1), 1.0)
    assert gen.FILES == ("indicators.csv",), f"FILES should be ('indicators.csv',), got {gen.FILES}"
    assert tuple(out) == gen.FILES, f"generate_region returned {tuple(out)}, FILES says {gen.FILES}"


def test_columns_match_the_mapping(frame):
    """The published column names are exactly those mapped in datasets/demo/mapping.yaml."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))
    mapped = list(mapping["datasets"]["indicators"]["columns"].values())
    assert list(frame.columns) == COLUMNS, f"columns should be {COLUMNS}, got {list(frame.columns)}"
    assert sorted(mapped) == sorted(COLUMNS), f"mapping.yaml maps {mapped}, the generator writes {COLUMNS}"


def test_one_row_per_council_year_and_indicator(frame):
    """All ten councils, 2014-2023 and three indicators, each combination once."""
    assert len(frame) == 10 * 10 * 3, f"expected 300 rows, got {len(frame)}"
    assert not frame.duplicated(["Area Code", "Year", "Indicator"]).any(), "area, year and indicator must be unique"
    assert sorted(frame["Year"].unique()) == list(range(2014, 2024)), "years should run 2014-2023"
    assert set(frame["Indicator"]) == set(gen.INDICATORS), f"unexpected indicators {set(frame['Indicator'])}"


def test_codes_and_names_are_the_ons_ones(frame):
    """Every row carries a CCR council's ONS code with its own name."""
    table = councils()
    pairs = set(zip(frame["Area Code"], frame["Area Name"]))
    assert pairs == set(zip(table["code"], table["name"])), f"code/name pairs differ from councils(): {pairs}"


def test_counts_are_whole_and_not_negative(frame):
    """Counts are non-negative whole numbers."""
    assert pd.api.types.is_integer_dtype(frame["Count"]), f"Count should be integers, got {frame['Count'].dtype}"
    assert (frame["Count"] >= 0).all(), "no count may be negative"


@pytest.mark.parametrize(("indicator", "low", "high"), [
    (gen.KSI, 0.15, 0.5),
    (gen.FLY_TIPPING, 2.0, 25.0),
    (gen.CHILDREN_LOOKED_AFTER, 1.0, 5.0),
])
def test_rates_are_realistic(frame, indicator, low, high):
    """Each council's ten-year mean rate per 1,000 residents lies in a realistic band."""
    pops = councils().set_index("code")["population_2021"]
    rows = frame[frame["Indicator"] == indicator]
    rates = rows.groupby("Area Code")["Count"].mean() / pops * 1000
    assert rates.between(low, high).all(), f"{indicator} rates outside {low}-{high} per 1,000: {rates.round(2).to_dict()}"


def test_casualty_counts_are_small(frame):
    """Road casualties killed or seriously injured run to tens a year per council, not hundreds."""
    ksi = frame[frame["Indicator"] == gen.KSI]["Count"]
    assert ksi.max() < 200 and ksi.median() < 60, f"KSI counts too large: median {ksi.median()}, max {ksi.max()}"


def test_small_councils_bounce_more_than_large_ones():
    """Across many seeds, Merthyr Tydfil's casualty rate varies more from year to year than Cardiff's."""
    pops = {c: get_council(c).population_2021 for c in ("Merthyr Tydfil", "Cardiff")}
    spread = {c: [] for c in pops}
    for seed in range(20):
        table = gen.generate_region(np.random.default_rng(seed), 1.0)["indicators.csv"]
        ksi = table[table["Indicator"] == gen.KSI]
        for c, pop in pops.items():
            spread[c].append((ksi.loc[ksi["Area Name"] == c, "Count"] / pop * 1000).std())
    assert np.mean(spread["Merthyr Tydfil"]) > 1.5 * np.mean(spread["Cardiff"]), \
        f"small councils should bounce more: {np.mean(spread['Merthyr Tydfil']):.3f} vs {np.mean(spread['Cardiff']):.3f}"


def test_same_seed_same_table_and_scale_is_ignored():
    """The same generator state gives the same table, whatever the scale."""
    first = gen.generate_region(np.random.default_rng(5), 1.0)["indicators.csv"]
    second = gen.generate_region(np.random.default_rng(5), 10.0)["indicators.csv"]
    other = gen.generate_region(np.random.default_rng(6), 1.0)["indicators.csv"]
    pd.testing.assert_frame_equal(first, second, obj="tables from the same seed")
    assert not first["Count"].equals(other["Count"]), "a different seed should give different counts"


@pytest.mark.parametrize(("rng", "scale", "error", "message"), [
    (np.random.default_rng(1), 0, ValueError, "scale must be a positive number"),
    (np.random.default_rng(1), -2.0, ValueError, "scale must be a positive number"),
    (np.random.default_rng(1), "big", ValueError, "scale must be a positive number"),
    (42, 1.0, TypeError, "rng must be a numpy.random.Generator"),
])
def test_generate_region_rejects_bad_input(rng, scale, error, message):
    """A bad scale or rng raises an error that names the argument."""
    with pytest.raises(error, match=message):
        gen.generate_region(rng, scale)


def test_committed_files_regenerate_byte_for_byte(tmp_path):
    """The indicators.csv in every committed demo folder is what the generator writes with the default seed."""
    write_generator_files("indicators", tmp_path)
    for name in COUNCIL_NAMES:
        slug = get_council(name).slug
        committed = DEMO / slug / "indicators.csv"
        assert committed.is_file(), f"{committed} is missing: run write_generator_files('indicators', 'datasets/demo')"
        assert committed.read_bytes() == (tmp_path / slug / "indicators.csv").read_bytes(), \
            f"{committed} differs from the generator's output: regenerate it"


@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_loads_for_every_council(council):
    """curriculum.load('indicators') validates for each council's demo folder."""
    data = curriculum.load("indicators", council=council)
    assert len(data) == 300, f"{council}: expected 300 rows, got {len(data)}"
    assert data["count"].dtype == "int64" and data["year"].dtype == "int64", "count and year should load as integers"
    assert council in set(data["area_name"]), f"{council} should appear in its own indicators file"
