"""Large-neighbourhood search: re-optimise one team over a window of days, others fixed.

Decomposition (why it is exact): a neighbourhood is a whole team, so R2 and R7 (per team) are
complete in the sub-model; the team's assignments outside the window are constants, so R1, R4,
R5, R6 and R10 still see the whole month; every other team's shifts enter as
`external_coverage`, so the sub-model's R9 cost is the centre's R9 cost. Hence the sub-model's
objective differs from the centre's objective by a constant, and an improvement there is an
improvement of the whole roster. Windows grow when sub-models solve to optimality and shrink
when they time out.

A centre-day neighbourhood frees every team on one day (all of their people, each team's R2
complete), so coverage can move between teams, which team neighbourhoods cannot do.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from ortools.sat.python import cp_model

from rules.roster import soft_cost
from rules.roster.common import min_staff_at, required_at, shift_slots
from rules.roster.coverage import slot_cost
from rules.roster.preferences import granted
from rules.snapshot import Assignment, ShiftType
from solver.model import build_model
from solver.problem import RosterProblem

#: Days either side of a refused request that its partners neighbourhood frees.
PARTNER_DAYS = 5
#: CP-SAT's time per neighbourhood (they grow while solved to optimality in half of it). At
#: 100 agents, 30 s of search from the same roster, four seeds each, ended on average at
#: 61,066 with 1.5 s, 60,853 with 0.8 s; 0.3 s and 3 s did worse than either.
SUB_TIME = 0.8
#: CP-SAT's time per centre-day neighbourhood (every team on one day, all workers): most
#: solve to optimality in 0.5-1 s at 100 agents.
CENTRE_TIME = 2.0


@dataclass
class Neighbourhood:
    """One team's person-days to re-optimise: `people` (None: all of the team) over the
    days `first`..`last`; every other person-day of the team stays as it is."""

    team: str
    first: date
    last: date
    people: frozenset[str] | None = None
    # Further teams whose chosen people swap with this team's (coverage is the centre's, so
    # the best partner for a refused request is often in another team).
    partners: tuple[str, ...] = ()

    @property
    def teams(self) -> tuple[str, ...]:
        return (self.team, *self.partners)

    @property
    def kind(self) -> str:
        if self.people is None:
            return "centre" if self.partners else "window"
        return "partners" if self.partners else "people"


@dataclass
class Job:
    """A neighbourhood to solve, against the roster as it was when proposed."""

    nb: Neighbourhood
    roster: dict[str, list[Assignment]]
    version: int
    seed: int
    # Agents on duty per slot from the roster's shifts when proposed (to correct the gain of
    # a stale job for what other teams did since).
    cover: Counter[tuple[date, int]]


@dataclass
class StepResult:
    job: Job
    status: cp_model.CpSolverStatus
    wall: float  # CP-SAT's
    before: int
    after: int | None = None
    new: list[Assignment] = field(default_factory=list)
    enforce_min_staff: bool = False
    elapsed: float = 0.0  # the whole step: building the model and solving it


def solve_neighbourhood(
    problem: RosterProblem,
    job: Job,
    time_limit_s: float,
    enforce_min_staff: bool,
    workers: int,
) -> StepResult:
    """Solve one neighbourhood (thread-safe: reads only the job and the problem)."""
    t0 = time.monotonic()
    sub = team_subproblem(problem, job.roster, job.nb, enforce_min_staff, job.cover)
    current = [a for team in job.nb.teams for a in job.roster[team]]
    rm = build_model(sub, fixed_as_constants=True, hint=current)
    before = _hinted_objective(rm.model)
    if before is None:
        before = soft_cost(sub.snapshot(current), sub.policy)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit_s)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = job.seed
    solver.parameters.cp_model_probing_level = 0  # presolve time dominates small windows
    solver.parameters.relative_gap_limit = 1e-4
    status = solver.solve(rm.model)
    result = StepResult(job, status, solver.wall_time, before, enforce_min_staff=enforce_min_staff)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # The sub-model's objective is the team's soft cost (as the checkers count it, the
        # agreement tests make sure), other teams' shifts entering as constant coverage.
        result.after = round(solver.objective_value)
        result.new = rm.assignments(solver)
    result.elapsed = time.monotonic() - t0
    return result


def _coverage_delta(
    problem: RosterProblem, old: list[Assignment], new: list[Assignment]
) -> dict[tuple[date, int], int]:
    before, after = coverage_of(problem, old), coverage_of(problem, new)
    delta = {slot: after[slot] - before[slot] for slot in set(before) | set(after)}
    return {slot: d for slot, d in delta.items() if d}


def coverage_of(problem: RosterProblem, assignments: list[Assignment]) -> Counter[tuple[date, int]]:
    """Agents on duty per (day, interval) within the period from some assignments.

    Counted per shift start first: the search calls this on whole rosters from the thread
    that commits steps, and slot by slot it took 23 ms a call at 100 agents (3 s of a 60 s
    run, holding the GIL the step threads need)."""
    codes = {s.code: s for s in problem.shift_types}
    out: Counter[tuple[date, int]] = Counter()
    for (day, code), n in Counter((a.day, a.shift) for a in assignments).items():
        slots = period_slots(codes[code], problem.interval_minutes, day, problem.start, problem.end)
        out.update(slots * n if n > 1 else slots)
    return out


@lru_cache(maxsize=1 << 16)
def period_slots(
    shift: ShiftType, interval_minutes: int, day: date, start: date, end: date
) -> tuple[tuple[date, int], ...]:
    """(day, interval) of the period `start`..`end` that a shift started on `day` covers."""
    return tuple(
        (day + timedelta(days=offset), index)
        for offset, index in shift_slots(shift, interval_minutes)
        if start <= day + timedelta(days=offset) <= end
    )


def team_subproblem(
    problem: RosterProblem,
    roster: dict[str, list[Assignment]],
    nb: Neighbourhood,
    enforce_min_staff: bool,
    cover: Counter[tuple[date, int]] | None = None,
) -> RosterProblem:
    """The teams' problem with days outside the window pinned and other teams as coverage:
    the whole roster's (`cover`, kept by the search) less these teams', usually the smaller
    part."""
    teams = set(nb.teams)
    members = [p.key for p in problem.people if p.team in teams]
    if cover is None:
        cover = coverage_of(problem, [a for lst in roster.values() for a in lst])
    external = cover - coverage_of(problem, [a for t in nb.teams for a in roster[t]])
    others_prev = [a for a in problem.previous if a.person not in set(members)]
    external += coverage_of(problem, others_prev)
    for slot, n in problem.external_coverage.items():
        external[slot] += n
    worked = {(a.person, a.day): a.shift for t in nb.teams for a in roster.get(t, [])}
    fixed: dict[tuple[str, date], str | None] = {}
    for key in members:
        free = nb.people is None or key in nb.people
        for day in problem.days():
            if not (free and nb.first <= day <= nb.last):
                fixed[(key, day)] = worked.get((key, day))
    for (key, day), code in problem.fixed.items():
        if key in set(members):
            fixed[(key, day)] = code
    return problem.subproblem(
        members,
        fixed=fixed,
        external_coverage=dict(external),
        enforce_min_staff=enforce_min_staff,
    )


class TeamLNS:
    """Improves a roster team by team; `step()` runs one neighbourhood."""

    def __init__(
        self,
        problem: RosterProblem,
        assignments: list[Assignment],
        workers: int,
        seed: int = 0,
    ) -> None:
        self.problem = problem
        self.workers = workers
        self._people = {p.key: p for p in problem.people}
        self._team_of = {p.key: p.team for p in problem.people}
        self.rng = random.Random(seed)
        self.teams = sorted(problem.teams())
        team_of = {p.key: p.team for p in problem.people}
        self.roster: dict[str, list[Assignment]] = {t: [] for t in self.teams}
        for a in assignments:
            self.roster[team_of[a.person]].append(a)
        # Small windows solve fast and improve steadily; they grow while sub-models are easy.
        self.window = min(3, len(problem.days()))
        self.sub_time = SUB_TIME
        self.cursor = 0
        self.people_cursor = 0
        self.centre_cursor = 0
        # Per day: the version of the last commit that changed a shift on it, and the version
        # at which its centre-day neighbourhood was last proven to gain nothing.
        self.changed: dict[date, int] = {}
        self.centre_settled: dict[date, int] = {}
        self.steps = 0
        self.n_people = 4
        self.focus: list[date] = []  # days with S1 holes: visited first
        # Moving average of cost gained per second of each kind of neighbourhood.
        self.rate = {"window": 0.0, "people": 0.0, "partners": 0.0}
        self.n_partners = 4
        self.version = 0  # commits so far: a job proposed at an older version may be stale
        self.gain = 0
        self._fixed: Counter[tuple[date, int]] | None = None
        # Agents on duty per slot from the roster's shifts, kept up to date by `commit`.
        self.cover = coverage_of(problem, assignments)
        self.snapshot = problem.snapshot([])
        p = problem
        self._floor = {
            (d, k): (
                min_staff_at(p.start, p.shift_types, p.interval_minutes, p.policy, d, k)
                if p.enforce_min_staff
                else 0
            )
            for d in p.days()
            for k in range(p.intervals_per_day)
        }

    def assignments(self) -> list[Assignment]:
        return [a for t in self.teams for a in self.roster[t]]

    def next_neighbourhood(self, busy: set[str] | None = None) -> Neighbourhood:
        """A team over a window of days, a few of a team's people over the whole month
        (their shifts can move across days, which windows cannot do), or someone whose
        request the roster refuses with partners from any free team: mostly the kind that
        has recently gained more per second, each other kind in a share of the steps."""
        self.steps += 1
        if self.focus:
            return self._window_neighbourhood()
        kinds = sorted(self.rate, key=lambda k: -self.rate[k])
        kind = kinds[0] if self.rng.random() < 0.6 else self.rng.choice(kinds[1:])
        if kind == "partners":
            nb = self._partners_neighbourhood(busy or set())
            if nb is not None:
                return nb
            kind = "people"
        return self._people_neighbourhood() if kind == "people" else self._window_neighbourhood()

    def _window_neighbourhood(self) -> Neighbourhood:
        days = self.problem.days()
        team = self.teams[self.cursor % len(self.teams)]
        sweep = self.cursor // len(self.teams)
        self.cursor += 1
        # Sweep the month window by window (with jitter) so every day gets revisited;
        # days still breaking S1 come first.
        last_start = max(1, len(days) - self.window + 1)
        if self.focus:
            hole = days.index(self.rng.choice(self.focus))
            first = min(max(0, hole - self.rng.randrange(self.window)), last_start - 1)
        else:
            first = (sweep * self.window + self.rng.randrange(self.window)) % last_start
        return Neighbourhood(team, days[first], days[min(len(days), first + self.window) - 1])

    def centre_neighbourhood(self) -> Neighbourhood | None:
        """Every team on one day, the days in turn; None when every day is settled. Team
        neighbourhoods cannot trade hours of coverage between teams on a day (each sees the
        others as fixed); late in the search that is where most of what is left to gain lies:
        from a 60 s roster at 100 agents, a pass over the month gained 350 in 20 s, team
        neighbourhoods 50-80 in the same time.

        A day proven to gain nothing is settled until a shift on it or a day next to it
        changes (rest, R1, links it to those; its people's month totals, R5-R7, rarely
        decide it), so passes late in the search spend their time on the days that moved."""
        days = self.problem.days()
        for _ in range(len(days)):
            i = self.centre_cursor % len(days)
            self.centre_cursor += 1
            settled = self.centre_settled.get(days[i])
            near = days[max(0, i - 1) : i + 2]
            if settled is None or any(self.changed.get(d, -1) >= settled for d in near):
                return Neighbourhood(self.teams[0], days[i], days[i], None, tuple(self.teams[1:]))
        return None

    def _people_neighbourhood(self) -> Neighbourhood:
        days = self.problem.days()
        team = self.teams[self.people_cursor % len(self.teams)]
        self.people_cursor += 1
        members = [p.key for p in self.problem.people if p.team == team]
        k = min(len(members), self.n_people)
        # Half of them (at most) among those whose requests the roster breaks (R8).
        worked = {(a.person, a.day): a.shift for a in self.roster[team]}
        unhappy = sorted(
            {
                pref.person
                for pref in self.problem.preferences
                if pref.person in set(members)
                and not granted(pref, worked.get((pref.person, pref.day)))
            }
        )
        chosen = set(self.rng.sample(unhappy, min(len(unhappy), k // 2)))
        rest = [m for m in members if m not in chosen]
        chosen |= set(self.rng.sample(rest, k - len(chosen)))
        # The whole month: a demo team's first roster short of staff on many days is mended
        # fastest by moving a few people's shifts anywhere in it (two-week windows were
        # measured 50-130 % worse there and no better at 100 agents).
        return Neighbourhood(team, days[0], days[-1], frozenset(chosen))

    def _partners_neighbourhood(self, busy: set[str]) -> Neighbourhood | None:
        """A refused request (R8) and people of any team who could trade with its owner: for
        a refused day off, people off that day; for a preferred shift, people working it.
        Their days around the request are free, so the trade can move the owner's shift to
        another day."""
        worked = {(a.person, a.day): a.shift for t in self.teams for a in self.roster[t]}
        refused = [
            pref
            for pref in self.problem.preferences
            if self._team_of[pref.person] not in busy
            and (pref.person, pref.day) not in self.problem.leave
            and self.problem.start <= pref.day <= self.problem.end
            and not granted(pref, worked.get((pref.person, pref.day)))
        ]
        if not refused:
            return None
        pref = self.rng.choice(refused)
        owner = self._people[pref.person]
        senior = self.problem.policy.roster.senior_grade
        candidates = [
            p.key
            for p in self.problem.people
            if p.key != owner.key
            and p.team not in busy
            and p.can_lead(senior) == owner.can_lead(senior)
            and (p.key, pref.day) not in self.problem.leave
            and (
                (p.key, pref.day) not in worked
                if pref.kind == "day_off"
                else worked.get((p.key, pref.day)) == pref.shift
            )
        ]
        chosen = self.rng.sample(candidates, min(len(candidates), self.n_partners - 1))
        if not chosen:
            return None
        teams = sorted({self._team_of[k] for k in chosen} - {owner.team})
        reach = timedelta(days=PARTNER_DAYS)
        first = max(self.problem.start, pref.day - reach)
        last = min(self.problem.end, pref.day + reach)
        people = frozenset([owner.key, *chosen])
        return Neighbourhood(owner.team, first, last, people, tuple(teams))

    def step(self, time_limit_s: float, enforce_min_staff: bool) -> bool:
        """One neighbourhood; True when the roster improved (by `self.gain`)."""
        job = self.propose()
        result = solve_neighbourhood(
            self.problem, job, min(self.sub_time, time_limit_s), enforce_min_staff, self.workers
        )
        return self.commit(result)

    def propose(self, busy: set[str] | None = None, nb: Neighbourhood | None = None) -> Job:
        """The next neighbourhood on a team not in `busy` (or `nb`), with what it is solved
        against."""
        if nb is None:
            nb = self.next_neighbourhood(busy)
            for _ in range(len(self.teams)):
                if not busy or not busy & set(nb.teams):
                    break
                nb = self.next_neighbourhood(busy)
        return Job(
            nb,
            {t: list(lst) for t, lst in self.roster.items()},
            self.version,
            self.rng.randrange(1 << 20),
            Counter(self.cover),
        )

    def commit(self, result: StepResult) -> bool:
        """Keep a solved neighbourhood when it is not worse for the roster as it is *now*.

        Other teams may have moved since the job was proposed (parallel steps); they share only
        R9 coverage with this team (R2, R7 and the per-person rules stay inside a team), so the
        gain is corrected by the coverage difference and S1 re-checked."""
        self.gain = 0
        self._adapt(result.job.nb, result.status, result.wall)
        gain = result.before - result.after if result.after is not None else 0
        kind = result.job.nb.kind
        if kind in self.rate:  # centre-day steps are timed by the caller (`solve._search`)
            self.rate[kind] = 0.8 * self.rate[kind] + 0.2 * max(0, gain) / max(result.elapsed, 0.05)
        if result.after is None or gain < 0:
            return False
        if kind == "centre" and gain == 0:
            # Kept as it is (an equal roster would unsettle the day and its neighbours).
            if result.status == cp_model.OPTIMAL:
                self.centre_settled[result.job.nb.first] = self.version
            return False
        teams = result.job.nb.teams
        old = [a for t in teams for a in self.roster[t]]
        delta = _coverage_delta(self.problem, old, result.new)
        if self.version != result.job.version:
            then, now = result.job.cover, self.cover
            fixed = self._fixed_cover()
            for slot, d in delta.items():
                before_then, before_now = then[slot] + fixed[slot], now[slot] + fixed[slot]
                if result.enforce_min_staff and before_now + d < self._floor[slot]:
                    return False
                gain += self._slot_cost(slot, before_then + d) - self._slot_cost(slot, before_then)
                gain -= self._slot_cost(slot, before_now + d) - self._slot_cost(slot, before_now)
            if gain < 0:
                return False
        for a in set(old) ^ set(result.new):
            self.changed[a.day] = self.version
        for t in teams:
            self.roster[t] = [a for a in result.new if self._team_of[a.person] == t]
        for slot, d in delta.items():
            self.cover[slot] += d
        self.version += 1
        self.gain = gain
        return gain > 0

    def _fixed_cover(self) -> Counter[tuple[date, int]]:
        """Previous-period shifts and other teams outside the problem, per slot."""
        if self._fixed is None:
            fixed = coverage_of(self.problem, list(self.problem.previous))
            for slot, n in self.problem.external_coverage.items():
                fixed[slot] += n
            self._fixed = fixed
        return self._fixed

    def _slot_cost(self, slot: tuple[date, int], have: int) -> int:
        need = required_at(self.snapshot, self.problem.policy, *slot)
        return slot_cost(have, need, self.problem.policy.roster.weights)

    def _adapt(self, nb: Neighbourhood, status: object, wall: float) -> None:
        """Neighbourhoods grow while sub-models solve to optimality fast, shrink on timeouts."""
        if nb.kind == "centre":
            return  # one day: two were measured to gain less per second late in the search
        if nb.partners:
            if status == cp_model.OPTIMAL and wall < 0.5 * self.sub_time:
                self.n_partners = min(8, self.n_partners + 1)
            elif status != cp_model.OPTIMAL:
                self.n_partners = max(2, self.n_partners - 1)
            return
        if nb.people is not None:
            size = len([p for p in self.problem.people if p.team == nb.team])
            if status == cp_model.OPTIMAL and wall < 0.5 * self.sub_time:
                self.n_people = min(size, self.n_people + 1)
            elif status != cp_model.OPTIMAL:
                self.n_people = max(2, self.n_people - 1)
            return
        days = len(self.problem.days())
        if status == cp_model.OPTIMAL and wall < 0.5 * self.sub_time:
            self.window = min(days, self.window + 2)
        elif status != cp_model.OPTIMAL:
            self.window = max(2, self.window - 1)


def _hinted_objective(model: cp_model.CpModel) -> int | None:
    """The objective at the model's hint, when the hint gives every objective variable."""
    proto = model.proto
    hint = dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True))
    obj = proto.objective
    total = 0
    for var, coeff in zip(obj.vars, obj.coeffs, strict=True):
        value = hint.get(var) if var >= 0 else None
        if value is None:
            return None
        total += coeff * value
    return round(total + obj.offset)


