"""Fast construction of a feasible roster without CP-SAT (pure numpy dynamic programming).

Every hard rule is per employee, so employees are scheduled one at a time against the cover
left by the others:

1. Work days: a dynamic programme over the days whose state is the current run (on or off, its
   length, whether it started on day 0) and the number of days worked so far. It enforces the
   maximum and minimum run rules with their edge exemptions (rules 5-7), the days off (rule 9)
   and a day-count range implied by the minute limits, and maximises the value of the days
   worked (100 for a day that still lacks staff, -1 for a surplus, plus requests). Weekends
   (rule 8) are enforced by choosing beforehand which weekends the employee may work.
2. Shift types: a greedy pass over the chosen days that respects the type maxima (rule 3), the
   forbidden successions (rule 2) and keeps the minute total reachable (rule 4).

An employee for whom this fails is left to the caller (None), who can fall back on CP-SAT.
Every roster is still checked by the caller with the independent evaluator.
"""

from __future__ import annotations

import math
import random

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from solver.curtois.model import OFF, ProblemData, SubModel

NEG = -1e18


def _work_days(
    h: int,
    max_run: int,
    min_run: int,
    min_off: int,
    forced_off: NDArray[np.bool_],
    value: NDArray[np.float64],
    n_lo: int,
    n_hi: int,
    max_weekends: int | None = None,
) -> list[tuple[float, NDArray[np.bool_]]]:
    """Best work patterns for each feasible day count in [n_lo, n_hi], best first.

    With `max_weekends`, the number of worked weekends is tracked in the state (exact rule 8).
    """
    cmax, oo = max(1, max_run), max(1, min_off)
    # states: on(l) l=1..C -> 0..C-1; on_init(l) -> C..2C-1; off_init -> 2C; off(l) -> 2C+l
    n_states = 2 * cmax + 1 + oo
    on = list(range(cmax))
    on_init = list(range(cmax, 2 * cmax))
    off_init = 2 * cmax
    off = [2 * cmax + 1 + i for i in range(oo)]
    preds: list[list[tuple[int, bool]]] = [[] for _ in range(n_states)]
    preds[on[0]] = [(off[-1], True), (off_init, True)]
    for i in range(1, cmax):
        preds[on[i]] = [(on[i - 1], True)]
        preds[on_init[i]] = [(on_init[i - 1], True)]
    preds[off_init] = [(off_init, False)]
    preds[off[0]] = [(on[i], False) for i in range(max(0, min_run - 1), cmax)]
    preds[off[0]] += [(s, False) for s in on_init]
    for i in range(1, oo):
        preds[off[i]] = [(off[i - 1], False)]
    preds[off[-1]] = [*preds[off[-1]], (off[-1], False)]
    n_w = 1 if max_weekends is None else max_weekends + 1
    shape = (n_hi + 1, n_w)
    first_day_states = {on[0], on_init[0]}

    def counts_weekend(d: int, s: int) -> bool:
        if max_weekends is None:
            return False
        return d % 7 == 5 or (d % 7 == 6 and s in first_day_states)

    # Predecessor table padded with a dead state (index n_states, always unreachable).
    n_pred = max(len(p) for p in preds)
    pred = np.full((n_states, n_pred), n_states, dtype=np.int64)
    works = np.zeros((n_states, n_pred), dtype=bool)
    for s, lst in enumerate(preds):
        for j, (p, w) in enumerate(lst):
            pred[s, j], works[s, j] = p, w
    # kind: 0 = stay (no work), 1 = work, 2 = work that starts a new worked weekend
    kinds = {}
    for dow in range(7):
        k = np.where(works, 1, 0)
        for s in range(n_states):
            if counts_weekend(dow, s):
                k[s, works[s]] = 2
        kinds[dow] = k
    v = np.full((n_states + 1, *shape), NEG)
    if not forced_off[0] and n_hi >= 1:
        v[on_init[0], 1, 0] = value[0]
    v[off_init, 0, 0] = 0.0
    back = np.zeros((h, n_states, *shape), dtype=np.int8)
    rows = np.arange(n_states)[:, None]
    for d in range(1, h):
        layers = np.full((3, n_states + 1, *shape), NEG)
        layers[0] = v
        if not forced_off[d]:
            layers[1, :, 1:, :] = v[:, :-1, :] + value[d]
            if max_weekends is not None:
                layers[2, :, 1:, 1:] = v[:, :-1, :-1] + value[d]
        cand = layers[kinds[d % 7][rows, np.arange(n_pred)[None, :]], pred]  # (S, P, n, w)
        arg = cand.argmax(axis=1)
        best = np.take_along_axis(cand, arg[:, None], axis=1)[:, 0]
        v = np.full((n_states + 1, *shape), NEG)
        v[:n_states] = np.maximum(best, NEG)
        back[d] = arg
    results: list[tuple[float, NDArray[np.bool_]]] = []
    for n in range(n_lo, n_hi + 1):
        flat = v[:, n, :]
        idx = np.unravel_index(int(flat.argmax()), flat.shape)
        st, wk = int(idx[0]), int(idx[1])
        if v[st, n, wk] <= NEG / 2:
            continue
        worked = np.zeros(h, dtype=bool)
        score, cnt = float(v[st, n, wk]), n
        for d in range(h - 1, -1, -1):
            is_on = st < 2 * cmax
            worked[d] = is_on
            if d == 0:
                break
            p = int(pred[st, int(back[d, st, cnt, wk])])
            if is_on:
                if counts_weekend(d, st):
                    wk -= 1
                cnt -= 1
            st = p
        results.append((score, worked))
    results.sort(key=lambda t: -t[0])
    return results


