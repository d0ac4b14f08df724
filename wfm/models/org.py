"""Centre, teams, people (logins and roles), grades with history, skills and contracts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    Float,
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.models.base import Base, CreatedAt, StrEnum


def _enum(cls: type[StrEnum], length: int) -> Enum:
    """Stored as the value ('agent'), not the Python name ('AGENT'), so reports read plainly."""
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Role(StrEnum):
    AGENT = "agent"
    TEAM_LEAD = "team_lead"
    QUALITY_INSPECTOR = "quality_inspector"
    DEPARTMENT_DIRECTOR = "department_director"
    CENTRE_DIRECTOR = "centre_director"
    ADMIN = "admin"


class Grade(StrEnum):
    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    SENIOR = "senior"


GRADE_ORDER = [Grade.JUNIOR, Grade.INTERMEDIATE, Grade.SENIOR]


class Centre(Base):
    __tablename__ = "centre"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_zh: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    holiday_country: Mapped[str] = mapped_column(String(8), default="CN")
    teams: Mapped[list[Team]] = relationship(back_populates="centre")


class Team(Base):
    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("centre_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id"))
    name: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str] = mapped_column(String(80), default="")
    # The queue whose requirement the team covers; several teams may share a queue.
    queue_id: Mapped[int | None] = mapped_column(ForeignKey("queue.id"))
    centre: Mapped[Centre] = relationship(back_populates="teams")
    members: Mapped[list[Person]] = relationship(
        back_populates="team", foreign_keys="Person.team_id"
    )


class Person(CreatedAt, Base):
    """Everyone with a login: agents, team leads, inspectors, directors, admins."""

    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str] = mapped_column(String(80), default="")
    role: Mapped[Role] = mapped_column(_enum(Role, 32))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    grade: Mapped[Grade | None] = mapped_column(_enum(Grade, 16))
    seat: Mapped[str] = mapped_column(String(16), default="regular")  # regular | expert
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    hired_on: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")  # private: own, lead, directors
    language: Mapped[str] = mapped_column(String(8), default="zh")
    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])
    skills: Mapped[list[PersonSkill]] = relationship(cascade="all, delete-orphan")
    contracts: Mapped[list[Contract]] = relationship(
        cascade="all, delete-orphan", order_by="Contract.valid_from"
    )

    @property
    def display(self) -> str:
        return self.name_zh or self.name


class GradeHistory(CreatedAt, Base):
    """Every grade a person has held (G4: every change keeps its history)."""

    __tablename__ = "grade_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    grade: Mapped[Grade] = mapped_column(_enum(Grade, 16))
    valid_from: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(255), default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))


class Skill(Base):
    __tablename__ = "skill"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str] = mapped_column(String(80), default="")


class PersonSkill(Base):
    __tablename__ = "person_skill"
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), primary_key=True)
    skill: Mapped[Skill] = relationship()


class Contract(Base):
    __tablename__ = "contract"
    __table_args__ = (
        CheckConstraint("weekly_hours > 0 AND weekly_hours <= 84", name="weekly_hours"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    weekly_hours: Mapped[float] = mapped_column(Float, default=40.0)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
