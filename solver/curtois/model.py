"""CP-SAT model of the Curtois & Qu shift-scheduling problem.

One builder serves both the full model and the large-neighbourhood sub-problems: it models a
subset of employees over a day window [lo, hi) and treats every other (employee, day) as a
constant taken from the current assignment. With all employees and the whole horizon it is the
complete model and its objective equals the benchmark objective exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from solver.curtois.instance import Instance, weekend_days

OFF = -1
# A literal is either a CP-SAT Boolean (possibly negated) or a Python constant.
Lit = cp_model.IntVar | bool | cp_model.LiteralT


@dataclass(frozen=True)
class ProblemData:
    """Integer-indexed arrays of an instance: employees e, days d, shift types s."""

    inst: Instance
    minutes: NDArray[np.int64]  # [s]
    forbidden: tuple[tuple[int, int], ...]  # (s on day d, s' on day d+1)
    allowed: tuple[tuple[int, ...], ...]  # [e] -> shift types with MaxShifts > 0
    day_off: NDArray[np.bool_]  # [e, d]
    on_weight: NDArray[np.int64]  # [e, d, s]
    off_weight: NDArray[np.int64]  # [e, d, s]
    requirement: NDArray[np.int64]  # [d, s]
    weight_under: NDArray[np.int64]  # [d, s]
    weight_over: NDArray[np.int64]  # [d, s]
    max_shifts: NDArray[np.int64]  # [e, s]: MaxShifts
    emp_index: dict[str, int] = field(hash=False)
    shift_index: dict[str, int] = field(hash=False)

    @property
    def n_employees(self) -> int:
        return len(self.inst.staff)

    @property
    def horizon(self) -> int:
        return self.inst.horizon


def problem_data(inst: Instance) -> ProblemData:
    emp = {s.id: i for i, s in enumerate(inst.staff)}
    sh = {s.id: i for i, s in enumerate(inst.shifts)}
    n_e, n_d, n_s = len(emp), inst.horizon, len(sh)
    forbidden = tuple((sh[s.id], sh[b]) for s in inst.shifts for b in s.not_next)
    allowed = tuple(
        tuple(sh[sid] for sid in inst.shift_ids if st.max_shifts[sid] > 0) for st in inst.staff
    )
    day_off = np.zeros((n_e, n_d), dtype=bool)
    for e, days in inst.days_off.items():
        day_off[emp[e], sorted(days)] = True
    on_w = np.zeros((n_e, n_d, n_s), dtype=np.int64)
    off_w = np.zeros((n_e, n_d, n_s), dtype=np.int64)
    for r in inst.on_requests:
        on_w[emp[r.employee], r.day, sh[r.shift]] += r.weight
    for r in inst.off_requests:
        off_w[emp[r.employee], r.day, sh[r.shift]] += r.weight
    req = np.zeros((n_d, n_s), dtype=np.int64)
    wu = np.zeros((n_d, n_s), dtype=np.int64)
    wo = np.zeros((n_d, n_s), dtype=np.int64)
    for c in inst.cover:
        req[c.day, sh[c.shift]] = c.requirement
        wu[c.day, sh[c.shift]] = c.weight_under
        wo[c.day, sh[c.shift]] = c.weight_over
    minutes = np.array([s.minutes for s in inst.shifts], dtype=np.int64)
    max_shifts = np.array(
        [[st.max_shifts[s.id] for s in inst.shifts] for st in inst.staff], dtype=np.int64
    )
    return ProblemData(
        inst, minutes, forbidden, allowed, day_off, on_w, off_w, req, wu, wo, max_shifts, emp, sh
    )


def cover_counts(data: ProblemData, assign: NDArray[np.int64]) -> NDArray[np.int64]:
    """Number of employees on each (day, shift)."""
    counts = np.zeros_like(data.requirement)
    e_idx, d_idx = np.nonzero(assign >= 0)
    np.add.at(counts, (d_idx, assign[e_idx, d_idx]), 1)
    return counts


def fast_objective(data: ProblemData, assign: NDArray[np.int64]) -> int:
    """Benchmark objective of an assignment array [e, d] -> shift index or OFF (vectorised)."""
    counts = cover_counts(data, assign)
    under = np.maximum(0, data.requirement - counts)
    over = np.maximum(0, counts - data.requirement)
    total = int((data.weight_under * under).sum() + (data.weight_over * over).sum())
    e_idx, d_idx = np.nonzero(assign >= 0)
    s_idx = assign[e_idx, d_idx]
    met_on = int(data.on_weight[e_idx, d_idx, s_idx].sum())
    total += int(data.on_weight.sum()) - met_on + int(data.off_weight[e_idx, d_idx, s_idx].sum())
    return total


def _neg(lit: Lit) -> Lit:
    return (not lit) if isinstance(lit, bool) else lit.Not()  # type: ignore[union-attr]


class SubModel:
    """CP-SAT model of employees `employees` on days [lo, hi), the rest fixed to `assign`."""

    def __init__(
        self,
        data: ProblemData,
        assign: NDArray[np.int64],
        employees: Sequence[int],
        lo: int = 0,
        hi: int | None = None,
        complete_hint: bool = False,
    ) -> None:
        """`complete_hint`: hint the weekend flags and the cover slack too (see `_add_hint`)."""
        self.data = data
        self.assign = assign
        self.employees = tuple(employees)
        self.lo, self.hi = lo, data.horizon if hi is None else hi
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.work: dict[tuple[int, int], Lit] = {}
        self.objective_terms: list[cp_model.LinearExprT] = []
        self.objective_offset = 0
        # Auxiliary variables, kept for a complete hint.
        self.weekends: dict[tuple[int, int], cp_model.IntVar] = {}  # (e, k): weekend k worked
        self.under: dict[tuple[int, int], cp_model.IntVar] = {}  # (d, s): shortage
        self.over: dict[tuple[int, int], cp_model.IntVar] = {}  # (d, s): surplus
        for e in self.employees:
            self._add_employee(e)
        self._add_cover()
        self.model.minimize(sum(self.objective_terms) + self.objective_offset)
        self._add_hint(complete_hint)

    # -- literals ---------------------------------------------------------------------------

    def _in_window(self, d: int) -> bool:
        return self.lo <= d < self.hi

    def _w(self, e: int, d: int) -> Lit:
        """Works-on-day literal; days outside the horizon count as off (rules 2, 5, 8)."""
        if d < 0 or d >= self.data.horizon:
            return False
        if self._in_window(d):
            return self.work[(e, d)]
        return bool(self.assign[e, d] >= 0)

    def _xs(self, e: int, d: int, s: int) -> Lit:
        if d < 0 or d >= self.data.horizon:
            return False
        if self._in_window(d):
            return self.x.get((e, d, s), False)
        return bool(self.assign[e, d] == s)

    def _clause(self, lits: list[Lit], name: str) -> None:
        if any(lit is True for lit in lits):
            return
        free = [lit for lit in lits if not isinstance(lit, bool)]
        self.model.add_bool_or(free).with_name(name)

    def _sum_le(self, lits: list[Lit], bound: int, name: str) -> None:
        const = sum(1 for lit in lits if lit is True)
        free = [lit for lit in lits if not isinstance(lit, bool)]
        if free:
            self.model.add(sum(free) <= bound - const).with_name(name)

    # -- per-employee rules -------------------------------------------------------------------

    def _add_employee(self, e: int) -> None:
        self._add_assignment_vars(e)
        self._add_rotation(e)
        self._add_totals(e)
        self._add_max_consecutive(e)
        self._add_min_runs(e)
        self._add_weekends(e)
        self._add_requests(e)

    def _add_assignment_vars(self, e: int) -> None:
        """Rules 1 and 9: at most one shift a day, none on a day off (no variable at all)."""
        d_ = self.data
        for d in range(self.lo, self.hi):
            if d_.day_off[e, d] or not d_.allowed[e]:
                self.work[(e, d)] = False
                continue
            day_vars = []
            for s in d_.allowed[e]:
                v = self.model.new_bool_var(f"assign_e{e}_d{d}_s{s}")
                self.x[(e, d, s)] = v
                day_vars.append(v)
            if len(day_vars) == 1:
                self.work[(e, d)] = day_vars[0]
            else:
                w = self.model.new_bool_var(f"work_e{e}_d{d}")
                self.model.add(sum(day_vars) == w).with_name(f"one_shift_e{e}_d{d}")
                self.work[(e, d)] = w

    def _add_rotation(self, e: int) -> None:
        """Rule 2: forbidden successions, nothing checked across the horizon edges.

        Shift a on day d and all of its NotNext shifts on day d+1 form an at-most-one group,
        which is one constraint per (d, a) instead of one clause per forbidden pair.
        """
        followers: dict[int, list[int]] = {}
        for a, b in self.data.forbidden:
            followers.setdefault(a, []).append(b)
        for d in range(max(0, self.lo - 1), min(self.hi, self.data.horizon - 1)):
            for a, bs in followers.items():
                first = self._xs(e, d, a)
                if first is False:
                    continue
                nexts = [self._xs(e, d + 1, b) for b in bs]
                if first is True:
                    for lit in nexts:
                        self._clause([_neg(lit)], f"rotation_e{e}_d{d}_s{a}")
                    continue
                free = [lit for lit in nexts if not isinstance(lit, bool)]
                if any(lit is True for lit in nexts):
                    self._clause([_neg(first)], f"rotation_e{e}_d{d}_s{a}")
                elif free:
                    group = [first, *free]
                    self.model.add_at_most_one(group).with_name(f"rotation_e{e}_d{d}_s{a}")

    def _add_totals(self, e: int) -> None:
        """Rules 3 and 4: shift-type maxima and total minutes, net of fixed days."""
        d_, staff = self.data, self.data.inst.staff[e]
        outside = [self.assign[e, d] for d in range(d_.horizon) if not self._in_window(d)]
        worked = [s for s in outside if s >= 0]
        fixed_minutes = int(sum(d_.minutes[s] for s in worked))
        minutes_terms = []
        for s in d_.allowed[e]:
            vs = [self.x[(e, d, s)] for d in range(self.lo, self.hi) if (e, d, s) in self.x]
            cap = int(d_.max_shifts[e, s]) - worked.count(s)
            if vs and cap < len(vs):
                self.model.add(sum(vs) <= cap).with_name(f"max_shifts_e{e}_s{s}")
            minutes_terms += [int(d_.minutes[s]) * v for v in vs]
        total = sum(minutes_terms)
        lo, hi = staff.min_minutes - fixed_minutes, staff.max_minutes - fixed_minutes
        self.model.add_linear_constraint(total, lo, hi).with_name(f"minutes_e{e}")

    def _add_max_consecutive(self, e: int) -> None:
        """Rule 5: every window of c+1 days inside the horizon has at most c worked days."""
        c, h = self.data.inst.staff[e].max_consecutive, self.data.horizon
        for t in range(max(0, self.lo - c), min(self.hi, h - c)):
            lits = [self._w(e, d) for d in range(t, t + c + 1)]
            self._sum_le(lits, c, f"max_consecutive_e{e}_d{t}")

    def _add_min_runs(self, e: int) -> None:
        """Rules 6 and 7 with the edge exemption.

        A run of work starting on day d >= 1 (off on d-1, on at d) must still be on at d+j for
        j < k, unless d+j is beyond the last day: a run reaching day h-1 is never too short.
        Runs starting on day 0 have no d-1 and are exempt. Days off are symmetric.
        """
        staff, h = self.data.inst.staff[e], self.data.horizon
        for k, on in ((staff.min_consecutive, True), (staff.min_days_off, False)):
            for d in range(max(1, self.lo - k + 1), min(self.hi + 1, h)):
                for j in range(1, k):
                    if d + j > h - 1:
                        break
                    prev, cur, nxt = self._w(e, d - 1), self._w(e, d), self._w(e, d + j)
                    if not on:
                        prev, cur, nxt = _neg(prev), _neg(cur), _neg(nxt)
                    rule = "min_consecutive" if on else "min_days_off"
                    self._clause([prev, _neg(cur), nxt], f"{rule}_e{e}_d{d}_j{j}")

    def _add_weekends(self, e: int) -> None:
        """Rule 8: a weekend counts if Saturday or Sunday is worked."""
        fixed, flags = 0, []
        for k in range(self.data.horizon // 7):
            days = [self._w(e, d) for d in weekend_days(k)]
            if any(lit is True for lit in days):
                fixed += 1
            elif any(not isinstance(lit, bool) for lit in days):
                wk = self.model.new_bool_var(f"weekend_e{e}_k{k}")
                self.weekends[(e, k)] = wk
                for lit in days:
                    if not isinstance(lit, bool):
                        self.model.add_implication(lit, wk)
                flags.append(wk)
        cap = self.data.inst.staff[e].max_weekends - fixed
        if flags and cap < len(flags):
            self.model.add(sum(flags) <= cap).with_name(f"max_weekends_e{e}")

    def _add_requests(self, e: int) -> None:
        d_ = self.data
        for d in range(self.lo, self.hi):
            for s in np.nonzero(d_.on_weight[e, d] + d_.off_weight[e, d])[0]:
                on, off = int(d_.on_weight[e, d, s]), int(d_.off_weight[e, d, s])
                self.objective_offset += on
                v = self.x.get((e, d, int(s)))
                if v is not None:
                    self.objective_terms.append((off - on) * v)

    # -- cover ----------------------------------------------------------------------------

    def _add_cover(self) -> None:
        """Soft cover: integer shortage/surplus slack per (day, shift) in the window."""
        d_ = self.data
        inside = np.zeros(d_.n_employees, dtype=bool)
        inside[list(self.employees)] = True
        outside_assign = self.assign.copy()
        outside_assign[inside, :] = OFF
        base = cover_counts(d_, outside_assign)
        for d in range(self.lo, self.hi):
            for s in range(len(d_.inst.shifts)):
                vs = [self.x[(e, d, s)] for e in self.employees if (e, d, s) in self.x]
                req, b = int(d_.requirement[d, s]), int(base[d, s])
                wu, wo = int(d_.weight_under[d, s]), int(d_.weight_over[d, s])
                self.objective_offset += wu * max(0, req - b) + wo * max(0, b - req)
                if not vs:
                    continue
                if len(vs) == 1:
                    # One candidate: the penalty change is linear, no slack variables needed.
                    self.objective_terms.append((-wu if b < req else wo) * vs[0])
                    continue
                self.objective_offset -= wu * max(0, req - b) + wo * max(0, b - req)
                under = self.model.new_int_var(0, max(0, req - b), f"cover_under_d{d}_s{s}")
                over = self.model.new_int_var(0, max(0, b + len(vs) - req), f"cover_over_d{d}_s{s}")
                self.model.add(sum(vs) + b - req == over - under).with_name(f"cover_d{d}_s{s}")
                self.under[(d, s)], self.over[(d, s)] = under, over
                self.objective_terms += [wu * under, wo * over]

    def _add_hint(self, complete: bool) -> None:
        """Hint the assignment and work literals with `assign`, and with `complete` the
        weekend flags and cover slack too. CP-SAT must complete a partial hint by search
        before it can start from it, and with two workers and a few seconds it sometimes
        does not: the full model from a 4050 roster of Instance15 (5 s, seeds 1-4) returned
        4046, 4047, 7012, 12685 with the partial hint, 3947, 4045, 4046, 4046 with the
        complete one; Instance13 from 1358 (10 s) 1358, 3274, 1355, 1358 against 1355, 1355,
        1358, 1355. The small LNS sub-models keep the partial hint: with every hint
        complete, whole runs were no better (docs/benchmarks.md)."""
        assign = self.assign
        for (e, d, s), v in self.x.items():
            self.model.add_hint(v, bool(assign[e, d] == s))
        hinted = {v.index for v in self.x.values()}
        for (e, d), w in self.work.items():
            # With a single allowed shift type the work literal is the assignment variable.
            if isinstance(w, cp_model.IntVar) and w.index not in hinted:
                self.model.add_hint(w, bool(assign[e, d] >= 0))
        if not complete:
            return
        for (e, k), wk in self.weekends.items():
            self.model.add_hint(wk, bool(any(assign[e, d] >= 0 for d in weekend_days(k))))
        gap = self.data.requirement - cover_counts(self.data, assign)
        for (d, s), under in self.under.items():
            self.model.add_hint(under, max(0, int(gap[d, s])))
            self.model.add_hint(self.over[(d, s)], max(0, -int(gap[d, s])))

    def keep(self, cells: NDArray[np.bool_]) -> None:
        """Fix the sub-model's (employee, day) cells where `cells` is set to their value in
        `assign` (a shift type or off)."""
        for (e, d, s), v in self.x.items():
            if cells[e, d]:
                self.model.add(v == int(self.assign[e, d] == s))

    def extract(
        self, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback
    ) -> NDArray[np.int64]:
        """The current assignment with the sub-problem's days replaced by the solver's values."""
        out = self.assign.copy()
        for e in self.employees:
            out[e, self.lo : self.hi] = OFF
        for (e, d, s), v in self.x.items():
            if solver.boolean_value(v):
                out[e, d] = s
        return out


def full_model(data: ProblemData, assign: NDArray[np.int64] | None = None) -> SubModel:
    """The complete model; `assign` (optional) is the solution hint, given to every variable."""
    start = np.full((data.n_employees, data.horizon), OFF, dtype=np.int64)
    hint = start if assign is None else assign
    return SubModel(data, hint, range(data.n_employees), complete_hint=assign is not None)
