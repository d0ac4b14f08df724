"""Small helpers shared by the read views."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wfm.models import CalendarDay


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
