"""Tests of the social value demo generator (curriculum.demo.social_value)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import curriculum
from curriculum import social_value as sv
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS
from curriculum.demo import social_value as demo
from tests.conftest import ROOT


def _rng(council: str) -> np.random.Generator:
    """The random stream write_demo_data gives a council's social value generator."""
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(council), GENERATORS.index("social_value")])


@pytest.fixture(scope="module")
def valued() -> dict[str, pd.DataFrame]:
    """Every council's demo tracker, loaded and valued."""
    return {c: sv.value_commitments(curriculum.load("social_value_commitments", council=c),
                                    curriculum.load("social_value_measures", council=c)) for c in COUNCIL_NAMES}


def test_files_and_columns():
    """The generator writes the two files with the tracker's column names, all as text."""
    files = demo.generate(get_council("Newport"), _rng("Newport"), 1.0)
    assert tuple(files) == demo.FILES, "FILES names the files written, in order"
    assert list(files["social_value_measures.csv"].columns) == list(demo.MEASURE_COLUMNS), "measures columns"
    tracker = files["social_value_commitments.csv"]
    assert list(tracker.columns) == list(demo.COMMITMENT_COLUMNS), "tracker columns"
    assert all(tracker[c].map(type).eq(str).all() for c in tracker.columns), "every cell is text"
    assert set(tracker["Reporting Year"]) <= {"2021-22", "2022-23", "2023-24", "2024-25"}, "financial years 2021-22 to 2024-25"


def test_deterministic_and_scaled():
    """The same rng gives the same files; scale 3 gives about three times the commitments and the same measures."""
    council = get_council("Torfaen")
    first = demo.generate(council, np.random.default_rng(5), 1.0)
    again = demo.generate(council, np.random.default_rng(5), 1.0)
    for name in demo.FILES:
        pd.testing.assert_frame_equal(first[name], again[name])
    big = demo.generate(council, np.random.default_rng(5), 3.0)
    ratio = len(big["social_value_commitments.csv"]) / len(first["social_value_commitments.csv"])
    assert 2.0 < ratio < 4.5, f"scale 3 gives {ratio:.1f} times the rows"
    pd.testing.assert_frame_equal(first["social_value_measures.csv"], big["social_value_measures.csv"])


@pytest.mark.parametrize("council, rng, scale, error", [
    ("Newport", "not a generator", 1.0, TypeError),
    ("Newport", None, 0, ValueError),
    ("Newport", None, -1.0, ValueError),
    ("Newport", None, True, ValueError),
])
def test_bad_arguments(council, rng, scale, error):
    """A wrong rng or a scale that is not a positive number is refused."""
    with pytest.raises(error, match="rng|scale"):
        demo.generate(get_council(council), np.random.default_rng(1) if rng is None else rng, scale)


def test_contracts_match_the_register():
    """Every contract reference in the tracker is a contract of the council's demo register."""
    for council in COUNCIL_NAMES:
        tracker = curriculum.load("social_value_commitments", council=council)
        register = curriculum.load("contracts", council=council)
        unknown = set(tracker["contract_ref"]) - set(register["contract_reference"])
        assert not unknown, f"{council}: references not in the register: {sorted(unknown)[:3]}"
        assert tracker["contract_ref"].nunique() >= 8, f"{council}: at least 8 contracts carry commitments"


def test_measures_are_the_same_everywhere():
    """Every council's folder holds the same twelve measures, each with a positive proxy value."""
    first = curriculum.load("social_value_measures", council=COUNCIL_NAMES[0])
    assert len(first) == len(demo.MEASURES) == 12, "twelve measures"
    assert set(first["theme"]) == set(sv.THEMES), "all five themes"
    assert set(first["well_being_goal"]) <= set(sv.WELL_BEING_GOALS), "goals are the Act's seven"
    assert (first["proxy_value"] > 0).all(), "proxy values are positive"
    for council in COUNCIL_NAMES[1:]:
        pd.testing.assert_frame_equal(first, curriculum.load("social_value_measures", council=council))


def test_planted_persistent_under_deliverers(valued):
    """Exactly the planted number of suppliers fall short in every year; they hold most of the shortfall and always report."""
    for council, table in valued.items():
        persistence = sv.persistent_under_delivery(table)
        flagged = list(persistence.index[persistence["persistent"]])
        expected = demo.planted_under_deliverers(table["supplier_name"].nunique())
        assert len(flagged) == expected, f"{council}: {len(flagged)} persistent suppliers, expected {expected}"
        gaps = sv.delivery_gaps(table)
        assert gaps.loc[flagged, "gap_share"].sum() > 0.7, f"{council}: the planted suppliers hold most of the shortfall"
        assert table.loc[table["supplier_name"].isin(flagged), "reported"].all(), f"{council}: planted suppliers always report"
        assert (persistence.loc[flagged, "years_reported"] >= 2).all(), f"{council}: at least two years each"


def test_planted_monitoring_gaps(valued):
    """Some contracts never report, none of them the planted suppliers'; blanks are a minority; some returns report 0."""
    for council, table in valued.items():
        gaps = sv.monitoring_gaps(table, ["contract_ref", "supplier_name"])
        silent = gaps[gaps["never_reported"]]
        assert len(silent) >= 1, f"{council}: at least one contract never reported"
        persistence = sv.persistent_under_delivery(table)
        planted = set(persistence.index[persistence["persistent"]])
        assert not set(silent.index.get_level_values("supplier_name")) & planted, f"{council}: silent contracts are not planted ones"
        share = 1 - table["reported"].mean()
        assert 0.03 < share < 0.3, f"{council}: {share:.0%} of rows without a return"
    assert sum((t["delivered"] == 0).sum() for t in valued.values()) > 0, "some returns report 0 (a delivery gap, not a blank)"


def test_planted_proxy_inflation(valued):
    """NT18 (local SME spend at GBP 1 a pound) carries the most claimed value everywhere, and the top two most of it."""
    for council, table in valued.items():
        shares = sv.value_concentration(table)
        assert shares.index[0] == "NT18", f"{council}: the top measure is {shares.index[0]}"
        assert shares["share"].iloc[0] > 0.45, f"{council}: NT18 carries {shares['share'].iloc[0]:.0%}"
        assert shares["cumulative_share"].iloc[1] > 0.75, f"{council}: the top two carry {shares['cumulative_share'].iloc[1]:.0%}"


def test_files_are_small():
    """The committed social value files stay under 400 KB across the ten councils."""
    size = sum(p.stat().st_size for p in (ROOT / "datasets" / "demo").glob("*/social_value_*.csv"))
    assert 0 < size < 400 * 1024, f"{size / 1024:.0f} KB"
