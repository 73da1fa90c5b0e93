"""Records of the workbooks written to exports/, so they can be listed and downloaded again."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtracker.extensions import db
from reviewtracker.models._base import utcnow
from reviewtracker.models.reference import Country
from reviewtracker.models.users import User


class ExportKind(enum.StrEnum):
    """The workbooks the working group produces."""

    consolidated = "consolidated"
    matrix = "matrix"
    revisions = "revisions"
    csv = "csv"


class Export(db.Model):
    """A generated file: kind, parameters, file name (generated, never user-supplied), size and hash."""

    __tablename__ = "exports"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ExportKind] = mapped_column(Enum(ExportKind, native_enum=False, length=20))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("review_rounds.id", ondelete="RESTRICT"))
    # Set for a country's comment-resolution matrix: focal points may download only their own.
    country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    filename: Mapped[str] = mapped_column(String(255), unique=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    created_by: Mapped[User | None] = relationship()
    country: Mapped[Country | None] = relationship()
