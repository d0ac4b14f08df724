"""Import of call history into the database: whole file or nothing, idempotent.

The file is parsed and validated completely first (wfm.calls); only a valid file reaches the
database, in one transaction. Re-importing the same file changes nothing; a corrected export
for intervals already stored replaces their values (and says how many).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from wfm.calls.formats import FORMATS, detect_format, load_calls
from wfm.db import transaction
from wfm.models import CallInterval, Queue
from wfm.services import audit
from wfm.services.errors import InputError

_VALUE_COLUMNS = ("interval_minutes", "offered", "handled", "abandoned", "aht_seconds")


@dataclass(frozen=True)
class ImportReport:
    queue: str
    source: str
    format: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    first_interval: datetime | None
    last_interval: datetime | None
    interval_minutes: int | None


def get_or_create_queue(session: Session, name: str) -> Queue:
    name = name.strip()
    if not name:
        raise InputError("queue: a queue name is required", field="queue")
    queue = session.scalar(select(Queue).where(Queue.name == name))
    if queue is None:
        queue = Queue(name=name)
        session.add(queue)
        session.flush()
    return queue


def import_calls(
    db: sessionmaker[Session],
    path: str | Path,
    *,
    queue: str = "default",
    fmt: str | None = None,
    actor_id: int | None = None,
) -> ImportReport:
    """Validate `path` (CSV/Excel export or a known real format) and store its intervals.

    Raises wfm.calls.parse.CallFileError (every problem with its row) or InputError; in both
    cases the database is untouched.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"file: {p} does not exist", field="file")
    fmt_name = detect_format(p) if fmt in (None, "auto") else fmt
    if fmt_name not in FORMATS:
        raise InputError(
            f"format: expected auto or one of {', '.join(FORMATS)}, got {fmt!r}", field="format"
        )
    frame = load_calls(p, fmt_name)
    with transaction(db) as session:
        q = get_or_create_queue(session, queue)
        report = _store(session, q, frame, source=p.name, fmt=fmt_name)
        audit.record(
            session,
            actor_id=actor_id,
            action="calls.import",
            entity="queue",
            entity_id=q.id,
            after={k: v for k, v in report.__dict__.items() if k != "queue"},
            detail=f"{p.name} into {q.name}",
        )
    return report


def _clean(value: object) -> float | None:
    if value is None:
        return None
    f = float(value)  # type: ignore[arg-type]
    return None if math.isnan(f) else f


def _store(
    session: Session, q: Queue, frame: pd.DataFrame, *, source: str, fmt: str
) -> ImportReport:
    starts = pd.to_datetime(frame["interval_start"]).dt.to_pydatetime()
    existing: dict[datetime, tuple[object, ...]] = {}
    if len(frame):
        rows = session.execute(
            select(CallInterval.interval_start, *(getattr(CallInterval, c) for c in _VALUE_COLUMNS))
            .where(CallInterval.queue_id == q.id)
            .where(CallInterval.interval_start >= starts.min())
            .where(CallInterval.interval_start <= starts.max())
        ).all()
        existing = {r[0]: tuple(r[1:]) for r in rows}
    new_rows, changed = [], []
    for start, rec in zip(starts, frame.to_dict("records"), strict=True):
        values = (
            int(rec["interval_minutes"]),
            float(rec["offered"]),
            _clean(rec["handled"]),
            _clean(rec["abandoned"]),
            _clean(rec["aht_seconds"]),
        )
        old = existing.get(start)
        if old is None:
            new_rows.append(
                {"queue_id": q.id, "interval_start": start, "source": source}
                | dict(zip(_VALUE_COLUMNS, values, strict=True))
            )
        elif tuple(old) != values:
            changed.append((start, values))
    if new_rows:
        session.execute(insert(CallInterval), new_rows)
    for start, values in changed:
        session.execute(
            update(CallInterval)
            .where(CallInterval.queue_id == q.id, CallInterval.interval_start == start)
            .values(source=source, **dict(zip(_VALUE_COLUMNS, values, strict=True)))
        )
    minutes = int(frame["interval_minutes"].iloc[0]) if len(frame) else None
    return ImportReport(
        queue=q.name,
        source=source,
        format=fmt,
        rows=len(frame),
        inserted=len(new_rows),
        updated=len(changed),
        unchanged=len(frame) - len(new_rows) - len(changed),
        first_interval=starts.min() if len(frame) else None,
        last_interval=starts.max() if len(frame) else None,
        interval_minutes=minutes,
    )
