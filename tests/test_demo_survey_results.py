"""Tests of the National Survey for Wales-style demo generator and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum.councils import COUNCIL_NAMES, councils, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import survey_results as gen
from curriculum.uncertainty import (
    compare_proportions,
    compare_with,
    observed_regression,
    survey_table,
)

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
FILE = "national_survey_results.csv"


def _table(seed=None) -> pd.DataFrame:
    rng = np.random.default_rng([DEFAULT_SEED, 99, GENERATORS.index("survey_results")] if seed is None else seed)
    return gen.generate_region(rng, 1.0)[FILE]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """The table the generator writes with the default seed."""
    return _table()


def test_files_and_output_keys_agree():
    """The generator writes exactly the file it declares."""
    assert tuple(gen.generate_region(np.random.default_rng(1), 1.0)) == gen.FILES == (FILE,)


def test_columns_match_the_mapping(frame):
    """The published column names are exactly those mapped in datasets/demo/mapping.yaml."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["survey_results"]
    assert list(frame.columns) == list(gen.COLUMNS), f"columns should be {gen.COLUMNS}, got {list(frame.columns)}"
    assert sorted(mapping["columns"].values()) == sorted(gen.COLUMNS), "mapping.yaml should map every column"


def test_one_row_per_council_year_and_question(frame):
    """Ten councils, four years and four questions, each combination once, with the ONS codes."""
    assert len(frame) == 10 * 4 * 4, f"expected 160 rows, got {len(frame)}"
    assert not frame.duplicated(["Area", "Year", "Question"]).any(), "area, year and question must be unique"
    assert set(zip(frame["Area code"], frame["Area"])) == set(zip(councils()["code"], councils()["name"]))
    assert sorted(frame["Year"].unique()) == list(gen.YEARS) and set(frame["Question"]) == set(gen.QUESTIONS)


def test_sample_sizes_and_percentages_are_in_range(frame):
    """Respondents run from 300 to 1,200 per council and year; Cardiff has the most, Merthyr Tydfil among the fewest."""
    assert frame["Respondents"].between(300, 1200).all(), "sample sizes must be 300-1,200"
    assert frame["Percentage agreeing"].between(0, 100).all()
    sizes = frame.groupby("Area")["Respondents"].mean()
    assert sizes.idxmax() == "Cardiff" and sizes["Merthyr Tydfil"] < 400, f"sample sizes: {sizes.round().to_dict()}"
    assert (frame.groupby(["Area", "Year"])["Respondents"].nunique() == 1).all(), "one sample per council and year"


def test_same_seed_same_table_and_scale_is_ignored():
    """The same generator state gives the same table, whatever the scale; another seed differs."""
    first = gen.generate_region(np.random.default_rng(5), 1.0)[FILE]
    pd.testing.assert_frame_equal(first, gen.generate_region(np.random.default_rng(5), 10.0)[FILE])
    assert not first["Percentage agreeing"].equals(gen.generate_region(np.random.default_rng(6), 1.0)[FILE]["Percentage agreeing"])


@pytest.mark.parametrize(("rng", "scale", "error", "message"), [
    (np.random.default_rng(1), 0, ValueError, "scale must be a positive number"),
    (np.random.default_rng(1), "big", ValueError, "scale must be a positive number"),
    (42, 1.0, TypeError, "rng must be a numpy.random.Generator"),
])
def test_generate_region_rejects_bad_input(rng, scale, error, message):
    """A bad scale or rng raises an error that names the argument."""
    with pytest.raises(error, match=message):
        gen.generate_region(rng, scale)


def test_committed_files_regenerate_byte_for_byte_and_are_small(tmp_path):
    """Every committed national_survey_results.csv is what the generator writes, and all ten stay under 200 KB."""
    write_generator_files("survey_results", tmp_path)
    size = 0
    for name in COUNCIL_NAMES:
        committed = DEMO / get_council(name).slug / FILE
        assert committed.is_file(), f"{committed} is missing: run write_generator_files('survey_results', 'datasets/demo')"
        assert committed.read_bytes() == (tmp_path / get_council(name).slug / FILE).read_bytes(), f"{committed} differs"
        size += committed.stat().st_size
    assert size < 200 * 1024, f"survey files take {size / 1024:.0f} KB"


@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_loads_for_every_council(council):
    """curriculum.load('survey_results') validates for each council's folder, labelled with that council."""
    data = curriculum.load("survey_results", council=council)
    assert len(data) == 160 and set(data["council"]) == {council}, "160 rows, labelled with the run's council"
    assert council in set(data["area_name"]), f"{council} should be one of the surveyed areas"


def test_real_differences_exist_where_planted(frame):
    """Satisfaction with the local area: Monmouthshire is clearly above Merthyr Tydfil in every year."""
    data = frame.rename(columns={"Area": "area_name", "Year": "year", "Question": "question",
                                 "Respondents": "respondents", "Percentage agreeing": "percent_agree"})
    for year in gen.YEARS:
        table = survey_table(data, gen.LOCAL_AREA, year).set_index("area_name")
        result = compare_proportions(table.loc["Monmouthshire", "percent_agree"], table.loc["Monmouthshire", "respondents"],
                                     table.loc["Merthyr Tydfil", "percent_agree"], table.loc["Merthyr Tydfil", "respondents"])
        assert result["real"] and result["difference"] > 0, f"{year}: {result}"


def test_most_service_differences_are_within_chance(frame):
    """For the council-services question, most councils' differences from a mid-table council are within chance."""
    data = frame.rename(columns={"Area": "area_name", "Year": "year", "Question": "question",
                                 "Respondents": "respondents", "Percentage agreeing": "percent_agree"})
    within = [int((~compare_with(survey_table(data, gen.SERVICES, year), "Caerphilly")["real"]).sum()) for year in gen.YEARS]
    assert min(within) >= 4, f"most of the nine comparisons should be within chance each year: {within}"


def test_lowest_councils_rise_the_next_year_on_average_across_seeds():
    """Over many seeds, each year's three lowest councils on council services rise the next year relative to the rest."""
    gaps = []
    for seed in range(20):
        data = _table(seed).rename(columns={"Area": "area_name", "Year": "year", "Question": "question",
                                            "Respondents": "respondents", "Percentage agreeing": "percent_agree"})
        pairs = observed_regression(data, gen.SERVICES)
        gaps.extend(pairs["worst_change"] - pairs["rest_change"])
    assert np.mean(gaps) > 0.5, f"the lowest should bounce back on average, got {np.mean(gaps):.2f} points"
