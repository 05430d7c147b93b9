"""The EPC and dwelling-fire demo generator: published layouts, determinism, volumes, quirks and the planted risk."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from curriculum import load
from curriculum.councils import COUNCIL_NAMES, Council, get_council
from curriculum.datasets import demo_dir
from curriculum.demo import DEFAULT_SEED, GENERATORS, epc, write_generator_files
from curriculum.demo.wimd import wales_table
from curriculum.mapping import read_mapping

DISTRICTS = {  # postcode districts of each council, as the project's rules give them
    "Cardiff": {"CF3", "CF5", "CF10", "CF11", "CF14", "CF23", "CF24"},
    "Vale of Glamorgan": {"CF61", "CF62", "CF63", "CF64", "CF71"},
    "Rhondda Cynon Taf": {f"CF{n}" for n in range(37, 46)} | {"CF72"},
    "Merthyr Tydfil": {"CF47", "CF48"},
    "Caerphilly": {"CF81", "CF82", "CF83", "NP11", "NP12"},
    "Bridgend": {f"CF{n}" for n in range(31, 37)},
    "Newport": {"NP10", "NP18", "NP19", "NP20"},
    "Torfaen": {"NP4", "NP44"},
    "Blaenau Gwent": {"NP13", "NP22", "NP23"},
    "Monmouthshire": {"NP7", "NP15", "NP16", "NP25", "NP26"},
}
MAPPING = read_mapping(demo_dir("Cardiff").parent / "mapping.yaml")
CATEGORICAL = ["property_type", "era", "mains_gas", "current_rating", "tenure"]


def _seed(name: str) -> np.random.Generator:
    return np.random.default_rng([DEFAULT_SEED, COUNCIL_NAMES.index(name), GENERATORS.index("epc")])


@pytest.fixture(scope="module")
def generated():
    """Every council's frames from the seed the committed files use."""
    return {name: epc.generate(get_council(name), _seed(name), 1.0) for name in COUNCIL_NAMES}


def _homes_and_labels(name: str) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The notebook's preparation on the committed files: latest certificate per UPRN, features and two labels."""
    certs = load("epc_certificates", council=name)
    fires = load("dwelling_fires", council=name)
    homes = certs.dropna(subset=["uprn"]).sort_values("lodgement_date", kind="stable").drop_duplicates("uprn", keep="last")
    first, last = fires["incident_date"].min(), fires["incident_date"].max()
    split = (first + (last - first) / 2).normalize()
    early = homes["uprn"].isin(fires.loc[fires["incident_date"] < split, "uprn"].dropna()).astype(int)
    later = homes["uprn"].isin(fires.loc[fires["incident_date"] >= split, "uprn"].dropna()).astype(int)
    start = homes["age_band"].str.extract(r"(\d{4})", expand=False).astype("float64")
    era = pd.cut(start, [0, 1929, 1966, 1995, 3000], labels=["before 1930", "1930-1966", "1967-1995", "1996 on"])
    X = pd.DataFrame({"property_type": homes["property_type"], "era": era, "mains_gas": homes["mains_gas"].map({True: "Y", False: "N"}),
                      "current_rating": homes["current_rating"], "tenure": homes["tenure"]}, index=homes.index)
    X = X.astype("object").fillna("Unknown").assign(floor_area=homes["floor_area"])
    return X, early, later


def test_files_have_the_published_columns(generated):
    """Each file has exactly the register's or the IRS extract's columns, and the mapping names only those."""
    frames = generated["Cardiff"]
    assert set(frames) == set(epc.FILES), "one frame per file name"
    assert tuple(frames["certificates.csv"].columns) == epc.CERTIFICATE_COLUMNS
    assert tuple(frames["dwelling_fires.csv"].columns) == epc.FIRE_COLUMNS
    for kind, file in (("epc_certificates", "certificates.csv"), ("dwelling_fires", "dwelling_fires.csv")):
        spec = MAPPING.dataset(kind).sources[0]
        assert spec.file == file
        assert set(spec.columns.values()) <= set(frames[file].columns), f"{kind}: the mapping names columns the file has"


def test_deterministic_and_seed_dependent():
    """The same seed gives identical frames; another seed gives other data."""
    council = get_council("Torfaen")
    a = epc.generate(council, np.random.default_rng(7), 1.0)
    b = epc.generate(council, np.random.default_rng(7), 1.0)
    c = epc.generate(council, np.random.default_rng(8), 1.0)
    for file in epc.FILES:
        pd.testing.assert_frame_equal(a[file], b[file])
    assert not a["certificates.csv"].equals(c["certificates.csv"]), "a different seed should change the data"


