"""Shift handover (H2-H4): the outgoing shift lead writes the log, the incoming lead
acknowledges it, the outgoing lead leaves only once the successor has clocked in, and each
person sees the notices that are new since their last shift."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from rules import handover as rules
from rules.policy import default_policy
from rules.violation import RuleViolation
from wfm import timeutil
from wfm.db import transaction
from wfm.models import Attendance, HandoverLog, Notice, NoticeRead, Person, Role, ShiftType
from wfm.services.audit import record
from wfm.services.errors import InputError, NotFound, PermissionDenied
from wfm.services.permissions import load_actor, require
from wfm.services.roster_read import published_assignment


@dataclass(frozen=True, slots=True)
class HandoverView:
    id: int
    team_id: int
    day: date
    shift: str
    author_id: int
    author_name: str
    fields: Mapping[str, str]
    workload_calls: int | None
    incoming_lead_id: int | None
    acknowledged_at: datetime | None
    outgoing_left_at: datetime | None


@dataclass(frozen=True, slots=True)
class NoticeView:
    id: int
    team_id: int | None
    title: str
    body: str
    published_at: datetime
    new_since_last_shift: bool
    read: bool


def _view(session: Session, log: HandoverLog) -> HandoverView:
    st = session.get(ShiftType, log.shift_type_id)
    author = session.get(Person, log.author_id)
    assert st is not None and author is not None
    return HandoverView(
        id=log.id,
        team_id=log.team_id,
        day=log.day,
        shift=st.code,
        author_id=author.id,
        author_name=author.name,
        fields={f: getattr(log, f) for f in rules.H2_FIELDS},
        workload_calls=log.workload_calls,
        incoming_lead_id=log.incoming_lead_id,
        acknowledged_at=log.acknowledged_at,
        outgoing_left_at=log.outgoing_left_at,
    )


def _can_lead(person: Person) -> bool:
    """R2/G5: the team lead or a senior may lead a shift."""
    return (
        person.role == Role.TEAM_LEAD or str(person.grade) == default_policy().roster.senior_grade
    )


def _log(session: Session, log_id: int) -> HandoverLog:
    log = session.get(HandoverLog, log_id)
    if log is None:
        raise NotFound(f"no handover log {log_id}")
    return log


def write_handover(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    team_id: int,
    day: date,
    shift: str,
    fields: Mapping[str, str],
    workload_calls: int | None = None,
) -> HandoverView:
    """H2: the shift lead (the team lead, or a senior working that shift) writes the log with
    every H2 field. A missing field is refused naming it (rule H2)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "handover.write", team_id=team_id)
        st = session.scalars(select(ShiftType).where(ShiftType.code == shift)).first()
        if st is None:
            raise InputError(f"shift: no shift type {shift!r}", field="shift")
        rostered = published_assignment(session, actor.id, day)
        on_shift = rostered is not None and rostered.shift_type_id == st.id
        if not (actor.role == Role.TEAM_LEAD or (on_shift and _can_lead(actor))):
            raise PermissionDenied("H2: only the shift's lead writes its handover log")
        violations = rules.check_h2(fields)
        if violations:
            raise RuleViolation(violations)
        if workload_calls is not None and workload_calls < 0:
            raise InputError("workload_calls: must not be negative", field="workload_calls")
        log = HandoverLog(
            team_id=team_id,
            day=day,
            shift_type_id=st.id,
            author_id=actor.id,
            workload_calls=workload_calls,
            **{f: str(fields[f]).strip() for f in rules.H2_FIELDS},
        )
        session.add(log)
        try:
            with session.begin_nested():
                session.flush()
        except IntegrityError:
            raise InputError(
                f"shift: the handover of {shift} on {day} exists already", field="shift"
            ) from None
        record(
            session,
            actor_id=actor.id,
            action="handover.write",
            entity="handover_log",
            entity_id=log.id,
            after={"team_id": team_id, "day": day, "shift": shift},
        )
        return _view(session, log)


