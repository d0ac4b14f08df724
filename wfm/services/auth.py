"""Password login with argon2id hashes (argon2-cffi); never a plain-text password in the DB.

A failed login is written to the audit trail in its own committed transaction, so the record
survives even though the caller gets an error.

Lockout: after LOCKOUT_FAILURES failed logins for one username within LOCKOUT_WINDOW, every
login of that username (even with the right password) is refused for LOCKOUT_DURATION from the
last of those failures. It is derived from the audit trail alone (`auth.login_failed` rows; no
extra table): a successful login, or an admin's password reset, clears the earlier failures;
refusals while locked are audited as `auth.login_locked` and do not extend the lock. Unknown
usernames are locked the same way, so the lockout does not reveal which usernames exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from wfm.db import transaction
from wfm.models import AuditLog, Person
from wfm.services.audit import record
from wfm.services.errors import InputError, ServiceError
from wfm.services.permissions import load_actor
from wfm.timeutil import now

MIN_PASSWORD_LENGTH = 8
# Login lockout (see the module docstring): a security setting of the software, not a rule of
# the centre's policy file.
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=15)
LOCKOUT_DURATION = timedelta(minutes=15)
_FAILED = "auth.login_failed"
# Audit actions after which earlier failures no longer count (for that person).
_CLEARS = ("auth.login", "user.reset_password")
# A fixed dummy hash: verifying against it for unknown users keeps login time the same, so
# response time does not tell an attacker which usernames exist.
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class LoginFailed(ServiceError):
    """Wrong username or password (one message for both, so usernames are not revealed)."""


class LoginLocked(LoginFailed):
    """Too many failed logins for this username: refused until `until`, whatever the password."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(
            f"username: locked after {LOCKOUT_FAILURES} failed logins within "
            f"{_minutes(LOCKOUT_WINDOW)} min; try again after {until:%Y-%m-%d %H:%M}"
        )


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


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


def _failure_prefix(username: str) -> str:
    """How `login` starts the detail of an `auth.login_failed` row for `username`."""
    return f"username={username[:64]!r}:"


def locked_until(session: Session, username: str, person: Person | None) -> datetime | None:
    """When the lockout of `username` ends, or None if it is not locked now.

    Reads the audit rows of the last LOCKOUT_WINDOW + LOCKOUT_DURATION (older ones cannot lock
    now): in time order, a clearing row (successful login, password reset) forgets the failures
    before it; LOCKOUT_FAILURES failures within LOCKOUT_WINDOW lock until the last of them plus
    LOCKOUT_DURATION."""
    t = now()
    since = t - LOCKOUT_WINDOW - LOCKOUT_DURATION
    q = (
        select(AuditLog.at, AuditLog.action, AuditLog.entity_id, AuditLog.detail)
        .where(AuditLog.action.in_((_FAILED, *_CLEARS)), AuditLog.at >= since)
        .order_by(AuditLog.at, AuditLog.id)
    )
    if person is not None:
        q = q.where(or_(AuditLog.entity_id == person.id, AuditLog.entity_id.is_(None)))
    else:
        q = q.where(AuditLog.action == _FAILED, AuditLog.entity_id.is_(None))
    prefix = _failure_prefix(username)
    pid = person.id if person is not None else None
    failures: list[datetime] = []
    until: datetime | None = None
    for at, action, entity_id, detail in session.execute(q).all():
        if action == _FAILED:
            if (pid is not None and entity_id == pid) or (
                entity_id is None and (detail or "").startswith(prefix)
            ):
                failures.append(at)
                recent = failures[-LOCKOUT_FAILURES:]
                if len(recent) == LOCKOUT_FAILURES and recent[-1] - recent[0] <= LOCKOUT_WINDOW:
                    until = recent[-1] + LOCKOUT_DURATION
        elif pid is not None and entity_id == pid:
            failures, until = [], None
    return until if until is not None and t < until else None


def login(db: sessionmaker[Session], username: str, password: str) -> SessionUser:
    """Check a username and password; raises LoginFailed (audited as `auth.login_failed`), or
    LoginLocked (audited as `auth.login_locked`) while the username is locked out."""
    username = username.strip()
    with transaction(db) as session:
        person = session.scalars(select(Person).where(Person.username == username)).first()
        until = locked_until(session, username, person)
        if until is not None:
            verify_password(_DUMMY_HASH, password)  # takes as long as a real check
            action, reason = "auth.login_locked", f"locked until {until:%Y-%m-%d %H:%M}"
        else:
            if person is None:
                verify_password(_DUMMY_HASH, password)
            elif person.active and verify_password(person.password_hash, password):
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
            action = _FAILED
            reason = (
                "unknown user"
                if person is None
                else ("inactive account" if not person.active else "wrong password")
            )
        record(
            session,
            actor_id=person.id if person is not None else None,
            action=action,
            entity="person",
            entity_id=person.id if person is not None else None,
            detail=f"{_failure_prefix(username)} {reason}",
        )
    # The transaction above committed the audit row; now tell the caller.
    if until is not None:
        raise LoginLocked(until)
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
