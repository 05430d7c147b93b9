"""Tests of curriculum.collaboration: ProClass matching, overlap, concentration and the savings simulation."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats
from scipy.spatial.distance import jaccard as jaccard_distance

from curriculum.collaboration import (
    NON_PROCUREMENT,
    UNMATCHED,
    aggregation_saving,
    annualise,
    assign_proclass,
    category_table,
    hhi,
    hhi_after_lots,
    jaccard,
    load_region,
    normalise_category,
    overlap_matrix,
    proclass_lookup,
    saving_interval,
    simulate_savings,
    supplier_overlap,
)
from curriculum.councils import COUNCIL_NAMES
from curriculum.runner import run_module

REAL = Path(__file__).resolve().parents[1] / "datasets" / "real"


@pytest.fixture
def lines() -> pd.DataFrame:
    """A small table of three councils buying two categories."""
    return pd.DataFrame({
        "council": ["A", "A", "B", "B", "C", "C", "C"],
        "category": ["Gas", "Roads", "GAS", "Roads", "Gas", "Roads", "Private Contractors"],
        "supplier_key": ["S1", "R1", "S1", "R2", "S2", "R1", "X"],
        "annual_amount": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 5.0],
        "payment_date": pd.to_datetime(["2024-04-01"] * 7),
        "amount": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 5.0],
    })


def test_lookup_has_one_name_per_code():
    """Every ProClass code in the shipped lookup has one name and is listed under that name too."""
    table = proclass_lookup()
    assert (table.groupby("proclass")["proclass_name"].nunique() == 1).all(), "a code has two names"
    assert set(table["proclass_name"]) <= set(table["text"]), "every ProClass name should match itself"
    assert NON_PROCUREMENT in set(table["proclass"]), "the non-procurement code should be in the lookup"


@pytest.mark.parametrize("text, key", [("Health & Safety Equipment", "health and safety equipment"),
                                       ("  CONSTRUCTION ", "construction"), ("Fuel (Non LCC Supplies)", "fuel non lcc supplies")])
def test_normalise_category(text, key):
    """normalise_category lower-cases, writes '&' as 'and' and drops punctuation."""
    assert normalise_category(text) == key, f"{text!r} should give {key!r}"


def test_assign_proclass_code_text_and_none(lines):
    """Codes are kept, text is matched when there is no code, and the rest is Unclassified."""
    frame = lines.assign(proclass=["371100", None, None, None, None, None, None])
    out = assign_proclass(frame)
    assert out["matched_by"].tolist()[:3] == ["code", "text", "text"], f"unexpected {out['matched_by'].tolist()}"
    assert out.loc[2, "proclass"] == "371100", "'GAS' should match Gas by its normalised text"
    assert out.loc[6, "proclass"] == UNMATCHED and out.loc[6, "matched_by"] == "none", "a subjective heading stays unmatched"
    assert out.loc[1, "proclass_name"] == "Roads", "the name should come from the lookup"


@pytest.mark.parametrize("bad, match", [(pd.DataFrame({"x": [1]}), "category"), ("not a frame", "category")])
def test_assign_proclass_errors(bad, match):
    """assign_proclass names the missing category column."""
    with pytest.raises(ValueError, match=match):
        assign_proclass(bad)


def test_jaccard_agrees_with_scipy():
    """jaccard equals 1 minus scipy's Jaccard distance on indicator vectors."""
    rng = np.random.default_rng(1)
    universe = [f"S{i}" for i in range(30)]
    for _ in range(20):
        a, b = set(rng.choice(universe, 10)), set(rng.choice(universe, 12))
        u = np.array([x in a for x in universe]); v = np.array([x in b for x in universe])
        assert np.isclose(jaccard(a, b), 1 - jaccard_distance(u, v)), "jaccard should agree with scipy"
    assert jaccard([], []) == 0.0, "two empty sets share nothing"


