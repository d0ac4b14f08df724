"""Roster views: one person's published month, a day timeline, a team's grid, the list of a
team's roster versions and the solver's explanation of every penalty."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rules.policy import Policy, load_policy
from rules.snapshot import Assignment, RosterSnapshot
from rules.snapshot import ShiftType as SnapShift
from wfm.models import (
    LeaveRequest,
    Person,
    RequestStatus,
    Roster,
    RosterAssignment,
    RosterStatus,
    ShiftType,
)
from wfm.services.errors import NotFound
from wfm.services.roster_inputs import snap_shift
from wfm.timeutil import month_end, month_start
from wfm.views._common import (
    approved_leave,
    days_between,
    holidays_between,
    on_leave,
    read_session,
)
from wfm.views.scope import load_actor, require_person, require_team

LEAVE_MARK = "*"  # a grid cell whose shift approved leave has emptied (awaiting repair, L8)
SCHEDULE_COLUMNS = [
    "day",
    "weekday",
    "holiday",
    "shift_code",
    "shift_name",
    "shift_name_zh",
    "start",
    "end",
    "is_night",
    "colour",
    "on_leave",
]


def published_roster_id(s: Session, team_id: int, day: date) -> int | None:
    """The published roster of a team for the month of `day` (newest version)."""
    return s.scalar(
        select(Roster.id)
        .where(
            Roster.team_id == team_id,
            Roster.status == RosterStatus.PUBLISHED.value,
            Roster.period_start <= day,
            Roster.period_end >= day,
        )
        .order_by(Roster.version.desc())
        .limit(1)
    )


def person_schedule(
    db: sessionmaker[Session], actor_id: int, person_id: int, month: date
) -> pd.DataFrame:
    """Every day of the month for one person from the published roster (drafts never show):
    the shift (if any), its times, public holidays and approved leave (type only)."""
    first, last = month_start(month), month_end(month)
    with read_session(db) as s:
        who = load_actor(s, actor_id)
        require_person(s, who, person_id, "roster.view")
        person = s.get(Person, person_id)
        if person is None:
            raise NotFound(f"person {person_id} not found")
        shifts: dict[date, ShiftType] = {}
        roster_id = published_roster_id(s, person.team_id, first) if person.team_id else None
        if roster_id is not None:
            rows = s.execute(
                select(RosterAssignment.day, ShiftType)
                .join(ShiftType, ShiftType.id == RosterAssignment.shift_type_id)
                .where(
                    RosterAssignment.roster_id == roster_id, RosterAssignment.person_id == person_id
                )
            ).all()
            shifts = {d: st for d, st in rows}
        holidays = holidays_between(s, first, last)
        leave = _approved_leave_days(s, person_id, first, last)
    records: list[dict[str, Any]] = []
    for d in days_between(first, last):
        st = shifts.get(d)
        start = (
            datetime.combine(d, datetime.min.time()) + timedelta(minutes=st.start_minute)
            if st
            else None
        )
        records.append(
            {
                "day": d,
                "weekday": d.weekday(),
                "holiday": holidays.get(d, ""),
                "shift_code": st.code if st else "",
                "shift_name": st.name if st else "",
                "shift_name_zh": st.name_zh if st else "",
                "start": start,
                "end": start + timedelta(minutes=st.length_minutes) if st and start else None,
                "is_night": bool(st.is_night) if st else False,
                "colour": st.colour if st else "",
                "on_leave": leave.get(d, ""),
            }
        )
    return pd.DataFrame(records, columns=SCHEDULE_COLUMNS)


def person_ical(
    db: sessionmaker[Session],
    actor_id: int,
    person_id: int,
    month: date,
    *,
    policy: Policy | None = None,
) -> tuple[str, bytes]:
    """(file name, .ics bytes) of one person's published shifts in `month` — the same shifts
    `person_schedule` shows, minus those approved leave empties — one event per shift, starting
    with the R10 roll call (wfm.exports.agent_ical). Only the person themself may export it
    (`roster.ical_own`, every role's own only): PermissionDenied for anyone else."""
    from wfm.exports import agent_ical

    pol = policy or load_policy()
    first, last = month_start(month), month_end(month)
    with read_session(db) as s:
        who = load_actor(s, actor_id)
        person = require_person(s, who, person_id, "roster.ical_own")
        roster_id = published_roster_id(s, person.team_id, first) if person.team_id else None
        rows = (
            s.execute(
                select(RosterAssignment.day, ShiftType)
                .join(ShiftType, ShiftType.id == RosterAssignment.shift_type_id)
                .where(
                    RosterAssignment.roster_id == roster_id,
                    RosterAssignment.person_id == person_id,
                )
                .order_by(RosterAssignment.day)
            ).all()
            if roster_id is not None
            else []
        )
        leave = approved_leave(
            s,
            [person_id],
            datetime.combine(first, datetime.min.time()),
            datetime.combine(last + timedelta(days=2), datetime.min.time()),
        )
        name, username = person.name, person.username
    key = str(person_id)
    types: dict[str, SnapShift] = {}
    shifts: list[Assignment] = []
    for day, st in rows:
        snap = types.setdefault(st.code, snap_shift(st))
        if not on_leave(leave, person_id, snap.start_on(day), snap.end_on(day)):
            shifts.append(Assignment(person=key, day=day, shift=st.code))
    snapshot = RosterSnapshot(
        start=first,
        end=last,
        people=(),
        shift_types=tuple(types.values()),
        assignments=tuple(shifts),
    )
    return (
        f"shifts-{username}-{first:%Y-%m}.ics",
        agent_ical(name, key, snapshot, pol.roster.roll_call_minutes),
    )


def _approved_leave_days(s: Session, person_id: int, first: date, last: date) -> dict[date, str]:
    rows = s.execute(
        select(LeaveRequest.start_at, LeaveRequest.end_at, LeaveRequest.leave_type).where(
            LeaveRequest.person_id == person_id,
            LeaveRequest.status == RequestStatus.APPROVED.value,
            LeaveRequest.start_at < datetime.combine(last + timedelta(days=1), datetime.min.time()),
            LeaveRequest.end_at > datetime.combine(first, datetime.min.time()),
        )
    ).all()
    out: dict[date, str] = {}
    for start_at, end_at, kind in rows:
        d = max(start_at.date(), first)
        while d <= last and datetime.combine(d, datetime.min.time()) < end_at:
            out[d] = kind
            d += timedelta(days=1)
    return out


def day_timeline(schedule: pd.DataFrame, day: date, roll_call_minutes: int = 10) -> pd.DataFrame:
    """Segments of one day from a person_schedule frame: roll call (R10) and the shift, plus
    the part of the previous day's night shift that runs into this day."""
    segments: list[dict[str, Any]] = []
    lo = datetime.combine(day, datetime.min.time())
    hi = lo + timedelta(days=1)
    for _, row in schedule[schedule["day"].isin([day - timedelta(days=1), day])].iterrows():
        if not row["shift_code"]:
            continue
        start, end = row["start"], row["end"]
        if end <= lo or start >= hi:
            continue
        if row["day"] == day and roll_call_minutes:
            segments.append(
                {
                    "segment": "roll_call",
                    "start": start - timedelta(minutes=roll_call_minutes),
                    "end": start,
                    "shift_code": row["shift_code"],
                }
            )
        segments.append(
            {
                "segment": "shift",
                "start": max(start, lo),
                "end": min(end, hi),
                "shift_code": row["shift_code"],
            }
        )
    return pd.DataFrame(segments, columns=["segment", "start", "end", "shift_code"])


def team_rosters(db: sessionmaker[Session], actor_id: int, team_id: int) -> pd.DataFrame:
    """Every roster version of a team, newest first."""
    with read_session(db) as s:
        require_team(s, load_actor(s, actor_id), team_id, "roster.view")
        rows = s.execute(
            select(
                Roster.id,
                Roster.period_start,
                Roster.version,
                Roster.status,
                Roster.solver_status,
                Roster.objective,
                Roster.bound,
                Roster.gap,
                Roster.solve_seconds,
                Roster.published_at,
            )
            .where(Roster.team_id == team_id)
            .order_by(Roster.period_start.desc(), Roster.version.desc())
        ).all()
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "month",
            "version",
            "status",
            "solver_status",
            "objective",
            "bound",
            "gap",
            "solve_seconds",
            "published_at",
        ],
    )


