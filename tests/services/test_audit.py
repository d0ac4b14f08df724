"""The audit trail: written by every state change, readable by directors and admins only."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.services.factories import World
from wfm.services import audit_read, grades, leave
from wfm.services.errors import InputError, PermissionDenied


def test_audit_rows_with_actor_time_before_after(db: sessionmaker[Session], world: World) -> None:
    v = leave.request_leave(
        db,
        world.id("int_a1"),
        leave_type="annual",
        start_at=datetime(2026, 12, 7),
        end_at=datetime(2026, 12, 8),
    )
    leave.approve_leave(db, world.id("lead_a"), v.id)
    grades.set_grade(db, world.id("centre_director"), world.id("int_a1"), "senior", reason="x")
    rows = audit_read.read_audit(db, world.id("admin"), action_prefix="leave.")
    assert [r.action for r in rows] == ["leave.approve", "leave.request"]  # newest first
    approve = rows[0]
    assert approve.actor_name == "Lead A" and approve.at == datetime(2026, 11, 25, 9)
    assert approve.before and approve.before["steps"] == [
        ["team_lead", None],
        ["department_director", None],
    ]
    assert approve.after and approve.after["steps"][0] == ["team_lead", "approved"]
    grade = audit_read.read_audit(
        db, world.id("dept_director"), entity="person", entity_id=world.id("int_a1")
    )
    assert grade[0].before == {"grade": "intermediate"} and grade[0].after == {"grade": "senior"}
    for who in ("int_a1", "lead_a", "inspector"):
        with pytest.raises(PermissionDenied):
            audit_read.read_audit(db, world.id(who))
    with pytest.raises(InputError):
        audit_read.read_audit(db, world.id("admin"), limit=0)
