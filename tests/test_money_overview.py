"""Tests of curriculum.money_overview: concentration, local shares and the pipeline for senior leaders."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import curriculum
from curriculum.localism import kept_shares, values_from_contracts, values_from_spend
from curriculum.money_overview import (
    NO_CATEGORY,
    category_explorer,
    expiry_by_category,
    expiry_explorer,
    format_money,
    option_split,
    pareto_table,
    plot_category,
    plot_expiry_by_category,
    plot_expiry_windows,
    plot_kept_shares,
    plot_pareto,
    procurement_questions,
    supplier_totals,
    supplier_values,
    top_share,
)
from curriculum.pipeline import add_expiry, expiry_windows, reference_date
from tests.conftest import ROOT

REAL = ROOT / "datasets" / "real"
AS_OF = pd.Timestamp("2025-04-01")


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures each test draws."""
    yield
    plt.close("all")


@pytest.fixture()
def toy_spend() -> pd.DataFrame:
    """Payment lines with name variants, a credit, a redacted payee and a framework entry."""
    return pd.DataFrame({
        "supplier_name": ["ACME SERVICES LTD", "Acme Services Limited", "Bravo Care", "Bravo Care", "Charlie Works",
                          "Redacted Personal Information", "Delta plc", "Various"],
        "amount": [600.0, 400.0, 700.0, -100.0, 300.0, 5000.0, -50.0, 900.0],
        "category": ["Works", "Works", "Care", "Care", "Works", "Care", "Works", "Works"],
        "payment_date": pd.to_datetime(["2024-04-02"] * 8),
    })


@pytest.fixture()
def toy_register() -> pd.DataFrame:
    """Five contracts around 1 April 2025, with and without options, one with no category and one with no value."""
    return pd.DataFrame({
        "title": ["A", "B", "C", "D", "E"],
        "supplier_name": ["Alpha Ltd", "Bravo Ltd", "Charlie Ltd", "Delta Ltd", "Echo Ltd"],
        "supplier_postcode": ["CF10 1AB", "NP20 4UR", "BS1 2AW", None, "CF24 4HQ"],
        "total_value": [1_000_000.0, 3_000_000.0, 500_000.0, np.nan, 200_000.0],
        "annual_value": [250_000.0, np.nan, 100_000.0, 50_000.0, np.nan],
        "start_date": pd.to_datetime(["2021-01-01", "2022-01-01", "2024-04-01", "2020-01-01", "2025-04-01"]),
        "end_date": pd.to_datetime(["2025-06-30", "2026-01-31", "2027-03-31", "2025-12-31", "2025-04-01"]),
        "extension_months": [12.0, 0.0, 12.0, np.nan, 0.0],
        "category": ["Works", "Care", "Works", None, "Care"],
        "sme": pd.array([True, False, True, pd.NA, True], dtype="boolean"),
    })


@pytest.fixture(scope="module")
def cardiff():
    """Cardiff's demo spend, supplier locations and contracts register."""
    return (curriculum.load("spend", council="Cardiff"), curriculum.load("supplier_locations", council="Cardiff"),
            curriculum.load("contracts", council="Cardiff"))


# ------------------------------------------------------------------------------ supplier_totals
def test_supplier_totals_merges_names_keeps_credits_and_drops_redacted_and_frameworks(toy_spend):
    """Name variants merge, credits net off, redacted payees and 'Various' entries are no supplier."""
    totals = supplier_totals(toy_spend)
    assert totals.to_dict() == {"ACME SERVICES": 1000.0, "BRAVO CARE": 600.0, "CHARLIE WORKS": 300.0, "DELTA": -50.0}, (
        f"unexpected totals {totals.to_dict()}")
    assert totals.attrs["source"] == "spend", "the source is recorded"
    assert totals.is_monotonic_decreasing, "largest first"


def test_supplier_totals_agree_with_a_plain_groupby_on_demo_data(cardiff):
    """On Cardiff's demo spend, the totals equal an independent groupby of the named lines."""
    spend, _, _ = cardiff
    from curriculum.suppliers import is_redacted, normalise_supplier_name

    named = spend[~is_redacted(spend["supplier_name"])]
    expected = named.groupby(normalise_supplier_name(named["supplier_name"]))["amount"].sum()
    got = supplier_totals(spend)
    assert np.isclose(got.sum(), expected[~expected.index.str.match(r"^VARIOUS")].sum()), "same net total"
    assert np.allclose(got.sort_index().to_numpy(), expected.reindex(got.index).sort_index().to_numpy())


