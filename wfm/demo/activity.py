"""A month of centre life for the demo, written through the same services users call, so every
demo record passed the centre's rules and left an audit trail."""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rules.violation import RuleViolation
from wfm.models import Person, Role, Team
from wfm.services.errors import ServiceError
from wfm.timeutil import NOW_ENV

Say = Callable[[str], None]


@dataclass(frozen=True)
class Cast:
    """Who is who in the demo, as plain ids (safe across transactions)."""

    team_ids: list[int]
    leads: dict[int, int]  # team id -> team lead id
    agents: dict[int, list[int]]  # team id -> agent ids
    grades: dict[int, str]  # person id -> grade
    dept_director: int
    centre_director: int
    inspector: int
    admin: int


def load_cast(db: sessionmaker[Session]) -> Cast:
    with db() as s:
        people = s.scalars(select(Person).order_by(Person.id)).all()
        teams = s.scalars(select(Team.id).order_by(Team.id)).all()
        by_role = {p.role: p.id for p in people if p.team_id is None}
        return Cast(
            team_ids=list(teams),
            leads={p.team_id: p.id for p in people if p.role == Role.TEAM_LEAD and p.team_id},
            agents={
                t: [p.id for p in people if p.team_id == t and p.role == Role.AGENT] for t in teams
            },
            grades={p.id: str(p.grade) for p in people if p.grade},
            dept_director=by_role[Role.DEPARTMENT_DIRECTOR],
            centre_director=by_role[Role.CENTRE_DIRECTOR],
            inspector=by_role[Role.QUALITY_INSPECTOR],
            admin=by_role[Role.ADMIN],
        )


@contextmanager
def clock(at: datetime) -> Iterator[None]:
    """Pin the services' clock (wfm.timeutil.now) while the demo replays past events."""
    old = os.environ.get(NOW_ENV)
    os.environ[NOW_ENV] = at.isoformat()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(NOW_ENV, None)
        else:
            os.environ[NOW_ENV] = old


def approved_leave_before_rosters(
    db: sessionmaker[Session],
    cast: Cast,
    rng: random.Random,
    today: date,
    next_month: date,
    say: Say,
) -> int:
    """Annual and personal leave in next month, requested with notice and approved through the
    whole L2 chain before the roster is built (so the solver respects it, R3)."""
    from wfm.services.leave import approve_leave, request_leave

    done = 0
    with clock(datetime.combine(today, time(9, 30))):
        for team in cast.team_ids:
            for agent in rng.sample(cast.agents[team], k=min(3, len(cast.agents[team]))):
                first = next_month + timedelta(days=rng.randint(2, 24))
                days = rng.choice([1, 1, 2, 3])
                kind = rng.choice(["annual", "annual", "personal"])
                try:
                    view = request_leave(
                        db,
                        agent,
                        leave_type=kind,
                        start_at=datetime.combine(first, time.min),
                        end_at=datetime.combine(first + timedelta(days=days), time.min),
                        reason="family matters 家中有事"
                        if kind == "personal"
                        else "annual leave 年假",
                    )
                    approve_leave(db, cast.leads[team], view.id)
                    approve_leave(
                        db, cast.dept_director if days <= 1 else cast.centre_director, view.id
                    )
                    done += 1
                except (ServiceError, RuleViolation) as err:
                    say(f"      (leave skipped: {err})")
    return done


def solve_and_publish(
    db: sessionmaker[Session], cast: Cast, months: list[date], time_limit: float, say: Say
) -> list[str]:
    from wfm.services.roster import publish_roster, solve_roster

    lines = []
    for month in months:
        for team in cast.team_ids:
            lead = cast.leads[team]
            summary = solve_roster(db, lead, team, month, time_limit_s=time_limit)
            line = (
                f"      {summary.team} {month:%Y-%m}: {summary.solver_status}, objective {summary.objective}, "
                f"bound {summary.bound}, gap {100 * (summary.gap or 0):.1f} %, "
                f"hard violations {summary.hard_violations}"
            )
            if summary.hard_violations == 0:
                publish_roster(db, lead, summary.roster_id)
                line += ", published"
            say(line)
            lines.append(line.strip())
    return lines


def requests_after_rosters(
    db: sessionmaker[Session], cast: Cast, rng: random.Random, today: date, say: Say
) -> None:
    """Open work for the dashboards: pending leave, swaps at each stage."""
    from wfm.services.leave import approve_leave, request_leave
    from wfm.services.swaps import approve_swap, propose_swap, respond_swap, swap_candidates

    team = cast.team_ids[0]
    with clock(datetime.combine(today, time(10, 0))):
        for agent in cast.agents[team][:3]:
            first = today + timedelta(days=rng.randint(5, 20))
            try:
                v = request_leave(
                    db,
                    agent,
                    leave_type="personal",
                    start_at=datetime.combine(first, time.min),
                    end_at=datetime.combine(first + timedelta(days=1), time.min),
                    reason="medical check-up 体检",
                )
                if agent == cast.agents[team][0]:
                    approve_leave(db, cast.leads[team], v.id)  # now waiting for the director
            except (ServiceError, RuleViolation) as err:
                say(f"      (leave request skipped: {err})")
        made = 0
        for agent in cast.agents[team]:
            if made >= 3:
                break
            day = today + timedelta(days=rng.randint(3, 12))
            try:
                cands = [c for c in swap_candidates(db, agent, day) if c.eligible]
            except (ServiceError, RuleViolation):
                continue
            if not cands:
                continue
            other = rng.choice(cands)
            try:
                s = propose_swap(
                    db,
                    agent,
                    counterpart_id=other.person_id,
                    proposer_day=day,
                    counterpart_day=day,
                    reason="family event 家庭活动",
                )
                if made >= 1:
                    respond_swap(db, other.person_id, s.id, accept=True)
                if made >= 2:
                    approve_swap(db, cast.leads[team], s.id)
                made += 1
            except (ServiceError, RuleViolation) as err:
                say(f"      (swap skipped: {err})")
        say(f"      {made} swaps (proposed, accepted, approved)")
