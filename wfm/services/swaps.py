"""Shift swaps (W1-W7): propose to a named colleague, accept or decline, approval by the team
lead of each team involved (one if they share a team), and registration in the published roster.

Life of a swap: proposed -> accepted (by the colleague) -> approved (all leads) | declined |
rejected | withdrawn. The rules (W1, W3-W6) are checked when it is proposed and again at the
final approval, on the roster as it then is. W1 is guaranteed by the database: the final
approval takes a numbered SwapSlot per person and month under a unique key, so two racing
approvals can never both take the last slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from rules.policy import Policy, default_policy
from rules.snapshot import RosterSnapshot
from rules.swap import (
    IntervalEffect,
    SwapProposal,
    apply_swap,
    check_swap,
    check_w1,
    coverage_effect,
    merge_snapshots,
)
from rules.violation import RuleViolation, Violation
from wfm import timeutil
from wfm.db import transaction
from wfm.models import (
    Person,
    Role,
    RosterAssignment,
    ShiftType,
    SwapApproval,
    SwapRequest,
    SwapSlot,
)
from wfm.services.audit import record
from wfm.services.decisions import decide
from wfm.services.errors import InputError, NotFound, PermissionDenied
from wfm.services.permissions import allowed, load_actor, require
from wfm.services.roster_read import published_assignment, snapshot_for_team

# Days either side of the swapped days that the rules look at (R4 needs a week).
WINDOW_DAYS = 7
OPEN = ("proposed", "accepted")


@dataclass(frozen=True, slots=True)
class SwapApprovalView:
    team_id: int
    approver_id: int | None
    decision: str | None
    decided_at: datetime | None
    comment: str


@dataclass(frozen=True, slots=True)
class SwapView:
    id: int
    proposer_id: int
    proposer_name: str
    counterpart_id: int
    counterpart_name: str
    proposer_day: date
    proposer_shift: str
    counterpart_day: date
    counterpart_shift: str | None
    status: str
    reason: str
    requested_at: datetime
    accepted_at: datetime | None
    approved_at: datetime | None
    approvals: tuple[SwapApprovalView, ...]


@dataclass(frozen=True, slots=True)
class SwapCandidate:
    """A colleague for the proposer's shift: eligible, or the rules that stand in the way."""

    person_id: int
    name: str
    team_id: int | None
    grade: str | None
    shift: str | None  # the colleague's shift that day (None: they would take it over)
    eligible: bool
    rules: tuple[str, ...]
    reasons: tuple[str, ...]


# ---------------------------------------------------------------------------- helpers


def _code(session: Session, shift_type_id: int | None) -> str | None:
    if shift_type_id is None:
        return None
    st = session.get(ShiftType, shift_type_id)
    return st.code if st is not None else None


def _view(session: Session, s: SwapRequest) -> SwapView:
    p, c = session.get(Person, s.proposer_id), session.get(Person, s.counterpart_id)
    assert p is not None and c is not None
    return SwapView(
        id=s.id,
        proposer_id=p.id,
        proposer_name=p.name,
        counterpart_id=c.id,
        counterpart_name=c.name,
        proposer_day=s.proposer_day,
        proposer_shift=_code(session, s.proposer_shift_id) or "",
        counterpart_day=s.counterpart_day,
        counterpart_shift=_code(session, s.counterpart_shift_id),
        status=s.status,
        reason=s.reason,
        requested_at=s.requested_at,
        accepted_at=s.accepted_at,
        approved_at=s.approved_at,
        approvals=tuple(
            SwapApprovalView(a.team_id, a.approver_id, a.decision, a.decided_at, a.comment)
            for a in sorted(s.approvals, key=lambda a: a.team_id)
        ),
    )


def _state(s: SwapRequest) -> dict[str, object]:
    return {"status": s.status, "approvals": {a.team_id: a.decision for a in s.approvals}}


def _swap(session: Session, swap_id: int, *, lock: bool = False) -> SwapRequest:
    q = select(SwapRequest).where(SwapRequest.id == swap_id)
    if lock:
        q = q.with_for_update()
    s = session.scalars(q).first()
    if s is None:
        raise NotFound(f"no swap request {swap_id}")
    return s


def _person(session: Session, person_id: int) -> Person:
    p = session.get(Person, person_id)
    if p is None or not p.active:
        raise NotFound(f"no active person with id {person_id}")
    return p


