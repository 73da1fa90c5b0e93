"""Read-only queries of the document pages: documents, versions and section counts."""

from __future__ import annotations

from sqlalchemy import func, select

from reviewtracker.extensions import db
from reviewtracker.models import DocumentVersion, GuidanceDocument, Section


def list_documents() -> list[GuidanceDocument]:
    """Every document in display order (versions come with each)."""
    return list(db.session.scalars(select(GuidanceDocument).order_by(GuidanceDocument.position, GuidanceDocument.id)))


def section_counts() -> dict[int, int]:
    """Number of sections per version id."""
    stmt = select(Section.version_id, func.count(Section.id)).group_by(Section.version_id)
    return {row[0]: row[1] for row in db.session.execute(stmt)}


def all_versions() -> list[DocumentVersion]:
    """Every version, by document and number (for the round form's checkboxes)."""
    stmt = (
        select(DocumentVersion)
        .join(GuidanceDocument)
        .order_by(GuidanceDocument.position, GuidanceDocument.id, DocumentVersion.number)
    )
    return list(db.session.scalars(stmt))
