"""Tests of the demo contact-centre demand generator (curriculum.demo.demand)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import curriculum
from curriculum import forecasting as fc
from curriculum.councils import COUNCIL_NAMES, get_council
from curriculum.demo import DEFAULT_SEED, GENERATORS, demand, write_generator_files

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "datasets" / "demo"
WEEKLY, HOURLY = demand.FILES


def _files(name: str, seed: int = 1, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    return demand.generate(get_council(name), np.random.default_rng(seed), scale)


def _channel(weekly: pd.DataFrame, channel: str) -> pd.Series:
    rows = weekly[weekly["Channel"] == channel]
    return pd.Series(rows["Contacts Received"].to_numpy(),
                     index=pd.to_datetime(rows["Week Commencing"], format="%d/%m/%Y"), name=channel)


@pytest.fixture(scope="module")
def region() -> dict[str, dict[str, pd.DataFrame]]:
    """All ten councils' files, as written for the demo (seed per council)."""
    return {name: _files(name, seed=i) for i, name in enumerate(COUNCIL_NAMES)}


def test_columns_match_the_mapping():
    """The generator writes the files and columns the demo mapping names, in order."""
    datasets = yaml.safe_load((DEMO / "mapping.yaml").read_text(encoding="utf-8"))["datasets"]
    files = _files("Torfaen")
    for kind, file in (("demand_weekly", WEEKLY), ("demand_hour_of_week", HOURLY)):
        assert datasets[kind]["file"] == file, f"{kind} should map {file}"
        assert list(files[file].columns) == list(datasets[kind]["columns"].values()), f"{file}: columns should be the mapping's, in order"


def test_generator_is_deterministic():
    """The same generator state gives the same files; another state gives others."""
    one, two, other = _files("Newport", 5), _files("Newport", 5), _files("Newport", 6)
    for file in demand.FILES:
        pd.testing.assert_frame_equal(one[file], two[file])
    assert not one[WEEKLY].equals(other[WEEKLY]), "another seed should give another file"


@pytest.mark.parametrize("council, rng, scale, error, word", [
    ("Torfaen", np.random.default_rng(0), 1.0, ValueError, "council"),
    (None, np.random.default_rng(0), 0, ValueError, "scale"),
    (None, np.random.default_rng(0), float("nan"), ValueError, "scale"),
    (None, np.random.default_rng(0), "2", ValueError, "scale"),
    (None, np.random.default_rng(0), True, ValueError, "scale"),
    (None, 42, 1.0, TypeError, "rng"),
])
def test_generator_rejects_bad_arguments(council, rng, scale, error, word):
    """A council that is not a Council, a bad scale or a bad rng raise errors naming the argument."""
    with pytest.raises(error, match=word):
        demand.generate(get_council("Torfaen") if council is None else council, rng, scale)


def test_weeks_channels_and_hours_are_fixed(region):
    """208 Mondays from April 2021 by three channels, and all 168 hours of the week, for every council."""
    for name, files in region.items():
        weeks = pd.to_datetime(files[WEEKLY]["Week Commencing"], format="%d/%m/%Y")
        assert weeks.nunique() == demand.WEEKS == 208 and (weeks.dt.dayofweek == 0).all(), f"{name}: 208 Mondays"
        assert weeks.min() == pd.Timestamp("2021-04-05") and weeks.max() == pd.Timestamp("2025-03-24")
        assert files[WEEKLY].groupby("Week Commencing")["Channel"].nunique().eq(3).all(), f"{name}: three channels a week"
        assert len(files[HOURLY]) == 168 and not files[HOURLY].duplicated(["Day", "Hour"]).any(), f"{name}: one row per hour"


def test_volume_follows_population_and_scale():
    """Calls grow with the council's population and with the scale; the rows do not."""
    cardiff, merthyr = _files("Cardiff")[WEEKLY], _files("Merthyr Tydfil")[WEEKLY]
    ratio = cardiff["Contacts Received"].sum() / merthyr["Contacts Received"].sum()
    populations = get_council("Cardiff").population_2021 / get_council("Merthyr Tydfil").population_2021
    assert ratio == pytest.approx(populations, rel=0.05), "contacts should be proportional to population"
    big = _files("Torfaen", scale=10)
    small = _files("Torfaen")
    assert len(big[WEEKLY]) == len(small[WEEKLY]) and len(big[HOURLY]) == 168, "rows stay fixed"
    assert big[WEEKLY]["Contacts Received"].sum() / small[WEEKLY]["Contacts Received"].sum() == pytest.approx(10, rel=0.03)


def test_hour_report_adds_up_to_the_last_13_weeks(region):
    """The interval report's calls equal the telephone contacts of the weekly file's last 13 weeks."""
    for name, files in region.items():
        phone = _channel(files[WEEKLY], "Telephone")
        assert files[HOURLY]["Calls Offered"].sum() == phone.iloc[-13:].sum(), f"{name}: the two files should agree"


