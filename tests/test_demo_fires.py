"""The deliberate fires demo generator: published layout, determinism, volumes and the planted structure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import allocation as al
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, fires, write_generator_files
from curriculum.demo.wimd import lsoa_count, wales_table
from curriculum.rates import compare_to_funnel

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
VALLEYS = ("Rhondda Cynon Taf", "Merthyr Tydfil", "Caerphilly", "Blaenau Gwent", "Torfaen", "Bridgend")
EFFECT = [(10, 0.015), (20, 0.0075), (30, 0.0025)]


def _seed(name: str) -> np.random.Generator:
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(name), GENERATORS.index("fires")])


def _frame(name: str, rng=None, scale: float = 1.0) -> pd.DataFrame:
    return fires.generate(get_council(name), rng if rng is not None else _seed(name), scale)["deliberate_fires.csv"]


@pytest.fixture(scope="module")
def loaded() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """Every council's committed fires and WIMD table, loaded through the mapping."""
    return {name: (curriculum.load("deliberate_fires", council=name), curriculum.load("wimd", council=name).set_index("lsoa_code"))
            for name in COUNCIL_NAMES}


def _yearly_rates(frame: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    yearly = (frame.assign(year=frame["month"].dt.year)
              .pivot_table(index="lsoa_code", columns="year", values="count", aggfunc="sum")
              .reindex(areas.index).fillna(0))
    return yearly.div(areas["population"], axis=0) * 1000


def test_columns_match_the_mapping():
    """The generator writes the file and the columns the demo mapping names, in order."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["deliberate_fires"]
    assert fires.FILES == (mapping["file"],), f"FILES should be ({mapping['file']!r},)"
    frame = _frame("Torfaen")
    assert list(frame.columns) == list(mapping["columns"].values()), "columns should be the mapping's, in order"
    assert frame["Incident Month"].str.fullmatch(r"20\d\d-\d\d").all(), "months are written like 2023-04"
    assert set(frame["Incident Category"]) == set(fires.CATEGORIES), "every category appears"
    assert (frame["Number of Incidents"] > 0).all(), "months without fires are left out"


def test_deterministic_and_seed_dependent():
    """The same generator state gives the same frame; another state gives another."""
    pd.testing.assert_frame_equal(_frame("Newport", np.random.default_rng(5)), _frame("Newport", np.random.default_rng(5)))
    assert not _frame("Newport", np.random.default_rng(5)).equals(_frame("Newport", np.random.default_rng(6))), \
        "another seed should give another file"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files equal a fresh write of this generator (no hand edits)."""
    written = write_generator_files("fires", tmp_path)
    assert len(written) == len(COUNCIL_NAMES)
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator's output"


def test_committed_files_are_small():
    """The ten councils' files take under 700 KB together."""
    size = sum((DEMO / get_council(n).slug / "deliberate_fires.csv").stat().st_size for n in COUNCIL_NAMES)
    assert size < 700 * 1024, f"the fires files take {size / 1024:.0f} KB"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_loads_and_joins_to_the_councils_lsoas(loaded, name):
    """Every council's file passes the schema, covers 36 months and joins to its own WIMD LSOAs."""
    frame, areas = loaded[name]
    assert set(frame["council"]) == {name}
    assert frame["month"].min() == pd.Timestamp("2022-01-01") and frame["month"].max() == pd.Timestamp("2024-12-01")
    assert frame["month"].dt.to_period("M").nunique() >= 33, "nearly every month of 2022-2024 has fires (Monmouthshire may miss one)"
    assert set(frame["lsoa_code"]) <= set(areas.index), "every LSOA code is one of the council's"
    assert not frame.duplicated(["lsoa_code", "month", "category"]).any(), "one row per LSOA, month and category"


def test_valleys_have_more_grass_fires(loaded):
    """Grass fires per 1,000 residents are higher in every valleys council than in Cardiff, Newport, Monmouthshire and the Vale."""
    rate = {}
    for name, (frame, areas) in loaded.items():
        grass = frame.loc[frame["category"] == "Secondary: grassland", "count"].sum()
        rate[name] = grass / areas["population"].sum() / 3 * 1000
    lowest_valley = min(rate[n] for n in VALLEYS)
    highest_other = max(rate[n] for n in COUNCIL_NAMES if n not in VALLEYS)
    assert lowest_valley > 1.5 * highest_other, f"grass fire rates per 1,000 a year: {({k: round(v, 2) for k, v in rate.items()})}"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_seasons(loaded, name):
    """Grass fires peak in March or April; refuse fires are highest in November in most councils."""
    frame, _ = loaded[name]
    by_month = frame.groupby([frame["month"].dt.month, "category"])["count"].sum().unstack(fill_value=0)
    assert by_month["Secondary: grassland"].idxmax() in (3, 4), "the grass fire season is the spring"
    if name != "Monmouthshire":  # too few refuse fires there for the peak to be sure
        assert by_month["Secondary: refuse"].idxmax() in (10, 11), "refuse fires peak around Bonfire night"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_hotspots_stand_out_and_persist(loaded, name):
    """Some LSOAs lie above the 99.8% funnel limit; some stay in the top tenth every year; some top only last year."""
    frame, areas = loaded[name]
    counts = frame.groupby("lsoa_code")["count"].sum().reindex(areas.index, fill_value=0)
    placed = compare_to_funnel(pd.DataFrame({"area_code": areas.index, "count": counts.to_numpy(),
                                             "population": areas["population"].to_numpy() * 3}))
    assert (placed["signal"] == "above 99.8% limit").sum() >= 2, "hotspots well above chance"
    rates = _yearly_rates(frame, areas)
    n = max(1, round(0.1 * len(rates)))
    tops = [set(rates[y].nlargest(n).index) for y in rates.columns]
    assert len(set.intersection(*tops)) >= 1, "at least one persistent hotspot"
    if name not in ("Merthyr Tydfil",):  # four areas a year leave little room for one-year spikes
        assert tops[-1] - tops[0] - tops[1], "some of last year's top tenth were not top before (one-year spikes)"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_planning_by_expected_fires_beats_last_year(loaded, name):
    """On every council's data the LP, planned on the three-year average, prevents clearly more than the proportional rule."""
    frame, areas = loaded[name]
    expected = frame.groupby("lsoa_code")["count"].sum().reindex(areas.index, fill_value=0) / 3
    last = frame[frame["month"].dt.year == 2024].groupby("lsoa_code")["count"].sum().reindex(areas.index, fill_value=0)
    capacity = round(2 * expected.sum(), -1)
    best = al.allocate_hours(expected, capacity, 60, EFFECT).attrs["prevented"]
    rule = al.fires_prevented(al.proportional_allocation(last, capacity, 60), expected, EFFECT).sum()
    assert best > 1.03 * rule, f"LP {best:.1f} vs proportional {rule:.1f}"


def test_scale_grows_counts_and_keeps_lsoas_and_months():
    """At scale 3 the fires about triple while the number of LSOAs with records and of months stay fixed."""
    council = get_council("Torfaen")
    small = _frame("Torfaen", np.random.default_rng(1), 1.0)
    big = _frame("Torfaen", np.random.default_rng(1), 3.0)
    ratio = big["Number of Incidents"].sum() / small["Number of Incidents"].sum()
    assert 2.7 < ratio < 3.3, f"scale 3 gave {ratio:.2f} times the fires"
    assert big["LSOA Code"].nunique() <= lsoa_count(council, 1.0)
    assert big["Incident Month"].nunique() == small["Incident Month"].nunique() == 36
    wales = wales_table(3.0)
    assert set(big["LSOA Code"]) <= set(wales.loc[wales["council"] == "Torfaen", "lsoa_code"]), \
        "at scale 3 the codes join to the WIMD table written at scale 3"


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-1, ValueError), (float("nan"), ValueError)])
def test_scale_must_be_positive(bad, error):
    """A scale that is not a positive number is refused, naming scale."""
    with pytest.raises(error, match="scale"):
        fires.generate(get_council("Newport"), np.random.default_rng(0), bad)


@pytest.mark.parametrize("council, rng, error, word", [
    ("Newport", "not a generator", TypeError, "rng"),
    (None, np.random.default_rng(0), ValueError, "council"),
])
def test_bad_arguments_are_refused(council, rng, error, word):
    """A wrong rng or a council that is not a Council raises, naming the argument."""
    with pytest.raises(error, match=word):
        fires.generate(get_council(council) if council else council, rng, 1.0)
