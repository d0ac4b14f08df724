"""Read the PUBLISHED roster of a team from the database as a `rules.snapshot.RosterSnapshot`.

The workflows (leave, swaps, attendance) and the roster service judge a roster with the same
checkers in `rules/`; this module is the one place that turns stored rows into the snapshot
they read. It runs inside the caller's session (no transaction of its own) and never writes.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rules.policy import Policy, default_policy
from rules.snapshot import Assignment, RosterSnapshot
from rules.snapshot import ShiftType as Snap
from wfm.models import Person as PersonRow
from wfm.models import PersonSkill, Roster, RosterAssignment, ShiftType, Team
from wfm.services.errors import NotFound
from wfm.services.roster_inputs import (
    calendar_days,
    leave_days,
    published_roster,
    roster_assignments,
    shift_types,
    snap_shift,
    team_people,
    team_requirement,
    to_person,
)
from wfm.timeutil import month_start

# R1/R4 look back across the period's start (R4: up to max_consecutive_work_days + 1 days).
LOOKBACK_DAYS = 8


def months_between(start: date, end: date) -> list[date]:
    """First days of every month touched by [start, end]."""
    out, m = [], month_start(start)
    while m <= end:
        out.append(m)
        m = (m.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def published_rosters(session: Session, team_id: int, start: date, end: date) -> list[Roster]:
    """The team's published roster (highest version) of each month touching [start, end]."""
    found = [published_roster(session, team_id, m) for m in months_between(start, end)]
    return [r for r in found if r is not None]


def published_assignment(session: Session, person_id: int, day: date) -> RosterAssignment | None:
    """A person's assignment starting on `day` in their team's published roster, if any.

    Looks in every team's published roster of that month (a person may have moved team)."""
    rosters = select(Roster.id).where(
        Roster.period_start == month_start(day), Roster.status == "published"
    )
    rows = session.scalars(
        select(RosterAssignment)
        .join(Roster, Roster.id == RosterAssignment.roster_id)
        .where(
            RosterAssignment.person_id == person_id,
            RosterAssignment.day == day,
            RosterAssignment.roster_id.in_(rosters),
        )
        .order_by(Roster.version.desc())
    ).all()
    # Only the highest published version of the person's team counts.
    for row in rows:
        latest = published_roster(session, row.roster.team_id, row.roster.period_start)
        if latest is not None and latest.id == row.roster_id:
            return row
    return None


def _assignments(
    session: Session, team_id: int, start: date, end: date, roster_id: int | None
) -> list[Assignment]:
    if roster_id is not None:
        roster = session.get(Roster, roster_id)
        if roster is None or roster.team_id != team_id:
            raise NotFound(f"roster: no roster {roster_id} of team {team_id}")
        return roster_assignments(session, roster_id, start, end)
    out: list[Assignment] = []
    for roster in published_rosters(session, team_id, start, end):
        out.extend(roster_assignments(session, roster.id, start, end))
    return out


def snapshot_for_team(
    session: Session,
    team_id: int,
    start: date,
    end: date,
    roster_id: int | None = None,
    *,
    policy: Policy | None = None,
) -> RosterSnapshot:
    """The roster of team `team_id` over [start, end] (inclusive) as the rule checkers see it.

    - assignments: from `roster_id` if given (a draft, or any version), else from the published
      roster (highest version) of each month the period touches;
    - previous: the published assignments of the LOOKBACK_DAYS days before `start` (R1, R4 and
      night shifts reaching into the first day);
    - people: the team's active agents and team lead, plus anyone else holding an assignment
      in the period (so a moved or deactivated person's shifts are still judged);
    - leave: approved leave days; holidays and make-up workdays from CalendarDay;
    - requirement: the team's headcount share of its queue's stored requirement per interval
      (empty when none is stored: checkers then fall back on S1's minimum staff).

    Person keys are database ids as text (`str(person.id)`), shift keys are shift-type codes.
    """
    policy = policy or default_policy()
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"team: no team with id {team_id}")
    assignments = _assignments(session, team_id, start, end, roster_id)
    look_from = start - timedelta(days=LOOKBACK_DAYS)
    previous = [
        a for a in _assignments(session, team_id, look_from, start - timedelta(days=1), None)
    ]
    people = {p.key: p for p in team_people(session, team_id, start)}
    missing = {int(a.person) for a in (*assignments, *previous)} - {int(k) for k in people}
    if missing:
        rows = session.scalars(
            select(PersonRow)
            .where(PersonRow.id.in_(missing))
            .options(
                selectinload(PersonRow.skills).selectinload(PersonSkill.skill),
                selectinload(PersonRow.contracts),
            )
        ).all()
        people.update({str(p.id): to_person(p, start) for p in rows})
    types = {s.code: s for s in shift_types(session)}
    used = {a.shift for a in (*assignments, *previous)} - set(types)
    if used:  # a retired shift type still held by a stored assignment
        types.update({s.code: s for s in _shift_types_by_code(session, used)})
    holidays, workdays = calendar_days(session, start, end)
    return RosterSnapshot(
        start=start,
        end=end,
        people=tuple(people[k] for k in sorted(people, key=int)),
        shift_types=tuple(types.values()),
        assignments=tuple(assignments),
        leave=leave_days(session, [int(k) for k in people], start, end),
        holidays=holidays,
        workdays=workdays,
        interval_minutes=policy.service.interval_minutes,
        requirement=team_requirement(session, team, start, end, policy.service.interval_minutes),
        previous=tuple(previous),
    )


def _shift_types_by_code(session: Session, codes: set[str]) -> list[Snap]:
    rows = session.scalars(select(ShiftType).where(ShiftType.code.in_(codes))).all()
    return [snap_shift(s) for s in rows]
