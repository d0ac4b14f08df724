"""Staffing against requirement per interval: forecast, Erlang requirement, scheduled staff,
and the service the scheduled staff would give (Erlang A: service level, answer rate,
occupancy), for a queue over a span of days.

Scheduled staff come from the published roster of every team covering the queue; a team
lead building a draft passes `roster_ids` so the page shows the draft's effect on coverage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from rules.policy import Policy, load_policy
from wfm.models import (
    Forecast,
    ForecastInterval,
    Person,
    Queue,
    Requirement,
    Roster,
    RosterAssignment,
    RosterStatus,
    ShiftType,
    Team,
)
from wfm.services.errors import NotFound, PermissionDenied
from wfm.staffing.erlang import erlang_a_metrics
from wfm.views._common import approved_leave, on_leave, read_session
from wfm.views.scope import load_actor, require_manager

COLUMNS = [
    "interval_start",
    "interval_minutes",
    "forecast_offered",
    "offered",
    "aht_seconds",
    "required_on_phone",
    "required",
    "scheduled",
    "on_phone",
    "shortfall",
    "service_level",
    "answer_rate",
    "occupancy",
    "asa_seconds",
]


@dataclass(frozen=True)
class S3Plan:
    """S3 beside the Erlang requirement for one queue and month."""

    month: date
    monthly_calls: float
    aht_seconds: float
    answer_rate: float
    s3_headcount: float
    erlang_fte: float  # required agent-hours of the month / monthly hours per agent
    peak_required: int
    rostered_headcount: int  # active agents and leads of the teams covering the queue


def _require_manager(session: Session, actor_id: int) -> None:
    require_manager(load_actor(session, actor_id), "staffing reports")


def queues(db: sessionmaker[Session], actor_id: int) -> pd.DataFrame:
    """Queues the actor may report on: a team lead sees their team's queue, managers all."""
    with read_session(db) as s:
        who = load_actor(s, actor_id)
        q = select(Queue.id, Queue.name, Queue.name_zh).order_by(Queue.id)
        if not who.centre_wide:
            if not who.is_manager or who.team_id is None:
                raise PermissionDenied(f"{who.name} ({who.role}) may not read staffing reports")
            q = q.join(Team, Team.queue_id == Queue.id).where(Team.id == who.team_id)
        return pd.DataFrame(s.execute(q).all(), columns=["id", "name", "name_zh"])


def staffing_frame(
    db: sessionmaker[Session],
    actor_id: int,
    queue_id: int,
    start: date,
    end: date,
    *,
    roster_ids: dict[int, int] | None = None,
    policy: Policy | None = None,
) -> pd.DataFrame:
    """One row per interval of [start, end] (days inclusive); see COLUMNS.

    `roster_ids` maps team id -> roster id to use instead of that team's published roster.
    """
    policy = policy or load_policy()
    with read_session(db) as s:
        _require_manager(s, actor_id)
        queue = s.get(Queue, queue_id)
        if queue is None:
            raise NotFound(f"queue {queue_id} not found")
        lo = datetime.combine(start, datetime.min.time())
        hi = datetime.combine(end + timedelta(days=1), datetime.min.time())
        req = _requirements(s, queue_id, lo, hi)
        minutes = (
            int(req["interval_minutes"].iloc[0]) if len(req) else policy.service.interval_minutes
        )
        grid = pd.DataFrame(
            {"interval_start": pd.date_range(lo, hi, freq=f"{minutes}min", inclusive="left")}
        )
        frame = grid.merge(req, on="interval_start", how="left")
        frame["interval_minutes"] = minutes
        frame = frame.merge(_forecast(s, queue_id, lo, hi), on="interval_start", how="left")
        frame["scheduled"] = _scheduled(
            s, queue_id, start, end, grid["interval_start"], minutes, roster_ids or {}
        )
        patience = queue.patience_seconds or policy.service.patience_seconds
        sl_seconds = queue.service_level_seconds or policy.service.service_level_seconds
    for col in ("offered", "aht_seconds", "forecast_offered"):
        frame[col] = frame[col].astype(float).fillna(0.0)
    for col in ("required", "required_on_phone"):
        frame[col] = frame[col].fillna(0).astype(int)
    return _predict(frame, policy, patience, sl_seconds)[COLUMNS]


