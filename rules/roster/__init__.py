"""Roster rules R1-R10 (plus S1 and G5 as the roster sees them): one checker module per rule.

    check_roster(snapshot, policy)          every violation, hard and soft
    hard_violations(snapshot, policy)       only the hard ones
    soft_cost(snapshot, policy)             the objective the solver minimises
    check_person(snapshot, policy, key)     the per-person rules for one person (swaps, leave)

The solver's encoders (`solver/encoders/`) encode the same rules from the same helpers
(`rules.roster.common`), and a test proves they agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rules.policy import Policy, default_policy
from rules.roster import (
    approved_leave,
    coverage,
    fairness,
    nights,
    preferences,
    rest,
    roll_call,
    shift_lead,
    skills,
    weekly_rest,
    working_time,
)
from rules.roster.common import RosterContext
from rules.snapshot import RosterSnapshot
from rules.violation import Violation

CheckFn = Callable[[RosterContext], Iterator[Violation]]
PersonCheckFn = Callable[[RosterContext, str], Iterator[Violation]]

#: Whole-roster checkers in rule order.
CHECKERS: dict[str, CheckFn] = {
    "R1": rest.check,
    "R2": shift_lead.check,
    "R3": approved_leave.check,
    "R4": weekly_rest.check,
    "R5": working_time.check,
    "R6": nights.check,
    "R7": fairness.check,
    "R8": preferences.check,
    "R9": coverage.check,  # also yields S1
    "R10": roll_call.check,
    "G5": skills.check,
}

#: Rules judged one person at a time (what a swap or a leave request can break for that person).
PERSON_CHECKERS: dict[str, PersonCheckFn] = {
    "R1": rest.check_person,
    "R3": approved_leave.check_person,
    "R4": weekly_rest.check_person,
    "R5": working_time.check_person,
    "R6": nights.check_person,
    "R8": preferences.check_person,
    "R10": roll_call.check_person,
    "G5": skills.check_person,
}


def _ctx(snapshot: RosterSnapshot, policy: Policy | None) -> RosterContext:
    return RosterContext.build(snapshot, policy or default_policy())


def check_roster(snapshot: RosterSnapshot, policy: Policy | None = None) -> list[Violation]:
    """Every violation of the roster rules, hard first, then soft, each with its rule ID."""
    ctx = _ctx(snapshot, policy)
    found = [v for check in CHECKERS.values() for v in check(ctx)]
    return sorted(found, key=lambda v: not v.hard)


def hard_violations(snapshot: RosterSnapshot, policy: Policy | None = None) -> list[Violation]:
    return [v for v in check_roster(snapshot, policy) if v.hard]


def soft_cost(snapshot: RosterSnapshot, policy: Policy | None = None) -> int:
    """The roster's soft-rule cost: the value the solver's objective takes for it."""
    return sum(v.cost for v in check_roster(snapshot, policy) if not v.hard)


def check_person(
    snapshot: RosterSnapshot, policy: Policy | None, person_key: str
) -> list[Violation]:
    """The per-person rules for one person (R1, R3, R4, R5, R6, R8, R10, G5)."""
    ctx = _ctx(snapshot, policy)
    if person_key not in ctx.people:
        raise KeyError(f"unknown person {person_key!r}")
    return [v for check in PERSON_CHECKERS.values() for v in check(ctx, person_key)]


def check_team(snapshot: RosterSnapshot, policy: Policy | None, team: str) -> list[Violation]:
    """R2 for one team (the team-wide hard rule a swap can break)."""
    ctx = _ctx(snapshot, policy)
    return list(shift_lead.check_team(ctx, team, ctx.teams().get(team, [])))


__all__ = [
    "CHECKERS",
    "PERSON_CHECKERS",
    "check_person",
    "check_roster",
    "check_team",
    "hard_violations",
    "soft_cost",
]