def run_parallel(
    lns: TeamLNS,
    deadline: float,
    threads: int,
    enforce_min_staff: Callable[[], bool],
    on_commit: Callable[[bool], None],
) -> None:
    """Steps on `threads` different teams at once, one CP-SAT worker each, until the deadline
    (a `time.monotonic()` value). Small sub-models gain little from a second CP-SAT worker,
    while two of them solve in the time of one (CP-SAT releases the GIL, and one thread
    builds its model while the other solves)."""
    with ThreadPoolExecutor(threads) as pool:
        running: dict[Future[StepResult], Job] = {}
        while True:
            left = deadline - time.monotonic()
            while len(running) < threads and left > 0.5:
                busy = {team for job in running.values() for team in job.nb.teams}
                job = lns.propose(busy)
                if busy & set(job.nb.teams):
                    break
                limit = min(lns.sub_time, left - 0.3)
                future = pool.submit(
                    solve_neighbourhood, lns.problem, job, limit, enforce_min_staff(), 1
                )
                running[future] = job
            if not running:
                return
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                running.pop(future)
                on_commit(lns.commit(future.result()))


def run_centre(
    lns: TeamLNS,
    deadline: float,
    workers: int,
    enforce_min_staff: Callable[[], bool],
    on_commit: Callable[[bool], None],
) -> None:
    """Centre-day neighbourhoods (`TeamLNS.centre_neighbourhood`) one after another, each
    with every worker, until the deadline (a `time.monotonic()` value)."""
    while deadline - time.monotonic() > 0.5:
        nb = lns.centre_neighbourhood()
        if nb is None:
            return  # every day settled: the time goes back to the team neighbourhoods
        job = lns.propose(nb=nb)
        limit = min(CENTRE_TIME, deadline - time.monotonic() - 0.3)
        result = solve_neighbourhood(lns.problem, job, limit, enforce_min_staff(), workers)
        on_commit(lns.commit(result))
