"""Handover logs (H2) and notices (H4): the feed, and what is new since a person's last shift."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wfm.models import (
    HandoverLog,
    Notice,
    NoticeRead,
    Person,
    Roster,
    RosterAssignment,
    RosterStatus,
    ShiftType,
    Team,
)
from wfm.timeutil import now
from wfm.views._common import read_session
from wfm.views.scope import load_actor, visible_team_ids

FEED_COLUMNS = [
    "id",
    "day",
    "team",
    "shift_code",
    "author",
    "equipment_status",
    "unresolved_problems",
    "personnel_handover",
    "business_changes",
    "superior_instructions",
    "customer_feedback",
    "process_equipment_changes",
    "workload_calls",
    "incoming_lead",
    "acknowledged_at",
    "created_at",
]


@dataclass(frozen=True)
class SinceLastShift:
    last_shift_start: datetime | None
    notices: pd.DataFrame  # id, title, body, published_at, read
    handovers: pd.DataFrame  # FEED_COLUMNS


def handover_feed(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    team_id: int | None = None,
    since: date | None = None,
    limit: int = 100,
) -> pd.DataFrame:
    """Newest handover logs the actor may read (a team's, or all for centre-wide roles)."""
    with read_session(db) as s:
        teams = visible_team_ids(s, load_actor(s, actor_id), "handover.view")
        return _feed(s, teams, team_id, since, limit)


def _feed(
    s: Session,
    teams: list[int] | None,
    team_id: int | None,
    since: date | None | datetime,
    limit: int,
) -> pd.DataFrame:
    q = select(HandoverLog).order_by(HandoverLog.day.desc(), HandoverLog.id.desc()).limit(limit)
    if teams is not None:
        q = q.where(HandoverLog.team_id.in_(teams))
    if team_id is not None:
        q = q.where(HandoverLog.team_id == team_id)
    if isinstance(since, datetime):
        # Logs are dated by their shift's day; creation stamps come from the server clock.
        q = q.where(HandoverLog.day >= since.date())
    elif since is not None:
        q = q.where(HandoverLog.day >= since)
    logs = list(s.scalars(q))
    names = dict(s.execute(select(Person.id, Person.name)).all())
    team_names = dict(s.execute(select(Team.id, Team.name)).all())
    codes = dict(s.execute(select(ShiftType.id, ShiftType.code)).all())
    rows = [
        {
            "id": h.id,
            "day": h.day,
            "team": team_names.get(h.team_id, ""),
            "shift_code": codes.get(h.shift_type_id, ""),
            "author": names.get(h.author_id, ""),
            "equipment_status": h.equipment_status,
            "unresolved_problems": h.unresolved_problems,
            "personnel_handover": h.personnel_handover,
            "business_changes": h.business_changes,
            "superior_instructions": h.superior_instructions,
            "customer_feedback": h.customer_feedback,
            "process_equipment_changes": h.process_equipment_changes,
            "workload_calls": h.workload_calls,
            "incoming_lead": names.get(h.incoming_lead_id, "") if h.incoming_lead_id else "",
            "acknowledged_at": h.acknowledged_at,
            "created_at": h.created_at,
        }
        for h in logs
    ]
    return pd.DataFrame(rows, columns=FEED_COLUMNS)


def last_shift_start(s: Session, person_id: int, before: datetime) -> datetime | None:
    """Start of the person's most recent published shift that began before `before`."""
    rows = s.execute(
        select(RosterAssignment.day, ShiftType.start_minute)
        .join(Roster, Roster.id == RosterAssignment.roster_id)
        .join(ShiftType, ShiftType.id == RosterAssignment.shift_type_id)
        .where(
            RosterAssignment.person_id == person_id,
            Roster.status == RosterStatus.PUBLISHED.value,
            RosterAssignment.day <= before.date(),
            RosterAssignment.day >= before.date() - timedelta(days=62),
        )
        .order_by(RosterAssignment.day.desc())
        .limit(3)
    ).all()
    starts = [datetime.combine(d, datetime.min.time()) + timedelta(minutes=m) for d, m in rows]
    starts = [t for t in starts if t < before]
    return max(starts) if starts else None


def since_last_shift(db: sessionmaker[Session], actor_id: int) -> SinceLastShift:
    """H4: notices for the actor's team or the whole centre published since their last shift
    began (all unread ones if they have not worked yet), and their team's handover logs since."""
    at = now()
    with read_session(db) as s:
        who = load_actor(s, actor_id)
        last = last_shift_start(s, actor_id, at)
        q = select(Notice).where(Notice.published_at <= at).order_by(Notice.published_at.desc())
        if who.team_id is not None:
            q = q.where((Notice.team_id.is_(None)) | (Notice.team_id == who.team_id))
        else:
            q = q.where(Notice.team_id.is_(None))
        read = set(s.scalars(select(NoticeRead.notice_id).where(NoticeRead.person_id == actor_id)))
        notices = [
            n
            for n in s.scalars(q.limit(200))
            if (last is not None and n.published_at >= last) or n.id not in read
        ]
        frame = pd.DataFrame(
            [(n.id, n.title, n.body, n.published_at, n.id in read) for n in notices],
            columns=["id", "title", "body", "published_at", "read"],
        )
        teams = [who.team_id] if who.team_id is not None else []
        since = last or (at - timedelta(days=1))
        handovers = _feed(s, teams, None, since, 50)
    return SinceLastShift(last_shift_start=last, notices=frame, handovers=handovers)
