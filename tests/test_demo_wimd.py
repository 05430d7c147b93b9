"""Tests of the demo WIMD and service-demand generators (curriculum.demo.wimd, curriculum.demo.service_demand)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import profiles as pf
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, wimd, write_generator_files
from curriculum.demo import service_demand as sd

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"


def _wimd(name: str, seed: int = 1, scale: float = 1.0) -> pd.DataFrame:
    return wimd.generate(get_council(name), np.random.default_rng(seed), scale)["wimd.csv"]


def _referrals(name: str, seed: int = 1, scale: float = 1.0) -> pd.DataFrame:
    return sd.generate(get_council(name), np.random.default_rng(seed), scale)["connector_referrals.csv"]


@pytest.fixture(scope="module")
def region() -> pd.DataFrame:
    """All ten councils' WIMD tables, as written."""
    return pd.concat([_wimd(name, seed=i) for i, name in enumerate(COUNCIL_NAMES)], ignore_index=True)


@pytest.fixture(scope="module")
def referrals() -> dict[str, pd.DataFrame]:
    """All ten councils' referrals, as written."""
    return {name: _referrals(name, seed=i) for i, name in enumerate(COUNCIL_NAMES)}


@pytest.mark.parametrize("module, kind", [(wimd, "wimd"), (sd, "service_demand")])
def test_columns_match_the_mapping(module, kind):
    """Each generator writes the file and columns the demo mapping names, in order."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"][kind]
    assert module.FILES == (mapping["file"],), f"FILES should be ({mapping['file']!r},)"
    frame = module.generate(get_council("Torfaen"), np.random.default_rng(0))[mapping["file"]]
    assert list(frame.columns) == list(mapping["columns"].values()), "columns should be the mapping's, in order"


@pytest.mark.parametrize("make", [_wimd, _referrals])
def test_generators_are_deterministic(make):
    """The same generator state gives the same frame; another state gives another."""
    pd.testing.assert_frame_equal(make("Newport", 5), make("Newport", 5))
    assert not make("Newport", 5).equals(make("Newport", 6)), "another seed should give another file"


# ------------------------------------------------------------------------- WIMD table
def test_ranks_and_codes_are_unique_across_wales(region):
    """Ranks and LSOA codes never repeat between councils, as in one Wales-wide index."""
    assert region["LSOA code"].is_unique, "LSOA codes repeat between councils"
    assert region["LSOA code"].str.fullmatch(r"W01\d{6}").all(), "codes should be W01 and six digits"
    for column in [c for c in region.columns if c.endswith("rank")]:
        assert region[column].is_unique, f"{column} repeats between councils"
        assert region[column].between(1, wimd.WALES_LSOAS).all(), f"{column} should run from 1 to 1,909"


def test_wales_table_is_a_full_ranking():
    """The Wales-wide table holds 1,909 LSOAs and every rank column is a permutation of 1..1,909."""
    wales = wimd.wales_table()
    assert len(wales) == wimd.WALES_LSOAS, "Wales has 1,909 LSOAs"
    for column in [c for c in wales.columns if c.endswith("rank")]:
        assert sorted(wales[column]) == list(range(1, wimd.WALES_LSOAS + 1)), f"{column} is not a full ranking"
    assert wales.equals(wimd.wales_table()), "the Wales-wide draw is the same every time"


def test_overall_rank_follows_from_the_domains():
    """The overall rank is the rank of the weighted, exponentially transformed domain ranks (WIMD's method)."""
    wales = wimd.wales_table()
    n = len(wales)
    score = np.zeros(n)
    for domain, weight in wimd.DOMAINS.items():
        r = (n - wales[f"{domain} rank"].to_numpy() + 1) / n
        score += weight * -23 * np.log(1 - r * (1 - np.exp(-100 / 23)))
    recomputed = pd.Series(score).rank(ascending=False, method="first").astype(int)
    assert (recomputed.to_numpy() == wales["WIMD 2019 overall rank"].to_numpy()).all(), "overall rank should follow from the domains"
    assert sum(wimd.DOMAINS.values()) == pytest.approx(1.0), "the domain weights add up to 1"


@pytest.mark.parametrize("name, expected", [("Cardiff", 226), ("Merthyr Tydfil", 37), ("Monmouthshire", 58)])
def test_lsoa_counts_and_populations_follow_the_council(name, expected):
    """About one LSOA per 1,600 residents, and LSOA populations add up to the council's."""
    frame = _wimd(name)
    assert len(frame) == expected, f"{name} should have {expected} LSOAs, got {len(frame)}"
    total = get_council(name).population_2021
    assert abs(frame["Population"].sum() - total) < len(frame), "LSOA populations should add up to the council's (to rounding)"
    share = frame["Population aged 65 and over"] / frame["Population"]
    assert share.between(0.03, 0.46).all(), "every LSOA's share aged 65+ should be plausible"
    assert frame["LSOA name (Eng)"].is_unique and (frame["Local Authority name (Eng)"] == name).all()


def test_deprivation_follows_the_published_picture(region):
    """Valleys councils hold many of Wales's most deprived LSOAs, Monmouthshire and the Vale few; domains correlate."""
    decile = pf.deprivation_group(region["WIMD 2019 overall rank"], 10)
    share = decile.eq(1).groupby(region["Local Authority name (Eng)"]).mean()
    for valleys in ("Merthyr Tydfil", "Blaenau Gwent", "Rhondda Cynon Taf"):
        for better_off in ("Monmouthshire", "Vale of Glamorgan"):
            assert share[valleys] > share[better_off] + 0.05, f"{valleys} should have more LSOAs in decile 1 than {better_off}"
    ranks = region.filter(like="rank")
    assert ranks.corr(method="spearman").loc["WIMD 2019 overall rank", "Income rank"] > 0.8, "income follows the overall index"
    assert ranks.corr(method="spearman").loc["WIMD 2019 overall rank", "Access to services rank"] < 0.5, \
        "access to services follows rurality more than poverty"


def test_scale_keeps_the_geography_and_multiplies_the_records():
    """At scale 10 Wales keeps its 1,909 LSOAs and populations; only the records placed in them multiply."""
    assert wimd.wales_table(10).equals(wimd.wales_table()), "small areas do not grow with the volume"
    assert len(wimd.wales_table(10)) == wimd.WALES_LSOAS
    assert _wimd("Torfaen", scale=10).equals(_wimd("Torfaen")), "a council's WIMD table is the same at every scale"
    small, big = _referrals("Torfaen"), _referrals("Torfaen", scale=10)
    assert 8 * len(small) < len(big) < 12 * len(small), f"referrals: {len(small)} at scale 1, {len(big)} at scale 10"
    codes = set(_wimd("Torfaen")["LSOA code"])
    share = {n: f["LSOA Code"].isin(codes).mean() for n, f in (("scale 1", small), ("scale 10", big))}
    assert share["scale 10"] > 0.8 and abs(share["scale 10"] - share["scale 1"]) < 0.05, \
        f"referrals fall in the same small areas at both scales: {share}"


@pytest.mark.parametrize("make", [wimd.generate, sd.generate])
@pytest.mark.parametrize("council, rng, scale, error, word", [
    ("Torfaen", np.random.default_rng(0), 1.0, ValueError, "council"),
    (None, np.random.default_rng(0), 0, ValueError, "scale"),
    (None, np.random.default_rng(0), float("nan"), ValueError, "scale"),
    (None, np.random.default_rng(0), "2", ValueError, "scale"),
    (None, 42, 1.0, TypeError, "rng"),
])
def test_generators_reject_bad_arguments(make, council, rng, scale, error, word):
    """A council that is not a Council, a bad scale or a bad rng raise errors naming the argument."""
    with pytest.raises(error, match=word):
        make(get_council("Torfaen") if council is None else council, rng, scale)


# ---------------------------------------------------------------------- referrals
def test_referrals_cover_one_financial_year(referrals):
    """Dates fall in 2024-25, almost all on weekdays, busier in winter than summer; references are unique."""
    for name, frame in referrals.items():
        dates = pd.to_datetime(frame["Date Received"], format="%d/%m/%Y")
        assert dates.between("2024-04-01", "2025-03-31").all(), f"{name}: dates outside 2024-25"
        assert (dates.dt.dayofweek < 5).mean() > 0.95, f"{name}: referrals should arrive on working days"
        assert frame["Referral Ref"].is_unique, f"{name}: references repeat"
    every = pd.concat(referrals.values())
    month = pd.to_datetime(every["Date Received"], format="%d/%m/%Y").dt.month
    assert month.isin([12, 1, 2]).sum() > 1.3 * month.isin([6, 7, 8]).sum(), "winter should be busier than summer"


def test_people_keep_their_details_across_referrals(referrals):
    """About one referral in ten is for someone referred before, with the same age band and living situation."""
    for name, frame in referrals.items():
        repeat = 1 - frame["Client ID"].nunique() / len(frame)
        assert 0.04 < repeat < 0.16, f"{name}: repeat referrals should be about 10%, got {repeat:.1%}"
        per_person = frame.groupby("Client ID")[["Age Band", "Lives Alone"]].nunique(dropna=False)
        assert (per_person <= 1).all().all(), f"{name}: a person's age band and living situation should not change within the year"


def test_some_records_do_not_join(region, referrals):
    """A few records have no LSOA, an invalid value or another council's LSOA; a few need tidying to join."""
    for name, frame in referrals.items():
        areas = region[region["Local Authority name (Eng)"] == name].rename(columns={"LSOA code": "lsoa_code"})
        summary = pf.join_to_areas(frame.rename(columns={"LSOA Code": "lsoa_code"}), areas).summary["share"]
        assert summary["joined"] > 0.9, f"{name}: most referrals should join"
        assert 0 < summary["no area code"] < 0.06 and 0 < summary["outside these areas"] < 0.04, f"{name}: {summary.to_dict()}"
        assert frame["LSOA Code"].fillna("").str.match(r"w01").any(), f"{name}: some codes should be in lower case"
    every = pd.concat(referrals.values())
    assert every["LSOA Code"].fillna("").str.match(r"^(CF|NP)\d").any(), "somewhere a postcode sits in the LSOA field"


def _profile(region: pd.DataFrame, referrals: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frames = []
    for name, frame in referrals.items():
        areas = region[region["Local Authority name (Eng)"] == name].rename(columns={"LSOA code": "lsoa_code"})
        joined = pf.join_to_areas(frame.rename(columns={"LSOA Code": "lsoa_code"}), areas)
        frames.append(areas.assign(referrals=joined.counts.to_numpy(),
                                   quintile=pf.local_group(areas["WIMD 2019 overall rank"], 5),
                                   access=pf.local_group(areas["Access to services rank"], 5)))
    return pd.concat(frames, ignore_index=True)


def test_demand_is_concentrated_in_deprived_areas(region, referrals):
    """Across the region, referral rates fall from the most to the least deprived local quintile."""
    profile = _profile(region, referrals)
    rates = pf.rates_by_group(profile, "quintile", "referrals", "Population aged 65 and over")["rate"]
    assert rates.is_monotonic_decreasing, f"rates should fall with deprivation: {rates.round(1).tolist()}"
    assert 1.8 < rates[1] / rates[5] < 5, f"the most deprived fifth should have 2-4 times the rate, got {rates[1] / rates[5]:.1f}"


def test_demand_is_lower_where_access_is_worst(region, referrals):
    """Allowing for deprivation, the worst-access fifth gets clearly fewer referrals than expected."""
    profile = _profile(region, referrals)
    ratios = pf.standardised_ratios(profile, "access", "quintile", "referrals", "Population aged 65 and over")
    assert ratios.loc[1, "ratio_high"] < 0.85, f"the worst-access fifth should be well below expected: {ratios.loc[1].round(2).to_dict()}"
    assert ratios.loc[5, "ratio"] > 1, "the best-access fifth should get more than expected"


def test_referrals_scale_with_the_volume():
    """Scale 2 gives about twice the referrals across the region, in the same small areas."""
    one = sum(len(_referrals(name)) for name in COUNCIL_NAMES)
    two = sum(len(_referrals(name, scale=2)) for name in COUNCIL_NAMES)
    assert 1.8 < two / one < 2.2, f"scale 2 should about double the referrals: {one:,} then {two:,}"


# ------------------------------------------------------------------ committed files
@pytest.mark.parametrize("name", ["wimd", "service_demand"])
def test_committed_files_are_the_generators_output(tmp_path, name):
    """The committed demo files are byte for byte what the generator writes with the default seed."""
    assert name in GENERATORS, f"{name} should be a registered generator"
    written = write_generator_files(name, tmp_path, seed=DEFAULT_SEED)
    assert len(written) == len(COUNCIL_NAMES), "one file per council"
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator: regenerate it"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's committed files load and pass their schemas, within 1 MB in all."""
    areas = curriculum.load("wimd", council=name)
    referrals = curriculum.load("service_demand", council=name)
    assert len(areas) >= 30 and areas["lsoa_code"].is_unique, f"{name} should have its LSOAs, once each"
    assert len(referrals) > 100 and referrals["lsoa_code"].isna().any(), f"{name} should have referrals, some without LSOA"
    total = sum(p.stat().st_size for p in DEMO.glob("*/wimd.csv")) + sum(p.stat().st_size for p in DEMO.glob("*/connector_referrals.csv"))
    assert total < 1_000_000, f"the two generators' files take {total:,} bytes; keep them under 1 MB"
