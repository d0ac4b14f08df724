"""The centre's clock. Services read time through `now()` so tests and the demo can pin it."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta

NOW_ENV = "WFM_NOW"  # ISO datetime; pins the clock (demo screenshots, reproducible tests)


def now() -> datetime:
    """Naive local time of the centre (all stored times are centre-local)."""
    pinned = os.environ.get(NOW_ENV)
    if pinned:
        return datetime.fromisoformat(pinned)
    return datetime.now().replace(microsecond=0)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def parse_month(text: str) -> date:
    """'2026-12' -> date(2026, 12, 1); raises ValueError naming the expected form."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise ValueError(f"month: expected YYYY-MM, got {text!r}") from None
