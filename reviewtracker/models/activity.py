"""Append-only history: activity rows (audit trail and timelines) and in-app notifications."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtracker.extensions import db
from reviewtracker.models._base import utcnow
from reviewtracker.models.users import User


class ActivityCategory(enum.StrEnum):
    """Broad groups for filtering the audit log."""

    auth = "auth"
    access = "access"
    feedback = "feedback"
    triage = "triage"
    revision = "revision"
    import_ = "import"
    export = "export"
    admin = "admin"


class Activity(db.Model):
    """Who did what, when, to which object, with the values before and after. Never updated or deleted."""

    __tablename__ = "activities"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    category: Mapped[ActivityCategory] = mapped_column(Enum(ActivityCategory, native_enum=False, length=20), index=True)
    action: Mapped[str] = mapped_column(String(60))  # e.g. "feedback.submit", "triage.status"
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(Integer)
    # Denormalised so that an item's timeline and a country's history are one indexed query.
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id", ondelete="RESTRICT"), index=True)
    country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id", ondelete="RESTRICT"))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(String(45))

    actor: Mapped[User | None] = relationship()


class Notification(db.Model):
    """An in-app message to one user; its text is rendered in the reader's language from kind + params."""

    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "feedback.returned"
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
