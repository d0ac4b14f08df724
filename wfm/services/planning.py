"""From stored call history to a stored forecast and stored requirements per interval.

    history (call_interval) --fit_forecast--> forecast_interval --Erlang C/A--> requirement

Each step is one transaction; a failure leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from rules.policy import Policy, load_policy
from wfm.calendar_cn import WorkCalendar
from wfm.db import transaction
from wfm.forecast.model import fit_forecast
from wfm.models import CallInterval, Centre, Forecast, ForecastInterval, Queue, Requirement
from wfm.services import audit
from wfm.services.errors import InputError, NotFound
from wfm.staffing.requirement import (
    StaffingResult,
    StaffingTargets,
    required_agents,
    s3_headcount,
)

Progress = Callable[[str], None]
MODELS = ("erlang-c", "erlang-a")


@dataclass(frozen=True)
class ForecastSummary:
    forecast_id: int
    queue: str
    start: date
    days: int
    intervals: int
    total_calls: float
    history_days: int


@dataclass(frozen=True)
class RequirementSummary:
    queue: str
    start: date
    end: date
    model: str
    intervals: int
    peak_agents: int
    agent_hours: float  # sum of required agents x interval length, with shrinkage
    s3_headcount: float  # RULES S3: the planner's monthly sanity check, for the same span


def _queue(session: Session, name: str) -> Queue:
    q = session.scalar(select(Queue).where(Queue.name == name))
    if q is None:
        raise NotFound(f"queue: no queue named {name!r}")
    return q


def _calendar(session: Session) -> WorkCalendar:
    centre = session.scalar(select(Centre).limit(1))
    return WorkCalendar(centre.holiday_country if centre else "CN")


def history_frame(session: Session, queue_id: int, since: datetime | None = None) -> pd.DataFrame:
    q = select(
        CallInterval.interval_start,
        CallInterval.interval_minutes,
        CallInterval.offered,
        CallInterval.handled,
        CallInterval.abandoned,
        CallInterval.aht_seconds,
    ).where(CallInterval.queue_id == queue_id)
    if since is not None:
        q = q.where(CallInterval.interval_start >= since)
    frame = pd.DataFrame(
        session.execute(q.order_by(CallInterval.interval_start)).all(),
        columns=[
            "interval_start",
            "interval_minutes",
            "offered",
            "handled",
            "abandoned",
            "aht_seconds",
        ],
    )
    for col in ("offered", "handled", "abandoned", "aht_seconds"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    return frame


def run_forecast(
    db: sessionmaker[Session],
    queue: str,
    start: date,
    days: int,
    *,
    history_weeks: int = 12,
    actor_id: int | None = None,
    progress: Progress | None = None,
) -> ForecastSummary:
    """Fit on the last `history_weeks` of the queue's history and store `days` days from `start`."""
    if days <= 0 or days > 400:
        raise InputError(f"days: must be between 1 and 400, got {days}", field="days")
    say = progress or (lambda _msg: None)
    with transaction(db) as session:
        q = _queue(session, queue)
        since = datetime.combine(start - timedelta(weeks=history_weeks + 8), time.min)
        history = history_frame(session, q.id, since)
        history = history[history["interval_start"] < datetime.combine(start, time.min)]
        if history.empty:
            raise InputError(
                f"queue {queue}: no call history before {start} to forecast from", field="queue"
            )
        first = history["interval_start"].max() - timedelta(weeks=history_weeks)
        history = history[history["interval_start"] > first]
        say(f"fitting on {history['interval_start'].dt.date.nunique()} days of history")
        model = fit_forecast(history, calendar=_calendar(session))
        frame = model.predict(start, days)
        say(f"storing {len(frame)} forecast intervals")
        fc = Forecast(
            queue_id=q.id,
            start=datetime.combine(start, time.min),
            end=datetime.combine(start + timedelta(days=days), time.min),
            model="weekday-profile/level-trend/holidays",
            history_to=pd.Timestamp(history["interval_start"].max()).to_pydatetime(),
        )
        session.add(fc)
        session.flush()
        session.execute(
            insert(ForecastInterval),
            [
                {
                    "forecast_id": fc.id,
                    "interval_start": pd.Timestamp(r["interval_start"]).to_pydatetime(),
                    "interval_minutes": int(r["interval_minutes"]),
                    "offered": float(r["offered"]),
                    "aht_seconds": float(r["aht_seconds"]),
                }
                for r in frame.to_dict("records")
            ],
        )
        audit.record(
            session,
            actor_id=actor_id,
            action="forecast.run",
            entity="forecast",
            entity_id=fc.id,
            after={"queue": queue, "start": start, "days": days, "intervals": len(frame)},
        )
        return ForecastSummary(
            fc.id,
            queue,
            start,
            days,
            len(frame),
            float(frame["offered"].sum()),
            int(history["interval_start"].dt.date.nunique()),
        )


