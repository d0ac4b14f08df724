"""Exchanges between two people (`solver.exchange`): they grant refused requests (R8) with a
partner from any team, keep coverage as it was, and never break a hard rule; and single shifts
changed where coverage (R9) gains."""

from __future__ import annotations

import time
from datetime import date, timedelta

from rules.policy import default_policy
from rules.roster import check_roster, soft_cost
from rules.snapshot import Assignment, Person, Preference, ShiftType
from solver.exchange import Exchange
from solver.lns import coverage_of
from solver.problem import RosterProblem
from solver.relaxation import solve_relaxation

MONDAY = date(2026, 12, 7)
DAY = ShiftType("D08", 8 * 60, 480, name="Day 08-16")
NIGHT = ShiftType("N22", 22 * 60, 480, name="Night 22-06", is_night=True)


def _week(
    roster: dict[str, list[tuple[int, str]]], **changes: object
) -> tuple[RosterProblem, list[Assignment]]:
    """Two one-person teams (both seniors, so R2 holds), one week, the roster's own coverage
    as the requirement (`_covered_exactly`)."""
    people = (Person("a", "Wang Fang", "senior", "A"), Person("b", "Li Na", "senior", "B"))
    days = [MONDAY + timedelta(days=i) for i in range(7)]
    requirement = {(d, k): 1 for d in days for k in range(16, 32)}
    problem = RosterProblem(
        start=days[0],
        end=days[-1],
        people=people,
        shift_types=(DAY, NIGHT),
        requirement=requirement,
        preferences=(Preference("a", MONDAY + timedelta(days=2), "day_off"),),
        enforce_min_staff=False,
    ).replace(**changes)
    assignments = [
        Assignment(key, MONDAY + timedelta(days=i), code)
        for key, shifts in roster.items()
        for i, code in shifts
    ]
    return _covered_exactly(problem, assignments), assignments


def _improve(problem: RosterProblem, roster: list[Assignment]) -> tuple[Exchange, list[Assignment]]:
    exchange = Exchange(problem, roster, seed=1)
    exchange.improve(time.monotonic() + 10)
    return exchange, exchange.assignments()


def _covered_exactly(problem: RosterProblem, roster: list[Assignment]) -> RosterProblem:
    """The problem with the roster's own coverage as its requirement and no S1 floor: then
    no shift added, dropped or changed lowers R9 (each interval has what it needs), so the
    only moves that pay are trades that keep coverage, which is what these tests are about."""
    policy = problem.policy.with_overrides({"service": {"min_staff_per_interval": 0}})
    return problem.replace(requirement=dict(coverage_of(problem, roster)), policy=policy)


def test_a_refused_day_off_is_granted_by_a_partner_of_another_team() -> None:
    """Wang Fang (team A) works Mon-Thu, Li Na (team B) Fri-Sun: Li Na takes Wednesday and
    Wang Fang one of her days, so both keep their hours and coverage is unchanged."""
    problem, roster = _week({"a": [(0, "D08"), (1, "D08"), (2, "D08"), (3, "D08")],
                             "b": [(4, "D08"), (5, "D08"), (6, "D08")]})  # fmt: skip
    before = soft_cost(problem.snapshot(roster), problem.policy)
    exchange, after = _improve(problem, roster)
    wednesday = MONDAY + timedelta(days=2)
    assert Assignment("a", wednesday, "D08") not in after
    assert Assignment("b", wednesday, "D08") in after
    assert coverage_of(problem, after) == coverage_of(problem, roster)
    assert [v for v in check_roster(problem.snapshot(after), problem.policy) if v.hard] == []
    # The tracked gain is the checkers' gain: the R8 weight.
    assert exchange.gain == problem.policy.roster.weights.preference_day_off
    assert soft_cost(problem.snapshot(after), problem.policy) == before - exchange.gain


