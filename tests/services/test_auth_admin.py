from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.services.factories import PASSWORD, World
from wfm.db import transaction
from wfm.models import AuditLog, Person
from wfm.services import admin, auth
from wfm.services.errors import InputError, PermissionDenied


def test_login_ok_and_hash_is_argon2(db: sessionmaker[Session], world: World) -> None:
    user = auth.login(db, "int_a1", PASSWORD)
    assert user.id == world.id("int_a1") and user.role == "agent"
    with transaction(db) as s:
        h = s.get(Person, world.id("int_a1")).password_hash  # type: ignore[union-attr]
    assert h.startswith("$argon2id$") and PASSWORD not in h


def test_failed_login_is_audited(db: sessionmaker[Session], world: World) -> None:
    with pytest.raises(auth.LoginFailed):
        auth.login(db, "int_a1", "wrong-password")
    with pytest.raises(auth.LoginFailed):
        auth.login(db, "nobody", "wrong-password")
    with transaction(db) as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.action == "auth.login_failed")).all()
        assert len(rows) == 2
        assert rows[0].actor_id == world.id("int_a1")
        assert "wrong password" in rows[0].detail and "unknown user" in rows[1].detail


def test_inactive_account_cannot_log_in_or_act(db: sessionmaker[Session], world: World) -> None:
    admin.set_active(db, world.id("admin"), world.id("jun_a1"), False)
    with pytest.raises(auth.LoginFailed):
        auth.login(db, "jun_a1", PASSWORD)


def test_admin_creates_user_and_resets_password(db: sessionmaker[Session], world: World) -> None:
    v = admin.create_user(
        db,
        world.id("admin"),
        username="li.na",
        name="Li Na",
        role="agent",
        password="secret-pass-1",
        team_id=world.teams["a"],
        grade="junior",
    )
    assert v.grade == "junior"
    assert auth.login(db, "li.na", "secret-pass-1").id == v.id
    admin.reset_password(db, world.id("admin"), v.id, "another-pass-2")
    assert auth.login(db, "li.na", "another-pass-2").id == v.id
    with transaction(db) as s:
        actions = set(s.scalars(select(AuditLog.action)).all())
    assert {"user.create", "user.reset_password", "auth.login"} <= actions


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("username", {"username": "x"}),
        ("password", {"password": "short"}),
        ("role", {"role": "king"}),
        ("grade", {"grade": "guru"}),
        ("grade", {"grade": None}),
        ("team", {"team_id": None}),
    ],
)
def test_create_user_bad_input_names_field(
    db: sessionmaker[Session], world: World, field: str, kwargs: dict[str, object]
) -> None:
    args: dict[str, object] = {
        "username": "new.user",
        "name": "New",
        "role": "agent",
        "password": "long-enough-1",
        "team_id": world.teams["a"],
        "grade": "junior",
    }
    args.update(kwargs)
    with pytest.raises(InputError) as err:
        admin.create_user(db, world.id("admin"), **args)  # type: ignore[arg-type]
    assert err.value.field == field


def test_only_admin_creates_users(db: sessionmaker[Session], world: World) -> None:
    with pytest.raises(PermissionDenied):
        admin.create_user(
            db,
            world.id("centre_director"),
            username="zz",
            name="Z",
            role="admin",
            password="long-enough-1",
        )


def test_change_own_password(db: sessionmaker[Session], world: World) -> None:
    with pytest.raises(InputError):
        auth.change_password(db, world.id("jun_a1"), "bad-old-pass", "new-password-1")
    auth.change_password(db, world.id("jun_a1"), PASSWORD, "new-password-1")
    assert auth.login(db, "jun_a1", "new-password-1").username == "jun_a1"


# ---------------------------------------------------------------------------- lockout

T0 = datetime(2026, 11, 25, 9, 0)


def _at(monkeypatch: pytest.MonkeyPatch, minutes: float) -> None:
    """Move the centre's clock to T0 + minutes."""
    monkeypatch.setenv("WFM_NOW", (T0 + timedelta(minutes=minutes)).isoformat())


def _fail(db: sessionmaker[Session], username: str, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(auth.LoginFailed) as err:
            auth.login(db, username, "wrong-password")
        assert not isinstance(err.value, auth.LoginLocked)


def _audit_actions(db: sessionmaker[Session]) -> list[str]:
    with transaction(db) as s:
        return list(s.scalars(select(AuditLog.action).order_by(AuditLog.id)).all())


def test_five_failures_lock_even_the_right_password_for_15_minutes(
    db: sessionmaker[Session], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for minute in range(5):  # five failures within 4 minutes
        _at(monkeypatch, minute)
        _fail(db, "int_a1")
    _at(monkeypatch, 5)
    with pytest.raises(auth.LoginLocked) as err:
        auth.login(db, "int_a1", PASSWORD)
    assert str(err.value).startswith("username:") and "09:19" in str(err.value)
    assert err.value.until == T0 + timedelta(minutes=19)
    assert _audit_actions(db)[-1] == "auth.login_locked"
    # Other usernames are not affected.
    assert auth.login(db, "int_a2", PASSWORD).username == "int_a2"
    # Refusals while locked do not extend the lock: just before its end still locked, then open.
    _at(monkeypatch, 18.9)
    with pytest.raises(auth.LoginLocked):
        auth.login(db, "int_a1", PASSWORD)
    _at(monkeypatch, 19)
    assert auth.login(db, "int_a1", PASSWORD).id == world.id("int_a1")


def test_four_failures_or_failures_spread_over_more_than_15_minutes_do_not_lock(
    db: sessionmaker[Session], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail(db, "int_a1", 4)
    assert auth.login(db, "int_a1", PASSWORD).username == "int_a1"
    for minute in (0, 4, 8, 12, 16):  # five failures, but the first and last 16 minutes apart
        _at(monkeypatch, 20 + minute)
        _fail(db, "int_a2")
    assert auth.login(db, "int_a2", PASSWORD).username == "int_a2"


def test_successful_login_clears_earlier_failures(db: sessionmaker[Session], world: World) -> None:
    _fail(db, "int_a1", 4)
    auth.login(db, "int_a1", PASSWORD)
    _fail(db, "int_a1", 4)  # 8 failures in the window, but only 4 since the success
    assert auth.login(db, "int_a1", PASSWORD).username == "int_a1"
    _fail(db, "int_a1", 5)
    with pytest.raises(auth.LoginLocked):
        auth.login(db, "int_a1", PASSWORD)


def test_admin_password_reset_lifts_the_lock(db: sessionmaker[Session], world: World) -> None:
    _fail(db, "jun_a1", 5)
    with pytest.raises(auth.LoginLocked):
        auth.login(db, "jun_a1", PASSWORD)
    admin.reset_password(db, world.id("admin"), world.id("jun_a1"), "fresh-password-1")
    assert auth.login(db, "jun_a1", "fresh-password-1").username == "jun_a1"


def test_unknown_username_locks_alike_so_lockout_reveals_no_usernames(
    db: sessionmaker[Session], world: World
) -> None:
    _fail(db, "int_a", 5)  # no such user; a prefix of a real one
    with pytest.raises(auth.LoginLocked) as err:
        auth.login(db, "int_a", "anything-at-all")
    assert err.value.until is not None
    # The real username that merely starts like it is counted separately.
    assert auth.login(db, "int_a1", PASSWORD).username == "int_a1"
