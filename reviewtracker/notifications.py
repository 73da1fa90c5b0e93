"""In-app notifications (and e-mail when SMTP is configured) about feedback being returned, forwarded, answered."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reviewtracker.extensions import db
from reviewtracker.models import Feedback, Notification, User


def notify(recipients: Iterable[User | None], kind: str, *, feedback: Feedback | None = None, **params: Any) -> int:
    """Add one notification per distinct active recipient; returns how many were added.

    `kind` names the message ("feedback.returned", "feedback.forwarded", "feedback.answered", ...); the
    text is rendered in the reader's language when shown, so only the kind and parameters are stored.
    """
    seen: set[int] = set()
    for user in recipients:
        if user is None or not user.active or user.id in seen:
            continue
        seen.add(user.id)
        db.session.add(
            Notification(user_id=user.id, kind=kind, feedback_id=feedback.id if feedback else None, params=params)
        )
    db.session.flush()
    return len(seen)
