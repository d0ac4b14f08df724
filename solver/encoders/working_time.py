"""R5: paid minutes (shift + R10 roll call) at most contract + overtime (hard);
hours below contract priced by `weights.hours_under_contract` (soft)."""

from __future__ import annotations

from rules.roster.common import (
    contract_minutes,
    max_paid_minutes,
    paid_minutes,
    under_contract_hours,
)
from solver.model import GuardKey, RosterModel

RULE = "R5"


def encode(rm: RosterModel) -> None:
    v, policy = rm.vars, rm.policy
    n_days = len(v.days)
    shifts = rm.problem.shift_types
    weight = policy.roster.weights.hours_under_contract
    for p, person in enumerate(rm.problem.people):
        n_leave = sum(1 for k, d in rm.problem.leave if k == person.key and d in v.day_index)
        paid = sum(paid_minutes(shifts[s], policy) * var for _, s, var in v.of_person(p))
        cap = max_paid_minutes(person, n_days, n_leave, policy)
        rm.require(paid <= cap, rm.guards(GuardKey(RULE, person=person.key)))
        contract = contract_minutes(person, n_days, n_leave)
        if weight and contract:
            short = rm.model.new_int_var(0, contract // 60 + 1, f"R5_under_{person.key}")
            rm.model.add(60 * short >= contract - paid)
            hinted = sum(
                paid_minutes(shifts[s], policy) * rm.hint_count([var])
                for _, s, var in v.of_person(p)
            )
            rm.hint_aux(short, under_contract_hours(contract, hinted))
            rm.penalties.add(f"R5_under_{person.key}", RULE, weight, short)
