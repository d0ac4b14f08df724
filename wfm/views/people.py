"""Teams, people and shift types as the pages list them (no private fields)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from wfm.models import Person, Role, ShiftType, Team
from wfm.views._common import holidays_between, read_session
from wfm.views.scope import Actor, load_actor, require_team, visible_team_ids


@dataclass(frozen=True)
class ShiftInfo:
    id: int
    code: str
    name: str
    name_zh: str
    start_minute: int
    length_minutes: int
    is_night: bool
    colour: str


def actor(db: sessionmaker[Session], actor_id: int) -> Actor:
    with read_session(db) as s:
        return load_actor(s, actor_id)


def teams(db: sessionmaker[Session], actor_id: int) -> pd.DataFrame:
    """Teams the actor may look at: id, name, name_zh, queue_id, headcount."""
    with read_session(db) as s:
        who = load_actor(s, actor_id)
        allowed = visible_team_ids(s, who, "roster.view")
        q = select(Team.id, Team.name, Team.name_zh, Team.queue_id).order_by(Team.id)
        if allowed is not None:
            q = q.where(Team.id.in_(allowed))
        frame = pd.DataFrame(s.execute(q).all(), columns=["id", "name", "name_zh", "queue_id"])
        heads = dict(
            s.execute(
                select(Person.team_id, func.count(Person.id))
                .where(Person.active.is_(True))
                .group_by(Person.team_id)
            ).all()
        )
        frame["headcount"] = frame["id"].map(heads).fillna(0).astype(int)
        return frame


def team_members(db: sessionmaker[Session], actor_id: int, team_id: int) -> pd.DataFrame:
    """Active members of a team: id, name, name_zh, role, grade, seat (no contact details)."""
    with read_session(db) as s:
        require_team(s, load_actor(s, actor_id), team_id, "roster.view")
        rows = s.execute(
            select(Person.id, Person.name, Person.name_zh, Person.role, Person.grade, Person.seat)
            .where(Person.team_id == team_id, Person.active.is_(True))
            .order_by(Person.role.desc(), Person.name)
        ).all()
    frame = pd.DataFrame(rows, columns=["id", "name", "name_zh", "role", "grade", "seat"])
    frame["role"] = frame["role"].map(lambda r: str(r))
    frame["grade"] = frame["grade"].map(lambda g: str(g) if g is not None else "")
    return frame


def agents_in_scope(
    db: sessionmaker[Session], actor_id: int, action: str = "roster.view"
) -> pd.DataFrame:
    """Agents (and team leads) whose records of `action` the actor may touch: id, name,
    name_zh, team_id, grade."""
    with read_session(db) as s:
        who = load_actor(s, actor_id)
        allowed = visible_team_ids(s, who, action)
        q = select(Person.id, Person.name, Person.name_zh, Person.team_id, Person.grade).where(
            Person.active.is_(True), Person.role.in_([Role.AGENT, Role.TEAM_LEAD])
        )
        if allowed is not None:
            q = q.where(Person.team_id.in_(allowed))
        rows = s.execute(q.order_by(Person.team_id, Person.name)).all()
    frame = pd.DataFrame(rows, columns=["id", "name", "name_zh", "team_id", "grade"])
    frame["grade"] = frame["grade"].map(lambda g: str(g) if g is not None else "")
    return frame


def shift_types(db: sessionmaker[Session]) -> list[ShiftInfo]:
    with read_session(db) as s:
        rows = s.scalars(
            select(ShiftType).where(ShiftType.active.is_(True)).order_by(ShiftType.start_minute)
        ).all()
        return [
            ShiftInfo(
                r.id,
                r.code,
                r.name,
                r.name_zh,
                r.start_minute,
                r.length_minutes,
                r.is_night,
                r.colour,
            )
            for r in rows
        ]


def holidays(db: sessionmaker[Session], start: date, end: date) -> dict[date, str]:
    with read_session(db) as s:
        return holidays_between(s, start, end)