def approved_swaps_in_month(session: Session, person_id: int, month: date) -> int:
    """W1: approved swaps of a person in a month (the slots they hold)."""
    n = session.scalar(
        select(func.count())
        .select_from(SwapSlot)
        .where(SwapSlot.person_id == person_id, SwapSlot.month == month)
    )
    return int(n or 0)


@dataclass(frozen=True)
class _Case:
    """A swap ready to be judged: the proposal in snapshot keys and the snapshots it needs."""

    proposal: SwapProposal
    person_view: RosterSnapshot
    team_views: list[RosterSnapshot]


def _case(
    session: Session,
    proposer: Person,
    counterpart: Person,
    day_a: date,
    x: str,
    day_b: date,
    y: str | None,
    policy: Policy,
    cache: dict[tuple[int, ...], RosterSnapshot] | None = None,
) -> _Case:
    """`cache` (optional) keeps team snapshots across the cases of one call: swap_candidates
    judges every colleague against the same few teams and days."""
    proposal = SwapProposal(str(proposer.id), str(counterpart.id), day_a, x, day_b, y)
    start = min(day_a, day_b) - timedelta(days=WINDOW_DAYS)
    end = max(day_a, day_b) + timedelta(days=WINDOW_DAYS)
    teams = sorted({t for t in (proposer.team_id, counterpart.team_id) if t is not None})
    memo = {} if cache is None else cache
    span = (start.toordinal(), end.toordinal())
    for t in teams:
        if (t, *span) not in memo:
            memo[(t, *span)] = snapshot_for_team(session, t, start, end, policy=policy)
    views = [memo[(t, *span)] for t in teams]
    if len(views) == 1:
        person_view = views[0]
    else:
        if (*teams, *span) not in memo:
            memo[(*teams, *span)] = merge_snapshots(views[0], views[1])
        person_view = memo[(*teams, *span)]
    return _Case(proposal, person_view, views)


def _judge(
    session: Session,
    case: _Case,
    month: date,
    policy: Policy,
    proposer: Person,
    counterpart: Person,
) -> list[Violation]:
    out: list[Violation] = []
    for person in (proposer, counterpart):
        v = check_w1(person.name, approved_swaps_in_month(session, person.id, month), month, policy)
        if v is not None:
            out.append(v)
    return out + check_swap(case.person_view, case.team_views, case.proposal, policy)


def _case_of(session: Session, s: SwapRequest, policy: Policy) -> tuple[_Case, Person, Person]:
    p, c = session.get(Person, s.proposer_id), session.get(Person, s.counterpart_id)
    assert p is not None and c is not None
    x = _code(session, s.proposer_shift_id)
    assert x is not None
    case = _case(
        session,
        p,
        c,
        s.proposer_day,
        x,
        s.counterpart_day,
        _code(session, s.counterpart_shift_id),
        policy,
    )
    return case, p, c


# ---------------------------------------------------------------------------- propose


def propose_swap(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    counterpart_id: int,
    proposer_day: date,
    counterpart_day: date | None = None,
    reason: str = "",
    policy: Policy | None = None,
) -> SwapView:
    """The actor offers their shift on `proposer_day` to a colleague and takes the colleague's
    shift on `counterpart_day` (default: the same day). Checks W1 and W3-W6 on the published
    roster. Raises PermissionDenied, NotFound, InputError, RuleViolation."""
    policy = policy or default_policy()
    counterpart_day = counterpart_day or proposer_day
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "swap.propose")
        counterpart = _person(session, counterpart_id)
        if counterpart.id == actor.id:
            raise InputError("counterpart: cannot swap with yourself", field="counterpart")
        if counterpart.role not in (Role.AGENT, Role.TEAM_LEAD):
            raise InputError(
                f"counterpart: {counterpart.name} works no shifts", field="counterpart"
            )
        give = published_assignment(session, actor.id, proposer_day)
        if give is None:
            raise InputError(
                f"proposer_day: you have no shift on {proposer_day}", field="proposer_day"
            )
        take = published_assignment(session, counterpart.id, counterpart_day)
        if take is None and counterpart_day != proposer_day:
            raise InputError(
                f"counterpart_day: {counterpart.name} has no shift on {counterpart_day}",
                field="counterpart_day",
            )
        if take is not None and take.day == give.day and take.shift_type_id == give.shift_type_id:
            raise InputError("counterpart: you work the same shift that day", field="counterpart")
        x = _code(session, give.shift_type_id)
        assert x is not None
        case = _case(
            session,
            actor,
            counterpart,
            proposer_day,
            x,
            counterpart_day,
            _code(session, take.shift_type_id) if take else None,
            policy,
        )
        violations = _judge(session, case, proposer_day.replace(day=1), policy, actor, counterpart)
        if violations:
            raise RuleViolation(violations)
        s = SwapRequest(
            proposer_id=actor.id,
            counterpart_id=counterpart.id,
            proposer_day=proposer_day,
            proposer_shift_id=give.shift_type_id,
            counterpart_day=counterpart_day,
            counterpart_shift_id=take.shift_type_id if take else None,
            status="proposed",
            reason=reason,
            requested_at=timeutil.now(),
            roster_id=give.roster_id,
        )
        for team_id in sorted({t for t in (actor.team_id, counterpart.team_id) if t}):
            s.approvals.append(SwapApproval(team_id=team_id))
        session.add(s)
        session.flush()
        record(
            session,
            actor_id=actor.id,
            action="swap.propose",
            entity="swap_request",
            entity_id=s.id,
            after={
                "status": s.status,
                "counterpart_id": counterpart.id,
                "proposer_day": proposer_day,
                "counterpart_day": counterpart_day,
            },
        )
        return _view(session, s)


