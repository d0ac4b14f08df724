"""Who may do what, and over whom: one table, checked by every service (never only by the UI).

Scopes (RULES.md, Organisation): an agent acts on their own data, a team lead on their team,
department/centre directors and admins on the centre, a quality inspector on inspections.
Every service loads the actor with `load_actor` and calls `require(...)` before it looks at
rules or state, so a forbidden call always fails with `PermissionDenied`, whatever its input.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from sqlalchemy.orm import Session

from wfm.models import Person, Role
from wfm.services.errors import PermissionDenied


class Scope(enum.Enum):
    SELF = "self"  # only the actor's own records
    TEAM = "team"  # anyone in the actor's team (and the actor)
    CENTRE = "centre"  # anyone in the centre


A, TL, QI, DD, CD, AD = (
    Role.AGENT,
    Role.TEAM_LEAD,
    Role.QUALITY_INSPECTOR,
    Role.DEPARTMENT_DIRECTOR,
    Role.CENTRE_DIRECTOR,
    Role.ADMIN,
)
_EVERYONE_SELF: Mapping[Role, Scope] = {r: Scope.SELF for r in Role}
_MANAGERS: Mapping[Role, Scope] = {TL: Scope.TEAM, DD: Scope.CENTRE, CD: Scope.CENTRE}

# action -> role -> the widest scope in which that role may perform it. A missing role is denied.
PERMISSIONS: dict[str, Mapping[Role, Scope]] = {
    # Leave (L1-L8). Requesting is personal (L3); the sick-leave exception is in the service.
    "leave.request": _EVERYONE_SELF,
    "leave.record_sick": {TL: Scope.TEAM},  # L3: a team lead records sick leave for a member
    "leave.withdraw": _EVERYONE_SELF,
    # Cancelling APPROVED leave before it starts: the person, or a manager who approves leave.
    "leave.cancel": {**_EVERYONE_SELF, **_MANAGERS},
    "leave.approve": _MANAGERS,
    "leave.certificate": _MANAGERS,
    "leave.view": {
        A: Scope.SELF,
        TL: Scope.TEAM,
        QI: Scope.SELF,
        DD: Scope.CENTRE,
        CD: Scope.CENTRE,
        AD: Scope.SELF,
    },
    "leave.view_private": _MANAGERS,  # reasons and certificates of other people
    "leave.coverage": _MANAGERS,
    # Swaps (W1-W7): only rostered people swap; leads of the teams involved approve (W2).
    "swap.propose": {A: Scope.SELF, TL: Scope.SELF},
    "swap.respond": {A: Scope.SELF, TL: Scope.SELF},
    "swap.withdraw": {A: Scope.SELF, TL: Scope.SELF},
    "swap.approve": {TL: Scope.TEAM},
    "swap.candidates": {A: Scope.SELF, TL: Scope.TEAM},
    "swap.view": {A: Scope.SELF, TL: Scope.TEAM, DD: Scope.CENTRE, CD: Scope.CENTRE},
    # Attendance (L7, H1, W7).
    "attendance.clock": {A: Scope.SELF, TL: Scope.TEAM, DD: Scope.CENTRE, CD: Scope.CENTRE},
    "attendance.roll_call": {TL: Scope.TEAM},
    "attendance.post": {TL: Scope.TEAM, DD: Scope.CENTRE, CD: Scope.CENTRE},
    "attendance.close_day": _MANAGERS,
    "attendance.view": {A: Scope.SELF, TL: Scope.TEAM, DD: Scope.CENTRE, CD: Scope.CENTRE},
    # Handover (H2-H4): seniors may lead a shift, so agents may write when they lead it.
    "handover.write": {A: Scope.TEAM, TL: Scope.TEAM},
    "handover.acknowledge": {A: Scope.TEAM, TL: Scope.TEAM},
    "handover.depart": {A: Scope.TEAM, TL: Scope.TEAM},
    "handover.view": {A: Scope.TEAM, TL: Scope.TEAM, DD: Scope.CENTRE, CD: Scope.CENTRE},
    "notice.publish": _MANAGERS,
    "notice.read": _EVERYONE_SELF,
    # Exams, inspections and grades (G1-G5).
    "exam.record": {TL: Scope.TEAM, DD: Scope.CENTRE, CD: Scope.CENTRE, AD: Scope.CENTRE},
    "exam.view": {
        A: Scope.SELF,
        TL: Scope.TEAM,
        DD: Scope.CENTRE,
        CD: Scope.CENTRE,
        AD: Scope.CENTRE,
    },
    "exam.view_answers": {A: Scope.SELF, TL: Scope.TEAM, DD: Scope.CENTRE, CD: Scope.CENTRE},
    "inspection.record": {QI: Scope.CENTRE, DD: Scope.CENTRE, CD: Scope.CENTRE},
    "inspection.view": {
        A: Scope.SELF,
        TL: Scope.TEAM,
        QI: Scope.CENTRE,
        DD: Scope.CENTRE,
        CD: Scope.CENTRE,
    },
    "evaluation.run": {DD: Scope.CENTRE, CD: Scope.CENTRE, AD: Scope.CENTRE},
    "grade.set": {DD: Scope.CENTRE, CD: Scope.CENTRE},
    "grade.view": {
        A: Scope.SELF,
        TL: Scope.TEAM,
        DD: Scope.CENTRE,
        CD: Scope.CENTRE,
        AD: Scope.CENTRE,
    },
    # Call history (forecast input): a team lead into their team's queue, directors and admins
    # into any (calls_import). The CLI imports as the system, without an actor.
    "calls.import": {TL: Scope.TEAM, DD: Scope.CENTRE, CD: Scope.CENTRE, AD: Scope.CENTRE},
    # Administration and audit.
    "audit.read": {DD: Scope.CENTRE, CD: Scope.CENTRE, AD: Scope.CENTRE},
    "user.create": {AD: Scope.CENTRE},
    "user.reset_password": {AD: Scope.CENTRE},
    "user.deactivate": {AD: Scope.CENTRE},
    "team.create": {CD: Scope.CENTRE, AD: Scope.CENTRE},
    # One's own published shifts as a calendar file (wfm.views.roster.person_ical): only one's
    # own, whatever the role; a lead exports a member's through roster.export_agent_ical.
    "roster.ical_own": _EVERYONE_SELF,
    # Rosters (the roster service): team leads build and publish their team's, directors any.
    "roster.build": _MANAGERS,
    "roster.publish": _MANAGERS,
    "roster.view": {
        A: Scope.TEAM,
        TL: Scope.TEAM,
        DD: Scope.CENTRE,
        CD: Scope.CENTRE,
        AD: Scope.CENTRE,
    },
}


def load_actor(session: Session, actor_id: int) -> Person:
    """The acting person; an unknown or deactivated account may do nothing."""
    actor = session.get(Person, actor_id)
    if actor is None or not actor.active:
        raise PermissionDenied("unknown or inactive account")
    return actor


def scope_of(actor: Person, action: str) -> Scope | None:
    """The widest scope in which the actor's role may perform `action` (None: not at all)."""
    try:
        table = PERMISSIONS[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}") from None
    return table.get(Role(actor.role))


def allowed(
    actor: Person, action: str, *, person: Person | None = None, team_id: int | None = None
) -> bool:
    """Whether `actor` may perform `action` on `person` (or on team `team_id`)."""
    scope = scope_of(actor, action)
    if scope is None:
        return False
    if scope is Scope.CENTRE or (person is None and team_id is None):
        # No target: the question is only whether the role may do this at all.
        return True
    if person is not None and person.id == actor.id:
        return True
    if scope is Scope.SELF:
        return False
    # TEAM: the target person is in the actor's team, or the target is the actor's team.
    target_team = person.team_id if person is not None else team_id
    return actor.team_id is not None and target_team == actor.team_id


def require(
    actor: Person, action: str, *, person: Person | None = None, team_id: int | None = None
) -> None:
    """Raise PermissionDenied unless `allowed(...)`; the message says what was refused."""
    if allowed(actor, action, person=person, team_id=team_id):
        return
    scope = scope_of(actor, action)
    if scope is None:
        raise PermissionDenied(f"a {actor.role} may not {action.replace('.', ': ')}")
    whom = f"for {person.name}" if person is not None else "for another team"
    raise PermissionDenied(f"a {actor.role} may not {action.replace('.', ': ')} {whom}")
