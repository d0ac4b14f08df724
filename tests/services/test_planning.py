"""Stored history -> stored forecast -> stored requirement, through services and the CLI."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from wfm.cli.main import app
from wfm.models import ForecastInterval, Requirement
from wfm.services.calls_import import import_calls
from wfm.services.errors import InputError, NotFound
from wfm.services.planning import compute_requirements, run_forecast

FIRST = date(2026, 9, 7)  # a Monday


def history_csv(path: Path, weeks: int = 6) -> Path:
    """Half-hourly history with a daily curve, a weekly shape and quiet nights (0 calls)."""
    rng = np.random.default_rng(3)
    lines = ["interval_start,offered,handled,abandoned,aht_seconds"]
    for d in range(weeks * 7):
        day = FIRST + timedelta(days=d)
        level = 1.0 if day.weekday() < 5 else 0.6
        for slot in range(48):
            hour = slot / 2
            mean = 0.0 if hour < 6 else level * 60 * np.exp(-((hour - 11) ** 2) / 18)
            n = int(rng.poisson(mean))
            start = datetime.combine(day, datetime.min.time()) + timedelta(minutes=30 * slot)
            lines.append(f"{start:%Y-%m-%d %H:%M},{n},{n},0,{280 if n else ''}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_forecast_then_requirements(session_factory: sessionmaker[Session], tmp_path: Path) -> None:
    import_calls(session_factory, history_csv(tmp_path / "h.csv"), queue="hotline")
    start = FIRST + timedelta(weeks=6)
    fc = run_forecast(session_factory, "hotline", start, 7, history_weeks=6)
    assert fc.intervals == 7 * 48 and fc.total_calls > 0
    c = compute_requirements(session_factory, "hotline", start, start + timedelta(days=6))
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ForecastInterval)) == 7 * 48
        rows = s.scalars(select(Requirement).order_by(Requirement.interval_start)).all()
    assert c.intervals == len(rows) == 7 * 48
    night = [r for r in rows if r.interval_start.hour < 5]
    peak = max(rows, key=lambda r: r.offered)
    assert all(r.agents_on_phone == 0 for r in night if r.offered == 0)  # no calls: no agents
    assert peak.agents > peak.agents_on_phone > 0  # shrinkage raises the rostered requirement
    assert peak.service_level is not None and peak.service_level >= 0.8
    assert peak.occupancy is not None and peak.occupancy <= 0.85 + 1e-9
    assert c.s3_headcount > 0 and c.peak_agents == peak.agents
    # Recomputing replaces the stored requirement instead of adding to it (Erlang A this time).
    a = compute_requirements(
        session_factory, "hotline", start, start + timedelta(days=6), model="erlang-a"
    )
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Requirement)) == 7 * 48
    assert a.model == "erlang-a" and a.peak_agents <= c.peak_agents + 1


def test_refusals_change_nothing(session_factory: sessionmaker[Session]) -> None:
    with pytest.raises(NotFound, match="queue"):
        run_forecast(session_factory, "nowhere", FIRST, 7)
    with pytest.raises(InputError, match="days"):
        run_forecast(session_factory, "nowhere", FIRST, 0)
    with pytest.raises(InputError, match="model"):
        compute_requirements(session_factory, "hotline", FIRST, FIRST, model="erlang-x")
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Requirement)) == 0


def test_cli_pipeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WFM_DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    run = CliRunner().invoke
    assert run(app, ["db", "upgrade"]).exit_code == 0
    assert (
        run(app, ["import-calls", str(history_csv(tmp_path / "h.csv")), "--queue", "q"]).exit_code
        == 0
    )
    start = (FIRST + timedelta(weeks=6)).isoformat()
    r = run(app, ["forecast", "run", "--queue", "q", "--from", start, "--days", "7"])
    assert r.exit_code == 0, r.output
    r = run(app, ["staffing", "--queue", "q", "--from", start, "--to", start, "--json"])
    assert r.exit_code == 0, r.output
    assert '"intervals": 48' in r.output
    r = run(app, ["staffing", "--queue", "q", "--from", start])
    assert r.exit_code == 2 and "--to" in r.output