def test_a_preferred_shift_is_granted_by_a_senior_of_another_team() -> None:
    """Yang Lei (junior, team B) is off on Wednesday and asks for its day shift; the only
    people on it are seniors: Wang Fang (team A) and Zhang Wei, Yang Lei's senior (R2). Wang
    Fang gives up Wednesday and takes Yang Lei's Thursday: coverage and hours stay the same and
    Zhang Wei still leads team B. A partner of the other grade is a partner too (R2 judged on
    the teams), which at 100 agents granted requests no trade within a grade could."""
    people = (
        Person("a", "Wang Fang", "senior", "A"),
        Person("b", "Yang Lei", "junior", "B"),
        Person("d", "Zhang Wei", "senior", "B"),
    )
    days = [MONDAY + timedelta(days=i) for i in range(7)]
    wednesday, thursday = days[2], days[3]
    problem = RosterProblem(
        start=days[0],
        end=days[-1],
        people=people,
        shift_types=(DAY,),
        requirement={(d, k): 1 for d in days for k in range(16, 32)},
        preferences=(Preference("b", wednesday, "shift", "D08"),),
        enforce_min_staff=False,
    )
    roster = [
        *(Assignment("d", d, "D08") for d in days[:5]),
        *(Assignment("a", d, "D08") for d in days[:3]),
        Assignment("b", thursday, "D08"),
    ]
    problem = _covered_exactly(problem, roster)
    assert [v for v in check_roster(problem.snapshot(roster), problem.policy) if v.hard] == []
    before = soft_cost(problem.snapshot(roster), problem.policy)
    exchange, after = _improve(problem, roster)
    assert Assignment("b", wednesday, "D08") in after
    assert Assignment("a", wednesday, "D08") not in after
    assert coverage_of(problem, after) == coverage_of(problem, roster)
    assert [v for v in check_roster(problem.snapshot(after), problem.policy) if v.hard] == []
    assert exchange.gain == problem.policy.roster.weights.preference_shift
    assert soft_cost(problem.snapshot(after), problem.policy) == before - exchange.gain


def test_no_exchange_that_breaks_the_partners_rest() -> None:
    """Li Na worked Tuesday night (until Wednesday 06:00): taking Wednesday's day shift would
    leave her 2 hours of rest (R1), so the request stays refused and nothing changes. (Her
    Tuesday and Thursday are pinned, else the two would swap Tuesday and Wednesday whole.)"""
    tuesday, thursday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=3)
    problem, roster = _week({"a": [(0, "D08"), (1, "D08"), (2, "D08"), (3, "D08")],
                             "b": [(1, "N22"), (5, "D08"), (6, "D08")]},
                            fixed={("b", tuesday): "N22", ("b", thursday): None})  # fmt: skip
    exchange, after = _improve(problem, roster)
    assert Assignment("a", MONDAY + timedelta(days=2), "D08") in after
    assert set(after) == set(roster)
    assert exchange.gain == 0


def test_no_exchange_with_a_partner_on_leave() -> None:
    """The only partner is on leave on the requested day (R3): nothing to trade."""
    problem, roster = _week(
        {"a": [(0, "D08"), (1, "D08"), (2, "D08"), (3, "D08")], "b": [(4, "D08"), (5, "D08")]},
        leave=frozenset({("b", MONDAY + timedelta(days=2))}),
    )
    exchange, after = _improve(problem, roster)
    assert set(after) == set(roster) and exchange.gain == 0


def test_relaxation_counts_preferred_shifts_on_leave_days() -> None:
    """A preferred shift on a day of approved leave is refused in every roster: the bound
    includes its cost; a preferred shift that can be granted adds nothing."""
    every_day = {"a": [(i, "D08") for i in range(4)], "b": [(i, "D08") for i in range(4, 7)]}
    problem, _ = _week(every_day)  # one agent needed 08-16 every day
    friday = MONDAY + timedelta(days=4)
    wish = (Preference("a", friday, "shift", shift="D08"),)
    leave = frozenset({("a", friday)})
    bounds = {}
    scenarios: dict[str, dict[str, object]] = {
        "none": {"preferences": ()},
        "wish": {"preferences": wish},
        "leave": {"preferences": (), "leave": leave},
        "wish on leave": {"preferences": wish, "leave": leave},
    }
    for label, changes in scenarios.items():
        result = solve_relaxation(problem.replace(**changes), 5)
        assert result.status == "OPTIMAL"
        bounds[label] = result.bound
    shift_weight = problem.policy.roster.weights.preference_shift
    assert bounds["wish on leave"] == bounds["leave"] + shift_weight
    assert bounds["wish"] == bounds["none"]


