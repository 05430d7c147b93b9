"""The ODA demo generator: published layout, determinism, size, region-wide tables and the planted structure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import costing as cs
from curriculum.councils import COUNCIL_NAMES, councils, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, oda, write_generator_files

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
KINDS = ("oda_cost_assumptions", "oda_benefit_assumptions", "oda_expected_use")


def _seed(name: str) -> np.random.Generator:
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(name), GENERATORS.index("oda")])


def _frames(name: str, rng=None, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    return oda.generate(get_council(name), rng if rng is not None else _seed(name), scale)


@pytest.fixture(scope="module")
def loaded() -> dict[str, dict[str, pd.DataFrame]]:
    """Every council's committed tables, loaded through the mapping."""
    return {name: {kind: curriculum.load(kind, council=name) for kind in KINDS} for name in COUNCIL_NAMES}


def test_columns_match_the_mapping():
    """The generator writes the files and columns the demo mapping names, in order."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]
    frames = _frames("Torfaen")
    for kind, file in zip(KINDS, oda.FILES):
        assert mapping[kind]["file"] == file, f"{kind} should read {file}"
        assert list(frames[file].columns) == list(mapping[kind]["columns"].values()), f"{file}: the mapping's columns, in order"
    costs = frames["oda_cost_assumptions.csv"]
    assert set(costs["Category"]) == {"Staff", "Platform", "Governance", "Training"}, "every category, as published"
    assert set(costs["One-off"]) == {"Yes", "No"}


def test_deterministic_and_seed_dependent():
    """The same generator state gives the same tables; another state changes only the council's own use."""
    first, again = _frames("Newport", np.random.default_rng(5)), _frames("Newport", np.random.default_rng(5))
    for file in oda.FILES:
        pd.testing.assert_frame_equal(first[file], again[file])
    other = _frames("Newport", np.random.default_rng(6))
    pd.testing.assert_frame_equal(first["oda_cost_assumptions.csv"], other["oda_cost_assumptions.csv"])
    own = [_frames("Newport", np.random.default_rng(s))["oda_expected_use.csv"].set_index("Council").loc["Newport", "Projects a year"]
           for s in range(20)]
    assert len(set(own)) > 1, "the council's own estimate is drawn from its stream"


def test_scale_changes_nothing():
    """Planning inputs have no row-level volume: scale 10 writes the same tables."""
    for file in oda.FILES:
        pd.testing.assert_frame_equal(_frames("Cardiff")[file], _frames("Cardiff", scale=10)[file])


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files equal a fresh write of this generator (no hand edits)."""
    written = write_generator_files("oda", tmp_path)
    assert len(written) == 3 * len(COUNCIL_NAMES)
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator's output"


def test_committed_files_are_small():
    """The ten councils' ODA tables take under 50 KB together."""
    size = sum((DEMO / get_council(n).slug / f).stat().st_size for n in COUNCIL_NAMES for f in oda.FILES)
    assert size < 50 * 1024, f"the ODA files take {size / 1024:.0f} KB"


def test_region_wide_tables_are_the_same_everywhere(loaded):
    """Costs and benefits are the same in every folder; expected use differs only in the council's own row."""
    first = COUNCIL_NAMES[0]
    for name in COUNCIL_NAMES[1:]:
        for kind in KINDS[:2]:
            pd.testing.assert_frame_equal(loaded[name][kind].drop(columns="council"), loaded[first][kind].drop(columns="council"))
        use = loaded[name]["oda_expected_use"].set_index("authority")["projects_per_year"]
        regional = pd.Series(oda.EXPECTED_USE, dtype=float)
        others = [c for c in COUNCIL_NAMES if c != name]
        assert use[others].equals(regional[others]), f"{name}: other councils keep the regional estimate"
        assert use[name] >= 1
    assert sorted(loaded[first]["oda_expected_use"]["authority"]) == sorted(COUNCIL_NAMES), "one row per council"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_every_council_loads_and_shares(name, loaded):
    """Each council's tables load, and its cost shares by population and by use add up to the total."""
    costs, use = loaded[name]["oda_cost_assumptions"], loaded[name]["oda_expected_use"]
    total = cs.total_cost(costs, 5)
    usage = use.set_index("authority")["projects_per_year"]
    for basis in ("population", "use"):
        shares = cs.share_costs(total, councils(), basis, usage)
        assert round(shares["amount"].sum(), 2) == round(total, 2), f"{name}: shares by {basis} add up"


def test_planted_cost_structure(loaded):
    """Recurring costs dwarf one-off costs; the platform's running cost moves the total most; ranges skew upwards."""
    costs = loaded["Cardiff"]["oda_cost_assumptions"]
    figures = cs.key_figures(costs)
    assert 4 * figures["recurring"] > 10 * figures["one_off"], "four later years of recurring cost dwarf the build"
    assert 0.28 <= figures["on_cost_rate"] <= 0.32, "on-costs about 30% of pay"
    assert figures["pay"] * (1 + figures["on_cost_rate"]) > 0.6 * figures["recurring"], "people are most of the yearly bill"
    swings = cs.tornado(lambda a: cs.total_cost(a, 5), costs)
    assert swings.index[0] == "Cloud platform running costs", "a yearly uncertainty counts five times"
    mc = cs.monte_carlo_cost(costs, n=5000, seed=1)
    assert (mc > cs.total_cost(costs, 5)).mean() > 0.9, "the central estimate is beaten by most simulations"
    assert 0.15 < (mc <= round(1.05 * cs.total_cost(costs, 5), -4)).mean() < 0.6, "a 5% contingency is a coin toss at best"


def test_planted_use_is_flatter_than_population():
    """The small valleys councils expect more projects per resident than Cardiff (regional estimates)."""
    population = councils().set_index("name")["population_2021"]
    per_head = pd.Series(oda.EXPECTED_USE) / population
    assert per_head["Merthyr Tydfil"] > 2 * per_head["Cardiff"] and per_head["Blaenau Gwent"] > 2 * per_head["Cardiff"]
    total = 1_000_000.0
    by_pop = cs.share_costs(total, councils(), "population")["amount"]
    by_use = cs.share_costs(total, councils(), "use", pd.Series(oda.EXPECTED_USE, dtype=float))["amount"]
    assert by_use["Cardiff"] < by_pop["Cardiff"] and by_use["Merthyr Tydfil"] > by_pop["Merthyr Tydfil"]


def test_planted_benefits_only_just_repay(loaded):
    """Phased in, the central benefits repay the costs in year 4 or 5, and the low case never does."""
    costs, benefits = loaded["Cardiff"]["oda_cost_assumptions"], loaded["Cardiff"]["oda_benefit_assumptions"]
    yearly = cs.annual_costs(costs, 5).sum()
    values = cs.benefit_values(benefits)
    ramp = [0.25, 0.6, 1, 1, 1]
    central = cs.break_even(yearly, values["value"].sum(), ramp)
    assert central.year in (4, 5) and 0.85 < central.benefit_needed / values["value"].sum() < 1.0
    assert cs.break_even(yearly, values["value_low"].sum(), ramp).year is None
    assert set(benefits["module"]) <= {m.id for m in curriculum.syllabus()}, "benefits name Data Lab modules"
