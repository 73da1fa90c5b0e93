"""Applying a checked offline template (one transaction, through the web form's services) and undoing it."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from reviewtracker import permissions
from reviewtracker.audit import record_activity
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.feedback.batch import FeedbackBatch
from reviewtracker.feedback.services import create_feedback, notify_submitted, update_feedback
from reviewtracker.feedback_import.importer import ImportPlan, find_duplicate
from reviewtracker.models import ActivityCategory, Feedback, FeedbackImport, FeedbackState, ReviewRound, User
from reviewtracker.models._base import utcnow
from reviewtracker.spreadsheets import normalize_text, safe_download_name

IMPORT = ActivityCategory.import_


def display_filename(name: str | None) -> str:
    """The uploaded file's name, cleaned for display only (never used as a path)."""
    return safe_download_name(normalize_text(name or ""), fallback="upload.xlsx")[:255]


def duplicate_message(previous: FeedbackImport) -> str:
    """What the user is told when the same file comes again."""
    return _(
        "This file was already imported on %(date)s (%(created)d items created); nothing was imported again.",
        date=previous.created_at.date().isoformat(),
        created=previous.rows_created,
    )


def locked_message(count: int) -> str:
    """Why a file with rows that can no longer be changed was not imported, and what the user can do."""
    return ngettext(
        "%(num)d row changes an item that can no longer be changed, so nothing was imported. Choose to import the "
        "other rows without it, or correct the file and upload it again.",
        "%(num)d rows change items that can no longer be changed, so nothing was imported. Choose to import the "
        "other rows without them, or correct the file and upload it again.",
        count,
    )


def is_duplicate_import(error: IntegrityError) -> bool:
    """Whether an IntegrityError is the live-import unique key (the same file confirmed twice at once)."""
    text = str(error.orig)
    # PostgreSQL names the index; SQLite names its columns.
    return "uq_feedback_imports_live_file" in text or "feedback_imports.sha256" in text


def race_message() -> str:
    """What the loser is told when two sessions confirm the same file at the same moment."""
    return _("This file was imported a moment ago from another window or by someone else; nothing was imported again.")


def apply_import(
    actor: User,
    review_round: ReviewRound,
    plan: ImportPlan,
    *,
    filename: str | None,
    sha256: str,
    submit: bool,
    today: date,
    skip_rows: frozenset[int] = frozenset(),
) -> FeedbackImport:
    """Create and update every planned row with the same services as the web form; the caller commits once.

    The rows share one FeedbackBatch (reference rows loaded once, items inserted many at a time), and
    "submit all" notifies the focal points once for the whole file rather than once per row.
    Rows of items the user can no longer change are skipped only when skip_rows names exactly those rows (the
    user chose "import the other rows" on a preview that showed them); otherwise nothing is imported.
    A second live import of the same file raises IntegrityError at the first flush (uq_feedback_imports_live_file).
    """
    if not permissions.can_create_feedback(actor, review_round, today):
        raise WorkflowError(_("You cannot add feedback to this round now."))
    previous = find_duplicate(review_round, actor.country_id, sha256)
    if previous is not None:
        raise ValidationError(duplicate_message(previous))
    if plan.problems:
        raise ValidationError(_("The file has %(n)d problems; nothing was imported.", n=len(plan.problems)))
    if plan.locked and {planned.row for planned in plan.locked} != skip_rows:
        raise ValidationError(locked_message(len(plan.locked)))
    if not plan.new and not plan.updates:
        raise ValidationError(_("The file has no new or changed rows; nothing was imported."))
    record = FeedbackImport(
        round_id=review_round.id,
        country_id=actor.country_id,
        user_id=actor.id,
        filename=display_filename(filename),
        sha256=sha256,
        as_submitted=submit,
    )
    db.session.add(record)
    db.session.flush()
    with FeedbackBatch(review_round) as batch:
        for planned in plan.new:
            create_feedback(
                actor, review_round, planned.data, today=today, feedback_import=record, submit=submit, batch=batch
            )
    for planned in plan.updates:
        reason = _("Offline template %(file)s, row %(row)d", file=record.filename, row=planned.row)
        update_feedback(
            actor,
            planned.item,
            planned.data,
            expected_version=planned.expected_version,
            reason=reason,
            lookups=batch,
        )
    notify_submitted(actor, batch.submitted, filename=record.filename)
    record.rows_created, record.rows_updated = len(plan.new), len(plan.updates)
    record_activity(
        actor,
        IMPORT,
        "import.apply",
        target=record,
        country_id=actor.country_id,
        after={
            "filename": record.filename,
            "sha256": sha256,
            "created": record.rows_created,
            "updated": record.rows_updated,
            "conflicts": len(plan.conflicts),
            "skipped": sorted(skip_rows),
            "submitted": submit,
        },
    )
    db.session.flush()
    return record


def created_items(feedback_import: FeedbackImport) -> list[Feedback]:
    """The items an import created that are not deleted."""
    stmt = select(Feedback).where(Feedback.import_id == feedback_import.id, Feedback.deleted_at.is_(None))
    return list(db.session.scalars(stmt.order_by(Feedback.id)))


def can_be_undone(feedback_import: FeedbackImport) -> bool:
    """Not undone yet, and every item it created is still a draft."""
    if feedback_import.undone_at is not None:
        return False
    return all(item.state == FeedbackState.draft for item in created_items(feedback_import))


def undo_import(actor: User, feedback_import: FeedbackImport) -> int:
    """Soft-delete the items an import created (all must still be drafts); returns how many."""
    if not permissions.can_undo_feedback_import(actor, feedback_import):
        raise WorkflowError(_("Only the person who uploaded the file can undo the import."))
    if feedback_import.undone_at is not None:
        raise WorkflowError(_("This import was already undone."))
    items = created_items(feedback_import)
    if any(item.state != FeedbackState.draft for item in items):
        raise WorkflowError(_("Some items of this import were already submitted, so it can no longer be undone."))
    now = utcnow()
    for item in items:
        item.state, item.deleted_at, item.last_changed_at = FeedbackState.withdrawn, now, now
        record_activity(
            actor,
            ActivityCategory.feedback,
            "feedback.delete",
            feedback=item,
            before={"state": "draft"},
            after={"state": "withdrawn", "deleted": True, "import": feedback_import.id},
        )
    feedback_import.undone_at = now
    record_activity(
        actor,
        IMPORT,
        "import.undo",
        target=feedback_import,
        country_id=feedback_import.country_id,
        after={"deleted": len(items)},
    )
    db.session.flush()
    return len(items)
