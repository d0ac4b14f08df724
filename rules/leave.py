"""L1-L6: leave requests judged against the policy, without a database.

A request is assessed once when it is made: refusals (violations) stop it; exceptions (late
notice L1, a night shift L5, a public holiday L6) let it through only with management approval,
which the approval chain (L2) always ends with. L4 judges a sick-leave certificate.

Readings (RULES.md leaves them open):
- Sick leave cannot be planned: L1 measures it against the special (urgent) notice, and L5/L6
  do not refuse it (they mark it for management approval instead).
- L2 "days" is the span's length in days (24 h = 1 day); a team lead's own leave starts at the
  director step (the team-lead level is the requester).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from rules.policy import Policy
from rules.snapshot import ShiftType
from rules.violation import Violation

SICK, SPECIAL = "sick", "special"
LEAVE_TYPES = ("personal", "annual", "sick", "special", "business_trip", "study")
CENTRE_DIRECTOR_TYPES = ("business_trip", "study")  # L2
TEAM_LEAD, DEPARTMENT_DIRECTOR, CENTRE_DIRECTOR = (
    "team_lead",
    "department_director",
    "centre_director",
)
MANAGEMENT_ROLES = (DEPARTMENT_DIRECTOR, CENTRE_DIRECTOR)


@dataclass(frozen=True, slots=True)
class AffectedShift:
    day: date
    shift: ShiftType

    @property
    def start(self) -> datetime:
        return self.shift.start_on(self.day)


@dataclass(frozen=True)
class LeaveCase:
    """One leave request as the rules see it."""

    person: str  # name, for messages
    leave_type: str
    start_at: datetime
    end_at: datetime
    requested_at: datetime
    by_self: bool  # the person asks for themselves
    by_their_team_lead: bool  # the requester is the person's team lead
    shifts: tuple[AffectedShift, ...] = ()  # rostered shifts the leave overlaps
    holidays: frozenset[date] = frozenset()
    person_is_team_lead: bool = False


@dataclass(frozen=True)
class LeaveAssessment:
    violations: list[Violation] = field(default_factory=list)  # refusals
    exceptions: tuple[str, ...] = ()  # rules whose exception needs management approval
    chain: tuple[str, ...] = ()  # approver roles in order (L2)

    @property
    def needs_management(self) -> bool:
        return bool(self.exceptions)


def leave_days(start_at: datetime, end_at: datetime) -> float:
    return (end_at - start_at).total_seconds() / 86400


def days_covered(start_at: datetime, end_at: datetime) -> list[date]:
    """Calendar days the span touches (an end at midnight does not touch the next day)."""
    last = (end_at - timedelta(microseconds=1)).date()
    n = (last - start_at.date()).days + 1
    return [start_at.date() + timedelta(days=i) for i in range(n)]


def check_l3(case: LeaveCase) -> list[Violation]:
    """L3: personal leave is requested by the person; a team lead may record sick leave."""
    if case.by_self or (case.leave_type == SICK and case.by_their_team_lead):
        return []
    if case.leave_type == SICK:
        msg = f"L3: only {case.person} or their team lead may record their sick leave"
    else:
        msg = f"L3: {case.person} must request their own {case.leave_type} leave"
    return [Violation("L3", msg)]


def check_l1(case: LeaveCase, policy: Policy) -> list[str]:
    """L1: notice before the first affected shift (or the leave's start); late -> exception."""
    first = min((s.start for s in case.shifts), default=case.start_at)
    urgent = case.leave_type in (SICK, SPECIAL)
    hours = (
        policy.leave.special_leave_notice_hours
        if urgent
        else policy.leave.general_leave_notice_hours
    )
    return ["L1"] if case.requested_at > first - timedelta(hours=hours) else []


def check_l5(case: LeaveCase, policy: Policy) -> tuple[list[Violation], list[str]]:
    """L5: leave for a night shift only if requested before the cutoff (12:00) that day, and
    then only with management approval."""
    out, exc = [], []
    cutoff_hour = policy.leave.night_leave_cutoff_hour
    for s in case.shifts:
        if not s.shift.is_night:
            continue
        cutoff = datetime.combine(s.day, time(cutoff_hour))
        if case.requested_at < cutoff or case.leave_type == SICK:
            exc.append("L5")
        else:
            out.append(
                Violation(
                    "L5",
                    f"L5: leave for night shift {s.shift.code} on {s.day} must be requested "
                    f"before {cutoff_hour:02d}:00 that day",
                    day=s.day,
                )
            )
    return out, exc


def check_l6(case: LeaveCase, policy: Policy) -> tuple[list[Violation], list[str]]:
    """L6: leave over a public holiday only >= N days ahead, with management approval; nobody
    on public-holiday duty may ask leave for that duty."""
    out, exc = [], []
    duty = {s.day for s in case.shifts if s.day in case.holidays}
    notice = timedelta(days=policy.leave.holiday_leave_notice_days)
    for day in days_covered(case.start_at, case.end_at):
        if day not in case.holidays:
            continue
        if case.leave_type == SICK:
            exc.append("L6")
        elif day in duty:
            out.append(
                Violation(
                    "L6",
                    f"L6: {case.person} is on public-holiday duty on {day}: no leave for it",
                    day=day,
                )
            )
        elif case.requested_at > datetime.combine(day, time.min) - notice:
            out.append(
                Violation(
                    "L6",
                    f"L6: leave over the public holiday {day} must be requested "
                    f"{policy.leave.holiday_leave_notice_days} days ahead",
                    day=day,
                )
            )
        else:
            exc.append("L6")
    return out, exc


def approval_chain(case: LeaveCase, policy: Policy) -> tuple[str, ...]:
    """L2: the team lead first, then the department director (up to N days) or the centre
    director (longer, or business trips and study)."""
    if (
        case.leave_type in CENTRE_DIRECTOR_TYPES
        or leave_days(case.start_at, case.end_at) > policy.leave.department_director_max_days
    ):
        top = CENTRE_DIRECTOR
    else:
        top = DEPARTMENT_DIRECTOR
    return (top,) if case.person_is_team_lead else (TEAM_LEAD, top)


def assess(case: LeaveCase, policy: Policy) -> LeaveAssessment:
    """Every L rule for a new request: refusals, exceptions for management, the chain."""
    violations = check_l3(case)
    exceptions = check_l1(case, policy)
    for check in (check_l5, check_l6):
        v, e = check(case, policy)
        violations += v
        exceptions += e
    return LeaveAssessment(
        violations=violations,
        exceptions=tuple(dict.fromkeys(exceptions)),
        chain=approval_chain(case, policy),
    )


def check_chain_step(
    chain: tuple[str, ...], decided: int, actor_role: str, person: str
) -> Violation | None:
    """L2: the actor's role must be the next undecided step; no level is skipped."""
    if decided >= len(chain):
        return Violation("L2", f"L2: the leave of {person} is fully decided")
    expected = chain[decided]
    if actor_role == expected:
        return None
    if actor_role in chain[decided + 1 :]:
        return Violation(
            "L2", f"L2: the {expected.replace('_', ' ')} approves first: no level may be skipped"
        )
    return Violation(
        "L2",
        f"L2: this leave is approved by the {expected.replace('_', ' ')}, "
        f"not a {actor_role.replace('_', ' ')}",
    )


def check_certificate(
    person: str, start_at: datetime, end_at: datetime, cert_from: date, cert_to: date
) -> Violation | None:
    """L4: the certificate covers every day of the sick leave, without gaps."""
    days = days_covered(start_at, end_at)
    if cert_from > cert_to:
        return Violation("L4", "L4: the certificate ends before it starts")
    if cert_from <= days[0] and cert_to >= days[-1]:
        return None
    return Violation(
        "L4",
        f"L4: the certificate ({cert_from} to {cert_to}) does not cover {person}'s sick "
        f"leave {days[0]} to {days[-1]}",
    )
