"""Tests of the demo event-log generator (curriculum.demo.service_events) and its committed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import journeys as jr
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, write_generator_files
from curriculum.demo import service_events as gen

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
STEPS = list(gen.STEPS)
FIRST_WAIT = f"{STEPS[0]}{jr.ARROW}{STEPS[1]}"


def _truth(name: str, seed=None, scale: float = 1.0) -> pd.DataFrame:
    """The generated log with the planted truth; the committed file's generator state by default."""
    if seed is None:
        seed = [DEFAULT_SEED, COUNCIL_NAMES.index(name), GENERATORS.index("service_events")]
    return gen.generate_with_truth(get_council(name), np.random.default_rng(seed), scale)["service_events.csv"]


def _as_log(frame: pd.DataFrame) -> pd.DataFrame:
    """The generated file in the curriculum's column names, with parsed times."""
    return pd.DataFrame({"case_id": frame["Case Reference"], "step": frame["Event"],
                         "timestamp": pd.to_datetime(frame["Event Date"], format="%d/%m/%Y %H:%M"),
                         "channel": frame["Referral Source"], "area": frame["Ward"], "age_band": frame["Age Band"]})


@pytest.fixture(scope="module")
def region() -> dict[str, pd.DataFrame]:
    """Each council's log as committed (default seed), with the truth columns."""
    return {name: _truth(name) for name in COUNCIL_NAMES}


def test_columns_match_the_mapping():
    """The file and its columns are exactly those the demo mapping names for service_events."""
    mapping = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]["service_events"]
    assert gen.FILES == (mapping["file"],), f"FILES should be ({mapping['file']!r},)"
    frame = gen.generate(get_council("Torfaen"), np.random.default_rng(0))["service_events.csv"]
    assert list(frame.columns) == list(mapping["columns"].values()), "columns should be the mapping's, in order"
    assert frame["Event Date"].str.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}").all(), "dates as dd/mm/yyyy HH:MM"


def test_generator_is_deterministic():
    """The same generator state gives the same frame; another gives another."""
    pd.testing.assert_frame_equal(_truth("Newport", seed=5), _truth("Newport", seed=5))
    assert not _truth("Newport", seed=5).equals(_truth("Newport", seed=6)), "another seed should give other cases"


@pytest.mark.parametrize("name", ["Cardiff", "Merthyr Tydfil"])
def test_cases_follow_population(name):
    """About 1.5 enquiries per 1,000 residents over the eighteen months, one reference per case."""
    frame = _truth(name, seed=1)
    expected = round(get_council(name).population_2021 * 1.5 / 1000)
    assert frame["Case Reference"].nunique() == expected == gen.case_count(get_council(name)), \
        f"{name} should have {expected} cases"
    assert frame["Case Reference"].str.fullmatch(r"DFG/2[23]/\d{4}").all(), "references like DFG/22/0001"


def test_scale_multiplies_the_cases():
    """Scale 10 gives ten times the cases, with references still distinct per case."""
    big = _truth("Torfaen", seed=2, scale=10)
    expected = round(get_council("Torfaen").population_2021 * 10 * 1.5 / 1000)
    assert big["Case Reference"].nunique() == expected, f"expected {expected:,} cases at scale 10"
    first = big.loc[big["Event"] == "Enquiry", list(gen.COLUMNS)].drop_duplicates()
    assert first["Case Reference"].is_unique, "one enquiry per case reference"


@pytest.mark.parametrize("scale", [0, -1, float("nan"), "2", True])
def test_generate_rejects_bad_scale(scale):
    """A scale that is not a positive number raises ValueError naming scale."""
    with pytest.raises(ValueError, match="scale"):
        gen.generate(get_council("Torfaen"), np.random.default_rng(0), scale)


def test_generate_rejects_non_council():
    """A council that is not a Council raises ValueError naming council."""
    with pytest.raises(ValueError, match="council"):
        gen.generate("Torfaen", np.random.default_rng(0), 1.0)


def test_values_are_realistic(region):
    """Known events, channels, age bands and wards; no event after the extract; office hours on weekdays."""
    for name, frame in region.items():
        assert set(frame["Event"]) == set(STEPS) | {gen.CLOSURE}, f"{name}: every step and the closure occur"
        assert set(frame["Referral Source"]) <= set(gen.CHANNELS), name
        assert set(frame["Age Band"]) <= set(gen.AGE_BANDS), name
        assert set(frame["Ward"]) <= set(gen.WARDS[name]), f"{name}: wards of the council"
        times = pd.to_datetime(frame["Event Date"], format="%d/%m/%Y %H:%M")
        assert times.max() <= gen.EXTRACT_DATE, f"{name}: no event after the extract date"
        typed = frame["_flaw"] != "date typed wrongly"
        assert (times[typed].dt.dayofweek < 5).all(), f"{name}: events fall on weekdays"
        minutes = times.dt.hour * 60 + times.dt.minute
        assert minutes.between(8 * 60 + 30, 17 * 60 - 1).all(), f"{name}: events in office hours"


def test_case_attributes_are_constant_within_a_case(region):
    """A case keeps one referral source, ward and age band on all its rows."""
    for name, frame in region.items():
        per_case = frame.groupby("Case Reference")[["Referral Source", "Ward", "Age Band"]].nunique()
        assert (per_case == 1).all().all(), f"{name}: case attributes vary within a case"


