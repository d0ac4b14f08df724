"""H1, L7 and W7 through the attendance service."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.services.factories import World
from wfm.db import transaction
from wfm.models import DisciplineEvent
from wfm.services import attendance, leave, swaps
from wfm.services.errors import InputError, PermissionDenied

D7, D10 = date(2026, 12, 7), date(2026, 12, 10)


def t(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm)


def events(db: sessionmaker[Session]) -> list[tuple[int, str, str]]:
    with transaction(db) as s:
        return [
            (e.person_id, e.kind, e.rule)
            for e in s.scalars(select(DisciplineEvent).order_by(DisciplineEvent.id))
        ]


def test_H1_arrival_after_roll_call_noted(db: sessionmaker[Session], world: World) -> None:
    world.assign_many(db, [("int_a1", D7, "D"), ("int_a2", D7, "D"), ("jun_a1", D7, "D")])
    ok = attendance.clock_in(db, world.id("int_a1"), at=t(D7, 7, 48))
    assert ok.status == "present" and ok.late_minutes == 0 and ok.notes == ()
    late = attendance.clock_in(db, world.id("int_a2"), at=t(D7, 7, 55))
    assert late.status == "late" and late.late_minutes == 5
    assert late.notes[0].startswith("H1:") and events(db) == []
    rows = attendance.roll_call(db, world.id("lead_a"), team_id=world.teams["a"], day=D7, shift="D")
    assert {r.name: r.status for r in rows} == {
        "Int A1": "present",
        "Int A2": "late",
        "Jun A1": "not_arrived",
    }
    with pytest.raises(PermissionDenied):
        attendance.roll_call(db, world.id("int_a1"), team_id=world.teams["a"], day=D7, shift="D")


def test_L7_late_over_20_minutes_is_discipline(db: sessionmaker[Session], world: World) -> None:
    world.assign_many(db, [("int_a1", D7, "D"), ("int_a2", D7, "D")])
    attendance.clock_in(db, world.id("int_a1"), at=t(D7, 8, 10))  # 20 min after roll call: ok
    v = attendance.clock_in(db, world.id("int_a2"), at=t(D7, 8, 11))
    assert v.late_minutes == 21 and any(n.startswith("L7:") for n in v.notes)
    assert events(db) == [(world.id("int_a2"), "late", "L7")]
    with pytest.raises(InputError):
        attendance.clock_in(db, world.id("int_a2"), at=t(D7, 8, 12))


def test_L7_leaving_post_over_20_minutes(db: sessionmaker[Session], world: World) -> None:
    world.assign_many(db, [("int_a1", D7, "D"), ("int_a2", D7, "D"), ("int_a3", D7, "D")])
    for key in ("int_a1", "int_a2", "int_a3"):
        attendance.clock_in(db, world.id(key), at=t(D7, 7, 45))
    attendance.leave_post(db, world.id("int_a1"), at=t(D7, 10))
    attendance.return_to_post(db, world.id("int_a1"), at=t(D7, 10, 20))  # 20 min: allowed
    attendance.leave_post(db, world.id("int_a2"), at=t(D7, 10))
    attendance.return_to_post(db, world.id("int_a2"), at=t(D7, 10, 25))
    with pytest.raises(PermissionDenied):  # nobody permits themselves
        attendance.leave_post(db, world.id("int_a3"), at=t(D7, 10), permitted=True)
    attendance.leave_post(
        db, world.id("lead_a"), person_id=world.id("int_a3"), at=t(D7, 10), permitted=True
    )
    attendance.return_to_post(db, world.id("int_a3"), at=t(D7, 11))
    assert events(db) == [(world.id("int_a2"), "left_post", "L7")]


def test_close_day_absence_and_leave(
    db: sessionmaker[Session], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.assign_many(db, [("int_a1", D7, "D"), ("int_a2", D7, "D"), ("int_a3", D7, "D")])
    v = leave.request_leave(
        db,
        world.id("int_a3"),
        leave_type="annual",
        start_at=t(D7, 0),
        end_at=t(date(2026, 12, 8), 0),
    )
    leave.approve_leave(db, world.id("lead_a"), v.id)
    leave.approve_leave(db, world.id("dept_director"), v.id)
    monkeypatch.setenv("WFM_NOW", "2026-12-07T23:00:00")
    attendance.clock_in(db, world.id("int_a1"), at=t(D7, 7, 45))
    with pytest.raises(PermissionDenied):
        attendance.close_day(db, world.id("int_a1"), D7)
    marked = attendance.close_day(db, world.id("lead_a"), D7)
    # L8: the approval repaired the roster, so Int A3 is no longer rostered on D7 and owes
    # nothing; only Int A2's unexplained absence is marked.
    assert {m.person_name: m.status for m in marked} == {"Int A2": "absent"}
    assert events(db) == [(world.id("int_a2"), "absenteeism", "L1")]
    assert attendance.close_day(db, world.id("lead_a"), D7) == []  # idempotent


def test_W7_swapped_shift_nobody_worked_is_absenteeism_for_both(
    db: sessionmaker[Session], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # int_a1 gives D on the 7th and takes int_a3's D on the 10th.
    world.assign_many(db, [("int_a1", D7, "D"), ("int_a3", D10, "D")])
    s = swaps.propose_swap(
        db,
        world.id("int_a1"),
        counterpart_id=world.id("int_a3"),
        proposer_day=D7,
        counterpart_day=D10,
    )
    swaps.respond_swap(db, world.id("int_a3"), s.id, accept=True)
    swaps.approve_swap(db, world.id("lead_a"), s.id)
    monkeypatch.setenv("WFM_NOW", "2026-12-07T23:00:00")
    attendance.close_day(db, world.id("lead_a"), D7)
    assert sorted(events(db)) == sorted(
        [(world.id("int_a3"), "absenteeism", "W7"), (world.id("int_a1"), "absenteeism", "W7")]
    )


def test_W7_giver_who_covers_is_not_absent(
    db: sessionmaker[Session], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.assign_many(db, [("int_a1", D7, "D"), ("int_a3", D10, "D")])
    s = swaps.propose_swap(
        db,
        world.id("int_a1"),
        counterpart_id=world.id("int_a3"),
        proposer_day=D7,
        counterpart_day=D10,
    )
    swaps.respond_swap(db, world.id("int_a3"), s.id, accept=True)
    swaps.approve_swap(db, world.id("lead_a"), s.id)
    attendance.clock_in(db, world.id("int_a1"), at=t(D7, 7, 45))  # covers the shift given away
    monkeypatch.setenv("WFM_NOW", "2026-12-07T23:00:00")
    attendance.close_day(db, world.id("lead_a"), D7)
    assert events(db) == [(world.id("int_a3"), "absenteeism", "W7")]