def respond_swap(
    db: sessionmaker[Session], actor_id: int, swap_id: int, *, accept: bool, comment: str = ""
) -> SwapView:
    """The named colleague accepts or declines a proposed swap."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        s = _swap(session, swap_id, lock=True)
        require(actor, "swap.respond")
        if actor.id != s.counterpart_id:
            raise PermissionDenied("only the colleague asked may accept or decline this swap")
        if s.status != "proposed":
            raise InputError(f"swap: is {s.status}, not proposed", field="swap")
        before = _state(s)
        s.status = "accepted" if accept else "declined"
        if accept:
            s.accepted_at = timeutil.now()
        record(
            session,
            actor_id=actor.id,
            action="swap.accept" if accept else "swap.decline",
            entity="swap_request",
            entity_id=s.id,
            before=before,
            after=_state(s),
            detail=comment,
        )
        return _view(session, s)


def withdraw_swap(db: sessionmaker[Session], actor_id: int, swap_id: int) -> SwapView:
    """The proposer withdraws a swap not yet approved (an approved swap binds: W7)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        s = _swap(session, swap_id, lock=True)
        require(actor, "swap.withdraw")
        if actor.id != s.proposer_id:
            raise PermissionDenied("only the proposer may withdraw this swap")
        if s.status not in OPEN:
            raise RuleViolation(
                Violation("W7", f"W7: the swap is {s.status} and can no longer be withdrawn")
            )
        before = _state(s)
        s.status = "withdrawn"
        record(
            session,
            actor_id=actor.id,
            action="swap.withdraw",
            entity="swap_request",
            entity_id=s.id,
            before=before,
            after=_state(s),
        )
        return _view(session, s)


# ---------------------------------------------------------------------------- approve


def _pending_row(session: Session, actor: Person, s: SwapRequest) -> SwapApproval:
    """The approval step the actor may decide (W2: the lead of a team involved)."""
    for row in s.approvals:
        if allowed(actor, "swap.approve", team_id=row.team_id) and row.decision is None:
            return row
    if any(allowed(actor, "swap.approve", team_id=r.team_id) for r in s.approvals):
        raise InputError("swap: you have decided this swap already", field="swap")
    raise PermissionDenied("W2: only the team lead of a team involved approves this swap")


def approve_swap(
    db: sessionmaker[Session],
    actor_id: int,
    swap_id: int,
    *,
    comment: str = "",
    policy: Policy | None = None,
) -> SwapView:
    """A team lead of a team involved approves (W2). With every lead's approval the rules are
    checked again on the current roster, one W1 slot per person is taken (database-guaranteed)
    and the two assignments are exchanged in the published roster (registered, W7)."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "swap.approve")
        s = _swap(session, swap_id, lock=True)
        row = _pending_row(session, actor, s)
        if s.status != "accepted":
            raise InputError(
                f"swap: is {s.status}; the colleague must accept it first", field="swap"
            )
        before = _state(s)
        at = decide(row, actor.id, "approved", comment)
        if all(r.decision == "approved" for r in s.approvals):
            _register(session, s, actor, policy, at)
        record(
            session,
            actor_id=actor.id,
            action="swap.approve",
            entity="swap_request",
            entity_id=s.id,
            before=before,
            after=_state(s),
            detail=comment,
        )
        return _view(session, s)


def swap_rule_check(
    db: sessionmaker[Session], actor_id: int, swap_id: int, *, policy: Policy | None = None
) -> list[Violation]:
    """For the approval screen: W1 and W3-W6 judged now, on the roster as it is, exactly as the
    final approval will judge them; changes nothing. An empty list means the swap may pass."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "swap.approve")
        s = _swap(session, swap_id)
        if not any(allowed(actor, "swap.approve", team_id=r.team_id) for r in s.approvals):
            raise PermissionDenied("W2: only the team lead of a team involved approves this swap")
        case, p, c = _case_of(session, s, policy)
        return _judge(session, case, s.proposer_day.replace(day=1), policy, p, c)


