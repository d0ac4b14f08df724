"""Reading the audit trail (directors and admins only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wfm.db import transaction
from wfm.models import AuditLog, Person
from wfm.services.errors import InputError
from wfm.services.permissions import load_actor, require

MAX_LIMIT = 5000


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str  # "" for the system or an unknown user (failed logins)
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    detail: str


def read_audit(
    db: sessionmaker[Session],
    actor_id: int,
    *,
    action_prefix: str | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    by: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
) -> list[AuditEntry]:
    """Audit rows, newest first, filtered by action prefix ("leave." matches every leave
    action), entity, acting person and time. Directors and admins only (PermissionDenied)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit: between 1 and {MAX_LIMIT}", field="limit")
    with transaction(db) as session:
        actor = load_actor(session, actor_id)
        require(actor, "audit.read")
        q = (
            select(AuditLog, Person.name)
            .outerjoin(Person, Person.id == AuditLog.actor_id)
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .limit(limit)
        )
        if action_prefix:
            q = q.where(AuditLog.action.startswith(action_prefix, autoescape=True))
        if entity is not None:
            q = q.where(AuditLog.entity == entity)
        if entity_id is not None:
            q = q.where(AuditLog.entity_id == entity_id)
        if by is not None:
            q = q.where(AuditLog.actor_id == by)
        if since is not None:
            q = q.where(AuditLog.at >= since)
        if until is not None:
            q = q.where(AuditLog.at < until)
        return [
            AuditEntry(
                row.id,
                row.at,
                row.actor_id,
                name or "",
                row.action,
                row.entity,
                row.entity_id,
                row.before,
                row.after,
                row.detail,
            )
            for row, name in session.execute(q).all()
        ]
