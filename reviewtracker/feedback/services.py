"""Feedback lifecycle on the country side: create, submit, edit, withdraw, acknowledge.

Every function takes the acting user and model objects, enforces the rules (translated WorkflowError /
ValidationError), mutates, flushes and writes an activity row. None of them commits: the caller's
transaction does, so the web form, the importer, the API and the CLI share one behaviour.
Guiding-question answers live in `answers.py` and are re-exported here. The focal point's forward,
return and merge are the consolidation package's (`reviewtracker.consolidation.services`).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from reviewtracker import permissions
from reviewtracker.audit import changes, record_activity
from reviewtracker.errors import ValidationError, WorkflowError
from reviewtracker.extensions import db
from reviewtracker.feedback.answers import save_guiding_answer, save_guiding_answers, submit_guiding_answers
from reviewtracker.feedback.batch import FeedbackBatch, Lookups
from reviewtracker.feedback.inputs import FeedbackInput
from reviewtracker.feedback.records import FEEDBACK, ConflictError, add_edit, focal_points, forward, once_inserted
from reviewtracker.feedback.workflow import Action, apply_move
from reviewtracker.models import (
    Acknowledgement,
    Country,
    Feedback,
    FeedbackImport,
    FeedbackState,
    GuidingPrinciple,
    Objective,
    ReviewRound,
    TriageStatus,
    User,
)
from reviewtracker.models._base import MAX_NOTE_CHARS, utcnow
from reviewtracker.notifications import notify
from reviewtracker.spreadsheets import normalize_text

# --- Checks shared by the entry paths ------------------------------------------------------------


def _check_content(review_round: ReviewRound, data: FeedbackInput, country_id: int, lookups: Lookups) -> None:
    """The version is under review in the round, the section is in that version, tags exist, text is valid."""
    problems = data.problems()
    if problems:
        raise ValidationError(" ".join(dict.fromkeys(problems.values())))
    if data.version_id not in {v.id for v in review_round.versions}:
        raise ValidationError(_("This document version is not under review in this round."))
    if data.section_id is not None:
        section = lookups.section(data.section_id)
        if section is None or section.version_id != data.version_id:
            raise ValidationError(_("This section does not belong to the document version under review."))
    for model, ids in ((GuidingPrinciple, data.principle_ids), (Objective, data.objective_ids)):
        if ids and lookups.tags(model, ids) is None:
            raise ValidationError(_("Unknown guiding principle or objective."))
    if data.organisation_id is not None:
        org = lookups.organisation(data.organisation_id)
        if org is None or org.country_id not in (None, country_id):
            raise ValidationError(_("This organisation does not belong to the country."))


def _apply_content(item: Feedback, data: FeedbackInput, lookups: Lookups) -> tuple[dict, dict]:
    """Copy the input onto the item; returns (before, after) of the fields that changed (text excluded)."""
    before, after = changes(
        item,
        version_id=data.version_id,
        section_id=data.section_id,
        reference=data.reference,
        type=data.type,
        priority=data.priority,
        language=data.language,
        covid=bool(data.covid),
        usefulness_rating=data.usefulness_rating,
        clarity_rating=data.clarity_rating,
    )
    old_principles = sorted(p.id for p in item.principles)
    old_objectives = sorted(o.id for o in item.objectives)
    new_principles, new_objectives = sorted(set(data.principle_ids)), sorted(set(data.objective_ids))
    if old_principles != new_principles:
        item.principles = lookups.tags(GuidingPrinciple, new_principles) or []
        before["principles"], after["principles"] = old_principles, new_principles
    if old_objectives != new_objectives:
        item.objectives = lookups.tags(Objective, new_objectives) or []
        before["objectives"], after["objectives"] = old_objectives, new_objectives
    if item.comment != data.comment or item.proposed_change != data.proposed_change:
        # The text itself lives in the FeedbackEdit snapshots; the activity row only says it changed.
        before["text"], after["text"] = "…", "edited"
        item.comment, item.proposed_change = data.comment, data.proposed_change
    return before, after


def _closed_message(review_round: ReviewRound, country_id: int | None) -> str:
    return _(
        "The round “%(name)s” is not open for your country: feedback can be given from %(opens)s to %(closes)s.",
        name=review_round.name,
        opens=review_round.opens_on.isoformat(),
        closes=review_round.closes_on_for(country_id).isoformat(),
    )


# --- Creating and submitting ---------------------------------------------------------------------


def create_feedback(
    actor: User,
    review_round: ReviewRound,
    data: FeedbackInput,
    *,
    today: date,
    client_token: str | None = None,
    feedback_import: FeedbackImport | None = None,
    submit: bool = False,
    country: Country | None = None,
    batch: FeedbackBatch | None = None,
) -> Feedback:
    """Create a feedback item (a draft, or submitted when `submit`); a known client_token returns the existing item.

    With a `batch` (the importer's), reference rows come from its cache, the item gets its id at the batch's
    next flush, and a submission is left for the caller to notify once (see `FeedbackBatch`).
    """
    if client_token:
        existing = db.session.scalar(select(Feedback).where(Feedback.client_token == client_token))
        if existing is not None:
            if actor.id not in (existing.author_id, existing.entered_by_id):
                raise ValidationError(_("This form was already used by someone else. Reload the page."))
            return existing
    on_behalf = country is not None and permissions.can_enter_feedback_on_behalf(actor)
    if on_behalf:
        country_id = country.id
        if review_round.participant(country_id) is None:
            raise WorkflowError(_("This country does not take part in the round."))
    else:
        if not permissions.is_country_user(actor):
            raise WorkflowError(_("Only users of a participating country can give feedback."))
        if country is not None and country.id != actor.country_id:
            raise WorkflowError(_("You can only give feedback for your own country."))
        country_id = actor.country_id
        if not review_round.is_open_for(country_id, today):
            raise WorkflowError(_closed_message(review_round, country_id))
    lookups = batch if batch is not None else Lookups()
    _check_content(review_round, data, country_id, lookups)
    own_org = actor.organisation_id if actor.country_id == country_id else None
    item = Feedback(
        round=review_round,  # the object, not only its id: submit_feedback reads it before the INSERT in a batch
        round_id=review_round.id,
        author_id=actor.id,
        country_id=country_id,
        organisation_id=data.organisation_id or own_org,
        comment=data.comment,
        client_token=client_token,
        import_id=feedback_import.id if feedback_import else None,
        state=FeedbackState.draft,
        principles=[],
        objectives=[],
    )
    _apply_content(item, data, lookups)
    db.session.add(item)
    if on_behalf:
        now = utcnow()
        item.entered_by_id = actor.id
        item.state, item.status = FeedbackState.forwarded, TriageStatus.new
        item.submitted_at = item.forwarded_at = item.last_changed_at = now
        item.forwarded_by_id = actor.id
    action = "feedback.enter_on_behalf" if on_behalf else "feedback.create"
    after = {"state": item.state, "section_id": item.section_id}  # now: a batched submit changes the state first

    def created() -> None:
        add_edit(item, actor, number=1)
        record_activity(actor, FEEDBACK, action, feedback=item, after=after)
        if batch is None:
            db.session.flush()

    once_inserted(batch, created)
    if submit and not on_behalf:
        submit_feedback(actor, item, today=today, batch=batch)
    if batch is not None:
        batch.item_added()
    return item


def submit_feedback(actor: User, feedback: Feedback, *, today: date, batch: FeedbackBatch | None = None) -> Feedback:
    """Draft/returned → submitted to the focal point, or forwarded at once (direct round or focal point's own).

    The country's other focal points are notified about the item; inside a `batch` the item is added to
    `batch.submitted` instead, for one notification about the whole batch.
    """
    if not permissions.can_submit_feedback(actor, feedback):
        raise WorkflowError(_("Only the author can submit a draft or returned item."))
    if not feedback.round.is_open_for(feedback.country_id, today):
        raise WorkflowError(_closed_message(feedback.round, feedback.country_id))
    if not feedback.comment:
        raise ValidationError(_("The comment is empty."))
    before = {"state": feedback.state}
    apply_move(feedback, Action.submit)
    feedback.submitted_at = feedback.last_changed_at = utcnow()
    once_inserted(
        batch,
        lambda: record_activity(
            actor, FEEDBACK, "feedback.submit", feedback=feedback, before=before, after={"state": "submitted"}
        ),
    )
    if permissions.submits_directly(actor, feedback.round):
        forward(actor, feedback, batch, direct=True)
    if batch is None:
        notify_submitted(actor, [feedback])
    else:
        batch.submitted.append(feedback)
    return feedback


def notify_submitted(actor: User, items: list[Feedback], *, filename: str | None = None) -> int:
    """Tell the country's other focal points about submitted items: per item, or once for a batch of several."""
    if not items:
        return 0
    first = items[0]
    others = [u for u in focal_points(first.country_id) if u.id != actor.id]
    direct = permissions.submits_directly(actor, first.round)
    if len(items) == 1:
        return notify(others, "feedback.submitted", feedback=first, by=actor.name, direct=direct)
    return notify(others, "feedback.submitted_many", by=actor.name, direct=direct, num=len(items), file=filename or "")


# --- Editing -------------------------------------------------------------------------------------


def update_feedback(
    actor: User,
    feedback: Feedback,
    data: FeedbackInput,
    *,
    expected_version: int,
    reason: str | None = None,
    lookups: Lookups | None = None,
) -> Feedback:
    """Edit an item (author: draft/returned; focal point: submitted); a stale version raises ConflictError."""
    if not permissions.can_edit_feedback(actor, feedback):
        raise WorkflowError(_("This item can no longer be edited."))
    if expected_version != feedback.lock_version:
        raise ConflictError(_("Someone else saved this item after you opened it. Nothing was overwritten."), feedback)
    lookups = lookups if lookups is not None else Lookups()
    _check_content(feedback.round, data, feedback.country_id, lookups)
    before, after = _apply_content(feedback, data, lookups)
    if not after:
        return feedback
    feedback.last_changed_at = utcnow()
    db.session.flush()
    if "text" in after:
        edit = add_edit(feedback, actor, reason)
        after["edit"] = edit.number
    if reason:
        after["reason"] = normalize_text(reason)[:500]
    record_activity(actor, FEEDBACK, "feedback.edit", feedback=feedback, before=before, after=after)
    db.session.flush()
    return feedback


# --- Withdrawal and the reaction to a response ----------------------------------------------------


def withdraw_feedback(actor: User, feedback: Feedback) -> Feedback:
    """The author withdraws an item that has not reached the working group."""
    if not permissions.can_withdraw_feedback(actor, feedback):
        raise WorkflowError(_("Only the author can withdraw an item, before it is forwarded."))
    before = {"state": feedback.state}
    apply_move(feedback, Action.withdraw)
    feedback.last_changed_at = utcnow()
    db.session.flush()
    record_activity(
        actor, FEEDBACK, "feedback.withdraw", feedback=feedback, before=before, after={"state": "withdrawn"}
    )
    return feedback


def acknowledge_response(actor: User, feedback: Feedback, *, agree: bool, comment: str | None) -> Feedback:
    """The author or the focal point agrees or disagrees with a published response."""
    if not permissions.can_acknowledge_response(actor, feedback):
        raise WorkflowError(_("Only the author or the focal point can react to a published response."))
    comment = normalize_text(comment or "") or None
    if comment and len(comment) > MAX_NOTE_CHARS:
        raise ValidationError(_("The comment is longer than %(n)d characters.", n=MAX_NOTE_CHARS))
    response = feedback.response
    before, after = changes(
        response,
        acknowledgement=Acknowledgement.agree if agree else Acknowledgement.disagree,
        acknowledgement_comment=comment,
        acknowledged_by_id=actor.id,
    )
    response.acknowledged_at = utcnow()
    db.session.flush()
    record_activity(actor, FEEDBACK, "feedback.acknowledge", feedback=feedback, before=before, after=after)
    return feedback


__all__ = [
    "ConflictError",
    "acknowledge_response",
    "create_feedback",
    "focal_points",
    "notify_submitted",
    "save_guiding_answer",
    "save_guiding_answers",
    "submit_feedback",
    "submit_guiding_answers",
    "update_feedback",
    "withdraw_feedback",
]
