"""Shift types and the centre's calendar (public holidays and make-up working days)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.models.base import Base
from wfm.models.org import Skill


class ShiftType(Base):
    __tablename__ = "shift_type"
    __table_args__ = (
        CheckConstraint("start_minute >= 0 AND start_minute < 1440", name="start_minute"),
        CheckConstraint("length_minutes > 0 AND length_minutes <= 960", name="length_minutes"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str] = mapped_column(String(80), default="")
    start_minute: Mapped[int] = mapped_column(Integer)
    length_minutes: Mapped[int] = mapped_column(Integer)
    is_night: Mapped[bool] = mapped_column(Boolean, default=False)
    colour: Mapped[str] = mapped_column(String(9), default="#9ecae1")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    required_skills: Mapped[list[ShiftSkill]] = relationship(cascade="all, delete-orphan")


class ShiftSkill(Base):
    __tablename__ = "shift_skill"
    shift_type_id: Mapped[int] = mapped_column(ForeignKey("shift_type.id"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skill.id"), primary_key=True)
    skill: Mapped[Skill] = relationship()


class CalendarDay(Base):
    """A public holiday (kind 'holiday') or a make-up working day on a weekend (kind 'workday')."""

    __tablename__ = "calendar_day"
    __table_args__ = (CheckConstraint("kind IN ('holiday', 'workday')", name="kind"),)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80), default="")
