"""Queues, call history per interval, forecasts and staffing requirements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from wfm.models.base import Base, CreatedAt


class Queue(Base):
    __tablename__ = "queue"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80), default="")
    # Per-queue targets; None falls back to the policy file (S2).
    service_level_target: Mapped[float | None] = mapped_column(Float)
    service_level_seconds: Mapped[float | None] = mapped_column(Float)
    max_abandon: Mapped[float | None] = mapped_column(Float)
    patience_seconds: Mapped[float | None] = mapped_column(Float)


class CallInterval(Base):
    """One interval of ACD history: offered, handled, abandoned, average handling time."""

    __tablename__ = "call_interval"
    __table_args__ = (
        UniqueConstraint("queue_id", "interval_start"),
        CheckConstraint("offered >= 0", name="offered"),
        CheckConstraint("handled IS NULL OR handled >= 0", name="handled"),
        CheckConstraint("abandoned IS NULL OR abandoned >= 0", name="abandoned"),
        CheckConstraint("interval_minutes BETWEEN 5 AND 60", name="interval_minutes"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queue.id"), index=True)
    interval_start: Mapped[datetime] = mapped_column(DateTime)
    interval_minutes: Mapped[int] = mapped_column(Integer)
    offered: Mapped[float] = mapped_column(Float)
    handled: Mapped[float | None] = mapped_column(Float)
    abandoned: Mapped[float | None] = mapped_column(Float)
    aht_seconds: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(255), default="")


class Forecast(CreatedAt, Base):
    __tablename__ = "forecast"
    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queue.id"), index=True)
    start: Mapped[datetime] = mapped_column(DateTime)
    end: Mapped[datetime] = mapped_column(DateTime)
    model: Mapped[str] = mapped_column(String(80))
    history_to: Mapped[datetime | None] = mapped_column(DateTime)


class ForecastInterval(Base):
    __tablename__ = "forecast_interval"
    __table_args__ = (UniqueConstraint("forecast_id", "interval_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    forecast_id: Mapped[int] = mapped_column(
        ForeignKey("forecast.id", ondelete="CASCADE"), index=True
    )
    interval_start: Mapped[datetime] = mapped_column(DateTime)
    interval_minutes: Mapped[int] = mapped_column(Integer)
    offered: Mapped[float] = mapped_column(Float)
    aht_seconds: Mapped[float] = mapped_column(Float)


class Requirement(Base):
    """Agents required per interval for a queue (S4), computed from a forecast by Erlang C/A."""

    __tablename__ = "requirement"
    __table_args__ = (
        UniqueConstraint("queue_id", "interval_start"),
        CheckConstraint("agents >= 0", name="agents"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[int] = mapped_column(ForeignKey("queue.id"), index=True)
    forecast_id: Mapped[int | None] = mapped_column(ForeignKey("forecast.id", ondelete="SET NULL"))
    interval_start: Mapped[datetime] = mapped_column(DateTime)
    interval_minutes: Mapped[int] = mapped_column(Integer)
    offered: Mapped[float] = mapped_column(Float, default=0.0)
    aht_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    agents_on_phone: Mapped[int] = mapped_column(Integer)  # before shrinkage
    agents: Mapped[int] = mapped_column(Integer)  # after shrinkage: what the roster must cover
    service_level: Mapped[float | None] = mapped_column(Float)
    asa_seconds: Mapped[float | None] = mapped_column(Float)
    abandon_rate: Mapped[float | None] = mapped_column(Float)
    occupancy: Mapped[float | None] = mapped_column(Float)
    model: Mapped[str] = mapped_column(String(16), default="erlang-c")
