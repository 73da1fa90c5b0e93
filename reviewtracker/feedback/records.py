"""Building blocks shared by the feedback services: edit snapshots, deferred work, forwarding, focal points.

Also the one "touch" of an item that triage and revisions share (`touch_unversioned`).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from reviewtracker.audit import record_activity
from reviewtracker.errors import WorkflowError
from reviewtracker.extensions import db
from reviewtracker.feedback.batch import FeedbackBatch
from reviewtracker.feedback.workflow import Action, apply_move
from reviewtracker.models import ActivityCategory, Feedback, FeedbackEdit, Role, TriageStatus, User
from reviewtracker.models._base import utcnow
from reviewtracker.spreadsheets import normalize_text

FEEDBACK = ActivityCategory.feedback


class ConflictError(WorkflowError):
    """Someone saved the item after the user loaded it; `current` is the item as it is now."""

    def __init__(self, message: str, current: object) -> None:
        super().__init__(message)
        self.current = current


def add_edit(item: Feedback, actor: User, reason: str | None = None, *, number: int | None = None) -> FeedbackEdit:
    """Append a snapshot of the current text (number 1 is the original; None: the next number)."""
    if number is None:
        number = (
            db.session.scalar(select(func.max(FeedbackEdit.number)).where(FeedbackEdit.feedback_id == item.id)) or 0
        ) + 1
    edit = FeedbackEdit(
        feedback_id=item.id,
        number=number,
        comment=item.comment,
        proposed_change=item.proposed_change,
        edited_by_id=actor.id,
        reason=normalize_text(reason)[:500] or None if reason else None,
    )
    db.session.add(edit)
    return edit


def once_inserted(batch: FeedbackBatch | None, work: Callable[[], None]) -> None:
    """Do work that needs the item's id: now, after a flush, or with the batch's next INSERT of many items."""
    if batch is None:
        db.session.flush()
        work()
    else:
        batch.after_insert(work)


def forward(actor: User, feedback: Feedback, batch: FeedbackBatch | None = None, *, direct: bool = False) -> None:
    """Hand the item to the working group (triage status new); `direct`: as the tail of the author's submission."""
    before = {"state": feedback.state}
    apply_move(feedback, Action.forward, automatic=direct)
    feedback.status = TriageStatus.new
    feedback.forwarded_at = feedback.last_changed_at = utcnow()
    feedback.forwarded_by_id = actor.id
    once_inserted(
        batch,
        lambda: record_activity(
            actor, FEEDBACK, "feedback.forward", feedback=feedback, before=before, after={"state": "forwarded"}
        ),
    )


def touch_unversioned(feedback: Feedback) -> None:
    """Notes and links bump last_changed_at without bumping the lock version: they never conflict with a decision."""
    now = utcnow()
    db.session.execute(
        update(Feedback.__table__).where(Feedback.__table__.c.id == feedback.id).values(last_changed_at=now)
    )
    set_committed_value(feedback, "last_changed_at", now)


def focal_points(country_id: int) -> list[User]:
    """The active focal points of a country."""
    stmt = select(User).where(User.country_id == country_id, User.in_role(Role.focal_point), User.active.is_(True))
    return list(db.session.scalars(stmt))
