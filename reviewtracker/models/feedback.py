"""Feedback from pilot countries: the comment itself, its edits, tags and its lifecycle state."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtracker.extensions import db
from reviewtracker.models._base import (
    MAX_COMMENT_CHARS,
    MAX_NOTE_CHARS,
    MAX_REFERENCE_CHARS,
    Timestamped,
    link_table,
    max_length,
    utcnow,
)
from reviewtracker.models.documents import DocumentVersion, Section
from reviewtracker.models.reference import Country, GuidingPrinciple, LeadAgency, Objective, Organisation
from reviewtracker.models.rounds import ReviewRound
from reviewtracker.models.users import User


class FeedbackType(enum.StrEnum):
    """The kind of comment (ISO commenting convention: ge / te / ed)."""

    general = "general"
    substantive = "substantive"
    editorial = "editorial"


class Priority(enum.StrEnum):
    """How important the submitter thinks the comment is."""

    high = "high"
    medium = "medium"
    low = "low"


class FeedbackLanguage(enum.StrEnum):
    """The language the comment is written in."""

    en = "en"
    fr = "fr"
    es = "es"
    other = "other"


class FeedbackState(enum.StrEnum):
    """Lifecycle on the country side: draft → submitted → forwarded (or returned, withdrawn, merged)."""

    draft = "draft"
    submitted = "submitted"  # with the country's focal point
    returned = "returned"  # sent back to its author with a note
    forwarded = "forwarded"  # with the working group
    withdrawn = "withdrawn"
    merged = "merged"  # folded into another item by the focal point


class TriageStatus(enum.StrEnum):
    """The working group's decision on a forwarded item."""

    new = "new"
    in_review = "in_review"
    accepted = "accepted"
    accepted_modified = "accepted_modified"
    noted = "noted"
    not_accepted = "not_accepted"
    duplicate = "duplicate"
    deferred = "deferred"


feedback_principles = link_table(
    "feedback_principles",
    ("feedback_id", "feedback.id", "CASCADE"),
    ("principle_id", "guiding_principles.id", "RESTRICT"),
)
feedback_objectives = link_table(
    "feedback_objectives", ("feedback_id", "feedback.id", "CASCADE"), ("objective_id", "objectives.id", "RESTRICT")
)
# The working group's own principles and objectives, kept apart from the submitter's choice above so that
# tagging in triage never changes what the country chose. RESTRICT on feedback: a batch migration that rebuilds
# the feedback table must not silently empty these (feedback is only ever soft-deleted).
triage_principles = link_table(
    "triage_principles",
    ("feedback_id", "feedback.id", "RESTRICT"),
    ("principle_id", "guiding_principles.id", "RESTRICT"),
)
triage_objectives = link_table(
    "triage_objectives", ("feedback_id", "feedback.id", "RESTRICT"), ("objective_id", "objectives.id", "RESTRICT")
)
feedback_tags = link_table(
    "feedback_tags", ("feedback_id", "feedback.id", "CASCADE"), ("tag_id", "tags.id", "RESTRICT")
)


class Tag(db.Model):
    """A free tag the working group puts on feedback."""

    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)


