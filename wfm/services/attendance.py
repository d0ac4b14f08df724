"""Attendance against the published roster (H1, L7, W7): clock in and out, roll call, time
away from the post, and closing a day (absences become absenteeism).

Discipline violations (L7 lateness or leaving the post, absenteeism) are stored as
DisciplineEvent rows with their rule ID, next to the Attendance row of the shift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rules import attendance as rules
from rules.policy import Policy, default_policy
from wfm import timeutil
from wfm.db import transaction
from wfm.models import (
    Attendance,
    DisciplineEvent,
    LeaveRequest,
    Person,
    PostAbsence,
    RequestStatus,
    Roster,
    RosterAssignment,
    ShiftType,
    SwapRequest,
)
from wfm.services.audit import record
from wfm.services.errors import InputError, NotFound, PermissionDenied
from wfm.services.permissions import Scope, allowed, load_actor, require, scope_of
from wfm.services.roster_inputs import published_roster
from wfm.services.roster_read import published_assignment
from wfm.timeutil import month_start


@dataclass(frozen=True, slots=True)
class AttendanceView:
    id: int
    person_id: int
    person_name: str
    day: date
    shift: str
    shift_start: datetime
    roll_call_at: datetime | None
    clock_in: datetime | None
    clock_out: datetime | None
    late_minutes: int
    status: str  # present | late | absent | on_leave
    notes: tuple[str, ...]  # H1 / L7 / W7 / L1 messages of this shift


@dataclass(frozen=True, slots=True)
class RollCallRow:
    person_id: int
    name: str
    status: str  # present | late | not_arrived | on_leave
    late_minutes: int


# ---------------------------------------------------------------------------- helpers


def _person(session: Session, person_id: int) -> Person:
    p = session.get(Person, person_id)
    if p is None:
        raise NotFound(f"no person with id {person_id}")
    return p


def _target(session: Session, actor: Person, person_id: int | None, action: str) -> Person:
    person = actor if person_id is None else _person(session, person_id)
    require(actor, action, person=person)
    return person


def _shift(session: Session, shift_type_id: int) -> ShiftType:
    st = session.get(ShiftType, shift_type_id)
    assert st is not None
    return st


def _start(day: date, st: ShiftType) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(minutes=st.start_minute)


def _end(day: date, st: ShiftType) -> datetime:
    return _start(day, st) + timedelta(minutes=st.length_minutes)


def _given_away(session: Session, person_id: int, day: date) -> int | None:
    """W7: the shift type a person gave away on `day` by an approved swap (they may still
    cover it themselves)."""
    row = session.scalars(
        select(SwapRequest).where(
            SwapRequest.status == "approved",
            ((SwapRequest.proposer_id == person_id) & (SwapRequest.proposer_day == day))
            | (
                (SwapRequest.counterpart_id == person_id)
                & (SwapRequest.counterpart_day == day)
                & SwapRequest.counterpart_shift_id.is_not(None)
            ),
        )
    ).first()
    if row is None:
        return None
    return row.proposer_shift_id if row.proposer_id == person_id else row.counterpart_shift_id


def _shift_for(
    session: Session, person_id: int, at: datetime, policy: Policy
) -> tuple[date, int] | None:
    """The shift (day, shift type) a clock-in at `at` belongs to: the person's rostered (or
    given-away, W7) shift of the day before, the day or the day after whose roll call is
    nearest, provided the shift has not ended."""
    best: tuple[float, date, int] | None = None
    for day in (at.date() - timedelta(days=1), at.date(), at.date() + timedelta(days=1)):
        a = published_assignment(session, person_id, day)
        type_id = a.shift_type_id if a is not None else _given_away(session, person_id, day)
        if type_id is None:
            continue
        st = _shift(session, type_id)
        if at >= _end(day, st):
            continue
        distance = abs((at - rules.roll_call_time(_start(day, st), policy)).total_seconds())
        if distance <= 6 * 3600 and (best is None or distance < best[0]):
            best = (distance, day, type_id)
    return (best[1], best[2]) if best else None


def _notes(session: Session, att: Attendance) -> tuple[str, ...]:
    rows = session.scalars(
        select(DisciplineEvent.detail)
        .where(DisciplineEvent.attendance_id == att.id)
        .order_by(DisciplineEvent.id)
    ).all()
    return tuple(rows)


def _view(session: Session, att: Attendance) -> AttendanceView:
    st = _shift(session, att.shift_type_id)
    person = _person(session, att.person_id)
    notes = _notes(session, att)
    if att.late_minutes > 0 and not any(n.startswith("L7") for n in notes):
        notes = (f"H1: {person.name} arrived {att.late_minutes} min after the roll call", *notes)
    return AttendanceView(
        id=att.id,
        person_id=att.person_id,
        person_name=person.name,
        day=att.day,
        shift=st.code,
        shift_start=_start(att.day, st),
        roll_call_at=att.roll_call_at,
        clock_in=att.clock_in,
        clock_out=att.clock_out,
        late_minutes=att.late_minutes,
        status=att.status,
        notes=notes,
    )


def _open_attendance(session: Session, person_id: int) -> Attendance:
    att = session.scalars(
        select(Attendance)
        .where(
            Attendance.person_id == person_id,
            Attendance.clock_in.is_not(None),
            Attendance.clock_out.is_(None),
        )
        .order_by(Attendance.clock_in.desc())
    ).first()
    if att is None:
        raise InputError("person: not clocked in", field="person")
    return att


def _discipline(
    session: Session,
    person: Person,
    day: date,
    kind: str,
    v: rules.Violation,
    minutes: int = 0,
    attendance_id: int | None = None,
) -> None:
    session.add(
        DisciplineEvent(
            person_id=person.id,
            day=day,
            kind=kind,
            rule=v.rule,
            minutes=minutes,
            detail=v.message,
            attendance_id=attendance_id,
        )
    )


# ---------------------------------------------------------------------------- clock


def clock_in(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    person_id: int | None = None,
    at: datetime | None = None,
    policy: Policy | None = None,
) -> AttendanceView:
    """Clock in for the rostered shift (own, or a team member's by their lead). Arrival after
    the roll call is noted (H1); more than the threshold late is an L7 discipline event."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        person = _target(session, actor, person_id, "attendance.clock")
        at = at or timeutil.now()
        found = _shift_for(session, person.id, at, policy)
        if found is None:
            raise InputError(
                f"person: {person.name} has no shift to clock in for at {at:%Y-%m-%d %H:%M}",
                field="person",
            )
        day, type_id = found
        att = session.scalars(
            select(Attendance).where(Attendance.person_id == person.id, Attendance.day == day)
        ).first()
        if att is not None and att.clock_in is not None:
            raise InputError(f"person: {person.name} clocked in already for {day}", field="person")
        st = _shift(session, type_id)
        late, violations = rules.check_arrival(person.name, _start(day, st), at, policy)
        if att is None:
            att = Attendance(person_id=person.id, day=day, shift_type_id=type_id)
            session.add(att)
        att.clock_in, att.late_minutes = at, late
        att.status = "late" if late > 0 else "present"
        att.recorded_by_id = actor.id
        session.flush()
        for v in violations:
            if v.rule == "L7":
                _discipline(session, person, day, "late", v, late, att.id)
        record(
            session,
            actor_id=actor.id,
            action="attendance.clock_in",
            entity="attendance",
            entity_id=att.id,
            after={"person_id": person.id, "day": day, "clock_in": at, "late_minutes": late},
            detail="; ".join(v.message for v in violations),
        )
        return _view(session, att)


def clock_out(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    person_id: int | None = None,
    at: datetime | None = None,
) -> AttendanceView:
    """Clock out of the open shift (shift leads leave through the handover: H3)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        person = _target(session, actor, person_id, "attendance.clock")
        att = _open_attendance(session, person.id)
        at = at or timeutil.now()
        if at < (att.clock_in or at):
            raise InputError("at: before the clock-in", field="at")
        att.clock_out = at
        record(
            session,
            actor_id=actor.id,
            action="attendance.clock_out",
            entity="attendance",
            entity_id=att.id,
            after={"clock_out": at},
        )
        return _view(session, att)


def leave_post(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    person_id: int | None = None,
    at: datetime | None = None,
    permitted: bool = False,
) -> int:
    """Note that a person left the post. Permission can be given only by a manager in scope
    (a person cannot permit themselves). Returns the PostAbsence id."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        person = _target(session, actor, person_id, "attendance.clock")
        if permitted and (
            actor.id == person.id or not allowed(actor, "attendance.post", person=person)
        ):
            raise PermissionDenied("only the team lead may permit leaving the post")
        att = _open_attendance(session, person.id)
        row = PostAbsence(
            attendance_id=att.id,
            left_at=at or timeutil.now(),
            permitted=permitted,
            permitted_by_id=actor.id if permitted else None,
        )
        session.add(row)
        session.flush()
        record(
            session,
            actor_id=actor.id,
            action="attendance.leave_post",
            entity="post_absence",
            entity_id=row.id,
            after={"person_id": person.id, "left_at": row.left_at, "permitted": permitted},
        )
        return row.id


def return_to_post(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    person_id: int | None = None,
    at: datetime | None = None,
    policy: Policy | None = None,
) -> AttendanceView:
    """Back at the post: over the threshold without permission is an L7 discipline event."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        person = _target(session, actor, person_id, "attendance.clock")
        att = _open_attendance(session, person.id)
        away = session.scalars(
            select(PostAbsence).where(
                PostAbsence.attendance_id == att.id, PostAbsence.returned_at.is_(None)
            )
        ).first()
        if away is None:
            raise InputError(f"person: {person.name} has not left the post", field="person")
        away.returned_at = at or timeutil.now()
        v = rules.check_post_absence(
            person.name, away.left_at, away.returned_at, away.permitted, policy
        )
        if v is not None:
            _discipline(
                session,
                person,
                att.day,
                "left_post",
                v,
                rules.minutes_between(away.left_at, away.returned_at),
                att.id,
            )
        record(
            session,
            actor_id=actor.id,
            action="attendance.return_to_post",
            entity="post_absence",
            entity_id=away.id,
            after={"returned_at": away.returned_at},
            detail=v.message if v else "",
        )
        return _view(session, att)


# ---------------------------------------------------------------------------- roll call, close


def _on_leave(session: Session, person_id: int, start: datetime, end: datetime) -> bool:
    return (
        session.scalars(
            select(LeaveRequest.id).where(
                LeaveRequest.person_id == person_id,
                LeaveRequest.status == RequestStatus.APPROVED.value,
                LeaveRequest.start_at < end,
                LeaveRequest.end_at > start,
            )
        ).first()
        is not None
    )


def _day_assignments(session: Session, day: date, team_ids: list[int]) -> list[RosterAssignment]:
    out: list[RosterAssignment] = []
    for team_id in team_ids:
        roster = published_roster(session, team_id, month_start(day))
        if roster is not None:
            out += session.scalars(
                select(RosterAssignment).where(
                    RosterAssignment.roster_id == roster.id, RosterAssignment.day == day
                )
            ).all()
    return out


def roll_call(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    team_id: int,
    day: date,
    shift: str,
) -> list[RollCallRow]:
    """H1: the team lead's roll call for one shift: who is present, late, not yet arrived or on
    leave. Present people get the roll-call time stamped on their attendance."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "attendance.roll_call", team_id=team_id)
        st = session.scalars(select(ShiftType).where(ShiftType.code == shift)).first()
        if st is None:
            raise InputError(f"shift: no shift type {shift!r}", field="shift")
        now = timeutil.now()
        rows = []
        for a in _day_assignments(session, day, [team_id]):
            if a.shift_type_id != st.id:
                continue
            person = _person(session, a.person_id)
            att = session.scalars(
                select(Attendance).where(Attendance.person_id == a.person_id, Attendance.day == day)
            ).first()
            if att is not None and att.clock_in is not None:
                if att.roll_call_at is None and att.clock_in <= now:
                    att.roll_call_at = now
                rows.append(RollCallRow(person.id, person.name, att.status, att.late_minutes))
            elif _on_leave(session, a.person_id, _start(day, st), _end(day, st)):
                rows.append(RollCallRow(person.id, person.name, "on_leave", 0))
            else:
                rows.append(RollCallRow(person.id, person.name, "not_arrived", 0))
        record(
            session,
            actor_id=actor.id,
            action="attendance.roll_call",
            entity="team",
            entity_id=team_id,
            after={
                "day": day,
                "shift": shift,
                "present": [r.person_id for r in rows if r.status in ("present", "late")],
            },
        )
        return rows


def _swap_of_taker(session: Session, person_id: int, day: date, type_id: int) -> SwapRequest | None:
    """The approved swap by which `person_id` took the shift (day, type), if any (W7)."""
    return session.scalars(
        select(SwapRequest).where(
            SwapRequest.status == "approved",
            (
                (SwapRequest.counterpart_id == person_id)
                & (SwapRequest.proposer_day == day)
                & (SwapRequest.proposer_shift_id == type_id)
            )
            | (
                (SwapRequest.proposer_id == person_id)
                & (SwapRequest.counterpart_day == day)
                & (SwapRequest.counterpart_shift_id == type_id)
            ),
        )
    ).first()


def close_day(
    db: sessionmaker[Session],
    actor_id: int,
    day: date,
    *,
    team_id: int | None = None,
) -> list[AttendanceView]:
    """Mark every rostered shift of `day` that has begun: with approved leave -> on_leave;
    nobody clocked in -> absent, an absenteeism event (L1; W7 for a swapped shift, and then
    also for the person who gave it away unless they worked it). Idempotent. Team leads close
    their team, directors the centre (or `team_id`). Returns the absences and leave marked."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        if team_id is not None:
            require(actor, "attendance.close_day", team_id=team_id)
            teams = [team_id]
        else:
            require(actor, "attendance.close_day")
            if scope_of(actor, "attendance.close_day") is Scope.CENTRE:
                teams = list(session.scalars(select(Roster.team_id).distinct()))
            else:
                if actor.team_id is None:
                    raise PermissionDenied("no team to close")
                teams = [actor.team_id]
        now = timeutil.now()
        marked: list[AttendanceView] = []
        for a in _day_assignments(session, day, sorted(teams)):
            st = _shift(session, a.shift_type_id)
            if _start(day, st) > now:
                continue  # not begun yet: nobody can be absent from it
            att = session.scalars(
                select(Attendance).where(Attendance.person_id == a.person_id, Attendance.day == day)
            ).first()
            if att is not None:
                continue
            person = _person(session, a.person_id)
            att = Attendance(
                person_id=person.id, day=day, shift_type_id=st.id, recorded_by_id=actor.id
            )
            session.add(att)
            if _on_leave(session, person.id, _start(day, st), _end(day, st)):
                att.status = "on_leave"
                session.flush()
            else:
                att.status = "absent"
                session.flush()
                swap = _swap_of_taker(session, person.id, day, st.id)
                _discipline(
                    session,
                    person,
                    day,
                    "absenteeism",
                    rules.absenteeism(person.name, day, swap_taker=swap is not None),
                    attendance_id=att.id,
                )
                if swap is not None:
                    giver_id = (
                        swap.proposer_id
                        if swap.counterpart_id == person.id
                        else swap.counterpart_id
                    )
                    giver = _person(session, giver_id)
                    worked = session.scalars(
                        select(Attendance.id).where(
                            Attendance.person_id == giver_id,
                            Attendance.day == day,
                            Attendance.shift_type_id == st.id,
                            Attendance.clock_in.is_not(None),
                        )
                    ).first()
                    if worked is None:
                        _discipline(
                            session,
                            giver,
                            day,
                            "absenteeism",
                            rules.absenteeism(giver.name, day, giver=True),
                        )
            record(
                session,
                actor_id=actor.id,
                action="attendance.close_day",
                entity="attendance",
                entity_id=att.id,
                after={"person_id": person.id, "day": day, "status": att.status},
            )
            marked.append(_view(session, att))
        return marked


def attendance_of(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    person_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[AttendanceView]:
    """A person's attendance records (own; team for leads; everyone for directors)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        person = _target(session, actor, person_id, "attendance.view")
        q = select(Attendance).where(Attendance.person_id == person.id)
        if start is not None:
            q = q.where(Attendance.day >= start)
        if end is not None:
            q = q.where(Attendance.day <= end)
        return [_view(session, a) for a in session.scalars(q.order_by(Attendance.day)).all()]


def discipline_events(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    person_id: int | None = None,
) -> list[tuple[date, str, str, str]]:
    """(day, kind, rule, message) of a person's discipline events."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        person = _target(session, actor, person_id, "attendance.view")
        rows = session.scalars(
            select(DisciplineEvent)
            .where(DisciplineEvent.person_id == person.id)
            .order_by(DisciplineEvent.day, DisciplineEvent.id)
        )
        return [(r.day, r.kind, r.rule, r.detail) for r in rows]
