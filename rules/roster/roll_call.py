"""R10: every shift starts with a paid roll call; the person arrives `roll_call_minutes` early.

The arrival must come after the end of the person's previous shift (with `min_rest_hours` of
at least the roll call this is implied by R1; with a shorter rest it is a rule of its own).
The paid minutes themselves are counted by R5 (`common.paid_minutes`).
"""

from __future__ import annotations

from collections.abc import Iterator

from rules.roster.common import RosterContext, rest_gap_minutes
from rules.violation import Violation

RULE = "R10"


def check_person(ctx: RosterContext, key: str) -> Iterator[Violation]:
    roll_call = ctx.policy.roster.roll_call_minutes
    timeline = ctx.timeline(key)
    for prev, nxt in zip(timeline, timeline[1:], strict=False):
        if not ctx.in_period(nxt.day) or prev.day == nxt.day:
            continue  # two starts on one day are R1's
        gap = rest_gap_minutes(prev.day, ctx.shift(prev), nxt.day, ctx.shift(nxt))
        if gap < roll_call:
            yield Violation(
                RULE,
                f"R10: {ctx.name(key)} cannot attend the {roll_call}-minute roll call of "
                f"{nxt.shift} on {nxt.day}: still on {prev.shift} of {prev.day}",
                person=key,
                day=nxt.day,
            )


def check(ctx: RosterContext) -> Iterator[Violation]:
    for key in ctx.people:
        yield from check_person(ctx, key)