def test_calls_drift_down_and_online_forms_grow(region):
    """Across the region, telephone calls fall and online forms rise from the first financial year to the last."""
    for name, files in region.items():
        phone, online = _channel(files[WEEKLY], "Telephone"), _channel(files[WEEKLY], "Online form")
        assert phone.iloc[-52:].sum() < 0.9 * phone.iloc[:52].sum(), f"{name}: calls should fall over four years"
        assert online.iloc[-52:].sum() > 1.3 * online.iloc[:52].sum(), f"{name}: online forms should grow"


def test_yearly_seasonality_and_holidays(region):
    """Calls peak in January and March, dip in August, and are lowest in Christmas and bank-holiday weeks."""
    for name, files in region.items():
        phone = _channel(files[WEEKLY], "Telephone")
        year = phone.index.year.where(phone.index.month >= 4, phone.index.year - 1)
        relative = phone / phone.groupby(year).transform("median")  # remove the trend
        month = relative.groupby(relative.index.month).median()
        assert month[1] > 1.05 and month[3] > 1.05 and month[8] < 0.95, f"{name}: {month.round(2).to_dict()}"
        days = pd.DatetimeIndex(np.concatenate([pd.date_range(w, periods=5).to_numpy() for w in phone.index]))
        holiday_weeks = pd.DatetimeIndex(days[days.isin(demand.BANK_HOLIDAYS)]).to_period("W-SUN").start_time.unique()
        festive = relative[((relative.index.month == 12) & (relative.index.day >= 15)) | ((relative.index.month == 1) & (relative.index.day <= 5))]
        quietest = festive.groupby(festive.index.year.where(festive.index.month == 12, festive.index.year - 1)).min()
        assert (quietest < 0.6).all(), f"{name}: every Christmas should bring the quietest weeks: {quietest.round(2).to_dict()}"
        assert relative.loc[relative.index.isin(holiday_weeks)].median() < 0.92 * relative.median(), f"{name}: bank-holiday weeks"
        spring_2022 = relative["2022-04-04":"2022-05-30"].mean() / relative["2023-04-03":"2023-05-29"].mean()
        assert spring_2022 > 1.1, f"{name}: the cost-of-living payment should lift spring 2022, got {spring_2022:.2f}"


def test_calls_peak_on_monday_morning_and_out_of_hours_calls_are_longer(region):
    """The busiest hours are weekday mornings, Monday above all; out-of-hours calls take longer to handle."""
    every = pd.concat([files[HOURLY] for files in region.values()])
    table = fc.hour_of_week_table(every.rename(columns={"Day": "day_of_week", "Hour": "hour", "Calls Offered": "count"}))
    assert table.stack().idxmax() in [("Monday", 9), ("Monday", 10)], "Monday 9-11 should be the peak"
    assert table.loc["Monday"].sum() > 1.15 * table.loc["Friday"].sum(), "Monday should be busier than Friday"
    open_hours = every["Hour"].between(8, 17) & ~every["Day"].isin(["Saturday", "Sunday"])
    assert every.loc[open_hours, "Calls Offered"].sum() > 0.9 * every["Calls Offered"].sum(), "most calls come in opening hours"
    handle = every["Average Handle Time (s)"]
    assert handle[~open_hours].median() > handle[open_hours].median() + 60, "out-of-hours calls should take longer"
    assert handle.isna().eq(every["Calls Offered"].eq(0)).all(), "the handle time is blank exactly where no calls came"


def test_ets_beats_the_seasonal_naive_in_most_councils(region):
    """On the last 26 weeks, ETS is closer than the same week last year for most councils (the module's comparison)."""
    wins = 0
    for files in region.values():
        train, test = fc.holdout_split(_channel(files[WEEKLY], "Telephone"), 26)
        naive = fc.forecast_errors(test, fc.seasonal_naive(train, 52, 26).to_numpy())["MAE"]
        ets = fc.forecast_errors(test, fc.fit_ets(train, 26).forecast["mean"].to_numpy())["MAE"]
        wins += ets < naive
    assert wins >= 6, f"ETS should win in most councils, won in {wins} of 10"


# ------------------------------------------------------------------ committed files
def test_committed_files_are_the_generators_output(tmp_path):
    """The committed demo files are byte for byte what the generator writes with the default seed."""
    assert "demand" in GENERATORS, "demand should be a registered generator"
    written = write_generator_files("demand", tmp_path, seed=DEFAULT_SEED)
    assert len(written) == 2 * len(COUNCIL_NAMES), "two files per council"
    for path in written:
        committed = DEMO / path.parent.name / path.name
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs from the generator: regenerate it"


@pytest.mark.parametrize("name", COUNCIL_NAMES)
def test_committed_files_load(name):
    """Every council's committed files load and pass their schemas, within 500 KB in all."""
    weekly = curriculum.load("demand_weekly", council=name)
    hours = curriculum.load("demand_hour_of_week", council=name)
    assert len(weekly) == 624 and set(weekly["channel"]) == set(demand.CHANNELS), f"{name}: 208 weeks by 3 channels"
    assert len(hours) == 168 and hours["count"].sum() > 0, f"{name}: one row per hour of the week"
    total = sum(p.stat().st_size for file in demand.FILES for p in DEMO.glob(f"*/{file}"))
    assert total < 500_000, f"the generator's files take {total:,} bytes; keep them under 500 KB"