@pytest.mark.parametrize("a, b", [("ABC", ["A"]), (["A"], "B")])
def test_jaccard_rejects_strings(a, b):
    """A single string is refused, naming the argument."""
    with pytest.raises(TypeError, match="collection"):
        jaccard(a, b)


def test_overlap_and_category_table(lines):
    """The overlap matrix is symmetric with a unit diagonal; supplier_overlap is the mean of its pairs."""
    out = assign_proclass(lines)
    gas = out[out["proclass_name"] == "Gas"]
    matrix = overlap_matrix(gas)
    assert np.allclose(matrix, matrix.T) and np.allclose(np.diag(matrix), 1), "the matrix should be symmetric with 1s"
    assert np.isclose(matrix.loc["A", "B"], 1.0) and np.isclose(matrix.loc["A", "C"], 0.0), "A and B share S1 only"
    overlap = supplier_overlap(out[out["proclass"] != UNMATCHED])
    assert np.isclose(overlap["Gas"], 1 / 3), f"mean of (1, 0, 0) is 1/3, got {overlap['Gas']}"
    table = category_table(out)
    assert table.loc["Gas", "councils"] == 3 and table.loc["Gas", "suppliers"] == 2, "counts should be distinct"
    assert np.isclose(table["annual_spend"].sum(), out["annual_amount"].sum()), "spend should add up"


def test_annualise_scales_short_files():
    """A council with one month of lines is scaled by 12, one with twelve months by 1."""
    frame = pd.DataFrame({"council": ["A"] * 12 + ["B"],
                          "payment_date": pd.to_datetime([f"2024-{m:02d}-15" for m in range(1, 13)] + ["2024-05-01"]),
                          "amount": [1.0] * 12 + [10.0]})
    out = annualise(frame)
    assert out.groupby("council")["annual_amount"].sum().to_dict() == {"A": 12.0, "B": 120.0}, "wrong scaling"


def test_hhi_known_values_and_identity():
    """HHI is 10,000/n for n equal suppliers and equals 10,000 * (n var(s) + 1/n) for any shares."""
    assert hhi([1, 1, 1, 1]) == pytest.approx(2500)
    assert hhi([50, 30, 20]) == pytest.approx(3800)
    rng = np.random.default_rng(3)
    values = rng.pareto(1.5, 40) + 0.1
    shares = values / values.sum()
    assert hhi(values) == pytest.approx(10_000 * (len(shares) * shares.var() + 1 / len(shares))), "variance identity"


@pytest.mark.parametrize("bad", [[], [1, -1], [0, 0], [np.nan, 1]])
def test_hhi_errors(bad):
    """hhi refuses empty, negative, missing or all-zero amounts."""
    with pytest.raises(ValueError, match="amounts"):
        hhi(bad)


def test_hhi_after_lots_matches_brute_force():
    """hhi_after_lots equals the HHI of shares rebuilt by hand."""
    amounts = np.array([40.0, 30.0, 20.0, 10.0])
    for lots in (1, 2, 4):
        after = 0.3 * amounts / 100
        after[:lots] += 0.7 / lots
        assert hhi_after_lots(amounts, 0.7, lots) == pytest.approx(hhi(after)), f"{lots} lots"
    assert hhi_after_lots(amounts, 0.0, 1) == pytest.approx(hhi(amounts)), "no take-up leaves the market as it is"


@pytest.mark.parametrize("take_up, lots, match", [(1.5, 1, "take_up"), (0.5, 0, "lots"), (0.5, 9, "lots"), (0.5, 1.5, "lots")])
def test_hhi_after_lots_errors(take_up, lots, match):
    """hhi_after_lots names the bad argument."""
    with pytest.raises(ValueError, match=match):
        hhi_after_lots([3.0, 2.0, 1.0], take_up, lots)


