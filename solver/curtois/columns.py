"""Column generation for the Curtois & Qu benchmark: an LP bound and an LP-guided roster.

Every hard rule of the benchmark is per employee, so a roster is one feasible row (a work
pattern over the horizon) per employee, and only cover ties employees together. The master
LP chooses a convex combination of known rows for every employee, with shortage and surplus
slack on every (day, shift):

    min  sum_e sum_p c_ep l_ep + sum_ds (wu u_ds + wo o_ds)
    s.t. sum_p l_ep = 1                                   (dual pi_e)
         sum_ep [row_p works s on d] l_ep + u_ds - o_ds = req_ds   (dual y_ds)

Pricing finds, for each employee, the row of least reduced cost
c(row) - pi_e - sum_d y[d, row_d] under all of that employee's hard rules. The labelling
programme of `solver.curtois.pricing` does it in milliseconds; where its rule-3 multipliers
leave a gap and the LP stalls, the single-employee CP-SAT model of `solver.curtois.model`
(objective replaced) prices exactly, on horizons where it can. Both give a proven lower bound
on each employee's least reduced cost, so at any dual point that keeps the slack's reduced
costs non-negative, sum pi + sum req y plus their sum is a valid lower bound (the Lagrangian
bound; at the master's own duals, the LP value plus the least reduced costs). Rows are priced
at duals smoothed towards the best such point (Wentges smoothing), which steadies the duals
of this very degenerate LP. On this benchmark the bound is within a few units of the best
known rosters (Instance8: 1297 against 1300; Instance16: 3224 against 3225) where the
compact model's bound after a minute is weaker (1270; 3197).

The LP optimum itself is very fractional (27 of Instance8's 30 employees split between rows),
so rounding it or solving the restricted master as an integer programme gives poor rosters
(1700-2600 on Instance8). Diving works: fix the employees whose LP weight is most
concentrated on one row, let the columns adapt for a few iterations, repeat. Instance8 at
60 s: 1311 with the dive and the local search after it, against 1627 for the local search
alone (one benchmark run each). A dive's result depends a lot on its path (Instance8:
1310-1517 over five dives), so the search dives again from the root LP (`unfix`) while its
time lasts; each dive adds columns, so the next LP and dive differ.

Before the first LP, `warm_start` seeds the pool by subgradient steps on the cover duals: each
step is one pricing pass and no LP solve, and the rows it finds lie at very different dual
points. Column generation from there converges far sooner where the LP is the bottleneck:
Instance20's root (182 days, half a second per LP re-solve) was at LP 5650-5690 after 24 s
and converged only after 70-75 s; after an 8 s warm start and 16 s of column generation it is
at 4772 (bound 4700-4712, best known 4769), converged by 30 s.

Where the root LP was cut short by its deadline (long or large instances: Instance13, 19,
20), fixing whole rows leaves the last employees no room to fill the cover that the LP
still spreads over many rows. The dive then fixes single (employee, day) cells instead,
where the employee's rows agree most (`dive_cells`); pricing keeps the fixings (the
labelling programme takes fixed days off as days off and fixed shifts by a bonus), so
every employee keeps its freedom on the days not yet fixed. Benchmark runs at 60 s (the last
with row dives -> three with cell dives): Instance13 1931 -> 1519, 1400, 1395; Instance19
3889 -> 3268, 3361, 3274; Instance20 5491 -> 5059, 5171, 5082.
"""

from __future__ import annotations

import heapq
import math
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from solver.curtois.model import OFF, ProblemData, SubModel, cover_counts
from solver.curtois.pricing import (
    FREE,
    LAGRANGE_STALLED_STEPS,
    LAGRANGE_STEPS,
    RowPricer,
    keeps_fixings,
)

