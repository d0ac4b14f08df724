"""Request → approval flows through the pages, as the people would click them."""

from __future__ import annotations

from datetime import date

from tests.dashboards.conftest import OpenApp
from tests.dashboards.helpers import assert_clean, page_text


def _request_leave(open_app: OpenApp, first: date, last: date) -> None:
    at = open_app("int_a1", "agent_leave.py")
    at.date_input(key="leave_first").set_value(first)
    at.date_input(key="leave_last").set_value(last).run()
    text = page_text(at)
    assert "Approval path: team lead → centre director" in text  # shown before submitting
    assert "Shifts affected: 12-10 M 10:00, 12-11 E 14:00" in text
    at.text_area(key="leave_reason").input("moving house")
    at.button(key="leave_submit").click().run()
    assert_clean(at)
    assert any("submitted" in s.value for s in at.success)


def _roster_hours(open_app: OpenApp) -> float:
    at = open_app("lead_a", "lead_roster.py")
    at.selectbox(key="roster_month").select_index(3).run()  # December
    assert_clean(at)
    return float(next(m for m in at.metric if m.label == "Scheduled agent-hours").value)


def _my_december(open_app: OpenApp) -> str:
    at = open_app("int_a1", "agent_schedule.py")
    at.selectbox(key="schedule_month").select_index(3).run()
    return page_text(at)


def test_leave_request_then_lead_then_centre_director_approve(open_app: OpenApp) -> None:
    hours_before = _roster_hours(open_app)
    assert "10 · M 10:00-18:00" in _my_december(open_app)
    _request_leave(open_app, date(2026, 12, 10), date(2026, 12, 11))

    lead = open_app("lead_a", "lead_approvals.py")
    assert_clean(lead)
    text = page_text(lead)
    assert "Int A1" in text and "moving house" in text
    assert "Effect on coverage" in text
    lead.button(key=f"lead_leave_approve_{_pending_id(lead)}").click().run()
    assert_clean(lead)
    assert "Int A1" not in page_text(lead.run())  # gone from the lead's queue

    # Two days: the centre director decides (L2); the department director sees nothing.
    dept = open_app("dept_director", "director_approvals.py")
    assert "Int A1" not in page_text(dept)
    centre = open_app("centre_director", "director_approvals.py")
    assert "Int A1" in page_text(centre)
    centre.button(key=f"director_leave_approve_{_pending_id(centre)}").click().run()
    assert_clean(centre)

    mine = open_app("int_a1", "agent_requests.py")
    assert "approved" in page_text(mine)
    # The leave empties the two shifts (L8): the agent's month shows the leave instead, and
    # the team's roster schedules fewer agent-hours (the fixture has nobody to repair with).
    mine_after = _my_december(open_app)
    assert "10 · off · [On leave]" in mine_after and "11 · off · [On leave]" in mine_after
    assert _roster_hours(open_app) < hours_before


def test_agent_sees_refusal_with_rule_id_before_submitting(open_app: OpenApp) -> None:
    at = open_app("int_a1", "agent_leave.py")
    at.date_input(key="leave_first").set_value(date(2026, 12, 8))  # today, shift at 14:00
    at.date_input(key="leave_last").set_value(date(2026, 12, 8)).run()
    text = page_text(at)
    assert "L1" in text  # short notice: an exception for management, named by its rule


def test_lead_rejects_and_agent_sees_status(open_app: OpenApp) -> None:
    _request_leave(open_app, date(2026, 12, 10), date(2026, 12, 11))
    lead = open_app("lead_a", "lead_approvals.py")
    lead.button(key=f"lead_leave_reject_{_pending_id(lead)}").click().run()
    assert_clean(lead)
    assert "rejected" in page_text(open_app("int_a1", "agent_requests.py"))


def test_swap_proposal_lists_candidates_and_reasons(open_app: OpenApp) -> None:
    at = open_app("int_a1", "agent_swap.py")
    assert_clean(at)
    text = page_text(at)
    assert "Eligible colleagues" in text
    assert "W3" in text  # a colleague of another grade is listed with the rule against


def _pending_id(at) -> int:
    keys = [b.key for b in at.button if b.key and "_approve_" in b.key]
    assert keys, "nothing in the approval queue"
    return int(keys[0].rsplit("_", 1)[1])
