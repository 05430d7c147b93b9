"""Demo contact-centre demand: contacts per week by channel, and calls by hour of the week.

A council's customer contact centre (the model is a Welsh council's "Connect to"
service: telephone lines open 08:00-18:00 on weekdays, an out-of-hours line for
emergencies such as homelessness, flooding and dangerous structures, online forms and
email) exports two tables. This generator writes them for one council:

``contact_centre_weekly.csv``
    Contacts received per week (weeks commencing Monday) and channel (Telephone,
    Online form, Email), for the four financial years 2021-22 to 2024-25: 208 weeks.
``contact_centre_hourly.csv``
    The telephony system's interval report for the last 13 weeks of the weekly file:
    calls offered by day of the week and hour (all 168 hours, the out-of-hours line
    included) and the average handle time (talk, hold and wrap-up, in seconds). Its
    calls add up to the telephone contacts of those 13 weeks in the weekly file.

The structure the Data Lab's *Forecasting demand* module must find:

- telephone calls drift down (about 4% a year, as people move online; a further step
  down in October 2023, when bulky-waste and garden-waste bookings moved online)
  while online forms grow by about 12% a year;
- yearly seasonality: calls peak in the first weeks of January (missed collections
  after Christmas, council tax reminders) and from mid-March to mid-April (annual
  council tax bills, garden-waste renewals), and dip in August and at Christmas;
  online forms peak in early summer (fly-tipping, grass cutting, garden waste);
- bank holidays: the lines close, so a week with a bank holiday has fewer calls and
  the next working day is busier; Easter moves between March and April, so "the same
  week last year" is sometimes the wrong week;
- a one-off surge in spring 2022, when councils paid the Welsh Government's GBP 150
  cost-of-living payment to households in council tax bands A to D;
- week-to-week noise that persists for a few weeks (an AR(1) process on the log scale);
- by hour of the week, calls peak on Monday morning (09:00-11:00) and fall through the
  week; out-of-hours calls are few but take longer to handle.

Counts grow with the council's population and with ``scale``; the weeks, channels and
hours are fixed. Nothing happens on import.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from curriculum.councils import COUNCIL_NAMES, Council

__all__ = ["FILES", "WEEKLY_COLUMNS", "HOURLY_COLUMNS", "FIRST_WEEK", "WEEKS", "CHANNELS", "DAYS",
           "PROFILE_WEEKS", "BANK_HOLIDAYS", "generate"]

FILES: tuple[str, ...] = ("contact_centre_weekly.csv", "contact_centre_hourly.csv")
WEEKLY_COLUMNS: tuple[str, ...] = ("Week Commencing", "Channel", "Contacts Received")
HOURLY_COLUMNS: tuple[str, ...] = ("Day", "Hour", "Calls Offered", "Average Handle Time (s)")
FIRST_WEEK = pd.Timestamp("2021-04-05")  # the first Monday of 2021-22
WEEKS = 208                              # four financial years, 2021-22 to 2024-25
PROFILE_WEEKS = 13                       # the interval report covers the last quarter
CHANNELS: tuple[str, ...] = ("Telephone", "Online form", "Email")
DAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Bank holidays in England and Wales, April 2021 to March 2025 (gov.uk), with the
# substitute days, the Platinum Jubilee, the State Funeral and the Coronation.
BANK_HOLIDAYS = pd.to_datetime([
    "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28",
    "2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29",
    "2022-09-19", "2022-12-26", "2022-12-27",
    "2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28",
    "2023-12-25", "2023-12-26",
    "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25",
    "2024-12-26", "2025-01-01",
])

# Contacts a year per resident at the start (April 2021), and the yearly growth on the log scale.
_PER_RESIDENT = {"Telephone": 0.78, "Online form": 0.34, "Email": 0.14}
_GROWTH = {"Telephone": -0.04, "Online form": 0.12, "Email": -0.06}
_ONLINE_BOOKING = pd.Timestamp("2023-10-02")  # bulky and garden waste bookings move online
_SHIFT = {"Telephone": -0.07, "Online form": 0.10, "Email": 0.0}
# Relative weight of each day of the week (Monday first) by channel.
_DAY_WEIGHT = {"Telephone": np.array([1.25, 1.08, 1.0, 0.97, 0.85, 0.06, 0.05]),
               "Online form": np.array([1.15, 1.05, 1.0, 0.98, 0.92, 0.62, 0.70]),
               "Email": np.array([1.2, 1.05, 1.0, 1.0, 0.95, 0.25, 0.22])}
_NOISE_SD = 0.035  # sd of the weekly AR(1) noise on the log scale
_NOISE_AR = 0.55

# Within-day profile of telephone calls (hours 0-23). Weekdays: the lines open 08:00-18:00,
# the out-of-hours line takes the rest; weekends: out-of-hours only.
_WEEKDAY_HOURS = np.array([0.030, 0.020, 0.015, 0.012, 0.012, 0.015, 0.025, 0.045,
                           0.70, 1.35, 1.30, 1.15, 1.00, 1.00, 1.05, 0.95, 0.80, 0.55,
                           0.090, 0.070, 0.060, 0.050, 0.045, 0.035])
_WEEKEND_HOURS = np.array([0.20, 0.14, 0.10, 0.08, 0.08, 0.08, 0.10, 0.16,
                           0.25, 0.32, 0.36, 0.38, 0.38, 0.37, 0.36, 0.35, 0.34, 0.33,
                           0.32, 0.32, 0.31, 0.30, 0.27, 0.24])
_AHT_OPEN = 330.0   # seconds: average handle time while the lines are open
_AHT_OOH = 440.0    # out-of-hours calls are emergencies and take longer


def _check(council: Council, rng: np.random.Generator, scale: float) -> float:
    if not isinstance(council, Council) or council.name not in COUNCIL_NAMES:
        raise ValueError(f"council must be one of the ten CCR councils (a curriculum.councils.Council), got {council!r}")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    if not (math.isfinite(float(scale)) and scale > 0):
        raise ValueError(f"scale must be a positive finite number, got {scale!r}")
    return float(scale)


def _yearly(days: pd.DatetimeIndex, peak_day: int, amplitude: float) -> np.ndarray:
    """A smooth yearly cycle on the log scale, highest on day of year ``peak_day``."""
    return amplitude * np.cos(2 * np.pi * (days.dayofyear.to_numpy() - peak_day) / 365.25)


def _season(channel: str, days: pd.DatetimeIndex) -> np.ndarray:
    """Log multiplier of each day for the channel: the yearly cycle and dated events."""
    month, day = days.month.to_numpy(), days.day.to_numpy()
    if channel == "Telephone":
        log = _yearly(days, 15, 0.05)
        log += np.where((month == 1) & (day >= 2) & (day <= 31), 0.14, 0.0)          # after Christmas
        log += np.where(((month == 3) & (day >= 8)) | ((month == 4) & (day <= 15)), 0.16, 0.0)  # council tax bills
        log += np.where(month == 8, -0.10, 0.0)
        # The cost-of-living payment, spring 2022: six busy weeks, then a surge that fades by July.
        weeks_in = (days - pd.Timestamp("2022-04-04")).days.to_numpy() / 7.0
        log += 0.28 * np.clip((13.0 - weeks_in) / 7.0, 0.0, 1.0) * (weeks_in >= 0)
    elif channel == "Online form":
        log = _yearly(days, 160, 0.12)
        log += np.where(((month == 3) & (day >= 8)) | ((month == 4) & (day <= 15)), 0.08, 0.0)
    else:
        log = _yearly(days, 20, 0.03)
    christmas = ((month == 12) & (day >= 24)) | ((month == 1) & (day == 1))
    log += np.where(christmas, np.log(0.5 if channel == "Telephone" else 0.7), 0.0)
    return log


def _daily_expected(channel: str, population: float, days: pd.DatetimeIndex) -> np.ndarray:
    years = (days - FIRST_WEEK).days.to_numpy() / 365.25
    log = np.log(_PER_RESIDENT[channel] * population / 365.25) + _GROWTH[channel] * years
    log += np.where(days >= _ONLINE_BOOKING, _SHIFT[channel], 0.0)
    log += _season(channel, days)
    weight = _DAY_WEIGHT[channel][days.dayofweek.to_numpy()]
    weight = weight / _DAY_WEIGHT[channel].mean()
    holiday = days.isin(BANK_HOLIDAYS)  # the lines close: out-of-hours calls only, like a Sunday
    closed = _DAY_WEIGHT[channel][6] / _DAY_WEIGHT[channel].mean() if channel == "Telephone" else 0.6 * weight
    weight = np.where(holiday, closed, weight)
    after = pd.DatetimeIndex(days - pd.Timedelta(days=1)).isin(BANK_HOLIDAYS) & (days.dayofweek < 5)
    weight = np.where(after, weight * (1.3 if channel == "Telephone" else 1.1), weight)
    return np.exp(log) * weight


def _hour_of_week_probabilities() -> np.ndarray:
    """Share of a week's telephone calls in each of the 168 hours (Monday 00:00 first)."""
    day = _DAY_WEIGHT["Telephone"]
    rows = []
    for d in range(7):
        hours = _WEEKDAY_HOURS if d < 5 else _WEEKEND_HOURS
        rows.append(day[d] * hours / hours.sum())
    p = np.concatenate(rows)
    return p / p.sum()


