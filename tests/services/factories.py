"""Small factories for service tests: a centre with two teams, people of every role and grade,
shift types (with a night shift and a skilled shift), a published roster per team, holidays
and requirements. Rows are written straight through the ORM (not through the services) so a
test's set-up never depends on the code under test.

    world = make_world(session_factory)
    world.assign(session_factory, "int_a1", date(2026, 12, 7), "D")
    world.id("int_a1")  # -> person id
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from wfm.db import transaction
from wfm.models import (
    CalendarDay,
    Centre,
    Grade,
    Person,
    PersonSkill,
    Queue,
    Requirement,
    Role,
    Roster,
    RosterAssignment,
    ShiftSkill,
    ShiftType,
    Skill,
    Team,
)
from wfm.timeutil import month_end

PASSWORD = "correct-horse-1"
MONTH = date(2026, 12, 1)

# code: (start minute, length minutes, night?, required skill)
SHIFTS: dict[str, tuple[int, int, bool, str | None]] = {
    "D": (8 * 60, 480, False, None),  # day 08:00-16:00
    "M": (10 * 60, 480, False, None),  # middle 10:00-18:00
    "E": (14 * 60, 480, False, None),  # evening 14:00-22:00
    "N": (22 * 60, 600, True, None),  # night 22:00-08:00
    "V": (8 * 60, 480, False, "vip"),  # VIP line, needs the "vip" skill
}

# key: (role, team "a"/"b"/None, grade, skills)
PEOPLE: dict[str, tuple[Role, str | None, Grade | None, tuple[str, ...]]] = {
    "admin": (Role.ADMIN, None, None, ()),
    "centre_director": (Role.CENTRE_DIRECTOR, None, None, ()),
    "dept_director": (Role.DEPARTMENT_DIRECTOR, None, None, ()),
    "inspector": (Role.QUALITY_INSPECTOR, None, None, ()),
    "lead_a": (Role.TEAM_LEAD, "a", Grade.SENIOR, ("vip",)),
    "sen_a1": (Role.AGENT, "a", Grade.SENIOR, ()),
    "sen_a2": (Role.AGENT, "a", Grade.SENIOR, ()),
    "int_a1": (Role.AGENT, "a", Grade.INTERMEDIATE, ("vip",)),
    "int_a2": (Role.AGENT, "a", Grade.INTERMEDIATE, ()),
    "int_a3": (Role.AGENT, "a", Grade.INTERMEDIATE, ("vip",)),
    "jun_a1": (Role.AGENT, "a", Grade.JUNIOR, ()),
    "jun_a2": (Role.AGENT, "a", Grade.JUNIOR, ()),
    "lead_b": (Role.TEAM_LEAD, "b", Grade.SENIOR, ()),
    "sen_b1": (Role.AGENT, "b", Grade.SENIOR, ()),
    "int_b1": (Role.AGENT, "b", Grade.INTERMEDIATE, ()),
    "int_b2": (Role.AGENT, "b", Grade.INTERMEDIATE, ()),
    "jun_b1": (Role.AGENT, "b", Grade.JUNIOR, ()),
}


@lru_cache(maxsize=1)
def password_hash() -> str:
    """One argon2 hash shared by every factory person (hashing is deliberately slow)."""
    from wfm.services.auth import hash_password

    return hash_password(PASSWORD)


@dataclass
class World:
    centre: int
    queue: int
    teams: dict[str, int]  # "a"/"b" -> team id
    shifts: dict[str, int]  # code -> shift type id
    people: dict[str, int]  # key -> person id
    rosters: dict[str, int]  # "a"/"b" -> published roster id of MONTH
    month: date = MONTH
    names: dict[int, str] = field(default_factory=dict)  # person id -> key

    def id(self, key: str) -> int:
        return self.people[key]

    def team_of(self, key: str) -> int:
        team = PEOPLE[key][1]
        assert team is not None, key
        return self.teams[team]

    def assign(self, db: sessionmaker[Session], key: str, day: date, code: str) -> None:
        """Put a person on a shift in their team's published roster."""
        team = PEOPLE[key][1]
        assert team is not None, key
        roster_id = (
            self.rosters[team]
            if month_of(day) == self.month
            else self.roster_for(db, team, month_of(day))
        )
        with transaction(db) as s:
            s.add(
                RosterAssignment(
                    roster_id=roster_id,
                    person_id=self.id(key),
                    day=day,
                    shift_type_id=self.shifts[code],
                )
            )

    def assign_many(self, db: sessionmaker[Session], rows: list[tuple[str, date, str]]) -> None:
        for key, day, code in rows:
            self.assign(db, key, day, code)

    def roster_for(self, db: sessionmaker[Session], team: str, month: date) -> int:
        """The published roster of a team for another month (made on first use)."""
        with transaction(db) as s:
            rid = s.scalars(
                select(Roster.id).where(
                    Roster.team_id == self.teams[team],
                    Roster.period_start == month,
                    Roster.status == "published",
                )
            ).first()
            if rid is None:
                r = Roster(
                    team_id=self.teams[team],
                    period_start=month,
                    period_end=month_end(month),
                    version=1,
                    status="published",
                    published_at=datetime(2026, 11, 1),
                )
                s.add(r)
                s.flush()
                rid = r.id
            return rid


