"""Leave (L1-L8): request, withdraw, approve step by step, reject, cancel approved leave before
it starts, record a sick certificate, preview the effect on coverage, and hand the emptied
shifts to the roster repair (L8).

The rules are judged by `rules.leave` on the PUBLISHED roster (the shifts a leave empties).
Sick leave is approved through the chain like any other, but its view says
`certificate_missing` until a certificate covering the whole span is recorded (L4).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rules import leave as rules
from rules.policy import Policy, default_policy
from rules.snapshot import ShiftType as SnapShift
from rules.swap import IntervalEffect, coverage_effect
from rules.violation import RuleViolation
from wfm import timeutil
from wfm.db import transaction
from wfm.models import (
    CalendarDay,
    LeaveApproval,
    LeaveRequest,
    Person,
    RequestStatus,
    Role,
    Roster,
    RosterAssignment,
    ShiftType,
)
from wfm.services.audit import record
from wfm.services.decisions import decide
from wfm.services.errors import InputError, NotFound, PermissionDenied
from wfm.services.permissions import allowed, load_actor, require
from wfm.services.roster_inputs import snap_shift
from wfm.services.roster_read import published_assignment, snapshot_for_team

# Approved leave cancelled before its first day (`leave_request.status` is a plain String(16),
# so the new value needs no migration); like withdrawn/rejected, it is not in force.
CANCELLED = RequestStatus.CANCELLED.value
ROSTER_NOT_CHANGED = (
    "the published roster is not changed: the team lead re-solves or repairs it to use the "
    "person again"
)


@dataclass(frozen=True, slots=True)
class LeaveStepView:
    step: int
    approver_role: str
    approver_id: int | None
    decision: str | None
    decided_at: datetime | None
    comment: str


@dataclass(frozen=True, slots=True)
class LeaveView:
    id: int
    person_id: int
    person_name: str
    requested_by_id: int
    leave_type: str
    start_at: datetime
    end_at: datetime
    status: str
    requested_at: datetime
    needs_management: bool
    exception_rules: tuple[str, ...]
    steps: tuple[LeaveStepView, ...]
    emptied_shifts: tuple[tuple[date, str], ...]  # rostered shifts the leave empties
    certificate_missing: bool  # L4: sick leave without a full certificate yet
    # Private fields: empty/None unless the viewer is the person or a manager in scope.
    reason: str = ""
    certificate_from: date | None = None
    certificate_to: date | None = None
    private_visible: bool = False
    coverage: tuple[IntervalEffect, ...] = ()  # filled by approve_leave on final approval


# ---------------------------------------------------------------------------- helpers


def _affected(
    session: Session, person_id: int, start_at: datetime, end_at: datetime
) -> list[tuple[RosterAssignment, SnapShift]]:
    """The person's published assignments whose shift overlaps [start_at, end_at)."""
    out = []
    day = start_at.date() - timedelta(days=1)  # a night shift of the day before reaches in
    while day <= end_at.date():
        a = published_assignment(session, person_id, day)
        if a is not None:
            st = session.get(ShiftType, a.shift_type_id)
            assert st is not None
            snap = snap_shift(st)
            if snap.start_on(day) < end_at and snap.end_on(day) > start_at:
                out.append((a, snap))
        day += timedelta(days=1)
    return out


def _holidays(session: Session, start: date, end: date) -> frozenset[date]:
    rows = session.scalars(
        select(CalendarDay.day).where(
            CalendarDay.kind == "holiday", CalendarDay.day.between(start, end)
        )
    )
    return frozenset(rows)


def _request(session: Session, request_id: int, *, lock: bool = False) -> LeaveRequest:
    q = select(LeaveRequest).where(LeaveRequest.id == request_id)
    if lock:
        q = q.with_for_update()
    r = session.scalars(q).first()
    if r is None:
        raise NotFound(f"no leave request {request_id}")
    return r