class FastBuilder:
    """Builds a roster employee by employee (see the module docstring)."""

    def __init__(self, data: ProblemData, seed: int = 0) -> None:
        self.data = data
        self.rng = random.Random(seed)
        self.noise = np.random.default_rng(seed)
        self.cpsat_limit = 2.0
        self.scarcity_weight = 10.0
        self.supply = np.zeros(data.requirement.shape)
        n_s = len(data.inst.shifts)
        self.followers: list[set[int]] = [set() for _ in range(n_s)]
        for a, b in data.forbidden:
            self.followers[a].add(b)

    def build(
        self, assign: NDArray[np.int64], order: list[int]
    ) -> tuple[NDArray[np.int64], list[int]]:
        """Schedule employees `order` (their rows of `assign` are replaced).

        Returns the new assignment and the employees that could not be scheduled (left OFF).
        """
        data = self.data
        out = assign.copy()
        out[order, :] = OFF
        counts = np.zeros_like(data.requirement)
        e_idx, d_idx = np.nonzero(out >= 0)
        np.add.at(counts, (d_idx, out[e_idx, d_idx]), 1)
        failed = []
        supply = {e: self._supply(e) for e in order}
        self.supply = sum(supply.values(), np.zeros(data.requirement.shape))
        for e in order:
            row = self.employee(e, counts, out)
            self.supply -= supply[e]
            if row is None:
                failed.append(e)
                continue
            out[e] = row
            days = np.nonzero(row >= 0)[0]
            np.add.at(counts, (days, row[days]), 1)
        return out, failed

    def _supply(self, e: int) -> NDArray[np.float64]:
        """Expected share of employee e on each (day, shift): days worked, weekend limit."""
        data = self.data
        staff, h = data.inst.staff[e], data.horizon
        out = np.zeros(data.requirement.shape)
        allowed = list(data.allowed[e])
        if not allowed:
            return out
        length = float(np.mean(data.minutes[allowed]))
        free = max(1, int((~data.day_off[e]).sum()))
        rate = min(1.0, (staff.min_minutes + staff.max_minutes) / 2 / length / free)
        day = np.where(data.day_off[e], 0.0, rate)
        n_weekends = h // 7
        if n_weekends and staff.max_weekends < n_weekends:
            weekend = np.zeros(h, dtype=bool)
            weekend[5::7] = weekend[6::7] = True
            day[weekend] *= staff.max_weekends / n_weekends
        out[:, allowed] = day[:, None] / len(allowed)
        return out

    def employee(
        self, e: int, counts: NDArray[np.int64], assign: NDArray[np.int64]
    ) -> NDArray[np.int64] | None:
        """A feasible row for employee e given the cover `counts` of the others, or None."""
        data = self.data
        staff = data.inst.staff[e]
        h = data.horizon
        allowed = list(data.allowed[e])
        if not allowed:
            return np.full(h, OFF, dtype=np.int64) if staff.min_minutes <= 0 else None
        need = data.requirement - counts  # [d, s]
        # A missing person is worth more where few of the employees still to come can help.
        scarcity = np.minimum(3.0, need / np.maximum(self.supply, 0.5))
        under_gain = data.weight_under * (1.0 + self.scarcity_weight * scarcity)
        gain = np.where(need > 0, under_gain, -data.weight_over).astype(np.float64)
        gain += data.on_weight[e] - data.off_weight[e]
        # a tiny random tie-break spreads equal choices between employees
        gain += self.noise.random(gain.shape) * 1e-3
        sub = gain[:, allowed]
        value = sub.max(axis=1)
        lens = data.minutes[allowed]
        lmin, lmax = int(lens.min()), int(lens.max())
        n_lo = max(0, math.ceil(staff.min_minutes / lmax))
        n_hi = min(h, staff.max_minutes // lmin)
        if n_lo > n_hi:
            return None
        for weekends in self._weekend_choices(e, value):
            forced = data.day_off[e].copy()
            for k in weekends:
                forced[7 * k + 5] = forced[7 * k + 6] = True
            patterns = _work_days(
                h,
                staff.max_consecutive,
                staff.min_consecutive,
                staff.min_days_off,
                forced,
                value,
                n_lo,
                n_hi,
            )
            for _, worked in patterns[:6]:
                row = self._types(e, worked, gain)
                if row is not None:
                    return row
        # exact weekend count in the state: slower, only when the cheap choices failed
        patterns = _work_days(
            h,
            staff.max_consecutive,
            staff.min_consecutive,
            staff.min_days_off,
            data.day_off[e],
            value,
            n_lo,
            n_hi,
            max_weekends=min(staff.max_weekends, h // 7),
        )
        for _, worked in patterns[:6]:
            row = self._types(e, worked, gain)
            if row is not None:
                return row
        if patterns:
            return self._types_cpsat(e, patterns[0][1], assign)
        return None

    def _types_cpsat(
        self, e: int, worked: NDArray[np.bool_], assign: NDArray[np.int64]
    ) -> NDArray[np.int64] | None:
        """Shift types for fixed work days by a small CP-SAT model (when the greedy fails)."""
        data = self.data
        sub = SubModel(data, assign, [e])
        for d in range(data.horizon):
            w = sub.work[(e, d)]
            if not isinstance(w, bool):
                sub.model.add(w == int(worked[d]))
            elif w != bool(worked[d]):
                return None
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = self.cpsat_limit
        solver.parameters.random_seed = self.rng.randrange(1 << 30)
        if solver.solve(sub.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return sub.extract(solver)[e]

    def _weekend_choices(self, e: int, value: NDArray[np.float64]) -> list[list[int]]:
        """Sets of weekends to keep off (rule 8), most promising first."""
        h, cap = self.data.horizon, self.data.inst.staff[e].max_weekends
        n_weekends = h // 7
        if cap >= n_weekends:
            return [[]]
        n_off = n_weekends - cap
        wk_value = np.array([value[7 * k + 5] + value[7 * k + 6] for k in range(n_weekends)])
        choices = [sorted(np.argsort(wk_value)[:n_off].tolist())]
        for shift in range(2):
            # evenly spread working weekends
            work = {int((i * n_weekends) // max(1, cap)) + shift for i in range(cap)}
            work = {k % n_weekends for k in work}
            off = [k for k in range(n_weekends) if k not in work]
            choices.append(off[:n_off] if len(off) >= n_off else off)
        for _ in range(6):
            choices.append(sorted(self.rng.sample(range(n_weekends), n_off)))
        return choices

    def _types(
        self, e: int, worked: NDArray[np.bool_], gain: NDArray[np.float64]
    ) -> NDArray[np.int64] | None:
        """Greedy shift types on the worked days; None if minutes or maxima cannot be met."""
        data = self.data
        staff = data.inst.staff[e]
        h = data.horizon
        allowed = list(data.allowed[e])
        cap = {s: int(data.max_shifts[e, s]) for s in allowed}
        minutes = {s: int(data.minutes[s]) for s in allowed}
        days = np.nonzero(worked)[0].tolist()
        row = np.full(h, OFF, dtype=np.int64)
        total = 0
        for i, d in enumerate(days):
            rest = len(days) - i - 1
            avail = [s for s in allowed if cap[s] > 0]
            prev = int(row[d - 1]) if d > 0 else OFF
            if prev >= 0:
                avail = [s for s in avail if s not in self.followers[prev]]
            nxt_worked = d + 1 < h and worked[d + 1]
            best, best_key = None, None
            for s in avail:
                lo_rest = min((minutes[t] for t in allowed if cap[t] - (t == s) > 0), default=0)
                hi_rest = max((minutes[t] for t in allowed if cap[t] - (t == s) > 0), default=0)
                t_after = total + minutes[s]
                if t_after + rest * lo_rest > staff.max_minutes:
                    continue
                if t_after + rest * hi_rest < staff.min_minutes:
                    continue
                if nxt_worked and not any(
                    t not in self.followers[s] and cap[t] - (t == s) > 0 for t in allowed
                ):
                    continue
                key = (gain[d, s], -len(self.followers[s]))
                if best_key is None or key > best_key:
                    best, best_key = s, key
            if best is None:
                return None
            row[d] = best
            cap[best] -= 1
            total += minutes[best]
        if not staff.min_minutes <= total <= staff.max_minutes:
            return None
        return row
