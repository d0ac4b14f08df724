"""Small helpers shared by the read views."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wfm.models import CalendarDay, LeaveRequest, RequestStatus


@contextmanager
def read_session(db: sessionmaker[Session]) -> Iterator[Session]:
    """A session for reading only: nothing is committed; closing it ends the transaction and
    returns the connection, and loaded objects stay readable (detached, not expired)."""
    session = db()
    try:
        yield session
    finally:
        session.close()


def days_between(start: date, end: date) -> list[date]:
    """Every day from `start` to `end`, both included."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def holidays_between(session: Session, start: date, end: date) -> dict[date, str]:
    """Public holidays in [start, end] from the centre's calendar table, with their names."""
    rows = session.execute(
        select(CalendarDay.day, CalendarDay.name)
        .where(CalendarDay.kind == "holiday")
        .where(CalendarDay.day >= start, CalendarDay.day <= end)
    ).all()
    return {d: name or "holiday" for d, name in rows}


def approved_leave(
    session: Session, person_ids: Iterable[int] | None, lo: datetime, hi: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Approved leave overlapping [lo, hi) per person: a rostered shift that overlaps one is
    emptied (R3/L8) until the roster is repaired, so coverage must not count it."""
    q = select(LeaveRequest.person_id, LeaveRequest.start_at, LeaveRequest.end_at).where(
        LeaveRequest.status == RequestStatus.APPROVED.value,
        LeaveRequest.start_at < hi,
        LeaveRequest.end_at > lo,
    )
    if person_ids is not None:
        q = q.where(LeaveRequest.person_id.in_(list(person_ids)))
    out: dict[int, list[tuple[datetime, datetime]]] = {}
    for pid, start, end in session.execute(q).all():
        out.setdefault(pid, []).append((start, end))
    return out


def on_leave(
    leave: dict[int, list[tuple[datetime, datetime]]],
    person_id: int,
    start: datetime,
    end: datetime,
) -> bool:
    return any(s < end and e > start for s, e in leave.get(person_id, ()))