def forecast_frame(session: Session, queue_id: int, start: date, end: date) -> pd.DataFrame:
    """The newest forecast value for every interval in [start, end] (later forecasts win)."""
    rows = session.execute(
        select(
            ForecastInterval.interval_start,
            ForecastInterval.interval_minutes,
            ForecastInterval.offered,
            ForecastInterval.aht_seconds,
            ForecastInterval.forecast_id,
        )
        .join(Forecast, Forecast.id == ForecastInterval.forecast_id)
        .where(
            Forecast.queue_id == queue_id,
            ForecastInterval.interval_start >= datetime.combine(start, time.min),
            ForecastInterval.interval_start < datetime.combine(end + timedelta(days=1), time.min),
        )
    ).all()
    frame = pd.DataFrame(
        rows,
        columns=["interval_start", "interval_minutes", "offered", "aht_seconds", "forecast_id"],
    )
    return (
        frame.sort_values(["interval_start", "forecast_id"])
        .drop_duplicates("interval_start", keep="last")
        .reset_index(drop=True)
    )


def compute_requirements(
    db: sessionmaker[Session],
    queue: str,
    start: date,
    end: date,
    *,
    model: str = "erlang-c",
    policy: Policy | None = None,
    actor_id: int | None = None,
) -> RequirementSummary:
    """Agents required per interval from the stored forecast, replacing earlier requirements."""
    if model not in MODELS:
        raise InputError(
            f"model: expected one of {', '.join(MODELS)}, got {model!r}", field="model"
        )
    if end < start:
        raise InputError("to: must not be before from", field="to")
    pol = policy or load_policy()
    with transaction(db) as session:
        q = _queue(session, queue)
        fc = forecast_frame(session, q.id, start, end)
        if fc.empty:
            raise InputError(
                f"queue {queue}: no forecast between {start} and {end}; "
                "run `wfm forecast run` first",
                field="queue",
            )
        targets = _targets(pol, q, model)
        patience = q.patience_seconds or pol.service.patience_seconds
        minutes = int(fc["interval_minutes"].iloc[0])
        result = required_agents(
            fc["offered"].to_numpy(float),
            fc["aht_seconds"].to_numpy(float),
            minutes,
            targets,
            model="erlang-a" if model == "erlang-a" else "erlang-c",  # validated above
            patience_seconds=patience if model == "erlang-a" else None,
        )
        session.execute(
            delete(Requirement).where(
                Requirement.queue_id == q.id,
                Requirement.interval_start >= datetime.combine(start, time.min),
                Requirement.interval_start < datetime.combine(end + timedelta(days=1), time.min),
            )
        )
        rows = _requirement_rows(q.id, fc, result, model, minutes)
        session.execute(insert(Requirement), rows)
        agent_hours = float(np.sum(result.agents_with_shrinkage)) * minutes / 60
        calls = float(fc["offered"].sum())
        aht = float(np.average(fc["aht_seconds"], weights=np.maximum(fc["offered"], 1e-9)))
        months = max((end - start).days + 1, 1) / 30.4375
        s3 = s3_headcount(
            calls / months,
            aht,
            pol.service.answer_rate_min,
            pol.service.monthly_hours_per_agent,
            pol.service.attendance_rate,
            pol.service.utilisation,
        )
        summary = RequirementSummary(
            queue,
            start,
            end,
            model,
            len(rows),
            int(np.max(result.agents_with_shrinkage)),
            agent_hours,
            float(s3),
        )
        audit.record(
            session,
            actor_id=actor_id,
            action="requirement.compute",
            entity="queue",
            entity_id=q.id,
            after=summary.__dict__,
        )
        return summary


def _targets(pol: Policy, q: Queue, model: str) -> StaffingTargets:
    base = StaffingTargets.from_policy(pol.service)
    changes: dict[str, object] = {}
    if q.service_level_target is not None:
        changes["service_level"] = q.service_level_target
    if q.service_level_seconds is not None:
        changes["service_seconds"] = q.service_level_seconds
    if model == "erlang-a":
        changes["max_abandon"] = (
            q.max_abandon if q.max_abandon is not None else 1 - pol.service.answer_rate_min
        )
    if not changes:
        return base
    from dataclasses import replace

    return replace(base, **changes)  # type: ignore[arg-type]


def _requirement_rows(
    queue_id: int, fc: pd.DataFrame, result: StaffingResult, model: str, minutes: int
) -> list[dict[str, object]]:
    r = result
    out = []
    for i, row in enumerate(fc.to_dict("records")):
        out.append(
            {
                "queue_id": queue_id,
                "forecast_id": int(row["forecast_id"]),
                "interval_start": pd.Timestamp(row["interval_start"]).to_pydatetime(),
                "interval_minutes": minutes,
                "offered": float(row["offered"]),
                "aht_seconds": float(row["aht_seconds"]),
                "agents_on_phone": int(r.agents[i]),
                "agents": int(r.agents_with_shrinkage[i]),
                "service_level": _finite(r.service_level[i]),
                "asa_seconds": _finite(r.asa_seconds[i]),
                "abandon_rate": _finite(r.abandon_rate[i]),
                "occupancy": _finite(r.occupancy[i]),
                "model": model,
            }
        )
    return out


def _finite(x: float) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None
