"""Administration: centres, teams, user accounts and passwords (admins; teams also the centre
director). The very first admin of an empty database is made by `bootstrap_admin`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from wfm import timeutil
from wfm.db import transaction
from wfm.models import Centre, Grade, GradeHistory, Person, Role, Team
from wfm.services.audit import record
from wfm.services.auth import hash_password
from wfm.services.errors import InputError, NotFound, PermissionDenied
from wfm.services.permissions import load_actor, require

_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
# Roles that work shifts carry a grade (G1); the others need none.
_GRADED_ROLES = {Role.AGENT, Role.TEAM_LEAD}


@dataclass(frozen=True, slots=True)
class PersonView:
    id: int
    username: str
    name: str
    name_zh: str
    role: str
    team_id: int | None
    grade: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class TeamView:
    id: int
    centre_id: int
    name: str
    name_zh: str


@dataclass(frozen=True, slots=True)
class CentreView:
    id: int
    name: str


def person_view(p: Person) -> PersonView:
    return PersonView(
        id=p.id,
        username=p.username,
        name=p.name,
        name_zh=p.name_zh,
        role=str(p.role),
        team_id=p.team_id,
        grade=str(p.grade) if p.grade is not None else None,
        active=p.active,
    )


def _parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InputError(f"role: {role!r} is not one of {allowed}", field="role") from None


def _parse_grade(grade: str | None, role: Role) -> Grade | None:
    if grade is None or grade == "":
        if role in _GRADED_ROLES:
            raise InputError(f"grade: a {role.value} needs a grade (G1)", field="grade")
        return None
    try:
        return Grade(grade)
    except ValueError:
        allowed = ", ".join(g.value for g in Grade)
        raise InputError(f"grade: {grade!r} is not one of {allowed}", field="grade") from None


def _new_person(
    session: Session,
    *,
    username: str,
    name: str,
    role: Role,
    password: str,
    team_id: int | None,
    grade: Grade | None,
    name_zh: str,
    changed_by: int | None,
) -> Person:
    if not _USERNAME.match(username):
        raise InputError("username: 2-64 letters, digits, '.', '_' or '-'", field="username")
    if not name.strip():
        raise InputError("name: required", field="name")
    if session.scalars(select(Person.id).where(Person.username == username)).first():
        raise InputError(f"username: {username!r} is taken", field="username")
    if team_id is not None and session.get(Team, team_id) is None:
        raise InputError(f"team: no team with id {team_id}", field="team")
    if role in (Role.AGENT, Role.TEAM_LEAD) and team_id is None:
        raise InputError(f"team: a {role.value} belongs to a team", field="team")
    person = Person(
        username=username,
        password_hash=hash_password(password),
        name=name.strip(),
        name_zh=name_zh,
        role=role,
        team_id=team_id,
        grade=grade,
        active=True,
    )
    session.add(person)
    session.flush()
    if grade is not None:
        session.add(
            GradeHistory(
                person_id=person.id,
                grade=grade,
                valid_from=timeutil.now().date(),
                reason="account created",
                changed_by_id=changed_by,
            )
        )
    return person


def create_user(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    username: str,
    name: str,
    role: str,
    password: str,
    team_id: int | None = None,
    grade: str | None = None,
    name_zh: str = "",
) -> PersonView:
    """Create a login (admin only). Raises PermissionDenied, InputError naming the field."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "user.create")
        r = _parse_role(role)
        person = _new_person(
            session,
            username=username,
            name=name,
            role=r,
            password=password,
            team_id=team_id,
            grade=_parse_grade(grade, r),
            name_zh=name_zh,
            changed_by=actor.id,
        )
        view = person_view(person)
        record(
            session,
            actor_id=actor.id,
            action="user.create",
            entity="person",
            entity_id=person.id,
            after=_public_state(view),
        )
        return view


