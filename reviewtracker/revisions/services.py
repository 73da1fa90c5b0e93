"""Revision items (planned changes R-001 …) and their links to feedback (versions: documents.services)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from reviewtracker.audit import changes, record_activity
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.feedback.records import touch_unversioned
from reviewtracker.models import (
    ActivityCategory,
    DocumentVersion,
    Feedback,
    FeedbackState,
    LeadAgency,
    RevisionItem,
    RevisionLink,
    RevisionStatus,
    Section,
    User,
)
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_TITLE_CHARS, utcnow
from reviewtracker.permissions import can_manage_revisions
from reviewtracker.revisions.workflow import check_move
from reviewtracker.spreadsheets import normalize_text

R = RevisionStatus
EDITABLE_FIELDS = ("title", "description", "section_ids", "owner_agency_id", "status", "applied_version_id")
_CODE = re.compile(r"^R-(\d+)$")


class RevisionConflictError(WorkflowError):
    """The revision item changed since the user loaded it; `current` is the item as it is now."""

    def __init__(self, current: RevisionItem | None) -> None:
        # Lazy: raised after a failed flush, before the rollback; nothing may be looked up until then.
        super().__init__(_l("Someone changed this revision item since you loaded it. Nothing was overwritten."))
        self.current = current


def _check_actor(actor: User) -> None:
    if not can_manage_revisions(actor):
        raise WorkflowError(_("Only co-leads and administrators change revision items."))


def next_code() -> str:
    """The next free code R-001, R-002 … (numbers compared as numbers, so R-1000 follows R-999)."""
    numbers = [int(m.group(1)) for code in db.session.scalars(select(RevisionItem.code)) if (m := _CODE.match(code))]
    return f"R-{(max(numbers, default=0) + 1):03d}"


def _clean_title(title: str | None) -> str:
    text = " ".join(normalize_text(title or "").split())
    if not text:
        raise ValidationError(_("Give the revision item a title."))
    if len(text) > MAX_TITLE_CHARS:
        raise ValidationError(_("A title has at most %(n)d characters.", n=MAX_TITLE_CHARS))
    return text


def _clean_description(description: str | None) -> str | None:
    text = normalize_text(description or "")
    if len(text) > MAX_COMMENT_CHARS:
        raise ValidationError(_("A description has at most %(n)d characters.", n=MAX_COMMENT_CHARS))
    return text or None


def _sections(section_ids) -> list[Section]:
    wanted = {int(i) for i in section_ids or ()}
    found = list(db.session.scalars(select(Section).where(Section.id.in_(wanted)))) if wanted else []
    if len(found) != len(wanted):
        raise ValidationError(_("Unknown section."))
    return sorted(found, key=lambda s: (s.version_id, s.code))


def _agency(agency_id) -> LeadAgency | None:
    if agency_id in (None, ""):
        return None
    agency = db.session.get(LeadAgency, int(agency_id))
    if agency is None:
        raise ValidationError(_("Unknown lead agency."))
    return agency


def create_revision_item(
    actor: User, *, title: str, description: str | None, section_ids, owner_agency_id: int | None
) -> RevisionItem:
    """Create a proposed revision item with the next free code (retried if another user took it meanwhile)."""
    _check_actor(actor)
    clean_title, clean_description = _clean_title(title), _clean_description(description)
    sections, agency = _sections(section_ids), _agency(owner_agency_id)
    for _attempt in range(5):
        item = RevisionItem(
            code=next_code(),
            title=clean_title,
            description=clean_description,
            sections=sections,
            owner_agency_id=agency.id if agency else None,
            status=R.proposed,
            created_by_id=actor.id,
        )
        savepoint = db.session.begin_nested()
        db.session.add(item)
        try:
            savepoint.commit()  # flushes inside the savepoint: a taken code rolls back only this attempt
        except IntegrityError:
            savepoint.rollback()
            continue
        record_activity(
            actor,
            ActivityCategory.revision,
            "revision.create",
            target=item,
            after={"code": item.code, "title": item.title, "sections": [s.code for s in sections]},
        )
        db.session.flush()
        return item
    raise WorkflowError(_("Could not allocate a code for the revision item; try again."))


def update_revision_item(actor: User, item: RevisionItem, *, expected_version: int, **fields: Any) -> RevisionItem:
    """Change a revision item's fields and/or status (applied requires the version it was applied in)."""
    _check_actor(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field: %(name)s.", name=", ".join(sorted(unknown))))
    if int(expected_version) != item.lock_version:
        raise RevisionConflictError(item)
    values: dict[str, Any] = {}
    if "title" in fields:
        values["title"] = _clean_title(fields["title"])
    if "description" in fields:
        values["description"] = _clean_description(fields["description"])
    if "owner_agency_id" in fields:
        agency = _agency(fields["owner_agency_id"])
        values["owner_agency_id"] = agency.id if agency else None
    values.update(_status_values(item, fields))
    # Every look-up happens before the first change: a query after it would autoflush, and a parallel save
    # would then surface as a StaleDataError outside the conflict handling below.
    sections = _sections(fields["section_ids"]) if "section_ids" in fields else None
    old_sections = list(item.sections)
    before, after = changes(item, **values)
    if sections is not None and {s.id for s in sections} != {s.id for s in old_sections}:
        item.sections = sections
        before["sections"], after["sections"] = [s.code for s in old_sections], [s.code for s in sections]
        item.updated_at = utcnow()  # bumps the lock version even when only the sections changed
    if not after and not before:
        return item
    try:
        db.session.flush()
    except StaleDataError as error:
        raise RevisionConflictError(None) from error
    record_activity(actor, ActivityCategory.revision, "revision.update", target=item, before=before, after=after)
    return item


def _status_values(item: RevisionItem, fields: dict[str, Any]) -> dict[str, Any]:
    status = RevisionStatus(fields["status"]) if fields.get("status") else item.status
    version_id = fields.get("applied_version_id", item.applied_version_id)
    version_id = int(version_id) if version_id not in (None, "") else None
    check_move(item.status, status)
    if status == R.applied:
        if version_id is None or db.session.get(DocumentVersion, version_id) is None:
            raise WorkflowError(_("Say in which version the change was applied."))
    else:
        version_id = None  # "applied in" only means something for an applied item
    return {"status": status, "applied_version_id": version_id}


def link_revision_item(actor: User, item: RevisionItem, feedback: Feedback) -> RevisionLink:
    """Link forwarded feedback to a revision item (recording who and when); linking twice is refused."""
    _check_actor(actor)
    if feedback.state != FeedbackState.forwarded or feedback.deleted_at is not None:
        raise WorkflowError(_("Only feedback forwarded to the working group can be linked."))
    if item.status == R.dropped:
        raise WorkflowError(_("The revision item was dropped; revive it before linking feedback."))
    existing = db.session.scalar(
        select(RevisionLink).where(RevisionLink.revision_item_id == item.id, RevisionLink.feedback_id == feedback.id)
    )
    if existing is not None:
        raise WorkflowError(_("The item is already linked to %(code)s.", code=item.code))
    link = RevisionLink(revision_item_id=item.id, feedback_id=feedback.id, linked_by_id=actor.id, linked_at=utcnow())
    db.session.add(link)
    db.session.flush()
    touch_unversioned(feedback)
    record_activity(
        actor, ActivityCategory.revision, "revision.link", target=item, feedback=feedback, after={"revision": item.code}
    )
    return link


def unlink_revision_item(actor: User, item: RevisionItem, feedback: Feedback) -> None:
    """Remove a link; the activity row keeps who linked it, when, and who removed it."""
    _check_actor(actor)
    link = db.session.scalar(
        select(RevisionLink).where(RevisionLink.revision_item_id == item.id, RevisionLink.feedback_id == feedback.id)
    )
    if link is None:
        raise WorkflowError(_("The item is not linked to %(code)s.", code=item.code))
    before = {"revision": item.code, "linked_by_id": link.linked_by_id, "linked_at": link.linked_at}
    db.session.delete(link)
    db.session.flush()
    touch_unversioned(feedback)
    record_activity(actor, ActivityCategory.revision, "revision.unlink", target=item, feedback=feedback, before=before)
