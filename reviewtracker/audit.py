"""Writing the append-only activity rows that form every timeline and the audit log."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from flask import has_request_context, request

from reviewtracker.extensions import db
from reviewtracker.models import Activity, ActivityCategory, Feedback, User


def _plain(value: Any) -> Any:
    """Make a value JSON-safe for the before/after columns."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def record_activity(
    actor: User | None,
    category: ActivityCategory,
    action: str,
    *,
    target: Any = None,
    feedback: Feedback | None = None,
    country_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Activity:
    """Add one activity row to the session (the caller's transaction commits it). Never pass secrets."""
    if feedback is not None and target is None:
        target = feedback
    entry = Activity(
        actor_id=actor.id if actor is not None and getattr(actor, "is_authenticated", True) else None,
        category=category,
        action=action,
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
        feedback_id=feedback.id if feedback is not None else None,
        country_id=country_id if country_id is not None else getattr(feedback, "country_id", None),
        before=_plain(before) if before else None,
        after=_plain(after) if after else None,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def changes(obj: Any, **new_values: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply new values to obj and return (before, after) for the fields that really changed."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in new_values.items():
        old = getattr(obj, name)
        if old != value:
            before[name], after[name] = old, value
            setattr(obj, name, value)
    return before, after
