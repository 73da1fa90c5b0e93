"""The focal point's consolidation of the country queue: forward, return with a note, merge two items."""

from __future__ import annotations

from flask_babel import gettext as _

from reviewtracker import permissions
from reviewtracker.audit import record_activity
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.feedback.records import FEEDBACK, add_edit, forward
from reviewtracker.feedback.workflow import Action, apply_move
from reviewtracker.models import Feedback, User
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_NOTE_CHARS, utcnow
from reviewtracker.notifications import notify
from reviewtracker.spreadsheets import normalize_text


def _require_consolidation(actor: User, feedback: Feedback) -> None:
    if not permissions.can_consolidate_feedback(actor, feedback):
        raise WorkflowError(_("Only the country's focal point can do this, and only for items waiting in the queue."))


def forward_feedback(actor: User, feedback: Feedback) -> Feedback:
    """The focal point forwards a submitted item to the working group."""
    _require_consolidation(actor, feedback)
    forward(actor, feedback)
    notify(
        [feedback.author] if feedback.author_id != actor.id else [],
        "feedback.forwarded",
        feedback=feedback,
        by=actor.name,
    )
    return feedback


def return_feedback(actor: User, feedback: Feedback, note: str) -> Feedback:
    """The focal point sends a submitted item back to its author with a note (required)."""
    _require_consolidation(actor, feedback)
    note = normalize_text(note or "")
    if not note:
        raise ValidationError(_("Write a note telling the author what to change."))
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError(_("The note is longer than %(n)d characters.", n=MAX_NOTE_CHARS))
    apply_move(feedback, Action.return_)
    feedback.return_note = note
    feedback.last_changed_at = utcnow()
    db.session.flush()
    record_activity(
        actor,
        FEEDBACK,
        "feedback.return",
        feedback=feedback,
        before={"state": "submitted"},
        after={"state": "returned", "note": note},
    )
    notify([feedback.author], "feedback.returned", feedback=feedback, by=actor.name, note=note)
    return feedback


def merge_feedback(actor: User, target: Feedback, source: Feedback) -> Feedback:
    """Fold `source` into `target`: source becomes merged, target's comment gets source's text as a new edit."""
    _require_consolidation(actor, target)
    _require_consolidation(actor, source)
    if target.id == source.id:
        raise ValidationError(_("Choose two different items to merge."))
    comment = f"{target.comment}\n\n[{source.display_id}] {source.comment}"
    proposed = "\n\n".join(p for p in (target.proposed_change, source.proposed_change) if p) or None
    if len(comment) > MAX_COMMENT_CHARS or (proposed and len(proposed) > MAX_COMMENT_CHARS):
        raise ValidationError(_("The merged text would be longer than %(n)d characters.", n=MAX_COMMENT_CHARS))
    target.comment, target.proposed_change = comment, proposed
    target.principles = list({p.id: p for p in [*target.principles, *source.principles]}.values())
    target.objectives = list({o.id: o for o in [*target.objectives, *source.objectives]}.values())
    target.last_changed_at = source.last_changed_at = utcnow()
    apply_move(source, Action.merge)
    source.merged_into_id = target.id
    db.session.flush()
    edit = add_edit(target, actor, _("Merged %(item)s", item=source.display_id))
    record_activity(
        actor, FEEDBACK, "feedback.merge", feedback=target, after={"merged": source.display_id, "edit": edit.number}
    )
    record_activity(
        actor,
        FEEDBACK,
        "feedback.merged",
        feedback=source,
        before={"state": "submitted"},
        after={"state": "merged", "into": target.display_id},
    )
    notify(
        [source.author] if source.author_id != actor.id else [],
        "feedback.merged",
        feedback=source,
        by=actor.name,
        target=target.display_id,
    )
    db.session.flush()
    return target
