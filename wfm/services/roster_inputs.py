"""Reading what a roster is built from out of the database, as the solver's plain data.

People become `rules.snapshot.Person`, shift types `ShiftType`, approved leave a set of
(person, day), the queue's requirement the team's share of it per interval. The solver and the
checkers never see ORM objects.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rules.snapshot import Assignment, Person, Preference, ShiftType
from wfm.models import (
    CalendarDay,
    LeaveRequest,
    PersonSkill,
    RequestStatus,
    Requirement,
    Role,
    Roster,
    RosterAssignment,
    RosterStatus,
    ShiftSkill,
    Team,
)
from wfm.models import (
    Person as PersonRow,
)
from wfm.models import (
    Preference as PreferenceRow,
)
from wfm.models import (
    ShiftType as ShiftTypeRow,
)

ROSTERED_ROLES = (Role.AGENT, Role.TEAM_LEAD)


def weekly_hours(person: PersonRow, on: date) -> float:
    """The contract in force on `on` (the latest one started), default 40 h."""
    current = [
        c
        for c in person.contracts
        if c.valid_from <= on and (c.valid_to is None or c.valid_to >= on)
    ]
    return current[-1].weekly_hours if current else 40.0


def team_people(session: Session, team_id: int, on: date) -> list[Person]:
    rows = session.scalars(
        select(PersonRow)
        .where(
            PersonRow.team_id == team_id,
            PersonRow.active.is_(True),
            PersonRow.role.in_(ROSTERED_ROLES),
        )
        .options(
            selectinload(PersonRow.skills).selectinload(PersonSkill.skill),
            selectinload(PersonRow.contracts),
        )
        .order_by(PersonRow.id)
    ).all()
    return [to_person(p, on) for p in rows]


def to_person(p: PersonRow, on: date) -> Person:
    return Person(
        key=str(p.id),
        name=p.name,
        grade=str(p.grade or "junior"),
        team=str(p.team_id),
        is_team_lead=p.role == Role.TEAM_LEAD,
        skills=frozenset(s.skill.code for s in p.skills),
        contract_hours_per_week=weekly_hours(p, on),
    )


def shift_types(session: Session) -> list[ShiftType]:
    rows = session.scalars(
        select(ShiftTypeRow)
        .where(ShiftTypeRow.active.is_(True))
        .options(selectinload(ShiftTypeRow.required_skills).selectinload(ShiftSkill.skill))
        .order_by(ShiftTypeRow.start_minute, ShiftTypeRow.code)
    ).all()
    return [snap_shift(s, frozenset(k.skill.code for k in s.required_skills)) for s in rows]


def snap_shift(row: ShiftTypeRow, skills: frozenset[str] = frozenset()) -> ShiftType:
    """The checkers' and solver's view of a stored shift type (skills only where asked for:
    they need a relationship loaded)."""
    return ShiftType(
        code=row.code,
        start_minute=row.start_minute,
        length_minutes=row.length_minutes,
        is_night=row.is_night,
        required_skills=skills,
        name=row.name,
    )


def calendar_days(
    session: Session, start: date, end: date
) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, make-up working days) between start and end inclusive."""
    rows = session.execute(
        select(CalendarDay.day, CalendarDay.kind).where(CalendarDay.day.between(start, end))
    ).all()
    return (
        frozenset(d for d, k in rows if k == "holiday"),
        frozenset(d for d, k in rows if k == "workday"),
    )


def leave_days(
    session: Session, person_ids: Iterable[int], start: date, end: date
) -> frozenset[tuple[str, date]]:
    """(person, day) for every day touched by an approved leave span (R3)."""
    ids = list(person_ids)
    lo = datetime.combine(start, time.min)
    hi = datetime.combine(end + timedelta(days=1), time.min)
    rows = session.execute(
        select(LeaveRequest.person_id, LeaveRequest.start_at, LeaveRequest.end_at).where(
            LeaveRequest.person_id.in_(ids),
            LeaveRequest.status == RequestStatus.APPROVED.value,
            LeaveRequest.start_at < hi,
            LeaveRequest.end_at > lo,
        )
    ).all()
    out: set[tuple[str, date]] = set()
    for pid, s, e in rows:
        day = max(s.date(), start)
        last = min((e - timedelta(microseconds=1)).date(), end)
        while day <= last:
            out.add((str(pid), day))
            day += timedelta(days=1)
    return frozenset(out)


