"""R3: no shift starts on a day of approved leave."""

from __future__ import annotations

from solver.model import GuardKey, RosterModel

RULE = "R3"


def encode(rm: RosterModel) -> None:
    v = rm.vars
    for key, day in sorted(rm.problem.leave):
        if key not in v.person_index or day not in v.day_index:
            continue
        p, d = v.person_index[key], v.day_index[day]
        guard = rm.guards(GuardKey(RULE, person=key, day=day))
        for _, var in v.shifts_on(p, d):
            rm.require(var == 0, guard)
