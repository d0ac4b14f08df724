"""An agent's own published shifts as an .ics file (wfm.views.roster.person_ical): own only."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from icalendar import Calendar
from sqlalchemy.orm import Session, sessionmaker

from tests.services.factories import World
from wfm.db import transaction
from wfm.models import LeaveApproval, LeaveRequest, Roster, RosterAssignment
from wfm.services.errors import PermissionDenied
from wfm.views.roster import person_ical

DEC = date(2026, 12, 1)


def events(ics: bytes) -> list[tuple[str, datetime, datetime]]:
    cal = Calendar.from_ical(ics)
    return sorted(
        (str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend")) for e in cal.walk("VEVENT")
    )


def test_agent_exports_own_published_shifts_with_roll_call(
    db: sessionmaker[Session], world: World
) -> None:
    world.assign_many(
        db,
        [
            ("int_a1", date(2026, 12, 7), "D"),
            ("int_a1", date(2026, 12, 9), "N"),
            ("int_a2", date(2026, 12, 7), "M"),  # a colleague's shift is not in the file
        ],
    )
    name, ics = person_ical(db, world.id("int_a1"), world.id("int_a1"), DEC)
    assert name == "shifts-int_a1-2026-12.ics"
    assert events(ics) == [
        ("D Shift D", datetime(2026, 12, 7, 7, 50), datetime(2026, 12, 7, 16, 0)),
        ("N Shift N", datetime(2026, 12, 9, 21, 50), datetime(2026, 12, 10, 8, 0)),
    ]
    # Another month without shifts: a valid, empty calendar.
    assert (
        events(person_ical(db, world.id("int_a1"), world.id("int_a1"), date(2027, 1, 1))[1]) == []
    )


@pytest.mark.parametrize(
    "actor", ["int_a2", "lead_a", "dept_director", "centre_director", "admin", "inspector"]
)
def test_nobody_exports_someone_elses_calendar_here(
    db: sessionmaker[Session], world: World, actor: str
) -> None:
    world.assign(db, "int_a1", date(2026, 12, 7), "D")
    with pytest.raises(PermissionDenied):
        person_ical(db, world.id(actor), world.id("int_a1"), DEC)
    # ...while each of them may export their own.
    assert person_ical(db, world.id(actor), world.id(actor), DEC)[1].startswith(b"BEGIN:VCALENDAR")


def test_drafts_and_shifts_emptied_by_approved_leave_are_left_out(
    db: sessionmaker[Session], world: World
) -> None:
    world.assign_many(db, [("int_a1", date(2026, 12, 7), "D"), ("int_a1", date(2026, 12, 8), "E")])
    with transaction(db) as s:
        draft = Roster(
            team_id=world.team_of("int_a1"),
            period_start=DEC,
            period_end=date(2026, 12, 31),
            version=2,
            status="draft",
        )
        s.add(draft)
        s.flush()
        s.add(
            RosterAssignment(
                roster_id=draft.id,
                person_id=world.id("int_a1"),
                day=date(2026, 12, 10),
                shift_type_id=world.shifts["M"],
            )
        )
        leave = LeaveRequest(
            person_id=world.id("int_a1"),
            requested_by_id=world.id("int_a1"),
            leave_type="annual",
            start_at=datetime(2026, 12, 8),
            end_at=datetime(2026, 12, 9),
            status="approved",
            requested_at=datetime(2026, 11, 20),
        )
        leave.steps.append(LeaveApproval(step=1, approver_role="team_lead", decision="approved"))
        s.add(leave)
    _, ics = person_ical(db, world.id("int_a1"), world.id("int_a1"), DEC)
    assert [e[1].date() for e in events(ics)] == [date(2026, 12, 7)]
