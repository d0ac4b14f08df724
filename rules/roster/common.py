"""Definitions every roster rule shares, used by the checkers here and the solver's encoders.

Keeping them in one place is what makes checker and encoder agree: what counts as a night, which
intervals a shift covers, how long the rest between two shifts is, what a person's monthly
contract is. Times are minutes from midnight of a shift's start day.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from rules.policy import Policy
from rules.snapshot import Assignment, Person, RosterSnapshot, ShiftType

DAY_MINUTES = 24 * 60


@lru_cache(maxsize=4096)
def shift_slots(shift: ShiftType, interval_minutes: int) -> tuple[tuple[int, int], ...]:
    """Intervals fully covered by a shift: (day offset from its start day, interval index).

    A night shift running past midnight covers intervals of the next day (offset 1).
    """
    per_day = DAY_MINUTES // interval_minutes
    first = math.ceil(shift.start_minute / interval_minutes)
    last = shift.end_minute // interval_minutes  # exclusive
    return tuple((g // per_day, g % per_day) for g in range(first, last))


def rest_gap_minutes(a_day: date, a: ShiftType, b_day: date, b: ShiftType) -> int:
    """Minutes from the end of shift `a` to the start of shift `b` (negative if they overlap)."""
    return (b_day - a_day).days * DAY_MINUTES + b.start_minute - a.end_minute


def is_night_shift(shift: ShiftType, policy: Policy) -> bool:
    """R6: flagged as night, or covering any minute of the night window (22:00-06:00)."""
    if shift.is_night:
        return True
    start_h, end_h = policy.roster.night_start_hour, policy.roster.night_end_hour
    length = ((end_h - start_h) % 24) * 60
    if length == 0:
        return False
    for day_offset in (-1, 0, 1):
        window_start = day_offset * DAY_MINUTES + start_h * 60
        if shift.start_minute < window_start + length and window_start < shift.end_minute:
            return True
    return False


def paid_minutes(shift: ShiftType, policy: Policy) -> int:
    """R5 + R10: the shift's length plus the paid roll call before it."""
    return shift.length_minutes + policy.roster.roll_call_minutes


def contract_minutes(person: Person, n_days: int, leave_days: int) -> int:
    """R5: the person's contract for the period, pro rata; a leave day counts as a paid workday.

    (reading) contract hours per week x days / 7, minus one fifth of a week per leave day.
    """
    per_week = person.contract_hours_per_week * 60
    return max(0, round(per_week * n_days / 7 - per_week * leave_days / 5))


def max_paid_minutes(person: Person, n_days: int, leave_days: int, policy: Policy) -> int:
    """R5 hard cap: contract plus the monthly overtime cap."""
    overtime = round(policy.roster.max_overtime_hours_per_month * 60)
    return contract_minutes(person, n_days, leave_days) + overtime


def under_contract_hours(contract: int, paid: int) -> int:
    """R5 soft: whole hours (rounded up) below contract."""
    return math.ceil(max(0, contract - paid) / 60)


def calendar_weeks(days: list[date]) -> list[list[date]]:
    """R4: the period's days grouped into calendar weeks Monday-Sunday (edges may be partial)."""
    if days and (days[-1] - days[0]).days == len(days) - 1 and days == sorted(days):
        return [list(week) for week in _weeks_of_period(days[0], days[-1])]
    weeks: dict[date, list[date]] = defaultdict(list)
    for d in days:
        weeks[d - timedelta(days=d.weekday())].append(d)
    return [weeks[k] for k in sorted(weeks)]


@lru_cache(maxsize=64)
def _weeks_of_period(first: date, last: date) -> tuple[tuple[date, ...], ...]:
    """`calendar_weeks` of a run of consecutive days (checkers ask it for every person)."""
    weeks: dict[date, list[date]] = defaultdict(list)
    d = first
    while d <= last:
        weeks[d - timedelta(days=d.weekday())].append(d)
        d += timedelta(days=1)
    return tuple(tuple(weeks[k]) for k in sorted(weeks))


def weekly_days_off(n_days_in_week: int, policy: Policy) -> int:
    """R4: days off owed in a (possibly partial) week: pro rata, rounded down.

    A partial week at the period's edge owes floor(min_days_off x days / 7); the
    max-consecutive-days limit (which sees the previous period) covers the boundary.
    """
    return (policy.roster.min_days_off_per_week * n_days_in_week) // 7


