"""First roster (day by day from the relaxation) and the large-neighbourhood search's pieces."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from ortools.sat.python import cp_model

import solver.daily as daily
from rules.roster import check_roster, soft_cost
from rules.snapshot import Assignment
from rules.violation import Violation
from solver.construct import construct, fill_gaps
from solver.generate import call_centre_problem
from solver.lns import (
    Neighbourhood,
    TeamLNS,
    coverage_of,
    run_parallel,
    solve_neighbourhood,
    team_subproblem,
)
from solver.problem import RosterProblem
from solver.relaxation import solve_relaxation
from tests.solver.roster_fixtures import PEOPLE, small_problem


@pytest.fixture(scope="module")
def centre() -> RosterProblem:
    """Two teams, ten days, the benchmark's shift types."""
    return call_centre_problem(30, seed=3, n_days=10, team_size=15)


def _hard_except_s1(problem: RosterProblem, roster: list[Assignment]) -> list[Violation]:
    found = check_roster(problem.snapshot(roster), problem.policy)
    return [v for v in found if v.hard and v.rule != "S1"]


@pytest.mark.parametrize("person_model", [True, False])
def test_daily_construction_keeps_hard_rules(centre, person_model, monkeypatch) -> None:
    """Both day models (people x shifts; counts then names) place only hard-safe shifts."""
    monkeypatch.setattr(daily, "PERSON_MODEL_MAX", 10**9 if person_model else 0)
    relax = solve_relaxation(centre, 20)
    roster = daily.construct_daily(centre, relax.counts, time_limit_s=8)
    assert roster
    assert _hard_except_s1(centre, roster) == []
    assert _hard_except_s1(centre, fill_gaps(centre, roster)) == []


def test_daily_construction_small_problem() -> None:
    problem = small_problem(days=14)
    relax = solve_relaxation(problem, 10)
    roster = daily.construct_daily(problem, relax.counts, time_limit_s=5)
    assert _hard_except_s1(problem, roster) == []


def test_daily_construction_follows_the_relaxation_better_than_greedy(centre) -> None:
    relax = solve_relaxation(centre, 20)
    greedy = fill_gaps(centre, construct(centre, relax.counts))
    by_day = fill_gaps(centre, daily.construct_daily(centre, relax.counts, time_limit_s=8))
    assert soft_cost(centre.snapshot(by_day)) < soft_cost(centre.snapshot(greedy))
    assert soft_cost(centre.snapshot(by_day)) >= relax.bound


def test_day_models_start_from_the_relaxations_counts(centre, monkeypatch) -> None:
    """The counts day model starts from the relaxation's counts shared among teams (every
    start was all zeros once: OR-Tools' proto fields do not index from the end)."""
    monkeypatch.setattr(daily, "PERSON_MODEL_MAX", 0)
    relax = solve_relaxation(centre, 20)
    planned = Counter({day: 0 for day in centre.days()})
    for (_, _, day, _), k in relax.counts.items():
        planned[day] += k
    starts: list[list[int]] = []
    real = daily._solve_day_model

    def spy(model, found, time_limit_s, workers):
        starts.append([sum(start.values()) for start in found])
        return real(model, found, time_limit_s, workers)

    monkeypatch.setattr(daily, "_solve_day_model", spy)
    daily.construct_daily(centre, relax.counts, time_limit_s=4)
    assert len(starts) == len(centre.days())
    first = centre.days()[0]
    assert max(starts[0]) >= 0.5 * planned[first] > 0
    assert all(
        max(sums) > 0 for sums, day in zip(starts, centre.days(), strict=True) if planned[day]
    )


