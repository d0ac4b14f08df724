"""W1-W7 through the swap service, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.services.factories import World, add_holiday, make_world
from wfm.db import make_session_factory, transaction
from wfm.models import AuditLog, Grade, Person, RosterAssignment, SwapRequest, SwapSlot
from wfm.services import swaps
from wfm.services.errors import InputError, PermissionDenied, RuleViolation

D7, D8, D10, D13 = date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 10), date(2026, 12, 13)


def shifts_on(db: sessionmaker[Session], world: World, day: date) -> dict[str, str]:
    with transaction(db) as s:
        rows = s.scalars(select(RosterAssignment).where(RosterAssignment.day == day)).all()
        codes = {v: k for k, v in world.shifts.items()}
        return {world.names[r.person_id]: codes[r.shift_type_id] for r in rows}


def swap_through(db: sessionmaker[Session], world: World, a: str, b: str, day: date) -> int:
    v = swaps.propose_swap(db, world.id(a), counterpart_id=world.id(b), proposer_day=day)
    swaps.respond_swap(db, world.id(b), v.id, accept=True)
    return v.id


def test_same_team_swap_registered_in_published_roster(
    db: sessionmaker[Session], world: World
) -> None:
    world.assign_many(db, [("int_a1", D7, "D"), ("int_a3", D7, "M")])
    sid = swap_through(db, world, "int_a1", "int_a3", D7)
    v = swaps.approve_swap(db, world.id("lead_a"), sid)
    assert v.status == "approved" and len(v.approvals) == 1  # W2: one lead for one team
    assert shifts_on(db, world, D7) == {"int_a1": "M", "int_a3": "D"}
    with transaction(db) as s:
        actions = s.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["swap.propose", "swap.accept", "roster.swap_registered", "swap.approve"]


def test_W1_third_swap_refused(db: sessionmaker[Session], world: World) -> None:
    world.assign_many(
        db,
        [("int_a1", d, "D") for d in (D7, D10, D13)] + [("int_a3", d, "M") for d in (D7, D10, D13)],
    )
    ids = [swap_through(db, world, "int_a1", "int_a3", d) for d in (D7, D10, D13)]
    swaps.approve_swap(db, world.id("lead_a"), ids[0])
    swaps.approve_swap(db, world.id("lead_a"), ids[1])
    with pytest.raises(RuleViolation) as err:
        swaps.approve_swap(db, world.id("lead_a"), ids[2])
    assert err.value.rules == ["W1"]
    assert str(err.value).startswith("W1: Int A1 already has 2 approved swaps in 2026-12 (limit 2)")
    # The approval screen's dry run says the same before the lead clicks, and changes nothing.
    assert [v.rule for v in swaps.swap_rule_check(db, world.id("lead_a"), ids[2])] == ["W1", "W1"]
    with pytest.raises(PermissionDenied):
        swaps.swap_rule_check(db, world.id("int_a1"), ids[2])
    with transaction(db) as s:  # the refused approval changed nothing
        assert s.get(SwapRequest, ids[2]).status == "accepted"  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).select_from(SwapSlot)) == 4
    world.assign_many(
        db, [("int_a1", date(2026, 12, 16), "D"), ("int_a3", date(2026, 12, 16), "M")]
    )
    with pytest.raises(RuleViolation) as err:  # refused early at proposal too
        swaps.propose_swap(
            db,
            world.id("int_a1"),
            counterpart_id=world.id("int_a3"),
            proposer_day=date(2026, 12, 16),
        )
    assert err.value.rules == ["W1", "W1"]


def test_W2_cross_team_swap_needs_both_leads(db: sessionmaker[Session], world: World) -> None:
    world.assign_many(db, [("int_a1", D7, "D"), ("int_b1", D7, "E")])
    sid = swap_through(db, world, "int_a1", "int_b1", D7)
    assert swaps.swap_rule_check(db, world.id("lead_b"), sid) == []  # passes every rule now
    with pytest.raises(PermissionDenied):
        swaps.approve_swap(db, world.id("int_a2"), sid)
    with pytest.raises(PermissionDenied):
        swaps.approve_swap(db, world.id("centre_director"), sid)
    v = swaps.approve_swap(db, world.id("lead_a"), sid)
    assert v.status == "accepted" and shifts_on(db, world, D7) == {"int_a1": "D", "int_b1": "E"}
    with pytest.raises(InputError):  # the same lead cannot approve twice
        swaps.approve_swap(db, world.id("lead_a"), sid)
    v = swaps.approve_swap(db, world.id("lead_b"), sid)
    assert v.status == "approved"
    assert shifts_on(db, world, D7) == {"int_b1": "D", "int_a1": "E"}


def test_W2_approval_needs_acceptance_first(db: sessionmaker[Session], world: World) -> None:
    world.assign_many(db, [("int_a1", D7, "D"), ("int_a3", D7, "M")])
    v = swaps.propose_swap(
        db, world.id("int_a1"), counterpart_id=world.id("int_a3"), proposer_day=D7
    )
    with pytest.raises(InputError):
        swaps.approve_swap(db, world.id("lead_a"), v.id)
    with pytest.raises(PermissionDenied):  # only the colleague asked may accept
        swaps.respond_swap(db, world.id("int_a2"), v.id, accept=True)


def test_W3_grade_and_skills(db: sessionmaker[Session], world: World) -> None:
    world.assign_many(
        db, [("int_a1", D7, "V"), ("jun_a1", D7, "M"), ("int_a2", D7, "E"), ("int_a3", D7, "D")]
    )
    with pytest.raises(RuleViolation) as err:
        swaps.propose_swap(
            db, world.id("int_a1"), counterpart_id=world.id("jun_a1"), proposer_day=D7
        )
    assert set(err.value.rules) == {"W3"} and "grades must match" in str(err.value)
    with pytest.raises(RuleViolation) as err:  # int_a2 lacks the VIP skill of shift V
        swaps.propose_swap(
            db, world.id("int_a1"), counterpart_id=world.id("int_a2"), proposer_day=D7
        )
    assert err.value.rules == ["W3"] and "lacks skill vip" in str(err.value)
    # int_a3 has the skill: allowed
    assert (
        swaps.propose_swap(
            db, world.id("int_a1"), counterpart_id=world.id("int_a3"), proposer_day=D7
        ).status
        == "proposed"
    )


def test_W4_no_consecutive_shifts_after_swap(db: sessionmaker[Session], world: World) -> None:
    # int_a1 works D on the 8th; taking E (until 22:00) on the 7th leaves 10 h rest < 12 h.
    world.assign_many(
        db, [("int_a1", D7, "D"), ("int_a1", D8, "D"), ("int_a3", D7, "E"), ("int_a2", D7, "M")]
    )
    with pytest.raises(RuleViolation) as err:
        swaps.propose_swap(
            db, world.id("int_a1"), counterpart_id=world.id("int_a3"), proposer_day=D7
        )
    assert err.value.rules == ["W4"] and "R1" in str(err.value)
    assert (
        swaps.propose_swap(
            db, world.id("int_a1"), counterpart_id=world.id("int_a2"), proposer_day=D7
        ).status
        == "proposed"
    )


def test_W5_no_swap_on_public_holiday(db: sessionmaker[Session], world: World) -> None:
    add_holiday(db, D13)
    world.assign_many(
        db, [("int_a1", D13, "D"), ("int_a3", D13, "M"), ("int_a1", D10, "D"), ("int_a3", D10, "M")]
    )
    with pytest.raises(RuleViolation) as err:
        swaps.propose_swap(
            db, world.id("int_a1"), counterpart_id=world.id("int_a3"), proposer_day=D13
        )
    assert err.value.rules == ["W5"]
    swaps.propose_swap(db, world.id("int_a1"), counterpart_id=world.id("int_a3"), proposer_day=D10)


def test_W6_shift_lead_kept_after_swap(db: sessionmaker[Session], world: World) -> None:
    # An intermediate-grade team lead is the only lead on D; handing D to an intermediate agent
    # leaves D without a senior (R2). Handing it to another who can lead keeps R2.
    with transaction(db) as s:
        s.get(Person, world.id("lead_a")).grade = Grade.INTERMEDIATE  # type: ignore[union-attr]
    world.assign_many(db, [("lead_a", D7, "D"), ("int_a2", D7, "E"), ("sen_a1", D7, "E")])
    with pytest.raises(RuleViolation) as err:
        swaps.propose_swap(
            db, world.id("lead_a"), counterpart_id=world.id("int_a2"), proposer_day=D7
        )
    assert err.value.rules == ["W6"] and "R2" in str(err.value)
    # With a senior also on D the lead's shift can go.
    world.assign(db, "sen_a2", D7, "D")
    v = swaps.propose_swap(
        db, world.id("lead_a"), counterpart_id=world.id("int_a2"), proposer_day=D7
    )
    assert v.status == "proposed"


def test_W7_approved_swap_binds(db: sessionmaker[Session], world: World) -> None:
    world.assign_many(db, [("int_a1", D7, "D"), ("int_a3", D7, "M")])
    sid = swap_through(db, world, "int_a1", "int_a3", D7)
    swaps.approve_swap(db, world.id("lead_a"), sid)
    with pytest.raises(RuleViolation) as err:
        swaps.withdraw_swap(db, world.id("int_a1"), sid)
    assert err.value.rules == ["W7"]


def test_swap_candidates_explain_refusals(db: sessionmaker[Session], world: World) -> None:
    world.assign_many(
        db,
        [
            ("int_a1", D7, "V"),
            ("int_a3", D7, "M"),
            ("int_a2", D7, "E"),
            ("jun_a1", D7, "N"),
            ("int_b1", D7, "V"),
        ],
    )
    cands = {c.name: c for c in swaps.swap_candidates(db, world.id("int_a1"), D7, "V")}
    assert cands["Int A3"].eligible
    assert cands["Int A2"].rules == ("W3",)  # no VIP skill
    assert cands["Jun A1"].rules == ("W3",)  # grade
    assert "Int B1" not in cands  # same shift: nothing to swap
    assert cands["Int B2"].shift is None and cands["Int B2"].rules == ("W3",)  # would take V
    with pytest.raises(InputError):
        swaps.swap_candidates(db, world.id("int_a1"), D7, "D")
    with pytest.raises(PermissionDenied):
        swaps.swap_candidates(db, world.id("int_a2"), D7, person_id=world.id("int_a1"))


def test_W1_race_exactly_two_of_six_approvals_succeed(engine: Engine) -> None:
    db = make_session_factory(engine)
    world = make_world(db)
    days = [date(2026, 12, d) for d in (2, 5, 8, 11, 14, 17)]
    partners = ["int_a2", "int_a3", "int_b1", "int_b2", "int_a2", "int_a3"]
    world.assign_many(
        db,
        [("int_a1", d, "D") for d in days]
        + [(p, d, "M") for p, d in zip(partners, days, strict=True)],
    )
    ids = []
    for p, d in zip(partners, days, strict=True):
        sid = swap_through(db, world, "int_a1", p, d)
        if world.team_of(p) != world.team_of("int_a1"):  # cross-team: lead_b approves first
            swaps.approve_swap(db, world.id("lead_b"), sid)
        ids.append(sid)
    barrier = threading.Barrier(len(ids))
    results: list[str] = []
    lock = threading.Lock()

    def approve(sid: int) -> None:
        barrier.wait()
        try:
            swaps.approve_swap(db, world.id("lead_a"), sid)
            outcome = "ok"
        except RuleViolation as err:
            outcome = ",".join(err.rules)
        except Exception as err:  # noqa: BLE001 - reported in the assertion below
            outcome = repr(err)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=approve, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == ["W1"] * 4 + ["ok"] * 2, results
    with transaction(db) as s:
        slots = s.scalars(
            select(SwapSlot.slot).where(SwapSlot.person_id == world.id("int_a1"))
        ).all()
        assert sorted(slots) == [1, 2]
        approved = s.scalar(
            select(func.count()).select_from(SwapRequest).where(SwapRequest.status == "approved")
        )
        assert approved == 2
