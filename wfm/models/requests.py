"""Leave requests with their approval steps, and shift swaps with theirs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wfm.models.base import Base, CreatedAt, StrEnum


class LeaveType(StrEnum):
    PERSONAL = "personal"  # 事假
    ANNUAL = "annual"  # 年假
    SICK = "sick"  # 病假
    SPECIAL = "special"  # urgent leave with short notice (L1)
    BUSINESS_TRIP = "business_trip"  # 出差
    STUDY = "study"  # 学习


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"  # approved leave called off before its first day


class LeaveRequest(CreatedAt, Base):
    __tablename__ = "leave_request"
    __table_args__ = (CheckConstraint("end_at > start_at", name="span"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    leave_type: Mapped[str] = mapped_column(String(24))
    start_at: Mapped[datetime] = mapped_column(DateTime)
    end_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text, default="")  # private to the person and managers
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.PENDING.value)
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    # L4: medical certificate handed in on return, covering [certificate_from, certificate_to].
    certificate_received: Mapped[bool] = mapped_column(Boolean, default=False)
    certificate_from: Mapped[date | None] = mapped_column(Date)
    certificate_to: Mapped[date | None] = mapped_column(Date)
    # L1/L5/L6: a late or exceptional request needs management approval (recorded in steps).
    needs_management: Mapped[bool] = mapped_column(Boolean, default=False)
    exception_rules: Mapped[str] = mapped_column(String(64), default="")  # e.g. "L1,L5"
    steps: Mapped[list[LeaveApproval]] = relationship(
        cascade="all, delete-orphan", order_by="LeaveApproval.step"
    )


class LeaveApproval(Base):
    """One step of the L2 chain: team lead first, then the department or centre director."""

    __tablename__ = "leave_approval"
    __table_args__ = (UniqueConstraint("request_id", "step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("leave_request.id", ondelete="CASCADE"))
    step: Mapped[int] = mapped_column(Integer)
    approver_role: Mapped[str] = mapped_column(String(32))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    decision: Mapped[str | None] = mapped_column(String(16))  # approved | rejected
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    comment: Mapped[str] = mapped_column(Text, default="")


class SwapRequest(CreatedAt, Base):
    """W1-W7: the proposer gives their shift on one day and takes the counterpart's."""

    __tablename__ = "swap_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    proposer_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    counterpart_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    proposer_day: Mapped[date] = mapped_column(Date)
    proposer_shift_id: Mapped[int] = mapped_column(ForeignKey("shift_type.id"))
    counterpart_day: Mapped[date] = mapped_column(Date)
    counterpart_shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift_type.id"))
    # proposed -> accepted (by counterpart) -> approved (all leads);
    # or declined | rejected | withdrawn
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    roster_id: Mapped[int | None] = mapped_column(ForeignKey("roster.id"))
    approvals: Mapped[list[SwapApproval]] = relationship(cascade="all, delete-orphan")


class SwapApproval(Base):
    """W2: one row per team lead whose team is involved."""

    __tablename__ = "swap_approval"
    __table_args__ = (UniqueConstraint("swap_id", "team_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    swap_id: Mapped[int] = mapped_column(ForeignKey("swap_request.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    decision: Mapped[str | None] = mapped_column(String(16))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    comment: Mapped[str] = mapped_column(Text, default="")


class SwapSlot(Base):
    """W1 guaranteed by the database: an approved swap takes one numbered slot per person and
    month; the unique key makes two racing approvals collide instead of both passing."""

    __tablename__ = "swap_slot"
    __table_args__ = (
        UniqueConstraint("person_id", "month", "slot"),
        CheckConstraint("slot >= 1", name="slot"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    month: Mapped[date] = mapped_column(Date)  # first day of the month
    slot: Mapped[int] = mapped_column(Integer)
    swap_id: Mapped[int] = mapped_column(ForeignKey("swap_request.id", ondelete="CASCADE"))
