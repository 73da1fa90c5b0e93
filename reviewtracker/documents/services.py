"""Guidance documents, versions (the one create_version, revisions too) and section trees. Services never commit."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from reviewtracker.audit import changes, record_activity
from reviewtracker.documents.outline import copy_section_tree
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.models import (
    ActivityCategory,
    DocumentVersion,
    Feedback,
    GuidanceDocument,
    RevisionItem,
    Section,
    User,
    VersionStatus,
)
from reviewtracker.models._base import MAX_TITLE_CHARS
from reviewtracker.ordering import swap_with_neighbour
from reviewtracker.permissions import can_manage_revisions
from reviewtracker.spreadsheets import normalize_text

SECTION_CODE = re.compile(r"^[A-Z]+(\.[0-9A-Z]+)*$")
DOCUMENT_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
MAX_CODE_CHARS = 30
MAX_LABEL_CHARS = 100


def clean_titles(titles: dict[str, str | None]) -> dict[str, str | None]:
    """title_en/fr/es from {en, fr, es}: normalised, English required, each at most MAX_TITLE_CHARS."""
    texts = {f"title_{lang}": normalize_text(titles.get(lang) or "") or None for lang in ("en", "fr", "es")}
    if not texts["title_en"]:
        raise ValidationError(_("The English title is required."))
    if any(text and len(text) > MAX_TITLE_CHARS for text in texts.values()):
        raise ValidationError(_("A title is longer than %(n)d characters.", n=MAX_TITLE_CHARS))
    return texts


def code_problem(code: str) -> str | None:
    """Why a section code is not acceptable, or None (pattern G.2.3, B.07.2, G.A)."""
    if not code:
        return _("The code is required.")
    if len(code) > MAX_CODE_CHARS:
        return _("The code is longer than %(n)d characters.", n=MAX_CODE_CHARS)
    if not SECTION_CODE.match(code):
        return _(
            "The code %(code)s is not valid: use capital letters and numbers separated by dots, e.g. G.2.3.", code=code
        )
    return None


def _check_code(version: DocumentVersion, code: str, exclude: Section | None = None) -> str:
    code = normalize_text(code).upper()
    problem = code_problem(code)
    if problem:
        raise ValidationError(problem)
    stmt = select(func.count(Section.id)).where(Section.version_id == version.id, Section.code == code)
    if exclude is not None:
        stmt = stmt.where(Section.id != exclude.id)
    if db.session.scalar(stmt):
        raise ValidationError(_("The code %(code)s is already used in this version.", code=code))
    return code


def _siblings(version_id: int, parent_id: int | None) -> list[Section]:
    parent = Section.parent_id.is_(None) if parent_id is None else Section.parent_id == parent_id
    stmt = select(Section).where(Section.version_id == version_id, parent).order_by(Section.position, Section.id)
    return list(db.session.scalars(stmt))


def _renumber(version_id: int, parent_id: int | None) -> None:
    """Positions 1..n among siblings, so that up/down moves are always a simple swap."""
    for position, sibling in enumerate(_siblings(version_id, parent_id), start=1):
        sibling.position = position


def create_document(actor: User | None, *, code: str, titles: dict[str, str | None]) -> GuidanceDocument:
    """Add a guidance document (without versions yet)."""
    code = normalize_text(code).upper()
    if not DOCUMENT_CODE.match(code):
        raise ValidationError(_("The document code must be capital letters or digits (at most 10), e.g. G."))
    if db.session.scalar(select(func.count(GuidanceDocument.id)).where(GuidanceDocument.code == code)):
        raise ValidationError(_("A document with the code %(code)s already exists.", code=code))
    position = (db.session.scalar(select(func.max(GuidanceDocument.position))) or 0) + 1
    document = GuidanceDocument(code=code, position=position, **clean_titles(titles))
    db.session.add(document)
    db.session.flush()
    record_activity(
        actor, ActivityCategory.admin, "document.create", target=document, after={"code": code, **clean_titles(titles)}
    )
    return document


class LabelError(ValidationError):
    """A version label that is empty, too long or already used in the document (shown on the label field)."""


# The label offered for a new draft; later drafts become "Revised draft 2", "Revised draft 3" …
NEXT_DRAFT_LABEL = "Revised draft"


def _label_key(label: str) -> str:
    """Labels that differ only in case or spacing cannot be told apart on a page, so they count as one."""
    return " ".join(label.split()).casefold()


def _clean_label(label: str | None) -> str:
    text = " ".join(normalize_text(label or "").split())
    if not text or len(text) > MAX_LABEL_CHARS:
        raise LabelError(_("The label is required (at most %(n)d characters).", n=MAX_LABEL_CHARS))
    return text


def _check_label_free(document: GuidanceDocument, label: str, exclude: DocumentVersion | None = None) -> None:
    stmt = select(DocumentVersion).where(DocumentVersion.document_id == document.id)
    if exclude is not None:
        stmt = stmt.where(DocumentVersion.id != exclude.id)
    for other in db.session.scalars(stmt):
        if _label_key(other.label) == _label_key(label):
            raise LabelError(
                _(
                    "The label “%(label)s” is already used by version %(number)d of %(code)s; choose another, "
                    "for example “%(free)s”.",
                    label=label,
                    number=other.number,
                    code=document.code,
                    free=next_free_label(document),
                )
            )


def next_free_label(document: GuidanceDocument) -> str:
    """The label offered for the document's next version: "Revised draft", or the first "Revised draft N" free."""
    taken = {
        _label_key(label)
        for label in db.session.scalars(select(DocumentVersion.label).where(DocumentVersion.document_id == document.id))
    }
    label, n = NEXT_DRAFT_LABEL, 1
    while _label_key(label) in taken:
        n += 1
        label = f"{NEXT_DRAFT_LABEL} {n}"
    return label


