"""Working calendar: public holidays, make-up working days (调休) and weekends.

China moves weekends around its public holidays: the State Council's yearly notice turns some
Saturdays/Sundays into working days (调休上班) to lengthen the holiday. The `holidays` package
(>= 0.50) has no "workday" category for China, but it labels each substituted day off
"休息日（由 YYYY-MM-DD 调休）" ("day off, substituted from ..."), whose date is the make-up
working day. We read the make-up days from those labels, and fall back on a small table that
was checked against the State Council notices for 2024-2026. Years whose notice is not yet
in `holidays` (e.g. 2027 before late 2026) get the package's rule-based dates and no make-up
days: pass `extra_holidays` / `extra_workdays` when the notice is out.

Other countries (IL and US for the real data sets) come from `holidays` as well, with their
own weekend (Friday-Saturday in Israel).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

import holidays

DayType = Literal["workday", "weekend", "holiday"]
DAY_TYPES: tuple[DayType, ...] = ("workday", "weekend", "holiday")

# Weekend weekdays per country (Monday = 0). Israel rests Friday-Saturday.
WEEKENDS: dict[str, tuple[int, ...]] = {"IL": (4, 5)}
DEFAULT_WEEKEND = (5, 6)

# Make-up working days (调休上班) from the State Council notices, used when the `holidays`
# labels do not provide them (older package versions). Keep in step with gov.cn notices:
# 2024: 国办发明电〔2023〕7号; 2025: 国办发明电〔2024〕12号; 2026: notice of Nov 2025.
CN_MAKEUP_WORKDAYS: dict[int, tuple[dt.date, ...]] = {
    2024: tuple(
        dt.date.fromisoformat(s)
        for s in (
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-04-28",
            "2024-05-11",
            "2024-09-14",
            "2024-09-29",
            "2024-10-12",
        )
    ),  # fmt: skip
    2025: tuple(
        dt.date.fromisoformat(s)
        for s in ("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")
    ),
    2026: tuple(
        dt.date.fromisoformat(s)
        for s in (
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        )
    ),  # fmt: skip
}

_SUBSTITUTED = re.compile(r"(\d{4}-\d{2}-\d{2})")


@lru_cache(maxsize=64)
def _year_holidays(country: str, year: int) -> tuple[tuple[dt.date, str], ...]:
    language = "zh_CN" if country == "CN" else None
    table = holidays.country_holidays(country, years=year, language=language)
    return tuple(sorted(table.items()))


def _makeup_from_labels(entries: Iterable[tuple[dt.date, str]]) -> set[dt.date]:
    days: set[dt.date] = set()
    for _, name in entries:
        if "调休" in name:
            days.update(dt.date.fromisoformat(m) for m in _SUBSTITUTED.findall(name))
    return days


class WorkCalendar:
    """Day types for one country, computed per year on demand (nothing happens at import)."""

    def __init__(
        self,
        country: str = "CN",
        *,
        extra_holidays: Iterable[dt.date] = (),
        extra_workdays: Iterable[dt.date] = (),
        weekend: tuple[int, ...] | None = None,
    ) -> None:
        self.country = country.upper()
        self.weekend = (
            weekend if weekend is not None else WEEKENDS.get(self.country, DEFAULT_WEEKEND)
        )
        self._extra_holidays = frozenset(extra_holidays)
        self._extra_workdays = frozenset(extra_workdays)
        # Per-year caches: day_type is called for every day of a forecast or roster.
        self._holiday_cache: dict[int, dict[dt.date, str]] = {}
        self._makeup_cache: dict[int, frozenset[dt.date]] = {}

    def holidays_in(self, year: int) -> dict[dt.date, str]:
        """Public holidays (days off) of `year` with their names."""
        if year in self._holiday_cache:
            return self._holiday_cache[year]
        out = {d: n for d, n in _year_holidays(self.country, year) if d.year == year}
        out.update({d: "holiday" for d in self._extra_holidays if d.year == year})
        for d in self.makeup_workdays(year):
            out.pop(d, None)
        self._holiday_cache[year] = out
        return out

    def makeup_workdays(self, year: int) -> frozenset[dt.date]:
        """Weekend days that are working days by decree (China's 调休上班)."""
        if year in self._makeup_cache:
            return self._makeup_cache[year]
        days: set[dt.date] = set()
        if self.country == "CN":
            # A make-up day of early January can be announced with the previous year's holidays.
            for y in (year, year + 1):
                days |= _makeup_from_labels(_year_holidays("CN", y))
            if not {d for d in days if d.year == year}:
                days |= set(CN_MAKEUP_WORKDAYS.get(year, ()))
        days |= self._extra_workdays
        self._makeup_cache[year] = frozenset(d for d in days if d.year == year)
        return self._makeup_cache[year]

    def holiday_name(self, day: dt.date) -> str | None:
        return self.holidays_in(day.year).get(day)

    def is_makeup_workday(self, day: dt.date) -> bool:
        return day in self.makeup_workdays(day.year)

    def day_type(self, day: dt.date) -> DayType:
        """ "holiday" for public holidays, "workday" for make-up days, else by the weekend."""
        if isinstance(day, dt.datetime):
            day = day.date()
        if day in self.makeup_workdays(day.year):
            return "workday"
        if day in self.holidays_in(day.year):
            return "holiday"
        return "weekend" if day.weekday() in self.weekend else "workday"

    def is_working_day(self, day: dt.date) -> bool:
        return self.day_type(day) == "workday"

    def in_holiday_break(self, day: dt.date) -> bool:
        """True for a day off inside a run of days off that contains a public holiday.

        The weekend inside China's Spring Festival break (e.g. 2026-02-21/22) is legally a rest
        day, not a holiday, but callers behave as on the holidays around it; the forecast uses
        this, while pay and swap rules use `day_type`.
        """
        if self.is_working_day(day):
            return False
        for step in (-1, 1):
            cur = day
            while not self.is_working_day(cur):
                if self.day_type(cur) == "holiday":
                    return True
                cur += dt.timedelta(days=step)
        return False


@lru_cache(maxsize=8)
def get_calendar(country: str = "CN") -> WorkCalendar:
    """A shared calendar per country (no extras)."""
    return WorkCalendar(country)


def day_type(day: dt.date, country: str = "CN") -> DayType:
    """ "workday", "weekend" or "holiday" for `day` in `country` (default China)."""
    return get_calendar(country).day_type(day)