def test_exchanges_on_a_centre_gain_what_the_checkers_count() -> None:
    """On a generated two-team centre: the exchanges (requests, fairness, hours) lower the
    checkers' soft cost by exactly the gain they report and break no hard rule."""
    from solver.construct import construct, fill_gaps
    from solver.generate import call_centre_problem

    centre = call_centre_problem(30, seed=3, n_days=10, team_size=15)
    relax = solve_relaxation(centre, 20)
    roster = fill_gaps(centre, construct(centre, relax.counts))
    before = soft_cost(centre.snapshot(roster), centre.policy)
    hard_before = {
        (v.rule, v.day) for v in check_roster(centre.snapshot(roster), centre.policy) if v.hard
    }
    exchange = Exchange(centre, roster, seed=1)
    heard: list[int] = []  # the gain so far after each trade (the solver's progress)
    exchange.improve(time.monotonic() + 10, heard.append)
    after = exchange.assignments()
    assert exchange.gain > 0 and exchange.trades > 0
    assert len(heard) == exchange.trades and heard[-1] == exchange.gain
    assert heard == sorted(heard)  # no trade kept loses
    assert soft_cost(centre.snapshot(after), centre.policy) == before - exchange.gain
    hard_after = {
        (v.rule, v.day) for v in check_roster(centre.snapshot(after), centre.policy) if v.hard
    }
    assert hard_after <= hard_before  # S1 holes of the start may remain; nothing new


def _round_the_clock(people: tuple[Person, ...], n_days: int) -> RosterProblem:
    """`n_days` from Monday, day and night shifts, one agent needed in every interval."""
    days = [MONDAY + timedelta(days=i) for i in range(n_days)]
    return RosterProblem(
        start=days[0],
        end=days[-1],
        people=people,
        shift_types=(DAY, NIGHT),
        requirement={(d, k): 1 for d in days for k in range(48)},
        enforce_min_staff=False,
    )


def _night_team(grades: tuple[str, str, str]) -> tuple[RosterProblem, list[Assignment]]:
    """One team of three for a week: Wang Fang works the three nights, the others days."""
    people = tuple(
        Person(key, name, grade, "A")
        for key, name, grade in zip("abc", ("Wang Fang", "Li Na", "Zhang Wei"), grades, strict=True)
    )
    problem = _round_the_clock(people, 7)
    days = problem.days()
    roster = [Assignment("a", days[i], "N22") for i in (0, 2, 4)]
    roster += [Assignment(k, days[i], "D08") for k in "bc" for i in (0, 2, 4)]
    return _covered_exactly(problem, roster), roster


def _nights_spread(problem: RosterProblem, roster: list[Assignment]) -> int:
    found = check_roster(problem.snapshot(roster), problem.policy)
    return sum(v.cost for v in found if v.rule == "R7" and "nights" in v.message)


def test_uneven_nights_are_evened_out_through_a_move_that_gains_nothing_alone() -> None:
    """Nights 3-0-0: moving one leaves 2-1-0 (the same spread, so no gain yet), the next one
    1-1-1. The exchanges take the first move because it narrows the spread."""
    problem, roster = _night_team(("senior", "senior", "senior"))
    before = soft_cost(problem.snapshot(roster), problem.policy)
    assert _nights_spread(problem, roster) == 3 * problem.policy.roster.weights.fairness_nights
    exchange, after = _improve(problem, roster)
    assert _nights_spread(problem, after) == 0
    assert soft_cost(problem.snapshot(after), problem.policy) == before - exchange.gain
    assert [v for v in check_roster(problem.snapshot(after), problem.policy) if v.hard] == []


def test_nights_stay_with_the_only_senior() -> None:
    """Li Na and Zhang Wei are juniors: a night moved to either would have no senior on duty
    (R2), so the nights stay uneven."""
    problem, roster = _night_team(("senior", "junior", "junior"))
    spread = _nights_spread(problem, roster)
    _, after = _improve(problem, roster)
    assert _nights_spread(problem, after) == spread
    assert {a for a in after if a.shift == "N22"} == {a for a in roster if a.shift == "N22"}


def test_nights_go_to_teammates_when_the_one_with_fewest_is_on_leave() -> None:
    """Zhao Lei (no nights) is on leave all week, so nothing can move to her; Wang Fang's
    nights still go to Li Na and Zhang Wei, who have as few: 3-0-0-0 becomes 1-1-1-0."""
    problem, roster = _night_team(("senior", "senior", "senior"))
    people = (*problem.people, Person("d", "Zhao Lei", "senior", "A"))
    problem = problem.replace(people=people, leave=frozenset(("d", d) for d in problem.days()))
    weight = problem.policy.roster.weights.fairness_nights
    assert _nights_spread(problem, roster) == 3 * weight
    for seed in range(5):  # whoever is drawn first among those with the fewest
        exchange = Exchange(problem, roster, seed=seed)
        exchange.improve(time.monotonic() + 10)
        after = exchange.assignments()
        assert _nights_spread(problem, after) == weight
        assert [v for v in check_roster(problem.snapshot(after), problem.policy) if v.hard] == []


