"""Triage operations on forwarded feedback: status, assignment, tags, notes, responses (flush only, never commit)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from reviewtracker.audit import changes, record_activity
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.feedback.records import focal_points, touch_unversioned
from reviewtracker.models import (
    ActivityCategory,
    Feedback,
    FeedbackLanguage,
    GuidingPrinciple,
    LeadAgency,
    Objective,
    Response,
    Tag,
    TriageNote,
    TriageStatus,
    User,
)
from reviewtracker.models._base import MAX_COMMENT_CHARS, MAX_NOTE_CHARS, utcnow
from reviewtracker.notifications import notify
from reviewtracker.permissions import can_triage_feedback
from reviewtracker.spreadsheets import normalize_text
from reviewtracker.triage.workflow import DECIDED, check_move

MAX_TAG_CHARS = 60
MAX_TAGS = 20


class ConflictError(WorkflowError):
    """The item changed since the user loaded it; `current` is the item as it is now."""

    def __init__(self, current: Feedback | None, message: str | None = None) -> None:
        # Lazy: raised after a failed flush, when not even the user's language may be looked up until the
        # session is rolled back; the error handler renders the text after its rollback.
        super().__init__(message or _l("Someone changed this item since you loaded it. Nothing was overwritten."))
        self.current = current


def _check_actor(actor: User, feedback: Feedback) -> None:
    if not can_triage_feedback(actor, feedback):
        raise WorkflowError(_("Only co-leads and administrators change forwarded feedback."))


def check_version(feedback: Feedback, expected_version: int) -> None:
    """Raise ConflictError unless the item still has the version the user loaded."""
    if int(expected_version) != feedback.lock_version:
        raise ConflictError(feedback)


def _flush(feedback: Feedback) -> None:
    """Flush; a concurrent writer between our check and our UPDATE is a conflict too."""
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConflictError(None) from error


def _touch(feedback: Feedback) -> None:
    """A decision changed: bump last_changed_at (and with it the lock version)."""
    feedback.last_changed_at = utcnow()


def _log(actor: User, action: str, feedback: Feedback, before: dict[str, Any], after: dict[str, Any], target=None):
    return record_activity(
        actor, ActivityCategory.triage, action, target=target, feedback=feedback, before=before, after=after
    )


def change_status(
    actor: User,
    feedback: Feedback,
    status: TriageStatus,
    *,
    expected_version: int,
    duplicate_of: Feedback | None = None,
) -> Feedback:
    """Move an item to a new status allowed by the workflow table (a duplicate names its original)."""
    _check_actor(actor, feedback)
    check_version(feedback, expected_version)
    status = TriageStatus(status)
    check_move(feedback, status, actor.role, duplicate_of=duplicate_of)
    response = feedback.response  # loaded before the change: a lazy load would autoflush it as a version of its own
    before, after = changes(
        feedback, status=status, duplicate_of_id=duplicate_of.id if status == TriageStatus.duplicate else None
    )
    if status not in DECIDED and response is not None and response.published:
        # Reopened: the published answer no longer stands. Back to a draft, so the country sees "under review"
        # (permissions.can_see_triage_outcome) and is told of the next decision when its response is published.
        response.published = False
        before["response_published"], after["response_published"] = True, False
    _touch(feedback)
    _flush(feedback)
    _log(actor, "triage.status", feedback, before, after)
    return feedback


def assign_feedback(
    actor: User,
    feedback: Feedback,
    *,
    assignee: User | None,
    lead_agency: LeadAgency | None,
    expected_version: int,
) -> Feedback:
    """Assign an item to a co-lead (or nobody) and a lead agency (or none)."""
    _check_actor(actor, feedback)
    check_version(feedback, expected_version)
    if assignee is not None and (not can_triage_feedback(assignee) or not assignee.active):
        raise ValidationError(_("Items can only be assigned to an active co-lead or administrator."))
    before, after = changes(
        feedback,
        assignee_id=assignee.id if assignee else None,
        lead_agency_id=lead_agency.id if lead_agency else None,
    )
    if not after and not before:
        return feedback
    _touch(feedback)
    _flush(feedback)
    _log(actor, "triage.assign", feedback, before, after)
    return feedback


def _clean_tag_names(tag_names: Iterable[str]) -> list[str]:
    names: dict[str, str] = {}
    for raw in tag_names:
        name = " ".join(normalize_text(raw or "").split())
        if not name:
            continue
        if len(name) > MAX_TAG_CHARS:
            raise ValidationError(_("A tag has at most %(n)d characters.", n=MAX_TAG_CHARS))
        names.setdefault(name.casefold(), name)
    if len(names) > MAX_TAGS:
        raise ValidationError(_("An item has at most %(n)d tags.", n=MAX_TAGS))
    return list(names.values())


def _tags_named(names: list[str]) -> list[Tag]:
    """Existing tags matched case-insensitively; new ones created."""
    if not names:
        return []
    existing = {
        t.name.casefold(): t
        for t in db.session.scalars(select(Tag).where(func.lower(Tag.name).in_([n.lower() for n in names])))
    }
    tags = []
    for name in names:
        tag = existing.get(name.casefold())
        if tag is None:
            tag = Tag(name=name)
            db.session.add(tag)
            existing[name.casefold()] = tag
        tags.append(tag)
    return tags


def _by_ids(model, ids: Iterable[int], what: str) -> list:
    wanted = {int(i) for i in ids}
    found = list(db.session.scalars(select(model).where(model.id.in_(wanted)))) if wanted else []
    if len(found) != len(wanted):
        raise ValidationError(_("Unknown %(what)s.", what=what))
    return found


def set_tags(
    actor: User,
    feedback: Feedback,
    *,
    tag_names: Iterable[str],
    principle_ids: Iterable[int],
    objective_ids: Iterable[int],
    expected_version: int,
) -> Feedback:
    """Replace the working group's free tags, guiding principles and objectives of an item.

    The principles and objectives the submitter chose (`Feedback.principles` / `objectives`) are never touched.
    """
    _check_actor(actor, feedback)
    check_version(feedback, expected_version)
    tags = _tags_named(_clean_tag_names(tag_names))
    principles = _by_ids(GuidingPrinciple, principle_ids, _("guiding principle"))
    objectives = _by_ids(Objective, objective_ids, _("objective"))
    before = _tag_snapshot(feedback)
    feedback.tags = sorted(tags, key=lambda t: t.name.casefold())
    feedback.triage_principles = sorted(principles, key=lambda p: p.letter)
    feedback.triage_objectives = sorted(objectives, key=lambda o: o.number)
    after = _tag_snapshot(feedback)
    if before == after:
        return feedback
    _touch(feedback)
    _flush(feedback)
    changed = [key for key in after if before[key] != after[key]]
    _log(actor, "triage.tags", feedback, {k: before[k] for k in changed}, {k: after[k] for k in changed})
    return feedback


def _tag_snapshot(feedback: Feedback) -> dict[str, list]:
    return {
        "tags": sorted(t.name for t in feedback.tags),
        "working_group_principles": sorted(p.letter for p in feedback.triage_principles),
        "working_group_objectives": sorted(o.number for o in feedback.triage_objectives),
    }


def add_note(actor: User, feedback: Feedback, body: str, *, parent: TriageNote | None = None) -> TriageNote:
    """Add a private working-group note (a reply when `parent` is given); members only read notes."""
    _check_actor(actor, feedback)
    text = normalize_text(body or "")
    if not text:
        raise ValidationError(_("Write the note first."))
    if len(text) > MAX_NOTE_CHARS:
        raise ValidationError(_("A note has at most %(n)d characters.", n=MAX_NOTE_CHARS))
    if parent is not None and parent.feedback_id != feedback.id:
        raise ValidationError(_("You can only reply to a note on the same item."))
    note = TriageNote(feedback_id=feedback.id, parent_id=parent.id if parent else None, author_id=actor.id, body=text)
    db.session.add(note)
    db.session.flush()
    touch_unversioned(feedback)
    # The note's text stays out of the activity log: the log is readable more widely than the notes.
    _log(actor, "triage.note", feedback, {}, {"note_id": note.id, "reply_to": parent.id if parent else None}, note)
    return note


def save_response(
    actor: User,
    feedback: Feedback,
    *,
    text: str,
    language: FeedbackLanguage | str,
    publish: bool,
    expected_version: int,
) -> Response:
    """Draft (or revise) the response to the submitter; publish it at once when `publish` is true."""
    _check_actor(actor, feedback)
    check_version(feedback, expected_version)
    body = normalize_text(text or "")
    if not body:
        raise ValidationError(_("Write the response first."))
    if len(body) > MAX_COMMENT_CHARS:
        raise ValidationError(_("A response has at most %(n)d characters.", n=MAX_COMMENT_CHARS))
    language = FeedbackLanguage(language)
    if publish:
        _check_publishable(feedback)
    response = feedback.response
    if response is None:
        response = Response(feedback=feedback, text=body, language=language, drafted_by_id=actor.id)
        db.session.add(response)
        before, after = {}, {"text": body, "language": language}
    else:
        before, after = changes(response, text=body, language=language)
        if after:
            response.drafted_by_id = actor.id
    if after:
        _touch(feedback)
        _flush(feedback)
        _log(actor, "triage.response", feedback, before, after, response)
    if publish and not response.published:
        publish_response(actor, feedback)
    return response


def _check_publishable(feedback: Feedback) -> None:
    if feedback.status not in DECIDED:
        raise WorkflowError(_("Decide on the item before publishing a response."))


def publish_response(actor: User, feedback: Feedback) -> Response:
    """Publish the drafted response; the author and the country's focal points are notified."""
    _check_actor(actor, feedback)
    response = feedback.response
    if response is None or not (response.text or "").strip():
        raise WorkflowError(_("There is no drafted response to publish."))
    if response.published:
        raise WorkflowError(_("The response is already published."))
    _check_publishable(feedback)
    response.published = True
    response.published_at = utcnow()
    response.published_by_id = actor.id
    _touch(feedback)
    _flush(feedback)
    _log(actor, "triage.publish", feedback, {"published": False}, {"published": True}, response)
    notify([feedback.author, *focal_points(feedback.country_id)], "feedback.answered", feedback=feedback)
    return response
