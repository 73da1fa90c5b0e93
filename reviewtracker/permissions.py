"""The whole access policy: role gates for routes and can_<verb>_<noun>(user, obj) predicates.

Views call a role gate on the route, then `require(can_x(user, obj))` on the loaded object;
templates ask the same predicates (templating.py), and list queries use `feedback_visibility`,
so the page, the API, the exports and the server never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, false, or_, true

from reviewtracker.models import (
    Export,
    ExportKind,
    Feedback,
    FeedbackState,
    ReviewRound,
    Role,
    User,
)

WORKING_GROUP = (Role.co_lead, Role.member, Role.admin)
TRIAGERS = (Role.co_lead, Role.admin)
COUNTRY_ROLES = (Role.contributor, Role.focal_point)


def role_required(*roles: Role) -> Callable:
    """Route gate: anonymous users go to the login page (401 for the API), other roles get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from reviewtracker.extensions import login_manager

                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


login_required = role_required()


def require(allowed: bool) -> None:
    """Abort with 403 unless a predicate allowed the action."""
    if not allowed:
        abort(403)


def _is_wg(user: User) -> bool:
    return user.is_authenticated and user.role in WORKING_GROUP


def _same_country(user: User, country_id: int | None) -> bool:
    return user.is_authenticated and user.role in COUNTRY_ROLES and user.country_id == country_id


# --- Feedback, country side ----------------------------------------------------------------------


def feedback_visibility(user: User) -> ColumnElement[bool]:
    """SQL filter on Feedback for what a user may see: used by every list, count, API and export."""
    if not user.is_authenticated:
        return false()
    alive = Feedback.deleted_at.is_(None)
    if user.role in WORKING_GROUP:
        return and_(alive, Feedback.state == FeedbackState.forwarded)
    if user.role in COUNTRY_ROLES and user.country_id:
        own_country = Feedback.country_id == user.country_id
        not_someone_elses_draft = or_(
            Feedback.author_id == user.id,
            Feedback.state.not_in([FeedbackState.draft, FeedbackState.returned]),
        )
        return and_(alive, own_country, not_someone_elses_draft)
    return false()


def can_view_feedback(user: User, feedback: Feedback) -> bool:
    """Working group: forwarded items. Country users: their country's, but not others' drafts."""
    if feedback.deleted_at is not None or not user.is_authenticated:
        return False
    if user.role in WORKING_GROUP:
        return feedback.state == FeedbackState.forwarded
    if _same_country(user, feedback.country_id):
        return feedback.author_id == user.id or feedback.state not in (FeedbackState.draft, FeedbackState.returned)
    return False


def can_create_feedback(user: User, review_round: ReviewRound, today: date) -> bool:
    """Country users of a participating country while the round is open for it."""
    return user.is_authenticated and user.role in COUNTRY_ROLES and review_round.is_open_for(user.country_id, today)


def can_enter_feedback_on_behalf(user: User) -> bool:
    """Co-leads and admins type in feedback a country sent by e-mail."""
    return user.is_authenticated and user.role in TRIAGERS


def can_edit_feedback(user: User, feedback: Feedback) -> bool:
    """The author edits a draft or returned item; the focal point edits what is in the country queue."""
    if not _same_country(user, feedback.country_id) or feedback.deleted_at is not None:
        return False
    if feedback.author_id == user.id and feedback.state in (FeedbackState.draft, FeedbackState.returned):
        return True
    return user.role == Role.focal_point and feedback.state == FeedbackState.submitted


def can_withdraw_feedback(user: User, feedback: Feedback) -> bool:
    """The author may withdraw until the item reaches the working group."""
    return (
        _same_country(user, feedback.country_id)
        and feedback.author_id == user.id
        and feedback.state in (FeedbackState.draft, FeedbackState.submitted, FeedbackState.returned)
    )


def can_consolidate_feedback(user: User, feedback: Feedback) -> bool:
    """The country's focal point forwards, returns or merges items waiting in the country queue."""
    return (
        user.is_authenticated
        and user.role == Role.focal_point
        and user.country_id == feedback.country_id
        and feedback.state == FeedbackState.submitted
        and feedback.deleted_at is None
    )


def can_acknowledge_response(user: User, feedback: Feedback) -> bool:
    """The author or the country's focal point reacts to a published response."""
    response = getattr(feedback, "response", None)
    return (
        _same_country(user, feedback.country_id)
        and response is not None
        and response.published
        and (feedback.author_id == user.id or user.role == Role.focal_point)
    )


def can_draft_guiding_answer(user: User, review_round: ReviewRound) -> bool:
    """Anyone in a participating country drafts the country's answers."""
    return _same_country(user, user.country_id) and review_round.participant(user.country_id) is not None


def can_submit_guiding_answer(user: User, review_round: ReviewRound) -> bool:
    """Only the focal point submits the country's answers."""
    return can_draft_guiding_answer(user, review_round) and user.role == Role.focal_point


def can_undo_feedback_import(user: User, feedback_import: Any) -> bool:
    """The uploader undoes an offline-template import (the service also checks its items are still drafts)."""
    return (
        _same_country(user, feedback_import.country_id)
        and feedback_import.user_id == user.id
        and feedback_import.undone_at is None
    )


# --- Working group -------------------------------------------------------------------------------


def can_view_triage(user: User) -> bool:
    """The triage queue, private notes and revision items are for the working group."""
    return _is_wg(user)


def can_triage_feedback(user: User, feedback: Feedback | None = None) -> bool:
    """Co-leads and admins change forwarded items; members only read."""
    if not (user.is_authenticated and user.role in TRIAGERS):
        return False
    return feedback is None or (feedback.state == FeedbackState.forwarded and feedback.deleted_at is None)


def can_manage_revisions(user: User) -> bool:
    """Co-leads and admins create and change revision items and next versions."""
    return user.is_authenticated and user.role in TRIAGERS


def can_view_dashboard(user: User) -> bool:
    """The working-group dashboard."""
    return _is_wg(user)


def can_view_country_dashboard(user: User) -> bool:
    """The country dashboard is for focal points."""
    return user.is_authenticated and user.role == Role.focal_point


# --- Exports -------------------------------------------------------------------------------------


def can_create_export(user: User, kind: ExportKind, country_id: int | None = None) -> bool:
    """Working group: every export. Focal points: their own country's matrix only."""
    if _is_wg(user):
        return True
    return (
        user.is_authenticated
        and user.role == Role.focal_point
        and kind == ExportKind.matrix
        and country_id is not None
        and country_id == user.country_id
    )


def can_download_export(user: User, export: Export) -> bool:
    """The same rule as creating it, applied to a stored file."""
    return can_create_export(user, export.kind, export.country_id)


def export_visibility(user: User) -> ColumnElement[bool]:
    """SQL filter on Export for the exports page."""
    if _is_wg(user):
        return true()
    if user.is_authenticated and user.role == Role.focal_point:
        return and_(Export.kind == ExportKind.matrix, Export.country_id == user.country_id)
    return false()


# --- Administration ------------------------------------------------------------------------------


def can_administer(user: User) -> bool:
    """Admin pages: countries, organisations, users, documents, rounds, audit log."""
    return user.is_authenticated and user.role == Role.admin


# --- Offline Excel template ---------------------------------------------------------------------


def can_use_offline_template(user: User, review_round: ReviewRound) -> bool:
    """Country users of a participating country download the round's template (uploading also needs it open)."""
    return _same_country(user, user.country_id) and review_round.participant(user.country_id) is not None


TEMPLATE_PREDICATES = {name: obj for name, obj in dict(globals()).items() if name.startswith("can_") and callable(obj)}