def _person(session: Session, person_id: int) -> Person:
    p = session.get(Person, person_id)
    if p is None:
        raise NotFound(f"no person with id {person_id}")
    return p


def _view(
    session: Session, r: LeaveRequest, viewer: Person, coverage: tuple[IntervalEffect, ...] = ()
) -> LeaveView:
    person = _person(session, r.person_id)
    private = viewer.id in (r.person_id, r.requested_by_id) or allowed(
        viewer, "leave.view_private", person=person
    )
    emptied = tuple(
        (a.day, s.code) for a, s in _affected(session, r.person_id, r.start_at, r.end_at)
    )
    return LeaveView(
        id=r.id,
        person_id=r.person_id,
        person_name=person.name,
        requested_by_id=r.requested_by_id,
        leave_type=r.leave_type,
        start_at=r.start_at,
        end_at=r.end_at,
        status=r.status,
        requested_at=r.requested_at,
        needs_management=r.needs_management,
        exception_rules=tuple(x for x in r.exception_rules.split(",") if x),
        steps=tuple(
            LeaveStepView(
                s.step, s.approver_role, s.approver_id, s.decision, s.decided_at, s.comment
            )
            for s in r.steps
        ),
        emptied_shifts=emptied,
        certificate_missing=r.leave_type == rules.SICK and not r.certificate_received,
        reason=r.reason if private else "",
        certificate_from=r.certificate_from if private else None,
        certificate_to=r.certificate_to if private else None,
        private_visible=private,
        coverage=coverage,
    )


def _state(r: LeaveRequest) -> dict[str, object]:
    return {
        "status": r.status,
        "steps": [(s.approver_role, s.decision) for s in r.steps],
        "certificate": [r.certificate_from, r.certificate_to] if r.certificate_received else None,
    }


# ---------------------------------------------------------------------------- request


def request_leave(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    leave_type: str,
    start_at: datetime,
    end_at: datetime,
    reason: str = "",
    person_id: int | None = None,
    policy: Policy | None = None,
) -> LeaveView:
    """Request leave for oneself (L3), or record sick leave for a team member as their team
    lead. Judges L1, L3, L5, L6 against the published roster; late or exceptional requests are
    marked `needs_management` (the chain ends with a director). Raises PermissionDenied,
    InputError (field named), RuleViolation (rule IDs)."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        person = (
            actor if person_id is None or person_id == actor.id else _person(session, person_id)
        )
        by_self = person.id == actor.id
        require(actor, "leave.request")
        if leave_type not in rules.LEAVE_TYPES:
            raise InputError(
                f"leave_type: {leave_type!r} is not one of {', '.join(rules.LEAVE_TYPES)}",
                field="leave_type",
            )
        if end_at <= start_at:
            raise InputError("end_at: must be after start_at", field="end_at")
        overlap = session.scalars(
            select(LeaveRequest.id).where(
                LeaveRequest.person_id == person.id,
                LeaveRequest.status.in_(
                    (RequestStatus.PENDING.value, RequestStatus.APPROVED.value)
                ),
                LeaveRequest.start_at < end_at,
                LeaveRequest.end_at > start_at,
            )
        ).first()
        if overlap is not None:
            raise InputError(f"start_at: overlaps leave request {overlap}", field="start_at")
        affected = _affected(session, person.id, start_at, end_at)
        now = timeutil.now()
        case = rules.LeaveCase(
            person=person.name,
            leave_type=leave_type,
            start_at=start_at,
            end_at=end_at,
            requested_at=now,
            by_self=by_self,
            by_their_team_lead=not by_self and allowed(actor, "leave.record_sick", person=person),
            shifts=tuple(rules.AffectedShift(a.day, s) for a, s in affected),
            holidays=_holidays(session, start_at.date(), end_at.date()),
            person_is_team_lead=person.role == Role.TEAM_LEAD,
        )
        verdict = rules.assess(case, policy)
        if verdict.violations:
            raise RuleViolation(verdict.violations)
        r = LeaveRequest(
            person_id=person.id,
            requested_by_id=actor.id,
            leave_type=leave_type,
            start_at=start_at,
            end_at=end_at,
            reason=reason,
            requested_at=now,
            status=RequestStatus.PENDING.value,
            needs_management=verdict.needs_management,
            exception_rules=",".join(verdict.exceptions),
        )
        for i, role in enumerate(verdict.chain, start=1):
            r.steps.append(LeaveApproval(step=i, approver_role=role))
        session.add(r)
        session.flush()
        record(
            session,
            actor_id=actor.id,
            action="leave.request",
            entity="leave_request",
            entity_id=r.id,
            after={
                "person_id": person.id,
                "type": leave_type,
                "start_at": start_at,
                "end_at": end_at,
                "chain": list(verdict.chain),
                "exceptions": list(verdict.exceptions),
            },
        )
        return _view(session, r, actor)


def withdraw_leave(db: sessionmaker[Session], actor_id: int, request_id: int) -> LeaveView:
    """The person (or whoever recorded it) withdraws a pending request."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        r = _request(session, request_id, lock=True)
        require(actor, "leave.withdraw")
        if actor.id not in (r.person_id, r.requested_by_id):
            raise PermissionDenied("only the person may withdraw their leave request")
        if r.status != RequestStatus.PENDING.value:
            hint = " (cancel approved leave instead)" if r.status == "approved" else ""
            raise InputError(
                f"request: is {r.status}; only a pending request can be withdrawn{hint}",
                field="request",
            )
        before = _state(r)
        r.status = RequestStatus.WITHDRAWN.value
        record(
            session,
            actor_id=actor.id,
            action="leave.withdraw",
            entity="leave_request",
            entity_id=r.id,
            before=before,
            after=_state(r),
        )
        return _view(session, r, actor)


