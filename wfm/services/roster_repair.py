"""L8: repair a published roster after a change with as few changed assignments as possible.

Approved leave repairs at once, inside the approving transaction, so the approval and the
repaired roster commit together. A team lead can also ask for a repair after other changes (an
agent left, the requirement was revised): that produces a draft to review and publish.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from rules.policy import Policy, load_policy
from solver import RosterSolution, repair
from wfm.db import transaction
from wfm.models import LeaveRequest, Roster, RosterAssignment, RosterStatus, Team
from wfm.services import audit
from wfm.services.errors import InputError, NotFound
from wfm.services.permissions import load_actor, require
from wfm.services.roster import (
    RosterSummary,
    _summary,
    _violation_dict,
    _write_assignments,
    build_problem,
)
from wfm.services.roster_inputs import published_roster, roster_assignments
from wfm.timeutil import month_start, now

# The approver waits for this; a failed repair falls back to emptying the leave days.
LEAVE_REPAIR_SECONDS = 5.0


@dataclass(frozen=True)
class RepairOutcome:
    roster_id: int  # the roster now in force (new version, or the old one if repair failed)
    changes: list[str]  # "L8: Li Na 2026-12-03: D09 → off"
    repaired: bool


def _new_version(
    session: Session, old: Roster, sol: RosterSolution, status: str, actor_id: int
) -> Roster:
    version = (
        session.scalar(
            select(func.max(Roster.version)).where(
                Roster.team_id == old.team_id, Roster.period_start == old.period_start
            )
        )
        or 0
    ) + 1
    new = Roster(
        team_id=old.team_id,
        period_start=old.period_start,
        period_end=old.period_end,
        version=version,
        status=status,
        solver_status=f"REPAIR {sol.status}",
        objective=sol.objective,
        bound=sol.bound,
        gap=sol.gap,
        solve_seconds=sol.elapsed_s,
        created_by_id=actor_id,
        based_on_id=old.id,
        explanation=[
            {
                "rule": "L8",
                "message": str(c),
                "hard": False,
                "person": c.person,
                "day": c.day.isoformat(),
                "cost": 0,
            }
            for c in sol.changes
        ]
        + [_violation_dict(v) for v in sol.explanations],
    )
    session.add(new)
    session.flush()
    _write_assignments(session, new.id, sol.assignments)
    return new


def repair_for_leave(
    session: Session,
    roster: Roster,
    leave: LeaveRequest,
    actor_id: int,
    *,
    policy: Policy | None = None,
) -> RepairOutcome:
    """Called by the leave service in its transaction once leave is fully approved."""
    pol = policy or load_policy()
    team = session.get(Team, roster.team_id)
    assert team is not None
    session.flush()  # the approval is visible to the problem's leave query
    problem = build_problem(session, team, roster.period_start, pol)
    published = roster_assignments(session, roster.id)
    sol = repair(problem, published, time_limit_s=LEAVE_REPAIR_SECONDS, explain=False)
    if not sol.feasible:
        # No repaired roster: at least honour R3 by emptying the leave days; the gap shows.
        emptied = [a for a in published if (a.person, a.day) in problem.leave]
        for a in emptied:
            row = session.scalar(
                select(RosterAssignment).where(
                    RosterAssignment.roster_id == roster.id,
                    RosterAssignment.person_id == int(a.person),
                    RosterAssignment.day == a.day,
                )
            )
            if row is not None:
                session.delete(row)
        audit.record(
            session,
            actor_id=actor_id,
            action="roster.repair_failed",
            entity="roster",
            entity_id=roster.id,
            detail=f"L8: leave {leave.id}: " + "; ".join(sol.infeasibility)[:400],
        )
        return RepairOutcome(
            roster.id, [f"L8: {a.day} {a.shift} emptied, not re-covered" for a in emptied], False
        )
    roster.status = RosterStatus.SUPERSEDED.value
    new = _new_version(session, roster, sol, RosterStatus.PUBLISHED.value, actor_id)
    new.published_at = now()
    new.published_by_id = actor_id
    changes = [str(c) for c in sol.changes]
    audit.record(
        session,
        actor_id=actor_id,
        action="roster.repair",
        entity="roster",
        entity_id=new.id,
        before={"roster": roster.id, "version": roster.version},
        after={"roster": new.id, "version": new.version, "changes": changes},
        detail=f"L8: after leave {leave.id}, {len(changes)} changed assignments",
    )
    return RepairOutcome(new.id, changes, True)


def repair_roster(
    db: sessionmaker[Session],
    actor_id: int,
    team_id: int,
    month: date,
    *,
    time_limit_s: float = 30.0,
    progress: Any = None,
    policy: Policy | None = None,
) -> RosterSummary:
    """Re-optimise the team's published roster for today's facts (people, leave, requirement)
    with as few changes as possible; the result is a draft listing every change (L8)."""
    pol = policy or load_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "roster.build", team_id=team_id)
        team = session.get(Team, team_id)
        if team is None:
            raise NotFound(f"team: no team with id {team_id}")
        old = published_roster(session, team_id, month_start(month))
        if old is None:
            raise InputError(
                f"month: {team.name} has no published roster for {month:%Y-%m} to repair",
                field="month",
            )
        problem = build_problem(session, team, old.period_start, pol)
        published = roster_assignments(session, old.id)
        old_id, team_name = old.id, team.name
    sol = repair(problem, published, time_limit_s=time_limit_s, progress=progress)
    if not sol.feasible:
        raise InputError("; ".join(sol.infeasibility) or "no repaired roster found", field="roster")
    with transaction(db) as session:
        old = session.get(Roster, old_id)
        assert old is not None
        new = _new_version(session, old, sol, RosterStatus.DRAFT.value, actor_id)
        audit.record(
            session,
            actor_id=actor_id,
            action="roster.repair",
            entity="roster",
            entity_id=new.id,
            before={"roster": old_id},
            after={"roster": new.id, "changes": [str(c) for c in sol.changes]},
        )
        return _summary(session, new, team_name)


def changes_of(roster: Roster) -> list[dict[str, Any]]:
    return [e for e in roster.explanation if e.get("rule") == "L8"]
