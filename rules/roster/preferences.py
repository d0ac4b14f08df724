"""R8 (soft): requested days off and preferred shifts, each unmet one costs its weight.

A preferred shift is unmet unless the person works exactly that shift that day.
"""

from __future__ import annotations

from collections.abc import Iterator

from rules.roster.common import RosterContext
from rules.snapshot import Preference
from rules.violation import Violation

RULE = "R8"


def granted(pref: Preference, worked: str | None) -> bool:
    """Is the request met when the person works shift `worked` that day (None: off)?"""
    if pref.kind == "day_off":
        return worked is None
    return worked == pref.shift


def check_person(ctx: RosterContext, key: str) -> Iterator[Violation]:
    w = ctx.policy.roster.weights
    worked = {a.day: a.shift for a in ctx.by_person[key]}
    for pref in ctx.snapshot.preferences:
        if pref.person != key or not ctx.in_period(pref.day):
            continue
        got = worked.get(pref.day)
        if granted(pref, got):
            continue
        if pref.kind == "day_off":
            cost = w.preference_day_off * pref.weight
            text = f"requested day off {pref.day} not granted (rostered {got})"
        elif pref.kind == "shift":
            cost = w.preference_shift * pref.weight
            text = f"preferred shift {pref.shift} on {pref.day} not granted ({got or 'off'})"
        else:
            continue
        if cost:
            yield Violation(
                RULE,
                f"R8: {ctx.name(key)}'s {text}",
                hard=False,
                person=key,
                day=pref.day,
                cost=cost,
            )


def check(ctx: RosterContext) -> Iterator[Violation]:
    for key in ctx.people:
        yield from check_person(ctx, key)
