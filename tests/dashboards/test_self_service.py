"""Login lockout, cancelling approved leave, the agent's own calendar and the call-history
upload, through the pages as people would click them."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.dashboards.conftest import OpenApp
from tests.dashboards.fixtures import PASSWORD
from tests.dashboards.helpers import assert_clean, page_text
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


def test_cancel_hint_in_chinese(open_app: OpenApp) -> None:
    text = page_text(open_app("sen_a1", "agent_requests.py", lang="zh"))
    assert "取消已批准的请假" in text and "不会自动修改已发布的排班" in text
