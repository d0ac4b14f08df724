"""H1 and L7 as attendance sees them: arrival against the roll call, time away from the post.

Reading: duty begins at the roll call (R10: paid, `roll_call_minutes` before the shift), so
lateness is measured from the roll call. Any lateness is noted (H1, soft); more than
`late_threshold_minutes` is a discipline violation (L7). Leaving the post for more than
`absence_threshold_minutes` without permission is L7 too.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from rules.policy import Policy
from rules.violation import Violation


def roll_call_time(shift_start: datetime, policy: Policy) -> datetime:
    """H1/R10: the roll call is held this long before the shift starts."""
    return shift_start - timedelta(minutes=policy.attendance.roll_call_minutes)


def minutes_between(a: datetime, b: datetime) -> int:
    """Whole minutes from a to b, rounded up (a second late is a minute late), never negative."""
    return max(0, math.ceil((b - a).total_seconds() / 60))


def check_arrival(
    name: str, shift_start: datetime, clock_in: datetime, policy: Policy
) -> tuple[int, list[Violation]]:
    """Minutes late for the roll call, with H1 (noted) and L7 (over the threshold)."""
    late = minutes_between(roll_call_time(shift_start, policy), clock_in)
    out: list[Violation] = []
    if late > 0:
        out.append(
            Violation("H1", f"H1: {name} arrived {late} min after the roll call", hard=False)
        )
    limit = policy.attendance.late_threshold_minutes
    if late > limit:
        out.append(Violation("L7", f"L7: {name} arrived {late} min late (limit {limit} min)"))
    return late, out


def check_post_absence(
    name: str, left_at: datetime, returned_at: datetime, permitted: bool, policy: Policy
) -> Violation | None:
    """L7: away from the post longer than the threshold without permission."""
    away = minutes_between(left_at, returned_at)
    limit = policy.attendance.absence_threshold_minutes
    if permitted or away <= limit:
        return None
    return Violation(
        "L7", f"L7: {name} left the post for {away} min without permission (limit {limit} min)"
    )


def absenteeism(
    name: str, day: object, *, swap_taker: bool = False, giver: bool = False
) -> Violation:
    """An absence without approved leave (L1); after an approved swap W7 applies to both."""
    if giver:
        return Violation("W7", f"W7: {name} gave away the shift of {day} and nobody worked it")
    if swap_taker:
        return Violation("W7", f"W7: {name} took the shift of {day} by a swap and did not come")
    return Violation("L1", f"L1: {name} was absent on {day} without approved leave")
