"""Column helpers shared by the models: timestamps, translated titles and the text length policy."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from reviewtracker.extensions import db
from reviewtracker.locale import current_language

# One length policy, enforced by forms (validators), services and the database alike.
# The comment limit stays far below Excel's 32,767 characters per cell.
MAX_COMMENT_CHARS = 10_000
MAX_TITLE_CHARS = 300
MAX_NAME_CHARS = 200
MAX_REFERENCE_CHARS = 200
MAX_NOTE_CHARS = 5_000
MAX_EMAIL_CHARS = 254


def max_length(column: str, limit: int) -> CheckConstraint:
    """A CHECK that keeps a text column within the length policy on every backend (SQLite ignores VARCHAR(n))."""
    return CheckConstraint(f"{column} IS NULL OR length({column}) <= {limit}", name=f"{column}_length")


def link_table(name: str, left: tuple[str, str, str], right: tuple[str, str, str]) -> Table:
    """A many-to-many link table: two foreign keys, each (column, target, on delete), that together are the key."""
    return Table(
        name,
        db.metadata,
        *(
            Column(column, ForeignKey(target, ondelete=on_delete), primary_key=True)
            for column, target, on_delete in (left, right)
        ),
    )


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Timestamped:
    """Adds created_at / updated_at columns."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class TranslatedTitle:
    """A title in English, French and Spanish; French and Spanish fall back to English."""

    title_en: Mapped[str] = mapped_column(String(MAX_TITLE_CHARS))
    title_fr: Mapped[str | None] = mapped_column(String(MAX_TITLE_CHARS))
    title_es: Mapped[str | None] = mapped_column(String(MAX_TITLE_CHARS))

    def title_in(self, locale: str | None) -> str:
        """The title in the given language, or in English when it is missing."""
        lang = (locale or "en")[:2]
        return getattr(self, f"title_{lang}", None) or self.title_en

    @property
    def title(self) -> str:
        """The title in the current interface language."""
        return self.title_in(current_language())
