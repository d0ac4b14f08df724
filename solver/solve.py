"""`solve(problem)`: relaxation bound, day-by-day first roster, then LNS and/or the full model.

1. Pre-checks (S1/R2 availability): a precise message instead of a search.
2. Shift-count relaxation (`solver.relaxation`): its proven optimum is the lower bound, its
   counts the shape of the first roster.
3. First roster (`solver.daily`): the relaxation's counts given names day by day (one small
   CP-SAT model per day with R2, coverage and the counts as targets, then a min-cost
   assignment), then shifts added wherever intervals are still short.
4. Exchanges (`solver.exchange`): two people trade days, blocks of days or shifts, across
   teams, for refused requests (R8), uneven nights and weekends (R7) and hours below
   contract (R5), and single shifts change type where coverage (R9) gains - fast moves the
   team neighbourhoods cannot make or have not been given.
5. Large-neighbourhood search (`solver.lns`): a team over a window of days, a few of its
   people over the month, or someone whose request is refused with partners from other
   teams; with two workers or more and several teams, that many neighbourhoods are solved at
   once (one CP-SAT worker each). In turns with these, every team on one day (all workers),
   each kind of turn timed by what it gains per second. Then the exchanges again, and the
   search again with any time they leave. Small problems: the full model only, hinted with
   the first roster; mid-sized ones: the search, then the full model from its roster (its
   bound joins the relaxation's).
6. The checkers judge the result: objective = their soft cost, penalties explained by them.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date

from ortools.sat.python import cp_model

from rules.roster.common import min_staff_at
from rules.snapshot import Assignment
from solver.construct import construct, fill_gaps
from solver.daily import construct_daily
from solver.explain import explain_infeasible, precheck
from solver.gain_rates import GainRates
from solver.lns import TeamLNS, coverage_of, run_centre, run_parallel
from solver.model import build_model
from solver.problem import RosterProblem
from solver.progress import ProgressEvent, ProgressFn, no_progress
from solver.relaxation import solve_relaxation
from solver.solution import RosterSolution, finish

#: Above this many x variables the full model is not solved directly (LNS instead).
DIRECT_MAX_VARIABLES = 6000
#: Up to this many, the full model only (no LNS first).
DIRECT_ONLY_MAX_VARIABLES = 1500
#: Share of the time left after construction that the full model gets after LNS.
DIRECT_SHARE = 0.35
#: Share of the time limit the day-by-day construction may take (it rarely needs it all).
#: At 100 agents and 60 s, six seeds each: 0.2 ended at 60,020-60,780 (two first rosters
#: above 72,000, days cut short), 0.25 at 59,720-60,520, 0.3 at 59,680-60,260.
CONSTRUCT_SHARE = 0.3
#: Above this many people the one-at-a-time greedy is not tried against the day-by-day roster.
GREEDY_MAX_PEOPLE = 150
#: Shares of the time limit the exchanges may take before and after LNS (they stop sooner
#: once no exchange pays). From the first roster they gain far faster than the search: at 500
#: agents 12,795 in 18 s, 23,735 in 36 s, where the search gained about 90 a second. First
#: share 0.06 against 0.15 (2026-12-06, 4df132e): 100 agents, six seeds, mean 59,990 against
#: 59,917; 250 agents 3.67 % against 1.88 %; 500 agents 4.18 % against 2.14 % (one run each).
EXCHANGE_FIRST_SHARE = 0.15
EXCHANGE_LAST_SHARE = 0.10
#: Seconds of one turn of team neighbourhoods; centre days then get this times their recent
#: gain per second over the team neighbourhoods', within [MIN, MAX]. At 100 agents and 60 s:
#: without centre days 60,120-60,930 (six runs), with them 59,680-60,970 (twelve runs, all but
#: one at or below 60,260).
TURN_S = 4.0
MIN_CENTRE_SHARE = 0.2
MAX_CENTRE_SHARE = 3.0


class _Clock:
    def __init__(self, time_limit_s: float, progress: ProgressFn) -> None:
        self.t0 = time.monotonic()
        self.limit = time_limit_s
        self.progress = progress
        self.history: list[ProgressEvent] = []
        self.first: float | None = None
        self.best: float | None = None

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def left(self) -> float:
        return self.limit - self.elapsed()

    def report(
        self, phase: str, objective: float | None, bound: float | None, msg: str = ""
    ) -> None:
        if objective is not None and self.first is None:
            self.first = self.elapsed()
        if objective is not None:
            self.best = objective if self.best is None else min(self.best, objective)
        event = ProgressEvent(self.elapsed(), phase, objective, bound, self.limit, msg)
        self.history.append(event)
        self.progress(event)


def solve(
    problem: RosterProblem,
    time_limit_s: float = 60.0,
    workers: int = 2,
    progress: ProgressFn | None = None,
    seed: int = 0,
) -> RosterSolution:
    """Roster a problem within the time limit; never raises for an infeasible problem."""
    clock = _Clock(time_limit_s, progress or no_progress)
    reasons = precheck(problem)
    if reasons:
        return _infeasible(problem, reasons, clock)
    relax = solve_relaxation(problem, min(15.0, max(1.0, 0.2 * time_limit_s)), workers)
    if relax.status == "INFEASIBLE":
        return _infeasible(problem, explain_infeasible(problem, max(2.0, clock.left())), clock)
    bound = relax.bound
    clock.report("relaxation", None, bound, f"relaxation {relax.status}")
    roster = _first_roster(problem, relax.counts, clock, workers)
    size = len(problem.people) * len(problem.days()) * len(problem.shift_types)
    if size <= DIRECT_ONLY_MAX_VARIABLES:
        return _direct(problem, roster, bound, clock, workers, seed)
    if size <= DIRECT_MAX_VARIABLES:
        # LNS finds good rosters fastest; the full model then polishes and proves a bound.
        roster = _lns(problem, roster, bound, clock, workers, seed, DIRECT_SHARE * clock.left())
        return _direct(problem, roster, bound, clock, workers, seed)
    return _done(
        problem, _lns(problem, roster, bound, clock, workers, seed), "FEASIBLE", bound, clock
    )


def _first_roster(
    problem: RosterProblem,
    counts: dict[tuple[str, bool, date, str], int],
    clock: _Clock,
    workers: int,
) -> list[Assignment]:
    """Day-by-day assignment of the relaxation's counts, then shifts wherever still short;
    the one-person-at-a-time greedy when that leaves more S1 holes (or no time is left)."""
    budget = min(CONSTRUCT_SHARE * clock.limit, max(0.0, clock.left() - 1.0))
    if budget < 0.05 * len(problem.days()):
        return fill_gaps(problem, construct(problem, counts))
    daily = fill_gaps(problem, construct_daily(problem, counts, budget, workers=workers))
    if not (problem.enforce_min_staff and _min_staff_holes(problem, daily)):
        return daily
    if len(problem.people) > GREEDY_MAX_PEOPLE:
        return daily  # the greedy is slow there; the search fills S1 holes first
    greedy = fill_gaps(problem, construct(problem, counts))
    return min(greedy, daily, key=lambda roster: _rank(problem, roster))


def _rank(problem: RosterProblem, roster: list[Assignment]) -> tuple[int, int]:
    """(days with S1 holes, soft cost): which of two first rosters to start from."""
    from rules.roster import soft_cost

    holes = len(_min_staff_holes(problem, roster)) if problem.enforce_min_staff else 0
    return holes, soft_cost(problem.snapshot(roster), problem.policy)


def _infeasible(problem: RosterProblem, reasons: list[str], clock: _Clock) -> RosterSolution:
    clock.report("done", None, None, reasons[0] if reasons else "infeasible")
    return RosterSolution(
        status="INFEASIBLE",
        objective=None,
        bound=None,
        infeasibility=tuple(reasons),
        elapsed_s=clock.elapsed(),
        history=clock.history,
    )


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, clock: _Clock, phase: str, floor: float) -> None:
        super().__init__()
        self.clock, self.phase, self.floor = clock, phase, floor

    def on_solution_callback(self) -> None:
        bound = max(self.floor, self.best_objective_bound)
        best = self.clock.best
        if best is None or self.objective_value < best:  # CP-SAT may start above its hint
            self.clock.report(self.phase, self.objective_value, bound)


def _direct(
    problem: RosterProblem,
    roster: list[Assignment],
    bound: float,
    clock: _Clock,
    workers: int,
    seed: int,
) -> RosterSolution:
    rm = build_model(problem, hint=roster)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.5, clock.left())
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(rm.model, _Reporter(clock, "direct", bound))
    if status == cp_model.INFEASIBLE:
        return _infeasible(problem, explain_infeasible(problem, 10.0), clock)
    start_ok = not (problem.enforce_min_staff and _min_staff_holes(problem, roster))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if start_ok:  # CP-SAT found nothing in time (its hint repair failed): keep ours
            return _done(problem, roster, "FEASIBLE", bound, clock)
        return _infeasible(
            problem, ["No roster found within the time limit; try a longer one."], clock
        )
    bound = max(bound, solver.best_objective_bound)
    found = rm.assignments(solver)
    if status != cp_model.OPTIMAL and start_ok and _rank(problem, roster) < _rank(problem, found):
        found = roster  # a hint CP-SAT could not use: never return worse than the start
    return _done(problem, found, solver.status_name(status), bound, clock)


def _lns(
    problem: RosterProblem,
    roster: list[Assignment],
    bound: float,
    clock: _Clock,
    workers: int,
    seed: int,
    reserve: float = 0.0,
) -> list[Assignment]:
    """Exchanges, large-neighbourhood search, exchanges again, until `reserve` seconds are
    left (the search again if the exchanges finish early)."""
    from rules.roster import soft_cost

    cost = soft_cost(problem.snapshot(roster), problem.policy)
    clock.report("construction", cost, bound)
    roster, cost = _exchange(problem, roster, cost, bound, clock, EXCHANGE_FIRST_SHARE, seed)
    last = EXCHANGE_LAST_SHARE * clock.limit
    roster, cost = _search(problem, roster, cost, bound, clock, workers, seed, reserve + last)
    share = max(0.0, clock.left() - reserve - 0.2) / clock.limit
    roster, cost = _exchange(problem, roster, cost, bound, clock, share, seed)
    if clock.left() - reserve > 1.0:
        roster, cost = _search(problem, roster, cost, bound, clock, workers, seed + 1, reserve)
    return roster


def _search(
    problem: RosterProblem,
    roster: list[Assignment],
    cost: int,
    bound: float,
    clock: _Clock,
    workers: int,
    seed: int,
    reserve: float,
) -> tuple[list[Assignment], int]:
    """Large-neighbourhood search (`solver.lns`) until `reserve` seconds are left."""
    lns = TeamLNS(problem, roster, workers, seed)
    state = {"cost": cost}
    lns.focus = _min_staff_holes(problem, roster) if problem.enforce_min_staff else []

    def s1_ok() -> bool:
        return problem.enforce_min_staff and not lns.focus

    def after_step(improved: bool) -> None:
        if improved:
            # The sub-model's objective is the team's soft cost: an upper bound on the
            # roster's (exact once CP-SAT's auxiliary variables are tight); `finish` judges.
            state["cost"] -= lns.gain
            clock.report("search", state["cost"], bound)
        if lns.focus:  # once S1 holds, sub-models enforce it: no need to look again
            lns.focus = _min_staff_holes(problem, lns.assignments())

    def team_steps(until: float) -> None:
        if workers >= 2 and len(lns.teams) >= 2:
            run_parallel(lns, until, workers, s1_ok, after_step)
        else:
            while until - time.monotonic() > 0.5:
                after_step(lns.step(until - time.monotonic() - 0.3, s1_ok()))

    deadline = time.monotonic() + clock.left() - reserve
    if len(lns.teams) < 2:  # a centre day is then a team window
        team_steps(deadline)
        return lns.assignments(), state["cost"]
    # Turns of team neighbourhoods and of centre days, each given time by what it has gained
    # per second lately: team neighbourhoods gain most early, centre days near the end.
    rates = GainRates(("team", "centre"))
    while deadline - time.monotonic() > 0.5:
        share = rates.ratio("centre", "team", 1.0, MIN_CENTRE_SHARE, MAX_CENTRE_SHARE)
        for kind, length in (("team", TURN_S), ("centre", share * TURN_S)):
            until = min(deadline, time.monotonic() + length)
            if until - time.monotonic() <= 0.5:
                break
            t0, before = time.monotonic(), state["cost"]
            if kind == "team":
                team_steps(until)
            else:
                run_centre(lns, until, workers, s1_ok, after_step)
            rates.add(kind, time.monotonic() - t0, before - state["cost"])
    return lns.assignments(), state["cost"]


def _exchange(
    problem: RosterProblem,
    roster: list[Assignment],
    cost: int,
    bound: float,
    clock: _Clock,
    share: float,
    seed: int,
) -> tuple[list[Assignment], int]:
    """Trades between two people and single shifts changed (`solver.exchange`)."""
    from solver.exchange import Exchange

    if share <= 0:
        return roster, cost
    exchange = Exchange(problem, roster, seed)
    said = time.monotonic()

    def on_trade(gain: int) -> None:  # progress at most once a second
        nonlocal said
        if time.monotonic() - said >= 1.0:
            said = time.monotonic()
            clock.report("exchange", cost - gain, bound)

    if not exchange.improve(time.monotonic() + share * clock.limit, on_trade):
        return roster, cost
    cost -= exchange.gain
    clock.report("exchange", cost, bound)
    return exchange.assignments(), cost


def _min_staff_holes(problem: RosterProblem, roster: list[Assignment]) -> list[date]:
    """Days with an interval below S1's floor."""
    have: Counter[tuple[date, int]] = coverage_of(problem, roster + list(problem.previous))
    ext = problem.external_coverage
    return [
        d
        for d in problem.days()
        if any(
            have[(d, k)] + ext.get((d, k), 0)
            < min_staff_at(
                problem.start, problem.shift_types, problem.interval_minutes, problem.policy, d, k
            )
            for k in range(problem.intervals_per_day)
        )
    ]


def _done(
    problem: RosterProblem,
    roster: list[Assignment],
    status: str,
    bound: float,
    clock: _Clock,
) -> RosterSolution:
    sol = finish(problem, roster, status, bound)
    clock.report("done", sol.objective, sol.bound)
    sol.elapsed_s = clock.elapsed()
    sol.first_solution_s = clock.first
    sol.history = clock.history
    return sol