def _cancel_refusal(r: LeaveRequest, today: date) -> InputError | None:
    """Why approved leave `r` cannot be cancelled on `today` (None: it can)."""
    if r.status != RequestStatus.APPROVED.value:
        what = "withdraw it instead" if r.status == "pending" else "nothing to cancel"
        return InputError(
            f"status: leave request {r.id} is {r.status}; only approved leave can be cancelled "
            f"({what})",
            field="status",
        )
    if r.start_at.date() <= today:
        return InputError(
            f"start_at: leave request {r.id} began on {r.start_at:%Y-%m-%d}; only leave whose "
            "first day has not started can be cancelled",
            field="start_at",
        )
    return None


def cancel_leave(
    db: sessionmaker[Session], actor_id: int, request_id: int, *, reason: str = ""
) -> LeaveView:
    """Cancel APPROVED leave before its first day: the person, or a manager who may approve
    their leave (team lead of the team, directors). The status becomes `cancelled`; the
    published roster is NOT changed (the shifts the approval emptied stay empty or repaired
    until the team lead re-solves or repairs it). Raises PermissionDenied (someone else's
    leave), InputError naming `status` (not approved) or `start_at` (already started)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        r = _request(session, request_id, lock=True)
        require(actor, "leave.cancel", person=_person(session, r.person_id))
        refusal = _cancel_refusal(r, timeutil.now().date())
        if refusal is not None:
            raise refusal
        before = _state(r)
        r.status = CANCELLED
        record(
            session,
            actor_id=actor.id,
            action="leave.cancel",
            entity="leave_request",
            entity_id=r.id,
            before=before,
            after=_state(r),
            detail=f"{reason.strip()} — {ROSTER_NOT_CHANGED}"
            if reason.strip()
            else ROSTER_NOT_CHANGED,
        )
        return _view(session, r, actor)


def cancellable_leave(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    person_id: int | None = None,
    others: bool = False,
) -> list[LeaveView]:
    """Approved leave the actor may cancel today: of `person_id` (default: the actor), or with
    `others`, of everyone else the actor may cancel for (a team lead's team, a director's)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        q = select(LeaveRequest).where(LeaveRequest.status == RequestStatus.APPROVED.value)
        if others:
            q = q.where(LeaveRequest.person_id != actor.id)
        else:
            q = q.where(LeaveRequest.person_id == (person_id or actor.id))
        today = timeutil.now().date()
        return [
            _view(session, r, actor)
            for r in session.scalars(q.order_by(LeaveRequest.start_at, LeaveRequest.id)).all()
            if _cancel_refusal(r, today) is None
            and allowed(actor, "leave.cancel", person=_person(session, r.person_id))
        ]


