"""R5: monthly paid hours (shift length + R10 roll call) within contract plus the overtime cap.

Above contract + `max_overtime_hours_per_month` is hard; every started hour below contract costs
`weights.hours_under_contract` (soft).
"""

from __future__ import annotations

from collections.abc import Iterator

from rules.roster.common import (
    RosterContext,
    contract_minutes,
    max_paid_minutes,
    paid_minutes,
    under_contract_hours,
)
from rules.violation import Violation

RULE = "R5"


def paid_of(ctx: RosterContext, key: str) -> int:
    return sum(paid_minutes(ctx.shift(a), ctx.policy) for a in ctx.by_person[key])


def check_person(ctx: RosterContext, key: str) -> Iterator[Violation]:
    person = ctx.people[key]
    n_days, n_leave = len(ctx.days), len(ctx.leave_days[key])
    paid = paid_of(ctx, key)
    cap = max_paid_minutes(person, n_days, n_leave, ctx.policy)
    if paid > cap:
        yield Violation(
            RULE,
            f"R5: {ctx.name(key)} is paid {paid / 60:.1f} h, above contract plus overtime "
            f"({cap / 60:.1f} h)",
            person=key,
        )
    contract = contract_minutes(person, n_days, n_leave)
    short = under_contract_hours(contract, paid)
    weight = ctx.policy.roster.weights.hours_under_contract
    if short and weight:
        yield Violation(
            RULE,
            f"R5: {ctx.name(key)} is {short} h below contract ({paid / 60:.1f} of "
            f"{contract / 60:.1f} h)",
            hard=False,
            person=key,
            cost=short * weight,
        )


def check(ctx: RosterContext) -> Iterator[Violation]:
    for key in ctx.people:
        yield from check_person(ctx, key)
