"""Write endpoints: country users create and submit feedback; co-leads change status, assignment, tags,
revision-item links and responses. Each calls the same service as the pages, under an If-Match precondition."""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _
from sqlalchemy import select

from reviewtracker import clock
from reviewtracker.api import inputs, shapes
from reviewtracker.api.document import ETAG, WRITE_ERRORS, errors
from reviewtracker.api.errors import bad_request, check_if_match
from reviewtracker.api.read import feedback_response, visible_feedback, visible_rounds
from reviewtracker.api.security import current_user
from reviewtracker.api.views import bp, described
from reviewtracker.extensions import db
from reviewtracker.feedback import services as feedback_services
from reviewtracker.feedback.inputs import FeedbackInput
from reviewtracker.models import (
    Feedback,
    FeedbackLanguage,
    FeedbackType,
    LeadAgency,
    Priority,
    ReviewRound,
    RevisionItem,
    TriageStatus,
    User,
)
from reviewtracker.permissions import can_manage_revisions, can_triage_feedback, has_country_role, require
from reviewtracker.revisions import services as revision_services
from reviewtracker.triage import services as triage_services

# Bodies are loaded by their schema (inputs.load_body) after the item is found and If-Match checked, so the
# framework documents them (views.described) but does not parse them first.
_ITEM = shapes.FeedbackSchema


def _feedback_input(data: dict) -> FeedbackInput:
    """The validated content of a new item, from the loaded body."""
    return FeedbackInput(
        version_id=data["version_id"],
        section_id=data.get("section_id"),
        type=FeedbackType(data["type"]),
        comment=data["comment"],
        priority=Priority(data["priority"]),
        reference=data.get("reference"),
        proposed_change=data.get("proposed_change"),
        language=FeedbackLanguage(data["language"]),
        covid=data["covid"],
        principle_ids=data["principle_ids"],
        objective_ids=data["objective_ids"],
        usefulness_rating=data.get("usefulness_rating"),
        clarity_rating=data.get("clarity_rating"),
    )


def _triage_target(feedback_id: int) -> Feedback:
    """A visible item the user may triage: another country's item is 404, a non-triager 403."""
    item = visible_feedback(feedback_id)
    require(can_triage_feedback(current_user))
    return item


def _done(item: Feedback, status: int = 200):
    db.session.commit()
    return feedback_response(item, status)


def _write(method: str, action: str, summary: str, body=None, status: int = 200):
    """Route a write on an existing item (/feedback/<id>/<action>): its body schema, the If-Match header, and
    the item as the answer, all in the generated document."""

    def decorator(view):
        view = bp.doc(summary=summary, responses=errors(*WRITE_ERRORS))(view)
        view = bp.output(_ITEM, status_code=status, description="The item", headers=ETAG)(view)
        view = described(inputs.IfMatchHeader, "headers")(view)
        if body is not None:
            view = described(body)(view)
        return bp.route(f"/feedback/<int:feedback_id>/{action}", methods=[method])(view)

    return decorator


@bp.post("/feedback")
@described(inputs.NewFeedbackSchema)
@described(inputs.IdempotencyHeader, "headers")
@bp.output(_ITEM, status_code=201, description="The new item", headers=ETAG)
@bp.doc(summary="Create feedback (country users)", responses=errors(403, 409))
def create_feedback():
    """A country user creates a feedback item (a draft, or submitted with "submit": true)."""
    require(has_country_role(current_user))
    # The round first: an unknown round is the answer whatever else the body holds.
    round_id = inputs.load_body(inputs.NewFeedbackSchema, only=("round_id",))["round_id"]
    review_round = db.session.scalar(visible_rounds().where(ReviewRound.id == round_id))
    if review_round is None:
        bad_request(_("Unknown review round."))
    body = inputs.load_body(inputs.NewFeedbackSchema)
    data = _feedback_input(body)
    submit = body["submit"]
    key = (request.headers.get("Idempotency-Key") or "").strip()[:64] or None
    item = feedback_services.create_feedback(
        current_user, review_round, data, today=clock.round_today(), client_token=key, submit=submit
    )
    return _done(item, 201)


@_write("POST", "submit", "Submit a draft (its author)")
def submit_feedback(feedback_id: int):
    """The author submits a draft (to the focal point, or straight to the working group)."""
    item = visible_feedback(feedback_id)
    require(item.author_id == current_user.id)
    if (refused := check_if_match(item.lock_version)) is not None:
        return refused
    feedback_services.submit_feedback(current_user, item, today=clock.round_today())
    return _done(item)


