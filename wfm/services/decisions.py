"""Stamping an approval step (leave chain L2, swap approvals W2) with who decided what, when."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from wfm import timeutil


class ApprovalStep(Protocol):
    approver_id: int | None
    decision: str | None
    decided_at: datetime | None
    comment: str


def decide(
    step: ApprovalStep, actor_id: int, decision: str, comment: str, at: datetime | None = None
) -> datetime:
    """Record the decision on the step; returns the time stamped (the centre's clock)."""
    stamp = at or timeutil.now()
    step.approver_id, step.decision, step.decided_at, step.comment = (
        actor_id,
        decision,
        stamp,
        comment,
    )
    return stamp