def test_counts_a_group_cannot_fill_go_to_someone_free(centre, monkeypatch) -> None:
    """When nobody of a group can take what the day model asked of it, someone still free
    that day takes the nearest shift they may: coverage is kept, every hard rule holds."""
    monkeypatch.setattr(daily, "PERSON_MODEL_MAX", 0)
    relax = solve_relaxation(centre, 20)
    team = sorted(centre.teams())[0]
    real = daily._Daily._name

    def blocked(self, i, day, g, by_code, want):
        if g[0] == team and not g[1]:  # as if this team's non-leads could not be named
            return [c for c in sorted(by_code) for _ in range(want.get((*g, c), 0))]
        return real(self, i, day, g, by_code, want)

    monkeypatch.setattr(daily._Daily, "_name", blocked)
    stood_in = daily.construct_daily(centre, relax.counts, time_limit_s=4)
    monkeypatch.setattr(daily._Daily, "_stand_in", lambda self, i, day, wanted, taken: None)
    left_short = daily.construct_daily(centre, relax.counts, time_limit_s=4)
    assert _hard_except_s1(centre, stood_in) == []
    assert len(stood_in) > len(left_short)
    assert soft_cost(centre.snapshot(stood_in)) < soft_cost(centre.snapshot(left_short))


def test_a_day_model_far_above_its_bound_is_solved_again() -> None:
    assert daily._far_above(59_220, 3_080)  # 19 times its bound: a search cut short
    assert daily._far_above(100_500, 400)  # a whole S1 hole
    assert not daily._far_above(4_850, 3_180)  # within the usual 30-50 %
    assert not daily._far_above(1_500, 700)  # twice the bound, but less than FAR_ABOVE over


