"""Service tests run with the centre's clock pinned (WFM_NOW) and a fresh world per test."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker

from tests.services.factories import World, make_world
from wfm.services import auth

NOW = "2026-11-25T09:00:00"


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WFM_NOW", NOW)


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    # Production argon2 parameters cost ~0.3 s per hash on purpose; tests need only the format.
    monkeypatch.setattr(
        auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    return session_factory


@pytest.fixture
def world(db: sessionmaker[Session]) -> World:
    return make_world(db)
