"""The demo organisation: centre, queue, teams, people with roles, grades, skills, contracts,
shift types and the public-holiday calendar."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from wfm.calendar_cn import WorkCalendar
from wfm.demo.names import draw_names
from wfm.models import (
    CalendarDay,
    Centre,
    Contract,
    Grade,
    GradeHistory,
    Person,
    PersonSkill,
    Queue,
    Role,
    ShiftSkill,
    ShiftType,
    Skill,
    Team,
)
from wfm.services.auth import hash_password

DEMO_PASSWORD = "demo1234"

# (code, name_en, name_zh, start hour, length hours, night)
# (code, name_en, name_zh, start hour, length hours, night). Day shifts end by 22:00 so that
# only the night shift counts against R6's night limit (22:00-06:00); three shifts (early, late,
# night) cover the clock, the others follow the daytime peak.
SHIFT_TYPES = [
    ("E06", "Early 06-14", "早班 06-14", 6, 8, False),
    ("D08", "Day 08-16", "白班 08-16", 8, 8, False),
    ("D09", "Day 09-17", "白班 09-17", 9, 8, False),
    ("M11", "Middle 11-19", "中班 11-19", 11, 8, False),
    ("L14", "Late 14-22", "晚班 14-22", 14, 8, False),
    ("N22", "Night 22-06", "夜班 22-06", 22, 8, True),
]
SHIFT_COLOURS = ["#fdd49e", "#c6dbef", "#9ecae1", "#c7e9c0", "#dadaeb", "#756bb1"]
SKILLS = [
    ("general", "General enquiries", "综合咨询"),
    ("billing", "Billing", "账单业务"),
    ("broadband", "Broadband faults", "宽带报障"),
    ("english", "English line", "英语坐席"),
]
TEAMS = [("Team A", "甲班"), ("Team B", "乙班"), ("Team C", "丙班"), ("Team D", "丁班")]


@dataclass
class DemoOrg:
    centre: Centre
    queue: Queue
    teams: list[Team]
    members: dict[int, list[Person]] = field(default_factory=dict)  # team id -> people
    logins: dict[str, Person] = field(default_factory=dict)  # role -> demo login
    shift_types: list[ShiftType] = field(default_factory=list)


def build_org(session: Session, rng: random.Random, today: date, team_sizes: list[int]) -> DemoOrg:
    centre = Centre(name="East China Customer Service Centre", name_zh="华东客户服务中心")
    queue = Queue(name="hotline", name_zh="客服热线")
    session.add_all([centre, queue])
    session.flush()
    skills = {code: Skill(code=code, name=en, name_zh=zh) for code, en, zh in SKILLS}
    session.add_all(skills.values())
    shift_types = _shift_types(skills)
    session.add_all(shift_types)
    teams = [
        Team(centre_id=centre.id, name=en, name_zh=zh, queue_id=queue.id)
        for en, zh in TEAMS[: len(team_sizes)]
    ]
    session.add_all(teams)
    session.flush()
    hash_ = hash_password(DEMO_PASSWORD)  # one hash for all demo logins: argon2 is slow on purpose
    org = DemoOrg(centre=centre, queue=queue, teams=teams, shift_types=shift_types)
    names = iter(draw_names(rng, sum(team_sizes) + 8))
    for index, (team, size) in enumerate(zip(teams, team_sizes, strict=True)):
        org.members[team.id] = _team_people(
            session, rng, team, index, size, names, skills, hash_, today
        )
    _staff_logins(session, org, names, hash_, today)
    return org


def _shift_types(skills: dict[str, Skill]) -> list[ShiftType]:
    out = []
    for (code, en, zh, start, hours, night), colour in zip(SHIFT_TYPES, SHIFT_COLOURS, strict=True):
        st = ShiftType(
            code=code,
            name=en,
            name_zh=zh,
            start_minute=start * 60,
            length_minutes=hours * 60,
            is_night=night,
            colour=colour,
        )
        st.required_skills = [ShiftSkill(skill=skills["general"])]
        out.append(st)
    return out


def _team_people(
    session: Session,
    rng: random.Random,
    team: Team,
    index: int,
    size: int,
    names: object,
    skills: dict[str, Skill],
    hash_: str,
    today: date,
) -> list[Person]:
    people = []
    # A realistic grade mix: the lead, about a quarter seniors, the rest intermediate and junior.
    n_senior = max(4, round(size * 0.25))
    grades = [Grade.SENIOR] * n_senior + [Grade.INTERMEDIATE] * round(size * 0.4)
    grades += [Grade.JUNIOR] * (size - 1 - len(grades))
    rng.shuffle(grades)
    for i in range(size):
        zh, en = next(names)  # type: ignore[call-overload]
        lead = i == 0
        grade = Grade.SENIOR if lead else grades[i - 1]
        username = f"lead{index + 1}" if lead else f"a{index + 1}{i:02d}"
        hired = today - timedelta(
            days=rng.randint(120, 2400) if grade != Grade.JUNIOR else rng.randint(40, 400)
        )
        p = Person(
            username=username,
            password_hash=hash_,
            name=en,
            name_zh=zh,
            role=Role.TEAM_LEAD if lead else Role.AGENT,
            team_id=team.id,
            grade=grade,
            seat="expert" if grade == Grade.SENIOR and rng.random() < 0.5 else "regular",
            hired_on=hired,
            email=f"{username}@demo.example",
            phone=f"138{rng.randint(10**7, 10**8 - 1)}",
        )
        p.skills = [PersonSkill(skill=skills["general"])]
        for code, share in (("billing", 0.6), ("broadband", 0.4), ("english", 0.15)):
            if rng.random() < share:
                p.skills.append(PersonSkill(skill=skills[code]))
        hours = 40.0 if rng.random() > 0.08 else 32.0
        p.contracts = [Contract(weekly_hours=hours, valid_from=hired)]
        session.add(p)
        people.append(p)
    session.flush()
    for p in people:
        session.add(
            GradeHistory(person_id=p.id, grade=p.grade, valid_from=p.hired_on, reason="hired")
        )
    if people:
        team.name_zh = team.name_zh or team.name
    return people


def _staff_logins(session: Session, org: DemoOrg, names: object, hash_: str, today: date) -> None:
    first_team = org.teams[0]
    members = org.members[first_team.id]
    org.logins["team_lead"] = members[0]
    agent = next(p for p in members[1:] if p.grade == Grade.INTERMEDIATE)
    agent.username = "agent"
    org.logins["agent"] = agent
    for role, username in (
        (Role.QUALITY_INSPECTOR, "inspector"),
        (Role.DEPARTMENT_DIRECTOR, "dept_director"),
        (Role.CENTRE_DIRECTOR, "centre_director"),
        (Role.ADMIN, "admin"),
    ):
        zh, en = next(names)  # type: ignore[call-overload]
        p = Person(
            username=username,
            password_hash=hash_,
            name=en,
            name_zh=zh,
            role=role,
            hired_on=today - timedelta(days=2000),
            email=f"{username}@demo.example",
        )
        session.add(p)
        org.logins[role.value] = p
    session.flush()


def store_calendar(session: Session, first: date, last: date, country: str = "CN") -> WorkCalendar:
    """Public holidays and make-up working days between `first` and `last` into calendar_day."""
    cal = WorkCalendar(country)
    day = first
    while day <= last:
        kind = cal.day_type(day)
        if kind == "holiday":
            session.add(CalendarDay(day=day, kind="holiday", name=cal.holiday_name(day) or ""))
        elif kind == "workday" and day.weekday() >= 5:
            session.add(CalendarDay(day=day, kind="workday", name="make-up working day 调休上班"))
        day += timedelta(days=1)
    return cal
