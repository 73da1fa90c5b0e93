"""Read-only queries of the focal point's queue: what waits with her, what she returned, what went direct."""

from __future__ import annotations

from sqlalchemy import Select, select

from reviewtracker.models import Feedback, FeedbackState, ReviewRound, Section, User
from reviewtracker.permissions import feedback_visibility


def list_country_queue(user: User) -> Select:
    """Items of the focal point's country that are waiting with the focal point (submitted)."""
    return (
        select(Feedback)
        .outerjoin(Section, Feedback.section_id == Section.id)
        .where(feedback_visibility(user), Feedback.state == FeedbackState.submitted)
        .order_by(Feedback.submitted_at, Feedback.id)
    )


def list_returned_items(user: User) -> Select:
    """Items of the focal point's country that were returned to their authors, newest first.

    Not through feedback_visibility: a returned item is the author's again, so the focal point cannot open it,
    but her queue still lists what she sent back, with her note, until the author submits it again.
    """
    return (
        select(Feedback)
        .outerjoin(Section, Feedback.section_id == Section.id)
        .where(
            Feedback.country_id == user.country_id,
            Feedback.state == FeedbackState.returned,
            Feedback.deleted_at.is_(None),
        )
        .order_by(Feedback.last_changed_at.desc(), Feedback.id.desc())
    )


def list_direct_items(user: User) -> Select:
    """Items of the country that went straight to the working group in rounds allowing it (read-only)."""
    return (
        select(Feedback)
        .join(ReviewRound, Feedback.round_id == ReviewRound.id)
        .where(
            feedback_visibility(user),
            ReviewRound.allow_direct_submission.is_(True),
            Feedback.state == FeedbackState.forwarded,
            Feedback.forwarded_by_id == Feedback.author_id,
        )
        .order_by(Feedback.forwarded_at.desc())
        .limit(50)
    )
