"""Rosters in the database: build the problem, solve outside any transaction, store a draft,
edit a cell with an immediate rule check, publish (versioned), read the grid.

    solve_roster  -> a new draft version with objective, bound, gap and explanation
    publish_roster -> the draft becomes the published roster; the previous one is superseded
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from rules.policy import Policy, load_policy
from rules.roster import check_roster
from rules.snapshot import Assignment
from rules.violation import RuleViolation, Violation
from solver.problem import RosterProblem
from wfm.db import transaction
from wfm.models import Person, Roster, RosterAssignment, RosterStatus, ShiftType, Team
from wfm.services import audit
from wfm.services.errors import InputError, NotFound
from wfm.services.permissions import load_actor, require
from wfm.services.roster_inputs import (
    calendar_days,
    leave_days,
    preferences,
    previous_assignments,
    roster_assignments,
    shift_types,
    team_people,
    team_requirement,
)
from wfm.timeutil import month_end, month_start, now

ProgressFn = Callable[[Any], None]


@dataclass(frozen=True)
class RosterSummary:
    roster_id: int
    team_id: int
    team: str
    month: date
    version: int
    status: str
    solver_status: str
    objective: float | None
    bound: float | None
    gap: float | None
    solve_seconds: float | None
    hard_violations: int
    explanation: list[dict[str, Any]]


def _violation_dict(v: Violation) -> dict[str, Any]:
    return {
        "rule": v.rule,
        "message": v.message,
        "hard": v.hard,
        "person": v.person,
        "day": v.day.isoformat() if v.day else None,
        "cost": v.cost,
    }


def build_problem(session: Session, team: Team, month: date, policy: Policy) -> RosterProblem:
    """The frozen solver input for one team's month, read in the caller's transaction."""
    start, end = month_start(month), month_end(month)
    people = team_people(session, team.id, start)
    if not people:
        raise InputError(f"team {team.name}: no active agents to roster", field="team")
    ids = [int(p.key) for p in people]
    holidays, workdays = calendar_days(session, start, end)
    return RosterProblem(
        start=start,
        end=end,
        people=tuple(people),
        shift_types=tuple(shift_types(session)),
        requirement=team_requirement(session, team, start, end, policy.service.interval_minutes),
        policy=policy,
        leave=leave_days(session, ids, start, end),
        holidays=holidays,
        workdays=workdays,
        preferences=preferences(session, ids, start, end),
        previous=previous_assignments(session, team.id, start),
        name=f"{team.name} {start:%Y-%m}",
    )


def _team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(f"team: no team with id {team_id}")
    return team


def solve_roster(
    db: sessionmaker[Session],
    actor_id: int,
    team_id: int,
    month: date,
    *,
    time_limit_s: float = 30.0,
    workers: int = 2,
    progress: ProgressFn | None = None,
    policy: Policy | None = None,
) -> RosterSummary:
    """Solve the team's month and store the result as a new draft version."""
    from solver import solve  # heavy import (ortools) only when a roster is really built

    pol = policy or load_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "roster.build", team_id=team_id)
        team = _team(session, team_id)
        problem = build_problem(session, team, month, pol)
        team_name = team.name
    solution = solve(problem, time_limit_s=time_limit_s, workers=workers, progress=progress)
    with transaction(db) as session:
        version = (
            session.scalar(
                select(func.max(Roster.version)).where(
                    Roster.team_id == team_id, Roster.period_start == problem.start
                )
            )
            or 0
        ) + 1
        roster = Roster(
            team_id=team_id,
            period_start=problem.start,
            period_end=problem.end,
            version=version,
            status=RosterStatus.DRAFT.value,
            solver_status=str(solution.status),
            objective=solution.objective,
            bound=solution.bound,
            gap=solution.gap,
            solve_seconds=solution.wall_time,
            created_by_id=actor_id,
            explanation=[_violation_dict(v) for v in solution.explanations],
        )
        session.add(roster)
        session.flush()
        _write_assignments(session, roster.id, solution.assignments)
        audit.record(
            session,
            actor_id=actor_id,
            action="roster.solve",
            entity="roster",
            entity_id=roster.id,
            after={
                "team": team_name,
                "month": problem.start,
                "version": version,
                "status": str(solution.status),
                "objective": solution.objective,
                "bound": solution.bound,
                "gap": solution.gap,
            },
        )
        return _summary(session, roster, team_name)


def _write_assignments(
    session: Session, roster_id: int, assignments: list[Assignment] | tuple[Assignment, ...]
) -> None:
    codes = dict(session.execute(select(ShiftType.code, ShiftType.id)).all())
    session.add_all(
        RosterAssignment(
            roster_id=roster_id, person_id=int(a.person), day=a.day, shift_type_id=codes[a.shift]
        )
        for a in assignments
    )