def test_a_spread_of_one_evens_out_with_another_team() -> None:
    """Nights 1-0 in team A and 2-1 in team B: no trade within a team evens either out, but
    Li Na (A, no night) taking one of Zhao Lei's (B, two nights) evens out both, and
    shift for shift on the same day it changes nothing else."""
    people = (
        Person("a1", "Wang Fang", "senior", "A", contract_hours_per_week=24.0),
        Person("a2", "Li Na", "senior", "A", contract_hours_per_week=24.0),
        Person("b1", "Zhao Lei", "senior", "B", contract_hours_per_week=24.0),
        Person("b2", "Zhang Wei", "senior", "B", contract_hours_per_week=24.0),
    )
    problem = _round_the_clock(people, 5)  # Monday to Friday: no weekend
    days = problem.days()
    plan = {
        "a1": [(4, "N22"), (1, "D08"), (2, "D08")],
        "a2": [(0, "D08"), (2, "D08"), (3, "D08")],
        "b1": [(0, "N22"), (2, "N22"), (4, "D08")],
        "b2": [(3, "N22"), (0, "D08"), (1, "D08")],
    }
    roster = [Assignment(k, days[i], code) for k, shifts in plan.items() for i, code in shifts]
    problem = _covered_exactly(problem, roster)
    weight = problem.policy.roster.weights.fairness_nights
    assert _nights_spread(problem, roster) == 2 * weight
    before = soft_cost(problem.snapshot(roster), problem.policy)
    exchange, after = _improve(problem, roster)
    assert _nights_spread(problem, after) == 0
    nights = {a.person: 0 for a in after}
    for a in after:
        nights[a.person] += a.shift == "N22"
    assert nights == {"a1": 1, "a2": 1, "b1": 1, "b2": 1}
    assert soft_cost(problem.snapshot(after), problem.policy) == before - exchange.gain
    assert exchange.gain >= 2 * weight
    assert [v for v in check_roster(problem.snapshot(after), problem.policy) if v.hard] == []


LATE = ShiftType("E14", 14 * 60, 480, name="Late 14-22")
MID = ShiftType("D10", 10 * 60, 480, name="Day 10-18")


def _two_days(monday: ShiftType) -> tuple[RosterProblem, list[Assignment]]:
    """Wang Fang works `monday` (pinned) and D10 on Tuesday, when one agent is needed 08-16
    (and nobody at other hours): D08 would cover Tuesday exactly."""
    tuesday = MONDAY + timedelta(days=1)
    problem = RosterProblem(
        start=MONDAY,
        end=tuesday,
        people=(Person("a", "Wang Fang", "senior", "A"),),
        shift_types=(DAY, MID, LATE),
        requirement={(tuesday, k): 1 for k in range(16, 32)},
        fixed={("a", MONDAY): monday.code},
        enforce_min_staff=False,
        policy=default_policy().with_overrides({"service": {"min_staff_per_interval": 0}}),
    )
    return problem, [Assignment("a", MONDAY, monday.code), Assignment("a", tuesday, "D10")]


def test_a_shift_moves_to_the_hours_the_requirement_needs() -> None:
    """After a day shift on Monday, Tuesday's D10 becomes D08: the two uncovered hours of the
    morning (4 intervals x the under-staffing weight) and the two extra of the afternoon
    (4 x the over-staffing weight) go; the gain is what the checkers count."""
    problem, roster = _two_days(DAY)
    before = soft_cost(problem.snapshot(roster), problem.policy)
    exchange, after = _improve(problem, roster)
    w = problem.policy.roster.weights
    assert Assignment("a", MONDAY + timedelta(days=1), "D08") in after
    assert exchange.gain == 4 * w.coverage_under + 4 * w.coverage_over
    assert soft_cost(problem.snapshot(after), problem.policy) == before - exchange.gain
    assert [v for v in check_roster(problem.snapshot(after), problem.policy) if v.hard] == []


def test_no_shift_moves_into_too_little_rest() -> None:
    """After Monday's late shift (until 22:00), D08 on Tuesday would leave 10 hours of rest
    (R1 asks 12): Tuesday's D10 stays, though D08 would cover better."""
    problem, roster = _two_days(LATE)
    exchange, after = _improve(problem, roster)
    assert set(after) == set(roster)
    assert exchange.gain == 0
