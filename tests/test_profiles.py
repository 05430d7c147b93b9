"""Tests of the small-area profile, cause-tree and problem-statement helpers (curriculum.profiles)."""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import curriculum
from curriculum import profiles as pf

matplotlib.use("Agg")  # draw off screen


# ------------------------------------------------------------------ deprivation groups
def _by_cutoffs(ranks, groups: int, n_areas: int) -> np.ndarray:
    """Independent rule: group k ends at rank ceil(n_areas * k / groups) (WIMD's "most deprived k0%")."""
    ends = np.ceil(n_areas * np.arange(1, groups + 1) / groups - 1e-9)
    return np.searchsorted(ends, np.asarray(ranks), side="left") + 1


@pytest.mark.parametrize("n_areas, groups", [(1909, 10), (1909, 5), (100, 10), (37, 5), (1000, 7)])
def test_deprivation_group_matches_cumulative_cutoffs(n_areas, groups):
    """Groups of the ranks 1..n agree with cumulative cut-offs and differ in size by at most one."""
    ranks = pd.Series(np.arange(1, n_areas + 1))
    got = pf.deprivation_group(ranks, groups, n_areas)
    assert (got.to_numpy() == _by_cutoffs(ranks, groups, n_areas)).all(), "group k should end at rank ceil(n * k / groups)"
    sizes = got.value_counts()
    assert sizes.max() - sizes.min() <= 1 and len(sizes) == groups, "groups should be as equal as possible"
    if n_areas % groups == 0:
        assert (got == pd.qcut(ranks, groups, labels=False) + 1).all(), "with equal groups, pandas' qcut agrees"


def test_deprivation_group_gives_wimd_cutoffs():
    """With 1,909 LSOAs the most deprived 10%, 20%, 30% and 50% end at ranks 191, 382, 573 and 955."""
    for groups, last in [(10, 191), (5, 382), (10, 573), (2, 955)]:
        boundary = {10: {191: 1, 573: 3}, 5: {382: 1}, 2: {955: 1}}[groups][last]
        assert pf.deprivation_group(last, groups) == boundary, f"rank {last} should close group {boundary} of {groups}"
        assert pf.deprivation_group(last + 1, groups) == boundary + 1, f"rank {last + 1} should open group {boundary + 1}"


def test_deprivation_group_keeps_the_input_shape():
    """A number gives an int, a Series a Series with its index, a list an array."""
    assert isinstance(pf.deprivation_group(5), int), "one rank should give a plain int"
    series = pd.Series([1, 1909], index=["a", "b"])
    got = pf.deprivation_group(series)
    assert isinstance(got, pd.Series) and list(got.index) == ["a", "b"], "a Series should keep its index"
    assert isinstance(pf.deprivation_group([1, 2]), np.ndarray), "a list should give an array"


@pytest.mark.parametrize("kwargs, word", [
    ({"ranks": 0}, "ranks"), ({"ranks": 1910}, "ranks"), ({"ranks": 1.5}, "whole"),
    ({"ranks": [1, float("nan")]}, "missing"), ({"ranks": ["x"]}, "ranks"),
    ({"ranks": 5, "groups": 1}, "groups"), ({"ranks": 5, "groups": True}, "groups"), ({"ranks": 5, "groups": 2.5}, "groups"),
    ({"ranks": 5, "groups": 10, "n_areas": 8}, "n_areas"),
])
def test_deprivation_group_rejects_bad_arguments(kwargs, word):
    """Invalid ranks, groups or n_areas raise ValueError naming the problem."""
    with pytest.raises(ValueError, match=word):
        pf.deprivation_group(**kwargs)


def test_local_group_matches_quantile_cut_of_positions():
    """Local groups are the quantile cut of the areas' positions, ties in the order given."""
    rng = np.random.default_rng(3)
    ranks = pd.Series(rng.choice(1909, size=83, replace=False) + 1, index=[f"L{i}" for i in range(83)])
    expected = _by_cutoffs(ranks.rank(method="first").astype(int), 5, len(ranks))
    got = pf.local_group(ranks, 5)
    assert (got.to_numpy() == expected).all(), "local quintiles should split the areas into five equal-as-possible groups by rank"
    even = ranks.iloc[:80]
    assert (pf.local_group(even, 5) == pd.qcut(even.rank(method="first"), 5, labels=False) + 1).all(), \
        "with 80 areas the quintiles are qcut's"
    assert got.value_counts().between(16, 17).all(), "83 areas make groups of 16 or 17"
    tied = pf.local_group([7, 7, 7, 7, 7], 5)
    assert tied.tolist() == [1, 2, 3, 4, 5], "equal ranks are split in the order given"


