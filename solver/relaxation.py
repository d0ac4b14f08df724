"""The shift-count relaxation: how many people start shift s on day d, ignoring identities.

Every roster of the full model maps to a solution of this model with an objective no larger
(coverage is identical; the hours below contract are summed per group of people, which can only
round down; preferences are counted in aggregate: if more of a group work a day than the group
has people free who did not ask for it off, the difference are requests refused; fewer people
on a shift than asked for it leave the difference unmet; a preferred shift on a day of leave is
refused in every roster, and a day off and a preferred shift asked for the same day cost at
least the cheaper of the two; fairness is left out, it is never negative).
Its proven optimum (CP-SAT's best_objective_bound) is therefore a proven lower bound on the
full objective, and its counts are a strong hint for the shape of the roster.

Aggregated hard rules: day capacity after leave (R3, R1: one shift a day), skills (G5) per
shift type, weekly days off (R4), paid-hours cap (R5), night limit (R6), S1 floor, and R2 in
its aggregate form (a lead on duty in every interval that S1 forces someone to work).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from rules.roster.common import (
    calendar_weeks,
    contract_minutes,
    is_night_shift,
    max_paid_minutes,
    min_staff_at,
    paid_minutes,
    shift_slots,
    weekly_days_off,
)
from solver.problem import RosterProblem

DAY = 24 * 60


@dataclass
class RelaxationResult:
    status: str
    objective: float | None
    bound: float
    # (team, is lead, day, shift code) -> people starting it
    counts: dict[tuple[str, bool, date, str], int]


def _leave_days(problem: RosterProblem) -> dict[str, set[date]]:
    out: dict[str, set[date]] = {p.key: set() for p in problem.people}
    for key, day in problem.leave:
        if key in out and problem.start <= day <= problem.end:
            out[key].add(day)
    return out


def solve_relaxation(
    problem: RosterProblem, time_limit_s: float = 10.0, workers: int = 2, by_team: bool = False
) -> RelaxationResult:
    """Solve the count model; `by_team` keeps one count per team and adds R2 per team (tighter
    and directly placeable, but slow beyond one or two teams)."""
    model = cp_model.CpModel()
    policy = problem.policy
    days, shifts = problem.days(), problem.shift_types
    per_day, minutes = problem.intervals_per_day, problem.interval_minutes
    leave = _leave_days(problem)
    senior = policy.roster.senior_grade
    groups: dict[tuple[str, bool], list] = {}
    for p in problem.people:
        groups.setdefault((p.team if by_team else "", p.can_lead(senior)), []).append(p)
    n: dict[tuple[tuple[str, bool], int, int], cp_model.IntVar] = {}
    for lead, members in groups.items():
        for d, day in enumerate(days):
            free = [p for p in members if day not in leave[p.key]]
            for s, st in enumerate(shifts):
                able = sum(1 for p in free if st.required_skills <= p.skills)
                n[(lead, d, s)] = model.new_int_var(0, able, f"n_{lead[0]}_{int(lead[1])}_{d}_{s}")
            model.add(sum(n[(lead, d, s)] for s in range(len(shifts))) <= len(free))
        _aggregate_person_limits(model, problem, members, n, lead, leave)
        _aggregate_rest(model, problem, members, n, lead)

    # Coverage (R9) and the S1 floor, with R2 in aggregate: leads cover every forced interval.
    covering: dict[int, list[tuple[tuple[str, bool], cp_model.IntVar]]] = {}
    for (lead, d, s), var in n.items():
        for offset, index in shift_slots(shifts[s], minutes):
            covering.setdefault((d + offset) * per_day + index, []).append((lead, var))
    fixed = _previous_coverage(problem)
    fixed_teams = _previous_team_coverage(problem)
    w, floor = policy.roster.weights, policy.service.min_staff_per_interval
    cost: list[cp_model.LinearExprT] = []
    for slot in range(len(days) * per_day):
        day, index = days[slot // per_day], slot % per_day
        need = max(problem.requirement.get((day, index), 0), floor)
        ext = problem.external_coverage.get((day, index), 0)
        have = sum(v for _, v in covering.get(slot, [])) + fixed.get(slot, (0, 0))[0] + ext
        s1 = min_staff_at(problem.start, problem.shift_types, minutes, policy, day, index)
        if problem.enforce_min_staff and s1:
            model.add(have >= s1)
            if ext < s1 and not fixed.get(slot, (0, 0))[1]:
                model.add(sum(v for g, v in covering.get(slot, []) if g[1]) >= 1)
        if by_team:
            _team_leads(model, problem, covering.get(slot, []), fixed_teams.get(slot, {}))
        under = model.new_int_var(0, max(need, 0), f"under_{slot}")
        over = model.new_int_var(0, 10 * len(problem.people) + ext + 10, f"over_{slot}")
        model.add(have + under - over == need)
        cost += [w.coverage_under * under, w.coverage_over * over]
    cost += _under_contract_terms(model, problem, groups, n, leave)
    cost += _preference_terms(model, problem, groups, n, leave)
    model.minimize(sum(cost))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return RelaxationResult(solver.status_name(status), None, 0.0, {})
    counts = {
        (g[0], g[1], days[d], shifts[s].code): int(solver.value(var))
        for (g, d, s), var in n.items()
        if solver.value(var)
    }
    return RelaxationResult(
        solver.status_name(status), solver.objective_value, solver.best_objective_bound, counts
    )


def _preference_terms(
    model: cp_model.CpModel,
    problem: RosterProblem,
    groups: dict[tuple[str, bool], list],
    n: dict[tuple[tuple[str, bool], int, int], cp_model.IntVar],
    leave: dict[str, set[date]],
) -> list[cp_model.LinearExprT]:
    """R8 in aggregate, priced at the group's cheapest request (a valid under-estimate):
    requested days off refused >= people working - people free without a request; preferred
    shifts unmet >= requests for the shift - people starting it."""
    w = problem.policy.roster.weights
    days, shifts = problem.days(), problem.shift_types
    day_index = {d: i for i, d in enumerate(days)}
    code_index = {s.code: i for i, s in enumerate(shifts)}
    group_of = {p.key: g for g, members in groups.items() for p in members}
    off: dict[tuple[tuple[str, bool], int], list[int]] = {}
    wanted: dict[tuple[tuple[str, bool], int, int], list[int]] = {}
    both = _same_day_conflicts(problem, leave)
    for pref in problem.preferences:
        g, d = group_of.get(pref.person), day_index.get(pref.day)
        if g is None or d is None or pref.day in leave[pref.person]:
            continue
        if (pref.person, pref.day) in both:
            continue  # priced once below, exactly; the aggregate would count it again
        if pref.kind == "day_off":
            off.setdefault((g, d), []).append(pref.weight)
        elif pref.kind == "shift" and pref.shift in code_index:
            wanted.setdefault((g, d, code_index[pref.shift]), []).append(pref.weight)
    terms: list[cp_model.LinearExprT] = [_unavoidable_preferences(problem, leave)]
    terms.append(sum(both.values()))
    for (g, d), weights in off.items():
        free = sum(1 for p in groups[g] if days[d] not in leave[p.key])
        working = sum(n[(g, d, s)] for s in range(len(shifts)))
        refused = model.new_int_var(0, len(weights), f"r8_off_{g[0]}_{int(g[1])}_{d}")
        model.add(refused >= working - (free - len(weights)))
        terms.append(w.preference_day_off * min(weights) * refused)
    for (g, d, s), weights in wanted.items():
        unmet = model.new_int_var(0, len(weights), f"r8_shift_{g[0]}_{int(g[1])}_{d}_{s}")
        model.add(unmet >= len(weights) - n[(g, d, s)])
        terms.append(w.preference_shift * min(weights) * unmet)
    return terms


def _same_day_conflicts(
    problem: RosterProblem, leave: dict[str, set[date]]
) -> dict[tuple[str, date], int]:
    """(person, day) -> the smaller cost of two requests that exclude each other: a day off
    and a preferred shift on the same day. Off refuses the shift, the shift refuses the day
    off, any other shift both; so every roster pays at least the cheaper one. Both requests
    leave the aggregate terms (counted there too they could be paid twice in the bound)."""
    w = problem.policy.roster.weights
    off: dict[tuple[str, date], int] = {}
    shift: dict[tuple[str, date], int] = {}
    for pref in problem.preferences:
        key = (pref.person, pref.day)
        if pref.person not in leave or pref.day in leave[pref.person]:
            continue
        if not problem.start <= pref.day <= problem.end:
            continue
        if pref.kind == "day_off":
            off[key] = off.get(key, 0) + w.preference_day_off * pref.weight
        elif pref.kind == "shift":
            shift[key] = shift.get(key, 0) + w.preference_shift * pref.weight
    return {key: min(off[key], shift[key]) for key in off.keys() & shift.keys()}


def _unavoidable_preferences(problem: RosterProblem, leave: dict[str, set[date]]) -> int:
    """Preferred shifts on a day of approved leave (R3 forbids working it): refused in every
    roster, so their cost is part of every roster's objective."""
    w = problem.policy.roster.weights
    return sum(
        w.preference_shift * pref.weight
        for pref in problem.preferences
        if pref.kind == "shift" and pref.day in leave.get(pref.person, set())
    )