@_write("PUT", "status", "Change the triage status (co-leads)", body=inputs.StatusChangeSchema)
def change_status(feedback_id: int):
    """A co-lead moves an item to another triage status (a duplicate names its original)."""
    item = _triage_target(feedback_id)
    if (refused := check_if_match(item.lock_version)) is not None:
        return refused
    body = inputs.load_body(inputs.StatusChangeSchema)
    status = TriageStatus(body["status"])
    original = None
    if (original_id := body.get("duplicate_of_id")) is not None:
        original = visible_feedback(original_id) if original_id > 0 else bad_request(_("Unknown original item."))
    triage_services.change_status(current_user, item, status, expected_version=item.lock_version, duplicate_of=original)
    return _done(item)


@_write("PUT", "assignment", "Assign to a co-lead and a lead agency (co-leads)", body=inputs.AssignmentSchema)
def assign_feedback(feedback_id: int):
    """A co-lead assigns an item to a co-lead (or nobody) and a lead agency (or none)."""
    item = _triage_target(feedback_id)
    if (refused := check_if_match(item.lock_version)) is not None:
        return refused
    body = inputs.load_body(inputs.AssignmentSchema)
    assignee = agency = None
    if (assignee_id := body.get("assignee_id")) is not None:
        assignee = db.session.get(User, assignee_id) if assignee_id > 0 else None
        if assignee is None:
            bad_request(_("Unknown assignee."))
    if (agency_code := body.get("lead_agency")) is not None:
        agency = db.session.scalar(select(LeadAgency).where(LeadAgency.code == agency_code[:20]))
        if agency is None:
            bad_request(_("Unknown lead agency."))
    triage_services.assign_feedback(
        current_user, item, assignee=assignee, lead_agency=agency, expected_version=item.lock_version
    )
    return _done(item)


@_write(
    "PUT",
    "tags",
    "Replace the working group's tags, guiding principles and objectives (co-leads)",
    body=inputs.TagsSchema,
)
def set_tags(feedback_id: int):
    """A co-lead replaces the working group's free tags, guiding principles and objectives of an item."""
    item = _triage_target(feedback_id)
    if (refused := check_if_match(item.lock_version)) is not None:
        return refused
    body = inputs.load_body(inputs.TagsSchema)
    names = body["tags"]
    _refuse_submitter_change(body, "principle_ids", [p.id for p in item.principles])
    _refuse_submitter_change(body, "objective_ids", [o.id for o in item.objectives])
    triage_services.set_tags(
        current_user,
        item,
        tag_names=names,
        principle_ids=body["working_group_principle_ids"],
        objective_ids=body["working_group_objective_ids"],
        expected_version=item.lock_version,
    )
    return _done(item)


def _refuse_submitter_change(body: dict, name: str, current: list[int]) -> None:
    """The submitter's choice is not the working group's to change: 400 unless the body repeats it unchanged.

    Repeating it is accepted so that a client may send back the item it read; anything else used to overwrite
    the country's choice, so it is refused rather than silently ignored.
    """
    if name in body and sorted(set(body[name] or [])) != sorted(current):
        bad_request(
            _(
                "The field '%(name)s' is the submitter's choice and cannot be changed; send '%(other)s' instead.",
                name=name,
                other=f"working_group_{name}",
            )
        )


@_write("PUT", "response", "Draft, revise or publish the response (co-leads)", body=inputs.ResponseBodySchema)
def save_response(feedback_id: int):
    """A co-lead drafts or revises the response, and publishes it with "publish": true."""
    item = _triage_target(feedback_id)
    if (refused := check_if_match(item.lock_version)) is not None:
        return refused
    body = inputs.load_body(inputs.ResponseBodySchema)
    triage_services.save_response(
        current_user,
        item,
        text=body["text"],
        language=FeedbackLanguage(body["language"]),
        publish=body["publish"],
        expected_version=item.lock_version,
    )
    return _done(item)


@_write("POST", "revision-links", "Link to a revision item (co-leads)", body=inputs.LinkSchema, status=201)
def link_revision_item(feedback_id: int):
    """A co-lead links an item to a revision item (the link is recorded with who and when)."""
    item = _triage_target(feedback_id)
    require(can_manage_revisions(current_user))
    if (refused := check_if_match(item.lock_version)) is not None:
        return refused
    revision_id = inputs.load_body(inputs.LinkSchema)["revision_item_id"]
    revision = db.session.get(RevisionItem, revision_id) if revision_id > 0 else None
    if revision is None:
        abort(404)
    revision_services.link_revision_item(current_user, revision, item)
    return _done(item, 201)
