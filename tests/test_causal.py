"""Tests of curriculum.causal: naive comparisons, difference in differences, stratification and their charts."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

import curriculum
from curriculum import causal
from curriculum.councils import COUNCIL_NAMES

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opens."""
    yield
    plt.close("all")


@pytest.fixture
def sites() -> pd.DataFrame:
    """Eight sites of one programme with hand-checkable counts (two-year periods)."""
    return pd.DataFrame({
        "programme": "Cameras",
        "site_id": list("abcdefgh"),
        "group": ["intervention"] * 3 + ["comparison"] * 3 + ["other"] * 2,
        "years_before": 2.0,
        "events_before": [12, 10, 8, 11, 9, 10, 4, 2],
        "years_after": 2.0,
        "events_after": [6, 4, 5, 9, 8, 7, 4, 3],
        "exposure": [20000.0, 25000, 15000, 22000, 18000, 20000, 6000, 4000],
    })


def _simulate(n_candidates: int, effect: float, seed: int) -> pd.DataFrame:
    """Sites chosen after a spike: the top fifth by the count before qualify, half of them (by lot) are treated."""
    rng = np.random.default_rng(seed)
    rate = np.exp(rng.normal(np.log(3.0), 0.2, n_candidates))
    before = rng.poisson(3 * rate)
    order = np.lexsort((rng.random(n_candidates), -before))
    qualifying = order[: n_candidates // 5]
    treated = np.zeros(n_candidates, dtype=bool)
    treated[rng.permutation(qualifying)[: len(qualifying) // 2]] = True
    after = rng.poisson(3 * rate * np.where(treated, effect, 1.0))
    group = np.where(treated, "intervention", np.where(np.isin(np.arange(n_candidates), qualifying), "comparison", "other"))
    return pd.DataFrame({"site_id": [f"s{i}" for i in range(n_candidates)], "group": group, "years_before": 3.0,
                         "events_before": before, "years_after": 3.0, "events_after": after, "true_rate": rate})


# ---------------------------------------------------------------- the naive comparisons
def test_before_after_averages_events_a_year_per_site(sites):
    """The before-and-after change is the mean of each site's events a year, computed by hand."""
    result = causal.before_after(sites)
    assert result["before"] == pytest.approx(np.mean([6, 5, 4])), "mean of 12/2, 10/2 and 8/2"
    assert result["after"] == pytest.approx(np.mean([3, 2, 2.5])), "mean of 6/2, 4/2 and 5/2"
    assert result["percent_change"] == pytest.approx(100 * (2.5 - 5) / 5), "a fall of a half is -50%"
    assert result["sites"] == 3, "three intervention sites"


def test_before_after_of_a_group_with_none_before_gives_no_percentage(sites):
    """A group with no events before has a change but no percentage change."""
    sites.loc[sites["group"] == "other", "events_before"] = 0
    result = causal.before_after(sites, "other")
    assert result["change"] == pytest.approx(1.75), "(4 + 3) / 2 / 2 events a year after, none before"
    assert np.isnan(result["percent_change"]), "no percentage change from zero"


def test_naive_difference_compares_the_chosen_groups(sites):
    """With and without compares mean events a year of the intervention and the other sites, after."""
    result = causal.naive_difference(sites)
    assert result["with"] == pytest.approx(2.5) and result["without"] == pytest.approx(1.75), "means of 6,4,5 and 4,3, halved"
    assert result["difference"] == pytest.approx(0.75), "2.5 - 1.75"
    both = causal.naive_difference(sites, untreated=["comparison", "other"], period="before")
    assert both["without"] == pytest.approx(np.mean([11, 9, 10, 4, 2]) / 2), "several untreated groups pool their sites"


def test_exposure_rates_pool_events_and_exposure(sites):
    """Rates per 10,000 vehicles a day are summed events a year over summed traffic, by group in a fixed order."""
    table = causal.exposure_rates(sites, per=10_000)
    assert list(table.index) == ["intervention", "comparison", "other"], "groups in the order of GROUPS"
    assert table.loc["intervention", "rate"] == pytest.approx(10_000 * 7.5 / 60_000), "(3 + 2 + 2.5) / 60,000 vehicles"
    assert table.loc["other", "mean_exposure"] == pytest.approx(5000), "mean traffic of the other sites"


# ---------------------------------------------------------------- difference in differences
def test_did_table_matches_hand_computation(sites):
    """The 2 x 2 table holds the group means and the difference in differences, computed by hand."""
    table = causal.did_table(sites)
    treated_change = np.mean([3, 2, 2.5]) - np.mean([6, 5, 4])
    comparison_change = np.mean([4.5, 4, 3.5]) - np.mean([5.5, 4.5, 5])
    assert list(table.index) == ["intervention", "comparison", "difference"], "rows of the table"
    assert list(table.columns) == ["before", "after", "change"], "columns of the table"
    assert table.loc["difference", "change"] == pytest.approx(treated_change - comparison_change), "the DiD by hand"


def test_did_ols_gives_the_table_answer_and_matches_an_independent_regression(sites):
    """The fixed-effects regression, a plain treated x post OLS in statsmodels and the table agree."""
    effect = causal.did_ols(sites)
    table = causal.did_table(sites)
    assert effect.estimate == pytest.approx(table.loc["difference", "change"], abs=1e-9), "regression = 2 x 2 table"
    part = sites[sites["group"].isin(["intervention", "comparison"])]
    long = pd.concat([pd.DataFrame({"y": part[f"events_{p}"] / part[f"years_{p}"], "treated": (part["group"] == "intervention").astype(int),
                                    "post": int(p == "after")}) for p in ("before", "after")], ignore_index=True)
    plain = smf.ols("y ~ treated * post", data=long).fit()
    assert plain.params["treated:post"] == pytest.approx(effect.estimate, abs=1e-9), "an independent OLS fit agrees"
    assert effect.ci_low < effect.estimate < effect.ci_high, "the interval contains the estimate"


def test_did_recovers_a_known_effect_without_noise():
    """With no chance variation and a common trend, the DiD is exactly the effect and before-after is not."""
    frame = pd.DataFrame({"site_id": list("abcd"), "group": ["intervention", "intervention", "comparison", "comparison"],
                          "years_before": 1.0, "events_before": [10, 20, 10, 20], "years_after": 1.0,
                          "events_after": [9, 19, 12, 22]})
    assert causal.did_table(frame).loc["difference", "change"] == pytest.approx(-3.0), "(-1) - (+2)"
    assert causal.before_after(frame)["change"] == pytest.approx(-1.0), "before-after sees only -1"


def test_simulation_before_after_overstates_and_did_is_unbiased():
    """Sites chosen after a spike: before-after overstates a 25% cut, the DiD against the other qualifiers does not."""
    true_effects, before_after, did = [], [], []
    for seed in range(40):
        frame = _simulate(500, 0.75, seed)
        treated = frame[frame["group"] == "intervention"]
        true_effects.append((0.75 - 1) * treated["true_rate"].mean())
        before_after.append(causal.before_after(frame)["change"])
        did.append(causal.did_table(frame).loc["difference", "change"])
    truth = np.mean(true_effects)
    assert np.mean(before_after) < truth - 0.3, f"before-after ({np.mean(before_after):.2f}) should overstate the fall ({truth:.2f})"
    assert np.mean(did) == pytest.approx(truth, abs=0.12), f"the DiD ({np.mean(did):.2f}) should be close to the truth ({truth:.2f})"


def test_comparison_estimates_sets_the_three_answers_side_by_side(sites):
    """The three rows are the naive difference, the before-after change and the DiD, with percentages."""
    table = causal.comparison_estimates(sites)
    assert list(table.index) == list(causal.COMPARISONS), "one row per comparison"
    assert table.loc["with_without", "estimate"] == pytest.approx(causal.naive_difference(sites)["difference"])
    assert table.loc["before_after", "percent"] == pytest.approx(-50.0), "the before-after percentage"
    did = causal.did_table(sites)
    counterfactual = did.loc["intervention", "before"] + did.loc["comparison", "change"]
    assert table.loc["comparison_group", "percent"] == pytest.approx(100 * did.loc["difference", "change"] / counterfactual)


# ---------------------------------------------------------------- stratification
def test_deprivation_bands_match_array_split_of_the_ranking():
    """Bands are the ranking cut into nearly equal parts, larger parts first, band 1 the most deprived."""
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"deprivation_rank": rng.permutation(np.arange(1, 32)).astype(float)})
    bands = causal.deprivation_bands(frame)
    expected = np.empty(31, dtype=int)
    for band, members in enumerate(np.array_split(np.argsort(frame["deprivation_rank"].to_numpy(), kind="stable"), 3), 1):
        expected[members] = band
    assert bands.tolist() == expected.tolist(), "bands agree with numpy's array_split of the sorted ranks"
    assert frame.loc[bands == 1, "deprivation_rank"].max() < frame.loc[bands == 2, "deprivation_rank"].min(), "band 1 is most deprived"


def _simpson() -> pd.DataFrame:
    """Areas where the programme went to deprived places and cut their fires: Simpson's paradox."""
    rows = []
    for band, (rate, n_with, n_without) in enumerate([(20, 3, 1), (8, 1, 3), (2, 0, 4)]):
        for k in range(n_with + n_without):
            treated = k < n_with
            rows.append({"site_id": f"{band}-{k}", "group": "intervention" if treated else ("comparison" if band < 2 else "other"),
                         "years_before": 1.0, "events_before": rate * 2, "years_after": 1.0,
                         "events_after": int(rate * 2 * (0.5 if treated else 1.0)), "exposure": 2000.0,
                         "deprivation_rank": 100.0 * band + k + 1})
    return pd.DataFrame(rows)


def test_stratified_comparison_shows_simpsons_paradox():
    """Across all areas the programme looks harmful; within each band it halves the rate."""
    table = causal.stratified_comparison(_simpson(), bands=3)
    assert table.loc["all", "ratio"] > 1, "all areas: with the programme looks worse"
    assert table.loc[1, "ratio"] == pytest.approx(0.5) and table.loc[2, "ratio"] == pytest.approx(0.5), "within bands: halved"
    assert table.loc[3, "sites_with"] == 0 and np.isnan(table.loc[3, "ratio"]), "a band without the programme has no ratio"
    assert table.loc[1, "rate_with"] == pytest.approx(1000 * 20 / 2000), "rate per 1,000 residents, by hand"
    assert table.attrs["per_exposure"], "rates use the exposure when every site has it"
    assert causal.stratified_direction(table) == "lower"


def test_stratified_comparison_without_exposure_uses_events_per_site():
    """Without exposure the rates are mean events a year per site."""
    table = causal.stratified_comparison(_simpson().drop(columns="exposure"))
    assert not table.attrs["per_exposure"]
    assert table.loc[1, "rate_with"] == pytest.approx(20.0), "mean events a year of the three treated sites in band 1"


@pytest.mark.parametrize("with_, without, expected", [
    ([1.0, 2.0], [2.0, 3.0], "lower"), ([3.0, 4.0], [2.0, 3.0], "higher"), ([1.0, 4.0], [2.0, 3.0], "mixed")])
def test_stratified_direction(with_, without, expected):
    """Lower or higher in every band that has both sides, otherwise mixed."""
    table = pd.DataFrame({"sites_with": [2, 1, 1, 0], "sites_without": [2, 1, 1, 3], "rate_with": [9.0] + with_ + [np.nan],
                          "rate_without": [1.0] + without + [1.0]}, index=["all", 1, 2, 3])
    assert causal.stratified_direction(table) == expected


def test_stratified_direction_needs_a_band_with_both_sides():
    """A table where no band has sites with and without the programme is refused."""
    table = pd.DataFrame({"sites_with": [2, 2, 0], "sites_without": [2, 0, 2], "rate_with": [1.0, 1.0, np.nan],
                          "rate_without": [1.0, np.nan, 1.0]}, index=["all", 1, 2])
    with pytest.raises(ValueError, match="no band has sites both"):
        causal.stratified_direction(table)


# ---------------------------------------------------------------- selecting programmes, on the demo data
@pytest.mark.parametrize("council", COUNCIL_NAMES)
def test_demo_programmes_are_picked_and_analysed(council):
    """Every council's demo data give a road and an area programme that all the functions accept."""
    data = curriculum.load("intervention_sites", council=council)
    roads, areas = causal.case_programmes(data)
    assert roads != areas, "two different programmes"
    cameras, pilot = causal.programme_sites(data, roads), causal.programme_sites(data, areas)
    assert pilot["deprivation_rank"].notna().all(), "the area programme has a deprivation rank for every site"
    assert np.isfinite(causal.comparison_estimates(cameras)["estimate"]).all()
    assert causal.stratified_direction(causal.stratified_comparison(pilot)) in {"lower", "higher", "mixed"}


def test_case_programmes_with_one_programme_and_without_ranks(sites):
    """One programme with ranks is used for both lessons; no ranks at all is refused with the column named."""
    ranked = sites.assign(deprivation_rank=np.arange(1.0, 9.0))
    assert causal.case_programmes(ranked) == ("Cameras", "Cameras")
    assert causal.case_programmes(ranked.drop(columns="programme")) == (None, None)
    with pytest.raises(ValueError, match="deprivation_rank"):
        causal.case_programmes(sites)


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("change, error, message", [
    (lambda s: s.drop(columns="events_after"), ValueError, "lacks the column"),
    (lambda s: s.assign(group="treated"), ValueError, "group must be one of"),
    (lambda s: s.assign(site_id="a"), ValueError, "one row per site"),
    (lambda s: s.assign(events_before=-1), ValueError, "events_before must be a count"),
    (lambda s: s.assign(years_after=0.0), ValueError, "years_after must be a positive number"),
    (lambda s: pd.concat([s, s.assign(programme="Pilot", site_id=s["site_id"] + "2")]), ValueError, "several programmes"),
    (lambda s: s.to_dict(), TypeError, "must be a pandas DataFrame"),
])
def test_invalid_sites_are_refused(sites, change, error, message):
    """Invalid site tables are refused with a message naming the problem."""
    with pytest.raises(error, match=message):
        causal.before_after(change(sites))


@pytest.mark.parametrize("call, message", [
    (lambda s: causal.programme_sites(s, "Wardens"), "programme 'Wardens' is not in the data"),
    (lambda s: causal.before_after(s, "treated"), "group: group 'treated' is not one of"),
    (lambda s: causal.naive_difference(s, untreated="intervention"), "must not include the treated group"),
    (lambda s: causal.naive_difference(s, period="during"), "period must be 'before' or 'after'"),
    (lambda s: causal.exposure_rates(s, per=0), "per must be a positive number"),
    (lambda s: causal.exposure_rates(s.assign(exposure=np.nan)), "exposure must be known"),
    (lambda s: causal.did_table(s, comparison="intervention"), "must be different groups"),
    (lambda s: causal.did_table(s[s["group"] != "comparison"]), "comparison: no site is in group"),
    (lambda s: causal.did_ols(s, alpha=2), "alpha must be a number between 0 and 1"),
    (lambda s: causal.deprivation_bands(s.assign(deprivation_rank=1.0), bands=1), "bands must be a whole number"),
    (lambda s: causal.deprivation_bands(s.assign(deprivation_rank=[1.0] * 7 + [np.nan])), "is blank"),
    (lambda s: causal.plot_comparison(s, "regression"), "comparison must be one of"),
])
def test_bad_arguments_are_named(sites, call, message):
    """A bad argument is refused with a ValueError naming it."""
    with pytest.raises(ValueError, match=message):
        call(sites)


# ---------------------------------------------------------------- charts and widget
def _welsh(text: str) -> str:
    return "CY " + text


def test_charts_draw_and_translate_their_words(sites):
    """Each chart returns its axes and passes its own words through translate."""
    ax = causal.plot_before_after(sites, ["intervention", "comparison"], translate=_welsh)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["CY Before", "CY After"], "tick labels translated"
    assert len(ax.lines) == 2, "one line per group"
    ax = causal.plot_exposure(sites, translate=_welsh)
    assert ax.get_legend().get_texts()[0].get_text().startswith("CY "), "legend translated"
    ax = causal.plot_did(causal.did_table(sites), translate=_welsh)
    assert any(t.get_text().startswith("CY Effect") for t in ax.texts), "the effect is written on the chart"
    ax = causal.plot_stratified(causal.stratified_comparison(_simpson()), translate=_welsh)
    assert next(t.get_text() for t in ax.get_xticklabels()) == "CY All areas"
    for comparison in causal.COMPARISONS:
        ax = causal.plot_comparison(sites, comparison, translate=_welsh)
        assert ax.get_title().startswith("CY "), f"{comparison}: title translated"


def test_comparison_explorer_draws_and_redraws(sites):
    """The widget draws the first view, and redraws when the comparison or programme changes."""
    two = pd.concat([sites, sites.assign(programme="Pilot")], ignore_index=True)
    box = causal.comparison_explorer(two, translate=_welsh)
    programme, comparison, view = box.children
    assert programme.description == "CY Programme" and len(view.outputs) == 1, "one image drawn at first"
    comparison.value = "comparison_group"
    programme.value = "Pilot"
    assert len(view.outputs) == 1 and "image/png" in view.outputs[0]["data"], "redrawn as one image"
    with pytest.raises(ValueError, match="programme 'Wardens'"):
        causal.comparison_explorer(two, programme="Wardens")


def test_importing_causal_changes_no_matplotlib_settings():
    """Importing the module leaves matplotlib's settings alone."""
    import importlib

    before = dict(matplotlib.rcParams)
    importlib.reload(causal)
    assert dict(matplotlib.rcParams) == before
