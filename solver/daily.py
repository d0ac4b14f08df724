"""A first roster day by day: one small CP-SAT assignment per day, guided by the relaxation.

Each day, who works which shift is chosen jointly for the whole centre (a person-by-shift
assignment), not one person at a time: every candidate pair already respects R1/R10 (rest after
yesterday), R3, R4, R5, R6 and G5 given the days before; R2 is a constraint of the day model
(a non-lead of a team works only intervals a lead of the team covers, counting shifts placed
earlier); the objective is the day's R9 coverage (and the next morning's, net of what the
relaxation plans to start then), S1 holes priced far above it, deviation from the relaxation's
counts for the day (which follow aggregate rest, weekly days off, hours and nights, so keeping
to them keeps the next days possible) and small per-person terms: preferences, and who still
owes the most contract hours for the days they have left.

Every choice is hard-rule safe, so the result passes the checkers' hard rules except S1 where
nobody could be placed (the search then starts there).
"""

from __future__ import annotations

import copy
import math
import time
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np
from ortools.sat.python import cp_model
from scipy.optimize import linear_sum_assignment

from rules.roster.common import min_staff_at, shift_slots
from rules.snapshot import Assignment, ShiftType
from solver.construct import DAY, _Greedy, _State
from solver.problem import RosterProblem

#: People per (team, is lead, shift code): a variable or a sum of them.
CountMap = Mapping[tuple[str, bool, str], Any]
#: Price of one interval below S1's floor in the day model (above any coverage trade).
S1_PRICE = 100_000
#: Up to this many person x shift pairs a day, who works what is one CP-SAT model; above it,
#: counts first (CP-SAT), then names (a min-cost assignment per group).
PERSON_MODEL_MAX = 600
#: Up to this many people, the day model's hint is what the greedy would place (else the
#: relaxation's counts shared among teams).
GREEDY_HINT_MAX_PEOPLE = 300
#: Price of one lead shift a day above the team's leads' pace (see `_lead_pace`).
LEAD_PACE_PRICE = 150
#: A typical shift's paid minutes, for the pace in shifts.
SHIFT_MINUTES = 480
#: Price of one person more or fewer than the relaxation planned for a (group, day, shift).
TARGET_PRICE = 40
#: Shift types tried, nearest first, for a count the day model asked for but nobody can take.
STAND_IN_SHIFTS = 5
#: Times a day model that ended far above its bound (see `_far_above`) is solved again, each
#: with twice the time.
RETRIES = 2
#: A day model's result this far above its bound, and more than its bound again, is a search
#: cut short, not a hard day: measured at 100 agents, days at 0.5 s mostly end within 30 % of
#: their bound, a few 3-20 times above it (the first roster then costs 5-15 % more).
FAR_ABOVE = 1000
#: Share of an even split of the time that every day gets even when the days before (their
#: retries) have spent the rest: the construction then ends late, which the search absorbs,
#: where a day left 0.05 s put S1 holes in the last days (at 250 agents, 2 of 8 first
#: rosters cost 199,000-239,000 against 158,000-161,000).
MIN_DAY_SHARE = 0.6


