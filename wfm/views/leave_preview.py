"""What a leave request would meet, before it is submitted: the notice it gives (L1), the
shifts it empties, the approval path (L2) and every rule that would refuse it or make it an
exception needing management (L1, L3, L5, L6).

The rules are judged by the same `rules.leave.assess` the leave service calls on submit, on
the same published roster, so the preview and the decision cannot disagree. Nothing is
written. (If the leave service grows its own preview, this view should delegate to it.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from rules import leave as leave_rules
from rules.policy import Policy, default_policy
from wfm import timeutil
from wfm.models import Role
from wfm.services import permissions
from wfm.services.leave import _affected, _holidays
from wfm.views._common import read_session


@dataclass(frozen=True)
class LeavePreview:
    notice_hours: float | None  # from now to the first affected shift (None: no shift affected)
    shifts: tuple[tuple[date, str, datetime], ...]  # (day, shift code, start) emptied
    chain: tuple[str, ...]  # approver roles in order
    exceptions: tuple[str, ...]  # rule IDs making it an exception for management
    refusals: tuple[str, ...]  # messages of rules that refuse it (each starts with its ID)

    @property
    def refused(self) -> bool:
        return bool(self.refusals)


def preview_leave(
    db: sessionmaker[Session],
    actor_id: int,
    leave_type: str,
    start_at: datetime,
    end_at: datetime,
    *,
    policy: Policy | None = None,
) -> LeavePreview:
    """The assessment of the actor's own leave request as it would be submitted now."""
    policy = policy or default_policy()
    with read_session(db) as s:
        actor = permissions.load_actor(s, actor_id)
        permissions.require(actor, "leave.request")
        affected = _affected(s, actor.id, start_at, end_at) if end_at > start_at else []
        at = timeutil.now()
        case = leave_rules.LeaveCase(
            person=actor.name,
            leave_type=leave_type,
            start_at=start_at,
            end_at=end_at,
            requested_at=at,
            by_self=True,
            by_their_team_lead=False,
            shifts=tuple(leave_rules.AffectedShift(a.day, snap) for a, snap in affected),
            holidays=_holidays(s, start_at.date(), end_at.date()),
            person_is_team_lead=actor.role == Role.TEAM_LEAD,
        )
    verdict = leave_rules.assess(case, policy)
    starts = [sh.start for sh in case.shifts]
    return LeavePreview(
        notice_hours=(min(starts) - at).total_seconds() / 3600 if starts else None,
        shifts=tuple((sh.day, sh.shift.code, sh.start) for sh in case.shifts),
        chain=tuple(verdict.chain),
        exceptions=tuple(verdict.exceptions),
        refusals=tuple(v.message for v in verdict.violations),
    )
