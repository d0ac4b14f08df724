"""The decision variables of the roster model, behind query methods.

`x(p, d, s)` is true when person p starts shift type s on day d. A variable exists only for the
shift types the person has the skills for (G5), so skills need no constraint. Indices are
positions in `problem.people`, `problem.days()` and `problem.shift_types`; a slot is a global
interval index `day * intervals_per_day + interval`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from ortools.sat.python import cp_model

from rules.roster.common import shift_slots
from rules.snapshot import ShiftType
from solver.problem import RosterProblem

#: A decision variable, or the constant 1 for a pinned person-day in an LNS sub-model.
Lit = cp_model.IntVar | int


class RosterVars:
    def __init__(
        self, model: cp_model.CpModel, problem: RosterProblem, fixed_as_constants: bool = False
    ) -> None:
        self.model = model
        self.problem = problem
        self.days: list[date] = problem.days()
        self.day_index = {d: i for i, d in enumerate(self.days)}
        self.person_index = {p.key: i for i, p in enumerate(problem.people)}
        self.shift_index = {s.code: i for i, s in enumerate(problem.shift_types)}
        self.per_day = problem.intervals_per_day
        self._x: dict[tuple[int, int, int], Lit] = {}
        self._on_day: dict[tuple[int, int], list[tuple[int, Lit]]] = defaultdict(list)
        # Decision variables covering each slot; pinned shifts (the constant 1) apart, as
        # person indices like the previous period's: encoders count those, not loop on them.
        self._covering: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        self._pinned_covering: dict[int, list[int]] = defaultdict(list)
        self._previous_covering: dict[int, list[int]] = defaultdict(list)
        self._of_person: dict[int, list[tuple[int, int, Lit]]] = defaultdict(list)
        self._works: dict[tuple[int, int], cp_model.LinearExprT] = {}
        # Pinned person-days become the constant 1 (no variable) when building LNS sub-models.
        self._fixed_as_constants = fixed_as_constants
        self._create()

    def _create(self) -> None:
        minutes = self.problem.interval_minutes
        n_slots = len(self.days) * self.per_day
        per_day = self.per_day
        reach = self._reach = {
            st.code: [offset * per_day + index for offset, index in shift_slots(st, minutes)]
            for st in self.problem.shift_types
        }
        for p, person in enumerate(self.problem.people):
            allowed = [
                (s, st)
                for s, st in enumerate(self.problem.shift_types)
                if st.required_skills <= person.skills
            ]
            for d, day in enumerate(self.days):
                for s, st in self._candidates(person.key, day, allowed):
                    var: Lit
                    if (person.key, day) in self.problem.fixed and self._fixed_as_constants:
                        var = 1
                    else:
                        var = self.model.new_bool_var(f"x_{person.key}_{day.isoformat()}_{st.code}")
                    self._x[(p, d, s)] = var
                    self._on_day[(p, d)].append((s, var))
                    self._of_person[p].append((d, s, var))
                    base = d * per_day
                    if isinstance(var, int):
                        for rel in reach[st.code]:
                            if base + rel < n_slots:
                                self._pinned_covering[base + rel].append(p)
                    else:
                        entry = (p, var)
                        for rel in reach[st.code]:
                            if base + rel < n_slots:
                                self._covering[base + rel].append(entry)
        for a in self.problem.previous:
            p_idx = self.person_index.get(a.person)
            if p_idx is None or a.day >= self.problem.start:
                continue
            st = self.problem.shift_types[self.shift_index[a.shift]]
            back = (self.problem.start - a.day).days
            for offset, index in shift_slots(st, minutes):
                if offset - back >= 0:
                    slot = (offset - back) * self.per_day + index
                    if slot < n_slots:
                        self._previous_covering[slot].append(p_idx)

    def _candidates(
        self, key: str, day: date, allowed: list[tuple[int, ShiftType]]
    ) -> list[tuple[int, ShiftType]]:
        if not self._fixed_as_constants or (key, day) not in self.problem.fixed:
            return allowed
        code = self.problem.fixed[(key, day)]
        return [(s, st) for s, st in allowed if st.code == code]

    # -- queries -------------------------------------------------------------------------
    def x(self, p: int, d: int, s: int) -> Lit | None:
        return self._x.get((p, d, s))

    def shifts_on(self, p: int, d: int) -> list[tuple[int, Lit]]:
        """(shift index, variable) of every shift person p may start on day d."""
        return self._on_day.get((p, d), [])

    def works(self, p: int, d: int) -> cp_model.LinearExprT:
        """1 when person p starts a shift on day d (R1 keeps it 0/1); a plain int for a
        pinned day. Remembered: R4 asks for each day in every window that holds it."""
        key = (p, d)
        found = self._works.get(key)
        if found is None:
            on = [v for _, v in self.shifts_on(p, d)]
            pinned = all(isinstance(v, int) for v in on)
            found = sum(on) if pinned else cp_model.LinearExpr.sum(on)
            self._works[key] = found
        return found

    def of_person(self, p: int) -> list[tuple[int, int, Lit]]:
        return self._of_person.get(p, [])

    def covering(self, slot: int) -> list[tuple[int, cp_model.IntVar]]:
        """(person index, variable) of every shift that may cover the slot (decision
        variables only: see `pinned_covering`)."""
        return self._covering.get(slot, [])

    def slots_covered(self, d: int, s: int) -> list[int]:
        """The slots of the period a shift of type s started on day d covers."""
        base, n_slots = d * self.per_day, self.n_slots()
        code = self.problem.shift_types[s].code
        return [base + rel for rel in self._reach[code] if base + rel < n_slots]

    def pinned_covering(self, slot: int) -> list[int]:
        """Person indices whose pinned shift (an LNS sub-model's constant) covers the slot."""
        return self._pinned_covering.get(slot, [])

    def previous_covering(self, slot: int) -> list[int]:
        """Person indices whose previous-period shift reaches into the slot."""
        return self._previous_covering.get(slot, [])

    def n_slots(self) -> int:
        return len(self.days) * self.per_day

    def slot_day(self, slot: int) -> date:
        return self.days[slot // self.per_day]

    def slot_of(self, day: date, index: int) -> int:
        return self.day_index[day] * self.per_day + index

    def items(self) -> list[tuple[tuple[int, int, int], Lit]]:
        return list(self._x.items())

    def previous_days_worked(self, p: int) -> set[date]:
        key = self.problem.people[p].key
        return {a.day for a in self.problem.previous if a.person == key}

    def day_of(self, d: int) -> date:
        return self.days[d]

    def shift_days_ahead(self) -> int:
        """How many days a rest rule may look ahead (longest shift + rest, in days)."""
        longest = max((s.end_minute for s in self.problem.shift_types), default=0)
        rest = round(self.problem.policy.roster.min_rest_hours * 60)
        return (longest + rest) // (24 * 60) + 1

    def window_days(self, d: int, span: int) -> list[int]:
        return [i for i in range(d, d + span) if 0 <= i < len(self.days)]

    def date_plus(self, day: date, n: int) -> date:
        return day + timedelta(days=n)