def create_version(
    actor: User | None,
    document: GuidanceDocument,
    *,
    label: str,
    status: VersionStatus = VersionStatus.draft,
    copy_previous: bool = True,
) -> DocumentVersion:
    """Add the next version of a document (the only way versions are made): empty, or with a copy of the previous
    version's section tree whose sections remember their predecessors; its label is unique within the document."""

    if actor is not None and not can_manage_revisions(actor):
        raise WorkflowError(_("Only co-leads and administrators create versions."))
    label = _clean_label(label)
    _check_label_free(document, label)
    previous = db.session.scalar(
        select(DocumentVersion)
        .where(DocumentVersion.document_id == document.id)
        .order_by(DocumentVersion.number.desc())
    )
    if copy_previous and previous is None:
        raise ValidationError(_("This document has no previous version to copy."))
    version = DocumentVersion(
        document=document,
        number=(previous.number if previous else 0) + 1,
        label=label,
        status=status,
        predecessor=previous,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(version)
    try:
        db.session.flush()
    except IntegrityError as error:  # another user created this number a moment ago (unique per document)
        raise WorkflowError(_("Another version was created at the same time; reload and try again.")) from error
    copied = copy_section_tree(previous, version) if copy_previous and previous is not None else 0
    record_activity(
        actor,
        ActivityCategory.admin,
        "version.create",
        target=version,
        after={"document": document.code, "number": version.number, "label": label, "status": status, "copied": copied},
    )
    db.session.flush()
    return version


def update_version(actor: User | None, version: DocumentVersion, *, label: str, status: VersionStatus) -> None:
    """Rename a version or change its status (the label stays unique within the document)."""
    label = _clean_label(label)
    _check_label_free(version.document, label, exclude=version)
    before, after = changes(version, label=label, status=status)
    if after:
        record_activity(actor, ActivityCategory.admin, "version.update", target=version, before=before, after=after)


def _check_parent(version: DocumentVersion, section: Section | None, parent: Section | None) -> None:
    if parent is None:
        return
    if parent.version_id != version.id:
        raise ValidationError(_("The parent section belongs to another version."))
    node: Section | None = parent
    while node is not None:
        if section is not None and node.id == section.id:
            raise ValidationError(_("A section cannot be moved under itself or one of its sub-sections."))
        node = node.parent


def add_section(
    actor: User | None,
    version: DocumentVersion,
    *,
    parent: Section | None,
    code: str,
    titles: dict[str, str | None],
) -> Section:
    """Add a section at the end of its parent's sub-sections (or of the top level)."""
    _check_parent(version, None, parent)
    code = _check_code(version, code)
    texts = clean_titles(titles)
    position = len(_siblings(version.id, parent.id if parent else None)) + 1
    section = Section(version=version, parent=parent, position=position, code=code, **texts)
    db.session.add(section)
    db.session.flush()
    record_activity(
        actor,
        ActivityCategory.admin,
        "section.create",
        target=section,
        after={"version": version.id, "code": code, "parent": parent.code if parent else None, **texts},
    )
    return section


def update_section(actor: User | None, section: Section, *, code: str, titles: dict[str, str | None]) -> None:
    """Rename a section (titles in three languages) or change its code."""
    code = _check_code(section.version, code, exclude=section)
    before, after = changes(section, code=code, **clean_titles(titles))
    if after:
        db.session.flush()
        record_activity(actor, ActivityCategory.admin, "section.update", target=section, before=before, after=after)


def move_section(actor: User | None, section: Section, parent: Section | None) -> None:
    """Put a section (with its sub-sections) under another parent, at the end of its sub-sections."""
    old_parent = section.parent
    if (old_parent.id if old_parent else None) == (parent.id if parent else None):
        return
    _check_parent(section.version, section, parent)
    section.parent = parent
    section.position = len(_siblings(section.version_id, parent.id if parent else None)) + 1
    db.session.flush()
    _renumber(section.version_id, old_parent.id if old_parent else None)
    db.session.flush()
    record_activity(
        actor,
        ActivityCategory.admin,
        "section.move",
        target=section,
        before={"code": section.code, "parent": old_parent.code if old_parent else None},
        after={"code": section.code, "parent": parent.code if parent else None},
    )


def reorder_section(actor: User | None, section: Section, direction: str) -> bool:
    """Move a section one place up or down among its siblings; False when it is already first or last."""
    neighbour = swap_with_neighbour(_siblings(section.version_id, section.parent_id), section, direction)
    if neighbour is None:
        return False
    db.session.flush()
    record_activity(
        actor,
        ActivityCategory.admin,
        "section.reorder",
        target=section,
        before={"code": section.code, "position": neighbour.position},
        after={"code": section.code, "position": section.position},
    )
    return True


def section_references(section_ids: list[int]) -> int:
    """How many feedback items and revision items point at these sections (they must not disappear)."""
    if not section_ids:
        return 0
    feedback = db.session.scalar(select(func.count(Feedback.id)).where(Feedback.section_id.in_(section_ids)))
    revisions = db.session.scalar(
        select(func.count(RevisionItem.id)).where(RevisionItem.sections.any(Section.id.in_(section_ids)))
    )
    return (feedback or 0) + (revisions or 0)


def delete_section(actor: User | None, section: Section) -> None:
    """Delete a section that has no sub-sections and nothing pointing at it."""
    if db.session.scalar(select(func.count(Section.id)).where(Section.parent_id == section.id)):
        raise WorkflowError(_("The section %(code)s has sub-sections; delete or move them first.", code=section.code))
    if section_references([section.id]):
        raise WorkflowError(
            _("The section %(code)s has feedback or revision items; it cannot be deleted.", code=section.code)
        )
    version_id, parent_id = section.version_id, section.parent_id
    snapshot = {"code": section.code, "title_en": section.title_en, "version": version_id}
    record_activity(actor, ActivityCategory.admin, "section.delete", target=section, before=snapshot)
    # Later versions copied from this section keep their text; only their link back is cleared.
    for twin in db.session.scalars(select(Section).where(Section.predecessor_id == section.id)):
        twin.predecessor_id = None
    db.session.delete(section)
    db.session.flush()
    _renumber(version_id, parent_id)
    db.session.flush()
