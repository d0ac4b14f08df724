"""Who may see whose data in the read views: the services' permission table, read side.

Every view names the permission action it reads under (e.g. "leave.view"); the actor's scope
for that action (wfm.services.permissions) decides which people and teams it may return.
Private fields (leave reasons, exam answers) need their own action ("leave.view_private").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from wfm.models import Person, Role
from wfm.services import permissions
from wfm.services.errors import NotFound, PermissionDenied
from wfm.services.permissions import Scope

CENTRE_WIDE_ROLES = frozenset(
    {Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR, Role.ADMIN, Role.QUALITY_INSPECTOR}
)
MANAGER_ROLES = frozenset(
    {Role.TEAM_LEAD, Role.DEPARTMENT_DIRECTOR, Role.CENTRE_DIRECTOR, Role.ADMIN}
)


@dataclass(frozen=True)
class Actor:
    id: int
    role: Role
    team_id: int | None
    name: str
    name_zh: str
    person: Person

    @property
    def centre_wide(self) -> bool:
        return self.role in CENTRE_WIDE_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES


def load_actor(session: Session, actor_id: int) -> Actor:
    person = permissions.load_actor(session, actor_id)
    return Actor(person.id, Role(person.role), person.team_id, person.name, person.name_zh, person)


def visible_person_ids(session: Session, actor: Actor, action: str) -> set[int] | None:
    """People whose records of `action` the actor may read; None means everyone."""
    scope = permissions.scope_of(actor.person, action)
    if scope is Scope.CENTRE:
        return None
    if scope is Scope.TEAM and actor.team_id is not None:
        ids = session.scalars(select(Person.id).where(Person.team_id == actor.team_id))
        return set(ids) | {actor.id}
    if scope is None:
        return set()
    return {actor.id}


def visible_team_ids(session: Session, actor: Actor, action: str) -> list[int] | None:
    """Teams whose records of `action` the actor may read; None means all teams."""
    scope = permissions.scope_of(actor.person, action)
    if scope is Scope.CENTRE:
        return None
    if scope is Scope.TEAM and actor.team_id is not None:
        return [actor.team_id]
    return []


def require_person(session: Session, actor: Actor, person_id: int, action: str) -> Person:
    target = session.get(Person, person_id)
    if target is None:
        raise NotFound(f"person {person_id} not found")
    permissions.require(actor.person, action, person=target)
    return target


def require_team(session: Session, actor: Actor, team_id: int, action: str) -> None:
    if actor.team_id == team_id and permissions.scope_of(actor.person, action) is not None:
        return
    permissions.require(actor.person, action, team_id=team_id)


def require_manager(actor: Actor, what: str) -> None:
    if not actor.is_manager:
        raise PermissionDenied(f"a {actor.role} may not read {what}")
