"""The whole access policy: role gates for routes and can_<verb>_<noun>(user, obj) predicates.

Views call a role gate on the route, then `require(can_x(user, obj))` on the loaded object;
templates ask the same predicates (templating.py), and list queries use `feedback_visibility`,
so the page, the API, the exports and the server never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, case, false, null, or_, select, true

from reviewtracker.extensions import login_manager
from reviewtracker.feedback import workflow as lifecycle
from reviewtracker.feedback.workflow import Action, By
from reviewtracker.models import (
    Export,
    ExportKind,
    Feedback,
    Response,
    ReviewRound,
    Role,
    TriageStatus,
    User,
)
from reviewtracker.triage.workflow import DECIDED

# The role groups live on Role; these names are what the route gates (`role_required(*TRIAGERS)`) import.
WORKING_GROUP = Role.working_group()
TRIAGERS = Role.triagers()
COUNTRY_ROLES = Role.country_roles()


def role_required(*roles: Role) -> Callable:
    """Route gate: anonymous users go to the login page (401 for the API), other roles get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
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


def _is_focal_point(user: User) -> bool:
    return user.is_authenticated and user.role == Role.focal_point


def _is_country_focal_point(user: User, country_id: int | None) -> bool:
    return _is_focal_point(user) and user.country_id == country_id


# --- Feedback, country side ----------------------------------------------------------------------


def feedback_visibility(user: User) -> ColumnElement[bool]:
    """SQL filter on Feedback for what a user may see: used by every list, count, API and export."""
    if not user.is_authenticated:
        return false()
    alive = Feedback.deleted_at.is_(None)
    if user.role in WORKING_GROUP:
        return and_(alive, Feedback.state == lifecycle.WITH_WORKING_GROUP)
    if user.role in COUNTRY_ROLES and user.country_id:
        own_country = Feedback.country_id == user.country_id
        not_someone_elses_draft = or_(
            Feedback.author_id == user.id,
            Feedback.state.not_in(sorted(lifecycle.PRIVATE_TO_AUTHOR)),
        )
        return and_(alive, own_country, not_someone_elses_draft)
    return false()


def can_view_feedback(user: User, feedback: Feedback) -> bool:
    """Working group: forwarded items. Country users: their country's, but not others' drafts."""
    if feedback.deleted_at is not None or not user.is_authenticated:
        return False
    if user.role in WORKING_GROUP:
        return feedback.state == lifecycle.WITH_WORKING_GROUP
    if _same_country(user, feedback.country_id):
        return feedback.author_id == user.id or feedback.state not in lifecycle.PRIVATE_TO_AUTHOR
    return False


def has_country_role(user: User) -> bool:
    """A contributor or focal point (the services then check that the user has a country)."""
    return user.is_authenticated and user.role in COUNTRY_ROLES


def is_country_user(user: User) -> bool:
    """A contributor or focal point who belongs to a country."""
    return has_country_role(user) and user.country_id is not None


def submits_directly(user: User, review_round: ReviewRound) -> bool:
    """A submission skips the focal point: a direct-submission round, or the focal point's own feedback."""
    return review_round.allow_direct_submission or user.role == Role.focal_point


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
    if feedback.author_id == user.id and feedback.state in lifecycle.AUTHOR_EDITS:
        return True
    return user.role == Role.focal_point and feedback.state in lifecycle.FOCAL_POINT_EDITS


def edit_was_overtaken(user: User, feedback: Feedback) -> bool:
    """The user may have been editing the item a moment ago (its author, or the country's focal point), but it
    has moved on since (submitted or forwarded from another tab): saving is a conflict to show, not a refusal."""
    if not _same_country(user, feedback.country_id) or feedback.deleted_at is not None:
        return False
    if can_edit_feedback(user, feedback):
        return False
    return feedback.author_id == user.id or user.role == Role.focal_point


_MAY_MOVE: dict[By, Callable[[User, Feedback], bool]] = {
    By.author: lambda user, feedback: _same_country(user, feedback.country_id) and feedback.author_id == user.id,
    By.focal_point: lambda user, feedback: _is_country_focal_point(user, feedback.country_id),
}


def can_move_feedback(user: User, feedback: Feedback, action: Action) -> bool:
    """Whether the lifecycle table (feedback/workflow.py) lets this user ask for `action` on the item now."""
    move = lifecycle.move_for(feedback.state, action)
    return move is not None and feedback.deleted_at is None and _MAY_MOVE[move.by](user, feedback)


def can_submit_feedback(user: User, feedback: Feedback) -> bool:
    """The author submits a draft or returned item (the service also checks the round and the comment)."""
    return can_move_feedback(user, feedback, Action.submit)


def can_withdraw_feedback(user: User, feedback: Feedback) -> bool:
    """The author may withdraw until the item reaches the working group."""
    return can_move_feedback(user, feedback, Action.withdraw)


def can_consolidate_feedback(user: User, feedback: Feedback) -> bool:
    """The country's focal point forwards, returns or merges items waiting in the country queue."""
    return all(can_move_feedback(user, feedback, a) for a in (Action.forward, Action.return_, Action.merge))


