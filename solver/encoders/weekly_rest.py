"""R4: days off per calendar week (pro rata at the edges) and max consecutive work days."""

from __future__ import annotations

from datetime import timedelta

from rules.roster.common import calendar_weeks, weekly_days_off
from solver.model import GuardKey, RosterModel

RULE = "R4"


def encode(rm: RosterModel) -> None:
    v = rm.vars
    limit = rm.policy.roster.max_consecutive_work_days
    for p, person in enumerate(rm.problem.people):
        guard = rm.guards(GuardKey(RULE, person=person.key))
        for week in calendar_weeks(v.days):
            owed = weekly_days_off(len(week), rm.policy)
            if owed:
                worked = sum(v.works(p, v.day_index[d]) for d in week)
                rm.require(worked <= len(week) - owed, guard)
        before = v.previous_days_worked(p)
        # Every window of limit + 1 days that reaches into the period holds a day off.
        for last in range(len(v.days)):
            first = last - limit
            earlier = sum(1 for i in range(first, 0) if v.days[0] + timedelta(days=i) in before)
            inside = [v.works(p, d) for d in range(max(first, 0), last + 1)]
            rm.require(sum(inside) + earlier <= limit, guard)
