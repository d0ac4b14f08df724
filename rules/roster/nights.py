"""R6: at most `max_nights_per_month` night shifts per person (see `common.is_night_shift`)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.roster.common import RosterContext, is_night_shift
from rules.violation import Violation

RULE = "R6"


def nights_of(ctx: RosterContext, key: str) -> int:
    return sum(1 for a in ctx.by_person[key] if is_night_shift(ctx.shift(a), ctx.policy))


def check_person(ctx: RosterContext, key: str) -> Iterator[Violation]:
    nights = nights_of(ctx, key)
    limit = ctx.policy.roster.max_nights_per_month
    if nights > limit:
        yield Violation(
            RULE,
            f"R6: {ctx.name(key)} works {nights} nights (maximum {limit})",
            person=key,
        )


def check(ctx: RosterContext) -> Iterator[Violation]:
    for key in ctx.people:
        yield from check_person(ctx, key)
