"""The disrepair demo generator: published layout, determinism, volumes and the planted structure."""

from __future__ import annotations

import filecmp

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from curriculum import load
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.datasets import demo_dir
from curriculum.demo import DEFAULT_SEED, GENERATORS, disrepair, write_generator_files
from curriculum.demo.wimd import wales_table
from curriculum.mapping import read_mapping
from tests.conftest import ROOT

FILE = "disrepair_cases.csv"
SPEC = read_mapping(demo_dir("Cardiff").parent / "mapping.yaml").dataset("disrepair_cases").sources[0]


def _seed(name: str) -> np.random.Generator:
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(name), GENERATORS.index("disrepair")])


@pytest.fixture(scope="module")
def generated() -> dict[str, pd.DataFrame]:
    """Every council's register with the truth attached, from the seed the committed files use."""
    return {name: disrepair.generate_with_truth(get_council(name), _seed(name), 1.0)[FILE] for name in COUNCIL_NAMES}


def _dates(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text.replace("", None), format="%d/%m/%y")


def test_file_has_the_mapped_columns(generated):
    """The file has exactly the columns mapping.yaml names for disrepair_cases, in COLUMNS order."""
    frame = disrepair.generate(get_council("Cardiff"), _seed("Cardiff"), 1.0)[FILE]
    assert list(frame.columns) == list(disrepair.COLUMNS), "the published columns, in order"
    assert set(frame.columns) == set(SPEC.columns.values()), "every column is mapped and every mapped column exists"


def test_generate_drops_the_truth():
    """generate() returns the same frame as generate_with_truth() without the hidden columns."""
    council = get_council("Torfaen")
    plain = disrepair.generate(council, np.random.default_rng(5), 0.5)[FILE]
    truth = disrepair.generate_with_truth(council, np.random.default_rng(5), 0.5)[FILE]
    pd.testing.assert_frame_equal(plain, truth[list(disrepair.COLUMNS)])


def test_deterministic_and_seed_dependent():
    """The same seed gives identical frames; another seed gives other data."""
    council = get_council("Merthyr Tydfil")
    a = disrepair.generate(council, np.random.default_rng(7), 1.0)[FILE]
    b = disrepair.generate(council, np.random.default_rng(7), 1.0)[FILE]
    c = disrepair.generate(council, np.random.default_rng(8), 1.0)[FILE]
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c), "a different seed should change the data"


@pytest.mark.parametrize("name", ["Cardiff", "Merthyr Tydfil", "Monmouthshire"])
def test_volume_follows_population(generated, name):
    """About 2.8 complaints a year per 1,000 residents (more where deprivation is higher), over two years."""
    expected = get_council(name).population_2021 * disrepair.RATE_PER_1000 / 1000 * 2
    assert 0.7 * expected < len(generated[name]) < 1.4 * expected, f"{name}: {len(generated[name])} cases, about {expected:.0f} expected"


def test_scale_multiplies_cases_but_not_the_period():
    """scale=3 gives about three times the cases over the same two years."""
    council = get_council("Newport")
    small = disrepair.generate(council, np.random.default_rng(1), 1.0)[FILE]
    big = disrepair.generate(council, np.random.default_rng(1), 3.0)[FILE]
    assert 2.7 < len(big) / len(small) < 3.3, f"scale 3 gave {len(big) / len(small):.2f} times the cases"
    for frame in (small, big):
        received = _dates(frame["Date Received"])
        assert received.min() >= disrepair.PERIOD_START and received.max() <= disrepair.SNAPSHOT, "the same period"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_places_and_codes_are_the_councils(generated, name):
    """LSOAs (where given) are the council's, wards match them, references are unique, codes are known."""
    frame = generated[name]
    areas = wales_table(1.0).set_index("lsoa_code")
    given = frame["LSOA Code"].ne("")
    assert frame.loc[given, "LSOA Code"].isin(areas.index[areas["council"] == name]).all(), "an LSOA of another council"
    assert 0 < (~given).mean() < 0.06, "a few cases have no LSOA"
    assert (frame.loc[given, "Ward"].to_numpy() == areas.loc[frame.loc[given, "LSOA Code"], "ward"].to_numpy()).all(), \
        "each case's ward is its LSOA's ward"
    assert frame["Case Ref"].is_unique, "references repeat"
    assert set(frame["Tenure"]) <= set(disrepair.TENURES) and set(frame["Hazard Type"]) == set(disrepair.HAZARDS)
    council_homes = frame["Tenure"].eq("LA").any()
    assert council_homes == (name in {"Cardiff", "Caerphilly", "Vale of Glamorgan"}), \
        "only the three councils that still own homes have council tenants in the register"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_open_and_closed_cases_are_consistent(generated, name):
    """Open cases have neither outcome nor date closed; closed ones both, closed on or after receipt."""
    frame = generated[name]
    is_open = frame["HHSRS Outcome"].eq("")
    assert (is_open == frame["Date Closed"].eq("")).all(), "outcome and date closed are blank together"
    received, closed = _dates(frame["Date Received"]), _dates(frame["Date Closed"])
    assert (closed[~is_open] >= received[~is_open]).all(), "a case closed before it was received"
    assert (closed[~is_open] <= disrepair.SNAPSHOT).all(), "a case closed after the export"
    assert 0.05 < is_open.mean() < 0.3, f"{name}: {is_open.mean():.0%} of cases open; a backlog of 5-30% is planted"
    ages = (disrepair.SNAPSHOT - received[is_open]).dt.days
    assert ages.max() > 150, "a tail of old cases held up (no access, appeals) is planted"
    assert set(frame.loc[~is_open, "HHSRS Outcome"]) == set(disrepair.OUTCOMES), "all three outcomes occur"