def bootstrap_admin(
    db: sessionmaker[Session], *, username: str, name: str, password: str
) -> PersonView:
    """The first admin of a database with no admin yet (used by `wfm user create`)."""
    with transaction(db) as session:
        n = session.scalar(
            select(func.count()).select_from(Person).where(Person.role == Role.ADMIN)
        )
        if n:
            raise PermissionDenied("an admin exists already: act as that admin (--actor)")
        person = _new_person(
            session,
            username=username,
            name=name,
            role=Role.ADMIN,
            password=password,
            team_id=None,
            grade=None,
            name_zh="",
            changed_by=None,
        )
        view = person_view(person)
        record(
            session,
            actor_id=None,
            action="user.bootstrap_admin",
            entity="person",
            entity_id=person.id,
            after=_public_state(view),
        )
        return view


def reset_password(
    db: sessionmaker[Session], actor_id: int, person_id: int, new_password: str
) -> None:
    """An admin sets a new password for someone (the hash only is stored and audited)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "user.reset_password")
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(f"no person with id {person_id}")
        person.password_hash = hash_password(new_password)
        record(
            session,
            actor_id=actor.id,
            action="user.reset_password",
            entity="person",
            entity_id=person.id,
            detail=f"password of {person.username} reset",
        )


def set_active(
    db: sessionmaker[Session], actor_id: int, person_id: int, active: bool
) -> PersonView:
    """Deactivate (or reactivate) an account; a deactivated account can neither log in nor act."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "user.deactivate")
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(f"no person with id {person_id}")
        if person.id == actor.id and not active:
            raise InputError("active: an admin cannot deactivate their own account", field="active")
        before = person.active
        person.active = active
        record(
            session,
            actor_id=actor.id,
            action="user.set_active",
            entity="person",
            entity_id=person.id,
            before={"active": before},
            after={"active": active},
        )
        return person_view(person)


def find_person(db: sessionmaker[Session], username: str) -> PersonView:
    """Look a person up by username (for the CLI, which names people by username)."""
    with transaction(db) as session:
        person = session.scalars(select(Person).where(Person.username == username)).first()
        if person is None:
            raise NotFound(f"no user {username!r}")
        return person_view(person)


def create_centre(
    db: sessionmaker[Session], actor_id: int, *, name: str, name_zh: str = ""
) -> CentreView:
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "team.create")
        if not name.strip():
            raise InputError("name: required", field="name")
        if session.scalars(select(Centre.id).where(Centre.name == name)).first():
            raise InputError(f"name: centre {name!r} exists", field="name")
        centre = Centre(name=name.strip(), name_zh=name_zh)
        session.add(centre)
        session.flush()
        record(
            session,
            actor_id=actor.id,
            action="centre.create",
            entity="centre",
            entity_id=centre.id,
            after={"name": centre.name},
        )
        return CentreView(id=centre.id, name=centre.name)


def create_team(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    name: str,
    centre_id: int | None = None,
    name_zh: str = "",
    queue_id: int | None = None,
) -> TeamView:
    """Create a team (admin or centre director). With no centre given the centre is the only
    one in the database; if there is none, one named after the team's centre is not guessed."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "team.create")
        if not name.strip():
            raise InputError("name: required", field="name")
        if centre_id is None:
            ids = list(session.scalars(select(Centre.id)).all())
            if len(ids) != 1:
                raise InputError(
                    "centre: "
                    + ("no centre exists yet" if not ids else "several centres: name one"),
                    field="centre",
                )
            centre_id = ids[0]
        elif session.get(Centre, centre_id) is None:
            raise InputError(f"centre: no centre with id {centre_id}", field="centre")
        dup = select(Team.id).where(Team.centre_id == centre_id, Team.name == name.strip())
        if session.scalars(dup).first():
            raise InputError(f"name: team {name!r} exists", field="name")
        team = Team(centre_id=centre_id, name=name.strip(), name_zh=name_zh, queue_id=queue_id)
        session.add(team)
        session.flush()
        record(
            session,
            actor_id=actor.id,
            action="team.create",
            entity="team",
            entity_id=team.id,
            after={"name": team.name, "centre_id": centre_id},
        )
        return TeamView(id=team.id, centre_id=team.centre_id, name=team.name, name_zh=team.name_zh)


def _public_state(view: PersonView) -> dict[str, object]:
    # Never put the password hash in the audit trail.
    return {
        "username": view.username,
        "name": view.name,
        "role": view.role,
        "team_id": view.team_id,
        "grade": view.grade,
    }
