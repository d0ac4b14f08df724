"""R9 (soft) coverage per interval against max(requirement, min_staff); S1 (hard) floor."""

from __future__ import annotations

from ortools.sat.python import cp_model

from rules.roster.common import min_staff_by_slot
from solver.model import GuardKey, RosterModel

RULE = "R9"


def encode(rm: RosterModel) -> None:
    v, policy, problem, model = rm.vars, rm.policy, rm.problem, rm.model
    w = policy.roster.weights
    floor = policy.service.min_staff_per_interval
    req, ext = problem.requirement, problem.external_coverage
    s1_of = min_staff_by_slot(
        problem.start, problem.shift_types, problem.interval_minutes, policy, v.days
    )
    enforce, hinting = problem.enforce_min_staff, bool(rm.hinted)
    constant = 0  # intervals no variable reaches (LNS sub-models): one constant term
    for slot in range(v.n_slots()):
        day, index = v.slot_day(slot), slot % v.per_day
        need = max(req.get((day, index), 0), floor)
        terms = [var for _, var in v.covering(slot)]
        # Pinned shifts of LNS sub-models, the previous period's, other teams'.
        fixed = (
            len(v.pinned_covering(slot)) + len(v.previous_covering(slot)) + ext.get((day, index), 0)
        )
        s1 = s1_of[(day, index)]
        if not terms:
            if enforce and fixed < s1:
                guard = rm.guards(GuardKey("S1", day=day))
                model.add_bool_or([model.new_constant(0)]).only_enforce_if(guard)
            constant += w.coverage_under * max(0, need - fixed)
            constant += w.coverage_over * max(0, fixed - need)
            continue
        scheduled = cp_model.LinearExpr.sum(terms)
        if enforce and s1 > fixed:
            rm.require(scheduled >= s1 - fixed, rm.guards(GuardKey("S1", day=day)))
        tag = f"{day.isoformat()}_{index}"
        under = model.new_int_var(0, max(need, 0), f"R9_under_{tag}")
        over = model.new_int_var(0, len(terms) + fixed, f"R9_over_{tag}")
        model.add(scheduled + under - over == need - fixed)
        if hinting:
            have = rm.hinted_cover[slot] + fixed
            model.add_hint(under, max(0, need - have))
            model.add_hint(over, max(0, have - need))
        rm.penalties.add(f"R9_under_{tag}", RULE, w.coverage_under, under)
        rm.penalties.add(f"R9_over_{tag}", RULE, w.coverage_over, over)
    rm.penalties.add("R9_pinned_intervals", RULE, 1, constant)