def test_supplier_totals_from_a_register_use_annual_values(toy_register):
    """Without spend, each supplier's annual value (total where annual is blank) is its money."""
    totals = supplier_totals(contracts=toy_register)
    assert totals.attrs["source"] == "contracts"
    assert totals["BRAVO"] == 3_000_000.0 and totals["ALPHA"] == 250_000.0, "annual value, else total value"
    assert totals.sum() == pytest.approx(250_000 + 3_000_000 + 100_000 + 50_000 + 200_000)


@pytest.mark.parametrize("kwargs, error, match", [
    ({}, ValueError, "both are None"),
    ({"spend": [1, 2]}, TypeError, "spend must be a pandas DataFrame"),
    ({"spend": pd.DataFrame({"supplier_name": ["A"]})}, ValueError, "amount"),
])
def test_supplier_totals_errors_name_the_argument(kwargs, error, match):
    """Missing or malformed inputs are refused with the argument named."""
    with pytest.raises(error, match=match):
        supplier_totals(**kwargs)


# ------------------------------------------------------------------------------ pareto and top share
def test_pareto_table_ranks_positive_totals():
    """Only positive totals are ranked; shares and the running total are worked out by hand."""
    table = pareto_table(pd.Series({"A": 50.0, "B": 5.0, "C": 30.0, "D": -20.0, "E": 15.0, "F": 0.0}))
    assert table.index.tolist() == ["A", "C", "E", "B"], "positive totals, largest first"
    assert table["rank"].tolist() == [1, 2, 3, 4]
    assert np.allclose(table["share"], [0.5, 0.3, 0.15, 0.05]) and np.allclose(table["cumulative_share"], [0.5, 0.8, 0.95, 1.0])


def test_top_share_matches_an_independent_sort_on_demo_data(cardiff):
    """The top-20 share equals numpy's sorted cumulative sum, and n beyond the suppliers gives 1."""
    totals = supplier_totals(cardiff[0])
    values = np.sort(totals[totals > 0].to_numpy())[::-1]
    assert top_share(totals, 20) == pytest.approx(values[:20].sum() / values.sum())
    assert top_share(totals, 1) == pytest.approx(values[0] / values.sum())
    assert top_share(totals, len(values) + 5) == pytest.approx(1.0), "more suppliers asked for than exist: all of it"
    assert top_share(pd.Series({"A": -1.0}), 20) == 0.0, "nothing positive: no share"


@pytest.mark.parametrize("n", [0, -3, 2.5, True])
def test_top_share_refuses_bad_n(n):
    """n must be a whole number of at least 1."""
    with pytest.raises(ValueError, match="n must be a whole number"):
        top_share(pd.Series({"A": 1.0}), n)


def test_pareto_table_refuses_a_frame():
    """pareto_table needs a Series."""
    with pytest.raises(TypeError, match="totals must be a pandas Series"):
        pareto_table(pd.DataFrame({"value": [1.0]}))


# ------------------------------------------------------------------------------ supplier_values
def test_supplier_values_picks_the_source(cardiff, toy_register):
    """Spend with locations, spend alone and a register each give localism's table, with the source recorded."""
    spend, locations, _ = cardiff
    both = supplier_values(spend, locations)
    assert both.attrs == {"source": "spend and supplier locations", "located": True}
    pd.testing.assert_frame_equal(both, values_from_spend(spend, locations), check_like=True)
    alone = supplier_values(spend)
    assert alone.attrs["located"] is False and alone["postcode"].isna().all(), "no locations: no postcodes"
    assert alone["value"].sum() == pytest.approx(both["value"].sum()), "the same money either way"
    register = supplier_values(contracts=toy_register)
    assert register.attrs["source"] == "contracts"
    pd.testing.assert_frame_equal(register, values_from_contracts(toy_register), check_like=True)
    with pytest.raises(ValueError, match="both spend and contracts are None"):
        supplier_values(locations=locations)


