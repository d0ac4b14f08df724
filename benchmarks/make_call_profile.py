"""Derive the demo's call profile (wfm/data/call_profile.csv) from the real Israeli data.

Source: Technion "Anonymous Bank" call-by-call records, January 1999
(Brown, Gans, Mandelbaum, Sakov, Shen, Zeltyn, Zhao 2005, JASA 100(469):36-50; data free for
use with acknowledgement). Run from the repository root:

    python benchmarks/make_call_profile.py [--source .../anonymous_bank_1999/january.txt]

Columns of the CSV (one row per weekday x 15-minute slot, 7 x 96 rows):

- ``weekday``: 0 = Monday ... 6 = Sunday, in the demo centre's Monday-Friday week;
- ``weekday_name``: English name of ``weekday``;
- ``source_weekday``: the Israeli day the shape comes from. The Israeli week runs
  Sunday-Thursday, so Sunday..Thursday map to Monday..Friday, Friday (closes 14:00) to
  Saturday and Saturday (opens ~20:00) to Sunday;
- ``slot_start``: HH:MM, start of the 15-minute slot (local time);
- ``share_of_day``: share of the day's agent-seeking arrivals in the slot (sums to 1 per
  weekday). Working days are shrunk half-way towards the pooled working-day shape, since
  January holds only four or five of each weekday;
- ``day_factor``: the weekday's daily volume relative to the mean working day (Mon-Fri = 1 on
  average);
- ``aht_relative``: mean talk time (served calls, <= 1 h) in the slot's hour relative to the
  volume-weighted daily mean (hours with fewer than 100 served calls are shrunk towards 1).

The Israeli centre is closed 00:00-07:00, so night slots are 0: a 24-hour demo centre adds its
own night floor, rescales volumes and adds holidays and noise.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.calls.formats import SERVICE_OUTLIER_SECONDS, read_call_records

DEFAULT_SOURCE = Path("/work/shared/data/real/anonymous_bank_1999/january.txt")
OUTPUT = Path(__file__).resolve().parent.parent / "wfm" / "data" / "call_profile.csv"
SLOT_MINUTES = 15
SHRINK_TO_POOLED = 0.5
AHT_SHRINK_CALLS = 100.0
NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _target_weekday(israeli_weekday: int) -> int:
    # Israeli Sunday (6) -> Monday (0), Monday (0) -> Tuesday (1), ..., Saturday (5) -> Sunday (6)
    return (israeli_weekday + 1) % 7


def build_profile(source: Path) -> pd.DataFrame:
    records = read_call_records(source)
    calls = records[records["agent_seeking"]]
    slots = (calls["arrival_at"].dt.hour * 60 + calls["arrival_at"].dt.minute) // SLOT_MINUTES
    weekday = calls["arrival_at"].dt.day_of_week.map(_target_weekday)
    counts = (
        pd.crosstab(weekday, slots)
        .reindex(index=range(7), columns=range(1440 // SLOT_MINUTES), fill_value=0)
        .to_numpy(dtype=float)
    )
    days_per_weekday = (
        calls.assign(w=weekday, d=calls["arrival_at"].dt.date)
        .groupby("w")["d"]
        .nunique()
        .reindex(range(7), fill_value=1)
        .to_numpy(dtype=float)
    )
    shares = counts / counts.sum(axis=1, keepdims=True)
    pooled = counts[:5].sum(axis=0) / counts[:5].sum()
    shares[:5] = (1 - SHRINK_TO_POOLED) * shares[:5] + SHRINK_TO_POOLED * pooled
    daily = counts.sum(axis=1) / days_per_weekday
    day_factor = daily / daily[:5].mean()

    served = records[records["served"] & (records["ser_time"] <= SERVICE_OUTLIER_SECONDS)]
    hour = served["service_start_at"].dt.hour
    by_hour = served.groupby(hour)["ser_time"].agg(["sum", "count"]).reindex(range(24))
    mean_all = served["ser_time"].mean()
    n = by_hour["count"].fillna(0.0).to_numpy()
    hourly = (by_hour["sum"].fillna(0.0).to_numpy() + AHT_SHRINK_CALLS * mean_all) / (
        n + AHT_SHRINK_CALLS
    )
    aht_relative = hourly / mean_all

    rows = []
    for wd in range(7):
        for slot in range(1440 // SLOT_MINUTES):
            minute = slot * SLOT_MINUTES
            rows.append(
                {
                    "weekday": wd,
                    "weekday_name": NAMES[wd],
                    "source_weekday": NAMES[(wd - 1) % 7],
                    "slot_start": f"{minute // 60:02d}:{minute % 60:02d}",
                    "share_of_day": round(float(shares[wd, slot]), 6),
                    "day_factor": round(float(day_factor[wd]), 4),
                    "aht_relative": round(float(aht_relative[minute // 60]), 4),
                }
            )
    frame = pd.DataFrame(rows)
    # Rounding must not break "shares sum to 1": put the residue on each day's largest slot.
    shares = frame["share_of_day"].to_numpy(dtype=float, copy=True)
    weekdays = frame["weekday"].to_numpy()
    for wd in range(7):
        day = np.flatnonzero(weekdays == wd)
        top = day[np.argmax(shares[day])]
        shares[top] = round(shares[top] + 1.0 - shares[day].sum(), 6)
    frame["share_of_day"] = shares
    assert np.allclose(frame.groupby("weekday")["share_of_day"].sum(), 1.0, atol=1e-6)
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    frame = build_profile(args.source)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(args.output, index=False)
    print(f"wrote {args.output} ({len(frame)} rows, {args.output.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
