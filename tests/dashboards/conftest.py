"""Dashboard tests: a fresh fixture centre in a SQLite file, the clock pinned, AppTest
pointed at it through WFM_DATABASE_URL, and a helper to open the app as any person."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from streamlit.testing.v1 import AppTest

from tests.dashboards.fixtures import NOW, make_dashboard_world
from tests.services.factories import World
from wfm.db import make_session_factory
from wfm.services import auth

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WFM_NOW", NOW)


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def db(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> sessionmaker[Session]:
    monkeypatch.setenv("WFM_DATABASE_URL", str(sqlite_engine.url))
    return make_session_factory(sqlite_engine)


@pytest.fixture
def world(db: sessionmaker[Session]) -> World:
    return make_dashboard_world(db)


OpenApp = Callable[..., AppTest]


@pytest.fixture
def open_app(db: sessionmaker[Session], world: World) -> OpenApp:
    """open_app("int_a1", page="agent_schedule.py", lang="en") -> a run AppTest logged in."""

    def _open(key: str | None, page: str | None = None, lang: str = "en") -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=30)
        at.session_state["lang"] = lang
        if key is not None:
            with db() as s:
                from wfm.models import Person

                person = s.get(Person, world.id(key))
                assert person is not None, key
                at.session_state["user"] = auth.session_user(person)
        at.run()
        if page is not None:
            at.switch_page(f"app_pages/{page}").run()
        return at

    return _open
