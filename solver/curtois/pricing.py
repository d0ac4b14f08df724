"""Fast pricing for column generation: a labelling dynamic programme over one employee's rows.

The row of least reduced cost for employee e under all of e's hard rules is a shortest path
over the days whose state is the current run (on with its length and last shift type, or off
with its length, each marked when it started on day 0 for the edge exemptions), the minutes
worked so far and the weekends worked so far. That state makes rules 1, 2 and 4-9 exact. Rule 3
(the shift-type maxima) would multiply the state by every binding maximum, so the smallest
binding maxima are counted in the state while it stays within STATE_BUDGET (SMALL_CAP_BUDGET
for maxima of at most SMALL_CAP, which a multiplier prices worst), and the others are relaxed
with a Lagrange multiplier per type: the path's cost on type s is raised by mu_s, and the
minimum less sum_s mu_s * max_s is still a valid lower bound on the least reduced cost of any
feasible row (every feasible row uses type s at most max_s times). The multipliers are
adapted by subgradient steps until the best path keeps the maxima; a path that keeps them with
no slack on a priced type is exactly optimal.

The inner loops are compiled with numba. Measured on Instance18 (84 days, 3 shift types, up
to 54 worked days and 6 weekends) with random costs: about 2 ms per row, where CP-SAT had not
proven its row optimal after 30 s. The state keeps the group of the last shift type (types that
forbid the same next types) rather than the type: with random costs, per row, Instance13
7.3 -> 3.7 ms, Instance20 26.8 -> 13.4 ms, Instance15 3.1 -> 2.4 ms, the same optima.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import NDArray

from solver.curtois.model import OFF, ProblemData

INF = 1e300
# A day of a row left open by a cell dive (solver.curtois.columns); OFF and shift types fix it.
FREE = -2
# Cost changes that make the programme keep a fixed shift: far above any row's true cost
# (at most a few thousand), far below INF.
BONUS = 1e6
FORBIDDEN = 1e9
# Binding rule-3 maxima are tracked exactly in the programme's state while its size (days x
# run states x minutes x weekends x the counter of tracked types) stays within this; the rest
# are priced by multipliers. Roots measured at 30 s, 2 threads (tracking nothing -> a counter
# of up to 32 values -> up to 128): Instance8 10.3 s -> 0.9 s -> -, bound 1296 / 1297;
# Instance15 not converged (LP 3893) -> 18.6 s (LP 3823.7, bound 3824) -> not converged
# (LP 4015); but Instance13 and 19 (long rows, many states) converge slower with any tracking.
STATE_BUDGET = 6_000_000
# Maxima of at most SMALL_CAP are tracked up to SMALL_CAP_BUDGET states. A multiplier prices a
# small maximum badly: the least path either avoids the type or takes it more often than
# allowed, and the rows that take it exactly up to the maximum are never found. On
# Instance15 (an employee's 720-minute type capped at 2) the root LP stalled at 3929-3935,
# one uncovered shift above the optimum, in three of eight roots (seeds 0-7, 24 s), where
# CP-SAT found a row of reduced cost -97.7 that the programme's best rows (0.0) missed.
# Tracked, the root converges in 8.5-11.3 s to LP 3823.7 and a proven bound of 3824 (seeds
# 1, 5). Instance15 at 60 s, seeds 1-6, the same evening: 3960, 3974, 3967, 4060, 4074,
# 4162 (bound 3814-3824) against 4435, 4178, 3970, 4052, 4286, 3973 (bound 3787-3813). No
# other instance has a binding maximum this small left untracked, except Instance13, whose
# pricing passes are its bottleneck (`ColumnGeneration`'s small_caps, solver.curtois.search).
SMALL_CAP = 4
SMALL_CAP_BUDGET = 25_000_000
# Subgradient steps on the rule-3 multipliers per pricing call, and when column generation
# has stalled on the rows found with that many (Instance19's root at 60 s: LP 3411 stalled
# at 31 s with 3 steps, 3203 with 8 steps, 3188 with 20, not converged).
LAGRANGE_STEPS = 3
LAGRANGE_STALLED_STEPS = 20
# Each call's subgradient steps on the multipliers start large again (a share 1/(step + 2) of
# the costs' range), which on long rows, where a call affords only a few steps, keeps kicking
# the kept multipliers away: at the end of Instance19's 24 s root, the rows found with 3 steps
# had reduced costs summing to -528 where 100 steps found -1407. From rows of at least
# MU_DECAY_HORIZON days, the step size instead keeps shrinking over all of an employee's
# calls, down to 1/MU_DECAY_STEPS. Instance19's root at 24 s: LP 3470 -> 3187, bound 1741 ->
# 3055 (best known 3149); whole runs at 60 s, seeds 1-7: 3589, 3190, 3197, 3180, 3303, 3201,
# 3288. Shorter rows lost with it: Instance15's root bound 3806 -> 3677; Instance13 gave 1895
# and 2960 (seeds 1, 2), and 2409, 1728 with the decay kept out of its cell dives (its
# unchanged code also collapses at times: 2704 in a benchmark run the same day). A Polyak step
# towards the best row found instead gave Instance19 3306, 3283, 3307 and Instance13 3035,
# 3395. Instance18 (84 days, its root converges in 3 s either way): 4593, 4475, 4476, 4482,
# 4469 with it, 4485, 4477 without. Each employee is priced by one thread at a time, so its
# count, like its multipliers, needs no lock.
MU_DECAY_HORIZON = 84
MU_DECAY_STEPS = 400


def keeps_fixings(row: NDArray[np.int64], cells: NDArray[np.int64]) -> bool:
    """Whether `row` has every day that `cells` fixes (OFF or a shift type; FREE days are
    open)."""
    fixed = cells != FREE
    return bool((row[fixed] == cells[fixed]).all())


@numba.njit(cache=True, nogil=True)
def _shortest_row(
    cost: NDArray[np.float64],  # [h, S] cost of working type s on day d
    allowed: NDArray[np.bool_],  # [S]
    group: NDArray[np.int64],  # [S] group of an allowed type (what it forbids next), else -1
    forbidden: NDArray[np.bool_],  # [G, S] a type of group g on d forbids t on d+1
    units: NDArray[np.int64],  # [S] minutes of type s in units
    day_off: NDArray[np.bool_],  # [h]
    max_units: int,
    min_units: int,
    max_run: int,
    min_run: int,
    min_off: int,
    max_weekends: int,  # -1: not tracked (cannot bind)
    n_weekends: int,
    stride: NDArray[np.int64],  # [S] place of type s in the counter of tracked maxima, 0: none
    cap: NDArray[np.int64],  # [S] maximum of a tracked type
    n_k: int,  # values of that counter (product of cap + 1 over tracked types)
) -> tuple[float, NDArray[np.int64]]:
    h, n_s = cost.shape
    n_g = forbidden.shape[0]
    o = max(1, min_off)
    c = max(1, max_run)
    # Run states: 0 off since day 0; 1..o off for l days (o: at least o); then on for l days
    # with the last type in group g, started after an off day, then the same started on day
    # 0. Types of one group are interchangeable for what follows (minutes and tracked counts
    # have their own indices), so the state keeps the group and `chosen` the type.
    on0 = 1 + o
    init0 = on0 + c * n_g
    n_seq = init0 + c * n_g
    n_w = 1 if max_weekends < 0 else max_weekends + 1
    # The last index counts weekends and tracked shift types at once: r = w * n_k + k.
    n_r = n_w * n_k
    n_m = max_units + 1
    value = np.full((n_seq, n_m, n_r), INF)
    nxt = np.full((n_seq, n_m, n_r), INF)
    # Left uninitialised (filling them cost a quarter of a call on Instance19 and 20): the
    # walk back reads only entries written when their state was reached.
    pred = np.empty((h, n_seq, n_m, n_r), dtype=np.int16)
    chosen = np.empty((h, n_seq, n_m, n_r), dtype=np.int8)
    # Day 0: off (run from day 0) or on a first shift (run from day 0).
    alive = np.zeros(n_seq, dtype=np.bool_)
    alive_next = np.zeros(n_seq, dtype=np.bool_)
    value[0, 0, 0] = 0.0
    alive[0] = True
    inc0 = 1 if (max_weekends >= 0 and n_weekends > 0 and 0 % 7 == 5) else 0
    longest = 0
    for t in range(n_s):
        if allowed[t]:
            longest = max(longest, units[t])
    if not day_off[0]:
        for t in range(n_s):
            if allowed[t] and units[t] <= max_units and inc0 < n_w:
                q, r0 = init0 + group[t], inc0 * n_k + stride[t]
                if cost[0, t] < value[q, units[t], r0]:
                    value[q, units[t], r0] = cost[0, t]
                    chosen[0, q, units[t], r0] = t
                    alive[q] = True
    m_top = longest  # no state has more units than this so far
    for d in range(1, h):
        # Only the units the next day reads are reset: [its m_low, its m_top].
        nxt[:, max(0, min_units - (h - d - 1) * longest) : min(m_top + longest, max_units) + 1] = (
            INF
        )
        alive_next[:] = False
        # A state that cannot reach the minimum even working every day left is dead.
        m_low = max(0, min_units - (h - d) * longest)
        weekend_day = max_weekends >= 0 and d // 7 < n_weekends and d % 7 >= 5
        saturday = d % 7 == 5
        for p in range(n_seq):
            if not alive[p]:
                continue
            worked_before = p >= on0
            if p == 0:
                off_next = 0
            elif p < on0:
                off_next = min(p + 1, o)
            elif p < init0:
                off_next = 1 if (p - on0) // n_g + 1 >= min_run else -1
            else:
                off_next = 1
            if p >= init0:
                length, last, base = (p - init0) // n_g + 1, (p - init0) % n_g, init0
            elif p >= on0:
                length, last, base = (p - on0) // n_g + 1, (p - on0) % n_g, on0
            else:
                length, last, base = 0, -1, on0
            may_start = p == 0 or (0 < p < on0 and p == o)
            inc = 1 if weekend_day and (saturday or not worked_before) else 0
            for m in range(m_low, min(m_top, max_units) + 1):
                for r in range(n_r):
                    v = value[p, m, r]
                    if v >= INF:
                        continue
                    if off_next >= 0 and v < nxt[off_next, m, r]:
                        nxt[off_next, m, r] = v
                        pred[d, off_next, m, r] = p
                        alive_next[off_next] = True
                    w, k = r // n_k, r % n_k
                    if day_off[d] or w + inc >= n_w:
                        continue
                    if length == 0 and not may_start:
                        continue
                    if length >= c:
                        continue
                    for t in range(n_s):
                        if not allowed[t]:
                            continue
                        if length > 0 and forbidden[last, t]:
                            continue
                        m2 = m + units[t]
                        if m2 > max_units:
                            continue
                        if stride[t] and (k // stride[t]) % (cap[t] + 1) == cap[t]:
                            continue  # a tracked type at its maximum
                        r2 = (w + inc) * n_k + k + stride[t]
                        q = base + length * n_g + group[t]
                        v2 = v + cost[d, t]
                        if v2 < nxt[q, m2, r2]:
                            nxt[q, m2, r2] = v2
                            pred[d, q, m2, r2] = p
                            chosen[d, q, m2, r2] = t
                            alive_next[q] = True
        value, nxt = nxt, value
        alive, alive_next = alive_next, alive
        m_top += longest
    best, bp, bm, br = INF, -1, -1, -1
    for p in range(n_seq):
        for m in range(min_units, min(m_top, max_units) + 1):
            for r in range(n_r):
                if value[p, m, r] < best:
                    best, bp, bm, br = value[p, m, r], p, m, r
    row = np.full(h, -1, dtype=np.int64)
    if bp < 0:
        return INF, row
    p, m, r = bp, bm, br
    for d in range(h - 1, -1, -1):
        if p >= on0:
            row[d] = chosen[d, p, m, r]
        if d == 0:
            break
        q = pred[d, p, m, r]
        if p >= on0:
            m -= units[row[d]]
            r -= stride[row[d]]
            weekend_day = max_weekends >= 0 and d // 7 < n_weekends and d % 7 >= 5
            if weekend_day and (d % 7 == 5 or q < on0):
                r -= n_k
        p = q
    return best, row


@dataclass(frozen=True)
class _Employee:
    allowed: NDArray[np.bool_]
    day_off: NDArray[np.bool_]
    max_units: int
    min_units: int
    max_run: int
    min_run: int
    min_off: int
    max_weekends: int
    caps: NDArray[np.int64]  # [S] rule-3 maxima
    group: NDArray[np.int64]  # [S] group of an allowed type, -1 for the others
    forbidden: NDArray[np.bool_]  # [G, S] a type of group g forbids t on the next day
    binding: NDArray[np.bool_]  # [S] maxima that a row could exceed and are not tracked
    stride: NDArray[np.int64]  # [S] place of a tracked maximum in the state's counter, 0: none
    n_k: int  # values of that counter


@dataclass(frozen=True)
class PricedRows:
    rows: list[NDArray[np.int64]]  # rows that keep every rule found on the way, best first
    lower: float  # proven lower bound on the least path cost (cost as given), -inf if none


class RowPricer:
    """Labelling pricing for every employee of an instance."""

    def __init__(self, data: ProblemData, small_caps: bool = True) -> None:
        """`small_caps`: track maxima of at most SMALL_CAP up to SMALL_CAP_BUDGET states."""
        inst = data.inst
        self.data = data
        n_s, h = len(inst.shifts), data.horizon
        minutes = data.minutes
        self.forbidden = np.zeros((n_s, n_s), dtype=bool)
        for a, b in data.forbidden:
            self.forbidden[a, b] = True
        self.n_weekends = h // 7
        self.employees: list[_Employee] = []
        self.units: list[NDArray[np.int64]] = []
        self.mu = np.zeros((data.n_employees, n_s))
        self.decay = h >= MU_DECAY_HORIZON  # see MU_DECAY_HORIZON
        self.steps_taken = np.zeros(data.n_employees, dtype=np.int64)
        for e, staff in enumerate(inst.staff):
            allowed = np.zeros(n_s, dtype=bool)
            allowed[list(data.allowed[e])] = True
            used = [int(minutes[s]) for s in data.allowed[e]] or [1]
            unit = math.gcd(*used)
            caps = data.max_shifts[e]
            free_days = int((~data.day_off[e]).sum())
            most = min(free_days, staff.max_minutes // max(1, min(used)))
            binding = allowed & (caps < most)
            weekends = staff.max_weekends if staff.max_weekends < self.n_weekends else -1
            # Track the smallest binding maxima exactly while the state stays small enough;
            # the others get multipliers.
            stride = np.zeros(n_s, dtype=np.int64)
            n_k = 1
            n_seq = 1 + max(1, staff.min_days_off) + 2 * max(1, staff.max_consecutive) * n_s
            n_w = 1 if weekends < 0 else weekends + 1
            size = h * n_seq * (staff.max_minutes // unit + 1) * n_w
            for s in sorted(np.nonzero(binding)[0].tolist(), key=lambda s: caps[s]):
                small = small_caps and caps[s] <= SMALL_CAP
                if size * n_k * (caps[s] + 1) > (SMALL_CAP_BUDGET if small else STATE_BUDGET):
                    break
                stride[s], n_k = n_k, n_k * (int(caps[s]) + 1)
                binding[s] = False
            self.units.append(minutes // unit * allowed)
            group, forbid = self._groups(allowed)
            self.employees.append(
                _Employee(
                    allowed,
                    data.day_off[e].copy(),
                    staff.max_minutes // unit,
                    -(-staff.min_minutes // unit),
                    staff.max_consecutive,
                    staff.min_consecutive,
                    staff.min_days_off,
                    weekends,
                    caps,
                    group,
                    forbid,
                    binding,
                    stride,
                    n_k,
                )
            )

    def _groups(self, allowed: NDArray[np.bool_]) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """Allowed types grouped by the allowed types they forbid on the next day: the
        programme's state needs only that group of the last type (Instance13: 12.8 allowed
        types an employee on average, 5.5 groups)."""
        group = np.full(len(allowed), -1, dtype=np.int64)
        groups: dict[bytes, int] = {}
        rows: list[NDArray[np.bool_]] = []
        for t in np.nonzero(allowed)[0].tolist():
            row = self.forbidden[t] & allowed
            key = row.tobytes()
            if key not in groups:
                groups[key] = len(rows)
                rows.append(row)
            group[t] = groups[key]
        forbid = np.array(rows, dtype=bool) if rows else np.zeros((1, len(allowed)), dtype=bool)
        return group, forbid

    def shortest(
        self, e: int, cost: NDArray[np.float64], cells: NDArray[np.int64] | None = None
    ) -> tuple[float, NDArray[np.int64]]:
        """Least cost row of e when rule 3 is ignored (inf and an empty row if none).
        `cells` [h] fixes days of the row: OFF, a shift type, or FREE. A fixed day off is a
        day off of the programme; a fixed shift gets a bonus of BONUS and the other types
        FORBIDDEN cost on that day, so the least row keeps every fixing that any feasible
        row keeps (the caller checks that the row does)."""
        emp = self.employees[e]
        day_off = emp.day_off
        cost = np.ascontiguousarray(cost, dtype=np.float64)
        if cells is not None:
            day_off = day_off | (cells == OFF)
            work = np.nonzero(cells >= 0)[0]
            if len(work):
                kept = cost[work, cells[work]] - BONUS
                cost = cost.copy()
                cost[work] = FORBIDDEN
                cost[work, cells[work]] = kept
        return _shortest_row(
            cost,
            emp.allowed,
            emp.group,
            emp.forbidden,
            self.units[e],
            day_off,
            emp.max_units,
            emp.min_units,
            emp.max_run,
            emp.min_run,
            emp.min_off,
            emp.max_weekends,
            self.n_weekends,
            emp.stride,
            emp.caps,
            emp.n_k,
        )

    def price(
        self,
        e: int,
        cost: NDArray[np.float64],
        steps: int = LAGRANGE_STEPS,
        cells: NDArray[np.int64] | None = None,
    ) -> PricedRows:
        """Least cost rows of e under every hard rule, by up to `steps` subgradient steps on
        the rule-3 multipliers (kept between calls: the duals change little between
        iterations; on rows of MU_DECAY_HORIZON days or more the step size keeps shrinking
        over the calls too). With `cells` (see `shortest`) only rows that keep those
        fixings, and no bound (-inf): the bonuses make the programme's value meaningless as
        one."""
        emp = self.employees[e]
        mu = self.mu[e]
        found: dict[bytes, tuple[float, NDArray[np.int64]]] = {}
        lower = -math.inf
        scale = float(np.abs(cost).max()) or 1.0
        for step in range(steps):
            value, row = self.shortest(e, cost + mu, cells)
            if value >= 1e299:
                break  # no row keeps rules 1, 2 and 4-9: the employee has no feasible row
            if cells is not None:
                if not keeps_fixings(row, cells):
                    break  # no row keeps the fixings (with these multipliers)
            else:
                lower = max(lower, value - float(mu @ emp.caps))
            counts = np.bincount(row[row >= 0], minlength=len(mu))
            excess = np.where(emp.binding, counts - emp.caps, 0)
            if (excess <= 0).all():
                days = np.nonzero(row >= 0)[0]
                found[row.tobytes()] = (float(cost[days, row[days]].sum()), row)
                if float(mu @ -excess) <= 1e-9:
                    break  # complementary slackness: the path is optimal
            if not emp.binding.any():
                break
            grad = excess.astype(np.float64)
            self.steps_taken[e] += 1
            k = min(MU_DECAY_STEPS, int(self.steps_taken[e]) + 1) if self.decay else step + 2
            mu[:] = np.maximum(0.0, mu + scale * grad / k / max(1.0, np.abs(grad).sum()))
        rows = sorted(found.values(), key=lambda item: item[0])
        if rows and cells is None:
            lower = min(lower, rows[0][0])
        return PricedRows([row for _, row in rows], lower)
