"""Leave and swap requests: a person's own, the actor's approval queue, and statistics."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, sessionmaker

from wfm.models import (
    LeaveApproval,
    LeaveRequest,
    Person,
    RequestStatus,
    Role,
    ShiftType,
    SwapApproval,
    SwapRequest,
    Team,
)
from wfm.views._common import read_session
from wfm.views.scope import Actor, load_actor, require_person, visible_person_ids

LEAVE_COLUMNS = [
    "id",
    "person_id",
    "person",
    "person_zh",
    "team_id",
    "leave_type",
    "start_at",
    "end_at",
    "days",
    "status",
    "requested_at",
    "reason",
    "next_step",
    "steps",
]
SWAP_COLUMNS = [
    "id",
    "proposer_id",
    "proposer",
    "counterpart_id",
    "counterpart",
    "proposer_day",
    "proposer_shift",
    "counterpart_day",
    "counterpart_shift",
    "status",
    "requested_at",
    "approvals",
]


def _leave_frame(s: Session, requests: list[LeaveRequest], who: Actor) -> pd.DataFrame:
    visible = visible_person_ids(s, who, "leave.view_private")
    people = {
        p.id: p
        for p in s.scalars(select(Person).where(Person.id.in_({r.person_id for r in requests})))
    }
    rows = []
    for r in requests:
        p = people[r.person_id]
        pending = [st for st in r.steps if st.decision is None]
        rows.append(
            {
                "id": r.id,
                "person_id": r.person_id,
                "person": p.name,
                "person_zh": p.name_zh,
                "team_id": p.team_id,
                "leave_type": r.leave_type,
                "start_at": r.start_at,
                "end_at": r.end_at,
                "days": round((r.end_at - r.start_at).total_seconds() / 86400.0, 2),
                "status": r.status,
                "requested_at": r.requested_at,
                # Private: only the person and their managers read the reason.
                "reason": r.reason
                if visible is None or r.person_id in visible or r.person_id == who.id
                else "",
                "next_step": pending[0].approver_role if pending and r.status == "pending" else "",
                "steps": " → ".join(f"{st.approver_role}:{st.decision or '…'}" for st in r.steps),
            }
        )
    return pd.DataFrame(rows, columns=LEAVE_COLUMNS)


def my_leave(
    db: sessionmaker[Session], actor_id: int, person_id: int | None = None
) -> pd.DataFrame:
    """A person's leave requests (default: the actor's own), newest first."""
    with read_session(db) as s:
        who = load_actor(s, actor_id)
        pid = person_id or actor_id
        require_person(s, who, pid, "leave.view")
        reqs = list(
            s.scalars(
                select(LeaveRequest)
                .where(LeaveRequest.person_id == pid)
                .order_by(LeaveRequest.requested_at.desc())
            )
        )
        return _leave_frame(s, reqs, who)


def leave_queue(db: sessionmaker[Session], actor_id: int) -> pd.DataFrame:
    """Pending leave whose next undecided step is the actor's role, inside the actor's scope
    (a team lead: their team; directors: everyone). The services decide; this only lists."""
    with read_session(db) as s:
        who = load_actor(s, actor_id)
        reqs = list(
            s.scalars(
                select(LeaveRequest)
                .where(LeaveRequest.status == RequestStatus.PENDING.value)
                .order_by(LeaveRequest.start_at)
            )
        )
        visible = visible_person_ids(s, who, "leave.approve")
        mine = []
        for r in reqs:
            pending = [st for st in r.steps if st.decision is None]
            if not pending or pending[0].approver_role != str(who.role):
                continue
            if visible is not None and r.person_id not in visible:
                continue
            mine.append(r)
        return _leave_frame(s, mine, who)


def _swap_frame(s: Session, swaps: list[SwapRequest]) -> pd.DataFrame:
    ids = {sw.proposer_id for sw in swaps} | {sw.counterpart_id for sw in swaps}
    people = dict(s.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all())
    codes = dict(s.execute(select(ShiftType.id, ShiftType.code)).all())
    teams = dict(s.execute(select(Team.id, Team.name)).all())
    rows = []
    for sw in swaps:
        rows.append(
            {
                "id": sw.id,
                "proposer_id": sw.proposer_id,
                "proposer": people.get(sw.proposer_id, ""),
                "counterpart_id": sw.counterpart_id,
                "counterpart": people.get(sw.counterpart_id, ""),
                "proposer_day": sw.proposer_day,
                "proposer_shift": codes.get(sw.proposer_shift_id, ""),
                "counterpart_day": sw.counterpart_day,
                "counterpart_shift": codes.get(sw.counterpart_shift_id, "")
                if sw.counterpart_shift_id
                else "",
                "status": sw.status,
                "requested_at": sw.requested_at,
                "approvals": ", ".join(
                    f"{teams.get(a.team_id, a.team_id)}:{a.decision or '…'}" for a in sw.approvals
                ),
            }
        )
    return pd.DataFrame(rows, columns=SWAP_COLUMNS)


def my_swaps(db: sessionmaker[Session], actor_id: int) -> pd.DataFrame:
    """Swaps the actor proposed or was asked to take, newest first."""
    with read_session(db) as s:
        swaps = list(
            s.scalars(
                select(SwapRequest)
                .where(
                    (SwapRequest.proposer_id == actor_id) | (SwapRequest.counterpart_id == actor_id)
                )
                .order_by(SwapRequest.requested_at.desc())
            )
        )
        return _swap_frame(s, swaps)


def swap_queue(db: sessionmaker[Session], actor_id: int) -> pd.DataFrame:
    """Accepted swaps waiting for the actor's team's approval (W2)."""
    with read_session(db) as s:
        who = load_actor(s, actor_id)
        if who.role != Role.TEAM_LEAD and not who.centre_wide:
            return _swap_frame(s, [])
        q = (
            select(SwapRequest)
            .join(SwapApproval, SwapApproval.swap_id == SwapRequest.id)
            .where(SwapRequest.status == "accepted", SwapApproval.decision.is_(None))
            .order_by(SwapRequest.proposer_day)
        )
        if who.role == Role.TEAM_LEAD:
            q = q.where(SwapApproval.team_id == who.team_id)
        return _swap_frame(s, list(s.scalars(q).unique()))


def _span(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, datetime.min.time()),
        datetime.combine(end + timedelta(days=1), datetime.min.time()),
    )


def leave_stats(db: sessionmaker[Session], actor_id: int, start: date, end: date) -> pd.DataFrame:
    """Leave starting in [start, end] by team, type and status: requests and days."""
    lo, hi = _span(start, end)
    with read_session(db) as s:
        who = load_actor(s, actor_id)
        visible = visible_person_ids(s, who, "leave.view")
        q = (
            select(
                Team.name,
                LeaveRequest.leave_type,
                LeaveRequest.status,
                LeaveRequest.start_at,
                LeaveRequest.end_at,
                LeaveRequest.person_id,
            )
            .join(Person, Person.id == LeaveRequest.person_id)
            .join(Team, Team.id == Person.team_id)
            .where(LeaveRequest.start_at >= lo, LeaveRequest.start_at < hi)
        )
        rows = [r for r in s.execute(q).all() if visible is None or r[5] in visible]
    frame = pd.DataFrame(
        rows, columns=["team", "leave_type", "status", "start_at", "end_at", "pid"]
    )
    frame["days"] = (
        (frame["end_at"] - frame["start_at"]).dt.total_seconds() / 86400.0 if len(frame) else 0.0
    )
    out = frame.groupby(["team", "leave_type", "status"], as_index=False).agg(
        requests=("pid", "size"), days=("days", "sum")
    )
    return out


def swap_stats(db: sessionmaker[Session], actor_id: int, start: date, end: date) -> pd.DataFrame:
    """Swaps on days in [start, end] by the proposer's team and status."""
    with read_session(db) as s:
        who = load_actor(s, actor_id)
        visible = visible_person_ids(s, who, "swap.view")
        proposer = aliased(Person)
        rows = s.execute(
            select(Team.name, SwapRequest.status, SwapRequest.proposer_id)
            .join(proposer, proposer.id == SwapRequest.proposer_id)
            .join(Team, Team.id == proposer.team_id)
            .where(SwapRequest.proposer_day >= start, SwapRequest.proposer_day <= end)
        ).all()
    rows = [r for r in rows if visible is None or r[2] in visible]
    frame = pd.DataFrame(rows, columns=["team", "status", "pid"])
    return frame.groupby(["team", "status"], as_index=False).agg(swaps=("pid", "size"))


def leave_approval_steps(db: sessionmaker[Session], actor_id: int, request_id: int) -> pd.DataFrame:
    """The L2 chain of one request: step, role, approver, decision, when, comment."""
    with read_session(db) as s:
        req = s.get(LeaveRequest, request_id)
        if req is None:
            return pd.DataFrame(
                columns=["step", "approver_role", "approver", "decision", "decided_at", "comment"]
            )
        require_person(s, load_actor(s, actor_id), req.person_id, "leave.view")
        names = dict(s.execute(select(Person.id, Person.name)).all())
        rows = [
            (
                st.step,
                st.approver_role,
                names.get(st.approver_id, "") if st.approver_id is not None else "",
                st.decision or "",
                st.decided_at,
                st.comment,
            )
            for st in s.scalars(
                select(LeaveApproval)
                .where(LeaveApproval.request_id == request_id)
                .order_by(LeaveApproval.step)
            )
        ]
    return pd.DataFrame(
        rows, columns=["step", "approver_role", "approver", "decision", "decided_at", "comment"]
    )
