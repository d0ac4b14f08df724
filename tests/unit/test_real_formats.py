"""The three real data sets load into the common interval frame with the expected spans."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import shared_path
from wfm.calls.formats import detect_format, load_calls, read_call_records

US = ("data", "real", "us_bank_2003", "bank_calls.csv")
IL6 = ("data", "real", "anonymous_bank_1999_6min", "callcenter_6min_1999.csv")
ILC = ("data", "real", "anonymous_bank_1999", "january.txt")


@pytest.mark.parametrize(
    ("parts", "name"), [(US, "us_bank_2003"), (IL6, "israel_6min"), (ILC, "israel_calls")]
)
def test_detect_format(parts: tuple[str, ...], name: str) -> None:
    assert detect_format(shared_path(*parts)) == name


def test_us_bank() -> None:
    frame = load_calls(shared_path(*US))
    assert len(frame) == 21_294  # 126 weekdays x 169 five-minute slots
    assert frame["interval_start"].min() == dt.datetime(2003, 3, 3, 7, 0)
    assert frame["interval_start"].max() == dt.datetime(2003, 8, 29, 21, 0)
    days = frame["interval_start"].dt.normalize().drop_duplicates()
    assert len(days) == 126 and (days.dt.day_of_week < 5).all()
    assert dt.datetime(2003, 7, 4) not in set(days)
    assert (frame["interval_minutes"] == 5).all()
    assert (frame["offered"] == frame["handled"]).all()


def test_israel_6min_drops_the_imputed_day() -> None:
    frame = load_calls(shared_path(*IL6))
    assert len(frame) == 242 * 240
    days = set(frame["interval_start"].dt.date)
    assert dt.date(1999, 5, 23) not in days and len(days) == 242
    assert (frame["offered"] == frame["offered"].round()).all()
    assert (frame["interval_minutes"] == 6).all()


def test_israel_call_records_follow_source_counts() -> None:
    records = read_call_records(shared_path(*ILC))
    assert len(records) == 31_599
    assert records["outcome"].value_counts().to_dict() == {
        "AGENT": 27_060,
        "HANG": 4_299,
        "PHANTOM": 240,
    }
    # Midnight wrap: no arrival lies before its VRU entry.
    seek = records[records["agent_seeking"]]
    assert (seek["arrival_at"] >= seek["vru_entry_at"]).all()


@pytest.mark.parametrize("minutes", [30, 15])
def test_israel_calls_aggregate(minutes: int) -> None:
    frame = load_calls(shared_path(*ILC), interval_minutes=minutes)
    days = set(frame["interval_start"].dt.date)
    assert len(days) == 29 and dt.date(1999, 1, 11) not in days
    assert len(frame) == 29 * 1440 // minutes
    # Every agent-seeking call is handled or abandoned; a call after the last midnight is cut.
    assert 30_150 <= frame["offered"].sum() <= 30_161
    assert (frame["handled"] + frame["abandoned"] == frame["offered"]).all()
    aht = frame["aht_seconds"].dropna()
    assert 120 < aht.median() < 260 and aht.max() <= 3600