def _requirements(s: Session, queue_id: int, lo: datetime, hi: datetime) -> pd.DataFrame:
    rows = s.execute(
        select(
            Requirement.interval_start,
            Requirement.interval_minutes,
            Requirement.offered,
            Requirement.aht_seconds,
            Requirement.agents_on_phone,
            Requirement.agents,
        )
        .where(Requirement.queue_id == queue_id)
        .where(Requirement.interval_start >= lo, Requirement.interval_start < hi)
        .order_by(Requirement.interval_start)
    ).all()
    frame = pd.DataFrame(
        rows,
        columns=[
            "interval_start",
            "interval_minutes",
            "offered",
            "aht_seconds",
            "required_on_phone",
            "required",
        ],
    )
    frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    return frame


def _forecast(s: Session, queue_id: int, lo: datetime, hi: datetime) -> pd.DataFrame:
    """Offered calls of the newest forecast covering each interval."""
    forecast_id = s.scalar(
        select(Forecast.id)
        .where(Forecast.queue_id == queue_id, Forecast.start < hi, Forecast.end > lo)
        .order_by(Forecast.id.desc())
        .limit(1)
    )
    rows: Sequence[Any] = []
    if forecast_id is not None:
        rows = s.execute(
            select(ForecastInterval.interval_start, ForecastInterval.offered)
            .where(ForecastInterval.forecast_id == forecast_id)
            .where(ForecastInterval.interval_start >= lo, ForecastInterval.interval_start < hi)
        ).all()
    frame = pd.DataFrame(rows, columns=["interval_start", "forecast_offered"])
    frame["interval_start"] = pd.to_datetime(frame["interval_start"])
    return frame


def _roster_ids_for(
    s: Session, queue_id: int, start: date, end: date, overrides: dict[int, int]
) -> list[int]:
    """The roster of each team on the queue for each month touching the span (a night shift of
    the day before `start` reaches into it): the override if given, else the published one."""
    team_ids = list(s.scalars(select(Team.id).where(Team.queue_id == queue_id)))
    ids = [rid for tid, rid in overrides.items() if tid in team_ids]
    rest = [t for t in team_ids if t not in overrides]
    if rest:
        ids += list(
            s.scalars(
                select(Roster.id).where(
                    Roster.team_id.in_(rest),
                    Roster.status == RosterStatus.PUBLISHED.value,
                    Roster.period_end >= start - timedelta(days=1),
                    Roster.period_start <= end,
                )
            )
        )
    return ids


