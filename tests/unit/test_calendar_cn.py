"""China's public holidays and make-up working days (调休), and other countries' day types."""

from __future__ import annotations

import datetime as dt

import pytest

from wfm.calendar_cn import CN_MAKEUP_WORKDAYS, WorkCalendar, day_type

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Spring Festival 2025: 28 Jan - 4 Feb off; Sun 26 Jan and Sat 8 Feb are working days.
        ("2025-01-26", "workday"),
        ("2025-01-27", "workday"),
        ("2025-01-28", "holiday"),
        ("2025-01-29", "holiday"),
        ("2025-02-01", "weekend"),
        ("2025-02-03", "holiday"),
        ("2025-02-04", "holiday"),
        ("2025-02-05", "workday"),
        ("2025-02-08", "workday"),
        ("2025-02-09", "weekend"),
        # Spring Festival 2026: 15-23 Feb off; Sat 14 Feb and Sat 28 Feb are working days.
        ("2026-02-14", "workday"),
        ("2026-02-16", "holiday"),
        ("2026-02-17", "holiday"),
        ("2026-02-20", "holiday"),
        ("2026-02-23", "holiday"),
        ("2026-02-24", "workday"),
        ("2026-02-28", "workday"),
        # National Day 2025 and an ordinary weekend.
        ("2025-10-01", "holiday"),
        ("2025-10-08", "holiday"),
        ("2025-10-11", "workday"),
        ("2025-03-08", "weekend"),
    ],
)
def test_china_day_types(day: str, expected: str) -> None:
    assert day_type(D(day)) == expected


def test_makeup_days_from_holidays_match_the_documented_table() -> None:
    cal = WorkCalendar("CN")
    for year, days in CN_MAKEUP_WORKDAYS.items():
        assert cal.makeup_workdays(year) == frozenset(days), year
        assert all(d.weekday() >= 5 for d in days)


def test_holiday_break_covers_the_weekend_inside_spring_festival() -> None:
    cal = WorkCalendar("CN")
    assert cal.day_type(D("2026-02-21")) == "weekend"
    assert cal.in_holiday_break(D("2026-02-21"))
    assert not cal.in_holiday_break(D("2026-03-07"))
    assert not cal.in_holiday_break(D("2026-02-14"))


def test_extra_days_for_unpublished_years() -> None:
    cal = WorkCalendar("CN", extra_workdays=[D("2027-02-20")], extra_holidays=[D("2027-02-12")])
    assert cal.day_type(D("2027-02-20")) == "workday"
    assert cal.day_type(D("2027-02-12")) == "holiday"


def test_other_countries() -> None:
    assert day_type(D("1999-04-01"), "IL") == "holiday"  # Pesach
    assert day_type(D("1999-01-08"), "IL") == "weekend"  # Friday
    assert day_type(D("1999-01-10"), "IL") == "workday"  # Sunday
    assert day_type(D("2003-07-04"), "US") == "holiday"
    assert day_type(D("2003-07-05"), "US") == "weekend"
