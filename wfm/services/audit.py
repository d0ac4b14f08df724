"""Writing the audit trail: every state change records actor, time, before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from wfm.models import AuditLog
from wfm.timeutil import now


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str = "",
    at: datetime | None = None,
) -> AuditLog:
    """Add an audit row to the caller's transaction (it commits or rolls back with the change)."""
    row = AuditLog(
        at=at or now(),
        actor_id=actor_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=_jsonable(before),
        after=_jsonable(after),
        detail=detail[:500],
    )
    session.add(row)
    return row


def _jsonable(value: Any) -> Any:
    """Dates and other objects become text so the JSON column accepts them on every database."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)