# Reduced costs are scaled to integers for CP-SAT; the rounding error of a row is at most
# half a unit per worked day, which the bound subtracts.
SCALE = 1000
# A pricing step costs at most this (seconds, per employee).
PRICE_LIMIT_S = 1.0
# Share of the not-yet-fixed employees fixed per round of a row dive (`dive`, after a
# converged root; roots cut short dive by cells instead, see CELL_DIVE_SHARE).
DIVE_FIX_SHARE = 0.25
# Column-generation iterations between row-dive rounds. Measured at 60 s, seeds 0 and 1 (4 ->
# 12 iterations): Instance18 4787, 4487 -> 4499, 4484; Instance8 1303, 1400 -> 1307, 1306;
# Instance15 4260, 3978 -> 3978, 3968 (the LP follows each round's fixings, and the dive fixes
# by a truer LP; 25 iterations were no better than 12).
# Instance8's dives end either near 1300 or near 1400 (one more day shift short, weight 100):
# in the second kind several late rounds raise the LP by about 12 each (1306 -> 1345) before
# one jumps (-> 1413). Undoing a round that raised the LP by more than 2 % of its value (and
# barring a single employee's row that did) came too late (dives 1412, 1417); at 0.5 % the
# dives collapsed (1512, 2421 and 1314, 1713, seeds 0 and 3).
DIVE_ITERATIONS = 12
# Cell dives (`dive_cells`, for roots cut short): share of the open cells fixed per round, and
# column-generation iterations between rounds. Measured from the same 24 s roots with 18 s to
# dive, seed 1, after best responses (row dive -> cell dive): Instance19 4138 -> 3312 (seeds
# 2, 3: 3338, 3320); whole runs at 60 s in the module docstring. A share of 0.2 was worse on
# Instance19 (3489 with 4 iterations, 3342 with 8); whole runs with 12 iterations instead of
# 8: Instance20 seeds 2, 3 5642, 5681 against 5052-5264, 5204; Instance13 seeds 1, 2 2561,
# 2812 against 1375, 1402 (the dive runs out of time); with 6: Instance20 5089, 5208,
# Instance13 1585, 1529. Converged roots dive better by rows (Instance15 4083 -> 4345,
# Instance8 1303-1310 -> 1510).
# A cell dive's first round can take long while the LP still falls (Instance20: 7.8 s, LP 5446
# -> 5209), and the pace then makes the later rounds fix large shares. Capping each round's
# column generation at 0.15 of the dive time left was worse (Instance20 seeds 2, 3: 5365 and
# 5173, against 4995 and 5229 / 5075 uncapped).
# Undoing a cell-dive round that raised the LP by more than 5 % (up to four times a dive,
# the next round fixing half as many) lost on Instance13 (seeds 1-4 at 60 s: 3288, 2879,
# 3183, 2785): the rounds undone take the time the last rounds need, which then fix every
# open cell at once.
CELL_DIVE_SHARE = 0.1
CELL_DIVE_ITERATIONS = 8
# Column-generation iterations at each node of `branch_cells` (as a cell-dive round).
BRANCH_ITERATIONS = CELL_DIVE_ITERATIONS
# Horizons longer than this make every LP re-solve slow (Instance20, 182 days: about half a
# second). Their roots start with the subgradient warm start (`warm_start`), they dive by
# cells even from a converged root (solver.curtois.search), and a cell-dive round's column
# generation stops at CELL_ROUND_CAP of the dive time left: after the warm start the first
# round can take 10 s while the LP barely moves (4771.6 -> 4769.0), and the pace then fixes
# every open cell at once (a 25982 roster, 5443 at the end of a 60 s run). Instance20 at 60 s,
# seeds 1-4, warm start and cell dives: uncapped 4780, 4879, 5321, 4890; capped at 0.35 4888,
# 4786, 4897, 4785. On Instance13 (28 days) the cap gave 1485 and 1409 (seeds 1, 2; 1375
# and 1402 without), on Instance19 (84 days) 3260 and 3274 (3289-3411 without, today).
# Large four-week instances are capped too (`round_cap`, set by solver.curtois.search with
# the warm start, where WARM_SHARE gives the runs), at LARGE_SHORT_ROUND_CAP.
# Treating Instance19 (84 days, 40 employees; its root did not converge in time before the
# multiplier steps of MU_DECAY_HORIZON in solver.curtois.pricing, and still does not) as long
# too gained nothing clear at 60 s, seeds 1-8: 3344, 3234, 3213, 3226, 3272, 3365, 3239, 3266
# (without the cap: 3336, 3236, 3329, 3229) against 3263, 3295, 3284, 3258, 3285, 3264,
# 3388, 3281 as it is.
LONG_HORIZON = 84
# GLOP's presolve changes the problem whenever a fixing changes a bound (it drops the rows
# bounded to zero), so every dive re-solve started cold. Without it a fixing re-solves by
# dual simplex from the last basis (allow_simplex_algorithm_change lets GLOP switch to it):
# on Instance13's root pool (3,538 rows) fixing 10 employees took 0.70 s and 1,473
# iterations against 1.95 s and 4,464; adding 120 rows took 0.71 s either way. Instance13 at
# 60 s, seeds 1-6: 1563, 1555 (1459 again), 1669, 1569, 1699, 1555 against 1725, 1475,
# 1525, 1555, 1802, 1825; its LP then reached 1350 during the dive's first round.
# Instance15 (row dives) was no clearer, seeds 0 and 2-7 with / without: 4171 and 3870 (two
# runs of seed 0), 3898, 4066, 3976, 4151, 4114, 3951 against 3988, 3987, 4070, 3861, 3967,
# 4164, 4164 (means 4025 and 4029).
GLOP_PARAMETERS = "use_preprocessing: false allow_simplex_algorithm_change: true"
CELL_ROUND_CAP = 0.35
# Once GLOP re-solved fixings from its last basis (GLOP_PARAMETERS), Instance13's rounds
# were short enough for a lower cap: more, smaller rounds. At 60 s, seeds 1-10 at 0.2: 1561,
# 1562, 1359, 1365, 1363, 1463, 1560, 1468, 1565, 1563 (three within 5 % of 1348; the
# rosters fall near 1360 or near 1560, two under-covered shifts apart), against 1563, 1555,
# 1669, 1569, 1699, 1555 for seeds 1-6 at 0.35; at 0.12 (seeds 1-4) 1761, 2059, 2384, 1982.
# Instance20 at 0.2 was no better (seeds 0-3: 4808, 4914, 4787, 4899; 4793, 4795 for seeds
# 0 and 1 at 0.35), so long horizons keep CELL_ROUND_CAP.
LARGE_SHORT_ROUND_CAP = 0.2
# Instance13's LP holds at its root value through most of a cell dive and rises only in the
# last rounds, which the deadline forces to fix many cells at once. So while the LP stays
# within FLAT_LP_RISE of the dive's first LP, large four-week instances fix this share of
# the open cells a round (`flat_share`, set by solver.curtois.search), leaving the later
# rounds more time. At 60 s, seeds 4-9 with CELL_DIVE_SHARE throughout / 0.2 while flat:
# 1551 / 1458, 1868 / 1652, 1663 / 1353, 1458 / 1472, 1660 / 1552, 1765 / 1666 (means 1661
# / 1525); seeds 10-15 at 0.3 / 0.2: 1458 / 1463, 1464 / 1459, 1458 / 1461, 1363 / 1356,
# 1359 / 1760, 1462 / 1458 (means 1427 / 1493; two / one within 5 % of 1348).
LARGE_SHORT_FLAT_SHARE = 0.3
FLAT_LP_RISE = 0.002
# CP-SAT prices exactly where the labelling programme's multipliers leave a gap, on horizons
# up to this (longer ones: Instance18's rows were not proven optimal in 30 s).
CPSAT_MAX_HORIZON = 42
# Column generation stops when TAIL_ITERATIONS iterations lowered the LP by less than TAIL
# (single iterations are often degenerate: new columns, same LP value).
TAIL = 0.1
TAIL_ITERATIONS = 3
# Weight of the best Lagrangian point in the duals where rows are priced (Wentges smoothing).
# GLOP releases the GIL, so the second core idles while the LP re-solves (0.65 s a re-solve
# against 0.3 s of pricing on Instance13). Pricing there at the last LP's own duals doubled
# the rows, slowed the re-solves to 1.0 s and left the LP higher at equal time (1499 against
# 1431 at 25.6 s).
# A smaller LP re-solves faster (Instance13, 120 new rows: 0.07 s over the 4 least reduced
# cost rows of each employee plus the LP's support, 0.73 s over the whole pool of 3,538),
# but purging the pool to that whenever it passed 12 rows an employee left the root LP
# higher at 24 s (1621, 1731 against 1523, 1481; 21 LP solves against 12): the rows dropped
# were priced again. Purging less (10 kept above 20 an employee) gave 1579. Purging once
# as the cell dive starts (8 kept; 2,812-3,725 rows -> 965 in 0.8-1.2 s) gave whole runs of
# 1750, 1579, 1721, 1626 (seeds 1-4 at 60 s; 1708-1725, 1475, 1525, 1555 without), the pool
# back at 5,950-7,093 rows by the dive's end.
SMOOTHING = 0.5
# Subgradient warm start (`warm_start`): initial step factor, halved after this many steps
# without a better Lagrangian value.
WARM_THETA = 1.0
WARM_PATIENCE = 4
# Its Polyak steps aim at most this many times the best Lagrangian value so far, not at the
# incumbent alone: Instance13's constructed roster costs 34,501, about 25 times the optimum,
# and steps aimed there overshoot (the value fell from 203 to -8,683 at the first step and
# stayed below 203 for 25 steps). Its root LP at 24 s (8 s of warm start, seeds 1 and 2):
# 1456 / 1411 aimed at the incumbent, 1348 / 1355 at twice the best value (bound 1260 /
# 1285 against 705 / 782), 1355 / 1361 at 1.5 times; aimed at the best roster of the rows
# found (each a feasible row, so a feasible roster), 1427 / 1453. Whole runs at 60 s, seeds
# 1-3: 1760, 1363, 1357 (bound 1077-1311). Instance20 lost with it (5039 / 4898, bound 1699 /
# 2013, against 4831 / 4884, bound 4388 / 4132), so only large four-week instances aim so.
WARM_TARGET = 2.0