def acknowledge_handover(db: sessionmaker[Session], actor_id: int, log_id: int) -> HandoverView:
    """H2: the incoming shift lead (team lead or a senior of the team) acknowledges the log."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        log = _log(session, log_id)
        require(actor, "handover.acknowledge", team_id=log.team_id)
        if actor.id == log.author_id:
            raise PermissionDenied("H2: the incoming lead, not the author, acknowledges the log")
        if not _can_lead(actor):
            raise PermissionDenied("H2: only a shift lead (senior or team lead) takes over")
        if log.acknowledged_at is not None:
            raise InputError("log: acknowledged already", field="log")
        log.incoming_lead_id, log.acknowledged_at = actor.id, timeutil.now()
        record(
            session,
            actor_id=actor.id,
            action="handover.acknowledge",
            entity="handover_log",
            entity_id=log.id,
            after={"incoming_lead_id": actor.id},
        )
        return _view(session, log)


def record_departure(
    db: sessionmaker[Session], actor_id: int, log_id: int, *, at: datetime | None = None
) -> HandoverView:
    """H3: the outgoing lead leaves (and is clocked out) only after the incoming lead who
    acknowledged the log has clocked in."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        log = _log(session, log_id)
        require(actor, "handover.depart", team_id=log.team_id)
        if actor.id != log.author_id:
            raise PermissionDenied("H3: only the outgoing lead records their departure")
        at = at or timeutil.now()
        successor = session.get(Person, log.incoming_lead_id) if log.incoming_lead_id else None
        arrived = (
            successor is not None
            and session.scalars(
                select(Attendance.id).where(
                    Attendance.person_id == successor.id,
                    Attendance.clock_in.is_not(None),
                    Attendance.clock_in <= at,
                    Attendance.day.in_(
                        (log.day - timedelta(days=1), log.day, log.day + timedelta(days=1))
                    ),
                )
            ).first()
            is not None
        )
        v = rules.check_h3(actor.name, successor.name if successor else None, arrived)
        if v is not None:
            raise RuleViolation(v)
        log.outgoing_left_at = at
        open_att = session.scalars(
            select(Attendance).where(
                Attendance.person_id == actor.id,
                Attendance.clock_in.is_not(None),
                Attendance.clock_out.is_(None),
            )
        ).first()
        if open_att is not None:
            open_att.clock_out = at
        record(
            session,
            actor_id=actor.id,
            action="handover.depart",
            entity="handover_log",
            entity_id=log.id,
            after={"outgoing_left_at": at},
        )
        return _view(session, log)


def list_handovers(
    db: sessionmaker[Session], actor_id: int, *, team_id: int, start: date, end: date
) -> list[HandoverView]:
    """The team's handover logs (directors read them as the daily workload report)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "handover.view", team_id=team_id)
        rows = session.scalars(
            select(HandoverLog)
            .where(HandoverLog.team_id == team_id, HandoverLog.day.between(start, end))
            .order_by(HandoverLog.day, HandoverLog.id)
        ).all()
        return [_view(session, r) for r in rows]


# ---------------------------------------------------------------------------- notices (H4)


def publish_notice(
    db: sessionmaker[Session], actor_id: int, *, title: str, body: str, team_id: int | None = None
) -> int:
    """A notice for one team (its lead, or a director) or the whole centre (directors)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        if team_id is None:
            require(actor, "notice.publish", team_id=-1)  # centre-wide: directors only
        else:
            require(actor, "notice.publish", team_id=team_id)
        if not title.strip():
            raise InputError("title: required", field="title")
        n = Notice(
            team_id=team_id,
            author_id=actor.id,
            title=title.strip(),
            body=body,
            published_at=timeutil.now(),
        )
        session.add(n)
        session.flush()
        record(
            session,
            actor_id=actor.id,
            action="notice.publish",
            entity="notice",
            entity_id=n.id,
            after={"title": n.title, "team_id": team_id},
        )
        return n.id


def notices_for_shift(db: sessionmaker[Session], actor_id: int) -> list[NoticeView]:
    """H4: the notices of the actor's team and the centre that are new since the end of their
    last worked shift, plus any older ones still unread, newest first."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "notice.read")
        now = timeutil.now()
        last = session.scalars(
            select(Attendance.clock_out)
            .where(
                Attendance.person_id == actor.id,
                Attendance.clock_out.is_not(None),
                Attendance.clock_out <= now,
            )
            .order_by(Attendance.clock_out.desc())
        ).first()
        read = set(
            session.scalars(select(NoticeRead.notice_id).where(NoticeRead.person_id == actor.id))
        )
        q = select(Notice).where(Notice.published_at <= now).order_by(Notice.published_at.desc())
        scope: ColumnElement[bool] = Notice.team_id.is_(None)
        if actor.team_id is not None:
            scope = scope | (Notice.team_id == actor.team_id)
        out = []
        for n in session.scalars(q.where(scope)):
            new = last is None or n.published_at > last
            if new or n.id not in read:
                out.append(
                    NoticeView(n.id, n.team_id, n.title, n.body, n.published_at, new, n.id in read)
                )
        return out


def mark_notices_read(db: sessionmaker[Session], actor_id: int, notice_ids: list[int]) -> int:
    """H4: the actor has read these notices; returns how many were newly marked."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "notice.read")
        done = set(
            session.scalars(
                select(NoticeRead.notice_id).where(
                    NoticeRead.person_id == actor.id, NoticeRead.notice_id.in_(notice_ids)
                )
            )
        )
        now, added = timeutil.now(), 0
        for nid in sorted(set(notice_ids) - done):
            n = session.get(Notice, nid)
            if n is None or (n.team_id is not None and n.team_id != actor.team_id):
                raise NotFound(f"no notice {nid} for you")
            session.add(NoticeRead(notice_id=nid, person_id=actor.id, read_at=now))
            added += 1
        if added:
            record(
                session,
                actor_id=actor.id,
                action="notice.read",
                entity="person",
                entity_id=actor.id,
                detail=f"read {added} notice(s)",
            )
        return added