def month_of(day: date) -> date:
    return day.replace(day=1)


def make_world(db: sessionmaker[Session], month: date = MONTH) -> World:
    """A centre, two teams on one queue, everyone of PEOPLE, the shift types of SHIFTS, and an
    empty published roster per team for `month` (tests add the assignments they need)."""
    with transaction(db) as s:
        centre = Centre(name="Hotline Centre", name_zh="客服中心")
        queue = Queue(name="hotline")
        s.add_all([centre, queue])
        s.flush()
        teams = {
            k: Team(centre_id=centre.id, name=f"Team {k.upper()}", queue_id=queue.id)
            for k in ("a", "b")
        }
        s.add_all(teams.values())
        skills = {"vip": Skill(code="vip", name="VIP line")}
        s.add_all(skills.values())
        s.flush()
        shifts: dict[str, ShiftType] = {}
        for code, (start, length, night, skill) in SHIFTS.items():
            st = ShiftType(
                code=code,
                name=f"Shift {code}",
                start_minute=start,
                length_minutes=length,
                is_night=night,
            )
            if skill:
                st.required_skills.append(ShiftSkill(skill=skills[skill]))
            shifts[code] = st
        s.add_all(shifts.values())
        people: dict[str, Person] = {}
        for key, (role, team, grade, person_skills) in PEOPLE.items():
            p = Person(
                username=key,
                password_hash=password_hash(),
                name=key.replace("_", " ").title(),
                role=role,
                team_id=teams[team].id if team else None,
                grade=grade,
            )
            for code in person_skills:
                p.skills.append(PersonSkill(skill=skills[code]))
            people[key] = p
        s.add_all(people.values())
        s.flush()
        rosters = {}
        for k, team_row in teams.items():
            r = Roster(
                team_id=team_row.id,
                period_start=month,
                period_end=month_end(month),
                version=1,
                status="published",
                published_at=datetime(2026, 11, 1),
            )
            s.add(r)
            rosters[k] = r
        s.flush()
        return World(
            centre=centre.id,
            queue=queue.id,
            teams={k: t.id for k, t in teams.items()},
            shifts={c: st.id for c, st in shifts.items()},
            people={k: p.id for k, p in people.items()},
            rosters={k: r.id for k, r in rosters.items()},
            month=month,
            names={p.id: k for k, p in people.items()},
        )


def add_holiday(db: sessionmaker[Session], day: date, name: str = "Holiday") -> None:
    with transaction(db) as s:
        s.add(CalendarDay(day=day, kind="holiday", name=name))


def add_requirement(
    db: sessionmaker[Session],
    queue_id: int,
    day: date,
    start_hour: int,
    end_hour: int,
    agents: int,
    interval_minutes: int = 30,
) -> None:
    """A stored requirement of `agents` per interval over [start_hour, end_hour) of `day`."""
    with transaction(db) as s:
        t = datetime.combine(day, datetime.min.time()) + timedelta(hours=start_hour)
        end = datetime.combine(day, datetime.min.time()) + timedelta(hours=end_hour)
        while t < end:
            s.add(
                Requirement(
                    queue_id=queue_id,
                    interval_start=t,
                    interval_minutes=interval_minutes,
                    agents_on_phone=agents,
                    agents=agents,
                )
            )
            t += timedelta(minutes=interval_minutes)