def _summary(session: Session, roster: Roster, team_name: str) -> RosterSummary:
    hard = sum(1 for e in roster.explanation if e.get("hard"))
    return RosterSummary(
        roster_id=roster.id,
        team_id=roster.team_id,
        team=team_name,
        month=roster.period_start,
        version=roster.version,
        status=roster.status,
        solver_status=roster.solver_status,
        objective=roster.objective,
        bound=roster.bound,
        gap=roster.gap,
        solve_seconds=roster.solve_seconds,
        hard_violations=hard,
        explanation=list(roster.explanation),
    )


def _roster(session: Session, roster_id: int) -> Roster:
    roster = session.get(Roster, roster_id)
    if roster is None:
        raise NotFound(f"roster: no roster with id {roster_id}")
    return roster


def check_stored_roster(session: Session, roster: Roster, policy: Policy) -> list[Violation]:
    """Run every roster rule on a stored roster version."""
    team = _team(session, roster.team_id)
    problem = build_problem(session, team, roster.period_start, policy)
    return check_roster(problem.snapshot(roster_assignments(session, roster.id)), policy)


def publish_roster(
    db: sessionmaker[Session], actor_id: int, roster_id: int, *, policy: Policy | None = None
) -> RosterSummary:
    """Publish a draft: refused while it breaks a hard rule; the previous published version is
    superseded (kept for history)."""
    pol = policy or load_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        roster = _roster(session, roster_id)
        require(actor, "roster.publish", team_id=roster.team_id)
        if roster.status != RosterStatus.DRAFT.value:
            raise InputError(
                f"roster {roster_id}: only a draft can be published (it is {roster.status})",
                field="roster",
            )
        violations = check_stored_roster(session, roster, pol)
        hard = [v for v in violations if v.hard]
        if hard:
            raise RuleViolation(hard[:20])
        for old in session.scalars(
            select(Roster).where(
                Roster.team_id == roster.team_id,
                Roster.period_start == roster.period_start,
                Roster.status == RosterStatus.PUBLISHED.value,
            )
        ):
            old.status = RosterStatus.SUPERSEDED.value
        roster.status = RosterStatus.PUBLISHED.value
        roster.published_at = now()
        roster.published_by_id = actor_id
        roster.explanation = [_violation_dict(v) for v in violations]
        audit.record(
            session,
            actor_id=actor_id,
            action="roster.publish",
            entity="roster",
            entity_id=roster.id,
            before={"status": "draft"},
            after={"status": "published", "version": roster.version},
        )
        return _summary(session, roster, _team(session, roster.team_id).name)


def edit_assignment(
    db: sessionmaker[Session],
    actor_id: int,
    roster_id: int,
    person_id: int,
    day: date,
    shift_code: str | None,
    *,
    policy: Policy | None = None,
) -> list[Violation]:
    """Change one cell of a draft (None = day off) and return the person's rule violations
    after the change, so the page can show them at once. Hard violations refuse the edit."""
    pol = policy or load_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        roster = _roster(session, roster_id)
        require(actor, "roster.build", team_id=roster.team_id)
        if roster.status != RosterStatus.DRAFT.value:
            raise InputError(
                "roster: only a draft can be edited; solve or repair to change a published roster",
                field="roster",
            )
        if not roster.period_start <= day <= roster.period_end:
            raise InputError(f"day: {day} is outside {roster.period_start:%Y-%m}", field="day")
        person = session.get(Person, person_id)
        if person is None or person.team_id != roster.team_id:
            raise InputError(f"person: {person_id} is not in this roster's team", field="person")
        before = session.scalar(
            select(RosterAssignment).where(
                RosterAssignment.roster_id == roster_id,
                RosterAssignment.person_id == person_id,
                RosterAssignment.day == day,
            )
        )
        old_code = session.get(ShiftType, before.shift_type_id).code if before else None  # type: ignore[union-attr]
        if before is not None:
            session.delete(before)
            session.flush()
        if shift_code:
            st = session.scalar(select(ShiftType).where(ShiftType.code == shift_code))
            if st is None:
                raise InputError(f"shift: unknown shift code {shift_code!r}", field="shift")
            session.add(
                RosterAssignment(
                    roster_id=roster_id, person_id=person_id, day=day, shift_type_id=st.id
                )
            )
            session.flush()
        found = check_stored_roster(session, roster, pol)
        mine = [v for v in found if v.person in (str(person_id), person.name) or v.person is None]
        hard = [v for v in mine if v.hard and (v.person is not None or v.day == day)]
        if hard:
            raise RuleViolation(hard)
        roster.explanation = [_violation_dict(v) for v in found]
        audit.record(
            session,
            actor_id=actor_id,
            action="roster.edit",
            entity="roster",
            entity_id=roster_id,
            before={"person": person_id, "day": day, "shift": old_code},
            after={"person": person_id, "day": day, "shift": shift_code},
        )
        return mine