def _aggregate_person_limits(
    model: cp_model.CpModel,
    problem: RosterProblem,
    members: list,
    n: dict[tuple[tuple[str, bool], int, int], cp_model.IntVar],
    lead: tuple[str, bool],
    leave: dict[str, set[date]],
) -> None:
    """R4 weekly days off, R5 cap and R6 nights summed over a group of people."""
    policy, days, shifts = problem.policy, problem.days(), problem.shift_types
    index = {d: i for i, d in enumerate(days)}
    for week in calendar_weeks(days):
        owed = weekly_days_off(len(week), policy)
        room = sum(
            min(len(week) - owed, sum(1 for d in week if d not in leave[p.key])) for p in members
        )
        model.add(sum(n[(lead, index[d], s)] for d in week for s in range(len(shifts))) <= room)
    cap = sum(max_paid_minutes(p, len(days), len(leave[p.key]), policy) for p in members)
    paid = sum(
        paid_minutes(shifts[s], policy) * n[(lead, d, s)]
        for d in range(len(days))
        for s in range(len(shifts))
    )
    model.add(paid <= cap)
    nights = [
        n[(lead, d, s)]
        for d in range(len(days))
        for s in range(len(shifts))
        if is_night_shift(shifts[s], policy)
    ]
    model.add(sum(nights) <= policy.roster.max_nights_per_month * len(members))