def roster_grid(db: sessionmaker[Session], actor_id: int, roster_id: int) -> pd.DataFrame:
    """People × days of a roster: shift code per cell ('' = off). Index: person name."""
    with read_session(db) as s:
        roster = s.get(Roster, roster_id)
        if roster is None:
            raise NotFound(f"roster {roster_id} not found")
        require_team(s, load_actor(s, actor_id), roster.team_id, "roster.view")
        people = s.execute(
            select(Person.id, Person.name, Person.name_zh)
            .where(Person.team_id == roster.team_id, Person.active.is_(True))
            .order_by(Person.name)
        ).all()
        cells = s.execute(
            select(
                RosterAssignment.person_id,
                RosterAssignment.day,
                ShiftType.code,
                ShiftType.start_minute,
                ShiftType.length_minutes,
            )
            .join(ShiftType, ShiftType.id == RosterAssignment.shift_type_id)
            .where(RosterAssignment.roster_id == roster_id)
        ).all()
        days = days_between(roster.period_start, roster.period_end)
        leave = approved_leave(
            s,
            [p.id for p in people],
            datetime.combine(roster.period_start, datetime.min.time()),
            datetime.combine(roster.period_end + timedelta(days=2), datetime.min.time()),
        )
    grid = pd.DataFrame("", index=[p.id for p in people], columns=days)
    for pid, d, code, start_minute, length in cells:
        if pid in grid.index:
            begin = datetime.combine(d, datetime.min.time()) + timedelta(minutes=start_minute)
            away = on_leave(leave, pid, begin, begin + timedelta(minutes=length))
            grid.at[pid, d] = f"{code}{LEAVE_MARK}" if away else code
    grid.insert(0, "name_zh", [p.name_zh for p in people])
    grid.insert(0, "name", [p.name for p in people])
    grid.index.name = "person_id"
    return grid


