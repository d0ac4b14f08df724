"""Why no roster exists: precise pre-checks, then the rules CP-SAT finds in conflict.

Every hard-rule group is guarded by an assumption literal (rule x person, rule x day, or
R2 x team x day); CP-SAT's `sufficient_assumptions_for_infeasibility()` returns a set of them
that cannot all hold, which is shrunk by deletion while time allows and put into words.
Assumptions need a single worker and no objective.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from ortools.sat.python import cp_model

from rules.roster.common import (
    contract_minutes,
    is_night_shift,
    max_paid_minutes,
    min_staff_at,
    shift_slots,
    slot_label,
)
from rules.snapshot import Person, ShiftType
from solver.lns import coverage_of
from solver.model import GuardKey, build_model
from solver.problem import RosterProblem


def precheck(problem: RosterProblem) -> list[str]:
    """S1 and R2 availability per interval: nobody (or no senior) who could work it at all."""
    floor = problem.policy.service.min_staff_per_interval
    if not (problem.enforce_min_staff and floor):
        return []
    before = coverage_of(problem, list(problem.previous))
    senior = problem.policy.roster.senior_grade
    covers = _covering_shifts(problem)
    messages: list[str] = []
    for day in problem.days():
        for k in range(problem.intervals_per_day):
            s1 = min_staff_at(
                problem.start, problem.shift_types, problem.interval_minutes, problem.policy, day, k
            )
            missing = s1 - before[(day, k)] - problem.external_coverage.get((day, k), 0)
            if missing <= 0 or _enough(problem, covers[k], day, missing, senior):
                continue
            able, unable = _who_can_cover(problem, day, k)
            reasons = [why for _, why in unable]
            label = slot_label(day, k, problem.interval_minutes)
            if len(able) < missing:
                messages.append(
                    f"S1: {label} needs {floor} agent(s) but nobody can work it: "
                    + "; ".join(reasons[:6])
                )
                break  # one message per day is enough to act on
            if not any(p.can_lead(senior) for p in able):
                why = [w for p, w in unable if p.can_lead(senior)]
                messages.append(
                    f"R2: no senior free for {label}: " + ("; ".join(why[:6]) or "no seniors")
                )
                break
    return messages


def _covering_shifts(problem: RosterProblem) -> dict[int, list[tuple[ShiftType, int]]]:
    """Per interval index: the shift types covering it, with the day offset from their start."""
    out: dict[int, list[tuple[ShiftType, int]]] = {k: [] for k in range(problem.intervals_per_day)}
    for st in problem.shift_types:
        for off, k in shift_slots(st, problem.interval_minutes):
            out[k].append((st, off))
    return out


def _enough(
    problem: RosterProblem,
    covers: list[tuple[ShiftType, int]],
    day: date,
    missing: int,
    senior: str,
) -> bool:
    """Quick pass: `missing` people (one a senior) could be on duty in the interval."""
    able, lead = 0, False
    for p in problem.people:
        for st, off in covers:
            start = day - timedelta(days=off)
            if (
                st.required_skills <= p.skills
                and problem.start <= start
                and (p.key, start) not in problem.leave
                and problem.fixed.get((p.key, start), "?")
            ):
                able += 1
                lead = lead or p.can_lead(senior)
                break
        if able >= missing and lead:
            return True
    return False


def _who_can_cover(
    problem: RosterProblem, day: date, index: int
) -> tuple[list[Person], list[tuple[Person, str]]]:
    """People who could be on duty in an interval, and why each other one cannot."""
    able: list[Person] = []
    reasons: list[tuple[Person, str]] = []
    leave = problem.leave
    for p in problem.people:
        starts = [
            day - timedelta(days=off)
            for st in problem.shift_types
            if st.required_skills <= p.skills
            for off, k in shift_slots(st, problem.interval_minutes)
            if k == index and problem.start <= day - timedelta(days=off)
        ]
        ok = [d for d in starts if (p.key, d) not in leave and problem.fixed.get((p.key, d), "?")]
        if ok:
            able.append(p)
        elif not starts:
            reasons.append((p, f"{p.name} has no shift type covering it (G5 skills)"))
        elif all((p.key, d) in leave for d in starts):
            reasons.append((p, f"{p.name} on leave (R3)"))
        else:
            reasons.append((p, f"{p.name} pinned off"))
    return able, reasons


def explain_infeasible(problem: RosterProblem, time_limit_s: float = 10.0) -> list[str]:
    """Messages naming the rules, people and days that cannot all hold."""
    found = precheck(problem)
    if found:
        return found
    deadline = time.monotonic() + time_limit_s
    rm = build_model(problem, assumptions=True, objective=False)
    keys = {lit.index: key for key, lit in rm.guards.literals.items()}
    core = _core(rm.model, list(rm.guards.literals.values()), time_limit_s)
    if core is None:
        return ["The hard rules could not be shown infeasible within the time limit."]
    if not core:
        return ["Infeasible: the pinned assignments or skills leave no roster (G5)."]
    lits = {key: rm.guards.literals[key] for key in (keys[i] for i in core)}
    minimal = _shrink(rm.model, lits, deadline)
    return ["Infeasible: these rules cannot all hold together:"] + [
        "  " + _describe(problem, key) for key in sorted(minimal, key=_order)
    ]


def _core(
    model: cp_model.CpModel, literals: list[cp_model.IntVar], time_limit_s: float
) -> list[int] | None:
    model.clear_assumptions()
    model.add_assumptions(literals)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.5, time_limit_s)
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return None
    return list(solver.sufficient_assumptions_for_infeasibility())


def _shrink(
    model: cp_model.CpModel, lits: dict[GuardKey, cp_model.IntVar], deadline: float
) -> list[GuardKey]:
    """Deletion filter: drop a rule group if the rest is still infeasible (while time allows)."""
    keep = dict(lits)
    for key in sorted(lits, key=_order, reverse=True):
        remaining = deadline - time.monotonic()
        if remaining < 0.5 or len(keep) == 1:
            break
        trial = [v for k, v in keep.items() if k != key]
        if _core(model, trial, min(2.0, remaining)) is not None:
            del keep[key]
    return list(keep)


def _order(key: GuardKey) -> tuple[int, str, str]:
    rank = {"S1": 0, "R2": 1, "PIN": 2}.get(key.rule, 3)
    return (rank, key.rule, f"{key.day}{key.person}{key.team}")


def _describe(problem: RosterProblem, key: GuardKey) -> str:
    policy = problem.policy
    r = policy.roster
    name = problem.person(key.person).name if key.person else ""
    n_days = len(problem.days())
    n_leave = sum(
        1 for k, d in problem.leave if k == key.person and problem.start <= d <= problem.end
    )
    texts = {
        "S1": f"S1: every interval of {key.day} needs at least "
        f"{policy.service.min_staff_per_interval} agent(s) on duty",
        "R1": f"R1: {name} needs {r.min_rest_hours:g} h rest between shifts, one shift a day",
        "R2": f"R2: team {key.team} needs a senior on duty whenever it works on {key.day}",
        "R3": f"R3: {name} has approved leave on {key.day}",
        "R4": f"R4: {name} needs {r.min_days_off_per_week} day(s) off a week and at most "
        f"{r.max_consecutive_work_days} days in a row",
        "R6": f"R6: {name} may work at most {r.max_nights_per_month} nights",
        "R10": f"R10: {name}'s roll call must not overlap the previous shift",
        "PIN": f"{name} is pinned to "
        f"{(problem.fixed.get((key.person, key.day)) if key.day else None) or 'a day off'} "
        f"on {key.day}",
    }
    if key.rule == "R5":
        person = problem.person(key.person)
        cap = max_paid_minutes(person, n_days, n_leave, policy)
        return (
            f"R5: {name} may be paid at most {cap / 60:.1f} h "
            f"(contract {contract_minutes(person, n_days, n_leave) / 60:.1f} h + overtime)"
        )
    return texts.get(key.rule, f"{key.rule}: {name or key.team} {key.day or ''}".strip())


def night_shift_codes(problem: RosterProblem) -> list[str]:
    """Codes of the night shifts (R6), for messages."""
    return [s.code for s in problem.shift_types if is_night_shift(s, problem.policy)]