def test_journeys_are_ordered_except_the_typed_dates(region):
    """Exactly the cases with a mistyped date go backwards; the mistyped share is about 2%."""
    for name, frame in region.items():
        checks = jr.check_journeys(_as_log(frame), STEPS)
        typed = set(frame.loc[frame["_flaw"] == "date typed wrongly", "Case Reference"])
        assert set(checks.index[checks["out_of_order"]]) == typed, f"{name}: out-of-order cases should be the mistyped ones"
        assert 0.01 <= len(typed) / len(checks) <= 0.035, f"{name}: {len(typed)} mistyped cases of {len(checks)}"


def test_missing_steps_and_duplicates_are_planted(region):
    """Cases with a step not keyed in show a gap; copies of rows are exact duplicates, about 1%."""
    for name, frame in region.items():
        log = _as_log(frame)
        checks = jr.check_journeys(log, STEPS)
        gaps = set(checks.index[checks["n_missing"] > 0])
        flawed = frame.groupby("Case Reference")["_flaw"].agg(set)
        missing = set(flawed.index[flawed.map(lambda s: "missing step" in s)])
        typed = set(flawed.index[flawed.map(lambda s: "date typed wrongly" in s)])
        assert gaps <= missing | typed and missing - typed <= gaps, f"{name}: gaps should be exactly the planted ones"
        assert 0.01 <= len(missing | (gaps & typed)) / len(checks) <= 0.06, f"{name}: share of cases with a missing step"
        copies = int((frame["_flaw"] == "duplicate row").sum())
        assert int(log.duplicated().sum()) == copies, f"{name}: each copied row is an exact duplicate"
        assert 0.005 <= copies / len(frame) <= 0.02, f"{name}: about 1% duplicate rows"


def test_withdrawals_close_cases_that_stopped(region):
    """A withdrawal comes after the case's last step and never with a completion."""
    for name, frame in region.items():
        log = _as_log(frame[frame["_flaw"] == ""])
        wide = jr.case_steps(log, STEPS + [gen.CLOSURE])
        withdrawn = wide[wide[gen.CLOSURE].notna()]
        assert withdrawn["Completion"].isna().all(), f"{name}: a completed case was also withdrawn"
        assert (withdrawn[gen.CLOSURE] > withdrawn[STEPS].max(axis=1)).all(), f"{name}: withdrawn before the last step"
        share = len(withdrawn) / len(wide)
        assert 0.1 < share < 0.4, f"{name}: {share:.0%} of cases withdrawn"


def test_planted_slow_ward_and_fast_hospital_discharges(region):
    """In every council the slow ward has the longest median wait for an OT assessment; hospital referrals the shortest."""
    pooled = []
    for name, frame in region.items():
        log = _as_log(frame[frame["_flaw"] != "date typed wrongly"])
        waits = jr.step_durations(log, STEPS, attributes=["area", "channel"])
        waits = waits[waits["transition"] == FIRST_WAIT]
        slow = frame.loc[frame["_slow_ward"], "Ward"].iloc[0]
        table = jr.waits_by_group(waits, "area", min_cases=5)
        assert table[~table["small"]].index[0] == slow, f"{name}: the planted slow ward {slow} should wait longest"
        pooled.append(waits.assign(slow=waits["area"] == slow))
    allwaits = pd.concat(pooled)
    ratio = allwaits.loc[allwaits["slow"], "days"].median() / allwaits.loc[~allwaits["slow"], "days"].median()
    assert 2.0 < ratio < 3.2, f"the slow wards should wait about 2.6 times as long, got {ratio:.1f}"
    by_channel = allwaits.groupby("channel")["days"].median()
    assert by_channel.idxmin() == "Hospital discharge", "hospital discharges should be assessed soonest"


def test_end_to_end_times_are_realistic(region):
    """First contact to completion takes a median of five to eight months, as Welsh DFGs did."""
    logs = [_as_log(frame[frame["_flaw"] == ""]) for frame in region.values()]
    wide = pd.concat([jr.case_steps(log, STEPS) for log in logs])
    days = ((wide["Completion"] - wide["Enquiry"]) / pd.Timedelta(days=1)).dropna()
    assert 150 < days.median() < 240, f"median end-to-end {days.median():.0f} days"
    share = wide["Completion"].notna().mean()
    assert 0.4 < share < 0.75, f"{share:.0%} of cases completed by the extract"


def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files are byte for byte what the generator writes with the default seed."""
    assert "service_events" in GENERATORS, "service_events should be a registered generator"
    written = write_generator_files("service_events", tmp_path, seed=DEFAULT_SEED)
    assert len(written) == len(COUNCIL_NAMES), "one file per council"
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator: regenerate it"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's committed log loads and passes the schema, within 1 MB in all."""
    frame = curriculum.load("service_events", council=name)
    assert frame["case_id"].nunique() >= 30, f"{name} should have at least 30 cases"
    assert set(frame["council"]) == {name}
    assert frame["timestamp"].notna().all(), f"{name}: every event has a time"
    total = sum(p.stat().st_size for p in DEMO.glob("*/service_events.csv"))
    assert total < 1_000_000, f"the service_events files take {total:,} bytes; keep them under 1 MB"