def test_volume_follows_population_and_scale():
    """Homes follow population (80 plus one per 1,000 residents) and scale; LSOAs stay fixed."""
    assert epc.homes_count(get_council("Cardiff")) == round(80 + 362.4), "Cardiff's sample"
    assert epc.homes_count(get_council("Merthyr Tydfil")) == round(80 + 58.8), "Merthyr Tydfil's sample"
    council = get_council("Newport")
    small = epc.generate(council, np.random.default_rng(1), 1.0)
    big = epc.generate(council, np.random.default_rng(1), 3.0)
    for file in epc.FILES:
        ratio = len(big[file]) / len(small[file])
        assert 2.6 < ratio < 3.4, f"{file}: scale 3 gave {ratio:.2f} times the rows"
    lsoas = set(wales_table(1.0).query("council == 'Newport'")["lsoa_code"])
    assert set(big["dwelling_fires.csv"]["LSOA_Code"]) - {""} <= lsoas, "LSOAs come from the scale-1 table"


def test_certificates_per_home(generated):
    """About one home in four has two or three certificates; older ones were lodged earlier."""
    certs = generated["Rhondda Cynon Taf"]["certificates.csv"]
    per_home = certs.loc[certs["UPRN"] != "", "UPRN"].value_counts()
    several = (per_home > 1).mean()
    assert 0.12 < several < 0.35, f"{several:.0%} of homes have several certificates"
    assert per_home.max() <= 3
    assert certs["LMK_KEY"].is_unique and certs["LMK_KEY"].str.fullmatch(r"\d{30}").all(), "LMK_KEYs are unique 30-digit keys"
    assert certs["LODGEMENT_DATETIME"].is_monotonic_increasing, "the download is in lodgement order"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_identifiers_and_places_belong_to_the_council(generated, name):
    """UPRNs are 12 digits in the council's block, postcodes in its districts, LSOAs in its WIMD areas, LA its ONS code."""
    certs, fires = generated[name]["certificates.csv"], generated[name]["dwelling_fires.csv"]
    uprn = certs.loc[certs["UPRN"] != "", "UPRN"]
    block = str(200 + COUNCIL_NAMES.index(name))
    assert uprn.str.fullmatch(r"\d{12}").all() and uprn.str.startswith(block).all(), f"{name}: UPRNs in block {block}"
    assert set(certs["POSTCODE"].str.split(" ").str[0]) <= DISTRICTS[name]
    assert set(fires["Postcode_district"]) <= DISTRICTS[name]
    lsoas = set(wales_table(1.0).query("council == @name")["lsoa_code"])
    assert set(fires["LSOA_Code"]) - {""} <= lsoas, f"{name}: fires in the council's LSOAs"
    assert set(certs["LOCAL_AUTHORITY"]) == {get_council(name).code}
    assert fires["IncidentNumber"].is_unique and fires["IncidentNumber"].str.fullmatch(r"SWF20\d{2}\d{5}").all()


def test_uprns_never_shared_between_councils(generated):
    """A home's UPRN appears in one council only."""
    seen: Counter = Counter()
    for frames in generated.values():
        seen.update(set(frames["certificates.csv"]["UPRN"]) - {""})
    assert max(seen.values()) == 1, "a UPRN appears in two councils"


def test_register_quirks_are_kept(generated):
    """Placeholders, both spellings of tenure, blank gas flags and certificates without a UPRN all occur."""
    certs = pd.concat([f["certificates.csv"] for f in generated.values()], ignore_index=True)
    assert {"NO DATA!", "INVALID!"} <= set(certs["CONSTRUCTION_AGE_BAND"])
    assert {"rental (private)", "Rented (private)", "owner-occupied", "Owner-occupied", "NO DATA!", "unknown"} <= set(certs["TENURE"])
    old = pd.to_datetime(certs["LODGEMENT_DATETIME"]) < "2017-01-01"
    assert not certs.loc[old, "TENURE"].isin(["Rented (private)", "Owner-occupied", "Rented (social)"]).any(), "old spelling before 2017"
    assert (certs["MAINS_GAS_FLAG"] == "").any() and set(certs["MAINS_GAS_FLAG"]) <= {"Y", "N", ""}
    blank = (certs["UPRN"] == "").mean()
    assert 0.02 < blank < 0.08, f"{blank:.1%} of certificates have no UPRN"
    assert set(certs["CURRENT_ENERGY_RATING"]) <= set("ABCDEFG") and {"C", "D", "E", "F"} <= set(certs["CURRENT_ENERGY_RATING"])


def test_fires_link_only_in_part(generated):
    """Some fires carry no UPRN and some happen in homes without a certificate; all fall in April 2019 - March 2025."""
    for name in ("Cardiff", "Merthyr Tydfil"):
        certs, fires = generated[name]["certificates.csv"], generated[name]["dwelling_fires.csv"]
        no_uprn = (fires["UPRN"] == "").mean()
        no_cert = ((fires["UPRN"] != "") & ~fires["UPRN"].isin(certs["UPRN"])).mean()
        assert 0.02 < no_uprn < 0.2, f"{name}: {no_uprn:.0%} of fires without a UPRN"
        assert 0.04 < no_cert < 0.3, f"{name}: {no_cert:.0%} of fires in homes without a certificate"
        dates = pd.to_datetime(fires["DateOfCall"], format="%d/%m/%Y")
        assert dates.between(epc.PERIOD_START, epc.PERIOD_END).all() and dates.is_monotonic_increasing
        assert (fires["PropertyCategory"] == "Dwelling").all()


