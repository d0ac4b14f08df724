"""R4: at least `min_days_off_per_week` per calendar week, at most `max_consecutive_work_days`.

Weeks run Monday-Sunday; a partial week at the period's edge owes days off pro rata (rounded
down, see `common.weekly_days_off`). Consecutive days count the previous period's days too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from rules.roster.common import RosterContext, calendar_weeks, weekly_days_off
from rules.violation import Violation

RULE = "R4"


def check_person(ctx: RosterContext, key: str) -> Iterator[Violation]:
    worked = {a.day for a in ctx.by_person[key]}
    for week in calendar_weeks(ctx.days):
        owed = weekly_days_off(len(week), ctx.policy)
        off = sum(1 for d in week if d not in worked)
        if off < owed:
            yield Violation(
                RULE,
                f"R4: {ctx.name(key)} has {off} day(s) off in the week of {week[0]} "
                f"(minimum {owed})",
                person=key,
                day=week[0],
            )
    limit = ctx.policy.roster.max_consecutive_work_days
    all_days = worked | {a.day for a in ctx.previous_by_person[key]}
    run = 0
    # Walk from far enough back to see a run that started in the previous period.
    if not ctx.days:
        return
    first = min(all_days, default=ctx.days[0])
    d = min(first, ctx.days[0])
    while d <= ctx.days[-1]:
        run = run + 1 if d in all_days else 0
        if run == limit + 1 and ctx.in_period(d):
            yield Violation(
                RULE,
                f"R4: {ctx.name(key)} works {run} days in a row up to {d} (maximum {limit})",
                person=key,
                day=d,
            )
        elif run == limit + 1:
            run = limit  # the run started and broke the rule before this period: not ours
        d += timedelta(days=1)


def check(ctx: RosterContext) -> Iterator[Violation]:
    for key in ctx.people:
        yield from check_person(ctx, key)