def test_aggregation_saving_closed_form():
    """Two equal councils save exactly the discount; n equal councils save 1 - (1 - d) ** log2(n)."""
    assert aggregation_saving([100.0, 100.0], 0.05) == pytest.approx(10.0)
    assert aggregation_saving([1.0] * 8, 0.1) == pytest.approx(8 * (1 - 0.9 ** 3))
    assert aggregation_saving([5.0], 0.1) == pytest.approx(0.0), "a council alone saves nothing"


def test_simulation_matches_closed_form_and_integral():
    """Degenerate inputs give the closed form; the mean gross saving matches a numerical integral over the discount."""
    spend = np.array([10e6, 4e6, 2e6, 1e6])
    fixed = simulate_savings(spend, n=50, discount=(0.03, 0.03, 0.03), take_up=(0.8, 0.8), procurement_cost=(0, 0))
    assert np.allclose(fixed["net"], 0.8 * aggregation_saving(spend, 0.03)), "degenerate draws should equal the closed form"
    draws = simulate_savings(spend, n=200_000, seed=7)
    tri = stats.triang(c=0.03 / 0.08, loc=0.0, scale=0.08)
    expected, _ = integrate.quad(lambda d: aggregation_saving(spend, d) * tri.pdf(d), 0, 0.08)
    expected *= 0.7  # mean take-up of U(0.5, 0.9)
    assert draws["gross"].mean() == pytest.approx(expected, rel=0.01), "simulation mean should match the integral"
    assert draws["cost"].mean() == pytest.approx(100_000 / 4, rel=0.01), "mean annual cost is the mid-point over four years"


def test_simulation_is_seeded():
    """The same seed gives the same draws; another seed gives others."""
    a = simulate_savings([3.0, 2.0], n=100, seed=1)
    pd.testing.assert_frame_equal(a, simulate_savings([3.0, 2.0], n=100, seed=1))
    assert not a.equals(simulate_savings([3.0, 2.0], n=100, seed=2)), "a different seed should give different draws"


@pytest.mark.parametrize("kwargs, match", [({"n": 0}, "n"), ({"discount": (0.05, 0.03, 0.08)}, "discount"),
                                           ({"take_up": (0.9, 0.5)}, "take_up"), ({"term_years": 0}, "term_years"),
                                           ({"procurement_cost": (10.0, 5.0)}, "procurement_cost")])
def test_simulation_errors(kwargs, match):
    """simulate_savings names the bad argument."""
    with pytest.raises(ValueError, match=match):
        simulate_savings([1.0, 2.0], **kwargs)


def test_saving_interval():
    """The interval holds the percentiles and the share of losses."""
    out = saving_interval(np.arange(-10, 90), level=0.9)
    assert out["low"] == pytest.approx(np.percentile(np.arange(-10, 90), 5)) and out["p_loss"] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="level"):
        saving_interval([1.0], level=1.5)


def test_load_region_demo_and_own_file():
    """Demo data stacks the ten councils; an own spend file is added, and an own file without contracts is skipped."""
    demo = load_region("spend")
    assert set(demo["council"]) == set(COUNCIL_NAMES) and demo.attrs["own"] is None, "ten demo councils expected"
    mine = load_region("spend", council="Calderdale", data_dir=REAL / "calderdale")
    assert mine.attrs["own"] == "Calderdale" and mine["council"].nunique() == 11, "Calderdale plus ten councils"
    contracts = load_region("contracts", council="Calderdale", data_dir=REAL / "calderdale")
    assert contracts.attrs["own"] is None and contracts["council"].nunique() == 10, "no own contracts: demo only"


@pytest.mark.parametrize("name", ["calderdale", "manchester", "leeds"])
def test_module_runs_on_real_files(name, tmp_path):
    """The buying_together notebook runs unchanged on a real council's spend file combined with the demo data."""
    result = run_module("buying_together", name.title(), data_dir=REAL / name, out_dir=tmp_path)
    assert result.ok, f"buying_together failed on {name}: {result.error}"
