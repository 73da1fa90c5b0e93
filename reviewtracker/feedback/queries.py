"""Read-only queries of the feedback feature: what a user may list, filter, count and sort."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

from reviewtracker.models import (
    Activity,
    ActivityCategory,
    Feedback,
    FeedbackState,
    GuidingAnswer,
    Notification,
    ReviewRound,
    RoundCountry,
    Section,
    User,
)
from reviewtracker.permissions import feedback_visibility, visible_status

# Sort keys users may ask for (anything else is a 400 in the view): key → column.
SORTS = {
    "id": Feedback.id,
    "created": Feedback.created_at,
    "changed": Feedback.last_changed_at,
    "section": Section.code,
    "type": Feedback.type,
    "priority": Feedback.priority,
    "state": Feedback.state,
    "status": Feedback.status,
}
DEFAULT_SORT = "-changed"


@dataclass
class FeedbackFilters:
    """The filters of the "Our feedback" list (None = no filter)."""

    round_id: int | None = None
    version_id: int | None = None
    section_id: int | None = None
    state: FeedbackState | None = None
    type: str | None = None
    author_id: int | None = None
    status: str | None = None
    q: str | None = None
    sort: str = DEFAULT_SORT


def valid_sort(sort: str | None) -> bool:
    """Whether a sort parameter is in the allow-list ('key' or '-key')."""
    return sort is None or sort.lstrip("-") in SORTS


def list_country_feedback(user: User, filters: FeedbackFilters | None = None) -> Select:
    """Feedback the user may see, filtered and sorted (the caller checked the sort key)."""
    f = filters or FeedbackFilters()
    stmt = select(Feedback).outerjoin(Section, Feedback.section_id == Section.id).where(feedback_visibility(user))
    stmt = _filtered(stmt, f, user)
    sort = f.sort if valid_sort(f.sort) else DEFAULT_SORT
    # Sorting by the decision sorts by what the user may see of it, so the order reveals nothing unpublished.
    column = visible_status(user) if sort.lstrip("-") == "status" else SORTS[sort.lstrip("-")]
    order = column.desc() if sort.startswith("-") else column.asc()
    return stmt.order_by(order, Feedback.id.desc())


def _filtered(stmt: Select, f: FeedbackFilters, user: User) -> Select:
    for column, value in (
        (Feedback.round_id, f.round_id),
        (Feedback.version_id, f.version_id),
        (Feedback.section_id, f.section_id),
        (Feedback.state, f.state),
        (Feedback.type, f.type),
        (Feedback.author_id, f.author_id),
        (visible_status(user), f.status),  # a country finds an item by its decision once it is published
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if f.q:
        pattern = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(
                Feedback.comment.ilike(pattern, escape="\\"),
                Feedback.proposed_change.ilike(pattern, escape="\\"),
                Feedback.reference.ilike(pattern, escape="\\"),
            )
        )
    return stmt


def count_by_state(user: User, filters: FeedbackFilters | None = None) -> Select:
    """(state, count) rows of what the user may see, with the same filters but the state."""
    f = filters or FeedbackFilters()
    f = FeedbackFilters(**{**f.__dict__, "state": None})
    stmt = select(Feedback.state, func.count(Feedback.id)).where(feedback_visibility(user))
    return _filtered(stmt, f, user).group_by(Feedback.state)


def count_by_section(user: User, version_id: int) -> Select:
    """(section_id, count) of the user's visible feedback on one version (None = whole document)."""
    return (
        select(Feedback.section_id, func.count(Feedback.id))
        .where(feedback_visibility(user), Feedback.version_id == version_id)
        .group_by(Feedback.section_id)
    )


def list_rounds_for_country(country_id: int | None) -> Select:
    """Rounds the country takes part in, newest first."""
    return (
        select(ReviewRound)
        .join(RoundCountry, RoundCountry.round_id == ReviewRound.id)
        .where(RoundCountry.country_id == country_id)
        .order_by(ReviewRound.opens_on.desc())
    )


def list_timeline(feedback: Feedback) -> Select:
    """The item's activity rows a country user may read: feedback actions only, never triage notes."""
    return (
        select(Activity)
        .where(Activity.feedback_id == feedback.id, Activity.category == ActivityCategory.feedback)
        .order_by(Activity.created_at, Activity.id)
    )


def list_notifications(user: User) -> Select:
    """The user's notifications, newest first."""
    return (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def list_answers(country_id: int, question_ids: list[int]) -> Select:
    """A country's answers to some questions."""
    return select(GuidingAnswer).where(
        GuidingAnswer.country_id == country_id, GuidingAnswer.question_id.in_(question_ids)
    )