def _aggregate_rest(
    model: cp_model.CpModel,
    problem: RosterProblem,
    members: list,
    n: dict[tuple[tuple[str, bool], int, int], cp_model.IntVar],
    lead: tuple[str, bool],
) -> None:
    """R1 (and R10) between consecutive days, in aggregate: nobody both ends a shift at or
    after time e on one day and starts one before e + rest the next day, so for every end
    time e those two counts sum to at most the group's size. (On nested rest sets these are
    Hall's conditions: the counts can then be chained into people day by day.)"""
    policy, days, shifts = problem.policy, problem.days(), problem.shift_types
    gap = max(round(policy.roster.min_rest_hours * 60), policy.roster.roll_call_minutes)
    keys = {p.key for p in members}
    before = problem.start.toordinal() - 1
    previous = [
        s
        for a in problem.previous
        if a.person in keys and a.day.toordinal() == before
        for s, st in enumerate(shifts)
        if st.code == a.shift
    ]
    ends = sorted({st.end_minute for st in shifts})
    size = len(members)
    for d in range(len(days)):
        for e in ends:
            late = [s for s, st in enumerate(shifts) if st.end_minute >= e]
            early = [s for s, st in enumerate(shifts) if DAY + st.start_minute - e < gap]
            if not early:
                continue
            today = sum(n[(lead, d, s)] for s in early)
            if d == 0:
                model.add(today <= size - sum(1 for s in previous if s in late))
            else:
                model.add(sum(n[(lead, d - 1, s)] for s in late) + today <= size)


