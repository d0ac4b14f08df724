"""Seeded synthetic call-centre problems (benchmarks, tests, demos).

A month of 30-minute intervals, 8-hour shifts starting every hour plus a few 10-hour shifts,
a daily requirement curve with a night trough, morning and afternoon peaks and a weekly shape,
~10 % leave in blocks, preferences, teams of ~22 with about a quarter seniors and one team lead.
The requirement is scaled so that the agents' contract hours exceed it by ~15 % (a typical
shrinkage margin): the roster must place hours well, not find more of them.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from rules.policy import Policy, default_policy
from rules.roster.common import contract_minutes
from rules.snapshot import Assignment, Person, Preference, ShiftType
from solver.problem import RosterProblem

FAMILY_NAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"]
GIVEN_NAMES = ["Wei", "Fang", "Na", "Min", "Jing", "Lei", "Jun", "Yan", "Tao", "Hui", "Qiang"]


def standard_shift_types(long_shifts: bool = True) -> tuple[ShiftType, ...]:
    """8-hour shifts starting every hour, plus 10-hour ones at 08:00, 12:00 and 20:00."""
    out = [ShiftType(f"S{h:02d}", h * 60, 480, name=f"{h:02d}:00 8 h") for h in range(24)]
    if long_shifts:
        out += [ShiftType(f"L{h:02d}", h * 60, 600, name=f"{h:02d}:00 10 h") for h in (8, 12, 20)]
    return tuple(out)


def demand_curve(hour: float) -> float:
    """Relative call load over a day: night trough, peaks around 10:00 and 15:00."""
    base = 0.12
    morning = 1.0 * math.exp(-(((hour - 10.5) / 2.2) ** 2))
    afternoon = 0.85 * math.exp(-(((hour - 15.5) / 2.5) ** 2))
    evening = 0.45 * math.exp(-(((hour - 20.0) / 2.0) ** 2))
    return base + morning + afternoon + evening


def _day_factor(day: date, holidays: frozenset[date]) -> float:
    if day in holidays:
        return 0.6
    return [1.1, 1.0, 1.0, 1.0, 1.0, 0.75, 0.7][day.weekday()]


def call_centre_problem(
    n_agents: int,
    seed: int = 0,
    start: date = date(2026, 12, 1),
    n_days: int = 31,
    team_size: int = 22,
    policy: Policy | None = None,
    load: float = 0.85,
) -> RosterProblem:
    rng = random.Random(seed)
    policy = policy or default_policy()
    days = [start + timedelta(days=i) for i in range(n_days)]
    holidays = frozenset(d for d in days if (d.month, d.day) in {(12, 25), (1, 1)})
    people = _people(n_agents, team_size, rng)
    leave = _leave(people, days, rng)
    requirement = _requirement(people, days, holidays, leave, policy, load, rng)
    return RosterProblem(
        start=start,
        end=days[-1],
        people=tuple(people),
        shift_types=standard_shift_types(),
        requirement=requirement,
        policy=policy,
        leave=frozenset(leave),
        holidays=holidays,
        preferences=tuple(_preferences(people, days, rng)),
        previous=tuple(_previous(people, start, rng)),
        name=f"centre-{n_agents}-seed{seed}",
    )


def _people(n: int, team_size: int, rng: random.Random) -> list[Person]:
    n_teams = max(1, round(n / team_size))
    out = []
    for i in range(n):
        team = f"T{i % n_teams + 1:02d}"
        first_of_team = i < n_teams
        grade = (
            "senior"
            if first_of_team or rng.random() < 0.27
            else rng.choice(["junior", "intermediate", "intermediate"])
        )
        name = f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)} {i:03d}"
        out.append(Person(f"A{i:03d}", name, grade, team, is_team_lead=first_of_team))
    return out


def _leave(people: list[Person], days: list[date], rng: random.Random) -> set[tuple[str, date]]:
    """About 10 % of person-days in blocks of 1-5 days."""
    out: set[tuple[str, date]] = set()
    target = round(0.10 * len(people) * len(days))
    while len(out) < target:
        p = rng.choice(people)
        first = rng.randrange(len(days))
        for d in days[first : first + rng.randint(1, 5)]:
            out.add((p.key, d))
    return out


def _requirement(
    people: list[Person],
    days: list[date],
    holidays: frozenset[date],
    leave: set[tuple[str, date]],
    policy: Policy,
    load: float,
    rng: random.Random,
) -> dict[tuple[date, int], int]:
    minutes = policy.service.interval_minutes
    per_day = 24 * 60 // minutes
    shape = {
        (d, k): _day_factor(d, holidays)
        * demand_curve((k + 0.5) * minutes / 60)
        * rng.uniform(0.93, 1.07)
        for d in days
        for k in range(per_day)
    }
    # Contract supply in agent-intervals (without roll call), after leave.
    supply = (
        sum(contract_minutes(p, len(days), sum(1 for k, _ in leave if k == p.key)) for p in people)
        * (480 / 490)
        / minutes
    )
    scale = load * supply / sum(shape.values())
    return {slot: max(1, round(v * scale)) for slot, v in shape.items()}


def _preferences(people: list[Person], days: list[date], rng: random.Random) -> list[Preference]:
    out = []
    for p in people:
        for d in rng.sample(days, 2):
            out.append(Preference(p.key, d, "day_off"))
        d = rng.choice(days)
        out.append(Preference(p.key, d, "shift", shift=f"S{rng.choice([7, 8, 9, 10]):02d}"))
    return out


def _previous(people: list[Person], start: date, rng: random.Random) -> list[Assignment]:
    """The last week of the previous month: day shifts with one random day off; one senior
    per team worked the last night, so the new month starts covered (S1, R2)."""
    out = []
    night_done: set[str] = set()
    for p in people:
        if p.can_lead() and p.team not in night_done:
            night_done.add(p.team)
            out.append(Assignment(p.key, start - timedelta(days=1), "S22"))
            out += [Assignment(p.key, start - timedelta(days=b), "S22") for b in (3, 4, 5)]
            continue
        off = rng.randrange(7)
        hour = rng.choice([8, 9, 10])
        for back in range(1, 8):
            if back - 1 != off:
                out.append(Assignment(p.key, start - timedelta(days=back), f"S{hour:02d}"))
    return out


def demo_shift_types() -> tuple[ShiftType, ...]:
    """The product demo's six shift types: early, two day, middle, late and one night shift."""
    return (
        ShiftType("E06", 6 * 60, 480, name="Early 06-14"),
        ShiftType("D08", 8 * 60, 480, name="Day 08-16"),
        ShiftType("D09", 9 * 60, 480, name="Day 09-17"),
        ShiftType("M11", 11 * 60, 480, name="Middle 11-19"),
        ShiftType("L14", 14 * 60, 480, name="Late 14-22"),
        ShiftType("N22", 22 * 60, 480, name="Night 22-06", is_night=True),
    )


def demo_team_problem(n_agents: int = 20, seed: int = 1) -> RosterProblem:
    """One demo-sized team for a month with the demo's shift types (what the product's demo
    solves per team): the call-centre generator's people, leave and requirement."""
    base = call_centre_problem(n_agents, seed=seed, team_size=n_agents)
    codes = {"S22": "N22", "S08": "D08", "S09": "D09", "S10": "D09"}
    return base.replace(
        shift_types=demo_shift_types(),
        previous=tuple(Assignment(a.person, a.day, codes[a.shift]) for a in base.previous),
        preferences=tuple(
            Preference(x.person, x.day, x.kind, shift="D09" if x.kind == "shift" else None)
            for x in base.preferences
        ),
        name=f"demo-team-{n_agents}-seed{seed}",
    )
