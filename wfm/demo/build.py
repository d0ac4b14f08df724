"""Build the demo centre end to end: organisation, calendar, call history, forecast,
requirements, rosters and a month of workflows — deterministic for a given seed."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from sqlalchemy import Engine, insert, inspect, text

from wfm.db import make_session_factory, transaction
from wfm.demo.activity import (
    approved_leave_before_rosters,
    centre_life,
    load_cast,
    requests_after_rosters,
    solve_and_publish,
)
from wfm.demo.centre import DEMO_PASSWORD, build_org, store_calendar
from wfm.demo.history import synthesise
from wfm.migrate import downgrade, upgrade
from wfm.models import CallInterval
from wfm.services.planning import compute_requirements, run_forecast
from wfm.timeutil import month_end, month_start

Say = Callable[[str], None]


@dataclass
class DemoResult:
    today: date
    logins: dict[str, str]  # role -> username
    password: str = DEMO_PASSWORD
    rosters: list[str] = field(default_factory=list)  # one line per solved roster
    notes: list[str] = field(default_factory=list)


class DemoExists(RuntimeError):
    """The database already holds data; the demo refuses to mix with it (use --reset)."""


def prepare_database(engine: Engine, reset: bool) -> None:
    tables = set(inspect(engine).get_table_names())
    if "person" in tables:
        with engine.connect() as conn:
            has_people = conn.execute(text("SELECT count(*) FROM person")).scalar_one() > 0
        if has_people and not reset:
            raise DemoExists(
                f"{engine.url.render_as_string(hide_password=True)} already holds a centre; "
                "run `wfm demo --reset` to rebuild it (this deletes its data)"
            )
        if reset:
            downgrade(engine, "base")
    upgrade(engine)


def build_demo(
    engine: Engine,
    *,
    seed: int = 7,
    today: date | None = None,
    teams: int = 4,
    history_weeks: int = 12,
    roster_time_limit: float = 20.0,
    reset: bool = False,
    say: Say = print,
) -> DemoResult:
    today = today or date.today()
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    prepare_database(engine, reset)
    db = make_session_factory(engine)
    history_start = today - timedelta(weeks=history_weeks)
    next_month = month_start(month_end(today) + timedelta(days=1))
    horizon_end = month_end(next_month)

    say(f"[1/6] organisation: {teams} teams, people, grades, skills, shift types")
    sizes = [rng.randint(18, 23) for _ in range(teams)]
    with transaction(db) as session:
        org = build_org(session, rng, today, sizes)
        cal = store_calendar(
            session, history_start - timedelta(days=7), horizon_end + timedelta(days=62)
        )
        logins = {role: p.username for role, p in org.logins.items()}
        queue_name = org.queue.name

    say(f"[2/6] call history: {history_weeks} weeks of 15-minute intervals from {history_start}")
    history = synthesise(nrng, history_start, (today - history_start).days, cal)
    with transaction(db) as session:
        qid = session.execute(
            text("SELECT id FROM queue WHERE name = :n"), {"n": queue_name}
        ).scalar_one()
        session.execute(
            insert(CallInterval),
            [
                {
                    "queue_id": qid,
                    "source": "demo",
                    **{str(k): (None if v != v else v) for k, v in r.items()},
                }
                for r in history.to_dict("records")
            ],
        )

    say(f"[3/6] forecast {today} .. {horizon_end}")
    fc = run_forecast(
        db,
        queue_name,
        month_start(today),
        (horizon_end - month_start(today)).days + 1,
        history_weeks=history_weeks,
        progress=lambda m: say(f"      {m}"),
    )
    say(f"      {fc.intervals} intervals, {fc.total_calls:,.0f} calls forecast")

    say("[4/6] staffing requirement per interval (Erlang C, policy targets, shrinkage)")
    req = compute_requirements(db, queue_name, month_start(today), horizon_end)
    say(f"      peak {req.peak_agents} agents; S3 headcount check {req.s3_headcount:.1f}")

    result = DemoResult(today=today, logins=logins)
    cast = load_cast(db)
    say("[5/6] rosters: approved leave first (R3), then each team's current and next month")
    n = approved_leave_before_rosters(db, cast, rng, today, next_month, say)
    say(f"      {n} leave requests approved through the L2 chain")
    result.rosters = solve_and_publish(
        db, cast, [month_start(today), next_month], roster_time_limit, say
    )

    say("[6/6] a month of centre life: requests, swaps, attendance, handovers, exams, inspections")
    # Each later stage draws from its own stream, so what depends on the solver's roster (swap
    # partners, attendance) cannot shift the seeded exams and inspections.
    requests_after_rosters(db, cast, random.Random(f"{seed}:requests"), today, say)
    centre_life(db, cast, random.Random(f"{seed}:life"), today, say)
    return result
