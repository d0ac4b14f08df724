"""R7 (soft): nights, weekend shifts and public-holiday duty spread evenly across each team.

The cost is weight x (max - min) over the team's members, per category.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from rules.roster.common import RosterContext, is_night_shift
from rules.snapshot import Assignment
from rules.violation import Violation

RULE = "R7"


def categories(ctx: RosterContext) -> list[tuple[str, int, Callable[[Assignment], bool]]]:
    """(label, weight, does this assignment count) for the three fairness categories."""
    w = ctx.policy.roster.weights
    holidays = ctx.snapshot.holidays

    def weekend(a: Assignment) -> bool:
        return ctx.snapshot.is_weekend(a.day)

    def holiday(a: Assignment) -> bool:
        return a.day in holidays

    def night(a: Assignment) -> bool:
        return is_night_shift(ctx.shift(a), ctx.policy)

    return [
        ("nights", w.fairness_nights, night),
        ("weekend shifts", w.fairness_weekends, weekend),
        ("public-holiday shifts", w.fairness_holidays, holiday),
    ]


def is_weekend_day(ctx: RosterContext, day: date) -> bool:
    return ctx.snapshot.is_weekend(day)


def check(ctx: RosterContext) -> Iterator[Violation]:
    for team, keys in sorted(ctx.teams().items()):
        if len(keys) < 2:
            continue
        for label, weight, counts in categories(ctx):
            tally = {k: sum(1 for a in ctx.by_person[k] if counts(a)) for k in keys}
            hi = max(tally, key=lambda k: tally[k])
            lo = min(tally, key=lambda k: tally[k])
            spread = tally[hi] - tally[lo]
            if spread and weight:
                yield Violation(
                    RULE,
                    f"R7: team {team}: {label} spread {spread} ({ctx.name(hi)} {tally[hi]}, "
                    f"{ctx.name(lo)} {tally[lo]})",
                    hard=False,
                    cost=spread * weight,
                )