def minute_label(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def slot_label(day: date, index: int, interval_minutes: int) -> str:
    start = index * interval_minutes
    return f"{day.isoformat()} {minute_label(start)}–{minute_label(start + interval_minutes)}"


@lru_cache(maxsize=256)
def inherited_slots(
    start: date, shift_types: tuple[ShiftType, ...], interval_minutes: int
) -> frozenset[tuple[date, int]]:
    """Intervals of the period's first day that only a shift started the day before can cover
    (the small hours after the previous month's last night shift). They are the previous
    roster's duty: S1 cannot bind this roster there, whatever this roster does."""
    own = {idx for s in shift_types for off, idx in shift_slots(s, interval_minutes) if off == 0}
    night = {idx for s in shift_types for off, idx in shift_slots(s, interval_minutes) if off == 1}
    return frozenset((start, idx) for idx in night - own)


def min_staff_at(
    start: date,
    shift_types: tuple[ShiftType, ...],
    interval_minutes: int,
    policy: Policy,
    day: date,
    index: int,
) -> int:
    """S1's floor for one interval: min_staff_per_interval, except where this roster cannot
    reach (see inherited_slots)."""
    if (day, index) in inherited_slots(start, tuple(shift_types), interval_minutes):
        return 0
    return policy.service.min_staff_per_interval


def min_staff_by_slot(
    start: date,
    shift_types: tuple[ShiftType, ...],
    interval_minutes: int,
    policy: Policy,
    days: list[date],
) -> dict[tuple[date, int], int]:
    """`min_staff_at` for every interval of the days (what a model builder asks 1,000s of times)."""
    inherited = inherited_slots(start, tuple(shift_types), interval_minutes)
    floor = policy.service.min_staff_per_interval
    return {
        (day, k): 0 if (day, k) in inherited else floor
        for day in days
        for k in range(24 * 60 // interval_minutes)
    }


def required_at(snapshot: RosterSnapshot, policy: Policy, day: date, index: int) -> int:
    """R9 + S1: the requirement of one interval, never below min_staff_per_interval."""
    return max(snapshot.requirement.get((day, index), 0), policy.service.min_staff_per_interval)


@dataclass
class RosterContext:
    """A snapshot indexed once for all checkers (by person, by code, days)."""

    snapshot: RosterSnapshot
    policy: Policy
    days: list[date] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    shifts: dict[str, ShiftType] = field(default_factory=dict)
    by_person: dict[str, list[Assignment]] = field(default_factory=dict)
    previous_by_person: dict[str, list[Assignment]] = field(default_factory=dict)
    leave_days: dict[str, set[date]] = field(default_factory=dict)

    @classmethod
    def build(cls, snapshot: RosterSnapshot, policy: Policy) -> RosterContext:
        ctx = cls(snapshot=snapshot, policy=policy, days=snapshot.days())
        ctx.people = {p.key: p for p in snapshot.people}
        ctx.shifts = {s.code: s for s in snapshot.shift_types}
        for p in snapshot.people:
            ctx.by_person[p.key] = []
            ctx.previous_by_person[p.key] = []
            ctx.leave_days[p.key] = set()
        for a in snapshot.assignments:
            ctx._known(a)
            if snapshot.start <= a.day <= snapshot.end:
                ctx.by_person[a.person].append(a)
        for a in snapshot.previous:
            ctx._known(a)
            if a.day < snapshot.start:
                ctx.previous_by_person[a.person].append(a)
        for key, day in snapshot.leave:
            if key in ctx.leave_days and snapshot.start <= day <= snapshot.end:
                ctx.leave_days[key].add(day)
        for lst in (*ctx.by_person.values(), *ctx.previous_by_person.values()):
            lst.sort(key=lambda a: (a.day, ctx.shifts[a.shift].start_minute))
        return ctx

    def _known(self, a: Assignment) -> None:
        if a.person not in self.people:
            raise ValueError(f"assignment for unknown person {a.person!r}")
        if a.shift not in self.shifts:
            raise ValueError(f"{a.person} on {a.day}: unknown shift type {a.shift!r}")

    def name(self, key: str) -> str:
        return self.people[key].name or key

    def shift(self, a: Assignment) -> ShiftType:
        return self.shifts[a.shift]

    def timeline(self, key: str) -> list[Assignment]:
        """Previous-period and period assignments of one person, in time order."""
        return self.previous_by_person[key] + self.by_person[key]

    def is_lead(self, key: str) -> bool:
        return self.people[key].can_lead(self.policy.roster.senior_grade)

    def teams(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for p in self.snapshot.people:
            out[p.team].append(p.key)
        return dict(out)

    def in_period(self, day: date) -> bool:
        return self.snapshot.start <= day <= self.snapshot.end