def _solve_day_model(
    model: cp_model.CpModel,
    starts: list[dict[cp_model.IntVar, int]],
    time_limit_s: float,
    workers: int,
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    """Solve a day model from the best of some starting counts. Each start gives only the
    counts; with them fixed, the rest (coverage slack, deviations) is completed in a few
    milliseconds, and the cheapest whole solution becomes the hint. So the search never ends
    worse than its best start: with a short time limit it could otherwise stop at a poor early
    solution, and a day left under-covered stays so (later days cannot make up for it)."""
    best: tuple[float, list[int]] | None = None
    for start in starts:
        model.clear_hints()
        for var, value in start.items():
            model.add_hint(var, value)
        probe = cp_model.CpSolver()
        probe.parameters.fix_variables_to_their_hinted_value = True
        probe.parameters.max_time_in_seconds = max(0.05, 0.5 * time_limit_s / len(starts))
        probe.parameters.num_workers = 1
        found = probe.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if found and (best is None or probe.objective_value < best[0]):
            best = (probe.objective_value, _values(model, probe))
    model.clear_hints()
    if best is not None:
        _hint_all(model, best[1])
    elif starts:  # no start completed in time: the counts of the first one, as they are
        for var, value in starts[0].items():
            model.add_hint(var, value)
    solver, status = _solve(model, time_limit_s, workers)
    for _ in range(RETRIES):
        # Far above the bound after the time given is a search that ran out of time, not a
        # day that must stay short: the next days cannot make up for it, so it gets more
        # time, from what it found.
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if found and not _far_above(solver.objective_value, solver.best_objective_bound):
            break
        if found:
            model.clear_hints()
            _hint_all(model, _values(model, solver))
        time_limit_s *= 2
        solver, status = _solve(model, time_limit_s, workers)
    return solver, status


def _far_above(objective: float, bound: float) -> bool:
    """More than twice the bound and `FAR_ABOVE` over it (a whole S1 hole always is)."""
    return objective - bound > max(FAR_ABOVE, bound)


def _solve(
    model: cp_model.CpModel, time_limit_s: float, workers: int
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    solver.parameters.relative_gap_limit = 0.01
    return solver, solver.solve(model)


def _values(model: cp_model.CpModel, solved: cp_model.CpSolver) -> list[int]:
    """Every variable's value in the solver's solution, in the model's order."""
    return [
        solved.value(model.get_int_var_from_proto_index(k))
        for k in range(len(model.proto.variables))
    ]


def _hint_all(model: cp_model.CpModel, values: list[int]) -> None:
    for k, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(k), value)


def construct_daily(
    problem: RosterProblem,
    counts: dict[tuple[str, bool, date, str], int],
    time_limit_s: float = 30.0,
    workers: int = 1,
) -> list[Assignment]:
    """A hard-feasible roster (S1 aside) close to `counts` (see `solver.relaxation`)."""
    return _Daily(problem).run(counts, time.monotonic() + time_limit_s, workers)


class _Daily(_Greedy):
    def run(  # type: ignore[override]
        self,
        counts: dict[tuple[str, bool, date, str], int],
        deadline: float,
        workers: int,
    ) -> list[Assignment]:
        p = self.problem
        n_days = len(self.days)
        self.need_of = self._needs()
        # Intervals of a day that shifts starting that day can cover.
        self.reach = {
            k for s in p.shift_types for off, k in shift_slots(s, p.interval_minutes) if off == 0
        }
        self.have: dict[int, int] = defaultdict(int)  # slot -> agents on duty so far
        for a in p.previous:
            if a.day >= p.start or a.person not in self.states:
                continue
            back = (p.start - a.day).days
            for offset, index in shift_slots(self.shifts[a.shift], p.interval_minutes):
                if offset >= back:
                    self.have[(offset - back) * self.per_day + index] += 1
        for (d, k), v in p.external_coverage.items():
            if p.start <= d <= p.end:
                self.have[(d - p.start).days * self.per_day + k] += v
        self.free_days_left = {
            key: sum(1 for d in self.days if (key, d) not in self.leave) for key in self.states
        }
        planned: dict[int, dict[tuple[str, bool, str], int]] = defaultdict(dict)
        for (team, lead, day, code), k in counts.items():
            planned[(day - p.start).days][(team, lead, code)] = k
        floor = MIN_DAY_SHARE * max(0.0, deadline - time.monotonic()) / max(1, n_days)
        for i, day in enumerate(self.days):
            taken: set[str] = set()
            n_before = len(self.out)
            self._place_fixed(i, day, taken)
            for a in self.out[n_before:]:
                self._cover(i, self.shifts[a.shift])
            left = max(0.05, floor, (deadline - time.monotonic()) / (n_days - i))
            if len(self.states) * len(self.shifts) <= PERSON_MODEL_MAX:
                self._solve_day_people(i, day, taken, planned, left, workers)
            else:
                self._solve_day(i, day, taken, planned, left, workers)
            for st in self.states.values():
                if st.last_start is None or st.last_start // DAY != i:
                    st.run = 0
                if (st.person.key, day) not in self.leave:
                    self.free_days_left[st.person.key] -= 1
        return self.out

    def _needs(self) -> dict[int, tuple[int, int]]:
        """(requirement incl. floor, S1 floor) per slot of the period."""
        p, out = self.problem, {}
        floor = p.policy.service.min_staff_per_interval
        for d, day in enumerate(self.days):
            for k in range(self.per_day):
                need = max(p.requirement.get((day, k), 0), floor)
                s1 = (
                    min_staff_at(p.start, p.shift_types, p.interval_minutes, p.policy, day, k)
                    if p.enforce_min_staff
                    else 0
                )
                out[d * self.per_day + k] = (need, s1)
        return out

    def _cover(self, i: int, shift: ShiftType) -> None:
        for slot in self._slots(i, shift):
            self.have[slot] += 1

    def _solve_day_people(
        self,
        i: int,
        day: date,
        taken: set[str],
        planned: dict[int, dict[tuple[str, bool, str], int]],
        time_limit_s: float,
        workers: int,
    ) -> None:
        """Small teams: who works which shift today, as one CP-SAT model."""
        model = cp_model.CpModel()
        shifts = list(self.shifts.values())
        z: dict[tuple[str, str], cp_model.IntVar] = {}
        by_person: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        groups: dict[tuple[str, bool, str], list[cp_model.IntVar]] = defaultdict(list)
        cost: list[cp_model.LinearExprT] = []
        for key, st in self.states.items():
            if key in taken:
                continue
            urgency = self._urgency(st)
            for shift in shifts:
                if not self._allowed(i, day, shift, st, lead_check=False):
                    continue
                var = model.new_bool_var(f"z_{key}_{shift.code}")
                z[(key, shift.code)] = var
                by_person[key].append(var)
                groups[(st.person.team, st.lead, shift.code)].append(var)
                price = self._price(i, day, shift, st, urgency)
                if price:
                    cost.append(price * var)
        if not z:
            return
        for lits in by_person.values():
            if len(lits) > 1:
                model.add_at_most_one(lits)
        count: dict[tuple[str, bool, str], Any] = {g: sum(lits) for g, lits in groups.items()}
        code_slots = {s.code: self._slots(i, s) for s in shifts}
        self._coverage(model, i, count, code_slots, planned, cost)
        self._shift_lead(model, count, code_slots)
        self._targets(model, i, count, planned, cost)
        self._lead_pace(model, count, cost)
        model.minimize(sum(cost))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit_s
        solver.parameters.num_workers = workers
        solver.parameters.relative_gap_limit = 0.01
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self._fallback(i, day, taken, planned)
            return
        for (key, code), var in z.items():
            if solver.boolean_value(var):
                self._assign(i, day, self.shifts[code], self.states[key])
                self._cover(i, self.shifts[code])

    def _coverage(
        self,
        model: cp_model.CpModel,
        i: int,
        count: CountMap,
        code_slots: dict[str, list[int]],
        planned: dict[int, dict[tuple[str, bool, str], int]],
        cost: list[cp_model.LinearExprT],
    ) -> None:
        """R9 of today's intervals and of tomorrow's that today's shifts reach (net of what
        the relaxation starts tomorrow there); S1 holes priced far above."""
        covering: dict[int, list[Any]] = defaultdict(list)
        for (_, _, code), var in count.items():
            for slot in code_slots[code]:
                covering[slot].append(var)
        tomorrow = self._tomorrow_plan(i, planned)
        w = self.policy.roster.weights
        for slot, terms in covering.items():
            need, s1 = self.need_of[slot]
            base = self.have[slot]
            if slot // self.per_day > i and slot % self.per_day in self.reach:
                need = max(0, need - tomorrow.get(slot, 0))  # tomorrow's shifts may cover it
                s1 = 0
            under = model.new_int_var(0, max(0, need), f"u_{slot}")
            over = model.new_int_var(0, len(self.states) + base + 1, f"o_{slot}")
            model.add(sum(terms) + base + under - over == need)
            cost += [w.coverage_under * under, w.coverage_over * over]
            if s1 > base:
                hole = model.new_int_var(0, s1, f"h_{slot}")
                model.add(sum(terms) + base + hole >= s1)
                cost.append(S1_PRICE * hole)

    def _solve_day(
        self,
        i: int,
        day: date,
        taken: set[str],
        planned: dict[int, dict[tuple[str, bool, str], int]],
        time_limit_s: float,
        workers: int,
    ) -> None:
        """Stage 1: how many of each (team, is lead) group start each shift (a small CP-SAT
        model with exact R2 and coverage); stage 2: who, by a min-cost assignment per group."""
        shifts = list(self.shifts.values())
        # group -> code -> people who may take it today
        elig: dict[tuple[str, bool], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for key, st in self.states.items():
            if key in taken:
                continue
            for shift in shifts:
                if self._allowed(i, day, shift, st, lead_check=False):
                    elig[(st.person.team, st.lead)][shift.code].append(key)
        if not elig:
            return
        model = cp_model.CpModel()
        count: dict[tuple[str, bool, str], cp_model.IntVar] = {}
        able: dict[tuple[str, bool, str], int] = {}
        hints = [self._split_counts(i, elig, planned)]
        if len(self.states) <= GREEDY_HINT_MAX_PEOPLE:
            hints.append(self._greedy_counts(i, day, taken, planned))
        for g, by_code in elig.items():
            for code, keys in by_code.items():
                var = model.new_int_var(0, len(keys), f"n_{g[0]}_{int(g[1])}_{code}")
                count[(g[0], g[1], code)] = var
                able[(g[0], g[1], code)] = len(keys)
            self._hall(model, g, by_code, count)
        # (Not `var.proto.domain[-1]`: OR-Tools' proto fields do not index from the end, and
        # every start was silently all zeros.)
        starts = [{var: min(able[g], hint.get(g, 0)) for g, var in count.items()} for hint in hints]
        code_slots = {s.code: self._slots(i, s) for s in shifts}
        cost: list[cp_model.LinearExprT] = []
        self._coverage(model, i, count, code_slots, planned, cost)
        self._shift_lead(model, count, code_slots)
        self._targets(model, i, count, planned, cost)
        self._lead_pace(model, count, cost)
        self._requests(model, day, elig, count, cost)
        model.minimize(sum(cost))
        solver, status = _solve_day_model(model, starts, time_limit_s, workers)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self._fallback(i, day, taken, planned)  # no time to even load the model
            return
        want = {g: int(solver.value(v)) for g, v in count.items()}
        # Leads first: the intervals they cover open the way for their team (R2).
        unplaced: list[str] = []
        for lead in (True, False):
            for g, by_code in elig.items():
                if g[1] == lead:
                    unplaced += self._name(i, day, g, by_code, want)
        for code in unplaced:
            self._stand_in(i, day, self.shifts[code], taken)

    def _greedy_counts(
        self,
        i: int,
        day: date,
        taken: set[str],
        planned: dict[int, dict[tuple[str, bool, str], int]],
    ) -> dict[tuple[str, bool, str], int]:
        """What the one-at-a-time greedy would place today, per (team, is lead, shift): the
        day model's hint (found on a copy, nothing is placed)."""
        probe = copy.copy(self)
        probe.states = copy.deepcopy(self.states)
        probe.lead_cover = copy.deepcopy(self.lead_cover)
        probe.out = []
        todo = [(t, lead, self.shifts[c], k) for (t, lead, c), k in planned.get(i, {}).items()]
        probe._greedy_day(i, day, todo, set(taken))
        out: dict[tuple[str, bool, str], int] = defaultdict(int)
        for a in probe.out:
            st = self.states[a.person]
            out[(st.person.team, st.lead, a.shift)] += 1
        return out

    def _split_counts(
        self,
        i: int,
        elig: dict[tuple[str, bool], dict[str, list[str]]],
        planned: dict[int, dict[tuple[str, bool, str], int]],
    ) -> dict[tuple[str, bool, str], int]:
        """The relaxation's counts for today shared among teams by who may take each shift
        (the day model's hint on large centres, where the greedy is too slow). Leads first;
        a team's non-leads then only get shifts its leads cover (R2), so the hint is a
        solution of the day model, not just a guess."""
        out: dict[tuple[str, bool, str], int] = defaultdict(int)
        room = {
            g: len({k for keys in by_code.values() for k in keys}) for g, by_code in elig.items()
        }
        cover: dict[str, set[int]] = {}
        for (team, lead, code), k in sorted(
            planned.get(i, {}).items(), key=lambda kv: not kv[0][1]
        ):
            slots = self._slots(i, self.shifts[code])
            if not lead and not cover:  # the leads are shared out: what each team covers
                for t in {g[0] for g in elig}:
                    cover[t] = set(self.lead_cover[t])
                for (t, is_lead, c), n in out.items():
                    if is_lead and n:
                        cover[t].update(self._slots(i, self.shifts[c]))
            groups = [
                g
                for g in elig
                if g[1] == lead
                and (not team or g[0] == team)
                and (lead or all(s in cover[g[0]] for s in slots))
            ]
            able = {g: min(len(elig[g].get(code, [])), room[g]) for g in groups}
            total = sum(able.values())
            left = min(k, total)
            for g in sorted(groups, key=lambda g: -able[g]):
                if left <= 0:
                    break
                share = min(able[g], left, -(-k * able[g] // total))
                out[(g[0], g[1], code)] += share
                room[g] -= share
                left -= share
        return dict(out)

    def _fallback(
        self,
        i: int,
        day: date,
        taken: set[str],
        planned: dict[int, dict[tuple[str, bool, str], int]],
    ) -> None:
        """The day model found nothing in its time: the relaxation's counts, named greedily."""
        n_before = len(self.out)
        todo = [(t, lead, self.shifts[c], k) for (t, lead, c), k in planned.get(i, {}).items()]
        self._greedy_day(i, day, todo, set(taken))
        for a in self.out[n_before:]:
            self._cover(i, self.shifts[a.shift])

    def _hall(
        self,
        model: cp_model.CpModel,
        g: tuple[str, bool],
        by_code: dict[str, list[str]],
        count: CountMap,
    ) -> None:
        """Counts one group can staff: for shifts starting up to (from) some time, at most the
        people who may take one of them; at most one shift a person."""
        codes = sorted(by_code, key=lambda c: self.shifts[c].start_minute)
        everyone = {k for keys in by_code.values() for k in keys}
        model.add(sum(count[(g[0], g[1], c)] for c in codes) <= len(everyone))
        for part in range(1, len(codes)):
            for chunk in (codes[:part], codes[part:]):
                able = {k for c in chunk for k in by_code[c]}
                if len(able) < len(everyone):
                    model.add(sum(count[(g[0], g[1], c)] for c in chunk) <= len(able))

    def _name(
        self,
        i: int,
        day: date,
        g: tuple[str, bool],
        by_code: dict[str, list[str]],
        want: dict[tuple[str, bool, str], int],
    ) -> list[str]:
        """Stage 2: people for the group's counts, cheapest first (a min-cost assignment);
        returns the shift codes of counts nobody could take."""
        rows = [c for c in sorted(by_code) for _ in range(want.get((g[0], g[1], c), 0))]
        if not rows:
            return []
        people = sorted({k for keys in by_code.values() for k in keys})
        big = 10**9
        table = np.full((len(rows), len(people)), big, dtype=np.int64)
        col = {k: j for j, k in enumerate(people)}
        for code in set(rows):
            shift = self.shifts[code]
            prices = {}
            for key in by_code[code]:
                st = self.states[key]
                if not st.lead and not self._allowed(i, day, shift, st):
                    continue  # R2: no lead of the team covers every interval of the shift
                prices[key] = self._price(i, day, shift, st, self._urgency(st))
            for r, c in enumerate(rows):
                if c == code:
                    for key, price in prices.items():
                        table[r, col[key]] = price
        chosen_rows, chosen_cols = linear_sum_assignment(table)
        unplaced = []
        for r, j in zip(chosen_rows, chosen_cols, strict=True):
            if table[r, j] >= big:
                unplaced.append(rows[r])
                continue
            shift = self.shifts[rows[r]]
            self._assign(i, day, shift, self.states[people[j]])
            self._cover(i, shift)
        return unplaced

    def _stand_in(self, i: int, day: date, wanted: ShiftType, taken: set[str]) -> None:
        """A count nobody of its group can fill as it is (the day model's Hall conditions see
        only runs of start times, and R2 only in counts): someone still free today, of any
        team, on the nearest shift they may take, the same length first. An empty shift would
        leave its intervals short, and the days after cannot make up for it."""
        free = [
            st
            for key, st in self.states.items()
            if key not in taken and (st.last_start is None or st.last_start // DAY != i)
        ]
        options = sorted(
            self.shifts.values(),
            key=lambda s: (
                s.length_minutes != wanted.length_minutes,
                abs(s.start_minute - wanted.start_minute),
            ),
        )
        for shift in options[:STAND_IN_SHIFTS]:
            able = [st for st in free if self._allowed(i, day, shift, st)]
            if able:
                st = min(able, key=lambda st: self._price(i, day, shift, st, self._urgency(st)))
                self._assign(i, day, shift, st)
                self._cover(i, shift)
                return

    def _urgency(self, st: _State) -> float:
        """Shifts still owed to reach the contract per free day left (about 0..1)."""
        owed = max(0, st.contract - st.paid) / 490
        return owed / max(1, self.free_days_left[st.person.key])

    def _price(self, i: int, day: date, shift: ShiftType, st: _State, urgency: float) -> int:
        key = st.person.key
        price = -round(30 * urgency)
        if (key, day) in self.prefs_off:
            price += self.policy.roster.weights.preference_day_off
        if self.prefs_shift.get((key, day)) == shift.code:
            price -= self.policy.roster.weights.preference_shift
        if self._night(shift):
            price += 2 * st.nights
        if st.last_start is not None and st.last_start // DAY == i - 1:
            # Keep start times steady: a later start never limits tomorrow more than today.
            drift = (i * DAY + shift.start_minute - st.last_start) - DAY
            price += abs(drift) // 60
        return price

    def _tomorrow_plan(
        self, i: int, planned: dict[int, dict[tuple[str, bool, str], int]]
    ) -> dict[int, int]:
        """Agents the relaxation starts tomorrow, per slot they cover."""
        out: dict[int, int] = defaultdict(int)
        if i + 1 >= len(self.days):
            return out
        for (_, _, code), k in planned.get(i + 1, {}).items():
            for slot in self._slots(i + 1, self.shifts[code]):
                out[slot] += k
        return out

    def _shift_lead(
        self,
        model: cp_model.CpModel,
        count: CountMap,
        code_slots: dict[str, list[int]],
    ) -> None:
        """R2: a team's non-leads placed today work only where a lead of the team is on duty
        (a lead placed earlier, or one placed today)."""
        teams = {t for t, _, _ in count}
        for team in teams:
            others: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            leads: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for (t, lead, code), var in count.items():
                if t != team:
                    continue
                for slot in code_slots[code]:
                    (leads if lead else others)[slot].append(var)
            size = sum(1 for st in self.states.values() if st.person.team == team)
            cover = self.lead_cover[team]
            for slot, terms in others.items():
                if slot in cover:
                    continue
                model.add(sum(terms) <= size * sum(leads.get(slot, [])))

    def _lead_pace(
        self, model: cp_model.CpModel, count: CountMap, cost: list[cp_model.LinearExprT]
    ) -> None:
        """Soft: a team's leads start no more shifts today than their contract hours still
        owed allow per day left. R2 asks for a lead of the team wherever its people work, which
        the centre-wide relaxation does not see; without a pace the leads are spent early and
        the month's last days cannot be staffed."""
        leads: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for (team, lead, _), var in count.items():
            if lead:
                leads[team].append(var)
        for team, terms in leads.items():
            owed = [
                max(0, st.contract - st.paid) / max(1, self.free_days_left[key])
                for key, st in self.states.items()
                if st.lead and st.person.team == team
            ]
            budget = math.ceil(sum(owed) / SHIFT_MINUTES)
            excess = model.new_int_var(0, len(terms) * len(self.states), f"pace_{team}")
            model.add(excess >= sum(terms) - budget)
            cost.append(LEAD_PACE_PRICE * excess)

    def _requests(
        self,
        model: cp_model.CpModel,
        day: date,
        elig: dict[tuple[str, bool], dict[str, list[str]]],
        count: CountMap,
        cost: list[cp_model.LinearExprT],
    ) -> None:
        """R8 as the counts see it (names come later): a group working more people today than
        it has free people who did not ask for the day off refuses the difference; a shift
        given fewer people of a group than asked for it leaves the difference unmet."""
        w = self.policy.roster.weights
        for g, by_code in elig.items():
            able = {k for keys in by_code.values() for k in keys}
            asked = [k for k in able if (k, day) in self.prefs_off]
            if asked:
                working = sum(count[(g[0], g[1], c)] for c in by_code)
                refused = model.new_int_var(0, len(asked), f"r8_off_{g[0]}_{int(g[1])}")
                model.add(refused >= working - (len(able) - len(asked)))
                cost.append(w.preference_day_off * refused)
            for code, keys in by_code.items():
                wish = sum(1 for k in keys if self.prefs_shift.get((k, day)) == code)
                if wish:
                    unmet = model.new_int_var(0, wish, f"r8_{g[0]}_{int(g[1])}_{code}")
                    model.add(unmet >= wish - count[(g[0], g[1], code)])
                    cost.append(w.preference_shift * unmet)

    def _targets(
        self,
        model: cp_model.CpModel,
        i: int,
        count: CountMap,
        planned: dict[int, dict[tuple[str, bool, str], int]],
        cost: list[cp_model.LinearExprT],
    ) -> None:
        """Soft: place what the relaxation planned for the day, per (group, shift)."""
        plan = planned.get(i, {})
        by_team = any(team for team, _, _ in plan)
        by_group: dict[tuple[str, bool, str], list[cp_model.IntVar]] = defaultdict(list)
        for (team, lead, code), var in count.items():
            # The relaxation's groups are (team, is lead), or ("", is lead) for the centre.
            by_group[(team if by_team else "", lead, code)].append(var)
        for g in set(by_group) | set(plan):
            k = plan.get(g, 0)
            if not k and g not in by_group:
                continue
            got = sum(by_group.get(g, []))
            dev = model.new_int_var(0, len(self.states), f"dev_{g[0]}_{int(g[1])}_{g[2]}")
            model.add(dev >= got - k)
            model.add(dev >= k - got)
            cost.append(TARGET_PRICE * dev)
