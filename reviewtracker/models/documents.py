"""The guidance under review: documents, their append-only versions and each version's section tree."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewtracker.extensions import db
from reviewtracker.models._base import TranslatedTitle, utcnow


class GuidanceDocument(TranslatedTitle, db.Model):
    """A document of the guidance (the Guide, the Booklet, ...)."""

    __tablename__ = "guidance_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    versions: Mapped[list[DocumentVersion]] = relationship(back_populates="document", order_by="DocumentVersion.number")

    @property
    def latest_version(self) -> DocumentVersion | None:
        """The newest version of the document."""
        return self.versions[-1] if self.versions else None


class VersionStatus(enum.StrEnum):
    """Where a version stands."""

    draft = "draft"
    under_review = "under_review"
    final = "final"


class DocumentVersion(db.Model):
    """One version of a document ("Advanced draft", "Revised draft", "Final"); never edited away."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_document_versions_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("guidance_documents.id", ondelete="RESTRICT"))
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    status: Mapped[VersionStatus] = mapped_column(
        Enum(VersionStatus, native_enum=False, length=20), default=VersionStatus.draft
    )
    predecessor_id: Mapped[int | None] = mapped_column(ForeignKey("document_versions.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    document: Mapped[GuidanceDocument] = relationship(back_populates="versions")
    predecessor: Mapped[DocumentVersion | None] = relationship(remote_side=[id])
    sections: Mapped[list[Section]] = relationship(
        back_populates="version", order_by="(Section.parent_id, Section.position)"
    )

    @property
    def display_name(self) -> str:
        """'G — Advanced draft'."""
        return f"{self.document.code} — {self.label}"


class Section(TranslatedTitle, db.Model):
    """A section of one version, in a tree; `code` is stable across versions (G.2.3, B.07.2)."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("version_id", "code", name="uq_sections_version_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="RESTRICT"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(30))
    # The same section in the previous version, so feedback can follow the text across drafts.
    predecessor_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="SET NULL"))

    version: Mapped[DocumentVersion] = relationship(back_populates="sections")
    parent: Mapped[Section | None] = relationship(remote_side=[id], foreign_keys=[parent_id], back_populates="children")
    children: Mapped[list[Section]] = relationship(
        back_populates="parent", foreign_keys=[parent_id], order_by="Section.position"
    )
    predecessor: Mapped[Section | None] = relationship(remote_side=[id], foreign_keys=[predecessor_id])

    @property
    def depth(self) -> int:
        """0 for a top-level section."""
        return self.code.count(".") - 1

    @property
    def path(self) -> list[Section]:
        """The ancestors of this section and itself, from the top."""
        node: Section | None = self
        chain: list[Section] = []
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))
