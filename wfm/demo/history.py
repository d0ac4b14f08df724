"""Synthetic call history for the demo, shaped by a profile derived from real call-centre data.

The weekly and daily shape comes from `wfm/data/call_profile.csv` (derived from the Technion
"Anonymous Bank" data by `benchmarks/make_call_profile.py`; shipped so nothing reads ../shared
at run time). It is rescaled to a Chinese hotline's volume, with public holidays, make-up
working days, a slow trend and Poisson noise.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from wfm.calendar_cn import WorkCalendar

SLOTS_PER_DAY = 96  # 15-minute intervals


@lru_cache(maxsize=1)
def load_profile() -> pd.DataFrame:
    with resources.files("wfm").joinpath("data/call_profile.csv").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, comment="#")


def weekly_shape(
    night_floor: float = 0.08, weekend_floor: float = 0.65
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(intraday shares [7, 96] each row summing to 1, weekday volume factors [7] with mean 1 over
    Mon-Fri, relative AHT by hour [24] with mean 1).

    The source bank closed at night; a 24-hour hotline still gets calls then, so a uniform
    `night_floor` share of each day's volume is spread over all intervals.
    """
    prof = load_profile()
    minute = prof["slot_start"].map(lambda t: int(t[:2]) * 60 + int(t[3:5]))
    shares = np.zeros((7, SLOTS_PER_DAY))
    shares[prof["weekday"].to_numpy(int), (minute // 15).to_numpy(int)] = prof[
        "share_of_day"
    ].to_numpy(float)
    shares = shares / np.maximum(shares.sum(axis=1, keepdims=True), 1e-12)
    # The source bank closed on Friday afternoon and reopened on Saturday night, so its weekend
    # days have no daytime shape; a hotline's weekend follows the working-day curve.
    shares[5:] = shares[:5].mean(axis=0)
    intraday = (1 - night_floor) * shares + night_floor / SLOTS_PER_DAY
    factors = prof.groupby("weekday")["day_factor"].first().reindex(range(7)).to_numpy(float)
    factors = factors / factors[:5].mean()
    # The source bank closed on Friday afternoon and Saturday; a Chinese hotline stays open, its
    # weekend running at about two thirds of a weekday.
    factors[5:] = np.maximum(factors[5:], weekend_floor)
    aht = prof.groupby(minute // 60)["aht_relative"].mean().reindex(range(24)).to_numpy(float)
    aht = np.nan_to_num(aht, nan=1.0)
    return intraday, factors, aht / aht.mean()


def synthesise(
    rng: np.random.Generator,
    first: date,
    days: int,
    calendar: WorkCalendar,
    *,
    weekday_calls: float = 2200.0,
    base_aht: float = 290.0,
    weekly_growth: float = 0.004,
    holiday_factor: float = 0.6,
) -> pd.DataFrame:
    """15-minute intervals: offered (Poisson), handled, abandoned, AHT (seconds)."""
    intraday, factors, aht_hour = weekly_shape()
    rows = []
    for i in range(days):
        day = first + timedelta(days=i)
        kind = calendar.day_type(day)
        wd = day.weekday()
        if kind == "workday" and wd >= 5:
            wd = 2  # make-up working day: a midweek day's volume and shape
        level = weekday_calls * factors[wd] * (1 + weekly_growth) ** (i / 7)
        if kind == "holiday":
            level *= holiday_factor
            wd = 6
        level *= rng.lognormal(0.0, 0.05)  # day-to-day variation beyond Poisson
        mean = level * intraday[wd]
        offered = rng.poisson(mean)
        abandon_p = np.clip(
            0.03 + 0.04 * (mean / max(mean.max(), 1)) + rng.normal(0, 0.01, SLOTS_PER_DAY), 0, 0.2
        )
        abandoned = rng.binomial(offered, abandon_p)
        aht = base_aht * np.repeat(aht_hour, 4) * rng.lognormal(0.0, 0.04, SLOTS_PER_DAY)
        start = datetime.combine(day, datetime.min.time())
        for s in range(SLOTS_PER_DAY):
            rows.append(
                (
                    start + timedelta(minutes=15 * s),
                    15,
                    float(offered[s]),
                    float(offered[s] - abandoned[s]),
                    float(abandoned[s]),
                    round(float(aht[s]), 1) if offered[s] else None,
                )
            )
    return pd.DataFrame(
        rows,
        columns=[
            "interval_start",
            "interval_minutes",
            "offered",
            "handled",
            "abandoned",
            "aht_seconds",
        ],
    )