# ------------------------------------------------------------------------------ the pipeline
def test_option_split_by_hand(toy_register):
    """From 1 April 2025, A (option left), B and D expire within 12 months; E expired on the day (included)."""
    dated = add_expiry(toy_register)
    split = option_split(dated, AS_OF, 12)
    # A: ends 30/06/2025 with 12 months' option; B: 31/01/2026, no option; D: 31/12/2025, option unknown (none);
    # E: 01/04/2025, no option. C ends in 2027.
    assert split["contracts"] == 4 and split["contracts_with_option"] == 1 and split["contracts_no_option"] == 3
    assert split["value_with_option"] == pytest.approx(1_000_000.0)
    assert split["value_no_option"] == pytest.approx(3_000_000.0 + 200_000.0), "D has no value: skipped in sums"


def test_option_split_and_categories_agree_with_expiry_windows(cardiff):
    """On Cardiff's register the split adds up to expiry_windows' value, and the categories add up to the split."""
    contracts = cardiff[2]
    dated, as_of = add_expiry(contracts), reference_date(contracts)
    windows = expiry_windows(dated, as_of, (12, 18, 24))
    for months in (12, 18, 24):
        split = option_split(dated, as_of, months)
        assert split["value_with_option"] + split["value_no_option"] == pytest.approx(windows.loc[months, "value"])
        assert split["contracts"] == windows.loc[months, "contracts"]
        table = expiry_by_category(dated, as_of, months)
        assert table["value"].sum() == pytest.approx(split["value"]) and table["contracts"].sum() == split["contracts"]
        assert table["value_no_option"].sum() == pytest.approx(split["value_no_option"])
        assert table["value"].is_monotonic_decreasing, "highest value first"


def test_expiry_by_category_labels_blank_categories(toy_register):
    """A contract with no category is grouped under NO_CATEGORY."""
    table = expiry_by_category(add_expiry(toy_register), AS_OF, 12)
    assert set(table.index) == {"Works", "Care", NO_CATEGORY}
    assert table.loc["Care", "value"] == pytest.approx(3_200_000.0) and table.loc[NO_CATEGORY, "contracts"] == 1


@pytest.mark.parametrize("function", [option_split, expiry_by_category])
def test_pipeline_helpers_need_add_expiry(function, toy_register):
    """A register that has not been through add_expiry is refused, naming the missing column."""
    with pytest.raises(ValueError, match="options_left_months"):
        function(toy_register, AS_OF, 12)


# ------------------------------------------------------------------------------ words
@pytest.mark.parametrize("value, text", [(1.234e9, "£1.2bn"), (38_449_000, "£38.4m"), (250_400, "£250k"),
                                         (900, "£900"), (-2_500_000, "-£2.5m"), (0, "£0")])
def test_format_money(value, text):
    """Amounts read as a committee paper writes them."""
    assert format_money(value) == text


@pytest.mark.parametrize("value", [float("nan"), "12", None, True])
def test_format_money_refuses_non_numbers(value):
    """Only finite numbers are money."""
    with pytest.raises(ValueError, match="value must be a finite number"):
        format_money(value)


def test_procurement_questions_use_the_figures_and_adapt_to_missing_data():
    """Three questions; each carries its figures, and missing locations or registers change the wording."""
    leak = pd.Series({"value_outside": 2_500_000.0, "local_suppliers": 4}, name="Building Repairs")
    split = {"value": 12_300_000.0, "contracts": 17, "value_no_option": 4_000_000.0}
    full = procurement_questions(0.486, 20, {"council": 0.35, "region": 0.51, "wales": 0.56, "sme": 0.5}, leak, split)
    assert len(full) == 3
    assert "20 largest" in full[0] and "49%" in full[0]
    assert "51%" in full[1] and "Building Repairs" in full[1] and "£2.5m" in full[1] and "4 local" in full[1]
    assert "£12.3m" in full[2] and "17" in full[2] and "£4.0m" in full[2]
    bare = procurement_questions(0.9, 10)
    assert "postcodes" in bare[1] and "no contracts register" in bare[2]
    no_leak = procurement_questions(0.5, 20, {"council": 0.2, "region": 0.4, "wales": 0.5})
    assert "40%" in no_leak[1] and "compete for" in no_leak[1]
    marked = procurement_questions(0.5, 20, translate=lambda text: "<<" + text + ">>")
    assert all(q.startswith("<<") and q.endswith(">>") for q in marked), "every question goes through translate"


@pytest.mark.parametrize("top, n_top, match", [(1.5, 20, "top must be a share"), (0.5, 0, "n_top must be")])
def test_procurement_questions_refuse_bad_figures(top, n_top, match):
    """A share outside 0-1 or a non-positive count is refused, naming the argument."""
    with pytest.raises(ValueError, match=match):
        procurement_questions(top, n_top)


