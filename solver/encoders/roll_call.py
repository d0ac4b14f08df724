"""R10: the roll call before a shift must not overlap the person's previous shift.

Its paid minutes are counted by the R5 encoder through `common.paid_minutes`.
"""

from __future__ import annotations

from solver.encoders.successions import forbid_short_gaps
from solver.model import GuardKey, RosterModel

RULE = "R10"


def encode(rm: RosterModel) -> None:
    roll_call = rm.policy.roster.roll_call_minutes
    min_rest = round(rm.policy.roster.min_rest_hours * 60)
    if min_rest >= roll_call:
        return  # R1's rest already keeps the roll call clear of the previous shift
    for p, person in enumerate(rm.problem.people):
        forbid_short_gaps(rm, p, roll_call, rm.guards(GuardKey(RULE, person=person.key)))
