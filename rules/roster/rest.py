"""R1: at most one shift start per person per day and at least `min_rest_hours` between shifts."""

from __future__ import annotations

from collections.abc import Iterator

from rules.roster.common import RosterContext, minute_label, rest_gap_minutes
from rules.violation import Violation

RULE = "R1"


def check_person(ctx: RosterContext, key: str) -> Iterator[Violation]:
    min_rest = round(ctx.policy.roster.min_rest_hours * 60)
    timeline = ctx.timeline(key)
    for prev, nxt in zip(timeline, timeline[1:], strict=False):
        if not ctx.in_period(nxt.day):
            continue
        if prev.day == nxt.day:
            yield Violation(
                RULE,
                f"R1: {ctx.name(key)} has two shifts on {nxt.day} ({prev.shift}, {nxt.shift})",
                person=key,
                day=nxt.day,
            )
            continue
        gap = rest_gap_minutes(prev.day, ctx.shift(prev), nxt.day, ctx.shift(nxt))
        if gap < min_rest:
            yield Violation(
                RULE,
                f"R1: {ctx.name(key)} rests {gap / 60:g} h between {prev.shift} on {prev.day} "
                f"and {nxt.shift} on {nxt.day} at {minute_label(ctx.shift(nxt).start_minute)} "
                f"(minimum {ctx.policy.roster.min_rest_hours:g} h)",
                person=key,
                day=nxt.day,
            )


def check(ctx: RosterContext) -> Iterator[Violation]:
    for key in ctx.people:
        yield from check_person(ctx, key)