def long_horizon(data: ProblemData) -> bool:
    """Whether the LP re-solves of `data` are slow enough for the long-horizon treatment
    (see LONG_HORIZON): warm start, cell dives, capped cell rounds (solver.curtois.search
    gives large four-week instances the first and the last too)."""
    return data.horizon > LONG_HORIZON


def _smooth(center: Duals, master: Duals, alpha: float) -> Duals:
    return Duals(
        employee_dual=alpha * center.employee_dual + (1 - alpha) * master.employee_dual,
        cover_dual=alpha * center.cover_dual + (1 - alpha) * master.cover_dual,
    )


def _rising(first: float, last: float) -> bool:
    """Whether a Lagrangian bound went from `first` to `last` by at least TAIL (-inf: none
    proven yet)."""
    return math.isfinite(last) and (not math.isfinite(first) or last - first >= TAIL)


class MasterLPError(RuntimeError):
    """GLOP did not solve the master LP, warm or cold."""


@dataclass(frozen=True)
class Duals:
    """A point of the master's dual space, where rows are priced."""

    employee_dual: NDArray[np.float64]  # pi [e]
    cover_dual: NDArray[np.float64]  # y [d, s]


@dataclass(frozen=True)
class MasterSolution(Duals):
    value: float
    weights: list[NDArray[np.float64]]  # l [e][p]


@dataclass(frozen=True)
class CellSupport:
    """The rows an LP solution uses, per employee, with their weights."""

    rows: dict[int, NDArray[np.int64]]  # e: (rows of positive weight, h)
    weights: dict[int, NDArray[np.float64]]  # e: their weights

    def agreement(self, e: int, row: NDArray[np.int64]) -> NDArray[np.float64]:
        """LP weight of e's rows that agree with `row`, day by day."""
        agree: NDArray[np.float64] = self.weights[e] @ (self.rows[e] == row)
        return agree

    def agreement_with(self, assign: NDArray[np.int64]) -> NDArray[np.float64]:
        """LP weight of the rows that agree with the roster `assign`, per (employee, day)."""
        return np.array([self.agreement(e, row) for e, row in enumerate(assign)])


