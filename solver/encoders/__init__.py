"""One encoder per roster rule; each reads the same policy values as its checker in
`rules/roster/`. `ENCODERS` is the order the model is built in."""

from __future__ import annotations

from collections.abc import Callable

from solver.encoders import (
    approved_leave,
    coverage,
    fairness,
    nights,
    pinned,
    preferences,
    rest,
    roll_call,
    shift_lead,
    weekly_rest,
    working_time,
)
from solver.model import RosterModel

ENCODERS: list[Callable[[RosterModel], None]] = [
    rest.encode,  # R1
    shift_lead.encode,  # R2
    approved_leave.encode,  # R3
    weekly_rest.encode,  # R4
    working_time.encode,  # R5
    nights.encode,  # R6
    fairness.encode,  # R7
    preferences.encode,  # R8
    coverage.encode,  # R9 + S1
    roll_call.encode,  # R10
    pinned.encode,  # pinned person-days
]
