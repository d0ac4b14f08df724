"""Rosters (team × month, versioned, draft → published), assignments and preferences."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.models.base import Base, CreatedAt, StrEnum


class RosterStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class Roster(CreatedAt, Base):
    __tablename__ = "roster"
    __table_args__ = (UniqueConstraint("team_id", "period_start", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)  # first day of the month
    period_end: Mapped[date] = mapped_column(Date)  # last day, inclusive
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=RosterStatus.DRAFT.value)
    solver_status: Mapped[str] = mapped_column(String(32), default="")
    objective: Mapped[float | None] = mapped_column(Float)
    bound: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    solve_seconds: Mapped[float | None] = mapped_column(Float)
    # Penalty explanations and hard violations as produced by the solver/checker.
    explanation: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("roster.id"))  # repair parent
    assignments: Mapped[list[RosterAssignment]] = relationship(
        cascade="all, delete-orphan", back_populates="roster"
    )


class RosterAssignment(Base):
    __tablename__ = "roster_assignment"
    # R1: at most one shift start per person per day, in each roster version.
    __table_args__ = (UniqueConstraint("roster_id", "person_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("roster.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    shift_type_id: Mapped[int] = mapped_column(ForeignKey("shift_type.id"))
    roster: Mapped[Roster] = relationship(back_populates="assignments")


class Preference(CreatedAt, Base):
    """R8: a requested day off or a preferred shift."""

    __tablename__ = "preference"
    __table_args__ = (CheckConstraint("kind IN ('day_off', 'shift')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    shift_type_id: Mapped[int | None] = mapped_column(ForeignKey("shift_type.id"))
    weight: Mapped[int] = mapped_column(Integer, default=1)
