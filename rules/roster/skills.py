"""G5: a person works only shift types whose required skills they hold."""

from __future__ import annotations

from collections.abc import Iterator

from rules.roster.common import RosterContext
from rules.violation import Violation

RULE = "G5"


def check_person(ctx: RosterContext, key: str) -> Iterator[Violation]:
    skills = ctx.people[key].skills
    for a in ctx.by_person[key]:
        missing = ctx.shift(a).required_skills - skills
        if missing:
            yield Violation(
                RULE,
                f"G5: {ctx.name(key)} lacks {', '.join(sorted(missing))} for {a.shift} on {a.day}",
                person=key,
                day=a.day,
            )


def check(ctx: RosterContext) -> Iterator[Violation]:
    for key in ctx.people:
        yield from check_person(ctx, key)
