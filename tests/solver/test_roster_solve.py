"""Solve, explain, infeasibility, repair, JSON files and the CLI on small problems."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rules.roster import hard_violations, soft_cost
from rules.snapshot import Assignment
from solver import explain_infeasible, repair, solve
from solver.io import (
    ProblemFileError,
    load_problem,
    problem_from_json,
    problem_to_json,
    solution_to_json,
)
from solver.progress import ProgressEvent
from solver.relaxation import solve_relaxation
from tests.solver.roster_fixtures import MONDAY, small_problem

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "problem-small.json"


@pytest.fixture(scope="module")
def solved():
    problem = small_problem()
    events: list[ProgressEvent] = []
    return problem, solve(problem, time_limit_s=20, progress=events.append), events


def test_solution_is_checked_and_explained(solved) -> None:
    problem, sol, events = solved
    assert sol.feasible and not sol.hard
    snapshot = problem.snapshot(sol.assignments)
    assert hard_violations(snapshot, problem.policy) == []
    assert sol.objective == soft_cost(snapshot, problem.policy)
    assert sum(v.cost for v in sol.penalties) == sol.objective
    assert sol.bound is not None and sol.bound <= sol.objective
    assert events and events[-1].phase == "done"
    for v in sol.penalties:
        assert v.message.startswith(f"{v.rule}: ")
    rows = {r.label: r for r in sol.coverage}
    assert len(rows) == 7 * 24
    assert all(r.required >= 1 for r in rows.values())


def test_small_problem_is_solved_to_optimality(solved) -> None:
    _, sol, _ = solved
    assert sol.status == "OPTIMAL" and sol.gap == 0.0


def test_relaxation_bound_is_below_the_optimum(solved) -> None:
    problem, sol, _ = solved
    relax = solve_relaxation(problem, 10)
    assert relax.status == "OPTIMAL" and relax.bound <= sol.objective


def test_infeasible_r2_seniors_on_leave() -> None:
    wed = MONDAY + timedelta(days=2)
    problem = small_problem(leave=frozenset((k, wed) for k in ("P1", "P2", "P4", "P5")))
    sol = solve(problem, time_limit_s=10)
    assert sol.status == "INFEASIBLE" and not sol.assignments
    text = "\n".join(sol.infeasibility)
    assert "R2" in text and "2026-12-09" in text
    assert "Zhang Wei on leave (R3)" in text and "Li Na on leave (R3)" in text


def test_infeasible_r6_nights_needed() -> None:
    # S1 and R2 need a senior every night; four seniors with one night each cannot cover seven.
    policy = small_problem().policy.with_overrides({"roster": {"max_nights_per_month": 1}})
    lines = explain_infeasible(small_problem(policy=policy), time_limit_s=20)
    text = "\n".join(lines)
    assert lines[0].startswith("Infeasible")
    assert "R6" in text and "S1" in text


def test_infeasible_r3_and_r4() -> None:
    # Only Zhang Wei can lead this week (the other seniors are on leave): every day.
    week = frozenset((k, MONDAY + timedelta(days=d)) for k in ("P2", "P4", "P5") for d in range(7))
    lines = explain_infeasible(small_problem(leave=week), time_limit_s=20)
    text = "\n".join(lines)
    assert "R3: Chen Jing has approved leave" in text or "R3: Liu Yang has approved leave" in text
    assert "R4: Zhang Wei" in text or "R1: Zhang Wei" in text


def test_repair_changes_few_assignments(solved) -> None:
    problem, sol, _ = solved
    # A junior's shift (no lead chain behind it) becomes leave.
    worked = sorted({(a.person, a.day) for a in sol.assignments if a.person in ("P3", "P6")})
    key, day = worked[len(worked) // 2]
    changed = problem.replace(leave=problem.leave | {(key, day)})
    fixed = repair(changed, list(sol.assignments), time_limit_s=20)
    assert fixed.feasible
    assert all(a.day != day or a.person != key for a in fixed.assignments)
    assert 1 <= len(fixed.changes) <= 4
    assert any(c.person == key and c.day == day and c.new is None for c in fixed.changes)
    assert all(str(c).startswith("L8: ") for c in fixed.changes)


def test_repair_without_change_keeps_the_roster(solved) -> None:
    problem, sol, _ = solved
    fixed = repair(problem, list(sol.assignments), time_limit_s=10)
    assert fixed.changes == ()


def test_json_round_trip(tmp_path: Path) -> None:
    problem = small_problem()
    data = problem_to_json(problem)
    back = problem_from_json(json.loads(json.dumps(data)))
    assert back.people == problem.people and back.shift_types == problem.shift_types
    assert dict(back.requirement) == dict(problem.requirement)
    assert back.leave == problem.leave and back.previous == problem.previous
    assert back.preferences == problem.preferences and back.holidays == problem.holidays
    assert back.policy == problem.policy


@pytest.mark.parametrize(
    ("patch", "path"),
    [
        (lambda d: d["people"][3].update(grade=7), "$.people[3].grade"),
        (lambda d: d["shift_types"][0].update(start="25:00"), "$.shift_types[0].start"),
        (
            lambda d: d["leave"].append({"person": "nobody", "from": "2026-12-08"}),
            "$.leave[1].person",
        ),
        (lambda d: d.update(start="2026-13-01"), "$.start"),
        (lambda d: d["requirement"]["2026-12-07"].pop(), "$.requirement.2026-12-07"),
        (lambda d: d.update(policy={"roster": {"max_nights_per_month": -1}}), "$.policy"),
        (lambda d: d["people"][0].pop("team"), "$.people[0].team"),
    ],
)
def test_bad_problem_files_name_the_field(patch, path: str) -> None:
    data = problem_to_json(small_problem(), {"service": {"interval_minutes": 60}})
    patch(data)
    with pytest.raises(ProblemFileError) as err:
        problem_from_json(data)
    assert str(err.value).startswith(path)


def test_example_file_loads() -> None:
    problem = load_problem(EXAMPLE)
    assert problem.interval_minutes == 60 and len(problem.people) == 10


def wfm_app():
    """roster_app as `wfm roster` (a Typer app with one command would collapse into it)."""
    import typer

    from wfm.cli.roster import roster_app

    app = typer.Typer()
    app.add_typer(roster_app, name="roster")
    return app


def test_cli_solve_file(tmp_path: Path) -> None:
    out = tmp_path / "solution.json"
    result = CliRunner().invoke(
        wfm_app(), ["roster", "solve-file", str(EXAMPLE), "--time-limit", "5", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["status"] in ("OPTIMAL", "FEASIBLE") and data["hard_violations"] == []
    assert data["objective"] == sum(p["cost"] for p in data["penalties"])
    assert "bound" in result.output


def test_cli_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"start": "2026-12-01"}')
    result = CliRunner().invoke(wfm_app(), ["roster", "solve-file", str(bad), "--time-limit", "1"])
    assert result.exit_code == 2 and "$.end: missing" in result.output


def test_solution_json(solved) -> None:
    _, sol, _ = solved
    data = solution_to_json(sol)
    assert data["assignments"] and data["coverage"][0]["label"].startswith("2026-12-07 00:00")
    assert (
        Assignment(**{**data["assignments"][0], "day": sol.assignments[0].day})
        == sol.assignments[0]
    )
