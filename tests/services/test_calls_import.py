"""Call-history import into the database: whole file or nothing, idempotent, real formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import shared_path
from tests.services.factories import World
from wfm.calls.parse import CallFileError
from wfm.models import AuditLog, CallInterval, Queue
from wfm.services.calls_import import (
    ImportTargets,
    import_calls,
    import_calls_upload,
    import_targets,
)
from wfm.services.errors import InputError, PermissionDenied

GOOD = "interval_start,offered,handled,abandoned,aht\n" + "".join(
    f"2026-03-02 {h:02d}:{m:02d},{10 + h},{9 + h},1,{200 + h}\n"
    for h in range(8, 12)
    for m in (0, 30)
)


def counts(db: sessionmaker[Session]) -> tuple[int, int, int]:
    with db() as s:
        return (
            s.scalar(select(func.count()).select_from(CallInterval)) or 0,
            s.scalar(select(func.count()).select_from(Queue)) or 0,
            s.scalar(select(func.count()).select_from(AuditLog)) or 0,
        )


def test_good_file_is_stored_and_second_import_changes_nothing(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    f = tmp_path / "calls.csv"
    f.write_text(GOOD)
    first = import_calls(session_factory, f, queue="hotline")
    assert (first.rows, first.inserted, first.interval_minutes) == (8, 8, 30)
    with session_factory() as s:
        row = s.scalar(select(CallInterval).order_by(CallInterval.interval_start))
        assert (
            row is not None and row.offered == 18 and row.handled == 17 and row.aht_seconds == 208
        )
    stored = counts(session_factory)[0]
    again = import_calls(session_factory, f, queue="hotline")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 8)
    assert counts(session_factory)[0] == stored


def test_corrected_export_updates_values(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    f = tmp_path / "calls.csv"
    f.write_text(GOOD)
    import_calls(session_factory, f, queue="hotline")
    f.write_text(GOOD.replace("2026-03-02 08:00,18,17,1,208", "2026-03-02 08:00,20,19,1,208"))
    report = import_calls(session_factory, f, queue="hotline")
    assert (report.inserted, report.updated) == (0, 1)


BROKEN_CELLS = st.sampled_from(["x", "-3", "", "1e999x", "nan?", "--"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    row=st.integers(min_value=0, max_value=7),
    col=st.integers(min_value=0, max_value=4),
    bad=BROKEN_CELLS,
)
def test_any_broken_cell_is_refused_and_nothing_written(
    sqlite_engine: Engine, tmp_path: Path, row: int, col: int, bad: str
) -> None:
    db = sessionmaker(bind=sqlite_engine)
    lines = GOOD.splitlines()
    cells = lines[row + 1].split(",")
    if col == 0:
        bad = "2026-13-45 99:99" if bad in ("", "--") else bad
    if col >= 2 and bad == "":
        bad = "x"  # an empty handled/abandoned/AHT cell means "not measured"; junk does not
    cells[col] = bad
    lines[row + 1] = ",".join(cells)
    f = tmp_path / "broken.csv"
    f.write_text("\n".join(lines) + "\n")
    before = counts(db)
    with pytest.raises(CallFileError) as err:
        import_calls(db, f, queue="hotline")
    assert any(p.row == row + 2 for p in err.value.problems), str(err.value)
    assert counts(db) == before


def test_duplicate_and_mixed_intervals_refused_with_rows(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    f = tmp_path / "dup.csv"
    f.write_text(
        "interval_start,offered\n2026-03-02 08:00,1\n2026-03-02 08:30,2\n"
        "2026-03-02 08:30,3\n2026-03-02 08:45,3\n"
    )
    with pytest.raises(CallFileError) as err:
        import_calls(session_factory, f)
    assert {p.row for p in err.value.problems} >= {4}
    assert counts(session_factory) == (0, 0, 0)


def test_missing_file_and_unknown_format(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="file"):
        import_calls(session_factory, tmp_path / "absent.csv")
    f = tmp_path / "calls.csv"
    f.write_text(GOOD)
    with pytest.raises(InputError, match="format"):
        import_calls(session_factory, f, fmt="avaya-xml")


def test_us_bank_real_data_imports(session_factory: sessionmaker[Session]) -> None:
    report = import_calls(
        session_factory, shared_path("data/real/us_bank_2003/bank_calls.csv"), queue="us"
    )
    assert report.format == "us_bank_2003"
    assert report.rows == report.inserted == 21294
    assert report.interval_minutes == 5


@pytest.mark.parametrize(
    ("path", "fmt", "minutes"),
    [
        ("data/real/anonymous_bank_1999_6min/callcenter_6min_1999.csv", "israel_6min", 6),
        ("data/real/anonymous_bank_1999/january.txt", "israel_calls", 30),
    ],
)
def test_israeli_real_data_imports(
    sqlite_engine: Engine, path: str, fmt: str, minutes: int
) -> None:
    db = sessionmaker(bind=sqlite_engine)
    report = import_calls(db, shared_path(path), queue="il")
    assert report.format == fmt and report.interval_minutes == minutes and report.inserted > 1000
    with db() as s:
        total = s.scalar(select(func.sum(CallInterval.offered)))
    assert total and total > 10000


# ---------------------------------------------------------------------------- who may import


def _xlsx(text: str) -> bytes:
    import io

    import pandas as pd

    buf = io.BytesIO()
    frame = pd.read_csv(io.StringIO(text))
    frame.to_excel(buf, index=False)
    return buf.getvalue()


def test_team_lead_imports_into_own_queue_only(db: sessionmaker[Session], world: World) -> None:
    lead = world.id("lead_a")
    report = import_calls_upload(db, lead, GOOD.encode(), "acd-march.csv", queue="hotline")
    assert (report.inserted, report.updated, report.unchanged) == (8, 0, 0)
    assert report.source == "acd-march.csv"
    with db() as s:
        row = s.scalars(select(AuditLog).where(AuditLog.action == "calls.import")).one()
        assert row.actor_id == lead and "acd-march.csv into hotline" in row.detail
        assert s.scalar(select(CallInterval.source).limit(1)) == "acd-march.csv"
    import_calls_upload(db, world.id("dept_director"), GOOD.encode(), "x.csv", queue="other")
    assert import_targets(db, lead) == ImportTargets(((world.queue, "hotline"),), False)
    assert len(import_targets(db, world.id("dept_director")).queues) == 2
    before = counts(db)
    for queue in ("brand-new", "other"):  # neither a new queue nor one of no team of theirs
        with pytest.raises(PermissionDenied, match="own team's queue"):
            import_calls_upload(db, lead, GOOD.encode(), "acd.csv", queue=queue)
    assert counts(db) == before


def test_directors_and_admin_import_into_any_queue_agents_and_inspectors_refused(
    db: sessionmaker[Session], world: World, tmp_path: Path
) -> None:
    report = import_calls_upload(
        db, world.id("centre_director"), _xlsx(GOOD), "march.xlsx", queue="new-line"
    )
    assert (report.format, report.inserted) == ("generic", 8)
    assert import_targets(db, world.id("admin")).may_create
    f = tmp_path / "calls.csv"
    f.write_text(GOOD)
    again = import_calls(db, f, queue="new-line", actor_id=world.id("dept_director"))
    assert (again.inserted, again.unchanged) == (0, 8)
    before = counts(db)
    for key in ("int_a1", "inspector"):
        with pytest.raises(PermissionDenied):
            import_calls_upload(db, world.id(key), GOOD.encode(), "c.csv", queue="hotline")
        with pytest.raises(PermissionDenied):
            import_calls(db, f, queue="hotline", actor_id=world.id(key))
        with pytest.raises(PermissionDenied):
            import_targets(db, world.id(key))
    # The permission is checked before the input: a bad file still says "not allowed".
    with pytest.raises(PermissionDenied):
        import_calls_upload(db, world.id("int_a1"), b"", "x.exe", queue="hotline")
    assert counts(db) == before


def test_upload_refuses_bad_files_naming_rows_and_writes_nothing(
    db: sessionmaker[Session], world: World
) -> None:
    lead = world.id("lead_a")
    before = counts(db)
    for data, name in ((GOOD.encode(), "calls.exe"), (b"", "calls.csv")):
        with pytest.raises(InputError) as err:
            import_calls_upload(db, lead, data, name, queue="hotline")
        assert err.value.field == "file"
    broken = GOOD.replace("2026-03-02 09:00,19", "2026-03-02 09:00,x")
    with pytest.raises(CallFileError) as bad:
        import_calls_upload(db, lead, broken.encode(), "../../etc/calls.csv", queue="hotline")
    assert [(p.row, p.field) for p in bad.value.problems] == [(4, "offered")]
    assert bad.value.source == "calls.csv"  # the upload's name, not the temporary path
    assert counts(db) == before