def _under_contract_terms(
    model: cp_model.CpModel,
    problem: RosterProblem,
    groups: dict[tuple[str, bool], list],
    n: dict[tuple[tuple[str, bool], int, int], cp_model.IntVar],
    leave: dict[str, set[date]],
) -> list[cp_model.LinearExprT]:
    """R5 soft in aggregate per group: 60 x U_g >= the group's contract - its paid minutes (a
    valid under-estimate: every person's started hours below contract sum to at least that).
    Per group, not centre-wide: summed over everyone, hours the leads do not work cost nothing
    when others work them, and a relaxation that spent the leads' hours on others (at
    100 agents, 477 lead shifts where another optimum had 831) left the first roster's leads
    far below contract and too few to lead their teams (R2)."""
    policy, days, shifts = problem.policy, problem.days(), problem.shift_types
    weight = policy.roster.weights.hours_under_contract
    terms: list[cp_model.LinearExprT] = []
    for g, members in groups.items():
        contract = sum(contract_minutes(p, len(days), len(leave[p.key])) for p in members)
        paid = sum(paid_minutes(shifts[s], policy) * var for (h, _, s), var in n.items() if h == g)
        short = model.new_int_var(0, contract // 60 + 1, f"under_contract_{g[0]}_{int(g[1])}")
        model.add(60 * short >= contract - paid)
        terms.append(weight * short)
    return terms


def _previous_coverage(problem: RosterProblem) -> dict[int, tuple[int, int]]:
    """(agents, leads) of the previous period on duty per slot of this period."""
    per_day, minutes = problem.intervals_per_day, problem.interval_minutes
    codes = {s.code: s for s in problem.shift_types}
    people = {p.key: p for p in problem.people}
    out: dict[int, tuple[int, int]] = {}
    for a in problem.previous:
        if a.person not in people or a.day >= problem.start:
            continue
        back = (problem.start - a.day).days
        lead = people[a.person].can_lead(problem.policy.roster.senior_grade)
        for offset, index in shift_slots(codes[a.shift], minutes):
            if offset >= back:
                slot = (offset - back) * per_day + index
                agents, leads = out.get(slot, (0, 0))
                out[slot] = (agents + 1, leads + int(lead))
    return out


def _team_leads(
    model: cp_model.CpModel,
    problem: RosterProblem,
    covering: list[tuple[tuple[str, bool], cp_model.IntVar]],
    fixed: dict[str, tuple[int, int]],
) -> None:
    """R2 per team, exact in counts: non-leads on duty <= their number x leads on duty."""
    teams = {g[0] for g, _ in covering}
    for team in teams:
        others = [v for g, v in covering if g == (team, False)]
        leads = [v for g, v in covering if g == (team, True)]
        agents, lead_count = fixed.get(team, (0, 0))
        if lead_count or not (others or agents):
            continue
        size = sum(1 for p in problem.people if p.team == team) + agents
        model.add(sum(others) + agents <= size * sum(leads))


def _previous_team_coverage(problem: RosterProblem) -> dict[int, dict[str, tuple[int, int]]]:
    """Per slot and team: (non-leads, leads) of the previous period still on duty."""
    per_day, minutes = problem.intervals_per_day, problem.interval_minutes
    codes = {s.code: s for s in problem.shift_types}
    people = {p.key: p for p in problem.people}
    out: dict[int, dict[str, tuple[int, int]]] = {}
    for a in problem.previous:
        person = people.get(a.person)
        if person is None or a.day >= problem.start:
            continue
        back = (problem.start - a.day).days
        lead = person.can_lead(problem.policy.roster.senior_grade)
        for offset, index in shift_slots(codes[a.shift], minutes):
            if offset >= back:
                slot = (offset - back) * per_day + index
                agents, leads = out.setdefault(slot, {}).get(person.team, (0, 0))
                out[slot][person.team] = (agents + int(not lead), leads + int(lead))
    return out