# ------------------------------------------------------------------------------ charts and widgets
def test_charts_draw_and_translate_their_words(cardiff):
    """Each chart returns its axes, and its own words go through translate."""
    spend, locations, contracts = cardiff
    seen: list[str] = []

    def tr(text: str) -> str:
        seen.append(text)
        return text

    totals = supplier_totals(spend)
    ax = plot_pareto(pareto_table(totals), n=20, translate=tr)
    assert "take" in ax.get_title() and ax.get_xlabel() == "Suppliers, largest first"
    values = supplier_values(spend, locations)
    plot_kept_shares(kept_shares(values, "Cardiff"), 0.5, translate=tr)
    dated, as_of = add_expiry(contracts), reference_date(contracts)
    plot_expiry_windows(expiry_windows(dated, as_of), translate=tr)
    plot_expiry_by_category(expiry_by_category(dated, as_of, 12), translate=tr)
    category = values.groupby("category")["value"].sum().idxmax()
    plot_category(values, category, council="Cardiff", translate=tr)
    assert {"Share of the money (running total)", "SMEs (where known)", "As things stand", "No extension option left",
            "Money paid (£ thousands)"} <= set(seen), "the charts' words are marked for translation"


def test_chart_arguments_are_checked(cardiff):
    """Bad shares, unknown categories and empty windows are handled with clear messages."""
    with pytest.raises(ValueError, match="kept must be a dict"):
        plot_kept_shares({"council": 0.1})
    with pytest.raises(ValueError, match="from 0 to 1"):
        plot_kept_shares({"council": 0.1, "region": 1.5, "wales": 0.3})
    values = supplier_values(cardiff[0], cardiff[1])
    with pytest.raises(ValueError, match="category 'Nothing' is not in the table"):
        plot_category(values, "Nothing")
    empty = expiry_by_category(add_expiry(cardiff[2]), "2099-01-01", 12)
    ax = plot_expiry_by_category(empty)
    assert any("No contract expires" in t.get_text() for t in ax.texts), "an empty window says so"


def test_widgets_fill_their_outputs_and_redraw(cardiff):
    """The explorers show a chart (and a table) at once, and redraw when the slider or drop-down moves."""
    spend, locations, contracts = cardiff
    dated, as_of = add_expiry(contracts), reference_date(contracts)
    box = expiry_explorer(dated, as_of, months=12)
    slider, view = box.children
    assert len(view.outputs) == 2, "a chart and a table"
    first = view.outputs[0]["data"]["image/png"]
    slider.value = 36
    assert len(view.outputs) == 2 and view.outputs[0]["data"]["image/png"] != first, "moving the slider redraws"
    table_html = view.outputs[1]["data"]["text/html"]
    assert "total_value" in table_html
    box = category_explorer(supplier_values(spend, locations), council="Cardiff")
    pick, view = box.children
    assert len(view.outputs) == 1
    pick.value = pick.options[-1]
    assert len(view.outputs) == 1, "one chart after a change"
    with pytest.raises(ValueError, match="months must be a whole number from 3 to 36"):
        expiry_explorer(dated, as_of, months=48)
    with pytest.raises(ValueError, match="is not in the table"):
        category_explorer(supplier_values(spend, locations), category="Nothing")


# ------------------------------------------------------------------------------ real files
def test_salfords_register_ranks_no_framework_entry_as_a_supplier():
    """On Salford's real register, 'Various' and 'Various providers' lots are not counted as suppliers."""
    register = curriculum.load("contracts", data_dir=REAL / "salford")
    totals = supplier_totals(contracts=register)
    assert not totals.index.str.startswith("VARIOUS").any(), "framework lots are not one supplier"
    assert 0 < top_share(totals, 20) <= 1


@pytest.mark.parametrize("name", ["calderdale", "salford"])
def test_module_runs_on_real_files(name, tmp_path):
    """The where_our_money_goes notebook runs unchanged on a real spend file alone and on a real register alone."""
    from curriculum.runner import run_module

    result = run_module("where_our_money_goes", name.title(), data_dir=REAL / name, out_dir=tmp_path)
    assert result.ok, f"where_our_money_goes failed on {name}'s real file: {result.error}"
