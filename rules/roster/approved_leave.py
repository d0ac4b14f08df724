"""R3: nobody is rostered on a day they have approved leave for (the shift's start day)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.roster.common import RosterContext
from rules.violation import Violation

RULE = "R3"


def check_person(ctx: RosterContext, key: str) -> Iterator[Violation]:
    leave = ctx.leave_days[key]
    for a in ctx.by_person[key]:
        if a.day in leave:
            yield Violation(
                RULE,
                f"R3: {ctx.name(key)} is rostered {a.shift} on {a.day} but has approved leave",
                person=key,
                day=a.day,
            )


def check(ctx: RosterContext) -> Iterator[Violation]:
    for key in ctx.people:
        yield from check_person(ctx, key)
