"""A roster as the checkers see it: plain frozen data, no database, no solver.

The solver builds one from its solution, the swap and leave services build one from the
database; both hand it to the same checkers in `rules/`, so a rule is judged one way only.
Times are minutes from midnight of the shift's start day; a shift may run past midnight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta


@dataclass(frozen=True, slots=True)
class ShiftType:
    code: str  # short code shown in grids, e.g. "D08"
    start_minute: int  # minutes after midnight, 0..1439
    length_minutes: int  # paid on-phone length, without the R10 roll call
    is_night: bool = False
    required_skills: frozenset[str] = frozenset()
    name: str = ""

    @property
    def end_minute(self) -> int:
        """End in minutes from the start day's midnight (may exceed 1440)."""
        return self.start_minute + self.length_minutes

    def start_on(self, day: date) -> datetime:
        return datetime.combine(day, datetime.min.time()) + timedelta(minutes=self.start_minute)

    def end_on(self, day: date) -> datetime:
        return self.start_on(day) + timedelta(minutes=self.length_minutes)


@dataclass(frozen=True, slots=True)
class Person:
    key: str  # stable id (database id as text, or a problem-file id)
    name: str
    grade: str  # "junior" | "intermediate" | "senior"
    team: str
    is_team_lead: bool = False
    skills: frozenset[str] = frozenset()
    contract_hours_per_week: float = 40.0

    def can_lead(self, senior_grade: str = "senior") -> bool:
        """R2: a senior or the team lead can act as shift lead."""
        return self.is_team_lead or self.grade == senior_grade


@dataclass(frozen=True, slots=True)
class Assignment:
    person: str  # Person.key
    day: date  # the day the shift starts
    shift: str  # ShiftType.code


@dataclass(frozen=True, slots=True)
class Preference:
    person: str
    day: date
    kind: str  # "day_off" | "shift"
    shift: str | None = None  # for kind == "shift": the preferred shift code
    weight: int = 1


@dataclass(frozen=True)
class RosterSnapshot:
    """Everything a checker needs to judge one team's roster over a period."""

    start: date
    end: date  # inclusive
    people: tuple[Person, ...]
    shift_types: tuple[ShiftType, ...]
    assignments: tuple[Assignment, ...]
    leave: frozenset[tuple[str, date]] = frozenset()  # (person key, day) with approved leave
    holidays: frozenset[date] = frozenset()  # public holidays
    workdays: frozenset[date] = frozenset()  # make-up working days (weekend days worked)
    preferences: tuple[Preference, ...] = ()
    interval_minutes: int = 30
    # requirement[(day, interval index)] = agents required; intervals are of `interval_minutes`
    requirement: dict[tuple[date, int], int] = field(default_factory=dict)
    # The previous period's last assignments (days before `start`): R1, R4 and R10 hold across
    # the boundary, and a night shift of the last previous day covers this period's first hours.
    previous: tuple[Assignment, ...] = ()
    # Agents outside `people` already scheduled per (day, interval) (other teams of the centre):
    # they count towards R9 coverage and S1 but not towards R2, which is per team.
    external_coverage: dict[tuple[date, int], int] = field(default_factory=dict)
    # S1 as a hard floor: every interval has at least `min_staff_per_interval` agents.
    enforce_min_staff: bool = True

    def days(self) -> list[date]:
        n = (self.end - self.start).days + 1
        return [self.start + timedelta(days=i) for i in range(n)]

    def person(self, key: str) -> Person:
        for p in self.people:
            if p.key == key:
                return p
        raise KeyError(key)

    def shift_type(self, code: str) -> ShiftType:
        for s in self.shift_types:
            if s.code == code:
                return s
        raise KeyError(code)

    def is_weekend(self, day: date) -> bool:
        return day.weekday() >= 5 and day not in self.workdays

    def assignments_of(self, key: str) -> list[Assignment]:
        """One person's assignments in the period, by day."""
        return sorted((a for a in self.assignments if a.person == key), key=lambda a: a.day)