class ColumnGeneration:
    """Row pool, master LP and exact pricing for one instance."""

    def __init__(
        self,
        data: ProblemData,
        seed: int = 0,
        round_cap: float | None = None,
        small_caps: bool = True,
        flat_share: float = CELL_DIVE_SHARE,
    ) -> None:
        """`small_caps`: the labelling programme tracks small shift-type maxima exactly
        (solver.curtois.pricing.SMALL_CAP), at the cost of slower pricing. `flat_share`:
        share of the open cells a cell-dive round fixes while the LP stays flat (within
        FLAT_LP_RISE of the dive's first LP)."""
        self.data = data
        self.seed = seed
        # A cell-dive round's column generation stops at this share of the dive time left
        # (CELL_ROUND_CAP, LARGE_SHORT_ROUND_CAP; None: at the dive's deadline).
        self.round_cap = round_cap
        self.flat_share = flat_share
        n, h = data.n_employees, data.horizon
        # CP-SAT pricing models, built when an employee is first priced by CP-SAT: building
        # all of Instance13's 120 took 1.4 s of a 60 s run whose root never prices by CP-SAT.
        self.pricing: list[SubModel | None] = [None] * n
        self.labelling = RowPricer(data, small_caps)
        self.on_total = data.on_weight.sum(axis=(1, 2))
        self.rows: list[list[NDArray[np.int64]]] = [[] for _ in range(n)]
        self._seen: list[set[bytes]] = [set() for _ in range(n)]
        self.fixed: dict[int, int] = {}  # employee -> index of its row in the pool
        # A cell dive's fixings: [e, d] -> FREE, OFF or a shift type every row of e must keep.
        self.cells = np.full((n, h), FREE, dtype=np.int64)
        self.bound: int | None = None
        self.diving = False  # a cell dive is on: its fixings may leave no row fixed
        self.converged = False  # the root LP: no row prices out, or the LP tailed off

    # -- pool ----------------------------------------------------------------------------

    def add(self, e: int, row: NDArray[np.int64]) -> bool:
        key = row.tobytes()
        if key in self._seen[e]:
            return False
        self._seen[e].add(key)
        self.rows[e].append(row.copy())
        return True

    def add_roster(self, assign: NDArray[np.int64]) -> None:
        for e in range(self.data.n_employees):
            self.add(e, assign[e])

    def row_cost(self, e: int, row: NDArray[np.int64]) -> int:
        """Request penalty of employee e working `row` (cover is the master's)."""
        d = np.nonzero(row >= 0)[0]
        s = row[d]
        data = self.data
        met = int(data.on_weight[e, d, s].sum())
        return int(self.on_total[e]) - met + int(data.off_weight[e, d, s].sum())

    # -- master LP -----------------------------------------------------------------------

    def _build_master(self) -> None:
        """The master LP with its constraints and slack; rows join it in `_sync_master`."""
        data = self.data
        n, h, n_s = data.n_employees, data.horizon, len(data.inst.shifts)
        lp = pywraplp.Solver.CreateSolver("GLOP")
        lp.SetSolverSpecificParametersAsString(GLOP_PARAMETERS)
        inf = lp.infinity()
        self._lp = lp
        self._goal = lp.Objective()
        self._goal.SetMinimization()
        self._convexity = [lp.Add(lp.Sum([]) == 1) for _ in range(n)]
        self._cover = np.empty((h, n_s), dtype=object)
        for d in range(h):
            for s in range(n_s):
                under, over = lp.NumVar(0.0, inf, ""), lp.NumVar(0.0, inf, "")
                self._goal.SetCoefficient(under, float(data.weight_under[d, s]))
                self._goal.SetCoefficient(over, float(data.weight_over[d, s]))
                con = lp.Add(under - over == float(data.requirement[d, s]))
                self._cover[d, s] = con
        self._lams: list[list[pywraplp.Variable]] = [[] for _ in range(n)]
        # employee -> (its fixed row, how many of its rows are bounded to it): a dive
        # re-solves the LP hundreds of times, so each fixing is applied once.
        self._bounded: dict[int, tuple[int, int]] = {}

    def _sync_master(self) -> None:
        """Add the pool's new rows as LP columns (the LP keeps its basis: GLOP re-solves
        incrementally) and apply the fixings as bounds."""
        lp, inf = self._lp, self._lp.infinity()
        for e, rows in enumerate(self.rows):
            lams = self._lams[e]
            for p in range(len(lams), len(rows)):
                row = rows[p]
                lam = lp.NumVar(0.0, inf, "")
                self._goal.SetCoefficient(lam, float(self.row_cost(e, row)))
                self._convexity[e].SetCoefficient(lam, 1.0)
                for d in np.nonzero(row >= 0)[0].tolist():
                    self._cover[d, int(row[d])].SetCoefficient(lam, 1.0)
                lams.append(lam)
            chosen = self.fixed.get(e)
            if chosen is None or self._bounded.get(e) == (chosen, len(lams)):
                continue
            was, done = self._bounded.get(e, (-1, 0))
            for p in range(done if was == chosen else 0, len(lams)):
                lams[p].SetUb(inf if p == chosen else 0.0)
            self._bounded[e] = (chosen, len(lams))

    def solve_master(self) -> MasterSolution:
        if not hasattr(self, "_lp"):
            self._build_master()
        self._sync_master()
        if self._lp.Solve() != pywraplp.Solver.OPTIMAL:
            # The LP always has a solution (slack everywhere), but GLOP's warm start from the
            # last basis gave up once in a long dive: try once more from a cold start.
            self._build_master()
            self._sync_master()
            self._exclude(range(self.data.n_employees))
            if self._lp.Solve() != pywraplp.Solver.OPTIMAL:
                raise MasterLPError("master LP not solved to optimality")
        h, n_s = self._cover.shape
        y = np.array([[self._cover[d, s].dual_value() for s in range(n_s)] for d in range(h)])
        return MasterSolution(
            employee_dual=np.array([con.dual_value() for con in self._convexity]),
            cover_dual=y,
            value=self._goal.Value(),
            weights=[self._weights(e) for e in range(len(self._lams))],
        )

    def _weights(self, e: int) -> NDArray[np.float64]:
        lams = self._lams[e]
        chosen = self.fixed.get(e)
        if chosen is None:
            return np.array([lam.solution_value() for lam in lams])
        weights = np.zeros(len(lams))  # the LP bounds every other row of e to zero
        weights[chosen] = 1.0
        return weights

    def support(self, master: MasterSolution, employees: Iterable[int]) -> CellSupport:
        """The rows of positive weight in `master` of `employees`."""
        rows, weights = {}, {}
        for e in employees:
            used = np.nonzero(master.weights[e] > 1e-9)[0]
            rows[e] = np.array([self.rows[e][p] for p in used.tolist()], dtype=np.int64)
            weights[e] = master.weights[e][used]
        return CellSupport(rows, weights)

    def keeps_cells(self, e: int, row: NDArray[np.int64]) -> bool:
        return keeps_fixings(row, self.cells[e])

    def _exclude(self, employees: Iterable[int]) -> None:
        """Bound to zero the rows of `employees` that break their cell fixings (rows priced
        later keep them)."""
        for e in employees:
            if e in self.fixed or not (self.cells[e] != FREE).any():
                continue
            for p, lam in enumerate(self._lams[e]):
                if not self.keeps_cells(e, self.rows[e][p]):
                    lam.SetUb(0.0)

    # -- pricing -------------------------------------------------------------------------

    def reduced_cost(self, e: int, row: NDArray[np.int64], master: Duals) -> float:
        d = np.nonzero(row >= 0)[0]
        dual = float(master.cover_dual[d, row[d]].sum())
        return self.row_cost(e, row) - float(master.employee_dual[e]) - dual

    def price(
        self,
        e: int,
        master: MasterSolution,
        limit: float,
        seed: int,
        cpsat: bool,
        point: Duals | None = None,
        stalled: bool = False,
    ) -> tuple[list[NDArray[np.int64]], float]:
        """Rows of e priced at the duals `point` (default: the master's) that have negative
        reduced cost in the master, and a proven lower bound on the least reduced cost at
        `point` of any feasible row of e (-inf when nothing is proven).

        The labelling programme (solver.curtois.pricing) answers in milliseconds but its
        rule-3 multipliers may leave a gap; with `cpsat`, CP-SAT prices exactly instead.
        When the LP has `stalled`, the multipliers take more steps."""
        at = master if point is None else point
        cost = self.data.off_weight[e] - self.data.on_weight[e] - at.cover_dual  # [d, s]
        offset = float(self.on_total[e]) - float(at.employee_dual[e])
        # In a cell dive the labelling programme keeps the fixings and proves no bound (-inf);
        # CP-SAT does not price then (its model does not know the fixings).
        cells = self.cells[e] if (self.cells[e] != FREE).any() else None
        if cpsat and cells is not None:
            return [], -math.inf
        if cpsat:
            found, lower = self._price_cpsat(e, cost, limit, seed)
        else:
            steps = LAGRANGE_STALLED_STEPS if stalled else LAGRANGE_STEPS
            priced = self.labelling.price(e, cost, steps, cells)
            found, lower = priced.rows, priced.lower
        rows = [row for row in found if self.reduced_cost(e, row, master) < -1e-6]
        return rows, lower + offset

    def _pricing_model(self, e: int) -> SubModel:
        """Employee e's CP-SAT pricing model, built on first use (one thread prices e at a
        time)."""
        sub = self.pricing[e]
        if sub is None:
            empty = np.full((self.data.n_employees, self.data.horizon), OFF, dtype=np.int64)
            sub = self.pricing[e] = SubModel(self.data, empty, [e])
        return sub

    def _price_cpsat(
        self, e: int, cost: NDArray[np.float64], limit: float, seed: int
    ) -> tuple[list[NDArray[np.int64]], float]:
        """Rows of e found by CP-SAT on path cost `cost`, and a proven lower bound on the
        least path cost (-inf when nothing is proven)."""
        sub = self._pricing_model(e)
        keys = list(sub.x)
        coeffs = [int(round(SCALE * cost[d, s])) for (_, d, s) in keys]
        sub.model.minimize(cp_model.LinearExpr.weighted_sum([sub.x[k] for k in keys], coeffs))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = limit
        solver.parameters.random_seed = seed
        found: list[NDArray[np.int64]] = []

        class _Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                found.append(sub.extract(self)[e].copy())

        status = solver.solve(sub.model, _Collect())
        lower = -math.inf
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            slack = 0.5 * self.data.horizon / SCALE  # rounding of the scaled coefficients
            lower = solver.best_objective_bound / SCALE - slack
        return found, lower

    def price_all(
        self,
        master: MasterSolution,
        threads: int,
        deadline: float,
        stalled: bool = False,
        point: Duals | None = None,
    ) -> tuple[int, float]:
        """Price every free employee at the duals `point` (default: the master's) by the
        labelling programme, then (at the root only, no dive on) by CP-SAT those whose
        bound leaves room for a row if the programme found none at all or if the LP has
        `stalled` (and CP-SAT can price this horizon); a stalled LP also gives the
        multipliers more steps.
        `threads` employees at once. Returns the number of new rows (negative reduced cost
        in the master) and the sum of the proven lower bounds on the least reduced costs at
        `point` (-inf if one was not priced)."""
        free = [e for e in range(self.data.n_employees) if e not in self.fixed]
        lower = dict.fromkeys(free, -math.inf)
        added = 0
        # A dive needs rows, not a proof that none is left: CP-SAT prices only at the root.
        # In Instance8's row dives it took 7.4 of 12.6 s of pricing threads; without it a
        # 60 s run dives 8-11 times instead of 5-6, and the column phase of seeds 1-3 ended
        # at 1308, 1305, 1305 against 1414, 1400, 1404 (Instance7: 1057, 1057, 1058 at 60 s
        # against 1059 three times).
        exact = self.data.horizon <= CPSAT_MAX_HORIZON and not self.fixed and not self.diving
        for cpsat in (False, True):
            if cpsat and (not exact or (added and not stalled)):
                break
            todo = [e for e in free if lower[e] < -1e-6]
            results = self._price_many(todo, master, threads, deadline, cpsat, point, stalled)
            for e, (rows, bound) in results.items():
                added += sum(self.add(e, row) for row in rows)
                lower[e] = max(lower[e], bound)
        return added, sum(lower[e] for e in free)

    def _price_many(
        self,
        employees: list[int],
        master: MasterSolution,
        threads: int,
        deadline: float,
        cpsat: bool,
        point: Duals | None,
        stalled: bool,
    ) -> dict[int, tuple[list[NDArray[np.int64]], float]]:
        results: dict[int, tuple[list[NDArray[np.int64]], float]] = {}
        lock = threading.Lock()
        queue = list(reversed(employees))

        def work(slot: int) -> None:
            while True:
                with lock:
                    if not queue:
                        return
                    e = queue.pop()
                left = deadline - time.monotonic()
                if left <= 0.05:
                    return
                limit = min(PRICE_LIMIT_S, left)
                seed = self.seed + slot + e
                out = self.price(e, master, limit, seed, cpsat, point, stalled)
                with lock:
                    results[e] = out

        workers = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(threads)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        return results

    # -- phases --------------------------------------------------------------------------

    def iterate(self, deadline: float, threads: int, max_iterations: int) -> MasterSolution:
        """Column generation until no row prices out, the LP tails off, the iteration
        limit or the deadline. Proves a bound at the root (no employee fixed).

        Rows are priced at duals smoothed towards the best Lagrangian point so far
        (Wentges smoothing): the master's own duals jump between extreme points of a very
        degenerate LP, and columns priced there mostly fix the last jump. When the smoothed
        duals price out no row of negative reduced cost in the master (a mispricing), the
        master's own duals are priced at once, so the stopping test stays exact."""
        master = self.solve_master()
        values = [master.value]
        stalled = False
        center: Duals | None = None
        center_value = -math.inf
        centers = [center_value]  # the best Lagrangian value after each iteration
        root = not self.fixed and not self.diving
        converged = False
        for _ in range(max_iterations):
            if time.monotonic() >= deadline:
                break
            point: Duals = master if center is None else _smooth(center, master, SMOOTHING)
            added, least = self.price_all(master, threads, deadline, stalled, point)
            if added == 0 and point is not master:
                point = master
                added, least = self.price_all(master, threads, deadline, stalled)
            value_at = self._lagrangian(point, least)
            if value_at > center_value:
                center, center_value = point, value_at
            if added:
                master = self.solve_master()  # the LP over every row of the pool
            if not self.fixed and not self.diving and math.isfinite(value_at):
                # the Lagrangian bound, less the LP solver's tolerance
                proven = math.ceil(value_at - 1e-4)
                self.bound = proven if self.bound is None else max(self.bound, proven)
                if proven >= math.ceil(master.value - 1e-4):
                    converged = True
                    break  # the objective is integral: no column can raise the bound further
            if added == 0:
                # Converged only if every employee was priced: the pricing threads stop
                # short of the deadline, which leaves the sum -inf.
                converged = math.isfinite(least)
                break
            values.append(master.value)
            centers.append(center_value)
            # Tailing off: the LP barely moved over the last TAIL_ITERATIONS iterations. The
            # labelling rows alone stall where the rule-3 multipliers leave gaps (Instance8's
            # root stopped at 1344.8 against 1296.6), so the multipliers take more steps and CP-SAT
            # prices too (where it can) before giving up.
            # Not at a root whose Lagrangian bound still rises: the smoothed duals are then
            # closing in on the LP's. On a loaded machine Instance4's root, its LP flat at
            # 1719 for four iterations while the least reduced costs rose from -701 to -28,
            # stopped at a bound of 1692 (the optimum, 1716, takes a few more iterations).
            window = values[-TAIL_ITERATIONS - 1 :]
            if (
                len(window) > TAIL_ITERATIONS
                and window[0] - window[-1] < TAIL
                and not (root and _rising(centers[-TAIL_ITERATIONS - 1], centers[-1]))
            ):
                if stalled:
                    converged = True
                    break
                stalled = True
            else:
                stalled = False
        if root:
            self.converged = converged
        return master

    def warm_start(
        self, deadline: float, threads: int, upper: float, target: float | None = None
    ) -> None:
        """Seed the pool with rows priced along subgradient steps on the cover duals, before
        the master LP is solved at all.

        Each step prices every employee at cover duals y (kept within [-weight_over,
        weight_under], so the Lagrangian value at y is a valid bound) and moves y towards
        the cover those best rows leave short or exceed (Polyak steps towards `upper`, an
        incumbent's objective, or `target` times the best value so far if less). One step
        costs one pricing pass and no LP: the rows it finds are spread over very different
        dual points, which the master then combines."""
        data = self.data
        n = data.n_employees
        y = np.zeros(data.requirement.shape, dtype=np.float64)
        best, theta, since = -math.inf, WARM_THETA, 0
        pool = ThreadPoolExecutor(max(1, threads))
        try:
            base = data.off_weight - data.on_weight  # [e, d, s]
            while time.monotonic() < deadline:
                priced = list(pool.map(self.labelling.price, range(n), base - y))
                value = float((data.requirement * y).sum())
                best_rows = np.full((n, data.horizon), OFF, dtype=np.int64)
                for e, rows in enumerate(priced):
                    value += float(self.on_total[e]) + rows.lower
                    for row in rows.rows:
                        self.add(e, row)
                    if rows.rows:
                        best_rows[e] = rows.rows[0]
                if not math.isfinite(value):
                    break  # an employee with no row proves nothing; the master will say more
                proven = math.ceil(value - 1e-4)
                self.bound = proven if self.bound is None else max(self.bound, proven)
                if value > best:
                    best, since = value, 0
                else:
                    since += 1
                    if since >= WARM_PATIENCE:
                        theta, since = theta / 2, 0
                slope = data.requirement - cover_counts(data, best_rows)
                aim = upper if target is None or best <= 0 else min(upper, target * best)
                step = theta * max(0.0, aim - value) / max(1.0, float((slope * slope).sum()))
                y = np.clip(y + step * slope, -data.weight_over, data.weight_under)
        finally:
            pool.shutdown()

    def _lagrangian(self, point: Duals, least: float) -> float:
        """The Lagrangian dual function at `point`, given the sum `least` of lower bounds on
        the free employees' least reduced costs there: the cover duals must stay within
        [-weight_over, weight_under], which the master's duals and their convex
        combinations do. Fixed employees count with their fixed row."""
        data = self.data
        value = float(point.employee_dual.sum()) + float(
            (data.requirement * point.cover_dual).sum()
        )
        for e, p in self.fixed.items():
            value += self.reduced_cost(e, self.rows[e][p], point)
        return value + least

    def dive(self, master: MasterSolution, deadline: float, threads: int) -> NDArray[np.int64]:
        """Fix employees to their heaviest row, most concentrated first, re-generating
        columns between rounds; the roster of the fixed rows when every employee is fixed.
        For converged roots (see CELL_DIVE_SHARE). A round fixes DIVE_FIX_SHARE of the free
        employees, and more when the pace of the last round (seconds per free employee; a
        round fixing a share f of F free employees leaves a dive of about F / f such
        employee-rounds) would not fix everyone by the deadline; at the deadline the rest
        take their heaviest row at once."""
        n = self.data.n_employees
        pace = 0.0  # seconds per free employee in the last round
        while len(self.fixed) < n:
            started = time.monotonic()
            free = [e for e in range(n) if e not in self.fixed]
            free.sort(key=lambda e: -float(master.weights[e].max()))
            share = DIVE_FIX_SHARE
            if pace > 0:
                share = max(share, pace * len(free) / max(1e-3, deadline - started))
            batch = max(1, int(len(free) * min(1.0, share)))
            if started >= deadline:
                batch = len(free)
            for e in free[:batch]:
                self.fixed[e] = int(np.argmax(master.weights[e]))
            if len(self.fixed) < n:
                master = self.iterate(deadline, threads, DIVE_ITERATIONS)
            pace = (time.monotonic() - started) / len(free)
        return np.array([self.rows[e][self.fixed[e]] for e in range(n)], dtype=np.int64)

    def dive_cells(
        self, master: MasterSolution, deadline: float, threads: int
    ) -> NDArray[np.int64]:
        """Fix single days of the employees' rows, most agreed first, re-generating columns
        between rounds; the roster of the fixed rows when every day is fixed or the LP is
        integral. For roots cut short (see CELL_DIVE_SHARE).

        A round fixes a share of the open (employee, day) cells: each free employee's
        cells take the value of its heaviest row, ranked by the LP weight of the rows that
        agree there. Every cell fixed for an employee comes from that one row, which keeps
        all its earlier fixings (rows that break one are bounded to zero), so every
        employee keeps a row and the LP stays feasible. The share grows with the pace of
        the last round (seconds per round against the time left) so that the dive ends by
        the deadline; at the deadline the rest is fixed at once.

        Completing the rest instead employee by employee (each a best row against the cover
        of those placed plus the LP's fractional cover of those to come) gave far better
        rosters when a dive collapsed (Instance20 from a 24 s root: 6333 against 34950 for
        the heaviest rows, 6041 against 6980 after best responses) but no better whole runs
        (seeds 2-5: 5772 / 5241, 5332, 5318, 5196 against 5412-5675, 5232, 5390, 5238)."""
        n = self.data.n_employees
        self.diving = True
        pace = 0.0  # seconds of the last round
        flat_until = master.value * (1 + FLAT_LP_RISE)
        try:
            while len(self.fixed) < n:
                started = time.monotonic()
                # An employee whose days are all fixed keeps the one row that has them (the
                # LP bounds every other row of it to zero).
                for e in range(n):
                    done = (self.cells[e] != FREE) | self.data.day_off[e]
                    if e not in self.fixed and done.all():
                        self.fixed[e] = int(np.argmax(master.weights[e]))
                free = [e for e in range(n) if e not in self.fixed]
                if all(float(master.weights[e].max()) > 1 - 1e-6 for e in free):
                    for e in free:  # the LP is integral: its rows are the roster
                        self.fixed[e] = int(np.argmax(master.weights[e]))
                    break
                score, employee, day, value = self._cell_candidates(master, free)
                share = self.flat_share if master.value <= flat_until else CELL_DIVE_SHARE
                if pace > 0:
                    share = max(share, pace / max(1e-3, deadline - started))
                count = max(1, int(len(score) * min(1.0, share)))
                if started >= deadline:
                    count = len(score)
                take = np.argsort(-score, kind="stable")[:count]
                self.cells[employee[take], day[take]] = value[take]
                self._exclude(sorted(set(employee[take].tolist())))
                if len(self.fixed) < n:
                    until = deadline
                    if self.round_cap is not None:
                        until = min(deadline, started + self.round_cap * (deadline - started))
                    master = self.iterate(until, threads, CELL_DIVE_ITERATIONS)
                pace = time.monotonic() - started
        finally:
            self.diving = False
        return np.array([self.rows[e][self.fixed[e]] for e in range(n)], dtype=np.int64)

    def _cell_candidates(
        self, master: MasterSolution, free: list[int]
    ) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """The open cells of the free employees: the LP weight of the rows that agree with
        the employee's heaviest row there, the employee, the day and that row's value."""
        scores, employees, days, values = [], [], [], []
        support = self.support(master, free)
        for e in free:
            heaviest = support.rows[e][int(np.argmax(support.weights[e]))]
            agree = support.agreement(e, heaviest)
            open_days = np.nonzero((self.cells[e] == FREE) & ~self.data.day_off[e])[0]
            scores.append(agree[open_days])
            employees.append(np.full(len(open_days), e, dtype=np.int64))
            days.append(open_days)
            values.append(heaviest[open_days])
        return (
            np.concatenate(scores),
            np.concatenate(employees),
            np.concatenate(days),
            np.concatenate(values),
        )

    def unfix(self) -> MasterSolution:
        """Undo a dive's fixings: the root LP again, over every row found so far."""
        self._fix_cells(np.full_like(self.cells, FREE))
        return self.solve_master()

    def _fix_cells(self, cells: NDArray[np.int64]) -> None:
        """Fix exactly `cells` (no employee fixed whole): every row that keeps them is free
        in the LP again, every other row bounded to zero."""
        self.fixed.clear()
        self._bounded.clear()
        self.cells[:] = cells
        inf = self._lp.infinity()
        for lams in self._lams:
            for lam in lams:
                lam.SetUb(inf)
        self._exclude(range(self.data.n_employees))

    def branch_cells(
        self,
        master: MasterSolution,
        deadline: float,
        threads: int,
        objective: int,
        offer: Callable[[NDArray[np.int64]], int],
    ) -> bool:
        """Best-first search over single-cell fixings from the LP `master` (branch and
        price without the proof), for converged roots of small instances
        (solver.curtois.search); every roster below `objective` goes to `offer`, which returns
        the incumbent's objective. True when no open node is left below the incumbent.

        A node fixes some (employee, day) cells. It branches on the open cell whose LP
        weight is most evenly split between values (day off or a shift type): one child
        per value that the LP's rows take there, heaviest first. The search plunges down
        the heaviest child, one column-generation round per node, until the LP is
        integral (its rows are a roster of the LP's value) or its value leaves no room
        below the incumbent; then it goes on from the open node of least LP. The LP of a
        node is over the pool's rows only, and a child takes only values some row already
        has, so an empty tree proves nothing: it says only that this pool holds nothing
        better. Instance7 at 60 s, seeds 0-12 (seed 0 three times): 1056, its best known,
        in 12 of 15 runs, found by the branching itself (1.7-18.9 s) or by the combination
        over its larger pool (at 34.5 s); else 1057 or 1058. The row dives reached 1056 in
        about one run of three (seeds 0-2 gave 1057 three times that evening, each found
        by 3.4 s and kept to the end). Instance5 seeds 0-2: 1143 three times; Instance6
        seeds 0-2: 1950 proven optimal at 24.5, 35.8 and 22.2 s. Branching on whole rows
        instead (each fixed or barred) reached 1057-1059 on Instance7: barring one row
        barely moves the LP, so the tree stayed near the root; branching for the
        combination's time too (33 s) gave 1056 in 2 of 4. On Instance8 the plunges were
        too slow (one node about 0.14 s, 1-6 rosters in 30 s; 1306 and 1313 at 60 s, 1305
        and 1408 fixing at each branching every cell its LP rows agree on, and nothing
        below the row dives' 1304, 1305, 1308 in 18 s after them)."""
        n = self.data.n_employees
        heap: list[tuple[float, int, NDArray[np.int64]]] = [(master.value, 0, self.cells.copy())]
        pushed = 1
        self.diving = True
        try:
            while heap and time.monotonic() < deadline:
                value, _, cells = heapq.heappop(heap)
                if value > objective - 1 + 1e-6:
                    return True  # best first: no open node is below the incumbent either
                if pushed > 1:  # the root node is the LP given
                    self._fix_cells(cells)
                    master = self.iterate(deadline, threads, BRANCH_ITERATIONS)
                while time.monotonic() < deadline and master.value <= objective - 1 + 1e-6:
                    branch = self._branching_cell(master)
                    if branch is None:  # integral: its rows are a roster of the LP's value
                        rows = [self.rows[e][int(np.argmax(master.weights[e]))] for e in range(n)]
                        objective = offer(np.array(rows, dtype=np.int64))
                        break
                    e, d, values = branch
                    for v in values[1:]:
                        child = self.cells.copy()
                        child[e, d] = v
                        heapq.heappush(heap, (master.value, pushed, child))
                        pushed += 1
                    self.cells[e, d] = values[0]
                    self._exclude([e])
                    master = self.iterate(deadline, threads, BRANCH_ITERATIONS)
            return not heap and time.monotonic() < deadline
        finally:
            self.diving = False

    def _branching_cell(self, master: MasterSolution) -> tuple[int, int, list[int]] | None:
        """The open cell whose LP weight is most evenly split (heaviest value nearest one
        half), with the values the LP gives it, heaviest first; None when the LP is
        integral (every employee on one row: rows are unique, so two rows of one employee
        differ on an open cell)."""
        n_s = len(self.data.inst.shifts)
        values = np.arange(OFF, n_s)
        support = self.support(master, range(self.data.n_employees))
        best: tuple[float, int, int, list[int]] | None = None
        for e, rows in support.rows.items():
            if len(rows) < 2:
                continue
            mass = np.stack([support.weights[e] @ (rows == v) for v in values])  # [value, d]
            split = ((mass > 1e-9).sum(axis=0) >= 2) & (self.cells[e] == FREE)
            score = np.where(split, np.abs(mass.max(axis=0) - 0.5), np.inf)
            d = int(np.argmin(score))
            if best is None or score[d] < best[0]:
                order = np.argsort(-mass[:, d], kind="stable")
                taken = [int(values[i]) for i in order if mass[i, d] > 1e-9]
                best = (float(score[d]), e, d, taken)
        return None if best is None else best[1:]

    def best_combination(
        self, incumbent: NDArray[np.int64], objective: int, limit: float
    ) -> NDArray[np.int64] | None:
        """The best roster made of the pool's rows, one per employee, by SCIP's branch and
        bound on the restricted master within `limit` seconds (price and branch); None when
        it finds none better than `objective`.

        Only rows whose reduced cost at the root LP over the whole pool is at most the room
        `objective` - 1 - LP take part: a roster's cost is the LP value plus the reduced
        costs of its rows and slack, so no other row can be in a better one. The incumbent's
        rows that take part are its hint. CP-SAT on this model did not improve Instance5, 7
        or 8 in 10-15 s (on the first two its bound stayed far below the LP: 31 and 646);
        SCIP improved the first two. Making the pool complete (every row within the room at
        the root duals, so that the combination would be optimal over all rosters) is out of
        reach: Instance7 has 27,401 such rows over its 20 employees at a room of 1.9, and
        CP-SAT took 201.6 s to enumerate them (nine employees cut short at 20 s). Adding
        part of them first (the labelling programme at randomly perturbed cover duals, rows
        within the room kept: 2,800-4,300 rows in 0.3 of the time) only slowed SCIP down:
        Instance7 seeds 0-3 found nothing better in 15.8 s (1058, 1057, 1057, 1057 at 60 s),
        nor with 7,993 such rows and 46 s."""
        master = self.unfix()
        room = objective - 1 - master.value
        mip = pywraplp.Solver.CreateSolver("SCIP")
        if mip is None or room < 0:
            return None
        data = self.data
        h, n_s = data.horizon, len(data.inst.shifts)
        goal = mip.Objective()
        goal.SetMinimization()
        cover: list[list[list[pywraplp.Variable]]] = [[[] for _ in range(n_s)] for _ in range(h)]
        chosen: list[list[tuple[pywraplp.Variable, NDArray[np.int64]]]] = []
        hint_vars: list[pywraplp.Variable] = []
        hint_values: list[float] = []
        for e, rows in enumerate(self.rows):
            kept = [row for row in rows if self.reduced_cost(e, row, master) <= room + 1e-6]
            if not kept:
                return None  # no row of e can be in a better roster made of the pool
            picks = [(mip.BoolVar(""), row) for row in kept]
            mip.Add(mip.Sum([x for x, _ in picks]) == 1)
            for x, row in picks:
                goal.SetCoefficient(x, float(self.row_cost(e, row)))
                for d in np.nonzero(row >= 0)[0].tolist():
                    cover[d][int(row[d])].append(x)
                hint_vars.append(x)
                hint_values.append(1.0 if np.array_equal(row, incumbent[e]) else 0.0)
            chosen.append(picks)
        inf = mip.infinity()
        for d in range(h):
            for s in range(n_s):
                under, over = mip.NumVar(0.0, inf, ""), mip.NumVar(0.0, inf, "")
                goal.SetCoefficient(under, float(data.weight_under[d, s]))
                goal.SetCoefficient(over, float(data.weight_over[d, s]))
                mip.Add(mip.Sum(cover[d][s]) + under - over == float(data.requirement[d, s]))
        mip.SetHint(hint_vars, hint_values)
        mip.SetNumThreads(1)
        mip.SetTimeLimit(max(1, int(1000 * limit)))
        if mip.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return None
        if goal.Value() > objective - 1 + 1e-6:
            return None
        return np.array(
            [next(row for x, row in picks if x.solution_value() > 0.5) for picks in chosen],
            dtype=np.int64,
        )