def test_a_day_that_overruns_leaves_the_days_after_it_their_share(centre, monkeypatch) -> None:
    """A day (its retries) spending the whole construction's time does not leave the days
    after it 0.05 s each (at 250 agents that put S1 holes in the month's last days): each
    still gets MIN_DAY_SHARE of an even split, and the construction ends late instead."""
    budget, limits = 3.0, list[float]()
    solve_day_model = daily._solve_day_model

    def overrunning(
        model: cp_model.CpModel,
        starts: list[dict[cp_model.IntVar, int]],
        time_limit_s: float,
        workers: int,
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        limits.append(time_limit_s)
        if len(limits) == 2:
            time.sleep(budget)
        return solve_day_model(model, starts, time_limit_s, workers)

    monkeypatch.setattr(daily, "_solve_day_model", overrunning)
    relax = solve_relaxation(centre, 20)
    roster = daily.construct_daily(centre, relax.counts, time_limit_s=budget)
    share = budget / len(centre.days())
    assert len(limits) == len(centre.days())
    assert min(limits[2:]) >= 0.95 * daily.MIN_DAY_SHARE * share
    assert _hard_except_s1(centre, roster) == []


def test_relaxation_with_rest_stays_below_the_optimum() -> None:
    """Aggregate R1 between days (with a previous-period night) keeps it a relaxation."""
    from solver import solve

    problem = small_problem(days=7)
    sol = solve(problem, time_limit_s=8)
    assert sol.status == "OPTIMAL"
    assert sol.objective is not None
    assert solve_relaxation(problem, 10).bound <= sol.objective


def test_relaxation_prices_the_leads_hours_below_contract_apart_from_the_others() -> None:
    """Leads on a 60-hour week can work at most six 490-minute shifts in it (R4), so each is
    at least 11 hours below contract whatever the roster; the others, on 10 hours, may work
    above theirs. Summed over everyone, the others' extra hours would hide the leads' shortfall
    (a centre-wide relaxation spent the leads' hours on others at 100 agents, and its first
    roster left them below contract and short of leads for R2); priced per group, the bound
    carries it."""
    from solver import solve

    people = tuple(
        replace(p, contract_hours_per_week=60.0 if p.can_lead() else 10.0) for p in PEOPLE
    )
    problem = small_problem(days=7, people=people, preferences=())
    leads = sum(1 for p in people if p.can_lead())
    short_hours = -(-(60 * 60 - 6 * 490) // 60)  # a lead's week: 3600 contract, 2940 at most
    weight = problem.policy.roster.weights.hours_under_contract
    free = problem.replace(
        policy=problem.policy.with_overrides({"roster": {"weights": {"hours_under_contract": 0}}})
    )
    priced, unpriced = solve_relaxation(problem, 10), solve_relaxation(free, 10)
    assert priced.status == unpriced.status == "OPTIMAL"
    assert priced.bound >= unpriced.bound + leads * short_hours * weight
    sol = solve(problem, time_limit_s=4)  # any roster's cost is at least the optimum's
    assert sol.objective is not None and not sol.hard
    assert priced.bound <= sol.objective


def test_relaxation_counts_requests_that_must_be_refused() -> None:
    """Everyone asks for the same day off: somebody must work it, so the relaxation's bound
    rises by at least one refused request, and stays below the true optimum."""
    from rules.snapshot import Preference
    from solver import solve
    from tests.solver.roster_fixtures import MONDAY

    base = small_problem(days=7, preferences=())
    day = MONDAY + timedelta(days=3)
    asked = base.replace(preferences=tuple(Preference(p.key, day, "day_off") for p in PEOPLE))
    refused = base.policy.roster.weights.preference_day_off
    plain = solve_relaxation(base, 10)
    both = solve_relaxation(asked, 10)
    assert plain.status == both.status == "OPTIMAL"
    assert both.bound >= plain.bound + refused
    sol = solve(asked, time_limit_s=8)
    assert sol.status == "OPTIMAL"
    assert sol.objective is not None
    assert both.bound <= sol.objective


def test_relaxation_charges_a_day_off_and_a_shift_asked_for_the_same_day() -> None:
    """A day off and a preferred shift on one day cannot both be granted: the bound rises by
    the cheaper of the two (and stays below the optimum); on two different days both can be
    granted and the bound does not move."""
    from rules.snapshot import Preference
    from solver import solve
    from tests.solver.roster_fixtures import MONDAY

    base = small_problem(days=7, preferences=())
    day = MONDAY + timedelta(days=3)
    w = base.policy.roster.weights
    cheaper = min(w.preference_day_off, w.preference_shift)
    plain = solve_relaxation(base, 10)
    same = base.replace(
        preferences=(Preference("P5", day, "day_off"), Preference("P5", day, "shift", "D08"))
    )
    apart = base.replace(
        preferences=(
            Preference("P5", day, "day_off"),
            Preference("P5", day + timedelta(days=1), "shift", "D08"),
        )
    )
    both, spread = solve_relaxation(same, 10), solve_relaxation(apart, 10)
    assert plain.status == both.status == spread.status == "OPTIMAL"
    assert both.bound == plain.bound + cheaper
    assert spread.bound == plain.bound
    sol = solve(same, time_limit_s=8)
    assert sol.status == "OPTIMAL"
    assert sol.objective is not None
    assert both.bound <= sol.objective


def test_centre_day_steps_settle_every_day_and_reopen_those_around_a_change() -> None:
    """Every team on one day: each step's gain is the checkers' gain (coverage moves between
    the teams); a day proven to gain nothing is not offered again until a shift on it or next
    to it changes, so the steps stop once every day is settled."""
    centre = call_centre_problem(16, seed=3, n_days=7, team_size=8)  # each day proves fast
    relax = solve_relaxation(centre, 20)
    lns = TeamLNS(centre, fill_gaps(centre, construct(centre, relax.counts)), workers=2, seed=1)
    cost = soft_cost(centre.snapshot(lns.assignments()))
    days = centre.days()
    gained, steps = 0, 0
    while (nb := lns.centre_neighbourhood()) is not None:
        assert set(nb.teams) == set(lns.teams) == {"T01", "T02"}
        assert nb.first == nb.last and nb.people is None
        steps += 1
        assert steps <= 6 * len(days)
        result = solve_neighbourhood(centre, lns.propose(nb=nb), 10.0, False, 2)
        assert result.status == cp_model.OPTIMAL
        lns.commit(result)
        gained += lns.gain
        assert soft_cost(centre.snapshot(lns.assignments())) == cost - gained
    assert gained > 0 and steps > len(days)  # a gain on a day reopened its neighbours
    assert set(lns.centre_settled) == set(days)
    lns.changed[days[3]] = lns.version  # as a team step changing a shift on day 3 would
    offered = []
    while (nb := lns.centre_neighbourhood()) is not None and nb.first not in offered:
        offered.append(nb.first)
    assert sorted(offered) == days[2:5]


def test_people_neighbourhood_pins_everyone_else(centre) -> None:
    relax = solve_relaxation(centre, 20)
    lns = TeamLNS(centre, fill_gaps(centre, construct(centre, relax.counts)), workers=1)
    team = lns.teams[0]
    members = [p.key for p in centre.people if p.team == team]
    days = centre.days()
    nb = Neighbourhood(team, days[2], days[5], frozenset(members[:3]))
    sub = team_subproblem(centre, lns.roster, nb, enforce_min_staff=False)
    assert {p.key for p in sub.people} == set(members)
    for key in members:
        for day in days:
            free = key in members[:3] and days[2] <= day <= days[5]
            assert ((key, day) in sub.fixed) != free


def test_lns_gain_is_the_checkers_gain(centre) -> None:
    """Each accepted step lowers the centre's soft cost by at least the step's gain (exactly,
    unless CP-SAT stopped at a solution whose auxiliary variables are not yet tight)."""
    relax = solve_relaxation(centre, 20)
    lns = TeamLNS(centre, fill_gaps(centre, construct(centre, relax.counts)), workers=1, seed=1)
    cost = soft_cost(centre.snapshot(lns.assignments()))
    improved = 0
    for _ in range(6):
        if lns.step(5.0, enforce_min_staff=False):
            improved += 1
            new = soft_cost(centre.snapshot(lns.assignments()))
            assert lns.gain > 0 and new <= cost - lns.gain
            cost = new
        else:
            assert lns.gain == 0
            assert soft_cost(centre.snapshot(lns.assignments())) <= cost  # plateau moves only
    assert improved


def test_stale_parallel_steps_are_judged_against_the_roster_as_it_is_now(centre) -> None:
    """Two teams' neighbourhoods solved against the same roster (as the parallel search does)
    and committed one after the other: the second gain is corrected for the first team's new
    coverage, so the tracked cost is the checkers' cost (or above it, never below)."""
    relax = solve_relaxation(centre, 20)
    lns = TeamLNS(centre, fill_gaps(centre, construct(centre, relax.counts)), workers=1, seed=2)
    cost = soft_cost(centre.snapshot(lns.assignments()))
    days = centre.days()
    gained = 0
    for first, last in ((0, 3), (3, 6), (6, 9)):
        jobs = []
        for team in lns.teams:
            job = lns.propose()
            job.nb = Neighbourhood(team, days[first], days[last])
            jobs.append(job)
        assert len({j.version for j in jobs}) == 1
        results = [solve_neighbourhood(centre, j, 5.0, False, 1) for j in jobs]
        for result in results:
            lns.commit(result)
            gained += lns.gain
            assert lns.gain >= 0
        assert soft_cost(centre.snapshot(lns.assignments())) <= cost - gained
    assert gained > 0


def test_parallel_search_improves_and_keeps_hard_rules(centre) -> None:
    import time

    relax = solve_relaxation(centre, 20)
    start = fill_gaps(centre, construct(centre, relax.counts))
    lns = TeamLNS(centre, start, workers=2, seed=3)
    commits: list[bool] = []
    run_parallel(lns, time.monotonic() + 6.0, 2, lambda: False, commits.append)
    assert len(commits) >= 2
    after = lns.assignments()
    assert soft_cost(centre.snapshot(after)) < soft_cost(centre.snapshot(start))
    assert _hard_except_s1(centre, after) == []


def test_mid_sized_problem_searches_then_solves_the_full_model() -> None:
    """Between the direct-only and LNS-only sizes: LNS first, then the full model; the
    roster is judged by the checkers and the bound stays below it."""
    from solver import solve
    from solver.generate import demo_team_problem
    from solver.solve import DIRECT_MAX_VARIABLES, DIRECT_ONLY_MAX_VARIABLES

    problem = demo_team_problem(20, seed=1)
    size = len(problem.people) * len(problem.days()) * len(problem.shift_types)
    assert DIRECT_ONLY_MAX_VARIABLES < size <= DIRECT_MAX_VARIABLES
    sol = solve(problem, time_limit_s=8)
    assert sol.feasible and not sol.hard
    assert sol.objective == soft_cost(problem.snapshot(sol.assignments), problem.policy)
    assert sol.bound is not None and sol.bound <= sol.objective
    phases = [e.phase for e in sol.history]
    assert "construction" in phases and phases[-1] == "done"
    objectives = [e.objective for e in sol.history if e.objective is not None]
    assert objectives == sorted(objectives, reverse=True)  # progress never reports worse


def test_partners_neighbourhood_spans_teams_and_keeps_the_checkers_cost(centre) -> None:
    """Someone whose request the roster refuses, with partners from other teams: the sub-model
    holds every member of the teams involved (only the chosen ones free), and a committed
    step lowers the centre's cost by at least its gain."""
    relax = solve_relaxation(centre, 20)
    lns = TeamLNS(centre, fill_gaps(centre, construct(centre, relax.counts)), workers=1, seed=4)
    lns.n_partners = 6
    # The partners are drawn at random and may all be the owner's teammates: draw until some
    # come from the other team (which the first draws on this roster do).
    for _ in range(20):
        nb = lns._partners_neighbourhood(set())
        if nb is not None and nb.partners:
            break
    assert nb is not None and nb.people is not None and nb.kind == "partners"
    sub = team_subproblem(centre, lns.roster, nb, enforce_min_staff=False)
    assert {p.team for p in sub.people} == set(nb.teams)
    window = [d for d in centre.days() if nb.first <= d <= nb.last]
    free = {p.key for p in sub.people for d in window if (p.key, d) not in sub.fixed}
    assert free == set(nb.people)
    assert all(
        (p.key, d) in sub.fixed for p in sub.people for d in set(centre.days()) - set(window)
    )
    cost = soft_cost(centre.snapshot(lns.assignments()))
    gained = 0
    for seed in range(4):
        job = lns.propose()
        job.nb, job.seed = lns._partners_neighbourhood(set()) or nb, seed
        if lns.commit(solve_neighbourhood(centre, job, 5.0, False, 1)):
            gained += lns.gain
    assert soft_cost(centre.snapshot(lns.assignments())) <= cost - gained
    assert _hard_except_s1(centre, lns.assignments()) == []


def test_coverage_counts_each_shift_in_the_intervals_it_covers_within_the_period() -> None:
    """Agents on duty per (day, hour): shifts started the same day and type add up, a night
    shift counts on the next morning, the previous period's night reaches into the first
    day, and the hours after the period's end are left out."""
    problem = small_problem(days=3)
    monday, last = problem.start, problem.end
    roster = [
        Assignment("P1", monday, "E06"),
        Assignment("P4", monday, "E06"),
        Assignment("P5", last, "N22"),
        *problem.previous,  # P2's N22 the day before the period
    ]
    expected: Counter[tuple[object, int]] = Counter()
    for hour in range(0, 6):
        expected[(monday, hour)] += 1
    for hour in range(6, 14):
        expected[(monday, hour)] += 2
    for hour in (22, 23):
        expected[(last, hour)] += 1
    assert coverage_of(problem, roster) == expected
    assert coverage_of(problem, []) == Counter()
