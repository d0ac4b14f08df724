from __future__ import annotations

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