@pytest.mark.parametrize("ranks, groups, word", [([1, 2, 3], 5, "exceed"), ([1, np.nan, 3], 2, "missing"), ([1, 2], 1, "groups")])
def test_local_group_rejects_bad_arguments(ranks, groups, word):
    """Too few areas, missing ranks or too few groups raise ValueError."""
    with pytest.raises(ValueError, match=word):
        pf.local_group(ranks, groups)


# ----------------------------------------------------------------------------- joining
@pytest.fixture
def small_areas() -> pd.DataFrame:
    """Three areas with ranks, populations and a group."""
    return pd.DataFrame({"lsoa_code": ["W01000003", "W01000001", "W01000002"], "rank": [30, 10, 20],
                         "pop": [1000, 2000, 1000], "q": [2, 1, 1]})


def test_join_to_areas_sorts_every_record(small_areas):
    """Records join after tidying; blank, invalid and other areas' codes are counted apart."""
    records = pd.DataFrame({"id": range(8), "lsoa_code": ["W01000001", " w01000001", "W01000002", None, "",
                                                           "CF24 3AA", "W0100000", "W01009999"]})
    result = pf.join_to_areas(records, small_areas)
    status = result.records.set_index("id")["join_status"].astype(str).tolist()
    assert status == ["joined", "joined", "joined", "no area code", "no area code", "not a valid code",
                      "not a valid code", "outside these areas"], f"unexpected statuses {status}"
    assert result.counts.tolist() == [0, 2, 1], "counts follow the areas' order and include areas with none"
    assert result.summary["records"].tolist() == [3, 2, 2, 1], "the summary counts each status in JOIN_STATUSES order"
    assert result.summary["share"].sum() == pytest.approx(1.0), "shares add up to 1"
    assert result.joined == 3 and result.failed == 5, "joined and failed add up to the records"
    assert list(records.columns) == ["id", "lsoa_code"], "the records given are not changed"


def test_join_to_areas_counts_agree_with_merge(small_areas):
    """The counts per area equal an independent pandas merge of the tidied codes."""
    rng = np.random.default_rng(5)
    codes = rng.choice(["W01000001", "W01000002", "W01000003", "W01000004", None], size=300)
    records = pd.DataFrame({"lsoa_code": codes})
    merged = records.dropna().merge(small_areas, on="lsoa_code", how="inner").groupby("lsoa_code").size()
    got = pf.join_to_areas(records, small_areas).counts
    assert got.to_dict() == merged.reindex(got.index, fill_value=0).to_dict(), "counts should equal an inner merge"


@pytest.mark.parametrize("records, areas, kwargs, word", [
    (pd.DataFrame({"x": ["W01000001"]}), pd.DataFrame({"lsoa_code": ["W01000001"]}), {}, "records has no column"),
    (pd.DataFrame({"lsoa_code": ["W01000001"]}), pd.DataFrame({"code": ["W01000001"]}), {}, "areas has no column"),
    (pd.DataFrame({"lsoa_code": ["W01000001"]}), pd.DataFrame({"lsoa_code": ["W01000001", "w01000001"]}), {}, "once"),
    (pd.DataFrame({"lsoa_code": ["W01000001"]}), pd.DataFrame({"lsoa_code": [None]}), {}, "empty"),
    (pd.DataFrame({"lsoa_code": ["W01000001"]}), pd.DataFrame({"lsoa_code": ["W01000001"]}), {"pattern": "("}, "pattern"),
    ("not a frame", pd.DataFrame({"lsoa_code": ["W01000001"]}), {}, "DataFrame"),
])
def test_join_to_areas_rejects_bad_arguments(records, areas, kwargs, word):
    """Missing columns, repeated area codes and bad patterns raise ValueError."""
    with pytest.raises(ValueError, match=word):
        pf.join_to_areas(records, areas, **kwargs)


