"""The feedback list's filters: the triage queue's QueueFilters, with bounds the API adds for robustness."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy import Select

from reviewtracker.parsing import MAX_ID, parse_number
from reviewtracker.triage.filters import QueueFilters

# Filters that take an id: only plain ASCII numbers within 32 bits reach the database.
ID_FILTERS = ("round", "document", "section", "country", "stakeholder_type", "lead_agency", "revision_item", "assignee")


def filtered_feedback(stmt: Select) -> Select:
    """Apply the queue filters and sort order of the request's query string to a select of Feedback."""
    for name in ID_FILTERS:
        raw = request.args.get(name)
        if name == "assignee" and (raw or "").strip() in ("me", "none"):
            continue
        # Outside the documented schema (1 to MAX_ID) is a 400, like any other malformed parameter.
        parse_number(raw, name, low=1, high=MAX_ID)
    return QueueFilters.from_args(request.args, current_user).apply(stmt)