# ---------------------------------------------------------------------------- decide


def _next_step(session: Session, actor: Person, r: LeaveRequest) -> LeaveApproval:
    """Permission, then L2: the actor must hold the next undecided step's role."""
    person = _person(session, r.person_id)
    require(actor, "leave.approve", person=person)
    if actor.id == r.person_id:
        raise PermissionDenied("nobody approves their own leave")
    if r.status != RequestStatus.PENDING.value:
        raise InputError(f"request: is {r.status}", field="request")
    chain = tuple(s.approver_role for s in r.steps)
    decided = sum(1 for s in r.steps if s.decision is not None)
    v = rules.check_chain_step(chain, decided, str(actor.role), person.name)
    if v is not None:
        raise RuleViolation(v)
    return r.steps[decided]


def approve_leave(
    db: sessionmaker[Session],
    actor_id: int,
    request_id: int,
    *,
    comment: str = "",
    policy: Policy | None = None,
) -> LeaveView:
    """Approve the next step of the chain (L2). On the last step the leave is approved, its
    effect on coverage is returned in `coverage`, and the roster repair is triggered (L8)."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        r = _request(session, request_id, lock=True)
        step = _next_step(session, actor, r)
        before = _state(r)
        decide(step, actor.id, "approved", comment)
        coverage: tuple[IntervalEffect, ...] = ()
        if all(s.decision == "approved" for s in r.steps):
            coverage = tuple(_coverage_effect(session, r, policy))
            r.status = RequestStatus.APPROVED.value
        record(
            session,
            actor_id=actor.id,
            action="leave.approve",
            entity="leave_request",
            entity_id=r.id,
            before=before,
            after=_state(r),
            detail=comment,
        )
        if r.status == RequestStatus.APPROVED.value:
            session.flush()
            trigger_roster_repair(session, r, actor.id)
        return _view(session, r, actor, coverage)


def reject_leave(
    db: sessionmaker[Session], actor_id: int, request_id: int, *, comment: str = ""
) -> LeaveView:
    """Reject at the current step (the rightful approver of that step only, L2)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        r = _request(session, request_id, lock=True)
        step = _next_step(session, actor, r)
        before = _state(r)
        decide(step, actor.id, "rejected", comment)
        r.status = RequestStatus.REJECTED.value
        record(
            session,
            actor_id=actor.id,
            action="leave.reject",
            entity="leave_request",
            entity_id=r.id,
            before=before,
            after=_state(r),
            detail=comment,
        )
        return _view(session, r, actor)