def test_fires_fall_between_the_periods(generated):
    """Across the region the later three years hold fewer fires than the earlier three."""
    fires = pd.concat([f["dwelling_fires.csv"] for f in generated.values()], ignore_index=True)
    dates = pd.to_datetime(fires["DateOfCall"], format="%d/%m/%Y")
    early, later = (dates < epc.PERIOD_SPLIT).sum(), (dates >= epc.PERIOD_SPLIT).sum()
    assert 0.7 < later / early < 0.98, f"later/earlier = {later / early:.2f}"


def test_planted_risk_factors():
    """Pooled over the councils, private renting, no mains gas, flats and pre-1930 homes have more fires."""
    frames = [_homes_and_labels(name) for name in COUNCIL_NAMES]
    X = pd.concat([f[0] for f in frames], ignore_index=True)
    y = pd.concat([f[1] + f[2] for f in frames], ignore_index=True).clip(upper=1)

    def rate(mask):
        return y[mask].mean()

    assert rate(X["tenure"] == "Rented (private)") > 2 * rate(X["tenure"] == "Owner-occupied"), "private renting"
    assert rate(X["mains_gas"] == "N") > 1.5 * rate(X["mains_gas"] == "Y"), "no mains gas"
    assert rate(X["property_type"].isin(["Flat", "Maisonette"])) > 1.5 * rate(X["property_type"] == "House"), "flats"
    assert rate(X["era"] == "before 1930") > 1.5 * rate(X["era"] == "1996 on"), "older homes"
    assert rate(X["current_rating"].isin(["F", "G"])) > rate(X["current_rating"].isin(["B", "C"])), "low ratings"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_notebook_method_beats_chance_on_the_later_period(name):
    """The notebook's logistic pipeline, trained on the earlier fires, ranks the later fires with an AUC above 0.6."""
    X, early, later = _homes_and_labels(name)
    assert early.sum() >= 10 and later.sum() >= 10, f"{name}: {early.sum()} and {later.sum()} homes with fires"
    prepare = ColumnTransformer([("c", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
                                 ("n", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), ["floor_area"])])
    model = Pipeline([("p", prepare), ("m", LogisticRegression(max_iter=1000))]).fit(X, early)
    auc = roc_auc_score(later, model.predict_proba(X)[:, 1])
    assert auc > 0.6, f"{name}: AUC {auc:.3f} on the later period"


def test_committed_demo_files_are_current(tmp_path):
    """The files in the package's demo folders are byte for byte what the generator writes now."""
    written = write_generator_files("epc", tmp_path)
    assert len(written) == 10 * len(epc.FILES)
    for path in written:
        committed = demo_dir(path.parent.name) / path.name
        assert committed.is_file(), f"{committed} is missing: run write_generator_files('epc', 'datasets/demo')"
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is stale: regenerate the demo files"


def test_committed_files_are_small():
    """The ten councils' certificates and fires take under 700 KB together."""
    size = sum((demo_dir(name) / file).stat().st_size for name in COUNCIL_NAMES for file in epc.FILES)
    assert size < 700_000, f"{size / 1000:.0f} KB"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's certificates and fires load and pass their schemas, with tidy tenures and some blank UPRNs."""
    certs = load("epc_certificates", council=name)
    fires = load("dwelling_fires", council=name)
    assert set(certs["tenure"].dropna()) == {"Owner-occupied", "Rented (private)", "Rented (social)"}, "the mapping tidies tenure"
    assert certs["uprn"].isna().any() and fires["uprn"].isna().any()
    assert certs["mains_gas"].dtype == "boolean" and certs["lodgement_date"].dtype == "datetime64[ns]"
    assert len(fires) > 20 and fires["incident_number"].is_unique


@pytest.mark.parametrize("scale", [0, -1, "1", None, True, float("nan")])
def test_bad_scale_is_refused(scale):
    """A scale that is not a positive number raises ValueError naming it."""
    with pytest.raises(ValueError, match="scale"):
        epc.generate(get_council("Cardiff"), np.random.default_rng(1), scale)


@pytest.mark.parametrize("council", ["Cardiff", None, Council("Calderdale", "E08000033", "calderdale", 206600)])
def test_bad_council_is_refused(council):
    """Only one of the ten CCR councils (a Council) is accepted."""
    with pytest.raises(ValueError, match="council"):
        epc.generate(council, np.random.default_rng(1), 1.0)


def test_bad_rng_is_refused():
    """The random source must be a numpy Generator."""
    with pytest.raises(TypeError, match="rng"):
        epc.generate(get_council("Cardiff"), 42, 1.0)
