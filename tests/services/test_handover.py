"""H2-H4 through the handover service."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from rules.handover import H2_FIELDS
from tests.services.factories import World
from wfm.services import attendance, handover
from wfm.services.errors import InputError, PermissionDenied, RuleViolation

D7 = date(2026, 12, 7)
FULL = {f: "none" for f in H2_FIELDS} | {"equipment_status": "headset 12 broken"}


def t(hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 12, 7, hh, mm)


def test_H2_missing_field_refused_by_name(db: sessionmaker[Session], world: World) -> None:
    world.assign_many(db, [("sen_a1", D7, "D")])
    partial = dict(FULL, customer_feedback="  ")
    with pytest.raises(RuleViolation) as err:
        handover.write_handover(
            db, world.id("sen_a1"), team_id=world.teams["a"], day=D7, shift="D", fields=partial
        )
    assert err.value.rules == ["H2"] and "customer_feedback" in str(err.value)
    v = handover.write_handover(
        db,
        world.id("sen_a1"),
        team_id=world.teams["a"],
        day=D7,
        shift="D",
        fields=FULL,
        workload_calls=420,
    )
    assert v.fields["equipment_status"] == "headset 12 broken"
    with pytest.raises(InputError):
        handover.write_handover(
            db, world.id("lead_a"), team_id=world.teams["a"], day=D7, shift="D", fields=FULL
        )


def test_H2_only_shift_lead_writes_and_incoming_lead_acknowledges(
    db: sessionmaker[Session], world: World
) -> None:
    world.assign_many(db, [("int_a1", D7, "D"), ("sen_a2", D7, "D")])
    with pytest.raises(PermissionDenied):  # an intermediate agent does not lead the shift
        handover.write_handover(
            db, world.id("int_a1"), team_id=world.teams["a"], day=D7, shift="D", fields=FULL
        )
    with pytest.raises(PermissionDenied):  # another team's lead
        handover.write_handover(
            db, world.id("lead_b"), team_id=world.teams["a"], day=D7, shift="D", fields=FULL
        )
    log = handover.write_handover(
        db, world.id("sen_a2"), team_id=world.teams["a"], day=D7, shift="D", fields=FULL
    )
    with pytest.raises(PermissionDenied):
        handover.acknowledge_handover(db, world.id("sen_a2"), log.id)
    with pytest.raises(PermissionDenied):
        handover.acknowledge_handover(db, world.id("int_a1"), log.id)
    ack = handover.acknowledge_handover(db, world.id("sen_a1"), log.id)
    assert ack.incoming_lead_id == world.id("sen_a1") and ack.acknowledged_at is not None


def test_H3_outgoing_lead_waits_for_successor(db: sessionmaker[Session], world: World) -> None:
    world.assign_many(db, [("sen_a2", D7, "D"), ("sen_a1", D7, "E")])
    attendance.clock_in(db, world.id("sen_a2"), at=t(7, 45))
    log = handover.write_handover(
        db, world.id("sen_a2"), team_id=world.teams["a"], day=D7, shift="D", fields=FULL
    )
    with pytest.raises(RuleViolation) as err:  # nobody has taken over
        handover.record_departure(db, world.id("sen_a2"), log.id, at=t(16))
    assert err.value.rules == ["H3"]
    handover.acknowledge_handover(db, world.id("sen_a1"), log.id)
    with pytest.raises(RuleViolation) as err:  # acknowledged, but not clocked in
        handover.record_departure(db, world.id("sen_a2"), log.id, at=t(16))
    assert err.value.rules == ["H3"] and "clocked in" in str(err.value)
    attendance.clock_in(db, world.id("sen_a1"), at=t(13, 45))
    v = handover.record_departure(db, world.id("sen_a2"), log.id, at=t(16, 5))
    assert v.outgoing_left_at == t(16, 5)
    assert attendance.attendance_of(db, world.id("sen_a2"))[0].clock_out == t(16, 5)


def test_H4_new_notices_since_last_shift(
    db: sessionmaker[Session], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.assign_many(db, [("int_a1", D7, "D")])
    monkeypatch.setenv("WFM_NOW", "2026-12-06T10:00:00")
    old = handover.publish_notice(
        db, world.id("lead_a"), title="Old", body="x", team_id=world.teams["a"]
    )
    handover.mark_notices_read(db, world.id("int_a1"), [old])
    attendance.clock_in(db, world.id("int_a1"), at=t(7, 45))
    attendance.clock_out(db, world.id("int_a1"), at=t(16))
    monkeypatch.setenv("WFM_NOW", "2026-12-07T18:00:00")
    centre = handover.publish_notice(db, world.id("centre_director"), title="Centre", body="y")
    team_b = handover.publish_notice(
        db, world.id("lead_b"), title="B only", body="z", team_id=world.teams["b"]
    )
    with pytest.raises(PermissionDenied):  # a team lead cannot publish centre-wide
        handover.publish_notice(db, world.id("lead_a"), title="All", body="w")
    monkeypatch.setenv("WFM_NOW", "2026-12-08T07:45:00")
    listed = handover.notices_for_shift(db, world.id("int_a1"))
    assert [(n.id, n.new_since_last_shift, n.read) for n in listed] == [(centre, True, False)]
    assert team_b not in [n.id for n in listed]
    assert handover.mark_notices_read(db, world.id("int_a1"), [centre]) == 1
    assert [n.read for n in handover.notices_for_shift(db, world.id("int_a1"))] == [True]
