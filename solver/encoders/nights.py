"""R6: at most `max_nights_per_month` night shifts per person."""

from __future__ import annotations

from rules.roster.common import is_night_shift
from solver.model import GuardKey, RosterModel

RULE = "R6"


def encode(rm: RosterModel) -> None:
    v, shifts = rm.vars, rm.problem.shift_types
    limit = rm.policy.roster.max_nights_per_month
    for p, person in enumerate(rm.problem.people):
        nights = [var for _, s, var in v.of_person(p) if is_night_shift(shifts[s], rm.policy)]
        if len(nights) > limit:
            guard = rm.guards(GuardKey(RULE, person=person.key))
            rm.require(sum(nights) <= limit, guard)
