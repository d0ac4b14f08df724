"""Large-neighbourhood search: re-optimise one team over a window of days, others fixed.

Decomposition (why it is exact): a neighbourhood is a whole team, so R2 and R7 (per team) are
complete in the sub-model; the team's assignments outside the window are constants, so R1, R4,
R5, R6 and R10 still see the whole month; every other team's shifts enter as
`external_coverage`, so the sub-model's R9 cost is the centre's R9 cost. Hence the sub-model's
objective differs from the centre's objective by a constant, and an improvement there is an
improvement of the whole roster. Windows grow when sub-models solve to optimality and shrink
when they time out.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from ortools.sat.python import cp_model

from rules.roster import soft_cost
from rules.roster.common import shift_slots
from rules.snapshot import Assignment
from solver.model import build_model
from solver.problem import RosterProblem


@dataclass
class Neighbourhood:
    """One team's person-days to re-optimise: `people` (None: all of the team) over the
    days `first`..`last`; every other person-day of the team stays as it is."""

    team: str
    first: date
    last: date
    people: frozenset[str] | None = None


def coverage_of(problem: RosterProblem, assignments: list[Assignment]) -> Counter[tuple[date, int]]:
    """Agents on duty per (day, interval) within the period from some assignments."""
    codes = {s.code: s for s in problem.shift_types}
    out: Counter[tuple[date, int]] = Counter()
    for a in assignments:
        for offset, index in shift_slots(codes[a.shift], problem.interval_minutes):
            day = a.day + timedelta(days=offset)
            if problem.start <= day <= problem.end:
                out[(day, index)] += 1
    return out


def team_subproblem(
    problem: RosterProblem,
    roster: dict[str, list[Assignment]],
    nb: Neighbourhood,
    enforce_min_staff: bool,
) -> RosterProblem:
    """The team's problem with days outside the window pinned and other teams as coverage."""
    members = [p.key for p in problem.people if p.team == nb.team]
    others = [a for t, lst in roster.items() if t != nb.team for a in lst]
    others_prev = [a for a in problem.previous if a.person not in set(members)]
    external = coverage_of(problem, others) + coverage_of(problem, others_prev)
    for slot, n in problem.external_coverage.items():
        external[slot] += n
    worked = {(a.person, a.day): a.shift for a in roster.get(nb.team, [])}
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
        self.rng = random.Random(seed)
        self.teams = sorted(problem.teams())
        team_of = {p.key: p.team for p in problem.people}
        self.roster: dict[str, list[Assignment]] = {t: [] for t in self.teams}
        for a in assignments:
            self.roster[team_of[a.person]].append(a)
        # Small windows solve fast and improve steadily; they grow while sub-models are easy.
        self.window = min(3, len(problem.days()))
        self.sub_time = 1.5
        self.cursor = 0
        self.people_cursor = 0
        self.steps = 0
        self.n_people = 4
        self.focus: list[date] = []  # days with S1 holes: visited first

    def assignments(self) -> list[Assignment]:
        return [a for t in self.teams for a in self.roster[t]]

    def next_neighbourhood(self) -> Neighbourhood:
        """Alternately a team over a window of days, and a few of a team's people over the
        whole month (their shifts can move across days, which windows cannot do)."""
        self.steps += 1
        if self.steps % 2 == 0 and not self.focus:
            return self._people_neighbourhood()
        return self._window_neighbourhood()

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
                and (
                    (pref.kind == "day_off" and (pref.person, pref.day) in worked)
                    or (pref.kind == "shift" and worked.get((pref.person, pref.day)) != pref.shift)
                )
            }
        )
        chosen = set(self.rng.sample(unhappy, min(len(unhappy), k // 2)))
        rest = [m for m in members if m not in chosen]
        chosen |= set(self.rng.sample(rest, k - len(chosen)))
        return Neighbourhood(team, days[0], days[-1], frozenset(chosen))

    def step(self, time_limit_s: float, enforce_min_staff: bool) -> bool:
        """One neighbourhood; True when the roster improved (by `self.gain`)."""
        self.gain = 0
        nb = self.next_neighbourhood()
        sub = team_subproblem(self.problem, self.roster, nb, enforce_min_staff)
        current = self.roster[nb.team]
        rm = build_model(sub, fixed_as_constants=True, hint=current)
        before = _hinted_objective(rm.model)
        if before is None:
            before = soft_cost(sub.snapshot(current), sub.policy)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, min(self.sub_time, time_limit_s))
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.rng.randrange(1 << 20)
        solver.parameters.cp_model_probing_level = 0  # presolve time dominates small windows
        solver.parameters.relative_gap_limit = 1e-4
        status = solver.solve(rm.model)
        self._adapt(nb, status, solver.wall_time)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        # The sub-model's objective is the team's soft cost (as the checkers count it, the
        # agreement tests make sure), other teams' shifts entering as constant coverage.
        after = round(solver.objective_value)
        if after <= before:  # equal cost too: moving on a plateau diversifies the search
            self.roster[nb.team] = rm.assignments(solver)
            self.gain = before - after
            return after < before
        return False

    def _adapt(self, nb: Neighbourhood, status: object, wall: float) -> None:
        """Neighbourhoods grow while sub-models solve to optimality fast, shrink on timeouts."""
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


def run_lns(
    lns: TeamLNS,
    deadline: float,
    enforce_min_staff: bool,
    on_improve: object = None,
) -> None:
    """Steps until the deadline (a `time.monotonic()` value)."""
    while time.monotonic() < deadline - 0.2:
        improved = lns.step(deadline - time.monotonic(), enforce_min_staff)
        if improved and callable(on_improve):
            on_improve()
