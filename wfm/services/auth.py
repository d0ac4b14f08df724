"""Password login with argon2id hashes (argon2-cffi); never a plain-text password in the DB.

A failed login is written to the audit trail in its own committed transaction, so the record
survives even though the caller gets an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wfm.db import transaction
from wfm.models import Person
from wfm.services.audit import record
from wfm.services.errors import InputError, ServiceError
from wfm.services.permissions import load_actor

MIN_PASSWORD_LENGTH = 8
# A fixed dummy hash: verifying against it for unknown users keeps login time the same, so
# response time does not tell an attacker which usernames exist.
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class LoginFailed(ServiceError):
    """Wrong username or password (one message for both, so usernames are not revealed)."""


@dataclass(frozen=True, slots=True)
class SessionUser:
    """Who is logged in: what the dashboards keep in their session state."""

    id: int
    username: str
    name: str
    name_zh: str
    role: str
    team_id: int | None
    grade: str | None
    language: str


def hash_password(password: str) -> str:
    """An argon2id hash of `password` after checking the password policy."""
    check_password_policy(password)
    return _hasher.hash(password)


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"password: at least {MIN_PASSWORD_LENGTH} characters are required", field="password"
        )
    if password.strip() != password:
        raise InputError("password: must not start or end with spaces", field="password")


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def session_user(person: Person) -> SessionUser:
    return SessionUser(
        id=person.id,
        username=person.username,
        name=person.name,
        name_zh=person.name_zh,
        role=str(person.role),
        team_id=person.team_id,
        grade=str(person.grade) if person.grade is not None else None,
        language=person.language,
    )


def login(db: sessionmaker[Session], username: str, password: str) -> SessionUser:
    """Check a username and password; raises LoginFailed (audited as `auth.login_failed`)."""
    username = username.strip()
    with transaction(db) as session:
        person = session.scalars(select(Person).where(Person.username == username)).first()
        ok = False
        if person is None:
            verify_password(_DUMMY_HASH, password)
        elif person.active and verify_password(person.password_hash, password):
            ok = True
        if ok and person is not None:
            if _hasher.check_needs_rehash(person.password_hash):
                # Parameters were raised since this hash was made: upgrade it silently.
                person.password_hash = _hasher.hash(password)
            record(
                session,
                actor_id=person.id,
                action="auth.login",
                entity="person",
                entity_id=person.id,
            )
            return session_user(person)
        reason = (
            "unknown user"
            if person is None
            else ("inactive account" if not person.active else "wrong password")
        )
        record(
            session,
            actor_id=person.id if person is not None else None,
            action="auth.login_failed",
            entity="person",
            entity_id=person.id if person is not None else None,
            detail=f"username={username[:64]!r}: {reason}",
        )
    # The transaction above committed the audit row; now tell the caller.
    raise LoginFailed("wrong username or password")


def change_password(
    db: sessionmaker[Session], actor_id: int, old_password: str, new_password: str
) -> None:
    """A person changes their own password (the old one is required)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        if not verify_password(actor.password_hash, old_password):
            raise InputError("old_password: does not match", field="old_password")
        actor.password_hash = hash_password(new_password)
        record(
            session,
            actor_id=actor.id,
            action="auth.change_password",
            entity="person",
            entity_id=actor.id,
        )
