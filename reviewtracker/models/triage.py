"""The working group's side: private notes, responses to submitters, revision items and their links."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from reviewtracker.extensions import db
from reviewtracker.models._base import (
    MAX_COMMENT_CHARS,
    MAX_NOTE_CHARS,
    MAX_TITLE_CHARS,
    Timestamped,
    link_table,
    max_length,
    utcnow,
)
from reviewtracker.models.documents import DocumentVersion, Section
from reviewtracker.models.feedback import Feedback, FeedbackLanguage
from reviewtracker.models.reference import LeadAgency
from reviewtracker.models.users import User


class TriageNote(db.Model):
    """A private, threaded note on feedback, visible to the working group only."""

    __tablename__ = "triage_notes"
    __table_args__ = (max_length("body", MAX_NOTE_CHARS),)
    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="RESTRICT"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("triage_notes.id", ondelete="RESTRICT"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    author: Mapped[User] = relationship()
    replies: Mapped[list[TriageNote]] = relationship(order_by="TriageNote.created_at")


class Acknowledgement(enum.StrEnum):
    """The submitter's reaction to a published response."""

    agree = "agree"
    disagree = "disagree"


class Response(Timestamped, db.Model):
    """The working group's answer to a feedback item; the submitter sees it once published."""

    __tablename__ = "responses"
    __table_args__ = (max_length("text", MAX_COMMENT_CHARS), max_length("acknowledgement_comment", MAX_NOTE_CHARS))
    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="RESTRICT"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[FeedbackLanguage] = mapped_column(
        Enum(FeedbackLanguage, native_enum=False, length=10), default=FeedbackLanguage.en
    )
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    acknowledgement: Mapped[Acknowledgement | None] = mapped_column(Enum(Acknowledgement, native_enum=False, length=10))
    acknowledgement_comment: Mapped[str | None] = mapped_column(Text)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": lock_version}

    feedback: Mapped[Feedback] = relationship(backref=backref("response", uselist=False))
    drafted_by: Mapped[User | None] = relationship(foreign_keys=[drafted_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])


class ResponseTemplate(db.Model):
    """Reusable response wording, in three languages."""

    __tablename__ = "response_templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    text_en: Mapped[str] = mapped_column(Text)
    text_fr: Mapped[str | None] = mapped_column(Text)
    text_es: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def text_in(self, locale: str | None) -> str:
        """The wording in a language, falling back to English."""
        return getattr(self, f"text_{(locale or 'en')[:2]}", None) or self.text_en


class RevisionStatus(enum.StrEnum):
    """A planned change moves proposed → agreed → drafted → applied, or is dropped."""

    proposed = "proposed"
    agreed = "agreed"
    drafted = "drafted"
    applied = "applied"
    dropped = "dropped"


revision_item_sections = link_table(
    "revision_item_sections",
    ("revision_item_id", "revision_items.id", "CASCADE"),
    ("section_id", "sections.id", "RESTRICT"),
)


class RevisionItem(Timestamped, db.Model):
    """A planned change to the text (R-001) that gathers the comments behind it."""

    __tablename__ = "revision_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(MAX_TITLE_CHARS))
    description: Mapped[str | None] = mapped_column(Text)
    owner_agency_id: Mapped[int | None] = mapped_column(ForeignKey("lead_agencies.id", ondelete="RESTRICT"))
    status: Mapped[RevisionStatus] = mapped_column(
        Enum(RevisionStatus, native_enum=False, length=20), default=RevisionStatus.proposed, index=True
    )
    applied_version_id: Mapped[int | None] = mapped_column(ForeignKey("document_versions.id", ondelete="RESTRICT"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": lock_version}

    owner_agency: Mapped[LeadAgency | None] = relationship()
    applied_version: Mapped[DocumentVersion | None] = relationship()
    sections: Mapped[list[Section]] = relationship(secondary=revision_item_sections, order_by="Section.code")
    links: Mapped[list[RevisionLink]] = relationship(back_populates="revision_item")


class RevisionLink(db.Model):
    """Feedback linked to a revision item, recorded with who linked it and when."""

    __tablename__ = "revision_links"
    __table_args__ = (UniqueConstraint("revision_item_id", "feedback_id", name="uq_revision_links_pair"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    revision_item_id: Mapped[int] = mapped_column(ForeignKey("revision_items.id", ondelete="RESTRICT"), index=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="RESTRICT"), index=True)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    revision_item: Mapped[RevisionItem] = relationship(back_populates="links")
    feedback: Mapped[Feedback] = relationship(backref="revision_links")
