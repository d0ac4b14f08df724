"""Attendance: a team's roll call for a day and attendance statistics for a span."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wfm.models import Attendance, DisciplineEvent, Person, RosterAssignment, ShiftType, Team
from wfm.views._common import read_session
from wfm.views.roster import published_roster_id
from wfm.views.scope import load_actor, require_team, visible_person_ids

ROLL_CALL_COLUMNS = [
    "person_id",
    "name",
    "name_zh",
    "shift_code",
    "shift_start",
    "status",
    "late_minutes",
    "roll_call_at",
    "clock_in",
    "clock_out",
]


def roll_call(db: sessionmaker[Session], actor_id: int, team_id: int, day: date) -> pd.DataFrame:
    """Everyone on the team's published roster for `day` with what attendance recorded."""
    with read_session(db) as s:
        require_team(s, load_actor(s, actor_id), team_id, "attendance.view")
        roster_id = published_roster_id(s, team_id, day)
        if roster_id is None:
            return pd.DataFrame(columns=ROLL_CALL_COLUMNS)
        rows = s.execute(
            select(Person.id, Person.name, Person.name_zh, ShiftType.code, ShiftType.start_minute)
            .join(RosterAssignment, RosterAssignment.person_id == Person.id)
            .join(ShiftType, ShiftType.id == RosterAssignment.shift_type_id)
            .where(RosterAssignment.roster_id == roster_id, RosterAssignment.day == day)
            .order_by(ShiftType.start_minute, Person.name)
        ).all()
        att = {
            a.person_id: a
            for a in s.scalars(
                select(Attendance).where(
                    Attendance.day == day, Attendance.person_id.in_([r[0] for r in rows])
                )
            )
        }
    records = []
    for pid, name, name_zh, code, start_minute in rows:
        a = att.get(pid)
        records.append(
            {
                "person_id": pid,
                "name": name,
                "name_zh": name_zh,
                "shift_code": code,
                "shift_start": f"{start_minute // 60:02d}:{start_minute % 60:02d}",
                "status": a.status if a else "",
                "late_minutes": a.late_minutes if a else 0,
                "roll_call_at": a.roll_call_at if a else None,
                "clock_in": a.clock_in if a else None,
                "clock_out": a.clock_out if a else None,
            }
        )
    return pd.DataFrame(records, columns=ROLL_CALL_COLUMNS)


def attendance_stats(
    db: sessionmaker[Session], actor_id: int, start: date, end: date
) -> pd.DataFrame:
    """Per team over [start, end]: shifts recorded, present, late, absent, on leave, and L7/W7
    discipline events."""
    with read_session(db) as s:
        who = load_actor(s, actor_id)
        visible = visible_person_ids(s, who, "attendance.view")
        rows = s.execute(
            select(Team.name, Attendance.status, Attendance.person_id)
            .join(Person, Person.id == Attendance.person_id)
            .join(Team, Team.id == Person.team_id)
            .where(Attendance.day >= start, Attendance.day <= end)
        ).all()
        events = s.execute(
            select(Team.name, DisciplineEvent.person_id)
            .join(Person, Person.id == DisciplineEvent.person_id)
            .join(Team, Team.id == Person.team_id)
            .where(DisciplineEvent.day >= start, DisciplineEvent.day <= end)
        ).all()
    rows = [r for r in rows if visible is None or r[2] in visible]
    frame = pd.DataFrame(rows, columns=["team", "status", "pid"])
    table = pd.crosstab(frame["team"], frame["status"]) if len(frame) else pd.DataFrame()
    for col in ("present", "late", "absent", "on_leave"):
        if col not in table.columns:
            table[col] = 0
    table = table[["present", "late", "absent", "on_leave"]]
    table.insert(0, "shifts", table.sum(axis=1))
    ev = pd.Series([e[0] for e in events if visible is None or e[1] in visible], dtype=object)
    table["discipline_events"] = ev.value_counts().reindex(table.index).fillna(0).astype(int)
    table["attendance_rate"] = (table["present"] + table["late"]) / table["shifts"].where(
        table["shifts"] > 0
    )
    return table.reset_index().rename(columns={"index": "team"})
