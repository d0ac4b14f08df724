"""Every page of every role renders, shows the role's data, and only that."""

from __future__ import annotations

import pytest

from dashboards.app import ROLE_SECTIONS
from tests.dashboards.conftest import OpenApp
from tests.dashboards.fixtures import SECRET_REASON
from tests.dashboards.helpers import assert_clean, page_text

# A person of each role in the fixture centre.
ROLE_PEOPLE = {
    "agent": "int_a1",
    "team_lead": "lead_a",
    "department_director": "dept_director",
    "centre_director": "centre_director",
    "quality_inspector": "inspector",
    "admin": "admin",
}
CASES = [
    (role, page)
    for role, sections in ROLE_SECTIONS.items()
    for _section, pages in sections
    for page, _title, _icon in pages
]


@pytest.mark.parametrize(("role", "page"), CASES, ids=[f"{r}-{p}" for r, p in CASES])
def test_every_page_renders_for_its_role(open_app: OpenApp, role: str, page: str) -> None:
    at = open_app(ROLE_PEOPLE[role], page)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, "every page has a title"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_language_switch_changes_titles(open_app: OpenApp, lang: str) -> None:
    at = open_app("int_a1", "agent_schedule.py", lang=lang)
    assert at.title[0].value == ("我的班表" if lang == "zh" else "My schedule")


def test_agent_sees_only_agent_pages(open_app: OpenApp) -> None:
    at = open_app("int_a1")
    with pytest.raises(ValueError):
        at.switch_page("app_pages/lead_roster.py")
    with pytest.raises(ValueError):
        at.switch_page("app_pages/director_audit.py")


def test_login_page_for_anonymous_and_no_role_pages(open_app: OpenApp) -> None:
    at = open_app(None)
    assert_clean(at)
    with pytest.raises(ValueError):
        at.switch_page("app_pages/agent_schedule.py")


def test_login_with_password(open_app: OpenApp) -> None:
    from tests.dashboards.fixtures import PASSWORD

    at = open_app(None)
    at.text_input(key="login_username").input("int_a1")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert_clean(at)
    assert at.session_state["user"].username == "int_a1"
    assert at.title[0].value == "My schedule"


def test_login_failure_shows_message(open_app: OpenApp) -> None:
    at = open_app(None)
    at.text_input(key="login_username").input("int_a1")
    at.text_input(key="login_password").input("wrong-password")
    at.button[0].click().run()
    assert "user" not in at.session_state
    assert at.error[0].value == "Wrong username or password."


def test_agent_schedule_shows_own_shifts_and_holiday(open_app: OpenApp) -> None:
    at = open_app("int_a1", "agent_schedule.py")
    assert_clean(at)
    at.selectbox(key="schedule_month").select_index(3).run()  # December (clock: 2026-12-08)
    text = page_text(at)
    assert "Test holiday" in text
    assert "M 10:00-18:00" in text
    assert at.metric[0].value == "12"


def test_agent_never_sees_a_colleagues_leave_reason(open_app: OpenApp) -> None:
    for page in ("agent_schedule.py", "agent_requests.py", "agent_swap.py", "agent_notices.py"):
        at = open_app("int_a1", page)
        assert not at.exception
        assert SECRET_REASON not in page_text(at), page


def test_person_sees_own_reason_and_lead_sees_team_reason(open_app: OpenApp) -> None:
    at = open_app("sen_a1", "agent_requests.py")
    assert SECRET_REASON in page_text(at)
    at = open_app("lead_b", "agent_schedule.py")
    assert SECRET_REASON not in page_text(at)


def test_agent_grades_are_own_only(open_app: OpenApp) -> None:
    text = page_text(open_app("int_a1", "agent_grades.py"))
    assert "CALL-INT-A1" in text
    assert "CALL-JUN-A1" not in text


def test_agent_notices_since_last_shift(open_app: OpenApp) -> None:
    at = open_app("int_a1", "agent_notices.py")
    text = page_text(at)
    assert "New billing script" in text
    assert "Headset 4 broken" in text
    # H4: the agent marks the new notices read; the button is gone once nothing is unread.
    at.button(key="notices_mark_read").click().run()
    assert_clean(at)
    assert not [b for b in at.button if b.key == "notices_mark_read"]


def test_director_staffing_lists_understaffed_intervals(open_app: OpenApp) -> None:
    at = open_app("dept_director", "director_staffing.py")
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 3
    tables = [df.value for df in at.dataframe if "Short" in df.value.columns]
    assert tables and len(tables[0]) > 0


def test_lead_cannot_read_audit_but_director_can(open_app: OpenApp) -> None:
    at = open_app("dept_director", "director_audit.py")
    assert_clean(at)


def test_director_grades_and_statistics_show_every_team(open_app: OpenApp) -> None:
    text = page_text(open_app("dept_director", "director_grades.py"))
    assert "Team A" in text and "Team B" in text
