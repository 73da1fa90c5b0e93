"""Reference data: countries, organisations, stakeholder types, lead agencies, GCM objectives and principles."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtracker.extensions import db
from reviewtracker.locale import current_language
from reviewtracker.models._base import MAX_NAME_CHARS, TranslatedTitle


class Country(TranslatedTitle, db.Model):
    """A country; champion countries pilot the draft guidance."""

    __tablename__ = "countries"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)
    champion_since: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def name(self) -> str:
        """The country's name in the interface language."""
        return self.title

    def __repr__(self) -> str:
        return f"<Country {self.code}>"


class StakeholderType(TranslatedTitle, db.Model):
    """A kind of national stakeholder (ministry, NHRI, civil society, ...)."""

    __tablename__ = "stakeholder_types"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class LeadAgency(TranslatedTitle, db.Model):
    """A co-lead agency of the working group (IOM, OHCHR, UNDP)."""

    __tablename__ = "lead_agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)


class Organisation(db.Model):
    """An organisation a user speaks for, in a country, with a stakeholder type."""

    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    acronym: Mapped[str | None] = mapped_column(String(40))
    country_id: Mapped[int | None] = mapped_column(ForeignKey("countries.id", ondelete="RESTRICT"), index=True)
    stakeholder_type_id: Mapped[int] = mapped_column(ForeignKey("stakeholder_types.id", ondelete="RESTRICT"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    country: Mapped[Country | None] = relationship()
    stakeholder_type: Mapped[StakeholderType] = relationship()


class Objective(TranslatedTitle, db.Model):
    """One of the 23 GCM objectives; title_* is the official title, short_* the hub label."""

    __tablename__ = "objectives"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    short_en: Mapped[str] = mapped_column(String(MAX_NAME_CHARS))
    short_fr: Mapped[str | None] = mapped_column(String(MAX_NAME_CHARS))
    short_es: Mapped[str | None] = mapped_column(String(MAX_NAME_CHARS))

    def short_in(self, locale: str | None) -> str:
        """The short label in the given language, falling back to English."""
        return getattr(self, f"short_{(locale or 'en')[:2]}", None) or self.short_en

    @property
    def label(self) -> str:
        """'7. Reduce vulnerabilities' in the interface language."""
        return f"{self.number}. {self.short_in(current_language())}"


class GuidingPrinciple(TranslatedTitle, db.Model):
    """One of the 10 GCM guiding principles (paragraph 15 a–j)."""

    __tablename__ = "guiding_principles"
    id: Mapped[int] = mapped_column(primary_key=True)
    letter: Mapped[str] = mapped_column(String(1), unique=True)

    @property
    def label(self) -> str:
        """'(f) Human rights' in the interface language."""
        return f"({self.letter}) {self.title}"
