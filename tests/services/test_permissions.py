"""Every action x every role through the real services: allowed, or PermissionDenied.

"Allowed" means the service got past its permission check: it may still refuse on a rule or
on state (a second approval of the same step), which is not a permission question. Each
role acts as its natural person: the agent Int A2 on a colleague's data (or their own where the
action is personal), Team A's lead, the inspector, the directors, the admin.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from rules.grades import SCORE_FIELDS
from rules.handover import H2_FIELDS
from tests.services.factories import World
from wfm.services import (
    admin,
    attendance,
    audit_read,
    calls_import,
    grades,
    handover,
    leave,
    swaps,
)
from wfm.services.errors import PermissionDenied, RuleViolation, ServiceError
from wfm.views import roster as roster_views

D7 = date(2026, 12, 7)
ROLES = (
    "agent",
    "team_lead",
    "quality_inspector",
    "department_director",
    "centre_director",
    "admin",
)
ACTOR = {
    "agent": "int_a2",
    "team_lead": "lead_a",
    "quality_inspector": "inspector",
    "department_director": "dept_director",
    "centre_director": "centre_director",
    "admin": "admin",
}
Y, N = True, False

# action: allowed per role in ROLES order (A, TL, QI, DD, CD, AD)
TABLE: dict[str, tuple[bool, ...]] = {
    "leave.request (own)":            (Y, Y, Y, Y, Y, Y),
    "leave.record_sick (member)":     (N, Y, N, N, N, N),
    "leave.approve":                  (N, Y, N, Y, Y, N),
    "leave.view (other's reason)":    (N, Y, N, Y, Y, N),
    "leave.certificate":              (N, Y, N, Y, Y, N),
    "leave.coverage":                 (N, Y, N, Y, Y, N),
    "leave.cancel (other's)":         (N, Y, N, Y, Y, N),
    "swap.propose (own)":             (Y, Y, N, N, N, N),
    "swap.approve":                   (N, Y, N, N, N, N),
    "swap.candidates (other's)":      (N, Y, N, N, N, N),
    "attendance.clock (other)":       (N, Y, N, Y, Y, N),
    "attendance.roll_call":           (N, Y, N, N, N, N),
    "attendance.close_day":           (N, Y, N, Y, Y, N),
    "attendance.view (other)":        (N, Y, N, Y, Y, N),
    "handover.write":                 (N, Y, N, N, N, N),
    "notice.publish (team)":          (N, Y, N, Y, Y, N),
    "notice.read (own)":              (Y, Y, Y, Y, Y, Y),
    "exam.record":                    (N, Y, N, Y, Y, Y),
    "exam.view (other)":              (N, Y, N, Y, Y, Y),
    "inspection.record":              (N, N, Y, Y, Y, N),
    "inspection.view (other)":        (N, Y, Y, Y, Y, N),
    "evaluation.run":                 (N, N, N, Y, Y, Y),
    "grade.set":                      (N, N, N, Y, Y, N),
    "grade.view (other)":             (N, Y, N, Y, Y, Y),
    "audit.read":                     (N, N, N, Y, Y, Y),
    "user.create":                    (N, N, N, N, N, Y),
    "user.reset_password":            (N, N, N, N, N, Y),
    "team.create":                    (N, N, N, N, Y, Y),
    "calls.import (team's queue)":    (N, Y, N, Y, Y, Y),
    "roster.ical_own (other's)":      (N, N, N, N, N, N),
}  # fmt: skip


def actions(db: sessionmaker[Session], w: World) -> dict[str, Callable[[int], object]]:
    """One call per action; the targets are prepared once (Int A1's data, Team A)."""
    target = w.id("int_a1")
    team = w.teams["a"]
    w.assign_many(db, [("int_a1", D7, "D"), ("int_a3", D7, "M"), ("lead_a", D7, "D")])
    pending = leave.request_leave(
        db,
        target,
        leave_type="annual",
        start_at=datetime(2026, 12, 7),
        end_at=datetime(2026, 12, 8),
        reason="private",
    )
    sick = leave.request_leave(
        db,
        target,
        leave_type="sick",
        start_at=datetime(2026, 12, 20),
        end_at=datetime(2026, 12, 21),
    )
    swap = swaps.propose_swap(db, target, counterpart_id=w.id("int_a3"), proposer_day=D7)
    swaps.respond_swap(db, w.id("int_a3"), swap.id, accept=True)
    day = iter(range(1, 60))

    def own_leave(actor: int) -> object:
        d = date(2027, 1, next(day) % 28 + 1)
        return leave.request_leave(
            db,
            actor,
            leave_type="annual",
            start_at=datetime(d.year, d.month, d.day),
            end_at=datetime(d.year, d.month, d.day, 23),
        )

    def sick_for(actor: int) -> object:
        d = date(2027, 2, next(day) % 28 + 1)
        return leave.request_leave(
            db,
            actor,
            person_id=target,
            leave_type="sick",
            start_at=datetime(d.year, d.month, d.day),
            end_at=datetime(d.year, d.month, d.day, 23),
        )

    def approved_leave_of_target(actor: int) -> object:
        d = date(2027, 3, next(day) % 28 + 1)
        v = leave.request_leave(
            db,
            target,
            leave_type="annual",
            start_at=datetime(d.year, d.month, d.day),
            end_at=datetime(d.year, d.month, d.day, 23),
        )
        leave.approve_leave(db, w.id("lead_a"), v.id)
        leave.approve_leave(db, w.id("dept_director"), v.id)
        return leave.cancel_leave(db, actor, v.id)

    return {
        "leave.request (own)": own_leave,
        "leave.record_sick (member)": sick_for,
        "leave.approve": lambda a: leave.approve_leave(db, a, pending.id),
        "leave.view (other's reason)": lambda a: leave.get_leave(db, a, pending.id),
        "leave.certificate": lambda a: leave.record_certificate(
            db, a, sick.id, cert_from=date(2026, 12, 20), cert_to=date(2026, 12, 20)
        ),
        "leave.coverage": lambda a: leave.leave_coverage_effect(db, a, pending.id),
        "leave.cancel (other's)": approved_leave_of_target,
        "swap.propose (own)": lambda a: swaps.propose_swap(
            db, a, counterpart_id=w.id("int_a3"), proposer_day=D7
        ),
        "swap.approve": lambda a: swaps.approve_swap(db, a, swap.id),
        "swap.candidates (other's)": lambda a: swaps.swap_candidates(db, a, D7, person_id=target),
        "attendance.clock (other)": lambda a: attendance.clock_in(
            db, a, person_id=target, at=datetime(2026, 12, 7, 7, 45)
        ),
        "attendance.roll_call": lambda a: attendance.roll_call(
            db, a, team_id=team, day=D7, shift="D"
        ),
        "attendance.close_day": lambda a: attendance.close_day(db, a, D7, team_id=team),
        "attendance.view (other)": lambda a: attendance.attendance_of(db, a, person_id=target),
        "handover.write": lambda a: handover.write_handover(
            db, a, team_id=team, day=D7, shift="D", fields=dict.fromkeys(H2_FIELDS, "none")
        ),
        "notice.publish (team)": lambda a: handover.publish_notice(
            db, a, title="t", body="b", team_id=team
        ),
        "notice.read (own)": lambda a: handover.notices_for_shift(db, a),
        "exam.record": lambda a: grades.record_exam(
            db, a, person_id=target, month=date(2026, 11, 1), typing_cpm=50, business_score=70
        ),
        "exam.view (other)": lambda a: grades.exam_results(db, a, person_id=target),
        "inspection.record": lambda a: grades.record_inspection(
            db, a, person_id=target, call_reference="C", scores=dict.fromkeys(SCORE_FIELDS, 15)
        ),
        "inspection.view (other)": lambda a: grades.inspections_of(db, a, person_id=target),
        "evaluation.run": lambda a: grades.run_monthly_evaluation(db, a, date(2026, 10, 1)),
        "grade.set": lambda a: grades.set_grade(db, a, target, "intermediate", reason="check"),
        "grade.view (other)": lambda a: grades.grade_history(db, a, target),
        "audit.read": lambda a: audit_read.read_audit(db, a),
        "user.create": lambda a: admin.create_user(
            db,
            a,
            username=f"u{next(day)}",
            name="U",
            role="quality_inspector",
            password="long-enough-1",
        ),
        "user.reset_password": lambda a: admin.reset_password(db, a, target, "long-enough-2"),
        "team.create": lambda a: admin.create_team(db, a, name=f"T{next(day)}"),
        "roster.ical_own (other's)": lambda a: roster_views.person_ical(
            db, a, target, date(2026, 12, 1)
        ),
        "calls.import (team's queue)": lambda a: calls_import.import_calls_upload(
            db,
            a,
            b"interval_start,offered\n2026-03-02 08:00,5\n2026-03-02 08:30,6\n",
            "c.csv",
            queue="hotline",
        ),
    }


def outcome(call: Callable[[], object]) -> bool:
    try:
        call()
    except PermissionDenied:
        return False
    except RuleViolation as err:
        return "L3" not in err.rules  # L3 is the rule-level refusal of acting for another
    except ServiceError:
        pass  # past the permission check, refused on state or input
    return True


def test_permission_table_every_action_every_role(db: sessionmaker[Session], world: World) -> None:
    calls = actions(db, world)
    assert set(calls) == set(TABLE)
    got = {
        name: tuple(
            outcome(lambda c=call, r=role: c(world.id(ACTOR[r])))  # type: ignore[misc]
            for role in ROLES
        )
        for name, call in calls.items()
    }
    wrong = {n: (got[n], TABLE[n]) for n in TABLE if got[n] != TABLE[n]}
    assert not wrong, wrong


def test_team_scope_other_team_lead_denied(db: sessionmaker[Session], world: World) -> None:
    world.assign(db, "int_a1", D7, "D")
    v = leave.request_leave(
        db,
        world.id("int_a1"),
        leave_type="annual",
        start_at=datetime(2026, 12, 7),
        end_at=datetime(2026, 12, 8),
    )
    for call in (
        lambda: leave.approve_leave(db, world.id("lead_b"), v.id),
        lambda: leave.get_leave(db, world.id("lead_b"), v.id),
        lambda: grades.record_exam(
            db,
            world.id("lead_b"),
            person_id=world.id("int_a1"),
            month=date(2026, 11, 1),
            typing_cpm=1,
            business_score=1,
        ),
        lambda: attendance.close_day(db, world.id("lead_b"), D7, team_id=world.teams["a"]),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_deactivated_actor_can_do_nothing(db: sessionmaker[Session], world: World) -> None:
    admin.set_active(db, world.id("admin"), world.id("lead_a"), False)
    with pytest.raises(PermissionDenied):
        handover.notices_for_shift(db, world.id("lead_a"))
