"""The feedback list's filters: the triage queue's QueueFilters, with bounds the API adds for robustness."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select

from reviewtracker.api.errors import MAX_ID, bad_request
from reviewtracker.triage.filters import QueueFilters

# Filters that take an id: only plain ASCII numbers within 32 bits reach the database.
ID_FILTERS = ("round", "document", "section", "country", "stakeholder_type", "lead_agency", "revision_item", "assignee")


def filtered_feedback(stmt: Select) -> Select:
    """Apply the queue filters and sort order of the request's query string to a select of Feedback."""
    for name in ID_FILTERS:
        raw = (request.args.get(name) or "").strip()
        if name == "assignee" and raw in ("me", "none"):
            continue
        if raw and not (raw.isascii() and raw.isdigit() and int(raw) <= MAX_ID):
            bad_request(_("Invalid value for the filter “%(name)s”.", name=name))
    return QueueFilters.from_args(request.args, current_user).apply(stmt)
