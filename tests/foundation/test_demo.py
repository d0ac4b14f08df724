"""The demo centre: realistic, complete and deterministic for a seed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from wfm.db import make_engine
from wfm.demo.build import DemoExists, build_demo
from wfm.models import Base, Person, Roster

TODAY = date(2026, 11, 22)
# Tables whose content must not depend on anything but the seed (the rosters and what is built
# on them depend on how far CP-SAT gets in its time limit, so they are checked for validity).
DETERMINISTIC = [
    "centre",
    "queue",
    "team",
    "person",
    "contract",
    "person_skill",
    "skill",
    "shift_type",
    "calendar_day",
    "call_interval",
    "forecast_interval",
    "requirement",
    "exam_result",
    "quality_inspection",
    "monthly_evaluation",
]
VOLATILE_COLUMNS = {"created_at", "password_hash", "id", "forecast_id"}


def build(tmp_path: Path, name: str, seed: int) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / name}")
    build_demo(engine, seed=seed, today=TODAY, teams=1, roster_time_limit=10.0, say=lambda _m: None)
    return engine


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    with engine.connect() as conn:
        for table in DETERMINISTIC:
            cols = [
                c.name
                for c in Base.metadata.tables[table].columns
                if c.name not in VOLATILE_COLUMNS
            ]
            rows = conn.execute(
                text(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {', '.join(cols)}")
            ).all()
            out[table] = [tuple(r) for r in rows]
    return out


@pytest.fixture(scope="module")
def demo_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Engine]:
    tmp = tmp_path_factory.mktemp("demo")
    return build(tmp, "a.db", 7), build(tmp, "b.db", 7)


def test_same_seed_builds_the_same_centre(demo_pair: tuple[Engine, Engine]) -> None:
    a, b = dump(demo_pair[0]), dump(demo_pair[1])
    for table in DETERMINISTIC:
        assert a[table] == b[table], f"{table} differs between two demos with the same seed"


def test_another_seed_builds_another_centre(
    demo_pair: tuple[Engine, Engine], tmp_path: Path
) -> None:
    other = dump(build(tmp_path, "c.db", 8))
    same = dump(demo_pair[0])
    assert other["person"] != same["person"] and other["call_interval"] != same["call_interval"]


def test_demo_is_complete(demo_pair: tuple[Engine, Engine]) -> None:
    engine = demo_pair[0]
    with engine.connect() as conn:
        count = {
            t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in DETERMINISTIC
        }
        roles = set(conn.execute(select(Person.role)).scalars())
        rosters = conn.execute(select(Roster.status, Roster.explanation)).all()
    assert roles == {
        "agent",
        "team_lead",
        "quality_inspector",
        "department_director",
        "centre_director",
        "admin",
    }
    assert 18 <= count["person"] - 4 <= 23  # one team plus the four centre logins
    assert count["call_interval"] == 12 * 7 * 96  # 12 weeks of 15-minute intervals
    assert count["requirement"] == count["forecast_interval"] > 0
    assert count["exam_result"] > 0 and count["quality_inspection"] > 0
    assert len(rosters) == 2  # this month and next
    for status, explanation in rosters:
        assert status == "published"
        assert not [e for e in explanation if e.get("hard")], (
            "a published roster breaks a hard rule"
        )


def test_demo_refuses_to_overwrite_a_centre(demo_pair: tuple[Engine, Engine]) -> None:
    with pytest.raises(DemoExists, match="--reset"):
        build_demo(
            demo_pair[0], seed=7, today=TODAY, teams=1, roster_time_limit=3.0, say=lambda _m: None
        )
