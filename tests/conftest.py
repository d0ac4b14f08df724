"""Shared fixtures: a migrated database per test, on SQLite always and PostgreSQL when reachable.

Set WFM_TEST_POSTGRES_URL (e.g. postgresql+psycopg://wfm:wfm@localhost/postgres) to run every
database test on PostgreSQL too; `.ci/run` does. Without it the PostgreSQL half is skipped with
the reason shown in the summary (never silently).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from wfm.db import make_engine, make_session_factory
from wfm.migrate import upgrade

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
POSTGRES_ENV = "WFM_TEST_POSTGRES_URL"
_TEMPLATE = "wfm_template_" + uuid.uuid4().hex[:8]


def shared_path(*parts: str) -> Path:
    """A file under ../shared/ (tests may read it; the package never does)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"missing shared data file {path}")
    return path


def _postgres_admin_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str | None]:
    """A migrated template database; each test copies it (CREATE DATABASE ... TEMPLATE)."""
    admin = _postgres_admin_url()
    if admin is None:
        yield None
        return
    admin_engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{_TEMPLATE}"'))
    template_engine = make_engine(_replace_db(admin, _TEMPLATE))
    upgrade(template_engine)
    template_engine.dispose()
    yield _TEMPLATE
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)'))
    admin_engine.dispose()


def _replace_db(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


_SQLITE_TEMPLATE: dict[str, bytes] = {}


def _sqlite_engine(tmp_path: Path) -> Engine:
    """A fresh migrated SQLite file (the migrated bytes are built once and copied)."""
    db = tmp_path / "wfm.db"
    if "bytes" not in _SQLITE_TEMPLATE:
        seed = tmp_path / "template.db"
        eng = make_engine(f"sqlite:///{seed}")
        upgrade(eng)
        eng.dispose()
        _SQLITE_TEMPLATE["bytes"] = seed.read_bytes()
        seed.unlink()
    db.write_bytes(_SQLITE_TEMPLATE["bytes"])
    return make_engine(f"sqlite:///{db}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(
    request: pytest.FixtureRequest, tmp_path: Path, _pg_template: str | None
) -> Iterator[Engine]:
    """A freshly migrated, empty database: SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        eng = _sqlite_engine(tmp_path)
        yield eng
        eng.dispose()
        return
    admin = _postgres_admin_url()
    if admin is None or _pg_template is None:
        pytest.skip(f"PostgreSQL not configured: set {POSTGRES_ENV} (CI does)")
    name = "wfm_t_" + uuid.uuid4().hex[:10]
    admin_engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_pg_template}"'))
    eng = make_engine(_replace_db(admin, name))
    yield eng
    eng.dispose()
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin_engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    eng = _sqlite_engine(tmp_path)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)
