"""The audit trail for directors and admins."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wfm.models import AuditLog, Person
from wfm.services import permissions
from wfm.views._common import read_session
from wfm.views.scope import load_actor

AUDIT_COLUMNS = ["id", "at", "actor", "action", "entity", "entity_id", "detail", "before", "after"]


def audit_trail(
    db: sessionmaker[Session],
    actor_id: int,
    start: date,
    end: date,
    *,
    action_prefix: str = "",
    limit: int = 500,
) -> pd.DataFrame:
    """Audit rows in [start, end], newest first; only centre-wide roles may read it."""
    with read_session(db) as s:
        permissions.require(load_actor(s, actor_id).person, "audit.read")
        q = (
            select(AuditLog, Person.name)
            .outerjoin(Person, Person.id == AuditLog.actor_id)
            .where(AuditLog.at >= datetime.combine(start, datetime.min.time()))
            .where(AuditLog.at < datetime.combine(end + timedelta(days=1), datetime.min.time()))
            .order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .limit(limit)
        )
        if action_prefix:
            q = q.where(AuditLog.action.startswith(action_prefix))
        rows = [
            (
                a.id,
                a.at,
                name or "",
                a.action,
                a.entity,
                a.entity_id,
                a.detail,
                str(a.before or ""),
                str(a.after or ""),
            )
            for a, name in s.execute(q).all()
        ]
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)
