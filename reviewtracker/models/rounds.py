"""Review rounds: which versions are reviewed, by which countries, when, and with which guiding questions."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtracker.extensions import db
from reviewtracker.locale import current_language
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_TITLE_CHARS, Timestamped, link_table, max_length, utcnow
from reviewtracker.models.documents import DocumentVersion
from reviewtracker.models.reference import Country

round_versions = link_table(
    "round_versions", ("round_id", "review_rounds.id", "CASCADE"), ("version_id", "document_versions.id", "RESTRICT")
)


class ReviewRound(Timestamped, db.Model):
    """A review round: versions under review, open and close dates, participating countries."""

    __tablename__ = "review_rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_TITLE_CHARS))
    description: Mapped[str | None] = mapped_column(Text)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    # When set, stakeholders' feedback goes straight to the working group (the focal point only sees it).
    allow_direct_submission: Mapped[bool] = mapped_column(Boolean, default=False)

    versions: Mapped[list[DocumentVersion]] = relationship(secondary=round_versions)
    participants: Mapped[list[RoundCountry]] = relationship(back_populates="round", cascade="all, delete-orphan")
    questions: Mapped[list[GuidingQuestion]] = relationship(
        back_populates="round", order_by="GuidingQuestion.position", cascade="all, delete-orphan"
    )

    def participant(self, country_id: int | None) -> RoundCountry | None:
        """The participation row of a country, if it takes part."""
        return next((p for p in self.participants if p.country_id == country_id), None)

    def closes_on_for(self, country_id: int | None) -> date:
        """The closing date for a country, including any extension granted to it."""
        part = self.participant(country_id)
        return part.extended_until if part and part.extended_until else self.closes_on

    def is_open_for(self, country_id: int | None, today: date) -> bool:
        """Whether the country may submit today."""
        if country_id is not None and self.participant(country_id) is None:
            return False
        return self.opens_on <= today <= self.closes_on_for(country_id)


class RoundCountry(db.Model):
    """A country taking part in a round, with an optional deadline extension."""

    __tablename__ = "round_countries"
    __table_args__ = (UniqueConstraint("round_id", "country_id", name="uq_round_countries_pair"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="CASCADE"))
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id", ondelete="RESTRICT"))
    extended_until: Mapped[date | None] = mapped_column(Date)

    round: Mapped[ReviewRound] = relationship(back_populates="participants")
    country: Mapped[Country] = relationship()


class GuidingQuestion(db.Model):
    """A question every participating country answers once per round."""

    __tablename__ = "guiding_questions"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text_en: Mapped[str] = mapped_column(Text)
    text_fr: Mapped[str | None] = mapped_column(Text)
    text_es: Mapped[str | None] = mapped_column(Text)

    round: Mapped[ReviewRound] = relationship(back_populates="questions")

    def text_in(self, locale: str | None) -> str:
        """The question in a language, falling back to English."""
        return getattr(self, f"text_{(locale or 'en')[:2]}", None) or self.text_en

    @property
    def text(self) -> str:
        """The question in the interface language."""
        return self.text_in(current_language())


class AnswerState(enum.StrEnum):
    """A guiding answer is drafted by anyone in the country and submitted by the focal point."""

    draft = "draft"
    submitted = "submitted"


class GuidingAnswer(db.Model):
    """A country's answer to a guiding question."""

    __tablename__ = "guiding_answers"
    __table_args__ = (
        UniqueConstraint("question_id", "country_id", name="uq_guiding_answers_pair"),
        max_length("text", MAX_COMMENT_CHARS),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("guiding_questions.id", ondelete="RESTRICT"))
    country_id: Mapped[int] = mapped_column(ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[AnswerState] = mapped_column(
        Enum(AnswerState, native_enum=False, length=20), default=AnswerState.draft
    )
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    question: Mapped[GuidingQuestion] = relationship()
    country: Mapped[Country] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}

    MAX_CHARS = MAX_COMMENT_CHARS
