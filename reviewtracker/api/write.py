"""Write endpoints: country users create and submit feedback; co-leads change status, assignment, tags,
revision-item links and responses. Each calls the same service as the pages, under an If-Match precondition."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from reviewtracker import clock
from reviewtracker.api.errors import MAX_ID, bad_request, check_if_match
from reviewtracker.api.read import feedback_response, visible_feedback, visible_rounds
from reviewtracker.api.views import bp
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
from reviewtracker.permissions import COUNTRY_ROLES, can_manage_revisions, can_triage_feedback, require
from reviewtracker.revisions import services as revision_services
from reviewtracker.triage import services as triage_services

_MISSING = object()


def _body() -> dict[str, Any]:
    """The request's JSON object, else 400."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        bad_request(_("Send a JSON object in the request body (Content-Type: application/json)."))
    return body


def _get(body: dict, name: str, kind: type | tuple, *, required: bool = False, default: Any = None) -> Any:
    """One field of the body, type-checked (booleans are not integers here); 400 naming the field."""
    value = body.get(name, _MISSING)
    if value is _MISSING or (value is None and not required):
        if required:
            bad_request(_("The field '%(name)s' is required.", name=name))
        return default
    kinds = kind if isinstance(kind, tuple) else (kind,)
    wrong_bool = isinstance(value, bool) and bool not in kinds
    if wrong_bool or not isinstance(value, kinds):
        bad_request(_("The field '%(name)s' has the wrong type.", name=name))
    if isinstance(value, int) and not isinstance(value, bool) and not -MAX_ID <= value <= MAX_ID:
        bad_request(_("The field '%(name)s' is out of range.", name=name))
    return value


def _id_list(body: dict, name: str) -> list[int]:
    values = _get(body, name, list, default=[])
    if len(values) > 100 or not all(isinstance(v, int) and not isinstance(v, bool) and 0 < v <= MAX_ID for v in values):
        bad_request(_("The field '%(name)s' must be a list of ids.", name=name))
    return values


def _enum(body: dict, name: str, enum_class, *, required: bool = False, default: Any = None) -> Any:
    value = _get(body, name, str, required=required)
    if value is None:
        return default
    try:
        return enum_class(value)
    except ValueError:
        bad_request(_("The field '%(name)s' has an unknown value.", name=name))


def _text(body: dict, name: str, *, required: bool = False) -> str | None:
    return _get(body, name, str, required=required)


def _feedback_input(body: dict) -> FeedbackInput:
    """The validated content of a new item, from the JSON body."""
    return FeedbackInput(
        version_id=_get(body, "version_id", int, required=True),
        section_id=_get(body, "section_id", int),
        type=_enum(body, "type", FeedbackType, required=True),
        comment=_text(body, "comment", required=True),
        priority=_enum(body, "priority", Priority, default=Priority.medium),
        reference=_text(body, "reference"),
        proposed_change=_text(body, "proposed_change"),
        language=_enum(body, "language", FeedbackLanguage, default=FeedbackLanguage.en),
        covid=_get(body, "covid", bool, default=False),
        principle_ids=_id_list(body, "principle_ids"),
        objective_ids=_id_list(body, "objective_ids"),
        usefulness_rating=_get(body, "usefulness_rating", int),
        clarity_rating=_get(body, "clarity_rating", int),
    )


def _triage_target(feedback_id: int) -> Feedback:
    """A visible item the user may triage: another country's item is 404, a non-triager 403."""
    item = visible_feedback(feedback_id)
    require(can_triage_feedback(current_user))
    return item


def _done(item: Feedback, status: int = 200):
    db.session.commit()
    return feedback_response(item, status)


@bp.post("/feedback")
def create_feedback():
    """A country user creates a feedback item (a draft, or submitted with "submit": true)."""
    require(current_user.role in COUNTRY_ROLES)
    body = _body()
    review_round = db.session.scalar(
        visible_rounds().where(ReviewRound.id == _get(body, "round_id", int, required=True))
    )
    if review_round is None:
        bad_request(_("Unknown review round."))
    data = _feedback_input(body)
    submit = _get(body, "submit", bool, default=False)
    key = (request.headers.get("Idempotency-Key") or "").strip()[:64] or None
    item = feedback_services.create_feedback(
        current_user, review_round, data, today=clock.round_today(), client_token=key, submit=submit
    )
    return _done(item, 201)


@bp.post("/feedback/<int:feedback_id>/submit")
def submit_feedback(feedback_id: int):
    """The author submits a draft (to the focal point, or straight to the working group)."""
    item = visible_feedback(feedback_id)
    require(item.author_id == current_user.id)
    if (refused := check_if_match(item.lock_version)) is not None:
        return refused
    feedback_services.submit_feedback(current_user, item, today=clock.round_today())
    return _done(item)