def roster_explanation(db: sessionmaker[Session], actor_id: int, roster_id: int) -> pd.DataFrame:
    """The solver's explanation: one row per penalty or violation with its rule ID and cost."""
    with read_session(db) as s:
        roster = s.get(Roster, roster_id)
        if roster is None:
            raise NotFound(f"roster {roster_id} not found")
        require_team(s, load_actor(s, actor_id), roster.team_id, "roster.view")
        items = list(roster.explanation or [])
    rows = [_explanation_row(item) for item in items]
    frame = pd.DataFrame(rows, columns=["rule", "message", "cost", "hard", "person", "day"])
    return frame.sort_values(["hard", "cost"], ascending=[False, False], ignore_index=True)


def _explanation_row(item: Any) -> dict[str, Any]:
    if isinstance(item, dict):
        return {
            "rule": str(item.get("rule", "")),
            "message": str(item.get("message", item.get("detail", ""))),
            "cost": float(item.get("cost", item.get("penalty", 0)) or 0),
            "hard": bool(item.get("hard", False)),
            "person": item.get("person"),
            "day": item.get("day"),
        }
    text = str(item)
    return {
        "rule": text.split(":", 1)[0],
        "message": text,
        "cost": 0.0,
        "hard": False,
        "person": None,
        "day": None,
    }