class Feedback(Timestamped, db.Model):
    """One comment by a country on a section (or the whole document) of a version under review."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("usefulness_rating IS NULL OR usefulness_rating BETWEEN 1 AND 5", name="usefulness_range"),
        CheckConstraint("clarity_rating IS NULL OR clarity_rating BETWEEN 1 AND 5", name="clarity_range"),
        max_length("comment", MAX_COMMENT_CHARS),
        max_length("proposed_change", MAX_COMMENT_CHARS),
        max_length("return_note", MAX_NOTE_CHARS),
        # The triage queue (tests/bench/bench_queue.py): visibility (state, deleted_at) first as every queue query
        # has it, then the country and type filters, then status LAST among the filters so that the per-status
        # counts (which ignore the status filter) are one index-only range scan grouped in index order; with a
        # status chosen, the default sort (forwarded_at, id) follows and serves the page's ORDER BY.
        Index(
            "ix_feedback_triage_queue",
            "state",
            "deleted_at",
            "country_id",
            "type",
            "status",
            "forwarded_at",
            "id",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="RESTRICT"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="RESTRICT"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="RESTRICT"), index=True)
    reference: Mapped[str | None] = mapped_column(String(MAX_REFERENCE_CHARS))
    type: Mapped[FeedbackType] = mapped_column(Enum(FeedbackType, native_enum=False, length=20))
    priority: Mapped[Priority] = mapped_column(Enum(Priority, native_enum=False, length=10), default=Priority.medium)
    comment: Mapped[str] = mapped_column(Text)
    proposed_change: Mapped[str | None] = mapped_column(Text)
    language: Mapped[FeedbackLanguage] = mapped_column(
        Enum(FeedbackLanguage, native_enum=False, length=10), default=FeedbackLanguage.en
    )
    covid: Mapped[bool] = mapped_column(Boolean, default=False)
    usefulness_rating: Mapped[int | None] = mapped_column(SmallInteger)
    clarity_rating: Mapped[int | None] = mapped_column(SmallInteger)

    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    # Set when a co-lead typed in feedback received by e-mail on behalf of the country.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_imports.id", ondelete="RESTRICT"), index=True)
    # Idempotency key of the form that created the item: a retried or double-clicked POST finds it.
    client_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    state: Mapped[FeedbackState] = mapped_column(
        Enum(FeedbackState, native_enum=False, length=20), default=FeedbackState.draft, index=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    forwarded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    forwarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    return_note: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id", ondelete="RESTRICT"))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Triage (working group side), meaningful once forwarded.
    status: Mapped[TriageStatus | None] = mapped_column(Enum(TriageStatus, native_enum=False, length=20), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    lead_agency_id: Mapped[int | None] = mapped_column(ForeignKey("lead_agencies.id", ondelete="RESTRICT"))
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id", ondelete="RESTRICT"))
    last_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": lock_version}

    round: Mapped[ReviewRound] = relationship()
    version: Mapped[DocumentVersion] = relationship()
    section: Mapped[Section | None] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    forwarded_by: Mapped[User | None] = relationship(foreign_keys=[forwarded_by_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    country: Mapped[Country] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    lead_agency: Mapped[LeadAgency | None] = relationship()
    merged_into: Mapped[Feedback | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])
    duplicate_of: Mapped[Feedback | None] = relationship(remote_side=[id], foreign_keys=[duplicate_of_id])
    principles: Mapped[list[GuidingPrinciple]] = relationship(
        secondary=feedback_principles, order_by="GuidingPrinciple.letter"
    )
    objectives: Mapped[list[Objective]] = relationship(secondary=feedback_objectives, order_by="Objective.number")
    # Added by the working group in triage; `principles` and `objectives` above stay the submitter's choice.
    triage_principles: Mapped[list[GuidingPrinciple]] = relationship(
        secondary=triage_principles, order_by="GuidingPrinciple.letter"
    )
    triage_objectives: Mapped[list[Objective]] = relationship(secondary=triage_objectives, order_by="Objective.number")
    tags: Mapped[list[Tag]] = relationship(secondary=feedback_tags, order_by="Tag.name")
    edits: Mapped[list[FeedbackEdit]] = relationship(
        back_populates="feedback", order_by="FeedbackEdit.number", cascade="all, delete-orphan"
    )

    @property
    def display_id(self) -> str:
        """The identifier shown to people and in spreadsheets: FB-000123."""
        return f"FB-{self.id:06d}"

    @property
    def target_label(self) -> str:
        """'G.2.3' or 'G (whole document)'."""
        return self.section.code if self.section else f"{self.version.document.code} *"


class FeedbackEdit(db.Model):
    """An append-only snapshot of a comment's text: number 1 is the author's original."""

    __tablename__ = "feedback_edits"
    __table_args__ = (max_length("comment", MAX_COMMENT_CHARS), max_length("proposed_change", MAX_COMMENT_CHARS))
    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text)
    proposed_change: Mapped[str | None] = mapped_column(Text)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(500))

    feedback: Mapped[Feedback] = relationship(back_populates="edits")
    edited_by: Mapped[User | None] = relationship()


class FeedbackImport(db.Model):
    """An uploaded offline template: who, when, the file's name and hash, what it created."""

    __tablename__ = "feedback_imports"
    __table_args__ = (
        # One live import per (round, country, file): the database decides when three sessions confirm the same
        # previewed file at once (a read-then-write check lets them all pass). An undone import frees the file.
        Index(
            "uq_feedback_imports_live_file",
            "round_id",
            "country_id",
            "sha256",
            unique=True,
            sqlite_where=text("undone_at IS NULL"),
            postgresql_where=text("undone_at IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="RESTRICT"), index=True)
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    filename: Mapped[str] = mapped_column(String(255))  # for display only; never used as a path
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows_created: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    as_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
    country: Mapped[Country] = relationship()
    round: Mapped[ReviewRound] = relationship()
