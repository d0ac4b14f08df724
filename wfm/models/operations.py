"""Day-to-day records: attendance and discipline, handover logs, notices, exams, inspections."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from wfm.models.base import Base, CreatedAt


class Attendance(CreatedAt, Base):
    """One rostered shift as it really happened (L7, H1, W7)."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("person_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    shift_type_id: Mapped[int] = mapped_column(ForeignKey("shift_type.id"))
    roll_call_at: Mapped[datetime | None] = mapped_column(DateTime)
    clock_in: Mapped[datetime | None] = mapped_column(DateTime)
    clock_out: Mapped[datetime | None] = mapped_column(DateTime)
    late_minutes: Mapped[int] = mapped_column(Integer, default=0)
    # present | late | absent | on_leave
    status: Mapped[str] = mapped_column(String(16), default="present")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))


class PostAbsence(Base):
    """Time away from the post during a shift; over the L7 threshold without permission it is
    a discipline violation."""

    __tablename__ = "post_absence"
    id: Mapped[int] = mapped_column(primary_key=True)
    attendance_id: Mapped[int] = mapped_column(ForeignKey("attendance.id", ondelete="CASCADE"))
    left_at: Mapped[datetime] = mapped_column(DateTime)
    returned_at: Mapped[datetime | None] = mapped_column(DateTime)
    permitted: Mapped[bool] = mapped_column(Boolean, default=False)
    permitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))


class DisciplineEvent(CreatedAt, Base):
    __tablename__ = "discipline_event"
    __table_args__ = (CheckConstraint("kind IN ('late', 'left_post', 'absenteeism')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(8))  # L7, L1, W7
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    detail: Mapped[str] = mapped_column(Text, default="")
    attendance_id: Mapped[int | None] = mapped_column(ForeignKey("attendance.id"))


class HandoverLog(CreatedAt, Base):
    """H2: written for every shift by its shift lead, acknowledged by the incoming lead."""

    __tablename__ = "handover_log"
    __table_args__ = (UniqueConstraint("team_id", "day", "shift_type_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    shift_type_id: Mapped[int] = mapped_column(ForeignKey("shift_type.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    equipment_status: Mapped[str] = mapped_column(Text)
    unresolved_problems: Mapped[str] = mapped_column(Text)
    personnel_handover: Mapped[str] = mapped_column(Text)
    business_changes: Mapped[str] = mapped_column(Text, default="")
    superior_instructions: Mapped[str] = mapped_column(Text, default="")
    customer_feedback: Mapped[str] = mapped_column(Text, default="")  # suggestions and complaints
    process_equipment_changes: Mapped[str] = mapped_column(Text, default="")
    workload_calls: Mapped[int | None] = mapped_column(Integer)
    incoming_lead_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    outgoing_left_at: Mapped[datetime | None] = mapped_column(DateTime)  # H3


class Notice(CreatedAt, Base):
    """H4: notices read at the start of a shift; team_id None means centre-wide."""

    __tablename__ = "notice"
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(DateTime)


class NoticeRead(Base):
    __tablename__ = "notice_read"
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(DateTime)


class ExamResult(CreatedAt, Base):
    """G2: monthly typing speed and business-knowledge exam."""

    __tablename__ = "exam_result"
    __table_args__ = (
        UniqueConstraint("person_id", "month"),
        CheckConstraint("typing_cpm >= 0", name="typing_cpm"),
        CheckConstraint("business_score >= 0 AND business_score <= 100", name="business_score"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    month: Mapped[date] = mapped_column(Date)  # first day of the month
    typing_cpm: Mapped[float] = mapped_column(Float)
    business_score: Mapped[float] = mapped_column(Float)
    answers: Mapped[str] = mapped_column(Text, default="")  # private: the person and managers
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))


class QualityInspection(CreatedAt, Base):
    """G3: five scores (0-20 each), total 0-100, band, inspector and call reference."""

    __tablename__ = "quality_inspection"
    __table_args__ = (CheckConstraint("total >= 0 AND total <= 100", name="total"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    inspected_at: Mapped[datetime] = mapped_column(DateTime)
    call_reference: Mapped[str] = mapped_column(String(64))
    service_language: Mapped[float] = mapped_column(Float)
    service_attitude: Mapped[float] = mapped_column(Float)
    tone_intonation: Mapped[float] = mapped_column(Float)
    need_understanding: Mapped[float] = mapped_column(Float)
    response_ability: Mapped[float] = mapped_column(Float)
    total: Mapped[float] = mapped_column(Float)
    band: Mapped[str] = mapped_column(String(16))  # excellent | good | pass | fail
    comment: Mapped[str] = mapped_column(Text, default="")


class MonthlyEvaluation(CreatedAt, Base):
    """G4: the month's outcome per person: which grade's thresholds were met, and the action."""

    __tablename__ = "monthly_evaluation"
    __table_args__ = (UniqueConstraint("person_id", "month"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    month: Mapped[date] = mapped_column(Date)
    met_grade: Mapped[str | None] = mapped_column(String(16))  # highest grade whose bar was met
    passed: Mapped[bool] = mapped_column(Boolean)  # met the bar of the current grade
    action: Mapped[str] = mapped_column(String(16), default="none")  # none | promoted | review