def roster_grid(db: sessionmaker[Session], actor_id: int, roster_id: int) -> pd.DataFrame:
    """People × days of shift codes ('' = day off) for a roster the actor may see."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        roster = _roster(session, roster_id)
        require(actor, "roster.view", team_id=roster.team_id)
        return grid_frame(session, roster)


def grid_frame(session: Session, roster: Roster) -> pd.DataFrame:
    people = session.execute(
        select(Person.id, Person.name, Person.name_zh, Person.grade)
        .where(Person.team_id == roster.team_id, Person.active.is_(True))
        .order_by(Person.id)
    ).all()
    days = [
        roster.period_start + timedelta(days=i)
        for i in range((roster.period_end - roster.period_start).days + 1)
    ]
    cells = {(int(a.person), a.day): a.shift for a in roster_assignments(session, roster.id)}
    rows = [
        {
            "person_id": pid,
            "name": name,
            "name_zh": zh,
            "grade": str(grade or ""),
            **{d.isoformat(): cells.get((pid, d), "") for d in days},
        }
        for pid, name, zh, grade in people
    ]
    return pd.DataFrame(rows)


def delete_draft(db: sessionmaker[Session], actor_id: int, roster_id: int) -> None:
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        roster = _roster(session, roster_id)
        require(actor, "roster.build", team_id=roster.team_id)
        if roster.status != RosterStatus.DRAFT.value:
            raise InputError("roster: only drafts can be deleted", field="roster")
        session.execute(delete(RosterAssignment).where(RosterAssignment.roster_id == roster_id))
        session.delete(roster)
        audit.record(
            session,
            actor_id=actor_id,
            action="roster.delete_draft",
            entity="roster",
            entity_id=roster_id,
        )


def list_rosters(
    db: sessionmaker[Session], actor_id: int, team_id: int, month: date | None = None
) -> list[RosterSummary]:
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "roster.view", team_id=team_id)
        team = _team(session, team_id)
        q = select(Roster).where(Roster.team_id == team_id)
        if month is not None:
            q = q.where(Roster.period_start == month_start(month))
        return [
            _summary(session, r, team.name)
            for r in session.scalars(q.order_by(Roster.period_start, Roster.version))
        ]


def _snapshot_of(session: Session, roster: Roster, policy: Policy) -> Any:
    team = _team(session, roster.team_id)
    problem = build_problem(session, team, roster.period_start, policy)
    return team, problem.snapshot(roster_assignments(session, roster.id))


def export_roster(
    db: sessionmaker[Session],
    actor_id: int,
    roster_id: int,
    fmt: str,
    *,
    policy: Policy | None = None,
) -> tuple[str, bytes]:
    """(file name, bytes) of the roster as 'xlsx' (grid) or 'csv' (one row per assignment)."""
    from wfm.exports import ShiftStyle, roster_csv, roster_excel

    if fmt not in ("xlsx", "csv"):
        raise InputError(f"format: expected xlsx or csv, got {fmt!r}", field="format")
    pol = policy or load_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        roster = _roster(session, roster_id)
        require(actor, "roster.view", team_id=roster.team_id)
        team, snap = _snapshot_of(session, roster, pol)
        grid = grid_frame(session, roster)
        slug = team.name.replace(" ", "_")
        name = f"roster-{slug}-{roster.period_start:%Y-%m}-v{roster.version}.{fmt}"
        if fmt == "csv":
            return name, roster_csv(grid, snap)
        styles = [
            ShiftStyle(s.code, f"{s.name_zh} {s.name}".strip(), s.colour)
            for s in session.scalars(select(ShiftType).order_by(ShiftType.start_minute))
        ]
        title = (
            f"{team.name_zh or team.name} {roster.period_start:%Y-%m} "
            f"v{roster.version} ({roster.status})"
        )
        return name, roster_excel(title, grid, snap, styles, pol)


def export_agent_ical(
    db: sessionmaker[Session],
    actor_id: int,
    roster_id: int,
    person_id: int,
    *,
    policy: Policy | None = None,
) -> tuple[str, bytes]:
    """An agent's shifts as an .ics file (the agent, their team lead or a director)."""
    from wfm.exports import agent_ical

    pol = policy or load_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        roster = _roster(session, roster_id)
        person = session.get(Person, person_id)
        if person is None or person.team_id != roster.team_id:
            raise InputError(f"person: {person_id} is not in this roster's team", field="person")
        require(actor, "roster.view", person=person)
        _team_row, snap = _snapshot_of(session, roster, pol)
        return (
            f"shifts-{person.username}-{roster.period_start:%Y-%m}.ics",
            agent_ical(person.name, str(person.id), snap, pol.roster.roll_call_minutes),
        )
