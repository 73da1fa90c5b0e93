"""What every template can use: permission predicates, enum labels, formatting and navigation helpers."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime
from flask_login import current_user
from sqlalchemy import func, select

from reviewtracker import permissions
from reviewtracker.extensions import db
from reviewtracker.i18n import LANGUAGE_NAMES, current_language, label
from reviewtracker.models import Notification


def url_with(**changes: object) -> str:
    """The current URL with some query arguments replaced (sorting, paging, filters)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    return url_for(request.endpoint or "auth.login", **(request.view_args or {}), **args)


def fmt_date(value: date | datetime | None) -> str:
    """A date in the interface language ('' for None)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "medium")
    return format_date(value, "medium")


def unread_notifications() -> int:
    """How many unread notifications the current user has (for the navigation badge)."""

    if not current_user.is_authenticated:
        return 0
    stmt = select(func.count()).where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
    return db.session.scalar(stmt) or 0


def init_app(app: Flask) -> None:
    """Register the context processor and filters."""

    @app.context_processor
    def inject_helpers() -> dict:
        return {
            **permissions.TEMPLATE_PREDICATES,
            # What a viewer may see of an item's triage: the same view the exports and the API use.
            "triage_outcome": permissions.triage_outcome,
            "url_with": url_with,
            "current_language": current_language,
            "language_names": LANGUAGE_NAMES,
            "unread_notifications": unread_notifications,
        }

    # A global, not only a context variable: macros imported without context (the pager in
    # _macros/forms.html) see globals, while context processors reach only the page itself.
    app.add_template_global(url_with, "url_with")
    app.add_template_filter(label, "label")
    app.add_template_filter(fmt_date, "date")
