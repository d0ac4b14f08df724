"""R9 (soft) coverage per interval against max(requirement, min_staff); S1 (hard) floor."""

from __future__ import annotations

from datetime import date

from rules.roster.common import min_staff_at
from solver.model import GuardKey, RosterModel

RULE = "R9"


def encode(rm: RosterModel) -> None:
    v, policy = rm.vars, rm.policy
    w = policy.roster.weights
    floor = policy.service.min_staff_per_interval
    req, ext = rm.problem.requirement, rm.problem.external_coverage
    for slot in range(v.n_slots()):
        day, index = v.slot_day(slot), slot % v.per_day
        need = max(req.get((day, index), 0), floor)
        fixed = len(v.previous_covering(slot)) + ext.get((day, index), 0)
        terms = [var for _, var in v.covering(slot)]
        scheduled = sum(terms) + fixed
        if all(not v.is_free(k) for k in v.covering_keys(slot)):
            _constant_slot(rm, slot, len(terms) + fixed, need)
            continue
        s1 = _floor(rm, day, index)
        if rm.problem.enforce_min_staff and s1:
            guard = rm.guards(GuardKey("S1", day=day))
            rm.require(scheduled >= s1, guard)
        tag = f"{day.isoformat()}_{index}"
        under = rm.model.new_int_var(0, max(need, 0), f"R9_under_{tag}")
        over = rm.model.new_int_var(0, len(terms) + fixed, f"R9_over_{tag}")
        rm.model.add(scheduled + under - over == need)
        have = rm.hint_count(terms) + fixed
        rm.hint_aux(under, max(0, need - have))
        rm.hint_aux(over, max(0, have - need))
        rm.penalties.add(f"R9_under_{tag}", RULE, w.coverage_under, under)
        rm.penalties.add(f"R9_over_{tag}", RULE, w.coverage_over, over)


def _floor(rm: RosterModel, day: date, index: int) -> int:
    p = rm.problem
    return min_staff_at(p.start, p.shift_types, p.interval_minutes, rm.policy, day, index)


def _constant_slot(rm: RosterModel, slot: int, have: int, need: int) -> None:
    """An interval no free variable reaches (LNS sub-models): its cost is a constant."""
    w = rm.policy.roster.weights
    day = rm.vars.slot_day(slot)
    if rm.problem.enforce_min_staff and have < _floor(rm, day, slot % rm.vars.per_day):
        guard = rm.guards(GuardKey("S1", day=day))
        rm.model.add_bool_or([rm.model.new_constant(0)]).only_enforce_if(guard)
    tag = f"{day.isoformat()}_{slot % rm.vars.per_day}"
    rm.penalties.add(f"R9_under_{tag}", RULE, w.coverage_under, max(0, need - have))
    rm.penalties.add(f"R9_over_{tag}", RULE, w.coverage_over, max(0, have - need))
