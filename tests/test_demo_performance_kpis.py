"""Tests of the performance dashboard demo generator and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum.chart_literacy import (
    cherry_pick_table,
    exaggeration_table,
    long_run_change,
    same_month_last_year,
    year_to_date,
    ytd_method,
)
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import performance_kpis as gen

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
FILE = "performance_dashboard.csv"


def _frame(council: str = "Cardiff", seed: int = DEFAULT_SEED) -> pd.DataFrame:
    g = GENERATORS.index("performance_kpis")
    index = COUNCIL_NAMES.index(council)
    return gen.generate(get_council(council), np.random.default_rng([seed, index, g]), 1.0)[FILE]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """Cardiff's table as the generator writes it with the default seed."""
    return _frame()


def test_files_and_output_keys_agree():
    """The generator writes exactly the files it declares."""
    out = gen.generate(get_council("Torfaen"), np.random.default_rng(1), 1.0)
    assert tuple(out) == gen.FILES == (FILE,), f"generate returned {tuple(out)}, FILES says {gen.FILES}"


def test_columns_match_the_mapping(frame):
    """The export's column names are exactly those mapped in datasets/demo/mapping.yaml, and its polarity words are recoded."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["performance_kpis"]
    assert list(frame.columns) == list(gen.COLUMNS), f"columns should be {gen.COLUMNS}, got {list(frame.columns)}"
    assert sorted(mapping["columns"].values()) == sorted(gen.COLUMNS), "mapping.yaml should map every column"
    assert set(frame["Polarity"]) == set(mapping["values"]["better"]), "every polarity word needs a recode"


def test_one_row_per_measure_and_month(frame):
    """Five measures, 36 months from April 2022, each pair once."""
    assert len(frame) == 5 * 36, f"expected 180 rows, got {len(frame)}"
    assert not frame.duplicated(["Measure", "Month"]).any(), "measure and month must be unique"
    assert set(frame["Measure"]) == set(gen.MEASURES)
    assert frame["Month"].min() == "2022-04" and frame["Month"].max() == "2025-03", "April 2022 to March 2025"


@pytest.mark.parametrize(("measure", "low", "high"), [
    (gen.HOUSING_BENEFIT, 10, 35), (gen.MISSED_BINS, 15, 150), (gen.FLY_TIPPING, 85, 99.5),
    (gen.SICKNESS, 0.4, 1.6), (gen.RECYCLING, 50, 75),
])
def test_values_are_realistic(frame, measure, low, high):
    """Every month's value lies in the range a Welsh council's dashboard would show."""
    values = frame.loc[frame["Measure"] == measure, "Actual"]
    assert values.between(low, high).all(), f"{measure}: values outside {low}-{high}: {values.min()}-{values.max()}"


def test_recycling_target_rises_to_seventy_percent(frame):
    """The recycling target is the Welsh statutory 64% until 2023-24 and 70% from April 2024."""
    rows = frame[frame["Measure"] == gen.RECYCLING]
    assert set(rows.loc[rows["Month"] < "2024-04", "Target"]) == {64.0}
    assert set(rows.loc[rows["Month"] >= "2024-04", "Target"]) == {70.0}


def test_same_seed_same_table_and_scale_is_ignored():
    """The same generator state gives the same table, whatever the scale; another seed differs."""
    council = get_council("Newport")
    first = gen.generate(council, np.random.default_rng(5), 1.0)[FILE]
    second = gen.generate(council, np.random.default_rng(5), 10.0)[FILE]
    other = gen.generate(council, np.random.default_rng(6), 1.0)[FILE]
    pd.testing.assert_frame_equal(first, second, obj="tables from the same seed")
    assert not first["Actual"].equals(other["Actual"]), "a different seed should give different values"


@pytest.mark.parametrize(("council", "rng", "scale", "error", "message"), [
    ("Cardiff", np.random.default_rng(1), 0, ValueError, "scale must be a positive number"),
    ("Cardiff", np.random.default_rng(1), "big", ValueError, "scale must be a positive number"),
    ("Cardiff", 42, 1.0, TypeError, "rng must be a numpy.random.Generator"),
    (None, np.random.default_rng(1), 1.0, TypeError, "council must be a curriculum.councils.Council"),
])
def test_generate_rejects_bad_input(council, rng, scale, error, message):
    """A bad council, rng or scale raises an error that names the argument."""
    with pytest.raises(error, match=message):
        gen.generate(get_council(council) if council else council, rng, scale)


def test_committed_files_regenerate_byte_for_byte(tmp_path):
    """Every committed performance_dashboard.csv is what the generator writes with the default seed."""
    write_generator_files("performance_kpis", tmp_path)
    for name in COUNCIL_NAMES:
        slug = get_council(name).slug
        committed = DEMO / slug / FILE
        assert committed.is_file(), f"{committed} is missing: run write_generator_files('performance_kpis', 'datasets/demo')"
        assert committed.read_bytes() == (tmp_path / slug / FILE).read_bytes(), f"{committed} differs: regenerate it"


def test_committed_files_are_small():
    """The ten councils' files stay well under 200 KB in all."""
    size = sum((DEMO / get_council(n).slug / FILE).stat().st_size for n in COUNCIL_NAMES)
    assert size < 200 * 1024, f"performance dashboards take {size / 1024:.0f} KB"