@bp.put("/feedback/<int:feedback_id>/status")
def change_status(feedback_id: int):
    """A co-lead moves an item to another triage status (a duplicate names its original)."""
    item = _triage_target(feedback_id)
    if (refused := check_if_match(item.lock_version)) is not None:
        return refused
    body = _body()
    status = _enum(body, "status", TriageStatus, required=True)
    original = None
    if (original_id := _get(body, "duplicate_of_id", int)) is not None:
        original = visible_feedback(original_id) if original_id > 0 else bad_request(_("Unknown original item."))
    triage_services.change_status(current_user, item, status, expected_version=item.lock_version, duplicate_of=original)
    return _done(item)


@bp.put("/feedback/<int:feedback_id>/assignment")
def assign_feedback(feedback_id: int):
    """A co-lead assigns an item to a co-lead (or nobody) and a lead agency (or none)."""
    item = _triage_target(feedback_id)
    if (refused := check_if_match(item.lock_version)) is not None:
        return refused
    body = _body()
    assignee = agency = None
    if (assignee_id := _get(body, "assignee_id", int)) is not None:
        assignee = db.session.get(User, assignee_id) if assignee_id > 0 else None
        if assignee is None:
            bad_request(_("Unknown assignee."))
    if (agency_code := _get(body, "lead_agency", str)) is not None:
        agency = db.session.scalar(select(LeadAgency).where(LeadAgency.code == agency_code[:20]))
        if agency is None:
            bad_request(_("Unknown lead agency."))
    triage_services.assign_feedback(
        current_user, item, assignee=assignee, lead_agency=agency, expected_version=item.lock_version
    )
    return _done(item)


@bp.put("/feedback/<int:feedback_id>/tags")
def set_tags(feedback_id: int):
    """A co-lead replaces the working group's free tags, guiding principles and objectives of an item."""
    item = _triage_target(feedback_id)
    if (refused := check_if_match(item.lock_version)) is not None:
        return refused
    body = _body()
    names = _get(body, "tags", list, default=[])
    if len(names) > 100 or not all(isinstance(n, str) for n in names):
        bad_request(_("The field '%(name)s' must be a list of ids.", name="tags"))
    _refuse_submitter_change(body, "principle_ids", [p.id for p in item.principles])
    _refuse_submitter_change(body, "objective_ids", [o.id for o in item.objectives])
    triage_services.set_tags(
        current_user,
        item,
        tag_names=names,
        principle_ids=_id_list(body, "working_group_principle_ids"),
        objective_ids=_id_list(body, "working_group_objective_ids"),
        expected_version=item.lock_version,
    )
    return _done(item)


def _refuse_submitter_change(body: dict, name: str, current: list[int]) -> None:
    """The submitter's choice is not the working group's to change: 400 unless the body repeats it unchanged.

    Repeating it is accepted so that a client may send back the item it read; anything else used to overwrite
    the country's choice, so it is refused rather than silently ignored.
    """
    if name in body and sorted(set(_id_list(body, name))) != sorted(current):
        bad_request(
            _(
                "The field '%(name)s' is the submitter's choice and cannot be changed; send '%(other)s' instead.",
                name=name,
                other=f"working_group_{name}",
            )
        )


@bp.put("/feedback/<int:feedback_id>/response")
def save_response(feedback_id: int):
    """A co-lead drafts or revises the response, and publishes it with "publish": true."""
    item = _triage_target(feedback_id)
    if (refused := check_if_match(item.lock_version)) is not None:
        return refused
    body = _body()
    triage_services.save_response(
        current_user,
        item,
        text=_text(body, "text", required=True),
        language=_enum(body, "language", FeedbackLanguage, default=FeedbackLanguage.en),
        publish=_get(body, "publish", bool, default=False),
        expected_version=item.lock_version,
    )
    return _done(item)


@bp.post("/feedback/<int:feedback_id>/revision-links")
def link_revision_item(feedback_id: int):
    """A co-lead links an item to a revision item (the link is recorded with who and when)."""
    item = _triage_target(feedback_id)
    require(can_manage_revisions(current_user))
    if (refused := check_if_match(item.lock_version)) is not None:
        return refused
    revision_id = _get(_body(), "revision_item_id", int, required=True)
    revision = db.session.get(RevisionItem, revision_id) if revision_id > 0 else None
    if revision is None:
        abort(404)
    revision_services.link_revision_item(current_user, revision, item)
    return _done(item, 201)