def preferences(
    session: Session, person_ids: Iterable[int], start: date, end: date
) -> tuple[Preference, ...]:
    rows = session.execute(
        select(PreferenceRow, ShiftTypeRow.code)
        .outerjoin(ShiftTypeRow, ShiftTypeRow.id == PreferenceRow.shift_type_id)
        .where(PreferenceRow.person_id.in_(list(person_ids)), PreferenceRow.day.between(start, end))
        .order_by(PreferenceRow.id)
    ).all()
    return tuple(
        Preference(person=str(p.person_id), day=p.day, kind=p.kind, shift=code, weight=p.weight)
        for p, code in rows
    )


def published_roster(session: Session, team_id: int, month: date) -> Roster | None:
    """The team's published roster of the month (highest published version), if any."""
    return session.scalar(
        select(Roster)
        .where(
            Roster.team_id == team_id,
            Roster.period_start == month,
            Roster.status == RosterStatus.PUBLISHED.value,
        )
        .order_by(Roster.version.desc())
        .limit(1)
    )


def roster_assignments(
    session: Session, roster_id: int, start: date | None = None, end: date | None = None
) -> list[Assignment]:
    q = (
        select(RosterAssignment.person_id, RosterAssignment.day, ShiftTypeRow.code)
        .join(ShiftTypeRow, ShiftTypeRow.id == RosterAssignment.shift_type_id)
        .where(RosterAssignment.roster_id == roster_id)
    )
    if start is not None:
        q = q.where(RosterAssignment.day >= start)
    if end is not None:
        q = q.where(RosterAssignment.day <= end)
    return [
        Assignment(person=str(pid), day=d, shift=code)
        for pid, d, code in session.execute(q.order_by(RosterAssignment.day))
    ]


def previous_assignments(
    session: Session, team_id: int, month: date, days: int = 7
) -> tuple[Assignment, ...]:
    """The last days of the previous month's published roster (R1/R4 across the boundary)."""
    prev_month = (month - timedelta(days=1)).replace(day=1)
    roster = published_roster(session, team_id, prev_month)
    if roster is None:
        return ()
    return tuple(
        roster_assignments(
            session, roster.id, month - timedelta(days=days), month - timedelta(days=1)
        )
    )


def team_requirement(
    session: Session, team: Team, start: date, end: date, interval_minutes: int
) -> dict[tuple[date, int], int]:
    """The team's share of its queue's requirement per (day, interval index).

    Teams sharing a queue split each interval's agents by headcount with the largest-remainder
    method, so the shares of all teams add up exactly to the queue's requirement.
    Stored requirements of a finer interval are aggregated by their maximum (a 30-minute slot
    must cover the busier of its two quarter hours).
    """
    if team.queue_id is None:
        return {}
    counts = dict(
        session.execute(
            select(PersonRow.team_id, func.count())
            .join(Team, Team.id == PersonRow.team_id)
            .where(
                Team.queue_id == team.queue_id,
                PersonRow.active.is_(True),
                PersonRow.role.in_(ROSTERED_ROLES),
            )
            .group_by(PersonRow.team_id)
        ).all()
    )
    sizes = {int(t): int(n) for t, n in counts.items() if t is not None}
    total = sum(sizes.values())
    if total == 0:
        return {}
    order = sorted(sizes)  # deterministic tie-break: by team id
    rows = session.execute(
        select(Requirement.interval_start, Requirement.agents).where(
            Requirement.queue_id == team.queue_id,
            Requirement.interval_start >= datetime.combine(start, time.min),
            Requirement.interval_start < datetime.combine(end + timedelta(days=1), time.min),
        )
    ).all()
    per_slot: dict[tuple[date, int], int] = defaultdict(int)
    for start_at, agents in rows:
        minute = start_at.hour * 60 + start_at.minute
        key = (start_at.date(), minute // interval_minutes)
        per_slot[key] = max(per_slot[key], int(agents))
    return {key: _share(agents, sizes, order, total, team.id) for key, agents in per_slot.items()}


def _share(agents: int, sizes: dict[int, int], order: list[int], total: int, team_id: int) -> int:
    exact = {t: agents * sizes[t] / total for t in order}
    base = {t: math.floor(v) for t, v in exact.items()}
    left = agents - sum(base.values())
    by_remainder = sorted(order, key=lambda t: (-(exact[t] - base[t]), t))
    for t in by_remainder[:left]:
        base[t] += 1
    return base[team_id]
