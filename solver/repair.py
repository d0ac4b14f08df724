"""L8 repair: re-roster after a change with as few changed person-days as possible.

The published roster is the hint and each person-day that differs from it costs
`change_weight`. The default weight is above everything one change can save in the other soft
rules (over-coverage of one shift, a preference, hours below contract for one shift, fairness
units) and below the price of one uncovered agent-interval (`coverage_under`): the repair
changes a roster to cover a gap, never to polish it.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from rules.roster.common import shift_slots
from rules.snapshot import Assignment
from solver.explain import explain_infeasible
from solver.model import build_model
from solver.problem import RosterProblem
from solver.progress import ProgressEvent, ProgressFn, no_progress
from solver.solution import Change, RosterSolution, finish


def default_change_weight(problem: RosterProblem) -> int:
    w = problem.policy.roster.weights
    longest = max((s.length_minutes for s in problem.shift_types), default=480)
    intervals = max(
        (len(shift_slots(s, problem.interval_minutes)) for s in problem.shift_types), default=16
    )
    one_change = (
        w.coverage_over * intervals
        + w.preference_day_off
        + w.preference_shift
        + w.hours_under_contract * (longest // 60 + 1)
        + w.fairness_nights
        + w.fairness_weekends
        + w.fairness_holidays
    )
    return max(1, min(one_change + 1, w.coverage_under - 1))


def repair(
    problem: RosterProblem,
    published: list[Assignment],
    time_limit_s: float = 30.0,
    workers: int = 2,
    progress: ProgressFn | None = None,
    change_weight: int | None = None,
    explain: bool = True,
) -> RosterSolution:
    """Re-optimise `problem` (with its new leave, people or requirement) near `published`.

    `explain=False` skips the infeasibility explanation (a caller with its own fallback, such as
    a leave approval that a person is waiting on). The solution's `changes` lists every changed
    person-day (L8); its objective is the soft
    cost plus `change_weight` per change, and its bound is a proven bound on that sum.
    """
    report = progress or no_progress
    t0 = time.monotonic()
    weight = default_change_weight(problem) if change_weight is None else change_weight
    keys = {p.key for p in problem.people}
    kept = [a for a in published if a.person in keys and problem.start <= a.day <= problem.end]
    hint = [a for a in kept if (a.person, a.day) not in problem.leave]
    rm = build_model(problem, published=kept, change_weight=weight, hint=hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    status = solver.solve(rm.model)
    elapsed = time.monotonic() - t0
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        reasons = (
            explain_infeasible(problem, 10.0)
            if status == cp_model.INFEASIBLE and explain
            else ["No repaired roster found within the time limit."]
        )
        report(ProgressEvent(elapsed, "done", None, None, time_limit_s, reasons[0]))
        return RosterSolution("INFEASIBLE", None, None, infeasibility=tuple(reasons))
    roster = rm.assignments(solver)
    changes = diff(problem, kept, roster)
    sol = finish(
        problem,
        roster,
        solver.status_name(status),
        solver.best_objective_bound,
        changes=tuple(changes),
        change_cost=weight * len(changes),
    )
    sol.elapsed_s = time.monotonic() - t0
    report(ProgressEvent(sol.elapsed_s, "done", sol.objective, sol.bound, time_limit_s))
    return sol


def diff(problem: RosterProblem, before: list[Assignment], after: list[Assignment]) -> list[Change]:
    """Every person-day whose shift differs between two rosters (L8)."""
    old = {(a.person, a.day): a.shift for a in before}
    new = {(a.person, a.day): a.shift for a in after}
    names = {p.key: p.name for p in problem.people}
    out = []
    for key in sorted(set(old) | set(new), key=lambda k: (k[1], k[0])):
        if old.get(key) != new.get(key):
            out.append(
                Change(key[0], names.get(key[0], key[0]), key[1], old.get(key), new.get(key))
            )
    return out
