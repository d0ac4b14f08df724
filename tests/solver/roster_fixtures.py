"""Small roster problems for the solver tests (hand-made, fast to solve exactly)."""

from __future__ import annotations

from datetime import date, timedelta

from rules.policy import default_policy
from rules.snapshot import Assignment, Person, Preference, ShiftType
from solver.problem import RosterProblem

MONDAY = date(2026, 12, 7)

SHIFTS = (
    ShiftType("E06", 6 * 60, 480),
    ShiftType("L14", 14 * 60, 480),
    ShiftType("N22", 22 * 60, 480, is_night=True),
    ShiftType("X10", 10 * 60, 480, required_skills=frozenset({"english"})),
)

PEOPLE = (
    Person("P1", "Zhang Wei", "senior", "A", is_team_lead=True, skills=frozenset({"english"})),
    Person("P2", "Li Na", "senior", "A"),
    Person("P3", "Wang Fang", "intermediate", "A", skills=frozenset({"english"})),
    Person("P4", "Liu Yang", "senior", "A"),
    Person("P5", "Chen Jing", "senior", "A"),
    Person("P6", "Yang Lei", "junior", "A"),
)


def small_problem(days: int = 7, **changes: object) -> RosterProblem:
    """Six people (four can lead), one team, a week from Monday, hourly intervals.

    The night and consecutive-day limits are tight enough to bite on a week."""
    policy = default_policy().with_overrides(
        {
            "service": {"interval_minutes": 60},
            "roster": {
                "max_nights_per_month": 3,
                "max_consecutive_work_days": 4,
            },
        }
    )
    day_list = [MONDAY + timedelta(days=i) for i in range(days)]
    requirement = {(d, h): (2 if 9 <= h < 18 else 1) for d in day_list for h in range(24)}
    problem = RosterProblem(
        start=day_list[0],
        end=day_list[-1],
        people=PEOPLE,
        shift_types=SHIFTS,
        requirement=requirement,
        policy=policy,
        leave=frozenset({("P3", MONDAY + timedelta(days=2))}),
        holidays=frozenset({MONDAY + timedelta(days=4)}),
        workdays=frozenset(),
        preferences=(
            Preference("P4", MONDAY + timedelta(days=1), "day_off"),
            Preference("P5", MONDAY, "shift", "E06"),
        ),
        previous=(Assignment("P2", MONDAY - timedelta(days=1), "N22"),),
        name="small",
    )
    return problem.replace(**changes) if changes else problem