def reject_swap(
    db: sessionmaker[Session], actor_id: int, swap_id: int, *, comment: str = ""
) -> SwapView:
    """A team lead of a team involved rejects the swap (it stays unregistered)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "swap.approve")
        s = _swap(session, swap_id, lock=True)
        row = _pending_row(session, actor, s)
        if s.status not in OPEN:
            raise InputError(f"swap: is {s.status}", field="swap")
        before = _state(s)
        decide(row, actor.id, "rejected", comment)
        s.status = "rejected"
        record(
            session,
            actor_id=actor.id,
            action="swap.reject",
            entity="swap_request",
            entity_id=s.id,
            before=before,
            after=_state(s),
            detail=comment,
        )
        return _view(session, s)


def _register(
    session: Session, s: SwapRequest, actor: Person, policy: Policy, at: datetime
) -> None:
    case, p, c = _case_of(session, s, policy)
    month = s.proposer_day.replace(day=1)
    violations = check_swap(case.person_view, case.team_views, case.proposal, policy)
    if violations:
        raise RuleViolation(violations)
    _take_slots(session, s, [p, c], month, policy)
    give = published_assignment(session, p.id, s.proposer_day)
    take = (
        published_assignment(session, c.id, s.counterpart_day)
        if s.counterpart_shift_id is not None
        else None
    )
    if (
        give is None
        or give.shift_type_id != s.proposer_shift_id
        or (
            s.counterpart_shift_id is not None
            and (take is None or take.shift_type_id != s.counterpart_shift_id)
        )
    ):
        raise InputError(
            "swap: the published roster changed since the swap was proposed", field="swap"
        )
    changed = [_assignment_state(give)] + ([_assignment_state(take)] if take else [])
    if take is not None and take.roster_id == give.roster_id and take.day == give.day:
        # Same roster and day: exchange the shifts (moving people would hit the unique key).
        give.shift_type_id, take.shift_type_id = take.shift_type_id, give.shift_type_id
    else:
        give.person_id = c.id
        if take is not None:
            take.person_id = p.id
    session.flush()
    s.status, s.approved_at = "approved", at
    record(
        session,
        actor_id=actor.id,
        action="roster.swap_registered",
        entity="swap_request",
        entity_id=s.id,
        before={"assignments": changed},
        after={
            "assignments": [_assignment_state(give)] + ([_assignment_state(take)] if take else [])
        },
        detail=f"W7: {c.name} owes {s.proposer_day}"
        + (f", {p.name} owes {s.counterpart_day}" if take else ""),
    )


def _assignment_state(a: RosterAssignment) -> dict[str, object]:
    return {
        "id": a.id,
        "roster_id": a.roster_id,
        "person_id": a.person_id,
        "day": a.day,
        "shift_type_id": a.shift_type_id,
    }


def _take_slots(
    session: Session, s: SwapRequest, people: list[Person], month: date, policy: Policy
) -> None:
    """W1, race-proof: insert slot n (1..limit) for each person inside a savepoint. A slot taken
    by a concurrent approval makes the insert fail on the unique key (on PostgreSQL after the
    other transaction commits): we try the next slot, and with none left refuse with W1."""
    limit = policy.swap.max_swaps_per_month
    for person in sorted(people, key=lambda p: p.id):  # fixed order: no deadlock between swaps
        for slot in range(1, limit + 1):
            taken = session.scalar(
                select(SwapSlot.id).where(
                    SwapSlot.person_id == person.id, SwapSlot.month == month, SwapSlot.slot == slot
                )
            )
            if taken is not None:
                continue
            try:
                with session.begin_nested():
                    session.add(SwapSlot(person_id=person.id, month=month, slot=slot, swap_id=s.id))
                    session.flush()
                break
            except IntegrityError:
                continue
        else:
            v = check_w1(person.name, limit, month, policy)
            assert v is not None
            raise RuleViolation(v)


# ---------------------------------------------------------------------------- read


def swap_coverage_effect(
    db: sessionmaker[Session], actor_id: int, swap_id: int, *, policy: Policy | None = None
) -> list[IntervalEffect]:
    """W2's approval screen: per interval whose staffing the swap changes, the people on duty
    before and after vs the requirement (and the seniors on duty, R2), per team involved."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        s = _swap(session, swap_id)
        if not any(allowed(actor, "swap.approve", team_id=r.team_id) for r in s.approvals):
            require(actor, "swap.view", person=session.get(Person, s.proposer_id))
        case, p, c = _case_of(session, s, policy)
        people = tuple(case.person_view.person(k) for k in (str(p.id), str(c.id)))
        out: list[IntervalEffect] = []
        for team in case.team_views:
            out += coverage_effect(team, apply_swap(team, case.proposal, people), policy)
        return out


