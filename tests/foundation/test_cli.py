"""The `wfm` command line: every command has help, bad input exits non-zero with a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from wfm.cli.main import app

runner = CliRunner()

COMMANDS = [
    "db",
    "import-calls",
    "staffing",
    "forecast",
    "requirements",
    "roster",
    "demo",
    "serve",
    "user",
    "team",
    "exams",
]


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output, f"`wfm --help` does not list {name}"


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_help(name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output and len(result.output) > 200


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("WFM_DATABASE_URL", f"sqlite:///{db}")
    return db


def test_db_upgrade_creates_the_schema(db_env: Path) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "revision" in result.output and db_env.exists()


def test_import_calls_reports_rows_and_exits_2(db_env: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("interval_start,offered\n2026-01-01 00:00,3\n2026-01-01 00:30,-1\n")
    result = runner.invoke(app, ["import-calls", str(bad)])
    assert result.exit_code == 2
    assert "row 3" in result.output and "offered" in result.output


def test_import_calls_json(db_env: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    good = tmp_path / "good.csv"
    good.write_text("interval_start,offered\n2026-01-01 00:00,3\n2026-01-01 00:30,4\n")
    result = runner.invoke(app, ["import-calls", str(good), "--queue", "q1", "--json"])
    assert result.exit_code == 0, result.output
    assert '"inserted": 2' in result.output


def test_roster_solve_unknown_team_is_a_clear_error(db_env: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["roster", "solve", "--team", "Nobody", "--month", "2026-12"])
    assert result.exit_code != 0
    assert "--as" in result.output or "--team" in result.output


def test_bad_month_is_refused(db_env: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["roster", "solve", "--team", "A", "--month", "Dec"])
    assert result.exit_code == 2 and "YYYY-MM" in result.output