def test_backlog_grows_in_the_second_year(generated):
    """The team kept up in 2023-24 and fell behind in 2024-25: open cases are mostly recent."""
    frame = pd.concat(generated.values())
    received = _dates(frame["Date Received"])
    first_year = received < pd.Timestamp("2024-04-01")
    open_share = frame["HHSRS Outcome"].eq("")
    assert open_share[~first_year].mean() > 3 * open_share[first_year].mean(), "the backlog is mostly 2024-25 cases"


def test_category_1_follows_hazard_and_vulnerability(generated):
    """Category 1 hazards are commonest where the hazard meets its most vulnerable group."""
    frame = pd.concat(generated.values())
    cat1 = frame["_outcome"].eq("C1")
    damp = frame["Hazard Type"].eq("DM")
    cold = frame["Hazard Type"].eq("EC")
    child, older = frame["Child Under 5"].eq("Y"), frame["Occupant 75+"].eq("Y")
    assert cat1[damp & child].mean() > 1.5 * cat1[damp & ~child].mean(), "damp and mould with a child under 5"
    assert cat1[cold & older].mean() > 1.5 * cat1[cold & ~older].mean(), "excess cold with someone aged 75+"
    assert cat1[damp].mean() > 4 * cat1[frame["Hazard Type"].eq("OT")].mean(), "damp and mould against other disrepair"
    pre_1919 = frame["Property Age"].eq("Pre-1919")
    assert cat1[pre_1919].mean() > 1.5 * cat1[frame["Property Age"].eq("2001+")].mean(), "old homes against new"
    assert 0.15 < cat1.mean() < 0.3, f"about a fifth of cases are Category 1, got {cat1.mean():.0%}"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_a_model_fitted_on_the_first_year_predicts_the_second(generated, name):
    """A logistic regression on the first year's closed cases ranks the second year's clearly better than chance."""
    frame = generated[name]
    closed = frame[frame["HHSRS Outcome"].ne("")]
    features = closed[["Hazard Type", "Tenure", "Property Age", "Child Under 5", "Occupant 75+", "Health Condition"]]
    y = closed["HHSRS Outcome"].eq("C1")
    first = _dates(closed["Date Received"]) < pd.Timestamp("2024-04-01")
    model = make_pipeline(OneHotEncoder(handle_unknown="ignore"), LogisticRegression(max_iter=1000))
    model.fit(features[first], y[first])
    auc = roc_auc_score(y[~first], model.predict_proba(features[~first])[:, 1])
    n1, n0 = y[~first].sum(), (~y[~first]).sum()
    assert auc > 0.5 + 2 * np.sqrt((n1 + n0 + 1) / (12 * n1 * n0)), f"{name}: AUC {auc:.3f} is not clearly above chance"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load_with_words(name):
    """The committed file loads through the mapping, codes recoded to words, for every council."""
    cases = load("disrepair_cases", council=name)
    assert len(cases) > 100 and set(cases["council"]) == {name}
    assert set(cases["category"]) == {n for n, _ in disrepair.HAZARDS.values()}, "hazard codes recoded"
    assert set(cases["outcome"].dropna()) == set(disrepair.OUTCOMES.values()), "outcome codes recoded"
    assert cases["children_under_5"].isna().any() and cases["children_under_5"].any(), "flags are Yes/No with blanks"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed files equal the generator's output, and all ten stay under 700 KB."""
    written = write_generator_files("disrepair", tmp_path)
    committed = [ROOT / "datasets" / "demo" / p.parent.name / p.name for p in written]
    for fresh, kept in zip(written, committed):
        assert filecmp.cmp(fresh, kept, shallow=False), f"{kept} differs from the generator's output"
    size = sum(p.stat().st_size for p in committed)
    assert size < 700 * 1024, f"the disrepair files take {size / 1024:.0f} KB"


@pytest.mark.parametrize("args, error, word", [
    (("Cardiff", np.random.default_rng(1), 1.0), ValueError, "council"),
    ((get_council("Cardiff"), 1, 1.0), TypeError, "rng"),
    ((get_council("Cardiff"), np.random.default_rng(1), 0), ValueError, "scale"),
    ((get_council("Cardiff"), np.random.default_rng(1), -2.0), ValueError, "scale"),
])
def test_generate_rejects_bad_arguments(args, error, word):
    """A council name instead of a Council, a seed instead of a Generator, or a bad scale is refused."""
    with pytest.raises(error, match=word):
        disrepair.generate(*args)
