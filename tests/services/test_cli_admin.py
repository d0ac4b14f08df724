"""`wfm user/team/exams` on a local Typer app against a migrated SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from wfm.cli.admin import register
from wfm.db import make_session_factory, transaction
from wfm.models import ExamResult, Person


@pytest.fixture
def cli(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> tuple[typer.Typer, Engine]:
    monkeypatch.setenv("WFM_DATABASE_URL", str(sqlite_engine.url))
    monkeypatch.delenv("WFM_ACTOR", raising=False)
    app = typer.Typer()
    register(app)
    return app, sqlite_engine


def run(app: typer.Typer, *args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.output


def test_cli_bootstrap_team_users_and_exams(
    cli: tuple[typer.Typer, Engine], tmp_path: Path
) -> None:
    app, engine = cli
    code, out = run(app, "user", "create", "li.na", "--name", "Li Na", "--password", "pw-123456")
    assert code != 0 and "--role admin" in out
    code, out = run(
        app,
        "user",
        "create",
        "root",
        "--name",
        "Root",
        "--role",
        "admin",
        "--password",
        "pw-123456",
    )
    assert code == 0, out
    assert run(app, "team", "create", "Team A", "--centre", "Hotline")[0] == 0
    code, out = run(app, "team", "create", "Team A")
    assert code == 1 and "exists" in out
    code, out = run(
        app,
        "user",
        "create",
        "li.na",
        "--name",
        "Li Na",
        "--team",
        "Team A",
        "--grade",
        "junior",
        "--password",
        "pw-123456",
    )
    assert code == 0, out
    code, out = run(
        app,
        "user",
        "create",
        "x.y",
        "--name",
        "X",
        "--team",
        "Team A",
        "--grade",
        "guru",
        "--password",
        "pw-123456",
    )
    assert code == 1 and "grade" in out
    assert run(app, "user", "reset-password", "li.na", "--password", "new-pass-99")[0] == 0
    assert run(app, "user", "reset-password", "nobody", "--password", "new-pass-99")[0] == 1
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "username,month,typing_cpm,business_score\nli.na,2026-11,40,70\nli.na,2026-1x,1,1\n"
    )
    code, out = run(app, "exams", "import", str(bad))
    assert code == 1 and "row 3: month" in out
    good = tmp_path / "good.csv"
    good.write_text("username,month,typing_cpm,business_score\nli.na,2026-11,40,70\n")
    code, out = run(app, "exams", "import", str(good))
    assert code == 0 and "imported 1" in out
    assert run(app, "exams", "import", str(tmp_path / "missing.csv"))[0] == 2
    with transaction(make_session_factory(engine)) as s:
        assert s.scalars(select(Person.username).order_by(Person.id)).all() == ["root", "li.na"]
        assert len(s.scalars(select(ExamResult)).all()) == 1
    for cmd in (
        ["user", "create"],
        ["user", "reset-password"],
        ["team", "create"],
        ["exams", "import"],
    ):
        assert run(app, *cmd, "--help")[0] == 0
