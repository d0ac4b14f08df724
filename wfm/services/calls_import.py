"""Import of call history into the database: whole file or nothing, idempotent.

The file is parsed and validated completely first (wfm.calls); only a valid file reaches the
database, in one transaction. Re-importing the same file changes nothing; a corrected export
for intervals already stored replaces their values (and says how many).

Who may import (action `calls.import`): directors and admins into any queue (a new queue name
creates the queue), a team lead only into their own team's queue. The CLI (`wfm import-calls`)
passes no actor: it runs on the server with the database's own credentials and acts as the
system (audit rows with no actor), as it always has. The dashboards always pass the signed-in
person (`import_calls_upload`).
"""

from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from wfm.calls.formats import FORMATS, detect_format, load_calls
from wfm.calls.parse import CallFileError
from wfm.db import transaction
from wfm.models import CallInterval, Person, Queue, Team
from wfm.services import audit
from wfm.services.errors import InputError, PermissionDenied
from wfm.services.permissions import Scope, load_actor, require, scope_of

_VALUE_COLUMNS = ("interval_minutes", "offered", "handled", "abandoned", "aht_seconds")
# What the upload accepts: CSV/TSV/TXT exports and Excel workbooks, at most this large.
UPLOAD_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


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


@dataclass(frozen=True)
class ImportTargets:
    """The queues an actor may import into, and whether they may name a new one."""

    queues: tuple[tuple[int, str], ...]  # (id, name)
    may_create: bool


def get_or_create_queue(
    session: Session, name: str, *, actor: Person | None = None, create: bool = True
) -> Queue:
    """The queue named `name`, created if missing (when `create`). With an `actor` whose scope
    of `calls.import` is their team, only their team's queue is allowed."""
    name = name.strip()
    if not name:
        raise InputError("queue: a queue name is required", field="queue")
    queue = session.scalar(select(Queue).where(Queue.name == name))
    if actor is not None and scope_of(actor, "calls.import") is not Scope.CENTRE:
        own = _team_queue_id(session, actor)
        if queue is None or queue.id != own:
            raise PermissionDenied(
                f"a {actor.role} may import calls only into their own team's queue, "
                f"not into {name!r}"
            )
    if queue is None:
        if not create:
            raise InputError(f"queue: no queue named {name!r}", field="queue")
        queue = Queue(name=name)
        session.add(queue)
        session.flush()
    return queue


def _team_queue_id(session: Session, actor: Person) -> int | None:
    if actor.team_id is None:
        return None
    return session.scalar(select(Team.queue_id).where(Team.id == actor.team_id))


def import_targets(db: sessionmaker[Session], actor_id: int) -> ImportTargets:
    """For the upload page: the queues `actor_id` may import into (PermissionDenied if none)."""
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "calls.import")
        q = select(Queue.id, Queue.name).order_by(Queue.name)
        centre = scope_of(actor, "calls.import") is Scope.CENTRE
        if not centre:
            q = q.where(Queue.id == _team_queue_id(session, actor))
        rows = session.execute(q).all()
        return ImportTargets(queues=tuple((int(i), str(n)) for i, n in rows), may_create=centre)


def import_calls(
    db: sessionmaker[Session],
    path: str | Path,
    *,
    queue: str = "default",
    fmt: str | None = None,
    actor_id: int | None = None,
) -> ImportReport:
    """Validate `path` (CSV/Excel export or a known real format) and store its intervals.

    `actor_id` None is the system (the CLI); a person must hold `calls.import` (a team lead
    only for their team's queue), checked before the file is read. Raises PermissionDenied,
    wfm.calls.parse.CallFileError (every problem with its row) or InputError; in every case
    the database is untouched.
    """
    return _import(db, Path(path), queue=queue, fmt=fmt, actor_id=actor_id, source=None)


def import_calls_upload(
    db: sessionmaker[Session],
    actor_id: int,
    data: bytes,
    filename: str,
    *,
    queue: str,
    fmt: str | None = None,
) -> ImportReport:
    """`import_calls` for a file uploaded through the dashboards: the bytes are written to a
    private temporary file (removed afterwards) under the upload's name, so format detection
    and the stored `source` are those of the original file. Always acts as `actor_id`."""
    name = re.sub(r"[^\w.\-]+", "_", Path(filename.replace("\\", "/")).name).strip("._")
    suffix = Path(name).suffix.lower()
    with transaction(db) as session:  # the permission first, whatever the file
        require(load_actor(session, actor_id), "calls.import")
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError(
            f"file: {filename!r} is not one of {', '.join(UPLOAD_SUFFIXES)}", field="file"
        )
    if not data:
        raise InputError(f"file: {filename!r} is empty", field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            f"file: {filename!r} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
            field="file",
        )
    with tempfile.TemporaryDirectory(prefix="wfm-upload-") as tmp:
        p = Path(tmp) / name
        p.write_bytes(data)
        return _import(db, p, queue=queue, fmt=fmt, actor_id=actor_id, source=name)


def _import(
    db: sessionmaker[Session],
    p: Path,
    *,
    queue: str,
    fmt: str | None,
    actor_id: int | None,
    source: str | None,
) -> ImportReport:
    with transaction(db) as session:
        actor = None
        if actor_id is not None:
            actor = load_actor(session, actor_id)
            require(actor, "calls.import")
        if not p.is_file():
            raise InputError(f"file: {p} does not exist", field="file")
        fmt_name = detect_format(p) if fmt in (None, "auto") else fmt
        if fmt_name not in FORMATS:
            raise InputError(
                f"format: expected auto or one of {', '.join(FORMATS)}, got {fmt!r}",
                field="format",
            )
        if actor is not None and scope_of(actor, "calls.import") is not Scope.CENTRE:
            # A team lead's queue is checked before a possibly large file is read (never made).
            get_or_create_queue(session, queue, actor=actor)
        try:
            frame = load_calls(p, fmt_name)
        except CallFileError as err:
            if source is not None:  # name the uploaded file, not the temporary path
                raise CallFileError(err.problems, source) from None
            raise
        q = get_or_create_queue(session, queue, actor=actor)
        report = _store(session, q, frame, source=source or p.name, fmt=fmt_name)
        audit.record(
            session,
            actor_id=actor_id,
            action="calls.import",
            entity="queue",
            entity_id=q.id,
            after={k: v for k, v in report.__dict__.items() if k != "queue"},
            detail=f"{source or p.name} into {q.name}",
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
