"""R9 (soft) coverage per interval, and S1 (hard) at least `min_staff_per_interval` agents.

The requirement of an interval is max(requirement, min_staff_per_interval); every agent short
costs `coverage_under`, every agent over costs `coverage_over`. Agents of other teams
(`external_coverage`) and previous-period night shifts reaching into day one count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

from rules.policy import RosterWeights
from rules.roster.common import (
    RosterContext,
    min_staff_at,
    required_at,
    shift_slots,
    slot_label,
)
from rules.violation import Violation

RULE = "R9"


def scheduled(ctx: RosterContext) -> Counter[tuple[date, int]]:
    """Agents on duty per (day, interval index) within the period, external ones included."""
    count: Counter[tuple[date, int]] = Counter()
    minutes = ctx.snapshot.interval_minutes
    for key in ctx.people:
        for a in ctx.timeline(key):
            for offset, index in shift_slots(ctx.shift(a), minutes):
                day = a.day + timedelta(days=offset)
                if ctx.in_period(day):
                    count[(day, index)] += 1
    for slot, n in ctx.snapshot.external_coverage.items():
        count[slot] += n
    return count


def slot_cost(have: int, need: int, weights: RosterWeights) -> int:
    """R9's price of one interval with `have` agents on duty against `need`."""
    if have < need:
        return (need - have) * weights.coverage_under
    return (have - need) * weights.coverage_over


def check(ctx: RosterContext) -> Iterator[Violation]:
    minutes = ctx.snapshot.interval_minutes
    per_day = 24 * 60 // minutes
    w = ctx.policy.roster.weights
    count = scheduled(ctx)
    for day in ctx.days:
        for index in range(per_day):
            have = count[(day, index)]
            need = required_at(ctx.snapshot, ctx.policy, day, index)
            label = slot_label(day, index, minutes)
            floor = min_staff_at(
                ctx.snapshot.start,
                ctx.snapshot.shift_types,
                minutes,
                ctx.policy,
                day,
                index,
            )
            if ctx.snapshot.enforce_min_staff and have < floor:
                yield Violation(
                    "S1",
                    f"S1: {label} has {have} agent(s) on duty (minimum {floor})",
                    day=day,
                )
            if have < need and w.coverage_under:
                yield Violation(
                    RULE,
                    f"R9: {label} short by {need - have} (scheduled {have}, required {need})",
                    hard=False,
                    day=day,
                    cost=slot_cost(have, need, w),
                )
            elif have > need and w.coverage_over:
                yield Violation(
                    RULE,
                    f"R9: {label} over by {have - need} (scheduled {have}, required {need})",
                    hard=False,
                    day=day,
                    cost=slot_cost(have, need, w),
                )
