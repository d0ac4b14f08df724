"""R1: at most one shift start per person per day; at least `min_rest_hours` between shifts."""

from __future__ import annotations

from solver.encoders.successions import forbid_short_gaps
from solver.model import GuardKey, RosterModel

RULE = "R1"


def encode(rm: RosterModel) -> None:
    v = rm.vars
    min_rest = round(rm.policy.roster.min_rest_hours * 60)
    for p, person in enumerate(rm.problem.people):
        guard = rm.guards(GuardKey(RULE, person=person.key))
        for d in range(len(v.days)):
            on_day = [var for _, var in v.shifts_on(p, d)]
            if len(on_day) > 1:
                rm.require(sum(on_day) <= 1, guard)
        forbid_short_gaps(rm, p, min_rest, guard)