def generate(council: Council, rng: np.random.Generator, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Generate a council's contact-centre demand: weekly contacts by channel and calls by hour.

    Parameters
    ----------
    council : Council
        One of the ten CCR councils; its Census 2021 population sets the volume.
    rng : numpy.random.Generator
        The source of all randomness; the same generator state gives the same files.
    scale : float, default 1.0
        Volume multiplier: the counts grow with it; the 208 weeks, three channels and
        168 hours stay fixed.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"contact_centre_weekly.csv": weekly, "contact_centre_hourly.csv": hourly}``:
        ``weekly`` has the columns of :data:`WEEKLY_COLUMNS`, one row per week and
        channel (dates written dd/mm/yyyy); ``hourly`` has the columns of
        :data:`HOURLY_COLUMNS`, one row per day of the week and hour.

    Raises
    ------
    ValueError
        If ``council`` is not a CCR council or ``scale`` is not a positive number.
    TypeError
        If ``rng`` is not a :class:`numpy.random.Generator`.
    """
    volume = _check(council, rng, scale)
    population = council.population_2021 * volume
    weeks = pd.date_range(FIRST_WEEK, periods=WEEKS, freq="7D")
    days = pd.date_range(FIRST_WEEK, periods=WEEKS * 7, freq="D")
    counts = {}
    for channel in CHANNELS:
        expected = _daily_expected(channel, population, days).reshape(WEEKS, 7).sum(axis=1)
        noise = np.empty(WEEKS)
        noise[0] = rng.normal(0, _NOISE_SD / math.sqrt(1 - _NOISE_AR**2))
        shocks = rng.normal(0, _NOISE_SD, WEEKS)
        for t in range(1, WEEKS):
            noise[t] = _NOISE_AR * noise[t - 1] + shocks[t]
        counts[channel] = rng.poisson(expected * np.exp(noise))
    weekly = pd.DataFrame({
        "Week Commencing": np.repeat(weeks.strftime("%d/%m/%Y"), len(CHANNELS)),
        "Channel": np.tile(CHANNELS, WEEKS),
        "Contacts Received": np.column_stack([counts[c] for c in CHANNELS]).ravel(),
    })

    # The interval report: the last 13 weeks' calls spread over the hours of the week.
    total = int(counts["Telephone"][-PROFILE_WEEKS:].sum())
    calls = rng.multinomial(total, _hour_of_week_probabilities())
    hour = np.tile(np.arange(24), 7)
    open_hours = (np.repeat(np.arange(7), 24) < 5) & (hour >= 8) & (hour < 18)
    aht = np.where(open_hours, _AHT_OPEN, _AHT_OOH)
    aht = aht * np.where(open_hours & (np.repeat(np.arange(7), 24) == 0) & (hour < 12), 1.08, 1.0)  # council tax on Mondays
    sampled = aht * np.exp(rng.normal(0, 0.6, 168) / np.sqrt(np.maximum(calls, 1)))  # an hour's mean of few calls varies more
    hourly = pd.DataFrame({
        "Day": np.repeat(DAYS, 24),
        "Hour": hour,
        "Calls Offered": calls,
        "Average Handle Time (s)": np.where(calls > 0, np.round(sampled), np.nan),
    })
    return {"contact_centre_weekly.csv": weekly[list(WEEKLY_COLUMNS)], "contact_centre_hourly.csv": hourly[list(HOURLY_COLUMNS)]}