def can_acknowledge_response(user: User, feedback: Feedback) -> bool:
    """The author or the country's focal point reacts to a published response."""
    return (
        _same_country(user, feedback.country_id)
        and can_see_triage_outcome(user, feedback)
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


# --- Triage, as a country sees it ----------------------------------------------------------------
# The working group deliberates in private: a country sees an item's decision, response, revision items and
# "applied in" only once the response to a decision is published. Until then every country-facing output
# (item page, "Our feedback", matrix, CSV, API, country dashboard, notifications) says "under review".


def sees_unpublished_triage(user: User | None) -> bool:
    """The working group sees the triage as it stands; user None is the command line, acting as the working group."""
    return user is None or _is_wg(user)


def country_may_see_triage(status: TriageStatus | None, response_published: bool | None) -> bool:
    """The rule itself, on plain values (exports stream rows, not objects): a decision with a published response.

    The status must be a decision too, so a published response on an item back in review shows nothing.
    """
    return bool(response_published) and status in DECIDED


def can_see_triage_outcome(user: User, feedback: Feedback) -> bool:
    """Whether the user may see the item's decision, response and revision items (not the private notes)."""
    if not can_view_feedback(user, feedback):
        return False
    if sees_unpublished_triage(user):
        return True
    response = getattr(feedback, "response", None)
    return country_may_see_triage(feedback.status, response is not None and response.published)


@dataclass(frozen=True)
class TriageOutcome:
    """What a viewer may see of an item's triage; empty ("under review") while it is not theirs to see."""

    visible: bool
    status: TriageStatus | None = None
    response_text: str | None = None
    published_at: datetime | None = None
    revision_items: tuple[Any, ...] = ()  # RevisionItem rows (ORM objects, or the exports' loaded copies)

    @property
    def applied_in(self) -> list[Any]:
        """The revision items that were applied, i.e. the changes that went into a version."""
        return [item for item in self.revision_items if getattr(item, "applied_version_id", None) is not None]


def visible_triage(
    visible: bool,
    *,
    status: TriageStatus | None,
    response_text: str | None,
    published_at: datetime | None = None,
    revision_items: Iterable[Any] = (),
) -> TriageOutcome:
    """THE country-visible view of an item's triage: the values when `visible`, else nothing at all."""
    if not visible:
        return TriageOutcome(visible=False)
    return TriageOutcome(True, status, response_text, published_at, tuple(revision_items))


def triage_outcome(user: User, feedback: Feedback) -> TriageOutcome:
    """The view of an item's triage for pages, the API and the dashboard (objects loaded by the ORM)."""
    response = getattr(feedback, "response", None)
    links = sorted(getattr(feedback, "revision_links", None) or (), key=lambda link: link.revision_item.code)
    return visible_triage(
        can_see_triage_outcome(user, feedback),
        status=feedback.status,
        response_text=response.text if response is not None else None,
        published_at=response.published_at if response is not None else None,
        revision_items=[link.revision_item for link in links],
    )


def published_decision() -> ColumnElement[bool]:
    """SQL twin of country_may_see_triage on Feedback: a decision whose response is published."""
    # Correlated on Feedback only: exports outer-join the response too, and it must stay this subquery's own FROM.
    published = (
        select(Response.id)
        .where(Response.feedback_id == Feedback.id, Response.published.is_(True))
        .correlate(Feedback)
        .exists()
    )
    return and_(Feedback.status.in_(DECIDED), published)


def triage_visibility(user: User | None) -> ColumnElement[bool]:
    """SQL: where the user may see the item's triage (add to feedback_visibility; it does not replace it)."""
    return true() if sees_unpublished_triage(user) else published_decision()


def visible_status(user: User | None) -> ColumnElement:
    """SQL: Feedback.status where the user may see it, else NULL; lists filter, sort and count on this."""
    if sees_unpublished_triage(user):
        return Feedback.status
    return case((published_decision(), Feedback.status), else_=null())


# --- Working group -------------------------------------------------------------------------------


def can_view_triage(user: User) -> bool:
    """The triage queue, private notes and revision items are for the working group."""
    return _is_wg(user)


def can_triage_feedback(user: User, feedback: Feedback | None = None) -> bool:
    """Co-leads and admins change forwarded items; members only read."""
    if not (user.is_authenticated and user.role in TRIAGERS):
        return False
    return feedback is None or (feedback.state == lifecycle.WITH_WORKING_GROUP and feedback.deleted_at is None)


def can_manage_revisions(user: User) -> bool:
    """Co-leads and admins create and change revision items and next versions."""
    return user.is_authenticated and user.role in TRIAGERS


def can_view_dashboard(user: User) -> bool:
    """The working-group dashboard."""
    return _is_wg(user)


def can_view_country_dashboard(user: User) -> bool:
    """The country dashboard is for focal points."""
    return _is_focal_point(user)


def can_view_country_queue(user: User) -> bool:
    """What the country sends is the focal point's to see: the queue of submitted items and every upload."""
    return _is_focal_point(user)


# --- Exports -------------------------------------------------------------------------------------


def can_create_export(user: User, kind: ExportKind, country_id: int | None = None) -> bool:
    """Working group: every export. Focal points: their own country's matrix only."""
    if _is_wg(user):
        return True
    return (
        _is_focal_point(user) and kind == ExportKind.matrix and country_id is not None and country_id == user.country_id
    )


def can_view_exports(user: User) -> bool:
    """The Exports page and list: the working group, and focal points (their own country's matrix)."""
    return _is_wg(user) or _is_focal_point(user)


def can_choose_export_kind(user: User) -> bool:
    """Choosing the kind and the countries of an export; a focal point only gets their country's matrix."""
    return user.is_authenticated and not _is_focal_point(user)


def can_download_export(user: User, export: Export) -> bool:
    """The same rule as creating it, applied to a stored file."""
    return can_create_export(user, export.kind, export.country_id)


def export_visibility(user: User) -> ColumnElement[bool]:
    """SQL filter on Export for the exports page."""
    if _is_wg(user):
        return true()
    if _is_focal_point(user):
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
