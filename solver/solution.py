"""The roster solver's answer: status, objective, proven bound, roster, coverage, explanations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from rules.roster import check_roster
from rules.roster.common import slot_label
from rules.snapshot import Assignment
from rules.violation import Violation
from solver.lns import coverage_of
from solver.problem import RosterProblem
from solver.progress import ProgressEvent, relative_gap


@dataclass(frozen=True)
class CoverageRow:
    day: date
    index: int  # interval of the day
    label: str  # "2026-12-03 14:00–14:30"
    scheduled: int
    required: int  # max(requirement, min_staff_per_interval)


@dataclass(frozen=True)
class Change:
    """L8: one person-day that differs from the published roster."""

    person: str
    name: str
    day: date
    old: str | None  # shift code, None = off
    new: str | None

    def __str__(self) -> str:
        return f"L8: {self.name} {self.day}: {self.old or 'off'} → {self.new or 'off'}"


@dataclass
class RosterSolution:
    status: str  # OPTIMAL | FEASIBLE | INFEASIBLE | UNKNOWN
    objective: int | None  # soft cost of the roster (the checker's), + change cost in repair
    bound: float | None  # proven lower bound on the objective
    assignments: tuple[Assignment, ...] = ()
    coverage: tuple[CoverageRow, ...] = ()
    penalties: tuple[Violation, ...] = ()  # every soft cost, explained by rule, person, day
    hard: tuple[Violation, ...] = ()  # hard violations left (empty unless INFEASIBLE)
    infeasibility: tuple[str, ...] = ()  # why no roster can satisfy the hard rules
    changes: tuple[Change, ...] = ()  # repair only
    change_cost: int = 0
    elapsed_s: float = 0.0
    first_solution_s: float | None = None
    history: list[ProgressEvent] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)

    @property
    def feasible(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    @property
    def wall_time(self) -> float:
        return self.elapsed_s

    @property
    def explanations(self) -> tuple[Violation, ...]:
        """Everything to show a planner as violations: why infeasible, hard, then soft."""
        why = tuple(
            Violation(line.strip().split(":")[0] if ":" in line else "R", line.strip())
            for line in self.infeasibility
        )
        return why + self.hard + self.penalties

    def penalty_by_rule(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        for v in self.penalties:
            out[v.rule] += v.cost
        return dict(out)

    def explain(self) -> list[str]:
        """Human lines: infeasibility, or every penalty (rule ID, person, day) and change."""
        if self.infeasibility:
            return list(self.infeasibility)
        return [v.message for v in self.hard + self.penalties] + [str(c) for c in self.changes]


def coverage_rows(problem: RosterProblem, assignments: list[Assignment]) -> tuple[CoverageRow, ...]:
    have = coverage_of(problem, assignments + list(problem.previous))
    floor = problem.policy.service.min_staff_per_interval
    rows = []
    for day in problem.days():
        for k in range(problem.intervals_per_day):
            rows.append(
                CoverageRow(
                    day,
                    k,
                    slot_label(day, k, problem.interval_minutes),
                    have[(day, k)] + problem.external_coverage.get((day, k), 0),
                    max(problem.requirement.get((day, k), 0), floor),
                )
            )
    return tuple(rows)


def finish(
    problem: RosterProblem,
    assignments: list[Assignment],
    status: str,
    bound: float | None,
    **extra: object,
) -> RosterSolution:
    """Judge a roster with the checkers and package it; the objective is the checker's cost."""
    found = check_roster(problem.snapshot(assignments), problem.policy)
    hard = tuple(v for v in found if v.hard)
    soft = tuple(v for v in found if not v.hard)
    change_cost = int(extra.get("change_cost", 0))  # type: ignore[call-overload]
    objective = sum(v.cost for v in soft) + change_cost
    if hard and status in ("OPTIMAL", "FEASIBLE"):
        status = "UNKNOWN"  # a roster breaking a hard rule is no solution
    if status == "OPTIMAL":
        bound = objective
    return RosterSolution(
        status=status,
        objective=objective,
        bound=None if bound is None else min(float(bound), objective),
        assignments=tuple(sorted(assignments, key=lambda a: (a.day, a.person))),
        coverage=coverage_rows(problem, assignments),
        penalties=soft,
        hard=hard,
        **extra,  # type: ignore[arg-type]
    )