def get_swap(db: sessionmaker[Session], actor_id: int, swap_id: int) -> SwapView:
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        s = _swap(session, swap_id)
        if actor.id not in (s.proposer_id, s.counterpart_id):
            proposer = session.get(Person, s.proposer_id)
            counterpart = session.get(Person, s.counterpart_id)
            if not (
                allowed(actor, "swap.view", person=proposer)
                or allowed(actor, "swap.view", person=counterpart)
            ):
                raise PermissionDenied("you may not see this swap")
        return _view(session, s)


def list_swaps(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    status: str | None = None,
    team_id: int | None = None,
) -> list[SwapView]:
    """Swaps the actor may see: their own; a team lead's team; directors everything."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        q = select(SwapRequest).order_by(SwapRequest.requested_at, SwapRequest.id)
        if status is not None:
            q = q.where(SwapRequest.status == status)
        out = []
        for s in session.scalars(q).all():
            people = [session.get(Person, s.proposer_id), session.get(Person, s.counterpart_id)]
            if team_id is not None and all(x is None or x.team_id != team_id for x in people):
                continue
            if actor.id in (s.proposer_id, s.counterpart_id) or any(
                allowed(actor, "swap.view", person=x) for x in people if x is not None
            ):
                out.append(_view(session, s))
        return out


def swap_candidates(
    db: sessionmaker[Session],
    actor_id: int,
    day: date,
    shift: str | None = None,
    *,
    person_id: int | None = None,
    policy: Policy | None = None,
) -> list[SwapCandidate]:
    """For a person's shift on `day` (default: the actor's), every colleague of the centre who
    works that day on a different shift or not at all: eligible, or the rule IDs against.
    Colleagues on the very same shift are left out (nothing to swap)."""
    policy = policy or default_policy()
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        who = actor if person_id is None else _person(session, person_id)
        require(actor, "swap.candidates", person=who)
        give = published_assignment(session, who.id, day)
        if give is None:
            raise InputError(f"day: {who.name} has no shift on {day}", field="day")
        x = _code(session, give.shift_type_id)
        assert x is not None
        if shift is not None and shift != x:
            raise InputError(f"shift: {who.name} works {x} on {day}, not {shift}", field="shift")
        colleagues = session.scalars(
            select(Person)
            .where(
                Person.active.is_(True),
                Person.id != who.id,
                Person.role.in_((Role.AGENT, Role.TEAM_LEAD)),
                Person.team_id.is_not(None),
            )
            .order_by(Person.team_id, Person.name)
        ).all()
        month = day.replace(day=1)
        out = []
        cache: dict[tuple[int, ...], RosterSnapshot] = {}
        for c in colleagues:
            theirs = published_assignment(session, c.id, day)
            y = _code(session, theirs.shift_type_id) if theirs else None
            if y == x:
                continue
            case = _case(session, who, c, day, x, day, y, policy, cache)
            found = _judge(session, case, month, policy, who, c)
            out.append(
                SwapCandidate(
                    person_id=c.id,
                    name=c.name,
                    team_id=c.team_id,
                    grade=str(c.grade) if c.grade else None,
                    shift=y,
                    eligible=not found,
                    rules=tuple(dict.fromkeys(v.rule for v in found)),
                    reasons=tuple(v.message for v in found),
                )
            )
        return out
