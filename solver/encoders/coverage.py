"""R9 (soft) coverage per interval against max(requirement, min_staff); S1 (hard) floor."""

from __future__ import annotations

from datetime import date

from ortools.sat.python import cp_model

from rules.roster.common import min_staff_by_slot
from solver.model import GuardKey, RosterModel

RULE = "R9"


def encode(rm: RosterModel) -> None:
    v, policy, problem = rm.vars, rm.policy, rm.problem
    w = policy.roster.weights
    floor = policy.service.min_staff_per_interval
    req, ext = problem.requirement, problem.external_coverage
    s1_of = min_staff_by_slot(
        problem.start, problem.shift_types, problem.interval_minutes, policy, v.days
    )
    for slot in range(v.n_slots()):
        day, index = v.slot_day(slot), slot % v.per_day
        need = max(req.get((day, index), 0), floor)
        terms = [var for _, var in v.covering(slot) if not isinstance(var, int)]
        # Pinned shifts of LNS sub-models are the constant 1.
        fixed = (
            len(v.covering(slot))
            - len(terms)
            + len(v.previous_covering(slot))
            + ext.get((day, index), 0)
        )
        s1 = s1_of[(day, index)]
        if not terms:
            _constant_slot(rm, day, index, fixed, need, s1)
            continue
        scheduled = cp_model.LinearExpr.sum(terms) + fixed
        if problem.enforce_min_staff and s1:
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


def _constant_slot(rm: RosterModel, day: date, index: int, have: int, need: int, s1: int) -> None:
    """An interval no free variable reaches (LNS sub-models): its cost is a constant."""
    w = rm.policy.roster.weights
    if rm.problem.enforce_min_staff and have < s1:
        guard = rm.guards(GuardKey("S1", day=day))
        rm.model.add_bool_or([rm.model.new_constant(0)]).only_enforce_if(guard)
    tag = f"{day.isoformat()}_{index}"
    rm.penalties.add(f"R9_under_{tag}", RULE, w.coverage_under, max(0, need - have))
    rm.penalties.add(f"R9_over_{tag}", RULE, w.coverage_over, max(0, have - need))
