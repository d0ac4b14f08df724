"""Encoders and checkers agree: fix a roster in the model; INFEASIBLE exactly when the
checker finds a hard violation, and otherwise the objective equals the checker's soft cost."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from rules.roster import check_roster, soft_cost
from rules.snapshot import Assignment
from solver.model import build_model
from solver.problem import RosterProblem
from tests.solver.roster_fixtures import MONDAY, small_problem


def fixed_outcome(problem: RosterProblem, roster: list[Assignment]) -> tuple[str, int | None]:
    rm = build_model(problem)
    rm.fix(roster)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    status = solver.solve(rm.model)
    if status == cp_model.OPTIMAL:
        return "OPTIMAL", round(solver.objective_value)
    return solver.status_name(status), None


def random_roster(problem: RosterProblem, seed: int, p_work: float) -> list[Assignment]:
    rng = random.Random(seed)
    out = []
    for person in problem.people:
        for day in problem.days():
            if rng.random() < p_work:
                out.append(Assignment(person.key, day, rng.choice(problem.shift_types).code))
    return out


def assert_agree(problem: RosterProblem, roster: list[Assignment]) -> list[str]:
    found = check_roster(problem.snapshot(roster), problem.policy)
    hard = sorted({v.rule for v in found if v.hard})
    status, objective = fixed_outcome(problem, roster)
    if hard:
        assert status == "INFEASIBLE", f"checker found {hard} but the model says {status}"
    else:
        assert status == "OPTIMAL", f"checker found no hard violation, model says {status}"
        assert objective == soft_cost(problem.snapshot(roster), problem.policy)
    return hard


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    p_work=st.sampled_from([0.2, 0.45, 0.7]),
    min_staff=st.booleans(),
)
def test_random_rosters_agree(seed: int, p_work: float, min_staff: bool) -> None:
    assert_agree(
        small_problem(enforce_min_staff=min_staff), random_roster(small_problem(), seed, p_work)
    )


def a(person: str, day: int, shift: str) -> Assignment:
    return Assignment(person, MONDAY + timedelta(days=day), shift)


# A valid base: P1 early every other day... kept sparse so each case breaks one rule.
BASE = [a("P1", 0, "E06"), a("P1", 1, "E06"), a("P4", 0, "E06")]

BREAKERS = {
    "R1": BASE + [a("P1", 2, "L14"), a("P1", 3, "E06")],  # 22:00 -> 06:00 rest 8 h
    "R2": [a("P6", 0, "L14")],  # a junior alone, no senior of the team on duty
    "R3": BASE + [a("P3", 2, "E06")],  # Wang Fang has leave on Wednesday
    "R4": [a("P1", d, "E06") for d in range(5)],  # five days in a row (max 4)
    "R5": [a("P1", d, "E06") for d in (0, 1, 3, 4, 6)],  # 5 x 8h10 > 40 h, no overtime
    "R6": [a("P1", d, "N22") for d in (0, 1, 2, 3)],  # four nights (max 3)
    "G5": [a("P2", 0, "X10")],  # Li Na lacks english
    "S1": BASE,  # nights uncovered
}


@pytest.mark.parametrize("rule", sorted(BREAKERS))
def test_each_hard_rule_breaks_both_ways(rule: str) -> None:
    min_staff = rule == "S1"
    problem = small_problem(enforce_min_staff=min_staff)
    if rule == "R5":
        no_overtime = {"roster": {"max_overtime_hours_per_month": 0}}
        problem = problem.replace(policy=problem.policy.with_overrides(no_overtime))
    hard = assert_agree(problem, BREAKERS[rule])
    assert rule in hard


def test_r1_with_previous_period_night() -> None:
    # Li Na worked the night before Monday (ends 06:00): an early shift Monday breaks R1.
    problem = small_problem(enforce_min_staff=False)
    assert "R1" in assert_agree(problem, [a("P2", 0, "E06")])
    assert assert_agree(problem, [a("P2", 0, "N22")]) == []


def test_r10_roll_call_when_rest_is_short() -> None:
    policy = small_problem().policy.with_overrides({"roster": {"min_rest_hours": 0}})
    problem = small_problem(enforce_min_staff=False, policy=policy)
    # Night ends 06:00; the early shift's roll call starts 05:50.
    assert assert_agree(problem, [a("P1", 0, "N22"), a("P1", 1, "E06")]) == ["R10"]
    assert assert_agree(problem, [a("P1", 0, "N22"), a("P1", 1, "L14")]) == []


def test_valid_roster_cost_matches() -> None:
    problem = small_problem(enforce_min_staff=False)
    roster = [a("P1", 0, "E06"), a("P5", 0, "E06"), a("P2", 1, "L14"), a("P4", 1, "L14")]
    assert assert_agree(problem, roster) == []