def record_certificate(
    db: sessionmaker[Session],
    actor_id: int,
    request_id: int,
    *,
    cert_from: date,
    cert_to: date,
) -> LeaveView:
    """L4: the medical certificate handed in on return; it must cover the whole span."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        r = _request(session, request_id, lock=True)
        person = _person(session, r.person_id)
        require(actor, "leave.certificate", person=person)
        if r.leave_type != rules.SICK:
            raise InputError("request: certificates are for sick leave", field="request")
        v = rules.check_certificate(person.name, r.start_at, r.end_at, cert_from, cert_to)
        if v is not None:
            raise RuleViolation(v)
        before = _state(r)
        r.certificate_received, r.certificate_from, r.certificate_to = True, cert_from, cert_to
        record(
            session,
            actor_id=actor.id,
            action="leave.certificate",
            entity="leave_request",
            entity_id=r.id,
            before=before,
            after=_state(r),
        )
        return _view(session, r, actor)


# ---------------------------------------------------------------------------- coverage, L8


def _coverage_effect(session: Session, r: LeaveRequest, policy: Policy) -> list[IntervalEffect]:
    person = _person(session, r.person_id)
    affected = _affected(session, r.person_id, r.start_at, r.end_at)
    if not affected or person.team_id is None:
        return []
    out: list[IntervalEffect] = []
    by_team: dict[int, set[tuple[date, str]]] = {}
    for a, s in affected:
        roster = session.get(Roster, a.roster_id)
        assert roster is not None
        by_team.setdefault(roster.team_id, set()).add((a.day, s.code))
    key = str(person.id)
    for team_id, emptied in by_team.items():
        days = [d for d, _ in emptied]
        before = snapshot_for_team(
            session, team_id, min(days), max(days) + timedelta(days=1), policy=policy
        )
        after_assignments = tuple(
            a for a in before.assignments if not (a.person == key and (a.day, a.shift) in emptied)
        )
        after = replace(before, assignments=after_assignments)
        out += coverage_effect(before, after, policy)
    return out


def leave_coverage_effect(
    db: sessionmaker[Session], actor_id: int, request_id: int, *, policy: Policy | None = None
) -> list[IntervalEffect]:
    """For the approval screen: per interval the leave changes, people on duty before and after
    (and seniors, R2) against the requirement. Managers in scope only."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        r = _request(session, request_id)
        require(actor, "leave.coverage", person=_person(session, r.person_id))
        return _coverage_effect(session, r, policy)


def trigger_roster_repair(session: Session, leave: LeaveRequest, actor_id: int) -> None:
    """L8: the approved leave empties shifts; each affected published roster is repaired in this
    transaction (`roster_repair.repair_for_leave`), so approval and repair commit together."""
    from wfm.services.roster_repair import repair_for_leave  # solver import only when needed

    affected = _affected(session, leave.person_id, leave.start_at, leave.end_at)
    for roster_id in sorted({a.roster_id for a, _ in affected}):
        roster = session.get(Roster, roster_id)
        assert roster is not None
        repair_for_leave(session, roster, leave, actor_id)


# ---------------------------------------------------------------------------- read


def get_leave(db: sessionmaker[Session], actor_id: int, request_id: int) -> LeaveView:
    """One request; reasons and certificates only for the person and managers in scope."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        r = _request(session, request_id)
        person = _person(session, r.person_id)
        if actor.id not in (r.person_id, r.requested_by_id):
            require(actor, "leave.view", person=person)
        return _view(session, r, actor)


def list_leave(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    person_id: int | None = None,
    status: str | None = None,
    pending_for_me: bool = False,
) -> list[LeaveView]:
    """Requests the actor may see (own; team for leads; all for directors). With
    `pending_for_me`, only those whose next step the actor may decide."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        q = select(LeaveRequest).order_by(LeaveRequest.start_at, LeaveRequest.id)
        if person_id is not None:
            q = q.where(LeaveRequest.person_id == person_id)
        if status is not None:
            q = q.where(LeaveRequest.status == status)
        out = []
        for r in session.scalars(q).all():
            person = _person(session, r.person_id)
            if actor.id != r.person_id and not allowed(actor, "leave.view", person=person):
                continue
            if pending_for_me:
                decided = sum(1 for s in r.steps if s.decision is not None)
                if (
                    r.status != "pending"
                    or decided >= len(r.steps)
                    or actor.id == r.person_id
                    or r.steps[decided].approver_role != str(actor.role)
                    or not allowed(actor, "leave.approve", person=person)
                ):
                    continue
            out.append(_view(session, r, actor))
        return out