# ------------------------------------------------------------------------------ rates
def test_rates_by_group_adds_up_before_dividing(small_areas):
    """A group's rate is its total count over its total population, with shares of both."""
    areas = small_areas.assign(n=[5, 40, 10])
    table = pf.rates_by_group(areas, "q", "n", "pop")
    assert table.loc[1, "rate"] == pytest.approx(50 / 3000 * 1000), "group 1: (40 + 10) / (2,000 + 1,000) per 1,000"
    assert table.loc[2, "rate"] == pytest.approx(5.0), "group 2: 5 per 1,000"
    assert table["share_count"].sum() == pytest.approx(1) and table["share_population"].sum() == pytest.approx(1)
    assert table["areas"].tolist() == [2, 1], "areas counts the areas of each group"
    assert table["population"].dtype.kind == "i", "whole-number populations stay whole numbers"


def test_rates_by_group_intervals_are_exact_poisson():
    """Intervals equal Garwood's chi-squared formula, for counts including zero."""
    areas = pd.DataFrame({"g": [1, 2, 3], "n": [0, 7, 250], "pop": [500, 800, 9000]})
    table = pf.rates_by_group(areas, "g", "n", "pop", alpha=0.1)
    for _, row in table.iterrows():
        k, exposure = row["count"], row["population"] / 1000
        low = 0.0 if k == 0 else stats.chi2.ppf(0.05, 2 * k) / 2 / exposure
        high = stats.chi2.ppf(0.95, 2 * k + 2) / 2 / exposure
        assert row["rate_low"] == pytest.approx(low, abs=1e-9), f"lower limit for {k} events"
        assert row["rate_high"] == pytest.approx(high), f"upper limit for {k} events"
        assert row["rate_low"] <= row["rate"] <= row["rate_high"], "the rate lies inside its interval"


@pytest.mark.parametrize("frame, kwargs, word", [
    (pd.DataFrame({"g": [1], "n": [-1], "pop": [10]}), {}, "negative"),
    (pd.DataFrame({"g": [1], "n": [1.5], "pop": [10]}), {}, "whole"),
    (pd.DataFrame({"g": [1], "n": [1], "pop": [0]}), {}, "positive"),
    (pd.DataFrame({"g": [None], "n": [1], "pop": [10]}), {}, "group"),
    (pd.DataFrame({"g": [1], "n": [1], "pop": [10]}), {"per": 0}, "per"),
    (pd.DataFrame({"g": [1], "n": [1], "pop": [10]}), {"alpha": 1.5}, "alpha"),
    (pd.DataFrame({"g": [1], "n": [1]}), {}, "no column"),
])
def test_rates_by_group_rejects_bad_data(frame, kwargs, word):
    """Invalid counts, populations, groups or options raise ValueError."""
    with pytest.raises(ValueError, match=word):
        pf.rates_by_group(frame, "g", "n", "pop", **kwargs)


def test_standardised_ratios_without_adjustment_are_relative_rates():
    """With a single standard group, each ratio is the group's rate over the overall rate."""
    areas = pd.DataFrame({"g": [1, 1, 2, 3], "one": 0, "n": [10, 5, 20, 3], "pop": [1000, 500, 800, 900]})
    ratios = pf.standardised_ratios(areas, "g", "one", "n", "pop")
    rates = pf.rates_by_group(areas, "g", "n", "pop")["rate"]
    overall = areas["n"].sum() / areas["pop"].sum() * 1000
    assert np.allclose(ratios["ratio"], rates / overall), "ratio should be the rate over the overall rate"
    assert ratios["expected"].sum() == pytest.approx(ratios["observed"].sum()), "expected counts add up to observed"
    exposure = ratios["expected"].to_numpy()
    k = ratios["observed"].to_numpy()
    assert np.allclose(ratios["ratio_high"], stats.chi2.ppf(0.975, 2 * k + 2) / 2 / exposure), "exact upper limits"


