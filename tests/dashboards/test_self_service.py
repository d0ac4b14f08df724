"""Login lockout, cancelling approved leave, the agent's own calendar and the call-history
upload, through the pages as people would click them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from tests.dashboards.conftest import OpenApp
from tests.dashboards.fixtures import PASSWORD
from tests.dashboards.helpers import assert_clean, page_text
from wfm.models import CallInterval
from wfm.services import auth


def _fail_logins(db: sessionmaker[Session], username: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(auth.LoginFailed):
            auth.login(db, username, "wrong-password")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "it is locked until 09:15"), ("zh", "已锁定至 09:15")],
)
def test_login_lockout_message_in_both_languages(
    open_app: OpenApp, db: sessionmaker[Session], lang: str, expected: str
) -> None:
    _fail_logins(db, "int_a1", auth.LOCKOUT_FAILURES)
    at = open_app(None, lang=lang)
    at.text_input(key="login_username").input("int_a1")
    at.text_input(key="login_password").input(PASSWORD)  # the right password
    at.button[0].click().run()
    assert "user" not in at.session_state
    assert expected in at.error[0].value


def test_login_not_locked_after_fewer_failures(
    open_app: OpenApp, db: sessionmaker[Session]
) -> None:
    _fail_logins(db, "int_a1", auth.LOCKOUT_FAILURES - 1)
    at = open_app(None)
    at.text_input(key="login_username").input("int_a1")
    at.text_input(key="login_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.error
    assert at.session_state["user"].username == "int_a1"


def test_agent_cancels_approved_leave_and_sees_the_roster_hint(open_app: OpenApp) -> None:
    at = open_app("sen_a1", "agent_requests.py")  # approved leave on 2026-12-20; today 12-08
    assert_clean(at)
    assert "Cancel approved leave" in page_text(at)
    assert "does not change the published roster" in page_text(at)
    at.text_input(key="leave_cancel_reason").input("plans changed")
    at.button(key="leave_cancel").click().run()
    assert_clean(at)
    text = page_text(at)
    assert any("cancelled" in s.value for s in at.success)
    assert any("re-solves or repairs" in w.value for w in at.warning)
    assert "cancelled" in text and "Cancel approved leave" not in text  # nothing left to cancel


def test_no_cancel_for_leave_that_started_or_without_approved_leave(
    open_app: OpenApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Cancel approved leave" not in page_text(open_app("int_a1", "agent_requests.py"))
    monkeypatch.setenv("WFM_NOW", "2026-12-20T08:00:00")  # sen_a1's leave day
    at = open_app("sen_a1", "agent_requests.py")
    assert_clean(at)
    assert "Cancel approved leave" not in page_text(at)


def test_team_lead_cancels_a_team_members_approved_leave(open_app: OpenApp) -> None:
    at = open_app("lead_a", "lead_approvals.py")
    assert_clean(at)
    assert "Cancel a team member's approved leave" in page_text(at)
    options = at.selectbox(key="lead_leave_cancel_id").options
    assert len(options) == 1 and "sen_a1" not in options[0]  # names, not usernames
    at.text_input(key="lead_leave_cancel_reason").input("covered by the agency")
    at.button(key="lead_leave_cancel").click().run()
    assert_clean(at)
    assert any("cancelled" in s.value for s in at.success)
    assert "Cancel a team member's approved leave" not in page_text(at)


def test_another_teams_lead_cannot_cancel_it(open_app: OpenApp) -> None:
    at = open_app("lead_b", "lead_approvals.py")
    assert_clean(at)
    assert "Cancel a team member's approved leave" not in page_text(at)


def test_cancel_hint_in_chinese(open_app: OpenApp) -> None:
    text = page_text(open_app("sen_a1", "agent_requests.py", lang="zh"))
    assert "取消已批准的请假" in text and "不会自动修改已发布的排班" in text


CALLS = "interval_start,offered,handled,abandoned,aht\n" + "".join(
    f"2026-03-02 {h:02d}:{m:02d},{10 + h},{9 + h},1,{200 + h}\n"
    for h in range(8, 12)
    for m in (0, 30)
)


def _call_rows(db: sessionmaker[Session]) -> int:
    with db() as s:
        return s.scalar(select(func.count()).select_from(CallInterval)) or 0


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="import_file").upload(name, data, "text/csv")
    at.run()
    at.button(key="import_submit").click().run()
    return at


def test_lead_uploads_call_history_and_sees_the_counts(
    open_app: OpenApp, db: sessionmaker[Session]
) -> None:
    before = _call_rows(db)
    at = open_app("lead_a", "lead_import.py")
    assert_clean(at)
    assert at.selectbox(key="import_queue").options == ["hotline"]
    assert not [w for w in at.text_input if w.key == "import_new_queue"]  # leads: own queue
    _upload(at, "acd-march.csv", CALLS.encode())
    assert_clean(at)
    assert "acd-march.csv → queue hotline: 8 intervals of 30 min" in at.success[0].value
    assert [(m.label, m.value) for m in at.metric] == [
        ("New", "8"),
        ("Updated", "0"),
        ("Unchanged", "0"),
    ]
    assert _call_rows(db) == before + 8


def test_upload_with_bad_rows_lists_them_and_writes_nothing(
    open_app: OpenApp, db: sessionmaker[Session]
) -> None:
    before = _call_rows(db)
    broken = CALLS.replace("2026-03-02 09:00,19", "2026-03-02 09:00,x").replace(
        "2026-03-02 10:30,20", "2026-03-02 10:30,-4"
    )
    at = _upload(open_app("dept_director", "lead_import.py", lang="zh"), "bad.csv", broken.encode())
    assert at.error[0].value == "bad.csv:发现 2 个问题,未导入任何数据。"
    problems = at.dataframe[0].value
    assert list(problems["行"]) == [4, 7] and set(problems["字段"]) == {"offered"}
    assert _call_rows(db) == before


def test_director_imports_into_a_new_queue(open_app: OpenApp, db: sessionmaker[Session]) -> None:
    at = open_app("centre_director", "lead_import.py")
    at.text_input(key="import_new_queue").input("railway-12306")
    _upload(at, "rail.csv", CALLS.encode())
    assert_clean(at)
    assert "queue railway-12306" in at.success[0].value


def test_import_page_only_for_roles_allowed_to_import(open_app: OpenApp) -> None:
    for key in ("int_a1", "inspector"):
        at = open_app(key)
        with pytest.raises(ValueError):
            at.switch_page("app_pages/lead_import.py")
    for key in ("lead_a", "dept_director", "centre_director", "admin"):
        assert_clean(open_app(key, "lead_import.py"))


def test_agent_downloads_own_shifts_as_ical(open_app: OpenApp) -> None:
    at = open_app("int_a1", "agent_schedule.py")
    at.selectbox(key="schedule_month").select_index(3).run()  # December (clock: 2026-12-08)
    assert_clean(at)
    buttons = [b for b in at.get("download_button") if "calendar" in str(b.proto.label)]
    assert len(buttons) == 1
    assert buttons[0].proto.url.endswith(".ics")  # the file itself: tests/services/test_own_ical


def test_no_ical_button_without_published_shifts(open_app: OpenApp) -> None:
    at = open_app("int_a1", "agent_schedule.py")
    at.selectbox(key="schedule_month").select_index(5).run()  # February: nothing published
    assert_clean(at)
    assert not [b for b in at.get("download_button") if "calendar" in str(b.proto.label)]