@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_loads_and_carries_the_planted_structure(council):
    """Each council's file loads, and the structure the module teaches with is there.

    A truncated axis exaggerates some measure more than tenfold; missed collections got worse
    year on year while a window of six months or more shows a fall of over a quarter; sickness
    absence is added up to date.
    """
    kpis = curriculum.load("performance_kpis", council=council)
    assert len(kpis) == 180 and set(kpis["better"]) == {"higher", "lower"}, "180 rows with recoded polarity"
    assert exaggeration_table(kpis)["lie_factor"].iloc[0] > 10, "a truncated axis should exaggerate over tenfold"
    windows = cherry_pick_table(kpis)
    top = windows[windows["indicator"] == gen.MISSED_BINS].iloc[0]
    assert top["long_run"] == "worsened", f"{council}: {top.to_dict()}"
    assert top["window_shows"] == "improved" and top["window_percent"] < -25, f"{council}: window {top.to_dict()}"
    assert ytd_method(kpis.loc[kpis["indicator"] == gen.SICKNESS, "unit"].iloc[0]) == "sum"
    ytd = year_to_date(kpis, gen.SICKNESS)
    assert ytd.groupby("year")["ytd"].apply(lambda s: s.is_monotonic_increasing).all(), "year to date only rises"
    better = same_month_last_year(kpis, gen.SICKNESS)["better"].sum()
    assert 1 <= better <= 12, f"{council}: some months should beat the year before, got {better}"
    assert long_run_change(kpis, gen.HOUSING_BENEFIT).direction == "improved", "Housing Benefit claims got quicker"


def test_latest_sickness_year_is_better_in_most_months():
    """Across the ten councils, the latest year's sickness absence beats the same month a year earlier in most months."""
    counts = [same_month_last_year(curriculum.load("performance_kpis", council=c), gen.SICKNESS)["better"].sum()
              for c in COUNCIL_NAMES]
    assert np.mean(counts) >= 7, f"most months should be better than a year earlier on average, got {counts}"


def test_winter_peaks_hold_across_seeds():
    """Across seeds, missed collections peak in January and sickness absence in winter, every year."""
    for seed in range(10):
        table = _frame("Torfaen", seed)
        for measure in (gen.MISSED_BINS, gen.SICKNESS):
            rows = table[table["Measure"] == measure].set_index("Month")["Actual"]
            for year in (2023, 2024, 2025):
                assert rows[f"{year}-01"] > rows[f"{year - 1}-07"], f"seed {seed}: {measure} January {year} vs July"