def test_standardised_ratios_recover_a_planted_effect():
    """Simulated counts with a rate ratio of 0.6 in one group, confounded with deprivation, give about 0.6."""
    rng = np.random.default_rng(11)
    n = 4000
    deprived = rng.integers(1, 6, n)
    remote = (rng.random(n) < np.where(deprived >= 4, 0.4, 0.1)).astype(int)  # remote areas are less deprived
    pop = rng.integers(200, 700, n)
    mean = pop * 0.03 * np.exp(-0.3 * (deprived - 1)) * np.where(remote == 1, 0.6, 1.0)
    areas = pd.DataFrame({"remote": remote, "q": deprived, "n": rng.poisson(mean), "pop": pop})
    crude = pf.rates_by_group(areas, "remote", "n", "pop")["rate"]
    ratios = pf.standardised_ratios(areas, "remote", "q", "n", "pop")["ratio"]
    relative = ratios[1] / ratios[0]
    assert abs(relative - 0.6) < 0.05, f"the standardised ratio of ratios {relative:.3f} should be close to 0.6"
    assert abs(crude[1] / crude[0] - 0.6) > abs(relative - 0.6), "standardising should come closer than the crude rates"


def test_standardised_ratios_reject_no_counts():
    """Counts that add up to zero leave nothing to compare."""
    with pytest.raises(ValueError, match="zero"):
        pf.standardised_ratios(pd.DataFrame({"g": [1, 2], "q": [1, 1], "n": [0, 0], "pop": [10, 10]}), "g", "q", "n", "pop")


# ----------------------------------------------------------------------- concentration
def test_concentration_shares_and_ratio(small_areas):
    """Shares of count and population in the most deprived group, and their ratio."""
    areas = small_areas.assign(n=[5, 40, 10])
    got = pf.concentration(areas, "q", "n", "pop")
    table = pf.rates_by_group(areas, "q", "n", "pop")
    assert got["share_count"] == pytest.approx(table.loc[1, "share_count"]), "the share of the count in group 1"
    assert got["share_population"] == pytest.approx(table.loc[1, "share_population"]), "the share of residents in group 1"
    assert got["ratio"] == pytest.approx(got["share_count"] / got["share_population"]), "the ratio of the two shares"


@pytest.mark.parametrize("counts, most, word", [([0, 0, 0], 1, "nothing"), ([1, 2, 3], 9, "most")])
def test_concentration_rejects_impossible_questions(small_areas, counts, most, word):
    """No counts, or no area in the group asked for, raise ValueError."""
    with pytest.raises(ValueError, match=word):
        pf.concentration(small_areas.assign(n=counts), "q", "n", "pop", most=most)


def test_concentration_index_equals_covariance_formula():
    """The area under the curve equals the weighted-covariance formula of Kakwani, Wagstaff and van Doorslaer (1997)."""
    rng = np.random.default_rng(7)
    ranks = rng.permutation(60) + 1
    pop = rng.integers(800, 3000, 60).astype(float)
    counts = rng.poisson(pop * 0.02 * np.exp(-ranks / 30)).astype(float)
    order = np.argsort(ranks)
    f = pop[order] / pop.sum()
    y = counts[order] / pop[order]
    mu = np.sum(f * y)
    fractional_rank = np.cumsum(f) - f / 2  # from the most deprived
    covariance = np.sum(f * (y - mu) * (fractional_rank - np.sum(f * fractional_rank)))
    expected = -2 * covariance / mu  # positive when the count is concentrated in the most deprived areas
    got = pf.concentration_index(ranks, counts, pop)
    assert got == pytest.approx(expected), f"index {got:.6f} should equal the covariance formula {expected:.6f}"
    assert got > 0, "counts falling with rank should be concentrated in the most deprived areas"
    assert pf.concentration_index(-ranks, counts, pop) == pytest.approx(-got), "reversing the order flips the sign"


def test_concentration_index_is_zero_for_even_rates():
    """Equal rates in every area give an index of 0 and a curve on the diagonal."""
    pop = np.array([100.0, 300.0, 600.0])
    curve = pf.concentration_curve([3, 1, 2], pop * 0.05, pop)
    assert np.allclose(curve["population_share"], curve["count_share"]), "the curve lies on the diagonal"
    assert pf.concentration_index([3, 1, 2], pop * 0.05, pop) == pytest.approx(0.0, abs=1e-12)
    assert curve.iloc[0].tolist() == [0.0, 0.0] and curve.iloc[-1].tolist() == [1.0, 1.0], "the curve runs from (0,0) to (1,1)"