def _scheduled(
    s: Session,
    queue_id: int,
    start: date,
    end: date,
    starts: pd.Series,
    minutes: int,
    overrides: dict[int, int],
) -> np.ndarray:
    """Agents working in each interval (a shift covers every interval it overlaps)."""
    count = np.zeros(len(starts) + 1, dtype=np.int64)
    roster_ids = _roster_ids_for(s, queue_id, start, end, overrides)
    if not roster_ids or not len(starts):
        return count[:-1]
    rows = s.execute(
        select(
            RosterAssignment.day,
            ShiftType.start_minute,
            ShiftType.length_minutes,
            RosterAssignment.person_id,
        )
        .join(ShiftType, ShiftType.id == RosterAssignment.shift_type_id)
        .where(RosterAssignment.roster_id.in_(roster_ids))
        .where(RosterAssignment.day >= start - timedelta(days=1), RosterAssignment.day <= end)
    ).all()
    rows = _without_leave(s, rows)
    if not rows:
        return count[:-1]
    origin = pd.Timestamp(starts.iloc[0])
    days = np.array([(pd.Timestamp(r[0]) - origin).days for r in rows], dtype=np.int64)
    begin = days * 1440 + np.array([r[1] for r in rows], dtype=np.int64)
    finish = begin + np.array([r[2] for r in rows], dtype=np.int64)
    first = np.clip(begin // minutes, 0, len(starts))
    last = np.clip(-(-finish // minutes), 0, len(starts))  # ceil: a partial interval counts
    np.add.at(count, first, 1)
    np.add.at(count, last, -1)
    return np.cumsum(count)[:-1]


def _without_leave(s: Session, rows: Sequence[Any]) -> list[Any]:
    """Assignments (day, start minute, length, person) minus those emptied by approved leave."""
    if not rows:
        return []
    lo = datetime.combine(min(r[0] for r in rows), datetime.min.time())
    hi = datetime.combine(max(r[0] for r in rows) + timedelta(days=2), datetime.min.time())
    leave = approved_leave(s, {r[3] for r in rows}, lo, hi)
    out = []
    for r in rows:
        begin = datetime.combine(r[0], datetime.min.time()) + timedelta(minutes=r[1])
        if not on_leave(leave, r[3], begin, begin + timedelta(minutes=r[2])):
            out.append(r)
    return out


def _predict(
    frame: pd.DataFrame, policy: Policy, patience: float, sl_seconds: float
) -> pd.DataFrame:
    """Erlang A service per interval from the staff on the phones (scheduled less shrinkage)."""
    frame = frame.copy()
    on_phone = np.floor(frame["scheduled"].to_numpy() * (1.0 - policy.service.shrinkage) + 1e-9)
    frame["on_phone"] = on_phone.astype(int)
    frame["shortfall"] = np.maximum(frame["required"] - frame["scheduled"], 0).astype(int)
    aht = frame["aht_seconds"].to_numpy(dtype=float)
    offered = frame["offered"].to_numpy(dtype=float)
    seconds = frame["interval_minutes"].to_numpy(dtype=float) * 60.0
    aht_safe = np.where(aht > 0, aht, 1.0)
    load = np.where(aht > 0, offered * aht_safe / seconds, 0.0)
    m = erlang_a_metrics(on_phone, load, aht_safe, patience, sl_seconds)
    has_calls = load > 0
    frame["service_level"] = np.where(has_calls, m.service_level, np.nan)
    frame["answer_rate"] = np.where(has_calls, 1.0 - m.p_abandon, np.nan)
    frame["occupancy"] = np.where(has_calls, m.occupancy, np.nan)
    frame["asa_seconds"] = np.where(has_calls, m.mean_wait_seconds, np.nan)
    return frame


def understaffed(frame: pd.DataFrame) -> pd.DataFrame:
    """Intervals where scheduled staff fall short of the requirement, worst first."""
    short = frame[frame["shortfall"] > 0]
    cols = ["interval_start", "required", "scheduled", "shortfall", "service_level", "answer_rate"]
    return short.sort_values(["shortfall", "interval_start"], ascending=[False, True])[cols]


def daily_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Per day: calls, agent-hours required and scheduled, worst shortfall, intervals short."""
    hours = frame["interval_minutes"] / 60.0
    out = pd.DataFrame(
        {
            "day": frame["interval_start"].dt.date,
            "offered": frame["offered"],
            "forecast_offered": frame["forecast_offered"],
            "required_hours": frame["required"] * hours,
            "scheduled_hours": frame["scheduled"] * hours,
            "short_intervals": (frame["shortfall"] > 0).astype(int),
            "max_shortfall": frame["shortfall"],
        }
    )
    agg = {c: "sum" for c in out.columns if c != "day"} | {"max_shortfall": "max"}
    return out.groupby("day", as_index=False).agg(agg)


def weekday_heatmap(frame: pd.DataFrame, value: str) -> pd.DataFrame:
    """Mean of `value` by weekday (rows 0=Mon..6=Sun) and time of day (columns 'HH:MM')."""
    data = pd.DataFrame(
        {
            "weekday": frame["interval_start"].dt.day_of_week,
            "time": frame["interval_start"].dt.strftime("%H:%M"),
            "value": frame[value].astype(float),
        }
    )
    return data.pivot_table(index="weekday", columns="time", values="value", aggfunc="mean")


def s3_plan(
    db: sessionmaker[Session],
    actor_id: int,
    queue_id: int,
    month: date,
    *,
    policy: Policy | None = None,
) -> S3Plan:
    """The S3 monthly headcount formula next to the FTE implied by the Erlang requirement."""
    policy = policy or load_policy()
    first = month.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    lo = datetime.combine(first, datetime.min.time())
    hi = datetime.combine(nxt, datetime.min.time())
    with read_session(db) as s:
        _require_manager(s, actor_id)
        calls, handled_seconds, agent_minutes, peak = s.execute(
            select(
                func.coalesce(func.sum(Requirement.offered), 0.0),
                func.coalesce(func.sum(Requirement.offered * Requirement.aht_seconds), 0.0),
                func.coalesce(func.sum(Requirement.agents * Requirement.interval_minutes), 0),
                func.coalesce(func.max(Requirement.agents), 0),
            ).where(
                Requirement.queue_id == queue_id,
                Requirement.interval_start >= lo,
                Requirement.interval_start < hi,
            )
        ).one()
        headcount = s.scalar(
            select(func.count(Person.id))
            .join(Team, Team.id == Person.team_id)
            .where(Team.queue_id == queue_id, Person.active.is_(True))
        )
    svc = policy.service
    aht = float(handled_seconds) / float(calls) if calls else 0.0
    return S3Plan(
        month=first,
        monthly_calls=float(calls),
        aht_seconds=aht,
        answer_rate=svc.answer_rate_min,
        s3_headcount=_s3(float(calls), aht, policy),
        erlang_fte=float(agent_minutes) / 60.0 / svc.monthly_hours_per_agent,
        peak_required=int(peak),
        rostered_headcount=int(headcount or 0),
    )


def _s3(calls: float, aht_seconds: float, policy: Policy) -> float:
    """S3 as the staffing package computes it (one formula, one place); 0 without calls."""
    from wfm.staffing.requirement import s3_headcount

    if calls <= 0 or aht_seconds <= 0:
        return 0.0
    svc = policy.service
    return s3_headcount(
        monthly_calls=calls,
        aht_seconds=aht_seconds,
        answer_rate=svc.answer_rate_min,
        monthly_hours_per_agent=svc.monthly_hours_per_agent,
        attendance_rate=svc.attendance_rate,
        utilisation=svc.utilisation,
    )


def team_coverage(
    db: sessionmaker[Session],
    actor_id: int,
    roster_id: int,
    *,
    policy: Policy | None = None,
) -> pd.DataFrame:
    """A roster version against its team's share of the queue requirement (what the solver
    covers), per interval of the roster's month: interval_start, required, scheduled, shortfall,
    over. Any version (draft or published) the actor may view."""
    from wfm.services.roster_inputs import team_requirement
    from wfm.views.scope import require_team

    policy = policy or load_policy()
    minutes = policy.service.interval_minutes
    with read_session(db) as s:
        roster = s.get(Roster, roster_id)
        if roster is None:
            raise NotFound(f"roster {roster_id} not found")
        require_team(s, load_actor(s, actor_id), roster.team_id, "roster.view")
        team = s.get(Team, roster.team_id)
        assert team is not None
        start, end = roster.period_start, roster.period_end
        share = team_requirement(s, team, start, end, minutes)
        rows = s.execute(
            select(
                RosterAssignment.day,
                ShiftType.start_minute,
                ShiftType.length_minutes,
                RosterAssignment.person_id,
            )
            .join(ShiftType, ShiftType.id == RosterAssignment.shift_type_id)
            .where(RosterAssignment.roster_id == roster_id)
        ).all()
        rows = _without_leave(s, rows)
    lo = datetime.combine(start, datetime.min.time())
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time())
    starts = pd.Series(pd.date_range(lo, hi, freq=f"{minutes}min", inclusive="left"))
    per_day = 1440 // minutes
    required = np.zeros(len(starts), dtype=np.int64)
    for (day, index), agents in share.items():
        pos = (day - start).days * per_day + index
        if 0 <= pos < len(required):
            required[pos] = agents
    count = np.zeros(len(starts) + 1, dtype=np.int64)
    for day, begin_minute, length, _pid in rows:
        begin = (day - start).days * 1440 + begin_minute
        first = min(max(begin // minutes, 0), len(starts))
        last = min(max(-(-(begin + length) // minutes), 0), len(starts))
        count[first] += 1
        count[last] -= 1
    scheduled = np.cumsum(count)[:-1]
    return pd.DataFrame(
        {
            "interval_start": starts,
            "required": required,
            "scheduled": scheduled,
            "shortfall": np.maximum(required - scheduled, 0),
            "over": np.maximum(scheduled - required, 0),
        }
    )
