"""The frozen roster problem the solver takes in: people, shift types, a calendar, a requirement.

Pure data: the database layer (or a problem file, `solver.io`) builds one; the solver never
looks anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from rules.policy import Policy, default_policy
from rules.snapshot import Assignment, Person, Preference, RosterSnapshot, ShiftType


@dataclass(frozen=True, eq=False)
class RosterProblem:
    """One roster period (usually a month) for one or more teams of a centre.

    requirement      agents required per (day, interval index); intervals of
                     `policy.service.interval_minutes`; missing = 0 (S1's floor still applies)
    leave            (person key, day) with approved leave (R3)
    holidays         public holidays (R7 holiday duty)
    workdays         make-up working days: weekend days that count as weekdays (R7)
    preferences      requested days off and preferred shifts (R8)
    previous         the previous period's last days' assignments (R1, R4, R10, coverage)
    fixed            person-days pinned to a shift code, or to a day off (None)
    external_coverage agents of other teams already on duty per (day, interval index)
    enforce_min_staff S1 as a hard floor (else only part of R9's soft requirement)
    """

    start: date
    end: date
    people: tuple[Person, ...]
    shift_types: tuple[ShiftType, ...]
    requirement: Mapping[tuple[date, int], int] = field(default_factory=dict)
    policy: Policy = field(default_factory=default_policy)
    leave: frozenset[tuple[str, date]] = frozenset()
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    preferences: tuple[Preference, ...] = ()
    previous: tuple[Assignment, ...] = ()
    fixed: Mapping[tuple[str, date], str | None] = field(default_factory=dict)
    external_coverage: Mapping[tuple[date, int], int] = field(default_factory=dict)
    enforce_min_staff: bool = True
    name: str = ""

    @property
    def interval_minutes(self) -> int:
        return self.policy.service.interval_minutes

    @property
    def intervals_per_day(self) -> int:
        return 24 * 60 // self.interval_minutes

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def person(self, key: str) -> Person:
        for p in self.people:
            if p.key == key:
                return p
        raise KeyError(key)

    def teams(self) -> dict[str, list[Person]]:
        out: dict[str, list[Person]] = {}
        for p in self.people:
            out.setdefault(p.team, []).append(p)
        return out

    def replace(self, **changes: Any) -> RosterProblem:
        return replace(self, **changes)

    def subproblem(self, keys: Iterable[str], **changes: Any) -> RosterProblem:
        """The same problem restricted to some people (their leave, preferences, history)."""
        keep = set(keys)
        fields: dict[str, Any] = {
            "people": tuple(p for p in self.people if p.key in keep),
            "leave": frozenset(x for x in self.leave if x[0] in keep),
            "preferences": tuple(x for x in self.preferences if x.person in keep),
            "previous": tuple(a for a in self.previous if a.person in keep),
            "fixed": {k: v for k, v in self.fixed.items() if k[0] in keep},
        }
        fields.update(changes)
        return replace(self, **fields)

    def snapshot(self, assignments: Iterable[Assignment]) -> RosterSnapshot:
        """The checkers' view of a roster for this problem."""
        return RosterSnapshot(
            start=self.start,
            end=self.end,
            people=self.people,
            shift_types=self.shift_types,
            assignments=tuple(assignments),
            leave=self.leave,
            holidays=self.holidays,
            workdays=self.workdays,
            preferences=self.preferences,
            interval_minutes=self.interval_minutes,
            requirement=dict(self.requirement),
            previous=self.previous,
            external_coverage=dict(self.external_coverage),
            enforce_min_staff=self.enforce_min_staff,
        )