@pytest.mark.parametrize("ranks, counts, pop, word", [
    ([1, 2], [1], [1, 1], "length"), ([1, 2], [-1, 1], [1, 1], "negative"), ([1, 2], [1, 1], [0, 1], "positive"),
    ([1, 2], [0, 0], [1, 1], "zero"), ([1, np.nan], [1, 1], [1, 1], "missing"),
])
def test_concentration_curve_rejects_bad_inputs(ranks, counts, pop, word):
    """Mismatched, negative, missing or empty inputs raise ValueError."""
    with pytest.raises(ValueError, match=word):
        pf.concentration_curve(ranks, counts, pop)


# -------------------------------------------------------------------------- cause tree
@pytest.fixture
def causes() -> pd.DataFrame:
    """A small cause table with a cause that leads to two parents."""
    return pd.DataFrame({
        "cause": ["Lonely", "Life events", "Hard to get about", "Bereavement", "Stopped driving", "Stopped driving", "No bus"],
        "parent": [None, "Lonely", "Lonely", "Life events", "Life events", "Hard to get about", "Hard to get about"],
        "evidence": ["survey", "strategy", "WIMD", "reasons", "reasons", "reasons (2)", "timetables"],
    })


def test_cause_tree_builds_a_graph(causes):
    """Edges run from parent to cause, levels count the steps from the problem, attributes come from the first row."""
    tree = pf.cause_tree(causes)
    assert tree.graph["problem"] == "Lonely", "the row with a blank parent is the problem"
    assert set(tree.successors("Lonely")) == {"Life events", "Hard to get about"}, "edges run from the problem down"
    assert set(tree.predecessors("Stopped driving")) == {"Life events", "Hard to get about"}, "a cause may lead to two things"
    assert nx.get_node_attributes(tree, "level") == {"Lonely": 0, "Life events": 1, "Hard to get about": 1,
                                                     "Bereavement": 2, "Stopped driving": 2, "No bus": 2}
    assert tree.nodes["Stopped driving"]["evidence"] == "reasons", "attributes come from a cause's first row"


def test_root_causes_are_causes_that_are_never_parents(causes):
    """The root causes are the causes that no row names as a parent."""
    expected = sorted(set(causes["cause"]) - set(causes["parent"].dropna()))
    assert pf.root_causes(pf.cause_tree(causes)) == expected, "root causes should be the causes nothing else leads from"
    only = pf.cause_tree(pd.DataFrame({"cause": ["P"], "parent": [None]}))
    assert pf.root_causes(only) == [], "the problem alone is not a root cause"
    with pytest.raises(ValueError, match="DiGraph"):
        pf.root_causes("not a graph")


def test_cause_tree_table_runs_from_the_problem(causes):
    """One row per cause in depth-first order, with what it leads to and whether it is a root cause."""
    table = pf.cause_tree_table(pf.cause_tree(causes))
    assert table["cause"].iloc[0] == "Lonely" and len(table) == 6, "the problem first, then each cause once"
    row = table.set_index("cause").loc["Stopped driving"]
    assert row["leads to"] == "Hard to get about; Life events" and row["root cause"] == "yes"
    assert set(table.columns) >= {"level", "cause", "leads to", "root cause", "evidence"}


@pytest.mark.parametrize("rows, word", [
    ([("P", None), ("A", "P"), ("B", None)], "exactly one"),
    ([("A", "P"), ("P", "A")], "exactly one"),
    ([("P", None), ("A", "Q")], "not causes"),
    ([("P", None), ("A", "P"), ("B", "A"), ("A", "B")], "loop"),
    ([("P", None), ("A", "A")], "itself"),
    ([("P", None), ("", "P")], "name a cause"),
])
def test_cause_tree_rejects_bad_tables(rows, word):
    """No or several problems, unknown parents, loops and blank causes raise ValueError."""
    with pytest.raises(ValueError, match=word):
        pf.cause_tree(pd.DataFrame(rows, columns=["cause", "parent"]))


def test_drawing_functions_return_axes(causes, small_areas):
    """The tree, rate and curve drawings return their axes."""
    areas = small_areas.assign(n=[5, 40, 10])
    for ax in (pf.draw_cause_tree(pf.cause_tree(causes), title="Tree"),
               pf.plot_rates_by_group(pf.rates_by_group(areas, "q", "n", "pop"), overall=5.0),
               pf.plot_rates_by_group(pf.standardised_ratios(areas, "q", "q", "n", "pop"), value="ratio", overall=1.0),
               pf.plot_concentration_curve(pf.concentration_curve(areas["rank"], areas["n"], areas["pop"]))):
        assert isinstance(ax, matplotlib.axes.Axes), "each drawing returns a matplotlib Axes"
    plt.close("all")
    with pytest.raises(ValueError, match="cause tree"):
        pf.draw_cause_tree(nx.DiGraph())


