"""Login lockout, cancelling approved leave, the agent's own calendar and the call-history
upload, through the pages as people would click them."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.dashboards.conftest import OpenApp
from tests.dashboards.fixtures import PASSWORD
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
