"""A small centre for dashboard tests, built on the service factories' world: a published
December roster for team A, requirements and a forecast, a holiday, leave with a private
reason, exams, inspections, grade history, a handover log and notices.

    world = make_dashboard_world(db)   # clock pinned to NOW by the caller
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from tests.services.factories import PASSWORD, World, add_holiday, add_requirement, make_world
from wfm.db import transaction
from wfm.models import (
    ExamResult,
    Forecast,
    ForecastInterval,
    GradeHistory,
    HandoverLog,
    LeaveApproval,
    LeaveRequest,
    Notice,
    QualityInspection,
    Requirement,
)

NOW = "2026-12-08T09:00:00"
MONTH = date(2026, 12, 1)
SECRET_REASON = "private family matter of Sen A1"
HOLIDAY = date(2026, 12, 25)

__all__ = ["HOLIDAY", "MONTH", "NOW", "PASSWORD", "SECRET_REASON", "make_dashboard_world"]


def make_dashboard_world(db: sessionmaker[Session]) -> World:
    world = make_world(db, MONTH)
    _roster(db, world)
    add_holiday(db, HOLIDAY, "Test holiday")
    for d in range(1, 15):
        add_requirement(db, world.queue, MONTH + timedelta(days=d - 1), 8, 22, 3)
    _forecast(db, world)
    with transaction(db) as s:
        s.execute(update(Requirement).values(offered=30.0, aht_seconds=240.0))
    with transaction(db) as s:
        leave = LeaveRequest(
            person_id=world.id("sen_a1"),
            requested_by_id=world.id("sen_a1"),
            leave_type="personal",
            start_at=datetime(2026, 12, 20),
            end_at=datetime(2026, 12, 21),
            reason=SECRET_REASON,
            status="approved",
            requested_at=datetime(2026, 12, 1, 10),
        )
        leave.steps.append(
            LeaveApproval(
                step=1,
                approver_role="team_lead",
                approver_id=world.id("lead_a"),
                decision="approved",
                decided_at=datetime(2026, 12, 1, 12),
            )
        )
        leave.steps.append(
            LeaveApproval(
                step=2,
                approver_role="department_director",
                approver_id=world.id("dept_director"),
                decision="approved",
                decided_at=datetime(2026, 12, 2),
            )
        )
        s.add(leave)
        for key, cpm, score in (("int_a1", 55, 72), ("jun_a1", 28, 55), ("sen_b1", 75, 90)):
            for m in (9, 10, 11):
                s.add(
                    ExamResult(
                        person_id=world.id(key),
                        month=date(2026, m, 1),
                        typing_cpm=cpm + m,
                        business_score=score,
                        answers=f"answers of {key}",
                    )
                )
            s.add(
                GradeHistory(
                    person_id=world.id(key),
                    grade="junior",
                    valid_from=date(2025, 1, 1),
                    reason="hired",
                )
            )
        s.add(
            QualityInspection(
                person_id=world.id("int_a1"),
                inspector_id=world.id("inspector"),
                inspected_at=datetime(2026, 11, 20, 10),
                call_reference="CALL-INT-A1",
                service_language=18,
                service_attitude=17,
                tone_intonation=16,
                need_understanding=18,
                response_ability=15,
                total=84,
                band="good",
                comment="clear and polite",
            )
        )
        s.add(
            QualityInspection(
                person_id=world.id("jun_a1"),
                inspector_id=world.id("inspector"),
                inspected_at=datetime(2026, 11, 21, 10),
                call_reference="CALL-JUN-A1",
                service_language=10,
                service_attitude=10,
                tone_intonation=10,
                need_understanding=10,
                response_ability=10,
                total=50,
                band="fail",
                comment="needs coaching",
            )
        )
        s.add(
            HandoverLog(
                team_id=world.teams["a"],
                day=date(2026, 12, 7),
                shift_type_id=world.shifts["D"],
                author_id=world.id("lead_a"),
                equipment_status="Headset 4 broken",
                unresolved_problems="Billing outage ticket #77 open",
                personnel_handover="Jun A2 left early",
                workload_calls=420,
            )
        )
        s.add(
            Notice(
                team_id=None,
                author_id=world.id("dept_director"),
                title="New billing script",
                body="Use the new billing script from Monday.",
                published_at=datetime(2026, 12, 7, 18),
            )
        )
    return world


def _roster(db: sessionmaker[Session], world: World) -> None:
    """Team A works D/M/E in rotation on every weekday of December 1-14; Sen A1 nights."""
    rows = []
    codes = ["D", "M", "E"]
    team_a = ["lead_a", "int_a1", "int_a2", "int_a3", "jun_a1", "jun_a2"]
    for i in range(14):
        day = MONTH + timedelta(days=i)
        if day.weekday() == 6:
            continue
        for k, key in enumerate(team_a):
            rows.append((key, day, codes[(k + i) % 3]))
        if day.weekday() < 5 and day.day < 12:
            rows.append(("sen_a1", day, "N"))
    world.assign_many(db, rows)


def _forecast(db: sessionmaker[Session], world: World) -> None:
    with transaction(db) as s:
        fc = Forecast(
            queue_id=world.queue,
            start=datetime(2026, 12, 1),
            end=datetime(2027, 1, 1),
            model="test",
        )
        s.add(fc)
        s.flush()
        t = datetime(2026, 12, 1)
        while t < datetime(2026, 12, 15):
            offered = 30.0 if 8 <= t.hour < 22 else 2.0
            s.add(
                ForecastInterval(
                    forecast_id=fc.id,
                    interval_start=t,
                    interval_minutes=30,
                    offered=offered,
                    aht_seconds=240.0,
                )
            )
            t += timedelta(minutes=30)