# ----------------------------------------------------------- statement and measures
def test_problem_statement_reads_as_one_paragraph():
    """The statement names who, where, the problem, the baseline with its unit, period and source."""
    text = pf.problem_statement(who="People aged 65 and over", where="in Torfaen", problem="are lonely.",
                                baseline=1234.567, unit="referrals", period="2024-25", source="case records",
                                comparison="Twice as high in the valleys", decimals=2)
    assert text == ("People aged 65 and over in Torfaen are lonely. In 2024-25 there were 1,234.57 referrals "
                    "(source: case records). Twice as high in the valleys."), text


@pytest.mark.parametrize("change, word", [
    ({"who": "  "}, "who"), ({"baseline": float("nan")}, "baseline"), ({"baseline": True}, "baseline"),
    ({"decimals": 9}, "decimals"), ({"comparison": ""}, "comparison"),
])
def test_problem_statement_rejects_bad_parts(change, word):
    """Blank texts, non-numeric baselines and odd decimals raise ValueError naming the part."""
    parts = dict(who="Older people", where="in Newport", problem="are lonely", baseline=1.0, unit="per 1,000",
                 period="2024-25", source="records")
    with pytest.raises(ValueError, match=word):
        pf.problem_statement(**{**parts, **change})


GOOD = dict(measure="Reach", definition="Referrals per 1,000 aged 65+ in quintile 1", baseline=20.0, target=25.0,
            direction="increase", source="case records", frequency="quarterly")


def test_measures_table_accepts_one_or_two():
    """Measures become a table in a fixed column order; a baseline may wait to be collected."""
    table = pf.measures_table([GOOD, {**GOOD, "measure": "Outcome", "baseline": None, "target": 0.6}])
    assert list(table.columns) == ["measure", "definition", "baseline", "target", "direction", "source", "frequency"]
    assert table["baseline"].isna().tolist() == [False, True], "a None baseline is kept as missing"
    assert len(pf.measures_table(GOOD)) == 1, "a single mapping is one measure"


@pytest.mark.parametrize("measures, word", [
    ([], "at least one"), ([GOOD] * 3, "at most 2"), ([{k: v for k, v in GOOD.items() if k != "source"}], "source"),
    ([{**GOOD, "direction": "up"}], "direction"), ([{**GOOD, "target": 15.0}], "not an increase"),
    ([{**GOOD, "direction": "decrease"}], "not an decrease"), ([{**GOOD, "baseline": float("nan")}], "baseline"),
    ([{**GOOD, "definition": " "}], "definition"), (["Reach"], "mapping"),
])
def test_measures_table_rejects_bad_measures(measures, word):
    """Too many or too few measures, missing keys, and targets in the wrong direction raise ValueError."""
    with pytest.raises(ValueError, match=word):
        pf.measures_table(measures)


# ------------------------------------------------------------------------ integration
@pytest.mark.parametrize("council", ["Merthyr Tydfil", "Monmouthshire"])
def test_profile_of_a_council_from_the_demo_data(council):
    """The demo WIMD table and referrals join and profile consistently end to end."""
    areas = curriculum.load("wimd", council=council)
    referrals = curriculum.load("service_demand", council=council)
    joined = pf.join_to_areas(referrals, areas)
    assert joined.summary["records"].sum() == len(referrals), "every referral has a join status"
    assert joined.counts.sum() == joined.joined, "the counts per area add up to the joined referrals"
    areas = areas.assign(referrals=joined.counts.to_numpy(), quintile=pf.local_group(areas["wimd_rank"], 5))
    table = pf.rates_by_group(areas, "quintile", "referrals", "population_65_plus")
    assert table["count"].sum() == joined.joined and table.index.tolist() == [1, 2, 3, 4, 5]
    assert 0 < pf.concentration(areas, "quintile", "referrals", "population_65_plus")["share_count"] < 1
    assert math.isfinite(pf.concentration_index(areas["wimd_rank"], areas["referrals"], areas["population_65_plus"]))
